/*
 * store-int.h - what the store's own files (store.c, store-commit.c,
 * store-ident.c) share.  Not for other modules: they use store.h.
 */
#ifndef LPS_STORE_INT_H
#define LPS_STORE_INT_H

#include "store.h"

/* Raw trees kept read and checked (store-tree.c): the root, a big folder
 * and the new versions of both. */
#define LPS_STORE_RAW_CACHE 4

struct lps_rawtree;

struct lps_store {
	git_repository *repo;    /* owned */
	char *workdir;           /* owned copy with trailing slash; NULL if bare */
	lps_store_race_hook race_hook;
	void *race_ctx;
	struct lps_rawtree *raw[LPS_STORE_RAW_CACHE]; /* owned (counted) */
	unsigned raw_next;       /* the slot to reuse next */
	git_odb_backend *loose;  /* loose objects at git's level, or NULL;
				    owned when loose_owned, else by the odb */
	int loose_owned;
	int in_memory;           /* lps_store_worktree put a mempack first */
	int recovered;           /* lps_store_recover found an interrupted
				    commit (lps_store_recovered) */
};

/* Objects from this size on are hashed by lps (sha1.c) and written to
 * store->loose directly: libgit2 hashes with the slower SHA1DC. */
#define LPS_STORE_BIG_OBJECT ((size_t)64 << 10)

/* One entry of a change set.  remove: delete path (data is NULL). */
struct lps_change {
	char *path;  /* owned, validated */
	char *data;  /* owned, len bytes (NUL-terminated for convenience) */
	size_t len;
	int remove;
};

struct lps_changeset {
	struct lps_change *v; /* owned array of n entries, kept in path order */
	size_t n, cap;
};

/* Bounds on what a change set may hold. */
#define LPS_STORE_MAX_PATH 4096
#define LPS_STORE_MAX_FILE ((size_t)100 << 20)
#define LPS_STORE_MAX_CHANGES 100000
/* Largest tree object kept in libgit2's object cache. */
#define LPS_STORE_TREE_CACHE_LIMIT ((size_t)64 << 20)

/*
 * An LPS_ESYS error "WHAT: <libgit2's last message>" (printf-style WHAT).
 * GIT_ENOMEM-like failures still come out as LPS_ESYS; libgit2 does not
 * tell them apart reliably.
 */
struct lps_error *lps_store__git_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/*
 * The author and committer for a new commit, as git would pick them:
 * GIT_AUTHOR_NAME/EMAIL/DATE and GIT_COMMITTER_NAME/EMAIL/DATE when set,
 * else user.name/user.email from the repository's configuration and the
 * current time.  Both are owned by the caller (git_signature_free).
 * No name or email: LPS_EREFUSED saying how to set them.  A date that
 * cannot be read: LPS_EINVALID naming the variable.
 */
struct lps_error *lps_store__signatures(git_repository *repo,
					git_signature **author,
					git_signature **committer);

/*
 * Parse a date as git accepts it in GIT_AUTHOR_DATE: "<epoch> <+hhmm>",
 * "@<epoch>[ <+hhmm>]", or ISO 8601 "YYYY-MM-DD[T ]HH:MM:SS" with an
 * optional fraction and "Z", "+hh:mm" or "+hhmm" (local time without a
 * zone).  0 on success, -1 when s is not such a date.
 */
int lps_store__parse_date(const char *s, git_time_t *when, int *offset_min);

/*
 * Raw trees (store-tree.c).  LPS_RAW_UNUSUAL: the tree or the change is
 * not one these functions handle exactly as libgit2 would; use libgit2.
 * -1: a libgit2 error (its message is set).
 */
#define LPS_RAW_UNUSUAL 1

/*
 * Look up path in the tree `tree` in the raw tree objects, as
 * git_tree_entry_bypath would: 0 found (*id, *mode), GIT_ENOTFOUND,
 * LPS_RAW_UNUSUAL or -1.  Each tree is read and checked once per store
 * (a few are kept), then searched by bisection.
 */
int lps_store__raw_bypath(struct lps_store *store, const git_oid *tree,
			  const char *path, git_oid *id, unsigned *mode);

/*
 * What git_tree_create_updated(out, repo, base, n, updates) does, giving
 * the same object ids, by splicing the changed entries into the raw old
 * trees: 0 (*out written), LPS_RAW_UNUSUAL (nothing needed is written)
 * or -1.
 */
int lps_store__raw_update(git_oid *out, struct lps_store *store,
			  const git_tree *base, size_t n,
			  const git_tree_update *updates);

/* Drop the raw trees the store keeps. */
void lps_store__raw_clear(struct lps_store *store);

#endif
