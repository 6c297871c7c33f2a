// SPDX-License-Identifier: GPL-2.0
/*
 * The floor (make bench): programs that do nothing, for the attach points faultline uses. What
 * a run costs with these attached is what attaching costs at all (trampoline or kprobe entry,
 * tracepoint dispatch, the program call); faultline's own cost is measured against it.
 * tests/bench/floor loads the copies it needs from one object (one kernel BTF load), each BTF-
 * attached one aimed at the target faultline's plan chose. kprobe and tracepoint programs
 * attach any number of times; fentry, fexit and tp_btf need a program per target.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define FLOOR_BTF(i)							\
SEC("fentry") int floor_fentry_##i(void *ctx) { return 0; }		\
SEC("fexit") int floor_fexit_##i(void *ctx) { return 0; }		\
SEC("tp_btf") int floor_tp_btf_##i(void *ctx) { return 0; }

/* FLOOR_COPIES in tests/bench/floor.c */
FLOOR_BTF(0) FLOOR_BTF(1) FLOOR_BTF(2) FLOOR_BTF(3) FLOOR_BTF(4) FLOOR_BTF(5)
FLOOR_BTF(6) FLOOR_BTF(7) FLOOR_BTF(8) FLOOR_BTF(9) FLOOR_BTF(10) FLOOR_BTF(11)
FLOOR_BTF(12) FLOOR_BTF(13) FLOOR_BTF(14) FLOOR_BTF(15)

SEC("kprobe")
int floor_kprobe(void *ctx) { return 0; }

SEC("tracepoint")
int floor_tp(void *ctx) { return 0; }
