/*
 * test-pattern.c - ECMA-262 patterns translated to POSIX regexes: what
 * matches, and what is refused with which reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "pattern.h"

/* 1/0 for subject against pattern (which must translate). */
static int m(const char *pattern, const char *subject)
{
	regex_t re;
	const char *why = NULL;
	int rc = lps_pattern_compile(&re, pattern, strlen(pattern), &why);
	if (rc != LPS_PATTERN_OK)
		print_error("pattern %s refused: %s\n", pattern, why);
	assert_int_equal(rc, LPS_PATTERN_OK);
	int r = lps_pattern_match(&re, subject, strlen(subject));
	regfree(&re);
	return r;
}

static void refused(const char *pattern, const char *want)
{
	regex_t re;
	const char *why = NULL;
	assert_int_equal(lps_pattern_compile(&re, pattern, strlen(pattern), &why),
			 LPS_PATTERN_UNSUPPORTED);
	assert_string_equal(why, want);
}

static void test_classes(void **state)
{
	(void)state;
	assert_int_equal(m("^\\d+$", "0123"), 1);
	assert_int_equal(m("^\\d+$", "12a"), 0);
	assert_int_equal(m("^\\D$", "a"), 1);
	assert_int_equal(m("^\\w+$", "a_Z9"), 1);
	assert_int_equal(m("^\\W$", "-"), 1);
	assert_int_equal(m("^a\\sb$", "a\tb"), 1);
	assert_int_equal(m("^\\S+$", "a b"), 0);
	assert_int_equal(m("^[\\d.-]+$", "1.2-3"), 1);
	assert_int_equal(m("^[^\\s]+$", "ab"), 1);
	assert_int_equal(m("^[^]$", "\n"), 1); /* ECMA: [^] is any character */
}

static void test_quantifiers_and_groups(void **state)
{
	(void)state;
	assert_int_equal(m("^g-[0-9a-f]{8}$", "g-3f9a1c07"), 1);
	assert_int_equal(m("^g-[0-9a-f]{8}$", "g-3f9a1c0"), 0);
	assert_int_equal(m("^a{2,}$", "aaa"), 1);
	assert_int_equal(m("^(?:ab)+?$", "abab"), 1);
	assert_int_equal(m("^(a|b)*c$", "abac"), 1);
	assert_int_equal(m("a{", "a{"), 1); /* a stray brace is literal */
	assert_int_equal(m("^\\.\\*$", ".*"), 1);
	assert_int_equal(m("^a.c$", "a\nc"), 0); /* . stops at newlines */
	assert_int_equal(m("^\\u00e9$", "\xc3\xa9"), 1);
	assert_int_equal(m("", "anything"), 1);
	assert_int_equal(m("()x", "x"), 1);
	/* not anchored unless asked */
	assert_int_equal(m("b", "abc"), 1);
}

static void test_letters(void **state)
{
	(void)state;
	assert_int_equal(m("^\\p{Letter}+$", "Hello"), 1);
	assert_int_equal(m("^\\p{L}+$", "\xcf\x80"), 1);
	assert_int_equal(m("^\\p{Letter}+$", "123"), 0);
}

static void test_refused(void **state)
{
	(void)state;
	refused("(?=a)", "lookaround and named groups");
	refused("(?<n>a)", "lookaround and named groups");
	refused("(a)\\1", "this escape (backreference or unknown letter)");
	refused("\\bword", "word boundaries (\\b)");
	refused("\\p{Greek}", "this Unicode property class");
	refused("[a", "unterminated character class");
	refused("a)", "unbalanced ')'");
	refused("(a", "unbalanced '('");
	refused("*a", "a quantifier with nothing to repeat");
	refused("[z-a]", "a character range out of order");
	refused("[\\D]", "this escape inside a character class");
	refused("a\\", "pattern ends with a backslash");
	refused("[]a]", "an empty character class");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_quantifiers_and_groups),
		cmocka_unit_test(test_letters),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
