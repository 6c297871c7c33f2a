/* SPDX-License-Identifier: GPL-2.0 */
/*
 * faultline's violation rules as pure functions. The BPF programs call them to
 * decide in the kernel; the host unit tests call the very same code. Nothing
 * here may loop without a fixed bound or touch memory other than its arguments.
 */
#ifndef FAULTLINE_RULES_H
#define FAULTLINE_RULES_H

#include "abi.h"

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

/* rw_semaphore.count and .owner bits (kernel/locking/rwsem.c, 5.3+) */
#define FL_RWSEM_WRITER_LOCKED	(1ULL << 0)
#define FL_RWSEM_READER_SHIFT	8
#define FL_RWSEM_READ_FAILED	(1ULL << 63)
#define FL_RWSEM_READER_MASK	(~((1ULL << FL_RWSEM_READER_SHIFT) - 1) & ~FL_RWSEM_READ_FAILED)
#define FL_RWSEM_READER_OWNED	(1ULL << 0)
/* owner's low bits are flags; task_struct is at least 64-byte aligned */
#define FL_RWSEM_OWNER_FLAGS	7ULL

/*
 * PREEMPT_RT: an rw_semaphore is an rwbase_rt (include/linux/rwbase_rt.h,
 * kernel/locking/rwbase_rt.c): atomic_t readers plus an rt_mutex the writer
 * owns. readers == READER_BIAS: free; above it: held by (readers - READER_BIAS)
 * readers; WRITER_BIAS: write-held; below WRITER_BIAS: a writer holds the
 * rt_mutex and waits for that many readers, who still hold the lock. The
 * rt_mutex owner's bit 0 is RT_MUTEX_HAS_WAITERS.
 */
#define FL_RWBASE_READER_BIAS	(1U << 31)
#define FL_RWBASE_WRITER_BIAS	(1U << 30)

/* kernel dev_t (MINORBITS 20) */
#define FL_DEV_MAJOR(dev)	((__u32)(dev) >> 20)
#define FL_DEV_MINOR(dev)	((__u32)(dev) & 0xfffff)

/* fallocate(2) mode bits (include/uapi/linux/falloc.h) */
#define FL_FALLOC_KEEP_SIZE	0x01
#define FL_FALLOC_PUNCH_HOLE	0x02
#define FL_FALLOC_COLLAPSE	0x08
#define FL_FALLOC_ZERO_RANGE	0x10
#define FL_FALLOC_INSERT	0x20

enum fl_verdict {
	FL_OK,
	FL_BAD,
	FL_UNKNOWN,
};

/* Lock states that prove nothing either way (for the evidence counters). */
static __always_inline int fl_lock_known(enum fl_lock lock)
{
	return lock != FL_LOCK_UNKNOWN;
}

/*
 * Decode an rw_semaphore into who holds it, as seen by task @self.
 * A writer bit wins over a reader count: a reader that lost the race with a
 * writer still has its bias in count until it backs out.
 */
static __always_inline enum fl_lock fl_rwsem_decode(__u64 count, __u64 owner, __u64 self)
{
	__u64 task = owner & ~FL_RWSEM_OWNER_FLAGS;

	if (count & FL_RWSEM_WRITER_LOCKED)
		return task == self ? FL_LOCK_EXCL_SELF : FL_LOCK_EXCL_OTHER;
	if (count & FL_RWSEM_READER_MASK) {
		if ((owner & FL_RWSEM_READER_OWNED) && task == self)
			return FL_LOCK_SHARED_SELF;
		return FL_LOCK_SHARED;
	}
	return FL_LOCK_NONE;
}

/*
 * The same for a PREEMPT_RT rw_semaphore (@readers, the rt_mutex's @owner).
 * Readers are not tracked by task there, so a read-held lock is FL_LOCK_SHARED
 * whoever reads it.
 */
static __always_inline enum fl_lock fl_rwbase_decode(__u32 readers, __u64 owner, __u64 self)
{
	__u64 task = owner & ~FL_RWSEM_OWNER_FLAGS;

	if (readers == FL_RWBASE_READER_BIAS)
		return FL_LOCK_NONE;
	if (readers > FL_RWBASE_READER_BIAS)
		return FL_LOCK_SHARED;
	/* 0: the writer saw the last reader leave and is setting WRITER_BIAS */
	if (readers == FL_RWBASE_WRITER_BIAS || readers == 0) {
		if (!task)
			return FL_LOCK_UNKNOWN;
		return task == self ? FL_LOCK_EXCL_SELF : FL_LOCK_EXCL_OTHER;
	}
	if (readers < FL_RWBASE_WRITER_BIAS)
		return FL_LOCK_SHARED;	/* a writer waits for these readers */
	return FL_LOCK_UNKNOWN;		/* between the biases: no state rwbase_rt makes */
}

/*
 * I1: a DAX fault must run with the lock held shared or exclusive. Readers we
 * cannot attribute (FL_LOCK_SHARED) count as held: the fault path takes the
 * lock before the hook fires, so the only way to see readers without being
 * one is another reader overlapping ours, which is legal.
 */
static __always_inline enum fl_verdict fl_fault_lock_verdict(enum fl_lock lock)
{
	switch (lock) {
	case FL_LOCK_SHARED:
	case FL_LOCK_SHARED_SELF:
	case FL_LOCK_EXCL_SELF:
		return FL_OK;
	case FL_LOCK_NONE:
	case FL_LOCK_EXCL_OTHER:
		return FL_BAD;
	default:
		return FL_UNKNOWN;
	}
}

/* I2/I4: a teardown must hold the lock exclusive itself. */
static __always_inline enum fl_verdict fl_teardown_lock_verdict(enum fl_lock lock)
{
	switch (lock) {
	case FL_LOCK_EXCL_SELF:
		return FL_OK;
	case FL_LOCK_NONE:
	case FL_LOCK_SHARED:
	case FL_LOCK_SHARED_SELF:
	case FL_LOCK_EXCL_OTHER:
		return FL_BAD;
	default:
		return FL_UNKNOWN;
	}
}

/* loff_t's largest value: a file offset or length beyond it is a negative loff_t */
#define FL_OFF_MAX		((1ULL << 63) - 1)

/* a + b as an end of range: past FL_OFF_MAX it can only mean "to end of file" */
static __always_inline __u64 fl_add_sat(__u64 a, __u64 b)
{
	return a + b < a || a + b > FL_OFF_MAX ? FL_EOF : a + b;
}

/* Half-open byte ranges overlap at page granularity; empty ranges never do. */
static __always_inline int fl_pages_overlap(__u64 a_start, __u64 a_end,
					    __u64 b_start, __u64 b_end)
{
	__u64 a_first, a_last, b_first, b_last;

	if (a_start >= a_end || b_start >= b_end)
		return 0;
	a_first = a_start >> FL_PAGE_SHIFT;
	b_first = b_start >> FL_PAGE_SHIFT;
	a_last = a_end == FL_EOF ? FL_EOF : (a_end - 1) >> FL_PAGE_SHIFT;
	b_last = b_end == FL_EOF ? FL_EOF : (b_end - 1) >> FL_PAGE_SHIFT;
	return a_first <= b_last && b_first <= a_last;
}

/* Time intervals [begin, end); end 0 means still in flight. */
static __always_inline int fl_times_overlap(__u64 a_begin, __u64 a_end,
					    __u64 b_begin, __u64 b_end)
{
	int a_before_b_ends = b_end == 0 || a_begin < b_end;
	int b_before_a_ends = a_end == 0 || b_begin < a_end;

	return a_before_b_ends && b_before_a_ends;
}

/* Bytes a DAX fault of 2^order pages at page offset @pgoff maps. */
static __always_inline void fl_fault_range(__u64 pgoff, __u32 order,
					   __u64 *start, __u64 *end)
{
	__u64 first = pgoff & ~((1ULL << (order & 31)) - 1);

	*start = first << FL_PAGE_SHIFT;
	*end = (first + (1ULL << (order & 31))) << FL_PAGE_SHIFT;
}

/* Which operation a fallocate(2) mode is. */
static __always_inline enum fl_op fl_fallocate_op(__u32 mode)
{
	if (mode & FL_FALLOC_PUNCH_HOLE)
		return FL_OP_PUNCH_HOLE;
	if (mode & FL_FALLOC_ZERO_RANGE)
		return FL_OP_ZERO_RANGE;
	if (mode & (FL_FALLOC_COLLAPSE | FL_FALLOC_INSERT))
		return FL_OP_COLLAPSE_RANGE;
	return FL_OP_FALLOCATE;
}

/*
 * Does fuse_file_fallocate() block DAX faults for @mode: take the fault lock
 * exclusive and break every layout of the file before its FUSE_FALLOCATE
 * request? Its block_faults: a mode that changes the size, punches a hole or
 * zeroes a range does (5.10: !(mode & FALLOC_FL_KEEP_SIZE) ||
 * (mode & FALLOC_FL_PUNCH_HOLE), zero range being -EOPNOTSUPP before any
 * request; 6.x and 7.x add FALLOC_FL_ZERO_RANGE). An allocation that keeps the
 * size takes no lock and removes no page, by design: not a teardown.
 */
static __always_inline int fl_fuse_fallocate_blocks_faults(__u32 mode)
{
	return !(mode & FL_FALLOC_KEEP_SIZE) ||
	       (mode & (FL_FALLOC_PUNCH_HOLE | FL_FALLOC_ZERO_RANGE));
}

/*
 * The byte range an operation tears down.
 *   truncate: @a is the new size, @old_size the size before (FL_EOF if unknown,
 *             which counts as shrinking); everything from the new size on.
 *   punch hole, zero range: @a offset, @b length.
 *   collapse/insert range: from @a to the end of the file.
 *   O_TRUNC: the whole file.
 *   reclaim: [@a, @b).
 * Growing truncates and plain allocations tear nothing down: empty range.
 * So do negative offsets and lengths (raw syscall arguments, seen before the
 * kernel checks them): the syscall fails with EINVAL before touching a page.
 */
static __always_inline void fl_op_range(enum fl_op op, __u64 a, __u64 b, __u64 old_size,
					__u64 *start, __u64 *end)
{
	if (a > FL_OFF_MAX || (b > FL_OFF_MAX && op != FL_OP_RECLAIM)) {
		*start = 0;
		*end = 0;
		return;
	}
	switch (op) {
	case FL_OP_TRUNCATE:
		*start = a;
		*end = a < old_size ? FL_EOF : a;
		break;
	case FL_OP_PUNCH_HOLE:
	case FL_OP_ZERO_RANGE:
		*start = a;
		*end = fl_add_sat(a, b);
		break;
	case FL_OP_COLLAPSE_RANGE:
		*start = a;
		*end = FL_EOF;
		break;
	case FL_OP_OTRUNC:
		*start = 0;
		*end = FL_EOF;
		break;
	case FL_OP_RECLAIM:
		*start = a;
		*end = b;
		break;
	default:
		*start = 0;
		*end = 0;
		break;
	}
}

/* Does this operation tear anything down, and so need the lock exclusive (I2)? */
static __always_inline int fl_op_tears_down(__u64 start, __u64 end)
{
	return start < end;
}

/*
 * I2 asks a teardown to hold the lock so that no fault maps what it removes.
 * A DAX inode of size 0 that no VMA maps has nothing to remove and no fault
 * in flight: a fault runs on a VMA, which stays in the mapping's i_mmap tree
 * while it does, and a new one faults past EOF (SIGBUS). That is the
 * truncate_pagecache(inode, 0) of fuse_create_open() (O_CREAT|O_TRUNC with
 * atomic_o_trunc) on a file it just created: nothing to serialize. The same
 * call on an inode some VMA maps (FUSE_CREATE answered with an inode this
 * kernel has cached and mapped under another name) is not exempt.
 */
static __always_inline int fl_teardown_can_unmap(__u64 size, int mapped)
{
	return size || mapped;
}

/*
 * The same for where a teardown starts: a FUSE DAX file is mapped only through
 * the DAX window ranges it holds, so a teardown from @start at or past the end
 * of the last of them (@mapped_end, FL_EOF when unknown) removes nothing. That
 * is fuse_change_attributes_i() growing a file (truncate_pagecache() to the
 * new, larger size, when a reply reports one): no lock is needed, and none is
 * taken.
 */
static __always_inline int fl_teardown_reaches(__u64 start, __u64 mapped_end)
{
	return start < mapped_end;
}

static __always_inline enum fl_violation_kind fl_teardown_violation(enum fl_op op)
{
	return op == FL_OP_RECLAIM ? FL_VIO_UNSERIALIZED_RECLAIM : FL_VIO_UNSERIALIZED_TRUNCATE;
}

/*
 * I3, observed: a fault and a teardown on one inode overlapped in pages and in
 * time. Intervals from hooks are wider than the critical sections they bound
 * (an fexit fires after the unlock), so an overlap is only a race when at least
 * one side did not hold the lock as it must: with both sides locked, the lock
 * itself proves the critical sections were disjoint.
 */
static __always_inline int fl_is_race(const struct fl_side *fault, const struct fl_side *op)
{
	if (!fl_times_overlap(fault->ts_begin, fault->ts_end, op->ts_begin, op->ts_end))
		return 0;
	if (!fl_pages_overlap(fault->start, fault->end, op->start, op->end))
		return 0;
	return fl_fault_lock_verdict((enum fl_lock)fault->lock) == FL_BAD ||
	       fl_teardown_lock_verdict((enum fl_lock)op->lock) == FL_BAD;
}

/*
 * The bytes a layout break covers: dax_layout_busy_page_range(mapping, start,
 * end) and dax_break_layout(inode, start, end, cb) scan the pages from
 * start >> PAGE_SHIFT to end >> PAGE_SHIFT, both included; end LLONG_MAX, or
 * any negative end (callers pass -1 for "the whole file"), means to the end of
 * the file. The seed's callers passed (0, 0): page 0 only.
 */
static __always_inline void fl_layout_range(__u64 start, __u64 end, __u64 *bs, __u64 *be)
{
	if (start > FL_OFF_MAX)
		start = 0;
	*bs = (start >> FL_PAGE_SHIFT) << FL_PAGE_SHIFT;
	if (end >= FL_OFF_MAX)	/* LLONG_MAX, or negative as a loff_t */
		*be = FL_EOF;
	else
		*be = ((end >> FL_PAGE_SHIFT) + 1) << FL_PAGE_SHIFT;
}

/* Union of two byte ranges into the first (empty ranges add nothing). */
static __always_inline void fl_range_union(__u64 *s, __u64 *e, __u64 s2, __u64 e2)
{
	if (s2 >= e2)
		return;
	if (*s >= *e) {
		*s = s2;
		*e = e2;
		return;
	}
	if (s2 < *s)
		*s = s2;
	if (e2 > *e)
		*e = e2;
}

/*
 * What a teardown point removes: the pages of [@start, @end) below the size
 * the file had before the operation (@size_before, FL_EOF if unknown). Sets
 * @exact to whether the end is known (an unknown size leaves a truncate's end open).
 */
static __always_inline void fl_removal(__u64 start, __u64 end, __u64 size_before,
				       __u64 *rs, __u64 *re, int *exact)
{
	*rs = start;
	*re = end < size_before ? end : size_before;
	*exact = size_before != FL_EOF || end != FL_EOF;
}

/*
 * I5: before an operation removes pages of a DAX inode, its layout breaks
 * (taken with the lock held exclusive) must have covered every one of them,
 * at page granularity. [@bs, @be) is the union of those breaks (empty: none),
 * [@rs, @re) the removal. Nothing removed is nothing to check (FL_OK). A
 * removal whose end is not @exact and that the breaks do not cover to the end
 * of the file cannot be judged (FL_UNKNOWN).
 */
static __always_inline enum fl_verdict fl_layout_verdict(__u64 bs, __u64 be, __u64 rs, __u64 re,
							 int exact)
{
	__u64 r_first, r_last, b_first, b_last;

	if (rs >= re)
		return FL_OK;
	r_first = rs >> FL_PAGE_SHIFT;
	r_last = re == FL_EOF ? FL_EOF : (re - 1) >> FL_PAGE_SHIFT;
	if (bs < be) {
		b_first = bs >> FL_PAGE_SHIFT;
		b_last = be == FL_EOF ? FL_EOF : (be - 1) >> FL_PAGE_SHIFT;
		if (b_first <= r_first && r_last <= b_last)
			return FL_OK;
	}
	return exact ? FL_BAD : FL_UNKNOWN;
}

/*
 * I6: a FUSE request that waits for its answer (__fuse_simple_request(), or
 * fuse_simple_request() up to 6.1) must not be sent from within another
 * request's completion (fuse_request_end() -> args->end, e.g.
 * fuse_release_end() -> iput() -> evict -> fuse_dax_inode_cleanup() ->
 * FUSE_REMOVEMAPPING): the task completing requests would wait for an answer
 * only it can deliver (virtio-fs's completion worker; a /dev/fuse server's
 * reply write(2)). Fixed upstream by 42fbb31310b2 "fuse: mark DAX inode
 * releases as blocking", which marks such a request args->may_block: virtio-fs
 * then completes it in a work item of its own, where waiting is allowed.
 *
 * Per task: @depth completions it is inside (nested completions counted), and
 * @hard one bit per level (bit 0 the outermost) whose completed request was
 * not marked may_block. Levels beyond FL_COMPLETION_LEVELS count as not marked.
 */
#define FL_COMPLETION_LEVELS	8

static __always_inline enum fl_verdict fl_send_verdict(__u32 depth, __u32 hard)
{
	if (!depth)
		return FL_OK;
	if (depth > FL_COMPLETION_LEVELS)
		return FL_BAD;
	return hard & ((1U << depth) - 1) ? FL_BAD : FL_OK;
}

/* Mark level @level (0: the outermost completion) marked may_block or not in @hard. */
static __always_inline __u32 fl_completion_level(__u32 hard, __u32 level, int may_block)
{
	if (level >= FL_COMPLETION_LEVELS)
		return hard;
	return may_block ? hard & ~(1U << level) : hard | (1U << level);
}

/*
 * Early filter: which counter says why an inode is dropped, FL_CTR__COUNT to
 * keep it. Inodes that are neither FUSE nor DAX are never of interest; the
 * options narrow further to FUSE-only or DAX-only.
 */
static __always_inline enum fl_counter fl_filter(__u32 flags, int want_fuse, int want_dax)
{
	if (!(flags & (FL_F_FUSE | FL_F_DAX)))
		return FL_CTR_FILTERED_NOT_FUSE;	/* and not DAX either */
	if (want_fuse && !(flags & FL_F_FUSE))
		return FL_CTR_FILTERED_NOT_FUSE;
	if (want_dax && !(flags & FL_F_DAX))
		return FL_CTR_FILTERED_NOT_DAX;
	return FL_CTR__COUNT;
}

/* Which inodes the invariants apply to: DAX inodes (I1-I5 are about DAX; I6 is not per inode). */
static __always_inline int fl_invariants_apply(__u32 flags)
{
	return (flags & FL_F_DAX) != 0;
}

#endif /* FAULTLINE_RULES_H */
