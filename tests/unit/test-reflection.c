/*
 * test-reflection.c - reflection text (tidying, comments, first lines),
 * the editor template, new reflection documents, prompts of added
 * frameworks, and the --date check.
 *
 * Run from the top of the source tree (tests/run-all.sh does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "meta.h"
#include "reflection.h"
#include "textclean.h"

static void no_error(struct lps_error *err)
{
	if (err) {
		char *s = lps_error_format(err);
		fail_msg("unexpected error: %s", s ? s : "?");
	}
}

static void tidy_is(const char *in, int strip, const char *want)
{
	struct lps_buf b = LPS_BUF_INIT;
	no_error(lps_textclean_tidy(&b, in, strlen(in), strip));
	assert_string_equal(b.data, want);
	lps_buf_free(&b);
}

static void test_tidy(void **state)
{
	tidy_is("", 1, "");
	tidy_is("\n \n\t\n", 0, "");
	tidy_is("one  \r\ntwo\t\n", 0, "one\ntwo");
	tidy_is("\n\na\n\n\n\nb\n\n", 0, "a\n\nb");
	tidy_is("  indented stays\n", 0, "  indented stays");
	tidy_is("# heading kept\ntext", 0, "# heading kept\ntext");
	tidy_is("text\n# comment\nmore\n#\n", 1, "text\nmore");
	tidy_is("# only\n#comments\n", 1, "");
	tidy_is("a\n\n# c\n\nb", 1, "a\n\nb");
}

static void test_comment(void **state)
{
	struct lps_buf b = LPS_BUF_INIT;
	assert_int_equal(lps_textclean_comment(&b, "", 20), 0);
	assert_string_equal(b.data, "#\n");
	lps_buf_reset(&b);
	assert_int_equal(lps_textclean_comment(
				 &b, "one two three four five six", 14), 0);
	assert_string_equal(b.data, "# one two\n# three four\n# five six\n");
	lps_buf_reset(&b);
	assert_int_equal(lps_textclean_comment(
				 &b, "averyveryverylongword x\nnext", 10), 0);
	assert_string_equal(b.data, "# averyveryverylongword\n# x\n# next\n");
	lps_buf_free(&b);
}

static void test_first_line(void **state)
{
	struct lps_buf b = LPS_BUF_INIT;
	assert_int_equal(lps_textclean_first_line(&b, "\n  \n  Hello  \nx",
						  10), 0);
	assert_string_equal(b.data, "Hello");
	assert_int_equal(lps_textclean_first_line(&b, "abcdefghijkl", 10), 0);
	assert_string_equal(b.data, "abcdefg...");
	/* code points, not bytes */
	assert_int_equal(lps_textclean_first_line(&b, "ééééé", 5), 0);
	assert_string_equal(b.data, "ééééé");
	assert_int_equal(lps_textclean_first_line(&b, "éééééé", 5), 0);
	assert_string_equal(b.data, "éé...");
	assert_int_equal(lps_textclean_first_line(&b, "", 5), 0);
	assert_string_equal(b.data, "");
	lps_buf_free(&b);
}

static void test_body(void **state)
{
	struct lps_buf b = LPS_BUF_INIT;
	struct lps_error *err = lps_reflection_body(&b, "# x\n\n", 5, 1);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EINVALID);
	assert_string_equal(err->msg, "aborted: empty reflection");
	lps_error_free(err);
	no_error(lps_reflection_body(&b, "# x\n\n", 5, 0));
	assert_string_equal(b.data, "# x");
	err = lps_reflection_body(&b, "a\xff", 2, 0);
	assert_non_null(err);
	assert_string_equal(err->msg, "the reflection is not valid UTF-8");
	lps_error_free(err);
	size_t n = LPS_REFLECTION_BODY_MAX + 1;
	char *big = malloc(n);
	assert_non_null(big);
	memset(big, 'x', n);
	err = lps_reflection_body(&b, big, n, 0);
	assert_non_null(err);
	assert_string_equal(err->msg, "the reflection is too long: 65537 "
				      "characters (at most 65536)");
	lps_error_free(err);
	no_error(lps_reflection_body(&b, big, n - 1, 0));
	free(big);
	lps_buf_free(&b);
}

static void test_template(void **state)
{
	struct lps_prompt pr = { 0 };
	const char *goals[] = { "g-00000001", "g-00000002" };
	struct lps_buf b = LPS_BUF_INIT;
	pr.id = "lfl.focus.1";
	pr.text = "Why?";
	no_error(lps_reflection_template(&b, &pr, "action", goals, 2));
	assert_string_equal(b.data,
		"\n# Prompt lfl.focus.1:\n# Why?\n#\n"
		"# Phase: action; goals: g-00000001, g-00000002.\n"
		"# Write your reflection above. Lines starting with '#' are "
		"left out; an\n# empty reflection aborts and nothing is "
		"written.\n");
	lps_buf_reset(&b);
	no_error(lps_reflection_template(&b, NULL, "focus", NULL, 0));
	assert_string_equal(b.data,
		"\n# Phase: focus.\n"
		"# Write your reflection above. Lines starting with '#' are "
		"left out; an\n# empty reflection aborts and nothing is "
		"written.\n");
	lps_buf_free(&b);
}

static void test_new(void **state)
{
	const char *goals[] = { "g-00000001" };
	struct lps_reflection_fields f = {
		.id = "r-0000abcd", .date = "2026-10-01", .cycle = "2026-2027",
		.phase = "action", .prompt = "lfl.focus.1", .goals = goals,
		.ngoals = 1, .body = "Line one\n\nLine two",
		.visibility = "roundtable",
	};
	struct lps_doc *doc = NULL;
	struct lps_buf b = LPS_BUF_INIT;
	no_error(lps_reflection_new(&doc, &f));
	assert_string_equal(lps_doc_name(doc), "reflections/r-0000abcd.yaml");
	no_error(lps_doc_emit(lps_doc_root(doc), &b));
	assert_string_equal(b.data,
		"lps: 1\nid: r-0000abcd\ndate: 2026-10-01\ncycle: 2026-2027\n"
		"phase: action\nprompt: lfl.focus.1\ngoals:\n  - g-00000001\n"
		"body: |-\n  Line one\n\n  Line two\nvisibility: roundtable\n");
	lps_buf_free(&b);
	lps_doc_free(doc);
	/* optional fields left out */
	struct lps_reflection_fields g = {
		.id = "r-0000abce", .date = "2026-10-02", .phase = "focus",
		.body = "x",
	};
	no_error(lps_reflection_new(&doc, &g));
	no_error(lps_doc_emit(lps_doc_root(doc), &b));
	assert_string_equal(b.data, "lps: 1\nid: r-0000abce\ndate: 2026-10-02\n"
				    "phase: focus\nbody: x\n");
	lps_buf_free(&b);
	lps_doc_free(doc);
}

static void test_builtin_prompts(void **state)
{
	struct lps_frameworks *fws = NULL;
	no_error(lps_reflection_frameworks(&fws, NULL));
	const struct lps_prompt *p = lps_frameworks_prompt(fws, "lfl.focus.1");
	assert_non_null(p);
	assert_null(lps_frameworks_prompt(fws, "lfl.focus.99"));
	lps_frameworks_free(fws);
}

static void test_date_valid(void **state)
{
	assert_true(lps_meta_date_valid("2026-10-01"));
	assert_true(lps_meta_date_valid("2024-02-29"));
	assert_true(lps_meta_date_valid("2000-02-29"));
	assert_false(lps_meta_date_valid("1900-02-29"));
	assert_false(lps_meta_date_valid("2026-02-29"));
	assert_false(lps_meta_date_valid("2026-04-31"));
	assert_false(lps_meta_date_valid("2026-13-01"));
	assert_false(lps_meta_date_valid("2026-00-10"));
	assert_false(lps_meta_date_valid("2026-1-01"));
	assert_false(lps_meta_date_valid("2026-10-01x"));
	assert_false(lps_meta_date_valid("01/10/2026"));
	assert_false(lps_meta_date_valid(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tidy),
		cmocka_unit_test(test_comment),
		cmocka_unit_test(test_first_line),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_new),
		cmocka_unit_test(test_builtin_prompts),
		cmocka_unit_test(test_date_valid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
