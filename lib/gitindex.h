/*
 * gitindex.h - git's index file (<gitdir>/index) read as bytes and
 * rewritten by splicing (DESIGN section 4: a commit costs what the
 * change costs).
 *
 * libgit2 parses every entry of an index into its own structures, sorts
 * them, and serialises all of them again to change one: at 100,000
 * documents that is most of the cost of a commit.  Here the file is read
 * once, an offset table of its entries is built, a path is found by
 * binary search, and the new file is the old bytes with the changed
 * entries spliced in (the unchanged runs copied as they are) and a new
 * trailing checksum.
 *
 * Only the plain forms are handled: versions 2 and 3, sorted entries,
 * a valid checksum (or none: an all-zero trailer, index.skipHash), and
 * the extensions TREE (kept, with the nodes along each changed path
 * invalidated as git does), UNTR, FSMN, EOIE, IEOT and any other
 * optional one (dropped, as libgit2 drops them: they are caches git
 * rebuilds).  Anything else - version 4, a split index ("link"), a
 * sparse index ("sdir"), resolve-undo ("REUC"), libgit2's conflict
 * names ("NAME"), an unknown required extension (first letter not
 * upper-case), a damaged file - is "unusual": lps_gitindex_open gives
 * no index and the caller uses libgit2.
 */
#ifndef LPS_GITINDEX_H
#define LPS_GITINDEX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include "error.h"

struct lps_gitindex;

/* One entry, as the index stores it. */
struct lps_gitindex_entry {
	uint32_t ctime_sec, ctime_nsec, mtime_sec, mtime_nsec;
	uint32_t dev, ino, mode, uid, gid, size;
	unsigned char id[20];
	unsigned stage;      /* 0, or 1-3 for the sides of a conflict */
	const char *path;    /* NUL-terminated; lps_gitindex_get: valid as
				long as the index */
	size_t path_len;
};

/*
 * Read the index file at path.  *out is NULL (and the result NULL too)
 * when there is no such file or it is unusual (see above); free it with
 * lps_gitindex_free.  Errors: reading the file (LPS_ESYS), out of
 * memory.
 */
struct lps_error *lps_gitindex_open(struct lps_gitindex **out,
				    const char *path);
void lps_gitindex_free(struct lps_gitindex *ix);

/* The index file's stat as it was read. */
const struct stat *lps_gitindex_stat(const struct lps_gitindex *ix);
/* Entries in the file as read. */
size_t lps_gitindex_count(const struct lps_gitindex *ix);

/* Entry i (< lps_gitindex_count) of the file as read, in index order. */
void lps_gitindex_at(const struct lps_gitindex *ix, size_t i,
		     struct lps_gitindex_entry *out);

/*
 * The entry (path, stage) of the file as read (changes made with
 * lps_gitindex_add/remove are not seen): 1 found (*out filled), 0 not.
 */
int lps_gitindex_get(const struct lps_gitindex *ix, const char *path,
		     unsigned stage, struct lps_gitindex_entry *out);

/*
 * Stage e (its path copied; stage 0, e->stage is ignored) for the next
 * lps_gitindex_write, replacing the entry of that path at stage 0, as
 * git_index_add does: stage-0 entries in the way of it (a file where a
 * folder of its path is, entries below a folder of its name) go too.
 * Each path may be changed once.  Errors: a second change of a path,
 * an empty path (LPS_EINVALID), out of memory.
 */
struct lps_error *lps_gitindex_add(struct lps_gitindex *ix,
				   const struct lps_gitindex_entry *e);
/* Drop path's stage-0 entry (none is fine) at the next write. */
struct lps_error *lps_gitindex_remove(struct lps_gitindex *ix,
				      const char *path);

/*
 * Called while writing for each entry copied from the old file whose
 * file may have changed within the second the old index was written
 * (its mtime is not older than the index file's; submodules excepted),
 * as git checks them: return 1 when the file's content differs from
 * the entry although its stat data looks the same; the entry is then
 * written with size 0 ("smudged") so that git and libgit2 read the file
 * again instead of trusting the stat data.
 */
typedef int (*lps_gitindex_racy_fn)(void *ctx,
				    const struct lps_gitindex_entry *e);

/*
 * Write the new index - the old one with the changes staged - to path,
 * which must not exist (created 0666 less umask); the caller renames it
 * into place.  Nothing is left at path on failure.  Errors: writing
 * (LPS_ESYS), out of memory.
 */
struct lps_error *lps_gitindex_write(struct lps_gitindex *ix,
				     const char *path,
				     lps_gitindex_racy_fn racy, void *ctx);

#endif
