/*
 * schema.h - JSON Schema (2020-12) compiler and validator over doc trees.
 *
 * Schemas are compiled once into a schema set and reused for any number of
 * instances.  A set holds every schema that $ref may reach: schemas added
 * to it are indexed by their $id (and by the URI they were added under),
 * so relative references between schema files resolve by $id, and the
 * conformance runner can serve the suite's remotes by adding them first.
 *
 * Supported keywords: every keyword of draft 2020-12 (lps-files(5) lists
 * them), including $dynamicRef/$dynamicAnchor and
 * unevaluatedProperties/unevaluatedItems.  The unevaluated* keywords see
 * what properties, patternProperties, additionalProperties, prefixItems,
 * items and contains evaluated at the same instance location, directly
 * or through passing in-place subschemas (allOf, anyOf, oneOf, if/then/
 * else, dependentSchemas, $ref, $dynamicRef; never "not").  That
 * bookkeeping happens only below a schema that uses them: resolving
 * works out which subschemas can contribute, and other schemas validate
 * as if the keywords did not exist.  A keyword the compiler does not
 * know is a compile error (never silently ignored), except inside
 * annotations, enum and const.
 *
 * $schema must name draft 2020-12, or a meta-schema added to the set
 * earlier whose $vocabulary lists the vocabularies its schemas use (core
 * among them; an unknown vocabulary may only be optional, "false").
 * Keywords of the draft's vocabularies it leaves out are then not
 * evaluated, as if they were annotations.  format-annotation and
 * format-assertion are one vocabulary here: whether format asserts is
 * the caller's choice (LPS_SCHEMA_FORMAT_ASSERT).
 *
 * Validation collects every error as a finding: the instance path
 * (`indicators[0].target`), the failing keyword, the line and column of
 * the instance node in its source, and a message.
 */
#ifndef LPS_SCHEMA_H
#define LPS_SCHEMA_H

#include <stddef.h>
#include "doc.h"
#include "error.h"

struct lps_schema_set;
struct lps_schema;  /* one compiled (sub)schema, owned by its set */

/* A new, empty schema set; free with lps_schema_set_free(). */
struct lps_error *lps_schema_set_new(struct lps_schema_set **out);
void lps_schema_set_free(struct lps_schema_set *set);

/*
 * Compile the schema document `doc` into set under base URI `uri` (NULL:
 * the document's name serves as its URI, so "common.schema.yaml#/$defs/x"
 * written in "goal.schema.yaml" finds the document named
 * "common.schema.yaml"; an $id in the schema takes precedence).  The set
 * takes ownership of doc (also on error).  *out (may be NULL) gets the
 * root schema, owned by the set.  References are NOT resolved here: call
 * lps_schema_set_resolve() after the last add and before validating.
 * Errors (LPS_EINVALID): unknown keyword, wrong keyword value, unsupported
 * $schema, untranslatable pattern, duplicate $id/$anchor; each names doc's
 * file, line and column.  After an error the set stays usable, without
 * this document.
 */
struct lps_error *lps_schema_set_add(struct lps_schema_set *set,
				     struct lps_doc *doc, const char *uri,
				     const struct lps_schema **out);

/*
 * Resolve every $ref of every schema added so far, then refuse $ref cycles
 * that never read instance data (a: {$ref: b}, b: {$ref: a}), which would
 * never end.  A $ref that does not resolve and such a cycle are
 * LPS_EINVALID errors naming file, line and column of the $ref.  May be
 * called again after adding more schemas.
 */
struct lps_error *lps_schema_set_resolve(struct lps_schema_set *set);

/*
 * A loader fetches a schema document that a $ref names but the set does
 * not hold, so that schema files may refer to sibling files on disk.
 * lps_schema_set_resolve() calls it with the document's absolute URI
 * (no fragment), the $ref as written and the name of the document that
 * holds the $ref.  To supply the document it calls
 * lps_schema_set_add(set, doc, uri, NULL) (the URI it was given, or one
 * the document's $id matches) and returns NULL; resolving then goes on
 * and also resolves the new document's own references.  Returning NULL
 * without adding anything leaves the $ref unresolved (the usual "does
 * not resolve" error); an error it returns (say, the file does not
 * compile) is what resolve returns.  It is called at most once per
 * missing document and at most LPS_SCHEMA_MAX_LOADS times per set.
 */
#define LPS_SCHEMA_MAX_LOADS 64

typedef struct lps_error *(*lps_schema_loader)(void *ctx,
					       struct lps_schema_set *set,
					       const char *uri,
					       const char *ref,
					       const char *from);

/* Install (or with NULL remove) the set's loader; ctx is passed along. */
void lps_schema_set_set_loader(struct lps_schema_set *set,
			       lps_schema_loader loader, void *ctx);

/* The schema with this absolute URI (with optional #fragment), or NULL. */
const struct lps_schema *lps_schema_set_get(struct lps_schema_set *set,
					    const char *uri);

/* Validation options. */
enum {
	LPS_SCHEMA_FORMAT_ASSERT = 1 << 0, /* format is an assertion */
	LPS_SCHEMA_FIRST_ERROR = 1 << 1,   /* stop at the first error */
};

struct lps_finding {
	char *path;          /* instance path, "" for the root */
	const char *keyword; /* static string: "type", "required", ... */
	char *message;       /* e.g. `expected number, got string "ten"` */
	unsigned line, col;  /* of the instance node, 0 if unknown */
};

struct lps_findings {
	struct lps_finding *items;
	size_t n, cap;
};

#define LPS_FINDINGS_INIT { NULL, 0, 0 }

/* Free the strings of every finding and the array; f becomes empty. */
void lps_findings_free(struct lps_findings *f);

/*
 * Validate instance against schema, appending a finding per error to
 * *findings (may be NULL when only the answer matters).  Returns 1 when
 * valid, 0 when not, -1 when out of memory.  Allocates nothing unless a
 * finding is recorded, or an object or array of more than 256 members
 * meets unevaluatedProperties/unevaluatedItems.  A $ref left unresolved
 * (lps_schema_set_resolve not called) is reported as a finding.
 */
int lps_schema_validate(const struct lps_schema *schema,
			const struct lps_node *instance, unsigned flags,
			struct lps_findings *findings);

/*
 * Reorder the pairs of every map in tree n to follow the order in which
 * schema lists its properties (following properties, items, $ref and
 * allOf); keys the schema does not list keep their order after the listed
 * ones.  Used before emitting so that files are canonical.
 */
void lps_schema_sort_keys(const struct lps_schema *schema,
			  struct lps_node *n);

#endif
