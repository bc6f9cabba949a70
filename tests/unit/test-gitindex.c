/*
 * test-gitindex.c - git's index read as bytes and rewritten by splicing
 * (lib/gitindex.c), and the SHA-1 it uses (lib/sha1.c).
 *
 * The indexes are made by the real git in a temporary repository (or
 * from git's bytes, changed by hand), and what the module writes is
 * read back by git: its entries (git ls-files), its cache-tree (the
 * TREE extension, byte for byte what git writes for the same change),
 * and its checks (git fsck, git status).  What the module must leave to
 * libgit2 (lps_gitindex_open gives no index) is made the same way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2.h>

#include "gitindex.h"
#include "sha1.h"
#include "errassert.h"

static char home[64];
static char repo[64];
static char ixpath[128];

/* ------------------------------------------------------------ helpers */

/* Run a shell command in the repository; it must succeed. */
static void sh(const char *fmt, ...)
{
	char cmd[16384];
	int n = snprintf(cmd, sizeof(cmd), "cd '%s' && ", repo);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap);
	va_end(ap);
	if (system(cmd) != 0) {
		print_error("command failed: %s\n", cmd);
		fail();
	}
}

/* The output of a shell command run in the repository (caller frees). */
static char *capture(const char *fmt, ...)
{
	char cmd[16384];
	int n = snprintf(cmd, sizeof(cmd), "cd '%s' && ", repo);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t cap = 4096, len = 0;
	char *s = malloc(cap);
	assert_non_null(s);
	size_t r;
	while ((r = fread(s + len, 1, cap - len - 1, p)) > 0) {
		len += r;
		if (cap - len < 2) {
			cap *= 2;
			s = realloc(s, cap);
			assert_non_null(s);
		}
	}
	s[len] = '\0';
	assert_int_equal(pclose(p), 0);
	return s;
}

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	long size = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	unsigned char *b = malloc((size_t)size + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)size, fp), (size_t)size);
	fclose(fp);
	*n = (size_t)size;
	return b;
}

static void spit(const char *path, const void *data, size_t n)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Where the extensions of an index (v2/v3) start. */
static size_t ext_start(const unsigned char *d)
{
	uint32_t n = be32(d + 8);
	size_t p = 12;
	for (uint32_t i = 0; i < n; i++) {
		unsigned flags = (unsigned)d[p + 60] << 8 | d[p + 61];
		size_t start = (flags & 0x4000) ? 64 : 62;
		size_t len = flags & 0xfff;
		if (len == 0xfff)
			len = strlen((const char *)d + p + start);
		p += (start + len + 8) & ~(size_t)7;
	}
	return p;
}

/* The data of extension sig of the index file at path (caller frees;
 * NULL when it has none). */
static unsigned char *ext_data(const char *path, const char *sig,
			       size_t *len)
{
	size_t n;
	unsigned char *d = slurp(path, &n), *r = NULL;
	for (size_t p = ext_start(d); p + 8 <= n - 20;) {
		uint32_t sz = be32(d + p + 4);
		if (memcmp(d + p, sig, 4) == 0) {
			r = malloc(sz + 1);
			assert_non_null(r);
			memcpy(r, d + p + 8, sz);
			*len = sz;
			break;
		}
		p += 8 + sz;
	}
	free(d);
	return r;
}

/* Rewrite the index at path with the extension sig (data[0..len))
 * added after the others and a correct checksum. */
static void add_ext(const char *path, const char *sig, const char *data,
		    size_t len)
{
	size_t n;
	unsigned char *d = slurp(path, &n);
	unsigned char *o = malloc(n + 8 + len);
	assert_non_null(o);
	memcpy(o, d, n - 20);
	memcpy(o + n - 20, sig, 4);
	o[n - 16] = (unsigned char)(len >> 24);
	o[n - 15] = (unsigned char)(len >> 16);
	o[n - 14] = (unsigned char)(len >> 8);
	o[n - 13] = (unsigned char)len;
	memcpy(o + n - 12, data, len);
	lps_sha1(o + n - 12 + len, o, n - 12 + len);
	spit(path, o, n + 8 + len);
	free(o);
	free(d);
}

/* Recompute the checksum of the index at path. */
static void fix_sum(const char *path)
{
	size_t n;
	unsigned char *d = slurp(path, &n);
	lps_sha1(d + n - 20, d, n - 20);
	spit(path, d, n);
	free(d);
}

static struct lps_gitindex *open_ix(void)
{
	struct lps_gitindex *ix = NULL;
	ok(lps_gitindex_open(&ix, ixpath));
	return ix;
}

/* Write ix's changes and put the result in place of the index. */
static void write_ix(struct lps_gitindex *ix, lps_gitindex_racy_fn racy,
		     void *ctx)
{
	char tmp[160];
	snprintf(tmp, sizeof(tmp), "%s/.git/lps-index", repo);
	ok(lps_gitindex_write(ix, tmp, racy, ctx));
	assert_int_equal(rename(tmp, ixpath), 0);
	lps_gitindex_free(ix);
}

static void hex_to_id(unsigned char id[20], const char *hex)
{
	for (int i = 0; i < 20; i++) {
		unsigned v;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		id[i] = (unsigned char)v;
	}
}

/* Write a blob with git; its id into id. */
static void blob(unsigned char id[20], const char *content)
{
	char *hex = capture("printf '%%s' '%s' | git hash-object -w --stdin",
			    content);
	hex_to_id(id, hex);
	free(hex);
}

/* Stage path (a blob of content) through the module. */
static void add_entry(struct lps_gitindex *ix, const char *path,
		      const char *content)
{
	struct lps_gitindex_entry e = {
		.mode = 0100644, .size = (uint32_t)strlen(content),
		.mtime_sec = 1000, .ctime_sec = 1000, .path = path,
	};
	blob(e.id, content);
	ok(lps_gitindex_add(ix, &e));
}

static void expect_cmd(const char *want, const char *cmd)
{
	char *got = capture("%s", cmd);
	if (strcmp(got, want) != 0) {
		print_error("%s:\nexpected:\n%s\ngot:\n%s\n", cmd, want, got);
		free(got);
		fail();
	}
	free(got);
}

static void git_ok(void)
{
	sh("git fsck --strict --no-progress >/dev/null 2>&1");
}

static int setup(void **state)
{
	(void)state;
	strcpy(repo, "/tmp/lps-gitindex-test.XXXXXX");
	if (!mkdtemp(repo))
		return -1;
	snprintf(ixpath, sizeof(ixpath), "%s/.git/index", repo);
	char cmd[256];
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && git init -q -b main && git config user.name T &&"
		 " git config user.email t@example.org", repo);
	return system(cmd) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s2'", repo, repo);
	return system(cmd) == 0 ? 0 : -1;
}

/* ------------------------------------------------------------ SHA-1 */

static void expect_sha1(const char *hex, const void *data, size_t len)
{
	unsigned char want[20], got[20];
	hex_to_id(want, hex);
	lps_sha1(got, data, len);
	assert_memory_equal(got, want, 20);
}

/* The FIPS 180 examples, and a long message fed in odd pieces. */
static void sha1_vectors(void)
{
	expect_sha1("a9993e364706816aba3e25717850c26c9cd0d89d", "abc", 3);
	expect_sha1("da39a3ee5e6b4b0d3255bfef95601890afd80709", "", 0);
	expect_sha1("84983e441c3bd26ebaae4aa1f95129e5e54670f1",
		    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		    56);
	const char *m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklm"
			   "ghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
			   "mnopqrstnopqrstu";
	expect_sha1("a49b2446a02c645bf419f995b67091253a04a259", m896, 112);
	char *a = malloc(1000000);
	assert_non_null(a);
	memset(a, 'a', 1000000);
	expect_sha1("34aa973cd4c4daa4f61eeb2bdbad27316534016f", a, 1000000);
	struct lps_sha1 c;
	unsigned char got[20], want[20];
	lps_sha1_init(&c);
	for (size_t i = 0, step = 1; i < 1000000; i += step, step = step % 97 + 1)
		lps_sha1_update(&c, a + i, i + step <= 1000000 ? step :
					   1000000 - i);
	lps_sha1_final(&c, got);
	hex_to_id(want, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	assert_memory_equal(got, want, 20);
	free(a);
}

/* Every length around the block boundaries gives libgit2's blob ids. */
static void sha1_matches_libgit2(void)
{
	unsigned char data[600], buf[700], got[20];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 131 + 7);
	for (size_t len = 0; len < sizeof(data); len++) {
		int h = snprintf((char *)buf, 32, "blob %zu", len) + 1;
		memcpy(buf + h, data, len);
		lps_sha1(got, buf, (size_t)h + len);
		git_oid id;
		assert_int_equal(git_odb_hash(&id, data, len, GIT_OBJECT_BLOB),
				 0);
		assert_memory_equal(got, id.id, 20);
	}
}

/* Both ways of hashing blocks (the SHA extensions where the processor
 * has them, plain C) give the same digests, in any pieces. */
static void test_sha1(void **state)
{
	(void)state;
	for (int plain = 0; plain < 2; plain++) {
		lps_sha1__use_plain(plain);
		sha1_vectors();
		sha1_matches_libgit2();
	}
	size_t n = 300000;
	unsigned char *d = malloc(n), a[20], b[20];
	assert_non_null(d);
	uint32_t x = 12345;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245 + 12345;
		d[i] = (unsigned char)(x >> 16);
	}
	for (size_t len = 0; len < n; len = len * 3 + 61) {
		lps_sha1__use_plain(1);
		lps_sha1(a, d, len);
		lps_sha1__use_plain(0);
		struct lps_sha1 c;
		lps_sha1_init(&c);
		for (size_t i = 0, step = 1; i < len; i += step, step = step * 2 + 1)
			lps_sha1_update(&c, d + i, i + step <= len ? step : len - i);
		lps_sha1_final(&c, b);
		assert_memory_equal(a, b, 20);
	}
	free(d);
}

/* ------------------------------------------------------------ reading */

static void test_read_and_look_up(void **state)
{
	(void)state;
	sh("mkdir -p b/x && echo a >a && echo c >b/c && echo y >b/x/y &&"
	   " echo e >e && git add . && git commit -qm one");
	struct lps_gitindex *ix = open_ix();
	assert_non_null(ix);
	assert_int_equal(lps_gitindex_count(ix), 4);
	struct stat st;
	assert_int_equal(stat(ixpath, &st), 0);
	assert_int_equal(lps_gitindex_stat(ix)->st_ino, st.st_ino);
	const char *paths[] = { "a", "b/c", "b/x/y", "e" };
	for (size_t i = 0; i < 4; i++) {
		struct lps_gitindex_entry e;
		assert_int_equal(lps_gitindex_get(ix, paths[i], 0, &e), 1);
		assert_string_equal(e.path, paths[i]);
		assert_int_equal(e.path_len, strlen(paths[i]));
		assert_int_equal(e.mode, 0100644);
		assert_int_equal(e.stage, 0);
		char *hex = capture("git rev-parse :%s", paths[i]);
		unsigned char id[20];
		hex_to_id(id, hex);
		free(hex);
		assert_memory_equal(e.id, id, 20);
		struct stat fs;
		char full[256];
		snprintf(full, sizeof(full), "%s/%s", repo, paths[i]);
		assert_int_equal(stat(full, &fs), 0);
		assert_int_equal(e.size, (uint32_t)fs.st_size);
		assert_int_equal(e.ino, (uint32_t)fs.st_ino);
		assert_int_equal(e.mtime_sec, (uint32_t)fs.st_mtime);
	}
	struct lps_gitindex_entry e;
	assert_int_equal(lps_gitindex_get(ix, "b", 0, &e), 0);
	assert_int_equal(lps_gitindex_get(ix, "b/c", 1, &e), 0);
	assert_int_equal(lps_gitindex_get(ix, "zz", 0, &e), 0);
	assert_int_equal(lps_gitindex_get(ix, "", 0, &e), 0);
	lps_gitindex_free(ix);
	/* No index at all: none, and no error. */
	sh("rm .git/index");
	assert_null(open_ix());
}

/* ------------------------------------------------------------ writing */

static void test_add_replace_remove(void **state)
{
	(void)state;
	sh("mkdir -p b && echo a >a && echo c >b/c && echo e >e &&"
	   " git add . && git commit -qm one");
	struct lps_gitindex *ix = open_ix();
	assert_non_null(ix);
	add_entry(ix, "b/new", "new\n");
	add_entry(ix, "a", "A\n");
	ok(lps_gitindex_remove(ix, "e"));
	ok(lps_gitindex_remove(ix, "nothing/here"));
	add_entry(ix, "0first", "0\n");
	add_entry(ix, "z/last", "z\n");
	write_ix(ix, NULL, NULL);
	expect_cmd("0first\na\nb/c\nb/new\nz/last\n", "git ls-files");
	char *want = capture("printf 'A\\n' | git hash-object --stdin");
	char *got = capture("git rev-parse :a");
	assert_string_equal(got, want);
	free(got);
	free(want);
	/* git reads it, and commits from it. */
	sh("git commit -qm two && git fsck --strict --no-progress 2>/dev/null"
	   " && test \"$(git ls-tree -r --name-only HEAD | tr '\\n' ' ')\" ="
	   " '0first a b/c b/new z/last '");
	/* A path changed twice is an error, nothing written. */
	ix = open_ix();
	add_entry(ix, "a", "x\n");
	ok(lps_gitindex_remove(ix, "a"));
	char tmp[160];
	snprintf(tmp, sizeof(tmp), "%s/.git/lps-index", repo);
	struct lps_error *err = lps_gitindex_write(ix, tmp, NULL, NULL);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EINVALID);
	lps_error_free(err);
	assert_int_equal(access(tmp, F_OK), -1);
	lps_gitindex_free(ix);
}

/* The TREE extension comes out as git writes it for the same changes:
 * the nodes along each changed path invalidated, the others kept, a
 * folder that became a file dropped. */
static void test_tree_as_git_writes_it(void **state)
{
	(void)state;
	sh("mkdir -p b/x e h/i && echo a >a && echo c >b/c && echo d >b/d &&"
	   " echo y >b/x/y && echo f >e/f && echo g >g && echo j >h/i/j &&"
	   " git add . && git commit -qm one && cp -a . ../$(basename $PWD)2");
	size_t len;
	unsigned char *before = ext_data(ixpath, "TREE", &len);
	assert_non_null(before);
	free(before);

	struct lps_gitindex *ix = open_ix();
	ok(lps_gitindex_remove(ix, "b/c"));
	add_entry(ix, "b/x/new", "new\n");
	add_entry(ix, "e/f", "F\n");
	write_ix(ix, NULL, NULL);
	sh("cd ../$(basename $PWD)2 && git update-index --force-remove b/c &&"
	   " git update-index --add --cacheinfo 100644,$(printf 'new\\n' |"
	   " git hash-object -w --stdin),b/x/new && git update-index"
	   " --cacheinfo 100644,$(printf 'F\\n' | git hash-object -w --stdin),"
	   "e/f");

	char other[160];
	snprintf(other, sizeof(other), "%s2/.git/index", repo);
	size_t la, lb;
	unsigned char *a = ext_data(ixpath, "TREE", &la);
	unsigned char *b = ext_data(other, "TREE", &lb);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	free(a);
	free(b);
	char *mine = capture("git ls-files -s");
	char *theirs = capture("cd ../$(basename $PWD)2 && git ls-files -s");
	assert_string_equal(mine, theirs);
	free(mine);
	free(theirs);

	/* A file where a folder was, and a folder where a file was. */
	ix = open_ix();
	add_entry(ix, "g/h", "gh\n");
	add_entry(ix, "b/x", "bx\n");
	write_ix(ix, NULL, NULL);
	sh("cd ../$(basename $PWD)2 && git update-index --add --replace"
	   " --cacheinfo 100644,$(printf 'gh\\n' | git hash-object -w --stdin),"
	   "g/h && git update-index --add --replace --cacheinfo"
	   " 100644,$(printf 'bx\\n' | git hash-object -w --stdin),b/x");
	a = ext_data(ixpath, "TREE", &la);
	b = ext_data(other, "TREE", &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	free(a);
	free(b);
	mine = capture("git ls-files -s");
	theirs = capture("cd ../$(basename $PWD)2 && git ls-files -s");
	assert_string_equal(mine, theirs);
	free(mine);
	free(theirs);
	expect_cmd("a\nb/d\nb/x\ne/f\ng/h\nh/i/j\n", "git ls-files");
	/* git builds the same trees from it as from its own. */
	char *t1 = capture("git write-tree");
	char *t2 = capture("cd ../$(basename $PWD)2 && git write-tree");
	assert_string_equal(t1, t2);
	free(t1);
	free(t2);
	git_ok();
}

/* Conflict entries (stages 1-3) are found and kept. */
static void test_conflicts_kept(void **state)
{
	(void)state;
	sh("echo base >f && git add f && git commit -qm b &&"
	   " git checkout -qb side && echo side >f && git commit -qam s &&"
	   " git checkout -q main && echo main >f && git commit -qam m &&"
	   " (git merge side >/dev/null 2>&1 || :) &&"
	   " test \"$(git ls-files -u | wc -l)\" -eq 3");
	char *before = capture("git ls-files -s");
	struct lps_gitindex *ix = open_ix();
	assert_non_null(ix);
	struct lps_gitindex_entry e;
	assert_int_equal(lps_gitindex_get(ix, "f", 0, &e), 0);
	for (unsigned s = 1; s <= 3; s++) {
		assert_int_equal(lps_gitindex_get(ix, "f", s, &e), 1);
		assert_int_equal(e.stage, s);
	}
	add_entry(ix, "g", "g\n");
	add_entry(ix, "e", "e\n");
	write_ix(ix, NULL, NULL);
	char *after = capture("git ls-files -s | grep -v '	[eg]$'");
	assert_string_equal(after, before);
	free(after);
	free(before);
	expect_cmd("f\nf\nf\n", "git ls-files -u | cut -f2");
}

/* Version 3 with extended flags (skip-worktree, intent-to-add) stays
 * version 3 with its flags. */
static void test_v3_extended_flags(void **state)
{
	(void)state;
	sh("echo a >a && echo b >b && git add . && git commit -qm one &&"
	   " git update-index --skip-worktree a && echo n >n && git add -N n");
	size_t n;
	unsigned char *d = slurp(ixpath, &n);
	assert_int_equal(be32(d + 4), 3);
	free(d);
	struct lps_gitindex *ix = open_ix();
	assert_non_null(ix);
	struct lps_gitindex_entry e;
	assert_int_equal(lps_gitindex_get(ix, "a", 0, &e), 1);
	assert_int_equal(lps_gitindex_get(ix, "n", 0, &e), 1);
	char *hex = capture("git hash-object /dev/null");
	unsigned char empty[20];
	hex_to_id(empty, hex);
	free(hex);
	assert_memory_equal(e.id, empty, 20);
	add_entry(ix, "c", "c\n");
	add_entry(ix, "b", "B\n");
	write_ix(ix, NULL, NULL);
	d = slurp(ixpath, &n);
	assert_int_equal(be32(d + 4), 3);
	free(d);
	expect_cmd("S a\nH b\nH c\nH n\n", "git ls-files -t -v");
	expect_cmd(" A n\n", "git status --porcelain -uno | grep ' n$'");
}

/* Paths of 0xFFF bytes and more (their length is not in the flags). */
static void test_long_names(void **state)
{
	(void)state;
	char lng[5000], lng2[5000];
	size_t k = 0;
	for (int i = 0; i < 42; i++) {
		memset(lng + k, 'a' + i % 26, 99);
		k += 99;
		lng[k++] = '/';
	}
	memcpy(lng + k, "end", 4);
	assert_true(strlen(lng) > 0xfff);
	strcpy(lng2, lng);
	lng2[strlen(lng2) - 3] = 'z'; /* ".../znd": after lng */
	sh("echo a >a && git add a && git commit -qm one && git update-index"
	   " --add --cacheinfo 100644,$(git hash-object -w /dev/null),%s", lng);
	struct lps_gitindex *ix = open_ix();
	assert_non_null(ix);
	struct lps_gitindex_entry e;
	assert_int_equal(lps_gitindex_get(ix, lng, 0, &e), 1);
	assert_int_equal(e.path_len, strlen(lng));
	add_entry(ix, lng2, "z\n");
	add_entry(ix, "b", "b\n");
	write_ix(ix, NULL, NULL);
	char want[11000];
	/* The long paths start with "aaa": after "a", before "b". */
	snprintf(want, sizeof(want), "a\n%s\n%s\nb\n", lng, lng2);
	expect_cmd(want, "git ls-files");
	ix = open_ix();
	assert_non_null(ix);
	assert_int_equal(lps_gitindex_get(ix, lng2, 0, &e), 1);
	assert_int_equal(e.path_len, strlen(lng2));
	assert_int_equal(e.size, 2);
	lps_gitindex_free(ix);
}

/* ------------------------------------------------------------ racy */

struct racy_seen {
	char paths[8][16];
	int n;
};

static int racy_a(void *ctx, const struct lps_gitindex_entry *e)
{
	struct racy_seen *s = ctx;
	if (s->n < 8)
		snprintf(s->paths[s->n++], sizeof(s->paths[0]), "%s", e->path);
	return strcmp(e->path, "a") == 0;
}

/* Entries not older than the index file are offered to the racy check;
 * those it says differ are written with size 0, the others as they
 * were; entries written new are not offered. */
static void test_racy_smudge(void **state)
{
	(void)state;
	sh("echo aa >a && echo bb >b && echo cc >c && git add . &&"
	   " touch -d @2000000000 a b && touch -d @1000000000 c &&"
	   " git update-index --refresh -q >/dev/null;"
	   " touch -d @2000000000 .git/index");
	struct lps_gitindex *ix = open_ix();
	assert_non_null(ix);
	add_entry(ix, "b", "B\n");
	add_entry(ix, "d", "d\n");
	struct racy_seen seen = { 0 };
	write_ix(ix, racy_a, &seen);
	assert_int_equal(seen.n, 1); /* b is new, c older than the index */
	assert_string_equal(seen.paths[0], "a");
	char *dbg = capture("git ls-files --debug a c | grep size:");
	assert_string_equal(dbg, "  size: 0\tflags: 0\n  size: 3\tflags: 0\n");
	free(dbg);
	/* git now looks at a's content and finds it unchanged. */
	sh("git update-index -q --refresh >/dev/null; git diff-files --quiet a");
}

/* ------------------------------------------------------------ unusual */

static void expect_unusual(void)
{
	struct lps_gitindex *ix = (void *)1;
	ok(lps_gitindex_open(&ix, ixpath));
	assert_null(ix);
}

static void base_repo(void)
{
	sh("mkdir -p d && echo a >a && echo b >d/b && git add . &&"
	   " git commit -qm one");
}

static void test_unusual_v4(void **state)
{
	(void)state;
	base_repo();
	sh("git update-index --index-version 4");
	expect_unusual();
}

static void test_unusual_split(void **state)
{
	(void)state;
	base_repo();
	sh("git update-index --split-index");
	expect_unusual();
}

static void test_unusual_sparse(void **state)
{
	(void)state;
	base_repo();
	sh("git sparse-checkout set --cone --sparse-index d >/dev/null 2>&1;"
	   " git sparse-checkout set --cone --sparse-index d >/dev/null 2>&1");
	size_t n;
	unsigned char *sdir = ext_data(ixpath, "sdir", &n);
	assert_non_null(sdir);
	free(sdir);
	expect_unusual();
}

static void test_unusual_reuc(void **state)
{
	(void)state;
	sh("echo base >f && git add f && git commit -qm b &&"
	   " git checkout -qb side && echo side >f && git commit -qam s &&"
	   " git checkout -q main && echo main >f && git commit -qam m &&"
	   " (git merge side >/dev/null 2>&1 || :) && echo fixed >f &&"
	   " git add f");
	size_t n;
	unsigned char *reuc = ext_data(ixpath, "REUC", &n);
	assert_non_null(reuc);
	free(reuc);
	expect_unusual();
}

static void test_unusual_damage(void **state)
{
	(void)state;
	base_repo();
	size_t n;
	unsigned char *good = slurp(ixpath, &n);
	/* An unknown required extension; NAME (libgit2 keeps it). */
	add_ext(ixpath, "abcd", "xyz", 3);
	expect_unusual();
	spit(ixpath, good, n);
	add_ext(ixpath, "NAME", "", 0);
	expect_unusual();
	/* A bad checksum. */
	spit(ixpath, good, n);
	unsigned char *bad = malloc(n);
	assert_non_null(bad);
	memcpy(bad, good, n);
	bad[20] ^= 1;
	spit(ixpath, bad, n);
	expect_unusual();
	/* A bad header, a short file, an unknown version. */
	memcpy(bad, good, n);
	bad[3] = 'X';
	spit(ixpath, bad, n);
	fix_sum(ixpath);
	expect_unusual();
	spit(ixpath, good, 20);
	expect_unusual();
	memcpy(bad, good, n);
	bad[7] = 5;
	spit(ixpath, bad, n);
	fix_sum(ixpath);
	expect_unusual();
	/* Entries out of order: "a" and "d/b" swapped by name. */
	memcpy(bad, good, n);
	size_t e2 = 12 + ((62 + 1 + 8) & ~(size_t)7);
	assert_memory_equal(bad + 12 + 62, "a", 2);
	assert_memory_equal(bad + e2 + 62, "d/b", 4);
	bad[12 + 62] = 'e';
	spit(ixpath, bad, n);
	fix_sum(ixpath);
	expect_unusual();
	/* A TREE extension git would not write. */
	spit(ixpath, good, n);
	add_ext(ixpath, "TREE", "\0" "01 0\n", 6);
	expect_unusual();
	free(bad);
	free(good);
}

/* Optional extensions other than TREE are caches git rebuilds: read
 * past and dropped. */
static void test_caches_dropped(void **state)
{
	(void)state;
	base_repo();
	sh("git update-index --untracked-cache && git status >/dev/null &&"
	   " git -c index.threads=2 -c index.recordOffsetTable=true"
	   " -c index.recordEndOfIndexEntries=true status >/dev/null");
	add_ext(ixpath, "FSMN", "\0\0\0\2\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	add_ext(ixpath, "ZZZZ", "?", 1);
	size_t n;
	const char *sigs[] = { "UNTR", "EOIE", "IEOT", "FSMN", "ZZZZ" };
	for (size_t i = 0; i < 5; i++) {
		unsigned char *x = ext_data(ixpath, sigs[i], &n);
		if (!x)
			print_error("no %s\n", sigs[i]);
		assert_non_null(x);
		free(x);
	}
	struct lps_gitindex *ix = open_ix();
	assert_non_null(ix);
	add_entry(ix, "c", "c\n");
	write_ix(ix, NULL, NULL);
	for (size_t i = 0; i < 5; i++)
		assert_null(ext_data(ixpath, sigs[i], &n));
	unsigned char *t = ext_data(ixpath, "TREE", &n);
	assert_non_null(t);
	free(t);
	expect_cmd("a\nc\nd/b\n", "git ls-files");
	sh("git update-index --untracked-cache && git status >/dev/null");
	git_ok();
}

/* An index without a checksum (index.skipHash) is written without one. */
static void test_skip_hash(void **state)
{
	(void)state;
	base_repo();
	size_t n;
	unsigned char *d = slurp(ixpath, &n);
	memset(d + n - 20, 0, 20);
	spit(ixpath, d, n);
	free(d);
	struct lps_gitindex *ix = open_ix();
	assert_non_null(ix);
	add_entry(ix, "c", "c\n");
	write_ix(ix, NULL, NULL);
	d = slurp(ixpath, &n);
	static const unsigned char zero[20];
	assert_memory_equal(d + n - 20, zero, 20);
	free(d);
	expect_cmd("a\nc\nd/b\n", "git ls-files");
}

int main(void)
{
	strcpy(home, "/tmp/lps-gitindex-home.XXXXXX");
	if (!mkdtemp(home))
		return 4;
	setenv("HOME", home, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_INDEX_FILE");
	git_libgit2_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha1),
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_read_and_look_up),
		T(test_add_replace_remove),
		T(test_tree_as_git_writes_it),
		T(test_conflicts_kept),
		T(test_v3_extended_flags),
		T(test_long_names),
		T(test_racy_smudge),
		T(test_unusual_v4),
		T(test_unusual_split),
		T(test_unusual_sparse),
		T(test_unusual_reuc),
		T(test_unusual_damage),
		T(test_caches_dropped),
		T(test_skip_hash),
#undef T
	};
	int rc = cmocka_run_group_tests_name("gitindex", tests, NULL, NULL);
	git_libgit2_shutdown();
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", home);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	return rc;
}
