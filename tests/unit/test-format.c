/*
 * test-format.c - lib/format: looking formats up by name, and the checks
 * lps asserts: date, date-time and time (RFC 3339, with calendar days,
 * fractions, offsets and leap seconds only at 23:59:60 UTC), email (the
 * everyday dot-atom shape), uri (absolute, with valid %-escapes and no
 * characters that must be escaped), uuid.  Lengths are honoured: a check
 * looks only at s[0..len), never at what follows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "format.h"

/* Check each string of list (NULL-ended) against f, expecting want. */
static void expect_all(enum lps_format f, const char *const *list, int want)
{
	int bad = 0;
	for (size_t i = 0; list[i]; i++) {
		int got = lps_format_check(f, list[i], strlen(list[i]));
		if (got != want) {
			print_error("format %d: \"%s\": expected %d, got %d\n",
				    f, list[i], want, got);
			bad = 1;
		}
	}
	if (bad)
		fail();
}

static void test_lookup(void **state)
{
	(void)state;
	assert_int_equal(lps_format_lookup("date"), LPS_FORMAT_DATE);
	assert_int_equal(lps_format_lookup("date-time"), LPS_FORMAT_DATE_TIME);
	assert_int_equal(lps_format_lookup("time"), LPS_FORMAT_TIME);
	assert_int_equal(lps_format_lookup("email"), LPS_FORMAT_EMAIL);
	assert_int_equal(lps_format_lookup("uri"), LPS_FORMAT_URI);
	assert_int_equal(lps_format_lookup("uuid"), LPS_FORMAT_UUID);
	/* names lps does not check are annotations: unknown */
	assert_int_equal(lps_format_lookup("hostname"), LPS_FORMAT_UNKNOWN);
	assert_int_equal(lps_format_lookup("uri-reference"),
			 LPS_FORMAT_UNKNOWN);
	assert_int_equal(lps_format_lookup("Date"), LPS_FORMAT_UNKNOWN);
	assert_int_equal(lps_format_lookup("dat"), LPS_FORMAT_UNKNOWN);
	assert_int_equal(lps_format_lookup(""), LPS_FORMAT_UNKNOWN);
	assert_int_equal(LPS_FORMAT_UNKNOWN, 0);
}

static void test_unknown_accepts(void **state)
{
	(void)state;
	assert_int_equal(lps_format_check(LPS_FORMAT_UNKNOWN, "", 0), 1);
	assert_int_equal(lps_format_check(LPS_FORMAT_UNKNOWN, "anything", 8), 1);
}

static void test_date(void **state)
{
	(void)state;
	static const char *const good[] = {
		"2026-09-01", "2024-02-29", "2000-02-29", "1999-12-31",
		"0000-01-01", "2026-01-31", "2026-04-30", NULL,
	};
	static const char *const bad[] = {
		"", "2026-9-01", "2026-09-1", "2026/09/01", "20260901",
		"2026-09-01T00:00:00Z", "2026-09-01 ", " 2026-09-01",
		"2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32",
		"2026-04-31", "2023-02-29", "1900-02-29", "2026-02-30",
		"2026-+1-01", "2a26-01-01", "2026-01-0x", NULL,
	};
	expect_all(LPS_FORMAT_DATE, good, 1);
	expect_all(LPS_FORMAT_DATE, bad, 0);
}

static void test_time(void **state)
{
	(void)state;
	static const char *const good[] = {
		"00:00:00Z", "23:59:59Z", "12:30:00z", "08:15:00+02:00",
		"08:15:00-05:30", "12:00:00.5Z", "12:00:00.123456789+01:00",
		"23:59:60Z",             /* leap second, UTC */
		"15:59:60-08:00",        /* 23:59:60 UTC */
		"01:29:60+01:30",        /* 23:59:60 UTC the day before */
		"23:59:59+23:59", NULL,
	};
	static const char *const bad[] = {
		"", "00:00:00", "24:00:00Z", "12:60:00Z", "12:00:61Z",
		"12:00:60Z", "23:59:60+01:00", "23:58:60Z", "1:00:00Z",
		"12:00Z", "12-00-00Z", "12:00:00.Z", "12:00:00.5",
		"12:00:00ZZ", "12:00:00+0100", "12:00:00+01", "12:00:00+24:00",
		"12:00:00+01:60", "12:00:00 Z", "12:00:00+01:00 ",
		"12:00:00X", NULL,
	};
	expect_all(LPS_FORMAT_TIME, good, 1);
	expect_all(LPS_FORMAT_TIME, bad, 0);
}

static void test_date_time(void **state)
{
	(void)state;
	static const char *const good[] = {
		"2026-09-01T08:00:00Z", "2026-09-01t08:00:00z",
		"2024-02-29T23:59:60Z", "2026-09-01T08:00:00.25-07:00", NULL,
	};
	static const char *const bad[] = {
		"", "2026-09-01", "2026-09-01T", "2026-09-01 08:00:00Z",
		"2026-09-01T08:00:00", "2023-02-29T08:00:00Z",
		"2026-09-01T25:00:00Z", "2026-9-01T08:00:00Z",
		"2026-09-01T23:59:60+01:00", NULL,
	};
	expect_all(LPS_FORMAT_DATE_TIME, good, 1);
	expect_all(LPS_FORMAT_DATE_TIME, bad, 0);
}

static void test_email(void **state)
{
	(void)state;
	static const char *const good[] = {
		"ada@example.org", "a@b", "first.last@school.k12.us",
		"a+tag@example.org", "o'neil@example.org", "x_y-z@a-b.c",
		"A@EXAMPLE.ORG", "ada@b\xc3\xa9.example", "1@2.3", NULL,
	};
	static const char *const bad[] = {
		"", "@example.org", "ada@", "ada", "ada@@example.org",
		".ada@example.org", "ada.@example.org", "a..b@example.org",
		"ada@.example.org", "ada@example.org.", "ada@example..org",
		"ada@-example.org", "ada@example-.org", "ada@example.-org",
		"ada@example.org-", "a da@example.org", "ada@exa mple.org",
		"\"ada\"@example.org", "a(b)@example.org", "a<b>@example.org",
		"a,b@example.org", "a;b@example.org", "a:b@example.org",
		"a\\b@example.org", "a[b]@example.org", "ada@exam_ple.org",
		"ada@example.org\n", "a\tb@example.org", NULL,
	};
	expect_all(LPS_FORMAT_EMAIL, good, 1);
	expect_all(LPS_FORMAT_EMAIL, bad, 0);
}

static void test_uri(void **state)
{
	(void)state;
	static const char *const good[] = {
		"https://example.org/", "http://example.org/a?b=c#d",
		"mailto:ada@example.org", "urn:isbn:0451450523",
		"git+ssh://git@host/repo.git", "a:", "x-y.z+1:rest",
		"https://example.org/a%20b", "https://example.org/%C3%A9",
		"https://example.org/%aF", "file:///tmp/x",
		"https://[::1]:8080/", "https://example.org/~user/a;b,c!$&'()*",
		NULL,
	};
	static const char *const bad[] = {
		"", "example.org", "/relative/path", "//host/path",
		"1http://x", "-a:b", "ht tp://x", "ht_tp://x", ":nothing",
		"https://example.org/a b", "https://example.org/\"q\"",
		"https://example.org/<x>", "https://example.org/a\\b",
		"https://example.org/^", "https://example.org/`",
		"https://example.org/{x}", "https://example.org/a|b",
		"https://example.org/\x7f", "https://example.org/\xc3\xa9",
		"https://example.org/\t", "https://example.org/%",
		"https://example.org/%2", "https://example.org/%zz",
		"https://example.org/%2g", "https://example.org/%g2", NULL,
	};
	expect_all(LPS_FORMAT_URI, good, 1);
	expect_all(LPS_FORMAT_URI, bad, 0);
}

static void test_uuid(void **state)
{
	(void)state;
	static const char *const good[] = {
		"123e4567-e89b-12d3-a456-426614174000",
		"00000000-0000-0000-0000-000000000000",
		"ABCDEF01-abcd-ABCD-abcd-0123456789ab", NULL,
	};
	static const char *const bad[] = {
		"", "123e4567e89b12d3a456426614174000",
		"123e4567-e89b-12d3-a456-42661417400",
		"123e4567-e89b-12d3-a456-4266141740000",
		"123e4567-e89b-12d3-a456_426614174000",
		"123e4567-e89b-12d3-a4560426614174000",
		"g23e4567-e89b-12d3-a456-426614174000",
		"{123e4567-e89b-12d3-a456-426614174000}",
		"123e456-7e89b-12d3-a456-426614174000", NULL,
	};
	expect_all(LPS_FORMAT_UUID, good, 1);
	expect_all(LPS_FORMAT_UUID, bad, 0);
}

/* Only s[0..len) counts: the same bytes pass or fail by length alone. */
static void test_length_bounds(void **state)
{
	(void)state;
	const char *d = "2026-09-01junk";
	assert_int_equal(lps_format_check(LPS_FORMAT_DATE, d, 10), 1);
	assert_int_equal(lps_format_check(LPS_FORMAT_DATE, d, 14), 0);
	assert_int_equal(lps_format_check(LPS_FORMAT_DATE, d, 9), 0);
	assert_int_equal(lps_format_check(LPS_FORMAT_DATE, d, 0), 0);

	const char *t = "12:00:00Z12";
	assert_int_equal(lps_format_check(LPS_FORMAT_TIME, t, 9), 1);
	assert_int_equal(lps_format_check(LPS_FORMAT_TIME, t, 8), 0);
	assert_int_equal(lps_format_check(LPS_FORMAT_TIME, t, 11), 0);

	const char *u = "https://x/%41 tail";
	assert_int_equal(lps_format_check(LPS_FORMAT_URI, u, 13), 1);
	assert_int_equal(lps_format_check(LPS_FORMAT_URI, u, 12), 0);
	assert_int_equal(lps_format_check(LPS_FORMAT_URI, u, 11), 0);
	assert_int_equal(lps_format_check(LPS_FORMAT_URI, u, 18), 0);

	const char *e = "ada@example.org>";
	assert_int_equal(lps_format_check(LPS_FORMAT_EMAIL, e, 15), 1);
	assert_int_equal(lps_format_check(LPS_FORMAT_EMAIL, e, 16), 0);
	/* the '@' beyond len is not seen */
	assert_int_equal(lps_format_check(LPS_FORMAT_EMAIL, e, 3), 0);

	const char *id = "123e4567-e89b-12d3-a456-426614174000ff";
	assert_int_equal(lps_format_check(LPS_FORMAT_UUID, id, 36), 1);
	assert_int_equal(lps_format_check(LPS_FORMAT_UUID, id, 38), 0);

	/* an embedded NUL is a character like any other, and not valid */
	assert_int_equal(lps_format_check(LPS_FORMAT_EMAIL,
					  "a\0b@example.org", 15), 0);
	assert_int_equal(lps_format_check(LPS_FORMAT_URI, "a:b\0c", 5), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_unknown_accepts),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_date_time),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_uri),
		cmocka_unit_test(test_uuid),
		cmocka_unit_test(test_length_bounds),
	};
	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
