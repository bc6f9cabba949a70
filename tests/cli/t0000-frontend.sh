#!/bin/sh
# t0000-frontend: the lps front end finds and runs lps-<name>, answers
# --version and help, and suggests near names for unknown commands.
. "$(dirname "$0")/lib.sh"

# A user command that shows how it was called and exits with status 7.
mkdir -p "$TRASH_ROOT/ext" "$TRASH_ROOT/onpath"
cat >"$TRASH_ROOT/ext/lps-hello" <<'SH'
#!/bin/sh
if [ "${1-}" = --help ]; then echo "usage: lps hello [ARG...]"; exit 0; fi
echo "argv0=$0"
echo "argc=$#"
for a in "$@"; do echo "arg=[$a]"; done
exit 7
SH
cat >"$TRASH_ROOT/ext/lps-where" <<'SH'
#!/bin/sh
pwd
SH
printf '#!/bin/sh\necho from-exec-path\n' >"$TRASH_ROOT/ext/lps-both"
printf '#!/bin/sh\necho from-path\n' >"$TRASH_ROOT/onpath/lps-both"
printf '#!/bin/sh\necho only-on-path "$@"\n' >"$TRASH_ROOT/onpath/lps-pathonly"
chmod +x "$TRASH_ROOT"/ext/* "$TRASH_ROOT"/onpath/*
EXT=$TRASH_ROOT/ext
BIN=$LPS_TEST_BIN

test_expect_success '--version and version print the version' '
	run_lps 0 --version &&
	expect_out "lps 0.1.0" &&
	expect_empty "$ERR" &&
	run_lps 0 version &&
	expect_out "lps 0.1.0"
'

test_expect_success 'dispatch passes arguments and the exit status' '
	LPS_EXEC_PATH="$EXT:$BIN" run_lps 7 hello "two words" "" x &&
	cat >expect <<-EOF &&
	argv0=$EXT/lps-hello
	argc=3
	arg=[two words]
	arg=[]
	arg=[x]
	EOF
	test_cmp expect "$OUT" &&
	expect_empty "$ERR"
'

test_expect_success 'LPS_EXEC_PATH comes before PATH' '
	PATH="$TRASH_ROOT/onpath:$PATH" LPS_EXEC_PATH="$EXT" run_lps 0 both &&
	expect_out from-exec-path
'

test_expect_success 'PATH is searched last' '
	PATH="$TRASH_ROOT/onpath:$PATH" run_lps 0 pathonly a b &&
	expect_out "only-on-path a b"
'

test_expect_success 'the folder of the lps binary is searched' '
	mkdir inst &&
	cp "$BIN/lps" inst/lps &&
	cp "$EXT/lps-hello" inst/lps-hello &&
	set +e
	env -u LPS_EXEC_PATH ./inst/lps hello >out 2>err
	rc=$?
	set -e
	test "$rc" = 7 &&
	grep -qx "argv0=$TRASH/inst/lps-hello" out
'

test_expect_success 'unknown command: exit 2 and a hint' '
	run_lps 2 lgo &&
	expect_empty "$OUT" &&
	cat >expect <<-\EOF &&
	lps: error: '"'"'lgo'"'"' is not an lps command
	hint: did you mean '"'"'log'"'"'?
	EOF
	test_cmp expect "$ERR"
'

test_expect_success 'unknown command with several near names' '
	LPS_EXEC_PATH="$EXT:$BIN" run_lps 2 chek &&
	cat >expect <<-\EOF &&
	lps: error: '"'"'chek'"'"' is not an lps command
	hint: did you mean '"'"'check'"'"'?
	EOF
	test_cmp expect "$ERR" &&
	LPS_EXEC_PATH="$EXT:$BIN" run_lps 2 hellp &&
	grep -x "hint: did you mean '"'"'hello'"'"'?" "$ERR" &&
	mkdir -p ext2 &&
	printf "#!/bin/sh\n" >ext2/lps-checks &&
	printf "#!/bin/sh\n" >ext2/lps-chuck &&
	chmod +x ext2/* &&
	LPS_EXEC_PATH="$TRASH/ext2:$BIN" run_lps 2 chck &&
	grep -x "hint: did you mean '"'"'check'"'"', '"'"'chuck'"'"' or '"'"'checks'"'"'?" "$ERR" &&
	run_lps 2 lo &&
	grep -x "hint: did you mean '"'"'log'"'"'?" "$ERR" &&
	run_lps 2 ini &&
	grep -x "hint: did you mean '"'"'init'"'"'?" "$ERR"
'

test_expect_success 'unknown command with nothing close: no hint' '
	run_lps 2 zzzzzz &&
	expect_err "lps: error: '"'"'zzzzzz'"'"' is not an lps command" &&
	run_lps 2 ../lps-hello &&
	expect_err "lps: error: '"'"'../lps-hello'"'"' is not an lps command"
'

test_expect_success 'a built-in command that is not installed: exit 4' '
	mkdir -p lonely &&
	cp "$BIN/lps" lonely/lps &&
	set +e
	env -u LPS_EXEC_PATH PATH=/usr/bin:/bin ./lonely/lps log >out 2>err
	rc=$?
	set -e
	test "$rc" = 4 &&
	expect_empty out &&
	grep -qx "lps: error: cannot find lps-log on the search path (LPS_EXEC_PATH, .*, the folder of lps, PATH)" err
'

test_expect_success 'unknown option to lps: exit 2 with usage' '
	run_lps 2 --frobnicate &&
	expect_empty "$OUT" &&
	head -n 2 "$ERR" >actual &&
	cat >expect <<-\EOF &&
	lps: error: unknown option '"'"'--frobnicate'"'"'
	usage: lps [-C DIR] [--version] [--help] <command> [<args>]
	EOF
	test_cmp expect actual
'

test_expect_success 'lps alone lists the commands with descriptions' '
	run_lps 0 &&
	expect_empty "$ERR" &&
	head -n 1 "$OUT" >actual &&
	echo "usage: lps [-C DIR] [--version] [--help] <command> [<args>]" >expect &&
	test_cmp expect actual &&
	sed -n "/^commands:/,/^\$/p" "$OUT" | sed -n "s/^  \([a-z]*\)  .*/\1/p" >actual &&
	printf "%s\n" init status phase purpose goal action structure evidence \
		reflect reflection feedback assess framework report roundtable \
		push pull validate check log >expect &&
	test_cmp expect actual &&
	grep -q "^  log  *show " "$OUT"
'

test_expect_success 'lps-guard is listed as a server-side program only' '
	run_lps 0 help &&
	sed -n "/^server-side programs/,/^\$/p" "$OUT" >actual &&
	cat >expect <<-\EOF &&
	server-side programs (run by a git server, not by hand):
	  lps-guard   the roundtable'"'"'s pre-receive hook (roundtable install-guard)

	EOF
	test_cmp expect actual &&
	test -x "$BIN/lps-guard" &&
	! grep -q "^  guard" "$OUT" &&
	! grep -q "^other lps-" "$OUT"
'

test_expect_success 'lps guard runs lps-guard like any program' '
	run_lps 0 guard --help &&
	head -n 1 "$OUT" >actual &&
	echo "usage: lps-guard [GIT-DIR] < pre-receive-input" >expect &&
	test_cmp expect actual &&
	expect_empty "$ERR" &&
	mkdir -p lonely-guard &&
	cp "$BIN/lps" lonely-guard/lps &&
	set +e
	env -u LPS_EXEC_PATH PATH=/usr/bin:/bin ./lonely-guard/lps guard >out 2>err
	rc=$?
	set -e
	test "$rc" = 4 &&
	grep -qx "lps: error: cannot find lps-guard on the search path (.*)" err
'

test_expect_success 'help and --help list the same, plus extra programs' '
	run_lps 0 && cp "$OUT" plain &&
	run_lps 0 --help && test_cmp plain "$OUT" &&
	run_lps 0 -h && test_cmp plain "$OUT" &&
	run_lps 0 help && test_cmp plain "$OUT" &&
	LPS_EXEC_PATH="$EXT:$BIN" run_lps 0 help &&
	sed -n "/^other lps-\* programs/,/^\$/p" "$OUT" >actual &&
	cat >expect <<-\EOF &&
	other lps-* programs on the search path:
	  both
	  hello
	  where

	EOF
	test_cmp expect actual
'

test_expect_success '-C runs the command in another folder' '
	mkdir -p sub/dir &&
	LPS_EXEC_PATH="$EXT" run_lps 0 -C sub/dir where &&
	expect_out "$TRASH/sub/dir" &&
	LPS_EXEC_PATH="$EXT" run_lps 0 -Csub where &&
	expect_out "$TRASH/sub" &&
	run_lps 2 -C nowhere where &&
	expect_err "lps: error: cannot change to '"'"'nowhere'"'"': No such file or directory"
'

test_expect_success 'help CMD shows the man page beside the binary' '
	mkdir -p man-inst &&
	cp "$BIN/lps" man-inst/lps &&
	ln -s "$TOP/man" man-inst/man &&
	MANPAGER=cat PAGER=cat MANWIDTH=80 ./man-inst/lps help log >out 2>err &&
	grep -q "^NAME" out &&
	grep -q "lps-log.*portfolio" out &&
	MANPAGER=cat PAGER=cat MANWIDTH=80 ./man-inst/lps help guard >out 2>err &&
	grep -q "^NAME" out &&
	grep -q "lps-guard.*pre-receive" out
'

test_expect_success 'help CMD falls back to CMD --help when man fails' '
	mkdir -p fakeman &&
	printf "#!/bin/sh\nexit 16\n" >fakeman/man &&
	chmod +x fakeman/man &&
	PATH="$TRASH/fakeman:$PATH" LPS_EXEC_PATH="$EXT:$BIN" \
		run_lps 0 help hello &&
	expect_out "usage: lps hello [ARG...]" &&
	PATH="$TRASH/fakeman:$PATH" LPS_EXEC_PATH="$EXT:$BIN" \
		run_lps 0 --help hello &&
	expect_out "usage: lps hello [ARG...]" &&
	run_lps 2 help lgo &&
	grep -x "hint: did you mean '"'"'log'"'"'?" "$ERR"
'

test_expect_success 'every command answers --help with a usage line' '
	ls "$TOP"/cmd/lps-log.c &&
	for src in "$TOP"/cmd/lps-*.c; do
		name=$(basename "$src" .c); name=${name#lps-}
		run_lps 0 "$name" --help || exit 1
		# lps-guard is a hook program, named as git runs it.
		want="lps $name"; [ "$name" = guard ] && want=lps-guard
		head -n 1 "$OUT" | grep -q "^usage: $want[ $]" ||
			{ echo "lps $name --help:"; cat "$OUT"; exit 1; }
		expect_empty "$ERR" || exit 1
		echo "checked $name"
	done
'

# It only finds and execs programs: starting libgit2 (which reads the whole
# CA bundle) would cost every lps command a few milliseconds for nothing.
test_expect_success 'the front end does not load libgit2 or libyaml' '
	readelf -d "$BIN/lps" >dyn &&
	grep -q "(NEEDED).*libc\.so" dyn &&
	! grep -E "(NEEDED).*(libgit2|libyaml|libssh2)" dyn &&
	readelf -d "$BIN/lps-log" >dyn &&
	grep -q "(NEEDED).*libgit2" dyn
'

test_done
