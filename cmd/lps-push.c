/*
 * lps-push - publish this portfolio to members/<handle> on the
 * roundtable, as the filtered projection lib/remote.h describes.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "portfolio.h"
#include "remote.h"
#include "transport.h"

static const char usage[] =
	"usage: lps push [-q]\n"
	"\n"
	"Publish this portfolio to members/<handle> on the roundtable.  What\n"
	"is private (documents with visibility: private, reflections unless\n"
	"visibility: roundtable, attachments of private evidence) is left out\n"
	"of every published commit.  Refused (exit 3) when the roundtable has\n"
	"commits this machine has not pulled.\n"
	"\n"
	"    -q, --quiet        no progress and no summary line\n"
	"    -h, --help         show this help\n";

int main(int argc, char **argv)
{
	int quiet = 0;
	lps_cli_begin(usage);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return lps_cli_help();
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = 1;
		else
			return lps_cli_usage_error("unexpected argument '%s'",
						   argv[i]);
	}
	struct lps_portfolio *p = NULL;
	struct lps_transport t;
	struct lps_remote_push_result res;
	lps_transport_init(&t);
	t.message = lps_transport_stderr_message;
	if (!quiet && isatty(2))
		t.progress = lps_transport_stderr_progress;
	struct lps_error *err = lps_portfolio_open(&p, ".");
	if (!err)
		err = lps_remote_push(&res, p, &t);
	if (!err && !quiet) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, 8, &res.published);
		if (res.up_to_date)
			printf("Everything up to date\n");
		else
			printf("Pushed %zu commit%s to members/%s (%s)\n",
			       res.sent, res.sent == 1 ? "" : "s",
			       res.handle, hex);
	}
	lps_portfolio_free(p);
	return lps_cli_fail(err);
}
