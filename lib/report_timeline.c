/*
 * report_timeline.c - `lps report timeline`: phase changes (from the
 * history's trailers) and dated activity (goals created, measurements,
 * evidence, reflections, feedback), grouped by cycle, oldest first.
 *
 * The cycle of an event: a goal's own `cycle` (its measurements too), a
 * reflection's `cycle` when it has one, for a phase change the cycle in
 * lps.yaml at that commit; anything else (evidence, feedback, a
 * reflection without a cycle) belongs to the cycle that had begun by its
 * date: the last phase change into purpose on or before it, else the
 * cycle the portfolio started with.
 *
 * History is walked one commit at a time; documents are streamed one at
 * a time; per event only a short line and a few fields are kept.
 *
 * JSON events carry, besides date, kind, id and text, the event's data
 * (schemas/report-timeline.schema.yaml): a phase change its from, to and
 * forced reason; a goal its goal id and title; a measurement its goal,
 * indicator, measure, value (a number) and unit; evidence its id, title
 * and evidence_kind; a reflection its id, phase and prompt; feedback its
 * id and feedback_kind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collection.h"
#include "goal.h"
#include "history.h"
#include "portfolio.h"
#include "report.h"

enum { K_PHASE, K_GOAL, K_MEASURE, K_EVIDENCE, K_REFLECTION, K_FEEDBACK };
static const char *const kinds[] = {
	"phase", "goal", "measurement", "evidence", "reflection", "feedback",
};

/*
 * The data of an event, by kind, in event.f (each owned, or NULL):
 *   phase        from, to, forced
 *   goal         title
 *   measurement  indicator, measure, unit (and value)
 *   evidence     title, evidence_kind
 *   reflection   phase, prompt
 *   feedback     feedback_kind
 */
#define NFIELDS 3
static const char *const field_names[][NFIELDS] = {
	[K_PHASE] = { "from", "to", "forced" },
	[K_GOAL] = { "title", NULL, NULL },
	[K_MEASURE] = { "indicator", "measure", "unit" },
	[K_EVIDENCE] = { "title", "evidence_kind", NULL },
	[K_REFLECTION] = { "phase", "prompt", NULL },
	[K_FEEDBACK] = { "feedback_kind", NULL, NULL },
};

struct event {
	char date[11];
	int kind;
	size_t cycle;      /* index into cycles, or (size_t)-1: by date */
	char id[LPS_ID_LEN + 1];
	int64_t seq;       /* phase changes: commit time, to keep their
			    * order within a day; 0 for the rest */
	char *text;        /* owned */
	char *f[NFIELDS];  /* owned, see field_names */
	double value;      /* measurements */
};

struct cycle {
	char *name;        /* owned */
	char first[11];    /* earliest event date */
};

/* A cycle beginning: a phase change into purpose. */
struct start {
	char date[11];
	size_t cycle;
};

struct tl {
	struct lps_report *r;
	struct event *ev;
	size_t nev, evcap;
	struct cycle *cy;
	size_t ncy, cycap;
	struct start *st;
	size_t nst, stcap;
	size_t base;       /* cycle the portfolio started with, or -1 */
	git_oid oldest;    /* oldest lps commit seen */
	int have_oldest;
	struct lps_buf tmp;
	struct event *last;  /* set by add */
	struct lps_error *err;
};

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t nc = *cap ? 2 * *cap : 32;
	void *p = realloc(*v, nc * size);
	if (!p)
		return -1;
	*v = p;
	*cap = nc;
	return 0;
}

static size_t cycle_index(struct tl *t, const char *name)
{
	if (!name)
		return (size_t)-1;
	for (size_t i = 0; i < t->ncy; i++)
		if (strcmp(t->cy[i].name, name) == 0)
			return i;
	if (grow((void **)&t->cy, &t->cycap, t->ncy, sizeof(*t->cy)))
		return (size_t)-2;
	char *d = strdup(name);
	if (!d)
		return (size_t)-2;
	t->cy[t->ncy].name = d;
	t->cy[t->ncy].first[0] = '\0';
	return t->ncy++;
}

/*
 * Add an event; text and the fields f0..f2 (see field_names, each may
 * be NULL) are copied.  0, or -1 when out of memory.  t->last is the
 * event added, or NULL when its date is out of the period.
 */
static int add(struct tl *t, const char *date, int kind,
	       const char *cycle, const char *id, const char *text,
	       const char *f0, const char *f1, const char *f2)
{
	t->last = NULL;
	if (!date || !lps_report_in_range(t->r->opts, date))
		return 0;
	size_t ci = cycle_index(t, cycle);
	if (ci == (size_t)-2)
		return -1;
	if (grow((void **)&t->ev, &t->evcap, t->nev, sizeof(*t->ev)))
		return -1;
	struct event *e = &t->ev[t->nev];
	snprintf(e->date, sizeof(e->date), "%.10s", date);
	e->kind = kind;
	e->cycle = ci;
	e->seq = 0;
	snprintf(e->id, sizeof(e->id), "%s", id ? id : "");
	memset(e->f, 0, sizeof(e->f));
	e->value = 0;
	const char *fs[NFIELDS] = { f0, f1, f2 };
	int bad = !(e->text = strdup(text ? text : ""));
	for (int i = 0; i < NFIELDS; i++)
		bad |= fs[i] && !(e->f[i] = strdup(fs[i]));
	if (bad) {
		free(e->text);
		for (int i = 0; i < NFIELDS; i++)
			free(e->f[i]);
		return -1;
	}
	t->last = e;
	t->nev++;
	return 0;
}


static const char *str(const struct lps_node *m, const char *key)
{
	return lps_node_str(lps_map_get(m, key));
}

/* ---- history ---- */

static void day_of(char *out, int64_t time, int offset)
{
	time_t s = (time_t)(time + (int64_t)offset * 60);
	struct tm tm;
	out[0] = '\0';
	if (gmtime_r(&s, &tm))
		strftime(out, 11, "%Y-%m-%d", &tm);
}

/* The cycle in lps.yaml at commit, copied into out ("" if none). */
static struct lps_error *cycle_at(struct tl *t, const git_oid *commit,
				  char *out, size_t size)
{
	struct lps_doc *doc = NULL;
	struct lps_error *err = lps_store_read(lps_portfolio_store(t->r->p),
					       commit, "lps.yaml", &t->tmp);
	out[0] = '\0';
	if (err) {
		/* A commit without lps.yaml has no cycle; not an error. */
		if (err->code == LPS_ENOTFOUND) {
			lps_error_free(err);
			return NULL;
		}
		return err;
	}
	err = lps_doc_load(&doc, "lps.yaml", t->tmp.data ? t->tmp.data : "",
			   t->tmp.len, NULL);
	if (err) {
		/* A broken lps.yaml in old history leaves the event to be
		 * placed by date. */
		lps_error_free(err);
		return NULL;
	}
	const char *c = str(lps_doc_root(doc), "cycle");
	if (c)
		snprintf(out, size, "%s", c);
	lps_doc_free(doc);
	return NULL;
}

static int on_commit(void *ctx, git_commit *commit)
{
	struct tl *t = ctx;
	struct lps_history_entry *e = NULL;
	char cycle[LPS_CYCLE_MAX], date[11];

	if ((t->err = lps_history_entry_from_commit(&e, commit)))
		return 1;
	if (!e)
		return 0;
	t->oldest = e->commit;
	t->have_oldest = 1;
	if (!lps_history_entry_is_phase(e))
		goto out;
	day_of(date, e->time, e->offset);
	if ((t->err = cycle_at(t, &e->commit, cycle, sizeof(cycle))))
		goto out;
	lps_buf_reset(&t->tmp);
	if (lps_buf_addf(&t->tmp, "%s -> %s", e->phase_from, e->phase_to) ||
	    (e->forced && lps_buf_addf(&t->tmp, " (forced: %s)", e->forced)))
		goto nomem;
	char *text = lps_buf_detach(&t->tmp, NULL);
	if (!text)
		goto nomem;
	size_t before = t->nev;
	int bad = add(t, date, K_PHASE, cycle[0] ? cycle : NULL, NULL, text,
		      e->phase_from, e->phase_to, e->forced);
	free(text);
	if (!bad && t->nev > before)
		t->ev[before].seq = e->time;
	if (bad)
		goto nomem;
	if (strcmp(e->phase_to, "purpose") == 0 && cycle[0]) {
		size_t ci = cycle_index(t, cycle);
		if (ci == (size_t)-2 ||
		    grow((void **)&t->st, &t->stcap, t->nst, sizeof(*t->st)))
			goto nomem;
		snprintf(t->st[t->nst].date, 11, "%s", date);
		t->st[t->nst].cycle = ci;
		t->nst++;
	}
out:
	lps_history_entry_free(e);
	return t->err != NULL;
nomem:
	t->err = lps_error_nomem();
	lps_history_entry_free(e);
	return 1;
}

/* ---- documents ---- */

static int on_doc_invalid(struct tl *t, const char *path,
			  const struct lps_error *problem)
{
	if (lps_report_invalid(t->r, path, problem)) {
		t->err = lps_error_nomem();
		return 1;
	}
	return 0;
}

static int on_goal(void *ctx, const char *path, const struct lps_doc *doc,
		   const struct lps_error *problem)
{
	struct tl *t = ctx;
	char nb[32];
	if (!doc)
		return on_doc_invalid(t, path, problem);
	const struct lps_node *g = lps_doc_root(doc);
	const char *id = str(g, "id"), *cycle = str(g, "cycle");
	lps_buf_reset(&t->tmp);
	if (lps_buf_addf(&t->tmp, "goal added: %s", str(g, "title")
			 ? str(g, "title") : "") ||
	    add(t, str(g, "created"), K_GOAL, cycle, id, t->tmp.data,
		str(g, "title"), NULL, NULL))
		goto nomem;
	const struct lps_node *ks = lps_map_get(g, "indicators");
	for (size_t i = 0; ks && ks->type == LPS_NODE_SEQ && i < ks->v.seq.n;
	     i++) {
		const struct lps_node *k = ks->v.seq.items[i];
		const struct lps_node *ms = lps_map_get(k, "measurements");
		const char *unit = str(k, "unit");
		for (size_t j = 0; ms && ms->type == LPS_NODE_SEQ &&
				   j < ms->v.seq.n; j++) {
			const struct lps_node *m = ms->v.seq.items[j];
			double v = 0;
			lps_goal_node_number(lps_map_get(m, "value"), &v);
			lps_buf_reset(&t->tmp);
			if (lps_buf_addf(&t->tmp, "%s %s: %s%s%s",
					 str(k, "id") ? str(k, "id") : "",
					 str(k, "measure") ? str(k, "measure")
							   : "",
					 lps_report_num(nb, v),
					 unit ? " " : "", unit ? unit : "") ||
			    add(t, str(m, "date"), K_MEASURE, cycle, id,
				t->tmp.data, str(k, "id"), str(k, "measure"),
				unit))
				goto nomem;
			if (t->last)
				t->last->value = v;
		}
	}
	return 0;
nomem:
	t->err = lps_error_nomem();
	return 1;
}

static int on_evidence(void *ctx, const char *path, const struct lps_doc *doc,
		       const struct lps_error *problem)
{
	struct tl *t = ctx;
	if (!doc)
		return on_doc_invalid(t, path, problem);
	const struct lps_node *e = lps_doc_root(doc);
	lps_buf_reset(&t->tmp);
	if (lps_buf_addf(&t->tmp, "%s (%s)", str(e, "title") ? str(e, "title")
			 : "", str(e, "kind") ? str(e, "kind") : "") ||
	    add(t, str(e, "date"), K_EVIDENCE, NULL, str(e, "id"),
		t->tmp.data, str(e, "title"), str(e, "kind"), NULL)) {
		t->err = lps_error_nomem();
		return 1;
	}
	return 0;
}

static int on_reflection(void *ctx, const char *path,
			 const struct lps_doc *doc,
			 const struct lps_error *problem)
{
	struct tl *t = ctx;
	if (!doc)
		return on_doc_invalid(t, path, problem);
	const struct lps_node *e = lps_doc_root(doc);
	lps_buf_reset(&t->tmp);
	int bad = lps_buf_addf(&t->tmp, "%s", str(e, "phase") ? str(e, "phase")
			       : "");
	if (str(e, "prompt"))
		bad |= lps_buf_addf(&t->tmp, " [%s]", str(e, "prompt"));
	bad |= lps_buf_adds(&t->tmp, ": ");
	bad |= lps_report_excerpt(&t->tmp, str(e, "body"), 80);
	if (bad || add(t, str(e, "date"), K_REFLECTION, str(e, "cycle"),
		       str(e, "id"), t->tmp.data, str(e, "phase"),
		       str(e, "prompt"), NULL)) {
		t->err = lps_error_nomem();
		return 1;
	}
	return 0;
}

static int on_feedback(void *ctx, const char *path, const struct lps_doc *doc,
		       const struct lps_error *problem)
{
	struct tl *t = ctx;
	if (!doc)
		return on_doc_invalid(t, path, problem);
	const struct lps_node *e = lps_doc_root(doc);
	lps_buf_reset(&t->tmp);
	int bad;
	if (str(e, "to"))
		bad = lps_buf_addf(&t->tmp, "%s to %s: ",
				   str(e, "kind") ? str(e, "kind") : "",
				   str(e, "to"));
	else
		bad = lps_buf_addf(&t->tmp, "%s from %s: ",
				   str(e, "kind") ? str(e, "kind") : "",
				   str(e, "from") ? str(e, "from") : "");
	bad |= lps_report_excerpt(&t->tmp, str(e, "body"), 80);
	if (bad || add(t, str(e, "date"), K_FEEDBACK, NULL, str(e, "id"),
		       t->tmp.data, str(e, "kind"), NULL, NULL)) {
		t->err = lps_error_nomem();
		return 1;
	}
	return 0;
}

static struct lps_error *stream(struct tl *t, const char *dir,
				lps_collection_each_fn fn)
{
	struct lps_error *err = lps_collection_each(t->r->p, dir, fn, t);
	if (t->err) {
		lps_error_free(err);
		err = t->err;
		t->err = NULL;
	}
	return err;
}

/* ---- placing and ordering ---- */

static int cmp_start(const void *a, const void *b)
{
	return strcmp(((const struct start *)a)->date,
		      ((const struct start *)b)->date);
}

static const struct cycle *sort_cycles;

static int cmp_event(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	if (x->cycle != y->cycle) {
		const struct cycle *cx = &sort_cycles[x->cycle];
		const struct cycle *cy = &sort_cycles[y->cycle];
		int c = strcmp(cx->first, cy->first);
		return c ? c : strcmp(cx->name, cy->name);
	}
	int c = strcmp(x->date, y->date);
	if (c)
		return c;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	c = strcmp(x->id, y->id);
	return c ? c : strcmp(x->text, y->text);
}

static void place(struct tl *t, size_t current)
{
	if (t->nst > 1)
		qsort(t->st, t->nst, sizeof(*t->st), cmp_start);
	for (size_t i = 0; i < t->nev; i++) {
		struct event *e = &t->ev[i];
		if (e->cycle != (size_t)-1)
			continue;
		size_t c = t->base != (size_t)-1 ? t->base : current;
		for (size_t k = 0; k < t->nst; k++)
			if (strcmp(t->st[k].date, e->date) <= 0)
				c = t->st[k].cycle;
		e->cycle = c;
	}
	for (size_t i = 0; i < t->nev; i++) {
		struct cycle *c = &t->cy[t->ev[i].cycle];
		if (!c->first[0] || strcmp(t->ev[i].date, c->first) < 0)
			snprintf(c->first, sizeof(c->first), "%s",
				 t->ev[i].date);
	}
	sort_cycles = t->cy;
	if (t->nev > 1)
		qsort(t->ev, t->nev, sizeof(*t->ev), cmp_event);
}

/* ---- writers ---- */

static int jset(struct lps_doc *d, struct lps_node *m, const char *k,
		struct lps_node *v)
{
	return !v || lps_map_set(d, m, k, v);
}

static struct lps_node *jstr(struct lps_doc *d, const char *s)
{
	return s ? lps_doc_new_string(d, s) : lps_doc_new_null(d);
}

/*
 * The event's data beside its text, the same keys for every event of a
 * kind (null when unknown): the document's id under the name of its
 * kind (goal, evidence, reflection, feedback; a measurement's goal),
 * then the fields of field_names and, for a measurement, its value.
 */
static int event_data(struct lps_doc *d, struct lps_node *m,
		      const struct event *e)
{
	static const char *const id_key[] = {
		[K_PHASE] = NULL, [K_GOAL] = "goal", [K_MEASURE] = "goal",
		[K_EVIDENCE] = "evidence", [K_REFLECTION] = "reflection",
		[K_FEEDBACK] = "feedback",
	};
	int bad = 0;
	if (id_key[e->kind])
		bad |= jset(d, m, id_key[e->kind],
			    jstr(d, e->id[0] ? e->id : NULL));
	for (int i = 0; i < NFIELDS && !bad; i++)
		if (field_names[e->kind][i])
			bad |= jset(d, m, field_names[e->kind][i],
				    jstr(d, e->f[i]));
	if (e->kind == K_MEASURE && !bad)
		bad |= jset(d, m, "value", lps_goal_number_node(d, e->value));
	return bad;
}

static struct lps_error *write_json(struct tl *t)
{
	struct lps_doc *doc = NULL;
	struct lps_error *err = lps_doc_new(&doc, "report");
	if (err)
		return err;
	struct lps_node *root = lps_report_json_head(t->r, doc, "timeline");
	struct lps_node *cycles = lps_doc_new_seq(doc);
	struct lps_node *events = NULL;
	int bad = !root || !cycles || lps_map_set(doc, root, "cycles", cycles);
	for (size_t i = 0; i < t->nev && !bad; i++) {
		const struct event *e = &t->ev[i];
		if (i == 0 || e->cycle != t->ev[i - 1].cycle) {
			struct lps_node *c = lps_doc_new_map(doc);
			events = lps_doc_new_seq(doc);
			bad |= !c || !events ||
			       lps_map_set(doc, c, "cycle", lps_doc_new_string(
					doc, t->cy[e->cycle].name)) ||
			       lps_map_set(doc, c, "events", events) ||
			       lps_seq_append(doc, cycles, c);
			if (bad)
				break;
		}
		struct lps_node *m = lps_doc_new_map(doc);
		bad |= !m ||
		       lps_map_set(doc, m, "date",
				   lps_doc_new_string(doc, e->date)) ||
		       lps_map_set(doc, m, "kind",
				   lps_doc_new_string(doc, kinds[e->kind])) ||
		       lps_map_set(doc, m, "id", e->id[0]
				   ? lps_doc_new_string(doc, e->id)
				   : lps_doc_new_null(doc)) ||
		       lps_map_set(doc, m, "text",
				   lps_doc_new_string(doc, e->text)) ||
		       event_data(doc, m, e) ||
		       lps_seq_append(doc, events, m);
	}
	err = bad ? lps_error_nomem() : lps_report_emit_json(t->r, root);
	lps_doc_free(doc);
	return err;
}

static int write_people(struct tl *t)
{
	static const char *const heads[] = { "Date", "Kind", "Item", "What" };
	static const char *const csvh[] = { "cycle", "date", "kind", "id",
					    "text" };
	struct lps_report *r = t->r;
	enum lps_report_format f = r->opts->format;
	struct lps_buf *o = r->out, title = LPS_BUF_INIT;
	struct lps_report_table *tab = NULL;
	struct lps_error *err;
	int bad = 0;

	if (f == LPS_REPORT_CSV) {
		if ((err = lps_report_table_new(&tab, 5, csvh, NULL))) {
			lps_error_free(err);
			return -1;
		}
		for (size_t i = 0; i < t->nev && !bad; i++) {
			const struct event *e = &t->ev[i];
			const char *cells[] = { t->cy[e->cycle].name, e->date,
						kinds[e->kind], e->id, e->text };
			bad |= lps_report_table_row(tab, cells);
		}
		if (!bad)
			bad |= lps_report_table_write(o, f, tab);
		lps_report_table_free(tab);
		return bad ? -1 : 0;
	}
	const char *owner = lps_node_str(lps_map_get(lps_map_get(
		lps_doc_root(lps_portfolio_meta(r->p)), "owner"), "name"));
	bad |= lps_buf_addf(&title, "Timeline: %s", owner ? owner : "");
	if (f == LPS_REPORT_HTML)
		bad |= lps_report_html_begin(o, title.data, NULL);
	bad |= lps_report_heading(o, f, 1, title.data);
	if (!t->nev) {
		bad |= lps_report_para(o, f, "No dated activity.");
		bad |= lps_report_gap(o, f);
	}
	for (size_t i = 0; i < t->nev && !bad; i++) {
		const struct event *e = &t->ev[i];
		if (i == 0 || e->cycle != t->ev[i - 1].cycle) {
			if ((err = lps_report_table_new(&tab, 4, heads, NULL))) {
				lps_error_free(err);
				bad = 1;
				break;
			}
		}
		const char *cells[] = { e->date, kinds[e->kind],
					e->id[0] ? e->id : NULL, e->text };
		bad |= lps_report_table_row_class(tab, cells,
			e->kind == K_PHASE ? "phase" : NULL);
		if (i + 1 == t->nev || t->ev[i + 1].cycle != e->cycle) {
			lps_buf_reset(&title);
			bad |= lps_buf_addf(&title, "Cycle %s",
					    t->cy[e->cycle].name);
			bad |= lps_report_heading(o, f, 2, title.data);
			bad |= lps_report_table_write(o, f, tab);
			bad |= lps_report_gap(o, f);
			lps_report_table_free(tab);
			tab = NULL;
		}
	}
	lps_report_table_free(tab);
	if (f == LPS_REPORT_HTML)
		bad |= lps_report_html_end(o);
	lps_buf_free(&title);
	return bad ? -1 : 0;
}

static struct lps_error *run(struct lps_report *r)
{
	struct tl t = { .r = r, .base = (size_t)-1 };
	struct lps_error *err;
	char cycle[LPS_CYCLE_MAX];

	err = lps_report_walk(r, on_commit, &t);
	if (t.err) {
		lps_error_free(err);
		err = t.err;
		t.err = NULL;
	}
	if (!err && t.have_oldest) {
		err = cycle_at(&t, &t.oldest, cycle, sizeof(cycle));
		if (!err && cycle[0]) {
			t.base = cycle_index(&t, cycle);
			if (t.base == (size_t)-2)
				err = lps_error_nomem();
		}
	}
	if (!err)
		err = stream(&t, "goals", on_goal);
	if (!err)
		err = stream(&t, "evidence", on_evidence);
	if (!err)
		err = stream(&t, "reflections", on_reflection);
	if (!err)
		err = stream(&t, "feedback", on_feedback);
	if (err)
		goto out;
	size_t current = cycle_index(&t, lps_report_meta(r, "cycle")
				     ? lps_report_meta(r, "cycle") : "-");
	if (current == (size_t)-2) {
		err = lps_error_nomem();
		goto out;
	}
	place(&t, current);
	if (r->opts->format == LPS_REPORT_JSON)
		err = write_json(&t);
	else if (write_people(&t))
		err = lps_error_nomem();
out:
	for (size_t i = 0; i < t.nev; i++) {
		free(t.ev[i].text);
		for (int k = 0; k < NFIELDS; k++)
			free(t.ev[i].f[k]);
	}
	for (size_t i = 0; i < t.ncy; i++)
		free(t.cy[i].name);
	free(t.ev);
	free(t.cy);
	free(t.st);
	lps_buf_free(&t.tmp);
	return err;
}

const struct lps_report_kind lps_report_kind_timeline = {
	"timeline",
	"phase changes and dated activity (goals, measurements, evidence, "
	"reflections, feedback), by cycle",
	run,
};
