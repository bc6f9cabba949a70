/*
 * transport.c - credentials, progress and server messages for libgit2's
 * remote operations.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libssh2.h>

#include "transport.h"

void lps_transport_init(struct lps_transport *t)
{
	memset(t, 0, sizeof(*t));
}

static void fail(const char *fmt, const char *url)
{
	char msg[600];
	snprintf(msg, sizeof(msg), fmt, url ? url : "the roundtable");
	git_error_set_str(GIT_ERROR_NET, msg);
}

/*
 * Run an askpass program with prompt as its one argument and keep the
 * first line it prints in out (size bytes: an answer of at most size - 2
 * bytes, so that its newline fits too).
 * 0, or -1 when it cannot run, fails or prints nothing usable.
 */
static int askpass(const char *prog, const char *prompt, char *out,
		   size_t size)
{
	int fd[2];
	if (pipe(fd) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (pid == 0) {
		close(fd[0]);
		if (dup2(fd[1], 1) < 0)
			_exit(127);
		close(fd[1]);
		execlp(prog, prog, prompt, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	size_t n = 0;
	int over = 0;
	for (;;) {
		char tmp[256];
		ssize_t r = read(fd[0], tmp, sizeof(tmp));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		for (ssize_t i = 0; i < r; i++) {
			if (n + 1 < size)
				out[n++] = tmp[i];
			else
				over = 1;
		}
	}
	close(fd[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	out[n] = '\0';
	out[strcspn(out, "\r\n")] = '\0';
	if (over && strlen(out) == n)
		return -1; /* the first line did not fit */
	if (strlen(out) > size - 2)
		return -1; /* longer than an answer may be */
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return 0;
}

static const char *askpass_program(void)
{
	const char *p = getenv("GIT_ASKPASS");
	if (!p || !*p)
		p = getenv("SSH_ASKPASS");
	return p && *p ? p : NULL;
}

static int userpass(git_credential **out, const char *url,
		    const char *user_from_url)
{
	const char *user = getenv("LPS_USERNAME");
	const char *pass = getenv("LPS_PASSWORD");
	/* Room for the longest answer, its newline and the NUL. */
	char ubuf[LPS_TRANSPORT_MAX_SECRET + 2];
	char pbuf[LPS_TRANSPORT_MAX_SECRET + 2];
	char prompt[600];
	int rc = -1;
	if (!user || !*user)
		user = user_from_url && *user_from_url ? user_from_url : NULL;
	if (user && pass)
		return git_credential_userpass_plaintext_new(out, user, pass);
	const char *prog = askpass_program();
	if (!prog) {
		fail("no credentials for %s: set LPS_USERNAME and "
		     "LPS_PASSWORD, or GIT_ASKPASS", url);
		return -1;
	}
	if (!user) {
		snprintf(prompt, sizeof(prompt), "Username for '%s': ", url);
		if (askpass(prog, prompt, ubuf, sizeof(ubuf)) < 0 || !*ubuf)
			goto no;
		user = ubuf;
	}
	if (!pass) {
		snprintf(prompt, sizeof(prompt), "Password for '%s': ", url);
		if (askpass(prog, prompt, pbuf, sizeof(pbuf)) < 0)
			goto no;
		pass = pbuf;
	}
	rc = git_credential_userpass_plaintext_new(out, user, pass);
	goto out;
no:
	fail("the askpass program gave no credentials for %s", url);
out:
	/* Do not leave secrets on the stack longer than needed. */
	memset(pbuf, 0, sizeof(pbuf));
	return rc;
}

/* The next ssh key file to offer, or 0 when there is none left. */
static int next_key(struct lps_transport *t, char *key, size_t size)
{
	static const char *const names[] = { "id_ed25519", "id_ecdsa",
					     "id_rsa" };
	const char *home = getenv("HOME");
	while (t->key_index < 4) {
		unsigned i = t->key_index++;
		if (i == 0) {
			const char *k = getenv("LPS_SSH_KEY");
			if (!k || !*k)
				continue;
			snprintf(key, size, "%s", k);
		} else {
			if (!home || !*home)
				continue;
			snprintf(key, size, "%s/.ssh/%s", home, names[i - 1]);
		}
		if (access(key, R_OK) == 0)
			return 1;
	}
	return 0;
}

static int ssh_key(git_credential **out, struct lps_transport *t,
		   const char *url, const char *user)
{
	char key[1024], pub[1100];
	if (!t->tried_agent && getenv("SSH_AUTH_SOCK")) {
		t->tried_agent = 1;
		return git_credential_ssh_key_from_agent(out, user);
	}
	if (next_key(t, key, sizeof(key))) {
		snprintf(pub, sizeof(pub), "%s.pub", key);
		return git_credential_ssh_key_new(out, user,
						  access(pub, R_OK) == 0 ?
						  pub : NULL, key,
						  getenv("LPS_SSH_PASSPHRASE"));
	}
	fail("no ssh key was accepted by %s: run ssh-agent or set "
	     "LPS_SSH_KEY", url);
	return -1;
}

int lps_transport_credentials(git_credential **out, const char *url,
			      const char *username_from_url,
			      unsigned int allowed_types, void *payload)
{
	struct lps_transport *t = payload;
	*out = NULL;
	if (!t || ++t->tries > LPS_TRANSPORT_MAX_CRED_TRIES) {
		fail("authentication to %s failed", url);
		return -1;
	}
	const char *user = username_from_url && *username_from_url ?
			   username_from_url : getenv("LPS_USERNAME");
	if (allowed_types & GIT_CREDENTIAL_USERNAME)
		return git_credential_username_new(out, user && *user ?
						   user : "git");
	if (allowed_types & GIT_CREDENTIAL_SSH_KEY)
		return ssh_key(out, t, url, user && *user ? user : "git");
	if ((allowed_types & GIT_CREDENTIAL_USERPASS_PLAINTEXT) &&
	    !t->tried_userpass) {
		t->tried_userpass = 1;
		return userpass(out, url, username_from_url);
	}
	fail("authentication to %s failed", url);
	return -1;
}

static int on_transfer(const git_indexer_progress *st, void *payload)
{
	struct lps_transport *t = payload;
	if (t && t->progress && st->total_objects)
		t->progress(t->ctx, "Receiving objects", st->received_objects,
			    st->total_objects);
	return 0;
}

static int on_push_transfer(unsigned int current, unsigned int total,
			    size_t bytes, void *payload)
{
	struct lps_transport *t = payload;
	if (t && t->progress && total)
		t->progress(t->ctx, "Writing objects", current, total);
	return 0;
}

static int on_sideband(const char *str, int len, void *payload)
{
	struct lps_transport *t = payload;
	if (!t || !t->message)
		return 0;
	for (int i = 0; i < len; i++) {
		char ch = str[i];
		if (ch == '\r') {
			t->line_len = 0; /* a progress redraw */
		} else if (ch == '\n') {
			if (t->line_len)
				t->message(t->ctx, t->line, t->line_len);
			t->line_len = 0;
		} else if (t->line_len < sizeof(t->line)) {
			t->line[t->line_len++] = ch;
		}
	}
	return 0;
}

static int on_update_reference(const char *refname, const char *status,
			       void *payload)
{
	struct lps_transport *t = payload;
	if (t && status && !t->rejected[0])
		snprintf(t->rejected, sizeof(t->rejected), "%s: %s", refname,
			 status);
	return 0;
}

/* ---- ssh host keys ---- */

void lps_transport_set_url(struct lps_transport *t, const char *url)
{
	t->ssh_port = 22;
	if (!url)
		return;
	static const char *const schemes[] = { "ssh://", "ssh+git://",
					       "git+ssh://" };
	const char *rest = NULL;
	for (size_t i = 0; i < sizeof(schemes) / sizeof(*schemes); i++)
		if (!strncmp(url, schemes[i], strlen(schemes[i])))
			rest = url + strlen(schemes[i]);
	if (!rest)
		return; /* scp-like user@host:path, or not ssh at all */
	const char *end = rest + strcspn(rest, "/");
	const char *at = memchr(rest, '@', (size_t)(end - rest));
	const char *host = at ? at + 1 : rest;
	const char *colon = NULL;
	if (*host == '[') {
		const char *close = memchr(host, ']', (size_t)(end - host));
		if (close && close + 1 < end && close[1] == ':')
			colon = close + 1;
	} else {
		colon = memchr(host, ':', (size_t)(end - host));
	}
	if (colon) {
		long port = strtol(colon + 1, NULL, 10);
		if (port > 0 && port < 65536)
			t->ssh_port = (int)port;
	}
}

/* libssh2's key type bits for libgit2's raw key type, 0 if unknown. */
static int knownhost_type(git_cert_ssh_raw_type_t type)
{
	switch (type) {
	case GIT_CERT_SSH_RAW_TYPE_RSA:
		return LIBSSH2_KNOWNHOST_KEY_SSHRSA;
	case GIT_CERT_SSH_RAW_TYPE_DSS:
		return LIBSSH2_KNOWNHOST_KEY_SSHDSS;
	case GIT_CERT_SSH_RAW_TYPE_KEY_ECDSA_256:
		return LIBSSH2_KNOWNHOST_KEY_ECDSA_256;
	case GIT_CERT_SSH_RAW_TYPE_KEY_ECDSA_384:
		return LIBSSH2_KNOWNHOST_KEY_ECDSA_384;
	case GIT_CERT_SSH_RAW_TYPE_KEY_ECDSA_521:
		return LIBSSH2_KNOWNHOST_KEY_ECDSA_521;
	case GIT_CERT_SSH_RAW_TYPE_KEY_ED25519:
		return LIBSSH2_KNOWNHOST_KEY_ED25519;
	default:
		return 0;
	}
}

/*
 * The host key against ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts,
 * as ssh checks it with StrictHostKeyChecking=yes: a key that is not
 * recorded for the host, or that differs from the recorded one, stops
 * the connection.  (libgit2 1.5.1 makes the same check, with the port
 * of the URL, but only says "invalid or unknown remote ssh hostkey";
 * this says which of the two and what to do, and older libgit2 releases
 * do not check at all.)  Other certificates (https) keep libgit2's own
 * verdict.
 */
static int on_certificate(git_cert *cert, int valid, const char *host,
			  void *payload)
{
	struct lps_transport *t = payload;
	(void)valid;
	if (cert->cert_type != GIT_CERT_HOSTKEY_LIBSSH2)
		return GIT_PASSTHROUGH;
	const git_cert_hostkey *hk = (const git_cert_hostkey *)cert;
	int port = t && t->ssh_port ? t->ssh_port : 22;
	int type = (hk->type & GIT_CERT_SSH_RAW) ?
		   knownhost_type(hk->raw_type) : 0;
	char msg[700];
	if (!type) {
		snprintf(msg, sizeof(msg), "cannot check the ssh host key of "
			 "%s (unknown key type)", host);
		git_error_set_str(GIT_ERROR_SSH, msg);
		return GIT_ECERTIFICATE;
	}
	LIBSSH2_SESSION *s = libssh2_session_init();
	LIBSSH2_KNOWNHOSTS *kh = s ? libssh2_knownhost_init(s) : NULL;
	int result = LIBSSH2_KNOWNHOST_CHECK_NOTFOUND;
	char path[PATH_MAX];
	const char *home = getenv("HOME");
	const char *files[2] = { NULL, "/etc/ssh/ssh_known_hosts" };
	if (home && *home &&
	    snprintf(path, sizeof(path), "%s/.ssh/known_hosts", home) <
		    (int)sizeof(path))
		files[0] = path;
	for (int i = 0; kh && i < 2; i++) {
		if (!files[i] || access(files[i], R_OK) != 0)
			continue;
		libssh2_knownhost_readfile(kh, files[i],
					   LIBSSH2_KNOWNHOST_FILE_OPENSSH);
	}
	if (kh)
		result = libssh2_knownhost_checkp(
			kh, host, port, hk->hostkey, hk->hostkey_len,
			LIBSSH2_KNOWNHOST_TYPE_PLAIN |
				LIBSSH2_KNOWNHOST_KEYENC_RAW | type,
			NULL);
	if (kh)
		libssh2_knownhost_free(kh);
	if (s)
		libssh2_session_free(s);
	if (result == LIBSSH2_KNOWNHOST_CHECK_MATCH)
		return 0;
	char where[300];
	if (port == 22)
		snprintf(where, sizeof(where), "%s", host);
	else
		snprintf(where, sizeof(where), "[%s]:%d", host, port);
	if (result == LIBSSH2_KNOWNHOST_CHECK_MISMATCH)
		snprintf(msg, sizeof(msg), "the ssh host key of %s differs "
			 "from the one in known_hosts: someone may be "
			 "impersonating the host; not connecting", where);
	else if (result == LIBSSH2_KNOWNHOST_CHECK_NOTFOUND)
		snprintf(msg, sizeof(msg), "%s is not a known ssh host; check "
			 "its key and record it in ~/.ssh/known_hosts (ssh "
			 "-p %d %s asks and records it)", where, port, host);
	else
		snprintf(msg, sizeof(msg), "cannot check the ssh host key of "
			 "%s", where);
	git_error_set_str(GIT_ERROR_SSH, msg);
	return GIT_ECERTIFICATE;
}

void lps_transport_callbacks(git_remote_callbacks *cb,
			     struct lps_transport *t)
{
	/* Without t credentials still need a place to count attempts. */
	static struct lps_transport fallback;
	if (!t) {
		lps_transport_init(&fallback);
		t = &fallback;
	}
	t->tries = 0;
	t->tried_agent = t->tried_userpass = 0;
	t->key_index = 0;
	t->rejected[0] = '\0';
	t->line_len = 0;
	cb->credentials = lps_transport_credentials;
	cb->certificate_check = on_certificate;
	cb->transfer_progress = on_transfer;
	cb->push_transfer_progress = on_push_transfer;
	cb->sideband_progress = on_sideband;
	cb->push_update_reference = on_update_reference;
	cb->payload = t;
}

void lps_transport_stderr_progress(void *ctx, const char *stage,
				   size_t done, size_t total)
{
	(void)ctx;
	unsigned pct = total ? (unsigned)(done * 100 / total) : 100;
	fprintf(stderr, "\r%s: %3u%% (%zu/%zu)%s", stage, pct, done, total,
		done >= total ? "\n" : "");
	fflush(stderr);
}

/* The server's own progress ("Counting objects: 4"): the progress bar
 * already says it, and it is noise in logs. */
static int progress_line(const char *s, size_t n)
{
	static const char *const words[] = { "Counting objects",
		"Compressing objects", "Enumerating objects", "Total ",
		"Writing objects", "Resolving deltas" };
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t w = strlen(words[i]);
		if (n >= w && !strncmp(s, words[i], w))
			return 1;
	}
	return 0;
}

void lps_transport_stderr_message(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && text[j] != '\n' && text[j] != '\r')
			j++;
		if (j > i && !progress_line(text + i, j - i))
			fprintf(stderr, "remote: %.*s\n", (int)(j - i),
				text + i);
		i = j + 1;
	}
}
