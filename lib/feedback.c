/*
 * feedback.c - feedback received.
 */
#include "feedback.h"

#include <stdio.h>
#include <string.h>

#include "collection.h"

const char *const lps_feedback_kinds[] = {
	"affirmation", "question", "suggestion", NULL,
};

struct lps_error *lps_feedback_resolve_on(struct lps_portfolio *p,
					  const char *typed, char *id)
{
	static const char letters[] = "ger";
	char found[3][LPS_ID_LEN + 1];
	size_t nfound = 0;

	if (typed[0] && typed[1] == '-') {
		if (!strchr(letters, typed[0]))
			return lps_error_new(LPS_EUSAGE,
					     "--on: \"%s\" is not the id of a "
					     "goal, evidence or reflection",
					     typed);
		return lps_collection_find(p, typed[0], typed, id);
	}
	for (size_t i = 0; i < 3; i++) {
		struct lps_error *err =
			lps_collection_find(p, letters[i], typed, found[nfound]);
		if (err && err->code == LPS_ENOTFOUND) {
			lps_error_free(err);
			continue;
		}
		if (err)
			return err;
		nfound++;
	}
	if (!nfound)
		return lps_error_new(LPS_ENOTFOUND,
				     "nothing matches \"%s\" (goals, evidence, "
				     "reflections)", typed);
	if (nfound > 1) {
		/* found is in letter order g, e, r; name them sorted */
		const char *s[3];
		for (size_t i = 0; i < nfound; i++)
			s[i] = found[i];
		for (size_t i = 1; i < nfound; i++)
			for (size_t j = i; j > 0 && strcmp(s[j - 1], s[j]) > 0;
			     j--) {
				const char *t = s[j];
				s[j] = s[j - 1];
				s[j - 1] = t;
			}
		return lps_error_new(LPS_EINVALID, "ambiguous id \"%s\": %s, "
				     "%s%s%s", typed, s[0], s[1],
				     nfound > 2 ? ", " : "",
				     nfound > 2 ? s[2] : "");
	}
	memcpy(id, found[0], LPS_ID_LEN + 1);
	return NULL;
}

struct lps_error *lps_feedback_new(struct lps_doc **out,
				   const struct lps_feedback_fields *f)
{
	char name[64];
	struct lps_doc *doc = NULL;
	snprintf(name, sizeof(name), "feedback/%s.yaml", f->id);
	struct lps_error *err = lps_doc_new(&doc, name);
	if (err)
		return err;
	struct lps_node *root = lps_doc_new_map(doc);
	const char *keys[] = { "id", "date", "from", "kind", "on", "body" };
	const char *vals[] = { f->id, f->date, f->from, f->kind, f->on,
			       f->body };
	int bad = !root || lps_map_set(doc, root, "lps",
				       lps_doc_new_int(doc,
						       LPS_FORMAT_VERSION)) < 0;
	for (size_t i = 0; i < 6 && !bad; i++)
		if (vals[i])
			bad = lps_map_set(doc, root, keys[i],
					  lps_doc_new_string(doc, vals[i])) < 0;
	if (bad) {
		lps_doc_free(doc);
		return lps_error_nomem();
	}
	lps_doc_set_root(doc, root);
	*out = doc;
	return NULL;
}
