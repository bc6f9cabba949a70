/*
 * format.h - the "format" checks of JSON Schema that lps asserts on its own
 * documents: date, date-time, time (RFC 3339), email (the common
 * local@domain shape), uri (RFC 3986 absolute URI syntax), uuid.
 */
#ifndef LPS_FORMAT_H
#define LPS_FORMAT_H

#include <stddef.h>

enum lps_format {
	LPS_FORMAT_UNKNOWN = 0, /* a name lps does not check: annotation only */
	LPS_FORMAT_DATE,
	LPS_FORMAT_DATE_TIME,
	LPS_FORMAT_TIME,
	LPS_FORMAT_EMAIL,
	LPS_FORMAT_URI,
	LPS_FORMAT_UUID,
};

/* The format called name, or LPS_FORMAT_UNKNOWN. */
enum lps_format lps_format_lookup(const char *name);

/* 1 when s[0..len) is a valid instance of format f (always 1 for
 * LPS_FORMAT_UNKNOWN), else 0. */
int lps_format_check(enum lps_format f, const char *s, size_t len);

#endif
