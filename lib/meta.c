/*
 * meta.c - changes to lps.yaml.
 */
#include "meta.h"

#include <string.h>

const char *const lps_meta_functions[] = {
	"growth", "evaluation", "credentialing", "self-assessment", NULL,
};

struct lps_error *lps_meta_copy(struct lps_doc **out,
				const struct lps_portfolio *p)
{
	struct lps_doc *doc = NULL;
	struct lps_error *err = lps_doc_new(&doc, "lps.yaml");
	if (err)
		return err;
	struct lps_node *root =
		lps_doc_copy(doc, lps_doc_root(lps_portfolio_meta(p)));
	if (!root) {
		lps_doc_free(doc);
		return lps_error_nomem();
	}
	lps_doc_set_root(doc, root);
	*out = doc;
	return NULL;
}

const char *lps_meta_get(const struct lps_portfolio *p, const char *key)
{
	const struct lps_doc *meta = lps_portfolio_meta(p);
	return meta ? lps_node_str(lps_map_get(lps_doc_root(meta), key))
		    : NULL;
}

struct lps_error *lps_meta_set_purpose(struct lps_doc *doc,
				       struct lps_node *root,
				       const char *function,
				       const char *statement)
{
	struct lps_node *purpose = lps_map_get(root, "purpose");
	if (!purpose || purpose->type != LPS_NODE_MAP) {
		purpose = lps_doc_new_map(doc);
		if (!purpose || lps_map_set(doc, root, "purpose", purpose) < 0)
			return lps_error_nomem();
	}
	if (function && lps_map_set(doc, purpose, "function",
				    lps_doc_new_string(doc, function)) < 0)
		return lps_error_nomem();
	if (statement && lps_map_set(doc, purpose, "statement",
				     lps_doc_new_string(doc, statement)) < 0)
		return lps_error_nomem();
	return NULL;
}

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int lps_meta_date_valid(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
				     30, 31 };
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    !digits(s, 4) || !digits(s + 5, 2) || !digits(s + 8, 2))
		return 0;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
		(s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(m == 2 && d == 29 && !leap);
}
