#!/bin/sh
# t1900-phase: lps phase shows the gate of DESIGN 5, lps phase advance
# enforces it (exit 1 and exactly what is missing, nothing written),
# --force --reason records LPS-Forced, and advancing from outcomes starts
# the next cycle and carries goals.  Portfolio states are written by hand
# and committed with the real git program (the setup only).
. "$(dirname "$0")/lib.sh"

LPS_TODAY=2026-10-01
export LPS_TODAY
SCHEMAS=$TOP/schemas

# put FILE TEXT: write FILE and commit it with git.
put() {
	mkdir -p "$(dirname "$1")" &&
	printf '%s\n' "$2" >"$1" &&
	git add "$1" && git commit -q -m "setup $1"
}

# meta PHASE [EXTRA]: lps.yaml in PHASE of cycle 2026-2027.
meta() {
	put lps.yaml "lps: 1
owner:
  name: Ada
role: principal
cycle: 2026-2027
phase: $1
${2:-}created: 2026-09-01"
}

# goal ID TITLE STATUS [EXTRA] [CYCLE]
goal() {
	put "goals/$1.yaml" "lps: 1
id: $1
title: $2
agenda: student
status: $3
cycle: ${5:-2026-2027}
created: 2026-09-01
${4:-}"
}

IND='indicators:
  - id: k1
    measure: proficient %
    baseline: 40
    target: 70
    measurements:
      - date: 2026-12-01
        value: 52'
STD='standards: [issl.1a]'
ACT='actions:
  - id: s1
    text: Run data meetings
    status: open'

# fresh NAME PHASE [EXTRA]: a new portfolio in NAME, lps.yaml in PHASE.
fresh() {
	lps init "$1" --name Ada --role principal --cycle 2026-2027 \
		>/dev/null &&
	cd "$1" && meta "$2" "${3:-}"
}

# refused: the last command changed nothing (HEAD as in $head).
unchanged() {
	test "$(git rev-parse HEAD)" = "$head" && git_clean
}

test_expect_success 'purpose: lps phase lists what is missing' '
	fresh p1 purpose &&
	run_lps 0 phase &&
	expect_out "cycle 2026-2027, phase purpose
missing for focus:
  no purpose function chosen
  no purpose statement written" &&
	run_lps 0 phase show &&
	expect_out "cycle 2026-2027, phase purpose
missing for focus:
  no purpose function chosen
  no purpose statement written" &&
	expect_empty "$ERR"
'

test_expect_success 'purpose: json output follows its schema' '
	cd p1 &&
	run_lps 0 phase --format json &&
	cat >../want <<-\JSON &&
	{
	  "cycle": "2026-2027",
	  "phase": "purpose",
	  "next": "focus",
	  "ready": false,
	  "missing": [
	    {
	      "text": "no purpose function chosen"
	    },
	    {
	      "text": "no purpose statement written"
	    }
	  ]
	}
	JSON
	test_cmp ../want "$OUT" &&
	cp "$OUT" ../phase.json &&
	run_lps 0 validate --schema "$SCHEMAS/out-phase.schema.yaml" ../phase.json
'

test_expect_success 'purpose: advance refused, nothing written' '
	cd p1 &&
	head=$(git rev-parse HEAD) &&
	run_lps 1 phase advance &&
	expect_empty "$OUT" &&
	expect_err "lps: error: cannot advance from purpose to focus; missing:
  no purpose function chosen
  no purpose statement written" &&
	unchanged
'

test_expect_success 'usage errors: exit 2, nothing written' '
	cd p1 &&
	head=$(git rev-parse HEAD) &&
	run_lps 2 phase advance --force &&
	head -n 1 "$ERR" >../first &&
	echo "lps: error: --force needs --reason TEXT saying why the gate is overridden" >../want &&
	test_cmp ../want ../first &&
	run_lps 2 phase advance --reason "x" &&
	run_lps 2 phase advance --force --reason "" &&
	run_lps 2 phase advance --force --reason "  " &&
	head -n 1 "$ERR" >../first &&
	echo "lps: error: --reason cannot be empty: say why the gate is overridden" >../want &&
	test_cmp ../want ../first &&
	run_lps 2 phase advance --force --reason "$(printf "\t\n")" &&
	run_lps 2 phase advance --cycle 2027-2028 --force --reason x &&
	head -n 1 "$ERR" >../first &&
	echo "lps: error: --cycle and --carry only apply when advancing from outcomes (the phase is purpose)" >../want &&
	test_cmp ../want ../first &&
	run_lps 2 phase advance --carry g-1 &&
	head -n 1 "$ERR" >../first &&
	echo "lps: error: --carry only applies when advancing from outcomes (the phase is purpose)" >../want &&
	test_cmp ../want ../first &&
	run_lps 2 phase advance extra &&
	run_lps 2 phase --format xml &&
	run_lps 2 phase later &&
	unchanged
'

test_expect_success 'purpose -> focus: one commit with exact trailers' '
	cd p1 &&
	meta purpose "purpose:
  function: growth
  statement: Lead reading
" &&
	run_lps 0 phase &&
	expect_out "cycle 2026-2027, phase purpose
ready for focus (lps phase advance)" &&
	n=$(git rev-list --count HEAD) &&
	run_lps 0 phase advance &&
	expect_out "Moved from purpose to focus" &&
	commit_count $((n + 1)) &&
	git_clean &&
	git log --format=%B -n1 >../msg &&
	cat >../want <<-\EOF &&
	phase: purpose -> focus

	LPS-Command: phase advance
	LPS-Phase: focus
	LPS-Phase-From: purpose
	LPS-Phase-To: focus

	EOF
	test_cmp ../want ../msg &&
	git show HEAD:lps.yaml >../meta &&
	grep -x "phase: focus" ../meta &&
	grep -x "cycle: 2026-2027" ../meta &&
	grep -x "  function: growth" ../meta &&
	git diff --name-only HEAD~1 HEAD >../names &&
	echo lps.yaml >../want && test_cmp ../want ../names
'

test_expect_success 'focus: each missing item, by goal' '
	fresh p2 focus &&
	head=$(git rev-parse HEAD) &&
	run_lps 1 phase advance &&
	expect_err "lps: error: cannot advance from focus to structures; missing:
  no active goal in cycle 2026-2027" &&
	unchanged &&
	goal g-00000002 "Raise reading" active "$STD" &&
	goal g-00000001 "Cut absences" proposed "$IND" &&
	goal g-00000003 "Old goal" active "" 2025-2026 &&
	goal g-00000004 "Met goal" met "" &&
	goal g-00000005 "Ready" active "$IND
aligns: District goal 2" &&
	head=$(git rev-parse HEAD) &&
	run_lps 1 phase advance &&
	expect_err "lps: error: cannot advance from focus to structures; missing:
  g-00000001 \"Cut absences\": no standard or district-goal alignment
  g-00000002 \"Raise reading\": no indicator with baseline and target" &&
	unchanged &&
	run_lps 0 phase --format json &&
	cp "$OUT" ../focus.json &&
	run_lps 0 validate --schema "$SCHEMAS/out-phase.schema.yaml" ../focus.json &&
	grep -c "\"goal\": \"g-00000001\"" ../focus.json
'

test_expect_success 'focus -> structures once the goals are ready' '
	cd p2 &&
	goal g-00000001 "Cut absences" proposed "$IND
$STD" &&
	goal g-00000002 "Raise reading" active "$STD
$(echo "$IND" | sed "s/target: 70/target: 40/")" &&
	head=$(git rev-parse HEAD) &&
	run_lps 1 phase advance &&
	expect_err "lps: error: cannot advance from focus to structures; missing:
  g-00000002 \"Raise reading\": no indicator whose target differs from its baseline" &&
	unchanged &&
	goal g-00000002 "Raise reading" active "$STD
$IND" &&
	n=$(git rev-list --count HEAD) &&
	run_lps 0 phase advance &&
	expect_out "Moved from focus to structures" &&
	commit_count $((n + 1)) && git_clean
'

test_expect_success 'structures: a partner or a roundtable is needed' '
	fresh p3 structures "structures:
  - kind: group
    name: Data team
" &&
	head=$(git rev-parse HEAD) &&
	run_lps 1 phase advance &&
	expect_err "lps: error: cannot advance from structures to action; missing:
  no partner or roundtable named" &&
	unchanged &&
	meta structures "partner:
  name: Bo Lee
" &&
	run_lps 0 phase advance &&
	expect_out "Moved from structures to action" &&
	git_clean
'

test_expect_success 'action: each active goal needs an action step and evidence' '
	fresh p4 action &&
	goal g-00000001 "Cut absences" active "$IND
$STD" &&
	goal g-00000002 "Raise reading" active "$ACT" &&
	goal g-00000003 "Dropped" dropped "dropped_reason: no time" &&
	put evidence/e-00000001.yaml "lps: 1
id: e-00000001
title: Survey
kind: perceptual
date: 2026-09-20
goals: [g-00000001]" &&
	head=$(git rev-parse HEAD) &&
	run_lps 1 phase advance &&
	expect_err "lps: error: cannot advance from action to outcomes; missing:
  g-00000001 \"Cut absences\": no action step
  g-00000002 \"Raise reading\": no evidence" &&
	unchanged
'

test_expect_success 'action: --force --reason advances and records LPS-Forced' '
	cd p4 &&
	n=$(git rev-list --count HEAD) &&
	run_lps 0 phase advance --force --reason "the year ended early" &&
	expect_out "Moved from action to outcomes (gate forced: the year ended early)" &&
	commit_count $((n + 1)) && git_clean &&
	git log --format=%B -n1 >../msg &&
	cat >../want <<-\EOF &&
	phase: action -> outcomes

	LPS-Command: phase advance
	LPS-Phase: outcomes
	LPS-Phase-From: action
	LPS-Phase-To: outcomes
	LPS-Forced: the year ended early

	EOF
	test_cmp ../want ../msg
'

test_expect_success 'a gate that holds is not recorded as forced' '
	fresh p5 structures "roundtable:
  name: North
" &&
	run_lps 0 phase advance --force --reason "just in case" &&
	expect_out "Moved from structures to action" &&
	git log --format=%B -n1 >../msg &&
	! grep LPS-Forced ../msg
'

test_expect_success 'outcomes: final statuses and an outcomes reflection' '
	cd p4 &&
	head=$(git rev-parse HEAD) &&
	run_lps 1 phase advance &&
	expect_err "lps: error: cannot advance from outcomes to purpose; missing:
  g-00000001 \"Cut absences\": no final status (it is active)
  g-00000002 \"Raise reading\": no final status (it is active)
  no outcomes reflection in cycle 2026-2027" &&
	unchanged &&
	goal g-00000002 "Raise reading" met "$ACT" &&
	put reflections/r-00000001.yaml "lps: 1
id: r-00000001
date: 2026-09-30
phase: action
cycle: 2026-2027
body: Midway." &&
	head=$(git rev-parse HEAD) &&
	run_lps 1 phase advance &&
	expect_err "lps: error: cannot advance from outcomes to purpose; missing:
  g-00000001 \"Cut absences\": no final status (it is active)
  no outcomes reflection in cycle 2026-2027" &&
	unchanged
'

test_expect_success 'outcomes: carry errors change nothing' '
	cd p4 &&
	goal g-00000001 "Cut absences" partially-met "$IND
$STD" &&
	put reflections/r-00000002.yaml "lps: 1
id: r-00000002
date: 2027-06-01
phase: outcomes
cycle: 2026-2027
body: We learned." &&
	goal g-0000000a "Old cycle" not-met "" 2025-2026 &&
	head=$(git rev-parse HEAD) &&
	run_lps 0 phase &&
	expect_out "cycle 2026-2027, phase outcomes
ready for purpose (lps phase advance)" &&
	run_lps 1 phase advance --carry g-00000002 &&
	expect_err "lps: error: goal g-00000002 is met; only unfinished goals are carried forward" &&
	run_lps 1 phase advance --carry 0000000a &&
	expect_err "lps: error: goal g-0000000a belongs to cycle 2025-2026, not to the cycle ending (2026-2027)" &&
	run_lps 1 phase advance --carry g-fff &&
	run_lps 1 phase advance --carry 0000000 &&
	grep "ambiguous" "$ERR" &&
	run_lps 2 phase advance --carry 00000001 --carry g-00000001 &&
	run_lps 2 phase advance --cycle 2026-2027 &&
	run_lps 2 phase advance --cycle "bad name" &&
	unchanged
'

test_expect_success 'outcomes -> purpose: next cycle with a carried goal, one commit' '
	cd p4 &&
	n=$(git rev-list --count HEAD) &&
	run_lps 0 phase advance --carry 00000001 &&
	commit_count $((n + 1)) && git_clean &&
	new=$(git diff --name-only HEAD~1 HEAD -- goals | sed "s|goals/||; s|\.yaml||") &&
	test -n "$new" && test "$new" != g-00000001 &&
	expect_out "Moved from outcomes to purpose; started cycle 2027-2028
Carried g-00000001 \"Cut absences\" forward as $new" &&
	git diff --name-only HEAD~1 HEAD >../names &&
	printf "goals/%s.yaml\nlps.yaml\n" "$new" >../want &&
	test_cmp ../want ../names &&
	git log --format=%B -n1 >../msg &&
	cat >../want <<-\EOF &&
	phase: outcomes -> purpose

	LPS-Command: phase advance
	LPS-Phase: purpose
	LPS-Phase-From: outcomes
	LPS-Phase-To: purpose

	EOF
	test_cmp ../want ../msg &&
	git show HEAD:lps.yaml >../meta &&
	grep -x "phase: purpose" ../meta &&
	grep -x "cycle: 2027-2028" ../meta &&
	cat >../want <<-EOF &&
	lps: 1
	id: $new
	title: Cut absences
	agenda: student
	status: active
	cycle: 2027-2028
	standards:
	  - issl.1a
	created: 2026-10-01
	indicators:
	  - id: k1
	    measure: proficient %
	    baseline: 52
	    target: 70
	carried_from: g-00000001
	EOF
	git show HEAD:goals/$new.yaml >../carried &&
	test_cmp ../want ../carried &&
	run_lps 0 check &&
	run_lps 0 phase &&
	expect_out "cycle 2027-2028, phase purpose
missing for focus:
  no purpose function chosen
  no purpose statement written"
'

test_expect_success 'outcomes -> purpose: --cycle names the next cycle' '
	fresh p6 outcomes &&
	put reflections/r-00000001.yaml "lps: 1
id: r-00000001
date: 2027-06-01
phase: outcomes
body: Done." &&
	run_lps 0 phase advance --cycle year-2 &&
	expect_out "Moved from outcomes to purpose; started cycle year-2" &&
	git show HEAD:lps.yaml >../meta &&
	grep -x "cycle: year-2" ../meta &&
	git_clean
'

test_expect_success 'a cycle name lps cannot continue needs --cycle' '
	fresh p7 outcomes &&
	put lps.yaml "$(sed "s/^cycle: .*/cycle: pilot/" lps.yaml)" &&
	put reflections/r-00000001.yaml "lps: 1
id: r-00000001
date: 2027-06-01
phase: outcomes
body: Done." &&
	head=$(git rev-parse HEAD) &&
	run_lps 2 phase advance &&
	head -n 1 "$ERR" >../first &&
	echo "lps: error: cannot tell the cycle after \"pilot\"; name it with --cycle NAME" >../want &&
	test_cmp ../want ../first &&
	unchanged
'

test_expect_success 'outside a portfolio: exit 1' '
	mkdir -p empty && cd empty && git init -q &&
	run_lps 1 phase
'

test_expect_success 'uncommitted lps.yaml: refused (exit 3), nothing written' '
	fresh p8 structures "partner:
  name: Bo
" &&
	head=$(git rev-parse HEAD) &&
	echo "# mine" >>lps.yaml &&
	run_lps 3 phase advance &&
	test "$(git rev-parse HEAD)" = "$head" &&
	tail -n 1 lps.yaml | grep -x "# mine"
'

test_done
