/*
 * registry.c - the built-in (or LPS_SCHEMA_DIR) schema set, the map from
 * portfolio paths to schemas, and document validation on top of it.
 */
#include "registry.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "builtin.h"

/* Schemas are added under this base so relative $refs resolve by $id. */
#define BASE_URI "https://lps.invalid/schemas/"
#define SCHEMA_SUFFIX ".schema.yaml"
#define FRAMEWORK_DIR "frameworks/"

struct reg_schema {
	char *name;  /* "goal" */
	const struct lps_schema *schema;
};

struct lps_registry {
	struct lps_schema_set *set;
	struct reg_schema *schemas;
	size_t nschemas;
	struct lps_registry_file *frameworks;
	size_t nframeworks;
	int own_frameworks;  /* names and data are ours (read from a dir) */
	char *dir;
};

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && memcmp(s + n - m, suffix, m) == 0;
}

static int cmp_schema(const void *a, const void *b)
{
	return strcmp(((const struct reg_schema *)a)->name,
		      ((const struct reg_schema *)b)->name);
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct lps_registry_file *)a)->name,
		      ((const struct lps_registry_file *)b)->name);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void lps_registry_free(struct lps_registry *reg)
{
	size_t i;

	if (!reg)
		return;
	lps_schema_set_free(reg->set);
	for (i = 0; i < reg->nschemas; i++)
		free(reg->schemas[i].name);
	free(reg->schemas);
	if (reg->own_frameworks) {
		for (i = 0; i < reg->nframeworks; i++) {
			free((char *)reg->frameworks[i].name);
			free((char *)reg->frameworks[i].data);
		}
	}
	free(reg->frameworks);
	free(reg->dir);
	free(reg);
}

/*
 * Compile the schema text of file `file` ("goal.schema.yaml"), loaded
 * under `shown` (the name errors carry), into reg.
 */
static struct lps_error *add_schema(struct lps_registry *reg,
				    const char *file, const char *shown,
				    const char *text, size_t len)
{
	struct lps_error *err;
	struct lps_doc *doc = NULL;
	const struct lps_schema *root = NULL;
	struct reg_schema *rs;
	char *uri = NULL;
	size_t n;

	err = lps_doc_load(&doc, shown, text, len, NULL);
	if (err)
		return err;
	uri = malloc(strlen(BASE_URI) + strlen(file) + 1);
	if (!uri) {
		lps_doc_free(doc);
		return lps_error_nomem();
	}
	strcpy(uri, BASE_URI);
	strcat(uri, file);
	err = lps_schema_set_add(reg->set, doc, uri, &root); /* takes doc */
	free(uri);
	if (err)
		return err;
	rs = &reg->schemas[reg->nschemas];
	n = strlen(file) - strlen(SCHEMA_SUFFIX);
	rs->name = malloc(n + 1);
	if (!rs->name)
		return lps_error_nomem();
	memcpy(rs->name, file, n);
	rs->name[n] = '\0';
	rs->schema = root;
	reg->nschemas++;
	return NULL;
}

static struct lps_error *load_builtin_schemas(struct lps_registry *reg)
{
	struct lps_error *err;
	struct lps_buf shown = LPS_BUF_INIT;
	size_t i, n = 0;

	for (i = 0; i < lps_builtin_nfiles; i++)
		if (!strchr(lps_builtin_files[i].name, '/') &&
		    has_suffix(lps_builtin_files[i].name, SCHEMA_SUFFIX))
			n++;
	reg->schemas = calloc(n ? n : 1, sizeof(*reg->schemas));
	if (!reg->schemas)
		return lps_error_nomem();
	for (i = 0; i < lps_builtin_nfiles; i++) {
		const struct lps_builtin_file *f = &lps_builtin_files[i];

		if (strchr(f->name, '/') || !has_suffix(f->name, SCHEMA_SUFFIX))
			continue;
		lps_buf_reset(&shown);
		if (lps_buf_addf(&shown, "builtin:%s", f->name) < 0) {
			err = lps_error_nomem();
			goto out;
		}
		err = add_schema(reg, f->name, shown.data,
				 (const char *)f->data, f->len);
		if (err)
			goto out;
	}
	err = NULL;
out:
	lps_buf_free(&shown);
	return err;
}

static struct lps_error *load_builtin_frameworks(struct lps_registry *reg)
{
	size_t i, n = 0;

	for (i = 0; i < lps_builtin_nfiles; i++)
		if (strncmp(lps_builtin_files[i].name, FRAMEWORK_DIR,
			    strlen(FRAMEWORK_DIR)) == 0)
			n++;
	reg->frameworks = calloc(n ? n : 1, sizeof(*reg->frameworks));
	if (!reg->frameworks)
		return lps_error_nomem();
	for (i = 0; i < lps_builtin_nfiles; i++) {
		const struct lps_builtin_file *f = &lps_builtin_files[i];
		struct lps_registry_file *rf;

		if (strncmp(f->name, FRAMEWORK_DIR, strlen(FRAMEWORK_DIR)))
			continue;
		rf = &reg->frameworks[reg->nframeworks++];
		rf->name = f->name;
		rf->data = (const char *)f->data;
		rf->len = f->len;
	}
	reg->own_frameworks = 0;
	return NULL;
}

/*
 * The sorted names in dir ending with suffix, at most
 * LPS_REGISTRY_MAX_FILES.  A missing dir gives LPS_ENOTFOUND.
 */
static struct lps_error *list_dir(char ***out, size_t *count,
				  const char *dir, const char *suffix)
{
	struct lps_error *err = NULL;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, i;

	*out = NULL;
	*count = 0;
	d = opendir(dir);
	if (!d)
		return lps_error_new(errno == ENOENT ? LPS_ENOTFOUND : LPS_ESYS,
				     "cannot read schema directory %s: %s",
				     dir, strerror(errno));
	names = calloc(LPS_REGISTRY_MAX_FILES, sizeof(*names));
	if (!names) {
		err = lps_error_nomem();
		goto out;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || !has_suffix(e->d_name, suffix))
			continue;
		if (n == LPS_REGISTRY_MAX_FILES) {
			err = lps_error_new(LPS_EINVALID,
					    "%s: more than %d schema files",
					    dir, LPS_REGISTRY_MAX_FILES);
			goto out;
		}
		names[n] = strdup(e->d_name);
		if (!names[n]) {
			err = lps_error_nomem();
			goto out;
		}
		n++;
	}
	qsort(names, n, sizeof(*names), cmp_str);
out:
	closedir(d);
	if (err) {
		for (i = 0; i < n; i++)
			free(names[i]);
		free(names);
		return err;
	}
	*out = names;
	*count = n;
	return NULL;
}

static void free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static struct lps_error *load_dir_schemas(struct lps_registry *reg,
					  const char *dir)
{
	struct lps_error *err;
	struct lps_buf path = LPS_BUF_INIT, text = LPS_BUF_INIT;
	char **names;
	size_t n, i;

	err = list_dir(&names, &n, dir, SCHEMA_SUFFIX);
	if (err)
		return err;
	if (n == 0) {
		err = lps_error_new(LPS_ENOTFOUND, "no *%s in %s",
				    SCHEMA_SUFFIX, dir);
		goto out;
	}
	reg->schemas = calloc(n, sizeof(*reg->schemas));
	if (!reg->schemas) {
		err = lps_error_nomem();
		goto out;
	}
	for (i = 0; i < n; i++) {
		lps_buf_reset(&path);
		if (lps_buf_addf(&path, "%s/%s", dir, names[i]) < 0) {
			err = lps_error_nomem();
			goto out;
		}
		err = lps_buf_read_file(&text, path.data, LPS_DOC_MAX_BYTES);
		if (err)
			goto out;
		err = add_schema(reg, names[i], path.data, text.data
				 ? text.data : "", text.len);
		if (err)
			goto out;
	}
out:
	free_names(names, n);
	lps_buf_free(&path);
	lps_buf_free(&text);
	return err;
}

/* the *.yaml files of DIR/frameworks when that folder exists, else the built-in ones. */
static struct lps_error *load_dir_frameworks(struct lps_registry *reg,
					     const char *dir)
{
	struct lps_error *err;
	struct lps_buf path = LPS_BUF_INIT, text = LPS_BUF_INIT;
	char **names;
	size_t n, i;

	if (lps_buf_addf(&path, "%s/frameworks", dir) < 0)
		return lps_error_nomem();
	err = list_dir(&names, &n, path.data, ".yaml");
	if (err && err->code == LPS_ENOTFOUND) {
		lps_error_free(err);
		lps_buf_free(&path);
		return load_builtin_frameworks(reg);
	}
	if (err) {
		lps_buf_free(&path);
		return err;
	}
	reg->own_frameworks = 1;
	reg->frameworks = calloc(n ? n : 1, sizeof(*reg->frameworks));
	if (!reg->frameworks) {
		err = lps_error_nomem();
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct lps_registry_file *rf;
		char *name;
		size_t len;

		lps_buf_reset(&path);
		if (lps_buf_addf(&path, "%s/frameworks/%s", dir,
				 names[i]) < 0) {
			err = lps_error_nomem();
			goto out;
		}
		err = lps_buf_read_file(&text, path.data, LPS_DOC_MAX_BYTES);
		if (err)
			goto out;
		name = malloc(strlen(FRAMEWORK_DIR) + strlen(names[i]) + 1);
		if (!name) {
			err = lps_error_nomem();
			goto out;
		}
		strcpy(name, FRAMEWORK_DIR);
		strcat(name, names[i]);
		rf = &reg->frameworks[reg->nframeworks++];
		rf->name = name;
		if (!text.data && lps_buf_adds(&text, "") < 0) {
			err = lps_error_nomem();
			goto out;
		}
		rf->data = lps_buf_detach(&text, &len);
		rf->len = len;
	}
out:
	free_names(names, n);
	lps_buf_free(&path);
	lps_buf_free(&text);
	return err;
}

struct lps_error *lps_registry_open(struct lps_registry **out,
				    const char *dir)
{
	struct lps_error *err;
	struct lps_registry *reg;

	*out = NULL;
	reg = calloc(1, sizeof(*reg));
	if (!reg)
		return lps_error_nomem();
	err = lps_schema_set_new(&reg->set);
	if (err)
		goto fail;
	if (dir) {
		reg->dir = strdup(dir);
		if (!reg->dir) {
			err = lps_error_nomem();
			goto fail;
		}
		err = load_dir_schemas(reg, dir);
		if (!err)
			err = load_dir_frameworks(reg, dir);
	} else {
		err = load_builtin_schemas(reg);
		if (!err)
			err = load_builtin_frameworks(reg);
	}
	if (err)
		goto fail;
	/* Resolving now means validation never mutates the set later. */
	err = lps_schema_set_resolve(reg->set);
	if (err)
		goto fail;
	qsort(reg->schemas, reg->nschemas, sizeof(*reg->schemas), cmp_schema);
	qsort(reg->frameworks, reg->nframeworks, sizeof(*reg->frameworks),
	      cmp_file);
	*out = reg;
	return NULL;
fail:
	lps_registry_free(reg);
	return err;
}

static pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;
static struct lps_registry *global_reg;
static int global_atexit;

void lps_registry_shutdown(void)
{
	pthread_mutex_lock(&global_lock);
	lps_registry_free(global_reg);
	global_reg = NULL;
	pthread_mutex_unlock(&global_lock);
}

static void shutdown_at_exit(void)
{
	lps_registry_shutdown();
}

struct lps_error *lps_registry_get(const struct lps_registry **out)
{
	struct lps_error *err = NULL;
	const char *dir;

	*out = NULL;
	pthread_mutex_lock(&global_lock);
	if (!global_reg) {
		dir = getenv("LPS_SCHEMA_DIR");
		if (dir && !*dir)
			dir = NULL;
		err = lps_registry_open(&global_reg, dir);
		if (err && dir)
			err = lps_error_wrap(err, "LPS_SCHEMA_DIR=%s", dir);
		if (!err && !global_atexit && atexit(shutdown_at_exit) == 0)
			global_atexit = 1;
	}
	*out = global_reg;
	pthread_mutex_unlock(&global_lock);
	return err;
}

const char *lps_registry_dir(const struct lps_registry *reg)
{
	return reg->dir;
}

const struct lps_schema *lps_registry_schema(const struct lps_registry *reg,
					     const char *name)
{
	size_t lo = 0, hi = reg->nschemas, n = strlen(name);

	if (has_suffix(name, SCHEMA_SUFFIX))
		n -= strlen(SCHEMA_SUFFIX);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *s = reg->schemas[mid].name;
		int c = strncmp(s, name, n);

		if (c == 0 && s[n] != '\0')
			c = 1;
		if (c == 0)
			return reg->schemas[mid].schema;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

size_t lps_registry_count(const struct lps_registry *reg)
{
	return reg->nschemas;
}

const char *lps_registry_name(const struct lps_registry *reg, size_t i)
{
	return i < reg->nschemas ? reg->schemas[i].name : NULL;
}

struct lps_schema_set *lps_registry_set(const struct lps_registry *reg)
{
	return reg->set;
}

size_t lps_registry_framework_count(const struct lps_registry *reg)
{
	return reg->nframeworks;
}

const struct lps_registry_file *lps_registry_framework(
	const struct lps_registry *reg, size_t i)
{
	return i < reg->nframeworks ? &reg->frameworks[i] : NULL;
}

/* 1 when s[0..n) is a file name lps could have written: "X.yaml", X not
 * empty, no '/', not starting with '.'. */
static int is_yaml_name(const char *s, size_t n)
{
	if (n <= 5 || s[0] == '.' || memchr(s, '/', n))
		return 0;
	return memcmp(s + n - 5, ".yaml", 5) == 0;
}

/* Is any '/'-separated component of path hidden (".name")? */
static int is_hidden(const char *path)
{
	return path[0] == '.' || strstr(path, "/.") != NULL;
}

/*
 * The document folders: the one table of the portfolio's layout.  Flat
 * folders hold DIR/X.yaml; evidence/ also holds the attachments
 * evidence/ID/NAME; assessments/ holds assessments/CYCLE/X.yaml.
 */
enum layout { FLAT, ATTACHMENTS, CYCLES };

static const struct {
	struct lps_registry_folder f;
	const char *schema;
	enum layout layout;
} folders[] = {
	{ { "goals/", 0 }, "goal", FLAT },
	{ { "evidence/", 1 }, "evidence", ATTACHMENTS },
	{ { "reflections/", 0 }, "reflection", FLAT },
	{ { "feedback/", 0 }, "feedback", FLAT },
	{ { "assessments/", 1 }, "assessment", CYCLES },
	{ { "frameworks/", 0 }, "framework", FLAT },
};

#define NFOLDERS (sizeof(folders) / sizeof(folders[0]))

size_t lps_registry_folder_count(void)
{
	return NFOLDERS;
}

const struct lps_registry_folder *lps_registry_folder(size_t i)
{
	return i < NFOLDERS ? &folders[i].f : NULL;
}

void lps_registry_place(struct lps_registry_place *out, const char *path)
{
	const char *rest, *slash;
	size_t i, n;

	memset(out, 0, sizeof(*out));
	out->kind = LPS_PLACE_OTHER;
	if (is_hidden(path))
		return;
	if (strcmp(path, "lps.yaml") == 0) {
		out->kind = LPS_PLACE_DOCUMENT;
		out->schema = "portfolio";
		return;
	}
	for (i = 0; i < NFOLDERS; i++) {
		n = strlen(folders[i].f.dir);
		if (strncmp(path, folders[i].f.dir, n) == 0)
			break;
	}
	if (i == NFOLDERS)
		return;
	rest = path + n;
	slash = strchr(rest, '/');
	out->kind = LPS_PLACE_STRAY;
	switch (folders[i].layout) {
	case FLAT:
		if (is_yaml_name(rest, strlen(rest)))
			out->kind = LPS_PLACE_DOCUMENT;
		break;
	case ATTACHMENTS:
		if (!slash && is_yaml_name(rest, strlen(rest))) {
			out->kind = LPS_PLACE_DOCUMENT;
		} else if (slash && slash > rest && slash[1] &&
			   !strchr(slash + 1, '/')) {
			out->kind = LPS_PLACE_ATTACHMENT;
			out->owner = rest;
			out->owner_len = (size_t)(slash - rest);
			out->name = slash + 1;
		}
		break;
	case CYCLES:
		if (slash && slash > rest &&
		    is_yaml_name(slash + 1, strlen(slash + 1)))
			out->kind = LPS_PLACE_DOCUMENT;
		break;
	}
	if (out->kind == LPS_PLACE_DOCUMENT)
		out->schema = folders[i].schema;
}

const char *lps_registry_schema_for_path(const char *path)
{
	struct lps_registry_place pl;

	lps_registry_place(&pl, path);
	return pl.kind == LPS_PLACE_DOCUMENT ? pl.schema : NULL;
}

int lps_registry_is_document(const char *name)
{
	static const char *const docs[] = {
		"portfolio", "goal", "evidence", "reflection", "feedback",
		"assessment", "framework",
	};
	size_t i, n = strlen(name);

	if (has_suffix(name, SCHEMA_SUFFIX))
		n -= strlen(SCHEMA_SUFFIX);
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		if (strlen(docs[i]) == n && strncmp(docs[i], name, n) == 0)
			return 1;
	return 0;
}

/* Append one finding (copying path and message).  0, or -1 on ENOMEM. */
static int add_finding(struct lps_findings *f, const char *path,
		       const char *keyword, const char *message,
		       unsigned line, unsigned col)
{
	struct lps_finding *it;

	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		struct lps_finding *items;

		items = realloc(f->items, cap * sizeof(*items));
		if (!items)
			return -1;
		f->items = items;
		f->cap = cap;
	}
	it = &f->items[f->n];
	it->path = strdup(path);
	it->message = strdup(message);
	if (!it->path || !it->message) {
		free(it->path);
		free(it->message);
		return -1;
	}
	it->keyword = keyword;
	it->line = line;
	it->col = col;
	f->n++;
	return 0;
}

/*
 * A document written by a newer lps: 1 (finding added) when `lps` holds an
 * integer other than ours, 0 when not, -1 on ENOMEM.
 */
static int check_version(const struct lps_node *root,
			 struct lps_findings *findings)
{
	const struct lps_node *v = lps_map_get(root, "lps");
	char msg[160];

	if (!v || v->type != LPS_NODE_INT || v->v.integer == LPS_FORMAT_VERSION)
		return 0;
	if (!findings)
		return 1;
	snprintf(msg, sizeof(msg),
		 "format version %lld is not supported: this lps reads "
		 "version %d%s", (long long)v->v.integer, LPS_FORMAT_VERSION,
		 v->v.integer > LPS_FORMAT_VERSION
		 ? " (the file comes from a newer lps; upgrade lps)" : "");
	return add_finding(findings, "lps", "const", msg, v->line, v->col)
		? -1 : 1;
}

struct lps_error *lps_registry_validate(int *valid,
					struct lps_findings *findings,
					const struct lps_registry *reg,
					const char *name,
					const struct lps_node *root)
{
	const struct lps_schema *schema;
	int r;

	*valid = 0;
	schema = lps_registry_schema(reg, name);
	if (!schema)
		return lps_error_new(LPS_ENOTFOUND, "no schema named %s", name);
	if (lps_registry_is_document(name)) {
		r = check_version(root, findings);
		if (r < 0)
			return lps_error_nomem();
		if (r > 0)
			return NULL;
	}
	r = lps_schema_validate(schema, root, LPS_SCHEMA_FORMAT_ASSERT,
				findings);
	if (r < 0)
		return lps_error_nomem();
	*valid = r;
	return NULL;
}

struct lps_error *lps_registry_validate_path(int *valid,
					     struct lps_findings *findings,
					     const struct lps_registry *reg,
					     const char *path,
					     const struct lps_node *root)
{
	const char *name = lps_registry_schema_for_path(path);

	*valid = 0;
	if (!name)
		return lps_error_new(LPS_ENOTFOUND,
				     "%s: lps keeps no document at this path",
				     path);
	return lps_registry_validate(valid, findings, reg, name, root);
}
