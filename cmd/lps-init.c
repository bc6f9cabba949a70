/*
 * lps-init - start a portfolio: create (or adopt) a git repository and
 * commit lps.yaml in phase purpose.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "portfolio.h"

static const char usage[] =
	"usage: lps init [DIR] --name NAME --role ROLE [--district DISTRICT]\n"
	"                [--school SCHOOL] [--cycle CYCLE] [--email EMAIL]\n"
	"\n"
	"Start an lps portfolio in DIR (default: the current directory),\n"
	"creating DIR and its git repository when missing, or adopting the\n"
	"git repository at DIR when it holds no portfolio yet.  lps.yaml is\n"
	"committed in phase purpose as one commit.\n"
	"\n"
	"    --name NAME          the portfolio owner's name (required)\n"
	"    --role ROLE          principal, assistant-principal,\n"
	"                         district-administrator, superintendent,\n"
	"                         teacher-leader, instructional-coach or other\n"
	"                         (required)\n"
	"    --district DISTRICT  the owner's district\n"
	"    --school SCHOOL      the owner's school\n"
	"    --cycle CYCLE        the cycle, e.g. 2026-2027 (default: the\n"
	"                         school year of today; it starts in August)\n"
	"    --email EMAIL        the owner's e-mail address\n"
	"    -h, --help           show this help\n";

/* The roles of schemas/portfolio.schema.yaml, checked up front so that a
 * typo is a usage error listing them. */
static const char *const roles[] = {
	"principal", "assistant-principal", "district-administrator",
	"superintendent", "teacher-leader", "instructional-coach", "other",
	NULL,
};

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "role", required_argument, NULL, 'r' },
		{ "district", required_argument, NULL, 'd' },
		{ "school", required_argument, NULL, 's' },
		{ "cycle", required_argument, NULL, 'c' },
		{ "email", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct lps_init_opts o = { 0 };
	int c;

	lps_cli_begin(usage);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': o.name = optarg; break;
		case 'r': o.role = optarg; break;
		case 'd': o.district = optarg; break;
		case 's': o.school = optarg; break;
		case 'c': o.cycle = optarg; break;
		case 'e': o.email = optarg; break;
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
		o.dir = argv[optind++];
	if (optind < argc)
		return lps_cli_usage_error("unexpected argument '%s'",
					   argv[optind]);
	if (!o.name || !*o.name)
		return lps_cli_usage_error("--name is required");
	if (!o.role)
		return lps_cli_usage_error("--role is required");
	if (lps_cli_choice("--role", o.role, roles) < 0)
		return LPS_EXIT_USAGE;

	char *top = NULL;
	char cycle[LPS_CYCLE_MAX];
	struct lps_error *err = lps_portfolio_init(&o, &top, cycle);
	if (err)
		return lps_cli_fail(err);
	printf("Initialized lps portfolio in %s (phase: purpose, cycle: %s)\n",
	       top, cycle);
	free(top);
	return 0;
}
