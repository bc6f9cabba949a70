#!/bin/sh
# t0400-log: lps log reads the lps history back from commit trailers.
# The histories are made with the real git program, so this also checks
# that lps reads trailers the way git writes them.
. "$(dirname "$0")/lib.sh"

# lps_commit DATE SUBJECT [TRAILER...]: an empty commit made by git.
lps_commit() {
	d=$1 subject=$2
	shift 2
	if [ $# -gt 0 ]; then
		body=$(printf '%s\n' "$@")
		GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d \
			git commit -q --allow-empty -m "$subject" -m "$body"
	else
		GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d \
			git commit -q --allow-empty -m "$subject"
	fi
}

short() { git -C "$TRASH/hist" rev-parse --short "$1"; }
long() { git -C "$TRASH/hist" rev-parse "$1"; }

test_expect_success 'setup: a history with lps and plain commits' '
	git init -q hist &&
	cd hist &&
	lps_commit 2026-08-31T09:00:00Z "add notes" &&
	lps_commit 2026-09-01T10:00:00Z "init: start portfolio" \
		"LPS-Command: init" "LPS-Phase: purpose" &&
	lps_commit 2026-09-15T08:00:00Z "phase: purpose -> focus" \
		"LPS-Command: phase advance" "LPS-Phase: focus" \
		"LPS-Phase-From: purpose" "LPS-Phase-To: focus" &&
	lps_commit 2026-09-20T08:00:00Z "fix a typo" &&
	lps_commit 2026-10-01T23:30:00-05:00 "phase: focus -> structures" \
		"LPS-Command: phase advance" "LPS-Phase: structures" \
		"LPS-Phase-From: focus" "LPS-Phase-To: structures" \
		"LPS-Forced: the district \"deadline\" came first" &&
	lps_commit 2026-10-02T09:00:00Z "goal: add g-3f9a1c07 \"Raise reading\"" \
		"lps-command: goal add" "lps-phase: structures" &&
	git log --format=%s >../subjects &&
	test "$(wc -l <../subjects)" -eq 6
'

test_expect_success 'text: lps commits only, newest first' '
	cd hist &&
	run_lps 0 log &&
	cat >expect <<-EOF &&
	$(short HEAD) 2026-10-02 goal: add g-3f9a1c07 "Raise reading"
	$(short HEAD~1) 2026-10-01 phase: focus -> structures
	$(short HEAD~3) 2026-09-15 phase: purpose -> focus
	$(short HEAD~4) 2026-09-01 init: start portfolio
	EOF
	test_cmp expect "$OUT" &&
	expect_empty "$ERR"
'

test_expect_success 'lps reads the same trailers git does' '
	cd hist &&
	git log --format="%(trailers:key=LPS-Command,valueonly)" |
		sed "/^\$/d" >git-commands &&
	printf "%s\n" "goal add" "phase advance" "phase advance" init >expect &&
	test_cmp expect git-commands
'

test_expect_success 'json: every field, UTC dates, absent keys left out' '
	cd hist &&
	run_lps 0 log --format json &&
	a="\"author\": \"Test Leader <leader@example.org>\"" &&
	printf "%s\n" "{\"entries\": [{\"commit\": \"$(long HEAD)\", \"date\": \"2026-10-02T09:00:00Z\", $a, \"subject\": \"goal: add g-3f9a1c07 \\\"Raise reading\\\"\", \"command\": \"goal add\", \"phase\": \"structures\"}, {\"commit\": \"$(long HEAD~1)\", \"date\": \"2026-10-02T04:30:00Z\", $a, \"subject\": \"phase: focus -> structures\", \"command\": \"phase advance\", \"phase\": \"structures\", \"phase_from\": \"focus\", \"phase_to\": \"structures\", \"forced\": \"the district \\\"deadline\\\" came first\"}, {\"commit\": \"$(long HEAD~3)\", \"date\": \"2026-09-15T08:00:00Z\", $a, \"subject\": \"phase: purpose -> focus\", \"command\": \"phase advance\", \"phase\": \"focus\", \"phase_from\": \"purpose\", \"phase_to\": \"focus\"}, {\"commit\": \"$(long HEAD~4)\", \"date\": \"2026-09-01T10:00:00Z\", $a, \"subject\": \"init: start portfolio\", \"command\": \"init\", \"phase\": \"purpose\"}]}" >expect &&
	test_cmp expect "$OUT" &&
	run_lps 0 log --format=json -n 1 &&
	grep -q "^{\"entries\": \[{\"commit\": \"$(long HEAD)\"" "$OUT"
'

test_expect_success 'json output is valid against the log schema' '
	cd hist &&
	run_lps 0 log --format json &&
	cp "$OUT" ../log.json &&
	run_lps 0 validate --schema log ../log.json &&
	run_lps 0 log --phases --format json &&
	cp "$OUT" ../phases.json &&
	run_lps 0 validate --schema log ../phases.json
'

test_expect_success '-n limits the entries' '
	cd hist &&
	run_lps 0 log -n 2 &&
	cat >expect <<-EOF &&
	$(short HEAD) 2026-10-02 goal: add g-3f9a1c07 "Raise reading"
	$(short HEAD~1) 2026-10-01 phase: focus -> structures
	EOF
	test_cmp expect "$OUT" &&
	run_lps 0 log -n2 && test_cmp expect "$OUT" &&
	run_lps 0 log --max-count=2 && test_cmp expect "$OUT" &&
	run_lps 0 log -n 100 &&
	test "$(wc -l <"$OUT")" -eq 4
'

test_expect_success '--phases shows phase changes and forced gates' '
	cd hist &&
	run_lps 0 log --phases &&
	cat >expect <<-EOF &&
	$(short HEAD~1) 2026-10-01 focus -> structures (forced: the district "deadline" came first)
	$(short HEAD~3) 2026-09-15 purpose -> focus
	EOF
	test_cmp expect "$OUT" &&
	run_lps 0 log --phases -n 1 &&
	head -n 1 expect >expect1 &&
	test_cmp expect1 "$OUT"
'

test_expect_success 'REV starts the walk elsewhere' '
	cd hist &&
	run_lps 0 log HEAD~2 &&
	cat >expect <<-EOF &&
	$(short HEAD~3) 2026-09-15 phase: purpose -> focus
	$(short HEAD~4) 2026-09-01 init: start portfolio
	EOF
	test_cmp expect "$OUT" &&
	run_lps 0 log HEAD~5 &&
	expect_empty "$OUT" &&
	run_lps 1 log no-such-rev &&
	expect_empty "$OUT" &&
	grep -q "^lps: error: .*no-such-rev" "$ERR"
'

test_expect_success 'empty repository: nothing, exit 0' '
	git init -q empty &&
	cd empty &&
	run_lps 0 log &&
	expect_empty "$OUT" &&
	expect_empty "$ERR" &&
	run_lps 0 log --format json &&
	expect_out "{\"entries\": []}" &&
	run_lps 0 log --phases &&
	expect_empty "$OUT"
'

test_expect_success 'a history of plain git commits only: nothing' '
	git init -q plain &&
	cd plain &&
	lps_commit 2026-09-01T10:00:00Z "just git" &&
	run_lps 0 log --format json &&
	expect_out "{\"entries\": []}"
'

test_expect_success 'not a repository: exit 1' '
	mkdir -p norepo &&
	cd norepo &&
	GIT_CEILING_DIRECTORIES=$TRASH run_lps 1 log &&
	expect_empty "$OUT" &&
	expect_err "lps: error: not a git repository (or any parent): $TRASH/norepo"
'

test_expect_success 'usage errors: exit 2' '
	cd hist &&
	for bad in "-n 0" "-n -3" "-n x" "-n 1x" "-n"; do
		run_lps 2 log $bad || exit 1
		expect_empty "$OUT" || exit 1
		head -n 1 "$ERR" | grep -q "^lps: error: -n" || exit 1
	done &&
	run_lps 2 log -n 0 &&
	cat >expect <<-\EOF &&
	lps: error: -n: expected a positive number, got '"'"'0'"'"'
	usage: lps log [--phases] [-n N] [--format text|json] [REV]
	EOF
	test_cmp expect "$ERR" &&
	run_lps 2 log --format xml &&
	head -n 1 "$ERR" >actual &&
	echo "lps: error: --format: unknown value '"'"'xml'"'"' (one of: text json)" >expect &&
	test_cmp expect actual &&
	run_lps 2 log --frob &&
	run_lps 2 log HEAD HEAD~1
'

test_expect_success 'lps log --help and lps-log run directly' '
	run_lps 0 log --help &&
	head -n 1 "$OUT" >actual &&
	echo "usage: lps log [--phases] [-n N] [--format text|json] [REV]" >expect &&
	test_cmp expect actual &&
	(cd hist && lps-log -n 1 >../direct) &&
	test "$(wc -l <direct)" -eq 1
'

test_expect_success 'after lps init, the init commit is in the log' '
	run_lps 0 init --name "Test Leader" --role principal folio &&
	cd folio &&
	run_lps 0 log &&
	expect_out "$(git log -1 --format="%h %ad" --date=short) init: start portfolio of Test Leader" &&
	run_lps 0 log --format json &&
	grep -q "\"command\": \"init\", \"phase\": \"purpose\"}]}" "$OUT" &&
	run_lps 0 log --phases &&
	expect_empty "$OUT" &&
	git_clean
'

test_done
