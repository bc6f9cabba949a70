/*
 * guard.h - the server-side checks of a roundtable repository, behind the
 * lps-guard pre-receive hook (and `lps roundtable install-guard`).
 *
 * A roundtable is a bare repository holding one branch per member,
 * members/<handle>, and the shared branch `roundtable` (meeting records
 * and the group's norms).  Over plain git the server cannot know who is
 * pushing, so the rules are about what a push does, not who does it:
 *
 *  - only refs/heads/members/<handle> (a valid handle) and
 *    refs/heads/roundtable may be created or updated; any other ref is
 *    refused;
 *  - no branch is ever deleted or rewritten: an update whose new commit
 *    does not descend from the old one is refused.  Members never rewrite
 *    their published history (lps push refuses a non-fast-forward and
 *    asks for lps pull), so a rewrite can only be a mistake or somebody
 *    else's branch being overwritten;
 *  - on members/<h>, every document that a new commit adds or changes
 *    (paths lps keeps documents at: lps.yaml, goals/, evidence/,
 *    reflections/, feedback/, assessments/, frameworks/) must load and
 *    validate against its schema, and the new tip's lps.yaml must carry
 *    owner.handle h;
 *  - on roundtable, every file a new commit adds or changes must be
 *    norms.yaml (norms schema) or meetings/<name>.yaml (meeting schema),
 *    and validate.
 *
 * "New commits" are those reachable from the pushed commit and from no
 * ref of the repository, each compared with its first parent, so a
 * document that is bad only in the middle of a pushed range is found too
 * and history already accepted is not read again.
 */
#ifndef LPS_GUARD_H
#define LPS_GUARD_H

#include <git2.h>
#include "error.h"
#include "registry.h"

/* At most this many new commits are read for one ref update. */
#define LPS_GUARD_MAX_COMMITS 100000
/* A pre-receive input line ("old new ref") is at most this long. */
#define LPS_GUARD_MAX_LINE 4096
/* The line that marks a hook as written by lps (install-guard). */
#define LPS_GUARD_MARKER "# lps-guard: installed by lps roundtable install-guard"

/*
 * Open the repository at gitdir for the hook.  During a push git keeps
 * the pushed objects in a quarantine directory and tells the hook about
 * it through GIT_OBJECT_DIRECTORY and GIT_ALTERNATE_OBJECT_DIRECTORIES;
 * pass their values (either may be NULL).  libgit2 reads them only with
 * GIT_REPOSITORY_OPEN_FROM_ENV, which also searches upwards and refuses
 * GIT_COMMON_DIR, so they are added here as alternate object
 * directories explicitly instead.  alternates is ':'-separated.
 * *out is freed by the caller with git_repository_free().
 * Errors: not a repository (LPS_ENOTFOUND), libgit2 (LPS_ESYS).
 */
struct lps_error *lps_guard_open(git_repository **out, const char *gitdir,
				 const char *objdir, const char *alternates);

/*
 * Decide one ref update as the rules above say.  old or new may be the
 * zero oid (creation, deletion).  NULL accepts it; a refusal is an error
 * saying why (the caller names the branch), and for a document its file,
 * line and column (code LPS_EINVALID for a bad document, LPS_EREFUSED
 * otherwise); a document that is bad only in a commit before the pushed
 * tip has " (in commit <7 hex>)" at the end of the message.  LPS_ESYS or
 * LPS_ENOMEM when the repository cannot be read (the hook refuses then
 * too).  reg: the schemas (lps_registry_get).
 */
struct lps_error *lps_guard_check_update(git_repository *repo,
					 const struct lps_registry *reg,
					 const char *refname,
					 const git_oid *old,
					 const git_oid *new_oid);

/*
 * What the installed guard would say about a push to the repository at
 * path on this machine, which libgit2's local transport makes without
 * running any hook: when path's hooks/pre-receive was written by
 * `lps roundtable install-guard` (it carries LPS_GUARD_MARKER),
 * lps_guard_check_update on path, with the pushed objects also read from
 * objdir (the pushing repository's objects folder; NULL when they were
 * copied there already).  NULL: accepted, or no lps guard installed (or
 * path is no repository: the push itself reports that).
 */
struct lps_error *lps_guard_check_local(const char *path, const char *objdir,
					const char *refname,
					const git_oid *old,
					const git_oid *new_oid);

/*
 * Parse one pre-receive line "<old-hex> <new-hex> <refname>" (the
 * trailing newline already removed).  refname points into line.
 * Malformed: LPS_EUSAGE.
 */
struct lps_error *lps_guard_parse_line(git_oid *old, git_oid *new_oid,
				       const char **refname,
				       const char *line);

/*
 * Install the pre-receive hook into the bare repository at path: a small
 * sh script, marked with LPS_GUARD_MARKER, that execs guard_program (an
 * absolute path) with the hook's input.  Written to a temporary file and
 * renamed, mode 0755.  An existing hook lps did not write is kept and
 * refused (LPS_EREFUSED); a hook lps wrote is replaced.  An unborn HEAD
 * (naming a branch that does not exist) is pointed at
 * refs/heads/roundtable, so that a plain clone checks out the meeting
 * records instead of warning about a missing ref.  path not a
 * repository: LPS_ENOTFOUND; not bare: LPS_EINVALID; guard_program not
 * absolute: LPS_EUSAGE; I/O: LPS_ESYS.  *hook_out (may be NULL) receives
 * the hook's path, malloc'd, for the caller to print and free.
 */
struct lps_error *lps_guard_install(char **hook_out, const char *path,
				    const char *guard_program);

#endif
