/*
 * txn.h - one change to a portfolio, made as exactly one commit.
 *
 * A command begins a transaction, puts the documents it changes (each
 * validated and written canonically; an invalid one is refused before
 * anything is written), raw files (attachments) and removals, then
 * commits with a subject "<area>: <what>" and the trailers
 * LPS-Command and LPS-Phase (the portfolio's phase, or the one set with
 * lps_txn_set_phase) plus any extra ones.  Nothing touches the
 * repository or the working tree before lps_txn_commit.
 */
#ifndef LPS_TXN_H
#define LPS_TXN_H

#include <git2.h>
#include "doc.h"
#include "error.h"
#include "portfolio.h"

struct lps_txn;

/* Begin a change to p (borrowed: must outlive the transaction). */
struct lps_error *lps_txn_begin(struct lps_txn **out, struct lps_portfolio *p);
void lps_txn_free(struct lps_txn *txn);

/*
 * Stage the document root (a tree of some doc; keys may be reordered) at
 * path: sorted in schema order, validated, emitted canonically.  Invalid:
 * LPS_EINVALID naming path and the first finding.
 */
struct lps_error *lps_txn_put(struct lps_txn *txn, const char *path,
			      struct lps_node *root);
/* Stage raw bytes at path (attachments). */
struct lps_error *lps_txn_put_raw(struct lps_txn *txn, const char *path,
				  const void *data, size_t len);
/* Stage the removal of path. */
struct lps_error *lps_txn_remove(struct lps_txn *txn, const char *path);

/* Use phase (instead of lps.yaml's) in the LPS-Phase trailer. */
void lps_txn_set_phase(struct lps_txn *txn, const char *phase);

/*
 * Commit: subject "<area>: <what>", trailers LPS-Command: <command>,
 * LPS-Phase: <phase>, then extra[0..nextra).  *out (may be NULL) gets the
 * commit.  Errors are the store's (refusals exit 3, identity, locks).
 */
struct lps_error *lps_txn_commit(struct lps_txn *txn, const char *area,
				 const char *what, const char *command,
				 const struct lps_trailer *extra,
				 size_t nextra, git_oid *out);

#endif
