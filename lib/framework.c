/*
 * framework.c - frameworks of standards and their reflection prompts.
 *
 * The schema checks the shape of a framework; what it cannot say (codes
 * unique across the nesting, prompt ids that match their standard, a name
 * that matches the file and no other framework) is checked here.
 */
#include "framework.h"

#include <stdlib.h>
#include <string.h>

#include "collection.h"
#include "schema.h"

/* Bounds on one framework, beyond the document limits. */
#define MAX_STANDARDS 1000
#define MAX_PROMPTS 5000

struct lps_frameworks {
	const struct lps_registry *reg;
	struct lps_framework **items;
	size_t n, cap;
	size_t nbuiltin;
};

static void framework_free(struct lps_framework *fw)
{
	if (!fw)
		return;
	free(fw->standards);
	free(fw->prompts);
	free((char *)fw->path);
	lps_doc_free(fw->doc);
	free(fw);
}

void lps_frameworks_free(struct lps_frameworks *fws)
{
	size_t i;

	if (!fws)
		return;
	for (i = 0; i < fws->n; i++)
		framework_free(fws->items[i]);
	free(fws->items);
	free(fws);
}

static const char *str_of(const struct lps_node *map, const char *key)
{
	return lps_node_str(lps_map_get(map, key));
}

static struct lps_error *at(const struct lps_framework *fw,
			    const struct lps_node *n, const char *fmt,
			    const char *a, const char *b)
{
	return lps_error_at(LPS_EINVALID, lps_doc_name(fw->doc),
			    n ? n->line : 0, n ? n->col : 0, fmt, a, b);
}

/* Count the standards and prompts of a standards list, recursively. */
static int count(const struct lps_node *list, size_t *ns, size_t *np)
{
	size_t i;

	if (!list || list->type != LPS_NODE_SEQ)
		return 0;
	for (i = 0; i < list->v.seq.n; i++) {
		const struct lps_node *s = list->v.seq.items[i];
		const struct lps_node *p = lps_map_get(s, "prompts");

		if (++*ns > MAX_STANDARDS)
			return -1;
		if (p && p->type == LPS_NODE_SEQ)
			*np += p->v.seq.n;
		if (*np > MAX_PROMPTS)
			return -1;
		if (count(lps_map_get(s, "standards"), ns, np) < 0)
			return -1;
	}
	return 0;
}

/* Does id read "NAME.CODE.<digits>"? */
static int prompt_id_fits(const char *id, const char *name, const char *code)
{
	size_t n = strlen(name), c = strlen(code);

	if (strncmp(id, name, n) || id[n] != '.' ||
	    strncmp(id + n + 1, code, c) || id[n + 1 + c] != '.')
		return 0;
	id += n + c + 2;
	if (!*id)
		return 0;
	for (; *id; id++)
		if (*id < '0' || *id > '9')
			return 0;
	return 1;
}

static struct lps_error *fill(struct lps_framework *fw,
			      const struct lps_node *list,
			      const struct lps_standard *parent,
			      unsigned depth)
{
	struct lps_error *err;
	size_t i, j, k;

	for (i = 0; i < list->v.seq.n; i++) {
		const struct lps_node *s = list->v.seq.items[i];
		const struct lps_node *prompts = lps_map_get(s, "prompts");
		const struct lps_node *sub = lps_map_get(s, "standards");
		struct lps_standard *st = &fw->standards[fw->nstandards];

		st->code = str_of(s, "code");
		st->title = str_of(s, "title");
		st->description = str_of(s, "description");
		st->parent = parent;
		st->depth = depth;
		st->framework = fw;
		st->node = s;
		for (k = 0; k < fw->nstandards; k++)
			if (strcmp(fw->standards[k].code, st->code) == 0)
				return at(fw, lps_map_get(s, "code"),
					  "standard code %s is used twice in "
					  "framework %s", st->code, fw->name);
		fw->nstandards++;
		for (j = 0; prompts && j < prompts->v.seq.n; j++) {
			const struct lps_node *p = prompts->v.seq.items[j];
			struct lps_prompt *pr = &fw->prompts[fw->nprompts];

			pr->id = str_of(p, "id");
			pr->text = str_of(p, "text");
			pr->phase = str_of(p, "phase");
			pr->standard = st;
			pr->node = p;
			if (!prompt_id_fits(pr->id, fw->name, st->code))
				return at(fw, lps_map_get(p, "id"),
					  "prompt id does not name its "
					  "standard: expected %s.%s.N",
					  fw->name, st->code);
			for (k = 0; k < fw->nprompts; k++)
				if (strcmp(fw->prompts[k].id, pr->id) == 0)
					return at(fw, lps_map_get(p, "id"),
						  "prompt id %s is used "
						  "twice%s", pr->id, "");
			fw->nprompts++;
		}
		if (sub) {
			err = fill(fw, sub, st, depth + 1);
			if (err)
				return err;
		}
	}
	return NULL;
}

/*
 * Validate doc and build a framework from it.  Takes ownership of doc.
 */
static struct lps_error *build(struct lps_framework **out,
			       const struct lps_registry *reg,
			       struct lps_doc *doc, const char *path)
{
	struct lps_error *err = NULL;
	struct lps_findings findings = LPS_FINDINGS_INIT;
	struct lps_framework *fw;
	const struct lps_node *root = lps_doc_root(doc);
	size_t ns = 0, np = 0;
	int valid;

	*out = NULL;
	fw = calloc(1, sizeof(*fw));
	if (!fw) {
		lps_doc_free(doc);
		return lps_error_nomem();
	}
	fw->doc = doc;
	err = lps_registry_validate(&valid, &findings, reg, "framework", root);
	if (err)
		goto out;
	if (!valid) {
		const struct lps_finding *f = &findings.items[0];

		err = lps_error_at(LPS_EINVALID, lps_doc_name(doc), f->line,
				   f->col, "%s%s%s", f->path,
				   f->path[0] ? ": " : "", f->message);
		goto out;
	}
	fw->name = str_of(root, "name");
	fw->title = str_of(root, "title");
	fw->description = str_of(root, "description");
	fw->source = str_of(root, "source");
	fw->version = str_of(root, "version");
	if (path) {
		const char *base = strrchr(path, '/');
		size_t n;

		base = base ? base + 1 : path;
		n = strlen(base);
		if (n < 5 || strcmp(base + n - 5, ".yaml") ||
		    strlen(fw->name) != n - 5 ||
		    strncmp(base, fw->name, n - 5)) {
			err = at(fw, lps_map_get(root, "name"),
				 "framework %s must be kept in "
				 "frameworks/%s.yaml", fw->name, fw->name);
			goto out;
		}
		fw->path = strdup(path);
		if (!fw->path) {
			err = lps_error_nomem();
			goto out;
		}
	}
	if (count(lps_map_get(root, "standards"), &ns, &np) < 0) {
		err = at(fw, lps_map_get(root, "standards"),
			 "framework %s has too many standards or prompts%s",
			 fw->name, "");
		goto out;
	}
	fw->standards = calloc(ns ? ns : 1, sizeof(*fw->standards));
	fw->prompts = calloc(np ? np : 1, sizeof(*fw->prompts));
	if (!fw->standards || !fw->prompts) {
		err = lps_error_nomem();
		goto out;
	}
	err = fill(fw, lps_map_get(root, "standards"), NULL, 0);
out:
	lps_findings_free(&findings);
	if (err) {
		framework_free(fw);
		return err;
	}
	*out = fw;
	return NULL;
}

static struct lps_error *push(struct lps_frameworks *fws,
			      struct lps_framework *fw)
{
	if (fws->n == fws->cap) {
		size_t cap = fws->cap ? fws->cap * 2 : 8;
		struct lps_framework **items;

		items = realloc(fws->items, cap * sizeof(*items));
		if (!items)
			return lps_error_nomem();
		fws->items = items;
		fws->cap = cap;
	}
	fws->items[fws->n++] = fw;
	return NULL;
}

static struct lps_error *add(struct lps_frameworks *fws, struct lps_doc *doc,
			     const char *path)
{
	struct lps_error *err;
	struct lps_framework *fw;
	size_t i;

	err = build(&fw, fws->reg, doc, path);
	if (err)
		return err;
	for (i = 0; i < fws->n; i++) {
		if (strcmp(fws->items[i]->name, fw->name))
			continue;
		err = at(fw, lps_map_get(lps_doc_root(fw->doc), "name"),
			 "framework %s already exists%s", fw->name,
			 i < fws->nbuiltin ? " (it is built in)" : "");
		framework_free(fw);
		return err;
	}
	err = push(fws, fw);
	if (err)
		framework_free(fw);
	return err;
}

struct lps_error *lps_frameworks_new(struct lps_frameworks **out,
				     const struct lps_registry *reg)
{
	struct lps_error *err = NULL;
	struct lps_frameworks *fws;
	size_t i;

	*out = NULL;
	fws = calloc(1, sizeof(*fws));
	if (!fws)
		return lps_error_nomem();
	fws->reg = reg;
	for (i = 0; i < lps_registry_framework_count(reg); i++) {
		const struct lps_registry_file *f =
			lps_registry_framework(reg, i);
		struct lps_doc *doc;

		err = lps_doc_load(&doc, f->name, f->data, f->len, NULL);
		if (!err)
			err = add(fws, doc, NULL);
		if (err) {
			err = lps_error_set_file(err, f->name);
			lps_frameworks_free(fws);
			return err;
		}
	}
	fws->nbuiltin = fws->n;
	*out = fws;
	return NULL;
}

struct lps_error *lps_frameworks_add(struct lps_frameworks *fws,
				     struct lps_doc *doc, const char *path)
{
	return add(fws, doc, path);
}

size_t lps_frameworks_count(const struct lps_frameworks *fws)
{
	return fws->n;
}

const struct lps_framework *lps_frameworks_at(const struct lps_frameworks *fws,
					      size_t i)
{
	return i < fws->n ? fws->items[i] : NULL;
}

const struct lps_framework *lps_frameworks_find(
	const struct lps_frameworks *fws, const char *name)
{
	size_t i;

	for (i = 0; i < fws->n; i++)
		if (strcmp(fws->items[i]->name, name) == 0)
			return fws->items[i];
	return NULL;
}

const struct lps_standard *lps_frameworks_standard(
	const struct lps_frameworks *fws, const char *ref)
{
	const char *dot = strchr(ref, '.');
	size_t i, j, n;

	if (!dot || dot == ref || !dot[1])
		return NULL;
	n = (size_t)(dot - ref);
	for (i = 0; i < fws->n; i++) {
		const struct lps_framework *fw = fws->items[i];

		if (strlen(fw->name) != n || strncmp(fw->name, ref, n))
			continue;
		for (j = 0; j < fw->nstandards; j++)
			if (strcmp(fw->standards[j].code, dot + 1) == 0)
				return &fw->standards[j];
		return NULL;
	}
	return NULL;
}

const struct lps_prompt *lps_frameworks_prompt(
	const struct lps_frameworks *fws, const char *id)
{
	size_t i, j;

	for (i = 0; i < fws->n; i++)
		for (j = 0; j < fws->items[i]->nprompts; j++)
			if (strcmp(fws->items[i]->prompts[j].id, id) == 0)
				return &fws->items[i]->prompts[j];
	return NULL;
}

static int fits(const struct lps_prompt *p, const char *phase)
{
	return !phase || !p->phase || strcmp(p->phase, phase) == 0;
}

struct lps_error *lps_frameworks_prompts(const struct lps_prompt ***out,
					 size_t *n,
					 const struct lps_frameworks *fws,
					 const char *phase)
{
	const struct lps_prompt **list;
	size_t i, j, k = 0;

	*out = NULL;
	*n = 0;
	for (i = 0; i < fws->n; i++)
		for (j = 0; j < fws->items[i]->nprompts; j++)
			k += fits(&fws->items[i]->prompts[j], phase);
	if (k == 0)
		return NULL;
	list = malloc(k * sizeof(*list));
	if (!list)
		return lps_error_nomem();
	k = 0;
	for (i = 0; i < fws->n; i++)
		for (j = 0; j < fws->items[i]->nprompts; j++)
			if (fits(&fws->items[i]->prompts[j], phase))
				list[k++] = &fws->items[i]->prompts[j];
	*out = list;
	*n = k;
	return NULL;
}

/* Adding the portfolio's frameworks while streaming frameworks/. */
struct load_ctx {
	struct lps_frameworks *fws;
	struct lps_error *err;
};

static int load_one(void *ctx, const char *path, const struct lps_doc *doc,
		    const struct lps_error *problem)
{
	struct load_ctx *l = ctx;
	struct lps_doc *copy = NULL;
	struct lps_node *root;
	struct lps_error *e;

	if (problem || !doc)
		return 0;
	/* The stream frees doc after the call; the set keeps its own. */
	if ((l->err = lps_doc_new(&copy, path)))
		return 1;
	if (!(root = lps_doc_copy(copy, lps_doc_root(doc)))) {
		lps_doc_free(copy);
		l->err = lps_error_nomem();
		return 1;
	}
	lps_doc_set_root(copy, root);
	e = lps_frameworks_add(l->fws, copy, path);
	if (e && (e->code == LPS_ENOMEM || e->code == LPS_ESYS)) {
		l->err = e;
		return 1;
	}
	lps_error_free(e);
	return 0;
}

struct lps_error *lps_frameworks_load(struct lps_frameworks **out,
				      struct lps_portfolio *p)
{
	const struct lps_registry *reg = NULL;
	struct load_ctx l = { NULL, NULL };
	struct lps_error *err = lps_registry_get(&reg);

	*out = NULL;
	if (!err)
		err = lps_frameworks_new(&l.fws, reg);
	if (!err && p)
		err = lps_collection_each(p, "frameworks", load_one, &l);
	if (!err)
		err = l.err;
	else
		lps_error_free(l.err);
	if (err) {
		lps_frameworks_free(l.fws);
		return err;
	}
	*out = l.fws;
	return NULL;
}
