/*
 * test-feedback.c - lib/feedback: the kinds, resolving --on to a goal,
 * evidence or reflection (typed ids, bare prefixes tried in all three
 * folders, ambiguity within and across folders, nothing found, other
 * type letters, malformed prefixes), and building received feedback
 * (fields in order, `on` left out when NULL, text that needs quoting
 * emitted so it reads back the same, and a document the write path
 * accepts).
 *
 * Each test starts a portfolio in its own mkdtemp folder, with the
 * identity in the repository's own config; git's global, XDG and system
 * configuration point at an empty folder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "collection.h"
#include "feedback.h"
#include "portfolio.h"
#include "registry.h"
#include "txn.h"

#define FIXTURE_NAME "feedback"
#include "fixture.h"

#define GOAL(id) \
	{ "goals/" id ".yaml", "lps: 1\nid: " id "\ntitle: A goal\n" \
	  "agenda: student\nstatus: active\ncycle: 2026-2027\n" \
	  "created: 2026-09-01\n" }
#define EVIDENCE(id) \
	{ "evidence/" id ".yaml", "lps: 1\nid: " id "\ntitle: Survey\n" \
	  "kind: perceptual\ndate: 2026-09-02\n" }
#define REFLECTION(id) \
	{ "reflections/" id ".yaml", "lps: 1\nid: " id "\n" \
	  "date: 2026-09-03\nphase: purpose\nbody: Thinking.\n" }

/* Commit files[i][0] with content files[i][1]. */
static void commit_raw(const char *const (*files)[2], size_t n)
{
	struct lps_portfolio *p = NULL;
	struct lps_txn *txn = NULL;
	ok(lps_portfolio_open(&p, dir));
	ok(lps_txn_begin(&txn, p));
	for (size_t i = 0; i < n; i++)
		ok(lps_txn_put_raw(txn, files[i][0], files[i][1],
				   strlen(files[i][1])));
	ok(lps_txn_commit(txn, "test", "seed", "test", NULL, 0, NULL));
	lps_txn_free(txn);
	lps_portfolio_free(p);
}

static void seed(void)
{
	static const char *const files[][2] = {
		GOAL("g-3f000001"), GOAL("g-77000001"), GOAL("g-77000002"),
		EVIDENCE("e-3f000002"), EVIDENCE("e-ab000001"),
		REFLECTION("r-3f100003"), REFLECTION("r-cd000001"),
		/* feedback can not be what feedback is on */
		{ "feedback/f-ee000001.yaml",
		  "lps: 1\nid: f-ee000001\ndate: 2026-09-04\nfrom: Bo\n"
		  "kind: question\nbody: Why?\n" },
	};
	commit_raw(files, sizeof(files) / sizeof(*files));
}

/* Resolve typed, expecting want. */
static void resolves(struct lps_portfolio *p, const char *typed,
		     const char *want)
{
	char id[LPS_ID_LEN + 1] = "";
	struct lps_error *err = lps_feedback_resolve_on(p, typed, id);
	if (err) {
		char *s = lps_error_format(err);
		print_error("\"%s\": unexpected error: %s\n", typed, s);
		free(s);
		lps_error_free(err);
		fail();
	}
	assert_string_equal(id, want);
}

static struct lps_error *resolve(struct lps_portfolio *p, const char *typed)
{
	char id[LPS_ID_LEN + 1];
	return lps_feedback_resolve_on(p, typed, id);
}

/* ------------------------------------------------------------ kinds */

static void test_kinds(void **state)
{
	(void)state;
	assert_string_equal(lps_feedback_kinds[0], "affirmation");
	assert_string_equal(lps_feedback_kinds[1], "question");
	assert_string_equal(lps_feedback_kinds[2], "suggestion");
	assert_null(lps_feedback_kinds[3]);
}

/* ------------------------------------------------------------ --on */

static void test_resolve_found(void **state)
{
	(void)state;
	seed();
	struct lps_portfolio *p = NULL;
	ok(lps_portfolio_open(&p, dir));
	/* whole ids and typed prefixes look in their own folder */
	resolves(p, "g-3f000001", "g-3f000001");
	resolves(p, "e-3f000002", "e-3f000002");
	resolves(p, "r-3f100003", "r-3f100003");
	resolves(p, "g-3f", "g-3f000001");
	resolves(p, "e-3", "e-3f000002");
	resolves(p, "r-3f1", "r-3f100003");
	/* bare prefixes unique across the three folders */
	resolves(p, "ab", "e-ab000001");
	resolves(p, "cd0", "r-cd000001");
	resolves(p, "3f000001", "g-3f000001");
	resolves(p, "3f1", "r-3f100003");
	resolves(p, "77000002", "g-77000002");
	/* hex is case-insensitive */
	resolves(p, "AB", "e-ab000001");
	resolves(p, "e-AB0", "e-ab000001");
	lps_portfolio_free(p);
}

static void test_resolve_ambiguous(void **state)
{
	(void)state;
	seed();
	struct lps_portfolio *p = NULL;
	ok(lps_portfolio_open(&p, dir));
	/* across folders, named in sorted order (not g, e, r) */
	expect_err(resolve(p, "3f"), LPS_EINVALID,
		   "ambiguous id \"3f\": e-3f000002, g-3f000001, r-3f100003");
	expect_err(resolve(p, "3"), LPS_EINVALID,
		   "ambiguous id \"3\": e-3f000002, g-3f000001, r-3f100003");
	expect_err(resolve(p, "3f00"), LPS_EINVALID,
		   "ambiguous id \"3f00\": e-3f000002, g-3f000001");
	/* within one folder: that folder's error */
	expect_err(resolve(p, "77"), LPS_EINVALID,
		   "ambiguous id \"77\": g-77000001, g-77000002");
	expect_err(resolve(p, "g-7700"), LPS_EINVALID,
		   "ambiguous id \"g-7700\": g-77000001, g-77000002");
	lps_portfolio_free(p);
}

static void test_resolve_not_found(void **state)
{
	(void)state;
	seed();
	struct lps_portfolio *p = NULL;
	ok(lps_portfolio_open(&p, dir));
	expect_err(resolve(p, "99"), LPS_ENOTFOUND,
		   "nothing matches \"99\" (goals, evidence, reflections)");
	/* a feedback id is not looked for */
	expect_err(resolve(p, "ee"), LPS_ENOTFOUND,
		   "nothing matches \"ee\" (goals, evidence, reflections)");
	expect_err(resolve(p, "ee000001"), LPS_ENOTFOUND,
		   "nothing matches \"ee000001\" (goals, evidence, "
		   "reflections)");
	/* a typed id only looks in its folder */
	expect_err(resolve(p, "g-ab"), LPS_ENOTFOUND,
		   "no goal matches \"g-ab\"");
	expect_err(resolve(p, "e-3f000001"), LPS_ENOTFOUND,
		   "no evidence matches \"e-3f000001\"");
	expect_err(resolve(p, "r-99"), LPS_ENOTFOUND,
		   "no reflection matches \"r-99\"");
	lps_portfolio_free(p);
}

static void test_resolve_usage(void **state)
{
	(void)state;
	seed();
	struct lps_portfolio *p = NULL;
	ok(lps_portfolio_open(&p, dir));
	/* another type letter */
	expect_err(resolve(p, "f-ee000001"), LPS_EUSAGE,
		   "--on: \"f-ee000001\" is not the id of a goal, evidence or "
		   "reflection");
	expect_err(resolve(p, "x-3f"), LPS_EUSAGE,
		   "--on: \"x-3f\" is not the id of a goal, evidence or "
		   "reflection");
	expect_err(resolve(p, "--"), LPS_EUSAGE,
		   "--on: \"--\" is not the id of a goal, evidence or "
		   "reflection");
	/* a malformed prefix */
	expect_err(resolve(p, "g-zz"), LPS_EUSAGE, "malformed id \"g-zz\"");
	expect_err(resolve(p, "g-"), LPS_EUSAGE, "malformed id \"g-\"");
	expect_err(resolve(p, "zz"), LPS_EUSAGE, "malformed id \"zz\"");
	expect_err(resolve(p, ""), LPS_EUSAGE, "malformed id \"\"");
	expect_err(resolve(p, "3f0000011"), LPS_EUSAGE,
		   "malformed id \"3f0000011\"");
	lps_portfolio_free(p);
}

/* ------------------------------------------------------------ new */

static char *emit(const struct lps_doc *doc)
{
	struct lps_buf b = LPS_BUF_INIT;
	ok(lps_doc_emit(lps_doc_root(doc), &b));
	return lps_buf_detach(&b, NULL);
}

static void test_new(void **state)
{
	(void)state;
	struct lps_feedback_fields f = {
		.id = "f-0000beef", .date = "2026-10-02", .from = "Bo Partner",
		.kind = "suggestion", .on = "g-3f000001",
		.body = "Try a survey.",
	};
	struct lps_doc *doc = NULL;
	ok(lps_feedback_new(&doc, &f));
	assert_string_equal(lps_doc_name(doc), "feedback/f-0000beef.yaml");
	char *y = emit(doc);
	assert_string_equal(y, "lps: 1\nid: f-0000beef\ndate: 2026-10-02\n"
			    "from: Bo Partner\nkind: suggestion\n"
			    "on: g-3f000001\nbody: Try a survey.\n");
	free(y);
	/* received feedback has no `to` and no visibility of its own */
	assert_null(lps_map_get(lps_doc_root(doc), "to"));
	assert_null(lps_map_get(lps_doc_root(doc), "visibility"));
	lps_doc_free(doc);

	/* no `on`: the key is left out */
	f.on = NULL;
	ok(lps_feedback_new(&doc, &f));
	y = emit(doc);
	assert_string_equal(y, "lps: 1\nid: f-0000beef\ndate: 2026-10-02\n"
			    "from: Bo Partner\nkind: suggestion\n"
			    "body: Try a survey.\n");
	free(y);
	assert_null(lps_map_get(lps_doc_root(doc), "on"));
	lps_doc_free(doc);
}

/* Text that YAML would read as something else is quoted, and reads back. */
static void test_new_quoting(void **state)
{
	(void)state;
	struct lps_feedback_fields f = {
		.id = "f-00000001", .date = "2026-10-02",
		.from = "O'Neil: \"Bo\" #1", .kind = "question",
		.body = "yes",
	};
	struct lps_doc *doc = NULL, *back = NULL;
	ok(lps_feedback_new(&doc, &f));
	char *y = emit(doc);
	ok(lps_doc_load(&back, "x.yaml", y, strlen(y), NULL));
	const struct lps_node *r = lps_doc_root(back);
	assert_string_equal(lps_node_str(lps_map_get(r, "from")),
			    "O'Neil: \"Bo\" #1");
	/* "yes" stays a string, not a boolean */
	assert_string_equal(lps_node_str(lps_map_get(r, "body")), "yes");
	assert_int_equal(lps_map_get(r, "lps")->type, LPS_NODE_INT);
	assert_true(lps_node_equal(lps_doc_root(doc), r));
	lps_doc_free(back);
	free(y);
	lps_doc_free(doc);

	f.body = "First line.\n\n  Indented: second\ttab\n";
	f.from = "- dash";
	ok(lps_feedback_new(&doc, &f));
	y = emit(doc);
	ok(lps_doc_load(&back, "x.yaml", y, strlen(y), NULL));
	assert_string_equal(lps_node_str(lps_map_get(lps_doc_root(back),
						     "body")), f.body);
	assert_string_equal(lps_node_str(lps_map_get(lps_doc_root(back),
						     "from")), "- dash");
	lps_doc_free(back);
	free(y);
	lps_doc_free(doc);
}

/* What lps_feedback_new builds is what the write path accepts. */
static void test_new_committed(void **state)
{
	(void)state;
	seed();
	struct lps_portfolio *p = NULL;
	struct lps_txn *txn = NULL;
	struct lps_doc *doc = NULL;
	struct lps_feedback_fields f = {
		.id = "f-0000beef", .date = "2026-10-02", .from = "Roundtable",
		.kind = "affirmation", .on = "e-3f000002",
		.body = "Clear evidence.",
	};
	ok(lps_portfolio_open(&p, dir));
	ok(lps_feedback_new(&doc, &f));
	ok(lps_txn_begin(&txn, p));
	ok(lps_txn_put(txn, lps_doc_name(doc), lps_doc_root(doc)));
	ok(lps_txn_commit(txn, "feedback", "add f-0000beef", "feedback add",
			  NULL, 0, NULL));
	lps_txn_free(txn);
	lps_doc_free(doc);
	lps_portfolio_free(p);

	ok(lps_portfolio_open(&p, dir));
	ok(lps_collection_load(p, "feedback/f-0000beef.yaml", &doc));
	char *y = emit(doc);
	assert_string_equal(y, "lps: 1\nid: f-0000beef\ndate: 2026-10-02\n"
			    "from: Roundtable\nkind: affirmation\n"
			    "on: e-3f000002\nbody: Clear evidence.\n");
	free(y);
	lps_doc_free(doc);

	/* an invalid kind is the write path's to refuse */
	f.id = "f-0000bee2";
	f.kind = "complaint";
	ok(lps_feedback_new(&doc, &f));
	ok(lps_txn_begin(&txn, p));
	struct lps_error *err = lps_txn_put(txn, lps_doc_name(doc),
					    lps_doc_root(doc));
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EINVALID);
	assert_non_null(strstr(err->msg, "kind"));
	lps_error_free(err);
	lps_txn_free(txn);
	lps_doc_free(doc);
	lps_portfolio_free(p);
}

int main(void)
{
	char home[64];
	strcpy(home, "/tmp/lps-feedback-home.XXXXXX");
	if (!mkdtemp(home))
		return 4;
	setenv("HOME", home, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("LPS_SCHEMA_DIR");
	static const char *const vars[] = {
		"GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE",
		"GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL",
		"GIT_COMMITTER_DATE", "GIT_DIR", "GIT_WORK_TREE",
	};
	for (size_t i = 0; i < sizeof(vars) / sizeof(*vars); i++)
		unsetenv(vars[i]);
	git_libgit2_init();
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, home);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG, home);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM, home);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_PROGRAMDATA,
			 home);

	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		cmocka_unit_test(test_kinds),
		T(test_resolve_found),
		T(test_resolve_ambiguous),
		T(test_resolve_not_found),
		T(test_resolve_usage),
		cmocka_unit_test(test_new),
		cmocka_unit_test(test_new_quoting),
		T(test_new_committed),
#undef T
	};
	int rc = cmocka_run_group_tests_name("feedback", tests, NULL, NULL);
	lps_registry_shutdown();
	git_libgit2_shutdown();
	rmdir(home);
	return rc;
}
