/*
 * meeting.h - the roundtable's shared branch: meeting records
 * (meetings/<date>-<id>.yaml) and the group's norms (norms.yaml), read
 * from the fetched refs/remotes/roundtable/roundtable and changed by
 * pushing a new commit to refs/heads/roundtable.
 *
 * The shared branch is never checked out: a change is a commit built
 * in the object database on top of the fetched tip (touching only the
 * changed path) and pushed.  When the push is refused because another
 * member pushed first, the tip is fetched again, the commit is rebuilt
 * on it and pushed again, up to LPS_SHARED_MAX_TRIES times; since every
 * meeting has its own file, two members adding meetings at the same
 * moment both land.  norms.yaml is one file: a rebuild whose norms
 * changed since the user's edit began is a conflict (LPS_ECONFLICT),
 * never a silent overwrite.
 *
 * Depends on doc, registry, store, portfolio and remote; never prints.
 */
#ifndef LPS_MEETING_H
#define LPS_MEETING_H

#include <stddef.h>
#include <git2.h>
#include "doc.h"
#include "error.h"
#include "store.h"
#include "transport.h"

#define LPS_SHARED_MAX_TRIES 8
#define LPS_MEETING_NORMS_PATH "norms.yaml"
#define LPS_MEETING_DIR "meetings"
/* "m-" + 8 hex. */
#define LPS_MEETING_ID_LEN 10

/* What a new meeting record says; attendees/agenda/notes optional. */
struct lps_meeting_fields {
	const char *id;       /* m-xxxxxxxx */
	const char *date;     /* YYYY-MM-DD */
	const char *by;       /* the recording member's handle */
	const char *const *attendees;
	size_t nattendees;
	const char *agenda;
	const char *notes;
};

/*
 * Build the meeting document (keys in schema order, validated) into a
 * new doc (caller frees) and its canonical YAML into text (appended).
 * Invalid: LPS_EINVALID naming the field (a handle that is not one, a
 * bad date, an empty agenda); out of memory.
 */
struct lps_error *lps_meeting_build(struct lps_doc **out,
				    struct lps_buf *text,
				    const struct lps_meeting_fields *f);

/* "meetings/<date>-<id>.yaml" into out (at least 64 bytes). */
void lps_meeting_path(char *out, size_t size, const char *date,
		      const char *id);

/*
 * The fetched tip of the shared branch into *tip; *found is 0 (and tip
 * zero) when nothing was fetched yet or nobody wrote to it.
 */
struct lps_error *lps_meeting_tip(git_oid *tip, int *found,
				  struct lps_store *store);

/* A change to the shared branch: one file written. */
struct lps_shared_change {
	const char *path;      /* "meetings/..." or "norms.yaml" */
	const char *data;      /* the bytes, len long */
	size_t len;
	/* For norms: the blob the edit was based on; a rebuild on a tip
	 * where path holds another blob is LPS_ECONFLICT.  NULL: no check
	 * (a new meeting file); the zero oid: path must not exist. */
	const git_oid *based_on;
	const char *message;   /* the whole commit message */
};

/*
 * Fetch, commit the change on the shared branch's fetched tip, push it
 * to refs/heads/roundtable, retrying on a lost race as described above.
 * Author and committer from git config as for any commit (missing:
 * LPS_EREFUSED saying how to set them).  *out (may be NULL) gets the
 * commit that landed.  The server refusing for another reason (the
 * guard): LPS_EREFUSED with its reason; still losing after
 * LPS_SHARED_MAX_TRIES: LPS_ECONFLICT; not in a roundtable: remote's
 * LPS_ENOTFOUND; transport: LPS_ESYS.  t may be NULL.
 */
struct lps_error *lps_meeting_publish(git_oid *out, struct lps_store *store,
				      const struct lps_shared_change *c,
				      struct lps_transport *t);

/*
 * Call fn for each meeting record of the fetched shared branch, in path
 * order (so by date), loaded and validated; one that does not load or
 * validate comes with doc NULL and problem set (both borrowed).  fn
 * returns non-zero to stop.  Nothing fetched: no calls.
 */
typedef int (*lps_meeting_each_fn)(void *ctx, const char *path,
				   const struct lps_doc *doc,
				   const struct lps_error *problem);
struct lps_error *lps_meeting_each(struct lps_store *store,
				   lps_meeting_each_fn fn, void *ctx);

/*
 * Load the meeting whose id starts with typed ("m-3f9", "3f9") from the
 * fetched shared branch into *out (caller frees).  None:
 * LPS_ENOTFOUND; several: LPS_EINVALID listing them.
 */
struct lps_error *lps_meeting_find(struct lps_doc **out,
				   struct lps_store *store,
				   const char *typed);

/*
 * The norms as fetched: text (appended) and its blob id; *found 0 when
 * there are none yet (blob zero).
 */
struct lps_error *lps_meeting_norms(struct lps_buf *text, git_oid *blob,
				    int *found, struct lps_store *store);

/*
 * Check edited norms text (the whole norms.yaml) against the norms
 * schema.  Invalid: LPS_EINVALID whose message lists every finding, one
 * per line, as "norms.yaml:LINE:COL: PATH: MESSAGE" (the YAML loader's
 * own error when it does not load).
 */
struct lps_error *lps_meeting_norms_check(const char *text, size_t len);

/*
 * The norms text to commit: text as the user wrote it, with its
 * top-level `updated:` and `by:` lines replaced by (or, when missing,
 * added after the `lps:` line as) date and by, into out (appended).
 * When the user's layout does not allow that (those keys written over
 * several lines, no `lps:` line at the start of a line), the document
 * is emitted again in canonical form with the two values set instead.
 * The result is checked as lps_meeting_norms_check; text must pass it.
 */
struct lps_error *lps_meeting_norms_stamp(struct lps_buf *out,
					  const char *text, size_t len,
					  const char *date, const char *by);

#endif
