#!/bin/sh
# run.sh - `make bench`: how fast is `lps check` over a big portfolio?
#
# What it does
#   1. Builds its helpers (gen, bareparse, yaml2json, timer: C programs in
#      tests/bench/) with $CC -O2 into a temporary folder.
#   2. Makes a portfolio repository: `lps init` (or `git init` plus a
#      generated lps.yaml when lps-init is not built), then NUM_DOCS goal
#      documents written by gen (about 700 bytes each: indicators with
#      dated measurements, action steps), committed with the real git.
#   3. Times, ROUNDS times each, in an order that rotates every round:
#        bare parse  bareparse lps.yaml goals   (libyaml events, no tree,
#                    one thread: the floor)
#        lps check   lps check                  (load, validate, cross-check)
#        ajv-cli     ajv-cli 5 + ajv-formats over the same documents
#                    converted to JSON, against the same schemas
#      ajv-cli is installed with npm into the temporary folder (or taken
#      from AJV_DIR); without npm, or when the install fails, it is skipped
#      with a message.  Each contender runs once untimed first, which
#      warms the caches and checks its answer: every document is valid, so
#      all must exit 0.  A contender that does not is reported as FAIL.
#
# How to read the output
#   One row per contender: the median wall time over the rounds, the
#   fastest round, and the median CPU time (user+sys; a CPU time above the
#   wall time means more than one core was busy).  Then two ratios with
#   the targets of issue 3:
#        lps check / bare parse   target <= 1.5 (below 1: faster than a
#                                 single-threaded bare parse)
#        ajv-cli / lps check      target >= 4
#   and the exit status of `lps check`, which must be 0.
#
# Environment
#   NUM_DOCS=10000   goal documents to generate
#   ROUNDS=5         timed runs of each contender
#   LPS=./lps        the lps front end to time (its lps-* beside it)
#   LPS_LIB=build/std/liblps.a
#                    the library `make all` built; with it, a diagnostic
#                    row "lps load" times lps's loader alone (loadonly.c:
#                    trees built and freed, no validation, one thread)
#   AJV_DIR=DIR      an npm prefix that already holds ajv-cli@5 and
#                    ajv-formats@2 (skips the install)
#   NO_AJV=1         skip ajv-cli
#   KEEP=1           keep the temporary folder (its path is printed)
#   BENCH_STRICT=1   exit 1 also when a target is missed
#   CC=cc            compiler for the helpers
#
# The helpers have their own checks: sh tests/bench/selftest.sh.
#
# Exit status: 0 when every contender answered correctly (targets missed
# are printed, not fatal unless BENCH_STRICT=1), 1 when one failed, 2 for a
# bad setting, 4 when the set-up failed.

# A && B || die is meant (die only runs when something failed); awk field
# expressions are passed in single quotes on purpose.
# shellcheck disable=SC2015,SC2016
set -u
top=$(cd "$(dirname "$0")/../.." && pwd) || exit 4
bench=$top/tests/bench
NUM_DOCS=${NUM_DOCS:-10000}
ROUNDS=${ROUNDS:-5}
LPS=${LPS:-$top/lps}
LPS_LIB=${LPS_LIB:-$top/build/std/liblps.a}
CC=${CC:-cc}

say() { printf '%s\n' "$*"; }
die() { say "bench: error: $1" >&2; exit "${2:-4}"; }

case $NUM_DOCS in ''|*[!0-9]*) die "NUM_DOCS must be a number" 2;; esac
case $ROUNDS in ''|*[!0-9]*) die "ROUNDS must be a number" 2;; esac
[ "$NUM_DOCS" -ge 1 ] && [ "$NUM_DOCS" -le 1000000 ] ||
	die "NUM_DOCS must be between 1 and 1000000" 2
[ "$ROUNDS" -ge 1 ] && [ "$ROUNDS" -le 100 ] ||
	die "ROUNDS must be between 1 and 100" 2
case $LPS in /*) ;; *) LPS=$(pwd)/$LPS;; esac
lpsdir=$(dirname "$LPS")

work=$(mktemp -d "${TMPDIR:-/tmp}/lps-bench.XXXXXX") ||
	die "cannot make a temporary folder"
if [ "${KEEP:-0}" = 1 ]; then
	say "bench: keeping $work"
else
	trap 'rm -rf "$work"' EXIT
	trap 'exit 130' INT TERM
fi
bin=$work/bin
repo=$work/portfolio
json=$work/json
mkdir -p "$bin" "$json/goals" "$json/schemas" "$work/home" || exit 4

# --- helpers -------------------------------------------------------------
yaml_flags=$(pkg-config --cflags --libs yaml-0.1 2>/dev/null) || yaml_flags=-lyaml
for p in gen timer; do
	$CC -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -o "$bin/$p" "$bench/$p.c" ||
		die "cannot build $bench/$p.c"
done
for p in bareparse yaml2json; do
	# shellcheck disable=SC2086 # pkg-config output is several words
	$CC -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -o "$bin/$p" \
		"$bench/$p.c" $yaml_flags || die "cannot build $bench/$p.c"
done
# The loader-only diagnostic links with liblps.a when there is one.
have_load=0
if [ -f "$LPS_LIB" ]; then
	lib_flags=$(pkg-config --libs libgit2 yaml-0.1 2>/dev/null) ||
		lib_flags="-lgit2 -lyaml"
	# shellcheck disable=SC2086 # pkg-config output is several words
	if $CC -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -I"$top/lib" \
		-o "$bin/loadonly" "$bench/loadonly.c" "$LPS_LIB" $lib_flags \
		-lpthread -lm >"$work/loadonly.log" 2>&1; then
		have_load=1
	else
		say "bench: note: cannot link loadonly with $LPS_LIB; no lps load row"
	fi
fi

# --- the portfolio -------------------------------------------------------
# Git runs with its own HOME so the user's configuration (hooks, signing,
# templates) cannot change what is measured; npm keeps the user's HOME so
# its download cache is reused.
user_home=${HOME:-$work/home}
HOME=$work/home
GIT_CONFIG_NOSYSTEM=1
LPS_EXEC_PATH=$lpsdir
NO_COLOR=1
export HOME GIT_CONFIG_NOSYSTEM LPS_EXEC_PATH NO_COLOR
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE LPS_SCHEMA_DIR
git config --global user.name 'Bench Leader' &&
git config --global user.email 'bench@example.org' &&
git config --global init.defaultBranch main || die "git config failed"

have_lps=0
[ -x "$LPS" ] && have_lps=1
have_check=0
[ "$have_lps" = 1 ] && [ -x "$lpsdir/lps-check" ] && have_check=1
made_by=
if [ "$have_lps" = 1 ] && [ -x "$lpsdir/lps-init" ]; then
	if "$LPS" init "$repo" --name 'Bench Leader' --role principal \
		--district 'Lakeside Unified' --school 'Lakeside Elementary' \
		--cycle 2026-2027 >"$work/init.log" 2>&1; then
		made_by='lps init'
	else
		say "bench: warning: lps init failed (exit $?); using git init:"
		sed 's/^/    /' "$work/init.log"
		rm -rf "$repo"
	fi
fi
if [ -z "$made_by" ]; then
	git init -q "$repo" || die "git init failed"
	"$bin/gen" -p -n "$NUM_DOCS" "$repo" >"$work/gen.log" ||
		die "gen failed"
	made_by='git init + generated lps.yaml'
else
	"$bin/gen" -n "$NUM_DOCS" "$repo" >"$work/gen.log" || die "gen failed"
fi
git -C "$repo" add lps.yaml goals &&
git -C "$repo" commit -q -m "bench: $NUM_DOCS generated goals" ||
	die "git commit failed"

# --- contenders ----------------------------------------------------------
contenders="bare"
[ "$have_load" = 1 ] && contenders="$contenders load"
[ "$have_check" = 1 ] && contenders="$contenders lps"

ajv=
ajv_note=
if [ "${NO_AJV:-0}" = 1 ]; then
	ajv_note="skipped: NO_AJV=1"
elif [ -n "${AJV_DIR:-}" ] && [ -x "$AJV_DIR/node_modules/.bin/ajv" ]; then
	ajv=$AJV_DIR/node_modules/.bin/ajv
elif ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1
then
	ajv_note="skipped: npm or node is not installed"
else
	say "bench: installing ajv-cli@5 and ajv-formats@2 with npm..."
	if HOME=$user_home npm install --prefix "$work/npm" --no-audit \
		--no-fund --loglevel=error ajv-cli@5 ajv-formats@2 \
		>"$work/npm.log" 2>&1 &&
		[ -x "$work/npm/node_modules/.bin/ajv" ]; then
		ajv=$work/npm/node_modules/.bin/ajv
	else
		ajv_note="skipped: npm install failed (see below)"
		sed 's/^/    /' "$work/npm.log" | tail -n 5
	fi
fi
if [ -n "$ajv" ]; then
	# Same documents and schemas as JSON: see yaml2json.c for why.
	"$bin/yaml2json" "$json/goals" "$repo/goals" &&
	"$bin/yaml2json" "$json/schemas" "$top"/schemas/*.schema.yaml ||
		die "yaml2json failed"
	contenders="$contenders ajv"
fi

# run NAME: one run of a contender, its output in $work/NAME.out; the
# timer appends "wall user sys status" to $work/NAME.times.
run() {
	case $1 in
	bare) set -- "$1" "$bin/bareparse" lps.yaml goals;;
	load) set -- "$1" "$bin/loadonly" lps.yaml goals;;
	lps) set -- "$1" "$LPS" check;;
	ajv) set -- "$1" "$ajv" validate --spec=draft2020 -c ajv-formats \
		-s "$json/schemas/goal.schema.json" \
		-r "$json/schemas/common.schema.json" -d "$json/goals/*.json";;
	esac
	name=$1; shift
	(cd "$repo" && exec "$bin/timer" "$work/$name.times" "$@") \
		>"$work/$name.out" 2>&1
}

label() {
	case $1 in
	bare) say "bare parse";;
	load) say "lps load";;
	lps) say "lps check";;
	ajv) say "ajv-cli";;
	esac
}

failed=0
lps_status=
for c in $contenders; do
	run "$c"
	st=$(tail -n 1 "$work/$c.times" | awk '{print $4}')
	st=${st:-127}
	[ "$c" = lps ] && lps_status=$st
	if [ "$st" -ne 0 ]; then
		failed=1
		echo "$st" >"$work/$c.failed"
		say "bench: FAIL: $(label "$c") exited $st on valid documents:"
		head -n 20 "$work/$c.out" | sed 's/^/    /'
	fi
	rm -f "$work/$c.times"
done
# ajv also vouches for lps.yaml (untimed: one file), so that a generator
# out of step with the schemas shows even when lps check is not built.
if [ -n "$ajv" ]; then
	"$bin/yaml2json" "$json" "$repo/lps.yaml" &&
	"$ajv" validate --spec=draft2020 -c ajv-formats \
		-s "$json/schemas/portfolio.schema.json" \
		-r "$json/schemas/common.schema.json" -d "$json/lps.json" \
		>"$work/ajv-portfolio.out" 2>&1 || {
		failed=1
		say "bench: FAIL: ajv-cli finds lps.yaml invalid:"
		head -n 20 "$work/ajv-portfolio.out" | sed 's/^/    /'
	}
fi

# Other work on the machine shows as wall time above CPU time for a
# single-threaded contender: note how busy it was before the rounds.
load_before=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null)

# Timed rounds; round r starts at the r-th contender, so each runs first,
# second and last equally often and none always gets the warmest cache.
# shellcheck disable=SC2086 # one word per contender
set -- $contenders
k=$#
r=0
while [ "$r" -lt "$ROUNDS" ]; do
	i=0
	while [ "$i" -lt "$k" ]; do
		j=$(( (r + i) % k + 1 ))
		eval "c=\${$j}"
		run "$c"
		st=$(tail -n 1 "$work/$c.times" | awk '{print $4}')
		st=${st:-127}
		if [ "$st" -ne 0 ] && [ ! -f "$work/$c.failed" ]; then
			failed=1
			echo "$st" >"$work/$c.failed"
			say "bench: FAIL: $(label "$c") exited $st in round $((r + 1)):"
			head -n 5 "$work/$c.out" | sed 's/^/    /'
		fi
		i=$((i + 1))
	done
	r=$((r + 1))
done

# median FILE FIELD-EXPR: the median of an awk expression over the lines.
median() {
	awk "{ print $2 }" "$1" | sort -n | awk '
		{ v[NR] = $1 }
		END {
			if (NR % 2) m = v[(NR + 1) / 2]
			else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.3f\n", m
		}'
}

fastest() {
	sort -n "$1" | awk 'NR == 1 { printf "%.3f\n", $1 }'
}

# --- report --------------------------------------------------------------
ncpu=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null |
	head -n 1)
files=$(sed -n 's/^\([0-9]*\) goal documents, \([0-9]*\) bytes.*/\1/p' "$work/gen.log")
bytes=$(sed -n 's/^\([0-9]*\) goal documents, \([0-9]*\) bytes.*/\2/p' "$work/gen.log")
say ""
say "lps bench: $files goal documents + lps.yaml, $bytes bytes" \
	"($((bytes / files)) per document), $ROUNDS rounds"
say "machine:   $ncpu CPUs (nproc)${cpu:+, $cpu}, $(uname -sm)${load_before:+,
           load average $load_before before the rounds}"
say "portfolio: made with $made_by"
say ""
printf '%-12s %10s %10s %10s\n' contender 'median s' 'fastest s' 'cpu s'
for c in bare load lps ajv; do
	if [ -f "$work/$c.failed" ]; then
		# A failed run's time says nothing about the work asked for.
		printf '%-12s %s\n' "$(label "$c")" \
			"FAIL (exit $(cat "$work/$c.failed")): not timed"
	elif [ -f "$work/$c.times" ]; then
		printf '%-12s %10s %10s %10s\n' "$(label "$c")" \
			"$(median "$work/$c.times" '$1')" \
			"$(fastest "$work/$c.times")" \
			"$(median "$work/$c.times" '$2 + $3')"
	elif [ "$c" = lps ]; then
		printf '%-12s %s\n' 'lps check' \
			"not run: $lpsdir/lps-check is not built"
	elif [ "$c" = ajv ]; then
		printf '%-12s %s\n' 'ajv-cli' "$ajv_note"
	fi
done
say ""

missed=0
# ratio NAME A B LIMIT OP: print A/B against a target (OP is <= or >=).
ratio() {
	if [ -f "$work/$2.failed" ] || [ -f "$work/$3.failed" ]; then
		printf '%-24s n/a (a contender failed)\n' "$1"
		return
	fi
	a=$(median "$work/$2.times" '$1')
	b=$(median "$work/$3.times" '$1')
	awk -v n="$1" -v a="$a" -v b="$b" -v lim="$4" -v op="$5" 'BEGIN {
		if (b <= 0) { printf "%-24s n/a (too fast to time)\n", n; exit 0 }
		x = a / b
		ok = (op == "<=") ? (x <= lim) : (x >= lim)
		printf "%-24s %6.2f   target %s %s   %s\n", n, x, op, lim,
			ok ? "met" : "MISSED"
		exit ok ? 0 : 3
	}' || missed=1
}
if [ "$have_check" = 1 ]; then
	ratio 'lps check / bare parse' lps bare 1.5 '<='
	[ -n "$ajv" ] && ratio 'ajv-cli / lps check' ajv lps 4 '>='
else
	say "ratios: not computed, lps check did not run"
fi
say ""
say "commands (run in the portfolio):"
say "  bare parse: bareparse lps.yaml goals"
[ "$have_check" = 1 ] && say "  lps check:  $LPS check"
[ -n "$ajv" ] && say "  ajv-cli:    ajv validate --spec=draft2020 -c ajv-formats" \
	"-s goal.schema.json -r common.schema.json -d 'goals/*.json'"
if [ "$have_check" = 1 ]; then
	if [ "$lps_status" = 0 ]; then
		say "lps check exit status: 0 (ok)"
	else
		say "lps check exit status: $lps_status (FAIL: the documents are valid)"
	fi
fi

if [ "$failed" != 0 ]; then
	say "bench: FAIL: a contender did not answer correctly (see above)"
	exit 1
fi
if [ "$missed" != 0 ] && [ "${BENCH_STRICT:-0}" = 1 ]; then
	say "bench: a target was missed (BENCH_STRICT=1)"
	exit 1
fi
exit 0
