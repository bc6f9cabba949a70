/*
 * schema.c - JSON Schema 2020-12 compiled into flat per-object keyword
 * arrays, then evaluated over doc trees.
 *
 * Compilation reads the schema document once: every schema object becomes
 * a struct lps_schema holding an array of compiled keywords (struct kw) in
 * a fixed evaluation order, with property tables sorted for binary search,
 * regexes compiled, and enum/const values kept as doc nodes.  Everything
 * compiled lives in the set's arena and is released with the set.
 *
 * Validation never allocates on the success path: the instance path is a
 * chain of stack frames turned into a string only when a finding is made,
 * and applicators that only need an answer (anyOf, oneOf, not, if,
 * contains, propertyNames) run with findings switched off.
 *
 * unevaluatedProperties/unevaluatedItems need to know what the other
 * keywords evaluated.  A schema using one keeps a bit set of its
 * instance's members on its stack (struct evals) and hands it to the
 * in-place subschemas that can mark something in it (lps_schema.annot,
 * worked out when resolving); everywhere else the collector is NULL and
 * validation runs as it would without these keywords.
 */
#include "schema.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "format.h"
#include "pattern.h"
#include "uri.h"
#include "utf8.h"

/* Nesting of schema objects in one document, and of evaluation at run
 * time (a backstop: $ref cycles are refused when resolving). */
#define MAX_COMPILE_DEPTH 512
#define MAX_EVAL_DEPTH 2048
/* Longest chain of same-instance references examined for cycles. */
#define MAX_REF_CHAIN 4096
/* How many enum values a message lists before "...". */
#define MAX_ENUM_SHOWN 8

static const char DRAFT[] = "https://json-schema.org/draft/2020-12/schema";

/* ---- arena ---------------------------------------------------------- */

struct chunk {
	struct chunk *next;
	size_t used, cap;
	max_align_t data[];
};

static void *arena_alloc(struct chunk **arena, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) *
	    sizeof(max_align_t);
	struct chunk *c = *arena;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > 16384 ? n : 16384;
		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->next = *arena;
		c->used = 0;
		c->cap = cap;
		*arena = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

static char *arena_strdup(struct chunk **arena, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = arena_alloc(arena, n);
	if (p)
		memcpy(p, s, n);
	return p;
}

/* ---- compiled form -------------------------------------------------- */

enum kwt {
	K_REF, K_DYNREF, K_TYPE, K_ENUM, K_CONST,
	K_MULTIPLE, K_MINIMUM, K_MAXIMUM, K_EXMIN, K_EXMAX,
	K_MINLEN, K_MAXLEN, K_PATTERN, K_FORMAT,
	K_MINITEMS, K_MAXITEMS, K_UNIQUE, K_PREFIX, K_ITEMS, K_CONTAINS,
	K_MINPROPS, K_MAXPROPS, K_REQUIRED, K_DEPREQ, K_PROPS, K_PATPROPS,
	K_ADDPROPS, K_PROPNAMES, K_DEPSCHEMAS,
	K_ALLOF, K_ANYOF, K_ONEOF, K_NOT, K_IF,
	/* last: they read what every keyword before them evaluated */
	K_UNEVALPROPS, K_UNEVALITEMS,
	K_NTYPES
};

/* The keywords about the instance's own value (type, enum, const and
 * the number and string ones): what check_value() evaluates. */
static int value_keyword(enum kwt t)
{
	switch (t) {
	case K_TYPE: case K_ENUM: case K_CONST:
	case K_MULTIPLE: case K_MINIMUM: case K_MAXIMUM: case K_EXMIN:
	case K_EXMAX: case K_MINLEN: case K_MAXLEN: case K_PATTERN:
	case K_FORMAT:
		return 1;
	default:
		return 0;
	}
}

/*
 * What a schema annotates as "evaluated" at its own instance location:
 * property names of an object, items of an array.  Only a schema with
 * unevaluatedProperties/unevaluatedItems reads these annotations, so
 * they are collected only below such a schema, and only through
 * subschemas whose `annot` says they can produce any.
 */
enum {
	A_PROPS = 1,
	A_ITEMS = 2,
};

/* Type bits; an integral number carries both T_INTEGER and T_NUMBER. */
enum {
	T_NULL = 1, T_BOOLEAN = 2, T_OBJECT = 4, T_ARRAY = 8,
	T_NUMBER = 16, T_STRING = 32, T_INTEGER = 64,
};

struct num {
	int is_int;
	int64_t i;
	double d;
};

struct prop {
	const char *key;
	size_t len;
	unsigned order;              /* position in the schema's source */
	struct lps_schema *schema;   /* properties, dependentSchemas */
	const struct lps_node *list; /* dependentRequired: array of names */
};

struct pat {
	struct lps_pattern re;
	const char *src;
	struct lps_schema *schema;
};

struct ref {
	const char *uri;            /* absolute, with fragment */
	const char *text;           /* as written */
	struct lps_schema *target;  /* NULL until resolved */
	const char *dyn_name;       /* $dynamicRef: the anchor name, or NULL */
	int dynamic;                /* $dynamicRef whose target is a bookend */
	const char *file;
	unsigned line, col;
};

struct kw {
	enum kwt t;
	const struct lps_node *val;  /* the keyword's value in the schema */
	union {
		unsigned mask;
		struct num num;
		size_t count;
		struct pat *pat;
		enum lps_format fmt;
		struct lps_schema *sub;
		struct {
			struct lps_schema **v;
			size_t n;
		} list;
		struct {
			struct lps_schema *i, *t, *e;
		} cond;
		struct {
			struct lps_schema *sub;
			size_t min, max;
			int min_given;
		} contains;
		struct {
			struct prop *v;
			size_t n;
		} props;
		struct {
			struct pat *v;
			size_t n;
		} pats;
		struct ref *ref;
		/* required: per name, its index in the schema's properties
		 * (-1: not listed there); NULL without properties */
		const short *req;
	} u;
};

/* A $dynamicAnchor of a schema resource. */
struct dyn {
	const char *name;
	struct lps_schema *schema;
	struct dyn *next;
};

struct lps_schema {
	signed char boolean;         /* 1 true, 0 false, -1 an object */
	unsigned char mark;          /* cycle search: 0 new, 1 open, 2 done */
	const struct lps_node *node;
	const char *base;            /* base URI in effect here */
	struct lps_schema *res;      /* the resource (root or $id) it is in */
	struct dyn *dyns;            /* on a resource: its $dynamicAnchors */
	const char *dynanchor;       /* its own $dynamicAnchor, or NULL */
	unsigned char own;           /* A_* its own keywords annotate */
	unsigned char annot;         /* A_* it or its in-place subschemas
				      * annotate (set by resolve) */
	unsigned char uneval;        /* A_* of its unevaluated* keywords */
	struct kw *kws;
	size_t nkw;
	unsigned char only_ref;      /* its one keyword is $ref */
	unsigned char values_only;   /* every keyword is a value_keyword() */
	/* siblings that additionalProperties and items depend on */
	struct prop *props;
	size_t nprops;
	/* props by key_hash(): open addressing, slots hold 1 + index, 0
	 * when free; NULL for a table too big for 16 bits */
	unsigned short *slots;
	size_t slot_mask;
	struct pat *pats;
	size_t npats;
	size_t nprefix;
};

struct uri_entry {
	const char *uri;
	struct lps_schema *schema;
};

struct lps_schema_set {
	struct chunk *arena;
	struct lps_doc **docs;
	size_t ndocs, capdocs;
	struct uri_entry *uris;
	size_t nuris, capuris;
	/* node -> compiled schema, open addressing on the node address */
	const struct lps_node **mkeys;
	struct lps_schema **mvals;
	size_t mcap, mn;
	struct ref **refs;
	size_t nrefs, caprefs;
	struct lps_pattern **res;
	size_t nres, capres;
	int has_uneval;  /* some schema uses unevaluated*: annot matters */
	lps_schema_loader loader;  /* or NULL */
	void *loader_ctx;
	unsigned nloads;           /* loader calls so far */
};

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 16;
	void *p = realloc(*v, c * size);
	if (!p)
		return -1;
	*v = p;
	*cap = c;
	return 0;
}

static size_t hash_ptr(const void *p, size_t cap)
{
	uintptr_t x = (uintptr_t)p;
	x ^= x >> 17;
	x *= (uintptr_t)0x9e3779b97f4a7c15ull;
	x ^= x >> 29;
	return (size_t)x & (cap - 1);
}

static int map_put(struct lps_schema_set *set, const struct lps_node *k,
		   struct lps_schema *v)
{
	if ((set->mn + 1) * 2 > set->mcap) {
		size_t cap = set->mcap ? set->mcap * 2 : 256;
		const struct lps_node **keys = calloc(cap, sizeof(*keys));
		struct lps_schema **vals = calloc(cap, sizeof(*vals));
		if (!keys || !vals) {
			free(keys);
			free(vals);
			return -1;
		}
		for (size_t i = 0; i < set->mcap; i++) {
			if (!set->mkeys[i])
				continue;
			size_t h = hash_ptr(set->mkeys[i], cap);
			while (keys[h])
				h = (h + 1) & (cap - 1);
			keys[h] = set->mkeys[i];
			vals[h] = set->mvals[i];
		}
		free(set->mkeys);
		free(set->mvals);
		set->mkeys = keys;
		set->mvals = vals;
		set->mcap = cap;
	}
	size_t h = hash_ptr(k, set->mcap);
	while (set->mkeys[h] && set->mkeys[h] != k)
		h = (h + 1) & (set->mcap - 1);
	if (!set->mkeys[h])
		set->mn++;
	set->mkeys[h] = k;
	set->mvals[h] = v;
	return 0;
}

static struct lps_schema *map_get(const struct lps_schema_set *set,
				  const struct lps_node *k)
{
	if (!set->mcap)
		return NULL;
	size_t h = hash_ptr(k, set->mcap);
	while (set->mkeys[h]) {
		if (set->mkeys[h] == k)
			return set->mvals[h];
		h = (h + 1) & (set->mcap - 1);
	}
	return NULL;
}

/* ---- set ------------------------------------------------------------ */

struct lps_error *lps_schema_set_new(struct lps_schema_set **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? NULL : lps_error_nomem();
}

void lps_schema_set_free(struct lps_schema_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->nres; i++)
		lps_pattern_free(set->res[i]);
	free(set->res);
	for (size_t i = 0; i < set->ndocs; i++)
		lps_doc_free(set->docs[i]);
	free(set->docs);
	free(set->uris);
	free(set->mkeys);
	free(set->mvals);
	free(set->refs);
	while (set->arena) {
		struct chunk *c = set->arena;
		set->arena = c->next;
		free(c);
	}
	free(set);
}

static struct lps_schema *uri_find(const struct lps_schema_set *set,
				   const char *uri, size_t len)
{
	for (size_t i = 0; i < set->nuris; i++)
		if (strlen(set->uris[i].uri) == len &&
		    !memcmp(set->uris[i].uri, uri, len))
			return set->uris[i].schema;
	return NULL;
}

/* ---- compiler ------------------------------------------------------- */

struct cctx {
	struct lps_schema_set *set;
	const char *file;
	struct lps_error *err;
	struct lps_schema *res;  /* the schema resource being compiled */
	unsigned vocab_off;      /* V_* its meta-schema leaves out */
};

static struct lps_error *at(struct cctx *cc, unsigned line, unsigned col,
			    const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static struct lps_error *at(struct cctx *cc, unsigned line, unsigned col,
			    const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!cc->err)
		cc->err = lps_error_at(LPS_EINVALID, cc->file, line, col,
				       "%s", msg);
	return cc->err;
}

static void nomem(struct cctx *cc)
{
	if (!cc->err)
		cc->err = lps_error_nomem();
}

/* A short, printable excerpt of a string for messages. */
static void quote(struct lps_buf *b, const char *s, size_t n, size_t max)
{
	lps_buf_addc(b, '"');
	size_t i = 0;
	while (i < n && i < max) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			lps_buf_addf(b, "\\%c", c);
		else if (c == '\n')
			lps_buf_adds(b, "\\n");
		else if (c == '\t')
			lps_buf_adds(b, "\\t");
		else if (c < 0x20 || c == 0x7f)
			lps_buf_addf(b, "\\u%04x", c);
		else
			lps_buf_addc(b, (char)c);
		i++;
	}
	if (i < n) {
		/* do not cut a UTF-8 sequence in half */
		while (b->len && ((unsigned char)b->data[b->len - 1] & 0xc0) ==
					 0x80)
			b->len--;
		if (b->len && (unsigned char)b->data[b->len - 1] >= 0xc0)
			b->len--;
		lps_buf_adds(b, "...");
	}
	lps_buf_addc(b, '"');
}

static void add_double(struct lps_buf *b, double d)
{
	char tmp[40];
	if (isnan(d)) {
		lps_buf_adds(b, ".nan");
		return;
	}
	if (isinf(d)) {
		lps_buf_adds(b, d < 0 ? "-.inf" : ".inf");
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	lps_buf_adds(b, tmp);
}

/* A value as it would be written in JSON (collections abbreviated). */
static void render(struct lps_buf *b, const struct lps_node *n)
{
	switch (n->type) {
	case LPS_NODE_NULL: lps_buf_adds(b, "null"); break;
	case LPS_NODE_BOOL: lps_buf_adds(b, n->v.boolean ? "true" : "false"); break;
	case LPS_NODE_INT: lps_buf_addf(b, "%lld", (long long)n->v.integer); break;
	case LPS_NODE_FLOAT: add_double(b, n->v.number); break;
	case LPS_NODE_STRING: quote(b, n->v.str.ptr, n->v.str.len, 60); break;
	case LPS_NODE_SEQ: lps_buf_adds(b, n->v.seq.n ? "[...]" : "[]"); break;
	case LPS_NODE_MAP: lps_buf_adds(b, n->v.map.n ? "{...}" : "{}"); break;
	}
}

static int is_integral(double d)
{
	return isfinite(d) && floor(d) == d;
}

static int get_num(const struct lps_node *n, struct num *out)
{
	if (n->type == LPS_NODE_INT) {
		out->is_int = 1;
		out->i = n->v.integer;
		out->d = (double)n->v.integer;
		return 1;
	}
	if (n->type == LPS_NODE_FLOAT) {
		out->is_int = 0;
		out->d = n->v.number;
		return 1;
	}
	return 0;
}

/* A non-negative integer keyword value (2.0 counts); -1 if not one. */
static int get_count(const struct lps_node *n, size_t *out)
{
	if (n->type == LPS_NODE_INT && n->v.integer >= 0) {
		*out = (size_t)n->v.integer;
		return 0;
	}
	if (n->type == LPS_NODE_FLOAT && is_integral(n->v.number) &&
	    n->v.number >= 0) {
		*out = n->v.number >= (double)SIZE_MAX ? SIZE_MAX
							: (size_t)n->v.number;
		return 0;
	}
	return -1;
}

static int key_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	if (c)
		return c;
	return an < bn ? -1 : an > bn;
}

static int prop_cmp(const void *x, const void *y)
{
	const struct prop *a = x, *b = y;
	return key_cmp(a->key, a->len, b->key, b->len);
}

static const struct prop *prop_find(const struct prop *v, size_t n,
				    const char *key, size_t len)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = key_cmp(key, len, v[mid].key, v[mid].len);
		if (!c)
			return &v[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Properties are found by hash rather than by bisection: this runs
 * for every member of every object validated.  Length and three bytes
 * tell apart the names schemas use. */
static size_t key_hash(const char *key, size_t len)
{
	if (!len)
		return 0;
	const unsigned char *k = (const unsigned char *)key;
	uint64_t x = len | (uint64_t)k[0] << 16 | (uint64_t)k[len / 2] << 24 |
		     (uint64_t)k[len - 1] << 32;
	return (size_t)((x * 0x9e3779b97f4a7c15u) >> 40);
}

/* A table this small is looked through, lengths first, rather than
 * hashed into (an if: {properties: {status: ...}} meets every member). */
#define PROPS_SCAN 4

/* The entry of key among s's properties, or NULL.  Inlined: it runs
 * once for every member of every object validated. */
static inline __attribute__((always_inline)) const struct prop *
prop_lookup(const struct lps_schema *s, const char *key, size_t len)
{
	if (s->nprops <= PROPS_SCAN) {
		for (size_t j = 0; j < s->nprops; j++)
			if (s->props[j].len == len &&
			    !memcmp(s->props[j].key, key, len))
				return &s->props[j];
		return NULL;
	}
	if (!s->slots)
		return prop_find(s->props, s->nprops, key, len);
	for (size_t i = key_hash(key, len) & s->slot_mask;;
	     i = (i + 1) & s->slot_mask) {
		unsigned k = s->slots[i];
		if (!k)
			return NULL;
		const struct prop *p = &s->props[k - 1];
		if (p->len == len && !memcmp(p->key, key, len))
			return p;
	}
}

/* Index s's properties (see lps_schema.slots).  0, or -1 when out of
 * memory. */
static int index_props(struct lps_schema_set *set, struct lps_schema *s)
{
	if (!s->nprops || s->nprops >= USHRT_MAX)
		return 0;
	size_t cap = 8;
	while (cap < 2 * s->nprops)
		cap *= 2;
	unsigned short *t = arena_alloc(&set->arena, cap * sizeof(*t));
	if (!t)
		return -1;
	for (size_t j = 0; j < s->nprops; j++) {
		size_t i = key_hash(s->props[j].key, s->props[j].len) &
			   (cap - 1);
		while (t[i])
			i = (i + 1) & (cap - 1);
		t[i] = (unsigned short)(j + 1);
	}
	s->slots = t;
	s->slot_mask = cap - 1;
	return 0;
}

/* required: where each name is among s's properties (kw.u.req). */
static int index_required(struct lps_schema_set *set,
			  const struct lps_schema *s, struct kw *k)
{
	const struct lps_node *v = k->val;
	if (!s->nprops)
		return 0;
	short *ix = arena_alloc(&set->arena, v->v.seq.n * sizeof(*ix));
	if (!ix)
		return -1;
	for (size_t i = 0; i < v->v.seq.n; i++) {
		const struct lps_node *r = v->v.seq.items[i];
		const struct prop *e = prop_lookup(s, r->v.str.ptr,
						   r->v.str.len);
		ix[i] = e && e - s->props < SHRT_MAX ?
			(short)(e - s->props) : -1;
	}
	k->u.req = ix;
	return 0;
}

static struct lps_schema *compile(struct cctx *cc, const struct lps_node *n,
				  const char *base, unsigned depth);

static int register_uri(struct cctx *cc, const char *uri,
			struct lps_schema *s, const struct lps_node *where)
{
	struct lps_schema_set *set = cc->set;
	struct lps_schema *old = uri_find(set, uri, strlen(uri));
	if (old == s)
		return 0;
	if (old) {
		at(cc, where->line, where->col, "\"%s\" is already defined", uri);
		return -1;
	}
	if (grow((void **)&set->uris, &set->capuris, set->nuris,
		 sizeof(*set->uris)) < 0) {
		nomem(cc);
		return -1;
	}
	char *copy = arena_strdup(&set->arena, uri);
	if (!copy) {
		nomem(cc);
		return -1;
	}
	set->uris[set->nuris].uri = copy;
	set->uris[set->nuris].schema = s;
	set->nuris++;
	return 0;
}

static const char *const ANNOTATIONS[] = {
	"$comment", "title", "description", "default", "examples",
	"deprecated", "readOnly", "writeOnly", "contentMediaType",
	"contentEncoding", "contentSchema",
};

static int is_annotation(const char *k)
{
	for (size_t i = 0; i < sizeof(ANNOTATIONS) / sizeof(*ANNOTATIONS); i++)
		if (!strcmp(k, ANNOTATIONS[i]))
			return 1;
	return 0;
}

static int valid_anchor(const char *s)
{
	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
		return 0;
	for (s++; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || strchr("-_.", *s)))
			return 0;
	return 1;
}

/* Complain that keyword k (at pair p) has the wrong kind of value. */
static struct lps_schema *bad_value(struct cctx *cc, const struct lps_pair *p,
				    const char *what)
{
	at(cc, p->value->line, p->value->col, "\"%s\" must be %s", p->key,
	   what);
	return NULL;
}

static struct lps_schema **compile_list(struct cctx *cc,
					const struct lps_pair *p,
					const char *base, unsigned depth,
					size_t *count)
{
	const struct lps_node *v = p->value;
	if (v->type != LPS_NODE_SEQ || v->v.seq.n == 0) {
		bad_value(cc, p, "a non-empty array of schemas");
		return NULL;
	}
	struct lps_schema **list =
		arena_alloc(&cc->set->arena, v->v.seq.n * sizeof(*list));
	if (!list) {
		nomem(cc);
		return NULL;
	}
	for (size_t i = 0; i < v->v.seq.n; i++)
		if (!(list[i] = compile(cc, v->v.seq.items[i], base, depth + 1)))
			return NULL;
	*count = v->v.seq.n;
	return list;
}

/* properties, dependentSchemas: an object of schemas; sorted table. */
static struct prop *compile_props(struct cctx *cc, const struct lps_pair *p,
				  const char *base, unsigned depth,
				  size_t *count)
{
	const struct lps_node *v = p->value;
	if (v->type != LPS_NODE_MAP) {
		bad_value(cc, p, "an object of schemas");
		return NULL;
	}
	struct prop *t = arena_alloc(&cc->set->arena,
				     (v->v.map.n + 1) * sizeof(*t));
	if (!t) {
		nomem(cc);
		return NULL;
	}
	for (size_t i = 0; i < v->v.map.n; i++) {
		const struct lps_pair *e = &v->v.map.pairs[i];
		t[i].key = e->key;
		t[i].len = e->key_len;
		t[i].order = (unsigned)i;
		if (!(t[i].schema = compile(cc, e->value, base, depth + 1)))
			return NULL;
	}
	qsort(t, v->v.map.n, sizeof(*t), prop_cmp);
	*count = v->v.map.n;
	return t;
}

static int string_array(const struct lps_node *v, int unique)
{
	if (v->type != LPS_NODE_SEQ)
		return 0;
	for (size_t i = 0; i < v->v.seq.n; i++) {
		const struct lps_node *a = v->v.seq.items[i];
		if (a->type != LPS_NODE_STRING)
			return 0;
		for (size_t j = 0; unique && j < i; j++)
			if (!key_cmp(a->v.str.ptr, a->v.str.len,
				     v->v.seq.items[j]->v.str.ptr,
				     v->v.seq.items[j]->v.str.len))
				return 0;
	}
	return 1;
}

static int compile_pattern(struct cctx *cc, struct pat *pt,
			   const char *src, size_t len,
			   const struct lps_node *where)
{
	const char *why = "";
	int rc = lps_pattern_init(&pt->re, src, len, &why);
	if (rc == LPS_PATTERN_NOMEM) {
		nomem(cc);
		return -1;
	}
	if (rc != LPS_PATTERN_OK) {
		struct lps_buf b = LPS_BUF_INIT;
		quote(&b, src, len, 80);
		at(cc, where->line, where->col,
		   "pattern %s cannot be used (unsupported: %s)",
		   b.data ? b.data : "", why);
		lps_buf_free(&b);
		return -1;
	}
	struct lps_schema_set *set = cc->set;
	if (grow((void **)&set->res, &set->capres, set->nres,
		 sizeof(*set->res)) < 0) {
		lps_pattern_free(&pt->re);
		nomem(cc);
		return -1;
	}
	set->res[set->nres++] = &pt->re;
	pt->src = src;
	return 0;
}

static unsigned type_bit(const struct lps_node *t)
{
	static const struct {
		const char *name;
		unsigned bit;
	} names[] = {
		{ "null", T_NULL },     { "boolean", T_BOOLEAN },
		{ "object", T_OBJECT }, { "array", T_ARRAY },
		{ "number", T_NUMBER }, { "string", T_STRING },
		{ "integer", T_INTEGER },
	};
	if (t->type != LPS_NODE_STRING)
		return 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!strcmp(t->v.str.ptr, names[i].name))
			return names[i].bit;
	return 0;
}

/*
 * Vocabularies of draft 2020-12.  A meta-schema named by $schema lists
 * the ones its schemas use ($vocabulary); keywords of the others are
 * not evaluated (they read as annotations).
 */
enum {
	V_CORE = 1, V_APPLICATOR = 2, V_UNEVALUATED = 4, V_VALIDATION = 8,
	V_METADATA = 16, V_FORMAT = 32, V_CONTENT = 64,
};

static const struct {
	const char *uri; /* after "https://json-schema.org/draft/2020-12/vocab/" */
	unsigned bit;
} VOCABS[] = {
	{ "core", V_CORE },           { "applicator", V_APPLICATOR },
	{ "unevaluated", V_UNEVALUATED }, { "validation", V_VALIDATION },
	{ "meta-data", V_METADATA },  { "format-annotation", V_FORMAT },
	{ "format-assertion", V_FORMAT }, { "content", V_CONTENT },
};

/* The vocabulary keyword k belongs to; 0 when unknown (or core). */
static unsigned vocab_of(const char *k)
{
	static const char *const applicator[] = {
		"prefixItems", "items", "contains", "additionalProperties",
		"properties", "patternProperties", "dependentSchemas",
		"propertyNames", "if", "then", "else", "allOf", "anyOf",
		"oneOf", "not",
	};
	static const char *const validation[] = {
		"type", "const", "enum", "multipleOf", "maximum",
		"exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength",
		"minLength", "pattern", "maxItems", "minItems", "uniqueItems",
		"maxContains", "minContains", "maxProperties", "minProperties",
		"required", "dependentRequired",
	};
	for (size_t i = 0; i < sizeof(applicator) / sizeof(*applicator); i++)
		if (!strcmp(k, applicator[i]))
			return V_APPLICATOR;
	for (size_t i = 0; i < sizeof(validation) / sizeof(*validation); i++)
		if (!strcmp(k, validation[i]))
			return V_VALIDATION;
	if (!strcmp(k, "unevaluatedProperties") ||
	    !strcmp(k, "unevaluatedItems"))
		return V_UNEVALUATED;
	if (!strcmp(k, "format"))
		return V_FORMAT;
	return 0;
}

/* Everything a schema object says, gathered before ordering keywords. */
struct gather {
	struct kw k[K_NTYPES];
	int has[K_NTYPES];
	struct lps_schema *then_, *else_;
	const struct lps_node *min_contains, *max_contains;
};

static int add_ref(struct cctx *cc, struct kw *k, const struct lps_pair *p,
		   const char *base)
{
	struct lps_schema_set *set = cc->set;
	struct ref *r = arena_alloc(&set->arena, sizeof(*r));
	char *abs = lps_uri_resolve(base, p->value->v.str.ptr);
	if (!r || !abs) {
		free(abs);
		nomem(cc);
		return -1;
	}
	r->uri = arena_strdup(&set->arena, abs);
	free(abs);
	r->text = p->value->v.str.ptr;
	r->file = cc->file;
	r->line = p->value->line;
	r->col = p->value->col;
	if (!r->uri || grow((void **)&set->refs, &set->caprefs, set->nrefs,
			    sizeof(*set->refs)) < 0) {
		nomem(cc);
		return -1;
	}
	set->refs[set->nrefs++] = r;
	k->u.ref = r;
	return 0;
}

/*
 * One keyword of a schema object.  Returns 0, or -1 with cc->err set.
 */
static int keyword(struct cctx *cc, struct lps_schema *s, struct gather *g,
		   const struct lps_pair *p, unsigned depth)
{
	const char *k = p->key;
	const struct lps_node *v = p->value;
	const char *base = s->base;
	struct kw *kw = NULL;
	enum kwt t;

#define SET(type)                        \
	do {                             \
		t = (type);              \
		kw = &g->k[t];           \
		g->has[t] = 1;           \
		kw->t = t;               \
		kw->val = v;             \
	} while (0)

	if (!strcmp(k, "$id") || !strcmp(k, "$anchor") ||
	    !strcmp(k, "$dynamicAnchor") || !strcmp(k, "$schema") ||
	    !strcmp(k, "$vocabulary") || is_annotation(k)) {
		return 0; /* handled by identify() or annotation */
	}
	if (cc->vocab_off && (cc->vocab_off & vocab_of(k)))
		return 0; /* its vocabulary is not in use here */
	if (!strcmp(k, "format")) {
		if (v->type != LPS_NODE_STRING)
			return bad_value(cc, p, "a string"), -1;
		enum lps_format f = lps_format_lookup(v->v.str.ptr);
		if (f != LPS_FORMAT_UNKNOWN) {
			SET(K_FORMAT);
			kw->u.fmt = f;
		}
		return 0;
	}
	if (!strcmp(k, "$defs")) {
		if (v->type != LPS_NODE_MAP)
			return bad_value(cc, p, "an object of schemas"), -1;
		for (size_t i = 0; i < v->v.map.n; i++)
			if (!compile(cc, v->v.map.pairs[i].value, base,
				     depth + 1))
				return -1;
		return 0;
	}
	if (!strcmp(k, "$ref")) {
		if (v->type != LPS_NODE_STRING)
			return bad_value(cc, p, "a string"), -1;
		SET(K_REF);
		return add_ref(cc, kw, p, base);
	}
	if (!strcmp(k, "$dynamicRef")) {
		if (v->type != LPS_NODE_STRING)
			return bad_value(cc, p, "a string"), -1;
		SET(K_DYNREF);
		if (add_ref(cc, kw, p, base) < 0)
			return -1;
		/* only "#name" takes part in dynamic resolution */
		const char *h = strchr(v->v.str.ptr, '#');
		if (h && h[1] && h[1] != '/')
			kw->u.ref->dyn_name = h + 1;
		return 0;
	}
	if (!strcmp(k, "type")) {
		unsigned mask = 0;
		if (v->type == LPS_NODE_STRING) {
			mask = type_bit(v);
		} else if (v->type == LPS_NODE_SEQ && v->v.seq.n) {
			for (size_t i = 0; i < v->v.seq.n; i++) {
				unsigned b = type_bit(v->v.seq.items[i]);
				if (!b || (mask & b)) {
					mask = 0;
					break;
				}
				mask |= b;
			}
		}
		if (!mask)
			return bad_value(cc, p, "a type name or an array of "
						"distinct type names"), -1;
		SET(K_TYPE);
		kw->u.mask = mask;
		return 0;
	}
	if (!strcmp(k, "enum")) {
		if (v->type != LPS_NODE_SEQ)
			return bad_value(cc, p, "an array"), -1;
		SET(K_ENUM);
		return 0;
	}
	if (!strcmp(k, "const")) {
		SET(K_CONST);
		return 0;
	}
	static const struct {
		const char *name;
		enum kwt t;
	} numeric[] = {
		{ "multipleOf", K_MULTIPLE },   { "minimum", K_MINIMUM },
		{ "maximum", K_MAXIMUM },       { "exclusiveMinimum", K_EXMIN },
		{ "exclusiveMaximum", K_EXMAX },
	}, counts[] = {
		{ "minLength", K_MINLEN },      { "maxLength", K_MAXLEN },
		{ "minItems", K_MINITEMS },     { "maxItems", K_MAXITEMS },
		{ "minProperties", K_MINPROPS }, { "maxProperties", K_MAXPROPS },
	};
	for (size_t i = 0; i < sizeof(numeric) / sizeof(*numeric); i++) {
		if (strcmp(k, numeric[i].name))
			continue;
		struct num nv;
		if (!get_num(v, &nv) || (numeric[i].t == K_MULTIPLE &&
					 !(nv.is_int ? nv.i > 0 : nv.d > 0)))
			return bad_value(cc, p, numeric[i].t == K_MULTIPLE
							? "a number above 0"
							: "a number"), -1;
		SET(numeric[i].t);
		kw->u.num = nv;
		return 0;
	}
	for (size_t i = 0; i < sizeof(counts) / sizeof(*counts); i++) {
		if (strcmp(k, counts[i].name))
			continue;
		size_t c;
		if (get_count(v, &c) < 0)
			return bad_value(cc, p, "a non-negative integer"), -1;
		SET(counts[i].t);
		kw->u.count = c;
		return 0;
	}
	if (!strcmp(k, "minContains") || !strcmp(k, "maxContains")) {
		size_t c;
		if (get_count(v, &c) < 0)
			return bad_value(cc, p, "a non-negative integer"), -1;
		if (k[1] == 'i')
			g->min_contains = v;
		else
			g->max_contains = v;
		return 0;
	}
	if (!strcmp(k, "pattern")) {
		if (v->type != LPS_NODE_STRING)
			return bad_value(cc, p, "a string"), -1;
		struct pat *pt = arena_alloc(&cc->set->arena, sizeof(*pt));
		if (!pt)
			return nomem(cc), -1;
		if (compile_pattern(cc, pt, v->v.str.ptr, v->v.str.len, v) < 0)
			return -1;
		SET(K_PATTERN);
		kw->u.pat = pt;
		return 0;
	}
	if (!strcmp(k, "uniqueItems")) {
		if (v->type != LPS_NODE_BOOL)
			return bad_value(cc, p, "true or false"), -1;
		if (v->v.boolean)
			SET(K_UNIQUE);
		return 0;
	}
	if (!strcmp(k, "required")) {
		if (!string_array(v, 1))
			return bad_value(cc, p, "an array of distinct strings"),
			       -1;
		if (v->v.seq.n)
			SET(K_REQUIRED);
		return 0;
	}
	if (!strcmp(k, "dependentRequired")) {
		if (v->type != LPS_NODE_MAP)
			return bad_value(cc, p, "an object of string arrays"),
			       -1;
		struct prop *tb = arena_alloc(&cc->set->arena,
					      (v->v.map.n + 1) * sizeof(*tb));
		if (!tb)
			return nomem(cc), -1;
		for (size_t i = 0; i < v->v.map.n; i++) {
			const struct lps_pair *e = &v->v.map.pairs[i];
			if (!string_array(e->value, 1)) {
				at(cc, e->value->line, e->value->col,
				   "\"dependentRequired\" values must be "
				   "arrays of distinct strings");
				return -1;
			}
			tb[i].key = e->key;
			tb[i].len = e->key_len;
			tb[i].list = e->value;
		}
		SET(K_DEPREQ);
		kw->u.props.v = tb;
		kw->u.props.n = v->v.map.n;
		return 0;
	}
	if (!strcmp(k, "properties") || !strcmp(k, "dependentSchemas")) {
		size_t n = 0;
		struct prop *tb = compile_props(cc, p, base, depth, &n);
		if (!tb)
			return -1;
		SET(k[0] == 'p' ? K_PROPS : K_DEPSCHEMAS);
		kw->u.props.v = tb;
		kw->u.props.n = n;
		if (t == K_PROPS) {
			s->props = tb;
			s->nprops = n;
		}
		return 0;
	}
	if (!strcmp(k, "patternProperties")) {
		if (v->type != LPS_NODE_MAP)
			return bad_value(cc, p, "an object of schemas"), -1;
		struct pat *pv = arena_alloc(&cc->set->arena,
					     (v->v.map.n + 1) * sizeof(*pv));
		if (!pv)
			return nomem(cc), -1;
		for (size_t i = 0; i < v->v.map.n; i++) {
			const struct lps_pair *e = &v->v.map.pairs[i];
			struct lps_node where = { .line = e->line, .col = e->col };
			if (compile_pattern(cc, &pv[i], e->key, e->key_len,
					    &where) < 0)
				return -1;
			if (!(pv[i].schema = compile(cc, e->value, base,
						     depth + 1)))
				return -1;
		}
		SET(K_PATPROPS);
		kw->u.pats.v = pv;
		kw->u.pats.n = v->v.map.n;
		s->pats = pv;
		s->npats = v->v.map.n;
		return 0;
	}
	static const struct {
		const char *name;
		enum kwt t;
	} single[] = {
		{ "additionalProperties", K_ADDPROPS },
		{ "propertyNames", K_PROPNAMES }, { "items", K_ITEMS },
		{ "contains", K_CONTAINS },       { "not", K_NOT },
		{ "if", K_IF },                   { "then", K_NTYPES },
		{ "else", K_NTYPES },
		{ "unevaluatedProperties", K_UNEVALPROPS },
		{ "unevaluatedItems", K_UNEVALITEMS },
	};
	for (size_t i = 0; i < sizeof(single) / sizeof(*single); i++) {
		if (strcmp(k, single[i].name))
			continue;
		struct lps_schema *sub = compile(cc, v, base, depth + 1);
		if (!sub)
			return -1;
		if (!strcmp(k, "then")) {
			g->then_ = sub;
		} else if (!strcmp(k, "else")) {
			g->else_ = sub;
		} else {
			SET(single[i].t);
			kw->u.sub = sub;
		}
		return 0;
	}
	static const struct {
		const char *name;
		enum kwt t;
	} lists[] = {
		{ "allOf", K_ALLOF }, { "anyOf", K_ANYOF },
		{ "oneOf", K_ONEOF }, { "prefixItems", K_PREFIX },
	};
	for (size_t i = 0; i < sizeof(lists) / sizeof(*lists); i++) {
		if (strcmp(k, lists[i].name))
			continue;
		size_t n = 0;
		struct lps_schema **l = compile_list(cc, p, base, depth, &n);
		if (!l)
			return -1;
		SET(lists[i].t);
		kw->u.list.v = l;
		kw->u.list.n = n;
		if (t == K_PREFIX)
			s->nprefix = n;
		return 0;
	}
	at(cc, p->line, p->col, "unknown keyword \"%s\"", k);
	return -1;
#undef SET
}

static int schema_uri_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == sizeof(DRAFT) && s[n - 1] == '#')
		n--;
	return n == sizeof(DRAFT) - 1 && !memcmp(s, DRAFT, n);
}

/* The V_* bits a $vocabulary object turns on; -1 with cc->err set when
 * it is malformed.  *unknown (may be NULL) gets the first vocabulary it
 * requires that lps does not know, or NULL. */
static long vocabularies(struct cctx *cc, const struct lps_node *v,
			 const char **unknown)
{
	static const char prefix[] =
		"https://json-schema.org/draft/2020-12/vocab/";
	unsigned on = 0;
	if (v->type != LPS_NODE_MAP) {
		at(cc, v->line, v->col, "\"$vocabulary\" must be an object of "
					"URIs to true or false");
		return -1;
	}
	for (size_t i = 0; i < v->v.map.n; i++) {
		const struct lps_pair *p = &v->v.map.pairs[i];
		unsigned bit = 0;
		if (p->value->type != LPS_NODE_BOOL) {
			at(cc, p->value->line, p->value->col,
			   "\"$vocabulary\" values must be true or false");
			return -1;
		}
		if (!strncmp(p->key, prefix, sizeof(prefix) - 1))
			for (size_t j = 0; j < sizeof(VOCABS) / sizeof(*VOCABS);
			     j++)
				if (!strcmp(p->key + sizeof(prefix) - 1,
					    VOCABS[j].uri))
					bit = VOCABS[j].bit;
		if (!bit && p->value->v.boolean && unknown && !*unknown)
			*unknown = p->key;
		on |= bit; /* an unknown optional one is ignored */
	}
	return (long)on;
}

/*
 * $schema: draft 2020-12 itself, or a meta-schema added to the set
 * before this schema that lists its vocabularies; the keywords of the
 * vocabularies it leaves out are not evaluated below this point.
 */
static int meta_schema(struct cctx *cc, const struct lps_node *v)
{
	if (v->type == LPS_NODE_STRING && schema_uri_ok(v->v.str.ptr)) {
		cc->vocab_off = 0;
		return 0;
	}
	const struct lps_schema *meta =
		v->type == LPS_NODE_STRING
			? uri_find(cc->set, v->v.str.ptr,
				   lps_uri_base_len(v->v.str.ptr))
			: NULL;
	const struct lps_node *vocab =
		meta ? lps_map_get(meta->node, "$vocabulary") : NULL;
	if (!vocab) {
		struct lps_buf b = LPS_BUF_INIT;
		render(&b, v);
		at(cc, v->line, v->col,
		   "unsupported $schema %s (lps reads draft 2020-12)",
		   b.data ? b.data : "");
		lps_buf_free(&b);
		return -1;
	}
	const char *unknown = NULL;
	long on = vocabularies(cc, vocab, &unknown);
	if (on < 0)
		return -1;
	if (unknown) {
		at(cc, v->line, v->col, "$schema \"%s\" requires vocabulary "
		   "\"%s\", which lps does not support", v->v.str.ptr, unknown);
		return -1;
	}
	if (!(on & V_CORE)) {
		at(cc, v->line, v->col, "$schema \"%s\" does not use the core "
		   "vocabulary", v->v.str.ptr);
		return -1;
	}
	cc->vocab_off = ~(unsigned)on;
	return 0;
}

/* $schema, $id and $anchor: they set the base before anything else. */
static int identify(struct cctx *cc, struct lps_schema *s,
		    const struct lps_node *n, const char **base)
{
	struct lps_schema_set *set = cc->set;
	const struct lps_node *v;
	if ((v = lps_map_get(n, "$schema")) && meta_schema(cc, v) < 0)
		return -1;
	/* its own vocabularies matter only to schemas that use it */
	if ((v = lps_map_get(n, "$vocabulary")) &&
	    vocabularies(cc, v, NULL) < 0)
		return -1;
	if ((v = lps_map_get(n, "$id"))) {
		if (v->type != LPS_NODE_STRING) {
			at(cc, v->line, v->col, "\"$id\" must be a string");
			return -1;
		}
		const char *h = strchr(v->v.str.ptr, '#');
		if (h && h[1]) {
			at(cc, v->line, v->col,
			   "\"$id\" must not have a fragment (use \"$anchor\")");
			return -1;
		}
		char *abs = lps_uri_resolve(*base, v->v.str.ptr);
		char *copy = abs ? arena_strdup(&set->arena, abs) : NULL;
		free(abs);
		if (!copy)
			return nomem(cc), -1;
		*base = copy;
		if (register_uri(cc, copy, s, v) < 0)
			return -1;
		cc->res = s;
		s->res = s;
	}
	if ((v = lps_map_get(n, "$anchor"))) {
		if (v->type != LPS_NODE_STRING || !valid_anchor(v->v.str.ptr)) {
			at(cc, v->line, v->col,
			   "\"$anchor\" must be a name (a letter or _, then "
			   "letters, digits, - _ .)");
			return -1;
		}
		struct lps_buf b = LPS_BUF_INIT;
		lps_buf_addf(&b, "%.*s#%s", (int)lps_uri_base_len(*base), *base,
			     v->v.str.ptr);
		if (!b.data)
			return nomem(cc), -1;
		int rc = register_uri(cc, b.data, s, v);
		lps_buf_free(&b);
		if (rc < 0)
			return -1;
	}
	if ((v = lps_map_get(n, "$dynamicAnchor"))) {
		if (v->type != LPS_NODE_STRING || !valid_anchor(v->v.str.ptr)) {
			at(cc, v->line, v->col,
			   "\"$dynamicAnchor\" must be a name (a letter or _, "
			   "then letters, digits, - _ .)");
			return -1;
		}
		struct lps_buf b = LPS_BUF_INIT;
		lps_buf_addf(&b, "%.*s#%s", (int)lps_uri_base_len(*base), *base,
			     v->v.str.ptr);
		struct dyn *d = arena_alloc(&set->arena, sizeof(*d));
		if (!b.data || !d) {
			lps_buf_free(&b);
			return nomem(cc), -1;
		}
		int rc = register_uri(cc, b.data, s, v);
		lps_buf_free(&b);
		if (rc < 0)
			return -1;
		s->dynanchor = v->v.str.ptr;
		d->name = s->dynanchor;
		d->schema = s;
		d->next = cc->res->dyns;
		cc->res->dyns = d;
	}
	return 0;
}

static struct lps_schema *compile(struct cctx *cc, const struct lps_node *n,
				  const char *base, unsigned depth)
{
	struct lps_schema_set *set = cc->set;
	if (depth > MAX_COMPILE_DEPTH) {
		at(cc, n->line, n->col, "schema nested too deeply");
		return NULL;
	}
	struct lps_schema *s = arena_alloc(&set->arena, sizeof(*s));
	if (!s || map_put(set, n, s) < 0)
		return nomem(cc), NULL;
	s->node = n;
	if (depth == 0) {
		cc->res = s;
		s->res = s;
	}
	s->res = cc->res;
	if (n->type == LPS_NODE_BOOL) {
		s->boolean = n->v.boolean ? 1 : 0;
		s->base = base;
		return s;
	}
	if (n->type != LPS_NODE_MAP) {
		at(cc, n->line, n->col, "a schema must be an object or a "
					"boolean, not %s",
		   lps_node_type_name(n));
		return NULL;
	}
	s->boolean = -1;
	struct lps_schema *outer = cc->res;
	unsigned outer_vocab = cc->vocab_off;
	if (identify(cc, s, n, &base) < 0)
		return NULL;
	s->base = base;

	struct gather *g = calloc(1, sizeof(*g));
	if (!g)
		return nomem(cc), NULL;
	for (size_t i = 0; i < n->v.map.n; i++)
		if (keyword(cc, s, g, &n->v.map.pairs[i], depth) < 0)
			goto fail;
	if (g->has[K_CONTAINS]) {
		struct kw *c = &g->k[K_CONTAINS];
		struct lps_schema *sub = c->u.sub;
		c->u.contains.sub = sub;
		c->u.contains.min = 1;
		c->u.contains.max = SIZE_MAX;
		if (g->min_contains) {
			get_count(g->min_contains, &c->u.contains.min);
			c->u.contains.min_given = 1;
		}
		if (g->max_contains)
			get_count(g->max_contains, &c->u.contains.max);
	}
	if (g->has[K_IF]) {
		struct kw *c = &g->k[K_IF];
		struct lps_schema *sub = c->u.sub;
		c->u.cond.i = sub;
		c->u.cond.t = g->then_;
		c->u.cond.e = g->else_;
		/* kept without then/else: unevaluated* can read what "if"
		 * evaluated; validation skips it when nothing reads that */
	}
	static const struct {
		enum kwt t;
		unsigned char a;
	} annotating[] = {
		{ K_PROPS, A_PROPS },      { K_PATPROPS, A_PROPS },
		{ K_ADDPROPS, A_PROPS },   { K_UNEVALPROPS, A_PROPS },
		{ K_PREFIX, A_ITEMS },     { K_ITEMS, A_ITEMS },
		{ K_CONTAINS, A_ITEMS },   { K_UNEVALITEMS, A_ITEMS },
	};
	for (size_t i = 0; i < sizeof(annotating) / sizeof(*annotating); i++)
		if (g->has[annotating[i].t])
			s->own |= annotating[i].a;
	s->uneval = (unsigned char)((g->has[K_UNEVALPROPS] ? A_PROPS : 0) |
				    (g->has[K_UNEVALITEMS] ? A_ITEMS : 0));
	if (s->uneval)
		set->has_uneval = 1;
	if (index_props(set, s) < 0 || (g->has[K_REQUIRED] &&
	    index_required(set, s, &g->k[K_REQUIRED]) < 0)) {
		nomem(cc);
		goto fail;
	}
	size_t nkw = 0;
	for (int t = 0; t < K_NTYPES; t++)
		nkw += (size_t)g->has[t];
	if (nkw) {
		s->kws = arena_alloc(&set->arena, nkw * sizeof(*s->kws));
		if (!s->kws) {
			nomem(cc);
			goto fail;
		}
		for (int t = 0; t < K_NTYPES; t++)
			if (g->has[t])
				s->kws[s->nkw++] = g->k[t];
	}
	s->only_ref = nkw == 1 && g->has[K_REF] && !s->uneval;
	s->values_only = nkw > 0 && !s->uneval;
	for (size_t i = 0; i < s->nkw; i++)
		if (!value_keyword(s->kws[i].t))
			s->values_only = 0;
	free(g);
	cc->res = outer;
	cc->vocab_off = outer_vocab;
	return s;
fail:
	free(g);
	cc->res = outer;
	cc->vocab_off = outer_vocab;
	return NULL;
}

struct lps_error *lps_schema_set_add(struct lps_schema_set *set,
				     struct lps_doc *doc, const char *uri,
				     const struct lps_schema **out)
{
	if (out)
		*out = NULL;
	if (grow((void **)&set->docs, &set->capdocs, set->ndocs,
		 sizeof(*set->docs)) < 0) {
		lps_doc_free(doc);
		return lps_error_nomem();
	}
	set->docs[set->ndocs++] = doc;
	struct cctx cc = { set, lps_doc_name(doc), NULL, NULL, 0 };
	size_t nuris = set->nuris, nrefs = set->nrefs;
	const char *base = uri ? uri : lps_doc_name(doc);
	char *b = base ? arena_strdup(&set->arena, base) : NULL;
	if (base && !b)
		return lps_error_nomem();
	const struct lps_node *root = lps_doc_root(doc);
	struct lps_schema *s = compile(&cc, root, b, 0);
	if (s && b && *b) {
		char *plain = arena_strdup(&set->arena, b);
		if (!plain) {
			nomem(&cc);
		} else {
			plain[lps_uri_base_len(plain)] = '\0';
			register_uri(&cc, plain, s, root);
		}
	}
	if (cc.err) {
		/* forget what this document registered: it is not usable */
		set->nuris = nuris;
		set->nrefs = nrefs;
		return cc.err;
	}
	if (out)
		*out = s;
	return NULL;
}

/* ---- references ----------------------------------------------------- */

static const struct lps_node *pair_value(const struct lps_node *map,
					 const char *key, size_t len)
{
	for (size_t i = 0; i < map->v.map.n; i++) {
		const struct lps_pair *p = &map->v.map.pairs[i];
		if (p->key_len == len && !memcmp(p->key, key, len))
			return p->value;
	}
	return NULL;
}

/* Follow JSON pointer ptr (already %-decoded) from node n. */
static const struct lps_node *follow(const struct lps_node *n, const char *ptr,
				     size_t len)
{
	char tok[1024];
	size_t i = 0;
	while (i < len) {
		if (ptr[i] != '/')
			return NULL;
		i++;
		size_t t = 0;
		while (i < len && ptr[i] != '/') {
			char c = ptr[i++];
			if (c == '~' && i < len && (ptr[i] == '0' || ptr[i] == '1'))
				c = ptr[i++] == '0' ? '~' : '/';
			else if (c == '~')
				return NULL;
			if (t + 1 >= sizeof(tok))
				return NULL;
			tok[t++] = c;
		}
		tok[t] = '\0';
		if (n->type == LPS_NODE_MAP) {
			n = pair_value(n, tok, t);
		} else if (n->type == LPS_NODE_SEQ) {
			if (!t || (tok[0] == '0' && t > 1))
				return NULL;
			size_t idx = 0;
			for (size_t k = 0; k < t; k++) {
				if (tok[k] < '0' || tok[k] > '9' || idx > 100000000)
					return NULL;
				idx = idx * 10 + (size_t)(tok[k] - '0');
			}
			n = idx < n->v.seq.n ? n->v.seq.items[idx] : NULL;
		} else {
			return NULL;
		}
		if (!n)
			return NULL;
	}
	return n;
}

static struct lps_schema *lookup(const struct lps_schema_set *set,
				 const char *uri)
{
	struct lps_schema *s = uri_find(set, uri, strlen(uri));
	if (s)
		return s;
	size_t blen = lps_uri_base_len(uri);
	const char *frag = uri[blen] ? uri + blen + 1 : "";
	if (*frag && *frag != '/')
		return NULL;
	s = uri_find(set, uri, blen);
	if (!s || !*frag)
		return s;
	size_t flen = strlen(frag);
	char *dec = malloc(flen + 1);
	if (!dec)
		return NULL;
	size_t dlen = lps_uri_unescape(dec, frag, flen);
	const struct lps_node *n = follow(s->node, dec, dlen);
	free(dec);
	return n ? map_get(set, n) : NULL;
}

const struct lps_schema *lps_schema_set_get(struct lps_schema_set *set,
					    const char *uri)
{
	return lookup(set, uri);
}

/*
 * Depth-first search along the edges that evaluate the same instance
 * ($ref, allOf, anyOf, oneOf, not, if/then/else, dependentSchemas): a
 * cycle among them would never consume instance data, so it would never
 * end.
 */
static struct lps_error *cycles(struct lps_schema *s, unsigned depth,
				const struct ref **via);

static struct lps_error *edge(struct lps_schema *to, unsigned depth,
			      const struct ref *r, const struct ref **via)
{
	if (!to)
		return NULL;
	const struct ref *keep = *via;
	if (r)
		*via = r;
	struct lps_error *err = cycles(to, depth + 1, via);
	*via = keep;
	return err;
}

static struct lps_error *cycles(struct lps_schema *s, unsigned depth,
				const struct ref **via)
{
	if (s->mark == 2)
		return NULL;
	if (s->mark == 1 || depth > MAX_REF_CHAIN) {
		const struct ref *r = *via;
		if (!r)
			return lps_error_new(LPS_EINVALID, "$ref cycle");
		return lps_error_at(LPS_EINVALID, r->file, r->line, r->col,
				    depth > MAX_REF_CHAIN
					    ? "$ref chain \"%s\" is too long"
					    : "$ref cycle: \"%s\" leads back to "
					      "itself without reading any "
					      "instance data",
				    r->text);
	}
	s->mark = 1;
	struct lps_error *err = NULL;
	for (size_t i = 0; i < s->nkw && !err; i++) {
		const struct kw *k = &s->kws[i];
		switch (k->t) {
		case K_REF:
		case K_DYNREF:
			err = edge(k->u.ref->target, depth, k->u.ref, via);
			break;
		case K_ALLOF:
		case K_ANYOF:
		case K_ONEOF:
			for (size_t j = 0; j < k->u.list.n && !err; j++)
				err = edge(k->u.list.v[j], depth, NULL, via);
			break;
		case K_NOT:
			err = edge(k->u.sub, depth, NULL, via);
			break;
		case K_IF:
			err = edge(k->u.cond.i, depth, NULL, via);
			if (!err)
				err = edge(k->u.cond.t, depth, NULL, via);
			if (!err)
				err = edge(k->u.cond.e, depth, NULL, via);
			break;
		case K_DEPSCHEMAS:
			for (size_t j = 0; j < k->u.props.n && !err; j++)
				err = edge(k->u.props.v[j].schema, depth, NULL,
					   via);
			break;
		default:
			break;
		}
	}
	s->mark = 2;
	return err;
}

/* The A_* bits of what in-place subschemas of s may annotate. */
static unsigned char inplace_annot(const struct lps_schema *s)
{
	unsigned a = 0;
	for (size_t i = 0; i < s->nkw; i++) {
		const struct kw *k = &s->kws[i];
		switch (k->t) {
		case K_REF:
		case K_DYNREF:
			/* where a dynamic reference lands is known only while
			 * validating: assume it annotates */
			if (k->u.ref->dynamic)
				a |= A_PROPS | A_ITEMS;
			if (k->u.ref->target)
				a |= k->u.ref->target->annot;
			break;
		case K_ALLOF:
		case K_ANYOF:
		case K_ONEOF:
			for (size_t j = 0; j < k->u.list.n; j++)
				a |= k->u.list.v[j]->annot;
			break;
		case K_IF:
			a |= k->u.cond.i->annot;
			if (k->u.cond.t)
				a |= k->u.cond.t->annot;
			if (k->u.cond.e)
				a |= k->u.cond.e->annot;
			break;
		case K_DEPSCHEMAS:
			for (size_t j = 0; j < k->u.props.n; j++)
				a |= k->u.props.v[j].schema->annot;
			break;
		default: /* "not" passes on nothing; others are not in place */
			break;
		}
	}
	return (unsigned char)a;
}

/*
 * Work out, once per resolve, which schemas can annotate evaluated
 * properties or items through their in-place applicators, so that
 * validation passes a collector only where something can land in it.
 * Cycles through $ref are why this iterates to a fixed point; each pass
 * only adds bits, so it ends after a few passes.
 */
static void annotations(struct lps_schema_set *set)
{
	if (!set->has_uneval)
		return;
	for (size_t i = 0; i < set->mcap; i++)
		if (set->mkeys[i])
			set->mvals[i]->annot = set->mvals[i]->own;
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t i = 0; i < set->mcap; i++) {
			struct lps_schema *s = set->mvals[i];
			if (!set->mkeys[i] || s->boolean >= 0)
				continue;
			unsigned char a = s->annot | inplace_annot(s);
			if (a != s->annot) {
				s->annot = a;
				changed = 1;
			}
		}
	}
}

void lps_schema_set_set_loader(struct lps_schema_set *set,
			       lps_schema_loader loader, void *ctx)
{
	set->loader = loader;
	set->loader_ctx = ctx;
}

/*
 * Ask the loader for the document r names when the set holds no document
 * under that URI (a missing fragment of a known document is not the
 * loader's business).  Refs that the loaded document adds are appended
 * to set->refs and resolved by the same loop; set->refs may move, the
 * refs themselves do not.
 */
static struct lps_error *load_missing(struct lps_schema_set *set,
				      const struct ref *r)
{
	size_t blen = lps_uri_base_len(r->uri);
	if (!set->loader || uri_find(set, r->uri, blen))
		return NULL;
	if (set->nloads >= LPS_SCHEMA_MAX_LOADS)
		return lps_error_at(LPS_EINVALID, r->file, r->line, r->col,
				    "$ref \"%s\": more than %d schema files "
				    "to load", r->text, LPS_SCHEMA_MAX_LOADS);
	set->nloads++;
	char *doc = malloc(blen + 1);
	if (!doc)
		return lps_error_nomem();
	memcpy(doc, r->uri, blen);
	doc[blen] = '\0';
	struct lps_error *err = set->loader(set->loader_ctx, set, doc,
					    r->text, r->file);
	free(doc);
	return err;
}

struct lps_error *lps_schema_set_resolve(struct lps_schema_set *set)
{
	for (size_t i = 0; i < set->nrefs; i++) {
		struct ref *r = set->refs[i];
		if (r->target)
			continue;
		r->target = lookup(set, r->uri);
		if (!r->target) {
			struct lps_error *err = load_missing(set, r);
			if (err)
				return err;
			r->target = lookup(set, r->uri);
		}
		/* a $dynamicRef is dynamic only when its target "bookends" it
		 * with a $dynamicAnchor of the same name */
		if (r->target && r->dyn_name && r->target->dynanchor)
			r->dynamic = !strcmp(r->target->dynanchor, r->dyn_name);
		if (!r->target)
			return lps_error_at(LPS_EINVALID, r->file, r->line, r->col,
					    "$ref \"%s\" does not resolve%s%s%s",
					    r->text,
					    strcmp(r->text, r->uri) ? " (" : "",
					    strcmp(r->text, r->uri) ? r->uri : "",
					    strcmp(r->text, r->uri) ? ")" : "");
	}
	for (size_t i = 0; i < set->mcap; i++)
		if (set->mkeys[i])
			set->mvals[i]->mark = 0;
	/* every cycle passes through a $ref; starting from each target in
	 * the order the refs were written keeps the report deterministic */
	for (size_t i = 0; i < set->nrefs; i++) {
		const struct ref *via = set->refs[i];
		struct lps_error *err = cycles(set->refs[i]->target, 0, &via);
		if (err)
			return err;
	}
	annotations(set);
	return NULL;
}

/* ---- findings ------------------------------------------------------- */

void lps_findings_free(struct lps_findings *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++) {
		free(f->items[i].path);
		free(f->items[i].message);
	}
	free(f->items);
	f->items = NULL;
	f->n = f->cap = 0;
}

/* One step of the instance path, kept on the stack while descending. */
struct seg {
	const struct seg *up;
	const char *key;  /* NULL for an array index */
	size_t len;
	size_t index;
};

/* The dynamic scope: schema resources entered, innermost first. */
struct scope {
	const struct scope *up;
	const struct lps_schema *res;
};

struct vctx {
	unsigned flags;
	struct lps_findings *out;  /* NULL: only the answer is wanted */
	int oom;
	unsigned depth;
	const struct scope *scope;
	/* the schema whose collector validate_collecting() just set up */
	const struct lps_schema *entering;
};

static int is_ident(const char *s, size_t n)
{
	if (!n || !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    *s == '_'))
		return 0;
	for (size_t i = 1; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

static void add_path(struct lps_buf *b, const struct seg *p)
{
	if (!p)
		return;
	add_path(b, p->up);
	if (!p->key) {
		lps_buf_addf(b, "[%zu]", p->index);
	} else if (is_ident(p->key, p->len)) {
		if (b->len)
			lps_buf_addc(b, '.');
		lps_buf_add(b, p->key, p->len);
	} else {
		lps_buf_addc(b, '[');
		quote(b, p->key, p->len, SIZE_MAX);
		lps_buf_addc(b, ']');
	}
}

static void finding(struct vctx *c, const struct seg *path, unsigned line,
		    unsigned col, const char *keyword, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void finding(struct vctx *c, const struct seg *path, unsigned line,
		    unsigned col, const char *keyword, const char *fmt, ...)
{
	struct lps_findings *f = c->out;
	if (!f)
		return;
	struct lps_buf p = LPS_BUF_INIT, m = LPS_BUF_INIT;
	add_path(&p, path);
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n >= 0 && lps_buf_grow(&m, (size_t)n) == 0) {
		va_start(ap, fmt);
		vsnprintf(m.data, (size_t)n + 1, fmt, ap);
		va_end(ap);
		m.len = (size_t)n;
	}
	if (grow((void **)&f->items, &f->cap, f->n, sizeof(*f->items)) < 0 ||
	    !m.data) {
		lps_buf_free(&p);
		lps_buf_free(&m);
		c->oom = 1;
		return;
	}
	struct lps_finding *it = &f->items[f->n++];
	it->path = lps_buf_detach(&p, NULL);
	it->message = lps_buf_detach(&m, NULL);
	it->keyword = keyword;
	it->line = line;
	it->col = col;
	if (!it->path) {
		free(it->message);
		f->n--;
		c->oom = 1;
	}
}

/* A scratch string for building a message; freed by the caller. */
static char *describe(const struct lps_node *n)
{
	struct lps_buf b = LPS_BUF_INIT;
	switch (n->type) {
	case LPS_NODE_NULL: lps_buf_adds(&b, "null"); break;
	case LPS_NODE_BOOL: lps_buf_addf(&b, "boolean %s", n->v.boolean ? "true" : "false"); break;
	case LPS_NODE_INT: lps_buf_addf(&b, "integer %lld", (long long)n->v.integer); break;
	case LPS_NODE_FLOAT:
		lps_buf_adds(&b, "number ");
		add_double(&b, n->v.number);
		break;
	case LPS_NODE_STRING:
		lps_buf_adds(&b, "string ");
		quote(&b, n->v.str.ptr, n->v.str.len, 40);
		break;
	case LPS_NODE_SEQ: lps_buf_adds(&b, "array"); break;
	case LPS_NODE_MAP: lps_buf_adds(&b, "object"); break;
	}
	return lps_buf_detach(&b, NULL);
}

static char *num_str(const struct num *v)
{
	struct lps_buf b = LPS_BUF_INIT;
	if (v->is_int)
		lps_buf_addf(&b, "%lld", (long long)v->i);
	else
		add_double(&b, v->d);
	return lps_buf_detach(&b, NULL);
}

static inline unsigned node_mask(const struct lps_node *n)
{
	switch (n->type) {
	case LPS_NODE_NULL: return T_NULL;
	case LPS_NODE_BOOL: return T_BOOLEAN;
	case LPS_NODE_INT: return T_INTEGER | T_NUMBER;
	case LPS_NODE_FLOAT:
		return T_NUMBER | (is_integral(n->v.number) ? T_INTEGER : 0);
	case LPS_NODE_STRING: return T_STRING;
	case LPS_NODE_SEQ: return T_ARRAY;
	case LPS_NODE_MAP: return T_OBJECT;
	}
	return 0;
}

/* -1, 0, 1, or 2 when unordered (NaN). */
static int num_cmp(const struct num *a, const struct num *b)
{
	if (a->is_int && b->is_int)
		return a->i < b->i ? -1 : a->i > b->i;
	long double x = a->is_int ? (long double)a->i : (long double)a->d;
	long double y = b->is_int ? (long double)b->i : (long double)b->d;
	if (isnan(x) || isnan(y))
		return 2;
	return x < y ? -1 : x > y;
}

static int multiple_of(const struct num *x, const struct num *d)
{
	if (x->is_int && d->is_int)
		return x->i % d->i == 0;
	if (x->is_int && is_integral(d->d) && d->d <= 9007199254740992.0)
		return x->i % (int64_t)d->d == 0;
	double xv = x->is_int ? (double)x->i : x->d;
	double dv = d->is_int ? (double)d->i : d->d;
	if (!isfinite(xv))
		return 0;
	double q = xv / dv;
	if (!isfinite(q))
		return 0;
	/* decimal divisors like 0.01 are not exact in binary: allow the
	 * rounding error of one division */
	return fabs(q - nearbyint(q)) <= 1e-9 * fmax(1.0, fabs(q));
}

#define STOP(c) (!(c)->out || ((c)->flags & LPS_SCHEMA_FIRST_ERROR))

/* ---- evaluated properties and items --------------------------------- */

/* Objects and arrays up to this many members need no allocation. */
#define EV_INLINE_BITS 256

/*
 * The properties (by pair index) or items of one instance that the
 * keywords evaluated so far have annotated.  Kept on the stack of the
 * schema that has unevaluated*; its in-place subschemas mark into it.
 */
struct evals {
	unsigned kind;    /* A_PROPS for an object, A_ITEMS for an array */
	size_t n;         /* its pairs or items */
	int all;          /* every one is evaluated */
	uint64_t *bits;   /* NULL until the first mark; inl or malloc'd */
	uint64_t inl[EV_INLINE_BITS / 64];
};

static void ev_init(struct evals *e, const struct lps_node *n)
{
	e->kind = n->type == LPS_NODE_MAP ? A_PROPS : A_ITEMS;
	e->n = n->type == LPS_NODE_MAP ? n->v.map.n : n->v.seq.n;
	e->all = 0;
	e->bits = NULL;
}

static void ev_free(struct evals *e)
{
	if (e->bits != e->inl)
		free(e->bits);
}

static int ev_bits(struct vctx *c, struct evals *e)
{
	if (e->bits)
		return 0;
	size_t words = (e->n + 63) / 64;
	if (e->n <= EV_INLINE_BITS) {
		e->bits = e->inl;
		memset(e->inl, 0, sizeof(e->inl));
	} else if (!(e->bits = calloc(words, sizeof(*e->bits)))) {
		c->oom = 1;
		return -1;
	}
	return 0;
}

/* Mark members [from, to) as evaluated. */
static void ev_mark(struct vctx *c, struct evals *e, size_t from, size_t to)
{
	if (e->all || from >= to)
		return;
	if (from == 0 && to >= e->n) {
		e->all = 1;
		return;
	}
	if (ev_bits(c, e) < 0)
		return;
	for (size_t i = from; i < to; i++)
		e->bits[i / 64] |= (uint64_t)1 << (i % 64);
}

static int ev_has(const struct evals *e, size_t i)
{
	return e->all || (e->bits && (e->bits[i / 64] >> (i % 64) & 1));
}

/* Add what src holds (about the same instance) to dst. */
static void ev_merge(struct vctx *c, struct evals *dst,
		     const struct evals *src)
{
	if (dst->all || (!src->all && !src->bits))
		return;
	if (src->all) {
		dst->all = 1;
		return;
	}
	if (ev_bits(c, dst) < 0)
		return;
	for (size_t i = 0; i < (src->n + 63) / 64; i++)
		dst->bits[i] |= src->bits[i];
}

/* The collector to hand to in-place subschema s: none when s can put
 * nothing into it. */
static struct evals *pass(const struct lps_schema *s, struct evals *ev)
{
	return ev && (s->annot & ev->kind) ? ev : NULL;
}

static int validate(const struct lps_schema *s, const struct lps_node *n,
		    struct vctx *c, const struct seg *path, struct evals *ev);

/* Evaluate for the answer only (and for what it evaluates, into ev). */
static int test(const struct lps_schema *s, const struct lps_node *n,
		const struct vctx *c, const struct seg *path, struct evals *ev)
{
	struct vctx q = { c->flags, NULL, 0, c->depth, c->scope, NULL };
	int r = validate(s, n, &q, path, ev);
	return q.oom ? -1 : r;
}

/*
 * Evaluate branch s of anyOf, oneOf or if for the answer; when it
 * passes, what it evaluated joins ev (a failing branch's annotations are
 * dropped, as the specification says).
 */
static int branch(const struct lps_schema *s, const struct lps_node *n,
		  struct vctx *c, const struct seg *path, struct evals *ev)
{
	struct evals *want = pass(s, ev);
	if (!want)
		return test(s, n, c, path, NULL);
	struct evals t;
	ev_init(&t, n);
	int r = test(s, n, c, path, &t);
	if (r > 0)
		ev_merge(c, ev, &t);
	ev_free(&t);
	return c->oom ? -1 : r;
}

static const char *type_names(unsigned mask, char *buf, size_t size)
{
	static const struct {
		unsigned bit;
		const char *name;
	} order[] = {
		{ T_STRING, "string" },   { T_NUMBER, "number" },
		{ T_INTEGER, "integer" }, { T_BOOLEAN, "boolean" },
		{ T_OBJECT, "object" },   { T_ARRAY, "array" },
		{ T_NULL, "null" },
	};
	size_t total = 0, seen = 0;
	for (size_t i = 0; i < 7; i++)
		total += (mask & order[i].bit) != 0;
	buf[0] = '\0';
	for (size_t i = 0; i < 7; i++) {
		if (!(mask & order[i].bit))
			continue;
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s",
			 !seen ? "" : seen + 1 == total ? " or " : ", ",
			 order[i].name);
		seen++;
	}
	return buf;
}

static int has_key(const struct lps_node *map, const char *key, size_t len)
{
	return pair_value(map, key, len) != NULL;
}

/* Objects up to this many members are matched against the schema's
 * properties once per validation (struct objscan). */
#define SCAN_MAX 64

/*
 * Which of schema s's properties an object has: found once per
 * validate() and read by properties, additionalProperties and
 * required, instead of each looking every member up again.
 */
struct objscan {
	int state;          /* 0 not yet, 1 done, -1 not usable here */
	size_t unlisted;    /* members not among s's properties */
	uint64_t present;   /* bit j: it has s->props[j] (j < 64) */
	unsigned char at[SCAN_MAX];  /* member i: 1 + its index in
					s->props, 0 when not listed */
};

/* Match n's members against s's properties; 1 when sc can be used. */
static int objscan(const struct lps_schema *s, const struct lps_node *n,
		   struct objscan *sc)
{
	if (sc->state)
		return sc->state > 0;
	size_t np = n->v.map.n;
	sc->state = -1;
	if (!s->nprops || s->nprops > UCHAR_MAX - 1 || np > SCAN_MAX)
		return 0;
	sc->present = 0;
	sc->unlisted = 0;
	for (size_t i = 0; i < np; i++) {
		const struct lps_pair *p = &n->v.map.pairs[i];
		const struct prop *e = prop_lookup(s, p->key, p->key_len);
		size_t j = e ? (size_t)(e - s->props) : 0;
		sc->at[i] = e ? (unsigned char)(j + 1) : 0;
		sc->unlisted += !e;
		if (e && j < 64)
			sc->present |= (uint64_t)1 << j;
	}
	sc->state = 1;
	return 1;
}

/* Is the i-th name of required (kw k) a member of n? */
static int has_required(const struct lps_schema *s, const struct kw *k,
			size_t i, const struct lps_node *n,
			struct objscan *sc)
{
	int j = k->u.req ? k->u.req[i] : -1;
	if (j >= 0 && j < 64 && s->nprops > PROPS_SCAN && objscan(s, n, sc))
		return (int)(sc->present >> j & 1);
	const struct lps_node *r = k->val->v.seq.items[i];
	return has_key(n, r->v.str.ptr, r->v.str.len);
}

static int check_object(const struct lps_schema *s, const struct kw *k,
			const struct lps_node *n, struct vctx *c,
			const struct seg *path, struct evals *ev,
			struct objscan *sc)
{
	int ok = 1;
	size_t np = n->v.map.n;
	switch (k->t) {
	case K_MINPROPS:
		if (np >= k->u.count)
			return 1;
		finding(c, path, n->line, n->col, "minProperties",
			"must have at least %zu propert%s (got %zu)", k->u.count,
			k->u.count == 1 ? "y" : "ies", np);
		return 0;
	case K_MAXPROPS:
		if (np <= k->u.count)
			return 1;
		finding(c, path, n->line, n->col, "maxProperties",
			"must have at most %zu propert%s (got %zu)", k->u.count,
			k->u.count == 1 ? "y" : "ies", np);
		return 0;
	case K_REQUIRED:
		for (size_t i = 0; i < k->val->v.seq.n; i++) {
			const struct lps_node *r = k->val->v.seq.items[i];
			if (has_required(s, k, i, n, sc))
				continue;
			ok = 0;
			if (!c->out)
				return 0;
			struct lps_buf b = LPS_BUF_INIT;
			quote(&b, r->v.str.ptr, r->v.str.len, SIZE_MAX);
			finding(c, path, n->line, n->col, "required",
				"missing required property %s",
				b.data ? b.data : "");
			lps_buf_free(&b);
			if (STOP(c))
				return 0;
		}
		return ok;
	case K_DEPREQ:
		for (size_t i = 0; i < k->u.props.n; i++) {
			const struct prop *d = &k->u.props.v[i];
			if (!has_key(n, d->key, d->len))
				continue;
			for (size_t j = 0; j < d->list->v.seq.n; j++) {
				const struct lps_node *r = d->list->v.seq.items[j];
				if (has_key(n, r->v.str.ptr, r->v.str.len))
					continue;
				ok = 0;
				if (!c->out)
					return 0;
				struct lps_buf a = LPS_BUF_INIT, b = LPS_BUF_INIT;
				quote(&a, r->v.str.ptr, r->v.str.len, SIZE_MAX);
				quote(&b, d->key, d->len, SIZE_MAX);
				finding(c, path, n->line, n->col,
					"dependentRequired",
					"property %s is required when %s is "
					"present",
					a.data ? a.data : "", b.data ? b.data : "");
				lps_buf_free(&a);
				lps_buf_free(&b);
				if (STOP(c))
					return 0;
			}
		}
		return ok;
	case K_DEPSCHEMAS:
		for (size_t i = 0; i < k->u.props.n; i++) {
			const struct prop *d = &k->u.props.v[i];
			if (!has_key(n, d->key, d->len))
				continue;
			int r = validate(d->schema, n, c, path,
					 pass(d->schema, ev));
			if (r < 0)
				return -1;
			if (!r) {
				ok = 0;
				if (STOP(c))
					return 0;
			}
		}
		return ok;
	default:
		break;
	}
	/*
	 * Only the answer wanted, nothing to annotate, a few properties
	 * (if: {properties: {status: {const: dropped}}}, met by every
	 * object): each property is looked for among the members, rather
	 * than every member matched against the table.  The same
	 * validations run, in another order, which only findings (none
	 * here) would show.
	 */
	if (k->t == K_PROPS && !c->out && !ev && s->nprops <= PROPS_SCAN) {
		for (size_t j = 0; j < s->nprops; j++) {
			const struct prop *e = &s->props[j];
			for (size_t i = 0; i < np; i++) {
				const struct lps_pair *p = &n->v.map.pairs[i];
				if (p->key_len != e->len ||
				    memcmp(p->key, e->key, e->len))
					continue;
				struct seg sg = { path, p->key, p->key_len, 0 };
				int r = validate(e->schema, p->value, c, &sg,
						 NULL);
				if (r <= 0)
					return r;
			}
		}
		return 1;
	}
	/* keywords that look at each property (properties and
	 * additionalProperties through the same table: s's properties) */
	int scanned = (k->t == K_PROPS || k->t == K_ADDPROPS) &&
		      objscan(s, n, sc);
	/* every member listed: additionalProperties has nothing to see */
	if (k->t == K_ADDPROPS && scanned && !sc->unlisted)
		return 1;
	for (size_t i = 0; i < np; i++) {
		const struct lps_pair *p = &n->v.map.pairs[i];
		struct seg sg = { path, p->key, p->key_len, 0 };
		int r = 1;
		if (k->t == K_PROPS) {
			const struct prop *e =
				scanned ? (sc->at[i] ? &s->props[sc->at[i] - 1]
						     : NULL)
					: prop_lookup(s, p->key, p->key_len);
			if (e) {
				if (ev)
					ev_mark(c, ev, i, i + 1);
				r = validate(e->schema, p->value, c, &sg, NULL);
			}
		} else if (k->t == K_PATPROPS) {
			for (size_t j = 0; j < k->u.pats.n && r > 0; j++) {
				if (!lps_pattern_test(&k->u.pats.v[j].re,
						       p->key, p->key_len))
					continue;
				if (ev)
					ev_mark(c, ev, i, i + 1);
				r = validate(k->u.pats.v[j].schema, p->value, c,
					     &sg, NULL);
			}
		} else if (k->t == K_ADDPROPS) {
			if (scanned ? sc->at[i] != 0
				    : prop_lookup(s, p->key, p->key_len) !=
				      NULL)
				continue;
			size_t j = 0;
			while (j < s->npats &&
			       !lps_pattern_test(&s->pats[j].re, p->key,
						  p->key_len))
				j++;
			if (j < s->npats)
				continue;
			if (ev)
				ev_mark(c, ev, i, i + 1);
			if (k->u.sub->boolean == 0) {
				r = 0;
				if (c->out) {
					struct lps_buf b = LPS_BUF_INIT;
					quote(&b, p->key, p->key_len, 60);
					finding(c, path, p->line, p->col,
						"additionalProperties",
						"property %s is not allowed",
						b.data ? b.data : "");
					lps_buf_free(&b);
				}
			} else {
				r = validate(k->u.sub, p->value, c, &sg, NULL);
			}
		} else if (k->t == K_PROPNAMES) {
			struct lps_node key = { .type = LPS_NODE_STRING,
						.line = p->line,
						.col = p->col };
			key.v.str.ptr = p->key;
			key.v.str.len = p->key_len;
			r = test(k->u.sub, &key, c, path, NULL);
			if (r == 0 && c->out) {
				struct lps_buf b = LPS_BUF_INIT;
				quote(&b, p->key, p->key_len, 60);
				finding(c, path, p->line, p->col, "propertyNames",
					"property name %s is not valid",
					b.data ? b.data : "");
				lps_buf_free(&b);
			}
		}
		if (r < 0)
			return -1;
		if (!r) {
			ok = 0;
			if (STOP(c))
				return 0;
		}
	}
	return ok;
}

static int check_array(const struct kw *k, const struct lps_node *n,
		       struct vctx *c, const struct seg *path, struct evals *ev)
{
	size_t len = n->v.seq.n;
	int ok = 1;
	switch (k->t) {
	case K_MINITEMS:
		if (len >= k->u.count)
			return 1;
		finding(c, path, n->line, n->col, "minItems",
			"must have at least %zu item%s (got %zu)", k->u.count,
			k->u.count == 1 ? "" : "s", len);
		return 0;
	case K_MAXITEMS:
		if (len <= k->u.count)
			return 1;
		finding(c, path, n->line, n->col, "maxItems",
			"must have at most %zu item%s (got %zu)", k->u.count,
			k->u.count == 1 ? "" : "s", len);
		return 0;
	case K_UNIQUE:
		for (size_t i = 1; i < len; i++)
			for (size_t j = 0; j < i; j++)
				if (lps_node_equal(n->v.seq.items[i],
						   n->v.seq.items[j])) {
					finding(c, path, n->line, n->col,
						"uniqueItems",
						"must not repeat items ([%zu] "
						"equals [%zu])", i, j);
					return 0;
				}
		return 1;
	case K_CONTAINS: {
		size_t min = k->u.contains.min, max = k->u.contains.max;
		size_t found = 0;
		for (size_t i = 0; i < len; i++) {
			struct seg sg = { path, NULL, 0, i };
			int r = test(k->u.contains.sub, n->v.seq.items[i], c, &sg,
				     NULL);
			if (r < 0)
				return -1;
			found += (size_t)r;
			if (r && ev)
				ev_mark(c, ev, i, i + 1);
			/* enough evidence either way (unless every match
			 * must be annotated) */
			if (found > max ||
			    (!ev && found >= min && max == SIZE_MAX))
				break;
		}
		if (found < min) {
			finding(c, path, n->line, n->col,
				k->u.contains.min_given ? "minContains"
							: "contains",
				"must contain at least %zu matching item%s "
				"(got %zu)", min, min == 1 ? "" : "s", found);
			return 0;
		}
		if (found > max) {
			finding(c, path, n->line, n->col, "maxContains",
				"must contain at most %zu matching item%s",
				max, max == 1 ? "" : "s");
			return 0;
		}
		return 1;
	}
	case K_PREFIX: {
		size_t to = len < k->u.list.n ? len : k->u.list.n;
		if (ev)
			ev_mark(c, ev, 0, to);
		for (size_t i = 0; i < to; i++) {
			struct seg sg = { path, NULL, 0, i };
			int r = validate(k->u.list.v[i], n->v.seq.items[i], c,
					 &sg, NULL);
			if (r < 0)
				return -1;
			if (!r) {
				ok = 0;
				if (STOP(c))
					return 0;
			}
		}
		return ok;
	}
	default:
		return 1;
	}
}

static int check_items_after_prefix(const struct lps_schema *s,
				    const struct kw *k,
				    const struct lps_node *n, struct vctx *c,
				    const struct seg *path, struct evals *ev)
{
	int ok = 1;
	if (ev)
		ev_mark(c, ev, s->nprefix, n->v.seq.n);
	for (size_t i = s->nprefix; i < n->v.seq.n; i++) {
		struct seg sg = { path, NULL, 0, i };
		int r = validate(k->u.sub, n->v.seq.items[i], c, &sg, NULL);
		if (r < 0)
			return -1;
		if (!r) {
			ok = 0;
			if (STOP(c))
				return 0;
		}
	}
	return ok;
}

/* Do the first n (at most 16) bytes of s[0..len) each start a
 * character? */
static int starts_chars(const char *s, size_t len, size_t n)
{
	if (n > 16 || n > len)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			return 0;
	return 1;
}

/* Is pattern value v the schemas' "not blank" (\S: one character that
 * is not white space)? */
static int is_not_blank(const struct lps_node *v)
{
	return v->v.str.len == 2 && !memcmp(v->v.str.ptr, "\\S", 2);
}

static int check_string(const struct kw *k, const struct lps_node *n,
			struct vctx *c, const struct seg *path)
{
	const char *s = n->v.str.ptr;
	size_t len = n->v.str.len;
	switch (k->t) {
	case K_MINLEN:
	case K_MAXLEN: {
		int min = k->t == K_MINLEN;
		/* A character is a byte that does not continue one, so a
		 * string is no more characters long than bytes, and as many
		 * as its first bytes that start one: most strings pass
		 * without being counted. */
		if (!min && len <= k->u.count)
			return 1;
		if (min && starts_chars(s, len, k->u.count))
			return 1;
		size_t cps = lps_utf8_count(s, len);
		if (min ? cps >= k->u.count : cps <= k->u.count)
			return 1;
		finding(c, path, n->line, n->col, min ? "minLength" : "maxLength",
			"must be at %s %zu character%s long (got %zu)",
			min ? "least" : "most", k->u.count,
			k->u.count == 1 ? "" : "s", cps);
		return 0;
	}
	case K_PATTERN:
		if (lps_pattern_test(&k->u.pat->re, s, len))
			return 1;
		if (c->out && is_not_blank(k->val)) {
			/* the schemas' "not blank", said in words */
			finding(c, path, n->line, n->col, "pattern",
				"must not be blank");
		} else if (c->out) {
			struct lps_buf b = LPS_BUF_INIT;
			quote(&b, k->val->v.str.ptr, k->val->v.str.len, 80);
			finding(c, path, n->line, n->col, "pattern",
				"does not match pattern %s", b.data ? b.data : "");
			lps_buf_free(&b);
		}
		return 0;
	case K_FORMAT:
		if (!(c->flags & LPS_SCHEMA_FORMAT_ASSERT) ||
		    lps_format_check(k->u.fmt, s, len))
			return 1;
		finding(c, path, n->line, n->col, "format", "is not a valid %s",
			k->val->v.str.ptr);
		return 0;
	default:
		return 1;
	}
}

static int check_number(const struct kw *k, const struct lps_node *n,
			struct vctx *c, const struct seg *path)
{
	struct num x = { 0, 0, 0 };
	get_num(n, &x);
	int cmp = num_cmp(&x, &k->u.num);
	const char *kwname, *what;
	switch (k->t) {
	case K_MULTIPLE:
		if (multiple_of(&x, &k->u.num))
			return 1;
		kwname = "multipleOf";
		what = "a multiple of";
		break;
	case K_MINIMUM:
		if (cmp == 0 || cmp == 1)
			return 1;
		kwname = "minimum";
		what = "at least";
		break;
	case K_MAXIMUM:
		if (cmp == 0 || cmp == -1)
			return 1;
		kwname = "maximum";
		what = "at most";
		break;
	case K_EXMIN:
		if (cmp == 1)
			return 1;
		kwname = "exclusiveMinimum";
		what = "greater than";
		break;
	case K_EXMAX:
		if (cmp == -1)
			return 1;
		kwname = "exclusiveMaximum";
		what = "less than";
		break;
	default:
		return 1;
	}
	if (c->out) {
		char *lim = num_str(&k->u.num), *got = num_str(&x);
		if (!lim || !got)
			c->oom = 1;
		else
			finding(c, path, n->line, n->col, kwname,
				"must be %s %s (got %s)", what, lim, got);
		free(lim);
		free(got);
	}
	return 0;
}

/* lps_node_equal(), with strings (most enum values) compared here. */
static inline int same_value(const struct lps_node *a,
			     const struct lps_node *b)
{
	if (a->type == LPS_NODE_STRING && b->type == LPS_NODE_STRING)
		return a->v.str.len == b->v.str.len &&
		       !memcmp(a->v.str.ptr, b->v.str.ptr, a->v.str.len);
	return lps_node_equal(a, b);
}

static int check_enum(const struct kw *k, const struct lps_node *n,
		      struct vctx *c, const struct seg *path)
{
	if (k->t == K_CONST) {
		if (same_value(n, k->val))
			return 1;
		if (c->out) {
			struct lps_buf b = LPS_BUF_INIT;
			render(&b, k->val);
			finding(c, path, n->line, n->col, "const", "must be %s",
				b.data ? b.data : "");
			lps_buf_free(&b);
		}
		return 0;
	}
	const struct lps_node *e = k->val;
	for (size_t i = 0; i < e->v.seq.n; i++)
		if (same_value(n, e->v.seq.items[i]))
			return 1;
	if (c->out) {
		struct lps_buf b = LPS_BUF_INIT;
		for (size_t i = 0; i < e->v.seq.n && i < MAX_ENUM_SHOWN; i++) {
			if (i)
				lps_buf_adds(&b, ", ");
			render(&b, e->v.seq.items[i]);
		}
		if (e->v.seq.n > MAX_ENUM_SHOWN)
			lps_buf_adds(&b, ", ...");
		finding(c, path, n->line, n->col, "enum", "must be one of: %s",
			b.data ? b.data : "");
		lps_buf_free(&b);
	}
	return 0;
}

static int check_applicator(const struct kw *k, const struct lps_node *n,
			    struct vctx *c, const struct seg *path,
			    struct evals *ev)
{
	int ok = 1, r;
	const struct lps_schema *to;
	switch (k->t) {
	case K_DYNREF:
		if (k->u.ref->dynamic) {
			/* the outermost resource in scope that has the anchor */
			const struct lps_schema *pick = NULL;
			for (const struct scope *f = c->scope; f; f = f->up)
				for (const struct dyn *d = f->res->dyns; d;
				     d = d->next)
					if (!strcmp(d->name, k->u.ref->dyn_name))
						pick = d->schema;
			if (pick)
				return validate(pick, n, c, path, ev);
		}
		/* fall through */
	case K_REF:
		if (!(to = k->u.ref->target)) {
			finding(c, path, n->line, n->col, "$ref",
				"schema $ref \"%s\" is not resolved",
				k->u.ref->text);
			return 0;
		}
		return validate(to, n, c, path, pass(to, ev));
	case K_ALLOF:
		for (size_t i = 0; i < k->u.list.n; i++) {
			to = k->u.list.v[i];
			r = validate(to, n, c, path, pass(to, ev));
			if (r < 0)
				return -1;
			if (!r) {
				ok = 0;
				if (STOP(c))
					return 0;
			}
		}
		return ok;
	case K_ANYOF: {
		/* after the first match, only branches that may annotate
		 * are still worth evaluating */
		int any = 0;
		for (size_t i = 0; i < k->u.list.n; i++) {
			to = k->u.list.v[i];
			if (any && !pass(to, ev))
				continue;
			r = branch(to, n, c, path, ev);
			if (r < 0)
				return -1;
			any |= r;
		}
		if (any)
			return 1;
		finding(c, path, n->line, n->col, "anyOf",
			"does not match any of the allowed schemas");
		return 0;
	}
	case K_ONEOF: {
		size_t hits = 0, first = 0;
		for (size_t i = 0; i < k->u.list.n; i++) {
			r = branch(k->u.list.v[i], n, c, path, ev);
			if (r < 0)
				return -1;
			if (r && hits++ == 0)
				first = i;
			if (hits > 1) {
				finding(c, path, n->line, n->col, "oneOf",
					"matches more than one of the allowed "
					"schemas ([%zu] and [%zu])", first, i);
				return 0;
			}
		}
		if (hits == 1)
			return 1;
		finding(c, path, n->line, n->col, "oneOf",
			"does not match any of the allowed schemas");
		return 0;
	}
	case K_NOT:
		/* a "not" that passes had its subschema fail: whatever that
		 * evaluated is dropped, so nothing is collected */
		r = test(k->u.sub, n, c, path, NULL);
		if (r <= 0)
			return r < 0 ? -1 : 1;
		finding(c, path, n->line, n->col, "not",
			"must not match the schema in \"not\"");
		return 0;
	case K_IF:
		if (!k->u.cond.t && !k->u.cond.e && !pass(k->u.cond.i, ev))
			return 1; /* nothing reads the answer */
		r = branch(k->u.cond.i, n, c, path, ev);
		if (r < 0)
			return -1;
		to = r ? k->u.cond.t : k->u.cond.e;
		if (to)
			return validate(to, n, c, path, pass(to, ev));
		return 1;
	default:
		return 1;
	}
}

/* unevaluatedProperties/unevaluatedItems: each member that no keyword
 * evaluated (ev) must match the subschema; afterwards all are. */
static int check_uneval(const struct kw *k, const struct lps_node *n,
			struct vctx *c, const struct seg *path,
			struct evals *ev)
{
	int ok = 1;
	int props = k->t == K_UNEVALPROPS;
	for (size_t i = 0; i < ev->n && !ev->all; i++) {
		if (ev_has(ev, i))
			continue;
		const struct lps_pair *p = props ? &n->v.map.pairs[i] : NULL;
		const struct lps_node *v = props ? p->value : n->v.seq.items[i];
		struct seg sg = { path, props ? p->key : NULL,
				  props ? p->key_len : 0, i };
		int r;
		if (k->u.sub->boolean != 0) {
			r = validate(k->u.sub, v, c, &sg, NULL);
		} else if (props) {
			r = 0;
			if (c->out) {
				struct lps_buf b = LPS_BUF_INIT;
				quote(&b, p->key, p->key_len, 60);
				finding(c, path, p->line, p->col,
					"unevaluatedProperties",
					"property %s is not allowed "
					"(unevaluated)", b.data ? b.data : "");
				lps_buf_free(&b);
			}
		} else {
			r = 0;
			finding(c, path, v->line, v->col, "unevaluatedItems",
				"item [%zu] is not allowed (unevaluated)", i);
		}
		if (r < 0 || c->oom)
			return -1;
		if (!r) {
			ok = 0;
			if (STOP(c))
				return 0;
		}
	}
	ev->all = 1;
	return ok;
}

static int validate_collecting(const struct lps_schema *s,
			       const struct lps_node *n, struct vctx *c,
			       const struct seg *path, struct evals *ev);

/* One keyword of value_keyword() against n, whose type bits are mask;
 * inlined in both its callers, which run for nearly every node. */
static inline __attribute__((always_inline)) int
check_value(const struct kw *k, const struct lps_node *n, struct vctx *c,
	    const struct seg *path, unsigned mask)
{
	switch (k->t) {
	case K_TYPE:
		if (mask & k->u.mask)
			return 1;
		if (c->out) {
			char names[96];
			char *got = describe(n);
			if (!got)
				c->oom = 1;
			else
				finding(c, path, n->line, n->col, "type",
					"expected %s, got %s",
					type_names(k->u.mask, names,
						   sizeof(names)),
					got);
			free(got);
		}
		return 0;
	case K_ENUM:
	case K_CONST:
		return check_enum(k, n, c, path);
	case K_MULTIPLE:
	case K_MINIMUM:
	case K_MAXIMUM:
	case K_EXMIN:
	case K_EXMAX:
		return mask & T_NUMBER ? check_number(k, n, c, path) : 1;
	default:
		return mask & T_STRING ? check_string(k, n, c, path) : 1;
	}
}

/*
 * validate() of a schema whose keywords all are value_keyword()s (most
 * of a document's nodes meet one): the same answer and findings as
 * validate_here(), without what only nested evaluation reads (the
 * dynamic scope, the depth beyond its limit, annotations).
 */
static int validate_value(const struct lps_schema *s,
			  const struct lps_node *n, struct vctx *c,
			  const struct seg *path)
{
	if (c->depth >= MAX_EVAL_DEPTH) {
		finding(c, path, n->line, n->col, "$ref",
			"schema evaluation nested too deeply");
		return c->oom ? -1 : 0;
	}
	unsigned mask = node_mask(n);
	int ok = 1;
	for (size_t i = 0; i < s->nkw; i++) {
		int r = check_value(&s->kws[i], n, c, path, mask);
		if (r < 0 || c->oom)
			return -1;
		if (!r) {
			ok = 0;
			if (STOP(c))
				break;
		}
	}
	return ok;
}

/* validate() of s itself, once no $ref is left to follow first. */
static int validate_here(const struct lps_schema *s, const struct lps_node *n,
			 struct vctx *c, const struct seg *path,
			 struct evals *ev)
{
	if (s->boolean == 1)
		return 1;
	/* the only cost to schemas without unevaluated*: this test */
	if (s->uneval) {
		if (c->entering != s)
			return validate_collecting(s, n, c, path, ev);
		c->entering = NULL;
	}
	if (s->boolean == 0) {
		finding(c, path, n->line, n->col, "false", "is not allowed");
		return c->oom ? -1 : 0;
	}
	if (c->depth >= MAX_EVAL_DEPTH) {
		finding(c, path, n->line, n->col, "$ref",
			"schema evaluation nested too deeply");
		return c->oom ? -1 : 0;
	}
	c->depth++;
	const struct scope *outer = c->scope;
	struct scope here = { outer, s->res };
	if (s->res && (!outer || outer->res != s->res))
		c->scope = &here;
	unsigned mask = node_mask(n);
	int ok = 1;
	struct evals *mine = ev;
	struct objscan sc;
	sc.state = 0;
	for (size_t i = 0; i < s->nkw; i++) {
		const struct kw *k = &s->kws[i];
		int r = 1;
		switch (k->t) {
		case K_TYPE:
		case K_ENUM:
		case K_CONST:
		case K_MULTIPLE:
		case K_MINIMUM:
		case K_MAXIMUM:
		case K_EXMIN:
		case K_EXMAX:
		case K_MINLEN:
		case K_MAXLEN:
		case K_PATTERN:
		case K_FORMAT:
			r = check_value(k, n, c, path, mask);
			break;
		case K_ITEMS:
			if (mask & T_ARRAY)
				r = check_items_after_prefix(s, k, n, c, path,
							     mine);
			break;
		case K_MINITEMS:
		case K_MAXITEMS:
		case K_UNIQUE:
		case K_PREFIX:
		case K_CONTAINS:
			if (mask & T_ARRAY)
				r = check_array(k, n, c, path, mine);
			break;
		case K_MINPROPS:
		case K_MAXPROPS:
		case K_REQUIRED:
		case K_DEPREQ:
		case K_PROPS:
		case K_PATPROPS:
		case K_ADDPROPS:
		case K_PROPNAMES:
		case K_DEPSCHEMAS:
			if (mask & T_OBJECT)
				r = check_object(s, k, n, c, path, mine, &sc);
			break;
		case K_UNEVALPROPS:
			if (mask & T_OBJECT)
				r = check_uneval(k, n, c, path, mine);
			break;
		case K_UNEVALITEMS:
			if (mask & T_ARRAY)
				r = check_uneval(k, n, c, path, mine);
			break;
		default:
			r = check_applicator(k, n, c, path, mine);
			break;
		}
		if (r < 0 || c->oom) {
			ok = -1;
			break;
		}
		if (!r) {
			ok = 0;
			if (STOP(c))
				break;
		}
	}
	c->scope = outer;
	c->depth--;
	return ok;
}

/*
 * The target of s when s is nothing but a resolved $ref that can be
 * followed right away: evaluating s would count one level of depth
 * (still below the limit, or s reports it) and enter no schema resource
 * that the dynamic scope does not already hold, then hand n to the
 * target, so following it directly gives the same answer and findings.
 */
static const struct lps_schema *ref_only_target(const struct lps_schema *s,
						const struct vctx *c)
{
	if (!s->only_ref || c->depth >= MAX_EVAL_DEPTH)
		return NULL;
	if (s->res && (!c->scope || c->scope->res != s->res))
		return NULL;
	return s->kws[0].u.ref->target;
}

/*
 * Validate n against s.  ev, when not NULL, collects the properties or
 * items of n that s evaluates, for an enclosing unevaluated* keyword.
 * Most properties of a schema are a $ref to a definition: those hops
 * are taken here without evaluating the referring schemas.
 */
static int validate(const struct lps_schema *s, const struct lps_node *n,
		    struct vctx *c, const struct seg *path, struct evals *ev)
{
	const struct lps_schema *to = ref_only_target(s, c);
	if (!to)
		return s->values_only ? validate_value(s, n, c, path)
				      : validate_here(s, n, c, path, ev);
	unsigned hops = 0;
	do {
		c->depth++;
		hops++;
		ev = pass(to, ev);
		s = to;
	} while ((to = ref_only_target(s, c)));
	int r = s->values_only ? validate_value(s, n, c, path)
			       : validate_here(s, n, c, path, ev);
	c->depth -= hops;
	return r;
}

/*
 * s has unevaluated*: it sees only what s itself and its in-place
 * subschemas evaluate, so that is collected apart (on this function's
 * stack, not validate()'s), then passed on to ev.  Kept out of line so
 * that validate() stays as lean as it was without these keywords.
 */
static int __attribute__((noinline))
validate_collecting(const struct lps_schema *s, const struct lps_node *n,
		    struct vctx *c, const struct seg *path, struct evals *ev)
{
	unsigned kind = n->type == LPS_NODE_MAP ? A_PROPS
			: n->type == LPS_NODE_SEQ ? A_ITEMS : 0;
	c->entering = s;
	if (!(s->uneval & kind))
		return validate(s, n, c, path, ev);
	struct evals local;
	ev_init(&local, n);
	int ok = validate(s, n, c, path, &local);
	if (ev)
		ev_merge(c, ev, &local);
	ev_free(&local);
	return c->oom ? -1 : ok;
}

int lps_schema_validate(const struct lps_schema *schema,
			const struct lps_node *instance, unsigned flags,
			struct lps_findings *findings)
{
	struct vctx c = { flags, findings, 0, 0, NULL, NULL };
	int r = validate(schema, instance, &c, NULL, NULL);
	return c.oom ? -1 : r;
}

/* ---- canonical key order -------------------------------------------- */

/*
 * The position of key among the properties schema s lists, looking
 * through $ref and allOf the way validation would; *sub gets the schema
 * of that property's value.  Returns 1 when found.
 */
static int find_prop(const struct lps_schema *s, const char *key, size_t len,
		     unsigned depth, unsigned *rank,
		     const struct lps_schema **sub)
{
	if (!s || s->boolean >= 0 || depth > 64)
		return 0;
	const struct prop *p = prop_find(s->props, s->nprops, key, len);
	if (p) {
		*rank = p->order;
		*sub = p->schema;
		return 1;
	}
	unsigned base = 1u << 20;
	for (size_t i = 0; i < s->nkw; i++) {
		const struct kw *k = &s->kws[i];
		if (k->t == K_REF &&
		    find_prop(k->u.ref->target, key, len, depth + 1, rank, sub)) {
			*rank += base;
			return 1;
		}
		if (k->t != K_ALLOF)
			continue;
		for (size_t j = 0; j < k->u.list.n; j++)
			if (find_prop(k->u.list.v[j], key, len, depth + 1, rank,
				      sub)) {
				*rank += base * (unsigned)(j + 2);
				return 1;
			}
	}
	/* patternProperties and additionalProperties give a schema, not
	 * a rank */
	for (size_t j = 0; j < s->npats; j++)
		if (lps_pattern_test(&s->pats[j].re, key, len)) {
			*sub = s->pats[j].schema;
			return 0;
		}
	for (size_t i = 0; i < s->nkw; i++)
		if (s->kws[i].t == K_ADDPROPS)
			*sub = s->kws[i].u.sub;
	return 0;
}

static const struct lps_schema *item_schema(const struct lps_schema *s,
					    size_t i, unsigned depth)
{
	if (!s || s->boolean >= 0 || depth > 64)
		return NULL;
	for (size_t k = 0; k < s->nkw; k++) {
		const struct kw *w = &s->kws[k];
		if (w->t == K_PREFIX && i < w->u.list.n)
			return w->u.list.v[i];
		if (w->t == K_ITEMS && i >= s->nprefix)
			return w->u.sub;
	}
	for (size_t k = 0; k < s->nkw; k++) {
		const struct kw *w = &s->kws[k];
		const struct lps_schema *r = NULL;
		if (w->t == K_REF)
			r = item_schema(w->u.ref->target, i, depth + 1);
		for (size_t j = 0; !r && w->t == K_ALLOF && j < w->u.list.n; j++)
			r = item_schema(w->u.list.v[j], i, depth + 1);
		if (r)
			return r;
	}
	return NULL;
}

static void sort_keys(const struct lps_schema *s, struct lps_node *n,
		      unsigned depth)
{
	if (!s || depth > LPS_DOC_MAX_DEPTH * 2)
		return;
	if (n->type == LPS_NODE_SEQ) {
		for (size_t i = 0; i < n->v.seq.n; i++)
			sort_keys(item_schema(s, i, 0), n->v.seq.items[i],
				  depth + 1);
		return;
	}
	if (n->type != LPS_NODE_MAP)
		return;
	struct lps_pair *p = n->v.map.pairs;
	size_t np = n->v.map.n;
	/* insertion sort on rank keeps equal ranks in their order; ranks of
	 * unlisted keys are "after everything", so they keep theirs */
	for (size_t i = 0; i < np; i++) {
		const struct lps_schema *sub = NULL;
		unsigned ri = UINT32_MAX;
		find_prop(s, p[i].key, p[i].key_len, 0, &ri, &sub);
		sort_keys(sub, p[i].value, depth + 1);
	}
	for (size_t i = 1; i < np; i++) {
		struct lps_pair cur = p[i];
		const struct lps_schema *sub = NULL;
		unsigned rc = UINT32_MAX;
		find_prop(s, cur.key, cur.key_len, 0, &rc, &sub);
		size_t j = i;
		while (j > 0) {
			unsigned rj = UINT32_MAX;
			find_prop(s, p[j - 1].key, p[j - 1].key_len, 0, &rj, &sub);
			if (rj <= rc)
				break;
			p[j] = p[j - 1];
			j--;
		}
		p[j] = cur;
	}
}

void lps_schema_sort_keys(const struct lps_schema *schema, struct lps_node *n)
{
	sort_keys(schema, n, 0);
}
