/*
 * lps-status - one screen about the portfolio: owner, cycle and phase, the
 * goals of the cycle with indicator progress, evidence counts and overdue
 * action steps, and what is missing for the next phase.
 *
 * The documents are streamed once (goals, then evidence, then the
 * reflections when the gate wants them) into a small summary tree that
 * both writers (text and JSON) read; the phase gate is fed in the same
 * pass.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "collection.h"
#include "doc.h"
#include "goal.h"
#include "phase.h"
#include "portfolio.h"

static const char usage[] =
	"usage: lps status [--format text|json]\n"
	"\n"
	"Show the portfolio on one screen: owner, cycle and phase, the goals\n"
	"of the cycle with their indicators' progress and evidence counts,\n"
	"overdue action steps, and what is missing for the next phase.\n"
	"\n"
	"    --format text|json  output format (default text)\n"
	"    -h, --help          show this help\n";

static const char *const formats[] = { "text", "json", NULL };

struct goal_ref {
	const char *id;        /* in the summary doc */
	struct lps_node *node; /* its summary map */
	int64_t evidence;
};

struct status {
	struct lps_doc *doc;       /* the summary */
	struct lps_node *goals;    /* seq of goal summaries */
	struct lps_node *overdue;  /* seq of overdue steps */
	struct goal_ref *refs;
	size_t n, cap;
	int sorted;
	const char *cycle;
	char today[11];
	struct lps_gate *gate;
	struct lps_error *err;
};

static int nomem(struct status *s)
{
	s->err = lps_error_nomem();
	return 1;
}

static struct lps_node *num(struct lps_doc *doc, const struct lps_node *n)
{
	return n ? lps_doc_copy(doc, n) : lps_doc_new_null(doc);
}

static struct lps_node *pct(struct lps_doc *doc, int ok, double v)
{
	/* Kept as a fraction rounded to 1/1000, like the text shows it. */
	return ok ? lps_doc_new_float(doc, round(v * 1000.0) / 1000.0)
		  : lps_doc_new_null(doc);
}

static int set(struct lps_doc *doc, struct lps_node *m, const char *key,
	       struct lps_node *v)
{
	return !v || lps_map_set(doc, m, key, v);
}

static int set_str(struct lps_doc *doc, struct lps_node *m, const char *key,
		   const char *s)
{
	return s ? set(doc, m, key, lps_doc_new_string(doc, s)) : 0;
}

/* The summary of one indicator. */
static int add_indicator(struct status *s, struct lps_node *list,
			 const struct lps_node *k)
{
	struct lps_doc *doc = s->doc;
	struct lps_node *m = lps_doc_new_map(doc);
	double progress = 0, latest = 0;
	int ok = lps_goal_indicator_progress(k, &progress, &latest);
	const struct lps_node *ms = lps_map_get(k, "measurements");
	int measured = ms && ms->type == LPS_NODE_SEQ && ms->v.seq.n;

	if (!m || set_str(doc, m, "id", lps_node_str(lps_map_get(k, "id"))) ||
	    set_str(doc, m, "measure",
		    lps_node_str(lps_map_get(k, "measure"))) ||
	    set(doc, m, "baseline", num(doc, lps_map_get(k, "baseline"))))
		return -1;
	/* The latest as written (an integer stays one), by date, the last
	 * listed among equal dates, as lps_goal_indicator_progress reads
	 * it; also known when target == baseline leaves no progress. */
	const struct lps_node *best = NULL;
	const char *bd = NULL;
	for (size_t i = 0; measured && i < ms->v.seq.n; i++) {
		const char *d = lps_node_str(
			lps_map_get(ms->v.seq.items[i], "date"));
		if (d && (!bd || strcmp(d, bd) >= 0)) {
			bd = d;
			best = lps_map_get(ms->v.seq.items[i], "value");
		}
	}
	(void)latest;
	if (set(doc, m, "latest", num(doc, best)))
		return -1;
	if (set(doc, m, "target", num(doc, lps_map_get(k, "target"))) ||
	    set_str(doc, m, "unit", lps_node_str(lps_map_get(k, "unit"))) ||
	    set(doc, m, "progress", pct(doc, ok, progress)))
		return -1;
	return lps_seq_append(doc, list, m);
}

static int add_overdue(struct status *s, struct lps_node *list,
		       const char *goal, const struct lps_node *step)
{
	struct lps_doc *doc = s->doc;
	const char *st = lps_node_str(lps_map_get(step, "status"));
	const char *due = lps_node_str(lps_map_get(step, "due"));
	struct lps_node *m;

	if (!st || strcmp(st, "open") || !due || strcmp(due, s->today) >= 0)
		return 0;
	m = lps_doc_new_map(doc);
	return !m || set_str(doc, m, "goal", goal) ||
	       set_str(doc, m, "id", lps_node_str(lps_map_get(step, "id"))) ||
	       set_str(doc, m, "text", lps_node_str(lps_map_get(step, "text"))) ||
	       set_str(doc, m, "due", due) || lps_seq_append(doc, list, m);
}

static int on_goal(void *ctx, const char *path, const struct lps_doc *gd,
		   const struct lps_error *problem)
{
	struct status *s = ctx;
	struct lps_doc *doc = s->doc;
	const struct lps_node *g, *inds, *acts;
	const char *id, *cycle;
	struct lps_node *m, *list;
	double progress = 0;
	size_t counted;

	(void)path;
	if (problem || !gd)
		return 0;
	g = lps_doc_root(gd);
	if ((s->err = lps_gate_goal(s->gate, g)))
		return 1;
	cycle = lps_node_str(lps_map_get(g, "cycle"));
	id = lps_node_str(lps_map_get(g, "id"));
	if (!cycle || strcmp(cycle, s->cycle) || !id)
		return 0;
	counted = lps_goal_progress(g, &progress);
	m = lps_doc_new_map(doc);
	list = lps_doc_new_seq(doc);
	if (!m || !list || set_str(doc, m, "id", id) ||
	    set_str(doc, m, "title", lps_node_str(lps_map_get(g, "title"))) ||
	    set_str(doc, m, "status", lps_node_str(lps_map_get(g, "status"))) ||
	    set_str(doc, m, "agenda", lps_node_str(lps_map_get(g, "agenda"))) ||
	    set(doc, m, "progress", pct(doc, counted > 0, progress)) ||
	    set(doc, m, "evidence", lps_doc_new_int(doc, 0)) ||
	    lps_map_set(doc, m, "indicators", list))
		return nomem(s);
	inds = lps_map_get(g, "indicators");
	for (size_t i = 0; inds && inds->type == LPS_NODE_SEQ &&
			   i < inds->v.seq.n; i++)
		if (add_indicator(s, list, inds->v.seq.items[i]))
			return nomem(s);
	acts = lps_map_get(g, "actions");
	for (size_t i = 0; lps_goal_is_open(g) && acts &&
			   acts->type == LPS_NODE_SEQ && i < acts->v.seq.n; i++)
		if (add_overdue(s, s->overdue, id, acts->v.seq.items[i]))
			return nomem(s);
	if (lps_seq_append(doc, s->goals, m))
		return nomem(s);
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct goal_ref *r = realloc(s->refs, cap * sizeof(*r));
		if (!r)
			return nomem(s);
		s->refs = r;
		s->cap = cap;
	}
	s->refs[s->n].id = lps_node_str(lps_map_get(m, "id"));
	s->refs[s->n].node = m;
	s->refs[s->n].evidence = 0;
	if (s->n && strcmp(s->refs[s->n - 1].id, id) >= 0)
		s->sorted = 0;
	s->n++;
	return 0;
}

static int cmp_ref(const void *a, const void *b)
{
	return strcmp(((const struct goal_ref *)a)->id,
		      ((const struct goal_ref *)b)->id);
}

static int on_evidence(void *ctx, const char *path, const struct lps_doc *ed,
		       const struct lps_error *problem)
{
	struct status *s = ctx;
	const struct lps_node *goals;

	(void)path;
	if (problem || !ed)
		return 0;
	if ((s->err = lps_gate_evidence(s->gate, lps_doc_root(ed))))
		return 1;
	goals = lps_map_get(lps_doc_root(ed), "goals");
	if (!s->sorted && s->n) {
		qsort(s->refs, s->n, sizeof(*s->refs), cmp_ref);
		s->sorted = 1;
	}
	for (size_t i = 0; s->n && goals && goals->type == LPS_NODE_SEQ &&
			   i < goals->v.seq.n; i++) {
		struct goal_ref key = { lps_node_str(goals->v.seq.items[i]),
					NULL, 0 };
		struct goal_ref *r;
		if (!key.id)
			continue;
		r = bsearch(&key, s->refs, s->n, sizeof(*s->refs), cmp_ref);
		if (r)
			r->evidence++;
	}
	return 0;
}

static int on_reflection(void *ctx, const char *path,
			 const struct lps_doc *rd,
			 const struct lps_error *problem)
{
	struct status *s = ctx;

	(void)path;
	if (problem || !rd)
		return 0;
	s->err = lps_gate_reflection(s->gate, lps_doc_root(rd));
	return s->err != NULL;
}

static struct lps_error *stream(struct lps_portfolio *p, const char *dir,
				lps_collection_each_fn fn, struct status *s)
{
	struct lps_error *err = lps_collection_each(p, dir, fn, s);

	if (s->err) {
		lps_error_free(err);
		err = s->err;
		s->err = NULL;
	}
	return err;
}

/* Build the whole summary (s->doc's root). */
static struct lps_error *summarize(struct status *s, struct lps_portfolio *p)
{
	const struct lps_node *meta = lps_doc_root(lps_portfolio_meta(p));
	struct lps_doc *doc = s->doc;
	struct lps_gaps gaps = LPS_GAPS_INIT;
	struct lps_node *root = lps_doc_new_map(doc), *missing;
	struct lps_error *err;
	int bad;

	s->cycle = lps_node_str(lps_map_get(meta, "cycle"));
	if ((err = lps_gate_new(&s->gate, meta)))
		return err;
	s->goals = lps_doc_new_seq(doc);
	s->overdue = lps_doc_new_seq(doc);
	missing = lps_doc_new_seq(doc);
	if (!root || !s->goals || !s->overdue || !missing)
		return lps_error_nomem();
	lps_doc_set_root(doc, root);
	bad = set(doc, root, "owner",
		  lps_doc_copy(doc, lps_map_get(meta, "owner"))) ||
	      set_str(doc, root, "role",
		      lps_node_str(lps_map_get(meta, "role"))) ||
	      set_str(doc, root, "district",
		      lps_node_str(lps_map_get(meta, "district"))) ||
	      set_str(doc, root, "school",
		      lps_node_str(lps_map_get(meta, "school"))) ||
	      set_str(doc, root, "cycle", s->cycle) ||
	      set_str(doc, root, "phase", lps_gate_from(s->gate)) ||
	      set_str(doc, root, "next", lps_gate_to(s->gate));
	if (bad)
		return lps_error_nomem();
	s->sorted = 1;
	err = stream(p, "goals", on_goal, s);
	if (!err)
		err = stream(p, "evidence", on_evidence, s);
	if (!err && (lps_gate_needs(s->gate) & LPS_GATE_REFLECTIONS))
		err = stream(p, "reflections", on_reflection, s);
	if (!err)
		err = lps_gate_result(s->gate, &gaps);
	for (size_t i = 0; !err && i < s->n; i++)
		if (set(doc, s->refs[i].node, "evidence",
			lps_doc_new_int(doc, s->refs[i].evidence)))
			err = lps_error_nomem();
	for (size_t i = 0; !err && i < gaps.n; i++) {
		struct lps_node *m = lps_doc_new_map(doc);
		if (!m || set_str(doc, m, "text", gaps.items[i].text) ||
		    set_str(doc, m, "goal", gaps.items[i].goal) ||
		    lps_seq_append(doc, missing, m))
			err = lps_error_nomem();
	}
	if (!err && (set(doc, root, "ready", lps_doc_new_bool(doc, !gaps.n)) ||
		     lps_map_set(doc, root, "goals", s->goals) ||
		     lps_map_set(doc, root, "overdue", s->overdue) ||
		     lps_map_set(doc, root, "missing", missing)))
		err = lps_error_nomem();
	lps_gaps_free(&gaps);
	return err;
}

/* A number as people write it: 40, 52.5. */
static int add_num(struct lps_buf *b, const struct lps_node *n)
{
	if (!n || n->type == LPS_NODE_NULL)
		return lps_buf_adds(b, "-");
	if (n->type == LPS_NODE_INT)
		return lps_buf_addf(b, "%lld", (long long)n->v.integer);
	return lps_buf_addf(b, "%g", n->v.number);
}

static int add_pct(struct lps_buf *b, const struct lps_node *n)
{
	if (!n || n->type != LPS_NODE_FLOAT)
		return lps_buf_adds(b, "-");
	return lps_buf_addf(b, "%.0f%%", n->v.number * 100.0);
}

static const char *str(const struct lps_node *m, const char *key)
{
	const char *s = lps_node_str(lps_map_get(m, key));
	return s ? s : "";
}

static struct lps_error *write_text(struct lps_buf *b,
				    const struct lps_node *root)
{
	const struct lps_node *goals = lps_map_get(root, "goals");
	const struct lps_node *overdue = lps_map_get(root, "overdue");
	const struct lps_node *missing = lps_map_get(root, "missing");
	const char *school = str(root, "school"), *district =
		str(root, "district");
	int bad;

	bad = lps_buf_addf(b, "owner:  %s, %s\n",
			   str(lps_map_get(root, "owner"), "name"),
			   str(root, "role")) < 0;
	if (*school || *district)
		bad = bad || lps_buf_addf(b, "school: %s%s%s%s\n", school,
					  *school && *district ? " (" : "",
					  district,
					  *school && *district ? ")" : "") < 0;
	bad = bad || lps_buf_addf(b, "cycle:  %s\nphase:  %s\n\n",
				  str(root, "cycle"), str(root, "phase")) < 0;
	bad = bad || lps_buf_adds(b, goals->v.seq.n ? "goals:\n"
						     : "goals: none\n") < 0;
	for (size_t i = 0; !bad && i < goals->v.seq.n; i++) {
		const struct lps_node *g = goals->v.seq.items[i];
		const struct lps_node *inds = lps_map_get(g, "indicators");
		const struct lps_node *ev = lps_map_get(g, "evidence");
		int64_t nev = ev ? ev->v.integer : 0;

		struct lps_buf p = LPS_BUF_INIT;

		bad = add_pct(&p, lps_map_get(g, "progress")) < 0 ||
		      lps_buf_addf(b, "  %s  %-13s  %4s", str(g, "id"),
				   str(g, "status"), p.data) < 0 ||
		      lps_buf_addf(b, "  %s (%lld evidence)\n",
				   str(g, "title"), (long long)nev) < 0;
		lps_buf_free(&p);
		for (size_t k = 0; !bad && k < inds->v.seq.n; k++) {
			const struct lps_node *in = inds->v.seq.items[k];
			bad = lps_buf_addf(b, "      %s %s: ", str(in, "id"),
					   str(in, "measure")) < 0 ||
			      add_num(b, lps_map_get(in, "baseline")) < 0 ||
			      lps_buf_adds(b, " -> ") < 0 ||
			      add_num(b, lps_map_get(in, "latest")) < 0 ||
			      lps_buf_adds(b, " -> ") < 0 ||
			      add_num(b, lps_map_get(in, "target")) < 0 ||
			      lps_buf_adds(b, " (") < 0 ||
			      add_pct(b, lps_map_get(in, "progress")) < 0 ||
			      lps_buf_adds(b, ")\n") < 0;
		}
	}
	bad = bad || lps_buf_adds(b, overdue->v.seq.n
					     ? "\noverdue action steps:\n"
					     : "\noverdue action steps: none\n") < 0;
	for (size_t i = 0; !bad && i < overdue->v.seq.n; i++) {
		const struct lps_node *o = overdue->v.seq.items[i];
		bad = lps_buf_addf(b, "  %s %s  due %s  %s\n", str(o, "goal"),
				   str(o, "id"), str(o, "due"),
				   str(o, "text")) < 0;
	}
	if (missing->v.seq.n)
		bad = bad || lps_buf_addf(b, "\nmissing for %s:\n",
					  str(root, "next")) < 0;
	else
		bad = bad || lps_buf_addf(b, "\nready for %s "
					  "(lps phase advance)\n",
					  str(root, "next")) < 0;
	for (size_t i = 0; !bad && i < missing->v.seq.n; i++)
		bad = lps_buf_addf(b, "  %s\n",
				   str(missing->v.seq.items[i], "text")) < 0;
	return bad ? lps_error_nomem() : NULL;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct lps_portfolio *p = NULL;
	struct lps_buf out = LPS_BUF_INIT;
	struct lps_error *err;
	struct status s;
	int c, format = 0, rc;

	lps_cli_begin(usage);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if ((format = lps_cli_choice("--format", optarg,
						     formats)) < 0)
				return LPS_EXIT_USAGE;
			break;
		case 'h': return lps_cli_help();
		case ':':
			return lps_cli_usage_error("option %s needs a value",
						   argv[optind - 1]);
		default:
			return lps_cli_usage_error("unknown option %s",
						   argv[optind - 1]);
		}
	}
	if (optind < argc)
		return lps_cli_usage_error("unexpected argument '%s'",
					   argv[optind]);
	memset(&s, 0, sizeof(s));
	lps_portfolio_today(s.today, NULL);
	err = lps_portfolio_open(&p, ".");
	if (!err)
		err = lps_doc_new(&s.doc, "status");
	if (!err)
		err = summarize(&s, p);
	if (!err)
		err = format ? lps_doc_emit_json(lps_doc_root(s.doc), &out)
			     : write_text(&out, lps_doc_root(s.doc));
	if (!err && out.len && (fwrite(out.data, 1, out.len, stdout) !=
				out.len || fflush(stdout)))
		err = lps_error_new(LPS_ESYS, "writing: %s", strerror(errno));
	rc = lps_cli_fail(err);
	lps_buf_free(&out);
	lps_gate_free(s.gate);
	free(s.refs);
	lps_doc_free(s.doc);
	lps_portfolio_free(p);
	return rc;
}
