/*
 * framework.h - frameworks of standards: the built-in ones (lps, lfl,
 * issl, wsbc, from the registry) and those a portfolio adds under
 * frameworks/.  Standards are named across lps as "FRAMEWORK.CODE"
 * (issl.1a, lfl.focus); reflection prompts as "FRAMEWORK.CODE.N".
 *
 * A set of frameworks keeps the documents it was built from; every string
 * below points into them and lives as long as the set.
 */
#ifndef LPS_FRAMEWORK_H
#define LPS_FRAMEWORK_H

#include <stddef.h>
#include "doc.h"
#include "error.h"
#include "registry.h"

struct lps_framework;

struct lps_standard {
	const char *code;         /* "1a", unique in its framework */
	const char *title;
	const char *description;  /* or NULL */
	const struct lps_standard *parent;  /* enclosing standard, or NULL */
	unsigned depth;           /* 0 for a top-level standard */
	const struct lps_framework *framework;
	const struct lps_node *node;  /* its mapping (line, col) */
};

struct lps_prompt {
	const char *id;           /* "lfl.focus.1" */
	const char *text;
	const char *phase;        /* NULL: the prompt fits every phase */
	const struct lps_standard *standard;
	const struct lps_node *node;
};

struct lps_framework {
	const char *name;         /* "issl" */
	const char *title;
	const char *description;  /* or NULL */
	const char *source;       /* or NULL */
	const char *version;      /* or NULL */
	const char *path;         /* "frameworks/x.yaml" of the portfolio, or
				   * NULL for a built-in framework */
	struct lps_standard *standards;  /* depth first, document order */
	size_t nstandards;
	struct lps_prompt *prompts;      /* document order */
	size_t nprompts;
	struct lps_doc *doc;             /* owned */
};

struct lps_frameworks;

/*
 * A set holding the frameworks of reg (the built-in ones, or those of
 * LPS_SCHEMA_DIR), each validated.  Free with lps_frameworks_free().
 * A framework that does not validate is LPS_EINVALID naming it.
 */
struct lps_error *lps_frameworks_new(struct lps_frameworks **out,
				     const struct lps_registry *reg);
void lps_frameworks_free(struct lps_frameworks *fws);

/*
 * Add a portfolio's framework, loaded from `path` ("frameworks/x.yaml",
 * may be NULL for a file given on the command line).  The set takes
 * ownership of doc, also on error.  Errors, all LPS_EINVALID with
 * file:line:col: the document does not validate against the framework
 * schema (the first finding is the message); its name differs from the
 * file name; the name is taken (built in, or added before); two standards
 * share a code; a prompt id is not "NAME.CODE.N" for the standard that
 * holds it, or is used twice.  On error the set is unchanged.
 */
struct lps_error *lps_frameworks_add(struct lps_frameworks *fws,
				     struct lps_doc *doc, const char *path);

struct lps_portfolio;

/*
 * The built-in frameworks plus those p keeps under frameworks/ as of HEAD
 * (p NULL: the built-in ones only).  An added framework that does not
 * load, validate or pass the checks of lps_frameworks_add is left out
 * (lps check reports it), so one bad file never hides the others.  Free
 * *out with lps_frameworks_free().  Errors: the registry's, reading the
 * repository, out of memory.
 */
struct lps_error *lps_frameworks_load(struct lps_frameworks **out,
				      struct lps_portfolio *p);

/* Number of frameworks and the i-th: built-in ones first (by name), then
 * added ones in the order added. */
size_t lps_frameworks_count(const struct lps_frameworks *fws);
const struct lps_framework *lps_frameworks_at(const struct lps_frameworks *fws,
					      size_t i);

/* The framework called name, or NULL. */
const struct lps_framework *lps_frameworks_find(
	const struct lps_frameworks *fws, const char *name);

/* The standard "FRAMEWORK.CODE", or NULL (also for a malformed ref). */
const struct lps_standard *lps_frameworks_standard(
	const struct lps_frameworks *fws, const char *ref);

/* The prompt with this id, or NULL. */
const struct lps_prompt *lps_frameworks_prompt(
	const struct lps_frameworks *fws, const char *id);

/*
 * Every prompt of every framework (in framework order) that fits phase
 * (phase NULL: all prompts; a prompt without a phase fits every phase).
 * *out is a malloc'd array of *n pointers the caller frees with free()
 * (NULL when *n is 0).  Errors: out of memory.
 */
struct lps_error *lps_frameworks_prompts(const struct lps_prompt ***out,
					 size_t *n,
					 const struct lps_frameworks *fws,
					 const char *phase);

#endif
