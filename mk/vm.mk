# Guest harness: boot Debian kernels under QEMU/TCG with a payload and bring back its results.
# See tests/vm/README.md.
#   make vm-selftest                 boot each `default` row of tests/matrix/kernels (5.10, 6.1,
#                                    6.12) once and check the harness
#   make vm-selftest VM_SERIES="6.12-rt 7.3 7.2"   other rows (or ROW:newest);  VM_JOBS=2 boots
#                                    two guests at once
#   make vm-kernels                  fetch and unpack the guest kernels into $(FL_CACHE)/guest
VM_SERIES ?= $(shell tests/vm/kernel-rows list --default)
VM_JOBS   ?= 1
.PHONY: vm-selftest vm-kernels

vm-selftest:
	FL_CACHE='$(FL_CACHE)' tests/vm/selftest --series '$(VM_SERIES)' --jobs '$(VM_JOBS)'

vm-kernels:
	@for s in $(VM_SERIES); do FL_CACHE='$(FL_CACHE)' tests/vm/guest-kernel $$s || exit 1; done

CHECK_VM += vm-selftest
