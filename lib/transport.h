/*
 * transport.h - what libgit2 needs to talk to a roundtable: credentials
 * and progress, set up as git_remote_callbacks.
 *
 * Credentials, tried in this order and each at most once per operation
 * (libgit2 asks again after a failure; asking forever would hang):
 *   ssh:   the ssh-agent (when SSH_AUTH_SOCK is set), then the key file
 *          named by LPS_SSH_KEY, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa
 *          (whichever exist; "<key>.pub" is used when present);
 *   https: LPS_USERNAME and LPS_PASSWORD from the environment, else an
 *          askpass program (GIT_ASKPASS, then SSH_ASKPASS) run as git
 *          does: `PROG "Username for 'URL': "` and `PROG "Password for
 *          'URL': "`, the answer being its first line of output.
 * Certificates: an ssh host key must be recorded for the host (and the
 * port of the URL, see lps_transport_set_url) in ~/.ssh/known_hosts or
 * /etc/ssh/ssh_known_hosts, as ssh checks it with
 * StrictHostKeyChecking=yes: an unknown host or a different key stops
 * the connection with a message saying which and what to do (libgit2
 * 1.5.1 checks too, with a bare "invalid or unknown remote ssh
 * hostkey"; earlier releases do not).  https certificates are checked
 * by libgit2.
 *
 * Progress: a callback receives (stage, done, total); the stock one,
 * lps_transport_stderr_progress, draws one line on stderr and is meant
 * for cmd/ programs, which install it only when stderr is a terminal.
 * Messages the server sends ("remote: ..." lines, such as a guard's
 * refusal) go to the message callback one whole line at a time, without
 * its end of line; a piece ended by a carriage return (the server
 * redrawing its own progress) is dropped, and a line longer than the
 * buffer is cut.
 */
#ifndef LPS_TRANSPORT_H
#define LPS_TRANSPORT_H

#include <stddef.h>
#include <git2.h>

/* How many credential answers are offered per operation, at most. */
#define LPS_TRANSPORT_MAX_CRED_TRIES 6
/* Longest user name or password taken from an askpass program. */
#define LPS_TRANSPORT_MAX_SECRET 1024

typedef void (*lps_transport_progress_fn)(void *ctx, const char *stage,
					  size_t done, size_t total);
typedef void (*lps_transport_message_fn)(void *ctx, const char *text,
					 size_t len);

/* Set up with lps_transport_init; callers may set the callbacks. */
struct lps_transport {
	lps_transport_progress_fn progress; /* NULL: no progress */
	lps_transport_message_fn message;   /* NULL: server text dropped */
	void *ctx;
	/* Private to transport.c: which credential sources were tried. */
	unsigned tried_agent : 1, tried_userpass : 1;
	unsigned key_index;
	unsigned tries;
	char rejected[512];  /* first ref the server refused, and why */
	int ssh_port;        /* of the URL, for known_hosts (0: 22) */
	/* Private: the server's text arrives in pieces that split lines;
	 * whole lines go to message. */
	char line[512];
	size_t line_len;
};

void lps_transport_init(struct lps_transport *t);

/* Take the ssh port from url (ssh://host:PORT/...; 22 otherwise), for
 * the host key check.  Call before the operation; the port is kept
 * across lps_transport_callbacks. */
void lps_transport_set_url(struct lps_transport *t, const char *url);

/*
 * Fill cb (already git_remote_init_callbacks'd) with the credential,
 * certificate, progress and message callbacks of t (t may be NULL:
 * credentials still come from the environment, nothing is reported).
 * t must outlive the operation.  Resets the credential attempts.
 */
void lps_transport_callbacks(git_remote_callbacks *cb,
			     struct lps_transport *t);

/*
 * The credential callback itself (git_credential_acquire_cb), exposed for
 * tests; payload is a struct lps_transport *.
 */
int lps_transport_credentials(git_credential **out, const char *url,
			      const char *username_from_url,
			      unsigned int allowed_types, void *payload);

/* Progress drawn on stderr as "\rSTAGE: 45% (9/20)", a newline when
 * done == total; ctx unused.  For cmd/ programs. */
void lps_transport_stderr_progress(void *ctx, const char *stage,
				   size_t done, size_t total);
/* Server text written to stderr line by line as "remote: ...". */
void lps_transport_stderr_message(void *ctx, const char *text, size_t len);

#endif
