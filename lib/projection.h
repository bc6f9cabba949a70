/*
 * projection.h - the published (filtered) history of a portfolio: what
 * `lps push` sends.  remote.h describes the rules; this module applies
 * them to commits and keeps the cache of what was already projected.
 */
#ifndef LPS_PROJECTION_H
#define LPS_PROJECTION_H

#include <stddef.h>
#include <git2.h>
#include "error.h"

/*
 * Whether the document at path, with contents data[0..len) (NULL: the
 * document does not exist), is private.  Reflections (reflections/...)
 * are private unless their top-level visibility is "roundtable"; other
 * *.yaml documents below goals/, evidence/, feedback/, reflections/ and
 * assessments/ are private when visibility is "private" or when they do
 * not load as a YAML mapping; everything else (lps.yaml, frameworks/,
 * unknown files) is shared.  Evidence attachments are handled by
 * lps_projection_attachment_owner.
 */
int lps_projection_doc_private(const char *path, const char *data,
			       size_t len);

/*
 * When path is an evidence attachment "evidence/<id>/<...>", write
 * "evidence/<id>.yaml" to owner (size bytes) and return 1; else 0.
 */
int lps_projection_attachment_owner(const char *path, char *owner,
				    size_t size);

/* The subject a published commit gets when the original touched a private
 * path: "<area>: private change" (area = text before the first ':' of
 * the subject, or "lps"), followed by the LPS-* trailers of message.
 * *out is malloc'd. */
struct lps_error *lps_projection_message(char **out, const char *message,
					 int private_change);

struct lps_projection;

/*
 * Open the projection of repo (borrowed; must outlive it), loading the
 * cache <gitdir>/lps/projection.  Free with lps_projection_free.
 */
struct lps_error *lps_projection_open(struct lps_projection **out,
				      git_repository *repo);
void lps_projection_free(struct lps_projection *pj);

/*
 * P(local) into *out.  *made (may be NULL) is increased by the number of
 * commits projected (not found in the cache).  New mappings are appended
 * to the cache file.  A commit with an LPS-Replayed-From trailer whose
 * published commit is not in this repository: LPS_EREFUSED (run lps pull).
 */
struct lps_error *lps_projection_commit(git_oid *out,
					struct lps_projection *pj,
					const git_oid *local, size_t *made);

/* The cached projection of local, if known: 1 and *out set, else 0. */
int lps_projection_lookup(struct lps_projection *pj, const git_oid *local,
			  git_oid *out);

#endif
