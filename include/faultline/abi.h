/* SPDX-License-Identifier: GPL-2.0 */
/*
 * faultline event ABI: the records the BPF programs put in the ring buffers and
 * the maps userspace reads. Compiled into the BPF object and into the host tools
 * and tests, so there is exactly one definition of every layout and number.
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

/*
 * Hooks: the logical places faultline observes. Each is attached in one mode
 * chosen at load time (see enum fl_mode); the BPF object carries a program per
 * hook and mode, userspace turns off the ones it does not use.
 */
enum fl_hook {
	/* fault side, inside dax_iomap_fault with the fs lock already taken */
	FL_HOOK_DAX_PTE_FAULT,
	FL_HOOK_DAX_PMD_FAULT,
	/* fault side, FUSE entry points (name the fault; lock not yet taken) */
	FL_HOOK_FUSE_DAX_FAULT,
	FL_HOOK_FUSE_DAX_HUGE_FAULT,
	FL_HOOK_FUSE_DAX_PAGE_MKWRITE,
	FL_HOOK_FUSE_DAX_PFN_MKWRITE,
	/* shrinking operations, FUSE functions (interval of the operation) */
	FL_HOOK_FUSE_DO_SETATTR,
	FL_HOOK_FUSE_FILE_FALLOCATE,
	FL_HOOK_FUSE_OPEN,
	/* teardown points: where mappings are torn down, lock must be exclusive */
	FL_HOOK_FUSE_DAX_BREAK_LAYOUTS,
	FL_HOOK_TRUNCATE_PAGECACHE,
	FL_HOOK_TRUNCATE_PAGECACHE_RANGE,
	FL_HOOK_FUSE_DAX_RECLAIM,
	/* FUSE request tracepoint (6.15+): a point inside setattr/fallocate/open */
	FL_HOOK_FUSE_REQUEST,
	/* shrinking operations, syscall tracepoints (interval of the syscall) */
	FL_HOOK_SYS_TRUNCATE,
	FL_HOOK_SYS_FTRUNCATE,
	FL_HOOK_SYS_FALLOCATE,
	FL_HOOK_SYS_OPEN,
	FL_HOOK_SYS_OPENAT,
	FL_HOOK__COUNT
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
	FL_OP_RECLAIM,		/* DAX range reclaim (I4) */
	FL_OP__COUNT
};

/*
 * State of the inode's fault lock at the moment a hook read it, decoded from
 * the rw_semaphore (see rules.h fl_rwsem_decode()).
 */
enum fl_lock {
	FL_LOCK_UNKNOWN,	/* not readable: no lock for this fs/kernel, PREEMPT_RT, no inode */
	FL_LOCK_NONE,		/* nobody holds it */
	FL_LOCK_SHARED,		/* readers hold it; the last reader recorded is another task */
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

enum fl_violation_kind {
	FL_VIO_RACE,			/* I3: fault and teardown overlapped in time and pages */
	FL_VIO_UNSERIALIZED_FAULT,	/* I1: DAX fault without the lock held */
	FL_VIO_UNSERIALIZED_TRUNCATE,	/* I2: teardown without the lock held exclusive */
	FL_VIO_UNSERIALIZED_RECLAIM,	/* I4: range reclaim without the lock held exclusive */
	FL_VIO__COUNT
};

enum fl_event_kind {
	FL_EV_FAULT_BEGIN,
	FL_EV_FAULT_END,
	FL_EV_OP_BEGIN,
	FL_EV_OP_END,
	FL_EV_TEARDOWN,		/* a teardown point inside an operation */
	FL_EV__COUNT
};

/* Record flags */
#define FL_F_FUSE		(1U << 0)	/* inode is on a FUSE superblock */
#define FL_F_DAX		(1U << 1)	/* IS_DAX(inode) */
#define FL_F_WRITE		(1U << 2)	/* write fault */
#define FL_F_INODE_KNOWN	(1U << 3)	/* dev/ino are valid */
#define FL_F_SYSCALL_ONLY	(1U << 4)	/* op interval is the syscall's, not the teardown's */
#define FL_F_INFLIGHT		(1U << 5)	/* op had not ended when the record was made */

/* Counters (struct fl_stats), summed over CPUs by userspace into the trailer. */
enum fl_counter {
	FL_CTR_HOOK_HITS,	/* every program invocation */
	FL_CTR_FAULTS,		/* DAX faults on tracked inodes */
	FL_CTR_OPS,		/* shrinking operations on tracked inodes */
	FL_CTR_TEARDOWNS,	/* teardown points on tracked inodes */
	FL_CTR_EVENTS,		/* events exported */
	FL_CTR_EVENTS_LOST,	/* event ring buffer full */
	FL_CTR_VIOLATIONS,	/* violations detected (emitted + suppressed + lost) */
	FL_CTR_VIOLATIONS_SUPPRESSED,	/* repeats counted per key, not emitted in full */
	FL_CTR_VIOLATIONS_LOST,	/* violation ring buffer full: evidence lost */
	FL_CTR_MAP_FULL,	/* in-flight state could not be stored: evidence lost */
	FL_CTR_FILTERED_NOT_FUSE,
	FL_CTR_FILTERED_NOT_DAX,
	FL_CTR_LOCK_UNKNOWN,	/* lock state unreadable where a rule needed it */
	FL_CTR_UNMATCHED_END,	/* an end without its begin (attached mid-flight) */
	FL_CTR_OPS_INODE_UNKNOWN,	/* shrinking ops whose inode no hook could name */
	FL_CTR__COUNT
};

/* Per-CPU statistics (map "stats", one element), summed by userspace. */
struct fl_stats {
	__u64 ctr[FL_CTR__COUNT];
	__u64 hook[FL_HOOK__COUNT];	/* program invocations per hook */
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
	__u32 pad;
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
	struct fl_side fault;	/* valid for RACE and UNSERIALIZED_FAULT */
	struct fl_side op;	/* valid for RACE and UNSERIALIZED_{TRUNCATE,RECLAIM} */
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

/* Events one run of the export benchmark program emits. */
#define FL_BENCH_BATCH		32

/* How many full records one fl_vio_key may emit before it is only counted. */
#define FL_VIOLATION_BURST	4

#endif /* FAULTLINE_ABI_H */
