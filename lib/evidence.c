/*
 * evidence.c - evidence documents and their attached files.
 */
#include "evidence.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collection.h"
#include "store.h"
#include "utf8.h"

const char *const lps_evidence_kinds[] = {
	"achievement", "perceptual", "process", "demographic", "financial",
	"artifact", "observation", NULL,
};

/* ---- sizes ---- */

/* A bad setting is a usage error (exit 2), as a bad option value is. */
static struct lps_error *bad_size(const char *s)
{
	return lps_error_new(LPS_EUSAGE,
			     "lps.maxAttachmentSize: invalid size \"%s\" "
			     "(expected a number of bytes, optionally with a "
			     "k, m or g suffix)", s);
}

struct lps_error *lps_evidence_parse_size(uint64_t *out, const char *s)
{
	uint64_t v = 0, unit = 1;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return bad_size(s);
	for (; *p >= '0' && *p <= '9'; p++) {
		/* Past the cap already: no need to keep counting. */
		if (v <= LPS_EVIDENCE_SIZE_CAP)
			v = v * 10 + (uint64_t)(*p - '0');
	}
	switch (*p) {
	case '\0': break;
	case 'k': case 'K': unit = 1024; p++; break;
	case 'm': case 'M': unit = 1024 * 1024; p++; break;
	case 'g': case 'G': unit = 1024 * 1024 * 1024; p++; break;
	default: return bad_size(s);
	}
	if (*p)
		return bad_size(s);
	if (v > LPS_EVIDENCE_SIZE_CAP / unit)
		return lps_error_new(LPS_EUSAGE,
				     "lps.maxAttachmentSize: \"%s\" is over "
				     "the largest size lps accepts (1g)", s);
	*out = v * unit;
	return NULL;
}

struct lps_error *lps_evidence_max_size(uint64_t *out, git_repository *repo)
{
	git_config *cfg = NULL;
	git_buf value = GIT_BUF_INIT;
	struct lps_error *err = NULL;

	*out = LPS_EVIDENCE_DEFAULT_MAX_SIZE;
	if (git_repository_config_snapshot(&cfg, repo) < 0) {
		const git_error *e = git_error_last();
		return lps_error_new(LPS_ESYS, "reading git config: %s",
				     e ? e->message : "unknown error");
	}
	int r = git_config_get_string_buf(&value, cfg, "lps.maxAttachmentSize");
	if (r == 0)
		err = lps_evidence_parse_size(out, value.ptr);
	else if (r != GIT_ENOTFOUND) {
		const git_error *e = git_error_last();
		err = lps_error_new(LPS_ESYS,
				    "reading lps.maxAttachmentSize: %s",
				    e ? e->message : "unknown error");
	}
	git_buf_dispose(&value);
	git_config_free(cfg);
	return err;
}

/* ---- names and titles ---- */

/*
 * Length of the well-formed UTF-8 sequence at s[i] (i < n), or 0 when the
 * byte there does not start one.  *cp gets the code point.
 */
static size_t utf8_seq(const char *s, size_t n, size_t i, uint32_t *cp)
{
	unsigned char c = (unsigned char)s[i];
	size_t len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2
		: c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
	if (!len || len > n - i || lps_utf8_check(s + i, len) != len)
		return 0;
	size_t j = i;
	*cp = lps_utf8_next(s, n, &j);
	return len;
}

static int is_control(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

static int is_space(uint32_t c)
{
	return c == ' ' || c == 0xa0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200a) || c == 0x202f || c == 0x205f ||
	       c == 0x3000;
}

/* Invisible characters that only make a name confusing or spoofable. */
static int is_format(uint32_t c)
{
	return c == 0xad || c == 0x61c || c == 0x180e ||
	       (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) ||
	       (c >= 0x2060 && c <= 0x206f) || c == 0xfeff ||
	       (c >= 0xfff9 && c <= 0xffff) || (c >= 0xe0000 && c <= 0xe007f);
}

static int safe_ascii(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr(".-_+,=@", (int)c) != NULL;
}

static const char *base_name(const char *path)
{
	const char *b = path;
	for (const char *p = path; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	return b;
}

/* Cut s (NUL-terminated, len bytes) to at most max bytes at a character
 * boundary; returns the new length. */
static size_t cut_utf8(char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	len = max;
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	s[len] = '\0';
	return len;
}

void lps_evidence_sanitize_name(char *out, size_t size, const char *path)
{
	const char *base = base_name(path);
	size_t n = strlen(base), len = 0, max;
	char *t = malloc(n + 1);
	int space = 0;

	if (!size)
		return;
	max = size - 1 < LPS_EVIDENCE_NAME_MAX ? size - 1
		: LPS_EVIDENCE_NAME_MAX;
	if (!t)
		goto fallback;
	for (size_t i = 0; i < n;) {
		uint32_t c = 0;
		size_t k = utf8_seq(base, n, i, &c);
		if (!k) {
			i++;
			continue;
		}
		int keep = c < 0x80 ? safe_ascii(c)
			: !is_control(c) && !is_format(c) && !is_space(c);
		if (is_space(c))
			space = 1;
		if (keep) {
			/* Sanitising never lengthens: a space run (>= 1 byte)
			 * becomes one '-' before a kept character. */
			if (space && len)
				t[len++] = '-';
			space = 0;
			memcpy(t + len, base + i, k);
			len += k;
		}
		i += k;
	}
	t[len] = '\0';
	/* No leading dot (hidden files) or dash (read as an option). */
	size_t start = 0;
	while (start < len && (t[start] == '.' || t[start] == '-'))
		start++;
	while (len > start && (t[len - 1] == '.' || t[len - 1] == '-'))
		len--;
	t[len] = '\0';
	memmove(t, t + start, len - start + 1);
	len -= start;
	if (len > max) {
		const char *dot = strrchr(t, '.');
		size_t ext = dot && dot != t ? strlen(dot) : 0;
		if (ext > 16 || ext >= max)
			ext = 0;
		char keep[17];
		memcpy(keep, t + len - ext, ext);
		len = cut_utf8(t, len, max - ext);
		memcpy(t + len, keep, ext);
		len += ext;
		t[len] = '\0';
	}
	if (!len)
		goto fallback;
	memcpy(out, t, len + 1);
	free(t);
	return;
fallback:
	free(t);
	snprintf(out, size, "%s", "attachment");
}

void lps_evidence_title_from_path(char *out, size_t size, const char *path)
{
	const char *base = base_name(path);
	size_t n = strlen(base), len = 0, points = 0;
	int space = 0;

	if (!size)
		return;
	for (size_t i = 0; i < n && points < LPS_EVIDENCE_TITLE_MAX;) {
		uint32_t c = 0;
		size_t k = utf8_seq(base, n, i, &c);
		if (!k || is_control(c) || is_format(c)) {
			i += k ? k : 1;
			continue;
		}
		if (is_space(c)) {
			space = 1;
			i += k;
			continue;
		}
		size_t need = k + (space && len ? 1 : 0);
		if (len + need > size - 1)
			break;
		if (space && len) {
			out[len++] = ' ';
			points++;
		}
		space = 0;
		memcpy(out + len, base + i, k);
		len += k;
		points++;
		i += k;
	}
	out[len] = '\0';
	if (!len)
		lps_evidence_sanitize_name(out, size, path);
}

/* ---- media types ---- */

static int ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	if (n < m)
		return 0;
	for (size_t i = 0; i < m; i++) {
		char a = s[n - m + i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != suffix[i])
			return 0;
	}
	return 1;
}

static int starts(const unsigned char *d, size_t len, const char *sig,
		  size_t n)
{
	return len >= n && memcmp(d, sig, n) == 0;
}

/* Position after the next occurrence of end in d[i..len), or len. */
static size_t skip_past(const unsigned char *d, size_t len, size_t i,
			const char *end)
{
	size_t m = strlen(end);
	for (; i + m <= len; i++)
		if (memcmp(d + i, end, m) == 0)
			return i + m;
	return len;
}

/* Does the text start, after its XML prolog, with an <svg element? */
static int looks_svg(const unsigned char *d, size_t len)
{
	/* The prolog of a real SVG file is short; do not scan megabytes. */
	if (len > 65536)
		len = 65536;
	size_t i = 0;
	for (;;) {
		while (i < len && strchr(" \t\r\n", d[i]))
			i++;
		if (starts(d + i, len - i, "<?", 2))
			i = skip_past(d, len, i, "?>");
		else if (starts(d + i, len - i, "<!--", 4))
			i = skip_past(d, len, i, "-->");
		else if (starts(d + i, len - i, "<!", 2))
			i = skip_past(d, len, i, ">");
		else
			break;
	}
	if (!starts(d + i, len - i, "<svg", 4))
		return 0;
	return i + 4 < len && strchr(" \t\r\n>/", d[i + 4]) && d[i + 4];
}

static const char *zip_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} office[] = {
		{ ".docx", "application/vnd.openxmlformats-officedocument."
			   "wordprocessingml.document" },
		{ ".xlsx", "application/vnd.openxmlformats-officedocument."
			   "spreadsheetml.sheet" },
		{ ".pptx", "application/vnd.openxmlformats-officedocument."
			   "presentationml.presentation" },
		{ ".odt", "application/vnd.oasis.opendocument.text" },
		{ ".ods", "application/vnd.oasis.opendocument.spreadsheet" },
		{ ".odp", "application/vnd.oasis.opendocument.presentation" },
	};
	for (size_t i = 0; i < sizeof(office) / sizeof(office[0]); i++)
		if (ends_with_ci(name, office[i].ext))
			return office[i].type;
	return "application/zip";
}

const char *lps_evidence_media_type(const char *name, const void *data,
				    size_t len)
{
	const unsigned char *d = data;

	if (starts(d, len, "%PDF-", 5))
		return "application/pdf";
	if (starts(d, len, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if (starts(d, len, "\xff\xd8\xff", 3))
		return "image/jpeg";
	if (starts(d, len, "GIF87a", 6) || starts(d, len, "GIF89a", 6))
		return "image/gif";
	if (len >= 12 && starts(d, len, "RIFF", 4) &&
	    memcmp(d + 8, "WEBP", 4) == 0)
		return "image/webp";
	if (starts(d, len, "PK\x03\x04", 4) || starts(d, len, "PK\x05\x06", 4))
		return zip_type(name);
	if (starts(d, len, "\xef\xbb\xbf", 3)) {
		d += 3;
		len -= 3;
	}
	if (memchr(d, '\0', len) || lps_utf8_check((const char *)d, len) != len)
		return "application/octet-stream";
	if (looks_svg(d, len))
		return "image/svg+xml";
	if (ends_with_ci(name, ".csv"))
		return "text/csv";
	if (ends_with_ci(name, ".md") || ends_with_ci(name, ".markdown"))
		return "text/markdown";
	return "text/plain";
}

/* ---- reading a file to attach ---- */

static const char *file_type(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISLNK(m) ? "a symlink"
		: S_ISCHR(m) || S_ISBLK(m) ? "a device"
		: S_ISFIFO(m) ? "a FIFO" : S_ISSOCK(m) ? "a socket"
		: "not a file";
}

static struct lps_error *too_big(const char *path, uint64_t max)
{
	return lps_error_new(LPS_EINVALID,
			     "%s: larger than lps.maxAttachmentSize (%llu "
			     "bytes)", path, (unsigned long long)max);
}

struct lps_error *lps_evidence_read_file(struct lps_buf *out,
					 const char *path, uint64_t max)
{
	struct stat st, fst;
	struct lps_error *err = NULL;
	int fd;

	lps_buf_reset(out);
	if (max > LPS_EVIDENCE_SIZE_CAP)
		max = LPS_EVIDENCE_SIZE_CAP;
	if (lstat(path, &st) < 0)
		return lps_error_new(LPS_ESYS, "%s: cannot open: %s", path,
				     strerror(errno));
	if (!S_ISREG(st.st_mode))
		return lps_error_new(LPS_EINVALID,
				     "%s: not a regular file (%s)", path,
				     file_type(st.st_mode));
	if ((uint64_t)st.st_size > max)
		return too_big(path, max);
	/* It may have been swapped for a symlink or FIFO since lstat:
	 * never follow, never block, and check again on what was opened. */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ELOOP)
			return lps_error_new(LPS_EINVALID,
					     "%s: not a regular file (a "
					     "symlink)", path);
		return lps_error_new(LPS_ESYS, "%s: cannot open: %s", path,
				     strerror(errno));
	}
	if (fstat(fd, &fst) < 0) {
		err = lps_error_new(LPS_ESYS, "%s: cannot stat: %s", path,
				    strerror(errno));
		goto out;
	}
	if (!S_ISREG(fst.st_mode)) {
		err = lps_error_new(LPS_EINVALID, "%s: not a regular file (%s)",
				    path, file_type(fst.st_mode));
		goto out;
	}
	/* Room for the expected size and one byte more, to see growth. */
	size_t want = (size_t)fst.st_size <= max ? (size_t)fst.st_size
		: (size_t)max;
	if (lps_buf_grow(out, want + 2) < 0) {
		err = lps_error_nomem();
		goto out;
	}
	/* max is at most LPS_EVIDENCE_SIZE_CAP, so this fits a size_t. */
	size_t limit = (size_t)max + 1;
	for (;;) {
		if (out->len + 1 >= out->cap && lps_buf_grow(out, 65536) < 0) {
			err = lps_error_nomem();
			goto out;
		}
		size_t room = out->cap - out->len - 1;
		if (room > limit - out->len)
			room = limit - out->len;
		ssize_t r = read(fd, out->data + out->len, room);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = lps_error_new(LPS_ESYS, "%s: cannot read: %s",
					    path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		out->len += (size_t)r;
		if ((uint64_t)out->len > max) {
			err = too_big(path, max);
			goto out;
		}
	}
	out->data[out->len] = '\0';
out:
	close(fd);
	if (err)
		lps_buf_reset(out);
	return err;
}

struct lps_error *lps_evidence_blob_id(char *hex, const void *data,
				       size_t len)
{
	git_oid oid;
	if (git_odb_hash(&oid, data, len, GIT_OBJECT_BLOB) < 0) {
		const git_error *e = git_error_last();
		return lps_error_new(LPS_ESYS, "hashing a file: %s",
				     e ? e->message : "unknown error");
	}
	git_oid_tostr(hex, LPS_EVIDENCE_BLOB_HEX, &oid);
	return NULL;
}

/* ---- documents ---- */

static int set_str(struct lps_doc *doc, struct lps_node *map,
		   const char *key, const char *value)
{
	if (!value)
		return 0;
	struct lps_node *n = lps_doc_new_string(doc, value);
	return n ? lps_map_set(doc, map, key, n) : -1;
}

struct lps_error *lps_evidence_new(struct lps_doc **out,
				   const struct lps_evidence_fields *f)
{
	char name[64];
	struct lps_doc *doc = NULL;
	struct lps_error *err;

	snprintf(name, sizeof(name), "evidence/%s.yaml", f->id);
	if ((err = lps_doc_new(&doc, name)))
		return err;
	struct lps_node *root = lps_doc_new_map(doc);
	struct lps_node *ver = lps_doc_new_int(doc, LPS_FORMAT_VERSION);
	if (!root || !ver || lps_map_set(doc, root, "lps", ver) < 0 ||
	    set_str(doc, root, "id", f->id) < 0 ||
	    set_str(doc, root, "title", f->title) < 0 ||
	    set_str(doc, root, "kind", f->kind) < 0 ||
	    set_str(doc, root, "date", f->date) < 0 ||
	    set_str(doc, root, "source", f->source) < 0 ||
	    set_str(doc, root, "summary", f->summary) < 0)
		goto nomem;
	if (f->goal && lps_evidence_add_goal(doc, root, f->goal) < 0)
		goto nomem;
	if (f->attachment.name) {
		const struct lps_evidence_attachment *a = &f->attachment;
		struct lps_node *m = lps_doc_new_map(doc);
		struct lps_node *size = lps_doc_new_int(doc, (int64_t)a->size);
		if (!m || !size || set_str(doc, m, "name", a->name) < 0 ||
		    lps_map_set(doc, m, "size", size) < 0 ||
		    set_str(doc, m, "media_type", a->media_type) < 0 ||
		    set_str(doc, m, "blob", a->blob) < 0 ||
		    lps_map_set(doc, root, "attachment", m) < 0)
			goto nomem;
	}
	lps_doc_set_root(doc, root);
	*out = doc;
	return NULL;
nomem:
	lps_doc_free(doc);
	return lps_error_nomem();
}

int lps_evidence_add_goal(struct lps_doc *doc, struct lps_node *root,
			  const char *goal)
{
	struct lps_node *goals = lps_map_get(root, "goals");
	if (goals && goals->type == LPS_NODE_SEQ) {
		for (size_t i = 0; i < goals->v.seq.n; i++) {
			const char *s = lps_node_str(goals->v.seq.items[i]);
			if (s && strcmp(s, goal) == 0)
				return 0;
		}
		struct lps_node *g = lps_doc_new_string(doc, goal);
		return g && lps_seq_append(doc, goals, g) == 0 ? 1 : -1;
	}
	struct lps_node *seq = lps_doc_new_seq(doc);
	struct lps_node *g = lps_doc_new_string(doc, goal);
	if (!seq || !g || lps_seq_append(doc, seq, g) < 0 ||
	    lps_map_set(doc, root, "goals", seq) < 0)
		return -1;
	return 1;
}

int lps_evidence_attachment_path(char *out, size_t size,
				 const struct lps_node *root)
{
	const char *id = lps_node_str(lps_map_get(root, "id"));
	const char *name = lps_node_str(
		lps_map_get(lps_map_get(root, "attachment"), "name"));
	if (!id || !name)
		return -1;
	int n = snprintf(out, size, "evidence/%s/%s", id, name);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* ---- finding content already attached ---- */

struct find_ctx {
	const char *const *blobs;
	size_t n;
	char (*ids)[LPS_ID_LEN + 1];
};

static int find_each(void *ctx, const char *path, const struct lps_doc *doc,
		     const struct lps_error *problem)
{
	struct find_ctx *fc = ctx;
	if (!doc)
		return 0;
	const struct lps_node *root = lps_doc_root(doc);
	const char *blob = lps_node_str(
		lps_map_get(lps_map_get(root, "attachment"), "blob"));
	const char *id = lps_node_str(lps_map_get(root, "id"));
	if (!blob || !id || strlen(id) != LPS_ID_LEN)
		return 0;
	for (size_t i = 0; i < fc->n; i++)
		if (!fc->ids[i][0] && strcmp(fc->blobs[i], blob) == 0)
			memcpy(fc->ids[i], id, LPS_ID_LEN + 1);
	return 0;
}

struct lps_error *lps_evidence_find_blobs(struct lps_portfolio *p,
					  const char *const *blobs, size_t n,
					  char (*ids)[LPS_ID_LEN + 1])
{
	struct find_ctx fc = { blobs, n, ids };
	for (size_t i = 0; i < n; i++)
		ids[i][0] = '\0';
	if (!n)
		return NULL;
	return lps_collection_each(p, lps_collection_dir('e'), find_each, &fc);
}

/* ---- who refers to a piece of evidence ---- */

/* Does the text mention id at all?  Most documents do not, and are
 * then not parsed. */
static int memmem_id(const char *data, size_t len, const char *id)
{
	size_t m = strlen(id);
	for (size_t i = 0; i + m <= len; i++)
		if (data[i] == id[0] && memcmp(data + i, id, m) == 0)
			return 1;
	return 0;
}

struct ref_ctx {
	const char *id;
	struct lps_buf *out;
	int nomem;
};

static int seq_has(const struct lps_node *seq, const char *s)
{
	if (!seq || seq->type != LPS_NODE_SEQ)
		return 0;
	for (size_t i = 0; i < seq->v.seq.n; i++) {
		const char *v = lps_node_str(seq->v.seq.items[i]);
		if (v && strcmp(v, s) == 0)
			return 1;
	}
	return 0;
}

static int add_referrer(struct ref_ctx *rc, const char *path)
{
	if ((rc->out->len && lps_buf_adds(rc->out, ", ") < 0) ||
	    lps_buf_adds(rc->out, path) < 0) {
		rc->nomem = 1;
		return 1;
	}
	return 0;
}

static int goal_refers(void *ctx, const char *path, const struct lps_doc *doc,
		       const struct lps_error *problem)
{
	struct ref_ctx *rc = ctx;
	if (!doc)
		return 0;
	const struct lps_node *ind = lps_map_get(lps_doc_root(doc),
						 "indicators");
	for (size_t i = 0; ind && ind->type == LPS_NODE_SEQ &&
			   i < ind->v.seq.n; i++) {
		const struct lps_node *ms =
			lps_map_get(ind->v.seq.items[i], "measurements");
		for (size_t k = 0; ms && ms->type == LPS_NODE_SEQ &&
				   k < ms->v.seq.n; k++) {
			const char *e = lps_node_str(
				lps_map_get(ms->v.seq.items[k], "evidence"));
			if (e && strcmp(e, rc->id) == 0)
				return add_referrer(rc, path);
		}
	}
	return 0;
}

static int assessment_refers(void *ctx, const char *path, const char *data,
			     size_t len)
{
	struct ref_ctx *rc = ctx;
	struct lps_doc *doc = NULL;
	size_t n = strlen(path);

	if (n < 5 || strcmp(path + n - 5, ".yaml") != 0 ||
	    !memmem_id(data, len, rc->id))
		return 0;
	struct lps_error *err = lps_doc_load(&doc, path, data, len, NULL);
	if (err) {
		if (err->code == LPS_ENOMEM)
			rc->nomem = 1;
		lps_error_free(err);
		return rc->nomem;
	}
	int r = 0;
	if (seq_has(lps_map_get(lps_doc_root(doc), "evidence"), rc->id))
		r = add_referrer(rc, path);
	lps_doc_free(doc);
	return r;
}

struct lps_error *lps_evidence_referrers(struct lps_portfolio *p,
					 const char *id, struct lps_buf *out)
{
	struct ref_ctx rc = { id, out, 0 };
	struct lps_error *err;

	lps_buf_reset(out);
	err = lps_collection_each(p, lps_collection_dir('g'), goal_refers, &rc);
	if (!err && !rc.nomem)
		err = lps_store_foreach(lps_portfolio_store(p),
					lps_portfolio_head(p), "assessments",
					assessment_refers, &rc);
	if (rc.nomem) {
		lps_error_free(err);
		return lps_error_nomem();
	}
	return err;
}
