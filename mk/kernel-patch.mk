# kernel-patch/: the seed patch, complete, checked against Debian's 5.10 and 6.12 trees.
#   make check-kernel-patch   reverse/re-apply on linux-source-5.10, checkpatch, fs/fuse build
#                             with Debian's 5.10 config, kernel-patch/check-tree verdicts.
# Needs root on Debian 12 (installs packages, fetches Debian's kernel sources into FL_CACHE).

.PHONY: check-kernel-patch
CHECK_VM += check-kernel-patch

check-kernel-patch:
	FL_CACHE='$(FL_CACHE)' bash tests/kernel-patch/test-kernel-patch.sh
