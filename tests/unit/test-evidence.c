/* Unit tests of lib/evidence: the name sanitising table, titles, media
 * type sniffing, size parsing and the config limit, reading files to
 * attach (refusals, the bound), blob ids, and the document builders. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evidence.h"
#include "registry.h"

static char tmp[256];

static int setup_tmp(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "%s/lps-test-evidence.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown_tmp(void **state)
{
	(void)state;
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void test_sanitize(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} table[] = {
		{ "../../etc/passwd", "passwd" },
		{ ".bashrc", "bashrc" },
		{ "a\nb.txt", "ab.txt" },
		{ "", "attachment" },
		{ "...", "attachment" },
		{ "dir/", "attachment" },
		{ "Reading log.pdf", "Reading-log.pdf" },
		{ "  two   spaces  .txt", "two-spaces-.txt" },
		{ "C:\\Users\\ada\\notes.md", "notes.md" },
		{ "-rf", "rf" },
		{ "--.x.-", "x" },
		{ "file.", "file" },
		{ "a*b?c<d>e|f\"g'h:i;j$k`l!m#n%o&p", "abcdefghijklmnop" },
		{ "keep_+,=@.-ok", "keep_+,=@.-ok" },
		{ "Prüfung für Schüler.pdf", "Prüfung-für-Schüler.pdf" },
		{ "数学の記録.csv", "数学の記録.csv" },
		{ "a\xc2\x85" "b", "ab" },               /* C1 NEL */
		{ "a\xe2\x80\x8b" "b", "ab" },           /* zero-width space */
		{ "evil\xe2\x80\xae" "fdp.exe", "evilfdp.exe" }, /* RLO */
		{ "a\xc2\xa0" "b", "a-b" },              /* no-break space */
		{ "bad\xff\xfe" "bytes\xc3", "badbytes" }, /* ill-formed */
		{ "\x7f\x01\x1b[31mred", "31mred" },
	};
	char out[LPS_EVIDENCE_NAME_MAX + 1];
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		lps_evidence_sanitize_name(out, sizeof(out), table[i].in);
		if (strcmp(out, table[i].out) != 0)
			fail_msg("sanitize(\"%s\") = \"%s\", expected \"%s\"",
				 table[i].in, out, table[i].out);
	}
}

static void test_sanitize_long(void **state)
{
	(void)state;
	char in[600], out[LPS_EVIDENCE_NAME_MAX + 1];
	/* 300 x 'a' + ".pdf": cut to 255 bytes keeping the extension. */
	memset(in, 'a', 300);
	strcpy(in + 300, ".pdf");
	lps_evidence_sanitize_name(out, sizeof(out), in);
	assert_int_equal(strlen(out), 255);
	assert_string_equal(out + 251, ".pdf");
	/* Two-byte letters are never cut in half. */
	in[0] = '\0';
	for (int i = 0; i < 200; i++)
		strcat(in, "\xc3\xa9");  /* é */
	lps_evidence_sanitize_name(out, sizeof(out), in);
	assert_int_equal(strlen(out), 254);
	/* A small output buffer is filled, not overrun. */
	char small[8];
	lps_evidence_sanitize_name(small, sizeof(small), "abcdefghij.txt");
	assert_string_equal(small, "abc.txt");
}

static void test_title(void **state)
{
	(void)state;
	char out[4 * LPS_EVIDENCE_TITLE_MAX + 1];
	lps_evidence_title_from_path(out, sizeof(out),
				     "/tmp/x/Reading  log\n2026.pdf");
	assert_string_equal(out, "Reading log2026.pdf");
	lps_evidence_title_from_path(out, sizeof(out), ".bashrc");
	assert_string_equal(out, ".bashrc");
	lps_evidence_title_from_path(out, sizeof(out), "\x01\x02");
	assert_string_equal(out, "attachment");
	char in[400];
	memset(in, 'x', 300);
	in[300] = '\0';
	lps_evidence_title_from_path(out, sizeof(out), in);
	assert_int_equal(strlen(out), LPS_EVIDENCE_TITLE_MAX);
}

static void test_media_type(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		const char *data;
		size_t len;
		const char *type;
	} table[] = {
		{ "x.bin", "%PDF-1.7\n\x80\x81", 11, "application/pdf" },
		{ "x", "\x89PNG\r\n\x1a\n\0\0", 10, "image/png" },
		{ "x.png", "\xff\xd8\xff\xe0\0\x10", 6, "image/jpeg" },
		{ "x", "GIF89a\x01\0", 8, "image/gif" },
		{ "x", "GIF87a", 6, "image/gif" },
		{ "x", "RIFF\x10\0\0\0WEBPVP8 ", 16, "image/webp" },
		{ "x", "RIFF\x10\0\0\0WAVEfmt ", 16, "application/octet-stream" },
		{ "r.docx", "PK\x03\x04\x14\0", 6,
		  "application/vnd.openxmlformats-officedocument."
		  "wordprocessingml.document" },
		{ "R.XLSX", "PK\x03\x04\x14\0", 6,
		  "application/vnd.openxmlformats-officedocument."
		  "spreadsheetml.sheet" },
		{ "s.pptx", "PK\x03\x04\x14\0", 6,
		  "application/vnd.openxmlformats-officedocument."
		  "presentationml.presentation" },
		{ "s.odt", "PK\x03\x04", 4, "application/vnd.oasis.opendocument.text" },
		{ "a.zip", "PK\x05\x06", 4, "application/zip" },
		{ "a.docx", "not a zip", 9, "text/plain" },
		{ "d.csv", "a,b\n1,2\n", 8, "text/csv" },
		{ "d.CSV", "\xef\xbb\xbf" "a,b\n", 7, "text/csv" },
		{ "n.md", "# Notes\n", 8, "text/markdown" },
		{ "n.markdown", "# Notes\n", 8, "text/markdown" },
		{ "n.txt", "caf\xc3\xa9\n", 6, "text/plain" },
		{ "empty", "", 0, "text/plain" },
		{ "n.csv", "a\0b", 3, "application/octet-stream" },
		{ "n.txt", "caf\xe9\n", 5, "application/octet-stream" },
		{ "c.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", 41,
		  "image/svg+xml" },
		{ "c", "<?xml version=\"1.0\"?>\n<!-- made by hand -->\n"
		       "<!DOCTYPE svg>\n<svg>", 64, "image/svg+xml" },
		{ "c.svg", "<svgx>", 6, "text/plain" },
		{ "c.svg", "<html><svg>", 11, "text/plain" },
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const char *t = lps_evidence_media_type(table[i].name,
							table[i].data,
							table[i].len);
		if (strcmp(t, table[i].type) != 0)
			fail_msg("media type #%zu (%s) = %s, expected %s", i,
				 table[i].name, t, table[i].type);
	}
}

static void test_parse_size(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		uint64_t out;
	} ok[] = {
		{ "0", 0 }, { "1", 1 }, { "1024", 1024 }, { "1k", 1024 },
		{ "2K", 2048 }, { "25m", 25u * 1024 * 1024 },
		{ "3M", 3u * 1024 * 1024 }, { "1g", 1u << 30 },
		{ "1G", 1u << 30 }, { "1073741824", 1u << 30 },
		{ "0001k", 1024 },
	};
	static const char *const bad[] = {
		"", "k", "-1", "+1", " 1", "1 ", "1kb", "1.5m", "1t", "0x10",
	};
	uint64_t v;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct lps_error *err = lps_evidence_parse_size(&v, ok[i].in);
		if (err)
			fail_msg("parse_size(\"%s\"): %s", ok[i].in, err->msg);
		assert_int_equal(v, ok[i].out);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct lps_error *err = lps_evidence_parse_size(&v, bad[i]);
		if (!err)
			fail_msg("parse_size(\"%s\") was accepted", bad[i]);
		assert_int_equal(err->code, LPS_EUSAGE);
		lps_error_free(err);
	}
	struct lps_error *err = lps_evidence_parse_size(&v, "abc");
	assert_string_equal(err->msg,
		"lps.maxAttachmentSize: invalid size \"abc\" (expected a "
		"number of bytes, optionally with a k, m or g suffix)");
	lps_error_free(err);
	static const char *const over[] = {
		"2g", "1025m", "1073741825", "99999999999999999999999999",
	};
	for (size_t i = 0; i < sizeof(over) / sizeof(over[0]); i++) {
		err = lps_evidence_parse_size(&v, over[i]);
		assert_non_null(err);
		assert_int_equal(err->code, LPS_EUSAGE);
		char want[200];
		snprintf(want, sizeof(want), "lps.maxAttachmentSize: \"%s\" is "
			 "over the largest size lps accepts (1g)", over[i]);
		assert_string_equal(err->msg, want);
		lps_error_free(err);
	}
}

static void test_max_size(void **state)
{
	(void)state;
	char dir[400];
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	uint64_t v = 0;

	snprintf(dir, sizeof(dir), "%s/repo", tmp);
	assert_int_equal(git_repository_init(&repo, dir, 0), 0);
	assert_null(lps_evidence_max_size(&v, repo));
	assert_int_equal(v, LPS_EVIDENCE_DEFAULT_MAX_SIZE);
	assert_int_equal(git_repository_config(&cfg, repo), 0);
	assert_int_equal(git_config_set_string(cfg, "lps.maxAttachmentSize",
					       "10k"), 0);
	assert_null(lps_evidence_max_size(&v, repo));
	assert_int_equal(v, 10240);
	assert_int_equal(git_config_set_string(cfg, "lps.maxattachmentsize",
					       "ten"), 0);
	struct lps_error *err = lps_evidence_max_size(&v, repo);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EUSAGE);
	lps_error_free(err);
	git_config_free(cfg);
	git_repository_free(repo);
}

static void test_read_file(void **state)
{
	(void)state;
	char path[400], msg[600];
	struct lps_buf b = LPS_BUF_INIT;
	struct lps_error *err;

	snprintf(path, sizeof(path), "%s/ten", tmp);
	write_file(path, "0123456789", 10);
	assert_null(lps_evidence_read_file(&b, path, 10));
	assert_int_equal(b.len, 10);
	assert_memory_equal(b.data, "0123456789", 10);
	/* One byte over the limit. */
	err = lps_evidence_read_file(&b, path, 9);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EINVALID);
	snprintf(msg, sizeof(msg), "%s: larger than lps.maxAttachmentSize "
		 "(9 bytes)", path);
	assert_string_equal(err->msg, msg);
	assert_int_equal(b.len, 0);
	lps_error_free(err);

	snprintf(path, sizeof(path), "%s/empty", tmp);
	write_file(path, "", 0);
	assert_null(lps_evidence_read_file(&b, path, 0));
	assert_int_equal(b.len, 0);

	/* A directory, a symlink (even to a good file), a FIFO, a device. */
	static const struct {
		const char *name, *what;
	} refused[] = {
		{ "dir", "a directory" }, { "link", "a symlink" },
		{ "fifo", "a FIFO" },
	};
	snprintf(path, sizeof(path), "%s/dir", tmp);
	assert_int_equal(mkdir(path, 0777), 0);
	snprintf(path, sizeof(path), "%s/link", tmp);
	assert_int_equal(symlink("ten", path), 0);
	snprintf(path, sizeof(path), "%s/fifo", tmp);
	assert_int_equal(mkfifo(path, 0600), 0);
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", tmp, refused[i].name);
		err = lps_evidence_read_file(&b, path, 100);
		assert_non_null(err);
		assert_int_equal(err->code, LPS_EINVALID);
		snprintf(msg, sizeof(msg), "%s: not a regular file (%s)", path,
			 refused[i].what);
		assert_string_equal(err->msg, msg);
		lps_error_free(err);
	}
	err = lps_evidence_read_file(&b, "/dev/null", 100);
	assert_non_null(err);
	assert_string_equal(err->msg,
			    "/dev/null: not a regular file (a device)");
	lps_error_free(err);

	snprintf(path, sizeof(path), "%s/missing", tmp);
	err = lps_evidence_read_file(&b, path, 100);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_ESYS);
	snprintf(msg, sizeof(msg), "%s: cannot open: No such file or "
		 "directory", path);
	assert_string_equal(err->msg, msg);
	lps_error_free(err);
	lps_buf_free(&b);
}

static void test_read_big(void **state)
{
	(void)state;
	/* Bigger than the first read chunk, exactly at the limit. */
	size_t n = 200000;
	char *data = malloc(n);
	assert_non_null(data);
	for (size_t i = 0; i < n; i++)
		data[i] = (char)(i * 7);
	char path[400];
	snprintf(path, sizeof(path), "%s/big", tmp);
	write_file(path, data, n);
	struct lps_buf b = LPS_BUF_INIT;
	assert_null(lps_evidence_read_file(&b, path, n));
	assert_int_equal(b.len, n);
	assert_memory_equal(b.data, data, n);
	struct lps_error *err = lps_evidence_read_file(&b, path, n - 1);
	assert_non_null(err);
	lps_error_free(err);
	lps_buf_free(&b);
	free(data);
}

static void test_blob_id(void **state)
{
	(void)state;
	char hex[LPS_EVIDENCE_BLOB_HEX];
	/* What `printf 'hello\n' | git hash-object --stdin` prints. */
	assert_null(lps_evidence_blob_id(hex, "hello\n", 6));
	assert_string_equal(hex, "ce013625030ba8dba906f756967f9e9ca394464a");
	assert_null(lps_evidence_blob_id(hex, "", 0));
	assert_string_equal(hex, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
}

static char *emit(const struct lps_node *n)
{
	struct lps_buf b = LPS_BUF_INIT;
	assert_null(lps_doc_emit(n, &b));
	return lps_buf_detach(&b, NULL);
}

static int valid_evidence(const struct lps_node *root)
{
	const struct lps_registry *reg;
	int valid = 0;
	assert_null(lps_registry_get(&reg));
	assert_null(lps_registry_validate(&valid, NULL, reg, "evidence", root));
	return valid;
}

static void test_new(void **state)
{
	(void)state;
	struct lps_evidence_fields f = {
		.id = "e-0a0b0c0d", .title = "Screener", .kind = "achievement",
		.date = "2026-10-01", .source = "District", .summary = "Up 8",
		.goal = "g-3f9a1c07",
		.attachment = { "s.csv", 25, "text/csv",
				"f682f6aa57d98e6a7a4c073adc24c6d25e2fe8f2" },
	};
	struct lps_doc *doc = NULL;
	assert_null(lps_evidence_new(&doc, &f));
	assert_string_equal(lps_doc_name(doc), "evidence/e-0a0b0c0d.yaml");
	struct lps_node *root = lps_doc_root(doc);
	char *y = emit(root);
	assert_string_equal(y,
		"lps: 1\n"
		"id: e-0a0b0c0d\n"
		"title: Screener\n"
		"kind: achievement\n"
		"date: 2026-10-01\n"
		"source: District\n"
		"summary: Up 8\n"
		"goals:\n"
		"  - g-3f9a1c07\n"
		"attachment:\n"
		"  name: s.csv\n"
		"  size: 25\n"
		"  media_type: text/csv\n"
		"  blob: f682f6aa57d98e6a7a4c073adc24c6d25e2fe8f2\n");
	free(y);
	assert_true(valid_evidence(root));
	char path[300];
	assert_int_equal(lps_evidence_attachment_path(path, sizeof(path), root),
			 0);
	assert_string_equal(path, "evidence/e-0a0b0c0d/s.csv");
	assert_int_equal(lps_evidence_attachment_path(path, 10, root), -1);

	/* Adding the same goal again changes nothing; another is appended. */
	assert_int_equal(lps_evidence_add_goal(doc, root, "g-3f9a1c07"), 0);
	assert_int_equal(lps_evidence_add_goal(doc, root, "g-00000001"), 1);
	const struct lps_node *g = lps_map_get(root, "goals");
	assert_int_equal(g->v.seq.n, 2);
	assert_string_equal(lps_node_str(g->v.seq.items[1]), "g-00000001");
	lps_doc_free(doc);

	/* Without file, source, summary or goal. */
	struct lps_evidence_fields bare = {
		.id = "e-00000001", .title = "Walkthrough notes",
		.kind = "observation", .date = "2026-10-02",
	};
	assert_null(lps_evidence_new(&doc, &bare));
	root = lps_doc_root(doc);
	y = emit(root);
	assert_string_equal(y,
		"lps: 1\n"
		"id: e-00000001\n"
		"title: Walkthrough notes\n"
		"kind: observation\n"
		"date: 2026-10-02\n");
	free(y);
	assert_true(valid_evidence(root));
	assert_int_equal(lps_evidence_attachment_path(path, sizeof(path), root),
			 -1);
	assert_int_equal(lps_evidence_add_goal(doc, root, "g-00000002"), 1);
	assert_true(valid_evidence(root));
	lps_doc_free(doc);
}

static void test_kinds(void **state)
{
	(void)state;
	size_t n = 0;
	while (lps_evidence_kinds[n])
		n++;
	assert_int_equal(n, 7);
	assert_string_equal(lps_evidence_kinds[5], "artifact");
}

int main(void)
{
	git_libgit2_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_sanitize_long),
		cmocka_unit_test(test_title),
		cmocka_unit_test(test_media_type),
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_max_size),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_read_big),
		cmocka_unit_test(test_blob_id),
		cmocka_unit_test(test_new),
		cmocka_unit_test(test_kinds),
	};
	int r = cmocka_run_group_tests(tests, setup_tmp, teardown_tmp);
	lps_registry_shutdown();
	git_libgit2_shutdown();
	return r;
}
