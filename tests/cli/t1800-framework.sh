#!/bin/sh
# t1800-framework: lps framework list, show, add (validated, one commit,
# no clash with a built-in) and remove (only added ones, only when unused).
. "$(dirname "$0")/lib.sh"

LPS_TODAY=2026-10-01
export LPS_TODAY

test_expect_success 'setup' '
	lps init p --name Ada --role principal --cycle 2026-2027 >/dev/null &&
	cat >dist.yaml <<-\EOF
	lps: 1
	name: dist
	title: District leadership standards
	standards:
	  - code: vision
	    title: Shared vision
	    prompts:
	      - id: dist.vision.1
	        text: Who wrote the vision?
	        phase: purpose
	    standards:
	      - code: vision-a
	        title: Vision in practice
	  - code: data
	    title: Data use
	EOF
'

test_expect_success 'list: the built-in frameworks' '
	cd p &&
	run_lps 0 framework list &&
	expect_out "issl  built-in   11 standards  Iowa Standards for School Leaders, central-office descriptors
lfl   built-in    5 standards  Leading for Learning
lps   built-in    5 standards  Leadership Performance System cycle
wsbc  built-in    5 standards  Western States Benchmarking Consortium critical areas" &&
	run_lps 0 framework list --format ids &&
	printf "issl\tIowa Standards for School Leaders, central-office descriptors\nlfl\tLeading for Learning\nlps\tLeadership Performance System cycle\nwsbc\tWestern States Benchmarking Consortium critical areas\n" >../want &&
	test_cmp ../want "$OUT"
'

test_expect_success 'add: validated, stored canonically, one commit' '
	cd p && n=$(git rev-list --count HEAD) &&
	run_lps 0 framework add ../dist.yaml &&
	expect_out "Added framework dist \"District leadership standards\" (3 standards, 1 prompts)" &&
	commit_count $((n + 1)) && git_clean &&
	git log --format=%B -n1 >../msg &&
	printf "framework: add dist\n\nLPS-Command: framework add\nLPS-Phase: purpose\n\n" >../want &&
	test_cmp ../want ../msg &&
	git show HEAD:frameworks/dist.yaml >../stored &&
	test_cmp ../dist.yaml ../stored &&
	run_lps 0 framework list --format json && cp "$OUT" ../l.json &&
	run_lps 0 validate --schema "$TOP/schemas/out-framework-list.schema.yaml" ../l.json &&
	run_lps 0 framework list && tail -n 1 "$OUT" >../last &&
	echo "dist  added       3 standards  District leadership standards" >../want &&
	test_cmp ../want ../last
'

test_expect_success 'show: standards nested, prompts with their phase; json as stored' '
	cd p &&
	run_lps 0 framework show dist &&
	expect_out "dist: District leadership standards
frameworks/dist.yaml

standards:
  dist.vision  Shared vision
      dist.vision.1 (purpose)  Who wrote the vision?
    dist.vision-a  Vision in practice
  dist.data  Data use" &&
	run_lps 0 framework show dist --format json && cp "$OUT" ../s.json &&
	run_lps 0 validate --schema framework ../s.json &&
	head -n 3 ../s.json >../h &&
	printf "{\n  \"lps\": 1,\n  \"name\": \"dist\",\n" >../want && test_cmp ../want ../h &&
	run_lps 1 framework show nope &&
	expect_err "lps: error: no framework nope"
'

test_expect_success 'add refused: clash, invalid file, nothing written' '
	cd p && head=$(git rev-parse HEAD) &&
	run_lps 1 framework add ../dist.yaml &&
	expect_err "lps: error: ../dist.yaml:2:7: framework dist already exists" &&
	sed "s/^name: dist/name: issl/; s/dist[.]vision[.]1/issl.vision.1/" ../dist.yaml >../clash.yaml &&
	run_lps 1 framework add ../clash.yaml &&
	expect_err "lps: error: ../clash.yaml:2:7: framework issl already exists (it is built in)" &&
	sed "s/^title: District.*/title: 5/; s/^name: dist/name: other/" ../dist.yaml >../bad.yaml &&
	run_lps 1 framework add ../bad.yaml &&
	printf "lps: 1\nname: two\ntitle: T\nstandards:\n  - code: a\n    title: A\n  - code: a\n    title: B\n" >../dup.yaml &&
	run_lps 1 framework add ../dup.yaml &&
	expect_err "lps: error: ../dup.yaml:7:11: standard code a is used twice in framework two" &&
	run_lps 1 framework add ../missing.yaml &&
	expect_err "lps: error: ../missing.yaml: cannot open: No such file or directory" &&
	run_lps 2 framework add &&
	run_lps 2 framework add a b &&
	test "$(git rev-parse HEAD)" = "$head" && git_clean
'

test_expect_success 'remove: refused while used, built-in or unknown' '
	cd p && mkdir -p goals assessments/2026-2027 &&
	printf "lps: 1\nid: g-00000001\ntitle: T\nagenda: student\nstatus: active\ncycle: 2026-2027\ncreated: 2026-09-01\nstandards: [dist.data]\n" >goals/g-00000001.yaml &&
	git add goals && git commit -q -m goal &&
	run_lps 0 assess dist.vision-a --rating developing -m x &&
	head=$(git rev-parse HEAD) &&
	run_lps 1 framework remove dist &&
	expect_err "lps: error: framework dist is still used by goals/g-00000001.yaml, assessments/2026-2027/dist-vision-a.yaml" &&
	run_lps 1 framework remove issl &&
	expect_err "lps: error: framework issl is built in; only added frameworks can be removed" &&
	run_lps 1 framework remove nope &&
	expect_err "lps: error: no framework nope" &&
	test "$(git rev-parse HEAD)" = "$head" && git_clean
'

test_expect_success 'remove: one commit once unused' '
	cd p && git rm -q -r goals assessments && git commit -q -m unuse &&
	n=$(git rev-list --count HEAD) &&
	run_lps 0 framework remove dist &&
	expect_out "Removed framework dist" &&
	commit_count $((n + 1)) && git_clean &&
	git log --format=%B -n1 >../msg &&
	printf "framework: remove dist\n\nLPS-Command: framework remove\nLPS-Phase: purpose\n\n" >../want &&
	test_cmp ../want ../msg &&
	test_must_fail_ls() { ! git ls-tree --name-only HEAD frameworks/dist.yaml | grep .; } &&
	test_must_fail_ls && test ! -e frameworks/dist.yaml
'

test_expect_success 'usage' '
	cd p &&
	run_lps 2 framework frob &&
	run_lps 2 framework list --format xml &&
	run_lps 2 framework show &&
	run_lps 2 framework show issl --format ids &&
	run_lps 0 framework --help && head -n 1 "$OUT" | grep "^usage: lps framework list"
'

test_done
