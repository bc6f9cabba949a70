/*
 * uri.h - URI reference resolution (RFC 3986 section 5) for schema $id
 * and $ref.  Only the syntax matters to lps: nothing is ever fetched.
 */
#ifndef LPS_URI_H
#define LPS_URI_H

#include <stddef.h>

/*
 * Resolve reference `ref` against the absolute URI `base` (NULL or "" when
 * there is none, in which case ref is taken as it is).  Dot segments are
 * removed; an empty fragment ("x#") is dropped.  Returns a malloc'd string
 * the caller frees, or NULL when out of memory.
 */
char *lps_uri_resolve(const char *base, const char *ref);

/*
 * Length of the part of uri before its fragment ('#'), i.e. the URI of the
 * resource it names.
 */
size_t lps_uri_base_len(const char *uri);

/*
 * Decode %XX escapes of s[0..len) into out (which must hold len + 1
 * bytes); returns the decoded length.  A malformed escape is kept as is.
 */
size_t lps_uri_unescape(char *out, const char *s, size_t len);

#endif
