/*
 * error.h - the error value every fallible lps function returns.
 *
 * A function that can fail returns `struct lps_error *`: NULL on success,
 * otherwise a heap-allocated error owned by the caller, who either returns
 * it further up or releases it with lps_error_free().  Library code never
 * prints and never exits; only cmd/ turns an error into a message and an
 * exit status (DESIGN section 7).
 *
 * Allocation failure while building an error yields a static "out of
 * memory" error; lps_error_free() recognises it and does nothing.
 */
#ifndef LPS_ERROR_H
#define LPS_ERROR_H

#include <stdarg.h>

/* Error codes; each maps to one exit status (lps_error_exit_status). */
enum lps_error_code {
	LPS_EINVALID = 1,  /* the answer is no: invalid document, not found, gate */
	LPS_ENOTFOUND,     /* something named does not exist (exit 1) */
	LPS_EUSAGE,        /* bad command line (exit 2) */
	LPS_EREFUSED,      /* refused to protect data (exit 3) */
	LPS_ECONFLICT,     /* lost a race after retries (exit 3) */
	LPS_ESYS,          /* I/O, libgit2, out of memory (exit 4) */
	LPS_ENOMEM,        /* out of memory (exit 4) */
};

/* Exit statuses of DESIGN section 7. */
enum {
	LPS_EXIT_OK = 0,
	LPS_EXIT_NO = 1,
	LPS_EXIT_USAGE = 2,
	LPS_EXIT_REFUSED = 3,
	LPS_EXIT_SYSTEM = 4,
};

struct lps_error {
	enum lps_error_code code;
	char *msg;     /* what is wrong, lower-case, no trailing newline */
	char *file;    /* file the error is about, or NULL */
	unsigned line; /* 1-based line in file, 0 when unknown */
	unsigned col;  /* 1-based column in file, 0 when unknown */
};

/* Make an error with a printf-style message.  Never returns NULL. */
struct lps_error *lps_error_new(enum lps_error_code code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
struct lps_error *lps_error_newv(enum lps_error_code code, const char *fmt,
				 va_list ap);

/* Make an error located at file:line:col (file may be NULL, line/col 0). */
struct lps_error *lps_error_at(enum lps_error_code code, const char *file,
			       unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* The shared out-of-memory error (static; freeing it is a no-op). */
struct lps_error *lps_error_nomem(void);

/*
 * Prefix the message of err with "<prefix>: " (printf-style), keeping code
 * and location.  Returns err (possibly reallocated).
 */
struct lps_error *lps_error_wrap(struct lps_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Set the file of err when it has none (copies file).  Returns err. */
struct lps_error *lps_error_set_file(struct lps_error *err, const char *file);

/* Exit status for an error; 0 for NULL. */
int lps_error_exit_status(const struct lps_error *err);

/*
 * Format err as one line without the "lps: error: " prefix:
 * "file:line:col: message", "file: message" or "message".
 * Returns a malloc'd string the caller frees, or NULL on allocation failure.
 */
char *lps_error_format(const struct lps_error *err);

void lps_error_free(struct lps_error *err);

#endif
