/*
 * evidence.h - evidence documents (evidence/<id>.yaml) and the files
 * attached to them (evidence/<id>/<name>): reading a file to attach
 * safely and within the size limit, naming it, recognising its media
 * type, its git blob id, building the document, and finding evidence
 * that already holds the same content.
 *
 * Commands read with collection.h and write with txn.h; this module
 * does the evidence-specific work between the two.  It never prints.
 */
#ifndef LPS_EVIDENCE_H
#define LPS_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>
#include <git2.h>

#include "buf.h"
#include "doc.h"
#include "error.h"
#include "portfolio.h"

/* lps.maxAttachmentSize when git config does not set it: 25 MiB. */
#define LPS_EVIDENCE_DEFAULT_MAX_SIZE ((uint64_t)25 * 1024 * 1024)
/*
 * The largest lps.maxAttachmentSize accepted (1 GiB): an attachment is
 * held in memory while its commit is made, and git repositories do not
 * carry bigger files well.
 */
#define LPS_EVIDENCE_SIZE_CAP ((uint64_t)1 << 30)
/* Attachment names are at most this many bytes (the schema's bound). */
#define LPS_EVIDENCE_NAME_MAX 255
/* Titles made from file names are cut to this many code points. */
#define LPS_EVIDENCE_TITLE_MAX 200
/* Hex digits of a blob id (SHA-1), plus NUL. */
#define LPS_EVIDENCE_BLOB_HEX (GIT_OID_HEXSZ + 1)

/*
 * Parse a size the way git config does: decimal digits with an optional
 * suffix k, m or g (either case; powers of 1024).  Values above
 * LPS_EVIDENCE_SIZE_CAP, signs, spaces and other text are LPS_EUSAGE
 * (a configuration error, exit 2)
 * `lps.maxAttachmentSize: invalid size "abc" (expected a number of
 * bytes, optionally with a k, m or g suffix)` or `... "2g" is over the
 * largest size lps accepts (1g)`.
 */
struct lps_error *lps_evidence_parse_size(uint64_t *out, const char *s);

/*
 * The attachment size limit of repo: lps.maxAttachmentSize from its git
 * config (all levels, as git reads them), else the default.  A malformed
 * value: the error of lps_evidence_parse_size; config that cannot be
 * read: LPS_ESYS.
 */
struct lps_error *lps_evidence_max_size(uint64_t *out, git_repository *repo);

/*
 * The name a file given as `path` gets under evidence/<id>/ (written to
 * out, which holds size >= LPS_EVIDENCE_NAME_MAX + 1 bytes):
 *  - only the base name counts (after the last '/' or '\');
 *  - control characters (C0, DEL, C1), ill-formed UTF-8, invisible
 *    format characters (zero-width, bidirectional controls, BOM) and
 *    ASCII punctuation other than . - _ + , = @ are dropped;
 *  - each run of white space becomes one '-';
 *  - leading and trailing dots and dashes are dropped;
 *  - letters of any script (UTF-8) are kept;
 *  - a name over LPS_EVIDENCE_NAME_MAX bytes is cut at a character
 *    boundary, keeping an extension of up to 16 bytes;
 *  - an empty result is "attachment".
 * "../../etc/passwd" -> "passwd", ".bashrc" -> "bashrc",
 * "a\nb.txt" -> "ab.txt", "Reading log.pdf" -> "Reading-log.pdf".
 */
void lps_evidence_sanitize_name(char *out, size_t size, const char *path);

/*
 * A title for a file given as `path` when the user gave none: its base
 * name with control characters and ill-formed UTF-8 dropped, white
 * space runs made one space, trimmed, cut to LPS_EVIDENCE_TITLE_MAX
 * code points; if nothing is left, the sanitised name.  out holds size
 * bytes (at least 4 * LPS_EVIDENCE_TITLE_MAX + 1 to never cut short).
 */
void lps_evidence_title_from_path(char *out, size_t size, const char *path);

/*
 * The media type of a file named `name` holding data[0..len), from its
 * content: application/pdf, image/png, image/jpeg, image/gif,
 * image/webp by their signatures; a ZIP archive is an Office Open XML
 * document when its name ends in .docx, .xlsx or .pptx (any case), an
 * OpenDocument one for .odt, .ods, .odp, else application/zip; text
 * (well-formed UTF-8 with no NUL byte, a BOM allowed) is image/svg+xml
 * when it starts (after an XML declaration, comments or a doctype) with
 * an <svg element, text/csv for a .csv name, text/markdown for .md or
 * .markdown, else text/plain; anything else is
 * application/octet-stream.  Returns a static string.
 */
const char *lps_evidence_media_type(const char *name, const void *data,
				    size_t len);

/*
 * Read the file at path (as given by the user) into out for attaching,
 * reading at most max + 1 bytes.  Refusals, each LPS_EINVALID naming
 * path: `PATH: not a regular file (a directory)` (also a symlink, a
 * device, a FIFO, a socket; symlinks are never followed), `PATH: larger
 * than lps.maxAttachmentSize (N bytes); raise it with: git config
 * lps.maxAttachmentSize SIZE`.  A file that does not exist or cannot be
 * opened or read: LPS_ESYS `PATH: cannot open: REASON`.
 */
struct lps_error *lps_evidence_read_file(struct lps_buf *out,
					 const char *path, uint64_t max);

/*
 * The git blob id of data[0..len) as 40 lowercase hex digits in hex
 * (LPS_EVIDENCE_BLOB_HEX bytes): what git hash-object and the store
 * write.  LPS_ESYS when libgit2 fails.
 */
struct lps_error *lps_evidence_blob_id(char *hex, const void *data,
				       size_t len);

/* A file's attachment metadata (all four, or none: name NULL). */
struct lps_evidence_attachment {
	const char *name;
	uint64_t size;
	const char *media_type;
	const char *blob;
};

/* Fields of a new evidence document; NULL members are left out. */
struct lps_evidence_fields {
	const char *id;        /* "e-3f9a1c07" (required) */
	const char *title;     /* required */
	const char *kind;      /* required; the schema lists the kinds */
	const char *date;      /* YYYY-MM-DD (required) */
	const char *source;
	const char *summary;
	const char *goal;      /* the one goal it is attached for */
	struct lps_evidence_attachment attachment;
};

/*
 * Build a new evidence document (lps: 1 and the fields above) in a new
 * doc named "evidence/<id>.yaml"; the caller frees it.  Validation is
 * the write path's job.  LPS_ENOMEM.
 */
struct lps_error *lps_evidence_new(struct lps_doc **out,
				   const struct lps_evidence_fields *f);

/*
 * Add goal to the `goals` list of the evidence root (a tree of doc),
 * creating the list when missing.  Returns 1 when added, 0 when it was
 * there already, -1 when out of memory (root unchanged).
 */
int lps_evidence_add_goal(struct lps_doc *doc, struct lps_node *root,
			  const char *goal);

/* The attachment path "evidence/<id>/<name>" of an evidence root, into
 * out (size bytes); 0, or -1 when it has no attachment or it is too
 * long. */
int lps_evidence_attachment_path(char *out, size_t size,
				 const struct lps_node *root);

/* The evidence kinds of DESIGN section 6, NULL-terminated. */
extern const char *const lps_evidence_kinds[];

/*
 * Find, as of HEAD, evidence documents whose attachment has blob id
 * blobs[i], for each i < n: ids[i] (LPS_ID_LEN + 1 bytes each) is set to
 * the id of the first such document in path order, or "" when there is
 * none.  Reads every evidence document once.  Errors: the collection's.
 */
struct lps_error *lps_evidence_find_blobs(struct lps_portfolio *p,
					  const char *const *blobs, size_t n,
					  char (*ids)[LPS_ID_LEN + 1]);

/*
 * The documents that refer to evidence id as of HEAD: goals whose
 * measurements name it (indicators[].measurements[].evidence) and
 * self-assessments that list it (evidence[]).  Their paths are appended
 * to out, separated by ", " (out is left empty when there are none).
 * Documents that do not load are skipped (lps check reports them).
 * Errors: the store's and collection's, LPS_ENOMEM.
 */
struct lps_error *lps_evidence_referrers(struct lps_portfolio *p,
					 const char *id, struct lps_buf *out);

#endif
