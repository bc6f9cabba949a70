/*
 * test-doc.c - the YAML document model: loader, builders, queries and
 * emitters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "doc.h"

#ifndef LPS_TEST_DATA
#define LPS_TEST_DATA "tests/data/doc"
#endif

/* ------------------------------------------------------------ helpers */

static struct lps_doc *load_lim(const char *text, size_t len,
				const struct lps_doc_limits *lim)
{
	struct lps_doc *doc = NULL;
	struct lps_error *err = lps_doc_load(&doc, "t.yaml", text, len, lim);
	if (err) {
		char *s = lps_error_format(err);
		print_error("unexpected error: %s\n", s ? s : "?");
		free(s);
		lps_error_free(err);
		fail();
	}
	assert_non_null(doc);
	return doc;
}

static struct lps_doc *load(const char *text)
{
	return load_lim(text, strlen(text), NULL);
}

/* The formatted error of loading text (caller frees), asserting code. */
static char *load_err_lim(const char *text, size_t len,
			  const struct lps_doc_limits *lim)
{
	struct lps_doc *doc = (struct lps_doc *)1;
	struct lps_error *err = lps_doc_load(&doc, "t.yaml", text, len, lim);
	assert_non_null(err);
	assert_null(doc);
	assert_int_equal(err->code, LPS_EINVALID);
	char *s = lps_error_format(err);
	lps_error_free(err);
	assert_non_null(s);
	return s;
}

static void expect_err(const char *text, const char *want)
{
	char *got = load_err_lim(text, strlen(text), NULL);
	assert_string_equal(got, want);
	free(got);
}

static const struct lps_node *root_of(struct lps_doc *doc)
{
	const struct lps_node *r = lps_doc_root(doc);
	assert_non_null(r);
	return r;
}

/* Type of the scalar `v` loaded as the value of key "k". */
static void expect_scalar(const char *yaml, enum lps_node_type type,
			  const char *str, int64_t i, double d)
{
	struct lps_doc *doc = load(yaml);
	const struct lps_node *n = lps_map_get(root_of(doc), "k");
	assert_non_null(n);
	if (n->type != type)
		print_error("for %s: type %d, want %d\n", yaml, n->type, type);
	assert_int_equal(n->type, type);
	switch (type) {
	case LPS_NODE_STRING:
		assert_string_equal(n->v.str.ptr, str);
		assert_int_equal(n->v.str.len, strlen(str));
		break;
	case LPS_NODE_INT:
		assert_true(n->v.integer == i);
		break;
	case LPS_NODE_BOOL:
		assert_int_equal(n->v.boolean, (int)i);
		break;
	case LPS_NODE_FLOAT:
		if (isnan(d))
			assert_true(isnan(n->v.number));
		else if (n->v.number != d) {
			print_error("for %s: %.17g, want %.17g\n", yaml,
				    n->v.number, d);
			fail();
		}
		break;
	default:
		break;
	}
	lps_doc_free(doc);
}

static void s_str(const char *text, const char *want)
{
	char y[256];
	snprintf(y, sizeof(y), "k: %s\n", text);
	expect_scalar(y, LPS_NODE_STRING, want, 0, 0);
}

static void s_int(const char *text, int64_t want)
{
	char y[256];
	snprintf(y, sizeof(y), "k: %s\n", text);
	expect_scalar(y, LPS_NODE_INT, NULL, want, 0);
}

static void s_float(const char *text, double want)
{
	char y[256];
	snprintf(y, sizeof(y), "k: %s\n", text);
	expect_scalar(y, LPS_NODE_FLOAT, NULL, 0, want);
}

static void s_type(const char *text, enum lps_node_type t, int b)
{
	char y[256];
	snprintf(y, sizeof(y), "k: %s\n", text);
	expect_scalar(y, t, NULL, b, 0);
}

/* ------------------------------------------------------ loader: basics */

static void test_load_tree_and_marks(void **state)
{
	(void)state;
	const char *y =
		"title: Raise reading\n"
		"lps: 1\n"
		"indicators:\n"
		"  - name: fluency\n"
		"    target: 90.5\n"
		"  - name: \"comprehension\"\n"
		"tags: [a, b]\n"
		"empty: {}\n";
	struct lps_doc *doc = load(y);
	const struct lps_node *r = root_of(doc);
	assert_int_equal(r->type, LPS_NODE_MAP);
	assert_int_equal(r->line, 1);
	assert_int_equal(r->col, 1);
	assert_int_equal(r->v.map.n, 5);
	assert_string_equal(r->v.map.pairs[0].key, "title");
	assert_string_equal(r->v.map.pairs[4].key, "empty");
	assert_int_equal(r->v.map.pairs[2].line, 3);
	assert_int_equal(r->v.map.pairs[2].col, 1);
	assert_string_equal(lps_node_str(lps_map_get(r, "title")),
			    "Raise reading");
	const struct lps_node *title = lps_map_get(r, "title");
	assert_int_equal(title->line, 1);
	assert_int_equal(title->col, 8);
	assert_int_equal(title->quoted, 0);
	const struct lps_node *v = lps_map_get(r, "lps");
	assert_int_equal(v->type, LPS_NODE_INT);
	assert_int_equal(v->v.integer, 1);
	const struct lps_node *ind = lps_map_get(r, "indicators");
	assert_int_equal(ind->type, LPS_NODE_SEQ);
	assert_int_equal(ind->line, 4);
	assert_int_equal(ind->col, 3);
	assert_int_equal(ind->v.seq.n, 2);
	const struct lps_node *i0 = ind->v.seq.items[0];
	assert_int_equal(i0->type, LPS_NODE_MAP);
	assert_int_equal(i0->line, 4);
	assert_int_equal(i0->col, 5);
	assert_int_equal(i0->v.map.pairs[1].line, 5);
	assert_int_equal(i0->v.map.pairs[1].col, 5);
	const struct lps_node *t = lps_map_get(i0, "target");
	assert_int_equal(t->type, LPS_NODE_FLOAT);
	assert_true(t->v.number == 90.5);
	assert_int_equal(t->line, 5);
	assert_int_equal(t->col, 13);
	const struct lps_node *c = lps_map_get(ind->v.seq.items[1], "name");
	assert_int_equal(c->quoted, 1);
	assert_int_equal(c->col, 11);
	const struct lps_node *tags = lps_map_get(r, "tags");
	assert_int_equal(tags->v.seq.n, 2);
	assert_string_equal(lps_node_str(tags->v.seq.items[1]), "b");
	assert_int_equal(tags->v.seq.items[1]->col, 11);
	const struct lps_node *e = lps_map_get(r, "empty");
	assert_int_equal(e->type, LPS_NODE_MAP);
	assert_int_equal(e->v.map.n, 0);
	assert_null(lps_map_get(r, "missing"));
	assert_null(lps_map_get(title, "x"));
	assert_null(lps_node_str(v));
	assert_null(lps_node_str(NULL));
	assert_string_equal(lps_doc_name(doc), "t.yaml");
	lps_doc_free(doc);
	lps_doc_free(NULL);
}

static void test_load_empty(void **state)
{
	(void)state;
	const char *texts[] = { "", "# only a comment\n", "\n\n", "---\n",
				"~\n", "\xef\xbb\xbf" };
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct lps_doc *doc = load(texts[i]);
		const struct lps_node *r = root_of(doc);
		assert_int_equal(r->type, LPS_NODE_NULL);
		assert_string_equal(lps_node_type_name(r), "null");
		lps_doc_free(doc);
	}
	struct lps_doc *doc = load("");
	assert_int_equal(root_of(doc)->line, 1);
	assert_int_equal(root_of(doc)->col, 1);
	lps_doc_free(doc);
}

static void test_load_bom(void **state)
{
	(void)state;
	struct lps_doc *doc = load("\xef\xbb\xbf" "a: 1\n");
	const struct lps_node *r = root_of(doc);
	assert_int_equal(r->type, LPS_NODE_MAP);
	assert_string_equal(r->v.map.pairs[0].key, "a");
	assert_int_equal(lps_map_get(r, "a")->v.integer, 1);
	lps_doc_free(doc);
}

static void test_type_names(void **state)
{
	(void)state;
	struct lps_doc *doc = load("[~, true, 1, 1.5, s, [], {}]");
	const struct lps_node *r = root_of(doc);
	const char *want[] = { "null", "boolean", "integer", "number",
			       "string", "array", "object" };
	assert_int_equal(r->v.seq.n, 7);
	for (size_t i = 0; i < 7; i++)
		assert_string_equal(lps_node_type_name(r->v.seq.items[i]),
				    want[i]);
	lps_doc_free(doc);
}

/* ------------------------------------------------------ scalar typing */

static void test_core_schema_null_bool(void **state)
{
	(void)state;
	s_type("null", LPS_NODE_NULL, 0);
	s_type("Null", LPS_NODE_NULL, 0);
	s_type("NULL", LPS_NODE_NULL, 0);
	s_type("~", LPS_NODE_NULL, 0);
	s_type("", LPS_NODE_NULL, 0);
	s_type("true", LPS_NODE_BOOL, 1);
	s_type("True", LPS_NODE_BOOL, 1);
	s_type("TRUE", LPS_NODE_BOOL, 1);
	s_type("false", LPS_NODE_BOOL, 0);
	s_type("False", LPS_NODE_BOOL, 0);
	s_type("FALSE", LPS_NODE_BOOL, 0);
	s_str("nULL", "nULL");
	s_str("tRUE", "tRUE");
	s_str("yes", "yes");
	s_str("no", "no");
	s_str("on", "on");
	s_str("off", "off");
	s_str("Yes", "Yes");
	s_str("y", "y");
	s_str("~~", "~~");
	s_str("nulls", "nulls");
	s_str("truee", "truee");
	s_str("f", "f");
}

static void test_core_schema_numbers(void **state)
{
	(void)state;
	s_int("0", 0);
	s_int("-0", 0);
	s_int("+12", 12);
	s_int("-17", -17);
	s_int("007", 7);
	s_int("9223372036854775807", INT64_MAX);
	s_int("-9223372036854775808", INT64_MIN);
	s_float("9223372036854775808", 9223372036854775808.0);
	s_float("-9223372036854775809", -9223372036854775809.0);
	s_float("12345678901234567890123", 12345678901234567890123.0);
	s_int("0o17", 15);
	s_int("0o0", 0);
	s_int("0x1F", 31);
	s_int("0xff", 255);
	s_int("0x7fffffffffffffff", INT64_MAX);
	s_float("0xffffffffffffffff", 18446744073709551615.0);
	s_float("1.5", 1.5);
	s_float("1.0", 1.0);
	s_float("1.", 1.0);
	s_float(".5", 0.5);
	s_float("-.5", -0.5);
	s_float("+.5", 0.5);
	s_float("1e3", 1000.0);
	s_float("1E-2", 0.01);
	s_float("1e308", 1e308);
	s_float("-2.5e+3", -2500.0);
	s_float("0.1", 0.1);
	s_float(".inf", INFINITY);
	s_float(".Inf", INFINITY);
	s_float("+.INF", INFINITY);
	s_float("-.inf", -INFINITY);
	s_float(".nan", NAN);
	s_float(".NaN", NAN);
	s_float(".NAN", NAN);
	s_str("-.nan", "-.nan");
	s_str(".iNf", ".iNf");
	s_str("0b101", "0b101");
	s_str("1_000", "1_000");
	s_str("2026-09-01", "2026-09-01");
	s_str("0x", "0x");
	s_str("0o8", "0o8");
	s_str("0xg", "0xg");
	s_str("-0x1", "-0x1");
	s_str("+0o7", "+0o7");
	s_str(".", ".");
	s_str("'-'", "-");
}

/* Decimal floats load as the very double strtod() makes of them,
 * checked bit for bit at the edges of double precision. */
static void test_decimal_floats_exact(void **state)
{
	(void)state;
	static const char *const nums[] = {
		"30.9", "-0.0", "0.0", "-0.5e-0", "0e500", "0.000e-999",
		"9007199254740992.5", "9007199254740993.0",
		"9007199254740992e0",
		"9007199254740991e22", "9007199254740993e22", "1e22", "1e23",
		"1.5e-22", "1.5e-23", "123456789012345678.9", "0.1e1",
		"00000000000000000000001.25", "1.00000000000000000000000001",
		"4.9406564584124654e-324", "1.7976931348623157e308", "2e308",
		"123.456e-5", "+7.", ".0000000000000000000000000000001",
		"3.14159265358979323846", "2.2250738585072014e-308", "1e-22",
		"8.98846567431158e307", "0.30000000000000004",
	};
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		char y[96];
		snprintf(y, sizeof(y), "k: %s\n", nums[i]);
		struct lps_doc *doc = load(y);
		const struct lps_node *k = lps_map_get(lps_doc_root(doc), "k");
		double want = strtod(nums[i], NULL);
		if (k->type != LPS_NODE_FLOAT ||
		    memcmp(&k->v.number, &want, sizeof(want)) != 0)
			fail_msg("%s loads as %.17g, strtod gives %.17g",
				 nums[i], k->v.number, want);
		lps_doc_free(doc);
	}
}

static void test_core_schema_strings(void **state)
{
	(void)state;
	s_str("1.2.3", "1.2.3");
	s_str("1e", "1e");
	s_str("1e+", "1e+");
	s_str("e3", "e3");
	s_str("+", "+");
	s_str("12:30", "12:30");
	s_str("1 2", "1 2");
	s_str("'1'", "1");
	s_str("\"true\"", "true");
	s_str("'null'", "null");
	s_str("\"\"", "");
	s_str("''", "");
	s_str("!!str 12", "12");
	s_str("! 12", "12");
	s_str("!!str true", "true");
	s_str("|\n  12\n", "12\n");
	s_str(">-\n  a\n  b\n", "a b");
	s_str("inf", "inf");
	s_str("nan", "nan");
}

static void test_tags(void **state)
{
	(void)state;
	s_int("!!int 12", 12);
	s_int("!!int '12'", 12);
	s_float("!!float 12", 12.0);
	s_float("!!float 1.5", 1.5);
	s_type("!!bool true", LPS_NODE_BOOL, 1);
	s_type("!!null ''", LPS_NODE_NULL, 0);
	expect_err("k: !!int abc\n",
		   "t.yaml:1:4: \"abc\" is not a valid !!int");
	expect_err("k: !!bool yes\n",
		   "t.yaml:1:4: \"yes\" is not a valid !!bool");
	expect_err("k: !foo x\n", "t.yaml:1:4: unsupported tag \"!foo\"");
	expect_err("k: !!binary aGk=\n", "t.yaml:1:4: unsupported tag "
		   "\"tag:yaml.org,2002:binary\"");
	expect_err("k: !!map [1]\n", "t.yaml:1:4: unsupported tag "
		   "\"tag:yaml.org,2002:map\"");
	struct lps_doc *doc = load("k: !!seq [1]\nm: !!map {a: 1}\n");
	assert_int_equal(lps_map_get(root_of(doc), "k")->type, LPS_NODE_SEQ);
	assert_int_equal(lps_map_get(root_of(doc), "m")->type, LPS_NODE_MAP);
	lps_doc_free(doc);
}

static void test_keys_are_text(void **state)
{
	(void)state;
	struct lps_doc *doc = load("1: a\ntrue: b\n~: c\n'': d\n1.50: e\n");
	const struct lps_node *r = root_of(doc);
	assert_int_equal(r->v.map.n, 5);
	assert_string_equal(r->v.map.pairs[0].key, "1");
	assert_string_equal(r->v.map.pairs[1].key, "true");
	assert_string_equal(r->v.map.pairs[2].key, "~");
	assert_string_equal(r->v.map.pairs[3].key, "");
	assert_int_equal(r->v.map.pairs[3].key_len, 0);
	assert_string_equal(r->v.map.pairs[4].key, "1.50");
	assert_string_equal(lps_node_str(lps_map_get(r, "1")), "a");
	assert_string_equal(lps_node_str(lps_map_get(r, "")), "d");
	lps_doc_free(doc);
	/* A key holding a NUL byte keeps its length. */
	doc = load("\"a\\0b\": 1\n");
	r = root_of(doc);
	assert_int_equal(r->v.map.pairs[0].key_len, 3);
	assert_memory_equal(r->v.map.pairs[0].key, "a\0b", 4);
	assert_null(lps_map_get(r, "a"));
	lps_doc_free(doc);
	expect_err("[a]: 1\n", "t.yaml:1:1: a mapping key must be a scalar");
	expect_err("? {a: 1}\n: 2\n",
		   "t.yaml:1:3: a mapping key must be a scalar");
}

/* ---------------------------------------------------------------- JSON */

static void test_json(void **state)
{
	(void)state;
	const char *j =
		"{\"a\": [1, -0, 1.0, 1e308, 12345678901234567890123,\n"
		"  \"\\u00e9\", \"\\U0001f642\", \"\\/x\", \"q\\\"\\\\\","
		" \"t\\tn\\n\", true, false, null],\n"
		" \"b\": {}, \"c\": []}";
	struct lps_doc *doc = load(j);
	const struct lps_node *r = root_of(doc);
	assert_int_equal(r->type, LPS_NODE_MAP);
	const struct lps_node *a = lps_map_get(r, "a");
	assert_int_equal(a->v.seq.n, 13);
	struct lps_node **it = a->v.seq.items;
	assert_int_equal(it[0]->type, LPS_NODE_INT);
	assert_int_equal(it[0]->v.integer, 1);
	assert_int_equal(it[1]->type, LPS_NODE_INT);
	assert_int_equal(it[1]->v.integer, 0);
	assert_int_equal(it[2]->type, LPS_NODE_FLOAT);
	assert_true(it[2]->v.number == 1.0);
	assert_int_equal(it[3]->type, LPS_NODE_FLOAT);
	assert_true(it[3]->v.number == 1e308);
	assert_int_equal(it[4]->type, LPS_NODE_FLOAT);
	assert_true(it[4]->v.number == 12345678901234567890123.0);
	assert_string_equal(lps_node_str(it[5]), "\xc3\xa9");
	assert_string_equal(lps_node_str(it[6]), "\xf0\x9f\x99\x82");
	assert_string_equal(lps_node_str(it[7]), "/x");
	assert_string_equal(lps_node_str(it[8]), "q\"\\");
	assert_string_equal(lps_node_str(it[9]), "t\tn\n");
	assert_int_equal(it[10]->type, LPS_NODE_BOOL);
	assert_int_equal(it[11]->v.boolean, 0);
	assert_int_equal(it[12]->type, LPS_NODE_NULL);
	assert_int_equal(it[5]->quoted, 1);
	assert_int_equal(it[5]->line, 2);
	assert_int_equal(it[5]->col, 3);
	assert_int_equal(lps_map_get(r, "b")->type, LPS_NODE_MAP);
	assert_int_equal(lps_map_get(r, "c")->type, LPS_NODE_SEQ);
	assert_int_equal(r->v.map.pairs[1].line, 3);
	assert_int_equal(r->v.map.pairs[1].col, 2);
	lps_doc_free(doc);
	/* A JSON array loads fine: whether a map was wanted is the
	 * caller's business. */
	doc = load("[1, 2]");
	assert_int_equal(root_of(doc)->type, LPS_NODE_SEQ);
	lps_doc_free(doc);
	expect_err("{\"a\": 1, \"a\": 2}",
		   "t.yaml:1:10: duplicate key \"a\" (first at line 1)");
}

static void test_json_surrogates(void **state)
{
	(void)state;
	const char *j =
		"{\"a\": \"\\ud83d\\ude42 x \\uD83D\\uDE00\", \"b\": 1,\n"
		" \"c\": [\"\\u00e9\\ud800\\udc00\", \"\\\"\\ud83d\\ude42\",\n"
		"  \"multi\\ud83d\\ude42\n  line\", 2],\n"
		" \"d\": '\\ud83d\\ude42', \"e\": \"\\\\ud83d\\\\ude42\"}\n";
	struct lps_doc *doc = load(j);
	const struct lps_node *r = root_of(doc);
	assert_string_equal(lps_node_str(lps_map_get(r, "a")),
			    "\xf0\x9f\x99\x82 x \xf0\x9f\x98\x80");
	const struct lps_node *b = lps_map_get(r, "b");
	assert_int_equal(b->line, 1);
	assert_int_equal(b->col, 43);  /* as in the source text */
	assert_int_equal(r->v.map.pairs[1].col, 38);
	const struct lps_node *c = lps_map_get(r, "c");
	assert_string_equal(lps_node_str(c->v.seq.items[0]),
			    "\xc3\xa9\xf0\x90\x80\x80");
	assert_string_equal(lps_node_str(c->v.seq.items[1]),
			    "\"\xf0\x9f\x99\x82");
	assert_int_equal(c->v.seq.items[1]->col, 30);
	assert_string_equal(lps_node_str(c->v.seq.items[2]),
			    "multi\xf0\x9f\x99\x82 line");
	assert_int_equal(c->v.seq.items[3]->line, 4);
	assert_int_equal(c->v.seq.items[3]->col, 10);
	/* Single quotes and escaped backslashes keep the text as is. */
	assert_string_equal(lps_node_str(lps_map_get(r, "d")),
			    "\\ud83d\\ude42");
	assert_string_equal(lps_node_str(lps_map_get(r, "e")),
			    "\\ud83d\\ude42");
	lps_doc_free(doc);
	expect_err("{\"a\": \"\\ud83d\\ude42\", \"b\": \"\\ud83d x\"}",
		   "t.yaml:1:31: found invalid unicode character escape code "
		   "(while parsing a quoted scalar started at line 1)");
	expect_err("{\"a\": \"\\ud83d\\ude42\", \"a\": 1}",
		   "t.yaml:1:23: duplicate key \"a\" (first at line 1)");
	/* After the first pair, text that only looks like one stays. */
	doc = load("a: \"\\ud83d\\ude42\"  # \\ud83d\\ude42\n"
		   "b: C:\\ud83d\\ude42\n"
		   "c: '\\ud83d\\ude42'\n"
		   "d: |\n  \\ud83d\\ude42\n"
		   "e: \"x\\ud83d\\ude42\" # \\ud83d\\ude42 \n"
		   "f: [\"\\ud83d\\ude42\", \\ud83d\\ude42, 7]\n");
	r = root_of(doc);
	assert_string_equal(lps_node_str(lps_map_get(r, "a")),
			    "\xf0\x9f\x99\x82");
	assert_string_equal(lps_node_str(lps_map_get(r, "b")),
			    "C:\\ud83d\\ude42");
	assert_string_equal(lps_node_str(lps_map_get(r, "c")),
			    "\\ud83d\\ude42");
	assert_string_equal(lps_node_str(lps_map_get(r, "d")),
			    "\\ud83d\\ude42\n");
	assert_string_equal(lps_node_str(lps_map_get(r, "e")),
			    "x\xf0\x9f\x99\x82");
	const struct lps_node *f = lps_map_get(r, "f");
	assert_string_equal(lps_node_str(f->v.seq.items[0]),
			    "\xf0\x9f\x99\x82");
	assert_string_equal(lps_node_str(f->v.seq.items[1]),
			    "\\ud83d\\ude42");
	assert_int_equal(f->v.seq.items[1]->col, 21);
	assert_int_equal(f->v.seq.items[2]->col, 35);
	lps_doc_free(doc);
	/* Many strings with pairs still load quickly. */
	size_t n = 2000;
	char *big = malloc(n * 24 + 8);
	size_t o = 0;
	big[o++] = '[';
	for (size_t i = 0; i < n; i++)
		o += (size_t)sprintf(big + o, "%s\"\\ud83d\\ude42\"",
				     i ? ", " : "");
	big[o++] = ']';
	big[o] = '\0';
	clock_t t0 = clock();
	doc = load(big);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
	assert_int_equal(root_of(doc)->v.seq.n, n);
	assert_string_equal(lps_node_str(root_of(doc)->v.seq.items[n - 1]),
			    "\xf0\x9f\x99\x82");
	lps_doc_free(doc);
	free(big);
}

static void test_load_file(void **state)
{
	(void)state;
	struct lps_doc *doc = NULL;
	struct lps_error *err = lps_doc_load_file(&doc, LPS_TEST_DATA
						  "/goal.yaml", NULL);
	assert_null(err);
	const struct lps_node *r = root_of(doc);
	assert_string_equal(lps_doc_name(doc), LPS_TEST_DATA "/goal.yaml");
	assert_string_equal(lps_node_str(lps_map_get(r, "id")),
			    "g-3f9a1c07");
	const struct lps_node *ind = lps_map_get(r, "indicators");
	assert_int_equal(ind->v.seq.n, 1);
	lps_doc_free(doc);
	err = lps_doc_load_file(&doc, LPS_TEST_DATA "/goal.json", NULL);
	assert_null(err);
	struct lps_doc *y = NULL;
	assert_null(lps_doc_load_file(&y, LPS_TEST_DATA "/goal.yaml", NULL));
	assert_true(lps_node_equal(root_of(doc), root_of(y)));
	lps_doc_free(doc);
	lps_doc_free(y);
	err = lps_doc_load_file(&doc, LPS_TEST_DATA "/no-such.yaml", NULL);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_ENOTFOUND);
	assert_null(doc);
	lps_error_free(err);
}

/* ---------------------------------------------------------- bad input */

static void test_duplicate_keys(void **state)
{
	(void)state;
	expect_err("a: 1\nb: 2\ntitle: x\nc:\n  d: 1\ntitle: y\n",
		   "t.yaml:6:1: duplicate key \"title\" (first at line 3)");
	expect_err("a:\n  x: 1\n  y: 2\n  x: 3\n",
		   "t.yaml:4:3: duplicate key \"x\" (first at line 2)");
	expect_err("{1: a, '1': b}",
		   "t.yaml:1:8: duplicate key \"1\" (first at line 1)");
	expect_err("\"q\\\"\\t\": 1\n'q\"\t': 2\n",
		   "t.yaml:2:1: duplicate key \"q\\\"\\x09\" (first at line 1)");
	/* The same key in different mappings is fine. */
	struct lps_doc *doc = load("a: {x: 1}\nb: {x: 2}\nc: [{x: 1}, {x: 2}]");
	lps_doc_free(doc);
}

/* A mapping of n distinct keys, optionally with key `dup` repeated last. */
static char *big_map(size_t n, long dup)
{
	char *s = malloc(n * 24 + 64);
	size_t o = 0;
	for (size_t i = 0; i < n; i++)
		o += (size_t)sprintf(s + o, "key%zu: %zu\n", i, i);
	if (dup >= 0)
		o += (size_t)sprintf(s + o, "key%ld: again\n", dup);
	s[o] = '\0';
	return s;
}

static void test_duplicate_keys_big(void **state)
{
	(void)state;
	char *s = big_map(200000, -1);
	clock_t t0 = clock();
	struct lps_doc *doc = load(s);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_int_equal(root_of(doc)->v.map.n, 200000);
	assert_int_equal(lps_map_get(root_of(doc), "key199999")->v.integer,
			 199999);
	lps_doc_free(doc);
	free(s);
	assert_true(secs < 2.0);  /* quadratic would take minutes */
	for (long k = 0; k < 40; k += 13) {
		s = big_map(40, k);
		char want[128];
		snprintf(want, sizeof(want), "t.yaml:41:1: duplicate key "
			 "\"key%ld\" (first at line %ld)", k, k + 1);
		expect_err(s, want);
		free(s);
	}
	s = big_map(5000, 4321);
	expect_err(s, "t.yaml:5001:1: duplicate key \"key4321\" "
		   "(first at line 4322)");
	free(s);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	expect_err("a: 1\nb: x\xff\n", "t.yaml:2:5: invalid UTF-8 (byte 0xff)");
	expect_err("a: \xc3\xa9\xc3(\n",
		   "t.yaml:1:5: invalid UTF-8 (byte 0xc3)");
	expect_err("\xed\xa0\x80", "t.yaml:1:1: invalid UTF-8 (byte 0xed)");
	expect_err("\xfe\xff\x00a", "t.yaml:1:1: invalid UTF-8 (byte 0xfe)");
	/* A NUL is well-formed UTF-8 but not allowed in YAML text. */
	char *got = load_err_lim("a: b\nc: \x01\n", 10, NULL);
	assert_string_equal(got, "t.yaml:2:4: control characters are not "
			    "allowed (character 0x1)");
	free(got);
}

static void test_tab_indentation(void **state)
{
	(void)state;
	expect_err("a:\n\tb: 1\n",
		   "t.yaml:2:1: tab character used for indentation");
	expect_err("a:\n  b: 1\n  \tc: 2\n",
		   "t.yaml:3:3: tab character used for indentation");
	expect_err("items:\n\t- x\n",
		   "t.yaml:2:1: tab character used for indentation");
	expect_err("a: |\n\tfoo\n",
		   "t.yaml:2:1: tab character used for indentation");
	/* Tabs inside scalars, after content and in flow are legal. */
	struct lps_doc *doc = load("a: \"x\ty\"\nb: x\ty\nc:\t1\n"
				   "d: |\n  keep\n  \tthis\ne: [1,\n\t2]\n");
	const struct lps_node *r = root_of(doc);
	assert_string_equal(lps_node_str(lps_map_get(r, "a")), "x\ty");
	assert_string_equal(lps_node_str(lps_map_get(r, "b")), "x\ty");
	assert_int_equal(lps_map_get(r, "c")->v.integer, 1);
	assert_string_equal(lps_node_str(lps_map_get(r, "d")), "keep\n\tthis\n");
	assert_int_equal(lps_map_get(r, "e")->v.seq.n, 2);
	lps_doc_free(doc);
}

static void test_syntax_errors(void **state)
{
	(void)state;
	expect_err("a: 1\n b: 2\n",
		   "t.yaml:2:3: mapping values are not allowed in this "
		   "context");
	expect_err("a: [1, 2\n",
		   "t.yaml:2:1: did not find expected ',' or ']' "
		   "(while parsing a flow sequence started at line 1)");
	expect_err("a: \"abc\n",
		   "t.yaml:2:1: found unexpected end of stream "
		   "(while scanning a quoted scalar started at line 1)");
	expect_err("a:\n  - x\n  y: 1\n",
		   "t.yaml:3:3: did not find expected '-' indicator "
		   "(while parsing a block collection started at line 2)");
	expect_err("a: *nope\n", "t.yaml:1:4: undefined alias \"nope\"");
	expect_err("a: 1\n---\nb: 2\n",
		   "t.yaml:2:1: more than one document in the stream");
	expect_err("a: 1\n...\n---\nb: 2\n",
		   "t.yaml:3:1: more than one document in the stream");
}

static void test_depth_limit(void **state)
{
	(void)state;
	size_t n = 100000;
	char *s = malloc(2 * n + 1);
	memset(s, '[', n);
	memset(s + n, ']', n);
	s[2 * n] = '\0';
	clock_t t0 = clock();
	char *got = load_err_lim(s, 2 * n, NULL);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 0.5);
	assert_string_equal(got, "t.yaml:1:257: nesting deeper than 256 "
			    "levels");
	free(got);
	/* Exactly the limit is fine. */
	memset(s, '[', 256);
	memset(s + 256, ']', 256);
	struct lps_doc *doc = load_lim(s, 512, NULL);
	const struct lps_node *r = root_of(doc);
	for (int i = 1; i < 256; i++) {
		assert_int_equal(r->type, LPS_NODE_SEQ);
		assert_int_equal(r->v.seq.n, 1);
		r = r->v.seq.items[0];
	}
	assert_int_equal(r->v.seq.n, 0);
	lps_doc_free(doc);
	free(s);
	struct lps_doc_limits lim = { 1 << 20, 3, 1000 };
	got = load_err_lim("a:\n  b:\n    c:\n      d: 1\n", 25, &lim);
	assert_string_equal(got, "t.yaml:4:7: nesting deeper than 3 levels");
	free(got);
	got = load_err_lim("a:\n  - b:\n    - 1\n", 18, &lim);
	assert_string_equal(got, "t.yaml:3:5: nesting deeper than 3 levels");
	free(got);
}

static void test_alias_bomb(void **state)
{
	(void)state;
	const char *bomb =
		"a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\","
		"\"lol\",\"lol\"]\n"
		"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
		"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
		"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
		"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
		"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
		"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
		"h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
		"i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
	clock_t t0 = clock();
	char *got = load_err_lim(bomb, strlen(bomb), NULL);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 0.1);
	assert_string_equal(got, "t.yaml:7:8: too many nodes after alias "
			    "expansion (limit 1000000)");
	free(got);
	struct lps_doc_limits lim = { 1 << 20, 64, 25 };
	got = load_err_lim("a: &x [1, 2, 3, 4]\nb: [*x, *x, *x, *x]\n", 38,
			   &lim);
	/* 1 + 5 + 1 + 5 * 3 = 22, the fourth alias brings 27 */
	assert_string_equal(got, "t.yaml:2:17: too many nodes after alias "
			    "expansion (limit 25)");
	free(got);
	lim.max_nodes = 5;
	got = load_err_lim("[1, 2, 3, 4, 5]", 15, &lim);
	assert_string_equal(got, "t.yaml:1:14: too many nodes (limit 5)");
	free(got);
}

static void test_aliases(void **state)
{
	(void)state;
	struct lps_doc *doc = load("&k key: v\n");
	assert_string_equal(lps_node_str(lps_map_get(root_of(doc), "key")),
			    "v");
	lps_doc_free(doc);
	doc = load("base: &b {x: 1, y: [a]}\ncopy: *b\ns: &s text\nt: *s\n"
		   "u: &k key\n*k : w\n");
	const struct lps_node *r = root_of(doc);
	assert_ptr_equal(lps_map_get(r, "base"), lps_map_get(r, "copy"));
	assert_string_equal(lps_node_str(lps_map_get(r, "t")), "text");
	assert_string_equal(lps_node_str(lps_map_get(r, "key")), "w");
	lps_doc_free(doc);
	/* The most recent definition of an anchor wins. */
	doc = load("a: &x 1\nb: *x\nc: &x 2\nd: *x\n");
	r = root_of(doc);
	assert_int_equal(lps_map_get(r, "b")->v.integer, 1);
	assert_int_equal(lps_map_get(r, "d")->v.integer, 2);
	lps_doc_free(doc);
	expect_err("a: &x [1, *x]\n", "t.yaml:1:11: alias \"x\" refers to a "
		   "node that contains it");
	expect_err("a: &x [1]\n*x : 2\n",
		   "t.yaml:2:1: a mapping key must be a string");
	expect_err("a: &x k\nb: 1\n*x : 2\nk: 3\n",
		   "t.yaml:4:1: duplicate key \"k\" (first at line 3)");
}

static void test_size_limit(void **state)
{
	(void)state;
	struct lps_doc_limits lim = { 10, 64, 1000 };
	char *got = load_err_lim("a: 12345678\n", 12, &lim);
	assert_string_equal(got, "t.yaml: document is 12 bytes, over the "
			    "limit of 10");
	free(got);
	struct lps_doc *doc = load_lim("a: 1234567", 10, &lim);
	lps_doc_free(doc);
	/* A 50 MiB file is refused before it is read. */
	char path[] = "/tmp/lps-test-doc-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 50L * 1024 * 1024), 0);
	close(fd);
	clock_t t0 = clock();
	struct lps_error *err = lps_doc_load_file(&doc, path, NULL);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 0.05);
	unlink(path);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EINVALID);
	assert_int_equal(err->line, 0);
	char want[128];
	snprintf(want, sizeof(want), "document is 52428800 bytes, over the "
		 "limit of %u", LPS_DOC_MAX_BYTES);
	assert_string_equal(err->msg, want);
	assert_string_equal(err->file, path);
	lps_error_free(err);
}

/* ------------------------------------------------ equality, builders */

static int eq_text(const char *a, const char *b)
{
	struct lps_doc *x = load(a), *y = load(b);
	int eq = lps_node_equal(root_of(x), root_of(y));
	assert_int_equal(eq, lps_node_equal(root_of(y), root_of(x)));
	lps_doc_free(x);
	lps_doc_free(y);
	return eq;
}

static void test_equal(void **state)
{
	(void)state;
	assert_true(eq_text("1", "1.0"));
	assert_true(eq_text("-0", "0.0"));
	assert_true(eq_text("9007199254740992", "9007199254740992.0"));
	assert_false(eq_text("9223372036854775807", "9223372036854775808"));
	assert_false(eq_text("1", "1.5"));
	assert_false(eq_text("1", "'1'"));
	assert_false(eq_text("true", "1"));
	assert_false(eq_text("~", "false"));
	assert_true(eq_text("~", "null"));
	assert_false(eq_text(".nan", ".nan"));
	assert_true(eq_text("{a: 1, b: [1, 2]}", "{b: [1, 2.0], a: 1}"));
	assert_false(eq_text("{a: 1, b: [1, 2]}", "{b: [2, 1], a: 1}"));
	assert_false(eq_text("{a: 1}", "{a: 1, b: 2}"));
	assert_false(eq_text("{a: 1}", "{b: 1}"));
	assert_false(eq_text("[1]", "[1, 1]"));
	assert_false(eq_text("[]", "{}"));
	assert_true(eq_text("\"a\\0b\"", "\"a\\0b\""));
	assert_false(eq_text("\"a\\0b\"", "\"a\\0c\""));
	/* Big maps (compared by sorting) in different orders. */
	char *a = big_map(100, -1);
	struct lps_doc *x = load(a);
	struct lps_doc *y = NULL;
	assert_null(lps_doc_new(&y, NULL));
	struct lps_node *m = lps_doc_new_map(y);
	for (int i = 99; i >= 0; i--) {
		char k[16];
		snprintf(k, sizeof(k), "key%d", i);
		assert_int_equal(lps_map_set(y, m, k,
					     lps_doc_new_float(y, i)), 0);
	}
	assert_true(lps_node_equal(root_of(x), m));
	lps_map_set(y, m, "key50", lps_doc_new_int(y, 51));
	assert_false(lps_node_equal(root_of(x), m));
	lps_doc_free(x);
	lps_doc_free(y);
	free(a);
}

static void test_builders(void **state)
{
	(void)state;
	struct lps_doc *doc = NULL;
	assert_null(lps_doc_new(&doc, "new.yaml"));
	assert_string_equal(lps_doc_name(doc), "new.yaml");
	assert_int_equal(root_of(doc)->type, LPS_NODE_NULL);
	struct lps_node *m = lps_doc_new_map(doc);
	assert_int_equal(m->line, 0);
	lps_doc_set_root(doc, m);
	assert_ptr_equal(lps_doc_root(doc), m);
	assert_int_equal(lps_map_set(doc, m, "lps", lps_doc_new_int(doc, 1)),
			 0);
	char key[] = "title";
	assert_int_equal(lps_map_set(doc, m, key,
				     lps_doc_new_string(doc, "Read")), 0);
	key[0] = 'X';  /* the key was copied */
	assert_string_equal(lps_node_str(lps_map_get(m, "title")), "Read");
	struct lps_node *s = lps_doc_new_seq(doc);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(lps_seq_append(doc, s,
						 lps_doc_new_int(doc, i)), 0);
	assert_int_equal(s->v.seq.n, 1000);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(s->v.seq.items[i]->v.integer, i);
	lps_map_set(doc, m, "list", s);
	lps_map_set(doc, m, "title", lps_doc_new_stringn(doc, "ab\0c", 4));
	assert_int_equal(m->v.map.n, 3);
	assert_string_equal(m->v.map.pairs[1].key, "title");
	assert_int_equal(lps_map_get(m, "title")->v.str.len, 4);
	assert_int_equal(lps_map_remove(m, "lps"), 1);
	assert_int_equal(lps_map_remove(m, "lps"), 0);
	assert_int_equal(m->v.map.n, 2);
	assert_string_equal(m->v.map.pairs[0].key, "title");
	assert_string_equal(m->v.map.pairs[1].key, "list");
	assert_int_equal(lps_doc_new_bool(doc, 7)->v.boolean, 1);
	assert_true(lps_doc_new_float(doc, 2.5)->v.number == 2.5);
	assert_int_equal(lps_doc_new_null(doc)->type, LPS_NODE_NULL);
	assert_int_equal(lps_seq_append(doc, m, s), -1);
	assert_int_equal(lps_map_set(doc, s, "x", s), -1);
	lps_doc_set_root(doc, NULL);
	assert_int_equal(root_of(doc)->type, LPS_NODE_NULL);
	lps_doc_free(doc);
}

static void test_grow_loaded(void **state)
{
	(void)state;
	/* Collections that came from the loader grow too. */
	struct lps_doc *doc = load("a: [1, 2, 3]\nb: {x: 1, y: 2, z: 3}\n"
				   "c: []\n");
	struct lps_node *r = lps_doc_root(doc);
	struct lps_node *a = lps_map_get(r, "a");
	for (int i = 4; i <= 40; i++)
		assert_int_equal(lps_seq_append(doc, a,
						lps_doc_new_int(doc, i)), 0);
	for (int i = 0; i < 40; i++)
		assert_int_equal(a->v.seq.items[i]->v.integer, i + 1);
	struct lps_node *b = lps_map_get(r, "b");
	for (int i = 0; i < 30; i++) {
		char k[16];
		snprintf(k, sizeof(k), "k%d", i);
		assert_int_equal(lps_map_set(doc, b, k,
					     lps_doc_new_int(doc, i)), 0);
	}
	assert_int_equal(b->v.map.n, 33);
	assert_int_equal(lps_map_get(b, "y")->v.integer, 2);
	assert_int_equal(lps_map_get(b, "k29")->v.integer, 29);
	assert_int_equal(lps_map_remove(b, "x"), 1);
	assert_int_equal(lps_map_set(doc, b, "x", lps_doc_new_int(doc, 9)),
			 0);
	assert_string_equal(b->v.map.pairs[32].key, "x");
	assert_int_equal(lps_seq_append(doc, lps_map_get(r, "c"), a), 0);
	lps_doc_free(doc);
}

static void test_copy(void **state)
{
	(void)state;
	struct lps_doc *src = load("a: &x {k: [1, 2.5, 'é', ~, true]}\n"
				   "b: *x\nc: []\nd: {}\n");
	struct lps_doc *dst = NULL;
	assert_null(lps_doc_new(&dst, NULL));
	assert_null(lps_doc_name(dst));
	struct lps_node *c = lps_doc_copy(dst, root_of(src));
	assert_non_null(c);
	assert_true(lps_node_equal(c, root_of(src)));
	assert_int_equal(lps_map_get(c, "a")->line, 1);
	assert_int_equal(lps_map_get(c, "a")->col, 4);  /* at its anchor */
	/* The copy owns its strings: free the source first. */
	const struct lps_node *src_a = lps_map_get(root_of(src), "a");
	assert_ptr_not_equal(lps_map_get(c, "a"), src_a);
	lps_doc_free(src);
	const struct lps_node *k = lps_map_get(lps_map_get(c, "b"), "k");
	assert_string_equal(lps_node_str(k->v.seq.items[2]), "é");
	assert_int_equal(lps_seq_append(dst, lps_map_get(c, "c"),
					lps_doc_new_null(dst)), 0);
	assert_int_equal(lps_map_set(dst, lps_map_get(c, "d"), "z",
				     lps_doc_new_null(dst)), 0);
	lps_doc_set_root(dst, c);
	lps_doc_free(dst);
}

/* ------------------------------------------------------------ emitter */

static char *emit(const struct lps_node *n)
{
	struct lps_buf b = LPS_BUF_INIT;
	assert_null(lps_doc_emit(n, &b));
	return lps_buf_detach(&b, NULL);
}

static char *emit_json(const struct lps_node *n)
{
	struct lps_buf b = LPS_BUF_INIT;
	assert_null(lps_doc_emit_json(n, &b));
	return lps_buf_detach(&b, NULL);
}

/* Load text, emit it, compare with want, then check the round trip:
 * loading the output gives an equal tree that emits the same bytes. */
static void expect_emit(const char *text, const char *want)
{
	struct lps_doc *doc = load(text);
	char *got = emit(root_of(doc));
	if (strcmp(got, want))
		print_error("emit of:\n%s\ngot:\n%s\nwant:\n%s\n", text, got,
			    want);
	assert_string_equal(got, want);
	struct lps_doc *again = load(got);
	char *got2 = emit(root_of(again));
	assert_string_equal(got2, got);
	assert_true(lps_node_equal(root_of(doc), root_of(again)) ||
		    strstr(text, "nan"));
	free(got2);
	free(got);
	lps_doc_free(again);
	lps_doc_free(doc);
}

static void test_emit_shapes(void **state)
{
	(void)state;
	expect_emit("b: 1\na: x\n", "b: 1\na: x\n");
	expect_emit("{a: [1, 2], b: {c: d}, e: [], f: {}, g: ~}",
		    "a:\n  - 1\n  - 2\nb:\n  c: d\ne: []\nf: {}\ng: null\n");
	expect_emit("[{a: 1, b: 2}, {c: {d: [x, y]}}, [1, [2, 3]], [], {}]",
		    "- a: 1\n  b: 2\n"
		    "- c:\n    d:\n      - x\n      - y\n"
		    "- - 1\n  - - 2\n    - 3\n"
		    "- []\n- {}\n");
	expect_emit("{}", "{}\n");
	expect_emit("[]", "[]\n");
	expect_emit("", "null\n");
	expect_emit("hello", "hello\n");
	expect_emit("'12'", "\"12\"\n");
	expect_emit("[true, false, -5, 9223372036854775807]",
		    "- true\n- false\n- -5\n- 9223372036854775807\n");
	expect_emit("[1.0, 0.1, -0.0, 1e300, 2.5e-8, 1e16, 123456789012.5,"
		    " .inf, -.inf, 12345678901234567890123, 0x10, 0o10]",
		    "- 1.0\n- 0.1\n- -0.0\n- 1e+300\n- 2.5e-08\n- 1e+16\n"
		    "- 123456789012.5\n- .inf\n- -.inf\n"
		    "- 1.2345678901234568e+22\n- 16\n- 8\n");
	expect_emit("[.nan]", "- .nan\n");
	expect_emit("{1: a, 'true': b, '': c, 'a b': d, '- x': e, "
		    "\"t\\tab\": f}",
		    "\"1\": a\n\"true\": b\n\"\": c\na b: d\n\"- x\": e\n"
		    "\"t\\tab\": f\n");
	expect_emit("a:\n  - b:\n      - c: |\n          x\n          y\n",
		    "a:\n  - b:\n      - c: |\n          x\n          y\n");
}

static const char *tricky[] = {
	"yes", "no", "null", "Null", "~", "", " a", "a ", "- a", "-a", "-",
	"#x", "a: b", "a:", "a #b", "a#b", "123", "-1", "1.5", ".5", "1e3",
	"0x1F", "0o7", ".inf", ".nan", "true", "FALSE", "2026-09-01",
	"é ✓ 🙂", "line1\nline2", "trailing\n", "two\n\n", "\n", "\nlead",
	"\t", "a\tb", "tab\tin\nlines", "\tfirst\nsecond", " sp\nx",
	"x\n y\n", "trail \nx", "\"quoted\"", "it's", "back\\slash",
	"\\", "\"", "'", "\xe2\x80\xae" "rtl", "a\xe2\x80\xa8" "b",
	"nel\xc2\x85", "bom\xef\xbb\xbf", "ctl\x01\x1f\x7f", "cr\r\nlf",
	"...", "---", "--- x", "? q", ": c", "[x]", "{y}", "*star", "&amp",
	"!bang", "|pipe", ">gt", "%pct", "@at", "`tick", ",comma",
	"a, b", "x]", "{", "key: value\nmore", "a\n\nb\n", "\n\n",
	"ends with colon:", "url: http://x", "http://example.org/a#b",
	"C:\\path", "multi\nline with: colon\n", "  ", "0", "00", "+1",
	"1_000", "0b101", "12:30", "~x", "nulls", "=", "<<",
};

static struct lps_node *tricky_tree(struct lps_doc *doc)
{
	struct lps_node *root = lps_doc_new_map(doc);
	struct lps_node *seq = lps_doc_new_seq(doc);
	struct lps_node *nested = lps_doc_new_seq(doc);
	size_t n = sizeof(tricky) / sizeof(tricky[0]);
	for (size_t i = 0; i < n; i++) {
		struct lps_node *s = lps_doc_new_string(doc, tricky[i]);
		assert_int_equal(lps_seq_append(doc, seq, s), 0);
		char key[16];
		snprintf(key, sizeof(key), "k%zu", i);
		assert_int_equal(lps_map_set(doc, root, key, s), 0);
		struct lps_node *m = lps_doc_new_map(doc);
		assert_int_equal(lps_map_set(doc, m, tricky[i], s), 0);
		assert_int_equal(lps_map_set(doc, m, "after", s), 0);
		struct lps_node *inner = lps_doc_new_seq(doc);
		assert_int_equal(lps_seq_append(doc, inner, s), 0);
		assert_int_equal(lps_seq_append(doc, inner, m), 0);
		assert_int_equal(lps_seq_append(doc, nested, inner), 0);
	}
	assert_int_equal(lps_map_set(doc, root, "all", seq), 0);
	assert_int_equal(lps_map_set(doc, root, "nested", nested), 0);
	assert_int_equal(lps_map_set(doc, root, "nul",
				     lps_doc_new_stringn(doc, "a\0b", 3)), 0);
	return root;
}

/* emit(load(emit(x))) == emit(x), and the tree survives, for each
 * tricky string as a root scalar, a value, a key and a sequence item. */
static void test_emit_round_trip(void **state)
{
	(void)state;
	struct lps_doc *doc = NULL;
	assert_null(lps_doc_new(&doc, NULL));
	size_t n = sizeof(tricky) / sizeof(tricky[0]);
	for (size_t i = 0; i < n; i++) {
		struct lps_node *s = lps_doc_new_string(doc, tricky[i]);
		char *out = emit(s);
		struct lps_doc *back = load(out);
		if (!lps_node_equal(root_of(back), s))
			print_error("string %zu did not round-trip:\n%s", i,
				    out);
		assert_true(lps_node_equal(root_of(back), s));
		char *out2 = emit(root_of(back));
		assert_string_equal(out2, out);
		size_t len = strlen(out);
		assert_true(len > 0 && out[len - 1] == '\n');
		assert_true(len < 2 || out[len - 2] != '\n' ||
			    !strcmp(out, "\"\\n\\n\"\n"));
		free(out2);
		free(out);
		lps_doc_free(back);
	}
	struct lps_node *root = tricky_tree(doc);
	char *out = emit(root);
	struct lps_doc *back = load(out);
	assert_true(lps_node_equal(root_of(back), root));
	char *out2 = emit(root_of(back));
	assert_string_equal(out2, out);
	size_t len = strlen(out);
	assert_true(out[len - 1] == '\n' && out[len - 2] != '\n');
	free(out2);
	free(out);
	lps_doc_free(back);
	lps_doc_free(doc);
}

static void emit_str_is(const char *s, const char *want)
{
	struct lps_doc *doc = NULL;
	assert_null(lps_doc_new(&doc, NULL));
	struct lps_node *m = lps_doc_new_map(doc);
	lps_map_set(doc, m, "k", lps_doc_new_string(doc, s));
	char *got = emit(m);
	assert_string_equal(got, want);
	free(got);
	lps_doc_free(doc);
}

static void test_emit_quoting(void **state)
{
	(void)state;
	emit_str_is("yes", "k: yes\n");
	emit_str_is("2026-09-01", "k: 2026-09-01\n");
	emit_str_is("é ✓ 🙂", "k: é ✓ 🙂\n");
	emit_str_is("a:b", "k: a:b\n");
	emit_str_is("null", "k: \"null\"\n");
	emit_str_is("", "k: \"\"\n");
	emit_str_is(" a", "k: \" a\"\n");
	emit_str_is("a ", "k: \"a \"\n");
	emit_str_is("a: b", "k: \"a: b\"\n");
	emit_str_is("a #b", "k: \"a #b\"\n");
	emit_str_is("#x", "k: \"#x\"\n");
	emit_str_is("1.5", "k: \"1.5\"\n");
	emit_str_is("0x1F", "k: \"0x1F\"\n");
	emit_str_is("...", "k: \"...\"\n");
	emit_str_is("\t", "k: \"\\t\"\n");
	emit_str_is("say \"hi\"", "k: say \"hi\"\n");
	emit_str_is("\"hi\"", "k: \"\\\"hi\\\"\"\n");
	emit_str_is("back\\slash", "k: back\\slash\n");
	emit_str_is("\\", "k: \\\n");
	emit_str_is("ctl\x01\x7f", "k: \"ctl\\x01\\x7f\"\n");
	emit_str_is("\xe2\x80\xae" "rtl", "k: \"\\u202ertl\"\n");
	emit_str_is("a\xe2\x80\xa8" "b", "k: \"a\\u2028b\"\n");
	emit_str_is("bad\xff", "k: \"bad\\ufffd\"\n");
	emit_str_is("line1\nline2", "k: |-\n  line1\n  line2\n");
	emit_str_is("trailing\n", "k: |\n  trailing\n");
	emit_str_is("a\n\nb\n", "k: |\n  a\n\n  b\n");
	emit_str_is(" sp\nx", "k: |2-\n   sp\n  x\n");
	emit_str_is("two\n\n", "k: \"two\\n\\n\"\n");
	emit_str_is("trail \nx", "k: \"trail \\nx\"\n");
	emit_str_is("cr\r\nlf", "k: \"cr\\r\\nlf\"\n");
	struct lps_doc *doc = load("- x: |\n    a\n    b\n");
	char *got = emit(root_of(doc));
	assert_string_equal(got, "- x: |\n    a\n    b\n");
	free(got);
	lps_doc_free(doc);
}

static void test_emit_long_key(void **state)
{
	(void)state;
	struct lps_doc *doc = NULL;
	assert_null(lps_doc_new(&doc, NULL));
	char key[1500];
	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	struct lps_node *m = lps_doc_new_map(doc);
	lps_map_set(doc, m, key, lps_doc_new_int(doc, 1));
	struct lps_node *inner = lps_doc_new_map(doc);
	lps_map_set(doc, inner, "a", lps_doc_new_int(doc, 2));
	lps_map_set(doc, inner, key, lps_doc_new_seq(doc));
	lps_map_set(doc, m, "b", inner);
	char *out = emit(m);
	assert_memory_equal(out, "? kkk", 5);
	struct lps_doc *back = load(out);
	assert_true(lps_node_equal(root_of(back), m));
	char *out2 = emit(root_of(back));
	assert_string_equal(out, out2);
	free(out);
	free(out2);
	lps_doc_free(back);
	lps_doc_free(doc);
}

static void test_emit_json(void **state)
{
	(void)state;
	struct lps_doc *doc = load("a: [1, 2.5, -0.0, .inf, .nan, 1e300]\n"
				   "b: {}\nc: []\nd: {e: ~, f: true}\n"
				   "g: \"q\\\"\\\\\\n\\t\\x01\\x7f é \\u2028"
				   "\\u2029 \\u202e\"\n");
	char *got = emit_json(root_of(doc));
	assert_string_equal(got,
		"{\n"
		"  \"a\": [\n    1,\n    2.5,\n    -0.0,\n    null,\n"
		"    null,\n    1e+300\n  ],\n"
		"  \"b\": {},\n  \"c\": [],\n"
		"  \"d\": {\n    \"e\": null,\n    \"f\": true\n  },\n"
		"  \"g\": \"q\\\"\\\\\\n\\t\\u0001\\u007f é \\u2028\\u2029 "
		"\xe2\x80\xae\"\n"
		"}\n");
	/* It reads back as the same data (bar the non-finite floats). */
	struct lps_doc *back = load(got);
	assert_true(lps_node_equal(lps_map_get(root_of(back), "d"),
				   lps_map_get(root_of(doc), "d")));
	assert_true(lps_node_equal(lps_map_get(root_of(back), "g"),
				   lps_map_get(root_of(doc), "g")));
	free(got);
	lps_doc_free(back);
	lps_doc_free(doc);
	doc = load("\"x\"");
	got = emit_json(root_of(doc));
	assert_string_equal(got, "\"x\"\n");
	free(got);
	lps_doc_free(doc);
	struct lps_buf b = LPS_BUF_INIT;
	assert_int_equal(lps_json_quote(&b, "a\0\b\f\r\xff/", 7), 0);
	assert_string_equal(b.data, "\"a\\u0000\\b\\f\\r\\ufffd/\"");
	lps_buf_free(&b);
}

static void test_emit_deep_and_big(void **state)
{
	(void)state;
	/* The deepest tree the loader allows emits and reloads. */
	char s[1024];
	memset(s, '[', 256);
	memset(s + 256, ']', 256);
	struct lps_doc *doc = load_lim(s, 512, NULL);
	char *out = emit(root_of(doc));
	struct lps_doc *back = load(out);
	assert_true(lps_node_equal(root_of(back), root_of(doc)));
	free(out);
	out = emit_json(root_of(doc));
	lps_doc_free(back);
	back = load(out);
	assert_true(lps_node_equal(root_of(back), root_of(doc)));
	free(out);
	lps_doc_free(back);
	lps_doc_free(doc);
	/* The sample goal: YAML and JSON forms are stable. */
	struct lps_doc *g = NULL;
	assert_null(lps_doc_load_file(&g, LPS_TEST_DATA "/goal.yaml", NULL));
	out = emit(root_of(g));
	FILE *f = fopen(LPS_TEST_DATA "/goal.yaml", "r");
	assert_non_null(f);
	char want[2048];
	size_t n = fread(want, 1, sizeof(want) - 1, f);
	fclose(f);
	want[n] = '\0';
	assert_string_equal(out, want);
	free(out);
	lps_doc_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_tree_and_marks),
		cmocka_unit_test(test_load_empty),
		cmocka_unit_test(test_load_bom),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_core_schema_null_bool),
		cmocka_unit_test(test_core_schema_numbers),
		cmocka_unit_test(test_decimal_floats_exact),
		cmocka_unit_test(test_core_schema_strings),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_keys_are_text),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_surrogates),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_duplicate_keys_big),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_tab_indentation),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_alias_bomb),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_builders),
		cmocka_unit_test(test_grow_loaded),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_emit_shapes),
		cmocka_unit_test(test_emit_round_trip),
		cmocka_unit_test(test_emit_quoting),
		cmocka_unit_test(test_emit_long_key),
		cmocka_unit_test(test_emit_json),
		cmocka_unit_test(test_emit_deep_and_big),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
