// SPDX-License-Identifier: GPL-2.0
/*
 * faultline's test object: the product (bpf/faultline.bpf.c, included whole,
 * as cilium's bpf/tests include the code they test) and the programs that are
 * never attached, run with BPF_PROG_TEST_RUN: the benchmark's (make bench,
 * tests/bench/export-bench.c) and the self-tests of the product's helpers
 * (tests/live/test_bpf_maps.c, make check-live). Each calls the product's own
 * functions: nothing here restates what a hook does.
 *
 * The product's maps and global data keep their names and layout: the
 * benchmark loads these programs on the maps of a running session
 * (tests/bpf/test-object.c). So this file's own globals live in a section of
 * their own (.data.test, the skeleton's data_test), never in .bss, .data or
 * .rodata.
 */
#include "../../bpf/faultline.bpf.c"
#include "faultline_test.h"

#define TEST_DATA SEC(".data.test")

extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __weak __ksym;

/*
 * Export benchmark: push synthetic events through emit() and the ring buffer
 * at a rate userspace controls, to measure what the recorder can take without
 * loss.
 */
SEC("raw_tp")
int bench_emit(void *ctx)
{
	for (int i = 0; i < FL_BENCH_BATCH; i++)
		EMIT(.kind = FL_EV_FAULT_BEGIN, .hook = FL_HOOK_DAX_PTE_FAULT, .dev = 1, .ino = i,
		     .end = 4096, .op = FL_OP_FAULT, .lock = FL_LOCK_SHARED_SELF,
		     .flags = FL_F_INODE_KNOWN | FL_F_DAX);
	return 0;
}

/*
 * Calibration proxies: the product's hook code run natively on a host that
 * has no DAX, one pass per loop. raw_tp test runs take no repeat count: a
 * program loops as often as userspace says (calibrate_loops), each larger
 * pass a global function, verified once however often it is called (ctx
 * tagged: 6.8 on). calibrate_fd: a file descriptor of the calling task, or -1.
 */
__u32 calibrate_loops TEST_DATA;
__s32 calibrate_fd TEST_DATA = -1;
/* A calibration program: @one, calibrate_loops times (at most 256) */
#define CALIBRATION(prog, one)						\
SEC("raw_tp")								\
int prog(void *ctx)							\
{									\
	for (__u32 i = 0; i < 256 && i < calibrate_loops; i++)		\
		one(ctx);						\
	return 0;							\
}

/* the proxy fault's vm_fault, zeroed (page 0, a read fault): room for any kernel's */
__u64 calibrate_vmf[32] TEST_DATA;

/*
 * bench_calibrate: one fault's begin and end, fault_begin() and fault_end()
 * on the inode of calibrate_fd: a file faultline keeps but not a DAX one, so
 * the lock is read but not judged (a DAX fault that holds its lock adds the
 * verdict and the overlap check). The tracepoints hand fault_begin() BTF
 * pointers; bpf_rdonly_cast() (6.2) makes the same of ours.
 */
__noinline int calibrate_fault_one(void *ctx __attribute__((btf_decl_tag("arg:ctx"))))
{
	struct inode *inode = bpf_rdonly_cast(fd_inode(calibrate_fd),
					      bpf_core_type_id_kernel(struct inode));
	struct vm_fault *vmf = bpf_rdonly_cast(calibrate_vmf,
					       bpf_core_type_id_kernel(struct vm_fault));

	if (!inode)
		return 0;
	fault_begin(FL_HOOK_DAX_PTE_FAULT, inode, vmf, 0);
	fault_end(ctx, FL_HOOK_DAX_PTE_FAULT, 0);
	return 0;
}

CALIBRATION(bench_calibrate, calibrate_fault_one)

/*
 * bench_calibrate_sys: the syscall tracepoints' own begin and end (with
 * calibrate_fd < 0 a path-based truncate faultline follows, else ftruncate of
 * that fd, a file it ignores).
 */
__noinline int calibrate_sys_one(void *ctx __attribute__((btf_decl_tag("arg:ctx"))))
{
	struct fl_args a = { .a = { 0, 4096 } };

	if (calibrate_fd >= 0)
		a.a[0] = (__u64)fd_inode(calibrate_fd);
	sys_op_begin(ctx, FL_HOOK_SYS_FTRUNCATE, FL_OP_TRUNCATE, &a);
	sys_op_end(ctx, FL_HOOK_SYS_FTRUNCATE, 0, false);
	return 0;
}

CALIBRATION(bench_calibrate_sys, calibrate_sys_one)

/* bench_calibrate_exit: the task-exit program's map work */
static __always_inline int calibrate_exit_one(void *ctx)
{
	task_exit();
	return 0;
}
CALIBRATION(bench_calibrate_exit, calibrate_exit_one)

/*
 * Self-test of bpf_map_try_init(): another CPU inserts the same key between
 * our lookup and our insert. The state must be found, not lost.
 */
__u32 selftest_found TEST_DATA;

SEC("raw_tp")
int selftest_lost_insert_race(void *ctx)
{
	__u32 key = 0xfffffffe, zero = 0;
	struct fl_op_state *init = bpf_map_lookup_elem(&zero_op, &zero);

	if (!init)
		return 0;
	bpf_map_update_elem(&ops, &key, init, BPF_NOEXIST);	/* the other CPU wins */
	selftest_found = bpf_map_try_init(&ops, &key, init) != NULL;
	bpf_map_delete_elem(&ops, &key);
	return 0;
}

/*
 * Self-test of unbalanced(): a begin or end found missing after attaching
 * finished counts, one found once detaching has begun does not. Userspace
 * sets attach_done_ns and detaching between runs.
 */
SEC("raw_tp")
int selftest_unbalanced(void *ctx)
{
	unbalanced(attach_done_ns + 1);
	return 0;
}

/*
 * Self-test of task_state(), as task local storage and as the hash by tid:
 * made zeroed at first use, then found again with what was written. The test
 * task's state is deleted after.
 */
__u32 selftest_task_made TEST_DATA, selftest_task_found TEST_DATA;

SEC("raw_tp")
int selftest_task_state(void *ctx)
{
	struct fl_task_state *t = task_state(false);
	__u32 tid = current_tid();

	if (t)	/* left from an earlier run: the test is not clean */
		return 0;
	t = task_state(true);
	if (!t)
		return 0;
	selftest_task_made = !t->fault.ts && !t->entry;
	t->entry = FL_HOOK_FUSE_DAX_FAULT + 1;
	t = task_state(false);
	selftest_task_found = t && t->entry == FL_HOOK_FUSE_DAX_FAULT + 1;
	if (cfg_task_storage)
		bpf_task_storage_delete(&tasks, bpf_get_current_task_btf());
	else
		bpf_map_delete_elem(&tasks, &tid);
	return 0;
}

/*
 * Self-test of op_close(): an op dropped without its end closes its own
 * in-flight record on its inode, and leaves a record another op made alone.
 */
__u32 selftest_closed TEST_DATA, selftest_other_kept TEST_DATA;

SEC("raw_tp")
int selftest_op_close(void *ctx)
{
	struct fl_inode_key ik = { .ino = 0xfffffffd, .dev = 0xffffffff };
	__u32 key = 0xfffffffd, zero = 0;
	struct fl_op_state *init = bpf_map_lookup_elem(&zero_op, &zero);
	struct fl_inode_state *ist;
	struct fl_op_state *st;

	if (!init)
		return 0;
	st = bpf_map_try_init(&ops, &key, init);
	ist = inode_state_get(ik.dev, ik.ino, true);
	if (!st || !ist)
		goto out;
	st->dev = ik.dev;
	st->ino = ik.ino;
	st->teardown_seen = 1;
	st->live = 1;
	st->side.ts_begin = 1000;
	ist->op.ts_begin = 1000;
	ist->op.ts_end = 0;
	ist->op.flags = FL_F_INFLIGHT;
	op_close(st);
	selftest_closed = !(ist->op.flags & FL_F_INFLIGHT) && ist->op.ts_end;
	ist->op.ts_begin = 2000;	/* another op's, still in flight */
	ist->op.ts_end = 0;
	ist->op.flags = FL_F_INFLIGHT;
	op_close(st);
	selftest_other_kept = (ist->op.flags & FL_F_INFLIGHT) && !ist->op.ts_end;
out:
	bpf_map_delete_elem(&inodes, &ik);
	bpf_map_delete_elem(&ops, &key);
	return 0;
}
