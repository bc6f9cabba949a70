/*
 * refguard.c - the guard around lps's ref moves; refguard.h has the
 * design.
 */
#include "refguard.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The guard this process holds (depth 0: none). */
static struct {
	int depth;
	int fd;
	char busy[4096];
} held = { 0, -1, "" };

static int not_older(const struct stat *st, const struct timespec *since)
{
	return st->st_mtim.tv_sec > since->tv_sec ||
	       (st->st_mtim.tv_sec == since->tv_sec &&
		st->st_mtim.tv_nsec >= since->tv_nsec);
}

static int ends_with_lock(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && strcmp(name + n - 5, ".lock") == 0;
}

/* Remove the stale *.lock files under dir (recursively), or dir itself
 * when it is such a file. */
static void clear_locks(const char *path, const struct timespec *since,
			int depth)
{
	struct stat st;
	if (depth > 64 || lstat(path, &st) < 0)
		return;
	if (S_ISREG(st.st_mode)) {
		if (ends_with_lock(path) && not_older(&st, since))
			unlink(path);
		return;
	}
	if (!S_ISDIR(st.st_mode))
		return;
	DIR *d = opendir(path);
	if (!d)
		return;
	struct dirent *e;
	char sub[4096];
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		int n = snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		if (n > 0 && (size_t)n < sizeof(sub))
			clear_locks(sub, since, depth + 1);
	}
	closedir(d);
}

/* Where lps moves refs in its own repository... */
static const char *const own_refs[] = {
	"refs/remotes/roundtable", "refs/lps", "FETCH_HEAD.lock",
	"packed-refs.lock", NULL,
};
/* ...and in a roundtable repository on this machine. */
static const char *const shared_refs[] = {
	"refs/heads/members", "refs/heads/roundtable.lock",
	"packed-refs.lock", NULL,
};

static void clear_stale(const char *common, const char *const *where,
			const struct timespec *since)
{
	char path[4096];
	for (size_t i = 0; where[i]; i++) {
		int n = snprintf(path, sizeof(path), "%s%s", common, where[i]);
		if (n > 0 && (size_t)n < sizeof(path))
			clear_locks(path, since, 0);
	}
}

static struct lps_error *sys_error(const char *what, const char *path)
{
	return lps_error_new(LPS_ESYS, "%s %s: %s", what, path,
			     strerror(errno));
}

/* Take the guard whose files live in <gitdir>lps/ (gitdir ends in a
 * slash), clearing the stale locks of where. */
static struct lps_error *take(int *fd_out, char *busy, size_t bsize,
			      const char *gitdir, const char *const *where)
{
	char dir[4096], lock[4096];
	int n = snprintf(dir, sizeof(dir), "%slps", gitdir);
	if (n < 0 || (size_t)n + 16 >= sizeof(dir) || (size_t)n + 16 >= bsize)
		return lps_error_new(LPS_ESYS, "path too long: %s", gitdir);
	memcpy(lock, dir, (size_t)n);
	memcpy(lock + n, "/refs.lock", sizeof("/refs.lock"));
	memcpy(busy, dir, (size_t)n);
	memcpy(busy + n, "/refs-busy", sizeof("/refs-busy"));
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return sys_error("cannot create the folder", dir);
	int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		return sys_error("cannot open", lock);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	while (fcntl(fd, F_SETLKW, &fl) < 0) {
		if (errno != EINTR) {
			struct lps_error *err = sys_error("cannot lock", lock);
			close(fd);
			return err;
		}
	}
	struct stat st;
	if (lstat(busy, &st) == 0)
		clear_stale(gitdir, where, &st.st_mtim);
	/* A fresh mark: its time is when this guard began. */
	unlink(busy);
	int b = open(busy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (b < 0) {
		struct lps_error *err = sys_error("cannot create", busy);
		close(fd);
		return err;
	}
	close(b);
	*fd_out = fd;
	return NULL;
}

static void give_back(int fd, const char *busy)
{
	unlink(busy);
	close(fd); /* drops the fcntl lock */
}

struct lps_error *lps_refguard_take(git_repository *repo)
{
	if (held.depth > 0) {
		held.depth++;
		return NULL;
	}
	const char *common = git_repository_commondir(repo);
	if (!common)
		common = git_repository_path(repo);
	struct lps_error *err = take(&held.fd, held.busy, sizeof(held.busy),
				     common, own_refs);
	if (!err)
		held.depth = 1;
	return err;
}

struct lps_error *lps_refguard_take_shared(struct lps_refguard_shared *g,
					   const char *path)
{
	git_repository *repo = NULL;
	g->fd = -1;
	if (git_repository_open_ext(&repo, path,
				    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		git_error_clear();
		return NULL; /* the push itself says what is wrong */
	}
	struct lps_error *err = take(&g->fd, g->busy, sizeof(g->busy),
				     git_repository_path(repo), shared_refs);
	git_repository_free(repo);
	if (err)
		g->fd = -1;
	return err;
}

void lps_refguard_release_shared(struct lps_refguard_shared *g)
{
	if (g->fd >= 0)
		give_back(g->fd, g->busy);
	g->fd = -1;
}

void lps_refguard_release(void)
{
	if (held.depth == 0 || --held.depth > 0)
		return;
	give_back(held.fd, held.busy);
	held.fd = -1;
}
