# faultline: one top-level Makefile.
#   make            the product: BPF objects, skeletons and the faultline binary (in $(BUILD))
#   make check      every test (unit, live, kernel patch, guests)
#   make run        the main job on a built-in default: the catch, in a test kernel (README)
#   make run-host   the same workload on this machine's own kernel
#   make install    PREFIX=/usr/local DESTDIR=   (binary, man page, bash completion, systemd unit)
#   make deb        the Debian package, in $(BUILD)/deb (mk/deb.mk)
# Feature fragments live in mk/*.mk and add their tests to a tier: CHECK_FAST (no root, no
# network, no guest: seconds to a few minutes), CHECK_ROOT (this machine's kernel, the package)
# or CHECK_VM (QEMU guests, test kernels, kernel sources).

VERSION   := 0.1.0
BUILD     ?= build
FL_CACHE  ?= $(HOME)/.cache/faultline
PREFIX    ?= /usr/local
DESTDIR   ?=

CC        ?= gcc
CLANG     ?= clang
BPFTOOL   ?= bpftool
ARCH      := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')

# Host C: warnings are errors in this tree.
WARNFLAGS := -Wall -Wextra -Werror -Wno-unused-parameter
CFLAGS    ?= -O2 -g
HOST_CFLAGS = $(CFLAGS) $(WARNFLAGS) -std=gnu11 -D_GNU_SOURCE -Iinclude -I$(BUILD) \
	      -DFAULTLINE_VERSION='"$(VERSION)"'
HOST_LIBS := $(shell pkg-config --libs libbpf jansson nettle 2>/dev/null || echo -lbpf -lelf -lz -ljansson -lnettle)

SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# BPF: CO-RE only, against the checked-in vmlinux.h of the build architecture
# (bpf/vmlinux/, as libbpf-tools pin theirs): the build never depends on the build
# machine's kernel. VMLINUX_BTF=/sys/kernel/btf/vmlinux dumps this machine's instead.
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror -Iinclude -I$(BUILD)
VMLINUX_BTF ?=
VMLINUX_PINNED := bpf/vmlinux/vmlinux-$(ARCH).h.xz

# Quiet by default, as the kernel's build: `make V=1` shows every command.
ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-8s %s\n' $(1) $(2)
endif

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.PHONY: all check install clean run

CHECK_FAST :=
CHECK_ROOT :=
CHECK_VM :=

$(BUILD):
	@mkdir -p $@

# Remade when the choice changes (the file records it).
VMLINUX_SRC := $(if $(VMLINUX_BTF),$(VMLINUX_BTF),$(VMLINUX_PINNED))
$(BUILD)/vmlinux.h: $(if $(VMLINUX_BTF),,$(VMLINUX_PINNED)) $(BUILD)/.vmlinux-src | $(BUILD)
	$(call msg,GEN,$@)
ifneq ($(VMLINUX_BTF),)
	$(Q)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@
else
	$(Q)xz -dc $(VMLINUX_PINNED) > $@
endif

$(BUILD)/.vmlinux-src: FORCE | $(BUILD)
	@[ "$$(cat $@ 2>/dev/null)" = '$(VMLINUX_SRC)' ] || echo '$(VMLINUX_SRC)' > $@

.PHONY: FORCE
FORCE:

# core.mk and tests.mk define what the other fragments name in their
# prerequisites (expanded as they are read), so they come first.
MK_FIRST := mk/core.mk mk/tests.mk
include $(MK_FIRST)
include $(filter-out $(MK_FIRST),$(sort $(wildcard mk/*.mk)))

all: $(ALL_TARGETS)

# The tiers, and their union in that order. make check (the README's test command) and make
# run install what a fresh Debian machine lacks first; so do check-root and check-vm, each the
# packages its tier needs. check-fast installs nothing and needs neither root nor the network:
# the build's own packages (debian/control's Build-Depends) are enough, and debian/rules runs it.
CHECK_TARGETS = $(CHECK_FAST) $(CHECK_ROOT) $(CHECK_VM)
.PHONY: deps check-all check-fast check-root check-vm check-root-all check-vm-all
deps:
	scripts/install-deps all

check: deps
	$(MAKE) check-all

check-all: $(CHECK_TARGETS)
	@echo "make check: all tests passed"

check-fast: $(CHECK_FAST)
	@echo "make check-fast: all tests passed"

check-root:
	scripts/install-deps deb
	$(MAKE) check-root-all

check-root-all: $(CHECK_ROOT)
	@echo "make check-root: all tests passed"

check-vm:
	scripts/install-deps vm
	scripts/install-deps kernel
	$(MAKE) check-vm-all

check-vm-all: $(CHECK_VM)
	@echo "make check-vm: all tests passed"

# The main job on a built-in default: faultline catching the race the seed patch fixes, in
# our FUSE DAX test kernel under QEMU (scripts/run-demo). make run-host: this machine only.
RUN_ARGS ?=
run: deps
	$(MAKE) all test-progs $(BUILD)/faultline-static testkernel-tools
	FL_CACHE='$(FL_CACHE)' scripts/run-demo $(BUILD) $(RUN_ARGS)

.PHONY: run-host
run-host: deps
	$(MAKE) all test-progs
	scripts/run-host $(BUILD)

clean:
	rm -rf $(BUILD)
