#include "pattern.h"

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
