/*
 * editor.h - let the user write or fix text in their editor, the way
 * `git commit` and `crontab -e` do.  Part of the command-line layer: it
 * runs a program and talks to the user on stderr/stdin.
 *
 * The editor is $VISUAL, else $EDITOR, else vi, run through `sh -c` with
 * the file name as argument (so EDITOR may hold options).
 */
#ifndef LPS_EDITOR_H
#define LPS_EDITOR_H

#include <stddef.h>
#include "buf.h"
#include "error.h"

/*
 * Judge the edited text: NULL when acceptable, else an error whose
 * message (may hold several lines) is shown to the user.
 */
typedef struct lps_error *(*lps_editor_check_fn)(void *ctx, const char *text,
						 size_t len);

/*
 * Write initial[0..len) to a temporary file named after `name` (e.g.
 * "g-3f9a1c07.yaml", so editors pick the right mode), open the editor on
 * it, and read the result into out.  When check rejects the result, its
 * message is printed on stderr and the user is asked
 * "edit again? [Y/n] " (answer read from standard input; end of input or
 * "n" aborts); editing again starts from the user's text, not from
 * initial.  The temporary file is always removed.
 * Errors: the editor failing (exit status != 0): LPS_ESYS
 * `editor "vi" failed (exit 1)`; the user aborting: LPS_EINVALID
 * `aborted: nothing changed` (the last check message is printed before).
 * An empty result is passed to check like any other text.
 */
struct lps_error *lps_editor_edit(struct lps_buf *out, const char *initial,
				  size_t len, const char *name,
				  lps_editor_check_fn check, void *ctx);

#endif
