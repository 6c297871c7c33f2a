# Report formats faultline is to write (issue 14): KernelCI's KCIDB I/O JSON (schema v4.5).
# It has a checker that scripts and tests can run on any file:
#   tests/kcidb/validate FILE        JSON Schema draft 7 (python3-jsonschema), see tests/kcidb/README.md
#   make check-kcidb                 the checker accepts its valid example and rejects the rest
.PHONY: check-kcidb
check-kcidb:
	tests/kcidb/test-validate

CHECK_TARGETS += check-kcidb
