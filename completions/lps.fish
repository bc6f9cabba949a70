# fish completion for lps.  Install as .../vendor_completions.d/lps.fish.
#
# Table-driven: the command table, then one line per subcommand
# (CONTEXT|NAME|DESCRIPTION), one per option
# (CONTEXT|LONG|SHORT|VALUES|DESCRIPTION; VALUES empty for a flag, "-" for
# a free value, else a word list or a source) and one per argument
# (CONTEXT|POSITION|SOURCE; a position ending in "+" repeats).  A context
# is the command and its subcommands as typed ("goal indicator add").
# Sources: @goals @evidence @reflections @feedback @items @structures
# @frameworks @standards @prompts @steps @files @dirs, @reportkinds,
# @members (handles of `lps roundtable members`), @memberitems (the items
# `lps roundtable show HANDLE` lists, HANDLE being the first argument),
# @meetings, @itemkinds, @shared-private and @private-roundtable (the
# visibility=V of `<thing> set ID`); the id sources print
# "<id><TAB><title>" (lps <thing> list --format ids), so fish shows each
# id with its title.

set -g __lps_commands init status phase purpose goal action structure evidence reflect reflection feedback assess framework report roundtable push pull validate check log help

set -g __lps_subtable \
    'purpose|set|set the function and the statement' \
    'phase|show|show the phase and what the next one needs' \
    'phase|advance|move to the next phase when its gate holds' \
    'goal|add|add a goal' \
    'goal|list|list the goals' \
    'goal|show|show a goal with its indicators and steps' \
    'goal|edit|edit a goal in the editor' \
    'goal|set|change simple fields of a goal' \
    'goal|drop|drop a goal, with a reason' \
    'goal|indicator|add an indicator to a goal' \
    'goal|measure|record a measurement of an indicator' \
    'goal indicator|add|add an indicator with baseline and target' \
    'action|add|add an action step to a goal' \
    'action|list|list the action steps of all goals' \
    'action|done|mark an action step done' \
    'structure|add|name a partner, roundtable or group' \
    'structure|list|list the structures' \
    'structure|remove|remove a structure' \
    'evidence|attach|attach files as evidence for a goal' \
    'evidence|add|record evidence without a file' \
    'evidence|list|list the evidence' \
    'evidence|show|show one piece of evidence' \
    'evidence|remove|remove a piece of evidence' \
    'evidence|set|share a piece of evidence or keep it private' \
    'reflection|list|list the reflections' \
    'reflection|show|show one reflection' \
    'reflection|set|share a reflection with the roundtable or keep it private' \
    'feedback|add|record feedback received' \
    'feedback|list|list the feedback received, or given to me (--received)' \
    'feedback|set|share a feedback document or keep it private' \
    'feedback|give|give feedback to a roundtable member on their item' \
    'assess|list|list the self-assessments' \
    'assess|set|share a self-assessment or keep it private' \
    'framework|list|list the built-in and added frameworks' \
    'framework|show|show the standards and prompts of a framework' \
    'framework|add|add a framework from a file' \
    'framework|remove|remove an added framework' \
    'roundtable|join|join a roundtable repository under a handle' \
    'roundtable|leave|leave the roundtable' \
    'roundtable|members|list the members as of the last pull' \
    "roundtable|show|read a member's published portfolio" \
    'roundtable|meeting|add, list and show meeting records' \
    "roundtable|norms|show or edit the group's norms" \
    'roundtable|install-guard|install the lps-guard hook into a bare repository' \
    'roundtable meeting|add|record a meeting on the roundtable branch' \
    'roundtable meeting|list|list the meetings' \
    'roundtable meeting|show|show one meeting' \
    "roundtable norms|show|show the group's norms" \
    'roundtable norms|edit|edit the norms in the editor'

set -l fmt 'text json'
set -l fmtids 'text json ids'
set -l agendas 'student professional system'
set -l areas 'focus communities external strategic coherence'
set -l statuses 'proposed active met partially-met not-met dropped'
set -l evkinds 'achievement perceptual process demographic financial artifact observation'
set -l phases 'purpose focus structures action outcomes'

set -g __lps_opttable \
    "init|name||-|name of the portfolio owner" \
    "init|role||principal assistant-principal district-administrator superintendent teacher-leader instructional-coach other|position of the owner" \
    "init|district||-|school district" \
    "init|school||-|school" \
    "init|cycle||-|name of the cycle" \
    "init|email||-|e-mail address of the owner" \
    "validate|verbose|v||also name the valid files" \
    "validate|schema|s|portfolio goal evidence reflection feedback assessment framework check log @files|schema name or file" \
    "check|rev|r|-|check this revision" \
    "check|format|f|text json junit github|output format" \
    "report|rev|r|-|read the portfolio as of this commit" \
    "report|since||-|only dated items on or after DATE" \
    "report|until||-|only dated items on or before DATE" \
    "report|format|f|text markdown json html csv|output format" \
    "report|framework||@frameworks|coverage: only this framework" \
    "report|output|o|@files|write to FILE instead of standard output" \
    "push|quiet|q||no progress and no summary line" \
    "pull|quiet|q||no progress and no summary line" \
    "roundtable join|as||-|your handle: lowercase letters, digits and dashes" \
    "roundtable members|format||$fmt|output format" \
    "roundtable show|format||$fmt|output format" \
    "roundtable meeting add|date||-|day of the meeting" \
    "roundtable meeting add|attendees||@members|handles of those present, comma-separated" \
    "roundtable meeting add|agenda||-|what the meeting was about" \
    "roundtable meeting add|notes||-|the notes" \
    "roundtable meeting add|edit|||write the notes in the editor" \
    "roundtable meeting list|format||$fmt|output format" \
    "roundtable meeting show|format||$fmt|output format" \
    "roundtable norms show|format||$fmt|output format" \
    "log|phases|||only phase changes" \
    "log||n|-|at most N entries" \
    "log|format||$fmt|output format" \
    "status|format||$fmt|output format" \
    "phase|format||$fmt|output format" \
    "phase show|format||$fmt|output format" \
    "phase advance|force|||advance although the gate does not hold" \
    "phase advance|reason||-|why the gate is overridden" \
    "phase advance|cycle||-|name of the next cycle" \
    "phase advance|carry||@goals|carry a goal into the next cycle" \
    "purpose|format||$fmt|output format" \
    "purpose set|function||growth evaluation credentialing self-assessment|why this cycle" \
    "purpose set|statement||-|the purpose statement" \
    "purpose set|edit|||write the statement in the editor" \
    "goal add|agenda||$agendas|learning agenda" \
    "goal add|area||$areas|area of action" \
    "goal add|standard||@standards|a standard the goal serves" \
    "goal add|aligns||@goals|district goal, as text or a goal id" \
    "goal add|statement||-|the goal statement" \
    "goal list|status||$statuses|only goals with this status" \
    "goal list|agenda||$agendas|only goals of this agenda" \
    "goal list|standard||@standards|only goals serving this standard" \
    "goal list|format||$fmtids|output format" \
    "goal show|format||$fmt|output format" \
    "goal drop|reason||-|why the goal is dropped" \
    "goal indicator add|measure||-|what is measured" \
    "goal indicator add|baseline||-|the value at the start" \
    "goal indicator add|target||-|the value aimed at" \
    "goal indicator add|unit||-|unit of the values" \
    "goal indicator add|due||-|date the target is due" \
    "goal measure|indicator||-|the indicator key (k1, k2, ...)" \
    "goal measure|value||-|the measured value" \
    "goal measure|date||-|date of the measurement" \
    "goal measure|evidence||@evidence|evidence behind the value" \
    "goal measure|note||-|a note on the measurement" \
    "action add|due||-|due date" \
    "action add|owner||-|who does it" \
    "action list|overdue|||only open steps past their due date" \
    "action list|goal||@goals|only the steps of this goal" \
    "action list|format||$fmtids|output format" \
    "structure add|kind||partner roundtable group|kind of structure" \
    "structure add|name||-|its name" \
    "structure add|members||-|a member" \
    "structure add|meets||-|how often it meets" \
    "structure list|format||$fmtids|output format" \
    "evidence attach|goal||@goals|the goal it supports" \
    "evidence attach|kind||$evkinds|kind of evidence" \
    "evidence attach|title||-|title" \
    "evidence attach|date||-|date" \
    "evidence attach|source||-|where it comes from" \
    "evidence attach|note||-|a summary of what it shows" \
    "evidence add|title||-|title" \
    "evidence add|goal||@goals|the goal it supports" \
    "evidence add|kind||$evkinds|kind of evidence" \
    "evidence add|note||-|a note on it" \
    "evidence add|date||-|date" \
    "evidence add|source||-|where it comes from" \
    "evidence list|goal||@goals|only evidence for this goal" \
    "evidence list|kind||$evkinds|only this kind" \
    "evidence list|format||$fmtids|output format" \
    "evidence show|format||$fmt|output format" \
    "reflect|goal||@goals|a goal the reflection is about" \
    "reflect|prompt||@prompts|the prompt answered" \
    "reflect|message|m|-|the text of the reflection" \
    "reflect|file|F|@files|read the text from a file (- for stdin)" \
    "reflect|date||-|date" \
    "reflect|visibility||private roundtable|who may read it" \
    "reflect|prompts|||list the prompts instead" \
    "reflect|phase||$phases|with --prompts: only this phase" \
    "reflect|format||$fmt|output format" \
    "reflection list|goal||@goals|only reflections on this goal" \
    "reflection list|phase||$phases|only this phase" \
    "reflection list|format||$fmtids|output format" \
    "reflection show|format||$fmt|output format" \
    "feedback add|from||-|who gave it" \
    "feedback add|kind||affirmation question suggestion|kind of feedback" \
    "feedback add|on||@items|the goal, evidence or reflection it is about" \
    "feedback add|message|m|-|the feedback" \
    "feedback add|date||-|date" \
    "feedback list|on||@items|only feedback on this item" \
    "feedback list|received|||feedback other members gave me (after lps pull)" \
    "feedback list|format||$fmtids|output format" \
    "feedback give|on||@memberitems|the member's goal, evidence or reflection" \
    "feedback give|kind||affirmation question suggestion|kind of feedback" \
    "feedback give|message|m|-|the feedback" \
    "assess|rating||beginning developing proficient exemplary|the rating" \
    "assess|evidence||@evidence|evidence behind the rating" \
    "assess|message|m|-|the rationale" \
    "assess|date||-|day of the assessment" \
    "assess list|framework||@frameworks|only this framework" \
    "assess list|cycle||-|only this cycle" \
    "assess list|format||$fmt|output format" \
    "assess set|cycle||-|in this cycle" \
    "framework list|format||$fmtids|output format" \
    "framework show|format||$fmt|output format"

set -g __lps_argtable \
    'init|1|@dirs' \
    'validate|1+|@files' \
    'goal show|1|@goals' \
    'goal edit|1|@goals' \
    'goal set|1|@goals' \
    'goal drop|1|@goals' \
    'goal indicator add|1|@goals' \
    'goal measure|1|@goals' \
    'action add|1|@goals' \
    'action done|1|@goals' \
    'action done|2|@steps' \
    'structure remove|1|@structures' \
    'evidence attach|1+|@files' \
    'evidence show|1|@evidence' \
    'evidence remove|1|@evidence' \
    'reflection show|1|@reflections' \
    'assess|1|@standards' \
    'framework show|1|@frameworks' \
    'framework add|1|@files' \
    'framework remove|1|@frameworks' \
    'evidence set|1|@evidence' \
    'evidence set|2|@shared-private' \
    'reflection set|1|@reflections' \
    'reflection set|2|@private-roundtable' \
    'feedback set|1|@feedback' \
    'feedback set|2|@shared-private' \
    'assess set|1|@standards' \
    'assess set|2|@shared-private' \
    'feedback give|1|@members' \
    'report|1|@reportkinds' \
    'roundtable join|1|@dirs' \
    'roundtable show|1|@members' \
    'roundtable show|2|@itemkinds' \
    'roundtable show|3|@memberitems' \
    'roundtable meeting show|1|@meetings' \
    'roundtable install-guard|1|@dirs'

# The tokens typed before the cursor, minus the first (lps).
function __lps_tokens
    set -l words (commandline -opc)
    set -e words[1]
    set -q words[1]; and printf '%s\n' $words
end

function __lps_needs_command
    set -l words (__lps_tokens)
    while set -q words[1]
        switch $words[1]
            case -C
                set -e words[1]
            case '-*'
            case '*'
                return 1
        end
        set -e words[1]
    end
    return 0
end

# The folder given with -C, if any.
function __lps_dir
    set -l words (__lps_tokens)
    while set -q words[1]
        switch $words[1]
            case -C
                set -q words[2]; and echo $words[2]
                return
            case '-C*'
                string sub -s 3 -- $words[1]
                return
            case '-*'
            case '*'
                return
        end
        set -e words[1]
    end
end

# __lps_takes CTX OPT: OPT (--long or -s) of CTX takes a value.
function __lps_takes
    for o in $__lps_opttable
        set -l f (string split '|' -- $o)
        test "$f[1]" = "$argv[1]"; or continue
        test -n "$f[4]"; or continue
        if test "$argv[2]" = "--$f[2]" -a -n "$f[2]"; or test "$argv[2]" = "-$f[3]" -a -n "$f[3]"
            return 0
        end
    end
    return 1
end

# Print the context, then the argument words after it (one per line, the
# context first).
function __lps_parse
    set -l words (__lps_tokens)
    set -l ctx
    while set -q words[1]
        switch $words[1]
            case -C
                set -e words[1]
            case '-*'
            case '*'
                set ctx $words[1]
                set -e words[1]
                break
        end
        set -e words[1]
    end
    set -l args
    while set -q words[1]
        set -l w $words[1]
        set -e words[1]
        if not set -q args[1]; and contains -- "$ctx|$w" (for s in $__lps_subtable
                    string split -f1,2 '|' -- $s | string join '|'
                end)
            set ctx "$ctx $w"
        else if string match -q -- '-*=*' $w
        else if string match -q -- '-*' $w
            __lps_takes "$ctx" $w; and set -e words[1]
        else
            set -a args $w
        end
    end
    printf '%s\n' "$ctx" $args
end

# __lps_is CTX...: the command line is in context CTX.
function __lps_is
    set -l p (__lps_parse)
    test "$p[1]" = "$argv"
end

# __lps_arg CTX N: in context CTX, completing argument N ("N+": N or later).
function __lps_arg
    set -l p (__lps_parse)
    test "$p[1]" = "$argv[1]"; or return 1
    set -l n (math (count $p) - 1)
    if string match -q '*+' -- $argv[2]
        test $n -ge (string trim -r -c + -- $argv[2])
    else
        test $n -eq $argv[2]
    end
end

# lps-* programs on PATH (their names without lps-), each once, leaving
# out the built-in commands: those keep their own descriptions.
function __lps_extra_commands
    set -l seen $__lps_commands
    for d in $PATH
        for p in $d/lps-*
            test -x $p; or continue
            set -l name (string replace -r '^.*/lps-' '' -- $p)
            contains -- $name $seen; and continue
            set -a seen $name
            echo $name
        end
    end
end

# __lps_run ARGS...: run lps in the folder given with -C, quietly.
function __lps_run
    set -l dir (__lps_dir)
    if test -n "$dir"
        command lps -C $dir $argv 2>/dev/null
    else
        command lps $argv 2>/dev/null
    end
end

# "<id><TAB><text>" for every prompt (`lps reflect --prompts` prints
# "<id>  <text>").
function __lps_prompts
    __lps_run reflect --prompts | string replace '  ' \t
end

# __lps_source SOURCE: the candidates of a source ("<id><TAB><title>").
function __lps_source
    switch $argv[1]
        case @goals
            __lps_run goal list --format ids
        case @evidence
            __lps_run evidence list --format ids
        case @reflections
            __lps_run reflection list --format ids
        case @feedback
            __lps_run feedback list --format ids
        case @members
            # "<handle>: <name> (...), ..." per member
            __lps_run roundtable members | string replace -rf '^([a-z0-9-]+): ' '$1\t'
        case @memberitems
            set -l p (__lps_parse)
            set -q p[2]; or return
            __lps_run roundtable show $p[2] | string replace -rf '^  ([a-z]-[0-9a-f]{8})  ' '$1\t'
        case @meetings
            __lps_run roundtable meeting list | string replace -rf '^(m-[0-9a-f]+)  ' '$1\t'
        case @itemkinds
            printf '%s\n' goal evidence reflection
        case @shared-private
            printf '%s\n' visibility=shared visibility=private
        case @private-roundtable
            printf '%s\n' visibility=private visibility=roundtable
        case @reportkinds
            printf '%s\t%s\n' \
                status 'phase, goals by status and agenda, overdue steps, next gate' \
                progress 'every indicator: baseline, measurements, latest, target' \
                coverage 'framework standards against goals, evidence and ratings' \
                timeline 'phase changes and dated activity, by cycle' \
                exhibit 'the whole portfolio for the outcomes phase' \
                roundtable 'all members at once: phases, progress, feedback, alignments'
        case @items
            __lps_run goal list --format ids
            __lps_run evidence list --format ids
            __lps_run reflection list --format ids
        case @structures
            __lps_run structure list --format ids
        case @frameworks
            __lps_run framework list --format ids
        case @standards
            # the standards section of `lps framework show`, minus prompts
            set -l prompts (__lps_prompts | string replace -r '\t.*' '')
            for fw in (__lps_run framework list --format ids | string replace -r '\t.*' '')
                __lps_run framework show $fw | sed -n '/^standards:/,$s/^ *\([^ ][^ ]*\)  /\1\t/p'
            end | while read -l line
                contains -- (string replace -r '\t.*' '' -- $line) $prompts; or echo $line
            end
        case @prompts
            __lps_prompts
        case @steps
            set -l p (__lps_parse)
            __lps_run action list --goal $p[2] --format ids | string replace -r '^[^\t]*[: ]' ''
        case @files
            __fish_complete_path (commandline -ct)
        case @dirs
            __fish_complete_directories (commandline -ct)
        case '*'
            printf '%s\n' $argv
    end
end

complete -c lps -f
complete -c lps -n __lps_needs_command -s C -r -a '(__fish_complete_directories)' -d 'run in another folder'
complete -c lps -n __lps_needs_command -l version -d 'print the version'
complete -c lps -n __lps_needs_command -s h -l help -d 'list the commands'

# command table
complete -c lps -n __lps_needs_command -a init -d 'create a portfolio (or adopt a git repository)'
complete -c lps -n __lps_needs_command -a status -d 'one screen: phase, goals and progress, what is missing'
complete -c lps -n __lps_needs_command -a phase -d 'show the phase and its gate; advance to the next'
complete -c lps -n __lps_needs_command -a purpose -d 'show or set the purpose of the cycle'
complete -c lps -n __lps_needs_command -a goal -d 'add, list, show, edit and measure goals'
complete -c lps -n __lps_needs_command -a action -d 'plan action steps of goals and mark them done'
complete -c lps -n __lps_needs_command -a structure -d 'name the partner, roundtable and other groups'
complete -c lps -n __lps_needs_command -a evidence -d 'attach files or record evidence for goals'
complete -c lps -n __lps_needs_command -a reflect -d 'write a reflection, from a prompt or freely'
complete -c lps -n __lps_needs_command -a reflection -d 'list and show reflections'
complete -c lps -n __lps_needs_command -a feedback -d 'record feedback received; give feedback to a member'
complete -c lps -n __lps_needs_command -a assess -d 'self-assess against a standard of a framework'
complete -c lps -n __lps_needs_command -a framework -d 'list, show, add and remove frameworks'
complete -c lps -n __lps_needs_command -a report -d 'status, progress, coverage, timeline, exhibit and roundtable reports'
complete -c lps -n __lps_needs_command -a roundtable -d 'join a roundtable; members, meetings, the guard'
complete -c lps -n __lps_needs_command -a push -d 'publish the shared part of the portfolio to the roundtable'
complete -c lps -n __lps_needs_command -a pull -d "fetch the roundtable; replay your other machine's commits"
complete -c lps -n __lps_needs_command -a validate -d 'validate YAML or JSON files against a schema'
complete -c lps -n __lps_needs_command -a check -d 'check every document of the portfolio'
complete -c lps -n __lps_needs_command -a log -d 'show the history of the portfolio'
complete -c lps -n __lps_needs_command -a help -d 'show the manual of a command'
complete -c lps -n __lps_needs_command -a '(__lps_extra_commands)' -d 'lps-* program'

# subcommands
for s in $__lps_subtable
    set -l f (string split '|' -- $s)
    complete -c lps -n "__lps_arg '$f[1]' 0" -a $f[2] -d $f[3]
end

# options
for o in $__lps_opttable
    set -l f (string split '|' -- $o)
    set -l spec -c lps -n "__lps_is $f[1]"
    test -n "$f[2]"; and set -a spec -l $f[2]
    test -n "$f[3]"; and set -a spec -s $f[3]
    switch "$f[4]"
        case ''
        case '-'
            set -a spec -x
        case '*@files*'
            set -a spec -r -F -a "(__lps_source $f[4])"
        case '*'
            set -a spec -x -a "(__lps_source $f[4])"
    end
    complete $spec -d $f[5]
end

# arguments
for a in $__lps_argtable
    set -l f (string split '|' -- $a)
    set -l n (string trim -r -c + -- $f[2])
    set -l pos (math $n - 1)
    string match -q '*+' -- $f[2]; and set pos "$pos+"
    complete -c lps -n "__lps_arg '$f[1]' $pos" -a "(__lps_source $f[3])"
end

# help
complete -c lps -n '__lps_is help' -a "$__lps_commands"

# every command and subcommand
for c in $__lps_commands
    complete -c lps -n "__lps_is $c" -s h -l help -d 'show the usage'
end
for s in $__lps_subtable
    set -l f (string split '|' -- $s)
    complete -c lps -n "__lps_is $f[1] $f[2]" -s h -l help -d 'show the usage'
end
