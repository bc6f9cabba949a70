/*
 * reflection.c - prompts, the editor template and new reflections.
 */
#include "reflection.h"

#include <stdio.h>
#include <string.h>

#include "registry.h"
#include "textclean.h"
#include "utf8.h"

/* Wrap width of the template's comment lines, as git's 72 columns. */
#define TEMPLATE_WIDTH 72

/* Kept for its callers; frameworks are loaded in one place only. */
struct lps_error *lps_reflection_frameworks(struct lps_frameworks **out,
					    struct lps_portfolio *p)
{
	return lps_frameworks_load(out, p);
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
