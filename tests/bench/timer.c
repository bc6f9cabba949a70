/*
 * timer.c - run one command and record how long it took.
 *
 *	timer OUTFILE COMMAND [ARG...]
 *
 * Runs COMMAND (searched in PATH) with the timer's own stdin, stdout and
 * stderr, waits for it, and appends one line to OUTFILE:
 *
 *	WALL USER SYS STATUS
 *
 * wall-clock seconds (a monotonic clock), the CPU seconds the command used
 * in user and system mode (its children included), and its exit status
 * (128+N when killed by signal N).  A shell `date +%s%N` is not portable
 * and `time` prints in a different format everywhere, hence this.  The
 * timer exits with the command's status, or 127 when it could not run it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	FILE *out;
	pid_t pid;
	int ws, status;

	if (argc < 3) {
		fprintf(stderr, "usage: timer OUTFILE COMMAND [ARG...]\n");
		return 2;
	}
	/* Open first, so a bad OUTFILE is found before the work is done. */
	out = fopen(argv[1], "a");
	if (!out) {
		fprintf(stderr, "timer: %s: %s\n", argv[1], strerror(errno));
		return 127;
	}
	fflush(NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "timer: fork: %s\n", strerror(errno));
		return 127;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "timer: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &ws, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "timer: wait: %s\n", strerror(errno));
			return 127;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_CHILDREN, &ru);
	status = WIFEXITED(ws) ? WEXITSTATUS(ws) :
		WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : 127;
	fprintf(out, "%.6f %.6f %.6f %d\n",
		(double)(t1.tv_sec - t0.tv_sec) +
			(double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		seconds(&ru.ru_utime), seconds(&ru.ru_stime), status);
	if (fclose(out) != 0) {
		fprintf(stderr, "timer: %s: write failed\n", argv[1]);
		return 127;
	}
	return status;
}
