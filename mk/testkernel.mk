# FUSE DAX test kernel (issue 5): Debian linux-source-6.12 + kernel-patch/testing, a FUSE
# server that serves DAX mappings from a pmem window, and a guest smoke test.
#
#   make testkernel           build (or reuse) the test kernel; prints its cache dir
#                             ($(FL_CACHE)/testkernel/<key>/ with bzImage, vmlinux, config, ...)
#   make testkernel-tools     static guest binaries in $(BUILD)/testkernel/bin
#   make testkernel-patches   checkpatch.pl (6.12 tree) and exact apply of kernel-patch/testing
#   make testkernel-smoke     boot it under QEMU TCG (tests/vm harness): mount options, hooks,
#                             data correctness and race workload, with
#                             fuse.dax_fault_serialize=Y and =N
#   make e2e                  everything above
# Variables: TESTKERNEL_SMOKE_ARGS (extra arguments for tests/testkernel/smoke),
#            TESTKERNEL_CHECK=0 (keep the kernel build and boot out of `make check`).

TK_DIR      := tests/testkernel
TK_BIN      := $(BUILD)/testkernel/bin
TK_CFLAGS   := -O2 -g -Wall -Wextra -Werror -std=gnu11
TK_TOOLS    := $(TK_BIN)/fuse-dax-server $(TK_BIN)/dax-check $(TK_BIN)/dax-race-workload
TESTKERNEL_SMOKE_ARGS ?=

.PHONY: testkernel testkernel-tools testkernel-patches testkernel-smoke e2e

testkernel:
	@FL_CACHE=$(FL_CACHE) $(TK_DIR)/build-testkernel

testkernel-tools: $(TK_TOOLS)

# Static, so that the busybox initramfs needs no libraries.
$(TK_BIN)/fuse-dax-server: tests/fuse-dax-server/fuse-dax-server.c | $(TK_BIN)
	$(CC) $(TK_CFLAGS) -static -o $@ $<
$(TK_BIN)/dax-check: $(TK_DIR)/dax-check.c | $(TK_BIN)
	$(CC) $(TK_CFLAGS) -static -o $@ $<
$(TK_BIN)/dax-race-workload: $(TK_DIR)/dax-race-workload.c | $(TK_BIN)
	$(CC) $(TK_CFLAGS) -static -pthread -o $@ $<
$(TK_BIN):
	@mkdir -p $@

testkernel-patches:
	@FL_CACHE=$(FL_CACHE) $(TK_DIR)/check-patches

testkernel-smoke: $(TK_TOOLS)
	@FL_CACHE=$(FL_CACHE) $(TK_DIR)/smoke --bin $(TK_BIN) --out $(BUILD)/testkernel-smoke \
		$(TESTKERNEL_SMOKE_ARGS)

TK_SCRIPTS := $(TK_DIR)/build-testkernel $(TK_DIR)/check-patches $(TK_DIR)/smoke
TK_GUEST   := $(TK_DIR)/guest/fl.sh $(TK_DIR)/guest/smoke.sh $(wildcard $(TK_DIR)/guest/steps/*.sh)

.PHONY: testkernel-shellcheck
testkernel-shellcheck:
	@if command -v shellcheck >/dev/null; then \
		shellcheck -x $(TK_SCRIPTS) $(TK_GUEST); \
	else echo "testkernel-shellcheck: shellcheck not installed, skipped"; fi

e2e: testkernel-patches testkernel-smoke

# The smoke test builds the kernel on first use (about 7 min on 2 idle cores, 10-13 min on a
# busy machine; cached afterwards) and boots it for about 1.5 min. TESTKERNEL_CHECK=0 leaves
# it out of `make check` (it stays in `make e2e`).
TESTKERNEL_CHECK ?= 1
CHECK_TARGETS += testkernel-tools testkernel-patches testkernel-shellcheck
ifeq ($(TESTKERNEL_CHECK),1)
CHECK_TARGETS += testkernel-smoke
endif
