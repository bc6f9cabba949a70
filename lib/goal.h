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

/* A progress fraction as a whole percentage, rounded half away from
 * zero (0.505 -> 51); never "-0". */
long lps_goal_percent(double fraction);

/*
 * Parse a number as a user types it: optional sign, digits, optional
 * fraction, optional exponent ("54", "-3.5", "1e3"); no hex, inf, nan
 * or surrounding space.  Returns 1 and sets *v, or 0.
 */
int lps_goal_parse_number(const char *s, double *v);

/* A number node for v: an integer node when v is a whole number that
 * fits exactly, else a float node.  NULL when out of memory. */
struct lps_node *lps_goal_number_node(struct lps_doc *doc, double v);

/* A number node's value (INT or FLOAT): 1 and *v, else 0. */
int lps_goal_node_number(const struct lps_node *n, double *v);

/*
 * 1 when the indicator's baseline and target are numbers and equal: its
 * progress is undefined, so it counts for no gate, lps check reports it
 * (LPS_GOAL_FLAT_FMT with its index) and no command writes one.
 */
int lps_goal_indicator_flat(const struct lps_node *indicator);
#define LPS_GOAL_FLAT_FMT "indicators[%zu].target: must differ from baseline"

/* An indicator to add. */
struct lps_indicator_fields {
	const char *measure;    /* required */
	double baseline, target;
	const char *unit;       /* or NULL */
	const char *due;        /* YYYY-MM-DD or NULL */
};

/*
 * Append an indicator with the next free key ("k1", "k2", ...: one more
 * than the largest in use) to goal, a map of doc.  The key is written to
 * key (at least 8 bytes).  Errors: target equal to baseline (LPS_EUSAGE
 * `--target must differ from --baseline`), 999 indicators
 * (LPS_EINVALID), out of memory.
 */
struct lps_error *lps_goal_add_indicator(struct lps_doc *doc,
					 struct lps_node *goal,
					 const struct lps_indicator_fields *f,
					 char *key);

/* A measurement to append. */
struct lps_measurement_fields {
	const char *indicator;  /* key, or NULL for the goal's only one */
	double value;
	const char *date;       /* required */
	const char *evidence;   /* "e-..." or NULL */
	const char *note;       /* or NULL */
};

/*
 * Append a measurement to an indicator of goal.  With f->indicator NULL
 * the goal must have exactly one indicator.  The key used is written to
 * key (at least 8 bytes).  Errors: no indicators (LPS_EINVALID `goal
 * g-... has no indicators; add one with: lps goal indicator add`),
 * several and none named (LPS_EUSAGE `goal g-... has several
 * indicators (k1, k2): choose one with --indicator`), an unknown key
 * (LPS_ENOTFOUND `goal g-... has no indicator "k9" (k1, k2)`), out of
 * memory.
 */
struct lps_error *lps_goal_add_measurement(
	struct lps_doc *doc, struct lps_node *goal,
	const struct lps_measurement_fields *f, char *key);

/* The action step with key ("s2"), or NULL. */
struct lps_node *lps_goal_action(const struct lps_node *goal,
				 const char *key);

/*
 * Append an open action step with the next free key ("s1", ...) to goal;
 * due and owner may be NULL.  The key is written to key (8 bytes).
 * Errors: 999 steps, out of memory.
 */
struct lps_error *lps_goal_add_action(struct lps_doc *doc,
				      struct lps_node *goal, const char *text,
				      const char *due, const char *owner,
				      char *key);

/*
 * Mark step key of goal done on date.  Errors: no such step
 * (LPS_ENOTFOUND `goal g-... has no action step "s9"`), already done
 * (LPS_EINVALID `action step s2 of g-... is already done (2026-10-01)`),
 * out of memory.
 */
struct lps_error *lps_goal_action_done(struct lps_doc *doc,
				       struct lps_node *goal, const char *key,
				       const char *date);

/* 1 when the step is open and due before today (YYYY-MM-DD). */
int lps_goal_action_overdue(const struct lps_node *action,
			    const char *today);

/*
 * Set one field of goal from `key=value` as `lps goal set` takes it:
 * title, agenda, area, status, aligns, statement, visibility, standards
 * (comma-separated; empty removes).  An empty value (or one of only
 * whitespace, textclean.h) removes an optional field (area, aligns,
 * statement, visibility, standards).  Values are
 * not checked against the schema here (the write path does that), but:
 * an unknown key (LPS_EUSAGE naming the keys), status=dropped
 * (LPS_EUSAGE: use lps goal drop), an empty required field (LPS_EUSAGE),
 * out of memory.  Setting status to something other than dropped drops
 * dropped_reason.
 */
struct lps_error *lps_goal_set(struct lps_doc *doc, struct lps_node *goal,
			       const char *key, const char *value);

/* Status dropped with reason (LPS_EUSAGE when reason is empty or only
 * whitespace). */
struct lps_error *lps_goal_drop(struct lps_doc *doc, struct lps_node *goal,
				const char *reason);

#endif
