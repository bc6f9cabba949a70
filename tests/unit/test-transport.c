/*
 * test-transport.c - lib/transport without a network: the credential
 * callback called directly as libgit2 would (the user name, ssh-agent
 * then key files in order, LPS_USERNAME/LPS_PASSWORD, askpass programs
 * written to a temporary folder, the limit on attempts and the messages
 * left in git_error_last), the progress, server-text (whole lines) and
 * ref-status callbacks installed by lps_transport_callbacks, and the
 * stock stderr progress and message printers.
 *
 * Each test gets a fresh mkdtemp folder with a HOME inside it and an
 * environment with none of the variables transport reads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <git2.h>
#include <git2/sys/credential.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "transport.h"

#define URL "https://rt.example.org/ada.git"

static char tmp[64];

static const char *in_tmp(const char *name)
{
	static char path[4][256];
	static int next;
	char *p = path[next++ % 4];
	snprintf(p, sizeof(path[0]), "%s/%s", tmp, name);
	return p;
}

static void write_file(const char *path, const char *text, int mode)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

/* The whole of path (caller frees); "" when missing. */
static char *slurp(const char *path)
{
	char *s = calloc(1, 8192);
	assert_non_null(s);
	FILE *f = fopen(path, "r");
	if (f) {
		size_t n = fread(s, 1, 8191, f);
		s[n] = '\0';
		fclose(f);
	}
	return s;
}

static void clear_env(void)
{
	static const char *const vars[] = {
		"SSH_AUTH_SOCK", "LPS_SSH_KEY", "LPS_SSH_PASSPHRASE",
		"LPS_USERNAME", "LPS_PASSWORD", "GIT_ASKPASS", "SSH_ASKPASS",
	};
	for (size_t i = 0; i < sizeof(vars) / sizeof(*vars); i++)
		unsetenv(vars[i]);
}

static int setup(void **state)
{
	(void)state;
	strcpy(tmp, "/tmp/lps-transport-test.XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	mkdir(in_tmp("home"), 0700);
	mkdir(in_tmp("home/.ssh"), 0700);
	setenv("HOME", in_tmp("home"), 1);
	clear_env();
	git_error_clear();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	clear_env();
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static void expect_git_error(const char *msg)
{
	const git_error *e = git_error_last();
	assert_non_null(e);
	assert_string_equal(e->message, msg);
	assert_int_equal(e->klass, GIT_ERROR_NET);
}

/* Ask for credentials once; the answer is freed by the caller. */
static int ask(git_credential **out, struct lps_transport *t,
	       const char *url, const char *user, unsigned types)
{
	*out = (git_credential *)1; /* must be reset */
	return lps_transport_credentials(out, url, user, types, t);
}

static void expect_userpass(git_credential *c, const char *user,
			    const char *pass)
{
	assert_non_null(c);
	assert_int_equal(c->credtype, GIT_CREDENTIAL_USERPASS_PLAINTEXT);
	struct git_credential_userpass_plaintext *u = (void *)c;
	assert_string_equal(u->username, user);
	assert_string_equal(u->password, pass);
	git_credential_free(c);
}

/* An ssh key credential; pub/priv NULL means "none". */
static void expect_ssh_key(git_credential *c, const char *user,
			   const char *pub, const char *priv, const char *pass)
{
	assert_non_null(c);
	assert_int_equal(c->credtype, GIT_CREDENTIAL_SSH_KEY);
	struct git_credential_ssh_key *k = (void *)c;
	assert_string_equal(k->username, user);
	if (pub)
		assert_string_equal(k->publickey, pub);
	else
		assert_null(k->publickey);
	if (priv)
		assert_string_equal(k->privatekey, priv);
	else
		assert_null(k->privatekey);
	if (pass)
		assert_string_equal(k->passphrase, pass);
	else
		assert_null(k->passphrase);
	git_credential_free(c);
}

/* ------------------------------------------------------------ setup */

static void test_init_and_callbacks(void **state)
{
	(void)state;
	struct lps_transport t;
	memset(&t, 0xab, sizeof(t));
	lps_transport_init(&t);
	assert_null(t.progress);
	assert_null(t.message);
	assert_null(t.ctx);
	assert_int_equal(t.tries, 0);
	assert_int_equal(t.key_index, 0);
	assert_int_equal(t.tried_agent, 0);
	assert_int_equal(t.tried_userpass, 0);
	assert_string_equal(t.rejected, "");

	git_remote_callbacks cb;
	assert_int_equal(git_remote_init_callbacks(&cb,
			 GIT_REMOTE_CALLBACKS_VERSION), 0);
	t.tries = 5;
	t.key_index = 3;
	t.tried_agent = t.tried_userpass = 1;
	strcpy(t.rejected, "refs/heads/main: no");
	lps_transport_callbacks(&cb, &t);
	assert_ptr_equal(cb.payload, &t);
	assert_ptr_equal(cb.credentials, lps_transport_credentials);
	assert_non_null(cb.transfer_progress);
	assert_non_null(cb.push_transfer_progress);
	assert_non_null(cb.sideband_progress);
	assert_non_null(cb.push_update_reference);
	/* the attempts and the last refusal start over */
	assert_int_equal(t.tries, 0);
	assert_int_equal(t.key_index, 0);
	assert_int_equal(t.tried_agent, 0);
	assert_int_equal(t.tried_userpass, 0);
	assert_string_equal(t.rejected, "");

	/* without t the payload still counts attempts */
	git_remote_callbacks cb2;
	git_remote_init_callbacks(&cb2, GIT_REMOTE_CALLBACKS_VERSION);
	lps_transport_callbacks(&cb2, NULL);
	assert_non_null(cb2.payload);
	git_credential *c;
	assert_int_equal(cb2.credentials(&c, URL, "ada",
					 GIT_CREDENTIAL_USERNAME, cb2.payload),
			 0);
	assert_string_equal(((struct git_credential_username *)c)->username,
			    "ada");
	git_credential_free(c);
	/* and the reporting callbacks do nothing there */
	git_indexer_progress st = { .total_objects = 4,
				    .received_objects = 2 };
	assert_int_equal(cb2.transfer_progress(&st, cb2.payload), 0);
	assert_int_equal(cb2.sideband_progress("x", 1, cb2.payload), 0);
}

/* ------------------------------------------------------------ credentials */

static void test_no_payload(void **state)
{
	(void)state;
	git_credential *c;
	assert_int_equal(ask(&c, NULL, URL, "ada", GIT_CREDENTIAL_USERNAME),
			 -1);
	assert_null(c);
	expect_git_error("authentication to " URL " failed");
}

static void test_username(void **state)
{
	(void)state;
	struct lps_transport t;
	lps_transport_init(&t);
	git_credential *c;

	/* from the URL */
	assert_int_equal(ask(&c, &t, URL, "ada", GIT_CREDENTIAL_USERNAME |
			     GIT_CREDENTIAL_SSH_KEY), 0);
	assert_int_equal(c->credtype, GIT_CREDENTIAL_USERNAME);
	assert_string_equal(((struct git_credential_username *)c)->username,
			    "ada");
	git_credential_free(c);

	/* else LPS_USERNAME */
	setenv("LPS_USERNAME", "bea", 1);
	assert_int_equal(ask(&c, &t, URL, NULL, GIT_CREDENTIAL_USERNAME), 0);
	assert_string_equal(((struct git_credential_username *)c)->username,
			    "bea");
	git_credential_free(c);
	assert_int_equal(ask(&c, &t, URL, "", GIT_CREDENTIAL_USERNAME), 0);
	assert_string_equal(((struct git_credential_username *)c)->username,
			    "bea");
	git_credential_free(c);

	/* else "git" */
	setenv("LPS_USERNAME", "", 1);
	assert_int_equal(ask(&c, &t, URL, NULL, GIT_CREDENTIAL_USERNAME), 0);
	assert_string_equal(((struct git_credential_username *)c)->username,
			    "git");
	git_credential_free(c);
	assert_int_equal(t.tries, 4);
}

static void test_tries_limited(void **state)
{
	(void)state;
	struct lps_transport t;
	lps_transport_init(&t);
	git_credential *c;
	for (int i = 0; i < LPS_TRANSPORT_MAX_CRED_TRIES; i++) {
		assert_int_equal(ask(&c, &t, URL, "ada",
				     GIT_CREDENTIAL_USERNAME), 0);
		git_credential_free(c);
	}
	assert_int_equal(ask(&c, &t, URL, "ada", GIT_CREDENTIAL_USERNAME), -1);
	assert_null(c);
	expect_git_error("authentication to " URL " failed");
	/* without a URL the message names the roundtable */
	assert_int_equal(ask(&c, &t, NULL, "ada", GIT_CREDENTIAL_USERNAME), -1);
	expect_git_error("authentication to the roundtable failed");

	/* installing the callbacks again starts a new operation */
	git_remote_callbacks cb;
	git_remote_init_callbacks(&cb, GIT_REMOTE_CALLBACKS_VERSION);
	lps_transport_callbacks(&cb, &t);
	assert_int_equal(ask(&c, &t, URL, "ada", GIT_CREDENTIAL_USERNAME), 0);
	git_credential_free(c);
}

static void test_no_type_offered(void **state)
{
	(void)state;
	struct lps_transport t;
	lps_transport_init(&t);
	git_credential *c;
	assert_int_equal(ask(&c, &t, URL, "ada", GIT_CREDENTIAL_DEFAULT), -1);
	assert_null(c);
	expect_git_error("authentication to " URL " failed");
}

static void test_userpass_env(void **state)
{
	(void)state;
	struct lps_transport t;
	lps_transport_init(&t);
	git_credential *c;
	setenv("LPS_USERNAME", "ada", 1);
	setenv("LPS_PASSWORD", "s3cret", 1);
	assert_int_equal(ask(&c, &t, URL, NULL,
			     GIT_CREDENTIAL_USERPASS_PLAINTEXT), 0);
	expect_userpass(c, "ada", "s3cret");
	/* offered once per operation: the server said no */
	assert_int_equal(ask(&c, &t, URL, NULL,
			     GIT_CREDENTIAL_USERPASS_PLAINTEXT), -1);
	assert_null(c);
	expect_git_error("authentication to " URL " failed");

	/* the URL's user name with LPS_PASSWORD */
	unsetenv("LPS_USERNAME");
	lps_transport_init(&t);
	assert_int_equal(ask(&c, &t, URL, "bea",
			     GIT_CREDENTIAL_USERPASS_PLAINTEXT), 0);
	expect_userpass(c, "bea", "s3cret");

	/* an empty password is a password */
	setenv("LPS_USERNAME", "ada", 1);
	setenv("LPS_PASSWORD", "", 1);
	lps_transport_init(&t);
	assert_int_equal(ask(&c, &t, URL, NULL,
			     GIT_CREDENTIAL_USERPASS_PLAINTEXT), 0);
	expect_userpass(c, "ada", "");
}

static void test_userpass_none(void **state)
{
	(void)state;
	struct lps_transport t;
	lps_transport_init(&t);
	git_credential *c;
	/* a user name alone is not enough without askpass */
	setenv("LPS_USERNAME", "ada", 1);
	setenv("GIT_ASKPASS", "", 1);
	assert_int_equal(ask(&c, &t, URL, NULL,
			     GIT_CREDENTIAL_USERPASS_PLAINTEXT), -1);
	assert_null(c);
	expect_git_error("no credentials for " URL ": set LPS_USERNAME and "
			 "LPS_PASSWORD, or GIT_ASKPASS");
}

/* An askpass that logs each prompt and answers user/pass from files. */
static const char *make_askpass(const char *name, const char *user_answer,
				const char *pass_answer)
{
	char script[1024];
	snprintf(script, sizeof(script),
		 "#!/bin/sh\n"
		 "printf '%%s\\n' \"$1\" >> '%s/prompts'\n"
		 "case $1 in\n"
		 "Username*) printf '%s' ;;\n"
		 "Password*) printf '%s' ;;\n"
		 "esac\n",
		 tmp, user_answer, pass_answer);
	const char *path = in_tmp(name);
	write_file(path, script, 0755);
	return path;
}

static void test_askpass(void **state)
{
	(void)state;
	struct lps_transport t;
	lps_transport_init(&t);
	git_credential *c;
	setenv("GIT_ASKPASS", make_askpass("ask", "ada\\nignored\\n",
					   "pa ss\\nnot this\\n"), 1);
	assert_int_equal(ask(&c, &t, URL, NULL,
			     GIT_CREDENTIAL_USERPASS_PLAINTEXT), 0);
	expect_userpass(c, "ada", "pa ss");
	char *log = slurp(in_tmp("prompts"));
	assert_string_equal(log, "Username for '" URL "': \n"
			    "Password for '" URL "': \n");
	free(log);
}

static void test_askpass_password_only(void **state)
{
	(void)state;
	struct lps_transport t;
	git_credential *c;
	setenv("GIT_ASKPASS", make_askpass("ask", "nobody\\n", "pw\\r\\n"), 1);

	/* the user name from the URL: only the password is asked */
	lps_transport_init(&t);
	assert_int_equal(ask(&c, &t, URL, "bea",
			     GIT_CREDENTIAL_USERPASS_PLAINTEXT), 0);
	expect_userpass(c, "bea", "pw");
	/* the same with LPS_USERNAME */
	setenv("LPS_USERNAME", "cy", 1);
	lps_transport_init(&t);
	assert_int_equal(ask(&c, &t, URL, NULL,
			     GIT_CREDENTIAL_USERPASS_PLAINTEXT), 0);
	expect_userpass(c, "cy", "pw");
	char *log = slurp(in_tmp("prompts"));
	assert_string_equal(log, "Password for '" URL "': \n"
			    "Password for '" URL "': \n");
	free(log);

	/* LPS_PASSWORD with no user anywhere: only the user name is asked */
	unsetenv("LPS_USERNAME");
	setenv("LPS_PASSWORD", "envpw", 1);
	unlink(in_tmp("prompts"));
	lps_transport_init(&t);
	assert_int_equal(ask(&c, &t, URL, NULL,
			     GIT_CREDENTIAL_USERPASS_PLAINTEXT), 0);
	expect_userpass(c, "nobody", "envpw");
	log = slurp(in_tmp("prompts"));
	assert_string_equal(log, "Username for '" URL "': \n");
	free(log);
}

static void test_askpass_order(void **state)
{
	(void)state;
	struct lps_transport t;
	git_credential *c;
	const char *git = make_askpass("git-ask", "from-git\\n", "g\\n");
	const char *ssh = make_askpass("ssh-ask", "from-ssh\\n", "s\\n");

	/* SSH_ASKPASS when GIT_ASKPASS is unset or empty */
	setenv("SSH_ASKPASS", ssh, 1);
	lps_transport_init(&t);
	assert_int_equal(ask(&c, &t, URL, NULL,
			     GIT_CREDENTIAL_USERPASS_PLAINTEXT), 0);
	expect_userpass(c, "from-ssh", "s");
	setenv("GIT_ASKPASS", "", 1);
	lps_transport_init(&t);
	assert_int_equal(ask(&c, &t, URL, NULL,
			     GIT_CREDENTIAL_USERPASS_PLAINTEXT), 0);
	expect_userpass(c, "from-ssh", "s");

	/* GIT_ASKPASS first */
	setenv("GIT_ASKPASS", git, 1);
	lps_transport_init(&t);
	assert_int_equal(ask(&c, &t, URL, NULL,
			     GIT_CREDENTIAL_USERPASS_PLAINTEXT), 0);
	expect_userpass(c, "from-git", "g");
}

static void test_askpass_fails(void **state)
{
	(void)state;
	struct lps_transport t;
	git_credential *c;
	const char *msg = "the askpass program gave no credentials for " URL;

	/* it exits non-zero, whatever it printed */
	const char *p = in_tmp("fails");
	write_file(p, "#!/bin/sh\necho ada\nexit 1\n", 0755);
	setenv("GIT_ASKPASS", p, 1);
	lps_transport_init(&t);
	assert_int_equal(ask(&c, &t, URL, NULL,
			     GIT_CREDENTIAL_USERPASS_PLAINTEXT), -1);
	assert_null(c);
	expect_git_error(msg);

	/* it gives an empty user name */
	setenv("GIT_ASKPASS", make_askpass("empty", "\\n", "pw\\n"), 1);
	lps_transport_init(&t);
	assert_int_equal(ask(&c, &t, URL, NULL,
			     GIT_CREDENTIAL_USERPASS_PLAINTEXT), -1);
	expect_git_error(msg);

	/* it does not exist, or cannot be run */
	setenv("GIT_ASKPASS", in_tmp("no-such-program"), 1);
	lps_transport_init(&t);
	assert_int_equal(ask(&c, &t, URL, "ada",
			     GIT_CREDENTIAL_USERPASS_PLAINTEXT), -1);
	expect_git_error(msg);
	p = in_tmp("not-executable");
	write_file(p, "#!/bin/sh\necho pw\n", 0644);
	setenv("GIT_ASKPASS", p, 1);
	lps_transport_init(&t);
	assert_int_equal(ask(&c, &t, URL, "ada",
			     GIT_CREDENTIAL_USERPASS_PLAINTEXT), -1);
	expect_git_error(msg);

	/* the askpass is asked once per operation too */
	assert_int_equal(ask(&c, &t, URL, "ada",
			     GIT_CREDENTIAL_USERPASS_PLAINTEXT), -1);
	expect_git_error("authentication to " URL " failed");
}

static void test_askpass_long_answer(void **state)
{
	(void)state;
	struct lps_transport t;
	git_credential *c;
	char *pw = malloc(LPS_TRANSPORT_MAX_SECRET + 2);
	assert_non_null(pw);
	char script[4096];
	const char *p = in_tmp("long");

	/* one byte under the limit, then a newline: taken */
	memset(pw, 'x', LPS_TRANSPORT_MAX_SECRET - 1);
	pw[LPS_TRANSPORT_MAX_SECRET - 1] = '\0';
	snprintf(script, sizeof(script), "#!/bin/sh\nprintf '%s\\n'\n", pw);
	write_file(p, script, 0755);
	setenv("GIT_ASKPASS", p, 1);
	lps_transport_init(&t);
	assert_int_equal(ask(&c, &t, URL, "ada",
			     GIT_CREDENTIAL_USERPASS_PLAINTEXT), 0);
	expect_userpass(c, "ada", pw);

	/* exactly the limit, then a newline: taken (this was refused) */
	memset(pw, 'w', LPS_TRANSPORT_MAX_SECRET);
	pw[LPS_TRANSPORT_MAX_SECRET] = '\0';
	snprintf(script, sizeof(script), "#!/bin/sh\nprintf '%s\\n'\n", pw);
	write_file(p, script, 0755);
	lps_transport_init(&t);
	assert_int_equal(ask(&c, &t, URL, "ada",
			     GIT_CREDENTIAL_USERPASS_PLAINTEXT), 0);
	expect_userpass(c, "ada", pw);

	/* exactly the limit without a newline: taken */
	memset(pw, 'y', LPS_TRANSPORT_MAX_SECRET);
	pw[LPS_TRANSPORT_MAX_SECRET] = '\0';
	snprintf(script, sizeof(script), "#!/bin/sh\nprintf '%s'\n", pw);
	write_file(p, script, 0755);
	lps_transport_init(&t);
	assert_int_equal(ask(&c, &t, URL, "ada",
			     GIT_CREDENTIAL_USERPASS_PLAINTEXT), 0);
	expect_userpass(c, "ada", pw);

	/* a first line over the limit: refused, not cut short */
	memset(pw, 'z', LPS_TRANSPORT_MAX_SECRET + 1);
	pw[LPS_TRANSPORT_MAX_SECRET + 1] = '\0';
	snprintf(script, sizeof(script), "#!/bin/sh\nprintf '%s\\n'\n", pw);
	write_file(p, script, 0755);
	lps_transport_init(&t);
	assert_int_equal(ask(&c, &t, URL, "ada",
			     GIT_CREDENTIAL_USERPASS_PLAINTEXT), -1);
	expect_git_error("the askpass program gave no credentials for " URL);

	/* a short first line followed by much more: the first line */
	snprintf(script, sizeof(script),
		 "#!/bin/sh\nprintf 'short\\n%s%s\\n'\n", pw, pw);
	write_file(p, script, 0755);
	lps_transport_init(&t);
	assert_int_equal(ask(&c, &t, URL, "ada",
			     GIT_CREDENTIAL_USERPASS_PLAINTEXT), 0);
	expect_userpass(c, "ada", "short");
	free(pw);
}

/* The ssh port the host key check looks up in known_hosts. */
static void test_set_url_port(void **state)
{
	(void)state;
	static const struct { const char *url; int port; } cases[] = {
		{ "ssh://git@h.example.org:2222/rt.git", 2222 },
		{ "ssh://h.example.org/rt.git", 22 },
		{ "ssh://[::1]:2200/rt.git", 2200 },
		{ "ssh://[::1]/rt.git", 22 },
		{ "git+ssh://u@h:7000/x", 7000 },
		{ "ssh+git://h:7001/x", 7001 },
		{ "git@h.example.org:north/rt.git", 22 },
		{ "ssh://h:0/x", 22 },
		{ "ssh://h:99999/x", 22 },
		{ "ssh://user:pw@h/x", 22 },
		{ "https://h:8443/x", 22 },
		{ NULL, 22 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct lps_transport t;
		lps_transport_init(&t);
		lps_transport_set_url(&t, cases[i].url);
		if (t.ssh_port != cases[i].port)
			print_error("%s: port %d, expected %d\n",
				    cases[i].url ? cases[i].url : "(null)",
				    t.ssh_port, cases[i].port);
		assert_int_equal(t.ssh_port, cases[i].port);
		/* kept across the per-operation reset */
		git_remote_callbacks cb;
		git_remote_init_callbacks(&cb, GIT_REMOTE_CALLBACKS_VERSION);
		lps_transport_callbacks(&cb, &t);
		assert_int_equal(t.ssh_port, cases[i].port);
		assert_non_null(cb.certificate_check);
	}
}

static void test_ssh_agent_then_keys(void **state)
{
	(void)state;
	struct lps_transport t;
	lps_transport_init(&t);
	git_credential *c;
	const unsigned ssh = GIT_CREDENTIAL_SSH_KEY;
	char home_ed[256], home_rsa[256], mine[256], mine_pub[256];
	snprintf(home_ed, sizeof(home_ed), "%s", in_tmp("home/.ssh/id_ed25519"));
	snprintf(home_rsa, sizeof(home_rsa), "%s", in_tmp("home/.ssh/id_rsa"));
	snprintf(mine, sizeof(mine), "%s", in_tmp("mykey"));
	snprintf(mine_pub, sizeof(mine_pub), "%s", in_tmp("mykey.pub"));
	write_file(home_ed, "k", 0600);
	write_file(in_tmp("home/.ssh/id_ed25519.pub"), "p", 0644);
	write_file(home_rsa, "k", 0600); /* no .pub beside it */
	write_file(mine, "k", 0600);
	write_file(mine_pub, "p", 0644);
	char ed_pub[300];
	snprintf(ed_pub, sizeof(ed_pub), "%s.pub", home_ed);

	setenv("SSH_AUTH_SOCK", in_tmp("agent.sock"), 1);
	setenv("LPS_SSH_KEY", mine, 1);
	setenv("LPS_SSH_PASSPHRASE", "phrase", 1);

	/* the agent first, with the URL's user */
	assert_int_equal(ask(&c, &t, "ssh://ada@h/r", "ada", ssh), 0);
	expect_ssh_key(c, "ada", NULL, NULL, NULL);
	/* then LPS_SSH_KEY, then ~/.ssh in order, skipping id_ecdsa */
	assert_int_equal(ask(&c, &t, "ssh://ada@h/r", "ada", ssh), 0);
	expect_ssh_key(c, "ada", mine_pub, mine, "phrase");
	assert_int_equal(ask(&c, &t, "ssh://ada@h/r", "ada", ssh), 0);
	expect_ssh_key(c, "ada", ed_pub, home_ed, "phrase");
	assert_int_equal(ask(&c, &t, "ssh://ada@h/r", "ada", ssh), 0);
	expect_ssh_key(c, "ada", NULL, home_rsa, "phrase");
	/* nothing left */
	assert_int_equal(ask(&c, &t, "ssh://ada@h/r", "ada", ssh), -1);
	assert_null(c);
	expect_git_error("no ssh key was accepted by ssh://ada@h/r: run "
			 "ssh-agent or set LPS_SSH_KEY");
	assert_int_equal(ask(&c, &t, "ssh://ada@h/r", "ada", ssh), -1);
	expect_git_error("no ssh key was accepted by ssh://ada@h/r: run "
			 "ssh-agent or set LPS_SSH_KEY");
}

static void test_ssh_no_agent(void **state)
{
	(void)state;
	struct lps_transport t;
	git_credential *c;
	const unsigned ssh = GIT_CREDENTIAL_SSH_KEY;
	char ecdsa[256];
	snprintf(ecdsa, sizeof(ecdsa), "%s", in_tmp("home/.ssh/id_ecdsa"));
	write_file(ecdsa, "k", 0600);

	/* no SSH_AUTH_SOCK: no agent; a missing LPS_SSH_KEY is skipped;
	 * no passphrase; the user is LPS_USERNAME, else "git" */
	setenv("LPS_SSH_KEY", in_tmp("missing-key"), 1);
	setenv("LPS_USERNAME", "bea", 1);
	lps_transport_init(&t);
	assert_int_equal(ask(&c, &t, "git@h:r", NULL, ssh), 0);
	expect_ssh_key(c, "bea", NULL, ecdsa, NULL);
	assert_int_equal(ask(&c, &t, "git@h:r", NULL, ssh), -1);
	expect_git_error("no ssh key was accepted by git@h:r: run ssh-agent "
			 "or set LPS_SSH_KEY");

	unsetenv("LPS_USERNAME");
	lps_transport_init(&t);
	assert_int_equal(ask(&c, &t, "git@h:r", "", ssh), 0);
	expect_ssh_key(c, "git", NULL, ecdsa, NULL);

	/* no HOME: only LPS_SSH_KEY could be offered */
	unsetenv("HOME");
	lps_transport_init(&t);
	assert_int_equal(ask(&c, &t, NULL, NULL, ssh), -1);
	expect_git_error("no ssh key was accepted by the roundtable: run "
			 "ssh-agent or set LPS_SSH_KEY");
	setenv("HOME", in_tmp("home"), 1);
}

/* ------------------------------------------------------------ reporting */

struct record {
	char stage[64];
	size_t done, total;
	int progress_calls;
};

static void rec_progress(void *ctx, const char *stage, size_t done,
			 size_t total)
{
	struct record *r = ctx;
	snprintf(r->stage, sizeof(r->stage), "%s", stage);
	r->done = done;
	r->total = total;
	r->progress_calls++;
}

static void test_progress_callbacks(void **state)
{
	(void)state;
	struct record r = { 0 };
	struct lps_transport t;
	lps_transport_init(&t);
	t.progress = rec_progress;
	t.ctx = &r;
	git_remote_callbacks cb;
	git_remote_init_callbacks(&cb, GIT_REMOTE_CALLBACKS_VERSION);
	lps_transport_callbacks(&cb, &t);

	git_indexer_progress st = { 0 };
	st.total_objects = 20;
	st.received_objects = 9;
	st.indexed_objects = 3;
	assert_int_equal(cb.transfer_progress(&st, cb.payload), 0);
	assert_int_equal(r.progress_calls, 1);
	assert_string_equal(r.stage, "Receiving objects");
	assert_int_equal(r.done, 9);
	assert_int_equal(r.total, 20);
	/* nothing to receive: no report */
	st.total_objects = 0;
	assert_int_equal(cb.transfer_progress(&st, cb.payload), 0);
	assert_int_equal(r.progress_calls, 1);

	assert_int_equal(cb.push_transfer_progress(3, 10, 999, cb.payload), 0);
	assert_int_equal(r.progress_calls, 2);
	assert_string_equal(r.stage, "Writing objects");
	assert_int_equal(r.done, 3);
	assert_int_equal(r.total, 10);
	assert_int_equal(cb.push_transfer_progress(0, 0, 0, cb.payload), 0);
	assert_int_equal(r.progress_calls, 2);

	/* without a callback (or a payload) nothing is called or fails */
	t.progress = NULL;
	st.total_objects = 5;
	assert_int_equal(cb.transfer_progress(&st, cb.payload), 0);
	assert_int_equal(cb.push_transfer_progress(1, 2, 3, cb.payload), 0);
	assert_int_equal(cb.transfer_progress(&st, NULL), 0);
	assert_int_equal(cb.push_transfer_progress(1, 2, 3, NULL), 0);
	assert_int_equal(r.progress_calls, 2);
}

/* Lines the message callback received, each followed by '|'. */
struct lines {
	char all[2048];
	size_t last_len;
	int calls;
};

static void rec_line(void *ctx, const char *text, size_t len)
{
	struct lines *l = ctx;
	size_t n = strlen(l->all);
	snprintf(l->all + n, sizeof(l->all) - n, "%.*s|", (int)len, text);
	l->last_len = len;
	l->calls++;
}

static void test_sideband_lines(void **state)
{
	(void)state;
	struct lines l = { "", 0, 0 };
	struct lps_transport t;
	lps_transport_init(&t);
	t.message = rec_line;
	t.ctx = &l;
	git_remote_callbacks cb;
	git_remote_init_callbacks(&cb, GIT_REMOTE_CALLBACKS_VERSION);
	lps_transport_callbacks(&cb, &t);

	/* whole lines, without their end of line, even split in pieces */
	assert_int_equal(cb.sideband_progress("guard: refu", 11, cb.payload),
			 0);
	assert_int_equal(l.calls, 0);
	assert_int_equal(cb.sideband_progress("sed\nsecond\nthi", 14,
					      cb.payload), 0);
	assert_string_equal(l.all, "guard: refused|second|");
	/* only len bytes count */
	assert_int_equal(cb.sideband_progress("rd\nIGNORED\n", 3, cb.payload),
			 0);
	assert_string_equal(l.all, "guard: refused|second|third|");

	/* the server's progress redraws (ended by \r) are dropped, and so
	 * are empty lines */
	const char *p = "Counting objects: 1\rCounting objects: 2\r\n\n"
			"done\r\n";
	assert_int_equal(cb.sideband_progress(p, (int)strlen(p), cb.payload),
			 0);
	assert_string_equal(l.all, "guard: refused|second|third|");
	assert_int_equal(l.calls, 3);
	assert_int_equal(cb.sideband_progress("", 0, cb.payload), 0);
	assert_int_equal(l.calls, 3);

	/* a line longer than the buffer is cut to it */
	char big[1500];
	memset(big, 'b', sizeof(big));
	big[sizeof(big) - 1] = '\n';
	assert_int_equal(cb.sideband_progress(big, (int)sizeof(big),
					      cb.payload), 0);
	assert_int_equal(l.calls, 4);
	assert_int_equal(l.last_len, sizeof(t.line));

	/* a new operation drops a partial line left by the last one */
	assert_int_equal(cb.sideband_progress("half", 4, cb.payload), 0);
	lps_transport_callbacks(&cb, &t);
	l.all[0] = '\0';
	assert_int_equal(cb.sideband_progress("new\n", 4, cb.payload), 0);
	assert_string_equal(l.all, "new|");

	/* no message callback or no payload: nothing happens */
	t.message = NULL;
	assert_int_equal(cb.sideband_progress("x\n", 2, cb.payload), 0);
	assert_int_equal(cb.sideband_progress("x\n", 2, NULL), 0);
	assert_int_equal(l.calls, 5);
}

static void test_update_reference(void **state)
{
	(void)state;
	struct lps_transport t;
	lps_transport_init(&t);
	git_remote_callbacks cb;
	git_remote_init_callbacks(&cb, GIT_REMOTE_CALLBACKS_VERSION);
	lps_transport_callbacks(&cb, &t);

	/* accepted refs leave nothing */
	assert_int_equal(cb.push_update_reference("refs/heads/main", NULL,
						  cb.payload), 0);
	assert_string_equal(t.rejected, "");
	/* the first refusal is kept */
	assert_int_equal(cb.push_update_reference("refs/lps/ada",
		"pre-receive hook declined", cb.payload), 0);
	assert_string_equal(t.rejected,
			    "refs/lps/ada: pre-receive hook declined");
	assert_int_equal(cb.push_update_reference("refs/heads/x", "later",
						  cb.payload), 0);
	assert_string_equal(t.rejected,
			    "refs/lps/ada: pre-receive hook declined");
	assert_int_equal(cb.push_update_reference("r", "s", NULL), 0);

	/* a long reason is cut to fit */
	lps_transport_callbacks(&cb, &t);
	char reason[1000];
	memset(reason, 'r', sizeof(reason) - 1);
	reason[sizeof(reason) - 1] = '\0';
	assert_int_equal(cb.push_update_reference("refs/heads/main", reason,
						  cb.payload), 0);
	assert_int_equal(strlen(t.rejected), sizeof(t.rejected) - 1);
	assert_memory_equal(t.rejected, "refs/heads/main: rrr", 20);
}

/* What fn writes on stderr (caller frees). */
static char *stderr_of(void (*fn)(void *), void *arg)
{
	char path[64];
	strcpy(path, "/tmp/lps-transport-err.XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stderr);
	int saved = dup(2);
	dup2(fd, 2);
	close(fd);
	fn(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	char *s = slurp(path);
	unlink(path);
	return s;
}

static void draw_progress(void *arg)
{
	(void)arg;
	lps_transport_stderr_progress(NULL, "Receiving objects", 9, 20);
	lps_transport_stderr_progress(NULL, "Receiving objects", 20, 20);
	lps_transport_stderr_progress(NULL, "Writing objects", 0, 3);
	lps_transport_stderr_progress(NULL, "Writing objects", 3, 3);
	lps_transport_stderr_progress(NULL, "Empty", 0, 0);
	lps_transport_stderr_progress(NULL, "Odd", 1, 3);
}

static void test_stderr_progress(void **state)
{
	(void)state;
	char *s = stderr_of(draw_progress, NULL);
	assert_string_equal(s, "\rReceiving objects:  45% (9/20)"
			    "\rReceiving objects: 100% (20/20)\n"
			    "\rWriting objects:   0% (0/3)"
			    "\rWriting objects: 100% (3/3)\n"
			    "\rEmpty: 100% (0/0)\n"
			    "\rOdd:  33% (1/3)");
	free(s);
}

struct text {
	const char *s;
	size_t len;
};

static void put_message(void *arg)
{
	struct text *t = arg;
	lps_transport_stderr_message(NULL, t->s, t->len);
}

static void test_stderr_message(void **state)
{
	(void)state;
	static const char in[] =
		"Enumerating objects: 5, done.\n"
		"Counting objects: 100% (5/5)\r"
		"Compressing objects: 100% (2/2), done.\n"
		"lps-guard: refs/heads/main: only ada may push here\r\n"
		"\n"
		"Total 3 (delta 0), reused 0 (delta 0)\n"
		"Resolving deltas: 100%\n"
		"Writing objects: 3\n"
		"Totally fine\n"
		"  Counting objects: indented is not progress\n"
		"last line without newline";
	struct text t = { in, sizeof(in) - 1 };
	char *s = stderr_of(put_message, &t);
	assert_string_equal(s,
		"remote: lps-guard: refs/heads/main: only ada may push here\n"
		"remote: Totally fine\n"
		"remote:   Counting objects: indented is not progress\n"
		"remote: last line without newline\n");
	free(s);

	/* only len bytes are read */
	struct text part = { "first\nsecond", 8 };
	s = stderr_of(put_message, &part);
	assert_string_equal(s, "remote: first\nremote: se\n");
	free(s);
	/* a short piece that is a prefix of a progress word is kept */
	struct text shortp = { "Count", 5 };
	s = stderr_of(put_message, &shortp);
	assert_string_equal(s, "remote: Count\n");
	free(s);
	struct text empty = { "", 0 };
	s = stderr_of(put_message, &empty);
	assert_string_equal(s, "");
	free(s);
}

int main(void)
{
	git_libgit2_init();
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_init_and_callbacks),
		T(test_no_payload),
		T(test_username),
		T(test_tries_limited),
		T(test_no_type_offered),
		T(test_userpass_env),
		T(test_userpass_none),
		T(test_askpass),
		T(test_askpass_password_only),
		T(test_askpass_order),
		T(test_askpass_fails),
		T(test_askpass_long_answer),
		T(test_set_url_port),
		T(test_ssh_agent_then_keys),
		T(test_ssh_no_agent),
		T(test_progress_callbacks),
		T(test_sideband_lines),
		T(test_update_reference),
		T(test_stderr_progress),
		T(test_stderr_message),
#undef T
	};
	int rc = cmocka_run_group_tests_name("transport", tests, NULL, NULL);
	git_libgit2_shutdown();
	return rc;
}
