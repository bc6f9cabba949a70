#include "txn.h"

#include <stdlib.h>

#include "store.h"

struct lps_txn {
	struct lps_portfolio *p;   /* borrowed */
	struct lps_changeset *cs;  /* owned */
	const char *phase;         /* borrowed; NULL: lps.yaml's */
};

struct lps_error *lps_txn_begin(struct lps_txn **out, struct lps_portfolio *p)
{
	struct lps_txn *txn = calloc(1, sizeof(*txn));
	*out = NULL;
	if (!txn)
		return lps_error_nomem();
	struct lps_error *err = lps_changeset_new(&txn->cs);
	if (err) {
		free(txn);
		return err;
	}
	txn->p = p;
	*out = txn;
	return NULL;
}

void lps_txn_free(struct lps_txn *txn)
{
	if (!txn)
		return;
	lps_changeset_free(txn->cs);
	free(txn);
}

struct lps_error *lps_txn_put(struct lps_txn *txn, const char *path,
			      struct lps_node *root)
{
	return lps_portfolio_stage_doc(txn->cs, path, root, NULL);
}

struct lps_error *lps_txn_put_raw(struct lps_txn *txn, const char *path,
				  const void *data, size_t len)
{
	return lps_changeset_write(txn->cs, path, data, len);
}

struct lps_error *lps_txn_remove(struct lps_txn *txn, const char *path)
{
	return lps_changeset_remove(txn->cs, path);
}

void lps_txn_set_phase(struct lps_txn *txn, const char *phase)
{
	txn->phase = phase;
}

struct lps_error *lps_txn_commit(struct lps_txn *txn, const char *area,
				 const char *what, const char *command,
				 const struct lps_trailer *extra,
				 size_t nextra, git_oid *out)
{
	const char *phase = txn->phase;
	if (!phase) {
		const struct lps_doc *meta = lps_portfolio_meta(txn->p);
		phase = lps_node_str(lps_map_get(lps_doc_root(meta), "phase"));
	}
	if (!phase)
		return lps_error_new(LPS_EINVALID, "lps.yaml: no phase");
	return lps_portfolio_commit(lps_portfolio_store(txn->p), txn->cs, area,
				    what, command, phase, extra, nextra, out);
}
