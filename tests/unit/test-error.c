/*
 * test-error.c - lib/error: building errors (plain, located, printf-style),
 * wrapping and naming the file afterwards, the shared out-of-memory
 * error, exit statuses of DESIGN section 7, and the one-line format
 * "file:line:col: message" / "file: message" / "message".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "error.h"

/* Assert err formats to exactly want. */
static void assert_format(const struct lps_error *err, const char *want)
{
	char *s = lps_error_format(err);
	assert_non_null(s);
	if (strcmp(s, want) != 0) {
		print_error("expected \"%s\"\n     got \"%s\"\n", want, s);
		free(s);
		fail();
	}
	free(s);
}

static void test_new(void **state)
{
	(void)state;
	struct lps_error *e = lps_error_new(LPS_EINVALID, "bad %s #%d", "goal",
					    7);
	assert_non_null(e);
	assert_int_equal(e->code, LPS_EINVALID);
	assert_string_equal(e->msg, "bad goal #7");
	assert_null(e->file);
	assert_int_equal(e->line, 0);
	assert_int_equal(e->col, 0);
	assert_format(e, "bad goal #7");
	lps_error_free(e);

	/* an empty message stays empty, and a % in an argument is literal */
	e = lps_error_new(LPS_ESYS, "%s", "");
	assert_string_equal(e->msg, "");
	assert_format(e, "");
	lps_error_free(e);
	e = lps_error_new(LPS_ESYS, "%s", "100%d done");
	assert_format(e, "100%d done");
	lps_error_free(e);
}

static struct lps_error *via_newv(enum lps_error_code code,
				  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct lps_error *e = lps_error_newv(code, fmt, ap);
	va_end(ap);
	return e;
}

static void test_newv(void **state)
{
	(void)state;
	struct lps_error *e = via_newv(LPS_ECONFLICT, "%s lost %u times",
				       "commit", 3u);
	assert_int_equal(e->code, LPS_ECONFLICT);
	assert_string_equal(e->msg, "commit lost 3 times");
	lps_error_free(e);

	/* a long message is not truncated */
	char big[5000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	e = via_newv(LPS_EINVALID, "<%s>", big);
	assert_int_equal(strlen(e->msg), sizeof(big) - 1 + 2);
	assert_int_equal(e->msg[0], '<');
	assert_int_equal(e->msg[sizeof(big)], '>');
	lps_error_free(e);
}

static void test_at_and_format(void **state)
{
	(void)state;
	struct lps_error *e = lps_error_at(LPS_EINVALID,
					   "goals/g-3f9a1c07.yaml", 7, 12,
					   "title: must be at most %d chars",
					   120);
	assert_string_equal(e->file, "goals/g-3f9a1c07.yaml");
	assert_int_equal(e->line, 7);
	assert_int_equal(e->col, 12);
	assert_format(e, "goals/g-3f9a1c07.yaml:7:12: title: must be at most "
		      "120 chars");
	lps_error_free(e);

	/* a line without a column is column 1 */
	e = lps_error_at(LPS_EINVALID, "lps.yaml", 3, 0, "oops");
	assert_format(e, "lps.yaml:3:1: oops");
	lps_error_free(e);

	/* a file without a line: "file: message" (column alone ignored) */
	e = lps_error_at(LPS_ENOTFOUND, "x.yaml", 0, 9, "missing");
	assert_format(e, "x.yaml: missing");
	lps_error_free(e);

	/* no file: the message alone, even with a line */
	e = lps_error_at(LPS_ESYS, NULL, 4, 2, "no file");
	assert_null(e->file);
	assert_format(e, "no file");
	lps_error_free(e);

	/* the file is copied, not borrowed */
	char name[] = "a.yaml";
	e = lps_error_at(LPS_EINVALID, name, 1, 1, "m");
	name[0] = 'b';
	assert_format(e, "a.yaml:1:1: m");
	lps_error_free(e);

	/* the largest line and column numbers fit */
	e = lps_error_at(LPS_EINVALID, "f", 4294967295u, 4294967295u, "m");
	assert_format(e, "f:4294967295:4294967295: m");
	lps_error_free(e);

	/* a hand-built error with no message */
	struct lps_error blank = { LPS_ESYS, NULL, NULL, 0, 0 };
	assert_format(&blank, "unknown error");

	assert_null(lps_error_format(NULL));
}

static void test_wrap(void **state)
{
	(void)state;
	struct lps_error *e = lps_error_at(LPS_ESYS, "f.yaml", 2, 3,
					   "disk full");
	assert_ptr_equal(lps_error_wrap(e, "cannot write %s", "goal"), e);
	assert_string_equal(e->msg, "cannot write goal: disk full");
	assert_int_equal(e->code, LPS_ESYS);
	assert_format(e, "f.yaml:2:3: cannot write goal: disk full");
	lps_error_wrap(e, "push");
	assert_string_equal(e->msg, "push: cannot write goal: disk full");
	lps_error_free(e);

	assert_null(lps_error_wrap(NULL, "x"));
}

static void test_set_file(void **state)
{
	(void)state;
	struct lps_error *e = lps_error_new(LPS_EINVALID, "bad");
	assert_ptr_equal(lps_error_set_file(e, "one.yaml"), e);
	assert_string_equal(e->file, "one.yaml");
	/* a file already named is kept */
	lps_error_set_file(e, "two.yaml");
	assert_string_equal(e->file, "one.yaml");
	/* NULL leaves it as it is */
	lps_error_set_file(e, NULL);
	assert_string_equal(e->file, "one.yaml");
	assert_format(e, "one.yaml: bad");
	lps_error_free(e);

	e = lps_error_new(LPS_EINVALID, "bad");
	lps_error_set_file(e, NULL);
	assert_null(e->file);
	lps_error_free(e);

	assert_null(lps_error_set_file(NULL, "x"));
}

static void test_nomem(void **state)
{
	(void)state;
	struct lps_error *e = lps_error_nomem();
	assert_non_null(e);
	assert_ptr_equal(lps_error_nomem(), e);
	assert_int_equal(e->code, LPS_ENOMEM);
	assert_int_equal(lps_error_exit_status(e), 4);
	assert_format(e, "out of memory");
	/* the shared error is never changed or freed */
	assert_ptr_equal(lps_error_wrap(e, "while %s", "loading"), e);
	assert_ptr_equal(lps_error_set_file(e, "x.yaml"), e);
	assert_null(e->file);
	assert_format(e, "out of memory");
	lps_error_free(e);
	lps_error_free(e);
	assert_format(lps_error_nomem(), "out of memory");
	lps_error_free(NULL);
}

static void test_exit_status(void **state)
{
	(void)state;
	static const struct {
		enum lps_error_code code;
		int status;
	} map[] = {
		{ LPS_EINVALID, 1 }, { LPS_ENOTFOUND, 1 }, { LPS_EUSAGE, 2 },
		{ LPS_EREFUSED, 3 }, { LPS_ECONFLICT, 3 }, { LPS_ESYS, 4 },
		{ LPS_ENOMEM, 4 },
	};
	assert_int_equal(lps_error_exit_status(NULL), 0);
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++) {
		struct lps_error *e = lps_error_new(map[i].code, "m");
		if (lps_error_exit_status(e) != map[i].status) {
			print_error("code %d: expected exit %d, got %d\n",
				    map[i].code, map[i].status,
				    lps_error_exit_status(e));
			lps_error_free(e);
			fail();
		}
		lps_error_free(e);
	}
	/* the named constants are the numbers DESIGN section 7 gives */
	assert_int_equal(LPS_EXIT_OK, 0);
	assert_int_equal(LPS_EXIT_NO, 1);
	assert_int_equal(LPS_EXIT_USAGE, 2);
	assert_int_equal(LPS_EXIT_REFUSED, 3);
	assert_int_equal(LPS_EXIT_SYSTEM, 4);
	/* a code outside the enumeration is a system failure */
	struct lps_error odd = { (enum lps_error_code)99, "m", NULL, 0, 0 };
	assert_int_equal(lps_error_exit_status(&odd), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new),
		cmocka_unit_test(test_newv),
		cmocka_unit_test(test_at_and_format),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_set_file),
		cmocka_unit_test(test_nomem),
		cmocka_unit_test(test_exit_status),
	};
	return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
