#!/bin/sh
# t3400-feedback-give: feedback between roundtable members: lps feedback
# give (kept in the giver's portfolio, published with the giver's branch)
# and lps feedback list --received (gathered from the fetched branches).
. "$(dirname "$0")/lib.sh"

LPS_TODAY=2026-10-01
export LPS_TODAY

test_expect_success 'setup: ada and bob join one roundtable; bob has a goal' '
	git init -q --bare rt.git &&
	lps init ada --name "Ada Lovelace" --role principal >/dev/null &&
	lps init bob --name "Bob Kahn" --role principal >/dev/null &&
	(cd ada && lps roundtable join ../rt.git --as ada >/dev/null &&
	 lps push >/dev/null 2>&1) &&
	(cd bob && lps roundtable join ../rt.git --as bob >/dev/null &&
	 lps goal add "Raise reading" --agenda student >/dev/null &&
	 lps push >/dev/null 2>&1) &&
	git -C bob ls-tree --name-only HEAD goals/ | sed "s|goals/||; s|\.yaml||" >goal-id &&
	(cd ada && lps pull >/dev/null 2>&1)
'

test_expect_success 'give: one commit in the giver'"'"'s portfolio, with to and on' '
	g=$(cat goal-id) &&
	prefix=$(echo "$g" | cut -c3-5) &&
	n=$(git -C ada rev-list --count HEAD) &&
	(cd ada && run_lps 0 feedback give bob --on "$prefix" --kind question \
		-m "How will you measure it?") &&
	id=$(ls ada/feedback | sed "s/\.yaml//") &&
	expect_out "Gave feedback $id to bob on $g" &&
	commit_count $((n + 1)) ada &&
	git_clean ada &&
	printf "feedback: give %s to bob on %s\n\nLPS-Command: feedback give\nLPS-Phase: purpose\n" "$id" "$g" >want &&
	git -C ada log -1 --format=%B | sed "\$d" >got &&
	test_cmp want got &&
	cat >want <<-EOF2 &&
	lps: 1
	id: $id
	date: 2026-10-01
	from: Ada Lovelace
	to: bob
	kind: question
	on: $g
	body: How will you measure it?
	EOF2
	test_cmp want ada/feedback/$id.yaml
'

test_expect_success 'give: refusals change nothing' '
	head=$(git -C ada rev-parse HEAD) &&
	(cd ada &&
	 run_lps 1 feedback give bob --on fff --kind question -m x &&
	 expect_err "lps: error: bob has no goal, evidence or reflection matching \"fff\"" &&
	 run_lps 1 feedback give carol --on fff --kind question -m x &&
	 expect_err "lps: error: no member \"carol\" (run lps pull to fetch)" &&
	 run_lps 2 feedback give ada --on fff --kind question -m x &&
	 expect_err "lps: error: feedback to yourself: use lps feedback add or lps reflect" &&
	 run_lps 2 feedback give Bob --on fff --kind question -m x &&
	 run_lps 2 feedback give bob --kind question -m x &&
	 run_lps 2 feedback give bob --on fff --kind praise -m x) &&
	(cd bob && git init -q ../solo && cd ../solo &&
	 lps init --name Solo --role principal >/dev/null &&
	 run_lps 1 feedback give bob --on fff --kind question -m x &&
	 expect_err "lps: error: not in a roundtable; run lps roundtable join URL --as HANDLE") &&
	test "$(git -C ada rev-parse HEAD)" = "$head" && git_clean ada
'

test_expect_success 'list --received: what others gave me, after they push and I pull' '
	g=$(cat goal-id) &&
	(cd ada && lps push >/dev/null 2>&1) &&
	(cd bob && lps pull >/dev/null 2>&1 &&
	 run_lps 0 feedback list --received &&
	 expect_out "2026-10-01  question     $g  ada (Ada Lovelace): How will you measure it?" &&
	 run_lps 0 feedback list --received --format json &&
	 lps validate --schema "$TOP/schemas/out-feedback-received.schema.yaml" "$OUT" >/dev/null &&
	 grep -q "\"member\": \"ada\"" "$OUT") &&
	(cd ada && run_lps 0 feedback list --received && expect_empty "$OUT") &&
	(cd bob && run_lps 2 feedback list --received --on x &&
	 run_lps 2 feedback list --received --format ids)
'

test_done
