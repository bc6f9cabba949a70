/*
 * lps-phase - the phase of the cycle, what its gate still misses, and the
 * move to the next phase (lib/phase.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "doc.h"
#include "phase.h"
#include "portfolio.h"
#include "textclean.h"

static const char usage[] =
	"usage: lps phase [show] [--format text|json]\n"
	"   or: lps phase advance [--force --reason TEXT] [--cycle NAME]\n"
	"                         [--carry ID]...\n"
	"\n"
	"Show the phase of the cycle and what is missing before the next one,\n"
	"or move to the next phase when its gate holds (one commit).\n"
	"Advancing from outcomes starts the next cycle.\n"
	"\n"
	"    --format text|json  output format of show (default text)\n"
	"    --force             advance although the gate does not hold\n"
	"    --reason TEXT       why the gate is overridden (required with\n"
	"                        --force; recorded as LPS-Forced)\n"
	"    --cycle NAME        the next cycle's name (from outcomes only;\n"
	"                        default: the school year after the current)\n"
	"    --carry ID          carry this unfinished goal into the next\n"
	"                        cycle as a new goal (from outcomes only;\n"
	"                        repeatable)\n"
	"    -h, --help          show this help\n";

static const char *const formats[] = { "text", "json", NULL };

static int print_buf(struct lps_buf *b)
{
	if (b->len && (fwrite(b->data, 1, b->len, stdout) != b->len ||
		       fflush(stdout) != 0))
		return lps_cli_fail(lps_error_new(LPS_ESYS, "writing: %s",
						  strerror(errno)));
	return 0;
}

static struct lps_error *show_json(struct lps_buf *out, const char *cycle,
				   const char *from, const char *to,
				   const struct lps_gaps *gaps)
{
	struct lps_doc *doc;
	struct lps_error *err = lps_doc_new(&doc, "phase");
	struct lps_node *root, *list;
	int bad;

	if (err)
		return err;
	root = lps_doc_new_map(doc);
	list = lps_doc_new_seq(doc);
	bad = !root || !list ||
	      lps_map_set(doc, root, "cycle", lps_doc_new_string(doc, cycle)) ||
	      lps_map_set(doc, root, "phase", lps_doc_new_string(doc, from)) ||
	      lps_map_set(doc, root, "next", lps_doc_new_string(doc, to)) ||
	      lps_map_set(doc, root, "ready", lps_doc_new_bool(doc, !gaps->n));
	for (size_t i = 0; !bad && i < gaps->n; i++) {
		struct lps_node *m = lps_doc_new_map(doc);
		bad = !m ||
		      lps_map_set(doc, m, "text",
				  lps_doc_new_string(doc, gaps->items[i].text)) ||
		      (gaps->items[i].goal &&
		       lps_map_set(doc, m, "goal",
				   lps_doc_new_string(doc,
						      gaps->items[i].goal))) ||
		      lps_seq_append(doc, list, m);
	}
	bad = bad || lps_map_set(doc, root, "missing", list);
	err = bad ? lps_error_nomem() : lps_doc_emit_json(root, out);
	lps_doc_free(doc);
	return err;
}

static int show(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct lps_portfolio *p = NULL;
	struct lps_gaps gaps = LPS_GAPS_INIT;
	struct lps_buf out = LPS_BUF_INIT;
	struct lps_error *err;
	char from[16], to[16];
	const char *cycle;
	int c, format = 0, rc;

	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if ((format = lps_cli_choice("--format", optarg,
						     formats)) < 0)
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
	err = lps_portfolio_open(&p, ".");
	if (!err)
		err = lps_phase_missing(p, &gaps, from, to);
	if (err)
		goto out;
	cycle = lps_node_str(lps_map_get(lps_doc_root(lps_portfolio_meta(p)),
					 "cycle"));
	if (format) {
		err = show_json(&out, cycle, from, to, &gaps);
	} else {
		int bad = lps_buf_addf(&out, "cycle %s, phase %s\n", cycle,
				       from) < 0;
		if (!gaps.n)
			bad = bad || lps_buf_addf(&out, "ready for %s "
						  "(lps phase advance)\n",
						  to) < 0;
		else
			bad = bad || lps_buf_addf(&out, "missing for %s:\n",
						  to) < 0;
		for (size_t i = 0; !bad && i < gaps.n; i++)
			bad = lps_buf_addf(&out, "  %s\n",
					   gaps.items[i].text) < 0;
		if (bad)
			err = lps_error_nomem();
	}
out:
	rc = err ? lps_cli_fail(err) : print_buf(&out);
	lps_buf_free(&out);
	lps_gaps_free(&gaps);
	lps_portfolio_free(p);
	return rc;
}

static int advance(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'F' },
		{ "reason", required_argument, NULL, 'r' },
		{ "cycle", required_argument, NULL, 'c' },
		{ "carry", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct lps_advance_opts o = { 0 };
	struct lps_advance a;
	struct lps_portfolio *p = NULL;
	struct lps_error *err;
	const char **carry = NULL;
	int c, force = 0, rc;

	memset(&a, 0, sizeof(a));
	/* argc bounds the number of --carry options. */
	carry = calloc((size_t)argc + 1, sizeof(*carry));
	if (!carry)
		return lps_cli_fail(lps_error_nomem());
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'F': force = 1; break;
		case 'r': o.reason = optarg; break;
		case 'c': o.cycle = optarg; break;
		case 'C': carry[o.ncarry++] = optarg; break;
		case 'h': free(carry); return lps_cli_help();
		case ':':
			free(carry);
			return lps_cli_usage_error("option %s needs a value",
						   argv[optind - 1]);
		default:
			free(carry);
			return lps_cli_usage_error("unknown option %s",
						   argv[optind - 1]);
		}
	}
	o.carry = carry;
	rc = -1;
	if (optind < argc)
		rc = lps_cli_usage_error("unexpected argument '%s'",
					 argv[optind]);
	else if (force && !o.reason)
		rc = lps_cli_usage_error("--force needs --reason TEXT saying "
					 "why the gate is overridden");
	else if (force && lps_textclean_blank(o.reason, strlen(o.reason)))
		rc = lps_cli_usage_error("--reason cannot be empty: say why "
					 "the gate is overridden");
	else if (!force && o.reason)
		rc = lps_cli_usage_error("--reason goes with --force");
	if (rc >= 0) {
		free(carry);
		return rc;
	}
	if (!force)
		o.reason = NULL;
	err = lps_portfolio_open(&p, ".");
	if (!err)
		err = lps_phase_advance(p, &o, &a);
	if (err && err->code == LPS_EINVALID && a.missing.n && !a.forced) {
		lps_cli_error("cannot advance from %s to %s; missing:", a.from,
			      a.to);
		for (size_t i = 0; i < a.missing.n; i++)
			fprintf(stderr, "  %s\n", a.missing.items[i].text);
		lps_error_free(err);
		rc = LPS_EXIT_NO;
	} else if (err && err->code == LPS_EUSAGE) {
		rc = lps_cli_usage_error("%s", err->msg);
		lps_error_free(err);
	} else if (err) {
		rc = lps_cli_fail(err);
	} else {
		printf("Moved from %s to %s", a.from, a.to);
		if (a.cycle[0])
			printf("; started cycle %s", a.cycle);
		if (a.forced)
			printf(" (gate forced: %s)", o.reason);
		printf("\n");
		for (size_t i = 0; i < a.ncarried; i++)
			printf("Carried %s \"%s\" forward as %s\n",
			       a.carried[i].old, a.carried[i].title,
			       a.carried[i].id);
		rc = fflush(stdout) ? LPS_EXIT_SYSTEM : 0;
	}
	lps_advance_free(&a);
	lps_portfolio_free(p);
	free(carry);
	return rc;
}

int main(int argc, char **argv)
{
	lps_cli_begin(usage);
	opterr = 0;
	if (argc > 1 && !strcmp(argv[1], "advance"))
		return advance(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "show"))
		return show(argc - 1, argv + 1);
	if (argc > 1 && argv[1][0] != '-')
		return lps_cli_usage_error("unknown subcommand '%s'", argv[1]);
	return show(argc, argv);
}
