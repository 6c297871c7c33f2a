# Reliability: stale state and false positives under kills, eviction and load in a
# 6.12 guest (check-reliability, in make check), and the 30-minute soak (make soak, not in check;
# make soak SOAK_ARGS=--events exports every event too).
SOAK_MINUTES ?= 30
SOAK_ARGS ?=

.PHONY: check-reliability soak
check-reliability: $(BUILD)/faultline $(BUILD)/faultline-static $(TEST_PROGS) testkernel-tools
	FL_CACHE='$(FL_CACHE)' BUILD='$(abspath $(BUILD))' tests/reliability/run-reliability

soak: $(BUILD)/faultline $(BUILD)/faultline-static testkernel-tools $(BUILD)/bench/icount-bench
	FL_CACHE='$(FL_CACHE)' BUILD='$(abspath $(BUILD))' tests/reliability/run-soak --minutes $(SOAK_MINUTES) $(SOAK_ARGS)

CHECK_VM += check-reliability
