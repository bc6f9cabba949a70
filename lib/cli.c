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
