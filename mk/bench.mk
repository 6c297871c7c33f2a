# Benchmarks: what faultline costs. Not tests: they measure and print, never assert.
#   make bench                  the full table (host; ext4 DAX in a 6.12 guest and FUSE DAX in the
#                               test kernel, both wall-clock and in guest instructions, doc/bench.md)
#   make bench BENCH_ARGS="--rounds 9 --seconds 5 --icount-rounds 5"
# A tiny-N smoke run (check-bench-smoke) is in make check so the benchmark never rots; it runs
# each peer's path once (bpftrace in the ext4 guest; the lockdep test kernel, built on first use
# and cached, against the test kernel on FUSE DAX): doc/bench.md, "Peers".
BENCH_ARGS ?=
EXPORT_BENCH := $(BUILD)/bench/export-bench
# static, for the guests: empty programs on faultline's attach points, and the fixed-work load
FLOOR_STATIC := $(BUILD)/bench/floor-static
ICOUNT_BENCH := $(BUILD)/bench/icount-bench
TEST_PROGS_BENCH := $(EXPORT_BENCH) $(FLOOR_STATIC) $(ICOUNT_BENCH)

$(EXPORT_BENCH): tests/bench/export-bench.c tests/bpf/test-object.c tests/bpf/test-object.h \
		 $(TEST_BPF_SKEL) $(patsubst tools/%.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(TEST_BPF_CFLAGS) -Itools $< tests/bpf/test-object.c \
		$(patsubst tools/%.c,$(BUILD)/obj/%.o,$(LIB_SRCS)) -o $@ -lpthread $(HOST_LIBS)

# the floor's BPF object (empty programs) and its skeleton, in the benchmark's build directory
$(BUILD)/bench/%.bpf.o: tests/bench/%.bpf.c $(BUILD)/vmlinux.h
	$(BPF_OBJ_RECIPE)

$(BUILD)/bench/%.skel.h: $(BUILD)/bench/%.bpf.o
	$(BPF_SKEL_RECIPE)

.SECONDARY: $(BUILD)/bench/floor.bpf.o $(BUILD)/bench/floor.skel.h

$(FLOOR_STATIC): tests/bench/floor.c $(BUILD)/bench/floor.skel.h $(ABI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -I$(BUILD)/bench -static $< -o $@ -lbpf -lelf -lz -ljansson -lnettle

$(ICOUNT_BENCH): tests/bench/icount-bench.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -static $< -o $@

.PHONY: bench check-bench-smoke
bench: all $(BUILD)/faultline-static testkernel-tools $(TEST_PROGS) $(TEST_PROGS_BENCH)
	FL_CACHE='$(FL_CACHE)' BUILD='$(abspath $(BUILD))' tests/bench/run-bench $(BENCH_ARGS)

check-bench-smoke: all $(BUILD)/faultline-static testkernel-tools $(TEST_PROGS) $(TEST_PROGS_BENCH)
	FL_CACHE='$(FL_CACHE)' BUILD='$(abspath $(BUILD))' tests/bench/run-bench --smoke

CHECK_VM += check-bench-smoke
