# End to end on the FUSE DAX test kernel: faultline records real FUSE DAX
# faults against truncation with the seed's serialization on (gate 0) and off (gate 1, with
# unserialized-fault, unserialized-truncate and races), in fentry, kprobe and tracepoint mode;
# in the same boot the FUSE server's hang reproducer, Debian's stress-ng and fio on the mount,
# DAX range reclaim in a 4-range window and the mutation matrix (tests/e2e/run-e2e's header has
# every row).
#   make check-e2e                      (part of make check; builds the test kernel if needed)
#   make check-e2e E2E_ARGS="--keep DIR --duration 20"
E2E_ARGS ?=

.PHONY: check-e2e
check-e2e: $(BUILD)/faultline $(BUILD)/faultline-static testkernel-tools
	FL_CACHE='$(FL_CACHE)' BUILD='$(abspath $(BUILD))' tests/e2e/run-e2e $(E2E_ARGS)

# The mutation matrix alone (tests/e2e/mutants): each serialization site of the 6.12 test kernel
# dropped by itself, in every attach mode. make check runs it inside check-e2e's guest (one
# boot for both); this target boots a guest for it alone.
#   make check-mutants MUTANTS_ARGS="--markdown /tmp/mutants.md --keep DIR"
.PHONY: check-mutants
check-mutants: $(BUILD)/faultline $(BUILD)/faultline-static testkernel-tools
	FL_CACHE='$(FL_CACHE)' BUILD='$(abspath $(BUILD))' tests/e2e/run-e2e --mutants-only \
		$(MUTANTS_ARGS)

# The seed patch on its own kernel: the 5.10 test kernels pre-seed, seed and fixed.
#   make check-e2e-5.10 E2E_510_ARGS="--keep DIR --variants seed"
E2E_510_ARGS ?=
.PHONY: check-e2e-5.10
check-e2e-5.10: $(BUILD)/faultline $(BUILD)/faultline-static testkernel-tools
	FL_CACHE='$(FL_CACHE)' BUILD='$(abspath $(BUILD))' tests/e2e/run-e2e-5.10 $(E2E_510_ARGS)

# make e2e: everything about the test kernels, defined here only: their patches, their smoke
# tests and the end-to-end tests
.PHONY: e2e
e2e: testkernel-patches testkernel-smoke testkernel-patches-5.10 testkernel-smoke-5.10 \
	check-e2e check-e2e-5.10

CHECK_VM += check-e2e check-e2e-5.10
