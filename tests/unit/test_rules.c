// SPDX-License-Identifier: GPL-2.0
/* The violation rules, exactly as the BPF programs compile them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "faultline/rules.h"

#define SELF 0xffff888012345600ULL
#define OTHER 0xffff888098765400ULL

static void rwsem_free(void **state)
{
	assert_int_equal(fl_rwsem_decode(0, 0, SELF), FL_LOCK_NONE);
	/* a stale last-reader owner with no count is still free */
	assert_int_equal(fl_rwsem_decode(0, SELF | FL_RWSEM_READER_OWNED, SELF), FL_LOCK_NONE);
	/* waiters/handoff flags alone do not hold it */
	assert_int_equal(fl_rwsem_decode(0x6, 0, SELF), FL_LOCK_NONE);
}

static void rwsem_writer(void **state)
{
	assert_int_equal(fl_rwsem_decode(FL_RWSEM_WRITER_LOCKED, SELF, SELF), FL_LOCK_EXCL_SELF);
	assert_int_equal(fl_rwsem_decode(FL_RWSEM_WRITER_LOCKED, OTHER, SELF), FL_LOCK_EXCL_OTHER);
	/* owner flag bits are masked off */
	assert_int_equal(fl_rwsem_decode(FL_RWSEM_WRITER_LOCKED | 0x2, SELF | 0x2, SELF),
			 FL_LOCK_EXCL_SELF);
	/* a reader's transient bias does not hide the writer */
	assert_int_equal(fl_rwsem_decode(FL_RWSEM_WRITER_LOCKED | (1ULL << 8), OTHER, SELF),
			 FL_LOCK_EXCL_OTHER);
}

static void rwsem_readers(void **state)
{
	uint64_t one = 1ULL << FL_RWSEM_READER_SHIFT;

	assert_int_equal(fl_rwsem_decode(one, SELF | FL_RWSEM_READER_OWNED, SELF),
			 FL_LOCK_SHARED_SELF);
	assert_int_equal(fl_rwsem_decode(3 * one, OTHER | FL_RWSEM_READER_OWNED, SELF),
			 FL_LOCK_SHARED);
	/* READ_FAILED alone is not a reader */
	assert_int_equal(fl_rwsem_decode(FL_RWSEM_READ_FAILED, 0, SELF), FL_LOCK_NONE);
}

static void verdicts(void **state)
{
	static const struct {
		enum fl_lock lock;
		enum fl_verdict fault, teardown;	/* I1, I2/I4 */
	} rows[] = {
		{ FL_LOCK_SHARED_SELF, FL_OK, FL_BAD },
		{ FL_LOCK_SHARED, FL_OK, FL_BAD },
		{ FL_LOCK_EXCL_SELF, FL_OK, FL_OK },
		{ FL_LOCK_NONE, FL_BAD, FL_BAD },
		{ FL_LOCK_EXCL_OTHER, FL_BAD, FL_BAD },
		{ FL_LOCK_UNKNOWN, FL_UNKNOWN, FL_UNKNOWN },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(fl_fault_lock_verdict(rows[i].lock), rows[i].fault);
		assert_int_equal(fl_teardown_lock_verdict(rows[i].lock), rows[i].teardown);
	}
}

static void page_overlap(void **state)
{
	/* same page, different bytes: a punch of bytes 100-200 zeroes page 0 */
	assert_true(fl_pages_overlap(0, 4096, 100, 200));
	/* adjacent pages do not overlap */
	assert_false(fl_pages_overlap(0, 4096, 4096, 8192));
	assert_true(fl_pages_overlap(4095, 4097, 4096, 8192));
	/* to end of file */
	assert_true(fl_pages_overlap(1ULL << 40, (1ULL << 40) + 4096, 8192, FL_EOF));
	assert_false(fl_pages_overlap(0, 4096, 8192, FL_EOF));
	/* empty ranges never overlap */
	assert_false(fl_pages_overlap(4096, 4096, 0, FL_EOF));
	assert_false(fl_pages_overlap(0, FL_EOF, 100, 100));
}

static void time_overlap(void **state)
{
	assert_true(fl_times_overlap(10, 20, 15, 25));
	assert_false(fl_times_overlap(10, 20, 20, 30));	/* half-open */
	assert_false(fl_times_overlap(30, 40, 10, 20));
	assert_true(fl_times_overlap(10, 0, 5, 11));		/* a in flight */
	assert_true(fl_times_overlap(10, 20, 15, 0));		/* b in flight */
	assert_false(fl_times_overlap(25, 30, 10, 20));
	assert_true(fl_times_overlap(10, 0, 20, 0));
}

static void ranges(void **state)
{
	__u64 s, e;

	fl_fault_range(5, 0, &s, &e);
	assert_int_equal(s, 5 * 4096);
	assert_int_equal(e, 6 * 4096);
	fl_fault_range(513, 9, &s, &e);		/* a PMD fault maps its 2 MiB */
	assert_int_equal(s, 512 * 4096ULL);
	assert_int_equal(e, 1024 * 4096ULL);

	fl_op_range(FL_OP_TRUNCATE, 8192, 0, 65536, &s, &e);
	assert_int_equal(s, 8192);
	assert_int_equal(e, FL_EOF);
	fl_op_range(FL_OP_TRUNCATE, 65536, 0, 8192, &s, &e);	/* growing: nothing torn down */
	assert_false(fl_op_tears_down(s, e));
	fl_op_range(FL_OP_TRUNCATE, 8192, 0, FL_EOF, &s, &e);	/* old size unknown: shrinking */
	assert_true(fl_op_tears_down(s, e));
	fl_op_range(FL_OP_PUNCH_HOLE, 4096, 8192, 0, &s, &e);
	assert_int_equal(s, 4096);
	assert_int_equal(e, 12288);
	fl_op_range(FL_OP_ZERO_RANGE, FL_OFF_MAX - 10, 100, 0, &s, &e);	/* saturates */
	assert_int_equal(s, FL_OFF_MAX - 10);
	assert_int_equal(e, FL_EOF);
	/* negative loff_t from raw syscall arguments: EINVAL, nothing torn down */
	fl_op_range(FL_OP_TRUNCATE, (__u64)-1, 0, 65536, &s, &e);
	assert_false(fl_op_tears_down(s, e));
	assert_true(s <= FL_OFF_MAX && e <= FL_OFF_MAX);
	fl_op_range(FL_OP_PUNCH_HOLE, 4096, (__u64)-4096, 0, &s, &e);
	assert_false(fl_op_tears_down(s, e));
	fl_op_range(FL_OP_PUNCH_HOLE, (__u64)-8192, 4096, 0, &s, &e);
	assert_false(fl_op_tears_down(s, e));
	assert_int_equal(fl_add_sat(FL_OFF_MAX, 1), FL_EOF);	/* lend LLONG_MAX, inclusive */
	assert_int_equal(fl_add_sat(FL_EOF, 1), FL_EOF);	/* lend -1 */
	fl_op_range(FL_OP_OTRUNC, 123, 456, 789, &s, &e);
	assert_int_equal(s, 0);
	assert_int_equal(e, FL_EOF);
	fl_op_range(FL_OP_FALLOCATE, 0, 1 << 20, 0, &s, &e);
	assert_false(fl_op_tears_down(s, e));
	fl_op_range(FL_OP_COLLAPSE_RANGE, 4096, 4096, 0, &s, &e);
	assert_int_equal(e, FL_EOF);
	fl_op_range(FL_OP_RECLAIM, 2 << 20, 4 << 20, 0, &s, &e);
	assert_int_equal(s, 2 << 20);
	assert_int_equal(e, 4 << 20);
}

static void fallocate_ops(void **state)
{
	assert_int_equal(fl_fallocate_op(FL_FALLOC_PUNCH_HOLE | FL_FALLOC_KEEP_SIZE),
			 FL_OP_PUNCH_HOLE);
	assert_int_equal(fl_fallocate_op(FL_FALLOC_ZERO_RANGE), FL_OP_ZERO_RANGE);
	assert_int_equal(fl_fallocate_op(FL_FALLOC_ZERO_RANGE | FL_FALLOC_KEEP_SIZE),
			 FL_OP_ZERO_RANGE);
	assert_int_equal(fl_fallocate_op(FL_FALLOC_COLLAPSE), FL_OP_COLLAPSE_RANGE);
	assert_int_equal(fl_fallocate_op(FL_FALLOC_INSERT), FL_OP_COLLAPSE_RANGE);
	assert_int_equal(fl_fallocate_op(0), FL_OP_FALLOCATE);
	assert_int_equal(fl_fallocate_op(FL_FALLOC_KEEP_SIZE), FL_OP_FALLOCATE);
}

/* A teardown that can unmap nothing needs no lock: an empty inode that no VMA maps. */
static void teardown_can_unmap(void **state)
{
	assert_false(fl_teardown_can_unmap(0, 0));	/* fuse_create_open() of a new file */
	assert_true(fl_teardown_can_unmap(0, 1));	/* ... of an inode mapped under another name */
	assert_true(fl_teardown_can_unmap(4096, 0));	/* a file with pages: a VMA may come */
	/* where a teardown starts against where the inode's DAX ranges end */
	assert_false(fl_teardown_reaches(4 << 20, 4 << 20));	/* grown to 4 MiB, ranges to 4 MiB */
	assert_false(fl_teardown_reaches(8 << 20, 4 << 20));	/* grown past them */
	assert_false(fl_teardown_reaches(0, 0));		/* nothing mapped at all */
	assert_true(fl_teardown_reaches(0, 2 << 20));		/* shrunk to 0 under a mapped range */
	assert_true(fl_teardown_reaches(4096, 2 << 20));	/* shrunk inside one */
	assert_true(fl_teardown_reaches(1 << 30, FL_EOF));	/* unknown: judged */
	assert_true(fl_teardown_can_unmap(4096, 1));
}

/*
 * fuse_file_fallocate()'s block_faults, every mode combination it lets
 * through: only an allocation that keeps the size takes no lock.
 */
static void fuse_fallocate_blocks(void **state)
{
	static const struct {
		__u32 mode;
		int blocks;
	} cases[] = {
		{ 0, 1 },				/* allocate, may grow the file */
		{ FL_FALLOC_KEEP_SIZE, 0 },		/* allocate only: no lock, no page removed */
		{ FL_FALLOC_PUNCH_HOLE | FL_FALLOC_KEEP_SIZE, 1 },
		{ FL_FALLOC_PUNCH_HOLE, 1 },		/* -EOPNOTSUPP in the VFS; blocks all the same */
		{ FL_FALLOC_ZERO_RANGE, 1 },
		{ FL_FALLOC_ZERO_RANGE | FL_FALLOC_KEEP_SIZE, 1 },
		{ FL_FALLOC_ZERO_RANGE | FL_FALLOC_PUNCH_HOLE | FL_FALLOC_KEEP_SIZE, 1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (fl_fuse_fallocate_blocks_faults(cases[i].mode) != cases[i].blocks)
			fail_msg("mode %#x: blocks faults %d, wanted %d", cases[i].mode,
				 fl_fuse_fallocate_blocks_faults(cases[i].mode), cases[i].blocks);
	/* what it tears down agrees: a kept-size allocation removes nothing */
	{
		__u64 s, e;

		fl_op_range(fl_fallocate_op(FL_FALLOC_KEEP_SIZE), 0, 4096, 8192, &s, &e);
		assert_false(fl_op_tears_down(s, e));
	}
	assert_int_equal(fl_teardown_violation(FL_OP_RECLAIM), FL_VIO_UNSERIALIZED_RECLAIM);
	assert_int_equal(fl_teardown_violation(FL_OP_PUNCH_HOLE), FL_VIO_UNSERIALIZED_TRUNCATE);
}

static void side(struct fl_side *s, uint64_t b, uint64_t e, uint64_t start, uint64_t end,
		 enum fl_lock lock)
{
	memset(s, 0, sizeof(*s));
	s->ts_begin = b;
	s->ts_end = e;
	s->start = start;
	s->end = end;
	s->lock = lock;
}

static void races(void **state)
{
	struct fl_side f, o;

	/* both locked: overlapping intervals are an artifact of the hooks, not a race */
	side(&f, 100, 200, 0, 4096, FL_LOCK_SHARED_SELF);
	side(&o, 150, 300, 0, FL_EOF, FL_LOCK_EXCL_SELF);
	assert_false(fl_is_race(&f, &o));
	/* the fault took no lock */
	f.lock = FL_LOCK_NONE;
	assert_true(fl_is_race(&f, &o));
	/* ... but on other pages */
	o.start = 8192;
	assert_false(fl_is_race(&f, &o));
	/* the truncate took no lock, the fault did */
	side(&f, 100, 200, 8192, 12288, FL_LOCK_SHARED);
	side(&o, 150, 0, 4096, FL_EOF, FL_LOCK_NONE);
	assert_true(fl_is_race(&f, &o));
	/* disjoint in time */
	side(&o, 200, 300, 0, FL_EOF, FL_LOCK_NONE);
	assert_false(fl_is_race(&f, &o));
	/* lock unknown on the op side, fault locked: not provable */
	side(&o, 150, 300, 0, FL_EOF, FL_LOCK_UNKNOWN);
	assert_false(fl_is_race(&f, &o));
	/* a growing truncate tears nothing down */
	f.lock = FL_LOCK_NONE;
	side(&o, 150, 300, 65536, 65536, FL_LOCK_NONE);
	assert_false(fl_is_race(&f, &o));
}

static void filter(void **state)
{
	assert_int_equal(fl_filter(FL_F_FUSE, 0, 0), FL_CTR__COUNT);
	assert_int_equal(fl_filter(FL_F_DAX, 0, 0), FL_CTR__COUNT);
	assert_int_equal(fl_filter(0, 0, 0), FL_CTR_FILTERED_NOT_FUSE);
	assert_int_equal(fl_filter(FL_F_DAX, 1, 0), FL_CTR_FILTERED_NOT_FUSE);
	assert_int_equal(fl_filter(FL_F_FUSE, 0, 1), FL_CTR_FILTERED_NOT_DAX);
	assert_int_equal(fl_filter(FL_F_FUSE | FL_F_DAX, 1, 1), FL_CTR__COUNT);
	assert_true(fl_invariants_apply(FL_F_DAX));
	assert_false(fl_invariants_apply(FL_F_FUSE));
}


/* PREEMPT_RT: an rw_semaphore is an rwbase_rt (readers count, rt_mutex owner). */
static void rwbase_rt(void **state)
{
	const uint32_t rb = FL_RWBASE_READER_BIAS, wb = FL_RWBASE_WRITER_BIAS;

	assert_int_equal(fl_rwbase_decode(rb, 0, SELF), FL_LOCK_NONE);
	/* a stale owner with the lock free does not hold it */
	assert_int_equal(fl_rwbase_decode(rb, OTHER, SELF), FL_LOCK_NONE);
	/* readers: not tracked by task on RT, so never "self" */
	assert_int_equal(fl_rwbase_decode(rb + 1, 0, SELF), FL_LOCK_SHARED);
	assert_int_equal(fl_rwbase_decode(rb + 3, SELF, SELF), FL_LOCK_SHARED);
	/* write-held: the writer owns the rt_mutex; bit 0 is RT_MUTEX_HAS_WAITERS */
	assert_int_equal(fl_rwbase_decode(wb, SELF, SELF), FL_LOCK_EXCL_SELF);
	assert_int_equal(fl_rwbase_decode(wb, SELF | 1, SELF), FL_LOCK_EXCL_SELF);
	assert_int_equal(fl_rwbase_decode(wb, OTHER | 1, SELF), FL_LOCK_EXCL_OTHER);
	/* the writer saw the last reader go and is setting WRITER_BIAS */
	assert_int_equal(fl_rwbase_decode(0, OTHER, SELF), FL_LOCK_EXCL_OTHER);
	/* a writer waits for two readers, who still hold it */
	assert_int_equal(fl_rwbase_decode(2, OTHER, SELF), FL_LOCK_SHARED);
	/* write-held with no owner, or between the biases: nothing rwbase_rt makes */
	assert_int_equal(fl_rwbase_decode(wb, 0, SELF), FL_LOCK_UNKNOWN);
	assert_int_equal(fl_rwbase_decode(wb + 5, OTHER, SELF), FL_LOCK_UNKNOWN);
	/* and the rules read it as they read the other layout */
	assert_int_equal(fl_fault_lock_verdict(fl_rwbase_decode(rb + 1, 0, SELF)), FL_OK);
	assert_int_equal(fl_fault_lock_verdict(fl_rwbase_decode(rb, 0, SELF)), FL_BAD);
	assert_int_equal(fl_teardown_lock_verdict(fl_rwbase_decode(wb, SELF, SELF)), FL_OK);
	assert_int_equal(fl_teardown_lock_verdict(fl_rwbase_decode(rb + 1, 0, SELF)), FL_BAD);
}

/* I5: layout breaks must cover every page a teardown removes. */
static void layouts(void **state)
{
	__u64 bs, be, rs, re;
	int exact;

	/* the seed's fuse_dax_break_layouts(inode, 0, 0): page 0 only */
	fl_layout_range(0, 0, &bs, &be);
	assert_int_equal(bs, 0);
	assert_int_equal(be, 4096);
	/* the fix's (0, -1), and LLONG_MAX: the whole file */
	fl_layout_range(0, (uint64_t)-1, &bs, &be);
	assert_true(bs == 0 && be == FL_EOF);
	fl_layout_range(0, FL_OFF_MAX, &bs, &be);
	assert_true(bs == 0 && be == FL_EOF);
	/* a reclaim-sized range: pages of [2 MiB, 4 MiB - 1] */
	fl_layout_range(2 << 20, (4 << 20) - 1, &bs, &be);
	assert_true(bs == 2 << 20 && be == 4 << 20);
	fl_layout_range(5000, 5000, &bs, &be);
	assert_true(bs == 4096 && be == 8192);

	/* truncate to 8 KiB of a 4 MiB file: pages 2.. go */
	fl_removal(8192, FL_EOF, 4 << 20, &rs, &re, &exact);
	assert_true(rs == 8192 && re == 4 << 20 && exact);
	assert_int_equal(fl_layout_verdict(0, 4096, rs, re, exact), FL_BAD);	/* the seed */
	assert_int_equal(fl_layout_verdict(0, FL_EOF, rs, re, exact), FL_OK);	/* the fix */
	assert_int_equal(fl_layout_verdict(0, 0, rs, re, exact), FL_BAD);	/* no break */
	/* a growing truncate removes nothing */
	fl_removal(8 << 20, FL_EOF, 4 << 20, &rs, &re, &exact);
	assert_true(rs >= re);
	assert_int_equal(fl_layout_verdict(0, 0, rs, re, exact), FL_OK);
	/* unknown size before: covered to EOF is fine, anything less cannot be judged */
	fl_removal(8192, FL_EOF, FL_EOF, &rs, &re, &exact);
	assert_false(exact);
	assert_int_equal(fl_layout_verdict(0, FL_EOF, rs, re, exact), FL_OK);
	assert_int_equal(fl_layout_verdict(0, 4096, rs, re, exact), FL_UNKNOWN);
	/* a punch hole knows its end even without the size */
	fl_removal(4096, 3 * 4096, FL_EOF, &rs, &re, &exact);
	assert_true(exact);
	assert_int_equal(fl_layout_verdict(0, 4096, rs, re, exact), FL_BAD);
	assert_int_equal(fl_layout_verdict(4096, 3 * 4096, rs, re, exact), FL_OK);
	/* page granularity: a partial last page counts as that page */
	assert_int_equal(fl_layout_verdict(4096, 8192, 4096, 8000, 1), FL_OK);
	assert_int_equal(fl_layout_verdict(4096, 8192, 4000, 8000, 1), FL_BAD);

	/* unions of breaks */
	bs = be = 0;
	fl_range_union(&bs, &be, 4096, 8192);
	fl_range_union(&bs, &be, 0, 0);			/* empty adds nothing */
	assert_true(bs == 4096 && be == 8192);
	fl_range_union(&bs, &be, 0, 4096);
	assert_true(bs == 0 && be == 8192);
	fl_range_union(&bs, &be, 4096, FL_EOF);
	assert_true(bs == 0 && be == FL_EOF);
}

/* I6: a blocking send from inside a completion that may not block */
static void blocking_in_completion(void **state)
{
	__u32 hard = 0;

	/* outside every completion: nothing to judge */
	assert_int_equal(fl_send_verdict(0, 0), FL_OK);
	assert_int_equal(fl_send_verdict(0, ~0U), FL_OK);
	/* inside one whose request may not block (fuse_release_end -> evict -> REMOVEMAPPING) */
	hard = fl_completion_level(0, 0, 0);
	assert_int_equal(hard, 1);
	assert_int_equal(fl_send_verdict(1, hard), FL_BAD);
	/* a request marked may_block (42fbb31310b2): virtio-fs completes it where it may wait */
	hard = fl_completion_level(0, 0, 1);
	assert_int_equal(fl_send_verdict(1, hard), FL_OK);
	/* nested: a may-block completion inside one that may not is still inside that one */
	hard = fl_completion_level(fl_completion_level(0, 0, 0), 1, 1);
	assert_int_equal(fl_send_verdict(2, hard), FL_BAD);
	/* ... and once the inner one ended, so is the outer */
	assert_int_equal(fl_send_verdict(1, hard), FL_BAD);
	/* the other way round: the outer may block, the inner may not */
	hard = fl_completion_level(fl_completion_level(0, 0, 1), 1, 0);
	assert_int_equal(fl_send_verdict(2, hard), FL_BAD);
	/* the inner ended: only the outer, which may block, is left */
	assert_int_equal(fl_send_verdict(1, hard), FL_OK);
	/* a level reused by a later completion takes that one's mark */
	hard = fl_completion_level(hard, 1, 1);
	assert_int_equal(fl_send_verdict(2, hard), FL_OK);
	/* deeper than the levels kept: counted as not marked */
	assert_int_equal(fl_completion_level(0, FL_COMPLETION_LEVELS, 0), 0);
	assert_int_equal(fl_send_verdict(FL_COMPLETION_LEVELS, 0), FL_OK);
	assert_int_equal(fl_send_verdict(FL_COMPLETION_LEVELS + 1, 0), FL_BAD);
	assert_int_equal(fl_send_verdict(FL_COMPLETION_LEVELS, 1U << (FL_COMPLETION_LEVELS - 1)),
			 FL_BAD);
}

/* I5 at DAX range reclaim: the 2 MiB range freed against the task's last break */
static void reclaim_layout(void **state)
{
	__u64 rs, re, bs, be;

	/* dmap itn.start 3, itn.last 3: the fourth 2 MiB range */
	fl_op_range(FL_OP_RECLAIM, 3ULL << 21, 4ULL << 21, FL_EOF, &rs, &re);
	/* fuse_dax_break_layouts(inode, dmap_start, dmap_start + FUSE_DAX_SZ - 1) */
	fl_layout_range(3ULL << 21, (4ULL << 21) - 1, &bs, &be);
	assert_int_equal(fl_layout_verdict(bs, be, rs, re, 1), FL_OK);
	/* the mutant skips the break: nothing covered */
	assert_int_equal(fl_layout_verdict(0, 0, rs, re, 1), FL_BAD);
	/* a break of another range (the task's last, of an earlier reclaim) does not cover it */
	fl_layout_range(2ULL << 21, (3ULL << 21) - 1, &bs, &be);
	assert_int_equal(fl_layout_verdict(bs, be, rs, re, 1), FL_BAD);
	/* the seed's (0, 0) break: page 0 only */
	fl_layout_range(0, 0, &bs, &be);
	assert_int_equal(fl_layout_verdict(bs, be, rs, re, 1), FL_BAD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rwsem_free),
		cmocka_unit_test(rwsem_writer),
		cmocka_unit_test(rwsem_readers),
		cmocka_unit_test(verdicts),
		cmocka_unit_test(page_overlap),
		cmocka_unit_test(time_overlap),
		cmocka_unit_test(ranges),
		cmocka_unit_test(fallocate_ops),
		cmocka_unit_test(fuse_fallocate_blocks),
		cmocka_unit_test(teardown_can_unmap),
		cmocka_unit_test(races),
		cmocka_unit_test(filter),
		cmocka_unit_test(rwbase_rt),
		cmocka_unit_test(layouts),
		cmocka_unit_test(blocking_in_completion),
		cmocka_unit_test(reclaim_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
