/*
 * reflection.h - reflections (reflections/<id>.yaml): the frameworks
 * whose prompts `lps reflect` offers (built in and added to the
 * portfolio), the editor template that shows a prompt, and building a new
 * reflection document.  No commits: the command writes through txn.h.
 */
#ifndef LPS_REFLECTION_H
#define LPS_REFLECTION_H

#include <stddef.h>
#include "buf.h"
#include "doc.h"
#include "error.h"
#include "framework.h"
#include "portfolio.h"

/* Longest reflection body, in code points (reflection.schema.yaml). */
#define LPS_REFLECTION_BODY_MAX 65536

/*
 * The same as lps_frameworks_load(out, p) (framework.h), which new code
 * should call directly.
 */
struct lps_error *lps_reflection_frameworks(struct lps_frameworks **out,
					    struct lps_portfolio *p);

/*
 * The text the editor starts with: an empty line to write on, then
 * comment lines ('#') with the prompt (id and text, wrapped; none when
 * prompt is NULL), the phase and goals the reflection belongs to, and
 * how to finish or abort.  Appended to out.  Errors: out of memory.
 */
struct lps_error *lps_reflection_template(struct lps_buf *out,
					  const struct lps_prompt *prompt,
					  const char *phase,
					  const char *const *goals,
					  size_t ngoals);

/*
 * Tidy a reflection's text (lps_textclean_tidy, comments stripped when
 * from_editor) into out.  Empty: LPS_EINVALID `aborted: empty
 * reflection`.  Over LPS_REFLECTION_BODY_MAX code points or not UTF-8:
 * LPS_EINVALID saying so.
 */
struct lps_error *lps_reflection_body(struct lps_buf *out, const char *text,
				      size_t len, int from_editor);

/* Fields of a new reflection; NULL/0 ones are left out. */
struct lps_reflection_fields {
	const char *id;         /* "r-…" (required) */
	const char *date;       /* required */
	const char *cycle;
	const char *phase;      /* required */
	const char *prompt;
	const char *const *goals;
	size_t ngoals;
	const char *body;       /* required */
	const char *visibility; /* private or roundtable */
};

/*
 * Build the reflection into a new document named
 * "reflections/<id>.yaml" (caller frees).  Validation is the write
 * path's.  Errors: out of memory.
 */
struct lps_error *lps_reflection_new(struct lps_doc **out,
				     const struct lps_reflection_fields *f);

#endif
