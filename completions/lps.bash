# bash completion for lps                                  -*- shell-script -*-
#
# Source it, or install it as .../bash-completion/completions/lps.
# Each command is one entry in _lps_opts (its options; a trailing "=" marks
# an option that takes a value) and, for options with a fixed set of values,
# one entry per option in _lps_vals.  _lps_args says what the non-option
# arguments are: "files", "dirs", "commands" or nothing.

_lps_cmds="init validate check log"

declare -gA _lps_opts=(
	[init]="--name= --role= --district= --school= --cycle= --email= --help"
	[validate]="--schema= --verbose --help"
	[check]="--rev= --format= --help"
	[log]="--phases -n= --format= --help"
	[help]=""
)

declare -gA _lps_vals=(
	[init --role]="principal assistant-principal district-administrator superintendent teacher-leader instructional-coach other"
	[validate --schema]="portfolio goal evidence reflection feedback assessment framework check log"
	[check --format]="text json"
	[log --format]="text json"
)

declare -gA _lps_args=(
	[init]=dirs
	[validate]=files
	[help]=commands
)

# Command names: the built-in ones and any lps-* program on PATH.
_lps_all_commands()
{
	local c extra
	extra=$(compgen -c lps- 2>/dev/null | sed 's/^lps-//')
	for c in $_lps_cmds help $extra; do
		printf '%s\n' "$c"
	done | awk '!seen[$0]++'
}

_lps()
{
	local cur=${COMP_WORDS[COMP_CWORD]}
	local prev=${COMP_WORDS[COMP_CWORD-1]}
	local i cmd="" cmd_at=0
	COMPREPLY=()

	# The command is the first word that is not an option of lps itself.
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-C) ((i++)) ;;
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; cmd_at=$i; break ;;
		esac
	done

	if [[ -z $cmd ]]; then
		if [[ $prev == -C ]]; then
			COMPREPLY=($(compgen -d -- "$cur"))
		elif [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-C --version --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_lps_all_commands)" -- "$cur"))
		fi
		return 0
	fi

	# The value of an option that takes one.
	local opts=${_lps_opts[$cmd]-}
	if ((COMP_CWORD > cmd_at + 1)) && [[ " $opts " == *" $prev= "* ]]; then
		local vals=${_lps_vals[$cmd $prev]-}
		if [[ -n $vals ]]; then
			COMPREPLY=($(compgen -W "$vals" -- "$cur"))
		elif [[ "$cmd $prev" == "validate --schema" ]]; then
			COMPREPLY=($(compgen -f -- "$cur"))
		fi
		return 0
	fi

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "${opts//=/}" -- "$cur"))
		return 0
	fi
	case ${_lps_args[$cmd]-} in
	files) COMPREPLY=($(compgen -f -- "$cur")) ;;
	dirs) COMPREPLY=($(compgen -d -- "$cur")) ;;
	commands)
		((COMP_CWORD == cmd_at + 1)) &&
			COMPREPLY=($(compgen -W "$(_lps_all_commands)" -- "$cur"))
		;;
	esac
	return 0
}

complete -F _lps lps
