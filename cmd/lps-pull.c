/*
 * lps-pull - fetch the roundtable (every member's branch and the shared
 * roundtable branch) and bring in what this member published from
 * another machine (lib/remote.h).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "portfolio.h"
#include "remote.h"
#include "transport.h"

static const char usage[] =
	"usage: lps pull [-q]\n"
	"\n"
	"Fetch every member's published portfolio and the roundtable's\n"
	"meetings; when members/<handle> has commits made on another of your\n"
	"machines, replay them here, one local commit each.  Refused (exit 3)\n"
	"naming the files when the same document changed on both machines.\n"
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
	struct lps_remote_pull_result res;
	lps_transport_init(&t);
	t.message = lps_transport_stderr_message;
	if (!quiet && isatty(2))
		t.progress = lps_transport_stderr_progress;
	struct lps_error *err = lps_portfolio_open(&p, ".");
	if (!err)
		err = lps_remote_pull(&res, p, &t);
	if (!err && !quiet) {
		if (res.replayed && res.rebased)
			printf("Replayed %zu commit%s from the roundtable and "
			       "put %zu local commit%s on top\n",
			       res.replayed, res.replayed == 1 ? "" : "s",
			       res.rebased, res.rebased == 1 ? "" : "s");
		else if (res.replayed)
			printf("Replayed %zu commit%s from the roundtable\n",
			       res.replayed, res.replayed == 1 ? "" : "s");
		else
			printf("Already up to date\n");
	}
	lps_portfolio_free(p);
	return lps_cli_fail(err);
}
