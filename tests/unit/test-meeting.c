/*
 * test-meeting - the roundtable's shared branch: meeting records built
 * and validated, a change committed on the fetched tip and pushed, a
 * change rebuilt on a tip another member moved, norms refused when they
 * changed since the edit began, and the norms text checks and stamps.
 * Two member repositories and a bare roundtable live in a temporary
 * folder; the roundtable is a local path, so no server is needed.
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

#include "meeting.h"
#include "remote.h"
#include "store.h"

struct fixture {
	char dir[64];
	char bare[96];
	git_repository *rt;
	struct lps_store *ada, *bob;
};

static struct lps_store *member(struct fixture *f, const char *name)
{
	char path[128];
	git_repository *repo;
	git_config *cfg;
	struct lps_store *store = NULL;
	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	if (git_repository_init(&repo, path, 0) < 0 ||
	    git_repository_config(&cfg, repo) < 0)
		return NULL;
	int bad = git_config_set_string(cfg, "remote.roundtable.url",
					f->bare) < 0 ||
		git_config_set_string(cfg, "lps.handle", name) < 0 ||
		git_config_set_string(cfg, "user.name", name) < 0 ||
		git_config_set_string(cfg, "user.email",
				      "member@example.org") < 0;
	git_config_free(cfg);
	git_repository_free(repo);
	struct lps_error *err = bad ? NULL : lps_store_open(&store, path);
	lps_error_free(err);
	return store;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/lps-test-meeting.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->bare, sizeof(f->bare), "%s/rt.git", f->dir);
	git_libgit2_init();
	if (git_repository_init(&f->rt, f->bare, 1) < 0)
		return -1;
	f->ada = member(f, "ada");
	f->bob = member(f, "bob");
	if (!f->ada || !f->bob)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];
	lps_store_free(f->ada);
	lps_store_free(f->bob);
	git_repository_free(f->rt);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	git_libgit2_shutdown();
	return 0;
}

/* The roundtable branch of the bare repository (zero when none). */
static void rt_tip(struct fixture *f, git_oid *out)
{
	memset(out, 0, sizeof(*out));
	if (git_reference_name_to_id(out, f->rt, LPS_REMOTE_SHARED_BRANCH) < 0)
		git_error_clear();
}

/* The bytes of path on the roundtable branch, malloc'd, or NULL. */
static char *rt_file(struct fixture *f, const char *path)
{
	git_oid tip;
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	char *s = NULL;
	rt_tip(f, &tip);
	if (git_commit_lookup(&c, f->rt, &tip) == 0 &&
	    git_commit_tree(&t, c) == 0 &&
	    git_tree_entry_bypath(&e, t, path) == 0 &&
	    git_blob_lookup(&b, f->rt, git_tree_entry_id(e)) == 0) {
		size_t n = (size_t)git_blob_rawsize(b);
		s = malloc(n + 1);
		assert_non_null(s);
		memcpy(s, git_blob_rawcontent(b), n);
		s[n] = '\0';
	}
	git_error_clear();
	git_blob_free(b);
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	return s;
}

static size_t rt_commits(struct fixture *f)
{
	git_revwalk *w;
	git_oid id, tip;
	size_t n = 0;
	rt_tip(f, &tip);
	if (git_oid_is_zero(&tip))
		return 0;
	assert_int_equal(git_revwalk_new(&w, f->rt), 0);
	assert_int_equal(git_revwalk_push(w, &tip), 0);
	while (git_revwalk_next(&id, w) == 0)
		n++;
	git_revwalk_free(w);
	return n;
}

/* Publish one meeting of store; return its path in path (64 bytes). */
static void add_meeting(struct lps_store *store, const char *by,
			const char *id, char *path, git_oid *landed)
{
	struct lps_meeting_fields fl = { id, "2026-10-01", by, NULL, 0,
					 "Reading data", NULL };
	struct lps_doc *doc = NULL;
	struct lps_buf text = LPS_BUF_INIT;
	assert_null(lps_meeting_build(&doc, &text, &fl));
	lps_meeting_path(path, 64, fl.date, id);
	struct lps_shared_change c = { path, text.data, text.len, NULL,
				       "meeting: add\n" };
	struct lps_error *err = lps_meeting_publish(landed, store, &c, NULL);
	if (err)
		fail_msg("publish: %s", err->msg);
	lps_buf_free(&text);
	lps_doc_free(doc);
}

static void test_build(void **state)
{
	(void)state;
	const char *who[] = { "ada", "bob" };
	struct lps_meeting_fields fl = { "m-0000000a", "2026-10-01", "ada",
					 who, 2, "Reading data",
					 "We looked at data." };
	struct lps_doc *doc = NULL;
	struct lps_buf text = LPS_BUF_INIT;
	char path[64];

	assert_null(lps_meeting_build(&doc, &text, &fl));
	assert_string_equal(text.data,
			    "lps: 1\n"
			    "id: m-0000000a\n"
			    "date: 2026-10-01\n"
			    "by: ada\n"
			    "attendees:\n"
			    "  - ada\n"
			    "  - bob\n"
			    "agenda: Reading data\n"
			    "notes: We looked at data.\n");
	lps_doc_free(doc);
	lps_buf_free(&text);
	lps_meeting_path(path, sizeof(path), "2026-10-01", "m-0000000a");
	assert_string_equal(path, "meetings/2026-10-01-m-0000000a.yaml");

	/* A handle that is not one; a date that is not one. */
	const char *bad[] = { "Ada" };
	fl.attendees = bad;
	fl.nattendees = 1;
	struct lps_error *err = lps_meeting_build(&doc, &text, &fl);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EINVALID);
	assert_non_null(strstr(err->msg, "attendees[0]"));
	assert_null(doc);
	lps_error_free(err);
	lps_buf_free(&text);
	fl.nattendees = 0;
	fl.date = "2026-02-30";
	err = lps_meeting_build(&doc, &text, &fl);
	assert_non_null(err);
	assert_non_null(strstr(err->msg, "date"));
	lps_error_free(err);
	lps_buf_free(&text);
}

static void test_publish_on_tip(void **state)
{
	struct fixture *f = *state;
	char p1[64], p2[64];
	git_oid first, second, tip, track;
	int found;

	/* Nothing yet: nothing fetched, no calls. */
	assert_null(lps_meeting_tip(&tip, &found, f->ada));
	assert_int_equal(found, 0);

	add_meeting(f->ada, "ada", "m-0000000a", p1, &first);
	rt_tip(f, &tip);
	assert_true(git_oid_equal(&tip, &first));
	assert_int_equal(rt_commits(f), 1);
	/* What was pushed is the fetched state now. */
	assert_null(lps_meeting_tip(&track, &found, f->ada));
	assert_int_equal(found, 1);
	assert_true(git_oid_equal(&track, &first));

	/* The next change is built on that tip, touching one path. */
	add_meeting(f->ada, "ada", "m-0000000b", p2, &second);
	assert_int_equal(rt_commits(f), 2);
	char *a = rt_file(f, p1), *b = rt_file(f, p2);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(strstr(b, "id: m-0000000b\n"));
	free(a);
	free(b);
	git_commit *c;
	assert_int_equal(git_commit_lookup(&c, f->rt, &second), 0);
	assert_true(git_oid_equal(git_commit_parent_id(c, 0), &first));
	assert_string_equal(git_commit_message(c), "meeting: add\n");
	assert_string_equal(git_commit_author(c)->name, "ada");
	git_commit_free(c);
}

static void test_rebuild_on_moved_tip(void **state)
{
	struct fixture *f = *state;
	char p1[64], p2[64], p3[64];
	git_oid a1, b1, a2, stale, tip;
	int found;

	add_meeting(f->ada, "ada", "m-0000000a", p1, &a1);
	/* ada's fetched tip is a1; bob moves the branch past it. */
	add_meeting(f->bob, "bob", "m-000000b1", p2, &b1);
	assert_null(lps_meeting_tip(&stale, &found, f->ada));
	assert_true(git_oid_equal(&stale, &a1));

	/* ada's next change lands on bob's tip: nothing of bob's lost. */
	add_meeting(f->ada, "ada", "m-0000000c", p3, &a2);
	rt_tip(f, &tip);
	assert_true(git_oid_equal(&tip, &a2));
	assert_int_equal(rt_commits(f), 3);
	git_commit *c;
	assert_int_equal(git_commit_lookup(&c, f->rt, &a2), 0);
	assert_true(git_oid_equal(git_commit_parent_id(c, 0), &b1));
	git_commit_free(c);
	for (const char *const *p = (const char *const[]){ p1, p2, p3, NULL };
	     *p; p++) {
		char *s = rt_file(f, *p);
		assert_non_null(s);
		free(s);
	}
}

static void test_norms_conflict(void **state)
{
	struct fixture *f = *state;
	static const char v1[] = "lps: 1\nnorms:\n  - On time.\n";
	static const char v2[] = "lps: 1\nnorms:\n  - On time, always.\n";
	static const char v3[] = "lps: 1\nnorms:\n  - Phones away.\n";
	struct lps_buf text = LPS_BUF_INIT;
	git_oid none, blob, tip, landed;
	int found;
	memset(&none, 0, sizeof(none));

	/* First norms: based on "none yet". */
	struct lps_shared_change c = { LPS_MEETING_NORMS_PATH, v1,
				       strlen(v1), &none, "norms: edit\n" };
	assert_null(lps_meeting_publish(&landed, f->ada, &c, NULL));

	/* Both read v1. */
	assert_null(lps_remote_fetch(f->bob, NULL));
	assert_null(lps_meeting_norms(&text, &blob, &found, f->bob));
	assert_int_equal(found, 1);
	assert_string_equal(text.data, v1);
	lps_buf_free(&text);

	/* "none yet" is stale now. */
	struct lps_error *err = lps_meeting_publish(NULL, f->bob, &c, NULL);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_ECONFLICT);
	lps_error_free(err);

	/* bob saves v2 on top of v1, then ada's edit of v1 is refused. */
	c.data = v2;
	c.len = strlen(v2);
	c.based_on = &blob;
	assert_null(lps_meeting_publish(&landed, f->bob, &c, NULL));
	c.data = v3;
	c.len = strlen(v3);
	err = lps_meeting_publish(NULL, f->ada, &c, NULL);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_ECONFLICT);
	assert_string_equal(err->msg, "norms.yaml changed on the roundtable "
			    "meanwhile; run the command again to start from "
			    "the new version");
	lps_error_free(err);
	rt_tip(f, &tip);
	assert_true(git_oid_equal(&tip, &landed));
	char *s = rt_file(f, LPS_MEETING_NORMS_PATH);
	assert_string_equal(s, v2);
	free(s);

	/* Read again, the edit goes through. */
	assert_null(lps_meeting_norms(&text, &blob, &found, f->ada));
	assert_string_equal(text.data, v2);
	lps_buf_free(&text);
	assert_null(lps_meeting_publish(&landed, f->ada, &c, NULL));
	s = rt_file(f, LPS_MEETING_NORMS_PATH);
	assert_string_equal(s, v3);
	free(s);
}

static void test_norms_check(void **state)
{
	(void)state;
	static const char bad[] = "lps: 1\nnorms: 5\nextra: x\n";
	static const char ok[] = "lps: 1\nnorms: []\n";
	assert_null(lps_meeting_norms_check(ok, strlen(ok)));
	struct lps_error *err = lps_meeting_norms_check(bad, strlen(bad));
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EINVALID);
	assert_non_null(strstr(err->msg, "norms.yaml:2:8: norms: "));
	assert_non_null(strchr(err->msg, '\n')); /* every finding listed */
	lps_error_free(err);
	err = lps_meeting_norms_check("lps: 1\nlps: 1\n", 14);
	assert_non_null(err);
	assert_non_null(strstr(err->msg, "duplicate key"));
	lps_error_free(err);
}

static void stamp(const char *in, const char *want)
{
	struct lps_buf out = LPS_BUF_INIT;
	struct lps_error *err = lps_meeting_norms_stamp(&out, in, strlen(in),
							"2026-10-01", "ada");
	if (err)
		fail_msg("stamp: %s", err->msg);
	assert_string_equal(out.data, want);
	lps_buf_free(&out);
}

static void test_norms_stamp(void **state)
{
	(void)state;
	/* Added after lps:, comments and layout kept. */
	stamp("# ours\nlps: 1\nnorms:\n  - A   # note\n",
	      "# ours\nlps: 1\nupdated: 2026-10-01\nby: ada\nnorms:\n"
	      "  - A   # note\n");
	/* Old values replaced wherever they were. */
	stamp("lps: 1\nnorms: [x]\nby: bob\nupdated: 2020-01-01\n",
	      "lps: 1\nupdated: 2026-10-01\nby: ada\nnorms: [x]\n");
	/* No newline at the end of the lps: line. */
	stamp("norms: []\nlps: 1", "norms: []\nlps: 1\nupdated: 2026-10-01\n"
	      "by: ada\n");
	/* A value the text cannot be patched around: canonical form. */
	stamp("lps: 1\nby: >-\n  bob\nnorms:\n  - A\n",
	      "lps: 1\nupdated: 2026-10-01\nby: ada\nnorms:\n  - A\n");
	/* Invalid input is refused, not stamped. */
	struct lps_buf out = LPS_BUF_INIT;
	struct lps_error *err = lps_meeting_norms_stamp(&out, "lps: 1\n", 7,
							"2026-10-01", "ada");
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EINVALID);
	lps_error_free(err);
	lps_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build),
		cmocka_unit_test_setup_teardown(test_publish_on_tip, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rebuild_on_moved_tip,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_norms_conflict, setup,
						teardown),
		cmocka_unit_test(test_norms_check),
		cmocka_unit_test(test_norms_stamp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
