/*
 * doc_emit.c - canonical YAML and JSON writers for doc trees.
 *
 * The YAML form is what lps writes to portfolios, so it must be stable
 * (the same tree always gives the same bytes) and must read back, through
 * lps's own loader, as an equal tree.  Style choices, in order:
 *   - a string is plain when the loader would read the same text back as
 *     a string and nothing in it is special to YAML;
 *   - else, text of several lines that is otherwise clean is a literal
 *     block scalar (`|` or `|-`, with an indentation indicator when its
 *     first line starts with blank space);
 *   - else it is double-quoted with escapes.
 * Text that ends in more than one newline is double-quoted rather than
 * `|+`, so that a document always ends in exactly one newline.  Bytes
 * that are not well-formed UTF-8 (only possible in built trees) are
 * written as U+FFFD.
 */
#include "doc.h"
#include "utf8.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Keys longer than this are written as explicit `? key` entries, since
 * libyaml will not read an implicit key of more than 1024 characters. */
#define LONG_KEY 1000

#define CHECK(x) do { if ((x) < 0) return -1; } while (0)

static int add_indent(struct lps_buf *out, size_t n)
{
	CHECK(lps_buf_grow(out, n));
	memset(out->data + out->len, ' ', n);
	out->len += n;
	out->data[out->len] = '\0';
	return 0;
}

/*
 * The code point at s[*i], advancing *i; ill-formed bytes come back as
 * (uint32_t)-1 and advance by one.
 */
static uint32_t next_cp(const char *s, size_t len, size_t *i)
{
	unsigned char c = (unsigned char)s[*i];
	if (c < 0x80) {
		(*i)++;
		return c;
	}
	size_t n = len - *i < 4 ? len - *i : 4;
	if (lps_utf8_check(s + *i, n) == 0) {
		(*i)++;
		return (uint32_t)-1;
	}
	return lps_utf8_next(s, len, i);
}

/*
 * Characters that YAML cannot hold raw, that libyaml reads as line
 * breaks (NEL, LS, PS), or that would hide what the text says (BOM,
 * direction overrides and isolates): always escaped.
 */
static int special_cp(uint32_t c)
{
	return c == (uint32_t)-1 || (c >= 0x7f && c <= 0x9f) ||
	       c == 0x2028 || c == 0x2029 || c == 0xfeff || c == 0xfffe ||
	       c == 0xffff || c == 0x061c || c == 0x200e || c == 0x200f ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

static int indicator(char c)
{
	return c && strchr("-?:,[]{}#&*!|>'\"%@`", c) != NULL;
}

static int plain_ok(const char *s, size_t len)
{
	if (len == 0 || indicator(s[0]) || s[0] == ' ' ||
	    s[len - 1] == ' ' || s[len - 1] == ':')
		return 0;
	if (len >= 3 && !memcmp(s, "...", 3))
		return 0;  /* a document end marker at column 1 */
	if (lps_doc_plain_type(s, len) != LPS_NODE_STRING)
		return 0;
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20)
			return 0;
		if (i + 1 < len && ((c == ':' && s[i + 1] == ' ') ||
				    (c == ' ' && s[i + 1] == '#')))
			return 0;
		if (special_cp(next_cp(s, len, &i)))
			return 0;
	}
	return 1;
}

/*
 * Whether s suits a literal block scalar; *indicator is set when its
 * first non-empty line starts with blank space.
 */
static int literal_ok(const char *s, size_t len, int *need_indicator)
{
	if (!memchr(s, '\n', len) || (len >= 2 && s[len - 1] == '\n' &&
				      s[len - 2] == '\n'))
		return 0;
	int line_start = 1, first = 1;
	*need_indicator = 0;
	if (strspn(s, "\n") == len)
		return 0;  /* only line breaks: nothing to indent */
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n') {
			if (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
				return 0;
			line_start = 1;
			i++;
			continue;
		}
		if (c < 0x20 && c != '\t')
			return 0;
		if (line_start && first) {
			*need_indicator = c == ' ' || c == '\t';
			first = 0;
		}
		line_start = 0;
		if (special_cp(next_cp(s, len, &i)))
			return 0;
	}
	return s[len - 1] != ' ' && s[len - 1] != '\t';
}

static int add_double_quoted(struct lps_buf *out, const char *s, size_t len)
{
	CHECK(lps_buf_addc(out, '"'));
	for (size_t i = 0; i < len;) {
		size_t start = i;
		uint32_t c = next_cp(s, len, &i);
		switch (c) {
		case '"': CHECK(lps_buf_add(out, "\\\"", 2)); continue;
		case '\\': CHECK(lps_buf_add(out, "\\\\", 2)); continue;
		case '\n': CHECK(lps_buf_add(out, "\\n", 2)); continue;
		case '\t': CHECK(lps_buf_add(out, "\\t", 2)); continue;
		case '\r': CHECK(lps_buf_add(out, "\\r", 2)); continue;
		case 0: CHECK(lps_buf_add(out, "\\0", 2)); continue;
		default: break;
		}
		if (c == (uint32_t)-1)
			CHECK(lps_buf_adds(out, "\\ufffd"));
		else if (c < 0x20 || c == 0x7f)
			CHECK(lps_buf_addf(out, "\\x%02x", (unsigned)c));
		else if (special_cp(c))
			CHECK(lps_buf_addf(out, "\\u%04x", (unsigned)c));
		else
			CHECK(lps_buf_add(out, s + start, i - start));
	}
	return lps_buf_addc(out, '"');
}

/* A literal block scalar whose header follows already-written text;
 * its lines are indented by `indent` spaces. */
static int add_literal(struct lps_buf *out, const char *s, size_t len,
		       size_t indent, int need_indicator)
{
	int clip = s[len - 1] == '\n';
	CHECK(lps_buf_adds(out, need_indicator ? "|2" : "|"));
	if (!clip)
		CHECK(lps_buf_addc(out, '-'));
	CHECK(lps_buf_addc(out, '\n'));
	size_t end = clip ? len - 1 : len;
	size_t i = 0;
	for (;;) {
		const char *nl = memchr(s + i, '\n', end - i);
		size_t n = nl ? (size_t)(nl - (s + i)) : end - i;
		if (n) {
			CHECK(add_indent(out, indent));
			CHECK(lps_buf_add(out, s + i, n));
		}
		CHECK(lps_buf_addc(out, '\n'));
		if (!nl)
			break;
		i += n + 1;
	}
	return 0;
}

/* Shortest %g text that reads back as d (d finite). */
static void shortest(char *buf, size_t cap, double d)
{
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, cap, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

static int add_float(struct lps_buf *out, double d, int json)
{
	if (isnan(d))
		return lps_buf_adds(out, json ? "null" : ".nan");
	if (isinf(d))
		return lps_buf_adds(out, json ? "null" :
					  d < 0 ? "-.inf" : ".inf");
	char buf[40];
	shortest(buf, sizeof(buf) - 2, d);
	/* Keep it a float when read back: 1 would be an integer. */
	if (!strpbrk(buf, ".eE"))
		strcat(buf, ".0");
	return lps_buf_adds(out, buf);
}

static int is_block(const struct lps_node *n)
{
	return (n->type == LPS_NODE_MAP && n->v.map.n) ||
	       (n->type == LPS_NODE_SEQ && n->v.seq.n);
}

static int emit_block(struct lps_buf *out, const struct lps_node *n,
		      size_t indent, int inline_first);

/*
 * A value that follows "key:" or "-" on the current line, its block
 * scalar lines or nested collection indented by `indent`.
 */
static int emit_scalar(struct lps_buf *out, const struct lps_node *n,
		       size_t indent)
{
	switch (n->type) {
	case LPS_NODE_NULL:
		return lps_buf_adds(out, "null\n");
	case LPS_NODE_BOOL:
		return lps_buf_adds(out, n->v.boolean ? "true\n" : "false\n");
	case LPS_NODE_INT:
		return lps_buf_addf(out, "%" PRId64 "\n", n->v.integer);
	case LPS_NODE_FLOAT:
		CHECK(add_float(out, n->v.number, 0));
		return lps_buf_addc(out, '\n');
	case LPS_NODE_STRING: {
		const char *s = n->v.str.ptr;
		size_t len = n->v.str.len;
		int ind;
		if (plain_ok(s, len)) {
			CHECK(lps_buf_add(out, s, len));
			return lps_buf_addc(out, '\n');
		}
		if (literal_ok(s, len, &ind))
			return add_literal(out, s, len, indent, ind);
		CHECK(add_double_quoted(out, s, len));
		return lps_buf_addc(out, '\n');
	}
	case LPS_NODE_SEQ:
		return lps_buf_adds(out, "[]\n");
	case LPS_NODE_MAP:
		return lps_buf_adds(out, "{}\n");
	}
	return 0;
}

static int emit_key(struct lps_buf *out, const struct lps_pair *p)
{
	if (plain_ok(p->key, p->key_len))
		return lps_buf_add(out, p->key, p->key_len);
	return add_double_quoted(out, p->key, p->key_len);
}

/* The pairs of a map at `indent`; the first one goes on the current line
 * when inline_first (after "- "). */
static int emit_map(struct lps_buf *out, const struct lps_node *n,
		    size_t indent, int inline_first)
{
	for (size_t i = 0; i < n->v.map.n; i++) {
		const struct lps_pair *p = &n->v.map.pairs[i];
		if (i > 0 || !inline_first)
			CHECK(add_indent(out, indent));
		size_t key_at = out->len;
		CHECK(emit_key(out, p));
		if (out->len - key_at > LONG_KEY) {
			/* Re-write it as an explicit key. */
			CHECK(lps_buf_grow(out, 2));
			memmove(out->data + key_at + 2, out->data + key_at,
				out->len - key_at);
			memcpy(out->data + key_at, "? ", 2);
			out->len += 2;
			CHECK(lps_buf_addc(out, '\n'));
			CHECK(add_indent(out, indent));
		}
		if (is_block(p->value)) {
			CHECK(lps_buf_adds(out, ":\n"));
			CHECK(emit_block(out, p->value, indent + 2, 0));
		} else {
			CHECK(lps_buf_adds(out, ": "));
			CHECK(emit_scalar(out, p->value, indent + 2));
		}
	}
	return 0;
}

static int emit_seq(struct lps_buf *out, const struct lps_node *n,
		    size_t indent, int inline_first)
{
	for (size_t i = 0; i < n->v.seq.n; i++) {
		const struct lps_node *item = n->v.seq.items[i];
		if (i > 0 || !inline_first)
			CHECK(add_indent(out, indent));
		CHECK(lps_buf_adds(out, "- "));
		if (is_block(item))
			CHECK(emit_block(out, item, indent + 2, 1));
		else
			CHECK(emit_scalar(out, item, indent + 2));
	}
	return 0;
}

static int emit_block(struct lps_buf *out, const struct lps_node *n,
		      size_t indent, int inline_first)
{
	if (n->type == LPS_NODE_MAP)
		return emit_map(out, n, indent, inline_first);
	return emit_seq(out, n, indent, inline_first);
}

struct lps_error *lps_doc_emit(const struct lps_node *n, struct lps_buf *out)
{
	size_t mark = out->len;
	int r = is_block(n) ? emit_block(out, n, 0, 0) : emit_scalar(out, n, 2);
	if (r < 0) {
		out->len = mark;
		if (out->data)
			out->data[mark] = '\0';
		return lps_error_nomem();
	}
	return NULL;
}

/* ---------------------------------------------------------------- JSON */

int lps_json_quote(struct lps_buf *out, const char *s, size_t len)
{
	CHECK(lps_buf_grow(out, len + 2));
	CHECK(lps_buf_addc(out, '"'));
	size_t run = 0;  /* start of bytes copied as they are */
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char tmp[16];
		size_t start = i;
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			i++;
			continue;
		}
		uint32_t cp = next_cp(s, len, &i);
		switch (cp) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\t': esc = "\\t"; break;
		case '\r': esc = "\\r"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case 0x2028: esc = "\\u2028"; break;
		case 0x2029: esc = "\\u2029"; break;
		case (uint32_t)-1: esc = "\\ufffd"; break;
		default:
			if (cp < 0x20 || cp == 0x7f) {
				snprintf(tmp, sizeof(tmp), "\\u%04x",
					 (unsigned)cp);
				esc = tmp;
			}
			break;
		}
		if (!esc)
			continue;
		CHECK(lps_buf_add(out, s + run, start - run));
		CHECK(lps_buf_adds(out, esc));
		run = i;
	}
	CHECK(lps_buf_add(out, s + run, len - run));
	return lps_buf_addc(out, '"');
}

static int emit_json(struct lps_buf *out, const struct lps_node *n,
		     size_t indent)
{
	switch (n->type) {
	case LPS_NODE_NULL:
		return lps_buf_adds(out, "null");
	case LPS_NODE_BOOL:
		return lps_buf_adds(out, n->v.boolean ? "true" : "false");
	case LPS_NODE_INT:
		return lps_buf_addf(out, "%" PRId64, n->v.integer);
	case LPS_NODE_FLOAT:
		return add_float(out, n->v.number, 1);
	case LPS_NODE_STRING:
		return lps_json_quote(out, n->v.str.ptr, n->v.str.len);
	case LPS_NODE_SEQ:
		if (!n->v.seq.n)
			return lps_buf_adds(out, "[]");
		CHECK(lps_buf_adds(out, "[\n"));
		for (size_t i = 0; i < n->v.seq.n; i++) {
			CHECK(add_indent(out, indent + 2));
			CHECK(emit_json(out, n->v.seq.items[i], indent + 2));
			CHECK(lps_buf_adds(out, i + 1 < n->v.seq.n ? ",\n"
								   : "\n"));
		}
		CHECK(add_indent(out, indent));
		return lps_buf_addc(out, ']');
	case LPS_NODE_MAP:
		if (!n->v.map.n)
			return lps_buf_adds(out, "{}");
		CHECK(lps_buf_adds(out, "{\n"));
		for (size_t i = 0; i < n->v.map.n; i++) {
			const struct lps_pair *p = &n->v.map.pairs[i];
			CHECK(add_indent(out, indent + 2));
			CHECK(lps_json_quote(out, p->key, p->key_len));
			CHECK(lps_buf_adds(out, ": "));
			CHECK(emit_json(out, p->value, indent + 2));
			CHECK(lps_buf_adds(out, i + 1 < n->v.map.n ? ",\n"
								   : "\n"));
		}
		CHECK(add_indent(out, indent));
		return lps_buf_addc(out, '}');
	}
	return 0;
}

struct lps_error *lps_doc_emit_json(const struct lps_node *n,
				    struct lps_buf *out)
{
	size_t mark = out->len;
	if (emit_json(out, n, 0) < 0 || lps_buf_addc(out, '\n') < 0) {
		out->len = mark;
		if (out->data)
			out->data[mark] = '\0';
		return lps_error_nomem();
	}
	return NULL;
}
