#!/bin/sh
# t1400-reflect: lps reflect writes reflections (text from -m, -F or the
# editor), lists prompts; lps reflection list|show reads them back.
. "$(dirname "$0")/lib.sh"

export LPS_TODAY=2026-10-01

msg_is() {
	git log --format=%B -n1 >"$TRASH_ROOT/msg" &&
	printf "%s\n" "$@" "" >"$TRASH_ROOT/expect" &&
	test_cmp "$TRASH_ROOT/expect" "$TRASH_ROOT/msg"
}

# new_id: the id of the reflection added by the last command ($OUT).
new_id() { sed -n "s/^Added reflection \(r-[0-9a-f]*\)\$/\1/p" "$OUT"; }

# a goal committed with git (goals are another engineer's command)
add_goal() { # id title
	mkdir -p goals &&
	printf "lps: 1\nid: %s\ntitle: %s\nagenda: student\nstatus: active\ncycle: 2026-2027\ncreated: 2026-09-01\n" "$1" "$2" >goals/$1.yaml &&
	git add goals/$1.yaml && git commit -q -m "goal by hand"
}

test_expect_success 'setup' '
	lps init p --name "Ada Leader" --role principal >/dev/null &&
	(cd p && add_goal g-3f9a1c07 "Raise reading" &&
	 add_goal g-3f000001 "Other goal") &&
	cat >"$TRASH_ROOT/ed-write" <<-EOF &&
	#!/bin/sh
	cp "\$1" "$TRASH_ROOT/template"
	{ echo "Written in the editor.   "; echo; echo; cat "\$1"; echo "last line"; } >"\$1.new"
	mv "\$1.new" "\$1"
	EOF
	cat >"$TRASH_ROOT/ed-empty" <<-\EOF &&
	#!/bin/sh
	printf "\n   \n# only comments\n" >"$1"
	EOF
	cat >"$TRASH_ROOT/ed-fail" <<-\EOF &&
	#!/bin/sh
	exit 1
	EOF
	chmod +x "$TRASH_ROOT"/ed-*
'

test_expect_success '-m: one commit, the document as written' '
	cd p &&
	run_lps 0 reflect -m "Reading time matters.

Next: ask the team." --goal 3f9a --prompt lfl.focus.1 &&
	id=$(new_id) && test -n "$id" &&
	expect_out "Added reflection $id" && expect_empty "$ERR" &&
	commit_count 4 && git_clean &&
	msg_is "reflection: add $id" "" "LPS-Command: reflect" "LPS-Phase: purpose" &&
	cat >../expect <<-EOF &&
	lps: 1
	id: $id
	date: 2026-10-01
	cycle: 2026-2027
	phase: purpose
	prompt: lfl.focus.1
	goals:
	  - g-3f9a1c07
	body: |-
	  Reading time matters.

	  Next: ask the team.
	EOF
	test_cmp ../expect reflections/$id.yaml &&
	echo $id >../r1
'

test_expect_success '-F FILE, -F - and --date, --visibility' '
	cd p &&
	printf "From a file.\n\n\n" >../text &&
	run_lps 0 reflect -F ../text --date 2026-09-15 &&
	id=$(new_id) && echo $id >../r2 &&
	git show HEAD:reflections/$id.yaml | sed -n "/^date/p;/^body/p" >../got &&
	printf "date: 2026-09-15\nbody: From a file.\n" >../expect &&
	test_cmp ../expect ../got &&
	echo "From standard input." | lps reflect -F - --visibility roundtable >"$OUT" &&
	id=$(new_id) && echo $id >../r3 &&
	git show HEAD:reflections/$id.yaml | tail -n 2 >../got &&
	printf "body: From standard input.\nvisibility: roundtable\n" >../expect &&
	test_cmp ../expect ../got &&
	commit_count 6 && git_clean
'

test_expect_success 'editor: template shows the prompt, comments stripped' '
	cd p &&
	EDITOR="$TRASH_ROOT/ed-write" run_lps 0 reflect --prompt lfl.coherence.1 --goal g-3f9a1c07 &&
	id=$(new_id) && echo $id >../r4 &&
	cat >../expect <<-\EOF &&

	# Prompt lfl.coherence.1:
	# How do the pieces of your improvement work fit together for a teacher
	# who meets them all?
	#
	# Phase: purpose; goals: g-3f9a1c07.
	# Write your reflection above. Lines starting with '"'"'#'"'"' are left out; an
	# empty reflection aborts and nothing is written.
	EOF
	test_cmp ../expect "$TRASH_ROOT/template" &&
	git show HEAD:reflections/$id.yaml | sed -n "/^body/,\$p" >../got &&
	printf "body: |-\n  Written in the editor.\n\n  last line\n" >../expect &&
	test_cmp ../expect ../got &&
	commit_count 7 && git_clean
'

test_expect_success 'empty reflection or failing editor: nothing written' '
	cd p &&
	git rev-parse HEAD >../before &&
	EDITOR="$TRASH_ROOT/ed-empty" run_lps 1 reflect &&
	expect_err "lps: error: aborted: empty reflection" &&
	run_lps 1 reflect -m "  " &&
	expect_err "lps: error: aborted: empty reflection" &&
	printf "# not a comment with -F\n" >../c &&
	EDITOR="$TRASH_ROOT/ed-fail" run_lps 4 reflect &&
	git rev-parse HEAD >../after && test_cmp ../before ../after && git_clean
'

test_expect_success 'bad input: nothing written' '
	cd p &&
	git rev-parse HEAD >../before &&
	run_lps 1 reflect -m x --prompt lfl.focus.99 &&
	expect_err "lps: error: unknown prompt \"lfl.focus.99\" (see lps reflect --prompts)" &&
	run_lps 1 reflect -m x --goal 3f &&
	expect_err "lps: error: ambiguous id \"3f\": g-3f000001, g-3f9a1c07" &&
	run_lps 1 reflect -m x --goal 0123 &&
	expect_err "lps: error: no goal matches \"0123\"" &&
	run_lps 2 reflect -m x --date 2026-02-30 &&
	head -n 1 "$ERR" >../got &&
	echo "lps: error: --date: expected YYYY-MM-DD, got '"'"'2026-02-30'"'"'" >../expect &&
	test_cmp ../expect ../got &&
	run_lps 2 reflect -m x -F ../c &&
	run_lps 2 reflect -m x --visibility public &&
	run_lps 2 reflect -m x --phase action &&
	run_lps 2 reflect --prompts -m x &&
	run_lps 2 reflect stray &&
	run_lps 1 reflect -F ../missing &&
	expect_err "lps: error: ../missing: cannot open: No such file or directory" &&
	git rev-parse HEAD >../after && test_cmp ../before ../after && git_clean
'

test_expect_success 'reflect --prompts: text, --phase, json' '
	cd p &&
	run_lps 0 reflect --prompts &&
	grep -q "^lfl.focus.1  How do you make learning, rather than operations, the subject of most of your public talk?\$" "$OUT" &&
	test $(grep -c "^lfl\." "$OUT") -eq 22 &&
	run_lps 0 reflect --prompts --format json &&
	cp "$OUT" ../prompts.json &&
	run_lps 0 validate --schema "$TOP/schemas/out-reflect-prompts.schema.yaml" ../prompts.json &&
	lps reflect --prompts --format json >../all.json &&
	grep "\"phase\": " ../all.json | sort -u >../phases &&
	test -s ../phases &&
	run_lps 0 reflect --prompts --phase outcomes --format json &&
	grep "\"phase\": " "$OUT" | sort -u >../got &&
	echo "      \"phase\": \"outcomes\"" >../expect &&
	test_cmp ../expect ../got &&
	test $(grep -c "\"id\": " "$OUT") -lt $(grep -c "\"id\": " ../all.json)
'

test_expect_success 'reflection list: oldest first, filters, ids, json' '
	cd p &&
	r1=$(cat ../r1) r2=$(cat ../r2) r3=$(cat ../r3) r4=$(cat ../r4) &&
	run_lps 0 reflection list &&
	cat >../expect <<-EOF &&
	$r2  2026-09-15  purpose     From a file.
	$(printf "%s\n" $r1 $r3 $r4 | sort | while read r; do
		case $r in
		$r1) echo "$r1  2026-10-01  purpose     Reading time matters." ;;
		$r3) echo "$r3  2026-10-01  purpose     From standard input." ;;
		$r4) echo "$r4  2026-10-01  purpose     Written in the editor." ;;
		esac; done)
	EOF
	test_cmp ../expect "$OUT" &&
	run_lps 0 reflection list --goal 3f9 --format ids &&
	test $(wc -l <"$OUT") -eq 2 &&
	grep -q "^$r1	Reading time matters.\$" "$OUT" &&
	run_lps 0 reflection list --phase action && expect_empty "$OUT" &&
	run_lps 0 reflection list --format json &&
	cp "$OUT" ../list.json &&
	run_lps 0 validate --schema "$TOP/schemas/out-reflection-list.schema.yaml" ../list.json &&
	run_lps 1 reflection list --goal 0123 &&
	run_lps 2 reflection list --phase later
'

test_expect_success 'reflection show: text and json, by prefix' '
	cd p &&
	r1=$(cat ../r1) &&
	run_lps 0 reflection show ${r1#r-} &&
	cat >../expect <<-EOF &&
	reflection $r1
	date        2026-10-01
	cycle       2026-2027
	phase       purpose
	prompt      lfl.focus.1  How do you make learning, rather than operations, the subject of most of your public talk?
	goals       g-3f9a1c07

	Reading time matters.

	Next: ask the team.
	EOF
	test_cmp ../expect "$OUT" &&
	run_lps 0 reflection show $r1 --format json &&
	cp "$OUT" ../show.json &&
	run_lps 0 validate --schema "$TOP/schemas/out-reflection-show.schema.yaml" ../show.json &&
	grep -q "\"body\": \"Reading time matters.\\\\n\\\\nNext: ask the team.\"" ../show.json &&
	run_lps 1 reflection show 0000 &&
	expect_err "lps: error: no reflection matches \"0000\"" &&
	run_lps 2 reflection show &&
	run_lps 2 reflection show $r1 --format ids &&
	run_lps 2 reflection frob &&
	head -n 1 "$ERR" | grep -Fx "lps: error: unknown subcommand '"'"'frob'"'"' (list, show or set)" &&
	run_lps 2 reflection &&
	head -n 1 "$ERR" | grep -Fx "lps: error: a subcommand is needed: list, show or set"
'

test_expect_success 'help' '
	run_lps 0 reflect --help &&
	head -n 1 "$OUT" >../got &&
	echo "usage: lps reflect [--goal ID]... [--prompt PROMPT-ID] [-m TEXT | -F FILE]" >../expect &&
	test_cmp ../expect ../got &&
	run_lps 0 reflection --help &&
	run_lps 0 reflection list --help
'

test_done
