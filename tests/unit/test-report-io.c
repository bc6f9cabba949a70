/*
 * test-report-io - what lps report reads: the working tree as a commit
 * in memory (lps_store_worktree) and the history of a shallow clone
 * (lps_shallow_walk), on real repositories built with libgit2 in a
 * temporary folder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <git2.h>

#include "shallow.h"
#include "store.h"

#define T0 1788256800

struct fixture {
	char dir[64];
	git_repository *repo;
	struct lps_store *store;
	/* a <- b <- c, a <- d (newer than c), m = merge(c, d) */
	git_oid a, b, c, d, m;
};

static void commit(struct fixture *f, git_oid *out, const char *msg,
		   git_time_t when, const git_oid *p1, const git_oid *p2)
{
	git_signature *sig;
	git_treebuilder *tb;
	git_oid tree_id;
	git_tree *tree;
	git_commit *parents[2] = { NULL, NULL };
	size_t n = 0;

	assert_int_equal(git_signature_new(&sig, "T", "t@example.org", when,
					   0), 0);
	assert_int_equal(git_treebuilder_new(&tb, f->repo, NULL), 0);
	assert_int_equal(git_treebuilder_write(&tree_id, tb), 0);
	assert_int_equal(git_tree_lookup(&tree, f->repo, &tree_id), 0);
	if (p1)
		assert_int_equal(git_commit_lookup(&parents[n++], f->repo, p1),
				 0);
	if (p2)
		assert_int_equal(git_commit_lookup(&parents[n++], f->repo, p2),
				 0);
	assert_int_equal(git_commit_create(out, f->repo, NULL, sig, sig, NULL,
					   msg, tree, n,
					   (const git_commit **)parents), 0);
	for (size_t i = 0; i < n; i++)
		git_commit_free(parents[i]);
	git_tree_free(tree);
	git_treebuilder_free(tb);
	git_signature_free(sig);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	git_libgit2_init();
	snprintf(f->dir, sizeof(f->dir), "/tmp/lps-test-report-io.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(git_repository_init(&f->repo, f->dir, 0), 0);
	commit(f, &f->a, "a\n", T0, NULL, NULL);
	commit(f, &f->b, "b\n", T0 + 10, &f->a, NULL);
	commit(f, &f->c, "c\n", T0 + 20, &f->b, NULL);
	commit(f, &f->d, "d\n", T0 + 30, &f->a, NULL);
	commit(f, &f->m, "m\n", T0 + 40, &f->c, &f->d);
	git_reference *ref;
	assert_int_equal(git_reference_create(&ref, f->repo,
					      "refs/heads/main", &f->m, 1,
					      NULL), 0);
	git_reference_free(ref);
	assert_int_equal(git_repository_set_head(f->repo, "refs/heads/main"),
			 0);
	assert_null(lps_store_open(&f->store, f->dir));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];
	lps_store_free(f->store);
	git_repository_free(f->repo);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	git_libgit2_shutdown();
	free(f);
	return 0;
}

/* Write .git/shallow with the given commits, and open the store again
 * so libgit2 sees it. */
static void make_shallow(struct fixture *f, const git_oid *const *ids,
			 size_t n)
{
	char path[128], hex[GIT_OID_HEXSZ + 1];
	snprintf(path, sizeof(path), "%s/.git/shallow", f->dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	for (size_t i = 0; i < n; i++)
		fprintf(fp, "%s\n", git_oid_tostr(hex, sizeof(hex), ids[i]));
	assert_int_equal(fclose(fp), 0);
	lps_store_free(f->store);
	assert_null(lps_store_open(&f->store, f->dir));
}

struct seen {
	git_oid ids[16];
	size_t n;
	size_t stop_after;
};

static int record(void *ctx, git_commit *c)
{
	struct seen *s = ctx;
	assert_true(s->n < 16);
	git_oid_cpy(&s->ids[s->n++], git_commit_id(c));
	return s->stop_after && s->n >= s->stop_after;
}

static void expect(const struct seen *s, const git_oid *const *want,
		   size_t n)
{
	assert_int_equal(s->n, n);
	for (size_t i = 0; i < n; i++)
		assert_true(git_oid_equal(&s->ids[i], want[i]));
}

/* Not shallow: the same walk as lps_store_walk, cut stays 0. */
static void test_full_history(void **state)
{
	struct fixture *f = *state;
	struct seen s = { .n = 0 }, t = { .n = 0 };
	int cut = -1;

	assert_int_equal(lps_shallow_is(f->store), 0);
	assert_null(lps_shallow_walk(f->store, NULL, record, &s, &cut));
	assert_int_equal(cut, 0);
	assert_null(lps_store_walk(f->store, NULL, record, &t));
	assert_int_equal(s.n, 5);
	assert_int_equal(t.n, 5);
	for (size_t i = 0; i < 5; i++)
		assert_true(git_oid_equal(&s.ids[i], &t.ids[i]));
}

/* b is a shallow root: a is reached through d only, and after it. */
static void test_graft_is_a_root(void **state)
{
	struct fixture *f = *state;
	const git_oid *roots[] = { &f->b };
	struct seen s = { .n = 0 };
	int cut = 0;

	make_shallow(f, roots, 1);
	assert_int_equal(lps_shallow_is(f->store), 1);
	assert_null(lps_shallow_walk(f->store, NULL, record, &s, &cut));
	assert_int_equal(cut, 1);
	const git_oid *want[] = { &f->m, &f->d, &f->c, &f->b, &f->a };
	expect(&s, want, 5);
}

/* The clone of depth 2 from m: m, c and d fetched, their parents not. */
static void test_missing_parents(void **state)
{
	struct fixture *f = *state;
	const git_oid *roots[] = { &f->c, &f->d };
	struct seen s = { .n = 0 };
	int cut = 0;
	char path[160], hex[GIT_OID_HEXSZ + 1];

	make_shallow(f, roots, 2);
	assert_null(lps_shallow_walk(f->store, &f->m, record, &s, &cut));
	assert_int_equal(cut, 1);
	const git_oid *want[] = { &f->m, &f->d, &f->c };
	expect(&s, want, 3);

	/* b's object gone and not in the shallow file: a missing parent
	 * ends the walk as well. */
	const git_oid *none[] = { &f->d };
	make_shallow(f, none, 1);
	git_oid_tostr(hex, sizeof(hex), &f->b);
	snprintf(path, sizeof(path), "%s/.git/objects/%.2s/%s", f->dir, hex,
		 hex + 2);
	assert_int_equal(unlink(path), 0);
	lps_store_free(f->store);
	assert_null(lps_store_open(&f->store, f->dir));
	s.n = 0;
	cut = 0;
	assert_null(lps_shallow_walk(f->store, NULL, record, &s, &cut));
	assert_int_equal(cut, 1);
	const git_oid *want2[] = { &f->m, &f->d, &f->c };
	expect(&s, want2, 3);
}

static void test_stop_early(void **state)
{
	struct fixture *f = *state;
	const git_oid *roots[] = { &f->b };
	struct seen s = { .n = 0, .stop_after = 2 };

	make_shallow(f, roots, 1);
	assert_null(lps_shallow_walk(f->store, NULL, record, &s, NULL));
	const git_oid *want[] = { &f->m, &f->d };
	expect(&s, want, 2);
}


/* ---- lps_store_worktree ---- */

static int want_all(void *ctx, const char *path)
{
	(void)ctx;
	(void)path;
	return 1;
}

static void write_file(struct fixture *f, const char *name, const char *text)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* 1 when the object is stored on disk (a fresh repository handle). */
static int on_disk(struct fixture *f, const git_oid *id)
{
	git_repository *repo;
	git_odb *odb;
	assert_int_equal(git_repository_open(&repo, f->dir), 0);
	assert_int_equal(git_repository_odb(&odb, repo), 0);
	int yes = git_odb_exists(odb, id);
	git_odb_free(odb);
	git_repository_free(repo);
	return yes;
}

static void test_worktree_clean_is_head(void **state)
{
	struct fixture *f = *state;
	git_oid out;

	assert_null(lps_store_worktree(f->store, want_all, NULL, &out));
	assert_true(git_oid_equal(&out, &f->m));
	/* An untracked file nobody wants changes nothing either. */
	write_file(f, "notes.txt", "hello\n");
	assert_null(lps_store_worktree(f->store, NULL, NULL, &out));
	assert_true(git_oid_equal(&out, &f->m));
}

static void test_worktree_untracked_wanted(void **state)
{
	struct fixture *f = *state;
	git_oid out, again;
	git_commit *c;
	git_tree *t;

	write_file(f, "notes.txt", "hello\n");
	assert_null(lps_store_worktree(f->store, want_all, NULL, &out));
	assert_false(git_oid_equal(&out, &f->m));
	assert_int_equal(git_commit_lookup(&c, lps_store_repo(f->store), &out),
			 0);
	assert_int_equal(git_commit_parentcount(c), 1);
	assert_true(git_oid_equal(git_commit_parent_id(c, 0), &f->m));
	assert_int_equal(git_commit_tree(&t, c), 0);
	assert_non_null(git_tree_entry_byname(t, "notes.txt"));
	assert_false(on_disk(f, &out));
	assert_false(on_disk(f, git_tree_id(t)));
	git_tree_free(t);
	git_commit_free(c);
	/* The same working tree, the same commit. */
	lps_store_free(f->store);
	assert_null(lps_store_open(&f->store, f->dir));
	assert_null(lps_store_worktree(f->store, want_all, NULL, &again));
	assert_true(git_oid_equal(&out, &again));
}

static void test_worktree_staged_and_edited(void **state)
{
	struct fixture *f = *state;
	git_index *idx;
	git_oid out;
	git_commit *c;
	git_tree *t;
	git_blob *b;

	write_file(f, "doc.yaml", "one\n");
	assert_int_equal(git_repository_index(&idx, f->repo), 0);
	assert_int_equal(git_index_add_bypath(idx, "doc.yaml"), 0);
	assert_int_equal(git_index_write(idx), 0);
	git_index_free(idx);
	write_file(f, "doc.yaml", "two\n");
	assert_null(lps_store_worktree(f->store, NULL, NULL, &out));
	assert_int_equal(git_commit_lookup(&c, lps_store_repo(f->store), &out),
			 0);
	assert_int_equal(git_commit_tree(&t, c), 0);
	const git_tree_entry *e = git_tree_entry_byname(t, "doc.yaml");
	assert_non_null(e);
	assert_int_equal(git_blob_lookup(&b, lps_store_repo(f->store),
					 git_tree_entry_id(e)), 0);
	assert_int_equal(git_blob_rawsize(b), 4);
	assert_memory_equal(git_blob_rawcontent(b), "two\n", 4);
	assert_false(on_disk(f, git_tree_entry_id(e)));
	git_blob_free(b);
	git_tree_free(t);
	git_commit_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_full_history, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_graft_is_a_root, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_missing_parents, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stop_early, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_worktree_clean_is_head,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_worktree_untracked_wanted,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_worktree_staged_and_edited,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
