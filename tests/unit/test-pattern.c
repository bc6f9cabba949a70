/*
 * test-pattern.c - ECMA-262 patterns translated to POSIX regexes: what
 * matches, and what is refused with which reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
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

/* ------------------------------------------------ the fast path */

/* Patterns the fast matcher takes (every anchored one of the schemas
 * among them) and patterns it must leave to regexec. */
static const char *const fast_yes[] = {
	"^g-[0-9a-f]{8}$",
	"^[gerf]-[0-9a-f]{8}$",
	"^k[1-9][0-9]{0,2}$",
	"^s[1-9][0-9]{0,2}$",
	"^[a-z][a-z0-9-]{0,31}$",
	"^[a-z0-9][a-z0-9-]{0,38}$",
	"^[a-z][a-z0-9-]{0,31}[.][a-z0-9][a-z0-9-]{0,31}$",
	"^[a-z][a-z0-9-]{0,31}[.][a-z0-9][a-z0-9-]{0,31}[.][1-9][0-9]{0,2}$",
	"^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$",
	"^[a-z0-9][a-z0-9.+-]*/[A-Za-z0-9][A-Za-z0-9.+_-]*$",
	"^[^./\\\\][^/\\\\]*$",
	"^$",
	"^a.c$",
	"^\\.\\*$",
	"^\\d{2,3}-\\w+$",
	"^[\\]\\-]+$",
	"^\\D\\W?$",
	"^[^a-c]*$",
	"^a?b+c*d{0,}$",
	"^[\\d.]+?/x{1,2}?$",
	"^\\t\\/[a-]*$",
	/* one unanchored atom: "holds a byte of the set" */
	"\\S",
	"\\s",
	"\\d",
	"\\w",
	"[a-c]",
	"[^a-c]",
	"x",
	"\\.",
	"\\D",
	".",
};

static const char *const fast_no[] = {
	"^([0-9a-f]{40}|[0-9a-f]{64})$",
	"^[0-9a-f]{40}([0-9a-f]{24})?$",
	"g-[0-9a-f]{8}$",          /* not anchored at the start */
	"^g-[0-9a-f]{8}",          /* nor at the end */
	"^a\\$",                   /* an escaped dollar is a literal */
	"^.+x$",                   /* . could give x back: backtracking */
	"^a*ab$",
	"^[a-c]{0,2}[d-f]?[a-c]$",
	"^\\s+$",                  /* locale classes stay with regexec */
	"^[\\s]$",
	"^\\u0041$",
	"^\\p{L}$",
	"^\xc3\xa9$",              /* non-ASCII in the pattern */
	"^[^]$",
	"^a{,2}$",                 /* a literal brace in ECMA */
	"^x{2}{$",                 /* a literal brace after a count */
	"\\S+",                    /* unanchored with a count */
	"ab",                      /* two atoms */
	"\\p{L}",
	"\xc3\xa9",
};

/* Bytes the subjects are made of: ASCII of every kind the patterns
 * name, a newline, and the two bytes of U+00E9. */
static const char alphabet[] = "ab9-./\\x\n \xc3\xa9";

static int fast_same(const struct lps_pattern *p, const char *s, size_t n)
{
	int fast = lps_pattern_test(p, s, n);
	int slow = lps_pattern_match(&p->re, s, n);
	if (fast != slow)
		print_error("subject \"%.*s\" (%zu bytes): fast %d, regexec "
			    "%d\n", (int)n, s, n, fast, slow);
	return fast == slow;
}

/* Every subject of up to 4 bytes of the alphabet, and some longer. */
static void fast_compare(const char *pattern, int want_fast)
{
	struct lps_pattern p;
	const char *why = NULL;
	if (lps_pattern_init(&p, pattern, strlen(pattern), &why) !=
	    LPS_PATTERN_OK)
		fail_msg("pattern %s refused: %s", pattern, why);
	if ((p.fast != NULL) != want_fast)
		print_error("pattern %s: fast path %s\n", pattern,
			    p.fast ? "taken" : "not taken");
	assert_int_equal(p.fast != NULL, want_fast);
	size_t k = sizeof(alphabet) - 1;
	char s[8];
	for (size_t len = 0; len <= 4; len++) {
		size_t total = 1;
		for (size_t i = 0; i < len; i++)
			total *= k;
		for (size_t x = 0; x < total; x++) {
			size_t y = x;
			for (size_t i = 0; i < len; i++, y /= k)
				s[i] = alphabet[y % k];
			if (!fast_same(&p, s, len))
				fail_msg("pattern %s", pattern);
		}
	}
	static const char *const longer[] = {
		"g-3f9a1c07", "g-3f9a1c0", "g-3f9a1c077", "G-3f9a1c07",
		"e-00000000", "k1", "k100", "k1000", "k0", "s12",
		"lfl.focus", "lfl.focus.1", "wsbc.5", "a.b.c", "lfl..1",
		"abcdefghijklmnopqrstuvwxyz0123456", "text/csv",
		"application/vnd.ms-excel", "/csv", "fall-screener.csv",
		".hidden", "a/b", "caf\xc3\xa9.txt", "\xc3\xa9", "12-ab_c",
		"12", "a\tb", "\t/a-", "1.2/xx", "abbbcccd", "]-]", "",
		/* blanks, ASCII and not: U+00A0, U+3000 */
		"   ", " \t\n\v\f\r", "\xc2\xa0", "\xe3\x80\x80",
		" \xc2\xa0 ", "\xe3\x80\x80" "a", "caf\xc3\xa9 ",
	};
	for (size_t i = 0; i < sizeof(longer) / sizeof(*longer); i++)
		if (!fast_same(&p, longer[i], strlen(longer[i])))
			fail_msg("pattern %s", pattern);
	/* A NUL byte inside the subject is left to regexec. */
	if (!fast_same(&p, "g-\0" "3f9a1c0", 10) ||
	    !fast_same(&p, "a\0", 2))
		fail_msg("pattern %s", pattern);
	lps_pattern_free(&p);
}

static void test_fast_same_as_regexec(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(fast_yes) / sizeof(*fast_yes); i++)
		fast_compare(fast_yes[i], 1);
	for (size_t i = 0; i < sizeof(fast_no) / sizeof(*fast_no); i++)
		fast_compare(fast_no[i], 0);
}

static void test_fast_answers(void **state)
{
	(void)state;
	struct lps_pattern p;
	assert_int_equal(lps_pattern_init(&p, "^g-[0-9a-f]{8}$", 15, NULL),
			 LPS_PATTERN_OK);
	assert_non_null(p.fast);
	assert_int_equal(lps_pattern_test(&p, "g-3f9a1c07", 10), 1);
	assert_int_equal(lps_pattern_test(&p, "g-3f9a1c07x", 10), 1);
	assert_int_equal(lps_pattern_test(&p, "g-3f9a1c07x", 11), 0);
	assert_int_equal(lps_pattern_test(&p, "g-3F9a1c07", 10), 0);
	lps_pattern_free(&p);
	assert_null(p.fast);
	/* Refusals are the same as lps_pattern_compile's. */
	const char *why = NULL;
	assert_int_equal(lps_pattern_init(&p, "(?=a)", 5, &why),
			 LPS_PATTERN_UNSUPPORTED);
	assert_string_equal(why, "lookaround and named groups");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_quantifiers_and_groups),
		cmocka_unit_test(test_letters),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_fast_same_as_regexec),
		cmocka_unit_test(test_fast_answers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
