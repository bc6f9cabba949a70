/*
 * report.c - the table of report kinds, the run they share, and the
 * writers: escaping for each format, headings, fields, tables, the HTML
 * page and the JSON head.
 *
 * Escaping lives here and only here so that a title like
 * `<script>alert(1)</script>` is made harmless the same way by every
 * kind in every format.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collection.h"
#include "date.h"
#include "phase.h"
#include "portfolio.h"
#include "registry.h"
#include "report.h"
#include "shallow.h"
#include "utf8.h"

const char *const lps_report_format_names[] = {
	"text", "markdown", "json", "html", "csv", NULL,
};

const struct lps_report_kind *const lps_report_kinds[] = {
	&lps_report_kind_status,
	&lps_report_kind_progress,
	&lps_report_kind_coverage,
	&lps_report_kind_timeline,
	&lps_report_kind_exhibit,
	&lps_report_kind_roundtable,
	NULL,
};

const struct lps_report_kind *lps_report_kind_find(const char *name)
{
	for (size_t i = 0; lps_report_kinds[i]; i++)
		if (strcmp(lps_report_kinds[i]->name, name) == 0)
			return lps_report_kinds[i];
	return NULL;
}

void lps_report_free_list(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

/*
 * Every kind reads lps.yaml, but not through lps_collection_each, which
 * is where the other documents are validated; so the rule they all follow
 * (validated as read, named with its first finding when invalid, the
 * report made all the same) is applied to lps.yaml here, once for every
 * kind.  Errors: the registry's, out of memory.
 */
static struct lps_error *check_meta(struct lps_report *r)
{
	const struct lps_doc *meta = lps_portfolio_meta(r->p);
	const char *path = lps_doc_name(meta) ? lps_doc_name(meta) : "lps.yaml";
	const struct lps_registry *reg = NULL;
	struct lps_findings f = LPS_FINDINGS_INIT;
	int valid = 1;
	struct lps_error *err = lps_registry_get(&reg);

	if (!err)
		err = lps_registry_validate_path(&valid, &f, reg, "lps.yaml",
						 lps_doc_root(meta));
	if (!err && !valid && f.n) {
		const struct lps_finding *x = &f.items[0];
		struct lps_error *problem = lps_error_at(LPS_EINVALID, path,
			x->line, x->col, "%s%s%s", x->path,
			*x->path ? ": " : "", x->message);
		if (lps_report_invalid(r, path, problem))
			err = lps_error_nomem();
		lps_error_free(problem);
	}
	lps_findings_free(&f);
	return err;
}

struct lps_error *lps_report_run(const struct lps_report_kind *kind,
				 struct lps_portfolio *p,
				 const struct lps_report_opts *opts,
				 struct lps_buf *out, char ***invalid,
				 size_t *ninvalid)
{
	struct lps_report r = { p, opts, out, NULL, 0, 0 };
	struct lps_error *err = check_meta(&r);

	if (!err)
		err = kind->run(&r);

	*invalid = r.invalid;
	*ninvalid = r.ninvalid;
	return err;
}

int lps_report_invalid(struct lps_report *r, const char *path,
		       const struct lps_error *problem)
{
	char *line;

	if (problem) {
		/* The problem names its own place; only a bare message
		 * needs the path in front. */
		char *msg = lps_error_format(problem);
		if (!msg)
			return -1;
		if (problem->file) {
			line = msg;
		} else {
			size_t n = strlen(path) + strlen(msg) + 3;
			line = malloc(n);
			if (line)
				snprintf(line, n, "%s: %s", path, msg);
			free(msg);
		}
	} else {
		line = strdup(path);
	}
	if (!line)
		return -1;
	if (r->ninvalid == r->invalid_cap) {
		size_t cap = r->invalid_cap ? 2 * r->invalid_cap : 8;
		char **v = realloc(r->invalid, cap * sizeof(*v));
		if (!v) {
			free(line);
			return -1;
		}
		r->invalid = v;
		r->invalid_cap = cap;
	}
	r->invalid[r->ninvalid++] = line;
	return 0;
}

/* Untracked files a report reads: documents and evidence attachments. */
static int wanted(void *ctx, const char *path)
{
	struct lps_registry_place pl;
	(void)ctx;
	lps_registry_place(&pl, path);
	return pl.kind == LPS_PLACE_DOCUMENT || pl.kind == LPS_PLACE_ATTACHMENT;
}

struct lps_error *lps_report_read_worktree(struct lps_portfolio *p)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid oid;
	struct lps_error *err = lps_store_worktree(lps_portfolio_store(p),
						   wanted, NULL, &oid);

	if (err)
		return err;
	if (git_oid_equal(&oid, lps_portfolio_head(p)))
		return NULL; /* nothing uncommitted: HEAD, as opened */
	git_oid_tostr(hex, sizeof(hex), &oid);
	err = lps_portfolio_set_rev(p, hex);
	if (err && err->code == LPS_ENOTFOUND) {
		lps_error_free(err);
		return lps_error_at(LPS_ENOTFOUND, "lps.yaml", 0, 0,
				    "deleted in the working tree; restore it "
				    "(git checkout -- lps.yaml) or report a "
				    "commit with --rev");
	}
	return err;
}

struct lps_error *lps_report_walk(struct lps_report *r, lps_store_walk_fn fn,
				  void *ctx)
{
	return lps_shallow_walk(lps_portfolio_store(r->p),
				lps_portfolio_head(r->p), fn, ctx, NULL);
}

int lps_report_history_cut(const struct lps_report_kind *kind,
			   struct lps_portfolio *p)
{
	/* The kinds whose output is read from the history (phase changes,
	 * the stretches between them); the others read one revision. */
	int reads_history = kind == &lps_report_kind_timeline ||
			    kind == &lps_report_kind_exhibit;
	return reads_history && lps_shallow_is(lps_portfolio_store(p));
}

int lps_report_in_range(const struct lps_report_opts *opts,
			const char *date)
{
	if (!date)
		return !opts->since && !opts->until;
	if (opts->since && strncmp(date, opts->since, 10) < 0)
		return 0;
	if (opts->until && strncmp(date, opts->until, 10) > 0)
		return 0;
	return 1;
}

struct lps_error *lps_report_output(const char *path, const struct lps_buf *b)
{
	const char *data = b->data ? b->data : "";

	if (!path || strcmp(path, "-") == 0) {
		if (b->len && fwrite(data, 1, b->len, stdout) != b->len)
			return lps_error_new(LPS_ESYS, "cannot write output");
		if (fflush(stdout) != 0)
			return lps_error_new(LPS_ESYS, "cannot write output");
		return NULL;
	}
	return lps_write_file_output(path, data, b->len, 0644);
}

/* ---- code points ---- */

/*
 * The code point at s[*i], advancing *i; -1 (and one byte) for a byte
 * that is not the start of a well-formed sequence.
 */
static long next_cp(const char *s, size_t n, size_t *i)
{
	size_t left = n - *i, win = left < 4 ? left : 4;
	if (lps_utf8_check(s + *i, win) == 0) {
		(*i)++;
		return -1;
	}
	return (long)lps_utf8_next(s, n, i);
}

static int is_bidi(long c)
{
	return c == 0x061c || c == 0x200e || c == 0x200f ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

static int add_cp(struct lps_buf *out, const char *s, size_t from,
		  size_t to)
{
	return lps_buf_add(out, s + from, to - from);
}

static const char fffd[] = "\xef\xbf\xbd";

int lps_report_html_escape(struct lps_buf *out, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	int bad = 0;

	for (size_t i = 0; i < n && !bad;) {
		size_t at = i;
		long c = next_cp(s, n, &i);
		switch (c) {
		case '&': bad = lps_buf_adds(out, "&amp;"); break;
		case '<': bad = lps_buf_adds(out, "&lt;"); break;
		case '>': bad = lps_buf_adds(out, "&gt;"); break;
		case '"': bad = lps_buf_adds(out, "&quot;"); break;
		case '\'': bad = lps_buf_adds(out, "&#39;"); break;
		case -1: bad = lps_buf_adds(out, fffd); break;
		default:
			if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
				break;
			if (is_bidi(c))
				bad = lps_buf_addf(out, "&#x%lX;", c);
			else
				bad = add_cp(out, s, at, i);
		}
	}
	return bad ? -1 : 0;
}

int lps_report_md_escape(struct lps_buf *out, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	int bad = 0;
	size_t i = 0;

	/* What would start a block: a list marker, a setext underline, an
	 * ordered-list number.  '#' and '>' are escaped everywhere. */
	if (n && (s[0] == '-' || s[0] == '+' || s[0] == '=')) {
		bad |= lps_buf_addc(out, '\\');
	} else {
		size_t d = 0;
		while (d < n && s[d] >= '0' && s[d] <= '9')
			d++;
		if (d && d < n && (s[d] == '.' || s[d] == ')')) {
			bad |= lps_buf_add(out, s, d);
			bad |= lps_buf_addc(out, '\\');
			i = d;
		}
	}
	while (i < n && !bad) {
		size_t at = i;
		long c = next_cp(s, n, &i);
		switch (c) {
		case '&': bad = lps_buf_adds(out, "&amp;"); break;
		case '<': bad = lps_buf_adds(out, "&lt;"); break;
		case '>': bad = lps_buf_adds(out, "&gt;"); break;
		case '\\': case '`': case '*': case '_': case '[': case ']':
		case '|': case '#': case '~': case '!':
			bad = lps_buf_addc(out, '\\') ||
			      lps_buf_addc(out, (char)c);
			break;
		case -1: bad = lps_buf_adds(out, fffd); break;
		default:
			if (c < 0x20 || c == 0x7f)
				bad = lps_buf_addc(out, ' ');
			else if (is_bidi(c))
				bad = lps_buf_addf(out, "&#x%lX;", c);
			else
				bad = add_cp(out, s, at, i);
		}
	}
	return bad ? -1 : 0;
}

/* A plain number ("-3", "+2.5", "1e3") is data, not a formula. */
static int looks_numeric(const char *s)
{
	char *end;
	if (!*s)
		return 0;
	(void)strtod(s, &end);
	return *end == '\0' && strspn(s, "+-0123456789.eE") == strlen(s);
}

int lps_report_csv_field(struct lps_buf *out, const char *s)
{
	struct lps_buf t = LPS_BUF_INIT;
	size_t n = s ? strlen(s) : 0;
	int bad = 0, quote = 0;

	if (n && strchr("=+-@\t\r", s[0]) && !looks_numeric(s))
		bad |= lps_buf_addc(&t, '\'');
	for (size_t i = 0; i < n && !bad;) {
		size_t at = i;
		long c = next_cp(s, n, &i);
		if (c == -1)
			bad = lps_buf_adds(&t, fffd);
		else
			bad = add_cp(&t, s, at, i);
	}
	if (bad) {
		lps_buf_free(&t);
		return -1;
	}
	const char *d = t.data ? t.data : "";
	if (strpbrk(d, ",\"\r\n") || (t.len && (d[0] == ' ' ||
						 d[t.len - 1] == ' ')))
		quote = 1;
	if (quote)
		bad |= lps_buf_addc(out, '"');
	for (size_t i = 0; i < t.len && !bad; i++) {
		if (d[i] == '"')
			bad |= lps_buf_addc(out, '"');
		bad |= lps_buf_addc(out, d[i]);
	}
	if (quote)
		bad |= lps_buf_addc(out, '"');
	lps_buf_free(&t);
	return bad ? -1 : 0;
}

int lps_report_text_clean(struct lps_buf *out, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	int bad = 0;

	for (size_t i = 0; i < n && !bad;) {
		size_t at = i;
		long c = next_cp(s, n, &i);
		if (c == -1)
			bad = lps_buf_adds(out, fffd);
		else if (c < 0x20 || (c >= 0x7f && c < 0xa0))
			bad = lps_buf_addc(out, ' ');
		else
			bad = add_cp(out, s, at, i);
	}
	return bad ? -1 : 0;
}

static int cp_width(long c)
{
	if (c < 0)
		return 1;
	if ((c >= 0x0300 && c <= 0x036f) || (c >= 0x200b && c <= 0x200f) ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2060 && c <= 0x2069) ||
	    (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0x1f3fb && c <= 0x1f3ff) ||
	    c == 0x061c || (c >= 0xe0100 && c <= 0xe01ef))
		return 0;
	if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf &&
					     c != 0x303f) ||
	    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	    (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) ||
	    (c >= 0x1f680 && c <= 0x1f6ff) || (c >= 0x1f900 && c <= 0x1f9ff) ||
	    (c >= 0x1fa70 && c <= 0x1faff) || (c >= 0x20000 && c <= 0x3fffd))
		return 2;
	return 1;
}

size_t lps_report_text_width(const char *s)
{
	size_t n = s ? strlen(s) : 0, w = 0;
	for (size_t i = 0; i < n;)
		w += (size_t)cp_width(next_cp(s, n, &i));
	return w;
}

/* ---- structure ---- */

int lps_report_heading(struct lps_buf *out, enum lps_report_format f,
		       int level, const char *text)
{
	int bad = 0;

	switch (f) {
	case LPS_REPORT_TEXT: {
		size_t at = out->len;
		bad |= lps_report_text_clean(out, text);
		if (bad)
			break;
		if (level >= 3) {
			bad |= lps_buf_adds(out, ":\n");
			break;
		}
		size_t w = lps_report_text_width(out->data + at);
		bad |= lps_buf_addc(out, '\n');
		for (size_t i = 0; i < w && !bad; i++)
			bad |= lps_buf_addc(out, level == 1 ? '=' : '-');
		bad |= lps_buf_adds(out, "\n\n");
		break;
	}
	case LPS_REPORT_MARKDOWN:
		for (int i = 0; i < (level < 1 ? 1 : level > 6 ? 6 : level); i++)
			bad |= lps_buf_addc(out, '#');
		bad |= lps_buf_addc(out, ' ');
		bad |= lps_report_md_escape(out, text);
		bad |= lps_buf_adds(out, "\n\n");
		break;
	case LPS_REPORT_HTML:
		if (level < 1)
			level = 1;
		if (level > 6)
			level = 6;
		bad |= lps_buf_addf(out, "<h%d>", level);
		bad |= lps_report_html_escape(out, text);
		bad |= lps_buf_addf(out, "</h%d>\n", level);
		break;
	default:
		break;
	}
	return bad ? -1 : 0;
}

int lps_report_field(struct lps_buf *out, enum lps_report_format f,
		     const char *label, const char *value)
{
	int bad = 0;

	if (!value)
		value = "-";
	switch (f) {
	case LPS_REPORT_TEXT:
		bad |= lps_report_text_clean(out, label);
		bad |= lps_buf_adds(out, ": ");
		bad |= lps_report_text_clean(out, value);
		bad |= lps_buf_addc(out, '\n');
		break;
	case LPS_REPORT_MARKDOWN:
		bad |= lps_buf_adds(out, "- **");
		bad |= lps_report_md_escape(out, label);
		bad |= lps_buf_adds(out, ":** ");
		bad |= lps_report_md_escape(out, value);
		bad |= lps_buf_addc(out, '\n');
		break;
	case LPS_REPORT_HTML:
		bad |= lps_buf_adds(out, "<p class=\"field\"><b>");
		bad |= lps_report_html_escape(out, label);
		bad |= lps_buf_adds(out, ":</b> ");
		bad |= lps_report_html_escape(out, value);
		bad |= lps_buf_adds(out, "</p>\n");
		break;
	default:
		break;
	}
	return bad ? -1 : 0;
}

int lps_report_para(struct lps_buf *out, enum lps_report_format f,
		    const char *text)
{
	int bad = 0;

	switch (f) {
	case LPS_REPORT_TEXT:
		bad |= lps_report_text_clean(out, text);
		bad |= lps_buf_addc(out, '\n');
		break;
	case LPS_REPORT_MARKDOWN:
		bad |= lps_report_md_escape(out, text);
		bad |= lps_buf_addc(out, '\n');
		break;
	case LPS_REPORT_HTML:
		bad |= lps_buf_adds(out, "<p>");
		bad |= lps_report_html_escape(out, text);
		bad |= lps_buf_adds(out, "</p>\n");
		break;
	default:
		break;
	}
	return bad ? -1 : 0;
}

int lps_report_gap(struct lps_buf *out, enum lps_report_format f)
{
	if (f == LPS_REPORT_TEXT || f == LPS_REPORT_MARKDOWN)
		return lps_buf_addc(out, '\n');
	return 0;
}

/* ---- tables ---- */

/* Bounds that keep a table's memory in proportion to what it shows. */
#define TABLE_MAX_COLS 64

struct table_row {
	char **cells;     /* ncols, each NULL or malloc'd */
	const char *cls;  /* static CSS class or NULL */
};

struct lps_report_table {
	size_t ncols;
	char **headers;
	unsigned *flags;
	struct table_row *rows;
	size_t n, cap;
};

void lps_report_table_free(struct lps_report_table *t)
{
	if (!t)
		return;
	for (size_t r = 0; r < t->n; r++) {
		for (size_t c = 0; c < t->ncols; c++)
			free(t->rows[r].cells[c]);
		free(t->rows[r].cells);
	}
	free(t->rows);
	for (size_t c = 0; c < t->ncols && t->headers; c++)
		free(t->headers[c]);
	free(t->headers);
	free(t->flags);
	free(t);
}

static char *dup_or_null(const char *s, int *bad)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*bad = 1;
	return d;
}

struct lps_error *lps_report_table_new(struct lps_report_table **out,
				       size_t ncols,
				       const char *const *headers,
				       const unsigned *flags)
{
	int bad = 0;

	*out = NULL;
	if (ncols == 0 || ncols > TABLE_MAX_COLS)
		return lps_error_new(LPS_EINVALID,
				     "a report table has 1 to %d columns",
				     TABLE_MAX_COLS);
	struct lps_report_table *t = calloc(1, sizeof(*t));
	if (!t)
		return lps_error_nomem();
	t->ncols = ncols;
	t->headers = calloc(ncols, sizeof(*t->headers));
	t->flags = calloc(ncols, sizeof(*t->flags));
	if (!t->headers || !t->flags) {
		lps_report_table_free(t);
		return lps_error_nomem();
	}
	for (size_t c = 0; c < ncols; c++) {
		t->headers[c] = dup_or_null(headers[c] ? headers[c] : "",
					    &bad);
		t->flags[c] = flags ? flags[c] : 0;
	}
	if (bad) {
		lps_report_table_free(t);
		return lps_error_nomem();
	}
	*out = t;
	return NULL;
}

int lps_report_table_row_class(struct lps_report_table *t,
			       const char *const *cells, const char *cls)
{
	int bad = 0;

	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct table_row *v = realloc(t->rows, cap * sizeof(*v));
		if (!v)
			return -1;
		t->rows = v;
		t->cap = cap;
	}
	char **row = calloc(t->ncols, sizeof(*row));
	if (!row)
		return -1;
	for (size_t c = 0; c < t->ncols; c++)
		row[c] = dup_or_null(cells[c], &bad);
	if (bad) {
		for (size_t c = 0; c < t->ncols; c++)
			free(row[c]);
		free(row);
		return -1;
	}
	t->rows[t->n].cells = row;
	t->rows[t->n].cls = cls;
	t->n++;
	return 0;
}

int lps_report_table_row(struct lps_report_table *t,
			 const char *const *cells)
{
	return lps_report_table_row_class(t, cells, NULL);
}

size_t lps_report_table_rows(const struct lps_report_table *t)
{
	return t->n;
}

static int pad(struct lps_buf *out, size_t n)
{
	int bad = 0;
	for (size_t i = 0; i < n && !bad; i++)
		bad = lps_buf_addc(out, ' ');
	return bad;
}

static int table_text(struct lps_buf *out, const struct lps_report_table *t)
{
	size_t nc = t->ncols, total = (t->n + 1) * nc;
	struct lps_buf *clean = calloc(total, sizeof(*clean));
	size_t *w = calloc(nc, sizeof(*w));
	int bad = !clean || !w;

	/* Cleaned text of every cell first: widths are of what is shown. */
	for (size_t r = 0; r <= t->n && !bad; r++)
		for (size_t c = 0; c < nc && !bad; c++) {
			const char *s = r ? t->rows[r - 1].cells[c]
					  : t->headers[c];
			struct lps_buf *b = &clean[r * nc + c];
			bad |= lps_report_text_clean(b, s ? s : "-");
			bad |= lps_buf_grow(b, 1);
			if (bad)
				break;
			size_t cw = lps_report_text_width(b->data);
			if (cw > w[c])
				w[c] = cw;
		}
	for (size_t r = 0; r <= t->n && !bad; r++) {
		/* The last column is not padded on the right, so no line
		 * ends in spaces. */
		size_t line_at = out->len;
		for (size_t c = 0; c < nc && !bad; c++) {
			struct lps_buf *b = &clean[r * nc + c];
			size_t cw = lps_report_text_width(b->data);
			int right = (t->flags[c] & LPS_REPORT_COL_NUM) && r;
			if (c)
				bad |= lps_buf_adds(out, "  ");
			if (right)
				bad |= pad(out, w[c] - cw);
			bad |= lps_buf_add(out, b->data, b->len);
			if (!right && c + 1 < nc)
				bad |= pad(out, w[c] - cw);
		}
		while (!bad && out->len > line_at &&
		       out->data[out->len - 1] == ' ')
			out->data[--out->len] = '\0';
		bad |= lps_buf_addc(out, '\n');
		if (r == 0) {
			for (size_t c = 0; c < nc && !bad; c++) {
				if (c)
					bad |= lps_buf_adds(out, "  ");
				for (size_t i = 0; i < w[c] && !bad; i++)
					bad |= lps_buf_addc(out, '-');
			}
			bad |= lps_buf_addc(out, '\n');
		}
	}
	for (size_t i = 0; clean && i < total; i++)
		lps_buf_free(&clean[i]);
	free(clean);
	free(w);
	return bad ? -1 : 0;
}

static int table_md(struct lps_buf *out, const struct lps_report_table *t)
{
	int bad = 0;

	for (size_t r = 0; r <= t->n && !bad; r++) {
		bad |= lps_buf_addc(out, '|');
		for (size_t c = 0; c < t->ncols; c++) {
			const char *s = r ? t->rows[r - 1].cells[c]
					  : t->headers[c];
			bad |= lps_buf_addc(out, ' ');
			if (s && *s)
				bad |= lps_report_md_escape(out, s);
			else
				bad |= lps_buf_addc(out, '-');
			bad |= lps_buf_adds(out, " |");
		}
		bad |= lps_buf_addc(out, '\n');
		if (r == 0) {
			bad |= lps_buf_addc(out, '|');
			for (size_t c = 0; c < t->ncols; c++)
				bad |= lps_buf_adds(out,
					(t->flags[c] & LPS_REPORT_COL_NUM)
					? " ---: |" : " --- |");
			bad |= lps_buf_addc(out, '\n');
		}
	}
	return bad ? -1 : 0;
}

static int table_html(struct lps_buf *out, const struct lps_report_table *t)
{
	int bad = 0;

	bad |= lps_buf_adds(out, "<div class=\"scroll\"><table>\n<thead><tr>");
	for (size_t c = 0; c < t->ncols; c++) {
		bad |= lps_buf_adds(out, (t->flags[c] & LPS_REPORT_COL_NUM)
				    ? "<th class=\"num\">" : "<th>");
		bad |= lps_report_html_escape(out, t->headers[c]);
		bad |= lps_buf_adds(out, "</th>");
	}
	bad |= lps_buf_adds(out, "</tr></thead>\n<tbody>\n");
	for (size_t r = 0; r < t->n && !bad; r++) {
		if (t->rows[r].cls)
			bad |= lps_buf_addf(out, "<tr class=\"%s\">",
					    t->rows[r].cls);
		else
			bad |= lps_buf_adds(out, "<tr>");
		for (size_t c = 0; c < t->ncols; c++) {
			bad |= lps_buf_adds(out,
				(t->flags[c] & LPS_REPORT_COL_NUM)
				? "<td class=\"num\">" : "<td>");
			bad |= lps_report_html_escape(out, t->rows[r].cells[c]);
			bad |= lps_buf_adds(out, "</td>");
		}
		bad |= lps_buf_adds(out, "</tr>\n");
	}
	bad |= lps_buf_adds(out, "</tbody>\n</table></div>\n");
	return bad ? -1 : 0;
}

static int table_csv(struct lps_buf *out, const struct lps_report_table *t)
{
	int bad = 0;

	for (size_t r = 0; r <= t->n && !bad; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const char *s = r ? t->rows[r - 1].cells[c]
					  : t->headers[c];
			if (c)
				bad |= lps_buf_addc(out, ',');
			bad |= lps_report_csv_field(out, s ? s : "");
		}
		bad |= lps_buf_adds(out, "\r\n");
	}
	return bad ? -1 : 0;
}

int lps_report_table_write(struct lps_buf *out, enum lps_report_format f,
			   const struct lps_report_table *t)
{
	switch (f) {
	case LPS_REPORT_TEXT: return table_text(out, t);
	case LPS_REPORT_MARKDOWN: return table_md(out, t);
	case LPS_REPORT_HTML: return table_html(out, t);
	case LPS_REPORT_CSV: return table_csv(out, t);
	default: return 0;
	}
}

/* ---- HTML page ---- */

/*
 * One stylesheet for every report page: system fonts, a column that
 * fits a phone, tables that scroll sideways inside their box rather
 * than widening the page, and print rules that drop the shading.
 */
static const char page_css[] =
	":root{color-scheme:light;--fg:#1b1f24;--muted:#57606a;"
	"--line:#d0d7de;--head:#f3f5f7;--ok:#1a7f37;--warn:#9a6700;"
	"--bad:#cf222e}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:16px/1.5 system-ui,-apple-system,\"Segoe UI\","
	"Roboto,sans-serif;color:var(--fg);background:#fff}\n"
	"main{max-width:60rem;margin:0 auto;padding:1rem}\n"
	"h1{font-size:1.6rem;margin:.5rem 0 1rem}\n"
	"h2{font-size:1.25rem;margin:1.5rem 0 .5rem;border-bottom:1px solid "
	"var(--line)}\n"
	"h3{font-size:1.05rem;margin:1rem 0 .25rem}\n"
	"p{margin:.25rem 0}\n"
	".field b{color:var(--muted);font-weight:600}\n"
	".scroll{overflow-x:auto;margin:.5rem 0 1rem}\n"
	"table{border-collapse:collapse;min-width:100%}\n"
	"th,td{border:1px solid var(--line);padding:.3rem .5rem;"
	"text-align:left;vertical-align:top}\n"
	"th{background:var(--head)}\n"
	".num{text-align:right;font-variant-numeric:tabular-nums}\n"
	"tr.ok td:last-child{color:var(--ok)}\n"
	"tr.behind td:last-child,tr.overdue td{color:var(--bad)}\n"
	"tr.none td{background:#fff8c5}\n"
	"@media print{body{font-size:11pt}main{max-width:none;padding:0}"
	".scroll{overflow:visible}th{background:none}"
	"tr.none td{background:none;font-style:italic}}\n";

int lps_report_html_begin(struct lps_buf *out, const char *title,
			  const char *extra_css)
{
	int bad = 0;

	bad |= lps_buf_adds(out,
		"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		"<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, "
		"initial-scale=1\">\n<title>");
	bad |= lps_report_html_escape(out, title);
	bad |= lps_buf_adds(out, "</title>\n<style>\n");
	bad |= lps_buf_adds(out, page_css);
	if (extra_css)
		bad |= lps_buf_adds(out, extra_css);
	bad |= lps_buf_adds(out, "</style>\n</head>\n<body>\n<main>\n");
	return bad ? -1 : 0;
}

int lps_report_html_end(struct lps_buf *out)
{
	return lps_buf_adds(out, "</main>\n</body>\n</html>\n");
}

/* ---- JSON ---- */

const char *lps_report_meta(struct lps_report *r, const char *key)
{
	return lps_node_str(lps_map_get(
		lps_doc_root(lps_portfolio_meta(r->p)), key));
}

static int put(struct lps_doc *doc, struct lps_node *m, const char *key,
	       const char *s)
{
	struct lps_node *v = s ? lps_doc_new_string(doc, s)
			       : lps_doc_new_null(doc);
	return !v || lps_map_set(doc, m, key, v);
}

/* lps.yaml's phase when it is one of the five, else NULL: an invalid
 * lps.yaml is named as a warning, and the JSON still follows its schema. */
static const char *phase_or_null(const struct lps_node *meta)
{
	const char *phase = lps_node_str(lps_map_get(meta, "phase"));
	return lps_phase_index(phase) >= 0 ? phase : NULL;
}

struct lps_node *lps_report_json_head(struct lps_report *r,
				      struct lps_doc *doc, const char *kind)
{
	char hex[GIT_OID_HEXSZ + 1];
	const struct lps_node *meta = lps_doc_root(lps_portfolio_meta(r->p));
	struct lps_node *m = lps_doc_new_map(doc);

	git_oid_tostr(hex, sizeof(hex), lps_portfolio_head(r->p));
	if (!m || put(doc, m, "report", kind) ||
	    put(doc, m, "generated", r->opts->today) ||
	    put(doc, m, "revision", hex) ||
	    put(doc, m, "owner",
		lps_node_str(lps_map_get(lps_map_get(meta, "owner"), "name"))) ||
	    put(doc, m, "cycle", lps_node_str(lps_map_get(meta, "cycle"))) ||
	    put(doc, m, "phase", phase_or_null(meta)) ||
	    put(doc, m, "since", r->opts->since) ||
	    put(doc, m, "until", r->opts->until))
		return NULL;
	return m;
}

struct lps_error *lps_report_emit_json(struct lps_report *r,
				       const struct lps_node *root)
{
	return lps_doc_emit_json(root, r->out);
}

const char *lps_report_num(char *buf, double v)
{
	if (!isfinite(v)) {
		snprintf(buf, 32, "-");
		return buf;
	}
	if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(buf, 32, "%.0f", v == 0 ? 0.0 : v);
		return buf;
	}
	snprintf(buf, 32, "%.4f", v);
	char *dot = strchr(buf, '.');
	if (dot) {
		char *end = buf + strlen(buf);
		while (end > dot + 1 && end[-1] == '0')
			*--end = '\0';
		if (end == dot + 1)
			*dot = '\0';
	}
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, 32, "0");
	return buf;
}

long lps_report_days(const char *date)
{
	char day[11];
	long days;
	if (!date || strlen(date) < 10)
		return -1;
	memcpy(day, date, 10);
	day[10] = '\0';
	return lps_date_days(day, &days) < 0 ? -1 : days;
}

enum lps_indicator_state lps_report_indicator_state(int has, double p,
						    const char *created,
						    const char *due,
						    const char *as_of)
{
	if (!has)
		return LPS_IND_NO_DATA;
	if (p >= 1.0)
		return LPS_IND_MET;
	if (!due)
		return p > 0 ? LPS_IND_ON_TRACK : LPS_IND_BEHIND;
	long c = lps_report_days(created), d = lps_report_days(due);
	long a = lps_report_days(as_of);
	double elapsed;
	if (c < 0 || d <= c)
		elapsed = a >= d ? 1.0 : 0.0;
	else if (a <= c)
		elapsed = 0.0;
	else if (a >= d)
		elapsed = 1.0;
	else
		elapsed = (double)(a - c) / (double)(d - c);
	return p >= elapsed ? LPS_IND_ON_TRACK : LPS_IND_BEHIND;
}

const char *lps_report_state_name(enum lps_indicator_state s)
{
	static const char *const names[] = { "met", "on-track", "behind",
					     "no-data" };
	return (unsigned)s < 4 ? names[s] : "no-data";
}

int lps_report_excerpt(struct lps_buf *out, const char *s, size_t max)
{
	size_t n = s ? strcspn(s, "\n") : 0;
	int cut = 0;

	if (n > max) {
		n = max;
		/* Back up to the start of a code point. */
		while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		cut = 1;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	if (lps_buf_add(out, s ? s : "", n))
		return -1;
	return cut ? lps_buf_adds(out, "...") : 0;
}
