/*
 * coverage.h - what covers a framework standard: the one rule that
 * `lps report coverage` and the coverage section of `lps report exhibit`
 * share, so the two can never disagree.
 *
 * For the portfolio's cycle and the report's period (--since/--until),
 * the standard FRAMEWORK.CODE has:
 *   goals     the goals of the cycle, except dropped ones, that name it in
 *             `standards`;
 *   evidence  each piece of evidence dated within the period that names
 *             it in `standards`, supports (`goals`) one of those goals, or
 *             is cited by its self-assessment of the cycle; a piece of
 *             evidence counts once however many of these hold, and an id
 *             cited by the assessment counts only if that evidence exists
 *             and is in the period;
 *   rating    the rating of its self-assessment of the cycle (the
 *             assessment's `cycle`), or none;
 * and it is covered when it has at least one piece of evidence.
 *
 * Use: lps_coverage_new() for the standards of some frameworks, then feed
 * every goal, then every assessment, then every piece of evidence (each
 * piece is judged when it is fed, against what came before), then
 * lps_coverage_finish() and read the entries.  Documents the rule does
 * not count (another cycle, a dropped goal, evidence outside the period)
 * may be fed: they are ignored.  Only ids are kept, per standard.
 *
 * Depends on doc, framework, report (for the period); never prints.
 */
#ifndef LPS_COVERAGE_H
#define LPS_COVERAGE_H

#include <stddef.h>
#include "doc.h"
#include "error.h"
#include "framework.h"
#include "portfolio.h"
#include "report.h"

/* Longest "FRAMEWORK.CODE" kept (names and codes are at most 32). */
#define LPS_COVERAGE_REF_MAX 80

struct lps_coverage_entry {
	char ref[LPS_COVERAGE_REF_MAX];        /* "issl.1a" */
	const struct lps_framework *framework; /* borrowed from the caller */
	const struct lps_standard *standard;
	char (*goals)[LPS_ID_LEN + 1];         /* ids, sorted after finish */
	size_t ngoals;
	char (*evidence)[LPS_ID_LEN + 1];      /* ids, sorted after finish */
	size_t nevidence;
	const char *rating;                    /* or NULL */
};

struct lps_coverage;

/*
 * A rule for the standards of fws[0..nfw) (borrowed: they must outlive
 * the result), for cycle (borrowed, may be NULL: then no goal or
 * assessment counts) and the period of opts (borrowed).  Free with
 * lps_coverage_free().  Errors: out of memory.
 */
struct lps_error *lps_coverage_new(struct lps_coverage **out,
				   const struct lps_framework *const *fws,
				   size_t nfw, const char *cycle,
				   const struct lps_report_opts *opts);
void lps_coverage_free(struct lps_coverage *c);

/*
 * Feed a goal, an assessment or a piece of evidence (the root mapping
 * of a valid document; borrowed, need not outlive the call).  Goals and
 * assessments must all come before the first piece of evidence: one fed
 * later is not counted and the call returns 1.  0 on success, -1 when
 * out of memory.
 */
int lps_coverage_goal(struct lps_coverage *c, const struct lps_node *goal);
int lps_coverage_assessment(struct lps_coverage *c,
			    const struct lps_node *assessment);
int lps_coverage_evidence(struct lps_coverage *c,
			  const struct lps_node *evidence);

/* Sort each entry's ids, so the result does not depend on the order
 * documents were fed in.  Call once, after the last document. */
void lps_coverage_finish(struct lps_coverage *c);

/* Number of entries (every standard of every framework given) and the
 * i-th, in the order of fws and of each framework's standards. */
size_t lps_coverage_count(const struct lps_coverage *c);
const struct lps_coverage_entry *lps_coverage_at(const struct lps_coverage *c,
						 size_t i);

#endif
