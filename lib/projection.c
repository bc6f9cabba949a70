/*
 * projection.c - project local commits into the published history.
 *
 * P(C) is built from P(parent) by looking only at what C changed: the
 * tree diff between C's parent and C (libgit2 skips equal subtrees), so
 * the cost follows the size of the change.  The cache maps local commits
 * to published ones; it is a plain file of lines so that an interrupted
 * run loses at most a line, which is recomputed (P is deterministic).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "doc.h"
#include "projection.h"
#include "remote.h"

/* Bounds: cache lines and the size of one commit's change list. */
#define MAX_CACHE_BYTES ((size_t)256 << 20)
#define MAX_UPDATES 200000
/* Largest document read to decide its visibility (the doc limit). */
#define MAX_DOC_BYTES LPS_DOC_MAX_BYTES

static struct lps_error *git_fail(const char *what)
{
	const git_error *e = git_error_last();
	return lps_error_new(LPS_ESYS, "%s: %s", what,
			     e && e->message ? e->message : "unknown error");
}

/* ---- classification ---- */

static int has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && !strcmp(s + n - m, suf);
}

/* The top-level visibility of a YAML mapping, "" when absent, NULL when
 * the text does not load as a mapping. */
static const char *visibility_of(struct lps_doc **doc, const char *path,
				 const char *data, size_t len)
{
	struct lps_error *err = lps_doc_load(doc, path, data, len, NULL);
	if (err) {
		lps_error_free(err);
		*doc = NULL;
		return NULL;
	}
	const struct lps_node *root = lps_doc_root(*doc);
	if (root->type != LPS_NODE_MAP)
		return NULL;
	const struct lps_node *v = lps_map_get(root, "visibility");
	if (!v)
		return "";
	const char *s = lps_node_str(v);
	return s ? s : "?";
}

int lps_projection_doc_private(const char *path, const char *data,
			       size_t len)
{
	int reflection = has_prefix(path, "reflections/");
	int shared_default = has_prefix(path, "goals/") ||
			     has_prefix(path, "feedback/") ||
			     has_prefix(path, "assessments/") ||
			     (has_prefix(path, "evidence/") &&
			      !strchr(path + 9, '/'));
	if (!reflection && !shared_default)
		return 0;
	if (!has_suffix(path, ".yaml"))
		return reflection;
	if (!data)
		return reflection;
	struct lps_doc *doc = NULL;
	const char *vis = visibility_of(&doc, path, data, len);
	int priv;
	if (!vis)
		priv = 1; /* cannot show that it is shared */
	else if (reflection)
		priv = strcmp(vis, "roundtable") != 0;
	else
		priv = !strcmp(vis, "private") || !strcmp(vis, "?");
	lps_doc_free(doc);
	return priv;
}

int lps_projection_attachment_owner(const char *path, char *owner,
				    size_t size)
{
	if (!has_prefix(path, "evidence/"))
		return 0;
	const char *name = path + 9;
	const char *slash = strchr(name, '/');
	if (!slash || slash == name)
		return 0;
	int n = snprintf(owner, size, "evidence/%.*s.yaml",
			 (int)(slash - name), name);
	return n > 0 && (size_t)n < size;
}

/* ---- messages ---- */

/* 1 when line[0..len) is an LPS-* trailer "LPS-Key: value". */
static int lps_trailer_line(const char *line, size_t len)
{
	if (len < 6 || strncmp(line, "LPS-", 4))
		return 0;
	const char *colon = memchr(line, ':', len);
	if (!colon)
		return 0;
	for (const char *c = line; c < colon; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		      (*c >= '0' && *c <= '9') || *c == '-'))
			return 0;
	return colon + 1 < line + len && colon[1] == ' ';
}

struct lps_error *lps_projection_message(char **out, const char *message,
					 int private_change)
{
	struct lps_buf b = LPS_BUF_INIT;
	*out = NULL;
	if (!private_change) {
		if (lps_buf_add(&b, message, strlen(message)) < 0)
			goto nomem;
		*out = b.data ? b.data : strdup("");
		return *out ? NULL : lps_error_nomem();
	}
	size_t sl = strcspn(message, "\n");
	const char *colon = memchr(message, ':', sl);
	if (colon && colon > message && !memchr(message, ' ', colon - message))
		sl = (size_t)(colon - message);
	else
		sl = 0;
	if (lps_buf_addf(&b, "%.*s: private change\n", sl ? (int)sl : 3,
			 sl ? message : "lps") < 0)
		goto nomem;
	int first = 1;
	for (const char *l = message; *l;) {
		size_t ll = strcspn(l, "\n");
		if (l != message && lps_trailer_line(l, ll)) {
			if ((first && lps_buf_add(&b, "\n", 1) < 0) ||
			    lps_buf_add(&b, l, ll) < 0 ||
			    lps_buf_add(&b, "\n", 1) < 0)
				goto nomem;
			first = 0;
		}
		l += ll;
		if (*l)
			l++;
	}
	*out = b.data;
	return NULL;
nomem:
	lps_buf_free(&b);
	return lps_error_nomem();
}

/* The published commit named by an LPS-Replayed-From trailer, if any. */
static int replayed_from(const char *message, git_oid *out)
{
	static const char key[] = LPS_REMOTE_REPLAY_TRAILER ": ";
	int found = 0;
	/* The last one counts: lps pull writes one, after the message. */
	for (const char *l = message; *l;) {
		size_t ll = strcspn(l, "\n");
		if (ll >= sizeof(key) - 1 + GIT_OID_HEXSZ &&
		    !strncmp(l, key, sizeof(key) - 1) &&
		    !git_oid_fromstrn(out, l + sizeof(key) - 1,
				      GIT_OID_HEXSZ))
			found = 1;
		l += ll;
		if (*l)
			l++;
	}
	return found;
}

/* ---- the cache ---- */

struct slot {
	git_oid local, published;
	int used;
};

struct lps_projection {
	git_repository *repo;
	git_odb *odb;
	struct slot *v;
	size_t n, cap;       /* cap is a power of two */
	char *path;          /* the cache file */
};

static size_t slot_of(const struct lps_projection *pj, const git_oid *id)
{
	size_t h;
	memcpy(&h, id->id, sizeof(h));
	return h & (pj->cap - 1);
}

static int cache_put(struct lps_projection *pj, const git_oid *local,
		     const git_oid *published)
{
	if ((pj->n + 1) * 2 > pj->cap) {
		size_t ncap = pj->cap ? pj->cap * 2 : 1024;
		struct slot *nv = calloc(ncap, sizeof(*nv));
		if (!nv)
			return -1;
		struct slot *old = pj->v;
		size_t ocap = pj->cap;
		pj->v = nv;
		pj->cap = ncap;
		pj->n = 0;
		for (size_t i = 0; i < ocap; i++)
			if (old[i].used)
				cache_put(pj, &old[i].local, &old[i].published);
		free(old);
	}
	size_t i = slot_of(pj, local);
	while (pj->v[i].used && !git_oid_equal(&pj->v[i].local, local))
		i = (i + 1) & (pj->cap - 1);
	if (!pj->v[i].used)
		pj->n++;
	pj->v[i].used = 1;
	pj->v[i].local = *local;
	pj->v[i].published = *published;
	return 0;
}

int lps_projection_lookup(struct lps_projection *pj, const git_oid *local,
			  git_oid *out)
{
	if (!pj->cap)
		return 0;
	size_t i = slot_of(pj, local);
	while (pj->v[i].used) {
		if (git_oid_equal(&pj->v[i].local, local)) {
			*out = pj->v[i].published;
			return 1;
		}
		i = (i + 1) & (pj->cap - 1);
	}
	return 0;
}

static struct lps_error *cache_load(struct lps_projection *pj)
{
	FILE *f = fopen(pj->path, "r");
	if (!f)
		return errno == ENOENT ? NULL :
		       lps_error_new(LPS_ESYS, "%s: %s", pj->path,
				     strerror(errno));
	char line[128];
	size_t total = 0;
	struct lps_error *err = NULL;
	while (fgets(line, sizeof(line), f)) {
		git_oid a, b;
		total += strlen(line);
		if (total > MAX_CACHE_BYTES)
			break; /* only a speed-up: the rest is recomputed */
		if (strlen(line) != 2 * GIT_OID_HEXSZ + 2 ||
		    line[GIT_OID_HEXSZ] != ' ' ||
		    git_oid_fromstrn(&a, line, GIT_OID_HEXSZ) ||
		    git_oid_fromstrn(&b, line + GIT_OID_HEXSZ + 1,
				     GIT_OID_HEXSZ))
			continue;
		if (cache_put(pj, &a, &b) < 0) {
			err = lps_error_nomem();
			break;
		}
	}
	fclose(f);
	return err;
}

/* Append lines for the new mappings; a failure only costs speed later. */
static void cache_append(struct lps_projection *pj, const git_oid *locals,
			 const git_oid *pubs, size_t n)
{
	if (!n)
		return;
	int fd = open(pj->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
		      0644);
	if (fd < 0)
		return;
	char *text = malloc(n * (2 * GIT_OID_HEXSZ + 2));
	if (text) {
		char *t = text;
		for (size_t i = 0; i < n; i++) {
			git_oid_fmt(t, &locals[i]);
			t[GIT_OID_HEXSZ] = ' ';
			git_oid_fmt(t + GIT_OID_HEXSZ + 1, &pubs[i]);
			t[2 * GIT_OID_HEXSZ + 1] = '\n';
			t += 2 * GIT_OID_HEXSZ + 2;
		}
		/* One write: a kill leaves whole lines or a torn last one,
		 * which cache_load skips. */
		ssize_t w = write(fd, text, (size_t)(t - text));
		(void)w;
		free(text);
	}
	close(fd);
}

struct lps_error *lps_projection_open(struct lps_projection **out,
				      git_repository *repo)
{
	*out = NULL;
	struct lps_projection *pj = calloc(1, sizeof(*pj));
	if (!pj)
		return lps_error_nomem();
	pj->repo = repo;
	struct lps_error *err = NULL;
	const char *gitdir = git_repository_commondir(repo);
	size_t n = strlen(gitdir) + 32;
	if (!(pj->path = malloc(n))) {
		err = lps_error_nomem();
		goto out;
	}
	snprintf(pj->path, n, "%slps", gitdir);
	if (mkdir(pj->path, 0755) < 0 && errno != EEXIST) {
		err = lps_error_new(LPS_ESYS, "%s: %s", pj->path,
				    strerror(errno));
		goto out;
	}
	snprintf(pj->path, n, "%slps/projection", gitdir);
	if (git_repository_odb(&pj->odb, repo) < 0) {
		err = git_fail("open the object database");
		goto out;
	}
	err = cache_load(pj);
out:
	if (err)
		lps_projection_free(pj);
	else
		*out = pj;
	return err;
}

void lps_projection_free(struct lps_projection *pj)
{
	if (!pj)
		return;
	git_odb_free(pj->odb);
	free(pj->v);
	free(pj->path);
	free(pj);
}

/* ---- projecting one commit ---- */

struct updates {
	git_tree_update *v;
	char **paths;        /* owned copies, one per update */
	size_t n, cap;
	char **owners;       /* evidence documents whose folder to re-sync */
	size_t nowners, capowners;
};

static void updates_free(struct updates *u)
{
	for (size_t i = 0; i < u->n; i++)
		free(u->paths[i]);
	for (size_t i = 0; i < u->nowners; i++)
		free(u->owners[i]);
	free(u->v);
	free(u->paths);
	free(u->owners);
	memset(u, 0, sizeof(*u));
}

static int grow(void **v, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 32;
	void *nv = realloc(*v, ncap * size);
	if (!nv)
		return -1;
	*v = nv;
	*cap = ncap;
	return 0;
}

static struct lps_error *add_update(struct updates *u, git_tree_update_t act,
				    const char *path, const git_oid *id,
				    git_filemode_t mode)
{
	if (u->n >= MAX_UPDATES)
		return lps_error_new(LPS_ESYS, "one commit changes more than "
				     "%d paths", MAX_UPDATES);
	size_t cap = u->cap;
	if (grow((void **)&u->v, &cap, u->n + 1, sizeof(*u->v)) < 0)
		return lps_error_nomem();
	cap = u->cap;
	if (grow((void **)&u->paths, &cap, u->n + 1, sizeof(*u->paths)) < 0)
		return lps_error_nomem();
	u->cap = cap;
	char *p = strdup(path);
	if (!p)
		return lps_error_nomem();
	u->paths[u->n] = p;
	memset(&u->v[u->n], 0, sizeof(u->v[u->n]));
	u->v[u->n].action = act;
	u->v[u->n].path = p;
	u->v[u->n].filemode = mode;
	if (id)
		u->v[u->n].id = *id;
	u->n++;
	return NULL;
}

static struct lps_error *add_owner(struct updates *u, const char *owner)
{
	for (size_t i = 0; i < u->nowners; i++)
		if (!strcmp(u->owners[i], owner))
			return NULL;
	if (grow((void **)&u->owners, &u->capowners, u->nowners + 1,
		 sizeof(*u->owners)) < 0 ||
	    !(u->owners[u->nowners] = strdup(owner)))
		return lps_error_nomem();
	u->nowners++;
	return NULL;
}

/* Is the document at path in tree private (missing: NULL tree or entry
 * counts as private for attachments' owners: *exists says which)? */
static struct lps_error *tree_doc_private(git_repository *repo,
					  git_tree *tree, const char *path,
					  int *priv, int *exists)
{
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	*exists = 0;
	*priv = 0;
	if (!tree || git_tree_entry_bypath(&e, tree, path) < 0) {
		git_error_clear();
		return NULL;
	}
	*exists = 1;
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		*priv = lps_projection_doc_private(path, NULL, 0);
		git_tree_entry_free(e);
		return NULL;
	}
	if (git_blob_lookup(&blob, repo, git_tree_entry_id(e)) < 0) {
		git_tree_entry_free(e);
		return git_fail(path);
	}
	size_t len = (size_t)git_blob_rawsize(blob);
	if (len > MAX_DOC_BYTES)
		*priv = 1;
	else
		*priv = lps_projection_doc_private(path,
						   git_blob_rawcontent(blob),
						   len);
	git_blob_free(blob);
	git_tree_entry_free(e);
	return NULL;
}

static int in_tree(git_tree *tree, const char *path)
{
	git_tree_entry *e = NULL;
	if (!tree || git_tree_entry_bypath(&e, tree, path) < 0) {
		git_error_clear();
		return 0;
	}
	git_tree_entry_free(e);
	return 1;
}

/* The work for one commit: old/new local trees, the base published tree. */
struct step {
	git_repository *repo;
	git_tree *old, *cur, *base;
	git_tree *tip;       /* the commit being published in this run */
	struct updates u;
	int private_change;
};

static struct lps_error *remove_if_there(struct step *s, const char *path)
{
	if (!in_tree(s->base, path))
		return NULL;
	return add_update(&s->u, GIT_TREE_UPDATE_REMOVE, path, NULL,
			  GIT_FILEMODE_BLOB);
}

static struct lps_error *one_delta(struct step *s, const git_diff_delta *d)
{
	const char *path = d->new_file.path ? d->new_file.path :
			   d->old_file.path;
	char owner[512];
	struct lps_error *err;
	if (lps_projection_attachment_owner(path, owner, sizeof(owner)))
		return add_owner(&s->u, owner);
	if (has_prefix(path, "evidence/") && has_suffix(path, ".yaml") &&
	    strlen(path) < sizeof(owner) &&
	    (err = add_owner(&s->u, path)))
		return err;
	int priv_new = 0, priv_old = 0, exists_new, exists_old;
	if ((err = tree_doc_private(s->repo, s->cur, path, &priv_new,
				    &exists_new)) ||
	    (err = tree_doc_private(s->repo, s->old, path, &priv_old,
				    &exists_old)))
		return err;
	int priv_tip = 0, exists_tip = 0;
	if (!git_oid_equal(git_tree_id(s->tip), git_tree_id(s->cur)) &&
	    (err = tree_doc_private(s->repo, s->tip, path, &priv_tip,
				    &exists_tip)))
		return err;
	/* Private now means private in all history not yet published. */
	priv_new = priv_new || (exists_tip && priv_tip);
	if ((exists_new && priv_new) || (exists_old && priv_old))
		s->private_change = 1;
	if (exists_new && !priv_new && d->status != GIT_DELTA_DELETED)
		return add_update(&s->u, GIT_TREE_UPDATE_UPSERT, path,
				  &d->new_file.id, d->new_file.mode);
	return remove_if_there(s, path);
}

/* Make the published evidence/<id>/ folder follow its document. */
static struct lps_error *sync_owner(struct step *s, const char *owner,
				    int attachments_changed)
{
	char dir[512];
	size_t n = strlen(owner) - 5; /* without ".yaml" */
	snprintf(dir, sizeof(dir), "%.*s", (int)n, owner);
	int priv, exists, opriv, oexists;
	struct lps_error *err;
	if ((err = tree_doc_private(s->repo, s->cur, owner, &priv,
				    &exists)) ||
	    (err = tree_doc_private(s->repo, s->old, owner, &opriv,
				    &oexists)))
		return err;
	int tpriv = 0, texists = 0;
	if (!git_oid_equal(git_tree_id(s->tip), git_tree_id(s->cur)) &&
	    (err = tree_doc_private(s->repo, s->tip, owner, &tpriv,
				    &texists)))
		return err;
	int shared = exists && !priv && !(texists && tpriv);
	if (attachments_changed && (!shared || (oexists && opriv)))
		s->private_change = 1;
	git_tree_entry *e = NULL;
	if (shared && git_tree_entry_bypath(&e, s->cur, dir) == 0) {
		err = add_update(&s->u, GIT_TREE_UPDATE_UPSERT, dir,
				 git_tree_entry_id(e),
				 git_tree_entry_filemode(e));
		git_tree_entry_free(e);
		return err;
	}
	git_error_clear();
	return remove_if_there(s, dir);
}

static int owner_has_changes(const git_diff *diff, const char *owner)
{
	size_t n = strlen(owner) - 5;
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *p = d->new_file.path ? d->new_file.path :
				d->old_file.path;
		if (!strncmp(p, owner, n) && p[n] == '/')
			return 1;
	}
	return 0;
}

/* Build the published tree of local commit c on base (P(parent)'s tree). */
static struct lps_error *project_tree(git_oid *tree_out, int *private_change,
				      struct lps_projection *pj,
				      git_commit *c, git_tree *base,
				      git_tree *tip)
{
	struct step s = { .repo = pj->repo, .base = base, .tip = tip };
	git_commit *parent = NULL;
	git_diff *diff = NULL;
	struct lps_error *err = NULL;
	git_diff_options dopt;
	git_diff_options_init(&dopt, GIT_DIFF_OPTIONS_VERSION);
	if (git_commit_tree(&s.cur, c) < 0 ||
	    (git_commit_parentcount(c) > 0 &&
	     (git_commit_parent(&parent, c, 0) < 0 ||
	      git_commit_tree(&s.old, parent) < 0))) {
		err = git_fail("read a commit to publish");
		goto out;
	}
	if (git_diff_tree_to_tree(&diff, pj->repo, s.old, s.cur, &dopt) < 0) {
		err = git_fail("compare a commit with its parent");
		goto out;
	}
	for (size_t i = 0; i < git_diff_num_deltas(diff) && !err; i++)
		err = one_delta(&s, git_diff_get_delta(diff, i));
	for (size_t i = 0; i < s.u.nowners && !err; i++)
		err = sync_owner(&s, s.u.owners[i],
				 owner_has_changes(diff, s.u.owners[i]));
	if (err)
		goto out;
	if (!s.u.n && base) {
		*tree_out = *git_tree_id(base);
	} else if (git_tree_create_updated(tree_out, pj->repo, base, s.u.n,
					   s.u.v) < 0) {
		err = git_fail("build a published tree");
		goto out;
	}
	*private_change = s.private_change;
out:
	updates_free(&s.u);
	git_diff_free(diff);
	git_tree_free(s.old);
	git_tree_free(s.cur);
	git_commit_free(parent);
	return err;
}

/* P(c) given P(parent) (NULL for a root commit). */
static struct lps_error *project_one(git_oid *out, struct lps_projection *pj,
				     git_commit *c, const git_oid *pparent,
				     git_tree *tip)
{
	git_commit *pp = NULL, *replay = NULL;
	git_tree *base = NULL, *tree = NULL;
	char *msg = NULL;
	struct lps_error *err = NULL;
	git_oid tree_id, rid;
	int private_change = 0;
	/* A root commit starts from no tree (base NULL). */
	if (pparent && (git_commit_lookup(&pp, pj->repo, pparent) < 0 ||
			git_commit_tree(&base, pp) < 0)) {
		err = git_fail("read a published commit");
		goto out;
	}
	if ((err = project_tree(&tree_id, &private_change, pj, c, base, tip)))
		goto out;
	const char *raw = git_commit_message_raw(c);
	if (replayed_from(raw, &rid)) {
		if (git_commit_lookup(&replay, pj->repo, &rid) < 0) {
			char hex[GIT_OID_HEXSZ + 1];
			git_oid_tostr(hex, sizeof(hex), &rid);
			err = lps_error_new(LPS_EREFUSED, "published commit %s "
					    "(replayed here) is missing; run "
					    "lps pull first", hex);
			goto out;
		}
		const git_oid *rp = git_commit_parentcount(replay) ?
				    git_commit_parent_id(replay, 0) : NULL;
		int same_parent = (!rp && !pparent) ||
				  (rp && pparent && git_oid_equal(rp, pparent));
		if (same_parent &&
		    git_oid_equal(git_commit_tree_id(replay), &tree_id)) {
			*out = rid;
			goto out;
		}
	}
	if ((err = lps_projection_message(&msg, raw, private_change)))
		goto out;
	if (git_tree_lookup(&tree, pj->repo, &tree_id) < 0) {
		err = git_fail("read a published tree");
		goto out;
	}
	const git_commit *parents[2];
	size_t np = 0;
	if (pp)
		parents[np++] = pp;
	if (replay)
		parents[np++] = replay;
	if (git_commit_create(out, pj->repo, NULL, git_commit_author(c),
			      git_commit_committer(c),
			      git_commit_message_encoding(c), msg, tree, np,
			      parents) < 0)
		err = git_fail("write a published commit");
out:
	free(msg);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(replay);
	git_commit_free(pp);
	return err;
}

/* A cached projection that still exists in the object database. */
static int usable(struct lps_projection *pj, const git_oid *local,
		  git_oid *out)
{
	return lps_projection_lookup(pj, local, out) &&
	       git_odb_exists(pj->odb, out);
}

struct lps_error *lps_projection_commit(git_oid *out,
					struct lps_projection *pj,
					const git_oid *local, size_t *made)
{
	git_oid *chain = NULL, *pubs = NULL;
	git_tree *tip = NULL;
	size_t n = 0, cap = 0, done = 0;
	struct lps_error *err = NULL;
	git_oid cur = *local, pparent;
	int have_parent = 0;
	/* Walk the first-parent line back to a projected commit or the
	 * root, then project forwards. */
	for (;;) {
		if (usable(pj, &cur, &pparent)) {
			have_parent = 1;
			break;
		}
		if (grow((void **)&chain, &cap, n + 1, sizeof(*chain)) < 0) {
			err = lps_error_nomem();
			goto out;
		}
		chain[n++] = cur;
		git_commit *c = NULL;
		if (git_commit_lookup(&c, pj->repo, &cur) < 0) {
			err = git_fail("read a commit to publish");
			goto out;
		}
		int root = git_commit_parentcount(c) == 0;
		if (!root)
			cur = *git_commit_parent_id(c, 0);
		git_commit_free(c);
		if (root)
			break;
	}
	if (n && !(pubs = calloc(n, sizeof(*pubs)))) {
		err = lps_error_nomem();
		goto out;
	}
	if (n) {
		git_commit *tc = NULL;
		if (git_commit_lookup(&tc, pj->repo, local) < 0 ||
		    git_commit_tree(&tip, tc) < 0) {
			git_commit_free(tc);
			err = git_fail("read the commit to publish");
			goto out;
		}
		git_commit_free(tc);
	}
	for (size_t i = n; i-- > 0;) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, pj->repo, &chain[i]) < 0) {
			err = git_fail("read a commit to publish");
			goto out;
		}
		err = project_one(&pubs[i], pj, c,
				  have_parent ? &pparent : NULL, tip);
		git_commit_free(c);
		if (err)
			goto out;
		if (cache_put(pj, &chain[i], &pubs[i]) < 0) {
			err = lps_error_nomem();
			goto out;
		}
		pparent = pubs[i];
		have_parent = 1;
		done++;
	}
	*out = pparent;
	if (made)
		*made += n;
out:
	/* Keep what was computed even when a later commit failed. */
	if (done) {
		git_oid *l = malloc(done * sizeof(*l));
		if (l) {
			for (size_t k = 0; k < done; k++)
				l[k] = chain[n - 1 - k];
			git_oid *p = malloc(done * sizeof(*p));
			if (p) {
				for (size_t k = 0; k < done; k++)
					p[k] = pubs[n - 1 - k];
				cache_append(pj, l, p, done);
				free(p);
			}
			free(l);
		}
	}
	git_tree_free(tip);
	free(chain);
	free(pubs);
	return err;
}
