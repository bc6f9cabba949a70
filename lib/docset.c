/*
 * docset.c - a folder's documents gathered and sorted by date.
 */
#include "docset.h"

#include <stdlib.h>
#include <string.h>

struct gather {
	struct lps_doc *doc;
	struct lps_node *seq;
	lps_docset_keep_fn keep;
	void *kctx;
	lps_docset_warn_fn warn;
	void *wctx;
	int nomem;
};

static int each(void *ctx, const char *path, const struct lps_doc *doc,
		const struct lps_error *problem)
{
	struct gather *g = ctx;
	(void)path;
	if (problem) {
		if (g->warn)
			g->warn(g->wctx, problem);
		return 0;
	}
	const struct lps_node *root = lps_doc_root(doc);
	if (g->keep && !g->keep(g->kctx, root))
		return 0;
	struct lps_node *c = lps_doc_copy(g->doc, root);
	if (!c || lps_seq_append(g->doc, g->seq, c) < 0) {
		g->nomem = 1;
		return 1;
	}
	return 0;
}

static const char *str_or_empty(const struct lps_node *n, const char *key)
{
	const char *s = lps_node_str(lps_map_get(n, key));
	return s ? s : "";
}

static int by_date(const void *a, const void *b)
{
	const struct lps_node *x = *(struct lps_node *const *)a;
	const struct lps_node *y = *(struct lps_node *const *)b;
	int c = strcmp(str_or_empty(x, "date"), str_or_empty(y, "date"));
	return c ? c : strcmp(str_or_empty(x, "id"), str_or_empty(y, "id"));
}

struct lps_error *lps_docset_collect(struct lps_doc **out,
				     struct lps_portfolio *p, const char *dir,
				     lps_docset_keep_fn keep, void *kctx,
				     lps_docset_warn_fn warn, void *wctx)
{
	struct gather g = { NULL, NULL, keep, kctx, warn, wctx, 0 };
	struct lps_error *err = lps_doc_new(&g.doc, dir);
	if (err)
		return err;
	g.seq = lps_doc_new_seq(g.doc);
	if (!g.seq) {
		lps_doc_free(g.doc);
		return lps_error_nomem();
	}
	lps_doc_set_root(g.doc, g.seq);
	err = lps_collection_each(p, dir, each, &g);
	if (!err && g.nomem)
		err = lps_error_nomem();
	if (err) {
		lps_doc_free(g.doc);
		return err;
	}
	if (g.seq->v.seq.n > 1)
		qsort(g.seq->v.seq.items, g.seq->v.seq.n,
		      sizeof(*g.seq->v.seq.items), by_date);
	*out = g.doc;
	return NULL;
}
