#!/bin/sh
# t3800-https-credentials: which user name and password lps gives an
# http(s) roundtable that asks for them, through libgit2's real HTTP
# transport.  The authserver helper ($LPS_TEST_BUILD/tests/authserver)
# listens on 127.0.0.1, answers 401 to a request without credentials and
# writes down the decoded "user:password" of one with them (then says
# 403, so the fetch fails after it).  Checked: LPS_USERNAME and
# LPS_PASSWORD, GIT_ASKPASS (asked for both, and for the password only
# when the URL names the user), SSH_ASKPASS as the fallback, and the
# one-line error when there is nothing to ask.
. "$(dirname "$0")/lib.sh"

: "${LPS_TEST_BUILD:=$TOP/build/std}"
AUTHSERVER=$LPS_TEST_BUILD/tests/authserver
SERVER_PID=
trap 'if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; fi; rm -rf "$TRASH_ROOT"' EXIT

# serve: start the helper (it serves a few connections), PORT set.
serve() {
	rm -f "$TRASH/creds" "$TRASH/port"
	"$AUTHSERVER" "$TRASH/creds" "$TRASH/port" 6 &
	SERVER_PID=$!
	n=0
	while [ ! -s "$TRASH/port" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
	PORT=$(cat "$TRASH/port")
}

stop() {
	kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
}

# pull_fails URL: lps pull against URL exits 4 (the server says 403).
pull_fails() {
	(cd folio && lps roundtable leave >/dev/null 2>&1;
	 lps roundtable join "$1" --as ada >/dev/null) &&
	set +e; (cd folio && lps pull) >"$TRASH/out" 2>"$TRASH/err"; rc=$?; set -e
	stop
	[ "$rc" = 4 ] || { echo "exit $rc"; cat "$TRASH/err"; return 1; }
}

test_expect_success 'setup: the helper is built; a portfolio' '
	test -x "$AUTHSERVER" &&
	lps init folio --name Ada --role principal >/dev/null
'

test_expect_success 'LPS_USERNAME and LPS_PASSWORD are sent' '
	serve &&
	LPS_USERNAME=u1 LPS_PASSWORD="p 1" pull_fails "http://127.0.0.1:$PORT/rt.git" &&
	echo "u1:p 1" >want && test_cmp want creds
'

test_expect_success 'GIT_ASKPASS is asked for the user name and the password' '
	cat >ask.sh <<-EOF &&
	#!/bin/sh
	printf "%s\\n" "\$1" >>"$TRASH/prompts"
	case \$1 in Username*) echo u2 ;; Password*) echo p2 ;; esac
	EOF
	chmod +x ask.sh && rm -f prompts && serve &&
	GIT_ASKPASS=$TRASH/ask.sh pull_fails "http://127.0.0.1:$PORT/rt.git" &&
	echo "u2:p2" >want && test_cmp want creds &&
	printf "%s\n" "Username for '"'"'http://127.0.0.1:$PORT/rt.git'"'"': " \
		"Password for '"'"'http://127.0.0.1:$PORT/rt.git'"'"': " >want &&
	test_cmp want prompts
'

test_expect_success 'a user name in the URL: only the password is asked; SSH_ASKPASS serves too' '
	rm -f prompts && serve &&
	SSH_ASKPASS=$TRASH/ask.sh pull_fails "http://bo@127.0.0.1:$PORT/rt.git" &&
	printf "%s\n" "bo:" "bo:p2" >want && test_cmp want creds &&
	test "$(wc -l <prompts)" = 1 && grep -q "^Password for " prompts
'

test_expect_success 'nothing to ask: one clear line, exit 4' '
	serve &&
	(cd folio && lps roundtable leave >/dev/null &&
	 lps roundtable join "http://127.0.0.1:$PORT/rt.git" --as ada >/dev/null) &&
	env -u GIT_ASKPASS -u SSH_ASKPASS -u LPS_USERNAME -u LPS_PASSWORD \
		sh -c "cd folio && lps pull" >out 2>err && exit 1
	rc=$?; stop; test $rc = 4 &&
	test "$(wc -l <err)" = 1 &&
	grep -q "no credentials for http://127.0.0.1:$PORT/rt.git: set LPS_USERNAME and LPS_PASSWORD, or GIT_ASKPASS" err &&
	test ! -e creds &&
	(cd folio && git_clean .)
'

test_done
