#!/bin/sh
# t3700-ssh: the roundtable over ssh:// - an sshd of the test's own on
# 127.0.0.1 (its own host key, config and authorized keys; started and
# stopped here) serves a bare roundtable repository.  lps checks the
# host key against known_hosts as ssh does (an unknown host and a
# changed key are refused, a hashed entry is found), and signs in with a
# key file from ~/.ssh, with the key named by LPS_SSH_KEY, and through
# the ssh-agent.  Needs root (sshd) and Debian's openssh-server, which
# .ci/run installs.
. "$(dirname "$0")/lib.sh"

# Under the sanitizers: whole stacks for every allocation, so that
# tests/lsan.supp can tell libgit2's own ssh known_hosts leak (its frames
# are git_remote_connect_ext and libssh2's) from leaks of lps.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0
export ASAN_OPTIONS

SSHD=/usr/sbin/sshd
if ! [ -x "$SSHD" ] || [ "$(id -u)" != 0 ] ||
   ! command -v ssh-keygen >/dev/null || ! command -v ssh-keyscan >/dev/null; then
	echo "ok 1 - # skipped: needs root, sshd and ssh-keygen (Debian: openssh-server)"
	test_done
fi

SRV=$TRASH_ROOT/srv
mkdir -p "$SRV" "$HOME/.ssh" /run/sshd
chmod 700 "$HOME/.ssh"
git init -q --bare "$SRV/rt.git"
SSHD_PID= AGENT_PID=
trap 'for p in $SSHD_PID $AGENT_PID; do kill "$p" 2>/dev/null; done; rm -rf "$TRASH_ROOT"' EXIT

ssh-keygen -q -t ed25519 -N "" -C host -f "$SRV/host_key"
ssh-keygen -q -t ed25519 -N "" -C other -f "$SRV/other_host_key"
ssh-keygen -q -t ed25519 -N "" -C member -f "$HOME/.ssh/id_ed25519"
cp "$HOME/.ssh/id_ed25519.pub" "$SRV/authorized_keys"
USER_NAME=$(id -un)

start_sshd() {
	tries=0
	while [ $tries -lt 30 ]; do
		PORT=$((30000 + ($$ * 37 + tries * 1013) % 20000))
		cat >"$SRV/sshd_config" <<EOF
Port $PORT
ListenAddress 127.0.0.1
HostKey $SRV/host_key
PidFile $SRV/sshd.pid
AuthorizedKeysFile $SRV/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
EOF
		"$SSHD" -D -e -f "$SRV/sshd_config" >"$SRV/sshd.log" 2>&1 &
		SSHD_PID=$!
		waited=0
		while [ $waited -lt 50 ]; do
			if ssh-keyscan -p "$PORT" 127.0.0.1 >"$SRV/scan" 2>/dev/null &&
			   [ -s "$SRV/scan" ]; then
				return 0
			fi
			kill -0 "$SSHD_PID" 2>/dev/null || break
			sleep 0.1
			waited=$((waited + 1))
		done
		kill "$SSHD_PID" 2>/dev/null
		wait "$SSHD_PID" 2>/dev/null
		SSHD_PID=
		tries=$((tries + 1))
	done
	return 1
}

if ! start_sshd; then
	echo "could not start sshd on 127.0.0.1:"
	cat "$SRV/sshd.log"
	exit 1
fi
URL=ssh://$USER_NAME@127.0.0.1:$PORT$SRV/rt.git
KNOWN=$HOME/.ssh/known_hosts

test_expect_success 'setup: a member joins the roundtable over ssh://' '
	lps init ada --name Ada --role principal >/dev/null &&
	cd ada && lps roundtable join "$URL" --as ada >/dev/null
'

test_expect_success 'an unknown host is refused, nothing is sent' '
	cd ada && rm -f "$KNOWN" &&
	set +e; lps push >"$TRASH/out" 2>"$TRASH/err"; rc=$?; set -e &&
	test $rc = 4 &&
	grep -q "\[127.0.0.1\]:$PORT is not a known ssh host; check its key and record it in ~/.ssh/known_hosts (ssh -p $PORT 127.0.0.1 asks and records it)" "$TRASH/err" &&
	test "$(wc -l <"$TRASH/err")" = 1 &&
	test -z "$(git -C "$SRV/rt.git" for-each-ref)"
'

test_expect_success 'with the host key recorded, a key file in ~/.ssh signs in' '
	cd ada && cp "$SRV/scan" "$KNOWN" &&
	lps push >"$TRASH/out" &&
	grep -q "^Pushed 2 commits to members/ada (" "$TRASH/out" &&
	test "$(git -C "$SRV/rt.git" rev-parse members/ada)" = "$(git rev-parse HEAD)"
'

test_expect_success 'a hashed known_hosts entry is found too' '
	cd ada && ssh-keygen -q -H -f "$KNOWN" 2>/dev/null && rm -f "$KNOWN.old" &&
	! grep -q 127.0.0.1 "$KNOWN" &&
	lps goal add "Read more" --agenda student >/dev/null &&
	lps push >"$TRASH/out" && grep -q "^Pushed 1 commit to members/ada" "$TRASH/out"
'

test_expect_success 'a host key that changed is refused, for push and pull' '
	cd ada &&
	printf "[127.0.0.1]:%s %s\n" "$PORT" "$(cut -d" " -f1,2 "$SRV/other_host_key.pub")" >"$KNOWN" &&
	lps goal add "Write more" --agenda student >/dev/null &&
	before=$(git -C "$SRV/rt.git" rev-parse members/ada) &&
	set +e; lps push >"$TRASH/out" 2>"$TRASH/err"; rc=$?; set -e &&
	test $rc = 4 &&
	grep -q "the ssh host key of \[127.0.0.1\]:$PORT differs from the one in known_hosts: someone may be impersonating the host; not connecting" "$TRASH/err" &&
	test "$(git -C "$SRV/rt.git" rev-parse members/ada)" = "$before" &&
	set +e; lps pull >"$TRASH/out" 2>"$TRASH/err"; rc=$?; set -e &&
	test $rc = 4 && grep -q "differs from the one in known_hosts" "$TRASH/err" &&
	cp "$SRV/scan" "$KNOWN" && lps push >/dev/null &&
	git_clean .
'

test_expect_success 'LPS_SSH_KEY names a key kept elsewhere' '
	cd ada && mkdir -p "$TRASH_ROOT/keys" &&
	mv "$HOME/.ssh/id_ed25519" "$HOME/.ssh/id_ed25519.pub" "$TRASH_ROOT/keys/" &&
	set +e; lps pull >"$TRASH/out" 2>"$TRASH/err"; rc=$?; set -e &&
	test $rc = 4 && grep -q "no ssh key was accepted by .*: run ssh-agent or set LPS_SSH_KEY$" "$TRASH/err" &&
	LPS_SSH_KEY=$TRASH_ROOT/keys/id_ed25519 lps pull >"$TRASH/out" &&
	echo "Already up to date" >"$TRASH/expect" && test_cmp "$TRASH/expect" "$TRASH/out"
'

test_expect_success 'the ssh-agent signs in when it holds the key' '
	cd ada &&
	eval "$(ssh-agent -s -a "$TRASH_ROOT/agent.sock")" >/dev/null &&
	AGENT_PID=$SSH_AGENT_PID &&
	ssh-add -q "$TRASH_ROOT/keys/id_ed25519" 2>/dev/null &&
	lps goal add "Lead more" --agenda system >/dev/null &&
	lps push >"$TRASH/out" && grep -q "^Pushed 1 commit to members/ada" "$TRASH/out" &&
	kill "$AGENT_PID" && AGENT_PID=
'

test_expect_success 'a second member pulls over ssh and sees the first' '
	mv "$TRASH_ROOT/keys/id_ed25519" "$TRASH_ROOT/keys/id_ed25519.pub" "$HOME/.ssh/" &&
	lps init bo --name Bo --role principal >/dev/null &&
	cd bo && lps roundtable join "$URL" --as bo >/dev/null &&
	lps push >/dev/null && lps pull >/dev/null &&
	lps roundtable members >"$TRASH/members" &&
	grep -q "^ada: Ada (principal)" "$TRASH/members" && grep -q "^bo: Bo (principal)" "$TRASH/members" &&
	git_clean .
'

test_done
