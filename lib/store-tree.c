/*
 * store-tree.c - trees read and written as raw objects (DESIGN section 4).
 *
 * A folder of 100,000 documents is one 4 MiB tree object.  libgit2 parses
 * it into 100,000 entries to find one of them, and its treebuilder copies,
 * sorts and serialises all of them again to change one.  Here a lookup
 * scans the raw object, and a change splices the few changed entries into
 * a copy of the raw bytes, which is then written as it is.
 *
 * The trees written must be byte for byte what git_tree_create_updated
 * writes (the same ids).  It rewrites every entry of a changed tree as
 * "%o <name>\0<id>" in git's order (names compared as if folders ended in
 * '/'), so the splice is used only when the old tree already is in that
 * form: canonical modes, sorted, no two entries of one name.  Anything
 * unusual (such a tree, a change of a file into a folder, a name libgit2
 * might refuse) answers LPS_RAW_UNUSUAL and the caller uses libgit2.
 * A tree is read and checked once per store (struct lps_rawtree, a few
 * kept), then searched by bisection, and the splice copies the runs of
 * old entries between two changes whole.
 */
#include "store-int.h"
#include "sha1.h"

#include <git2/sys/odb_backend.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One entry of a raw tree. */
struct rent {
	const char *start; /* the entry's bytes: mode, name, id */
	size_t size;
	const char *name;
	size_t nlen;
	unsigned mode;
	const unsigned char *id;
};

static int is_dir_mode(unsigned mode)
{
	return mode == 040000;
}

static int known_mode(unsigned mode)
{
	return mode == 0100644 || mode == 0100755 || mode == 0120000 ||
	       mode == 0160000 || mode == 040000;
}

/* The next entry at *p: 1 read, 0 end of tree, -1 not canonical. */
static int next_entry(const char **p, const char *end, struct rent *e)
{
	const char *s = *p;
	if (s == end)
		return 0;
	e->start = s;
	unsigned mode = 0;
	size_t digits = 0;
	while (s < end && *s >= '0' && *s <= '7' && digits < 7) {
		mode = mode * 8 + (unsigned)(*s - '0');
		s++;
		digits++;
	}
	if (s == end || *s != ' ' || digits == 0 || *e->start == '0' ||
	    !known_mode(mode))
		return -1;
	s++;
	const char *nul = memchr(s, '\0', (size_t)(end - s));
	if (!nul || nul == s || memchr(s, '/', (size_t)(nul - s)) ||
	    (size_t)(end - nul) < 1 + GIT_OID_RAWSZ)
		return -1;
	e->name = s;
	e->nlen = (size_t)(nul - s);
	e->mode = mode;
	e->id = (const unsigned char *)nul + 1;
	*p = nul + 1 + GIT_OID_RAWSZ;
	e->size = (size_t)(*p - e->start);
	return 1;
}

/* git's order of tree entries: names compared as if folders ended in /. */
static int tree_cmp(const char *a, size_t al, int adir, const char *b,
		    size_t bl, int bdir)
{
	size_t n = al < bl ? al : bl;
	int c = memcmp(a, b, n);
	if (c)
		return c;
	unsigned ca = n < al ? (unsigned char)a[n] : (adir ? '/' : 0);
	unsigned cb = n < bl ? (unsigned char)b[n] : (bdir ? '/' : 0);
	return (ca > cb) - (ca < cb);
}

static int name_eq(const char *a, size_t al, const char *b, size_t bl)
{
	return al == bl && memcmp(a, b, al) == 0;
}

/*
 * Walk a whole raw tree checking it is canonical.  offs (n entries' start
 * offsets, grown as needed) lets a folder entry look back for a file of
 * the same name, which sorts before it with only names it prefixes in
 * between.  0 fine, -1 not canonical or no memory (*nomem set).
 */
struct walk {
	size_t *offs;
	size_t n, cap;
	int nomem;
};

static int check_order(struct walk *w, const char *buf, const char *end,
		       const struct rent *e, const struct rent *prev)
{
	if (prev && tree_cmp(prev->name, prev->nlen, is_dir_mode(prev->mode),
			     e->name, e->nlen, is_dir_mode(e->mode)) >= 0)
		return -1;
	if (is_dir_mode(e->mode)) {
		for (size_t i = w->n; i-- > 0;) {
			const char *q = buf + w->offs[i];
			struct rent o;
			if (next_entry(&q, end, &o) < 0)
				return -1;
			if (o.nlen < e->nlen ||
			    memcmp(o.name, e->name, e->nlen) != 0)
				break;
			if (o.nlen == e->nlen)
				return -1; /* a file and a folder of one name */
		}
	}
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 1024;
		size_t *v = realloc(w->offs, cap * sizeof(*v));
		if (!v) {
			w->nomem = 1;
			return -1;
		}
		w->offs = v;
		w->cap = cap;
	}
	w->offs[w->n++] = (size_t)(e->start - buf);
	return 0;
}

static int read_raw(git_odb_object **obj, git_repository *repo,
		    const git_oid *id)
{
	git_odb *odb = NULL;
	if (git_repository_odb(&odb, repo) < 0)
		return -1;
	int rc = git_odb_read(obj, odb, id);
	git_odb_free(odb);
	if (rc < 0)
		return -1;
	if (git_odb_object_type(*obj) != GIT_OBJECT_TREE) {
		git_odb_object_free(*obj);
		*obj = NULL;
		return LPS_RAW_UNUSUAL;
	}
	return 0;
}

/* ---- raw trees kept checked, with the offsets of their entries ---- */

/*
 * A tree object read once and checked canonical (the whole walk the
 * splice relies on), kept with the offset of each entry so that a name
 * is found by bisection: lps_collection_find, the checks of each path
 * and the splice of one commit then read a folder of 100,000 documents
 * once, not once each.  Counted: the store's cache holds one reference,
 * each user another (a nested splice may load trees that evict it).
 */
struct lps_rawtree {
	git_oid id;
	git_odb_object *obj;  /* owned reference: the bytes */
	const char *data;
	size_t len;
	size_t *offs;         /* the n entries' start offsets */
	size_t n;
	unsigned refs;
};

static void rt_release(struct lps_rawtree *rt)
{
	if (!rt || --rt->refs > 0)
		return;
	git_odb_object_free(rt->obj);
	free(rt->offs);
	free(rt);
}

void lps_store__raw_clear(struct lps_store *store)
{
	for (size_t i = 0; i < LPS_STORE_RAW_CACHE; i++) {
		rt_release(store->raw[i]);
		store->raw[i] = NULL;
	}
}

/* Tree id, read and checked (or kept from before): 0 (*out holds a
 * reference for the caller), LPS_RAW_UNUSUAL or -1. */
static int rt_load(struct lps_store *store, const git_oid *id,
		   struct lps_rawtree **out)
{
	for (size_t i = 0; i < LPS_STORE_RAW_CACHE; i++)
		if (store->raw[i] && git_oid_equal(&store->raw[i]->id, id)) {
			store->raw[i]->refs++;
			*out = store->raw[i];
			return 0;
		}
	git_odb_object *obj = NULL;
	int rc = read_raw(&obj, store->repo, id);
	if (rc)
		return rc;
	const char *buf = git_odb_object_data(obj), *p = buf;
	const char *end = buf + git_odb_object_size(obj);
	struct walk w = { 0 };
	struct rent e, prev;
	int have_prev = 0;
	while ((rc = next_entry(&p, end, &e)) == 1) {
		if (check_order(&w, buf, end, &e, have_prev ? &prev : NULL)) {
			rc = -1;
			break;
		}
		prev = e;
		have_prev = 1;
	}
	struct lps_rawtree *rt = rc == 0 ? calloc(1, sizeof(*rt)) : NULL;
	if (!rt) {
		free(w.offs);
		git_odb_object_free(obj);
		if (rc == 0 || w.nomem) {
			git_error_set_oom();
			return -1;
		}
		return LPS_RAW_UNUSUAL;
	}
	git_oid_cpy(&rt->id, id);
	rt->obj = obj;
	rt->data = buf;
	rt->len = (size_t)(end - buf);
	rt->offs = w.offs;
	rt->n = w.n;
	rt->refs = 2; /* the cache's and the caller's */
	unsigned slot = store->raw_next++ % LPS_STORE_RAW_CACHE;
	rt_release(store->raw[slot]);
	store->raw[slot] = rt;
	*out = rt;
	return 0;
}

/* Entry i (i < n) of a checked tree. */
static void rt_entry(const struct lps_rawtree *rt, size_t i, struct rent *e)
{
	const char *p = rt->data + rt->offs[i];
	next_entry(&p, rt->data + rt->len, e);
}

static size_t rt_off(const struct lps_rawtree *rt, size_t i)
{
	return i < rt->n ? rt->offs[i] : rt->len;
}

/* The first entry not before (name, dir) in tree order. */
static size_t rt_lower_bound(const struct lps_rawtree *rt, const char *name,
			     size_t nlen, int dir)
{
	size_t lo = 0, hi = rt->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct rent e;
		rt_entry(rt, mid, &e);
		if (tree_cmp(e.name, e.nlen, is_dir_mode(e.mode), name, nlen,
			     dir) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The entry called name, a file or a folder (a checked tree has at most
 * one): 1 found (*e, *at), 0 not. */
static int rt_find(const struct lps_rawtree *rt, const char *name,
		   size_t nlen, struct rent *e, size_t *at)
{
	for (int dir = 0; dir < 2; dir++) {
		size_t i = rt_lower_bound(rt, name, nlen, dir);
		if (i < rt->n) {
			rt_entry(rt, i, e);
			if (name_eq(e->name, e->nlen, name, nlen)) {
				*at = i;
				return 1;
			}
		}
	}
	return 0;
}

int lps_store__raw_bypath(struct lps_store *store, const git_oid *tree,
			  const char *path, git_oid *id, unsigned *mode)
{
	git_oid cur;
	git_oid_cpy(&cur, tree);
	const char *comp = path;
	for (;;) {
		const char *slash = strchr(comp, '/');
		size_t nlen = slash ? (size_t)(slash - comp) : strlen(comp);
		if (nlen == 0)
			return LPS_RAW_UNUSUAL;
		struct lps_rawtree *rt = NULL;
		int rc = rt_load(store, &cur, &rt);
		if (rc)
			return rc;
		struct rent e = { 0 };
		size_t at;
		int found = rt_find(rt, comp, nlen, &e, &at);
		if (found) {
			git_oid_fromraw(&cur, e.id);
			*mode = e.mode;
		}
		rt_release(rt);
		if (!found)
			return GIT_ENOTFOUND;
		if (!slash) {
			git_oid_cpy(id, &cur);
			return 0;
		}
		if (!is_dir_mode(*mode))
			return GIT_ENOTFOUND;
		comp = slash + 1;
	}
}

/* ---- splicing ---- */

/* What one tree gets: an entry set or removed, or a folder changed. */
struct mod {
	const char *name;
	size_t nlen;
	int dir;                      /* a folder with changes below */
	const git_tree_update *leaf;  /* the change of a file (dir == 0) */
	const git_tree_update **sub;  /* dir: the changes below */
	size_t nsub;
	int done;
};

static int mod_tree_cmp(const void *a, const void *b)
{
	const struct mod *x = a, *y = b;
	return tree_cmp(x->name, x->nlen, x->dir, y->name, y->nlen, y->dir);
}

static int up_path_cmp(const void *a, const void *b)
{
	const git_tree_update *const *x = a, *const *y = b;
	return strcmp((*x)->path, (*y)->path);
}

/*
 * A name the treebuilder takes as it is on every system: ASCII letters,
 * digits and "-_.+@,=", not starting with a dot (no ".git" variants, no
 * "git~1", no names NTFS or HFS+ would read differently).  Others are
 * left to libgit2, which decides.
 */
static int plain_name(const char *s, size_t n)
{
	if (n == 0 || s[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || (c && strchr("-_.+@,=", c))))
			return 0;
	}
	return 1;
}

/* A growing output buffer; on failure nomem is set and nothing more is
 * appended. */
struct obuf {
	char *p;
	size_t len, cap;
	int nomem;
};

static void put(struct obuf *b, const void *data, size_t n)
{
	if (b->nomem || n == 0)
		return;
	if (b->cap - b->len < n) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap - b->len < n)
			cap *= 2;
		char *q = realloc(b->p, cap);
		if (!q) {
			b->nomem = 1;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

static void put_entry(struct obuf *b, unsigned mode, const char *name,
		      size_t nlen, const git_oid *id)
{
	char m[16];
	int k = snprintf(m, sizeof(m), "%o ", mode);
	put(b, m, (size_t)k);
	put(b, name, nlen);
	put(b, "", 1);
	put(b, id->id, GIT_OID_RAWSZ);
}

static int by_name(const void *a, const void *b)
{
	const struct mod *const *x = a, *const *y = b;
	size_t n = (*x)->nlen < (*y)->nlen ? (*x)->nlen : (*y)->nlen;
	int c = memcmp((*x)->name, (*y)->name, n);
	if (c)
		return c;
	return ((*x)->nlen > (*y)->nlen) - ((*x)->nlen < (*y)->nlen);
}

static int build(git_oid *out, int *empty, struct lps_store *store,
		 git_odb *odb, const git_oid *base,
		 const git_tree_update **up, size_t n, size_t off);

/*
 * git_odb_write(out, odb, data, len, GIT_OBJECT_TREE) for a tree written
 * to disk, with the id hashed by lps_sha1 instead of libgit2's SHA1DC
 * (0.14e9 instructions for the 4 MiB tree of 100,000 goals): an object
 * that exists is freshened or left as it is, a new one goes to the loose
 * backend of git's level, as git_odb_write would send it.  Small trees,
 * and all objects once lps_store_worktree keeps them in memory, take
 * git_odb_write.  0 or -1.
 */
static int write_tree(git_oid *out, struct lps_store *store, git_odb *odb,
		      const char *data, size_t len)
{
	git_odb_backend *loose = store->loose;
	if (len < LPS_STORE_BIG_OBJECT || !loose || store->in_memory)
		return git_odb_write(out, odb, data, len, GIT_OBJECT_TREE) < 0 ?
		       -1 : 0;
	char hdr[32];
	int h = snprintf(hdr, sizeof(hdr), "tree %zu", len) + 1;
	struct lps_sha1 c;
	lps_sha1_init(&c);
	lps_sha1_update(&c, hdr, (size_t)h);
	lps_sha1_update(&c, data, len);
	lps_sha1_final(&c, out->id);
	if (loose->freshen(loose, out) == 0 || git_odb_exists(odb, out)) {
		git_error_clear();
		return 0;
	}
	git_error_clear();
	return loose->write(loose, out, data, len, GIT_OBJECT_TREE) < 0 ? -1 :
	       0;
}

/* Emit mod m, whose old entry is old (NULL: none). */
static int emit(struct obuf *b, struct mod *m, const struct rent *old,
		struct lps_store *store, git_odb *odb, size_t off)
{
	m->done = 1;
	if (m->dir) {
		git_oid sub, oid;
		int sub_empty = 0;
		if (old)
			git_oid_fromraw(&oid, old->id);
		int rc = build(&sub, &sub_empty, store, odb, old ? &oid : NULL,
			       m->sub, m->nsub, off + m->nlen + 1);
		if (rc)
			return rc;
		if (!sub_empty)
			put_entry(b, 040000, m->name, m->nlen, &sub);
		return 0;
	}
	if (m->leaf->action == GIT_TREE_UPDATE_REMOVE)
		return old ? 0 : LPS_RAW_UNUSUAL; /* libgit2 says why */
	put_entry(b, (unsigned)m->leaf->filemode, m->name, m->nlen,
		  &m->leaf->id);
	return 0;
}

/* The changes up[0..n) (sorted by path, sharing their first off bytes)
 * of one tree, into mods; 0, or LPS_RAW_UNUSUAL. */
static int make_mods(struct mod *mods, size_t *k, git_odb *odb,
		     const git_tree_update **up, size_t n, size_t off)
{
	*k = 0;
	for (size_t i = 0; i < n;) {
		const char *comp = up[i]->path + off;
		const char *slash = strchr(comp, '/');
		size_t nlen = slash ? (size_t)(slash - comp) : strlen(comp);
		if (!plain_name(comp, nlen))
			return LPS_RAW_UNUSUAL;
		struct mod *m = &mods[(*k)++];
		memset(m, 0, sizeof(*m));
		m->name = comp;
		m->nlen = nlen;
		if (!slash) {
			const git_tree_update *u = up[i];
			if (u->action == GIT_TREE_UPDATE_UPSERT) {
				if ((u->filemode != GIT_FILEMODE_BLOB &&
				     u->filemode != GIT_FILEMODE_BLOB_EXECUTABLE &&
				     u->filemode != GIT_FILEMODE_LINK) ||
				    !git_odb_exists(odb, &u->id))
					return LPS_RAW_UNUSUAL;
			} else if (u->action != GIT_TREE_UPDATE_REMOVE) {
				return LPS_RAW_UNUSUAL;
			}
			m->leaf = u;
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && strncmp(up[j]->path + off, comp, nlen) == 0 &&
		       up[j]->path[off + nlen] == '/')
			j++;
		m->dir = 1;
		m->sub = &up[i];
		m->nsub = j - i;
		i = j;
	}
	return 0;
}

static int build(git_oid *out, int *empty, struct lps_store *store,
		 git_odb *odb, const git_oid *base,
		 const git_tree_update **up, size_t n, size_t off)
{
	struct mod *mods = calloc(n, sizeof(*mods));
	struct mod **names = calloc(n, sizeof(*names));
	struct lps_rawtree *rt = NULL;
	struct obuf b = { 0 };
	size_t k = 0;
	int rc = -1;
	if (!mods || !names) {
		git_error_set_oom();
		goto out;
	}
	if ((rc = make_mods(mods, &k, odb, up, n, off)))
		goto out;
	for (size_t i = 0; i < k; i++)
		names[i] = &mods[i];
	qsort(names, k, sizeof(*names), by_name);
	for (size_t i = 1; i < k; i++)
		if (by_name(&names[i - 1], &names[i]) == 0) {
			rc = LPS_RAW_UNUSUAL; /* a file and a folder */
			goto out;
		}
	qsort(mods, k, sizeof(*mods), mod_tree_cmp);
	if (base && (rc = rt_load(store, base, &rt)))
		goto out;
	/* The old entries between two changes are copied as one run. */
	size_t cursor = 0;
	for (size_t mi = 0; mi < k; mi++) {
		struct mod *m = &mods[mi];
		struct rent old;
		size_t at = 0;
		int found = rt && rt_find(rt, m->name, m->nlen, &old, &at);
		if (found && is_dir_mode(old.mode) != m->dir) {
			rc = LPS_RAW_UNUSUAL; /* a file made a folder, or back */
			goto out;
		}
		if (!found)
			at = rt ? rt_lower_bound(rt, m->name, m->nlen, m->dir) : 0;
		if (rt)
			put(&b, rt->data + rt_off(rt, cursor),
			    rt_off(rt, at) - rt_off(rt, cursor));
		if ((rc = emit(&b, m, found ? &old : NULL, store, odb, off)))
			goto out;
		cursor = found ? at + 1 : at;
	}
	if (rt)
		put(&b, rt->data + rt_off(rt, cursor),
		    rt->len - rt_off(rt, cursor));
	if (b.nomem) {
		git_error_set_oom();
		rc = -1;
		goto out;
	}
	*empty = b.len == 0;
	rc = 0;
	if (b.len > 0 || off == 0)
		rc = write_tree(out, store, odb, b.len ? b.p : "", b.len);
out:
	rt_release(rt);
	free(b.p);
	free(names);
	free(mods);
	return rc;
}

int lps_store__raw_update(git_oid *out, struct lps_store *store,
			  const git_tree *base, size_t n,
			  const git_tree_update *updates)
{
	const git_tree_update **up = calloc(n ? n : 1, sizeof(*up));
	git_odb *odb = NULL;
	int rc = -1, empty = 0;
	if (!up) {
		git_error_set_oom();
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		up[i] = &updates[i];
	qsort(up, n, sizeof(*up), up_path_cmp);
	for (size_t i = 0; i < n; i++) {
		const char *path = up[i]->path;
		size_t len = strlen(path);
		/* Duplicates, and a path that is a folder of the next. */
		if (len == 0 || path[len - 1] == '/' || strstr(path, "//") ||
		    path[0] == '/' ||
		    (i + 1 < n && strncmp(path, up[i + 1]->path, len) == 0 &&
		     (up[i + 1]->path[len] == '\0' ||
		      up[i + 1]->path[len] == '/'))) {
			rc = LPS_RAW_UNUSUAL;
			goto out;
		}
	}
	if (git_repository_odb(&odb, store->repo) < 0)
		goto out;
	rc = build(out, &empty, store, odb, base ? git_tree_id(base) : NULL,
		   up, n, 0);
out:
	git_odb_free(odb);
	free(up);
	return rc;
}

struct lps_error *lps_store_has(struct lps_store *store,
				const git_oid *commit, const char *path,
				int *found)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *te = NULL;
	git_oid id;
	unsigned mode;
	struct lps_error *err = NULL;
	*found = 0;
	if (git_commit_lookup(&c, store->repo, commit) < 0)
		return lps_store__git_error("cannot read the commit");
	int rc = lps_store__raw_bypath(store, git_commit_tree_id(c), path,
				       &id, &mode);
	if (rc == LPS_RAW_UNUSUAL) {
		git_error_clear();
		rc = git_commit_tree(&tree, c);
		if (rc == 0)
			rc = git_tree_entry_bypath(&te, tree, path);
	}
	if (rc == 0)
		*found = 1;
	else if (rc == GIT_ENOTFOUND)
		git_error_clear();
	else
		err = lps_store__git_error("%s: cannot look it up", path);
	git_tree_entry_free(te);
	git_tree_free(tree);
	git_commit_free(c);
	return err;
}
