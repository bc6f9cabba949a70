/*
 * structure.c - collaboration structures in lps.yaml.
 */
#include "structure.h"

#include <stdio.h>
#include <string.h>

const char *const lps_structure_kinds[] = {
	"partner", "roundtable", "group", NULL,
};

/* Keys are cut here so that they stay short enough to type. */
#define KEY_CUT 64

void lps_structure_key(char *out, const char *name, const char *kind)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t n = 0;
	int dash = 0;

	while (*s) {
		unsigned char c = *s;
		int keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			   (c >= 'A' && c <= 'Z') || c >= 0x80;
		if (!keep) {
			dash = n > 0;
			s++;
			continue;
		}
		/* a UTF-8 character is copied whole or not at all */
		size_t clen = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		size_t have = 1;
		while (have < clen && s[have] >= 0x80 && s[have] < 0xc0)
			have++;
		if (n + (size_t)dash + have > KEY_CUT)
			break;
		if (dash)
			out[n++] = '-';
		dash = 0;
		for (size_t i = 0; i < have; i++)
			out[n++] = (char)(s[i] >= 'A' && s[i] <= 'Z'
						  ? s[i] - 'A' + 'a' : s[i]);
		s += have;
	}
	out[n] = '\0';
	if (!n)
		snprintf(out, LPS_STRUCTURE_KEY_MAX, "%s", kind ? kind : "");
}

static const char *kind_of(const struct lps_node *s)
{
	return lps_node_str(lps_map_get(s, "kind"));
}

static const char *name_of(const struct lps_node *s)
{
	return lps_node_str(lps_map_get(s, "name"));
}

/* The list, or NULL when root has none (or it is not a list). */
static struct lps_node *list_of(const struct lps_node *root)
{
	struct lps_node *l = lps_map_get(root, "structures");
	return l && l->type == LPS_NODE_SEQ ? l : NULL;
}

/* The first structure of kind in the list, or NULL. */
static const struct lps_node *first_of(const struct lps_node *list,
				       const char *kind)
{
	for (size_t i = 0; list && i < list->v.seq.n; i++) {
		const char *k = kind_of(list->v.seq.items[i]);
		if (k && !strcmp(k, kind))
			return list->v.seq.items[i];
	}
	return NULL;
}

/* The list of root, made when missing. */
static struct lps_node *want_list(struct lps_doc *doc, struct lps_node *root)
{
	struct lps_node *l = list_of(root);
	if (l)
		return l;
	l = lps_doc_new_seq(doc);
	if (!l || lps_map_set(doc, root, "structures", l) < 0)
		return NULL;
	return l;
}

/* Put item at position pos of list (appending and rotating). */
static int insert_at(struct lps_doc *doc, struct lps_node *list, size_t pos,
		     struct lps_node *item)
{
	if (lps_seq_append(doc, list, item) < 0)
		return -1;
	struct lps_node **it = list->v.seq.items;
	size_t n = list->v.seq.n;
	memmove(it + pos + 1, it + pos, (n - 1 - pos) * sizeof(*it));
	it[pos] = item;
	return 0;
}

/* A structure {kind, name[, meets]} copied from a field of lps.yaml. */
static struct lps_node *from_field(struct lps_doc *doc, const char *kind,
				   const struct lps_node *field)
{
	struct lps_node *s = lps_doc_new_map(doc);
	const char *name = name_of(field);
	const struct lps_node *meets = lps_map_get(field, "meets");
	if (!s || lps_map_set(doc, s, "kind", lps_doc_new_string(doc, kind)) ||
	    lps_map_set(doc, s, "name", lps_doc_new_string(doc, name)))
		return NULL;
	if (meets && lps_map_set(doc, s, "meets", lps_doc_copy(doc, meets)))
		return NULL;
	return s;
}

struct lps_error *lps_structure_normalize(struct lps_doc *doc,
					  struct lps_node *root)
{
	static const char *const fields[] = { "partner", "roundtable" };
	size_t pos = 0;

	for (size_t i = 0; i < 2; i++) {
		const struct lps_node *f = lps_map_get(root, fields[i]);
		if (!f || !name_of(f))
			continue;
		if (first_of(list_of(root), fields[i])) {
			pos++;
			continue;
		}
		struct lps_node *list = want_list(doc, root);
		struct lps_node *s = list ? from_field(doc, fields[i], f) : NULL;
		if (!s || insert_at(doc, list, pos, s) < 0)
			return lps_error_nomem();
		pos++;
	}
	return NULL;
}

/* The partner field for structure s, keeping old's details when it names
 * the same person. */
static struct lps_node *partner_for(struct lps_doc *doc,
				    const struct lps_node *s,
				    const struct lps_node *old)
{
	const char *oname = name_of(old);
	if (oname && !strcmp(oname, name_of(s)))
		return (struct lps_node *)old;
	struct lps_node *p = lps_doc_new_map(doc);
	if (!p || lps_map_set(doc, p, "name",
			      lps_doc_new_string(doc, name_of(s))) < 0)
		return NULL;
	return p;
}

static struct lps_node *roundtable_for(struct lps_doc *doc,
				       const struct lps_node *s)
{
	struct lps_node *r = lps_doc_new_map(doc);
	const struct lps_node *meets = lps_map_get(s, "meets");
	if (!r || lps_map_set(doc, r, "name",
			      lps_doc_new_string(doc, name_of(s))) < 0)
		return NULL;
	if (meets && lps_map_set(doc, r, "meets", lps_doc_copy(doc, meets)) < 0)
		return NULL;
	return r;
}

struct lps_error *lps_structure_sync(struct lps_doc *doc,
				     struct lps_node *root)
{
	struct lps_node *list = list_of(root);
	const struct lps_node *p = first_of(list, "partner");
	const struct lps_node *r = first_of(list, "roundtable");

	if (p) {
		struct lps_node *f =
			partner_for(doc, p, lps_map_get(root, "partner"));
		if (!f || lps_map_set(doc, root, "partner", f) < 0)
			return lps_error_nomem();
	} else {
		lps_map_remove(root, "partner");
	}
	if (r) {
		struct lps_node *f = roundtable_for(doc, r);
		if (!f || lps_map_set(doc, root, "roundtable", f) < 0)
			return lps_error_nomem();
	} else {
		lps_map_remove(root, "roundtable");
	}
	if (list && !list->v.seq.n)
		lps_map_remove(root, "structures");
	return NULL;
}

static int known_kind(const char *kind)
{
	for (size_t i = 0; lps_structure_kinds[i]; i++)
		if (!strcmp(kind, lps_structure_kinds[i]))
			return 1;
	return 0;
}

/* Refusals of add, checked before anything changes. */
static struct lps_error *add_check(const struct lps_node *root,
				   const struct lps_structure_fields *f)
{
	char key[LPS_STRUCTURE_KEY_MAX], other[LPS_STRUCTURE_KEY_MAX];
	const struct lps_node *list = list_of(root);

	if (!f->kind || !known_kind(f->kind))
		return lps_error_new(LPS_EINVALID,
				     "unknown structure kind \"%s\"",
				     f->kind ? f->kind : "");
	if (!f->name || !*f->name)
		return lps_error_new(LPS_EINVALID, "a structure needs a name");
	if (strcmp(f->kind, "group")) {
		const struct lps_node *s = first_of(list, f->kind);
		if (s)
			return lps_error_new(LPS_EINVALID,
					     "a %s is already named: \"%s\"; "
					     "remove it first", f->kind,
					     name_of(s));
	}
	lps_structure_key(key, f->name, f->kind);
	for (size_t i = 0; list && i < list->v.seq.n; i++) {
		const struct lps_node *s = list->v.seq.items[i];
		const char *n = name_of(s);
		lps_structure_key(other, n ? n : "", kind_of(s));
		if (!strcmp(key, other))
			return lps_error_new(LPS_EINVALID,
					     "a structure with key \"%s\" "
					     "exists: \"%s\"", key, n ? n : "");
	}
	for (size_t i = 0; i < f->nmembers; i++)
		for (size_t j = 0; j < i; j++)
			if (!strcmp(f->members[i], f->members[j]))
				return lps_error_new(LPS_EINVALID,
						     "member \"%s\" is named "
						     "twice", f->members[i]);
	return NULL;
}

static struct lps_node *build(struct lps_doc *doc,
			      const struct lps_structure_fields *f)
{
	struct lps_node *s = lps_doc_new_map(doc);
	if (!s || lps_map_set(doc, s, "kind", lps_doc_new_string(doc, f->kind)) ||
	    lps_map_set(doc, s, "name", lps_doc_new_string(doc, f->name)))
		return NULL;
	if (f->nmembers) {
		struct lps_node *m = lps_doc_new_seq(doc);
		if (!m || lps_map_set(doc, s, "members", m) < 0)
			return NULL;
		for (size_t i = 0; i < f->nmembers; i++)
			if (lps_seq_append(doc, m, lps_doc_new_string(
						doc, f->members[i])) < 0)
				return NULL;
	}
	if (f->meets && lps_map_set(doc, s, "meets",
				    lps_doc_new_string(doc, f->meets)) < 0)
		return NULL;
	return s;
}

struct lps_error *lps_structure_add(struct lps_doc *doc,
				    struct lps_node *root,
				    const struct lps_structure_fields *f)
{
	struct lps_error *err = lps_structure_normalize(doc, root);
	if (!err)
		err = add_check(root, f);
	if (err)
		return err;
	struct lps_node *s = build(doc, f);
	struct lps_node *list = s ? want_list(doc, root) : NULL;
	if (!list || lps_seq_append(doc, list, s) < 0)
		return lps_error_nomem();
	return lps_structure_sync(doc, root);
}

struct lps_error *lps_structure_find(size_t *index,
				     const struct lps_node *root,
				     const char *typed)
{
	const struct lps_node *list = list_of(root);
	char key[LPS_STRUCTURE_KEY_MAX];
	size_t n = list ? list->v.seq.n : 0;

	for (size_t i = 0; i < n; i++) {
		const struct lps_node *s = list->v.seq.items[i];
		const char *name = name_of(s);
		lps_structure_key(key, name ? name : "", kind_of(s));
		if (!strcmp(key, typed)) {
			*index = i;
			return NULL;
		}
	}
	for (size_t i = 0; i < n; i++) {
		const char *name = name_of(list->v.seq.items[i]);
		if (name && !strcmp(name, typed)) {
			*index = i;
			return NULL;
		}
	}
	return lps_error_new(LPS_ENOTFOUND, "no structure named \"%s\"", typed);
}

struct lps_error *lps_structure_remove(struct lps_doc *doc,
				       struct lps_node *root,
				       const char *typed,
				       const struct lps_node **removed)
{
	size_t i;
	struct lps_error *err = lps_structure_normalize(doc, root);
	if (!err)
		err = lps_structure_find(&i, root, typed);
	if (err)
		return err;
	struct lps_node *list = list_of(root);
	struct lps_node **it = list->v.seq.items;
	if (removed)
		*removed = it[i];
	memmove(it + i, it + i + 1, (list->v.seq.n - i - 1) * sizeof(*it));
	list->v.seq.n--;
	return lps_structure_sync(doc, root);
}
