/*
 * report_coverage.c - `lps report coverage`: a framework's standards
 * (every framework by default, or --framework NAME) against the cycle's
 * goals, the evidence and the self-assessment ratings, in the manner of
 * a competency matrix; standards without evidence are marked.
 *
 * What counts is the rule of coverage.h (goals of the cycle naming the
 * standard, evidence of the period naming it, supporting one of those
 * goals or cited by its self-assessment, each counted once; the rating
 * of the cycle's self-assessment), shared with the exhibit.
 *
 * Documents are streamed once per folder (goals, the cycle's
 * assessments, evidence); per standard only the ids of its goals and
 * evidence are kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collection.h"
#include "coverage.h"
#include "framework.h"
#include "portfolio.h"
#include "report.h"

struct cov {
	struct lps_report *r;
	const char *cycle;
	struct lps_coverage *rule;
	struct lps_error *err;
};

static int note_invalid(struct cov *c, const char *path,
			const struct lps_error *problem)
{
	if (lps_report_invalid(c->r, path, problem)) {
		c->err = lps_error_nomem();
		return 1;
	}
	return 0;
}

#define FEEDER(name, feed)                                                 \
	static int name(void *ctx, const char *path,                       \
			const struct lps_doc *doc,                         \
			const struct lps_error *problem)                   \
	{                                                                  \
		struct cov *c = ctx;                                       \
		if (!doc)                                                  \
			return note_invalid(c, path, problem);             \
		if (feed(c->rule, lps_doc_root(doc)) < 0) {                \
			c->err = lps_error_nomem();                        \
			return 1;                                          \
		}                                                          \
		return 0;                                                  \
	}

FEEDER(on_goal, lps_coverage_goal)
FEEDER(on_assessment, lps_coverage_assessment)
FEEDER(on_evidence, lps_coverage_evidence)

static struct lps_error *stream(struct cov *c, const char *dir,
				lps_collection_each_fn fn)
{
	struct lps_error *err = lps_collection_each(c->r->p, dir, fn, c);
	if (c->err) {
		lps_error_free(err);
		err = c->err;
		c->err = NULL;
	}
	return err;
}

/* The entry of the k-th standard of the f-th framework: entries are in
 * framework order, so this walks offsets. */
static const struct lps_coverage_entry *entry_of(struct cov *c, size_t base,
						 size_t k)
{
	return lps_coverage_at(c->rule, base + k);
}

static int join(struct lps_buf *b, const char (*v)[LPS_ID_LEN + 1],
		size_t n, const char *sep)
{
	int bad = 0;
	lps_buf_reset(b);
	for (size_t i = 0; i < n; i++)
		bad |= lps_buf_addf(b, "%s%s", i ? sep : "", v[i]);
	return bad;
}

static struct lps_error *write_json(struct cov *c, const struct lps_framework
				    *const *fws, size_t nfw)
{
	struct lps_doc *doc = NULL;
	struct lps_error *err = lps_doc_new(&doc, "report");
	size_t covered = 0, total = 0, base = 0;
	if (err)
		return err;
	struct lps_node *root = lps_report_json_head(c->r, doc, "coverage");
	struct lps_node *list = lps_doc_new_seq(doc);
	int bad = !root || !list || lps_map_set(doc, root, "frameworks", list);
	for (size_t f = 0; f < nfw && !bad; f++) {
		const struct lps_framework *fw = fws[f];
		struct lps_node *m = lps_doc_new_map(doc);
		struct lps_node *stds = lps_doc_new_seq(doc);
		bad |= !m || !stds ||
		       lps_map_set(doc, m, "name", lps_doc_new_string(doc,
							fw->name)) ||
		       lps_map_set(doc, m, "title", lps_doc_new_string(doc,
						fw->title ? fw->title : "")) ||
		       lps_map_set(doc, m, "standards", stds) ||
		       lps_seq_append(doc, list, m);
		for (size_t k = 0; k < fw->nstandards && !bad; k++) {
			const struct lps_coverage_entry *e =
				entry_of(c, base, k);
			struct lps_node *s = lps_doc_new_map(doc);
			struct lps_node *g = lps_doc_new_seq(doc);
			struct lps_node *ev = lps_doc_new_seq(doc);
			if (!e || !s || !g || !ev) {
				bad = 1;
				break;
			}
			for (size_t i = 0; i < e->ngoals && !bad; i++)
				bad |= lps_seq_append(doc, g,
					lps_doc_new_string(doc, e->goals[i]));
			for (size_t i = 0; i < e->nevidence && !bad; i++)
				bad |= lps_seq_append(doc, ev,
					lps_doc_new_string(doc,
							   e->evidence[i]));
			total++;
			covered += e->nevidence > 0;
			bad |= lps_map_set(doc, s, "ref",
					   lps_doc_new_string(doc, e->ref)) ||
			       lps_map_set(doc, s, "code", lps_doc_new_string(
					doc, fw->standards[k].code)) ||
			       lps_map_set(doc, s, "title", lps_doc_new_string(
					doc, fw->standards[k].title
					? fw->standards[k].title : "")) ||
			       lps_map_set(doc, s, "depth", lps_doc_new_int(
					doc, fw->standards[k].depth)) ||
			       lps_map_set(doc, s, "goals", g) ||
			       lps_map_set(doc, s, "evidence", ev) ||
			       lps_map_set(doc, s, "rating", e->rating
					? lps_doc_new_string(doc, e->rating)
					: lps_doc_new_null(doc)) ||
			       lps_map_set(doc, s, "covered",
					   lps_doc_new_bool(doc,
						e->nevidence > 0)) ||
			       lps_seq_append(doc, stds, s);
		}
		base += fw->nstandards;
	}
	struct lps_node *sum = bad ? NULL : lps_doc_new_map(doc);
	bad |= !sum ||
	       lps_map_set(doc, sum, "standards",
			   lps_doc_new_int(doc, (int64_t)total)) ||
	       lps_map_set(doc, sum, "covered",
			   lps_doc_new_int(doc, (int64_t)covered)) ||
	       lps_map_set(doc, sum, "uncovered",
			   lps_doc_new_int(doc, (int64_t)(total - covered))) ||
	       lps_map_set(doc, root, "summary", sum);
	err = bad ? lps_error_nomem() : lps_report_emit_json(c->r, root);
	lps_doc_free(doc);
	return err;
}

static int write_people(struct cov *c, const struct lps_framework
			*const *fws, size_t nfw)
{
	static const char *const heads[] = { "Standard", "Title", "Goals",
					     "Evidence", "Rating", "Note" };
	static const unsigned flags[] = { 0, 0, 0, LPS_REPORT_COL_NUM, 0, 0 };
	static const char *const csvh[] = { "framework", "code", "title",
					    "goals", "evidence_count",
					    "evidence", "rating", "covered" };
	struct lps_report *r = c->r;
	enum lps_report_format f = r->opts->format;
	struct lps_buf *o = r->out, goals = LPS_BUF_INIT, evs = LPS_BUF_INIT;
	struct lps_buf t = LPS_BUF_INIT;
	struct lps_report_table *csv = NULL;
	int bad = 0;
	size_t base = 0;

	if (f == LPS_REPORT_CSV) {
		struct lps_error *err = lps_report_table_new(&csv, 8, csvh,
							     NULL);
		if (err) {
			lps_error_free(err);
			return -1;
		}
	} else {
		const char *owner = lps_node_str(lps_map_get(lps_map_get(
			lps_doc_root(lps_portfolio_meta(r->p)), "owner"),
			"name"));
		bad |= lps_buf_addf(&t, "Coverage: %s", owner ? owner : "");
		if (f == LPS_REPORT_HTML)
			bad |= lps_report_html_begin(o, t.data, NULL);
		bad |= lps_report_heading(o, f, 1, t.data);
		bad |= lps_report_field(o, f, "Cycle", c->cycle);
		bad |= lps_report_gap(o, f);
	}
	for (size_t fi = 0; fi < nfw && !bad; fi++) {
		const struct lps_framework *fw = fws[fi];
		struct lps_report_table *tab = NULL;
		size_t covered = 0;
		if (!csv) {
			struct lps_error *err = lps_report_table_new(
				&tab, 6, heads, flags);
			if (err) {
				lps_error_free(err);
				bad = 1;
				break;
			}
		}
		for (size_t k = 0; k < fw->nstandards && !bad; k++) {
			const struct lps_standard *st = &fw->standards[k];
			const struct lps_coverage_entry *e =
				entry_of(c, base, k);
			char n[24];
			if (!e) {
				bad = 1;
				break;
			}
			snprintf(n, sizeof(n), "%zu", e->nevidence);
			covered += e->nevidence > 0;
			bad |= join(&goals, e->goals, e->ngoals,
				    csv ? " " : ", ");
			bad |= join(&evs, e->evidence, e->nevidence, " ");
			if (csv) {
				const char *cells[] = {
					fw->name, st->code, st->title,
					goals.data, n, evs.data, e->rating,
					e->nevidence ? "yes" : "no",
				};
				bad |= lps_report_table_row(csv, cells);
				continue;
			}
			lps_buf_reset(&t);
			for (unsigned d = 0; d < st->depth; d++)
				bad |= lps_buf_adds(&t, ". ");
			bad |= lps_buf_adds(&t, st->title ? st->title : "");
			const char *cells[] = {
				e->ref, t.data, goals.len ? goals.data : NULL,
				n, e->rating,
				e->nevidence ? NULL : "no evidence",
			};
			bad |= lps_report_table_row_class(tab, cells,
				e->nevidence ? NULL : "none");
		}
		if (!csv && !bad) {
			lps_buf_reset(&t);
			bad |= lps_buf_addf(&t, "%s: %s", fw->name,
					    fw->title ? fw->title : "");
			bad |= lps_report_heading(o, f, 2, t.data);
			lps_buf_reset(&t);
			bad |= lps_buf_addf(&t, "%zu of %zu standards have "
					    "evidence", covered,
					    fw->nstandards);
			bad |= lps_report_para(o, f, t.data);
			bad |= lps_report_gap(o, f);
			bad |= lps_report_table_write(o, f, tab);
			bad |= lps_report_gap(o, f);
		}
		lps_report_table_free(tab);
		base += fw->nstandards;
	}
	if (csv) {
		if (!bad)
			bad |= lps_report_table_write(o, f, csv);
		lps_report_table_free(csv);
	} else if (f == LPS_REPORT_HTML) {
		bad |= lps_report_html_end(o);
	}
	lps_buf_free(&t);
	lps_buf_free(&goals);
	lps_buf_free(&evs);
	return bad ? -1 : 0;
}

static struct lps_error *run(struct lps_report *r)
{
	struct lps_frameworks *set = NULL;
	struct cov c = { .r = r };
	const struct lps_framework **fws = NULL;
	size_t nfw = 0;
	struct lps_error *err = lps_frameworks_load(&set, r->p);
	struct lps_buf names = LPS_BUF_INIT;

	if (err)
		return err;
	c.cycle = lps_report_meta(r, "cycle");
	size_t total = lps_frameworks_count(set);
	fws = calloc(total ? total : 1, sizeof(*fws));
	if (!fws) {
		err = lps_error_nomem();
		goto out;
	}
	for (size_t i = 0; i < total; i++) {
		const struct lps_framework *fw = lps_frameworks_at(set, i);
		if (!r->opts->framework ||
		    strcmp(fw->name, r->opts->framework) == 0)
			fws[nfw++] = fw;
		if (lps_buf_addf(&names, "%s%s", i ? ", " : "", fw->name)) {
			err = lps_error_nomem();
			goto out;
		}
	}
	if (!nfw) {
		err = lps_error_new(LPS_ENOTFOUND,
				    "unknown framework \"%s\" (known: %s)",
				    r->opts->framework, names.data
				    ? names.data : "none");
		goto out;
	}
	if ((err = lps_coverage_new(&c.rule, fws, nfw, c.cycle, r->opts)))
		goto out;
	/* The rule takes goals, then assessments, then evidence. */
	err = stream(&c, "goals", on_goal);
	if (!err && c.cycle) {
		struct lps_buf dir = LPS_BUF_INIT;
		if (lps_buf_addf(&dir, "assessments/%s", c.cycle))
			err = lps_error_nomem();
		else
			err = stream(&c, dir.data, on_assessment);
		lps_buf_free(&dir);
	}
	if (!err)
		err = stream(&c, "evidence", on_evidence);
	if (err)
		goto out;
	lps_coverage_finish(c.rule);
	if (r->opts->format == LPS_REPORT_JSON)
		err = write_json(&c, fws, nfw);
	else if (write_people(&c, fws, nfw))
		err = lps_error_nomem();
out:
	lps_coverage_free(c.rule);
	free(fws);
	lps_buf_free(&names);
	lps_frameworks_free(set);
	return err;
}

const struct lps_report_kind lps_report_kind_coverage = {
	"coverage",
	"framework standards against goals, evidence and self-assessment "
	"ratings",
	run,
};
