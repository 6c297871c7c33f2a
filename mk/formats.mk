# Report formats faultline is to write: KernelCI's KCIDB I/O JSON (schema v4.5)
# and the kernel's KTAP version 1. Each has a checker that scripts and tests can run on any file:
#   tests/kcidb/validate FILE        JSON Schema draft 7 (python3-jsonschema), see tests/kcidb/README.md
#   tests/ktap/check-ktap FILE       TAP::Parser (perl) plus the KTAP rules
# and the Chrome trace event JSON that report --perfetto writes for ui.perfetto.dev:
#   tests/perfetto/validate-trace FILE   the Trace Event Format's rules (python3)
#   make check-kcidb check-ktap      each checker accepts its valid example and rejects the rest
#   make check-perfetto              exports of the shipped logs (two real ones) validated, what
#                                    a race's export shows, refusals; the validator rejects each
#                                    broken trace of a list (ASan/UBSan build)
.PHONY: check-kcidb check-ktap check-perfetto
check-kcidb:
	tests/kcidb/test-validate

check-ktap:
	tests/ktap/test-check-ktap

check-perfetto: $(BUILD)/faultline-san
	tests/perfetto/run-tests $(BUILD)/faultline-san

CHECK_FAST += check-kcidb check-ktap check-perfetto
