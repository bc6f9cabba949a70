#!/bin/sh
# t0100-init: lps init makes one commit with lps.yaml, refuses to touch an
# existing portfolio, adopts a plain repository, and writes nothing when
# it cannot commit.
. "$(dirname "$0")/lib.sh"

today=$(date +%Y-%m-%d)
y=$(date +%Y); m=$(date +%m)
if [ "${m#0}" -ge 8 ]; then cycle="$y-$((y + 1))"; else cycle="$((y - 1))-$y"; fi

test_expect_success 'init in a new directory: one commit, exact message' '
	run_lps 0 init port --name "Ada Lovelace" --role principal \
		--district "North Valley" --school Riverside --email ada@example.org &&
	expect_out "Initialized lps portfolio in $TRASH/port/ (phase: purpose, cycle: $cycle)" &&
	expect_empty "$ERR" &&
	commit_count 1 port &&
	git -C port log --format=%B >msg &&
	printf "%s\n" "init: start portfolio of Ada Lovelace" "" \
		"LPS-Command: init" "LPS-Phase: purpose" "" >expect &&
	test_cmp expect msg &&
	git -C port log -1 --format="%(trailers:key=LPS-Command,valueonly)%(trailers:key=LPS-Phase,valueonly)" >tr &&
	printf "init\npurpose\n\n" >expect && test_cmp expect tr &&
	git_clean port
'

test_expect_success 'lps.yaml is canonical and exact' '
	cat >expect <<-EOT &&
	lps: 1
	owner:
	  name: Ada Lovelace
	  email: ada@example.org
	role: principal
	district: North Valley
	school: Riverside
	cycle: $cycle
	phase: purpose
	created: $today
	EOT
	test_cmp expect port/lps.yaml &&
	git -C port show HEAD:lps.yaml >committed &&
	test_cmp expect committed &&
	git -C port ls-tree -r --name-only HEAD >files &&
	echo lps.yaml >expect && test_cmp expect files &&
	test "$(git -C port log -1 --format=%an)" = "Test Leader"
'

test_expect_success 'the portfolio passes lps check' '
	(cd port && run_lps 0 check) && expect_empty "$OUT"
'

test_expect_success 'init twice: exit 3, nothing changed' '
	head=$(git -C port rev-parse HEAD) &&
	cp port/lps.yaml before &&
	run_lps 3 init port --name Other --role principal &&
	expect_err "lps: error: $TRASH/port/lps.yaml: already an lps portfolio" &&
	expect_empty "$OUT" &&
	test "$(git -C port rev-parse HEAD)" = "$head" &&
	test_cmp before port/lps.yaml && git_clean port
'

test_expect_success 'init in the current directory, --cycle given' '
	mkdir here && cd here &&
	run_lps 0 init --name Bo --role superintendent --cycle 2030-2031 &&
	expect_out "Initialized lps portfolio in $TRASH/here/ (phase: purpose, cycle: 2030-2031)" &&
	grep -qx "cycle: 2030-2031" lps.yaml && commit_count 1 && git_clean
'

test_expect_success 'an lps.yaml in the working tree only is refused too' '
	mkdir loose && echo "lps: 1" >loose/lps.yaml &&
	run_lps 3 init loose --name X --role other &&
	expect_err "lps: error: $TRASH/loose/lps.yaml: already an lps portfolio" &&
	test ! -e loose/.git
'

test_expect_success 'adopt a repository with commits' '
	git init -q old && echo hello >old/README &&
	git -C old add README && git -C old commit -q -m "first" &&
	run_lps 0 init old --name Cy --role teacher-leader &&
	commit_count 2 old &&
	test "$(git -C old log -1 --format=%s)" = "init: start portfolio of Cy" &&
	git -C old ls-tree -r --name-only HEAD >files &&
	printf "README\nlps.yaml\n" >expect && test_cmp expect files &&
	git_clean old
'

test_expect_success 'missing --name or --role, bad role: exit 2, nothing made' '
	run_lps 2 init p1 --role principal &&
	grep -q "^lps: error: --name is required" "$ERR" &&
	run_lps 2 init p1 --name A &&
	grep -q "^lps: error: --role is required" "$ERR" &&
	run_lps 2 init p1 --name A --role boss &&
	grep -q "^lps: error: --role: unknown value .boss. (one of: principal assistant-principal district-administrator superintendent teacher-leader instructional-coach other)" "$ERR" &&
	test ! -e p1
'

test_expect_success 'every role of the schema is accepted' '
	for r in principal assistant-principal district-administrator \
		superintendent teacher-leader instructional-coach other; do
		run_lps 0 init "r-$r" --name A --role "$r" || exit 1
	done
'

test_expect_success 'a bad cycle: exit 1 from the schema, nothing made' '
	run_lps 1 init p2 --name A --role principal --cycle "2026 2027" &&
	expect_err "lps: error: lps.yaml: cycle: does not match pattern \"^[0-9A-Za-z][0-9A-Za-z._-]{0,31}\$\"" &&
	test ! -e p2
'

test_expect_success 'missing identity: exit 3 with the hint, nothing left' '
	mkdir nohome &&
	(HOME=$TRASH/nohome XDG_CONFIG_HOME=$TRASH/nohome GIT_CONFIG_NOSYSTEM=1 &&
	 export HOME XDG_CONFIG_HOME &&
	 run_lps 3 init p3 --name A --role principal) &&
	grep -q "^lps: error: no git identity: set it with: git config --global user.name" "$ERR" &&
	test ! -e p3
'

test_expect_success 'missing identity in an existing repository: nothing written' '
	git init -q p4 &&
	(HOME=$TRASH/nohome XDG_CONFIG_HOME=$TRASH/nohome GIT_CONFIG_NOSYSTEM=1 &&
	 export HOME XDG_CONFIG_HOME &&
	 run_lps 3 init p4 --name A --role principal) &&
	grep -q "^lps: error: no git identity" "$ERR" &&
	test ! -e p4/lps.yaml && test -d p4/.git &&
	test -z "$(git -C p4 status --porcelain)" &&
	! git -C p4 rev-parse -q --verify HEAD
'

test_expect_success 'a locked index: exit 3 naming it, nothing written' '
	git init -q p5 && touch p5/.git/index.lock &&
	run_lps 3 init p5 --name A --role principal &&
	grep -q "^lps: error: .*index.lock" "$ERR" &&
	test ! -e p5/lps.yaml && test -e p5/.git/index.lock &&
	! git -C p5 rev-parse -q --verify HEAD
'

test_expect_success 'DIR that is a file: exit 2' '
	echo x >afile &&
	run_lps 2 init afile --name A --role principal &&
	expect_err "lps: error: afile: not a directory"
'

test_expect_success 'an option without its value: exit 2 naming it, nothing made' '
	run_lps 2 init novalue --role principal --name &&
	head -n 1 "$ERR" >first &&
	echo "lps: error: option --name needs a value" >expect &&
	test_cmp expect first &&
	sed -n 2p "$ERR" | grep -q "^usage: lps init " &&
	expect_empty "$OUT" &&
	test ! -e novalue &&
	run_lps 2 init novalue --name A --bogus &&
	head -n 1 "$ERR" >first &&
	echo "lps: error: unknown option --bogus" >expect &&
	test_cmp expect first && test ! -e novalue
'

test_done
