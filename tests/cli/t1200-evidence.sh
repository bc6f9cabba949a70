#!/bin/sh
# t1200-evidence: lps evidence attach, add, list, show, remove: exact
# output, one commit per change with its message and trailers, attached
# bytes identical in git, every refused attachment changing nothing, and
# lps check comparing attachments with their recorded size and blob id.
. "$(dirname "$0")/lib.sh"

LPS_TODAY=2026-10-01
export LPS_TODAY
SCHEMAS=$TOP/schemas
T=$TRASH_ROOT
G=g-11111111

# port DIR: a new portfolio in DIR with goals g-11111111 and g-22222222
# (committed with plain git, so their ids are fixed); cd into it.
port() {
	lps init "$1" --name "Ada Lovelace" --role principal \
		--cycle 2026-2027 >/dev/null && cd "$1" &&
	fake_goal g-11111111 "Raise reading" &&
	fake_goal g-22222222 "Coach teachers"
}

fake_goal() {
	mkdir -p goals && cat >goals/$1.yaml <<-EOT &&
	lps: 1
	id: $1
	title: $2
	agenda: student
	status: active
	cycle: 2026-2027
	created: 2026-09-01
	EOT
	git add goals/$1.yaml && git commit -q -m "add $1"
}

# fake_evidence ID KIND TITLE [GOAL]: evidence without a file, by plain git.
fake_evidence() {
	mkdir -p evidence && {
		printf 'lps: 1\nid: %s\ntitle: %s\nkind: %s\ndate: 2026-09-15\n' \
			"$1" "$3" "$2"
		if [ -n "${4:-}" ]; then printf 'goals:\n  - %s\n' "$4"; fi
	} >evidence/$1.yaml &&
	git add evidence/$1.yaml && git commit -q -m "add $1"
}

# msg_is LINE...: the last commit's message is exactly these lines.
msg_is() {
	git log --format=%B -n1 >"$T/msg" &&
	printf '%s\n' "$@" "" >"$T/msg.expect" &&
	test_cmp "$T/msg.expect" "$T/msg"
}

# unchanged HEAD: HEAD is still HEAD and nothing is uncommitted.
unchanged() {
	test "$(git rev-parse HEAD)" = "$1" && git_clean
}

# new_id: the evidence id of the first "Attached/Added evidence" line.
new_id() {
	sed -n 's/^[A-Za-z]* evidence \(e-[0-9a-f]\{8\}\) .*/\1/p' "$OUT" |
		head -n 1
}

# same_blob PATH FILE: git has PATH at HEAD with FILE's exact bytes, and
# its tree entry is the blob recorded in the evidence document.
same_blob() {
	git cat-file -p "HEAD:$1" >"$T/back" && cmp "$2" "$T/back" &&
	id=$(echo "$1" | cut -d/ -f2) &&
	tree=$(git ls-tree HEAD "$1" | awk "{print \$3}") &&
	test "$tree" = "$(git hash-object "$2")" &&
	grep -qx "  blob: $tree" evidence/$id.yaml &&
	grep -qx "  size: $(wc -c <"$2" | tr -d " ")" evidence/$id.yaml
}

test_expect_success 'attach: one commit, exact message, canonical document' '
	port p1 &&
	printf "school,pct\nLincoln,66.5\n" >"$T/screener fall.csv" &&
	run_lps 0 evidence attach "$T/screener fall.csv" --goal 1111 &&
	id=$(new_id) &&
	expect_out "Attached evidence $id \"screener fall.csv\" (evidence/$id/screener-fall.csv, 24 bytes, text/csv)" &&
	expect_empty "$ERR" &&
	commit_count 4 && git_clean &&
	msg_is "evidence: attach $id \"screener fall.csv\"" "" \
		"LPS-Command: evidence attach" "LPS-Phase: purpose" &&
	blob=$(git hash-object "$T/screener fall.csv") &&
	cat >"$T/expect" <<-EOT &&
	lps: 1
	id: $id
	title: screener fall.csv
	kind: artifact
	date: 2026-10-01
	goals:
	  - $G
	attachment:
	  name: screener-fall.csv
	  size: 24
	  media_type: text/csv
	  blob: $blob
	EOT
	git show HEAD:evidence/$id.yaml >"$T/actual" &&
	test_cmp "$T/expect" "$T/actual" &&
	git diff --name-only HEAD~1 HEAD >"$T/files" &&
	printf "%s\n" "evidence/$id.yaml" "evidence/$id/screener-fall.csv" >"$T/expect" &&
	test_cmp "$T/expect" "$T/files" &&
	same_blob "evidence/$id/screener-fall.csv" "$T/screener fall.csv" &&
	run_lps 0 check && expect_empty "$OUT"
'

test_expect_success 'attach: a binary file comes back byte-identical' '
	port p2 &&
	printf "\211PNG\r\n\032\n\000\000\000\rIHDR\000\377\376\r\n" >"$T/chart.png" &&
	head -c 70000 /dev/urandom >>"$T/chart.png" &&
	run_lps 0 evidence attach "$T/chart.png" --goal $G --kind achievement &&
	id=$(new_id) &&
	size=$(wc -c <"$T/chart.png" | tr -d " ") &&
	expect_out "Attached evidence $id \"chart.png\" (evidence/$id/chart.png, $size bytes, image/png)" &&
	same_blob "evidence/$id/chart.png" "$T/chart.png" &&
	cmp "$T/chart.png" evidence/$id/chart.png &&
	git show HEAD:evidence/$id/chart.png >"$T/shown" && cmp "$T/chart.png" "$T/shown" &&
	grep -qx "kind: achievement" evidence/$id.yaml &&
	git_clean && run_lps 0 check
'

test_expect_success 'attach: several files, one commit, options, media types' '
	port p3 &&
	printf "%%PDF-1.4\n%%\342\343\n" >"$T/report.pdf" &&
	printf "PK\003\004\024\000\000\000" >"$T/plan.docx" &&
	printf "# Notes\n\nGood week.\n" >"$T/notes.md" &&
	printf "\000\001\002" >"$T/data.bin" &&
	run_lps 0 evidence attach "$T/report.pdf" "$T/plan.docx" "$T/notes.md" \
		"$T/data.bin" --goal $G --kind process --title "Week 3" \
		--date 2026-09-20 --source "Data team" --note "What we saw" &&
	sed "s/ e-[0-9a-f]\{8\} / ID /; s/evidence\/e-[0-9a-f]\{8\}\//evidence\/ID\//" "$OUT" >"$T/got" &&
	cat >"$T/expect" <<-EOT &&
	Attached evidence ID "Week 3" (evidence/ID/report.pdf, 13 bytes, application/pdf)
	Attached evidence ID "Week 3" (evidence/ID/plan.docx, 8 bytes, application/vnd.openxmlformats-officedocument.wordprocessingml.document)
	Attached evidence ID "Week 3" (evidence/ID/notes.md, 20 bytes, text/markdown)
	Attached evidence ID "Week 3" (evidence/ID/data.bin, 3 bytes, application/octet-stream)
	EOT
	test_cmp "$T/expect" "$T/got" &&
	commit_count 4 && git_clean &&
	msg_is "evidence: attach 4 files to $G" "" \
		"LPS-Command: evidence attach" "LPS-Phase: purpose" &&
	test $(git diff --name-only HEAD~1 HEAD | wc -l) -eq 8 &&
	id=$(sed -n 3p "$OUT" | sed "s/^Attached evidence \(e-[0-9a-f]*\) .*/\1/") &&
	blob=$(git hash-object "$T/notes.md") &&
	cat >"$T/expect" <<-EOT &&
	lps: 1
	id: $id
	title: Week 3
	kind: process
	date: 2026-09-20
	source: Data team
	summary: What we saw
	goals:
	  - $G
	attachment:
	  name: notes.md
	  size: 20
	  media_type: text/markdown
	  blob: $blob
	EOT
	test_cmp "$T/expect" evidence/$id.yaml &&
	for f in report.pdf plan.docx notes.md data.bin; do
		p=$(ls evidence/*/$f) && same_blob "$p" "$T/$f" || exit 1
	done &&
	run_lps 0 check
'

test_expect_success 'attach: file names are sanitised' '
	port p4 &&
	mkdir -p "$T/in" &&
	printf one >"$T/in/.bashrc" &&
	printf two >"$T/in/a
b.txt" &&
	printf three >"$T/in/my report (final)?.txt" &&
	printf four >"$T/in/..." &&
	run_lps 0 evidence attach "$T/in/../in/.bashrc" "$T/in/a
b.txt" "$T/in/my report (final)?.txt" "$T/in/..." --goal $G &&
	sed "s/e-[0-9a-f]\{8\}/ID/g" "$OUT" >"$T/got" &&
	cat >"$T/expect" <<-EOT &&
	Attached evidence ID ".bashrc" (evidence/ID/bashrc, 3 bytes, text/plain)
	Attached evidence ID "ab.txt" (evidence/ID/ab.txt, 3 bytes, text/plain)
	Attached evidence ID "my report (final)?.txt" (evidence/ID/my-report-final.txt, 5 bytes, text/plain)
	Attached evidence ID "..." (evidence/ID/attachment, 4 bytes, text/plain)
	EOT
	test_cmp "$T/expect" "$T/got" &&
	git ls-tree -r --name-only HEAD evidence | sed "s/e-[0-9a-f]\{8\}/ID/g" | sort >"$T/files" &&
	printf "%s\n" evidence/ID.yaml evidence/ID.yaml evidence/ID.yaml \
		evidence/ID.yaml evidence/ID/ab.txt evidence/ID/attachment \
		evidence/ID/bashrc evidence/ID/my-report-final.txt | sort >"$T/expect" &&
	test_cmp "$T/expect" "$T/files" &&
	git_clean && run_lps 0 check
'

test_expect_success 'attach: the same content again reuses the evidence' '
	port p5 &&
	printf "same bytes\n" >"$T/a.txt" && cp "$T/a.txt" "$T/copy.txt" &&
	run_lps 0 evidence attach "$T/a.txt" --goal $G &&
	id=$(new_id) && head=$(git rev-parse HEAD) &&
	run_lps 0 evidence attach "$T/copy.txt" --goal $G --title Other &&
	expect_err "lps: warning: $T/copy.txt has the same content as $id (a.txt); reusing it" &&
	expect_out "Evidence $id \"a.txt\" already supports goal $G" &&
	unchanged $head &&
	run_lps 0 evidence attach "$T/copy.txt" --goal 2222 &&
	expect_err "lps: warning: $T/copy.txt has the same content as $id (a.txt); reusing it" &&
	expect_out "Linked evidence $id \"a.txt\" to goal g-22222222" &&
	commit_count 5 && git_clean &&
	msg_is "evidence: attach $id \"a.txt\"" "" \
		"LPS-Command: evidence attach" "LPS-Phase: purpose" &&
	git diff --name-only HEAD~1 HEAD >"$T/files" &&
	echo "evidence/$id.yaml" >"$T/expect" && test_cmp "$T/expect" "$T/files" &&
	printf "goals:\n  - $G\n  - g-22222222\n" >"$T/expect" &&
	sed -n "/^goals:/,/^attachment:/p" evidence/$id.yaml | sed "\$d" >"$T/actual" &&
	test_cmp "$T/expect" "$T/actual" &&
	test $(ls evidence | wc -l) -eq 2 &&
	run_lps 0 check
'

test_expect_success 'attach: two equal files in one command make one evidence' '
	port p6 &&
	printf "twice\n" >"$T/x1.txt" && cp "$T/x1.txt" "$T/x2.txt" &&
	run_lps 0 evidence attach "$T/x1.txt" "$T/x2.txt" --goal $G &&
	id=$(new_id) &&
	expect_out "Attached evidence $id \"x1.txt\" (evidence/$id/x1.txt, 6 bytes, text/plain)" &&
	expect_err "lps: warning: $T/x2.txt has the same content as $id (x1.txt); reusing it" &&
	commit_count 4 && git_clean &&
	msg_is "evidence: attach $id \"x1.txt\"" "" \
		"LPS-Command: evidence attach" "LPS-Phase: purpose" &&
	test $(ls evidence | wc -l) -eq 2
'

test_expect_success 'attach: a file named twice is attached, reported and counted once' '
	port p6b &&
	printf "once\n" >"$T/one.txt" && printf "other\n" >"$T/two.txt" &&
	run_lps 0 evidence attach "$T/one.txt" "$T/one.txt" --goal $G &&
	id=$(new_id) &&
	expect_out "Attached evidence $id \"one.txt\" (evidence/$id/one.txt, 5 bytes, text/plain)" &&
	expect_err "lps: warning: $T/one.txt is named more than once; attaching it once" &&
	msg_is "evidence: attach $id \"one.txt\"" "" \
		"LPS-Command: evidence attach" "LPS-Phase: purpose" &&
	commit_count 4 && git_clean &&
	run_lps 0 evidence attach "$T/one.txt" "$T/../$(basename "$T")/one.txt" "$T/two.txt" --goal 2222 &&
	id2=$(new_id) &&
	cat >"$T/expect" <<-EOT &&
	Attached evidence $id2 "two.txt" (evidence/$id2/two.txt, 6 bytes, text/plain)
	Linked evidence $id "one.txt" to goal g-22222222
	EOT
	test_cmp "$T/expect" "$OUT" &&
	cat >"$T/expect" <<-EOT &&
	lps: warning: $T/one.txt has the same content as $id (one.txt); reusing it
	lps: warning: $T/../$(basename "$T")/one.txt is named more than once; attaching it once
	EOT
	test_cmp "$T/expect" "$ERR" &&
	msg_is "evidence: attach 2 files to g-22222222" "" \
		"LPS-Command: evidence attach" "LPS-Phase: purpose" &&
	commit_count 5 && git_clean && run_lps 0 check
'

test_expect_success 'attach: refusals write nothing' '
	port p7 && head=$(git rev-parse HEAD) &&
	printf "ok\n" >"$T/ok.txt" &&
	mkdir "$T/dir" && ln -s "$T/ok.txt" "$T/link" && mkfifo "$T/fifo" &&
	run_lps 1 evidence attach "$T/ok.txt" "$T/dir" --goal $G &&
	expect_err "lps: error: $T/dir: not a regular file (a directory)" &&
	run_lps 1 evidence attach "$T/link" --goal $G &&
	expect_err "lps: error: $T/link: not a regular file (a symlink)" &&
	run_lps 1 evidence attach "$T/ok.txt" "$T/fifo" --goal $G &&
	expect_err "lps: error: $T/fifo: not a regular file (a FIFO)" &&
	run_lps 1 evidence attach /dev/null --goal $G &&
	expect_err "lps: error: /dev/null: not a regular file (a device)" &&
	run_lps 4 evidence attach "$T/ok.txt" "$T/missing.txt" --goal $G &&
	expect_err "lps: error: $T/missing.txt: cannot open: No such file or directory" &&
	run_lps 1 evidence attach "$T/ok.txt" --goal g-99999999 &&
	expect_err "lps: error: no goal matches \"g-99999999\"" &&
	expect_empty "$OUT" &&
	unchanged $head &&
	test ! -e evidence
'

test_expect_success 'attach: lps.maxAttachmentSize, default 25 MiB' '
	port p8 && head=$(git rev-parse HEAD) &&
	truncate -s 26214401 "$T/big.bin" &&
	run_lps 1 evidence attach "$T/big.bin" --goal $G &&
	expect_err "lps: error: $T/big.bin: larger than lps.maxAttachmentSize (26214400 bytes)" &&
	printf 0123456789 >"$T/ten.txt" &&
	git config lps.maxAttachmentSize 9 &&
	run_lps 1 evidence attach "$T/ten.txt" --goal $G &&
	expect_err "lps: error: $T/ten.txt: larger than lps.maxAttachmentSize (9 bytes)" &&
	git config lps.maxAttachmentSize 1k &&
	truncate -s 1025 "$T/k.bin" &&
	run_lps 1 evidence attach "$T/ten.txt" "$T/k.bin" --goal $G &&
	expect_err "lps: error: $T/k.bin: larger than lps.maxAttachmentSize (1024 bytes)" &&
	git config lps.maxAttachmentSize lots &&
	run_lps 2 evidence attach "$T/ten.txt" --goal $G &&
	expect_err "lps: error: lps.maxAttachmentSize: invalid size \"lots\" (expected a number of bytes, optionally with a k, m or g suffix)" &&
	git config lps.maxAttachmentSize 2g &&
	run_lps 2 evidence attach "$T/ten.txt" --goal $G &&
	expect_err "lps: error: lps.maxAttachmentSize: \"2g\" is over the largest size lps accepts (1g)" &&
	unchanged $head &&
	git config lps.maxAttachmentSize 10 &&
	run_lps 0 evidence attach "$T/ten.txt" --goal $G &&
	commit_count 4 && git_clean
'

test_expect_success 'attach and add: usage errors exit 2' '
	port p9 && head=$(git rev-parse HEAD) &&
	printf x >"$T/x.txt" &&
	run_lps 2 evidence attach "$T/x.txt" &&
	head -n 1 "$ERR" >"$T/first" &&
	echo "lps: error: --goal is required" >"$T/expect" && test_cmp "$T/expect" "$T/first" &&
	run_lps 2 evidence attach --goal $G &&
	head -n 1 "$ERR" >"$T/first" &&
	echo "lps: error: attach needs at least one FILE" >"$T/expect" && test_cmp "$T/expect" "$T/first" &&
	run_lps 2 evidence attach "$T/x.txt" --goal $G --kind video &&
	head -n 1 "$ERR" >"$T/first" &&
	echo "lps: error: --kind: unknown value '"'"'video'"'"' (one of: achievement perceptual process demographic financial artifact observation)" >"$T/expect" &&
	test_cmp "$T/expect" "$T/first" &&
	run_lps 2 evidence attach "$T/x.txt" --goal $G --date 2026-13-01 &&
	head -n 1 "$ERR" >"$T/first" &&
	echo "lps: error: --date: expected a date YYYY-MM-DD, got '"'"'2026-13-01'"'"'" >"$T/expect" &&
	test_cmp "$T/expect" "$T/first" &&
	run_lps 2 evidence attach "$T/x.txt" --goal $G --title "" &&
	run_lps 2 evidence attach "$T/x.txt" --goal $G --title "   " &&
	head -n 1 "$ERR" >"$T/first" &&
	echo "lps: error: --title must not be empty" >"$T/expect" && test_cmp "$T/expect" "$T/first" &&
	run_lps 2 evidence add --title T --goal $G --kind process --source " " &&
	head -n 1 "$ERR" >"$T/first" &&
	echo "lps: error: --source must not be empty" >"$T/expect" && test_cmp "$T/expect" "$T/first" &&
	run_lps 2 evidence add --title T --goal $G --kind process --note "$(printf " \t")" &&
	head -n 1 "$ERR" >"$T/first" &&
	echo "lps: error: --note must not be empty" >"$T/expect" && test_cmp "$T/expect" "$T/first" &&
	run_lps 2 evidence attach "$T/x.txt" --goal $G --format json &&
	run_lps 2 evidence attach "$T/x.txt" --goal &&
	run_lps 2 evidence add --goal $G --kind process &&
	head -n 1 "$ERR" >"$T/first" &&
	echo "lps: error: --title is required" >"$T/expect" && test_cmp "$T/expect" "$T/first" &&
	run_lps 2 evidence add --title T --kind process &&
	run_lps 2 evidence add --title T --goal $G &&
	head -n 1 "$ERR" >"$T/first" &&
	echo "lps: error: --kind is required" >"$T/expect" && test_cmp "$T/expect" "$T/first" &&
	run_lps 2 evidence add --title T --goal $G --kind process extra &&
	run_lps 2 evidence &&
	run_lps 2 evidence frob &&
	run_lps 2 evidence list --format yaml &&
	run_lps 2 evidence show &&
	run_lps 2 evidence remove &&
	run_lps 2 evidence remove a b &&
	unchanged $head
'

test_expect_success 'add: evidence without a file' '
	port p10 &&
	run_lps 0 evidence add --title "Walkthrough notes" --goal 2222 \
		--kind observation --note "Students explained their reading goals" \
		--source "Grade 3 walkthrough" --date 2026-09-30 &&
	id=$(new_id) &&
	expect_out "Added evidence $id \"Walkthrough notes\"" &&
	expect_empty "$ERR" &&
	commit_count 4 && git_clean &&
	msg_is "evidence: add $id \"Walkthrough notes\"" "" \
		"LPS-Command: evidence add" "LPS-Phase: purpose" &&
	cat >"$T/expect" <<-EOT &&
	lps: 1
	id: $id
	title: Walkthrough notes
	kind: observation
	date: 2026-09-30
	source: Grade 3 walkthrough
	summary: Students explained their reading goals
	goals:
	  - g-22222222
	EOT
	test_cmp "$T/expect" evidence/$id.yaml &&
	git diff --name-only HEAD~1 HEAD >"$T/files" &&
	echo "evidence/$id.yaml" >"$T/expect" && test_cmp "$T/expect" "$T/files" &&
	head=$(git rev-parse HEAD) &&
	run_lps 1 evidence add --title T --goal 3333 --kind process &&
	expect_err "lps: error: no goal matches \"3333\"" &&
	unchanged $head
'

test_expect_success 'list: text, filters, ids, json' '
	port p11 &&
	fake_evidence e-aaaa0001 observation "Walkthrough notes" $G &&
	fake_evidence e-bbbb0002 perceptual "Staff survey" g-22222222 &&
	fake_evidence e-cccc0003 achievement "No goal yet" &&
	mkdir -p evidence/e-dddd0004 && printf "a,b\n" >evidence/e-dddd0004/s.csv &&
	cat >evidence/e-dddd0004.yaml <<-EOT &&
	lps: 1
	id: e-dddd0004
	title: Screener
	kind: achievement
	date: 2026-09-20
	goals:
	  - $G
	  - g-22222222
	attachment:
	  name: s.csv
	  size: 4
	  media_type: text/csv
	  blob: $(git hash-object evidence/e-dddd0004/s.csv)
	EOT
	git add evidence && git commit -q -m "add e-dddd0004" &&
	run_lps 0 evidence list &&
	cat >"$T/expect" <<-EOT &&
	e-aaaa0001  2026-09-15  observation  Walkthrough notes
	e-bbbb0002  2026-09-15  perceptual   Staff survey
	e-cccc0003  2026-09-15  achievement  No goal yet
	e-dddd0004  2026-09-20  achievement  Screener  [s.csv]
	EOT
	test_cmp "$T/expect" "$OUT" &&
	run_lps 0 evidence list --goal 1111 &&
	printf "%s\n" "e-aaaa0001  2026-09-15  observation  Walkthrough notes" \
		"e-dddd0004  2026-09-20  achievement  Screener  [s.csv]" >"$T/expect" &&
	test_cmp "$T/expect" "$OUT" &&
	run_lps 0 evidence list --kind achievement --format ids &&
	printf "e-cccc0003\tNo goal yet\ne-dddd0004\tScreener\n" >"$T/expect" &&
	test_cmp "$T/expect" "$OUT" &&
	run_lps 0 evidence list --goal 2222 --kind financial &&
	expect_empty "$OUT" &&
	run_lps 0 evidence list --goal 2222 --format json &&
	cp "$OUT" "$T/list.json" &&
	lps validate --schema "$SCHEMAS/out-evidence-list.schema.yaml" "$T/list.json" &&
	cat >"$T/expect" <<-EOT &&
	{
	  "evidence": [
	    {
	      "lps": 1,
	      "id": "e-bbbb0002",
	      "title": "Staff survey",
	      "kind": "perceptual",
	      "date": "2026-09-15",
	      "goals": [
	        "g-22222222"
	      ]
	    },
	    {
	      "lps": 1,
	      "id": "e-dddd0004",
	      "title": "Screener",
	      "kind": "achievement",
	      "date": "2026-09-20",
	      "goals": [
	        "g-11111111",
	        "g-22222222"
	      ],
	      "attachment": {
	        "name": "s.csv",
	        "size": 4,
	        "media_type": "text/csv",
	        "blob": "$(git hash-object evidence/e-dddd0004/s.csv)"
	      }
	    }
	  ]
	}
	EOT
	test_cmp "$T/expect" "$T/list.json" &&
	run_lps 1 evidence list --goal 9999 &&
	expect_err "lps: error: no goal matches \"9999\"" &&
	git_clean
'

test_expect_success 'list: an empty portfolio; json of nothing' '
	port p12 &&
	run_lps 0 evidence list && expect_empty "$OUT" &&
	run_lps 0 evidence list --format json &&
	printf "{\n  \"evidence\": []\n}\n" >"$T/expect" &&
	test_cmp "$T/expect" "$OUT" &&
	cp "$OUT" "$T/empty.json" &&
	lps validate --schema "$SCHEMAS/out-evidence-list.schema.yaml" "$T/empty.json"
'

test_expect_success 'show: text and json' '
	port p13 &&
	printf "a,b\n1,2\n" >"$T/s.csv" &&
	run_lps 0 evidence attach "$T/s.csv" --goal $G --title "Screener" \
		--source "District" --note "Up eight points" &&
	id=$(new_id) && blob=$(git hash-object "$T/s.csv") &&
	run_lps 0 evidence show ${id#e-} &&
	cat >"$T/expect" <<-EOT &&
	$id  Screener
	kind        artifact
	date        2026-10-01
	source      District
	goal        g-11111111  Raise reading
	file        evidence/$id/s.csv (8 bytes, text/csv)
	blob        $blob

	Up eight points
	EOT
	test_cmp "$T/expect" "$OUT" &&
	run_lps 0 evidence show $id --format json &&
	cp "$OUT" "$T/show.json" &&
	lps validate --schema "$SCHEMAS/out-evidence-show.schema.yaml" "$T/show.json" &&
	cat >"$T/expect" <<-EOT &&
	{
	  "lps": 1,
	  "id": "$id",
	  "title": "Screener",
	  "kind": "artifact",
	  "date": "2026-10-01",
	  "source": "District",
	  "summary": "Up eight points",
	  "goals": [
	    "g-11111111"
	  ],
	  "attachment": {
	    "name": "s.csv",
	    "size": 8,
	    "media_type": "text/csv",
	    "blob": "$blob"
	  }
	}
	EOT
	test_cmp "$T/expect" "$T/show.json" &&
	run_lps 1 evidence show e-00000000 &&
	expect_err "lps: error: no evidence matches \"e-00000000\""
'

test_expect_success 'show: an ambiguous prefix lists the candidates' '
	port p14 &&
	fake_evidence e-abcd0001 artifact One &&
	fake_evidence e-abcd0002 artifact Two &&
	run_lps 1 evidence show abcd &&
	expect_err "lps: error: ambiguous id \"abcd\": e-abcd0001, e-abcd0002" &&
	run_lps 0 evidence show abcd0002 --format json
'

test_expect_success 'remove: one commit removing the document and its file' '
	port p15 &&
	printf "keep me in history\n" >"$T/h.txt" &&
	run_lps 0 evidence attach "$T/h.txt" --goal $G &&
	id=$(new_id) &&
	run_lps 0 evidence remove ${id#e-} &&
	expect_out "Removed evidence $id \"h.txt\"" &&
	expect_empty "$ERR" &&
	commit_count 5 && git_clean &&
	msg_is "evidence: remove $id" "" \
		"LPS-Command: evidence remove" "LPS-Phase: purpose" &&
	git diff --name-only HEAD~1 HEAD >"$T/files" &&
	printf "%s\n" "evidence/$id.yaml" "evidence/$id/h.txt" >"$T/expect" &&
	test_cmp "$T/expect" "$T/files" &&
	test ! -e evidence/$id.yaml && test ! -e evidence/$id &&
	git cat-file -p HEAD~1:evidence/$id/h.txt >"$T/back" && cmp "$T/h.txt" "$T/back" &&
	head=$(git rev-parse HEAD) &&
	run_lps 1 evidence remove $id &&
	expect_err "lps: error: no evidence matches \"$id\"" &&
	unchanged $head &&
	run_lps 0 check
'

test_expect_success 'remove: evidence without a file; uncommitted edits refuse' '
	port p16 &&
	fake_evidence e-abcd0001 artifact One &&
	fake_evidence e-abcd0002 artifact Two &&
	echo "# mine" >>evidence/e-abcd0002.yaml &&
	head=$(git rev-parse HEAD) &&
	run_lps 3 evidence remove abcd0002 &&
	test "$(git rev-parse HEAD)" = "$head" &&
	grep -qx "# mine" evidence/e-abcd0002.yaml &&
	git checkout -q evidence/e-abcd0002.yaml &&
	run_lps 0 evidence remove abcd0001 &&
	expect_out "Removed evidence e-abcd0001 \"One\"" &&
	git diff --name-only HEAD~1 HEAD >"$T/files" &&
	echo evidence/e-abcd0001.yaml >"$T/expect" && test_cmp "$T/expect" "$T/files" &&
	git_clean
'

test_expect_success 'remove: refused while a goal or an assessment refers to it' '
	port p19 &&
	fake_evidence e-abcd0001 achievement Screener $G &&
	cat >>goals/$G.yaml <<-EOT &&
	indicators:
	  - id: k1
	    measure: Readers at benchmark
	    baseline: 42
	    target: 60
	    measurements:
	      - date: 2026-09-20
	        value: 51
	        evidence: e-abcd0001
	EOT
	mkdir -p assessments/2026-2027 &&
	cat >assessments/2026-2027/issl-1a.yaml <<-EOT &&
	lps: 1
	framework: issl
	code: 1a
	cycle: 2026-2027
	rating: developing
	evidence:
	  - e-abcd0001
	rationale: The data cycle runs in grade 3 only.
	date: 2026-09-30
	EOT
	git add goals assessments && git commit -q -m refs &&
	run_lps 0 check && head=$(git rev-parse HEAD) &&
	run_lps 1 evidence remove abcd &&
	expect_err "lps: error: e-abcd0001 is still referred to by goals/$G.yaml, assessments/2026-2027/issl-1a.yaml; remove those references first" &&
	unchanged $head &&
	git rm -q assessments/2026-2027/issl-1a.yaml && git commit -q -m "drop assessment" &&
	head=$(git rev-parse HEAD) &&
	run_lps 1 evidence remove abcd &&
	expect_err "lps: error: e-abcd0001 is still referred to by goals/$G.yaml; remove those references first" &&
	unchanged $head
'

test_expect_success 'check: an attachment changed behind lps (same size)' '
	port p17 &&
	printf "a,b\n1,2\n" >"$T/s.csv" &&
	run_lps 0 evidence attach "$T/s.csv" --goal $G &&
	id=$(new_id) && old=$(git hash-object "$T/s.csv") &&
	printf "a,b\n1,3\n" >evidence/$id/s.csv &&
	new=$(git hash-object evidence/$id/s.csv) &&
	run_lps 1 check &&
	expect_out "evidence/$id.yaml:9:3: attachment evidence/$id/s.csv has blob $new, expected $old" &&
	run_lps 0 check --rev HEAD &&
	git commit -q -am "edit behind lps" &&
	run_lps 1 check --rev HEAD &&
	expect_out "evidence/$id.yaml:9:3: attachment evidence/$id/s.csv has blob $new, expected $old" &&
	run_lps 0 check --rev HEAD~1 &&
	printf "a,b\n1,2,3\n" >evidence/$id/s.csv &&
	run_lps 1 check &&
	expect_out "evidence/$id.yaml:9:3: attachment evidence/$id/s.csv is 10 bytes, expected 8"
'

test_expect_success 'check: a big attachment is hashed from the file' '
	port p18 &&
	head -c 9000000 /dev/zero >"$T/big.bin" &&
	run_lps 0 evidence attach "$T/big.bin" --goal $G &&
	id=$(new_id) &&
	run_lps 0 check &&
	printf "\001" | dd of=evidence/$id/big.bin bs=1 seek=4000000 conv=notrunc 2>/dev/null &&
	run_lps 1 check &&
	expect_out "evidence/$id.yaml:9:3: attachment evidence/$id/big.bin has blob $(git hash-object evidence/$id/big.bin), expected $(git hash-object "$T/big.bin")"
'

test_expect_success 'evidence --help' '
	run_lps 0 evidence --help &&
	head -n 1 "$OUT" >"$T/first" &&
	echo "usage: lps evidence attach FILE... --goal ID [--kind KIND] [--title TITLE]" >"$T/expect" &&
	test_cmp "$T/expect" "$T/first" &&
	run_lps 0 evidence attach -h && grep -q "lps.maxAttachmentSize" "$OUT"
'

test_done
