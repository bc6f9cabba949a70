/*
 * gitindex.c - git's index file read as bytes and rewritten by splicing
 * (see gitindex.h for what is handled and why).
 *
 * The format (git's Documentation/gitformat-index.txt), versions 2 and 3:
 * a 12-byte header ("DIRC", version, entry count), the entries sorted by
 * (path, stage), extensions ("<4-byte signature><4-byte size><data>"),
 * and the SHA-1 of all that.  An entry is 62 bytes of stat data, object
 * id and flags (v3: 2 more bytes of extended flags when flag 0x4000 is
 * set), then the path and 1 to 8 NULs up to a multiple of 8 bytes.  All
 * numbers are big-endian.
 */
#include "gitindex.h"
#include "sha1.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HEADER_SIZE 12
#define TRAILER_SIZE LPS_SHA1_SIZE
#define ENTRY_NAME 62          /* where the path starts in an entry */
#define ENTRY_NAME_EXT 64      /* the same with extended flags */
#define ENTRY_MIN 64           /* the smallest entry: one-byte path */
#define FLAG_NAMEMASK 0x0fff
#define FLAG_EXTENDED 0x4000
#define EXT_KNOWN 0x6000       /* skip-worktree, intent-to-add */
#define MODE_GITLINK 0160000
/* Deeper cache-tree nesting is unusual (and would recurse too far). */
#define TREE_MAX_DEPTH 1024
#define NONE ((size_t)-1)

/* One node of the TREE extension (cache-tree), in file order. */
struct tnode {
	const unsigned char *rec;  /* its record: name .. object id */
	size_t rec_len;
	const char *name;
	size_t nlen;
	long subtrees;
	size_t end;                /* the node after its last descendant */
	int invalid;               /* write it as "-1 <subtrees>", no id */
	int dropped;               /* left out with its descendants */
};

/* A staged change: an entry to add (bytes) or a path to remove. */
struct change {
	char *path;
	size_t len;
	unsigned char *bytes;      /* the new entry; NULL: remove */
	size_t nbytes;
	int implied;               /* a removal the add of another path
				      needs, not asked for */
};

struct lps_gitindex {
	unsigned char *buf;        /* the whole file */
	size_t size;
	struct stat st;
	uint32_t version;
	uint32_t n;                /* entries */
	uint32_t *off;             /* n + 1 offsets: entries, then their end */
	uint32_t *racy;            /* entries that may be racily clean */
	size_t nracy;
	int skip_hash;             /* all-zero trailer: none written either */
	struct tnode *tree;        /* NULL: no TREE extension */
	size_t ntree, captree;
	struct change *ch;
	size_t nch, capch;
};

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static unsigned get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | (unsigned)p[1];
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* The path of entry i (NUL-terminated in the file) and its length. */
static size_t entry_name(const struct lps_gitindex *ix, uint32_t i,
			 const char **name)
{
	const unsigned char *e = ix->buf + ix->off[i];
	unsigned flags = get16(e + 60);
	*name = (const char *)e +
		((flags & FLAG_EXTENDED) ? ENTRY_NAME_EXT : ENTRY_NAME);
	size_t len = flags & FLAG_NAMEMASK;
	return len == FLAG_NAMEMASK ? strlen(*name) : len;
}

static unsigned entry_stage(const struct lps_gitindex *ix, uint32_t i)
{
	return (get16(ix->buf + ix->off[i] + 60) >> 12) & 3;
}

/* Index order: paths bytewise (a prefix first), then stages. */
static int key_cmp(const char *a, size_t al, unsigned as, const char *b,
		   size_t bl, unsigned bs)
{
	int c = memcmp(a, b, al < bl ? al : bl);
	if (c)
		return c;
	if (al != bl)
		return al < bl ? -1 : 1;
	return (as > bs) - (as < bs);
}

/* The first entry not before (path, stage). */
static uint32_t lower_bound(const struct lps_gitindex *ix, const char *path,
			    size_t len, unsigned stage)
{
	uint32_t lo = 0, hi = ix->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const char *name;
		size_t nlen = entry_name(ix, mid, &name);
		if (key_cmp(name, nlen, entry_stage(ix, mid), path, len,
			    stage) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether entry i is (path, stage). */
static int entry_is(const struct lps_gitindex *ix, uint32_t i,
		    const char *path, size_t len, unsigned stage)
{
	if (i >= ix->n)
		return 0;
	const char *name;
	size_t nlen = entry_name(ix, i, &name);
	return nlen == len && entry_stage(ix, i) == stage &&
	       memcmp(name, path, len) == 0;
}

static void decode(const struct lps_gitindex *ix, uint32_t i,
		   struct lps_gitindex_entry *out)
{
	const unsigned char *e = ix->buf + ix->off[i];
	out->ctime_sec = get32(e);
	out->ctime_nsec = get32(e + 4);
	out->mtime_sec = get32(e + 8);
	out->mtime_nsec = get32(e + 12);
	out->dev = get32(e + 16);
	out->ino = get32(e + 20);
	out->mode = get32(e + 24);
	out->uid = get32(e + 28);
	out->gid = get32(e + 32);
	out->size = get32(e + 36);
	memcpy(out->id, e + 40, sizeof(out->id));
	out->stage = entry_stage(ix, i);
	out->path_len = entry_name(ix, i, &out->path);
}

/* ---- reading ---- */

static struct lps_error *read_all(struct lps_gitindex *ix, const char *path,
				  int *missing)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT) {
			*missing = 1;
			return NULL;
		}
		return lps_error_new(LPS_ESYS, "cannot open %s: %s", path,
				     strerror(errno));
	}
	struct lps_error *err = NULL;
	if (fstat(fd, &ix->st) < 0) {
		err = lps_error_new(LPS_ESYS, "cannot stat %s: %s", path,
				    strerror(errno));
		goto out;
	}
	if ((uint64_t)ix->st.st_size > UINT32_MAX) {
		*missing = 1; /* not ours: offsets are 32-bit */
		goto out;
	}
	size_t cap = (size_t)ix->st.st_size + 1, len = 0;
	if (!(ix->buf = malloc(cap))) {
		err = lps_error_nomem();
		goto out;
	}
	for (;;) {
		if (len == cap) {
			/* It grew since fstat: a writer not holding the lock. */
			*missing = 1;
			goto out;
		}
		ssize_t r = read(fd, ix->buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = lps_error_new(LPS_ESYS, "cannot read %s: %s",
					    path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	ix->size = len;
out:
	close(fd);
	return err;
}

/* Parse "-1" (when neg_ok) or a canonical decimal up to 9 digits, then
 * the byte stop: 0 and *v, or -1. */
static int parse_num(const unsigned char **p, const unsigned char *end,
		     int neg_ok, unsigned char stop, long *v)
{
	const unsigned char *s = *p;
	if (neg_ok && end - s >= 3 && s[0] == '-' && s[1] == '1' &&
	    s[2] == stop) {
		*v = -1;
		*p = s + 3;
		return 0;
	}
	long n = 0;
	const unsigned char *d = s;
	while (d < end && *d >= '0' && *d <= '9' && d - s < 9)
		n = n * 10 + (*d++ - '0');
	if (d == s || d == end || *d != stop || (*s == '0' && d - s > 1))
		return -1;
	*v = n;
	*p = d + 1;
	return 0;
}

/* One cache-tree node and its subtrees: 0, or -1 unusual / no memory
 * (*nomem set). */
static int parse_node(struct lps_gitindex *ix, const unsigned char **p,
		      const unsigned char *end, int depth, int *nomem)
{
	const unsigned char *s = *p;
	const unsigned char *nul = memchr(s, 0, (size_t)(end - s));
	if (!nul || depth > TREE_MAX_DEPTH ||
	    (depth > 0 && nul == s) || memchr(s, '/', (size_t)(nul - s)))
		return -1;
	const unsigned char *q = nul + 1;
	long count, subtrees;
	if (parse_num(&q, end, 1, ' ', &count) < 0 ||
	    parse_num(&q, end, 0, '\n', &subtrees) < 0 ||
	    subtrees > end - q)
		return -1;
	if (count >= 0) {
		if (end - q < LPS_SHA1_SIZE)
			return -1;
		q += LPS_SHA1_SIZE;
	}
	if (ix->ntree == ix->captree) {
		size_t cap = ix->captree ? 2 * ix->captree : 64;
		struct tnode *v = realloc(ix->tree, cap * sizeof(*v));
		if (!v) {
			*nomem = 1;
			return -1;
		}
		ix->tree = v;
		ix->captree = cap;
	}
	size_t k = ix->ntree++;
	ix->tree[k] = (struct tnode){
		.rec = s, .rec_len = (size_t)(q - s), .name = (const char *)s,
		.nlen = (size_t)(nul - s), .subtrees = subtrees,
	};
	*p = q;
	for (long i = 0; i < subtrees; i++)
		if (parse_node(ix, p, end, depth + 1, nomem) < 0)
			return -1;
	ix->tree[k].end = ix->ntree;
	return 0;
}

/* The extensions from p to end: 0 fine, 1 unusual, -1 no memory. */
static int parse_extensions(struct lps_gitindex *ix, const unsigned char *p,
			    const unsigned char *end)
{
	while (p < end) {
		if (end - p < 8)
			return 1;
		const unsigned char *sig = p;
		uint32_t size = get32(p + 4);
		p += 8;
		if (size > (size_t)(end - p))
			return 1;
		if (memcmp(sig, "TREE", 4) == 0) {
			const unsigned char *q = p;
			int nomem = 0;
			if (ix->tree || parse_node(ix, &q, p + size, 0,
						   &nomem) < 0 ||
			    q != p + size)
				return nomem ? -1 : 1;
		} else if (memcmp(sig, "REUC", 4) == 0 ||
			   memcmp(sig, "NAME", 4) == 0 ||
			   sig[0] < 'A' || sig[0] > 'Z') {
			/* Kept by libgit2, or required (git's rule: not
			 * upper-case): not ours to drop. */
			return 1;
		}
		/* Anything else is a cache git rebuilds: dropped. */
		p += size;
	}
	return 0;
}

/* The entries: 0 fine, 1 unusual, -1 no memory. */
static int parse_entries(struct lps_gitindex *ix, const unsigned char *end,
			 const unsigned char **after)
{
	const unsigned char *base = ix->buf, *p = base + HEADER_SIZE;
	if (ix->n > (size_t)(end - p) / ENTRY_MIN)
		return 1;
	if (!(ix->off = malloc(((size_t)ix->n + 1) * sizeof(*ix->off))))
		return -1;
	size_t capracy = 0;
	const char *prev = NULL;
	size_t prev_len = 0;
	unsigned prev_stage = 0;
	uint32_t index_sec = (uint32_t)ix->st.st_mtime;
	for (uint32_t i = 0; i < ix->n; i++) {
		if (end - p < ENTRY_MIN)
			return 1;
		unsigned flags = get16(p + 60);
		size_t start = ENTRY_NAME;
		if (flags & FLAG_EXTENDED) {
			if (ix->version < 3 || (get16(p + 62) & ~EXT_KNOWN))
				return 1;
			start = ENTRY_NAME_EXT;
		}
		const char *name = (const char *)p + start;
		size_t avail = (size_t)(end - p) - start;
		size_t len = flags & FLAG_NAMEMASK;
		if (len == FLAG_NAMEMASK) {
			const char *nul = memchr(name, 0, avail);
			if (!nul)
				return 1;
			len = (size_t)(nul - name);
		} else if (len >= avail || name[len] != '\0' ||
			   memchr(name, 0, len)) {
			return 1;
		}
		size_t esize = (start + len + 8) & ~(size_t)7;
		unsigned stage = (flags >> 12) & 3;
		if (len == 0 || esize > (size_t)(end - p) ||
		    (prev && key_cmp(prev, prev_len, prev_stage, name, len,
				     stage) >= 0))
			return 1;
		ix->off[i] = (uint32_t)(p - base);
		/* Racily clean maybe: changed within the second the index
		 * was written (git and libgit2 skip submodules). */
		if (get32(p + 8) >= index_sec &&
		    (get32(p + 24) & 0170000) != MODE_GITLINK) {
			if (ix->nracy == capracy) {
				capracy = capracy ? 2 * capracy : 16;
				uint32_t *v = realloc(ix->racy,
						      capracy * sizeof(*v));
				if (!v)
					return -1;
				ix->racy = v;
			}
			ix->racy[ix->nracy++] = i;
		}
		prev = name;
		prev_len = len;
		prev_stage = stage;
		p += esize;
	}
	ix->off[ix->n] = (uint32_t)(p - base);
	*after = p;
	return 0;
}

/* The file in ix->buf: 0 ours, 1 unusual, -1 no memory. */
static int parse(struct lps_gitindex *ix)
{
	static const unsigned char zero[TRAILER_SIZE];
	if (ix->size < HEADER_SIZE + TRAILER_SIZE ||
	    memcmp(ix->buf, "DIRC", 4) != 0)
		return 1;
	ix->version = get32(ix->buf + 4);
	ix->n = get32(ix->buf + 8);
	if (ix->version != 2 && ix->version != 3)
		return 1;
	const unsigned char *end = ix->buf + ix->size - TRAILER_SIZE;
	if (memcmp(end, zero, TRAILER_SIZE) == 0) {
		ix->skip_hash = 1;
	} else {
		unsigned char sum[LPS_SHA1_SIZE];
		lps_sha1(sum, ix->buf, ix->size - TRAILER_SIZE);
		if (memcmp(sum, end, TRAILER_SIZE) != 0)
			return 1;
	}
	const unsigned char *after;
	int rc = parse_entries(ix, end, &after);
	if (rc)
		return rc;
	return parse_extensions(ix, after, end);
}

struct lps_error *lps_gitindex_open(struct lps_gitindex **out,
				    const char *path)
{
	*out = NULL;
	struct lps_gitindex *ix = calloc(1, sizeof(*ix));
	if (!ix)
		return lps_error_nomem();
	int missing = 0;
	struct lps_error *err = read_all(ix, path, &missing);
	if (!err && !missing) {
		int rc = parse(ix);
		if (rc < 0)
			err = lps_error_nomem();
		else if (rc == 0) {
			*out = ix;
			return NULL;
		}
	}
	lps_gitindex_free(ix);
	return err;
}

void lps_gitindex_free(struct lps_gitindex *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->nch; i++) {
		free(ix->ch[i].path);
		free(ix->ch[i].bytes);
	}
	free(ix->ch);
	free(ix->tree);
	free(ix->racy);
	free(ix->off);
	free(ix->buf);
	free(ix);
}

const struct stat *lps_gitindex_stat(const struct lps_gitindex *ix)
{
	return &ix->st;
}

size_t lps_gitindex_count(const struct lps_gitindex *ix)
{
	return ix->n;
}

void lps_gitindex_at(const struct lps_gitindex *ix, size_t i,
		     struct lps_gitindex_entry *out)
{
	decode(ix, (uint32_t)i, out);
}

int lps_gitindex_get(const struct lps_gitindex *ix, const char *path,
		     unsigned stage, struct lps_gitindex_entry *out)
{
	size_t len = strlen(path);
	uint32_t i = lower_bound(ix, path, len, stage);
	if (!entry_is(ix, i, path, len, stage))
		return 0;
	decode(ix, i, out);
	return 1;
}

/* ---- changes ---- */

static struct lps_error *push_change(struct lps_gitindex *ix,
				     const char *path, size_t len,
				     unsigned char *bytes, size_t nbytes,
				     int implied)
{
	if (ix->nch == ix->capch) {
		size_t cap = ix->capch ? 2 * ix->capch : 8;
		struct change *v = realloc(ix->ch, cap * sizeof(*v));
		if (!v)
			return lps_error_nomem();
		ix->ch = v;
		ix->capch = cap;
	}
	char *p = malloc(len + 1);
	if (!p)
		return lps_error_nomem();
	memcpy(p, path, len);
	p[len] = '\0';
	ix->ch[ix->nch++] = (struct change){
		.path = p, .len = len, .bytes = bytes, .nbytes = nbytes,
		.implied = implied,
	};
	return NULL;
}

struct lps_error *lps_gitindex_add(struct lps_gitindex *ix,
				   const struct lps_gitindex_entry *e)
{
	size_t len = strlen(e->path);
	if (len == 0)
		return lps_error_new(LPS_EINVALID, "index: empty path");
	size_t nbytes = (ENTRY_NAME + len + 8) & ~(size_t)7;
	unsigned char *b = calloc(1, nbytes);
	if (!b)
		return lps_error_nomem();
	put32(b, e->ctime_sec);
	put32(b + 4, e->ctime_nsec);
	put32(b + 8, e->mtime_sec);
	put32(b + 12, e->mtime_nsec);
	put32(b + 16, e->dev);
	put32(b + 20, e->ino);
	put32(b + 24, e->mode);
	put32(b + 28, e->uid);
	put32(b + 32, e->gid);
	put32(b + 36, e->size);
	memcpy(b + 40, e->id, sizeof(e->id));
	unsigned flags = len < FLAG_NAMEMASK ? (unsigned)len : FLAG_NAMEMASK;
	b[60] = (unsigned char)(flags >> 8);
	b[61] = (unsigned char)flags;
	memcpy(b + ENTRY_NAME, e->path, len);
	struct lps_error *err = push_change(ix, e->path, len, b, nbytes, 0);
	if (err)
		free(b);
	return err;
}

struct lps_error *lps_gitindex_remove(struct lps_gitindex *ix,
				      const char *path)
{
	size_t len = strlen(path);
	if (len == 0)
		return lps_error_new(LPS_EINVALID, "index: empty path");
	return push_change(ix, path, len, NULL, 0, 0);
}

/*
 * The removals an add implies, as git_index_add makes them: a stage-0
 * entry named as a folder of the new path, and stage-0 entries below a
 * folder named as the new path.
 */
static struct lps_error *add_implied(struct lps_gitindex *ix)
{
	size_t asked = ix->nch;
	struct lps_error *err = NULL;
	for (size_t c = 0; c < asked && !err; c++) {
		if (!ix->ch[c].bytes)
			continue;
		const char *path = ix->ch[c].path;
		size_t len = ix->ch[c].len;
		for (size_t k = 1; k < len && !err; k++)
			if (path[k] == '/' &&
			    entry_is(ix, lower_bound(ix, path, k, 0), path, k,
				     0))
				err = push_change(ix, path, k, NULL, 0, 1);
		/* "path/" sorts right after the entries of path itself. */
		uint32_t i = lower_bound(ix, path, len, 4);
		for (; i < ix->n && !err; i++) {
			const char *name;
			size_t nlen = entry_name(ix, i, &name);
			if (nlen <= len || memcmp(name, path, len) != 0)
				break;
			unsigned char next = (unsigned char)name[len];
			if (next < '/')
				continue; /* "path-x" and the like */
			if (next > '/')
				break;
			if (entry_stage(ix, i) == 0)
				err = push_change(ix, name, nlen, NULL, 0, 1);
		}
	}
	return err;
}

static int change_cmp(const void *a, const void *b)
{
	const struct change *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	return x->implied - y->implied; /* the one asked for first */
}

/* ---- the cache-tree ---- */

static size_t tree_child(const struct lps_gitindex *ix, size_t k,
			 const char *name, size_t nlen)
{
	for (size_t j = k + 1; j < ix->tree[k].end; j = ix->tree[j].end)
		if (!ix->tree[j].dropped && ix->tree[j].nlen == nlen &&
		    memcmp(ix->tree[j].name, name, nlen) == 0)
			return j;
	return NONE;
}

/*
 * What git's cache_tree_invalidate_path does for a changed path: every
 * node along it loses its id (entry count -1), and a subtree named as
 * the path itself (a folder that became a file) goes.
 */
static void tree_invalidate(struct lps_gitindex *ix, const char *path)
{
	if (!ix->tree)
		return;
	size_t k = 0;
	for (;;) {
		ix->tree[k].invalid = 1;
		const char *slash = strchr(path, '/');
		size_t nlen = slash ? (size_t)(slash - path) : strlen(path);
		size_t c = tree_child(ix, k, path, nlen);
		if (c == NONE)
			return;
		if (!slash) {
			ix->tree[c].dropped = 1;
			ix->tree[k].subtrees--;
			return;
		}
		k = c;
		path = slash + 1;
	}
}

/* The TREE extension as it is now, at out (room: the old one's size
 * plus 16 bytes per node); its size. */
static size_t tree_emit(const struct lps_gitindex *ix, unsigned char *out)
{
	unsigned char *w = out + 8;
	for (size_t k = 0; k < ix->ntree;) {
		const struct tnode *t = &ix->tree[k];
		if (t->dropped) {
			k = t->end;
			continue;
		}
		if (t->invalid) {
			memcpy(w, t->name, t->nlen + 1);
			w += t->nlen + 1;
			w += sprintf((char *)w, "-1 %ld\n", t->subtrees);
		} else {
			memcpy(w, t->rec, t->rec_len);
			w += t->rec_len;
		}
		k++;
	}
	memcpy(out, "TREE", 4);
	put32(out + 4, (uint32_t)(w - out - 8));
	return (size_t)(w - out);
}

/* ---- writing ---- */

struct writer {
	struct lps_gitindex *ix;
	unsigned char *out;
	size_t w;                  /* bytes written to out */
	uint32_t count;            /* entries written */
	size_t r;                  /* next racy candidate */
	lps_gitindex_racy_fn racy;
	void *ctx;
};

/* Copy the old entries [from, to), smudging the racily clean. */
static void copy_run(struct writer *wr, uint32_t from, uint32_t to)
{
	struct lps_gitindex *ix = wr->ix;
	size_t base = ix->off[from], len = ix->off[to] - base;
	memcpy(wr->out + wr->w, ix->buf + base, len);
	while (wr->r < ix->nracy && ix->racy[wr->r] < from)
		wr->r++;
	for (; wr->r < ix->nracy && ix->racy[wr->r] < to; wr->r++) {
		uint32_t i = ix->racy[wr->r];
		struct lps_gitindex_entry e;
		decode(ix, i, &e);
		if (wr->racy && wr->racy(wr->ctx, &e))
			put32(wr->out + wr->w + (ix->off[i] - base) + 36, 0);
	}
	wr->w += len;
	wr->count += to - from;
}

static struct lps_error *write_file(const char *path, const unsigned char *p,
				    size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0)
		return lps_error_new(LPS_ESYS, "cannot create %s: %s", path,
				     strerror(errno));
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			break;
		p += w;
		n -= (size_t)w;
	}
	int saved = errno;
	if (close(fd) < 0 && n == 0)
		saved = errno, n = 1;
	if (n == 0)
		return NULL;
	unlink(path);
	return lps_error_new(LPS_ESYS, "cannot write %s: %s", path,
			     strerror(saved));
}

struct lps_error *lps_gitindex_write(struct lps_gitindex *ix,
				     const char *path,
				     lps_gitindex_racy_fn racy, void *ctx)
{
	struct lps_error *err = add_implied(ix);
	if (err)
		return err;
	qsort(ix->ch, ix->nch, sizeof(*ix->ch), change_cmp);
	/* Asked for sort first among changes of one path. */
	for (size_t c = 1; c < ix->nch; c++)
		if (!ix->ch[c].implied &&
		    strcmp(ix->ch[c - 1].path, ix->ch[c].path) == 0)
			return lps_error_new(LPS_EINVALID,
					     "index: %s changed twice",
					     ix->ch[c].path);
	size_t bound = ix->size + 16 * ix->ntree, keep = 0;
	for (size_t c = 0; c < ix->nch; c++) {
		struct change *ch = &ix->ch[c];
		if (keep && strcmp(ix->ch[keep - 1].path, ch->path) == 0) {
			free(ch->path); /* implied twice, or by one asked */
			continue;
		}
		ix->ch[keep++] = *ch;
		bound += ch->nbytes;
	}
	ix->nch = keep;

	struct writer wr = {
		.ix = ix, .w = HEADER_SIZE, .racy = racy, .ctx = ctx,
	};
	if (!(wr.out = malloc(bound)))
		return lps_error_nomem();
	uint32_t cursor = 0;
	for (size_t c = 0; c < ix->nch; c++) {
		const struct change *ch = &ix->ch[c];
		uint32_t pos = lower_bound(ix, ch->path, ch->len, 0);
		copy_run(&wr, cursor, pos);
		int had = entry_is(ix, pos, ch->path, ch->len, 0);
		if (had)
			pos++;
		if (ch->bytes) {
			memcpy(wr.out + wr.w, ch->bytes, ch->nbytes);
			wr.w += ch->nbytes;
			wr.count++;
		}
		cursor = pos;
		if (had || ch->bytes)
			tree_invalidate(ix, ch->path);
	}
	copy_run(&wr, cursor, ix->n);
	if (ix->tree)
		wr.w += tree_emit(ix, wr.out + wr.w);
	memcpy(wr.out, "DIRC", 4);
	put32(wr.out + 4, ix->version);
	put32(wr.out + 8, wr.count);
	if (ix->skip_hash)
		memset(wr.out + wr.w, 0, TRAILER_SIZE);
	else
		lps_sha1(wr.out + wr.w, wr.out, wr.w);
	wr.w += TRAILER_SIZE;
	err = write_file(path, wr.out, wr.w);
	free(wr.out);
	return err;
}
