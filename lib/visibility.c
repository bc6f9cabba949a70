/*
 * visibility.c - set the visibility of one evidence, reflection,
 * feedback or assessment document, as one commit.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "collection.h"
#include "doc.h"
#include "txn.h"
#include "visibility.h"

static const char *const reflection_values[] = { "private", "roundtable",
						  NULL };
static const char *const other_values[] = { "shared", "private", NULL };

const char *const *lps_visibility_values(char letter)
{
	return letter == 'r' ? reflection_values : other_values;
}

/* The value a document has when it carries no visibility key. */
static const char *default_value(char letter)
{
	return letter == 'r' ? "private" : "shared";
}

static struct lps_error *parse_assign(const char **value, char letter,
				      const char *assign)
{
	static const char key[] = "visibility=";
	if (strncmp(assign, key, sizeof(key) - 1))
		return lps_error_new(LPS_EUSAGE, "only visibility=VALUE can "
				     "be set here, got '%s'", assign);
	const char *v = assign + sizeof(key) - 1;
	const char *const *allowed = lps_visibility_values(letter);
	for (size_t i = 0; allowed[i]; i++)
		if (!strcmp(v, allowed[i])) {
			*value = allowed[i];
			return NULL;
		}
	return lps_error_new(LPS_EUSAGE, "visibility must be %s or %s, got "
			     "'%s'", allowed[0], allowed[1], v);
}

struct lps_error *lps_visibility_set(struct lps_portfolio *p, char letter,
				     const char *typed, const char *assign,
				     const char *area, const char *command,
				     char *id, int *changed)
{
	const char *value = NULL;
	char path[64];
	*changed = 0;
	struct lps_error *err = parse_assign(&value, letter, assign);
	if (!err)
		err = lps_collection_find(p, letter, typed, id);
	if (err)
		return err;
	lps_collection_path(path, sizeof(path), id);
	return lps_visibility_set_path(p, letter, path, id, assign, area,
				       command, changed);
}

struct lps_error *lps_visibility_set_path(struct lps_portfolio *p,
					  char letter, const char *path,
					  const char *label,
					  const char *assign,
					  const char *area,
					  const char *command, int *changed)
{
	const char *value = NULL;
	struct lps_doc *doc = NULL;
	struct lps_txn *txn = NULL;
	char what[300];
	*changed = 0;
	struct lps_error *err = parse_assign(&value, letter, assign);
	if (err || (err = lps_collection_load(p, path, &doc)))
		return err;
	struct lps_node *root = lps_doc_root(doc);
	const char *now = lps_node_str(lps_map_get(root, "visibility"));
	if (!strcmp(now ? now : default_value(letter), value))
		goto out;
	struct lps_node *v = lps_doc_new_string(doc, value);
	if (!v || lps_map_set(doc, root, "visibility", v) < 0) {
		err = lps_error_nomem();
		goto out;
	}
	snprintf(what, sizeof(what), "set %s visibility=%s", label, value);
	if ((err = lps_txn_begin(&txn, p)) ||
	    (err = lps_txn_put(txn, path, root)) ||
	    (err = lps_txn_commit(txn, area, what, command, NULL, 0, NULL)))
		goto out;
	*changed = 1;
out:
	lps_txn_free(txn);
	lps_doc_free(doc);
	return err;
}
