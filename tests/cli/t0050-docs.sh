#!/bin/sh
# t0050-docs: completions, manual pages and README keep up with the
# commands: every cmd/lps-*.c has a man page, an entry in the bash, zsh and
# fish completions and a README section; the completions work.
. "$(dirname "$0")/lib.sh"

COMP=$TOP/completions

# complete WORD...: run the bash completion for the command line WORD...
# (the last word is the one being completed) and print the candidates.
complete_words() {
	bash -c '
		. "$1" || exit 1
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_lps
		printf "%s\n" "${COMPREPLY[@]}"
	' complete "$COMP/lps.bash" "$@"
}

test_expect_success 'bash completion parses' '
	bash -n "$COMP/lps.bash"
'

test_expect_success 'bash: lps ch<TAB> gives check' '
	complete_words lps ch >actual &&
	echo check >expect &&
	test_cmp expect actual
'

test_expect_success 'bash: lps check --format <TAB> gives the four formats' '
	complete_words lps check --format "" | sort >actual &&
	printf "%s\n" github json junit text >expect &&
	test_cmp expect actual
'

# report_kinds: the kinds `lps report --help` lists ("    KIND  text").
report_kinds() {
	run_lps 0 report --help &&
	sed -n "s/^    \([a-z][a-z]*\)  .*/\1/p" "$OUT"
}

# Every kind --help lists is completed, and every completed kind is one
# that lps report knows (a kind it does not know is a usage error, 2).
test_expect_success 'bash: report kinds follow lps report; formats' '
	report_kinds >kinds &&
	test "$(wc -l <kinds)" -ge 5 &&
	complete_words lps report "" >actual &&
	sort kinds >expect &&
	sort actual | comm -23 expect - >missing &&
	expect_empty missing &&
	lps init --name "Ada" --role principal --cycle 2026-2027 fw >/dev/null &&
	while read -r kind; do
		set +e
		(cd fw && lps report "$kind" >/dev/null 2>"$TRASH/err")
		rc=$?
		set -e
		test "$rc" != 2 ||
			{ echo "lps report $kind: usage error"; cat err; exit 1; }
	done <actual &&
	complete_words lps report p >actual &&
	echo progress >expect &&
	test_cmp expect actual &&
	complete_words lps report exhibit --format "" >actual &&
	printf "%s\n" text markdown json html csv >expect &&
	test_cmp expect actual &&
	complete_words lps report exhibit "" >actual &&
	! grep . actual &&
	(cd fw && complete_words lps report --framework "") | sort >actual &&
	printf "%s\n" issl lfl lps wsbc >expect &&
	test_cmp expect actual
'

# usage_subs CMD: the subcommands in the usage lines of `lps CMD --help`.
usage_subs() {
	run_lps 0 "$1" --help &&
	sed -n "s/^\(usage:\|   or:\) lps $1 \([a-z-]*\).*/\2/p" "$OUT" |
		awk "!seen[\$0]++"
}

test_expect_success 'bash: roundtable subcommands follow lps roundtable --help' '
	usage_subs roundtable >expect &&
	test "$(wc -l <expect)" -ge 6 &&
	complete_words lps roundtable "" >actual &&
	test_cmp expect actual &&
	complete_words lps roundtable meeting "" >actual &&
	printf "%s\n" add list show >expect &&
	test_cmp expect actual &&
	complete_words lps roundtable norms "" >actual &&
	printf "%s\n" show edit >expect &&
	test_cmp expect actual &&
	complete_words lps roundtable meeting add --a | sort >actual &&
	printf "%s\n" --agenda --attendees >expect &&
	test_cmp expect actual &&
	usage_subs feedback >expect &&
	complete_words lps feedback "" | sort >actual &&
	sort expect | test_cmp - actual &&
	complete_words lps push - >actual &&
	printf "%s\n" -q --quiet --help >expect &&
	test_cmp expect actual
'

test_expect_success 'bash: options, values and commands' '
	complete_words lps log - | sort >actual &&
	printf "%s\n" --format --help --phases -n >expect &&
	test_cmp expect actual &&
	complete_words lps init --role p >actual &&
	echo principal >expect &&
	test_cmp expect actual &&
	complete_words lps validate --schema go >actual &&
	echo goal >expect &&
	test_cmp expect actual &&
	complete_words lps -C /tmp lo >actual &&
	echo log >expect &&
	test_cmp expect actual &&
	complete_words lps help va >actual &&
	echo validate >expect &&
	test_cmp expect actual &&
	complete_words lps - | sort >actual &&
	printf "%s\n" --help --version -C >expect &&
	test_cmp expect actual
'

test_expect_success 'bash: lps-* programs on PATH are commands too' '
	mkdir bin &&
	printf "#!/bin/sh\n" >bin/lps-zebra &&
	chmod +x bin/lps-zebra &&
	PATH="$TRASH/bin:$PATH" complete_words lps zeb >actual &&
	echo zebra >expect &&
	test_cmp expect actual
'

test_expect_success 'bash: roles match the portfolio schema' '
	sed -n "/^  role:/,/^  [a-z]/s/^      - //p" "$TOP/schemas/portfolio.schema.yaml" |
		sort >expect &&
	test -s expect &&
	complete_words lps init --role "" | sort >actual &&
	test_cmp expect actual
'

# schema_enum FILE KEY: the values of the first enum under "KEY:" in a
# schema file (inline [a, b] or a block list), one per line.
schema_enum() {
	awk -v key="$2" '
	!on && $0 ~ "^ *" key ":$" { on = 1; ind = match($0, /[^ ]/); next }
	on {
		i = match($0, /[^ ]/)
		if (i <= ind) exit
		if ($0 ~ /enum: \[/) {
			sub(/.*enum: \[/, ""); sub(/\].*/, ""); gsub(/, */, "\n")
			print; exit
		}
		if ($0 ~ /enum:$/) { list = 1; next }
		if (list && $0 ~ /^ *- /) { sub(/^ *- /, ""); print; next }
		if (list) exit
	}' "$TOP/schemas/$1.schema.yaml"
}

test_expect_success 'front end, bash, zsh and fish know the same commands' '
	run_lps 0 help &&
	sed -n "/^commands:/,/^\$/s/^  \([a-z-]*\)  .*/\1/p" "$OUT" >expect &&
	echo help >>expect &&
	test "$(wc -l <expect)" -ge 17 &&
	bash -c ". \"$COMP/lps.bash\"; printf \"%s\\n\" \$_lps_cmds help" >bash &&
	test_cmp expect bash &&
	sed -n "/^_lps_cmds=(/,/^)/s/^	'"'"'\([a-z-]*\):.*/\1/p" "$COMP/_lps" >zsh &&
	test_cmp expect zsh &&
	sed -n "s/^complete -c lps -n __lps_needs_command -a \([a-z-]*\) .*/\1/p" \
		"$COMP/lps.fish" >fish &&
	test_cmp expect fish
'

test_expect_success 'bash: subcommands, nested subcommands and their options' '
	complete_words lps goal "" >actual &&
	printf "%s\n" add list show edit set drop indicator measure >expect &&
	test_cmp expect actual &&
	complete_words lps goal indicator "" >actual &&
	echo add >expect &&
	test_cmp expect actual &&
	complete_words lps goal indicator add --b >actual &&
	echo --baseline >expect &&
	test_cmp expect actual &&
	complete_words lps phase "" >actual &&
	printf "%s\n" show advance >expect &&
	test_cmp expect actual &&
	complete_words lps phase advance - | sort >actual &&
	printf "%s\n" --carry --cycle --force --help --reason >expect &&
	test_cmp expect actual &&
	complete_words lps evidence attach --goal g-1 --k >actual &&
	echo --kind >expect &&
	test_cmp expect actual &&
	complete_words lps goal list --format "" >actual &&
	printf "%s\n" text json ids >expect &&
	test_cmp expect actual &&
	complete_words lps check --format = j >actual &&
	printf "%s\n" json junit >expect &&
	test_cmp expect actual &&
	complete_words lps reflect --prompts --phase o >actual &&
	echo outcomes >expect &&
	test_cmp expect actual &&
	complete_words lps goal set g-1 status = partially >actual &&
	echo partially-met >expect &&
	test_cmp expect actual
'

test_expect_success 'bash: values follow the schemas' '
	for spec in "goal add --agenda:goal agenda" \
		"goal add --area:goal area" \
		"goal list --status:goal status" \
		"evidence add --kind:evidence kind" \
		"feedback add --kind:feedback kind" \
		"structure add --kind:portfolio kind" \
		"purpose set --function:portfolio function" \
		"assess --rating:assessment rating" \
		"reflect --visibility:reflection visibility" \
		"feedback give --kind:feedback kind"; do
		words=${spec%%:*}; src=${spec#*:}
		schema_enum $src | sort >expect &&
		test -s expect &&
		complete_words lps $words "" | sort >actual &&
		test_cmp expect actual ||
			{ echo "lps $words: not the enum of $src"; exit 1; }
	done
'

test_expect_success 'bash: lps goal show <TAB> completes the goal ids' '
	lps init --name "Ada" --role principal --cycle 2026-2027 folio >/dev/null &&
	(cd folio &&
	 lps goal add "Raise grade 3 reading" --agenda student >/dev/null &&
	 lps goal add "Coaching: every teacher" --agenda professional >/dev/null) &&
	ls folio/goals | sed "s/\.yaml\$//" | sort >expect &&
	test "$(wc -l <expect)" = 2 &&
	(cd folio && complete_words lps goal show "") | sort >actual &&
	test_cmp expect actual &&
	complete_words lps -C folio goal show "" | sort >actual &&
	test_cmp expect actual &&
	first=$(head -n 1 expect) &&
	(cd folio && complete_words lps goal show "${first%??????}") >actual &&
	echo "$first" >expect1 &&
	test_cmp expect1 actual &&
	(cd folio && complete_words lps evidence add --goal "") | sort >actual &&
	test_cmp expect actual &&
	(cd folio && complete_words lps goal show "$first" "") >actual &&
	! grep . actual
'

test_expect_success 'bash: visibility=VALUE follows the schemas' '
	# evidence, feedback and assessments take the visibility of
	# common.schema.yaml
	for spec in evidence:common reflection:reflection feedback:common assess:common; do
		thing=${spec%%:*}
		schema_enum ${spec#*:} visibility | sort >expect &&
		test -s expect &&
		complete_words lps $thing set x-1 visibility = "" | sort >actual &&
		test_cmp expect actual ||
			{ echo "lps $thing set: not the enum of ${spec#*:}"; exit 1; }
		complete_words lps $thing set x-1 v >actual &&
		echo visibility= >expect &&
		test_cmp expect actual || exit 1
	done
'

test_expect_success 'bash: roundtable members and their items complete' '
	git init -q --bare "$TRASH_ROOT/rt.git" &&
	for who in ada bob; do
		lps init --name "$who" --role principal --cycle 2026-2027 "rt-$who" >/dev/null &&
		(cd "rt-$who" &&
		 lps roundtable join "$TRASH_ROOT/rt.git" --as "$who" >/dev/null &&
		 lps goal add "Goal of $who" --agenda student >/dev/null &&
		 lps push -q) || exit 1
	done &&
	(cd rt-ada && lps pull -q && complete_words lps feedback give "") >actual &&
	printf "%s\n" ada bob >expect &&
	test_cmp expect actual &&
	ls rt-bob/goals | sed "s/\.yaml\$//" >expect &&
	(cd rt-ada && complete_words lps feedback give bob --on "") >actual &&
	test_cmp expect actual &&
	(cd rt-ada && complete_words lps roundtable show b) >actual &&
	echo bob >expect &&
	test_cmp expect actual &&
	(cd rt-ada && complete_words lps roundtable show bob "") >actual &&
	printf "%s\n" goal evidence reflection >expect &&
	test_cmp expect actual
'

test_expect_success 'bash: standards, prompts and action steps complete' '
	(cd folio && complete_words lps goal add --standard wsbc.) >actual &&
	printf "wsbc.%s\n" 1 2 3 4 5 >expect &&
	test_cmp expect actual &&
	(cd folio && complete_words lps assess lfl.f) >actual &&
	echo lfl.focus >expect &&
	test_cmp expect actual &&
	(cd folio && complete_words lps reflect --prompt lfl.focus.) >actual &&
	printf "lfl.focus.%s\n" 1 2 3 >expect &&
	test_cmp expect actual &&
	first=$(ls folio/goals | sed -n "1s/\.yaml\$//p") &&
	(cd folio && lps action add "$first" "Walk-throughs" >/dev/null &&
	 lps action add "$first" "Coaching" >/dev/null &&
	 complete_words lps action done "$first" "") >actual &&
	printf "%s\n" s1 s2 >expect &&
	test_cmp expect actual
'

# zsh_complete DIR LINE [PATTERN]: what zsh lists for LINE<TAB><TAB> when
# run in DIR, driven through a pseudo-terminal (zsh/zpty); the listing
# lines that match the sed PATTERN (default: goal ids) only.
zsh_complete() {
	zsh -f -c '
		zmodload zsh/zpty || exit 4
		zpty -b z "TERM=dumb zsh -f -i"
		zpty -w z "PS1=\"%% \"; unsetopt zle_bracketed_paste 2>/dev/null; fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -D; zstyle \":completion:*\" list-separator \"--\"; LISTMAX=1000; cd $2; print ZRE\"\"ADY"
		out=; n=0
		# the echo of the typed line shows ZRE""ADY: wait for the output
		until [[ $out == *ZREADY* ]] || (( n++ > 200 )); do
			zpty -r -t z c && out+=$c; sleep 0.05
		done
		zpty -w -n z "$3"$'"'"'\t'"'"'; sleep 0.5; zpty -w -n z $'"'"'\t'"'"'
		sleep 0.5; zpty -w z $'"'"'\C-u'"'"'"print ZDONE"
		out=; n=0
		until [[ $out == *$'"'"'\nZDONE'"'"'* ]] || (( n++ > 200 )); do
			zpty -r -t z c && out+=$c; sleep 0.05
		done
		zpty -d z
		print -r -- "${${out//$'"'"'\r'"'"'/}//$'"'"'\e'"'"'\[[0-9;?]#[A-Za-z]/}"
	' zsh_complete "$COMP" "$1" "$2" >"$TRASH_ROOT/zsh.out"
	pat=${3-}
	[ -n "$pat" ] || pat='^g-[0-9a-f]\{8\} *-- '
	sed -n "s/ *\$//; \|$pat|p" "$TRASH_ROOT/zsh.out"
}

test_expect_success 'zsh: lps goal show <TAB> lists the ids with their titles' '
	command -v zsh >/dev/null || { echo "zsh is not installed"; exit 1; }
	for f in folio/goals/*.yaml; do
		id=$(basename "$f" .yaml)
		title=$(sed -n "s/^title: \"\{0,1\}\([^\"]*\)\"\{0,1\}\$/\1/p" "$f")
		echo "$id  -- $title"
	done | sort >expect &&
	test "$(wc -l <expect)" = 2 &&
	zsh_complete "$TRASH/folio" "lps goal show " | sort >actual &&
	test_cmp expect actual
'

test_expect_success 'fish: lps goal show <TAB> lists the ids with their titles' '
	command -v fish >/dev/null || { echo "fish is not installed"; exit 1; }
	for f in folio/goals/*.yaml; do
		id=$(basename "$f" .yaml)
		title=$(sed -n "s/^title: \"\{0,1\}\([^\"]*\)\"\{0,1\}\$/\1/p" "$f")
		printf "%s\t%s\n" "$id" "$title"
	done | sort >expect &&
	(cd folio && fish -c "source $COMP/lps.fish; complete -C \"lps goal show \"") |
		sort >actual &&
	test_cmp expect actual &&
	fish -c "source $COMP/lps.fish; complete -C \"lps -C folio action add \"" |
		sort >actual &&
	test_cmp expect actual &&
	fish -c "source $COMP/lps.fish; complete -C \"lps goal indicator \"" >actual &&
	printf "add\tadd an indicator with baseline and target\n" >expect &&
	test_cmp expect actual
'

# Kinds and descriptions follow lps report --help: each kind completes
# with a description of its own, and the description of the report
# command itself names every kind.
test_expect_success 'zsh and fish: report kinds with their descriptions' '
	report_kinds | sort >kinds &&
	test "$(wc -l <kinds)" -ge 6 &&
	zsh_complete "$TRASH/folio" "lps report " "^[a-z]* *-- " >zsh &&
	sed "s/ .*//" zsh | sort >actual &&
	test_cmp kinds actual &&
	! grep -v "^[a-z]* *-- [a-z]" zsh &&
	fish -c "source $COMP/lps.fish; complete -C \"lps report \"" >actual &&
	cut -f1 actual | sort | test_cmp kinds - &&
	! grep -v "^[a-z]*	[a-z]" actual &&
	grep -q "^exhibit	the whole portfolio" actual &&
	sed -n "s/^	'"'"'report:\(.*\)'"'"'\$/\1/p" "$COMP/_lps" >zdesc &&
	sed -n "s/^complete -c lps -n __lps_needs_command -a report -d '"'"'\(.*\)'"'"'\$/\1/p" \
		"$COMP/lps.fish" >fdesc &&
	test -s zdesc && test -s fdesc &&
	while read -r kind; do
		grep -qw "$kind" zdesc ||
			{ echo "zsh: lps report described without $kind"; exit 1; }
		grep -qw "$kind" fdesc ||
			{ echo "fish: lps report described without $kind"; exit 1; }
	done <kinds &&
	fish -c "source $COMP/lps.fish; complete -C \"lps roundtable meeting \"" |
		cut -f1 >actual &&
	printf "%s\n" add list show >expect &&
	test_cmp expect actual
'

# With the shipped lps-* programs on PATH (lib.sh puts them there) and a
# user's lps-zebra: every command once, the built-in ones with their own
# descriptions, only the others as an lps-* program.
test_expect_success 'zsh and fish: lps-* programs on PATH do not hide the descriptions' '
	ls "$LPS_TEST_BIN"/lps-goal "$LPS_TEST_BIN"/lps-report >/dev/null &&
	test -x bin/lps-zebra &&
	sed -n "s/^complete -c lps -n __lps_needs_command -a \([a-z-]*\) -d [\"'"'"']\(.*\)[\"'"'"']\$/\1	\2/p" \
		"$COMP/lps.fish" >expect &&
	test "$(wc -l <expect)" -ge 17 &&
	printf "zebra\tlps-* program\n" >>expect &&
	PATH="$TRASH/bin:$PATH" fish -c "source $COMP/lps.fish; complete -C \"lps \"" |
		grep -v "^guard	" >actual &&
	sort expect | test_cmp - actual &&
	# zsh lists the matches that share a description on one line
	PATH="$TRASH/bin:$PATH" zsh_complete "$TRASH" "lps " "^[a-z][a-z -]*-- " >zsh &&
	sed "s/ *--.*//" zsh | tr -s " " "\\n" | sort >actual &&
	sort -u actual | test_cmp - actual &&
	grep -vx guard actual >names &&
	cut -f1 expect | sort | test_cmp - names &&
	grep -q "^goal *-- add, list, show, edit and measure goals" zsh &&
	grep -q "^report *-- status, progress" zsh &&
	sed -n "s/ *-- lps-\\* program\$//p" zsh | tr -s " " "\\n" >actual &&
	printf "%s\\n" guard zebra >expect &&
	test_cmp expect actual
'

for sh in zsh fish; do
	case $sh in zsh) f=_lps;; fish) f=lps.fish;; esac
	if command -v $sh >/dev/null 2>&1; then
		test_expect_success "$sh completion parses" "$sh -n '$COMP/$f'"
	else
		echo "# skipped: $sh -n $f ($sh is not installed)"
	fi
done

test_expect_success 'every command has a man page, completions and a README section' '
	n=0
	run_lps 0 help &&
	sed -n "/^server-side programs/,/^\$/s/^  lps-\([a-z-]*\)  .*/\1/p" "$OUT" >server &&
	echo guard >expect &&
	test_cmp expect server &&
	for src in "$TOP"/cmd/lps-*.c; do
		[ -e "$src" ] || continue
		name=$(basename "$src" .c); name=${name#lps-}
		test -f "$TOP/man/lps-$name.1" ||
			{ echo "no man/lps-$name.1"; exit 1; }
		# A server-side program is not typed at a prompt: no
		# completions, and its README section is named lps-NAME.
		if grep -qx "$name" server; then
			grep -q "^### lps-$name\$" "$TOP/README.md" ||
				{ echo "no README section for lps-$name"; exit 1; }
			n=$((n + 1))
			continue
		fi
		grep -q "^	\[$name\]=" "$COMP/lps.bash" ||
			{ echo "no $name in lps.bash"; exit 1; }
		grep -q "^	'"'"'$name:" "$COMP/_lps" ||
			{ echo "no $name in _lps"; exit 1; }
		grep -q "^_lps_cmd_$name()" "$COMP/_lps" ||
			{ echo "no _lps_cmd_$name in _lps"; exit 1; }
		grep -q "__lps_needs_command -a $name " "$COMP/lps.fish" ||
			{ echo "no $name in lps.fish"; exit 1; }
		grep -q "^### lps $name\$" "$TOP/README.md" ||
			{ echo "no README section for $name"; exit 1; }
		n=$((n + 1))
	done
	echo "$n commands checked"
	test "$n" -ge 1
'

test_expect_success 'the front end lists the commands the docs know' '
	run_lps 0 help &&
	sed -n "/^commands:/,/^\$/s/^  \([a-z-]*\)  .*/\1/p" "$OUT" >cmds &&
	test -s cmds &&
	while read -r name; do
		test -f "$TOP/man/lps-$name.1" ||
			{ echo "lps lists $name, no man page"; exit 1; }
		grep -q "^### lps $name\$" "$TOP/README.md" ||
			{ echo "lps lists $name, not in README"; exit 1; }
	done <cmds
'

test_expect_success 'man pages are clean under mandoc -Tlint' '
	test -f "$TOP/man/lps.1" &&
	mandoc -Tlint -Wwarning "$TOP"/man/*.[1-9]
'

test_done
