/*
 * lps-validate - validate YAML or JSON files against a built-in schema,
 * a schema file, or the schema of each file's place in its portfolio.
 *
 * Findings are the command's answer, so they go to stdout, one a line:
 * FILE:LINE:COL: PATH: MESSAGE.  Files that cannot be read or parsed are
 * errors on stderr.  The exit status is the highest of the files': 0
 * valid, 1 invalid (or a schema file that is itself wrong), 2 usage
 * (also: no schema known for a file), 4 unreadable.
 */
/* realpath(3) comes with _DEFAULT_SOURCE. */
#define _DEFAULT_SOURCE 1
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "doc.h"
#include "registry.h"
#include "schema.h"
#include "store.h"
#include "uri.h"

static const char usage[] =
	"usage: lps validate [-v] [--schema NAME|FILE] FILE...\n"
	"\n"
	"Validate each YAML or JSON FILE.  Without --schema, the schema is the\n"
	"one of the file's place in its portfolio (goals/X.yaml: goal, ...).\n"
	"Findings are printed as FILE:LINE:COL: PATH: MESSAGE.\n"
	"\n"
	"    -s, --schema NAME|FILE  a built-in schema (portfolio, goal,\n"
	"                            evidence, reflection, feedback, assessment,\n"
	"                            framework, check, log, ...) or a schema file\n"
	"                            (a path with '/' or ending in .yaml, .yml,\n"
	"                            .json)\n"
	"    -v, --verbose           also print FILE: valid for valid files\n"
	"    -h, --help              show this help\n"
	"\n"
	"Exit status: 0 all valid, 1 something invalid, 2 usage or no schema\n"
	"for a file, 4 a file could not be read.\n";

static int is_schema_file(const char *s)
{
	size_t n = strlen(s);
	return strchr(s, '/') || (n > 5 && !strcmp(s + n - 5, ".yaml")) ||
	       (n > 4 && !strcmp(s + n - 4, ".yml")) ||
	       (n > 5 && !strcmp(s + n - 5, ".json"));
}

static int worst(int a, int b)
{
	return a > b ? a : b;
}

/* Report a load error: unreadable is 4, anything else about the text 1. */
static int load_failed(struct lps_error *err)
{
	if (err->line == 0 && (err->code == LPS_ENOTFOUND ||
			       err->code == LPS_ESYS)) {
		err->code = LPS_ESYS;
		return lps_cli_fail(err);
	}
	return lps_cli_fail(err);
}

/*
 * Schema files that $ref sibling files ("common.schema.yaml#/$defs/date")
 * get them loaded from disk, but only from the folder of the --schema
 * file and below it: a schema names files to read, and should not reach
 * anywhere else on the machine.
 */
struct siblings {
	char root[PATH_MAX];  /* real path of the --schema file's folder */
};

/* Does ref start with a URI scheme ("https:", "file:")? */
static int has_scheme(const char *ref)
{
	size_t n = strspn(ref, "abcdefghijklmnopqrstuvwxyz"
			       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
	return n > 0 && ref[n] == ':';
}

static struct lps_error *load_sibling(void *ctx, struct lps_schema_set *set,
				      const char *uri, const char *ref,
				      const char *from)
{
	const struct siblings *sb = ctx;
	char want[PATH_MAX], real[PATH_MAX];
	size_t n;

	n = strcspn(ref, "#");
	if (n && ref[0] != '/' && !has_scheme(ref)) {
		/* relative: against the folder of the file it is in, so that
		 * messages name the file as the user would */
		const char *slash = strrchr(from, '/');
		size_t dir = slash ? (size_t)(slash - from) + 1 : 0;
		if (dir + n >= sizeof(want))
			return NULL;
		memcpy(want, from, dir);
		want[dir + lps_uri_unescape(want + dir, ref, n)] = '\0';
	} else if (strncmp(uri, "file://", 7) == 0) {
		n = strlen(uri + 7);
		if (n >= sizeof(want))
			return NULL;
		want[lps_uri_unescape(want, uri + 7, n)] = '\0';
	} else {
		return NULL;
	}
	if (!realpath(want, real))
		return NULL;
	n = strlen(sb->root);
	if (strncmp(real, sb->root, n) != 0 ||
	    (real[n] != '/' && sb->root[n - 1] != '/'))
		return NULL;
	struct lps_doc *doc = NULL;
	struct lps_error *err = lps_doc_load_file(&doc, want, NULL);
	if (err)
		return err;
	return lps_schema_set_add(set, doc, uri, NULL);
}

/* Compile the schema file at path into a set of its own. */
static struct lps_error *compile_file(struct lps_schema_set **set,
				      const struct lps_schema **schema,
				      struct siblings *sb, const char *path)
{
	struct lps_doc *doc = NULL;
	struct lps_error *err = lps_doc_load_file(&doc, path, NULL);
	if (err)
		return err;
	char abs[PATH_MAX];
	char *uri = NULL;
	if (!realpath(path, abs))
		snprintf(abs, sizeof(abs), "%s", path);
	uri = malloc(strlen(abs) + 8);
	if (!uri) {
		lps_doc_free(doc);
		return lps_error_nomem();
	}
	sprintf(uri, "file://%s", abs);
	snprintf(sb->root, sizeof(sb->root), "%s", abs);
	char *slash = strrchr(sb->root, '/');
	if (slash)
		slash[slash == sb->root] = '\0';
	err = lps_schema_set_new(set);
	if (err) {
		lps_doc_free(doc);
		free(uri);
		return err;
	}
	lps_schema_set_set_loader(*set, load_sibling, sb);
	err = lps_schema_set_add(*set, doc, uri, schema);
	if (!err)
		err = lps_schema_set_resolve(*set);
	free(uri);
	return err;
}

/*
 * The schema name for file from its place in its portfolio, or NULL.
 */
static const char *place_of(const char *file)
{
	char abs[PATH_MAX], dir[PATH_MAX];
	struct lps_store *store = NULL;
	const char *name = NULL;

	if (!realpath(file, abs))
		return NULL;
	snprintf(dir, sizeof(dir), "%s", abs);
	char *slash = strrchr(dir, '/');
	if (!slash)
		return NULL;
	*slash = slash == dir ? '/' : '\0';
	if (slash == dir)
		slash[1] = '\0';
	struct lps_error *err = lps_store_open(&store, dir);
	if (err) {
		lps_error_free(err);
		return NULL;
	}
	const char *top = lps_store_workdir(store);
	char realtop[PATH_MAX];
	if (top && realpath(top, realtop)) {
		size_t n = strlen(realtop);
		if (strncmp(abs, realtop, n) == 0 && abs[n] == '/')
			name = lps_registry_schema_for_path(abs + n + 1);
	}
	lps_store_free(store);
	return name;
}

static void print_findings(const char *file, const struct lps_findings *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		const struct lps_finding *f = &fs->items[i];
		const char *sep = *f->path ? ": " : "";
		if (f->line)
			printf("%s:%u:%u: %s%s%s\n", file, f->line, f->col,
			       f->path, sep, f->message);
		else
			printf("%s: %s%s%s\n", file, f->path, sep, f->message);
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "schema", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *schema_arg = NULL;
	int verbose = 0, c, status = 0;
	const struct lps_registry *reg = NULL;
	struct lps_schema_set *own = NULL;
	const struct lps_schema *file_schema = NULL;
	struct siblings siblings;
	struct lps_error *err;

	lps_cli_begin(usage);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":s:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 's': schema_arg = optarg; break;
		case 'v': verbose = 1; break;
		case 'h': return lps_cli_help();
		case ':':
			return lps_cli_usage_error("option %s needs a value",
						   argv[optind - 1]);
		default:
			return lps_cli_usage_error("unknown option %s",
						   argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return lps_cli_usage_error("no file to validate");
	if ((err = lps_registry_get(&reg)))
		return lps_cli_fail(err);

	if (schema_arg && is_schema_file(schema_arg)) {
		struct stat st;
		if (stat(schema_arg, &st) != 0)
			return load_failed(lps_error_at(LPS_ESYS, schema_arg, 0,
							0, "cannot open: %s",
							"No such file or directory"));
		if ((err = compile_file(&own, &file_schema, &siblings,
					schema_arg))) {
			lps_schema_set_free(own);
			return load_failed(err);
		}
	} else if (schema_arg && !lps_registry_schema(reg, schema_arg)) {
		struct lps_buf names = LPS_BUF_INIT;
		for (size_t i = 0; i < lps_registry_count(reg); i++)
			lps_buf_addf(&names, " %s", lps_registry_name(reg, i));
		int r = lps_cli_usage_error("unknown schema '%s' (one of:%s)",
					    schema_arg,
					    names.data ? names.data : "");
		lps_buf_free(&names);
		return r;
	}

	for (int i = optind; i < argc; i++) {
		const char *file = argv[i];
		struct lps_doc *doc = NULL;
		struct lps_findings fs = LPS_FINDINGS_INIT;
		int valid = 0;

		if ((err = lps_doc_load_file(&doc, file, NULL))) {
			status = worst(status, load_failed(err));
			continue;
		}
		if (file_schema) {
			int r = lps_schema_validate(file_schema,
						    lps_doc_root(doc),
						    LPS_SCHEMA_FORMAT_ASSERT, &fs);
			if (r < 0)
				err = lps_error_nomem();
			valid = r == 1;
		} else {
			const char *name = schema_arg ? schema_arg
				: place_of(file);
			if (!name) {
				lps_cli_error("cannot tell which schema applies "
					      "to %s; use --schema", file);
				status = worst(status, LPS_EXIT_USAGE);
				lps_doc_free(doc);
				continue;
			}
			err = lps_registry_validate(&valid, &fs, reg, name,
						    lps_doc_root(doc));
		}
		if (err) {
			status = worst(status, lps_cli_fail(err));
		} else if (valid) {
			if (verbose)
				printf("%s: valid\n", file);
		} else {
			print_findings(file, &fs);
			status = worst(status, LPS_EXIT_NO);
		}
		lps_findings_free(&fs);
		lps_doc_free(doc);
	}
	lps_schema_set_free(own);
	return status;
}
