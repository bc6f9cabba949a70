/*
 * test-registry.c - the schema registry: every built-in schema compiles,
 * the sample documents of tests/data/docs validate (or fail exactly as
 * expected), paths map to their schemas, LPS_SCHEMA_DIR overrides.
 *
 * Run from the top of the source tree (tests/run-all.sh does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry.h"

#define DOCS "tests/data/docs"

static void no_error(struct lps_error *err)
{
	if (err) {
		char *s = lps_error_format(err);

		fail_msg("unexpected error: %s", s ? s : "?");
	}
}

static struct lps_doc *load(const char *path)
{
	struct lps_doc *doc = NULL;

	no_error(lps_doc_load_file(&doc, path, NULL));
	return doc;
}

static struct lps_doc *load_text(const char *text)
{
	struct lps_doc *doc = NULL;

	no_error(lps_doc_load(&doc, "text.yaml", text, strlen(text), NULL));
	return doc;
}

static void test_builtin_schemas(void **state)
{
	static const char *const names[] = {
		"assessment", "check", "common", "evidence", "feedback",
		"framework", "goal", "log", "portfolio", "reflection",
	};
	struct lps_registry *reg = NULL;
	size_t i;

	(void)state;
	no_error(lps_registry_open(&reg, NULL));
	assert_null(lps_registry_dir(reg));
	assert_true(lps_registry_count(reg) >= 10);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct lps_schema *s = lps_registry_schema(reg, names[i]);
		char file[64];

		assert_non_null(s);
		snprintf(file, sizeof(file), "%s.schema.yaml", names[i]);
		assert_ptr_equal(lps_registry_schema(reg, file), s);
	}
	/* Names come back sorted and complete. */
	for (i = 1; i < lps_registry_count(reg); i++)
		assert_true(strcmp(lps_registry_name(reg, i - 1),
				   lps_registry_name(reg, i)) < 0);
	assert_null(lps_registry_name(reg, lps_registry_count(reg)));
	assert_null(lps_registry_schema(reg, "goa"));
	assert_null(lps_registry_schema(reg, "goals"));
	assert_null(lps_registry_schema(reg, ""));
	assert_null(lps_registry_schema(reg, ".schema.yaml"));
	assert_non_null(lps_registry_set(reg));

	assert_int_equal(lps_registry_framework_count(reg), 4);
	assert_string_equal(lps_registry_framework(reg, 0)->name,
			    "frameworks/issl.yaml");
	assert_string_equal(lps_registry_framework(reg, 1)->name,
			    "frameworks/lfl.yaml");
	assert_string_equal(lps_registry_framework(reg, 2)->name,
			    "frameworks/lps.yaml");
	assert_string_equal(lps_registry_framework(reg, 3)->name,
			    "frameworks/wsbc.yaml");
	assert_null(lps_registry_framework(reg, 4));
	lps_registry_free(reg);
	lps_registry_free(NULL);
}

static void test_process_wide(void **state)
{
	const struct lps_registry *a = NULL, *b = NULL;

	(void)state;
	unsetenv("LPS_SCHEMA_DIR");
	no_error(lps_registry_get(&a));
	no_error(lps_registry_get(&b));
	assert_non_null(a);
	assert_ptr_equal(a, b);
	assert_non_null(lps_registry_schema(a, "goal"));
	lps_registry_shutdown();
	lps_registry_shutdown(); /* twice is harmless */
	no_error(lps_registry_get(&b));
	assert_non_null(lps_registry_schema(b, "goal"));
}

static void test_path_mapping(void **state)
{
	static const struct {
		const char *path;
		const char *schema;
	} cases[] = {
		{ "lps.yaml", "portfolio" },
		{ "goals/g-3f9a1c07.yaml", "goal" },
		{ "goals/anything.yaml", "goal" },
		{ "evidence/e-0b1c2d3e.yaml", "evidence" },
		{ "reflections/r-12ab34cd.yaml", "reflection" },
		{ "feedback/f-9c8b7a6d.yaml", "feedback" },
		{ "assessments/2026-2027/issl-1a.yaml", "assessment" },
		{ "frameworks/riverside.yaml", "framework" },
		/* not documents */
		{ "evidence/e-0b1c2d3e/screener.pdf", NULL },
		{ "evidence/e-0b1c2d3e/notes.yaml", NULL },
		{ "goals/g-3f9a1c07.yml", NULL },
		{ "goals/.yaml", NULL },
		{ "goals/.hidden.yaml", NULL },
		{ "goals/sub/g-3f9a1c07.yaml", NULL },
		{ "goals/", NULL },
		{ "goals", NULL },
		{ "goal/g-3f9a1c07.yaml", NULL },
		{ "assessments/issl-1a.yaml", NULL },
		{ "assessments//issl-1a.yaml", NULL },
		{ "assessments/.x/issl-1a.yaml", NULL },
		{ "assessments/2026/a/issl-1a.yaml", NULL },
		{ "sub/lps.yaml", NULL },
		{ "lps.yml", NULL },
		{ "README.md", NULL },
		{ "", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = lps_registry_schema_for_path(cases[i].path);

		if (!cases[i].schema) {
			if (got)
				fail_msg("%s: expected no schema, got %s",
					 cases[i].path, got);
			continue;
		}
		if (!got || strcmp(got, cases[i].schema))
			fail_msg("%s: expected %s, got %s", cases[i].path,
				 cases[i].schema, got ? got : "(none)");
	}
	assert_true(lps_registry_is_document("goal"));
	assert_true(lps_registry_is_document("framework.schema.yaml"));
	assert_false(lps_registry_is_document("check"));
	assert_false(lps_registry_is_document("common"));
	assert_false(lps_registry_is_document("goals"));
}

/* The places of lps check: documents, attachments, strays, the rest. */
static void test_places(void **state)
{
	static const struct {
		const char *path;
		enum lps_registry_place_kind kind;
		const char *schema, *owner, *name;
	} cases[] = {
		{ "lps.yaml", LPS_PLACE_DOCUMENT, "portfolio", NULL, NULL },
		{ "goals/g-3f9a1c07.yaml", LPS_PLACE_DOCUMENT, "goal", NULL,
		  NULL },
		{ "assessments/2026-2027/issl-1a.yaml", LPS_PLACE_DOCUMENT,
		  "assessment", NULL, NULL },
		{ "evidence/e-0b1c2d3e/screener.pdf", LPS_PLACE_ATTACHMENT,
		  NULL, "e-0b1c2d3e", "screener.pdf" },
		{ "evidence/x/notes.yaml", LPS_PLACE_ATTACHMENT, NULL, "x",
		  "notes.yaml" },
		{ "evidence/e-0b1c2d3e/a/b", LPS_PLACE_STRAY, NULL, NULL, NULL },
		{ "evidence//a", LPS_PLACE_STRAY, NULL, NULL, NULL },
		{ "evidence/README", LPS_PLACE_STRAY, NULL, NULL, NULL },
		{ "goals/sub/g-3f9a1c07.yaml", LPS_PLACE_STRAY, NULL, NULL,
		  NULL },
		{ "feedback/README", LPS_PLACE_STRAY, NULL, NULL, NULL },
		{ "assessments/stray.yaml", LPS_PLACE_STRAY, NULL, NULL, NULL },
		{ "assessments/2026/a/x.yaml", LPS_PLACE_STRAY, NULL, NULL,
		  NULL },
		{ "goals/.hidden.yaml", LPS_PLACE_OTHER, NULL, NULL, NULL },
		{ "evidence/.DS_Store", LPS_PLACE_OTHER, NULL, NULL, NULL },
		{ ".git/config", LPS_PLACE_OTHER, NULL, NULL, NULL },
		{ "README.md", LPS_PLACE_OTHER, NULL, NULL, NULL },
		{ "notes/x.yaml", LPS_PLACE_OTHER, NULL, NULL, NULL },
	};
	size_t i, nfolders = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct lps_registry_place pl;

		lps_registry_place(&pl, cases[i].path);
		if (pl.kind != cases[i].kind)
			fail_msg("%s: expected kind %d, got %d", cases[i].path,
				 (int)cases[i].kind, (int)pl.kind);
		if (cases[i].schema)
			assert_string_equal(pl.schema, cases[i].schema);
		else
			assert_null(pl.schema);
		if (cases[i].owner) {
			assert_int_equal(pl.owner_len, strlen(cases[i].owner));
			assert_memory_equal(pl.owner, cases[i].owner,
					    pl.owner_len);
			assert_string_equal(pl.name, cases[i].name);
		} else {
			assert_null(pl.owner);
			assert_null(pl.name);
		}
	}
	/* Every folder's documents are places of that folder. */
	for (i = 0; i < lps_registry_folder_count(); i++) {
		const struct lps_registry_folder *f = lps_registry_folder(i);
		char path[128];

		snprintf(path, sizeof(path), "%s%sx.yaml", f->dir,
			 f->depth ? "c/" : "");
		if (strcmp(f->dir, "evidence/") == 0)
			snprintf(path, sizeof(path), "evidence/x.yaml");
		assert_non_null(lps_registry_schema_for_path(path));
		nfolders++;
	}
	assert_int_equal(nfolders, 6);
	assert_null(lps_registry_folder(6));
}

static void test_valid_samples(void **state)
{
	static const char *const paths[] = {
		"lps.yaml",
		"goals/g-3f9a1c07.yaml",
		"goals/g-a0b1c2d3.yaml",
		"goals/g-5e6f7a8b.yaml",
		"goals/g-11223344.yaml",
		"evidence/e-0b1c2d3e.yaml",
		"evidence/e-77aa88bb.yaml",
		"reflections/r-12ab34cd.yaml",
		"feedback/f-9c8b7a6d.yaml",
		"feedback/f-00ff11ee.yaml",
		"assessments/2026-2027/issl-1a.yaml",
		"frameworks/riverside.yaml",
	};
	const struct lps_registry *reg;
	size_t i;

	(void)state;
	no_error(lps_registry_get(&reg));
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct lps_findings f = LPS_FINDINGS_INIT;
		char file[256];
		struct lps_doc *doc;
		int valid = -1;

		snprintf(file, sizeof(file), DOCS "/valid/%s", paths[i]);
		doc = load(file);
		no_error(lps_registry_validate_path(&valid, &f, reg, paths[i],
						    lps_doc_root(doc)));
		if (!valid || f.n)
			fail_msg("%s: expected valid, first finding %s: %s",
				 file, f.n ? f.items[0].path : "-",
				 f.n ? f.items[0].message : "-");
		lps_findings_free(&f);
		lps_doc_free(doc);
	}
}

/* The first finding of each invalid sample, and how many there are. */
static const struct {
	const char *file;
	const char *schema;
	size_t count;
	const char *path;
	const char *keyword;
	unsigned line, col;
} invalid[] = {
	{ "goal-target-ten.yaml", "goal", 1,
	  "indicators[0].target", "type", 12, 13 },
	{ "goal-bad-id.yaml", "goal", 1, "id", "pattern", 2, 5 },
	/* additionalProperties: the object's path, the key's place */
	{ "goal-unknown-key.yaml", "goal", 1,
	  "", "additionalProperties", 8, 1 },
	{ "goal-dropped-no-reason.yaml", "goal", 1, "", "required", 1, 1 },
	{ "goal-done-no-date.yaml", "goal", 1, "actions[0]", "required", 9, 5 },
	{ "goal-bad-date.yaml", "goal", 1, "created", "format", 7, 10 },
	{ "goal-version-string.yaml", "goal", 1, "lps", "const", 1, 6 },
	{ "goal-bad-standards.yaml", "goal", 2,
	  "standards", "uniqueItems", 8, 12 },
	{ "evidence-bad-kind.yaml", "evidence", 4, "kind", "enum", 4, 7 },
	{ "reflection-missing-body.yaml", "reflection", 3,
	  "", "required", 1, 1 },
	{ "portfolio-missing-owner.yaml", "portfolio", 1,
	  "", "required", 1, 1 },
	{ "feedback-bad-kind.yaml", "feedback", 1, "kind", "enum", 5, 7 },
	{ "assessment-bad-rating.yaml", "assessment", 1,
	  "rating", "enum", 5, 9 },
	{ "framework-bad-prompt.yaml", "framework", 1,
	  "standards[0].prompts[0].id", "pattern", 8, 13 },
	{ "not-a-mapping.yaml", "goal", 1, "", "type", 1, 1 },
};

static void test_invalid_samples(void **state)
{
	const struct lps_registry *reg;
	size_t i;

	(void)state;
	no_error(lps_registry_get(&reg));
	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		struct lps_findings f = LPS_FINDINGS_INIT;
		char file[256];
		struct lps_doc *doc;
		int valid = -1;

		snprintf(file, sizeof(file), DOCS "/invalid/%s",
			 invalid[i].file);
		doc = load(file);
		no_error(lps_registry_validate(&valid, &f, reg,
					       invalid[i].schema,
					       lps_doc_root(doc)));
		assert_int_equal(valid, 0);
		if (f.n != invalid[i].count ||
		    strcmp(f.items[0].path, invalid[i].path) ||
		    strcmp(f.items[0].keyword, invalid[i].keyword) ||
		    f.items[0].line != invalid[i].line ||
		    f.items[0].col != invalid[i].col)
			fail_msg("%s: expected %zu finding(s), first %s:%u:%u "
				 "%s; got %zu, first %s:%u:%u %s (%s)",
				 file, invalid[i].count, invalid[i].path,
				 invalid[i].line, invalid[i].col,
				 invalid[i].keyword, f.n,
				 f.n ? f.items[0].path : "-",
				 f.n ? f.items[0].line : 0,
				 f.n ? f.items[0].col : 0,
				 f.n ? f.items[0].keyword : "-",
				 f.n ? f.items[0].message : "-");
		lps_findings_free(&f);
		lps_doc_free(doc);
	}
}

static void test_target_ten_message(void **state)
{
	struct lps_findings f = LPS_FINDINGS_INIT;
	const struct lps_registry *reg;
	struct lps_doc *doc;
	int valid = -1;

	(void)state;
	no_error(lps_registry_get(&reg));
	doc = load(DOCS "/invalid/goal-target-ten.yaml");
	no_error(lps_registry_validate_path(&valid, &f, reg,
					    "goals/g-3f9a1c07.yaml",
					    lps_doc_root(doc)));
	assert_int_equal(valid, 0);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.items[0].message,
			    "expected number, got string \"ten\"");
	lps_findings_free(&f);
	/* Without a findings list only the answer comes back. */
	no_error(lps_registry_validate_path(&valid, NULL, reg,
					    "goals/g-3f9a1c07.yaml",
					    lps_doc_root(doc)));
	assert_int_equal(valid, 0);
	lps_doc_free(doc);
}

static void test_future_version(void **state)
{
	struct lps_findings f = LPS_FINDINGS_INIT;
	const struct lps_registry *reg;
	struct lps_doc *doc;
	int valid = -1;

	(void)state;
	no_error(lps_registry_get(&reg));
	doc = load(DOCS "/invalid/goal-future-version.yaml");
	no_error(lps_registry_validate(&valid, &f, reg, "goal",
				       lps_doc_root(doc)));
	assert_int_equal(valid, 0);
	/* Only the version is reported, not the unknown key after it. */
	assert_int_equal(f.n, 1);
	assert_string_equal(f.items[0].path, "lps");
	assert_string_equal(f.items[0].keyword, "const");
	assert_int_equal(f.items[0].line, 1);
	assert_int_equal(f.items[0].col, 6);
	assert_string_equal(f.items[0].message,
			    "format version 2 is not supported: this lps "
			    "reads version 1 (the file comes from a newer "
			    "lps; upgrade lps)");
	lps_findings_free(&f);
	lps_doc_free(doc);

	/* Version 0 is refused the same way, without the upgrade hint. */
	doc = load_text("lps: 0\n");
	no_error(lps_registry_validate(&valid, &f, reg, "evidence",
				       lps_doc_root(doc)));
	assert_int_equal(valid, 0);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.items[0].message,
			    "format version 0 is not supported: this lps "
			    "reads version 1");
	lps_findings_free(&f);
	lps_doc_free(doc);
}

static void test_unknown_schema_and_path(void **state)
{
	const struct lps_registry *reg;
	struct lps_error *err;
	struct lps_doc *doc;
	int valid = -1;
	char *msg;

	(void)state;
	no_error(lps_registry_get(&reg));
	doc = load_text("lps: 1\n");
	err = lps_registry_validate(&valid, NULL, reg, "nope",
				    lps_doc_root(doc));
	assert_non_null(err);
	assert_int_equal(err->code, LPS_ENOTFOUND);
	assert_string_equal(err->msg, "no schema named nope");
	lps_error_free(err);
	err = lps_registry_validate_path(&valid, NULL, reg, "notes/x.yaml",
					 lps_doc_root(doc));
	assert_non_null(err);
	assert_int_equal(err->code, LPS_ENOTFOUND);
	msg = lps_error_format(err);
	assert_string_equal(msg,
			    "notes/x.yaml: lps keeps no document at this path");
	free(msg);
	lps_error_free(err);
	assert_int_equal(valid, 0);
	lps_doc_free(doc);
}

/* Output schemas accept what lps check / lps log are to print. */
static void test_output_schemas(void **state)
{
	static const struct {
		const char *schema;
		const char *text;
		int valid;
	} cases[] = {
		{ "check", "{\"ok\": true, \"revision\": null, "
		  "\"documents\": 0, \"findings\": []}", 1 },
		{ "check", "{\"ok\": false, \"revision\": "
		  "\"9daeafb9864cf43055ae93beb0afd6c7d144bfa4\", "
		  "\"documents\": 3, \"findings\": [{\"path\": "
		  "\"goals/g-3f9a1c07.yaml\", \"line\": 7, \"col\": 12, "
		  "\"keyword\": \"type\", \"message\": \"expected number\"}]}",
		  1 },
		{ "check", "{\"ok\": true, \"revision\": \"HEAD\", "
		  "\"documents\": 0, \"findings\": []}", 0 },
		{ "check", "{\"ok\": true, \"documents\": 0, "
		  "\"findings\": []}", 0 },
		{ "log", "{\"entries\": [{\"commit\": "
		  "\"9daeafb9864cf43055ae93beb0afd6c7d144bfa4\", "
		  "\"date\": \"2026-09-01T10:00:00+00:00\", "
		  "\"author\": \"Test Leader <leader@example.org>\", "
		  "\"subject\": \"phase: focus -> structures\", "
		  "\"command\": \"phase advance\", \"phase\": \"focus\", "
		  "\"phase_from\": \"focus\", \"phase_to\": \"structures\", "
		  "\"forced\": \"district deadline\"}]}", 1 },
		{ "log", "{\"entries\": [{\"commit\": \"abc\", "
		  "\"date\": \"yesterday\", \"author\": \"a\", "
		  "\"subject\": \"s\", \"command\": \"init\", "
		  "\"phase\": \"purpose\"}]}", 0 },
		{ "log", "{\"entries\": []}", 1 },
	};
	const struct lps_registry *reg;
	size_t i;

	(void)state;
	no_error(lps_registry_get(&reg));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct lps_doc *doc = load_text(cases[i].text);
		int valid = -1;

		no_error(lps_registry_validate(&valid, NULL, reg,
					       cases[i].schema,
					       lps_doc_root(doc)));
		if (valid != cases[i].valid)
			fail_msg("case %zu (%s): expected %s", i,
				 cases[i].schema,
				 cases[i].valid ? "valid" : "invalid");
		lps_doc_free(doc);
	}
}

/*
 * Files are written with keys in the order the schema lists them, also
 * inside $defs reached through $ref (indicators, measurements, actions).
 */
static void test_canonical_key_order(void **state)
{
	static const char shuffled[] =
		"actions:\n"
		"  - status: done\n    done: 2026-09-29\n"
		"    text: Weekly data team\n    id: s1\n"
		"created: 2026-09-02\n"
		"indicators:\n"
		"  - measurements:\n"
		"      - value: 58\n        date: 2026-09-20\n"
		"    target: 75\n    baseline: 58\n"
		"    measure: Students at benchmark\n    id: k1\n"
		"status: active\ncycle: 2026-2027\ntitle: Raise reading\n"
		"agenda: student\nid: g-3f9a1c07\nlps: 1\n";
	static const char canonical[] =
		"lps: 1\n"
		"id: g-3f9a1c07\n"
		"title: Raise reading\n"
		"agenda: student\n"
		"status: active\n"
		"cycle: 2026-2027\n"
		"created: 2026-09-02\n"
		"indicators:\n"
		"  - id: k1\n"
		"    measure: Students at benchmark\n"
		"    baseline: 58\n"
		"    target: 75\n"
		"    measurements:\n"
		"      - date: 2026-09-20\n"
		"        value: 58\n"
		"actions:\n"
		"  - id: s1\n"
		"    text: Weekly data team\n"
		"    status: done\n"
		"    done: 2026-09-29\n";
	const struct lps_registry *reg;
	struct lps_buf out = LPS_BUF_INIT;
	struct lps_doc *doc;
	int valid = -1;

	(void)state;
	no_error(lps_registry_get(&reg));
	doc = load_text(shuffled);
	no_error(lps_registry_validate(&valid, NULL, reg, "goal",
				       lps_doc_root(doc)));
	assert_int_equal(valid, 1);
	lps_schema_sort_keys(lps_registry_schema(reg, "goal"),
			     lps_doc_root(doc));
	no_error(lps_doc_emit(lps_doc_root(doc), &out));
	assert_string_equal(out.data, canonical);
	lps_buf_free(&out);
	lps_doc_free(doc);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void test_schema_dir_override(void **state)
{
	char dir[] = "/tmp/lps-registry-XXXXXX";
	char path[256];
	const struct lps_registry *reg;
	struct lps_findings f = LPS_FINDINGS_INIT;
	struct lps_error *err;
	struct lps_doc *doc;
	int valid = -1;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/goal.schema.yaml", dir);
	write_file(path,
		   "$schema: https://json-schema.org/draft/2020-12/schema\n"
		   "$id: https://lps.invalid/schemas/goal.schema.yaml\n"
		   "type: object\n"
		   "required: [dev]\n");
	snprintf(path, sizeof(path), "%s/README", dir);
	write_file(path, "not a schema\n");

	setenv("LPS_SCHEMA_DIR", dir, 1);
	lps_registry_shutdown();
	no_error(lps_registry_get(&reg));
	assert_string_equal(lps_registry_dir(reg), dir);
	assert_int_equal(lps_registry_count(reg), 1);
	assert_null(lps_registry_schema(reg, "portfolio"));
	/* No frameworks/ folder there: the built-in frameworks stay. */
	assert_int_equal(lps_registry_framework_count(reg), 4);
	doc = load(DOCS "/valid/goals/g-3f9a1c07.yaml");
	no_error(lps_registry_validate(&valid, &f, reg, "goal",
				       lps_doc_root(doc)));
	assert_int_equal(valid, 0);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.items[0].keyword, "required");
	lps_findings_free(&f);
	lps_doc_free(doc);

	/* A frameworks/ folder replaces the built-in frameworks. */
	snprintf(path, sizeof(path), "%s/frameworks", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/frameworks/dev.yaml", dir);
	write_file(path, "lps: 1\nname: dev\n");
	lps_registry_shutdown();
	no_error(lps_registry_get(&reg));
	assert_int_equal(lps_registry_framework_count(reg), 1);
	assert_string_equal(lps_registry_framework(reg, 0)->name,
			    "frameworks/dev.yaml");
	assert_string_equal(lps_registry_framework(reg, 0)->data,
			    "lps: 1\nname: dev\n");
	assert_int_equal(lps_registry_framework(reg, 0)->len, 17);
	unlink(path);
	snprintf(path, sizeof(path), "%s/frameworks", dir);
	rmdir(path);

	/* A schema that does not compile names its file. */
	snprintf(path, sizeof(path), "%s/bad.schema.yaml", dir);
	write_file(path,
		   "$schema: https://json-schema.org/draft/2020-12/schema\n"
		   "type: object\n"
		   "frobnicate: true\n");
	lps_registry_shutdown();
	err = lps_registry_get(&reg);
	assert_non_null(err);
	assert_null(reg);
	assert_int_equal(err->code, LPS_EINVALID);
	assert_non_null(err->file);
	assert_non_null(strstr(err->file, "bad.schema.yaml"));
	assert_int_equal(err->line, 3);
	lps_error_free(err);
	unlink(path);

	/* A missing directory is a clear error naming the variable. */
	snprintf(path, sizeof(path), "%s/missing", dir);
	setenv("LPS_SCHEMA_DIR", path, 1);
	err = lps_registry_get(&reg);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_ENOTFOUND);
	assert_non_null(strstr(err->msg, "LPS_SCHEMA_DIR="));
	lps_error_free(err);

	/* An empty value means the built-in schemas. */
	setenv("LPS_SCHEMA_DIR", "", 1);
	no_error(lps_registry_get(&reg));
	assert_null(lps_registry_dir(reg));
	assert_non_null(lps_registry_schema(reg, "portfolio"));
	lps_registry_shutdown();
	unsetenv("LPS_SCHEMA_DIR");

	snprintf(path, sizeof(path), "%s/goal.schema.yaml", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/README", dir);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

/* The schema directory of the source tree gives the same answers. */
static void test_source_dir(void **state)
{
	struct lps_registry *reg = NULL, *builtin = NULL;
	size_t i;

	(void)state;
	no_error(lps_registry_open(&reg, "schemas"));
	no_error(lps_registry_open(&builtin, NULL));
	assert_int_equal(lps_registry_count(reg), lps_registry_count(builtin));
	for (i = 0; i < lps_registry_count(reg); i++)
		assert_string_equal(lps_registry_name(reg, i),
				    lps_registry_name(builtin, i));
	assert_int_equal(lps_registry_framework_count(reg), 4);
	for (i = 0; i < 4; i++) {
		const struct lps_registry_file *a, *b;

		a = lps_registry_framework(reg, i);
		b = lps_registry_framework(builtin, i);
		assert_string_equal(a->name, b->name);
		assert_int_equal(a->len, b->len);
		assert_memory_equal(a->data, b->data, a->len);
	}
	lps_registry_free(reg);
	lps_registry_free(builtin);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_schemas),
		cmocka_unit_test(test_process_wide),
		cmocka_unit_test(test_path_mapping),
		cmocka_unit_test(test_places),
		cmocka_unit_test(test_valid_samples),
		cmocka_unit_test(test_invalid_samples),
		cmocka_unit_test(test_target_ten_message),
		cmocka_unit_test(test_future_version),
		cmocka_unit_test(test_unknown_schema_and_path),
		cmocka_unit_test(test_output_schemas),
		cmocka_unit_test(test_canonical_key_order),
		cmocka_unit_test(test_schema_dir_override),
		cmocka_unit_test(test_source_dir),
	};

	unsetenv("LPS_SCHEMA_DIR");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
