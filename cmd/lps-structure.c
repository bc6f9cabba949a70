/*
 * lps-structure - the collaboration structures of the portfolio (a
 * partner, a roundtable, other groups), kept in lps.yaml (lib/structure.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "meta.h"
#include "portfolio.h"
#include "structure.h"
#include "txn.h"

static const char usage[] =
	"usage: lps structure add --kind partner|roundtable|group --name NAME\n"
	"                         [--members NAME]... [--meets CADENCE]\n"
	"   or: lps structure list [--format text|json|ids]\n"
	"   or: lps structure remove NAME-OR-KEY\n"
	"\n"
	"Name the structures the leader learns in: one partner, one roundtable\n"
	"of peers, and any other groups.  They are kept in lps.yaml; the\n"
	"partner and roundtable fields there always follow this list.  Each\n"
	"structure has a key made from its name (\"Ms. Rivera\" -> ms-rivera).\n"
	"\n"
	"    --kind KIND         partner, roundtable or group (add)\n"
	"    --name NAME         the person's or group's name (add)\n"
	"    --members NAME      a member of the structure; repeat for more\n"
	"    --meets CADENCE     how often it meets, in words (\"monthly\")\n"
	"    --format FORMAT     text (default), json or ids (list)\n"
	"    -h, --help          show this help\n";

/* Bounded by the schema's maxItems for members. */
#define MAX_MEMBERS 100

static const char *const formats[] = { "text", "json", "ids", NULL };

static int open_portfolio(struct lps_portfolio **p)
{
	struct lps_error *err = lps_portfolio_open(p, ".");
	return err ? lps_cli_fail(err) : 0;
}

static int write_out(const struct lps_buf *b)
{
	if (b->len && (fwrite(b->data, 1, b->len, stdout) != b->len ||
		       fflush(stdout) != 0))
		return lps_cli_fail(lps_error_new(LPS_ESYS, "writing: %s",
						  strerror(errno)));
	return 0;
}

/* The normalised list of lps.yaml in a copy (*doc, caller frees). */
static struct lps_error *load_list(struct lps_doc **doc,
				   const struct lps_node **list,
				   struct lps_portfolio *p)
{
	struct lps_error *err = lps_meta_copy(doc, p);
	if (err)
		return err;
	struct lps_node *root = lps_doc_root(*doc);
	err = lps_structure_normalize(*doc, root);
	*list = lps_map_get(root, "structures");
	if (*list && (*list)->type != LPS_NODE_SEQ)
		*list = NULL;
	return err;
}

static struct lps_error *list_json(struct lps_buf *b,
				   const struct lps_node *list)
{
	struct lps_doc *out = NULL;
	struct lps_error *err = lps_doc_new(&out, "structures");
	if (err)
		return err;
	struct lps_node *root = lps_doc_new_map(out);
	struct lps_node *seq = lps_doc_new_seq(out);
	int bad = !root || !seq || lps_map_set(out, root, "structures", seq);
	for (size_t i = 0; !bad && list && i < list->v.seq.n; i++) {
		const struct lps_node *s = list->v.seq.items[i];
		char key[LPS_STRUCTURE_KEY_MAX];
		const char *name = lps_node_str(lps_map_get(s, "name"));
		lps_structure_key(key, name ? name : "",
				  lps_node_str(lps_map_get(s, "kind")));
		struct lps_node *m = lps_doc_new_map(out);
		bad = !m || lps_map_set(out, m, "key",
					lps_doc_new_string(out, key)) < 0;
		for (size_t j = 0; !bad && j < s->v.map.n; j++)
			bad = lps_map_set(out, m, s->v.map.pairs[j].key,
					  lps_doc_copy(out,
						       s->v.map.pairs[j].value)) < 0;
		bad = bad || lps_seq_append(out, seq, m) < 0;
	}
	err = bad ? lps_error_nomem() : lps_doc_emit_json(root, b);
	lps_doc_free(out);
	return err;
}

static struct lps_error *list_text(struct lps_buf *b,
				   const struct lps_node *list, int ids)
{
	size_t n = list ? list->v.seq.n : 0, width = 0;
	char key[LPS_STRUCTURE_KEY_MAX];
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		const struct lps_node *s = list->v.seq.items[i];
		const char *name = lps_node_str(lps_map_get(s, "name"));
		lps_structure_key(key, name ? name : "",
				  lps_node_str(lps_map_get(s, "kind")));
		if (strlen(key) > width)
			width = strlen(key);
	}
	for (size_t i = 0; i < n && !bad; i++) {
		const struct lps_node *s = list->v.seq.items[i];
		const char *name = lps_node_str(lps_map_get(s, "name"));
		const char *kind = lps_node_str(lps_map_get(s, "kind"));
		const char *meets = lps_node_str(lps_map_get(s, "meets"));
		const struct lps_node *mem = lps_map_get(s, "members");
		name = name ? name : "";
		lps_structure_key(key, name, kind);
		if (ids) {
			bad = lps_buf_addf(b, "%s\t%s\n", key, name) < 0;
			continue;
		}
		bad = lps_buf_addf(b, "%-*s  %-10s  %s", (int)width, key,
				   kind ? kind : "", name) < 0;
		if (meets)
			bad = bad || lps_buf_addf(b, "  meets: %s", meets) < 0;
		for (size_t j = 0; mem && mem->type == LPS_NODE_SEQ &&
				   j < mem->v.seq.n; j++) {
			const char *m = lps_node_str(mem->v.seq.items[j]);
			bad = bad || lps_buf_addf(b, "%s%s",
						  j ? ", " : "  members: ",
						  m ? m : "") < 0;
		}
		bad = bad || lps_buf_addc(b, '\n') < 0;
	}
	return bad ? lps_error_nomem() : NULL;
}

static int cmd_list(int argc, char **argv)
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
	int rc = open_portfolio(&p);
	if (rc)
		return rc;
	struct lps_doc *doc = NULL;
	const struct lps_node *list = NULL;
	struct lps_buf b = LPS_BUF_INIT;
	struct lps_error *err = load_list(&doc, &list, p);
	if (!err)
		err = format == 1 ? list_json(&b, list)
				  : list_text(&b, list, format == 2);
	rc = err ? lps_cli_fail(err) : write_out(&b);
	lps_buf_free(&b);
	lps_doc_free(doc);
	lps_portfolio_free(p);
	return rc;
}

/* Commit the changed lps.yaml with subject "structure: VERB KIND \"NAME\"". */
static struct lps_error *commit(struct lps_portfolio *p, struct lps_doc *doc,
				const char *verb, const char *kind,
				const char *name)
{
	struct lps_txn *txn = NULL;
	struct lps_buf what = LPS_BUF_INIT;
	char command[32];
	struct lps_error *err = lps_txn_begin(&txn, p);
	if (!err)
		err = lps_txn_put(txn, "lps.yaml", lps_doc_root(doc));
	if (!err && lps_buf_addf(&what, "%s %s \"%s\"", verb, kind, name) < 0)
		err = lps_error_nomem();
	snprintf(command, sizeof(command), "structure %s", verb);
	if (!err)
		err = lps_txn_commit(txn, "structure", what.data, command,
				     NULL, 0, NULL);
	lps_buf_free(&what);
	lps_txn_free(txn);
	return err;
}

static int cmd_add(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "name", required_argument, NULL, 'n' },
		{ "members", required_argument, NULL, 'm' },
		{ "member", required_argument, NULL, 'm' },
		{ "meets", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *members[MAX_MEMBERS];
	struct lps_structure_fields f = { 0 };
	int c;

	f.members = members;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			if (lps_cli_choice("--kind", optarg,
					   lps_structure_kinds) < 0)
				return LPS_EXIT_USAGE;
			f.kind = optarg;
			break;
		case 'n': f.name = optarg; break;
		case 'M': f.meets = optarg; break;
		case 'm':
			if (f.nmembers == MAX_MEMBERS)
				return lps_cli_usage_error(
					"more than %d members", MAX_MEMBERS);
			if (!*optarg)
				return lps_cli_usage_error(
					"--members: empty name");
			members[f.nmembers++] = optarg;
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
	if (!f.kind)
		return lps_cli_usage_error("--kind is required");
	if (!f.name || !*f.name)
		return lps_cli_usage_error("--name is required");
	if (f.meets && !*f.meets)
		return lps_cli_usage_error("--meets: empty cadence");

	struct lps_portfolio *p = NULL;
	int rc = open_portfolio(&p);
	if (rc)
		return rc;
	struct lps_doc *doc = NULL;
	struct lps_error *err = lps_meta_copy(&doc, p);
	if (!err)
		err = lps_structure_add(doc, lps_doc_root(doc), &f);
	if (!err)
		err = commit(p, doc, "add", f.kind, f.name);
	if (!err) {
		char key[LPS_STRUCTURE_KEY_MAX];
		lps_structure_key(key, f.name, f.kind);
		printf("Added %s \"%s\" (%s)\n", f.kind, f.name, key);
	}
	rc = lps_cli_fail(err);
	lps_doc_free(doc);
	lps_portfolio_free(p);
	return rc;
}

static int cmd_remove(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'h')
			return lps_cli_help();
		return lps_cli_usage_error("unknown option %s",
					   argv[optind - 1]);
	}
	if (optind >= argc)
		return lps_cli_usage_error("remove: which structure? "
					   "(its name or key)");
	if (optind + 1 < argc)
		return lps_cli_usage_error("unexpected argument '%s'",
					   argv[optind + 1]);
	const char *typed = argv[optind];

	struct lps_portfolio *p = NULL;
	int rc = open_portfolio(&p);
	if (rc)
		return rc;
	struct lps_doc *doc = NULL;
	const struct lps_node *gone = NULL;
	struct lps_error *err = lps_meta_copy(&doc, p);
	if (!err)
		err = lps_structure_remove(doc, lps_doc_root(doc), typed, &gone);
	const char *kind = gone ? lps_node_str(lps_map_get(gone, "kind")) : NULL;
	const char *name = gone ? lps_node_str(lps_map_get(gone, "name")) : NULL;
	if (!err)
		err = commit(p, doc, "remove", kind ? kind : "structure",
			     name ? name : "");
	if (!err) {
		char key[LPS_STRUCTURE_KEY_MAX];
		lps_structure_key(key, name ? name : "", kind);
		printf("Removed %s \"%s\" (%s)\n", kind ? kind : "structure",
		       name ? name : "", key);
	}
	rc = lps_cli_fail(err);
	lps_doc_free(doc);
	lps_portfolio_free(p);
	return rc;
}

int main(int argc, char **argv)
{
	lps_cli_begin(usage);
	opterr = 0;
	if (argc < 2)
		return lps_cli_usage_error("a subcommand is needed: add, list "
					   "or remove");
	const char *sub = argv[1];
	if (!strcmp(sub, "-h") || !strcmp(sub, "--help"))
		return lps_cli_help();
	if (!strcmp(sub, "add"))
		return cmd_add(argc - 1, argv + 1);
	if (!strcmp(sub, "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(sub, "remove"))
		return cmd_remove(argc - 1, argv + 1);
	return lps_cli_usage_error("unknown subcommand '%s' (add, list or "
				   "remove)", sub);
}
