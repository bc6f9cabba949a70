/*
 * report_progress.c - `lps report progress`: every indicator of the
 * cycle's goals with its baseline, each measurement, the latest, the
 * target, progress, due date and whether it is on track.
 *
 * Measurements outside --since/--until are left out, so the latest
 * value and the progress are those of the period.  The day the state is
 * judged on (as_of) is --until when given, else the day of the commit
 * read when --rev is given (so an old revision gives the figures of its
 * day), else today.
 *
 * State of an indicator (p = progress as a fraction):
 *   met       p >= 1;
 *   no-data   no measurement in the period, or target == baseline;
 *   on-track  with a due date: p >= the elapsed fraction of the time
 *             from the goal's created date to the due date (as_of
 *             clamped to that span); without one: p > 0;
 *   behind    otherwise.
 *
 * Goals are streamed one at a time; only one row per indicator is kept.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collection.h"
#include "goal.h"
#include "portfolio.h"
#include "report.h"

struct prog {
	struct lps_report *r;
	const char *cycle;
	char as_of[11];
	struct lps_report_table *table;
	struct lps_doc *json;       /* JSON: the tree being built */
	struct lps_node *list;      /* JSON: indicators */
	size_t counts[4];           /* met, on-track, behind, no-data */
	struct lps_buf scratch;
	struct lps_error *err;
};

/* The calendar day (the committer's own) of p's head commit. */
static void commit_day(char *out, struct lps_portfolio *p)
{
	git_commit *c = NULL;
	out[0] = '\0';
	if (git_commit_lookup(&c, lps_store_repo(lps_portfolio_store(p)),
			      lps_portfolio_head(p)))
		return;
	time_t t = (time_t)(git_commit_time(c) +
			    (git_time_t)git_commit_time_offset(c) * 60);
	struct tm tm;
	if (gmtime_r(&t, &tm))
		strftime(out, 11, "%Y-%m-%d", &tm);
	git_commit_free(c);
}

static struct lps_node *num_node(struct lps_doc *doc, const struct lps_node *n)
{
	return n ? lps_doc_copy(doc, n) : lps_doc_new_null(doc);
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

static int indicator(struct prog *g, const struct lps_node *goal,
		     const struct lps_node *k)
{
	const struct lps_report_opts *o = g->r->opts;
	const struct lps_node *ms = lps_map_get(k, "measurements");
	const struct lps_node *latest = NULL;
	const char *latest_date = NULL;
	double base = 0, target = 0, lv = 0, p = 0;
	int has = 0, bad = 0;
	char nb[32];

	lps_goal_node_number(lps_map_get(k, "baseline"), &base);
	lps_goal_node_number(lps_map_get(k, "target"), &target);
	/* The latest in the period by date, the last listed among equal
	 * dates (as lps_goal_latest reads the whole list). */
	struct lps_buf *mtext = &g->scratch;
	lps_buf_reset(mtext);
	struct lps_node *mlist = NULL;
	if (g->json && !(mlist = lps_doc_new_seq(g->json)))
		return -1;
	size_t nm = ms && ms->type == LPS_NODE_SEQ ? ms->v.seq.n : 0;
	for (size_t i = 0; i < nm; i++) {
		const struct lps_node *m = ms->v.seq.items[i];
		const char *d = lps_node_str(lps_map_get(m, "date"));
		const struct lps_node *v = lps_map_get(m, "value");
		double x;
		if (!d || !lps_goal_node_number(v, &x) ||
		    !lps_report_in_range(o, d))
			continue;
		if (!latest_date || strcmp(d, latest_date) >= 0) {
			latest_date = d;
			latest = v;
			lv = x;
		}
		if (mlist) {
			struct lps_node *e = lps_doc_new_map(g->json);
			if (!e || set(g->json, e, "date",
				      lps_doc_new_string(g->json, d)) ||
			    set(g->json, e, "value", num_node(g->json, v)) ||
			    lps_seq_append(g->json, mlist, e))
				return -1;
		} else {
			bad |= lps_buf_addf(mtext, "%s%s: %s",
					    mtext->len ? "; " : "", d,
					    lps_report_num(nb, x));
		}
	}
	if (latest && target != base) {
		p = (lv - base) / (target - base);
		has = 1;
	}
	const char *created = lps_node_str(lps_map_get(goal, "created"));
	const char *due = lps_node_str(lps_map_get(k, "due"));
	enum lps_indicator_state st =
		lps_report_indicator_state(has, p, created, due, g->as_of);
	g->counts[st]++;

	const char *gid = lps_node_str(lps_map_get(goal, "id"));
	const char *kid = lps_node_str(lps_map_get(k, "id"));
	const char *unit = lps_node_str(lps_map_get(k, "unit"));
	const char *measure = lps_node_str(lps_map_get(k, "measure"));
	if (g->json) {
		struct lps_doc *doc = g->json;
		struct lps_node *e = lps_doc_new_map(doc);
		return !e ||
		       set(doc, e, "goal", lps_doc_new_string(doc, gid)) ||
		       set(doc, e, "title", str_or_null(doc,
				lps_node_str(lps_map_get(goal, "title")))) ||
		       set(doc, e, "status", str_or_null(doc,
				lps_node_str(lps_map_get(goal, "status")))) ||
		       set(doc, e, "indicator", str_or_null(doc, kid)) ||
		       set(doc, e, "measure", str_or_null(doc, measure)) ||
		       set(doc, e, "unit", str_or_null(doc, unit)) ||
		       set(doc, e, "baseline",
			   num_node(doc, lps_map_get(k, "baseline"))) ||
		       set(doc, e, "target",
			   num_node(doc, lps_map_get(k, "target"))) ||
		       set(doc, e, "due", str_or_null(doc, due)) ||
		       set(doc, e, "measurements", mlist) ||
		       set(doc, e, "latest", num_node(doc, latest)) ||
		       set(doc, e, "latest_date", str_or_null(doc,
							     latest_date)) ||
		       set(doc, e, "progress", has
			   ? lps_doc_new_int(doc, lps_goal_percent(p))
			   : lps_doc_new_null(doc)) ||
		       set(doc, e, "state", lps_doc_new_string(doc,
							       lps_report_state_name(st))) ||
		       lps_seq_append(doc, g->list, e);
	}

	char bs[32], ls[32], ts[32], ps[32];
	lps_report_num(bs, base);
	lps_report_num(ts, target);
	if (latest)
		lps_report_num(ls, lv);
	if (has)
		snprintf(ps, sizeof(ps), "%ld%%", lps_goal_percent(p));
	struct lps_buf gcell = LPS_BUF_INIT, ind = LPS_BUF_INIT;
	const char *title = lps_node_str(lps_map_get(goal, "title"));
	static const char *const classes[] = { "ok", "ok", "behind", "none" };
	if (g->r->opts->format == LPS_REPORT_CSV) {
		/* One fact per column for spreadsheets and scripts. */
		const char *cells[] = {
			gid, title, kid, measure, unit, bs,
			mtext->len ? mtext->data : NULL, latest ? ls : NULL,
			latest_date, ts, has ? ps : NULL, due, lps_report_state_name(st),
		};
		if (has)
			snprintf(ps, sizeof(ps), "%ld", lps_goal_percent(p));
		bad |= lps_report_table_row(g->table, cells);
	} else {
		bad |= lps_buf_addf(&gcell, "%s %s", gid, title ? title : "");
		bad |= lps_buf_addf(&ind, "%s %s%s%s%s", kid ? kid : "",
				    measure ? measure : "", unit ? " (" : "",
				    unit ? unit : "", unit ? ")" : "");
		const char *cells[] = {
			gcell.data, ind.data, bs,
			mtext->len ? mtext->data : NULL, latest ? ls : NULL,
			ts, has ? ps : NULL, due, lps_report_state_name(st),
		};
		if (!bad)
			bad |= lps_report_table_row_class(g->table, cells,
							  classes[st]);
	}
	lps_buf_free(&gcell);
	lps_buf_free(&ind);
	return bad ? -1 : 0;
}

static int each_goal(void *ctx, const char *path, const struct lps_doc *doc,
		     const struct lps_error *problem)
{
	struct prog *g = ctx;
	if (!doc) {
		if (lps_report_invalid(g->r, path, problem))
			goto nomem;
		return 0;
	}
	const struct lps_node *goal = lps_doc_root(doc);
	const char *cycle = lps_node_str(lps_map_get(goal, "cycle"));
	if (g->cycle && (!cycle || strcmp(cycle, g->cycle) != 0))
		return 0;
	const struct lps_node *ks = lps_map_get(goal, "indicators");
	for (size_t i = 0; ks && ks->type == LPS_NODE_SEQ && i < ks->v.seq.n;
	     i++)
		if (indicator(g, goal, ks->v.seq.items[i]))
			goto nomem;
	return 0;
nomem:
	g->err = lps_error_nomem();
	return 1;
}

static struct lps_error *run(struct lps_report *r)
{
	static const char *const headers[] = {
		"Goal", "Indicator", "Baseline", "Measurements", "Latest",
		"Target", "Progress", "Due", "State",
	};
	static const unsigned flags[] = {
		0, 0, LPS_REPORT_COL_NUM, 0, LPS_REPORT_COL_NUM,
		LPS_REPORT_COL_NUM, LPS_REPORT_COL_NUM, 0, 0,
	};
	enum lps_report_format f = r->opts->format;
	struct prog g = { .r = r };
	struct lps_node *root = NULL;
	struct lps_error *err;
	int bad = 0;

	g.cycle = lps_report_meta(r, "cycle");
	if (r->opts->until)
		snprintf(g.as_of, sizeof(g.as_of), "%.10s", r->opts->until);
	else if (r->opts->rev)
		commit_day(g.as_of, r->p);
	if (!g.as_of[0])
		snprintf(g.as_of, sizeof(g.as_of), "%.10s", r->opts->today);

	static const char *const csv_headers[] = {
		"goal", "title", "indicator", "measure", "unit", "baseline",
		"measurements", "latest", "latest_date", "target", "progress",
		"due", "state",
	};
	if (f == LPS_REPORT_CSV)
		err = lps_report_table_new(&g.table, 13, csv_headers, NULL);
	else
		err = lps_report_table_new(&g.table, 9, headers, flags);
	if (err)
		return err;
	if (f == LPS_REPORT_JSON) {
		if ((err = lps_doc_new(&g.json, "report")))
			goto out;
		root = lps_report_json_head(r, g.json, "progress");
		if (!root || lps_map_set(g.json, root, "as_of",
				lps_doc_new_string(g.json, g.as_of)) ||
		    !(g.list = lps_doc_new_seq(g.json)) ||
		    lps_map_set(g.json, root, "indicators", g.list)) {
			err = lps_error_nomem();
			goto out;
		}
	}
	err = lps_collection_each(r->p, "goals", each_goal, &g);
	if (!err)
		err = g.err;
	if (err)
		goto out;

	if (f == LPS_REPORT_JSON) {
		struct lps_node *s = lps_doc_new_map(g.json);
		bad |= !s || lps_map_set(g.json, root, "summary", s);
		for (int i = 0; i < 4 && !bad; i++) {
			char key[16];
			snprintf(key, sizeof(key), "%s",
				 lps_report_state_name((enum lps_indicator_state)i));
			for (char *c = key; *c; c++)
				if (*c == '-')
					*c = '_';
			bad |= lps_map_set(g.json, s, key,
				lps_doc_new_int(g.json, (int64_t)g.counts[i]));
		}
		if (bad)
			err = lps_error_nomem();
		else
			err = lps_report_emit_json(r, root);
		goto out;
	}

	const char *owner = lps_node_str(lps_map_get(lps_map_get(
		lps_doc_root(lps_portfolio_meta(r->p)), "owner"), "name"));
	struct lps_buf t = LPS_BUF_INIT;
	bad |= lps_buf_addf(&t, "Progress: %s", owner ? owner : "");
	if (f == LPS_REPORT_HTML)
		bad |= lps_report_html_begin(r->out, t.data, NULL);
	bad |= lps_report_heading(r->out, f, 1, t.data);
	lps_buf_free(&t);
	bad |= lps_report_field(r->out, f, "Cycle", g.cycle);
	bad |= lps_report_field(r->out, f, "As of", g.as_of);
	if (r->opts->since || r->opts->until) {
		bad |= lps_buf_addf(&t, "%s .. %s",
				    r->opts->since ? r->opts->since : "",
				    r->opts->until ? r->opts->until : "");
		bad |= lps_report_field(r->out, f, "Period", t.data);
		lps_buf_free(&t);
	}
	bad |= lps_buf_addf(&t, "%zu indicators: %zu met, %zu on track, "
			    "%zu behind, %zu without data",
			    lps_report_table_rows(g.table), g.counts[0],
			    g.counts[1], g.counts[2], g.counts[3]);
	bad |= lps_report_field(r->out, f, "Summary", t.data);
	lps_buf_free(&t);
	bad |= lps_report_gap(r->out, f);
	bad |= lps_report_table_write(r->out, f, g.table);
	if (f == LPS_REPORT_HTML)
		bad |= lps_report_html_end(r->out);
	if (bad)
		err = lps_error_nomem();
out:
	lps_buf_free(&g.scratch);
	lps_report_table_free(g.table);
	lps_doc_free(g.json);
	return err;
}

const struct lps_report_kind lps_report_kind_progress = {
	"progress",
	"every indicator: baseline, measurements, latest, target, progress, "
	"due, on track or behind",
	run,
};
