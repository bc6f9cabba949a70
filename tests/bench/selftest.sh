#!/bin/sh
# selftest.sh - check the benchmark's own helpers (not part of make test):
#
#	sh tests/bench/selftest.sh
#
# gen is deterministic and writes what the schemas expect in shape;
# yaml2json types scalars by the YAML 1.2 core rules; bareparse and timer
# give the documented exit statuses.  Prints "ok"/"not ok" per check and
# "# N passed, M failed"; exits 1 when a check failed.  CC and SAN=1
# (build with -fsanitize=address,undefined) are honoured.

# shellcheck disable=SC2015 # A && B || fail is meant
set -u
top=$(cd "$(dirname "$0")/../.." && pwd) || exit 4
bench=$top/tests/bench
CC=${CC:-cc}
work=$(mktemp -d "${TMPDIR:-/tmp}/lps-bench-selftest.XXXXXX") || exit 4
trap 'rm -rf "$work"' EXIT
flags="-std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -O2"
[ "${SAN:-0}" = 1 ] &&
	flags="$flags -g -fsanitize=address,undefined -fno-sanitize-recover=all"
yaml_flags=$(pkg-config --cflags --libs yaml-0.1 2>/dev/null) || yaml_flags=-lyaml
for p in gen timer bareparse yaml2json; do
	# shellcheck disable=SC2086 # flag lists are several words
	$CC $flags -o "$work/$p" "$bench/$p.c" $yaml_flags || exit 4
done

passed=0
failed=0
check() { # name command...
	name=$1; shift
	if (set -e; "$@") >"$work/log" 2>&1; then
		passed=$((passed + 1)); echo "ok - $name"
	else
		failed=$((failed + 1)); echo "not ok - $name"
		sed 's/^/#	/' "$work/log"
	fi
}

same_output_twice() {
	mkdir "$work/a" "$work/b"
	"$work/gen" -p -n 50 -s 3 "$work/a" >/dev/null
	"$work/gen" -p -n 50 -s 3 "$work/b" >/dev/null
	diff -r "$work/a" "$work/b"
	[ "$(find "$work/a/goals" -name '*.yaml' | wc -l)" -eq 50 ]
}
check 'gen: same seed, same bytes; N files' same_output_twice

names_match_ids() {
	for f in "$work"/a/goals/*.yaml; do
		id=$(sed -n 's/^id: //p' "$f")
		[ "$(basename "$f" .yaml)" = "$id" ] || { echo "$f: id $id"; return 1; }
		case $id in g-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]) ;;
		*) echo "$f: bad id $id"; return 1;; esac
	done
}
check 'gen: file names are goals/<id>.yaml, ids g-<8 hex>' names_match_ids

counts_in_range() {
	for f in "$work"/a/goals/*.yaml; do
		k=$(grep -c '^- id: k' "$f"); m=$(grep -c '^  - date: ' "$f")
		s=$(grep -c '^- id: s' "$f")
		[ "$k" -ge 1 ] && [ "$k" -le 2 ] && [ "$m" -ge 2 ] &&
			[ "$m" -le 4 ] && [ "$s" -ge 2 ] && [ "$s" -le 3 ] ||
			{ echo "$f: $k indicators, $m measurements, $s steps"; return 1; }
	done
}
check 'gen: 1-2 indicators, 2-4 measurements, 2-3 steps' counts_in_range

yaml2json_types() {
	cat >"$work/t.yaml" <<'EOF'
a: [1, "2", 0x1F, 0o17, 007, -3.5e2, .5, ~, null, true, false, yes, on, 2026-01-01, 2026-2027, 'x"y', "t\tz"]
b:
  c: |
    two
    lines
  1: key
  e:
EOF
	"$work/yaml2json" "$work" "$work/t.yaml"
	printf '%s\n' '{"a":[1,"2",31,15,7,-350,0.5,null,null,true,false,"yes","on","2026-01-01","2026-2027","x\"y","t\tz"],"b":{"c":"two\nlines\n","1":"key","e":null}}' >"$work/want"
	diff "$work/want" "$work/t.json"
}
check 'yaml2json: YAML 1.2 core typing, keys as strings' yaml2json_types

yaml2json_refuses() {
	printf 'a: &x 1\nb: *x\n' >"$work/al.yaml"
	printf 'a: .inf\n' >"$work/inf.yaml"
	if "$work/yaml2json" "$work" "$work/al.yaml" 2>"$work/err1"; then
		return 1
	fi
	grep -q 'al.yaml:2: aliases are not supported' "$work/err1"
	if "$work/yaml2json" "$work" "$work/inf.yaml" 2>"$work/err2"; then
		return 1
	fi
	grep -q 'inf.yaml:1: .inf has no JSON form' "$work/err2"
}
check 'yaml2json: refuses aliases and .inf' yaml2json_refuses

bareparse_status() {
	"$work/bareparse" -v "$work/a/lps.yaml" "$work/a/goals" >"$work/out"
	grep -q '^51 files, [0-9]* bytes, [0-9]* events$' "$work/out"
	printf 'a: [1\n' >"$work/bad.yaml"
	set +e
	"$work/bareparse" "$work/bad.yaml" 2>"$work/err"; st=$?
	set -e
	[ "$st" -eq 1 ]
	grep -q "bad.yaml:2:1: did not find expected ',' or ']'" "$work/err"
	set +e
	"$work/bareparse" "$work/missing.yaml" 2>/dev/null; st=$?
	"$work/bareparse" 2>/dev/null; st2=$?
	set -e
	[ "$st" -eq 4 ] && [ "$st2" -eq 2 ]
}
check 'bareparse: exit 0, 1 (syntax), 4 (missing), 2 (usage)' bareparse_status

timer_records() {
	set +e
	"$work/timer" "$work/times" sh -c 'exit 3'; st=$?
	"$work/timer" "$work/times" "$work/no-such-program" 2>/dev/null; st2=$?
	set -e
	[ "$st" -eq 3 ] && [ "$st2" -eq 127 ]
	[ "$(wc -l <"$work/times")" -eq 2 ]
	awk 'NR == 1 && !($1 >= 0 && $2 >= 0 && $3 >= 0 && $4 == 3) { exit 1 }
	     NR == 2 && $4 != 127 { exit 1 }' "$work/times"
}
check 'timer: passes the status through and records it' timer_records

echo "# $passed passed, $failed failed"
[ "$failed" -eq 0 ]
