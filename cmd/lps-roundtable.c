/*
 * lps-roundtable - the roundtable of peers: join and leave it, list its
 * members and read their published portfolios from the fetched refs
 * (lib/remote.h).
 *
 * Subcommands are rows of the table `subs` at the end of this file; a
 * new one adds a function `int cmd_x(int argc, char **argv)` (argv[0] is
 * the subcommand's name) and one row, plus its lines in `usage`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "buf.h"
#include "cli.h"
#include "doc.h"
#include "portfolio.h"
#include "remote.h"
#include "store.h"
#include "editor.h"
#include "guard.h"
#include "meeting.h"
#include "meta.h"
#include "transport.h"
#include "utf8.h"

#ifndef LPS_LIBEXECDIR
#define LPS_LIBEXECDIR "/usr/local/libexec/lps"
#endif

static const char usage[] =
	"usage: lps roundtable join URL --as HANDLE\n"
	"   or: lps roundtable leave\n"
	"   or: lps roundtable members [--format text|json]\n"
	"   or: lps roundtable show HANDLE [goal|evidence|reflection ID]\n"
	"                          [--format text|json]\n"
	"   or: lps roundtable meeting add [--date DATE] [--attendees H,H...]\n"
	"                          [--agenda TEXT] [--notes TEXT | --edit]\n"
	"   or: lps roundtable meeting list [--format text|json]\n"
	"   or: lps roundtable meeting show ID [--format text|json]\n"
	"   or: lps roundtable norms show [--format text|json]\n"
	"   or: lps roundtable norms edit\n"
	"   or: lps roundtable install-guard PATH\n"
	"\n"
	"Share portfolios with a roundtable of peers through a git\n"
	"repository: join it under a handle, see who is in it (as of the last\n"
	"lps pull) and read a member's published portfolio.\n"
	"\n"
	"    --as HANDLE        your handle: 1-39 lowercase letters, digits\n"
	"                       and dashes\n"
	"    --format FORMAT    text (default) or json\n"
	"    -h, --help         show this help\n";

static const char *const formats[] = { "text", "json", NULL };

/* Options shared by the subcommands: --as, --format, -h; the rest are
 * positional.  Returns -1 to go on, else the exit status. */
struct args {
	const char *as, *format;
	const char *pos[8];
	size_t npos;
};

static int parse(struct args *a, int argc, char **argv, int want_as,
		 int want_format)
{
	memset(a, 0, sizeof(*a));
	a->format = "text";
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		if (!strcmp(s, "-h") || !strcmp(s, "--help"))
			return lps_cli_help();
		int is_as = !strcmp(s, "--as"), is_fmt = !strcmp(s, "--format");
		if ((is_as && want_as) || (is_fmt && want_format)) {
			if (i + 1 >= argc)
				return lps_cli_usage_error("%s needs a value",
							   s);
			*(is_as ? &a->as : &a->format) = argv[++i];
		} else if (!strncmp(s, "--as=", 5) && want_as) {
			a->as = s + 5;
		} else if (!strncmp(s, "--format=", 9) && want_format) {
			a->format = s + 9;
		} else if (s[0] == '-' && s[1]) {
			return lps_cli_usage_error("unknown option '%s'", s);
		} else if (a->npos < sizeof(a->pos) / sizeof(a->pos[0])) {
			a->pos[a->npos++] = s;
		} else {
			return lps_cli_usage_error("too many arguments");
		}
	}
	if (want_format && lps_cli_choice("--format", a->format, formats) < 0)
		return LPS_EXIT_USAGE;
	return -1;
}

/* ---- join / leave ---- */

static int cmd_join(int argc, char **argv)
{
	struct args a;
	int rc = parse(&a, argc, argv, 1, 0);
	if (rc >= 0)
		return rc;
	if (a.npos != 1 || !a.as)
		return lps_cli_usage_error("join needs URL and --as HANDLE");
	struct lps_portfolio *p = NULL;
	int committed = 0;
	struct lps_error *err = lps_portfolio_open(&p, ".");
	if (!err)
		err = lps_remote_join(p, a.pos[0], a.as, &committed);
	if (!err)
		printf("Joined the roundtable at %s as %s\n", a.pos[0], a.as);
	lps_portfolio_free(p);
	return lps_cli_fail(err);
}

static int cmd_leave(int argc, char **argv)
{
	struct args a;
	int rc = parse(&a, argc, argv, 0, 0);
	if (rc >= 0)
		return rc;
	if (a.npos)
		return lps_cli_usage_error("leave takes no arguments");
	struct lps_store *store = NULL;
	char handle[LPS_HANDLE_MAX + 1];
	char *url = NULL;
	struct lps_error *err = lps_store_open(&store, ".");
	if (!err && !(err = lps_remote_handle(handle, store)) &&
	    !(err = lps_remote_url(&url, store)) &&
	    !(err = lps_remote_leave(store)))
		printf("Left the roundtable at %s (handle %s)\n", url, handle);
	free(url);
	lps_store_free(store);
	return lps_cli_fail(err);
}

/* ---- members ---- */

struct members_ctx {
	struct lps_store *store;
	struct lps_buf *out;
	struct lps_doc *json;      /* NULL for text */
	struct lps_node *list;
	struct lps_error *err;
};

static int set_str(struct lps_doc *d, struct lps_node *m, const char *k,
		   const char *v)
{
	if (!v)
		return 0;
	struct lps_node *n = lps_doc_new_string(d, v);
	return n ? lps_map_set(d, m, k, n) : -1;
}

static int member_json(struct lps_doc *d, struct lps_node *list,
		       const struct lps_remote_member *m)
{
	struct lps_node *o = lps_doc_new_map(d);
	struct lps_node *g = lps_doc_new_int(d, (int64_t)m->goals);
	return !o || !g || set_str(d, o, "handle", m->handle) ||
	       set_str(d, o, "name", m->name) ||
	       set_str(d, o, "role", m->role) ||
	       set_str(d, o, "school", m->school) ||
	       set_str(d, o, "cycle", m->cycle) ||
	       set_str(d, o, "phase", m->phase) ||
	       lps_map_set(d, o, "goals", g) ||
	       set_str(d, o, "last_activity", m->last_activity) ||
	       (list ? lps_seq_append(d, list, o) :
		       lps_map_set(d, lps_doc_root(d), "member", o)) ? -1 : 0;
}

static int member_text(struct lps_buf *b, const struct lps_remote_member *m)
{
	return lps_buf_addf(b, "%s: %s (%s%s%s), cycle %s, phase %s, "
			    "%zu goal%s, last activity %s\n", m->handle,
			    m->name ? m->name : "?", m->role ? m->role : "?",
			    m->school ? ", " : "", m->school ? m->school : "",
			    m->cycle ? m->cycle : "?",
			    m->phase ? m->phase : "?", m->goals,
			    m->goals == 1 ? "" : "s", m->last_activity);
}

static int each_member(void *vctx, const char *handle, const git_oid *tip)
{
	struct members_ctx *c = vctx;
	struct lps_remote_member m;
	(void)tip;
	c->err = lps_remote_member_read(&m, c->store, handle);
	if (!c->err) {
		int bad = c->json ? member_json(c->json, c->list, &m) :
				    member_text(c->out, &m);
		if (bad)
			c->err = lps_error_nomem();
	}
	lps_remote_member_clear(&m);
	return c->err != NULL;
}

static struct lps_error *emit_json(struct lps_doc *d, struct lps_buf *out)
{
	return lps_doc_emit_json(lps_doc_root(d), out);
}

static int cmd_members(int argc, char **argv)
{
	struct args a;
	int rc = parse(&a, argc, argv, 0, 1);
	if (rc >= 0)
		return rc;
	if (a.npos)
		return lps_cli_usage_error("members takes no arguments");
	struct lps_buf out = LPS_BUF_INIT;
	struct members_ctx c = { .out = &out };
	char handle[LPS_HANDLE_MAX + 1];
	struct lps_error *err = lps_store_open(&c.store, ".");
	if (err || (err = lps_remote_handle(handle, c.store)))
		goto done;
	if (!strcmp(a.format, "json")) {
		if ((err = lps_doc_new(&c.json, "members")))
			goto done;
		struct lps_node *root = lps_doc_new_map(c.json);
		c.list = lps_doc_new_seq(c.json);
		if (!root || !c.list ||
		    lps_map_set(c.json, root, "members", c.list)) {
			err = lps_error_nomem();
			goto done;
		}
		lps_doc_set_root(c.json, root);
	}
	err = lps_remote_each_member(c.store, each_member, &c);
	if (!err)
		err = c.err;
	if (!err && c.json)
		err = emit_json(c.json, &out);
	if (!err && out.len)
		fwrite(out.data, 1, out.len, stdout);
done:
	lps_doc_free(c.json);
	lps_buf_free(&out);
	lps_store_free(c.store);
	return lps_cli_fail(err);
}

/* ---- show ---- */

/* The kinds of item show reads, by the word typed. */
static const struct {
	const char *word, *dir, *plural;
	char letter;
} kinds[] = {
	{ "goal", "goals", "goals", 'g' },
	{ "evidence", "evidence", "evidence", 'e' },
	{ "reflection", "reflections", "reflections", 'r' },
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* An item's one-line title: title, else the first line of body. */
static void item_title(char *out, size_t size, const struct lps_node *root)
{
	const char *t = lps_node_str(lps_map_get(root, "title"));
	if (!t)
		t = lps_node_str(lps_map_get(root, "body"));
	snprintf(out, size, "%.*s", t ? (int)strcspn(t, "\n") : 0,
		 t ? t : "");
}

struct items_ctx {
	const char *dir;
	struct lps_buf *text;
	struct lps_doc *json;
	struct lps_node *list;
	char **ids;                /* for resolving a prefix */
	size_t nids, capids;
	int bad;
};

/* Only "<dir>/<id>.yaml", never attachments below it. */
static int item_id(char *id, const char *dir, const char *path)
{
	size_t dl = strlen(dir), pl = strlen(path);
	if (strncmp(path, dir, dl) || path[dl] != '/' ||
	    strchr(path + dl + 1, '/') || pl - dl - 1 != LPS_ID_LEN + 5 ||
	    strcmp(path + pl - 5, ".yaml"))
		return 0;
	snprintf(id, LPS_ID_LEN + 1, "%s", path + dl + 1);
	return lps_portfolio_id_valid(id, 0);
}

static int each_item(void *vctx, const char *path, const char *data,
		     size_t len)
{
	struct items_ctx *c = vctx;
	char id[LPS_ID_LEN + 1] = "", title[200];
	struct lps_doc *doc = NULL;
	if (!item_id(id, c->dir, path))
		return 0;
	if (c->ids) {
		if (c->nids == c->capids)
			return c->bad = 1;
		return (c->ids[c->nids++] = strdup(id)) ? 0 : (c->bad = 1);
	}
	struct lps_error *err = lps_doc_load(&doc, path, data, len, NULL);
	if (err) {
		lps_error_free(err);
		snprintf(title, sizeof(title), "(does not load)");
	} else {
		item_title(title, sizeof(title), lps_doc_root(doc));
	}
	lps_doc_free(doc);
	if (c->json) {
		struct lps_node *o = lps_doc_new_map(c->json);
		if (!o || set_str(c->json, o, "id", id) ||
		    set_str(c->json, o, "title", title) ||
		    lps_seq_append(c->json, c->list, o))
			return c->bad = 1;
		return 0;
	}
	return lps_buf_addf(c->text, "  %s  %s\n", id, title) < 0 ?
	       (c->bad = 1) : 0;
}

static struct lps_error *show_summary(struct lps_store *store,
				      const char *handle, int json,
				      struct lps_buf *out)
{
	struct lps_remote_member m;
	struct lps_doc *d = NULL;
	struct lps_error *err = lps_remote_member_read(&m, store, handle);
	if (err)
		goto out;
	if (json) {
		struct lps_node *root;
		if ((err = lps_doc_new(&d, "show")))
			goto out;
		if (!(root = lps_doc_new_map(d)))
			goto nomem;
		lps_doc_set_root(d, root);
		if (member_json(d, NULL, &m))
			goto nomem;
	} else if (member_text(out, &m) < 0) {
		goto nomem;
	}
	for (size_t k = 0; k < NKINDS && !err; k++) {
		struct items_ctx c = { .dir = kinds[k].dir, .text = out,
				       .json = d };
		if (d && (!(c.list = lps_doc_new_seq(d)) ||
			  lps_map_set(d, lps_doc_root(d), kinds[k].plural,
				      c.list)))
			goto nomem;
		if (!d && lps_buf_addf(out, "%s:\n", kinds[k].plural) < 0)
			goto nomem;
		err = lps_remote_member_each(store, handle, kinds[k].dir,
					     each_item, &c);
		if (!err && c.bad)
			goto nomem;
	}
	if (!err && d)
		err = emit_json(d, out);
	goto out;
nomem:
	err = lps_error_nomem();
out:
	lps_doc_free(d);
	lps_remote_member_clear(&m);
	return err;
}

#define MAX_ITEMS 100000

static struct lps_error *show_item(struct lps_store *store,
				   const char *handle, const char *word,
				   const char *typed, int json,
				   struct lps_buf *out)
{
	size_t k = 0;
	while (k < NKINDS && strcmp(kinds[k].word, word))
		k++;
	if (k == NKINDS)
		return lps_error_new(LPS_EUSAGE, "show reads a goal, evidence "
				     "or reflection, not '%s'", word);
	struct items_ctx c = { .dir = kinds[k].dir };
	struct lps_buf text = LPS_BUF_INIT;
	struct lps_doc *doc = NULL;
	const char *id = NULL;
	char path[64];
	c.capids = MAX_ITEMS;
	if (!(c.ids = calloc(c.capids, sizeof(*c.ids))))
		return lps_error_nomem();
	struct lps_error *err = lps_remote_member_each(store, handle,
						       kinds[k].dir,
						       each_item, &c);
	if (!err && c.bad)
		err = lps_error_nomem();
	if (!err)
		err = lps_portfolio_resolve_id(&id, (const char *const *)c.ids,
					       c.nids, kinds[k].letter, typed);
	if (err)
		goto out;
	snprintf(path, sizeof(path), "%s/%s.yaml", kinds[k].dir, id);
	if ((err = lps_remote_member_file(store, handle, path, &text)))
		goto out;
	if (!json) {
		err = lps_buf_add(out, text.data, text.len) < 0 ?
		      lps_error_nomem() : NULL;
		goto out;
	}
	if (!(err = lps_doc_load(&doc, path, text.data, text.len, NULL)))
		err = lps_doc_emit_json(lps_doc_root(doc), out);
out:
	if (err && err->code == LPS_ENOTFOUND && !err->file)
		err = lps_error_wrap(err, "members/%s", handle);
	for (size_t i = 0; i < c.nids; i++)
		free(c.ids[i]);
	free(c.ids);
	lps_doc_free(doc);
	lps_buf_free(&text);
	return err;
}

static int cmd_show(int argc, char **argv)
{
	struct args a;
	int rc = parse(&a, argc, argv, 0, 1);
	if (rc >= 0)
		return rc;
	if (a.npos != 1 && a.npos != 3)
		return lps_cli_usage_error("show needs HANDLE, optionally "
					   "followed by goal|evidence|"
					   "reflection ID");
	struct lps_store *store = NULL;
	struct lps_buf out = LPS_BUF_INIT;
	int json = !strcmp(a.format, "json");
	char me[LPS_HANDLE_MAX + 1];
	struct lps_error *err = lps_store_open(&store, ".");
	if (!err)
		err = lps_remote_handle(me, store);
	if (!err && a.npos == 1)
		err = show_summary(store, a.pos[0], json, &out);
	else if (!err)
		err = show_item(store, a.pos[0], a.pos[1], a.pos[2], json,
				&out);
	if (!err && out.len)
		fwrite(out.data, 1, out.len, stdout);
	lps_buf_free(&out);
	lps_store_free(store);
	return lps_cli_fail(err);
}

/* ---- meetings and norms on the shared branch (lib/meeting.h) ---- */

static void rt_transport(struct lps_transport *t)
{
	lps_transport_init(t);
	t->message = lps_transport_stderr_message;
	if (isatty(2))
		t->progress = lps_transport_stderr_progress;
}

/* Split a comma-separated list of handles into v (at most max). */
static size_t split_handles(char *s, const char **v, size_t max)
{
	size_t n = 0;
	for (char *tok = strtok(s, ", "); tok && n < max;
	     tok = strtok(NULL, ", "))
		v[n++] = tok;
	return n;
}

static struct lps_error *check_notes(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	if (lps_utf8_check(text, len) != len)
		return lps_error_new(LPS_EINVALID, "the notes are not UTF-8");
	return NULL;
}

#define MAX_ATTENDEES 100

static int meeting_add(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ "attendees", required_argument, NULL, 'a' },
		{ "agenda", required_argument, NULL, 'g' },
		{ "notes", required_argument, NULL, 'n' },
		{ "edit", no_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct lps_meeting_fields f;
	const char *who[MAX_ATTENDEES];
	char *attendees = NULL;
	char today[11];
	int c, edit = 0;
	memset(&f, 0, sizeof(f));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': f.date = optarg; break;
		case 'a': attendees = optarg; break;
		case 'g': f.agenda = optarg; break;
		case 'n': f.notes = optarg; break;
		case 'e': edit = 1; break;
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
	if (edit && f.notes)
		return lps_cli_usage_error("--notes and --edit do not go "
					   "together");
	lps_portfolio_today(today, NULL);
	if (!f.date)
		f.date = today;
	if (!lps_meta_date_valid(f.date))
		return lps_cli_usage_error("--date: expected YYYY-MM-DD, got "
					   "'%s'", f.date);
	char *list = attendees ? strdup(attendees) : NULL;
	if (attendees && !list)
		return lps_cli_fail(lps_error_nomem());
	f.attendees = who;
	f.nattendees = list ? split_handles(list, who, MAX_ATTENDEES) : 0;

	struct lps_store *store = NULL;
	struct lps_doc *doc = NULL;
	struct lps_buf text = LPS_BUF_INIT, notes = LPS_BUF_INIT,
		msg = LPS_BUF_INIT;
	struct lps_transport t;
	char me[LPS_HANDLE_MAX + 1], id[LPS_ID_LEN + 1] = "", path[64];
	struct lps_error *err = lps_store_open(&store, ".");
	if (!err)
		err = lps_remote_handle(me, store);
	if (!err && edit) {
		static const char hint[] = "";
		err = lps_editor_edit(&notes, hint, 0, "meeting-notes.md",
				      check_notes, NULL);
		size_t k = 0;
		while (!err && k < notes.len && strchr(" \t\r\n", notes.data[k]))
			k++;
		/* Nothing written in the editor: like an empty reflection,
		 * the meeting is not added. */
		if (!err && k == notes.len)
			err = lps_error_new(LPS_EINVALID, "aborted: no notes "
					    "written; no meeting added");
		if (!err)
			f.notes = notes.data;
	}
	if (!err)
		err = lps_portfolio_new_id(id, 'm');
	f.id = id;
	f.by = me;
	if (!err)
		err = lps_meeting_build(&doc, &text, &f);
	if (err && err->code == LPS_EINVALID && !edit)
		err->code = LPS_EUSAGE;
	lps_meeting_path(path, sizeof(path), f.date, id);
	if (!err && lps_buf_addf(&msg, "meeting: add %s on %s\n\n"
				 "LPS-Command: roundtable meeting add\n",
				 id, f.date) < 0)
		err = lps_error_nomem();
	rt_transport(&t);
	if (!err) {
		struct lps_shared_change ch = { path, text.data, text.len,
						NULL, msg.data };
		err = lps_meeting_publish(NULL, store, &ch, &t);
	}
	if (!err)
		printf("Added meeting %s on %s\n", id, f.date);
	lps_buf_free(&msg);
	lps_buf_free(&notes);
	lps_buf_free(&text);
	lps_doc_free(doc);
	lps_store_free(store);
	free(list);
	return lps_cli_fail(err);
}

struct mlist {
	struct lps_doc *out;
	struct lps_node *seq;
	struct lps_buf *text;
	int json, bad;
};

static int meeting_row(void *ctx, const char *path, const struct lps_doc *doc,
		       const struct lps_error *problem)
{
	struct mlist *m = ctx;
	(void)path;
	if (problem) {
		char *s = lps_error_format(problem);
		lps_cli_warning("%s (left out)", s ? s : "out of memory");
		free(s);
		m->bad = 1;
		return 0;
	}
	const struct lps_node *r = lps_doc_root(doc);
	if (m->json) {
		struct lps_node *copy = lps_doc_copy(m->out, r);
		if (!copy || lps_seq_append(m->out, m->seq, copy) < 0)
			return m->bad = -1;
		return 0;
	}
	const char *agenda = lps_node_str(lps_map_get(r, "agenda"));
	const struct lps_node *att = lps_map_get(r, "attendees");
	if (lps_buf_addf(m->text, "%s  %s  %-12s  %zu  %s\n",
			 lps_node_str(lps_map_get(r, "id")),
			 lps_node_str(lps_map_get(r, "date")),
			 lps_node_str(lps_map_get(r, "by")),
			 att && att->type == LPS_NODE_SEQ ? att->v.seq.n : 0,
			 agenda ? agenda : "-") < 0)
		return m->bad = -1;
	return 0;
}

static int meeting_list(struct args *a)
{
	struct lps_store *store = NULL;
	struct lps_buf out = LPS_BUF_INIT;
	struct mlist m = { NULL, NULL, &out, !strcmp(a->format, "json"), 0 };
	struct lps_error *err = lps_store_open(&store, ".");
	if (!err)
		err = lps_doc_new(&m.out, "meetings");
	if (!err) {
		struct lps_node *root = lps_doc_new_map(m.out);
		m.seq = lps_doc_new_seq(m.out);
		if (!root || !m.seq ||
		    lps_map_set(m.out, root, "meetings", m.seq) < 0)
			err = lps_error_nomem();
		else
			lps_doc_set_root(m.out, root);
	}
	if (!err)
		err = lps_meeting_each(store, meeting_row, &m);
	if (!err && m.bad < 0)
		err = lps_error_nomem();
	if (!err && m.json)
		err = lps_doc_emit_json(lps_doc_root(m.out), &out);
	if (!err && out.len)
		fwrite(out.data, 1, out.len, stdout);
	lps_buf_free(&out);
	lps_doc_free(m.out);
	lps_store_free(store);
	if (!err && m.bad)
		return LPS_EXIT_NO;
	return lps_cli_fail(err);
}

static int meeting_show(struct args *a)
{
	struct lps_store *store = NULL;
	struct lps_doc *doc = NULL;
	struct lps_buf out = LPS_BUF_INIT;
	struct lps_error *err = lps_store_open(&store, ".");
	if (!err)
		err = lps_meeting_find(&doc, store, a->pos[1]);
	if (!err)
		err = strcmp(a->format, "json")
			? lps_doc_emit(lps_doc_root(doc), &out)
			: lps_doc_emit_json(lps_doc_root(doc), &out);
	if (!err)
		fwrite(out.data, 1, out.len, stdout);
	lps_buf_free(&out);
	lps_doc_free(doc);
	lps_store_free(store);
	return lps_cli_fail(err);
}

static int cmd_meeting(int argc, char **argv)
{
	struct args a;
	if (argc < 2)
		return lps_cli_usage_error("meeting needs add, list or show");
	if (!strcmp(argv[1], "add"))
		return meeting_add(argc - 1, argv + 1);
	int rc = parse(&a, argc - 1, argv + 1, 0, 1);
	if (rc >= 0)
		return rc;
	if (!strcmp(argv[1], "list")) {
		if (a.npos)
			return lps_cli_usage_error("meeting list takes no "
						   "arguments");
		return meeting_list(&a);
	}
	if (!strcmp(argv[1], "show")) {
		if (a.npos != 1)
			return lps_cli_usage_error("meeting show needs an ID");
		a.pos[1] = a.pos[0];
		return meeting_show(&a);
	}
	return lps_cli_usage_error("unknown meeting subcommand '%s'",
				   argv[1]);
}

/* ---- norms on the shared branch ---- */

static int norms_show(struct args *a)
{
	struct lps_store *store = NULL;
	struct lps_buf text = LPS_BUF_INIT, out = LPS_BUF_INIT;
	struct lps_doc *doc = NULL;
	git_oid blob;
	int found = 0, json = !strcmp(a->format, "json");
	char me[LPS_HANDLE_MAX + 1];
	struct lps_error *err = lps_store_open(&store, ".");
	if (!err)
		err = lps_remote_handle(me, store);
	if (!err)
		err = lps_meeting_norms(&text, &blob, &found, store);
	if (!err && !found) {
		if (json)
			fputs("{\n  \"lps\": 1,\n  \"norms\": []\n}\n", stdout);
		else
			puts("No norms yet; write them with: lps roundtable "
			     "norms edit");
		goto out;
	}
	if (!err)
		err = lps_meeting_norms_check(text.data, text.len);
	if (!err)
		err = lps_doc_load(&doc, LPS_MEETING_NORMS_PATH, text.data,
				   text.len, NULL);
	if (err)
		goto out;
	const struct lps_node *r = lps_doc_root(doc);
	if (json) {
		err = lps_doc_emit_json(r, &out);
	} else {
		const char *updated = lps_node_str(lps_map_get(r, "updated"));
		const char *by = lps_node_str(lps_map_get(r, "by"));
		const struct lps_node *list = lps_map_get(r, "norms");
		int bad = lps_buf_adds(&out, "Norms of the roundtable") < 0;
		if (updated)
			bad |= lps_buf_addf(&out, ", updated %s", updated) < 0;
		if (by)
			bad |= lps_buf_addf(&out, " by %s", by) < 0;
		bad |= lps_buf_adds(&out, ":\n") < 0;
		for (size_t i = 0; list && i < list->v.seq.n; i++)
			bad |= lps_buf_addf(&out, "%3zu. %s\n", i + 1,
				lps_node_str(list->v.seq.items[i])) < 0;
		if (!list || !list->v.seq.n)
			bad |= lps_buf_adds(&out, "  (none)\n") < 0;
		if (bad)
			err = lps_error_nomem();
	}
	if (!err)
		fwrite(out.data, 1, out.len, stdout);
out:
	lps_doc_free(doc);
	lps_buf_free(&out);
	lps_buf_free(&text);
	lps_store_free(store);
	return lps_cli_fail(err);
}

static struct lps_error *check_norms(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	return lps_meeting_norms_check(text, len);
}

static const char norms_template[] =
	"# The roundtable's norms: the working agreements of the group, one\n"
	"# item each.  Lines starting with # are kept as written; updated\n"
	"# and by are filled in when you save.\n"
	"lps: 1\n"
	"norms:\n"
	"  - We start and end on time.\n";

/* Keep the user's text when the roundtable refused it, so a lost race
 * costs no typing: <gitdir>/lps/norms-unsaved.yaml. */
static struct lps_error *keep_unsaved(struct lps_store *store,
				      const struct lps_buf *b,
				      struct lps_error *err)
{
	char path[4200];
	snprintf(path, sizeof(path), "%slps",
		 git_repository_path(lps_store_repo(store)));
	(void)mkdir(path, 0777);
	strncat(path, "/norms-unsaved.yaml", sizeof(path) - strlen(path) - 1);
	FILE *f = fopen(path, "w");
	if (!f)
		return err;
	int ok = fwrite(b->data, 1, b->len, f) == b->len;
	if (fclose(f) != 0 || !ok)
		return err;
	struct lps_error *e = lps_error_new(err->code, "%s; your text is "
					    "kept in %s", err->msg, path);
	lps_error_free(err);
	return e;
}

static int norms_edit(struct args *a)
{
	struct lps_store *store = NULL;
	struct lps_buf before = LPS_BUF_INIT, edited = LPS_BUF_INIT,
		text = LPS_BUF_INIT, msg = LPS_BUF_INIT;
	struct lps_transport t;
	git_oid blob;
	int found = 0;
	char me[LPS_HANDLE_MAX + 1], today[11];
	(void)a;
	rt_transport(&t);
	lps_portfolio_today(today, NULL);
	struct lps_error *err = lps_store_open(&store, ".");
	if (!err)
		err = lps_remote_handle(me, store);
	if (!err)
		err = lps_remote_fetch(store, &t);
	if (!err)
		err = lps_meeting_norms(&before, &blob, &found, store);
	if (!err && !found &&
	    lps_buf_adds(&before, norms_template) < 0)
		err = lps_error_nomem();
	if (!err)
		err = lps_editor_edit(&edited, before.data, before.len,
				      "norms.yaml", check_norms, NULL);
	if (err)
		goto out;
	if (edited.len == before.len &&
	    !memcmp(edited.data, before.data, before.len)) {
		/* Saving the template untouched is not writing norms. */
		puts(found ? "Norms unchanged; nothing pushed" :
		     "No norms written; nothing pushed");
		goto out;
	}
	if ((err = lps_meeting_norms_stamp(&text, edited.data, edited.len,
					   today, me)))
		goto out;
	if (lps_buf_addf(&msg, "norms: edit by %s\n\n"
			 "LPS-Command: roundtable norms edit\n", me) < 0) {
		err = lps_error_nomem();
		goto out;
	}
	git_oid none;
	memset(&none, 0, sizeof(none));
	struct lps_shared_change ch = { LPS_MEETING_NORMS_PATH, text.data,
					text.len, found ? &blob : &none,
					msg.data };
	err = lps_meeting_publish(NULL, store, &ch, &t);
	if (err && err->code == LPS_ECONFLICT)
		err = keep_unsaved(store, &edited, err);
	if (!err)
		puts("Updated the roundtable's norms");
out:
	lps_buf_free(&msg);
	lps_buf_free(&text);
	lps_buf_free(&edited);
	lps_buf_free(&before);
	lps_store_free(store);
	return lps_cli_fail(err);
}

static int cmd_norms(int argc, char **argv)
{
	struct args a;
	if (argc < 2)
		return lps_cli_usage_error("norms needs show or edit");
	int is_show = !strcmp(argv[1], "show");
	if (!is_show && strcmp(argv[1], "edit"))
		return lps_cli_usage_error("unknown norms subcommand '%s'",
					   argv[1]);
	int rc = parse(&a, argc - 1, argv + 1, 0, is_show);
	if (rc >= 0)
		return rc;
	if (a.npos)
		return lps_cli_usage_error("norms %s takes no arguments",
					   argv[1]);
	return is_show ? norms_show(&a) : norms_edit(&a);
}

/* ---- install-guard ---- */

/* The lps-guard beside this program, else along LPS_EXEC_PATH, else in
 * the install libexec folder.  Absolute, into out. */
static int find_guard(char *out, size_t size)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			snprintf(out, size, "%s/lps-guard", self);
			if (access(out, X_OK) == 0)
				return 0;
		}
	}
	const char *ep = getenv("LPS_EXEC_PATH");
	if (ep && ep[0] == '/') {
		snprintf(out, size, "%s/lps-guard", ep);
		if (access(out, X_OK) == 0)
			return 0;
	}
	snprintf(out, size, "%s/lps-guard", LPS_LIBEXECDIR);
	return access(out, X_OK) == 0 ? 0 : -1;
}

static int cmd_install_guard(int argc, char **argv)
{
	struct args a;
	int rc = parse(&a, argc, argv, 0, 0);
	if (rc >= 0)
		return rc;
	if (a.npos != 1)
		return lps_cli_usage_error("install-guard needs the PATH of "
					   "the bare roundtable repository");
	char guard[4200];
	if (find_guard(guard, sizeof(guard)) < 0)
		return lps_cli_fail(lps_error_new(LPS_ENOTFOUND, "lps-guard "
			"not found beside lps, along LPS_EXEC_PATH or in %s",
			LPS_LIBEXECDIR));
	char *hook = NULL;
	struct lps_error *err = lps_guard_install(&hook, a.pos[0], guard);
	if (!err)
		printf("Installed the guard: %s runs %s\n", hook, guard);
	free(hook);
	return lps_cli_fail(err);
}

/* ---- dispatch ---- */

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} subs[] = {
	{ "join", cmd_join },
	{ "leave", cmd_leave },
	{ "members", cmd_members },
	{ "show", cmd_show },
	{ "meeting", cmd_meeting },
	{ "norms", cmd_norms },
	{ "install-guard", cmd_install_guard },
};

int main(int argc, char **argv)
{
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
