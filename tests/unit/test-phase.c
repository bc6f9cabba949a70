/* Unit tests of lib/phase: phase names, each gate's missing items (exact
 * text), which goals count, evidence before or after its goal, the next
 * cycle's name and a carried goal. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phase.h"
#include "registry.h"

static struct lps_doc *load(const char *name, const char *text)
{
	struct lps_doc *doc = NULL;
	struct lps_error *err = lps_doc_load(&doc, name, text, strlen(text),
					     NULL);
	if (err)
		fail_msg("load %s: %s", name, err->msg);
	return doc;
}

#define META(phase, extra) \
	"lps: 1\nowner:\n  name: Ada\nrole: principal\ncycle: 2026-2027\n" \
	"phase: " phase "\ncreated: 2026-09-01\n" extra

#define GOAL(id, title, status, cycle, extra) \
	"lps: 1\nid: " id "\ntitle: " title "\nagenda: student\n" \
	"status: " status "\ncycle: " cycle "\ncreated: 2026-09-01\n" extra

#define IND "indicators:\n  - id: k1\n    measure: m\n    baseline: 40\n" \
	"    target: 70\n"
#define STD "standards: [issl.1a]\n"
#define ACT "actions:\n  - id: s1\n    text: do\n    status: open\n"

/* Gate state for one test: the meta doc and every fed doc. */
struct run {
	struct lps_doc *docs[16];
	size_t n;
	struct lps_gate *gate;
	struct lps_gaps gaps;
};

static void start(struct run *r, const char *meta)
{
	memset(r, 0, sizeof(*r));
	r->docs[r->n++] = load("lps.yaml", meta);
	assert_null(lps_gate_new(&r->gate, lps_doc_root(r->docs[0])));
}

static void feed(struct run *r, char kind, const char *text)
{
	struct lps_doc *d = load("x.yaml", text);
	struct lps_node *root = lps_doc_root(d);

	r->docs[r->n++] = d;
	if (kind == 'g')
		assert_null(lps_gate_goal(r->gate, root));
	else if (kind == 'e')
		assert_null(lps_gate_evidence(r->gate, root));
	else
		assert_null(lps_gate_reflection(r->gate, root));
}

/* The missing items joined with newlines. */
static char *result(struct run *r)
{
	struct lps_buf b = LPS_BUF_INIT;

	assert_null(lps_gate_result(r->gate, &r->gaps));
	lps_buf_adds(&b, "");
	for (size_t i = 0; i < r->gaps.n; i++)
		lps_buf_addf(&b, "%s\n", r->gaps.items[i].text);
	return lps_buf_detach(&b, NULL);
}

static void finish(struct run *r, const char *want)
{
	char *got = result(r);

	assert_string_equal(got, want);
	free(got);
	lps_gaps_free(&r->gaps);
	lps_gate_free(r->gate);
	for (size_t i = 0; i < r->n; i++)
		lps_doc_free(r->docs[i]);
}

static void test_names(void **state)
{
	(void)state;
	assert_int_equal(lps_phase_index("purpose"), 0);
	assert_int_equal(lps_phase_index("outcomes"), 4);
	assert_int_equal(lps_phase_index("Focus"), -1);
	assert_int_equal(lps_phase_index(NULL), -1);
	assert_string_equal(lps_phase_name(2), "structures");
	assert_null(lps_phase_name(5));
	assert_string_equal(lps_phase_next("action"), "outcomes");
	assert_string_equal(lps_phase_next("outcomes"), "purpose");
	assert_null(lps_phase_next("later"));
}

static void test_bad_meta(void **state)
{
	(void)state;
	struct lps_doc *d = load("lps.yaml", "cycle: x\nphase: later\n");
	struct lps_gate *g = (struct lps_gate *)1;
	struct lps_error *err = lps_gate_new(&g, lps_doc_root(d));

	assert_non_null(err);
	assert_null(g);
	assert_string_equal(err->msg, "lps.yaml: unknown phase later");
	lps_error_free(err);
	lps_doc_free(d);
}

static void test_purpose(void **state)
{
	(void)state;
	struct run r;

	start(&r, META("purpose", ""));
	assert_int_equal(lps_gate_needs(r.gate), 0);
	assert_string_equal(lps_gate_from(r.gate), "purpose");
	assert_string_equal(lps_gate_to(r.gate), "focus");
	finish(&r, "no purpose function chosen\nno purpose statement written\n");

	start(&r, META("purpose", "purpose:\n  function: growth\n"));
	finish(&r, "no purpose statement written\n");

	start(&r, META("purpose", "purpose:\n  statement: Why\n"));
	finish(&r, "no purpose function chosen\n");

	start(&r, META("purpose",
		       "purpose:\n  function: growth\n  statement: Why\n"));
	finish(&r, "");
}

static void test_focus(void **state)
{
	(void)state;
	struct run r;

	start(&r, META("focus", ""));
	assert_int_equal(lps_gate_needs(r.gate), LPS_GATE_GOALS);
	finish(&r, "no active goal in cycle 2026-2027\n");

	/* Goals of other cycles and closed goals do not count. */
	start(&r, META("focus", ""));
	feed(&r, 'g', GOAL("g-00000003", "Old", "active", "2025-2026", ""));
	feed(&r, 'g', GOAL("g-00000004", "Done", "met", "2026-2027", ""));
	finish(&r, "no active goal in cycle 2026-2027\n");

	/* Each open goal is checked, in id order whatever the feed order. */
	start(&r, META("focus", ""));
	feed(&r, 'g', GOAL("g-00000002", "Raise \"reading\"", "proposed",
			   "2026-2027", IND));
	feed(&r, 'g', GOAL("g-00000001", "Raise reading", "active",
			   "2026-2027", STD));
	feed(&r, 'g', GOAL("g-00000005", "Ok", "active", "2026-2027",
			   IND "aligns: District goal 2\n"));
	feed(&r, 'g', GOAL("g-00000006", "Both", "active", "2026-2027", ""));
	finish(&r,
	       "g-00000001 \"Raise reading\": no indicator with baseline and target\n"
	       "g-00000002 \"Raise \"reading\"\": no standard or district-goal alignment\n"
	       "g-00000006 \"Both\": no indicator with baseline and target\n"
	       "g-00000006 \"Both\": no standard or district-goal alignment\n");

	start(&r, META("focus", ""));
	feed(&r, 'g', GOAL("g-00000001", "A", "active", "2026-2027",
			   IND STD));
	finish(&r, "");

	/* An indicator whose target is its baseline does not count. */
	start(&r, META("focus", ""));
	feed(&r, 'g', GOAL("g-00000001", "Flat", "active", "2026-2027",
			   "indicators:\n  - id: k1\n    measure: m\n"
			   "    baseline: 5\n    target: 5.0\n" STD));
	feed(&r, 'g', GOAL("g-00000002", "Flat and not", "active",
			   "2026-2027",
			   "indicators:\n  - id: k1\n    measure: m\n"
			   "    baseline: 5\n    target: 5\n"
			   "  - id: k2\n    measure: n\n"
			   "    baseline: 5\n    target: 6\n" STD));
	finish(&r, "g-00000001 \"Flat\": no indicator whose target differs "
		   "from its baseline\n");
}

static void test_structures(void **state)
{
	(void)state;
	struct run r;

	start(&r, META("structures", ""));
	finish(&r, "no partner or roundtable named\n");

	start(&r, META("structures",
		       "structures:\n  - kind: group\n    name: Data team\n"));
	finish(&r, "no partner or roundtable named\n");

	start(&r, META("structures", "partner:\n  name: Bo\n"));
	finish(&r, "");

	start(&r, META("structures", "roundtable:\n  name: North\n"));
	finish(&r, "");

	start(&r, META("structures",
		       "structures:\n  - kind: roundtable\n    name: North\n"));
	finish(&r, "");
}

static void test_action(void **state)
{
	(void)state;
	struct run r;

	start(&r, META("action", ""));
	assert_int_equal(lps_gate_needs(r.gate),
			 LPS_GATE_GOALS | LPS_GATE_EVIDENCE);
	/* Evidence before its goal, after it, and for an unknown goal. */
	feed(&r, 'e', "goals: [g-00000002, g-000000ff]\n");
	feed(&r, 'g', GOAL("g-00000001", "A", "active", "2026-2027", ACT));
	feed(&r, 'g', GOAL("g-00000002", "B", "active", "2026-2027", ""));
	feed(&r, 'g', GOAL("g-00000003", "C", "active", "2026-2027", ACT));
	feed(&r, 'g', GOAL("g-00000004", "D", "met", "2026-2027", ""));
	feed(&r, 'e', "goals: [g-00000003]\n");
	feed(&r, 'e', "title: no goals\n");
	finish(&r, "g-00000001 \"A\": no evidence\n"
		   "g-00000002 \"B\": no action step\n");

	/* No active goal: nothing to check. */
	start(&r, META("action", ""));
	finish(&r, "");
}

static void test_outcomes(void **state)
{
	(void)state;
	struct run r;

	start(&r, META("outcomes", ""));
	assert_int_equal(lps_gate_needs(r.gate),
			 LPS_GATE_GOALS | LPS_GATE_REFLECTIONS);
	feed(&r, 'g', GOAL("g-00000001", "A", "active", "2026-2027", ""));
	feed(&r, 'g', GOAL("g-00000002", "B", "met", "2026-2027", ""));
	feed(&r, 'g', GOAL("g-00000003", "C", "proposed", "2026-2027", ""));
	feed(&r, 'g', GOAL("g-00000004", "D", "active", "2025-2026", ""));
	/* Reflections of another phase or cycle do not count. */
	feed(&r, 'r', "phase: action\ncycle: 2026-2027\n");
	feed(&r, 'r', "phase: outcomes\ncycle: 2025-2026\n");
	finish(&r, "g-00000001 \"A\": no final status (it is active)\n"
		   "g-00000003 \"C\": no final status (it is proposed)\n"
		   "no outcomes reflection in cycle 2026-2027\n");

	start(&r, META("outcomes", ""));
	feed(&r, 'g', GOAL("g-00000001", "A", "not-met", "2026-2027", ""));
	feed(&r, 'g', GOAL("g-00000002", "B", "dropped", "2026-2027",
			   "dropped_reason: x\n"));
	feed(&r, 'g', GOAL("g-00000003", "C", "partially-met", "2026-2027",
			   ""));
	feed(&r, 'r', "phase: outcomes\ncycle: 2026-2027\n");
	finish(&r, "");

	/* A reflection without a cycle counts. */
	start(&r, META("outcomes", ""));
	feed(&r, 'r', "phase: outcomes\n");
	finish(&r, "");
}

static void test_title_controls(void **state)
{
	(void)state;
	struct run r;

	start(&r, META("action", ""));
	feed(&r, 'g', GOAL("g-00000001", "\"a\\tb\\nc\"", "active",
			   "2026-2027", ACT));
	finish(&r, "g-00000001 \"a b c\": no evidence\n");
}

static void test_next_cycle(void **state)
{
	(void)state;
	char out[LPS_CYCLE_MAX];
	struct lps_error *err;

	assert_null(lps_phase_next_cycle(out, "2026-2027"));
	assert_string_equal(out, "2027-2028");
	assert_null(lps_phase_next_cycle(out, "0999-1000"));
	assert_string_equal(out, "1000-1001");
	err = lps_phase_next_cycle(out, "2026-2028");
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EUSAGE);
	assert_string_equal(err->msg, "cannot tell the cycle after "
			    "\"2026-2028\"; name it with --cycle NAME");
	lps_error_free(err);
	err = lps_phase_next_cycle(out, "year-one");
	assert_non_null(err);
	lps_error_free(err);
}

static void test_carry(void **state)
{
	(void)state;
	struct lps_doc *old = load("goals/g-00000001.yaml", GOAL(
		"g-00000001", "Raise reading", "partially-met", "2026-2027",
		"area: focus\nstandards: [issl.1a, lfl.focus]\n"
		"aligns: District goal 2\nstatement: More readers\n"
		"indicators:\n"
		"  - id: k1\n    measure: proficient %\n    baseline: 40\n"
		"    target: 70\n    unit: '%'\n    due: 2027-05-01\n"
		"    measurements:\n"
		"      - date: 2027-01-10\n        value: 55\n"
		"      - date: 2026-11-10\n        value: 48\n"
		"  - id: k2\n    measure: absences\n    baseline: 12\n"
		"    target: 6\n"
		ACT "visibility: private\n"));
	struct lps_doc *nu = NULL;
	struct lps_buf b = LPS_BUF_INIT;
	const struct lps_registry *reg;
	int valid = 0;

	assert_null(lps_phase_carry(&nu, lps_doc_root(old), "g-0000000a",
				    "2027-2028", "2027-08-20"));
	assert_string_equal(lps_doc_name(nu), "goals/g-0000000a.yaml");
	assert_null(lps_registry_get(&reg));
	assert_null(lps_registry_validate(&valid, NULL, reg, "goal",
					  lps_doc_root(nu)));
	assert_true(valid);
	assert_null(lps_doc_emit(lps_doc_root(nu), &b));
	assert_string_equal(b.data,
		"lps: 1\n"
		"id: g-0000000a\n"
		"title: Raise reading\n"
		"agenda: student\n"
		"area: focus\n"
		"status: active\n"
		"cycle: 2027-2028\n"
		"created: 2027-08-20\n"
		"carried_from: g-00000001\n"
		"standards:\n  - issl.1a\n  - lfl.focus\n"
		"aligns: District goal 2\n"
		"statement: More readers\n"
		"visibility: private\n"
		"indicators:\n"
		"  - id: k1\n    measure: proficient %\n    baseline: 55\n"
		"    target: 70\n    unit: \"%\"\n"
		"  - id: k2\n    measure: absences\n    baseline: 12\n"
		"    target: 6\n");
	lps_buf_free(&b);
	lps_doc_free(nu);
	lps_doc_free(old);

	/* An indicator that reached its target is not carried; with none
	 * left the goal has no indicators (the focus gate asks for one). */
	old = load("goals/g-00000001.yaml", GOAL(
		"g-00000001", "Reached", "partially-met", "2026-2027",
		"indicators:\n"
		"  - id: k1\n    measure: m\n    baseline: 40\n"
		"    target: 70\n    measurements:\n"
		"      - date: 2027-01-10\n        value: 70.0\n"));
	assert_null(lps_phase_carry(&nu, lps_doc_root(old), "g-0000000b",
				    "2027-2028", "2027-08-20"));
	assert_null(lps_map_get(lps_doc_root(nu), "indicators"));
	assert_null(lps_registry_validate(&valid, NULL, reg, "goal",
					  lps_doc_root(nu)));
	assert_true(valid);
	lps_doc_free(nu);
	lps_doc_free(old);
}

/* A forced advance must say why: whitespace alone is refused before
 * the portfolio is read (so no portfolio is needed here). */
static void test_blank_reason(void **state)
{
	(void)state;
	static const char *const blank[] = { "", "  ", " \t\n", NULL };
	for (size_t i = 0; blank[i]; i++) {
		struct lps_advance_opts o = { 0 };
		struct lps_advance a;
		o.reason = blank[i];
		struct lps_error *err = lps_phase_advance(NULL, &o, &a);
		assert_non_null(err);
		assert_int_equal(err->code, LPS_EUSAGE);
		assert_string_equal(err->msg, "--reason cannot be empty: say "
				    "why the gate is overridden");
		lps_error_free(err);
		lps_advance_free(&a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_bad_meta),
		cmocka_unit_test(test_purpose),
		cmocka_unit_test(test_focus),
		cmocka_unit_test(test_structures),
		cmocka_unit_test(test_action),
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_title_controls),
		cmocka_unit_test(test_next_cycle),
		cmocka_unit_test(test_carry),
		cmocka_unit_test(test_blank_reason),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
