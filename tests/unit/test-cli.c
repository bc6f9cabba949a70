/*
 * test-cli.c - lib/cli, the one error voice of cmd/ programs: --help
 * (the whole usage text on stdout), usage errors (message and synopsis
 * on stderr, exit 2), errors turned into "lps: error: file:line:col:
 * message" and their exit status, warnings, choosing among allowed
 * values, and when colour is allowed (a terminal on stdout, NO_COLOR).
 *
 * stdout and stderr are captured by pointing the file descriptor at a
 * temporary file for the duration of one call; a pseudo-terminal stands
 * in for a terminal.
 */
#define _XOPEN_SOURCE 700 /* posix_openpt, grantpt, unlockpt, ptsname */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
	"usage: lps goal add [--agenda A] TITLE\n"
	"   or: lps goal list [--format F]\n"
	"\n"
	"Options:\n"
	"    --agenda A    student, adult or organisational\n";
static const char synopsis[] =
	"usage: lps goal add [--agenda A] TITLE\n"
	"   or: lps goal list [--format F]\n";

/* ------------------------------------------------------------ capture */

struct capture {
	int fd;     /* 1 or 2 */
	int saved;  /* a copy of the original descriptor */
	char path[64];
};

static void cap_begin(struct capture *c, int fd)
{
	fflush(stdout);
	fflush(stderr);
	c->fd = fd;
	strcpy(c->path, "/tmp/lps-cli-test.XXXXXX");
	int t = mkstemp(c->path);
	assert_true(t >= 0);
	c->saved = dup(fd);
	assert_true(c->saved >= 0);
	assert_true(dup2(t, fd) >= 0);
	close(t);
}

/* Restore the descriptor and return what was written (caller frees). */
static char *cap_end(struct capture *c)
{
	fflush(stdout);
	fflush(stderr);
	dup2(c->saved, c->fd);
	close(c->saved);
	FILE *f = fopen(c->path, "rb");
	assert_non_null(f);
	char *s = calloc(1, 65536);
	assert_non_null(s);
	size_t n = fread(s, 1, 65535, f);
	s[n] = '\0';
	fclose(f);
	unlink(c->path);
	return s;
}

/* Assert got is exactly want, then free got. */
static void expect_text(char *got, const char *want)
{
	if (strcmp(got, want) != 0) {
		print_error("expected \"%s\"\n     got \"%s\"\n", want, got);
		free(got);
		fail();
	}
	free(got);
}

/* ------------------------------------------------------------ tests */

static void test_begin_inits_libgit2(void **state)
{
	(void)state;
	lps_cli_begin(usage);
	/* libgit2 is up: one more init is the second (or later) */
	int n = git_libgit2_init();
	assert_true(n >= 2);
	assert_int_equal(git_libgit2_shutdown(), n - 1);
}

static void note_work(void *arg)
{
	/* runs on the calling thread, while (or before) libgit2 starts */
	*(int *)arg += 1;
}

static void test_begin_with(void **state)
{
	(void)state;
	int runs = 0;
	lps_cli_begin_with(usage, note_work, &runs);
	assert_int_equal(runs, 1);
	/* libgit2 is up when it returns, and the usage text is set */
	int n = git_libgit2_init();
	assert_true(n >= 2);
	assert_int_equal(git_libgit2_shutdown(), n - 1);
	struct capture c;
	cap_begin(&c, 1);
	int rc = lps_cli_help();
	expect_text(cap_end(&c), usage);
	assert_int_equal(rc, 0);
}

static void test_help(void **state)
{
	(void)state;
	struct capture c;
	lps_cli_begin(usage);
	cap_begin(&c, 1);
	int rc = lps_cli_help();
	expect_text(cap_end(&c), usage);
	assert_int_equal(rc, 0);

	/* a usage text without a final newline gets one */
	lps_cli_begin("usage: lps x");
	cap_begin(&c, 1);
	rc = lps_cli_help();
	expect_text(cap_end(&c), "usage: lps x\n");
	assert_int_equal(rc, 0);

	/* lps_cli_usage sets the text alone (the front end's start) */
	lps_cli_usage("usage: lps front\n\nmore");
	cap_begin(&c, 1);
	assert_int_equal(lps_cli_help(), 0);
	expect_text(cap_end(&c), "usage: lps front\n\nmore\n");

	/* empty and NULL usage print nothing */
	lps_cli_begin("");
	cap_begin(&c, 1);
	assert_int_equal(lps_cli_help(), 0);
	expect_text(cap_end(&c), "");
	lps_cli_begin(NULL);
	cap_begin(&c, 1);
	assert_int_equal(lps_cli_help(), 0);
	expect_text(cap_end(&c), "");
}

static void test_usage_error(void **state)
{
	(void)state;
	struct capture c;
	lps_cli_begin(usage);
	cap_begin(&c, 2);
	int rc = lps_cli_usage_error("unknown option '%s'", "--x");
	char want[512];
	snprintf(want, sizeof(want), "lps: error: unknown option '--x'\n%s",
		 synopsis);
	expect_text(cap_end(&c), want);
	assert_int_equal(rc, 2);

	/* nothing goes to stdout */
	struct capture e;
	cap_begin(&c, 1);
	cap_begin(&e, 2);
	lps_cli_usage_error("x");
	snprintf(want, sizeof(want), "lps: error: x\n%s", synopsis);
	expect_text(cap_end(&e), want);
	expect_text(cap_end(&c), "");

	/* without a blank line the whole text is the synopsis */
	lps_cli_begin("usage: lps y ARG");
	cap_begin(&c, 2);
	rc = lps_cli_usage_error("missing ARG");
	expect_text(cap_end(&c), "lps: error: missing ARG\nusage: lps y ARG\n");
	assert_int_equal(rc, 2);

	/* no usage at all: just the message */
	lps_cli_begin(NULL);
	cap_begin(&c, 2);
	rc = lps_cli_usage_error("%d arguments", 3);
	expect_text(cap_end(&c), "lps: error: 3 arguments\n");
	assert_int_equal(rc, 2);
}

/* Run lps_cli_parse over words (NULL-terminated) with a table of one
 * value, one repeated value and one flag; stderr is kept in *err. */
struct parsed {
	int rc;
	const char *val, *list[LPS_CLI_MAX_REPEAT], *pos[3];
	size_t nlist, npos;
	int flag;
	char *err;
};

static void parse(struct parsed *r, const char *const *words)
{
	char *argv[LPS_CLI_MAX_REPEAT * 2 + 8];
	int argc = 0;
	while (words[argc]) {
		argv[argc] = (char *)words[argc];
		argc++;
	}
	memset(r, 0, sizeof(*r));
	const struct lps_cli_opt opts[] = {
		{ .name = "--due", .val = &r->val },
		{ .name = "--standard", .list = r->list, .nlist = &r->nlist },
		{ .name = "--overdue", .flag = &r->flag },
		{ .name = NULL },
	};
	struct capture c;
	cap_begin(&c, 2);
	r->rc = lps_cli_parse(argc, argv, opts, r->pos, 3, &r->npos);
	r->err = cap_end(&c);
}

static void test_parse(void **state)
{
	(void)state;
	struct parsed r;
	lps_cli_usage("usage: lps x");

	/* options before, between and after arguments; both value forms;
	 * the last value wins; "-" is an argument; "--" ends options */
	parse(&r, (const char *const[]){ "--due", "2026-01-01", "a",
		  "--standard=1a", "-", "--overdue", "--standard", "2c",
		  "--due=2026-02-02", "--", "--due", NULL });
	assert_int_equal(r.rc, LPS_CLI_GO_ON);
	assert_string_equal(r.val, "2026-02-02");
	assert_int_equal(r.nlist, 2);
	assert_string_equal(r.list[0], "1a");
	assert_string_equal(r.list[1], "2c");
	assert_int_equal(r.flag, 1);
	assert_int_equal(r.npos, 3);
	assert_string_equal(r.pos[0], "a");
	assert_string_equal(r.pos[1], "-");
	assert_string_equal(r.pos[2], "--due");
	expect_text(r.err, "");

	/* each usage error: exit 2, one message and the synopsis */
	static const struct {
		const char *words[5];
		const char *msg;
	} bad[] = {
		{ { "--bogus", NULL }, "unknown option --bogus" },
		{ { "--du", "x", NULL }, "unknown option --du" },
		{ { "a", "--due", NULL }, "option --due needs a value" },
		{ { "--overdue=yes", NULL }, "--overdue takes no value" },
		{ { "a", "b", "c", "d", NULL }, "too many arguments" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[128];
		parse(&r, bad[i].words);
		assert_int_equal(r.rc, 2);
		snprintf(want, sizeof(want), "lps: error: %s\nusage: lps x\n",
			 bad[i].msg);
		expect_text(r.err, want);
	}

	/* a repeated option has room for LPS_CLI_MAX_REPEAT values */
	const char *many[LPS_CLI_MAX_REPEAT * 2 + 3];
	size_t n = 0;
	for (int i = 0; i <= LPS_CLI_MAX_REPEAT; i++) {
		many[n++] = "--standard";
		many[n++] = "1a";
	}
	many[n] = NULL;
	parse(&r, many);
	assert_int_equal(r.rc, 2);
	expect_text(r.err, "lps: error: too many --standard\nusage: lps x\n");
	many[n - 2] = NULL;
	parse(&r, many);
	assert_int_equal(r.rc, LPS_CLI_GO_ON);
	assert_int_equal(r.nlist, LPS_CLI_MAX_REPEAT);
	free(r.err);

	/* --help prints the usage on stdout and answers 0 */
	struct capture out;
	cap_begin(&out, 1);
	parse(&r, (const char *const[]){ "a", "-h", "--bogus", NULL });
	expect_text(cap_end(&out), "usage: lps x\n");
	assert_int_equal(r.rc, 0);
	free(r.err);
}

static void test_fail(void **state)
{
	(void)state;
	struct capture c;
	lps_cli_begin(usage);

	cap_begin(&c, 2);
	assert_int_equal(lps_cli_fail(NULL), 0);
	expect_text(cap_end(&c), "");

	cap_begin(&c, 2);
	int rc = lps_cli_fail(lps_error_at(LPS_EINVALID, "goals/g-3f9a1c07.yaml",
					   7, 12, "title: too long"));
	expect_text(cap_end(&c),
		    "lps: error: goals/g-3f9a1c07.yaml:7:12: title: too long\n");
	assert_int_equal(rc, 1);

	cap_begin(&c, 2);
	rc = lps_cli_fail(lps_error_at(LPS_ENOTFOUND, "x.yaml", 0, 0, "gone"));
	expect_text(cap_end(&c), "lps: error: x.yaml: gone\n");
	assert_int_equal(rc, 1);

	static const struct {
		enum lps_error_code code;
		int status;
	} map[] = {
		{ LPS_EUSAGE, 2 }, { LPS_EREFUSED, 3 }, { LPS_ECONFLICT, 3 },
		{ LPS_ESYS, 4 },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++) {
		cap_begin(&c, 2);
		rc = lps_cli_fail(lps_error_new(map[i].code, "code %d",
						map[i].code));
		char want[64];
		snprintf(want, sizeof(want), "lps: error: code %d\n",
			 map[i].code);
		expect_text(cap_end(&c), want);
		assert_int_equal(rc, map[i].status);
	}

	/* the shared out-of-memory error: printed, not freed, exit 4 */
	cap_begin(&c, 2);
	rc = lps_cli_fail(lps_error_nomem());
	expect_text(cap_end(&c), "lps: error: out of memory\n");
	assert_int_equal(rc, 4);
}

static void test_error_warning(void **state)
{
	(void)state;
	struct capture c;
	lps_cli_begin(usage);
	cap_begin(&c, 2);
	lps_cli_error("cannot read %s: %s", "lps.yaml", "denied");
	lps_cli_warning("%d documents left out", 2);
	lps_cli_warning("%s", "");
	expect_text(cap_end(&c), "lps: error: cannot read lps.yaml: denied\n"
		    "lps: warning: 2 documents left out\n"
		    "lps: warning: \n");
	/* no synopsis: these are not usage errors */
}

static void test_choice(void **state)
{
	(void)state;
	static const char *const formats[] = { "text", "json", "yaml", NULL };
	struct capture c;
	lps_cli_begin(usage);

	cap_begin(&c, 2);
	assert_int_equal(lps_cli_choice("--format", "text", formats), 0);
	assert_int_equal(lps_cli_choice("--format", "yaml", formats), 2);
	expect_text(cap_end(&c), "");

	/* matching is exact: case, prefixes and the empty string fail */
	const char *wrong[] = { "JSON", "js", "jsonx", "" };
	for (size_t i = 0; i < sizeof(wrong) / sizeof(*wrong); i++) {
		cap_begin(&c, 2);
		int rc = lps_cli_choice("--format", wrong[i], formats);
		char want[512];
		snprintf(want, sizeof(want), "lps: error: --format: unknown "
			 "value '%s' (one of: text json yaml)\n%s", wrong[i],
			 synopsis);
		expect_text(cap_end(&c), want);
		assert_int_equal(rc, -1);
	}

	/* nothing allowed */
	static const char *const none[] = { NULL };
	lps_cli_begin(NULL);
	cap_begin(&c, 2);
	assert_int_equal(lps_cli_choice("--x", "a", none), -1);
	expect_text(cap_end(&c),
		    "lps: error: --x: unknown value 'a' (one of:)\n");
}

/* lps_cli_color with stdout on descriptor fd. */
static int color_on(int fd)
{
	fflush(stdout);
	int saved = dup(1);
	assert_true(saved >= 0);
	assert_true(dup2(fd, 1) >= 0);
	int on = lps_cli_color();
	dup2(saved, 1);
	close(saved);
	return on;
}

static void test_color(void **state)
{
	(void)state;
	/* not a terminal: never, whatever NO_COLOR says */
	int fd = open("/dev/null", O_WRONLY);
	assert_true(fd >= 0);
	unsetenv("NO_COLOR");
	assert_int_equal(color_on(fd), 0);
	close(fd);

	int master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0) {
		if (master >= 0)
			close(master);
		skip();
	}
	int tty = open(ptsname(master), O_RDWR | O_NOCTTY);
	assert_true(tty >= 0);
	unsetenv("NO_COLOR");
	assert_int_equal(color_on(tty), 1);
	setenv("NO_COLOR", "", 1); /* empty counts as unset */
	assert_int_equal(color_on(tty), 1);
	setenv("NO_COLOR", "1", 1);
	assert_int_equal(color_on(tty), 0);
	setenv("NO_COLOR", "0", 1); /* any non-empty value */
	assert_int_equal(color_on(tty), 0);
	unsetenv("NO_COLOR");
	close(tty);
	close(master);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_begin_inits_libgit2),
		cmocka_unit_test(test_begin_with),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_usage_error),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_fail),
		cmocka_unit_test(test_error_warning),
		cmocka_unit_test(test_choice),
		cmocka_unit_test(test_color),
	};
	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
