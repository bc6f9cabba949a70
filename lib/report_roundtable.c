/*
 * report_roundtable.c - `lps report roundtable`: every fetched member of
 * the roundtable at once (refs/remotes/roundtable/members/<handle>, as
 * of the last lps pull): phase, each member's indicators and goal
 * progress, overdue action steps, feedback given and received, and the
 * tree of alignments (members' goals under the district goal they say
 * they serve, `aligns`, and under the goal of any member they align to).
 *
 * Which goals: those of the member's current cycle (lps.yaml `cycle`;
 * all goals when the member names none), as `lps report status` does
 * for one portfolio.  Feedback given: the member's feedback documents
 * with a `to`; received: every member's feedback whose `to` is this
 * member; both filtered by --since/--until on the feedback date.
 *
 * The report is gathered once into a document tree whose shape is the
 * JSON output (schemas/report-roundtable.schema.yaml); the other formats
 * are written from that tree, so they cannot disagree.  Documents on a
 * member's branch that do not load or validate are reported as
 * "members/<handle>/<path>:line:col: ..." (lps_report_invalid) and left
 * out.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "goal.h"
#include "portfolio.h"
#include "registry.h"
#include "remote.h"
#include "report.h"

/* Most members read; the rest are left out (a roundtable is a handful
 * of people, this only bounds memory). */
#define MAX_RT_MEMBERS 1000

struct an;

struct rt {
	struct lps_report *r;
	struct lps_store *store;
	const struct lps_registry *reg;
	struct lps_doc *doc;       /* the model, shaped as the JSON */
	struct lps_node *members;  /* seq of member maps */
	char **handles;
	size_t nhandles;
	/* While reading one member: */
	const char *handle;
	const char *cycle;
	struct lps_node *member, *goals, *indicators, *overdue;
	/* The goals of every member, in report order, as placed in the
	 * tree of alignments (owned). */
	struct an *nodes;
	size_t nnodes;
	double sum;                /* of goal progress fractions */
	size_t counted;            /* goals with a progress */
	struct lps_error *err;
};

static int set(struct lps_doc *d, struct lps_node *m, const char *k,
	       struct lps_node *v)
{
	return !v || lps_map_set(d, m, k, v) < 0;
}

static struct lps_node *str_or_null(struct lps_doc *d, const char *s)
{
	return s ? lps_doc_new_string(d, s) : lps_doc_new_null(d);
}

/* A number as stored (int stays int) or null. */
static struct lps_node *num(struct lps_doc *d, const struct lps_node *n)
{
	double v;
	if (n && n->type == LPS_NODE_INT)
		return lps_doc_new_int(d, n->v.integer);
	if (lps_goal_node_number(n, &v))
		return lps_doc_new_float(d, v);
	return lps_doc_new_null(d);
}

/* 1 when v is a whole number that an int64_t holds exactly, so that
 * a measurement typed as 45 is written back as 45, not 45.0. */
static int whole(double v)
{
	return fabs(v) < 9.0e15 && v == floor(v);
}

static const char *str(const struct lps_node *m, const char *k)
{
	return lps_node_str(lps_map_get(m, k));
}

static size_t count(const struct lps_node *seq)
{
	return seq && seq->type == LPS_NODE_SEQ ? seq->v.seq.n : 0;
}

/* ---- gathering ---- */

static int collect_handle(void *vctx, const char *handle, const git_oid *tip)
{
	struct rt *c = vctx;
	(void)tip;
	if (c->nhandles == MAX_RT_MEMBERS)
		return 0;
	if (!(c->handles[c->nhandles] = strdup(handle))) {
		c->err = lps_error_nomem();
		return 1;
	}
	c->nhandles++;
	return 0;
}

/* Load and validate one document of the member's branch; NULL with
 * the problem recorded when it is not valid (c->err on failure). */
static struct lps_doc *load_valid(struct rt *c, const char *schema,
				  const char *path, const char *data,
				  size_t len)
{
	struct lps_doc *doc = NULL;
	struct lps_findings fs = LPS_FINDINGS_INIT;
	char where[300];
	int valid = 0;

	snprintf(where, sizeof(where), "members/%s/%s", c->handle, path);
	struct lps_error *problem = lps_doc_load(&doc, where, data, len,
						 NULL);
	if (!problem)
		problem = lps_registry_validate(&valid, &fs, c->reg, schema,
						lps_doc_root(doc));
	if (!problem && !valid) {
		const struct lps_finding *x = &fs.items[0];
		problem = lps_error_at(LPS_EINVALID, where, x->line, x->col,
				       "%s%s%s", x->path, *x->path ? ": " : "",
				       x->message);
	}
	lps_findings_free(&fs);
	if (!problem)
		return doc;
	lps_doc_free(doc);
	if (problem->code == LPS_ENOMEM || problem->code == LPS_ESYS)
		c->err = problem;
	else if (lps_report_invalid(c->r, where, problem) < 0)
		c->err = lps_error_nomem();
	if (problem != c->err)
		lps_error_free(problem);
	return NULL;
}

/* Only "<dir>/<file>.yaml" directly in dir. */
static int is_doc(const char *path, const char *dir)
{
	size_t d = strlen(dir), n = strlen(path);
	return n > d + 6 && !strncmp(path, dir, d) && path[d] == '/' &&
		!strchr(path + d + 1, '/') && !strcmp(path + n - 5, ".yaml");
}

static int add_indicator(struct rt *c, const struct lps_node *g,
			 const struct lps_node *k)
{
	struct lps_doc *d = c->doc;
	double p = 0, latest = 0;
	int has = lps_goal_indicator_progress(k, &p, &latest);
	const char *when = NULL;
	int measured = lps_goal_latest(k, &latest, &when);
	enum lps_indicator_state st = lps_report_indicator_state(
		has, p, str(g, "created"), str(k, "due"), c->r->opts->today);
	struct lps_node *e = lps_doc_new_map(d);
	return !e || set(d, e, "goal", str_or_null(d, str(g, "id"))) ||
	       set(d, e, "title", str_or_null(d, str(g, "title"))) ||
	       set(d, e, "indicator", str_or_null(d, str(k, "id"))) ||
	       set(d, e, "measure", str_or_null(d, str(k, "measure"))) ||
	       set(d, e, "unit", str_or_null(d, str(k, "unit"))) ||
	       set(d, e, "baseline", num(d, lps_map_get(k, "baseline"))) ||
	       set(d, e, "latest", !measured ? lps_doc_new_null(d) :
		   whole(latest) ? lps_doc_new_int(d, (int64_t)latest) :
		   lps_doc_new_float(d, latest)) ||
	       set(d, e, "target", num(d, lps_map_get(k, "target"))) ||
	       set(d, e, "progress", has ?
		   lps_doc_new_int(d, lps_goal_percent(p)) :
		   lps_doc_new_null(d)) ||
	       set(d, e, "state", lps_doc_new_string(
			   d, lps_report_state_name(st))) ||
	       lps_seq_append(d, c->indicators, e) < 0;
}

static int add_goal(struct rt *c, const struct lps_node *g)
{
	struct lps_doc *d = c->doc;
	const struct lps_node *inds = lps_map_get(g, "indicators");
	const struct lps_node *acts = lps_map_get(g, "actions");
	double p = 0;
	int has = lps_goal_progress(g, &p) > 0;
	if (has) {
		c->sum += p;
		c->counted++;
	}
	struct lps_node *e = lps_doc_new_map(d);
	if (!e || set(d, e, "id", str_or_null(d, str(g, "id"))) ||
	    set(d, e, "title", str_or_null(d, str(g, "title"))) ||
	    set(d, e, "status", str_or_null(d, str(g, "status"))) ||
	    set(d, e, "aligns", str_or_null(d, str(g, "aligns"))) ||
	    set(d, e, "progress", has ?
		lps_doc_new_int(d, lps_goal_percent(p)) :
		lps_doc_new_null(d)) ||
	    lps_seq_append(d, c->goals, e) < 0)
		return -1;
	for (size_t i = 0; i < count(inds); i++)
		if (add_indicator(c, g, inds->v.seq.items[i]))
			return -1;
	for (size_t i = 0; i < count(acts); i++) {
		const struct lps_node *a = acts->v.seq.items[i];
		if (!lps_goal_action_overdue(a, c->r->opts->today))
			continue;
		struct lps_node *s = lps_doc_new_map(d);
		if (!s || set(d, s, "goal", str_or_null(d, str(g, "id"))) ||
		    set(d, s, "step", str_or_null(d, str(a, "id"))) ||
		    set(d, s, "text", str_or_null(d, str(a, "text"))) ||
		    set(d, s, "due", str_or_null(d, str(a, "due"))) ||
		    lps_seq_append(d, c->overdue, s) < 0)
			return -1;
	}
	return 0;
}

static int on_goal(void *vctx, const char *path, const char *data,
		   size_t len)
{
	struct rt *c = vctx;
	if (!is_doc(path, "goals"))
		return 0;
	struct lps_doc *doc = load_valid(c, "goal", path, data, len);
	if (!doc)
		return c->err != NULL;
	const struct lps_node *g = lps_doc_root(doc);
	const char *cycle = str(g, "cycle");
	if ((!c->cycle || (cycle && !strcmp(cycle, c->cycle))) &&
	    add_goal(c, g))
		c->err = lps_error_nomem();
	lps_doc_free(doc);
	return c->err != NULL;
}

static struct lps_node *member_node(struct rt *c, const char *handle)
{
	for (size_t i = 0; i < count(c->members); i++) {
		struct lps_node *m = c->members->v.seq.items[i];
		if (!strcmp(str(m, "handle"), handle))
			return m;
	}
	return NULL;
}

static void bump(struct lps_node *m, const char *key)
{
	struct lps_node *n = lps_map_get(m, key);
	if (n && n->type == LPS_NODE_INT)
		n->v.integer++;
}

static int on_feedback(void *vctx, const char *path, const char *data,
		       size_t len)
{
	struct rt *c = vctx;
	if (!is_doc(path, "feedback"))
		return 0;
	struct lps_doc *doc = load_valid(c, "feedback", path, data, len);
	if (!doc)
		return c->err != NULL;
	const struct lps_node *f = lps_doc_root(doc);
	const char *to = str(f, "to");
	if (to && lps_report_in_range(c->r->opts, str(f, "date"))) {
		bump(c->member, "feedback_given");
		struct lps_node *other = member_node(c, to);
		if (other)
			bump(other, "feedback_received");
	}
	lps_doc_free(doc);
	return 0;
}

/* Read a member's summary, goals, indicators and overdue steps. */
static struct lps_error *read_member(struct rt *c, const char *handle)
{
	struct lps_doc *d = c->doc;
	struct lps_remote_member m;
	struct lps_error *err = lps_remote_member_read(&m, c->store, handle);
	if (err && err->code == LPS_EINVALID) {
		/* lps.yaml does not load: list the member with what is
		 * known, and say why. */
		char where[300];
		snprintf(where, sizeof(where), "members/%s/lps.yaml", handle);
		int bad = lps_report_invalid(c->r, where, err) < 0;
		lps_error_free(err);
		err = bad ? lps_error_nomem() : NULL;
	}
	if (err)
		goto out;
	c->handle = handle;
	c->cycle = m.cycle;
	c->sum = 0;
	c->counted = 0;
	struct lps_node *e = lps_doc_new_map(d);
	c->goals = lps_doc_new_seq(d);
	c->indicators = lps_doc_new_seq(d);
	c->overdue = lps_doc_new_seq(d);
	c->member = e;
	if (!e || !c->goals || !c->indicators || !c->overdue ||
	    set(d, e, "handle", lps_doc_new_string(d, handle)) ||
	    set(d, e, "name", str_or_null(d, m.name)) ||
	    set(d, e, "role", str_or_null(d, m.role)) ||
	    set(d, e, "school", str_or_null(d, m.school)) ||
	    set(d, e, "cycle", str_or_null(d, m.cycle)) ||
	    set(d, e, "phase", str_or_null(d, m.phase)) ||
	    set(d, e, "last_activity", lps_doc_new_string(d,
		m.last_activity))) {
		err = lps_error_nomem();
		goto out;
	}
	err = lps_remote_member_each(c->store, handle, "goals", on_goal, c);
	if (c->err) {
		lps_error_free(err);
		err = c->err;
		c->err = NULL;
	}
	if (err)
		goto out;
	if (set(d, e, "progress", c->counted ? lps_doc_new_int(d,
		lps_goal_percent(c->sum / (double)c->counted)) :
		lps_doc_new_null(d)) ||
	    set(d, e, "feedback_given", lps_doc_new_int(d, 0)) ||
	    set(d, e, "feedback_received", lps_doc_new_int(d, 0)) ||
	    set(d, e, "goals", c->goals) ||
	    set(d, e, "indicators", c->indicators) ||
	    set(d, e, "overdue", c->overdue) ||
	    lps_seq_append(d, c->members, e) < 0)
		err = lps_error_nomem();
out:
	c->cycle = NULL;
	lps_remote_member_clear(&m);
	return err;
}

static struct lps_error *read_feedback(struct rt *c)
{
	struct lps_error *err = NULL;
	for (size_t i = 0; i < count(c->members) && !err; i++) {
		c->member = c->members->v.seq.items[i];
		c->handle = str(c->member, "handle");
		err = lps_remote_member_each(c->store, c->handle, "feedback",
					     on_feedback, c);
		if (c->err) {
			lps_error_free(err);
			err = c->err;
			c->err = NULL;
		}
	}
	return err;
}

/*
 * The tree of alignments.  A goal whose `aligns` is the id of a goal of
 * any member (g-xxxxxxxx; the same member's goal first when two members
 * share the id, else the first member's in handle order) is nested under
 * that goal; every other goal is a root, and roots are grouped:
 *   district  `aligns` is text: one group per distinct text;
 *   unknown   `aligns` names a goal id no member has;
 *   cycle     the goal was on a loop of alignments (A aligns B, B aligns
 *             A, ...): the loop is cut at its first goal in report order,
 *             which becomes the root of the group, and the group lists the
 *             loop once;
 *   deep      the goal would sit deeper than MAX_ALIGN_DEPTH;
 *   none      no `aligns`: one group, last.
 * Groups other than none come in the order their first root is met
 * (members in handle order, each member's goals in id order); children
 * in that order too.
 */

/* Deepest nesting of aligned goals (so the JSON stays well within the
 * nesting lps reads back, LPS_DOC_MAX_DEPTH). */
#define MAX_ALIGN_DEPTH 100
#define NO_PARENT ((size_t)-1)

enum root_kind { R_DISTRICT, R_UNKNOWN, R_CYCLE, R_DEEP, R_NONE };
static const char *const root_kinds[] = { "district", "unknown", "cycle",
					  "deep", "none" };

struct an {
	const struct lps_node *goal;
	const char *handle, *id, *aligns;
	size_t parent;        /* index of the goal it nests under */
	enum root_kind kind;  /* when a root */
	size_t depth;         /* 0 for a root; (size_t)-1 while unknown */
	int state;            /* cycle search: 0 new, 1 on the path, 2 done */
	size_t cycle_next;    /* a cut loop: the next goal of the loop */
	struct lps_node *node, *children;
};

struct key {
	const char *id;
	size_t at;
};

static int cmp_key(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->at > y->at) - (x->at < y->at);
}

static int is_goal_id(const char *s)
{
	return s && lps_portfolio_id_valid(s, 'g');
}

/* The goal that nodes[i] aligns to, or NO_PARENT. */
static size_t parent_of(const struct an *v, const struct key *keys,
			size_t n, size_t i)
{
	if (!is_goal_id(v[i].aligns) || !n)
		return NO_PARENT;
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(keys[mid].id, v[i].aligns) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t first = NO_PARENT;
	for (size_t k = lo; k < n && !strcmp(keys[k].id, v[i].aligns); k++) {
		if (first == NO_PARENT)
			first = keys[k].at;
		if (!strcmp(v[keys[k].at].handle, v[i].handle))
			return keys[k].at;
	}
	return first;
}

/* Cut every loop of parent links at its first goal in report order. */
static void cut_cycles(struct an *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t k = i, cut = NO_PARENT;
		while (k != NO_PARENT && !v[k].state) {
			v[k].state = 1;
			k = v[k].parent;
		}
		if (k != NO_PARENT && v[k].state == 1) {
			/* Back on this walk's own path: k is on a loop. */
			cut = k;
			for (size_t j = v[k].parent; j != k; j = v[j].parent)
				if (j < cut)
					cut = j;
			for (size_t j = cut;; j = v[j].parent) {
				v[j].cycle_next = v[j].parent;
				if (v[j].parent == cut)
					break;
			}
			v[cut].parent = NO_PARENT;
			v[cut].kind = R_CYCLE;
		}
		for (k = i; k != NO_PARENT && v[k].state == 1; k = v[k].parent)
			v[k].state = 2;
		for (size_t j = cut; j != NO_PARENT; j = v[j].cycle_next) {
			v[j].state = 2;
			if (v[j].cycle_next == cut)
				break;
		}
	}
}

/* Depth of each goal; one deeper than MAX_ALIGN_DEPTH becomes a root. */
static int set_depths(struct an *v, size_t n)
{
	size_t *path = malloc((n ? n : 1) * sizeof(*path));
	if (!path)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t np = 0, k = i;
		while (k != NO_PARENT && v[k].depth == (size_t)-1) {
			path[np++] = k;
			k = v[k].parent;
		}
		size_t d = k == NO_PARENT ? 0 : v[k].depth + 1;
		while (np--) {
			struct an *a = &v[path[np]];
			if (a->parent == NO_PARENT) {
				d = 0;
			} else if (d > MAX_ALIGN_DEPTH) {
				a->parent = NO_PARENT;
				a->kind = R_DEEP;
				d = 0;
			}
			a->depth = d++;
		}
	}
	free(path);
	return 0;
}

/* The node of one goal in the tree (children filled in later). */
static struct lps_node *tree_node(struct rt *c, struct an *a)
{
	struct lps_doc *d = c->doc;
	struct lps_node *e = lps_doc_new_map(d);
	a->children = lps_doc_new_seq(d);
	if (!e || !a->children ||
	    set(d, e, "member", lps_doc_new_string(d, a->handle)) ||
	    set(d, e, "goal", str_or_null(d, a->id)) ||
	    set(d, e, "title", str_or_null(d, str(a->goal, "title"))) ||
	    set(d, e, "status", str_or_null(d, str(a->goal, "status"))) ||
	    set(d, e, "progress", lps_doc_copy(d,
		lps_map_get(a->goal, "progress"))) ||
	    set(d, e, "children", a->children))
		return NULL;
	return e;
}

/* A new group for root a (not yet listed). */
static struct lps_node *new_group(struct rt *c, const struct an *v,
				  const struct an *a)
{
	struct lps_doc *d = c->doc;
	struct lps_node *g = lps_doc_new_map(d), *loop = NULL;
	if (a->kind == R_CYCLE) {
		/* The loop once, from the goal where it is cut. */
		loop = lps_doc_new_seq(d);
		for (const struct an *j = a; loop;) {
			struct lps_node *m = lps_doc_new_map(d);
			if (!m || set(d, m, "member",
				      lps_doc_new_string(d, j->handle)) ||
			    set(d, m, "goal", str_or_null(d, j->id)) ||
			    lps_seq_append(d, loop, m) < 0)
				return NULL;
			j = &v[j->cycle_next];
			if (j == a)
				break;
		}
		if (!loop)
			return NULL;
	}
	if (!g || set(d, g, "aligns", str_or_null(d, a->kind == R_NONE
						  ? NULL : a->aligns)) ||
	    set(d, g, "kind", lps_doc_new_string(d, root_kinds[a->kind])) ||
	    set(d, g, "cycle", loop ? loop : lps_doc_new_null(d)) ||
	    set(d, g, "goals", lps_doc_new_seq(d)))
		return NULL;
	return g;
}

/* The listed group of root a (district and unknown roots share one per
 * aligns text; a loop or a deep cut has its own), added when new. */
static struct lps_node *group_of(struct rt *c, struct lps_node *groups,
				 const struct an *v, const struct an *a)
{
	if (a->kind == R_DISTRICT || a->kind == R_UNKNOWN)
		for (size_t k = 0; k < count(groups); k++) {
			struct lps_node *g = groups->v.seq.items[k];
			const char *t = str(g, "aligns");
			if (!strcmp(str(g, "kind"), root_kinds[a->kind]) &&
			    t && !strcmp(t, a->aligns))
				return g;
		}
	struct lps_node *g = new_group(c, v, a);
	if (!g || lps_seq_append(c->doc, groups, g) < 0)
		return NULL;
	return g;
}

static struct lps_error *build_alignments(struct rt *c,
					  struct lps_node **out)
{
	struct lps_doc *d = c->doc;
	struct lps_node *groups = lps_doc_new_seq(d), *none = NULL;
	struct key *keys = NULL;
	size_t n = 0;
	for (size_t i = 0; i < count(c->members); i++)
		n += count(lps_map_get(c->members->v.seq.items[i], "goals"));
	struct an *v = calloc(n ? n : 1, sizeof(*v));
	keys = calloc(n ? n : 1, sizeof(*keys));
	if (!groups || !v || !keys)
		goto nomem;
	size_t at = 0, nk = 0;
	for (size_t i = 0; i < count(c->members); i++) {
		const struct lps_node *m = c->members->v.seq.items[i];
		const struct lps_node *gs = lps_map_get(m, "goals");
		for (size_t j = 0; j < count(gs); j++, at++) {
			struct an *a = &v[at];
			a->goal = gs->v.seq.items[j];
			a->handle = str(m, "handle");
			a->id = str(a->goal, "id");
			a->aligns = str(a->goal, "aligns");
			a->depth = (size_t)-1;
			if (a->id)
				keys[nk++] = (struct key){ a->id, at };
		}
	}
	if (nk > 1)
		qsort(keys, nk, sizeof(*keys), cmp_key);
	for (size_t i = 0; i < n; i++) {
		v[i].parent = parent_of(v, keys, nk, i);
		v[i].kind = !v[i].aligns ? R_NONE
			    : is_goal_id(v[i].aligns) ? R_UNKNOWN : R_DISTRICT;
	}
	cut_cycles(v, n);
	if (set_depths(v, n))
		goto nomem;
	for (size_t i = 0; i < n; i++)
		if (!(v[i].node = tree_node(c, &v[i])))
			goto nomem;
	for (size_t i = 0; i < n; i++) {
		struct an *a = &v[i];
		struct lps_node *list;
		if (a->parent != NO_PARENT) {
			list = v[a->parent].children;
		} else {
			struct lps_node *g;
			if (a->kind != R_NONE)
				g = group_of(c, groups, v, a);
			else
				g = none = none ? none : new_group(c, v, a);
			if (!g)
				goto nomem;
			list = lps_map_get(g, "goals");
		}
		if (lps_seq_append(d, list, a->node) < 0)
			goto nomem;
	}
	if (none && lps_seq_append(d, groups, none) < 0)
		goto nomem;
	c->nodes = v;
	c->nnodes = n;
	free(keys);
	*out = groups;
	return NULL;
nomem:
	free(v);
	free(keys);
	return lps_error_nomem();
}

/* ---- writing ---- */

/* An integer node as text ("" for null), into buf of 32 bytes. */
static const char *int_cell(char *buf, const struct lps_node *n, int pct)
{
	if (!n || n->type != LPS_NODE_INT)
		return NULL;
	snprintf(buf, 32, "%lld%s", (long long)n->v.integer, pct ? "%" : "");
	return buf;
}

static const char *num_cell(char *buf, const struct lps_node *n)
{
	double v;
	return lps_goal_node_number(n, &v) ? lps_report_num(buf, v) : NULL;
}

static struct lps_error *table_out(struct rt *c, size_t ncols,
				   const char *const *heads,
				   const unsigned *flags,
				   struct lps_report_table **t)
{
	return lps_report_table_new(t, ncols, heads, flags);
}

static int write_members(struct rt *c, enum lps_report_format f)
{
	static const char *const heads[] = { "Member", "Name", "Phase",
		"Goals", "Progress", "Overdue", "Feedback given",
		"Feedback received" };
	static const unsigned flags[] = { 0, 0, 0, LPS_REPORT_COL_NUM,
		LPS_REPORT_COL_NUM, LPS_REPORT_COL_NUM, LPS_REPORT_COL_NUM,
		LPS_REPORT_COL_NUM };
	struct lps_report_table *t = NULL;
	struct lps_error *err = table_out(c, 8, heads, flags, &t);
	int bad = err != NULL;
	lps_error_free(err);
	for (size_t i = 0; !bad && i < count(c->members); i++) {
		const struct lps_node *m = c->members->v.seq.items[i];
		char goals[32], pct[32], od[32], given[32], recv[32];
		snprintf(goals, sizeof(goals), "%zu",
			 count(lps_map_get(m, "goals")));
		snprintf(od, sizeof(od), "%zu",
			 count(lps_map_get(m, "overdue")));
		const char *cells[] = { str(m, "handle"), str(m, "name"),
			str(m, "phase"), goals,
			int_cell(pct, lps_map_get(m, "progress"), 1), od,
			int_cell(given, lps_map_get(m, "feedback_given"), 0),
			int_cell(recv, lps_map_get(m, "feedback_received"),
				 0) };
		bad |= lps_report_table_row(t, cells);
	}
	bad = bad || lps_report_heading(c->r->out, f, 2, "Members") ||
	      lps_report_table_write(c->r->out, f, t) ||
	      lps_report_gap(c->r->out, f);
	lps_report_table_free(t);
	return bad;
}

static int write_indicators(struct rt *c, enum lps_report_format f)
{
	static const char *const heads[] = { "Member", "Goal", "Indicator",
		"Baseline", "Latest", "Target", "Progress", "State" };
	static const unsigned flags[] = { 0, 0, 0, LPS_REPORT_COL_NUM,
		LPS_REPORT_COL_NUM, LPS_REPORT_COL_NUM, LPS_REPORT_COL_NUM, 0 };
	static const char *const classes[] = { "ok", "ok", "behind", "none" };
	struct lps_report_table *t = NULL;
	struct lps_error *err = table_out(c, 8, heads, flags, &t);
	int bad = err != NULL;
	lps_error_free(err);
	for (size_t i = 0; !bad && i < count(c->members); i++) {
		const struct lps_node *m = c->members->v.seq.items[i];
		const struct lps_node *ks = lps_map_get(m, "indicators");
		for (size_t j = 0; !bad && j < count(ks); j++) {
			const struct lps_node *k = ks->v.seq.items[j];
			struct lps_buf g = LPS_BUF_INIT, ind = LPS_BUF_INIT;
			char b[32], l[32], tg[32], p[32];
			const char *title = str(k, "title");
			const char *unit = str(k, "unit");
			const char *state = str(k, "state");
			bad |= lps_buf_addf(&g, "%s %s", str(k, "goal"),
					    title ? title : "") < 0;
			bad |= lps_buf_addf(&ind, "%s %s%s%s%s",
					    str(k, "indicator"),
					    str(k, "measure"),
					    unit ? " (" : "", unit ? unit : "",
					    unit ? ")" : "") < 0;
			const char *cells[] = { str(m, "handle"), g.data,
				ind.data, num_cell(b, lps_map_get(k,
					"baseline")),
				num_cell(l, lps_map_get(k, "latest")),
				num_cell(tg, lps_map_get(k, "target")),
				int_cell(p, lps_map_get(k, "progress"), 1),
				state };
			size_t s = 0;
			while (s < 3 && strcmp(state, lps_report_state_name(
					(enum lps_indicator_state)s)))
				s++;
			if (!bad)
				bad |= lps_report_table_row_class(t, cells,
								  classes[s]);
			lps_buf_free(&g);
			lps_buf_free(&ind);
		}
	}
	bad = bad || lps_report_heading(c->r->out, f, 2, "Indicators") ||
	      (lps_report_table_rows(t) ?
	       lps_report_table_write(c->r->out, f, t) :
	       lps_report_para(c->r->out, f, "No indicators.")) ||
	      lps_report_gap(c->r->out, f);
	lps_report_table_free(t);
	return bad;
}

static int write_overdue(struct rt *c, enum lps_report_format f)
{
	static const char *const heads[] = { "Member", "Goal", "Step",
		"Text", "Due" };
	struct lps_report_table *t = NULL;
	struct lps_error *err = table_out(c, 5, heads, NULL, &t);
	int bad = err != NULL;
	lps_error_free(err);
	for (size_t i = 0; !bad && i < count(c->members); i++) {
		const struct lps_node *m = c->members->v.seq.items[i];
		const struct lps_node *os = lps_map_get(m, "overdue");
		for (size_t j = 0; !bad && j < count(os); j++) {
			const struct lps_node *o = os->v.seq.items[j];
			const char *cells[] = { str(m, "handle"),
				str(o, "goal"), str(o, "step"), str(o, "text"),
				str(o, "due") };
			bad |= lps_report_table_row_class(t, cells,
							  "overdue");
		}
	}
	bad = bad || lps_report_heading(c->r->out, f, 2, "Overdue steps") ||
	      (lps_report_table_rows(t) ?
	       lps_report_table_write(c->r->out, f, t) :
	       lps_report_para(c->r->out, f, "No overdue steps.")) ||
	      lps_report_gap(c->r->out, f);
	lps_report_table_free(t);
	return bad;
}

/* The heading of a group of the tree, into b. */
static int group_label(struct lps_buf *b, const struct lps_node *grp)
{
	const char *kind = str(grp, "kind"), *al = str(grp, "aligns");
	const struct lps_node *loop = lps_map_get(grp, "cycle");
	int bad = 0;
	lps_buf_reset(b);
	if (!strcmp(kind, "none"))
		return lps_buf_adds(b, "Not aligned");
	if (!strcmp(kind, "unknown"))
		return lps_buf_addf(b, "%s (no member has this goal)", al);
	if (!strcmp(kind, "deep"))
		return lps_buf_addf(b, "%s (aligned more than %d levels deep)",
				    al, MAX_ALIGN_DEPTH);
	if (strcmp(kind, "cycle"))
		return lps_buf_adds(b, al ? al : "");
	/* The loop from the goal where it is cut back to it. */
	bad |= lps_buf_adds(b, "Alignment loop: ");
	for (size_t i = 0; count(loop) && i <= count(loop); i++) {
		const struct lps_node *m =
			loop->v.seq.items[i % count(loop)];
		bad |= lps_buf_addf(b, "%s%s %s", i ? " -> " : "",
				    str(m, "member"), str(m, "goal"));
	}
	return bad | lps_buf_adds(b, " (cut at the first)");
}

/* One goal of the tree and, below it, its children: a line indented by
 * depth (text), a nested list item (Markdown) or an <li> holding the
 * children's <ul> (HTML). */
static int write_tree(struct lps_buf *out, enum lps_report_format f,
		      const struct lps_node *g, unsigned depth)
{
	const struct lps_node *kids = lps_map_get(g, "children");
	int html = f == LPS_REPORT_HTML, md = f == LPS_REPORT_MARKDOWN;
	int (*esc)(struct lps_buf *, const char *) = html ?
		lps_report_html_escape : md ? lps_report_md_escape :
		lps_report_text_clean;
	const char *bold = html ? "<b>" : md ? "**" : "";
	const char *unbold = html ? "</b>" : bold;
	char p[32];
	const char *pct = int_cell(p, lps_map_get(g, "progress"), 1);
	int bad = 0;

	/* Text indents the roots too, under their group's heading. */
	for (unsigned i = 0; !html && i < depth + !md; i++)
		bad |= lps_buf_adds(out, "  ");
	bad |= lps_buf_adds(out, html ? "<li>" : md ? "- " : "");
	bad |= lps_buf_adds(out, bold) || esc(out, str(g, "member")) ||
	       lps_buf_addf(out, "%s ", unbold) || esc(out, str(g, "goal")) ||
	       lps_buf_adds(out, ": ") || esc(out, str(g, "title")) ||
	       lps_buf_adds(out, " (") || esc(out, str(g, "status")) ||
	       (pct && lps_buf_addf(out, ", %s", pct)) ||
	       lps_buf_adds(out, ")");
	if (html && count(kids))
		bad |= lps_buf_adds(out, "\n<ul>\n");
	else
		bad |= lps_buf_adds(out, html ? "</li>\n" : "\n");
	for (size_t i = 0; !bad && i < count(kids); i++)
		bad |= write_tree(out, f, kids->v.seq.items[i], depth + 1);
	if (html && count(kids))
		bad |= lps_buf_adds(out, "</ul></li>\n");
	return bad;
}

static int write_alignments(struct rt *c, enum lps_report_format f,
			    const struct lps_node *groups)
{
	struct lps_buf *out = c->r->out, label = LPS_BUF_INIT;
	int bad = lps_report_heading(out, f, 2, "Alignments");
	if (!bad && !count(groups))
		bad = lps_report_para(out, f, "No goals.") ||
		      lps_report_gap(out, f);
	for (size_t i = 0; !bad && i < count(groups); i++) {
		const struct lps_node *grp = groups->v.seq.items[i];
		const struct lps_node *gs = lps_map_get(grp, "goals");
		bad |= group_label(&label, grp) ||
		       lps_report_heading(out, f, 3, label.data);
		if (f == LPS_REPORT_HTML)
			bad |= lps_buf_adds(out, "<ul class=\"tree\">\n");
		for (size_t j = 0; !bad && j < count(gs); j++)
			bad |= write_tree(out, f, gs->v.seq.items[j], 0);
		if (f == LPS_REPORT_HTML)
			bad |= lps_buf_adds(out, "</ul>\n");
		bad |= lps_report_gap(out, f);
	}
	lps_buf_free(&label);
	return bad;
}

/* CSV: one row per goal of every member (a member without goals gets
 * one row with the goal columns empty), member columns repeated; parent
 * is the goal it is nested under in the tree of alignments. */
static int write_csv(struct rt *c)
{
	static const char *const heads[] = { "member", "name", "phase",
		"goal", "title", "status", "aligns", "parent", "progress",
		"feedback_given", "feedback_received" };
	struct lps_report_table *t = NULL;
	struct lps_error *err = table_out(c, 11, heads, NULL, &t);
	int bad = err != NULL;
	size_t at = 0;
	lps_error_free(err);
	for (size_t i = 0; !bad && i < count(c->members); i++) {
		const struct lps_node *m = c->members->v.seq.items[i];
		const struct lps_node *gs = lps_map_get(m, "goals");
		char gbuf[32], rbuf[32];
		const char *given = int_cell(gbuf, lps_map_get(m,
					     "feedback_given"), 0);
		const char *recv = int_cell(rbuf, lps_map_get(m,
					    "feedback_received"), 0);
		for (size_t j = 0; !bad && j < (count(gs) ? count(gs) : 1);
		     j++) {
			const struct lps_node *g = count(gs) ?
				gs->v.seq.items[j] : NULL;
			const char *parent = NULL;
			char p[32];
			if (g && at < c->nnodes) {
				const struct an *a = &c->nodes[at++];
				if (a->parent != NO_PARENT)
					parent = c->nodes[a->parent].id;
			}
			const char *cells[] = { str(m, "handle"),
				str(m, "name"), str(m, "phase"),
				str(g, "id"), str(g, "title"),
				str(g, "status"), str(g, "aligns"), parent,
				int_cell(p, lps_map_get(g, "progress"), 0),
				given, recv };
			bad |= lps_report_table_row(t, cells);
		}
	}
	bad = bad || lps_report_table_write(c->r->out, LPS_REPORT_CSV, t);
	lps_report_table_free(t);
	return bad;
}

static struct lps_error *write_report(struct rt *c,
				      const struct lps_node *groups)
{
	enum lps_report_format f = c->r->opts->format;
	struct lps_buf *out = c->r->out;
	char n[32];
	if (f == LPS_REPORT_CSV)
		return write_csv(c) ? lps_error_nomem() : NULL;
	snprintf(n, sizeof(n), "%zu", count(c->members));
	int bad = (f == LPS_REPORT_HTML &&
		   lps_report_html_begin(out, "Roundtable report", NULL)) ||
		lps_report_heading(out, f, 1, "Roundtable report") ||
		lps_report_field(out, f, "Members", n) ||
		lps_report_field(out, f, "As of", c->r->opts->today) ||
		lps_report_gap(out, f) ||
		write_members(c, f) || write_indicators(c, f) ||
		write_overdue(c, f) || write_alignments(c, f, groups) ||
		(f == LPS_REPORT_HTML && lps_report_html_end(out));
	return bad ? lps_error_nomem() : NULL;
}

static struct lps_error *run(struct lps_report *r)
{
	struct rt c;
	struct lps_node *groups = NULL;
	char me[LPS_HANDLE_MAX + 1];

	memset(&c, 0, sizeof(c));
	c.r = r;
	c.store = lps_portfolio_store(r->p);
	struct lps_error *err = lps_remote_handle(me, c.store);
	if (!err)
		err = lps_registry_get(&c.reg);
	if (!err)
		err = lps_doc_new(&c.doc, "report-roundtable");
	if (err)
		return err;
	c.members = lps_doc_new_seq(c.doc);
	c.handles = calloc(MAX_RT_MEMBERS, sizeof(*c.handles));
	if (!c.members || !c.handles) {
		err = lps_error_nomem();
		goto out;
	}
	err = lps_remote_each_member(c.store, collect_handle, &c);
	if (c.err) {
		lps_error_free(err);
		err = c.err;
		c.err = NULL;
	}
	for (size_t i = 0; !err && i < c.nhandles; i++)
		err = read_member(&c, c.handles[i]);
	if (!err)
		err = read_feedback(&c);
	if (!err)
		err = build_alignments(&c, &groups);
	if (err)
		goto out;
	if (r->opts->format == LPS_REPORT_JSON) {
		struct lps_node *root = lps_report_json_head(r, c.doc,
							     "roundtable");
		if (!root || set(c.doc, root, "handle",
				 lps_doc_new_string(c.doc, me)) ||
		    set(c.doc, root, "members", c.members) ||
		    set(c.doc, root, "alignments", groups)) {
			err = lps_error_nomem();
			goto out;
		}
		err = lps_report_emit_json(r, root);
	} else {
		err = write_report(&c, groups);
	}
out:
	free(c.nodes);
	for (size_t i = 0; i < c.nhandles; i++)
		free(c.handles[i]);
	free(c.handles);
	lps_doc_free(c.doc);
	return err;
}

const struct lps_report_kind lps_report_kind_roundtable = {
	"roundtable",
	"every fetched member of the roundtable: phase, indicators, "
	"overdue steps, feedback, alignments",
	run,
};
