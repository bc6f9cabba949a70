#include "pattern.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* Longest pattern we translate; schemas are small and this bounds work. */
#define MAX_PATTERN 4096

/* Any non-ASCII byte/character: in the C locale one byte, in a UTF-8
 * locale one code point; either way "not ASCII". */
#define NON_ASCII "[^\x01-\x7f]"

static int add(struct lps_buf *b, const char *s)
{
	return lps_buf_adds(b, s);
}

/* Append code point cp as UTF-8. */
static int add_cp(struct lps_buf *b, unsigned cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	}
	return lps_buf_add(b, u, n);
}

/* Append literal character c outside a bracket, escaping ERE specials. */
static int add_literal(struct lps_buf *b, unsigned cp)
{
	if (cp < 0x80 && strchr(".[]()*+?{}|^$\\", (int)cp)) {
		char e[3] = { '\\', (char)cp, 0 };
		return add(b, e);
	}
	return add_cp(b, cp);
}

static int hex4(const char *p, size_t left, unsigned *cp)
{
	if (left < 4)
		return -1;
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	if (v == 0 || (v >= 0xd800 && v <= 0xdfff))
		return -1;
	*cp = v;
	return 0;
}

/* Simple control escapes shared by both contexts; 0 if c is not one. */
static unsigned control_escape(char c)
{
	switch (c) {
	case 't': return '\t';
	case 'n': return '\n';
	case 'r': return '\r';
	case 'f': return '\f';
	case 'v': return '\v';
	default: return 0;
	}
}

/*
 * Translate a bracket expression starting after '['; *i is advanced past
 * the closing ']'.  POSIX brackets have no escapes, so ']' must come first,
 * '-' last and '^' not first.
 */
static int bracket(struct lps_buf *b, const char *p, size_t n, size_t *i,
		   const char **why)
{
	struct lps_buf body = LPS_BUF_INIT;
	int neg = 0, has_rbr = 0, has_dash = 0, has_caret = 0;
	int rc = LPS_PATTERN_NOMEM;
	size_t k = *i;
	if (k < n && p[k] == '^') {
		neg = 1;
		k++;
	}
	for (;;) {
		if (k >= n) {
			*why = "unterminated character class";
			rc = LPS_PATTERN_UNSUPPORTED;
			goto out;
		}
		char c = p[k];
		if (c == ']')
			break;
		unsigned cp;
		if (c == '\\') {
			if (k + 1 >= n) {
				*why = "pattern ends with a backslash";
				rc = LPS_PATTERN_UNSUPPORTED;
				goto out;
			}
			char e = p[k + 1];
			k += 2;
			const char *cls = NULL;
			if (e == 'd')
				cls = "0-9";
			else if (e == 'w')
				cls = "A-Za-z0-9_";
			else if (e == 's')
				cls = "[:space:]";
			if (cls) {
				if (add(&body, cls) < 0)
					goto out;
				continue;
			}
			if (e == 'D' || e == 'W' || e == 'S' || e == 'p' ||
			    e == 'P' || e == 'b' || (e >= '0' && e <= '9')) {
				*why = "this escape inside a character class";
				rc = LPS_PATTERN_UNSUPPORTED;
				goto out;
			}
			if (e == 'u') {
				if (hex4(p + k, n - k, &cp) < 0) {
					*why = "bad \\u escape";
					rc = LPS_PATTERN_UNSUPPORTED;
					goto out;
				}
				k += 4;
			} else if (control_escape(e)) {
				cp = control_escape(e);
			} else {
				cp = (unsigned char)e;
			}
		} else {
			cp = (unsigned char)c;
			k++;
			if (cp >= 0x80) {
				/* copy the whole UTF-8 sequence as it is */
				size_t s = k - 1;
				while (k < n && ((unsigned char)p[k] & 0xc0) == 0x80)
					k++;
				if (lps_buf_add(&body, p + s, k - s) < 0)
					goto out;
				continue;
			}
		}
		/* A range a-b: keep the '-' between two literals. */
		if (k + 1 < n && p[k] == '-' && p[k + 1] != ']') {
			unsigned hi;
			size_t j = k + 1;
			if (p[j] == '\\') {
				if (j + 1 >= n) {
					*why = "pattern ends with a backslash";
					rc = LPS_PATTERN_UNSUPPORTED;
					goto out;
				}
				char e = p[j + 1];
				if (control_escape(e))
					hi = control_escape(e), j += 2;
				else if (e == 'u' && !hex4(p + j + 2, n - j - 2, &hi))
					j += 6;
				else if (strchr("dDwWsSpPb0123456789", e)) {
					*why = "a class escape as a range end";
					rc = LPS_PATTERN_UNSUPPORTED;
					goto out;
				} else
					hi = (unsigned char)e, j += 2;
			} else {
				hi = (unsigned char)p[j];
				j++;
				if (hi >= 0x80) {
					*why = "a non-ASCII character as a range end";
					rc = LPS_PATTERN_UNSUPPORTED;
					goto out;
				}
			}
			if (hi < cp) {
				*why = "a character range out of order";
				rc = LPS_PATTERN_UNSUPPORTED;
				goto out;
			}
			if (cp >= 0x80) {
				*why = "a non-ASCII character as a range end";
				rc = LPS_PATTERN_UNSUPPORTED;
				goto out;
			}
			/* ']', '-' and '^' as range ends are awkward in POSIX */
			if (strchr("]-^[", (int)cp) || strchr("]-^[", (int)hi)) {
				*why = "a range that starts or ends with ] - ^ [";
				rc = LPS_PATTERN_UNSUPPORTED;
				goto out;
			}
			if (add_cp(&body, cp) < 0 || lps_buf_addc(&body, '-') < 0 ||
			    add_cp(&body, hi) < 0)
				goto out;
			k = j;
			continue;
		}
		if (cp == ']')
			has_rbr = 1;
		else if (cp == '-')
			has_dash = 1;
		else if (cp == '^')
			has_caret = 1;
		else if (cp == '[') {
			/* "[." "[=" "[:" would open a POSIX sub-bracket */
			if (lps_buf_add(&body, "[", 1) < 0)
				goto out;
			if (k < n && strchr(".=:", p[k])) {
				*why = "'[' followed by . = or : in a class";
				rc = LPS_PATTERN_UNSUPPORTED;
				goto out;
			}
		} else if (add_cp(&body, cp) < 0)
			goto out;
	}
	*i = k + 1;
	if (!body.len && !has_rbr && !has_dash && !has_caret) {
		/* [^] matches any character; [] can never match */
		if (!neg) {
			*why = "an empty character class";
			rc = LPS_PATTERN_UNSUPPORTED;
			goto out;
		}
		rc = add(b, "(.|\n)") < 0 ? LPS_PATTERN_NOMEM : LPS_PATTERN_OK;
		goto out;
	}
	if (lps_buf_addc(b, '[') < 0 || (neg && lps_buf_addc(b, '^') < 0) ||
	    (has_rbr && lps_buf_addc(b, ']') < 0) ||
	    (body.len && lps_buf_add(b, body.data, body.len) < 0) ||
	    (has_caret && lps_buf_addc(b, '^') < 0) ||
	    (has_dash && lps_buf_addc(b, '-') < 0) || lps_buf_addc(b, ']') < 0)
		goto out;
	if (!neg && !has_rbr && !body.len && has_caret && !has_dash) {
		/* "[^]" would read as an open negation: spell it plainly */
		b->len -= 3;
		if (add(b, "\\^") < 0)
			goto out;
	}
	rc = LPS_PATTERN_OK;
out:
	lps_buf_free(&body);
	return rc;
}

static int translate(struct lps_buf *b, const char *p, size_t n,
		     const char **why)
{
	int depth = 0;
	/* whether the last item can take a quantifier */
	int atom = 0;
	size_t i = 0;
	while (i < n) {
		char c = p[i];
		int next_atom = 1;
		int rc = 0;
		switch (c) {
		case '\\': {
			if (i + 1 >= n) {
				*why = "pattern ends with a backslash";
				return LPS_PATTERN_UNSUPPORTED;
			}
			char e = p[i + 1];
			i += 2;
			unsigned cp;
			switch (e) {
			case 'd': rc = add(b, "[0-9]"); break;
			case 'D': rc = add(b, "[^0-9]"); break;
			case 'w': rc = add(b, "[A-Za-z0-9_]"); break;
			case 'W': rc = add(b, "[^A-Za-z0-9_]"); break;
			case 's': rc = add(b, "[[:space:]]"); break;
			case 'S': rc = add(b, "[^[:space:]]"); break;
			case 'p':
				if (i < n && p[i] == '{') {
					const char *end = memchr(p + i, '}', n - i);
					size_t k = end ? (size_t)(end - p - i - 1) : 0;
					if (end && ((k == 1 && p[i + 1] == 'L') ||
						    (k == 6 && !memcmp(p + i + 1,
								       "Letter", 6)))) {
						rc = add(b, "([A-Za-z]|" NON_ASCII ")");
						i = (size_t)(end - p) + 1;
						break;
					}
				}
				*why = "this Unicode property class";
				return LPS_PATTERN_UNSUPPORTED;
			case 'u':
				if (hex4(p + i, n - i, &cp) < 0) {
					*why = "bad \\u escape";
					return LPS_PATTERN_UNSUPPORTED;
				}
				i += 4;
				rc = add_literal(b, cp);
				break;
			default:
				if (control_escape(e)) {
					rc = add_cp(b, control_escape(e));
				} else if ((e >= 'a' && e <= 'z') ||
					   (e >= 'A' && e <= 'Z') ||
					   (e >= '0' && e <= '9')) {
					*why = e == 'b' || e == 'B'
						       ? "word boundaries (\\b)"
						       : "this escape (backreference "
							 "or unknown letter)";
					return LPS_PATTERN_UNSUPPORTED;
				} else {
					rc = add_literal(b, (unsigned char)e);
				}
			}
			break;
		}
		case '[':
			i++;
			rc = bracket(b, p, n, &i, why);
			if (rc != LPS_PATTERN_OK)
				return rc;
			break;
		case '(':
			if (i + 1 < n && p[i + 1] == '?') {
				if (i + 2 < n && p[i + 2] == ':') {
					i += 3;
				} else {
					*why = "lookaround and named groups";
					return LPS_PATTERN_UNSUPPORTED;
				}
			} else {
				i++;
			}
			if (++depth > 64) {
				*why = "groups nested too deeply";
				return LPS_PATTERN_UNSUPPORTED;
			}
			rc = add(b, "(");
			next_atom = 0;
			break;
		case ')':
			if (depth == 0) {
				*why = "unbalanced ')'";
				return LPS_PATTERN_UNSUPPORTED;
			}
			depth--;
			i++;
			/* POSIX refuses "()": an empty group matches "" */
			if (b->len && b->data[b->len - 1] == '(')
				rc = add(b, "x{0})");
			else
				rc = add(b, ")");
			break;
		case '|':
			i++;
			rc = add(b, "|");
			next_atom = 0;
			break;
		case '^':
		case '$':
			i++;
			rc = lps_buf_addc(b, c);
			next_atom = 0;
			break;
		case '.':
			i++;
			rc = add(b, "[^\n\r]");
			break;
		case '*':
		case '+':
		case '?':
		case '{': {
			size_t start = i;
			if (c == '{') {
				size_t k = i + 1;
				int digits = 0, comma = 0;
				while (k < n && ((p[k] >= '0' && p[k] <= '9') ||
						 (p[k] == ',' && !comma++)))
					digits += p[k] != ',', k++;
				if (k >= n || p[k] != '}' || !digits ||
				    p[i + 1] == ',') {
					/* ECMA takes a stray '{' literally */
					i++;
					rc = add(b, "\\{");
					break;
				}
				i = k + 1;
			} else {
				i++;
			}
			if (!atom) {
				*why = "a quantifier with nothing to repeat";
				return LPS_PATTERN_UNSUPPORTED;
			}
			rc = lps_buf_add(b, p + start, i - start);
			if (i < n && p[i] == '?')
				i++; /* lazy: same set of matching strings */
			if (i < n && strchr("*+?{", p[i]) && p[i] != '{') {
				*why = "a quantifier after a quantifier";
				return LPS_PATTERN_UNSUPPORTED;
			}
			next_atom = 0;
			break;
		}
		case ']':
		case '}':
			i++;
			rc = add_literal(b, (unsigned char)c);
			break;
		default: {
			size_t s = i++;
			while (i < n && ((unsigned char)p[i] & 0xc0) == 0x80)
				i++;
			if (i - s == 1)
				rc = add_literal(b, (unsigned char)c);
			else if (lps_buf_addc(b, '(') < 0 ||
				 lps_buf_add(b, p + s, i - s) < 0 ||
				 lps_buf_addc(b, ')') < 0)
				rc = -1;
			break;
		}
		}
		if (rc < 0)
			return LPS_PATTERN_NOMEM;
		atom = next_atom;
	}
	if (depth) {
		*why = "unbalanced '('";
		return LPS_PATTERN_UNSUPPORTED;
	}
	return LPS_PATTERN_OK;
}

int lps_pattern_compile(regex_t *re, const char *pattern, size_t len,
		      const char **why)
{
	static const char *unused;
	if (!why)
		why = &unused;
	if (len > MAX_PATTERN) {
		*why = "pattern too long";
		return LPS_PATTERN_UNSUPPORTED;
	}
	if (memchr(pattern, '\0', len)) {
		*why = "a NUL character";
		return LPS_PATTERN_UNSUPPORTED;
	}
	struct lps_buf b = LPS_BUF_INIT;
	int rc = translate(&b, pattern, len, why);
	if (rc == LPS_PATTERN_OK) {
		/* an empty ERE is not portable; "()" is not either */
		const char *ere = b.len ? b.data : "x{0}";
		int r = regcomp(re, ere, REG_EXTENDED | REG_NOSUB);
		if (r == REG_ESPACE) {
			rc = LPS_PATTERN_NOMEM;
		} else if (r != 0) {
			*why = "a construct the system regex library refuses";
			rc = LPS_PATTERN_UNSUPPORTED;
		}
	}
	lps_buf_free(&b);
	return rc;
}

int lps_pattern_match(const regex_t *re, const char *s, size_t len)
{
#ifdef REG_STARTEND
	regmatch_t m[1];
	m[0].rm_so = 0;
	m[0].rm_eo = (regoff_t)len;
	return regexec(re, s, 1, m, REG_STARTEND) == 0;
#else
	(void)len;
	return regexec(re, s, 0, NULL, 0) == 0;
#endif
}

/* ------------------------------------------------------ the fast path */

#define FAST_MAX_ITEMS 32
#define FAST_MAX_COUNT 100000
#define FAST_INF UINT32_MAX

/* One run: between min and max bytes of set (max FAST_INF: no limit). */
struct fast_item {
	uint8_t set[32];  /* bit b of set[b >> 3]: byte b matches; never NUL */
	uint32_t min, max;
	int wide;         /* set holds bytes >= 0x80 */
};

struct lps_pattern_fast {
	size_t n;
	int contains;     /* one unanchored atom: "does the subject hold a
			     byte of item[0].set?" (fast_contains) */
	struct fast_item item[FAST_MAX_ITEMS];
};

static void set_add(uint8_t *set, unsigned lo, unsigned hi)
{
	for (unsigned c = lo; c <= hi; c++)
		set[c >> 3] |= (uint8_t)(1u << (c & 7));
}

static int set_has(const uint8_t *set, unsigned char c)
{
	return set[c >> 3] >> (c & 7) & 1;
}

/* \d and \w (ASCII, as the translation has them); 0 for other letters. */
static int class_escape(uint8_t *set, char e)
{
	if (e == 'd') {
		set_add(set, '0', '9');
	} else if (e == 'w') {
		set_add(set, '0', '9');
		set_add(set, 'A', 'Z');
		set_add(set, 'a', 'z');
		set_add(set, '_', '_');
	} else {
		return 0;
	}
	return 1;
}

/* The byte an escape \e stands for as a literal, or -1: control
 * escapes and escaped ASCII punctuation only. */
static int literal_escape(char e)
{
	if (control_escape(e))
		return (int)control_escape(e);
	unsigned char c = (unsigned char)e;
	if (c > 0x20 && c < 0x7f && !(c >= '0' && c <= '9') &&
	    !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z'))
		return c;
	return -1;
}

/* Every byte but NUL and those in set (a negation: also every byte
 * from 0x80, one code point's worth each in the C locale). */
static void set_negate(uint8_t *set)
{
	for (int i = 0; i < 32; i++)
		set[i] = (uint8_t)~set[i];
	set[0] &= (uint8_t)~1u;
}

/* A class after '[' at p[*i]; -1 when the fast path does not take it. */
static int fast_class(struct fast_item *it, const char *p, size_t n,
		      size_t *i)
{
	size_t k = *i;
	int neg = 0;
	if (k < n && p[k] == '^') {
		neg = 1;
		k++;
	}
	int empty = 1;
	while (k < n && p[k] != ']') {
		int lo;
		if ((unsigned char)p[k] >= 0x80)
			return -1;
		if (p[k] == '\\') {
			if (k + 1 >= n)
				return -1;
			if (class_escape(it->set, p[k + 1])) {
				k += 2;
				empty = 0;
				continue;
			}
			lo = literal_escape(p[k + 1]);
			if (lo < 0)
				return -1;
			k += 2;
		} else {
			lo = (unsigned char)p[k++];
		}
		int hi = lo;
		if (k + 1 < n && p[k] == '-' && p[k + 1] != ']') {
			if (p[k + 1] == '\\') {
				if (k + 2 >= n)
					return -1;
				hi = literal_escape(p[k + 2]);
				k += 3;
			} else {
				hi = (unsigned char)p[k + 1];
				k += 2;
			}
			if (hi < lo || hi >= 0x80)
				return -1;
		}
		set_add(it->set, (unsigned)lo, (unsigned)hi);
		empty = 0;
	}
	if (k >= n || empty)
		return -1;
	if (neg) {
		set_negate(it->set);
		it->wide = 1;
	}
	*i = k + 1;
	return 0;
}

static int fast_number(const char *p, size_t n, size_t *i, uint32_t *v)
{
	size_t k = *i;
	uint32_t x = 0;
	if (k >= n || p[k] < '0' || p[k] > '9')
		return -1;
	for (; k < n && p[k] >= '0' && p[k] <= '9'; k++) {
		x = x * 10 + (uint32_t)(p[k] - '0');
		if (x > FAST_MAX_COUNT)
			return -1;
	}
	*i = k;
	*v = x;
	return 0;
}

/* The count after an atom at p[*i] (1..1 when there is none). */
static int fast_count(struct fast_item *it, const char *p, size_t n,
		      size_t *i)
{
	size_t k = *i;
	it->min = it->max = 1;
	if (k < n && p[k] == '*') {
		it->min = 0;
		it->max = FAST_INF;
		k++;
	} else if (k < n && p[k] == '+') {
		it->max = FAST_INF;
		k++;
	} else if (k < n && p[k] == '?') {
		it->min = 0;
		k++;
	} else if (k < n && p[k] == '{') {
		k++;
		if (fast_number(p, n, &k, &it->min) < 0)
			return -1;
		it->max = it->min;
		if (k < n && p[k] == ',') {
			k++;
			it->max = FAST_INF;
			if (k < n && p[k] != '}' &&
			    fast_number(p, n, &k, &it->max) < 0)
				return -1;
		}
		if (k >= n || p[k] != '}' || it->max < it->min)
			return -1;
		k++;
	} else {
		*i = k;
		return 0;
	}
	if (k < n && p[k] == '?')
		k++;  /* lazy: the same strings match */
	if (k < n && strchr("*+?{", p[k]))
		return -1;
	*i = k;
	return 0;
}

static int sets_meet(const uint8_t *a, const uint8_t *b)
{
	for (int i = 0; i < 32; i++)
		if (a[i] & b[i])
			return 1;
	return 0;
}

/*
 * Greedy runs give regexec's answer when no variable run can give up
 * bytes to what follows it: its set shares no byte with the items after
 * it, up to the first one that must match at least once.
 */
static int fast_greedy_exact(const struct lps_pattern_fast *f)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct fast_item *a = &f->item[i];
		if (a->min == a->max)
			continue;
		for (size_t j = i + 1; j < f->n; j++) {
			if (sets_meet(a->set, f->item[j].set))
				return 0;
			if (f->item[j].min > 0)
				break;
		}
	}
	return 1;
}

/* The ASCII bytes of [[:space:]], as every locale has them. */
static void space_set(uint8_t *set)
{
	set_add(set, ' ', ' ');
	set_add(set, '\t', '\r'); /* \t \n \v \f \r */
}

/*
 * One atom at p[*i] (before end) into it->set: a bracket class, '.', an
 * escape or a literal; \s and \S only when spaces is set (the locale
 * decides what they match beyond ASCII).  -1 when the fast path does
 * not take it.
 */
static int fast_atom(struct fast_item *it, const char *p, size_t end,
		     size_t *i, int spaces)
{
	unsigned char c = (unsigned char)p[*i];
	if (c >= 0x80 || strchr("()|^$*+?{}]", c))
		return -1;
	if (c == '[') {
		(*i)++;
		return fast_class(it, p, end, i);
	}
	if (c == '.') {
		set_add(it->set, 1, 0xff);
		it->set['\n' >> 3] &= (uint8_t)~(1u << ('\n' & 7));
		it->set['\r' >> 3] &= (uint8_t)~(1u << ('\r' & 7));
		it->wide = 1;
		(*i)++;
		return 0;
	}
	if (c != '\\') {
		set_add(it->set, c, c);
		(*i)++;
		return 0;
	}
	if (*i + 1 >= end)
		return -1;
	char e = p[*i + 1];
	int lit = literal_escape(e);
	if (spaces && (e == 's' || e == 'S')) {
		space_set(it->set);
		if (e == 'S') {
			set_negate(it->set);
			it->wide = 1;
		}
	} else if (e == 'D' || e == 'W') {
		class_escape(it->set, (char)(e - 'A' + 'a'));
		set_negate(it->set);
		it->wide = 1;
	} else if (!class_escape(it->set, e)) {
		if (lit < 0)
			return -1;
		set_add(it->set, (unsigned)lit, (unsigned)lit);
	}
	*i += 2;
	return 0;
}

/*
 * A pattern of one atom, neither anchored nor counted: \s, \S, \d, \w,
 * a bracket class or a literal (the schemas' "\S": not blank).  The
 * subject matches when it holds one byte of the set; fast_contains
 * decides on ASCII bytes alone, which mean the same in every locale, and
 * leaves a subject whose only candidates are non-ASCII to regexec.
 */
static struct lps_pattern_fast *contains_compile(const char *p, size_t n)
{
	struct lps_pattern_fast *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	size_t i = 0;
	if (fast_atom(&f->item[0], p, n, &i, 1) < 0 || i != n) {
		free(f);
		return NULL;
	}
	f->n = 1;
	f->contains = 1;
	return f;
}

/* 1 or 0 as regexec would answer for a contains_compile pattern, or -1
 * when only non-ASCII bytes could match (regexec decides). */
static int fast_contains(const struct lps_pattern_fast *f, const char *str,
			 size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	int wide = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] >= 0x80)
			wide = 1;
		else if (set_has(f->item[0].set, s[i]))
			return 1;
	}
	return wide ? -1 : 0;
}

/* The fast matcher of p[0..n), or NULL when it does not apply. */
static struct lps_pattern_fast *fast_compile(const char *p, size_t n)
{
	if (n >= 1 && p[0] != '^' && p[n - 1] != '$')
		return contains_compile(p, n);
	if (n < 2 || p[0] != '^' || p[n - 1] != '$')
		return NULL;
	size_t bs = 0;
	while (bs < n - 1 && p[n - 2 - bs] == '\\')
		bs++;
	if (bs % 2)
		return NULL;  /* "\$" is a literal dollar */
	struct lps_pattern_fast *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	size_t i = 1, end = n - 1;
	while (i < end) {
		if (f->n == FAST_MAX_ITEMS)
			goto no;
		struct fast_item *it = &f->item[f->n++];
		if (fast_atom(it, p, end, &i, 0) < 0)
			goto no;
		if (fast_count(it, p, end, &i) < 0)
			goto no;
		/* In a multibyte locale regexec counts code points where
		 * we count bytes: only "any number" and "at least one" of
		 * a class with non-ASCII bytes come out the same. */
		if (it->wide && MB_CUR_MAX > 1 &&
		    (it->max != FAST_INF || it->min > 1))
			goto no;
	}
	if (!fast_greedy_exact(f))
		goto no;
	return f;
no:
	free(f);
	return NULL;
}

static int fast_match(const struct lps_pattern_fast *f, const char *str,
		      size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t pos = 0;
	for (size_t i = 0; i < f->n; i++) {
		const struct fast_item *it = &f->item[i];
		uint32_t k = 0;
		while (k < it->max && pos < len && set_has(it->set, s[pos])) {
			pos++;
			k++;
		}
		if (k < it->min)
			return 0;
	}
	return pos == len;
}

int lps_pattern_init(struct lps_pattern *p, const char *pattern, size_t len,
		     const char **why)
{
	p->fast = NULL;
	int rc = lps_pattern_compile(&p->re, pattern, len, why);
	if (rc == LPS_PATTERN_OK)
		p->fast = fast_compile(pattern, len);
	return rc;
}

int lps_pattern_test(const struct lps_pattern *p, const char *s, size_t len)
{
	/* A NUL byte: regexec's own rules, whatever they are. */
	if (p->fast && !memchr(s, '\0', len)) {
		if (!p->fast->contains)
			return fast_match(p->fast, s, len);
		int r = fast_contains(p->fast, s, len);
		if (r >= 0)
			return r;
	}
	return lps_pattern_match(&p->re, s, len);
}

void lps_pattern_free(struct lps_pattern *p)
{
	regfree(&p->re);
	free(p->fast);
	p->fast = NULL;
}
