#!/bin/sh
# t3200-guard: lps-guard as the pre-receive hook of a bare roundtable
# repository, driven by real `git push` (plain git, as any member's git
# would push): what it lets in, what it refuses and the one line the
# pusher sees; install-guard.
. "$(dirname "$0")/lib.sh"

GUARD=$LPS_TEST_BIN/lps-guard

# hook_by_hand BARE: the hook a keeper could write without lps.
hook_by_hand() {
	printf '#!/bin/sh\nexec "%s" "$@"\n' "$GUARD" >"$1/hooks/pre-receive"
	chmod +x "$1/hooks/pre-receive"
}

# portfolio DIR HANDLE: a git repository holding a valid lps.yaml whose
# owner.handle is HANDLE, committed with plain git.
portfolio() {
	git init -q -b main "$1"
	cat >"$1/lps.yaml" <<EOF
lps: 1
owner:
  name: Member $2
  handle: $2
role: principal
cycle: 2026-2027
phase: purpose
created: 2026-09-01
EOF
	git -C "$1" add lps.yaml
	git -C "$1" commit -q -m "init"
}

# push_refused DIR REFSPEC LINE: git push DIR -> ../rt.git fails and the
# server's only message is LINE; the bare repository's refs are unchanged.
push_refused() {
	before=$(git -C rt.git for-each-ref)
	if git -C "$1" push ../rt.git "$2" >push.out 2>push.err; then
		echo "push $2 was accepted"; cat push.err; return 1
	fi
	sed -n 's/^remote: //p' push.err | sed 's/[[:space:]]*$//' >push.remote
	printf '%s\n' "$3" >push.expect
	test_cmp push.expect push.remote
	grep -q 'pre-receive hook declined' push.err
	after=$(git -C rt.git for-each-ref)
	[ "$before" = "$after" ] || { echo "refs changed"; return 1; }
}

test_expect_success 'setup: a bare roundtable with the guard as its hook' '
	git init -q --bare rt.git &&
	hook_by_hand rt.git &&
	portfolio ada ada &&
	portfolio bob bob
'

test_expect_success 'a valid member branch is accepted, then fast-forwards' '
	git -C ada push -q ../rt.git HEAD:members/ada &&
	mkdir ada/goals &&
	cat >ada/goals/g-0000000a.yaml <<-\EOF &&
	lps: 1
	id: g-0000000a
	title: Raise grade 3 reading
	agenda: student
	status: active
	cycle: 2026-2027
	created: 2026-09-02
	EOF
	git -C ada add goals &&
	git -C ada commit -q -m "goal: add" &&
	git -C ada push -q ../rt.git HEAD:members/ada &&
	test "$(git -C rt.git rev-parse members/ada)" = \
	     "$(git -C ada rev-parse HEAD)" &&
	git -C rt.git fsck --strict --no-progress
'

test_expect_success 'a portfolio pushed to another member branch is refused' '
	push_refused ada HEAD:members/bob \
	  "lps-guard: refusing members/bob: lps.yaml:4:11: owner.handle is \"ada\", not \"bob\": members/bob holds only bob'"'"'s portfolio"
'

test_expect_success 'a document that does not validate is refused with file:line:col' '
	sed "s/^title: .*/title: 42/" ada/goals/g-0000000a.yaml >tmp &&
	mv tmp ada/goals/g-0000000a.yaml &&
	git -C ada commit -q -a -m "goal: break" &&
	push_refused ada HEAD:members/ada \
	  "lps-guard: refusing members/ada: goals/g-0000000a.yaml:3:8: title: expected string, got integer 42"
'

test_expect_success 'a bad document in the middle of the pushed commits is found' '
	bad=$(git -C ada rev-parse --short=7 HEAD) &&
	git -C ada revert --no-edit HEAD >/dev/null &&
	push_refused ada HEAD:members/ada \
	  "lps-guard: refusing members/ada: goals/g-0000000a.yaml:3:8: title: expected string, got integer 42 (in commit $bad)" &&
	git -C ada reset -q --hard HEAD~2
'

test_expect_success 'YAML that does not load is refused with its place' '
	printf "lps: 1\nid: g-0000000b\nid: g-0000000b\n" \
		>ada/goals/g-0000000b.yaml &&
	git -C ada add goals &&
	git -C ada commit -q -m "goal: dup" &&
	push_refused ada HEAD:members/ada \
	  "lps-guard: refusing members/ada: goals/g-0000000b.yaml:3:1: duplicate key \"id\"" &&
	git -C ada reset -q --hard HEAD~1
'

test_expect_success 'rewriting a member branch (forced push) is refused' '
	git -C ada commit -q --amend -m "goal: add (amended)" &&
	push_refused ada +HEAD:members/ada \
	  "lps-guard: refusing members/ada: not a fast-forward: published history is never rewritten (lps pull, then push again)"
'

test_expect_success 'deleting a member branch is refused' '
	push_refused ada :members/ada \
	  "lps-guard: refusing members/ada: deleting a branch is refused: published history is never removed"
'

test_expect_success 'other refs are refused' '
	push_refused bob HEAD:main \
	  "lps-guard: refusing main: a roundtable accepts only members/<handle> and roundtable branches" &&
	git -C bob tag v1 &&
	push_refused bob refs/tags/v1 \
	  "lps-guard: refusing refs/tags/v1: a roundtable accepts only members/<handle> and roundtable branches" &&
	push_refused bob HEAD:members/Bob \
	  "lps-guard: refusing members/Bob: \"Bob\" is not a member handle (lowercase letters, digits, dashes)"
'

test_expect_success 'a member branch without lps.yaml or without a handle is refused' '
	git init -q -b main plain &&
	echo hello >plain/README &&
	git -C plain add README && git -C plain commit -q -m readme &&
	push_refused plain HEAD:members/carol \
	  "lps-guard: refusing members/carol: no lps.yaml: a member branch holds an lps portfolio" &&
	portfolio carol carol &&
	sed "/handle:/d" carol/lps.yaml >tmp && mv tmp carol/lps.yaml &&
	git -C carol commit -q -a -m "no handle" &&
	push_refused carol HEAD:members/carol \
	  "lps-guard: refusing members/carol: lps.yaml has no owner.handle; a member branch carries its member'"'"'s handle (lps roundtable join sets it)"
'

test_expect_success 'several refs in one push: every refusal is its own line' '
	git -C bob branch two &&
	before=$(git -C rt.git for-each-ref) &&
	if git -C bob push ../rt.git HEAD:members/dave two:members/bob \
		HEAD:other >push.out 2>push.err; then false; fi &&
	sed -n "s/^remote: //p" push.err | sed "s/[[:space:]]*$//" | sort >got &&
	cat >want <<-\EOF &&
	lps-guard: refusing members/dave: lps.yaml:4:11: owner.handle is "bob", not "dave": members/dave holds only dave'"'"'s portfolio
	lps-guard: refusing other: a roundtable accepts only members/<handle> and roundtable branches
	EOF
	test_cmp want got &&
	test "$before" = "$(git -C rt.git for-each-ref)"
'

test_expect_success 'the roundtable branch takes meetings and norms only' '
	git init -q -b main shared &&
	mkdir shared/meetings &&
	cat >shared/meetings/2026-10-01-m-0000000a.yaml <<-\EOF &&
	lps: 1
	id: m-0000000a
	date: 2026-10-01
	by: ada
	attendees:
	- ada
	- bob
	agenda: Reading data
	EOF
	cat >shared/norms.yaml <<-\EOF &&
	lps: 1
	norms:
	- Start and end on time.
	EOF
	git -C shared add . && git -C shared commit -q -m "meeting" &&
	git -C shared push -q ../rt.git HEAD:roundtable &&
	echo "notes" >shared/README &&
	git -C shared add README && git -C shared commit -q -m readme &&
	push_refused shared HEAD:roundtable \
	  "lps-guard: refusing roundtable: README: the roundtable branch holds only norms.yaml and meetings/<date>-<id>.yaml" &&
	git -C shared reset -q --hard HEAD~1 &&
	sed "s/^date: .*/date: 2026-13-01/" \
		shared/meetings/2026-10-01-m-0000000a.yaml >tmp &&
	mv tmp shared/meetings/2026-10-01-m-0000000b.yaml &&
	git -C shared add . && git -C shared commit -q -m "bad meeting" &&
	push_refused shared HEAD:roundtable \
	  "lps-guard: refusing roundtable: meetings/2026-10-01-m-0000000b.yaml:3:7: date: is not a valid date" &&
	push_refused ada HEAD:roundtable \
	  "lps-guard: refusing roundtable: goals: the roundtable branch holds only norms.yaml and meetings/<date>-<id>.yaml"
'

test_expect_success 'lps-guard by hand: usage, bad input, fail closed' '
	set +e
	"$GUARD" --help >out; rc1=$?
	echo "x y z" | "$GUARD" rt.git 2>err; rc2=$?
	echo "" | "$GUARD" "$TRASH/none" 2>err2; rc3=$?
	"$GUARD" --bogus 2>err3; rc4=$?
	set -e
	test $rc1 = 0 && head -n 1 out | grep -q "^usage: lps-guard" &&
	test $rc2 = 1 &&
	echo "lps-guard: refusing the push: malformed hook input line: expected \"OLD NEW REFNAME\"" >want &&
	test_cmp want err &&
	test $rc3 = 1 &&
	echo "lps-guard: refusing the push: not a git repository: $TRASH/none" >want &&
	test_cmp want err2 &&
	test $rc4 = 2 && head -n 1 err3 | grep -q "unknown option --bogus"
'

# libgit2 pushes to a path on this machine without running any hook, so
# lps push asks the installed guard itself, with the same message.
test_expect_success 'lps push to a guarded roundtable on this machine is checked too' '
	git init -q --bare rt2.git &&
	lps roundtable install-guard rt2.git >/dev/null &&
	lps init cy --name Cy --role principal >/dev/null &&
	(cd cy && lps roundtable join ../rt2.git --as cy >/dev/null &&
	 lps push >/dev/null &&
	 lps goal add "Read more" --agenda student >/dev/null &&
	 g=$(ls goals) &&
	 sed "s/^title: .*/title: 42/" goals/$g >../tmp && mv ../tmp goals/$g &&
	 git commit -q -a -m "goal: break" &&
	 before=$(git -C ../rt2.git rev-parse members/cy) &&
	 set +e; lps push >../out 2>../err; rc=$?; set -e &&
	 test $rc = 3 &&
	 echo "lps: error: the roundtable refused members/cy: lps-guard: goals/$g:3:8: title: expected string, got integer 42" >../expect &&
	 test_cmp ../expect ../err &&
	 test "$(git -C ../rt2.git rev-parse members/cy)" = "$before" &&
	 lps roundtable leave >/dev/null &&
	 lps roundtable join "file://$TRASH/rt2.git" --as cy >/dev/null &&
	 set +e; lps push >../out 2>../err; rc=$?; set -e &&
	 test $rc = 3 && test_cmp ../expect ../err &&
	 git reset -q --hard HEAD~1 &&
	 lps push >../out &&
	 grep -q "^Pushed 1 commit to members/cy" ../out &&
	 git -C ../rt2.git cat-file -e members/cy:goals/$g)
'

test_expect_success 'install-guard points an unborn HEAD at the roundtable branch' '
	git init -q --bare rt3.git &&
	lps roundtable install-guard rt3.git >/dev/null &&
	echo refs/heads/roundtable >want &&
	git -C rt3.git symbolic-ref HEAD >got && test_cmp want got &&
	git init -q --bare rt4.git &&
	git -C rt4.git fetch -q ../rt2.git members/cy:refs/heads/main &&
	git -C rt4.git symbolic-ref HEAD refs/heads/main &&
	lps roundtable install-guard rt4.git >/dev/null &&
	echo refs/heads/main >want &&
	git -C rt4.git symbolic-ref HEAD >got && test_cmp want got
'

test_done
