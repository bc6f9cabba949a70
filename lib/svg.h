/*
 * svg.h - the charts of the exhibit, drawn as inline SVG text: a phase
 * timeline, indicator progress bars and a coverage heat map.
 *
 * Pure functions: each appends one <svg> element to an lps_buf and reads
 * nothing else.  The element is meant to sit inside an HTML page, so it
 * carries no xmlns attribute (the HTML parser puts <svg> in the SVG
 * namespace by itself, and the exhibit must contain no "http" text at
 * all).  It scales with its container (width 100%, a viewBox, a
 * max-width of its natural size), uses presentation attributes only (no
 * CSS, no script, no external reference), and is accessible: role="img",
 * an aria-label and a <title> for the chart, and a <title> on every
 * mark giving its full text (labels drawn on the chart may be shortened
 * with an ellipsis; the titles never are).
 *
 * Every piece of text is escaped for XML (& < > " '); control characters
 * that XML 1.0 forbids and ill-formed UTF-8 bytes become U+FFFD, so no
 * input can break out of the element; bidirectional controls (U+061C,
 * U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) are written as numeric
 * references, as the report's HTML escaping does.  Numbers are printed in the C
 * locale style (lps never calls setlocale); a percentage is rounded
 * half away from zero, as lps_goal_percent() does.
 *
 * Errors: LPS_EINVALID for a date that is not YYYY-MM-DD (naming it) or
 * more items than the limits below; LPS_ENOMEM.  On error the buffer
 * may hold part of the chart: callers discard it.
 */
#ifndef LPS_SVG_H
#define LPS_SVG_H

#include <stddef.h>
#include "buf.h"
#include "error.h"

/* Upper bounds on what one chart draws (an error beyond them). */
#define LPS_SVG_MAX_PHASES 200
#define LPS_SVG_MAX_BARS 200
#define LPS_SVG_MAX_ROWS 500
#define LPS_SVG_MAX_COLS 12

/* One stretch of time spent in a phase. */
struct lps_svg_phase {
	const char *phase;  /* "purpose" ... "outcomes" (colours by name;
			     * other names are drawn grey) */
	const char *cycle;  /* the cycle, shown in the title, or NULL */
	const char *start;  /* YYYY-MM-DD: the day the phase was entered */
	const char *end;    /* YYYY-MM-DD: the day it was left, or NULL
			     * while it is the current phase */
	const char *note;   /* added to the title (e.g. "forced: ..."), or
			     * NULL */
};

/*
 * Append a horizontal timeline of n phases (oldest first) to out: one
 * segment each, its width growing with its length in days (every
 * segment keeps a minimum width so that short phases stay visible), the
 * phase name inside it when it fits and the start date under it.  The
 * current phase (end NULL, running to `today`, YYYY-MM-DD) is outlined.
 * caption names the chart (aria-label and <title>).  n == 0 appends
 * nothing.  An end before its start counts as one day.
 */
struct lps_error *lps_svg_phase_timeline(struct lps_buf *out,
					 const char *caption,
					 const struct lps_svg_phase *phases,
					 size_t n, const char *today);

/* How an indicator stands, which colours its bar. */
enum lps_svg_state {
	LPS_SVG_UNKNOWN = 0,  /* no measurement yet, or no schedule: grey */
	LPS_SVG_ON_TRACK,     /* green */
	LPS_SVG_BEHIND,       /* orange */
};

/* One indicator's bar. */
struct lps_svg_bar {
	const char *label;    /* the indicator's measure */
	/* The figures as the report prints them (lps_report_num), so the
	 * chart and the tables agree to the digit. */
	const char *baseline;
	const char *latest;   /* NULL: no measurement yet */
	const char *target;
	int has_progress;     /* 1 when progress is known */
	double progress;      /* (latest - baseline) / (target - baseline):
			       * the bar is filled to it, clamped to 0..1;
			       * the percentage shown is not clamped */
	const char *unit;     /* "%", "teachers", or NULL */
	enum lps_svg_state state;
};

/*
 * Append one progress bar per indicator to out: the label, a track from
 * baseline (0%) to target (100%) filled to the progress, the percentage
 * beside it and "baseline B · latest L · target T unit" under it.
 * n == 0 appends nothing.
 */
struct lps_error *lps_svg_progress(struct lps_buf *out, const char *caption,
				   const struct lps_svg_bar *bars, size_t n);

/* A heat map: rows (standards) by columns (goals, evidence, rating...). */
struct lps_svg_heatmap {
	const char *caption;
	const char *const *rows;       /* nrows row labels */
	size_t nrows;
	const char *const *cols;       /* ncols column labels */
	size_t ncols;
	const unsigned *values;        /* nrows * ncols, row by row */
	const unsigned *col_max;       /* ncols: the value drawn darkest in
					* each column, or NULL: the
					* column's largest value */
	const char *const *cell_text;  /* nrows * ncols texts drawn instead
					* of the number (a NULL entry: the
					* number), or NULL */
};

/*
 * Append the heat map to out: a header row of column labels, then one
 * row per standard, each cell shaded by its value relative to its
 * column's maximum in four steps of blue; a 0 is drawn pale red and
 * titled as a gap, so what lacks evidence stands out (and its text says
 * so too, not only its colour).  nrows == 0 or ncols == 0 appends
 * nothing.
 */
struct lps_error *lps_svg_heatmap(struct lps_buf *out,
				  const struct lps_svg_heatmap *map);

#endif
