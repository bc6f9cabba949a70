/*
 * cli-git.c - lps_cli_begin: the start of a command that uses libgit2.
 * Apart from cli.c so that the front end, which never touches git, does
 * not link libgit2 (see cli.h).
 */
#include "cli.h"

#include <git2.h>
#include <stdlib.h>

static void shutdown_git(void)
{
	git_libgit2_shutdown();
}

void lps_cli_begin(const char *usage)
{
	lps_cli_usage(usage);
	git_libgit2_init();
	atexit(shutdown_git);
}
