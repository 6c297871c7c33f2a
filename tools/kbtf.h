/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's BTF as faultline sees it: vmlinux, the fuse module, or --btf. */
#ifndef FAULTLINE_KBTF_H
#define FAULTLINE_KBTF_H

#include <limits.h>
#include <stdbool.h>
#include <bpf/btf.h>

struct fl_kbtf {
	struct btf *vmlinux;		/* running kernel's BTF, NULL if it has none */
	struct btf *fuse;		/* fuse module's split BTF, NULL if built in or absent */
	struct btf *custom;		/* --btf, made standalone (vmlinux types included) */
	char custom_file[PATH_MAX];	/* where the standalone copy is, for libbpf */
	char custom_arg[PATH_MAX];	/* what the user passed */
	char kernel_file[PATH_MAX];	/* $FAULTLINE_KERNEL_BTF, if it replaced the kernel's */
};

/*
 * Load the kernel's BTF and, with @custom_path, a BTF file that describes
 * types the kernel's BTF lacks (fuse.ko on 5.10). The file may be standalone
 * BTF or split BTF on top of the running kernel's vmlinux BTF; either way a
 * standalone copy is written for libbpf's btf_custom_path.
 * Returns 0, or -errno with a one-line reason in @err.
 *
 * $FAULTLINE_KERNEL_BTF=FILE stands in for /sys/kernel/btf/vmlinux, and
 * "none" makes the kernel look BTF-less: for tests and for backporters
 * checking what faultline would do on another kernel.
 */
int fl_kbtf_open(struct fl_kbtf *k, const char *custom_path, char *err, size_t errlen);
void fl_kbtf_close(struct fl_kbtf *k);

/* BTF file libbpf should relocate against instead of the kernel's, or NULL. */
const char *fl_kbtf_core_path(const struct fl_kbtf *k);

/* Are there kernel types for CO-RE at all? */
bool fl_kbtf_has_kernel_types(const struct fl_kbtf *k);

/* 1 if struct @sname has member @member, 0 if not, -1 if no BTF has @sname. */
int fl_kbtf_member_exists(const struct fl_kbtf *k, const char *sname, const char *member);
/* Does a BTF function named @func exist (vmlinux, fuse module or --btf)? */
bool fl_kbtf_func_exists(const struct fl_kbtf *k, const char *func);
/* Index of parameter @param of function @func, or -1 if unknown. */
int fl_kbtf_func_param(const struct fl_kbtf *k, const char *func, const char *param);
/* Does the kernel have a BTF-described tracepoint @name (btf_trace_<name>)? */
bool fl_kbtf_tracepoint_exists(const struct fl_kbtf *k, const char *name);

#endif
