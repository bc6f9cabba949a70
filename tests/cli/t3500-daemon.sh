#!/bin/sh
# t3500-daemon: the roundtable over git:// - a `git daemon` with
# receive-pack enabled on 127.0.0.1 serves a bare roundtable repository
# with the guard installed.  Three members with separate HOMEs join,
# push, pull, give feedback and add meetings, and each sees the others;
# the guard refuses each bad push over git:// with its one line shown to
# the pusher, and a valid push passes; a private canary never reaches the
# server, and a member's second machine pushes while the first pulls and
# continues.
. "$(dirname "$0")/lib.sh"

LPS_TODAY=2026-10-01
export LPS_TODAY

if ! [ -x "$(git --exec-path)/git-daemon" ]; then
	echo "ok 1 - # skipped: git daemon is not available"
	test_done
fi

SRV=$TRASH_ROOT/srv
mkdir -p "$SRV"
git init -q --bare "$SRV/rt.git"
DAEMON_PID=
trap 'if [ -n "$DAEMON_PID" ]; then kill "$DAEMON_PID" 2>/dev/null; wait "$DAEMON_PID" 2>/dev/null; fi; rm -rf "$TRASH_ROOT"' EXIT

# Start git daemon on the first free port found from a start that
# depends on this process, so parallel runs try different ports; wait
# until it answers.  Only 127.0.0.1 is ever listened on.
start_daemon() {
	tries=0
	while [ $tries -lt 40 ]; do
		PORT=$((20000 + ($$ * 31 + tries * 997) % 20000))
		git daemon --enable=receive-pack --export-all \
			--base-path="$SRV" --reuseaddr --listen=127.0.0.1 \
			--port=$PORT "$SRV" >"$TRASH_ROOT/daemon.log" 2>&1 &
		DAEMON_PID=$!
		waited=0
		while [ $waited -lt 50 ]; do
			if git ls-remote "git://127.0.0.1:$PORT/rt.git" \
				>/dev/null 2>&1; then
				return 0
			fi
			kill -0 "$DAEMON_PID" 2>/dev/null || break
			sleep 0.1
			waited=$((waited + 1))
		done
		kill "$DAEMON_PID" 2>/dev/null
		wait "$DAEMON_PID" 2>/dev/null
		DAEMON_PID=
		tries=$((tries + 1))
	done
	return 1
}

if ! start_daemon; then
	echo "could not start git daemon on 127.0.0.1:"
	cat "$TRASH_ROOT/daemon.log"
	exit 1
fi
URL=git://127.0.0.1:$PORT/rt.git

# as WHO CMD...: run CMD in WHO's portfolio with WHO's own HOME.
as() {
	who=$1; shift
	(cd "$TRASH/$who" && HOME="$TRASH_ROOT/home-$who" "$@")
}

# refused WHO REFSPEC LINE [--force]: plain `git push` over git:// from
# WHO's repository fails, the only server line the pusher sees is LINE,
# and no ref of the roundtable moved.
refused() {
	before=$(git -C "$SRV/rt.git" for-each-ref)
	if as "$1" git push ${4:-} "$URL" "$2" >"$TRASH/push.out" \
		2>"$TRASH/push.err"; then
		echo "push $2 was accepted"; cat "$TRASH/push.err"; return 1
	fi
	sed -n 's/^remote: //p' "$TRASH/push.err" |
		sed 's/[[:space:]]*$//' >"$TRASH/push.remote"
	printf '%s\n' "$3" >"$TRASH/push.expect"
	test_cmp "$TRASH/push.expect" "$TRASH/push.remote" ||
		{ cat "$TRASH/push.err"; return 1; }
	grep -q "pre-receive hook declined" "$TRASH/push.err"
	[ "$before" = "$(git -C "$SRV/rt.git" for-each-ref)" ] ||
		{ echo "refs changed"; return 1; }
}

test_expect_success 'setup: the guard in the served bare repository' '
	run_lps 0 roundtable install-guard "$SRV/rt.git" &&
	expect_out "Installed the guard: $SRV/rt.git/hooks/pre-receive runs $LPS_TEST_BIN/lps-guard" &&
	git ls-remote "$URL" >refs && expect_empty refs
'

test_expect_success 'three members with their own HOMEs join over git:// and push' '
	for who in ada bob cy; do
		mkdir -p "$TRASH_ROOT/home-$who" &&
		HOME="$TRASH_ROOT/home-$who" git config --global user.name "$who" &&
		HOME="$TRASH_ROOT/home-$who" git config --global user.email "$who@example.org" &&
		HOME="$TRASH_ROOT/home-$who" git config --global init.defaultBranch main &&
		HOME="$TRASH_ROOT/home-$who" lps init "$who" --name "Member $who" \
			--role principal >/dev/null &&
		as $who lps roundtable join "$URL" --as $who >/dev/null &&
		as $who lps push -q || exit 1
	done &&
	git -C "$SRV/rt.git" for-each-ref --format="%(refname)" >got &&
	printf "refs/heads/members/%s\n" ada bob cy >want &&
	test_cmp want got &&
	git -C "$SRV/rt.git" fsck --strict --no-progress
'

test_expect_success 'each member sees the others' '
	for who in ada bob cy; do
		as $who lps pull -q &&
		as $who lps roundtable members >members.$who &&
		cut -d: -f1 members.$who >got &&
		printf "%s\n" ada bob cy >want &&
		test_cmp want got || exit 1
	done &&
	grep -q "^bob: Member bob (principal), cycle 2026-2027, phase purpose, 0 goals, last activity " members.ada
'

test_expect_success 'a goal pushed by ada gets feedback from bob; ada receives it' '
	as ada lps goal add "Raise grade 3 reading" --agenda student >out &&
	gid=$(sed -n "s/^Added goal \(g-[0-9a-f]*\) .*/\1/p" out) &&
	test -n "$gid" &&
	as ada lps push -q &&
	as bob lps pull -q &&
	as bob lps feedback give ada --on "$gid" --kind question \
		-m "Which texts do you use?" >out &&
	grep -q "^Gave feedback f-[0-9a-f]* to ada on $gid" out ||
	{ cat out; false; } &&
	as bob lps push -q &&
	as ada lps pull -q &&
	as ada lps feedback list --received >got &&
	grep -q "bob" got && grep -q "Which texts do you use?" got &&
	grep -q "$gid" got || { cat got; false; } &&
	as cy lps pull -q &&
	as cy lps feedback list --received >got &&
	! grep -q "Which texts" got
'

test_expect_success 'meetings added at the same moment over git:// both land' '
	(as ada lps roundtable meeting add --agenda "ada agenda" \
		>/dev/null 2>err.ada || echo ada >>failed) &
	(as cy lps roundtable meeting add --agenda "cy agenda" \
		>/dev/null 2>err.cy || echo cy >>failed) &
	wait &&
	if test -s failed; then cat failed err.*; false; fi &&
	test ! -s err.ada && test ! -s err.cy &&
	test "$(git -C "$SRV/rt.git" rev-list --count roundtable)" = 2 &&
	as bob lps pull -q &&
	as bob lps roundtable meeting list >got &&
	test "$(wc -l <got)" = 2 &&
	grep -q "  2026-10-01  ada  .*ada agenda" got &&
	grep -q "  2026-10-01  cy  .*cy agenda" got || { cat got; false; }
'

test_expect_success 'norms edited over git:// reach the others' '
	as bob env EDITOR="sed -i s/on.time/on\ time\ always/" \
		lps roundtable norms edit >out &&
	grep -qx "Updated the roundtable'"'"'s norms" out &&
	as ada lps pull -q &&
	as ada lps roundtable norms show >got &&
	grep -qx "  1. We start and end on time always." got
'

test_expect_success 'the guard over git://: a member branch carrying another handle' '
	line=$(grep -n "^  handle: bob" bob/lps.yaml | cut -d: -f1) &&
	refused bob HEAD:members/dan \
	  "lps-guard: refusing members/dan: lps.yaml:$line:11: owner.handle is \"bob\", not \"dan\": members/dan holds only dan'"'"'s portfolio"
'

test_expect_success 'the guard over git://: deleting another member branch' '
	refused bob :members/ada \
	  "lps-guard: refusing members/ada: deleting a branch is refused: published history is never removed"
'

test_expect_success 'the guard over git://: rewriting another member branch with --force' '
	as bob git fetch -q "$URL" members/ada &&
	as bob git checkout -q -b evil FETCH_HEAD &&
	as bob git commit -q --amend -m "rewritten" &&
	refused bob HEAD:members/ada \
	  "lps-guard: refusing members/ada: not a fast-forward: published history is never rewritten (lps pull, then push again)" \
	  --force &&
	as bob git checkout -q main
'

test_expect_success 'the guard over git://: an invalid document' '
	mkdir -p ada/goals &&
	printf "lps: 1\nid: g-0000000b\ntitle: 42\nagenda: student\nstatus: active\ncycle: 2026-2027\ncreated: 2026-09-02\n" \
		>ada/goals/g-0000000b.yaml &&
	as ada git add goals/g-0000000b.yaml &&
	as ada git commit -q -m "goal: broken by hand" &&
	refused ada HEAD:members/ada \
	  "lps-guard: refusing members/ada: goals/g-0000000b.yaml:3:8: title: expected string, got integer 42" &&
	as ada git reset -q --hard HEAD~1
'

test_expect_success 'a valid push over git:// passes the guard' '
	before=$(git -C "$SRV/rt.git" rev-parse members/ada) &&
	as ada lps goal add "Build PLC routines" --agenda professional >/dev/null &&
	as ada lps push >out 2>err &&
	test "$(git -C "$SRV/rt.git" rev-parse members/ada)" != "$before" &&
	test "$(git -C "$SRV/rt.git" rev-list --count $before..members/ada)" = 1 &&
	git -C "$SRV/rt.git" fsck --strict --no-progress
'

test_expect_success 'over git://: a private canary never reaches the server; pushes are incremental' '
	as cy lps reflect -m "CANARY-DAEMON-31c7 private" >/dev/null &&
	as cy lps push >out && grep -q "^Pushed 1 commit to members/cy" out &&
	test "$(git -C "$SRV/rt.git" cat-file --batch-all-objects --batch | grep -c CANARY-DAEMON || :)" = 0 &&
	as cy lps push >out && echo "Everything up to date" >want && test_cmp want out
'

test_expect_success 'over git://: the second machine pushes, the first pulls and continues' '
	git clone -q "$TRASH/bob" "$TRASH/bob2" &&
	(cd "$TRASH/bob2" && HOME="$TRASH_ROOT/home-bob" lps roundtable join "$URL" --as bob >/dev/null) &&
	(cd "$TRASH/bob2" && HOME="$TRASH_ROOT/home-bob" lps pull -q &&
	 HOME="$TRASH_ROOT/home-bob" lps goal add "From the laptop" --agenda system >/dev/null &&
	 HOME="$TRASH_ROOT/home-bob" lps push -q) &&
	as bob lps goal add "From school" --agenda student >/dev/null &&
	set +e; as bob lps push -q 2>err; rc=$?; set -e && test $rc = 3 &&
	as bob lps pull >out &&
	echo "Replayed 1 commit from the roundtable and put 1 local commit on top" >want &&
	test_cmp want out &&
	as bob lps push -q &&
	(cd "$TRASH/bob2" && HOME="$TRASH_ROOT/home-bob" lps pull >"$TRASH/out" &&
	 test $(ls goals | wc -l) = 2) &&
	echo "Replayed 1 commit from the roundtable" >want && test_cmp want out &&
	(cd "$TRASH/bob2" && HOME="$TRASH_ROOT/home-bob" lps push >"$TRASH/out") &&
	echo "Everything up to date" >want && test_cmp want out &&
	as bob lps pull >out && echo "Already up to date" >want && test_cmp want out &&
	as bob lps check >/dev/null && (cd "$TRASH/bob" && git_clean .) &&
	(cd "$TRASH/bob2" && git_clean .)
'

test_done
