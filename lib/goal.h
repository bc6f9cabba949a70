/*
 * goal.h - the goal document (goals/<id>.yaml): building a new goal, and
 * the operations of `lps goal` and `lps action` on its tree: indicators,
 * measurements, action steps, progress.  Pure tree work over doc nodes:
 * no I/O, no commits (commands read with collection.h and write with
 * txn.h).  Every function that changes a tree allocates in the tree's
 * document and leaves the tree unchanged when it fails.
 */
#ifndef LPS_GOAL_H
#define LPS_GOAL_H

#include "doc.h"
#include "error.h"

/* Fields of a new goal; NULL/0 members are left out of the document. */
struct lps_goal_fields {
	const char *id;          /* "g-3f9a1c07" (required) */
	const char *title;       /* required */
	const char *agenda;      /* student|professional|system (required) */
	const char *area;        /* focus|communities|external|strategic|coherence */
	const char *status;      /* default "active" */
	const char *cycle;       /* required */
	const char *const *standards; /* "issl.1a"...; nstandards of them */
	size_t nstandards;
	const char *aligns;
	const char *statement;
	const char *created;     /* YYYY-MM-DD (required) */
	const char *carried_from;
};

/*
 * Build a new goal document (lps: 1 and the fields above) into a new doc
 * named name ("goals/<id>.yaml").  Validation is the write path's job.
 */
struct lps_error *lps_goal_new(struct lps_doc **out, const char *name,
			       const struct lps_goal_fields *f);

/* The indicator with key `key` ("k1"), the first when key is NULL, or
 * NULL. */
struct lps_node *lps_goal_indicator(const struct lps_node *goal,
				    const char *key);

/*
 * The latest measurement of an indicator: the one with the latest date,
 * the last listed among equal dates.  Returns 1 and sets *latest and
 * *date (pointing into the tree; either may be NULL) when there is one,
 * else 0.
 */
int lps_goal_latest(const struct lps_node *indicator, double *latest,
		    const char **date);

/*
 * Progress of an indicator: (latest - baseline) / (target - baseline) as
 * a fraction (0.5 is half way; may be negative or above 1).  Returns 1
 * and sets *progress and *latest (the value of the latest measurement by
 * date, the last listed among equal dates) when the indicator has a
 * measurement and target != baseline; 0 otherwise (*latest is still
 * set when there is a measurement but target == baseline).
 */
int lps_goal_indicator_progress(const struct lps_node *indicator,
				double *progress, double *latest);

/*
 * Mean progress of the goal's indicators that have one; returns the
 * number of indicators counted (0: no progress known).
 */
size_t lps_goal_progress(const struct lps_node *goal, double *progress);

/* 1 when the goal's status is proposed or active. */
int lps_goal_is_open(const struct lps_node *goal);

#endif
