/*
 * runner.c - run the official JSON Schema test suite (draft 2020-12)
 * against liblps's schema validator.
 *
 * The suite is found at $LPS_CONFORMANCE_DIR, else at
 * <top>/../shared/conformance/json-schema-test-suite, where <top> is the
 * current directory when it is the lps source tree, else the tree that
 * holds this program.  Every file of remotes/ is served as
 * http://localhost:1234/<path> by adding it to each group's schema set,
 * together with lps's own meta-schema for the draft's URI
 * (tests/data/conformance/metaschema.yaml, which also stands in for the
 * draft's per-vocabulary meta-schemas .../meta/core etc. that remotes
 * refer to); nothing touches the network.
 *
 * Output: one line per file ("ok   ref.json (79 passed)" or "FAIL ..."
 * followed by each failing case), the files and groups not run and why,
 * then "# N passed, M failed".  Exit 1 when anything failed.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "doc.h"
#include "error.h"
#include "schema.h"

#define REMOTE_BASE "http://localhost:1234/"
#define META_URI "https://json-schema.org/draft/2020-12/schema"

/* Whole files lps does not run, and why (none at present: every file
 * of draft2020-12/ runs; optional/ is not read). */
static const struct {
	const char *file;
	const char *why;
} skipped_files[] = {
	{ NULL, NULL },
};

/* Keywords whose "unknown keyword" error marks a group as not run
 * (rather than failed) inside a file that is otherwise run (none at
 * present). */
static const char *const unsupported_keywords[] = {
	NULL,
};

struct remote {
	char *uri;
	char *text;
	size_t len;
};

static struct remote *remotes;
static size_t nremotes, capremotes;
static char *meta_text;
static size_t meta_len;

static int is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The lps source tree: the current directory, or above this program. */
static int find_top(char *top, size_t size, const char *argv0)
{
	char buf[PATH_MAX];
	if (getcwd(buf, sizeof(buf))) {
		char probe[PATH_MAX + 32];
		snprintf(probe, sizeof(probe), "%s/lib/schema.h", buf);
		if (is_file(probe)) {
			snprintf(top, size, "%s", buf);
			return 0;
		}
	}
	/* the program's own path, then its ancestors */
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n > 0)
		buf[n] = '\0';
	else
		snprintf(buf, sizeof(buf), "%s", argv0);
	for (;;) {
		char *slash = strrchr(buf, '/');
		if (!slash || slash == buf)
			return -1;
		*slash = '\0';
		char probe[PATH_MAX + 32];
		snprintf(probe, sizeof(probe), "%s/lib/schema.h", buf);
		if (is_file(probe)) {
			snprintf(top, size, "%s", buf);
			return 0;
		}
	}
}

static int read_all(const char *path, char **text, size_t *len)
{
	struct lps_buf b = LPS_BUF_INIT;
	struct lps_error *err = lps_buf_read_file(&b, path, 64u << 20);
	if (err) {
		char *m = lps_error_format(err);
		fprintf(stderr, "conformance: %s\n", m ? m : "cannot read");
		free(m);
		lps_error_free(err);
		lps_buf_free(&b);
		return -1;
	}
	*text = lps_buf_detach(&b, len);
	return 0;
}

static void load_remotes(const char *dir, const char *rel)
{
	char path[PATH_MAX];
	int k = snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (k < 0 || (size_t)k >= sizeof(path))
		return;
	struct dirent **ents;
	int n = scandir(path, &ents, NULL, alphasort);
	if (n < 0)
		return;
	for (int i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		char sub[PATH_MAX], full[PATH_MAX + 256];
		if (name[0] == '.')
			goto next;
		k = snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "",
			     name);
		if (k < 0 || (size_t)k >= sizeof(sub))
			goto next;
		k = snprintf(full, sizeof(full), "%s/%s", dir, sub);
		if (k < 0 || (size_t)k >= sizeof(full))
			goto next;
		if (is_dir(full)) {
			load_remotes(dir, sub);
			goto next;
		}
		if (nremotes == capremotes) {
			capremotes = capremotes ? capremotes * 2 : 64;
			remotes = realloc(remotes, capremotes * sizeof(*remotes));
			if (!remotes)
				abort();
		}
		struct remote *r = &remotes[nremotes];
		if (read_all(full, &r->text, &r->len) < 0)
			goto next;
		r->uri = malloc(strlen(REMOTE_BASE) + strlen(sub) + 1);
		if (!r->uri)
			abort();
		sprintf(r->uri, "%s%s", REMOTE_BASE, sub);
		nremotes++;
next:
		free(ents[i]);
	}
	free(ents);
}

/* Add one text as a schema document; errors are returned. */
static struct lps_error *add_text(struct lps_schema_set *set,
				  const char *name, const char *text,
				  size_t len, const char *uri)
{
	struct lps_doc *doc;
	struct lps_error *err = lps_doc_load(&doc, name, text, len, NULL);
	if (err)
		return err;
	return lps_schema_set_add(set, doc, uri, NULL);
}

/*
 * Remotes that lps cannot compile (other drafts' $schema, unsupported
 * keywords) are left out of every set; find them once.
 */
static unsigned char *remote_ok;

static void check_remotes(void)
{
	remote_ok = calloc(nremotes + 1, 1);
	if (!remote_ok)
		abort();
	for (size_t i = 0; i < nremotes; i++) {
		struct lps_schema_set *set;
		if (lps_schema_set_new(&set))
			abort();
		struct lps_error *err =
			add_text(set, remotes[i].uri, remotes[i].text,
				 remotes[i].len, remotes[i].uri);
		remote_ok[i] = err == NULL;
		lps_error_free(err);
		lps_schema_set_free(set);
	}
}

static struct lps_error *new_set(struct lps_schema_set **out)
{
	struct lps_error *err = lps_schema_set_new(out);
	if (err)
		return err;
	err = add_text(*out, "metaschema.yaml", meta_text, meta_len, META_URI);
	for (size_t i = 0; !err && i < nremotes; i++)
		if (remote_ok[i])
			err = add_text(*out, remotes[i].uri, remotes[i].text,
				       remotes[i].len, remotes[i].uri);
	return err;
}

static const char *str_of(const struct lps_node *map, const char *key)
{
	const char *s = lps_node_str(lps_map_get(map, key));
	return s ? s : "?";
}

struct totals {
	size_t passed, failed, skipped;
};

/* The unsupported keyword an error names, or NULL. */
static const char *unsupported(const struct lps_error *err)
{
	for (size_t i = 0; i < sizeof(unsupported_keywords) /
				       sizeof(*unsupported_keywords) &&
			   unsupported_keywords[i];
	     i++) {
		char want[96];
		snprintf(want, sizeof(want), "unknown keyword \"%s\"",
			 unsupported_keywords[i]);
		if (err->msg && strstr(err->msg, want))
			return unsupported_keywords[i];
	}
	return NULL;
}

static void run_group(const char *file, size_t gi, const struct lps_node *g,
		      struct totals *t, struct lps_buf *report)
{
	const struct lps_node *schema = lps_map_get(g, "schema");
	const struct lps_node *tests = lps_map_get(g, "tests");
	const char *gdesc = str_of(g, "description");
	size_t ncases = tests && tests->type == LPS_NODE_SEQ ? tests->v.seq.n : 0;
	if (!schema || !ncases) {
		lps_buf_addf(report, "    %s: malformed group\n", gdesc);
		t->failed++;
		return;
	}
	struct lps_schema_set *set = NULL;
	struct lps_doc *doc = NULL;
	const struct lps_schema *root = NULL;
	char name[512], uri[600];
	snprintf(name, sizeof(name), "%s[%zu]", file, gi);
	snprintf(uri, sizeof(uri), "lps-conformance:/%s/%zu", file, gi);
	struct lps_error *err = new_set(&set);
	if (!err)
		err = lps_doc_new(&doc, name);
	if (!err) {
		struct lps_node *copy = lps_doc_copy(doc, schema);
		if (!copy) {
			lps_doc_free(doc);
			err = lps_error_nomem();
		} else {
			lps_doc_set_root(doc, copy);
			err = lps_schema_set_add(set, doc, uri, &root);
		}
	}
	if (!err)
		err = lps_schema_set_resolve(set);
	if (err) {
		const char *kw = unsupported(err);
		if (kw) {
			lps_buf_addf(report, "    not run: \"%s\" (%zu cases): "
				     "%s is not supported\n", gdesc, ncases, kw);
			t->skipped += ncases;
		} else {
			char *m = lps_error_format(err);
			lps_buf_addf(report, "    \"%s\": schema error: %s\n",
				     gdesc, m ? m : "?");
			free(m);
			t->failed += ncases;
		}
		lps_error_free(err);
		lps_schema_set_free(set);
		return;
	}
	for (size_t i = 0; i < ncases; i++) {
		const struct lps_node *c = tests->v.seq.items[i];
		const struct lps_node *data = lps_map_get(c, "data");
		const struct lps_node *valid = lps_map_get(c, "valid");
		const char *cdesc = str_of(c, "description");
		if (!data || !valid || valid->type != LPS_NODE_BOOL) {
			lps_buf_addf(report, "    %s / %s: malformed case\n",
				     gdesc, cdesc);
			t->failed++;
			continue;
		}
		int want = valid->v.boolean;
		int got = lps_schema_validate(root, data, 0, NULL);
		/* the same answer must come with findings when collecting */
		struct lps_findings f = LPS_FINDINGS_INIT;
		int got2 = lps_schema_validate(root, data, 0, &f);
		int consistent = got2 == got && (got ? f.n == 0 : f.n > 0);
		if (got == want && consistent) {
			t->passed++;
		} else {
			t->failed++;
			lps_buf_addf(report, "    %s / %s: expected %s, got %s%s",
				     gdesc, cdesc, want ? "valid" : "invalid",
				     got < 0 ? "an error" : got ? "valid"
								: "invalid",
				     consistent ? "" : " (findings disagree)");
			if (f.n)
				lps_buf_addf(report, " [%s: %s]", f.items[0].path,
					     f.items[0].message);
			lps_buf_addc(report, '\n');
		}
		lps_findings_free(&f);
	}
	lps_schema_set_free(set);
}

static int hex4(const char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

/*
 * libyaml refuses JSON's UTF-16 surrogate-pair escapes ("\ud83d\udca9"),
 * which a few suite files use for characters beyond the BMP; write those
 * characters as UTF-8 before loading.  (In place: 12 bytes become 4.)
 */
static size_t fix_surrogates(char *t, size_t len)
{
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		unsigned hi, lo;
		if (t[i] == '\\' && i + 12 <= len && t[i + 1] == 'u' &&
		    !hex4(t + i + 2, &hi) && hi >= 0xd800 && hi <= 0xdbff &&
		    t[i + 6] == '\\' && t[i + 7] == 'u' &&
		    !hex4(t + i + 8, &lo) && lo >= 0xdc00 && lo <= 0xdfff) {
			unsigned cp = 0x10000 + ((hi - 0xd800) << 10) +
				      (lo - 0xdc00);
			t[o++] = (char)(0xf0 | (cp >> 18));
			t[o++] = (char)(0x80 | ((cp >> 12) & 0x3f));
			t[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			t[o++] = (char)(0x80 | (cp & 0x3f));
			i += 12;
		} else if (t[i] == '\\' && i + 1 < len) {
			t[o++] = t[i++];
			t[o++] = t[i++];
		} else {
			t[o++] = t[i++];
		}
	}
	t[o] = '\0';
	return o;
}

static int run_file(const char *dir, const char *file, struct totals *all)
{
	static char path[3 * PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	struct lps_doc *doc = NULL;
	char *text;
	size_t len;
	if (read_all(path, &text, &len) < 0) {
		printf("FAIL %s (cannot read)\n", file);
		all->failed++;
		return -1;
	}
	len = fix_surrogates(text, len);
	struct lps_error *err = lps_doc_load(&doc, path, text, len, NULL);
	free(text);
	if (err) {
		char *m = lps_error_format(err);
		printf("FAIL %s (cannot load: %s)\n", file, m ? m : "?");
		free(m);
		lps_error_free(err);
		all->failed++;
		return -1;
	}
	const struct lps_node *root = lps_doc_root(doc);
	struct totals t = { 0, 0, 0 };
	struct lps_buf report = LPS_BUF_INIT;
	if (root->type != LPS_NODE_SEQ) {
		lps_buf_adds(&report, "    not an array of groups\n");
		t.failed++;
	} else {
		for (size_t i = 0; i < root->v.seq.n; i++)
			run_group(file, i, root->v.seq.items[i], &t, &report);
	}
	if (t.failed)
		printf("FAIL %s (%zu passed, %zu failed", file, t.passed,
		       t.failed);
	else
		printf("ok   %s (%zu passed", file, t.passed);
	if (t.skipped)
		printf(", %zu not run", t.skipped);
	printf(")\n");
	if (report.len)
		fputs(report.data, stdout);
	lps_buf_free(&report);
	lps_doc_free(doc);
	all->passed += t.passed;
	all->failed += t.failed;
	all->skipped += t.skipped;
	return 0;
}

static int json_file(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return n > 5 && !strcmp(e->d_name + n - 5, ".json");
}

static const char *skip_reason(const char *file)
{
	for (size_t i = 0; i < sizeof(skipped_files) / sizeof(*skipped_files) &&
			   skipped_files[i].file;
	     i++)
		if (!strcmp(file, skipped_files[i].file))
			return skipped_files[i].why;
	return NULL;
}

int main(int argc, char **argv)
{
	char top[PATH_MAX], suite[PATH_MAX + 64], dir[PATH_MAX + 128];
	static char rdir[2 * PATH_MAX], meta[2 * PATH_MAX];
	(void)argc;
	if (find_top(top, sizeof(top), argv[0]) < 0) {
		fprintf(stderr, "conformance: cannot find the lps source tree\n");
		return 2;
	}
	const char *env = getenv("LPS_CONFORMANCE_DIR");
	if (env && *env)
		snprintf(suite, sizeof(suite), "%s", env);
	else
		snprintf(suite, sizeof(suite),
			 "%s/../shared/conformance/json-schema-test-suite", top);
	snprintf(dir, sizeof(dir), "%s/tests/draft2020-12", suite);
	if (!is_dir(dir)) {
		fprintf(stderr, "conformance: no test suite at %s\n", suite);
		printf("# 0 passed, 1 failed\n");
		return 1;
	}
	snprintf(meta, sizeof(meta), "%s/tests/data/conformance/metaschema.yaml",
		 top);
	if (read_all(meta, &meta_text, &meta_len) < 0) {
		printf("# 0 passed, 1 failed\n");
		return 1;
	}
	snprintf(rdir, sizeof(rdir), "%s/remotes", suite);
	load_remotes(rdir, "");
	check_remotes();
	size_t left_out = 0;
	for (size_t i = 0; i < nremotes; i++)
		left_out += !remote_ok[i];

	struct dirent **ents;
	int n = scandir(dir, &ents, json_file, alphasort);
	if (n < 0) {
		perror("conformance: scandir");
		return 1;
	}
	struct totals all = { 0, 0, 0 };
	size_t files_skipped = 0;
	for (int i = 0; i < n; i++) {
		const char *why = skip_reason(ents[i]->d_name);
		if (why) {
			printf("skip %s (%s)\n", ents[i]->d_name, why);
			files_skipped++;
		} else {
			run_file(dir, ents[i]->d_name, &all);
		}
		free(ents[i]);
	}
	free(ents);
	printf("# remotes: %zu served, %zu left out (other drafts or "
	       "unsupported keywords)\n", nremotes - left_out, left_out);
	printf("# files: %zu run, %zu skipped as unsupported; optional/ "
	       "not run\n", (size_t)n - files_skipped, files_skipped);
	if (all.skipped)
		printf("# %zu cases not run (unsupported keywords)\n",
		       all.skipped);
	printf("# %zu passed, %zu failed\n", all.passed, all.failed);
	for (size_t i = 0; i < nremotes; i++) {
		free(remotes[i].uri);
		free(remotes[i].text);
	}
	free(remotes);
	free(remote_ok);
	free(meta_text);
	return all.failed ? 1 : 0;
}
