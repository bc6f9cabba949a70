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

test_expect_success 'bash: lps check --format <TAB> gives text json' '
	complete_words lps check --format "" | sort >actual &&
	printf "%s\n" json text >expect &&
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
	for src in "$TOP"/cmd/lps-*.c; do
		[ -e "$src" ] || continue
		name=$(basename "$src" .c); name=${name#lps-}
		test -f "$TOP/man/lps-$name.1" ||
			{ echo "no man/lps-$name.1"; exit 1; }
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
