#!/bin/sh
# t2050-check-formats: lps check --format junit (one test case per
# document, a failure per finding, escaped XML) and --format github
# (workflow annotations with GitHub's escapes); exit codes unchanged.
. "$(dirname "$0")/lib.sh"
. "$DATA/report/build-portfolio.sh"

test_expect_success 'setup: the report sample portfolio' '
	build_portfolio p
'

test_expect_success 'junit on a clean portfolio: every document passes, exit 0' '
	cd p && run_lps 0 check --format junit &&
	cat >../want <<-\EOF &&
	<?xml version="1.0" encoding="UTF-8"?>
	<testsuite name="lps check" tests="9" failures="0" errors="0" skipped="0">
	  <testcase classname="assessments" name="assessments/2025-2026/issl-1a.yaml"/>
	  <testcase classname="evidence" name="evidence/e-0000000a.yaml"/>
	  <testcase classname="evidence" name="evidence/e-0000000b.yaml"/>
	  <testcase classname="feedback" name="feedback/f-0000000a.yaml"/>
	  <testcase classname="goals" name="goals/g-0000000a.yaml"/>
	  <testcase classname="goals" name="goals/g-0000000b.yaml"/>
	  <testcase classname="goals" name="goals/g-0000000c.yaml"/>
	  <testcase classname="portfolio" name="lps.yaml"/>
	  <testcase classname="reflections" name="reflections/r-0000000a.yaml"/>
	</testsuite>
	EOF
	test_cmp ../want "$OUT" && expect_empty "$ERR"
'

test_expect_success 'github on a clean portfolio prints nothing, exit 0' '
	cd p && run_lps 0 check --format github && expect_empty "$OUT"
'

test_expect_success 'setup: findings with markup, percent, commas and colons' '
	cd p &&
	sed -i "s/target: 24/target: '"'"'<b>\\&\"x%,y:z'"'"'/" goals/g-0000000c.yaml &&
	grep -F "target: '"'"'<b>&\"x%,y:z'"'"'" goals/g-0000000c.yaml &&
	printf "stray\n" >goals/notes.txt
'

test_expect_success 'junit: a failure per finding, XML escaped, exit 1' '
	cd p && run_lps 1 check --format junit &&
	grep -q "<testsuite name=\"lps check\" tests=\"10\" failures=\"2\" errors=\"0\" skipped=\"0\">" "$OUT" &&
	grep -qF "  <testcase classname=\"goals\" name=\"goals/g-0000000c.yaml\">" "$OUT" &&
	grep -qF "    <failure message=\"14:13: indicators[0].target: expected number, got string &quot;&lt;b&gt;&amp;\\&quot;x%,y:z&quot;\" type=\"type\">goals/g-0000000c.yaml:14:13: indicators[0].target: expected number, got string &quot;&lt;b&gt;&amp;\\&quot;x%,y:z&quot;</failure>" "$OUT" &&
	grep -qF "  <testcase classname=\"goals\" name=\"goals/notes.txt\">" "$OUT" &&
	! grep -q "<b>" "$OUT"
'

test_expect_success 'junit output is well-formed XML (when xmllint is there)' '
	cd p && lps check --format junit >../j.xml || true &&
	if command -v xmllint >/dev/null; then xmllint --noout ../j.xml; fi
'

test_expect_success 'github: one annotation per finding, escaped, exit 1' '
	cd p && run_lps 1 check --format github &&
	cat >../want <<-\EOF &&
	::error file=goals/g-0000000c.yaml,line=14,col=13::indicators[0].target: expected number, got string "<b>&\"x%25,y:z"
	::error file=goals/notes.txt::not an lps document (unknown file in a document folder)
	EOF
	test_cmp ../want "$OUT"
'

test_expect_success 'text and json are unchanged by the new formats' '
	cd p && run_lps 1 check &&
	expect_out "goals/g-0000000c.yaml:14:13: indicators[0].target: expected number, got string \"<b>&\\\"x%,y:z\"
goals/notes.txt: not an lps document (unknown file in a document folder)" &&
	run_lps 1 check --format json && grep -q "\"ok\": false" "$OUT"
'

test_expect_success 'junit --rev lists the documents of that commit' '
	cd p && run_lps 0 check --rev cycle1 --format junit &&
	grep -c "<testcase " "$OUT" >n && test "$(cat n)" -eq 8 &&
	! grep -q g-0000000c "$OUT"
'

test_expect_success 'usage: an unknown format is exit 2' '
	cd p && run_lps 2 check --format xml
'

test_done
