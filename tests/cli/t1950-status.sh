#!/bin/sh
# t1950-status: lps status on one screen: owner, cycle, phase, the goals of
# the cycle with indicator progress and evidence counts, overdue steps and
# what the gate misses.  States are written by hand and committed with git.
. "$(dirname "$0")/lib.sh"

LPS_TODAY=2026-10-01
export LPS_TODAY

test_expect_success 'setup: a portfolio in the action phase' '
	lps init p --name "Ada Park" --role principal --school "Lincoln Elementary" \
		--district Springfield --cycle 2026-2027 >/dev/null &&
	cd p && sed -i "s/^phase: purpose/phase: action/" lps.yaml &&
	mkdir goals evidence &&
	cat >goals/g-00000002.yaml <<-\EOF &&
	lps: 1
	id: g-00000002
	title: Raise reading
	agenda: student
	status: active
	cycle: 2026-2027
	created: 2026-09-01
	indicators:
	  - id: k1
	    measure: proficient %
	    baseline: 40
	    target: 70
	    measurements:
	      - date: 2026-12-01
	        value: 52
	      - date: 2026-11-01
	        value: 61
	  - id: k2
	    measure: absences
	    baseline: 12
	    target: 6
	    unit: days
	actions:
	  - id: s1
	    text: Run data meetings
	    status: open
	    due: 2026-09-15
	  - id: s2
	    text: Visit classes
	    status: open
	    due: 2026-10-01
	  - id: s3
	    text: Buy books
	    status: done
	    due: 2026-09-01
	    done: 2026-09-02
	EOF
	cat >goals/g-00000001.yaml <<-\EOF &&
	lps: 1
	id: g-00000001
	title: Coach new teachers
	agenda: professional
	status: met
	cycle: 2026-2027
	created: 2026-09-01
	actions:
	  - id: s1
	    text: Old step
	    status: open
	    due: 2026-09-01
	EOF
	cat >goals/g-00000003.yaml <<-\EOF &&
	lps: 1
	id: g-00000003
	title: Last year
	agenda: system
	status: not-met
	cycle: 2025-2026
	created: 2025-09-01
	EOF
	printf "lps: 1\nid: e-00000001\ntitle: Survey\nkind: perceptual\ndate: 2026-09-20\ngoals: [g-00000001, g-00000003]\n" >evidence/e-00000001.yaml &&
	printf "lps: 1\nid: e-00000002\ntitle: Scores\nkind: achievement\ndate: 2026-09-21\ngoals: [g-00000001]\n" >evidence/e-00000002.yaml &&
	git add -A && git commit -q -m setup
'

test_expect_success 'status: text' '
	cd p &&
	run_lps 0 status &&
	expect_out "owner:  Ada Park, principal
school: Lincoln Elementary (Springfield)
cycle:  2026-2027
phase:  action

goals:
  g-00000001  met               -  Coach new teachers (2 evidence)
  g-00000002  active          40%  Raise reading (0 evidence)
      k1 proficient %: 40 -> 52 -> 70 (40%)
      k2 absences: 12 -> - -> 6 (-)

overdue action steps:
  g-00000002 s1  due 2026-09-15  Run data meetings

missing for outcomes:
  g-00000002 \"Raise reading\": no evidence" &&
	expect_empty "$ERR"
'

test_expect_success 'status: json follows its schema' '
	cd p &&
	run_lps 0 status --format json && cp "$OUT" ../s.json &&
	run_lps 0 validate --schema "$TOP/schemas/out-status.schema.yaml" ../s.json &&
	grep -c "\"evidence\": 2" ../s.json &&
	grep "\"ready\": false" ../s.json &&
	grep "\"latest\": 52," ../s.json &&
	grep "\"progress\": 0.4," ../s.json &&
	grep "\"text\": \"g-00000002 \\\\\"Raise reading\\\\\": no evidence\"" ../s.json
'

test_expect_success 'status: nothing yet, ready to move on' '
	lps init q --name Bo --role other --cycle 2026-2027 >/dev/null &&
	cd q &&
	sed -i "s/^phase: purpose/phase: structures/" lps.yaml &&
	printf "partner:\n  name: Cy\n" >>lps.yaml && git commit -q -am s &&
	run_lps 0 status &&
	expect_out "owner:  Bo, other
cycle:  2026-2027
phase:  structures

goals: none

overdue action steps: none

ready for action (lps phase advance)"
'

test_expect_success 'status: usage and outside a portfolio' '
	run_lps 2 status --format xml &&
	run_lps 2 status extra &&
	run_lps 0 status --help && head -n 1 "$OUT" | grep "^usage: lps status" &&
	mkdir -p none && cd none && git init -q && run_lps 1 status
'

test_done
