#!/bin/sh
# goal-add.sh - `make bench`, part two (issue 4 item 14): how much does one
# `lps goal add` cost in a portfolio that holds 100,000 goals, next to
# committing one new file with git itself?
#
# What it does
#   1. Builds gen and timer (C programs in tests/bench/) with $CC -O2 into
#      a temporary folder.
#   2. Makes a portfolio: `lps init`, then NUM_GOALS goal documents written
#      by gen into goals/, committed once with the real git program
#      (`git add goals && git commit`; the set-up may use git, lps never
#      does).  The working tree, the index and HEAD then all hold them.
#   3. Runs each contender once untimed (caches warm, answers checked),
#      then ROUNDS rounds, alternating within each round (the order flips
#      every round):
#        lps goal add   lps goal add "Bench goal N" --agenda student
#        git            sh -c 'git add goals/<new file> && git commit -q -m x'
#                       of one new goal document written (untimed) just
#                       before, with the same size as the ones lps writes
#      Both make one commit of one new file in goals/ on top of the same
#      100,000-entry tree, the same number of times, in the same run.
#   4. Checks the end state: HEAD holds NUM_GOALS + 2*(ROUNDS+1) goals and
#      `git status --porcelain` is empty.
#
# How to read the output
#   One row per contender: median and fastest wall time, median CPU time
#   (user+sys).  Then the ratio of the medians, lps / git, with the target
#   of issue 4: at most 0.5 (a third, 0.33, is the aim).  The git row
#   includes one `sh -c` start (about a millisecond) that lps does not pay.
#
# Environment
#   NUM_GOALS=100000  goal documents in the portfolio
#   ROUNDS=11         timed rounds (each times both contenders once)
#   LPS=./lps         the lps front end to time (its lps-* beside it)
#   KEEP=1            keep the temporary folder (its path is printed)
#   BENCH_STRICT=1    exit 1 also when the target is missed
#   CC=cc             compiler for the helpers
#
# Exit status: 0 when every command succeeded (a missed target is printed,
# and fatal only with BENCH_STRICT=1), 1 when a contender failed or the
# end state is wrong, 2 for a bad setting, 4 when the set-up failed.

# shellcheck disable=SC2016
set -u
top=$(cd "$(dirname "$0")/../.." && pwd) || exit 4
bench=$top/tests/bench
NUM_GOALS=${NUM_GOALS:-100000}
ROUNDS=${ROUNDS:-11}
LPS=${LPS:-$top/lps}
CC=${CC:-cc}

die() { echo "goal-add: $*" >&2; exit 4; }
case $NUM_GOALS in ''|*[!0-9]*) echo "goal-add: NUM_GOALS must be a number" >&2; exit 2;; esac
case $ROUNDS in ''|*[!0-9]*|0) echo "goal-add: ROUNDS must be a positive number" >&2; exit 2;; esac
case $LPS in /*) ;; *) LPS=$(pwd)/$LPS ;; esac
[ -x "$LPS" ] || die "$LPS is missing; run make first (or set LPS)"
lpsdir=$(dirname "$LPS")
[ -x "$lpsdir/lps-goal" ] || die "$lpsdir/lps-goal is missing; run make first"
command -v git >/dev/null 2>&1 || die "git is needed for the comparison"

work=$(mktemp -d "${TMPDIR:-/tmp}/lps-bench-goal.XXXXXX") || die "no temporary folder"
if [ "${KEEP:-}" = 1 ]; then
	echo "goal-add: keeping $work"
else
	trap 'rm -rf "$work"' EXIT
fi
trap 'exit 130' INT TERM

# Our own HOME and git identity, so the user's configuration (hooks,
# signing, fsmonitor...) neither helps nor hurts either contender.
HOME=$work/home
mkdir -p "$HOME" "$work/bin"
export HOME
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE LPS_SCHEMA_DIR LPS_TODAY
GIT_CONFIG_NOSYSTEM=1
LPS_EXEC_PATH=$lpsdir
export GIT_CONFIG_NOSYSTEM LPS_EXEC_PATH
git config --global user.name "Bench Leader"
git config --global user.email "bench@example.org"
git config --global init.defaultBranch main

for p in gen timer; do
	"$CC" -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -o "$work/bin/$p" \
		"$bench/$p.c" || die "cannot build $p"
done

repo=$work/portfolio
printf 'goal-add: %s goals, %s rounds, lps = %s\n' "$NUM_GOALS" "$ROUNDS" "$LPS"
"$LPS" init --name "Bench Leader" --role principal --cycle 2026-2027 \
	"$repo" >/dev/null || die "lps init failed"
cd "$repo" || die "no $repo"
"$work/bin/gen" -n "$NUM_GOALS" "$repo" >"$work/gen.log" || die "gen failed"
git add goals && git commit -q -m "bench: $NUM_GOALS goals" ||
	die "cannot commit the generated goals"
n=$(git ls-tree HEAD goals/ | wc -l)
[ "$n" -eq "$NUM_GOALS" ] || die "HEAD holds $n goals, not $NUM_GOALS"
echo "goal-add: set up $(sed -n 1p "$work/gen.log")"

# A goal document like the ones `lps goal add` writes, with id $1.
goal_doc() {
	cat <<EOF
lps: 1
id: $1
title: Bench goal by git
agenda: student
status: active
cycle: 2026-2027
created: 2026-10-01
EOF
}

seq=0
run_lps() { # TIMES-FILE
	seq=$((seq + 1))
	"$work/bin/timer" "$1" "$LPS" goal add "Bench goal $seq" \
		--agenda student >/dev/null || return 1
}
run_git() { # TIMES-FILE
	seq=$((seq + 1))
	id=$(printf 'g-f%07x' "$seq")
	goal_doc "$id" >"goals/$id.yaml"
	"$work/bin/timer" "$1" sh -c \
		'git add "goals/$1.yaml" && git commit -q -m "goal: add $1"' \
		sh "$id" || return 1
}

# Untimed first run of each: warm caches, and both must work.
run_lps "$work/warm" || { echo "goal-add: FAIL: lps goal add"; exit 1; }
run_git "$work/warm" || { echo "goal-add: FAIL: git add && git commit"; exit 1; }

: >"$work/lps.times"; : >"$work/git.times"
r=0
while [ "$r" -lt "$ROUNDS" ]; do
	if [ $((r % 2)) -eq 0 ]; then
		run_lps "$work/lps.times" && run_git "$work/git.times"
	else
		run_git "$work/git.times" && run_lps "$work/lps.times"
	fi || { echo "goal-add: FAIL in round $((r + 1))"; exit 1; }
	r=$((r + 1))
done

want=$((NUM_GOALS + 2 * (ROUNDS + 1)))
n=$(git ls-tree HEAD goals/ | wc -l)
st=$(git status --porcelain | head -n 5)
if [ "$n" -ne "$want" ] || [ -n "$st" ]; then
	echo "goal-add: FAIL: HEAD holds $n goals (want $want); status: $st"
	exit 1
fi

# median FILE COLUMN: the median of a column of the times file.
median() {
	awk -v c="$2" '{ print $c }' "$1" | sort -g |
		awk '{ v[NR] = $1 } END {
			if (NR % 2) print v[(NR + 1) / 2]
			else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
cpu() { awk '{ print $2 + $3 }' "$1" >"$1.cpu"; median "$1.cpu" 1; }
fastest() { awk '{ print $1 }' "$1" | sort -g | head -n 1; }

lm=$(median "$work/lps.times" 1); gm=$(median "$work/git.times" 1)
printf '\n%-14s %10s %10s %10s\n' "" "median s" "fastest s" "cpu s"
printf '%-14s %10.4f %10.4f %10.4f\n' "lps goal add" "$lm" \
	"$(fastest "$work/lps.times")" "$(cpu "$work/lps.times")"
printf '%-14s %10.4f %10.4f %10.4f\n' "git add+commit" "$gm" \
	"$(fastest "$work/git.times")" "$(cpu "$work/git.times")"
ratio=$(awk -v a="$lm" -v b="$gm" 'BEGIN { printf "%.3f", a / b }')
met=$(awk -v r="$ratio" 'BEGIN { print (r <= 0.5) ? "met" : "MISSED" }')
printf '\nlps / git = %s   (target <= 0.5, aim 0.33: %s)\n' "$ratio" "$met"
if [ "$met" != met ] && [ "${BENCH_STRICT:-}" = 1 ]; then
	exit 1
fi
exit 0
