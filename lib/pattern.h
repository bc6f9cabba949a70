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

/*
 * A compiled pattern with a fast path.  Most schema patterns are
 * anchored runs of literals and ASCII classes with counts
 * (^g-[0-9a-f]{8}$, ^[a-z][a-z0-9-]{0,31}$); those are also compiled into
 * a small matcher that walks the subject once, without regexec.  It is
 * used only where it gives the same answer as regexec for every subject
 * (anchored at both ends; each variable count followed by what cannot
 * continue it, so no backtracking is needed; no \s or non-ASCII in the
 * pattern; classes that match non-ASCII only as * or + in a multibyte
 * locale; subjects with a NUL byte go to regexec).  A pattern of one
 * atom, neither anchored nor counted (\S: "not blank"), has a fast path
 * too: a scan for one ASCII byte of its set; a subject in which only
 * non-ASCII bytes could match goes to regexec, whose classes follow the
 * locale there.  Everything else runs through re alone.
 */
struct lps_pattern_fast;

struct lps_pattern {
	regex_t re;                    /* always compiled */
	struct lps_pattern_fast *fast; /* the fast matcher, or NULL */
};

/*
 * lps_pattern_compile() into p->re, plus the fast matcher when the
 * pattern allows one (running out of memory for it only leaves it out).
 * Results as lps_pattern_compile; on LPS_PATTERN_OK the caller releases
 * p with lps_pattern_free().
 */
int lps_pattern_init(struct lps_pattern *p, const char *pattern, size_t len,
		     const char **why);

/* 1 when s[0..len) contains a match of p, else 0 (as lps_pattern_match). */
int lps_pattern_test(const struct lps_pattern *p, const char *s, size_t len);

/* Release what lps_pattern_init made; p may then be initialised again. */
void lps_pattern_free(struct lps_pattern *p);

#endif
