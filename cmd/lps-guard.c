/*
 * lps-guard - the pre-receive hook of a roundtable repository.  git runs
 * it in the bare repository with one "OLD NEW REFNAME" line per ref the
 * push updates on stdin; any refusal rejects the whole push.  Each
 * refusal is one line on stderr, which the pushing user sees as
 * "remote: lps-guard: ...".  The rules are in lib/guard.h and
 * lps-guard(1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "guard.h"
#include "registry.h"

static const char usage[] =
	"usage: lps-guard [GIT-DIR] < pre-receive-input\n"
	"\n"
	"The pre-receive hook of a roundtable repository (installed with\n"
	"lps roundtable install-guard PATH).  Reads \"OLD NEW REFNAME\" lines\n"
	"on stdin and refuses, one line each, pushes that break the\n"
	"roundtable's rules; exit 1 when anything is refused.\n"
	"\n"
	"    GIT-DIR      the repository (default: $GIT_DIR, else .)\n"
	"    -h, --help   show this help\n";

/* "refs/heads/members/ada" -> "members/ada", as the pusher names it. */
static const char *short_name(const char *ref)
{
	return strncmp(ref, "refs/heads/", 11) == 0 ? ref + 11 : ref;
}

static void refuse(const char *ref, const struct lps_error *err)
{
	char *s = lps_error_format(err);
	fprintf(stderr, "lps-guard: refusing %s: %s\n", short_name(ref),
		s ? s : "out of memory");
	free(s);
}

int main(int argc, char **argv)
{
	const char *gitdir = NULL;
	lps_cli_begin(usage);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return lps_cli_help();
		if (argv[i][0] == '-' && argv[i][1])
			return lps_cli_usage_error("unknown option %s",
						   argv[i]);
		if (gitdir)
			return lps_cli_usage_error("unexpected argument '%s'",
						   argv[i]);
		gitdir = argv[i];
	}
	if (!gitdir)
		gitdir = getenv("GIT_DIR");
	if (!gitdir || !*gitdir)
		gitdir = ".";

	git_repository *repo = NULL;
	const struct lps_registry *reg = NULL;
	struct lps_error *err = lps_guard_open(&repo, gitdir,
					       getenv("GIT_OBJECT_DIRECTORY"),
					       getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES"));
	if (!err)
		err = lps_registry_get(&reg);
	if (err) {
		/* Fail closed: a guard that cannot look lets nothing in. */
		char *s = lps_error_format(err);
		fprintf(stderr, "lps-guard: refusing the push: %s\n",
			s ? s : "out of memory");
		free(s);
		int rc = lps_error_exit_status(err);
		lps_error_free(err);
		git_repository_free(repo);
		return rc;
	}

	char line[LPS_GUARD_MAX_LINE + 2];
	int refused = 0;
	while (fgets(line, sizeof(line), stdin)) {
		size_t n = strlen(line);
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		else if (!feof(stdin)) {
			fprintf(stderr, "lps-guard: refusing the push: hook "
				"input line longer than %d bytes\n",
				LPS_GUARD_MAX_LINE);
			refused = 1;
			break;
		}
		git_oid old, new_oid;
		const char *ref;
		err = lps_guard_parse_line(&old, &new_oid, &ref, line);
		if (err) {
			fprintf(stderr, "lps-guard: refusing the push: %s\n",
				err->msg);
			lps_error_free(err);
			refused = 1;
			continue;
		}
		err = lps_guard_check_update(repo, reg, ref, &old, &new_oid);
		if (err) {
			refuse(ref, err);
			lps_error_free(err);
			refused = 1;
		}
	}
	git_repository_free(repo);
	return refused ? LPS_EXIT_NO : LPS_EXIT_OK;
}
