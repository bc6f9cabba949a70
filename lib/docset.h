/*
 * docset.h - the documents of one folder (reflections/, feedback/) as of
 * HEAD, filtered and gathered into one tree sorted by date, for the list
 * commands: they print small summaries in text and the documents as
 * stored in JSON, in the same order.
 */
#ifndef LPS_DOCSET_H
#define LPS_DOCSET_H

#include "collection.h"
#include "doc.h"
#include "error.h"

/* 1 to keep the document root (a valid document), 0 to leave it out. */
typedef int (*lps_docset_keep_fn)(void *ctx, const struct lps_node *root);
/* Told about a document that does not load or validate (left out). */
typedef void (*lps_docset_warn_fn)(void *ctx, const struct lps_error *problem);

/*
 * Gather copies of the documents dir/<name>.yaml of p as of HEAD that
 * keep accepts (keep NULL: all) into a new document *out whose root is a
 * sequence, sorted by their `date` then `id` (oldest first).  Documents
 * that do not load or validate go to warn (may be NULL) and are left
 * out.  The caller frees *out with lps_doc_free().  Errors: reading the
 * repository, out of memory.
 */
struct lps_error *lps_docset_collect(struct lps_doc **out,
				     struct lps_portfolio *p, const char *dir,
				     lps_docset_keep_fn keep, void *kctx,
				     lps_docset_warn_fn warn, void *wctx);

#endif
