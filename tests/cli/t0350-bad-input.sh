#!/bin/sh
# t0350-bad-input: every bad input of issue 3 gives one clear line naming
# the file (and line where there is one), the documented exit status,
# writes nothing, and ends quickly (timeout 5 turns a hang into a failure).
. "$(dirname "$0")/lib.sh"
D=$DATA/cli

# run_bad CODE CMD...: run CMD under timeout 5 into $OUT/$ERR, expecting
# exit CODE (124 would be the timeout).
run_bad() {
	want=$1; shift
	set +e
	timeout 5 "$@" >"$OUT" 2>"$ERR"
	got=$?
	set -e
	if [ "$got" -ne "$want" ]; then
		echo "$*: exit $got, expected $want"
		cat "$OUT" "$ERR"
		return 1
	fi
}

# one_line FILE TEXT: FILE holds exactly the line TEXT.
one_line() {
	printf '%s\n' "$2" >"$TRASH_ROOT/expect"
	test_cmp "$TRASH_ROOT/expect" "$1"
}

# A committed portfolio; state() records HEAD, status and lps.yaml bytes.
git init -q port && cp -R "$D/port/." port/ && git -C port add -A &&
git -C port commit -q -m fixture
state() {
	{ git -C "$TRASH/port" rev-parse HEAD
	  git -C "$TRASH/port" status --porcelain
	  cat "$TRASH/port/lps.yaml"; } >"$TRASH_ROOT/state.$1"
}
unchanged() {
	state after && test_cmp "$TRASH_ROOT/state.before" "$TRASH_ROOT/state.after"
}

cat >bomb.yaml <<'EOT'
a: &a ["x","x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]
EOT
head -c 100000 /dev/zero | tr '\0' '[' >deep.yaml
printf 'lps: 1\nlps: 2\n' >dup.yaml
printf 'lps: 1\ntitle: caf\377\n' >utf.yaml
printf 'lps: 1\nowner:\n\tname: x\n' >tab.yaml
: >empty.yaml
printf '[1, 2]\n' >arr.json

test_expect_success 'alias bomb' '
	run_bad 1 lps validate --schema goal bomb.yaml && expect_empty "$OUT" &&
	one_line "$ERR" "lps: error: bomb.yaml:6:29: too many nodes after alias expansion (limit 1000000)"
'

test_expect_success '100,000-deep nesting' '
	run_bad 1 lps validate --schema goal deep.yaml && expect_empty "$OUT" &&
	one_line "$ERR" "lps: error: deep.yaml:1:257: nesting deeper than 256 levels"
'

test_expect_success 'duplicate key' '
	run_bad 1 lps validate --schema goal dup.yaml &&
	one_line "$ERR" "lps: error: dup.yaml:2:1: duplicate key \"lps\" (first at line 1)"
'

test_expect_success 'invalid UTF-8' '
	run_bad 1 lps validate --schema goal utf.yaml &&
	one_line "$ERR" "lps: error: utf.yaml:2:11: invalid UTF-8 (byte 0xff)"
'

test_expect_success 'tab used as indentation' '
	run_bad 1 lps validate --schema portfolio tab.yaml &&
	one_line "$ERR" "lps: error: tab.yaml:3:1: tab character used for indentation"
'

test_expect_success '50 MiB document' '
	head -c 52428800 /dev/zero | tr "\0" a >big.yaml &&
	run_bad 1 lps validate --schema goal big.yaml && expect_empty "$OUT" &&
	one_line "$ERR" "lps: error: big.yaml: document is 52428800 bytes, over the limit of 8388608"
'

test_expect_success 'empty file' '
	run_bad 1 lps validate --schema goal empty.yaml && expect_empty "$ERR" &&
	one_line "$OUT" "empty.yaml:1:1: expected object, got null"
'

test_expect_success 'JSON array where a mapping is expected' '
	run_bad 1 lps validate --schema portfolio arr.json && expect_empty "$ERR" &&
	one_line "$OUT" "arr.json:1:1: expected object, got array"
'

test_expect_success 'schema with an unknown keyword' '
	run_bad 1 lps validate --schema $D/schema-unknown-keyword.yaml arr.json &&
	one_line "$ERR" "lps: error: $D/schema-unknown-keyword.yaml:6:5: unknown keyword \"maxLenght\""
'

test_expect_success 'schema with a $ref that does not resolve' '
	run_bad 1 lps validate --schema $D/schema-bad-ref.yaml arr.json &&
	test $(wc -l <"$ERR") -eq 1 &&
	grep -q "^lps: error: $D/schema-bad-ref.yaml:5:11: " "$ERR"
'

test_expect_success 'schema with a $ref cycle' '
	run_bad 1 lps validate --schema $D/schema-ref-cycle.yaml arr.json &&
	test $(wc -l <"$ERR") -eq 1 &&
	grep -q "^lps: error: $D/schema-ref-cycle.yaml:[1-9][0-9]*:[1-9][0-9]*: " "$ERR"
'

# The same inputs inside a portfolio: lps check reports each as a finding
# in its place and writes nothing.
for f in bomb deep dup utf tab empty; do
	test_expect_success "lps check: $f.yaml as a goal, nothing written" '
		state before &&
		cp '"$f"'.yaml port/goals/g-0000000f.yaml &&
		(cd port && run_bad 1 lps check) &&
		rm port/goals/g-0000000f.yaml && unchanged &&
		test $(wc -l <"$OUT") -ge 1 &&
		grep -q "^goals/g-0000000f.yaml:[0-9]*:[0-9]*: " "$OUT" &&
		expect_empty "$ERR"
	'
done

test_expect_success 'lps check: a 50 MiB goal is one finding, nothing written' '
	state before && cp big.yaml port/goals/g-0000000f.yaml &&
	(cd port && run_bad 1 lps check) &&
	rm port/goals/g-0000000f.yaml && unchanged &&
	one_line "$OUT" "goals/g-0000000f.yaml: document is 52428800 bytes, over the limit of 8388608"
'

test_expect_success 'lps check outside any git repository' '
	mkdir -p "$TRASH_ROOT/none" && cd "$TRASH_ROOT/none" &&
	GIT_CEILING_DIRECTORIES=$TRASH_ROOT && export GIT_CEILING_DIRECTORIES &&
	run_bad 1 lps check && expect_empty "$OUT" &&
	one_line "$ERR" "lps: error: not a git repository (or any parent): $TRASH_ROOT/none"
'

test_expect_success 'missing user.email: exit 3, nothing written' '
	mkdir -p nomail && git init -q p6 &&
	git config -f nomail/.gitconfig user.name "No Mail" &&
	(HOME=$TRASH/nomail XDG_CONFIG_HOME=$TRASH/nomail &&
	 export HOME XDG_CONFIG_HOME &&
	 run_bad 3 lps init p6 --name A --role principal) &&
	test $(wc -l <"$ERR") -eq 1 &&
	grep -q "^lps: error: no git identity: set it with: git config --global user.name \"Your Name\" && git config --global user.email you@example.org" "$ERR" &&
	test ! -e p6/lps.yaml && ! git -C p6 rev-parse -q --verify HEAD
'

test_expect_success 'a locked index: exit 3 naming it, nothing written' '
	git init -q p7 && : >p7/.git/index.lock &&
	run_bad 3 lps init p7 --name A --role principal &&
	test $(wc -l <"$ERR") -eq 1 &&
	grep -q "^lps: error: .*p7/.git/index.lock" "$ERR" &&
	test ! -e p7/lps.yaml && ! git -C p7 rev-parse -q --verify HEAD &&
	test -z "$(git -C p7 status --porcelain)"
'

test_done
