/*
 * store.c - opening the portfolio repository, reading files at a
 * revision, walking history, and building change sets.  Committing a
 * change set lives in store-commit.c, the commit identity in
 * store-ident.c.
 */
#include "store-int.h"

#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct lps_error *lps_store__git_error(const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	const git_error *ge = git_error_last();
	const char *why = ge && ge->message ? ge->message : "unknown libgit2 error";
	return lps_error_new(LPS_ESYS, "%s: %s", what, why);
}

/* ---- loose objects at git's compression level ---- */

/* Above the loose (1) and packed (2) backends, below the mempack of
 * lps_store_worktree, so that object writes come here first. */
#define LPS_STORE_LOOSE_PRIORITY 100

/*
 * A write-only backend: writes go to a loose-object backend of our own
 * (made with the configured level); reads, lookups and listings skip it
 * (no read, exists or freshen) and reach libgit2's own backends, which
 * hold the same objects directory.
 */
struct loose_writer {
	git_odb_backend parent;
	git_odb_backend *loose; /* owned */
};

static int loose_writer_write(git_odb_backend *b, const git_oid *id,
			      const void *data, size_t len, git_object_t type)
{
	git_odb_backend *l = ((struct loose_writer *)b)->loose;
	return l->write(l, id, data, len, type);
}

static int loose_writer_stream(git_odb_stream **out, git_odb_backend *b,
			       git_object_size_t size, git_object_t type)
{
	git_odb_backend *l = ((struct loose_writer *)b)->loose;
	return l->writestream(out, l, size, type);
}

/* git_odb_foreach calls every backend's foreach without looking. */
static int loose_writer_foreach(git_odb_backend *b, git_odb_foreach_cb cb,
				void *payload)
{
	(void)b, (void)cb, (void)payload;
	return 0;
}

static void loose_writer_free(git_odb_backend *b)
{
	struct loose_writer *w = (struct loose_writer *)b;
	w->loose->free(w->loose);
	free(w);
}

/*
 * The zlib level git writes loose objects at: core.loosecompression,
 * else core.compression, else 1; -1 means zlib's default (6).  0 when
 * nothing but libgit2's own choice is needed: the setting is 1 (what
 * libgit2 writes anyway), absent, or one libgit2's loose backend cannot
 * write (0, "store only": libgit2 would then write no zlib stream at
 * all, which git cannot read; out of range: git refuses it).
 */
static int loose_level(git_config *cfg)
{
	int32_t v;
	if (git_config_get_int32(&v, cfg, "core.loosecompression") < 0 &&
	    git_config_get_int32(&v, cfg, "core.compression") < 0) {
		git_error_clear();
		return 0;
	}
	if (v == -1)
		v = 6;
	return v >= 2 && v <= 9 ? v : 0;
}

/*
 * libgit2 writes loose objects at zlib level 1 whatever the repository
 * says; git honours core.loosecompression.  A loose backend of the level
 * git would use (fsync as libgit2's own backend does it, from
 * core.fsyncObjectFiles) becomes store->loose, for the big trees
 * store-tree.c writes itself; when the level is not 1 it is also put in
 * front of the object database (in a write-only wrapper, which then
 * owns it) so that every object is written at that level.  Best effort:
 * on a failure objects are written as before.
 */
static void open_loose(struct lps_store *store)
{
	git_repository *repo = store->repo;
	git_config *cfg = NULL;
	git_odb *odb = NULL;
	git_odb_backend *loose = NULL;
	struct loose_writer *w = NULL;
	char *objects = NULL;
	int level, fsync_objects = 0;
	if (git_repository_config_snapshot(&cfg, repo) < 0)
		goto out;
	level = loose_level(cfg);
	if (git_config_get_bool(&fsync_objects, cfg,
				"core.fsyncobjectfiles") < 0)
		fsync_objects = 0;
	const char *common = git_repository_commondir(repo);
	size_t n = strlen(common);
	if (!(objects = malloc(n + sizeof("objects/"))))
		goto out;
	memcpy(objects, common, n);
	memcpy(objects + n, "objects/", sizeof("objects/"));
	if (git_repository_odb(&odb, repo) < 0 ||
	    git_odb_backend_loose(&loose, objects, level ? level : 1,
				  fsync_objects, 0, 0) < 0)
		goto out;
	if (level == 0) {
		store->loose = loose; /* level 1: libgit2's own in the odb */
		store->loose_owned = 1;
		loose = NULL;
		goto out;
	}
	if (!(w = calloc(1, sizeof(*w))))
		goto out;
	git_odb_init_backend(&w->parent, GIT_ODB_BACKEND_VERSION);
	w->parent.write = loose_writer_write;
	w->parent.writestream = loose_writer_stream;
	w->parent.foreach = loose_writer_foreach;
	w->parent.free = loose_writer_free;
	w->loose = loose;
	loose = NULL;
	if (git_odb_add_backend(odb, &w->parent, LPS_STORE_LOOSE_PRIORITY) <
	    0) {
		loose_writer_free(&w->parent);
	} else {
		w->loose->odb = odb; /* its write streams look it up */
		store->loose = w->loose;
	}
out:
	if (loose)
		loose->free(loose);
	git_error_clear();
	free(objects);
	git_odb_free(odb);
	git_config_free(cfg);
}

static struct lps_error *store_new(struct lps_store **out,
				   git_repository *repo)
{
	/*
	 * libgit2 caches trees only up to 4 KiB by default, so a folder of
	 * many documents (100,000 goals make a 4 MiB tree) would be inflated
	 * and parsed again by every lookup of a commit.  Let trees that big
	 * stay in the (bounded, 256 MiB by default) object cache.
	 */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, (int)GIT_OBJECT_TREE,
			 (size_t)LPS_STORE_TREE_CACHE_LIMIT);
	/*
	 * libgit2 hashes every object it reads again to check its id: the
	 * 4 MiB tree of a folder of 100,000 documents costs a third of a
	 * commit that way.  git itself does not on ordinary reads (only
	 * fsck and transfers check), and a damaged loose object still
	 * fails to inflate; `git fsck` is the tool for the rest.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	struct lps_store *s = calloc(1, sizeof(*s));
	if (!s) {
		git_repository_free(repo);
		return lps_error_nomem();
	}
	s->repo = repo;
	const char *wd = git_repository_workdir(repo);
	if (wd) {
		size_t n = strlen(wd);
		s->workdir = malloc(n + 2);
		if (!s->workdir) {
			lps_store_free(s);
			return lps_error_nomem();
		}
		memcpy(s->workdir, wd, n + 1);
		if (n == 0 || wd[n - 1] != '/') {
			s->workdir[n] = '/';
			s->workdir[n + 1] = '\0';
		}
	}
	open_loose(s);
	*out = s;
	/* Best effort: a failure here is reported by the next commit. */
	lps_error_free(lps_store_recover(s));
	git_error_clear();
	return NULL;
}

/* dir made absolute for messages (dir itself when that fails). */
static char *absolute(const char *dir)
{
	char cwd[4096];
	if (dir[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return strdup(dir);
	size_t n = strlen(cwd) + strlen(dir) + 2;
	char *r = malloc(n);
	if (r) {
		if (strcmp(dir, ".") == 0)
			snprintf(r, n, "%s", cwd);
		else
			snprintf(r, n, "%s/%s", cwd, dir);
	}
	return r;
}

struct lps_error *lps_store_open(struct lps_store **out, const char *dir)
{
	*out = NULL;
	git_repository *repo = NULL;
	int rc = git_repository_open_ext(&repo, dir, 0, NULL);
	if (rc == GIT_ENOTFOUND) {
		char *abs = absolute(dir);
		struct lps_error *err = lps_error_new(LPS_ENOTFOUND,
			"not a git repository (or any parent): %s",
			abs ? abs : dir);
		free(abs);
		return err;
	}
	if (rc < 0)
		return lps_store__git_error("cannot open the repository at %s",
					    dir);
	return store_new(out, repo);
}

/* init.defaultBranch from the global/system configuration, else "main". */
static struct lps_error *default_branch(git_buf *out)
{
	git_config *cfg = NULL;
	int rc = git_config_open_default(&cfg);
	if (rc == 0) {
		rc = git_config_get_string_buf(out, cfg, "init.defaultBranch");
		git_config_free(cfg);
		if (rc == 0 && out->size > 0)
			return NULL;
	}
	git_error_clear();
	git_buf_dispose(out);
	if (git_buf_set(out, "main", 4) < 0)
		return lps_error_nomem();
	return NULL;
}

struct lps_error *lps_store_init(struct lps_store **out, const char *dir,
				 int *created)
{
	*out = NULL;
	if (created)
		*created = 0;
	git_repository *repo = NULL;
	int rc = git_repository_open_ext(&repo, dir,
					 GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (rc == 0)
		return store_new(out, repo);
	if (rc != GIT_ENOTFOUND)
		return lps_store__git_error("cannot open the repository at %s",
					    dir);
	git_error_clear();

	git_buf branch = GIT_BUF_INIT;
	struct lps_error *err = default_branch(&branch);
	if (err)
		return err;
	char ref[512];
	snprintf(ref, sizeof(ref), "refs/heads/%s", branch.ptr);
	int valid = 0;
	if (strlen(branch.ptr) > 200 ||
	    git_reference_name_is_valid(&valid, ref) < 0 || !valid) {
		err = lps_error_new(LPS_EINVALID,
				    "init.defaultBranch is not a valid branch "
				    "name: \"%s\"", branch.ptr);
		git_buf_dispose(&branch);
		return err;
	}
	git_repository_init_options opts;
	git_repository_init_options_init(&opts,
					 GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	opts.flags = GIT_REPOSITORY_INIT_MKPATH;
	opts.initial_head = branch.ptr;
	rc = git_repository_init_ext(&repo, dir, &opts);
	git_buf_dispose(&branch);
	if (rc < 0)
		return lps_store__git_error("cannot create a repository at %s",
					    dir);
	if (created)
		*created = 1;
	return store_new(out, repo);
}

int lps_store_recovered(const struct lps_store *store)
{
	return store->recovered;
}

void lps_store_free(struct lps_store *store)
{
	if (!store)
		return;
	lps_store__raw_clear(store);
	if (store->loose_owned)
		store->loose->free(store->loose);
	git_repository_free(store->repo);
	free(store->workdir);
	free(store);
}

const char *lps_store_workdir(const struct lps_store *store)
{
	return store->workdir;
}

git_repository *lps_store_repo(struct lps_store *store)
{
	return store->repo;
}

void lps_store_set_race_hook(struct lps_store *store, lps_store_race_hook fn,
			     void *ctx)
{
	store->race_hook = fn;
	store->race_ctx = ctx;
}

struct lps_error *lps_store_resolve(struct lps_store *store, const char *rev,
				    git_oid *commit)
{
	const char *r = rev ? rev : "HEAD";
	git_object *obj = NULL, *peeled = NULL;
	int rc = git_revparse_single(&obj, store->repo, r);
	if (rc == GIT_ENOTFOUND || rc == GIT_EAMBIGUOUS ||
	    rc == GIT_EINVALIDSPEC || rc == GIT_EUNBORNBRANCH) {
		git_error_clear();
		return lps_error_new(LPS_ENOTFOUND, "unknown revision \"%s\"%s",
				     r, rc == GIT_EAMBIGUOUS ?
				     " (ambiguous)" : "");
	}
	if (rc < 0)
		return lps_store__git_error("cannot resolve \"%s\"", r);
	rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0) {
		git_error_clear();
		return lps_error_new(LPS_ENOTFOUND,
				     "unknown revision \"%s\" (not a commit)",
				     r);
	}
	git_oid_cpy(commit, git_object_id(peeled));
	git_object_free(peeled);
	return NULL;
}

static struct lps_error *commit_tree(git_tree **out, struct lps_store *store,
				     const git_oid *commit)
{
	git_commit *c = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	if (git_commit_lookup(&c, store->repo, commit) < 0) {
		git_oid_tostr(hex, sizeof(hex), commit);
		git_error_clear();
		return lps_error_new(LPS_ENOTFOUND, "unknown revision \"%s\"",
				     hex);
	}
	int rc = git_commit_tree(out, c);
	git_commit_free(c);
	if (rc < 0) {
		git_oid_tostr(hex, sizeof(hex), commit);
		return lps_store__git_error("cannot read the tree of %s", hex);
	}
	return NULL;
}

struct lps_error *lps_store_read(struct lps_store *store,
				 const git_oid *commit, const char *path,
				 struct lps_buf *out)
{
	git_tree *tree = NULL;
	git_tree_entry *te = NULL;
	git_blob *blob = NULL;
	struct lps_error *err = commit_tree(&tree, store, commit);
	if (err)
		return err;
	char hex[8];
	git_oid_tostr(hex, sizeof(hex), commit);
	int rc = git_tree_entry_bypath(&te, tree, path);
	if (rc == GIT_ENOTFOUND || (rc == 0 &&
	    git_tree_entry_type(te) != GIT_OBJECT_BLOB)) {
		git_error_clear();
		err = lps_error_at(LPS_ENOTFOUND, path, 0, 0,
				   "no such file in commit %s", hex);
		goto out;
	}
	if (rc < 0) {
		err = lps_store__git_error("%s: cannot look it up in %s",
					   path, hex);
		goto out;
	}
	if (git_blob_lookup(&blob, store->repo, git_tree_entry_id(te)) < 0) {
		err = lps_store__git_error("%s: cannot read it in %s", path,
					   hex);
		goto out;
	}
	lps_buf_reset(out);
	if (lps_buf_add(out, git_blob_rawcontent(blob),
			(size_t)git_blob_rawsize(blob)) < 0)
		err = lps_error_nomem();
out:
	git_blob_free(blob);
	git_tree_entry_free(te);
	git_tree_free(tree);
	return err;
}

struct foreach_ctx {
	git_repository *repo;
	const char *prefix;  /* dir with trailing '/', or "" */
	lps_store_each_fn fn;
	void *ctx;
	struct lps_buf path;
	struct lps_error *err;
	int stopped;
};

/*
 * git_tree_walk visits entries in tree order, and a depth-first walk in
 * tree order is exactly byte order of the full paths (git sorts a folder
 * as if its name ended in '/'), so the callback sees paths in order.
 * One blob is loaded at a time and freed before the next.
 */
static int foreach_cb(const char *root, const git_tree_entry *te, void *p)
{
	struct foreach_ctx *c = p;
	git_filemode_t mode = git_tree_entry_filemode(te);
	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
		return 0;
	lps_buf_reset(&c->path);
	if (lps_buf_adds(&c->path, c->prefix) < 0 ||
	    lps_buf_adds(&c->path, root) < 0 ||
	    lps_buf_adds(&c->path, git_tree_entry_name(te)) < 0) {
		c->err = lps_error_nomem();
		return -1;
	}
	git_blob *blob = NULL;
	if (git_blob_lookup(&blob, c->repo, git_tree_entry_id(te)) < 0) {
		c->err = lps_store__git_error("%s: cannot read it",
					      c->path.data);
		return -1;
	}
	int rc = c->fn(c->ctx, c->path.data, git_blob_rawcontent(blob),
		       (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	if (rc != 0) {
		c->stopped = 1;
		return -1;
	}
	return 0;
}

struct lps_error *lps_store_foreach(struct lps_store *store,
				    const git_oid *commit, const char *dir,
				    lps_store_each_fn fn, void *ctx)
{
	git_tree *root = NULL, *sub = NULL;
	git_tree_entry *te = NULL;
	char *prefix = NULL;
	struct lps_error *err = commit_tree(&root, store, commit);
	if (err)
		return err;
	size_t n = dir ? strlen(dir) : 0;
	while (n > 0 && dir[n - 1] == '/')
		n--;
	git_tree *walk = root;
	prefix = malloc(n + 2);
	if (!prefix) {
		err = lps_error_nomem();
		goto out;
	}
	memcpy(prefix, dir ? dir : "", n);
	prefix[n] = '\0';
	if (n > 0) {
		int rc = git_tree_entry_bypath(&te, root, prefix);
		if (rc == GIT_ENOTFOUND || (rc == 0 &&
		    git_tree_entry_type(te) != GIT_OBJECT_TREE)) {
			git_error_clear();
			goto out; /* nothing there: no calls */
		}
		if (rc < 0 || git_tree_lookup(&sub, store->repo,
					      git_tree_entry_id(te)) < 0) {
			err = lps_store__git_error("%s: cannot read it",
						   prefix);
			goto out;
		}
		walk = sub;
		prefix[n] = '/';
		prefix[n + 1] = '\0';
	}
	struct foreach_ctx c = {
		.repo = store->repo, .prefix = prefix, .fn = fn, .ctx = ctx,
		.path = LPS_BUF_INIT,
	};
	int rc = git_tree_walk(walk, GIT_TREEWALK_PRE, foreach_cb, &c);
	lps_buf_free(&c.path);
	if (c.err)
		err = c.err;
	else if (c.stopped)
		err = lps_error_new(LPS_EINVALID, "stopped");
	else if (rc < 0)
		err = lps_store__git_error("cannot walk the tree");
out:
	free(prefix);
	git_tree_entry_free(te);
	git_tree_free(sub);
	git_tree_free(root);
	return err;
}

struct lps_error *lps_store_walk(struct lps_store *store, const git_oid *from,
				 lps_store_walk_fn fn, void *ctx)
{
	git_revwalk *walk = NULL;
	struct lps_error *err = NULL;
	git_oid start, id;
	if (from) {
		git_oid_cpy(&start, from);
	} else {
		int rc = git_reference_name_to_id(&start, store->repo, "HEAD");
		if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH) {
			git_error_clear();
			return NULL; /* unborn: no history yet */
		}
		if (rc < 0)
			return lps_store__git_error("cannot read HEAD");
	}
	if (git_revwalk_new(&walk, store->repo) < 0)
		return lps_store__git_error("cannot walk history");
	/* Topological: a parent never comes before its children, even when
	 * commits share a timestamp (scripts make many per second). */
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	if (git_revwalk_push(walk, &start) < 0) {
		err = lps_store__git_error("cannot walk history");
		goto out;
	}
	for (;;) {
		int rc = git_revwalk_next(&id, walk);
		if (rc == GIT_ITEROVER)
			break;
		if (rc < 0) {
			err = lps_store__git_error("cannot walk history");
			goto out;
		}
		git_commit *c = NULL;
		if (git_commit_lookup(&c, store->repo, &id) < 0) {
			err = lps_store__git_error("cannot read a commit");
			goto out;
		}
		int stop = fn(ctx, c);
		git_commit_free(c);
		if (stop)
			break;
	}
out:
	git_revwalk_free(walk);
	return err;
}

/* ---- change sets ---- */

struct lps_error *lps_changeset_new(struct lps_changeset **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? NULL : lps_error_nomem();
}

void lps_changeset_free(struct lps_changeset *cs)
{
	if (!cs)
		return;
	for (size_t i = 0; i < cs->n; i++) {
		free(cs->v[i].path);
		free(cs->v[i].data);
	}
	free(cs->v);
	free(cs);
}

size_t lps_changeset_count(const struct lps_changeset *cs)
{
	return cs ? cs->n : 0;
}

static struct lps_error *bad_path(const char *path, const char *why)
{
	return lps_error_new(LPS_EINVALID, "invalid path \"%s\": %s", path,
			     why);
}

/*
 * A path lps may write: relative, '/'-separated, no empty, "." or ".."
 * components, no ".git" component in any case (git itself would refuse
 * it, and it could reach into the repository's own files), no
 * backslashes or control characters (they mean something else on other
 * systems or in a terminal).
 */
static struct lps_error *check_path(const char *path)
{
	size_t n = strlen(path);
	if (n == 0)
		return bad_path(path, "empty");
	if (n > LPS_STORE_MAX_PATH)
		return lps_error_new(LPS_EINVALID,
				     "invalid path: longer than %d bytes",
				     LPS_STORE_MAX_PATH);
	if (path[0] == '/')
		return bad_path(path, "absolute");
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)path[i];
		if (ch == '\\')
			return bad_path(path, "has a backslash");
		if (ch < 0x20 || ch == 0x7f)
			return bad_path(path, "has a control character");
	}
	const char *p = path;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		if (len == 0)
			return bad_path(path, "has an empty component");
		if ((len == 1 && p[0] == '.') ||
		    (len == 2 && p[0] == '.' && p[1] == '.'))
			return bad_path(path, "has a \".\" or \"..\" component");
		if (len == 4 && strncasecmp(p, ".git", 4) == 0)
			return bad_path(path, "has a \".git\" component");
		if (!slash)
			break;
		p = slash + 1;
	}
	return NULL;
}

/*
 * Find path in cs (kept sorted by strcmp): 1 and its index when present,
 * else 0 and where it would go.
 */
static int find_change(const struct lps_changeset *cs, const char *path,
		       size_t *at)
{
	size_t lo = 0, hi = cs->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(cs->v[mid].path, path);
		if (c == 0) {
			*at = mid;
			return 1;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return 0;
}

/*
 * One change set may not use a path both as a file and as a folder: the
 * tree could not hold both.  Each folder prefix of path is looked up, and
 * entries under "path/" (contiguous in strcmp order) are found where
 * "path/" would be inserted: O(depth * log n), not O(n).
 */
static struct lps_error *check_df(const struct lps_changeset *cs,
				  const char *path)
{
	size_t n = strlen(path), at;
	char *tmp = malloc(n + 2);
	if (!tmp)
		return lps_error_nomem();
	struct lps_error *err = NULL;
	memcpy(tmp, path, n + 1);
	for (size_t i = 0; i < n && !err; i++) {
		if (path[i] != '/')
			continue;
		tmp[i] = '\0';
		if (find_change(cs, tmp, &at))
			err = lps_error_new(LPS_EINVALID,
					    "invalid change set: \"%s\" is "
					    "both a file and a folder", tmp);
		tmp[i] = '/';
	}
	if (!err) {
		tmp[n] = '/';
		tmp[n + 1] = '\0';
		find_change(cs, tmp, &at);
		if (at < cs->n && strncmp(cs->v[at].path, tmp, n + 1) == 0)
			err = lps_error_new(LPS_EINVALID,
					    "invalid change set: \"%s\" is "
					    "both a file and a folder", path);
	}
	free(tmp);
	return err;
}

static struct lps_error *put_change(struct lps_changeset *cs,
				    const char *path, const void *data,
				    size_t len, int remove)
{
	struct lps_error *err = check_path(path);
	if (err)
		return err;
	if (!remove && len > LPS_STORE_MAX_FILE)
		return lps_error_at(LPS_EINVALID, path, 0, 0,
				    "file is %zu bytes, over the limit of %zu",
				    len, LPS_STORE_MAX_FILE);
	char *copy = NULL;
	if (!remove) {
		copy = malloc(len + 1);
		if (!copy)
			return lps_error_nomem();
		if (len)
			memcpy(copy, data, len);
		copy[len] = '\0';
	}
	size_t at;
	if (find_change(cs, path, &at)) {
		/* The last change to a path wins. */
		free(cs->v[at].data);
		cs->v[at].data = copy;
		cs->v[at].len = remove ? 0 : len;
		cs->v[at].remove = remove;
		return NULL;
	}
	if ((err = check_df(cs, path))) {
		free(copy);
		return err;
	}
	if (cs->n >= LPS_STORE_MAX_CHANGES) {
		free(copy);
		return lps_error_new(LPS_EINVALID,
				     "change set has more than %d paths",
				     LPS_STORE_MAX_CHANGES);
	}
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? cs->cap * 2 : 8;
		struct lps_change *v = realloc(cs->v, cap * sizeof(*v));
		if (!v) {
			free(copy);
			return lps_error_nomem();
		}
		cs->v = v;
		cs->cap = cap;
	}
	char *p = strdup(path);
	if (!p) {
		free(copy);
		return lps_error_nomem();
	}
	memmove(cs->v + at + 1, cs->v + at, (cs->n - at) * sizeof(*cs->v));
	cs->v[at] = (struct lps_change){
		.path = p, .data = copy, .len = remove ? 0 : len,
		.remove = remove,
	};
	cs->n++;
	return NULL;
}

struct lps_error *lps_changeset_write(struct lps_changeset *cs,
				      const char *path, const void *data,
				      size_t len)
{
	return put_change(cs, path, data, len, 0);
}

struct lps_error *lps_changeset_remove(struct lps_changeset *cs,
				       const char *path)
{
	return put_change(cs, path, NULL, 0, 1);
}

/* ---- the working tree as a commit (lps_store_worktree) ---- */

/* Above the loose (1) and packed (2) backends, so writes go to memory. */
#define LPS_STORE_MEMPACK_PRIORITY 999

/* One change of the working tree against HEAD, as a tree update. */
static struct lps_error *worktree_update(struct lps_store *store,
					 git_odb *odb,
					 const git_diff_delta *d,
					 lps_store_want_fn want, void *ctx,
					 git_tree_update *up, int *use)
{
	const git_diff_file *nf = &d->new_file;

	*use = 0;
	memset(up, 0, sizeof(*up));
	switch (d->status) {
	case GIT_DELTA_DELETED:
		up->action = GIT_TREE_UPDATE_REMOVE;
		up->path = d->old_file.path;
		*use = 1;
		return NULL;
	case GIT_DELTA_UNTRACKED:
		if (!want || !want(ctx, nf->path))
			return NULL;
		break;
	case GIT_DELTA_ADDED:
	case GIT_DELTA_MODIFIED:
	case GIT_DELTA_TYPECHANGE:
	case GIT_DELTA_CONFLICTED:
		break;
	default:
		return NULL; /* unmodified, ignored, unreadable */
	}
	if (nf->mode != GIT_FILEMODE_BLOB &&
	    nf->mode != GIT_FILEMODE_BLOB_EXECUTABLE &&
	    nf->mode != GIT_FILEMODE_LINK)
		return NULL; /* a submodule or a folder: not lps's */
	up->action = GIT_TREE_UPDATE_UPSERT;
	up->path = nf->path;
	up->filemode = nf->mode;
	/* The diff hashed what it had to; a blob the object database
	 * already has (a staged file) is not written again. */
	if ((nf->flags & GIT_DIFF_FLAG_VALID_ID) && !git_oid_is_zero(&nf->id) &&
	    git_odb_exists(odb, &nf->id)) {
		up->id = nf->id;
	} else if (git_blob_create_from_workdir(&up->id, store->repo,
						nf->path) < 0) {
		return lps_store__git_error("cannot read %s", nf->path);
	}
	*use = 1;
	return NULL;
}

struct lps_error *lps_store_worktree(struct lps_store *store,
				     lps_store_want_fn want, void *ctx,
				     git_oid *out)
{
	git_commit *head = NULL;
	git_tree *tree = NULL;
	git_diff *diff = NULL;
	git_odb *odb = NULL;
	git_odb_backend *mempack = NULL;
	git_tree_update *ups = NULL;
	struct lps_error *err = lps_store_resolve(store, NULL, out);
	git_oid tree_id, head_id;

	if (err || !store->workdir)
		return err;
	head_id = *out;
	if (git_commit_lookup(&head, store->repo, &head_id) < 0 ||
	    git_commit_tree(&tree, head) < 0) {
		err = lps_store__git_error("cannot read HEAD");
		goto out;
	}
	git_diff_options opts;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.flags = GIT_DIFF_INCLUDE_UNTRACKED |
		     GIT_DIFF_RECURSE_UNTRACKED_DIRS |
		     GIT_DIFF_INCLUDE_TYPECHANGE | GIT_DIFF_SKIP_BINARY_CHECK |
		     GIT_DIFF_IGNORE_SUBMODULES;
	if (git_diff_tree_to_workdir_with_index(&diff, store->repo, tree,
						&opts) < 0) {
		err = lps_store__git_error("cannot compare the working tree "
					   "with HEAD");
		goto out;
	}
	size_t n = git_diff_num_deltas(diff), nups = 0;
	if (n == 0)
		goto out; /* the working tree is HEAD */
	if (!(ups = calloc(n, sizeof(*ups)))) {
		err = lps_error_nomem();
		goto out;
	}
	/* From here on every object written goes to memory. */
	if (git_repository_odb(&odb, store->repo) < 0 ||
	    git_mempack_new(&mempack) < 0) {
		err = lps_store__git_error("cannot make an object store in "
					   "memory");
		goto out;
	}
	store->in_memory = 1; /* store-tree.c writes nothing itself now */
	if (git_odb_add_backend(odb, mempack, LPS_STORE_MEMPACK_PRIORITY) <
	    0) {
		mempack->free(mempack);
		err = lps_store__git_error("cannot make an object store in "
					   "memory");
		goto out;
	}
	for (size_t i = 0; i < n && !err; i++) {
		int use = 0;
		err = worktree_update(store, odb, git_diff_get_delta(diff, i),
				      want, ctx, &ups[nups], &use);
		nups += (size_t)use;
	}
	if (err || nups == 0)
		goto out; /* only untracked files nobody wants: HEAD */
	if (git_tree_create_updated(&tree_id, store->repo, tree, nups, ups) <
	    0) {
		err = lps_store__git_error("cannot build the working tree's "
					   "tree");
		goto out;
	}
	if (git_oid_equal(&tree_id, git_tree_id(tree)))
		goto out;
	git_tree *wt = NULL;
	if (git_tree_lookup(&wt, store->repo, &tree_id) < 0) {
		err = lps_store__git_error("cannot build the working tree's "
					   "tree");
		goto out;
	}
	const git_commit *parents[] = { head };
	int rc = git_commit_create(out, store->repo, NULL,
				   git_commit_author(head),
				   git_commit_committer(head), NULL,
				   "lps: the working tree (not committed)\n",
				   wt, 1, parents);
	git_tree_free(wt);
	if (rc < 0) {
		*out = head_id;
		err = lps_store__git_error("cannot describe the working tree");
	}
out:
	if (err)
		*out = head_id;
	free(ups);
	git_diff_free(diff);
	git_odb_free(odb);
	git_tree_free(tree);
	git_commit_free(head);
	return err;
}
