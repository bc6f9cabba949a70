/*
 * lps-goal - the goals of the cycle: add, list, show, edit, set, drop,
 * indicators and measurements.  Thin: options here, tree work in
 * lib/goal.c, reading through lib/collection.h, one commit per change
 * through lib/txn.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "collection.h"
#include "editor.h"
#include "format.h"
#include "framework.h"
#include "goal.h"
#include "registry.h"
#include "schema.h"
#include "store.h"
#include "textclean.h"
#include "txn.h"

static const char usage[] =
	"usage: lps goal add TITLE --agenda AGENDA [--area AREA]\n"
	"                [--standard CODE]... [--aligns TEXT-OR-ID]\n"
	"                [--statement TEXT]\n"
	"   or: lps goal list [--status S] [--agenda A] [--standard CODE]\n"
	"                [--format text|json|ids]\n"
	"   or: lps goal show ID [--format text|json]\n"
	"   or: lps goal edit ID\n"
	"   or: lps goal set ID KEY=VALUE...\n"
	"   or: lps goal drop ID --reason TEXT\n"
	"   or: lps goal indicator add ID --measure TEXT --baseline N\n"
	"                --target N [--unit U] [--due DATE]\n"
	"   or: lps goal measure ID [--indicator K] --value N [--date DATE]\n"
	"                [--evidence EID] [--note TEXT]\n"
	"\n"
	"Manage the goals of the cycle; each change is one commit.  ID is any\n"
	"unique prefix of a goal id.\n"
	"\n"
	"  --agenda AGENDA      student, professional or system\n"
	"  --area AREA          focus, communities, external, strategic or\n"
	"                       coherence\n"
	"  --standard CODE      a standard of a known framework (issl.1a);\n"
	"                       repeat for several\n"
	"  --aligns TEXT-OR-ID  the district goal served: a goal id (prefix)\n"
	"                       or text\n"
	"  --statement TEXT     the goal statement\n"
	"  --status S           list only goals with this status\n"
	"  --format FORMAT      text (default), json, or ids (list only)\n"
	"  KEY=VALUE            title, agenda, area, status, aligns,\n"
	"                       statement, visibility, standards (a,b);\n"
	"                       an empty value removes an optional key\n"
	"  --reason TEXT        why the goal is dropped\n"
	"  --measure TEXT       what the indicator measures\n"
	"  --baseline N         the value at the start\n"
	"  --target N           the value aimed for\n"
	"  --unit U             unit of the values (%, students, days)\n"
	"  --due DATE           when the target should be reached\n"
	"  --indicator K        indicator key (k1); needed when several\n"
	"  --value N            the measured value\n"
	"  --date DATE          date of the measurement (default today)\n"
	"  --evidence EID       evidence backing the measurement\n"
	"  --note TEXT          a note on the measurement\n"
	"  -h, --help           show this help\n";

static const char *const agendas[] = { "student", "professional", "system",
				       NULL };
static const char *const areas[] = { "focus", "communities", "external",
				     "strategic", "coherence", NULL };
static const char *const statuses[] = { "proposed", "active", "met",
					"partially-met", "not-met", "dropped",
					NULL };
static const char *const formats[] = { "text", "json", "ids", NULL };

#define GO_ON LPS_CLI_GO_ON
#define MAX_POS 64
#define MAX_REPEAT LPS_CLI_MAX_REPEAT

/* Check a --date/--due value; GO_ON or a usage error. */
static int check_date(const char *opt, const char *v)
{
	if (v && !lps_format_check(LPS_FORMAT_DATE, v, strlen(v)))
		return lps_cli_usage_error("%s: expected a date YYYY-MM-DD, "
					   "got '%s'", opt, v);
	return GO_ON;
}

/* Parse a number option (required unless may_miss); GO_ON or status 2. */
static int check_number(const char *opt, const char *v, double *out)
{
	if (!v)
		return lps_cli_usage_error("%s is required", opt);
	if (!lps_goal_parse_number(v, out))
		return lps_cli_usage_error("%s: expected a number, got '%s'",
					   opt, v);
	return GO_ON;
}

/* A number as people read it: 54, 12.5, 0.1 (shortest exact form). */
static void fmt_num(char *out, size_t size, double v)
{
	/* Whole numbers in full ("%g" would make 50 into "5e+01"). */
	if (v == (double)(long long)v && v > -1e15 && v < 1e15) {
		snprintf(out, size, "%lld", (long long)v);
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(out, size, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			return;
	}
}

static int write_out(const struct lps_buf *b)
{
	if (b->len && fwrite(b->data, 1, b->len, stdout) != b->len)
		return lps_cli_fail(lps_error_new(LPS_ESYS, "writing output: %s",
						  strerror(errno)));
	if (fflush(stdout))
		return lps_cli_fail(lps_error_new(LPS_ESYS, "writing output: %s",
						  strerror(errno)));
	return 0;
}

/* What most subcommands hold: the portfolio and one goal of it. */
struct goal_ctx {
	struct lps_portfolio *p;
	struct lps_doc *doc;        /* the goal as of HEAD */
	struct lps_node *root;
	char id[LPS_ID_LEN + 1];
	char path[64];
	char today[11];
};

static void ctx_free(struct goal_ctx *c)
{
	lps_doc_free(c->doc);
	lps_portfolio_free(c->p);
}

static struct lps_error *ctx_open(struct goal_ctx *c)
{
	memset(c, 0, sizeof(*c));
	lps_portfolio_today(c->today, NULL);
	return lps_portfolio_open(&c->p, ".");
}

/* Open the portfolio and load the goal the user named by typed. */
static struct lps_error *ctx_load(struct goal_ctx *c, const char *typed)
{
	struct lps_error *err = ctx_open(c);
	if (!err)
		err = lps_collection_find(c->p, 'g', typed, c->id);
	if (err)
		return err;
	lps_collection_path(c->path, sizeof(c->path), c->id);
	if ((err = lps_collection_load(c->p, c->path, &c->doc)))
		return err;
	c->root = lps_doc_root(c->doc);
	return NULL;
}

/* Commit root at path as one change "goal: <what>". */
static struct lps_error *commit_doc(struct lps_portfolio *p, const char *path,
				    struct lps_node *root, const char *what,
				    const char *command)
{
	struct lps_txn *txn = NULL;
	struct lps_error *err = lps_txn_begin(&txn, p);
	if (!err)
		err = lps_txn_put(txn, path, root);
	if (!err)
		err = lps_txn_commit(txn, "goal", what, command, NULL, 0, NULL);
	lps_txn_free(txn);
	return err;
}

/* Whitespace alone is no text: the rule lps reflect and lps feedback
 * use for their bodies (textclean.h). */
static int blank(const char *s)
{
	return lps_textclean_blank(s, strlen(s));
}

/* The title of root, for messages. */
static const char *title_of(const struct lps_node *root)
{
	const char *t = lps_node_str(lps_map_get(root, "title"));
	return t ? t : "";
}

/*
 * Check that every ref names a standard of a built-in framework or of a
 * framework added to the portfolio (as of HEAD).  Goals are never read.
 */
static struct lps_error *check_standards(struct lps_portfolio *p,
					 const char *const *refs, size_t n)
{
	struct lps_frameworks *fws = NULL;
	struct lps_error *err;
	if (!n)
		return NULL;
	if ((err = lps_frameworks_load(&fws, p)))
		return err;
	for (size_t i = 0; i < n && !err; i++)
		if (!lps_frameworks_standard(fws, refs[i]))
			err = lps_error_new(LPS_EINVALID,
					    "unknown standard \"%s\"", refs[i]);
	lps_frameworks_free(fws);
	return err;
}

/*
 * --aligns: a goal id or prefix ("g-3f9a", or 4 to 8 hex digits) that
 * names a goal is stored as the whole id; "g-..." that names none is an
 * error; anything else is kept as text.  id holds LPS_ID_LEN + 1 bytes.
 */
static struct lps_error *resolve_aligns(struct lps_portfolio *p,
					const char *typed, char *id,
					const char **out)
{
	size_t len = strlen(typed), hex = 0;
	int g = !strncmp(typed, "g-", 2);
	const char *h = g ? typed + 2 : typed;
	while (h[hex] && strchr("0123456789abcdefABCDEF", h[hex]))
		hex++;
	*out = typed;
	if (h[hex] || hex > LPS_ID_HEX || (!g && hex < 4) || (g && !hex) ||
	    len > LPS_ID_LEN)
		return NULL;
	struct lps_error *err = lps_collection_find(p, 'g', typed, id);
	if (!err) {
		*out = id;
		return NULL;
	}
	if (!g && err->code == LPS_ENOTFOUND) {
		lps_error_free(err);
		return NULL;
	}
	return lps_error_wrap(err, "--aligns");
}

static int cmd_add(int argc, char **argv)
{
	const char *agenda = NULL, *area = NULL, *aligns = NULL;
	const char *statement = NULL, *stds[MAX_REPEAT], *pos[MAX_POS];
	size_t nstds = 0, npos;
	const struct lps_cli_opt opts[] = {
		{ .name = "--agenda", .val = &agenda },
		{ .name = "--area", .val = &area },
		{ .name = "--standard", .list = stds, .nlist = &nstds },
		{ .name = "--aligns", .val = &aligns },
		{ .name = "--statement", .val = &statement },
		{ .name = NULL },
	};
	int rc = lps_cli_parse(argc, argv, opts, pos, MAX_POS, &npos);
	if (rc != GO_ON)
		return rc;
	if (npos != 1)
		return lps_cli_usage_error(npos ? "goal add takes one TITLE"
						: "goal add needs a TITLE");
	if (blank(pos[0]))
		return lps_cli_usage_error("the title cannot be empty");
	if (statement && blank(statement))
		return lps_cli_usage_error("--statement cannot be empty");
	if (aligns && blank(aligns))
		return lps_cli_usage_error("--aligns cannot be empty");
	if (!agenda)
		return lps_cli_usage_error("--agenda is required");
	if (lps_cli_choice("--agenda", agenda, agendas) < 0 ||
	    (area && lps_cli_choice("--area", area, areas) < 0))
		return LPS_EXIT_USAGE;
	/* A standard named twice is meant once. */
	size_t k = 0;
	for (size_t i = 0; i < nstds; i++) {
		size_t j = 0;
		while (j < k && strcmp(stds[j], stds[i]))
			j++;
		if (j == k)
			stds[k++] = stds[i];
	}
	nstds = k;

	struct goal_ctx c;
	struct lps_doc *doc = NULL;
	char id[LPS_ID_LEN + 1] = "", aid[LPS_ID_LEN + 1] = "";
	char *what = NULL;
	struct lps_error *err = ctx_open(&c);
	if (!err)
		err = check_standards(c.p, stds, nstds);
	if (!err && aligns)
		err = resolve_aligns(c.p, aligns, aid, &aligns);
	/* A new id must not replace a goal: one lookup by path each try. */
	int unused = 0;
	for (int tries = 0; !err && !unused && tries < 8; tries++) {
		char found[LPS_ID_LEN + 1] = "";
		if ((err = lps_portfolio_new_id(id, 'g')))
			break;
		err = lps_collection_find(c.p, 'g', id, found);
		if (err && err->code == LPS_ENOTFOUND) {
			lps_error_free(err);
			err = NULL;
			unused = 1;
		}
	}
	if (!err && !unused)
		err = lps_error_new(LPS_ESYS, "no unused goal id found");
	if (err)
		goto out;
	const char *cycle = lps_node_str(lps_map_get(
		lps_doc_root(lps_portfolio_meta(c.p)), "cycle"));
	struct lps_goal_fields f = {
		.id = id, .title = pos[0], .agenda = agenda, .area = area,
		.cycle = cycle, .standards = stds, .nstandards = nstds,
		.aligns = aligns, .statement = statement, .created = c.today,
	};
	lps_collection_path(c.path, sizeof(c.path), id);
	if ((err = lps_goal_new(&doc, c.path, &f)))
		goto out;
	size_t n = strlen(id) + strlen(pos[0]) + 8;
	if (!(what = malloc(n))) {
		err = lps_error_nomem();
		goto out;
	}
	snprintf(what, n, "add %s \"%s\"", id, pos[0]);
	err = commit_doc(c.p, c.path, lps_doc_root(doc), what, "goal add");
	if (!err)
		printf("Added goal %s \"%s\"\n", id, pos[0]);
out:
	free(what);
	lps_doc_free(doc);
	ctx_free(&c);
	return lps_cli_fail(err);
}

/* Does the goal's standards list hold ref? */
static int has_standard(const struct lps_node *root, const char *ref)
{
	const struct lps_node *s = lps_map_get(root, "standards");
	for (size_t i = 0; s && s->type == LPS_NODE_SEQ && i < s->v.seq.n; i++) {
		const char *x = lps_node_str(s->v.seq.items[i]);
		if (x && !strcmp(x, ref))
			return 1;
	}
	return 0;
}

/* A shallow JSON view of a stored map (nodes borrowed) to add to. */
static struct lps_node *view_of(struct lps_doc *doc,
				const struct lps_node *map)
{
	struct lps_node *v = lps_doc_new_map(doc);
	for (size_t i = 0; v && i < map->v.map.n; i++)
		if (lps_map_set(doc, v, map->v.map.pairs[i].key,
				map->v.map.pairs[i].value))
			return NULL;
	return v;
}

/* The goal's progress as a whole percentage node, or null. */
static struct lps_node *progress_node(struct lps_doc *doc,
				      const struct lps_node *goal)
{
	double p;
	if (lps_goal_progress(goal, &p))
		return lps_doc_new_int(doc, lps_goal_percent(p));
	return lps_doc_new_null(doc);
}

/* Append text with every line after the first indented by ind spaces. */
static int add_indented(struct lps_buf *out, const char *text, int ind)
{
	for (const char *c = text; *c; c++) {
		if (lps_buf_addc(out, *c))
			return -1;
		if (*c == '\n' && c[1] &&
		    lps_buf_addf(out, "%*s", ind, ""))
			return -1;
	}
	return 0;
}

struct list_state {
	const char *status, *agenda, *standard;
	int format;               /* 0 text, 1 json, 2 ids */
	size_t count;
	struct lps_buf out;
	struct lps_error *err;
};

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
	const char *id = lps_node_str(lps_map_get(g, "id"));
	const char *st = lps_node_str(lps_map_get(g, "status"));
	const char *ag = lps_node_str(lps_map_get(g, "agenda"));
	if ((s->status && strcmp(s->status, st)) ||
	    (s->agenda && strcmp(s->agenda, ag)) ||
	    (s->standard && !has_standard(g, s->standard)))
		return 0;
	int bad = 0;
	if (s->format == 2) {
		bad = lps_buf_addf(&s->out, "%s\t%s\n", id, title_of(g));
	} else if (s->format == 0) {
		double p;
		char prog[32] = "-";
		if (lps_goal_progress(g, &p))
			snprintf(prog, sizeof(prog), "%ld%%",
				 lps_goal_percent(p));
		bad = lps_buf_addf(&s->out, "%s  %-13s  %-12s  %5s  %s\n", id,
				   st, ag, prog, title_of(g));
	} else {
		struct lps_doc *v = NULL;
		struct lps_buf item = LPS_BUF_INIT;
		struct lps_node *m = NULL, *pn = NULL;
		if (!(s->err = lps_doc_new(&v, path)) &&
		    (!(m = view_of(v, g)) || !(pn = progress_node(v, g)) ||
		     lps_map_set(v, m, "progress", pn)))
			s->err = lps_error_nomem();
		if (!s->err)
			s->err = lps_doc_emit_json(m, &item);
		/* Items sit four spaces deep in {"goals": [...]}. */
		if (!s->err &&
		    (lps_buf_adds(&s->out, s->count ? ",\n    " : "\n    ") ||
		     (item.len && (item.data[--item.len] = '\0', 0)) ||
		     add_indented(&s->out, item.data, 4)))
			s->err = lps_error_nomem();
		lps_buf_free(&item);
		lps_doc_free(v);
	}
	if (bad && !s->err)
		s->err = lps_error_nomem();
	s->count++;
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
	const char *fmt = NULL, *pos[MAX_POS];
	size_t npos;
	struct list_state s = { .out = LPS_BUF_INIT };
	const struct lps_cli_opt opts[] = {
		{ .name = "--status", .val = &s.status },
		{ .name = "--agenda", .val = &s.agenda },
		{ .name = "--standard", .val = &s.standard },
		{ .name = "--format", .val = &fmt },
		{ .name = NULL },
	};
	int rc = lps_cli_parse(argc, argv, opts, pos, MAX_POS, &npos);
	if (rc != GO_ON)
		return rc;
	if (npos)
		return lps_cli_usage_error("unexpected argument '%s'", pos[0]);
	if ((fmt && (s.format = lps_cli_choice("--format", fmt, formats)) < 0) ||
	    (s.status && lps_cli_choice("--status", s.status, statuses) < 0) ||
	    (s.agenda && lps_cli_choice("--agenda", s.agenda, agendas) < 0))
		return LPS_EXIT_USAGE;

	struct lps_portfolio *p = NULL;
	struct lps_error *err = lps_portfolio_open(&p, ".");
	if (!err && s.format == 1 && lps_buf_adds(&s.out, "{\n  \"goals\": ["))
		err = lps_error_nomem();
	if (!err)
		err = lps_collection_each(p, "goals", list_one, &s);
	if (!err)
		err = s.err;
	if (!err && s.format == 1 &&
	    lps_buf_adds(&s.out, s.count ? "\n  ]\n}\n" : "]\n}\n"))
		err = lps_error_nomem();
	if (!err)
		rc = write_out(&s.out);
	lps_buf_free(&s.out);
	lps_portfolio_free(p);
	return err ? lps_cli_fail(err) : rc;
}

/* Evidence documents that name a goal: "id\ttitle" lines, or JSON ids. */
struct evidence_state {
	const char *goal;
	struct lps_buf lines;
	size_t n;
};

static int evidence_one(void *ctx, const char *path, const struct lps_doc *doc,
			const struct lps_error *problem)
{
	struct evidence_state *s = ctx;
	if (problem)
		return 0;
	const struct lps_node *e = lps_doc_root(doc);
	const struct lps_node *gs = lps_map_get(e, "goals");
	for (size_t i = 0; gs && gs->type == LPS_NODE_SEQ && i < gs->v.seq.n;
	     i++) {
		const char *g = lps_node_str(gs->v.seq.items[i]);
		if (g && !strcmp(g, s->goal)) {
			const char *id = lps_node_str(lps_map_get(e, "id"));
			if (lps_buf_addf(&s->lines, "%s\t%s\n", id ? id : "?",
					 title_of(e)))
				return 1;
			s->n++;
			break;
		}
	}
	return 0;
}

/* Text of `goal show`. */
static int show_text(struct lps_buf *o, const struct lps_node *g,
		     const char *today, const struct evidence_state *ev)
{
	static const char *const fields[] = {
		"status", "agenda", "area", "cycle", "created", "aligns",
		"carried_from", "dropped_reason", "visibility", NULL,
	};
	static const char *const labels[] = {
		"status", "agenda", "area", "cycle", "created", "aligns",
		"carried from", "dropped", "visibility",
	};
	int bad = lps_buf_addf(o, "%s  %s\n",
			       lps_node_str(lps_map_get(g, "id")), title_of(g));
	for (size_t i = 0; fields[i]; i++) {
		const char *v = lps_node_str(lps_map_get(g, fields[i]));
		if (v)
			bad |= lps_buf_addf(o, "  %-13s%s\n", labels[i], v);
	}
	const struct lps_node *st = lps_map_get(g, "standards");
	if (st && st->type == LPS_NODE_SEQ && st->v.seq.n) {
		bad |= lps_buf_addf(o, "  %-13s", "standards");
		for (size_t i = 0; i < st->v.seq.n; i++)
			bad |= lps_buf_addf(o, "%s%s", i ? ", " : "",
					    lps_node_str(st->v.seq.items[i]));
		bad |= lps_buf_addc(o, '\n');
	}
	double p;
	if (lps_goal_progress(g, &p))
		bad |= lps_buf_addf(o, "  %-13s%ld%%\n", "progress",
				    lps_goal_percent(p));
	else
		bad |= lps_buf_addf(o, "  %-13s-\n", "progress");
	const char *stmt = lps_node_str(lps_map_get(g, "statement"));
	if (stmt) {
		bad |= lps_buf_adds(o, "\nStatement:\n  ");
		bad |= add_indented(o, stmt, 2);
		if (stmt[0] && stmt[strlen(stmt) - 1] != '\n')
			bad |= lps_buf_addc(o, '\n');
	}

	const struct lps_node *inds = lps_map_get(g, "indicators");
	size_t ni = inds && inds->type == LPS_NODE_SEQ ? inds->v.seq.n : 0;
	bad |= lps_buf_adds(o, ni ? "\nIndicators:\n" : "\nIndicators: none\n");
	for (size_t i = 0; i < ni; i++) {
		const struct lps_node *in = inds->v.seq.items[i];
		const char *unit = lps_node_str(lps_map_get(in, "unit"));
		const char *due = lps_node_str(lps_map_get(in, "due"));
		char b[40] = "?", t[40] = "?", l[40] = "-", pc[40] = "-";
		double x, latest;
		if (lps_goal_node_number(lps_map_get(in, "baseline"), &x))
			fmt_num(b, sizeof(b), x);
		if (lps_goal_node_number(lps_map_get(in, "target"), &x))
			fmt_num(t, sizeof(t), x);
		if (lps_goal_latest(in, &latest, NULL))
			fmt_num(l, sizeof(l), latest);
		if (lps_goal_indicator_progress(in, &x, NULL))
			snprintf(pc, sizeof(pc), "%ld%%", lps_goal_percent(x));
		bad |= lps_buf_addf(o, "  %s  %s\n      %s -> %s -> %s%s%s"
				    "  progress %s%s%s\n",
				    lps_node_str(lps_map_get(in, "id")),
				    lps_node_str(lps_map_get(in, "measure")),
				    b, l, t, unit ? " " : "", unit ? unit : "",
				    pc, due ? "  due " : "", due ? due : "");
		const struct lps_node *ms = lps_map_get(in, "measurements");
		for (size_t k = 0; ms && ms->type == LPS_NODE_SEQ &&
				   k < ms->v.seq.n; k++) {
			const struct lps_node *m = ms->v.seq.items[k];
			const char *e = lps_node_str(lps_map_get(m, "evidence"));
			const char *note = lps_node_str(lps_map_get(m, "note"));
			char v[40] = "?";
			if (lps_goal_node_number(lps_map_get(m, "value"), &x))
				fmt_num(v, sizeof(v), x);
			bad |= lps_buf_addf(o, "      %s  %s%s%s%s%s\n",
					    lps_node_str(lps_map_get(m, "date")),
					    v, e ? "  " : "", e ? e : "",
					    note ? "  " : "", note ? note : "");
		}
	}

	const struct lps_node *acts = lps_map_get(g, "actions");
	size_t na = acts && acts->type == LPS_NODE_SEQ ? acts->v.seq.n : 0;
	bad |= lps_buf_adds(o, na ? "\nAction steps:\n"
				  : "\nAction steps: none\n");
	for (size_t i = 0; i < na; i++) {
		const struct lps_node *a = acts->v.seq.items[i];
		const char *st2 = lps_node_str(lps_map_get(a, "status"));
		const char *due = lps_node_str(lps_map_get(a, "due"));
		const char *done = lps_node_str(lps_map_get(a, "done"));
		const char *owner = lps_node_str(lps_map_get(a, "owner"));
		int late = lps_goal_action_overdue(a, today);
		bad |= lps_buf_addf(o, "  %s  %-7s  %-10s  %s",
				    lps_node_str(lps_map_get(a, "id")),
				    late ? "overdue" : st2, due ? due : "-",
				    lps_node_str(lps_map_get(a, "text")));
		if (owner)
			bad |= lps_buf_addf(o, "  (owner: %s)", owner);
		if (done)
			bad |= lps_buf_addf(o, "  (done %s)", done);
		bad |= lps_buf_addc(o, '\n');
	}
	if (ev->n) {
		bad |= lps_buf_adds(o, "\nEvidence:\n");
		for (const char *c = ev->lines.data; c && *c;) {
			size_t len = strcspn(c, "\t");
			const char *nl = strchr(c, '\n');
			bad |= lps_buf_addf(o, "  %.*s  %.*s\n", (int)len, c,
					    (int)(nl - c - (long)len - 1),
					    c + len + 1);
			c = nl + 1;
		}
	} else {
		bad |= lps_buf_adds(o, "\nEvidence: none\n");
	}
	return bad ? -1 : 0;
}

/* JSON of `goal show`: the goal as stored plus computed fields. */
static struct lps_error *show_json(struct lps_buf *o, const char *name,
				   const struct lps_node *g, const char *today,
				   const struct evidence_state *ev)
{
	struct lps_doc *v = NULL;
	struct lps_error *err = lps_doc_new(&v, name);
	if (err)
		return err;
	struct lps_node *m = view_of(v, g);
	struct lps_node *pn = progress_node(v, g);
	int bad = !m || !pn || lps_map_set(v, m, "progress", pn);
	const struct lps_node *inds = lps_map_get(g, "indicators");
	if (!bad && inds && inds->type == LPS_NODE_SEQ) {
		struct lps_node *seq = lps_doc_new_seq(v);
		bad = !seq || lps_map_set(v, m, "indicators", seq);
		for (size_t i = 0; !bad && i < inds->v.seq.n; i++) {
			const struct lps_node *in = inds->v.seq.items[i];
			struct lps_node *iv = view_of(v, in);
			double x, l;
			int has_l = lps_goal_latest(in, &l, NULL);
			int has_p = lps_goal_indicator_progress(in, &x, NULL);
			struct lps_node *ln = has_l ? lps_goal_number_node(v, l)
						    : lps_doc_new_null(v);
			struct lps_node *ip = has_p
				? lps_doc_new_int(v, lps_goal_percent(x))
				: lps_doc_new_null(v);
			bad = !iv || !ln || !ip ||
			      lps_map_set(v, iv, "latest", ln) ||
			      lps_map_set(v, iv, "progress", ip) ||
			      lps_seq_append(v, seq, iv);
		}
	}
	const struct lps_node *acts = lps_map_get(g, "actions");
	if (!bad && acts && acts->type == LPS_NODE_SEQ) {
		struct lps_node *seq = lps_doc_new_seq(v);
		bad = !seq || lps_map_set(v, m, "actions", seq);
		for (size_t i = 0; !bad && i < acts->v.seq.n; i++) {
			const struct lps_node *a = acts->v.seq.items[i];
			struct lps_node *av = view_of(v, a);
			struct lps_node *od = lps_doc_new_bool(
				v, lps_goal_action_overdue(a, today));
			bad = !av || !od || lps_map_set(v, av, "overdue", od) ||
			      lps_seq_append(v, seq, av);
		}
	}
	struct lps_node *evs = bad ? NULL : lps_doc_new_seq(v);
	bad = bad || !evs || lps_map_set(v, m, "evidence", evs);
	for (const char *c = ev->lines.data; !bad && c && *c;) {
		size_t len = strcspn(c, "\t");
		struct lps_node *s = lps_doc_new_stringn(v, c, len);
		bad = !s || lps_seq_append(v, evs, s);
		c = strchr(c, '\n') + 1;
	}
	err = bad ? lps_error_nomem() : lps_doc_emit_json(m, o);
	lps_doc_free(v);
	return err;
}

static int cmd_show(int argc, char **argv)
{
	const char *fmt = NULL, *pos[MAX_POS];
	size_t npos;
	int format = 0;
	const struct lps_cli_opt opts[] = {
		{ .name = "--format", .val = &fmt },
		{ .name = NULL },
	};
	int rc = lps_cli_parse(argc, argv, opts, pos, MAX_POS, &npos);
	if (rc != GO_ON)
		return rc;
	if (npos != 1)
		return lps_cli_usage_error("goal show takes one ID");
	if (fmt && ((format = lps_cli_choice("--format", fmt, formats)) < 0 ||
		    format == 2))
		return format == 2 ? lps_cli_usage_error(
			"--format ids is for lists") : LPS_EXIT_USAGE;

	struct goal_ctx c;
	struct evidence_state ev = { .lines = LPS_BUF_INIT };
	struct lps_buf out = LPS_BUF_INIT;
	struct lps_error *err = ctx_load(&c, pos[0]);
	if (!err) {
		ev.goal = c.id;
		err = lps_collection_each(c.p, "evidence", evidence_one, &ev);
	}
	if (!err && format == 1)
		err = show_json(&out, c.path, c.root, c.today, &ev);
	else if (!err && show_text(&out, c.root, c.today, &ev))
		err = lps_error_nomem();
	if (!err)
		rc = write_out(&out);
	lps_buf_free(&out);
	lps_buf_free(&ev.lines);
	ctx_free(&c);
	return err ? lps_cli_fail(err) : rc;
}

/* What `goal edit` checks the user's text against. */
struct edit_check {
	const char *path;   /* goals/<id>.yaml */
	const char *id;
};

/* Findings as "path:line:col: where: message" lines. */
static struct lps_error *edit_check(void *ctx, const char *text, size_t len)
{
	const struct edit_check *ec = ctx;
	struct lps_doc *doc = NULL;
	struct lps_findings f = LPS_FINDINGS_INIT;
	const struct lps_registry *reg;
	struct lps_buf msg = LPS_BUF_INIT;
	int valid = 0;
	struct lps_error *err = lps_doc_load(&doc, ec->path, text, len, NULL);
	if (err) {
		char *m = lps_error_format(err);
		lps_error_free(err);
		err = lps_error_new(LPS_EINVALID, "lps: error: %s",
				    m ? m : "cannot load the text");
		free(m);
		return err;
	}
	if ((err = lps_portfolio_check_version(doc)) ||
	    (err = lps_registry_get(&reg)) ||
	    (err = lps_registry_validate_path(&valid, &f, reg, ec->path,
					      lps_doc_root(doc)))) {
		char *m = lps_error_format(err);
		lps_error_free(err);
		err = lps_error_new(LPS_EINVALID, "lps: error: %s",
				    m ? m : "out of memory");
		free(m);
		goto out;
	}
	for (size_t i = 0; i < f.n; i++) {
		const struct lps_finding *x = &f.items[i];
		lps_buf_addf(&msg, "%slps: error: %s:%u:%u: %s%s%s",
			     i ? "\n" : "", ec->path, x->line, x->col,
			     x->path, *x->path ? ": " : "", x->message);
	}
	if (valid) {
		const struct lps_node *idn =
			lps_map_get(lps_doc_root(doc), "id");
		const char *id = lps_node_str(idn);
		if (!id || strcmp(id, ec->id))
			lps_buf_addf(&msg, "lps: error: %s:%u:%u: id: must stay "
				     "%s", ec->path, idn ? idn->line : 1,
				     idn ? idn->col : 1, ec->id);
		/* What lps check reports beyond the schema. */
		const struct lps_node *inds =
			lps_map_get(lps_doc_root(doc), "indicators");
		for (size_t i = 0; inds && inds->type == LPS_NODE_SEQ &&
				   i < inds->v.seq.n; i++) {
			const struct lps_node *k = inds->v.seq.items[i];
			const struct lps_node *t = lps_map_get(k, "target");
			if (!lps_goal_indicator_flat(k))
				continue;
			lps_buf_addf(&msg, "%slps: error: %s:%u:%u: "
				     LPS_GOAL_FLAT_FMT, msg.len ? "\n" : "",
				     ec->path, t->line, t->col, i);
		}
	}
	if (msg.len)
		err = lps_error_new(LPS_EINVALID, "%s", msg.data);
out:
	lps_buf_free(&msg);
	lps_findings_free(&f);
	lps_doc_free(doc);
	return err;
}

/*
 * Ask "edit again? [Y/n] " until the answer is clear
 * (lps_textclean_answer: y/yes/empty, n/no); end of input is no.
 */
static int ask_again(void)
{
	for (;;) {
		char line[64];
		fputs("edit again? [Y/n] ", stderr);
		fflush(stderr);
		int got = fgets(line, sizeof(line), stdin) != NULL;
		/* A terminal echoes the answer and its newline; anything
		 * else does not, so end the prompt's line ourselves. */
		if (!got || !isatty(STDIN_FILENO))
			fputc('\n', stderr);
		if (!got)
			return 0;
		size_t len = strlen(line);
		int whole = len && line[len - 1] == '\n';
		int c = 0;
		while (!whole && (c = getchar()) != EOF && c != '\n')
			; /* a long line is one (unclear) answer */
		int r = whole || len < sizeof(line) - 1
			? lps_textclean_answer(line, len, 1) : -1;
		if (r >= 0)
			return r;
		if (c == EOF)
			return 0;
	}
}

/*
 * The editor loop of goal edit: like lps_editor_edit with a check, but
 * asking again until the answer is clear (editor.c takes any answer
 * but n as yes).  Each round starts from the user's last text.
 */
static struct lps_error *edit_until_valid(struct lps_buf *out,
					  const struct lps_buf *before,
					  const char *name,
					  struct edit_check *ec)
{
	struct lps_buf text = LPS_BUF_INIT;
	struct lps_error *err = NULL;
	if (lps_buf_add(&text, before->data ? before->data : "",
			before->len) < 0)
		return lps_error_nomem();
	for (;;) {
		if ((err = lps_editor_edit(out, text.data ? text.data : "",
					   text.len, name, NULL, NULL)))
			break;
		struct lps_error *bad = edit_check(ec, out->data ? out->data
								  : "",
						   out->len);
		if (!bad)
			break;
		fprintf(stderr, "%s\n", bad->msg);
		lps_error_free(bad);
		if (!ask_again()) {
			err = lps_error_new(LPS_EINVALID,
					    "aborted: nothing changed");
			break;
		}
		lps_buf_reset(&text);
		if (lps_buf_add(&text, out->data ? out->data : "",
				out->len) < 0) {
			err = lps_error_nomem();
			break;
		}
	}
	lps_buf_free(&text);
	return err;
}

static int cmd_edit(int argc, char **argv)
{
	const char *pos[MAX_POS];
	size_t npos;
	const struct lps_cli_opt opts[] = { { .name = NULL } };
	int rc = lps_cli_parse(argc, argv, opts, pos, MAX_POS, &npos);
	if (rc != GO_ON)
		return rc;
	if (npos != 1)
		return lps_cli_usage_error("goal edit takes one ID");

	struct goal_ctx c;
	struct lps_buf before = LPS_BUF_INIT, after = LPS_BUF_INIT;
	struct lps_txn *txn = NULL;
	char what[64];
	struct lps_error *err = ctx_load(&c, pos[0]);
	/* Refuse before the user types anything that a refusal would lose. */
	if (!err)
		err = lps_store_check_clean(lps_portfolio_store(c.p), c.path);
	if (!err)
		err = lps_store_read(lps_portfolio_store(c.p),
				     lps_portfolio_head(c.p), c.path, &before);
	if (err)
		goto out;
	struct edit_check ec = { c.path, c.id };
	char name[32];
	snprintf(name, sizeof(name), "%s.yaml", c.id);
	err = edit_until_valid(&after, &before, name, &ec);
	if (err)
		goto out;
	if (after.len == before.len &&
	    (!after.len || !memcmp(after.data, before.data, after.len))) {
		printf("nothing changed\n");
		goto out;
	}
	/* The user's text as written (DESIGN 3), validated above. */
	snprintf(what, sizeof(what), "edit %s", c.id);
	if (!(err = lps_txn_begin(&txn, c.p)) &&
	    !(err = lps_txn_put_raw(txn, c.path, after.data, after.len)) &&
	    !(err = lps_txn_commit(txn, "goal", what, "goal edit", NULL, 0,
				   NULL)))
		printf("Edited goal %s\n", c.id);
out:
	lps_txn_free(txn);
	lps_buf_free(&before);
	lps_buf_free(&after);
	ctx_free(&c);
	return lps_cli_fail(err);
}

static int cmd_set(int argc, char **argv)
{
	const char *pos[MAX_POS];
	size_t npos;
	const struct lps_cli_opt opts[] = { { .name = NULL } };
	int rc = lps_cli_parse(argc, argv, opts, pos, MAX_POS, &npos);
	if (rc != GO_ON)
		return rc;
	if (npos < 2)
		return lps_cli_usage_error("goal set needs an ID and "
					   "KEY=VALUE");
	for (size_t i = 1; i < npos; i++)
		if (!strchr(pos[i], '=') || pos[i][0] == '=')
			return lps_cli_usage_error("expected KEY=VALUE, got "
						   "'%s'", pos[i]);

	struct goal_ctx c;
	struct lps_buf what = LPS_BUF_INIT;
	struct lps_node *orig = NULL;
	struct lps_error *err = ctx_load(&c, pos[0]);
	if (err)
		goto out;
	if (!(orig = lps_doc_copy(c.doc, c.root)) ||
	    lps_buf_addf(&what, "set %s", c.id)) {
		err = lps_error_nomem();
		goto out;
	}
	for (size_t i = 1; i < npos && !err; i++) {
		size_t kl = strcspn(pos[i], "=");
		char key[32];
		const char *val = pos[i] + kl + 1;
		char aid[LPS_ID_LEN + 1] = "";
		snprintf(key, sizeof(key), "%.*s", (int)kl, pos[i]);
		if (blank(val))
			val = ""; /* whitespace alone is no value */
		if (!strcmp(key, "aligns") && *val)
			err = resolve_aligns(c.p, val, aid, &val);
		if (!err)
			err = lps_goal_set(c.doc, c.root, key, val);
		if (!err && !strcmp(key, "standards")) {
			const struct lps_node *s = lps_map_get(c.root,
							       "standards");
			const char *refs[MAX_REPEAT];
			size_t n = 0;
			for (size_t k = 0; s && k < s->v.seq.n &&
					   n < MAX_REPEAT; k++)
				refs[n++] = lps_node_str(s->v.seq.items[k]);
			err = check_standards(c.p, refs, n);
		}
		if (!err && lps_buf_addf(&what, " %s=%s", key, val))
			err = lps_error_nomem();
	}
	if (err)
		goto out;
	if (lps_node_equal(orig, c.root)) {
		printf("nothing changed\n");
		goto out;
	}
	err = commit_doc(c.p, c.path, c.root, what.data, "goal set");
	if (!err)
		printf("Updated goal %s:%s\n", c.id, what.data + 4 + strlen(c.id));
out:
	lps_buf_free(&what);
	ctx_free(&c);
	return lps_cli_fail(err);
}

static int cmd_drop(int argc, char **argv)
{
	const char *reason = NULL, *pos[MAX_POS];
	size_t npos;
	const struct lps_cli_opt opts[] = {
		{ .name = "--reason", .val = &reason },
		{ .name = NULL },
	};
	int rc = lps_cli_parse(argc, argv, opts, pos, MAX_POS, &npos);
	if (rc != GO_ON)
		return rc;
	if (npos != 1)
		return lps_cli_usage_error("goal drop takes one ID");
	if (!reason)
		return lps_cli_usage_error("--reason is required");
	if (blank(reason))
		return lps_cli_usage_error("--reason cannot be empty");

	struct goal_ctx c;
	char what[64];
	struct lps_error *err = ctx_load(&c, pos[0]);
	if (err)
		goto out;
	const char *st = lps_node_str(lps_map_get(c.root, "status"));
	if (st && !strcmp(st, "dropped")) {
		err = lps_error_new(LPS_EINVALID, "goal %s is already dropped",
				    c.id);
		goto out;
	}
	snprintf(what, sizeof(what), "drop %s", c.id);
	if (!(err = lps_goal_drop(c.doc, c.root, reason)) &&
	    !(err = commit_doc(c.p, c.path, c.root, what, "goal drop")))
		printf("Dropped goal %s \"%s\"\n", c.id, title_of(c.root));
out:
	ctx_free(&c);
	return lps_cli_fail(err);
}

static int cmd_indicator(int argc, char **argv)
{
	if (argc < 1 || strcmp(argv[0], "add")) {
		if (argc >= 1 && (!strcmp(argv[0], "-h") ||
				  !strcmp(argv[0], "--help")))
			return lps_cli_help();
		return lps_cli_usage_error("goal indicator: expected 'add'");
	}
	const char *measure = NULL, *base = NULL, *target = NULL;
	const char *unit = NULL, *due = NULL, *pos[MAX_POS];
	size_t npos;
	const struct lps_cli_opt opts[] = {
		{ .name = "--measure", .val = &measure },
		{ .name = "--baseline", .val = &base },
		{ .name = "--target", .val = &target },
		{ .name = "--unit", .val = &unit },
		{ .name = "--due", .val = &due },
		{ .name = NULL },
	};
	int rc = lps_cli_parse(argc - 1, argv + 1, opts, pos, MAX_POS, &npos);
	if (rc != GO_ON)
		return rc;
	if (npos != 1)
		return lps_cli_usage_error("goal indicator add takes one ID");
	if (!measure)
		return lps_cli_usage_error("--measure is required");
	if (blank(measure))
		return lps_cli_usage_error("--measure cannot be empty");
	if (unit && blank(unit))
		return lps_cli_usage_error("--unit cannot be empty");
	struct lps_indicator_fields f = { .measure = measure, .unit = unit,
					  .due = due };
	if ((rc = check_number("--baseline", base, &f.baseline)) != GO_ON ||
	    (rc = check_number("--target", target, &f.target)) != GO_ON ||
	    (rc = check_date("--due", due)) != GO_ON)
		return rc;
	/* No progress can be measured towards where one already is. */
	if (f.target == f.baseline)
		return lps_cli_usage_error("--target must differ from "
					   "--baseline");

	struct goal_ctx c;
	char key[8], what[64];
	struct lps_error *err = ctx_load(&c, pos[0]);
	if (!err)
		err = lps_goal_add_indicator(c.doc, c.root, &f, key);
	if (err)
		goto out;
	snprintf(what, sizeof(what), "indicator %s on %s", key, c.id);
	err = commit_doc(c.p, c.path, c.root, what, "goal indicator add");
	if (!err)
		printf("Added indicator %s to goal %s\n", key, c.id);
out:
	ctx_free(&c);
	return lps_cli_fail(err);
}

static int cmd_measure(int argc, char **argv)
{
	const char *ind = NULL, *value = NULL, *date = NULL, *evid = NULL;
	const char *note = NULL, *pos[MAX_POS];
	size_t npos;
	const struct lps_cli_opt opts[] = {
		{ .name = "--indicator", .val = &ind },
		{ .name = "--value", .val = &value },
		{ .name = "--date", .val = &date },
		{ .name = "--evidence", .val = &evid },
		{ .name = "--note", .val = &note },
		{ .name = NULL },
	};
	int rc = lps_cli_parse(argc, argv, opts, pos, MAX_POS, &npos);
	if (rc != GO_ON)
		return rc;
	if (npos != 1)
		return lps_cli_usage_error("goal measure takes one ID");
	if (note && blank(note))
		return lps_cli_usage_error("--note cannot be empty");
	struct lps_measurement_fields f = { .indicator = ind, .date = date,
					    .note = note };
	if ((rc = check_number("--value", value, &f.value)) != GO_ON ||
	    (rc = check_date("--date", date)) != GO_ON)
		return rc;

	struct goal_ctx c;
	char key[8], what[128], num[40], eid[LPS_ID_LEN + 1] = "";
	struct lps_error *err = ctx_load(&c, pos[0]);
	if (!err && evid) {
		if (!(err = lps_collection_find(c.p, 'e', evid, eid)))
			f.evidence = eid;
	}
	if (!f.date)
		f.date = c.today;
	if (!err)
		err = lps_goal_add_measurement(c.doc, c.root, &f, key);
	if (err)
		goto out;
	fmt_num(num, sizeof(num), f.value);
	snprintf(what, sizeof(what), "measure %s %s = %s", c.id, key, num);
	err = commit_doc(c.p, c.path, c.root, what, "goal measure");
	if (!err)
		printf("Recorded %s = %s on %s for goal %s\n", key, num, f.date,
		       c.id);
out:
	ctx_free(&c);
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
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} subs[] = {
		{ "add", cmd_add }, { "list", cmd_list }, { "show", cmd_show },
		{ "edit", cmd_edit }, { "set", cmd_set }, { "drop", cmd_drop },
		{ "indicator", cmd_indicator }, { "measure", cmd_measure },
	};
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(sub, subs[i].name))
			return subs[i].fn(argc - 2, argv + 2);
	return lps_cli_usage_error("unknown subcommand '%s'", sub);
}
