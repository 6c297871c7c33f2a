# Kernel matrix: faultline inside Debian guests (QEMU/TCG; the rows of tests/matrix/kernels) in
# every attach mode, on a FUSE passthrough and on ext4 and xfs -o dax over pmem (the race
# workload; stress-ng and fio, from Debian, in the function-hook modes), and on this host.
#   make vmtest                        the rows flagged `default` (5.10 6.1 6.12 6.12-rt 7.3 7.2)
#                                      and the host (part of make check), two guests at a time
#   make vmtest MATRIX_SERIES="6.12"   one kernel;  MATRIX_ARGS="--keep DIR" keeps every log
#   make vmtest-newest                 the rows flagged `newest` (6.12-rt 7.3 7.2 7.3-cloud), each at the
#                                      newest series its suites have now: a one-line note says
#                                      when that is newer than the row (then ROW:newest runs)
MATRIX_SERIES ?= $(shell tests/vm/kernel-rows list --default) host
# TCG guests leave host cores idle: two side by side took 250 s for three kernels, one by one
# about 1.7 times that. Starting a recorder takes 12-17 s under TCG, so records are shared: per
# mode one for the race workload on ext4 and xfs, one per file system for stress-ng and fio
# (judged per file system by device and per workload by task): 10 records per guest (13 on 5.10,
# whose xfs race gets its own), down from 17; 6.12's payload 358 s before, 285 s after, on a
# loaded 2-core host (MATRIX_ARGS="--foreign-modes fentry" drops 2 more records)
MATRIX_JOBS   ?= 2
MATRIX_ARGS   ?=
MATRIX_DEPS   := $(BUILD)/faultline $(BUILD)/faultline-static $(TEST_PROGS) testkernel-tools

.PHONY: vmtest vmtest-newest
vmtest: $(MATRIX_DEPS)
	FL_CACHE='$(FL_CACHE)' BUILD='$(abspath $(BUILD))' tests/matrix/run-matrix \
		--series '$(MATRIX_SERIES)' --jobs $(MATRIX_JOBS) $(MATRIX_ARGS)

vmtest-newest: $(MATRIX_DEPS)
	series=$$(FL_CACHE='$(FL_CACHE)' tests/vm/kernel-rows newest) && \
	FL_CACHE='$(FL_CACHE)' BUILD='$(abspath $(BUILD))' tests/matrix/run-matrix \
		--series "$$series" --jobs $(MATRIX_JOBS) $(MATRIX_ARGS)

CHECK_VM += vmtest
