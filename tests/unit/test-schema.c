/*
 * test-schema.c - the JSON Schema compiler and validator: findings (path,
 * keyword, line, column, message), compile errors, $ref resolution,
 * formats, key sorting and reuse of one compiled schema.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "doc.h"
#include "schema.h"

/* ------------------------------------------------------------ helpers */

static struct lps_doc *load(const char *name, const char *text)
{
	struct lps_doc *doc = NULL;
	struct lps_error *err = lps_doc_load(&doc, name, text, strlen(text),
					     NULL);
	if (err) {
		char *s = lps_error_format(err);
		print_error("unexpected load error: %s\n", s ? s : "?");
		free(s);
		lps_error_free(err);
		fail();
	}
	return doc;
}

/* A set holding one schema, resolved; the schema in *out. */
static struct lps_schema_set *compile(const char *text,
				      const struct lps_schema **out)
{
	struct lps_schema_set *set = NULL;
	assert_null(lps_schema_set_new(&set));
	struct lps_error *err = lps_schema_set_add(set, load("s.yaml", text),
						   NULL, out);
	if (!err)
		err = lps_schema_set_resolve(set);
	if (err) {
		char *s = lps_error_format(err);
		print_error("unexpected schema error: %s\n", s ? s : "?");
		free(s);
		lps_error_free(err);
		lps_schema_set_free(set);
		fail();
	}
	return set;
}

/* The formatted compile-or-resolve error of a schema (caller frees). */
static char *compile_err(const char *text)
{
	struct lps_schema_set *set = NULL;
	assert_null(lps_schema_set_new(&set));
	struct lps_error *err = lps_schema_set_add(set, load("s.yaml", text),
						   NULL, NULL);
	if (!err)
		err = lps_schema_set_resolve(set);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EINVALID);
	char *s = lps_error_format(err);
	lps_error_free(err);
	lps_schema_set_free(set);
	assert_non_null(s);
	return s;
}

static void expect_compile_err(const char *schema, const char *want)
{
	char *got = compile_err(schema);
	assert_string_equal(got, want);
	free(got);
}

/*
 * Validate instance against schema with flags; expect exactly the
 * findings listed as "path|keyword|line:col|message" strings.
 */
static void expect(const char *schema, const char *instance, unsigned flags,
		   int nwant, ...)
{
	const struct lps_schema *s;
	struct lps_schema_set *set = compile(schema, &s);
	struct lps_doc *doc = load("i.yaml", instance);
	struct lps_findings f = LPS_FINDINGS_INIT;
	int r = lps_schema_validate(s, lps_doc_root(doc), flags, &f);
	assert_int_equal(r, nwant == 0);
	/* the answer alone agrees */
	assert_int_equal(lps_schema_validate(s, lps_doc_root(doc), flags, NULL),
			 r);
	va_list ap;
	va_start(ap, nwant);
	for (int i = 0; i < nwant; i++) {
		const char *want = va_arg(ap, const char *);
		char got[1024];
		if ((size_t)i < f.n)
			snprintf(got, sizeof(got), "%s|%s|%u:%u|%s",
				 f.items[i].path, f.items[i].keyword,
				 f.items[i].line, f.items[i].col,
				 f.items[i].message);
		else
			snprintf(got, sizeof(got), "(no finding %d)", i);
		assert_string_equal(got, want);
	}
	va_end(ap);
	assert_int_equal(f.n, (size_t)nwant);
	lps_findings_free(&f);
	lps_doc_free(doc);
	lps_schema_set_free(set);
}

/* ----------------------------------------------------------- findings */

static const char GOAL[] =
	"$schema: https://json-schema.org/draft/2020-12/schema\n"
	"type: object\n"
	"required: [title, indicators]\n"
	"additionalProperties: false\n"
	"properties:\n"
	"  title: {type: string, minLength: 1, maxLength: 4}\n"
	"  id: {type: string, pattern: '^g-[0-9a-f]{8}$'}\n"
	"  status: {enum: [active, met]}\n"
	"  indicators:\n"
	"    type: array\n"
	"    minItems: 1\n"
	"    items:\n"
	"      type: object\n"
	"      properties:\n"
	"        target: {type: number, minimum: 1}\n";

static void test_type_path_line_col(void **state)
{
	(void)state;
	expect(GOAL,
	       "title: Read\n"
	       "indicators:\n"
	       "  - target: 3\n"
	       "  - target: ten\n",
	       0, 1,
	       "indicators[1].target|type|4:13|expected number, got string "
	       "\"ten\"");
}

static void test_every_error_listed(void **state)
{
	(void)state;
	expect(GOAL,
	       "id: g-123\n"
	       "status: done\n"
	       "colour: red\n"
	       "indicators: []\n",
	       0, 5,
	       "|required|1:1|missing required property \"title\"",
	       "id|pattern|1:5|does not match pattern \"^g-[0-9a-f]{8}$\"",
	       "status|enum|2:9|must be one of: \"active\", \"met\"",
	       "indicators|minItems|4:13|must have at least 1 item (got 0)",
	       "|additionalProperties|3:1|property \"colour\" is not allowed");
}

static void test_first_error_only(void **state)
{
	(void)state;
	expect(GOAL, "id: g-123\ncolour: red\n", LPS_SCHEMA_FIRST_ERROR, 1,
	       "|required|1:1|missing required property \"title\"");
}

static void test_numbers(void **state)
{
	(void)state;
	expect("properties:\n"
	       "  a: {minimum: 1}\n"
	       "  b: {maximum: 10}\n"
	       "  c: {exclusiveMinimum: 0}\n"
	       "  d: {exclusiveMaximum: 5}\n"
	       "  e: {multipleOf: 0.5}\n"
	       "  f: {type: integer}\n"
	       "  g: {type: integer}\n"
	       "  h: {multipleOf: 0.0001}\n",
	       "a: 0\nb: 10.5\nc: 0\nd: 5\ne: 1.2\nf: 1.0\ng: 1.5\nh: 0.0075\n",
	       0, 6, "a|minimum|1:4|must be at least 1 (got 0)",
	       "b|maximum|2:4|must be at most 10 (got 10.5)",
	       "c|exclusiveMinimum|3:4|must be greater than 0 (got 0)",
	       "d|exclusiveMaximum|4:4|must be less than 5 (got 5)",
	       "e|multipleOf|5:4|must be a multiple of 0.5 (got 1.2)",
	       "g|type|7:4|expected integer, got number 1.5");
}

static void test_strings(void **state)
{
	(void)state;
	/* lengths count code points, not bytes */
	expect("properties:\n"
	       "  a: {maxLength: 4}\n"
	       "  b: {minLength: 3}\n"
	       "  c: {maxLength: 4}\n",
	       "a: héllo\nb: 'no'\nc: héll\n", 0, 2,
	       "a|maxLength|1:4|must be at most 4 characters long (got 5)",
	       "b|minLength|2:4|must be at least 3 characters long (got 2)");
}

/* The schemas' "not blank" (\S) is said in words; another pattern that
 * fails is quoted. */
static void test_not_blank(void **state)
{
	(void)state;
	expect("properties:\n"
	       "  a: {pattern: '\\S'}\n"
	       "  b: {pattern: '\\S'}\n"
	       "  c: {pattern: '\\S'}\n"
	       "  d: {pattern: '\\S+'}\n"
	       "  e: {pattern: '\\S'}\n",
	       "a: ' '\nb: \"\\t \\n\"\nc: ' x '\nd: ' '\ne: ''\n", 0, 4,
	       "a|pattern|1:4|must not be blank",
	       "b|pattern|2:4|must not be blank",
	       "d|pattern|4:4|does not match pattern \"\\\\S+\"",
	       "e|pattern|5:4|must not be blank");
}

static void test_object_keywords(void **state)
{
	(void)state;
	expect("minProperties: 3\n"
	       "maxProperties: 1\n"
	       "dependentRequired: {a: [b]}\n"
	       "propertyNames: {pattern: '^[a-z]+$'}\n",
	       "a: 1\nB: 2\n", 0, 4,
	       "|minProperties|1:1|must have at least 3 properties (got 2)",
	       "|maxProperties|1:1|must have at most 1 property (got 2)",
	       "|dependentRequired|1:1|property \"b\" is required when \"a\" "
	       "is present",
	       "|propertyNames|2:1|property name \"B\" is not valid");
}

static void test_array_keywords(void **state)
{
	(void)state;
	expect("maxItems: 2\n"
	       "uniqueItems: true\n"
	       "contains: {type: string}\n"
	       "prefixItems: [{type: integer}]\n"
	       "items: {type: integer}\n",
	       "[1, 2.5, 1.0]\n", 0, 4,
	       "|maxItems|1:1|must have at most 2 items (got 3)",
	       "|uniqueItems|1:1|must not repeat items ([2] equals [0])",
	       "[1]|type|1:5|expected integer, got number 2.5",
	       "|contains|1:1|must contain at least 1 matching item (got 0)");
}

static void test_array_items_ok(void **state)
{
	(void)state;
	expect("items: {type: integer}\nminContains: 2\n"
	       "contains: {const: 1}\n", "[1, 1.0, 2]\n", 0, 0);
	expect("maxContains: 1\ncontains: {const: 1}\n", "[1, 1.0, 2]\n", 0, 1,
	       "|maxContains|1:1|must contain at most 1 matching item");
	expect("prefixItems: [true]\nitems: false\n", "[a, b]\n", 0, 1,
	       "[1]|false|1:5|is not allowed");
}

static void test_applicators(void **state)
{
	(void)state;
	expect("properties:\n"
	       "  a: {anyOf: [{type: string}, {type: integer}]}\n"
	       "  b: {oneOf: [{minimum: 0}, {maximum: 10}]}\n"
	       "  c: {not: {type: 'null'}}\n"
	       "  d: {allOf: [{type: string}, {minLength: 2}]}\n"
	       "  e: {const: {x: [1, 2]}}\n"
	       "  f:\n"
	       "    if: {minimum: 10}\n"
	       "    then: {multipleOf: 10}\n"
	       "    else: {const: 0}\n",
	       "a: true\nb: 5\nc: null\nd: 7\ne: {x: [1, 2.0]}\nf: 15\n", 0, 5,
	       "a|anyOf|1:4|does not match any of the allowed schemas",
	       "b|oneOf|2:4|matches more than one of the allowed schemas "
	       "([0] and [1])",
	       "c|not|3:4|must not match the schema in \"not\"",
	       "d|type|4:4|expected string, got integer 7",
	       "f|multipleOf|6:4|must be a multiple of 10 (got 15)");
	expect("if: {minimum: 10}\nelse: {const: 0}\n", "3\n", 0, 1,
	       "|const|1:1|must be 0");
}

/* Property names alike in length and letters, many properties (their
 * table past 64 entries) and objects past 64 members all find the
 * same properties, additional properties and required ones. */
static void test_property_tables(void **state)
{
	(void)state;
	expect("additionalProperties: false\n"
	       "required: [date, done, dune, zz]\n"
	       "properties:\n"
	       "  date: {type: string}\n"
	       "  done: {type: integer}\n"
	       "  dune: {type: boolean}\n"
	       "  d: {type: 'null'}\n"
	       "  '': {type: integer}\n",
	       "done: x\ndate: 1\ndane: 2\nd: 0\n'': z\n", 0, 7,
	       "|required|1:1|missing required property \"dune\"",
	       "|required|1:1|missing required property \"zz\"",
	       "done|type|1:7|expected integer, got string \"x\"",
	       "date|type|2:7|expected string, got integer 1",
	       "d|type|4:4|expected null, got integer 0",
	       "[\"\"]|type|5:5|expected integer, got string \"z\"",
	       "|additionalProperties|3:1|property \"dane\" is not allowed");
	expect("additionalProperties: false\n", "{}\n", 0, 0);

	/* 70 properties p0..p69 of type integer, p69 and q required; an
	 * instance with 70 members (p0..p68 and x) */
	struct lps_buf sch = LPS_BUF_INIT, ins = LPS_BUF_INIT;
	lps_buf_adds(&sch, "additionalProperties: false\n"
			   "required: [p69, q, p3]\nproperties:\n");
	for (int i = 0; i < 70; i++)
		lps_buf_addf(&sch, "  p%d: {type: integer}\n", i);
	for (int i = 0; i < 69; i++)
		lps_buf_addf(&ins, "p%d: %s\n", i, i == 66 ? "s" : "1");
	lps_buf_adds(&ins, "x: 1\n");
	expect(sch.data, ins.data, 0, 4,
	       "|required|1:1|missing required property \"p69\"",
	       "|required|1:1|missing required property \"q\"",
	       "p66|type|67:6|expected integer, got string \"s\"",
	       "|additionalProperties|70:1|property \"x\" is not allowed");
	/* the same with the object small enough to be matched once */
	expect(sch.data, "p3: 1\np66: s\nx: 1\n", 0, 4,
	       "|required|1:1|missing required property \"p69\"",
	       "|required|1:1|missing required property \"q\"",
	       "p66|type|2:6|expected integer, got string \"s\"",
	       "|additionalProperties|3:1|property \"x\" is not allowed");
	lps_buf_free(&sch);
	lps_buf_free(&ins);
}

/* minLength and maxLength count characters also when a string's bytes
 * alone would seem to settle it. */
static void test_string_lengths(void **state)
{
	(void)state;
	expect("properties:\n"
	       "  a: {minLength: 2}\n"
	       "  b: {minLength: 2}\n"
	       "  c: {minLength: 1, maxLength: 1}\n"
	       "  d: {minLength: 0, maxLength: 0}\n"
	       "  e: {minLength: 17}\n",
	       "a: é\nb: éa\nc: é\nd: ''\ne: 'aaaaaaaaaaaaaaaaé'\n", 0, 1,
	       "a|minLength|1:4|must be at least 2 characters long (got 1)");
}

/* A property that is only a $ref, a $ref to a $ref, and a chain of
 * them longer than the evaluation depth allows. */
static void test_ref_chains(void **state)
{
	(void)state;
	expect("properties:\n"
	       "  a: {$ref: '#/$defs/one'}\n"
	       "  b: {$ref: '#/$defs/two'}\n"
	       "$defs:\n"
	       "  one: {type: integer}\n"
	       "  two: {$ref: '#/$defs/three'}\n"
	       "  three: {$ref: '#/$defs/one'}\n",
	       "a: x\nb: y\n", 0, 2,
	       "a|type|1:4|expected integer, got string \"x\"",
	       "b|type|2:4|expected integer, got string \"y\"");
	struct lps_buf sch = LPS_BUF_INIT;
	lps_buf_adds(&sch, "$ref: '#/$defs/d0'\n$defs:\n");
	for (int i = 0; i < 2100; i++)
		lps_buf_addf(&sch, "  d%d: {$ref: '#/$defs/d%d'}\n", i, i + 1);
	lps_buf_adds(&sch, "  d2100: {type: string}\n");
	expect(sch.data, "1\n", 0, 1,
	       "|$ref|1:1|schema evaluation nested too deeply");
	lps_buf_free(&sch);
}

static void test_odd_keys_in_path(void **state)
{
	(void)state;
	expect("additionalProperties:\n"
	       "  additionalProperties: {type: string}\n",
	       "a b:\n  c-d: 1\n  \"$x\": [2]\n", 0, 2,
	       "[\"a b\"].c-d|type|2:8|expected string, got integer 1",
	       "[\"a b\"][\"$x\"]|type|3:9|expected string, got array");
}

static void test_type_lists(void **state)
{
	(void)state;
	expect("type: [string, 'null']\n", "{}\n", 0, 1,
	       "|type|1:1|expected string or null, got object");
	expect("type: [integer, boolean, array]\n", "x\n", 0, 1,
	       "|type|1:1|expected integer, boolean or array, got string "
	       "\"x\"");
	expect("true\n", "x\n", 0, 0);
	expect("false\n", "x\n", 0, 1, "|false|1:1|is not allowed");
}

/* ------------------------------------------------------------ formats */

static void test_formats_assert(void **state)
{
	(void)state;
	static const struct {
		const char *fmt, *ok, *bad;
	} cases[] = {
		{ "date", "2024-02-29", "2023-02-29" },
		{ "date", "2000-02-29", "1900-02-29" },
		{ "date", "2024-12-31", "2024-13-01" },
		{ "date-time", "2024-05-01T10:00:00Z", "2024-05-01 10:00:00Z" },
		{ "date-time", "1998-12-31T23:59:60Z", "1998-12-31T22:59:60Z" },
		{ "time", "08:30:00.5+02:00", "08:30" },
		{ "email", "ada@example.org", "ada.@example.org" },
		{ "email", "a.b@c-d.example", "ada@@example.org" },
		{ "uri", "https://example.org/a?b#c", "//example.org/a" },
		{ "uri", "urn:isbn:0451450523", "http://exa mple.org" },
		{ "uuid", "2eb8aa08-aa98-11ea-b4aa-73b441d16380",
		  "2eb8aa08aa9811eab4aa73b441d16380" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char schema[64], ok[96], bad[96], want[128];
		snprintf(schema, sizeof(schema), "format: %s\n", cases[i].fmt);
		snprintf(ok, sizeof(ok), "'%s'\n", cases[i].ok);
		snprintf(bad, sizeof(bad), "'%s'\n", cases[i].bad);
		snprintf(want, sizeof(want), "|format|1:1|is not a valid %s",
			 cases[i].fmt);
		expect(schema, ok, LPS_SCHEMA_FORMAT_ASSERT, 0);
		expect(schema, bad, LPS_SCHEMA_FORMAT_ASSERT, 1, want);
		/* an annotation unless asked to assert */
		expect(schema, bad, 0, 0);
	}
	/* an unknown format is an annotation even in assert mode */
	expect("format: colour\n", "x\n", LPS_SCHEMA_FORMAT_ASSERT, 0);
	/* formats apply to strings only */
	expect("format: date\n", "5\n", LPS_SCHEMA_FORMAT_ASSERT, 0);
}

/* ----------------------------------------------------- compile errors */

static void test_compile_errors(void **state)
{
	(void)state;
	expect_compile_err("type: object\nproperties:\n  a: {typ: string}\n",
			   "s.yaml:3:7: unknown keyword \"typ\"");
	expect_compile_err("$schema: http://json-schema.org/draft-07/schema#\n",
			   "s.yaml:1:10: unsupported $schema "
			   "\"http://json-schema.org/draft-07/schema#\" (lps "
			   "reads draft 2020-12)");
	expect_compile_err("properties:\n  a: {$ref: '#/$defs/nope'}\n",
			   "s.yaml:2:13: $ref \"#/$defs/nope\" does not "
			   "resolve (s.yaml#/$defs/nope)");
	expect_compile_err("$defs:\n"
			   "  a: {$ref: '#/$defs/b'}\n"
			   "  b: {allOf: [{$ref: '#/$defs/a'}]}\n"
			   "$ref: '#/$defs/a'\n",
			   "s.yaml:2:13: $ref cycle: \"#/$defs/b\" leads back "
			   "to itself without reading any instance data");
	expect_compile_err("pattern: '(?=a)b'\n",
			   "s.yaml:1:10: pattern \"(?=a)b\" cannot be used "
			   "(unsupported: lookaround and named groups)");
	expect_compile_err("patternProperties:\n  '\\1': true\n",
			   "s.yaml:2:3: pattern \"\\\\1\" cannot be used "
			   "(unsupported: this escape (backreference or "
			   "unknown letter))");
	expect_compile_err("minLength: -1\n",
			   "s.yaml:1:12: \"minLength\" must be a non-negative "
			   "integer");
	expect_compile_err("type: [string, string]\n",
			   "s.yaml:1:7: \"type\" must be a type name or an "
			   "array of distinct type names");
	expect_compile_err("items: 5\n",
			   "s.yaml:1:8: a schema must be an object or a "
			   "boolean, not integer");
	expect_compile_err("$defs: {a: {$id: 'x#frag'}}\n",
			   "s.yaml:1:18: \"$id\" must not have a fragment (use "
			   "\"$anchor\")");
}

static void test_annotations_accepted(void **state)
{
	(void)state;
	/* annotation values, enum/const contents are not schemas */
	expect("title: t\ndescription: d\n$comment: c\ndefault: {foo: 1}\n"
	       "examples: [{bar: 2}]\ndeprecated: false\nreadOnly: true\n"
	       "writeOnly: false\nenum: [{typ: 1}]\n", "{typ: 1}\n", 0, 0);
	expect("const: {$ref: nowhere}\n", "{$ref: nowhere}\n", 0, 0);
	expect("$schema: 'https://json-schema.org/draft/2020-12/schema#'\n",
	       "1\n", 0, 0);
}

/* ---------------------------------------------------------- references */

static void test_refs_between_files(void **state)
{
	(void)state;
	struct lps_schema_set *set = NULL;
	assert_null(lps_schema_set_new(&set));
	const struct lps_schema *goal = NULL;
	assert_null(lps_schema_set_add(
		set,
		load("schemas/goal.schema.yaml",
		     "properties:\n"
		     "  due: {$ref: 'common.schema.yaml#/$defs/date'}\n"
		     "  owner: {$ref: 'urn:lps:person#name'}\n"),
		NULL, &goal));
	assert_null(lps_schema_set_add(
		set,
		load("schemas/common.schema.yaml",
		     "$defs:\n"
		     "  date: {type: string, format: date}\n"
		     "  person:\n"
		     "    $id: 'urn:lps:person'\n"
		     "    $defs:\n"
		     "      n: {$anchor: name, type: string, minLength: 2}\n"),
		NULL, NULL));
	assert_null(lps_schema_set_resolve(set));
	assert_non_null(lps_schema_set_get(set, "urn:lps:person#name"));
	assert_non_null(
		lps_schema_set_get(set, "schemas/common.schema.yaml#/$defs/date"));
	assert_null(lps_schema_set_get(set, "urn:lps:nobody"));

	struct lps_doc *doc = load("i.yaml", "due: 2023-02-30\nowner: A\n");
	struct lps_findings f = LPS_FINDINGS_INIT;
	assert_int_equal(lps_schema_validate(goal, lps_doc_root(doc),
					     LPS_SCHEMA_FORMAT_ASSERT, &f),
			 0);
	assert_int_equal(f.n, 2);
	assert_string_equal(f.items[0].path, "due");
	assert_string_equal(f.items[0].message, "is not a valid date");
	assert_string_equal(f.items[1].path, "owner");
	assert_string_equal(f.items[1].message,
			    "must be at least 2 characters long (got 1)");
	lps_findings_free(&f);
	lps_doc_free(doc);
	lps_schema_set_free(set);
}

static void test_ref_pointer_escapes(void **state)
{
	(void)state;
	expect("$defs:\n"
	       "  'a/b': {type: integer}\n"
	       "  'c~d': {type: string}\n"
	       "  'e f': {type: boolean}\n"
	       "properties:\n"
	       "  x: {$ref: '#/$defs/a~1b'}\n"
	       "  y: {$ref: '#/$defs/c~0d'}\n"
	       "  z: {$ref: '#/$defs/e%20f'}\n",
	       "x: a\ny: 1\nz: 0\n", 0, 3,
	       "x|type|1:4|expected integer, got string \"a\"",
	       "y|type|2:4|expected string, got integer 1",
	       "z|type|3:4|expected boolean, got integer 0");
}

static void test_recursive_ref_terminates(void **state)
{
	(void)state;
	/* recursion through instance data is fine */
	expect("type: object\n"
	       "properties:\n"
	       "  child: {$ref: '#'}\n"
	       "  n: {type: integer}\n",
	       "child: {child: {child: {n: x}}}\n", 0, 1,
	       "child.child.child.n|type|1:28|expected integer, got string "
	       "\"x\"");
}

static void test_unresolved_ref_is_a_finding(void **state)
{
	(void)state;
	struct lps_schema_set *set = NULL;
	const struct lps_schema *s = NULL;
	assert_null(lps_schema_set_new(&set));
	assert_null(lps_schema_set_add(set, load("s.yaml", "$ref: other.yaml\n"),
				       NULL, &s));
	struct lps_doc *doc = load("i.yaml", "1\n");
	struct lps_findings f = LPS_FINDINGS_INIT;
	assert_int_equal(lps_schema_validate(s, lps_doc_root(doc), 0, &f), 0);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.items[0].keyword, "$ref");
	assert_string_equal(f.items[0].message,
			    "schema $ref \"other.yaml\" is not resolved");
	lps_findings_free(&f);
	lps_doc_free(doc);
	lps_schema_set_free(set);
}

static void test_failed_add_leaves_set_usable(void **state)
{
	(void)state;
	struct lps_schema_set *set = NULL;
	const struct lps_schema *s = NULL;
	assert_null(lps_schema_set_new(&set));
	struct lps_error *err = lps_schema_set_add(
		set, load("bad.yaml", "$id: 'urn:x'\nbogus: 1\n"), NULL, NULL);
	assert_non_null(err);
	lps_error_free(err);
	assert_null(lps_schema_set_get(set, "urn:x"));
	assert_null(lps_schema_set_add(
		set, load("good.yaml", "$id: 'urn:x'\ntype: string\n"), NULL, &s));
	assert_null(lps_schema_set_resolve(set));
	assert_ptr_equal(lps_schema_set_get(set, "urn:x"), s);
	lps_schema_set_free(set);
}

static void test_dynamic_ref(void **state)
{
	(void)state;
	/* the outermost resource's $dynamicAnchor wins: items must be
	 * strings, not merely anything */
	expect("$id: 'urn:outer'\n"
	       "$ref: 'urn:list'\n"
	       "$defs:\n"
	       "  item: {$dynamicAnchor: item, type: string}\n"
	       "  list:\n"
	       "    $id: 'urn:list'\n"
	       "    type: array\n"
	       "    items: {$dynamicRef: '#item'}\n"
	       "    $defs:\n"
	       "      any: {$dynamicAnchor: item}\n",
	       "[a, 2]\n", 0, 1,
	       "[1]|type|1:5|expected string, got integer 2");
}

/* -------------------------------------------------------- unevaluated */

static void test_unevaluated_properties(void **state)
{
	(void)state;
	const char *adjacent = "properties: {a: true}\n"
			       "patternProperties: {'^x-': true}\n"
			       "unevaluatedProperties: false\n";
	expect(adjacent, "a: 1\nx-y: 2\nb: 3\n\"c d\": 4\n", 0, 2,
	       "|unevaluatedProperties|3:1|property \"b\" is not allowed "
	       "(unevaluated)",
	       "|unevaluatedProperties|4:1|property \"c d\" is not allowed "
	       "(unevaluated)");
	expect(adjacent, "a: 1\nx-y: 2\nb: 3\n\"c d\": 4\n",
	       LPS_SCHEMA_FIRST_ERROR, 1,
	       "|unevaluatedProperties|3:1|property \"b\" is not allowed "
	       "(unevaluated)");
	expect(adjacent, "a: 1\nx-: 2\n", 0, 0);
	/* a schema, applied to each unevaluated property's value */
	expect("properties: {a: true}\nunevaluatedProperties: {type: string}\n",
	       "{a: 1, b: x, c: 2}\n", 0, 1,
	       "c|type|1:17|expected string, got integer 2");
	/* additionalProperties evaluates the rest */
	expect("additionalProperties: {type: integer}\n"
	       "unevaluatedProperties: false\n", "{a: 1}\n", 0, 0);
}

static void test_unevaluated_in_place(void **state)
{
	(void)state;
	/* $ref inside allOf, both passing anyOf branches and a passing
	 * "if" count; a failing "if" and the "then" it did not select
	 * do not */
	const char *schema =
		"$defs:\n"
		"  named: {properties: {name: {type: string}}}\n"
		"allOf: [{$ref: '#/$defs/named'}]\n"
		"anyOf:\n"
		"  - {properties: {kind: {const: goal}}, required: [kind]}\n"
		"  - {properties: {size: true}}\n"
		"if: {properties: {draft: {const: true}}, required: [draft]}\n"
		"then: {properties: {note: true}}\n"
		"unevaluatedProperties: false\n";
	expect(schema, "name: n\nkind: goal\nsize: 3\ndraft: true\nnote: x\n",
	       0, 0);
	expect(schema,
	       "name: n\nkind: goal\nsize: 3\ndraft: false\nnote: x\n"
	       "extra: 1\n", 0, 3,
	       "|unevaluatedProperties|4:1|property \"draft\" is not allowed "
	       "(unevaluated)",
	       "|unevaluatedProperties|5:1|property \"note\" is not allowed "
	       "(unevaluated)",
	       "|unevaluatedProperties|6:1|property \"extra\" is not allowed "
	       "(unevaluated)");
	/* a failing anyOf branch's properties are not evaluated */
	expect("anyOf: [{properties: {a: {type: string}}, required: [b]}, "
	       "true]\nunevaluatedProperties: false\n", "a: s\n", 0, 1,
	       "|unevaluatedProperties|1:1|property \"a\" is not allowed "
	       "(unevaluated)");
	/* "not" passes on nothing */
	expect("not: {properties: {a: {type: integer}}}\n"
	       "unevaluatedProperties: false\n", "a: s\n", 0, 1,
	       "|unevaluatedProperties|1:1|property \"a\" is not allowed "
	       "(unevaluated)");
	/* dependentSchemas count when their property is present */
	expect("dependentSchemas: {a: {properties: {b: true}}}\n"
	       "properties: {a: true}\nunevaluatedProperties: false\n",
	       "b: 1\n", 0, 1,
	       "|unevaluatedProperties|1:1|property \"b\" is not allowed "
	       "(unevaluated)");
	/* an invalid allOf branch still evaluated its property: only the
	 * real error is reported, not a second one about "a" */
	expect("allOf: [{properties: {a: {type: string}}}]\n"
	       "unevaluatedProperties: false\n", "a: 1\nb: 2\n", 0, 2,
	       "a|type|1:4|expected string, got integer 1",
	       "|unevaluatedProperties|2:1|property \"b\" is not allowed "
	       "(unevaluated)");
	/* each object is its own instance location */
	expect("properties:\n"
	       "  goal:\n"
	       "    properties: {title: true}\n"
	       "    unevaluatedProperties: false\n"
	       "  other: true\n",
	       "goal:\n  title: t\n  titel: u\nother: 1\n", 0, 1,
	       "goal|unevaluatedProperties|3:3|property \"titel\" is not "
	       "allowed (unevaluated)");
	/* a nested unevaluatedProperties evaluates everything it sees */
	expect("allOf: [{unevaluatedProperties: true}]\n"
	       "unevaluatedProperties: false\n", "a: 1\n", 0, 0);
	/* non-objects are not concerned */
	expect("unevaluatedProperties: false\n", "[1]\n", 0, 0);
}

static void test_unevaluated_items(void **state)
{
	(void)state;
	expect("prefixItems: [true, true]\nunevaluatedItems: false\n",
	       "[a, b, c, d]\n", 0, 2,
	       "|unevaluatedItems|1:8|item [2] is not allowed (unevaluated)",
	       "|unevaluatedItems|1:11|item [3] is not allowed (unevaluated)");
	/* contains evaluates the items it matched, and only those */
	expect("contains: {type: string}\nunevaluatedItems: {type: integer}\n",
	       "[a, 1, b, true]\n", 0, 1,
	       "[3]|type|1:11|expected integer, got boolean true");
	/* allOf's prefixItems counts; a failed anyOf branch's items
	 * do not */
	expect("allOf: [{prefixItems: [true]}]\n"
	       "anyOf: [{items: {type: string}}, true]\n"
	       "unevaluatedItems: false\n", "[1, 2]\n", 0, 1,
	       "|unevaluatedItems|1:5|item [1] is not allowed (unevaluated)");
	expect("allOf: [{items: true}]\nunevaluatedItems: false\n",
	       "[1, 2]\n", 0, 0);
	expect("unevaluatedItems: false\n", "[]\n", 0, 0);
	expect("unevaluatedItems: false\n", "{a: 1}\n", 0, 0);
	expect("unevaluatedItems: false\n", "- x\n", 0, 1,
	       "|unevaluatedItems|1:3|item [0] is not allowed (unevaluated)");
	expect_compile_err("unevaluatedItems: 5\n",
			   "s.yaml:1:19: a schema must be an object or a "
			   "boolean, not integer");
}

/* More members than fit in the collector's inline bits. */
static void test_unevaluated_large(void **state)
{
	(void)state;
	char *text = malloc(400 * 16);
	assert_non_null(text);
	size_t len = 0;
	for (int i = 0; i < 300; i++)
		len += (size_t)sprintf(text + len, "p%d: %d\n", i, i);
	sprintf(text + len, "zz: 1\n");
	expect("anyOf: [{patternProperties: {'^p': true}}]\n"
	       "unevaluatedProperties: false\n", text, 0, 1,
	       "|unevaluatedProperties|301:1|property \"zz\" is not allowed "
	       "(unevaluated)");
	len = 0;
	len += (size_t)sprintf(text, "[");
	for (int i = 0; i < 300; i++)
		len += (size_t)sprintf(text + len, "%s%d", i ? "," : "",
				       i == 299 ? -1 : 1);
	sprintf(text + len, "]\n");
	/* the last item (-1, at column 1 + 2*299 + 1) is the only one
	 * contains did not match */
	expect("contains: {minimum: 0}\nunevaluatedItems: false\n", text, 0,
	       1, "|unevaluatedItems|1:600|item [299] is not allowed "
		  "(unevaluated)");
	free(text);
}

/* ------------------------------------------------------- vocabularies */

/* Add meta (as urn:meta) then schema; the error of the second add, or
 * of resolving, formatted (caller frees), or NULL with *out set. */
static char *with_meta(const char *meta, const char *schema,
		       struct lps_schema_set **set,
		       const struct lps_schema **out)
{
	assert_null(lps_schema_set_new(set));
	struct lps_error *err = lps_schema_set_add(*set, load("m.yaml", meta),
						   "urn:meta", NULL);
	assert_null(err);
	err = lps_schema_set_add(*set, load("s.yaml", schema), NULL, out);
	if (!err)
		err = lps_schema_set_resolve(*set);
	if (!err)
		return NULL;
	char *m = lps_error_format(err);
	lps_error_free(err);
	assert_non_null(m);
	return m;
}

#define VOCAB "https://json-schema.org/draft/2020-12/vocab/"

static void test_vocabulary(void **state)
{
	(void)state;
	struct lps_schema_set *set;
	const struct lps_schema *s;
	/* without the validation vocabulary, minimum is only an annotation;
	 * applicators still apply */
	char *err = with_meta("$vocabulary:\n"
			      "  " VOCAB "core: true\n"
			      "  " VOCAB "applicator: true\n"
			      "  urn:custom: false\n",
			      "$schema: 'urn:meta'\n"
			      "properties:\n"
			      "  n: {minimum: 10}\n"
			      "  bad: false\n", &set, &s);
	assert_null(err);
	struct lps_doc *ok = load("i.yaml", "n: 1\n");
	struct lps_doc *bad = load("j.yaml", "bad: 1\n");
	assert_int_equal(lps_schema_validate(s, lps_doc_root(ok), 0, NULL), 1);
	assert_int_equal(lps_schema_validate(s, lps_doc_root(bad), 0, NULL),
			 0);
	lps_doc_free(ok);
	lps_doc_free(bad);
	lps_schema_set_free(set);

	static const struct {
		const char *meta, *schema, *want;
	} errs[] = {
		{ "$vocabulary: {'" VOCAB "core': true, 'urn:x': true}\n",
		  "$schema: 'urn:meta'\n",
		  "s.yaml:1:10: $schema \"urn:meta\" requires vocabulary "
		  "\"urn:x\", which lps does not support" },
		{ "$vocabulary: {'" VOCAB "validation': true}\n",
		  "$schema: 'urn:meta'\n",
		  "s.yaml:1:10: $schema \"urn:meta\" does not use the core "
		  "vocabulary" },
		{ "type: object\n", "$schema: 'urn:meta'\n",
		  "s.yaml:1:10: unsupported $schema \"urn:meta\" (lps reads "
		  "draft 2020-12)" },
		{ "true\n", "$schema: 'urn:elsewhere'\n",
		  "s.yaml:1:10: unsupported $schema \"urn:elsewhere\" (lps "
		  "reads draft 2020-12)" },
		{ "true\n", "$vocabulary: {'urn:y': 1}\n",
		  "s.yaml:1:24: \"$vocabulary\" values must be true or false" },
	};
	for (size_t i = 0; i < sizeof(errs) / sizeof(*errs); i++) {
		err = with_meta(errs[i].meta, errs[i].schema, &set, &s);
		assert_non_null(err);
		assert_string_equal(err, errs[i].want);
		free(err);
		lps_schema_set_free(set);
	}
}

/* ------------------------------------------------------------- reuse */

/* ------------------------------------------------------------ loader */

/* A loader serving schema files from a table, counting its calls. */
struct served {
	const char *uri, *name, *text;
};

struct loader_log {
	const struct served *files;
	size_t nfiles;
	int calls;
	char last_ref[128], last_from[128];
};

static struct lps_error *serve(void *ctx, struct lps_schema_set *set,
			       const char *uri, const char *ref,
			       const char *from)
{
	struct loader_log *log = ctx;
	log->calls++;
	snprintf(log->last_ref, sizeof(log->last_ref), "%s", ref);
	snprintf(log->last_from, sizeof(log->last_from), "%s", from);
	for (size_t i = 0; i < log->nfiles; i++)
		if (strcmp(log->files[i].uri, uri) == 0)
			return lps_schema_set_add(set, load(log->files[i].name,
							    log->files[i].text),
						  uri, NULL);
	return NULL;
}

/* Resolve top (added as file:///s/top.yaml) with the loader; the error
 * formatted, or NULL; *valid the answer for instance. */
static char *resolve_with(struct loader_log *log, const char *top,
			  const char *instance, int *valid)
{
	struct lps_schema_set *set = NULL;
	const struct lps_schema *root = NULL;
	char *msg = NULL;
	assert_null(lps_schema_set_new(&set));
	lps_schema_set_set_loader(set, serve, log);
	struct lps_error *err = lps_schema_set_add(set, load("top.yaml", top),
						   "file:///s/top.yaml", &root);
	if (!err)
		err = lps_schema_set_resolve(set);
	if (err) {
		msg = lps_error_format(err);
		lps_error_free(err);
	} else if (instance) {
		struct lps_doc *doc = load("i.yaml", instance);
		*valid = lps_schema_validate(root, lps_doc_root(doc), 0, NULL);
		lps_doc_free(doc);
	}
	lps_schema_set_free(set);
	return msg;
}

static void test_loader(void **state)
{
	(void)state;
	static const struct served files[] = {
		{ "file:///s/common.yaml", "common.yaml",
		  "$defs:\n  small: {type: integer, maximum: 9}\n"
		  "  pair: {type: array, items: {$ref: '#/$defs/small'}}\n" },
		{ "file:///s/sub/pairs.yaml", "sub/pairs.yaml",
		  "$id: https://lps.invalid/pairs.yaml\n"
		  "type: object\n"
		  "additionalProperties: {$ref: 'file:///s/common.yaml#/$defs/pair'}\n" },
		{ "file:///s/broken.yaml", "broken.yaml",
		  "type: object\nmaxLenght: 3\n" },
	};
	struct loader_log log = { files, 3, 0, "", "" };
	int valid = -1;

	/* two refs to one file: loaded once; its own refs resolve too */
	char *msg = resolve_with(&log,
		"type: object\nproperties:\n"
		"  a: {$ref: 'common.yaml#/$defs/small'}\n"
		"  b: {$ref: 'common.yaml#/$defs/pair'}\n"
		"  c: {$ref: 'sub/pairs.yaml'}\n",
		"a: 3\nb: [1, 2]\nc: {x: [4, 12]}\n", &valid);
	assert_null(msg);
	assert_int_equal(valid, 0);  /* c.x[1] is over 9 */
	assert_int_equal(log.calls, 2);
	assert_string_equal(log.last_ref, "sub/pairs.yaml");
	assert_string_equal(log.last_from, "top.yaml");

	log.calls = 0;
	msg = resolve_with(&log, "$ref: 'common.yaml#/$defs/small'\n", "7\n",
			   &valid);
	assert_null(msg);
	assert_int_equal(valid, 1);
	assert_int_equal(log.calls, 1);

	/* a file the loader does not have: the usual error, with its place */
	log.calls = 0;
	msg = resolve_with(&log, "type: object\n"
				 "properties:\n  a: {$ref: 'nope.yaml#/x'}\n",
			   NULL, NULL);
	assert_string_equal(msg, "top.yaml:3:13: $ref \"nope.yaml#/x\" does not "
				 "resolve (file:///s/nope.yaml#/x)");
	assert_int_equal(log.calls, 1);
	free(msg);

	/* a missing fragment of a loaded file is not loaded again */
	log.calls = 0;
	msg = resolve_with(&log, "allOf:\n  - $ref: 'common.yaml#/$defs/small'\n"
				 "  - $ref: 'common.yaml#/$defs/big'\n",
			   NULL, NULL);
	assert_string_equal(msg, "top.yaml:3:11: $ref "
				 "\"common.yaml#/$defs/big\" does not resolve "
				 "(file:///s/common.yaml#/$defs/big)");
	assert_int_equal(log.calls, 1);
	free(msg);

	/* a loaded file that does not compile: its own error */
	msg = resolve_with(&log, "$ref: broken.yaml\n", NULL, NULL);
	assert_string_equal(msg, "broken.yaml:2:1: unknown keyword "
				 "\"maxLenght\"");
	free(msg);

	/* without a loader nothing is fetched */
	msg = compile_err("$ref: 'common.yaml#/$defs/small'\n");
	assert_non_null(strstr(msg, "does not resolve"));
	free(msg);
}

static void test_reuse_many_instances(void **state)
{
	(void)state;
	const struct lps_schema *s;
	struct lps_schema_set *set = compile(GOAL, &s);
	struct lps_doc *good = load("g.yaml", "title: Read\nindicators: "
					      "[{target: 2}]\n");
	struct lps_doc *bad = load("b.yaml", "indicators: [{target: 0}]\n");
	size_t total = 0;
	for (int i = 0; i < 1000; i++) {
		struct lps_findings f = LPS_FINDINGS_INIT;
		assert_int_equal(lps_schema_validate(s, lps_doc_root(good), 0,
						     &f), 1);
		assert_int_equal(f.n, 0);
		assert_null(f.items);  /* nothing allocated when valid */
		assert_int_equal(lps_schema_validate(s, lps_doc_root(bad), 0,
						     &f), 0);
		total += f.n;
		lps_findings_free(&f);
	}
	assert_int_equal(total, 2000);
	lps_doc_free(good);
	lps_doc_free(bad);
	lps_schema_set_free(set);
}

/* --------------------------------------------------------- sort_keys */

static void test_sort_keys(void **state)
{
	(void)state;
	const struct lps_schema *s;
	struct lps_schema_set *set = compile(
		"$defs:\n"
		"  ind:\n"
		"    properties: {name: true, baseline: true, target: true}\n"
		"allOf:\n"
		"  - properties: {lps: true, id: true}\n"
		"properties:\n"
		"  title: true\n"
		"  indicators: {items: {$ref: '#/$defs/ind'}}\n",
		&s);
	struct lps_doc *doc = load("i.yaml",
				   "zeta: 1\n"
				   "indicators:\n"
				   "  - target: 5\n"
				   "    extra: 0\n"
				   "    name: n\n"
				   "id: g-1\n"
				   "title: t\n"
				   "lps: 1\n");
	lps_schema_sort_keys(s, lps_doc_root(doc));
	const struct lps_node *r = lps_doc_root(doc);
	const char *want[] = { "title", "indicators", "lps", "id", "zeta" };
	assert_int_equal(r->v.map.n, 5);
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(r->v.map.pairs[i].key, want[i]);
	const struct lps_node *ind =
		lps_map_get(r, "indicators")->v.seq.items[0];
	const char *want2[] = { "name", "target", "extra" };
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(ind->v.map.pairs[i].key, want2[i]);
	lps_doc_free(doc);
	lps_schema_set_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_path_line_col),
		cmocka_unit_test(test_every_error_listed),
		cmocka_unit_test(test_first_error_only),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_not_blank),
		cmocka_unit_test(test_object_keywords),
		cmocka_unit_test(test_array_keywords),
		cmocka_unit_test(test_array_items_ok),
		cmocka_unit_test(test_applicators),
		cmocka_unit_test(test_odd_keys_in_path),
		cmocka_unit_test(test_type_lists),
		cmocka_unit_test(test_formats_assert),
		cmocka_unit_test(test_compile_errors),
		cmocka_unit_test(test_annotations_accepted),
		cmocka_unit_test(test_refs_between_files),
		cmocka_unit_test(test_ref_pointer_escapes),
		cmocka_unit_test(test_recursive_ref_terminates),
		cmocka_unit_test(test_unresolved_ref_is_a_finding),
		cmocka_unit_test(test_failed_add_leaves_set_usable),
		cmocka_unit_test(test_dynamic_ref),
		cmocka_unit_test(test_unevaluated_properties),
		cmocka_unit_test(test_unevaluated_in_place),
		cmocka_unit_test(test_unevaluated_items),
		cmocka_unit_test(test_unevaluated_large),
		cmocka_unit_test(test_vocabulary),
		cmocka_unit_test(test_loader),
		cmocka_unit_test(test_reuse_many_instances),
		cmocka_unit_test(test_sort_keys),
		cmocka_unit_test(test_property_tables),
		cmocka_unit_test(test_string_lengths),
		cmocka_unit_test(test_ref_chains),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
