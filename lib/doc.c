/*
 * doc.c - the YAML document model: arena, loader, builders and queries.
 * The emitters live in doc_emit.c.
 *
 * The loader turns libyaml's event stream into the tree in one pass.  It
 * never recurses: open collections sit on an explicit frame stack, and the
 * children of every open collection are collected on two shared stacks
 * (node pointers for sequences, pairs for mappings); when a collection
 * ends, its children are copied into one exactly-sized arena array.  So a
 * scalar costs one arena copy of its text and no malloc.
 */
#include "doc.h"
#include "utf8.h"
#include "yamlpool.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

/* ---------------------------------------------------------------- arena */

#define ALIGN 8
#define CHUNK_MIN 4096
#define CHUNK_MAX (1024 * 1024)

struct chunk {
	struct chunk *next;
	size_t cap, used;
};

/* Chunk headers are padded so the data after them stays ALIGN-aligned. */
#define CHUNK_HDR ((sizeof(struct chunk) + ALIGN - 1) & ~(size_t)(ALIGN - 1))

struct lps_doc {
	struct chunk *chunks;  /* the current chunk first; the doc itself
				* lives in the last one */
	size_t next_cap;       /* size of the next ordinary chunk */
	struct lps_node *root;
	const char *name;      /* arena copy, or NULL */
};

static struct chunk *chunk_new(size_t cap)
{
	struct chunk *c = malloc(CHUNK_HDR + cap);
	if (!c)
		return NULL;
	c->next = NULL;
	c->cap = cap;
	c->used = 0;
	return c;
}

/* arena_alloc() of size (rounded) bytes when the current chunk is full:
 * out of line, so that the common path is a few instructions inlined
 * wherever a node or string is made (each scalar takes two). */
static void *__attribute__((noinline))
arena_alloc_slow(struct lps_doc *doc, size_t size)
{
	struct chunk *c = doc->chunks;
	if (size > ((size_t)-1) / 2)
		return NULL;
	if (size > doc->next_cap / 4) {
		/* A big block gets its own chunk, kept behind the current
		 * one so the space left there is still used. */
		struct chunk *big = chunk_new(size);
		if (!big)
			return NULL;
		big->used = size;
		big->next = c->next;
		c->next = big;
		return (char *)big + CHUNK_HDR;
	}
	struct chunk *n = chunk_new(doc->next_cap);
	if (!n)
		return NULL;
	if (doc->next_cap < CHUNK_MAX)
		doc->next_cap *= 2;
	n->next = c;
	doc->chunks = n;
	n->used = size;
	return (char *)n + CHUNK_HDR;
}

static inline void *arena_alloc(struct lps_doc *doc, size_t size)
{
	size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (size == 0)
		size = ALIGN;
	struct chunk *c = doc->chunks;
	if (c->cap - c->used >= size) {
		void *p = (char *)c + CHUNK_HDR + c->used;
		c->used += size;
		return p;
	}
	return arena_alloc_slow(doc, size);
}

/* A NUL-terminated arena copy of s[0..len). */
static inline char *arena_strdup(struct lps_doc *doc, const char *s,
				 size_t len)
{
	if (len == (size_t)-1)
		return NULL;
	char *p = arena_alloc(doc, len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

static struct lps_node *node_new(struct lps_doc *doc, enum lps_node_type t)
{
	struct lps_node *n = arena_alloc(doc, sizeof(*n));
	if (n) {
		memset(n, 0, sizeof(*n));
		n->type = t;
	}
	return n;
}

/* A document whose first chunk holds it and about `hint` bytes more. */
static struct lps_doc *doc_create(const char *name, size_t hint)
{
	size_t cap = CHUNK_MIN;
	while (cap < hint && cap < CHUNK_MAX)
		cap *= 2;
	struct chunk *c = chunk_new(cap);
	if (!c)
		return NULL;
	struct lps_doc *doc = (struct lps_doc *)((char *)c + CHUNK_HDR);
	c->used = (sizeof(*doc) + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	doc->chunks = c;
	doc->next_cap = cap < CHUNK_MAX ? cap * 2 : cap;
	doc->name = NULL;
	doc->root = node_new(doc, LPS_NODE_NULL);
	if (name)
		doc->name = arena_strdup(doc, name, strlen(name));
	if (!doc->root || (name && !doc->name)) {
		lps_doc_free(doc);
		return NULL;
	}
	return doc;
}

struct lps_error *lps_doc_new(struct lps_doc **out, const char *name)
{
	*out = doc_create(name, 0);
	return *out ? NULL : lps_error_nomem();
}

void lps_doc_free(struct lps_doc *doc)
{
	if (!doc)
		return;
	struct chunk *c = doc->chunks;
	while (c) {
		struct chunk *next = c->next;
		free(c);
		c = next;
	}
}

struct lps_node *lps_doc_root(const struct lps_doc *doc)
{
	return doc->root;
}

void lps_doc_set_root(struct lps_doc *doc, struct lps_node *root)
{
	if (root) {
		doc->root = root;
		return;
	}
	struct lps_node *n = node_new(doc, LPS_NODE_NULL);
	if (n)
		doc->root = n;
	else
		*doc->root = (struct lps_node){ .type = LPS_NODE_NULL };
}

const char *lps_doc_name(const struct lps_doc *doc)
{
	return doc->name;
}

/* ------------------------------------------------------ scalar typing */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void set_float(struct lps_node *n, double d)
{
	n->type = LPS_NODE_FLOAT;
	n->v.number = d;
}

static void set_int(struct lps_node *n, int64_t i)
{
	n->type = LPS_NODE_INT;
	n->v.integer = i;
}

/* 0x... and 0o...: digits after the prefix in base 16 or 8. */
static void classify_radix(struct lps_node *n, const char *s, size_t len,
			   unsigned base)
{
	uint64_t v = 0;
	double d = 0;
	int big = 0;
	for (size_t i = 2; i < len; i++) {
		int x = hexval(s[i]);
		if (x < 0 || (unsigned)x >= base)
			return;
		if (v > (UINT64_MAX - (unsigned)x) / base)
			big = 1;
		v = v * base + (unsigned)x;
		d = d * base + x;
	}
	if (big || v > INT64_MAX)
		set_float(n, d);
	else
		set_int(n, (int64_t)v);
}

static int word3(const char *t, const char *lower, const char *title,
		 const char *upper)
{
	return !memcmp(t, lower, 3) || !memcmp(t, title, 3) ||
	       !memcmp(t, upper, 3);
}

/*
 * Numbers of the 1.2 core schema; anything else leaves n a string.
 * s is NUL-terminated (strtod needs that).
 */
static void classify_number(struct lps_node *n, const char *s, size_t len)
{
	/* A date (2026-10-08) is no number: most plain scalars that start
	 * with a digit are dates. */
	if (len == 10 && s[4] == '-' && s[7] == '-')
		return;
	size_t i = 0;
	int neg = 0;
	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == len)
		return;
	if (s[i] == '.' && len - i == 4) {
		const char *t = s + i + 1;
		if (word3(t, "inf", "Inf", "INF")) {
			set_float(n, neg ? -INFINITY : INFINITY);
			return;
		}
		if (i == 0 && word3(t, "nan", "NaN", "NAN")) {
			set_float(n, NAN);
			return;
		}
	}
	if (i == 0 && len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
		classify_radix(n, s, len, s[1] == 'x' ? 16 : 8);
		return;
	}
	size_t d0 = i;
	uint64_t mag = 0;
	int big = 0;
	for (; i < len && is_digit(s[i]); i++) {
		unsigned x = (unsigned)(s[i] - '0');
		if (mag > (UINT64_MAX - x) / 10)
			big = 1;
		mag = mag * 10 + x;
	}
	size_t nint = i - d0;
	int isfloat = 0;
	if (i < len && s[i] == '.') {
		isfloat = 1;
		size_t f0 = ++i;
		while (i < len && is_digit(s[i]))
			i++;
		if (nint == 0 && i == f0)
			return;
	} else if (nint == 0) {
		return;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		isfloat = 1;
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t e0 = i;
		while (i < len && is_digit(s[i]))
			i++;
		if (i == e0)
			return;
	}
	if (i != len)
		return;
	if (!isfloat && !big) {
		if (!neg && mag <= INT64_MAX) {
			set_int(n, (int64_t)mag);
			return;
		}
		if (neg && mag <= (uint64_t)INT64_MAX + 1) {
			set_int(n, mag == (uint64_t)INT64_MAX + 1 ?
					   INT64_MIN : -(int64_t)mag);
			return;
		}
	}
	set_float(n, strtod(s, NULL));
}

/* Type a plain scalar whose text n->v.str already holds. */
static inline void classify_plain(struct lps_node *n)
{
	const char *s = n->v.str.ptr;
	size_t len = n->v.str.len;
	if (len == 0) {
		n->type = LPS_NODE_NULL;
		return;
	}
	switch (s[0]) {
	case '~':
		if (len == 1)
			n->type = LPS_NODE_NULL;
		return;
	case 'n': case 'N':
		if (len == 4 && (!memcmp(s, "null", 4) ||
				 !memcmp(s, "Null", 4) ||
				 !memcmp(s, "NULL", 4)))
			n->type = LPS_NODE_NULL;
		return;
	case 't': case 'T':
		if (len == 4 && (!memcmp(s, "true", 4) ||
				 !memcmp(s, "True", 4) ||
				 !memcmp(s, "TRUE", 4))) {
			n->type = LPS_NODE_BOOL;
			n->v.boolean = 1;
		}
		return;
	case 'f': case 'F':
		if (len == 5 && (!memcmp(s, "false", 5) ||
				 !memcmp(s, "False", 5) ||
				 !memcmp(s, "FALSE", 5))) {
			n->type = LPS_NODE_BOOL;
			n->v.boolean = 0;
		}
		return;
	case '+': case '-': case '.':
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		classify_number(n, s, len);
		return;
	default:
		return;
	}
}

enum lps_node_type lps_doc_plain_type(const char *s, size_t len)
{
	struct lps_node n = { .type = LPS_NODE_STRING };
	n.v.str.ptr = s;
	n.v.str.len = len;
	classify_plain(&n);
	return n.type;
}

/* ------------------------------------------------------------- loader */

/* Wrongly rewritten surrogate escapes (outside double quotes) are
 * undone one parse at a time, at most this many times. */
#define MAX_REWRITE_RETRIES 16

#define HASH_FROM 16  /* mappings with more keys use a hash for duplicates */

struct frame {
	struct lps_node *node;
	size_t start;          /* first child on the item or pair stack */
	size_t nodes0;         /* st->nodes before this collection */
	const char *anchor;    /* arena copy of its anchor, or NULL */
	int want_key;          /* mapping: the next node is a key */
	/* Duplicate-key hash of a big mapping: slots hold 1 + the pair's
	 * index relative to start, 0 when free.  Kept across the frames
	 * that reuse this depth, cleared on first use. */
	uint32_t *hash;
	size_t hash_cap;       /* power of two, or 0 */
	size_t hashed;         /* pairs entered so far */
	uint64_t keys;         /* mapping: key_bit() of each key so far;
				* a key whose bit is clear is no duplicate */
};

/* The loader's stacks start in these, on lps_doc_load()'s stack: a
 * typical document needs no allocation for them. */
#define FRAMES0 16
#define ITEMS0 64
#define PAIRS0 64

struct stacks0 {
	struct frame frames[FRAMES0];
	struct lps_node *items[ITEMS0];
	struct lps_pair pairs[PAIRS0];
};

struct anchor {
	const char *name;      /* arena; NULL = free slot */
	struct lps_node *node;
	size_t count;          /* nodes in its subtree after expansion */
	int open;              /* collection not finished yet */
};

struct loader {
	struct lps_doc *doc;
	const char *name;
	const char *text;
	size_t len;
	struct lps_doc_limits lim;
	struct stacks0 *s0;    /* where the stacks start */
	struct frame *frames;
	size_t depth, frames_cap;
	size_t frames_init;    /* frames whose hash fields are set */
	struct lps_node **items;
	size_t items_n, items_cap;
	struct lps_pair *pairs;
	size_t pairs_n, pairs_cap;
	struct anchor *anchors;
	size_t anchors_n, anchors_cap;
	size_t nodes;          /* total after alias expansion */
	struct lps_node *root;
	/* Surrogate pairs rewritten before this parse (see rewrite_pairs),
	 * in text order.  Positions are 0-based line and column in the
	 * rewritten text; a mark on the same line at or after `end` lies 2
	 * columns further right in the source. */
	struct fix { size_t line, col, end, off; } *fixes;
	size_t nfixes, fixes_cap;
	size_t fix_next;       /* first fix not yet behind a scalar */
	size_t pair_at;        /* offset of a \u escape libyaml refused */
	size_t bad_fix;        /* source offset of a wrong rewrite */
};

/* Position of fix f compared with line/col: <0, 0 or >0. */
static int fix_cmp(size_t fl, size_t fc, size_t line, size_t col)
{
	if (fl != line)
		return fl < line ? -1 : 1;
	return fc < col ? -1 : fc > col;
}

/* Number of fixes ordered before (line, col) by their `end`. */
static size_t fixes_before(const struct loader *st, size_t line, size_t col)
{
	size_t lo = 0, hi = st->nfixes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct fix *f = &st->fixes[mid];
		if (fix_cmp(f->line, f->end, line, col) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static unsigned fix_col(const struct loader *st, const yaml_mark_t *m)
{
	size_t shift = fixes_before(st, m->line, m->column) -
		       fixes_before(st, m->line, 0);
	/* fixes_before(line, 0) counts the earlier lines' fixes only,
	 * since no rewrite ends at column 0. */
	return (unsigned)(m->column + 2 * shift) + 1;
}

#define LINE(m) ((unsigned)(m)->line + 1)
#define COL(st, m) ((st)->nfixes ? fix_col((st), (m)) : \
		    (unsigned)(m)->column + 1)

static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211u;
	}
	return h;
}

static struct lps_error *err_at(struct loader *st, const yaml_mark_t *m,
				const char *fmt, const char *arg)
{
	return lps_error_at(LPS_EINVALID, st->name, LINE(m),
			    COL(st, m), fmt, arg);
}

/*
 * Text for an error message: s, shortened to about 60 bytes, with quotes,
 * backslashes and control characters escaped.
 */
static void describe(char *dst, size_t cap, const char *s, size_t len)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (o + 8 >= cap || (o >= 60 && (c & 0xc0) != 0x80)) {
			memcpy(dst + o, "...", 3);
			o += 3;
			break;
		}
		if (c == '"' || c == '\\') {
			dst[o++] = '\\';
			dst[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(dst + o, cap - o, "\\x%02x", c);
		} else {
			dst[o++] = (char)c;
		}
	}
	dst[o] = '\0';
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 64;
	while (n < need) {
		if (n > ((size_t)-1) / 2 / size)
			return -1;
		n *= 2;
	}
	void *q = realloc(*p, n * size);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

/* grow() for a stack that starts in struct stacks0 (first): moved to
 * the heap when it outgrows it. */
static int __attribute__((noinline))
grow_stack_slow(void **p, size_t *cap, size_t need, size_t size,
		const void *first)
{
	if (*p != first)
		return grow(p, cap, need, size);
	size_t n = *cap, old = *cap;
	void *q = NULL;
	if (grow(&q, &n, need, size) < 0)
		return -1;
	memcpy(q, *p, old * size);
	*p = q;
	*cap = n;
	return 0;
}

static inline int grow_stack(void **p, size_t *cap, size_t need,
			     size_t size, const void *first)
{
	return need <= *cap ? 0 : grow_stack_slow(p, cap, need, size, first);
}

static struct anchor *anchor_find(struct loader *st, const char *name)
{
	if (!st->anchors_cap)
		return NULL;
	size_t len = strlen(name);
	size_t mask = st->anchors_cap - 1;
	for (size_t i = hash_bytes(name, len) & mask;; i = (i + 1) & mask) {
		struct anchor *a = &st->anchors[i];
		if (!a->name)
			return NULL;
		if (!strcmp(a->name, name))
			return a;
	}
}

/* The slot for name, created empty when new; NULL on ENOMEM. */
static struct anchor *anchor_slot(struct loader *st, const char *name)
{
	if (2 * (st->anchors_n + 1) > st->anchors_cap) {
		size_t cap = st->anchors_cap ? st->anchors_cap * 2 : 16;
		struct anchor *t = calloc(cap, sizeof(*t));
		if (!t)
			return NULL;
		for (size_t i = 0; i < st->anchors_cap; i++) {
			struct anchor *a = &st->anchors[i];
			if (!a->name)
				continue;
			size_t j = hash_bytes(a->name, strlen(a->name)) &
				   (cap - 1);
			while (t[j].name)
				j = (j + 1) & (cap - 1);
			t[j] = *a;
		}
		free(st->anchors);
		st->anchors = t;
		st->anchors_cap = cap;
	}
	size_t len = strlen(name);
	size_t mask = st->anchors_cap - 1;
	size_t i = hash_bytes(name, len) & mask;
	for (; st->anchors[i].name; i = (i + 1) & mask)
		if (!strcmp(st->anchors[i].name, name))
			return &st->anchors[i];
	const char *copy = arena_strdup(st->doc, name, len);
	if (!copy)
		return NULL;
	st->anchors[i].name = copy;
	st->anchors_n++;
	return &st->anchors[i];
}

static struct lps_error *anchor_define(struct loader *st, const char *name,
				       struct lps_node *node, size_t count,
				       int open, const char **copy)
{
	struct anchor *a = anchor_slot(st, name);
	if (!a)
		return lps_error_nomem();
	a->node = node;
	a->count = count;
	a->open = open;
	if (copy)
		*copy = a->name;
	return NULL;
}

static inline struct lps_error *count_nodes(struct loader *st, size_t k,
					    const yaml_mark_t *m, int alias)
{
	if (k > st->lim.max_nodes || st->nodes > st->lim.max_nodes - k) {
		return lps_error_at(LPS_EINVALID, st->name,
				    LINE(m),
				    COL(st, m),
				    alias ? "too many nodes after alias "
					    "expansion (limit %zu)"
					  : "too many nodes (limit %zu)",
				    st->lim.max_nodes);
	}
	st->nodes += k;
	return NULL;
}

static int key_equal(const struct lps_pair *p, const char *k, size_t len)
{
	return p->key_len == len && !memcmp(p->key, k, len);
}

/* Find an earlier pair of the open mapping f with this key. */
static struct lps_error *__attribute__((noinline))
check_dup(struct loader *st, struct frame *f, const char *k, size_t len,
	  const yaml_mark_t *m)
{
	struct lps_pair *base = st->pairs + f->start;
	size_t n = st->pairs_n - f->start;  /* earlier pairs */
	const struct lps_pair *dup = NULL;
	if (n < HASH_FROM) {
		for (size_t i = 0; i < n && !dup; i++)
			if (key_equal(&base[i], k, len))
				dup = &base[i];
	} else {
		if (f->hashed == 0 || 2 * (n + 1) > f->hash_cap) {
			size_t cap = f->hash_cap ? f->hash_cap : 64;
			while (2 * (n + 1) > cap)
				cap *= 2;
			if (n >= UINT32_MAX)
				return lps_error_nomem();
			if (cap != f->hash_cap) {
				uint32_t *t = realloc(f->hash,
						      cap * sizeof(*t));
				if (!t)
					return lps_error_nomem();
				f->hash = t;
				f->hash_cap = cap;
			}
			memset(f->hash, 0, cap * sizeof(*f->hash));
			f->hashed = 0;
		}
		size_t mask = f->hash_cap - 1;
		for (; f->hashed < n; f->hashed++) {
			const struct lps_pair *p = &base[f->hashed];
			size_t j = hash_bytes(p->key, p->key_len) & mask;
			while (f->hash[j])
				j = (j + 1) & mask;
			f->hash[j] = (uint32_t)f->hashed + 1;
		}
		size_t j = hash_bytes(k, len) & mask;
		for (; f->hash[j]; j = (j + 1) & mask) {
			if (key_equal(&base[f->hash[j] - 1], k, len)) {
				dup = &base[f->hash[j] - 1];
				break;
			}
		}
	}
	if (!dup)
		return NULL;
	char d[96];
	describe(d, sizeof(d), k, len);
	return lps_error_at(LPS_EINVALID, st->name, LINE(m),
			    COL(st, m),
			    "duplicate key \"%s\" (first at line %u)", d,
			    dup->line);
}

/* One of 64 bits for a key, by its length and end bytes: two keys with
 * different bits differ. */
static uint64_t key_bit(const char *k, size_t len)
{
	if (!len)
		return 1;
	unsigned h = (unsigned)len * 7 + (unsigned char)k[0] * 31 +
		     (unsigned char)k[len - 1];
	return (uint64_t)1 << (h & 63);
}

static inline struct lps_error *push_key(struct loader *st,
					 struct frame *f, const char *k,
					 size_t len, const yaml_mark_t *m)
{
	/* Only a key that may equal an earlier one is looked for among
	 * them: most maps take no comparison at all. */
	uint64_t bit = key_bit(k, len);
	if (f->keys & bit) {
		struct lps_error *err = check_dup(st, f, k, len, m);
		if (err)
			return err;
	}
	f->keys |= bit;
	if (grow_stack((void **)&st->pairs, &st->pairs_cap, st->pairs_n + 1,
		       sizeof(*st->pairs), st->s0->pairs) < 0)
		return lps_error_nomem();
	struct lps_pair *p = &st->pairs[st->pairs_n++];
	p->key = k;
	p->key_len = len;
	p->line = LINE(m);
	p->col = COL(st, m);
	p->value = NULL;
	f->want_key = 0;
	return NULL;
}

/* Hang a finished node under the open collection (or make it the root). */
static inline struct lps_error *attach(struct loader *st,
					struct lps_node *n)
{
	if (st->depth == 0) {
		st->root = n;
		return NULL;
	}
	struct frame *f = &st->frames[st->depth - 1];
	if (f->node->type == LPS_NODE_SEQ) {
		if (grow_stack((void **)&st->items, &st->items_cap,
			       st->items_n + 1, sizeof(*st->items),
			       st->s0->items) < 0)
			return lps_error_nomem();
		st->items[st->items_n++] = n;
	} else {
		st->pairs[st->pairs_n - 1].value = n;
		f->want_key = 1;
	}
	return NULL;
}

static int in_key_position(const struct loader *st)
{
	return st->depth > 0 && st->frames[st->depth - 1].want_key;
}

#define TAG_PREFIX "tag:yaml.org,2002:"

/* The core-schema name of a tag ("str", "int", ...) or NULL. */
static const char *core_tag(const char *tag)
{
	size_t n = sizeof(TAG_PREFIX) - 1;
	return strncmp(tag, TAG_PREFIX, n) ? NULL : tag + n;
}

static struct lps_error *bad_tag(struct loader *st, const yaml_mark_t *m,
				 const char *tag)
{
	char d[96];
	describe(d, sizeof(d), tag, strlen(tag));
	return err_at(st, m, "unsupported tag \"%s\"", d);
}

/* Apply an explicit tag to a scalar node holding its text. */
static struct lps_error *apply_scalar_tag(struct loader *st,
					  struct lps_node *n, const char *tag,
					  const yaml_mark_t *m)
{
	const char *t = core_tag(tag);
	if (!strcmp(tag, "!") || (t && !strcmp(t, "str")))
		return NULL;
	static const struct {
		const char *name;
		enum lps_node_type type;
	} typed[] = {
		{ "null", LPS_NODE_NULL }, { "bool", LPS_NODE_BOOL },
		{ "int", LPS_NODE_INT }, { "float", LPS_NODE_FLOAT },
	};
	for (size_t i = 0; t && i < sizeof(typed) / sizeof(typed[0]); i++) {
		if (strcmp(t, typed[i].name))
			continue;
		classify_plain(n);
		if (n->type == LPS_NODE_INT && typed[i].type == LPS_NODE_FLOAT)
			set_float(n, (double)n->v.integer);
		if (n->type == typed[i].type)
			return NULL;
		char d[96], msg[160];
		describe(d, sizeof(d), n->v.str.ptr, n->v.str.len);
		snprintf(msg, sizeof(msg), "\"%s\" is not a valid !!%s", d,
			 typed[i].name);
		return err_at(st, m, "%s", msg);
	}
	return bad_tag(st, m, tag);
}

static int check_fixes(struct loader *st, const yaml_event_t *ev);

static struct lps_error *on_scalar(struct loader *st, yaml_event_t *ev)
{
	const yaml_mark_t *m = &ev->start_mark;
	const char *val = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	const char *anchor = (const char *)ev->data.scalar.anchor;
	const char *tag = (const char *)ev->data.scalar.tag;
	struct lps_error *err;
	if (st->nfixes && check_fixes(st, ev) < 0)
		return err_at(st, m, "rewrote a \\u escape outside double "
			      "quotes%s", "");
	int is_key = in_key_position(st);
	/* Keys are text whatever they look like: `1: x` has key "1".  An
	 * anchored key also becomes a string node, for aliases. */
	if (is_key && !anchor) {
		char *s = arena_strdup(st->doc, val, len);
		if (!s)
			return lps_error_nomem();
		return push_key(st, &st->frames[st->depth - 1], s, len, m);
	}
	/* The node and its text in one arena block. */
	if (len > ((size_t)-1) / 2)
		return lps_error_nomem();
	struct lps_node *n = arena_alloc(st->doc, sizeof(*n) + len + 1);
	if (!n)
		return lps_error_nomem();
	char *s = (char *)(n + 1);
	if (len)
		memcpy(s, val, len);
	s[len] = '\0';
	if (is_key) {
		err = push_key(st, &st->frames[st->depth - 1], s, len, m);
		if (err)
			return err;
	}
	memset(n, 0, sizeof(*n));
	n->type = LPS_NODE_STRING;
	n->line = LINE(m);
	n->col = COL(st, m);
	n->v.str.ptr = s;
	n->v.str.len = len;
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE &&
	    ev->data.scalar.style != YAML_ANY_SCALAR_STYLE)
		n->quoted = 1;
	if (tag) {
		err = apply_scalar_tag(st, n, tag, m);
		if (err)
			return err;
	} else if (!n->quoted) {
		classify_plain(n);
	}
	if (anchor) {
		err = anchor_define(st, anchor, n, 1, 0, NULL);
		if (err)
			return err;
	}
	if (is_key)
		return NULL;
	err = count_nodes(st, 1, m, 0);
	if (err)
		return err;
	return attach(st, n);
}

static struct lps_error *on_start(struct loader *st, yaml_event_t *ev,
				  enum lps_node_type type)
{
	const yaml_mark_t *m = &ev->start_mark;
	const char *anchor, *tag;
	if (type == LPS_NODE_SEQ) {
		anchor = (const char *)ev->data.sequence_start.anchor;
		tag = (const char *)ev->data.sequence_start.tag;
	} else {
		anchor = (const char *)ev->data.mapping_start.anchor;
		tag = (const char *)ev->data.mapping_start.tag;
	}
	if (in_key_position(st))
		return err_at(st, m, "a mapping key must be a scalar%s", "");
	if (st->depth >= st->lim.max_depth)
		return lps_error_at(LPS_EINVALID, st->name,
				    LINE(m),
				    COL(st, m),
				    "nesting deeper than %zu levels",
				    st->lim.max_depth);
	if (tag && strcmp(tag, "!")) {
		const char *t = core_tag(tag);
		if (!t || strcmp(t, type == LPS_NODE_SEQ ? "seq" : "map"))
			return bad_tag(st, m, tag);
	}
	struct lps_error *err = count_nodes(st, 1, m, 0);
	if (err)
		return err;
	struct lps_node *n = node_new(st->doc, type);
	if (!n)
		return lps_error_nomem();
	n->line = LINE(m);
	n->col = COL(st, m);
	if (grow_stack((void **)&st->frames, &st->frames_cap, st->depth + 1,
		       sizeof(*st->frames), st->s0->frames) < 0)
		return lps_error_nomem();
	if (st->depth == st->frames_init) {
		st->frames[st->depth].hash = NULL;
		st->frames[st->depth].hash_cap = 0;
		st->frames_init++;
	}
	struct frame *f = &st->frames[st->depth++];
	f->node = n;
	f->start = type == LPS_NODE_SEQ ? st->items_n : st->pairs_n;
	f->nodes0 = st->nodes - 1;
	f->anchor = NULL;
	f->want_key = type == LPS_NODE_MAP;
	f->hashed = 0;
	f->keys = 0;
	if (anchor)
		return anchor_define(st, anchor, n, 0, 1, &f->anchor);
	return NULL;
}

static struct lps_error *on_end(struct loader *st)
{
	struct frame *f = &st->frames[st->depth - 1];
	struct lps_node *n = f->node;
	if (n->type == LPS_NODE_SEQ) {
		size_t k = st->items_n - f->start;
		if (k) {
			n->v.seq.items = arena_alloc(st->doc,
						     k * sizeof(*st->items));
			if (!n->v.seq.items)
				return lps_error_nomem();
			memcpy(n->v.seq.items, st->items + f->start,
			       k * sizeof(*st->items));
		}
		n->v.seq.n = k;
		st->items_n = f->start;
	} else {
		size_t k = st->pairs_n - f->start;
		if (k) {
			n->v.map.pairs = arena_alloc(st->doc,
						     k * sizeof(*st->pairs));
			if (!n->v.map.pairs)
				return lps_error_nomem();
			memcpy(n->v.map.pairs, st->pairs + f->start,
			       k * sizeof(*st->pairs));
		}
		n->v.map.n = k;
		st->pairs_n = f->start;
	}
	if (f->anchor) {
		/* A later anchor of the same name may have replaced ours. */
		struct anchor *a = anchor_find(st, f->anchor);
		if (a && a->node == n) {
			a->count = st->nodes - f->nodes0;
			a->open = 0;
		}
	}
	st->depth--;
	return attach(st, n);
}

static struct lps_error *on_alias(struct loader *st, yaml_event_t *ev)
{
	const yaml_mark_t *m = &ev->start_mark;
	const char *name = (const char *)ev->data.alias.anchor;
	struct anchor *a = anchor_find(st, name);
	char d[96];
	describe(d, sizeof(d), name, strlen(name));
	if (!a)
		return err_at(st, m, "undefined alias \"%s\"", d);
	if (a->open)
		return err_at(st, m, "alias \"%s\" refers to a node that "
				     "contains it", d);
	if (in_key_position(st)) {
		if (a->node->type != LPS_NODE_STRING)
			return err_at(st, m, "a mapping key must be a "
					     "string%s", "");
		return push_key(st, &st->frames[st->depth - 1],
				a->node->v.str.ptr, a->node->v.str.len, m);
	}
	struct lps_error *err = count_nodes(st, a->count, m, 1);
	if (err)
		return err;
	return attach(st, a->node);
}

/* 1-based line and column (in code points) of byte offset off. */
static void position(const char *text, size_t len, size_t off,
		     unsigned *line, unsigned *col)
{
	unsigned l = 1, c = 1;
	if (off > len)
		off = len;
	for (size_t i = 0; i < off; i++) {
		char ch = text[i];
		if (ch == '\n' || (ch == '\r' && (i + 1 >= len ||
						  text[i + 1] != '\n'))) {
			l++;
			c = 1;
		} else if (((unsigned char)ch & 0xc0) != 0x80 && ch != '\r') {
			c++;
		}
	}
	*line = l;
	*col = c;
}

/* Byte offset where 0-based line `line` starts, or len. */
static size_t line_start(const char *text, size_t len, size_t line)
{
	size_t i = 0;
	while (line > 0 && i < len) {
		if (text[i] == '\n' || (text[i] == '\r' &&
					(i + 1 >= len || text[i + 1] != '\n')))
			line--;
		i++;
	}
	return i;
}

/* Bytes taken by the n code points at text[from..]. */
static size_t cp_bytes(const char *text, size_t len, size_t from, size_t n)
{
	size_t i = from;
	while (n > 0 && i < len) {
		i++;
		while (i < len && ((unsigned char)text[i] & 0xc0) == 0x80)
			i++;
		n--;
	}
	return i - from;
}

static int hex4(const char *s, unsigned *v)
{
	*v = 0;
	for (int k = 0; k < 4; k++) {
		int x = hexval(s[k]);
		if (x < 0)
			return 0;
		*v = *v * 16 + (unsigned)x;
	}
	return 1;
}

/* A \uD8xx\uDCxx escape pair at t[0..n): its code point, or 0. */
static unsigned pair_at(const char *t, size_t n)
{
	unsigned hi, lo;
	if (n < 12 || t[0] != '\\' || t[1] != 'u' || t[6] != '\\' ||
	    t[7] != 'u' || !hex4(t + 2, &hi) || !hex4(t + 8, &lo))
		return 0;
	if (hi < 0xd800 || hi > 0xdbff || lo < 0xdc00 || lo > 0xdfff)
		return 0;
	return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
}

static int is_blocked(const size_t *block, size_t n, size_t off)
{
	for (size_t i = 0; i < n; i++)
		if (block[i] == off)
			return 1;
	return 0;
}

/*
 * libyaml does not decode JSON's surrogate pairs ("\ud83d\ude42"): it
 * refuses the first half.  Where it first did, at byte `from` of the
 * source (the backslash of the refused escape, inside a double-quoted
 * scalar), rewrite every such pair from there on as the equivalent
 * 10-byte "\U0001f642" into st->text (a buffer of len + 1 bytes), except
 * at the source offsets in block.  Whether each rewrite really was in a
 * double-quoted scalar is checked as the scalars arrive (check_fixes);
 * a wrong one is blocked and the text rebuilt.  0, or -1 on ENOMEM.
 */
static int rewrite_pairs(struct loader *st, const char *src, size_t len,
			 char *t, size_t from, const size_t *block,
			 size_t nblock)
{
	memcpy(t, src, from);
	unsigned line, col;
	position(src, len, from, &line, &col);
	size_t l = line - 1, c = col - 1, o = from, run = 0;
	st->nfixes = 0;
	for (size_t i = from; i < len;) {
		unsigned cp = src[i] == '\\' && run % 2 == 0 ?
			      pair_at(src + i, len - i) : 0;
		if (cp && !is_blocked(block, nblock, i)) {
			if (grow((void **)&st->fixes, &st->fixes_cap,
				 st->nfixes + 1, sizeof(*st->fixes)) < 0)
				return -1;
			st->fixes[st->nfixes++] = (struct fix){
				l, c, c + 10, i,
			};
			snprintf(t + o, 11, "\\U%08x", cp);
			o += 10;
			c += 10;
			i += 12;
			run = 0;
			continue;
		}
		run = src[i] == '\\' ? run + 1 : 0;
		if (src[i] == '\n' || (src[i] == '\r' && (i + 1 >= len ||
							src[i + 1] != '\n'))) {
			l++;
			c = 0;
		} else if (((unsigned char)src[i] & 0xc0) != 0x80 &&
			   src[i] != '\r') {
			c++;
		}
		t[o++] = src[i++];
	}
	t[o] = '\0';
	st->len = o;
	st->fix_next = 0;
	return 0;
}

/*
 * A rewrite inside a scalar that is not double-quoted changed its text:
 * report it (by source offset) so the caller parses again without it.
 */
static int check_fixes(struct loader *st, const yaml_event_t *ev)
{
	const yaml_mark_t *s = &ev->start_mark, *e = &ev->end_mark;
	while (st->fix_next < st->nfixes) {
		const struct fix *f = &st->fixes[st->fix_next];
		if (fix_cmp(f->line, f->col, s->line, s->column) < 0) {
			st->fix_next++;  /* in a comment: harmless */
			continue;
		}
		if (fix_cmp(f->line, f->col, e->line, e->column) >= 0)
			return 0;
		if (ev->data.scalar.style != YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
			st->bad_fix = f->off;
			return -1;
		}
		st->fix_next++;
	}
	return 0;
}

/*
 * When libyaml fails on a line whose indentation holds a tab, say so: its
 * own message for that ("found character that cannot start any token")
 * does not help.  Tabs inside scalars and after content are legal, and
 * those lines parse, so only failing lines are looked at.
 */
static struct lps_error *tab_error(struct loader *st, size_t line)
{
	for (size_t l = line + 1; l-- > 0 && l + 2 > line;) {
		size_t i = line_start(st->text, st->len, l);
		size_t col = 1;
		for (; i < st->len && (st->text[i] == ' ' ||
				       st->text[i] == '\t'); i++, col++) {
			if (st->text[i] != '\t')
				continue;
			size_t j = i;
			while (j < st->len && (st->text[j] == ' ' ||
					       st->text[j] == '\t'))
				j++;
			if (j == st->len || st->text[j] == '\n' ||
			    st->text[j] == '\r' || st->text[j] == '#')
				break;  /* blank or comment line: harmless */
			return lps_error_at(LPS_EINVALID, st->name,
					    (unsigned)l + 1, (unsigned)col,
					    "tab character used for "
					    "indentation");
		}
	}
	return NULL;
}

static struct lps_error *parse_error(struct loader *st, yaml_parser_t *p)
{
	if (p->error == YAML_MEMORY_ERROR)
		return lps_error_nomem();
	const char *problem = p->problem ? p->problem : "cannot parse";
	char msg[256];
	size_t o = 0;
	for (; problem[o] && o + 1 < sizeof(msg); o++)
		msg[o] = (char)(problem[o] >= 'A' && problem[o] <= 'Z' ?
				problem[o] - 'A' + 'a' : problem[o]);
	msg[o] = '\0';
	if (p->error == YAML_READER_ERROR) {
		unsigned line, col;
		position(st->text, st->len, p->problem_offset, &line, &col);
		yaml_mark_t mk = { 0, line - 1, col - 1 };
		col = COL(st, &mk);
		if (p->problem_value >= 0)
			snprintf(msg + o, sizeof(msg) - o, " (character 0x%x)",
				 (unsigned)p->problem_value);
		return lps_error_at(LPS_EINVALID, st->name, line, col, "%s",
				    msg);
	}
	if (p->problem && strstr(p->problem, "invalid Unicode character "
				 "escape code"))
		st->pair_at = line_start(st->text, st->len,
					 p->problem_mark.line) +
			      cp_bytes(st->text, st->len,
				       line_start(st->text, st->len,
						  p->problem_mark.line),
				       p->problem_mark.column);
	struct lps_error *tab = tab_error(st, p->problem_mark.line);
	if (tab)
		return tab;
	if (p->context && !strncmp(p->context, "while ", 6))
		snprintf(msg + o, sizeof(msg) - o, " (%s started at line %zu)",
			 p->context, p->context_mark.line + 1);
	return lps_error_at(LPS_EINVALID, st->name,
			    LINE(&p->problem_mark),
			    COL(st, &p->problem_mark), "%s", msg);
}

/* libyaml's deallocator: exported, but declared only in its private
 * header (yamlpool.c replaces it). */
void yaml_free(void *ptr);

/*
 * yaml_event_delete() of a handled event.  Scalars, most events, have
 * their three strings (anchor, tag, value: the event owns them, as
 * yaml.h says) freed here directly: yaml_event_delete() also clears the
 * event, which the next yaml_parser_parse() does anyway, and costs a
 * call through the PLT for each string, set or not.
 */
static void event_done(yaml_event_t *ev)
{
	if (ev->type != YAML_SCALAR_EVENT) {
		yaml_event_delete(ev);
		return;
	}
	if (ev->data.scalar.anchor)
		yaml_free(ev->data.scalar.anchor);
	if (ev->data.scalar.tag)
		yaml_free(ev->data.scalar.tag);
	yaml_free(ev->data.scalar.value);
}

static struct lps_error *run_events(struct loader *st)
{
	yaml_parser_t p;
	yaml_event_t ev;
	struct lps_error *err = NULL;
	int docs = 0, done = 0;
	/* libyaml's small allocations come from a pool for this parse
	 * (yamlpool.h says why); everything of libyaml's is gone before
	 * the pool ends. */
	struct lps_yamlpool pool = { 0 };
	lps_yamlpool_begin(&pool);
	if (!yaml_parser_initialize(&p)) {
		lps_yamlpool_end(&pool);
		return lps_error_nomem();
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)st->text,
				     st->len);
	while (!err && !done) {
		if (!yaml_parser_parse(&p, &ev)) {
			err = parse_error(st, &p);
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (docs++)
				err = err_at(st, &ev.start_mark, "more than "
					     "one document in the stream%s",
					     "");
			break;
		case YAML_SCALAR_EVENT:
			err = on_scalar(st, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			err = on_start(st, &ev, LPS_NODE_SEQ);
			break;
		case YAML_MAPPING_START_EVENT:
			err = on_start(st, &ev, LPS_NODE_MAP);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			err = on_end(st);
			break;
		case YAML_ALIAS_EVENT:
			err = on_alias(st, &ev);
			break;
		default:
			break;
		}
		event_done(&ev);
	}
	yaml_parser_delete(&p);
	lps_yamlpool_end(&pool);
	return err;
}

static struct lps_error *check_utf8(const char *name, const char *text,
				    size_t len)
{
	size_t bad = lps_utf8_check(text, len);
	if (bad == len)
		return NULL;
	unsigned line, col;
	position(text, len, bad, &line, &col);
	return lps_error_at(LPS_EINVALID, name, line, col,
			    "invalid UTF-8 (byte 0x%02x)",
			    (unsigned char)text[bad]);
}

struct lps_error *lps_doc_load(struct lps_doc **out, const char *name,
			       const char *text, size_t len,
			       const struct lps_doc_limits *limits)
{
	static const struct lps_doc_limits defaults = LPS_DOC_LIMITS_DEFAULT;
	const struct lps_doc_limits *lim = limits ? limits : &defaults;
	struct lps_error *err;
	*out = NULL;
	if (len > lim->max_bytes)
		return lps_error_at(LPS_EINVALID, name, 0, 0,
				    "document is %zu bytes, over the limit "
				    "of %zu", len, lim->max_bytes);
	err = check_utf8(name, text, len);
	if (err)
		return err;
	struct stacks0 s0;  /* left uninitialised: filled as used */
	struct loader st = {
		.name = name, .text = text, .len = len, .lim = *lim,
		.pair_at = (size_t)-1, .s0 = &s0,
		.frames = s0.frames, .frames_cap = FRAMES0,
		.items = s0.items, .items_cap = ITEMS0,
		.pairs = s0.pairs, .pairs_cap = PAIRS0,
	};
	char *work = NULL;  /* the text with surrogate pairs rewritten */
	size_t from = (size_t)-1, *block = NULL, nblock = 0, block_cap = 0;
	for (;;) {
		/* Nodes and strings take about 1.5 times the text for
		 * typical documents; start with a chunk of that size. */
		st.doc = doc_create(name, len + len / 2 + 512);
		if (!st.doc) {
			err = lps_error_nomem();
			break;
		}
		st.bad_fix = st.pair_at = (size_t)-1;
		err = run_events(&st);
		if (!err)
			break;
		if (st.bad_fix != (size_t)-1 && nblock < MAX_REWRITE_RETRIES) {
			if (grow((void **)&block, &block_cap, nblock + 1,
				 sizeof(*block)) < 0)
				goto nomem;
			block[nblock++] = st.bad_fix;
		} else if (st.pair_at != (size_t)-1 && !work &&
			   st.pair_at >= 2 &&
			   pair_at(text + st.pair_at - 2,
				   len - st.pair_at + 2)) {
			from = st.pair_at - 2;
			work = malloc(len + 1);
			if (!work)
				goto nomem;
		} else {
			break;
		}
		if (rewrite_pairs(&st, text, len, work, from, block,
				  nblock) < 0)
			goto nomem;
		st.text = work;
		/* Parse the rewritten text again from the start. */
		lps_error_free(err);
		err = NULL;
		lps_doc_free(st.doc);
		st.doc = NULL;
		st.depth = st.items_n = st.pairs_n = st.nodes = 0;
		st.root = NULL;
		if (st.anchors_cap)
			memset(st.anchors, 0,
			       st.anchors_cap * sizeof(*st.anchors));
		st.anchors_n = 0;
		continue;
nomem:
		lps_error_free(err);
		err = lps_error_nomem();
		break;
	}
	free(block);
	free(work);
	free(st.fixes);
	if (!err && st.root) {
		st.doc->root = st.root;
	} else if (!err) {
		st.doc->root->line = 1;  /* empty stream */
		st.doc->root->col = 1;
	}
	for (size_t i = 0; i < st.frames_init; i++)
		free(st.frames[i].hash);
	if (st.frames != s0.frames)
		free(st.frames);
	if (st.items != s0.items)
		free(st.items);
	if (st.pairs != s0.pairs)
		free(st.pairs);
	free(st.anchors);
	if (err) {
		lps_doc_free(st.doc);
		return err;
	}
	*out = st.doc;
	return NULL;
}

/*
 * Read a regular file of known size into one exact allocation: no
 * growing buffer, one fstat.  *text is NULL (and no error) for anything
 * else, which the caller reads with lps_buf_read_file().
 */
static struct lps_error *read_regular(const char *path, size_t max,
				      char **text, size_t *len)
{
	struct lps_error *err = NULL;
	struct stat sb;
	*text = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return lps_error_at(errno == ENOENT ? LPS_ENOTFOUND : LPS_ESYS,
				    path, 0, 0, "cannot open: %s",
				    strerror(errno));
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode))
		goto out;
	/* Refuse an oversized file before reading a byte of it. */
	if ((unsigned long long)sb.st_size > max) {
		err = lps_error_at(LPS_EINVALID, path, 0, 0,
				   "document is %lld bytes, over the limit "
				   "of %zu", (long long)sb.st_size, max);
		goto out;
	}
	size_t size = (size_t)sb.st_size, got = 0;
	char *buf = malloc(size + 1);
	if (!buf) {
		err = lps_error_nomem();
		goto out;
	}
	while (got <= size) {
		/* Ask for one byte more than expected, to see the end. */
		ssize_t n = read(fd, buf + got, size + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = lps_error_at(LPS_ESYS, path, 0, 0,
					   "cannot read: %s", strerror(errno));
			free(buf);
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got > size) {
		free(buf);  /* it grew while we read: take the slow road */
		goto out;
	}
	buf[got] = '\0';
	*text = buf;
	*len = got;
out:
	close(fd);
	return err;
}

struct lps_error *lps_doc_load_file(struct lps_doc **out, const char *path,
				    const struct lps_doc_limits *limits)
{
	static const struct lps_doc_limits defaults = LPS_DOC_LIMITS_DEFAULT;
	const struct lps_doc_limits *lim = limits ? limits : &defaults;
	char *text;
	size_t len = 0;
	*out = NULL;
	struct lps_error *err = read_regular(path, lim->max_bytes, &text,
					     &len);
	if (err)
		return err;
	if (text) {
		err = lps_doc_load(out, path, text, len, lim);
		free(text);
		return err;
	}
	struct lps_buf b = LPS_BUF_INIT;
	err = lps_buf_read_file(&b, path, lim->max_bytes);
	if (!err)
		err = lps_doc_load(out, path, b.data ? b.data : "", b.len,
				   lim);
	lps_buf_free(&b);
	return err;
}

/* ----------------------------------------------------------- builders */

static struct lps_node *built(struct lps_doc *doc, enum lps_node_type t)
{
	return node_new(doc, t);
}

struct lps_node *lps_doc_new_null(struct lps_doc *doc)
{
	return built(doc, LPS_NODE_NULL);
}

struct lps_node *lps_doc_new_bool(struct lps_doc *doc, int value)
{
	struct lps_node *n = built(doc, LPS_NODE_BOOL);
	if (n)
		n->v.boolean = value != 0;
	return n;
}

struct lps_node *lps_doc_new_int(struct lps_doc *doc, int64_t value)
{
	struct lps_node *n = built(doc, LPS_NODE_INT);
	if (n)
		n->v.integer = value;
	return n;
}

struct lps_node *lps_doc_new_float(struct lps_doc *doc, double value)
{
	struct lps_node *n = built(doc, LPS_NODE_FLOAT);
	if (n)
		n->v.number = value;
	return n;
}

struct lps_node *lps_doc_new_stringn(struct lps_doc *doc, const char *s,
				     size_t len)
{
	char *p = arena_strdup(doc, s, len);
	struct lps_node *n = p ? built(doc, LPS_NODE_STRING) : NULL;
	if (n) {
		n->v.str.ptr = p;
		n->v.str.len = len;
	}
	return n;
}

struct lps_node *lps_doc_new_string(struct lps_doc *doc, const char *s)
{
	return lps_doc_new_stringn(doc, s, strlen(s));
}

struct lps_node *lps_doc_new_seq(struct lps_doc *doc)
{
	return built(doc, LPS_NODE_SEQ);
}

struct lps_node *lps_doc_new_map(struct lps_doc *doc)
{
	return built(doc, LPS_NODE_MAP);
}

/*
 * Make room for one more element in a collection array of n elements of
 * `size` bytes.  Loaded arrays are exactly n long (cap_log2 == 0); the
 * first append moves them to a power-of-two arena array, which then
 * doubles (the old array stays in the arena until the document is freed).
 */
static void *room_for_one(struct lps_doc *doc, struct lps_node *c,
			  void *arr, size_t n, size_t size)
{
	size_t cap = c->cap_log2 ? (size_t)1 << c->cap_log2 : n;
	if (n < cap)
		return arr;
	unsigned k = 2;
	while (((size_t)1 << k) <= n) {
		if (++k >= 63)
			return NULL;
	}
	void *p = arena_alloc(doc, ((size_t)1 << k) * size);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, arr, n * size);
	c->cap_log2 = k;
	return p;
}

int lps_seq_append(struct lps_doc *doc, struct lps_node *seq,
		   struct lps_node *item)
{
	if (!seq || seq->type != LPS_NODE_SEQ || !item)
		return -1;
	struct lps_node **items = room_for_one(doc, seq, seq->v.seq.items,
					       seq->v.seq.n, sizeof(*items));
	if (!items)
		return -1;
	seq->v.seq.items = items;
	items[seq->v.seq.n++] = item;
	return 0;
}

static struct lps_pair *find_pair(const struct lps_node *map, const char *k,
				  size_t len)
{
	if (!map || map->type != LPS_NODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->v.map.n; i++)
		if (key_equal(&map->v.map.pairs[i], k, len))
			return &map->v.map.pairs[i];
	return NULL;
}

int lps_map_set(struct lps_doc *doc, struct lps_node *map, const char *key,
		struct lps_node *value)
{
	if (!map || map->type != LPS_NODE_MAP || !value)
		return -1;
	size_t len = strlen(key);
	struct lps_pair *p = find_pair(map, key, len);
	if (p) {
		p->value = value;
		return 0;
	}
	char *k = arena_strdup(doc, key, len);
	if (!k)
		return -1;
	struct lps_pair *pairs = room_for_one(doc, map, map->v.map.pairs,
					      map->v.map.n, sizeof(*pairs));
	if (!pairs)
		return -1;
	map->v.map.pairs = pairs;
	pairs[map->v.map.n++] = (struct lps_pair){
		.key = k, .key_len = len, .value = value,
	};
	return 0;
}

int lps_map_remove(struct lps_node *map, const char *key)
{
	struct lps_pair *p = find_pair(map, key, strlen(key));
	if (!p)
		return 0;
	size_t i = (size_t)(p - map->v.map.pairs);
	memmove(p, p + 1, (map->v.map.n - i - 1) * sizeof(*p));
	map->v.map.n--;
	return 1;
}

struct lps_node *lps_doc_copy(struct lps_doc *doc, const struct lps_node *n)
{
	if (!n)
		return NULL;
	struct lps_node *c = node_new(doc, n->type);
	if (!c)
		return NULL;
	*c = *n;
	c->cap_log2 = 0;
	if (n->type == LPS_NODE_SEQ && !n->v.seq.n)
		c->v.seq.items = NULL;
	if (n->type == LPS_NODE_MAP && !n->v.map.n)
		c->v.map.pairs = NULL;
	switch (n->type) {
	case LPS_NODE_STRING:
		c->v.str.ptr = arena_strdup(doc, n->v.str.ptr, n->v.str.len);
		return c->v.str.ptr ? c : NULL;
	case LPS_NODE_SEQ:
		if (!n->v.seq.n)
			return c;
		c->v.seq.items = arena_alloc(doc, n->v.seq.n *
						      sizeof(*c->v.seq.items));
		if (!c->v.seq.items)
			return NULL;
		for (size_t i = 0; i < n->v.seq.n; i++) {
			c->v.seq.items[i] = lps_doc_copy(doc,
							 n->v.seq.items[i]);
			if (!c->v.seq.items[i])
				return NULL;
		}
		return c;
	case LPS_NODE_MAP:
		if (!n->v.map.n)
			return c;
		c->v.map.pairs = arena_alloc(doc, n->v.map.n *
						      sizeof(*c->v.map.pairs));
		if (!c->v.map.pairs)
			return NULL;
		for (size_t i = 0; i < n->v.map.n; i++) {
			const struct lps_pair *p = &n->v.map.pairs[i];
			struct lps_pair *q = &c->v.map.pairs[i];
			*q = *p;
			q->key = arena_strdup(doc, p->key, p->key_len);
			q->value = lps_doc_copy(doc, p->value);
			if (!q->key || !q->value)
				return NULL;
		}
		return c;
	default:
		return c;
	}
}

/* ------------------------------------------------------------ queries */

struct lps_node *lps_map_get(const struct lps_node *map, const char *key)
{
	struct lps_pair *p = find_pair(map, key, strlen(key));
	return p ? p->value : NULL;
}

const char *lps_node_str(const struct lps_node *n)
{
	return n && n->type == LPS_NODE_STRING ? n->v.str.ptr : NULL;
}

const char *lps_node_type_name(const struct lps_node *n)
{
	if (!n)
		return "null";
	switch (n->type) {
	case LPS_NODE_NULL: return "null";
	case LPS_NODE_BOOL: return "boolean";
	case LPS_NODE_INT: return "integer";
	case LPS_NODE_FLOAT: return "number";
	case LPS_NODE_STRING: return "string";
	case LPS_NODE_SEQ: return "array";
	case LPS_NODE_MAP: return "object";
	}
	return "null";
}

/* An integer and a double are equal when they are the same number. */
static int int_float_equal(int64_t i, double d)
{
	if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
		return 0;
	return d == floor(d) && (int64_t)d == i;
}

static int pair_cmp(const void *a, const void *b)
{
	const struct lps_pair *p = *(const struct lps_pair *const *)a;
	const struct lps_pair *q = *(const struct lps_pair *const *)b;
	size_t n = p->key_len < q->key_len ? p->key_len : q->key_len;
	int c = memcmp(p->key, q->key, n);
	if (c)
		return c;
	return p->key_len < q->key_len ? -1 : p->key_len > q->key_len;
}

/* Maps with this many pairs are compared by sorting, not scanning. */
#define EQUAL_SORT_FROM 32

static int map_equal_sorted(const struct lps_node *a,
			    const struct lps_node *b, int *ok)
{
	size_t n = a->v.map.n;
	const struct lps_pair **x = malloc(2 * n * sizeof(*x));
	if (!x) {
		*ok = 0;
		return 0;
	}
	const struct lps_pair **y = x + n;
	for (size_t i = 0; i < n; i++) {
		x[i] = &a->v.map.pairs[i];
		y[i] = &b->v.map.pairs[i];
	}
	qsort(x, n, sizeof(*x), pair_cmp);
	qsort(y, n, sizeof(*y), pair_cmp);
	int eq = 1;
	for (size_t i = 0; i < n && eq; i++)
		eq = !pair_cmp(&x[i], &y[i]) &&
		     lps_node_equal(x[i]->value, y[i]->value);
	free(x);
	*ok = 1;
	return eq;
}

static int map_equal(const struct lps_node *a, const struct lps_node *b)
{
	if (a->v.map.n != b->v.map.n)
		return 0;
	if (a->v.map.n >= EQUAL_SORT_FROM) {
		int ok, eq = map_equal_sorted(a, b, &ok);
		if (ok)
			return eq;
	}
	for (size_t i = 0; i < a->v.map.n; i++) {
		const struct lps_pair *p = &a->v.map.pairs[i];
		const struct lps_pair *q = find_pair(b, p->key, p->key_len);
		if (!q || !lps_node_equal(p->value, q->value))
			return 0;
	}
	return 1;
}

int lps_node_equal(const struct lps_node *a, const struct lps_node *b)
{
	if (a == b)
		return 1;
	if (!a || !b)
		return 0;
	if (a->type != b->type) {
		if (a->type == LPS_NODE_INT && b->type == LPS_NODE_FLOAT)
			return int_float_equal(a->v.integer, b->v.number);
		if (a->type == LPS_NODE_FLOAT && b->type == LPS_NODE_INT)
			return int_float_equal(b->v.integer, a->v.number);
		return 0;
	}
	switch (a->type) {
	case LPS_NODE_NULL:
		return 1;
	case LPS_NODE_BOOL:
		return !a->v.boolean == !b->v.boolean;
	case LPS_NODE_INT:
		return a->v.integer == b->v.integer;
	case LPS_NODE_FLOAT:
		return a->v.number == b->v.number;
	case LPS_NODE_STRING:
		return a->v.str.len == b->v.str.len &&
		       !memcmp(a->v.str.ptr, b->v.str.ptr, a->v.str.len);
	case LPS_NODE_SEQ:
		if (a->v.seq.n != b->v.seq.n)
			return 0;
		for (size_t i = 0; i < a->v.seq.n; i++)
			if (!lps_node_equal(a->v.seq.items[i],
					    b->v.seq.items[i]))
				return 0;
		return 1;
	case LPS_NODE_MAP:
		return map_equal(a, b);
	}
	return 0;
}
