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

static void test_numbers(void **state)
{
	(void)state;
	static const struct { const char *s; int ok; double v; } cases[] = {
		{ "54", 1, 54 }, { "-3.5", 1, -3.5 }, { "+2", 1, 2 },
		{ "1e3", 1, 1000 }, { ".5", 1, 0.5 }, { "5.", 1, 5 },
		{ "ten", 0, 0 }, { "", 0, 0 }, { "0x10", 0, 0 },
		{ "inf", 0, 0 }, { "nan", 0, 0 }, { " 5", 0, 0 },
		{ "5 ", 0, 0 }, { "1e", 0, 0 }, { "-", 0, 0 }, { ".", 0, 0 },
		{ "1e999", 0, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double v = -1;
		assert_int_equal(lps_goal_parse_number(cases[i].s, &v),
				 cases[i].ok);
		if (cases[i].ok)
			assert_true(v == cases[i].v);
	}
	assert_int_equal(lps_goal_percent(0.5), 50);
	assert_int_equal(lps_goal_percent(0.505), 51);
	assert_int_equal(lps_goal_percent(-0.004), 0);
	assert_int_equal(lps_goal_percent(-0.25), -25);
	assert_int_equal(lps_goal_percent(1.0 / 3), 33);
	assert_int_equal(lps_goal_percent(2.0 / 3), 67);

	struct lps_doc *doc = NULL;
	assert_null(lps_doc_new(&doc, "x"));
	struct lps_node *n = lps_goal_number_node(doc, 40.0);
	assert_int_equal(n->type, LPS_NODE_INT);
	assert_int_equal(n->v.integer, 40);
	n = lps_goal_number_node(doc, 2.5);
	assert_int_equal(n->type, LPS_NODE_FLOAT);
	lps_doc_free(doc);
}

static void test_indicator_ops(void **state)
{
	(void)state;
	struct lps_doc *doc = load(GOAL_HEAD);
	struct lps_node *g = lps_doc_root(doc);
	char key[8];
	struct lps_measurement_fields m = { .value = 45, .date = "2026-10-01" };

	/* No indicator yet: a measurement has nowhere to go. */
	struct lps_error *err = lps_goal_add_measurement(doc, g, &m, key);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EINVALID);
	assert_string_equal(err->msg, "goal g-00000001 has no indicators; "
			    "add one with: lps goal indicator add");
	lps_error_free(err);

	struct lps_indicator_fields f = { .measure = "Reading at benchmark",
		.baseline = 40, .target = 60, .unit = "%", .due = "2027-05-30" };
	assert_null(lps_goal_add_indicator(doc, g, &f, key));
	assert_string_equal(key, "k1");
	/* The only indicator is the default. */
	assert_null(lps_goal_add_measurement(doc, g, &m, key));
	assert_string_equal(key, "k1");

	struct lps_indicator_fields f2 = { .measure = "Absences",
		.baseline = 12.5, .target = 4 };
	assert_null(lps_goal_add_indicator(doc, g, &f2, key));
	assert_string_equal(key, "k2");

	/* Two indicators: one must be named. */
	err = lps_goal_add_measurement(doc, g, &m, key);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EUSAGE);
	assert_string_equal(err->msg, "goal g-00000001 has several indicators "
			    "(k1, k2): choose one with --indicator");
	lps_error_free(err);
	m.indicator = "k9";
	err = lps_goal_add_measurement(doc, g, &m, key);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_ENOTFOUND);
	assert_string_equal(err->msg,
			    "goal g-00000001 has no indicator \"k9\" (k1, k2)");
	lps_error_free(err);
	struct lps_measurement_fields m2 = { .indicator = "k2", .value = 10.5,
		.date = "2026-11-02", .evidence = "e-0000abcd" };
	assert_null(lps_goal_add_measurement(doc, g, &m2, key));
	assert_string_equal(key, "k2");

	char *y = emit(lps_map_get(g, "indicators"));
	assert_string_equal(y,
		"- id: k1\n"
		"  measure: Reading at benchmark\n"
		"  baseline: 40\n"
		"  target: 60\n"
		"  unit: \"%\"\n"
		"  due: 2027-05-30\n"
		"  measurements:\n"
		"    - date: 2026-10-01\n"
		"      value: 45\n"
		"- id: k2\n"
		"  measure: Absences\n"
		"  baseline: 12.5\n"
		"  target: 4\n"
		"  measurements:\n"
		"    - date: 2026-11-02\n"
		"      value: 10.5\n"
		"      evidence: e-0000abcd\n");
	free(y);
	assert_true(valid_goal(g));
	lps_doc_free(doc);

	/* Keys continue after the largest one, even with gaps. */
	doc = load(GOAL_HEAD "indicators:\n"
		   "- {id: k3, measure: a, baseline: 1, target: 2}\n");
	assert_null(lps_goal_add_indicator(doc, lps_doc_root(doc), &f, key));
	assert_string_equal(key, "k4");
	lps_doc_free(doc);

	/* A target equal to the baseline has no progress: refused. */
	doc = load(GOAL_HEAD);
	struct lps_indicator_fields flat = { .measure = "m", .baseline = 1,
					     .target = 1 };
	err = lps_goal_add_indicator(doc, lps_doc_root(doc), &flat, key);
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EUSAGE);
	assert_string_equal(err->msg, "--target must differ from --baseline");
	lps_error_free(err);
	assert_null(lps_map_get(lps_doc_root(doc), "indicators"));
	lps_doc_free(doc);
}

static void test_indicator_flat(void **state)
{
	(void)state;
	struct lps_doc *doc = load(GOAL_HEAD
		"indicators:\n"
		"- {id: k1, measure: a, baseline: 1, target: 1.0}\n"
		"- {id: k2, measure: b, baseline: 1, target: 2}\n"
		"- {id: k3, measure: c, baseline: -0.5, target: -0.5}\n"
		"- {id: k4, measure: d, baseline: '1', target: 1}\n"
		"- {id: k5, measure: e, target: 1}\n");
	const struct lps_node *g = lps_doc_root(doc);
	assert_true(lps_goal_indicator_flat(lps_goal_indicator(g, "k1")));
	assert_false(lps_goal_indicator_flat(lps_goal_indicator(g, "k2")));
	assert_true(lps_goal_indicator_flat(lps_goal_indicator(g, "k3")));
	/* not numbers: the schema's business */
	assert_false(lps_goal_indicator_flat(lps_goal_indicator(g, "k4")));
	assert_false(lps_goal_indicator_flat(lps_goal_indicator(g, "k5")));
	assert_false(lps_goal_indicator_flat(NULL));
	lps_doc_free(doc);
}

static void test_action_ops(void **state)
{
	(void)state;
	struct lps_doc *doc = load(GOAL_HEAD);
	struct lps_node *g = lps_doc_root(doc);
	char key[8];
	assert_null(lps_goal_add_action(doc, g, "Train staff", "2026-11-01",
					"Pat Lee", key));
	assert_string_equal(key, "s1");
	assert_null(lps_goal_add_action(doc, g, "Review data", NULL, NULL,
					key));
	assert_string_equal(key, "s2");

	struct lps_node *a = lps_goal_action(g, "s1");
	assert_non_null(a);
	assert_null(lps_goal_action(g, "s3"));
	assert_null(lps_goal_action(g, NULL));
	assert_true(lps_goal_action_overdue(a, "2026-11-02"));
	assert_false(lps_goal_action_overdue(a, "2026-11-01"));
	assert_false(lps_goal_action_overdue(lps_goal_action(g, "s2"),
					     "2030-01-01"));

	assert_null(lps_goal_action_done(doc, g, "s1", "2026-11-05"));
	assert_false(lps_goal_action_overdue(a, "2026-11-09"));
	struct lps_error *err = lps_goal_action_done(doc, g, "s1",
						     "2026-11-06");
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EINVALID);
	assert_string_equal(err->msg, "action step s1 of g-00000001 is "
			    "already done (2026-11-05)");
	lps_error_free(err);
	err = lps_goal_action_done(doc, g, "s7", "2026-11-06");
	assert_non_null(err);
	assert_int_equal(err->code, LPS_ENOTFOUND);
	assert_string_equal(err->msg,
			    "goal g-00000001 has no action step \"s7\"");
	lps_error_free(err);

	char *y = emit(lps_map_get(g, "actions"));
	assert_string_equal(y,
		"- id: s1\n"
		"  text: Train staff\n"
		"  due: 2026-11-01\n"
		"  owner: Pat Lee\n"
		"  status: done\n"
		"  done: 2026-11-05\n"
		"- id: s2\n"
		"  text: Review data\n"
		"  status: open\n");
	free(y);
	assert_true(valid_goal(g));
	lps_doc_free(doc);
}

static void test_set_drop(void **state)
{
	(void)state;
	struct lps_doc *doc = load(GOAL_HEAD "area: focus\n");
	struct lps_node *g = lps_doc_root(doc);
	assert_null(lps_goal_set(doc, g, "title", "New title"));
	assert_string_equal(lps_node_str(lps_map_get(g, "title")),
			    "New title");
	assert_null(lps_goal_set(doc, g, "standards",
				 " issl.1a, ,lfl.focus "));
	struct lps_node *st = lps_map_get(g, "standards");
	assert_int_equal(st->v.seq.n, 2);
	assert_string_equal(lps_node_str(st->v.seq.items[0]), "issl.1a");
	assert_string_equal(lps_node_str(st->v.seq.items[1]), "lfl.focus");
	assert_null(lps_goal_set(doc, g, "standards", ""));
	assert_null(lps_map_get(g, "standards"));
	assert_null(lps_goal_set(doc, g, "area", ""));
	assert_null(lps_map_get(g, "area"));
	assert_null(lps_goal_set(doc, g, "visibility", "private"));

	static const struct { const char *k, *v, *msg; } bad[] = {
		{ "id", "g-00000002", "cannot set \"id\" (keys: title, agenda, "
		  "status, area, aligns, statement, visibility, standards)" },
		{ "status", "dropped", "to drop a goal use: lps goal drop ID "
		  "--reason TEXT" },
		{ "title", "", "title cannot be empty" },
		{ "title", " \t\n ", "title cannot be empty" },
		{ "agenda", "  ", "agenda cannot be empty" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct lps_error *err = lps_goal_set(doc, g, bad[i].k,
						     bad[i].v);
		assert_non_null(err);
		assert_int_equal(err->code, LPS_EUSAGE);
		assert_string_equal(err->msg, bad[i].msg);
		lps_error_free(err);
	}
	assert_true(valid_goal(g));

	/* whitespace alone removes an optional field */
	assert_null(lps_goal_set(doc, g, "statement", "Why"));
	assert_null(lps_goal_set(doc, g, "statement", "  "));
	assert_null(lps_map_get(g, "statement"));

	static const char *const no_reason[] = { "", "   ", "\t\n", NULL };
	for (size_t i = 0; no_reason[i]; i++) {
		struct lps_error *err = lps_goal_drop(doc, g, no_reason[i]);
		assert_non_null(err);
		assert_int_equal(err->code, LPS_EUSAGE);
		lps_error_free(err);
		assert_string_equal(lps_node_str(lps_map_get(g, "status")),
				    "active");
	}
	assert_null(lps_goal_drop(doc, g, "Merged into another goal"));
	assert_string_equal(lps_node_str(lps_map_get(g, "status")), "dropped");
	assert_true(valid_goal(g));
	assert_false(lps_goal_is_open(g));
	/* Re-opening clears the reason, so the document stays valid. */
	assert_null(lps_goal_set(doc, g, "status", "active"));
	assert_null(lps_map_get(g, "dropped_reason"));
	assert_true(valid_goal(g));
	lps_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new),
		cmocka_unit_test(test_indicator),
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_is_open),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_indicator_ops),
		cmocka_unit_test(test_indicator_flat),
		cmocka_unit_test(test_action_ops),
		cmocka_unit_test(test_set_drop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
