# Benchmarks: what faultline costs (issue 6). Not tests: they measure and print, never assert.
#   make bench                  the full table (host, ext4 DAX in a 6.12 guest, FUSE DAX test kernel)
#   make bench BENCH_ARGS="--rounds 9 --seconds 5"
# A tiny-N smoke run (check-bench-smoke) is in make check so the benchmark never rots.
BENCH_ARGS ?=
EXPORT_BENCH := $(BUILD)/bench/export-bench
# static, for the guests' calibration run (as faultline-static: no libxml2, no JUnit)
EXPORT_BENCH_STATIC := $(BUILD)/bench/export-bench-static
EXPORT_BENCH_GUEST_OBJS := $(patsubst tools/%.c,$(BUILD)/obj/%.o,$(filter-out tools/faultline.c,$(GUEST_SRCS)))
TEST_PROGS_BENCH := $(EXPORT_BENCH) $(EXPORT_BENCH_STATIC)

$(EXPORT_BENCH): tests/bench/export-bench.c $(patsubst tools/%.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Itools $< $(patsubst tools/%.c,$(BUILD)/obj/%.o,$(LIB_SRCS)) -o $@ -lpthread $(HOST_LIBS)

$(EXPORT_BENCH_STATIC): tests/bench/export-bench.c $(EXPORT_BENCH_GUEST_OBJS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Itools -static $< $(EXPORT_BENCH_GUEST_OBJS) -o $@ -lpthread -lbpf -lelf -lz -ljansson

.PHONY: bench check-bench-smoke
bench: all $(BUILD)/faultline-static testkernel-tools $(TEST_PROGS_BENCH)
	FL_CACHE='$(FL_CACHE)' BUILD='$(abspath $(BUILD))' tests/bench/run-bench $(BENCH_ARGS)

check-bench-smoke: all $(BUILD)/faultline-static testkernel-tools $(TEST_PROGS_BENCH)
	FL_CACHE='$(FL_CACHE)' BUILD='$(abspath $(BUILD))' tests/bench/run-bench --smoke

CHECK_TARGETS += check-bench-smoke
