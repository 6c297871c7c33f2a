// SPDX-License-Identifier: GPL-2.0
/*
 * The floor (make bench): programs that do nothing, for the attach points faultline uses. What
 * a run costs with these attached is what attaching costs at all (trampoline or kprobe entry,
 * tracepoint dispatch, the program call); faultline's own cost is measured against it.
 * tests/bench/floor loads one copy per attach point, aimed at the target faultline's plan chose.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("fentry")
int floor_fentry(void *ctx) { return 0; }

SEC("fexit")
int floor_fexit(void *ctx) { return 0; }

SEC("kprobe")
int floor_kprobe(void *ctx) { return 0; }

SEC("tp_btf")
int floor_tp_btf(void *ctx) { return 0; }

SEC("tracepoint")
int floor_tp(void *ctx) { return 0; }
