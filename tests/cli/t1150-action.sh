#!/bin/sh
# t1150-action: lps action add, list and done: keys s1, s2..., overdue
# steps, exact output and messages, bad input that changes nothing.
. "$(dirname "$0")/lib.sh"

LPS_TODAY=2026-10-01
export LPS_TODAY
SCHEMAS=$TOP/schemas
# Scratch files live outside the portfolios, which must stay clean.
T=$TRASH_ROOT

port() {
	lps init "$1" --name "Ada Lovelace" --role principal \
		--cycle 2026-2027 >/dev/null && cd "$1"
}

msg_is() {
	git log --format=%B -n1 >"$T/msg" &&
	printf '%s\n' "$@" "" >"$T/msg.expect" &&
	test_cmp "$T/msg.expect" "$T/msg"
}

unchanged() {
	test "$(git rev-parse HEAD)" = "$1" && git_clean
}

fake_goal() {
	mkdir -p goals && cat >goals/$1.yaml <<-EOT &&
	lps: 1
	id: $1
	title: $2
	agenda: student
	status: active
	cycle: 2026-2027
	created: 2026-09-01
	EOT
	git add goals/$1.yaml && git commit -q -m "add $1"
}

test_expect_success 'action add: keys, message, file' '
	port p1 && fake_goal g-11111111 One &&
	run_lps 0 action add 111 "Train staff" --due 2026-09-15 --owner "Pat Lee" &&
	expect_out "Added action step s1 to goal g-11111111" &&
	expect_empty "$ERR" &&
	msg_is "action: add s1 to g-11111111" "" "LPS-Command: action add" \
		"LPS-Phase: purpose" &&
	git_clean &&
	run_lps 0 action add g-11111111 "Review data" &&
	expect_out "Added action step s2 to goal g-11111111" &&
	sed -n "/^actions:/,\$p" goals/g-11111111.yaml >"$T/actual" &&
	cat >"$T/expect" <<-EOT &&
	actions:
	  - id: s1
	    text: Train staff
	    due: 2026-09-15
	    owner: Pat Lee
	    status: open
	  - id: s2
	    text: Review data
	    status: open
	EOT
	test_cmp "$T/expect" "$T/actual" && commit_count 4 && git_clean &&
	run_lps 0 check
'

test_expect_success 'action add: bad input changes nothing' '
	port p2 && fake_goal g-22222222 Two && fake_goal g-22222223 Three &&
	head=$(git rev-parse HEAD) &&
	run_lps 2 action add 222 &&
	run_lps 2 action add 222 "" &&
	run_lps 2 action add 222 T --due tomorrow &&
	head -1 "$ERR" >"$T/first" &&
	echo "lps: error: --due: expected a date YYYY-MM-DD, got '"'"'tomorrow'"'"'" >"$T/expect" &&
	test_cmp "$T/expect" "$T/first" &&
	run_lps 2 action add 222 T --colour red &&
	run_lps 1 action add 999 T &&
	expect_err "lps: error: no goal matches \"999\"" &&
	run_lps 1 action add 2222222 T &&
	expect_err "lps: error: ambiguous id \"2222222\": g-22222222, g-22222223" &&
	run_lps 2 action &&
	run_lps 2 action remove 222 s1 &&
	unchanged $head
'

test_expect_success 'action done: status done today; twice is refused' '
	port p3 && fake_goal g-33333333 Three &&
	lps action add 333 "Train staff" --due 2026-09-15 >/dev/null &&
	run_lps 0 action done 333 s1 &&
	expect_out "Done: action step s1 of goal g-33333333" &&
	msg_is "action: done s1 of g-33333333" "" "LPS-Command: action done" \
		"LPS-Phase: purpose" &&
	grep -qx "    status: done" goals/g-33333333.yaml &&
	grep -qx "    done: 2026-10-01" goals/g-33333333.yaml &&
	git_clean && head=$(git rev-parse HEAD) &&
	run_lps 1 action done 333 s1 &&
	expect_err "lps: error: action step s1 of g-33333333 is already done (2026-10-01)" &&
	run_lps 1 action done 333 s9 &&
	expect_err "lps: error: goal g-33333333 has no action step \"s9\"" &&
	run_lps 1 action done 444 s1 &&
	run_lps 2 action done 333 &&
	unchanged $head
'

test_expect_success 'action list: all steps, --overdue, --goal, formats' '
	port p4 && fake_goal g-44444444 Four && fake_goal g-55555555 Five &&
	lps action add 444 "Train staff" --due 2026-09-15 --owner Pat >/dev/null &&
	lps action add 444 "Review data" --due 2026-12-01 >/dev/null &&
	lps action add 555 "Visit classes" --due 2026-09-30 >/dev/null &&
	lps action add 555 "Plan" --due 2026-01-01 >/dev/null &&
	lps action done 555 s2 >/dev/null &&
	head=$(git rev-parse HEAD) &&
	run_lps 0 action list &&
	cat >"$T/expect" <<-EOT &&
	g-44444444  s1    overdue  2026-09-15  Train staff
	g-44444444  s2    open     2026-12-01  Review data
	g-55555555  s1    overdue  2026-09-30  Visit classes
	g-55555555  s2    done     2026-01-01  Plan
	EOT
	test_cmp "$T/expect" "$OUT" &&
	run_lps 0 action list --overdue &&
	cat >"$T/expect" <<-EOT &&
	g-44444444  s1    overdue  2026-09-15  Train staff
	g-55555555  s1    overdue  2026-09-30  Visit classes
	EOT
	test_cmp "$T/expect" "$OUT" &&
	LPS_TODAY=2026-09-20 run_lps 0 action list --overdue &&
	expect_out "g-44444444  s1    overdue  2026-09-15  Train staff" &&
	run_lps 0 action list --goal 555 --format ids &&
	printf "g-55555555:s1\tVisit classes\ng-55555555:s2\tPlan\n" >"$T/expect" &&
	test_cmp "$T/expect" "$OUT" &&
	run_lps 0 action list --overdue --goal 444 --format json &&
	cat >"$T/expect" <<-EOT &&
	{
	  "actions": [
	    {
	      "goal": "g-44444444",
	      "id": "s1",
	      "text": "Train staff",
	      "due": "2026-09-15",
	      "owner": "Pat",
	      "status": "open",
	      "overdue": true
	    }
	  ]
	}
	EOT
	test_cmp "$T/expect" "$OUT" &&
	run_lps 0 action list --format=json && cp "$OUT" "$T/all.json" &&
	lps validate --schema "$SCHEMAS/out-action-list.schema.yaml" "$T/all.json" &&
	grep -c "\"overdue\": false" "$T/all.json" >"$T/n" && echo 2 >"$T/expect" &&
	test_cmp "$T/expect" "$T/n" &&
	run_lps 1 action list --goal 999 &&
	run_lps 2 action list --format yaml &&
	run_lps 2 action list --overdue=yes &&
	unchanged $head
'

test_expect_success 'action list without steps' '
	port p5 && run_lps 0 action list && expect_empty "$OUT" &&
	run_lps 0 action list --format json &&
	printf "{\n  \"actions\": []\n}\n" >"$T/expect" && test_cmp "$T/expect" "$OUT"
'

test_expect_success 'action --help' '
	run_lps 0 action --help && head -1 "$OUT" >"$T/first" &&
	echo "usage: lps action add GOAL TEXT [--due DATE] [--owner WHO]" >"$T/expect" &&
	test_cmp "$T/expect" "$T/first"
'

test_done
