# Property test of the log reader (tests/prop/log-mutants): mutants of clean, violating and
# incomplete logs (bytes changed, lines moved, runs spliced, trailers edited and resealed),
# time-boxed, against the ASan/UBSan build. No mutant of a violating or incomplete log may
# gate 0, and none may crash or hang gate, gate -j or report. The harness is tested first on
# fake binaries (tests/prop/test-log-mutants); the seed is on the first line of the output.
#   make check-prop FL_PROP_SECONDS=60
#   tests/prop/log-mutants --seed S --index N $(BUILD)/faultline-san FIXTURE...   replay one
FL_PROP_SECONDS ?= 60

.PHONY: check-prop
check-prop: $(BUILD)/faultline-san
	PYTHONPYCACHEPREFIX=$(BUILD)/pycache python3 -m py_compile tests/prop/log-mutants
	tests/prop/test-log-mutants
	tests/prop/log-mutants --seconds $(FL_PROP_SECONDS) $(BUILD)/faultline-san \
		tests/cli/fixtures/clean.jsonl tests/cli/fixtures/violations.jsonl \
		tests/cli/fixtures/lost.jsonl tests/prop/fixtures/*.jsonl

CHECK_FAST += check-prop
