/*
 * lps-framework - the frameworks of standards: the built-in ones and those
 * a portfolio adds under frameworks/ (lib/framework.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "collection.h"
#include "doc.h"
#include "framework.h"
#include "portfolio.h"
#include "store.h"
#include "txn.h"

static const char usage[] =
	"usage: lps framework list [--format text|json|ids]\n"
	"   or: lps framework show NAME [--format text|json]\n"
	"   or: lps framework add FILE\n"
	"   or: lps framework remove NAME\n"
	"\n"
	"List the frameworks of standards (built in, and those added to the\n"
	"portfolio), show one with its standards and reflection prompts, add\n"
	"a district's own framework from a YAML file (validated, stored as\n"
	"frameworks/NAME.yaml in one commit), or remove an added one that no\n"
	"goal, evidence, reflection or assessment uses any more.\n"
	"\n"
	"    --format FORMAT  text (default), json; list also ids\n"
	"                     (NAME<TAB>TITLE per line)\n"
	"    -h, --help       show this help\n";

/* At most this many referencing documents are named in an error. */
#define MAX_NAMED 10

static const char *const list_formats[] = { "text", "json", "ids", NULL };

static int print_buf(struct lps_buf *b)
{
	if (b->len && (fwrite(b->data, 1, b->len, stdout) != b->len ||
		       fflush(stdout) != 0))
		return lps_cli_fail(lps_error_new(LPS_ESYS, "writing: %s",
						  strerror(errno)));
	return 0;
}

/* Options shared by the subcommands: --format, --help; *nargs args. */
static int parse(int argc, char **argv, const char *const *formats,
		 int *format, char **args, int maxargs, int *nargs)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*nargs = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!formats)
				return lps_cli_usage_error(
					"unknown option --format");
			if ((*format = lps_cli_choice("--format", optarg,
						      formats)) < 0)
				return LPS_EXIT_USAGE;
			break;
		case 'h': lps_cli_help(); return -1;
		case ':':
			return lps_cli_usage_error("option %s needs a value",
						   argv[optind - 1]);
		default:
			return lps_cli_usage_error("unknown option %s",
						   argv[optind - 1]);
		}
	}
	for (; optind < argc; optind++) {
		if (*nargs == maxargs)
			return lps_cli_usage_error("unexpected argument '%s'",
						   argv[optind]);
		args[(*nargs)++] = argv[optind];
	}
	return 0;
}

static int set_str(struct lps_doc *doc, struct lps_node *map,
		   const char *key, const char *s)
{
	return s ? lps_map_set(doc, map, key, lps_doc_new_string(doc, s))
		 : 0;
}

static struct lps_error *list_json(struct lps_buf *out,
				   const struct lps_frameworks *fws)
{
	struct lps_doc *doc;
	struct lps_error *err = lps_doc_new(&doc, "frameworks");
	struct lps_node *root, *list;
	int bad;

	if (err)
		return err;
	root = lps_doc_new_map(doc);
	list = lps_doc_new_seq(doc);
	bad = !root || !list || lps_map_set(doc, root, "frameworks", list);
	for (size_t i = 0; !bad && i < lps_frameworks_count(fws); i++) {
		const struct lps_framework *fw = lps_frameworks_at(fws, i);
		struct lps_node *m = lps_doc_new_map(doc);

		bad = !m || set_str(doc, m, "name", fw->name) ||
		      set_str(doc, m, "title", fw->title) ||
		      set_str(doc, m, "version", fw->version) ||
		      set_str(doc, m, "source", fw->source) ||
		      lps_map_set(doc, m, "builtin",
				  lps_doc_new_bool(doc, !fw->path)) ||
		      set_str(doc, m, "path", fw->path) ||
		      lps_map_set(doc, m, "standards",
				  lps_doc_new_int(doc,
						  (int64_t)fw->nstandards)) ||
		      lps_map_set(doc, m, "prompts",
				  lps_doc_new_int(doc,
						  (int64_t)fw->nprompts)) ||
		      lps_seq_append(doc, list, m);
	}
	err = bad ? lps_error_nomem() : lps_doc_emit_json(root, out);
	lps_doc_free(doc);
	return err;
}

static struct lps_error *list_text(struct lps_buf *out,
				   const struct lps_frameworks *fws, int ids)
{
	size_t w = 0;
	int bad = 0;

	for (size_t i = 0; i < lps_frameworks_count(fws); i++) {
		size_t n = strlen(lps_frameworks_at(fws, i)->name);
		w = n > w ? n : w;
	}
	for (size_t i = 0; !bad && i < lps_frameworks_count(fws); i++) {
		const struct lps_framework *fw = lps_frameworks_at(fws, i);

		if (ids)
			bad = lps_buf_addf(out, "%s\t%s\n", fw->name,
					   fw->title) < 0;
		else
			bad = lps_buf_addf(out, "%-*s  %-8s  %3zu standards  "
					   "%s\n", (int)w, fw->name,
					   fw->path ? "added" : "built-in",
					   fw->nstandards, fw->title) < 0;
	}
	return bad ? lps_error_nomem() : NULL;
}

static struct lps_error *show_text(struct lps_buf *out,
				   const struct lps_framework *fw)
{
	int bad = lps_buf_addf(out, "%s: %s\n", fw->name, fw->title) < 0;

	if (fw->version)
		bad = bad || lps_buf_addf(out, "version: %s\n",
					  fw->version) < 0;
	if (fw->source)
		bad = bad || lps_buf_addf(out, "source: %s\n", fw->source) < 0;
	bad = bad || lps_buf_addf(out, "%s\n\nstandards:\n",
				  fw->path ? fw->path : "built in") < 0;
	for (size_t i = 0; !bad && i < fw->nstandards; i++) {
		const struct lps_standard *st = &fw->standards[i];

		bad = lps_buf_addf(out, "%*s%s.%s  %s\n",
				   (int)(2 + 2 * st->depth), "", fw->name,
				   st->code, st->title) < 0;
		for (size_t j = 0; !bad && j < fw->nprompts; j++) {
			const struct lps_prompt *pr = &fw->prompts[j];

			if (pr->standard != st)
				continue;
			bad = lps_buf_addf(out, "%*s%s%s%s%s  %s\n",
					   (int)(6 + 2 * st->depth), "",
					   pr->id, pr->phase ? " (" : "",
					   pr->phase ? pr->phase : "",
					   pr->phase ? ")" : "",
					   pr->text) < 0;
		}
	}
	return bad ? lps_error_nomem() : NULL;
}

static int list_or_show(int argc, char **argv, int show)
{
	struct lps_portfolio *p = NULL;
	struct lps_frameworks *fws = NULL;
	struct lps_buf out = LPS_BUF_INIT;
	struct lps_error *err;
	char *args[1];
	int format = 0, nargs, rc;

	rc = parse(argc, argv, list_formats, &format, args, show, &nargs);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (show && format == 2)
		return lps_cli_usage_error("--format ids is for lps framework "
					   "list");
	if (show && nargs != 1)
		return lps_cli_usage_error("lps framework show needs a NAME");
	err = lps_portfolio_open(&p, ".");
	if (!err)
		err = lps_frameworks_load(&fws, p);
	if (!err && show) {
		const struct lps_framework *fw =
			lps_frameworks_find(fws, args[0]);
		if (!fw)
			err = lps_error_new(LPS_ENOTFOUND,
					    "no framework %s", args[0]);
		else if (format == 1)
			err = lps_doc_emit_json(lps_doc_root(fw->doc), &out);
		else
			err = show_text(&out, fw);
	} else if (!err) {
		err = format == 1 ? list_json(&out, fws)
				  : list_text(&out, fws, format == 2);
	}
	rc = err ? lps_cli_fail(err) : print_buf(&out);
	lps_buf_free(&out);
	lps_frameworks_free(fws);
	lps_portfolio_free(p);
	return rc;
}

static int add(int argc, char **argv)
{
	struct lps_portfolio *p = NULL;
	struct lps_frameworks *fws = NULL;
	struct lps_doc *doc = NULL, *copy = NULL;
	struct lps_txn *txn = NULL;
	struct lps_error *err;
	const struct lps_framework *fw;
	struct lps_node *root;
	char *args[1], path[64], what[80];
	int format = 0, nargs, rc;

	if ((rc = parse(argc, argv, NULL, &format, args, 1, &nargs)))
		return rc < 0 ? 0 : rc;
	if (nargs != 1)
		return lps_cli_usage_error("lps framework add needs a FILE");
	err = lps_portfolio_open(&p, ".");
	if (!err)
		err = lps_frameworks_load(&fws, p);
	if (!err)
		err = lps_doc_load_file(&doc, args[0], NULL);
	if (!err) {
		/* The set takes doc, also when it refuses it. */
		err = lps_frameworks_add(fws, doc, NULL);
		doc = NULL;
	}
	if (err)
		goto out;
	fw = lps_frameworks_at(fws, lps_frameworks_count(fws) - 1);
	snprintf(path, sizeof(path), "frameworks/%s.yaml", fw->name);
	if ((err = lps_doc_new(&copy, path)))
		goto out;
	if (!(root = lps_doc_copy(copy, lps_doc_root(fw->doc)))) {
		err = lps_error_nomem();
		goto out;
	}
	snprintf(what, sizeof(what), "add %s", fw->name);
	err = lps_txn_begin(&txn, p);
	if (!err)
		err = lps_txn_put(txn, path, root);
	if (!err)
		err = lps_txn_commit(txn, "framework", what, "framework add",
				     NULL, 0, NULL);
	if (!err && printf("Added framework %s \"%s\" (%zu standards, %zu "
			   "prompts)\n", fw->name, fw->title, fw->nstandards,
			   fw->nprompts) < 0)
		err = lps_error_new(LPS_ESYS, "writing: %s", strerror(errno));
out:
	rc = lps_cli_fail(err);
	lps_txn_free(txn);
	lps_doc_free(copy);
	lps_frameworks_free(fws);
	lps_portfolio_free(p);
	return rc;
}

/* Documents still using a framework. */
struct users {
	const char *name;  /* the framework */
	size_t nlen;
	struct lps_buf named;
	size_t n;
	struct lps_error *err;
};

static int note_user(struct users *u, const char *path)
{
	u->n++;
	if (u->n > MAX_NAMED)
		return 0;
	if (lps_buf_addf(&u->named, "%s%s", u->n > 1 ? ", " : "", path) < 0) {
		u->err = lps_error_nomem();
		return 1;
	}
	return 0;
}

/* "NAME.something" */
static int ref_of(const struct users *u, const char *s)
{
	return s && !strncmp(s, u->name, u->nlen) && s[u->nlen] == '.';
}

static int uses_standard(void *ctx, const char *path,
			 const struct lps_doc *doc,
			 const struct lps_error *problem)
{
	struct users *u = ctx;
	const struct lps_node *root = doc ? lps_doc_root(doc) : NULL;
	const struct lps_node *stds = lps_map_get(root, "standards");
	int used = ref_of(u, lps_node_str(lps_map_get(root, "prompt")));

	for (size_t i = 0; !used && stds && stds->type == LPS_NODE_SEQ &&
			   i < stds->v.seq.n; i++)
		used = ref_of(u, lps_node_str(stds->v.seq.items[i]));
	(void)problem;
	return used ? note_user(u, path) : 0;
}

static int uses_in_assessment(void *ctx, const char *path, const char *data,
			      size_t len)
{
	struct users *u = ctx;
	struct lps_doc *doc = NULL;
	struct lps_error *err = lps_doc_load(&doc, path, data, len, NULL);
	const char *fw;
	int rc = 0;

	if (err) {
		/* Not this command's business: lps check reports it. */
		lps_error_free(err);
		return 0;
	}
	fw = lps_node_str(lps_map_get(lps_doc_root(doc), "framework"));
	if (fw && !strcmp(fw, u->name))
		rc = note_user(u, path);
	lps_doc_free(doc);
	return rc;
}

static struct lps_error *find_users(struct lps_portfolio *p, struct users *u)
{
	static const char *const dirs[] = { "goals", "evidence",
					    "reflections", NULL };
	struct lps_error *err = NULL;

	for (size_t i = 0; dirs[i] && !err && !u->err; i++)
		err = lps_collection_each(p, dirs[i], uses_standard, u);
	if (!err && !u->err)
		err = lps_store_foreach(lps_portfolio_store(p),
					lps_portfolio_head(p), "assessments",
					uses_in_assessment, u);
	if (u->err) {
		lps_error_free(err);
		err = u->err;
		u->err = NULL;
	}
	return err;
}

static int remove_fw(int argc, char **argv)
{
	struct lps_portfolio *p = NULL;
	struct lps_frameworks *fws = NULL;
	struct lps_txn *txn = NULL;
	struct lps_error *err;
	const struct lps_framework *fw;
	struct users u;
	char *args[1], what[80];
	int format = 0, nargs, rc;

	if ((rc = parse(argc, argv, NULL, &format, args, 1, &nargs)))
		return rc < 0 ? 0 : rc;
	if (nargs != 1)
		return lps_cli_usage_error("lps framework remove needs a NAME");
	memset(&u, 0, sizeof(u));
	err = lps_portfolio_open(&p, ".");
	if (!err)
		err = lps_frameworks_load(&fws, p);
	if (err)
		goto out;
	fw = lps_frameworks_find(fws, args[0]);
	if (!fw) {
		err = lps_error_new(LPS_ENOTFOUND, "no framework %s", args[0]);
		goto out;
	}
	if (!fw->path) {
		err = lps_error_new(LPS_EINVALID, "framework %s is built in; "
				    "only added frameworks can be removed",
				    fw->name);
		goto out;
	}
	u.name = fw->name;
	u.nlen = strlen(fw->name);
	if ((err = find_users(p, &u)))
		goto out;
	if (u.n) {
		err = lps_error_new(LPS_EINVALID,
				    "framework %s is still used by %s%s",
				    fw->name, u.named.data,
				    u.n > MAX_NAMED ? " and more" : "");
		goto out;
	}
	snprintf(what, sizeof(what), "remove %s", fw->name);
	err = lps_txn_begin(&txn, p);
	if (!err)
		err = lps_txn_remove(txn, fw->path);
	if (!err)
		err = lps_txn_commit(txn, "framework", what,
				     "framework remove", NULL, 0, NULL);
	if (!err && printf("Removed framework %s\n", fw->name) < 0)
		err = lps_error_new(LPS_ESYS, "writing: %s", strerror(errno));
out:
	rc = lps_cli_fail(err);
	lps_buf_free(&u.named);
	lps_txn_free(txn);
	lps_frameworks_free(fws);
	lps_portfolio_free(p);
	return rc;
}

int main(int argc, char **argv)
{
	lps_cli_begin(usage);
	opterr = 0;
	/* Without a subcommand, list (as git remote does). */
	if (argc < 2 || argv[1][0] == '-') {
		if (argc > 1 && (!strcmp(argv[1], "-h") ||
				 !strcmp(argv[1], "--help")))
			return lps_cli_help();
		return list_or_show(argc, argv, 0);
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return lps_cli_help();
	if (!strcmp(argv[1], "list"))
		return list_or_show(argc - 1, argv + 1, 0);
	if (!strcmp(argv[1], "show"))
		return list_or_show(argc - 1, argv + 1, 1);
	if (!strcmp(argv[1], "add"))
		return add(argc - 1, argv + 1);
	if (!strcmp(argv[1], "remove"))
		return remove_fw(argc - 1, argv + 1);
	return lps_cli_usage_error("unknown subcommand '%s'", argv[1]);
}
