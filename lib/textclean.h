/*
 * textclean.h - free text typed by a person (a reflection, a purpose
 * statement, feedback): tidy it the way git tidies a commit message,
 * write help as '#' comment lines for an editor template, and cut a
 * first line for one-line listings.  Pure string work: no I/O.
 */
#ifndef LPS_TEXTCLEAN_H
#define LPS_TEXTCLEAN_H

#include <stddef.h>
#include "buf.h"
#include "error.h"

/*
 * Tidy text[0..len) into out (replacing its contents): with
 * strip_comments, lines starting with '#' are dropped (as git commit
 * does after an editor); trailing blanks of every line are removed,
 * runs of blank lines become one, leading and trailing blank lines go,
 * and the result has no final newline.  CR LF line ends become LF.
 * An empty out means "nothing was written".  Errors: out of memory.
 */
struct lps_error *lps_textclean_tidy(struct lps_buf *out, const char *text,
				     size_t len, int strip_comments);

/*
 * 1 when text[0..len) holds nothing but blanks (space, tab, CR, FF, VT)
 * and line ends, that is when lps_textclean_tidy without comment
 * stripping leaves it empty; else 0.  This is the rule by which a
 * reflection or feedback body counts as empty, for one-line values that
 * are kept as typed (a title, a reason): whitespace alone is no text.
 */
int lps_textclean_blank(const char *text, size_t len);

/*
 * A typed answer to a yes/no question such as "edit again? [Y/n] ":
 * 1 for "y" or "yes", 0 for "n" or "no" (any case, blanks around them
 * ignored), dflt for a blank answer, -1 for anything else (ask again).
 */
int lps_textclean_answer(const char *text, size_t len, int dflt);

/*
 * Append text to out as comment lines "# ..." wrapped at about width
 * columns (words longer than the width stay whole; embedded newlines
 * start new lines).  An empty text appends "#\n".  0, or -1 on ENOMEM.
 */
int lps_textclean_comment(struct lps_buf *out, const char *text,
			  size_t width);

/*
 * The first non-blank line of text, cut to at most max code points
 * (the last three of them "..." when cut), into out (replacing its
 * contents).  text must be well-formed UTF-8.  0, or -1 on ENOMEM.
 */
int lps_textclean_first_line(struct lps_buf *out, const char *text,
			     size_t max);

#endif
