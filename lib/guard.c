/*
 * guard.c - the checks behind lps-guard (see guard.h for the rules).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "doc.h"
#include "guard.h"

#define MEMBERS_REF "refs/heads/members/"
#define ROUNDTABLE_REF "refs/heads/roundtable"

enum branch { MEMBER, ROUNDTABLE };

struct ctx {
	git_repository *repo;
	const struct lps_registry *reg;
	enum branch kind;
	const char *handle;   /* MEMBER only */
	git_oid tip;
};

static struct lps_error *git_fail(const char *what)
{
	const git_error *ge = git_error_last();
	return lps_error_new(LPS_ESYS, "%s: %s", what,
			     ge && ge->message ? ge->message : "libgit2 error");
}

/* ^[a-z0-9][a-z0-9-]{0,38}$, as common.schema.yaml#/$defs/handle. */
static int handle_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 39 || s[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

/* ---- opening the repository inside the push quarantine ---- */

static int same_dir(const char *a, const char *b)
{
	struct stat sa, sb;
	if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
		return 0;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static struct lps_error *add_alternate(git_repository *repo, git_odb *odb,
				       const char *dir, size_t len)
{
	char path[PATH_MAX], own[PATH_MAX];
	struct stat st;

	if (len == 0)
		return NULL;
	if (len >= sizeof(path))
		return lps_error_new(LPS_ESYS, "object directory path too long");
	memcpy(path, dir, len);
	path[len] = '\0';
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return NULL; /* git names directories that may not exist */
	snprintf(own, sizeof(own), "%sobjects", git_repository_path(repo));
	if (same_dir(path, own))
		return NULL;
	if (git_odb_add_disk_alternate(odb, path) < 0)
		return git_fail("adding the push's object directory");
	return NULL;
}

struct lps_error *lps_guard_open(git_repository **out, const char *gitdir,
				 const char *objdir, const char *alternates)
{
	git_repository *repo = NULL;
	git_odb *odb = NULL;
	struct lps_error *err = NULL;

	*out = NULL;
	int r = git_repository_open_ext(&repo, gitdir,
					GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (r == GIT_ENOTFOUND)
		return lps_error_new(LPS_ENOTFOUND, "not a git repository: %s",
				     gitdir);
	if (r < 0)
		return git_fail(gitdir);
	if (git_repository_odb(&odb, repo) < 0) {
		err = git_fail("opening the object database");
		goto out;
	}
	if (objdir && *objdir)
		err = add_alternate(repo, odb, objdir, strlen(objdir));
	while (!err && alternates && *alternates) {
		const char *colon = strchr(alternates, ':');
		size_t n = colon ? (size_t)(colon - alternates)
			: strlen(alternates);
		err = add_alternate(repo, odb, alternates, n);
		alternates = colon ? colon + 1 : NULL;
	}
out:
	git_odb_free(odb);
	if (err) {
		git_repository_free(repo);
		return err;
	}
	*out = repo;
	return NULL;
}

/* ---- one document ---- */

static struct lps_error *finding_error(const char *path,
				       const struct lps_finding *f)
{
	const char *sep = *f->path ? ": " : "";
	return lps_error_at(LPS_EINVALID, path, f->line, f->col, "%s%s%s",
			    f->path, sep, f->message);
}

/* Load the blob at path and validate it against schema `name`. */
static struct lps_error *check_doc(struct ctx *c, const char *path,
				   const char *name, const git_oid *blob_id)
{
	git_blob *blob = NULL;
	struct lps_doc *doc = NULL;
	struct lps_findings fs = LPS_FINDINGS_INIT;
	struct lps_error *err;
	int valid = 0;

	if (git_blob_lookup(&blob, c->repo, blob_id) < 0)
		return git_fail(path);
	git_object_size_t size = git_blob_rawsize(blob);
	if (size > LPS_DOC_MAX_BYTES) {
		err = lps_error_at(LPS_EINVALID, path, 0, 0,
				   "document larger than %u bytes",
				   (unsigned)LPS_DOC_MAX_BYTES);
		goto out;
	}
	err = lps_doc_load(&doc, path, git_blob_rawcontent(blob),
			   (size_t)size, NULL);
	if (err)
		goto out;
	err = lps_registry_validate(&valid, &fs, c->reg, name,
				    lps_doc_root(doc));
	if (!err && !valid)
		err = fs.n ? finding_error(path, &fs.items[0])
			: lps_error_at(LPS_EINVALID, path, 0, 0,
				       "does not match the %s schema", name);
out:
	lps_findings_free(&fs);
	lps_doc_free(doc);
	git_blob_free(blob);
	return err;
}

/* The schema for path on the roundtable branch, or NULL (not allowed). */
static const char *roundtable_schema(const char *path)
{
	if (strcmp(path, "norms.yaml") == 0)
		return "norms";
	if (strncmp(path, "meetings/", 9) == 0) {
		const char *name = path + 9;
		size_t n = strlen(name);
		if (n > 5 && name[0] != '.' && !strchr(name, '/') &&
		    strcmp(name + n - 5, ".yaml") == 0)
			return "meeting";
	}
	return NULL;
}

static struct lps_error *check_path(struct ctx *c, const git_diff_delta *d)
{
	const char *path = d->new_file.path;
	const char *name;
	int is_blob = d->new_file.mode == GIT_FILEMODE_BLOB ||
		d->new_file.mode == GIT_FILEMODE_BLOB_EXECUTABLE;

	if (c->kind == ROUNDTABLE) {
		name = roundtable_schema(path);
		if (!name || !is_blob)
			return lps_error_new(LPS_EREFUSED,
				"%s: the roundtable branch holds only "
				"norms.yaml and meetings/<date>-<id>.yaml",
				path);
		return check_doc(c, path, name, &d->new_file.id);
	}
	name = lps_registry_schema_for_path(path);
	if (!name)
		return NULL; /* attachments and files lps keeps no document at */
	if (!is_blob)
		return lps_error_new(LPS_EREFUSED,
				     "%s: a document must be a regular file",
				     path);
	return check_doc(c, path, name, &d->new_file.id);
}

/* Every document commit adds or changes against its first parent. */
static struct lps_error *check_commit(struct ctx *c, git_commit *commit)
{
	git_commit *parent = NULL;
	git_tree *old_tree = NULL, *new_tree = NULL;
	git_diff *diff = NULL;
	struct lps_error *err = NULL;

	if (git_commit_tree(&new_tree, commit) < 0) {
		err = git_fail("reading a pushed tree");
		goto out;
	}
	if (git_commit_parentcount(commit) > 0) {
		if (git_commit_parent(&parent, commit, 0) < 0 ||
		    git_commit_tree(&old_tree, parent) < 0) {
			err = git_fail("reading a pushed commit's parent");
			goto out;
		}
	}
	if (git_diff_tree_to_tree(&diff, c->repo, old_tree, new_tree,
				  NULL) < 0) {
		err = git_fail("comparing a pushed commit with its parent");
		goto out;
	}
	size_t n = git_diff_num_deltas(diff);
	for (size_t i = 0; i < n && !err; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if (d->status == GIT_DELTA_DELETED)
			continue;
		err = check_path(c, d);
	}
	if (err && err->code == LPS_EINVALID &&
	    !git_oid_equal(git_commit_id(commit), &c->tip)) {
		char hex[8];
		git_oid_tostr(hex, sizeof(hex), git_commit_id(commit));
		size_t len = strlen(err->msg);
		char *m = realloc(err->msg, len + 32);
		if (m) {
			snprintf(m + len, 32, " (in commit %s)", hex);
			err->msg = m;
		}
	}
out:
	git_diff_free(diff);
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	git_commit_free(parent);
	return err;
}

/* Hide from walk everything the repository's refs already reach. */
static struct lps_error *hide_known(git_repository *repo, git_revwalk *walk)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	int r;

	if (git_reference_iterator_new(&it, repo) < 0)
		return git_fail("listing the repository's refs");
	while ((r = git_reference_next(&ref, it)) == 0) {
		git_object *obj = NULL;
		if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0) {
			/* A ref to a missing commit hides nothing. */
			(void)git_revwalk_hide(walk, git_object_id(obj));
			git_object_free(obj);
		}
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	if (r != GIT_ITEROVER)
		return git_fail("listing the repository's refs");
	git_error_clear();
	return NULL;
}

static struct lps_error *check_new_commits(struct ctx *c, const git_oid *old)
{
	git_revwalk *walk = NULL;
	struct lps_error *err = NULL;
	git_oid id;
	size_t count = 0;
	int r;

	if (git_revwalk_new(&walk, c->repo) < 0)
		return git_fail("walking the pushed commits");
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	if (git_revwalk_push(walk, &c->tip) < 0) {
		err = git_fail("walking the pushed commits");
		goto out;
	}
	if (!git_oid_is_zero(old))
		(void)git_revwalk_hide(walk, old);
	err = hide_known(c->repo, walk);
	while (!err && (r = git_revwalk_next(&id, walk)) == 0) {
		git_commit *commit = NULL;
		if (++count > LPS_GUARD_MAX_COMMITS) {
			err = lps_error_new(LPS_EREFUSED,
				"more than %u new commits in one push; push "
				"in smaller steps", LPS_GUARD_MAX_COMMITS);
			break;
		}
		if (git_commit_lookup(&commit, c->repo, &id) < 0) {
			err = git_fail("reading a pushed commit");
			break;
		}
		err = check_commit(c, commit);
		git_commit_free(commit);
	}
	if (!err && r != GIT_ITEROVER)
		err = git_fail("walking the pushed commits");
out:
	git_revwalk_free(walk);
	return err;
}

/* ---- the tip ---- */

static struct lps_error *check_member_tip(struct ctx *c, git_tree *tree)
{
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	struct lps_doc *doc = NULL;
	struct lps_error *err = NULL;

	if (git_tree_entry_bypath(&e, tree, "lps.yaml") < 0 ||
	    git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		err = lps_error_new(LPS_EREFUSED,
				    "no lps.yaml: a member branch holds an "
				    "lps portfolio");
		goto out;
	}
	if (git_blob_lookup(&blob, c->repo, git_tree_entry_id(e)) < 0) {
		err = git_fail("lps.yaml");
		goto out;
	}
	err = lps_doc_load(&doc, "lps.yaml", git_blob_rawcontent(blob),
			   (size_t)git_blob_rawsize(blob), NULL);
	if (err)
		goto out;
	const struct lps_node *owner = lps_map_get(lps_doc_root(doc), "owner");
	const struct lps_node *h = lps_map_get(owner, "handle");
	const char *handle = lps_node_str(h);
	if (!handle)
		err = lps_error_new(LPS_EREFUSED,
				    "lps.yaml has no owner.handle; a member "
				    "branch carries its member's handle "
				    "(lps roundtable join sets it)");
	else if (strcmp(handle, c->handle) != 0)
		err = lps_error_at(LPS_EREFUSED, "lps.yaml", h->line, h->col,
				   "owner.handle is \"%s\", not \"%s\": "
				   "members/%s holds only %s's portfolio",
				   handle, c->handle, c->handle, c->handle);
out:
	lps_doc_free(doc);
	git_blob_free(blob);
	git_tree_entry_free(e);
	return err;
}

/* Only norms.yaml and meetings/ at the top, whatever the history. */
static struct lps_error *check_roundtable_tip(git_tree *tree)
{
	size_t n = git_tree_entrycount(tree);
	for (size_t i = 0; i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e);
		git_object_t t = git_tree_entry_type(e);
		if ((strcmp(name, "norms.yaml") == 0 && t == GIT_OBJECT_BLOB) ||
		    (strcmp(name, "meetings") == 0 && t == GIT_OBJECT_TREE))
			continue;
		return lps_error_new(LPS_EREFUSED,
				     "%s: the roundtable branch holds only "
				     "norms.yaml and meetings/<date>-<id>.yaml",
				     name);
	}
	return NULL;
}

static struct lps_error *check_tip(struct ctx *c)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	struct lps_error *err;

	if (git_commit_lookup(&commit, c->repo, &c->tip) < 0)
		return lps_error_new(LPS_EREFUSED,
				     "the pushed object is not a commit");
	if (git_commit_tree(&tree, commit) < 0) {
		err = git_fail("reading the pushed tree");
		goto out;
	}
	err = c->kind == MEMBER ? check_member_tip(c, tree)
		: check_roundtable_tip(tree);
out:
	git_tree_free(tree);
	git_commit_free(commit);
	return err;
}

struct lps_error *lps_guard_check_update(git_repository *repo,
					 const struct lps_registry *reg,
					 const char *refname,
					 const git_oid *old,
					 const git_oid *new_oid)
{
	struct ctx c = { repo, reg, MEMBER, NULL, *new_oid };
	struct lps_error *err;

	if (strncmp(refname, MEMBERS_REF, strlen(MEMBERS_REF)) == 0) {
		c.handle = refname + strlen(MEMBERS_REF);
		if (!handle_valid(c.handle))
			return lps_error_new(LPS_EREFUSED,
				"\"%s\" is not a member handle (lowercase "
				"letters, digits, dashes)", c.handle);
	} else if (strcmp(refname, ROUNDTABLE_REF) == 0) {
		c.kind = ROUNDTABLE;
	} else {
		return lps_error_new(LPS_EREFUSED,
			"a roundtable accepts only members/<handle> and "
			"roundtable branches");
	}
	if (git_oid_is_zero(new_oid))
		return lps_error_new(LPS_EREFUSED,
			"deleting a branch is refused: published history "
			"is never removed");
	err = check_tip(&c);
	if (err)
		return err;
	if (!git_oid_is_zero(old) && !git_oid_equal(old, new_oid)) {
		int r = git_graph_descendant_of(repo, new_oid, old);
		if (r < 0)
			return git_fail("comparing the pushed commit with "
					"the branch");
		if (r == 0)
			return lps_error_new(LPS_EREFUSED,
				"not a fast-forward: published history is "
				"never rewritten (lps pull, then push again)");
	}
	return check_new_commits(&c, old);
}

struct lps_error *lps_guard_parse_line(git_oid *old, git_oid *new_oid,
				       const char **refname,
				       const char *line)
{
	const size_t hex = GIT_OID_HEXSZ;
	size_t n = strlen(line);

	if (n < 2 * hex + 3 || line[hex] != ' ' || line[2 * hex + 1] != ' ' ||
	    git_oid_fromstrn(old, line, hex) < 0 ||
	    git_oid_fromstrn(new_oid, line + hex + 1, hex) < 0 ||
	    strchr(line + 2 * hex + 2, ' ')) {
		git_error_clear();
		return lps_error_new(LPS_EUSAGE,
				     "malformed hook input line: expected "
				     "\"OLD NEW REFNAME\"");
	}
	for (size_t i = 0; i < 2 * hex + 1; i++)
		if (line[i] >= 'A' && line[i] <= 'F')
			return lps_error_new(LPS_EUSAGE,
					     "malformed hook input line: "
					     "upper-case object id");
	*refname = line + 2 * hex + 2;
	return NULL;
}

/* ---- install-guard ---- */

/* Append s to b in single quotes, for sh. */
static int sh_quote(struct lps_buf *b, const char *s)
{
	if (lps_buf_addc(b, '\'') < 0)
		return -1;
	for (; *s; s++) {
		if (*s == '\'') {
			if (lps_buf_adds(b, "'\\''") < 0)
				return -1;
		} else if (lps_buf_addc(b, *s) < 0) {
			return -1;
		}
	}
	return lps_buf_addc(b, '\'');
}

/* 1 when the file at path carries LPS_GUARD_MARKER, 0 when not, -1 when
 * it cannot be read. */
static int ours(const char *path)
{
	char buf[4096];
	FILE *f = fopen(path, "r");
	int found = 0;
	if (!f)
		return -1;
	while (fgets(buf, sizeof(buf), f))
		if (strncmp(buf, LPS_GUARD_MARKER,
			    strlen(LPS_GUARD_MARKER)) == 0)
			found = 1;
	fclose(f);
	return found;
}

static struct lps_error *write_hook(const char *hook, const char *text,
				    size_t len)
{
	struct lps_error *err = lps_write_file_atomic(hook, text, len, 0755);
	/* The umask may have narrowed the mode; a hook must be executable. */
	if (!err && chmod(hook, 0755) != 0)
		err = lps_error_new(LPS_ESYS, "%s: %s", hook, strerror(errno));
	return err;
}

/*
 * A roundtable has no branch for HEAD's usual target (main or master)
 * and a plain `git clone` of it warns "remote HEAD refers to nonexistent
 * ref".  So an unborn HEAD is pointed at the shared branch of meeting
 * records; a HEAD that names an existing branch is the host's choice and
 * is left alone.
 */
static struct lps_error *point_head(git_repository *repo, const char *path)
{
	git_reference *head = NULL, *target = NULL;
	int r = git_reference_lookup(&head, repo, "HEAD");
	if (r < 0)
		return git_fail(path);
	int unborn = git_reference_type(head) == GIT_REFERENCE_SYMBOLIC &&
		     git_reference_lookup(&target, repo,
					  git_reference_symbolic_target(head))
			     == GIT_ENOTFOUND;
	git_error_clear();
	git_reference_free(target);
	git_reference_free(head);
	if (unborn && git_repository_set_head(repo, ROUNDTABLE_REF) < 0)
		return git_fail(path);
	return NULL;
}

struct lps_error *lps_guard_install(char **hook_out, const char *path,
				    const char *guard_program)
{
	git_repository *repo = NULL;
	struct lps_buf script = LPS_BUF_INIT;
	struct lps_error *err = NULL;
	char hooks[PATH_MAX], hook[PATH_MAX];

	if (hook_out)
		*hook_out = NULL;
	if (!guard_program || guard_program[0] != '/')
		return lps_error_new(LPS_EUSAGE,
				     "the guard program must be an absolute "
				     "path");
	int r = git_repository_open_ext(&repo, path,
					GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (r == GIT_ENOTFOUND)
		return lps_error_new(LPS_ENOTFOUND, "not a git repository: %s",
				     path);
	if (r < 0)
		return git_fail(path);
	if (!git_repository_is_bare(repo)) {
		err = lps_error_new(LPS_EINVALID,
				    "%s is not a bare repository; the guard "
				    "belongs in the shared roundtable "
				    "repository (git init --bare)", path);
		goto out;
	}
	if (snprintf(hooks, sizeof(hooks), "%shooks",
		     git_repository_path(repo)) >= (int)sizeof(hooks) ||
	    snprintf(hook, sizeof(hook), "%s/pre-receive", hooks)
		    >= (int)sizeof(hook)) {
		err = lps_error_new(LPS_ESYS, "%s: path too long", path);
		goto out;
	}
	if (mkdir(hooks, 0755) != 0 && errno != EEXIST) {
		err = lps_error_new(LPS_ESYS, "%s: %s", hooks,
				    strerror(errno));
		goto out;
	}
	if (access(hook, F_OK) == 0 && ours(hook) != 1) {
		err = lps_error_new(LPS_EREFUSED,
				    "%s exists and was not written by lps; "
				    "move it away first", hook);
		goto out;
	}
	if (lps_buf_adds(&script, "#!/bin/sh\n" LPS_GUARD_MARKER "\n"
			 "# Refuses pushes that break the roundtable's rules;"
			 " see lps-guard(1).\nexec ") < 0 ||
	    sh_quote(&script, guard_program) < 0 ||
	    lps_buf_adds(&script, " \"$@\"\n") < 0) {
		err = lps_error_nomem();
		goto out;
	}
	err = write_hook(hook, script.data, script.len);
	if (!err)
		err = point_head(repo, path);
	if (!err && hook_out) {
		*hook_out = strdup(hook);
		if (!*hook_out)
			err = lps_error_nomem();
	}
out:
	lps_buf_free(&script);
	git_repository_free(repo);
	return err;
}

struct lps_error *lps_guard_check_local(const char *path, const char *objdir,
					const char *refname,
					const git_oid *old,
					const git_oid *new_oid)
{
	git_repository *repo = NULL;
	const struct lps_registry *reg = NULL;
	char hook[PATH_MAX];
	int r = git_repository_open_ext(&repo, path,
					GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (r < 0) {
		git_error_clear();
		return NULL; /* the push itself will say what is wrong */
	}
	int n = snprintf(hook, sizeof(hook), "%shooks/pre-receive",
			 git_repository_path(repo));
	git_repository_free(repo);
	if (n < 0 || (size_t)n >= sizeof(hook) || ours(hook) != 1)
		return NULL; /* no lps guard there */
	struct lps_error *err = lps_guard_open(&repo, path, objdir, NULL);
	if (!err)
		err = lps_registry_get(&reg);
	if (!err)
		err = lps_guard_check_update(repo, reg, refname, old, new_oid);
	git_repository_free(repo);
	return err;
}
