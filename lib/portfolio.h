/*
 * portfolio.h - the portfolio as a whole: document ids, finding the
 * portfolio a command runs in, reading lps.yaml, and the one write path
 * every mutating command uses (sort keys, validate, emit canonically,
 * stage in a change set, commit with the message and trailers of DESIGN
 * section 4).
 *
 * Depends on doc, schema, store and registry; never prints.
 */
#ifndef LPS_PORTFOLIO_H
#define LPS_PORTFOLIO_H

#include <stddef.h>
#include "doc.h"
#include "error.h"
#include "schema.h"
#include "store.h"

/* The format version this lps reads and writes (`lps: 1`); registry.h
 * defines it too. */
#ifndef LPS_FORMAT_VERSION
#define LPS_FORMAT_VERSION 1
#endif

/* "g-" + 8 hex digits. */
#define LPS_ID_HEX 8
#define LPS_ID_LEN (2 + LPS_ID_HEX)

/*
 * Make a new id "<letter>-<8 lowercase hex>" from the system's random
 * source (getrandom, else /dev/urandom) into out (LPS_ID_LEN + 1 bytes).
 * letter must be a lowercase ASCII letter (else LPS_EINVALID).
 * LPS_ESYS when no random bytes can be had.
 */
struct lps_error *lps_portfolio_new_id(char *out, char letter);

/*
 * 1 when id is "<letter>-<8 lowercase hex>"; letter 0 accepts any
 * lowercase letter.
 */
int lps_portfolio_id_valid(const char *id, char letter);

/*
 * Resolve what a user typed (a whole id, "g-3f9" or just "3f9": any
 * non-empty prefix of the hex part, case-insensitive) against the ids
 * ids[0..n) of type letter (0: any).  On success *out points at the
 * matching element of ids (not copied).  No match: LPS_ENOTFOUND
 * `no id matches "3f9"`; more than one: LPS_EINVALID
 * `ambiguous id "3f": g-3f000001, g-3f000002` (candidates sorted, at
 * most 10 named); a malformed prefix: LPS_EUSAGE.
 */
struct lps_error *lps_portfolio_resolve_id(const char **out,
					   const char *const *ids, size_t n,
					   char letter, const char *typed);

/*
 * The school year "YYYY-YYYY" containing the given date: from August on
 * it is year-(year+1), before August (year-1)-year.  out holds 10 bytes.
 */
void lps_portfolio_school_year(char *out, int year, int month);

/* Today as YYYY-MM-DD (11 bytes) and its school year (10 bytes); either may
 * be NULL.  The environment variable LPS_TODAY=YYYY-MM-DD, when set and
 * well formed, stands in for the clock. */
void lps_portfolio_today(char *date, char *school_year);

/* An open portfolio: a store whose HEAD has lps.yaml. */
struct lps_portfolio;

/*
 * Open the portfolio containing dir (searching upwards like git).
 * Not in a repository: the store's LPS_ENOTFOUND.  No lps.yaml at HEAD
 * (or an unborn branch): LPS_ENOTFOUND `not an lps portfolio (no
 * lps.yaml): DIR; run lps init`.  lps.yaml that does not load or carries
 * another format version: see lps_portfolio_check_version.
 * Free with lps_portfolio_free().
 */
struct lps_error *lps_portfolio_open(struct lps_portfolio **out,
				     const char *dir);
void lps_portfolio_free(struct lps_portfolio *p);

/* The store (owned by p), the working tree top (trailing slash), HEAD. */
struct lps_store *lps_portfolio_store(struct lps_portfolio *p);
const char *lps_portfolio_top(const struct lps_portfolio *p);
const git_oid *lps_portfolio_head(const struct lps_portfolio *p);
/* lps.yaml as of HEAD (owned by p). */
const struct lps_doc *lps_portfolio_meta(const struct lps_portfolio *p);

/*
 * Read p as of rev (any git revision; NULL: HEAD) from now on: its head
 * becomes that commit and lps.yaml is read again there, so collection.h
 * and the frameworks read that revision.  Unknown rev: LPS_ENOTFOUND
 * `unknown revision "REV"`; no lps.yaml there: LPS_ENOTFOUND; an
 * lps.yaml that does not load or has another format version: as
 * lps_portfolio_open.  On error p is unchanged.
 */
struct lps_error *lps_portfolio_set_rev(struct lps_portfolio *p,
					const char *rev);

/*
 * Refuse a document whose `lps:` key is not LPS_FORMAT_VERSION:
 * a larger integer is LPS_EINVALID
 * `lps.yaml:1:6: format version 2 is newer than this lps understands (1)`
 * at the value; any other value is `unsupported format version ...`.
 * A missing key is left to schema validation (returns NULL).
 */
struct lps_error *lps_portfolio_check_version(const struct lps_doc *doc);

/*
 * The write path.  Sort the keys of root (a tree of doc, which the call
 * may reorder) in the order of schema, validate it (formats asserted),
 * emit it canonically and add it to cs at path.  An invalid document is
 * never staged: LPS_EINVALID naming path and the first finding
 * (`path:line:col: where: message`, or `path: where: message` for built
 * nodes); every finding is also appended to *findings when it is not
 * NULL.
 */
struct lps_error *lps_portfolio_stage(struct lps_changeset *cs,
				      const char *path,
				      const struct lps_schema *schema,
				      struct lps_node *root,
				      struct lps_findings *findings);

/*
 * As lps_portfolio_stage, with the schema that governs path (through
 * the registry).  A path with no schema: LPS_EINVALID.
 */
struct lps_error *lps_portfolio_stage_doc(struct lps_changeset *cs,
					  const char *path,
					  struct lps_node *root,
					  struct lps_findings *findings);

/* A commit trailer "Key: value". */
struct lps_trailer {
	const char *key;
	const char *value;
};

/*
 * Compose a commit message: "<area>: <what>", a blank line, then
 * "LPS-Command: <command>", "LPS-Phase: <phase>" and each extra
 * trailer, one per line, ending with a newline.  Control characters in
 * the subject and values (a title with a newline) become spaces so the
 * message keeps its shape.  *out is malloc'd; the caller frees it.
 * Empty area/what/command/phase or a malformed trailer key: LPS_EINVALID.
 */
struct lps_error *lps_portfolio_message(char **out, const char *area,
					const char *what, const char *command,
					const char *phase,
					const struct lps_trailer *extra,
					size_t nextra);

/* Compose the message as above and commit cs through lps_store_commit. */
struct lps_error *lps_portfolio_commit(struct lps_store *store,
				       const struct lps_changeset *cs,
				       const char *area, const char *what,
				       const char *command, const char *phase,
				       const struct lps_trailer *extra,
				       size_t nextra, git_oid *out);

/* Room for a cycle name ("2026-2027"; the schema allows 32 chars). */
#define LPS_CYCLE_MAX 64

/* What `lps init` needs to start a portfolio. */
struct lps_init_opts {
	const char *dir;       /* created when missing */
	const char *name;      /* owner's name (required) */
	const char *role;      /* required; checked by the portfolio schema */
	const char *email;     /* optional */
	const char *district;  /* optional */
	const char *school;    /* optional */
	const char *cycle;     /* optional; default: today's school year */
};

/*
 * Start a portfolio in opts->dir: create the repository there (or adopt
 * the git repository whose top is dir), and commit lps.yaml in phase
 * purpose as one commit "init: start portfolio of <name>" with trailers
 * LPS-Command: init and LPS-Phase: purpose.
 * Refusals (LPS_EREFUSED), each before anything is written:
 * `DIR/lps.yaml: already an lps portfolio` (lps.yaml at HEAD or in the
 * working tree), a missing git identity, a locked index.  When the
 * commit fails after this call created the repository (or dir), what it
 * created is removed again.  *top (may be NULL) receives the absolute
 * working tree top with a trailing slash (malloc'd; caller frees);
 * *cycle (may be NULL, LPS_CYCLE_MAX bytes) the cycle written.
 */
struct lps_error *lps_portfolio_init(const struct lps_init_opts *opts,
				     char **top, char *cycle);

#endif
