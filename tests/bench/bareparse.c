/*
 * bareparse.c - the floor of the benchmark: a bare libyaml event parse.
 *
 *	bareparse PATH...
 *
 * For each PATH that is a file, and for each regular file directly inside
 * each PATH that is a directory, read the file with one read() into a
 * reused buffer and run libyaml's event parser over it to the end,
 * building nothing.  Single-threaded, on purpose: it is the cost of
 * looking at every byte once with the same parser lps uses, and `lps
 * check` (which also builds trees and validates them) is measured against
 * it.
 *
 * Exit 0 when every file parsed, 1 when one did not parse (the error goes
 * to stderr, the other files are still parsed), 2 for usage, 4 when a file
 * or directory cannot be read.  With -v it prints how many files, bytes
 * and events it saw, which the benchmark uses to show the two contenders
 * read the same input.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

/* Far above the benchmark's documents; lps's own loader stops at 8 MiB. */
#define MAX_FILE (64u * 1024 * 1024)

struct stats {
	unsigned long files, events;
	unsigned long long bytes;
	int status;
};

static unsigned char *buf;
static size_t buf_cap;

/* The whole file into buf; returns its length, or -1 (message printed). */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	size_t len = 0;

	if (fd < 0 || fstat(fd, &st) != 0) {
		fprintf(stderr, "bareparse: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if ((unsigned long long)st.st_size > MAX_FILE) {
		fprintf(stderr, "bareparse: %s: larger than %u bytes\n", path,
			MAX_FILE);
		close(fd);
		return -1;
	}
	if ((size_t)st.st_size + 1 > buf_cap) {
		size_t cap = (size_t)st.st_size + 1 > 65536 ?
			(size_t)st.st_size + 1 : 65536;
		unsigned char *p = realloc(buf, cap);

		if (!p) {
			fprintf(stderr, "bareparse: out of memory\n");
			close(fd);
			return -1;
		}
		buf = p;
		buf_cap = cap;
	}
	/* A file may still grow or shrink while we read: read until EOF or
	 * the buffer is full, whichever comes first. */
	for (;;) {
		ssize_t n = read(fd, buf + len, buf_cap - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "bareparse: %s: %s\n", path,
				strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0 || (len += (size_t)n) == buf_cap)
			break;
	}
	close(fd);
	return (long)len;
}

static void parse_file(struct stats *s, const char *path)
{
	yaml_parser_t parser;
	yaml_event_t event;
	long len = slurp(path);
	int done = 0;

	if (len < 0) {
		s->status = 4;
		return;
	}
	if (!yaml_parser_initialize(&parser)) {
		fprintf(stderr, "bareparse: out of memory\n");
		s->status = 4;
		return;
	}
	yaml_parser_set_input_string(&parser, buf, (size_t)len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &event)) {
			fprintf(stderr, "bareparse: %s:%lu:%lu: %s\n", path,
				(unsigned long)parser.problem_mark.line + 1,
				(unsigned long)parser.problem_mark.column + 1,
				parser.problem ? parser.problem : "error");
			if (s->status == 0)
				s->status = 1;
			break;
		}
		done = event.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&event);
		s->events++;
	}
	yaml_parser_delete(&parser);
	s->files++;
	s->bytes += (unsigned long long)len;
}

static void parse_dir(struct stats *s, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	struct stat st;

	if (!d) {
		fprintf(stderr, "bareparse: %s: %s\n", dir, strerror(errno));
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
			parse_file(s, path);
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	struct stats s = { 0, 0, 0, 0 };
	int i = 1, verbose = 0;
	struct stat st;

	if (i < argc && strcmp(argv[i], "-v") == 0) {
		verbose = 1;
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: bareparse [-v] PATH...\n");
		return 2;
	}
	for (; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			parse_dir(&s, argv[i]);
		else
			parse_file(&s, argv[i]);
	}
	free(buf);
	if (verbose)
		printf("%lu files, %llu bytes, %lu events\n", s.files, s.bytes,
		       s.events);
	return s.status;
}
