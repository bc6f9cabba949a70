/*
 * cli.h - the one error voice and the small pieces every cmd/ program
 * shares: messages on stderr as "lps: error: ..." / "lps: warning: ...",
 * exit statuses of DESIGN section 7, --help and usage errors.
 *
 * These are the only lib functions that print; cmd/ programs call them.
 */
#ifndef LPS_CLI_H
#define LPS_CLI_H

#include <stdio.h>
#include "error.h"

/*
 * Remember the command's usage text (the first lines, up to the first
 * blank line, are the synopsis shown after a usage error; the whole text
 * is --help).  NULL is the empty text.
 */
void lps_cli_usage(const char *usage);

/*
 * Start a command: lps_cli_usage(usage), then initialise libgit2 (shut
 * down at exit).  In cli-git.c, so that a program that only calls
 * lps_cli_usage (the lps front end) neither loads libgit2 nor pays for
 * its start-up (which reads the whole CA bundle: about 4 ms).
 */
void lps_cli_begin(const char *usage);

/*
 * lps_cli_begin, with libgit2 started on another thread while work(arg)
 * runs on this one, for a command with start-up work of its own that
 * needs no libgit2 (lps check compiles its schemas meanwhile).  Both are
 * done when it returns; when no thread can be started they run in turn.
 */
void lps_cli_begin_with(const char *usage, void (*work)(void *),
			void *arg);

/* Print the whole usage text to stdout; returns 0 (the exit status). */
int lps_cli_help(void);

/*
 * Print "lps: error: MESSAGE" and the synopsis to stderr; returns 2.
 */
int lps_cli_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/*
 * Print err as "lps: error: file:line:col: message" on stderr, free it,
 * and return its exit status (1, 2, 3 or 4).  NULL prints nothing and
 * returns 0.
 */
int lps_cli_fail(struct lps_error *err);

/* "lps: error: ..." / "lps: warning: ..." on stderr. */
void lps_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lps_cli_warning(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/*
 * Index of value in the NULL-terminated list `allowed`, or -1 after
 * printing a usage error naming the option and the allowed values.
 */
int lps_cli_choice(const char *option, const char *value,
		   const char *const *allowed);

/* Returned by lps_cli_parse when the command should go on. */
#define LPS_CLI_GO_ON (-1)
/* Room in the list of an option that may be repeated. */
#define LPS_CLI_MAX_REPEAT 50

/*
 * One long option of a command, for lps_cli_parse; a table of them ends
 * with a NULL name.  Exactly one of val, list or flag is set: a value
 * (the last one given wins), a repeated value (each appended to list,
 * which has room for LPS_CLI_MAX_REPEAT, counted in *nlist) or a flag
 * (set to 1; it takes no value).
 */
struct lps_cli_opt {
	const char *name;   /* "--due" */
	const char **val;
	const char **list;
	size_t *nlist;
	int *flag;
};

/*
 * Parse argv[0..argc) against opts: options may come before, between
 * and after the arguments, as "--name value" or "--name=value"; "--"
 * ends the options and "-" is an argument.  The arguments go to pos
 * (room for maxpos), counted in *npos.  Returns LPS_CLI_GO_ON, or an
 * exit status after printing the help (-h, --help: 0) or a usage error
 * (2: unknown option, missing value, a value for a flag, too many
 * arguments or repeats).  The values point into argv.
 */
int lps_cli_parse(int argc, char **argv, const struct lps_cli_opt *opts,
		  const char **pos, size_t maxpos, size_t *npos);

/* 1 when stdout is a terminal and NO_COLOR is unset (colour allowed). */
int lps_cli_color(void);

#endif
