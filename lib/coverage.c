/*
 * coverage.c - what covers a framework standard (coverage.h): the goals,
 * evidence and rating of each standard, by one rule.
 *
 * Kept: per standard the ids of its goals and evidence; per counted goal
 * the standards it names (to credit the evidence that supports it); per
 * assessment of the cycle the evidence ids it cites.  Nothing else of a
 * document outlives the call that fed it.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "coverage.h"

typedef char idbuf[LPS_ID_LEN + 1];

struct slot {
	struct lps_coverage_entry pub;  /* first: lps_coverage_at returns it */
	size_t gcap, ecap;
	size_t seen;                    /* evidence number last counted */
	char rating[16];
};

/* A counted goal and the entries it names. */
struct goal {
	idbuf id;
	size_t *entries, n;
};

/* An evidence id an assessment of the cycle cites, for one entry. */
struct cite {
	idbuf id;
	size_t entry;
};

struct lps_coverage {
	const char *cycle;
	const struct lps_report_opts *opts;
	struct slot *s;
	size_t ns;
	struct slot **by_ref;           /* the slots, sorted by ref */
	struct goal *g;
	size_t ng, gcap;
	struct cite *ct;
	size_t nct, ctcap;
	int judging;                    /* evidence has been fed */
	size_t evidence_no;
};

static const char *str(const struct lps_node *m, const char *key)
{
	return lps_node_str(lps_map_get(m, key));
}

static size_t seq_n(const struct lps_node *s)
{
	return s && s->type == LPS_NODE_SEQ ? s->v.seq.n : 0;
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t nc = *cap ? 2 * *cap : 8;
	void *p = realloc(*v, nc * size);
	if (!p)
		return -1;
	*v = p;
	*cap = nc;
	return 0;
}

static int add_id(idbuf **v, size_t *n, size_t *cap, const char *id)
{
	if (grow((void **)v, cap, *n, sizeof(**v)))
		return -1;
	snprintf((*v)[(*n)++], sizeof(**v), "%s", id);
	return 0;
}

static int cmp_by_ref(const void *a, const void *b)
{
	return strcmp((*(struct slot *const *)a)->pub.ref,
		      (*(struct slot *const *)b)->pub.ref);
}

/* The slot index of ref, or (size_t)-1. */
static size_t find(const struct lps_coverage *c, const char *ref)
{
	size_t lo = 0, hi = c->ns;
	if (!ref)
		return (size_t)-1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(ref, c->by_ref[mid]->pub.ref);
		if (!d)
			return (size_t)(c->by_ref[mid] - c->s);
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (size_t)-1;
}

struct lps_error *lps_coverage_new(struct lps_coverage **out,
				   const struct lps_framework *const *fws,
				   size_t nfw, const char *cycle,
				   const struct lps_report_opts *opts)
{
	struct lps_coverage *c = calloc(1, sizeof(*c));
	*out = NULL;
	if (!c)
		return lps_error_nomem();
	c->cycle = cycle;
	c->opts = opts;
	for (size_t i = 0; i < nfw; i++)
		c->ns += fws[i]->nstandards;
	c->s = calloc(c->ns ? c->ns : 1, sizeof(*c->s));
	c->by_ref = calloc(c->ns ? c->ns : 1, sizeof(*c->by_ref));
	if (!c->s || !c->by_ref) {
		lps_coverage_free(c);
		return lps_error_nomem();
	}
	size_t at = 0;
	for (size_t i = 0; i < nfw; i++)
		for (size_t k = 0; k < fws[i]->nstandards; k++, at++) {
			struct slot *s = &c->s[at];
			snprintf(s->pub.ref, sizeof(s->pub.ref), "%s.%s",
				 fws[i]->name, fws[i]->standards[k].code);
			s->pub.framework = fws[i];
			s->pub.standard = &fws[i]->standards[k];
			s->seen = (size_t)-1;
			c->by_ref[at] = s;
		}
	if (c->ns > 1)
		qsort(c->by_ref, c->ns, sizeof(*c->by_ref), cmp_by_ref);
	*out = c;
	return NULL;
}

void lps_coverage_free(struct lps_coverage *c)
{
	if (!c)
		return;
	for (size_t i = 0; c->s && i < c->ns; i++) {
		free(c->s[i].pub.goals);
		free(c->s[i].pub.evidence);
	}
	for (size_t i = 0; i < c->ng; i++)
		free(c->g[i].entries);
	free(c->s);
	free(c->by_ref);
	free(c->g);
	free(c->ct);
	free(c);
}

/* A goal or assessment of the cycle? */
static int of_cycle(const struct lps_coverage *c, const struct lps_node *n)
{
	const char *cycle = str(n, "cycle");
	return c->cycle && cycle && strcmp(cycle, c->cycle) == 0;
}

int lps_coverage_goal(struct lps_coverage *c, const struct lps_node *goal)
{
	const char *id = str(goal, "id"), *status = str(goal, "status");
	const struct lps_node *stds = lps_map_get(goal, "standards");
	if (c->judging)
		return 1;
	if (!lps_portfolio_id_valid(id, 'g') || !of_cycle(c, goal) ||
	    (status && strcmp(status, "dropped") == 0) || !seq_n(stds))
		return 0;
	if (grow((void **)&c->g, &c->gcap, c->ng, sizeof(*c->g)))
		return -1;
	struct goal *g = &c->g[c->ng];
	memset(g, 0, sizeof(*g));
	snprintf(g->id, sizeof(g->id), "%s", id);
	if (!(g->entries = calloc(seq_n(stds), sizeof(*g->entries))))
		return -1;
	c->ng++;
	for (size_t i = 0; i < seq_n(stds); i++) {
		size_t e = find(c, lps_node_str(stds->v.seq.items[i]));
		if (e == (size_t)-1)
			continue;
		struct slot *s = &c->s[e];
		g->entries[g->n++] = e;
		if (add_id(&s->pub.goals, &s->pub.ngoals, &s->gcap, id))
			return -1;
	}
	return 0;
}

int lps_coverage_assessment(struct lps_coverage *c,
			    const struct lps_node *a)
{
	char ref[LPS_COVERAGE_REF_MAX];
	const char *fw = str(a, "framework"), *code = str(a, "code");
	const char *rating = str(a, "rating");
	const struct lps_node *evs = lps_map_get(a, "evidence");
	if (c->judging)
		return 1;
	if (!fw || !code || !rating || !of_cycle(c, a) ||
	    (size_t)snprintf(ref, sizeof(ref), "%s.%s", fw, code) >=
	    sizeof(ref))
		return 0;
	size_t e = find(c, ref);
	if (e == (size_t)-1)
		return 0;
	struct slot *s = &c->s[e];
	snprintf(s->rating, sizeof(s->rating), "%s", rating);
	s->pub.rating = s->rating;
	for (size_t i = 0; i < seq_n(evs); i++) {
		const char *id = lps_node_str(evs->v.seq.items[i]);
		if (!lps_portfolio_id_valid(id, 'e'))
			continue;
		if (grow((void **)&c->ct, &c->ctcap, c->nct, sizeof(*c->ct)))
			return -1;
		snprintf(c->ct[c->nct].id, sizeof(c->ct[c->nct].id), "%s", id);
		c->ct[c->nct++].entry = e;
	}
	return 0;
}

static int cmp_goal(const void *a, const void *b)
{
	return strcmp(((const struct goal *)a)->id,
		      ((const struct goal *)b)->id);
}

static int cmp_cite(const void *a, const void *b)
{
	return strcmp(((const struct cite *)a)->id,
		      ((const struct cite *)b)->id);
}

/* Credit evidence id to entry e, once per piece of evidence. */
static int credit(struct lps_coverage *c, size_t e, const char *id)
{
	struct slot *s = &c->s[e];
	if (s->seen == c->evidence_no)
		return 0;
	s->seen = c->evidence_no;
	return add_id(&s->pub.evidence, &s->pub.nevidence, &s->ecap, id);
}

int lps_coverage_evidence(struct lps_coverage *c, const struct lps_node *ev)
{
	const char *id = str(ev, "id");
	if (!c->judging) {
		/* Goals and assessments are all in: index them. */
		c->judging = 1;
		if (c->ng > 1)
			qsort(c->g, c->ng, sizeof(*c->g), cmp_goal);
		if (c->nct > 1)
			qsort(c->ct, c->nct, sizeof(*c->ct), cmp_cite);
	}
	if (!lps_portfolio_id_valid(id, 'e') ||
	    !lps_report_in_range(c->opts, str(ev, "date")))
		return 0;
	c->evidence_no++;
	const struct lps_node *stds = lps_map_get(ev, "standards");
	for (size_t i = 0; i < seq_n(stds); i++) {
		size_t e = find(c, lps_node_str(stds->v.seq.items[i]));
		if (e != (size_t)-1 && credit(c, e, id))
			return -1;
	}
	const struct lps_node *goals = lps_map_get(ev, "goals");
	for (size_t i = 0; c->ng && i < seq_n(goals); i++) {
		struct goal key;
		const char *gid = lps_node_str(goals->v.seq.items[i]);
		if (!lps_portfolio_id_valid(gid, 'g'))
			continue;
		snprintf(key.id, sizeof(key.id), "%s", gid);
		const struct goal *g = bsearch(&key, c->g, c->ng, sizeof(*c->g),
					       cmp_goal);
		for (size_t k = 0; g && k < g->n; k++)
			if (credit(c, g->entries[k], id))
				return -1;
	}
	if (c->nct) {
		struct cite key;
		snprintf(key.id, sizeof(key.id), "%s", id);
		const struct cite *hit = bsearch(&key, c->ct, c->nct,
						 sizeof(*c->ct), cmp_cite);
		if (hit) {
			/* Every citation of this id, on either side. */
			const struct cite *lo = hit, *end = c->ct + c->nct;
			while (lo > c->ct && !strcmp(lo[-1].id, id))
				lo--;
			for (; lo < end && !strcmp(lo->id, id); lo++)
				if (credit(c, lo->entry, id))
					return -1;
		}
	}
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Sort ids and drop repeats (a goal that names a standard twice). */
static void sort_unique(idbuf *v, size_t *n)
{
	size_t w = 0;
	if (*n > 1)
		qsort(v, *n, sizeof(*v), cmp_id);
	for (size_t i = 0; i < *n; i++)
		if (!w || strcmp(v[w - 1], v[i]))
			memmove(v[w++], v[i], sizeof(*v));
	*n = w;
}

void lps_coverage_finish(struct lps_coverage *c)
{
	for (size_t i = 0; i < c->ns; i++) {
		sort_unique(c->s[i].pub.goals, &c->s[i].pub.ngoals);
		sort_unique(c->s[i].pub.evidence, &c->s[i].pub.nevidence);
	}
}

size_t lps_coverage_count(const struct lps_coverage *c)
{
	return c->ns;
}

const struct lps_coverage_entry *lps_coverage_at(const struct lps_coverage *c,
						 size_t i)
{
	return i < c->ns ? &c->s[i].pub : NULL;
}
