/*
 * yaml2json.c - convert YAML files to JSON for the ajv-cli contender.
 *
 *	yaml2json OUTDIR PATH...
 *
 * Each PATH that is a file, and each *.yaml file directly inside each PATH
 * that is a directory, is written as OUTDIR/<name>.json (".yaml" dropped,
 * ".json" added).  ajv-cli reads YAML through js-yaml, which turns an
 * unquoted 2026-09-04 into a Date object, not the string lps (YAML 1.2
 * core schema) sees; converting first gives ajv the same data model as lps.
 *
 * Scalars are typed the way DESIGN section 3 says: only plain scalars are
 * typed; null, ~ and empty are null; true and false are booleans;
 * integers and floats by the 1.2 core patterns; everything else is a
 * string.  Keys are always strings.  Aliases, .inf and .nan have no JSON
 * form and are refused (the benchmark's files have none).
 *
 * Exit 0, 1 when a file could not be converted (message on stderr), 2 for
 * usage.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#define MAX_DEPTH 256

struct frame {
	int is_map;
	unsigned long count; /* items (or keys and values) written so far */
};

struct conv {
	FILE *out;
	struct frame stack[MAX_DEPTH];
	int depth;
};

static void put_string(FILE *out, const unsigned char *s, size_t len)
{
	size_t i;

	putc('"', out);
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\') {
			putc('\\', out);
			putc(c, out);
		} else if (c == '\n') {
			fputs("\\n", out);
		} else if (c == '\t') {
			fputs("\\t", out);
		} else if (c < 0x20) {
			fprintf(out, "\\u%04x", c);
		} else {
			putc(c, out);
		}
	}
	putc('"', out);
}

static int all_of(const char *s, const char *set)
{
	return *s != '\0' && s[strspn(s, set)] == '\0';
}

/* YAML 1.2 core float: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static int is_float(const char *s)
{
	const char *p = s;
	int digits = 0;

	if (*p == '-' || *p == '+')
		p++;
	while (*p >= '0' && *p <= '9') {
		p++;
		digits++;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			p++;
			digits++;
		}
	}
	if (!digits)
		return 0;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

/* Write a plain scalar with its 1.2 core type; -1 when it has no JSON
 * form. */
static int put_plain(FILE *out, const char *s, size_t len)
{
	const char *digits = s + (*s == '-' || *s == '+');

	if (len == 0 || !strcmp(s, "~") || !strcmp(s, "null") ||
	    !strcmp(s, "Null") || !strcmp(s, "NULL")) {
		fputs("null", out);
	} else if (!strcmp(s, "true") || !strcmp(s, "false")) {
		fputs(s, out);
	} else if (all_of(digits, "0123456789")) {
		/* The digits as written, less leading zeros (007 is 7). */
		while (digits[0] == '0' && digits[1] != '\0')
			digits++;
		fprintf(out, "%s%s", *s == '-' ? "-" : "", digits);
	} else if (!strncmp(s, "0o", 2) && all_of(s + 2, "01234567")) {
		fprintf(out, "%.0f", (double)strtoull(s + 2, NULL, 8));
	} else if (!strncmp(s, "0x", 2) &&
		   all_of(s + 2, "0123456789abcdefABCDEF")) {
		fprintf(out, "%.0f", (double)strtoull(s + 2, NULL, 16));
	} else if (is_float(s)) {
		fprintf(out, "%.17g", strtod(s, NULL));
	} else if (s[0] == '.' || ((s[0] == '-' || s[0] == '+') &&
				   s[1] == '.')) {
		const char *t = s + (s[0] != '.');

		if (!strcmp(t, ".inf") || !strcmp(t, ".Inf") ||
		    !strcmp(t, ".INF") || !strcmp(t, ".nan") ||
		    !strcmp(t, ".NaN") || !strcmp(t, ".NAN"))
			return -1;
		put_string(out, (const unsigned char *)s, len);
	} else {
		put_string(out, (const unsigned char *)s, len);
	}
	return 0;
}

/* Separator before a node, and ':' between a key and its value. */
static void before_node(struct conv *c)
{
	struct frame *f;

	if (c->depth == 0)
		return;
	f = &c->stack[c->depth - 1];
	if (f->count > 0)
		putc(f->is_map && f->count % 2 ? ':' : ',', c->out);
	f->count++;
}

static int in_key(const struct conv *c)
{
	const struct frame *f;

	if (c->depth == 0)
		return 0;
	f = &c->stack[c->depth - 1];
	return f->is_map && f->count % 2 == 0;
}

static int convert(const char *in_path, const char *out_path)
{
	FILE *in = fopen(in_path, "rb");
	struct conv c;
	yaml_parser_t parser;
	yaml_event_t ev;
	int done = 0, rc = 0;

	if (!in) {
		fprintf(stderr, "yaml2json: %s: %s\n", in_path, strerror(errno));
		return 1;
	}
	c.out = fopen(out_path, "wb");
	c.depth = 0;
	if (!c.out) {
		fprintf(stderr, "yaml2json: %s: %s\n", out_path,
			strerror(errno));
		fclose(in);
		return 1;
	}
	if (!yaml_parser_initialize(&parser)) {
		fprintf(stderr, "yaml2json: out of memory\n");
		fclose(in);
		fclose(c.out);
		return 1;
	}
	yaml_parser_set_input_file(&parser, in);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&parser, &ev)) {
			fprintf(stderr, "yaml2json: %s:%lu:%lu: %s\n", in_path,
				(unsigned long)parser.problem_mark.line + 1,
				(unsigned long)parser.problem_mark.column + 1,
				parser.problem ? parser.problem : "error");
			rc = 1;
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_SCALAR_EVENT: {
			const char *s = (const char *)ev.data.scalar.value;
			size_t len = ev.data.scalar.length;
			int key = in_key(&c);

			before_node(&c);
			if (key || ev.data.scalar.style !=
				   YAML_PLAIN_SCALAR_STYLE)
				put_string(c.out, ev.data.scalar.value, len);
			else if (put_plain(c.out, s, len) != 0) {
				fprintf(stderr, "yaml2json: %s:%lu: %s has "
					"no JSON form\n", in_path,
					(unsigned long)ev.start_mark.line + 1,
					s);
				rc = 1;
			}
			break;
		}
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (c.depth == MAX_DEPTH) {
				fprintf(stderr, "yaml2json: %s:%lu: nested "
					"too deep\n", in_path,
					(unsigned long)ev.start_mark.line + 1);
				rc = 1;
				break;
			}
			before_node(&c);
			c.stack[c.depth].is_map =
				ev.type == YAML_MAPPING_START_EVENT;
			c.stack[c.depth].count = 0;
			c.depth++;
			putc(ev.type == YAML_MAPPING_START_EVENT ? '{' : '[',
			     c.out);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			c.depth--;
			putc(ev.type == YAML_MAPPING_END_EVENT ? '}' : ']',
			     c.out);
			break;
		case YAML_ALIAS_EVENT:
			fprintf(stderr, "yaml2json: %s:%lu: aliases are not "
				"supported\n", in_path,
				(unsigned long)ev.start_mark.line + 1);
			rc = 1;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	fclose(in);
	putc('\n', c.out);
	if (fclose(c.out) != 0) {
		fprintf(stderr, "yaml2json: %s: write failed\n", out_path);
		rc = 1;
	}
	return rc;
}

static int convert_one(const char *outdir, const char *path)
{
	const char *base = strrchr(path, '/');
	char out[4096];
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".yaml"))
		n -= 5;
	if (snprintf(out, sizeof(out), "%s/%.*s.json", outdir, (int)n,
		     base) >= (int)sizeof(out)) {
		fprintf(stderr, "yaml2json: %s: name too long\n", path);
		return 1;
	}
	return convert(path, out);
}

static int convert_dir(const char *outdir, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	int rc = 0;

	if (!d) {
		fprintf(stderr, "yaml2json: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);

		if (e->d_name[0] == '.' || n <= 5 ||
		    strcmp(e->d_name + n - 5, ".yaml") != 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >=
		    (int)sizeof(path))
			continue;
		rc |= convert_one(outdir, path);
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	struct stat st;
	int i, rc = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: yaml2json OUTDIR PATH...\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			rc |= convert_dir(argv[1], argv[i]);
		else
			rc |= convert_one(argv[1], argv[i]);
	}
	return rc;
}
