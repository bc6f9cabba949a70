/*
 * test-report.c - the report writers: escaping for each format, tables,
 * dates, numbers, the GitHub/JUnit output of lps check, and the rule of
 * what covers a standard (coverage.h) that coverage and exhibit share.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "coverage.h"
#include "framework.h"
#include "registry.h"
#include "report.h"
#include "report_check.h"

/* Run an escaper on s and compare with want. */
static void check_esc(int (*fn)(struct lps_buf *, const char *),
		      const char *s, const char *want)
{
	struct lps_buf b = LPS_BUF_INIT;
	assert_int_equal(fn(&b, s), 0);
	assert_string_equal(b.data ? b.data : "", want);
	lps_buf_free(&b);
}

static void test_html_escape(void **state)
{
	(void)state;
	check_esc(lps_report_html_escape,
		  "<script>alert(1)</script> \"q\" & 'a'",
		  "&lt;script&gt;alert(1)&lt;/script&gt; &quot;q&quot; &amp; "
		  "&#39;a&#39;");
	/* RTL override as a reference; emoji kept; controls dropped. */
	check_esc(lps_report_html_escape, "\xe2\x80\xae" "x\x01y \xf0\x9f\x8e\x89",
		  "&#x202E;xy \xf0\x9f\x8e\x89");
	/* Ill-formed UTF-8 becomes U+FFFD. */
	check_esc(lps_report_html_escape, "a\xffz", "a\xef\xbf\xbdz");
}

static void test_md_escape(void **state)
{
	(void)state;
	check_esc(lps_report_md_escape, "a|b *c* _d_ [e](f) `g` <h>",
		  "a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\`g\\` &lt;h&gt;");
	check_esc(lps_report_md_escape, "# title", "\\# title");
	check_esc(lps_report_md_escape, "- item", "\\- item");
	check_esc(lps_report_md_escape, "1. first", "1\\. first");
	check_esc(lps_report_md_escape, "two\nlines", "two lines");
	check_esc(lps_report_md_escape, "x & y", "x &amp; y");
}

static void test_csv_field(void **state)
{
	(void)state;
	check_esc(lps_report_csv_field, "plain", "plain");
	check_esc(lps_report_csv_field, "a,b", "\"a,b\"");
	check_esc(lps_report_csv_field, "say \"hi\"", "\"say \"\"hi\"\"\"");
	check_esc(lps_report_csv_field, "two\nlines", "\"two\nlines\"");
	check_esc(lps_report_csv_field, "=1+1", "'=1+1");
	check_esc(lps_report_csv_field, "@cmd", "'@cmd");
	check_esc(lps_report_csv_field, "+x", "'+x");
	check_esc(lps_report_csv_field, "-3", "-3");
	check_esc(lps_report_csv_field, "+2.5", "+2.5");
	check_esc(lps_report_csv_field, "=a,b", "\"'=a,b\"");
	check_esc(lps_report_csv_field, "", "");
}

static void test_text_clean_width(void **state)
{
	(void)state;
	check_esc(lps_report_text_clean, "a\x1b[31mb\tc", "a [31mb c");
	assert_int_equal(lps_report_text_width("abc"), 3);
	assert_int_equal(lps_report_text_width("\xf0\x9f\x8e\x89"), 2);
	assert_int_equal(lps_report_text_width("\xe2\x80\xae" "ab"), 2);
	assert_int_equal(lps_report_text_width("\xc3\xa9"), 1);
}

static void test_table_formats(void **state)
{
	static const char *const heads[] = { "Name", "N" };
	static const unsigned flags[] = { 0, LPS_REPORT_COL_NUM };
	const char *r1[] = { "a|b", "5" };
	const char *r2[] = { "longer", NULL };
	struct lps_report_table *t = NULL;
	struct lps_buf b = LPS_BUF_INIT;
	(void)state;

	assert_null(lps_report_table_new(&t, 2, heads, flags));
	assert_int_equal(lps_report_table_row(t, r1), 0);
	assert_int_equal(lps_report_table_row_class(t, r2, "none"), 0);
	assert_int_equal(lps_report_table_rows(t), 2);

	assert_int_equal(lps_report_table_write(&b, LPS_REPORT_TEXT, t), 0);
	assert_string_equal(b.data, "Name    N\n------  -\na|b     5\nlonger  -\n");
	lps_buf_reset(&b);
	assert_int_equal(lps_report_table_write(&b, LPS_REPORT_MARKDOWN, t), 0);
	assert_string_equal(b.data, "| Name | N |\n| --- | ---: |\n"
			    "| a\\|b | 5 |\n| longer | - |\n");
	lps_buf_reset(&b);
	assert_int_equal(lps_report_table_write(&b, LPS_REPORT_CSV, t), 0);
	assert_string_equal(b.data, "Name,N\r\na|b,5\r\nlonger,\r\n");
	lps_buf_reset(&b);
	assert_int_equal(lps_report_table_write(&b, LPS_REPORT_HTML, t), 0);
	assert_non_null(strstr(b.data, "<tr class=\"none\"><td>longer</td>"
			       "<td class=\"num\"></td></tr>"));
	lps_buf_reset(&b);
	assert_int_equal(lps_report_table_write(&b, LPS_REPORT_JSON, t), 0);
	assert_int_equal(b.len, 0);
	lps_buf_free(&b);
	lps_report_table_free(t);
	lps_report_table_free(NULL);
}

static void test_heading_field(void **state)
{
	struct lps_buf b = LPS_BUF_INIT;
	(void)state;
	assert_int_equal(lps_report_heading(&b, LPS_REPORT_TEXT, 1, "T\xc3\xa9st"), 0);
	assert_string_equal(b.data, "T\xc3\xa9st\n====\n\n");
	lps_buf_reset(&b);
	assert_int_equal(lps_report_heading(&b, LPS_REPORT_MARKDOWN, 2, "<x>"), 0);
	assert_string_equal(b.data, "## &lt;x&gt;\n\n");
	lps_buf_reset(&b);
	assert_int_equal(lps_report_field(&b, LPS_REPORT_HTML, "K", "<v>"), 0);
	assert_string_equal(b.data, "<p class=\"field\"><b>K:</b> &lt;v&gt;</p>\n");
	lps_buf_reset(&b);
	assert_int_equal(lps_report_field(&b, LPS_REPORT_CSV, "K", "v"), 0);
	assert_int_equal(b.len, 0);
	lps_buf_reset(&b);
	assert_int_equal(lps_report_html_begin(&b, "<t>", NULL), 0);
	assert_non_null(strstr(b.data, "<title>&lt;t&gt;</title>"));
	assert_null(strstr(b.data, "<script"));
	assert_null(strstr(b.data, "http"));
	lps_buf_free(&b);
}

static void test_dates_numbers(void **state)
{
	char nb[32];
	struct lps_report_opts o = { 0 };
	struct lps_buf b = LPS_BUF_INIT;
	(void)state;
	assert_int_equal(lps_report_days("1970-01-01"), 0);
	assert_int_equal(lps_report_days("2026-03-01") -
			 lps_report_days("2026-02-28"), 1);
	assert_int_equal(lps_report_days("2024-03-01") -
			 lps_report_days("2024-02-28"), 2);
	assert_int_equal(lps_report_days("nope"), -1);
	assert_int_equal(lps_report_days("2026-02-30"), -1);
	assert_int_equal(lps_report_days("2026-10-01T08:00:00Z"), 20727);
	/* Indicator states: created 09-01, due 11-01 (61 days); on 10-01
	 * 30 days have gone, so 49% of the way is the line. */
	assert_int_equal(lps_report_indicator_state(0, 0, "2026-09-01",
						    "2026-11-01", "2026-10-01"),
			 LPS_IND_NO_DATA);
	assert_int_equal(lps_report_indicator_state(1, 1.0, "2026-09-01",
						    "2026-11-01", "2026-10-01"),
			 LPS_IND_MET);
	assert_int_equal(lps_report_indicator_state(1, 0.50, "2026-09-01",
						    "2026-11-01", "2026-10-01"),
			 LPS_IND_ON_TRACK);
	assert_int_equal(lps_report_indicator_state(1, 0.48, "2026-09-01",
						    "2026-11-01", "2026-10-01"),
			 LPS_IND_BEHIND);
	assert_int_equal(lps_report_indicator_state(1, 0.1, "2026-09-01",
						    NULL, "2026-10-01"),
			 LPS_IND_ON_TRACK);
	assert_int_equal(lps_report_indicator_state(1, 0, "2026-09-01",
						    NULL, "2026-10-01"),
			 LPS_IND_BEHIND);
	assert_int_equal(lps_report_indicator_state(1, 0.9, "2026-09-01",
						    "2026-11-01", "2026-12-01"),
			 LPS_IND_BEHIND);
	assert_string_equal(lps_report_state_name(LPS_IND_ON_TRACK),
			    "on-track");
	assert_string_equal(lps_report_state_name(LPS_IND_NO_DATA), "no-data");
	assert_string_equal(lps_report_num(nb, 54), "54");
	assert_string_equal(lps_report_num(nb, 3.25), "3.25");
	assert_string_equal(lps_report_num(nb, -0.0), "0");
	assert_string_equal(lps_report_num(nb, 1.0 / 3), "0.3333");
	assert_int_equal(lps_report_in_range(&o, NULL), 1);
	o.since = "2026-01-01";
	o.until = "2026-01-31";
	assert_int_equal(lps_report_in_range(&o, "2026-01-01"), 1);
	assert_int_equal(lps_report_in_range(&o, "2026-01-31T10:00:00Z"), 1);
	assert_int_equal(lps_report_in_range(&o, "2026-02-01"), 0);
	assert_int_equal(lps_report_in_range(&o, "2025-12-31"), 0);
	assert_int_equal(lps_report_in_range(&o, NULL), 0);
	assert_int_equal(lps_report_excerpt(&b, "first line\nsecond", 80), 0);
	assert_string_equal(b.data, "first line");
	lps_buf_reset(&b);
	/* Cut inside a two-byte character: backs up to its start. */
	assert_int_equal(lps_report_excerpt(&b, "ab\xc3\xa9z", 3), 0);
	assert_string_equal(b.data, "ab...");
	lps_buf_free(&b);
}

static void test_kinds(void **state)
{
	(void)state;
	assert_ptr_equal(lps_report_kind_find("status"), &lps_report_kind_status);
	assert_ptr_equal(lps_report_kind_find("timeline"),
			 &lps_report_kind_timeline);
	assert_null(lps_report_kind_find("weather"));
	assert_string_equal(lps_report_format_names[LPS_REPORT_CSV], "csv");
	assert_null(lps_report_format_names[LPS_REPORT_CSV + 1]);
}

static void test_check_ci(void **state)
{
	struct lps_check_finding items[2] = {
		{ "goals/a,b:c.yaml", 3, 4, "type", "bad 100%\nnext <x>" },
		{ "goals/z.txt", 0, 0, "unknown-file", "stray" },
	};
	struct lps_check_result r = LPS_CHECK_RESULT_INIT;
	char *docs[] = { "goals/a,b:c.yaml", "lps.yaml" };
	struct lps_buf b = LPS_BUF_INIT;
	(void)state;
	r.items = items;
	r.n = 2;
	assert_null(lps_report_check_github(&b, &r));
	assert_string_equal(b.data,
		"::error file=goals/a%2Cb%3Ac.yaml,line=3,col=4::bad 100%25%0Anext <x>\n"
		"::error file=goals/z.txt::stray\n");
	lps_buf_reset(&b);
	assert_null(lps_report_check_junit(&b, &r, docs, 2));
	assert_non_null(strstr(b.data, "tests=\"3\" failures=\"2\""));
	assert_non_null(strstr(b.data, "<testcase classname=\"portfolio\" "
			       "name=\"lps.yaml\"/>"));
	assert_non_null(strstr(b.data, "message=\"3:4: bad 100%\nnext "
			       "&lt;x&gt;\" type=\"type\""));
	lps_buf_free(&b);
}

/* Feed the YAML text as a goal ('g'), assessment ('a') or evidence
 * ('e') to the rule. */
static void feed(struct lps_coverage *c, char what, const char *yaml)
{
	struct lps_doc *doc = NULL;
	assert_null(lps_doc_load(&doc, "t.yaml", yaml, strlen(yaml), NULL));
	const struct lps_node *n = lps_doc_root(doc);
	int rc = what == 'g' ? lps_coverage_goal(c, n)
		 : what == 'a' ? lps_coverage_assessment(c, n)
		 : lps_coverage_evidence(c, n);
	assert_int_equal(rc, 0);
	lps_doc_free(doc);
}

static const struct lps_coverage_entry *entry(const struct lps_coverage *c,
					      const char *ref)
{
	for (size_t i = 0; i < lps_coverage_count(c); i++)
		if (!strcmp(lps_coverage_at(c, i)->ref, ref))
			return lps_coverage_at(c, i);
	fail_msg("no entry %s", ref);
	return NULL;
}

static void test_coverage_rule(void **state)
{
	const struct lps_registry *reg;
	struct lps_frameworks *set = NULL;
	struct lps_coverage *c = NULL;
	struct lps_report_opts o = { 0 };
	struct lps_doc *late = NULL;
	(void)state;

	assert_null(lps_registry_get(&reg));
	assert_null(lps_frameworks_new(&set, reg));
	const struct lps_framework *fws[] = {
		lps_frameworks_find(set, "issl"),
		lps_frameworks_find(set, "lfl"),
	};
	assert_non_null(fws[0]);
	assert_non_null(fws[1]);
	o.since = "2026-09-01";
	assert_null(lps_coverage_new(&c, fws, 2, "2026-2027", &o));
	assert_int_equal(lps_coverage_count(c),
			 fws[0]->nstandards + fws[1]->nstandards);
	assert_string_equal(lps_coverage_at(c, 0)->ref, "issl.1");

	/* Goals: of the cycle and not dropped. */
	feed(c, 'g', "id: g-0000000b\ncycle: 2026-2027\nstatus: active\n"
		     "standards: [lfl.communities, issl.1a]\n");
	feed(c, 'g', "id: g-0000000a\ncycle: 2026-2027\nstatus: met\n"
		     "standards: [issl.1a]\n");
	feed(c, 'g', "id: g-0000000c\ncycle: 2025-2026\nstatus: active\n"
		     "standards: [issl.1a]\n");
	feed(c, 'g', "id: g-0000000d\ncycle: 2026-2027\nstatus: dropped\n"
		     "standards: [issl.1a]\n");
	/* Assessments: the cycle's only; its citations count once. */
	feed(c, 'a', "framework: issl\ncode: 1a\ncycle: 2026-2027\n"
		     "rating: proficient\n"
		     "evidence: [e-0000000a, e-0000000e, e-0000000f]\n");
	feed(c, 'a', "framework: lfl\ncode: focus\ncycle: 2025-2026\n"
		     "rating: exemplary\nevidence: [e-0000000a]\n");
	/* Names issl.1a and is cited: counted once. */
	feed(c, 'e', "id: e-0000000a\ndate: 2026-09-20\n"
		     "standards: [issl.1a]\ngoals: [g-0000000a]\n");
	/* Supports a goal of the cycle: counts for its standards. */
	feed(c, 'e', "id: e-0000000b\ndate: 2026-09-25\n"
		     "goals: [g-0000000b]\n");
	/* Supports only goals that do not count. */
	feed(c, 'e', "id: e-0000000c\ndate: 2026-09-25\n"
		     "goals: [g-0000000c, g-0000000d]\n");
	/* Cited, but before the period. */
	feed(c, 'e', "id: e-0000000e\ndate: 2026-08-31\n");
	/* (e-0000000f is cited but does not exist.) */
	assert_null(lps_doc_load(&late, "t.yaml", "id: g-00000009\n"
				 "cycle: 2026-2027\nstandards: [lfl.focus]\n",
				 strlen("id: g-00000009\ncycle: 2026-2027\n"
					"standards: [lfl.focus]\n"), NULL));
	assert_int_equal(lps_coverage_goal(c, lps_doc_root(late)), 1);
	lps_doc_free(late);
	lps_coverage_finish(c);

	const struct lps_coverage_entry *e = entry(c, "issl.1a");
	assert_int_equal(e->ngoals, 2);
	assert_string_equal(e->goals[0], "g-0000000a");
	assert_string_equal(e->goals[1], "g-0000000b");
	assert_int_equal(e->nevidence, 2);
	assert_string_equal(e->evidence[0], "e-0000000a");
	assert_string_equal(e->evidence[1], "e-0000000b");
	assert_string_equal(e->rating, "proficient");
	e = entry(c, "lfl.communities");
	assert_int_equal(e->ngoals, 1);
	assert_int_equal(e->nevidence, 1);
	assert_string_equal(e->evidence[0], "e-0000000b");
	assert_null(e->rating);
	e = entry(c, "lfl.focus");
	assert_int_equal(e->ngoals, 0);
	assert_int_equal(e->nevidence, 0);
	assert_null(e->rating);
	lps_coverage_free(c);

	/* Without a cycle only evidence that names a standard counts. */
	assert_null(lps_coverage_new(&c, fws, 1, NULL, &o));
	feed(c, 'g', "id: g-0000000a\ncycle: 2026-2027\nstandards: [issl.1a]\n");
	feed(c, 'e', "id: e-0000000a\ndate: 2026-09-20\ngoals: [g-0000000a]\n");
	feed(c, 'e', "id: e-0000000b\ndate: 2026-09-20\nstandards: [issl.1a]\n");
	lps_coverage_finish(c);
	e = entry(c, "issl.1a");
	assert_int_equal(e->ngoals, 0);
	assert_int_equal(e->nevidence, 1);
	assert_string_equal(e->evidence[0], "e-0000000b");
	lps_coverage_free(c);
	lps_coverage_free(NULL);
	lps_frameworks_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_md_escape),
		cmocka_unit_test(test_csv_field),
		cmocka_unit_test(test_text_clean_width),
		cmocka_unit_test(test_table_formats),
		cmocka_unit_test(test_heading_field),
		cmocka_unit_test(test_dates_numbers),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_check_ci),
		cmocka_unit_test(test_coverage_rule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
