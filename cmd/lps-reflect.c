/*
 * lps-reflect - write a reflection (reflections/<id>.yaml), perhaps
 * answering a framework's prompt, or list the prompts on offer.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "collection.h"
#include "editor.h"
#include "meta.h"
#include "portfolio.h"
#include "reflection.h"
#include "txn.h"

static const char usage[] =
	"usage: lps reflect [--goal ID]... [--prompt PROMPT-ID] [-m TEXT | -F FILE]\n"
	"                   [--date DATE] [--visibility private|roundtable]\n"
	"   or: lps reflect --prompts [--phase PHASE] [--format text|json]\n"
	"\n"
	"Write a reflection in the current phase.  Without -m or -F the editor\n"
	"opens on a template showing the prompt; lines starting with '#' are\n"
	"left out, and an empty reflection aborts with nothing written.\n"
	"\n"
	"    --goal ID            a goal the reflection is about (any unique\n"
	"                         prefix); repeat for more\n"
	"    --prompt PROMPT-ID   the prompt it answers (lfl.focus.1)\n"
	"    -m, --message TEXT   the reflection's text\n"
	"    -F, --file FILE      read the text from FILE (- for standard input)\n"
	"    --date DATE          YYYY-MM-DD (default: today)\n"
	"    --visibility VIS     private (default) or roundtable\n"
	"    --prompts            list the prompts of the built-in and added\n"
	"                         frameworks\n"
	"    --phase PHASE        only prompts for this phase (with --prompts)\n"
	"    --format FORMAT      text (default) or json (with --prompts)\n"
	"    -h, --help           show this help\n";

/* Bounds on what the command line may ask for (schema: 50 goals). */
#define MAX_GOALS 50
/* A text file larger than this is surely not a reflection. */
#define MAX_FILE (1024 * 1024)

static const char *const formats[] = { "text", "json", NULL };
static const char *const phases[] = {
	"purpose", "focus", "structures", "action", "outcomes", NULL,
};
static const char *const visibilities[] = { "private", "roundtable", NULL };

struct opts {
	const char *goals[MAX_GOALS];
	size_t ngoals;
	const char *prompt, *message, *file, *date, *visibility, *phase;
	int list, format;
};

static struct lps_error *read_input(struct lps_buf *b, const char *file)
{
	if (strcmp(file, "-"))
		return lps_buf_read_file(b, file, MAX_FILE);
	char chunk[8192];
	ssize_t n;
	while ((n = read(STDIN_FILENO, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return lps_error_new(LPS_ESYS, "reading standard "
					     "input: %s", strerror(errno));
		}
		if (b->len + (size_t)n > MAX_FILE)
			return lps_error_new(LPS_EINVALID, "standard input: "
					     "more than %d bytes", MAX_FILE);
		if (lps_buf_add(b, chunk, (size_t)n) < 0)
			return lps_error_nomem();
	}
	return NULL;
}

static struct lps_error *list_prompts(struct lps_buf *b,
				      const struct opts *o)
{
	struct lps_portfolio *p = NULL;
	struct lps_frameworks *fws = NULL;
	const struct lps_prompt **list = NULL;
	struct lps_doc *out = NULL;
	size_t n = 0;
	struct lps_error *err = lps_portfolio_open(&p, ".");
	/* outside a portfolio the built-in prompts are still worth seeing */
	if (err && err->code == LPS_ENOTFOUND) {
		lps_error_free(err);
		err = NULL;
	}
	if (!err)
		err = lps_reflection_frameworks(&fws, p);
	if (!err)
		err = lps_frameworks_prompts(&list, &n, fws, o->phase);
	if (!err && o->format)
		err = lps_doc_new(&out, "prompts");
	if (!err && o->format) {
		struct lps_node *root = lps_doc_new_map(out);
		struct lps_node *seq = lps_doc_new_seq(out);
		int bad = !root || !seq || lps_map_set(out, root, "prompts", seq);
		for (size_t i = 0; i < n && !bad; i++) {
			struct lps_node *m = lps_doc_new_map(out);
			char std[160];
			snprintf(std, sizeof(std), "%s.%s",
				 list[i]->standard->framework->name,
				 list[i]->standard->code);
			bad = !m || lps_seq_append(out, seq, m) < 0 ||
			      lps_map_set(out, m, "id",
					  lps_doc_new_string(out, list[i]->id)) ||
			      lps_map_set(out, m, "standard",
					  lps_doc_new_string(out, std)) ||
			      lps_map_set(out, m, "text",
					  lps_doc_new_string(out, list[i]->text));
			if (!bad && list[i]->phase)
				bad = lps_map_set(out, m, "phase",
						  lps_doc_new_string(
							  out, list[i]->phase));
		}
		err = bad ? lps_error_nomem() : lps_doc_emit_json(root, b);
	} else if (!err) {
		for (size_t i = 0; i < n && !err; i++)
			if (lps_buf_addf(b, "%s  %s\n", list[i]->id,
					 list[i]->text) < 0)
				err = lps_error_nomem();
	}
	lps_doc_free(out);
	free(list);
	lps_frameworks_free(fws);
	lps_portfolio_free(p);
	return err;
}

static struct lps_error *check_text(void *ctx, const char *text, size_t len)
{
	struct lps_buf b = LPS_BUF_INIT;
	struct lps_error *err = lps_reflection_body(&b, text, len, 1);
	lps_buf_free(&b);
	/* an empty text is judged after the editor, so the user is not
	 * asked to edit again */
	if (err && !strcmp(err->msg, "aborted: empty reflection")) {
		lps_error_free(err);
		err = NULL;
	}
	return err;
}

/* The body from -m, -F or the editor, into body. */
static struct lps_error *get_body(struct lps_buf *body, const struct opts *o,
				  const struct lps_prompt *prompt,
				  const char *phase, const char *const *goals,
				  const char *id)
{
	struct lps_buf raw = LPS_BUF_INIT;
	struct lps_error *err = NULL;
	int from_editor = 0;
	if (o->message) {
		if (lps_buf_adds(&raw, o->message) < 0)
			err = lps_error_nomem();
	} else if (o->file) {
		err = read_input(&raw, o->file);
	} else {
		struct lps_buf tmpl = LPS_BUF_INIT;
		char name[32];
		snprintf(name, sizeof(name), "%s.md", id);
		from_editor = 1;
		err = lps_reflection_template(&tmpl, prompt, phase, goals,
					      o->ngoals);
		if (!err)
			err = lps_editor_edit(&raw, tmpl.data, tmpl.len, name,
					      check_text, NULL);
		lps_buf_free(&tmpl);
	}
	if (!err)
		err = lps_reflection_body(body, raw.data ? raw.data : "",
					  raw.len, from_editor);
	lps_buf_free(&raw);
	return err;
}

static int reflect(const struct opts *o)
{
	struct lps_portfolio *p = NULL;
	struct lps_frameworks *fws = NULL;
	struct lps_doc *doc = NULL;
	struct lps_txn *txn = NULL;
	struct lps_buf body = LPS_BUF_INIT;
	char ids[MAX_GOALS][LPS_ID_LEN + 1];
	const char *goals[MAX_GOALS];
	size_t ngoals = 0;
	char id[LPS_ID_LEN + 1] = "", today[11], what[64], path[64];
	const struct lps_prompt *prompt = NULL;

	struct lps_error *err = lps_portfolio_open(&p, ".");
	for (size_t i = 0; !err && i < o->ngoals; i++) {
		err = lps_collection_find(p, 'g', o->goals[i], ids[ngoals]);
		int dup = 0;
		for (size_t j = 0; !err && j < ngoals; j++)
			dup |= !strcmp(ids[j], ids[ngoals]);
		if (!err && !dup) {
			goals[ngoals] = ids[ngoals];
			ngoals++;
		}
	}
	if (!err && o->prompt) {
		err = lps_reflection_frameworks(&fws, p);
		if (!err && !(prompt = lps_frameworks_prompt(fws, o->prompt)))
			err = lps_error_new(LPS_ENOTFOUND,
					    "unknown prompt \"%s\" (see lps "
					    "reflect --prompts)", o->prompt);
	}
	const char *phase = p ? lps_meta_get(p, "phase") : NULL;
	if (!err && !phase)
		err = lps_error_new(LPS_EINVALID, "lps.yaml: no phase");
	if (!err)
		err = lps_portfolio_new_id(id, 'r');
	struct opts with = *o;
	with.ngoals = ngoals;
	if (!err)
		err = get_body(&body, &with, prompt, phase, goals, id);
	lps_portfolio_today(today, NULL);
	struct lps_reflection_fields f = {
		.id = id, .date = o->date ? o->date : today,
		.cycle = p ? lps_meta_get(p, "cycle") : NULL, .phase = phase,
		.prompt = o->prompt, .goals = goals, .ngoals = ngoals,
		.body = body.data, .visibility = o->visibility,
	};
	if (!err)
		err = lps_reflection_new(&doc, &f);
	snprintf(path, sizeof(path), "reflections/%s.yaml", id);
	snprintf(what, sizeof(what), "add %s", id);
	if (!err)
		err = lps_txn_begin(&txn, p);
	if (!err)
		err = lps_txn_put(txn, path, lps_doc_root(doc));
	if (!err)
		err = lps_txn_commit(txn, "reflection", what, "reflect", NULL,
				     0, NULL);
	if (!err)
		printf("Added reflection %s\n", id);
	int rc = lps_cli_fail(err);
	lps_txn_free(txn);
	lps_doc_free(doc);
	lps_buf_free(&body);
	lps_frameworks_free(fws);
	lps_portfolio_free(p);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "goal", required_argument, NULL, 'g' },
		{ "prompt", required_argument, NULL, 'p' },
		{ "message", required_argument, NULL, 'm' },
		{ "file", required_argument, NULL, 'F' },
		{ "date", required_argument, NULL, 'd' },
		{ "visibility", required_argument, NULL, 'v' },
		{ "prompts", no_argument, NULL, 'P' },
		{ "phase", required_argument, NULL, 'H' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .ngoals = 0 };
	int c;

	lps_cli_begin(usage);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hm:F:", longopts, NULL)) != -1) {
		switch (c) {
		case 'g':
			if (o.ngoals == MAX_GOALS)
				return lps_cli_usage_error(
					"more than %d goals", MAX_GOALS);
			o.goals[o.ngoals++] = optarg;
			break;
		case 'p': o.prompt = optarg; break;
		case 'm': o.message = optarg; break;
		case 'F': o.file = optarg; break;
		case 'd': o.date = optarg; break;
		case 'v':
			if (lps_cli_choice("--visibility", optarg,
					   visibilities) < 0)
				return LPS_EXIT_USAGE;
			o.visibility = optarg;
			break;
		case 'P': o.list = 1; break;
		case 'H':
			if (lps_cli_choice("--phase", optarg, phases) < 0)
				return LPS_EXIT_USAGE;
			o.phase = optarg;
			break;
		case 'f':
			if ((o.format = lps_cli_choice("--format", optarg,
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
	if (o.list) {
		if (o.ngoals || o.prompt || o.message || o.file || o.date ||
		    o.visibility)
			return lps_cli_usage_error("--prompts takes only "
						   "--phase and --format");
		struct lps_buf b = LPS_BUF_INIT;
		struct lps_error *err = list_prompts(&b, &o);
		if (!err && (fwrite(b.data, 1, b.len, stdout) != b.len ||
			     fflush(stdout) != 0))
			err = lps_error_new(LPS_ESYS, "writing: %s",
					    strerror(errno));
		lps_buf_free(&b);
		return lps_cli_fail(err);
	}
	if (o.phase || o.format)
		return lps_cli_usage_error("--phase and --format go with "
					   "--prompts");
	if (o.message && o.file)
		return lps_cli_usage_error("-m and -F do not go together");
	if (o.date && !lps_meta_date_valid(o.date))
		return lps_cli_usage_error("--date: expected YYYY-MM-DD, got "
					   "'%s'", o.date);
	return reflect(&o);
}
