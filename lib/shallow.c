/*
 * shallow.c - walking the history of a shallow clone (shallow.h).
 *
 * libgit2's revision walk parses the parents of every commit it meets,
 * so it cannot stop at a shallow boundary.  Here the part of the graph
 * reachable from the start is collected first (commits of the shallow
 * file have no parents; a parent that is not in the object database ends
 * the walk too), then handed out newest first with a heap, a commit only
 * once all its children have been: the order lps_store_walk gives
 * (GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME).  A shallow clone holds few
 * commits, which is what makes keeping them all in memory acceptable.
 */
#include "shallow.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

struct node {
	git_oid id;
	int64_t time;      /* committer time: the newest comes first */
	size_t *parents;   /* indices into walk.v, owned */
	size_t nparents;
	size_t pending;    /* children not handed out yet */
};

struct walk {
	git_repository *repo;
	git_odb *odb;
	git_oid *grafts;   /* the shallow file, sorted */
	size_t ngrafts;
	struct node *v;
	size_t n, cap;
	size_t *slots;     /* open addressing: index + 1, 0 when free */
	size_t nslots;     /* a power of two, at least 2 n */
	size_t *stack;     /* nodes still to read while collecting */
	size_t nstack, stackcap;
	size_t *heap;      /* indices ready to hand out */
	size_t nheap;
	int cut;
};

static struct lps_error *git_fail(const char *what)
{
	const git_error *e = git_error_last();
	return lps_error_new(LPS_ESYS, "%s: %s", what,
			     e && e->message ? e->message
					     : "unknown libgit2 error");
}

int lps_shallow_is(struct lps_store *store)
{
	return git_repository_is_shallow(lps_store_repo(store)) == 1;
}

static int oid_cmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

/* The shallow file: one 40-hex commit id a line. */
static struct lps_error *read_grafts(struct walk *w)
{
	const char *common = git_repository_commondir(w->repo);
	struct lps_buf path = LPS_BUF_INIT, b = LPS_BUF_INIT;
	struct lps_error *err = NULL;

	if (lps_buf_addf(&path, "%sshallow", common ? common : ""))
		return lps_error_nomem();
	err = lps_buf_read_file(&b, path.data, LPS_SHALLOW_MAX_FILE);
	if (err && err->code == LPS_ENOTFOUND) {
		/* is_shallow said yes, but it is gone: nothing to graft. */
		lps_error_free(err);
		err = NULL;
		goto out;
	}
	if (err)
		goto out;
	size_t lines = 1;
	for (size_t i = 0; i < b.len; i++)
		lines += b.data[i] == '\n';
	if (!(w->grafts = calloc(lines, sizeof(*w->grafts)))) {
		err = lps_error_nomem();
		goto out;
	}
	for (const char *s = b.data ? b.data : ""; *s;) {
		size_t n = strcspn(s, "\n");
		if (n >= GIT_OID_HEXSZ &&
		    git_oid_fromstrn(&w->grafts[w->ngrafts], s,
				     GIT_OID_HEXSZ) == 0)
			w->ngrafts++;
		s += n;
		s += *s == '\n';
	}
	qsort(w->grafts, w->ngrafts, sizeof(*w->grafts), oid_cmp);
out:
	lps_buf_free(&path);
	lps_buf_free(&b);
	git_error_clear();
	return err;
}

static int is_graft(const struct walk *w, const git_oid *id)
{
	return w->ngrafts && bsearch(id, w->grafts, w->ngrafts,
				     sizeof(*w->grafts), oid_cmp) != NULL;
}

static size_t slot_of(const struct walk *w, const git_oid *id)
{
	size_t h;
	memcpy(&h, id->id, sizeof(h));
	return h & (w->nslots - 1);
}

/* Index + 1 of id, or 0. */
static size_t find(const struct walk *w, const git_oid *id)
{
	for (size_t s = slot_of(w, id);; s = (s + 1) & (w->nslots - 1)) {
		size_t k = w->slots[s];
		if (!k || git_oid_equal(&w->v[k - 1].id, id))
			return k;
	}
}

static int rehash(struct walk *w)
{
	size_t n = w->nslots ? w->nslots * 2 : 64;
	size_t *slots = calloc(n, sizeof(*slots));
	if (!slots)
		return -1;
	free(w->slots);
	w->slots = slots;
	w->nslots = n;
	for (size_t i = 0; i < w->n; i++) {
		size_t s = slot_of(w, &w->v[i].id);
		while (w->slots[s])
			s = (s + 1) & (n - 1);
		w->slots[s] = i + 1;
	}
	return 0;
}

/* Add id (not yet known) as a node; its index in *at. */
static struct lps_error *add(struct walk *w, const git_oid *id, size_t *at)
{
	if (w->n >= LPS_SHALLOW_MAX_COMMITS)
		return lps_error_new(LPS_EINVALID,
				     "history has more than %zu commits",
				     LPS_SHALLOW_MAX_COMMITS);
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 64;
		struct node *v = realloc(w->v, cap * sizeof(*v));
		if (!v)
			return lps_error_nomem();
		w->v = v;
		w->cap = cap;
	}
	if (2 * (w->n + 1) > w->nslots && rehash(w))
		return lps_error_nomem();
	struct node *nd = &w->v[w->n];
	memset(nd, 0, sizeof(*nd));
	git_oid_cpy(&nd->id, id);
	size_t s = slot_of(w, id);
	while (w->slots[s])
		s = (s + 1) & (w->nslots - 1);
	w->slots[s] = ++w->n;
	*at = w->n - 1;
	return NULL;
}

static int push(struct walk *w, size_t i)
{
	if (w->nstack == w->stackcap) {
		size_t cap = w->stackcap ? 2 * w->stackcap : 64;
		size_t *s = realloc(w->stack, cap * sizeof(*s));
		if (!s)
			return -1;
		w->stack = s;
		w->stackcap = cap;
	}
	w->stack[w->nstack++] = i;
	return 0;
}

/* Read node i: its time and its parents (adding the new ones). */
static struct lps_error *expand(struct walk *w, size_t i)
{
	git_commit *c = NULL;
	struct lps_error *err = NULL;

	if (git_commit_lookup(&c, w->repo, &w->v[i].id) < 0)
		return git_fail("cannot read a commit");
	w->v[i].time = (int64_t)git_commit_time(c);
	unsigned np = git_commit_parentcount(c);
	if (np && is_graft(w, &w->v[i].id)) {
		w->cut = 1;
		np = 0;
	}
	size_t *parents = np ? calloc(np, sizeof(*parents)) : NULL;
	if (np && !parents) {
		err = lps_error_nomem();
		goto out;
	}
	w->v[i].parents = parents;
	for (unsigned k = 0; k < np; k++) {
		const git_oid *pid = git_commit_parent_id(c, k);
		size_t at = find(w, pid);
		if (at) {
			at--;
		} else if (!git_odb_exists(w->odb, pid)) {
			w->cut = 1; /* beyond what was fetched */
			continue;
		} else {
			if ((err = add(w, pid, &at)))
				goto out;
			if (push(w, at)) {
				err = lps_error_nomem();
				goto out;
			}
		}
		/* The same parent twice (a merge of a commit with itself)
		 * is one edge, as for the revision walk. */
		size_t j;
		for (j = 0; j < w->v[i].nparents; j++)
			if (w->v[i].parents[j] == at)
				break;
		if (j < w->v[i].nparents)
			continue;
		w->v[i].parents[w->v[i].nparents++] = at;
		w->v[at].pending++;
	}
out:
	git_commit_free(c);
	return err;
}

/* Newer first; among equals, the one met first. */
static int before(const struct walk *w, size_t a, size_t b)
{
	if (w->v[a].time != w->v[b].time)
		return w->v[a].time > w->v[b].time;
	return a < b;
}

static void heap_push(struct walk *w, size_t i)
{
	size_t k = w->nheap++;
	w->heap[k] = i;
	while (k && before(w, w->heap[k], w->heap[(k - 1) / 2])) {
		size_t p = (k - 1) / 2, t = w->heap[p];
		w->heap[p] = w->heap[k];
		w->heap[k] = t;
		k = p;
	}
}

static size_t heap_pop(struct walk *w)
{
	size_t top = w->heap[0];
	w->heap[0] = w->heap[--w->nheap];
	for (size_t k = 0;;) {
		size_t l = 2 * k + 1, r = l + 1, m = k;
		if (l < w->nheap && before(w, w->heap[l], w->heap[m]))
			m = l;
		if (r < w->nheap && before(w, w->heap[r], w->heap[m]))
			m = r;
		if (m == k)
			break;
		size_t t = w->heap[m];
		w->heap[m] = w->heap[k];
		w->heap[k] = t;
		k = m;
	}
	return top;
}

static struct lps_error *collect(struct walk *w, const git_oid *start)
{
	size_t at;
	struct lps_error *err = add(w, start, &at);

	if (!err && push(w, at))
		err = lps_error_nomem();
	while (!err && w->nstack)
		err = expand(w, w->stack[--w->nstack]);
	return err;
}

static struct lps_error *walk_shallow(struct lps_store *store,
				      const git_oid *start,
				      lps_store_walk_fn fn, void *ctx,
				      int *cut)
{
	struct walk w = { .repo = lps_store_repo(store) };
	struct lps_error *err = NULL;

	if (git_repository_odb(&w.odb, w.repo) < 0)
		return git_fail("cannot open the object database");
	if ((err = read_grafts(&w)) || (err = collect(&w, start)))
		goto out;
	if (!(w.heap = malloc(w.n * sizeof(*w.heap)))) {
		err = lps_error_nomem();
		goto out;
	}
	heap_push(&w, 0);
	while (w.nheap) {
		size_t i = heap_pop(&w);
		git_commit *c = NULL;
		if (git_commit_lookup(&c, w.repo, &w.v[i].id) < 0) {
			err = git_fail("cannot read a commit");
			goto out;
		}
		int stop = fn(ctx, c);
		git_commit_free(c);
		if (stop)
			break;
		for (size_t k = 0; k < w.v[i].nparents; k++) {
			size_t p = w.v[i].parents[k];
			if (--w.v[p].pending == 0)
				heap_push(&w, p);
		}
	}
	if (cut)
		*cut = w.cut;
out:
	for (size_t i = 0; i < w.n; i++)
		free(w.v[i].parents);
	free(w.v);
	free(w.slots);
	free(w.heap);
	free(w.stack);
	free(w.grafts);
	git_odb_free(w.odb);
	return err;
}

struct lps_error *lps_shallow_walk(struct lps_store *store,
				   const git_oid *from, lps_store_walk_fn fn,
				   void *ctx, int *cut)
{
	git_oid start;

	if (cut)
		*cut = 0;
	if (!lps_shallow_is(store))
		return lps_store_walk(store, from, fn, ctx);
	if (from) {
		git_oid_cpy(&start, from);
	} else {
		int rc = git_reference_name_to_id(&start,
						  lps_store_repo(store), "HEAD");
		if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH) {
			git_error_clear();
			return NULL;
		}
		if (rc < 0)
			return git_fail("cannot read HEAD");
	}
	return walk_shallow(store, &start, fn, ctx, cut);
}
