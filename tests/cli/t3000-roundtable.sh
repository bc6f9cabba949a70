#!/bin/sh
# lps roundtable join, leave, members, show against a bare repository;
# lps <thing> set ID visibility=...
. "$(dirname "$0")/lib.sh"

export LPS_TODAY=2026-10-01
RT=$TRASH_ROOT/rt.git
git init -q --bare "$RT"
lps init "$TRASH_ROOT/p" --name "Ada Lee" --role principal --school "Lincoln Elementary" >/dev/null
P=$TRASH_ROOT/p

test_expect_success 'join: remote, lps.handle, one commit writing owner.handle' '
	cd $P &&
	lps roundtable join "$RT" --as ada-1 >$TRASH/out &&
	echo "Joined the roundtable at $RT as ada-1" >$TRASH/expect && test_cmp $TRASH/expect $TRASH/out &&
	test "$(git config lps.handle)" = ada-1 &&
	test "$(git config remote.roundtable.url)" = "$RT" &&
	git config --get-all remote.roundtable.fetch >$TRASH/fetch &&
	printf "%s\n" "+refs/heads/*:refs/remotes/roundtable/*" >$TRASH/expect &&
	test_cmp $TRASH/expect $TRASH/fetch &&
	commit_count 2 &&
	git log -1 --format=%B >$TRASH/msg &&
	printf "%s\n" "roundtable: join as ada-1" "" "LPS-Command: roundtable join" "LPS-Phase: purpose" "" >$TRASH/expect &&
	test_cmp $TRASH/expect $TRASH/msg &&
	grep -q "^  handle: ada-1$" lps.yaml && git_clean . && lps check
'

test_expect_success 'join twice is refused; bad handles are usage errors' '
	cd $P &&
	set +e; lps roundtable join "$RT" --as ada-1 2>$TRASH/err; rc=$?; set -e &&
	test $rc = 3 &&
	echo "lps: error: already in a roundtable at $RT; run lps roundtable leave first" >$TRASH/expect &&
	test_cmp $TRASH/expect $TRASH/err &&
	for h in Ada -ada "a b" "" aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; do
		set +e; lps roundtable join "$RT" --as "$h" 2>$TRASH/err; rc=$?; set -e
		test $rc = 2 || { echo "handle [$h]: $rc"; exit 1; }
	done &&
	set +e; lps roundtable join "$RT" 2>$TRASH/err; rc=$?; set -e && test $rc = 2 &&
	commit_count 2
'

test_expect_success 'leave removes the remote and lps.handle; the handle stays in lps.yaml' '
	cd $P && lps push >/dev/null && lps pull >/dev/null &&
	lps roundtable leave >$TRASH/out &&
	echo "Left the roundtable at $RT (handle ada-1)" >$TRASH/expect && test_cmp $TRASH/expect $TRASH/out &&
	test -z "$(git config lps.handle || :)" &&
	test -z "$(git config remote.roundtable.url || :)" &&
	test -z "$(git for-each-ref refs/remotes/roundtable refs/lps)" &&
	grep -q "^  handle: ada-1$" lps.yaml && commit_count 2 &&
	set +e; lps roundtable leave 2>$TRASH/err; rc=$?; set -e && test $rc = 1 &&
	echo "lps: error: not in a roundtable; run lps roundtable join URL --as HANDLE" >$TRASH/expect &&
	test_cmp $TRASH/expect $TRASH/err
'

test_expect_success 'rejoin under the same handle makes no commit' '
	cd $P && lps roundtable join "file://$RT" --as ada-1 >/dev/null && commit_count 2 && git_clean .
'

test_expect_success 'members and show read the fetched branches' '
	cd $P &&
	lps goal add "Raise reading" --agenda student >/dev/null &&
	lps reflect -m "hidden" >/dev/null &&
	lps push >/dev/null && lps pull >/dev/null &&
	lps roundtable members >$TRASH/out &&
	echo "ada-1: Ada Lee (principal, Lincoln Elementary), cycle 2026-2027, phase purpose, 1 goal, last activity 2026-09-01" >$TRASH/expect &&
	test_cmp $TRASH/expect $TRASH/out &&
	lps roundtable members --format json >$TRASH/m.json &&
	lps validate --schema "$TOP/schemas/out-roundtable-members.schema.yaml" $TRASH/m.json &&
	g=$(ls goals | sed "s/\.yaml$//") &&
	lps roundtable show ada-1 >$TRASH/out &&
	cat >$TRASH/expect <<-EOF &&
	ada-1: Ada Lee (principal, Lincoln Elementary), cycle 2026-2027, phase purpose, 1 goal, last activity 2026-09-01
	goals:
	  $g  Raise reading
	evidence:
	reflections:
	EOF
	test_cmp $TRASH/expect $TRASH/out &&
	lps roundtable show ada-1 goal ${g#g-} >$TRASH/out &&
	test_cmp goals/$g.yaml $TRASH/out &&
	lps roundtable show ada-1 goal $g --format json >$TRASH/g.json &&
	lps validate --schema goal $TRASH/g.json &&
	lps roundtable show ada-1 --format json >$TRASH/s.json &&
	lps validate --schema "$TOP/schemas/out-roundtable-show.schema.yaml" $TRASH/s.json
'

test_expect_success 'show: unknown member, unknown id, bad kind' '
	cd $P &&
	set +e; lps roundtable show zed 2>$TRASH/err; rc=$?; set -e && test $rc = 1 &&
	echo "lps: error: no member \"zed\" (run lps pull to fetch)" >$TRASH/expect &&
	test_cmp $TRASH/expect $TRASH/err &&
	set +e; lps roundtable show ADA-1 2>$TRASH/err; rc=$?; set -e && test $rc = 1 &&
	echo "lps: error: no member \"ADA-1\" (a handle is lowercase letters, digits and dashes)" >$TRASH/expect &&
	test_cmp $TRASH/expect $TRASH/err &&
	set +e; lps roundtable show ada-1 goal ffff 2>$TRASH/err; rc=$?; set -e && test $rc = 1 &&
	set +e; lps roundtable show ada-1 meeting x 2>$TRASH/err; rc=$?; set -e && test $rc = 2 &&
	set +e; lps roundtable bogus 2>$TRASH/err; rc=$?; set -e && test $rc = 2
'

test_expect_success 'set visibility on evidence, reflection and feedback' '
	cd $P &&
	r=$(ls reflections | sed "s/\.yaml$//") &&
	lps reflection set $r visibility=roundtable >$TRASH/out &&
	echo "Updated reflection $r: visibility=roundtable" >$TRASH/expect && test_cmp $TRASH/expect $TRASH/out &&
	git log -1 --format=%B >$TRASH/msg &&
	printf "%s\n" "reflection: set $r visibility=roundtable" "" "LPS-Command: reflection set" "LPS-Phase: purpose" "" >$TRASH/expect &&
	test_cmp $TRASH/expect $TRASH/msg &&
	n=$(git rev-list --count HEAD) &&
	lps reflection set $r visibility=roundtable >$TRASH/out &&
	echo "nothing changed" >$TRASH/expect && test_cmp $TRASH/expect $TRASH/out &&
	test $(git rev-list --count HEAD) = $n &&
	lps feedback add --from Bo --kind affirmation -m "Nice" >/dev/null &&
	f=$(ls feedback | sed "s/\.yaml$//") &&
	lps feedback set $f visibility=private >/dev/null &&
	grep -q "^visibility: private$" feedback/$f.yaml &&
	lps evidence add --title "Survey" --goal $(ls goals | sed "s/\.yaml$//") --kind perceptual >/dev/null &&
	e=$(ls evidence | sed "s/\.yaml$//") &&
	lps evidence set $e visibility=private >/dev/null &&
	grep -q "^visibility: private$" evidence/$e.yaml &&
	n=$(git rev-list --count HEAD) &&
	set +e; lps evidence set $e visibility=roundtable 2>$TRASH/err; rc=$?; set -e && test $rc = 2 &&
	echo "lps: error: visibility must be shared or private, got '"'"'roundtable'"'"'" >$TRASH/expect &&
	test_cmp $TRASH/expect $TRASH/err &&
	set +e; lps reflection set $r title=x 2>$TRASH/err; rc=$?; set -e && test $rc = 2 &&
	set +e; lps feedback set $f 2>$TRASH/err; rc=$?; set -e && test $rc = 2 &&
	test $(git rev-list --count HEAD) = $n && git_clean . && lps check
'

test_done
