/*
 * peer.c - feedback between roundtable members (see peer.h).
 */
#include <stdlib.h>
#include <string.h>

#include "peer.h"
#include "portfolio.h"
#include "registry.h"
#include "remote.h"

/* ---- resolving an item of another member ---- */

struct ids {
	char **v;
	size_t n, cap;
	const char *dir;   /* "goals/" ... */
};

/* Collect "<dir><id>.yaml" file ids (not attachments under folders). */
static int collect_id(void *vctx, const char *path, const char *data,
		      size_t len)
{
	struct ids *ids = vctx;
	size_t d = strlen(ids->dir), n = strlen(path);
	(void)data;
	(void)len;
	if (n != d + LPS_ID_LEN + 5 || strncmp(path, ids->dir, d) != 0 ||
	    strcmp(path + n - 5, ".yaml") != 0)
		return 0;
	char id[LPS_ID_LEN + 1];
	memcpy(id, path + d, LPS_ID_LEN);
	id[LPS_ID_LEN] = '\0';
	if (!lps_portfolio_id_valid(id, 0))
		return 0;
	if (ids->n == ids->cap) {
		size_t cap = ids->cap ? 2 * ids->cap : 32;
		char **v = realloc(ids->v, cap * sizeof(*v));
		if (!v)
			return -1;
		ids->v = v;
		ids->cap = cap;
	}
	if (!(ids->v[ids->n] = strdup(id)))
		return -1;
	ids->n++;
	return 0;
}

struct lps_error *lps_peer_resolve_on(char *id, struct lps_store *store,
				      const char *handle, const char *typed)
{
	static const struct { char letter; const char *dir; } kinds[] = {
		{ 'g', "goals/" }, { 'e', "evidence/" },
		{ 'r', "reflections/" },
	};
	struct ids ids = { NULL, 0, 0, NULL };
	struct lps_error *err = NULL;
	char letter = 0;
	git_oid tip;

	if (typed[0] && typed[1] == '-') {
		letter = typed[0];
		if (letter != 'g' && letter != 'e' && letter != 'r')
			return lps_error_new(LPS_EUSAGE, "--on: \"%s\" is not "
					     "a goal, evidence or reflection "
					     "id", typed);
	}
	err = lps_remote_member_tip(&tip, store, handle);
	for (size_t k = 0; k < 3 && !err; k++) {
		if (letter && kinds[k].letter != letter)
			continue;
		ids.dir = kinds[k].dir;
		char dir[16];
		strcpy(dir, kinds[k].dir);
		dir[strlen(dir) - 1] = '\0';
		err = lps_remote_member_each(store, handle, dir, collect_id,
					     &ids);
		if (err && err->code == LPS_EINVALID) { /* stopped: ENOMEM */
			lps_error_free(err);
			err = lps_error_nomem();
		}
	}
	const char *match = NULL;
	if (!err)
		err = lps_portfolio_resolve_id(&match,
					       (const char *const *)ids.v,
					       ids.n, letter, typed);
	if (err && err->code == LPS_ENOTFOUND && ids.dir) {
		lps_error_free(err);
		err = lps_error_new(LPS_ENOTFOUND, "%s has no goal, evidence "
				    "or reflection matching \"%s\"", handle,
				    typed);
	}
	if (!err)
		memcpy(id, match, LPS_ID_LEN + 1);
	for (size_t i = 0; i < ids.n; i++)
		free(ids.v[i]);
	free(ids.v);
	return err;
}

/* ---- gathering what was received ---- */

struct gather {
	struct lps_doc *out;
	struct lps_node *seq;
	struct lps_store *store;
	const struct lps_registry *reg;
	const char *me;
	const char *member;   /* the member being read */
	size_t count;
	lps_peer_warn_fn warn;
	void *wctx;
	struct lps_error *err;
};

static int one_feedback(void *vctx, const char *path, const char *data,
			size_t len)
{
	struct gather *g = vctx;
	struct lps_doc *doc = NULL;
	struct lps_findings fs = LPS_FINDINGS_INIT;
	struct lps_error *problem;
	int valid = 0;

	/* Only feedback/<name>.yaml: the schema's place. */
	if (!lps_registry_schema_for_path(path) ||
	    strncmp(path, "feedback/", 9) != 0)
		return 0;
	if (++g->count > LPS_PEER_MAX_PER_MEMBER)
		return 0;
	problem = lps_doc_load(&doc, path, data, len, NULL);
	if (!problem)
		problem = lps_registry_validate(&valid, &fs, g->reg,
						"feedback", lps_doc_root(doc));
	if (!problem && !valid) {
		const struct lps_finding *x = &fs.items[0];
		problem = lps_error_at(LPS_EINVALID, path, x->line, x->col,
				       "%s%s%s", x->path, *x->path ? ": " : "",
				       x->message);
	}
	if (problem) {
		if (problem->code == LPS_ENOMEM || problem->code == LPS_ESYS) {
			g->err = problem;
			problem = NULL;
		} else if (g->warn) {
			g->warn(g->wctx, g->member, problem);
		}
		goto out;
	}
	const struct lps_node *root = lps_doc_root(doc);
	const char *to = lps_node_str(lps_map_get(root, "to"));
	if (!to || strcmp(to, g->me) != 0)
		goto out;
	struct lps_node *copy = lps_doc_copy(g->out, root);
	struct lps_node *who = lps_doc_new_string(g->out, g->member);
	if (!copy || !who || lps_map_set(g->out, copy, "member", who) < 0 ||
	    lps_seq_append(g->out, g->seq, copy) < 0)
		g->err = lps_error_nomem();
out:
	lps_error_free(problem);
	lps_findings_free(&fs);
	lps_doc_free(doc);
	return g->err ? 1 : 0;
}

static int each_member(void *vctx, const char *handle, const git_oid *tip)
{
	struct gather *g = vctx;
	(void)tip;
	g->member = handle;
	g->count = 0;
	struct lps_error *err = lps_remote_member_each(g->store, handle,
						       "feedback",
						       one_feedback, g);
	if (g->err) {
		lps_error_free(err);
		return 1;
	}
	if (err) {
		g->err = err;
		return 1;
	}
	return 0;
}

static const char *key(const struct lps_node *n, const char *k)
{
	const char *s = lps_node_str(lps_map_get(n, k));
	return s ? s : "";
}

static int cmp_received(const void *a, const void *b)
{
	const struct lps_node *x = *(const struct lps_node *const *)a;
	const struct lps_node *y = *(const struct lps_node *const *)b;
	int c = strcmp(key(x, "date"), key(y, "date"));
	if (!c)
		c = strcmp(key(x, "member"), key(y, "member"));
	if (!c)
		c = strcmp(key(x, "id"), key(y, "id"));
	return c;
}

struct lps_error *lps_peer_received(struct lps_doc **out,
				    struct lps_store *store,
				    const char *handle,
				    lps_peer_warn_fn warn, void *wctx)
{
	struct gather g;
	struct lps_error *err;

	memset(&g, 0, sizeof(g));
	*out = NULL;
	g.store = store;
	g.me = handle;
	g.warn = warn;
	g.wctx = wctx;
	err = lps_registry_get(&g.reg);
	if (!err)
		err = lps_doc_new(&g.out, "received feedback");
	if (err)
		return err;
	g.seq = lps_doc_new_seq(g.out);
	if (!g.seq) {
		lps_doc_free(g.out);
		return lps_error_nomem();
	}
	lps_doc_set_root(g.out, g.seq);
	err = lps_remote_each_member(store, each_member, &g);
	if (g.err) {
		lps_error_free(err);
		err = g.err;
	}
	if (err) {
		lps_doc_free(g.out);
		return err;
	}
	if (g.seq->v.seq.n > 1)
		qsort(g.seq->v.seq.items, g.seq->v.seq.n,
		      sizeof(*g.seq->v.seq.items), cmp_received);
	*out = g.out;
	return NULL;
}
