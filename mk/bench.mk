# Benchmarks: what faultline costs (issue 6). Not tests: they measure and print, never assert.
#   make bench                  the full table (host, ext4 DAX in a 6.12 guest, FUSE DAX test kernel)
#   make bench BENCH_ARGS="--rounds 9 --seconds 5"
# A tiny-N smoke run (check-bench-smoke) is in make check so the benchmark never rots.
BENCH_ARGS ?=
EXPORT_BENCH := $(BUILD)/bench/export-bench
TEST_PROGS_BENCH := $(EXPORT_BENCH)

$(EXPORT_BENCH): tests/bench/export-bench.c $(patsubst tools/%.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Itools $< $(patsubst tools/%.c,$(BUILD)/obj/%.o,$(LIB_SRCS)) -o $@ -lpthread $(HOST_LIBS)

.PHONY: bench check-bench-smoke
bench: all $(BUILD)/faultline-static testkernel-tools $(TEST_PROGS_BENCH)
	FL_CACHE='$(FL_CACHE)' BUILD='$(abspath $(BUILD))' tests/bench/run-bench $(BENCH_ARGS)

check-bench-smoke: all $(BUILD)/faultline-static testkernel-tools $(TEST_PROGS_BENCH)
	FL_CACHE='$(FL_CACHE)' BUILD='$(abspath $(BUILD))' tests/bench/run-bench --smoke

CHECK_TARGETS += check-bench-smoke
