/*
 * meeting.c - meetings and norms on the roundtable's shared branch
 * (see meeting.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "meeting.h"
#include "guard.h"
#include "refguard.h"
#include "portfolio.h"
#include "registry.h"
#include "remote.h"
#include "schema.h"
#include "uri.h"

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

/*
 * Pushing to a roundtable on this machine (a path or file://) goes
 * around git_remote_push: libgit2's local transport moves the remote
 * ref with a forced update and no check of its old value, so of two
 * members pushing at once on the same fetched tip the second silently
 * overwrites the first.  Here the objects are copied into the shared
 * repository first and the branch is then moved with a compare-and-swap
 * on the tip the commit was built on, under the ref's lock.  (libgit2
 * runs no hooks for local pushes either, so nothing is lost there.)
 * Other transports speak to git receive-pack, which already checks the
 * old value under the lock and reports a loser through the
 * push_update_reference callback.
 */

/* Deepest tree copied; the shared branch holds meetings/<file> and
 * norms.yaml, so anything deeper is not lps's. */
#define MAX_TREE_DEPTH 32

/* Copy object id (and, for a tree, what it holds) from src to dst
 * unless dst has it: a tree present in dst is complete there. */
static int copy_object(git_odb *dst, git_odb *src, const git_oid *id,
		       git_repository *repo, unsigned depth)
{
	git_odb_object *obj = NULL;
	git_tree *tree = NULL;
	git_oid written;
	int r;

	if (git_odb_exists(dst, id))
		return 0;
	if (depth > MAX_TREE_DEPTH) {
		git_error_set_str(GIT_ERROR_INVALID, "tree too deep");
		return -1;
	}
	if ((r = git_odb_read(&obj, src, id)) < 0)
		return r;
	if (git_odb_object_type(obj) == GIT_OBJECT_TREE) {
		if ((r = git_tree_lookup(&tree, repo, id)) < 0)
			goto out;
		size_t n = git_tree_entrycount(tree);
		for (size_t i = 0; i < n && r == 0; i++) {
			const git_tree_entry *e = git_tree_entry_byindex(tree,
									 i);
			git_object_t t = git_tree_entry_type(e);
			if (t == GIT_OBJECT_TREE || t == GIT_OBJECT_BLOB)
				r = copy_object(dst, src, git_tree_entry_id(e),
						repo, depth + 1);
		}
		if (r < 0)
			goto out;
	}
	r = git_odb_write(&written, dst, git_odb_object_data(obj),
			  git_odb_object_size(obj), git_odb_object_type(obj));
out:
	git_tree_free(tree);
	git_odb_object_free(obj);
	return r;
}

/* Copy commit (its tree, and nothing of its history: the parent came
 * from the roundtable) into the repository at path and move the shared
 * branch from old (NULL: it must not exist yet) to commit.  A lost race
 * sets *rejected and explains it in why. */
static struct lps_error *push_local(const char *path, git_repository *repo,
				    const git_oid *commit, const git_oid *old,
				    int *rejected, char *why, size_t whysize)
{
	git_repository *shared = NULL;
	git_odb *dst = NULL, *src = NULL;
	git_commit *c = NULL;
	git_reference *ref = NULL;
	struct lps_error *err = NULL;
	int r;

	if (git_repository_open_ext(&shared, path,
				    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		return git_fail("opening the roundtable");
	if (git_repository_odb(&dst, shared) < 0 ||
	    git_repository_odb(&src, repo) < 0 ||
	    git_commit_lookup(&c, repo, commit) < 0) {
		err = git_fail("reading the object databases");
		goto out;
	}
	if (git_commit_parentcount(c) &&
	    !git_odb_exists(dst, git_commit_parent_id(c, 0))) {
		err = lps_error_new(LPS_ESYS, "the roundtable lost the commit "
				    "its branch was fetched at; run lps pull");
		goto out;
	}
	if (copy_object(dst, src, git_commit_tree_id(c), repo, 0) < 0 ||
	    copy_object(dst, src, commit, repo, 0) < 0) {
		err = git_fail("copying objects to the roundtable");
		goto out;
	}
	/* No hook runs here: ask the roundtable's guard ourselves. */
	static const git_oid zero;
	struct lps_error *no = lps_guard_check_local(
		path, NULL, LPS_REMOTE_SHARED_BRANCH, old ? old : &zero,
		commit);
	if (no) {
		if (no->code == LPS_ESYS || no->code == LPS_ENOMEM) {
			err = no;
			goto out;
		}
		char *s = lps_error_format(no);
		snprintf(why, whysize, "lps-guard: %s", s ? s : "refused");
		free(s);
		lps_error_free(no);
		*rejected = 1;
		goto out;
	}
	struct lps_refguard_shared guard;
	if ((err = lps_refguard_take_shared(&guard, path)))
		goto out;
	if (old)
		r = git_reference_create_matching(&ref, shared,
						  LPS_REMOTE_SHARED_BRANCH,
						  commit, 1, old,
						  "lps: roundtable change");
	else
		r = git_reference_create(&ref, shared,
					 LPS_REMOTE_SHARED_BRANCH, commit, 0,
					 "lps: roundtable change");
	lps_refguard_release_shared(&guard);
	if (r == GIT_EMODIFIED || r == GIT_EEXISTS || r == GIT_ELOCKED) {
		/* Another member moved (or is moving) the branch. */
		snprintf(why, whysize, "%s: %s", LPS_REMOTE_SHARED_BRANCH,
			 r == GIT_ELOCKED ? "ref lock held by another push"
			 : "fetch first: the branch moved");
		git_error_clear();
		*rejected = 1;
	} else if (r < 0) {
		err = git_fail("updating the roundtable branch");
	}
out:
	git_reference_free(ref);
	git_commit_free(c);
	git_odb_free(src);
	git_odb_free(dst);
	git_repository_free(shared);
	return err;
}

/* An anonymous remote for the roundtable's URL (not git_remote_lookup:
 * libgit2 1.5 leaks in its config regex matching). */
static struct lps_error *open_remote(git_remote **out, git_repository *repo,
				     const char *url)
{
	git_remote_create_options o;
	git_remote_create_options_init(&o, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	o.repository = repo;
	o.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF |
		  GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	if (git_remote_create_with_opts(out, url, &o) < 0)
		return git_fail("opening the roundtable remote");
	return NULL;
}

/* Push through libgit2 (git://, ssh://, https://): receive-pack checks
 * the old value; a refusal comes back through the push_update_reference
 * callback (t->rejected) or, for some transports and for libgit2's own
 * "the remote has commits you have not fetched", as an error. */
static struct lps_error *push_remote(git_repository *repo, const char *url,
				     const git_oid *commit,
				     struct lps_transport *t, int *rejected)
{
	git_reference *ref = NULL;
	git_remote *remote = NULL;
	char *spec = OUTGOING_REF ":" LPS_REMOTE_SHARED_BRANCH;
	git_strarray specs = { &spec, 1 };
	git_push_options opts;

	if (git_reference_create(&ref, repo, OUTGOING_REF, commit, 1,
				 "lps: roundtable change") < 0)
		return git_fail("recording the roundtable commit");
	git_reference_free(ref);
	struct lps_error *err = open_remote(&remote, repo, url);
	if (err)
		return err;
	git_push_options_init(&opts, GIT_PUSH_OPTIONS_VERSION);
	lps_transport_set_url(t, url);
	lps_transport_callbacks(&opts.callbacks, t);
	int r = git_remote_push(remote, &specs, &opts);
	const git_error *ge = r < 0 ? git_error_last() : NULL;
	const char *msg = ge && ge->message ? ge->message : "failed";
	if (t->rejected[0]) {
		*rejected = 1;
	} else if (r == GIT_ENONFASTFORWARD || strstr(msg, "rejected") ||
		   strstr(msg, "fast-forward") || strstr(msg, "declined") ||
		   strstr(msg, "not present locally")) {
		snprintf(t->rejected, sizeof(t->rejected), "%s", msg);
		*rejected = 1;
	} else if (r < 0) {
		err = lps_error_new(LPS_ESYS, "push to %s: %s", url, msg);
	}
	git_error_clear();
	git_remote_free(remote);
	return err;
}

/* Push commit, built on old (NULL: the branch is new), to
 * refs/heads/roundtable; *rejected set when the roundtable refused the
 * update (reason in t->rejected). */
static struct lps_error *push(struct lps_store *store, const git_oid *commit,
			      const git_oid *old, struct lps_transport *t,
			      int *rejected)
{
	git_repository *repo = lps_store_repo(store);
	git_reference *ref = NULL;
	char *url = NULL, *path = NULL;

	*rejected = 0;
	t->rejected[0] = '\0';
	struct lps_error *err = lps_remote_url(&url, store);
	if (err)
		return err;
	path = lps_remote_local_path(url);
	if (path)
		err = push_local(path, repo, commit, old, rejected,
				 t->rejected, sizeof(t->rejected));
	else
		err = push_remote(repo, url, commit, t, rejected);
	if (!err && !*rejected) {
		/* What was pushed is now the fetched state. */
		if (git_reference_create(&ref, repo, LPS_REMOTE_SHARED_TRACK,
					 commit, 1, "lps: pushed") < 0)
			err = git_fail("updating the roundtable ref");
		git_reference_free(ref);
	}
	free(path);
	free(url);
	return err;
}

static struct lps_error *publish(git_oid *out, struct lps_store *store,
				 const struct lps_shared_change *c,
				 struct lps_transport *t);

/* What the server said during the attempts, held back: a lost race
 * that is retried and then lands is no news ("remote: error: cannot
 * lock ref ..." from the loser's first try), so it is shown only when
 * the change does not land. */
struct held {
	struct lps_buf text;
	lps_transport_message_fn real;
	lps_transport_progress_fn progress;
	void *real_ctx;
};

/* t->ctx is the held record while it is installed: progress goes on. */
static void held_progress(void *ctx, const char *stage, size_t done,
			  size_t total)
{
	struct held *h = ctx;
	if (h->progress)
		h->progress(h->real_ctx, stage, done, total);
}

static void hold(void *ctx, const char *text, size_t len)
{
	struct held *h = ctx;
	if (lps_buf_add(&h->text, text, len) < 0 ||
	    lps_buf_addc(&h->text, '\n') < 0)
		return; /* out of memory: the message is lost, not the change */
}

struct lps_error *lps_meeting_publish(git_oid *out, struct lps_store *store,
				      const struct lps_shared_change *c,
				      struct lps_transport *t)
{
	struct lps_error *err = lps_refguard_take(lps_store_repo(store));
	if (err)
		return err;
	struct held h = { LPS_BUF_INIT, NULL, NULL, NULL };
	if (t && t->message) {
		h.real = t->message;
		h.progress = t->progress;
		h.real_ctx = t->ctx;
		t->message = hold;
		t->progress = h.progress ? held_progress : NULL;
		t->ctx = &h;
	}
	err = publish(out, store, c, t);
	if (h.real) {
		t->message = h.real;
		t->progress = h.progress;
		t->ctx = h.real_ctx;
		for (size_t i = 0; err && i < h.text.len;) {
			size_t n = strcspn(h.text.data + i, "\n");
			h.real(h.real_ctx, h.text.data + i, n);
			i += n + 1;
		}
	}
	lps_buf_free(&h.text);
	lps_refguard_release();
	return err;
}

static struct lps_error *publish(git_oid *out, struct lps_store *store,
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
	int fetched = 0;
	for (int tries = 0; tries < LPS_SHARED_MAX_TRIES; tries++) {
		if (!fetched)
			err = lps_remote_fetch(store, t);
		fetched = 0;
		if (!err)
			err = lps_meeting_tip(&tip, &found, store);
		if (!err)
			err = build_commit(&commit, lps_store_repo(store),
					   found ? &tip : NULL, c);
		if (!err)
			err = push(store, &commit, found ? &tip : NULL, t,
				   &rejected);
		if (err)
			return err;
		if (!rejected)
			break;
		/* Refused: another member pushed first, or the guard said
		 * no.  (The fetch resets t's record of the refusal: keep
		 * it.) */
		git_oid again;
		int found2;
		char why[sizeof(t->rejected)];
		memcpy(why, t->rejected, sizeof(why));
		err = lps_remote_fetch(store, t);
		if (!err)
			err = lps_meeting_tip(&again, &found2, store);
		if (err)
			return err;
		fetched = 1;
		int moved = found2 != found ||
			(found && !git_oid_equal(&again, &tip));
		/* A ref lock held by another push, or a non-fast-forward
		 * whose winner is not visible yet, is a race as well. */
		int racy = strstr(why, "lock") || strstr(why, "fast-forward") ||
			strstr(why, "fetch first") ||
			strstr(why, "not present locally");
		if (!racy && !moved)
			return lps_error_new(LPS_EREFUSED,
					     "the roundtable refused the "
					     "change: %s", why);
		if (tries + 1 == LPS_SHARED_MAX_TRIES)
			return lps_error_new(LPS_ECONFLICT,
					     "the roundtable branch kept "
					     "moving; gave up after %d tries",
					     LPS_SHARED_MAX_TRIES);
		if (!moved) {
			/* The winner is still writing: let it finish, and
			 * spread the retries of several losers apart. */
			long ms = 20L * (tries + 1) + getpid() % 17;
			struct timespec ts = { 0, ms * 1000000L };
			nanosleep(&ts, NULL);
			fetched = 0;
		}
	}
	if (out)
		*out = commit;
	return NULL;
}

/* ---- norms ---- */

#define MAX_NORMS_FINDINGS 20

struct lps_error *lps_meeting_norms_check(const char *text, size_t len)
{
	const struct lps_registry *reg;
	struct lps_findings fs = LPS_FINDINGS_INIT;
	struct lps_doc *doc = NULL;
	struct lps_buf msg = LPS_BUF_INIT;
	int valid = 0;

	struct lps_error *err = lps_registry_get(&reg);
	if (!err)
		err = lps_doc_load(&doc, LPS_MEETING_NORMS_PATH, text, len,
				   NULL);
	if (!err)
		err = lps_registry_validate(&valid, &fs, reg, "norms",
					    lps_doc_root(doc));
	if (!err && !valid) {
		int bad = 0;
		for (size_t i = 0; i < fs.n && i < MAX_NORMS_FINDINGS; i++) {
			const struct lps_finding *x = &fs.items[i];
			bad |= lps_buf_addf(&msg, "%s%s:%u:%u: %s%s%s",
					    i ? "\n" : "",
					    LPS_MEETING_NORMS_PATH, x->line,
					    x->col, x->path,
					    *x->path ? ": " : "",
					    x->message) < 0;
		}
		err = bad ? lps_error_nomem() :
		      lps_error_new(LPS_EINVALID, "%s", msg.data);
	}
	lps_buf_free(&msg);
	lps_findings_free(&fs);
	lps_doc_free(doc);
	return err;
}

/* The length of the line at s (up to and with its newline). */
static size_t line_len(const char *s, const char *end)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	return nl ? (size_t)(nl - s) + 1 : (size_t)(end - s);
}

/* 1 when the line is the top-level key k ("by") with its value on the
 * same line; -1 when it is k but the value may go on below (a block
 * scalar, or nothing after the colon); 0 otherwise. */
static int key_line(const char *s, size_t n, const char *k)
{
	size_t kl = strlen(k);
	if (n <= kl || strncmp(s, k, kl) || s[kl] != ':')
		return 0;
	const char *v = s + kl + 1, *end = s + n;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	if (v == end || *v == '\n' || *v == '\r' || *v == '#' || *v == '|' ||
	    *v == '>' || *v == '&' || *v == '!' || *v == '"' || *v == '\'')
		return -1;
	return 1;
}

/* The textual way; 1 when the layout did not allow it. */
static int stamp_text(struct lps_buf *out, const char *text, size_t len,
		      const char *date, const char *by)
{
	const char *s = text, *end = text + len;
	int placed = 0;
	while (s < end) {
		size_t n = line_len(s, end);
		int u = key_line(s, n, "updated"), b = key_line(s, n, "by");
		if (u < 0 || b < 0)
			return 1;
		if (!u && !b && lps_buf_add(out, s, n) < 0)
			return -1;
		if (!placed && key_line(s, n, "lps") == 1) {
			if (s[n - 1] != '\n' && lps_buf_addc(out, '\n') < 0)
				return -1;
			if (lps_buf_addf(out, "updated: %s\nby: %s\n", date,
					 by) < 0)
				return -1;
			placed = 1;
		}
		s += n;
	}
	return placed ? 0 : 1;
}

/* The canonical way: set the keys in the tree and emit it again. */
static struct lps_error *stamp_tree(struct lps_buf *out, const char *text,
				    size_t len, const char *date,
				    const char *by)
{
	const struct lps_registry *reg;
	struct lps_doc *doc = NULL;
	struct lps_error *err = lps_registry_get(&reg);
	if (!err)
		err = lps_doc_load(&doc, LPS_MEETING_NORMS_PATH, text, len,
				   NULL);
	if (err)
		return err;
	struct lps_node *root = lps_doc_root(doc);
	if (set_str(doc, root, "updated", date) < 0 ||
	    set_str(doc, root, "by", by) < 0)
		err = lps_error_nomem();
	if (!err) {
		lps_schema_sort_keys(lps_registry_schema(reg, "norms"), root);
		err = lps_doc_emit(root, out);
	}
	lps_doc_free(doc);
	return err;
}

struct lps_error *lps_meeting_norms_stamp(struct lps_buf *out,
					  const char *text, size_t len,
					  const char *date, const char *by)
{
	size_t start = out->len;
	struct lps_error *err = lps_meeting_norms_check(text, len);
	if (err)
		return err;
	int r = stamp_text(out, text, len, date, by);
	if (r < 0)
		return lps_error_nomem();
	if (r == 0) {
		/* Keep the user's text only when it still says the same
		 * with the two new values (a key written twice, say, would
		 * not load). */
		err = lps_meeting_norms_check(out->data + start,
					      out->len - start);
		if (!err)
			return NULL;
		if (err->code == LPS_ENOMEM)
			return err;
		lps_error_free(err);
	}
	out->len = start;
	if (out->data)
		out->data[start] = '\0';
	err = stamp_tree(out, text, len, date, by);
	if (!err)
		err = lps_meeting_norms_check(out->data + start,
					      out->len - start);
	return err;
}
