#!/bin/sh
# t3300-meeting: meeting records on the shared roundtable branch: add,
# list, show; two members adding at the same moment both land; the
# guard installed by install-guard lets them in.
. "$(dirname "$0")/lib.sh"

LPS_TODAY=2026-10-01
export LPS_TODAY

test_expect_success 'setup: a guarded bare roundtable, ada and bob joined' '
	git init -q --bare rt.git &&
	(run_lps 0 roundtable install-guard rt.git &&
	 expect_out "Installed the guard: $TRASH/rt.git/hooks/pre-receive runs $LPS_TEST_BIN/lps-guard") &&
	lps init ada --name "Ada Lovelace" --role principal >/dev/null &&
	lps init bob --name "Bob Kahn" --role principal >/dev/null &&
	(cd ada && lps roundtable join ../rt.git --as ada >/dev/null) &&
	(cd bob && lps roundtable join ../rt.git --as bob >/dev/null)
'

test_expect_success 'install-guard refuses a non-bare repository and a foreign hook' '
	run_lps 1 roundtable install-guard ada &&
	expect_err "lps: error: ada is not a bare repository; the guard belongs in the shared roundtable repository (git init --bare)" &&
	git init -q --bare other.git &&
	printf "#!/bin/sh\nexit 0\n" >other.git/hooks/pre-receive &&
	run_lps 3 roundtable install-guard other.git &&
	expect_err "lps: error: $TRASH/other.git/hooks/pre-receive exists and was not written by lps; move it away first" &&
	run_lps 2 roundtable install-guard
'

test_expect_success 'meeting add: one commit on the roundtable branch, nothing local' '
	head=$(git -C ada rev-parse HEAD) &&
	(cd ada && run_lps 0 roundtable meeting add --attendees ada,bob \
		--agenda "Reading data" --notes "We looked at grade 3 data.") &&
	id=$(sed -n "s/^Added meeting \(m-[0-9a-f]*\) on 2026-10-01$/\1/p" "$OUT") &&
	test -n "$id" &&
	test "$(git -C ada rev-parse HEAD)" = "$head" && git_clean ada &&
	test "$(git -C rt.git rev-list --count roundtable)" = 1 &&
	git -C rt.git log -1 --format=%B roundtable | sed "\$d" >got &&
	printf "meeting: add %s on 2026-10-01\n\nLPS-Command: roundtable meeting add\n" "$id" >want &&
	test_cmp want got &&
	git -C rt.git show roundtable:meetings/2026-10-01-$id.yaml >got &&
	cat >want <<-EOF2 &&
	lps: 1
	id: $id
	date: 2026-10-01
	by: ada
	attendees:
	  - ada
	  - bob
	agenda: Reading data
	notes: We looked at grade 3 data.
	EOF2
	test_cmp want got &&
	echo "$id" >first-id
'

test_expect_success 'meeting list and show, from the fetched branch' '
	id=$(cat first-id) &&
	(cd bob && run_lps 0 pull &&
	 run_lps 0 roundtable meeting list &&
	 expect_out "$id  2026-10-01  ada           2  Reading data" &&
	 run_lps 0 roundtable meeting show "$(echo $id | cut -c3-7)" &&
	 git -C ../rt.git show roundtable:meetings/2026-10-01-$id.yaml >want &&
	 test_cmp want "$OUT" &&
	 run_lps 0 roundtable meeting list --format json &&
	 grep -q "\"id\": \"$id\"" "$OUT" &&
	 run_lps 1 roundtable meeting show fffff &&
	 expect_err "lps: error: no meeting matches \"fffff\"")
'

test_expect_success 'meeting add: bad input is a usage error, nothing pushed' '
	before=$(git -C rt.git rev-parse roundtable) &&
	(cd ada &&
	 run_lps 2 roundtable meeting add --date 2026-13-45 &&
	 head -n 1 "$ERR" >got &&
	 echo "lps: error: --date: expected YYYY-MM-DD, got '"'"'2026-13-45'"'"'" >want &&
	 test_cmp want got &&
	 run_lps 2 roundtable meeting add --attendees Ada &&
	 run_lps 2 roundtable meeting add --notes x --edit &&
	 run_lps 2 roundtable meeting frobnicate) &&
	test "$(git -C rt.git rev-parse roundtable)" = "$before"
'

test_expect_success 'two members adding at the same moment both land' '
	before=$(git -C rt.git rev-list --count roundtable) &&
	for i in 1 2 3 4 5; do
		for who in ada bob; do
			(cd $who && lps roundtable meeting add \
				--date 2026-10-0$i --agenda "$who $i" \
				>/dev/null 2>../race-$who-$i ||
			 echo "$who $i" >>../race-failed) &
		done
		wait
	done &&
	if test -s race-failed; then
		while read who i; do
			echo "--- lps roundtable meeting add ($who $i) failed:"
			cat race-$who-$i
		done <race-failed
		false
	fi &&
	got=$(git -C rt.git rev-list --count roundtable) &&
	if test "$got" != $((before + 10)); then
		echo "expected $((before + 10)) commits, got $got:"
		git -C rt.git log --format="%h %p %s" roundtable
		false
	fi &&
	test "$(git -C rt.git ls-tree --name-only roundtable meetings/ | wc -l)" = 11 &&
	for i in 1 2 3 4 5; do
		for who in ada bob; do
			git -C rt.git grep -q "^agenda: $who $i\$" roundtable -- meetings/ ||
			{ echo "meeting of $who $i lost"; false; }
		done
	done &&
	git -C rt.git fsck --strict --no-progress
'

test_done
