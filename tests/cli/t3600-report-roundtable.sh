#!/bin/sh
# t3600-report-roundtable: lps report roundtable, every fetched member at
# once, in each format against golden files (tests/data/report/
# roundtable.*); the tree of alignments (a chain of goals aligned to
# goals across members, a loop, an unknown goal id); hostile titles
# escaped; invalid documents on a member's branch listed and left out.
#
# The members' portfolios are written by hand with fixed ids and
# committed with git at fixed dates, so every output is the same on
# every run.
. "$(dirname "$0")/lib.sh"

LPS_TODAY=2026-10-01
export LPS_TODAY
GOLD=$DATA/report

# commit_all DIR DATE SUBJECT: commit everything in DIR as lps would.
commit_all() {
	(cd "$1" && git add -A &&
	 GIT_AUTHOR_DATE="$2T10:00:00Z" GIT_COMMITTER_DATE="$2T10:00:00Z" \
		git commit -q -m "$3

LPS-Command: test")
}

# portfolio DIR HANDLE NAME ROLE SCHOOL PHASE
portfolio() {
	git init -q "$1" && mkdir -p "$1/goals" "$1/feedback" &&
	cat >"$1/lps.yaml" <<EOF
lps: 1
owner:
  name: $3
  handle: $2
role: $4
district: Springfield
school: $5
cycle: 2026-2027
phase: $6
created: 2026-08-01
EOF
}

# goal FILE ID TITLE AGENDA STATUS CYCLE ALIGNS (rest of the body on stdin)
goal() {
	{
		printf 'lps: 1\nid: %s\ntitle: %s\nagenda: %s\nstatus: %s\ncycle: %s\n' \
			"$2" "$3" "$4" "$5" "$6"
		[ -z "${7:-}" ] || printf 'aligns: %s\n' "$7"
		printf 'created: 2026-08-20\n'
		cat
	} >"$1"
}

test_expect_success 'setup: three members publish, ada pulls' '
	git init -q --bare rt.git &&
	portfolio ada ada "Ada Park" principal "Lincoln Elementary" action &&
	goal ada/goals/g-000000a1.yaml g-000000a1 "Raise grade 3 reading" \
		student active 2026-2027 "'"'"'District goal 1: literacy'"'"'" <<-\EOF &&
	indicators:
	  - id: k1
	    measure: Grade 3 reading proficiency
	    baseline: 40
	    target: 60
	    unit: percent
	    due: 2027-06-01
	    measurements:
	      - date: 2026-09-15
	        value: 45
	actions:
	  - id: s1
	    text: Train staff in guided reading
	    due: 2026-09-15
	    status: open
	  - id: s2
	    text: Buy levelled books
	    due: 2026-09-01
	    status: done
	    done: 2026-08-30
	EOF
	goal ada/goals/g-000000a2.yaml g-000000a2 "Build PLC routines" \
		professional active 2026-2027 "'"'"'District goal 2: collaboration'"'"'" </dev/null &&
	goal ada/goals/g-000000a0.yaml g-000000a0 "Last year goal" \
		student met 2025-2026 "'"'"'District goal 1: literacy'"'"'" </dev/null &&
	# The tree: District goal 1 > a1 > b3 > a3 (three levels, two
	# members); a4 and b4 align to each other; b5 to a goal nobody has.
	goal ada/goals/g-000000a3.yaml g-000000a3 "Phonics in kindergarten" \
		student active 2026-2027 g-000000b3 </dev/null &&
	goal ada/goals/g-000000a4.yaml g-000000a4 "Shared planning time" \
		system active 2026-2027 g-000000b4 </dev/null &&
	cat >ada/feedback/f-000000a1.yaml <<-\EOF &&
	lps: 1
	id: f-000000a1
	date: 2026-09-20
	from: Ada Park
	to: bob
	kind: question
	"on": g-000000b1
	body: How do you pick the problems?
	EOF
	commit_all ada 2026-09-22 "ada: portfolio" &&

	portfolio bob bob "Bob Kahn" principal "Roosevelt Middle" focus &&
	goal bob/goals/g-000000b1.yaml g-000000b1 "<script>alert(1)</script> & math" \
		student active 2026-2027 "'"'"'District goal 1: literacy'"'"'" <<-\EOF &&
	indicators:
	  - id: k1
	    measure: Problems solved
	    baseline: 10
	    target: 20
	    measurements:
	      - date: 2026-09-20
	        value: 20
	EOF
	goal bob/goals/g-000000b2.yaml g-000000b2 "Family reading nights" \
		system proposed 2026-2027 </dev/null &&
	goal bob/goals/g-000000b3.yaml g-000000b3 "Phonics in grade 1" \
		student active 2026-2027 g-000000a1 </dev/null &&
	goal bob/goals/g-000000b4.yaml g-000000b4 "Common planning" \
		system active 2026-2027 g-000000a4 </dev/null &&
	goal bob/goals/g-000000b5.yaml g-000000b5 "Math circles" \
		student active 2026-2027 g-702bb34c </dev/null &&
	for f in b1:ada:g-000000a1:affirmation b2:ada:g-000000a2:suggestion; do
		id=${f%%:*}; rest=${f#*:}; to=${rest%%:*}; rest=${rest#*:}
		on=${rest%%:*}; kind=${rest#*:}
		printf "lps: 1\nid: f-000000%s\ndate: 2026-09-21\nfrom: Bob Kahn\nto: %s\nkind: %s\n\"on\": %s\nbody: Nice work.\n" \
			"$id" "$to" "$kind" "$on" >bob/feedback/f-000000$id.yaml
	done &&
	printf "lps: 1\nid: f-000000b9\ndate: 2026-09-21\nfrom: Grace Hopper\nkind: affirmation\nbody: From my partner.\n" \
		>bob/feedback/f-000000b9.yaml &&
	commit_all bob 2026-09-23 "bob: portfolio" &&

	portfolio cy cy "Cy Young" assistant-principal "Hill High" purpose &&
	touch cy/goals/.keep &&
	commit_all cy 2026-09-24 "cy: portfolio" &&

	for m in ada bob cy; do
		(cd $m && lps roundtable join ../rt.git --as $m >/dev/null &&
		 lps push -q >/dev/null) || exit 1
	done &&
	(cd ada && lps pull -q >/dev/null) &&
	test "$(git -C ada rev-list --count HEAD)" = 1
'

# LPS_UPDATE_GOLDEN=1 rewrites the golden files from the current output
# (then review them with git diff).
for f in text markdown json html csv; do
	test_expect_success "report roundtable --format $f matches the golden file" '
		(cd ada && run_lps 0 report roundtable --format '$f') &&
		if [ -n "${LPS_UPDATE_GOLDEN:-}" ]; then
			cp "$OUT" "$GOLD/roundtable.'$f'"; fi &&
		test_cmp "$GOLD/roundtable.'$f'" "$OUT" &&
		expect_empty "$ERR"
	'
done

test_expect_success 'the JSON validates against its schema' '
	(cd ada && lps report roundtable --format json >../rt.json) &&
	lps validate --schema "$TOP/schemas/report-roundtable.schema.yaml" rt.json
'

test_expect_success 'the tree of alignments: a chain across members, a loop cut once, an unknown id' '
	(cd ada && lps report roundtable >../rt.txt &&
	 lps report roundtable --format csv >../rt.csv &&
	 lps report roundtable --format markdown >../rt.md &&
	 lps report roundtable --format html >../rt.html &&
	 lps report roundtable --format json >../rt.json) &&
	sed -n "/^Alignments/,\$p" rt.txt >got &&
	cat >want <<-\EOF &&
	Alignments
	----------

	District goal 1: literacy:
	  ada g-000000a1: Raise grade 3 reading (active, 25%)
	    bob g-000000b3: Phonics in grade 1 (active)
	      ada g-000000a3: Phonics in kindergarten (active)
	  bob g-000000b1: <script>alert(1)</script> & math (active, 100%)

	District goal 2: collaboration:
	  ada g-000000a2: Build PLC routines (active)

	Alignment loop: ada g-000000a4 -> bob g-000000b4 -> ada g-000000a4 (cut at the first):
	  ada g-000000a4: Shared planning time (active)
	    bob g-000000b4: Common planning (active)

	g-702bb34c (no member has this goal):
	  bob g-000000b5: Math circles (active)

	Not aligned:
	  bob g-000000b2: Family reading nights (proposed)

	EOF
	test_cmp want got &&
	test "$(grep -c "^Alignment loop" rt.txt)" = 1 &&
	# CSV: the goal each is nested under.
	tr -d "\r" <rt.csv | cut -d, -f4,7,8 >got &&
	cat >want <<-\EOF &&
	goal,aligns,parent
	g-000000a1,District goal 1: literacy,
	g-000000a2,District goal 2: collaboration,
	g-000000a3,g-000000b3,g-000000b3
	g-000000a4,g-000000b4,
	g-000000b1,District goal 1: literacy,
	g-000000b2,,
	g-000000b3,g-000000a1,g-000000a1
	g-000000b4,g-000000a4,g-000000a4
	g-000000b5,g-702bb34c,
	,,
	EOF
	test_cmp want got &&
	grep -qx "    - \*\*ada\*\* g-000000a3: Phonics in kindergarten (active)" rt.md &&
	grep -q "^<li><b>ada</b> g-000000a1: Raise grade 3 reading (active, 25%)$" rt.html &&
	grep -q "^<li><b>ada</b> g-000000a3: Phonics in kindergarten (active)</li>$" rt.html &&
	test "$(grep -c "<ul" rt.html)" = "$(grep -c "</ul>" rt.html)" &&
	tr -d " \n" <rt.json >flat &&
	grep -qF "\"goal\":\"g-000000b3\",\"title\":\"Phonicsingrade1\",\"status\":\"active\",\"progress\":null,\"children\":[{\"member\":\"ada\",\"goal\":\"g-000000a3\"" flat &&
	grep -qF "\"aligns\":\"g-000000b4\",\"kind\":\"cycle\",\"cycle\":[{\"member\":\"ada\",\"goal\":\"g-000000a4\"},{\"member\":\"bob\",\"goal\":\"g-000000b4\"}]" flat &&
	grep -qF "\"aligns\":\"g-702bb34c\",\"kind\":\"unknown\",\"cycle\":null" flat &&
	lps validate --schema "$TOP/schemas/report-roundtable.schema.yaml" rt.json &&
	lps validate --schema report-roundtable rt.json
'

test_expect_success 'the tree: a goal aligned to itself, a loop with a goal hanging off it, a chain too deep' '
	git init -q --bare rt2.git &&
	portfolio dee dee "Dee Lane" principal "Lake School" action &&
	prev="District goal 3" && k=1 &&
	while [ $k -le 103 ]; do
		id=$(printf "g-0000d%03x" $k) &&
		goal dee/goals/$id.yaml $id "Step $k" system active 2026-2027 "$prev" </dev/null &&
		prev=$id && k=$((k + 1)) || exit 1
	done &&
	for p in e001:e001 e002:e003 e003:e004 e004:e002 e005:e003; do
		goal dee/goals/g-0000${p%:*}.yaml g-0000${p%:*} "Loop ${p%:*}" \
			system active 2026-2027 g-0000${p#*:} </dev/null || exit 1
	done &&
	commit_all dee 2026-09-24 "dee: portfolio" &&
	(cd dee && lps roundtable join ../rt2.git --as dee >/dev/null &&
	 lps push -q >/dev/null && lps pull -q >/dev/null &&
	 run_lps 0 report roundtable && cp "$OUT" ../dee.txt &&
	 run_lps 0 report roundtable --format json && cp "$OUT" ../dee.json &&
	 run_lps 0 report roundtable --format csv && cp "$OUT" ../dee.csv) &&
	lps validate --schema report-roundtable dee.json &&
	grep -qx "Alignment loop: dee g-0000e001 -> dee g-0000e001 (cut at the first):" dee.txt &&
	grep -qx "Alignment loop: dee g-0000e002 -> dee g-0000e003 -> dee g-0000e004 -> dee g-0000e002 (cut at the first):" dee.txt &&
	test "$(grep -c "^Alignment loop" dee.txt)" = 2 &&
	sed -n "/^Alignment loop: dee g-0000e002/,/^\$/p" dee.txt >got &&
	cat >want <<-\EOF &&
	Alignment loop: dee g-0000e002 -> dee g-0000e003 -> dee g-0000e004 -> dee g-0000e002 (cut at the first):
	  dee g-0000e002: Loop e002 (active)
	    dee g-0000e004: Loop e004 (active)
	      dee g-0000e003: Loop e003 (active)
	        dee g-0000e005: Loop e005 (active)

	EOF
	test_cmp want got &&
	# Step 102 would sit 101 levels below step 1: it starts a group.
	grep -q "^    *dee g-0000d065: Step 101 (active)$" dee.txt &&
	sed -n "/^g-0000d065 (aligned more than 100 levels deep):/,/^\$/p" dee.txt >got &&
	printf "%s\n" "g-0000d065 (aligned more than 100 levels deep):" \
		"  dee g-0000d066: Step 102 (active)" \
		"    dee g-0000d067: Step 103 (active)" "" >want &&
	test_cmp want got &&
	tr -d "\r" <dee.csv | grep -q "^dee,Dee Lane,action,g-0000d066,Step 102,active,g-0000d065,,," &&
	tr -d "\r" <dee.csv | grep -q "^dee,Dee Lane,action,g-0000e004,Loop e004,active,g-0000e002,g-0000e002,," &&
	tr -d "\r" <dee.csv | grep -q "^dee,Dee Lane,action,g-0000e002,Loop e002,active,g-0000e003,,,"
'

test_expect_success 'a hostile goal title is escaped in every format' '
	(cd ada &&
	 lps report roundtable --format html >../rt.html &&
	 lps report roundtable --format markdown >../rt.md &&
	 lps report roundtable --format csv >../rt.csv) &&
	! grep -q "<script>" rt.html &&
	grep -q "&lt;script&gt;alert(1)&lt;/script&gt; &amp; math" rt.html &&
	! grep -q "<script>" rt.md &&
	grep -q "&lt;script&gt;" rt.md &&
	grep -q "<script>alert(1)</script> & math" rt.csv
'

test_expect_success '-o writes the file; --since leaves out older feedback' '
	(cd ada && run_lps 0 report roundtable --format csv -o ../out.csv &&
	 expect_empty "$OUT") &&
	test_cmp "$GOLD/roundtable.csv" out.csv &&
	(cd ada && run_lps 0 report roundtable --format csv --since 2026-09-21) &&
	# Only the feedback of bob (2026-09-21) is in range, not that of ada.
	cut -d, -f1,10,11 "$OUT" | tr -d "\r" | uniq >got &&
	cat >want <<-\EOF &&
	member,feedback_given,feedback_received
	ada,0,2
	bob,2,0
	cy,0,0
	EOF
	test_cmp want got
'

test_expect_success 'not in a roundtable: exit 1' '
	lps init solo --name Solo --role principal >/dev/null &&
	(cd solo && run_lps 1 report roundtable &&
	 expect_err "lps: error: not in a roundtable; run lps roundtable join URL --as HANDLE")
'

test_expect_success 'an invalid document on a member branch is listed and left out' '
	git clone -q rt.git cyclone -b members/cy &&
	printf "lps: 1\nid: g-000000c9\ntitle: Broken\nagenda: nowhere\nstatus: active\ncycle: 2026-2027\ncreated: 2026-09-01\n" \
		>cyclone/goals/g-000000c9.yaml &&
	commit_all cyclone 2026-09-25 "cy: broken goal" &&
	git -C cyclone push -q origin HEAD:members/cy &&
	(cd ada && lps pull -q >/dev/null &&
	 run_lps 1 report roundtable --format csv) &&
	grep -q "^lps: warning: members/cy/goals/g-000000c9.yaml:4:9: agenda: " "$ERR" ||
	{ cat "$ERR"; false; } &&
	grep -q "^cy,Cy Young,purpose,,,,,,,0,0" "$OUT"
'

test_done
