# fish completion for lps.  Install as .../vendor_completions.d/lps.fish.
#
# Each command is one line in the command table below, then one
# `complete` line per option, guarded by __lps_using <command>.

set -l __lps_commands init validate check log help

function __lps_needs_command
    set -l words (commandline -opc)
    set -e words[1]
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

function __lps_using
    set -l words (commandline -opc)
    contains -- $argv[1] $words[2..-1]
end

function __lps_extra_commands
    for c in (complete -C 'lps-' | string replace -r '\t.*' '')
        string replace -r '^lps-' '' -- $c
    end
end

complete -c lps -f
complete -c lps -n __lps_needs_command -s C -r -a '(__fish_complete_directories)' -d 'run in another folder'
complete -c lps -n __lps_needs_command -l version -d 'print the version'
complete -c lps -n __lps_needs_command -s h -l help -d 'list the commands'

# command table
complete -c lps -n __lps_needs_command -a init -d 'create a portfolio (or adopt a git repository)'
complete -c lps -n __lps_needs_command -a validate -d 'validate YAML or JSON files against a schema'
complete -c lps -n __lps_needs_command -a check -d 'check every document of the portfolio'
complete -c lps -n __lps_needs_command -a log -d 'show the history of the portfolio'
complete -c lps -n __lps_needs_command -a help -d 'show the manual of a command'
complete -c lps -n __lps_needs_command -a '(__lps_extra_commands)' -d 'lps-* program'

# init
complete -c lps -n '__lps_using init' -a '(__fish_complete_directories)'
complete -c lps -n '__lps_using init' -l name -x -d 'name of the portfolio owner'
complete -c lps -n '__lps_using init' -l role -x -a 'principal assistant-principal district-administrator superintendent teacher-leader instructional-coach other' -d 'position of the owner'
complete -c lps -n '__lps_using init' -l district -x -d 'school district'
complete -c lps -n '__lps_using init' -l school -x -d school
complete -c lps -n '__lps_using init' -l cycle -x -d 'name of the cycle'
complete -c lps -n '__lps_using init' -l email -x -d 'e-mail address of the owner'

# validate
complete -c lps -n '__lps_using validate' -F
complete -c lps -n '__lps_using validate' -s v -l verbose -d 'also name the valid files'
complete -c lps -n '__lps_using validate' -s s -l schema -r -F -a 'portfolio goal evidence reflection feedback assessment framework check log' -d 'schema name or file'

# check
complete -c lps -n '__lps_using check' -s r -l rev -x -d 'check this revision'
complete -c lps -n '__lps_using check' -s f -l format -x -a 'text json' -d 'output format'

# log
complete -c lps -n '__lps_using log' -l phases -d 'only phase changes'
complete -c lps -n '__lps_using log' -s n -x -d 'at most N entries'
complete -c lps -n '__lps_using log' -l format -x -a 'text json' -d 'output format'

# help
complete -c lps -n '__lps_using help' -a "$__lps_commands"

# every command
for c in $__lps_commands
    complete -c lps -n "__lps_using $c" -s h -l help -d 'show the usage'
end
