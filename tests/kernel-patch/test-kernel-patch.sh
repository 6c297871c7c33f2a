#!/bin/bash
# test-kernel-patch.sh: prove kernel-patch/0001-*.patch is the change Debian's 5.10 tree ships,
# and check kernel-patch/0002 (for 5.10) and kernel-patch/0003 (for 6.12).
#
# Run by `make check-kernel-patch` (part of `make check`), as root on Debian 12. Installs what it
# needs (scripts/install-deps kernel), fetches Debian's linux-source-5.10, linux-source-6.12 and
# the 5.10 amd64 image (for its config) into $FL_CACHE (default ~/.cache/faultline), and checks:
#   1. the patch is in git format-patch form with the seed's subject, message and tags, covers
#      the five files, and keeps the seed's dir.c hunks;
#   2. on the pristine 5.10 tree it reverse-applies with no fuzz; on a copy, reversed and
#      re-applied (no fuzz either way), the tree is identical to the shipped one;
#   3. the tree's own scripts/checkpatch.pl reports 0 errors, and no warning other than the
#      seed message's long lines (COMMIT_LOG_LONG_LINE);
#   4. fs/fuse builds as modules with Debian's 5.10 config after modules_prepare
#      (kernel-patch/debian-tree), fuse.ko has DWARF and fuse_inode::i_mmap_sem, and the
#      shared source tree was not written to;
#   5. the reversed fs/fuse is self-consistent: everything compiles without warnings except
#      the later DAX range-reclaim code in dax.c, which needs the lock this patch adds;
#   6. kernel-patch/check-tree gives the right one-line verdict and exit status on 5.10
#      (carries), 6.12 (5.15+ form), the reversed tree (lacks), a partly patched tree, a
#      carrier with changed context, and on paths that are not kernel trees (exit 2);
#   7. kernel-patch/0002 (the 5.10 backport of 7851bf649d42, "fuse: fix dax truncate/punch_hole
#      fault path"): format-patch form naming the upstream commit, Fixes: the seed's commit;
#      exactly the 6.12 tree's change (the three truncation callers pass -1, the comment goes);
#      applies to 5.10 with no fuzz and no offset; checkpatch clean; the patched fs/fuse builds
#      without warnings; and check-tree's layout-break clause on 5.10 without it (page 0 only),
#      with it (whole file), on 6.12 (whole file) and on a tree with one caller fixed;
#   8. kernel-patch/0003 (create and attribute-change truncation vs DAX faults, a 6.12 fix):
#      format-patch form, dir.c and inode.c only, both sites lock, break layouts and unlock;
#      the 6.12 tree's checkpatch.pl --strict: 0 errors, 0 warnings, 0 checks; applies to
#      6.12 with no fuzz and no offset; the 6.12 test-kernel series links it; 6.12's fs/fuse
#      with it compiles without diagnostics (tinyconfig + kernel-patch/testing/config.fragment,
#      the configured tree cached in $FL_CACHE/build/kp-linux-source-6.12*-<hash>/; the first
#      run spends a minute or two on `make prepare`).
# Any failed assertion stops the test with "FAIL: <reason>" and exit status 1.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
export FL_CACHE=${FL_CACHE:-$HOME/.cache/faultline}
patch_file=$top/kernel-patch/0001-virtiofs-serialize-truncate-punch_hole-and-dax-fault-path.patch
fix_file=$top/kernel-patch/0002-fuse-fix-dax-truncate-punch_hole-fault-path.patch
create_file=$top/kernel-patch/0003-fuse-dax-serialize-truncation-by-create-and-by-attri.patch
seed=$top/tests/kernel-patch/seed-virtiofs-serialize-truncate-punch_hole-and-dax-fault-path.txt
check_tree=$top/kernel-patch/check-tree

t_start=$(date +%s)
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok   $*"; }
step() { echo "---- $* ($(($(date +%s) - t_start)) s)"; }

[ -r "$patch_file" ] || fail "missing $patch_file"
[ -r "$fix_file" ] || fail "missing $fix_file"
[ -r "$create_file" ] || fail "missing $create_file"
[ -r "$seed" ] || fail "missing the seed fixture $seed"

step "dependencies"
"$top/scripts/install-deps" kernel || fail "scripts/install-deps kernel failed"
for tool in patch perl make gcc pahole readelf flock bc; do
	command -v "$tool" >/dev/null || fail "$tool is not installed after install-deps"
done

step "Debian sources"
src5=$("$top/scripts/kernel-source" 5.10) || fail "scripts/kernel-source 5.10 failed"
src6=$("$top/scripts/kernel-source" 6.12) || fail "scripts/kernel-source 6.12 failed"
echo "     5.10 tree: $src5"
echo "     6.12 tree: $src6"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# copy_tree SRC DST: a copy of kernel tree SRC whose fs/fuse is real files and whose every
# other entry (top level and fs/*) is a symlink into SRC. patch only ever writes fs/fuse, and
# this is created and removed in a blink, where a cp -al of 75,000 entries takes 15 s to delete.
copy_tree() {
	local e
	mkdir -p "$2/fs"
	for e in "$1"/* "$1"/.[!.]*; do
		[ "$e" = "$1/fs" ] || ln -s "$e" "$2/"
	done
	for e in "$1"/fs/*; do
		[ "$e" = "$1/fs/fuse" ] || ln -s "$e" "$2/fs/"
	done
	cp -a "$1/fs/fuse" "$2/fs/fuse"
}

# ---------------------------------------------------------------------------------------------
step "1. patch form"
head -n 1 "$patch_file" | grep -E '^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001$' >/dev/null ||
	fail "first line is not a git format-patch 'From <sha> Mon Sep 17 00:00:00 2001' line"
grep -qx 'From: Vivek Goyal <vgoyal@redhat.com>' "$patch_file" || fail "no 'From: Vivek Goyal' header"
grep -qE '^Date: [A-Z][a-z]{2}, [0-9]{1,2} [A-Z][a-z]{2} 2020 [0-9:]{8} [-+][0-9]{4}$' "$patch_file" ||
	fail "no RFC 2822 Date: header from 2020"
subject=$(sed -n 's/^Subject: \[PATCH\] //p' "$patch_file")
[ "$subject" = "virtiofs: serialize truncate/punch_hole and dax fault path" ] ||
	fail "subject is '$subject'"
# The message and tags, byte for byte: the seed's text up to its last tag.
awk '/^Subject: /{s = 1; sub(/^Subject: \[PATCH\] /, ""); print; next}
	s && /^---$/ {exit} s {print}' "$patch_file" >"$work/msg.patch"
sed -n '1,/^Signed-off-by: Miklos Szeredi/p' "$seed" >"$work/msg.seed"
cmp -s "$work/msg.seed" "$work/msg.patch" ||
	{ diff -u "$work/msg.seed" "$work/msg.patch" >&2 || true; fail "message differs from the seed's"; }
ok "message and tags identical to the seed's ($(wc -l <"$work/msg.seed") lines)"
for tag in 'Signed-off-by: Vivek Goyal <vgoyal@redhat.com>' 'Cc: Dave Chinner <david@fromorbit.com>' \
	'Signed-off-by: Miklos Szeredi <mszeredi@redhat.com>'; do
	grep -qxF "$tag" "$work/msg.patch" || fail "tag missing: $tag"
done
files=$(sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' "$patch_file" | sort | tr '\n' ' ')
[ "$files" = "fs/fuse/dax.c fs/fuse/dir.c fs/fuse/file.c fs/fuse/fuse_i.h fs/fuse/inode.c " ] ||
	fail "patch touches '$files', not the five fs/fuse files"
section() {	# section FILE: the +/- lines of the patch for FILE (from stdin)
	awk -v f="$1" '/^diff --git /{in_f = ($3 == "a/" f)} in_f && /^[-+]/ && !/^(---|\+\+\+) / {print}'
}
must_add_in() {	# must_add_in PATCH FILE REGEX: PATCH adds a line matching REGEX to FILE
	section "$2" <"$1" | sed -n 's/^+//p' | grep -E "$3" >/dev/null ||
		fail "$(basename "$1") does not add '$3' in $2"
}
must_add() {	# must_add FILE REGEX WHAT
	section "$1" <"$patch_file" | sed -n 's/^+//p' | grep -E "$2" >/dev/null || fail "patch does not add $3 in $1"
}
must_add fs/fuse/fuse_i.h 'struct rw_semaphore i_mmap_sem;' "the rw_semaphore field"
must_add fs/fuse/fuse_i.h 'int fuse_dax_break_layouts\(' "the fuse_dax_break_layouts() prototype"
must_add fs/fuse/inode.c 'init_rwsem\(&fi->i_mmap_sem\);' "init_rwsem()"
must_add fs/fuse/dax.c 'down_read\(&get_fuse_inode\(inode\)->i_mmap_sem\);' "the shared lock in the fault path"
must_add fs/fuse/dax.c 'up_read\(&get_fuse_inode\(inode\)->i_mmap_sem\);' "the shared unlock in the fault path"
must_add fs/fuse/dax.c 'dax_layout_busy_page' "the dax_layout_busy_page wait"
must_add fs/fuse/dax.c '___wait_var_event\(&page->_refcount' "the wait for pinned pages"
must_add fs/fuse/dax.c '^int fuse_dax_break_layouts\(' "fuse_dax_break_layouts()"
must_add fs/fuse/dir.c 'down_write\(&fi->i_mmap_sem\);' "the exclusive lock in setattr"
must_add fs/fuse/file.c 'bool dax_truncate' "the open(O_TRUNC) case"
must_add fs/fuse/file.c 'down_write\(&get_fuse_inode\(inode\)->i_mmap_sem\);' "the exclusive lock in open"
must_add fs/fuse/file.c 'bool block_faults' "the fallocate case"
must_add fs/fuse/file.c 'down_write\(&fi->i_mmap_sem\);' "the exclusive lock in fallocate"
section fs/fuse/dir.c <"$seed" >"$work/dir.seed"
section fs/fuse/dir.c <"$patch_file" >"$work/dir.patch"
cmp -s "$work/dir.seed" "$work/dir.patch" ||
	{ diff -u "$work/dir.seed" "$work/dir.patch" >&2 || true; fail "dir.c hunks differ from the seed's"; }
ok "dir.c changes identical to the seed's ($(wc -l <"$work/dir.seed") +/- lines)"
ok "format-patch form, subject, tags, five files, every piece of the serialization"

# ---------------------------------------------------------------------------------------------
step "2. reverse-apply on the shipped 5.10 tree, re-apply"
out=$(patch -d "$src5" -p1 -R -F0 -f --dry-run -i "$patch_file" </dev/null 2>&1) ||
	{ printf '%s\n' "$out" >&2; fail "patch does not reverse-apply to $src5 with -F0"; }
printf '%s\n' "$out" | grep -iE 'fuzz|FAILED|reversed|Ignoring' >/dev/null &&
	{ printf '%s\n' "$out" >&2; fail "reverse dry run on $src5 was not clean"; }
nhunks=$(grep -c '^@@ ' "$patch_file")
offsets=$(printf '%s\n' "$out" | grep -c 'offset' || true)
ok "reverse dry run on $(basename "$src5"): $nhunks hunks, no fuzz, $offsets at an offset"

rev=$work/rev-5.10
copy_tree "$src5" "$rev"
out=$(patch -d "$rev" -p1 -R -F0 -f -i "$patch_file" </dev/null 2>&1) ||
	{ printf '%s\n' "$out" >&2; fail "reverse apply on the copy failed"; }
grep -qE 'i_mmap_sem' "$rev/fs/fuse/fuse_i.h" && fail "reversed fuse_i.h still declares i_mmap_sem"
cp -a "$rev/fs/fuse" "$work/fuse-pre"		# kept for step 5 and 6
out=$(patch -d "$rev" -p1 -F0 -f -i "$patch_file" </dev/null 2>&1) ||
	{ printf '%s\n' "$out" >&2; fail "re-apply on the reversed copy failed"; }
printf '%s\n' "$out" | grep -i 'fuzz' >/dev/null && fail "re-apply needed fuzz: $out"
diff -r "$src5" "$rev" >"$work/rediff" 2>&1 ||	# follows the symlinks: compares every file
	{ head -n 40 "$work/rediff" >&2; fail "reversed + re-applied tree differs from $src5"; }
ok "reversed then re-applied (no fuzz), the whole tree is identical to the shipped one"
cp -a "$work/fuse-pre/." "$rev/fs/fuse/"	# leave $rev as the tree that lacks the change

# ---------------------------------------------------------------------------------------------
step "3. checkpatch.pl of the 5.10 tree"
rc=0
(cd "$src5" && perl scripts/checkpatch.pl --show-types "$patch_file") >"$work/checkpatch" 2>&1 || rc=$?
sed 's/^/     | /' "$work/checkpatch"
grep -qE '^total: 0 errors, ' "$work/checkpatch" || fail "checkpatch reports errors"
types=$(sed -n 's/^\(WARNING\|ERROR\|CHECK\):\([A-Z_]*\):.*/\2/p' "$work/checkpatch" | sort -u | paste -sd ' ')
case "$types" in
"" | "COMMIT_LOG_LONG_LINE") ;;
*) fail "checkpatch reports more than the seed message's long lines: $types" ;;
esac
ok "checkpatch: 0 errors; warnings only from the seed's message (${types:-none}), exit $rc"

# ---------------------------------------------------------------------------------------------
step "4. fs/fuse with Debian's 5.10 config (kernel-patch/debian-tree 5.10)"
t0=$(date +%s)
eval "$("$top/kernel-patch/debian-tree" 5.10)" || fail "kernel-patch/debian-tree 5.10 failed"
echo "     debian-tree took $(($(date +%s) - t0)) s; build: $OBJ"
sed 's/^/     | /' "$OBJ/.faultline-done"
[ "$SRC" = "$src5" ] || fail "debian-tree used $SRC, not $src5"
for ko in "$FUSE_KO" "$VIRTIOFS_KO"; do
	[ -s "$ko" ] || fail "$ko was not built"
	vermagic=$(readelf -p .modinfo "$ko" | sed -n 's/.*vermagic=//p')
	case "$vermagic" in 5.10.*) ;; *) fail "$ko has vermagic '$vermagic'" ;; esac
	readelf -S "$ko" | grep '\.debug_info' >/dev/null || fail "$ko has no DWARF (.debug_info)"
done
pahole -C fuse_inode "$FUSE_KO" | grep -E 'struct rw_semaphore +i_mmap_sem;' >/dev/null ||
	fail "fuse.ko's struct fuse_inode has no i_mmap_sem (pahole)"
if [ -e "$src5/.config" ] || [ -e "$src5/include/generated" ] ||
	[ -n "$(find "$src5" -newer "$src5/.extracted" -print -quit)" ]; then
	fail "the shared source tree $src5 was written to"
fi
ok "fuse.ko and virtiofs.ko built ($KERNELRELEASE, DWARF kept, fuse_inode::i_mmap_sem present), source tree untouched"

# ---------------------------------------------------------------------------------------------
step "5. the reversed fs/fuse compiles, apart from the later range-reclaim code"
pre=$work/fuse-pre
rc=0
make -C "$SRC" O="$OBJ" M="$pre" -k -j"$(nproc)" modules >"$work/pre.log" 2>&1 || rc=$?
[ $rc != 0 ] || fail "reversed fs/fuse built completely, but dax.c's reclaim code uses i_mmap_sem"
for o in dev dir file inode control xattr acl readdir virtio_fs cuse; do
	[ -s "$pre/$o.o" ] || { tail -n 30 "$work/pre.log" >&2; fail "reversed fs/fuse: $o.o did not build"; }
done
[ -e "$pre/dax.o" ] && fail "dax.o built without the lock it uses"
grep -E '(warning|error):' "$work/pre.log" | grep -v '/dax\.c:' >"$work/pre.other" || true
[ -s "$work/pre.other" ] && { cat "$work/pre.other" >&2; fail "reversed fs/fuse: diagnostics outside dax.c"; }
grep -E '/dax\.c:[0-9]+:[0-9]+: error:' "$work/pre.log" >"$work/pre.errors" || true
[ -s "$work/pre.errors" ] || { tail -n 30 "$work/pre.log" >&2; fail "dax.o failed without a dax.c error"; }
grep -vE "i_mmap_sem|fuse_dax_break_layouts" "$work/pre.errors" >"$work/pre.unexpected" || true
[ -s "$work/pre.unexpected" ] && { cat "$work/pre.unexpected" >&2; fail "dax.c fails for another reason"; }
# Which functions are they in? Every one must be range-reclaim code (9a752d18c85a and later).
funcs=$(sed -E 's/.*dax\.c:([0-9]+):.*/\1/' "$work/pre.errors" | sort -un |
	awk -v f="$pre/dax.c" 'BEGIN {
		while ((getline l < f) > 0) {
			n++
			if (match(l, /^[A-Za-z_][^(;=]*[A-Za-z0-9_]+\(/)) {
				h = substr(l, 1, RLENGTH - 1); sub(/.*[ *]/, "", h); fn[n] = h
			} else fn[n] = ""
		}
	}
	{ for (i = $1; i > 0 && fn[i] == ""; i--) ; print fn[i] }' | sort -u)
for fn in $funcs; do
	case "$fn" in *reclaim*) ;; *) fail "reversed dax.c: $fn needs the lock but is not reclaim code" ;; esac
done
ok "dev/dir/file/inode/... compile with no diagnostics; dax.c fails only in $(echo "$funcs" | tr '\n' ' ')(i_mmap_sem / fuse_dax_break_layouts)"
rm -f "$pre"/*.o

# ---------------------------------------------------------------------------------------------
step "6. check-tree verdicts"
verdict() {	# verdict WANT_RC REGEX PATH...: run check-tree, check status, one line, its text
	local want=$1 re=$2 rc=0 out
	shift 2
	out=$("$check_tree" "$@" 2>"$work/ct.err") || rc=$?
	[ "$rc" = "$want" ] || { cat "$work/ct.err" >&2; fail "check-tree $* exited $rc, want $want: $out"; }
	if [ "$want" = 2 ]; then
		[ -z "$out" ] || fail "check-tree $* printed a verdict on error: $out"
		grep -qE "$re" "$work/ct.err" || fail "check-tree $*: unclear reason: $(cat "$work/ct.err")"
		echo "     exit $rc: $(cat "$work/ct.err")"
	else
		[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "check-tree $* printed more than one line"
		printf '%s\n' "$out" | grep -E "$re" >/dev/null || fail "check-tree $*: '$out' does not match '$re'"
		echo "     exit $rc: $out"
	fi
}
verdict 0 ': carries the change \(fuse_inode::i_mmap_sem\); the patch reverse-applies with no fuzz' "$src5"
verdict 0 ': has the 5.15\+ form \(mapping->invalidate_lock\)' "$src6"
verdict 1 ': lacks the change; the patch applies with no fuzz and no offsets$' "$rev"
# A partly patched tree: only the fuse_i.h and inode.c parts.
mini=$work/mini
mkdir -p "$mini/fs"
cp "$src5/Makefile" "$mini/"
cp -a "$pre" "$mini/fs/fuse"
awk '/^diff --git /{keep = ($3 == "a/fs/fuse/fuse_i.h" || $3 == "a/fs/fuse/inode.c")} keep' \
	"$patch_file" >"$work/part.patch"
patch -d "$mini" -p1 -F0 -f -s -i "$work/part.patch" </dev/null || fail "partial patch did not apply"
verdict 1 ': lacks the change \(partly there: missing shared lock in the DAX fault path, fuse_dax_break_layouts\(\), exclusive lock in setattr, exclusive lock in open/fallocate\)' "$mini"
# A carrier whose context differs (as upstream v5.10 before the stable fixes would).
rm -rf "$mini/fs/fuse"
cp -a "$src5/fs/fuse" "$mini/fs/fuse"
sed -i 's#^\t/\* Flush dirty data/metadata before non-truncate SETATTR \*/$#\t/* Flush dirty data and metadata first */#' \
	"$mini/fs/fuse/dir.c"
cmp -s "$src5/fs/fuse/dir.c" "$mini/fs/fuse/dir.c" && fail "could not change dir.c's context"
verdict 0 ': carries the change \(fuse_inode::i_mmap_sem\); same locking in different context' "$mini"
# Not kernel trees.
mkdir -p "$work/notkernel/fs/fuse"
echo 'all:' >"$work/notkernel/Makefile"
verdict 2 'not a kernel source tree' "$work/notkernel"
verdict 2 'not a kernel source tree' "$top"
verdict 2 'not a directory' "$patch_file"
verdict 2 'no such file or directory' "$work/does-not-exist"
rm -rf "$mini/fs/fuse"
verdict 2 'without a readable fs/fuse' "$mini"

# ---------------------------------------------------------------------------------------------
step "7. kernel-patch/0002: 7851bf649d42 for 5.10"
head -n 1 "$fix_file" | grep -E '^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001$' >/dev/null ||
	fail "0002: first line is not a git format-patch 'From <sha> Mon Sep 17 00:00:00 2001' line"
[ "$(sed -n 's/^Subject: \[PATCH\] //p' "$fix_file")" = "fuse: fix dax truncate/punch_hole fault path" ] ||
	fail "0002: subject is not upstream's"
grep -qxF 'commit 7851bf649d42 ("fuse: fix dax truncate/punch_hole fault path")' "$fix_file" ||
	fail "0002: the message does not name the upstream commit"
grep -qiE 'reconstruct.*6\.12|6\.12.*reconstruct' <(sed -n '1,/^---$/p' "$fix_file" | tr '\n' ' ') ||
	fail "0002: the message does not say it is reconstructed from the 6.12 tree"
grep -qxF 'Fixes: 6ae330cad6ef ("virtiofs: serialize truncate/punch_hole and dax fault path")' "$fix_file" ||
	fail "0002: no Fixes: tag for the seed's commit"
files=$(sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' "$fix_file" | sort | tr '\n' ' ')
[ "$files" = "fs/fuse/dax.c fs/fuse/dir.c fs/fuse/file.c " ] || fail "0002 touches '$files'"
# Exactly the change: three callers 0 -> -1, the comment that says 0 means the whole file gone.
chg=$(grep -E '^[-+][^-+]' "$fix_file" | sed 's/^\([-+]\)[[:space:]]*/\1/' | LC_ALL=C sort |
	uniq -c | sed 's/^ *//' | paste -sd '|')
[ "$chg" = "3 +err = fuse_dax_break_layouts(inode, 0, -1);|1 -/* dmap_end == 0 leads to unmapping of whole file */|3 -err = fuse_dax_break_layouts(inode, 0, 0);" ] ||
	fail "0002 changes more or less than the three callers and the comment: $chg"
# ... which is what the 6.12 tree has: its truncation callers pass -1 and the comment is gone.
[ "$(grep -hc 'fuse_dax_break_layouts(inode, 0, -1);' "$src6/fs/fuse/dir.c" "$src6/fs/fuse/file.c" |
	paste -sd +)" = "1+2" ] || fail "6.12's dir.c/file.c do not pass -1 in the three callers"
grep -q 'dmap_end == 0 leads to' "$src6/fs/fuse/dax.c" && fail "6.12's dax.c still has the comment"
out=$(patch -d "$src5" -p1 -F0 -f --dry-run -i "$fix_file" </dev/null 2>&1) ||
	{ printf '%s\n' "$out" >&2; fail "0002 does not apply to $src5 with -F0"; }
printf '%s\n' "$out" | grep -iE 'fuzz|offset|FAILED|reversed' >/dev/null &&
	{ printf '%s\n' "$out" >&2; fail "0002 applies to $src5 only with offset or fuzz"; }
ok "0002: names 7851bf649d42, Fixes: 6ae330cad6ef, exactly 6.12's change, applies to $(basename "$src5") with no fuzz and no offset"
# checkpatch: Debian's source tree is no git repository, so checkpatch cannot look commit ids up
# and warns about each (UNKNOWN_COMMIT_ID, however valid); nothing else may be reported.
(cd "$src5" && perl scripts/checkpatch.pl --strict --show-types "$fix_file") >"$work/cp2" 2>&1 || true
sed 's/^/     | /' "$work/cp2"
types=$(sed -n 's/^\(WARNING\|ERROR\|CHECK\):\([A-Z_]*\):.*/\2/p' "$work/cp2" | sort -u | paste -sd ' ')
[ -z "$types" ] || [ "$types" = UNKNOWN_COMMIT_ID ] || fail "0002: checkpatch --strict reports $types"
ok "0002: checkpatch --strict: nothing but UNKNOWN_COMMIT_ID (${types:-none})"
fix=$work/fix-5.10
copy_tree "$src5" "$fix"
patch -d "$fix" -p1 -F0 -f -s -i "$fix_file" </dev/null || fail "0002 did not apply to the copy"
rc=0
make -C "$SRC" O="$OBJ" M="$fix/fs/fuse" -j"$(nproc)" modules >"$work/fix.log" 2>&1 || rc=$?
[ $rc = 0 ] || { tail -n 30 "$work/fix.log" >&2; fail "fs/fuse with 0002 does not build"; }
grep -E '(warning|error):' "$work/fix.log" >&2 && fail "fs/fuse with 0002: compiler diagnostics"
rm -f "$fix/fs/fuse"/*.o "$fix/fs/fuse"/*.ko
ok "fs/fuse with 0002 builds with Debian's 5.10 config, no diagnostics"
reach0='; layout break covers page 0 only: lacks 7851bf649d42$'
reach1='; layout break covers the whole file \(7851bf649d42\)$'
verdict 0 ": carries the change \(fuse_inode::i_mmap_sem\); the patch reverse-applies with no fuzz and no offsets$reach0" "$src5"
verdict 0 ": carries the change \(fuse_inode::i_mmap_sem\); the patch reverse-applies with no fuzz and no offsets once kernel-patch/0002 \(7851bf649d42\) is reversed$reach1" "$fix"
verdict 0 ": has the 5.15\+ form \(mapping->invalidate_lock\); .*$reach1" "$src6"
# One caller fixed by hand: partly.
rm -rf "$mini"
mkdir -p "$mini/fs"
cp "$src5/Makefile" "$mini/"
cp -a "$src5/fs/fuse" "$mini/fs/fuse"
sed -i 's/fuse_dax_break_layouts(inode, 0, 0);/fuse_dax_break_layouts(inode, 0, -1);/' "$mini/fs/fuse/dir.c"
verdict 0 '; layout break covers page 0 only in 2 of 3 callers: partly lacks 7851bf649d42$' "$mini"
# The 5.10 test kernel's pre-seed variant: the seed reversed, reclaim's needs kept
# (kernel-patch/testing/5.10/pre-seed): no truncation caller left, so no clause.
keep=$(ls "$top"/kernel-patch/testing/5.10/pre-seed/*.patch)
rm -rf "$mini/fs/fuse"
cp -a "$pre" "$mini/fs/fuse"
patch -d "$mini" -p1 -F0 -f -s -i "$keep" </dev/null || fail "the pre-seed patch does not apply"
verdict 1 ': lacks the change \(partly there: missing shared lock in the DAX fault path, exclusive lock in setattr, exclusive lock in open/fallocate\); the patch does not apply as is: backport it by hand$' "$mini"

# ---------------------------------------------------------------------------------------------
step "8. kernel-patch/0003: truncation by create and attribute changes vs DAX faults (6.12)"
head -n 1 "$create_file" | grep -E '^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001$' >/dev/null ||
	fail "0003: first line is not a git format-patch 'From <sha> Mon Sep 17 00:00:00 2001' line"
grep -qx 'From: faultline developers <dev@faultline.invalid>' "$create_file" || fail "0003: author"
grep -qx 'Signed-off-by: faultline developers <dev@faultline.invalid>' "$create_file" ||
	fail "0003: no Signed-off-by"
files=$(sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' "$create_file" | sort | tr '\n' ' ')
[ "$files" = "fs/fuse/dir.c fs/fuse/inode.c " ] || fail "0003 touches '$files'"
for f in dir.c inode.c; do
	for re in 'filemap_invalidate_lock\(inode->i_mapping\);' \
		'fuse_dax_break_layouts\(inode, 0, -1\);' 'filemap_invalidate_unlock\(inode->i_mapping\);'; do
		must_add_in "$create_file" "fs/fuse/$f" "$re"
	done
done
(cd "$src6" && perl scripts/checkpatch.pl --strict "$create_file") >"$work/cp3" 2>&1 || true
sed 's/^/     | /' "$work/cp3"
grep -q '^total: 0 errors, 0 warnings, 0 checks,' "$work/cp3" || fail "0003: checkpatch --strict not clean"
out=$(patch -d "$src6" -p1 -F0 -f --dry-run -i "$create_file" </dev/null 2>&1) ||
	{ printf '%s\n' "$out" >&2; fail "0003 does not apply to $src6 with -F0"; }
printf '%s\n' "$out" | grep -iE 'fuzz|offset|FAILED|reversed' >/dev/null &&
	{ printf '%s\n' "$out" >&2; fail "0003 applies to $src6 only with offset or fuzz"; }
ok "0003: checkpatch --strict clean (6.12 tree), applies to $(basename "$src6") with no fuzz and no offset"
# The 6.12 test kernel carries it: its series has a link to this very file.
in_series=""
for p in "$top"/kernel-patch/testing/*.patch; do
	[ "$(readlink -f "$p")" != "$(readlink -f "$create_file")" ] || in_series=${p#"$top/"}
done
[ -n "$in_series" ] || fail "0003 is not in the 6.12 test-kernel series (kernel-patch/testing/)"
ok "0003: in the 6.12 test-kernel series as $in_series"
# fs/fuse of the 6.12 tree with 0003, compiled (not linked) with the test kernel's config
# (tinyconfig + kernel-patch/testing/config.fragment: FUSE_FS, VIRTIO_FS, FUSE_DAX built in;
# Debian's own 6.12 config builds them into vmlinux too, see kernel-patch/debian-tree). The
# configured and prepared tree is cached in $FL_CACHE/build/kp-<source>-<config hash>/: obj/,
# and src/, a tree of symlinks into the shared source whose fs/fuse is a real copy.
frag=$top/kernel-patch/testing/config.fragment
b6=$FL_CACHE/build/kp-$(basename "$src6")-$(sha256sum "$frag" | cut -c1-12)
mkdir -p "$FL_CACHE/build"
exec 8>"$b6.lock"
flock 8
if [ ! -e "$b6/.prepared" ]; then
	t0=$(date +%s)
	rm -rf "$b6"
	mkdir -p "$b6/src/fs" "$b6/obj"
	for e in "$src6"/* "$src6"/.[!.]*; do
		case "$e" in "$src6/fs" | "$src6/Makefile" | "$src6/.extracted") continue ;; esac
		ln -s "$e" "$b6/src/"
	done
	cp "$src6/Makefile" "$b6/src/Makefile"
	for e in "$src6"/fs/*; do
		[ "$e" = "$src6/fs/fuse" ] || ln -s "$e" "$b6/src/fs/"
	done
	cp -a "$src6/fs/fuse" "$b6/src/fs/fuse"
	{
		make -C "$b6/src" O="$b6/obj" tinyconfig &&
			(cd "$b6/obj" && "$b6/src/scripts/kconfig/merge_config.sh" -m -O "$b6/obj" \
				"$b6/obj/.config" "$frag") &&
			make -C "$b6/src" O="$b6/obj" olddefconfig &&
			make -C "$b6/src" O="$b6/obj" -j"$(nproc)" prepare
	} >"$b6/prepare.log" 2>&1 || { tail -n 30 "$b6/prepare.log" >&2; fail "6.12: configure/prepare failed"; }
	for opt in CONFIG_FUSE_FS CONFIG_FUSE_DAX CONFIG_VIRTIO_FS; do
		grep -qx "$opt=y" "$b6/obj/.config" || fail "6.12 config lost $opt"
	done
	touch "$b6/.prepared"
	echo "     6.12 tree configured and prepared in $(($(date +%s) - t0)) s: $b6"
fi
rm -rf "$b6/src/fs/fuse" "$b6/obj/fs/fuse"	# every object rebuilt: cp -a keeps old mtimes
cp -a "$src6/fs/fuse" "$b6/src/fs/fuse"
patch -d "$b6/src" -p1 -F0 -f -s -i "$create_file" </dev/null || fail "0003 did not apply to the copy"
rc=0
make -C "$b6/src" O="$b6/obj" -j"$(nproc)" fs/fuse/ >"$work/fuse6.log" 2>&1 || rc=$?
[ $rc = 0 ] || { tail -n 30 "$work/fuse6.log" >&2; fail "6.12 fs/fuse with 0003 does not build"; }
grep -E '(warning|error):' "$work/fuse6.log" >&2 && fail "6.12 fs/fuse with 0003: compiler diagnostics"
for o in dir inode dax file dev; do
	[ -s "$b6/obj/fs/fuse/$o.o" ] || fail "6.12 fs/fuse with 0003: $o.o was not built"
done
[ -n "$(find "$src6" -newer "$src6/.extracted" -print -quit)" ] &&
	fail "the shared source tree $src6 was written to"
flock -u 8
ok "0003: 6.12 fs/fuse (FUSE_DAX, VIRTIO_FS) compiles with it, no diagnostics"

# ---------------------------------------------------------------------------------------------
if command -v shellcheck >/dev/null; then
	step "shellcheck"
	(cd "$top" && shellcheck -x -S warning kernel-patch/check-tree kernel-patch/debian-tree \
		tests/kernel-patch/test-kernel-patch.sh) || fail "shellcheck"
	ok "shellcheck clean"
fi

echo "PASS: kernel-patch ($(($(date +%s) - t_start)) s)"
