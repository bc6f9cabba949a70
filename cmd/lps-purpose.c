/*
 * lps-purpose - why the leader runs this cycle: the function it serves
 * and the leader's purpose statement, kept in lps.yaml.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "editor.h"
#include "meta.h"
#include "portfolio.h"
#include "textclean.h"
#include "txn.h"
#include "utf8.h"

static const char usage[] =
	"usage: lps purpose [--format text|json]\n"
	"   or: lps purpose set [--function FUNCTION] [--statement TEXT | --edit]\n"
	"\n"
	"Show or set the purpose of the cycle: the function it serves and the\n"
	"leader's purpose statement (the gate purpose -> focus needs both).\n"
	"\n"
	"    --format FORMAT      text (default) or json\n"
	"    --function FUNCTION  growth, evaluation, credentialing or\n"
	"                         self-assessment\n"
	"    --statement TEXT     the purpose statement\n"
	"    --edit               write the statement in $VISUAL or $EDITOR\n"
	"                         (an empty statement aborts)\n"
	"    -h, --help           show this help\n";

/* The schema's maxLength for a statement (common text). */
#define STATEMENT_MAX 4000

static const char *const formats[] = { "text", "json", NULL };

static int bad_option(char **argv, int c)
{
	if (c == ':')
		return lps_cli_usage_error("option %s needs a value",
					   argv[optind - 1]);
	return lps_cli_usage_error("unknown option %s", argv[optind - 1]);
}

static struct lps_error *show_text(struct lps_buf *b,
				   const struct lps_node *purpose)
{
	const char *f = lps_node_str(lps_map_get(purpose, "function"));
	const char *s = lps_node_str(lps_map_get(purpose, "statement"));
	int bad = lps_buf_addf(b, "function:  %s\nstatement: ",
			       f ? f : "(not set)") < 0;
	if (!s)
		s = "(not set)";
	/* later lines of a long statement line up under the first */
	for (const char *p = s; *p && !bad; p++) {
		bad = lps_buf_addc(b, *p) < 0;
		if (*p == '\n' && p[1] && p[1] != '\n')
			bad = bad || lps_buf_adds(b, "           ") < 0;
	}
	bad = bad || lps_buf_addc(b, '\n') < 0;
	return bad ? lps_error_nomem() : NULL;
}

static struct lps_error *show_json(struct lps_buf *b,
				   const struct lps_node *purpose)
{
	struct lps_doc *out = NULL;
	struct lps_error *err = lps_doc_new(&out, "purpose");
	if (err)
		return err;
	struct lps_node *n = purpose && purpose->type == LPS_NODE_MAP
				     ? lps_doc_copy(out, purpose)
				     : lps_doc_new_map(out);
	err = n ? lps_doc_emit_json(n, b) : lps_error_nomem();
	lps_doc_free(out);
	return err;
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
		if (c == 'h')
			return lps_cli_help();
		if (c != 'f')
			return bad_option(argv, c);
		if ((format = lps_cli_choice("--format", optarg, formats)) < 0)
			return LPS_EXIT_USAGE;
	}
	if (optind < argc)
		return lps_cli_usage_error("unexpected argument '%s'",
					   argv[optind]);
	struct lps_portfolio *p = NULL;
	struct lps_buf b = LPS_BUF_INIT;
	struct lps_error *err = lps_portfolio_open(&p, ".");
	if (!err) {
		const struct lps_node *purpose =
			lps_map_get(lps_doc_root(lps_portfolio_meta(p)),
				    "purpose");
		err = format ? show_json(&b, purpose) : show_text(&b, purpose);
	}
	if (!err && (fwrite(b.data, 1, b.len, stdout) != b.len ||
		     fflush(stdout) != 0))
		err = lps_error_new(LPS_ESYS, "writing: %s", strerror(errno));
	lps_buf_free(&b);
	lps_portfolio_free(p);
	return lps_cli_fail(err);
}

/* Tidy a statement; too long or not UTF-8 is an error. */
static struct lps_error *tidy(struct lps_buf *out, const char *text,
			      size_t len, int from_editor)
{
	if (lps_utf8_check(text, len) != len || memchr(text, '\0', len))
		return lps_error_new(LPS_EINVALID,
				     "the statement is not valid UTF-8 text");
	struct lps_error *err = lps_textclean_tidy(out, text, len, from_editor);
	if (err)
		return err;
	size_t n = lps_utf8_count(out->data, out->len);
	if (n > STATEMENT_MAX)
		return lps_error_new(LPS_EINVALID,
				     "the statement is too long: %zu "
				     "characters (at most %d)", n,
				     STATEMENT_MAX);
	return NULL;
}

static struct lps_error *check_edit(void *ctx, const char *text, size_t len)
{
	struct lps_buf b = LPS_BUF_INIT;
	struct lps_error *err = tidy(&b, text, len, 1);
	lps_buf_free(&b);
	return err;
}

/* Let the user write the statement, starting from the current one. */
static struct lps_error *edit(struct lps_buf *out, const char *current)
{
	struct lps_buf init = LPS_BUF_INIT, raw = LPS_BUF_INIT;
	struct lps_error *err = NULL;
	int bad = lps_buf_adds(&init, current ? current : "") < 0 ||
		  lps_buf_adds(&init, "\n\n") < 0 ||
		  lps_textclean_comment(&init,
					"Write the purpose of your cycle above: "
					"why you lead and what you want your "
					"growth to change.  Lines starting with "
					"'#' are left out; an empty statement "
					"aborts and nothing is written.", 72) < 0;
	if (bad)
		err = lps_error_nomem();
	if (!err)
		err = lps_editor_edit(&raw, init.data, init.len, "PURPOSE.md",
				      check_edit, NULL);
	if (!err)
		err = tidy(out, raw.data ? raw.data : "", raw.len, 1);
	if (!err && !out->len)
		err = lps_error_new(LPS_EINVALID,
				    "aborted: empty purpose statement");
	lps_buf_free(&init);
	lps_buf_free(&raw);
	return err;
}

static int same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static int cmd_set(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "function", required_argument, NULL, 'f' },
		{ "statement", required_argument, NULL, 's' },
		{ "edit", no_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *function = NULL, *statement = NULL;
	int c, use_editor = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (lps_cli_choice("--function", optarg,
					   lps_meta_functions) < 0)
				return LPS_EXIT_USAGE;
			function = optarg;
			break;
		case 's': statement = optarg; break;
		case 'e': use_editor = 1; break;
		case 'h': return lps_cli_help();
		default: return bad_option(argv, c);
		}
	}
	if (optind < argc)
		return lps_cli_usage_error("unexpected argument '%s'",
					   argv[optind]);
	if (statement && use_editor)
		return lps_cli_usage_error("--statement and --edit do not go "
					   "together");
	if (!function && !statement && !use_editor)
		return lps_cli_usage_error("set: nothing to set (--function, "
					   "--statement or --edit)");

	struct lps_buf text = LPS_BUF_INIT;
	struct lps_portfolio *p = NULL;
	struct lps_doc *doc = NULL;
	struct lps_txn *txn = NULL;
	struct lps_error *err = NULL;
	int rc;
	if (statement) {
		err = tidy(&text, statement, strlen(statement), 0);
		if (!err && !text.len) {
			lps_buf_free(&text);
			return lps_cli_usage_error(
				"--statement: empty statement");
		}
	}
	if (!err)
		err = lps_portfolio_open(&p, ".");
	if (!err)
		err = lps_meta_copy(&doc, p);
	struct lps_node *root = doc ? lps_doc_root(doc) : NULL;
	const struct lps_node *old = lps_map_get(root, "purpose");
	const char *old_f = lps_node_str(lps_map_get(old, "function"));
	const char *old_s = lps_node_str(lps_map_get(old, "statement"));
	if (!err && use_editor)
		err = edit(&text, old_s);
	const char *new_s = text.len ? text.data : NULL;
	if (!err && (!function || same(function, old_f)) &&
	    (!new_s || same(new_s, old_s))) {
		puts("Nothing changed");
		goto out;
	}
	if (!err)
		err = lps_meta_set_purpose(doc, root, function, new_s);
	char what[64];
	snprintf(what, sizeof(what), "set %s", function ? function : "");
	if (!err)
		err = lps_txn_begin(&txn, p);
	if (!err)
		err = lps_txn_put(txn, "lps.yaml", root);
	if (!err)
		err = lps_txn_commit(txn, "purpose",
				     function ? what : "set statement",
				     "purpose set", NULL, 0, NULL);
	if (!err) {
		if (function)
			printf("Set purpose function to %s%s\n", function,
			       new_s ? " and the statement" : "");
		else
			puts("Set purpose statement");
	}
out:
	rc = lps_cli_fail(err);
	lps_txn_free(txn);
	lps_doc_free(doc);
	lps_portfolio_free(p);
	lps_buf_free(&text);
	return rc;
}

int main(int argc, char **argv)
{
	lps_cli_begin(usage);
	opterr = 0;
	if (argc >= 2 && !strcmp(argv[1], "set"))
		return cmd_set(argc - 1, argv + 1);
	if (argc >= 2 && argv[1][0] != '-')
		return lps_cli_usage_error("unknown subcommand '%s' (set)",
					   argv[1]);
	return cmd_show(argc, argv);
}
