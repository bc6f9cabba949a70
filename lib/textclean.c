/*
 * textclean.c - tidying free text, comment templates, first lines.
 */
#include "textclean.h"

#include <string.h>

#include "utf8.h"

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

int lps_textclean_blank(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!blank(text[i]) && text[i] != '\n')
			return 0;
	return 1;
}

int lps_textclean_answer(const char *text, size_t len, int dflt)
{
	static const char *const words[] = { "n", "no", "y", "yes" };
	size_t s = 0, e = len;

	while (s < e && (blank(text[s]) || text[s] == '\n'))
		s++;
	while (e > s && (blank(text[e - 1]) || text[e - 1] == '\n'))
		e--;
	if (s == e)
		return dflt;
	for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
		size_t n = strlen(words[w]), i = 0;
		while (i < n && s + i < e &&
		       (text[s + i] | 0x20) == words[w][i])
			i++;
		if (i == n && s + n == e)
			return words[w][0] == 'y';
	}
	return -1;
}

struct lps_error *lps_textclean_tidy(struct lps_buf *out, const char *text,
				     size_t len, int strip_comments)
{
	size_t pending_blank = 0; /* blank lines seen since the last text */
	size_t i = 0;

	lps_buf_reset(out);
	if (lps_buf_add(out, "", 0) < 0)
		return lps_error_nomem();
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t e = end;
		while (e > i && blank(text[e - 1]))
			e--;
		if (strip_comments && text[i] == '#') {
			/* a comment line vanishes without leaving a gap */
		} else if (e == i) {
			pending_blank++;
		} else {
			int bad = 0;
			if (out->len)
				bad = lps_buf_adds(out,
						   pending_blank ? "\n\n" : "\n");
			bad = bad || lps_buf_add(out, text + i, e - i) < 0;
			if (bad)
				return lps_error_nomem();
			pending_blank = 0;
		}
		i = end + 1;
	}
	return NULL;
}

int lps_textclean_comment(struct lps_buf *out, const char *text,
			  size_t width)
{
	size_t i = 0, len = strlen(text);

	if (!len)
		return lps_buf_adds(out, "#\n");
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t col = 1;
		int bad = lps_buf_addc(out, '#') < 0;
		while (i < end && !bad) {
			while (i < end && text[i] == ' ')
				i++;
			size_t w = i;
			while (w < end && text[w] != ' ')
				w++;
			if (w == i)
				break;
			size_t cps = lps_utf8_count(text + i, w - i);
			if (col > 1 && col + 1 + cps > width) {
				bad = lps_buf_adds(out, "\n#") < 0;
				col = 1;
			}
			bad = bad || lps_buf_addc(out, ' ') < 0 ||
			      lps_buf_add(out, text + i, w - i) < 0;
			col += 1 + cps;
			i = w;
		}
		if (bad || lps_buf_addc(out, '\n') < 0)
			return -1;
		i = end + 1;
	}
	return 0;
}

int lps_textclean_first_line(struct lps_buf *out, const char *text,
			     size_t max)
{
	size_t len = strlen(text), i = 0;

	lps_buf_reset(out);
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t s = i, e = end;
		while (s < e && blank(text[s]))
			s++;
		while (e > s && blank(text[e - 1]))
			e--;
		if (e > s) {
			if (lps_utf8_count(text + s, e - s) <= max)
				return lps_buf_add(out, text + s, e - s);
			/* keep max - 3 code points, then "..." */
			size_t keep = max > 3 ? max - 3 : 0, k = s;
			for (size_t n = 0; n < keep; n++)
				lps_utf8_next(text, e, &k);
			return lps_buf_add(out, text + s, k - s) < 0 ||
			       lps_buf_add(out, "...", max < 3 ? max : 3) < 0
				       ? -1 : 0;
		}
		i = end + 1;
	}
	return lps_buf_adds(out, "");
}
