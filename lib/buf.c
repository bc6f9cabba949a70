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
	if (b->len + extra + 1 <= b->cap)
		return 0;
	if (extra > ((size_t)-1) / 2 - b->len)
		return -1;
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
