/*
 * lps-reflection - list and show the portfolio's reflections.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "collection.h"
#include "docset.h"
#include "portfolio.h"
#include "reflection.h"
#include "textclean.h"
#include "visibility.h"

static const char usage[] =
	"usage: lps reflection list [--goal ID] [--phase PHASE]\n"
	"                           [--format text|json|ids]\n"
	"   or: lps reflection show ID [--format text|json]\n"
	"   or: lps reflection set ID visibility=private|roundtable\n"
	"\n"
	"List the reflections (oldest first) or show one.  IDs may be any\n"
	"unique prefix.\n"
	"\n"
	"    --goal ID          only reflections about this goal\n"
	"    --phase PHASE      only reflections written in this phase\n"
	"    --format FORMAT    text (default), json, or ids (list: one\n"
	"                       \"ID<TAB>first line\" per reflection)\n"
	"    -h, --help         show this help\n";

/* Width of the first line in listings. */
#define FIRST_LINE 60

static const char *const formats[] = { "text", "json", "ids", NULL };
static const char *const phases[] = {
	"purpose", "focus", "structures", "action", "outcomes", NULL,
};

/* The string of key in n (key NULL: n itself), or "". */
static const char *str(const struct lps_node *n, const char *key)
{
	const char *s = lps_node_str(key ? lps_map_get(n, key) : n);
	return s ? s : "";
}

static int flush(struct lps_buf *b, struct lps_error *err)
{
	if (!err && b->len && (fwrite(b->data, 1, b->len, stdout) != b->len ||
			       fflush(stdout) != 0))
		err = lps_error_new(LPS_ESYS, "writing: %s", strerror(errno));
	lps_buf_free(b);
	return lps_cli_fail(err);
}

struct filter {
	const char *goal;
	const char *phase;
};

static int keep(void *ctx, const struct lps_node *r)
{
	const struct filter *f = ctx;
	if (f->phase && strcmp(str(r, "phase"), f->phase))
		return 0;
	if (!f->goal)
		return 1;
	const struct lps_node *g = lps_map_get(r, "goals");
	for (size_t i = 0; g && g->type == LPS_NODE_SEQ && i < g->v.seq.n; i++)
		if (!strcmp(str(g->v.seq.items[i], NULL), f->goal))
			return 1;
	return 0;
}

static void warn(void *ctx, const struct lps_error *problem)
{
	char *s = lps_error_format(problem);
	lps_cli_warning("%s (left out)", s ? s : "out of memory");
	free(s);
}

static struct lps_error *list_text(struct lps_buf *b,
				   const struct lps_node *seq, int ids)
{
	struct lps_buf first = LPS_BUF_INIT;
	int bad = 0;
	for (size_t i = 0; i < seq->v.seq.n && !bad; i++) {
		const struct lps_node *r = seq->v.seq.items[i];
		bad = lps_textclean_first_line(&first, str(r, "body"),
					       FIRST_LINE) < 0;
		if (ids)
			bad = bad || lps_buf_addf(b, "%s\t%s\n", str(r, "id"),
						  first.data) < 0;
		else
			bad = bad || lps_buf_addf(b, "%s  %s  %-10s  %s\n",
						  str(r, "id"), str(r, "date"),
						  str(r, "phase"),
						  first.data) < 0;
	}
	lps_buf_free(&first);
	return bad ? lps_error_nomem() : NULL;
}

static struct lps_error *wrap_json(struct lps_buf *b, struct lps_doc *doc,
				   const char *key)
{
	struct lps_node *root = lps_doc_new_map(doc);
	if (!root || lps_map_set(doc, root, key, lps_doc_root(doc)) < 0)
		return lps_error_nomem();
	return lps_doc_emit_json(root, b);
}

static int cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "goal", required_argument, NULL, 'g' },
		{ "phase", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct filter f = { NULL, NULL };
	const char *goal = NULL;
	int c, format = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'g': goal = optarg; break;
		case 'p':
			if (lps_cli_choice("--phase", optarg, phases) < 0)
				return LPS_EXIT_USAGE;
			f.phase = optarg;
			break;
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
	struct lps_portfolio *p = NULL;
	struct lps_doc *set = NULL;
	struct lps_buf b = LPS_BUF_INIT;
	char gid[LPS_ID_LEN + 1] = "";
	struct lps_error *err = lps_portfolio_open(&p, ".");
	if (!err && goal && !(err = lps_collection_find(p, 'g', goal, gid)))
		f.goal = gid;
	if (!err)
		err = lps_docset_collect(&set, p, "reflections", keep, &f,
					 warn, NULL);
	if (!err)
		err = format == 1 ? wrap_json(&b, set, "reflections")
				  : list_text(&b, lps_doc_root(set),
					      format == 2);
	lps_doc_free(set);
	lps_portfolio_free(p);
	return flush(&b, err);
}

static struct lps_error *show_text(struct lps_buf *b, struct lps_portfolio *p,
				   const struct lps_node *r)
{
	static const char *const keys[] = { "date", "cycle", "phase", NULL };
	int bad = lps_buf_addf(b, "reflection %s\n", str(r, "id")) < 0;
	for (size_t i = 0; keys[i] && !bad; i++)
		if (lps_map_get(r, keys[i]))
			bad = lps_buf_addf(b, "%-12s%s\n", keys[i],
					   str(r, keys[i])) < 0;
	const char *prompt = lps_node_str(lps_map_get(r, "prompt"));
	if (prompt && !bad) {
		struct lps_frameworks *fws = NULL;
		struct lps_error *err = lps_reflection_frameworks(&fws, p);
		if (err)
			return err;
		const struct lps_prompt *pr = lps_frameworks_prompt(fws, prompt);
		bad = lps_buf_addf(b, "%-12s%s%s%s\n", "prompt", prompt,
				   pr ? "  " : "", pr ? pr->text : "") < 0;
		lps_frameworks_free(fws);
	}
	const struct lps_node *g = lps_map_get(r, "goals");
	for (size_t i = 0; g && g->type == LPS_NODE_SEQ && i < g->v.seq.n &&
			   !bad; i++)
		bad = lps_buf_addf(b, "%s%s", i ? ", " : "goals       ",
				   str(g->v.seq.items[i], NULL)) < 0;
	if (g && g->type == LPS_NODE_SEQ && g->v.seq.n)
		bad = bad || lps_buf_addc(b, '\n') < 0;
	if (lps_map_get(r, "visibility"))
		bad = bad || lps_buf_addf(b, "%-12s%s\n", "visibility",
					  str(r, "visibility")) < 0;
	bad = bad || lps_buf_addf(b, "\n%s\n", str(r, "body")) < 0;
	return bad ? lps_error_nomem() : NULL;
}

static int cmd_show(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, format = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if ((format = lps_cli_choice("--format", optarg,
						     formats)) < 0)
				return LPS_EXIT_USAGE;
			if (format == 2)
				return lps_cli_usage_error(
					"show: --format is text or json");
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
		return lps_cli_usage_error("show: which reflection? (its id)");
	if (optind + 1 < argc)
		return lps_cli_usage_error("unexpected argument '%s'",
					   argv[optind + 1]);
	struct lps_portfolio *p = NULL;
	struct lps_doc *doc = NULL;
	struct lps_buf b = LPS_BUF_INIT;
	char id[LPS_ID_LEN + 1] = "", path[64];
	struct lps_error *err = lps_portfolio_open(&p, ".");
	if (!err)
		err = lps_collection_find(p, 'r', argv[optind], id);
	snprintf(path, sizeof(path), "reflections/%s.yaml", id);
	if (!err)
		err = lps_collection_load(p, path, &doc);
	if (!err)
		err = format ? lps_doc_emit_json(lps_doc_root(doc), &b)
			     : show_text(&b, p, lps_doc_root(doc));
	lps_doc_free(doc);
	lps_portfolio_free(p);
	return flush(&b, err);
}

/* ---- set (only visibility: what lps push publishes) ---- */

static int cmd_set(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "-h") ||
			  !strcmp(argv[1], "--help")))
		return lps_cli_help();
	if (argc != 3)
		return lps_cli_usage_error("reflection set needs ID "
					   "visibility=VALUE");
	struct lps_portfolio *p = NULL;
	char id[LPS_ID_LEN + 1] = "";
	int changed = 0;
	struct lps_error *err = lps_portfolio_open(&p, ".");
	if (!err)
		err = lps_visibility_set(p, 'r', argv[1], argv[2],
					 "reflection", "reflection set", id,
					 &changed);
	if (!err && changed)
		printf("Updated reflection %s: %s\n", id, argv[2]);
	else if (!err)
		printf("nothing changed\n");
	lps_portfolio_free(p);
	return lps_cli_fail(err);
}

int main(int argc, char **argv)
{
	lps_cli_begin(usage);
	opterr = 0;
	if (argc < 2)
		return lps_cli_usage_error("a subcommand is needed: list, "
					   "show or set");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return lps_cli_help();
	if (!strcmp(argv[1], "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(argv[1], "show"))
		return cmd_show(argc - 1, argv + 1);
	if (!strcmp(argv[1], "set"))
		return cmd_set(argc - 1, argv + 1);
	return lps_cli_usage_error("unknown subcommand '%s' (list, show "
				   "or set)",
				   argv[1]);
}
