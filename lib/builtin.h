/*
 * builtin.h - files compiled into liblps at build time (lib/embed.sh):
 * the schemas of schemas/ and the frameworks of schemas/frameworks/.
 * Each is named by its path below schemas/.  The table ends with a
 * zeroed entry; lps_builtin_nfiles counts the others.
 */
#ifndef LPS_BUILTIN_H
#define LPS_BUILTIN_H

#include <stddef.h>

struct lps_builtin_file {
	const char *name;            /* "goal.schema.yaml", "frameworks/lfl.yaml" */
	const unsigned char *data;   /* the bytes, NUL-terminated */
	size_t len;                  /* bytes, not counting the NUL */
};

extern const struct lps_builtin_file lps_builtin_files[];
extern const size_t lps_builtin_nfiles;

#endif
