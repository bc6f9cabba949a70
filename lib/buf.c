#include "buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int lps_buf_grow(struct lps_buf *b, size_t extra)
{
	/* First, so that len + extra + 1 below cannot wrap around. */
	if (extra > ((size_t)-1) / 2 - b->len)
		return -1;
	if (b->len + extra + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

int lps_buf_add(struct lps_buf *b, const void *data, size_t len)
{
	if (lps_buf_grow(b, len) < 0)
		return -1;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int lps_buf_adds(struct lps_buf *b, const char *s)
{
	return lps_buf_add(b, s, strlen(s));
}

int lps_buf_addc(struct lps_buf *b, char c)
{
	return lps_buf_add(b, &c, 1);
}

int lps_buf_addf(struct lps_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || lps_buf_grow(b, (size_t)n) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void lps_buf_reset(struct lps_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *lps_buf_detach(struct lps_buf *b, size_t *len)
{
	char *p = b->data;
	if (!p)
		p = calloc(1, 1);
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void lps_buf_free(struct lps_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

struct lps_error *lps_buf_read_file(struct lps_buf *b, const char *path,
				    size_t max)
{
	struct lps_error *err = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return lps_error_at(errno == ENOENT ? LPS_ENOTFOUND : LPS_ESYS,
				    path, 0, 0, "cannot open: %s",
				    strerror(errno));
	struct stat st;
	if (fstat(fd, &st) < 0) {
		err = lps_error_at(LPS_ESYS, path, 0, 0, "cannot stat: %s",
				   strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		err = lps_error_at(LPS_ESYS, path, 0, 0, "is a directory");
		goto out;
	}
	if (S_ISREG(st.st_mode) && (size_t)st.st_size > max) {
		err = lps_error_at(LPS_EINVALID, path, 0, 0,
				   "file is %lld bytes, over the limit of %zu",
				   (long long)st.st_size, max);
		goto out;
	}
	lps_buf_reset(b);
	if (S_ISREG(st.st_mode) &&
	    lps_buf_grow(b, (size_t)st.st_size) < 0) {
		err = lps_error_nomem();
		goto out;
	}
	for (;;) {
		if (lps_buf_grow(b, 65536) < 0) {
			err = lps_error_nomem();
			goto out;
		}
		ssize_t n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = lps_error_at(LPS_ESYS, path, 0, 0,
					   "cannot read: %s", strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		if (b->len > max) {
			err = lps_error_at(LPS_EINVALID, path, 0, 0,
					   "file is over the limit of %zu bytes",
					   max);
			goto out;
		}
	}
	if (b->data)
		b->data[b->len] = '\0';
out:
	close(fd);
	return err;
}

struct lps_error *lps_write_file_atomic(const char *path, const void *data,
					size_t len, int mode)
{
	size_t n = strlen(path) + 32;
	char *tmp = malloc(n);
	if (!tmp)
		return lps_error_nomem();
	snprintf(tmp, n, "%s.lps-tmp-%ld", path, (long)getpid());
	struct lps_error *err = NULL;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		err = lps_error_at(LPS_ESYS, path, 0, 0, "cannot write: %s",
				   strerror(errno));
		goto out;
	}
	const char *p = data;
	size_t left = len;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			err = lps_error_at(LPS_ESYS, path, 0, 0,
					   "cannot write: %s", strerror(errno));
			close(fd);
			unlink(tmp);
			goto out;
		}
		p += w;
		left -= (size_t)w;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		err = lps_error_at(LPS_ESYS, path, 0, 0, "cannot write: %s",
				   strerror(errno));
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, path) < 0) {
		err = lps_error_at(LPS_ESYS, path, 0, 0, "cannot rename: %s",
				   strerror(errno));
		unlink(tmp);
	}
out:
	free(tmp);
	return err;
}

/* ---- writing where the user asked (lps_write_file_output) ---- */

/* Symbolic links followed in a row before giving up, as the kernel does. */
#define OUTPUT_MAX_LINKS 40
/* Longest symbolic link target read. */
#define OUTPUT_MAX_LINK ((size_t)65536)

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/*
 * The name the chain of symbolic links starting at path ends at: the
 * first name that is not a link, or does not exist (a dangling link names
 * the file to create).  Relative targets are taken from the link's own
 * folder.  *out is malloc'd.
 */
static struct lps_error *final_name(const char *path, char **out)
{
	char *cur = strdup(path), *target = NULL;
	struct lps_error *err = NULL;
	struct stat st;

	*out = NULL;
	for (int hop = 0; cur; hop++) {
		if (lstat(cur, &st) < 0) {
			if (errno == ENOENT)
				break;
			err = lps_error_at(LPS_ESYS, path, 0, 0,
					   "cannot follow: %s", strerror(errno));
			goto out;
		}
		if (!S_ISLNK(st.st_mode))
			break;
		if (hop == OUTPUT_MAX_LINKS) {
			err = lps_error_at(LPS_ESYS, path, 0, 0,
					   "cannot follow: %s",
					   strerror(ELOOP));
			goto out;
		}
		ssize_t n = -1;
		for (size_t size = 256; size <= OUTPUT_MAX_LINK; size *= 2) {
			char *t = realloc(target, size);
			if (!t)
				break;
			target = t;
			n = readlink(cur, target, size);
			if (n < 0 || (size_t)n < size)
				break;
			n = -1;
			errno = ENAMETOOLONG;
		}
		if (!target) {
			err = lps_error_nomem();
			goto out;
		}
		if (n < 0) {
			err = lps_error_at(LPS_ESYS, path, 0, 0,
					   "cannot follow: %s", strerror(errno));
			goto out;
		}
		target[n] = '\0';
		const char *slash = strrchr(cur, '/');
		size_t dir = target[0] == '/' || !slash
			     ? 0 : (size_t)(slash - cur) + 1;
		char *next = malloc(dir + (size_t)n + 1);
		if (next) {
			memcpy(next, cur, dir);
			memcpy(next + dir, target, (size_t)n + 1);
		}
		free(cur);
		cur = next;
	}
	if (!cur)
		err = lps_error_nomem();
out:
	free(target);
	if (err)
		free(cur);
	else
		*out = cur;
	return err;
}

/*
 * Replace (or create) the regular file `name` atomically: a temporary
 * file beside it, fsync, rename.  keep: the file's old status, whose
 * permission bits (and owner, where allowed) the new file takes; NULL for
 * a new file with mode (less the umask).  Errors name `path`, what the
 * user typed.
 */
static struct lps_error *replace_file(const char *path, const char *name,
				      const void *data, size_t len, int mode,
				      const struct stat *keep)
{
	size_t n = strlen(name) + 32;
	char *tmp = malloc(n);
	struct lps_error *err = NULL;

	if (!tmp)
		return lps_error_nomem();
	snprintf(tmp, n, "%s.lps-tmp-%ld", name, (long)getpid());
	(void)unlink(tmp);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		      keep ? 0600 : mode);
	if (fd < 0) {
		err = lps_error_at(LPS_ESYS, path, 0, 0, "cannot write: %s",
				   strerror(errno));
		goto out;
	}
	if (keep) {
		/* Best effort: only root may give a file away. */
		if (fchown(fd, keep->st_uid, keep->st_gid) < 0)
			(void)fchown(fd, (uid_t)-1, keep->st_gid);
		if (fchmod(fd, keep->st_mode & 07777) < 0) {
			err = lps_error_at(LPS_ESYS, path, 0, 0,
					   "cannot keep the file's mode: %s",
					   strerror(errno));
			close(fd);
			unlink(tmp);
			goto out;
		}
	}
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		err = lps_error_at(LPS_ESYS, path, 0, 0, "cannot write: %s",
				   strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd) < 0) {
		err = lps_error_at(LPS_ESYS, path, 0, 0, "cannot write: %s",
				   strerror(errno));
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, name) < 0) {
		err = lps_error_at(LPS_ESYS, path, 0, 0, "cannot rename: %s",
				   strerror(errno));
		unlink(tmp);
	}
out:
	free(tmp);
	return err;
}

/* A device or FIFO: written where it is, never created or replaced. */
static struct lps_error *write_in_place(const char *path, const void *data,
					size_t len)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_NOCTTY | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return lps_error_at(LPS_ESYS, path, 0, 0, "cannot open: %s",
				    strerror(errno));
	if (fstat(fd, &st) < 0 || !(S_ISCHR(st.st_mode) ||
				    S_ISFIFO(st.st_mode))) {
		/* Replaced by something else between stat and open. */
		close(fd);
		return lps_error_at(LPS_ESYS, path, 0, 0,
				    "changed while being opened; try again");
	}
	if (write_all(fd, data, len) < 0) {
		int e = errno;
		close(fd);
		return lps_error_at(LPS_ESYS, path, 0, 0, "cannot write: %s",
				    strerror(e));
	}
	if (close(fd) < 0)
		return lps_error_at(LPS_ESYS, path, 0, 0, "cannot write: %s",
				    strerror(errno));
	return NULL;
}

struct lps_error *lps_write_file_output(const char *path, const void *data,
					size_t len, int mode)
{
	struct stat st, lst;
	struct lps_error *err;
	char *name = NULL;

	if (stat(path, &st) < 0) {
		if (errno != ENOENT || lstat(path, &lst) < 0)
			return replace_file(path, path, data, len, mode, NULL);
		/* A dangling link: create what it names. */
		if ((err = final_name(path, &name)))
			return err;
		err = replace_file(path, name, data, len, mode, NULL);
		free(name);
		return err;
	}
	if (S_ISDIR(st.st_mode))
		return lps_error_at(LPS_ESYS, path, 0, 0,
				    "is a directory; name a file to write");
	if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
		return write_in_place(path, data, len);
	if (!S_ISREG(st.st_mode))
		return lps_error_at(LPS_ESYS, path, 0, 0,
				    "is a %s, not a file; name a file to write",
				    S_ISBLK(st.st_mode) ? "block device"
				    : S_ISSOCK(st.st_mode) ? "socket"
				    : "special file");
	if ((err = final_name(path, &name)))
		return err;
	err = replace_file(path, name, data, len, mode, &st);
	free(name);
	return err;
}
