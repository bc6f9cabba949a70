/*
 * store.h - the portfolio repository, through libgit2 (DESIGN section 4).
 *
 * Reading: any file at any revision, and every file under a folder at a
 * revision, without touching the working tree.
 *
 * Writing: a change set (paths to write or delete) becomes exactly one
 * commit on the current branch.  Blobs are written, a new tree is built
 * from the branch tip's tree touching only the changed paths, the commit is
 * created and the branch moved with a compare-and-swap on its old value;
 * when another writer moved it in between, the change set is re-applied on
 * the new tip (a few times) as long as none of its paths changed there.
 * Only then are the index entries and working-tree files of the changed
 * paths updated.  The cost grows with the change, not with the repository.
 *
 * A path to be written that has uncommitted changes (in the working tree
 * or the index) is refused with LPS_EREFUSED naming the file, before
 * anything is written.  Writers serialise on a lock file in the git
 * directory; an existing index.lock (another git is running) is refused,
 * except one that an lps killed while committing left behind (it holds
 * lps's mark, and no live lps can own it while we hold the writer lock).
 */
#ifndef LPS_STORE_H
#define LPS_STORE_H

#include <stddef.h>
#include <git2.h>
#include "buf.h"
#include "error.h"

struct lps_store;

/*
 * Open the repository containing dir (searching upwards like git).  Not in
 * a repository: LPS_ENOTFOUND "not a git repository (or any parent): DIR"
 * (DIR made absolute).  A bare repository opens for reading only.  Free
 * with lps_store_free().
 */
struct lps_error *lps_store_open(struct lps_store **out, const char *dir);

/*
 * Open the repository at exactly dir, creating it (non-bare, branch "main"
 * unless init.defaultBranch says otherwise) when dir is not a repository.
 * *created (may be NULL) is set to 1 when a repository was created.
 */
struct lps_error *lps_store_init(struct lps_store **out, const char *dir,
				 int *created);

void lps_store_free(struct lps_store *store);

/* The working tree (with trailing slash), or NULL for a bare repository. */
const char *lps_store_workdir(const struct lps_store *store);
/* The libgit2 repository (owned by store). */
git_repository *lps_store_repo(struct lps_store *store);

/*
 * Resolve rev (any git revision syntax; NULL means HEAD) to a commit.
 * An unborn branch or unknown revision: LPS_ENOTFOUND
 * `unknown revision "REV"`.
 */
struct lps_error *lps_store_resolve(struct lps_store *store, const char *rev,
				    git_oid *commit);

/*
 * Read the file `path` (relative to the top of the repository) as of
 * commit into out (replacing its contents).  Missing, or a folder:
 * LPS_ENOTFOUND with file = path.
 */
struct lps_error *lps_store_read(struct lps_store *store,
				 const git_oid *commit, const char *path,
				 struct lps_buf *out);

/*
 * Whether `path` (a file or a folder) exists as of commit: *found 1 or 0.
 * Scans the raw tree objects along the path instead of parsing them, so
 * one name in a folder of 100,000 documents costs a scan, not 100,000
 * parsed entries.  Errors: the commit or a tree cannot be read (LPS_ESYS).
 */
struct lps_error *lps_store_has(struct lps_store *store,
				const git_oid *commit, const char *path,
				int *found);

/*
 * Call fn for every blob under folder `dir` ("" for the whole tree,
 * recursively) as of commit, in path order.  data is valid only during the
 * call.  fn returns 0 to go on, non-zero to stop (that value is then
 * returned as an LPS_EINVALID error "stopped").  A missing dir is not an
 * error (no calls).  Only one blob is in memory at a time.  Symbolic
 * links and submodules are skipped.
 */
typedef int (*lps_store_each_fn)(void *ctx, const char *path,
				 const char *data, size_t len);
struct lps_error *lps_store_foreach(struct lps_store *store,
				    const git_oid *commit, const char *dir,
				    lps_store_each_fn fn, void *ctx);

/* A set of changes making one commit. */
struct lps_changeset;

struct lps_error *lps_changeset_new(struct lps_changeset **out);
void lps_changeset_free(struct lps_changeset *cs);
/* Write data[0..len) at path (copied; git mode 100644).  A path that is
 * absolute, empty, has empty, "." or ".." components, a ".git" component
 * (any case), a backslash or a control character is LPS_EINVALID, as is
 * a path used both as a file and as a folder in one change set.  Writing
 * or removing a path again replaces the earlier change. */
struct lps_error *lps_changeset_write(struct lps_changeset *cs,
				      const char *path, const void *data,
				      size_t len);
/* Delete path (it must exist at the tip when committing, else
 * lps_store_commit gives LPS_ENOTFOUND naming it).  Folders left empty
 * disappear from the tree and the working tree. */
struct lps_error *lps_changeset_remove(struct lps_changeset *cs,
				       const char *path);
size_t lps_changeset_count(const struct lps_changeset *cs);

/*
 * Add to cs what changed from tree old (NULL: empty) to tree new: a
 * write of each added or changed blob, a removal of each removed path.
 * With have (may be NULL), a change have already holds is left out (a
 * write of what have has at that path, a removal of what have lacks).
 * Errors: reading the repository (LPS_ESYS), the change set's own.
 */
struct lps_error *lps_changeset_add_diff(struct lps_changeset *cs,
					 git_repository *repo,
					 git_tree *old, git_tree *new,
					 git_tree *have);

/*
 * Commit cs on the current branch with the full message `message` (subject,
 * blank line, trailers...; trailing blank space is trimmed and one
 * newline ends it, as git does), author and committer from git config,
 * overridden by GIT_AUTHOR_NAME/EMAIL/DATE and GIT_COMMITTER_* as with
 * git.  Missing user.name/user.email: LPS_EREFUSED saying how to set them.
 * Uncommitted changes in the way (index or working tree differ from HEAD
 * and from what would be written): LPS_EREFUSED naming the file.  An
 * existing <gitdir>/index.lock: LPS_EREFUSED at once.  HEAD detached or a
 * bare repository: LPS_EREFUSED.  Lost the race 5 times, or a path of cs
 * changed at the new tip: LPS_ECONFLICT.  All refusals happen before
 * anything is written.  *out (may be NULL) receives the new commit.
 * Works on an unborn branch (first commit).  Writers in other processes
 * queue on <commondir>/lps.lock (fcntl); not safe to call from two
 * threads of one process at once.
 */
struct lps_error *lps_store_commit(struct lps_store *store,
				   const struct lps_changeset *cs,
				   const char *message, git_oid *out);

/*
 * Write cs as a commit whose parent is `parent` (NULL: a root commit),
 * without moving any branch or touching the index or the working tree:
 * blobs, a tree built from parent's tree touching only cs's paths, the
 * commit (message, author and committer as lps_store_commit takes them).
 * *out receives it.  For building several commits before one
 * lps_store_move.
 */
struct lps_error *lps_store_build(struct lps_store *store,
				  const git_oid *parent,
				  const struct lps_changeset *cs,
				  const char *message, git_oid *out);

/*
 * Move the current branch from `expected` to `commit`, which need not
 * descend from it (lps pull puts the local commits not yet published on
 * top of what another machine published), with lps_store_commit's
 * guarantees: the branch is no longer at expected: LPS_ECONFLICT; a path
 * that differs between the two trees has uncommitted changes:
 * LPS_EREFUSED naming it, before anything is written; then a
 * compare-and-swap of the branch (reflog message `why`) and the index
 * entries and files of those paths only are updated, a kill in between
 * being finished by the next lps (lps_store_recover).
 */
struct lps_error *lps_store_move(struct lps_store *store,
				 const git_oid *expected,
				 const git_oid *commit, const char *why);

/*
 * Finish the last step of a commit whose lps was killed after moving the
 * branch and before updating the index and working tree (store-commit.c
 * keeps a note of it in <gitdir>/lps-pending): the index entries and
 * files of the paths that commit changed are brought up to it, except
 * those the user changed since.  Nothing to do (the usual case) costs one
 * access(2).  lps_store_open and lps_store_commit call it; errors (say,
 * git holds index.lock) leave the note for the next try.
 */
struct lps_error *lps_store_recover(struct lps_store *store);

/*
 * 1 when a call of lps_store_recover on store found an interrupted
 * commit (finished or not): the working tree may have changed since
 * before store was opened, so what was read of it then is stale.
 */
int lps_store_recovered(const struct lps_store *store);

/*
 * Refuse early, as lps_store_commit would, when path has uncommitted
 * changes (working tree or index differ from HEAD): LPS_EREFUSED naming
 * the file.  NULL when it is clean or exists nowhere.  For commands that
 * let the user edit before committing, so no typing is lost to a refusal
 * at commit time.  Costs one path's status, not the repository's.
 */
struct lps_error *lps_store_check_clean(struct lps_store *store,
					const char *path);

/*
 * For tests: called after the new commit is created and before the branch
 * is moved, so a test can move the branch and force the retry path.
 */
typedef void (*lps_store_race_hook)(void *ctx, struct lps_store *store);
void lps_store_set_race_hook(struct lps_store *store, lps_store_race_hook fn,
			     void *ctx);

/*
 * Walk history from commit (NULL: HEAD) newest first, calling fn with each
 * commit; fn returns 0 to go on, 1 to stop.  An unborn HEAD walks nothing.
 */
typedef int (*lps_store_walk_fn)(void *ctx, git_commit *commit);
struct lps_error *lps_store_walk(struct lps_store *store, const git_oid *from,
				 lps_store_walk_fn fn, void *ctx);

/*
 * The working tree as a commit, so readers see what the user sees
 * (uncommitted hand edits included) without anything being committed or
 * written to disk.  *out receives:
 *   - HEAD itself when the working tree and the index equal HEAD (the
 *     usual case: nothing else is done), and for a bare repository;
 *   - else a commit whose parent is HEAD and whose tree is HEAD's tree
 *     with the differences of the working tree (as `git diff HEAD` sees
 *     them: staged or not, through the index's stat data, so only changed
 *     files are read) for tracked files, plus the untracked files (not
 *     ignored) for which want(ctx, path) returns 1 (want NULL: none).
 *     Author, committer and time are HEAD's and the message fixed, so the
 *     same working tree gives the same commit id.
 * Memory: when there are changes, the new objects are written into a
 * libgit2 mempack backend (git_mempack_new) that this call adds to the
 * repository's object database with the highest priority; the database
 * owns it from then on and frees it, and every object in it, with the
 * store (lps_store_free), so *out can be read through this store only,
 * and only while it lives.  Nothing reaches the disk; the index and the
 * working tree are only read.  From then on every object written
 * through this store goes to that memory too and is lost with it, so
 * call this only in commands that do not commit, at most once per store.
 * Errors: an unborn HEAD (LPS_ENOTFOUND `unknown revision "HEAD"`),
 * reading the repository or a file (LPS_ESYS), out of memory.
 */
typedef int (*lps_store_want_fn)(void *ctx, const char *path);
struct lps_error *lps_store_worktree(struct lps_store *store,
				     lps_store_want_fn want, void *ctx,
				     git_oid *out);

#endif
