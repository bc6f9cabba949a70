/*
 * test-yamlpool.c - libyaml's allocations from a per-thread pool: the
 * replacement functions keep libyaml's semantics inside and outside a
 * pool, blocks are reused, pools stay on their thread, and documents
 * load the same with and without one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "yamlpool.h"

/* libyaml exports these but declares them only in its private header. */
void *yaml_malloc(size_t size);
void *yaml_realloc(void *ptr, size_t size);
void yaml_free(void *ptr);
unsigned char *yaml_strdup(const unsigned char *str);

static void test_enabled(void **state)
{
	(void)state;
#ifdef LPS_NO_YAML_POOL
	assert_int_equal(lps_yamlpool_enabled(), 0);
#else
	/* On ELF with a shared libyaml (every supported build) the check
	 * passes; a failing check would only cost speed, but here it says
	 * the replacement is not in effect at all. */
	assert_int_equal(lps_yamlpool_enabled(), 1);
	assert_int_equal(lps_yamlpool_enabled(), 1);
#endif
}

/* Outside a pool the functions are malloc & co: free() takes their
 * blocks (ASan would report a pool block given to free()). */
static void test_outside_is_malloc(void **state)
{
	(void)state;
	char *p = yaml_malloc(0);
	assert_non_null(p);
	free(p);
	p = yaml_realloc(NULL, 10);
	assert_non_null(p);
	memcpy(p, "123456789", 10);
	p = yaml_realloc(p, 100000);
	assert_non_null(p);
	assert_string_equal(p, "123456789");
	free(p);
	unsigned char *s = yaml_strdup((const unsigned char *)"abc");
	assert_string_equal((char *)s, "abc");
	free(s);
	assert_null(yaml_strdup(NULL));
	yaml_free(NULL);
	yaml_free(malloc(7));
}

static void test_inside_pool(void **state)
{
	(void)state;
	struct lps_yamlpool pool = { 0 };
	lps_yamlpool_begin(&pool);
	assert_int_equal(pool.active, lps_yamlpool_enabled());

	/* Freed blocks come back for the next request of their class. */
	char *a = yaml_malloc(16);
	char *b = yaml_malloc(9);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_int_equal((uintptr_t)a % 16, 0);
	yaml_free(a);
	char *c = yaml_malloc(1);
	if (pool.active)
		assert_ptr_equal(c, a);

	/* Classes are powers of two from 16: 17..32 bytes share one. */
	if (pool.active) {
		char *k = yaml_malloc(17);
		assert_ptr_equal(yaml_realloc(k, 32), k);
		char *k2 = yaml_realloc(k, 33);
		assert_ptr_not_equal(k2, k);
		assert_ptr_equal(yaml_realloc(k2, 64), k2);
		char *k3 = yaml_malloc(65536);
		assert_ptr_equal(yaml_realloc(k3, 40000), k3);
		yaml_free(k2);
		yaml_free(k3);
	}

	/* realloc keeps the bytes, in place while the class has room,
	 * through every class and past the largest one. */
	char *r = yaml_malloc(3);
	memcpy(r, "ab", 3);
	r = yaml_realloc(r, 12);
	assert_string_equal(r, "ab");
	for (size_t n = 20; n <= 300000; n = n * 3 + 1) {
		r = yaml_realloc(r, n);
		assert_non_null(r);
		memset(r + 2, 'x', n - 3);
		r[n - 1] = '\0';
		assert_int_equal(strlen(r), n - 1);
		assert_int_equal(r[0], 'a');
		assert_int_equal(r[1], 'b');
	}
	r = yaml_realloc(r, 5);  /* shrinking keeps the start */
	assert_int_equal(r[0], 'a');
	yaml_free(r);

	char *big = yaml_malloc(70000);  /* past the classes: plain malloc */
	assert_non_null(big);
	memset(big, 1, 70000);
	yaml_free(big);

	unsigned char *s = yaml_strdup((const unsigned char *)"hello");
	assert_string_equal((char *)s, "hello");
	yaml_free(s);
	yaml_free(NULL);
	/* A block malloc made before the pool is given back to free(). */
	yaml_free(malloc(24));
	char *f = yaml_realloc(malloc(8), 40);
	assert_non_null(f);
	yaml_free(f);

	/* Many live blocks fill more than the first chunk. */
	char *many[2000];
	for (size_t i = 0; i < 2000; i++) {
		many[i] = yaml_malloc(100 + i);
		assert_non_null(many[i]);
		memset(many[i], (int)(i & 0x7f), 100 + i);
	}
	for (size_t i = 0; i < 2000; i++) {
		assert_int_equal(many[i][99 + i], (char)(i & 0x7f));
		yaml_free(many[i]);
	}
	yaml_free(b);
	yaml_free(c);
	lps_yamlpool_end(&pool);
	assert_int_equal(pool.active, 0);
	assert_null(pool.chunks);

	/* The pool is off again: a plain malloc block. */
	char *p = yaml_malloc(16);
	free(p);
}

/* A second pool while one is active does nothing, and ending it leaves
 * the first one routing. */
static void test_no_nesting(void **state)
{
	(void)state;
	struct lps_yamlpool outer = { 0 }, inner = { 0 };
	lps_yamlpool_begin(&outer);
	lps_yamlpool_begin(&inner);
	assert_int_equal(inner.active, 0);
	lps_yamlpool_end(&inner);
	char *p = yaml_malloc(32);
	assert_non_null(p);
	if (outer.active)
		assert_non_null(outer.chunks);
	yaml_free(p);
	lps_yamlpool_end(&outer);
}

static void *other_thread(void *arg)
{
	(void)arg;
	/* The main thread's pool is active: not here. */
	char *p = yaml_malloc(16);
	if (p)
		free(p);
	return p ? (void *)1 : NULL;
}

static void test_per_thread(void **state)
{
	(void)state;
	struct lps_yamlpool pool = { 0 };
	lps_yamlpool_begin(&pool);
	pthread_t t;
	void *res = NULL;
	assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
	assert_int_equal(pthread_join(t, &res), 0);
	assert_ptr_equal(res, (void *)1);
	lps_yamlpool_end(&pool);
}

/* Documents of every kind load to the same tree in pools used back to
 * back on two threads as the first time, and errors stay the same. */
static const char *const docs[] = {
	"a: 1\nb: [x, 'y', \"z\\u00e9\"]\nc: {d: ~, e: true}\n",
	"- &x {k: v}\n- *x\n- |\n  block\n  text\n- >\n  folded\n",
	"%YAML 1.2\n---\nkey: !!str 12\nn: 0x1f\nf: -1.5e3\n",
	"{\"json\": [1, 2, {\"deep\": \"\\ud83d\\ude42\"}]}\n",
	"k: [unclosed\n",
	"a: 1\na: 2\n",
	"x:\n\t- tab\n",
};

#define NDOCS (sizeof(docs) / sizeof(docs[0]))

struct expect {
	struct lps_doc *doc[NDOCS];
	char *err[NDOCS];
};

static void load_one(size_t i, struct lps_doc **doc, char **err)
{
	struct lps_error *e = lps_doc_load(doc, "t.yaml", docs[i],
					   strlen(docs[i]), NULL);
	*err = e ? lps_error_format(e) : NULL;
	lps_error_free(e);
}

static void *load_all(void *arg)
{
	const struct expect *ex = arg;
	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i < NDOCS; i++) {
			struct lps_doc *doc = NULL;
			char *err = NULL;
			load_one(i, &doc, &err);
			int same = ex->doc[i]
					   ? doc && lps_node_equal(
							    lps_doc_root(doc),
							    lps_doc_root(ex->doc[i]))
					   : !doc && err && ex->err[i] &&
						     !strcmp(err, ex->err[i]);
			lps_doc_free(doc);
			free(err);
			if (!same)
				return NULL;
		}
	}
	return (void *)1;
}

static void test_loads_same(void **state)
{
	(void)state;
	struct expect ex;
	for (size_t i = 0; i < NDOCS; i++)
		load_one(i, &ex.doc[i], &ex.err[i]);
	assert_non_null(ex.doc[0]);
	assert_non_null(ex.err[4]);
	assert_non_null(ex.err[5]);
	assert_non_null(strstr(ex.err[5], "duplicate key"));
	assert_non_null(ex.err[6]);
	assert_non_null(strstr(ex.err[6], "tab"));
	pthread_t t;
	void *r1 = NULL, *r2;
	assert_int_equal(pthread_create(&t, NULL, load_all, &ex), 0);
	r2 = load_all(&ex);
	assert_int_equal(pthread_join(t, &r1), 0);
	assert_ptr_equal(r1, (void *)1);
	assert_ptr_equal(r2, (void *)1);
	for (size_t i = 0; i < NDOCS; i++) {
		lps_doc_free(ex.doc[i]);
		free(ex.err[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enabled),
		cmocka_unit_test(test_outside_is_malloc),
		cmocka_unit_test(test_inside_pool),
		cmocka_unit_test(test_no_nesting),
		cmocka_unit_test(test_per_thread),
		cmocka_unit_test(test_loads_same),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
