/*
 * svg.c - inline SVG charts for the exhibit (see svg.h).
 *
 * Coordinates are whole numbers in a fixed-width viewBox: the browser
 * scales the drawing, and integer output keeps the golden files stable
 * across machines and compilers.
 */
#include "svg.h"

#include "date.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

/* The drawing width of every chart (viewBox units, about CSS pixels). */
#define WIDTH 720
#define FONT "font-family=\"system-ui,-apple-system,'Segoe UI',sans-serif\""

#define TRY(x) do { if ((x) < 0) goto nomem; } while (0)

/*
 * Append s as XML character data (also safe inside an attribute value),
 * keeping at most max code points (0: no limit) and ending a shortened
 * text with an ellipsis.  Characters XML 1.0 does not allow (controls
 * other than tab, LF and CR; U+FFFE, U+FFFF) and ill-formed bytes are
 * written as U+FFFD.
 */
static int put_text(struct lps_buf *b, const char *s, size_t max)
{
	if (!s)
		return 0;
	size_t n = strlen(s);
	size_t total = 0;
	if (max) {
		/* Count code points to know whether to shorten. */
		for (size_t i = 0; i < n; i++)
			if (((unsigned char)s[i] & 0xc0) != 0x80)
				total++;
	}
	int shorten = max && total > max;
	size_t keep = shorten ? max - 1 : (size_t)-1;
	size_t count = 0;
	size_t i = 0;
	size_t good = 0; /* s[i..good) is known to be well-formed */
	while (i < n) {
		if (count == keep)
			break;
		if (i >= good)
			good = i + lps_utf8_check(s + i, n - i);
		if (i == good) {
			/* An ill-formed byte: one replacement each. */
			if (lps_buf_adds(b, "\xef\xbf\xbd") < 0)
				return -1;
			i++;
			count++;
			continue;
		}
		size_t start = i;
		uint32_t c = lps_utf8_next(s, n, &i);
		count++;
		const char *rep = NULL;
		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '\t': case '\n': case '\r': rep = " "; break;
		default:
			if (c < 0x20 || c == 0x7f || c == 0xfffe ||
			    c == 0xffff)
				rep = "\xef\xbf\xbd";
		}
		/* Bidirectional controls as references, as the page's own
		 * escaping writes them, so the source shows them. */
		if (!rep && (c == 0x061c || c == 0x200e || c == 0x200f ||
			     (c >= 0x202a && c <= 0x202e) ||
			     (c >= 0x2066 && c <= 0x2069))) {
			if (lps_buf_addf(b, "&#x%X;", (unsigned)c) < 0)
				return -1;
			continue;
		}
		if (rep ? lps_buf_adds(b, rep) < 0
			: lps_buf_add(b, s + start, i - start) < 0)
			return -1;
	}
	if (shorten && lps_buf_adds(b, "\xe2\x80\xa6") < 0)
		return -1;
	return 0;
}

/* A fraction as a whole percentage, rounded half away from zero (the
 * rule of lps_goal_percent, which the unit test holds it to). */
static long percent(double fraction)
{
	double p = fraction * 100.0;
	if (p > 1e9)
		p = 1e9;
	if (p < -1e9)
		p = -1e9;
	long r = p < 0 ? (long)ceil(p - 0.5) : (long)floor(p + 0.5);
	return r;
}

static struct lps_error *bad_date(const char *what, const char *s)
{
	return lps_error_new(LPS_EINVALID, "chart: %s date \"%s\" is not "
			     "YYYY-MM-DD", what, s ? s : "(none)");
}

static struct lps_error *too_many(const char *what, size_t n, size_t max)
{
	return lps_error_new(LPS_EINVALID, "chart: %zu %s is more than the "
			     "%zu one chart draws", n, what, max);
}

/* <svg ...><title>caption</title> for a chart of natural size w x h. */
static int open_svg(struct lps_buf *b, const char *caption, int w, int h)
{
	if (lps_buf_addf(b, "<svg viewBox=\"0 0 %d %d\" width=\"100%%\" "
			 "style=\"max-width:%dpx;height:auto\" role=\"img\" "
			 "aria-label=\"", w, h, w) < 0 ||
	    put_text(b, caption, 0) < 0 ||
	    lps_buf_addf(b, "\" " FONT " font-size=\"12\"><title>") < 0 ||
	    put_text(b, caption, 0) < 0 ||
	    lps_buf_adds(b, "</title>\n") < 0)
		return -1;
	return 0;
}

/* Fill colours of the five phases, light enough for dark text. */
static const char *phase_colour(const char *phase)
{
	static const struct { const char *name, *fill; } tab[] = {
		{ "purpose", "#d9c8ef" },
		{ "focus", "#b7dcf5" },
		{ "structures", "#cdebb3" },
		{ "action", "#ffe49a" },
		{ "outcomes", "#f8c4c4" },
	};
	for (size_t i = 0; phase && i < sizeof tab / sizeof tab[0]; i++)
		if (strcmp(phase, tab[i].name) == 0)
			return tab[i].fill;
	return "#dddddd";
}

/* About how many characters of 12px text fit in w units. */
static size_t fits(int w)
{
	return w > 14 ? (size_t)(w - 8) / 7 : 0;
}

struct lps_error *lps_svg_phase_timeline(struct lps_buf *out,
					 const char *caption,
					 const struct lps_svg_phase *phases,
					 size_t n, const char *today)
{
	enum { MINW = 48, BAR_Y = 8, BAR_H = 34, H = 70 };
	long now = 0;
	long start[LPS_SVG_MAX_PHASES], len[LPS_SVG_MAX_PHASES];
	if (n == 0)
		return NULL;
	if (n > LPS_SVG_MAX_PHASES)
		return too_many("phases", n, LPS_SVG_MAX_PHASES);
	if (lps_date_days(today, &now) < 0)
		return bad_date("today's", today);
	long total = 0;
	for (size_t i = 0; i < n; i++) {
		long e;
		if (lps_date_days(phases[i].start, &start[i]) < 0)
			return bad_date("phase start", phases[i].start);
		if (phases[i].end) {
			if (lps_date_days(phases[i].end, &e) < 0)
				return bad_date("phase end", phases[i].end);
		} else {
			e = now;
		}
		/* A phase entered and left on one day still lasted. */
		len[i] = e > start[i] ? e - start[i] : 1;
		total += len[i];
	}
	/* Each segment gets MINW, the rest is shared by length in days;
	 * when there is no room for that, all are equal. */
	long spare = WIDTH - (long)n * MINW;
	TRY(open_svg(out, caption, WIDTH, H));
	long x = 0;
	for (size_t i = 0; i < n; i++) {
		long w;
		if (spare <= 0)
			w = WIDTH / (long)n;
		else if (i + 1 == n)
			w = WIDTH - x; /* the last one takes what rounding left */
		else
			w = MINW + spare * len[i] / total;
		const struct lps_svg_phase *p = &phases[i];
		TRY(lps_buf_addf(out, "<g><title>"));
		TRY(put_text(out, p->phase, 0));
		if (p->cycle) {
			TRY(lps_buf_adds(out, " (cycle "));
			TRY(put_text(out, p->cycle, 0));
			TRY(lps_buf_adds(out, ")"));
		}
		TRY(lps_buf_adds(out, ": "));
		TRY(put_text(out, p->start, 0));
		TRY(lps_buf_adds(out, p->end ? " to " : " to now ("));
		TRY(put_text(out, p->end ? p->end : today, 0));
		TRY(lps_buf_addf(out, "%s, %ld day%s", p->end ? "" : ")",
				 len[i], len[i] == 1 ? "" : "s"));
		if (p->note) {
			TRY(lps_buf_adds(out, "; "));
			TRY(put_text(out, p->note, 0));
		}
		TRY(lps_buf_adds(out, "</title>"));
		TRY(lps_buf_addf(out, "<rect x=\"%ld\" y=\"%d\" width=\"%ld\" "
				 "height=\"%d\" fill=\"%s\"", x + 1, BAR_Y,
				 w > 2 ? w - 2 : 1, BAR_H,
				 phase_colour(p->phase)));
		if (!p->end)
			TRY(lps_buf_adds(out, " stroke=\"#222222\" "
					 "stroke-width=\"2\""));
		TRY(lps_buf_adds(out, "/>"));
		size_t room = fits((int)w);
		if (room >= 3) {
			TRY(lps_buf_addf(out, "<text x=\"%ld\" y=\"%d\" "
					 "fill=\"#111111\">", x + 6,
					 BAR_Y + BAR_H / 2 + 4));
			TRY(put_text(out, p->phase, room));
			TRY(lps_buf_adds(out, "</text>"));
		}
		/* A date needs about 70 units: shown only where it fits. */
		if (w >= 72) {
			TRY(lps_buf_addf(out, "<text x=\"%ld\" y=\"%d\" "
					 "font-size=\"11\" fill=\"#444444\">",
					 x + 2, BAR_Y + BAR_H + 16));
			TRY(put_text(out, p->start, 0));
			TRY(lps_buf_adds(out, "</text>"));
		}
		TRY(lps_buf_adds(out, "</g>\n"));
		x += w;
	}
	TRY(lps_buf_adds(out, "</svg>\n"));
	return NULL;
nomem:
	return lps_error_nomem();
}

static const char *state_colour(enum lps_svg_state s)
{
	switch (s) {
	case LPS_SVG_ON_TRACK: return "#2e7d32";
	case LPS_SVG_BEHIND: return "#e65100";
	default: return "#757575";
	}
}

static const char *state_name(enum lps_svg_state s)
{
	switch (s) {
	case LPS_SVG_ON_TRACK: return "on track";
	case LPS_SVG_BEHIND: return "behind";
	default: return NULL;
	}
}

/* "baseline 42 · latest 51 · target 60 %" */
static int put_figures(struct lps_buf *b, const struct lps_svg_bar *bar)
{
	TRY(lps_buf_adds(b, "baseline "));
	TRY(put_text(b, bar->baseline, 0));
	TRY(lps_buf_adds(b, " \xc2\xb7 latest "));
	TRY(put_text(b, bar->latest ? bar->latest : "none yet", 0));
	TRY(lps_buf_adds(b, " \xc2\xb7 target "));
	TRY(put_text(b, bar->target, 0));
	if (bar->unit) {
		TRY(lps_buf_adds(b, " "));
		TRY(put_text(b, bar->unit, 0));
	}
	return 0;
nomem:
	return -1;
}

struct lps_error *lps_svg_progress(struct lps_buf *out, const char *caption,
				   const struct lps_svg_bar *bars, size_t n)
{
	enum { ROW = 56, TRACK = 560, BAR_H = 14 };
	if (n == 0)
		return NULL;
	if (n > LPS_SVG_MAX_BARS)
		return too_many("indicators", n, LPS_SVG_MAX_BARS);
	TRY(open_svg(out, caption, WIDTH, (int)n * ROW + 4));
	for (size_t i = 0; i < n; i++) {
		const struct lps_svg_bar *bar = &bars[i];
		int y = (int)i * ROW;
		int known = bar->has_progress && isfinite(bar->progress);
		double f = known ? bar->progress : 0;
		if (f < 0)
			f = 0;
		if (f > 1)
			f = 1;
		long fill = (long)floor(f * TRACK + 0.5);
		const char *st = state_name(bar->state);

		TRY(lps_buf_adds(out, "<g><title>"));
		TRY(put_text(out, bar->label, 0));
		TRY(lps_buf_adds(out, ": "));
		if (known)
			TRY(lps_buf_addf(out, "%ld%%", percent(bar->progress)));
		else
			TRY(lps_buf_adds(out, "no progress yet"));
		if (st)
			TRY(lps_buf_addf(out, ", %s", st));
		TRY(lps_buf_adds(out, " ("));
		TRY(put_figures(out, bar));
		TRY(lps_buf_adds(out, ")</title>"));

		TRY(lps_buf_addf(out, "<text x=\"0\" y=\"%d\" fill=\"#111111\">",
				 y + 14));
		TRY(put_text(out, bar->label, fits(TRACK)));
		TRY(lps_buf_adds(out, "</text>"));
		TRY(lps_buf_addf(out, "<rect x=\"0\" y=\"%d\" width=\"%d\" "
				 "height=\"%d\" fill=\"#e6e6e6\"/>", y + 20,
				 TRACK, BAR_H));
		if (fill > 0)
			TRY(lps_buf_addf(out, "<rect x=\"0\" y=\"%d\" "
					 "width=\"%ld\" height=\"%d\" "
					 "fill=\"%s\"/>", y + 20, fill, BAR_H,
					 state_colour(bar->state)));
		/* The target line, at 100%. */
		TRY(lps_buf_addf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" "
				 "y2=\"%d\" stroke=\"#111111\" "
				 "stroke-width=\"2\"/>", TRACK, y + 17, TRACK,
				 y + 20 + BAR_H + 3));
		TRY(lps_buf_addf(out, "<text x=\"%d\" y=\"%d\" "
				 "font-weight=\"bold\" fill=\"#111111\">",
				 TRACK + 10, y + 32));
		if (known)
			TRY(lps_buf_addf(out, "%ld%%", percent(bar->progress)));
		else
			TRY(lps_buf_adds(out, "\xe2\x80\x94"));
		if (st)
			TRY(lps_buf_addf(out, " %s", st));
		TRY(lps_buf_adds(out, "</text>"));
		TRY(lps_buf_addf(out, "<text x=\"0\" y=\"%d\" font-size=\"11\" "
				 "fill=\"#444444\">", y + 48));
		TRY(put_figures(out, bar));
		TRY(lps_buf_adds(out, "</text></g>\n"));
	}
	TRY(lps_buf_adds(out, "</svg>\n"));
	return NULL;
nomem:
	return lps_error_nomem();
}

/* Blue steps for 1..4 quarters of the column maximum; pale red for 0. */
static const char *heat_colour(unsigned v, unsigned max)
{
	static const char *steps[] = { "#deebf7", "#9ecae1", "#4292c6",
				       "#08519c" };
	if (v == 0)
		return "#fbd5d5";
	if (max == 0 || v >= max)
		return steps[3];
	unsigned k = (unsigned)(((unsigned long long)v * 4 + max - 1) / max);
	return steps[k >= 1 ? k - 1 : 0];
}

struct lps_error *lps_svg_heatmap(struct lps_buf *out,
				  const struct lps_svg_heatmap *map)
{
	enum { LABEL_W = 240, HEAD_H = 30, ROW_H = 26 };
	if (map->nrows == 0 || map->ncols == 0)
		return NULL;
	if (map->nrows > LPS_SVG_MAX_ROWS)
		return too_many("rows", map->nrows, LPS_SVG_MAX_ROWS);
	if (map->ncols > LPS_SVG_MAX_COLS)
		return too_many("columns", map->ncols, LPS_SVG_MAX_COLS);
	size_t nr = map->nrows, nc = map->ncols;
	unsigned max[LPS_SVG_MAX_COLS];
	for (size_t c = 0; c < nc; c++) {
		max[c] = map->col_max ? map->col_max[c] : 0;
		if (!map->col_max)
			for (size_t r = 0; r < nr; r++)
				if (map->values[r * nc + c] > max[c])
					max[c] = map->values[r * nc + c];
	}
	int cell_w = (WIDTH - LABEL_W) / (int)nc;
	int h = HEAD_H + (int)nr * ROW_H + 2;
	TRY(open_svg(out, map->caption, WIDTH, h));
	for (size_t c = 0; c < nc; c++) {
		TRY(lps_buf_addf(out, "<text x=\"%d\" y=\"%d\" "
				 "text-anchor=\"middle\" font-weight=\"bold\" "
				 "fill=\"#111111\">", LABEL_W + (int)c * cell_w +
				 cell_w / 2, HEAD_H - 10));
		TRY(put_text(out, map->cols[c], fits(cell_w)));
		TRY(lps_buf_adds(out, "</text>\n"));
	}
	for (size_t r = 0; r < nr; r++) {
		int y = HEAD_H + (int)r * ROW_H;
		TRY(lps_buf_adds(out, "<g><title>"));
		TRY(put_text(out, map->rows[r], 0));
		TRY(lps_buf_addf(out, "</title><text x=\"0\" y=\"%d\" "
				 "fill=\"#111111\">", y + 17));
		TRY(put_text(out, map->rows[r], fits(LABEL_W)));
		TRY(lps_buf_adds(out, "</text></g>\n"));
		for (size_t c = 0; c < nc; c++) {
			unsigned v = map->values[r * nc + c];
			const char *text = map->cell_text ?
				map->cell_text[r * nc + c] : NULL;
			const char *fill = heat_colour(v, max[c]);
			/* White text on the two darkest steps. */
			int dark = v && max[c] && (unsigned long long)v * 4 >
				   (unsigned long long)max[c] * 2;
			int x = LABEL_W + (int)c * cell_w;
			TRY(lps_buf_adds(out, "<g><title>"));
			TRY(put_text(out, map->rows[r], 0));
			TRY(lps_buf_adds(out, " \xc2\xb7 "));
			TRY(put_text(out, map->cols[c], 0));
			TRY(lps_buf_adds(out, ": "));
			if (text)
				TRY(put_text(out, text, 0));
			else
				TRY(lps_buf_addf(out, "%u", v));
			if (v == 0)
				TRY(lps_buf_adds(out, " (gap)"));
			TRY(lps_buf_addf(out, "</title><rect x=\"%d\" y=\"%d\" "
					 "width=\"%d\" height=\"%d\" "
					 "fill=\"%s\"/>", x + 1, y + 1,
					 cell_w - 2, ROW_H - 2, fill));
			TRY(lps_buf_addf(out, "<text x=\"%d\" y=\"%d\" "
					 "text-anchor=\"middle\" fill=\"%s\">",
					 x + cell_w / 2, y + 17,
					 dark ? "#ffffff" : "#111111"));
			if (text)
				TRY(put_text(out, text, fits(cell_w)));
			else
				TRY(lps_buf_addf(out, "%u", v));
			TRY(lps_buf_adds(out, "</text></g>\n"));
		}
	}
	TRY(lps_buf_adds(out, "</svg>\n"));
	return NULL;
nomem:
	return lps_error_nomem();
}
