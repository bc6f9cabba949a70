/*
 * collection.h - reading a portfolio's documents as of its HEAD: one
 * document by path, every document of a folder one at a time (streaming),
 * and ids typed by the user resolved to documents.
 *
 * Commands that change the portfolio read what is committed (HEAD), which
 * is also what their change will be built on.  The working tree is read
 * elsewhere: by `lps check` (check.c, from disk) and by the reports
 * (lps_report_read_worktree: a commit of the working tree made in memory).
 * Documents are validated as they are read, so callers see only
 * documents that follow their schema.
 */
#ifndef LPS_COLLECTION_H
#define LPS_COLLECTION_H

#include "doc.h"
#include "error.h"
#include "portfolio.h"

/*
 * The folder holding documents with ids of type letter: 'g' goals,
 * 'e' evidence, 'r' reflections, 'f' feedback; NULL for others.
 */
const char *lps_collection_dir(char letter);

/*
 * Load path (e.g. "goals/g-3f9a1c07.yaml") as of HEAD into *out (caller
 * frees with lps_doc_free) and validate it against the path's schema.
 * Missing: LPS_ENOTFOUND naming path.  Invalid: LPS_EINVALID
 * `path:line:col: where: message` (the first finding).
 */
struct lps_error *lps_collection_load(struct lps_portfolio *p,
				      const char *path, struct lps_doc **out);

/*
 * Call fn for every document `dir/<name>.yaml` directly in dir (not in
 * sub-folders, so evidence attachments are never read) as of HEAD, in
 * path order, loading one at a time.  A document that does not load or
 * validate is passed with doc NULL and problem describing it (borrowed:
 * valid during the call); a valid one with problem NULL.  doc is
 * borrowed too and freed after fn returns.  fn returns 0 to go on,
 * anything else to stop (no error).  A missing dir calls nothing.
 */
typedef int (*lps_collection_each_fn)(void *ctx, const char *path,
				      const struct lps_doc *doc,
				      const struct lps_error *problem);
struct lps_error *lps_collection_each(struct lps_portfolio *p,
				      const char *dir,
				      lps_collection_each_fn fn, void *ctx);

/*
 * Resolve what the user typed ("g-3f9a1c07", "g-3f9", "3f9") to the id
 * of an existing document of type letter, written to id (LPS_ID_LEN + 1
 * bytes).  A whole id is looked up directly (cost independent of the
 * number of documents); a prefix lists the folder's file names (no
 * document is read).  Errors as lps_portfolio_resolve_id, with the
 * kind named: `no goal matches "3f9"`.
 */
struct lps_error *lps_collection_find(struct lps_portfolio *p, char letter,
				      const char *typed, char *id);

/* "goals/<id>.yaml" for id, into out (at least 64 bytes). */
void lps_collection_path(char *out, size_t size, const char *id);

#endif
