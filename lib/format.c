#include "format.h"

#include <string.h>

enum lps_format lps_format_lookup(const char *name)
{
	static const struct {
		const char *name;
		enum lps_format f;
	} names[] = {
		{ "date", LPS_FORMAT_DATE },   { "date-time", LPS_FORMAT_DATE_TIME },
		{ "time", LPS_FORMAT_TIME },   { "email", LPS_FORMAT_EMAIL },
		{ "uri", LPS_FORMAT_URI },     { "uuid", LPS_FORMAT_UUID },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i].name))
			return names[i].f;
	return LPS_FORMAT_UNKNOWN;
}

static int digits(const char *s, size_t n, int *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* RFC 3339 full-date: YYYY-MM-DD with a real day of that month. */
static int check_date(const char *s, size_t len)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };
	int y, m, d;
	if (len != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) ||
	    !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
		return 0;
	if (m < 1 || m > 12 || d < 1)
		return 0;
	int max = mdays[m - 1] + (m == 2 && is_leap(y));
	return d <= max;
}

/*
 * RFC 3339 full-time: HH:MM:SS[.frac](Z|+HH:MM|-HH:MM).  A leap second
 * (:60) is allowed only where it falls at 23:59:60 UTC.
 */
static int check_time(const char *s, size_t len)
{
	int h, m, sec;
	if (len < 9 || s[2] != ':' || s[5] != ':' || !digits(s, 2, &h) ||
	    !digits(s + 3, 2, &m) || !digits(s + 6, 2, &sec))
		return 0;
	if (h > 23 || m > 59 || sec > 60)
		return 0;
	size_t i = 8;
	if (i < len && s[i] == '.') {
		size_t k = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == k)
			return 0;
	}
	if (i >= len)
		return 0;
	int oh = 0, om = 0, sign = 0;
	if (s[i] == 'Z' || s[i] == 'z') {
		if (i + 1 != len)
			return 0;
	} else if (s[i] == '+' || s[i] == '-') {
		sign = s[i] == '+' ? 1 : -1;
		if (len - i != 6 || s[i + 3] != ':' ||
		    !digits(s + i + 1, 2, &oh) || !digits(s + i + 4, 2, &om) ||
		    oh > 23 || om > 59)
			return 0;
	} else {
		return 0;
	}
	if (sec == 60) {
		/* the leap second must be 23:59:60 in UTC */
		int mins = h * 60 + m - sign * (oh * 60 + om);
		mins = ((mins % 1440) + 1440) % 1440;
		if (mins != 23 * 60 + 59)
			return 0;
	}
	return 1;
}

static int check_date_time(const char *s, size_t len)
{
	if (len < 11 || (s[10] != 'T' && s[10] != 't'))
		return 0;
	return check_date(s, 10) && check_time(s + 11, len - 11);
}

/*
 * The everyday address shape: a dot-atom local part (no leading, trailing
 * or doubled dots), '@', and a domain of dot-separated labels.
 */
static int check_email(const char *s, size_t len)
{
	const char *at = memchr(s, '@', len);
	if (!at || at == s)
		return 0;
	size_t local = (size_t)(at - s);
	if (s[0] == '.' || s[local - 1] == '.')
		return 0;
	for (size_t i = 0; i < local; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.' && s[i + 1] == '.')
			return 0;
		if (c <= ' ' || strchr("()<>[]:;@\\,\"", c))
			return 0;
	}
	const char *d = at + 1;
	size_t dn = len - local - 1;
	if (dn == 0 || d[0] == '.' || d[dn - 1] == '.' || d[0] == '-')
		return 0;
	for (size_t i = 0; i < dn; i++) {
		unsigned char c = (unsigned char)d[i];
		if (c == '.') {
			if (d[i + 1] == '.' || d[i + 1] == '-' ||
			    (i && d[i - 1] == '-'))
				return 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c >= 0x80))
			return 0;
	}
	return d[dn - 1] != '-';
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/* An absolute URI: scheme ":" and then only URI characters (with valid
 * %-escapes). */
static int check_uri(const char *s, size_t len)
{
	size_t i = 0;
	if (!len || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	while (i < len && s[i] != ':') {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '+' || c == '-' ||
		      c == '.'))
			return 0;
		i++;
	}
	if (i >= len)
		return 0;
	for (i++; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			if (i + 2 >= len || !is_hex(s[i + 1]) || !is_hex(s[i + 2]))
				return 0;
			i += 2;
			continue;
		}
		if (c <= ' ' || c >= 0x7f || strchr("\"<>\\^`{|}", c))
			return 0;
	}
	return 1;
}

/* 8-4-4-4-12 hex digits. */
static int check_uuid(const char *s, size_t len)
{
	if (len != 36)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!is_hex(s[i])) {
			return 0;
		}
	}
	return 1;
}

int lps_format_check(enum lps_format f, const char *s, size_t len)
{
	switch (f) {
	case LPS_FORMAT_DATE: return check_date(s, len);
	case LPS_FORMAT_DATE_TIME: return check_date_time(s, len);
	case LPS_FORMAT_TIME: return check_time(s, len);
	case LPS_FORMAT_EMAIL: return check_email(s, len);
	case LPS_FORMAT_URI: return check_uri(s, len);
	case LPS_FORMAT_UUID: return check_uuid(s, len);
	case LPS_FORMAT_UNKNOWN: break;
	}
	return 1;
}
