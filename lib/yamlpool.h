/*
 * yamlpool.h - a per-thread memory pool for libyaml's own allocations
 * while doc.c parses one document.  Private to the doc module.
 *
 * Why: libyaml makes about four small mallocs and frees per scalar plus
 * 70 KiB of buffers per parser.  Parsing thousands of documents in a
 * row (lps check) while keeping small results between them fragments
 * glibc's heap, and those allocations then cost about as much as the
 * scanning itself.  libyaml routes every allocation through its
 * exported yaml_malloc, yaml_realloc, yaml_free and yaml_strdup; this
 * module defines those four, so that while a pool is active on the
 * calling thread they are served from a few large blocks with
 * free lists per size class, and all of it is released at once at the
 * end.  Outside an active pool they behave exactly as libyaml's own
 * (malloc/realloc/free/strdup, size 0 taken as 1).
 *
 * The definitions only take effect where the dynamic linker lets an
 * executable's symbols replace a shared library's (ELF default).  The
 * first activation in a process checks, with a small parse of every
 * kind of YAML construct, that libyaml calls all four of ours
 * consistently (every block it frees was allocated by us, and every
 * block we gave it is freed through us); when not, the pool stays off
 * for the life of the process and libyaml uses plain malloc as before.
 * Building with -DLPS_NO_YAML_POOL leaves libyaml's functions alone.
 */
#ifndef LPS_YAMLPOOL_H
#define LPS_YAMLPOOL_H

#include <stddef.h>
#include <stdint.h>

#define LPS_YAMLPOOL_CLASSES 13  /* blocks of 16 B .. 64 KiB */

struct lps_yamlpool_chunk;

/* All fields are private to yamlpool.c; zero-initialise, then begin. */
struct lps_yamlpool {
	struct lps_yamlpool_chunk *chunks;  /* newest first */
	char *cur, *end;                    /* free space in the newest */
	uintptr_t lo, hi;                   /* the newest chunk's blocks */
	void *free[LPS_YAMLPOOL_CLASSES];   /* freed blocks by class */
	size_t next_size;                   /* size of the next chunk */
	int active;
};

/*
 * Route this thread's libyaml allocations to pool until
 * lps_yamlpool_end().  Pools do not nest: begin on a thread that has an
 * active pool, or in a process where the check failed, does nothing
 * (and end on that pool then does nothing either).  Every libyaml object
 * created while the pool is active must be destroyed before end.
 */
void lps_yamlpool_begin(struct lps_yamlpool *pool);

/* Stop routing and release every block of pool (pool is zeroed). */
void lps_yamlpool_end(struct lps_yamlpool *pool);

/*
 * 1 when pools can be used in this process (the check passed), else 0.
 * Runs the check on first call.
 */
int lps_yamlpool_enabled(void);

#endif
