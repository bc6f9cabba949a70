#include "editor.h"
#include "textclean.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *editor_program(void)
{
	const char *e = getenv("VISUAL");
	if (!e || !*e)
		e = getenv("EDITOR");
	if (!e || !*e)
		e = "vi";
	return e;
}

/* Run the editor on path; NULL when it exited 0. */
static struct lps_error *run_editor(const char *path)
{
	const char *ed = editor_program();
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0)
		return lps_error_new(LPS_ESYS, "cannot start editor \"%s\": %s",
				     ed, strerror(errno));
	if (pid == 0) {
		/* sh -c 'EDITOR "$@"' so EDITOR may carry options. */
		size_t n = strlen(ed) + 8;
		char *cmd = malloc(n);
		if (!cmd)
			_exit(127);
		snprintf(cmd, n, "%s \"$@\"", ed);
		execl("/bin/sh", "sh", "-c", cmd, ed, path, (char *)NULL);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return lps_error_new(LPS_ESYS, "editor \"%s\": %s", ed,
					     strerror(errno));
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return NULL;
	if (WIFEXITED(status))
		return lps_error_new(LPS_ESYS, "editor \"%s\" failed (exit %d)",
				     ed, WEXITSTATUS(status));
	return lps_error_new(LPS_ESYS, "editor \"%s\" was killed (signal %d)",
			     ed, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/* Ask whether to edit again; 1 yes (y, yes, or just Enter), 0 no (n,
 * no, or end of input); any other answer asks again
 * (lps_textclean_answer is the rule). */
static int ask_again(void)
{
	for (;;) {
		fputs("edit again? [Y/n] ", stderr);
		fflush(stderr);
		char line[64];
		int got = fgets(line, sizeof(line), stdin) != NULL;
		/* A terminal echoes the answer and its newline; anything
		 * else does not, so end the prompt's line ourselves. */
		if (!got || !isatty(STDIN_FILENO))
			fputc('\n', stderr);
		if (!got)
			return 0;
		int a = lps_textclean_answer(line, strcspn(line, "\n"), 1);
		if (a >= 0)
			return a;
	}
}

/* A file name safe to put in the temporary folder. */
static void safe_name(char *out, size_t size, const char *name)
{
	size_t k = 0;
	for (const char *s = name ? name : "lps-edit"; *s && k + 1 < size; s++) {
		unsigned char c = (unsigned char)*s;
		out[k++] = (c == '/' || c < 0x20) ? '-' : (char)c;
	}
	out[k] = '\0';
	if (!k || out[0] == '.')
		snprintf(out, size, "lps-edit.txt");
}

struct lps_error *lps_editor_edit(struct lps_buf *out, const char *initial,
				  size_t len, const char *name,
				  lps_editor_check_fn check, void *ctx)
{
	struct lps_error *err = NULL;
	const char *tmp = getenv("TMPDIR");
	char dir[4096], path[4096 + 256], base[200];
	struct lps_buf text = LPS_BUF_INIT;

	snprintf(dir, sizeof(dir), "%s/lps-edit.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return lps_error_new(LPS_ESYS, "cannot make a temporary folder: %s",
				     strerror(errno));
	safe_name(base, sizeof(base), name);
	snprintf(path, sizeof(path), "%s/%s", dir, base);

	if (lps_buf_add(&text, initial ? initial : "", initial ? len : 0) < 0) {
		err = lps_error_nomem();
		goto out;
	}
	for (;;) {
		if ((err = lps_write_file_atomic(path, text.data ? text.data : "",
						 text.len, 0600)) ||
		    (err = run_editor(path)) ||
		    (err = lps_buf_read_file(&text, path, 64u << 20)))
			goto out;
		struct lps_error *bad = check ? check(ctx, text.data ? text.data : "",
						      text.len) : NULL;
		if (!bad)
			break;
		fprintf(stderr, "%s\n", bad->msg);
		lps_error_free(bad);
		if (!ask_again()) {
			err = lps_error_new(LPS_EINVALID, "aborted: nothing changed");
			goto out;
		}
	}
	lps_buf_free(out);
	*out = text;
	text = (struct lps_buf)LPS_BUF_INIT;
out:
	lps_buf_free(&text);
	unlink(path);
	rmdir(dir);
	return err;
}
