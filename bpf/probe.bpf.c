// SPDX-License-Identifier: GPL-2.0
/*
 * Attach-mode probes: `faultline probe` and `record` load these against each
 * target function to learn, rather than guess, whether this kernel lets an
 * fentry program load there and a kprobe attach there.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("fentry/truncate_pagecache")
int probe_fentry(void *ctx)
{
	return 0;
}

SEC("kprobe/truncate_pagecache")
int probe_kprobe(void *ctx)
{
	return 0;
}
