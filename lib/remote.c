/*
 * remote.c - join/leave, push, fetch and pull for the roundtable, and
 * members read from the fetched refs.  remote.h has the design.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <time.h>
#include <sys/stat.h>

#include "buf.h"
#include "doc.h"
#include "projection.h"
#include "remote.h"
#include "refguard.h"
#include "guard.h"
#include "txn.h"
#include "uri.h"

/* Most conflicting paths named in one refusal; most members listed. */
#define MAX_NAMED 10
#define MAX_MEMBERS 10000

static struct lps_error *git_fail(const char *fmt, const char *arg)
{
	const git_error *e = git_error_last();
	char what[600];
	snprintf(what, sizeof(what), fmt, arg ? arg : "");
	return lps_error_new(LPS_ESYS, "%s: %s", what,
			     e && e->message ? e->message : "unknown error");
}

int lps_remote_handle_valid(const char *h)
{
	size_t n = strlen(h);
	if (n == 0 || n > LPS_HANDLE_MAX || h[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((h[i] >= 'a' && h[i] <= 'z') ||
		      (h[i] >= '0' && h[i] <= '9') || h[i] == '-'))
			return 0;
	return 1;
}

static struct lps_error *not_joined(void)
{
	return lps_error_new(LPS_ENOTFOUND, "not in a roundtable; run lps "
			     "roundtable join URL --as HANDLE");
}

/* The URL of the remote (malloc'd) or NULL.  Read straight from the
 * config: libgit2 1.5's remote lookup leaks in its regex matching (pcre2
 * match data on every non-matching config entry). */
static char *remote_url(git_repository *repo)
{
	git_config *cfg = NULL;
	git_buf b = { 0 };
	char *url = NULL;
	if (git_repository_config_snapshot(&cfg, repo) == 0 &&
	    git_config_get_string_buf(&b, cfg, LPS_REMOTE_URL_KEY) == 0 &&
	    b.ptr && *b.ptr)
		url = strdup(b.ptr);
	git_error_clear();
	git_buf_dispose(&b);
	git_config_free(cfg);
	return url;
}

static int remote_exists(git_repository *repo)
{
	char *url = remote_url(repo);
	free(url);
	return url != NULL;
}

struct lps_error *lps_remote_handle(char *out, struct lps_store *store)
{
	git_repository *repo = lps_store_repo(store);
	git_config *cfg = NULL;
	git_buf b = { 0 };
	struct lps_error *err = NULL;
	if (git_repository_config_snapshot(&cfg, repo) < 0)
		return git_fail("read git config", NULL);
	if (git_config_get_string_buf(&b, cfg, LPS_REMOTE_HANDLE_KEY) < 0 ||
	    !remote_exists(repo)) {
		git_error_clear();
		err = not_joined();
	} else if (!lps_remote_handle_valid(b.ptr)) {
		err = lps_error_new(LPS_EINVALID, "git config lps.handle: "
				    "\"%s\" is not a valid handle", b.ptr);
	} else {
		snprintf(out, LPS_HANDLE_MAX + 1, "%s", b.ptr);
	}
	git_buf_dispose(&b);
	git_config_free(cfg);
	return err;
}

struct lps_error *lps_remote_url(char **out, struct lps_store *store)
{
	*out = remote_url(lps_store_repo(store));
	return *out ? NULL : not_joined();
}

/* ---- join / leave ---- */

static struct lps_error *commit_handle(struct lps_portfolio *p,
				       const char *handle, int *committed)
{
	const struct lps_doc *meta = lps_portfolio_meta(p);
	const struct lps_node *owner = lps_map_get(lps_doc_root(meta),
						   "owner");
	const char *now = lps_node_str(lps_map_get(owner, "handle"));
	if (now && !strcmp(now, handle))
		return NULL;
	struct lps_doc *doc = NULL;
	struct lps_txn *txn = NULL;
	char what[80];
	struct lps_error *err = lps_doc_new(&doc, "lps.yaml");
	if (err)
		return err;
	struct lps_node *root = lps_doc_copy(doc, lps_doc_root(meta));
	struct lps_node *o = root ? lps_map_get(root, "owner") : NULL;
	struct lps_node *h = lps_doc_new_string(doc, handle);
	if (!root || !o || !h || lps_map_set(doc, o, "handle", h) < 0) {
		err = o || !root ? lps_error_nomem() :
		      lps_error_new(LPS_EINVALID, "lps.yaml has no owner");
		goto out;
	}
	snprintf(what, sizeof(what), "join as %s", handle);
	if ((err = lps_txn_begin(&txn, p)) ||
	    (err = lps_txn_put(txn, "lps.yaml", root)) ||
	    (err = lps_txn_commit(txn, "roundtable", what, "roundtable join",
				  NULL, 0, NULL)))
		goto out;
	if (committed)
		*committed = 1;
out:
	lps_txn_free(txn);
	lps_doc_free(doc);
	return err;
}

struct lps_error *lps_remote_join(struct lps_portfolio *p, const char *url,
				  const char *handle, int *committed)
{
	struct lps_store *store = lps_portfolio_store(p);
	git_repository *repo = lps_store_repo(store);
	git_config *cfg = NULL;
	struct lps_error *err;
	char *old;
	if (committed)
		*committed = 0;
	if (!lps_remote_handle_valid(handle))
		return lps_error_new(LPS_EUSAGE, "invalid handle \"%s\": use "
				     "1 to %d lowercase letters, digits and "
				     "dashes, not starting with a dash",
				     handle, LPS_HANDLE_MAX);
	if (!*url)
		return lps_error_new(LPS_EUSAGE, "empty roundtable URL");
	if ((old = remote_url(repo))) {
		err = lps_error_new(LPS_EREFUSED, "already in a roundtable at "
				    "%s; run lps roundtable leave first", old);
		free(old);
		return err;
	}
	if ((err = commit_handle(p, handle, committed)))
		return err;
	/* One refspec, so plain git and libgit2 see an ordinary remote
	 * whose tracking refs are the ones named in remote.h. */
	if (git_repository_config(&cfg, repo) < 0 ||
	    git_config_set_string(cfg, "remote." LPS_REMOTE_NAME ".fetch",
				  LPS_REMOTE_FETCH_SPEC) < 0 ||
	    git_config_set_string(cfg, LPS_REMOTE_HANDLE_KEY, handle) < 0 ||
	    git_config_set_string(cfg, LPS_REMOTE_URL_KEY, url) < 0)
		err = git_fail("configure remote %s", LPS_REMOTE_NAME);
	git_config_free(cfg);
	return err;
}

static struct lps_error *leave(git_repository *repo);

struct lps_error *lps_remote_leave(struct lps_store *store)
{
	git_repository *repo = lps_store_repo(store);
	struct lps_error *err;
	if (!remote_exists(repo))
		return not_joined();
	if ((err = lps_refguard_take(repo)))
		return err;
	err = leave(repo);
	lps_refguard_release();
	return err;
}

static struct lps_error *leave(git_repository *repo)
{
	git_config *cfg = NULL;
	git_reference *ref = NULL;
	struct lps_error *err = NULL;
	git_reference_iterator *it = NULL;
	/* libgit2 cannot remove a remote with two fetch refspecs (a
	 * multivar), so the refspecs and tracking refs go first. */
	if (git_repository_config(&cfg, repo) < 0)
		return git_fail("read git config", NULL);
	static const char *const keys[] = { LPS_REMOTE_URL_KEY,
		"remote." LPS_REMOTE_NAME ".fetch", LPS_REMOTE_HANDLE_KEY };
	for (size_t i = 0; i < 3; i++)
		if (git_config_delete_entry(cfg, keys[i]) < 0)
			git_config_delete_multivar(cfg, keys[i], ".*");
	git_error_clear();
	if (git_reference_iterator_glob_new(&it, repo, "refs/remotes/"
					    LPS_REMOTE_NAME "/*") == 0) {
		while (git_reference_next(&ref, it) == 0) {
			git_reference_delete(ref);
			git_reference_free(ref);
		}
		git_reference_iterator_free(it);
	}
	ref = NULL;
	git_error_clear();
	git_config_free(cfg);
	if (remote_exists(repo))
		return lps_error_new(LPS_ESYS, "could not remove %s from git "
				     "config", LPS_REMOTE_URL_KEY);
	if (git_reference_lookup(&ref, repo, LPS_REMOTE_PUBLISHED_REF) == 0) {
		if (git_reference_delete(ref) < 0 && !err)
			err = git_fail("delete %s", LPS_REMOTE_PUBLISHED_REF);
		git_reference_free(ref);
	}
	git_error_clear();
	return err;
}

/* ---- push ---- */

char *lps_remote_local_path(const char *url)
{
	if (!strncmp(url, "file://", 7)) {
		const char *p = url + 7;
		size_t n = strlen(p);
		char *out = malloc(n + 1);
		if (out)
			out[lps_uri_unescape(out, p, n)] = '\0';
		return out;
	}
	if (strstr(url, "://"))
		return NULL;
	struct stat st;
	if (stat(url, &st) == 0 && S_ISDIR(st.st_mode))
		return strdup(url);
	return NULL;
}



/* An anonymous remote for the configured URL; refspecs are passed to
 * each operation.  (Not git_remote_lookup: see remote_url.) */
static struct lps_error *lookup_remote(git_remote **out, git_repository *repo)
{
	git_remote_create_options o;
	char *url = remote_url(repo);
	*out = NULL;
	if (!url)
		return not_joined();
	git_remote_create_options_init(&o, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	o.repository = repo;
	o.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF |
		  GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	int rc = git_remote_create_with_opts(out, url, &o);
	struct lps_error *err = rc < 0 ? git_fail("open remote %s", url) :
				NULL;
	free(url);
	return err;
}

/* Project HEAD; *made counts the commits projected. */
static struct lps_error *project_head(git_oid *out, size_t *made,
				      struct lps_portfolio *p)
{
	struct lps_projection *pj = NULL;
	struct lps_error *err = lps_projection_open(
		&pj, lps_store_repo(lps_portfolio_store(p)));
	if (!err)
		err = lps_projection_commit(out, pj, lps_portfolio_head(p),
					    made);
	lps_projection_free(pj);
	return err;
}

static struct lps_error *set_ref(git_repository *repo, const char *name,
				 const git_oid *id, const char *log)
{
	git_reference *ref = NULL;
	if (git_reference_create(&ref, repo, name, id, 1, log) < 0)
		return git_fail("update %s", name);
	git_reference_free(ref);
	return NULL;
}

/* The remote's members/<handle>, from the advertisement (zero: none). */
static struct lps_error *remote_tip(git_oid *out, git_remote *r,
				    const char *refname)
{
	const git_remote_head **heads;
	size_t n;
	memset(out, 0, sizeof(*out));
	if (git_remote_ls(&heads, &n, r) < 0)
		return git_fail("list the refs of %s", git_remote_url(r));
	for (size_t i = 0; i < n; i++)
		if (!strcmp(heads[i]->name, refname))
			*out = heads[i]->oid;
	return NULL;
}

static struct lps_error *pull_first(const char *handle)
{
	return lps_error_new(LPS_EREFUSED, "members/%s on the roundtable has "
			     "commits this machine has not seen; run lps pull "
			     "first", handle);
}

static size_t count_new(git_repository *repo, const git_oid *tip,
			const git_oid *old)
{
	git_revwalk *w = NULL;
	git_oid id;
	size_t n = 0;
	if (git_revwalk_new(&w, repo) < 0 || git_revwalk_push(w, tip) < 0 ||
	    (!git_oid_is_zero(old) && git_revwalk_hide(w, old) < 0)) {
		git_revwalk_free(w);
		git_error_clear();
		return 0;
	}
	while (git_revwalk_next(&id, w) == 0)
		n++;
	git_revwalk_free(w);
	git_error_clear();
	return n;
}

struct lps_error *lps_remote_push(struct lps_remote_push_result *res,
				  struct lps_portfolio *p,
				  struct lps_transport *t)
{
	struct lps_store *store = lps_portfolio_store(p);
	git_repository *repo = lps_store_repo(store);
	git_remote *r = NULL;
	git_push_options opts;
	git_remote_callbacks cb;
	struct lps_transport none;
	struct lps_refguard_shared shared = { -1, "" };
	char *lp = NULL;
	char dst[256], track[256], spec[600];
	git_oid roid;
	struct lps_error *err;
	memset(res, 0, sizeof(*res));
	if ((err = lps_refguard_take(repo)))
		return err;
	if ((err = lps_remote_handle(res->handle, store)) ||
	    (err = lookup_remote(&r, repo)) ||
	    (err = project_head(&res->published, &res->projected, p)) ||
	    (err = set_ref(repo, LPS_REMOTE_PUBLISHED_REF, &res->published,
			   "lps push: projection of HEAD")))
		goto out;
	snprintf(dst, sizeof(dst), LPS_REMOTE_MEMBER_PREFIX "%s", res->handle);
	snprintf(track, sizeof(track), LPS_REMOTE_TRACK_PREFIX "%s",
		 res->handle);
	git_push_options_init(&opts, GIT_PUSH_OPTIONS_VERSION);
	git_remote_init_callbacks(&cb, GIT_REMOTE_CALLBACKS_VERSION);
	if (!t) {
		lps_transport_init(&none);
		t = &none;
	}
	lps_transport_set_url(t, git_remote_url(r));
	lps_transport_callbacks(&cb, t);
	opts.callbacks = cb;
	if (git_remote_connect(r, GIT_DIRECTION_PUSH, &cb, NULL, NULL) < 0) {
		err = git_fail("connect to %s", git_remote_url(r));
		goto out;
	}
	if ((err = remote_tip(&roid, r, dst)))
		goto out;
	if (git_oid_equal(&roid, &res->published)) {
		res->up_to_date = 1;
		err = set_ref(repo, track, &roid, "lps push: up to date");
		goto out;
	}
	if (!git_oid_is_zero(&roid) &&
	    git_graph_descendant_of(repo, &res->published, &roid) != 1) {
		git_error_clear();
		err = pull_first(res->handle);
		goto out;
	}
	/* libgit2 runs no hook when the roundtable is on this machine: ask
	 * its guard ourselves, as the hook would. */
	const char *url = git_remote_url(r);
	lp = lps_remote_local_path(url);
	if (lp) {
		char objdir[PATH_MAX];
		snprintf(objdir, sizeof(objdir), "%sobjects",
			 git_repository_path(repo));
		struct lps_error *no = lps_guard_check_local(
			lp, objdir, dst, &roid, &res->published);
		if (!no)
			no = lps_refguard_take_shared(&shared, lp);
		if (no && no->code != LPS_ESYS && no->code != LPS_ENOMEM) {
			char *why = lps_error_format(no);
			lps_error_free(no);
			err = lps_error_new(LPS_EREFUSED, "the roundtable "
					    "refused members/%s: lps-guard: "
					    "%s", res->handle,
					    why ? why : "refused");
			free(why);
			goto out;
		}
		if (no) {
			err = no;
			goto out;
		}
	}
	res->sent = count_new(repo, &res->published, &roid);
	snprintf(spec, sizeof(spec), "%s:%s", LPS_REMOTE_PUBLISHED_REF, dst);
	char *specs[] = { spec };
	git_strarray refspecs = { specs, 1 };
	int rc = git_remote_push(r, &refspecs, &opts);
	if (rc == GIT_ENONFASTFORWARD) {
		err = pull_first(res->handle);
	} else if (rc < 0) {
		err = git_fail("push to %s", git_remote_url(r));
	} else if (t && t->rejected[0]) {
		err = lps_error_new(LPS_EREFUSED, "the roundtable refused %s",
				    t->rejected);
	} else {
		err = set_ref(repo, track, &res->published, "lps push");
	}
out:
	lps_refguard_release_shared(&shared);
	free(lp);
	if (r)
		git_remote_disconnect(r);
	git_remote_free(r);
	lps_refguard_release();
	return err;
}

/* ---- fetch ---- */

struct lps_error *lps_remote_fetch(struct lps_store *store,
				   struct lps_transport *t)
{
	git_repository *repo = lps_store_repo(store);
	git_remote *r = NULL;
	git_fetch_options opts;
	struct lps_error *err = lookup_remote(&r, repo);
	if (err)
		return err;
	if ((err = lps_refguard_take(repo))) {
		git_remote_free(r);
		return err;
	}
	git_fetch_options_init(&opts, GIT_FETCH_OPTIONS_VERSION);
	opts.update_fetchhead = 0;
	struct lps_transport none;
	if (!t) {
		lps_transport_init(&none);
		t = &none;
	}
	lps_transport_set_url(t, git_remote_url(r));
	lps_transport_callbacks(&opts.callbacks, t);
	opts.prune = GIT_FETCH_PRUNE;
	opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	char *specs[] = { "+" LPS_REMOTE_MEMBER_PREFIX "*:"
			  LPS_REMOTE_TRACK_PREFIX "*",
			  "+" LPS_REMOTE_SHARED_BRANCH ":"
			  LPS_REMOTE_SHARED_TRACK };
	git_strarray refspecs = { specs, 2 };
	if (git_remote_fetch(r, &refspecs, &opts, "lps pull") < 0)
		err = git_fail("fetch from %s", git_remote_url(r));
	lps_refguard_release();
	git_remote_free(r);
	return err;
}

/* ---- pull ---- */

/* A sorted, growable set of paths. */
struct paths {
	char **v;
	size_t n, cap;
};

static void paths_free(struct paths *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

static int paths_add(struct paths *s, const char *p)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 64;
		char **nv = realloc(s->v, ncap * sizeof(*nv));
		if (!nv)
			return -1;
		s->v = nv;
		s->cap = ncap;
	}
	if (!(s->v[s->n] = strdup(p)))
		return -1;
	s->n++;
	return 0;
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int paths_has(const struct paths *s, const char *p)
{
	return bsearch(&p, s->v, s->n, sizeof(*s->v), cmpstr) != NULL;
}

/* Add the paths changed between commits a (NULL: empty) and b. */
static struct lps_error *changed_paths(struct paths *s, git_repository *repo,
				       const git_oid *a, const git_oid *b)
{
	git_commit *ca = NULL, *cb = NULL;
	git_tree *ta = NULL, *tb = NULL;
	git_diff *diff = NULL;
	git_diff_options dopt;
	struct lps_error *err = NULL;
	git_diff_options_init(&dopt, GIT_DIFF_OPTIONS_VERSION);
	if ((a && (git_commit_lookup(&ca, repo, a) < 0 ||
		   git_commit_tree(&ta, ca) < 0)) ||
	    git_commit_lookup(&cb, repo, b) < 0 ||
	    git_commit_tree(&tb, cb) < 0 ||
	    git_diff_tree_to_tree(&diff, repo, ta, tb, &dopt) < 0) {
		err = git_fail("compare commits", NULL);
		goto out;
	}
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if (paths_add(s, d->new_file.path ? d->new_file.path :
				 d->old_file.path) < 0) {
			err = lps_error_nomem();
			break;
		}
	}
out:
	git_diff_free(diff);
	git_tree_free(ta);
	git_tree_free(tb);
	git_commit_free(ca);
	git_commit_free(cb);
	return err;
}

static int is_replay(git_commit *c)
{
	return strstr(git_commit_message_raw(c),
		      "\n" LPS_REMOTE_REPLAY_TRAILER ": ") != NULL;
}

/*
 * Paths changed by local commits not yet published: the first-parent
 * commits of HEAD whose projection is not already part of base,
 * leaving out commits that are themselves replays.
 */
/* The local commits not yet published, newest first, and the commit
 * they follow (the fork point), whose projection is exactly base. */
struct local_line {
	git_oid *v;
	size_t n, cap;
	git_oid fork;
	int have_fork;
};

static struct lps_error *local_changes(struct paths *s,
				       struct local_line *line,
				       struct lps_projection *pj,
				       git_repository *repo,
				       const git_oid *head,
				       const git_oid *base)
{
	git_oid cur = *head, pub;
	struct lps_error *err = NULL;
	for (;;) {
		git_commit *c = NULL;
		if ((err = lps_projection_commit(&pub, pj, &cur, NULL)))
			return err;
		if (git_oid_equal(&pub, base)) {
			line->fork = cur;
			line->have_fork = 1;
			return NULL;
		}
		if (git_graph_descendant_of(repo, base, &pub) == 1)
			return NULL;
		git_error_clear();
		if (line->n == line->cap) {
			size_t nc = line->cap ? 2 * line->cap : 16;
			git_oid *nv = realloc(line->v, nc * sizeof(*nv));
			if (!nv)
				return lps_error_nomem();
			line->v = nv;
			line->cap = nc;
		}
		line->v[line->n++] = cur;
		if (git_commit_lookup(&c, repo, &cur) < 0)
			return git_fail("read a local commit", NULL);
		const git_oid *parent = git_commit_parentcount(c) ?
					git_commit_parent_id(c, 0) : NULL;
		git_oid par;
		if (parent)
			par = *parent;
		if (!is_replay(c))
			err = changed_paths(s, repo, parent ? &par : NULL,
					    &cur);
		git_commit_free(c);
		if (err || !parent)
			return err;
		cur = par;
	}
}

/* Refuse naming every path both sides changed. */
static struct lps_error *check_conflicts(struct paths *local,
					 struct paths *remote,
					 const char *handle)
{
	struct lps_buf b = LPS_BUF_INIT;
	size_t named = 0, more = 0;
	if (!local->n)
		return NULL;
	qsort(local->v, local->n, sizeof(*local->v), cmpstr);
	for (size_t i = 0; i < remote->n; i++) {
		if (!paths_has(local, remote->v[i]))
			continue;
		int dup = 0;
		for (size_t k = 0; k < i; k++)
			dup = dup || !strcmp(remote->v[k], remote->v[i]);
		if (dup)
			continue;
		if (named < MAX_NAMED) {
			if (lps_buf_addf(&b, "%s%s", named ? ", " : "",
					 remote->v[i]) < 0) {
				lps_buf_free(&b);
				return lps_error_nomem();
			}
			named++;
		} else {
			more++;
		}
	}
	if (!named)
		return NULL;
	struct lps_error *err = lps_error_new(
		LPS_EREFUSED, "both this machine and the roundtable copy "
		"changed %s%s%.0zu%s; nothing was pulled: keep the change "
		"on one machine (the published version is at %s%s)",
		b.data, more ? " and " : "", more, more ? " more" : "",
		LPS_REMOTE_TRACK_PREFIX, handle);
	lps_buf_free(&b);
	return err;
}

/* Q's message with the replay trailer added. */
static struct lps_error *replay_message(char **out, git_commit *q)
{
	struct lps_buf b = LPS_BUF_INIT, clean = LPS_BUF_INIT;
	const char *m = git_commit_message(q);
	/* A replay of a replay names only the commit it comes from. */
	for (const char *l = m; *l;) {
		size_t ll = strcspn(l, "\n");
		if (strncmp(l, LPS_REMOTE_REPLAY_TRAILER ": ",
			    sizeof(LPS_REMOTE_REPLAY_TRAILER) + 1) &&
		    lps_buf_add(&clean, l, ll + (l[ll] == '\n')) < 0) {
			lps_buf_free(&clean);
			return lps_error_nomem();
		}
		l += ll + (l[ll] == '\n');
	}
	m = clean.data ? clean.data : "";
	size_t len = strlen(m);
	while (len && (m[len - 1] == '\n' || m[len - 1] == ' '))
		len--;
	const char *last = m + len;
	while (last > m && last[-1] != '\n')
		last--;
	int trailers = !strncmp(last, "LPS-", 4);
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), git_commit_id(q));
	int bad = lps_buf_add(&b, m, len) < 0 ||
		  lps_buf_addf(&b, "%s%s: %s\n", trailers ? "\n" : "\n\n",
			       LPS_REMOTE_REPLAY_TRAILER, hex) < 0;
	lps_buf_free(&clean);
	if (bad) {
		lps_buf_free(&b);
		return lps_error_nomem();
	}
	*out = b.data;
	return NULL;
}

/* Set GIT_AUTHOR_* to q's author for the store, keeping the old values. */
struct saved_env {
	char *v[3];
	int had[3];
};
static const char *const author_vars[3] = { "GIT_AUTHOR_NAME",
					    "GIT_AUTHOR_EMAIL",
					    "GIT_AUTHOR_DATE" };

static int author_env(struct saved_env *s, const git_signature *a)
{
	char date[64];
	int off = a->when.offset;
	snprintf(date, sizeof(date), "%lld %c%02d%02d",
		 (long long)a->when.time, off < 0 ? '-' : '+',
		 abs(off) / 60, abs(off) % 60);
	const char *vals[3] = { a->name, a->email, date };
	for (int i = 0; i < 3; i++) {
		const char *old = getenv(author_vars[i]);
		s->had[i] = old != NULL;
		s->v[i] = old ? strdup(old) : NULL;
		if ((old && !s->v[i]) || setenv(author_vars[i], vals[i], 1))
			return -1;
	}
	return 0;
}

static void restore_env(struct saved_env *s)
{
	for (int i = 0; i < 3; i++) {
		if (s->had[i] && s->v[i])
			setenv(author_vars[i], s->v[i], 1);
		else
			unsetenv(author_vars[i]);
		free(s->v[i]);
		s->v[i] = NULL;
	}
}

/* Add to cs what commit c changed relative to its first parent,
 * leaving out what tree have (may be NULL) already holds. */
static struct lps_error *commit_changes(struct lps_changeset *cs,
					git_repository *repo, git_commit *c,
					git_tree *have)
{
	git_commit *c1 = NULL;
	git_tree *t1 = NULL, *tc = NULL;
	struct lps_error *err = NULL;
	if ((git_commit_parentcount(c) &&
	     (git_commit_parent(&c1, c, 0) < 0 ||
	      git_commit_tree(&t1, c1) < 0)) ||
	    git_commit_tree(&tc, c) < 0)
		err = git_fail("read a commit to replay", NULL);
	else
		err = lps_changeset_add_diff(cs, repo, t1, tc, have);
	git_tree_free(t1);
	git_tree_free(tc);
	git_commit_free(c1);
	return err;
}

/* One local commit through the store from published commit q. */
static struct lps_error *replay_one(struct lps_store *store, git_commit *q)
{
	git_repository *repo = lps_store_repo(store);
	struct lps_changeset *cs = NULL;
	git_commit *head = NULL;
	git_tree *tree = NULL;
	char *msg = NULL;
	git_oid hid;
	struct saved_env env = { { NULL, NULL, NULL }, { 0, 0, 0 } };
	struct lps_error *err = lps_store_resolve(store, NULL, &hid);
	if (err || (err = lps_changeset_new(&cs)))
		goto out;
	if (git_commit_lookup(&head, repo, &hid) < 0 ||
	    git_commit_tree(&tree, head) < 0) {
		err = git_fail("read HEAD", NULL);
		goto out;
	}
	if ((err = commit_changes(cs, repo, q, tree)))
		goto out;
	if (!lps_changeset_count(cs)) {
		/* Nothing new here, but the commit must exist to carry the
		 * trailer: rewrite lps.yaml unchanged (same tree). */
		struct lps_buf b = LPS_BUF_INIT;
		err = lps_store_read(store, &hid, "lps.yaml", &b);
		if (!err)
			err = lps_changeset_write(cs, "lps.yaml", b.data,
						  b.len);
		lps_buf_free(&b);
		if (err)
			goto out;
	}
	if ((err = replay_message(&msg, q)))
		goto out;
	if (author_env(&env, git_commit_author(q)) < 0)
		err = lps_error_nomem();
	else
		err = lps_store_commit(store, cs, msg, NULL);
	restore_env(&env);
out:
	free(msg);
	git_tree_free(tree);
	git_commit_free(head);
	lps_changeset_free(cs);
	return err;
}

/* Replay the published commits after pub up to r, oldest first. */
static struct lps_error *replay_all(struct lps_remote_pull_result *res,
				    struct lps_store *store,
				    const git_oid *pub, const git_oid *r)
{
	git_repository *repo = lps_store_repo(store);
	git_revwalk *w = NULL;
	git_oid id;
	struct lps_error *err = NULL;
	if (git_revwalk_new(&w, repo) < 0 ||
	    git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL |
				   GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push(w, r) < 0 || git_revwalk_hide(w, pub) < 0) {
		git_revwalk_free(w);
		return git_fail("walk the published history", NULL);
	}
	while (!err && git_revwalk_next(&id, w) == 0) {
		git_commit *q = NULL;
		if (git_commit_lookup(&q, repo, &id) < 0) {
			err = git_fail("read a published commit", NULL);
			break;
		}
		err = replay_one(store, q);
		git_commit_free(q);
		if (!err)
			res->replayed++;
	}
	git_error_clear();
	git_revwalk_free(w);
	return err;
}

/* Build a commit on *cur from cs with message msg and author a; *cur
 * becomes it. */
static struct lps_error *build_on(git_oid *cur, struct lps_store *store,
				  struct lps_changeset *cs, const char *msg,
				  const git_signature *a)
{
	struct saved_env env = { { NULL, NULL, NULL }, { 0, 0, 0 } };
	struct lps_error *err;
	git_oid next;
	if (author_env(&env, a) < 0)
		err = lps_error_nomem();
	else
		err = lps_store_build(store, cur, cs, msg, &next);
	restore_env(&env);
	if (!err)
		*cur = next;
	return err;
}

/*
 * Both sides moved on: put the local commits not yet published on top
 * of the published ones, so the published history stays one line that
 * both machines agree on.  Each published commit after base is replayed
 * on the fork point (its projection is then that commit itself), then
 * each local commit's own change follows, with its message and author;
 * only objects are written until the one move of the branch from head.
 * check_conflicts has made sure no path is changed on both sides.
 */
static struct lps_error *rebase_all(struct lps_remote_pull_result *res,
				    struct lps_store *store,
				    const struct local_line *line,
				    const git_oid *head, const git_oid *pub,
				    const git_oid *r)
{
	git_repository *repo = lps_store_repo(store);
	git_revwalk *w = NULL;
	git_oid id, cur = line->fork;
	struct lps_error *err = NULL;
	size_t replayed = 0;
	if (git_revwalk_new(&w, repo) < 0 ||
	    git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL |
				   GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push(w, r) < 0 || git_revwalk_hide(w, pub) < 0) {
		git_revwalk_free(w);
		return git_fail("walk the published history", NULL);
	}
	while (!err && git_revwalk_next(&id, w) == 0) {
		git_commit *q = NULL, *base = NULL;
		git_tree *tree = NULL;
		struct lps_changeset *cs = NULL;
		char *msg = NULL;
		if (git_commit_lookup(&q, repo, &id) < 0 ||
		    git_commit_lookup(&base, repo, &cur) < 0 ||
		    git_commit_tree(&tree, base) < 0)
			err = git_fail("read a commit to replay", NULL);
		if (!err && !(err = lps_changeset_new(&cs)) &&
		    !(err = commit_changes(cs, repo, q, tree)) &&
		    !(err = replay_message(&msg, q)))
			err = build_on(&cur, store, cs, msg,
				       git_commit_author(q));
		free(msg);
		lps_changeset_free(cs);
		git_tree_free(tree);
		git_commit_free(base);
		git_commit_free(q);
		replayed++;
	}
	git_revwalk_free(w);
	for (size_t i = line->n; !err && i-- > 0;) {
		git_commit *u = NULL;
		struct lps_changeset *cs = NULL;
		if (git_commit_lookup(&u, repo, &line->v[i]) < 0)
			err = git_fail("read a local commit", NULL);
		if (!err && !(err = lps_changeset_new(&cs)) &&
		    !(err = commit_changes(cs, repo, u, NULL)))
			err = build_on(&cur, store, cs,
				       git_commit_message_raw(u),
				       git_commit_author(u));
		lps_changeset_free(cs);
		git_commit_free(u);
	}
	if (!err)
		err = lps_store_move(store, head, &cur, "lps pull: put the "
				     "local commits on top of the roundtable "
				     "copy");
	if (!err) {
		res->replayed = replayed;
		res->rebased = line->n;
	}
	return err;
}

struct lps_error *lps_remote_pull(struct lps_remote_pull_result *res,
				  struct lps_portfolio *p,
				  struct lps_transport *t)
{
	struct lps_store *store = lps_portfolio_store(p);
	git_repository *repo = lps_store_repo(store);
	struct lps_projection *pj = NULL;
	struct paths lp = { 0 }, rp = { 0 };
	struct local_line line = { 0 };
	char handle[LPS_HANDLE_MAX + 1];
	git_oid r, pub, base;
	struct lps_error *err;
	memset(res, 0, sizeof(*res));
	res->head = *lps_portfolio_head(p);
	if ((err = lps_remote_handle(handle, store)) ||
	    (err = lps_remote_fetch(store, t)))
		return err;
	struct lps_error *none = lps_remote_member_tip(&r, store, handle);
	if (none) {
		lps_error_free(none);
		git_error_clear();
		return NULL; /* nothing published yet */
	}
	if ((err = lps_projection_open(&pj, repo)) ||
	    (err = lps_projection_commit(&pub, pj, lps_portfolio_head(p),
					 NULL)))
		goto out;
	if (git_oid_equal(&pub, &r) ||
	    git_graph_descendant_of(repo, &pub, &r) == 1)
		goto out;
	git_error_clear();
	if (git_merge_base(&base, repo, &pub, &r) < 0) {
		git_error_clear();
		err = lps_error_new(LPS_EREFUSED, "members/%s on the "
				    "roundtable shares no history with this "
				    "portfolio", handle);
		goto out;
	}
	res->diverged = !git_oid_equal(&base, &pub);
	if ((err = changed_paths(&rp, repo, &base, &r)) ||
	    (res->diverged &&
	     (err = local_changes(&lp, &line, pj, repo,
				  lps_portfolio_head(p), &base))) ||
	    (err = check_conflicts(&lp, &rp, handle)))
		goto out;
	if (res->diverged && line.have_fork)
		err = rebase_all(res, store, &line, lps_portfolio_head(p),
				 &pub, &r);
	else
		err = replay_all(res, store, &pub, &r);
	lps_store_resolve(store, NULL, &res->head);
out:
	free(line.v);
	paths_free(&lp);
	paths_free(&rp);
	lps_projection_free(pj);
	return err;
}

/* ---- members ---- */

struct lps_error *lps_remote_member_tip(git_oid *out, struct lps_store *store,
					const char *handle)
{
	char name[256];
	if (!lps_remote_handle_valid(handle))
		return lps_error_new(LPS_ENOTFOUND, "no member \"%s\" (a "
				     "handle is lowercase letters, digits and "
				     "dashes)", handle);
	snprintf(name, sizeof(name), LPS_REMOTE_TRACK_PREFIX "%s", handle);
	if (git_reference_name_to_id(out, lps_store_repo(store), name) < 0) {
		git_error_clear();
		return lps_error_new(LPS_ENOTFOUND, "no member \"%s\" (run "
				     "lps pull to fetch)", handle);
	}
	return NULL;
}

struct lps_error *lps_remote_each_member(struct lps_store *store,
					 lps_remote_member_fn fn, void *ctx)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	struct paths names = { 0 };
	struct lps_error *err = NULL;
	size_t plen = strlen(LPS_REMOTE_TRACK_PREFIX);
	if (git_reference_iterator_glob_new(&it, lps_store_repo(store),
					    LPS_REMOTE_TRACK_PREFIX "*") < 0)
		return git_fail("list members", NULL);
	while (git_reference_next(&ref, it) == 0) {
		const char *n = git_reference_name(ref) + plen;
		if (lps_remote_handle_valid(n) && names.n < MAX_MEMBERS &&
		    paths_add(&names, n) < 0)
			err = lps_error_nomem();
		git_reference_free(ref);
		if (err)
			break;
	}
	git_reference_iterator_free(it);
	git_error_clear();
	if (!err && names.n)
		qsort(names.v, names.n, sizeof(*names.v), cmpstr);
	for (size_t i = 0; i < names.n && !err; i++) {
		git_oid tip;
		if ((err = lps_remote_member_tip(&tip, store, names.v[i])))
			break;
		if (fn(ctx, names.v[i], &tip))
			break;
	}
	paths_free(&names);
	return err;
}

static char *dup_str(const struct lps_node *map, const char *key)
{
	const char *s = lps_node_str(lps_map_get(map, key));
	return s ? strdup(s) : NULL;
}

static size_t count_goals(git_repository *repo, const git_oid *tip)
{
	git_commit *c = NULL;
	git_tree *t = NULL, *g = NULL;
	git_tree_entry *e = NULL;
	size_t n = 0;
	if (git_commit_lookup(&c, repo, tip) == 0 &&
	    git_commit_tree(&t, c) == 0 &&
	    git_tree_entry_bypath(&e, t, "goals") == 0 &&
	    git_tree_lookup(&g, repo, git_tree_entry_id(e)) == 0) {
		for (size_t i = 0; i < git_tree_entrycount(g); i++) {
			const git_tree_entry *x = git_tree_entry_byindex(g, i);
			const char *name = git_tree_entry_name(x);
			size_t l = strlen(name);
			if (git_tree_entry_type(x) == GIT_OBJECT_BLOB &&
			    l > 5 && !strcmp(name + l - 5, ".yaml"))
				n++;
		}
	}
	git_error_clear();
	git_tree_free(g);
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	return n;
}

struct lps_error *lps_remote_member_read(struct lps_remote_member *m,
					 struct lps_store *store,
					 const char *handle)
{
	git_repository *repo = lps_store_repo(store);
	git_commit *c = NULL;
	struct lps_buf b = LPS_BUF_INIT;
	struct lps_doc *doc = NULL;
	memset(m, 0, sizeof(*m));
	struct lps_error *err = lps_remote_member_tip(&m->tip, store, handle);
	if (err)
		return err;
	snprintf(m->handle, sizeof(m->handle), "%s", handle);
	if (git_commit_lookup(&c, repo, &m->tip) < 0)
		return git_fail("read members/%s", handle);
	const git_signature *s = git_commit_committer(c);
	time_t when = (time_t)(s->when.time + (git_time_t)s->when.offset * 60);
	struct tm tm;
	if (gmtime_r(&when, &tm))
		strftime(m->last_activity, sizeof(m->last_activity),
			 "%Y-%m-%d", &tm);
	git_commit_free(c);
	m->goals = count_goals(repo, &m->tip);
	if ((err = lps_store_read(store, &m->tip, "lps.yaml", &b)) ||
	    (err = lps_doc_load(&doc, "lps.yaml", b.data, b.len, NULL)))
		goto out;
	const struct lps_node *root = lps_doc_root(doc);
	m->name = dup_str(lps_map_get(root, "owner"), "name");
	m->role = dup_str(root, "role");
	m->school = dup_str(root, "school");
	m->cycle = dup_str(root, "cycle");
	m->phase = dup_str(root, "phase");
out:
	if (err)
		err = lps_error_wrap(err, "members/%s", handle);
	lps_doc_free(doc);
	lps_buf_free(&b);
	return err;
}

void lps_remote_member_clear(struct lps_remote_member *m)
{
	free(m->name);
	free(m->role);
	free(m->school);
	free(m->cycle);
	free(m->phase);
	m->name = m->role = m->school = m->cycle = m->phase = NULL;
}

struct lps_error *lps_remote_member_file(struct lps_store *store,
					 const char *handle, const char *path,
					 struct lps_buf *out)
{
	git_oid tip;
	struct lps_error *err = lps_remote_member_tip(&tip, store, handle);
	return err ? err : lps_store_read(store, &tip, path, out);
}

struct lps_error *lps_remote_member_each(struct lps_store *store,
					 const char *handle, const char *dir,
					 lps_store_each_fn fn, void *ctx)
{
	git_oid tip;
	struct lps_error *err = lps_remote_member_tip(&tip, store, handle);
	return err ? err : lps_store_foreach(store, &tip, dir, fn, ctx);
}
