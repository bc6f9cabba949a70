/* Unit tests of lib/date: YYYY-MM-DD to a day count. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "date.h"

static void test_days(void **state)
{
	(void)state;
	long d = -1;
	assert_int_equal(lps_date_days("1970-01-01", &d), 0);
	assert_int_equal(d, 0);
	assert_int_equal(lps_date_days("1969-12-31", &d), 0);
	assert_int_equal(d, -1);
	assert_int_equal(lps_date_days("2000-03-01", &d), 0);
	assert_int_equal(d, 11017);
	assert_int_equal(lps_date_days("2024-02-29", &d), 0);
	assert_int_equal(d, 19782);
	assert_int_equal(lps_date_days("2026-10-01", &d), 0);
	assert_int_equal(d, 20727);
	assert_int_equal(lps_date_days("2023-02-29", &d), -1);
	assert_int_equal(lps_date_days("1900-02-29", &d), -1);
	assert_int_equal(lps_date_days("2000-02-29", &d), 0);
	assert_int_equal(lps_date_days("2026-13-01", &d), -1);
	assert_int_equal(lps_date_days("2026-04-31", &d), -1);
	assert_int_equal(lps_date_days("2026-00-10", &d), -1);
	assert_int_equal(lps_date_days("2026-1-01", &d), -1);
	assert_int_equal(lps_date_days("2026-01-01T00", &d), -1);
	assert_int_equal(lps_date_days("2026/01/01", &d), -1);
	assert_int_equal(lps_date_days("", &d), -1);
	assert_int_equal(lps_date_days(NULL, &d), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
