/*
 * report_check.c - JUnit XML and GitHub annotations for `lps check`.
 *
 * JUnit wants one test case per document, including the ones that pass,
 * so the documents are listed by name (from the working tree's folders,
 * or the commit's tree) without reading them again.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "registry.h"
#include "report.h"
#include "report_check.h"

/* Bounds: a portfolio deeper than this is not one lps wrote. */
#define MAX_DEPTH 3

struct paths {
	char **v;
	size_t n, cap;
};

static int paths_add(struct paths *p, const char *s)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 64;
		char **v = realloc(p->v, cap * sizeof(*v));
		if (!v)
			return -1;
		p->v = v;
		p->cap = cap;
	}
	if (!(p->v[p->n] = strdup(s)))
		return -1;
	p->n++;
	return 0;
}

void lps_report_check_free_paths(char **paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

/* Walk top/rel (a folder) adding the documents under it. */
static struct lps_error *walk_dir(struct paths *p, const char *top,
				  const char *rel, int depth)
{
	char full[4096], child[4096];
	struct lps_error *err = NULL;

	snprintf(full, sizeof(full), "%s%s", top, rel);
	DIR *d = opendir(full);
	if (!d)
		return NULL; /* a folder that is not there has no documents */
	struct dirent *de;
	while (!err && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		int n = snprintf(child, sizeof(child), "%s/%s", rel,
				 de->d_name);
		if (n < 0 || (size_t)n >= sizeof(child))
			continue;
		struct stat st;
		snprintf(full, sizeof(full), "%s%s", top, child);
		if (lstat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (depth + 1 < MAX_DEPTH)
				err = walk_dir(p, top, child, depth + 1);
		} else if (S_ISREG(st.st_mode) &&
			   lps_registry_schema_for_path(child)) {
			if (paths_add(p, child))
				err = lps_error_nomem();
		}
	}
	closedir(d);
	return err;
}

struct tree_walk {
	struct paths *p;
	int nomem;
};

static int on_entry(const char *root, const git_tree_entry *e, void *ctx)
{
	struct tree_walk *w = ctx;
	char path[4096];

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	int n = snprintf(path, sizeof(path), "%s%s", root,
			 git_tree_entry_name(e));
	if (n < 0 || (size_t)n >= sizeof(path))
		return 0;
	if (lps_registry_schema_for_path(path) && paths_add(w->p, path)) {
		w->nomem = 1;
		return -1;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct lps_error *lps_report_check_documents(char ***out, size_t *n,
					     struct lps_store *store,
					     const char *rev)
{
	static const char *const dirs[] = { "goals", "evidence",
					    "reflections", "feedback",
					    "assessments", "frameworks" };
	struct paths p = { NULL, 0, 0 };
	struct lps_error *err = NULL;

	*out = NULL;
	*n = 0;
	if (rev) {
		git_oid oid;
		git_commit *c = NULL;
		git_tree *tree = NULL;
		struct tree_walk w = { &p, 0 };
		if ((err = lps_store_resolve(store, rev, &oid)))
			return err;
		if (git_commit_lookup(&c, lps_store_repo(store), &oid) ||
		    git_commit_tree(&tree, c) ||
		    git_tree_walk(tree, GIT_TREEWALK_PRE, on_entry, &w)) {
			const git_error *e = git_error_last();
			err = w.nomem ? lps_error_nomem()
				: lps_error_new(LPS_ESYS, "cannot read %s: %s",
						rev, e ? e->message
						       : "unknown error");
		}
		git_tree_free(tree);
		git_commit_free(c);
	} else {
		const char *top = lps_store_workdir(store);
		char full[4096];
		struct stat st;
		if (!top)
			return lps_error_new(LPS_EUSAGE, "a bare repository "
					     "has no working tree: use --rev");
		snprintf(full, sizeof(full), "%slps.yaml", top);
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode) &&
		    paths_add(&p, "lps.yaml"))
			err = lps_error_nomem();
		for (size_t i = 0; !err && i < sizeof(dirs) / sizeof(*dirs);
		     i++)
			err = walk_dir(&p, top, dirs[i], 0);
	}
	if (err) {
		lps_report_check_free_paths(p.v, p.n);
		return err;
	}
	if (p.n > 1)
		qsort(p.v, p.n, sizeof(*p.v), cmp_str);
	*out = p.v;
	*n = p.n;
	return NULL;
}

/* ---- JUnit ---- */

static int failure(struct lps_buf *out, const struct lps_check_finding *f)
{
	int bad = lps_buf_adds(out, "    <failure message=\"");
	if (f->line)
		bad |= lps_buf_addf(out, "%u:%u: ", f->line, f->col);
	bad |= lps_report_html_escape(out, f->message);
	bad |= lps_buf_adds(out, "\" type=\"");
	bad |= lps_report_html_escape(out, f->keyword ? f->keyword : "check");
	bad |= lps_buf_adds(out, "\">");
	bad |= lps_report_html_escape(out, f->path);
	if (f->line)
		bad |= lps_buf_addf(out, ":%u:%u", f->line, f->col);
	bad |= lps_buf_adds(out, ": ");
	bad |= lps_report_html_escape(out, f->message);
	bad |= lps_buf_adds(out, "</failure>\n");
	return bad;
}

/* The folder part of a path, as the test case's class ("goals"). */
static int classname(struct lps_buf *out, const char *path)
{
	const char *slash = strchr(path, '/');
	struct lps_buf t = LPS_BUF_INIT;
	int bad;
	if (slash)
		bad = lps_buf_add(&t, path, (size_t)(slash - path));
	else
		bad = lps_buf_adds(&t, "portfolio");
	bad |= lps_report_html_escape(out, t.data ? t.data : "");
	lps_buf_free(&t);
	return bad;
}

static int testcase(struct lps_buf *out, const char *path,
		    const struct lps_check_finding *const *f, size_t nf)
{
	int bad = lps_buf_adds(out, "  <testcase classname=\"");
	bad |= classname(out, path);
	bad |= lps_buf_adds(out, "\" name=\"");
	bad |= lps_report_html_escape(out, path);
	if (!nf)
		return bad | lps_buf_adds(out, "\"/>\n");
	bad |= lps_buf_adds(out, "\">\n");
	for (size_t i = 0; i < nf && !bad; i++)
		bad |= failure(out, f[i]);
	return bad | lps_buf_adds(out, "  </testcase>\n");
}

/* Findings by path, keeping their order within a path. */
static int cmp_finding(const void *a, const void *b)
{
	const struct lps_check_finding *x = *(const struct lps_check_finding
					      *const *)a;
	const struct lps_check_finding *y = *(const struct lps_check_finding
					      *const *)b;
	int c = strcmp(x->path, y->path);
	return c ? c : (x < y ? -1 : x > y);
}

/* Walk documents and findings merged by path; emit (when out) or count. */
static int merge(struct lps_buf *out, const struct lps_check_finding **f,
		 size_t nf, char *const *docs, size_t ndocs, size_t *cases,
		 size_t *failed)
{
	size_t d = 0, i = 0;
	int bad = 0;
	while (!bad && (d < ndocs || i < nf)) {
		int c = d >= ndocs ? 1 : i >= nf ? -1
			: strcmp(docs[d], f[i]->path);
		const char *path = c <= 0 ? docs[d] : f[i]->path;
		size_t j = i;
		while (j < nf && strcmp(f[j]->path, path) == 0)
			j++;
		(*cases)++;
		*failed += j > i;
		if (out)
			bad |= testcase(out, path, f + i, j - i);
		if (c <= 0)
			d++;
		i = j;
	}
	return bad;
}

struct lps_error *lps_report_check_junit(struct lps_buf *out,
					 const struct lps_check_result *r,
					 char *const *docs, size_t ndocs)
{
	const struct lps_check_finding **f = calloc(r->n ? r->n : 1,
						    sizeof(*f));
	size_t cases = 0, failed = 0, c2 = 0, f2 = 0;
	int bad = !f;

	for (size_t i = 0; f && i < r->n; i++)
		f[i] = &r->items[i];
	if (f && r->n > 1)
		qsort(f, r->n, sizeof(*f), cmp_finding);
	if (!bad) {
		merge(NULL, f, r->n, docs, ndocs, &cases, &failed);
		bad |= lps_buf_addf(out,
			"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<testsuite name=\"lps check\" tests=\"%zu\" "
			"failures=\"%zu\" errors=\"0\" skipped=\"0\">\n",
			cases, failed);
		bad |= merge(out, f, r->n, docs, ndocs, &c2, &f2);
		bad |= lps_buf_adds(out, "</testsuite>\n");
	}
	free(f);
	return bad ? lps_error_nomem() : NULL;
}

/* ---- GitHub ---- */

static int gh_escape(struct lps_buf *out, const char *s, int property)
{
	int bad = 0;
	for (; *s && !bad; s++) {
		switch (*s) {
		case '%': bad = lps_buf_adds(out, "%25"); break;
		case '\r': bad = lps_buf_adds(out, "%0D"); break;
		case '\n': bad = lps_buf_adds(out, "%0A"); break;
		case ':':
			bad = property ? lps_buf_adds(out, "%3A")
				       : lps_buf_addc(out, ':');
			break;
		case ',':
			bad = property ? lps_buf_adds(out, "%2C")
				       : lps_buf_addc(out, ',');
			break;
		default: bad = lps_buf_addc(out, *s);
		}
	}
	return bad;
}

struct lps_error *lps_report_check_github(struct lps_buf *out,
					  const struct lps_check_result *r)
{
	int bad = 0;
	for (size_t i = 0; i < r->n && !bad; i++) {
		const struct lps_check_finding *f = &r->items[i];
		bad |= lps_buf_adds(out, "::error file=");
		bad |= gh_escape(out, f->path, 1);
		if (f->line)
			bad |= lps_buf_addf(out, ",line=%u,col=%u", f->line,
					    f->col ? f->col : 1);
		bad |= lps_buf_adds(out, "::");
		bad |= gh_escape(out, f->message, 0);
		bad |= lps_buf_addc(out, '\n');
	}
	return bad ? lps_error_nomem() : NULL;
}
