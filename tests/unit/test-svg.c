/*
 * test-svg.c - the inline SVG charts of the exhibit: exact output of
 * small charts, escaping of hostile text, shortening, colours, limits
 * and errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "goal.h"
#include "svg.h"

#define OPEN(w, h, cap) \
	"<svg viewBox=\"0 0 " #w " " #h "\" width=\"100%\" " \
	"style=\"max-width:" #w "px;height:auto\" role=\"img\" " \
	"aria-label=\"" cap "\" font-family=\"system-ui,-apple-system," \
	"'Segoe UI',sans-serif\" font-size=\"12\"><title>" cap "</title>\n"

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_timeline_exact(void **state)
{
	(void)state;
	struct lps_buf b = LPS_BUF_INIT;
	const struct lps_svg_phase ph[] = {
		{ "purpose", "2026-2027", "2026-09-01", "2026-09-03", NULL },
		{ "focus", "2026-2027", "2026-09-03", "2026-09-20",
		  "forced: late" },
		{ "action", NULL, "2026-09-20", NULL, NULL },
	};
	assert_null(lps_svg_phase_timeline(&b, "Phases <&>", ph, 3,
					   "2026-10-01"));
	/* 720 - 3 * 48 = 576 spare over 30 days: 48 + 576 * 2 / 30 = 86,
	 * 48 + 576 * 17 / 30 = 374, and the rest, 260. */
	const char *want =
		OPEN(720, 70, "Phases &lt;&amp;&gt;")
		"<g><title>purpose (cycle 2026-2027): 2026-09-01 to "
		"2026-09-03, 2 days</title><rect x=\"1\" y=\"8\" width=\"84\" "
		"height=\"34\" fill=\"#d9c8ef\"/><text x=\"6\" y=\"29\" "
		"fill=\"#111111\">purpose</text><text x=\"2\" y=\"58\" "
		"font-size=\"11\" fill=\"#444444\">2026-09-01</text></g>\n"
		"<g><title>focus (cycle 2026-2027): 2026-09-03 to 2026-09-20, "
		"17 days; forced: late</title><rect x=\"87\" y=\"8\" "
		"width=\"372\" height=\"34\" fill=\"#b7dcf5\"/><text x=\"92\" "
		"y=\"29\" fill=\"#111111\">focus</text><text x=\"88\" "
		"y=\"58\" font-size=\"11\" fill=\"#444444\">2026-09-03</text>"
		"</g>\n"
		"<g><title>action: 2026-09-20 to now (2026-10-01), 11 days"
		"</title><rect x=\"461\" y=\"8\" width=\"258\" height=\"34\" "
		"fill=\"#ffe49a\" stroke=\"#222222\" stroke-width=\"2\"/>"
		"<text x=\"466\" y=\"29\" fill=\"#111111\">action</text>"
		"<text x=\"462\" y=\"58\" font-size=\"11\" fill=\"#444444\">"
		"2026-09-20</text></g>\n"
		"</svg>\n";
	assert_string_equal(b.data, want);
	lps_buf_free(&b);
}

static void test_timeline_short_and_many(void **state)
{
	(void)state;
	struct lps_buf b = LPS_BUF_INIT;
	/* One long phase and a one-day one: 624 spare units over 365 days
	 * give the first 48 + 622; the one-day phase keeps the last 50,
	 * too narrow for its date, and its name is shortened. */
	const struct lps_svg_phase ph[] = {
		{ "action", NULL, "2026-01-01", "2026-12-31", NULL },
		{ "structures", NULL, "2026-12-31", "2026-12-31", NULL },
	};
	assert_null(lps_svg_phase_timeline(&b, "t", ph, 2, "2027-01-01"));
	assert_non_null(strstr(b.data, "<rect x=\"671\" y=\"8\" width=\"48\""));
	assert_non_null(strstr(b.data, ">struc\xe2\x80\xa6</text>"));
	assert_non_null(strstr(b.data, "2026-12-31 to 2026-12-31, 1 day<"));
	assert_int_equal(count(b.data, "font-size=\"11\""), 1);
	/* Unknown phase names are grey. */
	lps_buf_reset(&b);
	const struct lps_svg_phase odd = { "pause", NULL, "2026-01-01",
					   NULL, NULL };
	assert_null(lps_svg_phase_timeline(&b, "t", &odd, 1, "2026-01-05"));
	assert_non_null(strstr(b.data, "fill=\"#dddddd\""));
	assert_non_null(strstr(b.data, "width=\"718\""));
	/* More phases than minimum widths allow: equal shares. */
	lps_buf_reset(&b);
	struct lps_svg_phase many[20];
	for (size_t i = 0; i < 20; i++)
		many[i] = (struct lps_svg_phase){ "focus", NULL,
						  "2026-01-01", "2026-01-02",
						  NULL };
	assert_null(lps_svg_phase_timeline(&b, "t", many, 20, "2026-02-01"));
	assert_int_equal(count(b.data, "<rect "), 20);
	assert_int_equal(count(b.data, "width=\"34\""), 20);
	assert_non_null(strstr(b.data, "<rect x=\"685\""));
	lps_buf_free(&b);
}

static void test_timeline_errors(void **state)
{
	(void)state;
	struct lps_buf b = LPS_BUF_INIT;
	struct lps_error *e;
	const struct lps_svg_phase bad = { "focus", NULL, "2026-02-30", NULL,
					   NULL };
	e = lps_svg_phase_timeline(&b, "t", &bad, 1, "2026-10-01");
	assert_non_null(e);
	assert_int_equal(e->code, LPS_EINVALID);
	assert_string_equal(e->msg, "chart: phase start date \"2026-02-30\" "
			    "is not YYYY-MM-DD");
	lps_error_free(e);
	const struct lps_svg_phase bad_end = { "focus", NULL, "2026-02-01",
					       "soon", NULL };
	e = lps_svg_phase_timeline(&b, "t", &bad_end, 1, "2026-10-01");
	assert_non_null(e);
	assert_string_equal(e->msg, "chart: phase end date \"soon\" is not "
			    "YYYY-MM-DD");
	lps_error_free(e);
	const struct lps_svg_phase ok = { "focus", NULL, "2026-02-01", NULL,
					  NULL };
	e = lps_svg_phase_timeline(&b, "t", &ok, 1, NULL);
	assert_non_null(e);
	assert_string_equal(e->msg, "chart: today's date \"(none)\" is not "
			    "YYYY-MM-DD");
	lps_error_free(e);
	e = lps_svg_phase_timeline(&b, "t", &ok, LPS_SVG_MAX_PHASES + 1,
				   "2026-10-01");
	assert_non_null(e);
	assert_int_equal(e->code, LPS_EINVALID);
	assert_string_equal(e->msg, "chart: 201 phases is more than the 200 "
			    "one chart draws");
	lps_error_free(e);
	/* Nothing to draw, nothing written (and no date looked at). */
	assert_null(lps_svg_phase_timeline(&b, "t", NULL, 0, "x"));
	assert_int_equal(b.len, 0);
	lps_buf_free(&b);
}

static void test_progress_exact(void **state)
{
	(void)state;
	struct lps_buf b = LPS_BUF_INIT;
	const struct lps_svg_bar bars[] = {
		{ "grade 3 students at benchmark", "42", "51", "60", 1, 0.5,
		  "%", LPS_SVG_ON_TRACK },
		{ "teachers", "0", NULL, "24", 0, 0, NULL, LPS_SVG_UNKNOWN },
	};
	assert_null(lps_svg_progress(&b, "Indicators", bars, 2));
	const char *want =
		OPEN(720, 116, "Indicators")
		"<g><title>grade 3 students at benchmark: 50%, on track "
		"(baseline 42 \xc2\xb7 latest 51 \xc2\xb7 target 60 %)</title>"
		"<text x=\"0\" y=\"14\" fill=\"#111111\">grade 3 students at "
		"benchmark</text><rect x=\"0\" y=\"20\" width=\"560\" "
		"height=\"14\" fill=\"#e6e6e6\"/><rect x=\"0\" y=\"20\" "
		"width=\"280\" height=\"14\" fill=\"#2e7d32\"/><line "
		"x1=\"560\" y1=\"17\" x2=\"560\" y2=\"37\" stroke=\"#111111\" "
		"stroke-width=\"2\"/><text x=\"570\" y=\"32\" "
		"font-weight=\"bold\" fill=\"#111111\">50% on track</text>"
		"<text x=\"0\" y=\"48\" font-size=\"11\" fill=\"#444444\">"
		"baseline 42 \xc2\xb7 latest 51 \xc2\xb7 target 60 %</text>"
		"</g>\n"
		"<g><title>teachers: no progress yet (baseline 0 \xc2\xb7 "
		"latest none yet \xc2\xb7 target 24)</title><text x=\"0\" "
		"y=\"70\" fill=\"#111111\">teachers</text><rect x=\"0\" "
		"y=\"76\" width=\"560\" height=\"14\" fill=\"#e6e6e6\"/><line "
		"x1=\"560\" y1=\"73\" x2=\"560\" y2=\"93\" stroke=\"#111111\" "
		"stroke-width=\"2\"/><text x=\"570\" y=\"88\" "
		"font-weight=\"bold\" fill=\"#111111\">\xe2\x80\x94</text>"
		"<text x=\"0\" y=\"104\" font-size=\"11\" fill=\"#444444\">"
		"baseline 0 \xc2\xb7 latest none yet \xc2\xb7 target 24</text>"
		"</g>\n"
		"</svg>\n";
	assert_string_equal(b.data, want);
	lps_buf_free(&b);
}

static void test_progress_clamp(void **state)
{
	(void)state;
	struct lps_buf b = LPS_BUF_INIT;
	/* Past the target: full bar, the true percentage shown; below the
	 * baseline: empty bar, a negative percentage; behind is orange. */
	const struct lps_svg_bar over = { "a", "0", "15", "10", 1, 1.5,
					  NULL, LPS_SVG_ON_TRACK };
	assert_null(lps_svg_progress(&b, "c", &over, 1));
	assert_non_null(strstr(b.data, "width=\"560\" height=\"14\" "
				       "fill=\"#2e7d32\""));
	assert_non_null(strstr(b.data, ">150% on track</text>"));
	lps_buf_reset(&b);
	const struct lps_svg_bar under = { "a", "10", "5", "20", 1, -0.5,
					   NULL, LPS_SVG_BEHIND };
	assert_null(lps_svg_progress(&b, "c", &under, 1));
	assert_int_equal(count(b.data, "<rect "), 1);
	assert_non_null(strstr(b.data, ">-50% behind</text>"));
	assert_non_null(strstr(b.data, "a: -50%, behind (baseline 10"));
	lps_buf_reset(&b);
	const struct lps_svg_bar some = { "a", "0", "1", "3", 1, 1.0 / 3,
					  NULL, LPS_SVG_BEHIND };
	assert_null(lps_svg_progress(&b, "c", &some, 1));
	assert_non_null(strstr(b.data, "width=\"187\" height=\"14\" "
				       "fill=\"#e65100\""));
	assert_non_null(strstr(b.data, ">33% behind</text>"));
	lps_buf_free(&b);
}

static void test_percent_as_goal(void **state)
{
	(void)state;
	/* The chart's percentage is the one the tables print. */
	static const double f[] = { 0, 0.004, 0.005, 0.505, -0.005, -0.015,
				    0.125, 0.3333, 0.6666, 1, 1.999, -2.5 };
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		struct lps_buf b = LPS_BUF_INIT;
		const struct lps_svg_bar bar = { "a", "0", "1", "1", 1, f[i],
						 NULL, LPS_SVG_UNKNOWN };
		assert_null(lps_svg_progress(&b, "c", &bar, 1));
		char want[64];
		snprintf(want, sizeof want, "a: %ld%% (",
			 lps_goal_percent(f[i]));
		if (!strstr(b.data, want))
			fail_msg("%g: no \"%s\" in %s", f[i], want, b.data);
		lps_buf_free(&b);
	}
}

static void test_progress_limits(void **state)
{
	(void)state;
	struct lps_buf b = LPS_BUF_INIT;
	assert_null(lps_svg_progress(&b, "c", NULL, 0));
	assert_int_equal(b.len, 0);
	struct lps_svg_bar *many = calloc(LPS_SVG_MAX_BARS + 1, sizeof *many);
	assert_non_null(many);
	for (size_t i = 0; i <= LPS_SVG_MAX_BARS; i++)
		many[i] = (struct lps_svg_bar){ "m", "0", NULL, "1", 0, 0,
						NULL, LPS_SVG_UNKNOWN };
	struct lps_error *e = lps_svg_progress(&b, "c", many,
					       LPS_SVG_MAX_BARS + 1);
	assert_non_null(e);
	assert_string_equal(e->msg, "chart: 201 indicators is more than the "
			    "200 one chart draws");
	lps_error_free(e);
	lps_buf_reset(&b);
	assert_null(lps_svg_progress(&b, "c", many, LPS_SVG_MAX_BARS));
	assert_int_equal(count(b.data, "<g>"), LPS_SVG_MAX_BARS);
	assert_non_null(strstr(b.data, "viewBox=\"0 0 720 11204\""));
	free(many);
	lps_buf_free(&b);
}

static void test_escaping(void **state)
{
	(void)state;
	struct lps_buf b = LPS_BUF_INIT;
	/* Markup, quotes, ampersand, a control character, a right-to-left
	 * override, an emoji and a stray byte. */
	const char *evil = "<script>alert(1)</script> \"Tom's\" & Co\x01"
			   "\xe2\x80\xae" "abc\xf0\x9f\x93\x9a\xff!";
	const char *esc = "&lt;script&gt;alert(1)&lt;/script&gt; "
			  "&quot;Tom&#39;s&quot; &amp; Co\xef\xbf\xbd"
			  "&#x202E;abc\xf0\x9f\x93\x9a\xef\xbf\xbd!";
	const struct lps_svg_bar bar = { evil, "1", "2", "3", 1, 0.5, evil,
					 LPS_SVG_ON_TRACK };
	assert_null(lps_svg_progress(&b, evil, &bar, 1));
	assert_null(strstr(b.data, "<script"));
	assert_null(strstr(b.data, "\x01"));
	assert_null(strstr(b.data, "\xff"));
	assert_null(strstr(b.data, "\xe2\x80\xae"));
	assert_null(strstr(b.data, "http"));
	/* aria-label, chart title, bar title (label and unit), the drawn
	 * label (short enough to be drawn whole), figures (unit). */
	assert_int_equal(count(b.data, esc), 6);
	lps_buf_reset(&b);
	const struct lps_svg_phase ph = { evil, evil, "2026-01-01", NULL,
					  evil };
	assert_null(lps_svg_phase_timeline(&b, evil, &ph, 1, "2026-01-02"));
	assert_null(strstr(b.data, "<script"));
	/* aria-label, chart title, segment title (phase, cycle, note),
	 * the phase name drawn in its segment. */
	assert_int_equal(count(b.data, esc), 6);
	lps_buf_reset(&b);
	const char *rows[] = { evil };
	const char *cols[] = { evil };
	const unsigned v[] = { 0 };
	const char *texts[] = { evil };
	const struct lps_svg_heatmap m = { evil, rows, 1, cols, 1, v, NULL,
					   texts };
	assert_null(lps_svg_heatmap(&b, &m));
	assert_null(strstr(b.data, "<script"));
	assert_null(strstr(b.data, "\xff"));
	/* aria-label, title, row title, cell title (row, column, text),
	 * the drawn column label and cell text (whole in 480 units); the
	 * drawn row label is shortened to fit 240. */
	assert_int_equal(count(b.data, esc), 8);
	assert_non_null(strstr(b.data, ">&lt;script&gt;alert(1)&lt;/script"
				       "&gt; &quot;Tom&#39;s\xe2\x80\xa6<"));
	/* Newlines and tabs fold to spaces; no raw ones inside text. */
	lps_buf_reset(&b);
	const struct lps_svg_bar nl = { "a\nb\tc\rd", "1", NULL, "2", 0, 0,
					NULL, LPS_SVG_UNKNOWN };
	assert_null(lps_svg_progress(&b, "c", &nl, 1));
	assert_non_null(strstr(b.data, ">a b c d</text>"));
	lps_buf_free(&b);
}

static void test_shortening(void **state)
{
	(void)state;
	struct lps_buf b = LPS_BUF_INIT;
	/* 100 two-byte letters: 78 fit in the track's width, so the drawn
	 * label keeps 77 and an ellipsis,
	 * never splitting a character; the title keeps them all. */
	char label[201];
	for (int i = 0; i < 100; i++)
		memcpy(label + 2 * i, "\xc3\xa9", 2);
	label[200] = '\0';
	const struct lps_svg_bar bar = { label, "0", NULL, "1", 0, 0, NULL,
					 LPS_SVG_UNKNOWN };
	assert_null(lps_svg_progress(&b, "c", &bar, 1));
	char want[256] = "fill=\"#111111\">";
	size_t at = strlen(want);
	for (int i = 0; i < 77; i++, at += 2)
		memcpy(want + at, "\xc3\xa9", 2);
	strcpy(want + at, "\xe2\x80\xa6</text>");
	assert_non_null(strstr(b.data, want));
	char full[256];
	snprintf(full, sizeof full, "<title>%s: ", label);
	assert_non_null(strstr(b.data, full));
	/* Exactly 78 is drawn as it is. */
	label[156] = '\0';
	lps_buf_reset(&b);
	assert_null(lps_svg_progress(&b, "c", &bar, 1));
	snprintf(full, sizeof full, "fill=\"#111111\">%s</text>", label);
	assert_non_null(strstr(b.data, full));
	lps_buf_free(&b);
}

static void test_heatmap_exact(void **state)
{
	(void)state;
	struct lps_buf b = LPS_BUF_INIT;
	const char *rows[] = { "issl.1a Data", "issl.1b" };
	const char *cols[] = { "goals", "evidence" };
	const unsigned v[] = { 1, 4, 0, 1 };
	const struct lps_svg_heatmap m = { "Coverage", rows, 2, cols, 2, v,
					   NULL, NULL };
	assert_null(lps_svg_heatmap(&b, &m));
	const char *want =
		OPEN(720, 84, "Coverage")
		"<text x=\"360\" y=\"20\" text-anchor=\"middle\" "
		"font-weight=\"bold\" fill=\"#111111\">goals</text>\n"
		"<text x=\"600\" y=\"20\" text-anchor=\"middle\" "
		"font-weight=\"bold\" fill=\"#111111\">evidence</text>\n"
		"<g><title>issl.1a Data</title><text x=\"0\" y=\"47\" "
		"fill=\"#111111\">issl.1a Data</text></g>\n"
		"<g><title>issl.1a Data \xc2\xb7 goals: 1</title><rect "
		"x=\"241\" y=\"31\" width=\"238\" height=\"24\" "
		"fill=\"#08519c\"/><text x=\"360\" y=\"47\" "
		"text-anchor=\"middle\" fill=\"#ffffff\">1</text></g>\n"
		"<g><title>issl.1a Data \xc2\xb7 evidence: 4</title><rect "
		"x=\"481\" y=\"31\" width=\"238\" height=\"24\" "
		"fill=\"#08519c\"/><text x=\"600\" y=\"47\" "
		"text-anchor=\"middle\" fill=\"#ffffff\">4</text></g>\n"
		"<g><title>issl.1b</title><text x=\"0\" y=\"73\" "
		"fill=\"#111111\">issl.1b</text></g>\n"
		"<g><title>issl.1b \xc2\xb7 goals: 0 (gap)</title><rect "
		"x=\"241\" y=\"57\" width=\"238\" height=\"24\" "
		"fill=\"#fbd5d5\"/><text x=\"360\" y=\"73\" "
		"text-anchor=\"middle\" fill=\"#111111\">0</text></g>\n"
		"<g><title>issl.1b \xc2\xb7 evidence: 1</title><rect "
		"x=\"481\" y=\"57\" width=\"238\" height=\"24\" "
		"fill=\"#deebf7\"/><text x=\"600\" y=\"73\" "
		"text-anchor=\"middle\" fill=\"#111111\">1</text></g>\n"
		"</svg>\n";
	assert_string_equal(b.data, want);
	lps_buf_free(&b);
}

static void test_heatmap_steps(void **state)
{
	(void)state;
	struct lps_buf b = LPS_BUF_INIT;
	/* A rating column on a fixed scale of 4 with words in the cells. */
	const char *rows[] = { "a", "b", "c", "d", "e" };
	const char *cols[] = { "rating" };
	const unsigned v[] = { 0, 1, 2, 3, 4 };
	const unsigned max[] = { 4 };
	const char *texts[] = { "none", "beginning", "developing",
				"proficient", "exemplary" };
	const struct lps_svg_heatmap m = { "r", rows, 5, cols, 1, v, max,
					   texts };
	assert_null(lps_svg_heatmap(&b, &m));
	assert_non_null(strstr(b.data, "a \xc2\xb7 rating: none (gap)</title>"
				       "<rect x=\"241\" y=\"31\" width=\"478\" "
				       "height=\"24\" fill=\"#fbd5d5\""));
	assert_non_null(strstr(b.data, "fill=\"#deebf7\"/><text x=\"480\" "
				       "y=\"73\" text-anchor=\"middle\" "
				       "fill=\"#111111\">beginning<"));
	assert_non_null(strstr(b.data, "fill=\"#9ecae1\"/><text x=\"480\" "
				       "y=\"99\" text-anchor=\"middle\" "
				       "fill=\"#111111\">developing<"));
	assert_non_null(strstr(b.data, "fill=\"#4292c6\"/><text x=\"480\" "
				       "y=\"125\" text-anchor=\"middle\" "
				       "fill=\"#ffffff\">proficient<"));
	assert_non_null(strstr(b.data, "fill=\"#08519c\"/><text x=\"480\" "
				       "y=\"151\" text-anchor=\"middle\" "
				       "fill=\"#ffffff\">exemplary<"));
	lps_buf_free(&b);
}

static void test_heatmap_limits(void **state)
{
	(void)state;
	struct lps_buf b = LPS_BUF_INIT;
	const char *rows[] = { "a" };
	const char *cols[LPS_SVG_MAX_COLS + 1];
	unsigned v[LPS_SVG_MAX_COLS + 1] = { 0 };
	for (size_t i = 0; i <= LPS_SVG_MAX_COLS; i++)
		cols[i] = "c";
	struct lps_svg_heatmap m = { "r", rows, 1, cols,
				     LPS_SVG_MAX_COLS + 1, v, NULL, NULL };
	struct lps_error *e = lps_svg_heatmap(&b, &m);
	assert_non_null(e);
	assert_string_equal(e->msg, "chart: 13 columns is more than the 12 "
			    "one chart draws");
	lps_error_free(e);
	m.nrows = LPS_SVG_MAX_ROWS + 1;
	m.ncols = 1;
	e = lps_svg_heatmap(&b, &m);
	assert_non_null(e);
	assert_string_equal(e->msg, "chart: 501 rows is more than the 500 "
			    "one chart draws");
	lps_error_free(e);
	m.nrows = 0;
	assert_null(lps_svg_heatmap(&b, &m));
	m.nrows = 1;
	m.ncols = 0;
	assert_null(lps_svg_heatmap(&b, &m));
	assert_int_equal(b.len, 0);
	lps_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timeline_exact),
		cmocka_unit_test(test_timeline_short_and_many),
		cmocka_unit_test(test_timeline_errors),
		cmocka_unit_test(test_progress_exact),
		cmocka_unit_test(test_progress_clamp),
		cmocka_unit_test(test_percent_as_goal),
		cmocka_unit_test(test_progress_limits),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_shortening),
		cmocka_unit_test(test_heatmap_exact),
		cmocka_unit_test(test_heatmap_steps),
		cmocka_unit_test(test_heatmap_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
