/*
 * lps-evidence - evidence for goals: files attached to the portfolio
 * (evidence/<id>/<name>) or evidence without a file, listed, shown and
 * removed (lib/evidence.h).  Each change is one commit.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "cli.h"
#include "collection.h"
#include "doc.h"
#include "evidence.h"
#include "format.h"
#include "portfolio.h"
#include "store.h"
#include "textclean.h"
#include "txn.h"
#include "visibility.h"

static const char usage[] =
	"usage: lps evidence attach FILE... --goal ID [--kind KIND] [--title TITLE]\n"
	"                           [--date DATE] [--source SOURCE] [--note TEXT]\n"
	"   or: lps evidence add --title TITLE --goal ID --kind KIND [--note TEXT]\n"
	"                        [--date DATE] [--source SOURCE]\n"
	"   or: lps evidence list [--goal ID] [--kind KIND] [--format text|json|ids]\n"
	"   or: lps evidence show ID [--format text|json]\n"
	"   or: lps evidence remove ID\n"
	"   or: lps evidence set ID visibility=shared|private\n"
	"\n"
	"Record evidence for a goal: attach files (each becomes one evidence\n"
	"document, its file stored at evidence/<id>/<name>) or add evidence\n"
	"without a file; list, show and remove it.  Each change is one commit.\n"
	"\n"
	"    --goal ID           the goal the evidence supports (any unique\n"
	"                        prefix); with list, only that goal's evidence\n"
	"    --kind KIND         achievement, perceptual, process, demographic,\n"
	"                        financial, artifact or observation (attach:\n"
	"                        default artifact); with list, only that kind\n"
	"    --title TITLE       a short title (attach: default the file name)\n"
	"    --date DATE         YYYY-MM-DD (default: today)\n"
	"    --source SOURCE     where the evidence comes from\n"
	"    --note TEXT         a summary of what it shows\n"
	"    --format FORMAT     text (default), json, or ids (list: one\n"
	"                        \"<id><TAB><title>\" line each)\n"
	"    -h, --help          show this help\n"
	"\n"
	"Files over lps.maxAttachmentSize (git config; default 25m) and\n"
	"anything but a regular file (directories, devices, FIFOs, symlinks)\n"
	"are refused.  A file whose content is already attached is not stored\n"
	"again: that evidence is linked to the goal instead.  A file named\n"
	"twice (or two with equal content) is attached once, with a warning.\n";

enum {
	O_GOAL = 1 << 0, O_KIND = 1 << 1, O_TITLE = 1 << 2, O_DATE = 1 << 3,
	O_SOURCE = 1 << 4, O_NOTE = 1 << 5, O_FORMAT = 1 << 6,
};

struct opts {
	const char *goal, *kind, *title, *date, *source, *note;
	int format;             /* 0 text, 1 json, 2 ids */
	char **args;
	int nargs;
};

static const char *const formats[] = { "text", "json", "ids", NULL };

/* Parse argv (argv[0] is the subcommand) allowing the options in mask;
 * returns -1 when parsed, else the exit status to return. */
static int parse(int argc, char **argv, unsigned mask, int nformats,
		 struct opts *o)
{
	static const struct option longopts[] = {
		{ "goal", required_argument, NULL, 'g' },
		{ "kind", required_argument, NULL, 'k' },
		{ "title", required_argument, NULL, 't' },
		{ "date", required_argument, NULL, 'd' },
		{ "source", required_argument, NULL, 's' },
		{ "note", required_argument, NULL, 'n' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const fmt2[] = { "text", "json", NULL };
	static const struct { int c; unsigned bit; } bits[] = {
		{ 'g', O_GOAL }, { 'k', O_KIND }, { 't', O_TITLE },
		{ 'd', O_DATE }, { 's', O_SOURCE }, { 'n', O_NOTE },
		{ 'f', O_FORMAT },
	};
	int c;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
			if (bits[i].c == c && !(mask & bits[i].bit))
				return lps_cli_usage_error(
					"%s does not take %s", argv[0],
					argv[optind - 1]);
		switch (c) {
		case 'g': o->goal = optarg; break;
		case 'k':
			if (lps_cli_choice("--kind", optarg,
					   lps_evidence_kinds) < 0)
				return LPS_EXIT_USAGE;
			o->kind = optarg;
			break;
		case 't':
			if (lps_textclean_blank(optarg, strlen(optarg)))
				return lps_cli_usage_error(
					"--title must not be empty");
			o->title = optarg;
			break;
		case 'd':
			if (!lps_format_check(LPS_FORMAT_DATE, optarg,
					      strlen(optarg)))
				return lps_cli_usage_error(
					"--date: expected a date YYYY-MM-DD, "
					"got '%s'", optarg);
			o->date = optarg;
			break;
		case 's':
			if (lps_textclean_blank(optarg, strlen(optarg)))
				return lps_cli_usage_error(
					"--source must not be empty");
			o->source = optarg;
			break;
		case 'n':
			if (lps_textclean_blank(optarg, strlen(optarg)))
				return lps_cli_usage_error(
					"--note must not be empty");
			o->note = optarg;
			break;
		case 'f':
			if ((o->format = lps_cli_choice(
				     "--format", optarg,
				     nformats == 3 ? formats : fmt2)) < 0)
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
	o->args = argv + optind;
	o->nargs = argc - optind;
	return -1;
}

static int print_buf(struct lps_buf *b)
{
	if (b->len && (fwrite(b->data, 1, b->len, stdout) != b->len ||
		       fflush(stdout) != 0))
		return lps_cli_fail(lps_error_new(LPS_ESYS, "writing: %s",
						  strerror(errno)));
	return 0;
}

/* A fresh evidence id that no document has yet. */
static struct lps_error *fresh_id(struct lps_portfolio *p, char *id,
				  char (*taken)[LPS_ID_LEN + 1], size_t ntaken)
{
	for (int tries = 0; tries < 16; tries++) {
		struct lps_error *err = lps_portfolio_new_id(id, 'e');
		if (err)
			return err;
		int dup = 0;
		for (size_t i = 0; i < ntaken && !dup; i++)
			dup = strcmp(taken[i], id) == 0;
		if (dup)
			continue;
		char found[LPS_ID_LEN + 1] = "";
		err = lps_collection_find(p, 'e', id, found);
		if (err && err->code == LPS_ENOTFOUND) {
			lps_error_free(err);
			return NULL;
		}
		if (err)
			return err;
	}
	return lps_error_new(LPS_ESYS, "cannot find an unused evidence id");
}

/* ---- attach ---- */

struct item {
	const char *path;            /* as typed */
	struct lps_buf data;
	char name[LPS_EVIDENCE_NAME_MAX + 1];
	char title[4 * LPS_EVIDENCE_TITLE_MAX + 1];
	const char *media_type;
	char blob[LPS_EVIDENCE_BLOB_HEX];
	char id[LPS_ID_LEN + 1];     /* the evidence that holds it */
	int reused;                  /* 1: an existing document; 2: an
					earlier FILE of this command */
	dev_t dev;                   /* the file read, to tell a FILE */
	ino_t ino;                   /* named twice from equal content */
	struct lps_doc *doc;         /* a document this item puts, or NULL */
	int changed;                 /* doc gained the goal */
};

/* Read and describe every file before anything is written. */
static struct lps_error *read_items(struct item *it, int n, const char *title,
				    uint64_t max)
{
	struct lps_error *err;
	for (int i = 0; i < n; i++) {
		if ((err = lps_evidence_read_file(&it[i].data, it[i].path, max)))
			return err;
		struct stat st;
		if (lstat(it[i].path, &st) == 0) {
			it[i].dev = st.st_dev;
			it[i].ino = st.st_ino;
		}
		lps_evidence_sanitize_name(it[i].name, sizeof(it[i].name),
					   it[i].path);
		if (title)
			snprintf(it[i].title, sizeof(it[i].title), "%s", title);
		else
			lps_evidence_title_from_path(it[i].title,
						     sizeof(it[i].title),
						     it[i].path);
		it[i].media_type = lps_evidence_media_type(
			it[i].name, it[i].data.data ? it[i].data.data : "",
			it[i].data.len);
		if ((err = lps_evidence_blob_id(it[i].blob,
						it[i].data.data ? it[i].data.data
								: "",
						it[i].data.len)))
			return err;
	}
	return NULL;
}

/* Link item i to existing evidence (loaded once per id) and the goal. */
static struct lps_error *reuse_existing(struct lps_portfolio *p,
					struct item *it, int i,
					const char *goal)
{
	struct item *owner = NULL;
	for (int k = 0; k < i && !owner; k++)
		if (it[k].doc && strcmp(it[k].id, it[i].id) == 0)
			owner = &it[k];
	if (!owner) {
		char path[64];
		lps_collection_path(path, sizeof(path), it[i].id);
		struct lps_error *err = lps_collection_load(p, path,
							    &it[i].doc);
		if (err)
			return err;
		owner = &it[i];
	}
	struct lps_node *root = lps_doc_root(owner->doc);
	int r = lps_evidence_add_goal(owner->doc, root, goal);
	if (r < 0)
		return lps_error_nomem();
	if (r > 0)
		owner->changed = 1;
	const char *t = lps_node_str(lps_map_get(root, "title"));
	snprintf(it[i].title, sizeof(it[i].title), "%s", t ? t : "");
	const char *nm = lps_node_str(
		lps_map_get(lps_map_get(root, "attachment"), "name"));
	/* From here on the item stands for that attachment. */
	snprintf(it[i].name, sizeof(it[i].name), "%s", nm ? nm : "?");
	lps_cli_warning("%s has the same content as %s (%s); reusing it",
			it[i].path, it[i].id, it[i].name);
	return NULL;
}

/*
 * The first earlier FILE of this command with the same content as item
 * i, or NULL.  A FILE named twice (or two names with equal content) is
 * attached once, as git add takes a path named twice: a warning says
 * so, and nothing is reported or counted twice.
 */
static const struct item *earlier_same(const struct item *it, int i)
{
	for (int k = 0; k < i; k++)
		if (it[k].reused != 2 && !strcmp(it[k].blob, it[i].blob))
			return &it[k];
	return NULL;
}

static struct lps_error *attach_run(struct lps_portfolio *p,
				    const struct opts *o, struct item *it,
				    int n, const char *goal, const char *date)
{
	struct lps_error *err;
	struct lps_txn *txn = NULL;
	const char **blobs = NULL;
	char (*found)[LPS_ID_LEN + 1] = NULL;
	char (*taken)[LPS_ID_LEN + 1] = NULL;
	size_t ntaken = 0;
	int changes = 0;
	uint64_t max;

	if (n <= 0)
		return lps_error_new(LPS_EUSAGE, "no file to attach");
	if ((err = lps_evidence_max_size(
		     &max, lps_store_repo(lps_portfolio_store(p)))))
		return err;
	if ((err = read_items(it, n, o->title, max)))
		return err;
	blobs = calloc((size_t)n, sizeof(*blobs));
	found = calloc((size_t)n, sizeof(*found));
	taken = calloc((size_t)n, sizeof(*taken));
	if (!blobs || !found || !taken) {
		err = lps_error_nomem();
		goto out;
	}
	for (int i = 0; i < n; i++)
		blobs[i] = it[i].blob;
	if ((err = lps_evidence_find_blobs(p, blobs, (size_t)n, found)) ||
	    (err = lps_txn_begin(&txn, p)))
		goto out;
	for (int i = 0; i < n && !err; i++) {
		struct item *x = &it[i];
		const struct item *same = earlier_same(it, i);
		if (same) {
			memcpy(x->id, same->id, sizeof(x->id));
			memcpy(x->title, same->title, sizeof(x->title));
			x->reused = 2;
			if (same->dev == x->dev && same->ino == x->ino)
				lps_cli_warning("%s is named more than once; "
						"attaching it once", x->path);
			else
				lps_cli_warning("%s has the same content as "
						"%s (%s); reusing it", x->path,
						same->id, same->name);
			continue;
		}
		if (found[i][0]) {
			memcpy(x->id, found[i], sizeof(x->id));
			x->reused = 1;
			err = reuse_existing(p, it, i, goal);
			continue;
		}
		if ((err = fresh_id(p, x->id, taken, ntaken)))
			break;
		memcpy(taken[ntaken++], x->id, sizeof(x->id));
		struct lps_evidence_fields f = {
			.id = x->id, .title = x->title,
			.kind = o->kind ? o->kind : "artifact", .date = date,
			.source = o->source, .summary = o->note, .goal = goal,
			.attachment = { x->name, x->data.len, x->media_type,
					x->blob },
		};
		char path[LPS_EVIDENCE_NAME_MAX + 64];
		if ((err = lps_evidence_new(&x->doc, &f)))
			break;
		x->changed = 1;
		snprintf(path, sizeof(path), "evidence/%s/%s", x->id, x->name);
		err = lps_txn_put_raw(txn, path, x->data.data ? x->data.data
							       : "",
				      x->data.len);
	}
	const struct item *one = NULL;
	for (int i = 0; i < n && !err; i++) {
		if (!it[i].doc || !it[i].changed)
			continue;
		char path[64];
		lps_collection_path(path, sizeof(path), it[i].id);
		err = lps_txn_put(txn, path, lps_doc_root(it[i].doc));
		one = &it[i];
		changes++;
	}
	if (err || !changes)
		goto out;
	/* Count the evidence written, not the names typed. */
	struct lps_buf what = LPS_BUF_INIT;
	int bad = changes == 1
		? lps_buf_addf(&what, "attach %s \"%s\"", one->id, one->title)
		: lps_buf_addf(&what, "attach %d files to %s", changes, goal);
	if (bad < 0) {
		err = lps_error_nomem();
		goto out;
	}
	/* The area is "evidence"; what follows the colon is built above. */
	err = lps_txn_commit(txn, "evidence", what.data, "evidence attach",
			     NULL, 0, NULL);
	lps_buf_free(&what);
out:
	lps_txn_free(txn);
	free(blobs);
	free(found);
	free(taken);
	return err;
}

static int cmd_attach(int argc, char **argv)
{
	struct opts o;
	int rc = parse(argc, argv, O_GOAL | O_KIND | O_TITLE | O_DATE |
				   O_SOURCE | O_NOTE, 2, &o);
	if (rc >= 0)
		return rc;
	if (!o.nargs)
		return lps_cli_usage_error("attach needs at least one FILE");
	if (!o.goal)
		return lps_cli_usage_error("--goal is required");

	char today[11], goal[LPS_ID_LEN + 1] = "";
	struct lps_portfolio *p = NULL;
	struct item *it = calloc((size_t)o.nargs, sizeof(*it));
	struct lps_error *err = NULL;

	if (!it)
		return lps_cli_fail(lps_error_nomem());
	for (int i = 0; i < o.nargs; i++)
		it[i].path = o.args[i];
	lps_portfolio_today(today, NULL);
	err = lps_portfolio_open(&p, ".");
	if (!err)
		err = lps_collection_find(p, 'g', o.goal, goal);
	if (!err)
		err = attach_run(p, &o, it, o.nargs, goal,
				 o.date ? o.date : today);
	for (int i = 0; i < o.nargs && !err; i++) {
		const struct item *x = &it[i];
		if (x->reused)
			continue;
		printf("Attached evidence %s \"%s\" (evidence/%s/%s, %zu "
		       "bytes, %s)\n", x->id, x->title, x->id, x->name,
		       x->data.len, x->media_type);
	}
	for (int i = 0; i < o.nargs && !err; i++) {
		const struct item *x = &it[i];
		if (x->reused != 1)
			continue;
		/* The document that gained the goal is the first item
		 * holding that id's loaded doc. */
		int linked = 0;
		for (int k = 0; k < o.nargs; k++)
			if (it[k].doc && it[k].changed &&
			    !strcmp(it[k].id, x->id))
				linked = 1;
		printf(linked ? "Linked evidence %s \"%s\" to goal %s\n"
			      : "Evidence %s \"%s\" already supports goal %s\n",
		       x->id, x->title, goal);
	}
	if (!err && fflush(stdout) != 0)
		err = lps_error_new(LPS_ESYS, "writing: %s", strerror(errno));
	for (int i = 0; i < o.nargs; i++) {
		lps_buf_free(&it[i].data);
		lps_doc_free(it[i].doc);
	}
	free(it);
	lps_portfolio_free(p);
	return lps_cli_fail(err);
}

/* ---- add ---- */

static int cmd_add(int argc, char **argv)
{
	struct opts o;
	int rc = parse(argc, argv, O_GOAL | O_KIND | O_TITLE | O_DATE |
				   O_SOURCE | O_NOTE, 2, &o);
	if (rc >= 0)
		return rc;
	if (o.nargs)
		return lps_cli_usage_error("unexpected argument '%s'",
					   o.args[0]);
	if (!o.title)
		return lps_cli_usage_error("--title is required");
	if (!o.goal)
		return lps_cli_usage_error("--goal is required");
	if (!o.kind)
		return lps_cli_usage_error("--kind is required");

	char today[11], goal[LPS_ID_LEN + 1] = "", id[LPS_ID_LEN + 1] = "";
	char path[64];
	struct lps_portfolio *p = NULL;
	struct lps_txn *txn = NULL;
	struct lps_doc *doc = NULL;
	struct lps_buf what = LPS_BUF_INIT;
	struct lps_error *err;

	lps_portfolio_today(today, NULL);
	err = lps_portfolio_open(&p, ".");
	if (!err)
		err = lps_collection_find(p, 'g', o.goal, goal);
	if (!err)
		err = fresh_id(p, id, NULL, 0);
	if (!err) {
		struct lps_evidence_fields f = {
			.id = id, .title = o.title, .kind = o.kind,
			.date = o.date ? o.date : today, .source = o.source,
			.summary = o.note, .goal = goal,
		};
		err = lps_evidence_new(&doc, &f);
	}
	if (!err)
		err = lps_txn_begin(&txn, p);
	if (!err) {
		lps_collection_path(path, sizeof(path), id);
		err = lps_txn_put(txn, path, lps_doc_root(doc));
	}
	if (!err && lps_buf_addf(&what, "add %s \"%s\"", id, o.title) < 0)
		err = lps_error_nomem();
	if (!err)
		err = lps_txn_commit(txn, "evidence", what.data, "evidence add",
				     NULL, 0, NULL);
	if (!err)
		printf("Added evidence %s \"%s\"\n", id, o.title);
	lps_buf_free(&what);
	lps_txn_free(txn);
	lps_doc_free(doc);
	lps_portfolio_free(p);
	return lps_cli_fail(err);
}

/* ---- list ---- */

struct list_ctx {
	const char *goal, *kind;
	int format;
	struct lps_buf *out;
	struct lps_doc *json;     /* format json: the output tree */
	struct lps_node *seq;
	int nomem;
};

static int has_goal(const struct lps_node *root, const char *goal)
{
	const struct lps_node *g = lps_map_get(root, "goals");
	if (!g || g->type != LPS_NODE_SEQ)
		return 0;
	for (size_t i = 0; i < g->v.seq.n; i++) {
		const char *s = lps_node_str(g->v.seq.items[i]);
		if (s && !strcmp(s, goal))
			return 1;
	}
	return 0;
}

static int list_each(void *ctx, const char *path, const struct lps_doc *doc,
		     const struct lps_error *problem)
{
	struct list_ctx *lc = ctx;
	if (!doc) {
		char *msg = lps_error_format(problem);
		lps_cli_warning("skipping %s", msg ? msg : path);
		free(msg);
		return 0;
	}
	const struct lps_node *root = lps_doc_root(doc);
	const char *id = lps_node_str(lps_map_get(root, "id"));
	const char *title = lps_node_str(lps_map_get(root, "title"));
	const char *kind = lps_node_str(lps_map_get(root, "kind"));
	const char *date = lps_node_str(lps_map_get(root, "date"));
	const char *att = lps_node_str(
		lps_map_get(lps_map_get(root, "attachment"), "name"));

	if (lc->goal && !has_goal(root, lc->goal))
		return 0;
	if (lc->kind && (!kind || strcmp(kind, lc->kind)))
		return 0;
	int bad = 0;
	if (lc->format == 1) {
		struct lps_node *copy = lps_doc_copy(lc->json, root);
		bad = !copy || lps_seq_append(lc->json, lc->seq, copy) < 0;
	} else if (lc->format == 2) {
		bad = lps_buf_addf(lc->out, "%s\t%s\n", id, title) < 0;
	} else {
		bad = lps_buf_addf(lc->out, "%s  %s  %-11s  %s", id, date, kind,
				   title) < 0 ||
		      (att && lps_buf_addf(lc->out, "  [%s]", att) < 0) ||
		      lps_buf_addc(lc->out, '\n') < 0;
	}
	if (bad) {
		lc->nomem = 1;
		return 1;
	}
	return 0;
}

static int cmd_list(int argc, char **argv)
{
	struct opts o;
	int rc = parse(argc, argv, O_GOAL | O_KIND | O_FORMAT, 3, &o);
	if (rc >= 0)
		return rc;
	if (o.nargs)
		return lps_cli_usage_error("unexpected argument '%s'",
					   o.args[0]);

	char goal[LPS_ID_LEN + 1] = "";
	struct lps_portfolio *p = NULL;
	struct lps_buf out = LPS_BUF_INIT;
	struct list_ctx lc = { .kind = o.kind, .format = o.format,
			       .out = &out };
	struct lps_node *root = NULL;
	struct lps_error *err = lps_portfolio_open(&p, ".");

	if (!err && o.goal && !(err = lps_collection_find(p, 'g', o.goal,
							 goal)))
		lc.goal = goal;
	if (!err && o.format == 1) {
		err = lps_doc_new(&lc.json, "evidence list");
		if (!err && (!(root = lps_doc_new_map(lc.json)) ||
			     !(lc.seq = lps_doc_new_seq(lc.json)) ||
			     lps_map_set(lc.json, root, "evidence", lc.seq) < 0))
			err = lps_error_nomem();
	}
	if (!err)
		err = lps_collection_each(p, lps_collection_dir('e'), list_each,
					  &lc);
	if (!err && lc.nomem)
		err = lps_error_nomem();
	if (!err && o.format == 1)
		err = lps_doc_emit_json(root, &out);
	rc = err ? lps_cli_fail(err) : print_buf(&out);
	lps_doc_free(lc.json);
	lps_buf_free(&out);
	lps_portfolio_free(p);
	return rc;
}

/* ---- show ---- */

static int show_text(struct lps_buf *b, struct lps_portfolio *p,
		     const struct lps_node *root)
{
	static const char *const simple[] = { "kind", "date", "source",
					      "visibility" };
	int bad = lps_buf_addf(b, "%s  %s\n",
			       lps_node_str(lps_map_get(root, "id")),
			       lps_node_str(lps_map_get(root, "title"))) < 0;
	for (size_t i = 0; i < 4 && !bad; i++) {
		const char *v = lps_node_str(lps_map_get(root, simple[i]));
		if (v)
			bad = lps_buf_addf(b, "%-11s %s\n", simple[i], v) < 0;
	}
	const struct lps_node *g = lps_map_get(root, "goals");
	for (size_t i = 0; g && g->type == LPS_NODE_SEQ && i < g->v.seq.n &&
			   !bad; i++) {
		const char *gid = lps_node_str(g->v.seq.items[i]);
		char path[64];
		struct lps_doc *gd = NULL;
		if (!gid)
			continue;
		lps_collection_path(path, sizeof(path), gid);
		struct lps_error *err = lps_collection_load(p, path, &gd);
		const char *t = gd ? lps_node_str(lps_map_get(lps_doc_root(gd),
							      "title"))
				   : NULL;
		bad = lps_buf_addf(b, "goal        %s%s%s\n", gid, t ? "  " : "",
				   t ? t : "") < 0;
		lps_error_free(err);
		lps_doc_free(gd);
	}
	const struct lps_node *s = lps_map_get(root, "standards");
	for (size_t i = 0; s && s->type == LPS_NODE_SEQ && i < s->v.seq.n &&
			   !bad; i++)
		bad = lps_buf_addf(b, "standard    %s\n",
				   lps_node_str(s->v.seq.items[i])) < 0;
	const struct lps_node *a = lps_map_get(root, "attachment");
	const struct lps_node *size = lps_map_get(a, "size");
	char path[LPS_EVIDENCE_NAME_MAX + 64];
	if (a && !bad && lps_evidence_attachment_path(path, sizeof(path),
						      root) == 0)
		bad = lps_buf_addf(b, "file        %s (%lld bytes, %s)\n"
				   "blob        %s\n", path,
				   size && size->type == LPS_NODE_INT
					   ? (long long)size->v.integer : -1LL,
				   lps_node_str(lps_map_get(a, "media_type")),
				   lps_node_str(lps_map_get(a, "blob"))) < 0;
	const char *sum = lps_node_str(lps_map_get(root, "summary"));
	if (sum && !bad) {
		size_t n = strlen(sum);
		bad = lps_buf_addf(b, "\n%s%s", sum,
				   n && sum[n - 1] == '\n' ? "" : "\n") < 0;
	}
	return bad ? -1 : 0;
}

static int cmd_show(int argc, char **argv)
{
	struct opts o;
	int rc = parse(argc, argv, O_FORMAT, 2, &o);
	if (rc >= 0)
		return rc;
	if (o.nargs != 1)
		return o.nargs ? lps_cli_usage_error("unexpected argument '%s'",
						     o.args[1])
			       : lps_cli_usage_error("show needs an evidence ID");

	char id[LPS_ID_LEN + 1] = "", path[64];
	struct lps_portfolio *p = NULL;
	struct lps_doc *doc = NULL;
	struct lps_buf out = LPS_BUF_INIT;
	struct lps_error *err = lps_portfolio_open(&p, ".");

	if (!err)
		err = lps_collection_find(p, 'e', o.args[0], id);
	if (!err) {
		lps_collection_path(path, sizeof(path), id);
		err = lps_collection_load(p, path, &doc);
	}
	if (!err) {
		if (o.format == 1)
			err = lps_doc_emit_json(lps_doc_root(doc), &out);
		else if (show_text(&out, p, lps_doc_root(doc)) < 0)
			err = lps_error_nomem();
	}
	rc = err ? lps_cli_fail(err) : print_buf(&out);
	lps_buf_free(&out);
	lps_doc_free(doc);
	lps_portfolio_free(p);
	return rc;
}

/* ---- remove ---- */

struct rm_ctx {
	struct lps_txn *txn;
	struct lps_error *err;
};

static int rm_each(void *ctx, const char *path, const char *data, size_t len)
{
	struct rm_ctx *rc = ctx;
	rc->err = lps_txn_remove(rc->txn, path);
	return rc->err != NULL;
}

static int cmd_remove(int argc, char **argv)
{
	struct opts o;
	int rc = parse(argc, argv, 0, 2, &o);
	if (rc >= 0)
		return rc;
	if (o.nargs != 1)
		return o.nargs ? lps_cli_usage_error("unexpected argument '%s'",
						     o.args[1])
			       : lps_cli_usage_error("remove needs an evidence "
						     "ID");

	char id[LPS_ID_LEN + 1] = "", path[64], dir[64];
	struct lps_portfolio *p = NULL;
	struct lps_doc *doc = NULL;
	struct lps_txn *txn = NULL;
	struct lps_buf what = LPS_BUF_INIT;
	const char *title = NULL;
	struct lps_error *err = lps_portfolio_open(&p, ".");

	if (!err)
		err = lps_collection_find(p, 'e', o.args[0], id);
	if (!err) {
		lps_collection_path(path, sizeof(path), id);
		err = lps_collection_load(p, path, &doc);
	}
	/* Removing it would leave references that lps check reports. */
	if (!err && !(err = lps_evidence_referrers(p, id, &what)) && what.len)
		err = lps_error_new(LPS_EINVALID, "%s is still referred to by "
				    "%s; remove those references first", id,
				    what.data);
	lps_buf_reset(&what);
	if (!err)
		err = lps_txn_begin(&txn, p);
	if (!err)
		err = lps_txn_remove(txn, path);
	if (!err) {
		/* The whole folder: the attachment and anything else in it. */
		struct rm_ctx rc = { txn, NULL };
		snprintf(dir, sizeof(dir), "evidence/%s", id);
		err = lps_store_foreach(lps_portfolio_store(p),
					lps_portfolio_head(p), dir, rm_each,
					&rc);
		if (rc.err) {
			lps_error_free(err);
			err = rc.err;
		}
	}
	if (!err) {
		title = lps_node_str(lps_map_get(lps_doc_root(doc), "title"));
		if (lps_buf_addf(&what, "remove %s", id) < 0)
			err = lps_error_nomem();
	}
	if (!err)
		err = lps_txn_commit(txn, "evidence", what.data,
				     "evidence remove", NULL, 0, NULL);
	if (!err)
		printf("Removed evidence %s \"%s\"\n", id, title ? title : "");
	lps_buf_free(&what);
	lps_txn_free(txn);
	lps_doc_free(doc);
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
		return lps_cli_usage_error("evidence set needs ID "
					   "visibility=VALUE");
	struct lps_portfolio *p = NULL;
	char id[LPS_ID_LEN + 1] = "";
	int changed = 0;
	struct lps_error *err = lps_portfolio_open(&p, ".");
	if (!err)
		err = lps_visibility_set(p, 'e', argv[1], argv[2],
					 "evidence", "evidence set", id,
					 &changed);
	if (!err && changed)
		printf("Updated evidence %s: %s\n", id, argv[2]);
	else if (!err)
		printf("nothing changed\n");
	lps_portfolio_free(p);
	return lps_cli_fail(err);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} subs[] = {
		{ "attach", cmd_attach }, { "add", cmd_add },
		{ "list", cmd_list }, { "show", cmd_show },
		{ "remove", cmd_remove }, { "set", cmd_set },
	};

	lps_cli_begin(usage);
	if (argc < 2)
		return lps_cli_usage_error("a subcommand is needed");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return lps_cli_help();
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].fn(argc - 1, argv + 1);
	return lps_cli_usage_error("unknown subcommand '%s'", argv[1]);
}
