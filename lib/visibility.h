/*
 * visibility.h - `lps <thing> set ID visibility=VALUE` for the documents
 * whose commands have no general `set`: evidence, reflections, feedback
 * and self-assessments.
 * Visibility decides what `lps push` publishes (remote.h): evidence and
 * feedback are shared unless `private`; reflections are private unless
 * `roundtable`.
 */
#ifndef LPS_VISIBILITY_H
#define LPS_VISIBILITY_H

#include "error.h"
#include "portfolio.h"

/*
 * The values visibility takes for documents of type letter ('r':
 * "private", "roundtable"; others: "shared", "private"), NULL-terminated.
 */
const char *const *lps_visibility_values(char letter);

/*
 * Set visibility on the document of type letter ('e', 'r' or 'f') that
 * `typed` (an id or unique prefix) names, from `assign` ("visibility=V").
 * One commit "<area>: set <id> visibility=V" with LPS-Command "<command>"
 * (e.g. "evidence set").  id receives the id (LPS_ID_LEN + 1 bytes);
 * *changed is 0 when the document already had that value (no commit).
 * Another key, or a value not allowed: LPS_EUSAGE.  Not found or
 * ambiguous: collection's errors.  Refusals: the store's.
 */
struct lps_error *lps_visibility_set(struct lps_portfolio *p, char letter,
				     const char *typed, const char *assign,
				     const char *area, const char *command,
				     char *id, int *changed);

/*
 * The same for the document at path (a self-assessment, named by its
 * standard rather than an id): label names it in the commit subject
 * ("<area>: set <label> visibility=V").  Missing or invalid document:
 * collection's errors (lps_collection_load).
 */
struct lps_error *lps_visibility_set_path(struct lps_portfolio *p,
					  char letter, const char *path,
					  const char *label,
					  const char *assign,
					  const char *area,
					  const char *command, int *changed);

#endif
