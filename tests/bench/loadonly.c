/*
 * loadonly.c - a diagnostic for the benchmark: lps's loader alone.
 *
 *	loadonly [-v] PATH...
 *
 * Like bareparse (same arguments, same single thread), but each file goes
 * through lps_doc_load(), which builds the typed tree with line and column
 * marks, and the tree is freed again.  Set beside the bare parse and `lps
 * check`, it tells how the time of a check divides between building
 * trees and the rest (validation, cross-references, output).  Built by
 * run.sh only when it finds liblps.a (LPS_LIB).
 *
 * Exit 0 when every file loaded, 1 when one did not (the error goes to
 * stderr), 2 for usage, 4 when a file or directory cannot be read.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "doc.h"
#include "error.h"

struct stats {
	unsigned long files;
	int status;
};

static void load_file(struct stats *s, const char *path)
{
	struct lps_doc *doc = NULL;
	struct lps_error *err = lps_doc_load_file(&doc, path, NULL);

	if (err) {
		char *msg = lps_error_format(err);

		fprintf(stderr, "loadonly: %s\n", msg ? msg : err->msg);
		free(msg);
		if (s->status == 0)
			s->status = lps_error_exit_status(err);
		lps_error_free(err);
		return;
	}
	lps_doc_free(doc);
	s->files++;
}

static void load_dir(struct stats *s, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	struct stat st;

	if (!d) {
		fprintf(stderr, "loadonly: %s: %s\n", dir, strerror(errno));
		s->status = 4;
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >=
		    (int)sizeof(path))
			continue;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			load_file(s, path);
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	struct stats s = { 0, 0 };
	int i = 1, verbose = 0;
	struct stat st;

	if (i < argc && strcmp(argv[i], "-v") == 0) {
		verbose = 1;
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: loadonly [-v] PATH...\n");
		return 2;
	}
	for (; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			load_dir(&s, argv[i]);
		else
			load_file(&s, argv[i]);
	}
	if (verbose)
		printf("%lu files loaded\n", s.files);
	return s.status;
}
