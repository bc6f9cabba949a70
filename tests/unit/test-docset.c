/*
 * test-docset.c - lib/docset: a folder's documents as of HEAD gathered
 * into one sequence sorted by date then id; keep filters (with their
 * context), invalid documents reported to warn and left out (or quietly
 * with no warn), other files and sub-folders ignored, an empty or missing
 * folder giving an empty sequence, and copies that outlive the portfolio.
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
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "docset.h"
#include "portfolio.h"
#include "registry.h"
#include "txn.h"

#define FIXTURE_NAME "docset"
#include "fixture.h"

/* Commit files[i][0] with content files[i][1] as they are (unchecked). */
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

static const char *const reflections[][2] = {
	{ "reflections/r-00000001.yaml",
	  "lps: 1\nid: r-00000001\ndate: 2026-09-10\nphase: purpose\n"
	  "body: Later.\n" },
	{ "reflections/r-00000002.yaml",
	  "lps: 1\nid: r-00000002\ndate: 2026-09-05\nphase: purpose\n"
	  "body: Same day, smaller id.\n" },
	{ "reflections/r-00000003.yaml",
	  "lps: 1\nid: r-00000003\ndate: 2026-09-05\nphase: focus\n"
	  "body: Same day.\nvisibility: roundtable\n" },
	{ "reflections/r-00000004.yaml",
	  "lps: 1\nid: r-00000004\ndate: 2026-08-31\nphase: purpose\n"
	  "body: Earliest.\nvisibility: private\n" },
	/* no body: invalid */
	{ "reflections/r-0000000a.yaml",
	  "lps: 1\nid: r-0000000a\ndate: 2026-09-01\nphase: purpose\n" },
	/* not YAML at all */
	{ "reflections/r-0000000b.yaml", "id: [unclosed\n" },
	/* neither is read: not a .yaml name, and in a sub-folder */
	{ "reflections/notes.txt", "id: r-0000000c\n" },
	{ "reflections/r-0000000d/x.yaml",
	  "lps: 1\nid: r-0000000d\ndate: 2026-01-01\nphase: purpose\n"
	  "body: Nested.\n" },
};
#define NREFL (sizeof(reflections) / sizeof(*reflections))

/* The ids of the gathered sequence, joined with spaces. */
static void ids_of(const struct lps_doc *doc, char *out, size_t size)
{
	const struct lps_node *seq = lps_doc_root(doc);
	assert_int_equal(seq->type, LPS_NODE_SEQ);
	out[0] = '\0';
	for (size_t i = 0; i < seq->v.seq.n; i++) {
		const char *id = lps_node_str(lps_map_get(seq->v.seq.items[i],
							  "id"));
		size_t n = strlen(out);
		snprintf(out + n, size - n, "%s%s", i ? " " : "",
			 id ? id : "?");
	}
}

struct warnings {
	char text[4][256];
	int n;
};

static void collect_warning(void *ctx, const struct lps_error *problem)
{
	struct warnings *w = ctx;
	assert_non_null(problem);
	char *s = lps_error_format(problem);
	assert_non_null(s);
	if (w->n < 4)
		snprintf(w->text[w->n], sizeof(w->text[0]), "%s", s);
	w->n++;
	free(s);
}

static void test_sorted_by_date_then_id(void **state)
{
	(void)state;
	commit_raw(reflections, NREFL);
	struct lps_portfolio *p = NULL;
	struct lps_doc *out = NULL;
	struct warnings w = { .n = 0 };
	ok(lps_portfolio_open(&p, dir));
	ok(lps_docset_collect(&out, p, "reflections", NULL, NULL,
			      collect_warning, &w));
	char ids[256];
	ids_of(out, ids, sizeof(ids));
	assert_string_equal(ids, "r-00000004 r-00000002 r-00000003 "
			    "r-00000001");
	assert_string_equal(lps_doc_name(out), "reflections");

	/* the two broken documents were reported, in path order */
	assert_int_equal(w.n, 2);
	assert_string_equal(w.text[0], "reflections/r-0000000a.yaml:1:1: "
			    "missing required property \"body\"");
	/* the rest of this one is libyaml's wording */
	const char *at = "reflections/r-0000000b.yaml:2:1: ";
	assert_memory_equal(w.text[1], at, strlen(at));
	lps_doc_free(out);

	/* without warn they are left out all the same */
	ok(lps_docset_collect(&out, p, "reflections", NULL, NULL, NULL, NULL));
	ids_of(out, ids, sizeof(ids));
	assert_string_equal(ids, "r-00000004 r-00000002 r-00000003 "
			    "r-00000001");
	lps_doc_free(out);
	lps_portfolio_free(p);
}

/* The documents are deep copies, whole, as stored. */
static void test_copies_outlive_portfolio(void **state)
{
	(void)state;
	commit_raw(reflections, 4);
	struct lps_portfolio *p = NULL;
	struct lps_doc *out = NULL;
	ok(lps_portfolio_open(&p, dir));
	ok(lps_docset_collect(&out, p, "reflections", NULL, NULL, NULL, NULL));
	lps_portfolio_free(p);
	lps_registry_shutdown();

	struct lps_buf b = LPS_BUF_INIT;
	ok(lps_doc_emit(lps_doc_root(out), &b));
	assert_string_equal(b.data,
		"- lps: 1\n  id: r-00000004\n  date: 2026-08-31\n"
		"  phase: purpose\n  body: Earliest.\n  visibility: private\n"
		"- lps: 1\n  id: r-00000002\n  date: 2026-09-05\n"
		"  phase: purpose\n  body: Same day, smaller id.\n"
		"- lps: 1\n  id: r-00000003\n  date: 2026-09-05\n"
		"  phase: focus\n  body: Same day.\n  visibility: roundtable\n"
		"- lps: 1\n  id: r-00000001\n  date: 2026-09-10\n"
		"  phase: purpose\n  body: Later.\n");
	lps_buf_free(&b);
	lps_doc_free(out);
}

struct keep_ctx {
	const char *visibility; /* keep documents with this value */
	int calls;
};

static int keep_visibility(void *ctx, const struct lps_node *root)
{
	struct keep_ctx *k = ctx;
	k->calls++;
	assert_int_equal(root->type, LPS_NODE_MAP);
	const char *v = lps_node_str(lps_map_get(root, "visibility"));
	return v && !strcmp(v, k->visibility);
}

static void test_keep(void **state)
{
	(void)state;
	commit_raw(reflections, NREFL);
	struct lps_portfolio *p = NULL;
	struct lps_doc *out = NULL;
	char ids[256];
	ok(lps_portfolio_open(&p, dir));

	struct keep_ctx k = { "roundtable", 0 };
	ok(lps_docset_collect(&out, p, "reflections", keep_visibility, &k,
			      NULL, NULL));
	ids_of(out, ids, sizeof(ids));
	assert_string_equal(ids, "r-00000003");
	/* keep sees only valid documents, each once */
	assert_int_equal(k.calls, 4);
	lps_doc_free(out);

	k = (struct keep_ctx){ "private", 0 };
	ok(lps_docset_collect(&out, p, "reflections", keep_visibility, &k,
			      NULL, NULL));
	ids_of(out, ids, sizeof(ids));
	assert_string_equal(ids, "r-00000004");
	lps_doc_free(out);

	/* keeping nothing is an empty sequence */
	k = (struct keep_ctx){ "nothing", 0 };
	ok(lps_docset_collect(&out, p, "reflections", keep_visibility, &k,
			      NULL, NULL));
	assert_int_equal(lps_doc_root(out)->type, LPS_NODE_SEQ);
	assert_int_equal(lps_doc_root(out)->v.seq.n, 0);
	lps_doc_free(out);
	lps_portfolio_free(p);
}

static void test_empty_and_missing(void **state)
{
	(void)state;
	struct lps_portfolio *p = NULL;
	struct lps_doc *out = NULL;
	struct warnings w = { .n = 0 };
	ok(lps_portfolio_open(&p, dir));
	/* a fresh portfolio has no feedback/ folder */
	ok(lps_docset_collect(&out, p, "feedback", NULL, NULL,
			      collect_warning, &w));
	assert_int_equal(lps_doc_root(out)->type, LPS_NODE_SEQ);
	assert_int_equal(lps_doc_root(out)->v.seq.n, 0);
	assert_int_equal(w.n, 0);
	struct lps_buf b = LPS_BUF_INIT;
	ok(lps_doc_emit_json(lps_doc_root(out), &b));
	assert_string_equal(b.data, "[]\n");
	lps_buf_free(&b);
	lps_doc_free(out);
	lps_portfolio_free(p);
}

/* Feedback gathers the same way; one document alone is not sorted. */
static void test_feedback_folder(void **state)
{
	(void)state;
	static const char *const files[][2] = {
		{ "feedback/f-0000beef.yaml",
		  "lps: 1\nid: f-0000beef\ndate: 2026-10-02\nfrom: Bo\n"
		  "kind: question\nbody: Why?\n" },
	};
	commit_raw(files, 1);
	struct lps_portfolio *p = NULL;
	struct lps_doc *out = NULL;
	ok(lps_portfolio_open(&p, dir));
	ok(lps_docset_collect(&out, p, "feedback", NULL, NULL, NULL, NULL));
	struct lps_buf b = LPS_BUF_INIT;
	ok(lps_doc_emit_json(lps_doc_root(out), &b));
	assert_string_equal(b.data,
		"[\n  {\n    \"lps\": 1,\n    \"id\": \"f-0000beef\",\n"
		"    \"date\": \"2026-10-02\",\n    \"from\": \"Bo\",\n"
		"    \"kind\": \"question\",\n    \"body\": \"Why?\"\n  }\n]\n");
	lps_buf_free(&b);
	lps_doc_free(out);
	lps_portfolio_free(p);
}

int main(void)
{
	char home[64];
	strcpy(home, "/tmp/lps-docset-home.XXXXXX");
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
		T(test_sorted_by_date_then_id),
		T(test_copies_outlive_portfolio),
		T(test_keep),
		T(test_empty_and_missing),
		T(test_feedback_folder),
#undef T
	};
	int rc = cmocka_run_group_tests_name("docset", tests, NULL, NULL);
	lps_registry_shutdown();
	git_libgit2_shutdown();
	rmdir(home);
	return rc;
}
