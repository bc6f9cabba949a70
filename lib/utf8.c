#include "utf8.h"

#include <string.h>

/* Documents are mostly ASCII: both scans step over 8 bytes at a time
 * where they can. */
#define HIGH_BITS 0x8080808080808080u

static uint64_t load8(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, sizeof(w));
	return w;
}

size_t lps_utf8_check(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		while (n - i >= 16 &&
		       !((load8(s + i) | load8(s + i + 8)) & HIGH_BITS))
			i += 16;
		while (n - i >= 8 && !(load8(s + i) & HIGH_BITS))
			i += 8;
		if (i == n)
			break;
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len;
		uint32_t cp, min;
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2; cp = c & 0x1f; min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3; cp = c & 0x0f; min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4; cp = c & 0x07; min = 0x10000;
		} else {
			return i;
		}
		if (n - i < len)
			return i;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += len;
	}
	return n;
}

size_t lps_utf8_count(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t count = 0, i = 0;
	for (; n - i >= 8; i += 8) {
		/* A continuation byte has bit 7 set and bit 6 clear; w << 1
		 * brings each byte's bit 6 under its bit 7. */
		uint64_t w = load8(s + i);
		uint64_t cont = w & ~(w << 1) & HIGH_BITS;
		count += 8 - (size_t)(((cont >> 7) * 0x0101010101010101u) >> 56);
	}
	for (; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			count++;
	return count;
}

uint32_t lps_utf8_next(const char *str, size_t n, size_t *i)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c = s[*i];
	size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if (len > 1)
		c &= 0xff >> (len + 1);
	for (size_t k = 1; k < len && *i + k < n; k++)
		c = (c << 6) | (s[*i + k] & 0x3f);
	*i += len;
	return c;
}
