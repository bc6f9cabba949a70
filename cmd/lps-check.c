/*
 * lps-check - check every document of the portfolio (working tree or a
 * revision): schemas, ids, references, attachments.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"
#include "doc.h"
#include "report_check.h"
#include "store.h"

static const char usage[] =
	"usage: lps check [--rev REV] [--format text|json|junit|github]\n"
	"\n"
	"Check every document of the portfolio's working tree (or of the\n"
	"commit REV): each against its schema, ids unique and matching their\n"
	"file names, references to goals, evidence and standards resolving,\n"
	"attachments present with the recorded size, no unknown files in the\n"
	"document folders.  Each finding is printed as PATH:LINE:COL: MESSAGE.\n"
	"\n"
	"    -r, --rev REV        check the commit REV instead of the working tree\n"
	"    -f, --format FORMAT  text (default), json, junit (JUnit XML: a\n"
	"                         test case per document) or github\n"
	"                         (workflow annotations ::error ...)\n"
	"    -h, --help           show this help\n"
	"\n"
	"Exit status: 0 no finding, 1 findings (or not in a repository),\n"
	"2 usage, 4 system error.\n";

static void print_text(const struct lps_check_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct lps_check_finding *f = &r->items[i];
		if (f->line)
			printf("%s:%u:%u: %s\n", f->path, f->line, f->col,
			       f->message);
		else
			printf("%s: %s\n", f->path, f->message);
	}
}

static int print_json(const struct lps_check_result *r)
{
	struct lps_buf b = LPS_BUF_INIT;
	int bad = 0;

	bad |= lps_buf_addf(&b, "{\n  \"ok\": %s,\n  \"revision\": ",
			    r->n ? "false" : "true");
	if (r->has_revision)
		bad |= lps_buf_addf(&b, "\"%s\"", r->revision);
	else
		bad |= lps_buf_adds(&b, "null");
	bad |= lps_buf_addf(&b, ",\n  \"documents\": %zu,\n  \"findings\": [",
			    r->documents);
	for (size_t i = 0; i < r->n; i++) {
		const struct lps_check_finding *f = &r->items[i];
		bad |= lps_buf_adds(&b, i ? ",\n    {\n      \"path\": "
				    : "\n    {\n      \"path\": ");
		bad |= lps_json_quote(&b, f->path, strlen(f->path));
		bad |= lps_buf_addf(&b, ",\n      \"line\": %u,\n"
				    "      \"col\": %u,\n", f->line, f->col);
		if (f->keyword) {
			bad |= lps_buf_adds(&b, "      \"keyword\": ");
			bad |= lps_json_quote(&b, f->keyword,
					      strlen(f->keyword));
			bad |= lps_buf_adds(&b, ",\n");
		}
		bad |= lps_buf_adds(&b, "      \"message\": ");
		bad |= lps_json_quote(&b, f->message, strlen(f->message));
		bad |= lps_buf_adds(&b, "\n    }");
	}
	bad |= lps_buf_adds(&b, r->n ? "\n  ]\n}\n" : "]\n}\n");
	if (bad) {
		lps_buf_free(&b);
		return lps_cli_fail(lps_error_nomem());
	}
	fwrite(b.data, 1, b.len, stdout);
	lps_buf_free(&b);
	return 0;
}

/* JUnit XML or GitHub annotations (lib/report_check.h). */
static int print_ci(const struct lps_check_result *r, struct lps_store *store,
		    const char *rev, int junit)
{
	struct lps_buf b = LPS_BUF_INIT;
	struct lps_error *err = NULL;
	char **docs = NULL;
	size_t ndocs = 0;

	if (junit) {
		err = lps_report_check_documents(&docs, &ndocs, store, rev);
		if (!err)
			err = lps_report_check_junit(&b, r, docs, ndocs);
	} else {
		err = lps_report_check_github(&b, r);
	}
	lps_report_check_free_paths(docs, ndocs);
	if (!err && b.len)
		fwrite(b.data, 1, b.len, stdout);
	lps_buf_free(&b);
	return lps_cli_fail(err);
}

/*
 * What lps check does while libgit2 starts (about 3.6 ms): for the
 * working tree, begin the check of the folder it runs in, the working
 * tree's top when run there as usual: list it (3.8 ms for 10k
 * documents), then start the worker threads loading its documents, which
 * they go on doing while the schemas compile (lps_check_finish).  Should
 * the top be another folder, lps_check_finish() checks that one.
 */
static void begin(void *arg)
{
	struct lps_check_ahead **ahead = arg;
	/* getcwd() gives the folder without symbolic links, as libgit2
	 * gives the working tree. */
	char top[4096];
	if (getcwd(top, sizeof(top) - 1)) {
		size_t n = strlen(top);
		if (top[n - 1] != '/')
			memcpy(top + n, "/", 2);
		lps_error_free(lps_check_begin(ahead, top, 0));
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rev", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const formats[] = { "text", "json", "junit",
					      "github", NULL };
	const char *rev = NULL;
	int format = 0, c;

	lps_cli_usage(usage);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":r:f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': rev = optarg; break;
		case 'f':
			format = lps_cli_choice("--format", optarg, formats);
			if (format < 0)
				return LPS_EXIT_USAGE;
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
	if (optind < argc)
		return lps_cli_usage_error("unexpected argument '%s'",
					   argv[optind]);

	struct lps_check_ahead *ahead = NULL;
	if (rev)
		lps_cli_begin(usage);
	else
		lps_cli_begin_with(usage, begin, &ahead);
	struct lps_store *store = NULL;
	struct lps_error *err = lps_store_open(&store, ".");
	if (err) {
		lps_check_ahead_free(ahead);
		return lps_cli_fail(err);
	}
	struct lps_check_result r = LPS_CHECK_RESULT_INIT;
	if (rev)
		err = lps_check_run(&r, store, rev, 0);
	else
		err = lps_check_finish(&r, store, 0, ahead);
	lps_check_ahead_free(ahead);
	int status;
	if (err) {
		status = lps_cli_fail(err);
	} else {
		if (format == 1)
			status = print_json(&r);
		else if (format == 2 || format == 3)
			status = print_ci(&r, store, rev, format == 2);
		else
			status = (print_text(&r), 0);
		if (status == 0 && r.n)
			status = LPS_EXIT_NO;
	}
	if (fflush(stdout) != 0 && status == 0)
		status = lps_cli_fail(lps_error_new(LPS_ESYS,
						    "cannot write output"));
	lps_check_result_free(&r);
	lps_store_free(store);
	return status;
}
