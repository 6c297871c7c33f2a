# libFuzzer harness for the log reader and the gate's verdict (tests/fuzz).
#   make fuzz-build                     $(BUILD)/fuzz/fuzz_log
#   make check-fuzz                     replay tests/fuzz/regressions, then fuzz FUZZ_TIME s
#   make fuzz-long FUZZ_RUNS=10000000   the long campaign; prints the execution count
# The seeds (tests/fuzz/make-seeds: CLI fixtures, the real logs in tests/fuzz/seeds
# (recorded on the FUSE DAX test kernel and this host), logs found under $(BUILD),
# variants) are copied into $(BUILD)/fuzz/corpus, where the fuzzer adds what it
# finds; crashing inputs land in $(BUILD)/fuzz/artifacts. Nothing is written
# into the source tree: a crash found is added to tests/fuzz/regressions by hand.
# Needs clang and its libFuzzer runtime (libclang-rt-14-dev).

FUZZ_DIR    := $(BUILD)/fuzz
FUZZ_BIN    := $(FUZZ_DIR)/fuzz_log
FUZZ_SRCS   := tests/fuzz/fuzz_log.c tools/logread.c tools/names.c tools/title.c tools/text.c
FUZZ_CFLAGS  = -g -O1 -fsanitize=fuzzer $(SAN_FLAGS) $(WARNFLAGS) -std=gnu11 -D_GNU_SOURCE \
	       -Iinclude -Itools $(shell pkg-config --cflags jansson 2>/dev/null)
FUZZ_LIBS   := $(shell pkg-config --libs jansson nettle 2>/dev/null || echo -ljansson -lnettle)
FUZZ_TIME   ?= 60
FUZZ_RUNS   ?= 10000000
FUZZ_JOBS   ?= 1
FUZZ_OPTS   := -max_len=65536 -rss_limit_mb=2048 -timeout=10 -dict=tests/fuzz/log.dict \
	       -artifact_prefix=$(FUZZ_DIR)/artifacts/ -print_final_stats=1
FUZZ_REGRESSIONS := $(wildcard tests/fuzz/regressions/*)
# leaks are bugs too; a broken promise in the harness aborts
FUZZ_ENV    := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	       UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: fuzz-build fuzz-seeds fuzz-corpus check-fuzz fuzz-long

fuzz-build: $(FUZZ_BIN)

$(FUZZ_BIN): $(FUZZ_SRCS) tools/log.h tools/names.h tools/title.h tools/text.h $(ABI_HDRS) mk/fuzz.mk
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) $(FUZZ_SRCS) -o $@ $(FUZZ_LIBS)

FUZZ_REAL_LOGS := $(wildcard tests/fuzz/seeds/*.jsonl)

fuzz-seeds:
	tests/fuzz/make-seeds $(FUZZ_DIR)/seeds $(FUZZ_REAL_LOGS) \
		$$(find $(BUILD) -name '*.jsonl' -not -path '$(FUZZ_DIR)/*' 2>/dev/null)

# The seeds and the regressions join what earlier runs found.
fuzz-corpus: fuzz-seeds
	@mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/artifacts
	cp $(FUZZ_DIR)/seeds/* $(FUZZ_REGRESSIONS) $(FUZZ_DIR)/corpus/

# FUZZ_RUN LOG, OPTIONS...: fuzz the corpus; on failure show the report
FUZZ_RUN = $(FUZZ_ENV) $(FUZZ_BIN) $(FUZZ_OPTS) $(2) $(FUZZ_DIR)/corpus >$(1) 2>&1 || \
	{ tail -n 60 $(1); echo "fuzz_log failed: see $(1) and $(FUZZ_DIR)/artifacts"; exit 1; }

check-fuzz: $(FUZZ_BIN) fuzz-corpus
ifneq ($(FUZZ_REGRESSIONS),)
	$(FUZZ_ENV) $(FUZZ_BIN) $(FUZZ_OPTS) $(FUZZ_REGRESSIONS) >$(FUZZ_DIR)/regressions.log 2>&1 || \
		{ tail -n 60 $(FUZZ_DIR)/regressions.log; echo "fuzz_log: a regression input fails"; exit 1; }
	@echo "fuzz_log: $(words $(FUZZ_REGRESSIONS)) regression input(s) pass"
endif
	@$(call FUZZ_RUN,$(FUZZ_DIR)/check-fuzz.log,-max_total_time=$(FUZZ_TIME))
	@grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)|#[0-9]+ *DONE' $(FUZZ_DIR)/check-fuzz.log

# FUZZ_RUNS in all: with FUZZ_JOBS > 1 each job does its share, in $(FUZZ_DIR)
# (libFuzzer writes fuzz-N.log into the current directory, and copies them
# into its own output when the jobs end).
fuzz-long: $(FUZZ_BIN) fuzz-corpus
	@echo "fuzz_log: $(FUZZ_RUNS) runs in $(FUZZ_JOBS) job(s), log in $(FUZZ_DIR)/fuzz-long.log"
	@rm -f $(FUZZ_DIR)/fuzz-[0-9]*.log; start=$$(date +%s); \
	if [ "$(FUZZ_JOBS)" = 1 ]; then \
		$(call FUZZ_RUN,$(FUZZ_DIR)/fuzz-long.log,-runs=$(FUZZ_RUNS)); \
	else \
		( cd $(FUZZ_DIR) && $(FUZZ_ENV) $(abspath $(FUZZ_BIN)) \
			$(subst =tests/,=$(abspath tests)/,$(subst =$(FUZZ_DIR)/,=$(abspath $(FUZZ_DIR))/,$(FUZZ_OPTS))) \
			-runs=$$(( $(FUZZ_RUNS) / $(FUZZ_JOBS) )) -jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS) \
			$(abspath $(FUZZ_DIR))/corpus ) >$(FUZZ_DIR)/fuzz-long.log 2>&1; \
		rc=$$?; rm -f $(FUZZ_DIR)/fuzz-[0-9]*.log; \
		[ $$rc = 0 ] && ! grep -q '^==[0-9]*==ERROR\|deadly signal\|broken promise' $(FUZZ_DIR)/fuzz-long.log || \
			{ tail -n 60 $(FUZZ_DIR)/fuzz-long.log; echo "fuzz_log failed: see $(FUZZ_DIR)"; exit 1; }; \
	fi; \
	grep -E '#[0-9]+ *DONE|^stat::' $(FUZZ_DIR)/fuzz-long.log; \
	echo "fuzz_log: $$(grep -h '^stat::number_of_executed_units' $(FUZZ_DIR)/fuzz-long.log | \
		awk '{ n += $$2 } END { print n }') executions in $$(( $$(date +%s) - start )) s"

CHECK_FAST += check-fuzz
