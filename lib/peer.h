/*
 * peer.h - feedback between roundtable members, read from the fetched
 * members' branches (refs/remotes/roundtable/members/<handle>).
 *
 * Feedback a member gives lives in the giver's own portfolio as
 * feedback/<id>.yaml with `to: <handle>` and `on: <item id>` and travels
 * with the giver's published branch; so what I received is gathered
 * from every other member's fetched branch.
 *
 * Depends on doc, registry, portfolio and remote; never prints.
 */
#ifndef LPS_PEER_H
#define LPS_PEER_H

#include "doc.h"
#include "error.h"
#include "store.h"

/* At most this many feedback documents are gathered from one member. */
#define LPS_PEER_MAX_PER_MEMBER 100000

/*
 * Resolve what the user typed for --on ("g-3f9", "3f9") against the goals,
 * evidence and reflections of member handle's fetched branch, into id
 * (LPS_ID_LEN + 1 bytes).  "g-"/"e-"/"r-" look in their folder only;
 * bare hex in all three.  Unknown member: remote's LPS_ENOTFOUND;
 * nothing matches: LPS_ENOTFOUND `HANDLE has no goal, evidence or
 * reflection matching "x"`; several: LPS_EINVALID listing them;
 * malformed: LPS_EUSAGE.
 */
struct lps_error *lps_peer_resolve_on(char *id, struct lps_store *store,
				      const char *handle, const char *typed);

/* Told about a document that does not load or validate (left out). */
typedef void (*lps_peer_warn_fn)(void *ctx, const char *member,
				 const struct lps_error *problem);

/*
 * Gather, from every fetched member's branch, the feedback documents
 * whose `to` is handle, into a new document *out whose root is a
 * sequence of copies of them, each with an added key `member` (the
 * giver's handle), sorted by date, then member, then id.  Documents
 * that do not load or validate go to warn (may be NULL).  The caller
 * frees *out.  Nothing fetched: an empty sequence.
 */
struct lps_error *lps_peer_received(struct lps_doc **out,
				    struct lps_store *store,
				    const char *handle,
				    lps_peer_warn_fn warn, void *wctx);

#endif
