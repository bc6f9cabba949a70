#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *cli_usage = "";

void lps_cli_usage(const char *usage)
{
	cli_usage = usage ? usage : "";
}

int lps_cli_help(void)
{
	fputs(cli_usage, stdout);
	if (*cli_usage && cli_usage[strlen(cli_usage) - 1] != '\n')
		fputc('\n', stdout);
	return 0;
}

static void synopsis(FILE *f)
{
	const char *end = strstr(cli_usage, "\n\n");
	size_t n = end ? (size_t)(end - cli_usage) + 1 : strlen(cli_usage);
	fwrite(cli_usage, 1, n, f);
	if (n && cli_usage[n - 1] != '\n')
		fputc('\n', f);
}

static void vmessage(const char *kind, const char *fmt, va_list ap)
{
	fprintf(stderr, "lps: %s: ", kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int lps_cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage("error", fmt, ap);
	va_end(ap);
	synopsis(stderr);
	return LPS_EXIT_USAGE;
}

void lps_cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage("error", fmt, ap);
	va_end(ap);
}

void lps_cli_warning(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage("warning", fmt, ap);
	va_end(ap);
}

int lps_cli_fail(struct lps_error *err)
{
	if (!err)
		return 0;
	int status = lps_error_exit_status(err);
	char *s = lps_error_format(err);
	fprintf(stderr, "lps: error: %s\n", s ? s : "out of memory");
	free(s);
	lps_error_free(err);
	return status;
}

int lps_cli_choice(const char *option, const char *value,
		   const char *const *allowed)
{
	for (int i = 0; allowed[i]; i++)
		if (strcmp(value, allowed[i]) == 0)
			return i;
	fprintf(stderr, "lps: error: %s: unknown value '%s' (one of:", option,
		value);
	for (int i = 0; allowed[i]; i++)
		fprintf(stderr, " %s", allowed[i]);
	fputs(")\n", stderr);
	synopsis(stderr);
	return -1;
}

int lps_cli_color(void)
{
	const char *nc = getenv("NO_COLOR");
	return isatty(STDOUT_FILENO) && !(nc && *nc);
}

/* The option of opts that argument a ("--name" or "--name=...") names. */
static const struct lps_cli_opt *find_opt(const struct lps_cli_opt *opts,
					  const char *a, size_t nlen)
{
	for (; opts->name; opts++)
		if (strlen(opts->name) == nlen && !strncmp(opts->name, a, nlen))
			return opts;
	return NULL;
}

int lps_cli_parse(int argc, char **argv, const struct lps_cli_opt *opts,
		  const char **pos, size_t maxpos, size_t *npos)
{
	int only_args = 0;
	*npos = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (only_args || a[0] != '-' || !a[1]) {
			if (*npos == maxpos)
				return lps_cli_usage_error("too many arguments");
			pos[(*npos)++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_args = 1;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			return lps_cli_help();
		size_t nlen = strcspn(a, "=");
		const struct lps_cli_opt *o = find_opt(opts, a, nlen);
		if (!o)
			return lps_cli_usage_error("unknown option %s", a);
		if (o->flag) {
			if (a[nlen] == '=')
				return lps_cli_usage_error("%s takes no value",
							   o->name);
			*o->flag = 1;
			continue;
		}
		const char *v;
		if (a[nlen] == '=')
			v = a + nlen + 1;
		else if (i + 1 < argc)
			v = argv[++i];
		else
			return lps_cli_usage_error("option %s needs a value",
						   o->name);
		if (o->val) {
			*o->val = v;
		} else {
			if (*o->nlist == LPS_CLI_MAX_REPEAT)
				return lps_cli_usage_error("too many %s",
							   o->name);
			o->list[(*o->nlist)++] = v;
		}
	}
	return LPS_CLI_GO_ON;
}
