/* Unit tests of lib/goal: building a goal, finding indicators, progress
 * (no measurements, target == baseline, decreasing targets, several
 * measurements on one date) and the tree operations. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "goal.h"
#include "registry.h"

/* Load YAML text into a doc (the test fails when it does not load). */
static struct lps_doc *load(const char *text)
{
	struct lps_doc *doc = NULL;
	struct lps_error *err =
		lps_doc_load(&doc, "goals/g-00000001.yaml", text, strlen(text),
			     NULL);
	if (err)
		fail_msg("load: %s", err->msg);
	return doc;
}

/* Emit a node as YAML into a malloc'd string. */
static char *emit(const struct lps_node *n)
{
	struct lps_buf b = LPS_BUF_INIT;
	assert_null(lps_doc_emit(n, &b));
	return lps_buf_detach(&b, NULL);
}

/* 1 when root validates as a goal. */
static int valid_goal(const struct lps_node *root)
{
	const struct lps_registry *reg;
	int valid = 0;
	assert_null(lps_registry_get(&reg));
	assert_null(lps_registry_validate(&valid, NULL, reg, "goal", root));
	return valid;
}

#define GOAL_HEAD \
	"lps: 1\nid: g-00000001\ntitle: T\nagenda: student\n" \
	"status: active\ncycle: 2026-2027\ncreated: 2026-09-01\n"

static void test_new(void **state)
{
	(void)state;
	const char *stds[] = { "issl.1a", "lfl.focus" };
	struct lps_goal_fields f = {
		.id = "g-3f9a1c07", .title = "Raise grade 3 reading",
		.agenda = "student", .area = "focus", .cycle = "2026-2027",
		.standards = stds, .nstandards = 2,
		.aligns = "District goal 2", .created = "2026-10-01",
	};
	struct lps_doc *doc = NULL;
	assert_null(lps_goal_new(&doc, "goals/g-3f9a1c07.yaml", &f));
	char *y = emit(lps_doc_root(doc));
	assert_string_equal(y,
		"lps: 1\n"
		"id: g-3f9a1c07\n"
		"title: Raise grade 3 reading\n"
		"agenda: student\n"
		"area: focus\n"
		"status: active\n"
		"cycle: 2026-2027\n"
		"standards:\n"
		"  - issl.1a\n"
		"  - lfl.focus\n"
		"aligns: District goal 2\n"
		"created: 2026-10-01\n");
	assert_true(valid_goal(lps_doc_root(doc)));
	assert_string_equal(lps_doc_name(doc), "goals/g-3f9a1c07.yaml");
	free(y);
	lps_doc_free(doc);

	/* The required fields are required. */
	struct lps_goal_fields g = { .id = "g-3f9a1c07", .title = "T" };
	struct lps_error *err = lps_goal_new(&doc, "x", &g);
	assert_non_null(err);
	assert_null(doc);
	assert_int_equal(err->code, LPS_EINVALID);
	lps_error_free(err);
}

static void test_indicator(void **state)
{
	(void)state;
	struct lps_doc *doc = load(GOAL_HEAD
		"indicators:\n"
		"- {id: k1, measure: a, baseline: 1, target: 2}\n"
		"- {id: k2, measure: b, baseline: 1, target: 2}\n");
	const struct lps_node *g = lps_doc_root(doc);
	assert_string_equal(lps_node_str(lps_map_get(
		lps_goal_indicator(g, NULL), "measure")), "a");
	assert_string_equal(lps_node_str(lps_map_get(
		lps_goal_indicator(g, "k2"), "measure")), "b");
	assert_null(lps_goal_indicator(g, "k3"));
	lps_doc_free(doc);

	doc = load(GOAL_HEAD);
	assert_null(lps_goal_indicator(lps_doc_root(doc), NULL));
	lps_doc_free(doc);
}

static void test_progress(void **state)
{
	(void)state;
	struct lps_doc *doc = load(GOAL_HEAD
		"indicators:\n"
		/* no measurements */
		"- {id: k1, measure: a, baseline: 40, target: 60}\n"
		/* target == baseline */
		"- id: k2\n  measure: b\n  baseline: 5\n  target: 5\n"
		"  measurements: [{date: 2026-10-01, value: 7}]\n"
		/* rising, measurements out of date order */
		"- id: k3\n  measure: c\n  baseline: 40\n  target: 60\n"
		"  measurements:\n"
		"  - {date: 2026-12-01, value: 50}\n"
		"  - {date: 2026-10-01, value: 45}\n"
		/* decreasing target (fewer absences), floats */
		"- id: k4\n  measure: d\n  baseline: 12.0\n  target: 4\n"
		"  measurements: [{date: 2026-11-01, value: 10}]\n"
		/* several on one date: the last listed wins */
		"- id: k5\n  measure: e\n  baseline: 0\n  target: 10\n"
		"  measurements:\n"
		"  - {date: 2026-11-01, value: 2}\n"
		"  - {date: 2026-11-01, value: 8}\n"
		"  - {date: 2026-10-01, value: 9}\n");
	const struct lps_node *g = lps_doc_root(doc);
	double p = -99, l = -99;
	const char *d = NULL;

	assert_int_equal(lps_goal_indicator_progress(
		lps_goal_indicator(g, "k1"), &p, &l), 0);
	assert_true(p == -99 && l == -99);
	assert_int_equal(lps_goal_latest(lps_goal_indicator(g, "k1"), &l,
					 &d), 0);

	assert_int_equal(lps_goal_indicator_progress(
		lps_goal_indicator(g, "k2"), &p, &l), 0);
	assert_true(p == -99);
	assert_true(l == 7);

	assert_int_equal(lps_goal_indicator_progress(
		lps_goal_indicator(g, "k3"), &p, &l), 1);
	assert_true(fabs(p - 0.5) < 1e-12);
	assert_true(l == 50);
	assert_int_equal(lps_goal_latest(lps_goal_indicator(g, "k3"), &l,
					 &d), 1);
	assert_string_equal(d, "2026-12-01");

	assert_int_equal(lps_goal_indicator_progress(
		lps_goal_indicator(g, "k4"), &p, &l), 1);
	assert_true(fabs(p - 0.25) < 1e-12);
	assert_true(l == 10);

	assert_int_equal(lps_goal_indicator_progress(
		lps_goal_indicator(g, "k5"), &p, &l), 1);
	assert_true(fabs(p - 0.8) < 1e-12);
	assert_true(l == 8);

	/* Mean of k3, k4, k5 (k1 and k2 have none). */
	assert_int_equal(lps_goal_progress(g, &p), 3);
	assert_true(fabs(p - (0.5 + 0.25 + 0.8) / 3) < 1e-12);
	lps_doc_free(doc);

	/* Beyond the target and below the baseline. */
	doc = load(GOAL_HEAD
		"indicators:\n"
		"- id: k1\n  measure: a\n  baseline: 10\n  target: 20\n"
		"  measurements: [{date: 2026-10-01, value: 25}]\n"
		"- id: k2\n  measure: a\n  baseline: 10\n  target: 20\n"
		"  measurements: [{date: 2026-10-01, value: 5}]\n");
	g = lps_doc_root(doc);
	assert_int_equal(lps_goal_indicator_progress(
		lps_goal_indicator(g, "k1"), &p, NULL), 1);
	assert_true(fabs(p - 1.5) < 1e-12);
	assert_int_equal(lps_goal_indicator_progress(
		lps_goal_indicator(g, "k2"), &p, NULL), 1);
	assert_true(fabs(p + 0.5) < 1e-12);
	lps_doc_free(doc);

	/* No indicators at all. */
	doc = load(GOAL_HEAD);
	p = -99;
	assert_int_equal(lps_goal_progress(lps_doc_root(doc), &p), 0);
	assert_true(p == -99);
	lps_doc_free(doc);
}

static void test_is_open(void **state)
{
	(void)state;
	static const struct { const char *status; int open; } cases[] = {
		{ "proposed", 1 }, { "active", 1 }, { "met", 0 },
		{ "partially-met", 0 }, { "not-met", 0 }, { "dropped", 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[256];
		snprintf(text, sizeof(text),
			 "id: g-00000001\nstatus: %s\n", cases[i].status);
		struct lps_doc *doc = load(text);
		assert_int_equal(lps_goal_is_open(lps_doc_root(doc)),
				 cases[i].open);
		lps_doc_free(doc);
	}
	struct lps_doc *doc = load("id: g-00000001\n");
	assert_int_equal(lps_goal_is_open(lps_doc_root(doc)), 0);
	lps_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new),
		cmocka_unit_test(test_indicator),
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_is_open),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
