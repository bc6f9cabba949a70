/* Unit tests of lib/portfolio: ids, id prefixes, school years, commit
 * messages, the version check, the write path and init/open. */
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

#include "portfolio.h"
#include "registry.h"

static void test_new_id(void **state)
{
	(void)state;
	char ids[200][LPS_ID_LEN + 1];
	for (int i = 0; i < 200; i++) {
		assert_null(lps_portfolio_new_id(ids[i], 'g'));
		assert_int_equal(strlen(ids[i]), 10);
		assert_true(lps_portfolio_id_valid(ids[i], 'g'));
		assert_true(lps_portfolio_id_valid(ids[i], 0));
		assert_false(lps_portfolio_id_valid(ids[i], 'e'));
		/* 200 random 32-bit values: a repeat means no randomness. */
		for (int k = 0; k < i; k++)
			assert_string_not_equal(ids[i], ids[k]);
	}
	char e[LPS_ID_LEN + 1];
	assert_null(lps_portfolio_new_id(e, 'e'));
	assert_int_equal(e[0], 'e');
	assert_int_equal(e[1], '-');
	struct lps_error *err = lps_portfolio_new_id(e, 'G');
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EINVALID);
	lps_error_free(err);
}

static void test_id_valid(void **state)
{
	(void)state;
	assert_true(lps_portfolio_id_valid("g-3f9a1c07", 'g'));
	assert_false(lps_portfolio_id_valid("g-3F9A1C07", 'g'));
	assert_false(lps_portfolio_id_valid("g-3f9a1c0", 'g'));
	assert_false(lps_portfolio_id_valid("g-3f9a1c077", 'g'));
	assert_false(lps_portfolio_id_valid("g_3f9a1c07", 'g'));
	assert_false(lps_portfolio_id_valid("g-3f9a1c0g", 'g'));
	assert_false(lps_portfolio_id_valid("1-3f9a1c07", 0));
	assert_false(lps_portfolio_id_valid(NULL, 0));
}

static const char *const some_ids[] = {
	"g-3f9a1c07", "g-3f000001", "g-3f000002", "g-abcdef01",
	"e-3f9a1c07", "not-an-id",
};
#define NIDS (sizeof(some_ids) / sizeof(some_ids[0]))

static void expect_resolve(char letter, const char *typed, const char *want)
{
	const char *got = NULL;
	struct lps_error *err = lps_portfolio_resolve_id(&got, some_ids, NIDS,
							 letter, typed);
	assert_null(err);
	assert_string_equal(got, want);
}

static void expect_resolve_error(char letter, const char *typed, int code,
				 const char *msg)
{
	const char *got = (const char *)1;
	struct lps_error *err = lps_portfolio_resolve_id(&got, some_ids, NIDS,
							 letter, typed);
	assert_non_null(err);
	assert_null(got);
	assert_int_equal(err->code, code);
	assert_string_equal(err->msg, msg);
	lps_error_free(err);
}

static void test_resolve_id(void **state)
{
	(void)state;
	expect_resolve('g', "3f9", "g-3f9a1c07");
	expect_resolve('g', "g-3f9", "g-3f9a1c07");
	expect_resolve('g', "G-3F9A1C07", "g-3f9a1c07");
	expect_resolve('g', "a", "g-abcdef01");
	expect_resolve('e', "3", "e-3f9a1c07");
	expect_resolve('g', "3f000002", "g-3f000002");
	expect_resolve_error('g', "3f", LPS_EINVALID,
			     "ambiguous id \"3f\": g-3f000001, g-3f000002, "
			     "g-3f9a1c07");
	expect_resolve_error(0, "3f9", LPS_EINVALID,
			     "ambiguous id \"3f9\": e-3f9a1c07, g-3f9a1c07");
	expect_resolve_error('g', "42", LPS_ENOTFOUND,
			     "no id matches \"42\"");
	expect_resolve_error('g', "", LPS_EUSAGE, "malformed id \"\"");
	expect_resolve_error('g', "xyz", LPS_EUSAGE, "malformed id \"xyz\"");
	expect_resolve_error('g', "3f9a1c0700", LPS_EUSAGE,
			     "malformed id \"3f9a1c0700\"");
	expect_resolve_error('g', "e-3f9", LPS_EUSAGE,
			     "not an id of this kind: \"e-3f9\"");
}

static void test_school_year(void **state)
{
	(void)state;
	char y[10];
	lps_portfolio_school_year(y, 2026, 8);
	assert_string_equal(y, "2026-2027");
	lps_portfolio_school_year(y, 2026, 7);
	assert_string_equal(y, "2025-2026");
	lps_portfolio_school_year(y, 2027, 1);
	assert_string_equal(y, "2026-2027");
	lps_portfolio_school_year(y, 2026, 12);
	assert_string_equal(y, "2026-2027");
	char d[11];
	lps_portfolio_today(d, y);
	assert_int_equal(strlen(d), 10);
	assert_int_equal(d[4], '-');
	assert_int_equal(y[4], '-');
}

static void test_message(void **state)
{
	(void)state;
	char *m = NULL;
	assert_null(lps_portfolio_message(&m, "init", "start portfolio of Ada",
					  "init", "purpose", NULL, 0));
	assert_string_equal(m, "init: start portfolio of Ada\n\n"
			       "LPS-Command: init\nLPS-Phase: purpose\n");
	free(m);

	const struct lps_trailer extra[] = {
		{ "LPS-Phase-From", "focus" },
		{ "LPS-Forced", "the board\nasked" },
	};
	assert_null(lps_portfolio_message(&m, "goal", "add g-1 \"Two\nlines\"",
					  "goal add", "focus", extra, 2));
	assert_string_equal(m, "goal: add g-1 \"Two lines\"\n\n"
			       "LPS-Command: goal add\nLPS-Phase: focus\n"
			       "LPS-Phase-From: focus\n"
			       "LPS-Forced: the board asked\n");
	free(m);

	struct lps_error *err = lps_portfolio_message(&m, "", "x", "c", "p",
						      NULL, 0);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EINVALID);
	assert_null(m);
	lps_error_free(err);
	const struct lps_trailer bad[] = { { "Bad Key", "v" } };
	err = lps_portfolio_message(&m, "a", "b", "c", "d", bad, 1);
	assert_non_null(err);
	assert_string_equal(err->msg, "malformed commit trailer \"Bad Key\"");
	lps_error_free(err);
}

static void test_version(void **state)
{
	(void)state;
	struct lps_doc *doc = NULL;
	const char *text = "lps: 2\nowner: {name: A}\n";
	assert_null(lps_doc_load(&doc, "lps.yaml", text, strlen(text), NULL));
	struct lps_error *err = lps_portfolio_check_version(doc);
	assert_non_null(err);
	char *s = lps_error_format(err);
	assert_string_equal(s, "lps.yaml:1:6: format version 2 is newer than "
			       "this lps understands (1)");
	free(s);
	lps_error_free(err);
	lps_doc_free(doc);

	text = "lps: one\n";
	assert_null(lps_doc_load(&doc, "x.yaml", text, strlen(text), NULL));
	err = lps_portfolio_check_version(doc);
	assert_non_null(err);
	assert_string_equal(err->msg, "unsupported format version (expected 1)");
	lps_error_free(err);
	lps_doc_free(doc);

	text = "lps: 1\n";
	assert_null(lps_doc_load(&doc, "x.yaml", text, strlen(text), NULL));
	assert_null(lps_portfolio_check_version(doc));
	lps_doc_free(doc);
}

/* A goal built by hand, keys deliberately out of schema order. */
static struct lps_node *make_goal(struct lps_doc *doc, int bad_target)
{
	struct lps_node *g = lps_doc_new_map(doc);
	struct lps_node *inds = lps_doc_new_seq(doc);
	struct lps_node *ind = lps_doc_new_map(doc);
	lps_map_set(doc, ind, "target", bad_target
		    ? lps_doc_new_string(doc, "ten")
		    : lps_doc_new_int(doc, 10));
	lps_map_set(doc, ind, "baseline", lps_doc_new_int(doc, 4));
	lps_map_set(doc, ind, "measure", lps_doc_new_string(doc, "books read"));
	lps_map_set(doc, ind, "id", lps_doc_new_string(doc, "k1"));
	lps_seq_append(doc, inds, ind);
	lps_map_set(doc, g, "indicators", inds);
	lps_map_set(doc, g, "created", lps_doc_new_string(doc, "2026-09-01"));
	lps_map_set(doc, g, "cycle", lps_doc_new_string(doc, "2026-2027"));
	lps_map_set(doc, g, "status", lps_doc_new_string(doc, "active"));
	lps_map_set(doc, g, "agenda", lps_doc_new_string(doc, "student"));
	lps_map_set(doc, g, "title", lps_doc_new_string(doc, "Read more"));
	lps_map_set(doc, g, "id", lps_doc_new_string(doc, "g-1234abcd"));
	lps_map_set(doc, g, "lps", lps_doc_new_int(doc, 1));
	lps_doc_set_root(doc, g);
	return g;
}

static void test_stage(void **state)
{
	(void)state;
	struct lps_changeset *cs = NULL;
	struct lps_doc *doc = NULL;
	struct lps_findings fs = LPS_FINDINGS_INIT;

	assert_null(lps_changeset_new(&cs));
	assert_null(lps_doc_new(&doc, "goal"));
	struct lps_error *err = lps_portfolio_stage_doc(
		cs, "goals/g-1234abcd.yaml", make_goal(doc, 1), &fs);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EINVALID);
	char *s = lps_error_format(err);
	assert_string_equal(s, "goals/g-1234abcd.yaml: indicators[0].target: "
			       "expected number, got string \"ten\"");
	free(s);
	lps_error_free(err);
	assert_int_equal(fs.n, 1);
	assert_string_equal(fs.items[0].path, "indicators[0].target");
	assert_string_equal(fs.items[0].keyword, "type");
	assert_int_equal(lps_changeset_count(cs), 0);
	lps_findings_free(&fs);
	lps_doc_free(doc);

	assert_null(lps_doc_new(&doc, "goal"));
	assert_null(lps_portfolio_stage_doc(cs, "goals/g-1234abcd.yaml",
					    make_goal(doc, 0), NULL));
	assert_int_equal(lps_changeset_count(cs), 1);
	/* The tree was put in schema order on the way. */
	struct lps_buf b = LPS_BUF_INIT;
	assert_null(lps_doc_emit(lps_doc_root(doc), &b));
	assert_string_equal(b.data,
			    "lps: 1\n"
			    "id: g-1234abcd\n"
			    "title: Read more\n"
			    "agenda: student\n"
			    "status: active\n"
			    "cycle: 2026-2027\n"
			    "created: 2026-09-01\n"
			    "indicators:\n"
			    "  - id: k1\n"
			    "    measure: books read\n"
			    "    baseline: 4\n"
			    "    target: 10\n");
	lps_buf_free(&b);

	err = lps_portfolio_stage_doc(cs, "notes/x.yaml", lps_doc_root(doc),
				      NULL);
	assert_non_null(err);
	assert_string_equal(err->msg, "notes/x.yaml: lps keeps no document there");
	lps_error_free(err);
	lps_doc_free(doc);
	lps_changeset_free(cs);
}

/* ---- init and open, in a temporary directory ---- */

static char tmp[256];

static void rm_rf(const char *path)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	assert_int_equal(system(cmd), 0);
}

static int setup_tmp(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "%s/lps-tp.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmp))
		return -1;
	char path[512];
	/* A global config of our own, with an identity. */
	snprintf(path, sizeof(path), "%s/home", tmp);
	mkdir(path, 0777);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, path);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG, path);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM, path);
	snprintf(path, sizeof(path), "%s/home/.gitconfig", tmp);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs("[user]\n\tname = Test Leader\n\temail = t@example.org\n", f);
	fclose(f);
	return 0;
}

static int teardown_tmp(void **state)
{
	(void)state;
	rm_rf(tmp);
	return 0;
}

static void test_init_open(void **state)
{
	(void)state;
	char dir[512], *top = NULL, cycle[LPS_CYCLE_MAX];
	snprintf(dir, sizeof(dir), "%s/new/port", tmp);
	struct lps_init_opts o = {
		.dir = dir, .name = "Ada Lovelace", .role = "principal",
		.cycle = "2026-2027", .school = "Riverside",
	};

	struct lps_portfolio *p = NULL;
	struct lps_error *err = lps_portfolio_open(&p, tmp);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_ENOTFOUND);
	lps_error_free(err);

	assert_null(lps_portfolio_init(&o, &top, cycle));
	assert_string_equal(cycle, "2026-2027");
	assert_non_null(strstr(top, "/new/port/"));
	assert_int_equal(top[strlen(top) - 1], '/');
	free(top);

	err = lps_portfolio_init(&o, NULL, NULL);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EREFUSED);
	char want[600];
	snprintf(want, sizeof(want), "%s/lps.yaml: already an lps portfolio",
		 dir);
	assert_string_equal(err->msg, want);
	lps_error_free(err);

	assert_null(lps_portfolio_open(&p, dir));
	const struct lps_node *meta = lps_doc_root(lps_portfolio_meta(p));
	assert_string_equal(lps_node_str(lps_map_get(meta, "phase")), "purpose");
	assert_string_equal(lps_node_str(lps_map_get(meta, "school")),
			    "Riverside");
	struct lps_buf b = LPS_BUF_INIT;
	assert_null(lps_store_read(lps_portfolio_store(p),
				   lps_portfolio_head(p), "lps.yaml", &b));
	char today[11];
	lps_portfolio_today(today, NULL);
	char expect[400];
	snprintf(expect, sizeof(expect),
		 "lps: 1\nowner:\n  name: Ada Lovelace\nrole: principal\n"
		 "school: Riverside\ncycle: 2026-2027\nphase: purpose\n"
		 "created: %s\n", today);
	assert_string_equal(b.data, expect);
	lps_buf_free(&b);
	lps_portfolio_free(p);

	/* A bad cycle writes nothing at all. */
	snprintf(dir, sizeof(dir), "%s/badcycle", tmp);
	o.dir = dir;
	o.cycle = "next year";
	err = lps_portfolio_init(&o, NULL, NULL);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EINVALID);
	struct stat st;
	assert_int_not_equal(stat(dir, &st), 0);
	lps_error_free(err);
}

static void test_open_not_portfolio(void **state)
{
	(void)state;
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/plain", tmp);
	mkdir(dir, 0777);
	struct lps_store *s = NULL;
	assert_null(lps_store_init(&s, dir, NULL));
	lps_store_free(s);
	struct lps_portfolio *p = NULL;
	struct lps_error *err = lps_portfolio_open(&p, dir);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_ENOTFOUND);
	char want[700];
	snprintf(want, sizeof(want), "not an lps portfolio (no lps.yaml): %s/; "
		 "run lps init", dir);
	assert_string_equal(err->msg, want);
	lps_error_free(err);
}

int main(void)
{
	git_libgit2_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_id),
		cmocka_unit_test(test_id_valid),
		cmocka_unit_test(test_resolve_id),
		cmocka_unit_test(test_school_year),
		cmocka_unit_test(test_message),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_stage),
		cmocka_unit_test(test_init_open),
		cmocka_unit_test(test_open_not_portfolio),
	};
	int r = cmocka_run_group_tests(tests, setup_tmp, teardown_tmp);
	lps_registry_shutdown();
	git_libgit2_shutdown();
	return r;
}
