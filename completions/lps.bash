# bash completion for lps                                  -*- shell-script -*-
#
# Source it, or install it as .../bash-completion/completions/lps.
#
# Everything lps-specific is in the tables below; the function at the end
# only walks the command line.  A context is a command, or a command and
# its subcommands as typed ("goal", "goal add", "goal indicator add"):
#
#   _lps_subs[CTX]   the subcommands that may follow CTX
#   _lps_opts[CTX]   its options; a trailing "=" marks one that takes a value
#                    (--help is always offered)
#   _lps_vals[CTX OPT]  the values of an option (or of a KEY in KEY=VALUE)
#   _lps_args[CTX]   what the non-option arguments are, by position; the
#                    last one repeats when it ends in "...".
#
# A value or argument is a word list, or a source: @files, @dirs,
# @commands, @goals, @steps, @evidence, @reflections, @feedback, @items
# (goals, evidence and reflections), @structures, @frameworks, @standards,
# @prompts, @setkeys, @visibility (the KEY= of `<thing> set ID
# visibility=V`), @members (the handles of `lps roundtable members`),
# @reportkinds, @itemkinds, @memberitems (the items of the member named by the first
# argument, from `lps roundtable show HANDLE`), @meetings.  The id
# sources ask the portfolio itself through `lps <thing> list --format
# ids` (one "<id><TAB><title>" line each); bash shows only the ids.

_lps_cmds="init status phase purpose goal action structure evidence reflect
reflection feedback assess framework report roundtable push pull validate
check log"

# The kinds of lps report.
_lps_report_kinds="status progress coverage timeline exhibit roundtable"

_lps_fmt="text json"
_lps_fmt_ids="text json ids"

declare -gA _lps_subs=(
	[purpose]="set"
	[goal]="add list show edit set drop indicator measure"
	[goal indicator]="add"
	[action]="add list done"
	[evidence]="attach add list show remove set"
	[reflection]="list show set"
	[feedback]="add list set give"
	[structure]="add list remove"
	[assess]="list set"
	[framework]="list show add remove"
	[phase]="show advance"
	[roundtable]="join leave members show meeting norms install-guard"
	[roundtable meeting]="add list show"
	[roundtable norms]="show edit"
)

declare -gA _lps_opts=(
	[init]="--name= --role= --district= --school= --cycle= --email="
	[validate]="--schema= --verbose"
	[check]="--rev= --format="
	[report]="--rev= --since= --until= --format= --framework= -o= --output="
	[push]="-q --quiet"
	[pull]="-q --quiet"
	[roundtable]=""
	[roundtable join]="--as="
	[roundtable leave]=""
	[roundtable members]="--format="
	[roundtable show]="--format="
	[roundtable meeting]=""
	[roundtable meeting add]="--date= --attendees= --agenda= --notes= --edit"
	[roundtable meeting list]="--format="
	[roundtable meeting show]="--format="
	[roundtable norms]=""
	[roundtable norms show]="--format="
	[roundtable norms edit]=""
	[roundtable install-guard]=""
	[log]="--phases -n= --format="
	[help]=""
	[status]="--format="
	[phase]="--format="
	[phase show]="--format="
	[phase advance]="--force --reason= --cycle= --carry="
	[purpose]="--format="
	[purpose set]="--function= --statement= --edit"
	[goal]=""
	[goal add]="--agenda= --area= --standard= --aligns= --statement="
	[goal list]="--status= --agenda= --standard= --format="
	[goal show]="--format="
	[goal edit]=""
	[goal set]=""
	[goal drop]="--reason="
	[goal indicator]=""
	[goal indicator add]="--measure= --baseline= --target= --unit= --due="
	[goal measure]="--indicator= --value= --date= --evidence= --note="
	[action]=""
	[action add]="--due= --owner="
	[action list]="--overdue --goal= --format="
	[action done]=""
	[structure]=""
	[structure add]="--kind= --name= --members= --meets="
	[structure list]="--format="
	[structure remove]=""
	[evidence]=""
	[evidence attach]="--goal= --kind= --title= --date= --source= --note="
	[evidence add]="--title= --goal= --kind= --note= --date= --source="
	[evidence list]="--goal= --kind= --format="
	[evidence show]="--format="
	[evidence remove]=""
	[evidence set]=""
	[reflect]="--goal= --prompt= -m= --message= -F= --file= --date= --visibility= --prompts --phase= --format="
	[reflection]=""
	[reflection list]="--goal= --phase= --format="
	[reflection show]="--format="
	[reflection set]=""
	[feedback]=""
	[feedback add]="--from= --kind= --on= -m= --message= --date="
	[feedback list]="--on= --received --format="
	[feedback set]=""
	[feedback give]="--on= --kind= -m= --message="
	[assess]="--rating= --evidence= -m= --message= --date="
	[assess list]="--framework= --cycle= --format="
	[assess set]="--cycle="
	[framework]=""
	[framework list]="--format="
	[framework show]="--format="
	[framework add]=""
	[framework remove]=""
)

_lps_phases="purpose focus structures action outcomes"
_lps_agendas="student professional system"
_lps_areas="focus communities external strategic coherence"
_lps_statuses="proposed active met partially-met not-met dropped"
_lps_ev_kinds="achievement perceptual process demographic financial artifact observation"

declare -gA _lps_vals=(
	[init --role]="principal assistant-principal district-administrator superintendent teacher-leader instructional-coach other"
	[validate --schema]="portfolio goal evidence reflection feedback assessment framework check log @files"
	[check --format]="text json junit github"
	[report --format]="text markdown json html csv"
	[report --framework]="@frameworks"
	[report -o]="@files"
	[report --output]="@files"
	[roundtable members --format]=$_lps_fmt
	[roundtable show --format]=$_lps_fmt
	[roundtable meeting add --attendees]="@members"
	[roundtable meeting list --format]=$_lps_fmt
	[roundtable meeting show --format]=$_lps_fmt
	[roundtable norms show --format]=$_lps_fmt
	[log --format]=$_lps_fmt
	[status --format]=$_lps_fmt
	[phase --format]=$_lps_fmt
	[phase show --format]=$_lps_fmt
	[phase advance --carry]="@goals"
	[purpose --format]=$_lps_fmt
	[purpose set --function]="growth evaluation credentialing self-assessment"
	[goal add --agenda]=$_lps_agendas
	[goal add --area]=$_lps_areas
	[goal add --standard]="@standards"
	[goal add --aligns]="@goals"
	[goal list --status]=$_lps_statuses
	[goal list --agenda]=$_lps_agendas
	[goal list --standard]="@standards"
	[goal list --format]=$_lps_fmt_ids
	[goal show --format]=$_lps_fmt
	[goal set status]=$_lps_statuses
	[goal set agenda]=$_lps_agendas
	[goal set area]=$_lps_areas
	[goal set visibility]="shared private"
	[goal measure --evidence]="@evidence"
	[action list --goal]="@goals"
	[action list --format]=$_lps_fmt_ids
	[structure add --kind]="partner roundtable group"
	[structure list --format]=$_lps_fmt_ids
	[evidence attach --goal]="@goals"
	[evidence attach --kind]=$_lps_ev_kinds
	[evidence add --goal]="@goals"
	[evidence add --kind]=$_lps_ev_kinds
	[evidence list --goal]="@goals"
	[evidence list --kind]=$_lps_ev_kinds
	[evidence list --format]=$_lps_fmt_ids
	[evidence show --format]=$_lps_fmt
	[reflect --goal]="@goals"
	[reflect --prompt]="@prompts"
	[reflect -F]="@files"
	[reflect --file]="@files"
	[reflect --visibility]="private roundtable"
	[reflect --phase]=$_lps_phases
	[reflect --format]=$_lps_fmt
	[reflection list --goal]="@goals"
	[reflection list --phase]=$_lps_phases
	[reflection list --format]=$_lps_fmt_ids
	[reflection show --format]=$_lps_fmt
	[feedback add --kind]="affirmation question suggestion"
	[feedback add --on]="@items"
	[feedback list --on]="@items"
	[feedback list --format]=$_lps_fmt_ids
	[feedback give --kind]="affirmation question suggestion"
	[feedback give --on]="@memberitems"
	[evidence set visibility]="shared private"
	[reflection set visibility]="private roundtable"
	[feedback set visibility]="shared private"
	[assess set visibility]="shared private"
	[assess --rating]="beginning developing proficient exemplary"
	[assess --evidence]="@evidence"
	[assess list --framework]="@frameworks"
	[assess list --format]=$_lps_fmt
	[framework list --format]=$_lps_fmt_ids
	[framework show --format]=$_lps_fmt
)

declare -gA _lps_args=(
	[init]="@dirs"
	[validate]="@files..."
	[help]="@commands"
	[goal show]="@goals"
	[goal edit]="@goals"
	[goal set]="@goals @setkeys..."
	[goal drop]="@goals"
	[goal indicator add]="@goals"
	[goal measure]="@goals"
	[action add]="@goals"
	[action done]="@goals @steps"
	[structure remove]="@structures"
	[evidence attach]="@files..."
	[evidence show]="@evidence"
	[evidence remove]="@evidence"
	[reflection show]="@reflections"
	[evidence set]="@evidence @visibility"
	[reflection set]="@reflections @visibility"
	[feedback set]="@feedback @visibility"
	[feedback give]="@members"
	[report]="@reportkinds"
	[roundtable join]="@dirs"
	[roundtable show]="@members @itemkinds @memberitems"
	[roundtable meeting show]="@meetings"
	[roundtable install-guard]="@dirs"
	[assess]="@standards"
	[assess set]="@standards @visibility"
	[framework show]="@frameworks"
	[framework add]="@files"
	[framework remove]="@frameworks"
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

# _lps_run ARGS...: run lps (as typed, in the folder given with -C) quietly.
_lps_run()
{
	"$_lps_prog" ${_lps_dir:+-C "$_lps_dir"} "$@" 2>/dev/null
}

# _lps_ids THING...: the ids of `lps THING list --format ids`.
_lps_ids()
{
	local t
	for t in "$@"; do
		_lps_run "$t" list --format ids | cut -f1
	done
}

# The prompts of every framework, "<id><TAB><text>" (from the text of
# `lps reflect --prompts`: "<id>  <text>").
_lps_prompts()
{
	_lps_run reflect --prompts | sed 's/  /\t/'
}

# The standards of every framework, "<code><TAB><title>": the lines of
# the standards section of `lps framework show NAME` ("<code>  <title>",
# indented by depth) that are not prompts.
_lps_standards()
{
	local fw prompts
	prompts=$(_lps_prompts | cut -f1)
	for fw in $(_lps_ids framework); do
		_lps_run framework show "$fw" |
			sed -n '/^standards:/,$s/^ *\([^ ][^ ]*\)  /\1\t/p'
	done | awk -F '\t' -v p="$prompts" '
		BEGIN { n = split(p, a, "\n"); for (i = 1; i <= n; i++) skip[a[i]] = 1 }
		!($1 in skip)'
}

# The handles of the roundtable's members as of the last lps pull: the
# text of `lps roundtable members` is "<handle>: <name> (...), ...".
_lps_members()
{
	_lps_run roundtable members | sed -n 's/^\([a-z0-9-]*\): .*/\1/p'
}

# _lps_source SOURCE: print the candidates of a source, one per line.
_lps_source()
{
	case $1 in
	@goals) _lps_ids goal ;;
	@evidence) _lps_ids evidence ;;
	@reflections) _lps_ids reflection ;;
	@feedback) _lps_ids feedback ;;
	@items) _lps_ids goal evidence reflection ;;
	@structures) _lps_ids structure ;;
	@frameworks) _lps_ids framework ;;
	@standards) _lps_standards | cut -f1 ;;
	@prompts) _lps_prompts | cut -f1 ;;
	@steps) _lps_run action list --goal "$_lps_first" --format ids |
		cut -f1 | sed 's/^.*[: ]//' ;;
	@setkeys) printf '%s\n' status= title= agenda= area= aligns= \
		statement= visibility= standards= ;;
	@visibility) echo visibility= ;;
	@members) _lps_members ;;
	@itemkinds) echo goal evidence reflection ;;
	@reportkinds) echo $_lps_report_kinds ;;
	@memberitems) _lps_run roundtable show "$_lps_first" |
		sed -n 's/^  \([a-z]-[0-9a-f]\{8\}\)  .*/\1/p' ;;
	@meetings) _lps_run roundtable meeting list | cut -d ' ' -f1 ;;
	@commands) _lps_all_commands ;;
	esac
}

# _lps_complete WORDS: set COMPREPLY from a word list with sources in it.
_lps_complete()
{
	local w words="" files=0 dirs=0
	for w in $1; do
		case $w in
		@files) files=1 ;;
		@dirs) dirs=1 ;;
		@*) words+=" $(_lps_source "$w")" ;;
		*) words+=" $w" ;;
		esac
	done
	COMPREPLY=($(compgen -W "$words" -- "$cur"))
	((files)) && COMPREPLY+=($(compgen -f -- "$cur"))
	((dirs)) && COMPREPLY+=($(compgen -d -- "$cur"))
	[[ $1 == *@setkeys* || $1 == *@visibility* ]] &&
		[[ ${COMPREPLY[0]-} == *= ]] &&
		compopt -o nospace 2>/dev/null
	return 0
}

# _lps_takes CTX WORD: WORD is an option of CTX that takes a value.
_lps_takes()
{
	[[ " ${_lps_opts[$1]-} " == *" $2= "* ]]
}

_lps()
{
	local cur=${COMP_WORDS[COMP_CWORD]}
	local prev=${COMP_WORDS[COMP_CWORD-1]}
	local i w ctx="" npos=0 _lps_dir="" _lps_first=""
	local _lps_prog=${COMP_WORDS[0]}
	COMPREPLY=()

	# The command is the first word that is not an option of lps itself.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [[ -z $ctx ]]; then
			case $w in
			-C) ((i++)); _lps_dir=${COMP_WORDS[i]-} ;;
			-C*) _lps_dir=${w#-C} ;;
			-*) ;;
			*) ctx=$w ;;
			esac
			continue
		fi
		# Then subcommands, options (with their values, also as
		# --opt=value, which bash splits at "=") and arguments.
		if [[ $w == = ]]; then
			((i++))
		elif ((npos == 0)) &&
			[[ " ${_lps_subs[$ctx]-} " == *" $w "* ]]; then
			ctx+=" $w"
		elif [[ $w == -* ]]; then
			_lps_takes "$ctx" "$w" && [[ ${COMP_WORDS[i+1]-} != = ]] &&
				((i++))
		else
			((npos == 0)) && _lps_first=$w
			((npos++))
		fi
	done

	if [[ -z $ctx ]]; then
		if [[ $prev == -C ]]; then
			COMPREPLY=($(compgen -d -- "$cur"))
		elif [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-C --version --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_lps_all_commands)" -- "$cur"))
		fi
		return 0
	fi

	# The value of an option (or of KEY in KEY=VALUE).
	local key=""
	if [[ $cur == = ]]; then
		key=$prev; cur=""
	elif [[ $prev == = ]]; then
		key=${COMP_WORDS[COMP_CWORD-2]}
	elif [[ $prev == -* ]] && _lps_takes "$ctx" "$prev"; then
		key=$prev
	fi
	if [[ -n $key ]]; then
		_lps_complete "${_lps_vals[$ctx $key]-}"
		return 0
	fi

	if [[ $cur == -* ]]; then
		local o=${_lps_opts[$ctx]-}
		COMPREPLY=($(compgen -W "${o//=/} --help" -- "$cur"))
		return 0
	fi

	# A subcommand, or the argument at this position.
	local subs=""
	((npos == 0)) && subs=${_lps_subs[$ctx]-}
	local -a args=(${_lps_args[$ctx]-})
	local arg=""
	if ((npos < ${#args[@]})); then
		arg=${args[npos]}
	elif ((${#args[@]})) && [[ ${args[-1]} == *... ]]; then
		arg=${args[-1]}
	fi
	_lps_complete "$subs ${arg%...}"
}

complete -F _lps lps
