// SPDX-License-Identifier: GPL-2.0
/*
 * faultline: watch DAX faults and the operations that tear DAX mappings down,
 * read the inode's fault lock at each, and report violations of I1-I5
 * (doc/design.md) from inside the kernel; and FUSE requests sent to wait for
 * their answer from inside another request's completion (I6).
 *
 * Every function hook exists here once per attach mode (fentry/fexit and
 * kprobe/kretprobe, made by FUNC_HOOK), every tracepoint hook once with its
 * spare copies (TP_PROGS, bpf/tp_copies.bpf.h); the hooks are the rows of
 * FL_HOOKS in include/faultline/abi.h, and userspace turns on one program set
 * per hook. The handlers below the mode wrappers are shared; the rules they
 * apply live in include/faultline/rules.h, compiled into the host tests too;
 * every layout that differs across kernels is read through
 * bpf/core_fixes.bpf.h.
 *
 * Only the product's programs are here. Programs that are never attached
 * (the benchmark's and the self-tests of these helpers) are in the test
 * object (tests/bpf), which includes this file.
 *
 * The fault path (fs_dax tracepoints) is inlined into its four programs;
 * everything colder is a real subprogram (__noinline), so each program
 * carries one copy of it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "faultline/abi.h"
#include "faultline/rules.h"
#include "core_fixes.bpf.h"
#include "maps.bpf.h"

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
/* layout-break hooks are attached: judge I5 at the teardown points */
const volatile bool cfg_layout_check = false;
/* the kernel has bpf_preempt_disable() (6.10): GUARDED() uses it */
const volatile bool cfg_preempt_guard = false;
/*
 * Per-task state lives in task local storage where tracing programs may use
 * it (not 5.10); elsewhere userspace turns map "tasks" into a hash by tid.
 */
const volatile bool cfg_task_storage = false;

/*
 * When attaching finished (bpf_ktime_get_ns() clock), written by userspace:
 * a begin or end found missing in an op that began after it is one the
 * kernel skipped (FL_CTR_UNBALANCED); before it, only one not yet attached.
 */
volatile __u64 attach_done_ns;
/*
 * Set by userspace when detaching begins: an end's program may already be
 * gone, so nothing found missing is counted and no fault or op begins (it
 * would only be left in flight).
 */
volatile __u32 detaching;

/*
 * Whether an operation can overlap a fault that is ending, so that a fault
 * needs its inode's state only when one can (fault_end()): ops_live counts
 * operations published to an inode while still in flight, ops_gen operations
 * published at their end. An op adds to ops_live before its inode shows it and
 * to ops_gen after, and takes its ops_live back last: a fault that reads
 * ops_live 0 and the ops_gen it began with ends before any op that its inode
 * could show it overlapping. Both only grow stale upwards (an op whose end
 * the kernel skipped keeps ops_live up), which costs lookups, never a check.
 * Atomic adds: x86's locked instructions order them against the inode's
 * writes as described.
 */
__u64 ops_live;
__u64 ops_gen;

#define READ_ONCE(x) (*(const volatile typeof(x) *)&(x))

extern void bpf_preempt_disable(void) __weak __ksym;
extern void bpf_preempt_enable(void) __weak __ksym;

/*
 * Run a program's body with preemption off. Recent kernels (Debian's 7.x,
 * PREEMPT_LAZY) run tracepoint programs preemptible (syscall tracepoints are
 * faultable, the others run under SRCU), as fentry programs are there and on
 * PREEMPT_RT kernels. The per-CPU scratch and stats maps are shared with
 * whatever program runs next on the CPU, so a body must not be preempted.
 * The guard does not stop the kernel skipping runs: a program preempted
 * before the kfunc, or at the preempt_enable() inside bpf_preempt_enable(),
 * still holds its per-program recursion guard, and every other run of it on
 * that CPU meanwhile is skipped (counted in recursion_misses, which userspace
 * reads). TP_PROGS() (tp_copies.bpf.h) makes those up for tracepoints. kprobe programs
 * always run with preemption off.
 */
#define GUARDED_IF(guard, body) ({					\
	int __ret;							\
									\
	if (guard)							\
		bpf_preempt_disable();					\
	__ret = (body);							\
	if (guard)							\
		bpf_preempt_enable();					\
	__ret;								\
})
#define GUARDED(body) GUARDED_IF(cfg_preempt_guard, body)

#define ATTR_SIZE		(1 << 3)
#define ATTR_OPEN		(1 << 15)
#define FL_O_TRUNC		01000

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
	__u64 ops_gen;	/* ops_gen when the fault began */
};

/*
 * The FUSE request completions (fuse_request_end()) a task is inside, for I6:
 * the outermost one's request and its stack when it began; per level whether
 * its request was marked may_block (fl_completion_level()).
 */
struct fl_completion_state {
	__u64 ts;		/* the outermost completion's entry */
	__u64 callback;		/* its args->end */
	__u32 opcode;		/* its req->in.h.opcode */
	__u32 depth;		/* completions entered and not yet left */
	__u32 hard;		/* levels whose request may not block (rules.h) */
	__s32 stack_len;
	__u64 stack[FL_STACK_DEPTH];
};

/* What faultline keeps of a task: the fault it is in and the FUSE fault entry point. */
struct fl_task_state {
	struct fl_fault_state fault;	/* ts 0 between faults */
	__u16 entry;	/* FUSE fault entry point it is inside (fuse_dax_fault & co) + 1, or 0 */
	__u16 pad[3];
	struct fl_completion_state completion;	/* depth 0 outside completions */
	/*
	 * The task's last layout break, op or no op, for the DAX range reclaim
	 * that follows it (I5 at on_reclaim(), which clears it): inode 0: none
	 */
	__u64 brk_inode;
	__u64 brk_start;	/* bytes covered [start, end), under the exclusive lock */
	__u64 brk_end;
	__u32 brk_unread;	/* the lock could not be read: it may have covered */
	__u32 brk_pad;
};

/* Could an operation overlap fault @fs (see ops_live)? If not, its inode need not be looked up. */
static __always_inline bool op_may_overlap(const struct fl_fault_state *fs)
{
	return READ_ONCE(ops_live) || READ_ONCE(ops_gen) != fs->ops_gen;
}

/* The operation in flight in one task, from its outermost hook to its end. */
struct fl_op_state {
	struct fl_side side;	/* published to the inode once the inode is known */
	__u64 ino;
	__u64 inode;		/* kernel pointer: read lock state; never exported */
	__u64 arg_a;		/* new size or offset, as the hook saw it */
	__u64 arg_b;		/* length */
	__u64 ts_op_begin;
	__u64 brk_start;	/* bytes the op's layout breaks covered under the */
	__u64 brk_end;		/* exclusive lock (union); empty: none */
	__u32 dev;
	__u32 depth;		/* nested begin hooks not yet ended */
	__u8 teardown_seen;	/* side.ts_begin is a teardown point */
	__u8 precise;		/* a function hook refined this op */
	__u8 range_from_teardowns;	/* side's range is the union of its teardowns' */
	__u8 layout_reported;	/* an unbroken-layout violation named this op */
	__u8 live;		/* published in flight: holds one ops_live */
	__u8 break_unread;	/* a layout break whose lock could not be read */
	__u16 outer_hook;	/* the hook that began the op: its end ends it */
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

/* Arguments of a function hook, read by its mode's wrapper (FUNC_HOOK). */
struct fl_args {
	__u64 a[4];
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
 * Each task's state (task_state()): task local storage where the kernel lets
 * tracing programs use it (cfg_task_storage), which goes with the task by
 * itself; else userspace makes this a hash by tid before loading, whose entry
 * stays while the task lives (a fault then costs lookups, not an insert and a
 * delete) and goes at its exit (tp_task_exit()).
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct fl_task_state);
} tasks SEC(".maps");

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

/* A fault's side is built here (too large for the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fl_side);
} scratch_side SEC(".maps");

/* A violation is built here, then copied into its ring (too large for the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fl_violation);
} scratch_vio SEC(".maps");

/* Zeroed templates that per-key state starts from; never written. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fl_task_state);
} zero_task SEC(".maps");

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

/* @map's new value under @key, made from @zero_map's zeroed template. */
static __always_inline void *state_new(void *map, const void *key, void *zero_map)
{
	__u32 zero = 0;
	void *init = bpf_map_lookup_elem(zero_map, &zero);

	if (!init)
		return NULL;
	return bpf_map_try_init(map, key, init);
}

/*
 * @map's value under @key, made from @zero_map's zeroed template if there is
 * none. The template is a map value (the states are too large for the stack);
 * looking it up when the state exists costs no helper call (an array lookup
 * is inlined) and never fails.
 */
static __always_inline void *state_get(void *map, const void *key, void *zero_map)
{
	__u32 zero = 0;
	void *init = bpf_map_lookup_elem(zero_map, &zero);

	return init ? bpf_map_lookup_or_try_init(map, key, init) : NULL;
}

static __always_inline struct fl_stats *my_stats(void)
{
	__u32 zero = 0;

#ifdef FL_ABLATE_COUNTERS	/* benchmark builds only (mk/bench.mk, doc/bench.md "Ablation") */
	return NULL;
#endif
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

/* Evidence: one lock read on a DAX inode, readable (@read) or not, counted in @st. */
static __always_inline void count_lock_read_in(struct fl_stats *st, enum fl_lock lock,
					       enum fl_counter read, enum fl_counter unknown)
{
	if (!st)
		return;
	if (fl_lock_known(lock)) {
		st->ctr[read]++;
	} else {
		st->ctr[unknown]++;
		st->ctr[FL_CTR_LOCK_UNKNOWN]++;
	}
}

static __always_inline void count_lock_read(enum fl_lock lock, enum fl_counter read,
					    enum fl_counter unknown)
{
	count_lock_read_in(my_stats(), lock, read, unknown);
}

/*
 * A begin or end the kernel skipped, unless the op or fault began before
 * attaching finished, or detaching has begun.
 */
static __always_inline void unbalanced(__u64 ts_begin)
{
	if (attach_done_ns && ts_begin > attach_done_ns && !detaching)
		count(FL_CTR_UNBALANCED);
}

static __always_inline __u32 current_tid(void)
{
	return (__u32)bpf_get_current_pid_tgid();
}

/* The current task: a BTF pointer where task local storage needs one. */
static __always_inline struct task_struct *current_task(void)
{
	if (cfg_task_storage)
		return bpf_get_current_task_btf();
	return (struct task_struct *)bpf_get_current_task();
}

/*
 * The state of @task, the current task (current_task()), made zeroed on
 * first use if @create; NULL when there is none, or none could be made (the
 * hash full, or no memory).
 */
static __always_inline struct fl_task_state *task_state_of(struct task_struct *task, bool create)
{
	__u32 tid;

	if (cfg_task_storage)
		return bpf_task_storage_get(&tasks, task, NULL,
					    create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	tid = current_tid();
	return create ? state_get(&tasks, &tid, &zero_task) : bpf_map_lookup_elem(&tasks, &tid);
}

/* The current task's state, as task_state_of(); the hash needs no task pointer. */
static __always_inline struct fl_task_state *task_state(bool create)
{
	return task_state_of(cfg_task_storage ? bpf_get_current_task_btf() : NULL, create);
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

/* Export @e (its task, time and comm filled in here) unless the filters drop it. */
static __noinline void emit(struct fl_event *e)
{
	__u64 id;

	if (!event_wanted(e->dev, e->ino))
		return;
	id = bpf_get_current_pid_tgid();
	e->ts = bpf_ktime_get_ns();
	e->pid = id >> 32;
	e->tid = (__u32)id;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (bpf_ringbuf_output(&events, e, sizeof(*e), 0))
		count(FL_CTR_EVENTS_LOST);
	else
		count(FL_CTR_EVENTS);
}

/* EMIT(.kind = ..., ...): an event from these fields, only with --events. */
#define EMIT(...)								\
	do {									\
		if (cfg_export_events) {					\
			struct fl_event __e = { __VA_ARGS__ };			\
			emit(&__e);						\
		}								\
	} while (0)

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
static __always_inline __u64 violation_seq(const struct fl_vio_key *key)
{
	__u64 one = 1, *n;

	count(FL_CTR_VIOLATIONS);
	n = bpf_map_lookup_elem(&vio_counts, key);
	if (n)
		return count_up(n);
	if (bpf_map_update_elem(&vio_counts, key, &one, BPF_NOEXIST)) {
		n = bpf_map_lookup_elem(&vio_counts, key);
		if (n)
			return count_up(n);
		/* key lost: emit it anyway so nothing goes uncounted */
		count(FL_CTR_MAP_FULL);
	}
	return 1;
}

/*
 * Start a violation of @key in the per-CPU scratch record, or NULL when it
 * is only counted. violation_send() puts it in the ring.
 */
static __noinline struct fl_violation *violation_begin(const struct fl_vio_key *key, __u16 flags)
{
	struct fl_violation *v;
	__u32 zero = 0;
	__u64 seq = violation_seq(key);

	if (seq > FL_VIOLATION_BURST) {
		count(FL_CTR_VIOLATIONS_SUPPRESSED);
		return NULL;
	}
	v = bpf_map_lookup_elem(&scratch_vio, &zero);
	if (!v)
		return NULL;
	__builtin_memset(v, 0, sizeof(*v));
	v->ts = bpf_ktime_get_ns();
	v->dev = key->dev;
	v->ino = key->ino;
	v->kind = key->kind;
	v->flags = flags;
	v->seq = seq;
	return v;
}

static __always_inline void violation_send_flags(struct fl_violation *v, __u64 flags)
{
	if (bpf_ringbuf_output(&violations, v, sizeof(*v), flags))
		count(FL_CTR_VIOLATIONS_LOST);
}

static __always_inline void violation_send(struct fl_violation *v)
{
	violation_send_flags(v, 0);
}

static __always_inline struct fl_inode_state *inode_state_get(__u32 dev, __u64 ino, bool create)
{
	struct fl_inode_key key = { .ino = ino, .dev = dev };

	if (!create)
		return bpf_map_lookup_elem(&inodes, &key);
	/* LRU: never full, it evicts the coldest inode */
	return state_get(&inodes, &key, &zero_inode);
}

/*
 * Report a race once per (op, fault) pair, whichever side saw it first.
 * @fault_ctx is the current context when the current task is the fault (its
 * stack is taken now); @op_ctx when it is the op and the op has no stack yet.
 */
static __noinline void emit_race(void *fault_ctx, void *op_ctx, const struct fl_side *fault,
				 const struct fl_side *op, const struct fl_inode_key *ik)
{
	struct fl_race_key rkey = {
		.op_ts = op->ts_begin, .fault_ts = fault->ts_begin,
		.fault_tid = fault->tid, .op_tid = op->tid,
	};
	struct fl_vio_key key = { .ino = ik->ino, .dev = ik->dev, .kind = FL_VIO_RACE,
				  .hook = fault->hook };
	struct fl_violation *v;
	__u8 one = 1;

	if (bpf_map_update_elem(&races_seen, &rkey, &one, BPF_NOEXIST))
		return;
	v = violation_begin(&key, fault->flags);
	if (!v)
		return;
	__builtin_memcpy(&v->fault, fault, sizeof(v->fault));
	__builtin_memcpy(&v->op, op, sizeof(v->op));
	if (fault_ctx)
		take_stack(fault_ctx, &v->fault);
	if (op_ctx && v->op.stack_len <= 0)
		take_stack(op_ctx, &v->op);
	violation_send(v);
}

/* ---- fault side ---- */

#ifdef FL_ABLATE_TASK_STATE
/*
 * Benchmark builds only: every fault's state in one global, no per-task lookup
 * (bytes: the skeleton does not know the struct; not static: kept whole).
 */
char fl_ablate_task_mem[sizeof(struct fl_task_state)] __attribute__((aligned(8)));
#define fl_ablate_task (*(struct fl_task_state *)fl_ablate_task_mem)
#endif

static __always_inline void fault_begin(enum fl_hook hook, struct inode *inode,
					struct vm_fault *vmf, __u32 order)
{
	struct fl_stats *stats = hit(hook);
	struct super_block *sb = inode->i_sb;
	struct task_struct *task;
	struct fl_fault_state *fs;
	struct fl_task_state *t;
	__u16 flags;

	flags = FL_F_INODE_KNOWN;
	if (sb->s_magic == FL_FUSE_SUPER_MAGIC)
		flags |= FL_F_FUSE;
	if (inode->i_flags & FL_S_DAX)
		flags |= FL_F_DAX;
	if (!inode_kept(flags) || detaching)
		return;
	if (stats)
		stats->ctr[FL_CTR_FAULTS]++;
	/* made at the task's first fault, then reused */
	task = current_task();
#ifdef FL_ABLATE_TASK_STATE
	t = &fl_ablate_task;
#else
	t = task_state_of(task, true);
#endif
	if (!t) {
		if (stats)
			stats->ctr[FL_CTR_MAP_FULL]++;
		return;
	}
	fs = &t->fault;
	if (fs->ts)	/* the last fault's end was skipped */
		unbalanced(fs->ts);
	else if (stats)
		stats->faults_open++;
#ifdef FL_ABLATE_CLOCK
	fs->ts = 1;	/* benchmark builds only: no clock read */
#else
	fs->ts = bpf_ktime_get_ns();
#endif
#ifndef FL_ABLATE_OVERLAP
	fs->ops_gen = READ_ONCE(ops_gen);
#endif
	fs->dev = sb->s_dev;
	fs->ino = inode->i_ino;
	fl_fault_range(vmf->pgoff, order, &fs->start, &fs->end);
	if (vmf_flags(vmf) & FL_FAULT_FLAG_WRITE)
		flags |= FL_F_WRITE;
	fs->flags = flags;
	fs->hook = hook;
	fs->entry_hook = hook;
	if (cfg_fault_entry_hooks && t->entry)
		fs->entry_hook = t->entry - 1;
#ifdef FL_ABLATE_LOCK
	fs->lock = FL_LOCK_SHARED;	/* benchmark builds only: the lock not read */
	(void)task;
#else
	fs->lock = fault_lock_state(inode, flags, (__u64)task);
#endif
	if (fl_invariants_apply(flags)) {
		count_lock_read_in(stats, fs->lock, FL_CTR_DAX_FAULTS_LOCK_READ,
				   FL_CTR_DAX_FAULTS_LOCK_UNKNOWN);
		if (fl_fault_lock_verdict(fs->lock) == FL_BAD) {
			struct fl_inode_state *ist = inode_state_get(fs->dev, fs->ino, true);

			if (ist && !ist->bad_fault_seen)
				ist->bad_fault_seen = fs->ts;
		}
	} else if (!fl_lock_known(fs->lock) && stats) {
		stats->ctr[FL_CTR_LOCK_UNKNOWN]++;
	}
	EMIT(.kind = FL_EV_FAULT_BEGIN, .hook = hook, .dev = fs->dev, .ino = fs->ino,
	     .start = fs->start, .end = fs->end, .op = FL_OP_FAULT, .lock = fs->lock,
	     .flags = flags);
}

/*
 * A fault on a DAX inode ended: I1 if it broke the lock rule, I3 against the
 * last operation on its inode. Only reached when a rule is at risk.
 */
static __noinline void fault_check(void *ctx, struct fl_fault_state *fs, bool bad)
{
	struct fl_inode_key ik = { .ino = fs->ino, .dev = fs->dev };
	struct fl_inode_state *ist = inode_state_get(fs->dev, fs->ino, bad);
	struct fl_violation *v;
	struct fl_side *side;
	__u32 zero = 0;

	side = bpf_map_lookup_elem(&scratch_side, &zero);
	if (!side)
		return;
	side->ts_begin = fs->ts;
	side->ts_end = bpf_ktime_get_ns();
	side->size_before = 0;
	side->stack_len = 0;
	side->opcode = 0;
	side->start = fs->start;
	side->end = fs->end;
	side->hook = fs->hook;
	side->entry_hook = fs->entry_hook;
	side->op = FL_OP_FAULT;
	side->lock = fs->lock;
	side->flags = fs->flags;
	fill_task(side);
	if (bad) {
		struct fl_vio_key key = { .ino = fs->ino, .dev = fs->dev,
					  .kind = FL_VIO_UNSERIALIZED_FAULT, .hook = fs->hook };

		take_stack(ctx, side);
		v = violation_begin(&key, fs->flags);	/* I1 */
		if (v) {
			__builtin_memcpy(&v->fault, side, sizeof(v->fault));
			violation_send(v);
		}
	}
	/*
	 * I3 from this side: an operation tore pages down while we ran. A fault
	 * that broke I1 is also kept, with its stack, for operations that end
	 * after it or learn their inode late.
	 */
	if (!ist)
		return;
	if (bad)
		__builtin_memcpy(&ist->bad_fault, side, sizeof(ist->bad_fault));
	if (ist->op.ts_begin && fl_is_race(side, &ist->op))
		emit_race(bad ? NULL : ctx, NULL, side, &ist->op, &ik);
}

static __always_inline void fault_end(void *ctx, enum fl_hook hook, int ret)
{
	struct fl_stats *stats = hit(hook);
#ifdef FL_ABLATE_TASK_STATE
	struct fl_task_state *t = &fl_ablate_task;
#else
	struct fl_task_state *t = task_state(false);
#endif
	struct fl_fault_state *fs;
	struct fl_inode_state *ist;
	bool bad;

	if (!t || !t->fault.ts) {
		count(FL_CTR_UNMATCHED_END);
		return;
	}
	fs = &t->fault;
	if (fl_invariants_apply(fs->flags)) {
		bad = fl_fault_lock_verdict((enum fl_lock)fs->lock) == FL_BAD;
		/* a good fault with no operation since it began: nothing to check */
#ifdef FL_ABLATE_OVERLAP
		/* benchmark builds only: no check against in-flight operations */
		ist = NULL;
		(void)op_may_overlap;
#else
		ist = bad || !op_may_overlap(fs) ? NULL : inode_state_get(fs->dev, fs->ino, false);
#endif
		if (bad || (ist && ist->op.ts_begin && (!ist->op.ts_end || ist->op.ts_end > fs->ts)))
			fault_check(ctx, fs, bad);
	}
	EMIT(.kind = FL_EV_FAULT_END, .hook = hook, .dev = fs->dev, .ino = fs->ino,
	     .start = fs->start, .end = fs->end, .op = FL_OP_FAULT, .lock = fs->lock,
	     .flags = fs->flags, .ret = ret);
	fs->ts = 0;	/* between faults; the state stays with the task */
	if (stats)
		stats->faults_open--;
}

/* FUSE fault entry points: only name the fault; the lock is taken after them. */
static __noinline int fault_entry_begin(void *ctx, enum fl_hook hook, const struct fl_args *a)
{
	struct fl_task_state *t;

	hit(hook);
	t = task_state(true);
	if (t)
		t->entry = hook + 1;
	else
		count(FL_CTR_MAP_FULL);
	return 0;
}

static __noinline int fault_entry_end(void *ctx, enum fl_hook hook, long ret)
{
	struct fl_task_state *t;

	hit(hook);
	t = task_state(false);
	if (t)
		t->entry = 0;
	return 0;
}

/* Tracepoint programs and their spare copies (TP_PROGS), with their turns */
#include "tp_copies.bpf.h"

/* The current task's hash entries go; task local storage goes by itself. */
static __always_inline void task_exit(void)
{
	__u32 tid = current_tid();

	if (!cfg_task_storage)
		bpf_map_delete_elem(&tasks, &tid);
	if (cfg_tp_copies > 1)
		bpf_map_delete_elem(&turns, &tid);
}

/*
 * Classic tracepoint: 5.10 and on. Attached only where there are hash
 * entries to remove (the plan's task_exit).
 */
SEC("tracepoint/sched/sched_process_exit")
int tp_task_exit(void *ctx)
{
	task_exit();
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
static __noinline bool op_set_inode(struct fl_op_state *st, struct inode *inode, bool before)
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

static __always_inline void op_event(enum fl_event_kind kind, enum fl_hook hook,
				     const struct fl_op_state *st, long ret)
{
	bool known = st->side.flags & FL_F_INODE_KNOWN;

	EMIT(.kind = kind, .hook = hook, .dev = known ? st->dev : 0, .ino = known ? st->ino : 0,
	     .start = st->side.start, .end = st->side.end, .size = st->side.size_before,
	     .op = st->side.op, .lock = st->side.lock, .flags = st->side.flags, .ret = ret);
}

/* How op_begin() begins: */
enum {
	OP_PRECISE = 1 << 0,	/* a function hook: its op kind overrides a syscall's */
	OP_LEVEL = 1 << 1,	/* the hook has an end that will balance this begin (not
				 * a tracepoint that is only a point inside the op)
				 */
	OP_NEW = 1 << 2,	/* the caller knows the task has no op: skip the lookup */
};

/*
 * Begin (or nest into) the task's operation. @op FL_OP_NONE keeps the kind an
 * outer hook already set; an OP_PRECISE hook's overrides a syscall's.
 * @how: OP_* above.
 * @a: the op's arguments: [0] inode, [1] new size or offset, [2] length.
 */
static __noinline struct fl_op_state *op_begin(enum fl_hook hook, enum fl_op op, unsigned int how,
					       const struct fl_args *a)
{
	struct inode *inode = (void *)a->a[0];
	bool precise = how & OP_PRECISE;
	__u32 tid = current_tid();
	struct fl_op_state *st;

	if (detaching)
		return NULL;
	if (how & OP_NEW)
		st = state_new(&ops, &tid, &zero_op);
	else
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
		st->outer_hook = hook;
		fill_task(&st->side);
	}
	if (how & OP_LEVEL)
		st->depth++;
	if (op != FL_OP_NONE && (st->side.op == FL_OP_NONE || (precise && !st->precise))) {
		if (st->side.op != FL_OP_OTRUNC)	/* O_TRUNC stays O_TRUNC through setattr */
			st->side.op = op;
		st->arg_a = a->a[1];
		st->arg_b = a->a[2];
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

/* The task's op is over: its hold on ops_live goes with it. */
static __always_inline void op_drop(__u32 tid, struct fl_op_state *st)
{
	if (st->live)
		__sync_fetch_and_add(&ops_live, -1);
	bpf_map_delete_elem(&ops, &tid);
}

/*
 * An op dropped without its end (the kernel skipped the hook that ends it) may still show
 * in flight on its inode, where every later fault would overlap it: close it there, as
 * ended by now at the latest. Another op's record on the inode is left alone.
 */
static __noinline void op_close(struct fl_op_state *st)
{
	struct fl_inode_state *ist = inode_state_get(st->dev, st->ino, false);
	__u64 begun = st->teardown_seen ? st->side.ts_begin : st->ts_op_begin;

	if (!ist || !(ist->op.flags & FL_F_INFLIGHT) || ist->op.ts_begin != begun)
		return;
	ist->op.ts_end = bpf_ktime_get_ns();
	ist->op.flags &= ~FL_F_INFLIGHT;
	__sync_fetch_and_add(&ops_gen, 1);
}

/* An op level that changes nothing: still counted, so its exit balances. */
static __always_inline void op_nest(enum fl_hook hook)
{
	struct fl_args none = {};

	op_begin(hook, FL_OP_NONE, OP_LEVEL, &none);
}

/* The op's first event, once it knows its inode. */
static __always_inline void op_begin_event(struct fl_op_state *st, enum fl_hook hook)
{
	if (st && (st->side.flags & FL_F_INODE_KNOWN) && st->depth == 1)
		op_event(FL_EV_OP_BEGIN, hook, st, 0);
}

/*
 * Make the op visible to faults on its inode (they check it when they end).
 * Runs in the op's own task: @ctx gives its stack to a race found here.
 */
static __noinline void op_publish(void *ctx, struct fl_op_state *st, __u64 ts_end)
{
	struct fl_inode_key ik = { .ino = st->ino, .dev = st->dev };
	struct fl_inode_state *ist;

	if (!(st->side.flags & FL_F_INODE_KNOWN) || !fl_invariants_apply(st->side.flags) ||
	    !fl_op_tears_down(st->side.start, st->side.end))
		return;
	ist = inode_state_get(st->dev, st->ino, true);
	if (!ist)
		return;
	if (!ts_end && !st->live) {
		st->live = 1;
		__sync_fetch_and_add(&ops_live, 1);
	}
	__builtin_memcpy(&ist->op, &st->side, sizeof(ist->op));
	if (!st->teardown_seen) {
		ist->op.ts_begin = st->ts_op_begin;
		ist->op.flags |= FL_F_SYSCALL_ONLY;
	}
	ist->op.ts_end = ts_end;
	if (!ts_end)
		ist->op.flags |= FL_F_INFLIGHT;
	/* a fault that broke I1 and overlapped us is a race seen from this side */
	if (ts_end)
		__sync_fetch_and_add(&ops_gen, 1);
	if (ist->bad_fault.ts_begin && fl_is_race(&ist->bad_fault, &ist->op))
		emit_race(NULL, ctx, &ist->bad_fault, &ist->op, &ik);
}

/*
 * I5 at a point that removes pages: were they all covered by the op's layout
 * breaks? A miss is reported once per op, with the removal as its range.
 */
static __noinline void layout_check(void *ctx, struct fl_op_state *st, enum fl_hook hook,
				    __u64 start, __u64 end)
{
	struct fl_vio_key key = { .ino = st->ino, .dev = st->dev,
				  .kind = FL_VIO_UNBROKEN_LAYOUT, .hook = hook };
	struct fl_violation *v;
	enum fl_verdict verdict;
	__u64 rs, re;
	int exact;

	fl_removal(start, end, st->side.size_before, &rs, &re, &exact);
	if (rs >= re)
		return;	/* nothing removed (a growing truncate) */
	verdict = fl_layout_verdict(st->brk_start, st->brk_end, rs, re, exact);
	/* a break under a lock we could not read (5.10's xfs) may have covered it */
	if (verdict == FL_BAD && st->break_unread)
		verdict = FL_UNKNOWN;
	if (verdict == FL_UNKNOWN) {
		count(FL_CTR_LAYOUT_UNKNOWN);
		return;
	}
	count(FL_CTR_LAYOUT_CHECKS);
	if (verdict != FL_BAD || st->layout_reported)
		return;
	st->layout_reported = 1;
	v = violation_begin(&key, st->side.flags);
	if (!v)
		return;
	__builtin_memcpy(&v->op, &st->side, sizeof(v->op));
	v->op.hook = hook;
	v->op.start = rs;
	v->op.end = re;
	v->op.ts_begin = bpf_ktime_get_ns();
	v->layout_start = st->brk_start;
	v->layout_end = st->brk_end;
	take_stack(ctx, &v->op);
	violation_send(v);
}

/*
 * A point inside the op where mappings are torn down: I2 / I4 checked here,
 * I5 too. @td: [0] the inode, [1] and [2] the bytes [start, end) torn down.
 */
static __noinline int op_teardown(void *ctx, enum fl_hook hook, enum fl_op kind,
				  const struct fl_args *td)
{
	struct inode *inode = (void *)td->a[0];
	__u64 start = td->a[1], end = td->a[2];
	struct fl_args a = { .a = { (__u64)inode } };
	struct fl_violation *v;
	struct fl_op_state *st;
	bool bad, dax;
	__u16 flags;
	__u8 lock;

	hit(hook);
	flags = inode_flags(inode);
	/* the FUSE request tracepoint is a point inside the op: no end balances it */
	st = op_begin(hook, kind, hook != FL_HOOK_FUSE_REQUEST ? OP_LEVEL : 0, &a);
	if (!st)
		return 0;
	if (!inode_kept(flags))
		return 0;
	if (!st->inode)
		op_set_inode(st, inode, false);
	count(FL_CTR_TEARDOWNS);
	lock = lock_state(inode, flags);
	dax = fl_invariants_apply(flags);
	if (dax)
		count_lock_read(lock, kind == FL_OP_RECLAIM ? FL_CTR_RECLAIMS_LOCK_READ :
				FL_CTR_DAX_TEARDOWNS_LOCK_READ, kind == FL_OP_RECLAIM ?
				FL_CTR_RECLAIMS_LOCK_UNKNOWN : FL_CTR_DAX_TEARDOWNS_LOCK_UNKNOWN);
	else if (!fl_lock_known(lock))
		count(FL_CTR_LOCK_UNKNOWN);
	bad = dax && fl_teardown_lock_verdict((enum fl_lock)lock) == FL_BAD;
	/* an empty inode no VMA maps: nothing to tear down, no fault to race (rules.h) */
	if (bad && kind != FL_OP_RECLAIM &&
	    !fl_teardown_can_unmap(BPF_CORE_READ(inode, i_size),
				   BPF_CORE_READ(inode, i_mapping, i_mmap.rb_root.rb_node) != NULL))
		bad = false;
	/* nothing mapped from @start on: a growing size change, say (rules.h) */
	if (bad && kind != FL_OP_RECLAIM &&
	    !fl_teardown_reaches(start, fuse_dax_mapped_end(inode, flags)))
		bad = false;
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
		if (st->range_from_teardowns)
			fl_range_union(&st->side.start, &st->side.end, start, end);
	}
	EMIT(.kind = FL_EV_TEARDOWN, .hook = hook, .dev = st->dev, .ino = st->ino, .start = start,
	     .end = end, .size = st->side.size_before, .op = st->side.op, .lock = lock,
	     .flags = flags);

	if (bad) {
		struct fl_vio_key key = { .ino = st->ino, .dev = st->dev, .hook = hook,
			.kind = fl_teardown_violation(kind == FL_OP_RECLAIM ? FL_OP_RECLAIM :
						      (enum fl_op)st->side.op) };

		v = violation_begin(&key, flags);
		if (v) {
			__builtin_memcpy(&v->op, &st->side, sizeof(v->op));
			v->op.hook = hook;
			v->op.lock = lock;
			take_stack(ctx, &v->op);
			violation_send(v);
		}
	}
	/* pages go at the page-cache teardown points; the FUSE ones only precede them */
	if (cfg_layout_check && dax && kind != FL_OP_RECLAIM &&
	    (hook == FL_HOOK_TRUNCATE_PAGECACHE || hook == FL_HOOK_TRUNCATE_PAGECACHE_RANGE))
		layout_check(ctx, st, hook, start, end);
	op_publish(ctx, st, 0);
	return 0;
}

static __always_inline int teardown(void *ctx, enum fl_hook hook, enum fl_op kind,
				    struct inode *inode, __u64 start, __u64 end)
{
	struct fl_args td = { .a = { (__u64)inode, start, end } };

	return op_teardown(ctx, hook, kind, &td);
}

/* End the task's op at @hook. @st: the op, from a syscall's end; NULL: an inner hook's. */
static __noinline int op_end(void *ctx, enum fl_hook hook, long ret, struct fl_op_state *st)
{
	bool outermost = st;	/* only a syscall's end has looked its op up already */
	__u32 tid = current_tid();

	hit(hook);
	if (!st)
		st = bpf_map_lookup_elem(&ops, &tid);
	if (!st) {
		count(FL_CTR_UNMATCHED_END);
		return 0;
	}
	if (!outermost && hook != st->outer_hook) {
		if (st->depth > 1) {
			st->depth--;
			return 0;
		}
		/* this end's begin never ran (the kernel skipped it): the op goes on */
		unbalanced(st->ts_op_begin);
		return 0;
	}
	/* the op's own end, or its syscall's: every level inside it ended too? */
	if (st->depth > 1 || hook != st->outer_hook)
		unbalanced(st->ts_op_begin);
	if (st->side.flags & FL_F_INODE_KNOWN) {
		if (!st->teardown_seen)
			st->side.flags |= FL_F_SYSCALL_ONLY;
		count(FL_CTR_OPS);
		if (fl_invariants_apply(st->side.flags) &&
		    fl_op_tears_down(st->side.start, st->side.end))
			count(FL_CTR_DAX_OPS);
		op_publish(ctx, st, bpf_ktime_get_ns());
		op_event(FL_EV_OP_END, hook, st, ret);
	} else if (st->side.op != FL_OP_NONE) {
		/*
		 * truncate(path) with nothing inside the syscall that names the
		 * inode (tracepoint-only mode, no fuse:fuse_request_end): say so.
		 */
		count(FL_CTR_OPS_INODE_UNKNOWN);
		op_event(FL_EV_OP_END, hook, st, ret);
	}
	op_drop(tid, st);	/* after its end is published: see ops_live */
	return 0;
}

/* The exit of a function hook that began or nested into an op. */
static __always_inline int op_exit(void *ctx, enum fl_hook hook, long ret)
{
	return op_end(ctx, hook, ret, NULL);
}

/*
 * A layout break (waits out pinned pages) over [@start, @end] (bytes, end
 * included; see fl_layout_range()) inside the task's op: it covers those
 * pages for I5 only if the op holds the lock exclusive.
 */
static __noinline int on_layout_break(void *ctx, enum fl_hook hook, struct inode *inode,
				      __u64 start, __u64 end)
{
	struct fl_args none = {};
	struct fl_task_state *t;
	struct fl_op_state *st;
	enum fl_verdict verdict;
	__u64 bs, be;
	__u16 flags;

	hit(hook);
	st = op_begin(hook, FL_OP_NONE, OP_LEVEL, &none);
	if (!st || !inode)
		return 0;
	flags = inode_flags(inode);
	if (!inode_kept(flags))
		return 0;
	/* before the op changes the file: i_size is still the size it had */
	if (!st->inode)
		op_set_inode(st, inode, true);
	else if (st->side.size_before == FL_EOF)
		st->side.size_before = BPF_CORE_READ(inode, i_size);
	fl_layout_range(start, end, &bs, &be);
	count(FL_CTR_LAYOUT_BREAKS);
	verdict = fl_teardown_lock_verdict(lock_state(inode, flags));
	switch (verdict) {
	case FL_OK:
		fl_range_union(&st->brk_start, &st->brk_end, bs, be);
		break;
	case FL_UNKNOWN:
		st->break_unread = 1;
		break;
	default:
		break;
	}
	/* DAX range reclaim breaks in an op of its own that ends before it frees the range */
	if (cfg_layout_check && fl_invariants_apply(flags) && (t = task_state(true))) {
		t->brk_inode = (__u64)inode;
		t->brk_start = verdict == FL_OK ? bs : 0;
		t->brk_end = verdict == FL_OK ? be : 0;
		t->brk_unread = verdict == FL_UNKNOWN;
	}
	EMIT(.kind = FL_EV_LAYOUT_BREAK, .hook = hook, .dev = st->dev, .ino = st->ino, .start = bs,
	     .end = be, .size = st->side.size_before, .op = st->side.op, .lock = st->side.lock,
	     .flags = flags);
	return 0;
}

/* ---- function hooks: one fentry/fexit and one kprobe/kretprobe pair each ---- */

/* Reading a function's arguments and return value, fentry and kprobe alike. */

/*
 * fentry context is the argument array. Read it directly (bpf_get_func_arg()
 * is 5.17+); @n must be a constant within the function's arguments, or the
 * verifier refuses the program.
 */
#define FENTRY_ARG(ctx, n)	(((__u64 *)(ctx))[n])
#define KPROBE_ARG(ctx, n)	kprobe_arg((struct pt_regs *)(ctx), n)

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

/* fexit's return value; only kernels with bpf_get_func_ret() (5.17+) report it */
static __always_inline long fexit_ret(void *ctx)
{
	__u64 ret = 0;

	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_func_ret))
		bpf_get_func_ret(ctx, &ret);
	return (long)ret;
}

/*
 * FUNC_HOOK(fn, HOOK, UNPACK, on_begin, on_exit): the four programs of a
 * function hook. UNPACK(a, ARG, ctx) reads the arguments the handler needs
 * (ARG is FENTRY_ARG or KPROBE_ARG: fentry may read only arguments the
 * function has); on_begin(ctx, HOOK, &a) and on_exit(ctx, HOOK, ret) are
 * shared by the two modes.
 */
#define FUNC_HOOK(fn, HOOK, UNPACK, on_begin, on_exit)				\
SEC("fentry/" #fn)								\
int fe_##fn(void *ctx)								\
{										\
	struct fl_args a = {};							\
	UNPACK(a, FENTRY_ARG, ctx);						\
	return GUARDED(on_begin(ctx, HOOK, &a));				\
}										\
SEC("fexit/" #fn)								\
int fx_##fn(void *ctx) { return GUARDED(on_exit(ctx, HOOK, fexit_ret(ctx))); }	\
SEC("kprobe/" #fn)								\
int kp_##fn(struct pt_regs *ctx)						\
{										\
	struct fl_args a = {};							\
	UNPACK(a, KPROBE_ARG, ctx);						\
	return on_begin(ctx, HOOK, &a);						\
}										\
SEC("kretprobe/" #fn)								\
int kr_##fn(struct pt_regs *ctx) { return on_exit(ctx, HOOK, PT_REGS_RC_CORE(ctx)); }

#define ARGS_NONE(a, ARG, ctx)	do { } while (0)
#define ARGS_1(a, ARG, ctx)	do { (a).a[0] = ARG(ctx, 0); } while (0)
#define ARGS_2(a, ARG, ctx)	do { ARGS_1(a, ARG, ctx); (a).a[1] = ARG(ctx, 1); } while (0)
#define ARGS_3(a, ARG, ctx)	do { ARGS_2(a, ARG, ctx); (a).a[2] = ARG(ctx, 2); } while (0)
#define ARGS_4(a, ARG, ctx)	do { ARGS_3(a, ARG, ctx); (a).a[3] = ARG(ctx, 3); } while (0)
/* the second argument only: reclaim_one_dmap_locked(inode, dmap), dmap_reinit_...(fcd, dmap) */
#define ARGS_SECOND(a, ARG, ctx) do { (a).a[0] = ARG(ctx, 1); } while (0)
FUNC_HOOK(fuse_dax_fault, FL_HOOK_FUSE_DAX_FAULT, ARGS_NONE, fault_entry_begin, fault_entry_end)
FUNC_HOOK(fuse_dax_huge_fault, FL_HOOK_FUSE_DAX_HUGE_FAULT, ARGS_NONE, fault_entry_begin,
	  fault_entry_end)
FUNC_HOOK(fuse_dax_page_mkwrite, FL_HOOK_FUSE_DAX_PAGE_MKWRITE, ARGS_NONE, fault_entry_begin,
	  fault_entry_end)
FUNC_HOOK(fuse_dax_pfn_mkwrite, FL_HOOK_FUSE_DAX_PFN_MKWRITE, ARGS_NONE, fault_entry_begin,
	  fault_entry_end)

/*
 * fuse_do_setattr([idmap,] dentry, attr, file): a size change, O_TRUNC's too
 * (ATTR_OPEN). The first three arguments are read whatever the layout (every
 * kernel has three); which two are the dentry and the iattr is chosen here,
 * on values: choosing among ctx offsets makes clang load through a modified
 * ctx pointer, which the verifier refuses.
 */
static __noinline int on_setattr(void *ctx, enum fl_hook hook, const struct fl_args *a)
{
	bool idmap = cfg_setattr_dentry_arg == 1;
	struct dentry *dentry = (void *)(idmap ? a->a[1] : a->a[0]);
	struct iattr *attr = (void *)(idmap ? a->a[2] : a->a[1]);
	unsigned int valid = BPF_CORE_READ(attr, ia_valid);
	struct fl_args op = { .a = { (__u64)BPF_CORE_READ(dentry, d_inode),
				     BPF_CORE_READ(attr, ia_size) } };
	struct fl_op_state *st;

	hit(hook);
	if (!(valid & ATTR_SIZE)) {
		op_nest(hook);
		return 0;
	}
	st = op_begin(hook, (valid & ATTR_OPEN) ? FL_OP_OTRUNC : FL_OP_TRUNCATE,
		      OP_PRECISE | OP_LEVEL, &op);
	op_begin_event(st, hook);
	return 0;
}

/* fuse_file_fallocate(file, mode, offset, length) */
static __noinline int on_fallocate(void *ctx, enum fl_hook hook, const struct fl_args *a)
{
	struct file *file = (void *)a->a[0];
	struct fl_args op = { .a = { (__u64)BPF_CORE_READ(file, f_inode), a->a[2], a->a[3] } };
	struct fl_op_state *st;

	hit(hook);
	st = op_begin(hook, fl_fallocate_op((__u32)a->a[1]), OP_PRECISE | OP_LEVEL, &op);
	op_begin_event(st, hook);
	return 0;
}

/* fuse_open(inode, file) or fuse_open_common(inode, file, isdir) */
static __noinline int on_open(void *ctx, enum fl_hook hook, const struct fl_args *a)
{
	struct file *file = (void *)a->a[1];
	struct fl_args op = { .a = { a->a[0] } };
	struct fl_op_state *st;

	hit(hook);
	if (!(BPF_CORE_READ(file, f_flags) & FL_O_TRUNC)) {
		op_nest(hook);
		return 0;
	}
	st = op_begin(hook, FL_OP_OTRUNC, OP_PRECISE | OP_LEVEL, &op);
	op_begin_event(st, hook);
	return 0;
}

FUNC_HOOK(fuse_do_setattr, FL_HOOK_FUSE_DO_SETATTR, ARGS_3, on_setattr, op_exit)
FUNC_HOOK(fuse_file_fallocate, FL_HOOK_FUSE_FILE_FALLOCATE, ARGS_4, on_fallocate, op_exit)
FUNC_HOOK(fuse_open, FL_HOOK_FUSE_OPEN, ARGS_2, on_open, op_exit)

/* fuse_dax_break_layouts(inode, start, end): end 0 (5.10's callers) or -1 (6.x) is "to EOF" */
static __noinline int on_break_layouts(void *ctx, enum fl_hook hook, const struct fl_args *a)
{
	__u64 end = a->a[2];

	end = end == 0 || end == (__u64)-1 ? FL_EOF : end + 1;
	return teardown(ctx, hook, FL_OP_TRUNCATE, (void *)a->a[0], a->a[1], end);
}

/* truncate_pagecache(inode, newsize): everything from newsize on */
static __noinline int on_truncate_pagecache(void *ctx, enum fl_hook hook, const struct fl_args *a)
{
	return teardown(ctx, hook, FL_OP_TRUNCATE, (void *)a->a[0], a->a[1], FL_EOF);
}

/* truncate_pagecache_range(inode, lstart, lend): lend is the last byte */
static __noinline int on_truncate_pagecache_range(void *ctx, enum fl_hook hook,
						  const struct fl_args *a)
{
	return teardown(ctx, hook, FL_OP_PUNCH_HOLE, (void *)a->a[0], a->a[1],
			   fl_add_sat(a->a[2], 1));
}

/*
 * A DAX range leaves its inode: reclaim_one_dmap_locked(inode, dmap), or where
 * that is inlined dmap_reinit_add_to_free_pool(fcd, dmap). Both take the
 * mapping second and it still names its inode. Eviction frees ranges without
 * the lock, rightly (nobody can fault on an inode being freed): skip it.
 */
static __noinline int on_reclaim(void *ctx, enum fl_hook hook, const struct fl_args *a)
{
	struct fuse_dax_mapping___fl *dmap = (void *)a->a[0];
	struct inode *inode = BPF_CORE_READ(dmap, inode);
	__u64 first = BPF_CORE_READ(dmap, itn.start), last = BPF_CORE_READ(dmap, itn.last);

	__u64 start = first << FUSE_DAX_SHIFT, end = (last + 1) << FUSE_DAX_SHIFT;
	__u32 tid = current_tid();
	struct fl_task_state *t;
	struct fl_op_state *st;

	if (!inode || inode_freeing(inode)) {
		hit(hook);
		op_nest(hook);
		return 0;
	}
	teardown(ctx, hook, FL_OP_RECLAIM, inode, start, end);
	/*
	 * I5: the range freed must have been broken, under the lock, by the
	 * task's last layout break on this inode (fuse_dax_break_layouts(inode,
	 * dmap_start, dmap_end) before it); judged once, then forgotten
	 */
	st = bpf_map_lookup_elem(&ops, &tid);
	t = task_state(false);
	if (!cfg_layout_check || !st || !fl_invariants_apply(st->side.flags) || st->inode != (__u64)inode)
		return 0;
	if (t && t->brk_inode == (__u64)inode) {
		fl_range_union(&st->brk_start, &st->brk_end, t->brk_start, t->brk_end);
		st->break_unread |= t->brk_unread;
	}
	if (t)
		t->brk_inode = 0;
	layout_check(ctx, st, hook, start, end);
	return 0;
}

FUNC_HOOK(fuse_dax_break_layouts, FL_HOOK_FUSE_DAX_BREAK_LAYOUTS, ARGS_3, on_break_layouts,
	  op_exit)
FUNC_HOOK(truncate_pagecache, FL_HOOK_TRUNCATE_PAGECACHE, ARGS_2, on_truncate_pagecache, op_exit)
FUNC_HOOK(truncate_pagecache_range, FL_HOOK_TRUNCATE_PAGECACHE_RANGE, ARGS_3,
	  on_truncate_pagecache_range, op_exit)
/* DAX range reclaim; userspace sets the target function (see on_reclaim) */
FUNC_HOOK(fuse_dax_reclaim, FL_HOOK_FUSE_DAX_RECLAIM, ARGS_SECOND, on_reclaim, op_exit)

/* dax_layout_busy_page_range(mapping, start, end) */
static __noinline int on_busy_page_range(void *ctx, enum fl_hook hook, const struct fl_args *a)
{
	struct address_space *mapping = (void *)a->a[0];

	return on_layout_break(ctx, hook, BPF_CORE_READ(mapping, host), a->a[1], a->a[2]);
}

/* dax_layout_busy_page(mapping): the whole file (ext4, xfs) */
static __noinline int on_busy_page(void *ctx, enum fl_hook hook, const struct fl_args *a)
{
	struct address_space *mapping = (void *)a->a[0];

	return on_layout_break(ctx, hook, BPF_CORE_READ(mapping, host), 0, FL_OFF_MAX);
}

/* dax_break_layout(inode, start, end, cb), 6.15 on */
static __noinline int on_break_layout(void *ctx, enum fl_hook hook, const struct fl_args *a)
{
	return on_layout_break(ctx, hook, (void *)a->a[0], a->a[1], a->a[2]);
}

FUNC_HOOK(dax_layout_busy_page_range, FL_HOOK_DAX_LAYOUT_BUSY_PAGE_RANGE, ARGS_3,
	  on_busy_page_range, op_exit)
FUNC_HOOK(dax_layout_busy_page, FL_HOOK_DAX_LAYOUT_BUSY_PAGE, ARGS_1, on_busy_page, op_exit)
FUNC_HOOK(dax_break_layout, FL_HOOK_DAX_BREAK_LAYOUT, ARGS_3, on_break_layout, op_exit)

/* ---- FUSE requests: completions and blocking sends (I6) ---- */

/*
 * fuse_request_end(req): the request's completion, args->end inside it. The
 * outermost completion keeps its request and its stack for a violation; each
 * level whether its request may block where it completes.
 */
static __noinline int on_completion_begin(void *ctx, enum fl_hook hook, const struct fl_args *a)
{
	struct fuse_req___fl *req = (void *)a->a[0];
	struct fuse_args___fl *args = BPF_CORE_READ(req, args);
	struct fl_completion_state *c;
	struct fl_task_state *t;
	__u32 level;

	hit(hook);
	if (detaching)
		return 0;
	t = task_state(true);
	if (!t) {
		count(FL_CTR_MAP_FULL);
		return 0;
	}
	c = &t->completion;
	level = c->depth;
	if (!level) {
		c->ts = bpf_ktime_get_ns();
		c->opcode = BPF_CORE_READ(req, in.h.opcode);
		c->callback = (__u64)BPF_CORE_READ(args, end);
		c->hard = 0;
		c->stack_len = bpf_get_stack(ctx, c->stack, sizeof(c->stack), 0);
	}
	c->hard = fl_completion_level(c->hard, level, fuse_args_may_block(args));
	c->depth = level + 1;
	return 0;
}

/* fuse_request_end() returned: one completion bounded by its entry and exit */
static __noinline int on_completion_end(void *ctx, enum fl_hook hook, long ret)
{
	struct fl_task_state *t;

	hit(hook);
	t = task_state(false);
	if (!t || !t->completion.depth) {
		/* its entry ran before attaching, or the kernel skipped it */
		count(FL_CTR_UNMATCHED_END);
		return 0;
	}
	t->completion.depth--;
	count(FL_CTR_COMPLETIONS);
	return 0;
}

/*
 * A FUSE request sent to wait for its answer: I6 if the task is inside a
 * completion that may not block. (fm, args) are the arguments after 6.x's
 * idmap (cfg_send_args_arg); chosen on values, as on_setattr() does.
 */
static __noinline int on_blocking_send(void *ctx, enum fl_hook hook, const struct fl_args *a)
{
	bool idmap = cfg_send_args_arg == 2;
	struct fuse_mount___fl *fm = (void *)(idmap ? a->a[1] : a->a[0]);
	struct fuse_args___fl *args = (void *)(idmap ? a->a[2] : a->a[1]);
	struct fl_completion_state *c;
	struct fl_task_state *t;
	struct fl_violation *v;
	struct fl_vio_key key = { .kind = FL_VIO_BLOCKING_IN_COMPLETION, .hook = hook };

	hit(hook);
	if (detaching)
		return 0;
	count(FL_CTR_BLOCKING_SENDS);
	t = task_state(false);
	if (!t)
		return 0;	/* never entered a completion */
	c = &t->completion;
	if (fl_send_verdict(c->depth, c->hard) != FL_BAD)
		return 0;
	key.dev = BPF_CORE_READ(fm, sb, s_dev);
	v = violation_begin(&key, FL_F_FUSE);
	if (!v)
		return 0;
	v->callback = c->callback;
	/* the completion: its task is this one */
	fill_task(&v->fault);
	v->fault.ts_begin = c->ts;
	v->fault.hook = FL_HOOK_FUSE_REQUEST_END;
	v->fault.entry_hook = FL_HOOK_FUSE_REQUEST_END;
	v->fault.opcode = c->opcode;
	v->fault.stack_len = c->stack_len;
	__builtin_memcpy(v->fault.stack, c->stack, sizeof(v->fault.stack));
	/* the send, now */
	fill_task(&v->op);
	v->op.ts_begin = v->ts;
	v->op.hook = hook;
	v->op.entry_hook = hook;
	v->op.opcode = BPF_CORE_READ(args, opcode);
	take_stack(ctx, &v->op);
	/* the task is about to wait for good: get the record out now */
	violation_send_flags(v, BPF_RB_FORCE_WAKEUP);
	return 0;
}

static __noinline int on_send_end(void *ctx, enum fl_hook hook, long ret)
{
	return 0;
}

/* the third argument is read only where the function has one (fentry: the verifier) */
#define ARGS_SEND(a, ARG, ctx)							\
	do {									\
		ARGS_2(a, ARG, ctx);						\
		if (cfg_send_args_arg == 2)					\
			(a).a[2] = ARG(ctx, 2);					\
	} while (0)
FUNC_HOOK(fuse_request_end, FL_HOOK_FUSE_REQUEST_END, ARGS_1, on_completion_begin,
	  on_completion_end)
FUNC_HOOK(fuse_simple_request, FL_HOOK_FUSE_SIMPLE_REQUEST, ARGS_SEND, on_blocking_send,
	  on_send_end)

/* ---- fault side programs: fs_dax tracepoints (every mode) ---- */

static __always_inline int dax_pte_fault(__u64 *ctx)
{
	fault_begin(FL_HOOK_DAX_PTE_FAULT, (void *)ctx[0], (void *)ctx[1], 0);
	return 0;
}
TP_PROGS("tp_btf/dax_pte_fault", tp_dax_pte_fault, dax_pte_fault, __u64 *,
	 FL_HOOK_DAX_PTE_FAULT, 0)

static __always_inline int dax_pte_fault_done(__u64 *ctx)
{
	fault_end(ctx, FL_HOOK_DAX_PTE_FAULT, (int)ctx[2]);
	return 0;
}
TP_PROGS("tp_btf/dax_pte_fault_done", tp_dax_pte_fault_done, dax_pte_fault_done, __u64 *,
	 FL_HOOK_DAX_PTE_FAULT, 1)

/* (inode, vmf, max_pgoff, result) */
static __always_inline int dax_pmd_fault(__u64 *ctx)
{
	fault_begin(FL_HOOK_DAX_PMD_FAULT, (void *)ctx[0], (void *)ctx[1], 9);
	return 0;
}
TP_PROGS("tp_btf/dax_pmd_fault", tp_dax_pmd_fault, dax_pmd_fault, __u64 *,
	 FL_HOOK_DAX_PMD_FAULT, 0)

static __always_inline int dax_pmd_fault_done(__u64 *ctx)
{
	fault_end(ctx, FL_HOOK_DAX_PMD_FAULT, (int)ctx[3]);
	return 0;
}
TP_PROGS("tp_btf/dax_pmd_fault_done", tp_dax_pmd_fault_done, dax_pmd_fault_done, __u64 *,
	 FL_HOOK_DAX_PMD_FAULT, 1)

/* ---- FUSE request tracepoints: a point inside setattr/fallocate/open ---- */

static __always_inline int fuse_request_send(__u64 *ctx)
{
	struct fuse_req___fl *req = (void *)ctx[0];
	/* a direct BTF load: a probe read would double the cost of every FUSE request */
	__u32 opcode = req->in.h.opcode, tid;
	struct fl_op_state *st;
	struct inode *inode;
	const void *in;
	__u32 arg;

	if (opcode != FUSE_SETATTR && opcode != FUSE_FALLOCATE && opcode != FUSE_OPEN)
		return 0;
	tid = current_tid();
	st = bpf_map_lookup_elem(&ops, &tid);
	if (!st || st->teardown_seen)
		return 0;
	/* only a size-setting setattr, and a fallocate mode that blocks faults, tear down */
	if (opcode == FUSE_SETATTR || opcode == FUSE_FALLOCATE) {
		in = BPF_CORE_READ(req, args, in_args[0].value);
		if (bpf_probe_read_kernel(&arg, sizeof(arg), in + (opcode == FUSE_SETATTR ?
					  FUSE_SETATTR_IN_VALID : FUSE_FALLOCATE_IN_MODE)))
			return 0;
		if (opcode == FUSE_SETATTR ? !(arg & FATTR_SIZE) :
		    !fl_fuse_fallocate_blocks_faults(arg))
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
		return teardown(ctx, FL_HOOK_FUSE_REQUEST, FL_OP_NONE, inode, 0, FL_EOF);
	return teardown(ctx, FL_HOOK_FUSE_REQUEST, FL_OP_NONE, inode, st->side.start,
			   st->side.end);
}

TP_PROGS("tp_btf/fuse_request_send", tp_fuse_request_send, fuse_request_send, __u64 *,
	 FL_HOOK_FUSE_REQUEST, 0)

static __always_inline int fuse_request_end(__u64 *ctx)
{
	struct fuse_req___fl *req = (void *)ctx[0];
	__u32 opcode = req->in.h.opcode, tid, dev;
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
	dev = fuse_req_dev(req);
	out = BPF_CORE_READ(req, args, out_args[0].value);
	if (!dev || !out ||
	    bpf_probe_read_kernel(&st->ino, sizeof(st->ino), out + FUSE_ATTR_OUT_INO))
		return 0;
	st->dev = dev;
	st->side.flags |= FL_F_INODE_KNOWN | FL_F_FUSE;
	return 0;
}

TP_PROGS("tp_btf/fuse_request_end", tp_fuse_request_end, fuse_request_end, __u64 *,
	 FL_HOOK_FUSE_REQUEST, 1)

/* ---- syscall tracepoints: the operation's interval when nothing finer exists ---- */

static __noinline int sys_op_begin(void *ctx, enum fl_hook hook, enum fl_op op,
				   const struct fl_args *a)
{
	struct inode *inode = (void *)a->a[0];
	__u32 tid = current_tid();
	struct fl_op_state *st;

	hit(hook);
	/* a syscall begins in user mode: an op still open is one whose end was skipped */
	st = bpf_map_lookup_elem(&ops, &tid);
	if (st) {
		unbalanced(st->ts_op_begin);
		if (st->live)
			op_close(st);
		op_drop(tid, st);
	}
	if (inode && !inode_kept(inode_flags(inode)))
		return 0;
	st = op_begin(hook, op, OP_LEVEL | OP_NEW, a);	/* none is left: see above */
	op_begin_event(st, hook);
	return 0;
}

static __always_inline int sys_enter_truncate(struct trace_event_raw_sys_enter *ctx)
{
	struct fl_args a = { .a = { 0, ctx->args[1] } };

	return sys_op_begin(ctx, FL_HOOK_SYS_TRUNCATE, FL_OP_TRUNCATE, &a);
}
TP_PROGS("tracepoint/syscalls/sys_enter_truncate", tp_sys_enter_truncate, sys_enter_truncate,
	 struct trace_event_raw_sys_enter *, FL_HOOK_SYS_TRUNCATE, 0)

static __always_inline int sys_enter_ftruncate(struct trace_event_raw_sys_enter *ctx)
{
	struct fl_args a = { .a = { (__u64)fd_inode(ctx->args[0]), ctx->args[1] } };

	return sys_op_begin(ctx, FL_HOOK_SYS_FTRUNCATE, FL_OP_TRUNCATE, &a);
}
TP_PROGS("tracepoint/syscalls/sys_enter_ftruncate", tp_sys_enter_ftruncate, sys_enter_ftruncate,
	 struct trace_event_raw_sys_enter *, FL_HOOK_SYS_FTRUNCATE, 0)

static __always_inline int sys_enter_fallocate(struct trace_event_raw_sys_enter *ctx)
{
	struct fl_args a = { .a = { (__u64)fd_inode(ctx->args[0]), ctx->args[2], ctx->args[3] } };

	return sys_op_begin(ctx, FL_HOOK_SYS_FALLOCATE, fl_fallocate_op(ctx->args[1]), &a);
}
TP_PROGS("tracepoint/syscalls/sys_enter_fallocate", tp_sys_enter_fallocate, sys_enter_fallocate,
	 struct trace_event_raw_sys_enter *, FL_HOOK_SYS_FALLOCATE, 0)

static __always_inline int sys_enter_open(struct trace_event_raw_sys_enter *ctx)
{
	struct fl_args a = {};

	if (!(ctx->args[1] & FL_O_TRUNC))
		return 0;
	return sys_op_begin(ctx, FL_HOOK_SYS_OPEN, FL_OP_OTRUNC, &a);
}
TP_PROGS("tracepoint/syscalls/sys_enter_open", tp_sys_enter_open, sys_enter_open,
	 struct trace_event_raw_sys_enter *, FL_HOOK_SYS_OPEN, 0)

static __always_inline int sys_enter_openat(struct trace_event_raw_sys_enter *ctx)
{
	struct fl_args a = {};

	if (!(ctx->args[2] & FL_O_TRUNC))
		return 0;
	return sys_op_begin(ctx, FL_HOOK_SYS_OPENAT, FL_OP_OTRUNC, &a);
}
TP_PROGS("tracepoint/syscalls/sys_enter_openat", tp_sys_enter_openat, sys_enter_openat,
	 struct trace_event_raw_sys_enter *, FL_HOOK_SYS_OPENAT, 0)

/* Syscall exits end the op whatever nested hooks did not balance. */
static __noinline int sys_op_end(void *ctx, enum fl_hook hook, long ret, bool opened)
{
	__u32 tid = current_tid();
	struct fl_op_state *st = bpf_map_lookup_elem(&ops, &tid);

	if (!st)
		return 0;	/* not an op we began (e.g. open without O_TRUNC) */
	if (opened && ret >= 0 && !st->inode) {
		/* open(O_TRUNC): the new fd names the inode */
		struct inode *inode = fd_inode(ret);

		if (inode && !op_set_inode(st, inode, false)) {
			op_drop(tid, st);
			return 0;
		}
		op_set_range(st);
	}
	return op_end(ctx, hook, ret, st);
}

static __always_inline int sys_exit_truncate(struct trace_event_raw_sys_exit *ctx)
{
	return sys_op_end(ctx, FL_HOOK_SYS_TRUNCATE, ctx->ret, false);
}
TP_PROGS("tracepoint/syscalls/sys_exit_truncate", tp_sys_exit_truncate, sys_exit_truncate,
	 struct trace_event_raw_sys_exit *, FL_HOOK_SYS_TRUNCATE, 1)

static __always_inline int sys_exit_ftruncate(struct trace_event_raw_sys_exit *ctx)
{
	return sys_op_end(ctx, FL_HOOK_SYS_FTRUNCATE, ctx->ret, false);
}
TP_PROGS("tracepoint/syscalls/sys_exit_ftruncate", tp_sys_exit_ftruncate, sys_exit_ftruncate,
	 struct trace_event_raw_sys_exit *, FL_HOOK_SYS_FTRUNCATE, 1)

static __always_inline int sys_exit_fallocate(struct trace_event_raw_sys_exit *ctx)
{
	return sys_op_end(ctx, FL_HOOK_SYS_FALLOCATE, ctx->ret, false);
}
TP_PROGS("tracepoint/syscalls/sys_exit_fallocate", tp_sys_exit_fallocate, sys_exit_fallocate,
	 struct trace_event_raw_sys_exit *, FL_HOOK_SYS_FALLOCATE, 1)

static __always_inline int sys_exit_open(struct trace_event_raw_sys_exit *ctx)
{
	return sys_op_end(ctx, FL_HOOK_SYS_OPEN, ctx->ret, true);
}
TP_PROGS("tracepoint/syscalls/sys_exit_open", tp_sys_exit_open, sys_exit_open,
	 struct trace_event_raw_sys_exit *, FL_HOOK_SYS_OPEN, 1)

static __always_inline int sys_exit_openat(struct trace_event_raw_sys_exit *ctx)
{
	return sys_op_end(ctx, FL_HOOK_SYS_OPENAT, ctx->ret, true);
}
TP_PROGS("tracepoint/syscalls/sys_exit_openat", tp_sys_exit_openat, sys_exit_openat,
	 struct trace_event_raw_sys_exit *, FL_HOOK_SYS_OPENAT, 1)
