/*
 * test-store.c - the git store: opening and creating repositories,
 * reading at revisions, committing change sets (refusals, races, the
 * index and working tree afterwards), finishing a commit whose lps was
 * killed midway, and change-set path rules.
 *
 * Every test works in its own mkdtemp repository with the identity in the
 * repository's own config; the global and system configuration are
 * pointed at an empty folder so the developer's own ~/.gitconfig never
 * leaks in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store-int.h"
#include "errassert.h"

/* ------------------------------------------------------------ helpers */

static char empty_home[64];

static void rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *de;
		while (d && (de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			char sub[4096];
			snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
			rm_rf(sub);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

struct fx {
	char dir[64];
	struct lps_store *store;
};

static void set_identity(git_repository *repo)
{
	git_config *cfg;
	assert_int_equal(git_repository_config(&cfg, repo), 0);
	assert_int_equal(git_config_set_string(cfg, "user.name", "Ada Leader"),
			 0);
	assert_int_equal(git_config_set_string(cfg, "user.email",
					       "ada@example.org"), 0);
	git_config_free(cfg);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	strcpy(f->dir, "/tmp/lps-store-test.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	int created = 0;
	ok(lps_store_init(&f->store, f->dir, &created));
	assert_int_equal(created, 1);
	set_identity(lps_store_repo(f->store));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	lps_store_free(f->store);
	rm_rf(f->dir);
	free(f);
	return 0;
}

/* Commit one write (data NULL: a removal). */
static struct lps_error *commit1(struct fx *f, const char *path,
				 const char *data, const char *msg,
				 git_oid *out)
{
	struct lps_changeset *cs;
	ok(lps_changeset_new(&cs));
	if (data)
		ok(lps_changeset_write(cs, path, data, strlen(data)));
	else
		ok(lps_changeset_remove(cs, path));
	struct lps_error *err = lps_store_commit(f->store, cs, msg, out);
	lps_changeset_free(cs);
	return err;
}

static char *wt_path(struct fx *f, const char *rel)
{
	static char buf[4096];
	snprintf(buf, sizeof(buf), "%s/%s", f->dir, rel);
	return buf;
}

static void write_wt(struct fx *f, const char *rel, const char *data)
{
	FILE *fp = fopen(wt_path(f, rel), "w");
	assert_non_null(fp);
	fputs(data, fp);
	fclose(fp);
}

/* The working-tree file's content (caller frees), NULL when missing. */
static char *read_wt(struct fx *f, const char *rel)
{
	struct lps_buf b = LPS_BUF_INIT;
	struct lps_error *err = lps_buf_read_file(&b, wt_path(f, rel), 1 << 20);
	if (err) {
		assert_int_equal(err->code, LPS_ENOTFOUND);
		lps_error_free(err);
		return NULL;
	}
	return lps_buf_detach(&b, NULL);
}

static void assert_wt(struct fx *f, const char *rel, const char *want)
{
	char *got = read_wt(f, rel);
	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* Content of path at HEAD (caller frees), NULL when missing. */
static char *read_head(struct fx *f, const char *path)
{
	git_oid head;
	ok(lps_store_resolve(f->store, NULL, &head));
	struct lps_buf b = LPS_BUF_INIT;
	struct lps_error *err = lps_store_read(f->store, &head, path, &b);
	if (err) {
		assert_int_equal(err->code, LPS_ENOTFOUND);
		lps_error_free(err);
		lps_buf_free(&b);
		return NULL;
	}
	return lps_buf_detach(&b, NULL);
}

static void assert_head(struct fx *f, const char *path, const char *want)
{
	char *got = read_head(f, path);
	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void head_id(struct fx *f, git_oid *id)
{
	ok(lps_store_resolve(f->store, NULL, id));
}

/* Number of entries git status reports (a fresh repository object, so
 * nothing lps cached is used). */
static size_t status_count(struct fx *f)
{
	git_repository *repo;
	assert_int_equal(git_repository_open(&repo, f->dir), 0);
	git_status_options o;
	git_status_options_init(&o, GIT_STATUS_OPTIONS_VERSION);
	o.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED |
		  GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
	git_status_list *sl;
	assert_int_equal(git_status_list_new(&sl, repo, &o), 0);
	size_t n = git_status_list_entrycount(sl);
	for (size_t i = 0; i < n; i++) {
		const git_status_entry *e = git_status_byindex(sl, i);
		const git_diff_delta *d = e->index_to_workdir ?
			e->index_to_workdir : e->head_to_index;
		print_error("status: %x %s\n", e->status,
			    d ? d->old_file.path : "?");
	}
	git_status_list_free(sl);
	git_repository_free(repo);
	return n;
}

static void assert_no_leftovers(struct fx *f)
{
	struct stat st;
	assert_int_equal(lstat(wt_path(f, ".git/index.lock"), &st), -1);
	assert_int_equal(lstat(wt_path(f, ".git/lps-index"), &st), -1);
	assert_int_equal(lstat(wt_path(f, ".git/lps-index.lock"), &st), -1);
}

/* ------------------------------------------------------------ opening */

static void test_open_and_init(void **state)
{
	struct fx *f = *state;
	struct lps_store *s = NULL;
	/* found from a subfolder, like git */
	char sub[128];
	snprintf(sub, sizeof(sub), "%s/a/b", f->dir);
	assert_int_equal(mkdir(wt_path(f, "a"), 0777), 0);
	assert_int_equal(mkdir(sub, 0777), 0);
	ok(lps_store_open(&s, sub));
	char want[128];
	snprintf(want, sizeof(want), "%s/", f->dir);
	assert_string_equal(lps_store_workdir(s), want);
	lps_store_free(s);

	/* init on an existing repository adopts it */
	int created = 7;
	ok(lps_store_init(&s, f->dir, &created));
	assert_int_equal(created, 0);
	lps_store_free(s);

	/* the branch of a new repository is main */
	git_reference *head;
	assert_int_equal(git_reference_lookup(&head, lps_store_repo(f->store),
					      "HEAD"), 0);
	assert_string_equal(git_reference_symbolic_target(head),
			    "refs/heads/main");
	git_reference_free(head);

	/* not a repository */
	char tmp[] = "/tmp/lps-store-norepo.XXXXXX";
	assert_non_null(mkdtemp(tmp));
	s = (struct lps_store *)1;
	char msg[160];
	snprintf(msg, sizeof(msg), "not a git repository (or any parent): %s",
		 tmp);
	expect_err(lps_store_open(&s, tmp), LPS_ENOTFOUND, msg);
	assert_null(s);
	rmdir(tmp);
}

static void test_init_default_branch(void **state)
{
	(void)state;
	char home[] = "/tmp/lps-store-home.XXXXXX";
	assert_non_null(mkdtemp(home));
	char cfgpath[128];
	snprintf(cfgpath, sizeof(cfgpath), "%s/.gitconfig", home);
	FILE *fp = fopen(cfgpath, "w");
	assert_non_null(fp);
	fputs("[init]\n\tdefaultBranch = trunk\n", fp);
	fclose(fp);
	assert_int_equal(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH,
					  GIT_CONFIG_LEVEL_GLOBAL, home), 0);
	char dir[] = "/tmp/lps-store-trunk.XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct lps_store *s;
	int created;
	ok(lps_store_init(&s, dir, &created));
	assert_int_equal(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH,
					  GIT_CONFIG_LEVEL_GLOBAL, empty_home),
			 0);
	git_reference *head;
	assert_int_equal(git_reference_lookup(&head, lps_store_repo(s), "HEAD"),
			 0);
	assert_string_equal(git_reference_symbolic_target(head),
			    "refs/heads/trunk");
	git_reference_free(head);
	lps_store_free(s);
	rm_rf(dir);
	rm_rf(home);
}

/* ------------------------------------------------------------ commits */

static void test_first_commit(void **state)
{
	struct fx *f = *state;
	git_oid id, head;
	expect_err(lps_store_resolve(f->store, NULL, &head), LPS_ENOTFOUND,
		   "unknown revision \"HEAD\"");
	struct lps_changeset *cs;
	ok(lps_changeset_new(&cs));
	ok(lps_changeset_write(cs, "lps.yaml", "lps: 1\n", 7));
	ok(lps_changeset_write(cs, "goals/g-1234abcd.yaml", "id: g-1\n", 8));
	assert_int_equal(lps_changeset_count(cs), 2);
	const char *msg = "init: portfolio for Ada\n\nLPS-Command: init\n"
			  "LPS-Phase: purpose\n";
	ok(lps_store_commit(f->store, cs, msg, &id));
	lps_changeset_free(cs);

	head_id(f, &head);
	assert_true(git_oid_equal(&id, &head));
	git_commit *c;
	assert_int_equal(git_commit_lookup(&c, lps_store_repo(f->store), &id),
			 0);
	assert_int_equal(git_commit_parentcount(c), 0);
	assert_string_equal(git_commit_message(c), msg);
	assert_string_equal(git_commit_author(c)->name, "Ada Leader");
	assert_string_equal(git_commit_author(c)->email, "ada@example.org");
	assert_string_equal(git_commit_committer(c)->email, "ada@example.org");
	git_commit_free(c);

	assert_head(f, "lps.yaml", "lps: 1\n");
	assert_head(f, "goals/g-1234abcd.yaml", "id: g-1\n");
	assert_wt(f, "lps.yaml", "lps: 1\n");
	assert_wt(f, "goals/g-1234abcd.yaml", "id: g-1\n");
	assert_int_equal(status_count(f), 0);
	assert_no_leftovers(f);

	/* the reflog says what git would */
	git_reflog *log;
	assert_int_equal(git_reflog_read(&log, lps_store_repo(f->store),
					 "refs/heads/main"), 0);
	assert_int_equal(git_reflog_entrycount(log), 1);
	assert_string_equal(git_reflog_entry_message(
				    git_reflog_entry_byindex(log, 0)),
			    "commit (initial): init: portfolio for Ada");
	git_reflog_free(log);
}

static void test_overwrite_delete_nested(void **state)
{
	struct fx *f = *state;
	git_oid c1, c2;
	struct lps_changeset *cs;
	ok(lps_changeset_new(&cs));
	ok(lps_changeset_write(cs, "x.yaml", "one\n", 4));
	ok(lps_changeset_write(cs, "a/b/c.yaml", "deep\n", 5));
	ok(lps_changeset_write(cs, "a/keep.yaml", "keep\n", 5));
	ok(lps_store_commit(f->store, cs, "first", &c1));
	lps_changeset_free(cs);

	ok(lps_changeset_new(&cs));
	ok(lps_changeset_write(cs, "x.yaml", "two\n", 4));
	ok(lps_changeset_remove(cs, "a/b/c.yaml"));
	ok(lps_store_commit(f->store, cs, "second\n\nLPS-Command: test", &c2));
	lps_changeset_free(cs);

	assert_head(f, "x.yaml", "two\n");
	assert_head(f, "a/b/c.yaml", NULL);
	assert_head(f, "a/keep.yaml", "keep\n");
	assert_wt(f, "x.yaml", "two\n");
	assert_wt(f, "a/b/c.yaml", NULL);
	struct stat st;
	/* the folder the removal emptied is gone, in git and on disk */
	assert_int_equal(lstat(wt_path(f, "a/b"), &st), -1);
	assert_int_equal(lstat(wt_path(f, "a"), &st), 0);
	assert_int_equal(status_count(f), 0);

	/* the old revision still reads */
	struct lps_buf b = LPS_BUF_INIT;
	ok(lps_store_read(f->store, &c1, "x.yaml", &b));
	assert_string_equal(b.data, "one\n");
	ok(lps_store_read(f->store, &c1, "a/b/c.yaml", &b));
	assert_string_equal(b.data, "deep\n");
	char msg[120], hex[8];
	git_oid_tostr(hex, sizeof(hex), &c2);
	snprintf(msg, sizeof(msg), "a/b/c.yaml: no such file in commit %s",
		 hex);
	expect_err(lps_store_read(f->store, &c2, "a/b/c.yaml", &b),
		   LPS_ENOTFOUND, msg);
	snprintf(msg, sizeof(msg), "a: no such file in commit %s", hex);
	expect_err(lps_store_read(f->store, &c2, "a", &b), LPS_ENOTFOUND, msg);
	lps_buf_free(&b);

	/* the message is git's normal form: one trailing newline */
	git_commit *c;
	assert_int_equal(git_commit_lookup(&c, lps_store_repo(f->store), &c2),
			 0);
	assert_string_equal(git_commit_message(c),
			    "second\n\nLPS-Command: test\n");
	assert_int_equal(git_commit_parentcount(c), 1);
	assert_true(git_oid_equal(git_commit_parent_id(c, 0), &c1));
	git_commit_free(c);

	/* removing what is not there */
	expect_err(commit1(f, "nope.yaml", NULL, "rm", NULL), LPS_ENOTFOUND,
		   "nope.yaml: cannot remove: not in refs/heads/main");
	/* a file where the branch has a folder, and the other way round */
	expect_err(commit1(f, "a", "x", "m", NULL), LPS_EINVALID,
		   "a: is a folder in refs/heads/main");
	expect_err(commit1(f, "x.yaml/y", "x", "m", NULL), LPS_EINVALID,
		   "x.yaml/y: x.yaml is a file in refs/heads/main");
	/* an empty message */
	expect_err(commit1(f, "m.yaml", "x", " \n\n", NULL), LPS_EINVALID,
		   "empty commit message");
	assert_no_leftovers(f);
}

struct seen {
	char paths[16][64];
	char data[16][32];
	int n;
	int stop_at;
};

static int collect(void *ctx, const char *path, const char *data, size_t len)
{
	struct seen *s = ctx;
	if (s->n >= 16)
		return 1;
	snprintf(s->paths[s->n], 64, "%s", path);
	snprintf(s->data[s->n], 32, "%.*s", (int)len, data);
	s->n++;
	return s->stop_at && s->n == s->stop_at;
}

static void test_foreach_order(void **state)
{
	struct fx *f = *state;
	const char *paths[] = {
		"goals/b.yaml", "goals/a.yaml", "goals/a-x.yaml", "goals.yaml",
		"goals/sub/z.yaml", "evidence/e.yaml", "goals/sub.yaml",
	};
	struct lps_changeset *cs;
	ok(lps_changeset_new(&cs));
	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++)
		ok(lps_changeset_write(cs, paths[i], paths[i],
				       strlen(paths[i])));
	git_oid id;
	ok(lps_store_commit(f->store, cs, "many", &id));
	lps_changeset_free(cs);

	struct seen s = { .n = 0 };
	ok(lps_store_foreach(f->store, &id, "", collect, &s));
	const char *want[] = {
		"evidence/e.yaml", "goals.yaml", "goals/a-x.yaml",
		"goals/a.yaml", "goals/b.yaml", "goals/sub.yaml",
		"goals/sub/z.yaml",
	};
	assert_int_equal(s.n, 7);
	for (int i = 0; i < 7; i++) {
		assert_string_equal(s.paths[i], want[i]);
		assert_string_equal(s.data[i], want[i]);
	}
	memset(&s, 0, sizeof(s));
	ok(lps_store_foreach(f->store, &id, "goals/", collect, &s));
	assert_int_equal(s.n, 5);
	assert_string_equal(s.paths[0], "goals/a-x.yaml");
	assert_string_equal(s.paths[4], "goals/sub/z.yaml");
	memset(&s, 0, sizeof(s));
	ok(lps_store_foreach(f->store, &id, "goals/sub", collect, &s));
	assert_int_equal(s.n, 1);
	assert_string_equal(s.paths[0], "goals/sub/z.yaml");
	memset(&s, 0, sizeof(s));
	ok(lps_store_foreach(f->store, &id, "reflections", collect, &s));
	ok(lps_store_foreach(f->store, &id, "goals.yaml", collect, &s));
	assert_int_equal(s.n, 0);
	s.stop_at = 2;
	expect_err(lps_store_foreach(f->store, &id, NULL, collect, &s),
		   LPS_EINVALID, "stopped");
	assert_int_equal(s.n, 2);
}

static int count_walk(void *ctx, git_commit *c)
{
	struct seen *s = ctx;
	snprintf(s->paths[s->n], 64, "%s", git_commit_summary(c));
	s->n++;
	return s->stop_at && s->n == s->stop_at;
}

static void test_walk_and_resolve(void **state)
{
	struct fx *f = *state;
	struct seen s = { .n = 0 };
	ok(lps_store_walk(f->store, NULL, count_walk, &s));
	assert_int_equal(s.n, 0); /* unborn: nothing */
	git_oid c1, c2, c3, r;
	ok(commit1(f, "a.yaml", "1", "one", &c1));
	ok(commit1(f, "a.yaml", "2", "two", &c2));
	ok(commit1(f, "a.yaml", "3", "three", &c3));
	ok(lps_store_walk(f->store, NULL, count_walk, &s));
	assert_int_equal(s.n, 3);
	assert_string_equal(s.paths[0], "three");
	assert_string_equal(s.paths[2], "one");
	memset(&s, 0, sizeof(s));
	s.stop_at = 1;
	ok(lps_store_walk(f->store, &c2, count_walk, &s));
	assert_int_equal(s.n, 1);
	assert_string_equal(s.paths[0], "two");

	ok(lps_store_resolve(f->store, "HEAD~2", &r));
	assert_true(git_oid_equal(&r, &c1));
	ok(lps_store_resolve(f->store, "main", &r));
	assert_true(git_oid_equal(&r, &c3));
	expect_err(lps_store_resolve(f->store, "xyz", &r), LPS_ENOTFOUND,
		   "unknown revision \"xyz\"");
	expect_err(lps_store_resolve(f->store, "HEAD~9", &r), LPS_ENOTFOUND,
		   "unknown revision \"HEAD~9\"");
}

/* ------------------------------------------------------------ refusals */

static void test_refuse_dirty_worktree(void **state)
{
	struct fx *f = *state;
	git_oid c1, h;
	ok(commit1(f, "goals/g-1234abcd.yaml", "v1\n", "one", &c1));
	ok(commit1(f, "other.yaml", "o\n", "two", &c1));
	write_wt(f, "goals/g-1234abcd.yaml", "my edit\n");
	expect_err(commit1(f, "goals/g-1234abcd.yaml", "v2\n", "three", NULL),
		   LPS_EREFUSED, "goals/g-1234abcd.yaml: has uncommitted "
		   "changes; commit or discard them first");
	head_id(f, &h);
	assert_true(git_oid_equal(&h, &c1));
	assert_wt(f, "goals/g-1234abcd.yaml", "my edit\n");
	assert_no_leftovers(f);
	/* a removal is refused the same way */
	expect_err(commit1(f, "goals/g-1234abcd.yaml", NULL, "rm", NULL),
		   LPS_EREFUSED, "goals/g-1234abcd.yaml: has uncommitted "
		   "changes; commit or discard them first");
	/* other paths may still be committed; the edit stays */
	ok(commit1(f, "other.yaml", "o2\n", "four", NULL));
	assert_wt(f, "goals/g-1234abcd.yaml", "my edit\n");
	assert_wt(f, "other.yaml", "o2\n");
	/* the edit equal to what we write loses nothing */
	ok(commit1(f, "goals/g-1234abcd.yaml", "my edit\n", "five", NULL));
	assert_int_equal(status_count(f), 0);
	/* a missing working-tree file loses nothing either */
	assert_int_equal(unlink(wt_path(f, "other.yaml")), 0);
	ok(commit1(f, "other.yaml", "o3\n", "six", NULL));
	assert_wt(f, "other.yaml", "o3\n");
	assert_int_equal(status_count(f), 0);
}

static void test_refuse_staged(void **state)
{
	struct fx *f = *state;
	git_oid c1, h;
	ok(commit1(f, "x.yaml", "v1\n", "one", &c1));
	/* stage an edit, as `git add` would */
	write_wt(f, "x.yaml", "staged\n");
	git_repository *repo;
	git_index *idx;
	assert_int_equal(git_repository_open(&repo, f->dir), 0);
	assert_int_equal(git_repository_index(&idx, repo), 0);
	assert_int_equal(git_index_add_bypath(idx, "x.yaml"), 0);
	assert_int_equal(git_index_write(idx), 0);
	git_index_free(idx);
	git_repository_free(repo);
	/* even with the working tree back to HEAD's content */
	write_wt(f, "x.yaml", "v1\n");
	expect_err(commit1(f, "x.yaml", "v2\n", "two", NULL), LPS_EREFUSED,
		   "x.yaml: has uncommitted changes; commit or discard them "
		   "first");
	head_id(f, &h);
	assert_true(git_oid_equal(&h, &c1));
	assert_wt(f, "x.yaml", "v1\n");
	assert_no_leftovers(f);
}

static void test_refuse_untracked(void **state)
{
	struct fx *f = *state;
	ok(commit1(f, "lps.yaml", "lps: 1\n", "one", NULL));
	assert_int_equal(mkdir(wt_path(f, "goals"), 0777), 0);
	write_wt(f, "goals/new.yaml", "mine\n");
	expect_err(commit1(f, "goals/new.yaml", "theirs\n", "two", NULL),
		   LPS_EREFUSED, "goals/new.yaml: has uncommitted changes; "
		   "commit or discard them first");
	assert_wt(f, "goals/new.yaml", "mine\n");
	assert_head(f, "goals/new.yaml", NULL);
	ok(commit1(f, "goals/new.yaml", "mine\n", "three", NULL));
	assert_head(f, "goals/new.yaml", "mine\n");
	assert_int_equal(status_count(f), 0);
	/* a folder of the path that is a file on disk */
	write_wt(f, "notes", "a file\n");
	expect_err(commit1(f, "notes/n.yaml", "x\n", "four", NULL),
		   LPS_EREFUSED,
		   "notes/n.yaml: notes is in the way in the working tree");
	/* a folder where the file would go */
	assert_int_equal(mkdir(wt_path(f, "dir.yaml"), 0777), 0);
	expect_err(commit1(f, "dir.yaml", "x\n", "five", NULL), LPS_EREFUSED,
		   "dir.yaml: has uncommitted changes; commit or discard them "
		   "first");
}

static void test_refuse_no_identity(void **state)
{
	struct fx *f = *state;
	git_config *cfg;
	assert_int_equal(git_repository_config(&cfg, lps_store_repo(f->store)),
			 0);
	assert_int_equal(git_config_delete_entry(cfg, "user.email"), 0);
	git_config_free(cfg);
	expect_err(commit1(f, "x.yaml", "v\n", "one", NULL), LPS_EREFUSED,
		   "no git identity: set it with: git config --global "
		   "user.name \"Your Name\" && git config --global user.email "
		   "you@example.org");
	git_oid h;
	expect_err(lps_store_resolve(f->store, NULL, &h), LPS_ENOTFOUND,
		   "unknown revision \"HEAD\"");
	assert_wt(f, "x.yaml", NULL);
	struct stat st;
	assert_int_equal(lstat(wt_path(f, ".git/lps.lock"), &st), -1);
	assert_no_leftovers(f);
	/* the environment can supply it, as with git */
	setenv("GIT_AUTHOR_EMAIL", "env@example.org", 1);
	setenv("GIT_COMMITTER_EMAIL", "cenv@example.org", 1);
	setenv("GIT_AUTHOR_DATE", "2026-09-01T10:00:00Z", 1);
	setenv("GIT_COMMITTER_DATE", "@1790000000 +0200", 1);
	git_oid id;
	struct lps_error *err = commit1(f, "x.yaml", "v\n", "one", &id);
	unsetenv("GIT_AUTHOR_EMAIL");
	unsetenv("GIT_COMMITTER_EMAIL");
	unsetenv("GIT_AUTHOR_DATE");
	unsetenv("GIT_COMMITTER_DATE");
	ok(err);
	git_commit *c;
	assert_int_equal(git_commit_lookup(&c, lps_store_repo(f->store), &id),
			 0);
	assert_string_equal(git_commit_author(c)->name, "Ada Leader");
	assert_string_equal(git_commit_author(c)->email, "env@example.org");
	assert_int_equal(git_commit_author(c)->when.time, 1788256800);
	assert_int_equal(git_commit_author(c)->when.offset, 0);
	assert_string_equal(git_commit_committer(c)->email, "cenv@example.org");
	assert_int_equal(git_commit_committer(c)->when.time, 1790000000);
	assert_int_equal(git_commit_committer(c)->when.offset, 120);
	git_commit_free(c);
}

static void test_parse_date(void **state)
{
	(void)state;
	git_time_t t;
	int off;
	assert_int_equal(lps_store__parse_date("1700000000 -0130", &t, &off), 0);
	assert_int_equal(t, 1700000000);
	assert_int_equal(off, -90);
	assert_int_equal(lps_store__parse_date("2000-03-01 00:00:00 +01:00",
					       &t, &off), 0);
	assert_int_equal(t, 951865200);
	assert_int_equal(off, 60);
	assert_int_equal(lps_store__parse_date("1970-01-01T00:00:00.5Z", &t,
					       &off), 0);
	assert_int_equal(t, 0);
	assert_int_equal(lps_store__parse_date("yesterday", &t, &off), -1);
	assert_int_equal(lps_store__parse_date("2026-13-01T00:00:00Z", &t,
					       &off), -1);
	assert_int_equal(lps_store__parse_date("2026-01-01T00:00:00 +9", &t,
					       &off), -1);
	setenv("GIT_AUTHOR_DATE", "soon", 1);
	git_signature *a, *c;
	char dir[] = "/tmp/lps-store-date.XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct lps_store *s;
	ok(lps_store_init(&s, dir, NULL));
	set_identity(lps_store_repo(s));
	expect_err(lps_store__signatures(lps_store_repo(s), &a, &c),
		   LPS_EINVALID, "invalid date in GIT_AUTHOR_DATE: \"soon\"");
	unsetenv("GIT_AUTHOR_DATE");
	lps_store_free(s);
	rm_rf(dir);
}

static void test_refuse_locked_index(void **state)
{
	struct fx *f = *state;
	git_oid c1, h;
	ok(commit1(f, "x.yaml", "v1\n", "one", &c1));
	int fd = open(wt_path(f, ".git/index.lock"), O_CREAT | O_WRONLY, 0666);
	assert_true(fd >= 0);
	close(fd);
	char msg[300];
	snprintf(msg, sizeof(msg), "cannot lock the index: %s/.git/index.lock "
		 "exists; another git process may be running (if not, remove "
		 "that file)", f->dir);
	expect_err(commit1(f, "x.yaml", "v2\n", "two", NULL), LPS_EREFUSED,
		   msg);
	head_id(f, &h);
	assert_true(git_oid_equal(&h, &c1));
	assert_wt(f, "x.yaml", "v1\n");
	/* someone else's lock is left alone */
	struct stat st;
	assert_int_equal(lstat(wt_path(f, ".git/index.lock"), &st), 0);
	unlink(wt_path(f, ".git/index.lock"));
	ok(commit1(f, "x.yaml", "v2\n", "two", NULL));
	assert_wt(f, "x.yaml", "v2\n");
}

static void test_refuse_detached_and_bare(void **state)
{
	struct fx *f = *state;
	git_oid c1;
	ok(commit1(f, "x.yaml", "v1\n", "one", &c1));
	git_repository *repo = lps_store_repo(f->store);
	assert_int_equal(git_repository_set_head_detached(repo, &c1), 0);
	expect_err(commit1(f, "x.yaml", "v2\n", "two", NULL), LPS_EREFUSED,
		   "HEAD is detached; check out a branch first");
	assert_wt(f, "x.yaml", "v1\n");
	assert_no_leftovers(f);

	char dir[] = "/tmp/lps-store-bare.XXXXXX";
	assert_non_null(mkdtemp(dir));
	git_repository *bare;
	assert_int_equal(git_repository_init(&bare, dir, 1), 0);
	git_repository_free(bare);
	struct lps_store *s;
	ok(lps_store_open(&s, dir));
	assert_null(lps_store_workdir(s));
	char msg[128];
	snprintf(msg, sizeof(msg), "cannot commit in a bare repository: %s/",
		 dir);
	struct lps_changeset *cs;
	ok(lps_changeset_new(&cs));
	ok(lps_changeset_write(cs, "x.yaml", "x", 1));
	expect_err(lps_store_commit(s, cs, "m", NULL), LPS_EREFUSED, msg);
	lps_changeset_free(cs);
	lps_store_free(s);
	rm_rf(dir);
}

/* ------------------------------------------------------------ races */

struct racer {
	int calls;
	int moves;       /* how many calls move the branch */
	const char *path; /* NULL: a distinct file per move */
};

/* Commit straight onto refs/heads/main the way another writer would. */
static void race_commit(git_repository *repo, const char *path,
			const char *data)
{
	git_oid tip, blob, tree_id, id;
	git_commit *parent;
	git_tree *base, *tree;
	assert_int_equal(git_reference_name_to_id(&tip, repo,
						  "refs/heads/main"), 0);
	assert_int_equal(git_commit_lookup(&parent, repo, &tip), 0);
	assert_int_equal(git_commit_tree(&base, parent), 0);
	assert_int_equal(git_blob_create_from_buffer(&blob, repo, data,
						     strlen(data)), 0);
	git_tree_update up = {
		.action = GIT_TREE_UPDATE_UPSERT, .id = blob,
		.filemode = GIT_FILEMODE_BLOB, .path = path,
	};
	assert_int_equal(git_tree_create_updated(&tree_id, repo, base, 1, &up),
			 0);
	assert_int_equal(git_tree_lookup(&tree, repo, &tree_id), 0);
	git_signature *sig;
	assert_int_equal(git_signature_new(&sig, "Racer", "r@example.org",
					   1700000000, 0), 0);
	const git_commit *parents[] = { parent };
	assert_int_equal(git_commit_create(&id, repo, "refs/heads/main", sig,
					   sig, NULL, "race", tree, 1,
					   parents), 0);
	git_signature_free(sig);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(parent);
}

static void race_hook(void *ctx, struct lps_store *store)
{
	struct racer *r = ctx;
	r->calls++;
	if (r->calls > r->moves)
		return;
	char path[64], data[32];
	snprintf(path, sizeof(path), "race-%d.yaml", r->calls);
	snprintf(data, sizeof(data), "race %d\n", r->calls);
	race_commit(lps_store_repo(store), r->path ? r->path : path, data);
}

static void run_races(struct fx *f, int moves)
{
	git_oid c1, id, h;
	ok(commit1(f, "x.yaml", "v1\n", "one", &c1));
	struct racer r = { .moves = moves };
	lps_store_set_race_hook(f->store, race_hook, &r);
	struct lps_error *err = commit1(f, "x.yaml", "v2\n", "ours", &id);
	lps_store_set_race_hook(f->store, NULL, NULL);
	head_id(f, &h);
	if (moves >= 5) {
		expect_err(err, LPS_ECONFLICT, "lost the race to update "
			   "refs/heads/main 5 times; try again");
		assert_int_equal(r.calls, 5);
		assert_wt(f, "x.yaml", "v1\n");
		assert_head(f, "x.yaml", "v1\n");
		assert_head(f, "race-5.yaml", "race 5\n");
		assert_no_leftovers(f);
		return;
	}
	ok(err);
	assert_int_equal(r.calls, moves + 1);
	assert_true(git_oid_equal(&h, &id));
	assert_head(f, "x.yaml", "v2\n");
	assert_wt(f, "x.yaml", "v2\n");
	/* every racer's commit is kept, ours on top of the last */
	for (int i = 1; i <= moves; i++) {
		char p[32], d[32];
		snprintf(p, sizeof(p), "race-%d.yaml", i);
		snprintf(d, sizeof(d), "race %d\n", i);
		assert_head(f, p, d);
	}
	git_commit *c;
	assert_int_equal(git_commit_lookup(&c, lps_store_repo(f->store), &id),
			 0);
	assert_int_equal(git_commit_parentcount(c), 1);
	size_t n = 0;
	git_revwalk *w;
	git_oid x;
	assert_int_equal(git_revwalk_new(&w, lps_store_repo(f->store)), 0);
	assert_int_equal(git_revwalk_push(w, &id), 0);
	while (git_revwalk_next(&x, w) == 0)
		n++;
	git_revwalk_free(w);
	assert_int_equal(n, (size_t)moves + 2);
	git_commit_free(c);
}

static void test_race_1(void **state) { run_races(*state, 1); }
static void test_race_4(void **state) { run_races(*state, 4); }
static void test_race_5(void **state) { run_races(*state, 5); }
static void test_race_6(void **state) { run_races(*state, 6); }

static void test_race_same_path(void **state)
{
	struct fx *f = *state;
	git_oid c1;
	ok(commit1(f, "x.yaml", "v1\n", "one", &c1));
	struct racer r = { .moves = 1, .path = "x.yaml" };
	lps_store_set_race_hook(f->store, race_hook, &r);
	expect_err(commit1(f, "x.yaml", "v2\n", "ours", NULL), LPS_ECONFLICT,
		   "x.yaml: was changed by another commit on refs/heads/main "
		   "meanwhile; try again");
	lps_store_set_race_hook(f->store, NULL, NULL);
	assert_head(f, "x.yaml", "race 1\n");
	assert_wt(f, "x.yaml", "v1\n");
	assert_no_leftovers(f);
}

/* Another writer makes the branch's first commit while we make ours. */
static void birth_hook(void *ctx, struct lps_store *store)
{
	int *calls = ctx;
	if ((*calls)++ > 0)
		return;
	git_repository *repo = lps_store_repo(store);
	git_oid blob, tree_id, id;
	git_treebuilder *tb;
	assert_int_equal(git_blob_create_from_buffer(&blob, repo, "r\n", 2), 0);
	assert_int_equal(git_treebuilder_new(&tb, repo, NULL), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, "r.yaml", &blob,
						GIT_FILEMODE_BLOB), 0);
	assert_int_equal(git_treebuilder_write(&tree_id, tb), 0);
	git_treebuilder_free(tb);
	git_tree *tree;
	assert_int_equal(git_tree_lookup(&tree, repo, &tree_id), 0);
	git_signature *sig;
	assert_int_equal(git_signature_new(&sig, "R", "r@example.org", 1, 0),
			 0);
	assert_int_equal(git_commit_create(&id, repo, "refs/heads/main", sig,
					   sig, NULL, "root", tree, 0, NULL),
			 0);
	git_signature_free(sig);
	git_tree_free(tree);
}

static void test_race_first_commit(void **state)
{
	struct fx *f = *state;
	int calls = 0;
	git_oid ours;
	lps_store_set_race_hook(f->store, birth_hook, &calls);
	ok(commit1(f, "x.yaml", "x\n", "ours", &ours));
	lps_store_set_race_hook(f->store, NULL, NULL);
	assert_int_equal(calls, 2);
	assert_head(f, "r.yaml", "r\n");
	assert_head(f, "x.yaml", "x\n");
	git_commit *c;
	assert_int_equal(git_commit_lookup(&c, lps_store_repo(f->store),
					   &ours), 0);
	assert_int_equal(git_commit_parentcount(c), 1);
	git_commit_free(c);
}

/* The branch's lock file is held by another writer for one attempt. */
static void reflock_hook(void *ctx, struct lps_store *store)
{
	struct fx *f = ctx;
	static int calls;
	const char *lock = wt_path(f, ".git/refs/heads/main.lock");
	if (calls++ == 0) {
		int fd = open(lock, O_CREAT | O_WRONLY | O_EXCL, 0666);
		assert_true(fd >= 0);
		close(fd);
	} else {
		unlink(lock);
	}
	(void)store;
}

static void test_race_ref_locked(void **state)
{
	struct fx *f = *state;
	git_oid c1, id, h;
	ok(commit1(f, "x.yaml", "v1\n", "one", &c1));
	lps_store_set_race_hook(f->store, reflock_hook, f);
	ok(commit1(f, "x.yaml", "v2\n", "two", &id));
	lps_store_set_race_hook(f->store, NULL, NULL);
	head_id(f, &h);
	assert_true(git_oid_equal(&h, &id));
	assert_head(f, "x.yaml", "v2\n");
	assert_wt(f, "x.yaml", "v2\n");
	git_commit *c;
	assert_int_equal(git_commit_lookup(&c, lps_store_repo(f->store), &id),
			 0);
	assert_true(git_oid_equal(git_commit_parent_id(c, 0), &c1));
	git_commit_free(c);
}

/* What an lps killed mid-commit leaves in the git directory (its own
 * work files, not index.lock, which it cannot know is its own) does not
 * get in the way of the next commit. */
static void test_stale_work_files(void **state)
{
	struct fx *f = *state;
	ok(commit1(f, "x.yaml", "v1\n", "one", NULL));
	write_wt(f, ".git/lps-index", "garbage");
	write_wt(f, ".git/lps-index.lock", "garbage");
	ok(commit1(f, "y.yaml", "y\n", "two", NULL));
	assert_no_leftovers(f);
	assert_head(f, "x.yaml", "v1\n");
	assert_head(f, "y.yaml", "y\n");
	assert_int_equal(status_count(f), 0);
}

/* ------------------------------------------------------------ recovery */

/*
 * Make the working tree and index of path hold old (NULL: nothing), as
 * they were before a commit whose lps was killed after the branch moved.
 */
static void roll_back(struct fx *f, const char *path, const char *old)
{
	git_repository *repo;
	git_index *ix;
	assert_int_equal(git_repository_open(&repo, f->dir), 0);
	assert_int_equal(git_repository_index(&ix, repo), 0);
	if (old) {
		write_wt(f, path, old);
		assert_int_equal(git_index_add_bypath(ix, path), 0);
	} else {
		unlink(wt_path(f, path));
		assert_int_equal(git_index_remove_bypath(ix, path), 0);
	}
	assert_int_equal(git_index_write(ix), 0);
	git_index_free(ix);
	git_repository_free(repo);
}

static void write_note(struct fx *f, const git_oid *old, const git_oid *new)
{
	char a[GIT_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1], line[200];
	git_oid_tostr(a, sizeof(a), old);
	git_oid_tostr(b, sizeof(b), new);
	snprintf(line, sizeof(line), "%s %s refs/heads/main\n", a, b);
	write_wt(f, ".git/lps-pending", line);
}

static int note_exists(struct fx *f)
{
	return access(wt_path(f, ".git/lps-pending"), F_OK) == 0;
}

/* State after "commit B" killed between moving main and step 5: B wrote
 * x.yaml, added d/y.yaml and removed z.yaml; *a and *b get the commits. */
static void killed_commit(struct fx *f, git_oid *a, git_oid *b)
{
	ok(commit1(f, "x.yaml", "v1\n", "one", NULL));
	ok(commit1(f, "z.yaml", "z\n", "two", a));
	struct lps_changeset *cs;
	ok(lps_changeset_new(&cs));
	ok(lps_changeset_write(cs, "x.yaml", "v2\n", 3));
	ok(lps_changeset_write(cs, "d/y.yaml", "y\n", 2));
	ok(lps_changeset_remove(cs, "z.yaml"));
	ok(lps_store_commit(f->store, cs, "three", b));
	lps_changeset_free(cs);
	roll_back(f, "x.yaml", "v1\n");
	roll_back(f, "d/y.yaml", NULL);
	rmdir(wt_path(f, "d"));
	roll_back(f, "z.yaml", "z\n");
	write_note(f, a, b);
	assert_int_equal(status_count(f), 3);
}

static void test_recover_finishes(void **state)
{
	struct fx *f = *state;
	git_oid a, b, head;
	killed_commit(f, &a, &b);
	assert_int_equal(lps_store_recovered(f->store), 0);
	ok(lps_store_recover(f->store));
	assert_int_equal(lps_store_recovered(f->store), 1);
	assert_false(note_exists(f));
	assert_wt(f, "x.yaml", "v2\n");
	assert_wt(f, "d/y.yaml", "y\n");
	assert_wt(f, "z.yaml", NULL);
	head_id(f, &head);
	assert_true(git_oid_equal(&head, &b));
	assert_int_equal(status_count(f), 0);
	assert_no_leftovers(f);
	ok(lps_store_recover(f->store)); /* nothing left to do */
	assert_int_equal(status_count(f), 0);
}

/* Opening the store is enough; so is the next commit. */
static void test_recover_on_open_and_commit(void **state)
{
	struct fx *f = *state;
	git_oid a, b;
	killed_commit(f, &a, &b);
	struct lps_store *s = NULL;
	ok(lps_store_open(&s, f->dir));
	lps_store_free(s);
	assert_false(note_exists(f));
	assert_int_equal(status_count(f), 0);

	roll_back(f, "x.yaml", "v1\n");
	write_note(f, &a, &b);
	ok(commit1(f, "w.yaml", "w\n", "four", NULL));
	assert_false(note_exists(f));
	assert_wt(f, "x.yaml", "v2\n");
	assert_int_equal(status_count(f), 0);
}

/* A file the user changed after the kill is theirs: left as it is. */
static void test_recover_keeps_user_edits(void **state)
{
	struct fx *f = *state;
	git_oid a, b;
	killed_commit(f, &a, &b);
	write_wt(f, "x.yaml", "mine\n");
	ok(lps_store_recover(f->store));
	assert_false(note_exists(f));
	assert_wt(f, "x.yaml", "mine\n");
	assert_wt(f, "d/y.yaml", "y\n");
	assert_wt(f, "z.yaml", NULL);
	assert_int_equal(status_count(f), 1);
}

/* A note whose commit is not the tip (the branch never moved, or git
 * moved it since) is dropped and changes nothing; so is garbage. */
static void test_recover_drops_stale_note(void **state)
{
	struct fx *f = *state;
	git_oid a, b;
	killed_commit(f, &a, &b);
	write_note(f, &b, &a);
	ok(lps_store_recover(f->store));
	assert_false(note_exists(f));
	assert_wt(f, "x.yaml", "v1\n");
	assert_int_equal(status_count(f), 3);

	write_wt(f, ".git/lps-pending", "not a note\n");
	ok(lps_store_recover(f->store));
	assert_false(note_exists(f));
	assert_int_equal(status_count(f), 3);
}

/* Killed while moving the branch: its lock and step 5's temporary files
 * are the dead lps's (made after the note) and go; the commit is then
 * finished (or dropped) as usual. */
static void test_recover_clears_leftovers(void **state)
{
	struct fx *f = *state;
	git_oid a, b;
	killed_commit(f, &a, &b);
	write_wt(f, ".git/refs/heads/main.lock", "x");
	write_wt(f, "x.yaml.lps-tmp-12345", "half");
	write_wt(f, "x.yaml.lps-tmp-other", "mine");
	ok(commit1(f, "w.yaml", "w\n", "four", NULL));
	assert_false(note_exists(f));
	assert_int_equal(access(wt_path(f, ".git/refs/heads/main.lock"), F_OK),
			 -1);
	assert_wt(f, "x.yaml.lps-tmp-12345", NULL);
	assert_wt(f, "x.yaml.lps-tmp-other", "mine");
	unlink(wt_path(f, "x.yaml.lps-tmp-other"));
	assert_wt(f, "x.yaml", "v2\n");
	assert_int_equal(status_count(f), 0);
}

/* A branch lock with no note of ours is git's: refused, named, kept. */
static void test_branch_lock_refused(void **state)
{
	struct fx *f = *state;
	git_oid before, after;
	ok(commit1(f, "x.yaml", "v1\n", "one", &before));
	write_wt(f, ".git/refs/heads/main.lock", "x");
	expect_err(commit1(f, "x.yaml", "v2\n", "two", NULL), LPS_EREFUSED,
		   "cannot lock refs/heads/main: refs/heads/main.lock "
		   "exists; another git process may be running (if not, "
		   "remove that file)");
	assert_int_equal(access(wt_path(f, ".git/refs/heads/main.lock"), F_OK),
			 0);
	assert_false(note_exists(f));
	head_id(f, &after);
	assert_true(git_oid_equal(&before, &after));
	assert_wt(f, "x.yaml", "v1\n");
	unlink(wt_path(f, ".git/refs/heads/main.lock"));
}

/* A commit that succeeds leaves no note behind. */
static void test_no_note_after_commit(void **state)
{
	struct fx *f = *state;
	ok(commit1(f, "x.yaml", "v1\n", "one", NULL));
	assert_false(note_exists(f));
}

/* ------------------------------------------------------------ raw trees */

/*
 * One change set (data NULL: a removal) checked three ways: the tree
 * git_tree_create_updated makes of HEAD's tree, the splice of the raw
 * trees (which must take it, not fall back), and the tree of the commit
 * lps_store_commit makes: all the same id.
 */
static void splice_case(struct fx *f, size_t n, const char **paths,
			const char **datas)
{
	git_repository *repo = lps_store_repo(f->store);
	git_tree *base = NULL;
	git_oid tip, want, got, commit;
	git_tree_update up[8];
	assert_true(n <= 8);
	if (git_reference_name_to_id(&tip, repo, "HEAD") == 0) {
		git_commit *c = NULL;
		assert_int_equal(git_commit_lookup(&c, repo, &tip), 0);
		assert_int_equal(git_commit_tree(&base, c), 0);
		git_commit_free(c);
	}
	git_error_clear();
	struct lps_changeset *cs;
	ok(lps_changeset_new(&cs));
	for (size_t i = 0; i < n; i++) {
		memset(&up[i], 0, sizeof(up[i]));
		up[i].path = paths[i];
		up[i].filemode = GIT_FILEMODE_BLOB;
		if (datas[i]) {
			up[i].action = GIT_TREE_UPDATE_UPSERT;
			assert_int_equal(git_blob_create_from_buffer(
				&up[i].id, repo, datas[i], strlen(datas[i])), 0);
			ok(lps_changeset_write(cs, paths[i], datas[i],
					       strlen(datas[i])));
		} else {
			up[i].action = GIT_TREE_UPDATE_REMOVE;
			ok(lps_changeset_remove(cs, paths[i]));
		}
	}
	assert_int_equal(git_tree_create_updated(&want, repo, base, n, up), 0);
	assert_int_equal(lps_store__raw_update(&got, f->store, base, n, up), 0);
	assert_true(git_oid_equal(&want, &got));
	ok(lps_store_commit(f->store, cs, "splice", &commit));
	git_commit *c = NULL;
	assert_int_equal(git_commit_lookup(&c, repo, &commit), 0);
	assert_true(git_oid_equal(git_commit_tree_id(c), &want));
	git_commit_free(c);
	lps_changeset_free(cs);
	git_tree_free(base);
}

#define CASE(...) do { \
	const char *p_[] = { __VA_ARGS__ }; \
	size_t n_ = sizeof(p_) / sizeof(p_[0]) / 2; \
	const char *paths_[8], *datas_[8]; \
	for (size_t i_ = 0; i_ < n_; i_++) { \
		paths_[i_] = p_[2 * i_]; \
		datas_[i_] = p_[2 * i_ + 1]; \
	} \
	splice_case(f, n_, paths_, datas_); \
} while (0)

/* The trees the commit splices are the ones libgit2's treebuilder makes. */
static void test_splice_same_trees(void **state)
{
	struct fx *f = *state;
	/* First commit: "a.yaml" < "a-b" < "a" (as "a/") < "b.yaml". */
	CASE("a.yaml", "1\n", "a/x.yaml", "2\n", "a-b/y.yaml", "3\n",
	     "b.yaml", "4\n", "c/d/e.yaml", "5\n");
	CASE("0.yaml", "start\n");                 /* insert at the start */
	CASE("a0.yaml", "middle\n");               /* after the folder a */
	CASE("zz.yaml", "end\n");                  /* at the end */
	CASE("a.yaml", "replaced\n");              /* replace */
	CASE("a/w.yaml", "w\n", "a/z.yaml", "z\n"); /* nested, both ends */
	CASE("a-b.yaml", "between\n", "a.b", "dot\n", "a_", "under\n");
	CASE("new/deep/f.yaml", "f\n");            /* new folders */
	CASE("c/d/e.yaml", NULL);                   /* c/d and c disappear */
	CASE("a/w.yaml", NULL, "a/x.yaml", NULL, "a/z.yaml", NULL);
	CASE("a/again.yaml", "back\n", "a-b/y.yaml", NULL,
	     "b.yaml", NULL, "0.yaml", "again\n");
	CASE("new/deep/g.yaml", "g\n", "new/e.yaml", "e\n");
	/* A change the splice leaves to libgit2: a folder made a file. */
	git_repository *repo = lps_store_repo(f->store);
	git_oid tip, id;
	git_commit *c = NULL;
	git_tree *base = NULL;
	head_id(f, &tip);
	assert_int_equal(git_commit_lookup(&c, repo, &tip), 0);
	assert_int_equal(git_commit_tree(&base, c), 0);
	git_tree_update up = { .action = GIT_TREE_UPDATE_UPSERT,
			       .filemode = GIT_FILEMODE_BLOB, .path = "a" };
	assert_int_equal(git_blob_create_from_buffer(&up.id, repo, "x", 1), 0);
	assert_int_equal(lps_store__raw_update(&id, f->store, base, 1, &up),
			 LPS_RAW_UNUSUAL);
	/* Lookups in the raw trees. */
	unsigned mode = 0;
	assert_int_equal(lps_store__raw_bypath(f->store, git_tree_id(base),
					       "new/deep/g.yaml", &id, &mode), 0);
	assert_int_equal(mode, 0100644);
	assert_int_equal(lps_store__raw_bypath(f->store, git_tree_id(base), "a",
					       &id, &mode), 0);
	assert_int_equal(mode, 040000);
	assert_int_equal(lps_store__raw_bypath(f->store, git_tree_id(base),
					       "a.yaml/x", &id, &mode),
			 GIT_ENOTFOUND);
	assert_int_equal(lps_store__raw_bypath(f->store, git_tree_id(base),
					       "b.yaml", &id, &mode),
			 GIT_ENOTFOUND);
	int found = -1;
	ok(lps_store_has(f->store, &tip, "a-b.yaml", &found));
	assert_int_equal(found, 1);
	ok(lps_store_has(f->store, &tip, "a-b/y.yaml", &found));
	assert_int_equal(found, 0);
	git_tree_free(base);
	git_commit_free(c);
	assert_int_equal(status_count(f), 0);
}

/* ------------------------------------------------------------ build, move */

static void build1(struct fx *f, const git_oid *parent, const char *path,
		   const char *data, const char *msg, git_oid *out)
{
	struct lps_changeset *cs;
	ok(lps_changeset_new(&cs));
	if (data)
		ok(lps_changeset_write(cs, path, data, strlen(data)));
	else
		ok(lps_changeset_remove(cs, path));
	ok(lps_store_build(f->store, parent, cs, msg, out));
	lps_changeset_free(cs);
}

/* A built commit exists with its parent and tree; nothing else moves. */
static void test_build_touches_nothing(void **state)
{
	struct fx *f = *state;
	git_oid c1, b, h;
	ok(commit1(f, "x.yaml", "v1\n", "one", &c1));
	build1(f, &c1, "y.yaml", "y\n", "built", &b);
	head_id(f, &h);
	assert_true(git_oid_equal(&h, &c1));
	assert_wt(f, "y.yaml", NULL);
	assert_int_equal(status_count(f), 0);
	git_commit *c;
	assert_int_equal(git_commit_lookup(&c, lps_store_repo(f->store), &b),
			 0);
	assert_int_equal(git_commit_parentcount(c), 1);
	assert_true(git_oid_equal(git_commit_parent_id(c, 0), &c1));
	assert_string_equal(git_commit_message(c), "built\n");
	git_commit_free(c);
}

/* Moving to a commit that does not descend from the tip: the files that
 * differ follow, git stays clean, the reflog says why. */
static void test_move_not_fast_forward(void **state)
{
	struct fx *f = *state;
	git_oid c1, c2, b1, b2, h;
	ok(commit1(f, "x.yaml", "v1\n", "one", &c1));
	ok(commit1(f, "z.yaml", "z\n", "two", &c2));
	build1(f, &c1, "d/y.yaml", "y\n", "other", &b1);
	build1(f, &b1, "x.yaml", "v2\n", "more", &b2);
	ok(lps_store_move(f->store, &c2, &b2, "test: move"));
	head_id(f, &h);
	assert_true(git_oid_equal(&h, &b2));
	assert_wt(f, "x.yaml", "v2\n");
	assert_wt(f, "d/y.yaml", "y\n");
	assert_wt(f, "z.yaml", NULL);
	assert_int_equal(status_count(f), 0);
	assert_no_leftovers(f);
	assert_false(note_exists(f));
	git_reflog *log;
	assert_int_equal(git_reflog_read(&log, lps_store_repo(f->store),
					 "refs/heads/main"), 0);
	assert_string_equal(git_reflog_entry_message(
				    git_reflog_entry_byindex(log, 0)),
			    "test: move");
	git_reflog_free(log);
}

/* Refusals: the tip moved, or a file in the way has edits; nothing
 * changes either way. */
static void test_move_refusals(void **state)
{
	struct fx *f = *state;
	git_oid c1, c2, b, h;
	ok(commit1(f, "x.yaml", "v1\n", "one", &c1));
	ok(commit1(f, "x.yaml", "v2\n", "two", &c2));
	build1(f, &c1, "x.yaml", "v3\n", "other", &b);
	expect_err(lps_store_move(f->store, &c1, &b, "m"), LPS_ECONFLICT,
		   "refs/heads/main moved meanwhile; try again");
	write_wt(f, "x.yaml", "mine\n");
	expect_err(lps_store_move(f->store, &c2, &b, "m"), LPS_EREFUSED,
		   "x.yaml: has uncommitted changes; commit or discard them "
		   "first");
	head_id(f, &h);
	assert_true(git_oid_equal(&h, &c2));
	assert_wt(f, "x.yaml", "mine\n");
	assert_false(note_exists(f));
	assert_no_leftovers(f);
}

/* ------------------------------------------------------------ paths */

static void test_paths(void **state)
{
	(void)state;
	struct lps_changeset *cs;
	ok(lps_changeset_new(&cs));
	const char *bad[][2] = {
		{ "", "invalid path \"\": empty" },
		{ "/etc/passwd", "invalid path \"/etc/passwd\": absolute" },
		{ "a//b", "invalid path \"a//b\": has an empty component" },
		{ "a/", "invalid path \"a/\": has an empty component" },
		{ "./a", "invalid path \"./a\": has a \".\" or \"..\" component" },
		{ "a/../b",
		  "invalid path \"a/../b\": has a \".\" or \"..\" component" },
		{ ".git/config",
		  "invalid path \".git/config\": has a \".git\" component" },
		{ "x/.GiT/hooks",
		  "invalid path \"x/.GiT/hooks\": has a \".git\" component" },
		{ "a\\b", "invalid path \"a\\b\": has a backslash" },
		{ "a\tb", "invalid path \"a\tb\": has a control character" },
		{ "a\x7f", "invalid path \"a\x7f\": has a control character" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		expect_err(lps_changeset_write(cs, bad[i][0], "x", 1),
			   LPS_EINVALID, bad[i][1]);
		expect_err(lps_changeset_remove(cs, bad[i][0]), LPS_EINVALID,
			   bad[i][1]);
	}
	assert_int_equal(lps_changeset_count(cs), 0);
	ok(lps_changeset_write(cs, ".gitignore", "x", 1));
	ok(lps_changeset_write(cs, "a/.github/x", "x", 1));
	ok(lps_changeset_write(cs, "goals/g-1.yaml", "x", 1));
	ok(lps_changeset_write(cs, "goals/g-1.yaml", "y", 1)); /* replaces */
	assert_int_equal(lps_changeset_count(cs), 3);
	expect_err(lps_changeset_write(cs, "goals", "x", 1), LPS_EINVALID,
		   "invalid change set: \"goals\" is both a file and a folder");
	expect_err(lps_changeset_write(cs, "goals/g-1.yaml/z", "x", 1),
		   LPS_EINVALID, "invalid change set: \"goals/g-1.yaml\" is "
		   "both a file and a folder");
	char *longp = malloc(LPS_STORE_MAX_PATH + 2);
	memset(longp, 'a', LPS_STORE_MAX_PATH + 1);
	longp[LPS_STORE_MAX_PATH + 1] = '\0';
	expect_err(lps_changeset_write(cs, longp, "x", 1), LPS_EINVALID,
		   "invalid path: longer than 4096 bytes");
	free(longp);
	lps_changeset_free(cs);
	lps_changeset_free(NULL);
}

static void test_empty_changeset(void **state)
{
	struct fx *f = *state;
	struct lps_changeset *cs;
	ok(lps_changeset_new(&cs));
	expect_err(lps_store_commit(f->store, cs, "m", NULL), LPS_EINVALID,
		   "nothing to commit: the change set is empty");
	lps_changeset_free(cs);
}

/* The index keeps its other entries and stat data: a second commit does
 * not disturb a file that was staged and is clean. */
static void test_index_kept(void **state)
{
	struct fx *f = *state;
	ok(commit1(f, "a.yaml", "a\n", "one", NULL));
	ok(commit1(f, "b.yaml", "b\n", "two", NULL));
	git_repository *repo;
	git_index *idx;
	assert_int_equal(git_repository_open(&repo, f->dir), 0);
	assert_int_equal(git_repository_index(&idx, repo), 0);
	assert_int_equal(git_index_entrycount(idx), 2);
	const git_index_entry *e = git_index_get_bypath(idx, "a.yaml", 0);
	assert_non_null(e);
	struct stat st;
	assert_int_equal(stat(wt_path(f, "a.yaml"), &st), 0);
	assert_int_equal(e->file_size, 2);
	assert_int_equal(e->ino, (uint32_t)st.st_ino);
	assert_int_equal(e->mtime.seconds, (int32_t)st.st_mtime);
	git_index_free(idx);
	git_repository_free(repo);
	assert_int_equal(status_count(f), 0);
}

/* ------------------------------------------------------------ loose objects */

/* The second byte of the zlib stream of a loose object: its FLEVEL bits
 * say which level wrote it (0x01 levels 0-1, 0x5e 2-5, 0x9c 6,
 * 0xda 7-9). */
static int loose_flevel(struct fx *f, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1], rel[128];
	git_oid_tostr(hex, sizeof(hex), id);
	snprintf(rel, sizeof(rel), ".git/objects/%.2s/%s", hex, hex + 2);
	unsigned char b[2];
	FILE *fp = fopen(wt_path(f, rel), "rb");
	assert_non_null(fp);
	assert_int_equal(fread(b, 1, 2, fp), 2);
	fclose(fp);
	assert_int_equal(b[0], 0x78);
	return b[1];
}

/* Commit a new blob with the store reopened after setting the config
 * (name = value, NULL: unset); the zlib FLEVEL byte of the blob. */
static int level_after(struct fx *f, const char *name, const char *value,
		       const char *data)
{
	git_config *cfg;
	assert_int_equal(git_repository_config(&cfg, lps_store_repo(f->store)),
			 0);
	if (value)
		assert_int_equal(git_config_set_string(cfg, name, value), 0);
	else
		git_config_delete_entry(cfg, name);
	git_config_free(cfg);
	git_error_clear();
	lps_store_free(f->store);
	ok(lps_store_open(&f->store, f->dir));
	ok(commit1(f, "blob.txt", data, "level", NULL));
	git_oid id;
	assert_int_equal(git_odb_hash(&id, data, strlen(data), GIT_OBJECT_BLOB),
			 0);
	return loose_flevel(f, &id);
}

/* Loose objects are written at the level git would use:
 * core.loosecompression, else core.compression, else 1. */
static void test_loose_compression(void **state)
{
	struct fx *f = *state;
	assert_int_equal(level_after(f, "core.compression", NULL, "a\n"), 0x01);
	assert_int_equal(level_after(f, "core.compression", "9", "b\n"), 0xda);
	assert_int_equal(level_after(f, "core.loosecompression", "1", "c\n"),
			 0x01);
	assert_int_equal(level_after(f, "core.loosecompression", "-1", "d\n"),
			 0x9c);
	assert_int_equal(level_after(f, "core.loosecompression", "4", "e\n"),
			 0x5e);
	/* 0 is written at libgit2's level 1 (it cannot store only). */
	assert_int_equal(level_after(f, "core.loosecompression", "0", "f\n"),
			 0x01);
	/* Trees and commits too. */
	assert_int_equal(level_after(f, "core.loosecompression", "9", "g\n"),
			 0xda);
	git_oid head;
	head_id(f, &head);
	assert_int_equal(loose_flevel(f, &head), 0xda);
	assert_int_equal(status_count(f), 0);
}

/* A folder big enough that its tree is hashed by lps and written to the
 * loose backend directly: the same ids as libgit2's, objects git reads,
 * at git's compression level. */
static void test_big_tree(void **state)
{
	struct fx *f = *state;
	struct lps_changeset *cs;
	ok(lps_changeset_new(&cs));
	char path[64], data[64];
	for (int i = 0; i < 2500; i++) {
		snprintf(path, sizeof(path), "goals/g-%08x.yaml", i * 2654435761u);
		snprintf(data, sizeof(data), "n: %d\n", i);
		ok(lps_changeset_write(cs, path, data, strlen(data)));
	}
	ok(lps_store_commit(f->store, cs, "many", NULL));
	lps_changeset_free(cs);
	const char *p1[] = { "goals/g-0000000a.yaml" }, *d1[] = { "a\n" };
	splice_case(f, 1, p1, d1);
	const char *p2[] = { "goals/g-ffffffff.yaml", "top.yaml" };
	const char *d2[] = { "z\n", "t\n" };
	splice_case(f, 2, p2, d2);
	const char *p3[] = { "goals/g-0000000a.yaml" }, *d3[] = { NULL };
	splice_case(f, 1, p3, d3);
	git_oid head, tree;
	head_id(f, &head);
	unsigned mode;
	git_commit *c = NULL;
	git_repository *repo = lps_store_repo(f->store);
	assert_int_equal(git_commit_lookup(&c, repo, &head), 0);
	assert_int_equal(lps_store__raw_bypath(f->store, git_commit_tree_id(c),
					       "goals", &tree, &mode), 0);
	git_commit_free(c);
	assert_int_equal(loose_flevel(f, &tree), 0x01);
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "cd '%s' && git fsck --strict --no-progress"
		 " 2>&1 && test \"$(git ls-tree HEAD:goals | wc -l)\" -eq 2501",
		 f->dir);
	assert_int_equal(system(cmd), 0);
	/* At the configured level too. */
	assert_int_equal(level_after(f, "core.loosecompression", "9", "x\n"),
			 0xda);
	const char *p4[] = { "goals/g-00000001.yaml" }, *d4[] = { "1\n" };
	splice_case(f, 1, p4, d4);
	repo = lps_store_repo(f->store); /* reopened by level_after */
	head_id(f, &head);
	assert_int_equal(git_commit_lookup(&c, repo, &head), 0);
	assert_int_equal(lps_store__raw_bypath(f->store, git_commit_tree_id(c),
					       "goals", &tree, &mode), 0);
	git_commit_free(c);
	assert_int_equal(loose_flevel(f, &tree), 0xda);
	assert_int_equal(system(cmd), 256); /* 2502 entries now */
	assert_int_equal(status_count(f), 0);
}

int main(void)
{
	strcpy(empty_home, "/tmp/lps-store-home.XXXXXX");
	if (!mkdtemp(empty_home))
		return 4;
	setenv("HOME", empty_home, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	unsetenv("XDG_CONFIG_HOME");
	const char *vars[] = {
		"GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE",
		"GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL",
		"GIT_COMMITTER_DATE", "GIT_DIR", "GIT_WORK_TREE",
	};
	for (size_t i = 0; i < sizeof(vars) / sizeof(*vars); i++)
		unsetenv(vars[i]);
	git_libgit2_init();
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL,
			 empty_home);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG,
			 empty_home);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM,
			 empty_home);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH,
			 GIT_CONFIG_LEVEL_PROGRAMDATA, empty_home);

	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_open_and_init),
		cmocka_unit_test(test_init_default_branch),
		T(test_first_commit),
		T(test_overwrite_delete_nested),
		T(test_foreach_order),
		T(test_walk_and_resolve),
		T(test_refuse_dirty_worktree),
		T(test_refuse_staged),
		T(test_refuse_untracked),
		T(test_refuse_no_identity),
		cmocka_unit_test(test_parse_date),
		T(test_refuse_locked_index),
		T(test_refuse_detached_and_bare),
		T(test_race_1),
		T(test_race_4),
		T(test_race_5),
		T(test_race_6),
		T(test_race_same_path),
		T(test_race_first_commit),
		T(test_race_ref_locked),
		T(test_stale_work_files),
		T(test_recover_finishes),
		T(test_recover_on_open_and_commit),
		T(test_recover_keeps_user_edits),
		T(test_recover_drops_stale_note),
		T(test_no_note_after_commit),
		T(test_recover_clears_leftovers),
		T(test_branch_lock_refused),
		T(test_build_touches_nothing),
		T(test_move_not_fast_forward),
		T(test_move_refusals),
		cmocka_unit_test(test_paths),
		T(test_empty_changeset),
		T(test_index_kept),
		T(test_splice_same_trees),
		T(test_loose_compression),
		T(test_big_tree),
#undef T
	};
	int rc = cmocka_run_group_tests_name("store", tests, NULL, NULL);
	git_libgit2_shutdown();
	rm_rf(empty_home);
	return rc;
}
