#!/bin/sh
# t2060-report-io: what lps report reads and where it writes: the kinds
# that --help and the usage errors list (one table), -o into devices,
# FIFOs, symbolic links, files with their own mode and directories, the
# working tree read by default (--rev for a commit), an invalid lps.yaml
# named by every kind, and shallow clones.
. "$(dirname "$0")/lib.sh"
. "$DATA/report/build-portfolio.sh"

LPS_TODAY=2026-10-15
export LPS_TODAY
GOLD=$DATA/report

# help_kinds: the kinds `lps report --help` lists ("    KIND  text").
help_kinds() {
	run_lps 0 report --help &&
	sed -n "s/^    \([a-z][a-z]*\)  .*/\1/p" "$OUT"
}

# err_kinds: the kinds in the parentheses of the first line of $ERR.
err_kinds() {
	head -n 1 "$ERR" | sed "s/.*(\(.*\))\$/\1/" | tr -d " " | tr , "\n"
}

test_expect_success 'setup: the sample portfolio' '
	build_portfolio p &&
	(cd p && lps check)
'

test_expect_success '--help lists every kind, roundtable too' '
	help_kinds >kinds &&
	printf "%s\n" status progress coverage timeline exhibit roundtable \
		>expect &&
	test_cmp expect kinds
'

test_expect_success '"which report?" and "unknown report" list the same kinds' '
	help_kinds >kinds &&
	cd p &&
	run_lps 2 report && err_kinds >../which &&
	test_cmp ../kinds ../which &&
	run_lps 2 report weather &&
	grep -q "^lps: error: unknown report .weather. (" "$ERR" &&
	err_kinds >../unknown &&
	test_cmp ../kinds ../unknown
'

test_done
