#!/bin/sh
# lps push / lps pull against a bare roundtable repository: what is private
# never reaches it, pushes are incremental, three members each with their
# own HOME see each other, a second machine of one member pushes and the
# first pulls and continues, and killed pushes and pulls leave the
# portfolio intact.
. "$(dirname "$0")/lib.sh"

export LPS_TODAY=2026-10-01
RT=$TRASH_ROOT/rt.git
git init -q --bare "$RT"

# as NAME CMD...: run CMD with NAME's own HOME (git identity of NAME).
as() {
	who=$1; shift
	h=$TRASH_ROOT/home-$who
	if [ ! -d "$h" ]; then
		mkdir -p "$h"
		HOME=$h git config --global user.name "$who"
		HOME=$h git config --global user.email "$who@example.org"
		HOME=$h git config --global init.defaultBranch main
	fi
	HOME=$h "$@"
}

# count of objects in the roundtable holding TEXT
leaks() {
	git -C "$RT" cat-file --batch-all-objects --batch | grep -c "$1" || :
}

test_expect_success 'three members join and push' '
	for m in ada bo cy; do
		as $m lps init $TRASH_ROOT/$m --name "Member $m" --role principal >/dev/null &&
		(cd $TRASH_ROOT/$m && as $m lps roundtable join "$RT" --as $m >/dev/null &&
		 as $m lps push >$TRASH_ROOT/push.out &&
		 grep -q "^Pushed 2 commits to members/$m (" $TRASH_ROOT/push.out) || exit 1
	done &&
	git -C "$RT" for-each-ref --format="%(refname)" >$TRASH/refs &&
	printf "%s\n" refs/heads/members/ada refs/heads/members/bo refs/heads/members/cy >$TRASH/expect &&
	test_cmp $TRASH/expect $TRASH/refs
'

test_expect_success 'private reflection and private attachment never reach the roundtable' '
	cd $TRASH_ROOT/ada &&
	as ada lps reflect -m "CANARY-REFLECTION-7f3a private thoughts" >/dev/null &&
	as ada lps goal add "Raise reading" --agenda student >/dev/null &&
	printf "CANARY-ATTACHMENT-9b2c\n" >notes.txt &&
	g=$(ls goals | sed "s/\.yaml$//") &&
	as ada lps evidence attach notes.txt --goal $g --title "CANARY-TITLE-1d4e" >/dev/null &&
	rm notes.txt &&
	e=$(ls evidence/*.yaml | sed "s|evidence/||; s/\.yaml$//") &&
	as ada lps evidence set $e visibility=private >/dev/null &&
	as ada lps push >$TRASH/out &&
	grep -q "^Pushed 4 commits to members/ada" $TRASH/out &&
	test "$(leaks CANARY)" = 0 &&
	git -C "$RT" ls-tree -r --name-only members/ada >$TRASH/tree &&
	printf "%s\n" goals/$g.yaml lps.yaml >$TRASH/expect &&
	test_cmp $TRASH/expect $TRASH/tree &&
	git -C "$RT" log --format=%s members/ada >$TRASH/subjects &&
	grep -qx "reflection: private change" $TRASH/subjects &&
	grep -qx "evidence: private change" $TRASH/subjects &&
	git_clean . && lps check
'

test_expect_success 'a reflection shared with the roundtable is published' '
	cd $TRASH_ROOT/ada &&
	r=$(ls reflections | sed "s/\.yaml$//") &&
	as ada lps reflection set $r visibility=roundtable >/dev/null &&
	as ada lps push >/dev/null &&
	test "$(leaks CANARY-REFLECTION)" = 1 &&
	test "$(leaks CANARY-ATTACHMENT)" = 0 &&
	git -C "$RT" show members/ada:reflections/$r.yaml | grep -q "visibility: roundtable"
'

test_expect_success 'a self-assessment made private never reaches the roundtable' '
	cd $TRASH_ROOT/ada &&
	as ada lps assess issl.1a --rating developing -m "CANARY-ASSESS-5e6f" >/dev/null &&
	as ada lps assess set issl.1a visibility=private >/dev/null &&
	as ada lps push >$TRASH/out &&
	grep -q "^Pushed 2 commits to members/ada" $TRASH/out &&
	test "$(leaks CANARY-ASSESS)" = 0 &&
	! git -C "$RT" ls-tree -r --name-only members/ada | grep -q "^assessments/"
'

test_expect_success 'pushing again with nothing new sends nothing' '
	cd $TRASH_ROOT/ada &&
	before=$(git -C "$RT" rev-parse members/ada) &&
	objects=$(git -C "$RT" count-objects -v | sed -n "s/^count: //p") &&
	as ada lps push >$TRASH/out &&
	echo "Everything up to date" >$TRASH/expect && test_cmp $TRASH/expect $TRASH/out &&
	test "$(git -C "$RT" rev-parse members/ada)" = "$before" &&
	test "$(git -C "$RT" count-objects -v | sed -n "s/^count: //p")" = "$objects"
'

test_expect_success 'one new commit sends exactly one commit' '
	cd $TRASH_ROOT/ada &&
	n=$(git -C "$RT" rev-list --count members/ada) &&
	g=$(ls goals | sed "s/\.yaml$//") &&
	as ada lps goal set $g title="Raise reading to 80%" >/dev/null &&
	as ada lps push >$TRASH/out &&
	grep -q "^Pushed 1 commit to members/ada" $TRASH/out &&
	test $(git -C "$RT" rev-list --count members/ada) = $((n + 1)) &&
	git -C "$RT" log -1 --format=%s members/ada >$TRASH/subj &&
	echo "goal: set $g title=Raise reading to 80%" >$TRASH/expect && test_cmp $TRASH/expect $TRASH/subj
'

test_expect_success 'projection is deterministic: a clone publishes the same commits' '
	git clone -q $TRASH_ROOT/ada $TRASH_ROOT/ada2 &&
	cd $TRASH_ROOT/ada2 &&
	as ada lps roundtable join "$RT" --as ada >$TRASH/out &&
	test $(git rev-list --count HEAD) = $(git -C $TRASH_ROOT/ada rev-list --count HEAD) &&
	as ada lps push >$TRASH/out &&
	echo "Everything up to date" >$TRASH/expect && test_cmp $TRASH/expect $TRASH/out
'

test_expect_success 'members see each other after pull' '
	cd $TRASH_ROOT/bo && as bo lps pull >$TRASH/out &&
	echo "Already up to date" >$TRASH/expect && test_cmp $TRASH/expect $TRASH/out &&
	as bo lps roundtable members >$TRASH/out &&
	cat >$TRASH/expect <<-EOF &&
	ada: Member ada (principal), cycle 2026-2027, phase purpose, 1 goal, last activity 2026-09-01
	bo: Member bo (principal), cycle 2026-2027, phase purpose, 0 goals, last activity 2026-09-01
	cy: Member cy (principal), cycle 2026-2027, phase purpose, 0 goals, last activity 2026-09-01
	EOF
	test_cmp $TRASH/expect $TRASH/out &&
	cd $TRASH_ROOT/cy && as cy lps pull >/dev/null &&
	as cy lps roundtable members --format json >$TRASH/out.json &&
	lps validate --schema "$TOP/schemas/out-roundtable-members.schema.yaml" $TRASH/out.json &&
	grep -q "\"handle\": \"ada\"" $TRASH/out.json
'

test_expect_success 'second machine pushes; the first is refused, pulls and continues' '
	cd $TRASH_ROOT/ada2 &&
	as ada lps goal add "Written on the laptop" --agenda system >/dev/null &&
	as ada lps push >/dev/null &&
	cd $TRASH_ROOT/ada &&
	as ada lps goal add "Written at school" --agenda professional >/dev/null &&
	head=$(git rev-parse HEAD) &&
	set +e; as ada lps push >$TRASH/out 2>$TRASH/err; rc=$?; set -e &&
	test $rc = 3 &&
	echo "lps: error: members/ada on the roundtable has commits this machine has not seen; run lps pull first" >$TRASH/expect &&
	test_cmp $TRASH/expect $TRASH/err &&
	test "$(git rev-parse HEAD)" = "$head" &&
	as ada lps pull >$TRASH/out &&
	echo "Replayed 1 commit from the roundtable and put 1 local commit on top" >$TRASH/expect &&
	test_cmp $TRASH/expect $TRASH/out &&
	git log -1 --format=%B HEAD~1 >$TRASH/msg &&
	grep -q "^goal: add g-.* \"Written on the laptop\"$" $TRASH/msg &&
	grep -q "^LPS-Command: goal add$" $TRASH/msg &&
	grep -q "^LPS-Replayed-From: [0-9a-f]\{40\}$" $TRASH/msg &&
	test "$(git log -1 --format=%an HEAD~1)" = ada &&
	git log -1 --format=%B >$TRASH/msg &&
	grep -q "^goal: add g-.* \"Written at school\"$" $TRASH/msg &&
	! grep -q "^LPS-Replayed-From:" $TRASH/msg &&
	test "$(git rev-parse HEAD~2)" = "$(git rev-parse $head~1)" &&
	git_clean . && lps check &&
	test $(ls goals | wc -l) = 3 &&
	as ada lps push >$TRASH/out &&
	echo "Pushed 1 commit to members/ada ($(git -C "$RT" rev-parse --short members/ada))" >$TRASH/expect &&
	test_cmp $TRASH/expect $TRASH/out &&
	git -C "$RT" merge-base --is-ancestor $(git -C $TRASH_ROOT/ada2 rev-parse refs/lps/published) members/ada &&
	cd $TRASH_ROOT/ada2 && as ada lps pull >$TRASH/out && test $(ls goals | wc -l) = 3 &&
	echo "Replayed 1 commit from the roundtable" >$TRASH/expect && test_cmp $TRASH/expect $TRASH/out &&
	as ada lps push >$TRASH/out && git_clean . && lps check &&
	echo "Everything up to date" >$TRASH/expect && test_cmp $TRASH/expect $TRASH/out
'

# After one exchange both machines agree: nothing to pull or push on
# either side, the published line has no merges and stops growing.
test_expect_success 'after a divergence the two machines settle' '
	n=$(git -C "$RT" rev-list --count members/ada) &&
	for round in 1 2; do
		cd $TRASH_ROOT/ada && as ada lps pull >$TRASH/out &&
		echo "Already up to date" >$TRASH/expect && test_cmp $TRASH/expect $TRASH/out &&
		as ada lps push >$TRASH/out &&
		echo "Everything up to date" >$TRASH/expect && test_cmp $TRASH/expect $TRASH/out &&
		cd $TRASH_ROOT/ada2 && as ada lps pull >$TRASH/out &&
		echo "Already up to date" >$TRASH/expect && test_cmp $TRASH/expect $TRASH/out || exit 1
	done &&
	test "$(git -C "$RT" rev-list --count members/ada)" = "$n" &&
	test "$(git -C "$RT" rev-list --merges --count members/ada)" = 0 &&
	cd $TRASH_ROOT/ada && git_clean . && cd $TRASH_ROOT/ada2 && git_clean .
'

test_expect_success 'the same document changed on both machines: pull refuses naming it' '
	cd $TRASH_ROOT/ada2 && as ada lps pull >/dev/null &&
	cd $TRASH_ROOT/ada && as ada lps pull >/dev/null && as ada lps push >/dev/null &&
	cd $TRASH_ROOT/ada2 && as ada lps pull >/dev/null &&
	g=$(ls goals | head -n 1 | sed "s/\.yaml$//") &&
	as ada lps goal set $g statement="laptop words" >/dev/null && as ada lps push >/dev/null &&
	cd $TRASH_ROOT/ada &&
	as ada lps goal set $g statement="school words" >/dev/null &&
	head=$(git rev-parse HEAD) &&
	set +e; as ada lps pull >$TRASH/out 2>$TRASH/err; rc=$?; set -e &&
	test $rc = 3 &&
	grep -q "^lps: error: both this machine and the roundtable copy changed goals/$g.yaml;" $TRASH/err &&
	test "$(git rev-parse HEAD)" = "$head" && git_clean .
'

# A kill can land between a commit's branch move and its index update
# (git status then shows the commit's files as staged the old way); the
# next lps finishes that commit (lib/store.h, lps_store_recover), so
# after each kill: the objects are sound, lps check is clean, and then
# git status is too.
killed_ok() {
	git fsck --strict --no-progress >$TRASH/fsck 2>&1 || { cat $TRASH/fsck; return 1; }
	lps check >$TRASH/check.out 2>&1 ||
		{ echo "lps check after a kill:"; cat $TRASH/check.out; return 1; }
	git_clean .
}

test_expect_success 'killed pushes and pulls leave the portfolio intact; a rerun completes' '
	git init -q --bare $TRASH_ROOT/rt2.git &&
	cd $TRASH_ROOT/cy &&
	as cy lps roundtable leave >/dev/null &&
	as cy lps roundtable join $TRASH_ROOT/rt2.git --as cy >/dev/null &&
	for i in 1 2 3 4 5 6; do
		as cy lps goal add "Goal $i" --agenda student >/dev/null || exit 1
		as cy timeout -s KILL 0.0$i lps push >/dev/null 2>&1 || :
		killed_ok || exit 1
	done &&
	as cy lps push >/dev/null &&
	n=$(git -C $TRASH_ROOT/rt2.git ls-tree --name-only members/cy goals/ | wc -l) &&
	{ test "$n" = 6 || { echo "members/cy holds $n goals, not 6"; git log --stat; exit 1; }; } &&
	git clone -q $TRASH_ROOT/cy $TRASH_ROOT/cy2 && cd $TRASH_ROOT/cy2 &&
	as cy lps roundtable join $TRASH_ROOT/rt2.git --as cy >/dev/null &&
	as cy lps goal add "Far away" --agenda system >/dev/null && as cy lps push >/dev/null &&
	cd $TRASH_ROOT/cy &&
	for i in 1 2 3 4 5; do
		as cy timeout -s KILL 0.0$i lps pull >/dev/null 2>&1 || :
		killed_ok || exit 1
	done &&
	as cy lps pull >/dev/null && as cy lps push >$TRASH/out &&
	n=$(ls goals | wc -l) &&
	{ test "$n" = 7 || { echo "goals/ holds $n goals, not 7"; git log --stat; exit 1; }; } &&
	git_clean . && lps check
'

# script(1) gives the command a terminal; its stdout goes to a file, so
# what script prints is what lps wrote on the terminal's stderr.
test_expect_success 'on a terminal, push and pull draw progress on stderr; -q and pipes do not' '
	cd $TRASH_ROOT/bo &&
	as bo lps goal add "Progress" --agenda student >/dev/null &&
	as bo script -qec "lps push >$TRASH/out" /dev/null >$TRASH/tty &&
	grep -q "Writing objects: 100% (" $TRASH/tty &&
	grep -q "^Pushed 1 commit to members/bo" $TRASH/out &&
	cd $TRASH_ROOT/ada2 && as ada script -qec "lps pull >$TRASH/out" /dev/null >$TRASH/tty &&
	grep -q "Receiving objects: 100% (" $TRASH/tty &&
	cd $TRASH_ROOT/bo && as bo lps goal add "Quiet" --agenda student >/dev/null &&
	as bo script -qec "lps push -q >$TRASH/out" /dev/null >$TRASH/tty &&
	! grep -q "objects" $TRASH/tty && test ! -s $TRASH/out &&
	as bo lps goal add "Piped" --agenda student >/dev/null &&
	as bo lps push >$TRASH/out 2>$TRASH/err && test ! -s $TRASH/err &&
	cd $TRASH_ROOT/ada2 && as ada lps pull >$TRASH/out 2>$TRASH/err && test ! -s $TRASH/err
'

test_expect_success 'a plain git clone of the roundtable shows readable YAML' '
	git clone -q "$RT" $TRASH_ROOT/plain 2>/dev/null &&
	cd $TRASH_ROOT/plain &&
	git branch -r >branches &&
	grep -q "origin/members/ada" branches && grep -q "origin/members/bo" branches &&
	git checkout -q origin/members/ada 2>/dev/null &&
	grep -q "^  handle: ada$" lps.yaml && ls goals/*.yaml >/dev/null &&
	! grep -rq CANARY-ATTACHMENT .
'

test_expect_success 'push and pull outside a roundtable: exit 1, nothing written' '
	as dee lps init $TRASH_ROOT/dee --name Dee --role principal >/dev/null &&
	cd $TRASH_ROOT/dee && head=$(git rev-parse HEAD) &&
	set +e; as dee lps push >$TRASH/out 2>$TRASH/err; rc=$?; set -e && test $rc = 1 &&
	echo "lps: error: not in a roundtable; run lps roundtable join URL --as HANDLE" >$TRASH/expect &&
	test_cmp $TRASH/expect $TRASH/err &&
	set +e; as dee lps pull >$TRASH/out 2>$TRASH/err; rc=$?; set -e && test $rc = 1 &&
	test_cmp $TRASH/expect $TRASH/err && test "$(git rev-parse HEAD)" = "$head" &&
	set +e; as dee lps push extra 2>$TRASH/err; rc=$?; set -e && test $rc = 2
'

test_done
