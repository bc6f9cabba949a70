#!/bin/sh
# t1600-structure: lps structure add|list|remove keeps the structures of
# lps.yaml, and the partner and roundtable fields in step with them.
. "$(dirname "$0")/lib.sh"

export LPS_TODAY=2026-10-01

test_expect_success 'setup' '
	lps init p --name "Ada Leader" --role principal >/dev/null &&
	git -C p rev-parse HEAD >head0
'

test_expect_success 'add a partner: one commit, partner field, output' '
	cd p &&
	run_lps 0 structure add --kind partner --name "Ms. Rivera" &&
	expect_out "Added partner \"Ms. Rivera\" (ms-rivera)" &&
	expect_empty "$ERR" &&
	commit_count 2 && git_clean &&
	git log --format=%B -n1 >../msg &&
	printf "%s\n" "structure: add partner \"Ms. Rivera\"" "" \
		"LPS-Command: structure add" "LPS-Phase: purpose" "" >../expect &&
	test_cmp ../expect ../msg &&
	cat >../expect <<-\EOF &&
	lps: 1
	owner:
	  name: Ada Leader
	role: principal
	cycle: 2026-2027
	phase: purpose
	partner:
	  name: Ms. Rivera
	structures:
	  - kind: partner
	    name: Ms. Rivera
	created: 2026-10-01
	EOF
	test_cmp ../expect lps.yaml
'

test_expect_success 'add a roundtable with members and cadence, and a group' '
	cd p &&
	run_lps 0 structure add --kind roundtable --name "North Roundtable" \
		--members "Bo Chen" --members "Cy Diaz" --meets monthly &&
	expect_out "Added roundtable \"North Roundtable\" (north-roundtable)" &&
	run_lps 0 structure add --kind group --name "Data team" --meets weekly &&
	commit_count 4 && git_clean &&
	git show HEAD:lps.yaml | sed -n "/^roundtable:/,/^created:/p" >../got &&
	cat >../expect <<-\EOF &&
	roundtable:
	  name: North Roundtable
	  meets: monthly
	structures:
	  - kind: partner
	    name: Ms. Rivera
	  - kind: roundtable
	    name: North Roundtable
	    members:
	      - Bo Chen
	      - Cy Diaz
	    meets: monthly
	  - kind: group
	    name: Data team
	    meets: weekly
	created: 2026-10-01
	EOF
	test_cmp ../expect ../got
'

test_expect_success 'list: text, ids, json (valid against its schema)' '
	cd p &&
	run_lps 0 structure list &&
	cat >../expect <<-\EOF &&
	ms-rivera         partner     Ms. Rivera
	north-roundtable  roundtable  North Roundtable  meets: monthly  members: Bo Chen, Cy Diaz
	data-team         group       Data team  meets: weekly
	EOF
	test_cmp ../expect "$OUT" &&
	run_lps 0 structure list --format ids &&
	printf "ms-rivera\tMs. Rivera\nnorth-roundtable\tNorth Roundtable\ndata-team\tData team\n" >../expect &&
	test_cmp ../expect "$OUT" &&
	run_lps 0 structure list --format json &&
	cp "$OUT" ../list.json &&
	printf "%s\n" "{" "  \"structures\": [" "    {" \
		"      \"key\": \"ms-rivera\"," "      \"kind\": \"partner\"," \
		"      \"name\": \"Ms. Rivera\"" "    }," >../expect &&
	head -n 7 ../list.json >../got && test_cmp ../expect ../got &&
	run_lps 0 validate --schema "$TOP/schemas/out-structure-list.schema.yaml" ../list.json
'

test_expect_success 'refusals change nothing' '
	cd p &&
	git rev-parse HEAD >../before &&
	run_lps 1 structure add --kind partner --name "Someone Else" &&
	expect_err "lps: error: a partner is already named: \"Ms. Rivera\"; remove it first" &&
	run_lps 1 structure add --kind group --name "ms  rivera!" &&
	expect_err "lps: error: a structure with key \"ms-rivera\" exists: \"Ms. Rivera\"" &&
	run_lps 1 structure add --kind group --name G --members A --members A &&
	expect_err "lps: error: member \"A\" is named twice" &&
	run_lps 2 structure add --kind club --name X &&
	head -n 1 "$ERR" >../got &&
	echo "lps: error: --kind: unknown value '"'"'club'"'"' (one of: partner roundtable group)" >../expect &&
	test_cmp ../expect ../got &&
	run_lps 2 structure add --name X &&
	run_lps 2 structure add --kind group &&
	run_lps 2 structure add --kind &&
	run_lps 2 structure frobnicate &&
	run_lps 2 structure &&
	run_lps 1 structure remove nobody &&
	expect_err "lps: error: no structure named \"nobody\"" &&
	run_lps 2 structure remove &&
	git rev-parse HEAD >../after && test_cmp ../before ../after && git_clean
'

test_expect_success 'remove by key and by name; fields follow' '
	cd p &&
	run_lps 0 structure remove ms-rivera &&
	expect_out "Removed partner \"Ms. Rivera\" (ms-rivera)" &&
	git log --format=%B -n1 >../msg &&
	printf "%s\n" "structure: remove partner \"Ms. Rivera\"" "" \
		"LPS-Command: structure remove" "LPS-Phase: purpose" "" >../expect &&
	test_cmp ../expect ../msg &&
	! grep -q "^partner:" lps.yaml &&
	run_lps 0 structure remove "North Roundtable" &&
	! grep -q "^roundtable:" lps.yaml &&
	run_lps 0 structure remove data-team &&
	! grep -q "^structures:" lps.yaml &&
	commit_count 7 && git_clean &&
	run_lps 0 structure list && expect_empty "$OUT"
'

test_expect_success 'a partner written by hand is listed and kept' '
	cd p &&
	printf "partner:\n  name: Jo Park\n  email: jo@example.org\n" >>lps.yaml &&
	git commit -q -am "hand edit" &&
	run_lps 0 structure list &&
	expect_out "jo-park  partner     Jo Park" &&
	run_lps 0 structure add --kind group --name Coaches &&
	git show HEAD:lps.yaml | sed -n "/^partner:/,/^created:/p" >../got &&
	cat >../expect <<-\EOF &&
	partner:
	  name: Jo Park
	  email: jo@example.org
	structures:
	  - kind: partner
	    name: Jo Park
	  - kind: group
	    name: Coaches
	created: 2026-10-01
	EOF
	test_cmp ../expect ../got && git_clean
'

test_expect_success 'uncommitted edits to lps.yaml: refused (exit 3), kept' '
	cd p &&
	git rev-parse HEAD >../before &&
	echo "# my note" >>lps.yaml && cp lps.yaml ../mine &&
	run_lps 3 structure add --kind group --name Later &&
	grep -q "lps.yaml" "$ERR" &&
	test_cmp ../mine lps.yaml &&
	git rev-parse HEAD >../after && test_cmp ../before ../after &&
	git checkout -q lps.yaml && git_clean
'

test_expect_success 'help and outside a portfolio' '
	run_lps 0 structure --help &&
	head -n 1 "$OUT" >../got &&
	echo "usage: lps structure add --kind partner|roundtable|group --name NAME" >../expect &&
	test_cmp ../expect ../got &&
	run_lps 1 structure list
'

test_done
