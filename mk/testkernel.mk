# FUSE DAX test kernel (issue 5): Debian linux-source-6.12 + kernel-patch/testing, a FUSE
# server that serves DAX mappings from a pmem window, and a guest smoke test.
#
#   make testkernel           build (or reuse) the test kernel; prints its cache dir
#                             ($(FL_CACHE)/testkernel/<key>/ with bzImage, vmlinux, config, ...)
#   make testkernel-tools     static guest binaries in $(BUILD)/testkernel/bin
#   make testkernel-patches   checkpatch.pl (6.12 tree) and exact apply of kernel-patch/testing
#   make testkernel-smoke     boot it under QEMU TCG: data correctness and race workload,
#                             with fuse.dax_fault_serialize=Y and =N
#   make e2e                  everything above
# Variables: TESTKERNEL_SMOKE_ARGS (extra arguments for tests/testkernel/smoke).

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

e2e: testkernel-patches testkernel-smoke

# Fast checks belong in `make check`; the kernel build and boot are in `make e2e`.
CHECK_TARGETS += testkernel-tools testkernel-patches
