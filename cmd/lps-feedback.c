/*
 * lps-feedback - record feedback received from a partner or the
 * roundtable, and list it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "docset.h"
#include "feedback.h"
#include "peer.h"
#include "remote.h"
#include "meta.h"
#include "portfolio.h"
#include "textclean.h"
#include "txn.h"
#include "utf8.h"
#include "visibility.h"

static const char usage[] =
	"usage: lps feedback add --from WHO --kind affirmation|question|suggestion\n"
	"                        [--on ID] -m TEXT [--date DATE]\n"
	"   or: lps feedback list [--on ID] [--format text|json|ids]\n"
	"   or: lps feedback set ID visibility=shared|private\n"
	"   or: lps feedback give HANDLE --on ID\n"
	"                         --kind affirmation|question|suggestion -m TEXT\n"
	"   or: lps feedback list --received [--format text|json]\n"
	"\n"
	"Record feedback a partner or the roundtable gave, about the portfolio\n"
	"or one goal, piece of evidence or reflection, or list it (oldest\n"
	"first).\n"
	"\n"
	"    --from WHO         who gave it\n"
	"    --kind KIND        affirmation, question or suggestion\n"
	"    --on ID            the goal, evidence or reflection it is about\n"
	"                       (any unique prefix of its id)\n"
	"    -m, --message TEXT what was said\n"
	"    --date DATE        YYYY-MM-DD (default: today)\n"
	"    --format FORMAT    text (default), json or ids (list)\n"
	"\n"
	"give: feedback to another roundtable member about an item of their\n"
	"published portfolio (ID: any unique prefix, as fetched by lps pull);\n"
	"kept in this portfolio with to: HANDLE and published by lps push.\n"
	"list --received: the feedback other members gave me, gathered from\n"
	"their fetched branches.\n"
	"    -h, --help         show this help\n";

#define FIRST_LINE 60

static const char *const formats[] = { "text", "json", "ids", NULL };

static const char *str(const struct lps_node *n, const char *key)
{
	const char *s = lps_node_str(lps_map_get(n, key));
	return s ? s : "";
}

static int bad_option(char **argv, int c)
{
	if (c == ':')
		return lps_cli_usage_error("option %s needs a value",
					   argv[optind - 1]);
	return lps_cli_usage_error("unknown option %s", argv[optind - 1]);
}

static int cmd_add(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "kind", required_argument, NULL, 'k' },
		{ "on", required_argument, NULL, 'o' },
		{ "message", required_argument, NULL, 'm' },
		{ "date", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct lps_feedback_fields f = { NULL, NULL, NULL, NULL, NULL, NULL };
	const char *on = NULL, *msg = NULL;
	int c;
	while ((c = getopt_long(argc, argv, ":hm:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': f.from = optarg; break;
		case 'k':
			if (lps_cli_choice("--kind", optarg,
					   lps_feedback_kinds) < 0)
				return LPS_EXIT_USAGE;
			f.kind = optarg;
			break;
		case 'o': on = optarg; break;
		case 'm': msg = optarg; break;
		case 'd': f.date = optarg; break;
		case 'h': return lps_cli_help();
		default: return bad_option(argv, c);
		}
	}
	if (optind < argc)
		return lps_cli_usage_error("unexpected argument '%s'",
					   argv[optind]);
	if (!f.from || !*f.from)
		return lps_cli_usage_error("--from is required");
	if (!f.kind)
		return lps_cli_usage_error("--kind is required");
	if (!msg)
		return lps_cli_usage_error("-m is required");
	if (f.date && !lps_meta_date_valid(f.date))
		return lps_cli_usage_error("--date: expected YYYY-MM-DD, got "
					   "'%s'", f.date);
	size_t mlen = strlen(msg);
	if (lps_utf8_check(msg, mlen) != mlen)
		return lps_cli_usage_error("-m: not valid UTF-8");

	struct lps_buf body = LPS_BUF_INIT;
	struct lps_portfolio *p = NULL;
	struct lps_doc *doc = NULL;
	struct lps_txn *txn = NULL;
	char id[LPS_ID_LEN + 1] = "", onid[LPS_ID_LEN + 1] = "", today[11];
	char path[64];
	struct lps_buf what = LPS_BUF_INIT;
	struct lps_error *err = lps_textclean_tidy(&body, msg, mlen, 0);
	if (!err && !body.len) {
		lps_buf_free(&body);
		return lps_cli_usage_error("-m: empty feedback");
	}
	if (!err)
		err = lps_portfolio_open(&p, ".");
	if (!err && on && !(err = lps_feedback_resolve_on(p, on, onid)))
		f.on = onid;
	if (!err)
		err = lps_portfolio_new_id(id, 'f');
	lps_portfolio_today(today, NULL);
	f.id = id;
	f.body = body.data;
	if (!f.date)
		f.date = today;
	if (!err)
		err = lps_feedback_new(&doc, &f);
	snprintf(path, sizeof(path), "feedback/%s.yaml", id);
	if (!err && lps_buf_addf(&what, "add %s from %s", id, f.from) < 0)
		err = lps_error_nomem();
	if (!err)
		err = lps_txn_begin(&txn, p);
	if (!err)
		err = lps_txn_put(txn, path, lps_doc_root(doc));
	if (!err)
		err = lps_txn_commit(txn, "feedback", what.data,
				     "feedback add", NULL, 0, NULL);
	if (!err)
		printf("Added feedback %s from %s\n", id, f.from);
	int rc = lps_cli_fail(err);
	lps_buf_free(&what);
	lps_txn_free(txn);
	lps_doc_free(doc);
	lps_portfolio_free(p);
	lps_buf_free(&body);
	return rc;
}

/* ---- feedback between roundtable members ---- */

static int cmd_give(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "on", required_argument, NULL, 'o' },
		{ "message", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct lps_feedback_fields f = { NULL, NULL, NULL, NULL, NULL, NULL };
	const char *on = NULL, *msg = NULL, *to = NULL;
	int c;
	while ((c = getopt_long(argc, argv, ":hm:", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			if (lps_cli_choice("--kind", optarg,
					   lps_feedback_kinds) < 0)
				return LPS_EXIT_USAGE;
			f.kind = optarg;
			break;
		case 'o': on = optarg; break;
		case 'm': msg = optarg; break;
		case 'h': return lps_cli_help();
		default: return bad_option(argv, c);
		}
	}
	if (optind == argc)
		return lps_cli_usage_error("give: the member's HANDLE is "
					   "needed");
	to = argv[optind++];
	if (optind < argc)
		return lps_cli_usage_error("unexpected argument '%s'",
					   argv[optind]);
	if (!lps_remote_handle_valid(to))
		return lps_cli_usage_error("'%s' is not a member handle "
					   "(lowercase letters, digits, "
					   "dashes)", to);
	if (!on)
		return lps_cli_usage_error("--on is required");
	if (!f.kind)
		return lps_cli_usage_error("--kind is required");
	if (!msg)
		return lps_cli_usage_error("-m is required");
	size_t mlen = strlen(msg);
	if (lps_utf8_check(msg, mlen) != mlen)
		return lps_cli_usage_error("-m: not valid UTF-8");

	struct lps_buf body = LPS_BUF_INIT, what = LPS_BUF_INIT;
	struct lps_portfolio *p = NULL;
	struct lps_doc *doc = NULL;
	struct lps_txn *txn = NULL;
	char id[LPS_ID_LEN + 1] = "", onid[LPS_ID_LEN + 1] = "", today[11];
	char me[LPS_HANDLE_MAX + 1], path[64];
	struct lps_error *err = lps_textclean_tidy(&body, msg, mlen, 0);
	if (!err && !body.len) {
		lps_buf_free(&body);
		return lps_cli_usage_error("-m: empty feedback");
	}
	if (!err)
		err = lps_portfolio_open(&p, ".");
	if (!err)
		err = lps_remote_handle(me, lps_portfolio_store(p));
	if (!err && !strcmp(me, to))
		err = lps_error_new(LPS_EUSAGE, "feedback to yourself: use "
				    "lps feedback add or lps reflect");
	if (!err)
		err = lps_peer_resolve_on(onid, lps_portfolio_store(p), to, on);
	if (!err)
		err = lps_portfolio_new_id(id, 'f');
	lps_portfolio_today(today, NULL);
	if (!err) {
		const struct lps_node *owner = lps_map_get(
			lps_doc_root(lps_portfolio_meta(p)), "owner");
		f.from = lps_node_str(lps_map_get(owner, "name"));
		f.id = id;
		f.date = today;
		f.on = onid;
		f.body = body.data;
		err = lps_feedback_new(&doc, &f);
	}
	if (!err) {
		struct lps_node *n = lps_doc_new_string(doc, to);
		if (!n || lps_map_set(doc, lps_doc_root(doc), "to", n) < 0)
			err = lps_error_nomem();
	}
	snprintf(path, sizeof(path), "feedback/%s.yaml", id);
	if (!err && lps_buf_addf(&what, "give %s to %s on %s", id, to,
				 onid) < 0)
		err = lps_error_nomem();
	if (!err)
		err = lps_txn_begin(&txn, p);
	if (!err)
		err = lps_txn_put(txn, path, lps_doc_root(doc));
	if (!err)
		err = lps_txn_commit(txn, "feedback", what.data,
				     "feedback give", NULL, 0, NULL);
	if (!err)
		printf("Gave feedback %s to %s on %s\n", id, to, onid);
	int rc = lps_cli_fail(err);
	lps_buf_free(&what);
	lps_txn_free(txn);
	lps_doc_free(doc);
	lps_portfolio_free(p);
	lps_buf_free(&body);
	return rc;
}

static void warn_member(void *ctx, const char *member,
			const struct lps_error *problem)
{
	char *s = lps_error_format(problem);
	lps_cli_warning("members/%s: %s (left out)", member,
			s ? s : "out of memory");
	free(s);
	*(int *)ctx = 1;
}

static int list_received(int json)
{
	struct lps_portfolio *p = NULL;
	struct lps_doc *set = NULL;
	struct lps_buf b = LPS_BUF_INIT, first = LPS_BUF_INIT;
	char me[LPS_HANDLE_MAX + 1];
	int warned = 0;
	struct lps_error *err = lps_portfolio_open(&p, ".");
	if (!err)
		err = lps_remote_handle(me, lps_portfolio_store(p));
	if (!err)
		err = lps_peer_received(&set, lps_portfolio_store(p), me,
					warn_member, &warned);
	if (!err && json) {
		struct lps_node *root = lps_doc_new_map(set);
		if (!root || lps_map_set(set, root, "received",
					 lps_doc_root(set)) < 0)
			err = lps_error_nomem();
		else
			err = lps_doc_emit_json(root, &b);
	} else if (!err) {
		const struct lps_node *seq = lps_doc_root(set);
		for (size_t i = 0; i < seq->v.seq.n && !err; i++) {
			const struct lps_node *fb = seq->v.seq.items[i];
			const char *on = str(fb, "on");
			if (lps_textclean_first_line(&first, str(fb, "body"),
						     FIRST_LINE) < 0 ||
			    lps_buf_addf(&b, "%s  %-11s  %-10s  %s (%s): %s\n",
					 str(fb, "date"), str(fb, "kind"),
					 *on ? on : "-", str(fb, "member"),
					 str(fb, "from"), first.data) < 0)
				err = lps_error_nomem();
		}
	}
	if (!err && b.len && (fwrite(b.data, 1, b.len, stdout) != b.len ||
			      fflush(stdout) != 0))
		err = lps_error_new(LPS_ESYS, "writing: %s", strerror(errno));
	lps_buf_free(&first);
	lps_buf_free(&b);
	lps_doc_free(set);
	lps_portfolio_free(p);
	if (!err && warned)
		return LPS_EXIT_NO;
	return lps_cli_fail(err);
}

static int keep(void *ctx, const struct lps_node *fb)
{
	const char *on = ctx;
	return !on || !strcmp(str(fb, "on"), on);
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
		const struct lps_node *fb = seq->v.seq.items[i];
		const char *on = str(fb, "on");
		bad = lps_textclean_first_line(&first, str(fb, "body"),
					       FIRST_LINE) < 0;
		if (ids)
			bad = bad || lps_buf_addf(b, "%s\t%s: %s\n",
						  str(fb, "id"), str(fb, "from"),
						  first.data) < 0;
		else
			bad = bad || lps_buf_addf(b, "%s  %s  %-11s  %-10s  "
						  "%s: %s\n", str(fb, "id"),
						  str(fb, "date"),
						  str(fb, "kind"),
						  *on ? on : "-",
						  str(fb, "from"),
						  first.data) < 0;
	}
	lps_buf_free(&first);
	return bad ? lps_error_nomem() : NULL;
}

static int cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "on", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "received", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *on = NULL;
	int c, format = 0, received = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': on = optarg; break;
		case 'f':
			if ((format = lps_cli_choice("--format", optarg,
						     formats)) < 0)
				return LPS_EXIT_USAGE;
			break;
		case 'r': received = 1; break;
		case 'h': return lps_cli_help();
		default: return bad_option(argv, c);
		}
	}
	if (optind < argc)
		return lps_cli_usage_error("unexpected argument '%s'",
					   argv[optind]);
	if (received) {
		if (on)
			return lps_cli_usage_error("--received and --on do "
						   "not go together");
		if (format == 2)
			return lps_cli_usage_error("--received: --format is "
						   "text or json");
		return list_received(format == 1);
	}
	struct lps_portfolio *p = NULL;
	struct lps_doc *set = NULL;
	struct lps_buf b = LPS_BUF_INIT;
	char onid[LPS_ID_LEN + 1] = "";
	struct lps_error *err = lps_portfolio_open(&p, ".");
	if (!err && on)
		err = lps_feedback_resolve_on(p, on, onid);
	if (!err)
		err = lps_docset_collect(&set, p, "feedback", keep,
					 on ? onid : NULL, warn, NULL);
	if (!err && format == 1) {
		struct lps_node *root = lps_doc_new_map(set);
		if (!root || lps_map_set(set, root, "feedback",
					 lps_doc_root(set)) < 0)
			err = lps_error_nomem();
		else
			err = lps_doc_emit_json(root, &b);
	} else if (!err) {
		err = list_text(&b, lps_doc_root(set), format == 2);
	}
	if (!err && b.len && (fwrite(b.data, 1, b.len, stdout) != b.len ||
			      fflush(stdout) != 0))
		err = lps_error_new(LPS_ESYS, "writing: %s", strerror(errno));
	lps_buf_free(&b);
	lps_doc_free(set);
	lps_portfolio_free(p);
	return lps_cli_fail(err);
}

/* ---- set (only visibility: what lps push publishes) ---- */

static int cmd_set(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "-h") ||
			  !strcmp(argv[1], "--help")))
		return lps_cli_help();
	if (argc != 3)
		return lps_cli_usage_error("feedback set needs ID "
					   "visibility=VALUE");
	struct lps_portfolio *p = NULL;
	char id[LPS_ID_LEN + 1] = "";
	int changed = 0;
	struct lps_error *err = lps_portfolio_open(&p, ".");
	if (!err)
		err = lps_visibility_set(p, 'f', argv[1], argv[2],
					 "feedback", "feedback set", id,
					 &changed);
	if (!err && changed)
		printf("Updated feedback %s: %s\n", id, argv[2]);
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
		return lps_cli_usage_error("a subcommand is needed: add, "
					   "list, set or give");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return lps_cli_help();
	if (!strcmp(argv[1], "add"))
		return cmd_add(argc - 1, argv + 1);
	if (!strcmp(argv[1], "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(argv[1], "set"))
		return cmd_set(argc - 1, argv + 1);
	if (!strcmp(argv[1], "give"))
		return cmd_give(argc - 1, argv + 1);
	return lps_cli_usage_error("unknown subcommand '%s' (add, list, "
				   "set or give)",
				   argv[1]);
}
