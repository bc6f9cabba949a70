/*
 * errassert.h - the unit tests' assertions about lps errors: ok() (no
 * error) and expect_err() (this code, this message).  Include after
 * cmocka.h.
 */
#ifndef LPS_TEST_ERRASSERT_H
#define LPS_TEST_ERRASSERT_H

#include <stdlib.h>
#include <string.h>
#include "error.h"

/* Fail, naming it, when err is an error; frees it. */
static inline void ok(struct lps_error *err)
{
	if (err) {
		char *s = lps_error_format(err);
		print_error("unexpected error: %s\n", s ? s : "?");
		free(s);
		lps_error_free(err);
		fail();
	}
}

/* Assert err has code and formats to exactly msg; frees err. */
static inline void expect_err(struct lps_error *err,
			      enum lps_error_code code, const char *msg)
{
	assert_non_null(err);
	char *s = lps_error_format(err);
	assert_non_null(s);
	if (strcmp(s, msg) != 0 || err->code != code) {
		print_error("expected code %d \"%s\"\n     got code %d \"%s\"\n",
			    code, msg, err->code, s);
		free(s);
		lps_error_free(err);
		fail();
	}
	free(s);
	lps_error_free(err);
}

#endif
