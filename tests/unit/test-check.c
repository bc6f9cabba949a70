/* Unit tests of lib/check: each kind of finding with its exact message,
 * stable output whatever the number of threads, and --rev.  Uses the
 * fixture portfolio tests/data/cli/port (run from the top directory). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "registry.h"

static char tmp[256];

static void sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "%s/lps-tc.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	sh("rm -rf '%s'", tmp);
	return 0;
}

/* A fresh copy of the fixture in tmp/p with a repository; the store. */
static struct lps_store *fresh(void)
{
	sh("rm -rf '%s/p' && cp -R tests/data/cli/port '%s/p'", tmp, tmp);
	char dir[300];
	snprintf(dir, sizeof(dir), "%s/p", tmp);
	struct lps_store *s = NULL;
	assert_null(lps_store_init(&s, dir, NULL));
	return s;
}

/* The findings of r as lps check prints them (caller frees); r freed. */
static char *format(struct lps_check_result *r, size_t *docs)
{
	struct lps_buf b = LPS_BUF_INIT;
	lps_buf_adds(&b, "");
	for (size_t i = 0; i < r->n; i++) {
		const struct lps_check_finding *f = &r->items[i];
		assert_non_null(f->keyword);
		if (f->line)
			lps_buf_addf(&b, "%s:%u:%u: [%s] %s\n", f->path,
				     f->line, f->col, f->keyword, f->message);
		else
			lps_buf_addf(&b, "%s: [%s] %s\n", f->path, f->keyword,
				     f->message);
	}
	if (docs)
		*docs = r->documents;
	lps_check_result_free(r);
	return lps_buf_detach(&b, NULL);
}

/* Run the check with `threads` and format findings as lps check does. */
static char *run(struct lps_store *s, const char *rev, unsigned threads,
		 size_t *docs)
{
	struct lps_check_result r = LPS_CHECK_RESULT_INIT;
	assert_null(lps_check_run(&r, s, rev, threads));
	return format(&r, docs);
}

/* The check begun ahead in top (NULL: not begun) with threads, and
 * finished after a pause of ms milliseconds (time for the workers to
 * load everything before the schemas are ready). */
static char *run_begun(struct lps_store *s, const char *top,
		       unsigned threads, unsigned ms)
{
	struct lps_check_ahead *a = NULL;
	if (top)
		assert_null(lps_check_begin(&a, top, threads));
	if (ms)
		nanosleep(&(struct timespec){ 0, (long)ms * 1000000 }, NULL);
	struct lps_check_result r = LPS_CHECK_RESULT_INIT;
	assert_null(lps_check_finish(&r, s, threads, a));
	lps_check_ahead_free(a);
	return format(&r, NULL);
}

static void expect(struct lps_store *s, const char *want)
{
	for (unsigned t = 1; t <= 3; t++) {
		char *got = run(s, NULL, t, NULL);
		assert_string_equal(got, want);
		free(got);
	}
}

static void test_clean(void **state)
{
	(void)state;
	struct lps_store *s = fresh();
	size_t docs = 0;
	char *got = run(s, NULL, 0, &docs);
	assert_string_equal(got, "");
	assert_int_equal(docs, 6);
	free(got);
	lps_store_free(s);
}

static void test_schema_and_syntax(void **state)
{
	(void)state;
	struct lps_store *s = fresh();
	sh("cd '%s/p' && sed -i 's/target: 60/target: ten/' goals/g-1234abcd.yaml"
	   " && printf 'lps: 1\\nid: x\\nid: y\\n' > reflections/r-00aa11bb.yaml",
	   tmp);
	expect(s, "goals/g-1234abcd.yaml:17:13: [type] indicators[0].target: "
		  "expected number, got string \"ten\"\n"
		  "reflections/r-00aa11bb.yaml:3:1: [syntax] duplicate key "
		  "\"id\" (first at line 2)\n");
	lps_store_free(s);
}

static void test_ids(void **state)
{
	(void)state;
	struct lps_store *s = fresh();
	sh("cd '%s/p' && cp goals/g-1234abcd.yaml goals/g-99999999.yaml && "
	   "sed 's/name: riverside/name: hillside/' frameworks/riverside.yaml"
	   " > frameworks/lakeside.yaml", tmp);
	expect(s, "frameworks/lakeside.yaml:2:7: [id] id hillside does not "
		  "match the file name (expected lakeside)\n"
		  "goals/g-99999999.yaml:2:5: [id] id g-1234abcd does not "
		  "match the file name (expected g-99999999)\n"
		  "goals/g-99999999.yaml:2:5: [duplicate-id] duplicate id "
		  "g-1234abcd (also in goals/g-1234abcd.yaml)\n");
	lps_store_free(s);
}

static void test_references(void **state)
{
	(void)state;
	struct lps_store *s = fresh();
	sh("cd '%s/p' && sed -i 's/  - g-1234abcd/  - e-0a0b0c0d/' "
	   "reflections/r-00aa11bb.yaml && sed -i 's/  - issl.1a/  - issl.9z/'"
	   " goals/g-1234abcd.yaml && sed -i 's/^framework: issl/framework: "
	   "nope/' assessments/2026-2027/issl-1a.yaml", tmp);
	expect(s, "assessments/2026-2027/issl-1a.yaml:2:12: [standard] "
		  "unknown standard nope.1a\n"
		  "goals/g-1234abcd.yaml:9:5: [standard] unknown standard "
		  "issl.9z\n"
		  "reflections/r-00aa11bb.yaml:6:5: [pattern] goals[0]: does "
		  "not match pattern \"^g-[0-9a-f]{8}$\"\n"
		  "reflections/r-00aa11bb.yaml:6:5: [reference] unknown goal "
		  "e-0a0b0c0d\n");
	lps_store_free(s);
}

/*
 * A framework the set of frameworks refuses is a finding, and its
 * standards are unknown; one with a name mismatch is reported once (as
 * the id) and left out too.  Valid added frameworks resolve.
 */
static void test_frameworks(void **state)
{
	(void)state;
	struct lps_store *s = fresh();
	sh("cd '%s/p' && sed 's/name: riverside/name: issl/' "
	   "frameworks/riverside.yaml > frameworks/issl.yaml && "
	   "sed 's/name: riverside/name: hill/' frameworks/riverside.yaml "
	   "> frameworks/dale.yaml && "
	   "sed 's/name: riverside/name: lake/' frameworks/riverside.yaml "
	   "> frameworks/lake.yaml && "
	   "printf '  - code: instruction\\n    title: Again\\n' >> "
	   "frameworks/lake.yaml && "
	   "sed 's/name: riverside/name: brook/' frameworks/riverside.yaml "
	   "> frameworks/brook.yaml && "
	   "sed -i 's/  - wsbc.5/  - lake.instruction\\n  - hill.instruction"
	   "\\n  - brook.instruction/' goals/g-1234abcd.yaml", tmp);
	expect(s, "frameworks/dale.yaml:2:7: [id] id hill does not match the "
		  "file name (expected dale)\n"
		  "frameworks/issl.yaml:2:7: [framework] framework issl "
		  "already exists (it is built in)\n"
		  "frameworks/lake.yaml:7:11: [framework] standard code "
		  "instruction is used twice in framework lake\n"
		  "goals/g-1234abcd.yaml:10:5: [standard] unknown standard "
		  "lake.instruction\n"
		  "goals/g-1234abcd.yaml:11:5: [standard] unknown standard "
		  "hill.instruction\n");
	lps_store_free(s);
}

static void test_attachments_and_unknown(void **state)
{
	(void)state;
	struct lps_store *s = fresh();
	sh("cd '%s/p' && echo x > evidence/e-0a0b0c0d/screener.csv && "
	   "mkdir -p evidence/e-11111111 && echo y > evidence/e-11111111/a && "
	   "echo z > feedback.txt && mkdir -p feedback && echo z > "
	   "feedback/README && echo z > assessments/stray.yaml && echo z > "
	   "evidence/.DS_Store", tmp);
	expect(s, "assessments/stray.yaml: [unknown-file] not an lps document "
		  "(unknown file in a document folder)\n"
		  "evidence/e-0a0b0c0d.yaml:11:3: [attachment] attachment "
		  "evidence/e-0a0b0c0d/screener.csv is 2 bytes, expected 25\n"
		  "evidence/e-11111111/a: [unknown-file] not the attachment of "
		  "any evidence\n"
		  "feedback/README: [unknown-file] not an lps document (unknown "
		  "file in a document folder)\n");
	sh("cd '%s/p' && rm -r evidence/e-0a0b0c0d lps.yaml", tmp);
	expect(s, "assessments/stray.yaml: [unknown-file] not an lps document "
		  "(unknown file in a document folder)\n"
		  "evidence/e-0a0b0c0d.yaml:11:3: [attachment] attachment "
		  "evidence/e-0a0b0c0d/screener.csv is missing\n"
		  "evidence/e-11111111/a: [unknown-file] not the attachment of "
		  "any evidence\n"
		  "feedback/README: [unknown-file] not an lps document (unknown "
		  "file in a document folder)\n"
		  "lps.yaml: [missing] missing: this is not an lps portfolio; "
		  "run lps init\n");
	lps_store_free(s);
}

/*
 * The on: of feedback received must name an item of this portfolio (by
 * its id letter: goal, evidence, reflection, feedback); feedback given
 * to another member ("to") names that member's items and is left alone.
 */
static void test_feedback_on(void **state)
{
	(void)state;
	struct lps_store *s = fresh();
	sh("cd '%s/p' && mkdir feedback && for x in 'f-00000001 g-12345678' "
	   "'f-00000002 e-0a0b0c0d' 'f-00000003 r-00aa11bb' 'f-00000004 "
	   "r-00000000' 'f-00000005 f-00000001' 'f-00000006 e-0a0b0c0e'; do "
	   "set -- $x; printf 'lps: 1\\nid: %%s\\ndate: 2026-10-04\\nfrom: "
	   "Pat\\nkind: question\\non: %%s\\nbody: Why?\\n' $1 $2 "
	   "> feedback/$1.yaml; done && printf 'lps: 1\\nid: f-00000007\\n"
	   "date: 2026-10-04\\nfrom: Me\\nto: pat\\nkind: affirmation\\n"
	   "on: g-12345678\\nbody: Good.\\n' > feedback/f-00000007.yaml", tmp);
	expect(s, "feedback/f-00000001.yaml:6:5: [reference] on: unknown goal "
		  "g-12345678\n"
		  "feedback/f-00000004.yaml:6:5: [reference] on: unknown "
		  "reflection r-00000000\n"
		  "feedback/f-00000006.yaml:6:5: [reference] on: unknown "
		  "evidence e-0a0b0c0e\n");
	lps_store_free(s);
}

/* A hand-edited indicator whose target is its baseline. */
static void test_flat_indicator(void **state)
{
	(void)state;
	struct lps_store *s = fresh();
	sh("cd '%s/p' && sed -i 's/target: 60/target: 42.0/' "
	   "goals/g-1234abcd.yaml", tmp);
	expect(s, "goals/g-1234abcd.yaml:17:13: [indicator] indicators[0]."
		  "target: must differ from baseline\n");
	lps_store_free(s);
}

static void test_rev(void **state)
{
	(void)state;
	struct lps_store *s = fresh();
	sh("cd '%s/p' && git add -A && git -c user.name=T -c user.email=t@e "
	   "commit -q -m one && sed -i 's/target: 60/target: ten/' "
	   "goals/g-1234abcd.yaml && git -c user.name=T -c user.email=t@e "
	   "commit -q -am two && git checkout -q HEAD~1 -- goals", tmp);
	char *got = run(s, NULL, 2, NULL);
	assert_string_equal(got, "");
	free(got);
	size_t docs = 0;
	got = run(s, "HEAD", 0, &docs);
	assert_string_equal(got, "goals/g-1234abcd.yaml:17:13: [type] "
				 "indicators[0].target: expected number, got "
				 "string \"ten\"\n");
	assert_int_equal(docs, 6);
	free(got);
	struct lps_check_result r = LPS_CHECK_RESULT_INIT;
	assert_null(lps_check_run(&r, s, "HEAD~1", 0));
	assert_int_equal(r.n, 0);
	assert_true(r.has_revision);
	assert_int_equal(strlen(r.revision), 40);
	lps_check_result_free(&r);
	struct lps_error *err = lps_check_run(&r, s, "nosuch", 0);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_ENOTFOUND);
	lps_error_free(err);
	lps_check_result_free(&r);
	lps_store_free(s);
}

/*
 * A check begun ahead gives the same findings whether it was begun in
 * the working tree (used, its documents loaded before the schemas are
 * ready), in another folder or not at all (checked anew), with one
 * thread or several; one begun and never finished is stopped and freed.
 * 90 more reflections (some broken) make the threads start.
 */
static void test_begun(void **state)
{
	(void)state;
	struct lps_store *s = fresh();
	sh("cd '%s/p' && sed -i 's/target: 60/target: ten/' "
	   "goals/g-1234abcd.yaml && rm -r evidence/e-0a0b0c0d && "
	   "echo x > evidence/e-0a0b0c0d.txt && mkdir evidence/e-11111111 && "
	   "echo y > evidence/e-11111111/a && for i in $(seq 10 99); do "
	   "sed \"s/r-00aa11bb/r-000000$i/\" reflections/r-00aa11bb.yaml "
	   "> reflections/r-000000$i.yaml; done && "
	   "echo 'id: [' > reflections/r-00000042.yaml && "
	   "printf 'lps: 1\\nid: r-00000043\\n' > "
	   "reflections/r-00000043.yaml", tmp);
	char *want = run(s, NULL, 1, NULL);
	assert_non_null(strstr(want, "expected number"));
	assert_non_null(strstr(want, "is missing"));
	assert_non_null(strstr(want, "r-00000042.yaml:2:1: [syntax]"));
	assert_non_null(strstr(want, "r-00000043.yaml:1:1: [required]"));
	assert_non_null(strstr(want, "e-11111111/a: [unknown-file]"));
	char other[300];
	snprintf(other, sizeof(other), "%s/", tmp);
	const char *tops[] = { lps_store_workdir(s), other, NULL };
	for (unsigned t = 1; t <= 3; t++) {
		for (size_t i = 0; i < 3; i++) {
			for (unsigned ms = 0; ms <= 50; ms += 50) {
				char *got = run_begun(s, tops[i], t, ms);
				assert_string_equal(got, want);
				free(got);
			}
		}
	}
	free(want);
	struct lps_check_ahead *a = NULL;
	assert_null(lps_check_begin(&a, lps_store_workdir(s), 2));
	lps_check_ahead_free(a);
	lps_store_free(s);
}

int main(void)
{
	git_libgit2_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_schema_and_syntax),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_frameworks),
		cmocka_unit_test(test_attachments_and_unknown),
		cmocka_unit_test(test_feedback_on),
		cmocka_unit_test(test_flat_indicator),
		cmocka_unit_test(test_rev),
		cmocka_unit_test(test_begun),
	};
	int r = cmocka_run_group_tests(tests, setup, teardown);
	lps_registry_shutdown();
	git_libgit2_shutdown();
	return r;
}
