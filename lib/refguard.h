/*
 * refguard.h - one lps at a time moves a portfolio's roundtable refs, and
 * the ref locks that a killed lps left behind are cleared.
 *
 * libgit2 moves a ref by creating "<ref>.lock", writing it and renaming
 * it over the ref.  An lps killed in between (a fetch, a push, a meeting
 * record) leaves the .lock behind, and every later move of that ref
 * fails with "failed to lock file" - as with git, until someone removes
 * it by hand.  So lps's fetches, pushes and meeting updates run inside a
 * guard:
 *
 *   - an fcntl lock on <commondir>/lps/refs.lock makes lps processes of
 *     one repository take turns;
 *   - once it is held, <commondir>/lps/refs-busy is created; it is
 *     removed when the guard is released.
 *
 * A busy mark that is already there when the guard is taken was left by
 * an lps that died holding the guard: no live lps can hold it, since we
 * do.  Every *.lock under refs/remotes/roundtable/ and refs/lps/, and
 * FETCH_HEAD.lock and packed-refs.lock, whose time is not older than that
 * mark was made while the dead lps held the guard, and is removed.
 * (Only a git process started after the dead lps and still running could
 * own one; older locks are left for the user, as git leaves them.)
 *
 * The guard nests within one process (the outermost take locks, the
 * outermost release unlocks), since fcntl locks belong to the process.
 * Not for use from two threads at once.
 */
#ifndef LPS_REFGUARD_H
#define LPS_REFGUARD_H

#include <git2.h>
#include "error.h"

/* Take the guard of repo's ref moves (waits for another lps to finish).
 * LPS_ESYS when the lock file cannot be made.  Every successful take is
 * paired with one lps_refguard_release(). */
struct lps_error *lps_refguard_take(git_repository *repo);
void lps_refguard_release(void);

/*
 * The same guard for a roundtable repository on this machine, which
 * libgit2's local transport writes directly (a killed lps push leaves
 * refs/heads/members/<handle>.lock there): its files are
 * <gitdir of path>/lps/refs.lock and refs-busy, and the stale locks
 * cleared are those under refs/heads/members/, refs/heads/roundtable.lock
 * and packed-refs.lock.  (Only a git push received meanwhile for a
 * member, on this same machine, could own one; the same rule of time
 * applies.)  Not nested: one take, one release.  A path that is no
 * repository is not an error (g->fd stays -1; the push reports it).
 */
struct lps_refguard_shared {
	int fd;
	char busy[4096];
};
struct lps_error *lps_refguard_take_shared(struct lps_refguard_shared *g,
					   const char *path);
void lps_refguard_release_shared(struct lps_refguard_shared *g);

#endif
