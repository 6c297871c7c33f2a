/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hook table (what faultline attaches where, from FL_HOOKS in abi.h) and
 * the attach plan: for this kernel, which mode each hook gets, or why it gets
 * none, and what that leaves checked of I1-I6. The plan is made here, in one
 * place; tools/session.c carries it out and drops from it every hook whose
 * programs fail to load or attach, so what probe prints, what record writes
 * in the log header and what the gate reads are the plan as it ran.
 */
#ifndef FAULTLINE_PLAN_H
#define FAULTLINE_PLAN_H

#include <stdbool.h>
#include "faultline/abi.h"
#include "kbtf.h"
#include "ksyms.h"
#include "names.h"

struct fl_hook_desc {
	enum fl_hook hook;
	enum fl_hook_class cls;
	const char *funcs[3];	/* function hooks: candidate kernel functions, best first */
	const char *category;	/* tracepoint hooks: fs_dax, fuse, syscalls */
	const char *tps[2];	/* tracepoint hooks: enter/begin and exit/end names */
	const char *serves;	/* invariants it feeds, for probe's output */
};

struct fl_hook_plan {
	enum fl_mode mode;
	bool dropped;		/* planned, but its programs failed to load or attach */
	char target[64];	/* the function or tracepoint attached */
	char reason[240];	/* why no mode (or why dropped), one line */
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
	int send_args_arg;		/* the blocking send's struct fuse_args *: argument 1 or 2 */
	/*
	 * programs run with preemption off (bpf_preempt_disable(), 6.10):
	 * function hooks always, tracepoint programs where tracepoints run them
	 * preemptible (tp_preemptible); elsewhere the tracepoint has it off
	 */
	bool preempt_guard;
	/* the kernel runs tracepoint programs preemptible (trace_call_bpf_faultable()) */
	bool tp_preemptible;
	/* the kernel counts the runs it skips (bpf_prog_info.recursion_misses, 5.12) */
	bool misses_counted;
	/*
	 * copies of each tracepoint program: FL_TP_COPIES where tp_preemptible
	 * (Debian's 7.x, beside their SRCU tracepoints), so a run the kernel
	 * skips is made up; else 1. A wrong guess costs an incomplete verdict
	 * (the skips are counted), never a false clean.
	 */
	int tp_copies;
	/* per-task state in task local storage (not 5.10), else a hash by tid */
	bool task_storage;
	/*
	 * a program on sched:sched_process_exit removes an exiting task's hash
	 * entries: the state hash, the tracepoint copies' turns (tp_copies > 1)
	 */
	bool task_exit;
	enum fl_coverage cov[FL_INV__COUNT];
	char cov_reason[FL_INV__COUNT][240];
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

/*
 * The part of fl_plan_build() that decides per-task bookkeeping: tracepoint
 * copies, where task state lives, whether an exit program is needed. Also
 * for sessions that attach no hook (the benchmark's native proxies).
 */
void fl_plan_tasks(struct fl_plan *plan, const struct fl_kbtf *kbtf);

/*
 * Coverage from the plan alone (what the hooks attached can check), as
 * fl_plan_build() and fl_plan_drop() leave it; for tests of hand-made plans.
 */
void fl_plan_coverage(struct fl_plan *plan);

/*
 * Which argument of blocking-send candidate @func is its struct fuse_args *:
 * from the kernel's BTF if it has the function, else by name
 * (__fuse_simple_request(idmap, fm, args): 2; fuse_simple_request(fm, args): 1).
 */
int fl_plan_send_args_arg(const struct fl_kbtf *kbtf, const char *func);

/* Number of hooks the plan attaches. */
int fl_plan_attached(const struct fl_plan *plan);

/*
 * Take hook @h out of the plan: its programs failed to load or attach for
 * @why (one line, from libbpf or the verifier). Coverage is recomputed.
 */
void fl_plan_drop(struct fl_plan *plan, enum fl_hook h, const char *why);

/* Number of hooks dropped from the plan. */
int fl_plan_dropped(const struct fl_plan *plan);

/* Are any of the FUSE fault entry points attached (faults are named by them)? */
bool fl_plan_fault_names(const struct fl_plan *plan);

/* Is any layout-break hook attached, with teardown points to judge I5 at? */
bool fl_plan_layout_check(const struct fl_plan *plan);

/*
 * The policy for a forced mode: --mode fentry or kprobe where no function hook
 * can attach in that mode is an error. 0, or -1 with a one-line reason in @err.
 */
int fl_plan_check_mode(const struct fl_plan *plan, char *err, size_t len);

/* One line saying what automatic mode fell back from, or "" if nothing. */
void fl_plan_fallback_line(const struct fl_plan *plan, char *buf, size_t len);

#endif
