#!/bin/sh
# sample.sh - what `make run` shows after building: a small sample
# portfolio made with the real lps commands in a temporary folder, then
# `lps check` and `lps log` on it.  It uses its own HOME (with its own git
# identity), so it works on a machine where git is not configured, and it
# leaves the user's own configuration alone.
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
export PATH LPS_EXEC_PATH

dir=$(mktemp -d "${TMPDIR:-/tmp}/lps-sample.XXXXXX")
HOME=$dir/home
mkdir "$HOME"
export HOME
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE LPS_SCHEMA_DIR
git config --global user.name "Ada Lovelace"
git config --global user.email "ada@example.org"
git config --global init.defaultBranch main

folio=$dir/portfolio
cd "$dir"
# show COMMAND: print the command as typed, then run it.
show() {
	printf '\n$ %s\n' "$1"
	eval "$1"
}

show 'lps init --name "Ada Lovelace" --role principal --district "Lakeside Unified" --school "Lakeside Elementary" --cycle 2026-2027 portfolio'
cd "$folio"
show 'cat lps.yaml'
show 'lps check && echo "(no findings)"'
show 'lps log'
show 'lps log --format json'
show 'git log --format=%B -n 1'

printf '\nThe sample portfolio is in %s\n' "$folio"
printf '(its git identity is in %s/.gitconfig; remove %s when done)\n' \
	"$HOME" "$dir"
