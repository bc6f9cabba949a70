/*
 * test-utf8.c - the UTF-8 checks, against a byte-at-a-time reference
 * on every alignment (the scans take 8 bytes at a time where they can).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* The reference: where a well-formed sequence cannot start or go on. */
static size_t ref_check(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t len;
		uint32_t cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			len = 2, cp = c & 0x1f, min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3, cp = c & 0x0f, min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4, cp = c & 0x07, min = 0x10000;
		} else {
			return i;
		}
		if (n - i < len)
			return i;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += len;
	}
	return n;
}

static size_t ref_count(const unsigned char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += (s[i] & 0xc0) != 0x80;
	return c;
}

static void test_known(void **state)
{
	(void)state;
	assert_int_equal(lps_utf8_check("", 0), 0);
	assert_int_equal(lps_utf8_check("plain ascii text here", 21), 21);
	assert_int_equal(lps_utf8_check("caf\xc3\xa9 au lait, s'il vous", 25),
			 25);
	assert_int_equal(lps_utf8_check("0123456789abcdef\xc0\x80", 18), 16);
	assert_int_equal(lps_utf8_check("01234567\xed\xa0\x80", 11), 8);
	assert_int_equal(lps_utf8_check("0123456789\xf4\x90\x80\x80", 14), 10);
	assert_int_equal(lps_utf8_check("abcdefgh\xe2\x82", 10), 8);
	assert_int_equal(lps_utf8_count("0123456789abcdef", 16), 16);
	assert_int_equal(lps_utf8_count("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 8),
			 4);
	assert_int_equal(lps_utf8_count("\xf0\x9f\x99\x82 smile \xe2\x82\xac",
					 14), 9);
}

/* Random mixes of ASCII, well-formed and broken sequences, every
 * start offset and length: the same answers as the reference. */
static void test_random_against_reference(void **state)
{
	(void)state;
	static const char *const pieces[] = {
		"a", "0123456789", " ", "\n", "\xc3\xa9", "\xe2\x82\xac",
		"\xf0\x9f\x99\x82", "\x80", "\xc0\xaf", "\xed\xa0\x80",
		"\xf5\x80\x80\x80", "\xe2\x82", "\x7f", "ABCDEFGHIJKLMNOP",
	};
	size_t np = sizeof(pieces) / sizeof(*pieces);
	unsigned char buf[256];
	srand(12345);
	for (int round = 0; round < 3000; round++) {
		size_t n = 0;
		while (n < 200) {
			const char *p = pieces[(size_t)rand() % np];
			/* mostly ASCII, like documents */
			if (rand() % 4)
				p = pieces[rand() % 2 ? 1 : 0];
			size_t k = strlen(p);
			memcpy(buf + n, p, k);
			n += k;
		}
		size_t from = (size_t)rand() % 9, len = (size_t)rand() % (n - from);
		const unsigned char *s = buf + from;
		assert_int_equal(lps_utf8_check((const char *)s, len),
				 ref_check(s, len));
		assert_int_equal(lps_utf8_count((const char *)s, len),
				 ref_count(s, len));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known),
		cmocka_unit_test(test_random_against_reference),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
