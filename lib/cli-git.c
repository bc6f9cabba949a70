/*
 * cli-git.c - lps_cli_begin: the start of a command that uses libgit2.
 * Apart from cli.c so that the front end, which never touches git, does
 * not link libgit2 (see cli.h).
 */
#include "cli.h"

#include <git2.h>
#include <pthread.h>
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

static void *init_git(void *arg)
{
	(void)arg;
	git_libgit2_init();
	return NULL;
}

void lps_cli_begin_with(const char *usage, void (*work)(void *), void *arg)
{
	pthread_t t;
	lps_cli_usage(usage);
	int threaded = pthread_create(&t, NULL, init_git, NULL) == 0;
	if (!threaded)
		git_libgit2_init();
	work(arg);
	if (threaded)
		pthread_join(t, NULL);
	atexit(shutdown_git);
}
