/*
 * test-projection.c - what the published history leaves out, and the
 * subjects of commits that touched private documents.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "projection.h"

static int priv(const char *path, const char *text)
{
	return lps_projection_doc_private(path, text, text ? strlen(text) : 0);
}

static void test_reflections_private_unless_roundtable(void **state)
{
	(void)state;
	assert_int_equal(priv("reflections/r-00000001.yaml", "lps: 1\n"), 1);
	assert_int_equal(priv("reflections/r-00000001.yaml",
			      "visibility: private\n"), 1);
	assert_int_equal(priv("reflections/r-00000001.yaml",
			      "visibility: roundtable\n"), 0);
	assert_int_equal(priv("reflections/notes.txt", "x"), 1);
}

static void test_documents_shared_unless_private(void **state)
{
	(void)state;
	assert_int_equal(priv("goals/g-00000001.yaml", "title: a\n"), 0);
	assert_int_equal(priv("goals/g-00000001.yaml",
			      "visibility: private\n"), 1);
	assert_int_equal(priv("evidence/e-00000001.yaml",
			      "visibility: shared\n"), 0);
	assert_int_equal(priv("feedback/f-00000001.yaml",
			      "visibility: private\n"), 1);
	assert_int_equal(priv("assessments/2026-2027/issl-1a.yaml",
			      "visibility: private\n"), 1);
	/* Cannot be shown to be shared: kept back. */
	assert_int_equal(priv("goals/g-00000001.yaml", "a: [\n"), 1);
	assert_int_equal(priv("goals/g-00000001.yaml", "- a\n"), 1);
	assert_int_equal(priv("goals/g-00000001.yaml",
			      "visibility: [private]\n"), 1);
	/* Not documents with a visibility. */
	assert_int_equal(priv("lps.yaml", "visibility: private\n"), 0);
	assert_int_equal(priv("frameworks/x.yaml", "a: [\n"), 0);
}

static void test_attachment_owner(void **state)
{
	char owner[64];
	(void)state;
	assert_int_equal(lps_projection_attachment_owner(
				 "evidence/e-00000001/scan.pdf", owner,
				 sizeof(owner)), 1);
	assert_string_equal(owner, "evidence/e-00000001.yaml");
	assert_int_equal(lps_projection_attachment_owner(
				 "evidence/e-00000001.yaml", owner,
				 sizeof(owner)), 0);
	assert_int_equal(lps_projection_attachment_owner(
				 "goals/g-1/x", owner, sizeof(owner)), 0);
	assert_int_equal(lps_projection_attachment_owner(
				 "evidence//x", owner, sizeof(owner)), 0);
}

static void test_private_message(void **state)
{
	char *m = NULL;
	(void)state;
	assert_null(lps_projection_message(&m,
		"reflection: add r-00000001 \"My secret\"\n\nbody text\n\n"
		"LPS-Command: reflect\nLPS-Phase: action\nOther: x\n", 1));
	assert_string_equal(m, "reflection: private change\n\n"
			       "LPS-Command: reflect\nLPS-Phase: action\n");
	free(m);
	assert_null(lps_projection_message(&m, "no area here\n", 1));
	assert_string_equal(m, "lps: private change\n");
	free(m);
	assert_null(lps_projection_message(&m, "goal: add x\n", 0));
	assert_string_equal(m, "goal: add x\n");
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reflections_private_unless_roundtable),
		cmocka_unit_test(test_documents_shared_unless_private),
		cmocka_unit_test(test_attachment_owner),
		cmocka_unit_test(test_private_message),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
