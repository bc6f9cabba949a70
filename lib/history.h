/*
 * history.h - the lps history of a portfolio, read back from the trailers
 * that every lps commit carries (DESIGN section 4):
 *
 *	LPS-Command: init         which command made the commit
 *	LPS-Phase: purpose        the phase the portfolio was in
 *	LPS-Phase-From: focus     a phase change: the phase left ...
 *	LPS-Phase-To: structures  ... and the phase entered
 *	LPS-Forced: <reason>      the gate was overridden, and why
 *
 * Commits without an LPS-Command trailer (made with plain git) are not
 * part of the lps history and are skipped.  Trailer keys are matched
 * without regard to case, as git does; when a key repeats, the first
 * value counts.
 */
#ifndef LPS_HISTORY_H
#define LPS_HISTORY_H

#include <stddef.h>
#include <stdint.h>
#include <git2.h>
#include "buf.h"
#include "error.h"
#include "store.h"

/* One lps commit.  Every string is owned by the entry. */
struct lps_history_entry {
	git_oid commit;
	char short_id[GIT_OID_HEXSZ + 1]; /* abbreviated, unique */
	int64_t time;       /* author time, seconds since the epoch (UTC) */
	int offset;         /* the author's UTC offset, in minutes */
	char *author;       /* "Name <email>" */
	char *subject;      /* first paragraph of the message, one line */
	char *command;      /* LPS-Command (never NULL in a history) */
	char *phase;        /* LPS-Phase, or NULL */
	char *phase_from;   /* LPS-Phase-From, or NULL */
	char *phase_to;     /* LPS-Phase-To, or NULL */
	char *forced;       /* LPS-Forced, or NULL */
};

/*
 * Read the lps part of commit.  *out is a new entry the caller frees with
 * lps_history_entry_free(), or NULL when the commit carries no
 * LPS-Command trailer.  Errors: LPS_ENOMEM, LPS_ESYS (libgit2).
 */
struct lps_error *lps_history_entry_from_commit(
	struct lps_history_entry **out, git_commit *commit);

void lps_history_entry_free(struct lps_history_entry *e);

/* A phase change: both LPS-Phase-From and LPS-Phase-To are present. */
int lps_history_entry_is_phase(const struct lps_history_entry *e);

/* What lps_history_read keeps. */
struct lps_history_opts {
	int phases_only;  /* only phase changes */
	size_t max;       /* at most this many entries; 0 means all */
};

#define LPS_HISTORY_OPTS_INIT { 0, 0 }

struct lps_history {
	struct lps_history_entry **entries;  /* newest first, owned */
	size_t n;
};

/*
 * Walk the history of store from rev (any git revision; NULL means HEAD)
 * newest first and collect the lps entries that opts selects (opts may be
 * NULL: all).  An unborn HEAD gives an empty history.  *out is freed with
 * lps_history_free().  Errors: LPS_ENOTFOUND for an unknown rev, and the
 * store's errors.
 */
struct lps_error *lps_history_read(struct lps_history **out,
				   struct lps_store *store, const char *rev,
				   const struct lps_history_opts *opts);

void lps_history_free(struct lps_history *h);

/*
 * Append the history as text to out, one line per entry:
 *	<short-id> <YYYY-MM-DD> <subject>
 * or, with phases set:
 *	<short-id> <YYYY-MM-DD> <from> -> <to>[ (forced: <reason>)]
 * The date is the author's own calendar day (as `git log --date=short`).
 * Returns NULL or LPS_ENOMEM.
 */
struct lps_error *lps_history_write_text(struct lps_buf *out,
					 const struct lps_history *h,
					 int phases);

/*
 * Append the history as one line of JSON (schemas/log.schema.yaml) and a
 * newline to out:
 *	{"entries": [{"commit": "<40 hex>", "date": "2026-09-01T10:00:00Z",
 *	  "author": "Name <email>", "subject": "...", "command": "init",
 *	  "phase": "purpose", "phase_from": ..., "phase_to": ...,
 *	  "forced": ...}, ...]}
 * Dates are UTC; keys whose trailer is absent are left out.
 * Returns NULL or LPS_ENOMEM.
 */
struct lps_error *lps_history_write_json(struct lps_buf *out,
					 const struct lps_history *h);

#endif
