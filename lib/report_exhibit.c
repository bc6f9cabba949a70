/*
 * report_exhibit.c - `lps report exhibit`: the whole portfolio for the
 * outcomes phase, to show a partner, a roundtable or an evaluator.
 *
 * Sections: who and where (lps.yaml), purpose and collaboration
 * structures, the phase timeline (from the history's phase changes),
 * goals (newest cycle first) with their indicators, progress and action
 * steps, evidence with links to the attached files, reflections,
 * feedback, self-assessments and a coverage map of the frameworks the
 * portfolio cites, counted for the portfolio's cycle by the rule of
 * coverage.h, so it says what `lps report coverage` says.  HTML is one
 * self-contained page with the charts of svg.h; Markdown uses relative
 * links and tables (no charts); CSV is one flat table of every item;
 * JSON is schemas/report-exhibit.schema.yaml.
 *
 * Private items: the exhibit is the owner's own view, so it shows every
 * item, and marks the private ones ("private" after their title) so the
 * owner sees what they would hand over.  Reflections are private unless
 * marked roundtable (reflection.schema.yaml); other documents are
 * shared unless marked private.
 *
 * Evidence links are relative to the top of the portfolio
 * (evidence/<id>/<name>, percent-encoded): they work when the page is
 * written there (`-o exhibit.html`) or copied with the evidence folder.
 *
 * Memory: the exhibit shows every document, so it keeps a copy of each
 * valid one (one arena) while the portfolio is streamed; its size is
 * that of the output.
 *
 * State of an indicator, as `lps report progress` judges it: met when
 * progress >= 100%; on track when, with a due date, progress >= the
 * elapsed share of the time from the goal's creation to the due date
 * (as of --until or today), without one when progress > 0; behind
 * otherwise; no data without a measurement in the period.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collection.h"
#include "coverage.h"
#include "framework.h"
#include "goal.h"
#include "history.h"
#include "portfolio.h"
#include "registry.h"
#include "report.h"
#include "schema.h"
#include "store.h"
#include "svg.h"

struct list {
	const struct lps_node **v;
	size_t n, cap;
};

struct ex {
	struct lps_report *r;
	enum lps_report_format f;
	struct lps_buf *out;
	struct lps_doc *keep;   /* copies of the documents shown */
	struct list goals, evidence, reflections, feedback, assessments;
	struct lps_svg_phase *phases;  /* oldest first */
	size_t nphases;
	struct lps_history *history;
	char (*phase_dates)[11];       /* 2 per phase: start, end */
	const char *as_of;
	struct lps_frameworks *fws;
	int nomem;
};

static const char *const rating_names[] = { "beginning", "developing",
					    "proficient", "exemplary" };

static const char *str(const struct lps_node *m, const char *key)
{
	return lps_node_str(lps_map_get(m, key));
}

static int list_add(struct list *l, const struct lps_node *n)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		const struct lps_node **v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = n;
	return 0;
}

/* Keep a copy of doc's root in the list when it is in the period. */
static int keep_doc(struct ex *x, struct list *l, const struct lps_doc *doc,
		    const char *date_key)
{
	const struct lps_node *root = lps_doc_root(doc);
	if (date_key && !lps_report_in_range(x->r->opts, str(root, date_key)))
		return 0;
	struct lps_node *c = lps_doc_copy(x->keep, root);
	if (!c || list_add(l, c)) {
		x->nomem = 1;
		return 1;
	}
	return 0;
}

static int invalid(struct ex *x, const char *path,
		   const struct lps_error *problem)
{
	if (lps_report_invalid(x->r, path, problem)) {
		x->nomem = 1;
		return 1;
	}
	return 0;
}

#define COLLECTOR(name, field, date_key)                                   \
	static int name(void *ctx, const char *path,                       \
			const struct lps_doc *doc,                         \
			const struct lps_error *problem)                   \
	{                                                                  \
		struct ex *x = ctx;                                        \
		if (!doc)                                                  \
			return invalid(x, path, problem);                  \
		return keep_doc(x, &x->field, doc, date_key);              \
	}

COLLECTOR(each_goal, goals, NULL)
COLLECTOR(each_evidence, evidence, "date")
COLLECTOR(each_reflection, reflections, "date")
COLLECTOR(each_feedback, feedback, "date")

/* Assessments live one folder deeper (assessments/<cycle>/), which
 * lps_collection_each does not enter: read them blob by blob. */
static int each_assessment(void *ctx, const char *path, const char *data,
			   size_t len)
{
	struct ex *x = ctx;
	struct lps_doc *doc = NULL;
	const struct lps_registry *reg;
	struct lps_findings f = LPS_FINDINGS_INIT;
	struct lps_error *err;
	int valid = 0, stop = 0;
	size_t pl = strlen(path);

	if (pl < 5 || strcmp(path + pl - 5, ".yaml") != 0)
		return 0;
	if ((err = lps_doc_load(&doc, path, data, len, NULL)) ||
	    (err = lps_registry_get(&reg)) ||
	    (err = lps_registry_validate_path(&valid, &f, reg, path,
					      lps_doc_root(doc)))) {
		if (err->code == LPS_ENOMEM)
			x->nomem = stop = 1;
		else
			stop = invalid(x, path, err);
	} else if (!valid) {
		const struct lps_finding *y = &f.items[0];
		err = lps_error_at(LPS_EINVALID, path, y->line, y->col, "%s%s%s",
				   y->path && *y->path ? y->path : "",
				   y->path && *y->path ? ": " : "", y->message);
		stop = invalid(x, path, err);
	} else {
		stop = keep_doc(x, &x->assessments, doc, NULL);
	}
	lps_error_free(err);
	lps_findings_free(&f);
	lps_doc_free(doc);
	return stop;
}

/* ---- ordering ---- */

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* Goals: newest cycle first, then by creation, title, id. */
static int cmp_goal(const void *pa, const void *pb)
{
	const struct lps_node *a = *(const struct lps_node *const *)pa;
	const struct lps_node *b = *(const struct lps_node *const *)pb;
	int c = cmp_str(str(b, "cycle"), str(a, "cycle"));
	if (!c)
		c = cmp_str(str(a, "created"), str(b, "created"));
	if (!c)
		c = cmp_str(str(a, "title"), str(b, "title"));
	return c ? c : cmp_str(str(a, "id"), str(b, "id"));
}

/* Dated items: by date, then id. */
static int cmp_dated(const void *pa, const void *pb)
{
	const struct lps_node *a = *(const struct lps_node *const *)pa;
	const struct lps_node *b = *(const struct lps_node *const *)pb;
	int c = cmp_str(str(a, "date"), str(b, "date"));
	return c ? c : cmp_str(str(a, "id"), str(b, "id"));
}

/* Assessments: newest cycle first, then framework and code. */
static int cmp_assessment(const void *pa, const void *pb)
{
	const struct lps_node *a = *(const struct lps_node *const *)pa;
	const struct lps_node *b = *(const struct lps_node *const *)pb;
	int c = cmp_str(str(b, "cycle"), str(a, "cycle"));
	if (!c)
		c = cmp_str(str(a, "framework"), str(b, "framework"));
	return c ? c : cmp_str(str(a, "code"), str(b, "code"));
}

static void sort(struct list *l, int (*cmp)(const void *, const void *))
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp);
}

/* ---- phases from history ---- */

static void day_of(char *out, const struct lps_history_entry *e)
{
	time_t t = (time_t)(e->time + (int64_t)e->offset * 60);
	struct tm tm;
	out[0] = '\0';
	if (gmtime_r(&t, &tm))
		strftime(out, 11, "%Y-%m-%d", &tm);
}

static struct lps_error *read_phases(struct ex *x)
{
	struct lps_portfolio *p = x->r->p;
	struct lps_history_opts ho = LPS_HISTORY_OPTS_INIT;
	char rev[GIT_OID_HEXSZ + 1];
	struct lps_error *err;
	const struct lps_node *meta = lps_doc_root(lps_portfolio_meta(p));

	ho.phases_only = 1;
	git_oid_tostr(rev, sizeof(rev), lps_portfolio_head(p));
	if ((err = lps_history_read(&x->history, lps_portfolio_store(p), rev,
				    &ho)))
		return err;
	const struct lps_history *h = x->history;
	size_t n = h->n + 1;
	x->phases = calloc(n, sizeof(*x->phases));
	x->phase_dates = calloc(n, sizeof(*x->phase_dates));
	if (!x->phases || !x->phase_dates)
		return lps_error_nomem();
	/* The first stretch runs from the portfolio's creation in the
	 * phase the oldest change left (purpose for a new portfolio). */
	const char *first = h->n ? h->entries[h->n - 1]->phase_from
				 : str(meta, "phase");
	const char *created = str(meta, "created");
	x->phases[0].phase = first ? first : "purpose";
	x->phases[0].start = created;
	for (size_t i = 0; i < h->n; i++) {
		const struct lps_history_entry *e = h->entries[h->n - 1 - i];
		day_of(x->phase_dates[i], e);
		x->phases[i].end = x->phase_dates[i];
		x->phases[i + 1].phase = e->phase_to;
		x->phases[i + 1].start = x->phase_dates[i];
		x->phases[i + 1].note = e->forced;
	}
	x->nphases = n;
	/* A portfolio without a creation date starts at its first change. */
	if (!x->phases[0].start)
		x->phases[0].start = h->n ? x->phase_dates[0] : x->as_of;
	return NULL;
}

/* ---- indicators ---- */

struct ind {
	int has_latest, has_progress;
	double latest, progress;
	const char *latest_date;
	enum lps_indicator_state state;
};


static void judge(struct ex *x, const struct lps_node *goal,
		  const struct lps_node *k, struct ind *d)
{
	const struct lps_node *ms = lps_map_get(k, "measurements");
	double base = 0, target = 0;

	memset(d, 0, sizeof(*d));
	lps_goal_node_number(lps_map_get(k, "baseline"), &base);
	lps_goal_node_number(lps_map_get(k, "target"), &target);
	for (size_t i = 0; ms && ms->type == LPS_NODE_SEQ && i < ms->v.seq.n;
	     i++) {
		const struct lps_node *m = ms->v.seq.items[i];
		const char *date = str(m, "date");
		double v;
		if (!lps_report_in_range(x->r->opts, date) ||
		    !lps_goal_node_number(lps_map_get(m, "value"), &v))
			continue;
		if (!d->has_latest || cmp_str(date, d->latest_date) >= 0) {
			d->has_latest = 1;
			d->latest = v;
			d->latest_date = date;
		}
	}
	if (d->has_latest && target != base) {
		d->has_progress = 1;
		d->progress = (d->latest - base) / (target - base);
	}
	d->state = lps_report_indicator_state(d->has_progress, d->progress,
					      str(goal, "created"),
					      str(k, "due"), x->as_of);
}

static const char *pct(char *buf, const struct ind *d)
{
	if (!d->has_progress)
		return NULL;
	snprintf(buf, 32, "%ld%%", lps_goal_percent(d->progress));
	return buf;
}

static const char *num(char *buf, const struct lps_node *n)
{
	double v;
	if (!lps_goal_node_number(n, &v))
		return NULL;
	return lps_report_num(buf, v);
}

/* ---- the pieces every format shares ---- */

static size_t seq_n(const struct lps_node *s)
{
	return s && s->type == LPS_NODE_SEQ ? s->v.seq.n : 0;
}

/* "a, b, c" of a sequence of strings into b (reset first). */
static const char *joined(struct lps_buf *b, const struct lps_node *s)
{
	lps_buf_reset(b);
	for (size_t i = 0; i < seq_n(s); i++) {
		const char *t = lps_node_str(s->v.seq.items[i]);
		if (!t)
			continue;
		if ((b->len && lps_buf_adds(b, ", ")) || lps_buf_adds(b, t))
			return NULL;
	}
	return b->len ? b->data : NULL;
}

static int is_private(const struct lps_node *doc, int default_private)
{
	const char *v = str(doc, "visibility");
	if (!v)
		return default_private;
	return strcmp(v, "private") == 0;
}

/* "title" or "title (private)". */
static const char *titled(struct lps_buf *b, const char *title, int priv)
{
	lps_buf_reset(b);
	if (lps_buf_adds(b, title ? title : "") ||
	    (priv && lps_buf_adds(b, " (private)")))
		return NULL;
	return b->data;
}

/* The attachment's path in the portfolio, percent-encoded for a URL. */
static const char *link_of(struct lps_buf *b, const struct lps_node *ev)
{
	const char *id = str(ev, "id");
	const char *name = str(lps_map_get(ev, "attachment"), "name");
	lps_buf_reset(b);
	if (!id || !name)
		return NULL;
	if (lps_buf_addf(b, "evidence/%s/", id))
		return NULL;
	for (const unsigned char *s = (const unsigned char *)name; *s; s++) {
		int plain = (*s >= 'a' && *s <= 'z') ||
			    (*s >= 'A' && *s <= 'Z') ||
			    (*s >= '0' && *s <= '9') || strchr("-._~", *s);
		if (plain ? lps_buf_addc(b, (char)*s)
			  : lps_buf_addf(b, "%%%02X", *s))
			return NULL;
	}
	return b->data;
}

static struct lps_error *table_out(struct ex *x, struct lps_report_table *t)
{
	int bad = lps_report_table_write(x->out, x->f, t);
	lps_report_table_free(t);
	return bad ? lps_error_nomem() : NULL;
}

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- text, Markdown and HTML ---- */

static const char extra_css[] =
	".badge{display:inline-block;font-size:.75rem;padding:0 .4rem;"
	"border:1px solid var(--line);border-radius:.6rem;"
	"color:var(--muted);vertical-align:middle}\n"
	"section.goal{border-left:4px solid var(--line);padding-left:.75rem;"
	"margin:1rem 0}\n"
	"svg{display:block;margin:.5rem 0 1rem}\n"
	"blockquote{margin:.25rem 0 .75rem;padding-left:.75rem;"
	"border-left:3px solid var(--line);white-space:pre-wrap}\n"
	"@media print{section.goal{break-inside:avoid}"
	"a{color:inherit}}\n";

/* Body text: a paragraph in text and Markdown, a quote in HTML. */
static int body(struct ex *x, const char *text)
{
	if (!text)
		return 0;
	if (x->f != LPS_REPORT_HTML)
		return lps_report_para(x->out, x->f, text) ||
		       lps_report_gap(x->out, x->f);
	return lps_buf_adds(x->out, "<blockquote>") ||
	       lps_report_html_escape(x->out, text) ||
	       lps_buf_adds(x->out, "</blockquote>\n");
}

static size_t seq_n(const struct lps_node *s);

/* Is there a structure of this kind and name? */
static int listed(const struct lps_node *ss, const char *kind,
		  const char *name)
{
	for (size_t i = 0; i < seq_n(ss); i++) {
		const struct lps_node *s = ss->v.seq.items[i];
		if (!cmp_str(str(s, "kind"), kind) &&
		    !cmp_str(str(s, "name"), name))
			return 1;
	}
	return 0;
}

static struct lps_error *write_header(struct ex *x, struct lps_buf *tmp)
{
	struct lps_report *r = x->r;
	const struct lps_node *meta = lps_doc_root(lps_portfolio_meta(r->p));
	const char *owner = str(lps_map_get(meta, "owner"), "name");
	int bad = 0;
	char rev[GIT_OID_HEXSZ + 1];

	git_oid_tostr(rev, sizeof(rev), lps_portfolio_head(r->p));
	lps_buf_reset(tmp);
	bad |= lps_buf_adds(tmp, "Exhibit: ");
	bad |= lps_buf_adds(tmp, owner ? owner : "(no owner)");
	if (bad)
		return lps_error_nomem();
	if (x->f == LPS_REPORT_HTML)
		bad |= lps_report_html_begin(x->out, tmp->data, extra_css);
	bad |= lps_report_heading(x->out, x->f, 1, tmp->data);
	bad |= lps_report_field(x->out, x->f, "Role", str(meta, "role"));
	if (str(meta, "school"))
		bad |= lps_report_field(x->out, x->f, "School",
					str(meta, "school"));
	if (str(meta, "district"))
		bad |= lps_report_field(x->out, x->f, "District",
					str(meta, "district"));
	bad |= lps_report_field(x->out, x->f, "Cycle", str(meta, "cycle"));
	bad |= lps_report_field(x->out, x->f, "Phase", str(meta, "phase"));
	if (r->opts->since || r->opts->until) {
		lps_buf_reset(tmp);
		bad |= lps_buf_addf(tmp, "%s to %s",
				    r->opts->since ? r->opts->since : "start",
				    r->opts->until ? r->opts->until : "today");
		bad |= lps_report_field(x->out, x->f, "Period", tmp->data);
	}
	bad |= lps_report_field(x->out, x->f, "Generated", r->opts->today);
	bad |= lps_report_field(x->out, x->f, "Revision", rev);
	bad |= lps_report_gap(x->out, x->f);

	const struct lps_node *purpose = lps_map_get(meta, "purpose");
	bad |= lps_report_heading(x->out, x->f, 2, "Purpose");
	bad |= lps_report_field(x->out, x->f, "Function",
				str(purpose, "function"));
	bad |= lps_report_field(x->out, x->f, "Statement",
				str(purpose, "statement"));
	bad |= lps_report_gap(x->out, x->f);

	/* Collaboration structures: partner, roundtable, the others. */
	static const char *const sh[] = { "Kind", "Name", "Meets",
					  "Members" };
	struct lps_report_table *t;
	struct lps_error *err = lps_report_table_new(&t, NCOLS(sh), sh, NULL);
	if (err)
		return err;
	/* `lps structure add` records a partner or roundtable both in its
	 * own key and among the structures: list such a one once. */
	const struct lps_node *ss = lps_map_get(meta, "structures");
	const struct lps_node *partner = lps_map_get(meta, "partner");
	if (partner && !listed(ss, "partner", str(partner, "name"))) {
		const char *c[] = { "partner", str(partner, "name"), NULL,
				    NULL };
		bad |= lps_report_table_row(t, c);
	}
	const struct lps_node *rt = lps_map_get(meta, "roundtable");
	if (rt && !listed(ss, "roundtable", str(rt, "name"))) {
		const char *c[] = { "roundtable", str(rt, "name"),
				    str(rt, "meets"), NULL };
		bad |= lps_report_table_row(t, c);
	}
	for (size_t i = 0; i < seq_n(ss); i++) {
		const struct lps_node *s = ss->v.seq.items[i];
		const char *c[] = { str(s, "kind"), str(s, "name"),
				    str(s, "meets"),
				    joined(tmp, lps_map_get(s, "members")) };
		bad |= lps_report_table_row(t, c);
	}
	bad |= lps_report_heading(x->out, x->f, 2, "Collaboration");
	if (lps_report_table_rows(t)) {
		if ((err = table_out(x, t)))
			return err;
	} else {
		lps_report_table_free(t);
		bad |= lps_report_para(x->out, x->f, "None named yet.");
	}
	bad |= lps_report_gap(x->out, x->f);
	return bad ? lps_error_nomem() : NULL;
}

static struct lps_error *write_phases(struct ex *x)
{
	int bad = lps_report_heading(x->out, x->f, 2, "Phases");
	struct lps_error *err;
	if (bad)
		return lps_error_nomem();
	if (x->f == LPS_REPORT_HTML &&
	    (err = lps_svg_phase_timeline(x->out, "Phase timeline",
					  x->phases, x->nphases, x->as_of)))
		return err;
	static const char *const h[] = { "Phase", "From", "To", "Note" };
	struct lps_report_table *t;
	if ((err = lps_report_table_new(&t, NCOLS(h), h, NULL)))
		return err;
	for (size_t i = 0; i < x->nphases; i++) {
		const struct lps_svg_phase *p = &x->phases[i];
		const char *note = p->note ? p->note : NULL;
		char forced[1024];
		if (note) {
			snprintf(forced, sizeof(forced), "forced: %s", note);
			note = forced;
		}
		const char *c[] = { p->phase, p->start,
				    p->end ? p->end : "now", note };
		bad |= lps_report_table_row(t, c);
	}
	if ((err = table_out(x, t)))
		return err;
	return lps_report_gap(x->out, x->f) ? lps_error_nomem() : NULL;
}

static struct lps_error *write_goal(struct ex *x, const struct lps_node *g,
				    struct lps_buf *tmp)
{
	int bad = 0;
	struct lps_error *err = NULL;
	char b1[32], b2[32], b3[32], b4[32];

	if (x->f == LPS_REPORT_HTML)
		bad |= lps_buf_adds(x->out, "<section class=\"goal\">\n");
	lps_buf_reset(tmp);
	bad |= lps_buf_adds(tmp, str(g, "title"));
	if (is_private(g, 0))
		bad |= lps_buf_adds(tmp, " (private)");
	bad |= lps_report_heading(x->out, x->f, 3, tmp->data);
	bad |= lps_report_field(x->out, x->f, "Id", str(g, "id"));
	bad |= lps_report_field(x->out, x->f, "Status", str(g, "status"));
	bad |= lps_report_field(x->out, x->f, "Cycle", str(g, "cycle"));
	bad |= lps_report_field(x->out, x->f, "Agenda", str(g, "agenda"));
	if (str(g, "area"))
		bad |= lps_report_field(x->out, x->f, "Area", str(g, "area"));
	if (seq_n(lps_map_get(g, "standards")))
		bad |= lps_report_field(x->out, x->f, "Standards",
			joined(tmp, lps_map_get(g, "standards")));
	if (str(g, "aligns"))
		bad |= lps_report_field(x->out, x->f, "Aligns with",
					str(g, "aligns"));
	if (str(g, "carried_from"))
		bad |= lps_report_field(x->out, x->f, "Carried from",
					str(g, "carried_from"));
	if (str(g, "dropped_reason"))
		bad |= lps_report_field(x->out, x->f, "Dropped because",
					str(g, "dropped_reason"));
	if (x->f != LPS_REPORT_HTML)
		bad |= lps_report_gap(x->out, x->f);
	bad |= body(x, str(g, "statement"));
	if (bad)
		return lps_error_nomem();

	const struct lps_node *ks = lps_map_get(g, "indicators");
	size_t nk = seq_n(ks);
	if (nk) {
		static const char *const h[] = { "Indicator", "Baseline",
			"Latest", "Target", "Unit", "Due", "Progress",
			"State" };
		static const unsigned fl[] = { 0, LPS_REPORT_COL_NUM,
			LPS_REPORT_COL_NUM, LPS_REPORT_COL_NUM, 0, 0,
			LPS_REPORT_COL_NUM, 0 };
		struct lps_svg_bar *bars = calloc(nk, sizeof(*bars));
		char (*nums)[3][32] = calloc(nk, sizeof(*nums));
		struct lps_report_table *t = NULL;
		if (!bars || !nums)
			err = lps_error_nomem();
		if (!err)
			err = lps_report_table_new(&t, NCOLS(h), h, fl);
		for (size_t i = 0; !err && i < nk; i++) {
			const struct lps_node *k = ks->v.seq.items[i];
			struct ind d;
			judge(x, g, k, &d);
			const char *latest = d.has_latest ?
				lps_report_num(b2, d.latest) : NULL;
			const char *c[] = { str(k, "measure"),
				num(b1, lps_map_get(k, "baseline")), latest,
				num(b3, lps_map_get(k, "target")),
				str(k, "unit"), str(k, "due"), pct(b4, &d),
				lps_report_state_name(d.state) };
			bad |= lps_report_table_row_class(t, c,
				d.state == 2 ? "behind" :
				d.state == 3 ? "none" : "ok");
			snprintf(nums[i][0], 32, "%s", c[1] ? c[1] : "-");
			snprintf(nums[i][1], 32, "%s", latest ? latest : "");
			snprintf(nums[i][2], 32, "%s", c[3] ? c[3] : "-");
			bars[i] = (struct lps_svg_bar){
				str(k, "measure"), nums[i][0],
				latest ? nums[i][1] : NULL, nums[i][2],
				d.has_progress, d.progress, str(k, "unit"),
				d.state == 2 ? LPS_SVG_BEHIND :
				d.state == 3 ? LPS_SVG_UNKNOWN :
				LPS_SVG_ON_TRACK };
		}
		if (!err && x->f == LPS_REPORT_HTML) {
			lps_buf_reset(tmp);
			bad |= lps_buf_adds(tmp, "Progress of ");
			bad |= lps_buf_adds(tmp, str(g, "title"));
			if (!bad)
				err = lps_svg_progress(x->out, tmp->data, bars,
						       nk);
		}
		free(bars);
		free(nums);
		if (!err) {
			err = table_out(x, t);
			t = NULL;
		}
		/* A blank line between two tables, or Markdown would
		 * read the second as rows of the first. */
		if (!err && x->f != LPS_REPORT_HTML &&
		    seq_n(lps_map_get(g, "actions")) &&
		    lps_report_gap(x->out, x->f))
			err = lps_error_nomem();
		lps_report_table_free(t);
		if (err)
			return err;
	}

	const struct lps_node *as = lps_map_get(g, "actions");
	if (seq_n(as)) {
		static const char *const h[] = { "Step", "Action", "Due",
						 "Owner", "Status" };
		struct lps_report_table *t;
		if ((err = lps_report_table_new(&t, NCOLS(h), h, NULL)))
			return err;
		for (size_t i = 0; i < seq_n(as); i++) {
			const struct lps_node *a = as->v.seq.items[i];
			const char *done = str(a, "done");
			lps_buf_reset(tmp);
			if (done)
				bad |= lps_buf_addf(tmp, "done %s", done);
			else
				bad |= lps_buf_adds(tmp, str(a, "status"));
			const char *c[] = { str(a, "id"), str(a, "text"),
					    str(a, "due"), str(a, "owner"),
					    tmp->data };
			int late = lps_goal_action_overdue(a, x->as_of);
			bad |= lps_report_table_row_class(t, c,
						late ? "overdue" : NULL);
		}
		if ((err = table_out(x, t)))
			return err;
	}
	if (x->f == LPS_REPORT_HTML)
		bad |= lps_buf_adds(x->out, "</section>\n");
	else
		bad |= lps_report_gap(x->out, x->f);
	return bad ? lps_error_nomem() : NULL;
}

/* Evidence: HTML and Markdown tables carry a link cell, so they are
 * written by hand here; text uses the shared table. */
static int link_html(struct ex *x, const char *href, const char *text)
{
	return lps_buf_adds(x->out, "<a href=\"") ||
	       lps_report_html_escape(x->out, href) ||
	       lps_buf_adds(x->out, "\">") ||
	       lps_report_html_escape(x->out, text) ||
	       lps_buf_adds(x->out, "</a>");
}

static struct lps_error *write_evidence(struct ex *x, struct lps_buf *tmp)
{
	static const char *const h[] = { "Date", "Evidence", "Kind", "Goals",
					 "Source", "File" };
	struct lps_buf link = LPS_BUF_INIT, goals = LPS_BUF_INIT;
	int bad = lps_report_heading(x->out, x->f, 2, "Evidence");
	struct lps_error *err = NULL;

	if (!x->evidence.n) {
		bad |= lps_report_para(x->out, x->f, "No evidence yet.");
		bad |= lps_report_gap(x->out, x->f);
		return bad ? lps_error_nomem() : NULL;
	}
	if (x->f == LPS_REPORT_TEXT) {
		struct lps_report_table *t;
		if ((err = lps_report_table_new(&t, NCOLS(h), h, NULL)))
			return err;
		for (size_t i = 0; i < x->evidence.n; i++) {
			const struct lps_node *e = x->evidence.v[i];
			const char *c[] = { str(e, "date"),
				titled(tmp, str(e, "title"), is_private(e, 0)),
				str(e, "kind"),
				joined(&goals, lps_map_get(e, "goals")),
				str(e, "source"), link_of(&link, e) };
			bad |= lps_report_table_row(t, c);
		}
		err = table_out(x, t);
	} else if (x->f == LPS_REPORT_MARKDOWN) {
		bad |= lps_buf_adds(x->out, "| Date | Evidence | Kind | Goals | "
				    "Source | File |\n| --- | --- | --- | --- "
				    "| --- | --- |\n");
		for (size_t i = 0; i < x->evidence.n && !bad; i++) {
			const struct lps_node *e = x->evidence.v[i];
			const char *c[] = { str(e, "date"),
				titled(tmp, str(e, "title"), is_private(e, 0)),
				str(e, "kind"),
				joined(&goals, lps_map_get(e, "goals")),
				str(e, "source") };
			bad |= lps_buf_addc(x->out, '|');
			for (size_t k = 0; k < NCOLS(c); k++) {
				bad |= lps_buf_addc(x->out, ' ');
				bad |= c[k] && *c[k] ?
				       lps_report_md_escape(x->out, c[k]) :
				       lps_buf_addc(x->out, '-');
				bad |= lps_buf_adds(x->out, " |");
			}
			const char *href = link_of(&link, e);
			const char *name = str(lps_map_get(e, "attachment"),
					       "name");
			bad |= lps_buf_addc(x->out, ' ');
			if (href) {
				/* The href is percent-encoded: no ( ) < >
				 * or space can end it early. */
				bad |= lps_buf_addc(x->out, '[');
				bad |= lps_report_md_escape(x->out, name);
				bad |= lps_buf_adds(x->out, "](");
				bad |= lps_buf_adds(x->out, href);
				bad |= lps_buf_addc(x->out, ')');
			} else {
				bad |= lps_buf_addc(x->out, '-');
			}
			bad |= lps_buf_adds(x->out, " |\n");
		}
	} else {
		bad |= lps_buf_adds(x->out, "<div class=\"scroll\"><table>\n"
				    "<thead><tr>");
		for (size_t k = 0; k < NCOLS(h); k++)
			bad |= lps_buf_addf(x->out, "<th>%s</th>", h[k]);
		bad |= lps_buf_adds(x->out, "</tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < x->evidence.n && !bad; i++) {
			const struct lps_node *e = x->evidence.v[i];
			const char *c[] = { str(e, "date"), str(e, "title"),
				str(e, "kind"),
				joined(&goals, lps_map_get(e, "goals")),
				str(e, "source") };
			bad |= lps_buf_adds(x->out, "<tr>");
			for (size_t k = 0; k < NCOLS(c); k++) {
				bad |= lps_buf_adds(x->out, "<td>");
				bad |= lps_report_html_escape(x->out, c[k]);
				if (k == 1 && is_private(e, 0))
					bad |= lps_buf_adds(x->out,
						" <span class=\"badge\">"
						"private</span>");
				bad |= lps_buf_adds(x->out, "</td>");
			}
			const char *href = link_of(&link, e);
			bad |= lps_buf_adds(x->out, "<td>");
			if (href)
				bad |= link_html(x, href,
					str(lps_map_get(e, "attachment"),
					    "name"));
			bad |= lps_buf_adds(x->out, "</td></tr>\n");
		}
		bad |= lps_buf_adds(x->out, "</tbody>\n</table></div>\n");
	}
	/* Summaries below the table, for the evidence that has one. */
	for (size_t i = 0; !err && i < x->evidence.n; i++) {
		const struct lps_node *e = x->evidence.v[i];
		if (!str(e, "summary"))
			continue;
		/* Markdown needs a blank line to end the table. */
		if (x->f == LPS_REPORT_MARKDOWN && x->out->len > 1 &&
		    x->out->data[x->out->len - 2] != '\n')
			bad |= lps_report_gap(x->out, x->f);
		lps_buf_reset(tmp);
		bad |= lps_buf_addf(tmp, "%s: %s", str(e, "id"),
				    str(e, "title"));
		bad |= lps_report_heading(x->out, x->f, 3, tmp->data);
		bad |= body(x, str(e, "summary"));
	}
	bad |= lps_report_gap(x->out, x->f);
	lps_buf_free(&link);
	lps_buf_free(&goals);
	if (err)
		return err;
	return bad ? lps_error_nomem() : NULL;
}

static struct lps_error *write_reflections(struct ex *x, struct lps_buf *tmp)
{
	struct lps_buf goals = LPS_BUF_INIT;
	int bad = lps_report_heading(x->out, x->f, 2, "Reflections");

	if (!x->reflections.n)
		bad |= lps_report_para(x->out, x->f, "No reflections yet.") ||
		       lps_report_gap(x->out, x->f);
	for (size_t i = 0; i < x->reflections.n && !bad; i++) {
		const struct lps_node *r = x->reflections.v[i];
		lps_buf_reset(tmp);
		bad |= lps_buf_addf(tmp, "%s, %s phase", str(r, "date"),
				    str(r, "phase"));
		if (is_private(r, 1))
			bad |= lps_buf_adds(tmp, " (private)");
		bad |= lps_report_heading(x->out, x->f, 3, tmp->data);
		if (str(r, "prompt"))
			bad |= lps_report_field(x->out, x->f, "Prompt",
						str(r, "prompt"));
		if (seq_n(lps_map_get(r, "goals")))
			bad |= lps_report_field(x->out, x->f, "Goals",
				joined(&goals, lps_map_get(r, "goals")));
		if (x->f != LPS_REPORT_HTML &&
		    (str(r, "prompt") || seq_n(lps_map_get(r, "goals"))))
			bad |= lps_report_gap(x->out, x->f);
		bad |= body(x, str(r, "body"));
	}
	lps_buf_free(&goals);
	return bad ? lps_error_nomem() : NULL;
}

static struct lps_error *write_feedback(struct ex *x, struct lps_buf *tmp)
{
	int bad = lps_report_heading(x->out, x->f, 2, "Feedback");

	if (!x->feedback.n)
		bad |= lps_report_para(x->out, x->f, "No feedback yet.") ||
		       lps_report_gap(x->out, x->f);
	for (size_t i = 0; i < x->feedback.n && !bad; i++) {
		const struct lps_node *fb = x->feedback.v[i];
		lps_buf_reset(tmp);
		bad |= lps_buf_addf(tmp, "%s, %s from %s", str(fb, "date"),
				    str(fb, "kind"), str(fb, "from"));
		if (str(fb, "to"))
			bad |= lps_buf_addf(tmp, " to %s", str(fb, "to"));
		if (is_private(fb, 0))
			bad |= lps_buf_adds(tmp, " (private)");
		bad |= lps_report_heading(x->out, x->f, 3, tmp->data);
		if (str(fb, "on")) {
			bad |= lps_report_field(x->out, x->f, "On",
						str(fb, "on"));
			if (x->f != LPS_REPORT_HTML)
				bad |= lps_report_gap(x->out, x->f);
		}
		bad |= body(x, str(fb, "body"));
	}
	return bad ? lps_error_nomem() : NULL;
}

static int rating_level(const char *r)
{
	for (int i = 0; r && i < 4; i++)
		if (strcmp(r, rating_names[i]) == 0)
			return i + 1;
	return 0;
}

/* The frameworks the portfolio cites (by a goal, evidence or an
 * assessment), in the set's order. */
static int cited(struct ex *x, const char *fw)
{
	size_t n = strlen(fw);
	const struct list *ls[] = { &x->goals, &x->evidence };
	for (size_t l = 0; l < 2; l++)
		for (size_t i = 0; i < ls[l]->n; i++) {
			const struct lps_node *s =
				lps_map_get(ls[l]->v[i], "standards");
			for (size_t k = 0; k < seq_n(s); k++) {
				const char *t = lps_node_str(s->v.seq.items[k]);
				if (t && strncmp(t, fw, n) == 0 && t[n] == '.')
					return 1;
			}
		}
	for (size_t i = 0; i < x->assessments.n; i++)
		if (cmp_str(str(x->assessments.v[i], "framework"), fw) == 0)
			return 1;
	return 0;
}

struct cov {
	char ref[LPS_COVERAGE_REF_MAX];
	const char *title;
	unsigned goals, evidence;
	const char *rating;  /* a rating_names entry, or NULL */
};

/* Feed the rule of coverage.h what the exhibit kept, in the order it
 * takes them. */
static int feed(struct lps_coverage *rule, const struct ex *x)
{
	for (size_t i = 0; i < x->goals.n; i++)
		if (lps_coverage_goal(rule, x->goals.v[i]) < 0)
			return -1;
	for (size_t i = 0; i < x->assessments.n; i++)
		if (lps_coverage_assessment(rule, x->assessments.v[i]) < 0)
			return -1;
	for (size_t i = 0; i < x->evidence.n; i++)
		if (lps_coverage_evidence(rule, x->evidence.v[i]) < 0)
			return -1;
	lps_coverage_finish(rule);
	return 0;
}

/*
 * One row per standard of every cited framework, counted by the rule
 * `lps report coverage` uses (coverage.h): the portfolio's cycle, the
 * period's evidence.
 */
static struct lps_error *coverage(struct ex *x, struct cov **out, size_t *n)
{
	size_t nfw = 0, total = 0;
	struct lps_coverage *rule = NULL;
	struct lps_error *err = NULL;
	*out = NULL;
	*n = 0;
	const struct lps_framework **fws = calloc(
		lps_frameworks_count(x->fws) + 1, sizeof(*fws));
	if (!fws)
		return lps_error_nomem();
	for (size_t i = 0; i < lps_frameworks_count(x->fws); i++) {
		const struct lps_framework *fw = lps_frameworks_at(x->fws, i);
		if (cited(x, fw->name))
			fws[nfw++] = fw;
	}
	if (!nfw)
		goto out;
	if ((err = lps_coverage_new(&rule, fws, nfw,
				    lps_report_meta(x->r, "cycle"),
				    x->r->opts)))
		goto out;
	if (feed(rule, x)) {
		err = lps_error_nomem();
		goto out;
	}
	total = lps_coverage_count(rule);
	struct cov *c = calloc(total ? total : 1, sizeof(*c));
	if (!c) {
		err = lps_error_nomem();
		goto out;
	}
	for (size_t i = 0; i < total; i++) {
		const struct lps_coverage_entry *e = lps_coverage_at(rule, i);
		int level = rating_level(e->rating);
		snprintf(c[i].ref, sizeof(c[i].ref), "%s", e->ref);
		c[i].title = e->standard->title;
		c[i].goals = (unsigned)e->ngoals;
		c[i].evidence = (unsigned)e->nevidence;
		c[i].rating = level ? rating_names[level - 1] : NULL;
	}
	*out = c;
	*n = total;
out:
	lps_coverage_free(rule);
	free(fws);
	return err;
}

static struct lps_error *write_assessment(struct ex *x, struct lps_buf *tmp)
{
	struct lps_error *err;
	struct lps_buf ev = LPS_BUF_INIT;
	int bad = lps_report_heading(x->out, x->f, 2, "Self-assessment");
	if (bad)
		return lps_error_nomem();
	if (!x->assessments.n) {
		bad |= lps_report_para(x->out, x->f,
				       "No self-assessment yet.");
	} else {
		static const char *const h[] = { "Cycle", "Standard", "Rating",
						 "Date", "Evidence",
						 "Rationale" };
		struct lps_report_table *t;
		if ((err = lps_report_table_new(&t, NCOLS(h), h, NULL)))
			return err;
		for (size_t i = 0; i < x->assessments.n; i++) {
			const struct lps_node *a = x->assessments.v[i];
			lps_buf_reset(tmp);
			bad |= lps_buf_addf(tmp, "%s.%s", str(a, "framework"),
					    str(a, "code"));
			if (is_private(a, 0))
				bad |= lps_buf_adds(tmp, " (private)");
			const char *c[] = { str(a, "cycle"), tmp->data,
				str(a, "rating"), str(a, "date"),
				joined(&ev, lps_map_get(a, "evidence")),
				str(a, "rationale") };
			bad |= lps_report_table_row(t, c);
		}
		if ((err = table_out(x, t))) {
			lps_buf_free(&ev);
			return err;
		}
	}
	lps_buf_free(&ev);
	bad |= lps_report_gap(x->out, x->f);

	struct cov *c;
	size_t n;
	if ((err = coverage(x, &c, &n)))
		return err;
	bad |= lps_report_heading(x->out, x->f, 2, "Coverage");
	if (!n) {
		bad |= lps_report_para(x->out, x->f, "No standards cited yet.");
		bad |= lps_report_gap(x->out, x->f);
		free(c);
		return bad ? lps_error_nomem() : NULL;
	}
	size_t covered = 0;
	for (size_t i = 0; i < n; i++)
		covered += c[i].evidence > 0;
	const char *cycle = lps_report_meta(x->r, "cycle");
	lps_buf_reset(tmp);
	bad |= lps_buf_addf(tmp, "Cycle %s: %zu of %zu standards have "
			    "evidence.",
			    cycle ? cycle : "(none)", covered, n);
	bad |= lps_report_para(x->out, x->f, tmp->data);
	bad |= lps_report_gap(x->out, x->f);
	if (x->f == LPS_REPORT_HTML) {
		const char **rows = calloc(n, sizeof(*rows));
		char (*labels)[240] = calloc(n, sizeof(*labels));
		unsigned *vals = calloc(3 * n, sizeof(*vals));
		const char **texts = calloc(3 * n, sizeof(*texts));
		static const char *const cols[] = { "goals", "evidence",
						    "rating" };
		err = rows && labels && vals && texts ? NULL
						      : lps_error_nomem();
		for (size_t i = 0; !err && i < n; i++) {
			snprintf(labels[i], sizeof(labels[i]), "%s %s",
				 c[i].ref, c[i].title ? c[i].title : "");
			rows[i] = labels[i];
			vals[3 * i] = c[i].goals;
			vals[3 * i + 1] = c[i].evidence;
			const char *rt = c[i].rating;
			vals[3 * i + 2] = (unsigned)rating_level(rt);
			texts[3 * i + 2] = rt ? rt : "none";
		}
		struct lps_svg_heatmap m = { "Coverage of the cited frameworks",
					     rows, n, cols, 3, vals, NULL,
					     texts };
		/* Counts scale by column; ratings on their own 1-4. */
		unsigned cmax[3] = { 0, 0, 4 };
		for (size_t i = 0; !err && i < n; i++) {
			if (vals[3 * i] > cmax[0])
				cmax[0] = vals[3 * i];
			if (vals[3 * i + 1] > cmax[1])
				cmax[1] = vals[3 * i + 1];
		}
		m.col_max = cmax;
		if (!err)
			err = lps_svg_heatmap(x->out, &m);
		free(rows);
		free(labels);
		free(vals);
		free(texts);
		if (err) {
			free(c);
			return err;
		}
	}
	static const char *const h[] = { "Standard", "Title", "Goals",
					 "Evidence", "Rating" };
	static const unsigned fl[] = { 0, 0, LPS_REPORT_COL_NUM,
				       LPS_REPORT_COL_NUM, 0 };
	struct lps_report_table *t;
	if ((err = lps_report_table_new(&t, NCOLS(h), h, fl))) {
		free(c);
		return err;
	}
	for (size_t i = 0; i < n; i++) {
		char g[16], e[16];
		snprintf(g, sizeof(g), "%u", c[i].goals);
		snprintf(e, sizeof(e), "%u", c[i].evidence);
		const char *cells[] = { c[i].ref, c[i].title, g, e,
					c[i].rating };
		bad |= lps_report_table_row_class(t, cells,
			c[i].evidence ? NULL : "none");
	}
	free(c);
	if ((err = table_out(x, t)))
		return err;
	bad |= lps_report_gap(x->out, x->f);
	return bad ? lps_error_nomem() : NULL;
}

static struct lps_error *write_doc(struct ex *x)
{
	struct lps_buf tmp = LPS_BUF_INIT;
	struct lps_error *err;
	int bad = 0;

	if ((err = write_header(x, &tmp)) || (err = write_phases(x)))
		goto out;
	bad |= lps_report_heading(x->out, x->f, 2, "Goals");
	if (!x->goals.n)
		bad |= lps_report_para(x->out, x->f, "No goals yet.") ||
		       lps_report_gap(x->out, x->f);
	for (size_t i = 0; !bad && i < x->goals.n; i++)
		if ((err = write_goal(x, x->goals.v[i], &tmp)))
			goto out;
	if (bad || (err = write_evidence(x, &tmp)) ||
	    (err = write_reflections(x, &tmp)) ||
	    (err = write_feedback(x, &tmp)) ||
	    (err = write_assessment(x, &tmp)))
		goto out;
	if (x->f == LPS_REPORT_HTML)
		bad |= lps_report_html_end(x->out);
	/* Text and Markdown end with exactly one newline. */
	while (x->f != LPS_REPORT_HTML && x->out->len > 1 &&
	       x->out->data[x->out->len - 1] == '\n' &&
	       x->out->data[x->out->len - 2] == '\n')
		x->out->data[--x->out->len] = '\0';
out:
	lps_buf_free(&tmp);
	if (!err && bad)
		err = lps_error_nomem();
	return err;
}

/* ---- CSV: one table of every item ---- */

static struct lps_error *write_csv(struct ex *x)
{
	static const char *const h[] = { "section", "id", "date", "title",
					 "status", "detail" };
	struct lps_report_table *t;
	struct lps_buf a = LPS_BUF_INIT, b = LPS_BUF_INIT;
	struct lps_error *err = lps_report_table_new(&t, NCOLS(h), h, NULL);
	int bad = 0;
	char n1[32], n2[32], n3[32];

	if (err)
		return err;
	for (size_t i = 0; i < x->nphases; i++) {
		const struct lps_svg_phase *p = &x->phases[i];
		const char *c[] = { "phase", NULL, p->start, p->phase,
				    p->end ? "left" : "current", p->note };
		bad |= lps_report_table_row(t, c);
	}
	for (size_t i = 0; i < x->goals.n; i++) {
		const struct lps_node *g = x->goals.v[i];
		const char *c[] = { "goal", str(g, "id"), str(g, "created"),
			str(g, "title"), str(g, "status"),
			joined(&a, lps_map_get(g, "standards")) };
		bad |= lps_report_table_row(t, c);
		const struct lps_node *ks = lps_map_get(g, "indicators");
		for (size_t k = 0; k < seq_n(ks); k++) {
			const struct lps_node *ind = ks->v.seq.items[k];
			struct ind d;
			judge(x, g, ind, &d);
			lps_buf_reset(&b);
			bad |= lps_buf_addf(&b, "%s:%s", str(g, "id"),
					    str(ind, "id"));
			lps_buf_reset(&a);
			bad |= lps_buf_addf(&a, "baseline %s, latest %s, "
				"target %s", num(n1, lps_map_get(ind,
				"baseline")), d.has_latest ?
				lps_report_num(n2, d.latest) : "none",
				num(n3, lps_map_get(ind, "target")));
			if (d.has_progress)
				bad |= lps_buf_addf(&a, ", progress %ld%%",
					lps_goal_percent(d.progress));
			const char *c2[] = { "indicator", b.data,
				d.latest_date, str(ind, "measure"),
				lps_report_state_name(d.state), a.data };
			bad |= lps_report_table_row(t, c2);
		}
		const struct lps_node *as = lps_map_get(g, "actions");
		for (size_t k = 0; k < seq_n(as); k++) {
			const struct lps_node *s = as->v.seq.items[k];
			lps_buf_reset(&b);
			bad |= lps_buf_addf(&b, "%s:%s", str(g, "id"),
					    str(s, "id"));
			const char *c2[] = { "action", b.data,
				str(s, "done") ? str(s, "done") : str(s, "due"),
				str(s, "text"), str(s, "status"), NULL };
			bad |= lps_report_table_row(t, c2);
		}
	}
	for (size_t i = 0; i < x->evidence.n; i++) {
		const struct lps_node *e = x->evidence.v[i];
		const char *c[] = { "evidence", str(e, "id"), str(e, "date"),
			str(e, "title"), str(e, "kind"), link_of(&a, e) };
		bad |= lps_report_table_row(t, c);
	}
	for (size_t i = 0; i < x->reflections.n; i++) {
		const struct lps_node *r = x->reflections.v[i];
		const char *c[] = { "reflection", str(r, "id"), str(r, "date"),
			str(r, "prompt"), str(r, "phase"), str(r, "body") };
		bad |= lps_report_table_row(t, c);
	}
	for (size_t i = 0; i < x->feedback.n; i++) {
		const struct lps_node *fb = x->feedback.v[i];
		const char *c[] = { "feedback", str(fb, "id"), str(fb, "date"),
			str(fb, "from"), str(fb, "kind"), str(fb, "body") };
		bad |= lps_report_table_row(t, c);
	}
	for (size_t i = 0; i < x->assessments.n; i++) {
		const struct lps_node *as = x->assessments.v[i];
		lps_buf_reset(&b);
		bad |= lps_buf_addf(&b, "%s.%s", str(as, "framework"),
				    str(as, "code"));
		const char *c[] = { "assessment", b.data, str(as, "date"),
			str(as, "cycle"), str(as, "rating"),
			str(as, "rationale") };
		bad |= lps_report_table_row(t, c);
	}
	lps_buf_free(&a);
	lps_buf_free(&b);
	if (bad) {
		lps_report_table_free(t);
		return lps_error_nomem();
	}
	return table_out(x, t);
}

/* ---- JSON ---- */

static int jset(struct lps_doc *d, struct lps_node *m, const char *k,
		struct lps_node *v)
{
	return !v || lps_map_set(d, m, k, v);
}

static struct lps_node *jstr(struct lps_doc *d, const char *s)
{
	return s ? lps_doc_new_string(d, s) : lps_doc_new_null(d);
}

static struct lps_node *jlist(struct lps_doc *d, const struct list *l)
{
	struct lps_node *s = lps_doc_new_seq(d);
	for (size_t i = 0; s && i < l->n; i++) {
		struct lps_node *c = lps_doc_copy(d, l->v[i]);
		if (!c || lps_seq_append(d, s, c))
			return NULL;
	}
	return s;
}

static struct lps_error *write_json(struct ex *x)
{
	struct lps_doc *d = NULL;
	struct lps_error *err = lps_doc_new(&d, "exhibit");
	struct lps_buf link = LPS_BUF_INIT;
	int bad = 0;

	if (err)
		return err;
	const struct lps_node *meta = lps_doc_root(lps_portfolio_meta(x->r->p));
	struct lps_node *root = lps_report_json_head(x->r, d, "exhibit");
	bad |= !root;
	if (!bad) {
		static const char *const copy[] = { "role", "district",
			"school", "purpose", "partner", "roundtable",
			"structures" };
		for (size_t i = 0; i < NCOLS(copy); i++) {
			const struct lps_node *v = lps_map_get(meta, copy[i]);
			bad |= jset(d, root, copy[i],
				    v ? lps_doc_copy(d, v)
				      : lps_doc_new_null(d));
		}
	}
	struct lps_node *phases = bad ? NULL : lps_doc_new_seq(d);
	bad |= !phases;
	for (size_t i = 0; !bad && i < x->nphases; i++) {
		const struct lps_svg_phase *p = &x->phases[i];
		struct lps_node *m = lps_doc_new_map(d);
		bad |= !m || jset(d, m, "phase", jstr(d, p->phase)) ||
		       jset(d, m, "from", jstr(d, p->start)) ||
		       jset(d, m, "to", jstr(d, p->end)) ||
		       jset(d, m, "forced", jstr(d, p->note)) ||
		       lps_seq_append(d, phases, m);
	}
	bad |= bad || jset(d, root, "phases", phases);

	/* Goals as stored, with the period's measurements only and, per
	 * indicator, the computed latest, progress (percent) and state. */
	struct lps_node *goals = bad ? NULL : lps_doc_new_seq(d);
	bad |= !goals;
	for (size_t i = 0; !bad && i < x->goals.n; i++) {
		const struct lps_node *g = x->goals.v[i];
		struct lps_node *gc = lps_doc_copy(d, g);
		struct lps_node *ks = lps_map_get(gc, "indicators");
		bad |= !gc;
		for (size_t k = 0; !bad && k < seq_n(ks); k++) {
			struct lps_node *ind = ks->v.seq.items[k];
			struct ind st;
			judge(x, g, lps_map_get(g, "indicators")->v.seq.items[k],
			      &st);
			struct lps_node *ms = lps_map_get(ind, "measurements");
			struct lps_node *kept = lps_doc_new_seq(d);
			bad |= !kept;
			for (size_t m = 0; !bad && m < seq_n(ms); m++)
				if (lps_report_in_range(x->r->opts,
					str(ms->v.seq.items[m], "date")))
					bad |= lps_seq_append(d, kept,
						ms->v.seq.items[m]);
			bad |= bad || jset(d, ind, "measurements", kept) ||
			       jset(d, ind, "latest", st.has_latest ?
				    lps_goal_number_node(d, st.latest) :
				    lps_doc_new_null(d)) ||
			       jset(d, ind, "progress", st.has_progress ?
				    lps_doc_new_int(d,
					lps_goal_percent(st.progress)) :
				    lps_doc_new_null(d)) ||
			       jset(d, ind, "state",
				    jstr(d, lps_report_state_name(st.state)));
		}
		bad |= bad || lps_seq_append(d, goals, gc);
	}
	bad |= bad || jset(d, root, "goals", goals);

	struct lps_node *ev = bad ? NULL : jlist(d, &x->evidence);
	bad |= !ev;
	for (size_t i = 0; !bad && i < seq_n(ev); i++)
		bad |= jset(d, ev->v.seq.items[i], "link",
			    jstr(d, link_of(&link, x->evidence.v[i])));
	bad |= bad || jset(d, root, "evidence", ev) ||
	       jset(d, root, "reflections", jlist(d, &x->reflections)) ||
	       jset(d, root, "feedback", jlist(d, &x->feedback)) ||
	       jset(d, root, "assessments", jlist(d, &x->assessments));

	struct cov *c = NULL;
	size_t n = 0;
	if (!bad && (err = coverage(x, &c, &n)))
		goto out;
	struct lps_node *cv = bad ? NULL : lps_doc_new_seq(d);
	bad |= !cv;
	for (size_t i = 0; !bad && i < n; i++) {
		struct lps_node *m = lps_doc_new_map(d);
		bad |= !m || jset(d, m, "standard", jstr(d, c[i].ref)) ||
		       jset(d, m, "title", jstr(d, c[i].title)) ||
		       jset(d, m, "goals", lps_doc_new_int(d, c[i].goals)) ||
		       jset(d, m, "evidence",
			    lps_doc_new_int(d, c[i].evidence)) ||
		       jset(d, m, "rating",
			    jstr(d, c[i].rating)) ||
		       lps_seq_append(d, cv, m);
	}
	free(c);
	bad |= bad || jset(d, root, "coverage", cv);
	if (!bad)
		err = lps_report_emit_json(x->r, root);
out:
	lps_buf_free(&link);
	lps_doc_free(d);
	if (!err && bad)
		err = lps_error_nomem();
	return err;
}

/* ---- the run ---- */

static struct lps_error *run(struct lps_report *r)
{
	struct ex x;
	struct lps_error *err = NULL;
	struct lps_portfolio *p = r->p;

	memset(&x, 0, sizeof(x));
	x.r = r;
	x.f = r->opts->format;
	x.out = r->out;
	x.as_of = r->opts->until ? r->opts->until : r->opts->today;
	if ((err = lps_doc_new(&x.keep, "exhibit")))
		return err;
	if ((err = lps_collection_each(p, lps_collection_dir('g'), each_goal,
				       &x)) ||
	    (!x.nomem && (err = lps_collection_each(p,
			lps_collection_dir('e'), each_evidence, &x))) ||
	    (!x.nomem && (err = lps_collection_each(p,
			lps_collection_dir('r'), each_reflection, &x))) ||
	    (!x.nomem && (err = lps_collection_each(p,
			lps_collection_dir('f'), each_feedback, &x))))
		goto out;
	if (!x.nomem &&
	    (err = lps_store_foreach(lps_portfolio_store(p),
				     lps_portfolio_head(p), "assessments",
				     each_assessment, &x))) {
		/* A stop asked for by the callback is out of memory. */
		if (x.nomem) {
			lps_error_free(err);
			err = NULL;
		}
		if (err)
			goto out;
	}
	if (x.nomem)
		goto out;
	sort(&x.goals, cmp_goal);
	sort(&x.evidence, cmp_dated);
	sort(&x.reflections, cmp_dated);
	sort(&x.feedback, cmp_dated);
	sort(&x.assessments, cmp_assessment);
	if ((err = read_phases(&x)) ||
	    (err = lps_frameworks_load(&x.fws, p)))
		goto out;
	switch (x.f) {
	case LPS_REPORT_JSON: err = write_json(&x); break;
	case LPS_REPORT_CSV: err = write_csv(&x); break;
	default: err = write_doc(&x); break;
	}
out:
	if (!err && x.nomem)
		err = lps_error_nomem();
	free(x.goals.v);
	free(x.evidence.v);
	free(x.reflections.v);
	free(x.feedback.v);
	free(x.assessments.v);
	free(x.phases);
	free(x.phase_dates);
	lps_history_free(x.history);
	lps_frameworks_free(x.fws);
	lps_doc_free(x.keep);
	return err;
}

const struct lps_report_kind lps_report_kind_exhibit = {
	"exhibit",
	"the whole portfolio for the outcomes phase (HTML with charts)",
	run,
};
