/*
 * test-visibility.c - lib/visibility: the values each document kind takes
 * (evidence and feedback shared unless private, reflections private
 * unless roundtable), and `set ID visibility=VALUE` as exactly one
 * commit with the right subject and trailers, no commit when the value
 * (or the default) is already there, usage errors for other keys and
 * values, lookup errors for unknown or ambiguous ids, and the store's
 * refusal when the file has uncommitted changes.
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

#include "portfolio.h"
#include "registry.h"
#include "txn.h"
#include "visibility.h"

#define FIXTURE_NAME "visibility"
#include "fixture.h"

#define EVIDENCE_TEXT(id) \
	"lps: 1\nid: " id "\ntitle: Survey\nkind: perceptual\n" \
	"date: 2026-09-02\n"
#define REFLECTION_TEXT(id) \
	"lps: 1\nid: " id "\ndate: 2026-09-03\nphase: purpose\n" \
	"body: Thinking.\n"
#define FEEDBACK_TEXT(id) \
	"lps: 1\nid: " id "\ndate: 2026-09-04\nfrom: Bo\nkind: question\n" \
	"body: Why?\n"

static void seed(void)
{
	static const char *const files[][2] = {
		{ "evidence/e-3f000001.yaml", EVIDENCE_TEXT("e-3f000001") },
		{ "evidence/e-77000001.yaml", EVIDENCE_TEXT("e-77000001") },
		{ "evidence/e-77000002.yaml", EVIDENCE_TEXT("e-77000002") },
		/* no kind: invalid */
		{ "evidence/e-0000000b.yaml",
		  "lps: 1\nid: e-0000000b\ntitle: Bad\ndate: 2026-09-02\n" },
		{ "reflections/r-3f000003.yaml", REFLECTION_TEXT("r-3f000003") },
		{ "feedback/f-3f000004.yaml", FEEDBACK_TEXT("f-3f000004") },
	};
	struct lps_portfolio *p = NULL;
	struct lps_txn *txn = NULL;
	ok(lps_portfolio_open(&p, dir));
	ok(lps_txn_begin(&txn, p));
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++)
		ok(lps_txn_put_raw(txn, files[i][0], files[i][1],
				   strlen(files[i][1])));
	ok(lps_txn_commit(txn, "test", "seed", "test", NULL, 0, NULL));
	lps_txn_free(txn);
	lps_portfolio_free(p);
}

/* HEAD's commit id. */
static void head_id(git_oid *out)
{
	git_repository *repo;
	assert_int_equal(git_repository_open(&repo, dir), 0);
	assert_int_equal(git_reference_name_to_id(out, repo, "HEAD"), 0);
	git_repository_free(repo);
}

/* HEAD's message (caller frees); asserts its parent is parent. */
static char *head_message(const git_oid *parent)
{
	git_repository *repo;
	git_commit *c;
	git_oid id;
	assert_int_equal(git_repository_open(&repo, dir), 0);
	assert_int_equal(git_reference_name_to_id(&id, repo, "HEAD"), 0);
	assert_int_equal(git_commit_lookup(&c, repo, &id), 0);
	assert_int_equal(git_commit_parentcount(c), 1);
	assert_true(git_oid_equal(git_commit_parent_id(c, 0), parent));
	char *m = strdup(git_commit_message(c));
	git_commit_free(c);
	git_repository_free(repo);
	return m;
}

/* The content of path at HEAD (caller frees). */
static char *head_file(const char *path)
{
	git_repository *repo;
	git_object *obj;
	char spec[128];
	snprintf(spec, sizeof(spec), "HEAD:%s", path);
	assert_int_equal(git_repository_open(&repo, dir), 0);
	assert_int_equal(git_revparse_single(&obj, repo, spec), 0);
	git_blob *blob = (git_blob *)obj;
	size_t n = (size_t)git_blob_rawsize(blob);
	char *s = malloc(n + 1);
	assert_non_null(s);
	memcpy(s, git_blob_rawcontent(blob), n);
	s[n] = '\0';
	git_object_free(obj);
	git_repository_free(repo);
	return s;
}

static void assert_head_file(const char *path, const char *want)
{
	char *got = head_file(path);
	assert_string_equal(got, want);
	free(got);
}

/*
 * Run lps_visibility_set on a freshly opened portfolio (commands do one
 * change per process, and a portfolio reads the HEAD it was opened at).
 * *changed and id are filled as the call leaves them.
 */
static struct lps_error *set(char letter, const char *typed,
			     const char *assign, const char *area,
			     const char *command, char *id, int *changed)
{
	struct lps_portfolio *p = NULL;
	ok(lps_portfolio_open(&p, dir));
	*changed = 7;
	struct lps_error *err = lps_visibility_set(p, letter, typed, assign,
						   area, command, id, changed);
	lps_portfolio_free(p);
	return err;
}

/* ------------------------------------------------------------ values */

static void test_values(void **state)
{
	(void)state;
	const char *const *r = lps_visibility_values('r');
	assert_string_equal(r[0], "private");
	assert_string_equal(r[1], "roundtable");
	assert_null(r[2]);
	const char letters[] = { 'e', 'f', 'g', 'x' };
	for (size_t i = 0; i < sizeof(letters); i++) {
		const char *const *v = lps_visibility_values(letters[i]);
		assert_string_equal(v[0], "shared");
		assert_string_equal(v[1], "private");
		assert_null(v[2]);
	}
}

/* ------------------------------------------------------------ set */

static void test_evidence(void **state)
{
	(void)state;
	seed();
	char id[LPS_ID_LEN + 1] = "";
	int changed;
	git_oid h0, h1, h2;
	head_id(&h0);

	/* no key is shared: setting shared changes nothing */
	ok(set('e', "3f", "visibility=shared", "evidence", "evidence set", id,
	       &changed));
	assert_int_equal(changed, 0);
	assert_string_equal(id, "e-3f000001");
	head_id(&h1);
	assert_true(git_oid_equal(&h0, &h1));

	ok(set('e', "e-3f", "visibility=private", "evidence", "evidence set",
	       id, &changed));
	assert_int_equal(changed, 1);
	assert_string_equal(id, "e-3f000001");
	char *m = head_message(&h0);
	assert_string_equal(m, "evidence: set e-3f000001 visibility=private\n"
			    "\nLPS-Command: evidence set\nLPS-Phase: purpose\n");
	free(m);
	assert_head_file("evidence/e-3f000001.yaml",
			 EVIDENCE_TEXT("e-3f000001") "visibility: private\n");
	/* the other documents are as they were */
	assert_head_file("evidence/e-77000001.yaml",
			 EVIDENCE_TEXT("e-77000001"));

	/* the same again: no commit */
	head_id(&h1);
	ok(set('e', "e-3f000001", "visibility=private", "evidence",
	       "evidence set", id, &changed));
	assert_int_equal(changed, 0);
	head_id(&h2);
	assert_true(git_oid_equal(&h1, &h2));

	/* back to shared: written out, not removed */
	ok(set('e', "3f000001", "visibility=shared", "evidence",
	       "evidence set", id, &changed));
	assert_int_equal(changed, 1);
	m = head_message(&h1);
	assert_string_equal(m, "evidence: set e-3f000001 visibility=shared\n"
			    "\nLPS-Command: evidence set\nLPS-Phase: purpose\n");
	free(m);
	assert_head_file("evidence/e-3f000001.yaml",
			 EVIDENCE_TEXT("e-3f000001") "visibility: shared\n");
}

static void test_reflection(void **state)
{
	(void)state;
	seed();
	char id[LPS_ID_LEN + 1] = "";
	int changed;
	git_oid h0, h1;
	head_id(&h0);

	/* reflections are private unless roundtable */
	ok(set('r', "3f", "visibility=private", "reflection",
	       "reflection set", id, &changed));
	assert_int_equal(changed, 0);
	assert_string_equal(id, "r-3f000003");
	head_id(&h1);
	assert_true(git_oid_equal(&h0, &h1));

	ok(set('r', "r-3f000003", "visibility=roundtable", "reflection",
	       "reflection set", id, &changed));
	assert_int_equal(changed, 1);
	char *m = head_message(&h0);
	assert_string_equal(m, "reflection: set r-3f000003 "
			    "visibility=roundtable\n\nLPS-Command: reflection "
			    "set\nLPS-Phase: purpose\n");
	free(m);
	assert_head_file("reflections/r-3f000003.yaml",
			 REFLECTION_TEXT("r-3f000003")
			 "visibility: roundtable\n");

	/* shared is not a reflection's value */
	expect_err(set('r', "r-3f000003", "visibility=shared", "reflection",
		       "reflection set", id, &changed), LPS_EUSAGE,
		   "visibility must be private or roundtable, got 'shared'");
	assert_int_equal(changed, 0);

	/* back to private */
	head_id(&h1);
	ok(set('r', "r-3f", "visibility=private", "reflection",
	       "reflection set", id, &changed));
	assert_int_equal(changed, 1);
	m = head_message(&h1);
	assert_string_equal(m, "reflection: set r-3f000003 visibility=private"
			    "\n\nLPS-Command: reflection set\nLPS-Phase: "
			    "purpose\n");
	free(m);
	assert_head_file("reflections/r-3f000003.yaml",
			 REFLECTION_TEXT("r-3f000003") "visibility: private\n");
}

static void test_feedback(void **state)
{
	(void)state;
	seed();
	char id[LPS_ID_LEN + 1] = "";
	int changed;
	git_oid h0, h1;
	head_id(&h0);

	ok(set('f', "3f", "visibility=shared", "feedback", "feedback set", id,
	       &changed));
	assert_int_equal(changed, 0);
	head_id(&h1);
	assert_true(git_oid_equal(&h0, &h1));

	expect_err(set('f', "3f", "visibility=roundtable", "feedback",
		       "feedback set", id, &changed), LPS_EUSAGE,
		   "visibility must be shared or private, got 'roundtable'");
	assert_int_equal(changed, 0);

	ok(set('f', "f-3f000004", "visibility=private", "feedback",
	       "feedback set", id, &changed));
	assert_int_equal(changed, 1);
	assert_string_equal(id, "f-3f000004");
	char *m = head_message(&h0);
	assert_string_equal(m, "feedback: set f-3f000004 visibility=private\n"
			    "\nLPS-Command: feedback set\nLPS-Phase: purpose\n");
	free(m);
	assert_head_file("feedback/f-3f000004.yaml",
			 FEEDBACK_TEXT("f-3f000004") "visibility: private\n");
}

static void test_bad_assign(void **state)
{
	(void)state;
	seed();
	char id[LPS_ID_LEN + 1];
	int changed;
	git_oid h0, h1;
	head_id(&h0);
	static const char *const other_keys[] = {
		"title=x", "visibility", "Visibility=private",
		"visibility:private",
		" visibility=private", "",
	};
	for (size_t i = 0; i < sizeof(other_keys) / sizeof(*other_keys); i++) {
		char msg[128];
		snprintf(msg, sizeof(msg), "only visibility=VALUE can be set "
			 "here, got '%s'", other_keys[i]);
		expect_err(set('e', "e-3f000001", other_keys[i], "evidence",
			       "evidence set", id, &changed), LPS_EUSAGE, msg);
		assert_int_equal(changed, 0);
	}
	static const char *const bad_values[] = {
		"", "Private", "private ", "shared,private", "roundtable",
	};
	for (size_t i = 0; i < sizeof(bad_values) / sizeof(*bad_values); i++) {
		char assign[64], msg[128];
		snprintf(assign, sizeof(assign), "visibility=%s", bad_values[i]);
		snprintf(msg, sizeof(msg), "visibility must be shared or "
			 "private, got '%s'", bad_values[i]);
		expect_err(set('e', "e-3f000001", assign, "evidence",
			       "evidence set", id, &changed), LPS_EUSAGE, msg);
	}
	/* the assignment is checked before the id is looked up */
	expect_err(set('e', "e-99999999", "colour=red", "evidence",
		       "evidence set", id, &changed), LPS_EUSAGE,
		   "only visibility=VALUE can be set here, got 'colour=red'");
	head_id(&h1);
	assert_true(git_oid_equal(&h0, &h1));
}

static void test_lookup_errors(void **state)
{
	(void)state;
	seed();
	char id[LPS_ID_LEN + 1];
	int changed;
	git_oid h0, h1;
	head_id(&h0);
	expect_err(set('e', "e-99", "visibility=private", "evidence",
		       "evidence set", id, &changed), LPS_ENOTFOUND,
		   "no evidence matches \"e-99\"");
	assert_int_equal(changed, 0);
	expect_err(set('e', "e-99999999", "visibility=private", "evidence",
		       "evidence set", id, &changed), LPS_ENOTFOUND,
		   "no evidence matches \"e-99999999\"");
	expect_err(set('r', "77", "visibility=roundtable", "reflection",
		       "reflection set", id, &changed), LPS_ENOTFOUND,
		   "no reflection matches \"77\"");
	expect_err(set('e', "77", "visibility=private", "evidence",
		       "evidence set", id, &changed), LPS_EINVALID,
		   "ambiguous id \"77\": e-77000001, e-77000002");
	assert_int_equal(changed, 0);
	/* an id of another kind */
	expect_err(set('e', "r-3f000003", "visibility=private", "evidence",
		       "evidence set", id, &changed), LPS_EUSAGE,
		   "not an id of this kind: \"r-3f000003\"");
	/* a document that does not validate is not rewritten */
	expect_err(set('e', "e-0000000b", "visibility=private", "evidence",
		       "evidence set", id, &changed), LPS_EINVALID,
		   "evidence/e-0000000b.yaml:1:1: missing required property "
		   "\"kind\"");
	assert_int_equal(changed, 0);
	head_id(&h1);
	assert_true(git_oid_equal(&h0, &h1));
}

/* An edit in the working tree is the user's: the store refuses. */
static void test_refused_dirty(void **state)
{
	(void)state;
	seed();
	char path[256];
	snprintf(path, sizeof(path), "%s/evidence/e-3f000001.yaml", dir);
	FILE *f = fopen(path, "a");
	assert_non_null(f);
	fputs("# my note\n", f);
	fclose(f);
	char id[LPS_ID_LEN + 1];
	int changed;
	git_oid h0, h1;
	head_id(&h0);
	expect_err(set('e', "e-3f000001", "visibility=private", "evidence",
		       "evidence set", id, &changed), LPS_EREFUSED,
		   "evidence/e-3f000001.yaml: has uncommitted changes; commit "
		   "or discard them first");
	assert_int_equal(changed, 0);
	head_id(&h1);
	assert_true(git_oid_equal(&h0, &h1));
	/* the edit is kept */
	f = fopen(path, "r");
	assert_non_null(f);
	char buf[512];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_string_equal(buf, EVIDENCE_TEXT("e-3f000001") "# my note\n");
}

int main(void)
{
	char home[64];
	strcpy(home, "/tmp/lps-visibility-home.XXXXXX");
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
		cmocka_unit_test(test_values),
		T(test_evidence),
		T(test_reflection),
		T(test_feedback),
		T(test_bad_assign),
		T(test_lookup_errors),
		T(test_refused_dirty),
#undef T
	};
	int rc = cmocka_run_group_tests_name("visibility", tests, NULL, NULL);
	lps_registry_shutdown();
	git_libgit2_shutdown();
	rmdir(home);
	return rc;
}
