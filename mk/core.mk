# The faultline binary: BPF objects, skeletons, host tools, man page, install.

BPF_SRCS   := $(wildcard bpf/*.bpf.c)
BPF_OBJS   := $(patsubst bpf/%.bpf.c,$(BUILD)/%.bpf.o,$(BPF_SRCS))
BPF_SKELS  := $(patsubst bpf/%.bpf.c,$(BUILD)/%.skel.h,$(BPF_SRCS))
ABI_HDRS   := $(wildcard include/faultline/*.h)
# junit-none.c replaces junit.c in the static guest build only
TOOL_SRCS  := $(filter-out tools/junit-none.c,$(wildcard tools/*.c))
TOOL_HDRS  := $(wildcard tools/*.h)
TOOL_OBJS  := $(patsubst tools/%.c,$(BUILD)/obj/%.o,$(TOOL_SRCS))
# Everything but main(): linked into the unit tests, built with sanitizers there.
LIB_SRCS   := $(filter-out tools/faultline.c,$(TOOL_SRCS))
HOST_LIBS  += -lxml2
HOST_CFLAGS += $(shell pkg-config --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2)
LLVM_STRIP ?= llvm-strip

ALL_TARGETS += $(BUILD)/faultline

$(BUILD)/%.bpf.o: bpf/%.bpf.c $(ABI_HDRS) $(BUILD)/vmlinux.h | $(BUILD)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@
	$(LLVM_STRIP) -g $@

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/%.o: tools/%.c $(TOOL_HDRS) $(ABI_HDRS) $(BPF_SKELS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/faultline: $(TOOL_OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(HOST_LIBS)

# Sanitized copies of the tool objects, for the unit tests and the ASan run of the CLI.
$(BUILD)/san/%.o: tools/%.c $(TOOL_HDRS) $(ABI_HDRS) $(BPF_SKELS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(SAN_FLAGS) -c $< -o $@

$(BUILD)/faultline-san: $(patsubst tools/%.c,$(BUILD)/san/%.o,$(TOOL_SRCS))
	$(CC) $(CFLAGS) $(SAN_FLAGS) -o $@ $^ $(HOST_LIBS)

# Static build for the test guests' initramfs: no libxml2 (and so no ICU), no JUnit.
GUEST_SRCS := $(filter-out tools/junit.c,$(TOOL_SRCS)) tools/junit-none.c
$(BUILD)/faultline-static: $(patsubst tools/%.c,$(BUILD)/obj/%.o,$(GUEST_SRCS))
	$(CC) $(CFLAGS) -static -o $@ $^ -lbpf -lelf -lz -ljansson

.PHONY: install
install: $(BUILD)/faultline
	install -D -m 0755 $(BUILD)/faultline $(DESTDIR)$(PREFIX)/sbin/faultline
	install -D -m 0644 doc/faultline.8 $(DESTDIR)$(PREFIX)/share/man/man8/faultline.8
.SECONDARY: $(BPF_OBJS) $(BPF_SKELS)
