/* d_type and its DT_* values come with _DEFAULT_SOURCE. */
#define _DEFAULT_SOURCE 1
#include "check.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc.h"
#include "framework.h"
#include "goal.h"
#include "portfolio.h"
#include "registry.h"
#include "schema.h"

/* What a path of the portfolio holds. */
enum kind {
	K_IGNORE,      /* not lps's business (top-level files, hidden) */
	K_UNKNOWN,     /* in a document folder but not a document */
	K_ATTACHMENT,  /* evidence/<id>/<name> */
	K_PORTFOLIO,
	K_GOAL,
	K_EVIDENCE,
	K_REFLECTION,
	K_FEEDBACK,
	K_ASSESSMENT,
	K_FRAMEWORK,
	K_NKINDS
};

static const char *const kind_schema[K_NKINDS] = {
	[K_PORTFOLIO] = "portfolio", [K_GOAL] = "goal",
	[K_EVIDENCE] = "evidence", [K_REFLECTION] = "reflection",
	[K_FEEDBACK] = "feedback", [K_ASSESSMENT] = "assessment",
	[K_FRAMEWORK] = "framework",
};

/* The id letter of each kind that has ids. */
static const char kind_letter[K_NKINDS] = {
	[K_GOAL] = 'g', [K_EVIDENCE] = 'e', [K_REFLECTION] = 'r',
	[K_FEEDBACK] = 'f',
};

/* What path holds, by the registry's table of places. */
static enum kind classify(const char *path)
{
	struct lps_registry_place pl;

	lps_registry_place(&pl, path);
	switch (pl.kind) {
	case LPS_PLACE_ATTACHMENT:
		return K_ATTACHMENT;
	case LPS_PLACE_STRAY:
		return K_UNKNOWN;
	case LPS_PLACE_DOCUMENT:
		for (int k = K_PORTFOLIO; k < K_NKINDS; k++)
			if (strcmp(kind_schema[k], pl.schema) == 0)
				return (enum kind)k;
		/* a schema check does not know: a finding, not a crash */
		return K_UNKNOWN;
	default:
		return K_IGNORE;
	}
}

/* ---- strings that live as long as the jobs ---- */

/*
 * The paths, ids and references of thousands of documents: carved from
 * big blocks and freed all at once rather than one malloc and free
 * each.  A set of strings is used by one thread at a time.
 */
struct strblock {
	struct strblock *next;
	size_t used, cap;
	char data[];
};

#define STRBLOCK_MIN (64 * 1024 - sizeof(struct strblock))

struct strings {
	struct strblock *head;
};

/* The block of s with n bytes free after its used ones (a new block
 * when the head is full), or NULL when out of memory. */
static struct strblock *strings_room(struct strings *s, size_t n)
{
	struct strblock *b = s->head;
	if (b && b->used <= b->cap && b->cap - b->used >= n)
		return b;
	size_t cap = n > STRBLOCK_MIN ? n : STRBLOCK_MIN;
	if (!(b = malloc(sizeof(*b) + cap)))
		return NULL;
	b->next = s->head;
	b->used = 0;
	b->cap = cap;
	s->head = b;
	return b;
}

/* A NUL-terminated copy of p[0..n) in s, or NULL when out of memory. */
static char *strings_dupn(struct strings *s, const char *p, size_t n)
{
	struct strblock *b = strings_room(s, n + 1);
	if (!b)
		return NULL;
	char *q = b->data + b->used;
	memcpy(q, p, n);
	q[n] = '\0';
	b->used += n + 1;
	return q;
}

/* size bytes, zeroed and aligned for any member type, in s. */
static void *strings_alloc(struct strings *s, size_t size)
{
	if (s->head)
		s->head->used = (s->head->used + 7) & ~(size_t)7;
	struct strblock *b = strings_room(s, size);
	if (!b)
		return NULL;
	void *p = b->data + b->used;
	b->used += size;
	memset(p, 0, size);
	return p;
}

static char *strings_dup(struct strings *s, const char *p)
{
	return strings_dupn(s, p, strlen(p));
}

static void strings_free(struct strings *s)
{
	while (s->head) {
		struct strblock *next = s->head->next;
		free(s->head);
		s->head = next;
	}
}

/* ---- findings ---- */

struct flist {
	struct lps_check_finding *items;
	size_t n, cap;
};

static int flist_add(struct flist *l, const char *path, unsigned line,
		     unsigned col, const char *keyword, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static int flist_add(struct flist *l, const char *path, unsigned line,
		     unsigned col, const char *keyword, const char *fmt, ...)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 4;
		void *p = realloc(l->items, cap * sizeof(*l->items));
		if (!p)
			return -1;
		l->items = p;
		l->cap = cap;
	}
	struct lps_buf b = LPS_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || lps_buf_grow(&b, (size_t)n) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b.data, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b.len = (size_t)n;
	char *p = strdup(path);
	if (!p) {
		lps_buf_free(&b);
		return -1;
	}
	struct lps_check_finding *f = &l->items[l->n++];
	f->path = p;
	f->line = line;
	f->col = col;
	f->keyword = keyword;
	f->message = lps_buf_detach(&b, NULL);
	return 0;
}

static void finding_free(struct lps_check_finding *f)
{
	free(f->path);
	free(f->message);
}

void lps_check_result_free(struct lps_check_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		finding_free(&r->items[i]);
	free(r->items);
	r->items = NULL;
	r->n = r->cap = 0;
}

/* ---- per-document summaries ---- */

/* What every document's check reads, set up before the threads start. */
struct shared {
	const struct lps_registry *reg;
	const struct lps_schema *schemas[K_NKINDS];
	/* The built-in frameworks: a standard named there resolves
	 * whatever the portfolio's own frameworks are (they cannot take a
	 * built-in name), so it is settled with the document. */
	const struct lps_frameworks *builtin;
};

struct ref {
	const char *target;  /* "g-...", "e-...", "issl.1a" */
	unsigned line, col;
	char type;           /* 'g' goal, 'e' evidence, 'r' reflection,
				'f' feedback, 's' standard */
	const char *field;   /* static: "on" to prefix the finding, or NULL */
};

/* The attachment an evidence document records, or an attachment file
 * as found; with the job's strings. */
struct att {
	const char *name;    /* evidence: the file name it records */
	int64_t size;        /* evidence: recorded; a file: its bytes */
	unsigned line, col;  /* evidence: where its attachment is */
	/* The blob id as hex: recorded, or of the content ("" when
	 * unknown, which skips the comparison). */
	char blob[GIT_OID_HEXSZ + 1];
};

/* Kept small: 10k of them are made while listing, on one thread.  Every
 * string of a job is in the strings of the jobs or of the thread that
 * checked it: none is freed on its own. */
struct job {
	const char *path;
	const char *id;      /* id (or framework name) */
	struct ref *refs;
	struct att *att;     /* evidence with an attachment; attachments */
	/* A framework document that validated, kept for the set of
	 * frameworks the standard references are looked up in. */
	struct lps_doc *fwdoc;
	/* Loaded before the schemas were ready, kept to be checked. */
	struct lps_doc *doc;
	struct flist found;
	unsigned nrefs, caprefs;
	unsigned id_line, id_col;
	/* Working tree: the folder fd the file is opened in (-1: open
	 * top + path), the offset in path of the name relative to it, and
	 * the type readdir gave (DT_REG allows reading without fstat). */
	int dirfd;
	unsigned short rel;
	unsigned char kind;  /* enum kind */
	unsigned char d_type;
	unsigned char loaded;  /* the document loaded (summary usable) */
};

static void job_clear(struct job *j)
{
	for (size_t i = 0; i < j->found.n; i++)
		finding_free(&j->found.items[i]);
	free(j->found.items);
	free(j->refs);
	lps_doc_free(j->fwdoc);
	lps_doc_free(j->doc);
}

/* One thread's view while it checks documents: what all share, and
 * the strings its summaries go to (they live as long as the jobs). */
struct tctx {
	const struct shared *sh;
	struct strings *str;
};

static int add_field_ref(const struct tctx *tc, struct job *j,
			 const struct lps_node *n, char type,
			 const char *field)
{
	const char *s = lps_node_str(n);
	if (!s)
		return 0;
	if (type == 's' && lps_frameworks_standard(tc->sh->builtin, s))
		return 0;  /* found: nothing left for cross_check() */
	if (j->nrefs == j->caprefs) {
		unsigned cap = j->caprefs ? 2 * j->caprefs : 4;
		void *p = realloc(j->refs, cap * sizeof(*j->refs));
		if (!p)
			return -1;
		j->refs = p;
		j->caprefs = cap;
	}
	const char *t = strings_dup(tc->str, s);
	if (!t)
		return -1;
	j->refs[j->nrefs++] = (struct ref){ t, n->line, n->col, type, field };
	return 0;
}

static int add_ref(const struct tctx *tc, struct job *j,
		   const struct lps_node *n, char type)
{
	return add_field_ref(tc, j, n, type, NULL);
}

static int add_refs(const struct tctx *tc, struct job *j,
		    const struct lps_node *seq, char type)
{
	if (!seq || seq->type != LPS_NODE_SEQ)
		return 0;
	for (size_t i = 0; i < seq->v.seq.n; i++)
		if (add_ref(tc, j, seq->v.seq.items[i], type) < 0)
			return -1;
	return 0;
}

/* Take what the cross-reference pass needs from a loaded document. */
static int summarise(const struct tctx *tc, struct job *j,
		     const struct lps_node *root)
{
	const struct lps_node *id = lps_map_get(root, "id");
	if (j->kind == K_FRAMEWORK)
		id = lps_map_get(root, "name");
	if (lps_node_str(id)) {
		if (!(j->id = strings_dup(tc->str, lps_node_str(id))))
			return -1;
		j->id_line = id->line;
		j->id_col = id->col;
	}
	switch (j->kind) {
	case K_GOAL: {
		if (add_refs(tc, j, lps_map_get(root, "standards"), 's') < 0 ||
		    add_ref(tc, j, lps_map_get(root, "carried_from"), 'g') < 0)
			return -1;
		const struct lps_node *ind = lps_map_get(root, "indicators");
		if (!ind || ind->type != LPS_NODE_SEQ)
			break;
		for (size_t i = 0; i < ind->v.seq.n; i++) {
			const struct lps_node *ms =
				lps_map_get(ind->v.seq.items[i], "measurements");
			if (!ms || ms->type != LPS_NODE_SEQ)
				continue;
			for (size_t k = 0; k < ms->v.seq.n; k++)
				if (add_ref(tc, j,
					    lps_map_get(ms->v.seq.items[k],
							"evidence"), 'e') < 0)
					return -1;
		}
		break;
	}
	case K_EVIDENCE: {
		if (add_refs(tc, j, lps_map_get(root, "goals"), 'g') < 0 ||
		    add_refs(tc, j, lps_map_get(root, "standards"), 's') < 0)
			return -1;
		const struct lps_node *a = lps_map_get(root, "attachment");
		const struct lps_node *name = lps_map_get(a, "name");
		const struct lps_node *size = lps_map_get(a, "size");
		if (lps_node_str(name) && size && size->type == LPS_NODE_INT) {
			j->att = strings_alloc(tc->str, sizeof(*j->att));
			if (!j->att ||
			    !(j->att->name = strings_dup(tc->str,
							 lps_node_str(name))))
				return -1;
			j->att->size = size->v.integer;
			const char *blob = lps_node_str(lps_map_get(a, "blob"));
			if (blob && strlen(blob) == GIT_OID_HEXSZ)
				memcpy(j->att->blob, blob, GIT_OID_HEXSZ + 1);
			j->att->line = a->line;
			j->att->col = a->col;
		}
		break;
	}
	case K_REFLECTION:
		if (add_refs(tc, j, lps_map_get(root, "goals"), 'g') < 0)
			return -1;
		break;
	case K_FEEDBACK: {
		/* Feedback given ("to") is about the recipient's portfolio,
		 * so only feedback received refers to items of this one.  The
		 * id letter says what it names; the schema judges the rest. */
		if (lps_map_get(root, "to"))
			break;
		const struct lps_node *on = lps_map_get(root, "on");
		const char *s = lps_node_str(on);
		if (s && s[0] && strchr("gerf", s[0]) && s[1] == '-' &&
		    add_field_ref(tc, j, on, s[0], "on") < 0)
			return -1;
		break;
	}
	case K_ASSESSMENT: {
		if (add_refs(tc, j, lps_map_get(root, "evidence"), 'e') < 0)
			return -1;
		const struct lps_node *fw = lps_map_get(root, "framework");
		const char *code = lps_node_str(lps_map_get(root, "code"));
		if (lps_node_str(fw) && code) {
			/* Check "fw.code" as one standard reference. */
			struct lps_node tmp = *fw;
			size_t n = strlen(lps_node_str(fw)) + strlen(code) + 2;
			char *s = malloc(n);
			if (!s)
				return -1;
			snprintf(s, n, "%s.%s", lps_node_str(fw), code);
			tmp.v.str.ptr = s;
			tmp.v.str.len = n - 1;
			int r = add_ref(tc, j, &tmp, 's');
			free(s);
			if (r < 0)
				return -1;
		}
		break;
	}
	default:
		break;
	}
	return 0;
}

/* The file name's stem must be the document's id (or framework name). */
static int check_name(struct job *j)
{
	const char *base = strrchr(j->path, '/');
	base = base ? base + 1 : j->path;
	size_t stem = strlen(base) - 5; /* ".yaml" */
	char letter = kind_letter[j->kind];

	if (!j->id || (j->kind != K_FRAMEWORK && !letter))
		return 0;
	if (strlen(j->id) == stem && strncmp(j->id, base, stem) == 0)
		return 0;
	return flist_add(&j->found, j->path, j->id_line, j->id_col, "id",
			 "id %s does not match the file name (expected "
			 "%.*s)", j->id, (int)stem, base);
}

/* An indicator whose target is its baseline has no progress to show. */
static int check_indicators(struct job *j, const struct lps_node *root)
{
	const struct lps_node *inds = lps_map_get(root, "indicators");
	for (size_t i = 0; inds && inds->type == LPS_NODE_SEQ &&
			   i < inds->v.seq.n; i++) {
		const struct lps_node *k = inds->v.seq.items[i];
		const struct lps_node *t = lps_map_get(k, "target");
		if (lps_goal_indicator_flat(k) &&
		    flist_add(&j->found, j->path, t->line, t->col, "indicator",
			      LPS_GOAL_FLAT_FMT, i) < 0)
			return -1;
	}
	return 0;
}

/* ---- loading and validating one document ---- */

static int record_error(struct job *j, struct lps_error *err,
			const char *keyword)
{
	int r = flist_add(&j->found, j->path, err->line, err->col, keyword,
			  "%s", err->msg);
	lps_error_free(err);
	return r;
}

/* Load the text of j into *doc, or leave it NULL with a finding (a
 * syntax error).  Returns -1 only when out of memory. */
static int load_doc(struct job *j, const char *data, size_t len,
		    struct lps_doc **doc)
{
	struct lps_error *err = lps_doc_load(doc, j->path, data, len, NULL);
	if (!err)
		return 0;
	if (err->code == LPS_ENOMEM) {
		lps_error_free(err);
		return -1;
	}
	return record_error(j, err, "syntax");
}

/* Check the loaded doc of j (which this takes).  Returns -1 only when
 * out of memory. */
static int check_doc(const struct tctx *tc, struct job *j,
		     struct lps_doc *doc)
{
	const struct shared *sh = tc->sh;
	struct lps_findings fs = LPS_FINDINGS_INIT;
	struct lps_error *err;
	int r = 0;

	err = lps_portfolio_check_version(doc);
	if (err) {
		r = record_error(j, err, "version");
		goto out;
	}
	const struct lps_node *root = lps_doc_root(doc);
	int ok = lps_schema_validate(sh->schemas[j->kind], root,
				     LPS_SCHEMA_FORMAT_ASSERT, &fs);
	if (ok < 0) {
		r = -1;
		goto out;
	}
	for (size_t i = 0; i < fs.n && r == 0; i++) {
		const struct lps_finding *f = &fs.items[i];
		r = flist_add(&j->found, j->path, f->line, f->col, f->keyword,
			      "%s%s%s", f->path, *f->path ? ": " : "",
			      f->message);
	}
	if (r == 0 && root->type == LPS_NODE_MAP) {
		j->loaded = 1;
		r = summarise(tc, j, root);
		if (r == 0)
			r = check_name(j);
		if (r == 0 && j->kind == K_GOAL)
			r = check_indicators(j, root);
	}
	/* A framework with no finding so far joins the set of frameworks
	 * in cross_check(), which checks what its schema cannot say. */
	if (r == 0 && j->kind == K_FRAMEWORK && j->found.n == 0) {
		j->fwdoc = doc;
		doc = NULL;
	}
out:
	lps_findings_free(&fs);
	lps_doc_free(doc);
	return r;
}

/* Returns -1 only when out of memory. */
static int process_doc(const struct tctx *tc, struct job *j,
		       const char *data, size_t len)
{
	struct lps_doc *doc = NULL;
	if (load_doc(j, data, len, &doc) < 0)
		return -1;
	return doc ? check_doc(tc, j, doc) : 0;
}

/* ---- the working tree ---- */

/* At least the registry's number of document folders. */
#define MAX_FOLDERS 16

struct jobs {
	struct job *items;
	size_t n, cap;
	/* The document folders' fds the jobs open their files in (the
	 * working tree only), closed by jobs_free(). */
	int dirfds[MAX_FOLDERS];
	size_t ndirfds;
	/* The jobs' strings: str[0] for the paths (and all of a
	 * revision's), str[1 + i] for what worker thread i found. */
	struct strings str[1 + LPS_CHECK_MAX_THREADS];
};

/* Room for n jobs in all (a folder's entries are counted before they
 * become jobs: one allocation, not a doubling per 2^k jobs).  0, or -1
 * when out of memory. */
static int jobs_reserve(struct jobs *js, size_t n)
{
	if (n <= js->cap)
		return 0;
	void *p = realloc(js->items, n * sizeof(*js->items));
	if (!p)
		return -1;
	js->items = p;
	js->cap = n;
	return 0;
}

static struct job *jobs_add(struct jobs *js, const char *path, enum kind k)
{
	if (js->n == js->cap &&
	    jobs_reserve(js, js->cap ? 2 * js->cap : 256) < 0)
		return NULL;
	struct job *j = &js->items[js->n];
	memset(j, 0, sizeof(*j));
	/* path NULL: the caller sets it (a string of js->str[0]) */
	if (path && !(j->path = strings_dup(&js->str[0], path)))
		return NULL;
	j->kind = k;
	j->dirfd = -1;
	js->n++;
	return j;
}

static void jobs_free(struct jobs *js)
{
	for (size_t i = 0; i < js->n; i++)
		job_clear(&js->items[i]);
	free(js->items);
	for (size_t i = 0; i < js->ndirfds; i++)
		close(js->dirfds[i]);
	for (size_t i = 0; i < sizeof(js->str) / sizeof(js->str[0]); i++)
		strings_free(&js->str[i]);
}

/* Is the entry e of the folder open as d a directory?  Uses d_type
 * when the file system gives it, else stat (following links). */
static int is_dir(DIR *d, const struct dirent *e)
{
	if (e->d_type == DT_DIR)
		return 1;
	if (e->d_type != DT_UNKNOWN && e->d_type != DT_LNK)
		return 0;
	struct stat st;
	return fstatat(dirfd(d), e->d_name, &st, 0) == 0 &&
	       S_ISDIR(st.st_mode);
}

/* An entry of a folder being listed: its path from the top (with a
 * '/' after a folder's name, as in path order), in js->str[0]. */
struct entry {
	uint64_t key;          /* the first 8 bytes of its name, big-endian:
				* most entries are ordered by this alone */
	const char *path;
	unsigned char d_type;  /* DT_DIR for any folder */
};

static uint64_t name_key(const char *name)
{
	uint64_t k = 0;
	for (int i = 0; i < 8; i++) {
		k = k << 8 | (unsigned char)*name;
		name += *name != '\0';
	}
	return k;
}

/*
 * Sort v[0..n) by path: a radix sort on the keys (a byte per pass, least
 * significant first, skipping bytes all keys share), then each run of
 * equal keys by strcmp.  A folder of 10k documents took qsort() as long
 * as reading it.  tmp has room for n entries.
 */
static void sort_entries(struct entry *v, struct entry *tmp, size_t n)
{
	for (int shift = 0; shift < 64; shift += 8) {
		size_t count[256] = { 0 };
		for (size_t i = 0; i < n; i++)
			count[v[i].key >> shift & 0xff]++;
		if (n && count[v[0].key >> shift & 0xff] == n)
			continue;
		for (size_t b = 0, at = 0; b < 256; b++) {
			size_t c = count[b];
			count[b] = at;
			at += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[count[v[i].key >> shift & 0xff]++] = v[i];
		memcpy(v, tmp, n * sizeof(*v));
	}
	for (size_t i = 1; i < n; i++) {
		struct entry e = v[i];
		size_t k = i;
		while (k > 0 && v[k - 1].key == e.key &&
		       strcmp(v[k - 1].path, e.path) > 0) {
			v[k] = v[k - 1];
			k--;
		}
		v[k] = e;
	}
}

/*
 * The entries of the folder open as d, named rel (ending with '/'),
 * hidden ones left out, sorted: *out (freed by the caller) and *n.
 */
static struct lps_error *read_entries(struct jobs *js, DIR *d,
				      const char *rel, struct entry **out,
				      size_t *n)
{
	char child[4096];
	size_t rlen = strlen(rel), cap = 0;
	struct entry *v = NULL;
	struct dirent *e;
	*n = 0;
	memcpy(child, rel, rlen);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		size_t nlen = strlen(e->d_name);
		if (rlen + nlen >= sizeof(child) - 1)
			continue;
		memcpy(child + rlen, e->d_name, nlen + 1);
		int dir = is_dir(d, e);
		if (dir)
			memcpy(child + rlen + nlen, "/", 2);
		if (*n == cap) {
			/* room for twice the entries: sort_entries' tmp */
			cap = cap ? 2 * cap : 64;
			void *p = realloc(v, 2 * cap * sizeof(*v));
			if (!p)
				goto nomem;
			v = p;
		}
		const char *path = strings_dup(&js->str[0], child);
		if (!path)
			goto nomem;
		v[(*n)++] = (struct entry){ name_key(path + rlen), path,
					    dir ? DT_DIR : e->d_type };
	}
	if (*n > 1)
		sort_entries(v, v + cap, *n);
	*out = v;
	return NULL;
nomem:
	free(v);
	return lps_error_nomem();
}

/*
 * List the folder rel (ending with '/') into js: files by their kind,
 * sub-folders one level down where the layout has them (evidence
 * attachments, assessment cycles), depth counts the levels left.  The
 * folder is opened as top + rel, or for a sub-folder in its parent
 * (parent, at rel + at): the same file either way, found with a
 * shorter path walk.  Its files are opened later in the document
 * folder `base` (a fd kept in js) by their path after base_len bytes,
 * so that each open walks one or two names, not the whole path.
 * Entries are taken in name order, so that the jobs come in path order
 * (lps_check_run then need not sort them).
 */
static struct lps_error *list_dir(struct jobs *js, const char *top,
				  const char *rel, int parent, size_t at,
				  int depth, int base, size_t base_len)
{
	int fd;
	if (parent < 0) {
		char full[4096];
		snprintf(full, sizeof(full), "%s%s", top, rel);
		fd = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	} else {
		fd = openat(parent, rel + at, O_RDONLY | O_DIRECTORY |
			    O_CLOEXEC);
	}
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		if (e == ENOENT || e == ENOTDIR)
			return NULL;
		return lps_error_new(LPS_ESYS, "%s: cannot read folder: %s",
				     rel, strerror(e));
	}
	if (base < 0) {
		/* a document folder: its fd stays open for the workers */
		base = dup(fd);
		if (base < 0) {
			int e = errno;
			closedir(d);
			return lps_error_new(LPS_ESYS, "%s: cannot read "
					     "folder: %s", rel, strerror(e));
		}
		js->dirfds[js->ndirfds++] = base;
		base_len = strlen(rel);
	}
	struct entry *v = NULL;
	size_t n = 0, rlen = strlen(rel);
	struct lps_error *err = read_entries(js, d, rel, &v, &n);
	if (!err && jobs_reserve(js, js->n + n + 1) < 0)
		err = lps_error_nomem();
	for (size_t i = 0; i < n && !err; i++) {
		const char *path = v[i].path;
		if (v[i].d_type == DT_DIR && depth > 0) {
			err = list_dir(js, top, path, dirfd(d), rlen,
				       depth - 1, base, base_len);
			continue;
		}
		enum kind k = classify(path);
		if (k == K_IGNORE)
			continue;
		struct job *j = jobs_add(js, NULL, k);
		if (!j) {
			err = lps_error_nomem();
			break;
		}
		j->path = path;
		j->dirfd = base;
		j->rel = (unsigned short)base_len;
		j->d_type = v[i].d_type;
	}
	free(v);
	closedir(d);
	return err;
}

/* lps.yaml and the document folders, in path order. */
struct top_entry {
	const char *name;
	const struct lps_registry_folder *f;  /* NULL: lps.yaml */
};

static int cmp_top(const void *a, const void *b)
{
	return strcmp(((const struct top_entry *)a)->name,
		      ((const struct top_entry *)b)->name);
}

static struct lps_error *list_worktree(struct jobs *js, const char *top)
{
	struct lps_error *err = NULL;
	struct stat st;
	char full[4096];
	struct top_entry t[MAX_FOLDERS + 1];
	size_t n = 0;

	if (lps_registry_folder_count() > MAX_FOLDERS)
		return lps_error_new(LPS_ESYS, "too many document folders");
	snprintf(full, sizeof(full), "%slps.yaml", top);
	if (stat(full, &st) == 0)
		t[n++] = (struct top_entry){ "lps.yaml", NULL };
	for (size_t i = 0; i < lps_registry_folder_count(); i++) {
		const struct lps_registry_folder *f = lps_registry_folder(i);
		t[n++] = (struct top_entry){ f->dir, f };
	}
	qsort(t, n, sizeof(*t), cmp_top);
	for (size_t i = 0; i < n && !err; i++) {
		if (!t[i].f) {
			if (!jobs_add(js, "lps.yaml", K_PORTFOLIO))
				err = lps_error_nomem();
			continue;
		}
		err = list_dir(js, top, t[i].f->dir, -1, 0, t[i].f->depth,
			       -1, 0);
	}
	return err;
}

/* One worker: the pool, its own view (struct tctx), and the jobs it
 * loaded before the schemas were ready, to be checked once they are. */
struct worker {
	struct pool *pl;
	struct tctx tc;
	size_t *held;
	size_t nheld, capheld;
};

/*
 * The workers of a working-tree check and what they share.  A check may
 * begin before its schemas are compiled (lps_check_begin): until `ready`
 * the workers only read and load documents (most of the work) and keep
 * them; what needs the schemas, or libgit2 (an attachment's blob id),
 * waits.
 */
struct pool {
	struct shared sh;          /* usable once ready is 1 */
	struct jobs *js;
	const char *top;
	atomic_size_t next;
	atomic_int nomem;
	atomic_int ready;          /* 0 not yet, 1 ready, -1 given up */
	pthread_mutex_t lock;      /* with cond: waiting for ready */
	pthread_cond_t cond;
	unsigned threads, started;
	pthread_t tid[LPS_CHECK_MAX_THREADS];
	struct worker w[LPS_CHECK_MAX_THREADS];
};

/* The size past which a document is read in more than one read(). */
#define READ_FIRST (64 * 1024)

/* Read what is left of fd into b after b->len bytes, knowing its size:
 * *size is set; a file over the limit is left unread. */
static struct lps_error *read_rest(struct lps_buf *b, int fd, int64_t *size)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return lps_error_new(LPS_ESYS, "cannot stat: %s",
				     strerror(errno));
	/* A FIFO, socket or device named like a document is not read: it
	 * could block for ever or never end. */
	if (!S_ISREG(st.st_mode))
		return lps_error_new(LPS_EINVALID, "not a regular file");
	*size = st.st_size;
	/* Too big: the caller reports the size without reading it. */
	if (st.st_size > (off_t)LPS_DOC_MAX_BYTES)
		return NULL;
	size_t more = (size_t)st.st_size > b->len ?
		      (size_t)st.st_size - b->len : 0;
	if (lps_buf_grow(b, more + 1) < 0)
		return lps_error_nomem();
	for (;;) {
		ssize_t n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return lps_error_new(LPS_ESYS, "cannot read: %s",
					     strerror(errno));
		if (n == 0)
			break;
		b->len += (size_t)n;
		if (b->len > LPS_DOC_MAX_BYTES)
			break;
		if (b->len + 1 >= b->cap && lps_buf_grow(b, 4096) < 0)
			return lps_error_nomem();
	}
	return NULL;
}

/*
 * Read the file of job j into b.  A regular document file (d_type from
 * readdir) takes one read() into b's spare room: a short read is the end
 * of a regular file, and only a file that fills the room needs its size
 * (fstat) and more reads.  Anything else is sized first, as attachments
 * must be.  *size gets the file's size when known, else the bytes read.
 */
static struct lps_error *read_whole(struct lps_buf *b, const char *top,
				    const struct job *j, int64_t *size)
{
	/* O_NONBLOCK: opening a FIFO does not wait for a writer (it changes
	 * nothing for a regular file); read_rest refuses what is not one. */
	int fd, flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK;
	if (j->dirfd >= 0) {
		fd = openat(j->dirfd, j->path + j->rel, flags);
	} else {
		char full[4096];
		snprintf(full, sizeof(full), "%s%s", top, j->path);
		fd = open(full, flags);
	}
	if (fd < 0)
		return lps_error_new(LPS_ESYS, "cannot open: %s",
				     strerror(errno));
	struct lps_error *err = NULL;
	lps_buf_reset(b);
	if (j->d_type == DT_REG && j->kind != K_ATTACHMENT) {
		if (lps_buf_grow(b, READ_FIRST) < 0) {
			err = lps_error_nomem();
			goto out;
		}
		ssize_t n;
		do
			n = read(fd, b->data, b->cap - 1);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			err = lps_error_new(LPS_ESYS, "cannot read: %s",
					    strerror(errno));
			goto out;
		}
		b->len = (size_t)n;
		*size = n;
		if (b->len < b->cap - 1)
			goto out;
	}
	err = read_rest(b, fd, size);
out:
	if (b->data)
		b->data[b->len] = '\0';
	close(fd);
	return err;
}

/* The blob id of content, as git would store it, into out (hex). */
static void hash_blob(char *out, const void *data, size_t len)
{
	git_oid oid;
	if (git_odb_hash(&oid, data, len, GIT_OBJECT_BLOB) == 0)
		git_oid_tostr(out, GIT_OID_HEXSZ + 1, &oid);
}

/*
 * An attachment's blob id: from the bytes read_whole read, or for a
 * file too big for it, hashed by libgit2 from the file (streaming, with
 * no filters applied, as lps writes attachments).  A failure leaves it
 * unknown: the size comparison still runs.
 */
static void hash_worktree_file(struct job *j, const char *top,
			       const struct lps_buf *b, int64_t size)
{
	if (size <= (int64_t)LPS_DOC_MAX_BYTES && (int64_t)b->len == size) {
		hash_blob(j->att->blob, b->len ? b->data : "", b->len);
		return;
	}
	char full[4096];
	git_oid oid;
	snprintf(full, sizeof(full), "%s%s", top, j->path);
	if (git_odb_hashfile(&oid, full, GIT_OBJECT_BLOB) == 0)
		git_oid_tostr(j->att->blob, GIT_OID_HEXSZ + 1, &oid);
}

/* Read the attachment file of job j: its size and blob id, or a finding
 * when it is not a regular file.  -1 only when out of memory. */
static int read_attachment(const struct pool *pl, const struct tctx *tc,
			   struct job *j, struct lps_buf *b)
{
	int64_t size = 0;
	if (!(j->att = strings_alloc(tc->str, sizeof(*j->att))))
		return -1;
	struct lps_error *err = read_whole(b, pl->top, j, &size);
	j->att->size = size;
	if (err && err->code == LPS_EINVALID) {
		/* not a regular file: said, and no size to compare */
		j->att->size = -1;
		return record_error(j, err, "attachment");
	}
	if (err)
		lps_error_free(err);
	else
		hash_worktree_file(j, pl->top, b, size);
	return 0;
}

/* Read and load the document of job j into *doc, which stays NULL with
 * a finding when the file cannot be read, is too big or does not parse.
 * -1 only when out of memory. */
static int read_doc(const struct pool *pl, struct job *j, struct lps_buf *b,
		    struct lps_doc **doc)
{
	int64_t size = 0;
	*doc = NULL;
	struct lps_error *err = read_whole(b, pl->top, j, &size);
	if (err && err->code == LPS_ENOMEM) {
		lps_error_free(err);
		return -1;
	}
	if (err)
		return record_error(j, err, "io");
	if (size > (int64_t)LPS_DOC_MAX_BYTES)
		return flist_add(&j->found, j->path, 0, 0, "syntax",
				 "document is %lld bytes, over the limit of "
				 "%u", (long long)size,
				 (unsigned)LPS_DOC_MAX_BYTES);
	return load_doc(j, b->data ? b->data : "", b->len, doc);
}

static void run_job(struct pool *pl, const struct tctx *tc, struct job *j,
		    struct lps_buf *b)
{
	struct lps_doc *doc = NULL;
	int r;
	if (j->kind == K_UNKNOWN)
		r = flist_add(&j->found, j->path, 0, 0, "unknown-file",
			      "not an lps document (unknown file in a "
			      "document folder)");
	else if (j->kind == K_ATTACHMENT)
		r = read_attachment(pl, tc, j, b);
	else if ((r = read_doc(pl, j, b, &doc)) == 0 && doc)
		r = check_doc(tc, j, doc);
	if (r < 0)
		atomic_store(&pl->nomem, 1);
}

/* Jobs a worker takes at once: about 0.1 ms of work for goal files,
 * so the threads still end within that of each other. */
#define JOB_BATCH 8

/* Keep job i of w for when the schemas are ready; 0, or -1 (ENOMEM). */
static int hold(struct worker *w, size_t i)
{
	if (w->nheld == w->capheld) {
		size_t cap = w->capheld ? 2 * w->capheld : 256;
		void *p = realloc(w->held, cap * sizeof(*w->held));
		if (!p)
			return -1;
		w->held = p;
		w->capheld = cap;
	}
	w->held[w->nheld++] = i;
	return 0;
}

/* Job i before the schemas are ready: a document is read and loaded
 * (a syntax error is a finding already) and kept; an attachment waits
 * whole (its blob id needs libgit2, which may still be starting). */
static void run_early(struct pool *pl, struct worker *w, size_t i,
		      struct lps_buf *b)
{
	struct job *j = &pl->js->items[i];
	int r = 0;
	if (j->kind == K_ATTACHMENT) {
		r = hold(w, i);
	} else if (j->kind == K_UNKNOWN) {
		run_job(pl, &w->tc, j, b);
	} else if ((r = read_doc(pl, j, b, &j->doc)) == 0 && j->doc) {
		r = hold(w, i);
	}
	if (r < 0)
		atomic_store(&pl->nomem, 1);
}

/* Check what w kept while the schemas were not ready. */
static void run_held(struct pool *pl, struct worker *w, struct lps_buf *b)
{
	for (size_t k = 0; k < w->nheld && !atomic_load(&pl->nomem); k++) {
		struct job *j = &pl->js->items[w->held[k]];
		struct lps_doc *doc = j->doc;
		j->doc = NULL;
		if (!doc)
			run_job(pl, &w->tc, j, b);
		else if (check_doc(&w->tc, j, doc) < 0)
			atomic_store(&pl->nomem, 1);
	}
	w->nheld = 0;
}

static int wait_ready(struct pool *pl)
{
	pthread_mutex_lock(&pl->lock);
	while (atomic_load(&pl->ready) == 0)
		pthread_cond_wait(&pl->cond, &pl->lock);
	pthread_mutex_unlock(&pl->lock);
	return atomic_load(&pl->ready);
}

static void set_ready(struct pool *pl, int ready)
{
	pthread_mutex_lock(&pl->lock);
	atomic_store(&pl->ready, ready);
	pthread_cond_broadcast(&pl->cond);
	pthread_mutex_unlock(&pl->lock);
}

static void *worker(void *arg)
{
	struct worker *w = arg;
	struct pool *pl = w->pl;
	struct lps_buf b = LPS_BUF_INIT;
	size_t n = pl->js->n;
	for (;;) {
		/* A few neighbours at a time: threads taking every other job
		 * write to the same cache lines and counter all along. */
		size_t i = atomic_fetch_add(&pl->next, JOB_BATCH);
		if (i >= n)
			break;
		for (size_t e = i + JOB_BATCH < n ? i + JOB_BATCH : n;
		     i < e; i++) {
			int ready = atomic_load(&pl->ready);
			if (ready < 0 || atomic_load(&pl->nomem))
				goto out;
			if (ready == 0) {
				run_early(pl, w, i, &b);
				continue;
			}
			if (w->nheld)
				run_held(pl, w, &b);
			run_job(pl, &w->tc, &pl->js->items[i], &b);
		}
	}
	if (w->nheld && wait_ready(pl) > 0)
		run_held(pl, w, &b);
out:
	lps_buf_free(&b);
	return NULL;
}

static unsigned pick_threads(unsigned threads, size_t njobs)
{
	if (threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (unsigned)n : 1;
	}
	if (threads > LPS_CHECK_MAX_THREADS)
		threads = LPS_CHECK_MAX_THREADS;
	/* A thread costs more than a few small files. */
	if (njobs < 64)
		threads = 1;
	return threads;
}

/*
 * Set up pl to check the jobs of js (files under top) and start its
 * worker threads but one (the caller's thread is the first worker, in
 * pool_finish).  ready: whether pl->sh is set already.
 */
static void pool_start(struct pool *pl, struct jobs *js, const char *top,
		       unsigned threads, int ready)
{
	pl->js = js;
	pl->top = top;
	atomic_init(&pl->next, 0);
	atomic_init(&pl->nomem, 0);
	atomic_init(&pl->ready, ready);
	pthread_mutex_init(&pl->lock, NULL);
	pthread_cond_init(&pl->cond, NULL);
	pl->threads = pick_threads(threads, js->n);
	pl->started = 0;
	for (unsigned i = 0; i < pl->threads; i++)
		pl->w[i] = (struct worker){ pl, { &pl->sh, &js->str[1 + i] },
					    NULL, 0, 0 };
	for (unsigned i = 1; i < pl->threads; i++) {
		if (pthread_create(&pl->tid[pl->started], NULL, worker,
				   &pl->w[i]) != 0)
			break;
		pl->started++;
	}
}

/* Wait for the worker threads; the pool is done with. */
static void pool_join(struct pool *pl)
{
	for (unsigned i = 0; i < pl->started; i++)
		pthread_join(pl->tid[i], NULL);
	for (unsigned i = 0; i < pl->threads; i++)
		free(pl->w[i].held);
	pthread_mutex_destroy(&pl->lock);
	pthread_cond_destroy(&pl->cond);
}

/* With pl->sh set: check every job, the caller's thread working too. */
static struct lps_error *pool_finish(struct pool *pl)
{
	set_ready(pl, 1);
	worker(&pl->w[0]);
	pool_join(pl);
	return atomic_load(&pl->nomem) ? lps_error_nomem() : NULL;
}

/* Give the check up: the workers stop as soon as they see it. */
static void pool_stop(struct pool *pl)
{
	set_ready(pl, -1);
	pool_join(pl);
}

/* ---- a revision ---- */

struct rev_ctx {
	const struct shared *sh;
	struct jobs *js;
	int nomem;
};

static int rev_each(void *ctx, const char *path, const char *data,
		    size_t len)
{
	struct rev_ctx *rc = ctx;
	enum kind k = classify(path);
	if (k == K_IGNORE)
		return 0;
	struct job *j = jobs_add(rc->js, path, k);
	if (!j) {
		rc->nomem = 1;
		return 1;
	}
	int r = 0;
	if (k == K_UNKNOWN)
		r = flist_add(&j->found, j->path, 0, 0, "unknown-file",
			      "not an lps document (unknown file in a "
			      "document folder)");
	else if (k == K_ATTACHMENT) {
		if (!(j->att = strings_alloc(&rc->js->str[0],
					     sizeof(*j->att))))
			r = -1;
		else {
			j->att->size = (int64_t)len;
			hash_blob(j->att->blob, len ? data : "", len);
		}
	}
	else
		r = process_doc(&(struct tctx){ rc->sh, &rc->js->str[0] }, j,
				data, len);
	if (r < 0) {
		rc->nomem = 1;
		return 1;
	}
	return 0;
}

/* ---- cross references ---- */

/* Is v (n items of size bytes) in cmp order already? */
static int in_order(const void *v, size_t n, size_t size,
		    int (*cmp)(const void *, const void *))
{
	const char *p = v;
	for (size_t i = 1; i < n; i++)
		if (cmp(p + (i - 1) * size, p + i * size) > 0)
			return 0;
	return 1;
}

struct idref {
	const char *id;
	size_t job;
};

static int cmp_idref(const void *a, const void *b)
{
	const struct idref *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	if (c)
		return c;
	return x->job < y->job ? -1 : x->job > y->job;
}

/*
 * Add to fws (the built-in frameworks) the portfolio's that validated,
 * in path order as lps_frameworks_load() would add them from HEAD.  What
 * lps_frameworks_add() refuses (a name that is built in, a code used
 * twice, a prompt id that does not name its standard) becomes a finding
 * of that file, and its standards stay unknown.  Errors: out of memory.
 */
static struct lps_error *frameworks_of(struct lps_frameworks *fws,
				       struct jobs *js)
{
	struct lps_error *err = NULL;

	for (size_t i = 0; i < js->n && !err; i++) {
		struct job *j = &js->items[i];
		if (!j->fwdoc)
			continue;
		struct lps_doc *doc = j->fwdoc;
		j->fwdoc = NULL;
		/* the set owns doc from here, also on error */
		struct lps_error *e = lps_frameworks_add(fws, doc, j->path);
		if (!e)
			continue;
		if (e->code == LPS_ENOMEM) {
			err = e;
			break;
		}
		if (flist_add(&j->found, j->path, e->line, e->col,
			      "framework", "%s", e->msg) < 0)
			err = lps_error_nomem();
		lps_error_free(e);
	}
	return err;
}

struct attref {
	const char *dir;    /* evidence id the folder is named for */
	size_t dirlen;
	const char *name;
	size_t job;
};

static int cmp_attref(const void *a, const void *b)
{
	const struct attref *x = a, *y = b;
	size_t n = x->dirlen < y->dirlen ? x->dirlen : y->dirlen;
	int c = memcmp(x->dir, y->dir, n);
	if (c)
		return c;
	if (x->dirlen != y->dirlen)
		return x->dirlen < y->dirlen ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The first idref with this id, or NULL. */
static const struct idref *find_id(const struct idref *ids, size_t n,
				   const char *id, size_t len)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(ids[mid].id, id, len);
		if (c == 0 && ids[mid].id[len])
			c = 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && strncmp(ids[lo].id, id, len) == 0 && !ids[lo].id[len])
		return &ids[lo];
	return NULL;
}

static const char *ref_kind(char t)
{
	return t == 'g' ? "goal" : t == 'e' ? "evidence"
	     : t == 'r' ? "reflection" : t == 'f' ? "feedback" : "standard";
}

static enum kind ref_target_kind(char t)
{
	return t == 'g' ? K_GOAL : t == 'e' ? K_EVIDENCE
	     : t == 'r' ? K_REFLECTION : K_FEEDBACK;
}

static struct lps_error *cross_check(struct jobs *js,
				     struct lps_frameworks *fws)
{
	struct lps_error *err = NULL;
	struct idref *ids = NULL;
	struct attref *atts = NULL;
	size_t nids = 0, natts = 0;
	int bad = 0;

	ids = malloc((js->n + 1) * sizeof(*ids));
	atts = malloc((js->n + 1) * sizeof(*atts));
	if (!ids || !atts) {
		err = lps_error_nomem();
		goto out;
	}
	for (size_t i = 0; i < js->n; i++) {
		struct job *j = &js->items[i];
		if (j->id && kind_letter[j->kind])
			ids[nids++] = (struct idref){ j->id, i };
		if (j->kind == K_ATTACHMENT) {
			struct lps_registry_place pl;
			lps_registry_place(&pl, j->path);
			atts[natts++] = (struct attref){
				pl.owner, pl.owner_len, pl.name, i };
		}
	}
	/* Jobs in path order have ids in order when each file is named
	 * for its id (folders and id letters sort alike). */
	if (nids > 1 && !in_order(ids, nids, sizeof(*ids), cmp_idref))
		qsort(ids, nids, sizeof(*ids), cmp_idref);
	qsort(atts, natts, sizeof(*atts), cmp_attref);

	/* The same id in two files: report every file after the first. */
	for (size_t i = 1; i < nids && !bad; i++) {
		if (strcmp(ids[i].id, ids[i - 1].id) != 0)
			continue;
		size_t first = i - 1;
		while (first > 0 && strcmp(ids[first - 1].id, ids[i].id) == 0)
			first--;
		struct job *j = &js->items[ids[i].job];
		bad = flist_add(&j->found, j->path, j->id_line, j->id_col,
				"duplicate-id", "duplicate id %s (also in %s)",
				j->id, js->items[ids[first].job].path) < 0;
	}

	/* Standards: the built-in frameworks and the portfolio's own. */
	if (!bad && (err = frameworks_of(fws, js)))
		goto out;

	for (size_t i = 0; i < js->n && !bad; i++) {
		struct job *j = &js->items[i];
		for (size_t k = 0; k < j->nrefs && !bad; k++) {
			struct ref *r = &j->refs[k];
			int found;
			if (r->type == 's') {
				found = lps_frameworks_standard(
					fws, r->target) != NULL;
			} else {
				const struct idref *hit = find_id(
					ids, nids, r->target, strlen(r->target));
				found = hit && js->items[hit->job].kind ==
					ref_target_kind(r->type);
			}
			if (!found)
				bad = flist_add(&j->found, j->path, r->line,
						r->col,
						r->type == 's' ? "standard"
							       : "reference",
						"%s%sunknown %s %s",
						r->field ? r->field : "",
						r->field ? ": " : "",
						ref_kind(r->type), r->target) < 0;
		}
		const struct att *ea = j->kind == K_EVIDENCE ? j->att : NULL;
		if (ea && j->id && !bad) {
			struct attref key = { j->id, strlen(j->id), ea->name,
					      0 };
			struct attref *a = bsearch(&key, atts, natts,
						   sizeof(*atts), cmp_attref);
			const struct att *fa = a ? js->items[a->job].att : NULL;
			if (!a)
				bad = flist_add(&j->found, j->path, ea->line,
						ea->col, "attachment",
						"attachment evidence/%s/%s is "
						"missing", j->id, ea->name) < 0;
			else if (fa->size < 0)
				; /* not a regular file: said on its path */
			else if (fa->size != ea->size)
				bad = flist_add(&j->found, j->path, ea->line,
						ea->col, "attachment",
						"attachment evidence/%s/%s is "
						"%lld bytes, expected %lld",
						j->id, ea->name,
						(long long)fa->size,
						(long long)ea->size) < 0;
			else if (ea->blob[0] && fa->blob[0] &&
				 strcmp(fa->blob, ea->blob) != 0)
				bad = flist_add(&j->found, j->path, ea->line,
						ea->col, "attachment",
						"attachment evidence/%s/%s has "
						"blob %s, expected %s", j->id,
						ea->name, fa->blob,
						ea->blob) < 0;
		}
	}

	/* Files in evidence/<id>/ that no evidence claims. */
	for (size_t i = 0; i < natts && !bad; i++) {
		struct job *aj = &js->items[atts[i].job];
		int claimed = 0;
		const struct idref *hit = find_id(ids, nids, atts[i].dir,
						  atts[i].dirlen);
		/* With duplicate ids, any of the owners may claim it. */
		for (; hit && hit < ids + nids && !claimed &&
		       strncmp(hit->id, atts[i].dir, atts[i].dirlen) == 0 &&
		       !hit->id[atts[i].dirlen]; hit++) {
			struct job *ej = &js->items[hit->job];
			claimed = ej->kind == K_EVIDENCE && ej->att &&
				  strcmp(ej->att->name, atts[i].name) == 0;
		}
		if (!claimed)
			bad = flist_add(&aj->found, aj->path, 0, 0,
					"unknown-file",
					"not the attachment of any evidence") < 0;
	}
	if (bad)
		err = lps_error_nomem();
out:
	free(ids);
	free(atts);
	return err;
}

/* ---- the whole check ---- */

static int cmp_job(const void *a, const void *b)
{
	return strcmp(((const struct job *)a)->path,
		      ((const struct job *)b)->path);
}

static int cmp_finding(const void *a, const void *b)
{
	const struct lps_check_finding *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return 0;
}

/* Move every job's findings into out, in path, line, col order. */
static struct lps_error *gather(struct lps_check_result *out,
				struct jobs *js)
{
	size_t total = 0;
	for (size_t i = 0; i < js->n; i++)
		total += js->items[i].found.n;
	struct lps_check_finding *all = realloc(out->items,
		(out->n + total + 1) * sizeof(*all));
	if (!all)
		return lps_error_nomem();
	out->items = all;
	out->cap = out->n + total + 1;
	for (size_t i = 0; i < js->n; i++) {
		struct flist *l = &js->items[i].found;
		/*
		 * One file's findings by line and column; an insertion sort
		 * (they are few) keeps those at one place in found order.
		 */
		for (size_t a = 1; a < l->n; a++) {
			struct lps_check_finding f = l->items[a];
			size_t k = a;
			while (k > 0 && cmp_finding(&l->items[k - 1], &f) > 0) {
				l->items[k] = l->items[k - 1];
				k--;
			}
			l->items[k] = f;
		}
		if (l->n)
			memcpy(all + out->n, l->items, l->n * sizeof(*all));
		out->n += l->n;
		free(l->items);
		l->items = NULL;
		l->n = l->cap = 0;
		if (js->items[i].kind >= K_PORTFOLIO)
			out->documents++;
	}
	return NULL;
}

/* Every schema is looked up before the threads start. */
static struct lps_error *load_schemas(struct shared *sh)
{
	struct lps_error *err = lps_registry_get(&sh->reg);
	if (err)
		return err;
	for (int k = 0; k < K_NKINDS; k++) {
		if (!kind_schema[k])
			continue;
		sh->schemas[k] = lps_registry_schema(sh->reg, kind_schema[k]);
		if (!sh->schemas[k])
			return lps_error_new(LPS_ENOTFOUND,
					     "no schema named \"%s\"",
					     kind_schema[k]);
	}
	return NULL;
}

/* The missing lps.yaml as a finding; the jobs in path order. */
static struct lps_error *complete(struct jobs *js)
{
	int have_meta = 0;
	for (size_t i = 0; i < js->n; i++)
		if (js->items[i].kind == K_PORTFOLIO)
			have_meta = 1;
	if (!have_meta) {
		struct job *j = jobs_add(js, "lps.yaml", K_IGNORE);
		if (!j || flist_add(&j->found, "lps.yaml", 0, 0, "missing",
				    "missing: this is not an lps portfolio; "
				    "run lps init") < 0)
			return lps_error_nomem();
	}
	/* Path order: the order listed or stored in, unless some job (the
	 * missing lps.yaml) came after it. */
	if (!in_order(js->items, js->n, sizeof(*js->items), cmp_job))
		qsort(js->items, js->n, sizeof(*js->items), cmp_job);
	return NULL;
}

/* The schemas and built-in frameworks into sh (*fws owns the latter). */
static struct lps_error *prepare(struct shared *sh,
				 struct lps_frameworks **fws)
{
	struct lps_error *err = load_schemas(sh);
	if (!err)
		err = lps_frameworks_new(fws, sh->reg);
	sh->builtin = *fws;
	return err;
}

struct lps_error *lps_check_run(struct lps_check_result *out,
				struct lps_store *store, const char *rev,
				unsigned threads)
{
	struct pool *pl = NULL;
	struct jobs js = { 0 };
	struct lps_frameworks *fws = NULL;
	struct lps_error *err;

	if (!(pl = calloc(1, sizeof(*pl))))
		return lps_error_nomem();
	if ((err = prepare(&pl->sh, &fws)))
		goto out;
	if (rev) {
		git_oid oid;
		if ((err = lps_store_resolve(store, rev, &oid)))
			goto out;
		git_oid_tostr(out->revision, sizeof(out->revision), &oid);
		out->has_revision = 1;
		struct rev_ctx rc = { &pl->sh, &js, 0 };
		err = lps_store_foreach(store, &oid, "", rev_each, &rc);
		if (rc.nomem) {
			lps_error_free(err);
			err = lps_error_nomem();
		}
	} else {
		const char *top = lps_store_workdir(store);
		if (!top) {
			err = lps_error_new(LPS_EUSAGE, "a bare repository "
					    "has no working tree; use --rev");
			goto out;
		}
		err = list_worktree(&js, top);
		if (!err) {
			pool_start(pl, &js, top, threads, 1);
			err = pool_finish(pl);
		}
	}
	if (!err && !(err = complete(&js)) && !(err = cross_check(&js, fws)))
		err = gather(out, &js);
out:
	jobs_free(&js);
	lps_frameworks_free(fws);
	free(pl);
	return err;
}

struct lps_check_ahead {
	char *top;
	struct jobs js;
	struct lps_error *err;  /* what listing met, reported by finish */
	struct pool pl;
	int running;            /* pl's workers started */
};

struct lps_error *lps_check_begin(struct lps_check_ahead **out,
				  const char *top, unsigned threads)
{
	struct lps_check_ahead *a = calloc(1, sizeof(*a));
	*out = NULL;
	if (!a || !(a->top = strdup(top))) {
		free(a);
		return lps_error_nomem();
	}
	a->err = list_worktree(&a->js, top);
	if (!a->err) {
		pool_start(&a->pl, &a->js, a->top, threads, 0);
		a->running = 1;
	}
	*out = a;
	return NULL;
}

void lps_check_ahead_free(struct lps_check_ahead *a)
{
	if (!a)
		return;
	if (a->running)
		pool_stop(&a->pl);
	jobs_free(&a->js);
	lps_error_free(a->err);
	free(a->top);
	free(a);
}

struct lps_error *lps_check_finish(struct lps_check_result *out,
				   struct lps_store *store, unsigned threads,
				   struct lps_check_ahead *a)
{
	const char *top = lps_store_workdir(store);
	if (!a || !top || strcmp(a->top, top) != 0 ||
	    lps_store_recovered(store)) {
		/* begun elsewhere (or a bare repository), or the store has
		 * since finished a killed commit in the working tree (its
		 * temporary files gone, its files written): as if not begun */
		if (a && a->running) {
			pool_stop(&a->pl);
			a->running = 0;
		}
		return lps_check_run(out, store, NULL, threads);
	}
	struct lps_frameworks *fws = NULL;
	struct lps_error *err = prepare(&a->pl.sh, &fws);
	if (a->running) {
		a->running = 0;
		if (err) {
			pool_stop(&a->pl);
		} else {
			err = pool_finish(&a->pl);
		}
	} else if (!err) {
		err = a->err;
		a->err = NULL;
	}
	if (!err && !(err = complete(&a->js)) &&
	    !(err = cross_check(&a->js, fws)))
		err = gather(out, &a->js);
	lps_frameworks_free(fws);
	return err;
}
