/* getrandom(2) is declared by glibc only with _DEFAULT_SOURCE. */
#define _DEFAULT_SOURCE 1
#include "portfolio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "registry.h"


/* ---- ids ---- */

/* getrandom(2); /dev/urandom when the kernel lacks it. */
static int random_bytes(unsigned char *p, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = getrandom(p + got, n - got, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		got += (size_t)r;
	}
	if (got == n)
		return 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < n) {
		ssize_t r = read(fd, p + off, n - off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)r;
	}
	close(fd);
	return 0;
}

struct lps_error *lps_portfolio_new_id(char *out, char letter)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[LPS_ID_HEX / 2];

	if (letter < 'a' || letter > 'z')
		return lps_error_new(LPS_EINVALID, "bad id letter '%c'",
				     letter ? letter : '?');
	if (random_bytes(raw, sizeof(raw)) < 0)
		return lps_error_new(LPS_ESYS, "cannot read random bytes: %s",
				     strerror(errno));
	out[0] = letter;
	out[1] = '-';
	for (size_t i = 0; i < sizeof(raw); i++) {
		out[2 + 2 * i] = hex[raw[i] >> 4];
		out[3 + 2 * i] = hex[raw[i] & 15];
	}
	out[LPS_ID_LEN] = '\0';
	return NULL;
}

static int is_lower_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

int lps_portfolio_id_valid(const char *id, char letter)
{
	if (!id || strlen(id) != LPS_ID_LEN)
		return 0;
	if (letter ? id[0] != letter : (id[0] < 'a' || id[0] > 'z'))
		return 0;
	if (id[1] != '-')
		return 0;
	for (int i = 2; i < LPS_ID_LEN; i++)
		if (!is_lower_hex(id[i]))
			return 0;
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Most candidates an ambiguity error names. */
#define MAX_CANDIDATES 10

struct lps_error *lps_portfolio_resolve_id(const char **out,
					   const char *const *ids, size_t n,
					   char letter, const char *typed)
{
	char hexp[LPS_ID_HEX + 1];
	const char *p = typed;
	size_t len;

	*out = NULL;
	/* "g-3f", "3f" and "G-3F" all name the same prefix. */
	if (p[0] && p[1] == '-') {
		char l = (char)(p[0] | 0x20);
		if (l < 'a' || l > 'z' || (letter && l != letter))
			return lps_error_new(LPS_EUSAGE,
					     "not an id of this kind: \"%s\"",
					     typed);
		p += 2;
	}
	len = strlen(p);
	if (len == 0 || len > LPS_ID_HEX)
		return lps_error_new(LPS_EUSAGE, "malformed id \"%s\"", typed);
	for (size_t i = 0; i < len; i++) {
		char c = (char)(p[i] >= 'A' && p[i] <= 'F' ? p[i] | 0x20 : p[i]);
		if (!is_lower_hex(c))
			return lps_error_new(LPS_EUSAGE, "malformed id \"%s\"",
					     typed);
		hexp[i] = c;
	}
	hexp[len] = '\0';

	const char *found[MAX_CANDIDATES];
	size_t nfound = 0, total = 0;
	for (size_t i = 0; i < n; i++) {
		const char *id = ids[i];
		if (!lps_portfolio_id_valid(id, letter))
			continue;
		if (strncmp(id + 2, hexp, len) != 0)
			continue;
		/* The same id listed twice is still one id. */
		int dup = 0;
		for (size_t j = 0; j < nfound; j++)
			if (strcmp(found[j], id) == 0)
				dup = 1;
		if (dup)
			continue;
		if (nfound < MAX_CANDIDATES)
			found[nfound++] = id;
		total++;
	}
	if (total == 0)
		return lps_error_new(LPS_ENOTFOUND, "no id matches \"%s\"",
				     typed);
	if (total == 1) {
		*out = found[0];
		return NULL;
	}
	qsort(found, nfound, sizeof(found[0]), cmp_str);
	struct lps_buf b = LPS_BUF_INIT;
	int bad = 0;
	for (size_t i = 0; i < nfound; i++)
		bad |= lps_buf_addf(&b, "%s%s", i ? ", " : "", found[i]);
	if (total > nfound)
		bad |= lps_buf_addf(&b, " and %zu more", total - nfound);
	struct lps_error *err = bad ? lps_error_nomem()
		: lps_error_new(LPS_EINVALID, "ambiguous id \"%s\": %s", typed,
				b.data);
	lps_buf_free(&b);
	return err;
}

/* ---- dates ---- */

void lps_portfolio_school_year(char *out, int year, int month)
{
	int first = month >= 8 ? year : year - 1;
	/* Clamp so the text always fits "YYYY-YYYY". */
	if (first < 1000)
		first = 1000;
	if (first > 9998)
		first = 9998;
	snprintf(out, 10, "%04d-%04d", first, first + 1);
}

void lps_portfolio_today(char *date, char *school_year)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	/* LPS_TODAY=YYYY-MM-DD stands in for the clock (reproducible runs). */
	const char *fixed = getenv("LPS_TODAY");
	int fy, fm, fd;
	char tail;
	if (fixed && sscanf(fixed, "%4d-%2d-%2d%c", &fy, &fm, &fd, &tail) == 3 &&
	    fm >= 1 && fm <= 12 && fd >= 1 && fd <= 31) {
		tm.tm_year = fy - 1900;
		tm.tm_mon = fm - 1;
		tm.tm_mday = fd;
	}
	int y = tm.tm_year + 1900;
	if (y < 1000 || y > 9998)
		y = 2000;
	if (date) {
		char tmp[48];
		snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y,
			 (tm.tm_mon + 1) % 100, tm.tm_mday % 100);
		memcpy(date, tmp, 11);
	}
	if (school_year)
		lps_portfolio_school_year(school_year, y, tm.tm_mon + 1);
}

/* ---- opening a portfolio ---- */

struct lps_portfolio {
	struct lps_store *store;
	git_oid head;
	struct lps_doc *meta;
};

struct lps_error *lps_portfolio_check_version(const struct lps_doc *doc)
{
	const struct lps_node *v = lps_map_get(lps_doc_root(doc), "lps");
	if (!v)
		return NULL;
	const char *name = lps_doc_name(doc);
	if (v->type == LPS_NODE_INT && v->v.integer == LPS_FORMAT_VERSION)
		return NULL;
	if (v->type == LPS_NODE_INT && v->v.integer > LPS_FORMAT_VERSION)
		return lps_error_at(LPS_EINVALID, name, v->line, v->col,
				    "format version %lld is newer than this "
				    "lps understands (%d)",
				    (long long)v->v.integer, LPS_FORMAT_VERSION);
	return lps_error_at(LPS_EINVALID, name, v->line, v->col,
			    "unsupported format version (expected %d)",
			    LPS_FORMAT_VERSION);
}

void lps_portfolio_free(struct lps_portfolio *p)
{
	if (!p)
		return;
	lps_doc_free(p->meta);
	lps_store_free(p->store);
	free(p);
}

struct lps_error *lps_portfolio_open(struct lps_portfolio **out,
				     const char *dir)
{
	struct lps_error *err = NULL;
	struct lps_buf b = LPS_BUF_INIT;
	struct lps_portfolio *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!p)
		return lps_error_nomem();
	err = lps_store_open(&p->store, dir);
	if (err)
		goto out;
	const char *top = lps_store_workdir(p->store);
	err = lps_store_resolve(p->store, NULL, &p->head);
	if (!err)
		err = lps_store_read(p->store, &p->head, "lps.yaml", &b);
	if (err) {
		int notfound = err->code == LPS_ENOTFOUND;
		if (!notfound)
			goto out;
		lps_error_free(err);
		err = lps_error_new(LPS_ENOTFOUND,
				    "not an lps portfolio (no lps.yaml): %s; "
				    "run lps init", top ? top : dir);
		goto out;
	}
	err = lps_doc_load(&p->meta, "lps.yaml", b.data ? b.data : "", b.len,
			   NULL);
	if (!err)
		err = lps_portfolio_check_version(p->meta);
out:
	lps_buf_free(&b);
	if (err) {
		lps_portfolio_free(p);
		return err;
	}
	*out = p;
	return NULL;
}

struct lps_store *lps_portfolio_store(struct lps_portfolio *p)
{
	return p->store;
}

const char *lps_portfolio_top(const struct lps_portfolio *p)
{
	return lps_store_workdir(p->store);
}

const git_oid *lps_portfolio_head(const struct lps_portfolio *p)
{
	return &p->head;
}

const struct lps_doc *lps_portfolio_meta(const struct lps_portfolio *p)
{
	return p->meta;
}

struct lps_error *lps_portfolio_set_rev(struct lps_portfolio *p,
					const char *rev)
{
	struct lps_buf b = LPS_BUF_INIT;
	struct lps_doc *meta = NULL;
	git_oid oid;
	struct lps_error *err = lps_store_resolve(p->store, rev, &oid);

	if (err)
		return err;
	err = lps_store_read(p->store, &oid, "lps.yaml", &b);
	if (err) {
		lps_buf_free(&b);
		if (err->code != LPS_ENOTFOUND)
			return err;
		lps_error_free(err);
		return lps_error_new(LPS_ENOTFOUND,
				     "not an lps portfolio at revision "
				     "\"%s\" (no lps.yaml)", rev ? rev : "HEAD");
	}
	err = lps_doc_load(&meta, "lps.yaml", b.data ? b.data : "", b.len,
			   NULL);
	lps_buf_free(&b);
	if (!err)
		err = lps_portfolio_check_version(meta);
	if (err) {
		lps_doc_free(meta);
		return err;
	}
	lps_doc_free(p->meta);
	p->meta = meta;
	p->head = oid;
	return NULL;
}

/* ---- the write path ---- */

static struct lps_error *finding_error(const char *path,
				       const struct lps_finding *f)
{
	const char *sep = *f->path ? ": " : "";
	if (f->line)
		return lps_error_at(LPS_EINVALID, path, f->line, f->col,
				    "%s%s%s", f->path, sep, f->message);
	return lps_error_at(LPS_EINVALID, path, 0, 0, "%s%s%s", f->path, sep,
			    f->message);
}

struct lps_error *lps_portfolio_stage(struct lps_changeset *cs,
				      const char *path,
				      const struct lps_schema *schema,
				      struct lps_node *root,
				      struct lps_findings *findings)
{
	struct lps_findings local = LPS_FINDINGS_INIT;
	struct lps_buf text = LPS_BUF_INIT;
	struct lps_error *err = NULL;

	lps_schema_sort_keys(schema, root);
	int ok = lps_schema_validate(schema, root, LPS_SCHEMA_FORMAT_ASSERT,
				     &local);
	if (ok < 0) {
		err = lps_error_nomem();
		goto out;
	}
	if (!ok) {
		err = local.n ? finding_error(path, &local.items[0])
			: lps_error_at(LPS_EINVALID, path, 0, 0,
				       "does not match its schema");
		goto out;
	}
	err = lps_doc_emit(root, &text);
	if (!err)
		err = lps_changeset_write(cs, path, text.data, text.len);
out:
	if (findings && local.n) {
		/* Hand the findings over, keeping the caller's earlier ones. */
		for (size_t i = 0; i < local.n; i++) {
			if (findings->n == findings->cap) {
				size_t cap = findings->cap ? 2 * findings->cap : 8;
				void *q = realloc(findings->items,
						  cap * sizeof(*findings->items));
				if (!q)
					break;
				findings->items = q;
				findings->cap = cap;
			}
			findings->items[findings->n++] = local.items[i];
			local.items[i].path = NULL;
			local.items[i].message = NULL;
		}
	}
	lps_findings_free(&local);
	lps_buf_free(&text);
	return err;
}

struct lps_error *lps_portfolio_stage_doc(struct lps_changeset *cs,
					  const char *path,
					  struct lps_node *root,
					  struct lps_findings *findings)
{
	const struct lps_registry *reg;
	struct lps_error *err = lps_registry_get(&reg);
	if (err)
		return err;
	const char *name = lps_registry_schema_for_path(path);
	const struct lps_schema *schema = name ? lps_registry_schema(reg, name)
		: NULL;
	if (!schema)
		return lps_error_new(LPS_EINVALID,
				     "%s: lps keeps no document there", path);
	return lps_portfolio_stage(cs, path, schema, root, findings);
}

/* ---- commit messages ---- */

/* Append s with control characters turned into spaces. */
static int add_flat(struct lps_buf *b, const char *s)
{
	for (; *s; s++)
		if (lps_buf_addc(b, (unsigned char)*s < 0x20 || *s == 0x7f
					    ? ' ' : *s) < 0)
			return -1;
	return 0;
}

static int trailer_key_ok(const char *k)
{
	if (!*k)
		return 0;
	for (; *k; k++)
		if (!((*k >= 'A' && *k <= 'Z') || (*k >= 'a' && *k <= 'z') ||
		      (*k >= '0' && *k <= '9') || *k == '-'))
			return 0;
	return 1;
}

struct lps_error *lps_portfolio_message(char **out, const char *area,
					const char *what, const char *command,
					const char *phase,
					const struct lps_trailer *extra,
					size_t nextra)
{
	struct lps_buf b = LPS_BUF_INIT;
	int bad = 0;

	*out = NULL;
	if (!area || !*area || !what || !*what || !command || !*command ||
	    !phase || !*phase)
		return lps_error_new(LPS_EINVALID,
				     "commit message needs an area, a subject, "
				     "a command and a phase");
	for (size_t i = 0; i < nextra; i++)
		if (!extra[i].key || !trailer_key_ok(extra[i].key) ||
		    !extra[i].value)
			return lps_error_new(LPS_EINVALID,
					     "malformed commit trailer \"%s\"",
					     extra[i].key ? extra[i].key : "");
	bad |= add_flat(&b, area);
	bad |= lps_buf_adds(&b, ": ");
	bad |= add_flat(&b, what);
	bad |= lps_buf_adds(&b, "\n\nLPS-Command: ");
	bad |= add_flat(&b, command);
	bad |= lps_buf_adds(&b, "\nLPS-Phase: ");
	bad |= add_flat(&b, phase);
	bad |= lps_buf_addc(&b, '\n');
	for (size_t i = 0; i < nextra; i++) {
		bad |= lps_buf_adds(&b, extra[i].key);
		bad |= lps_buf_adds(&b, ": ");
		bad |= add_flat(&b, extra[i].value);
		bad |= lps_buf_addc(&b, '\n');
	}
	if (bad) {
		lps_buf_free(&b);
		return lps_error_nomem();
	}
	*out = lps_buf_detach(&b, NULL);
	return *out ? NULL : lps_error_nomem();
}

struct lps_error *lps_portfolio_commit(struct lps_store *store,
				       const struct lps_changeset *cs,
				       const char *area, const char *what,
				       const char *command, const char *phase,
				       const struct lps_trailer *extra,
				       size_t nextra, git_oid *out)
{
	char *msg;
	struct lps_error *err = lps_portfolio_message(&msg, area, what, command,
						      phase, extra, nextra);
	if (err)
		return err;
	err = lps_store_commit(store, cs, msg, out);
	free(msg);
	return err;
}

/* ---- lps init ---- */

static const char no_identity[] =
	"no git identity: set it with: git config --global user.name "
	"\"Your Name\" && git config --global user.email you@example.org";

/* Is there an identity in the global/system configuration? */
static int default_identity(void)
{
	git_config *cfg = NULL;
	git_buf v = GIT_BUF_INIT;
	int ok = 0;

	if (git_config_open_default(&cfg) < 0)
		return 0;
	if (git_config_get_string_buf(&v, cfg, "user.name") == 0 && v.size) {
		git_buf_dispose(&v);
		if (git_config_get_string_buf(&v, cfg, "user.email") == 0 &&
		    v.size)
			ok = 1;
	}
	git_buf_dispose(&v);
	git_config_free(cfg);
	return ok;
}

/* mkdir -p; *made receives the outermost directory created (malloc'd). */
static struct lps_error *make_dirs(const char *dir, char **made)
{
	char *p = strdup(dir);
	if (!p)
		return lps_error_nomem();
	size_t n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	for (char *s = p + 1;; s++) {
		int end = *s == '\0';
		if (*s != '/' && !end)
			continue;
		*s = '\0';
		if (mkdir(p, 0777) == 0) {
			if (!*made && !(*made = strdup(p))) {
				free(p);
				return lps_error_nomem();
			}
		} else if (errno != EEXIST) {
			struct lps_error *err = lps_error_new(
				LPS_ESYS, "%s: cannot create directory: %s", p,
				strerror(errno));
			free(p);
			return err;
		}
		if (end)
			break;
		*s = '/';
	}
	free(p);
	return NULL;
}

/* Remove the tree at fd/name (used only on what init itself created). */
static void remove_tree_at(int at, const char *name, int depth)
{
	if (depth > 64)
		return;
	if (unlinkat(at, name, 0) == 0 || (errno != EISDIR && errno != EPERM))
		return;
	int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			O_CLOEXEC);
	if (fd < 0)
		return;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			remove_tree_at(dirfd(d), e->d_name, depth + 1);
	closedir(d);
	unlinkat(at, name, AT_REMOVEDIR);
}

static void undo_init(const char *top, int created_repo, const char *made)
{
	if (made) {
		remove_tree_at(AT_FDCWD, made, 0);
		return;
	}
	if (created_repo) {
		char path[PATH_MAX];
		int n = snprintf(path, sizeof(path), "%s.git", top);
		if (n > 0 && (size_t)n < sizeof(path))
			remove_tree_at(AT_FDCWD, path, 0);
	}
}

/*
 * The checks made before anything is written: an existing portfolio,
 * a missing identity.  dir exists when this is called with exists=1.
 */
static struct lps_error *init_precheck(const char *dir, int exists)
{
	struct lps_error *err = NULL;
	git_repository *repo = NULL;
	char path[PATH_MAX];
	struct stat st;

	char abs[PATH_MAX];
	if (!exists)
		return default_identity() ? NULL
			: lps_error_new(LPS_EREFUSED, "%s", no_identity);
	/* Name the file absolutely, as the success message names the top. */
	if (!realpath(dir, abs))
		snprintf(abs, sizeof(abs), "%s", dir);
	if (snprintf(path, sizeof(path), "%s%slps.yaml", abs,
		     abs[strlen(abs) - 1] == '/' ? "" : "/") >=
	    (int)sizeof(path))
		return lps_error_new(LPS_EUSAGE, "%s: path too long", dir);
	if (lstat(path, &st) == 0)
		return lps_error_new(LPS_EREFUSED,
				     "%s: already an lps portfolio", path);
	if (git_repository_open_ext(&repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH,
				    NULL) < 0)
		return default_identity() ? NULL
			: lps_error_new(LPS_EREFUSED, "%s", no_identity);

	git_object *obj = NULL;
	if (git_revparse_single(&obj, repo, "HEAD:lps.yaml") == 0) {
		git_object_free(obj);
		err = lps_error_new(LPS_EREFUSED, "%s: already an lps portfolio",
				    path);
		goto out;
	}
	git_signature *sig = NULL;
	if (git_signature_default(&sig, repo) < 0) {
		err = lps_error_new(LPS_EREFUSED, "%s", no_identity);
		goto out;
	}
	git_signature_free(sig);
out:
	git_repository_free(repo);
	return err;
}

static struct lps_error *build_meta(struct lps_doc *doc,
				    const struct lps_init_opts *o,
				    const char *cycle, const char *today)
{
	struct lps_node *root = lps_doc_new_map(doc);
	struct lps_node *owner = lps_doc_new_map(doc);
	int bad = !root || !owner;

	bad = bad || lps_map_set(doc, root, "lps",
				 lps_doc_new_int(doc, LPS_FORMAT_VERSION)) < 0;
	bad = bad || lps_map_set(doc, owner, "name",
				 lps_doc_new_string(doc, o->name)) < 0;
	if (o->email)
		bad = bad || lps_map_set(doc, owner, "email",
					 lps_doc_new_string(doc, o->email)) < 0;
	bad = bad || lps_map_set(doc, root, "owner", owner) < 0;
	bad = bad || lps_map_set(doc, root, "role",
				 lps_doc_new_string(doc, o->role)) < 0;
	if (o->district)
		bad = bad || lps_map_set(doc, root, "district",
					 lps_doc_new_string(doc, o->district)) < 0;
	if (o->school)
		bad = bad || lps_map_set(doc, root, "school",
					 lps_doc_new_string(doc, o->school)) < 0;
	bad = bad || lps_map_set(doc, root, "cycle",
				 lps_doc_new_string(doc, cycle)) < 0;
	bad = bad || lps_map_set(doc, root, "phase",
				 lps_doc_new_string(doc, "purpose")) < 0;
	bad = bad || lps_map_set(doc, root, "created",
				 lps_doc_new_string(doc, today)) < 0;
	if (bad)
		return lps_error_nomem();
	lps_doc_set_root(doc, root);
	return NULL;
}

struct lps_error *lps_portfolio_init(const struct lps_init_opts *o,
				     char **top_out, char *cycle_out)
{
	struct lps_error *err = NULL;
	struct lps_store *store = NULL;
	struct lps_changeset *cs = NULL;
	struct lps_doc *doc = NULL;
	char *made = NULL, *top = NULL, *what = NULL;
	int created = 0;
	char today[11], year[10];
	const char *dir = o->dir && *o->dir ? o->dir : ".";
	struct stat st;

	if (top_out)
		*top_out = NULL;
	if (!o->name || !*o->name || !o->role || !*o->role)
		return lps_error_new(LPS_EUSAGE, "a name and a role are needed");
	lps_portfolio_today(today, year);
	const char *cycle = o->cycle ? o->cycle : year;

	int exists = stat(dir, &st) == 0;
	if (exists && !S_ISDIR(st.st_mode))
		return lps_error_new(LPS_EUSAGE, "%s: not a directory", dir);

	/* Build and validate lps.yaml first: a bad --cycle writes nothing. */
	if ((err = lps_doc_new(&doc, "lps.yaml")) ||
	    (err = build_meta(doc, o, cycle, today)) ||
	    (err = lps_changeset_new(&cs)) ||
	    (err = lps_portfolio_stage_doc(cs, "lps.yaml", lps_doc_root(doc),
					   NULL)))
		goto out;
	if ((err = init_precheck(dir, exists)))
		goto out;
	if (!exists && (err = make_dirs(dir, &made)))
		goto out;
	if ((err = lps_store_init(&store, dir, &created)))
		goto fail;
	const char *wd = lps_store_workdir(store);
	if (!wd) {
		err = lps_error_new(LPS_EREFUSED, "%s: a bare repository cannot "
				    "hold a portfolio", dir);
		goto fail;
	}
	if (!(top = strdup(wd)) ||
	    !(what = malloc(strlen(o->name) + 32))) {
		err = lps_error_nomem();
		goto fail;
	}
	sprintf(what, "start portfolio of %s", o->name);
	err = lps_portfolio_commit(store, cs, "init", what, "init", "purpose",
				   NULL, 0, NULL);
	if (!err)
		goto out;
fail:
	lps_store_free(store);
	store = NULL;
	if (top || made || created) {
		char buf[PATH_MAX];
		const char *t = top;
		if (!t && realpath(dir, buf) &&
		    strlen(buf) + 2 < sizeof(buf)) {
			strcat(buf, "/");
			t = buf;
		}
		if (t)
			undo_init(t, created, made);
	}
out:
	lps_store_free(store);
	lps_changeset_free(cs);
	lps_doc_free(doc);
	free(made);
	free(what);
	if (err) {
		free(top);
		return err;
	}
	if (cycle_out)
		snprintf(cycle_out, LPS_CYCLE_MAX, "%s", cycle);
	if (top_out)
		*top_out = top;
	else
		free(top);
	return NULL;
}
