# lib.sh - a small shell test library for lps, in the spirit of git's t/.
#
# A test file sources this, then runs named subtests:
#
#	. "$(dirname "$0")/lib.sh"
#	test_expect_success 'init makes one commit' '
#		lps init --name "Ada" --role principal &&
#		test_commit_count 1
#	'
#	test_done
#
# Each test file gets a fresh temporary HOME (with a git identity) and
# works in $TRASH (an empty directory, the current directory of every
# subtest).  Subtest bodies run in a subshell with `set -e`, so a failing
# command fails the subtest.  test_done prints "# N passed, M failed" and
# exits non-zero when something failed.  LPS_TEST_BIN names the directory
# holding lps and lps-* (the repository root by default).

set -u
TEST_NAME=$(basename "$0" .sh)
TEST_DIR=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$TEST_DIR/../.." && pwd)
: "${LPS_TEST_BIN:=$TOP}"
LPS_EXEC_PATH=$LPS_TEST_BIN
PATH=$LPS_TEST_BIN:$PATH
export LPS_EXEC_PATH PATH
DATA=$TOP/tests/data

TRASH_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/lps-test.XXXXXX")
TRASH=$TRASH_ROOT/trash
HOME=$TRASH_ROOT/home
mkdir -p "$TRASH" "$HOME"
export HOME
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE VISUAL EDITOR LPS_SCHEMA_DIR \
	GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
GIT_CONFIG_NOSYSTEM=1
GIT_AUTHOR_DATE='2026-09-01T10:00:00Z'
GIT_COMMITTER_DATE='2026-09-01T10:00:00Z'
NO_COLOR=1
LC_ALL=C.UTF-8
export GIT_CONFIG_NOSYSTEM NO_COLOR LC_ALL GIT_AUTHOR_DATE GIT_COMMITTER_DATE
git config --global user.name 'Test Leader'
git config --global user.email 'leader@example.org'
git config --global init.defaultBranch main
cd "$TRASH" || exit 4

test_count=0
test_failed=0
trap 'rm -rf "$TRASH_ROOT"' EXIT

test_expect_success() { # name body
	test_count=$((test_count + 1))
	if (cd "$TRASH" && set -e && eval "$2") >"$TRASH_ROOT/out.log" 2>&1
	then
		echo "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		sed 's/^/#	/' "$TRASH_ROOT/out.log"
	fi
}

test_done() {
	echo "# $((test_count - test_failed)) passed, $test_failed failed"
	[ "$test_failed" -eq 0 ]
	exit $?
}

# run_lps CODE ARGS...: run lps ARGS with stdout to $OUT and stderr to
# $ERR (outside any repository); fail unless the exit status is CODE.
OUT=$TRASH_ROOT/out
ERR=$TRASH_ROOT/err
run_lps() {
	want=$1; shift
	set +e
	lps "$@" >"$OUT" 2>"$ERR"
	got=$?
	set -e
	if [ "$got" -ne "$want" ]; then
		echo "lps $*: exit $got, expected $want"
		echo "--- stdout"; cat "$OUT"
		echo "--- stderr"; cat "$ERR"
		return 1
	fi
}

# test_cmp EXPECTED ACTUAL: files are equal (shows a diff otherwise).
test_cmp() {
	diff -u "$1" "$2"
}

# expect_out TEXT: $OUT is exactly TEXT plus a newline.
expect_out() {
	printf '%s\n' "$1" >"$TRASH_ROOT/expect"
	test_cmp "$TRASH_ROOT/expect" "$OUT"
}

# expect_err TEXT: $ERR is exactly TEXT plus a newline.
expect_err() {
	printf '%s\n' "$1" >"$TRASH_ROOT/expect"
	test_cmp "$TRASH_ROOT/expect" "$ERR"
}

# expect_empty FILE
expect_empty() {
	if [ -s "$1" ]; then echo "$1 is not empty:"; cat "$1"; return 1; fi
}

# git_clean [DIR]: fsck --strict is clean and nothing is uncommitted.
git_clean() {
	d=${1:-.}
	git -C "$d" fsck --strict --no-progress >"$TRASH_ROOT/fsck" 2>&1 ||
		{ cat "$TRASH_ROOT/fsck"; return 1; }
	st=$(git -C "$d" status --porcelain)
	if [ -n "$st" ]; then echo "git status not clean:"; echo "$st"; return 1; fi
}

# commit_count N [DIR]: the current branch has N commits.
commit_count() {
	n=$(git -C "${2:-.}" rev-list --count HEAD 2>/dev/null || echo 0)
	if [ "$n" -ne "$1" ]; then echo "expected $1 commits, got $n"; return 1; fi
}
