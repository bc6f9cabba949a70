/*
 * report_status.c - `lps report status`: the phase, the cycle's goals by
 * status and agenda, overdue action steps and what the next gate needs.
 *
 * Goals are streamed once (feeding the phase gate in the same pass);
 * evidence and reflections are streamed only when the gate asks for
 * them.  What is kept: one short row per goal of the cycle, one per
 * overdue step, and counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collection.h"
#include "goal.h"
#include "phase.h"
#include "portfolio.h"
#include "report.h"

static const char *const agendas[] = { "student", "professional", "system" };
static const char *const statuses[] = {
	"proposed", "active", "met", "partially-met", "not-met", "dropped",
};
#define NAGENDA 3
#define NSTATUS 6

struct status {
	struct lps_report *r;
	const char *cycle;
	struct lps_gate *gate;
	struct lps_report_table *goals;    /* id, title, agenda, status, % */
	struct lps_report_table *overdue;  /* goal, step, text, due, owner */
	size_t counts[NAGENDA][NSTATUS];
	struct lps_doc *json;
	struct lps_node *jgoals, *joverdue;
	struct lps_error *err;
};

static int index_of(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(v[i], s) == 0)
			return (int)i;
	return -1;
}

static int set(struct lps_doc *doc, struct lps_node *m, const char *key,
	       struct lps_node *v)
{
	return !v || lps_map_set(doc, m, key, v);
}

static struct lps_node *str_or_null(struct lps_doc *doc, const char *s)
{
	return s ? lps_doc_new_string(doc, s) : lps_doc_new_null(doc);
}

static int goal_row(struct status *s, const struct lps_node *g)
{
	struct lps_doc *doc = s->json;
	const char *id = lps_node_str(lps_map_get(g, "id"));
	const char *title = lps_node_str(lps_map_get(g, "title"));
	const char *agenda = lps_node_str(lps_map_get(g, "agenda"));
	const char *st = lps_node_str(lps_map_get(g, "status"));
	double progress = 0;
	int known = lps_goal_progress(g, &progress) > 0;
	char pct[32];
	int a = index_of(agendas, NAGENDA, agenda);
	int k = index_of(statuses, NSTATUS, st);

	if (a >= 0 && k >= 0)
		s->counts[a][k]++;
	if (known)
		snprintf(pct, sizeof(pct), "%ld%%", lps_goal_percent(progress));
	if (doc) {
		struct lps_node *m = lps_doc_new_map(doc);
		if (!m || set(doc, m, "id", str_or_null(doc, id)) ||
		    set(doc, m, "title", str_or_null(doc, title)) ||
		    set(doc, m, "agenda", str_or_null(doc, agenda)) ||
		    set(doc, m, "status", str_or_null(doc, st)) ||
		    set(doc, m, "progress", known
			? lps_doc_new_int(doc, lps_goal_percent(progress))
			: lps_doc_new_null(doc)) ||
		    lps_seq_append(doc, s->jgoals, m))
			return -1;
	} else {
		if (known && s->r->opts->format == LPS_REPORT_CSV)
			snprintf(pct, sizeof(pct), "%ld",
				 lps_goal_percent(progress));
		const char *cells[] = { id, title, agenda, st,
					known ? pct : NULL };
		if (lps_report_table_row(s->goals, cells))
			return -1;
	}

	const struct lps_node *acts = lps_map_get(g, "actions");
	for (size_t i = 0; acts && acts->type == LPS_NODE_SEQ &&
			   i < acts->v.seq.n; i++) {
		const struct lps_node *act = acts->v.seq.items[i];
		if (!lps_goal_action_overdue(act, s->r->opts->today))
			continue;
		const char *sid = lps_node_str(lps_map_get(act, "id"));
		const char *text = lps_node_str(lps_map_get(act, "text"));
		const char *due = lps_node_str(lps_map_get(act, "due"));
		const char *owner = lps_node_str(lps_map_get(act, "owner"));
		if (doc) {
			struct lps_node *m = lps_doc_new_map(doc);
			if (!m || set(doc, m, "goal", str_or_null(doc, id)) ||
			    set(doc, m, "step", str_or_null(doc, sid)) ||
			    set(doc, m, "text", str_or_null(doc, text)) ||
			    set(doc, m, "due", str_or_null(doc, due)) ||
			    set(doc, m, "owner", str_or_null(doc, owner)) ||
			    lps_seq_append(doc, s->joverdue, m))
				return -1;
		} else {
			const char *cells[] = { id, sid, text, due, owner };
			if (lps_report_table_row_class(s->overdue, cells,
						       "overdue"))
				return -1;
		}
	}
	return 0;
}

static int on_goal(void *ctx, const char *path, const struct lps_doc *doc,
		   const struct lps_error *problem)
{
	struct status *s = ctx;
	if (!doc) {
		if (lps_report_invalid(s->r, path, problem))
			goto nomem;
		return 0;
	}
	const struct lps_node *g = lps_doc_root(doc);
	if ((s->err = lps_gate_goal(s->gate, g)))
		return 1;
	const char *cycle = lps_node_str(lps_map_get(g, "cycle"));
	if (!cycle || !s->cycle || strcmp(cycle, s->cycle) != 0)
		return 0;
	if (goal_row(s, g))
		goto nomem;
	return 0;
nomem:
	s->err = lps_error_nomem();
	return 1;
}

static int on_evidence(void *ctx, const char *path, const struct lps_doc *doc,
		       const struct lps_error *problem)
{
	struct status *s = ctx;
	if (!doc) {
		if (lps_report_invalid(s->r, path, problem)) {
			s->err = lps_error_nomem();
			return 1;
		}
		return 0;
	}
	s->err = lps_gate_evidence(s->gate, lps_doc_root(doc));
	return s->err != NULL;
}

static int on_reflection(void *ctx, const char *path,
			 const struct lps_doc *doc,
			 const struct lps_error *problem)
{
	struct status *s = ctx;
	if (!doc) {
		if (lps_report_invalid(s->r, path, problem)) {
			s->err = lps_error_nomem();
			return 1;
		}
		return 0;
	}
	s->err = lps_gate_reflection(s->gate, lps_doc_root(doc));
	return s->err != NULL;
}

static struct lps_error *stream(struct status *s, const char *dir,
				lps_collection_each_fn fn)
{
	struct lps_error *err = lps_collection_each(s->r->p, dir, fn, s);
	if (s->err) {
		lps_error_free(err);
		err = s->err;
		s->err = NULL;
	}
	return err;
}

static struct lps_error *write_json(struct status *s,
				    const struct lps_gaps *gaps)
{
	struct lps_doc *doc = s->json;
	struct lps_node *root = lps_report_json_head(s->r, doc, "status");
	struct lps_node *counts = lps_doc_new_map(doc);
	struct lps_node *gate = lps_doc_new_map(doc);
	struct lps_node *missing = lps_doc_new_seq(doc);
	int bad = !root || !counts || !gate || !missing;

	for (int a = 0; a < NAGENDA && !bad; a++) {
		struct lps_node *m = lps_doc_new_map(doc);
		bad |= !m || lps_map_set(doc, counts, agendas[a], m);
		for (int k = 0; k < NSTATUS && !bad; k++)
			bad |= set(doc, m, statuses[k], lps_doc_new_int(doc,
				(int64_t)s->counts[a][k]));
	}
	for (size_t i = 0; i < gaps->n && !bad; i++) {
		struct lps_node *m = lps_doc_new_map(doc);
		bad |= !m ||
		       set(doc, m, "goal", str_or_null(doc, gaps->items[i].goal)) ||
		       set(doc, m, "text", str_or_null(doc, gaps->items[i].text)) ||
		       lps_seq_append(doc, missing, m);
	}
	if (!bad)
		bad |= set(doc, gate, "from", str_or_null(doc,
				lps_gate_from(s->gate))) ||
		       set(doc, gate, "to", str_or_null(doc,
				lps_gate_to(s->gate))) ||
		       set(doc, gate, "ready", lps_doc_new_bool(doc,
				gaps->n == 0)) ||
		       lps_map_set(doc, gate, "missing", missing) ||
		       lps_map_set(doc, root, "goals", s->jgoals) ||
		       lps_map_set(doc, root, "by_agenda", counts) ||
		       lps_map_set(doc, root, "overdue", s->joverdue) ||
		       lps_map_set(doc, root, "gate", gate);
	if (bad)
		return lps_error_nomem();
	return lps_report_emit_json(s->r, root);
}

static int write_people(struct status *s, const struct lps_gaps *gaps)
{
	struct lps_report *r = s->r;
	enum lps_report_format f = r->opts->format;
	struct lps_buf *o = r->out;
	const struct lps_node *meta = lps_doc_root(lps_portfolio_meta(r->p));
	const char *owner = lps_node_str(lps_map_get(lps_map_get(meta,
							"owner"), "name"));
	struct lps_buf t = LPS_BUF_INIT;
	int bad = 0;

	if (f == LPS_REPORT_CSV)
		return lps_report_table_write(o, f, s->goals);

	bad |= lps_buf_addf(&t, "Status: %s", owner ? owner : "");
	if (f == LPS_REPORT_HTML)
		bad |= lps_report_html_begin(o, t.data, NULL);
	bad |= lps_report_heading(o, f, 1, t.data);
	lps_buf_free(&t);
	bad |= lps_report_field(o, f, "Role", lps_report_meta(r, "role"));
	if (lps_report_meta(r, "school"))
		bad |= lps_report_field(o, f, "School",
					lps_report_meta(r, "school"));
	if (lps_report_meta(r, "district"))
		bad |= lps_report_field(o, f, "District",
					lps_report_meta(r, "district"));
	bad |= lps_report_field(o, f, "Cycle", s->cycle);
	bad |= lps_report_field(o, f, "Phase", lps_gate_from(s->gate));
	bad |= lps_report_field(o, f, "As of", r->opts->today);
	bad |= lps_report_gap(o, f);

	bad |= lps_report_heading(o, f, 2, "Goals");
	if (lps_report_table_rows(s->goals))
		bad |= lps_report_table_write(o, f, s->goals);
	else
		bad |= lps_report_para(o, f, "No goals in this cycle.");
	bad |= lps_report_gap(o, f);

	/* Goals by agenda (rows) and status (columns). */
	static const char *const heads[] = {
		"Agenda", "proposed", "active", "met", "partially-met",
		"not-met", "dropped", "total",
	};
	static const unsigned nums[] = { 0, 1, 1, 1, 1, 1, 1, 1 };
	struct lps_report_table *m = NULL;
	struct lps_error *err = lps_report_table_new(&m, 8, heads, nums);
	if (err) {
		lps_error_free(err);
		return -1;
	}
	for (int a = 0; a < NAGENDA && !bad; a++) {
		char n[NSTATUS + 1][24];
		const char *cells[8] = { agendas[a] };
		size_t total = 0;
		for (int k = 0; k < NSTATUS; k++) {
			snprintf(n[k], sizeof(n[k]), "%zu", s->counts[a][k]);
			cells[k + 1] = n[k];
			total += s->counts[a][k];
		}
		snprintf(n[NSTATUS], sizeof(n[NSTATUS]), "%zu", total);
		cells[7] = n[NSTATUS];
		bad |= lps_report_table_row(m, cells);
	}
	bad |= lps_report_heading(o, f, 2, "Goals by agenda and status");
	bad |= lps_report_table_write(o, f, m);
	lps_report_table_free(m);
	bad |= lps_report_gap(o, f);

	bad |= lps_report_heading(o, f, 2, "Overdue action steps");
	if (lps_report_table_rows(s->overdue))
		bad |= lps_report_table_write(o, f, s->overdue);
	else
		bad |= lps_report_para(o, f, "None.");
	bad |= lps_report_gap(o, f);

	bad |= lps_buf_addf(&t, "Next phase: %s", lps_gate_to(s->gate));
	bad |= lps_report_heading(o, f, 2, t.data);
	lps_buf_free(&t);
	if (!gaps->n)
		bad |= lps_report_para(o, f, "Nothing is missing: the gate "
				       "holds.");
	for (size_t i = 0; i < gaps->n && !bad; i++) {
		/* One line each; in Markdown a list, in HTML paragraphs. */
		if (f == LPS_REPORT_MARKDOWN)
			bad |= lps_buf_adds(o, "- ");
		bad |= lps_report_para(o, f, gaps->items[i].text);
	}
	if (f == LPS_REPORT_HTML)
		bad |= lps_report_html_end(o);
	return bad ? -1 : 0;
}

static struct lps_error *run(struct lps_report *r)
{
	static const char *const gh[] = { "Goal", "Title", "Agenda",
					  "Status", "Progress" };
	static const char *const gcsv[] = { "goal", "title", "agenda",
					    "status", "progress" };
	static const unsigned gf[] = { 0, 0, 0, 0, LPS_REPORT_COL_NUM };
	static const char *const oh[] = { "Goal", "Step", "Text", "Due",
					  "Owner" };
	struct status s = { .r = r };
	struct lps_gaps gaps = LPS_GAPS_INIT;
	const struct lps_node *meta = lps_doc_root(lps_portfolio_meta(r->p));
	struct lps_error *err;
	int csv = r->opts->format == LPS_REPORT_CSV;

	s.cycle = lps_node_str(lps_map_get(meta, "cycle"));
	if ((err = lps_gate_new(&s.gate, meta)))
		return err;
	if ((err = lps_report_table_new(&s.goals, 5, csv ? gcsv : gh, gf)) ||
	    (err = lps_report_table_new(&s.overdue, 5, oh, NULL)))
		goto out;
	if (r->opts->format == LPS_REPORT_JSON) {
		if ((err = lps_doc_new(&s.json, "report")))
			goto out;
		s.jgoals = lps_doc_new_seq(s.json);
		s.joverdue = lps_doc_new_seq(s.json);
		if (!s.jgoals || !s.joverdue) {
			err = lps_error_nomem();
			goto out;
		}
	}
	err = stream(&s, "goals", on_goal);
	if (!err && (lps_gate_needs(s.gate) & LPS_GATE_EVIDENCE))
		err = stream(&s, "evidence", on_evidence);
	if (!err && (lps_gate_needs(s.gate) & LPS_GATE_REFLECTIONS))
		err = stream(&s, "reflections", on_reflection);
	if (!err)
		err = lps_gate_result(s.gate, &gaps);
	if (err)
		goto out;
	if (s.json)
		err = write_json(&s, &gaps);
	else if (write_people(&s, &gaps))
		err = lps_error_nomem();
out:
	lps_gaps_free(&gaps);
	lps_gate_free(s.gate);
	lps_report_table_free(s.goals);
	lps_report_table_free(s.overdue);
	lps_doc_free(s.json);
	return err;
}

const struct lps_report_kind lps_report_kind_status = {
	"status",
	"phase, goals by status and agenda, overdue steps, what the next "
	"gate needs",
	run,
};
