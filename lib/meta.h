/*
 * meta.h - changing lps.yaml (the portfolio document): a writable copy of
 * it as of HEAD, the purpose, and the date check shared by the commands
 * that take --date.  Tree work only: the caller commits through txn.h.
 */
#ifndef LPS_META_H
#define LPS_META_H

#include "doc.h"
#include "error.h"
#include "portfolio.h"

/* The functions a purpose may serve (portfolio.schema.yaml), NULL-ended. */
extern const char *const lps_meta_functions[];

/*
 * A writable deep copy of p's lps.yaml as of HEAD, in a new document
 * named "lps.yaml" that the caller frees with lps_doc_free().
 * Errors: out of memory.
 */
struct lps_error *lps_meta_copy(struct lps_doc **out,
				const struct lps_portfolio *p);

/* A string field of lps.yaml's root ("phase", "cycle"), or NULL. */
const char *lps_meta_get(const struct lps_portfolio *p, const char *key);

/*
 * Set purpose.function and/or purpose.statement (NULL leaves one as it
 * is) in root, a map of doc.  Validation is the write path's job.
 * Errors: out of memory (root unchanged but for a possibly empty
 * purpose map).
 */
struct lps_error *lps_meta_set_purpose(struct lps_doc *doc,
				       struct lps_node *root,
				       const char *function,
				       const char *statement);

/* 1 when s is a real calendar date written YYYY-MM-DD, else 0. */
int lps_meta_date_valid(const char *s);

#endif
