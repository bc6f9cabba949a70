#!/bin/sh
# t1100-goal: lps goal add, list, show, edit, set, drop, indicator add and
# measure: exact output, one commit per change with its message and
# trailers, and bad input that changes nothing.
. "$(dirname "$0")/lib.sh"

LPS_TODAY=2026-10-01
export LPS_TODAY
SCHEMAS=$TOP/schemas
# Scratch files live outside the portfolios, which must stay clean.
T=$TRASH_ROOT

# port DIR: a new portfolio in DIR (cycle 2026-2027); cd into it.
port() {
	lps init "$1" --name "Ada Lovelace" --role principal \
		--cycle 2026-2027 >/dev/null && cd "$1"
}

# add_goal ARGS...: lps goal add ARGS, printing the new id.
add_goal() {
	lps goal add "$@" >"$TRASH_ROOT/add.out" &&
	sed -n 's/^Added goal \(g-[0-9a-f]\{8\}\) .*/\1/p' "$TRASH_ROOT/add.out"
}

# msg_is LINE...: the last commit's message is exactly these lines.
msg_is() {
	git log --format=%B -n1 >"$TRASH_ROOT/msg" &&
	printf '%s\n' "$@" "" >"$TRASH_ROOT/msg.expect" &&
	test_cmp "$TRASH_ROOT/msg.expect" "$TRASH_ROOT/msg"
}

# unchanged HEAD: HEAD is still HEAD and nothing is uncommitted.
unchanged() {
	test "$(git rev-parse HEAD)" = "$1" && git_clean
}

# fake_goal ID TITLE: commit goals/ID.yaml with plain git (fixed ids).
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

test_expect_success 'goal add: one commit, exact message, canonical file' '
	port p1 &&
	run_lps 0 goal add "Raise grade 3 reading" --agenda student \
		--area focus --standard issl.1a --standard lfl.focus \
		--aligns "District goal 2" --statement "All readers by May" &&
	id=$(sed -n "s/^Added goal \(g-[0-9a-f]\{8\}\) .*/\1/p" "$OUT") &&
	expect_out "Added goal $id \"Raise grade 3 reading\"" &&
	expect_empty "$ERR" &&
	commit_count 2 && git_clean &&
	msg_is "goal: add $id \"Raise grade 3 reading\"" "" \
		"LPS-Command: goal add" "LPS-Phase: purpose" &&
	cat >"$T/expect" <<-EOT &&
	lps: 1
	id: $id
	title: Raise grade 3 reading
	agenda: student
	area: focus
	status: active
	cycle: 2026-2027
	standards:
	  - issl.1a
	  - lfl.focus
	aligns: District goal 2
	statement: All readers by May
	created: 2026-10-01
	EOT
	git show HEAD:goals/$id.yaml >"$T/actual" && test_cmp "$T/expect" "$T/actual" &&
	git diff --name-only HEAD~1 HEAD >"$T/files" &&
	echo goals/$id.yaml >"$T/expect" && test_cmp "$T/expect" "$T/files" &&
	run_lps 0 check
'

test_expect_success 'goal add: --aligns naming a goal stores its id' '
	port p2 &&
	g1=$(add_goal "District literacy" --agenda system) &&
	g2=$(add_goal "Coach teachers" --agenda professional --aligns ${g1#g-}) &&
	grep -qx "aligns: $g1" goals/$g2.yaml &&
	g3=$(add_goal "Three" --agenda system --aligns "g-${g1#g-}") &&
	grep -qx "aligns: $g1" goals/$g3.yaml &&
	commit_count 4 && git_clean
'

test_expect_success 'goal add: a standard of an added framework' '
	port p3 &&
	mkdir frameworks && cat >frameworks/nvsd.yaml <<-EOT &&
	lps: 1
	name: nvsd
	title: North Valley standards
	standards:
	  - code: lit
	    title: Literacy
	EOT
	git add frameworks && git commit -q -m "framework" &&
	run_lps 0 goal add Lit --agenda student --standard nvsd.lit &&
	commit_count 3 && git_clean
'

test_expect_success 'goal add: bad input changes nothing' '
	port p4 && head=$(git rev-parse HEAD) &&
	run_lps 1 goal add T --agenda student --standard issl.9z &&
	expect_err "lps: error: unknown standard \"issl.9z\"" &&
	run_lps 1 goal add T --agenda student --standard nope.1a &&
	expect_err "lps: error: unknown standard \"nope.1a\"" &&
	run_lps 2 goal add T &&
	head -1 "$ERR" >"$T/first" && echo "lps: error: --agenda is required" >"$T/expect" &&
	test_cmp "$T/expect" "$T/first" &&
	run_lps 2 goal add T --agenda teachers &&
	head -1 "$ERR" >"$T/first" &&
	echo "lps: error: --agenda: unknown value '"'"'teachers'"'"' (one of: student professional system)" >"$T/expect" &&
	test_cmp "$T/expect" "$T/first" &&
	run_lps 2 goal add --agenda student &&
	run_lps 2 goal add "" --agenda student &&
	run_lps 2 goal add T --agenda student --area nowhere &&
	run_lps 2 goal add T --agenda student --bogus &&
	run_lps 2 goal &&
	run_lps 2 goal frobnicate &&
	run_lps 1 goal add T --agenda student --aligns g-12345678 &&
	expect_err "lps: error: --aligns: no goal matches \"g-12345678\"" &&
	unchanged $head
'

# Writers queue on the store's lock; each builds on the tip it finds.
test_expect_success 'goal add: commands started at the same moment all land' '
	port race &&
	n0=$(git rev-list --count HEAD) &&
	for i in 1 2 3 4 5 6; do
		(lps goal add "Raced $i" --agenda student >"$T/race-$i.out" 2>&1 ||
		 echo "$i" >>"$T/race-failed") &
	done &&
	wait &&
	if test -s "$T/race-failed"; then cat "$T"/race-*.out; false; fi &&
	commit_count $((n0 + 6)) &&
	test "$(ls goals | wc -l)" = 6 &&
	for i in 1 2 3 4 5 6; do
		grep -l "^title: Raced $i$" goals/*.yaml >/dev/null || exit 1
	done &&
	test "$(git log --format=%s | grep -c "^goal: add g-")" = 6 &&
	git_clean && lps check
'

test_expect_success 'goal add outside a portfolio: exit 1' '
	mkdir empty && cd empty && git init -q &&
	run_lps 1 goal add T --agenda student &&
	expect_empty "$OUT"
'

# first_err TEXT: the first line of $ERR is TEXT.
first_err() {
	head -1 "$ERR" >"$T/first" && printf '%s\n' "$1" >"$T/expect" &&
	test_cmp "$T/expect" "$T/first"
}

test_expect_success 'whitespace alone is no text: title, reason, statement, measure, note' '
	port p4b && fake_goal g-4b4b4b4b "Keep" && head=$(git rev-parse HEAD) &&
	run_lps 2 goal add "   " --agenda student &&
	first_err "lps: error: the title cannot be empty" &&
	run_lps 2 goal add "$(printf " \t\n ")" --agenda student &&
	run_lps 2 goal add T --agenda student --statement "  " &&
	first_err "lps: error: --statement cannot be empty" &&
	run_lps 2 goal set 4b4 title="  " &&
	expect_err "lps: error: title cannot be empty" &&
	run_lps 2 goal drop 4b4 --reason "   " &&
	first_err "lps: error: --reason cannot be empty" &&
	run_lps 2 goal indicator add 4b4 --measure " " --baseline 1 --target 2 &&
	first_err "lps: error: --measure cannot be empty" &&
	run_lps 2 goal indicator add 4b4 --measure m --unit " " --baseline 1 --target 2 &&
	first_err "lps: error: --unit cannot be empty" &&
	run_lps 2 goal measure 4b4 --value 1 --note "  " &&
	first_err "lps: error: --note cannot be empty" &&
	unchanged $head &&
	run_lps 0 goal set 4b4 statement=Why &&
	run_lps 0 goal set 4b4 "statement=  " &&
	expect_out "Updated goal g-4b4b4b4b: statement=" &&
	! grep -q "^statement:" goals/g-4b4b4b4b.yaml && git_clean
'

test_expect_success 'goal list: text, filters, ids, json' '
	port p5 &&
	fake_goal g-11111111 "Raise reading" &&
	fake_goal g-22222222 "Coach teachers" &&
	lps goal set 222 agenda=professional standards=issl.1a >/dev/null &&
	lps goal indicator add 111 --measure m --baseline 40 --target 60 >/dev/null &&
	lps goal measure 111 --value 45 >/dev/null &&
	lps goal drop 222 --reason "Merged" >/dev/null &&
	head=$(git rev-parse HEAD) &&
	run_lps 0 goal list &&
	cat >"$T/expect" <<-EOT &&
	g-11111111  active         student         25%  Raise reading
	g-22222222  dropped        professional      -  Coach teachers
	EOT
	test_cmp "$T/expect" "$OUT" &&
	run_lps 0 goal list --status active && expect_out "g-11111111  active         student         25%  Raise reading" &&
	run_lps 0 goal list --agenda professional --format ids &&
	printf "g-22222222\tCoach teachers\n" >"$T/expect" && test_cmp "$T/expect" "$OUT" &&
	run_lps 0 goal list --standard issl.1a --format=ids &&
	test_cmp "$T/expect" "$OUT" &&
	run_lps 0 goal list --standard issl.1b && expect_empty "$OUT" &&
	run_lps 0 goal list --format json &&
	cp "$OUT" "$T/list.json" &&
	lps validate --schema "$SCHEMAS/out-goal-list.schema.yaml" "$T/list.json" &&
	grep -c "\"progress\": 25" "$T/list.json" >"$T/n" && echo 1 >"$T/expect" && test_cmp "$T/expect" "$T/n" &&
	grep -c "\"progress\": null" "$T/list.json" >"$T/n" && test_cmp "$T/expect" "$T/n" &&
	run_lps 0 goal list --status met --format json &&
	printf "{\n  \"goals\": []\n}\n" >"$T/expect" && test_cmp "$T/expect" "$OUT" &&
	run_lps 2 goal list --status finished &&
	run_lps 2 goal list --format xml &&
	run_lps 2 goal list extra &&
	unchanged $head
'

test_expect_success 'goal list in a portfolio without goals' '
	port p6 && run_lps 0 goal list && expect_empty "$OUT" &&
	run_lps 0 goal list --format json &&
	printf "{\n  \"goals\": []\n}\n" >"$T/expect" && test_cmp "$T/expect" "$OUT"
'

test_expect_success 'goal show: text and json with indicators, steps, evidence' '
	port p7 &&
	fake_goal g-33333333 "Raise reading" &&
	lps goal set 333 standards=issl.1a,lfl.focus "statement=Line one
line two" >/dev/null &&
	lps goal indicator add 333 --measure "Reading at benchmark" \
		--baseline 40 --target 60 --unit % --due 2027-05-30 >/dev/null &&
	lps goal indicator add 333 --measure "Absences" --baseline 12 \
		--target 4 >/dev/null &&
	mkdir -p evidence && cat >evidence/e-aaaaaaaa.yaml <<-EOT &&
	lps: 1
	id: e-aaaaaaaa
	title: Spring scores
	kind: achievement
	date: 2026-10-01
	goals: [g-33333333]
	EOT
	cat >evidence/e-bbbbbbbb.yaml <<-EOT &&
	lps: 1
	id: e-bbbbbbbb
	title: Unrelated
	kind: artifact
	date: 2026-10-01
	EOT
	git add evidence && git commit -q -m evidence &&
	lps goal measure 333 --indicator k1 --value 45 --date 2026-09-20 >/dev/null &&
	lps goal measure 333 --indicator k1 --value 50 --date 2026-09-30 \
		--evidence aaa >/dev/null &&
	lps action add 333 "Train staff" --due 2026-09-15 --owner "Pat Lee" >/dev/null &&
	lps action add 333 "Review data" --due 2026-12-01 >/dev/null &&
	lps action add 333 "Plan" >/dev/null &&
	lps action done 333 s3 >/dev/null &&
	head=$(git rev-parse HEAD) &&
	run_lps 0 goal show 333 &&
	cat >"$T/expect" <<-EOT &&
	g-33333333  Raise reading
	  status       active
	  agenda       student
	  cycle        2026-2027
	  created      2026-09-01
	  standards    issl.1a, lfl.focus
	  progress     50%

	Statement:
	  Line one
	  line two

	Indicators:
	  k1  Reading at benchmark
	      40 -> 50 -> 60 %  progress 50%  due 2027-05-30
	      2026-09-20  45
	      2026-09-30  50  e-aaaaaaaa
	  k2  Absences
	      12 -> - -> 4  progress -

	Action steps:
	  s1  overdue  2026-09-15  Train staff  (owner: Pat Lee)
	  s2  open     2026-12-01  Review data
	  s3  done     -           Plan  (done 2026-10-01)

	Evidence:
	  e-aaaaaaaa  Spring scores
	EOT
	test_cmp "$T/expect" "$OUT" &&
	run_lps 0 goal show g-33333333 --format json && cp "$OUT" "$T/show.json" &&
	lps validate --schema "$SCHEMAS/out-goal-show.schema.yaml" "$T/show.json" &&
	grep -q "\"latest\": 50," "$T/show.json" &&
	grep -q "\"latest\": null," "$T/show.json" &&
	grep -q "\"overdue\": true" "$T/show.json" &&
	tail -5 "$T/show.json" >"$T/tail" &&
	printf "%s\n" "  \"progress\": 50," "  \"evidence\": [" \
		"    \"e-aaaaaaaa\"" "  ]" "}" >"$T/expect" && test_cmp "$T/expect" "$T/tail" &&
	run_lps 2 goal show 333 --format ids &&
	run_lps 2 goal show &&
	unchanged $head
'

test_expect_success 'unknown goal, ambiguous prefix, malformed id' '
	port p8 &&
	fake_goal g-3f000001 One && fake_goal g-3f000002 Two &&
	head=$(git rev-parse HEAD) &&
	run_lps 1 goal show 3f &&
	expect_err "lps: error: ambiguous id \"3f\": g-3f000001, g-3f000002" &&
	run_lps 1 goal show 4a &&
	expect_err "lps: error: no goal matches \"4a\"" &&
	run_lps 1 goal show g-4a000001 &&
	expect_err "lps: error: no goal matches \"g-4a000001\"" &&
	run_lps 0 goal show 3f000002 && head -1 "$OUT" >"$T/first" &&
	echo "g-3f000002  Two" >"$T/expect" && test_cmp "$T/expect" "$T/first" &&
	run_lps 1 goal set 3f title=X &&
	run_lps 1 goal drop 3f --reason R &&
	run_lps 1 goal measure 3f --value 1 &&
	run_lps 1 goal indicator add 3f --measure m --baseline 1 --target 2 &&
	unchanged $head
'

test_expect_success 'goal set: fields, message, refusals' '
	port p9 && fake_goal g-44444444 "Old title" &&
	run_lps 0 goal set 444 status=met "title=New title" &&
	expect_out "Updated goal g-44444444: status=met title=New title" &&
	msg_is "goal: set g-44444444 status=met title=New title" "" \
		"LPS-Command: goal set" "LPS-Phase: purpose" &&
	grep -qx "status: met" goals/g-44444444.yaml &&
	grep -qx "title: New title" goals/g-44444444.yaml &&
	git_clean &&
	run_lps 0 goal set 444 visibility=private area=coherence &&
	grep -qx "visibility: private" goals/g-44444444.yaml &&
	run_lps 0 goal set 444 area= &&
	! grep -q "^area:" goals/g-44444444.yaml &&
	head=$(git rev-parse HEAD) &&
	run_lps 0 goal set 444 status=met && expect_out "nothing changed" &&
	run_lps 2 goal set 444 status=dropped &&
	expect_err "lps: error: to drop a goal use: lps goal drop ID --reason TEXT" &&
	run_lps 2 goal set 444 id=g-00000000 &&
	run_lps 2 goal set 444 title= &&
	run_lps 2 goal set 444 title &&
	run_lps 2 goal set 444 &&
	run_lps 1 goal set 444 status=finished &&
	expect_err "lps: error: goals/g-44444444.yaml: status: must be one of: \"proposed\", \"active\", \"met\", \"partially-met\", \"not-met\", \"dropped\"" &&
	run_lps 1 goal set 444 visibility=public &&
	run_lps 1 goal set 444 standards=issl.1a,issl.9z &&
	expect_err "lps: error: unknown standard \"issl.9z\"" &&
	unchanged $head && commit_count 5
'

test_expect_success 'goal drop: status dropped and the reason, history kept' '
	port p10 && fake_goal g-55555555 "To drop" &&
	head=$(git rev-parse HEAD) &&
	run_lps 2 goal drop 555 && unchanged $head &&
	run_lps 0 goal drop 555 --reason "Merged into another goal" &&
	expect_out "Dropped goal g-55555555 \"To drop\"" &&
	msg_is "goal: drop g-55555555" "" "LPS-Command: goal drop" \
		"LPS-Phase: purpose" &&
	grep -qx "status: dropped" goals/g-55555555.yaml &&
	grep -qx "dropped_reason: Merged into another goal" goals/g-55555555.yaml &&
	git show HEAD~1:goals/g-55555555.yaml | grep -qx "status: active" &&
	head=$(git rev-parse HEAD) &&
	run_lps 1 goal drop 555 --reason again &&
	expect_err "lps: error: goal g-55555555 is already dropped" &&
	unchanged $head && run_lps 0 check
'

test_expect_success 'goal indicator add: keys k1, k2, exact file and message' '
	port p11 && fake_goal g-66666666 G &&
	run_lps 0 goal indicator add 666 --measure "Reading at benchmark" \
		--baseline 40 --target 60.5 --unit % --due 2027-05-30 &&
	expect_out "Added indicator k1 to goal g-66666666" &&
	msg_is "goal: indicator k1 on g-66666666" "" \
		"LPS-Command: goal indicator add" "LPS-Phase: purpose" &&
	run_lps 0 goal indicator add 666 --measure=Absences --baseline=12 --target=4 &&
	expect_out "Added indicator k2 to goal g-66666666" &&
	sed -n "/^indicators:/,\$p" goals/g-66666666.yaml >"$T/actual" &&
	cat >"$T/expect" <<-EOT &&
	indicators:
	  - id: k1
	    measure: Reading at benchmark
	    baseline: 40
	    target: 60.5
	    unit: "%"
	    due: 2027-05-30
	  - id: k2
	    measure: Absences
	    baseline: 12
	    target: 4
	EOT
	test_cmp "$T/expect" "$T/actual" && commit_count 4 && git_clean &&
	head=$(git rev-parse HEAD) &&
	run_lps 2 goal indicator add 666 --measure m --baseline ten --target 4 &&
	head -1 "$ERR" >"$T/first" &&
	echo "lps: error: --baseline: expected a number, got '"'"'ten'"'"'" >"$T/expect" &&
	test_cmp "$T/expect" "$T/first" &&
	run_lps 2 goal indicator add 666 --measure m --baseline 1 --target 0x10 &&
	run_lps 2 goal indicator add 666 --measure m --baseline 1 &&
	run_lps 2 goal indicator add 666 --baseline 1 --target 2 &&
	run_lps 2 goal indicator add 666 --measure m --baseline 1 --target 2 --due 2027-02-30 &&
	head -1 "$ERR" >"$T/first" &&
	echo "lps: error: --due: expected a date YYYY-MM-DD, got '"'"'2027-02-30'"'"'" >"$T/expect" &&
	test_cmp "$T/expect" "$T/first" &&
	run_lps 2 goal indicator 666 &&
	run_lps 2 goal indicator remove 666 &&
	unchanged $head
'

test_expect_success 'goal indicator add: a target equal to the baseline is refused' '
	port p11b && fake_goal g-6b6b6b6b G && head=$(git rev-parse HEAD) &&
	run_lps 2 goal indicator add 6b6 --measure x --baseline 1 --target 1 &&
	head -1 "$ERR" >"$T/first" &&
	echo "lps: error: --target must differ from --baseline" >"$T/expect" &&
	test_cmp "$T/expect" "$T/first" &&
	run_lps 2 goal indicator add 6b6 --measure x --baseline 1.0 --target 1e0 &&
	test_cmp "$T/expect" "$T/first" &&
	unchanged $head
'

test_expect_success 'goal measure: default indicator, --indicator, evidence, dates' '
	port p12 && fake_goal g-77777777 G &&
	head=$(git rev-parse HEAD) &&
	run_lps 1 goal measure 777 --value 5 &&
	expect_err "lps: error: goal g-77777777 has no indicators; add one with: lps goal indicator add" &&
	lps goal indicator add 777 --measure m --baseline 40 --target 60 >/dev/null &&
	run_lps 0 goal measure 777 --value 54 &&
	expect_out "Recorded k1 = 54 on 2026-10-01 for goal g-77777777" &&
	msg_is "goal: measure g-77777777 k1 = 54" "" \
		"LPS-Command: goal measure" "LPS-Phase: purpose" &&
	git_clean &&
	lps goal indicator add 777 --measure a --baseline 12 --target 4 >/dev/null &&
	head=$(git rev-parse HEAD) &&
	run_lps 2 goal measure 777 --value 5 &&
	expect_err "lps: error: goal g-77777777 has several indicators (k1, k2): choose one with --indicator" &&
	run_lps 1 goal measure 777 --indicator k9 --value 5 &&
	expect_err "lps: error: goal g-77777777 has no indicator \"k9\" (k1, k2)" &&
	run_lps 2 goal measure 777 --indicator k2 --value many &&
	run_lps 2 goal measure 777 --indicator k2 &&
	run_lps 2 goal measure 777 --indicator k2 --value 5 --date 1/2/2026 &&
	run_lps 1 goal measure 777 --indicator k2 --value 5 --evidence e-12345678 &&
	expect_err "lps: error: no evidence matches \"e-12345678\"" &&
	unchanged $head &&
	run_lps 0 goal measure 777 --indicator k2 --value 10.5 --date 2026-09-15 \
		--note "after the first term" &&
	expect_out "Recorded k2 = 10.5 on 2026-09-15 for goal g-77777777" &&
	sed -n "/^  - id: k2/,\$p" goals/g-77777777.yaml >"$T/actual" &&
	cat >"$T/expect" <<-EOT &&
	  - id: k2
	    measure: a
	    baseline: 12
	    target: 4
	    measurements:
	      - date: 2026-09-15
	        value: 10.5
	        note: after the first term
	EOT
	test_cmp "$T/expect" "$T/actual" && git_clean && run_lps 0 check
'

# Scripted editors: each gets the file name as $1.
cat >"$TRASH_ROOT/ed-title" <<'EOT'
#!/bin/sh
sed 's/^title: .*/title: Edited by hand/' "$1" >"$1.new" && mv "$1.new" "$1"
printf '# a comment the user wrote\n' >>"$1"
EOT
cat >"$TRASH_ROOT/ed-keep" <<'EOT'
#!/bin/sh
exit 0
EOT
cat >"$TRASH_ROOT/ed-fail" <<'EOT'
#!/bin/sh
exit 3
EOT
# First run breaks the YAML, second makes target a word, third fixes it.
cat >"$TRASH_ROOT/ed-steps" <<'EOT'
#!/bin/sh
n=$(cat "$STEPS" 2>/dev/null || echo 0); n=$((n + 1)); echo $n >"$STEPS"
case $n in
1) printf 'title: [unclosed\n' >>"$1" ;;
2) sed -e '$d' "$1" | sed 's/^title: .*/title: Fixed/; s/^status: .*/status: finished/' >"$1.new" && mv "$1.new" "$1" ;;
3) sed 's/^status: .*/status: met/' "$1" >"$1.new" && mv "$1.new" "$1" ;;
esac
EOT
cat >"$TRASH_ROOT/ed-flat" <<'EOT'
#!/bin/sh
printf 'indicators:\n  - id: k1\n    measure: m\n    baseline: 3\n    target: 3\n' >>"$1"
EOT
cat >"$TRASH_ROOT/ed-id" <<'EOT'
#!/bin/sh
sed 's/^id: .*/id: g-99999999/' "$1" >"$1.new" && mv "$1.new" "$1"
EOT
chmod +x "$TRASH_ROOT"/ed-*

test_expect_success 'goal edit: the text is committed as written' '
	port p13 && fake_goal g-88888888 G &&
	EDITOR="$TRASH_ROOT/ed-title" run_lps 0 goal edit 888 </dev/null &&
	expect_out "Edited goal g-88888888" &&
	msg_is "goal: edit g-88888888" "" "LPS-Command: goal edit" \
		"LPS-Phase: purpose" &&
	tail -1 goals/g-88888888.yaml >"$T/last" &&
	echo "# a comment the user wrote" >"$T/expect" && test_cmp "$T/expect" "$T/last" &&
	grep -qx "title: Edited by hand" goals/g-88888888.yaml &&
	git_clean && commit_count 3
'

test_expect_success 'goal edit: unchanged text, failing editor, id change' '
	port p14 && fake_goal g-88888888 G && head=$(git rev-parse HEAD) &&
	EDITOR="$TRASH_ROOT/ed-keep" run_lps 0 goal edit 888 </dev/null &&
	expect_out "nothing changed" && unchanged $head &&
	EDITOR="$TRASH_ROOT/ed-fail" run_lps 4 goal edit 888 </dev/null &&
	grep -q "^lps: error: editor .* failed (exit 3)" "$ERR" &&
	unchanged $head &&
	EDITOR="$TRASH_ROOT/ed-id" run_lps 1 goal edit 888 </dev/null &&
	grep -qx "lps: error: goals/g-88888888.yaml:2:5: id: must stay g-88888888" "$ERR" &&
	tail -1 "$ERR" | sed "s/^edit again? \[Y\/n\] //" >"$T/last" &&
	echo "lps: error: aborted: nothing changed" >"$T/expect" && test_cmp "$T/expect" "$T/last" &&
	unchanged $head
'

test_expect_success 'goal edit: an indicator whose target is its baseline is refused' '
	port p14c && fake_goal g-88888888 G && head=$(git rev-parse HEAD) &&
	EDITOR="$TRASH_ROOT/ed-flat" run_lps 1 goal edit 888 </dev/null &&
	grep -qx "lps: error: goals/g-88888888.yaml:12:13: indicators\[0\].target: must differ from baseline" "$ERR" &&
	unchanged $head
'

test_expect_success 'goal edit: uncommitted changes refused before the editor opens' '
	port p14b && fake_goal g-88888888 G && head=$(git rev-parse HEAD) &&
	echo "# my notes" >>goals/g-88888888.yaml &&
	cp goals/g-88888888.yaml "$T/mine" &&
	EDITOR="$TRASH_ROOT/ed-fail" run_lps 3 goal edit 888 </dev/null &&
	expect_err "lps: error: goals/g-88888888.yaml: has uncommitted changes; commit or discard them first" &&
	test_cmp "$T/mine" goals/g-88888888.yaml &&
	test "$(git rev-parse HEAD)" = "$head"
'

test_expect_success 'goal edit: invalid YAML, then a schema error, then fixed' '
	port p15 && fake_goal g-88888888 G && head=$(git rev-parse HEAD) &&
	STEPS=$TRASH_ROOT/steps1 && export STEPS &&
	printf "y\ny\n" >"$T/answers" &&
	EDITOR="$TRASH_ROOT/ed-steps" run_lps 0 goal edit 888 <"$T/answers" &&
	expect_out "Edited goal g-88888888" &&
	grep -qx "lps: error: goals/g-88888888.yaml:8:1: duplicate key \"title\" (first at line 3)" "$ERR" &&
	grep -qx "lps: error: goals/g-88888888.yaml:5:9: status: must be one of: \"proposed\", \"active\", \"met\", \"partially-met\", \"not-met\", \"dropped\"" "$ERR" &&
	grep -qx "title: Fixed" goals/g-88888888.yaml &&
	grep -qx "status: met" goals/g-88888888.yaml &&
	commit_count 3 && git_clean
'

test_expect_success 'goal edit: invalid and the user aborts: nothing committed' '
	port p16 && fake_goal g-88888888 G && head=$(git rev-parse HEAD) &&
	STEPS=$TRASH_ROOT/steps2 && export STEPS &&
	echo n >"$T/answers" &&
	EDITOR="$TRASH_ROOT/ed-steps" run_lps 1 goal edit 888 <"$T/answers" &&
	tail -1 "$ERR" | sed "s/^edit again? \[Y\/n\] //" >"$T/last" &&
	echo "lps: error: aborted: nothing changed" >"$T/expect" && test_cmp "$T/expect" "$T/last" &&
	unchanged $head &&
	STEPS=$TRASH_ROOT/steps3 &&
	EDITOR="$TRASH_ROOT/ed-steps" run_lps 1 goal edit 888 </dev/null &&
	unchanged $head
'

# prompts: how many times $ERR asks "edit again? [Y/n]".
prompts() {
	grep -o "edit again? \[Y/n\]" "$ERR" | wc -l | tr -d " "
}

test_expect_success 'goal edit: y, yes and an empty answer edit again; others ask again' '
	port p17 && fake_goal g-88888888 G &&
	STEPS=$TRASH_ROOT/steps4 && export STEPS &&
	printf "maybe\nYes\n\n" >"$T/answers" &&
	EDITOR="$TRASH_ROOT/ed-steps" run_lps 0 goal edit 888 <"$T/answers" &&
	expect_out "Edited goal g-88888888" &&
	test "$(cat "$STEPS")" = 3 && test "$(prompts)" = 3 &&
	grep -qx "status: met" goals/g-88888888.yaml && git_clean
'

test_expect_success 'goal edit: no aborts; an unclear answer, then the end of input, aborts' '
	port p18 && fake_goal g-88888888 G && head=$(git rev-parse HEAD) &&
	STEPS=$TRASH_ROOT/steps5 && export STEPS &&
	printf "x\nNO\n" >"$T/answers" &&
	EDITOR="$TRASH_ROOT/ed-steps" run_lps 1 goal edit 888 <"$T/answers" &&
	test "$(cat "$STEPS")" = 1 && test "$(prompts)" = 2 &&
	tail -1 "$ERR" | sed "s/^edit again? \[Y\/n\] //" >"$T/last" &&
	echo "lps: error: aborted: nothing changed" >"$T/expect" && test_cmp "$T/expect" "$T/last" &&
	unchanged $head &&
	STEPS=$TRASH_ROOT/steps6 &&
	printf "ok\n" >"$T/answers" &&
	EDITOR="$TRASH_ROOT/ed-steps" run_lps 1 goal edit 888 <"$T/answers" &&
	test "$(cat "$STEPS")" = 1 && test "$(prompts)" = 2 &&
	unchanged $head
'

test_expect_success 'goal --help and usage' '
	run_lps 0 goal --help && head -1 "$OUT" >"$T/first" &&
	echo "usage: lps goal add TITLE --agenda AGENDA [--area AREA]" >"$T/expect" &&
	test_cmp "$T/expect" "$T/first" &&
	run_lps 0 goal add -h && head -1 "$OUT" >"$T/first" && test_cmp "$T/expect" "$T/first"
'

test_done
