/*
 * fixture.h - what the unit tests that need a portfolio share: ok() and
 * expect_err() for lps errors, and setup/teardown making a portfolio
 * (cycle 2026-2027, identity in the repository's own config) in a new
 * folder tmp, at dir.  Define FIXTURE_NAME ("feedback") before including
 * it; it names the temporary folder.  One program per test file, so the
 * static data here is that file's own.
 */
#ifndef LPS_TEST_FIXTURE_H
#define LPS_TEST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <git2.h>
#include "error.h"
#include "portfolio.h"
#include "errassert.h"

static char tmp[64];
static char dir[128];

/* A portfolio in a new folder tmp (tmp[0] is 0 if none was made);
 * 0, or -1. */
static inline int start_portfolio(void)
{
	strcpy(tmp, "/tmp/lps-" FIXTURE_NAME "-test.XXXXXX");
	if (!mkdtemp(tmp)) {
		tmp[0] = '\0';
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s/p", tmp);
	/* the identity lives in the repository's own config */
	git_repository *repo = NULL;
	git_repository_init_options io;
	git_repository_init_options_init(&io,
					 GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	io.flags = GIT_REPOSITORY_INIT_MKPATH;
	io.initial_head = "main";
	git_config *cfg = NULL;
	int bad = git_repository_init_ext(&repo, dir, &io) < 0 ||
		  git_repository_config(&cfg, repo) < 0 ||
		  git_config_set_string(cfg, "user.name", "Ada Leader") < 0 ||
		  git_config_set_string(cfg, "user.email",
					"ada@example.org") < 0;
	git_config_free(cfg);
	git_repository_free(repo);
	if (bad)
		return -1;
	struct lps_init_opts o = {
		.dir = dir, .name = "Ada", .role = "principal",
		.cycle = "2026-2027",
	};
	struct lps_error *err = lps_portfolio_init(&o, NULL, NULL);
	if (err) {
		char *s = lps_error_format(err);
		print_error("lps_portfolio_init: %s\n", s ? s : "?");
		free(s);
		lps_error_free(err);
		return -1;
	}
	return 0;
}

static inline int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static inline int setup(void **state)
{
	if (start_portfolio() == 0)
		return 0;
	if (tmp[0])
		teardown(state);
	return -1;
}

#endif
