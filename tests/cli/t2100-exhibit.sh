#!/bin/sh
# t2100-exhibit: lps report exhibit in every format against golden files
# (tests/data/report/exhibit.*), its JSON against its schema, escaping of
# hostile titles, the period filter, invalid documents and -o errors.
#
# The portfolio is built with lps commands, with fixed days (LPS_TODAY,
# --date, GIT_*_DATE per phase change).  Ids are random, so outputs are
# compared after replacing each id (and the revision) with a fixed name.
. "$(dirname "$0")/lib.sh"

GOLD=$DATA/report
F=$TRASH/folio
# A title with markup, quotes, an ampersand, a right-to-left mark and an
# emoji.
EVIL='<script>alert(1)</script> "Tom'"'"'s" & Co '"$(printf '\342\200\217')"'RTL '"$(printf '\360\237\223\232')"

on_day() { # DAY: commits made from now on carry this day
	GIT_AUTHOR_DATE="$1T10:00:00Z"
	GIT_COMMITTER_DATE="$1T10:00:00Z"
	export GIT_AUTHOR_DATE GIT_COMMITTER_DATE
}
id_in() { # PREFIX FILE: the first id of that type in FILE
	sed -n "s/.*\($1-[0-9a-f]\{8\}\).*/\1/p" "$2" | head -n 1
}

test_expect_success 'a portfolio through one cycle' '
	LPS_TODAY=2026-09-01 && export LPS_TODAY &&
	on_day 2026-09-01 &&
	lps init folio --name "Ada Lovelace" --role principal \
		--school "Lakeside Elementary" --district "Lakeside Unified" \
		--cycle 2026-2027 >/dev/null &&
	cd folio &&
	lps purpose set --function growth \
		--statement "Every child reads well by grade 3" >/dev/null &&
	on_day 2026-09-03 && lps phase advance >/dev/null &&
	lps goal add "Raise grade 3 reading" --agenda student --area focus \
		--standard issl.1a --aligns "District goal 1" >out1 &&
	lps goal add "$EVIL" --agenda professional \
		--standard lfl.communities >out2 &&
	g1=$(id_in g out1) && g2=$(id_in g out2) &&
	lps goal indicator add $g1 --measure "students at benchmark" \
		--baseline 42 --target 60 --unit % --due 2027-05-31 >/dev/null &&
	lps goal indicator add $g2 --measure "teachers coached" \
		--baseline 0 --target 24 --unit teachers >/dev/null &&
	on_day 2026-09-10 && lps phase advance >/dev/null &&
	lps structure add --kind partner --name "Grace Hopper" >/dev/null &&
	on_day 2026-09-12 && lps phase advance >/dev/null &&
	lps action add $g1 "Weekly walk-throughs" --due 2026-11-30 >/dev/null &&
	lps action add $g2 "Coaching cycles" --due 2026-09-15 >/dev/null &&
	printf "student,fall\nA,38\n" >"$TRASH/fall screener.csv" &&
	lps evidence attach "$TRASH/fall screener.csv" --goal $g1 \
		--kind achievement --title "Fall screener" --date 2026-09-20 \
		--source "district screener" >out3 &&
	e1=$(id_in e out3) &&
	lps evidence add --goal $g2 --kind observation --title "Coaching log" \
		--note "Nine teachers started" --date 2026-09-25 >out4 &&
	e2=$(id_in e out4) &&
	lps goal measure $g1 --value 51 --date 2026-09-20 >/dev/null &&
	lps goal measure $g2 --value 9 --date 2026-09-25 >/dev/null &&
	lps reflect --goal $g1 --prompt lfl.focus.2 --date 2026-09-26 \
		-m "The screener and the walk-throughs agree." >out5 &&
	r1=$(id_in r out5) &&
	lps feedback add --from "Grace Hopper" --kind question --on $g1 \
		--date 2026-09-27 -m "Which students moved least?" >out6 &&
	f1=$(id_in f out6) &&
	lps assess issl.1a --rating proficient --evidence $e1 \
		--date 2026-09-28 -m "Data drives the reading plan." >/dev/null &&
	rm -f out1 out2 out3 out4 out5 out6 &&
	git_clean &&
	rev=$(git rev-parse HEAD) &&
	# What the comparisons replace, one sed expression per line.
	printf "s/%s/g-00000001/g\ns/%s/g-00000002/g\ns/%s/e-00000001/g\n" \
		$g1 $g2 $e1 >"$TRASH/ids.sed" &&
	printf "s/%s/e-00000002/g\ns/%s/r-00000001/g\ns/%s/f-00000001/g\n" \
		$e2 $r1 $f1 >>"$TRASH/ids.sed" &&
	printf "s/%s/REVISION/g\n" $rev >>"$TRASH/ids.sed"
'

# exhibit FORMAT [ARGS...]: the normalised exhibit in $TRASH/got.
exhibit() {
	fmt=$1; shift
	(cd "$F" && LPS_TODAY=2026-10-01 lps report exhibit --format "$fmt" "$@") \
		>"$TRASH/raw" 2>"$TRASH/raw.err" || {
		echo "lps report exhibit --format $fmt $*: exit $?"
		cat "$TRASH/raw.err"; return 1; }
	expect_empty "$TRASH/raw.err"
	sed -f "$TRASH/ids.sed" "$TRASH/raw" >"$TRASH/got"
}

# LPS_WRITE_GOLDEN=1 rewrites the golden files from this run (then
# read the diff before committing them).
for fmt in text markdown html csv json; do
	test_expect_success "exhibit as $fmt matches its golden file" "
		exhibit $fmt &&
		if [ \"\${LPS_WRITE_GOLDEN:-}\" = 1 ]; then
			cp \"$TRASH/got\" \"$GOLD/exhibit.$fmt\"; fi &&
		test_cmp \"$GOLD/exhibit.$fmt\" \"$TRASH/got\"
	"
done

test_expect_success 'the JSON passes its schema' '
	exhibit json &&
	lps validate --schema "$TOP/schemas/report-exhibit.schema.yaml" \
		"$TRASH/raw" &&
	lps validate --schema report-exhibit "$TRASH/raw"
'

# rejects EXPR: the exhibit JSON edited by the sed expression fails its
# schema (both the file and the built-in copy).
rejects() {
	sed "$1" "$TRASH/raw" >"$TRASH/bad.json" &&
	! cmp -s "$TRASH/raw" "$TRASH/bad.json" &&
	run_lps 1 validate --schema "$TOP/schemas/report-exhibit.schema.yaml" \
		"$TRASH/bad.json" &&
	run_lps 1 validate --schema report-exhibit "$TRASH/bad.json"
}

test_expect_success 'the schema checks dates, the phase and unknown keys' '
	exhibit json &&
	rejects "s/\"generated\": \"2026-10-01\"/\"generated\": \"2026-13-45\"/" &&
	rejects "0,/\"date\": \"2026-09-25\"/s//\"date\": \"2026-02-30\"/" &&
	# The first "phase" is the portfolio'"'"'s, before the phase list.
	rejects "0,/\"phase\": \"action\",/s//\"phase\": \"lunch\",/" &&
	rejects "0,/\"agenda\": \"professional\",/s//\"agenda\": \"professional\", \"colour\": \"red\",/" &&
	rejects "0,/\"kind\": \"observation\",/s//\"kind\": \"observation\", \"colour\": \"red\",/" &&
	rejects "0,/\"measure\": \"teachers coached\",/s//\"measure\": \"teachers coached\", \"colour\": \"red\",/" &&
	rejects "0,/\"rationale\": /s//\"colour\": \"red\", \"rationale\": /"
'

test_expect_success 'the JSON of a portfolio in its second cycle passes the schema' '
	(. "$DATA/report/build-portfolio.sh" && build_portfolio "$TRASH/two2") &&
	cd "$TRASH/two2" && lps report exhibit --format json >../two2.json &&
	grep -q "\"carried_from\": \"g-0000000b\"" ../two2.json &&
	lps validate --schema "$TOP/schemas/report-exhibit.schema.yaml" ../two2.json &&
	lps report exhibit --format json --since 2025-11-02 --until 2026-01-15 >../two3.json &&
	lps validate --schema report-exhibit ../two3.json
'

test_expect_success 'HTML: one file, no external reference, title escaped' '
	exhibit html &&
	! grep -i -e http -e "src=" -e "<script" -e "<link" -e "url(" \
		"$TRASH/raw" &&
	# The heading, the chart'"'"'s aria-label and its <title>.
	grep -o "&lt;script&gt;alert(1)&lt;/script&gt; &quot;Tom&#39;s&quot; &amp; Co &#x200F;RTL \
$(printf "\360\237\223\232")" "$TRASH/raw" | wc -l >count &&
	test "$(cat count)" -eq 3 &&
	grep -q "<meta name=\"viewport\"" "$TRASH/raw" &&
	grep -q "@media print" "$TRASH/raw" &&
	grep -q "<a href=\"evidence/e-00000001/fall-screener.csv\">fall-screener.csv</a>" \
		"$TRASH/got" &&
	test "$(grep -c "<svg " "$TRASH/raw")" -eq 4
'

test_expect_success 'Markdown, CSV and text keep the hostile title inert' '
	exhibit markdown &&
	! grep "<script" "$TRASH/raw" &&
	grep -q "^### &lt;script&gt;alert(1)&lt;/script&gt; \"Tom'"'"'s\" &amp; Co &#x200F;RTL" \
		"$TRASH/raw" &&
	grep -q "\[fall-screener.csv\](evidence/e-00000001/fall-screener.csv)" \
		"$TRASH/got" &&
	exhibit csv &&
	grep -q "^goal,g-00000002,2026-09-01,\"<script>alert(1)</script> \"\"Tom'"'"'s\"\" & Co" \
		"$TRASH/got" &&
	exhibit text &&
	grep -q "^<script>alert(1)</script> \"Tom'"'"'s\" & Co" "$TRASH/got"
'

test_expect_success '--until leaves out what came later' '
	exhibit json --until 2026-09-21 &&
	lps validate --schema report-exhibit "$TRASH/raw" &&
	grep -q "\"until\": \"2026-09-21\"" "$TRASH/got" &&
	grep -q "e-00000001" "$TRASH/got" &&
	! grep -q "e-00000002" "$TRASH/got" &&
	! grep -q "r-00000001" "$TRASH/got" &&
	! grep -q "f-00000001" "$TRASH/got" &&
	exhibit text --until 2026-09-21 &&
	grep -q "^teachers coached  *0  *-  *24  *teachers  *-  *-  *no-data$" \
		"$TRASH/got" &&
	grep -q "^Period: start to 2026-09-21$" "$TRASH/got"
'

# same_coverage DIR: the rows of the exhibit's coverage table of DIR
# ("REF GOALS EVIDENCE RATING", in got) equal those lps report coverage
# gives for the same standards (in want).
same_coverage() {
	(cd "$1" && LPS_TODAY=2026-10-01 lps report exhibit --format markdown) |
	sed -n '/^## Coverage/,$p' | grep '^| [a-z]*\.' |
	awk -F ' [|] ' '{ sub(/^[|] /, "", $1); sub(/ [|]$/, "", $5);
		print $1, $3, $4, $5 }' >got &&
	test -s got &&
	(cd "$1" && LPS_TODAY=2026-10-01 lps report coverage --format csv) |
	tr -d '\r' | awk -F, 'NR > 1 { print $1 "." $2, split($4, g, " "),
		$5, ($7 == "" ? "-" : $7) }' >all &&
	awk 'NR == FNR { keep[$1]; next } $1 in keep' got all >want &&
	test_cmp want got
}

test_expect_success 'coverage: the exhibit counts what lps report coverage counts' '
	same_coverage "$F" &&
	# The coaching log supports the goal that names lfl.communities.
	grep -qx "lfl.communities 1 1 -" got &&
	grep -qx "issl.1a 1 1 proficient" got
'

test_expect_success 'coverage: evidence that names a standard and is cited counts once' '
	cp -R "$F" "$TRASH/twice" && cd "$TRASH/twice" &&
	e=$(grep -l "^title: Fall screener" evidence/*.yaml) &&
	awk "{ print } /^goals:/ { g = 1; next }
		g && !/^  - / { g = 0 }
		g && /^  - / { print \"standards:\"; print \"  - issl.1a\"; g = 0 }" \
		"$e" >x && mv x "$e" &&
	grep -q "^  - issl.1a" "$e" &&
	git commit -q -a -m "the screener names issl.1a" && lps check &&
	same_coverage . &&
	grep -qx "issl.1a 1 1 proficient" got
'

test_expect_success 'coverage: in the next cycle only its goals and ratings count' '
	(. "$DATA/report/build-portfolio.sh" && build_portfolio "$TRASH/two") &&
	same_coverage "$TRASH/two" &&
	grep -qx "lfl.communities 1 0 -" got &&
	grep -qx "issl.1a 0 0 -" got &&
	grep -qx "wsbc.3 0 1 -" got
'

test_expect_success 'the private reflection is marked, shared items not' '
	exhibit text &&
	grep -q "^2026-09-26, action phase (private):$" "$TRASH/got" &&
	! grep -q "Fall screener (private)" "$TRASH/got" &&
	exhibit html &&
	grep -q "<h3>2026-09-26, action phase (private)</h3>" "$TRASH/got"
'

test_expect_success 'an invalid goal is listed, the rest still shown, exit 1' '
	cp -R "$F" "$TRASH/broken" && cd "$TRASH/broken" &&
	g=$(ls goals | head -n 1) &&
	sed "s/^status: .*/status: finished/" "goals/$g" >x && mv x "goals/$g" &&
	git commit -q -a -m "hand edit" &&
	run_lps 1 report exhibit --format text &&
	grep -q "^lps: warning: goals/$g:[0-9]*:[0-9]*: status: " "$ERR" &&
	test "$(wc -l <"$ERR")" -eq 1 &&
	grep -q "^Evidence$" "$OUT"
'

test_expect_success '-o into a missing folder is a system error' '
	cd "$F" &&
	run_lps 4 report exhibit --format html -o "$TRASH/no/such/x.html" &&
	expect_empty "$OUT" &&
	test ! -e "$TRASH/no" &&
	run_lps 0 report exhibit --format html -o exhibit.html &&
	expect_empty "$OUT" &&
	grep -q "^</html>$" exhibit.html &&
	rm exhibit.html && git_clean
'

test_done
