/*
 * utf8.h - UTF-8 checks shared by the loader, the validator and the
 * writers.
 */
#ifndef LPS_UTF8_H
#define LPS_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Offset of the first byte of s[0..n) that is not part of well-formed
 * UTF-8 (overlong forms, surrogates and code points past U+10FFFF are
 * ill-formed), or n when all of it is well-formed.
 */
size_t lps_utf8_check(const char *s, size_t n);

/* Number of code points in well-formed UTF-8 s[0..n). */
size_t lps_utf8_count(const char *s, size_t n);

/*
 * Decode the code point at s[*i] (i < n) of well-formed UTF-8, advancing
 * *i past it.
 */
uint32_t lps_utf8_next(const char *s, size_t n, size_t *i);

#endif
