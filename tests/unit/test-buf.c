/*
 * test-buf.c - lib/buf: the growable buffer (first allocation, doubling,
 * the NUL after len, embedded NULs, refusing sizes that would overflow),
 * reset/detach/free, reading whole files within a limit (missing files,
 * folders, empty files, files larger than one read, devices that never
 * end), writing files atomically (mode, replacing, no temporary left
 * behind on failure), and writing where the user asked for output
 * (files keep their mode, links stay links and are followed to the end,
 * dangling links create their file, devices and FIFOs are written in
 * place, folders and sockets are refused).
 *
 * Files live in one mkdtemp folder under /tmp, removed at the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "errassert.h"

static char tmp[64];

static const char *in_tmp(const char *name)
{
	static char path[256];
	snprintf(path, sizeof(path), "%s/%s", tmp, name);
	return path;
}

static void write_raw(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Names in folder other than "." and "..", counted. */
static int entries_in(const char *folder)
{
	DIR *d = opendir(folder);
	assert_non_null(d);
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static int entries(void)
{
	return entries_in(tmp);
}

/* The whole of path, asserted to be want. */
static void assert_file(const char *path, const char *want)
{
	struct lps_buf b = LPS_BUF_INIT;
	struct lps_error *err = lps_buf_read_file(&b, path, 1 << 20);
	if (err) {
		char *m = lps_error_format(err);
		print_error("%s\n", m);
		free(m);
		lps_error_free(err);
		fail();
	}
	assert_string_equal(b.data, want);
	lps_buf_free(&b);
}

static int setup(void **state)
{
	(void)state;
	strcpy(tmp, "/tmp/lps-buf-test.XXXXXX");
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

/* ------------------------------------------------------------ growing */

static void test_init_and_add(void **state)
{
	(void)state;
	struct lps_buf b = LPS_BUF_INIT;
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);

	assert_int_equal(lps_buf_adds(&b, "abc"), 0);
	assert_string_equal(b.data, "abc");
	assert_int_equal(b.len, 3);
	assert_int_equal(b.cap, 64);
	assert_int_equal(lps_buf_addc(&b, '-'), 0);
	assert_int_equal(lps_buf_add(&b, "xyz", 2), 0);
	assert_string_equal(b.data, "abc-xy");
	assert_int_equal(b.len, 6);

	/* adding nothing still leaves a terminated string */
	assert_int_equal(lps_buf_add(&b, NULL, 0), 0);
	assert_int_equal(lps_buf_adds(&b, ""), 0);
	assert_string_equal(b.data, "abc-xy");
	assert_int_equal(b.len, 6);
	lps_buf_free(&b);

	/* the first add of nothing allocates an empty string */
	assert_int_equal(lps_buf_add(&b, NULL, 0), 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	lps_buf_free(&b);
}

static void test_embedded_nul(void **state)
{
	(void)state;
	struct lps_buf b = LPS_BUF_INIT;
	assert_int_equal(lps_buf_add(&b, "a\0b", 3), 0);
	assert_int_equal(lps_buf_addc(&b, '\0'), 0);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, "a\0b\0", 5);
	lps_buf_free(&b);
}

static void test_growth(void **state)
{
	(void)state;
	struct lps_buf b = LPS_BUF_INIT;
	char block[63];
	memset(block, 'a', sizeof(block));
	/* 63 bytes and the NUL fill the first 64 exactly */
	assert_int_equal(lps_buf_add(&b, block, sizeof(block)), 0);
	assert_int_equal(b.cap, 64);
	/* one more doubles */
	assert_int_equal(lps_buf_addc(&b, 'b'), 0);
	assert_int_equal(b.cap, 128);
	assert_int_equal(b.len, 64);
	assert_int_equal(b.data[63], 'b');
	assert_int_equal(b.data[64], '\0');
	/* a large add doubles as often as needed at once */
	char *big = malloc(1000);
	assert_non_null(big);
	memset(big, 'c', 1000);
	assert_int_equal(lps_buf_add(&b, big, 1000), 0);
	assert_int_equal(b.len, 1064);
	assert_int_equal(b.cap, 2048);
	assert_int_equal(b.data[0], 'a');
	assert_int_equal(b.data[64], 'c');
	assert_int_equal(b.data[1063], 'c');
	assert_int_equal(b.data[1064], '\0');
	free(big);

	/* grow reserves without changing the contents */
	assert_int_equal(lps_buf_grow(&b, 0), 0);
	assert_int_equal(b.cap, 2048);
	assert_int_equal(lps_buf_grow(&b, 5000), 0);
	assert_int_equal(b.cap, 8192);
	assert_int_equal(b.len, 1064);
	assert_int_equal(b.data[1063], 'c');

	/* many small adds keep every byte */
	lps_buf_reset(&b);
	for (int i = 0; i < 100000; i++)
		assert_int_equal(lps_buf_addc(&b, (char)('0' + i % 10)), 0);
	assert_int_equal(b.len, 100000);
	assert_true(b.cap >= 100001);
	for (int i = 0; i < 100000; i += 997)
		assert_int_equal(b.data[i], '0' + i % 10);
	assert_int_equal(b.data[100000], '\0');
	lps_buf_free(&b);
}

static void test_grow_overflow(void **state)
{
	(void)state;
	struct lps_buf b = LPS_BUF_INIT;
	/* sizes whose sum with len + 1 wraps around (these returned 0) */
	assert_int_equal(lps_buf_grow(&b, SIZE_MAX), -1);
	assert_null(b.data);
	assert_int_equal(lps_buf_adds(&b, "keep"), 0);
	assert_int_equal(lps_buf_grow(&b, SIZE_MAX), -1);
	assert_int_equal(lps_buf_grow(&b, SIZE_MAX - 4), -1);
	assert_int_equal(lps_buf_add(&b, "x", SIZE_MAX), -1);
	assert_int_equal(lps_buf_grow(&b, SIZE_MAX - 100), -1);
	assert_int_equal(lps_buf_grow(&b, SIZE_MAX / 2), -1);
	assert_int_equal(lps_buf_add(&b, "x", SIZE_MAX / 2), -1);
	assert_int_equal(lps_buf_addf(&b, "%s", "ok"), 0);
	/* the buffer is untouched by the refusals */
	assert_string_equal(b.data, "keepok");
	assert_int_equal(b.len, 6);
	assert_int_equal(b.cap, 64);
	lps_buf_free(&b);
}

static void test_addf(void **state)
{
	(void)state;
	struct lps_buf b = LPS_BUF_INIT;
	assert_int_equal(lps_buf_addf(&b, "%s=%d", "n", 42), 0);
	assert_int_equal(lps_buf_addf(&b, ", %05.1f%%", 3.14159), 0);
	assert_string_equal(b.data, "n=42, 003.1%");
	assert_int_equal(b.len, 12);

	/* a formatted string longer than the room left grows the buffer */
	char long_s[300];
	memset(long_s, 'z', sizeof(long_s) - 1);
	long_s[sizeof(long_s) - 1] = '\0';
	assert_int_equal(lps_buf_addf(&b, "[%s]", long_s), 0);
	assert_int_equal(b.len, 12 + 301);
	assert_int_equal(b.cap, 512);
	assert_int_equal(b.data[12], '[');
	assert_int_equal(b.data[312], ']');
	assert_int_equal(b.data[313], '\0');
	assert_memory_equal(b.data, "n=42, 003.1%[zzz", 16);
	lps_buf_free(&b);

	/* an empty result on a fresh buffer still gives a string */
	assert_int_equal(lps_buf_addf(&b, "%s", ""), 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	lps_buf_free(&b);
}

static void test_reset_detach_free(void **state)
{
	(void)state;
	struct lps_buf b = LPS_BUF_INIT;

	/* reset of an empty buffer is harmless */
	lps_buf_reset(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);

	assert_int_equal(lps_buf_adds(&b, "hello"), 0);
	char *old = b.data;
	lps_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 64);
	assert_ptr_equal(b.data, old); /* the allocation is kept */
	assert_string_equal(b.data, "");
	assert_int_equal(lps_buf_adds(&b, "again"), 0);
	assert_string_equal(b.data, "again");

	size_t len = 99;
	char *s = lps_buf_detach(&b, &len);
	assert_string_equal(s, "again");
	assert_int_equal(len, 5);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	free(s);

	/* detaching an empty buffer gives an empty string to free */
	len = 99;
	s = lps_buf_detach(&b, &len);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	assert_int_equal(lps_buf_adds(&b, "x"), 0);
	s = lps_buf_detach(&b, NULL);
	assert_string_equal(s, "x");
	free(s);

	/* free leaves a reusable empty buffer; freeing twice is fine */
	assert_int_equal(lps_buf_adds(&b, "y"), 0);
	lps_buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	lps_buf_free(&b);
	assert_int_equal(lps_buf_adds(&b, "z"), 0);
	assert_string_equal(b.data, "z");
	lps_buf_free(&b);
}

/* ------------------------------------------------------------ reading */

static void test_read_file(void **state)
{
	(void)state;
	struct lps_buf b = LPS_BUF_INIT;
	const char *p = in_tmp("a.yaml");
	write_raw(p, "id: g-1\n", 8);
	/* what the buffer held before is replaced */
	assert_int_equal(lps_buf_adds(&b, "previous contents"), 0);
	assert_null(lps_buf_read_file(&b, p, 100));
	assert_string_equal(b.data, "id: g-1\n");
	assert_int_equal(b.len, 8);

	/* exactly at the limit is allowed; one byte over is not */
	assert_null(lps_buf_read_file(&b, p, 8));
	assert_int_equal(b.len, 8);
	char msg[300];
	snprintf(msg, sizeof(msg),
		 "%s: file is 8 bytes, over the limit of 7", p);
	expect_err(lps_buf_read_file(&b, p, 7), LPS_EINVALID, msg);

	/* bytes after a NUL are read too */
	write_raw(p, "a\0b", 3);
	assert_null(lps_buf_read_file(&b, p, 100));
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 4);
	lps_buf_free(&b);
}

static void test_read_empty(void **state)
{
	(void)state;
	struct lps_buf b = LPS_BUF_INIT;
	const char *p = in_tmp("empty");
	write_raw(p, "", 0);
	assert_null(lps_buf_read_file(&b, p, 0));
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);

	/* a device that is empty reads as empty too */
	assert_int_equal(lps_buf_adds(&b, "stale"), 0);
	assert_null(lps_buf_read_file(&b, "/dev/null", 10));
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	lps_buf_free(&b);
}

static void test_read_large(void **state)
{
	(void)state;
	/* more than one 64 KiB read, and not a power of two */
	size_t n = 300001;
	char *data = malloc(n);
	assert_non_null(data);
	for (size_t i = 0; i < n; i++)
		data[i] = (char)('a' + i % 26);
	const char *p = in_tmp("large");
	write_raw(p, data, n);
	struct lps_buf b = LPS_BUF_INIT;
	assert_null(lps_buf_read_file(&b, p, n));
	assert_int_equal(b.len, n);
	assert_memory_equal(b.data, data, n);
	assert_int_equal(b.data[n], '\0');
	lps_buf_free(&b);
	free(data);
}

static void test_read_errors(void **state)
{
	(void)state;
	struct lps_buf b = LPS_BUF_INIT;
	char msg[300];
	const char *p = in_tmp("missing.yaml");
	snprintf(msg, sizeof(msg), "%s: cannot open: No such file or directory",
		 p);
	expect_err(lps_buf_read_file(&b, p, 100), LPS_ENOTFOUND, msg);

	/* a missing folder on the way is "not found" too */
	p = in_tmp("nodir/x.yaml");
	snprintf(msg, sizeof(msg), "%s: cannot open: No such file or directory",
		 p);
	expect_err(lps_buf_read_file(&b, p, 100), LPS_ENOTFOUND, msg);

	snprintf(msg, sizeof(msg), "%s: is a directory", tmp);
	expect_err(lps_buf_read_file(&b, tmp, 100), LPS_ESYS, msg);

	/* a device that never ends stops at the limit */
	expect_err(lps_buf_read_file(&b, "/dev/zero", 100), LPS_EINVALID,
		   "/dev/zero: file is over the limit of 100 bytes");
	lps_buf_free(&b);
}

/* ------------------------------------------------------------ writing */

static void test_write_atomic(void **state)
{
	(void)state;
	mode_t old = umask(022);
	const char *p = in_tmp("out.yaml");
	char path[256];
	snprintf(path, sizeof(path), "%s", p);
	assert_null(lps_write_file_atomic(path, "one\n", 4, 0644));
	struct lps_buf b = LPS_BUF_INIT;
	assert_null(lps_buf_read_file(&b, path, 100));
	assert_string_equal(b.data, "one\n");
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);

	/* replacing an existing file; the mode given applies to the new one */
	assert_null(lps_write_file_atomic(path, "two two\n", 8, 0600));
	assert_null(lps_buf_read_file(&b, path, 100));
	assert_string_equal(b.data, "two two\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	/* an empty file */
	assert_null(lps_write_file_atomic(path, "", 0, 0644));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);

	/* only the file itself is left: no temporary beside it */
	assert_int_equal(entries(), 1);
	lps_buf_free(&b);
	umask(old);
}

static void test_write_atomic_errors(void **state)
{
	(void)state;
	char msg[300], path[256];

	/* the folder does not exist */
	snprintf(path, sizeof(path), "%s", in_tmp("nodir/out.yaml"));
	snprintf(msg, sizeof(msg), "%s: cannot write: No such file or directory",
		 path);
	expect_err(lps_write_file_atomic(path, "x", 1, 0644), LPS_ESYS, msg);

	/* the target is a folder: the rename fails, the temporary goes */
	snprintf(path, sizeof(path), "%s", in_tmp("adir"));
	assert_int_equal(mkdir(path, 0777), 0);
	snprintf(msg, sizeof(msg), "%s: cannot rename: Is a directory", path);
	expect_err(lps_write_file_atomic(path, "x", 1, 0644), LPS_ESYS, msg);
	assert_int_equal(entries(), 1);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
}

/* ------------------------------------------------------------ output */

static void test_output_files(void **state)
{
	(void)state;
	mode_t old = umask(022);
	char path[256];
	struct stat st;
	snprintf(path, sizeof(path), "%s", in_tmp("report.svg"));

	/* a new file: mode less the umask */
	assert_null(lps_write_file_output(path, "one\n", 4, 0666));
	assert_file(path, "one\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);

	/* an existing file keeps its own mode, not the one given */
	assert_int_equal(chmod(path, 0640), 0);
	assert_null(lps_write_file_output(path, "two\n", 4, 0666));
	assert_file(path, "two\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(entries(), 1);

	/* a folder that does not exist */
	snprintf(path, sizeof(path), "%s", in_tmp("nodir/r.svg"));
	char msg[300];
	snprintf(msg, sizeof(msg), "%s: cannot write: No such file or directory",
		 path);
	expect_err(lps_write_file_output(path, "x", 1, 0644), LPS_ESYS, msg);
	umask(old);
}

static void test_output_links(void **state)
{
	(void)state;
	mode_t old = umask(022);
	char real[256], sub[256], link1[256], link2[256], target[256];
	struct stat st;
	snprintf(real, sizeof(real), "%s", in_tmp("real.html"));
	snprintf(sub, sizeof(sub), "%s", in_tmp("sub"));
	snprintf(link1, sizeof(link1), "%s", in_tmp("sub/link1"));
	snprintf(link2, sizeof(link2), "%s", in_tmp("link2"));
	write_raw(real, "old\n", 4);
	assert_int_equal(chmod(real, 0600), 0);
	assert_int_equal(mkdir(sub, 0777), 0);
	/* link2 -> sub/link1 -> ../real.html (relative to sub/) */
	assert_int_equal(symlink("../real.html", link1), 0);
	assert_int_equal(symlink("sub/link1", link2), 0);

	assert_null(lps_write_file_output(link2, "new\n", 4, 0644));
	assert_file(real, "new\n");
	/* the links stay links, naming what they named */
	assert_int_equal(lstat(link2, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	ssize_t n = readlink(link2, target, sizeof(target) - 1);
	assert_true(n > 0);
	target[n] = '\0';
	assert_string_equal(target, "sub/link1");
	assert_int_equal(lstat(link1, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	/* the file keeps its mode; no temporary beside it or the links */
	assert_int_equal(stat(real, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(entries(), 3);
	assert_int_equal(entries_in(sub), 1);

	/* a dangling link creates the file it names */
	char dangling[256], made[256];
	snprintf(dangling, sizeof(dangling), "%s", in_tmp("dangling"));
	snprintf(made, sizeof(made), "%s", in_tmp("made.txt"));
	assert_int_equal(symlink("made.txt", dangling), 0);
	assert_null(lps_write_file_output(dangling, "fresh\n", 6, 0666));
	assert_file(made, "fresh\n");
	assert_int_equal(lstat(dangling, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(stat(made, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);

	/* a link to a folder is a folder */
	char dlink[256], msg[300];
	snprintf(dlink, sizeof(dlink), "%s", in_tmp("dirlink"));
	assert_int_equal(symlink("sub", dlink), 0);
	snprintf(msg, sizeof(msg), "%s: is a directory; name a file to write",
		 dlink);
	expect_err(lps_write_file_output(dlink, "x", 1, 0644), LPS_ESYS, msg);
	umask(old);
}

static void test_output_special(void **state)
{
	(void)state;
	char msg[400];
	struct stat st;

	/* a character device is written in place */
	assert_null(lps_write_file_output("/dev/null", "x\n", 2, 0644));
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));

	/* a folder */
	snprintf(msg, sizeof(msg), "%s: is a directory; name a file to write",
		 tmp);
	expect_err(lps_write_file_output(tmp, "x", 1, 0644), LPS_ESYS, msg);

	/* a socket */
	char sock[256];
	snprintf(sock, sizeof(sock), "%s", in_tmp("sock"));
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_un sa;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	size_t len = strlen(sock);
	assert_true(len < sizeof(sa.sun_path));
	memcpy(sa.sun_path, sock, len + 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	snprintf(msg, sizeof(msg), "%s: is a socket, not a file; name a file "
		 "to write", sock);
	expect_err(lps_write_file_output(sock, "x", 1, 0644), LPS_ESYS, msg);
	close(fd);
	assert_int_equal(lstat(sock, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
}

/* A FIFO is written in place, for whoever reads it. */
static void test_output_fifo(void **state)
{
	(void)state;
	char fifo[256], got[256];
	snprintf(fifo, sizeof(fifo), "%s", in_tmp("fifo"));
	snprintf(got, sizeof(got), "%s", in_tmp("got"));
	assert_int_equal(mkfifo(fifo, 0600), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* the reader copies what arrives into got */
		FILE *in = fopen(fifo, "rb"), *out = fopen(got, "wb");
		if (!in || !out)
			_exit(1);
		int c;
		while ((c = fgetc(in)) != EOF)
			fputc(c, out);
		_exit(fclose(out) == 0 ? 0 : 1);
	}
	struct lps_error *err = lps_write_file_output(fifo, "piped\n", 6,
						      0644);
	if (err) {
		/* let the reader go before failing */
		int w = open(fifo, O_WRONLY | O_NONBLOCK);
		if (w >= 0)
			close(w);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_null(err);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_file(got, "piped\n");
	struct stat st;
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(entries(), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		cmocka_unit_test(test_init_and_add),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_grow_overflow),
		cmocka_unit_test(test_addf),
		cmocka_unit_test(test_reset_detach_free),
		T(test_read_file),
		T(test_read_empty),
		T(test_read_large),
		T(test_read_errors),
		T(test_write_atomic),
		T(test_write_atomic_errors),
		T(test_output_files),
		T(test_output_links),
		T(test_output_special),
		T(test_output_fifo),
#undef T
	};
	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
