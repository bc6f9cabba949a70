/*
 * pattern.h - ECMA-262 regular expressions (as JSON Schema's "pattern" and
 * "patternProperties" use them) translated to POSIX extended regexes.
 *
 * What translates: literals and escaped punctuation, . (not a newline),
 * \d \D \w \W \s \S (ASCII classes), \t \n \r \f \v \uXXXX, character
 * classes with ranges and \d \w \s inside, groups (including (?:...)),
 * alternation, anchors ^ $, quantifiers * + ? {n} {n,} {n,m} and their
 * lazy forms (laziness does not change whether a string matches).
 * \p{L} / \p{Letter} is approximated as "an ASCII letter or any non-ASCII
 * character".  Everything else (lookaround, backreferences, \b, named
 * groups, other \p classes) is refused, never guessed.
 */
#ifndef LPS_PATTERN_H
#define LPS_PATTERN_H

#include <regex.h>
#include <stddef.h>

/* Results of lps_pattern_compile. */
enum {
	LPS_PATTERN_OK = 0,
	LPS_PATTERN_UNSUPPORTED = -1, /* *why says what could not be translated */
	LPS_PATTERN_NOMEM = -2,
};

/*
 * Translate pattern[0..len) and compile it into *re (REG_EXTENDED |
 * REG_NOSUB).  On LPS_PATTERN_OK the caller owns *re and releases it with
 * regfree().  On LPS_PATTERN_UNSUPPORTED, *why is a static explanation.
 */
int lps_pattern_compile(regex_t *re, const char *pattern, size_t len,
		      const char **why);

/* 1 when s[0..len) contains a match of re, else 0. */
int lps_pattern_match(const regex_t *re, const char *s, size_t len);

#endif
