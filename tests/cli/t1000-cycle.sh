#!/bin/sh
# t1000-cycle: the acceptance test of issue 4.  One portfolio goes through
# all five phases of a cycle and into the next cycle using only lps
# commands.  After every command that changes something: exactly one more
# commit, `git fsck --strict` clean and `git status --porcelain` empty.
# Each gate is first tried unmet (exit 1, exactly what is missing, nothing
# written); one transition is forced and records LPS-Forced.  The subtests
# share the portfolio in $TRASH/folio and build on each other, in order;
# ids the commands print are kept in $TRASH/id.* files.
. "$(dirname "$0")/lib.sh"

LPS_TODAY=2026-10-01
export LPS_TODAY

# mut ARGS...: lps ARGS succeeds, makes exactly one commit, leaves git clean.
mut() {
	n=$(git rev-list --count HEAD)
	run_lps 0 "$@"
	commit_count $((n + 1))
	git_clean
}

# refused CODE ARGS...: lps ARGS exits CODE and changes nothing.
refused() {
	code=$1; shift
	h=$(git rev-parse HEAD)
	run_lps "$code" "$@"
	test "$(git rev-parse HEAD)" = "$h" ||
		{ echo "lps $*: HEAD moved"; return 1; }
	git_clean
}

# last_msg SUBJECT COMMAND PHASE [FROM TO [FORCED]]: the message of HEAD.
last_msg() {
	{
		printf '%s\n\nLPS-Command: %s\nLPS-Phase: %s\n' "$1" "$2" "$3"
		if [ $# -ge 5 ]; then
			printf 'LPS-Phase-From: %s\nLPS-Phase-To: %s\n' "$4" "$5"
		fi
		if [ $# -ge 6 ]; then printf 'LPS-Forced: %s\n' "$6"; fi
		echo
	} >"$TRASH/expect.msg"
	git log --format=%B -n1 >"$TRASH/actual.msg"
	test_cmp "$TRASH/expect.msg" "$TRASH/actual.msg"
}

# keep NAME VALUE / id NAME: ids shared between subtests.
keep() { printf '%s\n' "$2" >"$TRASH/id.$1"; }
id() { cat "$TRASH/id.$1"; }

# title ID: the goal's title as the gate messages quote it.
gate_lines() { # stdin: "ID|text" lines -> sorted by id, "  ID "TITLE": text"
	sort | while IFS='|' read -r g text; do
		t=$(sed -n 's/^title: //p' "goals/$g.yaml")
		printf '  %s "%s": %s\n' "$g" "$t" "$text"
	done
}

test_expect_success 'init: the cycle starts in phase purpose' '
	lps init --name "Ada Lovelace" --role principal \
		--district "Lakeside Unified" --school "Lakeside Elementary" \
		--cycle 2026-2027 folio >out &&
	cd folio &&
	commit_count 1 &&
	git_clean &&
	last_msg "init: start portfolio of Ada Lovelace" init purpose &&
	run_lps 0 phase &&
	expect_out "cycle 2026-2027, phase purpose
missing for focus:
  no purpose function chosen
  no purpose statement written"
'

test_expect_success 'purpose -> focus: unmet gate, then purpose set and advance' '
	cd folio &&
	refused 1 phase advance &&
	expect_empty "$OUT" &&
	expect_err "lps: error: cannot advance from purpose to focus; missing:
  no purpose function chosen
  no purpose statement written" &&
	mut purpose set --function growth \
		--statement "Every child reads well by the end of grade 3" &&
	last_msg "purpose: set growth" "purpose set" purpose &&
	mut phase advance &&
	expect_out "Moved from purpose to focus" &&
	last_msg "phase: purpose -> focus" "phase advance" focus purpose focus
'

test_expect_success 'focus: goals are missing, then goals without indicators' '
	cd folio &&
	refused 1 phase advance &&
	expect_err "lps: error: cannot advance from focus to structures; missing:
  no active goal in cycle 2026-2027" &&
	mut goal add "Raise grade 3 reading" --agenda student &&
	g1=$(sed -n "s/^Added goal \(g-[0-9a-f]\{8\}\) \"Raise grade 3 reading\"\$/\1/p" "$OUT") &&
	test -n "$g1" && keep g1 "$g1" &&
	last_msg "goal: add $g1 \"Raise grade 3 reading\"" "goal add" focus &&
	mut goal add "Coach every teacher" --agenda professional \
		--aligns "District goal 2: strong teaching" --standard issl.1b &&
	g2=$(sed -n "s/^Added goal \(g-[0-9a-f]\{8\}\) .*/\1/p" "$OUT") &&
	test -n "$g2" && keep g2 "$g2" &&
	refused 1 phase advance &&
	{
		echo "lps: error: cannot advance from focus to structures; missing:"
		printf "%s\n" "$g1|no indicator with baseline and target" \
			"$g1|no standard or district-goal alignment" \
			"$g2|no indicator with baseline and target" | gate_lines
	} >"$TRASH/expect" &&
	test_cmp "$TRASH/expect" "$ERR"
'

test_expect_success 'focus -> structures: indicators and alignment' '
	cd folio && g1=$(id g1) && g2=$(id g2) &&
	mut goal indicator add "${g1%????}" --measure "students at benchmark (%)" \
		--baseline 42 --target 60 --unit % --due 2027-05-31 &&
	last_msg "goal: indicator k1 on $g1" "goal indicator add" focus &&
	mut goal set "$g1" standards=issl.1a &&
	last_msg "goal: set $g1 standards=issl.1a" "goal set" focus &&
	refused 1 phase advance &&
	{
		echo "lps: error: cannot advance from focus to structures; missing:"
		echo "$g2|no indicator with baseline and target" | gate_lines
	} >"$TRASH/expect" &&
	test_cmp "$TRASH/expect" "$ERR" &&
	mut goal indicator add "$g2" --measure "teachers in a coaching cycle" \
		--baseline 0 --target 24 &&
	mut phase advance &&
	expect_out "Moved from focus to structures" &&
	last_msg "phase: focus -> structures" "phase advance" structures focus structures
'

test_expect_success 'structures -> action: a partner or a roundtable' '
	cd folio &&
	refused 1 phase advance &&
	expect_err "lps: error: cannot advance from structures to action; missing:
  no partner or roundtable named" &&
	mut structure add --kind partner --name "Grace Hopper" &&
	last_msg "structure: add partner \"Grace Hopper\"" "structure add" structures &&
	mut structure add --kind roundtable --name "North cluster" --meets monthly &&
	mut phase advance &&
	expect_out "Moved from structures to action" &&
	last_msg "phase: structures -> action" "phase advance" action structures action
'

test_expect_success 'action: the gate wants steps and evidence for each goal' '
	cd folio && g1=$(id g1) && g2=$(id g2) &&
	refused 1 phase advance &&
	{
		echo "lps: error: cannot advance from action to outcomes; missing:"
		printf "%s\n" "$g1|no action step" "$g1|no evidence" \
			"$g2|no action step" "$g2|no evidence" | gate_lines
	} >"$TRASH/expect" &&
	test_cmp "$TRASH/expect" "$ERR" &&
	mut action add "$g1" "Weekly guided reading walk-throughs" --due 2026-11-30 &&
	last_msg "action: add s1 to $g1" "action add" action &&
	mut action add "$g2" "Coaching cycles with every teacher" --owner "Ada Lovelace"
'

test_expect_success 'action: evidence, a file byte for byte and one without' '
	cd folio && g1=$(id g1) && g2=$(id g2) &&
	i=0 &&
	while [ $i -lt 256 ]; do
		printf "\\$(printf %03o $i)"; i=$((i + 1))
	done >"$TRASH/scores.bin" &&
	test "$(wc -c <"$TRASH/scores.bin")" = 256 &&
	mut evidence attach "$TRASH/scores.bin" --goal "$g1" --kind achievement \
		--title "Fall screener scores" &&
	e1=$(sed -n "s/^Attached evidence \(e-[0-9a-f]\{8\}\) .*/\1/p" "$OUT") &&
	test -n "$e1" && keep e1 "$e1" &&
	last_msg "evidence: attach $e1 \"Fall screener scores\"" "evidence attach" action &&
	git show "HEAD:evidence/$e1/scores.bin" >"$TRASH/back.bin" &&
	cmp "$TRASH/scores.bin" "$TRASH/back.bin" &&
	rm "$TRASH/back.bin" &&
	mut evidence add --goal "$g2" --kind observation --title "Coaching log" \
		--note "Twelve cycles started by October" &&
	e2=$(sed -n "s/^Added evidence \(e-[0-9a-f]\{8\}\) .*/\1/p" "$OUT") &&
	test -n "$e2" && keep e2 "$e2" &&
	last_msg "evidence: add $e2 \"Coaching log\"" "evidence add" action
'

test_expect_success 'action: measure, reflect, feedback, a step done' '
	cd folio && g1=$(id g1) && e1=$(id e1) &&
	mut goal measure "$g1" --value 51 --evidence "$e1" &&
	last_msg "goal: measure $g1 k1 = 51" "goal measure" action &&
	mut reflect --goal "$g1" --prompt lfl.focus.2 \
		-m "The screener and the walk-throughs agree: guided reading works." &&
	r1=$(sed -n "s/^Added reflection \(r-[0-9a-f]\{8\}\).*/\1/p" "$OUT") &&
	test -n "$r1" &&
	last_msg "reflection: add $r1" reflect action &&
	mut feedback add --from "Grace Hopper" --kind question --on "$g1" \
		-m "Which students moved least, and why?" &&
	f1=$(sed -n "s/^Added feedback \(f-[0-9a-f]\{8\}\) .*/\1/p" "$OUT") &&
	test -n "$f1" &&
	last_msg "feedback: add $f1 from Grace Hopper" "feedback add" action &&
	mut action done "$g1" s1 &&
	last_msg "action: done s1 of $g1" "action done" action
'

test_expect_success 'action -> outcomes' '
	cd folio &&
	mut phase advance &&
	expect_out "Moved from action to outcomes" &&
	last_msg "phase: action -> outcomes" "phase advance" outcomes action outcomes
'

test_expect_success 'outcomes: final statuses and an outcomes reflection' '
	cd folio && g1=$(id g1) && g2=$(id g2) && e1=$(id e1) &&
	refused 1 phase advance &&
	{
		echo "lps: error: cannot advance from outcomes to purpose; missing:"
		printf "%s\n" "$g1|no final status (it is active)" \
			"$g2|no final status (it is active)" | gate_lines
		echo "  no outcomes reflection in cycle 2026-2027"
	} >"$TRASH/expect" &&
	test_cmp "$TRASH/expect" "$ERR" &&
	mut assess issl.1a --rating proficient --evidence "$e1" \
		-m "Screener data now drives the reading plan." &&
	last_msg "assess: issl.1a proficient" assess outcomes &&
	test -f assessments/2026-2027/issl-1a.yaml &&
	mut goal set "$g1" status=met &&
	last_msg "goal: set $g1 status=met" "goal set" outcomes &&
	mut reflect -m "Looking at data every month changed how we plan." &&
	refused 1 phase advance &&
	{
		echo "lps: error: cannot advance from outcomes to purpose; missing:"
		echo "$g2|no final status (it is active)" | gate_lines
	} >"$TRASH/expect" &&
	test_cmp "$TRASH/expect" "$ERR"
'

test_expect_success 'outcomes -> purpose: forced, carrying a goal into 2027-2028' '
	cd folio && g2=$(id g2) &&
	refused 2 phase advance --force &&
	mut phase advance --force --reason "coaching continues next year" \
		--carry "$g2" --cycle 2027-2028 &&
	last_msg "phase: outcomes -> purpose" "phase advance" purpose \
		outcomes purpose "coaching continues next year" &&
	g3=$(sed -n "s/^Carried $g2 .* forward as \(g-[0-9a-f]\{8\}\)\$/\1/p" "$OUT") &&
	test -n "$g3" && keep g3 "$g3" &&
	grep -qx "cycle: 2027-2028" lps.yaml &&
	grep -qx "phase: purpose" lps.yaml &&
	grep -qx "carried_from: $g2" "goals/$g3.yaml" &&
	grep -qx "cycle: 2027-2028" "goals/$g3.yaml" &&
	grep -qx "status: active" "goals/$g3.yaml" &&
	grep -qx "status: active" "goals/$g2.yaml"
'

test_expect_success 'the second cycle: its own gate, its goals, its purpose' '
	cd folio && g3=$(id g3) &&
	run_lps 0 goal list --status active --format ids &&
	printf "%s\tCoach every teacher\n" "$(id g2)" "$g3" | sort >"$TRASH/expect" &&
	sort "$OUT" >"$TRASH/actual" &&
	test_cmp "$TRASH/expect" "$TRASH/actual" &&
	mut purpose set --function evaluation \
		--statement "Show the board what coaching changes" &&
	last_msg "purpose: set evaluation" "purpose set" purpose &&
	run_lps 0 phase &&
	expect_out "cycle 2027-2028, phase purpose
ready for focus (lps phase advance)"
'

test_expect_success 'lps log --phases lists the five transitions' '
	cd folio &&
	git log --format="%h %ad" --date=short --grep="^phase: " >"$TRASH/hashes" &&
	test "$(wc -l <"$TRASH/hashes")" = 5 &&
	printf "%s\n" "outcomes -> purpose (forced: coaching continues next year)" \
		"action -> outcomes" "structures -> action" "focus -> structures" \
		"purpose -> focus" >"$TRASH/moves" &&
	paste -d " " "$TRASH/hashes" "$TRASH/moves" >"$TRASH/expect" &&
	rm "$TRASH/hashes" "$TRASH/moves" &&
	run_lps 0 log --phases &&
	test_cmp "$TRASH/expect" "$OUT"
'

test_expect_success 'git log: one commit per command, in order' '
	cd folio &&
	g1=$(id g1) g2=$(id g2) g3=$(id g3) e1=$(id e1) e2=$(id e2) &&
	git log --reverse --format=%s |
		sed -e "s/$g1/G1/g; s/$g2/G2/g; s/$e1/E1/g; s/$e2/E2/g" \
		    -e "s/r-[0-9a-f]\{8\}/R/; s/f-[0-9a-f]\{8\}/F/" >"$TRASH/actual" &&
	cat >"$TRASH/expect" <<-\EOF &&
	init: start portfolio of Ada Lovelace
	purpose: set growth
	phase: purpose -> focus
	goal: add G1 "Raise grade 3 reading"
	goal: add G2 "Coach every teacher"
	goal: indicator k1 on G1
	goal: set G1 standards=issl.1a
	goal: indicator k1 on G2
	phase: focus -> structures
	structure: add partner "Grace Hopper"
	structure: add roundtable "North cluster"
	phase: structures -> action
	action: add s1 to G1
	action: add s1 to G2
	evidence: attach E1 "Fall screener scores"
	evidence: add E2 "Coaching log"
	goal: measure G1 k1 = 51
	reflection: add R
	feedback: add F from Grace Hopper
	action: done s1 of G1
	phase: action -> outcomes
	assess: issl.1a proficient
	goal: set G1 status=met
	reflection: add R
	phase: outcomes -> purpose
	purpose: set evaluation
	EOF
	test_cmp "$TRASH/expect" "$TRASH/actual" &&
	git log --format=%B | grep -c "^LPS-Command: " >"$TRASH/n" &&
	test "$(cat "$TRASH/n")" = "$(git rev-list --count HEAD)" &&
	rm "$TRASH/n"
'

test_expect_success 'the portfolio checks clean and the status shows the new cycle' '
	cd folio &&
	run_lps 0 check &&
	run_lps 0 status &&
	grep -q "2027-2028" "$OUT" &&
	grep -q "Coach every teacher" "$OUT" &&
	git_clean
'

test_done
