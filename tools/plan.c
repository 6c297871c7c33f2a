// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "plan.h"
#include "names.h"
#include "probe.skel.h"


#define DESC_FN(ID, nm, cls_, srv, ...) \
	[FL_HOOK_##ID] = { .hook = FL_HOOK_##ID, .cls = cls_, .funcs = { __VA_ARGS__ }, .serves = srv },
#define DESC_TP(ID, nm, cls_, srv, cat, b, e) \
	[FL_HOOK_##ID] = { .hook = FL_HOOK_##ID, .cls = cls_, .category = #cat, .tps = { #b, #e }, \
			   .serves = srv },
const struct fl_hook_desc fl_hooks[FL_HOOK__COUNT] = {
	FL_HOOKS(DESC_FN, DESC_TP)
};

static void errstr(int err, char *buf, size_t len)
{
	if (err == -EPERM)
		snprintf(buf, len, "EPERM (the kernel refuses BPF trampolines here)");
	else
		snprintf(buf, len, "%s", strerror(-err));
}

/* Can an fentry program load against @func? 0 or -errno. */
static int try_fentry(const char *func)
{
	struct probe_bpf *skel = probe_bpf__open();
	int err;

	if (!skel)
		return -errno;
	bpf_program__set_autoload(skel->progs.probe_kprobe, false);
	err = bpf_program__set_attach_target(skel->progs.probe_fentry, 0, func);
	if (!err)
		err = probe_bpf__load(skel);
	probe_bpf__destroy(skel);
	return err;
}

/*
 * Can the programs keep per-task state in task local storage? The map type
 * came in 5.11, for BPF LSM programs only; "bpf: Enable task local storage
 * for tracing programs" (a10787e6d58c) gave its helpers to the rest. kprobe
 * and tracepoint programs share one helper table, which the tp_btf and fentry
 * ones fall back to, so asking for a tracepoint program answers for every
 * program that touches the state.
 */
static bool task_storage_usable(void)
{
	return libbpf_probe_bpf_map_type(BPF_MAP_TYPE_TASK_STORAGE, NULL) == 1 &&
	       libbpf_probe_bpf_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_task_storage_get,
				       NULL) == 1 &&
	       libbpf_probe_bpf_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_get_current_task_btf,
				       NULL) == 1;
}

/* Can a kprobe attach at @func? 0 or -errno. */
static int try_kprobe(const char *func)
{
	struct probe_bpf *skel = probe_bpf__open();
	struct bpf_link *link;
	int err;

	if (!skel)
		return -errno;
	bpf_program__set_autoload(skel->progs.probe_fentry, false);
	err = probe_bpf__load(skel);
	if (!err) {
		link = bpf_program__attach_kprobe(skel->progs.probe_kprobe, false, func);
		err = link ? 0 : -errno;
		bpf_link__destroy(link);
	}
	probe_bpf__destroy(skel);
	return err;
}

static bool kernel_has_kprobes(void)
{
	return !access("/sys/bus/event_source/devices/kprobe/type", F_OK) ||
	       !access("/sys/kernel/tracing/kprobe_events", F_OK) ||
	       !access("/sys/kernel/debug/tracing/kprobe_events", F_OK);
}

static bool syscall_tp_exists(const char *name)
{
	const char *tracefs = getenv("FAULTLINE_TRACEFS");
	char path[256];

	if (tracefs) {
		snprintf(path, sizeof(path), "%s/events/syscalls/%s/id", tracefs, name);
		return !access(path, R_OK);
	}
	snprintf(path, sizeof(path), "/sys/kernel/tracing/events/syscalls/%s/id", name);
	if (!access(path, R_OK))
		return true;
	snprintf(path, sizeof(path), "/sys/kernel/debug/tracing/events/syscalls/%s/id", name);
	return !access(path, R_OK);
}

static void kernel_version(int *major, int *minor)
{
	struct utsname u;

	*major = *minor = 0;
	if (!uname(&u))
		sscanf(u.release, "%d.%d", major, minor);
}

static void plan_layout(struct fl_plan *p, const struct fl_kbtf *k)
{
	int r;

	if (!fl_kbtf_has_kernel_types(k)) {
		p->layout = FL_LAYOUT_UNKNOWN;
		snprintf(p->layout_detail, sizeof(p->layout_detail),
			 "no kernel BTF (/sys/kernel/btf/vmlinux missing): lock state unreadable");
		return;
	}
	if (fl_kbtf_member_exists(k, "address_space", "invalidate_lock") == 1) {
		p->layout = FL_LAYOUT_INVALIDATE_LOCK;
		snprintf(p->layout_detail, sizeof(p->layout_detail),
			 "inode->i_mapping->invalidate_lock (5.15+, every filesystem)");
		return;
	}
	r = fl_kbtf_member_exists(k, "fuse_inode", "i_mmap_sem");
	if (r == 1) {
		p->layout = FL_LAYOUT_I_MMAP_SEM;
		snprintf(p->layout_detail, sizeof(p->layout_detail),
			 "fuse_inode::i_mmap_sem (5.10-5.14, the seed patch's lock)%s",
			 k->custom ? ", types from --btf" : "");
	} else if (r == 0) {
		p->layout = FL_LAYOUT_NONE;
		snprintf(p->layout_detail, sizeof(p->layout_detail),
			 "fuse_inode has no i_mmap_sem and address_space no invalidate_lock: this kernel lacks the seed patch");
	} else {
		p->layout = FL_LAYOUT_UNKNOWN;
		snprintf(p->layout_detail, sizeof(p->layout_detail),
			 "fuse_inode is in no BTF (fuse.ko has none): FUSE lock state unreadable; pass --btf FILE with fuse.ko's types");
	}
}

/*
 * Attach @func in the plan's mode: fentry, else (unless --mode fentry) kprobe.
 * Sets hp->mode and returns true, or leaves why not in hp->reason.
 */
static bool plan_candidate(struct fl_plan *p, struct fl_hook_plan *hp, const char *func,
			   bool kprobes)
{
	char why[96];
	int err;

	hp->reason[0] = '\0';
	if (p->forced != FL_MODE_KPROBE) {
		if (p->fentry_status[0]) {
			snprintf(hp->reason, sizeof(hp->reason), "fentry: %s", p->fentry_status);
		} else if ((err = try_fentry(func))) {
			errstr(err, why, sizeof(why));
			snprintf(hp->reason, sizeof(hp->reason), "fentry: %s", why);
		} else {
			hp->mode = FL_MODE_FENTRY;
			return true;
		}
		if (p->forced == FL_MODE_FENTRY)
			return false;
	}
	if (!kprobes) {
		snprintf(hp->reason + strlen(hp->reason), sizeof(hp->reason) - strlen(hp->reason),
			 "%skprobe: %s", hp->reason[0] ? "; " : "", p->kprobe_status);
		return false;
	}
	err = try_kprobe(func);
	if (err) {
		errstr(err, why, sizeof(why));
		snprintf(hp->reason + strlen(hp->reason), sizeof(hp->reason) - strlen(hp->reason),
			 "%skprobe: %s", hp->reason[0] ? "; " : "", why);
		return false;
	}
	hp->mode = FL_MODE_KPROBE;
	return true;
}

static void plan_function(struct fl_plan *p, const struct fl_hook_desc *d,
			  const struct fl_ksyms *ks, bool kprobes)
{
	struct fl_hook_plan *hp = &p->hooks[d->hook];
	char first_reason[sizeof(hp->reason)];
	const char *func = NULL;

	if (p->forced == FL_MODE_TRACEPOINT) {
		snprintf(hp->reason, sizeof(hp->reason), "tracepoint-only mode");
		return;
	}
	/*
	 * The entry points only name a fault: the fs_dax tracepoints see every
	 * DAX fault inside the lock, and a violation's stack shows the entry
	 * point anyway. Two programs and a trampoline per fault are not worth it
	 * by default.
	 */
	if (d->cls == FL_HC_FAULT_ENTRY && !p->fault_names) {
		snprintf(hp->reason, sizeof(hp->reason),
			 "names faults only: off unless --fault-names (stacks name the entry point)");
		return;
	}
	/*
	 * The first candidate the kernel has that attaches in this mode: a
	 * compiler's clone (reclaim_one_dmap_locked.part.0) has no BTF, so
	 * fentry passes it over for the next candidate, and kprobes take it.
	 */
	for (int i = 0; i < 3 && d->funcs[i]; i++) {
		if (!fl_ksyms_has_func(ks, d->funcs[i]))
			continue;
		if (plan_candidate(p, hp, d->funcs[i], kprobes)) {
			snprintf(hp->target, sizeof(hp->target), "%s", d->funcs[i]);
			return;
		}
		if (!func) {
			/* none attached: the target and the reasons are the first candidate's */
			func = d->funcs[i];
			snprintf(first_reason, sizeof(first_reason), "%s", hp->reason);
		}
	}
	if (!func) {
		snprintf(hp->reason, sizeof(hp->reason), "%s%s%s not in this kernel (not built, not loaded, or inlined)",
			 d->funcs[0], d->funcs[1] ? " or " : "", d->funcs[1] ? d->funcs[1] : "");
		return;
	}
	snprintf(hp->target, sizeof(hp->target), "%s", func);
	snprintf(hp->reason, sizeof(hp->reason), "%s", first_reason);
}

static void plan_tracepoint(struct fl_plan *p, const struct fl_hook_desc *d,
			    const struct fl_kbtf *k)
{
	struct fl_hook_plan *hp = &p->hooks[d->hook];
	bool ok;

	if (d->cls == FL_HC_SYSCALL) {
		ok = syscall_tp_exists(d->tps[0]) && syscall_tp_exists(d->tps[1]);
		snprintf(hp->target, sizeof(hp->target), "syscalls:%s", d->tps[0]);
		if (!ok)
			snprintf(hp->reason, sizeof(hp->reason),
				 "no syscalls:%s tracepoint (CONFIG_FTRACE_SYSCALLS off, or tracefs not mounted)",
				 d->tps[0]);
	} else {
		const char *cat = d->category;

		ok = fl_kbtf_tracepoint_exists(k, d->tps[0]) && fl_kbtf_tracepoint_exists(k, d->tps[1]);
		snprintf(hp->target, sizeof(hp->target), "%s:%s", cat, d->tps[0]);
		if (!ok)
			snprintf(hp->reason, sizeof(hp->reason), "no %s:%s tracepoint in this kernel's BTF%s",
				 cat, d->tps[0], d->cls == FL_HC_FAULT_TP ? " (CONFIG_FS_DAX off?)" :
				 " (this kernel has no FUSE request tracepoints)");
	}
	if (ok)
		hp->mode = FL_MODE_TRACEPOINT;
}

static bool attached(const struct fl_plan *p, enum fl_hook h)
{
	return p->hooks[h].mode != FL_MODE_NONE;
}

static bool fn_attached(const struct fl_plan *p, enum fl_hook h)
{
	return p->hooks[h].mode == FL_MODE_FENTRY || p->hooks[h].mode == FL_MODE_KPROBE;
}

static void cover(struct fl_plan *p, enum fl_inv i, enum fl_coverage c, const char *why)
{
	char tmp[sizeof(p->cov_reason[i])];

	/* @why may point into *p (a hook's reason) */
	snprintf(tmp, sizeof(tmp), "%s", why);
	p->cov[i] = c;
	memcpy(p->cov_reason[i], tmp, sizeof(tmp));
}

static bool any_fn_attached(const struct fl_plan *p, enum fl_hook_class cls)
{
	for (int h = 0; h < FL_HOOK__COUNT; h++)
		if (fl_hooks[h].cls == cls && fn_attached(p, h))
			return true;
	return false;
}

void fl_plan_coverage(struct fl_plan *p)
{
	bool faults = attached(p, FL_HOOK_DAX_PTE_FAULT) || attached(p, FL_HOOK_DAX_PMD_FAULT);
	bool lock = p->layout == FL_LAYOUT_INVALIDATE_LOCK || p->layout == FL_LAYOUT_I_MMAP_SEM;
	bool teardown = fn_attached(p, FL_HOOK_TRUNCATE_PAGECACHE) ||
			fn_attached(p, FL_HOOK_TRUNCATE_PAGECACHE_RANGE) ||
			fn_attached(p, FL_HOOK_FUSE_DAX_BREAK_LAYOUTS);
	bool fusereq = attached(p, FL_HOOK_FUSE_REQUEST);
	bool syscalls = false;

	for (int h = 0; h < FL_HOOK__COUNT; h++)
		syscalls |= fl_hooks[h].cls == FL_HC_SYSCALL && attached(p, h);

	if (!faults)
		cover(p, FL_I1, FL_COV_UNCHECKED, "no fs_dax fault tracepoint");
	else if (!lock)
		cover(p, FL_I1, p->layout == FL_LAYOUT_NONE ? FL_COV_CHECKED : FL_COV_UNCHECKED,
		      p->layout == FL_LAYOUT_NONE ? "no fault lock exists: every FUSE DAX fault breaks I1" :
		      "lock layout unknown");
	else
		cover(p, FL_I1, FL_COV_CHECKED, "fs_dax fault tracepoints read the lock inside the fault");

	if (teardown && lock)
		cover(p, FL_I2, FL_COV_CHECKED, "lock read at every teardown point");
	else if (fusereq && lock)
		cover(p, FL_I2, FL_COV_PARTIAL,
		      "lock read at FUSE_SETATTR/FALLOCATE/OPEN requests of fd-based operations only; "
		      "teardown points need fentry or kprobes");
	else
		cover(p, FL_I2, FL_COV_UNCHECKED, !lock ? "lock layout unknown" :
		      "teardown points need fentry or kprobes");

	if (faults && teardown)
		cover(p, FL_I3, FL_COV_CHECKED, "fault intervals against teardown intervals");
	else if (faults && (syscalls || fusereq))
		cover(p, FL_I3, FL_COV_PARTIAL,
		      "operation intervals from syscalls, wider than the critical section: a race is "
		      "reported only when one side broke the lock rule");
	else
		cover(p, FL_I3, FL_COV_UNCHECKED, faults ? "no operation hooks" :
		      "no fs_dax fault tracepoint");

	if (fn_attached(p, FL_HOOK_FUSE_DAX_RECLAIM) && lock &&
	    !strcmp(p->hooks[FL_HOOK_FUSE_DAX_RECLAIM].target, "dmap_reinit_add_to_free_pool"))
		cover(p, FL_I4, FL_COV_PARTIAL, "the background worker's reclaim only: "
		      "reclaim_one_dmap_locked is inlined, and with it the reclaim read() and write() "
		      "do inline (fuse_iomap_begin)");
	else if (fn_attached(p, FL_HOOK_FUSE_DAX_RECLAIM) && lock)
		cover(p, FL_I4, FL_COV_CHECKED, "lock read when a DAX range is reclaimed");
	else
		cover(p, FL_I4, FL_COV_UNCHECKED, p->hooks[FL_HOOK_FUSE_DAX_RECLAIM].reason[0] ?
		      p->hooks[FL_HOOK_FUSE_DAX_RECLAIM].reason : "lock layout unknown");

	/* the fuse:fuse_request_end tracepoint fires once, at the start: it bounds nothing */
	if (fn_attached(p, FL_HOOK_FUSE_REQUEST_END) && fn_attached(p, FL_HOOK_FUSE_SIMPLE_REQUEST))
		cover(p, FL_I6, FL_COV_CHECKED, "every blocking FUSE send judged against the "
		      "completions (fuse_request_end entry to exit) its task is inside");
	else if (p->forced == FL_MODE_TRACEPOINT || !any_fn_attached(p, FL_HC_REQUEST))
		cover(p, FL_I6, FL_COV_UNCHECKED, "a completion's bounds and the blocking send need "
		      "fentry or kprobes (the fuse:fuse_request_end tracepoint has no exit: it cannot "
		      "bound a completion)");
	else if (!fn_attached(p, FL_HOOK_FUSE_REQUEST_END))
		cover(p, FL_I6, FL_COV_UNCHECKED, p->hooks[FL_HOOK_FUSE_REQUEST_END].reason[0] ?
		      p->hooks[FL_HOOK_FUSE_REQUEST_END].reason : "fuse_request_end not attached");
	else
		cover(p, FL_I6, FL_COV_UNCHECKED, p->hooks[FL_HOOK_FUSE_SIMPLE_REQUEST].reason[0] ?
		      p->hooks[FL_HOOK_FUSE_SIMPLE_REQUEST].reason :
		      "no blocking-send function attached");

	if (fl_plan_layout_check(p) && lock)
		cover(p, FL_I5, FL_COV_CHECKED,
		      "layout breaks under the exclusive lock against the pages each teardown removes");
	else if (p->forced == FL_MODE_TRACEPOINT || !any_fn_attached(p, FL_HC_TEARDOWN))
		cover(p, FL_I5, FL_COV_UNCHECKED,
		      "layout breaks and page removals need fentry or kprobes (no tracepoint sees them)");
	else
		cover(p, FL_I5, FL_COV_UNCHECKED, !lock ? "lock layout unknown" :
		      "no layout-break function hook attached (dax_layout_busy_page_range, "
		      "dax_layout_busy_page or dax_break_layout)");
}

bool fl_plan_layout_check(const struct fl_plan *p)
{
	return any_fn_attached(p, FL_HC_LAYOUT) &&
	       (fn_attached(p, FL_HOOK_TRUNCATE_PAGECACHE) ||
		fn_attached(p, FL_HOOK_TRUNCATE_PAGECACHE_RANGE));
}

bool fl_plan_fault_names(const struct fl_plan *p)
{
	return any_fn_attached(p, FL_HC_FAULT_ENTRY);
}

void fl_plan_drop(struct fl_plan *p, enum fl_hook h, const char *why)
{
	struct fl_hook_plan *hp = &p->hooks[h];
	char tmp[sizeof(hp->reason)];

	/* @why may point into *p; a longer one is cut (still one line) */
	snprintf(tmp, sizeof(tmp), "%.*s", (int)sizeof(tmp) - 1, why);
	hp->mode = FL_MODE_NONE;
	hp->dropped = true;
	memcpy(hp->reason, tmp, sizeof(tmp));
	fl_plan_coverage(p);
}

int fl_plan_dropped(const struct fl_plan *p)
{
	int n = 0;

	for (int h = 0; h < FL_HOOK__COUNT; h++)
		n += p->hooks[h].dropped;
	return n;
}

int fl_plan_check_mode(const struct fl_plan *p, char *err, size_t len)
{
	int fn = 0;

	if (p->forced != FL_MODE_FENTRY && p->forced != FL_MODE_KPROBE)
		return 0;
	for (int h = 0; h < FL_HOOK__COUNT; h++)
		fn += fl_hooks[h].funcs[0] && p->hooks[h].mode == p->forced;
	if (fn)
		return 0;
	snprintf(err, len, "--mode %s: no function hook can attach in that mode (%s)",
		 fl_mode_name(p->forced), p->forced == FL_MODE_FENTRY ? p->fentry_status :
		 p->kprobe_status);
	return -1;
}

void fl_plan_build(struct fl_plan *p, const struct fl_kbtf *k, const struct fl_ksyms *ks,
		   enum fl_mode forced, bool fault_names)
{
	bool kprobes = kernel_has_kprobes();
	int major, minor, idx;
	char why[96];
	int err;

	memset(p, 0, sizeof(*p));
	p->forced = forced;
	p->fault_names = fault_names;
	p->btf = fl_kbtf_has_kernel_types(k);
	plan_layout(p, k);

	if (!k->vmlinux) {
		snprintf(p->fentry_status, sizeof(p->fentry_status), "no kernel BTF");
	} else if ((err = try_fentry("truncate_pagecache"))) {
		errstr(err, why, sizeof(why));
		snprintf(p->fentry_status, sizeof(p->fentry_status), "%s", why);
	}
	if (!kprobes)
		snprintf(p->kprobe_status, sizeof(p->kprobe_status),
			 "this kernel has no kprobes (no kprobe PMU, no kprobe_events)");

	for (int h = 0; h < FL_HOOK__COUNT; h++) {
		const struct fl_hook_desc *d = &fl_hooks[h];

		if (d->funcs[0])
			plan_function(p, d, ks, kprobes);
		else
			plan_tracepoint(p, d, k);
	}

	/* fuse_do_setattr gained a leading struct mnt_idmap * in 6.9 */
	kernel_version(&major, &minor);
	idx = fl_kbtf_func_param(k, "fuse_do_setattr", "dentry");
	p->setattr_dentry_arg = idx >= 0 ? idx : (major > 6 || (major == 6 && minor >= 9)) ? 1 : 0;
	p->send_args_arg = fl_plan_send_args_arg(k, p->hooks[FL_HOOK_FUSE_SIMPLE_REQUEST].target);
	p->preempt_guard = fl_kbtf_func_exists(k, "bpf_preempt_disable") &&
			   fl_kbtf_func_exists(k, "bpf_preempt_enable");
	p->misses_counted = fl_kbtf_member_exists(k, "bpf_prog_info", "recursion_misses") == 1;
	fl_plan_tasks(p, k);

	fl_plan_coverage(p);
}

int fl_plan_send_args_arg(const struct fl_kbtf *k, const char *func)
{
	int idx = func && func[0] && k ? fl_kbtf_func_param(k, func, "args") : -1;

	if (idx == 1 || idx == 2)
		return idx;
	return func && !strcmp(func, "__fuse_simple_request") ? 2 : 1;
}

void fl_plan_tasks(struct fl_plan *p, const struct fl_kbtf *k)
{
	p->tp_preemptible = fl_kbtf_func_exists(k, "trace_call_bpf_faultable");
	p->tp_copies = p->tp_preemptible ? FL_TP_COPIES : 1;
	p->task_storage = task_storage_usable();
	p->task_exit = !p->task_storage || p->tp_copies > 1;
}

int fl_plan_attached(const struct fl_plan *p)
{
	int n = 0;

	for (int h = 0; h < FL_HOOK__COUNT; h++)
		n += p->hooks[h].mode != FL_MODE_NONE;
	return n;
}

void fl_plan_fallback_line(const struct fl_plan *p, char *buf, size_t len)
{
	int fn = 0, fentry = 0, kprobe = 0;

	buf[0] = 0;
	if (p->forced != FL_MODE_NONE)
		return;
	for (int h = 0; h < FL_HOOK__COUNT; h++) {
		if (!fl_hooks[h].funcs[0] || !p->hooks[h].target[0])
			continue;
		fn++;
		fentry += p->hooks[h].mode == FL_MODE_FENTRY;
		kprobe += p->hooks[h].mode == FL_MODE_KPROBE;
	}
	if (fn == 0 || fentry == fn)
		return;
	if (kprobe)
		snprintf(buf, len, "fentry unavailable: %s; using kprobes for %d of %d function hooks",
			 p->fentry_status[0] ? p->fentry_status : "some targets refused", kprobe, fn);
	else
		snprintf(buf, len, "fentry unavailable: %s; %s: tracepoint-only mode (I2 %s, I3 %s, I4 %s, I5 %s, I6 %s)",
			 p->fentry_status[0] ? p->fentry_status : "targets refused",
			 p->kprobe_status[0] ? p->kprobe_status : "kprobes refused",
			 fl_coverage_name(p->cov[FL_I2]), fl_coverage_name(p->cov[FL_I3]),
			 fl_coverage_name(p->cov[FL_I4]), fl_coverage_name(p->cov[FL_I5]),
			 fl_coverage_name(p->cov[FL_I6]));
}
