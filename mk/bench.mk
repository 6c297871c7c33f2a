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

# Ablation (doc/bench.md, "Ablation"): the product's BPF object with one part of the DAX fault
# path taken out (the FL_ABLATE_* guards in bpf/faultline.bpf.c; without them the object is the
# product's), each in a static faultline of its own for the guests,
# $(BUILD)/bench/ablate/PART/faultline. Not in `make all`: `make bench-ablation` builds and
# measures them (run-bench --ablation).
ABLATE_PARTS := task-state clock lock counters overlap all
ABLATE_DEFS_task-state := -DFL_ABLATE_TASK_STATE
ABLATE_DEFS_clock := -DFL_ABLATE_CLOCK
ABLATE_DEFS_lock := -DFL_ABLATE_LOCK
ABLATE_DEFS_counters := -DFL_ABLATE_COUNTERS
ABLATE_DEFS_overlap := -DFL_ABLATE_OVERLAP
ABLATE_DEFS_all := $(foreach p,task-state clock lock counters overlap,$(ABLATE_DEFS_$(p)))
ABLATE_BINS := $(ABLATE_PARTS:%=$(BUILD)/bench/ablate/%/faultline)
# the static guest build's objects, but session.c (which embeds the skeleton) built per part
ABLATE_OBJS := $(patsubst tools/%.c,$(BUILD)/obj/%.o,$(filter-out tools/session.c,$(GUEST_SRCS)))

$(BUILD)/bench/ablate/%/faultline.bpf.o: bpf/faultline.bpf.c $(BUILD)/vmlinux.h
	@mkdir -p $(@D)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(ABLATE_DEFS_$*) $(DEPFLAGS) -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@

$(BUILD)/bench/ablate/%/faultline.skel.h: $(BUILD)/bench/ablate/%/faultline.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name faultline_bpf > $@

# -I$(@D) first: session.c's "faultline.skel.h" is this part's
$(BUILD)/bench/ablate/%/session.o: tools/session.c $(BUILD)/bench/ablate/%/faultline.skel.h | $(BPF_SKELS)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) -I$(@D) $(HOST_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/bench/ablate/%/faultline: $(BUILD)/bench/ablate/%/session.o $(ABLATE_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -static -o $@ $^ -lbpf -lelf -lz -ljansson -lnettle

.SECONDARY: $(foreach p,$(ABLATE_PARTS),$(addprefix $(BUILD)/bench/ablate/$(p)/,faultline.bpf.o \
	faultline.skel.h session.o))
-include $(wildcard $(BUILD)/bench/ablate/*/*.d)

.PHONY: bench bench-ablation check-bench-smoke
bench: all $(BUILD)/faultline-static testkernel-tools $(TEST_PROGS) $(TEST_PROGS_BENCH)
	FL_CACHE='$(FL_CACHE)' BUILD='$(abspath $(BUILD))' tests/bench/run-bench $(BENCH_ARGS)

bench-ablation: all $(BUILD)/faultline-static testkernel-tools $(TEST_PROGS) $(TEST_PROGS_BENCH) \
		$(ABLATE_BINS)
	FL_CACHE='$(FL_CACHE)' BUILD='$(abspath $(BUILD))' tests/bench/run-bench --ablation $(BENCH_ARGS)

# the smoke also builds the ablation with all five parts out, which compiles every FL_ABLATE_*
# guard, so that they never rot (make bench-ablation runs them)
check-bench-smoke: all $(BUILD)/faultline-static testkernel-tools $(TEST_PROGS) $(TEST_PROGS_BENCH) \
		$(BUILD)/bench/ablate/all/faultline
	FL_CACHE='$(FL_CACHE)' BUILD='$(abspath $(BUILD))' tests/bench/run-bench --smoke

CHECK_VM += check-bench-smoke
