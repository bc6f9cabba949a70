/*
 * structure.h - the collaboration structures of a portfolio, kept in
 * lps.yaml: the list `structures` (kind partner, roundtable or group,
 * name, members, meets) and the two fields the phase gate
 * structures -> action reads, `partner` and `roundtable`.
 *
 * The list is the one truth: `partner` is always the first (and only)
 * partner structure, `roundtable` the first (and only) roundtable one.
 * A portfolio written by hand may name a partner or roundtable without
 * a list entry; lps_structure_normalize() adds the entry, so nothing
 * the user wrote is lost when the fields are derived again.
 *
 * Every structure has a key, derived from its name ("Ms. Rivera" ->
 * "ms-rivera"), unique in the portfolio, which `lps structure remove`
 * and the shell completions use.  Tree work only: no I/O, no commits.
 */
#ifndef LPS_STRUCTURE_H
#define LPS_STRUCTURE_H

#include <stddef.h>
#include "doc.h"
#include "error.h"

/* partner, roundtable, group; NULL-ended. */
extern const char *const lps_structure_kinds[];

/* Room for a key (a name is at most 200 code points; keys are cut). */
#define LPS_STRUCTURE_KEY_MAX 72

/*
 * The key of a structure called name: ASCII letters lower-cased and
 * digits kept, other UTF-8 letters kept as they are, every other run of
 * characters one '-', no '-' at either end, at most 64 bytes (cut on a
 * character boundary).  A name with nothing left gives `kind`.
 * out has LPS_STRUCTURE_KEY_MAX bytes.
 */
void lps_structure_key(char *out, const char *name, const char *kind);

/*
 * Make root (lps.yaml, a map of doc) list its partner and roundtable as
 * structures when only the fields name them: a `partner` without a
 * partner structure becomes the first entry, a `roundtable` without a
 * roundtable structure the next.  Errors: out of memory.
 */
struct lps_error *lps_structure_normalize(struct lps_doc *doc,
					  struct lps_node *root);

/*
 * Derive `partner` and `roundtable` of root again from its list (a
 * partner keeps its email and handle while its name stays the same),
 * removing a field whose structure is gone and an empty list.
 * Errors: out of memory.
 */
struct lps_error *lps_structure_sync(struct lps_doc *doc,
				     struct lps_node *root);

/* What `lps structure add` adds. */
struct lps_structure_fields {
	const char *kind;             /* partner, roundtable or group */
	const char *name;
	const char *const *members;   /* nmembers names, may be 0 */
	size_t nmembers;
	const char *meets;            /* or NULL */
};

/*
 * Normalise root, append the structure and sync.  Refused (LPS_EINVALID,
 * root unchanged but for normalising): an unknown kind; a name whose key
 * is taken (`a structure with key "k" exists: "Name"`); a second partner
 * or roundtable (`a partner is already named: "Name"; remove it first`);
 * a member named twice.  Other checks (lengths) are the schema's.
 * Errors also: out of memory.
 */
struct lps_error *lps_structure_add(struct lps_doc *doc,
				    struct lps_node *root,
				    const struct lps_structure_fields *f);

/*
 * The index in root's (normalised) list of the structure the user named
 * by key or by name (a key matches first).  None: LPS_ENOTFOUND
 * `no structure named "x"`.
 */
struct lps_error *lps_structure_find(size_t *index,
				     const struct lps_node *root,
				     const char *typed);

/*
 * Normalise root, remove the structure named by typed (key or name) and
 * sync.  *removed (may be NULL) gets the removed structure's map, which
 * stays valid as long as doc.  Errors as lps_structure_find, out of
 * memory.
 */
struct lps_error *lps_structure_remove(struct lps_doc *doc,
				       struct lps_node *root,
				       const char *typed,
				       const struct lps_node **removed);

#endif
