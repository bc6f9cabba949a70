/*
 * test-history - reading the lps history back from commit trailers, on a
 * real repository built with libgit2 in a temporary folder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <git2.h>

#include "history.h"
#include "store.h"

/* 2026-09-01T10:00:00Z and 2026-09-02T02:30:00Z. */
#define T1 1788256800
#define T2 1788316200

struct fixture {
	char dir[64];
	git_repository *repo;
	struct lps_store *store;
	git_oid plain, init, phase, lower;
};

static void commit(struct fixture *f, git_oid *out, const char *msg,
		   git_time_t when, int offset)
{
	git_signature *sig;
	git_treebuilder *tb;
	git_oid tree_id;
	git_tree *tree;
	git_commit *parent = NULL;
	git_oid head;
	assert_int_equal(git_signature_new(&sig, "Test Leader",
					   "leader@example.org", when, offset),
			 0);
	assert_int_equal(git_treebuilder_new(&tb, f->repo, NULL), 0);
	assert_int_equal(git_treebuilder_write(&tree_id, tb), 0);
	assert_int_equal(git_tree_lookup(&tree, f->repo, &tree_id), 0);
	if (git_reference_name_to_id(&head, f->repo, "HEAD") == 0)
		assert_int_equal(git_commit_lookup(&parent, f->repo, &head), 0);
	const git_commit *parents[1] = { parent };
	assert_int_equal(git_commit_create(out, f->repo, "HEAD", sig, sig,
					   NULL, msg, tree, parent ? 1 : 0,
					   parents),
			 0);
	git_commit_free(parent);
	git_tree_free(tree);
	git_treebuilder_free(tb);
	git_signature_free(sig);
}

static int setup_empty(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	git_libgit2_init();
	snprintf(f->dir, sizeof(f->dir), "/tmp/lps-test-history.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(git_repository_init(&f->repo, f->dir, 0), 0);
	*state = f;
	return 0;
}

static int setup(void **state)
{
	setup_empty(state);
	struct fixture *f = *state;
	commit(f, &f->plain, "a commit made with plain git\n", T1 - 60, 0);
	commit(f, &f->init,
	       "init: start portfolio\n\n"
	       "LPS-Command: init\nLPS-Phase: purpose\n", T1, 0);
	/* 02:30 UTC is still the evening before in UTC-5. */
	commit(f, &f->phase,
	       "phase: purpose -> focus\n\n"
	       "LPS-Command: phase advance\nLPS-Phase: focus\n"
	       "LPS-Phase-From: purpose\nLPS-Phase-To: focus\n"
	       "LPS-Forced: district \"deadline\"\n", T2, -300);
	commit(f, &f->lower,
	       "goal: add g-3f9a1c07 \"Raise reading\"\n\n"
	       "lps-command: goal add\nlps-phase: focus\n", T2 + 3600, 0);
	return 0;
}

static int open_store(struct fixture *f)
{
	struct lps_error *err = lps_store_open(&f->store, f->dir);
	if (err) {
		print_error("%s\n", err->msg);
		lps_error_free(err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	lps_store_free(f->store);
	git_repository_free(f->repo);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	git_libgit2_shutdown();
	return 0;
}

static struct lps_history_entry *entry_of(struct fixture *f,
					  const git_oid *id)
{
	git_commit *c;
	struct lps_history_entry *e;
	assert_int_equal(git_commit_lookup(&c, f->repo, id), 0);
	assert_null(lps_history_entry_from_commit(&e, c));
	git_commit_free(c);
	return e;
}

static void test_entry_plain_commit_is_skipped(void **state)
{
	struct fixture *f = *state;
	assert_null(entry_of(f, &f->plain));
}

static void test_entry_fields(void **state)
{
	struct fixture *f = *state;
	struct lps_history_entry *e = entry_of(f, &f->init);
	assert_non_null(e);
	assert_true(git_oid_equal(&e->commit, &f->init));
	assert_int_equal(strlen(e->short_id), 7);
	assert_int_equal(strncmp(e->short_id, git_oid_tostr_s(&f->init), 7), 0);
	assert_int_equal(e->time, T1);
	assert_int_equal(e->offset, 0);
	assert_string_equal(e->author, "Test Leader <leader@example.org>");
	assert_string_equal(e->subject, "init: start portfolio");
	assert_string_equal(e->command, "init");
	assert_string_equal(e->phase, "purpose");
	assert_null(e->phase_from);
	assert_null(e->phase_to);
	assert_null(e->forced);
	assert_false(lps_history_entry_is_phase(e));
	lps_history_entry_free(e);

	e = entry_of(f, &f->phase);
	assert_non_null(e);
	assert_string_equal(e->command, "phase advance");
	assert_string_equal(e->phase_from, "purpose");
	assert_string_equal(e->phase_to, "focus");
	assert_string_equal(e->forced, "district \"deadline\"");
	assert_int_equal(e->offset, -300);
	assert_true(lps_history_entry_is_phase(e));
	lps_history_entry_free(e);

	/* Trailer keys do not depend on case. */
	e = entry_of(f, &f->lower);
	assert_non_null(e);
	assert_string_equal(e->command, "goal add");
	assert_string_equal(e->phase, "focus");
	lps_history_entry_free(e);
	lps_history_entry_free(NULL);
}

static struct lps_history *read_history(struct fixture *f, const char *rev,
					int phases, size_t max)
{
	struct lps_history *h = NULL;
	struct lps_history_opts opts = LPS_HISTORY_OPTS_INIT;
	opts.phases_only = phases;
	opts.max = max;
	assert_int_equal(open_store(f), 0);
	struct lps_error *err = lps_history_read(&h, f->store, rev, &opts);
	if (err)
		print_error("%s\n", err->msg);
	assert_null(err);
	assert_non_null(h);
	return h;
}

static char *text_of(const struct lps_history *h, int phases)
{
	struct lps_buf b = LPS_BUF_INIT;
	assert_null(lps_history_write_text(&b, h, phases));
	assert_int_equal(lps_buf_addc(&b, '\0'), 0); /* never NULL data */
	return lps_buf_detach(&b, NULL);
}

static void test_read_newest_first(void **state)
{
	struct fixture *f = *state;
	struct lps_history *h = read_history(f, NULL, 0, 0);
	assert_int_equal(h->n, 3);
	assert_true(git_oid_equal(&h->entries[0]->commit, &f->lower));
	assert_true(git_oid_equal(&h->entries[1]->commit, &f->phase));
	assert_true(git_oid_equal(&h->entries[2]->commit, &f->init));

	char expect[512];
	snprintf(expect, sizeof(expect),
		 "%s 2026-09-02 goal: add g-3f9a1c07 \"Raise reading\"\n"
		 "%s 2026-09-01 phase: purpose -> focus\n"
		 "%s 2026-09-01 init: start portfolio\n",
		 h->entries[0]->short_id, h->entries[1]->short_id,
		 h->entries[2]->short_id);
	char *text = text_of(h, 0);
	assert_string_equal(text, expect);
	free(text);
	lps_history_free(h);
}

static void test_read_phases_and_max(void **state)
{
	struct fixture *f = *state;
	struct lps_history *h = read_history(f, NULL, 1, 0);
	assert_int_equal(h->n, 1);
	char expect[256];
	snprintf(expect, sizeof(expect),
		 "%s 2026-09-01 purpose -> focus (forced: district \"deadline\")\n",
		 h->entries[0]->short_id);
	char *text = text_of(h, 1);
	assert_string_equal(text, expect);
	free(text);
	lps_history_free(h);
	lps_store_free(f->store);
	f->store = NULL;

	h = read_history(f, NULL, 0, 2);
	assert_int_equal(h->n, 2);
	assert_true(git_oid_equal(&h->entries[1]->commit, &f->phase));
	lps_history_free(h);
}

static void test_read_from_rev(void **state)
{
	struct fixture *f = *state;
	char rev[GIT_OID_HEXSZ + 1];
	git_oid_tostr(rev, sizeof(rev), &f->init);
	struct lps_history *h = read_history(f, rev, 0, 0);
	assert_int_equal(h->n, 1);
	assert_true(git_oid_equal(&h->entries[0]->commit, &f->init));
	lps_history_free(h);

	struct lps_history *none = NULL;
	struct lps_error *err = lps_history_read(&none, f->store, "nosuchrev",
						 NULL);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_ENOTFOUND);
	assert_null(none);
	lps_error_free(err);
}

static void test_json(void **state)
{
	struct fixture *f = *state;
	struct lps_history *h = read_history(f, NULL, 0, 0);
	struct lps_buf b = LPS_BUF_INIT;
	assert_null(lps_history_write_json(&b, h));
	char a[41], p[41], i[41];
	git_oid_tostr(a, sizeof(a), &f->lower);
	git_oid_tostr(p, sizeof(p), &f->phase);
	git_oid_tostr(i, sizeof(i), &f->init);
	char expect[2048];
	snprintf(expect, sizeof(expect),
		 "{\"entries\": ["
		 "{\"commit\": \"%s\", \"date\": \"2026-09-02T03:30:00Z\", "
		 "\"author\": \"Test Leader <leader@example.org>\", "
		 "\"subject\": \"goal: add g-3f9a1c07 \\\"Raise reading\\\"\", "
		 "\"command\": \"goal add\", \"phase\": \"focus\"}, "
		 "{\"commit\": \"%s\", \"date\": \"2026-09-02T02:30:00Z\", "
		 "\"author\": \"Test Leader <leader@example.org>\", "
		 "\"subject\": \"phase: purpose -> focus\", "
		 "\"command\": \"phase advance\", \"phase\": \"focus\", "
		 "\"phase_from\": \"purpose\", \"phase_to\": \"focus\", "
		 "\"forced\": \"district \\\"deadline\\\"\"}, "
		 "{\"commit\": \"%s\", \"date\": \"2026-09-01T10:00:00Z\", "
		 "\"author\": \"Test Leader <leader@example.org>\", "
		 "\"subject\": \"init: start portfolio\", "
		 "\"command\": \"init\", \"phase\": \"purpose\"}]}\n",
		 a, p, i);
	assert_string_equal(b.data, expect);
	lps_buf_free(&b);
	lps_history_free(h);
}

static void test_empty_repository(void **state)
{
	struct fixture *f = *state;
	struct lps_history *h = read_history(f, NULL, 0, 0);
	assert_int_equal(h->n, 0);
	struct lps_buf b = LPS_BUF_INIT;
	assert_null(lps_history_write_json(&b, h));
	assert_string_equal(b.data, "{\"entries\": []}\n");
	lps_buf_reset(&b);
	assert_null(lps_history_write_text(&b, h, 0));
	assert_int_equal(b.len, 0);
	lps_buf_free(&b);
	lps_history_free(h);
	lps_history_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_entry_plain_commit_is_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_fields, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_read_newest_first, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_read_phases_and_max, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_read_from_rev, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_repository,
						setup_empty, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
