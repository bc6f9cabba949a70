#!/bin/sh
# t0200-validate: lps validate against built-in schemas, schema files and
# the schema of a file's place in its portfolio.
. "$(dirname "$0")/lib.sh"
D=$DATA/cli
V=$DATA/docs/valid

test_expect_success 'valid files: exit 0, nothing printed' '
	run_lps 0 validate --schema goal $V/goals/g-3f9a1c07.yaml \
		$V/goals/g-a0b1c2d3.yaml &&
	expect_empty "$OUT" && expect_empty "$ERR"
'

test_expect_success '-v says which files are valid' '
	run_lps 0 validate -v --schema portfolio $V/lps.yaml &&
	expect_out "$V/lps.yaml: valid" && expect_empty "$ERR"
'

test_expect_success 'invalid goal: exit 1 and the exact finding on stdout' '
	cp $D/goal-ten.yaml goal.yaml &&
	run_lps 1 validate --schema goal goal.yaml &&
	expect_out "goal.yaml:12:13: indicators[0].target: expected number, got string \"ten\"" &&
	expect_empty "$ERR"
'

test_expect_success 'every finding is listed; the root has no path' '
	cp $D/person-bad.yaml p.yaml &&
	run_lps 1 validate --schema $D/schema-person.json p.yaml &&
	cat >expect <<-\EOT &&
	p.yaml:1:7: name: must be at least 1 character long (got 0)
	p.yaml:2:7: born: is not a valid date
	p.yaml:3:1: property "age" is not allowed
	EOT
	test_cmp expect "$OUT"
'

test_expect_success 'a JSON file against a JSON schema file' '
	run_lps 0 validate -v --schema $D/schema-person.json $D/person.json &&
	expect_out "$D/person.json: valid"
'

test_expect_success 'a JSON array where a mapping is expected' '
	cp $D/array.yaml a.yaml &&
	run_lps 1 validate --schema goal a.yaml &&
	expect_out "a.yaml:1:1: expected object, got array"
'

test_expect_success 'unreadable file: exit 4, the others still checked' '
	cp $D/goal-ten.yaml goal.yaml &&
	run_lps 4 validate --schema goal missing.yaml goal.yaml &&
	expect_err "lps: error: missing.yaml: cannot open: No such file or directory" &&
	expect_out "goal.yaml:12:13: indicators[0].target: expected number, got string \"ten\""
'

test_expect_success 'a syntax error is exit 1 naming file, line and column' '
	printf "a: 1\na: 2\n" >dup.yaml &&
	run_lps 1 validate --schema goal dup.yaml &&
	expect_empty "$OUT" &&
	grep -q "^lps: error: dup.yaml:2:1: duplicate key \"a\"" "$ERR"
'

test_expect_success 'usage errors: exit 2' '
	run_lps 2 validate &&
	grep -q "^lps: error: no file to validate" "$ERR" &&
	run_lps 2 validate --bogus x.yaml &&
	grep -q "^lps: error: unknown option --bogus" "$ERR" &&
	run_lps 2 validate $V/lps.yaml --schema &&
	head -n 1 "$ERR" >first &&
	echo "lps: error: option --schema needs a value" >expect &&
	test_cmp expect first && expect_empty "$OUT" &&
	run_lps 2 validate $V/lps.yaml -s &&
	head -n 1 "$ERR" >first &&
	echo "lps: error: option -s needs a value" >expect &&
	test_cmp expect first &&
	run_lps 2 validate --schema nosuch $V/lps.yaml &&
	grep -q "^lps: error: unknown schema .nosuch. (one of: .*goal.*)" "$ERR"
'

test_expect_success 'schema file with an unknown keyword: exit 1 with its place' '
	run_lps 1 validate --schema $D/schema-unknown-keyword.yaml $D/person.json &&
	expect_err "lps: error: $D/schema-unknown-keyword.yaml:6:5: unknown keyword \"maxLenght\"" &&
	expect_empty "$OUT"
'

test_expect_success 'schema file with a $ref that does not resolve: exit 1' '
	run_lps 1 validate --schema $D/schema-bad-ref.yaml $D/person.json &&
	grep -q "^lps: error: $D/schema-bad-ref.yaml:5:11: \$ref \"#/\$defs/nowhere\" does not resolve" "$ERR"
'

test_expect_success 'schema file with a $ref cycle: exit 1, no hang' '
	set +e; timeout 5 lps validate --schema $D/schema-ref-cycle.yaml \
		$D/person.json >"$OUT" 2>"$ERR"; rc=$?; set -e &&
	test $rc -eq 1 &&
	grep -q "^lps: error: $D/schema-ref-cycle.yaml:[0-9]*:[0-9]*: \$ref cycle" "$ERR"
'

test_expect_success 'schema files $ref sibling files, relative to themselves' '
	mkdir -p sch/sub &&
	cat >sch/common.schema.yaml <<-\EOT &&
	$defs:
	  date: {type: string, format: date}
	EOT
	cat >sch/top.schema.yaml <<-\EOT &&
	$id: https://lps.invalid/t/top.schema.yaml
	type: object
	properties:
	  when: {$ref: "common.schema.yaml#/$defs/date"}
	  other: {$ref: "sub/other.schema.yaml"}
	EOT
	cat >sch/sub/other.schema.yaml <<-\EOT &&
	type: object
	properties:
	  d: {$ref: "../common.schema.yaml#/$defs/date"}
	EOT
	printf "when: 2026-10-01\nother: {d: 2026-10-02}\n" >ok.yaml &&
	run_lps 0 validate --schema sch/top.schema.yaml ok.yaml &&
	expect_empty "$OUT" && expect_empty "$ERR" &&
	printf "when: 2026-13-01\nother: {d: soon}\n" >bad.yaml &&
	run_lps 1 validate --schema sch/top.schema.yaml bad.yaml &&
	printf "%s\n" "bad.yaml:1:7: when: is not a valid date" \
		"bad.yaml:2:12: other.d: is not a valid date" >expect &&
	test_cmp expect "$OUT"
'

test_expect_success 'a sibling file that is missing or outside the folder does not resolve' '
	cat >sch/sub/away.schema.yaml <<-\EOT &&
	$ref: "../../outside.schema.yaml"
	EOT
	cp sch/common.schema.yaml outside.schema.yaml &&
	run_lps 1 validate --schema sch/sub/away.schema.yaml ok.yaml &&
	expect_err "lps: error: sch/sub/away.schema.yaml:1:7: \$ref \"../../outside.schema.yaml\" does not resolve (file://$(pwd -P)/outside.schema.yaml)" &&
	cat >sch/gone.schema.yaml <<-\EOT &&
	$ref: "nothere.schema.yaml#/$defs/x"
	EOT
	run_lps 1 validate --schema sch/gone.schema.yaml ok.yaml &&
	expect_err "lps: error: sch/gone.schema.yaml:1:7: \$ref \"nothere.schema.yaml#/\$defs/x\" does not resolve (file://$(cd sch && pwd -P)/nothere.schema.yaml#/\$defs/x)"
'

test_expect_success 'missing schema file: exit 4' '
	run_lps 4 validate --schema ./nope.yaml $D/person.json &&
	expect_err "lps: error: ./nope.yaml: cannot open: No such file or directory"
'

test_expect_success 'without --schema: the schema of the file'"'"'s place' '
	git init -q port && mkdir -p port/goals port/notes &&
	cp $D/goal-ten.yaml port/goals/g-1234abcd.yaml &&
	cp $V/lps.yaml port/lps.yaml &&
	run_lps 1 validate port/goals/g-1234abcd.yaml port/lps.yaml &&
	expect_out "port/goals/g-1234abcd.yaml:12:13: indicators[0].target: expected number, got string \"ten\"" &&
	(cd port/goals && run_lps 0 validate -v ../lps.yaml) &&
	expect_out "../lps.yaml: valid"
'

test_expect_success 'without --schema: no known place is exit 2' '
	cp $V/lps.yaml port/notes/x.yaml &&
	run_lps 2 validate port/notes/x.yaml &&
	expect_err "lps: error: cannot tell which schema applies to port/notes/x.yaml; use --schema" &&
	cp $V/lps.yaml outside.yaml &&
	run_lps 2 validate outside.yaml &&
	expect_err "lps: error: cannot tell which schema applies to outside.yaml; use --schema"
'

test_done
