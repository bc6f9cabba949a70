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
	 head -n 1 "$ERR" >../got &&
	 echo "lps: error: --date: expected YYYY-MM-DD, got '"'"'2026-13-45'"'"'" >../want &&
	 test_cmp ../want ../got &&
	 run_lps 2 roundtable meeting add --attendees Ada &&
	 run_lps 2 roundtable meeting add --notes x --edit &&
	 run_lps 2 roundtable meeting frobnicate &&
	 EDITOR=true run_lps 1 roundtable meeting add --date 2026-10-09 --edit &&
	 expect_err "lps: error: aborted: no notes written; no meeting added" &&
	 printf "#!/bin/sh\nprintf \"  \\\\n\\\\n\" >\"\$1\"\n" >../blank.sh && chmod +x ../blank.sh &&
	 EDITOR=../blank.sh run_lps 1 roundtable meeting add --date 2026-10-09 --edit) &&
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

test_expect_success 'norms show: none yet' '
	(cd ada && run_lps 0 roundtable norms show &&
	 expect_out "No norms yet; write them with: lps roundtable norms edit" &&
	 run_lps 0 roundtable norms show --format json &&
	 printf "{\n  \"lps\": 1,\n  \"norms\": []\n}\n" >../want &&
	 test_cmp ../want "$OUT" &&
	 lps validate --schema norms "$OUT" >/dev/null)
'

test_expect_success 'norms edit: the template saved untouched writes nothing' '
	before=$(git -C rt.git rev-parse roundtable) &&
	(cd ada && EDITOR=true run_lps 0 roundtable norms edit &&
	 expect_out "No norms written; nothing pushed") &&
	test "$(git -C rt.git rev-parse roundtable)" = "$before"
'

cat >write-norms.sh <<\EOF
#!/bin/sh
# An editor that writes the norms in $NORMS_FILE over the file given.
cat "$NORMS_FILE" >"$1"
EOF

test_expect_success 'norms edit: one commit on the roundtable branch, text kept, updated/by filled in' '
	before=$(git -C rt.git rev-list --count roundtable) &&
	head=$(git -C ada rev-parse HEAD) &&
	cat >norms-1.yaml <<-\EOF &&
	# Agreed at the first meeting.
	lps: 1
	by: someone-else
	norms:
	  - We start and end on time.   # even in June
	  - "What is said here stays here."
	EOF
	(cd ada && NORMS_FILE=../norms-1.yaml EDITOR="sh ../write-norms.sh" \
		run_lps 0 roundtable norms edit &&
	 expect_out "Updated the roundtable'"'"'s norms") &&
	test "$(git -C ada rev-parse HEAD)" = "$head" && git_clean ada &&
	test "$(git -C rt.git rev-list --count roundtable)" = $((before + 1)) &&
	git -C rt.git show roundtable:norms.yaml >got &&
	cat >want <<-\EOF &&
	# Agreed at the first meeting.
	lps: 1
	updated: 2026-10-01
	by: ada
	norms:
	  - We start and end on time.   # even in June
	  - "What is said here stays here."
	EOF
	test_cmp want got &&
	git -C rt.git log -1 --format=%B roundtable | sed "\$d" >got &&
	printf "norms: edit by ada\n\nLPS-Command: roundtable norms edit\n" >want &&
	test_cmp want got &&
	(cd ada && EDITOR=true run_lps 0 roundtable norms edit &&
	 expect_out "Norms unchanged; nothing pushed") &&
	test "$(git -C rt.git rev-list --count roundtable)" = $((before + 1))
'

test_expect_success 'norms show: text and json, as fetched' '
	(cd bob && run_lps 0 roundtable norms show &&
	 expect_out "No norms yet; write them with: lps roundtable norms edit" &&
	 lps pull >/dev/null &&
	 run_lps 0 roundtable norms show &&
	 cat >../want <<-\EOF &&
	Norms of the roundtable, updated 2026-10-01 by ada:
	  1. We start and end on time.
	  2. What is said here stays here.
	EOF
	 test_cmp ../want "$OUT" &&
	 run_lps 0 roundtable norms show --format json &&
	 cat >../want <<-\EOF &&
	{
	  "lps": 1,
	  "updated": "2026-10-01",
	  "by": "ada",
	  "norms": [
	    "We start and end on time.",
	    "What is said here stays here."
	  ]
	}
	EOF
	 test_cmp ../want "$OUT" &&
	 lps validate --schema norms "$OUT" >/dev/null)
'

test_expect_success 'norms edit: invalid norms are refused in the editor loop, nothing pushed' '
	before=$(git -C rt.git rev-parse roundtable) &&
	printf "lps: 1\nnorms: 5\n" >bad-norms.yaml &&
	(cd ada && echo n | NORMS_FILE=../bad-norms.yaml \
		EDITOR="sh ../write-norms.sh" run_lps 1 roundtable norms edit) &&
	{ grep -qx "norms.yaml:2:8: norms: expected array, got integer 5" "$ERR" ||
	  { cat "$ERR"; false; }; } &&
	tail -n 1 "$ERR" >got &&
	echo "lps: error: aborted: nothing changed" >want &&
	test_cmp want got &&
	test "$(git -C rt.git rev-parse roundtable)" = "$before"
'

cat >race-norms.sh <<\EOF
#!/bin/sh
# ada's editor: while ada edits, bob edits the norms and pushes first.
(cd ../bob && EDITOR="sed -i s/on.time/promptly/" lps roundtable norms edit \
	>/dev/null) || exit 1
sed -i "s/stays here/stays in the room/" "$1"
EOF

test_expect_success 'norms edit: a concurrent edit is never overwritten (exit 3)' '
	(cd bob && lps pull >/dev/null) &&
	(cd ada && lps pull >/dev/null &&
	 EDITOR="sh ../race-norms.sh" run_lps 3 roundtable norms edit &&
	 expect_err "lps: error: norms.yaml changed on the roundtable meanwhile; run the command again to start from the new version; your text is kept in $TRASH/ada/.git/lps/norms-unsaved.yaml") &&
	git -C rt.git show roundtable:norms.yaml >got &&
	grep -q "^  - We start and end promptly. " got &&
	grep -q "^  - \"What is said here stays here.\"" got &&
	grep -q "stays in the room" ada/.git/lps/norms-unsaved.yaml &&
	git -C rt.git log -1 --format=%s roundtable >got &&
	echo "norms: edit by bob" >want && test_cmp want got &&
	git -C rt.git fsck --strict --no-progress
'

test_expect_success 'norms: usage errors' '
	(cd ada &&
	 run_lps 2 roundtable norms &&
	 run_lps 2 roundtable norms frob &&
	 run_lps 2 roundtable norms show extra &&
	 run_lps 2 roundtable norms show --format yaml &&
	 run_lps 2 roundtable norms edit --format json)
'

# The "edit again?" answer of every editor: y, yes or Enter edit again,
# n, no or end of input stop, anything else asks again.
test_expect_success 'norms edit: invalid text asks again; an unclear answer asks once more' '
	before=$(git -C rt.git rev-parse roundtable) &&
	printf "norms: [\n" >bad-norms.yaml &&
	printf "#!/bin/sh\necho run >>\"%s/runs\"\ncat \"%s/bad-norms.yaml\" >\"\$1\"\n" \
		"$TRASH" "$TRASH" >count-norms.sh &&
	(cd ada && rm -f ../runs && printf "maybe\nno\n" |
		EDITOR="sh ../count-norms.sh" run_lps 1 roundtable norms edit &&
	 test "$(grep -o "edit again? \[Y/n\]" "$ERR" | wc -l)" = 2 &&
	 test "$(wc -l <../runs)" = 1 &&
	 tail -n 1 "$ERR" | grep -qx "lps: error: aborted: nothing changed" &&
	 rm -f ../runs && printf "\nYes\n" |
		EDITOR="sh ../count-norms.sh" run_lps 1 roundtable norms edit &&
	 test "$(grep -o "edit again? \[Y/n\]" "$ERR" | wc -l)" = 3 &&
	 test "$(wc -l <../runs)" = 3) &&
	test "$(git -C rt.git rev-parse roundtable)" = "$before"
'

test_done
