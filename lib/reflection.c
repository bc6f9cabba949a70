/*
 * reflection.c - prompts, the editor template and new reflections.
 */
#include "reflection.h"

#include <stdio.h>
#include <string.h>

#include "collection.h"
#include "registry.h"
#include "textclean.h"
#include "utf8.h"

/* Wrap width of the template's comment lines, as git's 72 columns. */
#define TEMPLATE_WIDTH 72

struct add_ctx {
	struct lps_frameworks *fws;
	struct lps_error *err;
};

static int add_one(void *ctx, const char *path, const struct lps_doc *doc,
		   const struct lps_error *problem)
{
	struct add_ctx *a = ctx;
	struct lps_doc *copy = NULL;
	if (problem)
		return 0;
	if ((a->err = lps_doc_new(&copy, path)))
		return 1;
	struct lps_node *root = lps_doc_copy(copy, lps_doc_root(doc));
	if (!root) {
		lps_doc_free(copy);
		a->err = lps_error_nomem();
		return 1;
	}
	lps_doc_set_root(copy, root);
	/* the set owns copy now, also when it refuses it */
	struct lps_error *e = lps_frameworks_add(a->fws, copy, path);
	if (e && (e->code == LPS_ENOMEM || e->code == LPS_ESYS)) {
		a->err = e;
		return 1;
	}
	lps_error_free(e);
	return 0;
}

struct lps_error *lps_reflection_frameworks(struct lps_frameworks **out,
					    struct lps_portfolio *p)
{
	const struct lps_registry *reg = NULL;
	struct add_ctx a = { NULL, NULL };
	struct lps_error *err = lps_registry_get(&reg);
	if (!err)
		err = lps_frameworks_new(&a.fws, reg);
	if (!err && p)
		err = lps_collection_each(p, "frameworks", add_one, &a);
	if (!err)
		err = a.err;
	if (err) {
		lps_frameworks_free(a.fws);
		return err;
	}
	*out = a.fws;
	return NULL;
}

struct lps_error *lps_reflection_template(struct lps_buf *out,
					  const struct lps_prompt *prompt,
					  const char *phase,
					  const char *const *goals,
					  size_t ngoals)
{
	struct lps_buf line = LPS_BUF_INIT;
	int bad = lps_buf_adds(out, "\n") < 0;

	if (prompt) {
		bad = bad || lps_buf_addf(&line, "Prompt %s:", prompt->id) < 0 ||
		      lps_textclean_comment(out, line.data, TEMPLATE_WIDTH) < 0 ||
		      lps_textclean_comment(out, prompt->text,
					    TEMPLATE_WIDTH) < 0 ||
		      lps_buf_adds(out, "#\n") < 0;
	}
	lps_buf_reset(&line);
	bad = bad || lps_buf_addf(&line, "Phase: %s", phase) < 0;
	for (size_t i = 0; i < ngoals && !bad; i++)
		bad = lps_buf_addf(&line, "%s%s", i ? ", " : "; goals: ",
				   goals[i]) < 0;
	bad = bad || lps_buf_adds(&line, ".") < 0 ||
	      lps_textclean_comment(out, line.data, TEMPLATE_WIDTH) < 0 ||
	      lps_textclean_comment(out,
				    "Write your reflection above.  Lines "
				    "starting with '#' are left out; an empty "
				    "reflection aborts and nothing is written.",
				    TEMPLATE_WIDTH) < 0;
	lps_buf_free(&line);
	return bad ? lps_error_nomem() : NULL;
}

struct lps_error *lps_reflection_body(struct lps_buf *out, const char *text,
				      size_t len, int from_editor)
{
	if (lps_utf8_check(text, len) != len)
		return lps_error_new(LPS_EINVALID,
				     "the reflection is not valid UTF-8");
	if (memchr(text, '\0', len))
		return lps_error_new(LPS_EINVALID,
				     "the reflection holds a NUL byte");
	struct lps_error *err = lps_textclean_tidy(out, text, len, from_editor);
	if (err)
		return err;
	if (!out->len)
		return lps_error_new(LPS_EINVALID, "aborted: empty reflection");
	size_t n = lps_utf8_count(out->data, out->len);
	if (n > LPS_REFLECTION_BODY_MAX)
		return lps_error_new(LPS_EINVALID,
				     "the reflection is too long: %zu "
				     "characters (at most %d)", n,
				     LPS_REFLECTION_BODY_MAX);
	return NULL;
}

static int set_str(struct lps_doc *doc, struct lps_node *map, const char *key,
		   const char *value)
{
	if (!value)
		return 0;
	return lps_map_set(doc, map, key, lps_doc_new_string(doc, value));
}

struct lps_error *lps_reflection_new(struct lps_doc **out,
				     const struct lps_reflection_fields *f)
{
	char name[64];
	struct lps_doc *doc = NULL;
	snprintf(name, sizeof(name), "reflections/%s.yaml", f->id);
	struct lps_error *err = lps_doc_new(&doc, name);
	if (err)
		return err;
	struct lps_node *root = lps_doc_new_map(doc);
	int bad = !root ||
		  lps_map_set(doc, root, "lps",
			      lps_doc_new_int(doc, LPS_FORMAT_VERSION)) < 0 ||
		  set_str(doc, root, "id", f->id) < 0 ||
		  set_str(doc, root, "date", f->date) < 0 ||
		  set_str(doc, root, "cycle", f->cycle) < 0 ||
		  set_str(doc, root, "phase", f->phase) < 0 ||
		  set_str(doc, root, "prompt", f->prompt) < 0;
	if (!bad && f->ngoals) {
		struct lps_node *g = lps_doc_new_seq(doc);
		bad = !g || lps_map_set(doc, root, "goals", g) < 0;
		for (size_t i = 0; !bad && i < f->ngoals; i++)
			bad = lps_seq_append(doc, g, lps_doc_new_string(
						     doc, f->goals[i])) < 0;
	}
	bad = bad || set_str(doc, root, "body", f->body) < 0 ||
	      set_str(doc, root, "visibility", f->visibility) < 0;
	if (bad) {
		lps_doc_free(doc);
		return lps_error_nomem();
	}
	lps_doc_set_root(doc, root);
	*out = doc;
	return NULL;
}
