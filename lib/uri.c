#include "uri.h"

#include <stdlib.h>
#include <string.h>

/* The five components of a URI reference; a NULL pointer is "absent". */
struct parts {
	const char *scheme, *auth, *path, *query, *frag;
	size_t scheme_n, auth_n, path_n, query_n, frag_n;
};

static void split(struct parts *p, const char *s)
{
	memset(p, 0, sizeof(*p));
	size_t n = strlen(s);
	const char *hash = memchr(s, '#', n);
	if (hash) {
		p->frag = hash + 1;
		p->frag_n = n - (size_t)(hash + 1 - s);
		n = (size_t)(hash - s);
	}
	const char *q = memchr(s, '?', n);
	if (q) {
		p->query = q + 1;
		p->query_n = n - (size_t)(q + 1 - s);
		n = (size_t)(q - s);
	}
	/* A scheme is letters, digits, + - . up to a ':' before any '/'. */
	size_t i = 0;
	while (i < n && s[i] != ':' && s[i] != '/')
		i++;
	const char *rest = s;
	if (i < n && i > 0 && s[i] == ':' &&
	    ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) {
		p->scheme = s;
		p->scheme_n = i;
		rest = s + i + 1;
		n -= i + 1;
	}
	if (n >= 2 && rest[0] == '/' && rest[1] == '/') {
		const char *a = rest + 2;
		size_t k = 0;
		while (k < n - 2 && a[k] != '/')
			k++;
		p->auth = a;
		p->auth_n = k;
		rest = a + k;
		n -= 2 + k;
	}
	p->path = rest;
	p->path_n = n;
}

/* RFC 3986 5.2.4, writing into out (which has room for n + 1 bytes). */
static size_t remove_dots(char *out, const char *in, size_t n)
{
	size_t o = 0, i = 0;
	while (i < n) {
		const char *s = in + i;
		size_t left = n - i;
		if (left >= 3 && !memcmp(s, "../", 3)) {
			i += 3;
		} else if (left >= 2 && !memcmp(s, "./", 2)) {
			i += 2;
		} else if (left >= 3 && !memcmp(s, "/./", 3)) {
			i += 2;
		} else if (left == 2 && !memcmp(s, "/.", 2)) {
			out[o++] = '/';
			i = n;
		} else if (left >= 4 && !memcmp(s, "/../", 4)) {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			i += 3;
		} else if (left == 3 && !memcmp(s, "/..", 3)) {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			out[o++] = '/';
			i = n;
		} else if ((left == 1 && s[0] == '.') ||
			   (left == 2 && !memcmp(s, "..", 2))) {
			i = n;
		} else {
			size_t k = s[0] == '/' ? 1 : 0;
			while (k < left && s[k] != '/')
				k++;
			memcpy(out + o, s, k);
			o += k;
			i += k;
		}
	}
	out[o] = '\0';
	return o;
}

static void put(char **w, const char *s, size_t n)
{
	memcpy(*w, s, n);
	*w += n;
}

char *lps_uri_resolve(const char *base, const char *ref)
{
	struct parts b, r;
	split(&r, ref);
	if (!base)
		base = "";
	split(&b, base);

	size_t cap = strlen(base) + strlen(ref) + 8;
	char *merged = malloc(cap);
	char *path = malloc(cap);
	char *out = malloc(cap);
	if (!merged || !path || !out) {
		free(merged);
		free(path);
		free(out);
		return NULL;
	}
	const char *scheme = r.scheme;
	size_t scheme_n = r.scheme_n;
	const char *auth = r.auth;
	size_t auth_n = r.auth_n;
	const char *query = r.query;
	size_t query_n = r.query_n;
	size_t path_n;
	if (r.scheme) {
		path_n = remove_dots(path, r.path, r.path_n);
	} else {
		scheme = b.scheme;
		scheme_n = b.scheme_n;
		if (r.auth) {
			path_n = remove_dots(path, r.path, r.path_n);
		} else {
			auth = b.auth;
			auth_n = b.auth_n;
			if (r.path_n == 0) {
				memcpy(path, b.path, b.path_n);
				path_n = b.path_n;
				path[path_n] = '\0';
				if (!r.query) {
					query = b.query;
					query_n = b.query_n;
				}
			} else if (r.path[0] == '/') {
				path_n = remove_dots(path, r.path, r.path_n);
			} else {
				size_t m = 0;
				if (b.auth && b.path_n == 0) {
					merged[m++] = '/';
				} else {
					size_t k = b.path_n;
					while (k > 0 && b.path[k - 1] != '/')
						k--;
					memcpy(merged, b.path, k);
					m = k;
				}
				memcpy(merged + m, r.path, r.path_n);
				m += r.path_n;
				/* Only hierarchical paths have dot segments. */
				if (b.auth || (m && merged[0] == '/'))
					path_n = remove_dots(path, merged, m);
				else {
					memcpy(path, merged, m);
					path_n = m;
				}
			}
		}
	}
	char *w = out;
	if (scheme) {
		put(&w, scheme, scheme_n);
		*w++ = ':';
	}
	if (auth) {
		put(&w, "//", 2);
		put(&w, auth, auth_n);
	}
	put(&w, path, path_n);
	if (query) {
		*w++ = '?';
		put(&w, query, query_n);
	}
	if (r.frag && r.frag_n) {
		*w++ = '#';
		put(&w, r.frag, r.frag_n);
	}
	*w = '\0';
	free(merged);
	free(path);
	return out;
}

size_t lps_uri_base_len(const char *uri)
{
	const char *h = strchr(uri, '#');
	return h ? (size_t)(h - uri) : strlen(uri);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t lps_uri_unescape(char *out, const char *s, size_t len)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len && hexval(s[i + 1]) >= 0 &&
		    hexval(s[i + 2]) >= 0) {
			out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return o;
}
