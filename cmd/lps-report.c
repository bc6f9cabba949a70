/*
 * lps-report - reports about the portfolio for people and for CI
 * (the kinds of lib/report.c's table), in text, Markdown, JSON, HTML or
 * CSV.  The kinds live in lib/report*.c; this program
 * parses the options, sets the portfolio to the working tree or the
 * revision, runs the kind and writes what it made.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "meta.h"
#include "portfolio.h"
#include "report.h"

/*
 * The usage text around the list of kinds, which comes from the one table
 * (lps_report_kinds), so help and the usage errors never miss a kind.
 */
static const char usage_head[] =
	"usage: lps report KIND [--rev REV] [--since DATE] [--until DATE]\n"
	"                  [--format text|markdown|json|html|csv]\n"
	"                  [--framework NAME] [-o FILE]\n"
	"\n"
	"Write a report about the portfolio as it is in the working tree,\n"
	"uncommitted edits included (or as of the commit REV).  KIND is one\n"
	"of:\n"
	"\n";
static const char usage_tail[] =
	"\n"
	"    -r, --rev REV          read the portfolio as of commit REV (HEAD:\n"
	"                           what is committed)\n"
	"        --since DATE       only dated items on or after DATE\n"
	"        --until DATE       only dated items on or before DATE\n"
	"    -f, --format FORMAT    text (default), markdown, json, html, csv\n"
	"        --framework NAME   coverage: only this framework\n"
	"    -o, --output FILE      write to FILE instead of standard output\n"
	"                           (a file atomically, keeping its mode; a\n"
	"                           FIFO or device is written into)\n"
	"    -h, --help             show this help\n"
	"\n"
	"Invalid documents are left out and listed as warnings; the report\n"
	"is still written and the exit status is 1.\n"
	"Exit status: 0 done, 1 invalid documents, unknown revision or\n"
	"framework, 2 usage, 4 system error (e.g. -o into a missing folder).\n";

/* Help lines are wrapped at this column. */
#define HELP_WIDTH 72

/*
 * "    NAME  summary..." for every kind, names padded to the longest,
 * summaries wrapped at HELP_WIDTH under themselves.  0, or -1 when out of
 * memory.
 */
static int add_kinds(struct lps_buf *b)
{
	size_t w = 0;
	int bad = 0;

	for (size_t i = 0; lps_report_kinds[i]; i++)
		if (strlen(lps_report_kinds[i]->name) > w)
			w = strlen(lps_report_kinds[i]->name);
	for (size_t i = 0; lps_report_kinds[i] && !bad; i++) {
		const struct lps_report_kind *k = lps_report_kinds[i];
		size_t indent = 4 + w + 2, col = indent;
		const char *s = k->summary;

		bad |= lps_buf_addf(b, "    %-*s  ", (int)w, k->name);
		while (*s && !bad) {
			size_t n = strcspn(s, " ");
			if (col > indent && col + 1 + n > HELP_WIDTH) {
				bad |= lps_buf_addf(b, "\n%*s", (int)indent, "");
				col = indent;
			} else if (col > indent) {
				bad |= lps_buf_addc(b, ' ');
				col++;
			}
			bad |= lps_buf_add(b, s, n);
			col += n;
			s += n;
			s += strspn(s, " ");
		}
		bad |= lps_buf_addc(b, '\n');
	}
	return bad ? -1 : 0;
}

/* "status, progress, ...": the kinds for a usage error. */
static const char *kind_names(struct lps_buf *b)
{
	lps_buf_reset(b);
	for (size_t i = 0; lps_report_kinds[i]; i++)
		if (lps_buf_addf(b, "%s%s", i ? ", " : "",
				 lps_report_kinds[i]->name))
			return "see lps report --help";
	return b->data ? b->data : "";
}

enum { OPT_SINCE = 256, OPT_UNTIL, OPT_FRAMEWORK };

static int run(int argc, char **argv, struct lps_buf *scratch)
{
	static const struct option longopts[] = {
		{ "rev", required_argument, NULL, 'r' },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "format", required_argument, NULL, 'f' },
		{ "framework", required_argument, NULL, OPT_FRAMEWORK },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct lps_report_opts opts = { 0 };
	const char *output = NULL;
	char today[11];
	int c, fmt;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":r:f:o:h", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'r': opts.rev = optarg; break;
		case OPT_SINCE: opts.since = optarg; break;
		case OPT_UNTIL: opts.until = optarg; break;
		case OPT_FRAMEWORK: opts.framework = optarg; break;
		case 'o': output = optarg; break;
		case 'f':
			fmt = lps_cli_choice("--format", optarg,
					     lps_report_format_names);
			if (fmt < 0)
				return LPS_EXIT_USAGE;
			opts.format = (enum lps_report_format)fmt;
			break;
		case 'h': return lps_cli_help();
		case ':':
			return lps_cli_usage_error("option %s needs a value",
						   argv[optind - 1]);
		default:
			return lps_cli_usage_error("unknown option %s",
						   argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return lps_cli_usage_error("which report? (%s)",
					   kind_names(scratch));
	const char *name = argv[optind++];
	if (optind < argc)
		return lps_cli_usage_error("unexpected argument '%s'",
					   argv[optind]);
	const struct lps_report_kind *kind = lps_report_kind_find(name);
	if (!kind)
		return lps_cli_usage_error("unknown report '%s' (%s)", name,
					   kind_names(scratch));
	if (opts.since && !lps_meta_date_valid(opts.since))
		return lps_cli_usage_error("--since: expected a date "
					   "YYYY-MM-DD, got '%s'", opts.since);
	if (opts.until && !lps_meta_date_valid(opts.until))
		return lps_cli_usage_error("--until: expected a date "
					   "YYYY-MM-DD, got '%s'", opts.until);
	if (opts.since && opts.until && strcmp(opts.since, opts.until) > 0)
		return lps_cli_usage_error("--since %s is after --until %s",
					   opts.since, opts.until);
	if (output && !*output)
		return lps_cli_usage_error("-o needs a file name");
	lps_portfolio_today(today, NULL);
	opts.today = today;

	struct lps_portfolio *p = NULL;
	struct lps_buf out = LPS_BUF_INIT;
	char **invalid = NULL;
	size_t ninvalid = 0;
	struct lps_error *err = lps_portfolio_open(&p, ".");
	if (!err)
		err = opts.rev ? lps_portfolio_set_rev(p, opts.rev)
			       : lps_report_read_worktree(p);
	if (!err)
		err = lps_report_run(kind, p, &opts, &out, &invalid,
				     &ninvalid);
	/* The invalid documents are named whatever else happens, so the
	 * user sees them even when the report itself fails. */
	for (size_t i = 0; i < ninvalid; i++)
		lps_cli_warning("%s", invalid[i]);
	if (!err && lps_report_history_cut(kind, p))
		lps_cli_warning("the history is shallow (a clone made with "
				"--depth): it starts at the oldest commit "
				"fetched; for all of it run: git fetch "
				"--unshallow");
	if (!err)
		err = lps_report_output(output, &out);
	int status = lps_cli_fail(err);
	if (status == 0 && ninvalid)
		status = LPS_EXIT_NO;
	lps_report_free_list(invalid, ninvalid);
	lps_buf_free(&out);
	lps_portfolio_free(p);
	return status;
}

int main(int argc, char **argv)
{
	struct lps_buf usage = LPS_BUF_INIT, scratch = LPS_BUF_INIT;

	/* Out of memory here leaves a shorter help, not a failure. */
	if (lps_buf_adds(&usage, usage_head) || add_kinds(&usage) ||
	    lps_buf_adds(&usage, usage_tail))
		lps_buf_reset(&usage);
	lps_cli_begin(usage.len ? usage.data : usage_head);
	int status = run(argc, argv, &scratch);
	lps_buf_free(&scratch);
	lps_buf_free(&usage);
	return status;
}
