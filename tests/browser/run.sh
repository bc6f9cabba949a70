#!/bin/sh
# run.sh - the browser test of the exhibit (`make test-browser`, also run
# by .ci/run): build the sample portfolio of `make run` (tests/sample.sh),
# write its exhibit as HTML, and let headless Chromium load it from a
# file:// URL with networking disabled.  Checks:
#   - the page is one file with no external reference (no "http", no
#     src=, no <script, no <link, no url( in the CSS);
#   - Chromium renders it: the screenshot is a PNG and much bigger than
#     the screenshot of an empty page of the same size (a blank page
#     compresses to almost nothing, a page of text and charts does not);
#   - the DOM Chromium built (--dump-dom) holds every goal title and the
#     three kinds of chart (inline <svg> elements).
# Prints "ok N - ..." per check and ends with "browser: N passed, M failed";
# exits non-zero when a check failed or Chromium is missing.
#
# LPS_TEST_BIN names the folder of lps and lps-* (the top of the tree by
# default); CHROMIUM the browser (chromium, chromium-browser or
# google-chrome from PATH by default).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${LPS_TEST_BIN:-$top}
case $bin in /*) ;; *) bin=$top/$bin ;; esac

work=$(mktemp -d "${TMPDIR:-/tmp}/lps-browser.XXXXXX") || exit 4
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
n=0
ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
	[ -z "${2:-}" ] || sed 's/^/#	/' "$2" | head -n 40
}
finish() {
	echo "browser: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
	for b in chromium chromium-browser google-chrome; do
		if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
	done
fi
if [ -z "$browser" ]; then
	echo "browser test: no chromium found (on Debian: apt-get install" \
	     "chromium)" >"$work/why"
	not_ok "chromium is installed" "$work/why"
	finish
fi
ok "chromium is installed ($browser)"

# The sample portfolio, built with the real commands in our own folder.
if ! TMPDIR=$work LPS_SAMPLE_BIN=$bin sh "$top/tests/sample.sh" \
	>"$work/sample.log" 2>&1; then
	not_ok "the sample portfolio is built" "$work/sample.log"
	finish
fi
folio=$(sed -n 's/^The sample portfolio is in //p' "$work/sample.log")
if [ -z "$folio" ] || [ ! -f "$folio/lps.yaml" ]; then
	not_ok "the sample portfolio is built" "$work/sample.log"
	finish
fi
ok "the sample portfolio is built"

# Its exhibit, written at the top of the portfolio so the evidence links
# resolve; the sample's own HOME holds its git identity.
sample_home=$(dirname "$folio")/home
page=$folio/exhibit.html
if (cd "$folio" && HOME=$sample_home LPS_EXEC_PATH=$bin LPS_TODAY=2026-10-01 \
	"$bin/lps" report exhibit --format html -o exhibit.html) \
	>"$work/report.log" 2>&1 && [ -s "$page" ]; then
	ok "lps report exhibit --format html writes the page"
else
	not_ok "lps report exhibit --format html writes the page" \
		"$work/report.log"
	finish
fi

if grep -n -i -e 'http' -e 'src=' -e '<script' -e '<link' -e 'url(' \
	-e '@import' "$page" >"$work/refs"; then
	not_ok "the page has no external reference" "$work/refs"
else
	ok "the page has no external reference"
fi
if [ "$(grep -c '<a href="evidence/e-[0-9a-f]\{8\}/fall-screener.csv">' \
	"$page")" -eq 1 ]; then
	ok "the attached file is linked relative to the portfolio"
else
	grep -n 'href' "$page" >"$work/hrefs"
	not_ok "the attached file is linked relative to the portfolio" \
		"$work/hrefs"
fi

# Chromium with no network: every host name resolves to nothing and any
# proxied request goes to a closed port; a fresh profile each run.
run_browser() { # OUT-FILE ARGS...: run chromium, output to OUT-FILE
	o=$1; shift
	prof=$(mktemp -d "$work/profile.XXXXXX")
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --no-default-browser-check \
		--disable-background-networking --disable-component-update \
		--disable-sync --disable-extensions --disable-dev-shm-usage \
		--host-resolver-rules="MAP * ~NOTFOUND" \
		--proxy-server="127.0.0.1:9" --proxy-bypass-list="<-loopback>" \
		--user-data-dir="$prof" --hide-scrollbars "$@" \
		>"$o" 2>"$o.err"
}

printf '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>blank' \
	>"$work/blank.html"
printf '</title></head><body></body></html>\n' >>"$work/blank.html"
cd "$work" || exit 4
run_browser "$work/shot.log" --window-size=1280,2000 \
	--screenshot="$work/exhibit.png" "file://$page"
run_browser "$work/blank.log" --window-size=1280,2000 \
	--screenshot="$work/blank.png" "file://$work/blank.html"

size() { wc -c <"$1" | tr -d ' '; }
is_png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = \
	"89504e470d0a1a0a" ]; }
if [ -f "$work/exhibit.png" ] && is_png "$work/exhibit.png"; then
	ok "chromium takes a screenshot of the page"
	if [ -f "$work/blank.png" ] && is_png "$work/blank.png"; then
		e=$(size "$work/exhibit.png"); b=$(size "$work/blank.png")
		# Text, tables and charts make a PNG many times bigger than
		# a blank page (measured: about 40 times).
		if [ "$e" -gt 20000 ] && [ "$e" -gt $((b * 5)) ]; then
			ok "the screenshot is not blank ($e bytes; blank $b)"
		else
			echo "exhibit $e bytes, blank $b bytes" >"$work/why"
			not_ok "the screenshot is not blank" "$work/why"
		fi
	else
		not_ok "chromium takes a screenshot of an empty page" \
			"$work/blank.log.err"
	fi
else
	cat "$work/shot.log" "$work/shot.log.err" >"$work/why" 2>/dev/null
	not_ok "chromium takes a screenshot of the page" "$work/why"
fi

run_browser "$work/dom.html" "--dump-dom" "file://$page"
if grep -q '</main>' "$work/dom.html"; then
	ok "chromium dumps the DOM of the page"
else
	cat "$work/dom.html.err" >"$work/why" 2>/dev/null
	not_ok "chromium dumps the DOM of the page" "$work/why"
fi

# Every goal title (the titles are plain text in the sample; the DOM
# serialises & < > as entities, which they do not contain).
(cd "$folio" && HOME=$sample_home LPS_EXEC_PATH=$bin \
	"$bin/lps" goal list --format ids) >"$work/goals" 2>&1
count=0
missing=$work/missing
: >"$missing"
while IFS='	' read -r id title; do
	count=$((count + 1))
	grep -F -q ">$title<" "$work/dom.html" || echo "$id $title" >>"$missing"
done <"$work/goals"
if [ "$count" -ge 2 ] && [ ! -s "$missing" ]; then
	ok "every goal title is in the DOM ($count goals)"
else
	cat "$work/goals" >>"$missing"
	not_ok "every goal title is in the DOM" "$missing"
fi

for chart in "Phase timeline" "Progress of Raise grade 3 reading" \
	"Coverage of the cited frameworks"; do
	if grep -F -q "<svg" "$work/dom.html" &&
	   grep -F -q "aria-label=\"$chart\"" "$work/dom.html"; then
		ok "the DOM holds the chart \"$chart\""
	else
		grep -o '<svg[^>]*>' "$work/dom.html" >"$work/why"
		not_ok "the DOM holds the chart \"$chart\"" "$work/why"
	fi
done
finish
