/*
 * test-guard - the roundtable guard's rules, on real bare repositories
 * built with libgit2 in a temporary folder, and the hook installer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2.h>

#include "guard.h"
#include "registry.h"

static const char portfolio_ada[] =
	"lps: 1\n"
	"owner:\n"
	"  name: Ada Lovelace\n"
	"  handle: ada\n"
	"role: principal\n"
	"cycle: 2026-2027\n"
	"phase: purpose\n"
	"created: 2026-09-01\n";

static const char portfolio_nohandle[] =
	"lps: 1\n"
	"owner:\n"
	"  name: Ada Lovelace\n"
	"role: principal\n"
	"cycle: 2026-2027\n"
	"phase: purpose\n"
	"created: 2026-09-01\n";

static const char bad_goal[] =
	"lps: 1\n"
	"id: g-00000001\n"
	"title: Raise reading\n"
	"agenda: student\n"
	"status: active\n"
	"cycle: 2026-2027\n"
	"created: 2026-09-01\n"
	"indicators:\n"
	"  - id: k1\n"
	"    measure: percent reading at grade level\n"
	"    baseline: 40\n"
	"    target: ten\n";

static const char meeting[] =
	"lps: 1\n"
	"id: m-0000000a\n"
	"date: 2026-10-01\n"
	"by: ada\n"
	"attendees: [ada, bob]\n"
	"agenda: Reading data\n";

static const char bad_meeting[] =
	"lps: 1\n"
	"id: m-0000000b\n"
	"date: 2026-13-01\n"
	"by: ada\n";

static const char norms[] =
	"lps: 1\n"
	"norms:\n"
	"  - Start and end on time.\n";

struct fixture {
	char dir[64];
	char bare[96];
	git_repository *repo;
	const struct lps_registry *reg;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/lps-test-guard.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->bare, sizeof(f->bare), "%s/rt.git", f->dir);
	git_libgit2_init();
	if (git_repository_init(&f->repo, f->bare, 1) < 0)
		return -1;
	struct lps_error *err = lps_registry_get(&f->reg);
	if (err) {
		lps_error_free(err);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];
	git_repository_free(f->repo);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	git_libgit2_shutdown();
	return 0;
}

/* Make a commit in repo whose tree holds files[] (path, text pairs,
 * NULL-ended) on top of parent (NULL: a root commit); no ref moves. */
static void make_commit(git_oid *out, git_repository *repo,
			const git_oid *parent, const char *const *files)
{
	git_index *idx;
	git_signature *sig;
	git_oid tree_id;
	git_tree *tree;
	git_commit *p = NULL;

	assert_int_equal(git_index_new(&idx), 0);
	for (size_t i = 0; files[i]; i += 2) {
		git_index_entry e;
		memset(&e, 0, sizeof(e));
		e.path = files[i];
		e.mode = GIT_FILEMODE_BLOB;
		/* An index of no repository cannot write blobs itself. */
		assert_int_equal(git_blob_create_from_buffer(&e.id, repo,
							     files[i + 1],
							     strlen(files[i + 1])),
				 0);
		assert_int_equal(git_index_add(idx, &e), 0);
	}
	if (git_index_write_tree_to(&tree_id, idx, repo) < 0)
		fail_msg("write tree: %s", git_error_last()->message);
	assert_int_equal(git_tree_lookup(&tree, repo, &tree_id), 0);
	assert_int_equal(git_signature_new(&sig, "Test Leader",
					   "leader@example.org", 1788256800, 0),
			 0);
	if (parent)
		assert_int_equal(git_commit_lookup(&p, repo, parent), 0);
	const git_commit *parents[1] = { p };
	assert_int_equal(git_commit_create(out, repo, NULL, sig, sig, NULL,
					   "test", tree, p ? 1 : 0, parents),
			 0);
	git_commit_free(p);
	git_signature_free(sig);
	git_tree_free(tree);
	git_index_free(idx);
}

static const git_oid zero;

/* Check an update; return the refusal's formatted text (malloc'd) or
 * NULL when accepted, and its code in *code. */
static char *check(struct fixture *f, const char *ref, const git_oid *old,
		   const git_oid *new_oid, int *code)
{
	struct lps_error *err = lps_guard_check_update(f->repo, f->reg, ref,
						       old, new_oid);
	if (!err)
		return NULL;
	*code = err->code;
	char *s = lps_error_format(err);
	lps_error_free(err);
	return s;
}

static void expect_refusal(struct fixture *f, const char *ref,
			   const git_oid *old, const git_oid *new_oid,
			   int code, const char *text)
{
	int got = 0;
	char *s = check(f, ref, old, new_oid, &got);
	assert_non_null(s);
	assert_string_equal(s, text);
	assert_int_equal(got, code);
	free(s);
}

static void expect_accept(struct fixture *f, const char *ref,
			  const git_oid *old, const git_oid *new_oid)
{
	int got = 0;
	char *s = check(f, ref, old, new_oid, &got);
	if (s)
		fail_msg("refused: %s", s);
}

static void test_parse_line(void **state)
{
	(void)state;
	git_oid old, new_oid, want;
	const char *ref = NULL;
	const char *line = "0000000000000000000000000000000000000000 "
		"1234567890abcdef1234567890abcdef12345678 refs/heads/roundtable";
	struct lps_error *err = lps_guard_parse_line(&old, &new_oid, &ref,
						     line);
	assert_null(err);
	assert_true(git_oid_is_zero(&old));
	git_oid_fromstr(&want, "1234567890abcdef1234567890abcdef12345678");
	assert_true(git_oid_equal(&new_oid, &want));
	assert_string_equal(ref, "refs/heads/roundtable");

	static const char *const bad[] = {
		"",
		"0000 1234 refs/heads/x",
		"0000000000000000000000000000000000000000 "
		"1234567890abcdef1234567890abcdef12345678",
		"0000000000000000000000000000000000000000;"
		"1234567890abcdef1234567890abcdef12345678 refs/heads/x",
		"000000000000000000000000000000000000000g "
		"1234567890abcdef1234567890abcdef12345678 refs/heads/x",
		"0000000000000000000000000000000000000000 "
		"1234567890ABCDEF1234567890abcdef12345678 refs/heads/x",
		"0000000000000000000000000000000000000000 "
		"1234567890abcdef1234567890abcdef12345678 refs/heads/a b",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = lps_guard_parse_line(&old, &new_oid, &ref, bad[i]);
		assert_non_null(err);
		assert_int_equal(err->code, LPS_EUSAGE);
		lps_error_free(err);
	}
}

static void test_member_create_and_fast_forward(void **state)
{
	struct fixture *f = *state;
	git_oid c1, c2;
	const char *v1[] = { "lps.yaml", portfolio_ada, NULL };
	const char *v2[] = { "lps.yaml", portfolio_ada, "evidence/e-00000001/"
			     "scan.bin", "not a document", "notes.txt", "x",
			     NULL };
	make_commit(&c1, f->repo, NULL, v1);
	make_commit(&c2, f->repo, &c1, v2);
	expect_accept(f, "refs/heads/members/ada", &zero, &c1);
	expect_accept(f, "refs/heads/members/ada", &c1, &c2);
	expect_accept(f, "refs/heads/members/ada", &c2, &c2);
}

static void test_member_handle(void **state)
{
	struct fixture *f = *state;
	git_oid c1, c2, c3;
	const char *v1[] = { "lps.yaml", portfolio_ada, NULL };
	const char *v2[] = { "lps.yaml", portfolio_nohandle, NULL };
	const char *v3[] = { "README", "hello\n", NULL };
	make_commit(&c1, f->repo, NULL, v1);
	make_commit(&c2, f->repo, NULL, v2);
	make_commit(&c3, f->repo, NULL, v3);
	expect_refusal(f, "refs/heads/members/bob", &zero, &c1, LPS_EREFUSED,
		       "lps.yaml:4:11: owner.handle is \"ada\", not \"bob\": "
		       "members/bob holds only bob's portfolio");
	expect_refusal(f, "refs/heads/members/ada", &zero, &c2, LPS_EREFUSED,
		       "lps.yaml has no owner.handle; a member branch carries "
		       "its member's handle (lps roundtable join sets it)");
	expect_refusal(f, "refs/heads/members/ada", &zero, &c3, LPS_EREFUSED,
		       "no lps.yaml: a member branch holds an lps portfolio");
}

static void test_refs(void **state)
{
	struct fixture *f = *state;
	git_oid c1, c2;
	const char *v1[] = { "lps.yaml", portfolio_ada, NULL };
	make_commit(&c1, f->repo, NULL, v1);
	const char *v2[] = { "lps.yaml", portfolio_ada, "x", "y", NULL };
	make_commit(&c2, f->repo, NULL, v2); /* unrelated root commit */
	expect_refusal(f, "refs/heads/main", &zero, &c1, LPS_EREFUSED,
		       "a roundtable accepts only members/<handle> and "
		       "roundtable branches");
	expect_refusal(f, "refs/tags/v1", &zero, &c1, LPS_EREFUSED,
		       "a roundtable accepts only members/<handle> and "
		       "roundtable branches");
	expect_refusal(f, "refs/heads/members/Ada", &zero, &c1, LPS_EREFUSED,
		       "\"Ada\" is not a member handle (lowercase letters, "
		       "digits, dashes)");
	expect_refusal(f, "refs/heads/members/a/b", &zero, &c1, LPS_EREFUSED,
		       "\"a/b\" is not a member handle (lowercase letters, "
		       "digits, dashes)");
	expect_refusal(f, "refs/heads/members/ada", &c1, &zero, LPS_EREFUSED,
		       "deleting a branch is refused: published history is "
		       "never removed");
	expect_refusal(f, "refs/heads/roundtable", &c1, &zero, LPS_EREFUSED,
		       "deleting a branch is refused: published history is "
		       "never removed");
	expect_refusal(f, "refs/heads/members/ada", &c1, &c2, LPS_EREFUSED,
		       "not a fast-forward: published history is never "
		       "rewritten (lps pull, then push again)");
}

static void test_member_bad_document(void **state)
{
	struct fixture *f = *state;
	git_oid c1, c2, c3;
	char hex[8], want[256];
	const char *v1[] = { "lps.yaml", portfolio_ada, NULL };
	const char *v2[] = { "lps.yaml", portfolio_ada,
			     "goals/g-00000001.yaml", bad_goal, NULL };
	const char *v3[] = { "lps.yaml", portfolio_ada, NULL };
	make_commit(&c1, f->repo, NULL, v1);
	make_commit(&c2, f->repo, &c1, v2);
	make_commit(&c3, f->repo, &c2, v3);
	expect_refusal(f, "refs/heads/members/ada", &c1, &c2, LPS_EINVALID,
		       "goals/g-00000001.yaml:12:13: indicators[0].target: "
		       "expected number, got string \"ten\"");
	/* Bad only in the middle of the pushed range: still refused. */
	git_oid_tostr(hex, sizeof(hex), &c2);
	snprintf(want, sizeof(want), "goals/g-00000001.yaml:12:13: "
		 "indicators[0].target: expected number, got string \"ten\" "
		 "(in commit %s)", hex);
	expect_refusal(f, "refs/heads/members/ada", &c1, &c3, LPS_EINVALID,
		       want);
	expect_refusal(f, "refs/heads/members/ada", &zero, &c3, LPS_EINVALID,
		       want);
}

static void test_known_history_not_reread(void **state)
{
	struct fixture *f = *state;
	git_oid c1, c2, c3;
	git_reference *ref;
	const char *v1[] = { "lps.yaml", portfolio_ada,
			     "goals/g-00000001.yaml", bad_goal, NULL };
	const char *v2[] = { "lps.yaml", portfolio_ada, NULL };
	make_commit(&c1, f->repo, NULL, v1);
	make_commit(&c2, f->repo, &c1, v2);
	/* c1 is already published (accepted before this rule, say). */
	assert_int_equal(git_reference_create(&ref, f->repo,
					      "refs/heads/members/ada", &c1, 0,
					      NULL), 0);
	git_reference_free(ref);
	expect_accept(f, "refs/heads/members/ada", &c1, &c2);
	/* A document changed again is read again. */
	const char *v3[] = { "lps.yaml", portfolio_ada,
			     "goals/g-00000001.yaml", bad_goal, NULL };
	make_commit(&c3, f->repo, &c2, v3);
	expect_refusal(f, "refs/heads/members/ada", &c1, &c3, LPS_EINVALID,
		       "goals/g-00000001.yaml:12:13: indicators[0].target: "
		       "expected number, got string \"ten\"");
}

static void test_roundtable(void **state)
{
	struct fixture *f = *state;
	git_oid c1, c2, c3, c4, c5;
	const char *v1[] = { "norms.yaml", norms, NULL };
	const char *v2[] = { "norms.yaml", norms,
			     "meetings/2026-10-01-m-0000000a.yaml", meeting,
			     NULL };
	const char *v3[] = { "norms.yaml", norms, "README", "hi\n", NULL };
	const char *v4[] = { "meetings/2026-10-01-m-0000000b.yaml",
			     bad_meeting, NULL };
	const char *v5[] = { "lps.yaml", portfolio_ada, NULL };
	make_commit(&c1, f->repo, NULL, v1);
	make_commit(&c2, f->repo, &c1, v2);
	make_commit(&c3, f->repo, &c2, v3);
	make_commit(&c4, f->repo, NULL, v4);
	make_commit(&c5, f->repo, NULL, v5);
	expect_accept(f, "refs/heads/roundtable", &zero, &c1);
	expect_accept(f, "refs/heads/roundtable", &c1, &c2);
	expect_refusal(f, "refs/heads/roundtable", &c2, &c3, LPS_EREFUSED,
		       "README: the roundtable branch holds only norms.yaml "
		       "and meetings/<date>-<id>.yaml");
	expect_refusal(f, "refs/heads/roundtable", &zero, &c4, LPS_EINVALID,
		       "meetings/2026-10-01-m-0000000b.yaml:3:7: date: "
		       "is not a valid date");
	expect_refusal(f, "refs/heads/roundtable", &zero, &c5, LPS_EREFUSED,
		       "lps.yaml: the roundtable branch holds only norms.yaml "
		       "and meetings/<date>-<id>.yaml");
}

/* Objects kept in another object directory (git's push quarantine) are
 * found once that directory is named. */
static void test_open_quarantine(void **state)
{
	struct fixture *f = *state;
	char qdir[128], qobjects[160], alt[400];
	git_repository *q, *g;
	git_oid c1;
	git_commit *commit;
	const char *v1[] = { "lps.yaml", portfolio_ada, NULL };

	snprintf(qdir, sizeof(qdir), "%s/q.git", f->dir);
	assert_int_equal(git_repository_init(&q, qdir, 1), 0);
	make_commit(&c1, q, NULL, v1);
	git_repository_free(q);
	snprintf(qobjects, sizeof(qobjects), "%s/objects", qdir);

	struct lps_error *err = lps_guard_open(&g, f->bare, NULL, NULL);
	assert_null(err);
	assert_int_not_equal(git_commit_lookup(&commit, g, &c1), 0);
	git_repository_free(g);

	err = lps_guard_open(&g, f->bare, qobjects, NULL);
	assert_null(err);
	assert_int_equal(git_commit_lookup(&commit, g, &c1), 0);
	git_commit_free(commit);
	assert_null(lps_guard_check_update(g, f->reg, "refs/heads/members/ada",
					   &zero, &c1));
	git_repository_free(g);

	snprintf(alt, sizeof(alt), "%s/missing:%s/objects:%s", f->dir,
		 f->bare, qobjects);
	err = lps_guard_open(&g, f->bare, NULL, alt);
	assert_null(err);
	assert_int_equal(git_commit_lookup(&commit, g, &c1), 0);
	git_commit_free(commit);
	git_repository_free(g);

	char nowhere[128];
	snprintf(nowhere, sizeof(nowhere), "%s/nowhere", f->dir);
	err = lps_guard_open(&g, nowhere, NULL, NULL);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_ENOTFOUND);
	lps_error_free(err);
}

static void test_install(void **state)
{
	struct fixture *f = *state;
	char work[128], hook[160], *out = NULL, buf[512];
	struct stat st;
	git_repository *w;

	struct lps_error *err = lps_guard_install(&out, f->bare,
						  "/opt/lps's/lps-guard");
	assert_null(err);
	snprintf(hook, sizeof(hook), "%s/hooks/pre-receive", f->bare);
	assert_string_equal(out, hook);
	free(out);
	assert_int_equal(stat(hook, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0755);
	FILE *fp = fopen(hook, "r");
	assert_non_null(fp);
	size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	assert_string_equal(buf,
		"#!/bin/sh\n" LPS_GUARD_MARKER "\n"
		"# Refuses pushes that break the roundtable's rules; see "
		"lps-guard(1).\n"
		"exec '/opt/lps'\\''s/lps-guard' \"$@\"\n");
	/* Installing again replaces lps's own hook. */
	assert_null(lps_guard_install(NULL, f->bare, "/usr/bin/lps-guard"));

	/* Someone else's hook is kept. */
	fp = fopen(hook, "w");
	assert_non_null(fp);
	fputs("#!/bin/sh\nexit 0\n", fp);
	fclose(fp);
	err = lps_guard_install(NULL, f->bare, "/usr/bin/lps-guard");
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EREFUSED);
	lps_error_free(err);

	err = lps_guard_install(NULL, f->bare, "lps-guard");
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EUSAGE);
	lps_error_free(err);

	snprintf(work, sizeof(work), "%s/work", f->dir);
	assert_int_equal(git_repository_init(&w, work, 0), 0);
	git_repository_free(w);
	err = lps_guard_install(NULL, work, "/usr/bin/lps-guard");
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EINVALID);
	lps_error_free(err);

	snprintf(work, sizeof(work), "%s/none", f->dir);
	err = lps_guard_install(NULL, work, "/usr/bin/lps-guard");
	assert_non_null(err);
	assert_int_equal(err->code, LPS_ENOTFOUND);
	lps_error_free(err);
}

int main(void)
{
	git_libgit2_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_line),
		cmocka_unit_test_setup_teardown(
			test_member_create_and_fast_forward, setup, teardown),
		cmocka_unit_test_setup_teardown(test_member_handle, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_member_bad_document,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_known_history_not_reread,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_roundtable, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_open_quarantine, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_install, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return rc;
}
