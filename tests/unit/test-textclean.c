/* Unit tests of lib/textclean: what counts as blank text (the rule of
 * empty reflections, feedback, titles and reasons) and how a yes/no
 * answer is read. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "textclean.h"

static int blank(const char *s)
{
	return lps_textclean_blank(s, strlen(s));
}

static void test_blank(void **state)
{
	(void)state;
	static const char *const yes[] = {
		"", " ", "   ", "\t", " \t\r\n", "\n\n", "\f\v", NULL,
	};
	static const char *const no[] = {
		"x", " x ", "\n.\n", "#", "\xc2\xa0", NULL,
	};
	for (size_t i = 0; yes[i]; i++)
		if (!blank(yes[i]))
			fail_msg("\"%s\" is not blank", yes[i]);
	for (size_t i = 0; no[i]; i++)
		if (blank(no[i]))
			fail_msg("\"%s\" is blank", no[i]);
	/* The same rule as tidying: blank exactly when tidy leaves nothing. */
	static const char *const all[] = {
		"", " \t\n ", "a", " a\n\n", "\r\n\r\n", NULL,
	};
	for (size_t i = 0; all[i]; i++) {
		struct lps_buf b = LPS_BUF_INIT;
		assert_null(lps_textclean_tidy(&b, all[i], strlen(all[i]), 0));
		assert_int_equal(b.len == 0, blank(all[i]));
		lps_buf_free(&b);
	}
}

static int answer(const char *s, int dflt)
{
	return lps_textclean_answer(s, strlen(s), dflt);
}

static void test_answer(void **state)
{
	(void)state;
	static const struct { const char *in; int want; } cases[] = {
		{ "y\n", 1 }, { "Y\n", 1 }, { "yes\n", 1 }, { "YES", 1 },
		{ " yEs \r\n", 1 }, { "n\n", 0 }, { "N", 0 }, { "no\n", 0 },
		{ "No \n", 0 }, { "\n", 7 }, { "", 7 }, { "  \t\n", 7 },
		{ "ye\n", -1 }, { "yess\n", -1 }, { "nope\n", -1 },
		{ "x\n", -1 }, { "y n\n", -1 }, { "1\n", -1 }, { "o\n", -1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (answer(cases[i].in, 7) != cases[i].want)
			fail_msg("answer(\"%s\") = %d, expected %d", cases[i].in,
				 answer(cases[i].in, 7), cases[i].want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blank),
		cmocka_unit_test(test_answer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
