#!/bin/sh
# t0950-index.sh - the index lps writes after each commit, checked with
# the real git: the plain index lps splices itself (lib/gitindex.c), and
# the forms it leaves to libgit2 (version 4, resolve-undo, split and
# sparse indexes) behaving as they did.
. "$(dirname "$0")/lib.sh"

LPS_TODAY=2026-10-01
export LPS_TODAY
T=$TRASH_ROOT

# index_is_head: nothing uncommitted or staged, git fsck clean, and the
# index holds exactly HEAD's tree (entries, and the trees git builds
# from it with its cache-tree).
index_is_head() {
	git_clean &&
	git diff --cached --quiet &&
	git ls-files --stage | awk -F'\t' '{ split($1, a, " ");
		print a[1], a[2], a[3], $2 }' >"$T/ix" &&
	git ls-tree -r HEAD | awk -F'\t' '{ split($1, a, " ");
		print a[1], a[3], 0, $2 }' >"$T/head" &&
	test_cmp "$T/head" "$T/ix" &&
	test "$(git write-tree)" = "$(git rev-parse "HEAD^{tree}")"
}

# add N: lps goal add N goals.
add() {
	i=0
	while [ "$i" -lt "$1" ]; do
		i=$((i + 1))
		lps goal add "Goal $i" --agenda student >/dev/null || return 1
	done
}

version() {
	od -An -tu1 -j7 -N1 .git/index | tr -d ' '
}

test_expect_success 'lps writes an index git agrees with' '
	lps init p --name "Ada Lovelace" --role principal \
		--cycle 2026-2027 >/dev/null &&
	cd p &&
	add 3 &&
	index_is_head &&
	test "$(version)" = 2
'

test_expect_success 'git commits on top of it' '
	cd p &&
	echo "my notes" >notes.txt &&
	git add notes.txt &&
	git commit -q -m "notes" &&
	index_is_head &&
	add 1 &&
	index_is_head &&
	echo "more notes" >>notes.txt &&
	git commit -q -a -m "more notes" &&
	index_is_head &&
	test "$(git rev-list --count HEAD)" -eq 7
'

test_expect_success 'changes staged elsewhere stay staged' '
	cd p &&
	echo "staged line" >>notes.txt &&
	echo "new file" >extra.txt &&
	git add notes.txt extra.txt &&
	echo "not staged" >>notes.txt &&
	git diff --cached >"$T/staged.before" &&
	git diff >"$T/unstaged.before" &&
	add 2 &&
	git diff --cached >"$T/staged.after" &&
	git diff >"$T/unstaged.after" &&
	test_cmp "$T/staged.before" "$T/staged.after" &&
	test_cmp "$T/unstaged.before" "$T/unstaged.after" &&
	git status --porcelain >"$T/st" &&
	printf "A  extra.txt\nMM notes.txt\n" >"$T/st.expect" &&
	test_cmp "$T/st.expect" "$T/st" &&
	git commit -q -a -m "mine" &&
	index_is_head
'

# A file rewritten within the second its entry was staged, with the same
# size and mtime: only its content tells.  lps must smudge the entry
# (size 0) when it writes the index, as git does, or git, trusting the
# stat data once the index is newer, would never look at it again.
test_expect_success 'a file changed behind the stat data is not hidden' '
	cd p &&
	f=$(git ls-files goals | head -n 1) &&
	cp "$f" "$T/orig" &&
	touch -d "2020-01-01 00:00:00" "$f" &&
	git update-index --refresh >/dev/null &&
	sed "s/Goal/Gaol/" "$T/orig" >"$f" &&
	test "$(wc -c <"$f")" -eq "$(wc -c <"$T/orig")" &&
	touch -d "2020-01-01 00:00:00" "$f" .git/index &&
	add 1 &&
	git -c core.checkStat=minimal -c core.trustctime=false \
		status --porcelain >"$T/st" &&
	echo " M $f" >"$T/st.expect" &&
	test_cmp "$T/st.expect" "$T/st" &&
	cp "$T/orig" "$f" &&
	index_is_head
'

# An index without a checksum (index.skipHash; all zeros): libgit2 1.5
# cannot read it, lps can, and keeps it so.  A file whose stat data
# changed is hashed with the filters of .gitattributes, which libgit2
# looks for in the index too: lps must not let it read the whole index
# for that (it failed here, and cost 0.48e9 instructions at 100,000
# goals).
test_expect_success 'a skip-hash index, and a file hashed through the attributes' '
	cd p &&
	echo "*.txt text" >.gitattributes &&
	git add .gitattributes && git commit -q -m attributes &&
	f=$(git ls-files goals | head -n 1) &&
	id=$(basename "$f" .yaml) &&
	size=$(wc -c <.git/index) &&
	dd if=/dev/zero of=.git/index bs=1 seek=$((size - 20)) count=20 \
		conv=notrunc 2>/dev/null &&
	touch -d "2020-01-01 00:00:00" "$f" &&
	lps goal set $id title="Skip hash" >/dev/null &&
	test "$(tail -c 20 .git/index | od -An -tx1 | tr -d " \n")" = \
		"0000000000000000000000000000000000000000" &&
	git status --porcelain >"$T/st" &&
	expect_empty "$T/st" &&
	git diff --cached --quiet &&
	git update-index --refresh >/dev/null &&
	git commit -q --allow-empty -m "checksum back" &&
	index_is_head
'

test_expect_success 'version 4, written by libgit2 as before' '
	cd p &&
	git update-index --index-version 4 &&
	add 1 &&
	test "$(version)" = 4 &&
	index_is_head &&
	git update-index --index-version 2 &&
	add 1 &&
	test "$(version)" = 2 &&
	index_is_head
'

test_expect_success 'an index with resolve-undo, written by libgit2' '
	cd p &&
	git checkout -q -b side &&
	echo side >>notes.txt && git commit -q -a -m side &&
	git checkout -q main &&
	echo main >>notes.txt && git commit -q -a -m main &&
	test_must_fail_merge() { git merge side >/dev/null 2>&1 && exit 1; :; } &&
	test_must_fail_merge &&
	echo resolved >notes.txt && git add notes.txt &&
	git commit -q --no-edit &&
	grep -q REUC .git/index &&
	add 1 &&
	index_is_head
'

test_expect_success 'split and sparse indexes are refused as before' '
	cd p &&
	head=$(git rev-parse HEAD) &&
	git update-index --split-index &&
	run_lps 4 goal add "Split" --agenda student &&
	expect_err "lps: error: cannot read the index: unsupported mandatory extension: '"'"'link'"'"'" &&
	test "$(git rev-parse HEAD)" = "$head" &&
	test ! -e .git/index.lock &&
	git update-index --no-split-index &&
	git sparse-checkout set --cone --sparse-index goals >/dev/null 2>&1 &&
	run_lps 4 goal add "Sparse" --agenda student &&
	expect_err "lps: error: cannot read the index: unsupported mandatory extension: '"'"'sdir'"'"'" &&
	test "$(git rev-parse HEAD)" = "$head" &&
	git sparse-checkout disable &&
	index_is_head
'

test_done
