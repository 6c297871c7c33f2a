# Report formats faultline is to write: KernelCI's KCIDB I/O JSON (schema v4.5)
# and the kernel's KTAP version 1. Each has a checker that scripts and tests can run on any file:
#   tests/kcidb/validate FILE        JSON Schema draft 7 (python3-jsonschema), see tests/kcidb/README.md
#   tests/ktap/check-ktap FILE       TAP::Parser (perl) plus the KTAP rules
#   make check-kcidb check-ktap      each checker accepts its valid example and rejects the rest
.PHONY: check-kcidb check-ktap
check-kcidb:
	tests/kcidb/test-validate

check-ktap:
	tests/ktap/test-check-ktap

CHECK_TARGETS += check-kcidb check-ktap
