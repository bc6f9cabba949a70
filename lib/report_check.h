/*
 * report_check.h - `lps check` output for CI: JUnit XML (one test case
 * per document, a <failure> per finding) and GitHub workflow annotations
 * (`::error file=F,line=L,col=C::message`).
 *
 * Depends on check, store and registry; never prints.
 */
#ifndef LPS_REPORT_CHECK_H
#define LPS_REPORT_CHECK_H

#include <stddef.h>
#include "buf.h"
#include "check.h"
#include "error.h"
#include "store.h"

/*
 * The paths of every document (every file lps keeps a schema for:
 * lps.yaml, goals/X.yaml, ...) of the working tree of store (rev NULL)
 * or of the commit rev, sorted.  Only names are read, never contents.
 * *out is a malloc'd array of *n malloc'd strings; free it with
 * lps_report_check_free_paths.  Errors: unknown rev (LPS_ENOTFOUND),
 * I/O and libgit2 (LPS_ESYS), memory.
 */
struct lps_error *lps_report_check_documents(char ***out, size_t *n,
					     struct lps_store *store,
					     const char *rev);
void lps_report_check_free_paths(char **paths, size_t n);

/*
 * Append the JUnit XML of a check to out: one <testsuite name="lps
 * check"> with one <testcase> for each of docs[0..ndocs) and for every
 * other path a finding names, in path order; each finding a <failure>
 * whose message is "line:col: message" and whose type is the finding's
 * keyword.  All text XML-escaped.  NULL or LPS_ENOMEM.
 */
struct lps_error *lps_report_check_junit(struct lps_buf *out,
					 const struct lps_check_result *r,
					 char *const *docs, size_t ndocs);

/*
 * Append one GitHub workflow command per finding to out:
 * `::error file=PATH,line=L,col=C::MESSAGE` (line and col left out
 * when unknown), with % CR LF escaped as %25 %0D %0A everywhere and
 * also : and , (%3A %2C) in the property values, as GitHub documents.
 * NULL or LPS_ENOMEM.
 */
struct lps_error *lps_report_check_github(struct lps_buf *out,
					  const struct lps_check_result *r);

#endif
