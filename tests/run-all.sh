#!/bin/sh
# run-all.sh - run every suite (unit, conformance, CLI) against the normal
# build and then the sanitizer build, and end with "N passed, N failed".
# Logs of every run are kept under build/test-logs/.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 4
build=${BUILD:-build}
stdbin=${BINPFX:-.}
logs=$build/test-logs
rm -rf "$logs"; mkdir -p "$logs"
passed=0; failed=0; failures=""

count() { # log name status
	p=$(sed -n 's/^# \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\1/p' "$1" | tail -n 1)
	f=$(sed -n 's/^# \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\2/p' "$1" | tail -n 1)
	if [ -z "$p" ]; then # cmocka's own summary
		p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test.*/\1/p' "$1" | tail -n 1)
		f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test.*/\1/p' "$1" | tail -n 1)
	fi
	p=${p:-0}; f=${f:-0}
	if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p)); failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		failures="$failures $2"
		echo "FAIL $2 ($p passed, $f failed; log: $1)"
		tail -n 30 "$1" | sed 's/^/    /'
	else
		echo "ok   $2 ($p passed)"
	fi
}

run_build() { # label build-dir bin-dir
	label=$1; bdir=$2; bin=$3
	# Absolute and without "." or a trailing slash: tests compare paths.
	case $bin in /*) ;; *) bin=$top/$bin ;; esac
	bin=$(cd "$bin" && pwd -P) || return
	export LPS_TEST_BIN="$bin"
	export LPS_EXEC_PATH="$bin"
	export LPS_TEST_BUILD="$top/$bdir"
	for t in "$bdir"/tests/test-*; do
		[ -x "$t" ] || continue
		case $t in *.o|*.d) continue;; esac
		n=$(basename "$t"); log="$logs/$label-$n.log"
		"$t" >"$log" 2>&1; count "$log" "$label:$n" $?
	done
	if [ -x "$bdir/tests/conformance" ]; then
		log="$logs/$label-conformance.log"
		"$bdir/tests/conformance" >"$log" 2>&1
		count "$log" "$label:conformance" $?
	fi
	for t in tests/cli/t[0-9]*.sh; do
		[ -f "$t" ] || continue
		n=$(basename "$t" .sh); log="$logs/$label-$n.log"
		sh "$t" >"$log" 2>&1; count "$log" "$label:$n" $?
	done
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
# Leaks inside system libraries that lps cannot free (each explained there).
export LSAN_OPTIONS=suppressions=$top/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_build std "$build/std" "$stdbin"
run_build san "$build/san" "$build/san/bin"
[ -z "$failures" ] || echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
