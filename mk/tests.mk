# Tests that run on this machine: unit tests (cmocka, ASan/UBSan), CLI tests
# on crafted logs, and live tests of the tracepoint mode on this kernel.

TEST_BIN   := $(BUILD)/tests
UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
UNIT_BINS  := $(patsubst tests/unit/%.c,$(TEST_BIN)/%,$(UNIT_SRCS))
SAN_LIB_OBJS := $(patsubst tools/%.c,$(BUILD)/san/%.o,$(LIB_SRCS))
FUSE_CFLAGS := $(shell pkg-config --cflags fuse3 2>/dev/null)
FUSE_LIBS   := $(shell pkg-config --libs fuse3 2>/dev/null || echo -lfuse3)

# Test programs (also used in guests and by `make run`): not part of `make all`, which builds
# the product only; what runs them names them.
TEST_PROGS := $(TEST_BIN)/fl-passthrough $(TEST_BIN)/fl-ops
.PHONY: test-progs
test-progs: $(TEST_PROGS)

# The test object: the product's BPF source with the programs that only the tests and the
# benchmark run (tests/bpf), its skeleton, and the loader that puts its programs on a
# session's maps (tests/bpf/test-object.c, the benchmark's).
TEST_BPF_SKEL := $(TEST_BIN)/faultline_test.skel.h
TEST_BPF_CFLAGS = -I$(TEST_BIN) -Itests/bpf

$(TEST_BIN)/%.bpf.o: tests/bpf/%.bpf.c $(BUILD)/vmlinux.h
	$(BPF_OBJ_RECIPE)

$(TEST_BIN)/%.skel.h: $(TEST_BIN)/%.bpf.o
	$(BPF_SKEL_RECIPE)

$(TEST_BIN)/fl-passthrough: tests/progs/fl-passthrough.c tests/progs/progs.h
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARNFLAGS) -D_GNU_SOURCE $(FUSE_CFLAGS) $< -o $@ $(FUSE_LIBS)

$(TEST_BIN)/fl-ops: tests/progs/fl-ops.c
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARNFLAGS) -D_GNU_SOURCE $< -o $@

# A BTF copy with one member renamed: the live tests' kernel whose layout moved
$(TEST_BIN)/btf-edit: tests/live/btf-edit.c
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARNFLAGS) $< -o $@ $(HOST_LIBS)

# BPF self-tests run in this kernel (root): part of check-live
$(TEST_BIN)/test_bpf_maps: tests/live/test_bpf_maps.c | $(TEST_BPF_SKEL)
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(HOST_CFLAGS) $(TEST_BPF_CFLAGS) $(SAN_FLAGS) $(DEPFLAGS) $< -o $@ -lcmocka \
		$(HOST_LIBS)

$(TEST_BIN)/test_%: tests/unit/test_%.c $(SAN_LIB_OBJS) | $(BPF_SKELS)
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(HOST_CFLAGS) -Itools $(SAN_FLAGS) $(DEPFLAGS) $< $(SAN_LIB_OBJS) -o $@ -lcmocka $(HOST_LIBS)

.PHONY: check-unit check-cli check-live
check-unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

check-cli: $(BUILD)/faultline-san $(BUILD)/faultline
	tests/cli/run-cli-tests $(BUILD)/faultline-san

check-live: $(BUILD)/faultline $(BUILD)/faultline-san $(TEST_PROGS) $(TEST_BIN)/test_bpf_maps \
	    $(TEST_BIN)/btf-edit
	$(TEST_BIN)/test_bpf_maps
	tests/live/run-live-tests $(BUILD)

CHECK_FAST += check-unit check-cli
CHECK_ROOT += check-live

.SECONDARY: $(TEST_BIN)/faultline_test.bpf.o $(TEST_BPF_SKEL)
