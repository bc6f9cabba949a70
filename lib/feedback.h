/*
 * feedback.h - feedback received (feedback/<id>.yaml): what a partner or
 * the roundtable said about the portfolio, recorded by its owner.  A
 * received document names its giver in `from` and has no `to`.
 */
#ifndef LPS_FEEDBACK_H
#define LPS_FEEDBACK_H

#include "doc.h"
#include "error.h"
#include "portfolio.h"

/* affirmation, question, suggestion; NULL-ended. */
extern const char *const lps_feedback_kinds[];

/*
 * Resolve what the user typed for --on to the id of an existing goal,
 * evidence or reflection, into id (LPS_ID_LEN + 1 bytes).  "g-…", "e-…"
 * and "r-…" look only in their folder; a bare hex prefix is tried in all
 * three.  None: LPS_ENOTFOUND `nothing matches "x" (goals, evidence,
 * reflections)`; more than one document (in one folder or across them):
 * LPS_EINVALID `ambiguous id "3f": e-3f…, g-3f…`; another type letter or
 * a malformed prefix: LPS_EUSAGE.
 */
struct lps_error *lps_feedback_resolve_on(struct lps_portfolio *p,
					  const char *typed, char *id);

/* Fields of received feedback; on may be NULL. */
struct lps_feedback_fields {
	const char *id, *date, *from, *kind, *on, *body;
};

/*
 * Build the document into a new doc named "feedback/<id>.yaml" (caller
 * frees).  Validation is the write path's.  Errors: out of memory.
 */
struct lps_error *lps_feedback_new(struct lps_doc **out,
				   const struct lps_feedback_fields *f);

#endif
