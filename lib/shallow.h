/*
 * shallow.h - walking the history of a shallow clone.
 *
 * A clone made with --depth (what CI hosts make by default) lists in
 * <commondir>/shallow the commits whose parents were not fetched.  git
 * treats them as roots; libgit2 1.5 does not, so its revision walk fails
 * on the first missing parent ("object not found").  lps_shallow_walk
 * walks like lps_store_walk but stops at that boundary, so the reports
 * that read history (timeline, exhibit) show what was fetched.
 *
 * Depends on store and libgit2.
 */
#ifndef LPS_SHALLOW_H
#define LPS_SHALLOW_H

#include "error.h"
#include "store.h"

/* Most commits lps_shallow_walk keeps in memory for the ordering. */
#define LPS_SHALLOW_MAX_COMMITS ((size_t)1 << 24)
/* Largest shallow file read. */
#define LPS_SHALLOW_MAX_FILE ((size_t)64 << 20)

/* 1 when the repository of store is a shallow clone, else 0. */
int lps_shallow_is(struct lps_store *store);

/*
 * As lps_store_walk (from NULL: HEAD; newest first, a parent never
 * before its children; fn returns 0 to go on, 1 to stop; an unborn HEAD
 * walks nothing), except that in a shallow clone the commits of the
 * shallow file are roots, and so is a commit whose parent is missing:
 * the walk ends there instead of failing.  *cut (may be NULL) is set to
 * 1 when a parent was left out that way, else 0.  Outside a shallow
 * clone this is lps_store_walk itself (a missing object stays an error).
 * Errors: the store's, LPS_ESYS reading the shallow file, LPS_ENOMEM,
 * LPS_EINVALID past LPS_SHALLOW_MAX_COMMITS commits.
 */
struct lps_error *lps_shallow_walk(struct lps_store *store,
				   const git_oid *from, lps_store_walk_fn fn,
				   void *ctx, int *cut);

#endif
