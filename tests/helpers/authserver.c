/*
 * authserver - a tiny HTTP server on 127.0.0.1 for the https credential
 * tests (t3800): it asks for Basic credentials and writes down what the
 * client answered, so a test can see which user name and password lps
 * took from the environment or from an askpass program.
 *
 *   authserver LOG PORTFILE [MAX]
 *
 * Listens on 127.0.0.1 on a port the kernel picks, writes that port to
 * PORTFILE, then serves at most MAX (default 20) connections, one request
 * each, and exits:
 *   - a request without an Authorization header gets 401 with
 *     WWW-Authenticate: Basic realm="lps-test";
 *   - a request with "Authorization: Basic X" gets X decoded appended to
 *     LOG as one line, then 403 (so the client stops asking), or 401
 *     again when the password in X is empty.
 * Bounded: every connection has a 5 s receive timeout, and the server
 * exits after 60 s without a connection.  Only loopback is ever used.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decode base64 s (up to whitespace) into out; returns its length. */
static size_t b64decode(const char *s, char *out, size_t size)
{
	unsigned acc = 0;
	int bits = 0;
	size_t n = 0;
	for (; *s && *s != '\r' && *s != '\n' && *s != ' '; s++) {
		int v = b64val((unsigned char)*s);
		if (v < 0)
			break; /* '=' padding ends it */
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n + 1 < size)
				out[n++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[n] = '\0';
	return n;
}

static void reply(int fd, const char *status, const char *extra)
{
	char buf[512];
	int n = snprintf(buf, sizeof(buf),
			 "HTTP/1.1 %s\r\n%sContent-Length: 0\r\n"
			 "Connection: close\r\n\r\n", status, extra);
	if (n > 0 && write(fd, buf, (size_t)n) < 0)
		perror("authserver: write");
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: authserver LOG PORTFILE [MAX]\n");
		return 2;
	}
	int max = argc == 4 ? atoi(argv[3]) : 20;
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t al = sizeof(a);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(s, 8) < 0 ||
	    getsockname(s, (struct sockaddr *)&a, &al) < 0) {
		perror("authserver");
		return 4;
	}
	FILE *pf = fopen(argv[2], "w");
	if (!pf || fprintf(pf, "%d\n", ntohs(a.sin_port)) < 0 ||
	    fclose(pf) != 0) {
		perror(argv[2]);
		return 4;
	}
	for (int served = 0; served < max; served++) {
		struct pollfd p = { .fd = s, .events = POLLIN };
		if (poll(&p, 1, 60000) <= 0)
			break;
		int c = accept(s, NULL, NULL);
		if (c < 0)
			continue;
		struct timeval tv = { 5, 0 };
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		char req[8192];
		size_t n = 0;
		while (n + 1 < sizeof(req)) {
			ssize_t r = read(c, req + n, sizeof(req) - 1 - n);
			if (r <= 0)
				break;
			n += (size_t)r;
			req[n] = '\0';
			if (strstr(req, "\r\n\r\n"))
				break;
		}
		req[n] = '\0';
		const char *auth = strstr(req, "\r\nAuthorization: Basic ");
		if (!auth) {
			reply(c, "401 Unauthorized",
			      "WWW-Authenticate: Basic realm=\"lps-test\"\r\n");
		} else {
			char cred[1024];
			b64decode(auth + strlen("\r\nAuthorization: Basic "),
				  cred, sizeof(cred));
			FILE *log = fopen(argv[1], "a");
			if (log) {
				fprintf(log, "%s\n", cred);
				fclose(log);
			}
			/* An empty password (libgit2 first tries the user
			 * name of the URL alone) is asked again, as a real
			 * server would. */
			size_t cl = strlen(cred);
			if (cl && cred[cl - 1] == ':')
				reply(c, "401 Unauthorized",
				      "WWW-Authenticate: Basic "
				      "realm=\"lps-test\"\r\n");
			else
				reply(c, "403 Forbidden", "");
		}
		close(c);
	}
	close(s);
	return 0;
}
