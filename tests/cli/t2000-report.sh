#!/bin/sh
# t2000-report: lps report status|progress|coverage|timeline in every
# format against golden files (tests/data/report/<kind>.<format>), the
# JSON of each against its schema, --rev reproducing an old day's
# figures, --since/--until, -o, and the bad inputs of issue 5.
#
# LPS_UPDATE_GOLDEN=1 rewrites the golden files from the current output
# (then review them with git diff).
. "$(dirname "$0")/lib.sh"
. "$DATA/report/build-portfolio.sh"

LPS_TODAY=2026-10-15
export LPS_TODAY
GOLD=$DATA/report

# golden NAME: $OUT equals $GOLD/NAME (or becomes it when updating).
golden() {
	if [ -n "${LPS_UPDATE_GOLDEN:-}" ]; then
		cp "$OUT" "$GOLD/$1"
	fi
	test_cmp "$GOLD/$1" "$OUT"
}

test_expect_success 'setup: the sample portfolio, two cycles' '
	build_portfolio p &&
	git -C p rev-parse HEAD >head &&
	(cd p && lps check)
'

for kind in status progress coverage timeline; do
	for fmt in text markdown json html csv; do
		test_expect_success "$kind as $fmt matches the golden file" "
			cd p && run_lps 0 report $kind --format $fmt &&
			expect_empty \"\$ERR\" && golden $kind.$fmt
		"
	done
	test_expect_success "$kind json follows report-$kind.schema.yaml" "
		cd p && lps report $kind --format json >../$kind.json &&
		run_lps 0 validate --schema \"\$TOP/schemas/report-$kind.schema.yaml\" ../$kind.json
	"
done

test_expect_success 'a schema rejects the JSON of another kind' '
	cd p && lps report status --format json >../s.json &&
	run_lps 1 validate --schema "$TOP/schemas/report-progress.schema.yaml" ../s.json
'

test_expect_success 'text is the default format' '
	cd p && lps report progress >../a && lps report progress --format text >../b &&
	test_cmp ../a ../b
'

test_expect_success 'csv has CRLF line ends and one header row' '
	cd p && lps report progress --format csv >../c &&
	test "$(head -n 1 ../c)" = "$(printf "goal,title,indicator,measure,unit,baseline,measurements,latest,latest_date,target,progress,due,state\r")" &&
	test "$(grep -c "$(printf "\r")\$" ../c)" -eq "$(wc -l <../c)"
'

test_expect_success 'progress --rev at the end of cycle 1 reproduces that day after cycle 2 began' '
	build_portfolio old cycle1 &&
	(cd old && LPS_TODAY=2026-06-01 lps report progress >../then.txt &&
	 LPS_TODAY=2026-06-01 lps report progress --format json >../then.json) &&
	cd p && run_lps 0 report progress --rev cycle1 &&
	test_cmp ../then.txt "$OUT" &&
	run_lps 0 report progress --rev cycle1 --format json &&
	sed "s/\"generated\": \"2026-10-15\"/\"generated\": \"2026-06-01\"/" "$OUT" >../now.json &&
	test_cmp ../then.json ../now.json &&
	grep -q "g-0000000a Raise grade 3 reading .* 106%  2026-05-31  met" ../then.txt &&
	golden progress-rev-cycle1.text
'

test_expect_success 'progress --until judges the state on that day, with the measurements up to it' '
	cd p && run_lps 0 report progress --rev cycle1 --until 2026-01-15 --format csv &&
	golden progress-until.csv
'

test_expect_success 'timeline --since/--until keeps only the dated items in between' '
	cd p && run_lps 0 report timeline --since 2025-11-02 --until 2026-01-15 --format csv &&
	printf "%s\r\n" "cycle,date,kind,id,text" \
		"2025-2026,2025-11-02,evidence,e-0000000b,Coaching log\\, October (observation)" \
		>../want.raw &&
	sed "s/\\\\,/,/; s/Coaching log, October (observation)/\"Coaching log, October (observation)\"/" ../want.raw >../want &&
	printf "%s\r\n" \
		"2025-2026,2025-11-05,reflection,r-0000000a,action [lfl.focus.2]: The screener and the walk-throughs tell the same story." \
		"2025-2026,2025-11-10,feedback,f-0000000a,\"question from Grace Hopper: Which students moved least, and why?\"" \
		"2025-2026,2026-01-15,measurement,g-0000000a,k1 grade 3 students at benchmark: 54 %" \
		"2025-2026,2026-01-15,measurement,g-0000000b,k1 teachers in a coaching cycle: 10 teachers" \
		>>../want &&
	test_cmp ../want "$OUT"
'

test_expect_success 'timeline json: each event carries its data, not only text' '
	cd p && lps report timeline --format json >../tl.json &&
	tr -d " \n" <../tl.json >../tl.flat &&
	grep -qF "\"kind\":\"measurement\",\"id\":\"g-0000000a\",\"text\":\"k1grade3studentsatbenchmark:54%\",\"goal\":\"g-0000000a\",\"indicator\":\"k1\",\"measure\":\"grade3studentsatbenchmark\",\"unit\":\"%\",\"value\":54}" ../tl.flat &&
	grep -qF "\"kind\":\"phase\",\"id\":null,\"text\":\"outcomes->purpose\",\"from\":\"outcomes\",\"to\":\"purpose\",\"forced\":null}" ../tl.flat &&
	grep -qF "\"id\":\"e-0000000b\",\"text\":\"Coachinglog,October(observation)\",\"evidence\":\"e-0000000b\",\"title\":\"Coachinglog,October\",\"evidence_kind\":\"observation\"}" ../tl.flat &&
	grep -qF "\"reflection\":\"r-0000000a\",\"phase\":\"action\",\"prompt\":\"lfl.focus.2\"}" ../tl.flat &&
	grep -qF "\"feedback\":\"f-0000000a\",\"feedback_kind\":\"question\"}" ../tl.flat &&
	grep -qF "\"kind\":\"goal\",\"id\":\"g-0000000c\",\"text\":\"goaladded:Coacheveryteacheronceaterm\",\"goal\":\"g-0000000c\",\"title\":\"Coacheveryteacheronceaterm\"}" ../tl.flat
'

test_expect_success 'timeline json: a forced phase change gives its reason; a fraction stays a number' '
	build_portfolio forced cycle1 && cd forced &&
	sed -i "s/value: 54/value: 54.5/" goals/g-0000000a.yaml &&
	meta action 2025-2026 &&
	git add -A &&
	GIT_AUTHOR_DATE=2026-06-02T10:00:00Z GIT_COMMITTER_DATE=2026-06-02T10:00:00Z \
		git commit -q -m "phase: outcomes -> action

LPS-Command: phase back
LPS-Phase: action
LPS-Phase-From: outcomes
LPS-Phase-To: action
LPS-Forced: the screener was re-scored" &&
	lps report timeline --format json >../f.json &&
	lps validate --schema "$TOP/schemas/report-timeline.schema.yaml" ../f.json &&
	lps validate --schema report-timeline ../f.json &&
	tr -d "\n" <../f.json | sed "s/  */ /g" >../f.flat &&
	grep -qF "\"from\": \"outcomes\", \"to\": \"action\", \"forced\": \"the screener was re-scored\" }" ../f.flat &&
	grep -qF "\"unit\": \"%\", \"value\": 54.5 }" ../f.flat
'

test_expect_success 'coverage --framework keeps one framework' '
	cd p && run_lps 0 report coverage --framework wsbc --format csv &&
	printf "%s\r\n" "framework,code,title,goals,evidence_count,evidence,rating,covered" \
		"wsbc,1,Beliefs and commitments,,0,,,no" \
		"wsbc,2,Focus on key organisational transformations,,0,,,no" \
		"wsbc,3,Skills in guiding transformation,,1,e-0000000b,,yes" \
		"wsbc,4,Participation in public policy,,0,,,no" \
		"wsbc,5,Evidence of improved learning,,0,,,no" >../want &&
	test_cmp ../want "$OUT"
'

test_expect_success 'coverage --rev cycle1 counts the self-assessment and its evidence' '
	cd p && lps report coverage --rev cycle1 --framework issl --format csv >../cov &&
	grep -qx "issl,1a,Data-driven improvement systems,g-0000000a,1,e-0000000a,proficient,yes$(printf "\r")" ../cov
'

test_expect_success 'coverage --since: evidence the self-assessment cites counts only in the period' '
	cd p && lps report coverage --rev cycle1 --since 2025-11-02 --framework issl --format csv >../cov &&
	grep -qx "issl,1a,Data-driven improvement systems,g-0000000a,0,,proficient,no$(printf "\r")" ../cov &&
	lps report coverage --rev cycle1 --until 2025-11-01 --framework issl --format csv >../cov &&
	grep -qx "issl,1a,Data-driven improvement systems,g-0000000a,1,e-0000000a,proficient,yes$(printf "\r")" ../cov
'

test_expect_success '-o FILE writes the report there, nothing on stdout' '
	cd p && run_lps 0 report status -o ../status.txt &&
	expect_empty "$OUT" && expect_empty "$ERR" &&
	test_cmp "$GOLD/status.text" ../status.txt
'

test_expect_success '-o into a missing folder: exit 4, nothing written' '
	cd p && run_lps 4 report status -o ../missing/status.txt &&
	expect_empty "$OUT" &&
	grep -q "^lps: error: ../missing/status.txt: " "$ERR" &&
	test ! -e ../missing
'

test_expect_success 'an unknown revision: exit 1 naming it' '
	cd p && run_lps 1 report progress --rev no-such-rev &&
	expect_empty "$OUT" &&
	expect_err "lps: error: unknown revision \"no-such-rev\""
'

test_expect_success 'an unknown framework: exit 1 naming it and the known ones' '
	cd p && run_lps 1 report coverage --framework nope &&
	expect_empty "$OUT" &&
	expect_err "lps: error: unknown framework \"nope\" (known: issl, lfl, lps, wsbc)"
'

test_expect_success 'usage errors: no kind, unknown kind, bad dates, bad format' '
	cd p &&
	run_lps 2 report && grep -q "^lps: error: which report?" "$ERR" &&
	run_lps 2 report weather &&
	grep -q "^lps: error: unknown report .weather." "$ERR" &&
	run_lps 2 report timeline --since 2026-13-01 &&
	grep -q "^lps: error: --since: expected a date YYYY-MM-DD" "$ERR" &&
	run_lps 2 report timeline --since 2026-02-01 --until 2026-01-01 &&
	run_lps 2 report status --format pdf &&
	run_lps 2 report status extra
'

test_expect_success 'invalid documents: the report of the valid ones, each invalid one warned, exit 1' '
	cp -R p bad && cd bad &&
	sed "s/target: 24/target: ten/" goals/g-0000000c.yaml >goals/g-000000ff.yaml &&
	sed -i "s/g-0000000c/g-000000ff/" goals/g-000000ff.yaml &&
	printf "lps: 1\nid: e-000000ff\n" >evidence/e-000000ff.yaml &&
	git add -A && git commit -q -m broken &&
	run_lps 1 report progress &&
	test_cmp "$GOLD/progress.text" "$OUT" &&
	expect_err "lps: warning: goals/g-000000ff.yaml:14:13: indicators[0].target: expected number, got string \"ten\"" &&
	run_lps 1 report timeline --format csv &&
	grep -c "^lps: warning: " "$ERR" >n && test "$(cat n)" -eq 2 &&
	grep -q "^lps: warning: evidence/e-000000ff.yaml:1:1: " "$ERR" &&
	grep -q "^lps: warning: goals/g-000000ff.yaml:14:13: " "$ERR"
'

test_expect_success 'reports change nothing in the repository' '
	test "$(git -C p rev-parse HEAD)" = "$(cat head)" && git_clean p
'

# The hostile title of issue 5: markup, quotes, an ampersand, a
# right-to-left override and an emoji.
TITLE='<script>alert(1)</script> "Q" & '"'"'A'"'"' '"$(printf '\342\200\256')"'RTL 🎉'

test_expect_success 'setup: a goal with a hostile title' '
	build_portfolio h cycle1 && cd h &&
	T="title: \"$(printf "%s" "$TITLE" | sed "s/\"/\\\\\"/g")\"" \
		awk "/^title: /{print ENVIRON[\"T\"]; next} 1" goals/g-0000000a.yaml >g &&
	mv g goals/g-0000000a.yaml && grep "^title: " goals/g-0000000a.yaml &&
	git add -A && git commit -q -m hostile &&
	lps check
'

for kind in status progress coverage timeline; do
	test_expect_success "$kind: the hostile title is escaped in html" "
		cd h && lps report $kind --format html >../x.html &&
		! grep -q '<script>' ../x.html &&
		if [ $kind = coverage ]; then exit 0; fi &&
		grep -q '&lt;script&gt;alert(1)&lt;/script&gt; &quot;Q&quot; &amp; &#39;A&#39; &#x202E;RTL 🎉' ../x.html
	"
	test_expect_success "$kind: the hostile title is escaped in markdown" "
		cd h && lps report $kind --format markdown >../x.md &&
		! grep -q '<script>' ../x.md &&
		if [ $kind = coverage ]; then exit 0; fi &&
		grep -qF '&lt;script&gt;alert(1)&lt;/script&gt; \"Q\" &amp; '\"'\"'A'\"'\"' &#x202E;RTL 🎉' ../x.md
	"
	test_expect_success "$kind: the hostile title is quoted in csv and json" "
		cd h && lps report $kind --format csv >../x.csv &&
		lps report $kind --format json >../x.json &&
		lps validate --schema \"\$TOP/schemas/report-$kind.schema.yaml\" ../x.json &&
		if [ $kind = coverage ]; then exit 0; fi &&
		grep -qF '<script>alert(1)</script> \"\"Q\"\" & '\"'\"'A'\"'\"' $(printf '\342\200\256')RTL 🎉' ../x.csv &&
		grep -qF '<script>alert(1)</script> \\\"Q\\\" & '\"'\"'A'\"'\"' $(printf '\342\200\256')RTL 🎉' ../x.json
	"
done

test_expect_success 'csv: a cell starting with = + - @ cannot run as a formula' '
	cd h && sed -i "s/^title: .*/title: \"=HYPERLINK(1)\"/" goals/g-0000000a.yaml &&
	git commit -q -am formula &&
	lps report progress --rev HEAD --format csv >../f.csv &&
	grep -qF ",'"'"'=HYPERLINK(1)," ../f.csv
'

test_done
