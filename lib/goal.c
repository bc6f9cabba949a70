/*
 * goal.c - the goal document's tree operations (see goal.h).
 *
 * Everything here works on doc trees only; reading and committing are the
 * commands' business.  Functions that change a tree build every new node
 * first and link it in last, so that a failure leaves the tree as it was.
 */
#include <stdlib.h>
#include <string.h>

#include "goal.h"

/* A number node's value: 1 and *v for INT/FLOAT, else 0. */
static int node_number(const struct lps_node *n, double *v)
{
	if (!n)
		return 0;
	if (n->type == LPS_NODE_INT) {
		*v = (double)n->v.integer;
		return 1;
	}
	if (n->type == LPS_NODE_FLOAT) {
		*v = n->v.number;
		return 1;
	}
	return 0;
}

/* Set key to a new string node when s is not NULL; -1 when out of memory. */
static int set_str(struct lps_doc *doc, struct lps_node *map, const char *key,
		   const char *s)
{
	if (!s)
		return 0;
	struct lps_node *v = lps_doc_new_string(doc, s);
	return v ? lps_map_set(doc, map, key, v) : -1;
}

struct lps_error *lps_goal_new(struct lps_doc **out, const char *name,
			       const struct lps_goal_fields *f)
{
	*out = NULL;
	if (!f || !f->id || !f->title || !f->agenda || !f->cycle ||
	    !f->created)
		return lps_error_new(LPS_EINVALID,
				     "a new goal needs an id, title, agenda, "
				     "cycle and creation date");
	struct lps_doc *doc = NULL;
	struct lps_error *err = lps_doc_new(&doc, name);
	if (err)
		return err;
	struct lps_node *root = lps_doc_new_map(doc);
	struct lps_node *ver = lps_doc_new_int(doc, 1);
	int bad = !root || !ver || lps_map_set(doc, root, "lps", ver);
	bad = bad || set_str(doc, root, "id", f->id);
	bad = bad || set_str(doc, root, "title", f->title);
	bad = bad || set_str(doc, root, "agenda", f->agenda);
	bad = bad || set_str(doc, root, "area", f->area);
	bad = bad || set_str(doc, root, "status",
			     f->status ? f->status : "active");
	bad = bad || set_str(doc, root, "cycle", f->cycle);
	if (!bad && f->nstandards) {
		struct lps_node *seq = lps_doc_new_seq(doc);
		bad = !seq;
		for (size_t i = 0; !bad && i < f->nstandards; i++) {
			struct lps_node *s =
				lps_doc_new_string(doc, f->standards[i]);
			bad = !s || lps_seq_append(doc, seq, s);
		}
		bad = bad || lps_map_set(doc, root, "standards", seq);
	}
	bad = bad || set_str(doc, root, "aligns", f->aligns);
	bad = bad || set_str(doc, root, "statement", f->statement);
	bad = bad || set_str(doc, root, "created", f->created);
	bad = bad || set_str(doc, root, "carried_from", f->carried_from);
	if (bad) {
		lps_doc_free(doc);
		return lps_error_nomem();
	}
	lps_doc_set_root(doc, root);
	*out = doc;
	return NULL;
}

/* The element of seq `list` of goal whose "id" is key (first when key is
 * NULL), or NULL. */
static struct lps_node *find_keyed(const struct lps_node *goal,
				   const char *list, const char *key)
{
	struct lps_node *seq = lps_map_get(goal, list);
	if (!seq || seq->type != LPS_NODE_SEQ)
		return NULL;
	for (size_t i = 0; i < seq->v.seq.n; i++) {
		struct lps_node *it = seq->v.seq.items[i];
		const char *id = lps_node_str(lps_map_get(it, "id"));
		if (!key || (id && !strcmp(id, key)))
			return it;
	}
	return NULL;
}

struct lps_node *lps_goal_indicator(const struct lps_node *goal,
				    const char *key)
{
	return find_keyed(goal, "indicators", key);
}

int lps_goal_latest(const struct lps_node *indicator, double *latest,
		    const char **date)
{
	struct lps_node *ms = lps_map_get(indicator, "measurements");
	if (!ms || ms->type != LPS_NODE_SEQ)
		return 0;
	const char *best = NULL;
	double v = 0;
	for (size_t i = 0; i < ms->v.seq.n; i++) {
		const struct lps_node *m = ms->v.seq.items[i];
		const char *d = lps_node_str(lps_map_get(m, "date"));
		double x;
		if (!d || !node_number(lps_map_get(m, "value"), &x))
			continue;
		/* ISO dates order as strings; ">=" lets the last listed of
		 * one day win, as a correction made later that day would. */
		if (!best || strcmp(d, best) >= 0) {
			best = d;
			v = x;
		}
	}
	if (!best)
		return 0;
	if (latest)
		*latest = v;
	if (date)
		*date = best;
	return 1;
}

int lps_goal_indicator_progress(const struct lps_node *indicator,
				double *progress, double *latest)
{
	double base, target, last;
	if (!node_number(lps_map_get(indicator, "baseline"), &base) ||
	    !node_number(lps_map_get(indicator, "target"), &target) ||
	    !lps_goal_latest(indicator, &last, NULL))
		return 0;
	if (latest)
		*latest = last;
	if (target == base)
		return 0;
	if (progress)
		*progress = (last - base) / (target - base);
	return 1;
}

size_t lps_goal_progress(const struct lps_node *goal, double *progress)
{
	struct lps_node *seq = lps_map_get(goal, "indicators");
	size_t n = 0;
	double sum = 0;
	if (seq && seq->type == LPS_NODE_SEQ) {
		for (size_t i = 0; i < seq->v.seq.n; i++) {
			double p;
			if (lps_goal_indicator_progress(seq->v.seq.items[i],
							&p, NULL)) {
				sum += p;
				n++;
			}
		}
	}
	if (n && progress)
		*progress = sum / (double)n;
	return n;
}

int lps_goal_is_open(const struct lps_node *goal)
{
	const char *s = lps_node_str(lps_map_get(goal, "status"));
	return s && (!strcmp(s, "proposed") || !strcmp(s, "active"));
}
