/*
 * lps - the front end.  It finds the program lps-<name> and runs it, the
 * way git finds git-<name>: along $LPS_EXEC_PATH, then the install libexec
 * folder, then the folder of this binary (so ./lps works in the build
 * tree), then $PATH.  Users add their own commands by dropping an lps-foo
 * program on one of those paths.  It also answers --version and help.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"

#ifndef LPS_VERSION
#define LPS_VERSION "0.0.0"
#endif
#ifndef LPS_LIBEXECDIR
#define LPS_LIBEXECDIR "/usr/local/libexec/lps"
#endif

/*
 * The commands that ship with lps, in the order `lps help` shows them.
 * A new command is one line here (plus its man page, completions and
 * README section, which tests/cli/t0050-docs.sh checks).
 */
static const struct command {
	const char *name;
	const char *summary;
} commands[] = {
	{ "init", "create a portfolio (or adopt a git repository)" },
	{ "status", "one screen: phase, goals and progress, what is missing" },
	{ "phase", "show the phase and its gate; advance to the next" },
	{ "purpose", "show or set the purpose of the cycle" },
	{ "goal", "add, list, show, edit and measure goals" },
	{ "action", "plan action steps of goals and mark them done" },
	{ "structure", "name the partner, roundtable and other groups" },
	{ "evidence", "attach files or record evidence for goals" },
	{ "reflect", "write a reflection, from a prompt or freely" },
	{ "reflection", "list and show reflections" },
	{ "feedback", "record feedback received; give feedback to a member" },
	{ "assess", "self-assess against a standard of a framework" },
	{ "framework", "list, show, add and remove frameworks" },
	{ "report", "status, progress, coverage, timeline, exhibit and roundtable reports" },
	{ "roundtable", "join a roundtable; members, meetings, the guard" },
	{ "push", "publish the shared part of the portfolio to the roundtable" },
	{ "pull", "fetch the roundtable; replay your other machine's commits" },
	{ "validate", "validate YAML or JSON files against a schema" },
	{ "check", "check every document of the portfolio" },
	{ "log", "show the portfolio's history from commit trailers" },
	{ NULL, NULL },
};

/*
 * Programs that ship with lps but that nobody types day to day: a git
 * server runs them.  `lps help` lists them under their own heading, not
 * among the commands nor among the user's own lps-* programs; `lps help
 * NAME` shows their manual and `lps NAME` runs them like any command
 * (handy to try the guard on a repository by hand).
 */
static const struct command server_programs[] = {
	{ "guard", "the roundtable's pre-receive hook (roundtable install-guard)" },
	{ NULL, NULL },
};

static const char usage[] =
	"usage: lps [-C DIR] [--version] [--help] <command> [<args>]\n"
	"       lps help [<command>]\n"
	"\n"
	"  -C DIR       run as if lps was started in DIR\n"
	"  --version    print the version and exit\n"
	"  -h, --help   print this help and the list of commands\n";

/* Longest command name we look for; longer ones cannot be ours. */
#define MAX_NAME 64
/* How many near names an unknown command suggests. */
#define MAX_HINTS 3
/* How many extra lps-* programs the listing collects. */
#define MAX_EXTRA 256

static int in_table(const struct command *table, const char *name)
{
	for (const struct command *c = table; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return 1;
	return 0;
}

/* Shipped with lps: a command or a server-side program. */
static int is_builtin(const char *name)
{
	return in_table(commands, name) || in_table(server_programs, name);
}

/* A name we would look up as lps-<name>: no slash, not an option. */
static int valid_name(const char *name)
{
	size_t n = strlen(name);
	return n > 0 && n <= MAX_NAME && name[0] != '-' && name[0] != '.' &&
	       !strchr(name, '/');
}

static int is_executable(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, X_OK) == 0;
}

/*
 * The folder holding this binary: /proc/self/exe when the system has it,
 * else argv[0] when it names a path.  NULL when neither tells us (then
 * $PATH found us and is searched anyway).  The caller frees the result.
 */
static char *self_dir(const char *argv0)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	char *path = NULL;
	if (n > 0) {
		buf[n] = '\0';
		path = strdup(buf);
	} else if (argv0 && argv0[0] == '/') {
		path = strdup(argv0);
	} else if (argv0 && strchr(argv0, '/') && getcwd(buf, sizeof(buf))) {
		/* Absolute, so that -C does not change what it means. */
		struct lps_buf b = LPS_BUF_INIT;
		if (lps_buf_addf(&b, "%s/%s", buf, argv0) == 0)
			path = lps_buf_detach(&b, NULL);
		lps_buf_free(&b);
	}
	if (!path)
		return NULL;
	char *slash = strrchr(path, '/');
	if (slash == path)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	return path;
}

/*
 * The search path as one colon-separated string, in the order of DESIGN
 * section 2.  Returns a malloc'd string or NULL when out of memory.
 */
static char *search_path(const char *selfdir)
{
	struct lps_buf b = LPS_BUF_INIT;
	const char *parts[4] = {
		getenv("LPS_EXEC_PATH"), LPS_LIBEXECDIR, selfdir,
		getenv("PATH"),
	};
	for (int i = 0; i < 4; i++) {
		if (!parts[i] || !*parts[i])
			continue;
		if ((b.len && lps_buf_addc(&b, ':') < 0) ||
		    lps_buf_adds(&b, parts[i]) < 0) {
			lps_buf_free(&b);
			return NULL;
		}
	}
	if (!b.data && lps_buf_adds(&b, "") < 0)
		return NULL;
	return lps_buf_detach(&b, NULL);
}

/*
 * Find lps-<name> along path.  Returns the malloc'd full path, or NULL
 * when there is none (or no memory, which we treat the same: the caller
 * then says the command is unknown, which is wrong but harmless).
 */
static char *find_program(const char *path, const char *name)
{
	const char *p = path;
	while (*p) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > 0) {
			struct lps_buf b = LPS_BUF_INIT;
			if (lps_buf_add(&b, p, len) == 0 &&
			    lps_buf_addf(&b, "/lps-%s", name) == 0 &&
			    is_executable(b.data))
				return lps_buf_detach(&b, NULL);
			lps_buf_free(&b);
		}
		p += len;
		if (*p == ':')
			p++;
	}
	return NULL;
}

/* lps-* programs along path that are not built in, sorted, deduplicated. */
struct extras {
	char *name[MAX_EXTRA];
	size_t n;
};

static int has_extra(const struct extras *x, const char *name)
{
	for (size_t i = 0; i < x->n; i++)
		if (strcmp(x->name[i], name) == 0)
			return 1;
	return 0;
}

static void scan_dir(struct extras *x, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) && x->n < MAX_EXTRA) {
		const char *name = e->d_name;
		if (strncmp(name, "lps-", 4) != 0 || !valid_name(name + 4) ||
		    is_builtin(name + 4) || has_extra(x, name + 4))
			continue;
		struct lps_buf b = LPS_BUF_INIT;
		if (lps_buf_addf(&b, "%s/%s", dir, name) == 0 &&
		    is_executable(b.data)) {
			char *copy = strdup(name + 4);
			if (copy)
				x->name[x->n++] = copy;
		}
		lps_buf_free(&b);
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void find_extras(struct extras *x, const char *path)
{
	x->n = 0;
	const char *p = path;
	while (*p) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > 0) {
			char *dir = strndup(p, len);
			if (dir) {
				scan_dir(x, dir);
				free(dir);
			}
		}
		p += len;
		if (*p == ':')
			p++;
	}
	qsort(x->name, x->n, sizeof(x->name[0]), cmp_str);
}

static void free_extras(struct extras *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->name[i]);
	x->n = 0;
}

static int list_commands(const char *path)
{
	fputs(usage, stdout);
	fputs("\ncommands:\n", stdout);
	for (const struct command *c = commands; c->name; c++)
		printf("  %-10s  %s\n", c->name, c->summary);
	fputs("\nserver-side programs (run by a git server, not by hand):\n",
	      stdout);
	for (const struct command *c = server_programs; c->name; c++)
		printf("  lps-%-6s  %s\n", c->name, c->summary);
	struct extras x;
	find_extras(&x, path);
	if (x.n) {
		fputs("\nother lps-* programs on the search path:\n", stdout);
		for (size_t i = 0; i < x.n; i++)
			printf("  %s\n", x.name[i]);
	}
	free_extras(&x);
	fputs("\nSee 'lps help <command>' for the manual of a command.\n",
	      stdout);
	return 0;
}

/*
 * Edit distance with adjacent transpositions (optimal string alignment),
 * so "lgo" is one step from "log".  Names are at most MAX_NAME bytes.
 */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > MAX_NAME || lb > MAX_NAME)
		return (size_t)-1;
	static size_t d[MAX_NAME + 1][MAX_NAME + 1];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

/*
 * How close a known name is to what was typed, or -1 when not close:
 * at most two edits (and fewer edits than the typed name has letters, so
 * "x" does not suggest everything), or the typed name is a prefix.
 */
static long closeness(const char *typed, const char *known)
{
	size_t n = strlen(typed);
	size_t d = distance(typed, known);
	if (d <= 2 && d < n)
		return (long)d;
	if (n >= 2 && strncmp(typed, known, n) == 0)
		return 3;
	return -1;
}

struct hint {
	const char *name;
	long score;
};

static void add_hint(struct hint *h, size_t *n, const char *typed,
		     const char *known)
{
	long s = closeness(typed, known);
	if (s < 0)
		return;
	/* Keep the MAX_HINTS closest, stable in table order on ties. */
	size_t i = *n;
	if (i == MAX_HINTS) {
		if (h[MAX_HINTS - 1].score <= s)
			return;
		i = MAX_HINTS - 1;
	} else {
		(*n)++;
	}
	while (i > 0 && h[i - 1].score > s) {
		h[i] = h[i - 1];
		i--;
	}
	h[i].name = known;
	h[i].score = s;
}

static int unknown_command(const char *name, const char *path)
{
	if (is_builtin(name)) {
		/* Ours, but not installed where we look: a broken install. */
		lps_cli_error("cannot find lps-%s on the search path "
			      "(LPS_EXEC_PATH, %s, the folder of lps, PATH)",
			      name, LPS_LIBEXECDIR);
		return LPS_EXIT_SYSTEM;
	}
	lps_cli_error("'%s' is not an lps command", name);
	struct hint h[MAX_HINTS];
	size_t n = 0;
	for (const struct command *c = commands; c->name; c++)
		add_hint(h, &n, name, c->name);
	struct extras x;
	find_extras(&x, path);
	for (size_t i = 0; i < x.n; i++)
		add_hint(h, &n, name, x.name[i]);
	if (n > 0) {
		fprintf(stderr, "hint: did you mean '%s'", h[0].name);
		for (size_t i = 1; i < n; i++)
			fprintf(stderr, "%s'%s'", i + 1 == n ? " or " : ", ",
				h[i].name);
		fputs("?\n", stderr);
	}
	free_extras(&x);
	return LPS_EXIT_USAGE;
}

/* Replace this process with prog; returns only on failure (exit 4). */
static int run(const char *prog, char **argv)
{
	execv(prog, argv);
	lps_cli_error("cannot run %s: %s", prog, strerror(errno));
	return LPS_EXIT_SYSTEM;
}

/*
 * Show the manual of lps-<name> with man(1).  A page in the man/ folder
 * beside this binary (the build tree) is shown as a file, so the build
 * tree's pages win over installed ones.  Returns 0 when man succeeded.
 */
static int show_man(const char *selfdir, const char *name)
{
	char page[MAX_NAME + 8];
	snprintf(page, sizeof(page), "lps-%s", name);
	struct lps_buf local = LPS_BUF_INIT;
	const char *args[4] = { "man", page, NULL, NULL };
	if (selfdir && lps_buf_addf(&local, "%s/man/%s.1", selfdir, page) == 0 &&
	    access(local.data, R_OK) == 0) {
		args[1] = "-l";
		args[2] = local.data;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execvp("man", (char **)args);
		_exit(127);
	}
	lps_buf_free(&local);
	if (pid < 0)
		return -1;
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int help(const char *name, const char *selfdir, const char *path)
{
	if (!name)
		return list_commands(path);
	if (!valid_name(name))
		return unknown_command(name, path);
	char *prog = find_program(path, name);
	if (!prog && !is_builtin(name))
		return unknown_command(name, path);
	if (show_man(selfdir, name) == 0) {
		free(prog);
		return 0;
	}
	if (!prog) {
		lps_cli_error("no manual and no program for lps-%s", name);
		return LPS_EXIT_SYSTEM;
	}
	char *argv[] = { prog, "--help", NULL };
	int rc = run(prog, argv);
	free(prog);
	return rc;
}

static int dispatch(int argc, char **argv, const char *selfdir,
		    const char *path)
{
	const char *name = argv[0];
	if (strcmp(name, "help") == 0) {
		if (argc > 2)
			return lps_cli_usage_error("help takes one command");
		return help(argc > 1 ? argv[1] : NULL, selfdir, path);
	}
	if (strcmp(name, "version") == 0) {
		printf("lps %s\n", LPS_VERSION);
		return 0;
	}
	if (!valid_name(name))
		return unknown_command(name, path);
	char *prog = find_program(path, name);
	if (!prog)
		return unknown_command(name, path);
	argv[0] = prog;
	int rc = run(prog, argv);
	free(prog);
	return rc;
}

int main(int argc, char **argv)
{
	lps_cli_usage(usage);
	char *selfdir = self_dir(argv[0]);
	char *path = search_path(selfdir);
	int rc = 0;
	int i = 1;
	if (!path) {
		rc = lps_cli_fail(lps_error_nomem());
		goto out;
	}
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--version") == 0) {
			printf("lps %s\n", LPS_VERSION);
			goto out;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			/* "lps --help log" reads as "lps help log", as in git. */
			rc = help(i + 1 < argc ? argv[i + 1] : NULL, selfdir,
				  path);
			goto out;
		} else if (strncmp(a, "-C", 2) == 0) {
			const char *dir = a[2] ? a + 2 : argv[++i];
			if (!dir) {
				rc = lps_cli_usage_error("-C needs a folder");
				goto out;
			}
			if (chdir(dir) < 0) {
				lps_cli_error("cannot change to '%s': %s", dir,
					      strerror(errno));
				rc = LPS_EXIT_USAGE;
				goto out;
			}
		} else if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else {
			rc = lps_cli_usage_error("unknown option '%s'", a);
			goto out;
		}
	}
	if (i >= argc)
		rc = list_commands(path);
	else
		rc = dispatch(argc - i, argv + i, selfdir, path);
out:
	free(path);
	free(selfdir);
	fflush(stdout);
	return rc;
}
