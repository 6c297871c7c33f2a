# Kernel matrix: faultline inside Debian 5.10, 6.1 and 6.12 guests (QEMU/TCG) in every attach
# mode, on a FUSE passthrough and on ext4 -o dax over pmem, and on this host.
#   make vmtest                        the whole matrix (part of make check)
#   make vmtest MATRIX_SERIES="6.12"   one kernel;  MATRIX_ARGS="--keep DIR" keeps every log
MATRIX_SERIES ?= 5.10 6.1 6.12 host
MATRIX_ARGS   ?=

.PHONY: vmtest
vmtest: $(BUILD)/faultline $(BUILD)/faultline-static $(TEST_PROGS) testkernel-tools
	FL_CACHE='$(FL_CACHE)' BUILD='$(abspath $(BUILD))' tests/matrix/run-matrix \
		--series '$(MATRIX_SERIES)' $(MATRIX_ARGS)

CHECK_TARGETS += vmtest
