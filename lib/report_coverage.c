/*
 * report_coverage.c - `lps report coverage`: a framework's standards
 * (every framework by default, or --framework NAME) against the cycle's
 * goals, the evidence and the self-assessment ratings, in the manner of
 * a competency matrix; standards without evidence are marked.
 *
 * What counts:
 *   goals      goals of the portfolio's cycle, except dropped ones, that
 *              name the standard in `standards`;
 *   evidence   evidence dated within --since/--until that names the
 *              standard itself or supports one of those goals, plus the
 *              evidence the standard's self-assessment cites;
 *   rating     the self-assessment of the standard in this cycle
 *              (assessments/<cycle>/<framework>-<code>.yaml).
 *
 * Documents are streamed once per folder; per standard only the ids of
 * its goals and evidence are kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collection.h"
#include "framework.h"
#include "portfolio.h"
#include "report.h"

struct ids {
	char (*v)[LPS_ID_LEN + 1];
	size_t n, cap;
};

struct entry {
	char ref[160];                    /* "issl.1a" */
	const struct lps_standard *std;
	struct ids goals, evidence;
	const char *rating;               /* points into ratings below */
	size_t seen;                      /* evidence doc last counted */
};

/* A cycle goal and the entries it names (for the evidence pass). */
struct goal {
	char id[LPS_ID_LEN + 1];
	size_t *entries, n;
};

struct cov {
	struct lps_report *r;
	const char *cycle;
	struct entry *e;
	size_t ne;
	struct goal *g;
	size_t ng, gcap;
	size_t evidence_no;
	char (*ratings)[16];              /* one per entry */
	struct lps_error *err;
};

static int ids_add(struct ids *s, const char *id)
{
	if (!lps_portfolio_id_valid(id, 0))
		return 0;
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], id) == 0)
			return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 4;
		void *v = realloc(s->v, cap * sizeof(*s->v));
		if (!v)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	snprintf(s->v[s->n++], LPS_ID_LEN + 1, "%s", id);
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->ref,
		      ((const struct entry *)b)->ref);
}

static struct entry *find(struct cov *c, const char *ref)
{
	struct entry key;
	if (!ref || strlen(ref) >= sizeof(key.ref))
		return NULL;
	snprintf(key.ref, sizeof(key.ref), "%s", ref);
	return bsearch(&key, c->e, c->ne, sizeof(*c->e), cmp_entry);
}

static int cmp_goal(const void *a, const void *b)
{
	return strcmp(((const struct goal *)a)->id,
		      ((const struct goal *)b)->id);
}

static int note_invalid(struct cov *c, const char *path,
			const struct lps_error *problem)
{
	if (lps_report_invalid(c->r, path, problem)) {
		c->err = lps_error_nomem();
		return 1;
	}
	return 0;
}

static int on_goal(void *ctx, const char *path, const struct lps_doc *doc,
		   const struct lps_error *problem)
{
	struct cov *c = ctx;
	if (!doc)
		return note_invalid(c, path, problem);
	const struct lps_node *g = lps_doc_root(doc);
	const char *cycle = lps_node_str(lps_map_get(g, "cycle"));
	const char *status = lps_node_str(lps_map_get(g, "status"));
	const char *id = lps_node_str(lps_map_get(g, "id"));
	const struct lps_node *stds = lps_map_get(g, "standards");
	if (!id || !cycle || !c->cycle || strcmp(cycle, c->cycle) != 0 ||
	    (status && strcmp(status, "dropped") == 0) || !stds ||
	    stds->type != LPS_NODE_SEQ)
		return 0;
	if (c->ng == c->gcap) {
		size_t cap = c->gcap ? 2 * c->gcap : 16;
		struct goal *v = realloc(c->g, cap * sizeof(*v));
		if (!v)
			goto nomem;
		c->g = v;
		c->gcap = cap;
	}
	struct goal *gl = &c->g[c->ng];
	memset(gl, 0, sizeof(*gl));
	snprintf(gl->id, sizeof(gl->id), "%s", id);
	gl->entries = calloc(stds->v.seq.n ? stds->v.seq.n : 1,
			     sizeof(*gl->entries));
	if (!gl->entries)
		goto nomem;
	c->ng++;
	for (size_t i = 0; i < stds->v.seq.n; i++) {
		struct entry *e = find(c, lps_node_str(stds->v.seq.items[i]));
		if (!e)
			continue;
		gl->entries[gl->n++] = (size_t)(e - c->e);
		if (ids_add(&e->goals, id))
			goto nomem;
	}
	return 0;
nomem:
	c->err = lps_error_nomem();
	return 1;
}

static int count_evidence(struct cov *c, struct entry *e, const char *id)
{
	if (e->seen == c->evidence_no)
		return 0;
	e->seen = c->evidence_no;
	return ids_add(&e->evidence, id);
}

static int on_evidence(void *ctx, const char *path, const struct lps_doc *doc,
		       const struct lps_error *problem)
{
	struct cov *c = ctx;
	if (!doc)
		return note_invalid(c, path, problem);
	const struct lps_node *ev = lps_doc_root(doc);
	const char *id = lps_node_str(lps_map_get(ev, "id"));
	if (!id || !lps_report_in_range(c->r->opts,
			lps_node_str(lps_map_get(ev, "date"))))
		return 0;
	c->evidence_no++;
	const struct lps_node *stds = lps_map_get(ev, "standards");
	for (size_t i = 0; stds && stds->type == LPS_NODE_SEQ &&
			   i < stds->v.seq.n; i++) {
		struct entry *e = find(c, lps_node_str(stds->v.seq.items[i]));
		if (e && count_evidence(c, e, id))
			goto nomem;
	}
	const struct lps_node *goals = lps_map_get(ev, "goals");
	for (size_t i = 0; goals && goals->type == LPS_NODE_SEQ &&
			   i < goals->v.seq.n; i++) {
		const char *gid = lps_node_str(goals->v.seq.items[i]);
		struct goal key;
		if (!gid)
			continue;
		snprintf(key.id, sizeof(key.id), "%s", gid);
		struct goal *gl = !c->ng ? NULL
			: bsearch(&key, c->g, c->ng, sizeof(*c->g), cmp_goal);
		for (size_t k = 0; gl && k < gl->n; k++)
			if (count_evidence(c, &c->e[gl->entries[k]], id))
				goto nomem;
	}
	return 0;
nomem:
	c->err = lps_error_nomem();
	return 1;
}

static int on_assessment(void *ctx, const char *path,
			 const struct lps_doc *doc,
			 const struct lps_error *problem)
{
	struct cov *c = ctx;
	if (!doc)
		return note_invalid(c, path, problem);
	const struct lps_node *a = lps_doc_root(doc);
	const char *fw = lps_node_str(lps_map_get(a, "framework"));
	const char *code = lps_node_str(lps_map_get(a, "code"));
	const char *rating = lps_node_str(lps_map_get(a, "rating"));
	char ref[200];
	if (!fw || !code || !rating)
		return 0;
	snprintf(ref, sizeof(ref), "%s.%s", fw, code);
	struct entry *e = find(c, ref);
	if (!e)
		return 0;
	size_t i = (size_t)(e - c->e);
	snprintf(c->ratings[i], sizeof(c->ratings[i]), "%s", rating);
	e->rating = c->ratings[i];
	const struct lps_node *evs = lps_map_get(a, "evidence");
	for (size_t k = 0; evs && evs->type == LPS_NODE_SEQ &&
			   k < evs->v.seq.n; k++)
		if (ids_add(&e->evidence, lps_node_str(evs->v.seq.items[k]))) {
			c->err = lps_error_nomem();
			return 1;
		}
	return 0;
}

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

static int cmp_ids(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The entries of framework fw, in the framework's own order. */
static struct entry *entry_of(struct cov *c, const struct lps_framework *fw,
			      size_t k)
{
	char ref[200];
	snprintf(ref, sizeof(ref), "%s.%s", fw->name, fw->standards[k].code);
	return find(c, ref);
}

static int join(struct lps_buf *b, const struct ids *s, const char *sep)
{
	int bad = 0;
	lps_buf_reset(b);
	for (size_t i = 0; i < s->n; i++)
		bad |= lps_buf_addf(b, "%s%s", i ? sep : "", s->v[i]);
	return bad;
}

static struct lps_error *write_json(struct cov *c, const struct lps_framework
				    *const *fws, size_t nfw)
{
	struct lps_doc *doc = NULL;
	struct lps_error *err = lps_doc_new(&doc, "report");
	size_t covered = 0, total = 0;
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
			struct entry *e = entry_of(c, fw, k);
			struct lps_node *s = lps_doc_new_map(doc);
			struct lps_node *g = lps_doc_new_seq(doc);
			struct lps_node *ev = lps_doc_new_seq(doc);
			if (!e || !s || !g || !ev) {
				bad = 1;
				break;
			}
			for (size_t i = 0; i < e->goals.n && !bad; i++)
				bad |= lps_seq_append(doc, g,
					lps_doc_new_string(doc, e->goals.v[i]));
			for (size_t i = 0; i < e->evidence.n && !bad; i++)
				bad |= lps_seq_append(doc, ev,
					lps_doc_new_string(doc,
							   e->evidence.v[i]));
			total++;
			covered += e->evidence.n > 0;
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
						e->evidence.n > 0)) ||
			       lps_seq_append(doc, stds, s);
		}
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
			struct entry *e = entry_of(c, fw, k);
			char n[24];
			if (!e) {
				bad = 1;
				break;
			}
			snprintf(n, sizeof(n), "%zu", e->evidence.n);
			covered += e->evidence.n > 0;
			bad |= join(&goals, &e->goals, csv ? " " : ", ");
			bad |= join(&evs, &e->evidence, " ");
			if (csv) {
				const char *cells[] = {
					fw->name, st->code, st->title,
					goals.data, n, evs.data, e->rating,
					e->evidence.n ? "yes" : "no",
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
				e->evidence.n ? NULL : "no evidence",
			};
			bad |= lps_report_table_row_class(tab, cells,
				e->evidence.n ? NULL : "none");
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
	for (size_t i = 0; i < nfw; i++)
		c.ne += fws[i]->nstandards;
	c.e = calloc(c.ne ? c.ne : 1, sizeof(*c.e));
	c.ratings = calloc(c.ne ? c.ne : 1, sizeof(*c.ratings));
	if (!c.e || !c.ratings) {
		err = lps_error_nomem();
		goto out;
	}
	size_t at = 0;
	for (size_t i = 0; i < nfw; i++)
		for (size_t k = 0; k < fws[i]->nstandards; k++, at++) {
			snprintf(c.e[at].ref, sizeof(c.e[at].ref), "%s.%s",
				 fws[i]->name, fws[i]->standards[k].code);
			c.e[at].std = &fws[i]->standards[k];
			c.e[at].seen = (size_t)-1;
		}
	if (c.ne > 1)
		qsort(c.e, c.ne, sizeof(*c.e), cmp_entry);

	err = stream(&c, "goals", on_goal);
	if (!err) {
		if (c.ng > 1)
			qsort(c.g, c.ng, sizeof(*c.g), cmp_goal);
		err = stream(&c, "evidence", on_evidence);
	}
	if (!err && c.cycle) {
		struct lps_buf dir = LPS_BUF_INIT;
		if (lps_buf_addf(&dir, "assessments/%s", c.cycle))
			err = lps_error_nomem();
		else
			err = stream(&c, dir.data, on_assessment);
		lps_buf_free(&dir);
	}
	if (err)
		goto out;
	/* Ids in a stable order whatever the order of the documents. */
	for (size_t i = 0; i < c.ne; i++) {
		if (c.e[i].goals.n > 1)
			qsort(c.e[i].goals.v, c.e[i].goals.n,
			      sizeof(*c.e[i].goals.v), cmp_ids);
		if (c.e[i].evidence.n > 1)
			qsort(c.e[i].evidence.v, c.e[i].evidence.n,
			      sizeof(*c.e[i].evidence.v), cmp_ids);
	}
	if (r->opts->format == LPS_REPORT_JSON)
		err = write_json(&c, fws, nfw);
	else if (write_people(&c, fws, nfw))
		err = lps_error_nomem();
out:
	for (size_t i = 0; c.e && i < c.ne; i++) {
		free(c.e[i].goals.v);
		free(c.e[i].evidence.v);
	}
	for (size_t i = 0; i < c.ng; i++)
		free(c.g[i].entries);
	free(c.g);
	free(c.e);
	free(c.ratings);
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
