/*
 * meeting.c - meetings and norms on the roundtable's shared branch
 * (see meeting.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "meeting.h"
#include "portfolio.h"
#include "registry.h"
#include "remote.h"
#include "schema.h"

/* The local ref a shared-branch commit is pushed from. */
#define OUTGOING_REF "refs/lps/roundtable-outgoing"
#define MAX_MEETINGS 100000

static struct lps_error *git_fail(const char *what)
{
	const git_error *ge = git_error_last();
	return lps_error_new(LPS_ESYS, "%s: %s", what,
			     ge && ge->message ? ge->message : "libgit2 error");
}

void lps_meeting_path(char *out, size_t size, const char *date,
		      const char *id)
{
	snprintf(out, size, "%s/%s-%s.yaml", LPS_MEETING_DIR, date, id);
}

/* ---- building a record ---- */

static int set_str(struct lps_doc *d, struct lps_node *m, const char *k,
		   const char *v)
{
	if (!v)
		return 0;
	struct lps_node *n = lps_doc_new_string(d, v);
	return n ? lps_map_set(d, m, k, n) : -1;
}

struct lps_error *lps_meeting_build(struct lps_doc **out,
				    struct lps_buf *text,
				    const struct lps_meeting_fields *f)
{
	struct lps_doc *d = NULL;
	const struct lps_registry *reg;
	struct lps_findings fs = LPS_FINDINGS_INIT;
	struct lps_error *err;
	char name[64];

	*out = NULL;
	err = lps_registry_get(&reg);
	if (err)
		return err;
	const struct lps_schema *schema = lps_registry_schema(reg, "meeting");
	if (!schema)
		return lps_error_new(LPS_ENOTFOUND, "no meeting schema");
	lps_meeting_path(name, sizeof(name), f->date, f->id);
	err = lps_doc_new(&d, name);
	if (err)
		return err;
	struct lps_node *m = lps_doc_new_map(d);
	int bad = !m || lps_map_set(d, m, "lps",
				    lps_doc_new_int(d, LPS_FORMAT_VERSION)) < 0 ||
		set_str(d, m, "id", f->id) < 0 ||
		set_str(d, m, "date", f->date) < 0 ||
		set_str(d, m, "by", f->by) < 0;
	if (!bad && f->nattendees) {
		struct lps_node *seq = lps_doc_new_seq(d);
		bad = !seq || lps_map_set(d, m, "attendees", seq) < 0;
		for (size_t i = 0; i < f->nattendees && !bad; i++)
			bad = lps_seq_append(d, seq, lps_doc_new_string(
						d, f->attendees[i])) < 0;
	}
	bad = bad || set_str(d, m, "agenda", f->agenda) < 0 ||
		set_str(d, m, "notes", f->notes) < 0;
	if (bad) {
		err = lps_error_nomem();
		goto out;
	}
	lps_doc_set_root(d, m);
	lps_schema_sort_keys(schema, m);
	int ok = lps_schema_validate(schema, m, LPS_SCHEMA_FORMAT_ASSERT, &fs);
	if (ok < 0) {
		err = lps_error_nomem();
		goto out;
	}
	if (!ok) {
		const struct lps_finding *x = &fs.items[0];
		err = lps_error_new(LPS_EINVALID, "meeting: %s%s%s", x->path,
				    *x->path ? ": " : "", x->message);
		goto out;
	}
	err = lps_doc_emit(m, text);
out:
	lps_findings_free(&fs);
	if (err)
		lps_doc_free(d);
	else
		*out = d;
	return err;
}

/* ---- reading the fetched shared branch ---- */

struct lps_error *lps_meeting_tip(git_oid *tip, int *found,
				  struct lps_store *store)
{
	git_repository *repo = lps_store_repo(store);
	memset(tip, 0, sizeof(*tip));
	*found = 0;
	int r = git_reference_name_to_id(tip, repo, LPS_REMOTE_SHARED_TRACK);
	if (r == GIT_ENOTFOUND) {
		git_error_clear();
		memset(tip, 0, sizeof(*tip));
		return NULL;
	}
	if (r < 0)
		return git_fail("reading the fetched roundtable branch");
	*found = 1;
	return NULL;
}

struct each_ctx {
	lps_meeting_each_fn fn;
	void *ctx;
	const struct lps_registry *reg;
	struct lps_error *err;
};

static int is_record(const char *path)
{
	size_t n = strlen(path), d = strlen(LPS_MEETING_DIR);
	return n > d + 6 && strncmp(path, LPS_MEETING_DIR "/", d + 1) == 0 &&
		!strchr(path + d + 1, '/') && path[d + 1] != '.' &&
		strcmp(path + n - 5, ".yaml") == 0;
}

static int each_blob(void *vctx, const char *path, const char *data,
		     size_t len)
{
	struct each_ctx *c = vctx;
	struct lps_doc *doc = NULL;
	struct lps_findings fs = LPS_FINDINGS_INIT;
	struct lps_error *problem;
	int valid = 0, stop;

	if (!is_record(path))
		return 0;
	problem = lps_doc_load(&doc, path, data, len, NULL);
	if (!problem)
		problem = lps_registry_validate(&valid, &fs, c->reg, "meeting",
						lps_doc_root(doc));
	if (!problem && !valid) {
		const struct lps_finding *x = &fs.items[0];
		problem = lps_error_at(LPS_EINVALID, path, x->line, x->col,
				       "%s%s%s", x->path, *x->path ? ": " : "",
				       x->message);
	}
	if (problem && (problem->code == LPS_ENOMEM ||
			problem->code == LPS_ESYS)) {
		c->err = problem;
		problem = NULL;
		stop = 1;
	} else {
		stop = c->fn(c->ctx, path, problem ? NULL : doc, problem);
	}
	lps_error_free(problem);
	lps_findings_free(&fs);
	lps_doc_free(doc);
	return stop;
}

struct lps_error *lps_meeting_each(struct lps_store *store,
				   lps_meeting_each_fn fn, void *ctx)
{
	struct each_ctx c = { fn, ctx, NULL, NULL };
	git_oid tip;
	int found;
	struct lps_error *err = lps_meeting_tip(&tip, &found, store);
	if (err || !found)
		return err;
	err = lps_registry_get(&c.reg);
	if (err)
		return err;
	err = lps_store_foreach(store, &tip, LPS_MEETING_DIR, each_blob, &c);
	if (c.err) {
		lps_error_free(err);
		return c.err;
	}
	/* fn asked to stop: not an error for the caller. */
	if (err && err->code == LPS_EINVALID && !c.err) {
		lps_error_free(err);
		err = NULL;
	}
	return err;
}

struct names {
	char **paths;
	char **ids;
	size_t n, cap;
};

static int collect_name(void *vctx, const char *path, const char *data,
			size_t len)
{
	struct names *ns = vctx;
	size_t n = strlen(path);
	if (!is_record(path) || n < 5 + LPS_MEETING_ID_LEN)
		return 0;
	if (ns->n == MAX_MEETINGS)
		return 0;
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? 2 * ns->cap : 16;
		char **p = realloc(ns->paths, cap * sizeof(*p));
		if (!p)
			return -1;
		ns->paths = p;
		char **q = realloc(ns->ids, cap * sizeof(*q));
		if (!q)
			return -1;
		ns->ids = q;
		ns->cap = cap;
	}
	ns->paths[ns->n] = strdup(path);
	ns->ids[ns->n] = strndup(path + n - 5 - LPS_MEETING_ID_LEN,
				 LPS_MEETING_ID_LEN);
	if (!ns->paths[ns->n] || !ns->ids[ns->n]) {
		free(ns->paths[ns->n]);
		free(ns->ids[ns->n]);
		return -1;
	}
	ns->n++;
	return 0;
}

static void names_free(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++) {
		free(ns->paths[i]);
		free(ns->ids[i]);
	}
	free(ns->paths);
	free(ns->ids);
}

struct lps_error *lps_meeting_find(struct lps_doc **out,
				   struct lps_store *store,
				   const char *typed)
{
	struct names ns = { NULL, NULL, 0, 0 };
	struct lps_buf text = LPS_BUF_INIT;
	const struct lps_registry *reg;
	struct lps_findings fs = LPS_FINDINGS_INIT;
	const char *match = NULL;
	git_oid tip;
	int found, valid = 0;

	*out = NULL;
	struct lps_error *err = lps_meeting_tip(&tip, &found, store);
	if (!err && !found)
		err = lps_error_new(LPS_ENOTFOUND, "no meeting matches \"%s\" "
				    "(no meetings fetched; run lps pull)",
				    typed);
	if (!err)
		err = lps_store_foreach(store, &tip, LPS_MEETING_DIR,
					collect_name, &ns);
	if (err && err->code == LPS_EINVALID) { /* collect_name: ENOMEM */
		lps_error_free(err);
		err = lps_error_nomem();
	}
	if (!err)
		err = lps_portfolio_resolve_id(&match,
					       (const char *const *)ns.ids,
					       ns.n, 'm', typed);
	if (err && err->code == LPS_ENOTFOUND) {
		lps_error_free(err);
		err = lps_error_new(LPS_ENOTFOUND, "no meeting matches \"%s\"",
				    typed);
	}
	if (!err) {
		size_t i;
		for (i = 0; i < ns.n && ns.ids[i] != match; i++)
			;
		err = lps_store_read(store, &tip, ns.paths[i], &text);
		if (!err)
			err = lps_doc_load(out, ns.paths[i], text.data,
					   text.len, NULL);
		if (!err)
			err = lps_registry_get(&reg);
		if (!err)
			err = lps_registry_validate(&valid, &fs, reg,
						    "meeting",
						    lps_doc_root(*out));
		if (!err && !valid) {
			const struct lps_finding *x = &fs.items[0];
			err = lps_error_at(LPS_EINVALID, ns.paths[i], x->line,
					   x->col, "%s%s%s", x->path,
					   *x->path ? ": " : "", x->message);
		}
		if (err) {
			lps_doc_free(*out);
			*out = NULL;
		}
	}
	lps_findings_free(&fs);
	lps_buf_free(&text);
	names_free(&ns);
	return err;
}

struct lps_error *lps_meeting_norms(struct lps_buf *text, git_oid *blob,
				    int *found, struct lps_store *store)
{
	git_oid tip;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	int have;

	memset(blob, 0, sizeof(*blob));
	*found = 0;
	struct lps_error *err = lps_meeting_tip(&tip, &have, store);
	if (err || !have)
		return err;
	git_repository *repo = lps_store_repo(store);
	if (git_commit_lookup(&commit, repo, &tip) < 0 ||
	    git_commit_tree(&tree, commit) < 0) {
		err = git_fail("reading the roundtable branch");
		goto out;
	}
	if (git_tree_entry_bypath(&e, tree, LPS_MEETING_NORMS_PATH) < 0) {
		git_error_clear();
		goto out;
	}
	*blob = *git_tree_entry_id(e);
	*found = 1;
	err = lps_store_read(store, &tip, LPS_MEETING_NORMS_PATH, text);
out:
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_commit_free(commit);
	return err;
}

/* ---- changing the shared branch ---- */

static struct lps_error *build_commit(git_oid *out, git_repository *repo,
				      const git_oid *tip,
				      const struct lps_shared_change *c)
{
	git_commit *parent = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_tree_entry *e = NULL;
	git_signature *sig = NULL;
	struct lps_error *err = NULL;
	git_oid blob, tree_id, now;

	if (tip && (git_commit_lookup(&parent, repo, tip) < 0 ||
		    git_commit_tree(&base, parent) < 0)) {
		err = git_fail("reading the roundtable branch");
		goto out;
	}
	if (c->based_on) {
		memset(&now, 0, sizeof(now));
		if (base && git_tree_entry_bypath(&e, base, c->path) == 0)
			now = *git_tree_entry_id(e);
		git_error_clear();
		if (!git_oid_equal(&now, c->based_on)) {
			err = lps_error_new(LPS_ECONFLICT,
					    "%s changed on the roundtable "
					    "meanwhile; run the command again "
					    "to start from the new version",
					    c->path);
			goto out;
		}
	}
	if (git_blob_create_from_buffer(&blob, repo, c->data, c->len) < 0) {
		err = git_fail("writing to the object database");
		goto out;
	}
	git_tree_update up = { GIT_TREE_UPDATE_UPSERT, blob, GIT_FILEMODE_BLOB,
			       c->path };
	if (git_tree_create_updated(&tree_id, repo, base, 1, &up) < 0 ||
	    git_tree_lookup(&tree, repo, &tree_id) < 0) {
		err = git_fail("building the roundtable tree");
		goto out;
	}
	if (git_signature_default(&sig, repo) < 0) {
		err = lps_error_new(LPS_EREFUSED,
				    "no identity for the commit; set it with: "
				    "git config --global user.name \"Your "
				    "Name\" && git config --global user.email "
				    "you@example.org");
		goto out;
	}
	const git_commit *parents[1] = { parent };
	if (git_commit_create(out, repo, NULL, sig, sig, NULL, c->message,
			      tree, parent ? 1 : 0, parents) < 0)
		err = git_fail("making the roundtable commit");
out:
	git_signature_free(sig);
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(parent);
	return err;
}

/* Push commit to refs/heads/roundtable; *rejected set when the server
 * refused the update (reason in t->rejected). */
static struct lps_error *push(struct lps_store *store, const git_oid *commit,
			      struct lps_transport *t, int *rejected)
{
	git_repository *repo = lps_store_repo(store);
	git_reference *ref = NULL;
	git_remote *remote = NULL;
	struct lps_error *err = NULL;
	char *spec = OUTGOING_REF ":" LPS_REMOTE_SHARED_BRANCH;
	git_strarray specs = { &spec, 1 };
	git_push_options opts;

	*rejected = 0;
	if (git_reference_create(&ref, repo, OUTGOING_REF, commit, 1,
				 "lps: roundtable change") < 0)
		return git_fail("recording the roundtable commit");
	git_reference_free(ref);
	if (git_remote_lookup(&remote, repo, LPS_REMOTE_NAME) < 0) {
		git_error_clear();
		return lps_error_new(LPS_ENOTFOUND, "not in a roundtable; run "
				     "lps roundtable join URL --as HANDLE");
	}
	git_push_options_init(&opts, GIT_PUSH_OPTIONS_VERSION);
	lps_transport_callbacks(&opts.callbacks, t);
	int r = git_remote_push(remote, &specs, &opts);
	if (t->rejected[0]) {
		*rejected = 1;
	} else if (r < 0) {
		const git_error *ge = git_error_last();
		/* Some transports report a refused update as a failure. */
		/* libgit2 itself refuses when the remote branch holds
		 * commits we have not fetched: a lost race too. */
		if (r == GIT_ENONFASTFORWARD ||
		    (ge && ge->message && (strstr(ge->message, "rejected") ||
					  strstr(ge->message, "fast-forward")
					  || strstr(ge->message, "declined")))) {
			snprintf(t->rejected, sizeof(t->rejected), "%s",
				 ge && ge->message ? ge->message
				 : "not a fast-forward");
			*rejected = 1;
		} else {
			err = lps_error_new(LPS_ESYS, "push to %s: %s",
					    git_remote_url(remote),
					    ge && ge->message ? ge->message
					    : "failed");
		}
	} else {
		/* What was pushed is now the fetched state. */
		if (git_reference_create(&ref, repo, LPS_REMOTE_SHARED_TRACK,
					 commit, 1, "lps: pushed") < 0)
			err = git_fail("updating the roundtable ref");
		git_reference_free(ref);
	}
	git_remote_free(remote);
	return err;
}

struct lps_error *lps_meeting_publish(git_oid *out, struct lps_store *store,
				      const struct lps_shared_change *c,
				      struct lps_transport *t)
{
	struct lps_transport local;
	struct lps_error *err = NULL;
	git_oid tip, commit;
	int found, rejected;

	memset(&commit, 0, sizeof(commit));

	if (!t) {
		lps_transport_init(&local);
		t = &local;
	}
	for (int tries = 0; tries < LPS_SHARED_MAX_TRIES; tries++) {
		err = lps_remote_fetch(store, t);
		if (!err)
			err = lps_meeting_tip(&tip, &found, store);
		if (err)
			return err;
		err = build_commit(&commit, lps_store_repo(store),
				   found ? &tip : NULL, c);
		if (!err)
			err = push(store, &commit, t, &rejected);
		if (err)
			return err;
		if (!rejected)
			break;
		/* Refused: another member pushed first, or the guard said
		 * no.  Only a moved tip is worth another try.  (The fetch
		 * resets t's record of the refusal: keep it.) */
		git_oid again;
		int found2;
		char why[sizeof(t->rejected)];
		memcpy(why, t->rejected, sizeof(why));
		err = lps_remote_fetch(store, t);
		if (!err)
			err = lps_meeting_tip(&again, &found2, store);
		if (err)
			return err;
		/* A ref lock held by another push, or a non-fast-forward
		 * whose winner is not visible yet, is a race as well. */
		int racy = strstr(why, "lock") || strstr(why, "fast-forward") ||
			strstr(why, "fetch first") ||
			strstr(why, "not present locally");
		if (racy) {
			struct timespec ts = { 0, 50000000L * (tries + 1) };
			nanosleep(&ts, NULL);
		}
		if (!racy && found2 == found &&
		    (!found || git_oid_equal(&again, &tip)))
			return lps_error_new(LPS_EREFUSED,
					     "the roundtable refused the "
					     "change: %s", why);
		if (tries + 1 == LPS_SHARED_MAX_TRIES)
			return lps_error_new(LPS_ECONFLICT,
					     "the roundtable branch kept "
					     "moving; gave up after %d tries",
					     LPS_SHARED_MAX_TRIES);
	}
	if (out)
		*out = commit;
	return NULL;
}
