/*
 * doc.h - the YAML document model.
 *
 * A document is loaded (with libyaml) into a tree of nodes that keep their
 * line and column.  Scalars are typed by the YAML 1.2 core schema, the way
 * DESIGN section 3 says: only true/false are booleans; null, ~ and empty are
 * null; quoted scalars are always strings; yes/no/on/off and dates are
 * strings; integers and floats follow the 1.2 core rules (decimal, 0o octal,
 * 0x hex; .inf/.nan).  JSON is YAML, so JSON files load through the same
 * loader.  Duplicate keys, too many alias expansions, too deep nesting and
 * too big documents are errors naming file, line and column.
 *
 * All nodes and strings of a document live in the document's arena and are
 * freed together by lps_doc_free().  Nodes can also be built by hand (for
 * documents lps writes) with the lps_doc_new_* functions, and emitted as
 * canonical YAML by lps_doc_emit().
 */
#ifndef LPS_DOC_H
#define LPS_DOC_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "error.h"

enum lps_node_type {
	LPS_NODE_NULL,
	LPS_NODE_BOOL,
	LPS_NODE_INT,    /* fits in int64_t */
	LPS_NODE_FLOAT,  /* a double; also integers too big for int64_t */
	LPS_NODE_STRING,
	LPS_NODE_SEQ,
	LPS_NODE_MAP,
};

struct lps_node;

struct lps_pair {
	const char *key;       /* NUL-terminated UTF-8 (arena) */
	size_t key_len;        /* bytes, not counting NUL (keys may hold NUL) */
	unsigned line, col;    /* where the key starts, 1-based */
	struct lps_node *value;
};

struct lps_node {
	enum lps_node_type type;
	unsigned line, col;    /* where the node starts, 1-based; 0 if built */
	unsigned quoted : 1;   /* scalar was not plain in the source (quoted
				* or block): always a string */
	unsigned cap_log2 : 6; /* private to doc.c: 0 = items/pairs array is
				* exactly n long, else its capacity is
				* 1 << cap_log2 (grown by the builders) */
	union {
		int boolean;
		int64_t integer;
		double number;
		struct {
			const char *ptr;  /* NUL-terminated UTF-8 (arena) */
			size_t len;       /* bytes, not counting NUL */
		} str;
		struct {
			struct lps_node **items;
			size_t n;
		} seq;
		struct {
			struct lps_pair *pairs;  /* in document order */
			size_t n;
		} map;
	} v;
};

/* Limits applied by the loader; LPS_DOC_LIMITS_DEFAULT are lps's own. */
struct lps_doc_limits {
	size_t max_bytes;     /* size of the source text */
	size_t max_depth;     /* nesting of collections */
	size_t max_nodes;     /* total nodes after alias expansion */
};

#define LPS_DOC_MAX_BYTES (8u * 1024 * 1024)
#define LPS_DOC_MAX_DEPTH 256
#define LPS_DOC_MAX_NODES 1000000
#define LPS_DOC_LIMITS_DEFAULT \
	{ LPS_DOC_MAX_BYTES, LPS_DOC_MAX_DEPTH, LPS_DOC_MAX_NODES }

struct lps_doc;

/*
 * Load one YAML (or JSON) document from text[0..len).  `name` is the file
 * name used in error messages (copied).  limits may be NULL for the
 * defaults.  An empty stream loads as a document whose root is NULL-typed.
 * A stream with more than one document is an error.  Invalid UTF-8, tabs
 * used as indentation, syntax errors, duplicate keys and exceeded limits
 * are LPS_EINVALID errors carrying file, line and column.
 * On success *out is a new document the caller frees with lps_doc_free().
 */
struct lps_error *lps_doc_load(struct lps_doc **out, const char *name,
			       const char *text, size_t len,
			       const struct lps_doc_limits *limits);

/* Read the file at path and load it; name in errors is `path`. */
struct lps_error *lps_doc_load_file(struct lps_doc **out, const char *path,
				    const struct lps_doc_limits *limits);

/* An empty document (root NULL-typed) to build nodes in. */
struct lps_error *lps_doc_new(struct lps_doc **out, const char *name);

void lps_doc_free(struct lps_doc *doc);

/* The root node (never NULL) and the name given at load time. */
struct lps_node *lps_doc_root(const struct lps_doc *doc);
void lps_doc_set_root(struct lps_doc *doc, struct lps_node *root);
const char *lps_doc_name(const struct lps_doc *doc);

/*
 * Builders.  Each returns a node allocated in doc's arena (copying any
 * string given), or NULL when out of memory.  Collections grow as items
 * are added.
 */
struct lps_node *lps_doc_new_null(struct lps_doc *doc);
struct lps_node *lps_doc_new_bool(struct lps_doc *doc, int value);
struct lps_node *lps_doc_new_int(struct lps_doc *doc, int64_t value);
struct lps_node *lps_doc_new_float(struct lps_doc *doc, double value);
struct lps_node *lps_doc_new_string(struct lps_doc *doc, const char *s);
struct lps_node *lps_doc_new_stringn(struct lps_doc *doc, const char *s,
				     size_t len);
struct lps_node *lps_doc_new_seq(struct lps_doc *doc);
struct lps_node *lps_doc_new_map(struct lps_doc *doc);
/* Deep-copy a node (possibly of another document) into doc. */
struct lps_node *lps_doc_copy(struct lps_doc *doc, const struct lps_node *n);

/* Append item to seq.  0, or -1 when out of memory. */
int lps_seq_append(struct lps_doc *doc, struct lps_node *seq,
		   struct lps_node *item);
/* Set key in map to value, replacing an existing value in place or
 * appending.  0, or -1 when out of memory. */
int lps_map_set(struct lps_doc *doc, struct lps_node *map, const char *key,
		struct lps_node *value);
/* Remove key from map; 1 if it was there, 0 if not. */
int lps_map_remove(struct lps_node *map, const char *key);

/* The value of key in map, or NULL (also when map is not a map). */
struct lps_node *lps_map_get(const struct lps_node *map, const char *key);
/* The string of a STRING node, or NULL for any other node (or NULL). */
const char *lps_node_str(const struct lps_node *n);

/*
 * The type a plain (unquoted) scalar with text s[0..len) loads as: NULL,
 * BOOL, INT, FLOAT or STRING.  s must be NUL-terminated at len.
 */
enum lps_node_type lps_doc_plain_type(const char *s, size_t len);

/* "null", "boolean", "integer", "number", "string", "array", "object":
 * the JSON Schema name of the node's type. */
const char *lps_node_type_name(const struct lps_node *n);

/* Deep equality as JSON Schema defines it (1 == 1.0; maps unordered). */
int lps_node_equal(const struct lps_node *a, const struct lps_node *b);

/*
 * Emit n as canonical YAML into out (appending): block style, keys in the
 * order of the map's pairs, strings quoted only where a plain scalar would
 * be read back as something else (or would not round-trip), UTF-8, one
 * trailing newline, "---" never.  Emitting the same tree twice gives the
 * same bytes, and loading the output gives an equal tree.
 * Returns NULL or LPS_ENOMEM.
 */
struct lps_error *lps_doc_emit(const struct lps_node *n, struct lps_buf *out);

/*
 * Emit n as JSON (for --format json output): 2-space indentation, keys in
 * pair order, one trailing newline, integers as integers, floats in the
 * shortest text that reads back the same (non-finite ones as null).
 * Returns NULL or LPS_ENOMEM.
 */
struct lps_error *lps_doc_emit_json(const struct lps_node *n,
				    struct lps_buf *out);

/*
 * Append s as a JSON string literal (with quotes) to out: RFC 8259
 * escapes (\n \t \r \b \f, other controls and DEL as \u00XX, U+2028/U+2029
 * escaped too), other UTF-8 as is, each byte of ill-formed UTF-8 as
 * \ufffd.  0, or -1 on ENOMEM.
 */
int lps_json_quote(struct lps_buf *out, const char *s, size_t len);

#endif
