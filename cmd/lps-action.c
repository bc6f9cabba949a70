/*
 * lps-action - the action steps of the goals: add, list, done.  Steps
 * live inside their goal document (goals/<id>.yaml, key actions); the
 * tree work is lib/goal.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "collection.h"
#include "format.h"
#include "goal.h"
#include "txn.h"

static const char usage[] =
	"usage: lps action add GOAL TEXT [--due DATE] [--owner WHO]\n"
	"   or: lps action list [--overdue] [--goal ID]\n"
	"                [--format text|json|ids]\n"
	"   or: lps action done GOAL STEP\n"
	"\n"
	"Plan and carry out the action steps of a goal; each change is one\n"
	"commit.  GOAL is any unique prefix of a goal id; STEP is a step key\n"
	"(s1, s2, ...).\n"
	"\n"
	"  --due DATE       when the step should be done (YYYY-MM-DD)\n"
	"  --owner WHO      who carries it out\n"
	"  --overdue        list only open steps due before today\n"
	"  --goal ID        list only the steps of this goal\n"
	"  --format FORMAT  text (default), json or ids\n"
	"  -h, --help       show this help\n";

static const char *const formats[] = { "text", "json", "ids", NULL };

#define GO_ON LPS_CLI_GO_ON
#define MAX_POS 8

/* Open the portfolio and load the goal named by typed. */
static struct lps_error *load_goal(struct lps_portfolio **p,
				   struct lps_doc **doc, char *id,
				   char *path, size_t size, const char *typed)
{
	struct lps_error *err = lps_portfolio_open(p, ".");
	if (!err)
		err = lps_collection_find(*p, 'g', typed, id);
	if (err)
		return err;
	lps_collection_path(path, size, id);
	return lps_collection_load(*p, path, doc);
}

static struct lps_error *commit_goal(struct lps_portfolio *p,
				     const char *path, struct lps_node *root,
				     const char *what, const char *command)
{
	struct lps_txn *txn = NULL;
	struct lps_error *err = lps_txn_begin(&txn, p);
	if (!err)
		err = lps_txn_put(txn, path, root);
	if (!err)
		err = lps_txn_commit(txn, "action", what, command, NULL, 0,
				     NULL);
	lps_txn_free(txn);
	return err;
}

static int cmd_add(int argc, char **argv)
{
	const char *due = NULL, *owner = NULL, *pos[MAX_POS];
	size_t npos;
	const struct lps_cli_opt opts[] = {
		{ .name = "--due", .val = &due },
		{ .name = "--owner", .val = &owner },
		{ .name = NULL },
	};
	int rc = lps_cli_parse(argc, argv, opts, pos, MAX_POS, &npos);
	if (rc != GO_ON)
		return rc;
	if (npos != 2)
		return lps_cli_usage_error("action add takes GOAL and TEXT");
	if (!*pos[1])
		return lps_cli_usage_error("the step text cannot be empty");
	if (due && !lps_format_check(LPS_FORMAT_DATE, due, strlen(due)))
		return lps_cli_usage_error("--due: expected a date YYYY-MM-DD, "
					   "got '%s'", due);

	struct lps_portfolio *p = NULL;
	struct lps_doc *doc = NULL;
	char id[LPS_ID_LEN + 1] = "", path[64], key[8], what[64];
	struct lps_error *err = load_goal(&p, &doc, id, path, sizeof(path),
					  pos[0]);
	if (!err)
		err = lps_goal_add_action(doc, lps_doc_root(doc), pos[1], due,
					  owner, key);
	if (!err) {
		snprintf(what, sizeof(what), "add %s to %s", key, id);
		err = commit_goal(p, path, lps_doc_root(doc), what,
				  "action add");
	}
	if (!err)
		printf("Added action step %s to goal %s\n", key, id);
	lps_doc_free(doc);
	lps_portfolio_free(p);
	return lps_cli_fail(err);
}

static int cmd_done(int argc, char **argv)
{
	const char *pos[MAX_POS];
	size_t npos;
	const struct lps_cli_opt opts[] = { { .name = NULL } };
	int rc = lps_cli_parse(argc, argv, opts, pos, MAX_POS, &npos);
	if (rc != GO_ON)
		return rc;
	if (npos != 2)
		return lps_cli_usage_error("action done takes GOAL and STEP");

	struct lps_portfolio *p = NULL;
	struct lps_doc *doc = NULL;
	char id[LPS_ID_LEN + 1] = "", path[64], what[64], today[11];
	lps_portfolio_today(today, NULL);
	struct lps_error *err = load_goal(&p, &doc, id, path, sizeof(path),
					  pos[0]);
	if (!err)
		err = lps_goal_action_done(doc, lps_doc_root(doc), pos[1],
					   today);
	if (!err) {
		snprintf(what, sizeof(what), "done %s of %s", pos[1], id);
		err = commit_goal(p, path, lps_doc_root(doc), what,
				  "action done");
	}
	if (!err)
		printf("Done: action step %s of goal %s\n", pos[1], id);
	lps_doc_free(doc);
	lps_portfolio_free(p);
	return lps_cli_fail(err);
}

struct list_state {
	int format;             /* 0 text, 1 json, 2 ids */
	int overdue;
	const char *goal;       /* whole id, or NULL */
	char today[11];
	size_t count;
	struct lps_buf out;
	struct lps_error *err;
};

/* One step as JSON: {"goal": ..., the step's keys..., "overdue": b}. */
static int step_json(struct list_state *s, const char *gid,
		     const struct lps_node *a, int late)
{
	struct lps_buf *o = &s->out;
	const char *c = s->count ? ",\n    {\n" : "\n    {\n";
	int bad = lps_buf_adds(o, c) || lps_buf_adds(o, "      \"goal\": ") ||
		  lps_json_quote(o, gid, strlen(gid));
	for (size_t i = 0; !bad && i < a->v.map.n; i++) {
		const struct lps_pair *pr = &a->v.map.pairs[i];
		const char *v = lps_node_str(pr->value);
		if (!v)
			continue;
		bad = lps_buf_adds(o, ",\n      ") ||
		      lps_json_quote(o, pr->key, pr->key_len) ||
		      lps_buf_adds(o, ": ") ||
		      lps_json_quote(o, v, strlen(v));
	}
	return bad || lps_buf_addf(o, ",\n      \"overdue\": %s\n    }",
				   late ? "true" : "false");
}

static int list_one(void *ctx, const char *path, const struct lps_doc *doc,
		    const struct lps_error *problem)
{
	struct list_state *s = ctx;
	if (problem) {
		char *m = lps_error_format(problem);
		lps_cli_warning("skipping %s", m ? m : path);
		free(m);
		return 0;
	}
	const struct lps_node *g = lps_doc_root(doc);
	const char *gid = lps_node_str(lps_map_get(g, "id"));
	if (s->goal && strcmp(s->goal, gid))
		return 0;
	const struct lps_node *acts = lps_map_get(g, "actions");
	int bad = 0;
	for (size_t i = 0; acts && acts->type == LPS_NODE_SEQ &&
			   i < acts->v.seq.n && !bad; i++) {
		const struct lps_node *a = acts->v.seq.items[i];
		int late = lps_goal_action_overdue(a, s->today);
		if (s->overdue && !late)
			continue;
		const char *key = lps_node_str(lps_map_get(a, "id"));
		const char *text = lps_node_str(lps_map_get(a, "text"));
		const char *st = lps_node_str(lps_map_get(a, "status"));
		const char *due = lps_node_str(lps_map_get(a, "due"));
		if (s->format == 2)
			bad = lps_buf_addf(&s->out, "%s:%s\t%s\n", gid, key,
					   text);
		else if (s->format == 1)
			bad = step_json(s, gid, a, late);
		else
			bad = lps_buf_addf(&s->out, "%s  %-4s  %-7s  %-10s  %s\n",
					   gid, key, late ? "overdue" : st,
					   due ? due : "-", text);
		s->count++;
	}
	if (bad)
		s->err = lps_error_nomem();
	if (!s->err && s->out.len > 65536) {
		if (fwrite(s->out.data, 1, s->out.len, stdout) != s->out.len)
			s->err = lps_error_new(LPS_ESYS, "writing output: %s",
					       strerror(errno));
		lps_buf_reset(&s->out);
	}
	return s->err != NULL;
}

static int cmd_list(int argc, char **argv)
{
	const char *fmt = NULL, *goal = NULL, *pos[MAX_POS];
	size_t npos;
	struct list_state s = { .out = LPS_BUF_INIT };
	const struct lps_cli_opt opts[] = {
		{ .name = "--overdue", .flag = &s.overdue },
		{ .name = "--goal", .val = &goal },
		{ .name = "--format", .val = &fmt },
		{ .name = NULL },
	};
	int rc = lps_cli_parse(argc, argv, opts, pos, MAX_POS, &npos);
	if (rc != GO_ON)
		return rc;
	if (npos)
		return lps_cli_usage_error("unexpected argument '%s'", pos[0]);
	if (fmt && (s.format = lps_cli_choice("--format", fmt, formats)) < 0)
		return LPS_EXIT_USAGE;
	lps_portfolio_today(s.today, NULL);

	struct lps_portfolio *p = NULL;
	char id[LPS_ID_LEN + 1] = "";
	struct lps_error *err = lps_portfolio_open(&p, ".");
	if (!err && goal && !(err = lps_collection_find(p, 'g', goal, id)))
		s.goal = id;
	if (!err && s.format == 1 &&
	    lps_buf_adds(&s.out, "{\n  \"actions\": ["))
		err = lps_error_nomem();
	if (!err)
		err = lps_collection_each(p, "goals", list_one, &s);
	if (!err)
		err = s.err;
	if (!err && s.format == 1 &&
	    lps_buf_adds(&s.out, s.count ? "\n  ]\n}\n" : "]\n}\n"))
		err = lps_error_nomem();
	if (!err && s.out.len &&
	    fwrite(s.out.data, 1, s.out.len, stdout) != s.out.len)
		err = lps_error_new(LPS_ESYS, "writing output: %s",
				    strerror(errno));
	if (!err && fflush(stdout))
		err = lps_error_new(LPS_ESYS, "writing output: %s",
				    strerror(errno));
	lps_buf_free(&s.out);
	lps_portfolio_free(p);
	return lps_cli_fail(err);
}

int main(int argc, char **argv)
{
	lps_cli_begin(usage);
	if (argc < 2)
		return lps_cli_usage_error("a subcommand is needed");
	const char *sub = argv[1];
	if (!strcmp(sub, "-h") || !strcmp(sub, "--help"))
		return lps_cli_help();
	if (!strcmp(sub, "add"))
		return cmd_add(argc - 2, argv + 2);
	if (!strcmp(sub, "list"))
		return cmd_list(argc - 2, argv + 2);
	if (!strcmp(sub, "done"))
		return cmd_done(argc - 2, argv + 2);
	return lps_cli_usage_error("unknown subcommand '%s'", sub);
}
