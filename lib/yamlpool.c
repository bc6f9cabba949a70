/*
 * yamlpool.c - libyaml's allocations served from a per-thread pool while
 * a document is parsed.  See yamlpool.h for why and when.
 */
#include "yamlpool.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Every pool block starts with a header holding its size class; 16
 * bytes keep the payload as aligned as malloc's. */
#define BLOCK_HDR 16
#define MIN_BLOCK 16
#define MAX_BLOCK ((size_t)MIN_BLOCK << (LPS_YAMLPOOL_CLASSES - 1))
/* The first chunk holds one small document's parse (libyaml's two input
 * buffers are 64 KiB) and stays below glibc's default mmap threshold, so
 * taking and returning it is cheap; later chunks double. */
#define CHUNK_FIRST (112 * 1024)
#define CHUNK_MAX (1024 * 1024)

struct lps_yamlpool_chunk {
	struct lps_yamlpool_chunk *next;
	uintptr_t start, end;  /* the blocks' bytes */
};

#define CHUNK_HDR ((sizeof(struct lps_yamlpool_chunk) + 15) & ~(size_t)15)

#ifndef LPS_NO_YAML_POOL

static _Thread_local struct lps_yamlpool *active;

/* ------------------------------------------------------------ pool */

/* The class of a block of n (0..MAX_BLOCK) bytes: the bit length of
 * n - 1, less that of MIN_BLOCK - 1.  This runs for every scalar. */
static inline unsigned class_of(size_t n)
{
	if (n <= MIN_BLOCK)
		return 0;
	unsigned long long m = n - 1;
	return (unsigned)(64 - __builtin_clzll(m)) - 4;
}

static size_t class_size(unsigned c)
{
	return (size_t)MIN_BLOCK << c;
}

/* Nearly every block lives in the newest chunk: one comparison. */
static inline int in_newest(const struct lps_yamlpool *pool, const void *p)
{
	return (uintptr_t)p - pool->lo < pool->hi - pool->lo;
}

/* Is p a block of an older chunk of the pool?  Out of line: rare. */
static int __attribute__((noinline))
owned_older(const struct lps_yamlpool *pool, const void *p)
{
	uintptr_t a = (uintptr_t)p;
	for (const struct lps_yamlpool_chunk *c = pool->chunks; c;
	     c = c->next)
		if (a >= c->start && a < c->end)
			return 1;
	return 0;
}

/* Is p a block of the pool (not one of malloc's)? */
static inline int owned(const struct lps_yamlpool *pool, const void *p)
{
	return in_newest(pool, p) || owned_older(pool, p);
}

/* Room for need more bytes: a new chunk (the rest of the old one is
 * left unused).  0, or -1 when out of memory. */
static int pool_grow(struct lps_yamlpool *pool, size_t need)
{
	size_t size = pool->next_size ? pool->next_size : CHUNK_FIRST;
	while (size < need)
		size *= 2;
	struct lps_yamlpool_chunk *c = malloc(CHUNK_HDR + size);
	if (!c)
		return -1;
	c->start = (uintptr_t)c + CHUNK_HDR;
	c->end = c->start + size;
	c->next = pool->chunks;
	pool->chunks = c;
	pool->cur = (char *)c + CHUNK_HDR;
	pool->end = pool->cur + size;
	pool->lo = c->start;
	pool->hi = c->end;
	pool->next_size = size < CHUNK_MAX ? size * 2 : size;
	return 0;
}

/* A new block of class c cut from the newest chunk's free space. */
static inline void *carve(struct lps_yamlpool *pool, unsigned c)
{
	char *b = pool->cur;
	pool->cur += BLOCK_HDR + class_size(c);
	memcpy(b, &c, sizeof(c));
	return b + BLOCK_HDR;
}

/* pool_alloc() when neither a freed block nor the newest chunk serves:
 * a new chunk, or malloc past the largest class.  Out of line so that
 * the common paths stay short. */
static void *__attribute__((noinline))
pool_alloc_slow(struct lps_yamlpool *pool, size_t n)
{
	if (n > MAX_BLOCK)
		return malloc(n);  /* not owned: yaml_free gives it back */
	unsigned c = class_of(n);
	if (pool_grow(pool, BLOCK_HDR + class_size(c)))
		return NULL;
	return carve(pool, c);
}

static inline void *pool_alloc(struct lps_yamlpool *pool, size_t n)
{
	if (n <= MAX_BLOCK) {
		unsigned c = class_of(n);
		void *p = pool->free[c];
		if (p) {
			memcpy(&pool->free[c], p, sizeof(void *));
			return p;
		}
		if ((size_t)(pool->end - pool->cur) >= BLOCK_HDR +
							class_size(c))
			return carve(pool, c);
	}
	return pool_alloc_slow(pool, n);
}

static unsigned block_class(const void *p)
{
	unsigned c;
	memcpy(&c, (const char *)p - BLOCK_HDR, sizeof(c));
	return c;
}

static inline void pool_free(struct lps_yamlpool *pool, void *p)
{
	if (!owned(pool, p)) {
		free(p);
		return;
	}
	unsigned c = block_class(p);
	memcpy(p, &pool->free[c], sizeof(void *));
	pool->free[c] = p;
}

static void *pool_realloc(struct lps_yamlpool *pool, void *p, size_t n)
{
	if (!p)
		return pool_alloc(pool, n);
	if (!owned(pool, p))
		return realloc(p, n ? n : 1);
	size_t cap = class_size(block_class(p));
	if (n <= cap)
		return p;
	void *q = pool_alloc(pool, n);
	if (!q)
		return NULL;
	memcpy(q, p, cap);
	pool_free(pool, p);
	return q;
}

/* ----------------------------------------------------------- check */

/*
 * The check of yamlpool.h: while `probing` is set on a thread, the four
 * functions hand out plain malloc blocks and note each one, so that a
 * block that libyaml frees behind our back, or one it allocated behind
 * our back and frees through us, shows without doing harm.
 */
#define PROBE_MAX 512

struct probe {
	void *live[PROBE_MAX];
	size_t n;
	size_t allocs;
	int bad;  /* a foreign block, or too many to follow */
};

static _Thread_local struct probe *probing;

static void probe_note(struct probe *pr, void *p)
{
	if (!p)
		return;
	pr->allocs++;
	if (pr->n == PROBE_MAX)
		pr->bad = 1;
	else
		pr->live[pr->n++] = p;
}

static void probe_forget(struct probe *pr, void *p)
{
	for (size_t i = 0; i < pr->n; i++) {
		if (pr->live[i] == p) {
			pr->live[i] = pr->live[--pr->n];
			return;
		}
	}
	pr->bad = 1;
}

/* One construct of each kind the scanner, parser and their error paths
 * allocate for: directives, tags, anchors, aliases, every scalar style,
 * flow and block collections, several documents, and broken input. */
static const char *const probe_texts[] = {
	"%YAML 1.1\n%TAG !e! tag:example.org,2000:\n--- !e!root\n"
	"plain: text with  spaces\nsingle: 'it''s'\n"
	"double: \"tab\\t \\u00e9 \\U0001f642 \\x41\"\n"
	"literal: |\n  one\n  two\n\nfolded: >-\n  a\n  b\n"
	"? complex key\n: &anc [1, 2.5, {k: v, k2: !!str 3}]\n"
	"alias: *anc\nverbatim: !<tag:yaml.org,2002:int> 7\n"
	"seq:\n- a\n- - nested\n  - {x: 1}\n- !!map {}\n"
	"long: " "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstu"
	"vwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789\n"
	"... # end\n--- second\n...\n",
	"{\"json\": [\"a\\\"b\", null, true, -1e3], \"o\": {}}\n",
	"key: [unclosed\n",
	"a: 1\n a: 2\n",
	"- &x !t \"v\n",
	"%TAG !a! x\n%TAG !a! y\n--- z\n",
	"k: \"\\ud83d\"\n",
};

static void probe_parse(const char *text)
{
	yaml_parser_t p;
	yaml_event_t ev;
	if (!yaml_parser_initialize(&p))
		return;
	yaml_parser_set_input_string(&p, (const unsigned char *)text,
				     strlen(text));
	/* Stop half-way once, so that yaml_parser_delete frees queued
	 * tokens too. */
	for (int k = 0; k < 1000; k++) {
		if (!yaml_parser_parse(&p, &ev))
			break;
		int end = ev.type == YAML_STREAM_END_EVENT ||
			  (k == 12 && text == probe_texts[0]);
		yaml_event_delete(&ev);
		if (end)
			break;
	}
	yaml_parser_delete(&p);
}

static int pool_ok;
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;

static void run_probe(void)
{
	struct probe *pr = calloc(1, sizeof(*pr));
	if (!pr)
		return;
	probing = pr;
	for (size_t i = 0; i < sizeof(probe_texts) / sizeof(*probe_texts);
	     i++)
		probe_parse(probe_texts[i]);
	probe_parse(probe_texts[0]);  /* this time to the end */
	probing = NULL;
	/* libyaml's buffers alone are several allocations per parser. */
	pool_ok = !pr->bad && pr->n == 0 && pr->allocs >= 8;
	/* Blocks libyaml kept (a failed check) are left alone: freeing
	 * them could free them twice. */
	free(pr);
}

int lps_yamlpool_enabled(void)
{
	pthread_once(&pool_once, run_probe);
	return pool_ok;
}

void lps_yamlpool_begin(struct lps_yamlpool *pool)
{
	if (active || !lps_yamlpool_enabled())
		return;
	pool->active = 1;
	active = pool;
}

void lps_yamlpool_end(struct lps_yamlpool *pool)
{
	if (!pool->active)
		return;
	active = NULL;
	struct lps_yamlpool_chunk *c = pool->chunks;
	while (c) {
		struct lps_yamlpool_chunk *next = c->next;
		free(c);
		c = next;
	}
	memset(pool, 0, sizeof(*pool));
}

/* -------------------------------------- libyaml's allocation functions */

/*
 * These replace libyaml's own (api.c), which are malloc, realloc, free
 * and strdup with a size of 0 taken as 1.  Outside a pool or a probe
 * they do exactly that.
 */
void *yaml_malloc(size_t size)
{
	if (active)
		return pool_alloc(active, size);
	void *p = malloc(size ? size : 1);
	if (probing)
		probe_note(probing, p);
	return p;
}

void *yaml_realloc(void *ptr, size_t size)
{
	if (active)
		return pool_realloc(active, ptr, size);
	if (!ptr)
		return yaml_malloc(size);
	if (probing)
		probe_forget(probing, ptr);
	void *q = realloc(ptr, size ? size : 1);
	if (probing) {
		probe_note(probing, q ? q : ptr);
		if (!q)
			probing->allocs--;
	}
	return q;
}

void yaml_free(void *ptr)
{
	if (!ptr)
		return;
	if (active) {
		pool_free(active, ptr);
		return;
	}
	if (probing)
		probe_forget(probing, ptr);
	free(ptr);
}

yaml_char_t *yaml_strdup(const yaml_char_t *str)
{
	if (!str)
		return NULL;
	size_t n = strlen((const char *)str) + 1;
	yaml_char_t *p = yaml_malloc(n);
	if (p)
		memcpy(p, str, n);
	return p;
}

#else /* LPS_NO_YAML_POOL: libyaml keeps its own functions */

int lps_yamlpool_enabled(void)
{
	return 0;
}

void lps_yamlpool_begin(struct lps_yamlpool *pool)
{
	(void)pool;
}

void lps_yamlpool_end(struct lps_yamlpool *pool)
{
	(void)pool;
}

#endif
