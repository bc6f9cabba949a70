/*
 * report.h - `lps report`: the kinds of report, the run they share, and
 * the writers every kind uses to print the same content as text,
 * Markdown, JSON, HTML or CSV.
 *
 * A kind is one entry of a table (lps_report_kinds): a name, a line of
 * summary and a run function.  The run reads the portfolio through
 * collection.h (one document at a time, keeping small per-item
 * summaries), writes the whole report into r->out in r->opts->format,
 * and records each document that does not load or validate with
 * lps_report_invalid() (the report is made from the valid ones; cmd/
 * prints the list as warnings and exits 1).  Kinds never print.
 *
 * Contract for a kind (lib/report_<kind>.c):
 *   - define `const struct lps_report_kind lps_report_kind_<kind>` and
 *     declare it below; lib/report.c lists it in the table;
 *   - support every format of enum lps_report_format (a kind may answer
 *     a format it cannot give with LPS_EUSAGE naming it, but the
 *     built-in kinds give all five);
 *   - escape every piece of portfolio text with the helpers here (never
 *     hand-made escaping), so one fix covers every kind;
 *   - JSON: build a tree with the doc builders and end with
 *     lps_report_emit_json(); stable keys, YYYY-MM-DD dates, numbers
 *     as numbers; its shape is schemas/report-<kind>.schema.yaml;
 *   - CSV: one table, header row first (lps_report_table with the CSV
 *     format writes exactly that); headings and fields write nothing;
 *   - HTML: one self-contained page between lps_report_html_begin()
 *     and lps_report_html_end() (inline CSS, no script, no network);
 *   - filter dated items (measurements, evidence, reflections,
 *     feedback, phase changes) with lps_report_in_range().
 *
 * Depends on doc, portfolio, collection; never prints.
 */
#ifndef LPS_REPORT_H
#define LPS_REPORT_H

#include <stddef.h>
#include "buf.h"
#include "doc.h"
#include "error.h"
#include "store.h"

struct lps_portfolio;

enum lps_report_format {
	LPS_REPORT_TEXT,
	LPS_REPORT_MARKDOWN,
	LPS_REPORT_JSON,
	LPS_REPORT_HTML,
	LPS_REPORT_CSV,
};

/* "text", "markdown", "json", "html", "csv", NULL-terminated, in enum
 * order (for lps_cli_choice). */
extern const char *const lps_report_format_names[];

/* What the user asked for.  Strings are borrowed from the caller. */
struct lps_report_opts {
	enum lps_report_format format;
	const char *rev;        /* revision read (NULL: the working tree,
				 * lps_report_read_worktree); informative,
				 * the portfolio is already set to it */
	const char *since;      /* YYYY-MM-DD or NULL: dated items from */
	const char *until;      /* YYYY-MM-DD or NULL: ... up to, inclusive */
	const char *framework;  /* coverage: one framework, NULL for all */
	const char *today;      /* YYYY-MM-DD (lps_portfolio_today) */
};

/* One run of one kind. */
struct lps_report {
	struct lps_portfolio *p;            /* borrowed, set to opts->rev */
	const struct lps_report_opts *opts; /* borrowed */
	struct lps_buf *out;                /* borrowed: the report goes here */
	char **invalid;   /* "path:line:col: message" per invalid document,
			   * owned (lps_report_invalid adds; freed by
			   * lps_report_clear) */
	size_t ninvalid, invalid_cap;
};

struct lps_report_kind {
	const char *name;     /* "status": the KIND argument */
	const char *summary;  /* one line for `lps report --help` */
	/* Write the report into r->out.  Errors stop the report (the
	 * output is then discarded): unknown framework (LPS_ENOTFOUND),
	 * reading the repository, memory.  Invalid documents are not
	 * errors: see lps_report_invalid(). */
	struct lps_error *(*run)(struct lps_report *r);
};

extern const struct lps_report_kind lps_report_kind_status;
extern const struct lps_report_kind lps_report_kind_progress;
extern const struct lps_report_kind lps_report_kind_coverage;
extern const struct lps_report_kind lps_report_kind_timeline;
extern const struct lps_report_kind lps_report_kind_exhibit;
extern const struct lps_report_kind lps_report_kind_roundtable;

/* The table of kinds, NULL-terminated, in the order help lists them: the
 * one list `lps report --help` and its usage errors are made from. */
extern const struct lps_report_kind *const lps_report_kinds[];

/* The kind called name, or NULL. */
const struct lps_report_kind *lps_report_kind_find(const char *name);

/*
 * Run kind with p (already set to the revision) and opts, appending the
 * report to out.  *invalid / *ninvalid receive the invalid documents
 * (malloc'd array of malloc'd "path:line:col: message" strings; free
 * with lps_report_free_list) also when the run fails.  lps.yaml is
 * validated here for every kind and, when invalid, listed first like any
 * other invalid document; the kind still runs (the JSON head then gives
 * a phase that is not one of the five as null).
 */
struct lps_error *lps_report_run(const struct lps_report_kind *kind,
				 struct lps_portfolio *p,
				 const struct lps_report_opts *opts,
				 struct lps_buf *out, char ***invalid,
				 size_t *ninvalid);
void lps_report_free_list(char **list, size_t n);

/*
 * Record a document that did not load or validate (problem as given by
 * lps_collection_each).  0, or -1 when out of memory.
 */
int lps_report_invalid(struct lps_report *r, const char *path,
		       const struct lps_error *problem);

/*
 * Set p to its working tree, what reports read without --rev: HEAD when
 * nothing is uncommitted, else the in-memory commit of lps_store_worktree
 * (tracked files as they are in the working tree, plus untracked
 * documents and evidence attachments; see store.h for the mempack it
 * adds to p's store, which lives as long as p).  lps.yaml is read again
 * there.  Errors: the store's; an lps.yaml that does not load there (as
 * lps_portfolio_set_rev); lps.yaml deleted in the working tree
 * (LPS_ENOTFOUND naming it).
 */
struct lps_error *lps_report_read_worktree(struct lps_portfolio *p);

/*
 * Walk the history from the revision read (lps_portfolio_head) newest
 * first, as lps_store_walk does, but stopping at the boundary of a
 * shallow clone instead of failing on its missing parents
 * (lps_shallow_walk).  For the kinds that read history.
 */
struct lps_error *lps_report_walk(struct lps_report *r, lps_store_walk_fn fn,
				  void *ctx);

/*
 * 1 when the report kind makes from p is cut short by a shallow clone:
 * kind reads the history (timeline, exhibit) and the repository is
 * shallow, so its history ends at the oldest commit fetched.  For cmd/
 * to say so (`git fetch --unshallow` gets the rest).
 */
int lps_report_history_cut(const struct lps_report_kind *kind,
			   struct lps_portfolio *p);

/*
 * 1 when date (YYYY-MM-DD, or a longer ISO date-time whose first 10
 * bytes are the date) is within opts->since .. opts->until inclusive
 * (a missing bound does not limit); a NULL date is in range only when
 * neither bound is set.
 */
int lps_report_in_range(const struct lps_report_opts *opts,
			const char *date);

/*
 * Write the report to path, or to stdout when path is NULL or "-", with
 * lps_write_file_output (buf.h): a new or regular file (also through a
 * symbolic link, which stays a link) is replaced atomically and keeps its
 * permission bits; a character device or FIFO is written in place, never
 * replaced; a directory is an error.  A missing directory or any I/O
 * failure is LPS_ESYS naming path (exit 4); nothing partial is left in a
 * regular file.
 */
struct lps_error *lps_report_output(const char *path, const struct lps_buf *b);

/* --- escaping (append to out; 0, or -1 when out of memory) --------- */

/*
 * HTML text and attribute values: & < > " ' as entities; C0 controls
 * other than tab/newline dropped; bidirectional controls (U+200E,
 * U+200F, U+202A-U+202E, U+2066-U+2069) as numeric references so they
 * are visible in the source and cannot reorder the markup around them;
 * ill-formed UTF-8 bytes as U+FFFD.
 */
int lps_report_html_escape(struct lps_buf *out, const char *s);

/*
 * Markdown inline text (also safe in a table cell): \ ` * _ [ ] < > |
 * # ~ escaped with a backslash except < > & which become entities
 * (so no raw HTML reaches the renderer); a leading - + = or a digit run
 * followed by . or ) escaped so text never starts a list or heading;
 * newlines become spaces; bidirectional controls as numeric references
 * as for HTML.
 */
int lps_report_md_escape(struct lps_buf *out, const char *s);

/*
 * One CSV field (RFC 4180): quoted when it holds , " CR LF or leading /
 * trailing space, with " doubled; a field starting with = + - @ tab or
 * CR gets a leading ' so spreadsheets do not run it as a formula (a
 * plain number such as "-3" or "+2.5" is left alone).
 */
int lps_report_csv_field(struct lps_buf *out, const char *s);

/*
 * Text for a terminal: C0 controls, DEL and C1 controls as spaces (no
 * escape sequences reach the terminal); ill-formed UTF-8 as U+FFFD.
 */
int lps_report_text_clean(struct lps_buf *out, const char *s);

/* Columns s takes on a terminal (East Asian wide and emoji count 2,
 * combining marks and bidi controls 0). */
size_t lps_report_text_width(const char *s);

/* --- structure, one call for every format ------------------------- */

/*
 * A heading (level 1 = the report's title, 2 = a section, 3 = a
 * subsection): text "Title\n=====\n\n" / "Section\n-------\n\n" /
 * "Sub:\n"; Markdown "#"x level; HTML <h1>..<h3>; JSON and CSV nothing.
 */
int lps_report_heading(struct lps_buf *out, enum lps_report_format f,
		       int level, const char *text);

/* A "label: value" line (text), "- **label:** value" (Markdown),
 * <p class="field"><b>label:</b> value</p> (HTML); JSON/CSV nothing.
 * value NULL is written as "-". */
int lps_report_field(struct lps_buf *out, enum lps_report_format f,
		     const char *label, const char *value);

/* A paragraph of text (escaped); JSON/CSV nothing. */
int lps_report_para(struct lps_buf *out, enum lps_report_format f,
		    const char *text);

/* End a section: a blank line in text and Markdown; nothing else. */
int lps_report_gap(struct lps_buf *out, enum lps_report_format f);

/*
 * A table: columns with headers, rows of cells (copied), written at
 * once so text columns can be aligned.  A NULL cell is written empty
 * ("" in CSV, "-" in text and Markdown, empty in HTML).
 *
 * text: columns padded to their width by lps_report_text_width, two
 *   spaces apart, numeric columns (LPS_REPORT_COL_NUM) right-aligned,
 *   a dashed line under the header, no trailing spaces;
 * markdown: a pipe table (---: for numeric columns), cells escaped;
 * html: <table> with <thead>/<tbody>, class "num" on numeric cells;
 *   cells may carry a CSS class (lps_report_table_row_class);
 * csv: RFC 4180, CRLF line ends, header row first;
 * json: nothing (JSON is built as a tree).
 */
struct lps_report_table;

#define LPS_REPORT_COL_NUM 1u  /* right-aligned number column */

struct lps_error *lps_report_table_new(struct lps_report_table **out,
				       size_t ncols,
				       const char *const *headers,
				       const unsigned *flags);
/* Add a row of ncols cells (copied).  0, or -1 when out of memory. */
int lps_report_table_row(struct lps_report_table *t,
			 const char *const *cells);
/* As above with a CSS class for the HTML row (<tr class="...">; a
 * fixed ASCII name given by the kind, not escaped). */
int lps_report_table_row_class(struct lps_report_table *t,
			       const char *const *cells, const char *cls);
size_t lps_report_table_rows(const struct lps_report_table *t);
int lps_report_table_write(struct lps_buf *out, enum lps_report_format f,
			   const struct lps_report_table *t);
void lps_report_table_free(struct lps_report_table *t);

/* --- HTML page ---------------------------------------------------- */

/*
 * Begin a self-contained page: doctype, <html lang="en">, UTF-8 and
 * viewport meta, <title> (escaped), the shared inline stylesheet
 * (readable on a phone: fluid width, tables scroll sideways; @media
 * print), extra_css (may be NULL; the kind's own rules, trusted) and
 * <body><main>.  lps_report_html_end closes </main></body></html>.
 */
int lps_report_html_begin(struct lps_buf *out, const char *title,
			  const char *extra_css);
int lps_report_html_end(struct lps_buf *out);

/* --- JSON --------------------------------------------------------- */

/*
 * The common head of every JSON report, as a new map in doc:
 * {"report": kind, "generated": today, "revision": "<40 hex>",
 *  "owner": ..., "cycle": ..., "phase": ..., "since": ..., "until": ...}
 * (since/until null when not set; phase null unless it is one of the
 * five).  NULL when out of memory.
 */
struct lps_node *lps_report_json_head(struct lps_report *r,
				      struct lps_doc *doc, const char *kind);

/* Emit root as JSON into r->out.  NULL or LPS_ENOMEM. */
struct lps_error *lps_report_emit_json(struct lps_report *r,
				       const struct lps_node *root);

/* --- small helpers kinds share ------------------------------------ */

/* A string field of lps.yaml as read at the revision, or NULL. */
const char *lps_report_meta(struct lps_report *r, const char *key);

/* A number as the reports print it: integers without a fraction, else
 * up to 4 significant decimals without trailing zeros ("54", "3.25").
 * buf holds 32 bytes; returns buf. */
const char *lps_report_num(char *buf, double v);

/* Days since 1970-01-01 of a YYYY-MM-DD date (its first 10 bytes), or
 * -1 when it is not one. */
long lps_report_days(const char *date);

/*
 * How an indicator stands, the same in every report:
 *   met        progress >= 100%;
 *   on-track   with a due date: progress >= the elapsed share of the time
 *              from the goal's created date to the due date (as of as_of);
 *              without one: progress > 0;
 *   behind     otherwise;
 *   no-data    no progress known (has == 0).
 */
enum lps_indicator_state {
	LPS_IND_MET, LPS_IND_ON_TRACK, LPS_IND_BEHIND, LPS_IND_NO_DATA,
};
enum lps_indicator_state lps_report_indicator_state(int has, double progress,
						    const char *created,
						    const char *due,
						    const char *as_of);
/* "met", "on-track", "behind", "no-data". */
const char *lps_report_state_name(enum lps_indicator_state s);

/* The first line of s, at most max bytes (cut at a UTF-8 boundary, "..."
 * appended when cut), appended to out.  0, or -1 when out of memory. */
int lps_report_excerpt(struct lps_buf *out, const char *s, size_t max);

#endif
