/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoint copies: a tracepoint's program and its spares, and the turns
 * that let only one of them do a hit's work. Recent kernels run tracepoint
 * programs preemptible; a run the kernel skips (the program preempted on this
 * CPU in another task's run, counted in recursion_misses) is made up by the
 * next copy attached to the same tracepoint. Userspace attaches cfg_tp_copies
 * copies of each (tools/session.c) and reads turn_stats for the hits lost.
 *
 * Part of bpf/faultline.bpf.c, included after its GUARDED_IF() and
 * current_tid(), which the copies use.
 */
#ifndef FAULTLINE_TP_COPIES_BPF_H
#define FAULTLINE_TP_COPIES_BPF_H

#include <bpf/bpf_helpers.h>
#include "faultline/abi.h"
#include "maps.bpf.h"

/* copies of each tracepoint program attached (TP_PROGS): 1 needs no turns */
const volatile __u32 cfg_tp_copies = 1;
/*
 * Tracepoint programs run preemptible here (the kernel the copies are for):
 * they need the guard too. Elsewhere the tracepoint runs them with
 * preemption off, and the guard's two kfunc calls would be all it did.
 */
const volatile bool cfg_tp_preempt_guard = false;

/* Per task: the copy that last ran, for each tracepoint (hook * 2 + end). */
struct fl_turns {
	__u8 last[FL_TP_SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct fl_turns);
} turns SEC(".maps");

/* Per tracepoint: the first copy's runs and the hits a copy handled. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FL_TP_SLOTS);
	__type(key, __u32);
	__type(value, struct fl_turn_stat);
} turn_stats SEC(".maps");

static const struct fl_turns no_turns;

/*
 * Whether copy @copy (1-based) of the @end (0 begin, 1 end) tracepoint of
 * @hook handles this hit. A task runs a hit's copies in order, so a copy
 * numbered above the last that ran for the task belongs to the same hit, one
 * at or below it to a new hit: the first copy that runs for a hit takes it.
 * Every hit is run or skipped by copy 1, so userspace's lost hits are copy
 * 1's runs plus its skipped runs minus the hits taken. Without a turn entry
 * (the map full) only copy 1 works, and its skipped runs stay lost. With one
 * copy attached nobody takes turns: its skipped runs are all lost.
 */
static __always_inline bool take_turn(enum fl_hook hook, int end, int copy)
{
	__u32 tid = current_tid(), slot = hook * 2 + end;
	struct fl_turn_stat *ts;
	struct fl_turns *t;
	bool mine;

	if (slot >= FL_TP_SLOTS)
		return false;
	t = bpf_map_lookup_or_try_init(&turns, &tid, &no_turns);
	if (t) {
		__u8 last = t->last[slot];

		mine = !last || copy <= last;
		t->last[slot] = copy;
	} else {
		mine = copy == 1;
	}
	if (copy != 1 && !mine)
		return false;	/* a spare on a hit already taken: the usual case, kept short */
	ts = bpf_map_lookup_elem(&turn_stats, &slot);
	if (ts) {
		ts->runs += copy == 1;
		ts->taken += mine;
	}
	return mine;
}

/*
 * A tracepoint's program and its spares: FL_TP_COPIES programs with one body,
 * attached to one tracepoint in order. A run the kernel skips (the program
 * was preempted on this CPU in another task's run) is made up by the next
 * copy, and only one copy does a hit's work: take_turn() tells a copy whether
 * the hit is still its task's to handle.
 */
#define TP_COPY(sec, prog, body, ctx_t, hook, end, copy)			\
SEC(sec)									\
int prog(ctx_t ctx)								\
{										\
	return GUARDED_IF(cfg_tp_preempt_guard,				\
			  cfg_tp_copies == 1 || take_turn(hook, end, copy) ?	\
			  body(ctx) : 0);					\
}
#define TP_PROGS(sec, prog, body, ctx_t, hook, end)				\
	TP_COPY(sec, prog, body, ctx_t, hook, end, 1)				\
	TP_COPY(sec, prog##_2, body, ctx_t, hook, end, 2)			\
	TP_COPY(sec, prog##_3, body, ctx_t, hook, end, 3)
_Static_assert(FL_TP_COPIES == 3, "TP_PROGS defines FL_TP_COPIES copies");

#endif /* FAULTLINE_TP_COPIES_BPF_H */
