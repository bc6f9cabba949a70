/*
 * test-structure.c - keys of structures, and the structures list of
 * lps.yaml kept in step with its partner and roundtable fields.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "structure.h"

static void no_error(struct lps_error *err)
{
	if (err) {
		char *s = lps_error_format(err);
		fail_msg("unexpected error: %s", s ? s : "?");
	}
}

/* err has code and message; freed. */
static void is_error(struct lps_error *err, enum lps_error_code code,
		     const char *msg)
{
	assert_non_null(err);
	assert_int_equal(err->code, code);
	assert_string_equal(err->msg, msg);
	lps_error_free(err);
}

static struct lps_doc *load(const char *text)
{
	struct lps_doc *doc = NULL;
	no_error(lps_doc_load(&doc, "lps.yaml", text, strlen(text), NULL));
	return doc;
}

static void emits(const struct lps_doc *doc, const char *want)
{
	struct lps_buf b = LPS_BUF_INIT;
	no_error(lps_doc_emit(lps_doc_root(doc), &b));
	assert_string_equal(b.data, want);
	lps_buf_free(&b);
}

static void test_key(void **state)
{
	char k[LPS_STRUCTURE_KEY_MAX];
	lps_structure_key(k, "Ms. Rivera", "partner");
	assert_string_equal(k, "ms-rivera");
	lps_structure_key(k, "  North -- Roundtable 2! ", "group");
	assert_string_equal(k, "north-roundtable-2");
	lps_structure_key(k, "Équipe Dûpont", "group");
	assert_string_equal(k, "Équipe-dûpont");
	lps_structure_key(k, "!!!", "roundtable");
	assert_string_equal(k, "roundtable");
	char longname[300];
	memset(longname, 'a', 299);
	longname[299] = '\0';
	lps_structure_key(k, longname, "group");
	assert_int_equal(strlen(k), 64);
	/* a two-byte character is never cut in half */
	memset(longname, 'b', 63);
	strcpy(longname + 63, "é");
	lps_structure_key(k, longname, "group");
	assert_int_equal(strlen(k), 63);
}

static const char base[] = "lps: 1\nphase: structures\n";

static void test_add_and_sync(void **state)
{
	struct lps_doc *doc = load(base);
	struct lps_node *root = lps_doc_root(doc);
	const char *members[] = { "Bo", "Cy" };
	struct lps_structure_fields p = { "partner", "Ms. Rivera", NULL, 0,
					  NULL };
	struct lps_structure_fields r = { "roundtable", "North", members, 2,
					  "monthly" };
	no_error(lps_structure_add(doc, root, &p));
	no_error(lps_structure_add(doc, root, &r));
	emits(doc, "lps: 1\nphase: structures\nstructures:\n"
		   "  - kind: partner\n    name: Ms. Rivera\n"
		   "  - kind: roundtable\n    name: North\n    members:\n"
		   "      - Bo\n      - Cy\n    meets: monthly\n"
		   "partner:\n  name: Ms. Rivera\n"
		   "roundtable:\n  name: North\n  meets: monthly\n");
	lps_doc_free(doc);
}

static void test_refusals(void **state)
{
	struct lps_doc *doc = load(base);
	struct lps_node *root = lps_doc_root(doc);
	const char *twice[] = { "Bo", "Bo" };
	struct lps_structure_fields p = { "partner", "Ms. Rivera", NULL, 0,
					  NULL };
	no_error(lps_structure_add(doc, root, &p));
	struct lps_structure_fields f = { "partner", "Other", NULL, 0, NULL };
	is_error(lps_structure_add(doc, root, &f), LPS_EINVALID,
		 "a partner is already named: \"Ms. Rivera\"; remove it first");
	f.kind = "group";
	f.name = "MS RIVERA";
	is_error(lps_structure_add(doc, root, &f), LPS_EINVALID,
		 "a structure with key \"ms-rivera\" exists: \"Ms. Rivera\"");
	f.name = "G";
	f.members = twice;
	f.nmembers = 2;
	is_error(lps_structure_add(doc, root, &f), LPS_EINVALID,
		 "member \"Bo\" is named twice");
	f.kind = "club";
	is_error(lps_structure_add(doc, root, &f), LPS_EINVALID,
		 "unknown structure kind \"club\"");
	f.kind = "group";
	f.name = "";
	is_error(lps_structure_add(doc, root, &f), LPS_EINVALID,
		 "a structure needs a name");
	/* two groups are fine */
	struct lps_structure_fields g1 = { "group", "A", NULL, 0, NULL };
	struct lps_structure_fields g2 = { "group", "B", NULL, 0, NULL };
	no_error(lps_structure_add(doc, root, &g1));
	no_error(lps_structure_add(doc, root, &g2));
	assert_int_equal(lps_map_get(root, "structures")->v.seq.n, 3);
	lps_doc_free(doc);
}

static void test_normalize_keeps_hand_written(void **state)
{
	struct lps_doc *doc = load(
		"lps: 1\npartner:\n  name: Jo\n  email: jo@example.org\n"
		"roundtable:\n  name: RT\n  meets: weekly\n"
		"structures:\n  - kind: group\n    name: G\n");
	struct lps_node *root = lps_doc_root(doc);
	no_error(lps_structure_normalize(doc, root));
	no_error(lps_structure_sync(doc, root));
	emits(doc, "lps: 1\npartner:\n  name: Jo\n  email: jo@example.org\n"
		   "roundtable:\n  name: RT\n  meets: weekly\n"
		   "structures:\n  - kind: partner\n    name: Jo\n"
		   "  - kind: roundtable\n    name: RT\n    meets: weekly\n"
		   "  - kind: group\n    name: G\n");
	/* normalising twice adds nothing */
	no_error(lps_structure_normalize(doc, root));
	assert_int_equal(lps_map_get(root, "structures")->v.seq.n, 3);
	lps_doc_free(doc);
}

static void test_find_and_remove(void **state)
{
	struct lps_doc *doc = load(
		"lps: 1\npartner:\n  name: Jo Park\n  email: jo@example.org\n"
		"structures:\n  - kind: group\n    name: Data Team\n"
		"  - kind: roundtable\n    name: RT\n");
	struct lps_node *root = lps_doc_root(doc);
	const struct lps_node *gone = NULL;
	size_t i = 99;
	no_error(lps_structure_normalize(doc, root));
	no_error(lps_structure_find(&i, root, "data-team"));
	assert_int_equal(i, 1);
	no_error(lps_structure_find(&i, root, "Data Team"));
	assert_int_equal(i, 1);
	is_error(lps_structure_find(&i, root, "data team"), LPS_ENOTFOUND,
		 "no structure named \"data team\"");
	no_error(lps_structure_remove(doc, root, "jo-park", &gone));
	assert_string_equal(lps_node_str(lps_map_get(gone, "name")), "Jo Park");
	assert_null(lps_map_get(root, "partner"));
	no_error(lps_structure_remove(doc, root, "RT", NULL));
	assert_null(lps_map_get(root, "roundtable"));
	no_error(lps_structure_remove(doc, root, "data-team", NULL));
	assert_null(lps_map_get(root, "structures"));
	emits(doc, "lps: 1\n");
	lps_doc_free(doc);
}

static void test_partner_details_follow_name(void **state)
{
	struct lps_doc *doc = load(
		"lps: 1\npartner:\n  name: Jo\n  handle: jo\n"
		"structures:\n  - kind: partner\n    name: Kim\n");
	struct lps_node *root = lps_doc_root(doc);
	/* the list wins; details of another person are not carried over */
	no_error(lps_structure_sync(doc, root));
	emits(doc, "lps: 1\npartner:\n  name: Kim\n"
		   "structures:\n  - kind: partner\n    name: Kim\n");
	lps_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_add_and_sync),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_normalize_keeps_hand_written),
		cmocka_unit_test(test_find_and_remove),
		cmocka_unit_test(test_partner_details_follow_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
