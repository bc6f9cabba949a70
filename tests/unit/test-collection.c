/* Unit tests of lib/collection (reading at HEAD), lib/txn (one change, one
 * commit) and lib/editor (the edit loop). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collection.h"
#include "editor.h"
#include "portfolio.h"
#include "registry.h"
#include "store.h"
#include "txn.h"

static char tmp[256];
static char dir[512];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	git_libgit2_init();
	snprintf(tmp, sizeof(tmp), "%s/lps-tc.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmp))
		return -1;
	char path[512];
	snprintf(path, sizeof(path), "%s/home", tmp);
	mkdir(path, 0777);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, path);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG, path);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM, path);
	snprintf(path, sizeof(path), "%s/home/.gitconfig", tmp);
	write_file(path, "[user]\n\tname = Test Leader\n\temail = t@example.org\n");
	snprintf(dir, sizeof(dir), "%s/p", tmp);
	struct lps_init_opts o = {
		.dir = dir, .name = "Ada", .role = "principal",
		.cycle = "2026-2027",
	};
	char *top = NULL;
	struct lps_error *err = lps_portfolio_init(&o, &top, NULL);
	free(top);
	if (err) {
		lps_error_free(err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		return -1;
	lps_registry_shutdown();
	git_libgit2_shutdown();
	return 0;
}

static const char *goal_text(const char *id, const char *title)
{
	static char buf[1024];
	snprintf(buf, sizeof(buf),
		 "lps: 1\nid: %s\ntitle: %s\nagenda: student\n"
		 "status: active\ncycle: 2026-2027\ncreated: 2026-09-01\n",
		 id, title);
	return buf;
}

/* Stage the goal text through txn_put (validated, canonical). */
static struct lps_error *put_goal(struct lps_txn *txn, const char *id,
				  const char *title)
{
	struct lps_doc *doc = NULL;
	char path[64];
	lps_collection_path(path, sizeof(path), id);
	const char *t = goal_text(id, title);
	struct lps_error *err = lps_doc_load(&doc, path, t, strlen(t), NULL);
	if (!err)
		err = lps_txn_put(txn, path, lps_doc_root(doc));
	lps_doc_free(doc);
	return err;
}

static void commit_goals(void)
{
	struct lps_portfolio *p = NULL;
	struct lps_txn *txn = NULL;
	assert_null(lps_portfolio_open(&p, dir));
	assert_null(lps_txn_begin(&txn, p));
	assert_null(put_goal(txn, "g-3f000001", "First"));
	assert_null(put_goal(txn, "g-3f000002", "Second"));
	assert_null(put_goal(txn, "g-abcdef01", "Third"));
	/* Not a valid goal: staged raw, as a hand edit would leave it. */
	const char *bad = "lps: 1\nid: g-0000000b\ntitle: Bad\n";
	assert_null(lps_txn_put_raw(txn, "goals/g-0000000b.yaml", bad,
				    strlen(bad)));
	assert_null(lps_txn_put_raw(txn, "goals/notes.txt", "x\n", 2));
	git_oid oid;
	assert_null(lps_txn_commit(txn, "goal", "add three", "goal add",
				   NULL, 0, &oid));
	lps_txn_free(txn);
	lps_portfolio_free(p);
}

static void test_txn_message(void **state)
{
	(void)state;
	commit_goals();
	git_repository *repo = NULL;
	git_commit *c = NULL;
	git_oid head;
	assert_int_equal(git_repository_open(&repo, dir), 0);
	assert_int_equal(git_reference_name_to_id(&head, repo, "HEAD"), 0);
	assert_int_equal(git_commit_lookup(&c, repo, &head), 0);
	assert_string_equal(git_commit_message(c),
			    "goal: add three\n\nLPS-Command: goal add\n"
			    "LPS-Phase: purpose\n");
	assert_int_equal(git_commit_parentcount(c), 1);
	git_commit_free(c);
	git_repository_free(repo);
}

static void test_txn_refuses_invalid(void **state)
{
	(void)state;
	struct lps_portfolio *p = NULL;
	struct lps_txn *txn = NULL;
	struct lps_doc *doc = NULL;
	assert_null(lps_portfolio_open(&p, dir));
	assert_null(lps_txn_begin(&txn, p));
	const char *t = "lps: 1\nid: g-12345678\ntitle: No agenda\n"
			"status: active\ncycle: 2026-2027\ncreated: 2026-09-01\n";
	assert_null(lps_doc_load(&doc, "goals/g-12345678.yaml", t, strlen(t),
				 NULL));
	struct lps_error *err = lps_txn_put(txn, "goals/g-12345678.yaml",
					    lps_doc_root(doc));
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EINVALID);
	assert_non_null(strstr(err->msg, "agenda"));
	lps_error_free(err);
	lps_doc_free(doc);
	lps_txn_set_phase(txn, "focus");
	lps_txn_free(txn);
	lps_portfolio_free(p);
}

struct seen {
	char paths[8][64];
	int valid[8];
	char problem[256];
	int n;
};

static int each_cb(void *ctx, const char *path, const struct lps_doc *doc,
		   const struct lps_error *problem)
{
	struct seen *s = ctx;
	snprintf(s->paths[s->n], sizeof(s->paths[0]), "%s", path);
	s->valid[s->n] = doc != NULL && problem == NULL;
	if (problem) {
		char *m = lps_error_format(problem);
		snprintf(s->problem, sizeof(s->problem), "%s", m);
		free(m);
	}
	s->n++;
	return 0;
}

static int stop_cb(void *ctx, const char *path, const struct lps_doc *doc,
		   const struct lps_error *problem)
{
	(void)path; (void)doc; (void)problem;
	++*(int *)ctx;
	return 1;
}

static void test_each(void **state)
{
	(void)state;
	struct lps_portfolio *p = NULL;
	assert_null(lps_portfolio_open(&p, dir));
	struct seen s;
	memset(&s, 0, sizeof(s));
	assert_null(lps_collection_each(p, "goals", each_cb, &s));
	assert_int_equal(s.n, 4); /* notes.txt is not a document */
	assert_string_equal(s.paths[0], "goals/g-0000000b.yaml");
	assert_string_equal(s.paths[1], "goals/g-3f000001.yaml");
	assert_string_equal(s.paths[2], "goals/g-3f000002.yaml");
	assert_string_equal(s.paths[3], "goals/g-abcdef01.yaml");
	assert_int_equal(s.valid[0], 0);
	assert_int_equal(s.valid[1], 1);
	assert_string_equal(s.problem, "goals/g-0000000b.yaml:1:1: "
			    "missing required property \"agenda\"");
	int calls = 0;
	assert_null(lps_collection_each(p, "goals", stop_cb, &calls));
	assert_int_equal(calls, 1);
	calls = 0;
	assert_null(lps_collection_each(p, "evidence", stop_cb, &calls));
	assert_int_equal(calls, 0);
	lps_portfolio_free(p);
}

static void test_load(void **state)
{
	(void)state;
	struct lps_portfolio *p = NULL;
	struct lps_doc *doc = NULL;
	assert_null(lps_portfolio_open(&p, dir));
	assert_null(lps_collection_load(p, "goals/g-3f000002.yaml", &doc));
	assert_string_equal(lps_node_str(lps_map_get(lps_doc_root(doc),
						     "title")), "Second");
	lps_doc_free(doc);
	struct lps_error *err = lps_collection_load(p, "goals/g-99999999.yaml",
						    &doc);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_ENOTFOUND);
	lps_error_free(err);
	err = lps_collection_load(p, "goals/g-0000000b.yaml", &doc);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EINVALID);
	assert_null(doc);
	lps_error_free(err);
	lps_portfolio_free(p);
}

static void expect_find(struct lps_portfolio *p, const char *typed,
			const char *want_id, int want_code, const char *msg)
{
	char id[LPS_ID_LEN + 1] = "";
	struct lps_error *err = lps_collection_find(p, 'g', typed, id);
	if (want_id) {
		assert_null(err);
		assert_string_equal(id, want_id);
		return;
	}
	assert_non_null(err);
	assert_int_equal(err->code, want_code);
	assert_string_equal(err->msg, msg);
	lps_error_free(err);
}

static void test_find(void **state)
{
	(void)state;
	struct lps_portfolio *p = NULL;
	assert_null(lps_portfolio_open(&p, dir));
	expect_find(p, "g-3f000001", "g-3f000001", 0, NULL);
	expect_find(p, "3f000002", "g-3f000002", 0, NULL);
	expect_find(p, "G-ABCDEF01", "g-abcdef01", 0, NULL);
	expect_find(p, "abc", "g-abcdef01", 0, NULL);
	expect_find(p, "g-ab", "g-abcdef01", 0, NULL);
	expect_find(p, "3f", NULL, LPS_EINVALID,
		    "ambiguous id \"3f\": g-3f000001, g-3f000002");
	expect_find(p, "g-77777777", NULL, LPS_ENOTFOUND,
		    "no goal matches \"g-77777777\"");
	expect_find(p, "777", NULL, LPS_ENOTFOUND, "no goal matches \"777\"");
	char id[LPS_ID_LEN + 1];
	struct lps_error *err = lps_collection_find(p, 'e', "3f", id);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_ENOTFOUND);
	assert_string_equal(err->msg, "no evidence matches \"3f\"");
	lps_error_free(err);
	lps_portfolio_free(p);
}

static void test_paths(void **state)
{
	(void)state;
	char path[64];
	lps_collection_path(path, sizeof(path), "e-12345678");
	assert_string_equal(path, "evidence/e-12345678.yaml");
	lps_collection_path(path, sizeof(path), "r-12345678");
	assert_string_equal(path, "reflections/r-12345678.yaml");
	lps_collection_path(path, sizeof(path), "f-12345678");
	assert_string_equal(path, "feedback/f-12345678.yaml");
	assert_null(lps_collection_dir('x'));
}

static void test_check_clean(void **state)
{
	(void)state;
	struct lps_portfolio *p = NULL;
	assert_null(lps_portfolio_open(&p, dir));
	struct lps_store *store = lps_portfolio_store(p);
	assert_null(lps_store_check_clean(store, "goals/g-3f000001.yaml"));
	assert_null(lps_store_check_clean(store, "goals/g-99999999.yaml"));
	char path[600];
	snprintf(path, sizeof(path), "%s/goals/g-3f000001.yaml", dir);
	FILE *f = fopen(path, "a");
	assert_non_null(f);
	fputs("# a hand edit\n", f);
	fclose(f);
	struct lps_error *err = lps_store_check_clean(store,
						      "goals/g-3f000001.yaml");
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EREFUSED);
	char *m = lps_error_format(err);
	assert_string_equal(m, "goals/g-3f000001.yaml: has uncommitted "
			    "changes; commit or discard them first");
	free(m);
	lps_error_free(err);
	/* Back as committed: clean again. */
	struct lps_doc *doc = NULL;
	struct lps_buf b = LPS_BUF_INIT;
	assert_null(lps_collection_load(p, "goals/g-3f000001.yaml", &doc));
	assert_null(lps_store_read(store, lps_portfolio_head(p),
				   "goals/g-3f000001.yaml", &b));
	assert_null(lps_write_file_atomic(path, b.data, b.len, 0644));
	assert_null(lps_store_check_clean(store, "goals/g-3f000001.yaml"));
	lps_buf_free(&b);
	lps_doc_free(doc);
	lps_portfolio_free(p);
}

/* ---- editor ---- */

static int checks;

static struct lps_error *want_ok(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	checks++;
	if (len >= 2 && strncmp(text, "ok", 2) == 0)
		return NULL;
	return lps_error_new(LPS_EINVALID, "line 1: not ok");
}

static void set_editor(const char *script_body)
{
	static char script[600];
	snprintf(script, sizeof(script), "%s/ed.sh", tmp);
	write_file(script, script_body);
	chmod(script, 0755);
	setenv("EDITOR", script, 1);
	unsetenv("VISUAL");
}

static void answers(const char *text)
{
	char path[600];
	snprintf(path, sizeof(path), "%s/answers", tmp);
	write_file(path, text);
	assert_non_null(freopen(path, "r", stdin));
}

static void test_editor_accepts(void **state)
{
	(void)state;
	struct lps_buf out = LPS_BUF_INIT;
	/* The editor sees the initial text and appends to it. */
	set_editor("#!/bin/sh\nprintf 'ok: ' > \"$1.new\"; cat \"$1\" >> \"$1.new\";"
		   " mv \"$1.new\" \"$1\"\n");
	checks = 0;
	assert_null(lps_editor_edit(&out, "start\n", 6, "g-1.yaml", want_ok,
				    NULL));
	assert_string_equal(out.data, "ok: start\n");
	assert_int_equal(checks, 1);
	lps_buf_free(&out);
}

static void test_editor_reedit_then_abort(void **state)
{
	(void)state;
	struct lps_buf out = LPS_BUF_INIT;
	/* Each run adds a line: "bad" stays first, so it is never ok. */
	set_editor("#!/bin/sh\necho more >> \"$1\"\n");
	answers("y\nn\n");
	checks = 0;
	struct lps_error *err = lps_editor_edit(&out, "bad\n", 4, "x.yaml",
						want_ok, NULL);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EINVALID);
	assert_string_equal(err->msg, "aborted: nothing changed");
	assert_int_equal(checks, 2);
	assert_null(out.data);
	lps_error_free(err);
}

static void test_editor_reedit_keeps_user_text(void **state)
{
	(void)state;
	struct lps_buf out = LPS_BUF_INIT;
	/* First run writes "bad", the second turns the user's "bad" into ok. */
	set_editor("#!/bin/sh\nif grep -q bad \"$1\"; then echo ok-fixed > \"$1\";"
		   " else echo bad > \"$1\"; fi\n");
	answers("\n");
	checks = 0;
	assert_null(lps_editor_edit(&out, "", 0, "x.yaml", want_ok, NULL));
	assert_string_equal(out.data, "ok-fixed\n");
	assert_int_equal(checks, 2);
	lps_buf_free(&out);
}

static void test_editor_fails(void **state)
{
	(void)state;
	struct lps_buf out = LPS_BUF_INIT;
	set_editor("#!/bin/sh\nexit 3\n");
	struct lps_error *err = lps_editor_edit(&out, "x", 1, "x.yaml", want_ok,
						NULL);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_ESYS);
	assert_non_null(strstr(err->msg, "failed (exit 3)"));
	lps_error_free(err);
	/* VISUAL wins over EDITOR. */
	setenv("VISUAL", "false", 1);
	err = lps_editor_edit(&out, "x", 1, "x.yaml", want_ok, NULL);
	assert_non_null(err);
	assert_string_equal(err->msg, "editor \"false\" failed (exit 1)");
	lps_error_free(err);
	unsetenv("VISUAL");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_txn_message),
		cmocka_unit_test(test_txn_refuses_invalid),
		cmocka_unit_test(test_each),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_check_clean),
		cmocka_unit_test(test_editor_accepts),
		cmocka_unit_test(test_editor_reedit_then_abort),
		cmocka_unit_test(test_editor_reedit_keeps_user_text),
		cmocka_unit_test(test_editor_fails),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
