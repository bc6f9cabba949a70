#include "collection.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "schema.h"
#include "store.h"

const char *lps_collection_dir(char letter)
{
	switch (letter) {
	case 'g': return "goals";
	case 'e': return "evidence";
	case 'r': return "reflections";
	case 'f': return "feedback";
	}
	return NULL;
}

static const char *kind_name(char letter)
{
	switch (letter) {
	case 'g': return "goal";
	case 'e': return "evidence";
	case 'r': return "reflection";
	case 'f': return "feedback";
	}
	return "document";
}

void lps_collection_path(char *out, size_t size, const char *id)
{
	const char *dir = lps_collection_dir(id[0]);
	snprintf(out, size, "%s/%s.yaml", dir ? dir : "?", id);
}

/* Load text as the document at path and validate it. */
static struct lps_error *load_valid(struct lps_doc **out, const char *path,
				    const char *data, size_t len)
{
	struct lps_error *err;
	struct lps_doc *doc = NULL;
	const struct lps_registry *reg;
	struct lps_findings f = LPS_FINDINGS_INIT;
	int valid = 0;

	*out = NULL;
	if ((err = lps_doc_load(&doc, path, data, len, NULL)))
		return err;
	if ((err = lps_registry_get(&reg)) ||
	    (err = lps_registry_validate_path(&valid, &f, reg, path,
					      lps_doc_root(doc))))
		goto out;
	if (!valid) {
		const struct lps_finding *x = &f.items[0];
		if (x->path && *x->path)
			err = lps_error_at(LPS_EINVALID, path, x->line, x->col,
					   "%s: %s", x->path, x->message);
		else
			err = lps_error_at(LPS_EINVALID, path, x->line, x->col,
					   "%s", x->message);
	}
out:
	lps_findings_free(&f);
	if (err) {
		lps_doc_free(doc);
		return err;
	}
	*out = doc;
	return NULL;
}

struct lps_error *lps_collection_load(struct lps_portfolio *p,
				      const char *path, struct lps_doc **out)
{
	struct lps_buf b = LPS_BUF_INIT;
	struct lps_error *err = lps_store_read(lps_portfolio_store(p),
					       lps_portfolio_head(p), path, &b);
	if (!err)
		err = load_valid(out, path, b.data ? b.data : "", b.len);
	lps_buf_free(&b);
	return err;
}

/* The tree of folder dir at HEAD, or NULL (*tree) when there is none. */
static struct lps_error *dir_tree(git_tree **tree, struct lps_portfolio *p,
				  const char *dir)
{
	git_repository *repo = lps_store_repo(lps_portfolio_store(p));
	git_commit *commit = NULL;
	git_tree *root = NULL;
	git_tree_entry *entry = NULL;
	struct lps_error *err = NULL;

	*tree = NULL;
	if (git_commit_lookup(&commit, repo, lps_portfolio_head(p)) ||
	    git_commit_tree(&root, commit)) {
		const git_error *e = git_error_last();
		err = lps_error_new(LPS_ESYS, "cannot read HEAD: %s",
				    e ? e->message : "unknown error");
		goto out;
	}
	if (git_tree_entry_bypath(&entry, root, dir) != 0)
		goto out; /* no such folder */
	if (git_tree_entry_type(entry) != GIT_OBJECT_TREE)
		goto out;
	if (git_tree_lookup(tree, repo, git_tree_entry_id(entry))) {
		const git_error *e = git_error_last();
		err = lps_error_new(LPS_ESYS, "cannot read %s: %s", dir,
				    e ? e->message : "unknown error");
	}
out:
	git_tree_entry_free(entry);
	git_tree_free(root);
	git_commit_free(commit);
	return err;
}

static int is_yaml_name(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".yaml") == 0;
}

struct lps_error *lps_collection_each(struct lps_portfolio *p,
				      const char *dir,
				      lps_collection_each_fn fn, void *ctx)
{
	git_repository *repo = lps_store_repo(lps_portfolio_store(p));
	git_tree *tree = NULL;
	struct lps_error *err = dir_tree(&tree, p, dir);
	if (err || !tree)
		return err;

	size_t n = git_tree_entrycount(tree);
	char *path = NULL;
	size_t cap = 0;
	for (size_t i = 0; i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e);
		if (git_tree_entry_type(e) != GIT_OBJECT_BLOB ||
		    !is_yaml_name(name))
			continue;
		size_t need = strlen(dir) + strlen(name) + 2;
		if (need > cap) {
			char *np = realloc(path, need);
			if (!np) {
				err = lps_error_nomem();
				break;
			}
			path = np;
			cap = need;
		}
		snprintf(path, cap, "%s/%s", dir, name);
		git_blob *blob = NULL;
		if (git_blob_lookup(&blob, repo, git_tree_entry_id(e))) {
			const git_error *ge = git_error_last();
			err = lps_error_new(LPS_ESYS, "cannot read %s: %s", path,
					    ge ? ge->message : "unknown error");
			break;
		}
		struct lps_doc *doc = NULL;
		struct lps_error *problem = load_valid(
			&doc, path, git_blob_rawcontent(blob),
			(size_t)git_blob_rawsize(blob));
		git_blob_free(blob);
		if (problem && (problem->code == LPS_ENOMEM ||
				problem->code == LPS_ESYS)) {
			err = problem;
			break;
		}
		int stop = fn(ctx, path, doc, problem);
		lps_doc_free(doc);
		lps_error_free(problem);
		if (stop)
			break;
	}
	free(path);
	git_tree_free(tree);
	return err;
}

struct lps_error *lps_collection_find(struct lps_portfolio *p, char letter,
				      const char *typed, char *id)
{
	const char *dir = lps_collection_dir(letter);
	if (!dir)
		return lps_error_new(LPS_EINVALID, "no documents of type '%c'",
				     letter);
	/* A whole id: one lookup by path. */
	char whole[LPS_ID_LEN + 1];
	if (strlen(typed) == LPS_ID_LEN - 2) {
		snprintf(whole, sizeof(whole), "%c-%s", letter, typed);
	} else {
		snprintf(whole, sizeof(whole), "%.*s", LPS_ID_LEN, typed);
	}
	for (char *c = whole; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	if (strlen(typed) <= LPS_ID_LEN && lps_portfolio_id_valid(whole, letter)) {
		char path[64];
		int found = 0;
		snprintf(path, sizeof(path), "%s/%s.yaml", dir, whole);
		/* Unreadable counts as not found, as it always has. */
		lps_error_free(lps_store_has(lps_portfolio_store(p),
					     lps_portfolio_head(p), path,
					     &found));
		if (found) {
			memcpy(id, whole, LPS_ID_LEN + 1);
			return NULL;
		}
		return lps_error_new(LPS_ENOTFOUND, "no %s matches \"%s\"",
				     kind_name(letter), typed);
	}

	/* A prefix: the folder's file names. */
	git_tree *tree = NULL;
	struct lps_error *err = dir_tree(&tree, p, dir);
	if (err)
		return err;
	size_t n = tree ? git_tree_entrycount(tree) : 0;
	char (*names)[LPS_ID_LEN + 1] = calloc(n ? n : 1, sizeof(*names));
	const char **ids = calloc(n ? n : 1, sizeof(*ids));
	size_t k = 0;
	if (!names || !ids) {
		err = lps_error_nomem();
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e);
		if (git_tree_entry_type(e) != GIT_OBJECT_BLOB ||
		    strlen(name) != LPS_ID_LEN + 5 || !is_yaml_name(name))
			continue;
		memcpy(names[k], name, LPS_ID_LEN);
		names[k][LPS_ID_LEN] = '\0';
		if (!lps_portfolio_id_valid(names[k], letter))
			continue;
		ids[k] = names[k];
		k++;
	}
	const char *match = NULL;
	err = lps_portfolio_resolve_id(&match, ids, k, letter, typed);
	if (!err)
		memcpy(id, match, LPS_ID_LEN + 1);
	else if (err->code == LPS_ENOTFOUND) {
		lps_error_free(err);
		err = lps_error_new(LPS_ENOTFOUND, "no %s matches \"%s\"",
				    kind_name(letter), typed);
	}
out:
	free(ids);
	free(names);
	git_tree_free(tree);
	return err;
}
