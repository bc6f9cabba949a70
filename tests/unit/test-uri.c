/*
 * test-uri.c - URI reference resolution (RFC 3986 section 5.4 examples
 * and the shapes JSON Schema $id/$ref use).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "uri.h"

static void check(const char *base, const char *ref, const char *want)
{
	char *got = lps_uri_resolve(base, ref);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_rfc3986_normal(void **state)
{
	(void)state;
	const char *b = "http://a/b/c/d;p?q";
	check(b, "g:h", "g:h");
	check(b, "g", "http://a/b/c/g");
	check(b, "./g", "http://a/b/c/g");
	check(b, "g/", "http://a/b/c/g/");
	check(b, "/g", "http://a/g");
	check(b, "//g", "http://g");
	check(b, "?y", "http://a/b/c/d;p?y");
	check(b, "g?y", "http://a/b/c/g?y");
	check(b, "#s", "http://a/b/c/d;p?q#s");
	check(b, "g#s", "http://a/b/c/g#s");
	check(b, "", "http://a/b/c/d;p?q");
	check(b, ".", "http://a/b/c/");
	check(b, "./", "http://a/b/c/");
	check(b, "..", "http://a/b/");
	check(b, "../g", "http://a/b/g");
	check(b, "../..", "http://a/");
	check(b, "../../g", "http://a/g");
}

static void test_rfc3986_abnormal(void **state)
{
	(void)state;
	const char *b = "http://a/b/c/d;p?q";
	check(b, "../../../g", "http://a/g");
	check(b, "/./g", "http://a/g");
	check(b, "/../g", "http://a/g");
	check(b, "g.", "http://a/b/c/g.");
	check(b, "..g", "http://a/b/c/..g");
	check(b, "./../g", "http://a/b/g");
	check(b, "g/./h", "http://a/b/c/g/h");
	check(b, "g/../h", "http://a/b/c/h");
}

static void test_schema_shapes(void **state)
{
	(void)state;
	/* URNs take fragments but have no hierarchy to merge into */
	check("urn:uuid:deadbeef-1234", "#/$defs/a", "urn:uuid:deadbeef-1234#/$defs/a");
	check("urn:uuid:deadbeef-1234", "urn:other", "urn:other");
	/* file names without a scheme, as lps names its schemas */
	check("schemas/goal.schema.yaml", "common.schema.yaml#/$defs/date",
	      "schemas/common.schema.yaml#/$defs/date");
	check(NULL, "#/a", "#/a");
	check("", "x.json", "x.json");
	/* an empty fragment is dropped */
	check("http://x/a.json", "b.json#", "http://x/b.json");
	check("http://localhost:1234/draft2020-12/tree", "node",
	      "http://localhost:1234/draft2020-12/node");
	check("http://x", "a", "http://x/a");
}

static void test_base_len_and_unescape(void **state)
{
	(void)state;
	assert_int_equal(lps_uri_base_len("http://x/a#/b"), 10);
	assert_int_equal(lps_uri_base_len("http://x/a"), 10);
	char out[32];
	assert_int_equal(lps_uri_unescape(out, "a%25b%22%2", 10), 6);
	assert_string_equal(out, "a%b\"%2");
	assert_int_equal(lps_uri_unescape(out, "%zz", 3), 3);
	assert_string_equal(out, "%zz");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc3986_normal),
		cmocka_unit_test(test_rfc3986_abnormal),
		cmocka_unit_test(test_schema_shapes),
		cmocka_unit_test(test_base_len_and_unescape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
