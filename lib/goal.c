/*
 * goal.c - the goal document's tree operations (see goal.h).
 *
 * Everything here works on doc trees only; reading and committing are the
 * commands' business.  Functions that change a tree build every new node
 * first and link it in last, so that a failure leaves the tree as it was.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "goal.h"
#include "textclean.h"

/* Indicator and step keys are k1..k999 / s1..s999 (the schema's pattern). */
#define MAX_KEY 999

int lps_goal_node_number(const struct lps_node *n, double *v)
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

int lps_goal_indicator_flat(const struct lps_node *indicator)
{
	double b, t;
	return lps_goal_node_number(lps_map_get(indicator, "baseline"), &b) &&
	       lps_goal_node_number(lps_map_get(indicator, "target"), &t) &&
	       b == t;
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
		if (!d || !lps_goal_node_number(lps_map_get(m, "value"), &x))
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
	if (!lps_goal_node_number(lps_map_get(indicator, "baseline"), &base) ||
	    !lps_goal_node_number(lps_map_get(indicator, "target"), &target) ||
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

long lps_goal_percent(double fraction)
{
	double r = round(fraction * 100.0);
	if (!isfinite(r) || r > 1e15 || r < -1e15)
		return r < 0 ? -1000000000000000L : 1000000000000000L;
	long v = (long)r;
	return v; /* (long)-0.0 is 0: no "-0" */
}

int lps_goal_parse_number(const char *s, double *v)
{
	const char *c = s;
	if (!s)
		return 0;
	if (*c == '-' || *c == '+')
		c++;
	size_t digits = 0;
	while (isdigit((unsigned char)*c)) {
		c++;
		digits++;
	}
	if (*c == '.') {
		c++;
		while (isdigit((unsigned char)*c)) {
			c++;
			digits++;
		}
	}
	if (!digits)
		return 0;
	if (*c == 'e' || *c == 'E') {
		c++;
		if (*c == '-' || *c == '+')
			c++;
		if (!isdigit((unsigned char)*c))
			return 0;
		while (isdigit((unsigned char)*c))
			c++;
	}
	if (*c)
		return 0;
	double x = strtod(s, NULL);
	if (!isfinite(x))
		return 0;
	*v = x;
	return 1;
}

struct lps_node *lps_goal_number_node(struct lps_doc *doc, double v)
{
	/* 2^53: beyond it not every whole double is an exact integer. */
	if (v == floor(v) && fabs(v) <= 9007199254740992.0)
		return lps_doc_new_int(doc, (int64_t)v);
	return lps_doc_new_float(doc, v);
}

/* The sequence under key of map, created (unlinked: *fresh = 1) when
 * missing.  NULL when out of memory or when the key holds no sequence. */
static struct lps_node *get_seq(struct lps_doc *doc, struct lps_node *map,
				const char *key, int *fresh)
{
	struct lps_node *seq = lps_map_get(map, key);
	*fresh = 0;
	if (seq)
		return seq->type == LPS_NODE_SEQ ? seq : NULL;
	*fresh = 1;
	return lps_doc_new_seq(doc);
}

/* One more than the largest "<letter>N" key in seq (1 for none). */
static unsigned next_key(const struct lps_node *seq, char letter)
{
	unsigned max = 0;
	for (size_t i = 0; seq && i < seq->v.seq.n; i++) {
		const char *id = lps_node_str(lps_map_get(seq->v.seq.items[i],
							  "id"));
		if (!id || id[0] != letter)
			continue;
		char *end;
		unsigned long n = strtoul(id + 1, &end, 10);
		if (!*end && n > max && n <= MAX_KEY)
			max = (unsigned)n;
	}
	return max + 1;
}

/* Link item at the end of seq (and seq under key when fresh). */
static int link_item(struct lps_doc *doc, struct lps_node *map,
		     const char *key, struct lps_node *seq, int fresh,
		     struct lps_node *item)
{
	if (lps_seq_append(doc, seq, item))
		return -1;
	if (fresh && lps_map_set(doc, map, key, seq)) {
		seq->v.seq.n--;
		return -1;
	}
	return 0;
}

static const char *goal_id(const struct lps_node *goal)
{
	const char *id = lps_node_str(lps_map_get(goal, "id"));
	return id ? id : "?";
}

struct lps_error *lps_goal_add_indicator(struct lps_doc *doc,
					 struct lps_node *goal,
					 const struct lps_indicator_fields *f,
					 char *key)
{
	int fresh;
	if (f->target == f->baseline)
		return lps_error_new(LPS_EUSAGE, "--target must differ from "
				     "--baseline");
	struct lps_node *seq = get_seq(doc, goal, "indicators", &fresh);
	if (!seq)
		return lps_map_get(goal, "indicators")
			? lps_error_new(LPS_EINVALID, "goal %s: indicators is "
					"not a list", goal_id(goal))
			: lps_error_nomem();
	unsigned n = next_key(seq, 'k');
	if (n > MAX_KEY)
		return lps_error_new(LPS_EINVALID, "goal %s has too many "
				     "indicators", goal_id(goal));
	snprintf(key, 8, "k%u", n);
	struct lps_node *it = lps_doc_new_map(doc);
	int bad = !it || set_str(doc, it, "id", key) ||
		  set_str(doc, it, "measure", f->measure);
	struct lps_node *b = bad ? NULL : lps_goal_number_node(doc, f->baseline);
	struct lps_node *t = b ? lps_goal_number_node(doc, f->target) : NULL;
	bad = bad || !b || !t || lps_map_set(doc, it, "baseline", b) ||
	      lps_map_set(doc, it, "target", t) ||
	      set_str(doc, it, "unit", f->unit) ||
	      set_str(doc, it, "due", f->due) ||
	      link_item(doc, goal, "indicators", seq, fresh, it);
	return bad ? lps_error_nomem() : NULL;
}

/* "k1, k2" of the goal's indicators into out. */
static void list_keys(char *out, size_t size, const struct lps_node *seq)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; seq && i < seq->v.seq.n && used < size; i++) {
		const char *id = lps_node_str(lps_map_get(seq->v.seq.items[i],
							  "id"));
		int w = snprintf(out + used, size - used, "%s%s",
				 i ? ", " : "", id ? id : "?");
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

struct lps_error *lps_goal_add_measurement(
	struct lps_doc *doc, struct lps_node *goal,
	const struct lps_measurement_fields *f, char *key)
{
	struct lps_node *seq = lps_map_get(goal, "indicators");
	size_t n = seq && seq->type == LPS_NODE_SEQ ? seq->v.seq.n : 0;
	char keys[256];
	list_keys(keys, sizeof(keys), n ? seq : NULL);
	if (!n)
		return lps_error_new(LPS_EINVALID, "goal %s has no indicators; "
				     "add one with: lps goal indicator add",
				     goal_id(goal));
	if (!f->indicator && n > 1)
		return lps_error_new(LPS_EUSAGE, "goal %s has several "
				     "indicators (%s): choose one with "
				     "--indicator", goal_id(goal), keys);
	struct lps_node *ind = lps_goal_indicator(goal, f->indicator);
	if (!ind)
		return lps_error_new(LPS_ENOTFOUND, "goal %s has no indicator "
				     "\"%s\" (%s)", goal_id(goal),
				     f->indicator, keys);
	const char *k = lps_node_str(lps_map_get(ind, "id"));
	snprintf(key, 8, "%s", k ? k : "?");

	int fresh;
	struct lps_node *ms = get_seq(doc, ind, "measurements", &fresh);
	if (!ms)
		return lps_map_get(ind, "measurements")
			? lps_error_new(LPS_EINVALID, "goal %s: measurements "
					"of %s is not a list", goal_id(goal), key)
			: lps_error_nomem();
	struct lps_node *m = lps_doc_new_map(doc);
	struct lps_node *v = m ? lps_goal_number_node(doc, f->value) : NULL;
	int bad = !m || !v || set_str(doc, m, "date", f->date) ||
		  lps_map_set(doc, m, "value", v) ||
		  set_str(doc, m, "evidence", f->evidence) ||
		  set_str(doc, m, "note", f->note) ||
		  link_item(doc, ind, "measurements", ms, fresh, m);
	return bad ? lps_error_nomem() : NULL;
}

struct lps_node *lps_goal_action(const struct lps_node *goal,
				 const char *key)
{
	return key ? find_keyed(goal, "actions", key) : NULL;
}

struct lps_error *lps_goal_add_action(struct lps_doc *doc,
				      struct lps_node *goal, const char *text,
				      const char *due, const char *owner,
				      char *key)
{
	int fresh;
	struct lps_node *seq = get_seq(doc, goal, "actions", &fresh);
	if (!seq)
		return lps_map_get(goal, "actions")
			? lps_error_new(LPS_EINVALID, "goal %s: actions is "
					"not a list", goal_id(goal))
			: lps_error_nomem();
	unsigned n = next_key(seq, 's');
	if (n > MAX_KEY)
		return lps_error_new(LPS_EINVALID, "goal %s has too many "
				     "action steps", goal_id(goal));
	snprintf(key, 8, "s%u", n);
	struct lps_node *it = lps_doc_new_map(doc);
	int bad = !it || set_str(doc, it, "id", key) ||
		  set_str(doc, it, "text", text) ||
		  set_str(doc, it, "due", due) ||
		  set_str(doc, it, "owner", owner) ||
		  set_str(doc, it, "status", "open") ||
		  link_item(doc, goal, "actions", seq, fresh, it);
	return bad ? lps_error_nomem() : NULL;
}

struct lps_error *lps_goal_action_done(struct lps_doc *doc,
				       struct lps_node *goal, const char *key,
				       const char *date)
{
	struct lps_node *a = lps_goal_action(goal, key);
	if (!a)
		return lps_error_new(LPS_ENOTFOUND, "goal %s has no action "
				     "step \"%s\"", goal_id(goal), key);
	const char *st = lps_node_str(lps_map_get(a, "status"));
	if (st && !strcmp(st, "done")) {
		const char *d = lps_node_str(lps_map_get(a, "done"));
		return lps_error_new(LPS_EINVALID, "action step %s of %s is "
				     "already done (%s)", key, goal_id(goal),
				     d ? d : "no date");
	}
	/* Both values are built before either is set: all or nothing. */
	struct lps_node *s = lps_doc_new_string(doc, "done");
	struct lps_node *d = lps_doc_new_string(doc, date);
	if (!s || !d || lps_map_set(doc, a, "done", d))
		return lps_error_nomem();
	if (lps_map_set(doc, a, "status", s)) {
		lps_map_remove(a, "done");
		return lps_error_nomem();
	}
	return NULL;
}

int lps_goal_action_overdue(const struct lps_node *action,
			    const char *today)
{
	const char *st = lps_node_str(lps_map_get(action, "status"));
	const char *due = lps_node_str(lps_map_get(action, "due"));
	return st && !strcmp(st, "open") && due && today &&
	       strcmp(due, today) < 0;
}

/* Keys `lps goal set` may change; the first three are required. */
static const char *const set_keys[] = {
	"title", "agenda", "status", "area", "aligns", "statement",
	"visibility", "standards", NULL,
};
#define NREQUIRED 3

/* A sequence of the comma-separated items of value (spaces trimmed,
 * empty items skipped). */
static struct lps_node *split_list(struct lps_doc *doc, const char *value)
{
	struct lps_node *seq = lps_doc_new_seq(doc);
	const char *c = value;
	while (seq && *c) {
		const char *end = strchr(c, ',');
		size_t len = end ? (size_t)(end - c) : strlen(c);
		const char *a = c, *b = c + len;
		while (a < b && isspace((unsigned char)*a))
			a++;
		while (b > a && isspace((unsigned char)b[-1]))
			b--;
		if (b > a) {
			struct lps_node *s =
				lps_doc_new_stringn(doc, a, (size_t)(b - a));
			if (!s || lps_seq_append(doc, seq, s))
				return NULL;
		}
		c += len + (end ? 1 : 0);
	}
	return seq;
}

struct lps_error *lps_goal_set(struct lps_doc *doc, struct lps_node *goal,
			       const char *key, const char *value)
{
	size_t i;
	for (i = 0; set_keys[i] && strcmp(set_keys[i], key); i++)
		;
	if (!set_keys[i])
		return lps_error_new(LPS_EUSAGE, "cannot set \"%s\" (keys: "
				     "title, agenda, status, area, aligns, "
				     "statement, visibility, standards)", key);
	if (!strcmp(key, "status") && !strcmp(value, "dropped"))
		return lps_error_new(LPS_EUSAGE, "to drop a goal use: lps goal "
				     "drop ID --reason TEXT");
	/* Whitespace alone is no value (textclean.h). */
	int empty = lps_textclean_blank(value, strlen(value));
	if (empty && i < NREQUIRED)
		return lps_error_new(LPS_EUSAGE, "%s cannot be empty", key);
	if (empty) {
		lps_map_remove(goal, key);
		return NULL;
	}
	struct lps_node *v = !strcmp(key, "standards")
		? split_list(doc, value) : lps_doc_new_string(doc, value);
	if (!v)
		return lps_error_nomem();
	if (!strcmp(key, "standards") && !v->v.seq.n) {
		lps_map_remove(goal, key);
		return NULL;
	}
	if (lps_map_set(doc, goal, key, v))
		return lps_error_nomem();
	if (!strcmp(key, "status"))
		lps_map_remove(goal, "dropped_reason");
	return NULL;
}

struct lps_error *lps_goal_drop(struct lps_doc *doc, struct lps_node *goal,
				const char *reason)
{
	if (!reason || lps_textclean_blank(reason, strlen(reason)))
		return lps_error_new(LPS_EUSAGE, "a reason is needed to drop "
				     "a goal");
	struct lps_node *s = lps_doc_new_string(doc, "dropped");
	struct lps_node *r = lps_doc_new_string(doc, reason);
	if (!s || !r || lps_map_set(doc, goal, "dropped_reason", r))
		return lps_error_nomem();
	if (lps_map_set(doc, goal, "status", s)) {
		lps_map_remove(goal, "dropped_reason");
		return lps_error_nomem();
	}
	return NULL;
}
