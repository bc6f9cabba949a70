/*
 * test-framework.c - the built-in frameworks load and validate, standards
 * and prompts are found, a portfolio's own framework is added (or refused
 * with a located error).
 *
 * Run from the top of the source tree (tests/run-all.sh does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "framework.h"

static void no_error(struct lps_error *err)
{
	if (err) {
		char *s = lps_error_format(err);

		fail_msg("unexpected error: %s", s ? s : "?");
	}
}

static struct lps_frameworks *builtin(void)
{
	const struct lps_registry *reg;
	struct lps_frameworks *fws = NULL;

	no_error(lps_registry_get(&reg));
	no_error(lps_frameworks_new(&fws, reg));
	return fws;
}

static struct lps_doc *load_text(const char *name, const char *text)
{
	struct lps_doc *doc = NULL;

	no_error(lps_doc_load(&doc, name, text, strlen(text), NULL));
	return doc;
}

static void test_builtin(void **state)
{
	struct lps_frameworks *fws = builtin();
	const struct lps_framework *fw;

	(void)state;
	assert_int_equal(lps_frameworks_count(fws), 4);
	assert_string_equal(lps_frameworks_at(fws, 0)->name, "issl");
	assert_string_equal(lps_frameworks_at(fws, 1)->name, "lfl");
	assert_string_equal(lps_frameworks_at(fws, 2)->name, "lps");
	assert_string_equal(lps_frameworks_at(fws, 3)->name, "wsbc");
	assert_null(lps_frameworks_at(fws, 4));
	for (size_t i = 0; i < 4; i++)
		assert_null(lps_frameworks_at(fws, i)->path);

	fw = lps_frameworks_find(fws, "lfl");
	assert_non_null(fw);
	assert_string_equal(fw->title, "Leading for Learning");
	assert_int_equal(fw->nstandards, 5);
	assert_int_equal(fw->nprompts, 3 + 5 + 6 + 5 + 3);
	assert_null(lps_frameworks_find(fws, "nope"));

	fw = lps_frameworks_find(fws, "lps");
	assert_int_equal(fw->nstandards, 5);
	assert_int_equal(fw->nprompts, 10);
	assert_string_equal(fw->standards[0].code, "purpose");
	assert_string_equal(fw->standards[4].code, "outcomes");

	fw = lps_frameworks_find(fws, "wsbc");
	assert_int_equal(fw->nstandards, 5);
	assert_string_equal(fw->standards[2].code, "3");
	lps_frameworks_free(fws);
	lps_frameworks_free(NULL);
}

static void test_lfl_prompts_per_area(void **state)
{
	static const struct {
		const char *code;
		size_t prompts;
	} areas[] = {
		{ "focus", 3 }, { "communities", 5 }, { "external", 6 },
		{ "strategic", 5 }, { "coherence", 3 },
	};
	struct lps_frameworks *fws = builtin();
	const struct lps_framework *fw = lps_frameworks_find(fws, "lfl");

	(void)state;
	for (size_t i = 0; i < 5; i++) {
		size_t n = 0;

		assert_string_equal(fw->standards[i].code, areas[i].code);
		for (size_t j = 0; j < fw->nprompts; j++)
			n += fw->prompts[j].standard == &fw->standards[i];
		assert_int_equal(n, areas[i].prompts);
	}
	assert_string_equal(fw->prompts[0].id, "lfl.focus.1");
	assert_null(fw->prompts[0].phase);
	lps_frameworks_free(fws);
}

static void test_issl_tree(void **state)
{
	static const char *const codes[] = {
		"1", "1a", "1b", "1c", "1d", "2", "2c", "4", "4b", "6", "6c",
	};
	struct lps_frameworks *fws = builtin();
	const struct lps_framework *fw = lps_frameworks_find(fws, "issl");
	const struct lps_standard *s;

	(void)state;
	assert_int_equal(fw->nstandards, 11);
	for (size_t i = 0; i < 11; i++)
		assert_string_equal(fw->standards[i].code, codes[i]);
	s = lps_frameworks_standard(fws, "issl.1a");
	assert_non_null(s);
	assert_string_equal(s->title, "Data-driven improvement systems");
	assert_int_equal(s->depth, 1);
	assert_non_null(s->parent);
	assert_string_equal(s->parent->code, "1");
	assert_ptr_equal(s->framework, fw);
	s = lps_frameworks_standard(fws, "issl.1");
	assert_int_equal(s->depth, 0);
	assert_null(s->parent);
	lps_frameworks_free(fws);
}

static void test_standard_lookup(void **state)
{
	static const struct {
		const char *ref;
		const char *title;
	} cases[] = {
		{ "lfl.focus", "Establishing a focus on learning" },
		{ "lps.action", "Action" },
		{ "wsbc.5", "Evidence of improved learning" },
		{ "issl.6c", "Building others' capacity" },
		{ "issl.9z", NULL },
		{ "nope.1", NULL },
		{ "issl", NULL },
		{ "issl.", NULL },
		{ ".1a", NULL },
		{ "", NULL },
		{ "lfl.focus.1", NULL },
	};
	struct lps_frameworks *fws = builtin();

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct lps_standard *s =
			lps_frameworks_standard(fws, cases[i].ref);

		if (!cases[i].title) {
			if (s)
				fail_msg("%s: expected no standard",
					 cases[i].ref);
			continue;
		}
		if (!s)
			fail_msg("%s: not found", cases[i].ref);
		assert_string_equal(s->title, cases[i].title);
	}
	lps_frameworks_free(fws);
}

static void test_prompts_by_phase(void **state)
{
	struct lps_frameworks *fws = builtin();
	const struct lps_prompt **list;
	const struct lps_prompt *p;
	size_t n, i;

	(void)state;
	no_error(lps_frameworks_prompts(&list, &n, fws, NULL));
	assert_int_equal(n, 9 + 22 + 10 + 5);
	free(list);

	/* The two lps focus prompts, and every prompt without a phase. */
	no_error(lps_frameworks_prompts(&list, &n, fws, "focus"));
	assert_int_equal(n, 9 + 22 + 2 + 5);
	for (i = 0; i < n; i++)
		if (list[i]->phase)
			assert_string_equal(list[i]->phase, "focus");
	assert_string_equal(list[0]->id, "issl.1a.1");
	assert_string_equal(list[31]->id, "lps.focus.1");
	assert_string_equal(list[32]->id, "lps.focus.2");
	free(list);

	no_error(lps_frameworks_prompts(&list, &n, fws, "nonsense"));
	assert_int_equal(n, 9 + 22 + 5);
	free(list);

	p = lps_frameworks_prompt(fws, "lps.outcomes.2");
	assert_non_null(p);
	assert_string_equal(p->phase, "outcomes");
	assert_string_equal(p->standard->code, "outcomes");
	assert_string_equal(p->text,
			    "What will you stop, keep and start in the next "
			    "cycle?");
	assert_null(lps_frameworks_prompt(fws, "lps.outcomes.3"));
	lps_frameworks_free(fws);
}

static const char riverside[] =
	"lps: 1\n"
	"name: riverside\n"
	"title: Riverside leadership expectations\n"
	"standards:\n"
	"  - code: instruction\n"
	"    title: Instructional leadership\n"
	"    prompts:\n"
	"      - id: riverside.instruction.1\n"
	"        text: How much of your week did you spend in classrooms?\n"
	"        phase: action\n"
	"  - code: culture\n"
	"    title: Culture and climate\n";

static void test_add_portfolio_framework(void **state)
{
	struct lps_frameworks *fws = builtin();
	const struct lps_framework *fw;
	const struct lps_prompt **list;
	size_t n;

	(void)state;
	no_error(lps_frameworks_add(fws,
				    load_text("frameworks/riverside.yaml",
					      riverside),
				    "frameworks/riverside.yaml"));
	assert_int_equal(lps_frameworks_count(fws), 5);
	fw = lps_frameworks_at(fws, 4);
	assert_string_equal(fw->name, "riverside");
	assert_string_equal(fw->path, "frameworks/riverside.yaml");
	assert_null(fw->description);
	assert_string_equal(lps_frameworks_standard(fws, "riverside.culture")
			    ->title, "Culture and climate");
	no_error(lps_frameworks_prompts(&list, &n, fws, "action"));
	assert_int_equal(n, 9 + 22 + 2 + 5 + 1);
	assert_string_equal(list[n - 1]->id, "riverside.instruction.1");
	free(list);
	lps_frameworks_free(fws);
}

static void expect_refused(const char *text, const char *path,
			   const char *expect)
{
	struct lps_frameworks *fws = builtin();
	struct lps_error *err;
	char *msg;

	err = lps_frameworks_add(fws, load_text("frameworks/x.yaml", text),
				 path);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EINVALID);
	msg = lps_error_format(err);
	assert_string_equal(msg, expect);
	free(msg);
	lps_error_free(err);
	/* Nothing was added. */
	assert_int_equal(lps_frameworks_count(fws), 4);
	lps_frameworks_free(fws);
}

static void test_add_refused(void **state)
{
	(void)state;
	expect_refused(riverside, "frameworks/other.yaml",
		       "frameworks/x.yaml:2:7: framework riverside must be "
		       "kept in frameworks/riverside.yaml");
	expect_refused("lps: 1\nname: lfl\ntitle: Mine\nstandards:\n"
		       "  - {code: a, title: A}\n", "frameworks/lfl.yaml",
		       "frameworks/x.yaml:2:7: framework lfl already exists "
		       "(it is built in)");
	expect_refused("lps: 1\nname: d\ntitle: D\nstandards:\n"
		       "  - code: a\n    title: A\n    standards:\n"
		       "      - code: a\n        title: Again\n", NULL,
		       "frameworks/x.yaml:8:15: standard code a is used "
		       "twice in framework d");
	expect_refused("lps: 1\nname: d\ntitle: D\nstandards:\n"
		       "  - code: a\n    title: A\n    prompts:\n"
		       "      - id: d.b.1\n        text: Why?\n", NULL,
		       "frameworks/x.yaml:8:13: prompt id does not name its "
		       "standard: expected d.a.N");
	expect_refused("lps: 1\nname: d\ntitle: D\nstandards:\n"
		       "  - code: a\n    title: A\n    prompts:\n"
		       "      - {id: d.a.1, text: Why?}\n"
		       "      - {id: d.a.1, text: How?}\n", NULL,
		       "frameworks/x.yaml:9:14: prompt id d.a.1 is used "
		       "twice");
	expect_refused("lps: 1\nname: d\ntitle: D\nstandards: []\n", NULL,
		       "frameworks/x.yaml:4:12: standards: "
		       "must have at least 1 item (got 0)");
}

static void test_add_twice(void **state)
{
	struct lps_frameworks *fws = builtin();
	struct lps_error *err;

	(void)state;
	no_error(lps_frameworks_add(fws, load_text("a.yaml", riverside),
				    NULL));
	err = lps_frameworks_add(fws, load_text("b.yaml", riverside), NULL);
	assert_non_null(err);
	assert_string_equal(err->msg, "framework riverside already exists");
	lps_error_free(err);
	assert_int_equal(lps_frameworks_count(fws), 5);
	lps_frameworks_free(fws);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_lfl_prompts_per_area),
		cmocka_unit_test(test_issl_tree),
		cmocka_unit_test(test_standard_lookup),
		cmocka_unit_test(test_prompts_by_phase),
		cmocka_unit_test(test_add_portfolio_framework),
		cmocka_unit_test(test_add_refused),
		cmocka_unit_test(test_add_twice),
	};

	unsetenv("LPS_SCHEMA_DIR");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
