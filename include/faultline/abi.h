/* SPDX-License-Identifier: GPL-2.0 */
/*
 * faultline event ABI: the records the BPF programs put in the ring buffers and
 * the maps userspace reads. Compiled into the BPF object and into the host tools
 * and tests, so there is exactly one definition of every layout and number.
 *
 * Lists that several places must agree on (hooks, counters, violation kinds,
 * invariants) are X-macro tables here, as the kernel's __BPF_FUNC_MAPPER is:
 * the enums, the names in logs, the hook descriptions and the binding of hooks
 * to BPF programs are all generated from them (doc/design.md).
 *
 * Every multi-byte field is native-endian; records are only ever read on the
 * machine that produced them. The JSON log (see tools/log.h) is the portable form.
 */
#ifndef FAULTLINE_ABI_H
#define FAULTLINE_ABI_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define FL_COMM_LEN		16
#define FL_STACK_DEPTH		24
#define FL_PAGE_SHIFT		12
/* "to end of file": the end of a range that a truncate or O_TRUNC removes */
#define FL_EOF			(~0ULL)

/* Filesystem magics used for early filtering (include/uapi/linux/magic.h). */
#define FL_FUSE_SUPER_MAGIC	0x65735546
#define FL_EXT4_SUPER_MAGIC	0xEF53
/* inode->i_flags bit for DAX (include/linux/fs.h S_DAX); stable since 4.0 */
#define FL_S_DAX		(1U << 13)

/* What a hook is, which decides how it attaches and what it feeds. */
enum fl_hook_class {
	FL_HC_FAULT_TP,		/* fs_dax tracepoints: tp_btf, inside the fault's lock */
	FL_HC_FAULT_ENTRY,	/* FUSE fault entry points: function, only name faults */
	FL_HC_OP,		/* FUSE shrinking operations: function, the op's interval */
	FL_HC_TEARDOWN,		/* teardown points: function, lock must be exclusive */
	FL_HC_LAYOUT,		/* layout breaks (waits out pinned pages): function */
	FL_HC_FUSE_TP,		/* fuse:fuse_request_* tracepoints: tp_btf */
	FL_HC_SYSCALL,		/* syscalls:sys_{enter,exit}_* tracepoints */
	FL_HC_REQUEST,		/* FUSE request functions: a completion's bounds, a blocking send */
	FL_HC__COUNT
};

/*
 * FL_HOOKS(FN, TP): every hook faultline attaches, once.
 *
 *   FN(ID, name, class, serves, candidate functions...)
 *	a function hook: fentry/fexit, else kprobe/kretprobe, on the first
 *	candidate this kernel has. The BPF object defines fe_<name>,
 *	fx_<name>, kp_<name> and kr_<name>.
 *   TP(ID, name, class, serves, category, begin, end)
 *	a tracepoint pair. The BPF object defines tp_<begin> and tp_<end>.
 *
 * @serves names the invariants the hook feeds, for probe's output. The
 * tools bind every row to its programs through the skeleton, so a program
 * that is renamed or missing is a compile error, never a silently skipped hook.
 * Adding a hook is one row here plus its handlers in bpf/faultline.bpf.c.
 */
#define FL_HOOKS(FN, TP)							\
	/* fault side, inside dax_iomap_fault with the fs lock already taken */	\
	TP(DAX_PTE_FAULT, dax_pte_fault, FL_HC_FAULT_TP, "I1 I3",		\
	   fs_dax, dax_pte_fault, dax_pte_fault_done)				\
	TP(DAX_PMD_FAULT, dax_pmd_fault, FL_HC_FAULT_TP, "I1 I3",		\
	   fs_dax, dax_pmd_fault, dax_pmd_fault_done)				\
	/* fault side, FUSE entry points (name the fault; lock not yet taken) */	\
	FN(FUSE_DAX_FAULT, fuse_dax_fault, FL_HC_FAULT_ENTRY, "fault names",	\
	   "fuse_dax_fault")							\
	FN(FUSE_DAX_HUGE_FAULT, fuse_dax_huge_fault, FL_HC_FAULT_ENTRY,		\
	   "fault names", "fuse_dax_huge_fault")				\
	FN(FUSE_DAX_PAGE_MKWRITE, fuse_dax_page_mkwrite, FL_HC_FAULT_ENTRY,	\
	   "fault names", "fuse_dax_page_mkwrite")				\
	FN(FUSE_DAX_PFN_MKWRITE, fuse_dax_pfn_mkwrite, FL_HC_FAULT_ENTRY,	\
	   "fault names", "fuse_dax_pfn_mkwrite")				\
	/* shrinking operations, FUSE functions (interval of the operation) */	\
	FN(FUSE_DO_SETATTR, fuse_do_setattr, FL_HC_OP, "I3 I5",			\
	   "fuse_do_setattr")							\
	FN(FUSE_FILE_FALLOCATE, fuse_file_fallocate, FL_HC_OP, "I3 I5",		\
	   "fuse_file_fallocate")						\
	/* 5.10 and 6.1 do the work in fuse_open_common(); 6.12 in fuse_open() */	\
	FN(FUSE_OPEN, fuse_open, FL_HC_OP, "I3 I5",				\
	   "fuse_open_common", "fuse_open")					\
	/* teardown points: where mappings are torn down, lock must be exclusive */	\
	FN(FUSE_DAX_BREAK_LAYOUTS, fuse_dax_break_layouts, FL_HC_TEARDOWN,	\
	   "I2 I3", "fuse_dax_break_layouts")					\
	FN(TRUNCATE_PAGECACHE, truncate_pagecache, FL_HC_TEARDOWN, "I2 I3 I5",	\
	   "truncate_pagecache")						\
	FN(TRUNCATE_PAGECACHE_RANGE, truncate_pagecache_range, FL_HC_TEARDOWN,	\
	   "I2 I3 I5", "truncate_pagecache_range")				\
	/* DAX range reclaim: reclaim_one_dmap_locked(inode, dmap), a GCC clone	\
	 * of it with the same arguments and no BTF (kprobes only; our 6.12 test	\
	 * kernel), or where it is inlined (Debian 6.12) the background worker's	\
	 * dmap_reinit_add_to_free_pool(fcd, dmap) only: I4 partial there */	\
	FN(FUSE_DAX_RECLAIM, fuse_dax_reclaim, FL_HC_TEARDOWN, "I4 I5",		\
	   "reclaim_one_dmap_locked", "reclaim_one_dmap_locked.part.0",		\
	   "dmap_reinit_add_to_free_pool")					\
	/* layout breaks: dax_layout_busy_page_range() up to 6.14, whole-file	\
	 * dax_layout_busy_page() (ext4, xfs), dax_break_layout() from 6.15 */	\
	FN(DAX_LAYOUT_BUSY_PAGE_RANGE, dax_layout_busy_page_range, FL_HC_LAYOUT,	\
	   "I5", "dax_layout_busy_page_range")					\
	FN(DAX_LAYOUT_BUSY_PAGE, dax_layout_busy_page, FL_HC_LAYOUT, "I5",	\
	   "dax_layout_busy_page")						\
	FN(DAX_BREAK_LAYOUT, dax_break_layout, FL_HC_LAYOUT, "I5",		\
	   "dax_break_layout")							\
	/* FUSE request tracepoints: a point inside setattr/fallocate/open */	\
	TP(FUSE_REQUEST, fuse_request, FL_HC_FUSE_TP, "I2 I3",			\
	   fuse, fuse_request_send, fuse_request_end)				\
	/* shrinking operations, syscall tracepoints (interval of the syscall) */	\
	TP(SYS_TRUNCATE, sys_truncate, FL_HC_SYSCALL, "I3",			\
	   syscalls, sys_enter_truncate, sys_exit_truncate)			\
	TP(SYS_FTRUNCATE, sys_ftruncate, FL_HC_SYSCALL, "I3",			\
	   syscalls, sys_enter_ftruncate, sys_exit_ftruncate)			\
	TP(SYS_FALLOCATE, sys_fallocate, FL_HC_SYSCALL, "I3",			\
	   syscalls, sys_enter_fallocate, sys_exit_fallocate)			\
	TP(SYS_OPEN, sys_open, FL_HC_SYSCALL, "I3",				\
	   syscalls, sys_enter_open, sys_exit_open)				\
	TP(SYS_OPENAT, sys_openat, FL_HC_SYSCALL, "I3",				\
	   syscalls, sys_enter_openat, sys_exit_openat)				\
	/* FUSE request completion (entry and exit bound it) and blocking send:	\
	 * 6.x sends through __fuse_simple_request(idmap, fm, args), 5.10 and	\
	 * 6.1 through fuse_simple_request(fm, args) */				\
	FN(FUSE_REQUEST_END, fuse_request_end, FL_HC_REQUEST, "I6",		\
	   "fuse_request_end")							\
	FN(FUSE_SIMPLE_REQUEST, fuse_simple_request, FL_HC_REQUEST, "I6",	\
	   "__fuse_simple_request", "fuse_simple_request")

#define FL__HOOK_ENUM_FN(ID, ...) FL_HOOK_##ID,
#define FL__HOOK_ENUM_TP(ID, ...) FL_HOOK_##ID,
enum fl_hook {
	FL_HOOKS(FL__HOOK_ENUM_FN, FL__HOOK_ENUM_TP)
	FL_HOOK__COUNT
};

/*
 * Every tracepoint hook's program is loaded FL_TP_COPIES times, attached in
 * order; a copy makes up a run the kernel skipped for the one before it. Per
 * tracepoint (FL_TP_SLOTS: hook * 2, + 1 for the end), the first copy's runs
 * and the hits a copy handled, summed over CPUs.
 */
#define FL_TP_COPIES 3
#define FL_TP_SLOTS (FL_HOOK__COUNT * 2)
struct fl_turn_stat {
	__u64 runs;
	__u64 taken;
};

enum fl_mode {
	FL_MODE_NONE,		/* not attached */
	FL_MODE_FENTRY,		/* fentry/fexit (BPF trampoline) */
	FL_MODE_KPROBE,		/* kprobe/kretprobe */
	FL_MODE_TRACEPOINT,	/* tp_btf or classic tracepoint */
	FL_MODE__COUNT
};

/* What an operation does to the file; decides the page range it tears down. */
enum fl_op {
	FL_OP_NONE,
	FL_OP_FAULT,		/* the fault side of a violation */
	FL_OP_TRUNCATE,		/* setattr ATTR_SIZE, truncate(2), ftruncate(2) */
	FL_OP_PUNCH_HOLE,	/* fallocate PUNCH_HOLE */
	FL_OP_ZERO_RANGE,	/* fallocate ZERO_RANGE */
	FL_OP_COLLAPSE_RANGE,	/* fallocate COLLAPSE_RANGE / INSERT_RANGE */
	FL_OP_FALLOCATE,	/* fallocate that only allocates (may grow size) */
	FL_OP_OTRUNC,		/* open(O_TRUNC) */
	FL_OP_RECLAIM,		/* DAX range reclaim (I4, I5) */
	FL_OP__COUNT
};

/*
 * State of the inode's fault lock at the moment a hook read it, decoded from
 * the rw_semaphore (see rules.h fl_rwsem_decode(), fl_rwbase_decode()).
 */
enum fl_lock {
	FL_LOCK_UNKNOWN,	/* not readable: no lock for this fs/kernel, no inode */
	FL_LOCK_NONE,		/* nobody holds it */
	FL_LOCK_SHARED,		/* readers hold it; none of them is known to be this task */
	FL_LOCK_SHARED_SELF,	/* readers hold it; the last reader recorded is this task */
	FL_LOCK_EXCL_SELF,	/* this task holds it exclusive */
	FL_LOCK_EXCL_OTHER,	/* another task holds it exclusive */
	FL_LOCK__COUNT
};

/* Which lock a kernel uses to serialize DAX faults against truncation. */
enum fl_layout {
	FL_LAYOUT_UNKNOWN,
	FL_LAYOUT_INVALIDATE_LOCK,	/* 5.15+: inode->i_mapping->invalidate_lock */
	FL_LAYOUT_I_MMAP_SEM,		/* 5.10-5.14: fuse_inode / ext4_inode_info ::i_mmap_sem */
	FL_LAYOUT_NONE,			/* FUSE DAX without the seed patch: no lock at all */
	FL_LAYOUT__COUNT
};

/*
 * FL_INVARIANTS(X): X(ID, what it says). The invariants, for a DAX inode
 * (doc/design.md has the long form):
 */
#define FL_INVARIANTS(X)							\
	X(I1, "every DAX fault holds the fault lock")				\
	X(I2, "every teardown holds the fault lock exclusive")			\
	X(I3, "no fault overlaps a teardown of its pages")			\
	X(I4, "DAX range reclaim holds the fault lock exclusive")		\
	X(I5, "layouts are broken, under the lock, over every page removed")	\
	X(I6, "no FUSE request that waits for its answer is sent from within "	\
	      "another request's completion")

#define FL__INV_ENUM(ID, what) FL_##ID,
enum fl_inv {
	FL_INVARIANTS(FL__INV_ENUM)
	FL_INV__COUNT
};

/* FL_VIOLATIONS(X): X(ID, name in logs, invariant it breaks) */
#define FL_VIOLATIONS(X)							\
	X(RACE, "race", FL_I3)							\
	X(UNSERIALIZED_FAULT, "unserialized-fault", FL_I1)			\
	X(UNSERIALIZED_TRUNCATE, "unserialized-truncate", FL_I2)		\
	X(UNSERIALIZED_RECLAIM, "unserialized-reclaim", FL_I4)			\
	X(UNBROKEN_LAYOUT, "unbroken-layout", FL_I5)				\
	X(BLOCKING_IN_COMPLETION, "blocking-in-completion", FL_I6)

#define FL__VIO_ENUM(ID, name, inv) FL_VIO_##ID,
enum fl_violation_kind {
	FL_VIOLATIONS(FL__VIO_ENUM)
	FL_VIO__COUNT
};

enum fl_event_kind {
	FL_EV_FAULT_BEGIN,
	FL_EV_FAULT_END,
	FL_EV_OP_BEGIN,
	FL_EV_OP_END,
	FL_EV_TEARDOWN,		/* a teardown point inside an operation */
	FL_EV_LAYOUT_BREAK,	/* a layout break inside an operation */
	FL_EV__COUNT
};

/* Record flags */
#define FL_F_FUSE		(1U << 0)	/* inode is on a FUSE superblock */
#define FL_F_DAX		(1U << 1)	/* IS_DAX(inode) */
#define FL_F_WRITE		(1U << 2)	/* write fault */
#define FL_F_INODE_KNOWN	(1U << 3)	/* dev/ino are valid */
#define FL_F_SYSCALL_ONLY	(1U << 4)	/* op interval is the syscall's, not the teardown's */
#define FL_F_INFLIGHT		(1U << 5)	/* op had not ended when the record was made */

/*
 * FL_COUNTERS(X): X(ID, name in the trailer). Per-CPU in the kernel, summed by
 * userspace into the trailer. The "evidence" counters say what the run
 * observed of each invariant: the gate's coverage comes from them, not from
 * the plan alone (tools/logread.c fl_log_observed()).
 */
#define FL_COUNTERS(X)								\
	X(HOOK_HITS, "hook_hits")		/* every program invocation */	\
	X(FAULTS, "faults")			/* DAX faults on tracked inodes */	\
	X(OPS, "ops")				/* shrinking ops on tracked inodes */	\
	X(TEARDOWNS, "teardowns")		/* teardown points on tracked inodes */	\
	X(EVENTS, "events")			/* events exported */		\
	X(EVENTS_LOST, "events_lost")		/* event ring buffer full */	\
	X(VIOLATIONS, "violations")	/* detected (emitted + suppressed + lost) */	\
	X(VIOLATIONS_SUPPRESSED, "violations_suppressed") /* repeats, only counted */	\
	X(VIOLATIONS_LOST, "violations_lost")	/* violation ring full: evidence lost */	\
	X(MAP_FULL, "map_full")		/* in-flight state not stored: evidence lost */	\
	X(FILTERED_NOT_FUSE, "filtered_not_fuse")				\
	X(FILTERED_NOT_DAX, "filtered_not_dax")					\
	X(LOCK_UNKNOWN, "lock_unknown")	/* lock unreadable where a rule needed it */	\
	X(UNMATCHED_END, "unmatched_end")	/* an end without its begin */	\
	/* a begin or end the kernel skipped, found by the pairing: evidence lost */	\
	X(UNBALANCED, "unbalanced")						\
	X(OPS_INODE_UNKNOWN, "ops_inode_unknown") /* ops no hook could name */	\
	/* evidence, on DAX inodes only */					\
	X(DAX_FAULTS_LOCK_READ, "dax_faults_lock_read")		/* I1, I3 */	\
	X(DAX_FAULTS_LOCK_UNKNOWN, "dax_faults_lock_unknown")			\
	X(DAX_TEARDOWNS_LOCK_READ, "dax_teardowns_lock_read")	/* I2, I3 */	\
	X(DAX_TEARDOWNS_LOCK_UNKNOWN, "dax_teardowns_lock_unknown")		\
	X(DAX_OPS, "dax_ops")			/* shrinking ops published: I3 */	\
	X(RECLAIMS_LOCK_READ, "reclaims_lock_read")		/* I4 */	\
	X(RECLAIMS_LOCK_UNKNOWN, "reclaims_lock_unknown")			\
	X(LAYOUT_BREAKS, "layout_breaks")	/* breaks seen under an op */	\
	X(LAYOUT_CHECKS, "layout_checks")	/* removals judged against breaks: I5 */	\
	X(LAYOUT_UNKNOWN, "layout_unknown")	/* removals that could not be judged */	\
	/* I6, on any FUSE mount: completions bounded by their entry and exit */	\
	X(COMPLETIONS, "completions")						\
	X(BLOCKING_SENDS, "blocking_sends")	/* sends judged in or out of one */

#define FL__CTR_ENUM(ID, name) FL_CTR_##ID,
enum fl_counter {
	FL_COUNTERS(FL__CTR_ENUM)
	FL_CTR__COUNT
};

/* Per-CPU statistics (map "stats", one element), summed by userspace. */
struct fl_stats {
	__u64 ctr[FL_CTR__COUNT];
	__u64 hook[FL_HOOK__COUNT];	/* program invocations per hook */
	/*
	 * faults begun and not yet ended: one up at a begin, one down at its
	 * end, on whichever CPU each ran, so only the sum over CPUs means anything
	 */
	__u64 faults_open;
};

/* One side of a violation: the fault or the shrinking operation. */
struct fl_side {
	__u64 ts_begin;		/* ns, CLOCK_MONOTONIC; fault: inner begin; op: teardown begin */
	__u64 ts_end;		/* 0 if still in flight */
	__u64 start;		/* byte range [start, end); end FL_EOF = to end of file */
	__u64 end;
	__u64 size_before;	/* i_size when the side began (ops) */
	__u32 pid;		/* tgid */
	__u32 tid;
	__u16 hook;		/* enum fl_hook that observed it */
	__u16 entry_hook;	/* outer hook (fuse_dax_fault, fuse_do_setattr, syscall) */
	__u8 op;		/* enum fl_op */
	__u8 lock;		/* enum fl_lock */
	__u16 flags;		/* FL_F_* */
	__s32 stack_len;	/* bytes of stack[] filled; < 0: bpf_get_stack() error */
	__u32 opcode;		/* BLOCKING_IN_COMPLETION: the side's FUSE opcode; else 0 */
	char comm[FL_COMM_LEN];
	__u64 stack[FL_STACK_DEPTH];	/* kernel ips, symbolized by userspace, never logged raw */
};

struct fl_violation {
	__u64 ts;		/* detection time */
	__u64 ino;
	__u32 dev;		/* kernel dev_t: major << 20 | minor */
	__u16 kind;		/* enum fl_violation_kind */
	__u16 flags;		/* FL_F_* of the inode */
	__u32 seq;		/* how many of this key were seen, this one included */
	__u32 pad;
	/* UNBROKEN_LAYOUT: the bytes the op's layout breaks covered, [start, end); empty: none */
	__u64 layout_start;
	__u64 layout_end;
	/* BLOCKING_IN_COMPLETION: the completed request's args->end (kernel address), or 0 */
	__u64 callback;
	/*
	 * valid for RACE and UNSERIALIZED_FAULT; for BLOCKING_IN_COMPLETION the
	 * completion (its stack when it began), logged as "completion"
	 */
	struct fl_side fault;
	/*
	 * valid for every kind but UNSERIALIZED_FAULT; for BLOCKING_IN_COMPLETION
	 * the blocking send, logged as "send"
	 */
	struct fl_side op;
};

struct fl_event {
	__u64 ts;
	__u64 ino;
	__u64 start;		/* byte range, as in fl_side */
	__u64 end;
	__u64 size;		/* i_size at the event */
	__u32 dev;
	__u32 pid;
	__u32 tid;
	__u16 kind;		/* enum fl_event_kind */
	__u16 hook;		/* enum fl_hook */
	__u8 op;		/* enum fl_op */
	__u8 lock;		/* enum fl_lock */
	__u16 flags;		/* FL_F_* */
	__s32 ret;		/* return value on *_END, 0 otherwise */
	char comm[FL_COMM_LEN];
};

/* Key of the per-key violation counts (map "vio_counts"). */
struct fl_vio_key {
	__u64 ino;
	__u32 dev;
	__u16 kind;
	__u16 hook;		/* fault hook for faults and races, teardown hook otherwise */
};

/* Key of per-inode state (map "inodes"). */
struct fl_inode_key {
	__u64 ino;
	__u32 dev;
	__u32 pad;
};

/* How many full records one fl_vio_key may emit before it is only counted. */
#define FL_VIOLATION_BURST	4

#endif /* FAULTLINE_ABI_H */
