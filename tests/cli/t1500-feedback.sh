#!/bin/sh
# t1500-feedback: lps feedback add records feedback received; --on
# resolves a goal, evidence or reflection id; lps feedback list.
. "$(dirname "$0")/lib.sh"

export LPS_TODAY=2026-10-01

msg_is() {
	git log --format=%B -n1 >"$TRASH_ROOT/msg" &&
	printf "%s\n" "$@" "" >"$TRASH_ROOT/expect" &&
	test_cmp "$TRASH_ROOT/expect" "$TRASH_ROOT/msg"
}

new_id() { sed -n "s/^Added feedback \(f-[0-9a-f]*\) from .*\$/\1/p" "$OUT"; }

test_expect_success 'setup: a goal, evidence and a reflection sharing a prefix' '
	lps init p --name "Ada Leader" --role principal >/dev/null &&
	cd p && mkdir goals evidence reflections &&
	printf "lps: 1\nid: g-3f9a1c07\ntitle: Raise reading\nagenda: student\nstatus: active\ncycle: 2026-2027\ncreated: 2026-09-01\n" >goals/g-3f9a1c07.yaml &&
	printf "lps: 1\nid: e-3f000001\ntitle: Scores\nkind: achievement\ndate: 2026-09-02\ngoals:\n  - g-3f9a1c07\n" >evidence/e-3f000001.yaml &&
	printf "lps: 1\nid: r-aa000001\ndate: 2026-09-03\nphase: purpose\nbody: Thinking.\n" >reflections/r-aa000001.yaml &&
	git add . && git commit -q -m "by hand" &&
	lps check
'

test_expect_success 'add with --on a reflection prefix: one commit, document' '
	cd p &&
	run_lps 0 feedback add --from "Ms. Rivera" --kind question --on aa -m "Which data  
will tell you?" &&
	id=$(new_id) && test -n "$id" &&
	expect_out "Added feedback $id from Ms. Rivera" && expect_empty "$ERR" &&
	commit_count 3 && git_clean &&
	msg_is "feedback: add $id from Ms. Rivera" "" "LPS-Command: feedback add" "LPS-Phase: purpose" &&
	cat >../expect <<-EOF &&
	lps: 1
	id: $id
	date: 2026-10-01
	from: Ms. Rivera
	kind: question
	on: r-aa000001
	body: |-
	  Which data
	  will tell you?
	EOF
	test_cmp ../expect feedback/$id.yaml &&
	echo $id >../f1
'

test_expect_success 'add with --on by typed kind, --date, no --on' '
	cd p &&
	run_lps 0 feedback add --from Bo --kind affirmation -m "Strong start." --on e-3f --date 2026-09-20 &&
	new_id >../f2 &&
	git show HEAD:feedback/$(cat ../f2).yaml | grep "^on: e-3f000001\$" &&
	run_lps 0 feedback add --from "The roundtable" --kind suggestion -m "Share the data." &&
	new_id >../f3 &&
	! git show HEAD:feedback/$(cat ../f3).yaml | grep -q "^on:" &&
	commit_count 5 && git_clean &&
	lps check
'

test_expect_success 'list: text, ids, --on, json (valid)' '
	cd p &&
	f1=$(cat ../f1) f2=$(cat ../f2) f3=$(cat ../f3) &&
	run_lps 0 feedback list &&
	{ echo "$f2  2026-09-20  affirmation  e-3f000001  Bo: Strong start." &&
	  printf "%s\n" "$f1  2026-10-01  question     r-aa000001  Ms. Rivera: Which data" \
		"$f3  2026-10-01  suggestion   -           The roundtable: Share the data." |
		sort; } >../expect &&
	test_cmp ../expect "$OUT" &&
	run_lps 0 feedback list --on r-aa --format ids &&
	printf "%s\tMs. Rivera: Which data\n" $f1 >../expect &&
	test_cmp ../expect "$OUT" &&
	run_lps 0 feedback list --format json &&
	cp "$OUT" ../list.json &&
	run_lps 0 validate --schema "$TOP/schemas/out-feedback-list.schema.yaml" ../list.json &&
	run_lps 0 feedback list --on 3f9a --format json &&
	printf "{\n  \"feedback\": []\n}\n" >../expect &&
	test_cmp ../expect "$OUT"
'

test_expect_success 'bad input: nothing written' '
	cd p &&
	git rev-parse HEAD >../before &&
	run_lps 1 feedback add --from X --kind question -m y --on 3f &&
	expect_err "lps: error: ambiguous id \"3f\": e-3f000001, g-3f9a1c07" &&
	run_lps 1 feedback add --from X --kind question -m y --on 0123 &&
	expect_err "lps: error: nothing matches \"0123\" (goals, evidence, reflections)" &&
	run_lps 1 feedback add --from X --kind question -m y --on g-0123 &&
	expect_err "lps: error: no goal matches \"g-0123\"" &&
	run_lps 2 feedback add --from X --kind question -m y --on f-0123 &&
	run_lps 2 feedback add --from X --kind praise -m y &&
	run_lps 2 feedback add --kind question -m y &&
	run_lps 2 feedback add --from X -m y &&
	run_lps 2 feedback add --from X --kind question &&
	run_lps 2 feedback add --from X --kind question -m "  " &&
	run_lps 2 feedback add --from X --kind question -m y --date 01/10/2026 &&
	run_lps 2 feedback list --format yaml &&
	run_lps 2 feedback &&
	head -n 1 "$ERR" | grep -Fx "lps: error: a subcommand is needed: add, list, set or give" &&
	run_lps 2 feedback frob &&
	head -n 1 "$ERR" | grep -Fx "lps: error: unknown subcommand '"'"'frob'"'"' (add, list, set or give)" &&
	run_lps 2 feedback give &&
	git rev-parse HEAD >../after && test_cmp ../before ../after && git_clean
'

test_expect_success 'help; outside a portfolio' '
	run_lps 0 feedback --help &&
	head -n 1 "$OUT" >../got &&
	echo "usage: lps feedback add --from WHO --kind affirmation|question|suggestion" >../expect &&
	test_cmp ../expect ../got &&
	run_lps 1 feedback list
'

test_done
