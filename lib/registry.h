/*
 * registry.h - which schema governs which file, and where schemas and
 * built-in frameworks come from.
 *
 * The schemas of schemas/ are compiled into liblps (builtin.h).  A
 * registry compiles all of them into one schema set, so that the relative
 * references between schema files (common.schema.yaml#/$defs/date)
 * resolve, and resolves every $ref up front: after that the registry is
 * only read, and may be shared by threads.
 *
 * For development, LPS_SCHEMA_DIR=DIR makes the process-wide registry read
 * the *.schema.yaml files of DIR instead of the built-in copies, and the
 * *.yaml files of DIR/frameworks instead of the built-in frameworks when
 * that folder exists.
 *
 * Schemas are named by their file name without ".schema.yaml" ("goal") or
 * by the whole file name ("goal.schema.yaml").
 */
#ifndef LPS_REGISTRY_H
#define LPS_REGISTRY_H

#include <stddef.h>
#include "doc.h"
#include "error.h"
#include "schema.h"

struct lps_registry;

/* Bounds on what a schema directory may hold. */
#define LPS_REGISTRY_MAX_FILES 256

/* The format version of the documents this lps reads and writes. */
#ifndef LPS_FORMAT_VERSION
#define LPS_FORMAT_VERSION 1
#endif

/*
 * The process-wide registry: built from LPS_SCHEMA_DIR when it is set and
 * not empty, else from the built-in files; created on first use (safe to
 * call from several threads) and freed at exit or by
 * lps_registry_shutdown().  *out is owned by the library.
 * Errors: a schema that does not compile or a $ref that does not resolve
 * (LPS_EINVALID, naming file:line:col), an unreadable LPS_SCHEMA_DIR
 * (LPS_ESYS / LPS_ENOTFOUND), out of memory.  A failure is not remembered:
 * the next call tries again.
 */
struct lps_error *lps_registry_get(const struct lps_registry **out);

/*
 * Free the process-wide registry now (the next lps_registry_get() builds a
 * new one, reading LPS_SCHEMA_DIR again).  No other thread may be using
 * it.  Also registered with atexit() when the registry is first built.
 */
void lps_registry_shutdown(void);

/*
 * A registry of the built-in files (dir == NULL) or of dir's
 * *.schema.yaml files (and the *.yaml files of dir/frameworks if that
 * folder exists, else the built-in frameworks).  The caller frees it
 * with lps_registry_free().
 * Errors as for lps_registry_get(); a directory with no *.schema.yaml is
 * LPS_ENOTFOUND.
 */
struct lps_error *lps_registry_open(struct lps_registry **out,
				    const char *dir);
void lps_registry_free(struct lps_registry *reg);

/* The schema directory the registry was read from, or NULL (built in). */
const char *lps_registry_dir(const struct lps_registry *reg);

/*
 * The root schema named `name` ("goal" or "goal.schema.yaml"), or NULL.
 * Owned by reg.
 */
const struct lps_schema *lps_registry_schema(const struct lps_registry *reg,
					     const char *name);

/* Number of schemas, and the name ("goal") of the i-th, in name order. */
size_t lps_registry_count(const struct lps_registry *reg);
const char *lps_registry_name(const struct lps_registry *reg, size_t i);

/*
 * The compiled set behind reg (owned by reg), for callers that look a
 * schema up by URI.  It is resolved; do not add to it.
 */
struct lps_schema_set *lps_registry_set(const struct lps_registry *reg);

/* A framework file as the registry found it. */
struct lps_registry_file {
	const char *name;  /* "frameworks/lfl.yaml" */
	const char *data;  /* NUL-terminated */
	size_t len;
};

/* Number of framework files, and the i-th (owned by reg), in name order. */
size_t lps_registry_framework_count(const struct lps_registry *reg);
const struct lps_registry_file *lps_registry_framework(
	const struct lps_registry *reg, size_t i);

/*
 * The schema name governing a portfolio-relative path, or NULL when lps
 * keeps no document there:
 *   lps.yaml -> "portfolio", goals/X.yaml -> "goal",
 *   evidence/X.yaml -> "evidence" (evidence/ID/NAME is an attachment: NULL),
 *   reflections/X.yaml -> "reflection", feedback/X.yaml -> "feedback",
 *   assessments/CYCLE/X.yaml -> "assessment",
 *   frameworks/X.yaml -> "framework".
 * X is a non-empty name not starting with '.'; paths are '/'-separated with
 * no leading "./", and no component may be hidden (".name").  The result
 * is a static string.
 */
const char *lps_registry_schema_for_path(const char *path);

/* What a portfolio-relative path holds (lps_registry_place). */
enum lps_registry_place_kind {
	LPS_PLACE_OTHER,      /* not lps's business: files at the top other
			       * than lps.yaml, folders lps does not use,
			       * anything hidden (a component ".name") */
	LPS_PLACE_DOCUMENT,   /* a document of the schema `schema` */
	LPS_PLACE_ATTACHMENT, /* evidence/ID/NAME: the file attached to the
			       * evidence ID */
	LPS_PLACE_STRAY,      /* in a document folder but neither a
			       * document nor an attachment */
};

struct lps_registry_place {
	enum lps_registry_place_kind kind;
	const char *schema;   /* DOCUMENT: as lps_registry_schema_for_path
			       * (static); else NULL */
	const char *owner;    /* ATTACHMENT: the evidence id, pointing into
			       * the path (owner_len bytes, no NUL) */
	size_t owner_len;
	const char *name;     /* ATTACHMENT: the file name, pointing into
			       * the path */
};

/* A folder lps keeps documents in. */
struct lps_registry_folder {
	const char *dir;  /* "goals/" */
	int depth;        /* levels of sub-folders the layout has below it:
			   * 1 for evidence/ (evidence/ID/NAME attachments)
			   * and assessments/ (assessments/CYCLE/X.yaml),
			   * else 0 */
};

/* Number of document folders, and the i-th (static; NULL past the end). */
size_t lps_registry_folder_count(void);
const struct lps_registry_folder *lps_registry_folder(size_t i);

/*
 * Classify a portfolio-relative path ('/'-separated, no leading "./")
 * into *out; the one table of which path holds what, shared by
 * lps_registry_schema_for_path and lps check.  The pointers of *out point
 * into path or are static.
 */
void lps_registry_place(struct lps_registry_place *out, const char *path);

/* 1 when documents of this schema carry `lps: VERSION` (the portfolio
 * documents and frameworks), else 0. */
int lps_registry_is_document(const char *name);

/*
 * Validate the tree `root` against the schema `name`, formats asserted,
 * appending every error to *findings (may be NULL) and setting *valid to 1
 * or 0.  For a document schema whose `lps` key holds an integer other than
 * this lps's format version, the only finding is that version (keyword
 * "const", a message saying the file needs another lps) and nothing else
 * is checked: a newer format is refused, not picked apart.
 * Errors: unknown schema name (LPS_ENOTFOUND), out of memory.
 */
struct lps_error *lps_registry_validate(int *valid,
					struct lps_findings *findings,
					const struct lps_registry *reg,
					const char *name,
					const struct lps_node *root);

/*
 * The same, choosing the schema from the portfolio-relative path
 * (lps_registry_schema_for_path).  A path that holds no document is
 * LPS_ENOTFOUND naming it.
 */
struct lps_error *lps_registry_validate_path(int *valid,
					     struct lps_findings *findings,
					     const struct lps_registry *reg,
					     const char *path,
					     const struct lps_node *root);

#endif
