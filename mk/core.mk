# The faultline binary: BPF objects, skeletons, host tools, man page, install.
# CPPFLAGS and LDFLAGS are honoured (dpkg-buildflags' hardening flags in `make deb`).

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

# Header dependencies are the compilers' own (-MMD): an object is rebuilt when a
# header it includes changes, and only then. The skeletons are generated headers:
# objects wait for them (order-only) and their .d files name the ones they use.
DEPFLAGS = -MMD -MP -MF $@.d

# A BPF object and its skeleton: the recipes, shared with the tests' and the benchmark's objects
# (mk/tests.mk, mk/bench.mk), whose objects and skeletons go to their own build directories.
define BPF_OBJ_RECIPE
	@mkdir -p $(@D)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(DEPFLAGS) -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@
endef
define BPF_SKEL_RECIPE
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$(notdir $*))_bpf > $@
endef

$(BUILD)/%.bpf.o: bpf/%.bpf.c $(BUILD)/vmlinux.h | $(BUILD)
	$(BPF_OBJ_RECIPE)

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(BPF_SKEL_RECIPE)

$(BUILD)/obj/%.o: tools/%.c | $(BPF_SKELS)
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(HOST_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/faultline: $(TOOL_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(HOST_LIBS)

# Sanitized copies of the tool objects, for the unit tests and the ASan run of the CLI.
$(BUILD)/san/%.o: tools/%.c | $(BPF_SKELS)
	@mkdir -p $(@D)
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(HOST_CFLAGS) $(SAN_FLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/faultline-san: $(patsubst tools/%.c,$(BUILD)/san/%.o,$(TOOL_SRCS))
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) -o $@ $^ $(HOST_LIBS)

# Static build for the test guests' initramfs: no libxml2 (and so no ICU), no JUnit.
GUEST_SRCS := $(filter-out tools/junit.c,$(TOOL_SRCS)) tools/junit-none.c
$(BUILD)/faultline-static: $(patsubst tools/%.c,$(BUILD)/obj/%.o,$(GUEST_SRCS))
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -static -o $@ $^ -lbpf -lelf -lz -ljansson -lnettle

-include $(wildcard $(BUILD)/*.d $(BUILD)/obj/*.d $(BUILD)/san/*.d $(BUILD)/tests/*.d \
		    $(BUILD)/bench/*.d)

# What `make install` puts where; the Debian package (debian/rules) is exactly this with
# PREFIX=/usr. Units go to /lib/systemd/system for PREFIX=/usr (Debian 12's place for
# them), else to PREFIX/lib/systemd/system, which systemd reads for /usr/local too.
SBINDIR    ?= $(PREFIX)/sbin
MAN8DIR    ?= $(PREFIX)/share/man/man8
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SYSTEMD_UNITDIR ?= $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,$(PREFIX)/lib/systemd/system)

# The unit names the binary where this install puts it.
.PHONY: install
install: $(BUILD)/faultline
	install -D -m 0755 $(BUILD)/faultline $(DESTDIR)$(SBINDIR)/faultline
	install -D -m 0644 doc/faultline.8 $(DESTDIR)$(MAN8DIR)/faultline.8
	install -D -m 0644 contrib/bash-completion/faultline $(DESTDIR)$(BASHCOMPDIR)/faultline
	install -d -m 0755 $(DESTDIR)$(SYSTEMD_UNITDIR)
	sed 's|@SBINDIR@|$(SBINDIR)|g' contrib/systemd/faultline.service.in \
		> $(DESTDIR)$(SYSTEMD_UNITDIR)/faultline.service
	chmod 0644 $(DESTDIR)$(SYSTEMD_UNITDIR)/faultline.service

.SECONDARY: $(BPF_OBJS) $(BPF_SKELS)
