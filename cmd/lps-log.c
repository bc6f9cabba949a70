/*
 * lps-log - the portfolio's history, read from the LPS-* trailers of its
 * commits (lib/history.h).  Commits made with plain git are left out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "history.h"
#include "store.h"

static const char usage[] =
	"usage: lps log [--phases] [-n N] [--format text|json] [REV]\n"
	"\n"
	"Show the lps history of the portfolio, newest first: one line per\n"
	"commit made by an lps command (short id, date, subject).\n"
	"\n"
	"  --phases            only phase changes, as FROM -> TO (and why a\n"
	"                      gate was forced)\n"
	"  -n N                at most N entries\n"
	"  --format text|json  output format (default text)\n"
	"  REV                 start from this revision instead of HEAD\n"
	"  -h, --help          show this help\n";

/* Larger counts are surely a typo; the cap keeps the number in range. */
#define MAX_COUNT 1000000000L

static const char *const formats[] = { "text", "json", NULL };

/* Parse N of -n; 0 and exit status 2 (after a message) when it is bad. */
static int parse_count(const char *s, size_t *n)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < 1 || v > MAX_COUNT)
		return lps_cli_usage_error(
			"-n: expected a positive number, got '%s'", s);
	*n = (size_t)v;
	return 0;
}

int main(int argc, char **argv)
{
	lps_cli_begin(usage);
	struct lps_history_opts opts = LPS_HISTORY_OPTS_INIT;
	int format = 0;
	const char *rev = NULL;
	int rc, only_args = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		if (only_args || a[0] != '-' || !a[1]) {
			if (rev)
				return lps_cli_usage_error(
					"more than one revision: '%s'", a);
			rev = a;
		} else if (!strcmp(a, "--")) {
			only_args = 1;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			return lps_cli_help();
		} else if (!strcmp(a, "--phases")) {
			opts.phases_only = 1;
		} else if (!strcmp(a, "-n") || !strcmp(a, "--max-count")) {
			if (++i >= argc)
				return lps_cli_usage_error("%s needs a number", a);
			if ((rc = parse_count(argv[i], &opts.max)))
				return rc;
		} else if (!strncmp(a, "-n", 2) ||
			   !strncmp(a, "--max-count=", 12)) {
			val = a[1] == 'n' ? a + 2 : a + 12;
			if ((rc = parse_count(val, &opts.max)))
				return rc;
		} else if (!strcmp(a, "--format") ||
			   !strncmp(a, "--format=", 9)) {
			if (a[8] == '=')
				val = a + 9;
			else if (++i < argc)
				val = argv[i];
			else
				return lps_cli_usage_error(
					"option --format needs a value");
			if ((format = lps_cli_choice("--format", val, formats)) < 0)
				return LPS_EXIT_USAGE;
		} else {
			return lps_cli_usage_error("unknown option %s", a);
		}
	}

	struct lps_store *store = NULL;
	struct lps_history *h = NULL;
	struct lps_buf out = LPS_BUF_INIT;
	struct lps_error *err = lps_store_open(&store, ".");
	if (!err)
		err = lps_history_read(&h, store, rev, &opts);
	if (!err)
		err = format ? lps_history_write_json(&out, h)
			     : lps_history_write_text(&out, h, opts.phases_only);
	if (!err && out.len && (fwrite(out.data, 1, out.len, stdout) != out.len ||
				fflush(stdout) != 0))
		err = lps_error_new(LPS_ESYS, "writing the log: %s",
				    strerror(errno));
	rc = lps_cli_fail(err);
	lps_buf_free(&out);
	lps_history_free(h);
	lps_store_free(store);
	return rc;
}
