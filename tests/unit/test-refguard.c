/*
 * test-refguard.c - the guard around lps's ref moves: the busy mark, the
 * ref locks a killed lps left behind (cleared) and those it did not
 * (kept), nesting, and the guard of a roundtable repository on this
 * machine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "refguard.h"

struct fx {
	char dir[64];
	git_repository *repo;
};

static char path_buf[4096];

static const char *at(struct fx *f, const char *rel)
{
	snprintf(path_buf, sizeof(path_buf), "%s/.git/%s", f->dir, rel);
	return path_buf;
}

static int exists(struct fx *f, const char *rel)
{
	return access(at(f, rel), F_OK) == 0;
}

/* Create the file rel (and its folders) under .git. */
static void touch(struct fx *f, const char *rel)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s", at(f, rel));
	for (char *s = p + strlen(f->dir) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(p, 0777);
		*s = '/';
	}
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	assert_true(fd >= 0);
	close(fd);
}

/* Set rel's modification time to `ago` seconds before now. */
static void age(struct fx *f, const char *rel, int ago)
{
	struct timespec ts[2];
	clock_gettime(CLOCK_REALTIME, &ts[0]);
	ts[0].tv_sec -= ago;
	ts[1] = ts[0];
	assert_int_equal(utimensat(AT_FDCWD, at(f, rel), ts, 0), 0);
}

static void rm_rf(const char *p)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", p);
	assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	strcpy(f->dir, "/tmp/lps-refguard-test.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(git_repository_init(&f->repo, f->dir, 0), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	git_repository_free(f->repo);
	rm_rf(f->dir);
	free(f);
	return 0;
}

static void test_mark_while_held(void **state)
{
	struct fx *f = *state;
	assert_null(lps_refguard_take(f->repo));
	assert_true(exists(f, "lps/refs-busy"));
	assert_true(exists(f, "lps/refs.lock"));
	lps_refguard_release();
	assert_false(exists(f, "lps/refs-busy"));
}

/* Without a busy mark nobody died holding the guard: locks stay. */
static void test_no_mark_keeps_locks(void **state)
{
	struct fx *f = *state;
	touch(f, "refs/remotes/roundtable/members/cy.lock");
	assert_null(lps_refguard_take(f->repo));
	lps_refguard_release();
	assert_true(exists(f, "refs/remotes/roundtable/members/cy.lock"));
}

/* A mark left behind: the locks made since, where lps writes, go; older
 * ones and those of other refs stay. */
static void test_stale_locks_cleared(void **state)
{
	struct fx *f = *state;
	touch(f, "refs/remotes/roundtable/old.lock");
	age(f, "refs/remotes/roundtable/old.lock", 60);
	touch(f, "lps/refs-busy");
	age(f, "lps/refs-busy", 30);
	touch(f, "refs/remotes/roundtable/members/cy.lock");
	touch(f, "refs/remotes/roundtable/roundtable.lock");
	touch(f, "refs/lps/published.lock");
	touch(f, "FETCH_HEAD.lock");
	touch(f, "packed-refs.lock");
	touch(f, "refs/heads/main.lock");
	touch(f, "refs/remotes/roundtable/members/bo");
	assert_null(lps_refguard_take(f->repo));
	assert_false(exists(f, "refs/remotes/roundtable/members/cy.lock"));
	assert_false(exists(f, "refs/remotes/roundtable/roundtable.lock"));
	assert_false(exists(f, "refs/lps/published.lock"));
	assert_false(exists(f, "FETCH_HEAD.lock"));
	assert_false(exists(f, "packed-refs.lock"));
	assert_true(exists(f, "refs/remotes/roundtable/old.lock"));
	assert_true(exists(f, "refs/heads/main.lock"));
	assert_true(exists(f, "refs/remotes/roundtable/members/bo"));
	lps_refguard_release();
	assert_false(exists(f, "lps/refs-busy"));
}

static void test_nesting(void **state)
{
	struct fx *f = *state;
	assert_null(lps_refguard_take(f->repo));
	assert_null(lps_refguard_take(f->repo));
	lps_refguard_release();
	assert_true(exists(f, "lps/refs-busy"));
	lps_refguard_release();
	assert_false(exists(f, "lps/refs-busy"));
	lps_refguard_release(); /* unbalanced: ignored */
	assert_false(exists(f, "lps/refs-busy"));
}

/* Another process holding the guard makes us wait for it. */
static void test_other_process_waits(void **state)
{
	struct fx *f = *state;
	int p[2];
	assert_int_equal(pipe(p), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		if (lps_refguard_take(f->repo))
			_exit(1);
		touch(f, "child-held");
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		struct timespec ts = { 0, 200 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		unlink(at(f, "child-held"));
		lps_refguard_release();
		_exit(0);
	}
	close(p[1]);
	char c;
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	assert_null(lps_refguard_take(f->repo));
	assert_false(exists(f, "child-held"));
	lps_refguard_release();
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* The guard of a roundtable repository on this machine: the member
 * branch locks a killed lps push left there go, others stay. */
static void test_shared_clears_member_locks(void **state)
{
	struct fx *f = *state;
	struct lps_refguard_shared g;
	assert_null(lps_refguard_take_shared(&g, f->dir));
	assert_true(g.fd >= 0);
	assert_true(exists(f, "lps/refs-busy"));
	lps_refguard_release_shared(&g);
	assert_false(exists(f, "lps/refs-busy"));

	touch(f, "refs/heads/members/old.lock");
	age(f, "refs/heads/members/old.lock", 60);
	touch(f, "lps/refs-busy");
	age(f, "lps/refs-busy", 30);
	touch(f, "refs/heads/members/cy.lock");
	touch(f, "refs/heads/roundtable.lock");
	touch(f, "refs/heads/main.lock");
	assert_null(lps_refguard_take_shared(&g, f->dir));
	assert_false(exists(f, "refs/heads/members/cy.lock"));
	assert_false(exists(f, "refs/heads/roundtable.lock"));
	assert_true(exists(f, "refs/heads/members/old.lock"));
	assert_true(exists(f, "refs/heads/main.lock"));
	lps_refguard_release_shared(&g);
	lps_refguard_release_shared(&g); /* twice: harmless */

	struct lps_refguard_shared none;
	assert_null(lps_refguard_take_shared(&none, "/nonexistent/lps"));
	assert_int_equal(none.fd, -1);
	lps_refguard_release_shared(&none);
}

int main(void)
{
	git_libgit2_init();
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_mark_while_held),
		T(test_no_mark_keeps_locks),
		T(test_stale_locks_cleared),
		T(test_nesting),
		T(test_other_process_waits),
		T(test_shared_clears_member_locks),
#undef T
	};
	int rc = cmocka_run_group_tests_name("refguard", tests, NULL, NULL);
	git_libgit2_shutdown();
	return rc;
}
