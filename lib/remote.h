/*
 * remote.h - the roundtable: joining it, publishing this portfolio as a
 * filtered projection of its history, fetching and pulling, and reading
 * other members' portfolios from the fetched refs (DESIGN section 8).
 *
 * The roundtable is an ordinary git repository (bare, on a file share or
 * any git host).  Each member publishes to their own branch
 * `members/<handle>`; meetings and norms live on the shared branch
 * `roundtable`.  Locally:
 *
 *   - git config remote "roundtable" (URL given at join) with the fetch
 *     refspec +refs/heads/(*):refs/remotes/roundtable/(*) (for plain git);
 *     lps itself fetches only +refs/heads/members/(*) into
 *     refs/remotes/roundtable/members/(*) and +refs/heads/roundtable into
 *     refs/remotes/roundtable/roundtable;
 *   - git config lps.handle = HANDLE (^[a-z0-9][a-z0-9-]{0,38}$);
 *   - lps.yaml owner.handle = HANDLE, committed by join as one commit
 *     "roundtable: join as HANDLE" (none when it already says so), so the
 *     server-side guard can check that members/<handle> carries a
 *     portfolio of that handle.
 *
 * The projection (projection.h does the work): every commit C on the
 * first-parent line of the local branch maps to a published commit P(C)
 * with C's author, committer, dates and message, whose tree is C's tree
 * minus every private path, and whose parent is P(first parent of C).
 * Private paths: documents with `visibility: private` in C or in the
 * commit being pushed (a document made private before its first push
 * never leaves the machine, not even through older commits),
 * reflections unless
 * `visibility: roundtable`, files under evidence/<id>/ when
 * evidence/<id>.yaml is private or missing, and any document that does
 * not load (it cannot be shown to be shared).  Published commits are
 * cached, so they never change once pushed.  When C added, changed or
 * removed a private path, the published subject becomes "<area>: private
 * change" and only the LPS-* trailers of the message are kept, so titles
 * of private documents do not leak through messages.  P is a function of
 * the local history (and the tip pushed): the same history gives the
 * same published commit ids on any machine, so a second machine is a
 * plain `git clone` of the first machine's portfolio (private documents
 * included) that joins with the same handle; it publishes the same
 * commits and push/pull keep both in step.  A projection where nothing
 * is private is the local commit itself (same id).
 *
 * A local commit made by `lps pull` from a published commit R carries the
 * trailer "LPS-Replayed-From: <R>"; its projection is R itself when P of
 * its parent is R's first parent and the trees agree, otherwise a commit
 * with parents P(parent) and R.  Either way the new published history
 * fast-forwards what the other machine published.
 *
 * P is cached in <gitdir>/lps/projection (lines "<local> <published>");
 * the cache is only a speed-up: lines that do not parse, or name objects
 * that are gone, are recomputed.  Pushing after one new local commit
 * projects one commit, reading only the paths that commit changed.  The
 * ref refs/lps/published points at P(HEAD) after a push so that the
 * projected objects stay reachable locally.
 *
 * Nothing here prints; progress goes through the callbacks of transport.h.
 * Killing a push or pull midway leaves the portfolio intact: fetches only
 * move remote-tracking refs, and every local change is one store commit.
 */
#ifndef LPS_REMOTE_H
#define LPS_REMOTE_H

#include <stddef.h>
#include <git2.h>
#include "error.h"
#include "portfolio.h"
#include "store.h"
#include "transport.h"

/* The git remote, the config key and the branches used. */
#define LPS_REMOTE_NAME "roundtable"
#define LPS_REMOTE_HANDLE_KEY "lps.handle"
#define LPS_REMOTE_URL_KEY "remote.roundtable.url"
#define LPS_REMOTE_FETCH_SPEC "+refs/heads/*:refs/remotes/roundtable/*"
#define LPS_REMOTE_MEMBER_PREFIX "refs/heads/members/"
#define LPS_REMOTE_TRACK_PREFIX "refs/remotes/roundtable/members/"
#define LPS_REMOTE_SHARED_BRANCH "refs/heads/roundtable"
#define LPS_REMOTE_SHARED_TRACK "refs/remotes/roundtable/roundtable"
#define LPS_REMOTE_PUBLISHED_REF "refs/lps/published"
#define LPS_REMOTE_REPLAY_TRAILER "LPS-Replayed-From"
/* Longest handle (bytes, without NUL). */
#define LPS_HANDLE_MAX 39

/* 1 when handle matches ^[a-z0-9][a-z0-9-]{0,38}$. */
int lps_remote_handle_valid(const char *handle);

/*
 * This repository's handle (git config lps.handle) into out
 * (LPS_HANDLE_MAX + 1 bytes).  Not joined (no lps.handle or no remote
 * "roundtable"): LPS_ENOTFOUND "not in a roundtable; run lps roundtable
 * join URL --as HANDLE".
 */
struct lps_error *lps_remote_handle(char *out, struct lps_store *store);

/*
 * Join: add the remote "roundtable" at url (any URL libgit2 takes: a
 * path, file://, git://, ssh://, https://), set lps.handle and commit
 * owner.handle into lps.yaml as "roundtable: join as HANDLE" with
 * trailers LPS-Command: roundtable join, LPS-Phase.  *committed (may be
 * NULL) is 1 when a commit was made.  An invalid handle: LPS_EUSAGE.
 * Already joined (remote "roundtable" exists): LPS_EREFUSED "already in
 * a roundtable at URL; run lps roundtable leave first".  lps.yaml with
 * uncommitted edits: the store's refusal, before the config is touched.
 */
struct lps_error *lps_remote_join(struct lps_portfolio *p, const char *url,
				  const char *handle, int *committed);

/*
 * Leave: remove the remote "roundtable" (with its remote-tracking refs),
 * lps.handle and refs/lps/published.  The handle stays in lps.yaml and
 * in history.  Not joined: LPS_ENOTFOUND as lps_remote_handle.
 */
struct lps_error *lps_remote_leave(struct lps_store *store);

/* The URL of the remote "roundtable" (malloc'd, caller frees). */
struct lps_error *lps_remote_url(char **out, struct lps_store *store);

/* What a push did. */
struct lps_remote_push_result {
	int up_to_date;      /* 1: the remote already had P(HEAD) */
	size_t sent;         /* commits newly on members/<handle> */
	size_t projected;    /* commits projected by this run (cache misses) */
	git_oid published;   /* P(HEAD) */
	char handle[LPS_HANDLE_MAX + 1];
};

/*
 * Push: project HEAD and update members/<handle> on the roundtable to
 * P(HEAD).  The remote branch must be an ancestor of P(HEAD), else
 * LPS_EREFUSED "members/<h> on the roundtable has commits this machine
 * has not seen; run lps pull first" (also when the server refuses a
 * non-fast-forward).  The server refusing the update (a guard hook):
 * LPS_EREFUSED with the server's reason; a roundtable on this machine
 * with the lps guard installed is asked before anything is sent
 * (LPS_EREFUSED "the roundtable refused members/<h>: lps-guard: ...").
 * Transport failures: LPS_ESYS
 * "push to URL: <libgit2 message>".  t may be NULL (no credentials from
 * the environment, no progress).
 */
struct lps_error *lps_remote_push(struct lps_remote_push_result *res,
				  struct lps_portfolio *p,
				  struct lps_transport *t);

/*
 * Fetch every members/(*) branch and the roundtable branch into their
 * remote-tracking refs (only refs move; the portfolio is not touched).
 * Branches deleted on the roundtable are pruned locally.
 */
struct lps_error *lps_remote_fetch(struct lps_store *store,
				   struct lps_transport *t);

/* What a pull did. */
struct lps_remote_pull_result {
	size_t replayed;     /* local commits made from the other machine */
	size_t rebased;      /* local commits put on top of those */
	int diverged;        /* 1: both sides had new commits */
	git_oid head;        /* local HEAD afterwards */
};

/*
 * Pull: fetch, then when members/<me> moved past P(HEAD) (commits
 * published from another machine of this member), replay each of those
 * commits, oldest first, as one local commit through the store, with
 * its original message and author plus the LPS-Replayed-From trailer.
 * Removals are replayed too, also when the other machine removed the
 * document from the published branch by making it private: it then
 * leaves this machine's tip as well (it stays on the other machine and
 * in history), so it is not published again from here.  What the local
 * tip already holds is not written again; a replay that changes nothing
 * still makes its commit (lps.yaml rewritten unchanged) so the trailer
 * exists.  Before anything is written, a document changed both by
 * local commits not yet published and by the new published commits is
 * a conflict: LPS_EREFUSED "both machines changed: PATH, PATH; ...".
 * When both sides have new commits (this machine's were not published
 * yet), the published ones are replayed on the commit the two lines
 * share and this machine's commits are put on top of them, each with
 * its own message and author (like git rebase): the published history
 * stays one line, so both machines agree on it after one exchange and
 * the next pull and push have nothing to do.  Only objects are written
 * until one move of the branch (lps_store_move), so a kill leaves the
 * old or the new line.
 * Published history that does not share a commit with the local
 * projection: LPS_EREFUSED.  A rerun after an interruption continues
 * where it stopped.
 */
/*
 * The folder of url when libgit2 would reach it through its local
 * transport (a file:// URL or an existing directory), else NULL; such
 * pushes run no hooks, so lps asks the roundtable's guard itself
 * (lps_guard_check_local).  malloc'd.
 */
char *lps_remote_local_path(const char *url);

struct lps_error *lps_remote_pull(struct lps_remote_pull_result *res,
				  struct lps_portfolio *p,
				  struct lps_transport *t);

/*
 * Members from the fetched refs, in handle order: fn is called with each
 * handle and the tip commit of refs/remotes/roundtable/members/<handle>;
 * return 0 to go on, non-zero to stop.  Nothing fetched: no calls.
 */
typedef int (*lps_remote_member_fn)(void *ctx, const char *handle,
				    const git_oid *tip);
struct lps_error *lps_remote_each_member(struct lps_store *store,
					 lps_remote_member_fn fn, void *ctx);

/*
 * The fetched tip of a member.  Unknown handle: LPS_ENOTFOUND
 * `no member "HANDLE" (run lps pull to fetch)`.
 */
struct lps_error *lps_remote_member_tip(git_oid *out, struct lps_store *store,
					const char *handle);

/* A member's portfolio summary, read from lps.yaml and goals/ at a tip. */
struct lps_remote_member {
	char handle[LPS_HANDLE_MAX + 1];
	git_oid tip;
	char *name, *role, *school, *cycle, *phase; /* malloc'd or NULL */
	size_t goals;            /* goals/<id>.yaml files */
	char last_activity[11];  /* date of the tip commit, YYYY-MM-DD */
};

/*
 * Fill m from the member's fetched tip.  lps.yaml missing or not
 * loading: LPS_EINVALID naming it (m->handle, tip, goals and date set).
 * Free the strings with lps_remote_member_clear.
 */
struct lps_error *lps_remote_member_read(struct lps_remote_member *m,
					 struct lps_store *store,
					 const char *handle);
void lps_remote_member_clear(struct lps_remote_member *m);

/*
 * Read path of a member's published portfolio (as of the fetched tip)
 * into out, and call fn for every file under dir there: as
 * lps_store_read / lps_store_foreach at that commit.
 */
struct lps_error *lps_remote_member_file(struct lps_store *store,
					 const char *handle, const char *path,
					 struct lps_buf *out);
struct lps_error *lps_remote_member_each(struct lps_store *store,
					 const char *handle, const char *dir,
					 lps_store_each_fn fn, void *ctx);

#endif
