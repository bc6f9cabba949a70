# build-portfolio.sh - the sample portfolio of the report tests, sourced by
# tests/cli/t2000-report.sh (and usable by other report tests): a first
# cycle (2025-2026) from init to outcomes, then the start of the second
# (2026-2027), every document written by hand with fixed ids and every
# commit made with git at a fixed date and with the trailers lps writes,
# so that commit ids, and so every report, are the same on every run.
#
# build_portfolio DIR [STOP]: make the portfolio in DIR; with STOP=cycle1
# stop at the end of the first cycle.  The end of cycle 1 is tagged
# `cycle1`.

# lps_commit DATE SUBJECT COMMAND PHASE [FROM TO]: commit everything.
lps_commit() {
	msg="$2

LPS-Command: $3
LPS-Phase: $4"
	if [ $# -ge 6 ]; then
		msg="$msg
LPS-Phase-From: $5
LPS-Phase-To: $6"
	fi
	git add -A &&
	GIT_AUTHOR_DATE="$1T10:00:00Z" GIT_COMMITTER_DATE="$1T10:00:00Z" \
		git commit -q -m "$msg"
}

# meta PHASE CYCLE: write lps.yaml.
meta() {
	cat >lps.yaml <<EOF
lps: 1
owner:
  name: Ada Park
role: principal
district: Springfield
school: Lincoln Elementary
cycle: $2
phase: $1
purpose:
  function: growth
  statement: Every child reads well by the end of grade 3
partner:
  name: Grace Hopper
created: 2025-09-01
EOF
}

reading_goal() { # STATUS MEASUREMENTS...
	cat >goals/g-0000000a.yaml <<EOF
lps: 1
id: g-0000000a
title: Raise grade 3 reading
agenda: student
area: focus
status: $1
cycle: 2025-2026
standards:
  - issl.1a
aligns: 'District goal 1: literacy'
created: 2025-09-15
indicators:
  - id: k1
    measure: grade 3 students at benchmark
    baseline: 42
    target: 60
    unit: '%'
    due: 2026-05-31
EOF
	shift
	if [ $# -gt 0 ]; then
		echo "    measurements:" >>goals/g-0000000a.yaml
		for m in "$@"; do
			printf '      - date: %s\n        value: %s\n' \
				"${m%=*}" "${m#*=}" >>goals/g-0000000a.yaml
		done
	fi
	cat >>goals/g-0000000a.yaml <<EOF
actions:
  - id: s1
    text: Weekly guided reading walk-throughs
    due: 2025-11-30
    status: done
    done: 2025-11-20
EOF
}

coaching_goal() { # STATUS MEASUREMENT
	cat >goals/g-0000000b.yaml <<EOF
lps: 1
id: g-0000000b
title: Coach every teacher once a term
agenda: professional
area: communities
status: $1
cycle: 2025-2026
standards:
  - lfl.communities
created: 2025-09-15
indicators:
  - id: k1
    measure: teachers in a coaching cycle
    baseline: 0
    target: 24
    unit: teachers
EOF
	if [ -n "${2:-}" ]; then
		printf '    measurements:\n      - date: %s\n        value: %s\n' \
			"${2%=*}" "${2#*=}" >>goals/g-0000000b.yaml
	fi
	cat >>goals/g-0000000b.yaml <<EOF
actions:
  - id: s1
    text: Start coaching cycles with grade-level teams
    due: 2025-10-15
    status: open
EOF
}

build_portfolio() {
	mkdir -p "$1" && (
	cd "$1" && git init -q && mkdir goals evidence reflections feedback &&
	meta purpose 2025-2026 &&
	lps_commit 2025-09-01 'init: start portfolio of Ada Park' init purpose &&
	meta focus 2025-2026 &&
	lps_commit 2025-09-10 'phase: purpose -> focus' 'phase advance' focus purpose focus &&
	reading_goal active && coaching_goal active &&
	lps_commit 2025-09-15 'goal: add g-0000000a "Raise grade 3 reading"' 'goal add' focus &&
	meta structures 2025-2026 &&
	lps_commit 2025-09-20 'phase: focus -> structures' 'phase advance' structures focus structures &&
	meta action 2025-2026 &&
	lps_commit 2025-10-01 'phase: structures -> action' 'phase advance' action structures action &&
	reading_goal active 2025-11-01=48 && coaching_goal active 2025-11-01=6 &&
	cat >evidence/e-0000000a.yaml <<-EOF &&
	lps: 1
	id: e-0000000a
	title: Fall screener, grade 3
	kind: achievement
	date: 2025-11-01
	source: district screener
	goals:
	  - g-0000000a
	EOF
	cat >evidence/e-0000000b.yaml <<-EOF &&
	lps: 1
	id: e-0000000b
	title: Coaching log, October
	kind: observation
	date: 2025-11-02
	goals:
	  - g-0000000b
	standards:
	  - wsbc.3
	EOF
	cat >reflections/r-0000000a.yaml <<-EOF &&
	lps: 1
	id: r-0000000a
	date: 2025-11-05
	cycle: 2025-2026
	phase: action
	prompt: lfl.focus.2
	goals:
	  - g-0000000a
	body: |
	  The screener and the walk-throughs tell the same story.
	  Guided reading works where it is used.
	EOF
	cat >feedback/f-0000000a.yaml <<-EOF &&
	lps: 1
	id: f-0000000a
	date: 2025-11-10
	from: Grace Hopper
	kind: question
	'on': g-0000000a
	body: Which students moved least, and why?
	EOF
	lps_commit 2025-11-10 'goal: measure g-0000000a k1 = 48' 'goal measure' action &&
	reading_goal active 2025-11-01=48 2026-01-15=54 &&
	coaching_goal active 2026-01-15=10 &&
	lps_commit 2026-01-15 'goal: measure g-0000000a k1 = 54' 'goal measure' action &&
	meta outcomes 2025-2026 &&
	reading_goal met 2025-11-01=48 2026-01-15=54 2026-05-20=61 &&
	coaching_goal partially-met 2026-01-15=10 &&
	mkdir -p assessments/2025-2026 &&
	cat >assessments/2025-2026/issl-1a.yaml <<-EOF &&
	lps: 1
	framework: issl
	code: 1a
	cycle: 2025-2026
	rating: proficient
	evidence:
	  - e-0000000a
	rationale: Screener data now drives the reading plan.
	date: 2026-06-01
	EOF
	lps_commit 2026-06-01 'phase: action -> outcomes' 'phase advance' outcomes action outcomes &&
	git tag cycle1 &&
	if [ "${2:-}" = cycle1 ]; then exit 0; fi &&
	meta purpose 2026-2027 &&
	cat >goals/g-0000000c.yaml <<-EOF &&
	lps: 1
	id: g-0000000c
	title: Coach every teacher once a term
	agenda: professional
	status: active
	cycle: 2026-2027
	standards:
	  - lfl.communities
	created: 2026-08-20
	indicators:
	  - id: k1
	    measure: teachers in a coaching cycle
	    baseline: 10
	    target: 24
	    unit: teachers
	    due: 2027-05-31
	    measurements:
	      - date: 2026-10-01
	        value: 12
	carried_from: g-0000000b
	EOF
	lps_commit 2026-08-20 'phase: outcomes -> purpose' 'phase advance' purpose outcomes purpose
	)
}
