#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct lps_error nomem_error = {
	.code = LPS_ENOMEM, .msg = "out of memory",
};

struct lps_error *lps_error_nomem(void)
{
	return &nomem_error;
}

static char *vformat(const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return NULL;
	char *s = malloc((size_t)n + 1);
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

struct lps_error *lps_error_newv(enum lps_error_code code, const char *fmt,
				 va_list ap)
{
	struct lps_error *e = calloc(1, sizeof(*e));
	if (!e)
		return &nomem_error;
	e->code = code;
	e->msg = vformat(fmt, ap);
	if (!e->msg) {
		free(e);
		return &nomem_error;
	}
	return e;
}

struct lps_error *lps_error_new(enum lps_error_code code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct lps_error *e = lps_error_newv(code, fmt, ap);
	va_end(ap);
	return e;
}

struct lps_error *lps_error_at(enum lps_error_code code, const char *file,
			       unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct lps_error *e = lps_error_newv(code, fmt, ap);
	va_end(ap);
	if (e == &nomem_error)
		return e;
	e->line = line;
	e->col = col;
	if (file) {
		e->file = strdup(file);
		if (!e->file) {
			lps_error_free(e);
			return &nomem_error;
		}
	}
	return e;
}

struct lps_error *lps_error_wrap(struct lps_error *err, const char *fmt, ...)
{
	if (!err || err == &nomem_error)
		return err;
	va_list ap;
	va_start(ap, fmt);
	char *prefix = vformat(fmt, ap);
	va_end(ap);
	if (!prefix)
		return err;
	size_t n = strlen(prefix) + 2 + strlen(err->msg) + 1;
	char *msg = malloc(n);
	if (msg) {
		snprintf(msg, n, "%s: %s", prefix, err->msg);
		free(err->msg);
		err->msg = msg;
	}
	free(prefix);
	return err;
}

struct lps_error *lps_error_set_file(struct lps_error *err, const char *file)
{
	if (!err || err == &nomem_error || err->file || !file)
		return err;
	err->file = strdup(file);
	return err;
}

int lps_error_exit_status(const struct lps_error *err)
{
	if (!err)
		return LPS_EXIT_OK;
	switch (err->code) {
	case LPS_EINVALID:
	case LPS_ENOTFOUND:
		return LPS_EXIT_NO;
	case LPS_EUSAGE:
		return LPS_EXIT_USAGE;
	case LPS_EREFUSED:
	case LPS_ECONFLICT:
		return LPS_EXIT_REFUSED;
	case LPS_ESYS:
	case LPS_ENOMEM:
		return LPS_EXIT_SYSTEM;
	}
	return LPS_EXIT_SYSTEM;
}

char *lps_error_format(const struct lps_error *err)
{
	if (!err)
		return NULL;
	const char *msg = err->msg ? err->msg : "unknown error";
	size_t n = strlen(msg) + (err->file ? strlen(err->file) : 0) + 64;
	char *s = malloc(n);
	if (!s)
		return NULL;
	if (err->file && err->line)
		snprintf(s, n, "%s:%u:%u: %s", err->file, err->line,
			 err->col ? err->col : 1, msg);
	else if (err->file)
		snprintf(s, n, "%s: %s", err->file, msg);
	else
		snprintf(s, n, "%s", msg);
	return s;
}

void lps_error_free(struct lps_error *err)
{
	if (!err || err == &nomem_error)
		return;
	free(err->msg);
	free(err->file);
	free(err);
}
