# End to end on the FUSE DAX test kernel (issue 5 item 4): faultline records real FUSE DAX
# faults against truncation with the seed's serialization on (gate 0) and off (gate 1, with
# unserialized-fault, unserialized-truncate and races), in fentry, kprobe and tracepoint mode.
#   make check-e2e                      (part of make check; builds the test kernel if needed)
#   make check-e2e E2E_ARGS="--keep DIR --duration 20"
E2E_ARGS ?=

.PHONY: check-e2e
check-e2e: $(BUILD)/faultline $(BUILD)/faultline-static testkernel-tools
	FL_CACHE='$(FL_CACHE)' BUILD='$(abspath $(BUILD))' tests/e2e/run-e2e $(E2E_ARGS)

e2e: check-e2e
CHECK_TARGETS += check-e2e
