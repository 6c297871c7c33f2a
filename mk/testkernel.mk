# FUSE DAX test kernel: Debian linux-source-6.12 + kernel-patch/testing, a FUSE
# server that serves DAX mappings from a pmem window, and a guest smoke test.
#
#   make testkernel           build (or reuse) the test kernel; prints its cache dir
#                             ($(FL_CACHE)/testkernel/<key>/ with bzImage, vmlinux, config, ...)
#   make testkernel-tools     static guest binaries in $(BUILD)/testkernel/bin
#   make testkernel-patches   checkpatch.pl (6.12 tree) and exact apply of kernel-patch/testing
#   make testkernel-smoke     boot it under QEMU TCG (tests/vm harness): mount options, hooks,
#                             data correctness and race workload, with
#                             fuse.dax_fault_serialize=Y and =N
#   make testkernel-5.10      the 5.10 test kernels (Debian linux-source-5.10 + kernel-patch/
#                             testing/5.10): variants pre-seed, seed, fixed from one tree; prints
#                             $(FL_CACHE)/testkernel/<key>/ (one subdir per variant)
#   make testkernel-patches-5.10  checkpatch (5.10 tree) and exact apply of the 5.10 series and
#                             of each variant
#   make testkernel-smoke-5.10    boot each 5.10 variant: mount, hooks, data and race steps
#   make testkernel-lockdep   the lockdep peer of the bench: the 6.12 test kernel with
#                             CONFIG_PROVE_LOCKING and kernel-patch/testing/lockdep/0006
#                             (KSERIES=6.12-lockdep); prints its cache dir
#   make testkernel-patches-lockdep  checkpatch and exact apply of that series
#   make e2e                  everything above, and the end-to-end tests (mk/e2e.mk)
# Variables: TESTKERNEL_SMOKE_ARGS (extra arguments for tests/testkernel/smoke),
#            TESTKERNEL_SMOKE_510_ARGS (the same for the 5.10 smoke),
#            TESTKERNEL_CHECK=0 (keep the kernel builds and boots out of `make check`).

TK_DIR      := tests/testkernel
TK_BIN      := $(BUILD)/testkernel/bin
TK_CFLAGS   := -O2 -g -Wall -Wextra -Werror -std=gnu11
TK_TOOLS    := $(TK_BIN)/fuse-dax-server $(TK_BIN)/dax-check $(TK_BIN)/dax-race-workload
TESTKERNEL_SMOKE_ARGS ?=

TESTKERNEL_SMOKE_510_ARGS ?=

.PHONY: testkernel testkernel-tools testkernel-patches testkernel-smoke
.PHONY: testkernel-5.10 testkernel-patches-5.10 testkernel-smoke-5.10
.PHONY: testkernel-lockdep testkernel-patches-lockdep

testkernel:
	@FL_CACHE=$(FL_CACHE) $(TK_DIR)/build-testkernel

testkernel-5.10:
	@FL_CACHE=$(FL_CACHE) KSERIES=5.10 $(TK_DIR)/build-testkernel

testkernel-lockdep:
	@FL_CACHE=$(FL_CACHE) KSERIES=6.12-lockdep $(TK_DIR)/build-testkernel

testkernel-tools: $(TK_TOOLS)

# Static, so that the busybox initramfs needs no libraries.
$(TK_BIN)/fuse-dax-server: tests/progs/fuse-dax-server.c tests/progs/progs.h | $(TK_BIN)
	$(CC) $(TK_CFLAGS) -static -pthread -o $@ $<
$(TK_BIN)/dax-check: tests/progs/dax-check.c tests/progs/progs.h | $(TK_BIN)
	$(CC) $(TK_CFLAGS) -static -o $@ $<
$(TK_BIN)/dax-race-workload: tests/progs/dax-race-workload.c | $(TK_BIN)
	$(CC) $(TK_CFLAGS) -static -pthread -o $@ $<
$(TK_BIN):
	@mkdir -p $@

testkernel-patches:
	@FL_CACHE=$(FL_CACHE) $(TK_DIR)/check-patches

testkernel-patches-5.10:
	@FL_CACHE=$(FL_CACHE) KSERIES=5.10 $(TK_DIR)/check-patches

testkernel-patches-lockdep:
	@FL_CACHE=$(FL_CACHE) KSERIES=6.12-lockdep $(TK_DIR)/check-patches

testkernel-smoke: $(TK_TOOLS)
	@FL_CACHE=$(FL_CACHE) $(TK_DIR)/smoke --bin $(TK_BIN) --out $(BUILD)/testkernel-smoke \
		$(TESTKERNEL_SMOKE_ARGS)

testkernel-smoke-5.10: $(TK_TOOLS)
	@FL_CACHE=$(FL_CACHE) $(TK_DIR)/smoke --series 5.10 --bin $(TK_BIN) \
		--out $(BUILD)/testkernel-smoke-5.10 $(TESTKERNEL_SMOKE_510_ARGS)

# The smoke test builds the kernel on first use (about 7 min on 2 idle cores, 10-13 min on a
# busy machine; cached afterwards) and boots it for about 1.5 min. The 5.10 smoke builds its
# three kernels on first use (about 10 CPU-minutes: 7.5 min on 2 cores, 14 min on a busy
# machine; the second and third variant about 20 s each) and boots them for about 3.5 min.
# TESTKERNEL_CHECK=0 leaves the builds and boots out of `make check` (they stay in `make e2e`).
TESTKERNEL_CHECK ?= 1
CHECK_VM += testkernel-tools testkernel-patches testkernel-patches-5.10 testkernel-patches-lockdep
ifeq ($(TESTKERNEL_CHECK),1)
CHECK_VM += testkernel-smoke testkernel-smoke-5.10
endif
