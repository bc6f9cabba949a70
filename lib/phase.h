/*
 * phase.h - the five phases of a cycle and the gates between them
 * (DESIGN section 5): what is missing before the portfolio may move on,
 * computed from the documents as of HEAD, and the phase change itself
 * (one commit, which may start the next cycle and carry goals into it).
 *
 * Terms, as the gates use them:
 * - a goal of the cycle: a goal whose `cycle` is lps.yaml's cycle (goals
 *   of earlier cycles never count);
 * - an active goal: a goal of the cycle whose status is active or
 *   proposed (a proposed goal is still being worked on, so it must meet
 *   the same bar: leaving a goal "proposed" does not dodge a gate);
 * - a final status: met, partially-met, not-met or dropped;
 * - an outcomes reflection: a reflection whose phase is outcomes and
 *   whose cycle is the current one (a reflection without a cycle counts:
 *   it cannot be placed in another cycle).
 *
 * The gate is an accumulator fed one document at a time, so a caller that
 * streams the portfolio for its own reasons (lps status) computes the gate
 * in the same pass; lps_phase_missing() does the streaming itself.
 */
#ifndef LPS_PHASE_H
#define LPS_PHASE_H

#include <stddef.h>
#include "doc.h"
#include "error.h"
#include "portfolio.h"

#define LPS_PHASE_COUNT 5

/* 0..4 for purpose, focus, structures, action, outcomes; -1 otherwise. */
int lps_phase_index(const char *name);
/* The name of phase i (0..4), or NULL. */
const char *lps_phase_name(int i);
/* The phase after name (outcomes is followed by purpose), or NULL. */
const char *lps_phase_next(const char *name);

/* One thing missing for the next phase. */
struct lps_gap {
	char *goal;  /* the goal id it is about, or NULL */
	char *text;  /* the line shown: `g-3f9a1c07 "Raise reading": no ...` */
};

/* A list of gaps; owns its strings.  Free with lps_gaps_free(). */
struct lps_gaps {
	struct lps_gap *items;
	size_t n, cap;
};
#define LPS_GAPS_INIT { NULL, 0, 0 }
void lps_gaps_free(struct lps_gaps *gaps);

/* What a gate needs to be fed besides lps.yaml (lps_gate_needs). */
enum {
	LPS_GATE_GOALS = 1,
	LPS_GATE_EVIDENCE = 2,
	LPS_GATE_REFLECTIONS = 4,
};

struct lps_gate;

/*
 * Start the gate that leads out of the phase of meta (the root of
 * lps.yaml; borrowed for the life of the gate).  A phase or cycle that is
 * missing or unknown: LPS_EINVALID naming lps.yaml.  Free with
 * lps_gate_free().
 */
struct lps_error *lps_gate_new(struct lps_gate **out,
			       const struct lps_node *meta);
void lps_gate_free(struct lps_gate *gate);

/* The phase the gate leads from and to (static strings); the cycle. */
const char *lps_gate_from(const struct lps_gate *gate);
const char *lps_gate_to(const struct lps_gate *gate);
const char *lps_gate_cycle(const struct lps_gate *gate);
/* LPS_GATE_* flags: the folders this gate reads. */
unsigned lps_gate_needs(const struct lps_gate *gate);

/*
 * Feed the gate one goal, evidence or reflection document (the root of a
 * valid document; only read during the call).  Documents the gate does
 * not need are ignored.  Goals may come in any order; evidence may come
 * before or after the goals it names.  Errors: out of memory.
 */
struct lps_error *lps_gate_goal(struct lps_gate *gate,
				const struct lps_node *goal);
struct lps_error *lps_gate_evidence(struct lps_gate *gate,
				    const struct lps_node *evidence);
struct lps_error *lps_gate_reflection(struct lps_gate *gate,
				      const struct lps_node *reflection);

/*
 * Append what is missing to *out, in this order: the portfolio's own
 * items (purpose, structures, "no active goal"), then per goal in id
 * order, then "no outcomes reflection".  Nothing appended: the gate
 * holds.  The texts:
 *   purpose -> focus       `no purpose function chosen`
 *                          `no purpose statement written`
 *   focus -> structures    `no active goal in cycle C`
 *                          `ID "TITLE": no indicator with baseline and target`
 *                          (`... no indicator whose target differs from its
 *                          baseline` when it has only such indicators)
 *                          `ID "TITLE": no standard or district-goal alignment`
 *   structures -> action   `no partner or roundtable named`
 *   action -> outcomes     `ID "TITLE": no action step`
 *                          `ID "TITLE": no evidence`
 *   outcomes -> purpose    `ID "TITLE": no final status (it is S)`
 *                          `no outcomes reflection in cycle C`
 * Control characters of titles are shown as spaces.  Errors: out of
 * memory.
 */
struct lps_error *lps_gate_result(const struct lps_gate *gate,
				  struct lps_gaps *out);

/*
 * The whole gate of p as of HEAD: streams the folders it needs.  Errors:
 * those of lps_gate_new and of reading the repository.  Documents that do
 * not validate are skipped here (lps check reports them).
 */
struct lps_error *lps_phase_missing(struct lps_portfolio *p,
				    struct lps_gaps *out, char *from,
				    char *to);

/*
 * The cycle after `cycle`: "2026-2027" -> "2027-2028" (a school year
 * YYYY-YYYY whose years follow each other).  Writes LPS_CYCLE_MAX bytes to
 * out.  Any other name: LPS_EUSAGE asking for --cycle.
 */
struct lps_error *lps_phase_next_cycle(char *out, const char *cycle);

/*
 * Build the goal that carries `old` (the root of a goal document) into the
 * next cycle: a new document "goals/<id>.yaml" with id, cycle, created
 * (YYYY-MM-DD), status active and carried_from = old's id; title, agenda,
 * area, standards, aligns, statement and visibility as in old; each
 * indicator with its id, measure, target and unit, its baseline set to
 * its latest measurement (the new cycle starts where the old one ended;
 * the old baseline when it has none), without measurements or due date;
 * an indicator whose new baseline is its target (reached) is left out.
 * Action steps, dropped_reason and the old status are not carried.
 * *out is freed by the caller with lps_doc_free().  Errors: out of memory,
 * a goal without id/title/agenda (LPS_EINVALID).
 */
struct lps_error *lps_phase_carry(struct lps_doc **out,
				  const struct lps_node *old, const char *id,
				  const char *cycle, const char *created);

/* What lps phase advance was asked to do. */
struct lps_advance_opts {
	const char *reason;        /* non-NULL: --force --reason TEXT */
	const char *cycle;         /* --cycle (outcomes -> purpose only) */
	const char *const *carry;  /* --carry ID..., as typed */
	size_t ncarry;
};

/* What lps phase advance did (or would have needed). */
struct lps_advance {
	char from[16], to[16];
	char cycle[LPS_CYCLE_MAX];  /* the new cycle, or "" if unchanged */
	int forced;                 /* a gate was overridden */
	struct lps_gaps missing;    /* what was missing (also when forced) */
	/* carried goals: old and new id, title (malloc'd strings) */
	struct lps_carried {
		char old[LPS_ID_LEN + 1], id[LPS_ID_LEN + 1];
		char *title;
	} *carried;
	size_t ncarried;
	git_oid commit;
};
void lps_advance_free(struct lps_advance *a);

/*
 * Move p to its next phase as one commit "phase: A -> B" with trailers
 * LPS-Command: phase advance, LPS-Phase: B, LPS-Phase-From: A,
 * LPS-Phase-To: B and, when the gate was not met and opts->reason is
 * given, LPS-Forced: <reason>.  From outcomes it starts the next cycle
 * (opts->cycle, default lps_phase_next_cycle) and writes the carried
 * goals in the same commit.  Errors (nothing written): the gate is not
 * met and no reason given: LPS_EINVALID "gate A -> B not met" with
 * out->missing filled; a reason of only whitespace (textclean.h):
 * LPS_EUSAGE; --cycle or --carry outside outcomes: LPS_EUSAGE;
 * a new cycle equal to the current one: LPS_EUSAGE; a carried goal that
 * is unknown or ambiguous (as lps_collection_find), of another cycle or
 * met: LPS_EINVALID; the store's refusals.  out is filled as far as
 * known; free it with lps_advance_free() in any case.
 */
struct lps_error *lps_phase_advance(struct lps_portfolio *p,
				    const struct lps_advance_opts *opts,
				    struct lps_advance *out);

#endif
