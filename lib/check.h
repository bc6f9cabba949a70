/*
 * check.h - the whole-portfolio check behind `lps check`.
 *
 * Every document of the working tree (read from disk) or of a revision
 * (read through the store) is loaded once and validated against the
 * schema of its place (formats asserted).  While a document is in memory
 * a small summary is taken (its id, the goals, evidence and standards it
 * names, its attachment); a last pass over the summaries finds duplicate
 * ids, ids that do not match the file name, frameworks that the set of
 * frameworks refuses (framework.h: a built-in name, a code used twice),
 * references that do not resolve (standards: looked up in the built-in
 * frameworks plus the portfolio's valid ones; the `on:` of feedback
 * received, but not of feedback given to another member, whose items
 * live in that member's portfolio), goal indicators whose target is
 * their baseline (goal.h: lps_goal_indicator_flat) and attachments that are missing or whose size or git blob id
 * differs from what the evidence records.  Files inside the document
 * folders that are not documents (or attachments)
 * are findings too; hidden files (".name") are skipped, and files at the
 * top other than lps.yaml are left alone.
 *
 * Working-tree documents are loaded and validated by up to
 * LPS_CHECK_MAX_THREADS threads; findings come out in path order, then
 * line and column, whatever the number of threads.
 */
#ifndef LPS_CHECK_H
#define LPS_CHECK_H

#include <stddef.h>
#include "error.h"
#include "store.h"

#define LPS_CHECK_MAX_THREADS 8

struct lps_check_finding {
	char *path;          /* relative to the portfolio top */
	unsigned line, col;  /* 1-based, 0 when the finding has no place */
	const char *keyword; /* static: a schema keyword, or "id",
				"duplicate-id", "reference", "standard",
				"indicator", "attachment", "unknown-file",
				"syntax", "version", "missing", "framework",
				"io" (unreadable, not a regular file) */
	char *message;       /* "indicators[0].target: expected ..." */
};

struct lps_check_result {
	struct lps_check_finding *items;
	size_t n, cap;
	size_t documents;     /* documents checked */
	int has_revision;     /* 0 for the working tree */
	char revision[GIT_OID_HEXSZ + 1];
};

#define LPS_CHECK_RESULT_INIT { NULL, 0, 0, 0, 0, { 0 } }

void lps_check_result_free(struct lps_check_result *r);

/*
 * Check the portfolio of store: its working tree when rev is NULL, else
 * the commit rev names.  threads is the number of worker threads for
 * the working tree (0: one per online CPU, at most
 * LPS_CHECK_MAX_THREADS).  Findings go into *out (which must be
 * LPS_CHECK_RESULT_INIT and is freed by the caller also on error); the
 * returned error is only for what stopped the check: an unknown rev
 * (LPS_ENOTFOUND), a bare repository without rev (LPS_EUSAGE), I/O
 * (LPS_ESYS), memory.
 */
struct lps_error *lps_check_run(struct lps_check_result *out,
				struct lps_store *store, const char *rev,
				unsigned threads);

/*
 * A check of the working tree begun before the repository is open, so
 * that it goes on while libgit2 starts: lps_check_begin() lists top,
 * the folder lps_store_workdir() is expected to return (an absolute path
 * ending in '/'), and starts loading its documents on worker threads
 * (up to threads, as for lps_check_run); lps_check_finish() compiles the
 * schemas, checks what was loaded and the rest, and gives the findings
 * of lps_check_run(out, store, NULL, threads): it uses what was begun
 * when store's working tree is top; otherwise (run in a sub-folder,
 * GIT_WORK_TREE...), or when opening store finished an interrupted
 * commit there (lps_store_recovered), it gives that up and checks the
 * working tree anew.  The caller frees *out with lps_check_ahead_free(),
 * after finishing or instead (which stops the workers).  Errors: out of
 * memory; those of listing are reported by lps_check_finish().
 */
struct lps_check_ahead;

struct lps_error *lps_check_begin(struct lps_check_ahead **out,
				  const char *top, unsigned threads);
struct lps_error *lps_check_finish(struct lps_check_result *out,
				   struct lps_store *store, unsigned threads,
				   struct lps_check_ahead *ahead);
void lps_check_ahead_free(struct lps_check_ahead *ahead);

#endif
