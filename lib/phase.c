/*
 * phase.c - phases, their gates and the phase change (see phase.h).
 */
#include "phase.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "collection.h"
#include "goal.h"
#include "textclean.h"
#include "txn.h"

static const char *const phases[LPS_PHASE_COUNT] = {
	"purpose", "focus", "structures", "action", "outcomes",
};

/* Carried goals per phase change; the goal schema bounds little else. */
#define MAX_CARRY 100

int lps_phase_index(const char *name)
{
	for (int i = 0; name && i < LPS_PHASE_COUNT; i++)
		if (strcmp(phases[i], name) == 0)
			return i;
	return -1;
}

const char *lps_phase_name(int i)
{
	return i >= 0 && i < LPS_PHASE_COUNT ? phases[i] : NULL;
}

const char *lps_phase_next(const char *name)
{
	int i = lps_phase_index(name);

	return i < 0 ? NULL : phases[(i + 1) % LPS_PHASE_COUNT];
}

void lps_gaps_free(struct lps_gaps *gaps)
{
	if (!gaps)
		return;
	for (size_t i = 0; i < gaps->n; i++) {
		free(gaps->items[i].goal);
		free(gaps->items[i].text);
	}
	free(gaps->items);
	gaps->items = NULL;
	gaps->n = gaps->cap = 0;
}

/* Append a gap whose text is built in b (taken); goal may be NULL. */
static struct lps_error *gaps_push(struct lps_gaps *gaps, const char *goal,
				   struct lps_buf *b)
{
	struct lps_gap g = { NULL, NULL };

	if (gaps->n == gaps->cap) {
		size_t cap = gaps->cap ? gaps->cap * 2 : 8;
		struct lps_gap *items = realloc(gaps->items,
						cap * sizeof(*items));
		if (!items)
			goto nomem;
		gaps->items = items;
		gaps->cap = cap;
	}
	if (goal && !(g.goal = strdup(goal)))
		goto nomem;
	if (!b->data && lps_buf_adds(b, "") < 0)
		goto nomem;
	g.text = lps_buf_detach(b, NULL);
	gaps->items[gaps->n++] = g;
	return NULL;
nomem:
	free(g.goal);
	lps_buf_free(b);
	return lps_error_nomem();
}

static struct lps_error *gap_text(struct lps_gaps *gaps, const char *text)
{
	struct lps_buf b = LPS_BUF_INIT;

	if (lps_buf_adds(&b, text) < 0)
		return lps_error_nomem();
	return gaps_push(gaps, NULL, &b);
}

/* What the gate remembers of one goal of the cycle. */
struct goal_rec {
	char id[LPS_ID_LEN + 1];
	char *title;
	const char *status;  /* static: one of the schema's statuses */
	unsigned has_indicator : 1, has_alignment : 1, has_action : 1,
		has_evidence : 1,
		has_flat : 1;    /* an indicator with target == baseline */
};

struct lps_gate {
	int from;                /* phase index */
	const struct lps_node *meta;
	const char *cycle;
	struct goal_rec *goals;
	size_t n, cap;
	int sorted;              /* goals are in id order */
	int nopen;               /* active goals of the cycle */
	int reflected;           /* an outcomes reflection was seen */
	/* evidence that came before its goals: goal ids, kept sorted late */
	char (*early)[LPS_ID_LEN + 1];
	size_t nearly, capearly;
};

static const char *const statuses[] = {
	"proposed", "active", "met", "partially-met", "not-met", "dropped",
	NULL,
};

static const char *static_status(const char *s)
{
	for (size_t i = 0; s && statuses[i]; i++)
		if (strcmp(statuses[i], s) == 0)
			return statuses[i];
	return "unknown";
}

static int is_open(const char *status)
{
	return !strcmp(status, "active") || !strcmp(status, "proposed");
}

struct lps_error *lps_gate_new(struct lps_gate **out,
			       const struct lps_node *meta)
{
	const char *phase = lps_node_str(lps_map_get(meta, "phase"));
	const char *cycle = lps_node_str(lps_map_get(meta, "cycle"));
	struct lps_gate *g;
	int from = lps_phase_index(phase);

	*out = NULL;
	if (from < 0)
		return lps_error_new(LPS_EINVALID, "lps.yaml: %s phase%s%s",
				     phase ? "unknown" : "no",
				     phase ? " " : "", phase ? phase : "");
	if (!cycle || !*cycle)
		return lps_error_new(LPS_EINVALID, "lps.yaml: no cycle");
	g = calloc(1, sizeof(*g));
	if (!g)
		return lps_error_nomem();
	g->from = from;
	g->meta = meta;
	g->cycle = cycle;
	g->sorted = 1;
	*out = g;
	return NULL;
}

void lps_gate_free(struct lps_gate *gate)
{
	if (!gate)
		return;
	for (size_t i = 0; i < gate->n; i++)
		free(gate->goals[i].title);
	free(gate->goals);
	free(gate->early);
	free(gate);
}

const char *lps_gate_from(const struct lps_gate *gate)
{
	return phases[gate->from];
}

const char *lps_gate_to(const struct lps_gate *gate)
{
	return phases[(gate->from + 1) % LPS_PHASE_COUNT];
}

const char *lps_gate_cycle(const struct lps_gate *gate)
{
	return gate->cycle;
}

unsigned lps_gate_needs(const struct lps_gate *gate)
{
	switch (gate->from) {
	case 1: return LPS_GATE_GOALS;
	case 3: return LPS_GATE_GOALS | LPS_GATE_EVIDENCE;
	case 4: return LPS_GATE_GOALS | LPS_GATE_REFLECTIONS;
	default: return 0;
	}
}

static int seq_len(const struct lps_node *n)
{
	return n && n->type == LPS_NODE_SEQ ? (int)n->v.seq.n : 0;
}

static int cmp_rec(const void *a, const void *b)
{
	return strcmp(((const struct goal_rec *)a)->id,
		      ((const struct goal_rec *)b)->id);
}

static struct goal_rec *find_rec(struct lps_gate *g, const char *id)
{
	struct goal_rec key;

	if (!g->sorted) {
		qsort(g->goals, g->n, sizeof(*g->goals), cmp_rec);
		g->sorted = 1;
	}
	if (!g->n || strlen(id) > LPS_ID_LEN)
		return NULL;
	strcpy(key.id, id);
	return bsearch(&key, g->goals, g->n, sizeof(*g->goals), cmp_rec);
}

static int cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

struct lps_error *lps_gate_goal(struct lps_gate *g,
				const struct lps_node *goal)
{
	const char *id = lps_node_str(lps_map_get(goal, "id"));
	const char *title = lps_node_str(lps_map_get(goal, "title"));
	const char *cycle = lps_node_str(lps_map_get(goal, "cycle"));
	const char *status = static_status(
		lps_node_str(lps_map_get(goal, "status")));
	const struct lps_node *inds = lps_map_get(goal, "indicators");
	const struct lps_node *aligns = lps_map_get(goal, "aligns");
	struct goal_rec *r;

	if (!(lps_gate_needs(g) & LPS_GATE_GOALS) || !id ||
	    strlen(id) > LPS_ID_LEN || !cycle || strcmp(cycle, g->cycle))
		return NULL;
	/* Only the outcomes gate looks at goals that are closed. */
	if (g->from != 4 && !is_open(status))
		return NULL;
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 16;
		struct goal_rec *goals = realloc(g->goals,
						 cap * sizeof(*goals));
		if (!goals)
			return lps_error_nomem();
		g->goals = goals;
		g->cap = cap;
	}
	r = &g->goals[g->n];
	memset(r, 0, sizeof(*r));
	strcpy(r->id, id);
	if (!(r->title = strdup(title ? title : "")))
		return lps_error_nomem();
	r->status = status;
	/* The schema requires baseline and target of every indicator. */
	for (int i = 0; i < seq_len(inds); i++) {
		const struct lps_node *k = inds->v.seq.items[i];
		const struct lps_node *b = lps_map_get(k, "baseline");
		const struct lps_node *t = lps_map_get(k, "target");

		if (b && t && (b->type == LPS_NODE_INT ||
			       b->type == LPS_NODE_FLOAT) &&
		    (t->type == LPS_NODE_INT || t->type == LPS_NODE_FLOAT)) {
			/* no progress can be shown towards where one is */
			if (!lps_goal_indicator_flat(k))
				r->has_indicator = 1;
			else
				r->has_flat = 1;
		}
	}
	r->has_alignment = seq_len(lps_map_get(goal, "standards")) > 0 ||
			   (lps_node_str(aligns) && *lps_node_str(aligns));
	r->has_action = seq_len(lps_map_get(goal, "actions")) > 0;
	if (g->n && strcmp(g->goals[g->n - 1].id, id) >= 0)
		g->sorted = 0;
	g->n++;
	if (is_open(status))
		g->nopen++;
	if (g->nearly) {
		qsort(g->early, g->nearly, sizeof(*g->early), cmp_id);
		if (bsearch(id, g->early, g->nearly, sizeof(*g->early),
			    cmp_id))
			r->has_evidence = 1;
	}
	return NULL;
}

struct lps_error *lps_gate_evidence(struct lps_gate *g,
				    const struct lps_node *evidence)
{
	const struct lps_node *goals = lps_map_get(evidence, "goals");

	if (!(lps_gate_needs(g) & LPS_GATE_EVIDENCE))
		return NULL;
	for (int i = 0; i < seq_len(goals); i++) {
		const char *id = lps_node_str(goals->v.seq.items[i]);
		struct goal_rec *r;

		if (!id || strlen(id) > LPS_ID_LEN)
			continue;
		if ((r = find_rec(g, id))) {
			r->has_evidence = 1;
			continue;
		}
		/* Perhaps its goal has not been fed yet. */
		if (g->nearly == g->capearly) {
			size_t cap = g->capearly ? g->capearly * 2 : 16;
			void *p = realloc(g->early, cap * sizeof(*g->early));
			if (!p)
				return lps_error_nomem();
			g->early = p;
			g->capearly = cap;
		}
		strcpy(g->early[g->nearly++], id);
	}
	return NULL;
}

struct lps_error *lps_gate_reflection(struct lps_gate *g,
				      const struct lps_node *reflection)
{
	const char *phase = lps_node_str(lps_map_get(reflection, "phase"));
	const char *cycle = lps_node_str(lps_map_get(reflection, "cycle"));

	if (!(lps_gate_needs(g) & LPS_GATE_REFLECTIONS))
		return NULL;
	if (phase && !strcmp(phase, "outcomes") &&
	    (!cycle || !strcmp(cycle, g->cycle)))
		g->reflected = 1;
	return NULL;
}

/* `ID "TITLE": what`, control characters of the title as spaces. */
static struct lps_error *goal_gap(struct lps_gaps *out,
				  const struct goal_rec *r, const char *what,
				  const char *arg)
{
	struct lps_buf b = LPS_BUF_INIT;
	int bad = lps_buf_addf(&b, "%s \"", r->id) < 0;

	for (const char *s = r->title; *s && !bad; s++)
		bad = lps_buf_addc(&b, (unsigned char)*s < 0x20 ||
				       *s == 0x7f ? ' ' : *s) < 0;
	if (!bad)
		bad = lps_buf_adds(&b, "\": ") < 0 ||
		      lps_buf_addf(&b, what, arg) < 0;
	if (bad) {
		lps_buf_free(&b);
		return lps_error_nomem();
	}
	return gaps_push(out, r->id, &b);
}

static int named(const struct lps_node *person)
{
	const char *name = lps_node_str(lps_map_get(person, "name"));

	return name && *name;
}

static int has_structure(const struct lps_node *meta)
{
	const struct lps_node *list = lps_map_get(meta, "structures");

	if (named(lps_map_get(meta, "partner")) ||
	    named(lps_map_get(meta, "roundtable")))
		return 1;
	for (int i = 0; i < seq_len(list); i++) {
		const char *kind = lps_node_str(
			lps_map_get(list->v.seq.items[i], "kind"));

		if (kind && (!strcmp(kind, "partner") ||
			     !strcmp(kind, "roundtable")) &&
		    named(list->v.seq.items[i]))
			return 1;
	}
	return 0;
}

struct lps_error *lps_gate_result(const struct lps_gate *cg,
				  struct lps_gaps *out)
{
	struct lps_gate *g = (struct lps_gate *)cg;
	struct lps_error *err = NULL;
	const struct lps_node *purpose = lps_map_get(g->meta, "purpose");
	const char *s;
	char line[128];

	if (!g->sorted && g->n) {
		qsort(g->goals, g->n, sizeof(*g->goals), cmp_rec);
		g->sorted = 1;
	}
	switch (g->from) {
	case 0:
		s = lps_node_str(lps_map_get(purpose, "function"));
		if (!s || !*s)
			err = gap_text(out, "no purpose function chosen");
		s = lps_node_str(lps_map_get(purpose, "statement"));
		if (!err && (!s || !*s))
			err = gap_text(out, "no purpose statement written");
		break;
	case 1:
		if (!g->nopen) {
			snprintf(line, sizeof(line),
				 "no active goal in cycle %s", g->cycle);
			err = gap_text(out, line);
		}
		for (size_t i = 0; i < g->n && !err; i++) {
			if (!g->goals[i].has_indicator)
				err = goal_gap(out, &g->goals[i], "%s",
					       g->goals[i].has_flat
					       ? "no indicator whose target "
						 "differs from its baseline"
					       : "no indicator with baseline "
						 "and target");
			if (!err && !g->goals[i].has_alignment)
				err = goal_gap(out, &g->goals[i], "%s",
					       "no standard or district-goal "
					       "alignment");
		}
		break;
	case 2:
		if (!has_structure(g->meta))
			err = gap_text(out, "no partner or roundtable named");
		break;
	case 3:
		for (size_t i = 0; i < g->n && !err; i++) {
			if (!g->goals[i].has_action)
				err = goal_gap(out, &g->goals[i], "%s",
					       "no action step");
			if (!err && !g->goals[i].has_evidence)
				err = goal_gap(out, &g->goals[i], "%s",
					       "no evidence");
		}
		break;
	case 4:
		for (size_t i = 0; i < g->n && !err; i++)
			if (is_open(g->goals[i].status))
				err = goal_gap(out, &g->goals[i],
					       "no final status (it is %s)",
					       g->goals[i].status);
		if (!err && !g->reflected) {
			snprintf(line, sizeof(line),
				 "no outcomes reflection in cycle %s",
				 g->cycle);
			err = gap_text(out, line);
		}
		break;
	}
	return err;
}

/* Streaming the portfolio into a gate. */
struct feed {
	struct lps_gate *gate;
	struct lps_error *(*fn)(struct lps_gate *, const struct lps_node *);
	struct lps_error *err;
};

static int feed_one(void *ctx, const char *path, const struct lps_doc *doc,
		    const struct lps_error *problem)
{
	struct feed *f = ctx;

	(void)path;
	if (problem || !doc)
		return 0;
	f->err = f->fn(f->gate, lps_doc_root(doc));
	return f->err != NULL;
}

static struct lps_error *feed_dir(struct lps_portfolio *p,
				  struct lps_gate *gate, const char *dir,
				  struct lps_error *(*fn)(struct lps_gate *,
							  const struct lps_node *))
{
	struct feed f = { gate, fn, NULL };
	struct lps_error *err = lps_collection_each(p, dir, feed_one, &f);

	if (f.err) {
		lps_error_free(err);
		return f.err;
	}
	return err;
}

static struct lps_error *gate_of(struct lps_portfolio *p,
				 const struct lps_node *meta,
				 struct lps_gaps *out, struct lps_gate **gp)
{
	struct lps_gate *gate;
	struct lps_error *err = lps_gate_new(&gate, meta);
	unsigned needs;

	if (err)
		return err;
	needs = lps_gate_needs(gate);
	if (needs & LPS_GATE_GOALS)
		err = feed_dir(p, gate, "goals", lps_gate_goal);
	if (!err && (needs & LPS_GATE_EVIDENCE))
		err = feed_dir(p, gate, "evidence", lps_gate_evidence);
	if (!err && (needs & LPS_GATE_REFLECTIONS))
		err = feed_dir(p, gate, "reflections", lps_gate_reflection);
	if (!err)
		err = lps_gate_result(gate, out);
	if (err || !gp)
		lps_gate_free(gate);
	else
		*gp = gate;
	return err;
}

struct lps_error *lps_phase_missing(struct lps_portfolio *p,
				    struct lps_gaps *out, char *from,
				    char *to)
{
	const struct lps_node *meta = lps_doc_root(lps_portfolio_meta(p));
	struct lps_gate *gate = NULL;
	struct lps_error *err = gate_of(p, meta, out, &gate);

	if (err)
		return err;
	if (from)
		snprintf(from, 16, "%s", lps_gate_from(gate));
	if (to)
		snprintf(to, 16, "%s", lps_gate_to(gate));
	lps_gate_free(gate);
	return NULL;
}

static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

struct lps_error *lps_phase_next_cycle(char *out, const char *cycle)
{
	int a = -1, b = -1;

	if (cycle && strlen(cycle) == 9 && cycle[4] == '-') {
		a = digits(cycle, 4);
		b = digits(cycle + 5, 4);
	}
	if (a < 0 || b != a + 1 || b >= 9999)
		return lps_error_new(LPS_EUSAGE,
				     "cannot tell the cycle after \"%s\"; "
				     "name it with --cycle NAME",
				     cycle ? cycle : "");
	snprintf(out, LPS_CYCLE_MAX, "%04d-%04d", b, b + 1);
	return NULL;
}

/* Copy key of old into map of doc when old has it. */
static int copy_key(struct lps_doc *doc, struct lps_node *map,
		    const struct lps_node *old, const char *key)
{
	const struct lps_node *v = lps_map_get(old, key);
	struct lps_node *c;

	if (!v)
		return 0;
	c = lps_doc_copy(doc, v);
	return c ? lps_map_set(doc, map, key, c) : -1;
}

static int carry_indicator(struct lps_doc *doc, struct lps_node *list,
			   const struct lps_node *old)
{
	struct lps_node *k = lps_doc_new_map(doc);
	const struct lps_node *ms = lps_map_get(old, "measurements");
	int ok;

	if (!k)
		return -1;
	ok = !copy_key(doc, k, old, "id") && !copy_key(doc, k, old, "measure");
	if (ok && seq_len(ms) > 0) {
		/* The latest by date, the last listed among equal dates
		 * (as lps_goal_indicator_progress reads it). */
		const struct lps_node *best = NULL;
		const char *bdate = NULL;

		for (int i = 0; i < seq_len(ms); i++) {
			const struct lps_node *m = ms->v.seq.items[i];
			const char *d = lps_node_str(lps_map_get(m, "date"));

			if (d && (!bdate || strcmp(d, bdate) >= 0)) {
				bdate = d;
				best = lps_map_get(m, "value");
			}
		}
		struct lps_node *v = best ? lps_doc_copy(doc, best) : NULL;
		ok = v && !lps_map_set(doc, k, "baseline", v);
	} else if (ok) {
		ok = !copy_key(doc, k, old, "baseline");
	}
	ok = ok && !copy_key(doc, k, old, "target") &&
	     !copy_key(doc, k, old, "unit");
	/* One that reached its target has nothing left to measure. */
	if (ok && lps_goal_indicator_flat(k))
		return 0;
	return ok && !lps_seq_append(doc, list, k) ? 0 : -1;
}

struct lps_error *lps_phase_carry(struct lps_doc **out,
				  const struct lps_node *old, const char *id,
				  const char *cycle, const char *created)
{
	static const char *const keep[] = {
		"standards", "aligns", "statement", "visibility", NULL,
	};
	const struct lps_node *inds = lps_map_get(old, "indicators");
	struct lps_goal_fields f = { 0 };
	struct lps_error *err;
	struct lps_doc *doc = NULL;
	struct lps_node *root, *list;
	char name[64];
	int ok = 1;

	*out = NULL;
	f.id = id;
	f.title = lps_node_str(lps_map_get(old, "title"));
	f.agenda = lps_node_str(lps_map_get(old, "agenda"));
	f.area = lps_node_str(lps_map_get(old, "area"));
	f.status = "active";
	f.cycle = cycle;
	f.created = created;
	f.carried_from = lps_node_str(lps_map_get(old, "id"));
	if (!f.title || !f.agenda || !f.carried_from)
		return lps_error_new(LPS_EINVALID,
				     "goal %s lacks an id, title or agenda",
				     f.carried_from ? f.carried_from : "?");
	/* Standards and the rest are copied as nodes below, so that the
	 * carried goal keeps exactly what the old one said. */
	lps_collection_path(name, sizeof(name), id);
	err = lps_goal_new(&doc, name, &f);
	if (err)
		return err;
	root = lps_doc_root(doc);
	for (size_t i = 0; keep[i] && ok; i++)
		ok = !copy_key(doc, root, old, keep[i]);
	if (ok && seq_len(inds) > 0) {
		ok = (list = lps_doc_new_seq(doc)) != NULL;
		for (int i = 0; ok && i < seq_len(inds); i++)
			ok = !carry_indicator(doc, list, inds->v.seq.items[i]);
		ok = ok && (!list->v.seq.n ||
			    !lps_map_set(doc, root, "indicators", list));
	}
	if (!ok) {
		lps_doc_free(doc);
		return lps_error_nomem();
	}
	*out = doc;
	return NULL;
}

void lps_advance_free(struct lps_advance *a)
{
	if (!a)
		return;
	lps_gaps_free(&a->missing);
	for (size_t i = 0; i < a->ncarried; i++)
		free(a->carried[i].title);
	free(a->carried);
	a->carried = NULL;
	a->ncarried = 0;
}

/* Carry each goal of opts->carry into txn; fills out->carried. */
static struct lps_error *carry_goals(struct lps_portfolio *p,
				     struct lps_txn *txn,
				     const struct lps_advance_opts *opts,
				     const char *old_cycle,
				     struct lps_advance *out)
{
	struct lps_error *err = NULL;
	char today[11];

	if (opts->ncarry > MAX_CARRY)
		return lps_error_new(LPS_EUSAGE,
				     "at most %d goals can be carried at once",
				     MAX_CARRY);
	lps_portfolio_today(today, NULL);
	out->carried = calloc(opts->ncarry ? opts->ncarry : 1,
			      sizeof(*out->carried));
	if (!out->carried)
		return lps_error_nomem();
	for (size_t i = 0; i < opts->ncarry && !err; i++) {
		struct lps_carried *c = &out->carried[i];
		struct lps_doc *old = NULL, *nu = NULL;
		char path[64];
		const char *cyc, *status;

		err = lps_collection_find(p, 'g', opts->carry[i], c->old);
		for (size_t j = 0; !err && j < i; j++)
			if (!strcmp(out->carried[j].old, c->old))
				err = lps_error_new(LPS_EUSAGE,
						    "goal %s is carried twice",
						    c->old);
		if (err)
			break;
		lps_collection_path(path, sizeof(path), c->old);
		if ((err = lps_collection_load(p, path, &old)))
			break;
		cyc = lps_node_str(lps_map_get(lps_doc_root(old), "cycle"));
		status = lps_node_str(lps_map_get(lps_doc_root(old),
						  "status"));
		if (!cyc || strcmp(cyc, old_cycle))
			err = lps_error_new(LPS_EINVALID,
					    "goal %s belongs to cycle %s, not "
					    "to the cycle ending (%s)", c->old,
					    cyc ? cyc : "?", old_cycle);
		else if (status && !strcmp(status, "met"))
			err = lps_error_new(LPS_EINVALID,
					    "goal %s is met; only unfinished "
					    "goals are carried forward",
					    c->old);
		if (!err)
			err = lps_portfolio_new_id(c->id, 'g');
		if (!err)
			err = lps_phase_carry(&nu, lps_doc_root(old), c->id,
					      out->cycle, today);
		if (!err) {
			const char *t = lps_node_str(
				lps_map_get(lps_doc_root(old), "title"));
			if (!(c->title = strdup(t ? t : "")))
				err = lps_error_nomem();
		}
		if (!err) {
			lps_collection_path(path, sizeof(path), c->id);
			err = lps_txn_put(txn, path, lps_doc_root(nu));
		}
		/* txn_put keeps what it staged, so the trees may go. */
		lps_doc_free(nu);
		lps_doc_free(old);
		if (!err)
			out->ncarried = i + 1;
	}
	return err;
}

static int cycle_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > 32 || !((s[0] >= '0' && s[0] <= '9') ||
				 (s[0] >= 'A' && s[0] <= 'Z') ||
				 (s[0] >= 'a' && s[0] <= 'z')))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!strchr("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "abcdefghijklmnopqrstuvwxyz._-", s[i]))
			return 0;
	return 1;
}

struct lps_error *lps_phase_advance(struct lps_portfolio *p,
				    const struct lps_advance_opts *opts,
				    struct lps_advance *out)
{
	struct lps_error *err;
	struct lps_doc *meta = NULL;
	struct lps_txn *txn = NULL;
	struct lps_node *root, *v;
	const char *cycle;
	char subject[64];
	struct lps_trailer tr[3];
	size_t ntr = 0;
	int new_cycle;

	memset(out, 0, sizeof(*out));
	/* An LPS-Forced trailer must say something (textclean.h). */
	if (opts->reason && lps_textclean_blank(opts->reason,
						strlen(opts->reason)))
		return lps_error_new(LPS_EUSAGE, "--reason cannot be empty: "
				     "say why the gate is overridden");
	err = lps_collection_load(p, "lps.yaml", &meta);
	if (err)
		return err;
	root = lps_doc_root(meta);
	err = lps_phase_missing(p, &out->missing, out->from, out->to);
	if (err)
		goto done;
	new_cycle = !strcmp(out->from, "outcomes");
	if (!new_cycle && (opts->cycle || opts->ncarry)) {
		err = lps_error_new(LPS_EUSAGE,
				    "%s when advancing from outcomes (the "
				    "phase is %s)",
				    opts->cycle
					    ? "--cycle and --carry only apply"
					    : "--carry only applies",
				    out->from);
		goto done;
	}
	cycle = lps_node_str(lps_map_get(root, "cycle"));
	if (new_cycle) {
		if (opts->cycle && !cycle_name_ok(opts->cycle)) {
			err = lps_error_new(LPS_EUSAGE,
					    "--cycle: \"%s\" is not a cycle "
					    "name (letters, digits, '.', '_', "
					    "'-'; at most 32)", opts->cycle);
			goto done;
		}
		if (opts->cycle)
			snprintf(out->cycle, sizeof(out->cycle), "%s",
				 opts->cycle);
		else if ((err = lps_phase_next_cycle(out->cycle, cycle)))
			goto done;
		if (cycle && !strcmp(out->cycle, cycle)) {
			err = lps_error_new(LPS_EUSAGE,
					    "--cycle: %s is the cycle ending; "
					    "name a new one", cycle);
			goto done;
		}
	}
	if (out->missing.n) {
		if (!opts->reason) {
			err = lps_error_new(LPS_EINVALID,
					    "gate %s -> %s not met", out->from,
					    out->to);
			goto done;
		}
		out->forced = 1;
	}
	if ((err = lps_txn_begin(&txn, p)))
		goto done;
	if (new_cycle &&
	    (err = carry_goals(p, txn, opts, cycle ? cycle : "", out)))
		goto done;
	if (!(v = lps_doc_new_string(meta, out->to)) ||
	    lps_map_set(meta, root, "phase", v) < 0 ||
	    (new_cycle && (!(v = lps_doc_new_string(meta, out->cycle)) ||
			   lps_map_set(meta, root, "cycle", v) < 0))) {
		err = lps_error_nomem();
		goto done;
	}
	if ((err = lps_txn_put(txn, "lps.yaml", root)))
		goto done;
	lps_txn_set_phase(txn, out->to);
	tr[ntr++] = (struct lps_trailer){ "LPS-Phase-From", out->from };
	tr[ntr++] = (struct lps_trailer){ "LPS-Phase-To", out->to };
	if (out->forced)
		tr[ntr++] = (struct lps_trailer){ "LPS-Forced", opts->reason };
	snprintf(subject, sizeof(subject), "%s -> %s", out->from, out->to);
	err = lps_txn_commit(txn, "phase", subject, "phase advance", tr, ntr,
			     &out->commit);
done:
	lps_txn_free(txn);
	lps_doc_free(meta);
	return err;
}
