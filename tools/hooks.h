/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hook table (what faultline attaches where) and the attach plan: for
 * this kernel, which mode each hook gets, or why it gets none, and what that
 * leaves checked of I1-I4. `probe` prints the plan, `record` and `trace`
 * carry it out; the choice is made here, in one place.
 */
#ifndef FAULTLINE_HOOKS_H
#define FAULTLINE_HOOKS_H

#include <stdbool.h>
#include "faultline/abi.h"
#include "kbtf.h"
#include "ksyms.h"
#include "names.h"

enum fl_hook_class {
	FL_HC_FAULT_TP,		/* fs_dax tracepoints: tp_btf */
	FL_HC_FAULT_ENTRY,	/* FUSE fault entry points: function */
	FL_HC_OP,		/* FUSE shrinking operations: function */
	FL_HC_TEARDOWN,		/* teardown points: function */
	FL_HC_FUSE_TP,		/* fuse:fuse_request_* tracepoints: tp_btf */
	FL_HC_SYSCALL,		/* syscalls:sys_{enter,exit}_* tracepoints */
};

struct fl_hook_desc {
	enum fl_hook hook;
	enum fl_hook_class cls;
	const char *funcs[3];	/* function hooks: candidate kernel functions, best first */
	const char *tps[2];	/* tracepoint hooks: enter/begin and exit/end names */
	const char *prog;	/* program name stem in faultline.bpf.c */
	const char *serves;	/* invariants it feeds, for probe's output */
};

struct fl_hook_plan {
	enum fl_mode mode;
	char target[64];	/* the function or tracepoint attached */
	char reason[200];	/* why no mode, or what the chosen mode cost */
};

struct fl_plan {
	struct fl_hook_plan hooks[FL_HOOK__COUNT];
	enum fl_mode forced;		/* FL_MODE_NONE: automatic */
	bool fault_names;		/* attach the FUSE fault entry points (--fault-names) */
	enum fl_layout layout;
	char layout_detail[200];
	bool btf;			/* kernel types available for CO-RE */
	char fentry_status[160];	/* "" if fentry loads, else why not */
	char kprobe_status[160];
	int setattr_dentry_arg;		/* fuse_do_setattr(dentry, attr, ...) starts at 0 or 1 */
	enum fl_coverage cov[FL_INV__COUNT];
	char cov_reason[FL_INV__COUNT][200];
};

extern const struct fl_hook_desc fl_hooks[FL_HOOK__COUNT];

/*
 * Decide every hook's mode for this kernel. @forced FL_MODE_NONE picks the
 * best per hook (fentry, else kprobe; tracepoints always); FL_MODE_FENTRY,
 * FL_MODE_KPROBE or FL_MODE_TRACEPOINT restrict function hooks to that mode
 * (tracepoint: none). The FUSE fault entry points, which only name faults,
 * are planned only with @fault_names. Never fails: what cannot attach says why.
 */
void fl_plan_build(struct fl_plan *plan, const struct fl_kbtf *kbtf, const struct fl_ksyms *ksyms,
		   enum fl_mode forced, bool fault_names);

/* Number of hooks the plan attaches. */
int fl_plan_attached(const struct fl_plan *plan);

/* One line saying what automatic mode fell back from, or "" if nothing. */
void fl_plan_fallback_line(const struct fl_plan *plan, char *buf, size_t len);

#endif
