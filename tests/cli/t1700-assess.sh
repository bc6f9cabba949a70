#!/bin/sh
# t1700-assess: lps assess rates one standard per cycle (one commit; a
# second rating replaces the first) and lps assess list reads them back.
. "$(dirname "$0")/lib.sh"

LPS_TODAY=2026-10-01
export LPS_TODAY

test_expect_success 'setup: a portfolio with one piece of evidence' '
	lps init p --name Ada --role principal --cycle 2026-2027 >/dev/null &&
	cd p && mkdir evidence &&
	printf "lps: 1\nid: e-00000001\ntitle: Survey\nkind: perceptual\ndate: 2026-09-20\n" \
		>evidence/e-00000001.yaml &&
	git add evidence && git commit -q -m setup
'

test_expect_success 'assess: one commit, exact message and document' '
	cd p && n=$(git rev-list --count HEAD) &&
	run_lps 0 assess issl.1a --rating proficient -m "Data cycles run monthly" \
		--evidence e-0000 &&
	expect_out "Assessed issl.1a as proficient (assessments/2026-2027/issl-1a.yaml)" &&
	commit_count $((n + 1)) && git_clean &&
	git log --format=%B -n1 >../msg &&
	printf "assess: issl.1a proficient\n\nLPS-Command: assess\nLPS-Phase: purpose\n\n" >../want &&
	test_cmp ../want ../msg &&
	cat >../want <<-\EOF &&
	lps: 1
	framework: issl
	code: 1a
	cycle: 2026-2027
	rating: proficient
	evidence:
	  - e-00000001
	rationale: Data cycles run monthly
	date: 2026-10-01
	EOF
	git show HEAD:assessments/2026-2027/issl-1a.yaml >../doc &&
	test_cmp ../want ../doc
'

test_expect_success 'assess again replaces the rating (one commit)' '
	cd p && n=$(git rev-list --count HEAD) &&
	run_lps 0 assess issl.1a --rating exemplary -m "Better" --date 2026-11-02 &&
	commit_count $((n + 1)) && git_clean &&
	git show HEAD:assessments/2026-2027/issl-1a.yaml >../doc &&
	grep -x "rating: exemplary" ../doc &&
	grep -x "date: 2026-11-02" ../doc &&
	! grep evidence ../doc &&
	git ls-tree -r --name-only HEAD assessments >../names &&
	echo assessments/2026-2027/issl-1a.yaml >../want &&
	test_cmp ../want ../names
'

test_expect_success 'assess list: text, framework filter, json' '
	cd p &&
	run_lps 0 assess lfl.focus --rating developing -m "Starting" &&
	run_lps 0 assess list &&
	expect_out "issl.1a  exemplary   2026-11-02  Data-driven improvement systems
lfl.focus  developing  2026-10-01  Establishing a focus on learning" &&
	run_lps 0 assess list --framework lfl &&
	expect_out "lfl.focus  developing  2026-10-01  Establishing a focus on learning" &&
	run_lps 0 assess list --framework lfl --format json &&
	cat >../want <<-\EOF &&
	{
	  "cycle": "2026-2027",
	  "assessments": [
	    {
	      "lps": 1,
	      "framework": "lfl",
	      "code": "focus",
	      "cycle": "2026-2027",
	      "rating": "developing",
	      "rationale": "Starting",
	      "date": "2026-10-01"
	    }
	  ]
	}
	EOF
	test_cmp ../want "$OUT" &&
	run_lps 0 assess list --format json && cp "$OUT" ../all.json &&
	run_lps 0 validate --schema "$TOP/schemas/out-assess-list.schema.yaml" ../all.json &&
	run_lps 0 assess list --cycle 2025-2026 && expect_empty "$OUT"
'

test_expect_success 'bad input: exit codes, nothing written' '
	cd p && head=$(git rev-parse HEAD) &&
	run_lps 1 assess nope.1a --rating proficient -m x &&
	expect_err "lps: error: unknown standard \"nope.1a\"" &&
	run_lps 1 assess issl.9z --rating proficient -m x &&
	run_lps 1 assess issl.1a --rating proficient -m x --evidence e-ffff &&
	run_lps 2 assess issl.1a --rating great -m x &&
	run_lps 2 assess issl.1a -m x &&
	run_lps 2 assess issl.1a --rating proficient &&
	run_lps 2 assess --rating proficient -m x &&
	run_lps 2 assess issl.1a --rating proficient -m x --date 2026-13-01 &&
	expect_err "lps: error: --date: expected YYYY-MM-DD, got '"'"'2026-13-01'"'"'
usage: lps assess CODE --rating RATING -m TEXT [--evidence ID]...
                  [--date DATE]
   or: lps assess list [--framework NAME] [--cycle CYCLE]
                       [--format text|json]
   or: lps assess set CODE visibility=shared|private [--cycle CYCLE]" &&
	run_lps 1 assess list --framework nope &&
	run_lps 2 assess list --cycle ../x &&
	test "$(git rev-parse HEAD)" = "$head" && git_clean
'

test_expect_success 'assess --help' '
	run_lps 0 assess --help && head -n 1 "$OUT" | grep "^usage: lps assess CODE"
'

test_expect_success 'assess set visibility: one commit, then nothing to change' '
	cd p && c0=$(git rev-list --count HEAD) &&
	run_lps 0 assess set issl.1a visibility=private &&
	expect_out "Updated assessment issl.1a (2026-2027): visibility=private" &&
	commit_count $((c0 + 1)) && git_clean &&
	git log --format=%B -n1 >../msg &&
	printf "assessment: set issl.1a visibility=private\n\nLPS-Command: assess set\nLPS-Phase: purpose\n\n" >../want &&
	test_cmp ../want ../msg &&
	grep -qx "visibility: private" assessments/2026-2027/issl-1a.yaml &&
	run_lps 0 assess set issl.1a visibility=private &&
	expect_out "nothing changed" && commit_count $((c0 + 1)) &&
	run_lps 0 assess set issl.1a visibility=shared --cycle 2026-2027 &&
	commit_count $((c0 + 2)) && lps check
'

test_expect_success 'assess set: bad input, nothing written' '
	cd p && head=$(git rev-parse HEAD) &&
	run_lps 2 assess set issl.1a visibility=roundtable &&
	expect_err "lps: error: visibility must be shared or private, got '"'"'roundtable'"'"'" &&
	run_lps 2 assess set issl.1a title=x &&
	expect_err "lps: error: only visibility=VALUE can be set here, got '"'"'title=x'"'"'" &&
	run_lps 1 assess set issl.1b visibility=private &&
	expect_err "lps: error: no self-assessment of issl.1b in cycle 2026-2027" &&
	run_lps 1 assess set nope.1 visibility=private &&
	expect_err "lps: error: unknown standard \"nope.1\"" &&
	run_lps 2 assess set issl.1a &&
	run_lps 2 assess set issl.1a visibility=private --cycle "../x" &&
	test "$(git rev-parse HEAD)" = "$head" && git_clean
'

test_done
