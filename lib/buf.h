/*
 * buf.h - a growable byte buffer, always NUL-terminated after `len`.
 *
 * The buffer owns `data`; release it with lps_buf_free() (which leaves an
 * empty, reusable buffer) or take it with lps_buf_detach().
 */
#ifndef LPS_BUF_H
#define LPS_BUF_H

#include <stddef.h>
#include "error.h"

struct lps_buf {
	char *data;  /* NULL or NUL-terminated bytes */
	size_t len;  /* bytes used, excluding the terminating NUL */
	size_t cap;  /* bytes allocated */
};

#define LPS_BUF_INIT { NULL, 0, 0 }

/* Make room for `extra` more bytes.  0, or -1 on allocation failure. */
int lps_buf_grow(struct lps_buf *b, size_t extra);
int lps_buf_add(struct lps_buf *b, const void *data, size_t len);
int lps_buf_adds(struct lps_buf *b, const char *s);
int lps_buf_addc(struct lps_buf *b, char c);
int lps_buf_addf(struct lps_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Set len to 0, keeping the allocation. */
void lps_buf_reset(struct lps_buf *b);
/* Hand the bytes to the caller (who frees them); b becomes empty. */
char *lps_buf_detach(struct lps_buf *b, size_t *len);
void lps_buf_free(struct lps_buf *b);

/*
 * Read a whole regular file into b (replacing its contents).  A file larger
 * than max bytes is an LPS_EINVALID error naming the limit; a file that
 * cannot be opened or read is LPS_ESYS (LPS_ENOTFOUND when it does not
 * exist), naming path and the system's reason.
 */
struct lps_error *lps_buf_read_file(struct lps_buf *b, const char *path,
				    size_t max);

/*
 * Write len bytes to path atomically: a temporary file beside it, fsync,
 * rename.  mode is the file mode (e.g. 0644).  LPS_ESYS on failure, with
 * no partial file left behind.
 */
struct lps_error *lps_write_file_atomic(const char *path, const void *data,
					size_t len, int mode);

/*
 * Write len bytes to path, a file the user named for output, without
 * destroying what is there (as a shell's `>` would, but never leaving
 * half a file):
 *   - nothing at path: a new file, made atomically as above with mode
 *     (less the umask);
 *   - a regular file, or a symbolic link to one (followed to the end):
 *     the file is replaced atomically (the temporary file beside it, not
 *     beside the link, so the link stays a link) and keeps its permission
 *     bits, and its owner and group where the system allows;
 *   - a dangling symbolic link: the file it names is created;
 *   - a character device or a FIFO (directly or through links): written
 *     in place, opened O_WRONLY|O_TRUNC and never created or replaced
 *     (a FIFO waits for its reader);
 *   - a directory: LPS_ESYS "is a directory" naming path; a block
 *     device, socket or other special file: LPS_ESYS naming it.
 * Errors (LPS_ESYS) name path as given; nothing partial is left behind
 * in a regular file.
 */
struct lps_error *lps_write_file_output(const char *path, const void *data,
					size_t len, int mode);

#endif
