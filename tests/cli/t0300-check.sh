#!/bin/sh
# t0300-check: lps check over the working tree and over revisions:
# schemas, ids, references, standards, attachments, unknown files.
. "$(dirname "$0")/lib.sh"

# A fresh committed copy of the fixture portfolio in ./p.
fresh() {
	rm -rf p && cp -R "$DATA/cli/port" p &&
	git -C p init -q && git -C p add -A &&
	git -C p commit -q -m "fixture" && cd p
}

test_expect_success 'a clean portfolio: exit 0, nothing printed' '
	fresh && run_lps 0 check && expect_empty "$OUT" && expect_empty "$ERR"
'

test_expect_success 'json output of a clean portfolio, valid per its schema' '
	fresh && run_lps 0 check --format json &&
	cat >expect <<-\EOT &&
	{
	  "ok": true,
	  "revision": null,
	  "documents": 6,
	  "findings": []
	}
	EOT
	test_cmp expect "$OUT" &&
	cp "$OUT" ../out.json && run_lps 0 validate --schema check ../out.json
'

test_expect_success 'target: ten is reported with file, line, column and path' '
	fresh && sed -i "s/target: 60/target: ten/" goals/g-1234abcd.yaml &&
	run_lps 1 check &&
	expect_out "goals/g-1234abcd.yaml:17:13: indicators[0].target: expected number, got string \"ten\""
'

# The commands refuse white space alone as a title or text; so does the
# schema, for a hand-edited file.
test_expect_success 'a title of white space alone is reported' '
	fresh && sed -i "s/^title: .*/title: \"   \"/" goals/g-1234abcd.yaml &&
	run_lps 1 check &&
	expect_out "goals/g-1234abcd.yaml:3:8: title: must not be blank"
'

test_expect_success 'an indicator whose target is its baseline' '
	fresh && sed -i "s/target: 60/target: 42/" goals/g-1234abcd.yaml &&
	run_lps 1 check &&
	expect_out "goals/g-1234abcd.yaml:17:13: indicators[0].target: must differ from baseline" &&
	run_lps 1 check --format json && grep -q "\"keyword\": \"indicator\"" "$OUT"
'

test_expect_success 'json findings carry path, line, col, keyword, message' '
	fresh && sed -i "s/target: 60/target: ten/" goals/g-1234abcd.yaml &&
	run_lps 1 check --format json &&
	cat >expect <<-\EOT &&
	{
	  "ok": false,
	  "revision": null,
	  "documents": 6,
	  "findings": [
	    {
	      "path": "goals/g-1234abcd.yaml",
	      "line": 17,
	      "col": 13,
	      "keyword": "type",
	      "message": "indicators[0].target: expected number, got string \"ten\""
	    }
	  ]
	}
	EOT
	test_cmp expect "$OUT" &&
	cp "$OUT" ../out.json && run_lps 0 validate --schema check ../out.json
'

test_expect_success 'duplicate ids and ids that do not match the file name' '
	fresh && cp goals/g-1234abcd.yaml goals/g-99999999.yaml &&
	run_lps 1 check &&
	cat >expect <<-\EOT &&
	goals/g-99999999.yaml:2:5: id g-1234abcd does not match the file name (expected g-99999999)
	goals/g-99999999.yaml:2:5: duplicate id g-1234abcd (also in goals/g-1234abcd.yaml)
	EOT
	test_cmp expect "$OUT"
'

test_expect_success 'references that do not resolve' '
	fresh &&
	sed -i "s/  - g-1234abcd/  - g-deadbeef/" evidence/e-0a0b0c0d.yaml &&
	sed -i "s/evidence: e-0a0b0c0d/evidence: e-00000000/" goals/g-1234abcd.yaml &&
	run_lps 1 check &&
	cat >expect <<-\EOT &&
	evidence/e-0a0b0c0d.yaml:7:5: unknown goal g-deadbeef
	goals/g-1234abcd.yaml:22:19: unknown evidence e-00000000
	EOT
	test_cmp expect "$OUT"
'

test_expect_success 'the on: of feedback received must resolve; feedback given is not checked' '
	fresh &&
	run_lps 0 feedback add --from Pat --kind question --on g-1234abcd -m "Why?" &&
	f=$(cd feedback && ls) &&
	run_lps 0 check &&
	sed -i "s/^on: g-1234abcd/on: g-12345678/" "feedback/$f" &&
	printf "lps: 1\nid: f-0000000a\ndate: 2026-10-04\nfrom: Test Leader\nto: pat\nkind: affirmation\non: g-12345678\nbody: Good.\n" >feedback/f-0000000a.yaml &&
	run_lps 1 check &&
	line=$(grep -n "^on:" "feedback/$f" | cut -d: -f1) &&
	expect_out "feedback/$f:$line:5: on: unknown goal g-12345678"
'

test_expect_success 'unknown standards, built-in and own frameworks' '
	fresh &&
	sed -i "s/  - issl.1a/  - issl.9z/; s/riverside.instruction/riverside.music/" goals/g-1234abcd.yaml &&
	sed -i "s/^code: 1a/code: 1z/" assessments/2026-2027/issl-1a.yaml &&
	run_lps 1 check &&
	cat >expect <<-\EOT &&
	assessments/2026-2027/issl-1a.yaml:2:12: unknown standard issl.1z
	goals/g-1234abcd.yaml:9:5: unknown standard issl.9z
	goals/g-1234abcd.yaml:11:5: unknown standard riverside.music
	EOT
	test_cmp expect "$OUT"
'

test_expect_success 'a missing attachment, one of the wrong size, a stray one' '
	fresh && rm evidence/e-0a0b0c0d/screener.csv &&
	run_lps 1 check &&
	expect_out "evidence/e-0a0b0c0d.yaml:11:3: attachment evidence/e-0a0b0c0d/screener.csv is missing" &&
	echo "one more line" >evidence/e-0a0b0c0d/screener.csv &&
	echo x >evidence/e-0a0b0c0d/other.pdf &&
	run_lps 1 check &&
	cat >expect <<-\EOT &&
	evidence/e-0a0b0c0d.yaml:11:3: attachment evidence/e-0a0b0c0d/screener.csv is 14 bytes, expected 25
	evidence/e-0a0b0c0d/other.pdf: not the attachment of any evidence
	EOT
	test_cmp expect "$OUT"
'

test_expect_success 'unknown files in document folders; hidden and top files ignored' '
	fresh && echo notes >goals/notes.txt && mkdir goals/old &&
	echo x >goals/old/g-1.yaml && echo x >goals/.hidden &&
	echo "readme" >README.md &&
	run_lps 1 check &&
	cat >expect <<-\EOT &&
	goals/notes.txt: not an lps document (unknown file in a document folder)
	goals/old/: not an lps document (unknown file in a document folder)
	EOT
	test_cmp expect "$OUT"
'

# A FIFO is never opened for reading without O_NONBLOCK: lps check used
# to wait for a writer for ever.
test_expect_success 'a FIFO named like a document or an attachment: a finding, no hang' '
	fresh && mkfifo goals/g-0f0f0f0f.yaml &&
	rm evidence/e-0a0b0c0d/screener.csv &&
	mkfifo evidence/e-0a0b0c0d/screener.csv &&
	set +e; timeout 5 lps check >out 2>err; rc=$?; set -e &&
	test $rc = 1 &&
	cat >expect <<-\EOT &&
	evidence/e-0a0b0c0d/screener.csv: not a regular file
	goals/g-0f0f0f0f.yaml: not a regular file
	EOT
	test_cmp expect out && expect_empty err
'

# The state a commit killed between moving the branch and updating the
# working tree leaves: HEAD has the new goal, the index and the files do
# not, a temporary file stands beside it, and <gitdir>/lps-pending says
# which commit.  lps check reads the working tree ahead while libgit2
# starts; what it read before the store finished that commit is stale.
test_expect_success 'a killed commit is finished first, then the working tree checked' '
	fresh && old=$(git rev-parse HEAD) &&
	lps goal add "Read daily" --agenda student >/dev/null &&
	new=$(git rev-parse HEAD) && g=$(git diff --name-only $old $new) &&
	git read-tree $old && mv $g ../saved.yaml &&
	echo "$old $new refs/heads/main" >.git/lps-pending &&
	sleep 1 && head -c 100 ../saved.yaml >$g.lps-tmp-4242 &&
	run_lps 0 check && expect_empty "$OUT" &&
	test ! -e .git/lps-pending && test ! -e $g.lps-tmp-4242 &&
	test_cmp ../saved.yaml $g && git_clean .
'

test_expect_success 'a syntax error is a finding with its place' '
	fresh && printf "lps: 1\nid: r-00aa11bb\nid: r-00aa11bb\n" >reflections/r-00aa11bb.yaml &&
	run_lps 1 check &&
	expect_out "reflections/r-00aa11bb.yaml:3:1: duplicate key \"id\" (first at line 2)"
'

test_expect_success 'a newer format version is refused, not picked apart' '
	fresh && sed -i "s/^lps: 1/lps: 2/" reflections/r-00aa11bb.yaml &&
	run_lps 1 check &&
	expect_out "reflections/r-00aa11bb.yaml:1:6: format version 2 is newer than this lps understands (1)"
'

test_expect_success 'no lps.yaml is a finding' '
	fresh && git rm -q lps.yaml &&
	run_lps 1 check &&
	expect_out "lps.yaml: missing: this is not an lps portfolio; run lps init"
'

test_expect_success '--rev checks a commit, not the working tree' '
	fresh && good=$(git rev-parse HEAD) &&
	sed -i "s/target: 60/target: ten/" goals/g-1234abcd.yaml &&
	git commit -q -am "break it" &&
	run_lps 1 check --rev HEAD &&
	expect_out "goals/g-1234abcd.yaml:17:13: indicators[0].target: expected number, got string \"ten\"" &&
	run_lps 0 check --rev HEAD~1 && expect_empty "$OUT" &&
	run_lps 0 check --rev HEAD~1 --format json &&
	grep -q "\"revision\": \"$good\"," "$OUT" &&
	grep -q "\"documents\": 6," "$OUT" &&
	git checkout -q HEAD~1 -- goals && run_lps 0 check &&
	run_lps 1 check -r HEAD
'

test_expect_success '--rev with a stray attachment and a missing one' '
	fresh && git rm -q evidence/e-0a0b0c0d/screener.csv &&
	mkdir -p evidence/e-0a0b0c0d && echo x >evidence/e-0a0b0c0d/x.bin &&
	git add evidence &&
	git commit -q -m "swap" &&
	run_lps 1 check --rev HEAD &&
	cat >expect <<-\EOT &&
	evidence/e-0a0b0c0d.yaml:11:3: attachment evidence/e-0a0b0c0d/screener.csv is missing
	evidence/e-0a0b0c0d/x.bin: not the attachment of any evidence
	EOT
	test_cmp expect "$OUT"
'

test_expect_success 'an unknown revision: exit 1' '
	fresh && run_lps 1 check --rev nosuch &&
	grep -q "^lps: error: .*nosuch" "$ERR"
'

test_expect_success 'outside any repository: exit 1 with the store message' '
	mkdir -p "$TRASH_ROOT/norepo" && cd "$TRASH_ROOT/norepo" &&
	GIT_CEILING_DIRECTORIES=$TRASH_ROOT && export GIT_CEILING_DIRECTORIES &&
	run_lps 1 check &&
	expect_err "lps: error: not a git repository (or any parent): $TRASH_ROOT/norepo" &&
	expect_empty "$OUT"
'

test_expect_success 'usage errors: exit 2' '
	fresh && run_lps 2 check --format xml &&
	grep -q "^lps: error: --format: unknown value .xml. (one of: text json junit github)" "$ERR" &&
	run_lps 2 check extra &&
	run_lps 2 check --rev
'

test_expect_success 'many documents: stable order with worker threads' '
	fresh && i=0 &&
	while [ $i -lt 300 ]; do
		id=$(printf "g-%08x" $i) &&
		sed "s/g-1234abcd/$id/" goals/g-1234abcd.yaml >goals/$id.yaml &&
		i=$((i + 1)) || exit 1
	done &&
	sed -i "s/target: 60/target: ten/" goals/g-00000005.yaml goals/g-00000100.yaml &&
	run_lps 1 check &&
	cat >expect <<-\EOT &&
	goals/g-00000005.yaml:17:13: indicators[0].target: expected number, got string "ten"
	goals/g-00000100.yaml:17:13: indicators[0].target: expected number, got string "ten"
	EOT
	test_cmp expect "$OUT" &&
	run_lps 0 check --format json --rev HEAD && grep -q "\"documents\": 6," "$OUT"
'

test_done
