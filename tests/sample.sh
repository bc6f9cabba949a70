#!/bin/sh
# sample.sh - what `make run` shows after building: a sample portfolio
# taken through a whole Leadership Performance System cycle and into the
# next one with the real lps commands, in a temporary folder; then
# `lps status` and `lps log --phases` on it.
#
# It uses its own HOME (with its own git identity), so it works on a
# machine where git is not configured and leaves the user's configuration
# alone, and it sets LPS_TODAY so that every run tells the same story
# (dates, overdue steps).  Each command is printed as typed before it runs;
# the sample stops at the first command that fails.
#
# LPS_SAMPLE_BIN names the folder of lps and lps-* (default: the top of
# the source tree, where `make` puts them).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${LPS_SAMPLE_BIN:-$top}
if [ ! -x "$bin/lps" ]; then
	echo "sample: $bin/lps is missing; run make first" >&2
	exit 4
fi
PATH=$bin:$PATH
LPS_EXEC_PATH=$bin
LPS_TODAY=2026-10-01
export PATH LPS_EXEC_PATH LPS_TODAY

dir=$(mktemp -d "${TMPDIR:-/tmp}/lps-sample.XXXXXX")
HOME=$dir/home
mkdir "$HOME"
export HOME
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE LPS_SCHEMA_DIR VISUAL EDITOR
git config --global user.name "Ada Lovelace"
git config --global user.email "ada@example.org"
git config --global init.defaultBranch main

folio=$dir/portfolio
cd "$dir"
# say TEXT: a line of narration.
say() {
	printf '\n## %s\n' "$1"
}
# show COMMAND: print the command as typed, then run it.
show() {
	printf '$ %s\n' "$1"
	eval "$1"
}
# new_id: the id in the last line of output ("Added goal g-... ...").
out=$dir/out
grab() { # COMMAND: like show, keeping the output in $out too
	printf '$ %s\n' "$1"
	eval "$1" | tee "$out"
}
id_of() { # PREFIX: the first id starting with PREFIX in $out
	sed -n "s/.*\($1-[0-9a-f]\{8\}\).*/\1/p" "$out" | head -n 1
}

say "Ada Lovelace, principal of Lakeside Elementary, starts a portfolio (today is $LPS_TODAY)"
show 'lps init --name "Ada Lovelace" --role principal --district "Lakeside Unified" --school "Lakeside Elementary" --cycle 2026-2027 portfolio'
cd "$folio"

say "Phase purpose: why this cycle, and the gate to focus"
show 'lps phase'
show 'lps purpose set --function growth --statement "Every child reads well by the end of grade 3"'
show 'lps phase advance'

say "Phase focus: goals with indicators, aligned to standards and district goals"
grab 'lps goal add "Raise grade 3 reading" --agenda student --area focus --standard issl.1a --aligns "District goal 1: literacy"'
reading=$(id_of g)
grab 'lps goal add "Coach every teacher once a term" --agenda professional --area communities --standard lfl.communities'
coaching=$(id_of g)
show "lps goal indicator add $reading --measure 'grade 3 students at benchmark' --baseline 42 --target 60 --unit % --due 2027-05-31"
show "lps goal indicator add $coaching --measure 'teachers in a coaching cycle' --baseline 0 --target 24 --unit teachers"
show 'lps goal list'
show 'lps phase advance'

say "Phase structures: a partner and a roundtable"
show 'lps phase advance 2>&1 || true'
show 'lps structure add --kind partner --name "Grace Hopper"'
show 'lps structure add --kind roundtable --name "North cluster principals" --meets monthly --members "Grace Hopper" --members "Alan Turing"'
show 'lps phase advance'

say "Phase action: steps, evidence, measurements, reflection, feedback"
show "lps action add $reading 'Weekly guided reading walk-throughs' --due 2026-11-30"
show "lps action add $coaching 'Start coaching cycles with grade-level teams' --due 2026-09-15"
printf 'student,fall\nA,38\nB,55\nC,61\n' >"$dir/fall-screener.csv"
grab "lps evidence attach $dir/fall-screener.csv --goal $reading --kind achievement --title 'Fall screener' --source 'district screener'"
screener=$(id_of e)
show "lps evidence add --goal $coaching --kind observation --title 'Coaching log, September' --note 'Nine teachers started a cycle'"
show "lps goal measure $reading --value 51 --evidence $screener"
show "lps goal measure $coaching --value 9"
show "lps reflect --goal $reading --prompt lfl.focus.2 -m 'The screener and the walk-throughs tell the same story: guided reading works where it is used.'"
show "lps feedback add --from 'Grace Hopper' --kind question --on $reading -m 'Which students moved least, and why?'"
show "lps action done $reading s1"
show 'lps action list --overdue'
show 'lps phase advance'

say "Phase outcomes: results, self-assessment, an outcomes reflection"
show "lps goal set $reading status=met"
show "lps goal set $coaching status=partially-met"
show "lps assess issl.1a --rating proficient --evidence $screener -m 'Screener data now drives the reading plan.'"
show "lps reflect -m 'Looking at the data every month changed how we plan.'"
show 'lps status'

say "Into the next cycle, carrying the coaching goal forward"
show "lps phase advance --cycle 2027-2028 --carry $coaching"
show 'lps goal list --status active'

say "Where the portfolio stands, and its phase history"
show 'lps status'
show 'lps log --phases'
show 'lps check && echo "(no findings)"'

say "Reports: the status report, and the exhibit to show the partner and the roundtable"
show 'lps report status'
show 'lps report exhibit --format html -o exhibit.html'
show 'git log --oneline | wc -l'

printf '\nThe exhibit is %s/exhibit.html (open it in a browser)\n' "$folio"
printf 'The sample portfolio is in %s\n' "$folio"
printf '(its git identity is in %s/.gitconfig; remove %s when done)\n' \
	"$HOME" "$dir"
