#!/bin/sh
# t1300-purpose: lps purpose shows and sets the function and statement of
# the cycle in lps.yaml; --edit goes through the editor.
. "$(dirname "$0")/lib.sh"

export LPS_TODAY=2026-10-01

# msg_is LINE...: the message of HEAD is exactly these lines.
msg_is() {
	git log --format=%B -n1 >"$TRASH_ROOT/msg" &&
	printf "%s\n" "$@" "" >"$TRASH_ROOT/expect" &&
	test_cmp "$TRASH_ROOT/expect" "$TRASH_ROOT/msg"
}

test_expect_success 'setup' '
	lps init p --name "Ada Leader" --role principal >/dev/null &&
	cat >"$TRASH_ROOT/ed-write" <<-\EOF &&
	#!/bin/sh
	# keep the template, put a statement in front of it
	{ echo "I lead so that every child reads.  "; echo; echo; echo "Second line."; cat "$1"; } >"$1.new" &&
	mv "$1.new" "$1"
	EOF
	cat >"$TRASH_ROOT/ed-empty" <<-\EOF &&
	#!/bin/sh
	grep "^#" "$1" >"$1.new"; mv "$1.new" "$1"
	EOF
	cat >"$TRASH_ROOT/ed-fail" <<-\EOF &&
	#!/bin/sh
	exit 3
	EOF
	cat >"$TRASH_ROOT/ed-keep" <<-EOF &&
	#!/bin/sh
	cp "\$1" "$TRASH_ROOT/seen"
	EOF
	chmod +x "$TRASH_ROOT"/ed-*
'

test_expect_success 'show before anything is set' '
	cd p &&
	run_lps 0 purpose &&
	printf "function:  (not set)\nstatement: (not set)\n" >../expect &&
	test_cmp ../expect "$OUT" &&
	run_lps 0 purpose --format json &&
	expect_out "{}"
'

test_expect_success 'set function and statement: one commit' '
	cd p &&
	run_lps 0 purpose set --function growth --statement "Raise reading for every child." &&
	expect_out "Set purpose function to growth and the statement" &&
	expect_empty "$ERR" &&
	commit_count 2 && git_clean &&
	msg_is "purpose: set growth" "" "LPS-Command: purpose set" "LPS-Phase: purpose" &&
	git show HEAD:lps.yaml | sed -n "/^purpose:/,/^created:/p" >../got &&
	printf "purpose:\n  function: growth\n  statement: Raise reading for every child.\ncreated: 2026-10-01\n" >../expect &&
	test_cmp ../expect ../got
'

test_expect_success 'show: text and json (valid against its schema)' '
	cd p &&
	run_lps 0 purpose &&
	printf "function:  growth\nstatement: Raise reading for every child.\n" >../expect &&
	test_cmp ../expect "$OUT" &&
	run_lps 0 purpose --format json &&
	printf "%s\n" "{" "  \"function\": \"growth\"," "  \"statement\": \"Raise reading for every child.\"" "}" >../expect &&
	test_cmp ../expect "$OUT" &&
	cp "$OUT" ../purpose.json &&
	run_lps 0 validate --schema "$TOP/schemas/out-purpose.schema.yaml" ../purpose.json
'

test_expect_success 'set only the function, then nothing changed' '
	cd p &&
	run_lps 0 purpose set --function evaluation &&
	expect_out "Set purpose function to evaluation" &&
	msg_is "purpose: set evaluation" "" "LPS-Command: purpose set" "LPS-Phase: purpose" &&
	run_lps 0 purpose set --function evaluation &&
	expect_out "Nothing changed" &&
	commit_count 3 && git_clean
'

test_expect_success 'edit: the editor sees the current statement; text tidied' '
	cd p &&
	EDITOR="$TRASH_ROOT/ed-keep" run_lps 0 purpose set --edit &&
	expect_out "Nothing changed" &&
	head -n 1 "$TRASH_ROOT/seen" >../got &&
	echo "Raise reading for every child." >../expect &&
	test_cmp ../expect ../got &&
	grep -q "^# Write the purpose of your cycle above" "$TRASH_ROOT/seen" &&
	EDITOR="$TRASH_ROOT/ed-write" run_lps 0 purpose set --edit &&
	expect_out "Set purpose statement" &&
	msg_is "purpose: set statement" "" "LPS-Command: purpose set" "LPS-Phase: purpose" &&
	run_lps 0 purpose &&
	printf "%s\n" "function:  evaluation" \
		"statement: I lead so that every child reads." \
		"" "           Second line." \
		"           Raise reading for every child." >../expect &&
	test_cmp ../expect "$OUT" &&
	commit_count 4 && git_clean
'

test_expect_success 'edit: empty statement or failing editor aborts, nothing written' '
	cd p &&
	git rev-parse HEAD >../before &&
	EDITOR="$TRASH_ROOT/ed-empty" run_lps 1 purpose set --edit &&
	expect_err "lps: error: aborted: empty purpose statement" &&
	EDITOR="$TRASH_ROOT/ed-fail" run_lps 4 purpose set --edit &&
	git rev-parse HEAD >../after && test_cmp ../before ../after && git_clean
'

test_expect_success 'bad input changes nothing' '
	cd p &&
	git rev-parse HEAD >../before &&
	run_lps 2 purpose set --function fun &&
	head -n 1 "$ERR" >../got &&
	echo "lps: error: --function: unknown value '"'"'fun'"'"' (one of: growth evaluation credentialing self-assessment)" >../expect &&
	test_cmp ../expect ../got &&
	run_lps 2 purpose set &&
	run_lps 2 purpose set --statement "   " &&
	run_lps 2 purpose set --statement x --edit &&
	run_lps 2 purpose set --function &&
	run_lps 2 purpose --format yaml &&
	run_lps 2 purpose frob &&
	git rev-parse HEAD >../after && test_cmp ../before ../after && git_clean
'

test_expect_success 'help; outside a portfolio' '
	run_lps 0 purpose --help &&
	head -n 1 "$OUT" >../got &&
	echo "usage: lps purpose [--format text|json]" >../expect &&
	test_cmp ../expect ../got &&
	run_lps 1 purpose
'

test_done
