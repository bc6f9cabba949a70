#!/bin/sh
# t2060-report-io: what lps report reads and where it writes: the kinds
# that --help and the usage errors list (one table), -o into devices,
# FIFOs, symbolic links, files with their own mode and directories, the
# working tree read by default (--rev for a commit), an invalid lps.yaml
# named by every kind, and shallow clones.
. "$(dirname "$0")/lib.sh"
. "$DATA/report/build-portfolio.sh"

LPS_TODAY=2026-10-15
export LPS_TODAY
GOLD=$DATA/report

# help_kinds: the kinds `lps report --help` lists ("    KIND  text").
help_kinds() {
	run_lps 0 report --help &&
	sed -n "s/^    \([a-z][a-z]*\)  .*/\1/p" "$OUT"
}

# err_kinds: the kinds in the parentheses of the first line of $ERR.
err_kinds() {
	head -n 1 "$ERR" | sed "s/.*(\(.*\))\$/\1/" | tr -d " " | tr , "\n"
}

test_expect_success 'setup: the sample portfolio' '
	build_portfolio p &&
	(cd p && lps check)
'

test_expect_success '--help lists every kind, roundtable too' '
	help_kinds >kinds &&
	printf "%s\n" status progress coverage timeline exhibit roundtable \
		>expect &&
	test_cmp expect kinds
'

test_expect_success '"which report?" and "unknown report" list the same kinds' '
	help_kinds >kinds &&
	cd p &&
	run_lps 2 report && err_kinds >../which &&
	test_cmp ../kinds ../which &&
	run_lps 2 report weather &&
	grep -q "^lps: error: unknown report .weather. (" "$ERR" &&
	err_kinds >../unknown &&
	test_cmp ../kinds ../unknown
'

# ---- -o FILE keeps what is at FILE ----

# The FIFO's reader gives up after a while, so a broken lps that
# replaces the FIFO instead of writing into it fails rather than hangs.
test_expect_success '-o FIFO: written into the FIFO, which stays a FIFO' '
	mkfifo fifo &&
	{ timeout 20 cat fifo >from-fifo & } && reader=$! &&
	cd p && run_lps 0 report status -o ../fifo && cd .. &&
	wait $reader &&
	test -p fifo &&
	test_cmp "$GOLD/status.text" from-fifo
'

# A device node of our own (a copy of /dev/null, made only as root): a
# broken lps must never get the chance to replace the real one.
if mknod "$TRASH/null" c 1 3 2>/dev/null; then
	test_expect_success '-o a character device: written to, stays a device' '
		cd p && run_lps 0 report status -o ../null &&
		expect_empty "$OUT" && expect_empty "$ERR" &&
		test -c ../null &&
		ln -s null ../null-link &&
		run_lps 0 report status -o ../null-link &&
		test -c ../null && test -h ../null-link
	'
else
	echo "# skipped: -o a character device (mknod needs root)"
fi

test_expect_success '-o a symbolic link: its file is replaced, the link stays' '
	mkdir -p keep && echo old >keep/real.txt &&
	ln -s keep/real.txt link.txt &&
	cd p && run_lps 0 report status -o ../link.txt && cd .. &&
	test -h link.txt &&
	test "$(readlink link.txt)" = keep/real.txt &&
	test_cmp "$GOLD/status.text" keep/real.txt &&
	! ls keep | grep -v "^real.txt\$"
'

test_expect_success '-o a dangling symbolic link: the file it names is made' '
	ln -s keep/new.txt dangling.txt &&
	cd p && run_lps 0 report status -o ../dangling.txt && cd .. &&
	test -h dangling.txt && test_cmp "$GOLD/status.text" keep/new.txt
'

test_expect_success '-o a file of mode 600: replaced, still 600' '
	echo secret >private.txt && chmod 600 private.txt &&
	cd p && run_lps 0 report status -o ../private.txt && cd .. &&
	test "$(stat -c %a private.txt)" = 600 &&
	test_cmp "$GOLD/status.text" private.txt &&
	: >group.txt && chmod 664 group.txt &&
	(umask 022 && cd p && lps report status -o ../group.txt) &&
	test "$(stat -c %a group.txt)" = 664
'

test_expect_success '-o a new file: made with the umask, as before' '
	(umask 027 && cd p && lps report status -o ../fresh.txt) &&
	test "$(stat -c %a fresh.txt)" = 640
'

test_expect_success '-o a directory: exit 4 naming it, nothing written' '
	mkdir outdir &&
	cd p && run_lps 4 report status -o ../outdir &&
	expect_empty "$OUT" &&
	expect_err "lps: error: ../outdir: is a directory; name a file to write" &&
	cd .. && test -d outdir && ! ls -A outdir | grep .
'

test_expect_success '-o through a link to a directory: exit 4 too' '
	ln -s outdir dirlink &&
	cd p && run_lps 4 report status -o ../dirlink &&
	grep -q "^lps: error: ../dirlink: is a directory" "$ERR" &&
	cd .. && test -h dirlink
'

# ---- an invalid lps.yaml is named by every kind ----

test_expect_success 'setup: a committed lps.yaml with phase: bogus' '
	cp -R p badmeta && cd badmeta &&
	sed -i "s/^phase: .*/phase: bogus/" lps.yaml &&
	git commit -q -am "bogus phase" &&
	run_lps 1 check && grep -q "^lps.yaml:8:8: phase: " "$OUT"
'

for kind in status progress coverage timeline exhibit; do
	test_expect_success "$kind: an invalid lps.yaml is warned, exit 1" "
		cd badmeta && run_lps 1 report $kind &&
		head -n 1 \"\$ERR\" >first &&
		grep -q '^lps: warning: lps.yaml:8:8: phase: must be one of' first &&
		test \"\$(grep -c lps.yaml \"\$ERR\")\" -le 2
	"
done

for kind in progress coverage timeline exhibit; do
	test_expect_success "$kind: with an invalid lps.yaml, still the report; json follows its schema" "
		cd badmeta && run_lps 1 report $kind --format json &&
		test -s \"\$OUT\" && cp \"\$OUT\" ../$kind.json &&
		grep -q '\"phase\": null' ../$kind.json &&
		run_lps 0 validate --schema \"\$TOP/schemas/report-$kind.schema.yaml\" ../$kind.json
	"
done

test_expect_success 'a valid lps.yaml: no warning' '
	cd p && run_lps 0 report progress && expect_empty "$ERR"
'

# ---- a shallow clone (what CI hosts make by default) ----

SHALLOW_WARNING="lps: warning: the history is shallow (a clone made with --depth): it starts at the oldest commit fetched; for all of it run: git fetch --unshallow"

test_expect_success 'setup: a clone with --depth 1' '
	git clone -q --depth 1 "file://$TRASH/p" shallow &&
	test -f shallow/.git/shallow &&
	test "$(git -C shallow rev-list --count HEAD)" = 1
'

test_expect_success 'shallow: exhibit stops at the boundary, one warning, exit 0' '
	cd shallow && run_lps 0 report exhibit &&
	expect_err "$SHALLOW_WARNING" &&
	grep -q "^Phases\$" "$OUT" &&
	grep -q "Raise grade 3 reading" "$OUT" &&
	lps report exhibit --format json >../shallow.json 2>/dev/null &&
	run_lps 0 validate --schema "$TOP/schemas/report-exhibit.schema.yaml" ../shallow.json
'

# report_timeline.c walks with lps_store_walk; it needs
# lps_report_walk(r, on_commit, &t) to stop at the boundary.
test_expect_success 'shallow: timeline stops at the boundary, one warning, exit 0' '
	cd shallow && run_lps 0 report timeline &&
	expect_err "$SHALLOW_WARNING" &&
	grep -q "^Cycle 2026-2027\$" "$OUT" &&
	grep -q "outcomes -> purpose" "$OUT"
'

test_expect_success 'shallow: reports that read no history do not warn' '
	cd shallow &&
	for kind in status progress coverage; do
		run_lps 0 report $kind && expect_empty "$ERR" || exit 1
	done
'

test_expect_success 'shallow --depth 3: the exhibit has the phase changes fetched' '
	git clone -q --depth 3 "file://$TRASH/p" shallow3 &&
	cd shallow3 && run_lps 0 report exhibit --format csv &&
	expect_err "$SHALLOW_WARNING" &&
	grep -q "^phase,.*,outcomes," "$OUT"
'

test_expect_success 'after git fetch --unshallow: the whole history, no warning' '
	(cd p && lps report exhibit >../full.txt) &&
	cd shallow && git fetch -q --unshallow &&
	run_lps 0 report exhibit && expect_empty "$ERR" &&
	test_cmp ../full.txt "$OUT"
'

# ---- the working tree by default, --rev for a commit ----

# objects: what git count-objects -v says, and the pack files.
objects() {
	git count-objects -v && ls .git/objects/pack
}

test_expect_success 'setup: a goal title edited by hand, not committed' '
	cp -R p wt && cd wt &&
	git status --porcelain >../wt-status-clean &&
	expect_empty ../wt-status-clean &&
	run_lps 0 report status --format json &&
	grep -q "\"revision\": \"$(git rev-parse HEAD)\"" "$OUT" &&
	sed -i "s/^title: .*/title: Edited by hand/" goals/g-0000000c.yaml &&
	git status --porcelain >../wt-status &&
	objects >../wt-objects &&
	run_lps 0 check
'

for kind in status progress exhibit timeline; do
	test_expect_success "$kind reads the working tree: the new title" "
		cd wt && run_lps 0 report $kind &&
		expect_empty \"\$ERR\" &&
		grep -q 'Edited by hand' \"\$OUT\" &&
		run_lps 0 report $kind --rev HEAD &&
		! grep -q 'Edited by hand' \"\$OUT\" &&
		grep -q 'Coach every teacher once a term' \"\$OUT\"
	"
done

test_expect_success 'the timeline still walks the whole history' '
	cd wt && run_lps 0 report timeline --format csv &&
	grep -q "^2025-2026,2025-09-10,phase,,purpose -> focus" "$OUT" &&
	grep -q "^2026-2027,2026-08-20,phase,,outcomes -> purpose" "$OUT" &&
	grep -q "^2025-2026,2025-11-01,evidence," "$OUT" &&
	grep -q "goal added: Edited by hand" "$OUT"
'

test_expect_success 'the revision read is a commit on HEAD that is not stored' '
	cd wt && run_lps 0 report status --format json &&
	rev=$(sed -n "s/^  \"revision\": \"\([0-9a-f]*\)\",\$/\1/p" "$OUT") &&
	test -n "$rev" && test "$rev" != "$(git rev-parse HEAD)" &&
	! git cat-file -e "$rev" 2>/dev/null &&
	run_lps 0 report status --format json &&
	grep -q "\"revision\": \"$rev\"" "$OUT"
'

test_expect_success 'untracked documents are read, other untracked files are not' '
	cd wt &&
	sed "s/^id: .*/id: g-000000dd/; s/^title: .*/title: Untracked goal/" \
		goals/g-0000000c.yaml >goals/g-000000dd.yaml &&
	printf "lps: 1\nid: g-000000ee\n" >goals/g-000000ee.yaml &&
	echo "not a document" >goals/notes.txt &&
	run_lps 1 report status &&
	grep -q "g-000000dd  Untracked goal" "$OUT" &&
	test "$(grep -c "^lps: warning: " "$ERR")" = 1 &&
	grep -q "^lps: warning: goals/g-000000ee.yaml:1:1: " "$ERR" &&
	rm goals/g-000000dd.yaml goals/g-000000ee.yaml goals/notes.txt
'

test_expect_success 'a document deleted in the working tree is left out' '
	cd wt && mv goals/g-0000000c.yaml ../g-c.yaml &&
	run_lps 0 report status && ! grep -q "g-0000000c" "$OUT" &&
	run_lps 0 report status --rev HEAD && grep -q "g-0000000c" "$OUT" &&
	mv ../g-c.yaml goals/g-0000000c.yaml
'

test_expect_success 'an edited lps.yaml is read from the working tree too' '
	cd wt && cp lps.yaml ../lps.yaml.orig &&
	sed -i "s/^school: .*/school: Edited School/" lps.yaml &&
	run_lps 0 report status && grep -q "^School: Edited School\$" "$OUT" &&
	cp ../lps.yaml.orig lps.yaml
'

test_expect_success 'nothing was written: git status and the objects are as before' '
	cd wt && git status --porcelain >../wt-status-after &&
	test_cmp ../wt-status ../wt-status-after &&
	objects >../wt-objects-after &&
	test_cmp ../wt-objects ../wt-objects-after &&
	git fsck --strict --no-progress
'

test_expect_success 'staged but not committed: read too, nothing written' '
	cd wt && git add goals/g-0000000c.yaml && objects >../staged-objects &&
	run_lps 0 report status && grep -q "Edited by hand" "$OUT" &&
	objects >../staged-objects-after &&
	test_cmp ../staged-objects ../staged-objects-after &&
	git restore --staged goals/g-0000000c.yaml
'

test_done
