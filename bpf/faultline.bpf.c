// SPDX-License-Identifier: GPL-2.0
/*
 * faultline: watch DAX faults and the operations that tear DAX mappings down,
 * read the inode's fault lock at each, and report violations of I1-I4
 * (SPEC.md) from inside the kernel.
 *
 * Every hook exists here once per attach mode (fentry/fexit, kprobe/kretprobe,
 * tracepoint); userspace turns on one program set per hook. The handlers
 * below the mode wrappers are shared, and the rules they apply live in
 * include/faultline/rules.h, compiled into the host tests too.
 *
 * CO-RE only: layouts that changed across kernels are reached through
 * ___flavor structs and bpf_core_field_exists().
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "faultline/abi.h"
#include "faultline/rules.h"

char LICENSE[] SEC("license") = "GPL";

/* ---- configuration, fixed at load time by userspace ---- */
const volatile bool cfg_want_fuse = false;	/* keep FUSE inodes only */
const volatile bool cfg_want_dax = false;	/* keep DAX inodes only */
const volatile bool cfg_export_events = false;	/* --events */
const volatile __u32 cfg_event_pid = 0;		/* export only this tgid's events */
const volatile __u64 cfg_event_ino = 0;		/* export only this inode's events */
const volatile __u32 cfg_event_dev = 0;
/* FUSE fault entry hooks are attached: label faults with them */
const volatile bool cfg_fault_entry_hooks = false;
/* FUSE kernel without the seed patch: no fault lock exists, FUSE DAX is unserialized */
const volatile bool cfg_fuse_unlocked = false;
/* argument positions that moved between kernels (found in BTF by userspace) */
const volatile __u32 cfg_setattr_dentry_arg = 0;	/* 1 from 6.9: struct iattr * follows */

/* ---- layouts not in every vmlinux.h, or not in this form ---- */
struct address_space___fl {
	struct rw_semaphore invalidate_lock;
} __attribute__((preserve_access_index));

/* 5.10-5.14: the seed patch's lock lives in the fs inode */
struct fuse_inode___v510 {
	struct inode inode;
	struct rw_semaphore i_mmap_sem;
} __attribute__((preserve_access_index));

struct ext4_inode_info___v510 {
	struct rw_semaphore i_mmap_sem;
	struct inode vfs_inode;
} __attribute__((preserve_access_index));

/* vm_fault.flags: enum fault_flag from 5.12, unsigned int before; CO-RE will not match across */
enum fault_flag___fl { FAULT_FLAG_WRITE___fl = 1 };

struct vm_fault___enum_flags {
	enum fault_flag___fl flags;
} __attribute__((preserve_access_index));

struct vm_fault___int_flags {
	unsigned int flags;
} __attribute__((preserve_access_index));

struct interval_tree_node___fl {
	unsigned long start;
	unsigned long last;
} __attribute__((preserve_access_index));

struct fuse_dax_mapping___fl {
	struct inode *inode;
	struct interval_tree_node___fl itn;
} __attribute__((preserve_access_index));

struct fuse_in_header___fl {
	__u32 opcode;
	__u32 pid;
} __attribute__((preserve_access_index));

struct fuse_arg___fl {
	void *value;
} __attribute__((preserve_access_index));

struct fuse_in_arg___fl {
	const void *value;
} __attribute__((preserve_access_index));

struct fuse_args___fl {
	struct fuse_in_arg___fl in_args[3];
	struct fuse_arg___fl out_args[2];
} __attribute__((preserve_access_index));

struct fuse_mount___fl {
	struct super_block *sb;
} __attribute__((preserve_access_index));

struct fuse_req___fl {
	struct fuse_args___fl *args;
	struct {
		struct fuse_in_header___fl h;
	} in;
	struct fuse_mount___fl *fm;
} __attribute__((preserve_access_index));

#define FUSE_DAX_SHIFT		21	/* fs/fuse/dax.c: 2 MiB ranges */
#define FUSE_SETATTR		4
#define FUSE_OPEN		14
#define FUSE_FALLOCATE		43
#define FATTR_SIZE		(1 << 3)
#define ATTR_SIZE		(1 << 3)
#define ATTR_OPEN		(1 << 15)
#define FAULT_FLAG_WRITE	0x01
#define FL_O_TRUNC		01000
/* uapi struct fuse_setattr_in.valid and fuse_attr_out.attr.ino offsets */
#define FUSE_SETATTR_IN_VALID	0
#define FUSE_ATTR_OUT_INO	16

/* ---- maps ---- */
struct fl_fault_state {
	__u64 ts;
	__u64 ino;
	__u64 start;
	__u64 end;
	__u32 dev;
	__u16 hook;
	__u16 entry_hook;
	__u8 lock;
	__u8 pad;
	__u16 flags;
};

/* The operation in flight in one task, from its outermost hook to its end. */
struct fl_op_state {
	struct fl_side side;	/* published to the inode once the inode is known */
	__u64 ino;
	__u64 inode;		/* kernel pointer: read lock state; never exported */
	__u64 arg_a;		/* new size or offset, as the hook saw it */
	__u64 arg_b;		/* length */
	__u64 ts_op_begin;
	__u32 dev;
	__u32 depth;		/* nested begin hooks not yet ended */
	__u8 teardown_seen;	/* side.ts_begin is a teardown point */
	__u8 precise;		/* a function hook refined this op */
	__u8 range_from_teardowns;	/* side's range is the union of its teardowns' */
	__u8 pad;
};

/* Last shrinking operation and last lock-breaking fault seen on an inode. */
struct fl_inode_state {
	struct fl_side op;
	struct fl_side bad_fault;
	__u64 bad_fault_seen;	/* a fault broke I1 here: ops take their stacks from now on */
};

struct fl_race_key {
	__u64 op_ts;
	__u64 fault_ts;
	__u32 fault_tid;
	__u32 op_tid;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fl_stats);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} events SEC(".maps");

/* Violations have a ring of their own so event export can never crowd them out. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} violations SEC(".maps");

/*
 * The fault a task is in, by tid. An entry stays with its task while it
 * lives (ts 0 between faults) and goes when the task exits: a fault then
 * costs two lookups instead of an insert and a delete.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct fl_fault_state);
} faults SEC(".maps");

/* FUSE fault entry point a task is inside (fuse_dax_fault & co) plus one, 0 outside; by tid */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u16);
} fault_entries SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct fl_op_state);
} ops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct fl_inode_key);
	__type(value, struct fl_inode_state);
} inodes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, struct fl_vio_key);
	__type(value, __u64);
} vio_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, struct fl_race_key);
	__type(value, __u8);
} races_seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fl_side);
} scratch_side SEC(".maps");

/* Zeroed templates that per-key state starts from (state_get); never written. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fl_fault_state);
} zero_fault SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fl_inode_state);
} zero_inode SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fl_op_state);
} zero_op SEC(".maps");

/* ---- small helpers ---- */
/*
 * @map's value under @key, first made from @zero_map's zeroed template when
 * there is none (most values are too large for the BPF stack); NULL when
 * @map is full.
 */
static __always_inline void *state_get(void *map, const void *key, void *zero_map)
{
	void *val = bpf_map_lookup_elem(map, key);
	__u32 zero = 0;

	if (val)
		return val;
	val = bpf_map_lookup_elem(zero_map, &zero);
	if (!val || bpf_map_update_elem(map, key, val, BPF_NOEXIST))
		return NULL;
	return bpf_map_lookup_elem(map, key);
}

static __always_inline struct fl_stats *my_stats(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&stats, &zero);
}

static __always_inline void count(enum fl_counter c)
{
	struct fl_stats *st = my_stats();

	if (st && c < FL_CTR__COUNT)
		st->ctr[c]++;
}

/* Count a program invocation; the stats are returned for more counting. */
static __always_inline struct fl_stats *hit(enum fl_hook h)
{
	struct fl_stats *st = my_stats();

	if (st && h < FL_HOOK__COUNT)
		st->hook[h]++;
	return st;
}

static __always_inline __u32 current_tid(void)
{
	return (__u32)bpf_get_current_pid_tgid();
}

static __always_inline __u16 inode_flags(struct inode *inode)
{
	__u16 flags = FL_F_INODE_KNOWN;

	if (BPF_CORE_READ(inode, i_sb, s_magic) == FL_FUSE_SUPER_MAGIC)
		flags |= FL_F_FUSE;
	if (BPF_CORE_READ(inode, i_flags) & FL_S_DAX)
		flags |= FL_F_DAX;
	return flags;
}

/* Keep this inode? Counts why not. */
static __always_inline bool inode_kept(__u16 flags)
{
	enum fl_counter why = fl_filter(flags, cfg_want_fuse, cfg_want_dax);

	if (why == FL_CTR__COUNT)
		return true;
	count(why);
	return false;
}

/* The rw_semaphore that serializes DAX faults with truncation for this inode. */
static __always_inline struct rw_semaphore *fault_lock_of(struct inode *inode, __u16 flags)
{
	if (bpf_core_field_exists(struct address_space___fl, invalidate_lock)) {
		struct address_space___fl *mapping = (void *)BPF_CORE_READ(inode, i_mapping);

		return (void *)mapping +
		       bpf_core_field_offset(struct address_space___fl, invalidate_lock);
	}
	if ((flags & FL_F_FUSE) && bpf_core_field_exists(struct fuse_inode___v510, i_mmap_sem))
		return (void *)inode - bpf_core_field_offset(struct fuse_inode___v510, inode) +
		       bpf_core_field_offset(struct fuse_inode___v510, i_mmap_sem);
	if (!(flags & FL_F_FUSE) && BPF_CORE_READ(inode, i_sb, s_magic) == FL_EXT4_SUPER_MAGIC &&
	    bpf_core_field_exists(struct ext4_inode_info___v510, i_mmap_sem))
		return (void *)inode - bpf_core_field_offset(struct ext4_inode_info___v510, vfs_inode) +
		       bpf_core_field_offset(struct ext4_inode_info___v510, i_mmap_sem);
	return NULL;
}

static __always_inline enum fl_lock lock_state(struct inode *inode, __u16 flags)
{
	struct rw_semaphore *sem;
	__u64 cnt, owner;

	/* PREEMPT_RT's rw_semaphore is an rwbase_rt: no count/owner to decode */
	if (!bpf_core_field_exists(struct rw_semaphore, count))
		return FL_LOCK_UNKNOWN;
	if ((flags & FL_F_FUSE) && cfg_fuse_unlocked)
		return FL_LOCK_NONE;
	sem = fault_lock_of(inode, flags);
	if (!sem)
		return FL_LOCK_UNKNOWN;
	cnt = BPF_CORE_READ(sem, count.counter);
	owner = BPF_CORE_READ(sem, owner.counter);
	return fl_rwsem_decode(cnt, owner, bpf_get_current_task());
}

static __always_inline void fill_task(struct fl_side *s)
{
	__u64 id = bpf_get_current_pid_tgid();

	s->pid = id >> 32;
	s->tid = (__u32)id;
	bpf_get_current_comm(s->comm, sizeof(s->comm));
}

static __always_inline void take_stack(void *ctx, struct fl_side *s)
{
	s->stack_len = bpf_get_stack(ctx, s->stack, sizeof(s->stack), 0);
}

static __always_inline bool event_wanted(__u32 dev, __u64 ino)
{
	if (cfg_event_pid && (bpf_get_current_pid_tgid() >> 32) != cfg_event_pid)
		return false;
	/* --mount gives a device, --inode a device and an inode */
	if (cfg_event_dev && dev != cfg_event_dev)
		return false;
	if (cfg_event_ino && ino != cfg_event_ino)
		return false;
	return true;
}

static __always_inline void emit_event(enum fl_event_kind kind, enum fl_hook hook, __u32 dev,
				       __u64 ino, __u64 start, __u64 end, __u64 size, __u8 op,
				       __u8 lock, __u16 flags, __s32 ret)
{
	struct fl_event *e;
	__u64 id;

	if (!cfg_export_events || !event_wanted(dev, ino))
		return;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(FL_CTR_EVENTS_LOST);
		return;
	}
	id = bpf_get_current_pid_tgid();
	e->ts = bpf_ktime_get_ns();
	e->ino = ino;
	e->dev = dev;
	e->start = start;
	e->end = end;
	e->size = size;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->kind = kind;
	e->hook = hook;
	e->op = op;
	e->lock = lock;
	e->flags = flags;
	e->ret = ret;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	count(FL_CTR_EVENTS);
}

/*
 * Atomic increment, then read: fetch-and-add returning the old value needs
 * 5.12's BPF atomics, a plain XADD works on 5.10 too. Two racing CPUs may
 * both read the sum; the burst limit is then off by one, the count is not.
 */
static __always_inline __u64 count_up(__u64 *n)
{
	__sync_fetch_and_add(n, 1);
	return *n;
}

/*
 * Count a violation under its key and decide whether it is emitted in full:
 * the first FL_VIOLATION_BURST of a key are, the rest only counted (the
 * trailer carries every key's total), as lockdep reports a chain once.
 */
static __always_inline __u64 violation_seq(__u32 dev, __u64 ino, __u16 kind, __u16 hook)
{
	struct fl_vio_key key = { .ino = ino, .dev = dev, .kind = kind, .hook = hook };
	__u64 one = 1, *n;

	count(FL_CTR_VIOLATIONS);
	n = bpf_map_lookup_elem(&vio_counts, &key);
	if (n)
		return count_up(n);
	if (bpf_map_update_elem(&vio_counts, &key, &one, BPF_NOEXIST)) {
		n = bpf_map_lookup_elem(&vio_counts, &key);
		if (n)
			return count_up(n);
		/* key lost: emit it anyway so nothing goes uncounted */
		count(FL_CTR_MAP_FULL);
	}
	return 1;
}

static __always_inline struct fl_violation *violation_reserve(__u32 dev, __u64 ino, __u16 kind,
							      __u16 hook, __u16 flags)
{
	struct fl_violation *v;
	__u64 seq = violation_seq(dev, ino, kind, hook);

	if (seq > FL_VIOLATION_BURST) {
		count(FL_CTR_VIOLATIONS_SUPPRESSED);
		return NULL;
	}
	v = bpf_ringbuf_reserve(&violations, sizeof(*v), 0);
	if (!v) {
		count(FL_CTR_VIOLATIONS_LOST);
		return NULL;
	}
	__builtin_memset(v, 0, sizeof(*v));
	v->ts = bpf_ktime_get_ns();
	v->dev = dev;
	v->ino = ino;
	v->kind = kind;
	v->flags = flags;
	v->seq = seq;
	return v;
}

static __always_inline struct fl_inode_state *inode_state_get(__u32 dev, __u64 ino, bool create)
{
	struct fl_inode_key key = { .ino = ino, .dev = dev };

	if (!create)
		return bpf_map_lookup_elem(&inodes, &key);
	/* LRU: never full, it evicts the coldest inode */
	return state_get(&inodes, &key, &zero_inode);
}

/* Report a race once per (op, fault) pair, whichever side saw it first. */
static __always_inline bool race_first_report(const struct fl_side *fault, const struct fl_side *op)
{
	struct fl_race_key key = {
		.op_ts = op->ts_begin, .fault_ts = fault->ts_begin,
		.fault_tid = fault->tid, .op_tid = op->tid,
	};
	__u8 one = 1;

	return bpf_map_update_elem(&races_seen, &key, &one, BPF_NOEXIST) == 0;
}

/*
 * @fault_ctx is the current context when the current task is the fault (its
 * stack is taken now); @op_ctx when it is the op and the op has no stack yet.
 */
static __always_inline void emit_race(void *fault_ctx, void *op_ctx, const struct fl_side *fault,
				      const struct fl_side *op, __u32 dev, __u64 ino, __u16 flags)
{
	struct fl_violation *v;

	if (!race_first_report(fault, op))
		return;
	v = violation_reserve(dev, ino, FL_VIO_RACE, fault->hook, flags);
	if (!v)
		return;
	__builtin_memcpy(&v->fault, fault, sizeof(v->fault));
	__builtin_memcpy(&v->op, op, sizeof(v->op));
	if (fault_ctx)
		take_stack(fault_ctx, &v->fault);
	if (op_ctx && v->op.stack_len <= 0)
		take_stack(op_ctx, &v->op);
	bpf_ringbuf_submit(v, 0);
}

/* ---- fault side ---- */

static __always_inline __u32 vmf_flags(struct vm_fault *vmf)
{
	if (bpf_core_field_exists(struct vm_fault___enum_flags, flags))
		return BPF_CORE_READ((struct vm_fault___enum_flags *)vmf, flags);
	return BPF_CORE_READ((struct vm_fault___int_flags *)vmf, flags);
}

/*
 * The hot path. The fs_dax tracepoints hand us BTF-typed pointers (tp_btf),
 * so plain loads replace bpf_probe_read() calls; only the 5.10 lock layout
 * (container_of into fuse_inode/ext4_inode_info) needs the probing reader.
 */
static __always_inline enum fl_lock fault_lock_state(struct inode *inode, __u16 flags)
{
	struct address_space___fl *mapping;

	if (bpf_core_field_exists(struct address_space___fl, invalidate_lock) &&
	    bpf_core_field_exists(struct rw_semaphore, count) &&
	    !((flags & FL_F_FUSE) && cfg_fuse_unlocked)) {
		mapping = (void *)inode->i_mapping;
		return fl_rwsem_decode(mapping->invalidate_lock.count.counter,
				       mapping->invalidate_lock.owner.counter,
				       bpf_get_current_task());
	}
	return lock_state(inode, flags);
}

static __always_inline int fault_begin(void *ctx, enum fl_hook hook, struct inode *inode,
				       struct vm_fault *vmf, __u32 order)
{
	struct fl_stats *stats = hit(hook);
	struct super_block *sb = inode->i_sb;
	__u32 tid = current_tid();
	struct fl_fault_state *fs;
	__u16 flags, *entry;

	flags = FL_F_INODE_KNOWN;
	if (sb->s_magic == FL_FUSE_SUPER_MAGIC)
		flags |= FL_F_FUSE;
	if (inode->i_flags & FL_S_DAX)
		flags |= FL_F_DAX;
	if (!inode_kept(flags))
		return 0;
	if (stats)
		stats->ctr[FL_CTR_FAULTS]++;
	/* made at the task's first fault, then reused */
	fs = state_get(&faults, &tid, &zero_fault);
	if (!fs) {
		if (stats)
			stats->ctr[FL_CTR_MAP_FULL]++;
		return 0;
	}
	fs->ts = bpf_ktime_get_ns();
	fs->dev = sb->s_dev;
	fs->ino = inode->i_ino;
	fl_fault_range(vmf->pgoff, order, &fs->start, &fs->end);
	if (vmf_flags(vmf) & FAULT_FLAG_WRITE)
		flags |= FL_F_WRITE;
	fs->flags = flags;
	fs->hook = hook;
	fs->entry_hook = hook;
	if (cfg_fault_entry_hooks) {
		entry = bpf_map_lookup_elem(&fault_entries, &tid);
		if (entry && *entry)
			fs->entry_hook = *entry - 1;
	}
	fs->lock = fault_lock_state(inode, flags);
	if (fs->lock == FL_LOCK_UNKNOWN && stats)
		stats->ctr[FL_CTR_LOCK_UNKNOWN]++;
	if (fl_invariants_apply(flags) && fl_fault_lock_verdict((enum fl_lock)fs->lock) == FL_BAD) {
		struct fl_inode_state *ist = inode_state_get(fs->dev, fs->ino, true);

		if (ist && !ist->bad_fault_seen)
			ist->bad_fault_seen = fs->ts;
	}
	emit_event(FL_EV_FAULT_BEGIN, hook, fs->dev, fs->ino, fs->start, fs->end, 0, FL_OP_FAULT,
		   fs->lock, flags, 0);
	return 0;
}

static __always_inline void fault_side_from(struct fl_side *s, const struct fl_fault_state *fs,
					    __u64 now)
{
	s->ts_begin = fs->ts;
	s->ts_end = now;
	s->size_before = 0;
	s->stack_len = 0;
	s->pad = 0;
	s->start = fs->start;
	s->end = fs->end;
	s->hook = fs->hook;
	s->entry_hook = fs->entry_hook;
	s->op = FL_OP_FAULT;
	s->lock = fs->lock;
	s->flags = fs->flags;
	fill_task(s);
}

static __always_inline int fault_end(void *ctx, enum fl_hook hook, int ret)
{
	__u32 tid = current_tid(), zero = 0;
	struct fl_fault_state *fs;
	struct fl_inode_state *ist;
	struct fl_violation *v;
	struct fl_side *side;
	bool bad;
	__u64 now;

	hit(hook);
	fs = bpf_map_lookup_elem(&faults, &tid);
	if (!fs || !fs->ts) {
		count(FL_CTR_UNMATCHED_END);
		return 0;
	}
	if (!fl_invariants_apply(fs->flags))
		goto out;
	now = bpf_ktime_get_ns();
	bad = fl_fault_lock_verdict((enum fl_lock)fs->lock) == FL_BAD;
	ist = inode_state_get(fs->dev, fs->ino, bad);
	/* a good fault with no operation on its inode since it began: nothing to check */
	if (!bad && (!ist || !ist->op.ts_begin || (ist->op.ts_end && ist->op.ts_end <= fs->ts)))
		goto out;
	side = bpf_map_lookup_elem(&scratch_side, &zero);
	if (!side)
		goto out;
	fault_side_from(side, fs, now);
	if (bad) {
		/* I1 */
		v = violation_reserve(fs->dev, fs->ino, FL_VIO_UNSERIALIZED_FAULT, fs->hook,
				      fs->flags);
		if (v) {
			__builtin_memcpy(&v->fault, side, sizeof(v->fault));
			take_stack(ctx, &v->fault);
			bpf_ringbuf_submit(v, 0);
		}
	}
	/*
	 * I3 from this side: an operation tore pages down while we ran. A fault
	 * that broke I1 is also kept, with its stack, for operations that end
	 * after it or learn their inode late.
	 */
	if (ist) {
		if (bad) {
			__builtin_memcpy(&ist->bad_fault, side, sizeof(ist->bad_fault));
			take_stack(ctx, &ist->bad_fault);
		}
		if (ist->op.ts_begin && fl_is_race(side, &ist->op))
			emit_race(ctx, NULL, side, &ist->op, fs->dev, fs->ino, fs->flags);
	}
out:
	emit_event(FL_EV_FAULT_END, hook, fs->dev, fs->ino, fs->start, fs->end, 0, FL_OP_FAULT,
		   fs->lock, fs->flags, ret);
	fs->ts = 0;	/* between faults; the entry stays with the task */
	return 0;
}

/* FUSE fault entry points: only name the fault; the lock is taken after them. */
static __always_inline int fault_entry_begin(enum fl_hook hook)
{
	__u32 tid = current_tid();
	__u16 h = hook + 1, *entry;

	hit(hook);
	entry = bpf_map_lookup_elem(&fault_entries, &tid);
	if (entry)
		*entry = h;
	else if (bpf_map_update_elem(&fault_entries, &tid, &h, BPF_NOEXIST))
		count(FL_CTR_MAP_FULL);
	return 0;
}

static __always_inline int fault_entry_end(enum fl_hook hook)
{
	__u32 tid = current_tid();
	__u16 *entry;

	hit(hook);
	entry = bpf_map_lookup_elem(&fault_entries, &tid);
	if (entry)
		*entry = 0;
	return 0;
}

/* A task's fault entries go with it (classic tracepoint: 5.10 and on). */
SEC("tracepoint/sched/sched_process_exit")
int tp_task_exit(void *ctx)
{
	__u32 tid = current_tid();

	bpf_map_delete_elem(&faults, &tid);
	bpf_map_delete_elem(&fault_entries, &tid);
	return 0;
}

/* ---- operation side ---- */

static __always_inline void op_set_range(struct fl_op_state *st)
{
	fl_op_range((enum fl_op)st->side.op, st->arg_a, st->arg_b, st->side.size_before,
		    &st->side.start, &st->side.end);
}

/*
 * Learn the op's inode from a kernel inode pointer. Returns false if filtered.
 * @before: the op has not changed the file yet, so i_size is the size before.
 */
static __always_inline bool op_set_inode(struct fl_op_state *st, struct inode *inode, bool before)
{
	__u16 flags;

	if (!inode)
		return true;
	flags = inode_flags(inode);
	st->inode = (__u64)inode;
	st->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	st->ino = BPF_CORE_READ(inode, i_ino);
	st->side.flags = (st->side.flags & ~(FL_F_FUSE | FL_F_DAX)) | flags;
	if (before)
		st->side.size_before = BPF_CORE_READ(inode, i_size);
	return inode_kept(flags);
}

/*
 * Begin (or nest into) the task's operation. @op FL_OP_NONE keeps the kind an
 * outer hook already set; a function hook (@precise) overrides a syscall's.
 */
static __always_inline struct fl_op_state *op_begin(void *ctx, enum fl_hook hook, enum fl_op op,
						 struct inode *inode, __u64 a, __u64 b, bool precise)
{
	__u32 tid = current_tid();
	struct fl_op_state *st;

	st = state_get(&ops, &tid, &zero_op);
	if (!st) {
		count(FL_CTR_MAP_FULL);
		return NULL;
	}
	if (!st->ts_op_begin) {	/* the outermost hook: the entry is new */
		st->ts_op_begin = bpf_ktime_get_ns();
		st->side.size_before = FL_EOF;
		st->side.entry_hook = hook;
		st->side.hook = hook;
		fill_task(&st->side);
	}
	st->depth++;
	if (op != FL_OP_NONE && (st->side.op == FL_OP_NONE || (precise && !st->precise))) {
		if (st->side.op != FL_OP_OTRUNC)	/* O_TRUNC stays O_TRUNC through setattr */
			st->side.op = op;
		st->arg_a = a;
		st->arg_b = b;
	}
	if (precise && !st->precise) {
		st->precise = 1;
		st->side.entry_hook = hook;
	}
	if (inode && !st->inode)
		op_set_inode(st, inode, true);
	/* after a teardown the range is what was torn down (see op_teardown) */
	if (!st->teardown_seen)
		op_set_range(st);
	return st;
}

/*
 * Make the op visible to faults on its inode (they check it when they end).
 * Runs in the op's own task: @ctx gives its stack to a race found here.
 */
static __always_inline void op_publish(void *ctx, struct fl_op_state *st, __u64 ts_end)
{
	struct fl_inode_state *ist;

	if (!(st->side.flags & FL_F_INODE_KNOWN) || !fl_invariants_apply(st->side.flags) ||
	    !fl_op_tears_down(st->side.start, st->side.end))
		return;
	ist = inode_state_get(st->dev, st->ino, true);
	if (!ist)
		return;
	__builtin_memcpy(&ist->op, &st->side, sizeof(ist->op));
	if (!st->teardown_seen) {
		ist->op.ts_begin = st->ts_op_begin;
		ist->op.flags |= FL_F_SYSCALL_ONLY;
	}
	ist->op.ts_end = ts_end;
	if (!ts_end)
		ist->op.flags |= FL_F_INFLIGHT;
	/* a fault that broke I1 and overlapped us is a race seen from this side */
	if (ist->bad_fault.ts_begin && fl_is_race(&ist->bad_fault, &ist->op))
		emit_race(NULL, ctx, &ist->bad_fault, &ist->op, st->dev, st->ino, st->side.flags);
}

/* A point inside the op where mappings are torn down: I2 / I4 checked here. */
static __always_inline int op_teardown(void *ctx, enum fl_hook hook, enum fl_op kind,
				       struct inode *inode, __u64 start, __u64 end)
{
	struct fl_violation *v;
	struct fl_op_state *st;
	__u16 flags;
	bool bad;
	__u8 lock;

	hit(hook);
	flags = inode_flags(inode);
	st = op_begin(ctx, hook, kind, inode, 0, 0, false);
	if (!st)
		return 0;
	if (!inode_kept(flags))
		return 0;
	if (!st->inode)
		op_set_inode(st, inode, false);
	count(FL_CTR_TEARDOWNS);
	lock = lock_state(inode, flags);
	if (lock == FL_LOCK_UNKNOWN)
		count(FL_CTR_LOCK_UNKNOWN);
	bad = fl_invariants_apply(flags) && fl_teardown_lock_verdict((enum fl_lock)lock) == FL_BAD;
	if (!st->teardown_seen) {
		struct fl_inode_state *ist = inode_state_get(st->dev, st->ino, false);

		st->teardown_seen = 1;
		st->side.ts_begin = bpf_ktime_get_ns();
		st->side.hook = hook;
		st->side.lock = lock;
		/*
		 * Unwinding costs microseconds: take the stack only when a violation
		 * can name this op, i.e. it breaks I2 or a fault on its inode broke I1.
		 */
		if (bad || (ist && ist->bad_fault_seen))
			take_stack(ctx, &st->side);
		if (!fl_op_tears_down(st->side.start, st->side.end)) {
			/* the op itself shrinks nothing (a growing truncate): its teardowns say what */
			st->side.start = start;
			st->side.end = end;
			st->range_from_teardowns = 1;
		}
	} else {
		if (fl_teardown_lock_verdict((enum fl_lock)lock) == FL_BAD)
			st->side.lock = lock;	/* keep the worst state seen */
		if (st->range_from_teardowns && start < end) {
			if (start < st->side.start)
				st->side.start = start;
			if (end > st->side.end)
				st->side.end = end;
		}
	}
	emit_event(FL_EV_TEARDOWN, hook, st->dev, st->ino, start, end, st->side.size_before,
		   st->side.op, lock, flags, 0);

	if (bad) {
		v = violation_reserve(st->dev, st->ino, fl_teardown_violation(kind == FL_OP_RECLAIM ?
				      FL_OP_RECLAIM : (enum fl_op)st->side.op), hook, flags);
		if (v) {
			__builtin_memcpy(&v->op, &st->side, sizeof(v->op));
			v->op.hook = hook;
			v->op.lock = lock;
			take_stack(ctx, &v->op);
			bpf_ringbuf_submit(v, 0);
		}
	}
	op_publish(ctx, st, 0);
	return 0;
}

static __always_inline int op_end(void *ctx, enum fl_hook hook, long ret, bool outermost)
{
	__u32 tid = current_tid();
	struct fl_op_state *st;
	__u64 now;

	hit(hook);
	st = bpf_map_lookup_elem(&ops, &tid);
	if (!st) {
		count(FL_CTR_UNMATCHED_END);
		return 0;
	}
	if (st->depth > 1 && !outermost) {
		st->depth--;
		return 0;
	}
	now = bpf_ktime_get_ns();
	if (st->side.flags & FL_F_INODE_KNOWN) {
		if (!st->teardown_seen)
			st->side.flags |= FL_F_SYSCALL_ONLY;
		count(FL_CTR_OPS);
		op_publish(ctx, st, now);
		emit_event(FL_EV_OP_END, hook, st->dev, st->ino, st->side.start, st->side.end,
			   st->side.size_before, st->side.op, st->side.lock, st->side.flags, ret);
	} else if (st->side.op != FL_OP_NONE) {
		/*
		 * truncate(path) with nothing inside the syscall that names the
		 * inode (tracepoint-only mode, no fuse:fuse_request_end): say so.
		 */
		count(FL_CTR_OPS_INODE_UNKNOWN);
		emit_event(FL_EV_OP_END, hook, 0, 0, st->side.start, st->side.end,
			   st->side.size_before, st->side.op, st->side.lock, st->side.flags, ret);
	}
	bpf_map_delete_elem(&ops, &tid);
	return 0;
}

static __always_inline void op_begin_event(struct fl_op_state *st, enum fl_hook hook)
{
	if (st && (st->side.flags & FL_F_INODE_KNOWN) && st->depth == 1)
		emit_event(FL_EV_OP_BEGIN, hook, st->dev, st->ino, st->side.start, st->side.end,
			   st->side.size_before, st->side.op, st->side.lock, st->side.flags, 0);
}

/* ---- argument access that works for fentry and kprobe alike ---- */

/*
 * fentry context is the argument array. Read it directly (bpf_get_func_arg()
 * is 5.17+); @n must be a constant within the function's arguments.
 */
#define fentry_arg(ctx, n) (((__u64 *)(ctx))[n])

/* fexit's return value; only kernels with bpf_get_func_ret() (5.17+) report it */
static __always_inline long fexit_ret(void *ctx)
{
	__u64 ret = 0;

	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_func_ret))
		bpf_get_func_ret(ctx, &ret);
	return (long)ret;
}

static __always_inline __u64 kprobe_arg(struct pt_regs *regs, __u32 n)
{
	switch (n) {
	case 0: return PT_REGS_PARM1_CORE(regs);
	case 1: return PT_REGS_PARM2_CORE(regs);
	case 2: return PT_REGS_PARM3_CORE(regs);
	case 3: return PT_REGS_PARM4_CORE(regs);
	default: return PT_REGS_PARM5_CORE(regs);
	}
}

/* ---- the handlers, shared by the modes ---- */

static __always_inline int on_setattr(void *ctx, enum fl_hook hook, struct dentry *dentry,
				      struct iattr *attr)
{
	unsigned int valid = BPF_CORE_READ(attr, ia_valid);
	struct fl_op_state *st;

	hit(hook);
	if (!(valid & ATTR_SIZE)) {
		/* still an op level, so its exit balances */
		st = op_begin(ctx, hook, FL_OP_NONE, NULL, 0, 0, false);
		return 0;
	}
	st = op_begin(ctx, hook, (valid & ATTR_OPEN) ? FL_OP_OTRUNC : FL_OP_TRUNCATE,
		      BPF_CORE_READ(dentry, d_inode), BPF_CORE_READ(attr, ia_size), 0, true);
	op_begin_event(st, hook);
	return 0;
}

static __always_inline int on_fallocate(void *ctx, enum fl_hook hook, struct file *file,
					__u32 mode, __u64 offset, __u64 len)
{
	struct fl_op_state *st;

	hit(hook);
	st = op_begin(ctx, hook, fl_fallocate_op(mode), BPF_CORE_READ(file, f_inode), offset, len,
		      true);
	op_begin_event(st, hook);
	return 0;
}

static __always_inline int on_open(void *ctx, enum fl_hook hook, struct inode *inode,
				   struct file *file)
{
	struct fl_op_state *st;

	hit(hook);
	if (!(BPF_CORE_READ(file, f_flags) & FL_O_TRUNC)) {
		st = op_begin(ctx, hook, FL_OP_NONE, NULL, 0, 0, false);
		return 0;
	}
	st = op_begin(ctx, hook, FL_OP_OTRUNC, inode, 0, 0, true);
	op_begin_event(st, hook);
	return 0;
}

static __always_inline int on_break_layouts(void *ctx, struct inode *inode, __u64 start, __u64 end)
{
	/* end 0 (5.10) or -1 (6.x) means "to end of file" */
	if (end == 0 || end == (__u64)-1)
		end = FL_EOF;
	else
		end = end + 1;
	return op_teardown(ctx, FL_HOOK_FUSE_DAX_BREAK_LAYOUTS, FL_OP_TRUNCATE, inode, start, end);
}

static __always_inline int on_truncate_pagecache(void *ctx, struct inode *inode, __u64 newsize)
{
	return op_teardown(ctx, FL_HOOK_TRUNCATE_PAGECACHE, FL_OP_TRUNCATE, inode, newsize, FL_EOF);
}

static __always_inline int on_truncate_pagecache_range(void *ctx, struct inode *inode,
						       __u64 lstart, __u64 lend)
{
	return op_teardown(ctx, FL_HOOK_TRUNCATE_PAGECACHE_RANGE, FL_OP_PUNCH_HOLE, inode, lstart,
			   fl_add_sat(lend, 1));
}

#define FL_I_WILL_FREE	(1 << 4)	/* include/linux/fs.h, same bits 5.10 to 6.18 */
#define FL_I_FREEING	(1 << 5)

/* inode.i_state: unsigned long up to 6.17, enum inode_state_flags_t from 6.18 */
enum inode_state_flags_t___fl { I_NEW___fl = 8 };

struct inode___enum_state {
	enum inode_state_flags_t___fl i_state;
} __attribute__((preserve_access_index));

struct inode___long_state {
	unsigned long i_state;
} __attribute__((preserve_access_index));

static __always_inline __u64 inode_state_bits(struct inode *inode)
{
	if (bpf_core_field_exists(struct inode___enum_state, i_state))
		return BPF_CORE_READ((struct inode___enum_state *)inode, i_state);
	return BPF_CORE_READ((struct inode___long_state *)inode, i_state);
}

/*
 * A DAX range leaves its inode: reclaim_one_dmap_locked(inode, dmap), or where
 * that is inlined dmap_reinit_add_to_free_pool(fcd, dmap). Both take the
 * mapping second and it still names its inode. Eviction frees ranges without
 * the lock, rightly (nobody can fault on an inode being freed): skip it.
 */
static __always_inline int on_reclaim(void *ctx, struct fuse_dax_mapping___fl *dmap)
{
	struct inode *inode = BPF_CORE_READ(dmap, inode);
	__u64 first = BPF_CORE_READ(dmap, itn.start), last = BPF_CORE_READ(dmap, itn.last);

	if (!inode || (inode_state_bits(inode) & (FL_I_WILL_FREE | FL_I_FREEING))) {
		/* still an op level, so the exit hook balances it */
		op_begin(ctx, FL_HOOK_FUSE_DAX_RECLAIM, FL_OP_NONE, NULL, 0, 0, false);
		return 0;
	}
	return op_teardown(ctx, FL_HOOK_FUSE_DAX_RECLAIM, FL_OP_RECLAIM, inode,
			   first << FUSE_DAX_SHIFT, (last + 1) << FUSE_DAX_SHIFT);
}

/* ---- fault side programs: fs_dax tracepoints (every mode) ---- */

SEC("tp_btf/dax_pte_fault")
int BPF_PROG(tp_dax_pte_fault, struct inode *inode, struct vm_fault *vmf, int result)
{
	return fault_begin(ctx, FL_HOOK_DAX_PTE_FAULT, inode, vmf, 0);
}

SEC("tp_btf/dax_pte_fault_done")
int BPF_PROG(tp_dax_pte_fault_done, struct inode *inode, struct vm_fault *vmf, int result)
{
	return fault_end(ctx, FL_HOOK_DAX_PTE_FAULT, result);
}

SEC("tp_btf/dax_pmd_fault")
int BPF_PROG(tp_dax_pmd_fault, struct inode *inode, struct vm_fault *vmf, unsigned long max_pgoff,
	     int result)
{
	return fault_begin(ctx, FL_HOOK_DAX_PMD_FAULT, inode, vmf, 9);
}

SEC("tp_btf/dax_pmd_fault_done")
int BPF_PROG(tp_dax_pmd_fault_done, struct inode *inode, struct vm_fault *vmf,
	     unsigned long max_pgoff, int result)
{
	return fault_end(ctx, FL_HOOK_DAX_PMD_FAULT, result);
}

/* ---- function hooks, one fentry/fexit and one kprobe/kretprobe pair each ---- */

#define FAULT_ENTRY_HOOK(fn, HOOK)						\
SEC("fentry/" #fn)								\
int fe_##fn(void *ctx) { return fault_entry_begin(HOOK); }			\
SEC("fexit/" #fn)								\
int fx_##fn(void *ctx) { return fault_entry_end(HOOK); }			\
SEC("kprobe/" #fn)								\
int kp_##fn(struct pt_regs *ctx) { return fault_entry_begin(HOOK); }		\
SEC("kretprobe/" #fn)								\
int kr_##fn(struct pt_regs *ctx) { return fault_entry_end(HOOK); }

FAULT_ENTRY_HOOK(fuse_dax_fault, FL_HOOK_FUSE_DAX_FAULT)
FAULT_ENTRY_HOOK(fuse_dax_huge_fault, FL_HOOK_FUSE_DAX_HUGE_FAULT)
FAULT_ENTRY_HOOK(fuse_dax_page_mkwrite, FL_HOOK_FUSE_DAX_PAGE_MKWRITE)
FAULT_ENTRY_HOOK(fuse_dax_pfn_mkwrite, FL_HOOK_FUSE_DAX_PFN_MKWRITE)

SEC("fentry/fuse_do_setattr")
int fe_fuse_do_setattr(void *ctx)
{
	/* 6.9 put a struct mnt_idmap * first; the branch not taken is pruned at load */
	if (cfg_setattr_dentry_arg == 1)
		return on_setattr(ctx, FL_HOOK_FUSE_DO_SETATTR, (void *)fentry_arg(ctx, 1),
				  (void *)fentry_arg(ctx, 2));
	return on_setattr(ctx, FL_HOOK_FUSE_DO_SETATTR, (void *)fentry_arg(ctx, 0),
			  (void *)fentry_arg(ctx, 1));
}

SEC("kprobe/fuse_do_setattr")
int kp_fuse_do_setattr(struct pt_regs *ctx)
{
	if (cfg_setattr_dentry_arg == 1)
		return on_setattr(ctx, FL_HOOK_FUSE_DO_SETATTR, (void *)kprobe_arg(ctx, 1),
				  (void *)kprobe_arg(ctx, 2));
	return on_setattr(ctx, FL_HOOK_FUSE_DO_SETATTR, (void *)kprobe_arg(ctx, 0),
			  (void *)kprobe_arg(ctx, 1));
}

SEC("fentry/fuse_file_fallocate")
int fe_fuse_file_fallocate(void *ctx)
{
	return on_fallocate(ctx, FL_HOOK_FUSE_FILE_FALLOCATE, (void *)fentry_arg(ctx, 0),
			    fentry_arg(ctx, 1), fentry_arg(ctx, 2), fentry_arg(ctx, 3));
}

SEC("kprobe/fuse_file_fallocate")
int kp_fuse_file_fallocate(struct pt_regs *ctx)
{
	return on_fallocate(ctx, FL_HOOK_FUSE_FILE_FALLOCATE, (void *)kprobe_arg(ctx, 0),
			    kprobe_arg(ctx, 1), kprobe_arg(ctx, 2), kprobe_arg(ctx, 3));
}

/* fuse_open (6.x) or fuse_open_common (5.10, 6.1): (struct inode *, struct file *, ...) */
SEC("fentry/fuse_open")
int fe_fuse_open(void *ctx)
{
	return on_open(ctx, FL_HOOK_FUSE_OPEN, (void *)fentry_arg(ctx, 0),
		       (void *)fentry_arg(ctx, 1));
}

SEC("kprobe/fuse_open")
int kp_fuse_open(struct pt_regs *ctx)
{
	return on_open(ctx, FL_HOOK_FUSE_OPEN, (void *)kprobe_arg(ctx, 0),
		       (void *)kprobe_arg(ctx, 1));
}

#define OP_EXIT_HOOK(fn, HOOK)							\
SEC("fexit/" #fn)								\
int fx_##fn(void *ctx)								\
{										\
	return op_end(ctx, HOOK, fexit_ret(ctx), false);			\
}										\
SEC("kretprobe/" #fn)								\
int kr_##fn(struct pt_regs *ctx)						\
{										\
	return op_end(ctx, HOOK, PT_REGS_RC_CORE(ctx), false);			\
}

OP_EXIT_HOOK(fuse_do_setattr, FL_HOOK_FUSE_DO_SETATTR)
OP_EXIT_HOOK(fuse_file_fallocate, FL_HOOK_FUSE_FILE_FALLOCATE)
OP_EXIT_HOOK(fuse_open, FL_HOOK_FUSE_OPEN)
OP_EXIT_HOOK(fuse_dax_break_layouts, FL_HOOK_FUSE_DAX_BREAK_LAYOUTS)
OP_EXIT_HOOK(truncate_pagecache, FL_HOOK_TRUNCATE_PAGECACHE)
OP_EXIT_HOOK(truncate_pagecache_range, FL_HOOK_TRUNCATE_PAGECACHE_RANGE)
OP_EXIT_HOOK(fuse_dax_reclaim, FL_HOOK_FUSE_DAX_RECLAIM)

SEC("fentry/fuse_dax_break_layouts")
int fe_fuse_dax_break_layouts(void *ctx)
{
	return on_break_layouts(ctx, (void *)fentry_arg(ctx, 0), fentry_arg(ctx, 1),
				fentry_arg(ctx, 2));
}

SEC("kprobe/fuse_dax_break_layouts")
int kp_fuse_dax_break_layouts(struct pt_regs *ctx)
{
	return on_break_layouts(ctx, (void *)kprobe_arg(ctx, 0), kprobe_arg(ctx, 1),
				kprobe_arg(ctx, 2));
}

SEC("fentry/truncate_pagecache")
int fe_truncate_pagecache(void *ctx)
{
	return on_truncate_pagecache(ctx, (void *)fentry_arg(ctx, 0), fentry_arg(ctx, 1));
}

SEC("kprobe/truncate_pagecache")
int kp_truncate_pagecache(struct pt_regs *ctx)
{
	return on_truncate_pagecache(ctx, (void *)kprobe_arg(ctx, 0), kprobe_arg(ctx, 1));
}

SEC("fentry/truncate_pagecache_range")
int fe_truncate_pagecache_range(void *ctx)
{
	return on_truncate_pagecache_range(ctx, (void *)fentry_arg(ctx, 0), fentry_arg(ctx, 1),
					   fentry_arg(ctx, 2));
}

SEC("kprobe/truncate_pagecache_range")
int kp_truncate_pagecache_range(struct pt_regs *ctx)
{
	return on_truncate_pagecache_range(ctx, (void *)kprobe_arg(ctx, 0), kprobe_arg(ctx, 1),
					   kprobe_arg(ctx, 2));
}

/* DAX range reclaim; userspace sets the target function (see on_reclaim) */
SEC("fentry/fuse_dax_reclaim")
int fe_fuse_dax_reclaim(void *ctx)
{
	return on_reclaim(ctx, (void *)fentry_arg(ctx, 1));
}

SEC("kprobe/fuse_dax_reclaim")
int kp_fuse_dax_reclaim(struct pt_regs *ctx)
{
	return on_reclaim(ctx, (void *)kprobe_arg(ctx, 1));
}

/* ---- FUSE request tracepoints (6.15+): a point inside setattr/fallocate/open ---- */

SEC("tp_btf/fuse_request_send")
int BPF_PROG(tp_fuse_request_send, struct fuse_req___fl *req)
{
	/* a direct BTF load: a probe read would double the cost of every FUSE request */
	__u32 opcode = req->in.h.opcode, tid;
	struct fl_op_state *st;
	struct inode *inode;
	__u32 valid;

	if (opcode != FUSE_SETATTR && opcode != FUSE_FALLOCATE && opcode != FUSE_OPEN)
		return 0;
	tid = current_tid();
	st = bpf_map_lookup_elem(&ops, &tid);
	if (!st || st->teardown_seen)
		return 0;
	if (opcode == FUSE_SETATTR) {
		const void *in = BPF_CORE_READ(req, args, in_args[0].value);

		bpf_probe_read_kernel(&valid, sizeof(valid), in + FUSE_SETATTR_IN_VALID);
		if (!(valid & FATTR_SIZE))
			return 0;
	}
	inode = (void *)st->inode;
	if (!inode)
		return 0;	/* path-based op: inode learned at the reply */
	/*
	 * On a DAX inode each of these first breaks every layout of the file
	 * (fuse_dax_break_layouts(inode, 0, -1)), a growing truncate too.
	 */
	if ((st->side.flags & FL_F_DAX) && !fl_op_tears_down(st->side.start, st->side.end))
		return op_teardown(ctx, FL_HOOK_FUSE_REQUEST, FL_OP_NONE, inode, 0, FL_EOF);
	return op_teardown(ctx, FL_HOOK_FUSE_REQUEST, FL_OP_NONE, inode, st->side.start,
			   st->side.end);
}

SEC("tp_btf/fuse_request_end")
int BPF_PROG(tp_fuse_request_end, struct fuse_req___fl *req)
{
	__u32 opcode = req->in.h.opcode, tid;
	struct fl_op_state *st;
	void *out;

	if (opcode != FUSE_SETATTR)
		return 0;
	/* the reply is processed by the server's writer: the caller is in.h.pid */
	tid = req->in.h.pid;
	st = bpf_map_lookup_elem(&ops, &tid);
	if (!st || (st->side.flags & FL_F_INODE_KNOWN))
		return 0;
	/* truncate(path) in tracepoint mode: the reply names the inode */
	hit(FL_HOOK_FUSE_REQUEST);
	out = BPF_CORE_READ(req, args, out_args[0].value);
	if (!out || bpf_probe_read_kernel(&st->ino, sizeof(st->ino), out + FUSE_ATTR_OUT_INO))
		return 0;
	st->dev = BPF_CORE_READ(req, fm, sb, s_dev);
	st->side.flags |= FL_F_INODE_KNOWN | FL_F_FUSE;
	return 0;
}

/* ---- syscall tracepoints: the operation's interval when nothing finer exists ---- */

static __always_inline struct inode *fd_inode(long fd)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds, *file = NULL;

	if (fd < 0 || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]) || !file)
		return NULL;
	return BPF_CORE_READ(file, f_inode);
}

static __always_inline int sys_op_begin(void *ctx, enum fl_hook hook, enum fl_op op,
					struct inode *inode, __u64 a, __u64 b)
{
	struct fl_op_state *st;

	hit(hook);
	if (inode) {
		__u16 flags = inode_flags(inode);

		if (!inode_kept(flags))
			return 0;
	}
	st = op_begin(ctx, hook, op, inode, a, b, false);
	op_begin_event(st, hook);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_truncate")
int tp_sys_enter_truncate(struct trace_event_raw_sys_enter *ctx)
{
	return sys_op_begin(ctx, FL_HOOK_SYS_TRUNCATE, FL_OP_TRUNCATE, NULL, ctx->args[1], 0);
}

SEC("tracepoint/syscalls/sys_enter_ftruncate")
int tp_sys_enter_ftruncate(struct trace_event_raw_sys_enter *ctx)
{
	return sys_op_begin(ctx, FL_HOOK_SYS_FTRUNCATE, FL_OP_TRUNCATE, fd_inode(ctx->args[0]),
			    ctx->args[1], 0);
}

SEC("tracepoint/syscalls/sys_enter_fallocate")
int tp_sys_enter_fallocate(struct trace_event_raw_sys_enter *ctx)
{
	return sys_op_begin(ctx, FL_HOOK_SYS_FALLOCATE, fl_fallocate_op(ctx->args[1]),
			    fd_inode(ctx->args[0]), ctx->args[2], ctx->args[3]);
}

SEC("tracepoint/syscalls/sys_enter_open")
int tp_sys_enter_open(struct trace_event_raw_sys_enter *ctx)
{
	if (!(ctx->args[1] & FL_O_TRUNC))
		return 0;
	return sys_op_begin(ctx, FL_HOOK_SYS_OPEN, FL_OP_OTRUNC, NULL, 0, 0);
}

SEC("tracepoint/syscalls/sys_enter_openat")
int tp_sys_enter_openat(struct trace_event_raw_sys_enter *ctx)
{
	if (!(ctx->args[2] & FL_O_TRUNC))
		return 0;
	return sys_op_begin(ctx, FL_HOOK_SYS_OPENAT, FL_OP_OTRUNC, NULL, 0, 0);
}

/* Syscall exits end the op whatever nested hooks did not balance. */
static __always_inline int sys_op_end(void *ctx, enum fl_hook hook, long ret, bool opened)
{
	__u32 tid = current_tid();
	struct fl_op_state *st = bpf_map_lookup_elem(&ops, &tid);

	if (!st)
		return 0;	/* not an op we began (e.g. open without O_TRUNC) */
	if (opened && ret >= 0 && !st->inode) {
		/* open(O_TRUNC): the new fd names the inode */
		struct inode *inode = fd_inode(ret);

		if (inode && !op_set_inode(st, inode, false)) {
			bpf_map_delete_elem(&ops, &tid);
			return 0;
		}
		op_set_range(st);
	}
	return op_end(ctx, hook, ret, true);
}

SEC("tracepoint/syscalls/sys_exit_truncate")
int tp_sys_exit_truncate(struct trace_event_raw_sys_exit *ctx)
{
	return sys_op_end(ctx, FL_HOOK_SYS_TRUNCATE, ctx->ret, false);
}

SEC("tracepoint/syscalls/sys_exit_ftruncate")
int tp_sys_exit_ftruncate(struct trace_event_raw_sys_exit *ctx)
{
	return sys_op_end(ctx, FL_HOOK_SYS_FTRUNCATE, ctx->ret, false);
}

SEC("tracepoint/syscalls/sys_exit_fallocate")
int tp_sys_exit_fallocate(struct trace_event_raw_sys_exit *ctx)
{
	return sys_op_end(ctx, FL_HOOK_SYS_FALLOCATE, ctx->ret, false);
}

SEC("tracepoint/syscalls/sys_exit_open")
int tp_sys_exit_open(struct trace_event_raw_sys_exit *ctx)
{
	return sys_op_end(ctx, FL_HOOK_SYS_OPEN, ctx->ret, true);
}

SEC("tracepoint/syscalls/sys_exit_openat")
int tp_sys_exit_openat(struct trace_event_raw_sys_exit *ctx)
{
	return sys_op_end(ctx, FL_HOOK_SYS_OPENAT, ctx->ret, true);
}

/*
 * Export benchmark (make bench): userspace runs this with BPF_PROG_TEST_RUN
 * to push synthetic events through emit_event() and the ring buffer at a
 * rate it controls, to measure what the recorder can take without loss.
 * Never attached; loaded only for the benchmark.
 */
SEC("raw_tp")
int bench_emit(void *ctx)
{
	for (int i = 0; i < FL_BENCH_BATCH; i++)
		emit_event(FL_EV_FAULT_BEGIN, FL_HOOK_DAX_PTE_FAULT, 1, i, 0, 4096, 0,
			   FL_OP_FAULT, FL_LOCK_SHARED_SELF, FL_F_INODE_KNOWN | FL_F_DAX, 0);
	return 0;
}

/*
 * Fault path proxy (make bench): the helper and map mix of one DAX fault's
 * begin and end hooks (fault_begin() and fault_end() on a lock-holding
 * fault), run with BPF_PROG_TEST_RUN, so that a host without DAX measures it
 * natively. Never attached; loaded only for the benchmark. raw_tp test runs
 * take no repeat count: the program loops as often as userspace says.
 */
__u32 calibrate_loops;

SEC("raw_tp")
int bench_calibrate(void *ctx)
{
	for (__u32 i = 0; i < 256 && i < calibrate_loops; i++) {
		struct fl_stats *stats = my_stats();
		struct fl_inode_key key = {};
		__u32 tid = current_tid();
		struct fl_fault_state *fs;

		if (stats)
			stats->ctr[FL_CTR_UNMATCHED_END] += 0;
		fs = state_get(&faults, &tid, &zero_fault);
		if (!fs)
			continue;
		fs->ts = bpf_ktime_get_ns();
		fs->lock = fl_rwsem_decode(fs->ts, tid, bpf_get_current_task());
		fl_fault_range(fs->ts & 0xffff, 0, &fs->start, &fs->end);
		fs = bpf_map_lookup_elem(&faults, &tid);
		if (!fs)
			continue;
		key.ino = fs->ts;
		if (bpf_map_lookup_elem(&inodes, &key))
			key.dev = 1;
		if (bpf_ktime_get_ns() > key.ino)
			fs->ts = 0;
	}
	return 0;
}
