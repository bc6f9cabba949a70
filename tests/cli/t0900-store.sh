#!/bin/sh
# t0900-store.sh - what the store writes, checked with the real git:
# commits, messages and trailers, the index and working tree afterwards,
# refusals, two writers committing at once, and writers killed midway.  Uses the storeload
# helper ($LPS_TEST_BUILD/tests/storeload), which commits through
# lps_store_commit and reports errors as the product does.
. "$(dirname "$0")/lib.sh"

: "${LPS_TEST_BUILD:=$TOP/build/std}"
STORELOAD=$LPS_TEST_BUILD/tests/storeload

# storeload_run CODE ARGS...: like run_lps, for the helper.
storeload_run() {
	want=$1; shift
	set +e
	"$STORELOAD" "$@" >"$OUT" 2>"$ERR"
	got=$?
	set -e
	if [ "$got" -ne "$want" ]; then
		echo "storeload $*: exit $got, expected $want"
		echo "--- stderr"; cat "$ERR"
		return 1
	fi
}

# new_repo DIR: a repository with one initial commit made by git.
new_repo() {
	git init -q "$1" &&
	echo "readme" >"$1/README" &&
	git -C "$1" add README &&
	git -C "$1" commit -q -m initial
}

test_expect_success 'the helper is built' '
	test -x "$STORELOAD"
'

test_expect_success 'a commit has the exact message, author and trailers' '
	new_repo one &&
	GIT_AUTHOR_DATE="2026-09-01T10:00:00Z" \
	GIT_COMMITTER_DATE="2026-09-01T10:00:00Z" \
	storeload_run 0 one goal 1 &&
	expect_empty "$ERR" &&
	git -C one log -1 --format=%B >actual &&
	printf "load: goal 0\n\nLPS-Command: storeload\nLPS-Phase: focus\n\n" >expect &&
	test_cmp expect actual &&
	git -C one log -1 --format="%an <%ae>|%cn <%ce>|%aI|%cI" >actual &&
	echo "Test Leader <leader@example.org>|Test Leader <leader@example.org>|2026-09-01T10:00:00+00:00|2026-09-01T10:00:00+00:00" >expect &&
	test_cmp expect actual &&
	git -C one log -1 --format="%(trailers:key=LPS-Command,valueonly)" >actual &&
	printf "storeload\n\n" >expect &&
	test_cmp expect actual &&
	git -C one log -1 --format="%(trailers:key=LPS-Phase,valueonly)" >actual &&
	printf "focus\n\n" >expect &&
	test_cmp expect actual &&
	git -C one show --name-status --format= HEAD >actual &&
	printf "A\tgoal-0.yaml\n" >expect &&
	test_cmp expect actual &&
	printf "prefix: goal\nn: 0\n" >expect &&
	test_cmp expect one/goal-0.yaml &&
	git -C one show HEAD:goal-0.yaml >actual &&
	test_cmp expect actual &&
	commit_count 2 one &&
	git_clean one
'

test_expect_success 'the reflog reads as git writes it' '
	git -C one reflog -1 --format=%gs main >actual &&
	echo "commit: load: goal 0" >expect &&
	test_cmp expect actual &&
	git -C one reflog -1 --format=%gs HEAD >actual &&
	test_cmp expect actual
'

test_expect_success 'the index is up to date without rehashing' '
	git -C one ls-files --stage goal-0.yaml >actual &&
	echo "100644 $(git -C one rev-parse HEAD:goal-0.yaml) 0	goal-0.yaml" >expect &&
	test_cmp expect actual &&
	git -C one diff-files --quiet &&
	git -C one diff-index --cached --quiet HEAD
'

test_expect_success 'overwriting in place keeps git clean' '
	storeload_run 0 one goal 2 &&
	commit_count 4 one &&
	git -C one log --format=%s -3 >actual &&
	printf "load: goal 1\nload: goal 0\nload: goal 0\n" >expect &&
	test_cmp expect actual &&
	git_clean one
'

test_expect_success 'a file with uncommitted edits is refused, nothing written' '
	echo "my own words" >one/goal-0.yaml &&
	before=$(git -C one rev-parse HEAD) &&
	storeload_run 3 one goal 1 &&
	echo "lps: error: goal-0.yaml: has uncommitted changes; commit or discard them first" >expect &&
	test_cmp expect "$ERR" &&
	test "$(git -C one rev-parse HEAD)" = "$before" &&
	echo "my own words" >expect &&
	test_cmp expect one/goal-0.yaml &&
	test ! -e one/.git/index.lock &&
	git -C one checkout -- goal-0.yaml &&
	git_clean one
'

test_expect_success 'a staged change is refused too' '
	echo "staged words" >one/goal-0.yaml &&
	git -C one add goal-0.yaml &&
	git -C one show HEAD:goal-0.yaml >one/goal-0.yaml &&
	storeload_run 3 one goal 1 &&
	echo "lps: error: goal-0.yaml: has uncommitted changes; commit or discard them first" >expect &&
	test_cmp expect "$ERR" &&
	git -C one reset -q goal-0.yaml &&
	git_clean one
'

test_expect_success 'a locked index is refused at once and left alone' '
	: >one/.git/index.lock &&
	before=$(git -C one rev-parse HEAD) &&
	storeload_run 3 one goal 1 &&
	echo "lps: error: cannot lock the index: $TRASH/one/.git/index.lock exists; another git process may be running (if not, remove that file)" >expect &&
	test_cmp expect "$ERR" &&
	test -e one/.git/index.lock &&
	test "$(git -C one rev-parse HEAD)" = "$before" &&
	rm one/.git/index.lock
'

test_expect_success 'an index.lock left by a killed lps is cleared; git'"'"'s is not' '
	printf "lps-store-lock\n" >one/.git/index.lock &&
	before=$(git -C one rev-parse HEAD) &&
	storeload_run 0 one stale 1 &&
	test ! -e one/.git/index.lock &&
	test "$(git -C one rev-parse HEAD^)" = "$before" &&
	git_clean one &&
	printf "DIRC" >one/.git/index.lock &&
	storeload_run 3 one stale2 1 &&
	test -e one/.git/index.lock &&
	rm one/.git/index.lock
'

test_expect_success 'a missing identity is refused, nothing written' '
	mkdir -p nohome &&
	before=$(git -C one rev-parse HEAD) &&
	set +e
	HOME=$TRASH/nohome "$STORELOAD" one other 1 >"$OUT" 2>"$ERR"
	code=$?
	set -e
	test "$code" -eq 3 &&
	echo "lps: error: no git identity: set it with: git config --global user.name \"Your Name\" && git config --global user.email you@example.org" >expect &&
	test_cmp expect "$ERR" &&
	test "$(git -C one rev-parse HEAD)" = "$before" &&
	test ! -e one/other-0.yaml
'

test_expect_success 'outside a repository' '
	mkdir -p norepo &&
	storeload_run 1 norepo x 1 &&
	echo "lps: error: not a git repository (or any parent): $TRASH/norepo" >expect &&
	test_cmp expect "$ERR"
'

test_expect_success 'a detached HEAD is refused' '
	git -C one checkout -q --detach &&
	storeload_run 3 one goal 1 &&
	echo "lps: error: HEAD is detached; check out a branch first" >expect &&
	test_cmp expect "$ERR" &&
	git -C one checkout -q main
'

test_expect_success 'the first commit on an unborn branch' '
	git init -q fresh &&
	storeload_run 0 fresh g 1 &&
	commit_count 1 fresh &&
	test "$(git -C fresh rev-list --parents HEAD)" = "$(git -C fresh rev-parse HEAD)" &&
	git -C fresh reflog -1 --format=%gs main >actual &&
	echo "commit (initial): load: g 0" >expect &&
	test_cmp expect actual &&
	git_clean fresh
'

test_expect_success 'two writers at once: 200 commits, nothing lost' '
	new_repo busy
	"$STORELOAD" busy a 100 2>a.err & pa=$!
	"$STORELOAD" busy b 100 2>b.err & pb=$!
	sa=0; wait $pa || sa=$?
	sb=0; wait $pb || sb=$?
	cat a.err b.err &&
	test "$sa" -eq 0 && test "$sb" -eq 0 &&
	commit_count 201 busy &&
	git -C busy ls-tree --name-only HEAD >names &&
	test "$(grep -c "^a-[0-9]*\.yaml$" names)" -eq 100 &&
	test "$(grep -c "^b-[0-9]*\.yaml$" names)" -eq 100 &&
	test "$(ls busy | grep -c "\.yaml$")" -eq 200 &&
	git -C busy log --format=%s >subjects &&
	test "$(grep -c "^load: a " subjects)" -eq 100 &&
	test "$(grep -c "^load: b " subjects)" -eq 100 &&
	git -C busy show HEAD:a-99.yaml >actual &&
	printf "prefix: a\nn: 99\n" >expect &&
	test_cmp expect actual &&
	test_cmp expect busy/a-99.yaml &&
	test "$(git -C busy rev-list --min-parents=2 --count HEAD)" -eq 0 &&
	git_clean busy
'

# Killed at any moment, a writer leaves the old or the new commit; when
# the kill falls between moving the branch and updating the index and
# working tree, the next lps to open the repository finishes that step
# (the note <gitdir>/lps-pending says which commit).
test_expect_success 'a writer killed at any moment: the next lps finishes its commit' '
	new_repo killed &&
	for d in 0.01 0.02 0.03 0.05 0.07 0.11 0.13 0.17 0.19 0.23; do
		timeout -s KILL $d "$STORELOAD" killed k$d 1000 2>/dev/null || :
		git -C killed fsck --strict --no-progress >fsck 2>&1 || { cat fsck; exit 1; }
		storeload_run 0 killed after$d 1 && git_clean killed || exit 1
	done &&
	test ! -e killed/.git/lps-pending &&
	test "$(ls killed | grep -c "\.yaml$")" -eq "$(git -C killed ls-tree --name-only HEAD | grep -c "\.yaml$")"
'

test_done
