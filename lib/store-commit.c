/*
 * store-commit.c - turning a change set into one commit (DESIGN section 4).
 *
 * Order of work, chosen so that a crash at any point leaves the old or the
 * new state and never loses what the user typed:
 *
 *   1. lock: <commondir>/lps.lock with fcntl (lps writers queue on it), then
 *      <gitdir>/index.lock created O_EXCL exactly as git does, so git and
 *      lps never write the index at the same time; an existing index.lock
 *      is refused at once.  Both are held to the end.
 *   2. read HEAD (symbolic: the branch; detached: refused) and the index,
 *      once; check every path of the change set against HEAD, the index
 *      and the working tree; refuse before writing anything.
 *   3. write blobs, then the trees along the changed paths only (the
 *      changed entries spliced into the raw old trees, store-tree.c, or
 *      git_tree_create_updated for anything unusual: the same trees),
 *      then the commit.
 *   4. move the branch with a compare-and-swap on the tip we built on; on
 *      a lost race re-read the tip, make sure none of our paths changed
 *      there, rebuild on it, and try again (LPS_STORE_ATTEMPTS in all).
 *   5. write the working-tree files (temp file + rename) and the index
 *      entries of the changed paths, then the index.
 *
 * Between 4 and the end of 5 the branch is ahead of the index and the
 * working tree.  So just before the branch moves, <gitdir>/lps-pending
 * records "<old tip> <new commit> <branch>" (old tip all zeros on an
 * unborn branch), and it is removed when 5 is done or the move did not
 * happen.  An lps killed in between leaves it behind; the next lps that
 * takes the locks (every commit, and lps_store_open when the note is
 * there) finishes step 5 for the paths that commit changed, when the
 * branch is still at that commit: each path whose index entry and file
 * still hold the old content (or already the new) is brought to the new
 * content, and a path the user changed meanwhile is left as it is.
 *
 * The index: a plain one (versions 2 and 3, the usual extensions) is read
 * as bytes by gitindex.c, looked up by binary search, and written to
 * "<gitdir>/lps-index" as the old bytes with the changed entries spliced
 * in, checking racily-clean entries as git does (racy_differs); we
 * rename lps-index over index while still holding index.lock - the same
 * protocol git follows with its index.lock.  Anything else goes through
 * libgit2, which writes an index by creating "<its path>.lock" and
 * renaming it over its path, which would collide with the index.lock we
 * hold.  So that index is read through a hard link "<gitdir>/lps-index"
 * (a copy where links are not possible); libgit2 writes lps-index.lock
 * and renames it to lps-index (the real index is untouched: the rename
 * replaces the link, not the file), and we rename lps-index over index
 * as above.  That git_index is attached to the repository while we work
 * so that libgit2 smudges racily-clean entries as git would.
 */
#include "store-int.h"
#include "gitindex.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <git2/sys/repository.h>

/* How many times the branch move is tried before giving up. */
#define LPS_STORE_ATTEMPTS 5

struct commit_ctx {
	struct lps_store *store;
	git_repository *repo;
	const struct lps_changeset *cs;
	char *lps_lock;        /* <commondir>/lps.lock */
	char *index_lock;      /* <gitdir>/index.lock */
	char *index_path;      /* <gitdir>/index */
	char *work_index;      /* <gitdir>/lps-index */
	char *work_index_lock; /* <gitdir>/lps-index.lock */
	char *pending;         /* <gitdir>/lps-pending */
	int lps_fd;
	int index_lock_fd;
	struct lps_gitindex *gix; /* the index as bytes (gitindex.c), or */
	git_index *index;         /* libgit2's, for what gitindex.c leaves */
	git_index *attr_index;    /* with gix: its .gitattributes entries */
	int have_index_stat;
	struct stat index_st;
	git_oid *blobs;        /* one per change (unused for removals) */
	unsigned char *skip;   /* recovery: changes left as the user has them */
	git_signature *author, *committer;
	git_buf msg;
	char *reflog_subject;
	int plain_reflog;      /* the subject alone, not "commit: ..." */
	char *branch;          /* "refs/heads/..." */
	int unborn;
	git_oid tip;
	git_tree *tip_tree;    /* NULL when unborn */
	git_oid commit;
};

static char *join(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *s = malloc(na + nb + 1);
	if (s) {
		memcpy(s, a, na);
		memcpy(s + na, b, nb + 1);
	}
	return s;
}

static struct lps_error *sys_error(const char *what, const char *path)
{
	return lps_error_new(LPS_ESYS, "%s %s: %s", what, path,
			     strerror(errno));
}

/* ---- 1. locks ---- */

/*
 * What lps writes into the index.lock it holds.  Git's own index.lock
 * holds a new index (or nothing yet), never this, so an index.lock with
 * this content was left by an lps that died holding it: since we hold
 * lps.lock, no live lps can own it.
 */
#define LPS_INDEX_LOCK_MARK "lps-store-lock\n"

/* 1 when the file at path holds exactly LPS_INDEX_LOCK_MARK. */
static int is_lps_lock(const char *path)
{
	char buf[sizeof(LPS_INDEX_LOCK_MARK) + 8];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	return n == (ssize_t)strlen(LPS_INDEX_LOCK_MARK) &&
	       memcmp(buf, LPS_INDEX_LOCK_MARK, (size_t)n) == 0;
}

/*
 * Create index.lock holding the mark, atomically: the mark is written to
 * a file of our own and linked into place, so index.lock never exists
 * without it (a kill at any moment leaves either no lock or a marked one).
 */
static int create_index_lock(struct commit_ctx *c)
{
	size_t n = strlen(c->index_lock) + 32;
	char *tmp = malloc(n);
	if (!tmp) {
		errno = ENOMEM;
		return -1;
	}
	snprintf(tmp, n, "%s.lps-%ld", c->index_lock, (long)getpid());
	int rc = -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd >= 0) {
		size_t len = strlen(LPS_INDEX_LOCK_MARK);
		if (write(fd, LPS_INDEX_LOCK_MARK, len) == (ssize_t)len &&
		    close(fd) == 0)
			rc = link(tmp, c->index_lock);
		else
			close(fd);
	}
	int saved = errno;
	unlink(tmp);
	free(tmp);
	errno = saved;
	if (rc == 0) {
		c->index_lock_fd = open(c->index_lock, O_RDONLY | O_CLOEXEC);
		if (c->index_lock_fd < 0) {
			saved = errno;
			unlink(c->index_lock);
			errno = saved;
			return -1;
		}
	}
	return rc;
}

static struct lps_error *take_locks(struct commit_ctx *c)
{
	c->lps_fd = open(c->lps_lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (c->lps_fd < 0)
		return sys_error("cannot open", c->lps_lock);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	while (fcntl(c->lps_fd, F_SETLKW, &fl) < 0) {
		if (errno != EINTR)
			return sys_error("cannot lock", c->lps_lock);
	}
	if (create_index_lock(c) == 0)
		return NULL;
	if (errno == EEXIST && is_lps_lock(c->index_lock)) {
		/* Left by an lps that was killed: ours to clear. */
		if (unlink(c->index_lock) < 0 && errno != ENOENT)
			return sys_error("cannot remove", c->index_lock);
		if (create_index_lock(c) == 0)
			return NULL;
	}
	if (errno == EEXIST)
		return lps_error_new(LPS_EREFUSED,
				     "cannot lock the index: %s exists; "
				     "another git process may be running (if "
				     "not, remove that file)", c->index_lock);
	return sys_error("cannot create", c->index_lock);
}

/* Drop the .gitattributes index from the repository (attr_index). */
static void drop_attr_index(struct commit_ctx *c)
{
	if (c->attr_index) {
		git_repository_set_index(c->repo, NULL);
		git_index_free(c->attr_index);
		c->attr_index = NULL;
	}
}

static void release(struct commit_ctx *c)
{
	drop_attr_index(c);
	lps_gitindex_free(c->gix);
	c->gix = NULL;
	if (c->index) {
		git_repository_set_index(c->repo, NULL);
		git_index_free(c->index);
		c->index = NULL;
	}
	if (c->index_lock_fd >= 0) {
		/* lps-index is ours only while we hold the locks. */
		unlink(c->work_index);
		close(c->index_lock_fd);
		unlink(c->index_lock);
		c->index_lock_fd = -1;
	}
	if (c->lps_fd >= 0) {
		close(c->lps_fd); /* drops the fcntl lock */
		c->lps_fd = -1;
	}
}

/* ---- 2. HEAD, index, checks ---- */

static struct lps_error *read_head(struct commit_ctx *c)
{
	git_reference *head = NULL;
	if (git_reference_lookup(&head, c->repo, "HEAD") < 0)
		return lps_store__git_error("cannot read HEAD");
	if (git_reference_type(head) != GIT_REFERENCE_SYMBOLIC) {
		git_reference_free(head);
		return lps_error_new(LPS_EREFUSED,
				     "HEAD is detached; check out a branch "
				     "first");
	}
	c->branch = strdup(git_reference_symbolic_target(head));
	git_reference_free(head);
	if (!c->branch)
		return lps_error_nomem();
	if (strncmp(c->branch, "refs/heads/", 11) != 0)
		return lps_error_new(LPS_EREFUSED,
				     "HEAD points to %s, not to a branch",
				     c->branch);
	return NULL;
}

/* Read the branch tip into c->tip / c->tip_tree (unborn: none). */
static struct lps_error *read_tip(struct commit_ctx *c)
{
	git_tree_free(c->tip_tree);
	c->tip_tree = NULL;
	int rc = git_reference_name_to_id(&c->tip, c->repo, c->branch);
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		c->unborn = 1;
		return NULL;
	}
	if (rc < 0)
		return lps_store__git_error("cannot read %s", c->branch);
	c->unborn = 0;
	git_commit *tip = NULL;
	if (git_commit_lookup(&tip, c->repo, &c->tip) < 0)
		return lps_store__git_error("cannot read the tip of %s",
					    c->branch);
	rc = git_commit_tree(&c->tip_tree, tip);
	git_commit_free(tip);
	if (rc < 0)
		return lps_store__git_error("cannot read the tree of %s",
					    c->branch);
	return NULL;
}

static int copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, ok = -1;
	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (out < 0)
		goto done;
	char buf[65536];
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto done;
		if (n == 0)
			break;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				goto done;
			off += w;
		}
	}
	ok = 0;
done:
	if (out >= 0 && close(out) < 0)
		ok = -1;
	close(in);
	return ok;
}

static struct lps_error *open_index(struct commit_ctx *c)
{
	/* Leftovers of an lps that died here: ours, since we hold the locks. */
	unlink(c->work_index);
	unlink(c->work_index_lock);
	/* The plain index, as bytes; libgit2 for anything else. */
	struct lps_error *err = lps_gitindex_open(&c->gix, c->index_path);
	if (err)
		return err;
	if (c->gix) {
		c->index_st = *lps_gitindex_stat(c->gix);
		c->have_index_stat = 1;
		return NULL;
	}
	if (stat(c->index_path, &c->index_st) == 0) {
		c->have_index_stat = 1;
		if (link(c->index_path, c->work_index) < 0 &&
		    copy_file(c->index_path, c->work_index) < 0)
			return sys_error("cannot copy the index to",
					 c->work_index);
	} else if (errno != ENOENT) {
		return sys_error("cannot stat", c->index_path);
	}
	if (git_index_open(&c->index, c->work_index) < 0)
		return lps_store__git_error("cannot read the index");
	if (git_repository_set_index(c->repo, c->index) < 0)
		return lps_store__git_error("cannot use the index");
	return NULL;
}

static struct lps_error *refuse_dirty(const char *path)
{
	return lps_error_at(LPS_EREFUSED, path, 0, 0,
			    "has uncommitted changes; commit or discard them "
			    "first");
}

struct lps_error *lps_store_check_clean(struct lps_store *store,
					const char *path)
{
	unsigned int flags = 0;
	if (!store->workdir)
		return NULL;
	int rc = git_status_file(&flags, store->repo, path);
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		return NULL;
	}
	if (rc < 0)
		return lps_store__git_error("%s: cannot read its status", path);
	if (flags & ~(unsigned)GIT_STATUS_IGNORED)
		return refuse_dirty(path);
	return NULL;
}

/*
 * Whether the index entry's stat data still describes the file, so its
 * id can stand for the file's content without hashing.  An entry written
 * in the same second as the index file is "racy" (the file may have
 * changed within that second after it was staged) and never trusted.
 */
static int stat_matches(const struct commit_ctx *c,
			const struct lps_gitindex_entry *ie,
			const struct stat *st)
{
	if (!c->have_index_stat ||
	    (int64_t)(int32_t)ie->mtime_sec >= (int64_t)c->index_st.st_mtime)
		return 0;
	if (ie->mtime_sec != (uint32_t)st->st_mtime ||
	    ie->ctime_sec != (uint32_t)st->st_ctime)
		return 0;
	/* Nanoseconds only when the index recorded them at all. */
	if (ie->mtime_nsec && ie->mtime_nsec != (uint32_t)st->st_mtim.tv_nsec)
		return 0;
	if (ie->size != (uint32_t)st->st_size ||
	    ie->ino != (uint32_t)st->st_ino)
		return 0;
	int exec = (st->st_mode & S_IXUSR) != 0;
	if (!S_ISREG(st->st_mode) ||
	    exec != (ie->mode == GIT_FILEMODE_BLOB_EXECUTABLE))
		return 0;
	return 1;
}

/* The index entry (path, stage), from whichever reader has the index:
 * 1 found (*out; its path is not set from libgit2), 0 not. */
static int index_get(struct commit_ctx *c, const char *path, int stage,
		     struct lps_gitindex_entry *out)
{
	if (c->gix)
		return lps_gitindex_get(c->gix, path, (unsigned)stage, out);
	const git_index_entry *ie = git_index_get_bypath(c->index, path,
							 stage);
	git_error_clear();
	if (!ie)
		return 0;
	memset(out, 0, sizeof(*out));
	out->ctime_sec = (uint32_t)ie->ctime.seconds;
	out->ctime_nsec = ie->ctime.nanoseconds;
	out->mtime_sec = (uint32_t)ie->mtime.seconds;
	out->mtime_nsec = ie->mtime.nanoseconds;
	out->dev = ie->dev;
	out->ino = ie->ino;
	out->mode = ie->mode;
	out->uid = ie->uid;
	out->gid = ie->gid;
	out->size = ie->file_size;
	memcpy(out->id, ie->id.id, sizeof(out->id));
	out->stage = (unsigned)stage;
	return 1;
}

/* Stage e at stage 0 in whichever reader has the index. */
static struct lps_error *index_add(struct commit_ctx *c,
				   const struct lps_gitindex_entry *e)
{
	if (c->gix)
		return lps_gitindex_add(c->gix, e);
	git_index_entry ie;
	memset(&ie, 0, sizeof(ie));
	ie.ctime.seconds = (int32_t)e->ctime_sec;
	ie.ctime.nanoseconds = e->ctime_nsec;
	ie.mtime.seconds = (int32_t)e->mtime_sec;
	ie.mtime.nanoseconds = e->mtime_nsec;
	ie.dev = e->dev;
	ie.ino = e->ino;
	ie.mode = e->mode;
	ie.uid = e->uid;
	ie.gid = e->gid;
	ie.file_size = e->size;
	memcpy(ie.id.id, e->id, sizeof(e->id));
	ie.path = e->path;
	if (git_index_add(c->index, &ie) < 0)
		return lps_store__git_error("%s: cannot stage it", e->path);
	return NULL;
}

/* Unstage path (stage 0; none is fine) in whichever reader has it. */
static struct lps_error *index_remove(struct commit_ctx *c, const char *path)
{
	if (c->gix)
		return lps_gitindex_remove(c->gix, path);
	struct lps_error *err = NULL;
	if (git_index_remove(c->index, path, 0) < 0 &&
	    git_index_get_bypath(c->index, path, 0))
		err = lps_store__git_error("%s: cannot unstage it", path);
	git_error_clear();
	return err;
}

/*
 * Hashing a working-tree file as git would (git_repository_hashfile)
 * applies the filters of .gitattributes, and libgit2 looks for those
 * in the repository's index too: with no index attached it parses the
 * whole index file first (0.48e9 instructions at 100,000 documents),
 * the work gitindex.c saves.  So, with gitindex.c, the repository gets
 * an index in memory holding just the .gitattributes entries of the
 * real one: the attributes are found as before, nothing else is read.
 * Once per commit, before the first such hash.  0, or -1 (libgit2's
 * error set).
 */
static int attach_attr_index(struct commit_ctx *c)
{
	if (!c->gix || c->attr_index)
		return 0;
	static const char name[] = ".gitattributes";
	const size_t nlen = sizeof(name) - 1;
	if (git_index_new(&c->attr_index) < 0)
		return -1;
	size_t n = lps_gitindex_count(c->gix);
	for (size_t i = 0; i < n; i++) {
		struct lps_gitindex_entry ge;
		lps_gitindex_at(c->gix, i, &ge);
		if (ge.stage != 0 || ge.path_len < nlen ||
		    memcmp(ge.path + ge.path_len - nlen, name, nlen) != 0 ||
		    (ge.path_len > nlen && ge.path[ge.path_len - nlen - 1] != '/'))
			continue;
		git_index_entry e;
		memset(&e, 0, sizeof(e));
		e.mode = ge.mode;
		e.path = ge.path;
		memcpy(e.id.id, ge.id, sizeof(ge.id));
		if (git_index_add(c->attr_index, &e) < 0)
			return -1;
	}
	return git_repository_set_index(c->repo, c->attr_index);
}

/*
 * git_tree_entry_bypath's answer for path in tree (NULL: none), from the
 * raw tree objects when they are plain (a folder of 100,000 documents is
 * then scanned, not parsed): 0 found (*id, *mode), GIT_ENOTFOUND, or
 * another libgit2 error.
 */
static int tree_lookup(struct lps_store *store, const git_tree *tree,
		       const char *path, git_oid *id, unsigned *mode)
{
	if (!tree)
		return GIT_ENOTFOUND;
	int rc = lps_store__raw_bypath(store, git_tree_id(tree), path, id,
				       mode);
	if (rc != LPS_RAW_UNUSUAL)
		return rc;
	git_error_clear();
	git_tree_entry *te = NULL;
	rc = git_tree_entry_bypath(&te, tree, path);
	if (rc == 0) {
		git_oid_cpy(id, git_tree_entry_id(te));
		*mode = (unsigned)git_tree_entry_filemode(te);
		git_tree_entry_free(te);
	}
	return rc;
}

/* The type of an entry of that mode, as git_tree_entry_type says. */
static git_object_t mode_type(unsigned mode)
{
	switch (mode & 0170000) {
	case 0040000:
		return GIT_OBJECT_TREE;
	case 0100000:
	case 0120000:
		return GIT_OBJECT_BLOB;
	case 0160000:
		return GIT_OBJECT_COMMIT;
	default:
		return GIT_OBJECT_INVALID;
	}
}

/*
 * The rule for each path: the index and the working tree must each hold
 * either what HEAD has or exactly what we are about to write (for a
 * removal: nothing); anything else is the user's work and is refused.
 * A file missing from the working tree loses nothing.
 */
static struct lps_error *check_change(struct commit_ctx *c, size_t i)
{
	const struct lps_change *ch = &c->cs->v[i];
	const git_oid *target = ch->remove ? NULL : &c->blobs[i];
	git_oid head_id;
	unsigned head_mode = 0;
	int in_head = 0;
	struct lps_error *err = NULL;
	char *full = NULL;

	if (c->tip_tree) {
		int rc = tree_lookup(c->store, c->tip_tree, ch->path, &head_id,
				     &head_mode);
		if (rc == 0) {
			if (mode_type(head_mode) != GIT_OBJECT_BLOB) {
				err = lps_error_at(LPS_EINVALID, ch->path, 0,
						   0, "is a folder in %s",
						   c->branch);
				goto out;
			}
			in_head = 1;
		} else if (rc != GIT_ENOTFOUND) {
			err = lps_store__git_error("%s: cannot look it up",
						   ch->path);
			goto out;
		}
		git_error_clear();
	}
	if (ch->remove && !in_head) {
		err = lps_error_at(LPS_ENOTFOUND, ch->path, 0, 0,
				   "cannot remove: not in %s", c->branch);
		goto out;
	}

	struct lps_gitindex_entry ie = { 0 };
	for (int stage = 1; stage <= 3; stage++)
		if (index_get(c, ch->path, stage, &ie)) {
			err = refuse_dirty(ch->path);
			goto out;
		}
	int have_ie = index_get(c, ch->path, 0, &ie);
	git_oid ie_id;
	git_oid_fromraw(&ie_id, ie.id);
	int index_ok;
	if (have_ie)
		index_ok = (in_head && git_oid_equal(&ie_id, &head_id)) ||
			   (target && git_oid_equal(&ie_id, target));
	else
		index_ok = !in_head || !target;
	if (!index_ok) {
		err = refuse_dirty(ch->path);
		goto out;
	}

	full = join(c->store->workdir, ch->path);
	if (!full) {
		err = lps_error_nomem();
		goto out;
	}
	struct stat st;
	if (lstat(full, &st) < 0) {
		if (errno == ENOENT)
			goto out; /* nothing to lose */
		if (errno == ENOTDIR) {
			err = lps_error_at(LPS_EREFUSED, ch->path, 0, 0,
					   "a file in the working tree is in "
					   "the way of its folder");
			goto out;
		}
		err = sys_error("cannot stat", full);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err = refuse_dirty(ch->path);
		goto out;
	}
	git_oid wt;
	if (have_ie && stat_matches(c, &ie, &st)) {
		git_oid_cpy(&wt, &ie_id);
	} else if (attach_attr_index(c) < 0 ||
		   git_repository_hashfile(&wt, c->repo, full, GIT_OBJECT_BLOB,
					   ch->path) < 0) {
		err = lps_store__git_error("%s: cannot read it", ch->path);
		goto out;
	}
	if (!((in_head && git_oid_equal(&wt, &head_id)) ||
	      (target && git_oid_equal(&wt, target))))
		err = refuse_dirty(ch->path);
out:
	free(full);
	return err;
}

/* A parent folder of a path must not be a file, in HEAD or on disk. */
static struct lps_error *check_parents(struct commit_ctx *c, const char *path)
{
	struct lps_error *err = NULL;
	char *full = join(c->store->workdir, path);
	if (!full)
		return lps_error_nomem();
	size_t base = strlen(c->store->workdir);
	for (char *p = full + base; (p = strchr(p, '/')); p++) {
		*p = '\0';
		git_oid id;
		unsigned mode;
		if (tree_lookup(c->store, c->tip_tree, full + base, &id,
				&mode) == 0 &&
		    mode_type(mode) != GIT_OBJECT_TREE)
			err = lps_error_at(LPS_EINVALID, path, 0, 0,
					   "%s is a file in %s", full + base,
					   c->branch);
		git_error_clear();
		struct stat st;
		if (!err && lstat(full, &st) == 0 && !S_ISDIR(st.st_mode))
			err = lps_error_at(LPS_EREFUSED, path, 0, 0,
					   "%s is in the way in the working "
					   "tree", full + base);
		*p = '/';
		if (err)
			break;
	}
	free(full);
	return err;
}

static struct lps_error *write_blobs(struct commit_ctx *c)
{
	c->blobs = calloc(c->cs->n ? c->cs->n : 1, sizeof(*c->blobs));
	if (!c->blobs)
		return lps_error_nomem();
	for (size_t i = 0; i < c->cs->n; i++) {
		const struct lps_change *ch = &c->cs->v[i];
		if (ch->remove)
			continue;
		if (git_blob_create_from_buffer(&c->blobs[i], c->repo,
						ch->data, ch->len) < 0)
			return lps_store__git_error("%s: cannot store it",
						    ch->path);
	}
	return NULL;
}

/* ---- 3. tree and commit ---- */

static struct lps_error *make_commit(struct commit_ctx *c)
{
	struct lps_error *err = NULL;
	git_tree *tree = NULL;
	git_commit *parent = NULL;
	git_oid tree_id;
	git_tree_update *up = calloc(c->cs->n, sizeof(*up));
	if (!up)
		return lps_error_nomem();
	for (size_t i = 0; i < c->cs->n; i++) {
		const struct lps_change *ch = &c->cs->v[i];
		up[i].action = ch->remove ? GIT_TREE_UPDATE_REMOVE :
					    GIT_TREE_UPDATE_UPSERT;
		if (!ch->remove)
			git_oid_cpy(&up[i].id, &c->blobs[i]);
		up[i].filemode = GIT_FILEMODE_BLOB;
		up[i].path = ch->path;
	}
	/* The splice of the raw trees, or libgit2's treebuilder for
	 * anything it does not handle; the same tree either way. */
	int rc = lps_store__raw_update(&tree_id, c->store, c->tip_tree,
				       c->cs->n, up);
	if (rc == LPS_RAW_UNUSUAL) {
		git_error_clear();
		rc = git_tree_create_updated(&tree_id, c->repo, c->tip_tree,
					     c->cs->n, up);
	}
	if (rc < 0) {
		err = lps_store__git_error("cannot build the new tree");
		goto out;
	}
	if (git_tree_lookup(&tree, c->repo, &tree_id) < 0 ||
	    (!c->unborn && git_commit_lookup(&parent, c->repo, &c->tip) < 0)) {
		err = lps_store__git_error("cannot read the new tree");
		goto out;
	}
	const git_commit *parents[1] = { parent };
	if (git_commit_create(&c->commit, c->repo, NULL, c->author,
			      c->committer, NULL, c->msg.ptr, tree,
			      parent ? 1 : 0, parents) < 0)
		err = lps_store__git_error("cannot create the commit");
out:
	git_commit_free(parent);
	git_tree_free(tree);
	free(up);
	return err;
}

/* ---- 4. moving the branch ---- */

/* 0 moved, 1 lost the race (2: the ref was locked), -1 error in *err. */
static int move_branch(struct commit_ctx *c, struct lps_error **err)
{
	git_reference *ref = NULL;
	char logmsg[300];
	if (c->plain_reflog)
		snprintf(logmsg, sizeof(logmsg), "%s", c->reflog_subject);
	else
		snprintf(logmsg, sizeof(logmsg), "commit%s: %s",
			 c->unborn ? " (initial)" : "", c->reflog_subject);
	int rc;
	if (c->unborn)
		rc = git_reference_create(&ref, c->repo, c->branch, &c->commit,
					  0, logmsg);
	else
		rc = git_reference_create_matching(&ref, c->repo, c->branch,
						   &c->commit, 1, &c->tip,
						   logmsg);
	git_reference_free(ref);
	if (rc == 0)
		return 0;
	if (rc == GIT_EEXISTS || rc == GIT_EMODIFIED || rc == GIT_ELOCKED) {
		git_error_clear();
		return rc == GIT_ELOCKED ? 2 : 1;
	}
	*err = lps_store__git_error("cannot update %s", c->branch);
	return -1;
}

/* 1 when path has the same entry (or none) in both trees. */
static int same_entry(struct lps_store *store, const git_tree *a,
		      const git_tree *b, const char *path)
{
	git_oid ia, ib;
	unsigned ma = 0, mb = 0;
	int fa = tree_lookup(store, a, path, &ia, &ma) == 0;
	int fb = tree_lookup(store, b, path, &ib, &mb) == 0;
	git_error_clear();
	return (!fa && !fb) ||
	       (fa && fb && git_oid_equal(&ia, &ib) && ma == mb);
}

/*
 * Someone moved the branch under us.  Our checks of the index and working
 * tree were made against the old tip; they still hold on the new tip when
 * none of our paths differ between the two, and then the change set can
 * simply be re-applied there.
 */
static struct lps_error *follow_new_tip(struct commit_ctx *c)
{
	git_tree *old_tree = c->tip_tree;
	c->tip_tree = NULL;
	struct lps_error *err = read_tip(c);
	for (size_t i = 0; !err && i < c->cs->n; i++)
		if (!same_entry(c->store, old_tree, c->tip_tree,
				c->cs->v[i].path))
			err = lps_error_at(LPS_ECONFLICT, c->cs->v[i].path, 0,
					   0, "was changed by another commit "
					   "on %s meanwhile; try again",
					   c->branch);
	git_tree_free(old_tree);
	return err;
}

/* ---- 5. working tree and index ---- */

static struct lps_error *make_parents(const char *workdir, const char *path)
{
	char *full = join(workdir, path);
	if (!full)
		return lps_error_nomem();
	struct lps_error *err = NULL;
	for (char *p = full + strlen(workdir); (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(full, 0777) < 0 && errno != EEXIST)
			err = sys_error("cannot create the folder", full);
		*p = '/';
		if (err)
			break;
	}
	free(full);
	return err;
}

/* Remove the folders of path that the removal left empty. */
static void prune_parents(const char *workdir, const char *path)
{
	char *full = join(workdir, path);
	if (!full)
		return;
	size_t base = strlen(workdir);
	for (char *p = strrchr(full + base, '/'); p;
	     p = strrchr(full + base, '/')) {
		*p = '\0';
		if (rmdir(full) < 0)
			break;
	}
	free(full);
}

static struct lps_error *update_one(struct commit_ctx *c, size_t i)
{
	const struct lps_change *ch = &c->cs->v[i];
	const char *wd = c->store->workdir;
	char *full = join(wd, ch->path);
	if (!full)
		return lps_error_nomem();
	struct lps_error *err = NULL;
	if (ch->remove) {
		if (unlink(full) < 0 && errno != ENOENT)
			err = sys_error("cannot remove", full);
		else
			prune_parents(wd, ch->path);
		if (!err)
			err = index_remove(c, ch->path);
		goto out;
	}
	if ((err = make_parents(wd, ch->path)) ||
	    (err = lps_write_file_atomic(full, ch->data, ch->len, 0666)))
		goto out;
	struct stat st;
	if (lstat(full, &st) < 0) {
		err = sys_error("cannot stat", full);
		goto out;
	}
	/* Stat data from the file just written: git status stays clean
	 * without hashing it again. */
	struct lps_gitindex_entry e = {
		.ctime_sec = (uint32_t)st.st_ctime,
		.ctime_nsec = (uint32_t)st.st_ctim.tv_nsec,
		.mtime_sec = (uint32_t)st.st_mtime,
		.mtime_nsec = (uint32_t)st.st_mtim.tv_nsec,
		.dev = (uint32_t)st.st_dev,
		.ino = (uint32_t)st.st_ino,
		.mode = (st.st_mode & S_IXUSR) ? GIT_FILEMODE_BLOB_EXECUTABLE :
						 GIT_FILEMODE_BLOB,
		.uid = (uint32_t)st.st_uid,
		.gid = (uint32_t)st.st_gid,
		.size = (uint32_t)st.st_size,
		.path = ch->path,
	};
	memcpy(e.id, c->blobs[i].id, sizeof(e.id));
	err = index_add(c, &e);
out:
	free(full);
	return err;
}

/*
 * git's check of a racily clean entry as it writes an index
 * (ce_smudge_racily_clean_entry): when the file still has the stat data
 * the entry records (seconds of mtime, size, type: what git always
 * compares), whether its content differs from the entry's.  A file
 * gone or with other stat data is left alone: git sees that itself.
 * When the file cannot be hashed, 1: smudging is always safe (git then
 * reads the file instead of trusting the stat data).  So the content is
 * hashed as it is, without the filters of .gitattributes or
 * core.autocrlf: those load attribute files and, in libgit2, the whole
 * index again (0.48e9 instructions at 100,000 documents); a file a
 * filter would change is smudged, which costs git one more look later.
 */
static int racy_differs(void *ctx, const struct lps_gitindex_entry *e)
{
	struct commit_ctx *c = ctx;
	char *full = join(c->store->workdir, e->path);
	struct stat st;
	git_oid id;
	int differs = 1;
	if (!full)
		return 1;
	if (lstat(full, &st) < 0 || (uint32_t)st.st_mtime != e->mtime_sec ||
	    (uint32_t)st.st_size != e->size) {
		differs = 0;
		goto out;
	}
	if ((e->mode & 0170000) == GIT_FILEMODE_LINK) {
		char target[4096];
		ssize_t n;
		if (S_ISREG(st.st_mode)) {
			/* core.symlinks=false: the link is a file of its
			 * target's text, compared as it is. */
			if (git_odb_hashfile(&id, full, GIT_OBJECT_BLOB) < 0)
				goto out;
			differs = memcmp(id.id, e->id, sizeof(e->id)) != 0;
			goto out;
		}
		if (!S_ISLNK(st.st_mode)) {
			differs = 0;
			goto out;
		}
		n = readlink(full, target, sizeof(target));
		if (n < 0 || (size_t)n == sizeof(target) ||
		    git_odb_hash(&id, target, (size_t)n, GIT_OBJECT_BLOB) < 0)
			goto out;
	} else if (!S_ISREG(st.st_mode)) {
		differs = 0;
		goto out;
	} else if (git_odb_hashfile(&id, full, GIT_OBJECT_BLOB) < 0) {
		goto out;
	}
	differs = memcmp(id.id, e->id, sizeof(e->id)) != 0;
out:
	git_error_clear();
	free(full);
	return differs;
}

static struct lps_error *update_worktree_and_index(struct commit_ctx *c)
{
	struct lps_error *err = NULL;
	for (size_t i = 0; i < c->cs->n && !err; i++)
		if (!c->skip || !c->skip[i])
			err = update_one(c, i);
	if (!err && c->gix)
		err = lps_gitindex_write(c->gix, c->work_index, racy_differs,
					 c);
	else if (!err && git_index_write(c->index) < 0)
		err = lps_store__git_error("cannot write the index");
	if (!err && rename(c->work_index, c->index_path) < 0)
		err = sys_error("cannot replace", c->index_path);
	if (err) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, 8, &c->commit);
		err = lps_error_wrap(err, "committed %s, but the working tree "
				     "or index was not fully updated", hex);
	}
	return err;
}

/* ---- the whole ---- */

static struct lps_error *prepare_message(struct commit_ctx *c,
					 const char *message)
{
	if (!message || git_message_prettify(&c->msg, message, 0, '#') < 0 ||
	    c->msg.size == 0) {
		git_error_clear();
		return lps_error_new(LPS_EINVALID, "empty commit message");
	}
	size_t n = strcspn(c->msg.ptr, "\n");
	if (n > 200)
		n = 200;
	c->reflog_subject = strndup(c->msg.ptr, n);
	return c->reflog_subject ? NULL : lps_error_nomem();
}

static struct lps_error *paths_init(struct commit_ctx *c)
{
	const char *gitdir = git_repository_path(c->repo);
	const char *common = git_repository_commondir(c->repo);
	c->lps_lock = join(common ? common : gitdir, "lps.lock");
	c->index_lock = join(gitdir, "index.lock");
	c->index_path = join(gitdir, "index");
	c->work_index = join(gitdir, "lps-index");
	c->work_index_lock = join(gitdir, "lps-index.lock");
	c->pending = join(gitdir, "lps-pending");
	if (!c->lps_lock || !c->index_lock || !c->index_path ||
	    !c->work_index || !c->work_index_lock || !c->pending)
		return lps_error_nomem();
	return NULL;
}

static void ctx_free(struct commit_ctx *c)
{
	release(c);
	free(c->lps_lock);
	free(c->index_lock);
	free(c->index_path);
	free(c->work_index);
	free(c->work_index_lock);
	free(c->pending);
	free(c->blobs);
	free(c->skip);
	git_signature_free(c->author);
	git_signature_free(c->committer);
	git_buf_dispose(&c->msg);
	free(c->reflog_subject);
	free(c->branch);
	git_tree_free(c->tip_tree);
}

/* ---- the note of a commit whose step 5 may not have run ---- */

static struct lps_error *write_pending(struct commit_ctx *c)
{
	char old[GIT_OID_HEXSZ + 1], new[GIT_OID_HEXSZ + 1], line[600];
	git_oid zero;
	memset(&zero, 0, sizeof(zero));
	git_oid_tostr(old, sizeof(old), c->unborn ? &zero : &c->tip);
	git_oid_tostr(new, sizeof(new), &c->commit);
	int n = snprintf(line, sizeof(line), "%s %s %s\n", old, new,
			 c->branch);
	if (n < 0 || (size_t)n >= sizeof(line))
		return lps_error_new(LPS_EINVALID, "branch name too long: %s",
				     c->branch);
	/* Written in place: a note cut short by a kill does not parse and
	 * is dropped, and the branch only moves after it is whole. */
	int fd = open(c->pending, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		      0666);
	if (fd < 0)
		return sys_error("cannot write", c->pending);
	ssize_t w = write(fd, line, (size_t)n);
	if (close(fd) < 0 || w != n) {
		struct lps_error *err = sys_error("cannot write", c->pending);
		unlink(c->pending);
		return err;
	}
	return NULL;
}

/*
 * The lock of the branch (and the temporary files of step 5) that the
 * lps which wrote the note may have left: made after the note, so made
 * by it (git's own lock of the branch, from before, is left alone).
 */
static void clear_leftovers(struct commit_ctx *c, const char *branch)
{
	struct stat note, st;
	if (stat(c->pending, &note) < 0)
		return;
	const char *common = git_repository_commondir(c->repo);
	char *ref = join(common ? common : git_repository_path(c->repo),
			 branch);
	char *lock = ref ? join(ref, ".lock") : NULL;
	if (lock && lstat(lock, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_mtim.tv_sec > note.st_mtim.tv_sec ||
	     (st.st_mtim.tv_sec == note.st_mtim.tv_sec &&
	      st.st_mtim.tv_nsec >= note.st_mtim.tv_nsec)))
		unlink(lock);
	free(lock);
	free(ref);
}

/* Remove "<path>.lps-tmp-<pid>" files beside a path of the working tree
 * (what lps_write_file_atomic leaves when killed). */
static void remove_tmp_files(const char *workdir, const char *path)
{
	char *full = join(workdir, path);
	if (!full)
		return;
	char *slash = strrchr(full, '/');
	*slash = '\0';
	const char *base = slash + 1;
	size_t nb = strlen(base);
	DIR *d = opendir(full);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, base, nb) != 0 ||
		    strncmp(e->d_name + nb, ".lps-tmp-", 9) != 0 ||
		    !e->d_name[nb + 9] ||
		    strspn(e->d_name + nb + 9, "0123456789") !=
			    strlen(e->d_name + nb + 9))
			continue;
		char *tmp = malloc(strlen(full) + strlen(e->d_name) + 2);
		if (tmp) {
			sprintf(tmp, "%s/%s", full, e->d_name);
			unlink(tmp);
			free(tmp);
		}
	}
	if (d)
		closedir(d);
	free(full);
}

/* Read the note: 1 found (fields set), 0 none or unreadable (dropped). */
static int read_pending(struct commit_ctx *c, git_oid *old, git_oid *new,
			char *branch, size_t bsize)
{
	char buf[600];
	int fd = open(c->pending, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 2 * GIT_OID_HEXSZ + 4 || buf[n - 1] != '\n')
		goto bad;
	buf[n - 1] = '\0';
	if (buf[GIT_OID_HEXSZ] != ' ' || buf[2 * GIT_OID_HEXSZ + 1] != ' ')
		goto bad;
	buf[GIT_OID_HEXSZ] = buf[2 * GIT_OID_HEXSZ + 1] = '\0';
	const char *b = buf + 2 * GIT_OID_HEXSZ + 2;
	if (git_oid_fromstr(old, buf) < 0 ||
	    git_oid_fromstr(new, buf + GIT_OID_HEXSZ + 1) < 0 ||
	    strncmp(b, "refs/heads/", 11) != 0 || strlen(b) >= bsize)
		goto bad;
	memcpy(branch, b, strlen(b) + 1);
	return 1;
bad:
	git_error_clear();
	unlink(c->pending);
	return 0;
}

/* Index and memory of one round of step 5, so another can follow. */
static void reset_work(struct commit_ctx *c)
{
	drop_attr_index(c);
	lps_gitindex_free(c->gix);
	c->gix = NULL;
	if (c->index) {
		git_repository_set_index(c->repo, NULL);
		git_index_free(c->index);
		c->index = NULL;
	}
	unlink(c->work_index);
	c->have_index_stat = 0;
	free(c->blobs);
	c->blobs = NULL;
	free(c->skip);
	c->skip = NULL;
	git_tree_free(c->tip_tree);
	c->tip_tree = NULL;
}

/* What commit `new` changed against tree `old` (NULL: none), into cs. */
struct lps_error *lps_changeset_add_diff(struct lps_changeset *cs,
					 git_repository *repo,
					 git_tree *old, git_tree *new,
					 git_tree *have)
{
	git_diff *diff = NULL;
	git_diff_options o;
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.flags = GIT_DIFF_SKIP_BINARY_CHECK;
	if (git_diff_tree_to_tree(&diff, repo, old, new, &o) < 0)
		return lps_store__git_error("cannot compare two trees");
	struct lps_error *err = NULL;
	size_t n = git_diff_num_deltas(diff);
	for (size_t i = 0; i < n && !err; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		int del = d->status == GIT_DELTA_DELETED;
		const char *path = del ? d->old_file.path : d->new_file.path;
		if (have) {
			git_tree_entry *e = NULL;
			int here = git_tree_entry_bypath(&e, have, path) == 0;
			int same = here && !del &&
				   git_oid_equal(git_tree_entry_id(e),
						 &d->new_file.id);
			git_tree_entry_free(e);
			git_error_clear();
			if ((del && !here) || same)
				continue; /* have is there already */
		}
		if (del) {
			err = lps_changeset_remove(cs, path);
			continue;
		}
		git_blob *blob = NULL;
		if (git_blob_lookup(&blob, repo, &d->new_file.id) < 0) {
			err = lps_store__git_error("%s: cannot read it", path);
			break;
		}
		err = lps_changeset_write(cs, path, git_blob_rawcontent(blob),
					  (size_t)git_blob_rawsize(blob));
		git_blob_free(blob);
	}
	git_diff_free(diff);
	return err;
}

/*
 * With the locks held: finish the step 5 that a killed lps left undone
 * (the note says which commit), or drop a note whose commit never became
 * the tip.  Paths the user changed since are left alone.
 */
static struct lps_error *finish_pending(struct commit_ctx *c)
{
	git_oid old, new, tip;
	char branch[512];
	if (!read_pending(c, &old, &new, branch, sizeof(branch)))
		return NULL;
	clear_leftovers(c, branch);
	if (git_reference_name_to_id(&tip, c->repo, branch) < 0 ||
	    !git_oid_equal(&tip, &new)) {
		git_error_clear();
		unlink(c->pending);
		return NULL;
	}
	struct lps_error *err = NULL;
	struct lps_changeset *cs = NULL;
	const struct lps_changeset *saved = c->cs;
	git_commit *oc = NULL, *nc = NULL;
	git_tree *nt = NULL;
	if (!git_oid_is_zero(&old) &&
	    (git_commit_lookup(&oc, c->repo, &old) < 0 ||
	     git_commit_tree(&c->tip_tree, oc) < 0)) {
		err = lps_store__git_error("cannot read the commit before %s",
					   branch);
		goto out;
	}
	if (git_commit_lookup(&nc, c->repo, &new) < 0 ||
	    git_commit_tree(&nt, nc) < 0) {
		err = lps_store__git_error("cannot read the tip of %s", branch);
		goto out;
	}
	if ((err = lps_changeset_new(&cs)) ||
	    (err = lps_changeset_add_diff(cs, c->repo, c->tip_tree, nt,
					     NULL)))
		goto out;
	if (!(c->branch = strdup(branch))) {
		err = lps_error_nomem();
		goto out;
	}
	c->cs = cs;
	git_oid_cpy(&c->commit, &new);
	if (cs->n == 0)
		goto done;
	c->skip = calloc(cs->n, 1);
	if (!c->skip) {
		err = lps_error_nomem();
		goto out;
	}
	if ((err = open_index(c)) || (err = write_blobs(c)))
		goto out;
	for (size_t i = 0; i < cs->n; i++) {
		remove_tmp_files(c->store->workdir, cs->v[i].path);
		struct lps_error *e = check_parents(c, cs->v[i].path);
		if (!e)
			e = check_change(c, i);
		if (e) {
			c->skip[i] = 1; /* the user's now */
			lps_error_free(e);
		}
	}
	if ((err = update_worktree_and_index(c)))
		goto out;
done:
	unlink(c->pending);
out:
	c->cs = saved;
	free(c->branch);
	c->branch = NULL;
	reset_work(c);
	git_tree_free(nt);
	git_commit_free(nc);
	git_commit_free(oc);
	lps_changeset_free(cs);
	return err;
}

struct lps_error *lps_store_recover(struct lps_store *store)
{
	struct commit_ctx c = {
		.store = store, .repo = store->repo,
		.lps_fd = -1, .index_lock_fd = -1, .msg = GIT_BUF_INIT,
	};
	struct lps_error *err = NULL;
	if (!store->workdir)
		return NULL;
	if (!(err = paths_init(&c)) && access(c.pending, F_OK) == 0) {
		store->recovered = 1;
		if (!(err = take_locks(&c)))
			err = finish_pending(&c);
	}
	ctx_free(&c);
	return err;
}

/* ---- building commits, and moving the branch to one ---- */

struct lps_error *lps_store_build(struct lps_store *store,
				  const git_oid *parent,
				  const struct lps_changeset *cs,
				  const char *message, git_oid *out)
{
	struct commit_ctx c = {
		.store = store, .repo = store->repo, .cs = cs,
		.lps_fd = -1, .index_lock_fd = -1, .msg = GIT_BUF_INIT,
	};
	struct lps_error *err = NULL;
	git_commit *pc = NULL;
	if (!cs)
		return lps_error_new(LPS_EINVALID, "no change set");
	if ((err = prepare_message(&c, message)) ||
	    (err = lps_store__signatures(c.repo, &c.author, &c.committer)))
		goto out;
	c.unborn = parent == NULL;
	if (parent) {
		git_oid_cpy(&c.tip, parent);
		if (git_commit_lookup(&pc, c.repo, parent) < 0 ||
		    git_commit_tree(&c.tip_tree, pc) < 0) {
			err = lps_store__git_error("cannot read the parent "
						   "commit");
			goto out;
		}
	}
	if ((err = write_blobs(&c)) || (err = make_commit(&c)))
		goto out;
	git_oid_cpy(out, &c.commit);
out:
	git_commit_free(pc);
	ctx_free(&c);
	return err;
}

struct lps_error *lps_store_move(struct lps_store *store,
				 const git_oid *expected,
				 const git_oid *commit, const char *why)
{
	struct commit_ctx c = {
		.store = store, .repo = store->repo,
		.lps_fd = -1, .index_lock_fd = -1, .msg = GIT_BUF_INIT,
	};
	struct lps_error *err = NULL;
	struct lps_changeset *cs = NULL;
	git_commit *nc = NULL;
	git_tree *nt = NULL;
	if (!store->workdir)
		return lps_error_new(LPS_EREFUSED,
				     "cannot move a branch in a bare "
				     "repository: %s",
				     git_repository_path(store->repo));
	c.plain_reflog = 1;
	if ((err = prepare_message(&c, why)) || (err = paths_init(&c)) ||
	    (err = take_locks(&c)) || (err = finish_pending(&c)) ||
	    (err = read_head(&c)) || (err = read_tip(&c)))
		goto out;
	if (c.unborn || !git_oid_equal(&c.tip, expected)) {
		err = lps_error_new(LPS_ECONFLICT, "%s moved meanwhile; try "
				    "again", c.branch);
		goto out;
	}
	if (git_commit_lookup(&nc, c.repo, commit) < 0 ||
	    git_commit_tree(&nt, nc) < 0) {
		err = lps_store__git_error("cannot read the new tip");
		goto out;
	}
	if ((err = lps_changeset_new(&cs)) ||
	    (err = lps_changeset_add_diff(cs, c.repo, c.tip_tree, nt,
					     NULL)))
		goto out;
	c.cs = cs;
	git_oid_cpy(&c.commit, commit);
	if ((err = open_index(&c)) || (err = write_blobs(&c)))
		goto out;
	for (size_t i = 0; i < cs->n; i++)
		if ((err = check_parents(&c, cs->v[i].path)) ||
		    (err = check_change(&c, i)))
			goto out;
	if ((err = write_pending(&c)))
		goto out;
	int rc = move_branch(&c, &err);
	if (rc != 0)
		unlink(c.pending);
	if (rc < 0)
		goto out;
	if (rc > 0) {
		err = lps_error_new(LPS_ECONFLICT, "%s moved meanwhile; try "
				    "again", c.branch);
		goto out;
	}
	if ((err = update_worktree_and_index(&c)))
		goto out; /* the note stays: the next lps finishes the work */
	unlink(c.pending);
out:
	c.cs = NULL;
	git_tree_free(nt);
	git_commit_free(nc);
	lps_changeset_free(cs);
	ctx_free(&c);
	return err;
}

struct lps_error *lps_store_commit(struct lps_store *store,
				   const struct lps_changeset *cs,
				   const char *message, git_oid *out)
{
	struct commit_ctx c = {
		.store = store, .repo = store->repo, .cs = cs,
		.lps_fd = -1, .index_lock_fd = -1, .msg = GIT_BUF_INIT,
	};
	struct lps_error *err = NULL;
	if (!store->workdir)
		return lps_error_new(LPS_EREFUSED,
				     "cannot commit in a bare repository: %s",
				     git_repository_path(store->repo));
	if (!cs || cs->n == 0)
		return lps_error_new(LPS_EINVALID,
				     "nothing to commit: the change set is "
				     "empty");
	if ((err = prepare_message(&c, message)) ||
	    (err = lps_store__signatures(c.repo, &c.author, &c.committer)) ||
	    (err = paths_init(&c)) || (err = take_locks(&c)) ||
	    (err = finish_pending(&c)) || (err = read_head(&c)) || (err = read_tip(&c)) ||
	    (err = open_index(&c)) || (err = write_blobs(&c)))
		goto out;
	for (size_t i = 0; i < cs->n; i++)
		if ((err = check_parents(&c, cs->v[i].path)) ||
		    (err = check_change(&c, i)))
			goto out;

	int lost = 0, locked = 0;
	for (;;) {
		if ((err = make_commit(&c)))
			goto out;
		if (store->race_hook)
			store->race_hook(store->race_ctx, store);
		if ((err = write_pending(&c)))
			goto out;
		int rc = move_branch(&c, &err);
		if (rc != 0)
			unlink(c.pending); /* the branch did not move */
		if (rc < 0)
			goto out;
		if (rc == 0)
			break;
		if (rc == 2) {
			/* Another writer holds the ref's lock: give it a
			 * moment to finish before looking again. */
			struct timespec ts = { 0, 20 * 1000 * 1000 };
			nanosleep(&ts, NULL);
			locked++;
		}
		if (++lost == LPS_STORE_ATTEMPTS && locked == lost) {
			err = lps_error_new(LPS_EREFUSED,
					    "cannot lock %s: %s.lock exists; "
					    "another git process may be "
					    "running (if not, remove that "
					    "file)", c.branch, c.branch);
			goto out;
		}
		if (lost == LPS_STORE_ATTEMPTS) {
			err = lps_error_new(LPS_ECONFLICT,
					    "lost the race to update %s %d "
					    "times; try again", c.branch,
					    LPS_STORE_ATTEMPTS);
			goto out;
		}
		if ((err = follow_new_tip(&c)))
			goto out;
	}
	if ((err = update_worktree_and_index(&c)))
		goto out; /* the note stays: the next lps finishes the work */
	unlink(c.pending);
	if (out)
		git_oid_cpy(out, &c.commit);
out:
	ctx_free(&c);
	return err;
}
