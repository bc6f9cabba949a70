/*
 * lps-assess - self-assessment against one standard of a framework:
 * assessments/<cycle>/<framework>-<code>.yaml, one per standard and cycle
 * (assessing the same standard again replaces the earlier rating in one
 * commit; history keeps it).
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
#include "format.h"
#include "framework.h"
#include "portfolio.h"
#include "txn.h"
#include "visibility.h"

static const char usage[] =
	"usage: lps assess CODE --rating RATING -m TEXT [--evidence ID]...\n"
	"                  [--date DATE]\n"
	"   or: lps assess list [--framework NAME] [--cycle CYCLE]\n"
	"                       [--format text|json]\n"
	"   or: lps assess set CODE visibility=shared|private [--cycle CYCLE]\n"
	"\n"
	"Rate yourself against the standard CODE (FRAMEWORK.CODE, e.g.\n"
	"issl.1a) of a built-in or added framework in the current cycle, or\n"
	"list the ratings of a cycle, or keep a rating off the roundtable\n"
	"(private) or publish it again (shared).\n"
	"\n"
	"    --rating RATING     beginning, developing, proficient or\n"
	"                        exemplary\n"
	"    -m, --message TEXT  the rationale (required)\n"
	"    --evidence ID       evidence backing the rating (repeatable)\n"
	"    --date DATE         the day of the assessment, YYYY-MM-DD\n"
	"                        (default today)\n"
	"    --framework NAME    list only this framework's standards\n"
	"    --cycle CYCLE       list or set in this cycle (default the\n"
	"                        current one)\n"
	"    --format text|json  output format of list (default text)\n"
	"    -h, --help          show this help\n";

static const char *const ratings[] = {
	"beginning", "developing", "proficient", "exemplary", NULL,
};
static const char *const formats[] = { "text", "json", NULL };

/* The assessment schema bounds evidence ids at 200. */
#define MAX_EVIDENCE 200

static int date_ok(const char *s)
{
	return strlen(s) == 10 && lps_format_check(LPS_FORMAT_DATE, s, 10);
}

static const char *meta_str(struct lps_portfolio *p, const char *key)
{
	return lps_node_str(lps_map_get(lps_doc_root(lps_portfolio_meta(p)),
					key));
}

/* Build the assessment document at path. */
static struct lps_error *build(struct lps_doc **out, const char *path,
			       const struct lps_standard *st,
			       const char *cycle, const char *rating,
			       char (*ev)[LPS_ID_LEN + 1], size_t nev,
			       const char *text, const char *date)
{
	struct lps_doc *doc;
	struct lps_error *err = lps_doc_new(&doc, path);
	struct lps_node *root, *list = NULL;
	int bad;

	if (err)
		return err;
	root = lps_doc_new_map(doc);
	bad = !root ||
	      lps_map_set(doc, root, "lps", lps_doc_new_int(doc, 1)) ||
	      lps_map_set(doc, root, "framework",
			  lps_doc_new_string(doc, st->framework->name)) ||
	      lps_map_set(doc, root, "code",
			  lps_doc_new_string(doc, st->code)) ||
	      lps_map_set(doc, root, "cycle", lps_doc_new_string(doc, cycle)) ||
	      lps_map_set(doc, root, "rating",
			  lps_doc_new_string(doc, rating)) ||
	      lps_map_set(doc, root, "rationale",
			  lps_doc_new_string(doc, text)) ||
	      lps_map_set(doc, root, "date", lps_doc_new_string(doc, date));
	if (!bad && nev) {
		bad = !(list = lps_doc_new_seq(doc));
		for (size_t i = 0; !bad && i < nev; i++)
			bad = lps_seq_append(doc, list,
					     lps_doc_new_string(doc, ev[i]));
		bad = bad || lps_map_set(doc, root, "evidence", list);
	}
	if (bad) {
		lps_doc_free(doc);
		return lps_error_nomem();
	}
	lps_doc_set_root(doc, root);
	*out = doc;
	return NULL;
}

/*
 * An earlier assessment at path must be of the same standard: two
 * standards whose "framework-code" spell the same file name would
 * otherwise overwrite each other.
 */
static struct lps_error *same_standard(struct lps_portfolio *p,
				       const char *path,
				       const struct lps_standard *st)
{
	struct lps_doc *old = NULL;
	struct lps_error *err = lps_collection_load(p, path, &old);
	const struct lps_node *root;
	const char *fw, *code;

	if (err && err->code == LPS_ENOTFOUND) {
		lps_error_free(err);
		return NULL;
	}
	if (err)
		return err;
	root = lps_doc_root(old);
	fw = lps_node_str(lps_map_get(root, "framework"));
	code = lps_node_str(lps_map_get(root, "code"));
	if (!fw || !code || strcmp(fw, st->framework->name) ||
	    strcmp(code, st->code))
		err = lps_error_new(LPS_EINVALID,
				    "%s already holds the assessment of %s.%s; "
				    "%s.%s cannot be kept beside it", path,
				    fw ? fw : "?", code ? code : "?",
				    st->framework->name, st->code);
	lps_doc_free(old);
	return err;
}

static int assess(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rating", required_argument, NULL, 'r' },
		{ "message", required_argument, NULL, 'm' },
		{ "evidence", required_argument, NULL, 'e' },
		{ "date", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *rating = NULL, *text = NULL, *code = NULL, *date = NULL;
	const char **typed = NULL;
	char (*ev)[LPS_ID_LEN + 1] = NULL;
	size_t ntyped = 0, nev = 0;
	struct lps_portfolio *p = NULL;
	struct lps_frameworks *fws = NULL;
	struct lps_doc *doc = NULL;
	struct lps_txn *txn = NULL;
	struct lps_error *err = NULL;
	const struct lps_standard *st;
	char today[11], path[160], what[200];
	const char *cycle;
	int c, rc = -1;

	typed = calloc((size_t)argc + 1, sizeof(*typed));
	ev = calloc((size_t)argc + 1, sizeof(*ev));
	if (!typed || !ev) {
		free(typed);
		free(ev);
		return lps_cli_fail(lps_error_nomem());
	}
	while (rc < 0 &&
	       (c = getopt_long(argc, argv, ":hm:", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (lps_cli_choice("--rating", optarg, ratings) < 0)
				rc = LPS_EXIT_USAGE;
			rating = optarg;
			break;
		case 'm': text = optarg; break;
		case 'e': typed[ntyped++] = optarg; break;
		case 'd': date = optarg; break;
		case 'h': rc = lps_cli_help(); break;
		case ':':
			rc = lps_cli_usage_error("option %s needs a value",
						 argv[optind - 1]);
			break;
		default:
			rc = lps_cli_usage_error("unknown option %s",
						 argv[optind - 1]);
		}
	}
	if (rc >= 0)
		goto done;
	if (optind < argc)
		code = argv[optind++];
	if (optind < argc)
		rc = lps_cli_usage_error("unexpected argument '%s'",
					 argv[optind]);
	else if (!code)
		rc = lps_cli_usage_error("which standard? give CODE, e.g. "
					 "issl.1a");
	else if (!rating)
		rc = lps_cli_usage_error("--rating is required");
	else if (!text || !*text)
		rc = lps_cli_usage_error("-m TEXT (the rationale) is "
					 "required");
	else if (date && !date_ok(date))
		rc = lps_cli_usage_error("--date: expected YYYY-MM-DD, got "
					 "'%s'", date);
	else if (ntyped > MAX_EVIDENCE)
		rc = lps_cli_usage_error("at most %d --evidence",
					 MAX_EVIDENCE);
	if (rc >= 0)
		goto done;
	lps_portfolio_today(today, NULL);
	err = lps_portfolio_open(&p, ".");
	if (!err)
		err = lps_frameworks_load(&fws, p);
	if (err)
		goto done;
	if (!(st = lps_frameworks_standard(fws, code))) {
		err = lps_error_new(LPS_ENOTFOUND, "unknown standard \"%s\"",
				    code);
		goto done;
	}
	for (size_t i = 0; i < ntyped && !err; i++) {
		int dup = 0;
		err = lps_collection_find(p, 'e', typed[i], ev[nev]);
		for (size_t j = 0; !err && j < nev; j++)
			dup |= !strcmp(ev[j], ev[nev]);
		if (!err && !dup)
			nev++;
	}
	cycle = meta_str(p, "cycle");
	if (err || !cycle)
		goto done;
	snprintf(path, sizeof(path), "assessments/%s/%s-%s.yaml", cycle,
		 st->framework->name, st->code);
	snprintf(what, sizeof(what), "%s.%s %s", st->framework->name,
		 st->code, rating);
	err = same_standard(p, path, st);
	if (!err)
		err = build(&doc, path, st, cycle, rating, ev, nev, text,
			    date ? date : today);
	if (!err)
		err = lps_txn_begin(&txn, p);
	if (!err)
		err = lps_txn_put(txn, path, lps_doc_root(doc));
	if (!err)
		err = lps_txn_commit(txn, "assess", what, "assess", NULL, 0,
				     NULL);
	if (!err && printf("Assessed %s.%s as %s (%s)\n",
			   st->framework->name, st->code, rating, path) < 0)
		err = lps_error_new(LPS_ESYS, "writing: %s", strerror(errno));
done:
	if (rc < 0)
		rc = lps_cli_fail(err);
	lps_txn_free(txn);
	lps_doc_free(doc);
	lps_frameworks_free(fws);
	lps_portfolio_free(p);
	free(typed);
	free(ev);
	return rc;
}

/* Listing one cycle's assessments. */
struct lister {
	const struct lps_frameworks *fws;
	const char *framework;
	int json;
	struct lps_buf *out;
	struct lps_doc *jdoc;
	struct lps_node *jlist;
	int bad;
};

static int list_one(void *ctx, const char *path, const struct lps_doc *doc,
		    const struct lps_error *problem)
{
	struct lister *l = ctx;
	const struct lps_node *root;
	const char *fw, *code;
	const struct lps_framework *f;
	const char *title = "";

	(void)path;
	if (problem || !doc)
		return 0;
	root = lps_doc_root(doc);
	fw = lps_node_str(lps_map_get(root, "framework"));
	code = lps_node_str(lps_map_get(root, "code"));
	if (l->framework && strcmp(fw, l->framework))
		return 0;
	if (l->json) {
		struct lps_node *copy = lps_doc_copy(l->jdoc, root);
		l->bad = !copy || lps_seq_append(l->jdoc, l->jlist, copy);
		return l->bad;
	}
	if ((f = lps_frameworks_find(l->fws, fw))) {
		for (size_t i = 0; i < f->nstandards; i++)
			if (!strcmp(f->standards[i].code, code))
				title = f->standards[i].title;
	}
	l->bad = lps_buf_addf(l->out, "%s.%s  %-10s  %s  %s\n", fw, code,
			      lps_node_str(lps_map_get(root, "rating")),
			      lps_node_str(lps_map_get(root, "date")),
			      title) < 0;
	return l->bad;
}

static int cycle_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 32 || s[0] == '.' || s[0] == '-' || s[0] == '_')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "abcdefghijklmnopqrstuvwxyz._-", s[i]))
			return 0;
	return 1;
}

static int list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "framework", required_argument, NULL, 'F' },
		{ "cycle", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct lps_portfolio *p = NULL;
	struct lps_frameworks *fws = NULL;
	struct lps_buf out = LPS_BUF_INIT;
	struct lps_error *err = NULL;
	struct lister l;
	const char *cycle = NULL;
	char dir[64];
	int c, format = 0, rc;

	memset(&l, 0, sizeof(l));
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'F': l.framework = optarg; break;
		case 'c': cycle = optarg; break;
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
	if (cycle && !cycle_ok(cycle))
		return lps_cli_usage_error("--cycle: '%s' is not a cycle name",
					   cycle);
	err = lps_portfolio_open(&p, ".");
	if (!err)
		err = lps_frameworks_load(&fws, p);
	if (!err && l.framework && !lps_frameworks_find(fws, l.framework))
		err = lps_error_new(LPS_ENOTFOUND, "no framework %s",
				    l.framework);
	if (err)
		goto done;
	if (!cycle)
		cycle = meta_str(p, "cycle");
	snprintf(dir, sizeof(dir), "assessments/%s", cycle);
	l.fws = fws;
	l.json = format == 1;
	l.out = &out;
	if (l.json) {
		struct lps_node *root;
		if ((err = lps_doc_new(&l.jdoc, "assessments")))
			goto done;
		root = lps_doc_new_map(l.jdoc);
		l.jlist = lps_doc_new_seq(l.jdoc);
		l.bad = !root || !l.jlist ||
			lps_map_set(l.jdoc, root, "cycle",
				    lps_doc_new_string(l.jdoc, cycle)) ||
			lps_map_set(l.jdoc, root, "assessments", l.jlist);
		lps_doc_set_root(l.jdoc, root);
	}
	if (!l.bad)
		err = lps_collection_each(p, dir, list_one, &l);
	if (!err && l.bad)
		err = lps_error_nomem();
	if (!err && l.json)
		err = lps_doc_emit_json(lps_doc_root(l.jdoc), &out);
	if (!err && out.len && (fwrite(out.data, 1, out.len, stdout) !=
				out.len || fflush(stdout)))
		err = lps_error_new(LPS_ESYS, "writing: %s", strerror(errno));
done:
	rc = lps_cli_fail(err);
	lps_doc_free(l.jdoc);
	lps_buf_free(&out);
	lps_frameworks_free(fws);
	lps_portfolio_free(p);
	return rc;
}

/* ---- set (only visibility: what lps push publishes) ---- */

static int set(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "cycle", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cycle = NULL;
	int c;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': cycle = optarg; break;
		case 'h': return lps_cli_help();
		case ':':
			return lps_cli_usage_error("option %s needs a value",
						   argv[optind - 1]);
		default:
			return lps_cli_usage_error("unknown option %s",
						   argv[optind - 1]);
		}
	}
	if (argc - optind != 2)
		return lps_cli_usage_error("assess set needs CODE "
					   "visibility=VALUE");
	if (cycle && !cycle_ok(cycle))
		return lps_cli_usage_error("--cycle: not a cycle name: '%s'",
					   cycle);
	const char *code = argv[optind], *assign = argv[optind + 1];
	struct lps_portfolio *p = NULL;
	struct lps_frameworks *fws = NULL;
	const struct lps_standard *st = NULL;
	char path[160], label[120];
	int changed = 0;
	struct lps_error *err = lps_portfolio_open(&p, ".");
	if (!err)
		err = lps_frameworks_load(&fws, p);
	if (!err && !(st = lps_frameworks_standard(fws, code)))
		err = lps_error_new(LPS_ENOTFOUND, "unknown standard \"%s\"",
				    code);
	if (!err && !cycle && !(cycle = meta_str(p, "cycle")))
		err = lps_error_new(LPS_EINVALID, "lps.yaml has no cycle");
	if (!err) {
		snprintf(path, sizeof(path), "assessments/%s/%s-%s.yaml",
			 cycle, st->framework->name, st->code);
		snprintf(label, sizeof(label), "%s.%s", st->framework->name,
			 st->code);
		err = lps_visibility_set_path(p, 'a', path, label, assign,
					      "assessment", "assess set",
					      &changed);
		if (err && err->code == LPS_ENOTFOUND) {
			lps_error_free(err);
			err = lps_error_new(LPS_ENOTFOUND, "no self-assessment "
					    "of %s in cycle %s", label, cycle);
		}
	}
	if (!err && changed)
		printf("Updated assessment %s (%s): %s\n", label, cycle,
		       assign);
	else if (!err)
		printf("nothing changed\n");
	lps_frameworks_free(fws);
	lps_portfolio_free(p);
	return lps_cli_fail(err);
}

int main(int argc, char **argv)
{
	lps_cli_begin(usage);
	opterr = 0;
	if (argc > 1 && !strcmp(argv[1], "list"))
		return list(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "set"))
		return set(argc - 1, argv + 1);
	return assess(argc, argv);
}
