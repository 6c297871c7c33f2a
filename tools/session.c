// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "text.h"
#include "names.h"
#include "session.h"
#include "faultline.skel.h"

/* two programs per hook, and the task-exit housekeeping program */
#define MAX_LINKS (FL_HOOK__COUNT * 2 * FL_TP_COPIES + 1)
/*
 * Records one poll may deliver. ring_buffer__poll() keeps consuming while
 * records keep coming, so without a budget a flood would keep the recorder
 * from ever seeing SIGINT or its deadline. A callback's negative return
 * stops it after that record (which libbpf has already consumed).
 */
#define POLL_BUDGET 16384
#define POLL_BUDGET_SPENT (-EALREADY)

struct fl_session {
	struct faultline_bpf *skel;
	struct bpf_link *links[MAX_LINKS];
	struct bpf_program *link_prog[MAX_LINKS];	/* the program of links[i] */
	int link_hook[MAX_LINKS];			/* its hook, -1 for housekeeping */
	int link_end[MAX_LINKS];			/* 0 the hook's begin, 1 its end */
	int link_copy[MAX_LINKS];			/* tracepoint copy (1-based), else 0 */
	int n_links;
	struct ring_buffer *rb;
	struct fl_sink sink;
	uint64_t violations_seen;
	uint64_t events_seen;
	unsigned int polled;	/* records delivered by the current poll */
	int stats_fd;		/* keeps kernel.bpf_stats_enabled on while open */
	bool finished;
	uint64_t inode_high;	/* most per-inode entries a sample saw */
	uint64_t task_high;	/* most per-task entries (the hash by tid only) */
};

/* A record from either ring: given to the sink, counted, within the poll's budget. */
static int on_record(struct fl_session *s, void *data, size_t size, bool violation)
{
	if (size < (violation ? sizeof(struct fl_violation) : sizeof(struct fl_event)))
		return 0;
	if (violation) {
		s->violations_seen++;
		if (s->sink.violation)
			s->sink.violation(s->sink.ctx, data);
	} else {
		s->events_seen++;
		if (s->sink.event)
			s->sink.event(s->sink.ctx, data);
	}
	return ++s->polled >= POLL_BUDGET ? POLL_BUDGET_SPENT : 0;
}

static int on_violation(void *ctx, void *data, size_t size)
{
	return on_record(ctx, data, size, true);
}

static int on_event(void *ctx, void *data, size_t size)
{
	return on_record(ctx, data, size, false);
}

/*
 * The programs of hook @h in @mode: [0] begin, [1] end; [][0] the program,
 * [][1...] a tracepoint's spare copies (else NULL). Bound through the
 * skeleton from FL_HOOKS, so a program missing from the BPF object does not
 * compile.
 */
static void hook_programs(struct faultline_bpf *skel, enum fl_hook h, enum fl_mode mode,
			  struct bpf_program *out[2][FL_TP_COPIES])
{
	memset(out, 0, 2 * sizeof(out[0]));
	switch (h) {
#define PROGS_FN(ID, nm, ...)							\
	case FL_HOOK_##ID:							\
		if (mode == FL_MODE_FENTRY) {					\
			out[0][0] = skel->progs.fe_##nm;			\
			out[1][0] = skel->progs.fx_##nm;			\
		} else if (mode == FL_MODE_KPROBE) {				\
			out[0][0] = skel->progs.kp_##nm;			\
			out[1][0] = skel->progs.kr_##nm;			\
		}								\
		break;
#define PROGS_TP(ID, nm, cls, srv, cat, b, e)					\
	case FL_HOOK_##ID:							\
		if (mode == FL_MODE_TRACEPOINT) {				\
			struct bpf_program *c[2][FL_TP_COPIES] = {		\
				{ skel->progs.tp_##b, skel->progs.tp_##b##_2,	\
				  skel->progs.tp_##b##_3 },			\
				{ skel->progs.tp_##e, skel->progs.tp_##e##_2,	\
				  skel->progs.tp_##e##_3 } };			\
			memcpy(out, c, sizeof(c));				\
		}								\
		break;
	FL_HOOKS(PROGS_FN, PROGS_TP)
#undef PROGS_FN
#undef PROGS_TP
	default:
		break;
	}
}

/* The hook program @p belongs to in any mode, or -1 (housekeeping: tp_task_exit). */
static int program_hook(struct faultline_bpf *skel, const struct bpf_program *p)
{
	for (int h = 0; h < FL_HOOK__COUNT; h++) {
		for (int m = FL_MODE_FENTRY; m < FL_MODE__COUNT; m++) {
			struct bpf_program *hp[2][FL_TP_COPIES];

			hook_programs(skel, h, m, hp);
			for (int i = 0; i < 2 * FL_TP_COPIES; i++)
				if (hp[i / FL_TP_COPIES][i % FL_TP_COPIES] == p)
					return h;
		}
	}
	return -1;
}

int fl_session_program_hook(const char *prog_name)
{
	struct faultline_bpf *skel = faultline_bpf__open();
	struct bpf_program *p;
	int h = -2;

	if (!skel)
		return -2;
	p = bpf_object__find_program_by_name(skel->obj, prog_name);
	if (p)
		h = program_hook(skel, p);
	faultline_bpf__destroy(skel);
	return h;
}

/*
 * What libbpf said while a load failed: the program it was loading, and the
 * one line that says why (a CO-RE relocation it could not resolve, else the
 * verifier's last word, else libbpf's own).
 */
struct load_log {
	char prog[64];
	char reason[200];
	bool specific;		/* reason is the verifier's or a CO-RE relocation's */
	libbpf_print_fn_t prev;
};

static struct load_log *capture;

/* the last non-empty line of @text before @end, into @out */
static void last_line(const char *text, const char *end, char *out, size_t len)
{
	const char *e = end, *b;

	while (e > text && (e[-1] == '\n' || e[-1] == ' '))
		e--;
	b = e;
	while (b > text && b[-1] != '\n')
		b--;
	snprintf(out, len, "%.*s", (int)(e - b), b);
}

static int capture_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	struct load_log *c = capture;
	char msg[16384], *p, *core, *end;
	va_list copy;

	va_copy(copy, ap);
	if (c && c->prev)
		c->prev(level, fmt, copy);
	va_end(copy);
	if (!c || level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	p = strstr(msg, "prog '");
	if (p) {
		const char *q = strchr(p + 6, '\'');

		if (q) {
			snprintf(c->prog, sizeof(c->prog), "%.*s", (int)(q - p - 6), p + 6);
			/* libbpf's own words, until the verifier's are known */
			if (!c->specific) {
				const char *why = q + 1;

				while (*why == ':' || *why == ' ')
					why++;
				last_line(why, why + strcspn(why, "\n"), c->reason, sizeof(c->reason));
			}
		}
	}
	core = strstr(msg, "failed to resolve CO-RE relocation");
	end = strstr(msg, "-- END PROG LOAD LOG --");
	if (core) {
		last_line(core, core + strcspn(core, "\n"), c->reason, sizeof(c->reason));
		c->specific = true;
	} else if (end && !c->specific) {
		char *log = strstr(msg, "-- BEGIN PROG LOAD LOG --");

		/* the verifier's last word, before its statistics line */
		if (log) {
			char *stop = end;

			while (stop > log) {
				char line[sizeof(c->reason)];

				last_line(log, stop, line, sizeof(line));
				if (line[0] && strncmp(line, "processed ", 10) &&
				    strncmp(line, "verification time", 17)) {
					snprintf(c->reason, sizeof(c->reason), "%s", line);
					c->specific = true;
					break;
				}
				/* step back over that line */
				while (stop > log && (stop[-1] == '\n' || stop[-1] == ' '))
					stop--;
				while (stop > log && stop[-1] != '\n')
					stop--;
			}
		}
	}
	fl_text_printable(c->reason);
	return 0;
}

/* BPF ring buffers: a power of two, at least a page */
static bool ring_size_ok(uint32_t bytes)
{
	return bytes >= (uint32_t)getpagesize() && !(bytes & (bytes - 1));
}

/* tasks the hash standing in for task local storage holds, unless --inflight-max */
#define TASKS_HASH_MAX 16384

static int set_config(struct fl_session *s, const struct fl_plan *plan,
		      const struct fl_session_opts *o)
{
	struct faultline_bpf__rodata *rd = s->skel->rodata;

	rd->cfg_want_fuse = o->fuse_only;
	rd->cfg_want_dax = o->dax_only;
	rd->cfg_export_events = o->export_events;
	rd->cfg_event_pid = o->event_pid;
	rd->cfg_event_dev = o->event_dev;
	rd->cfg_event_ino = o->event_ino;
	rd->cfg_fuse_unlocked = plan->layout == FL_LAYOUT_NONE;
	rd->cfg_fault_entry_hooks = fl_plan_fault_names(plan);
	rd->cfg_layout_check = fl_plan_layout_check(plan);
	rd->cfg_setattr_dentry_arg = plan->setattr_dentry_arg;
	rd->cfg_send_args_arg = plan->send_args_arg;
	rd->cfg_preempt_guard = plan->preempt_guard;
	rd->cfg_tp_copies = plan->tp_copies;
	/* the kernel the copies are for is the one that runs tracepoint programs preemptible */
	rd->cfg_tp_preempt_guard = plan->preempt_guard && plan->tp_preemptible;

	if ((o->events_ring_bytes && !ring_size_ok(o->events_ring_bytes)) ||
	    (o->violations_ring_bytes && !ring_size_ok(o->violations_ring_bytes)))
		return -EINVAL;
	if (o->events_ring_bytes)
		bpf_map__set_max_entries(s->skel->maps.events, o->events_ring_bytes);
	if (o->violations_ring_bytes)
		bpf_map__set_max_entries(s->skel->maps.violations, o->violations_ring_bytes);
	rd->cfg_task_storage = plan->task_storage;
	if (!plan->task_storage) {
		/* tracing programs have no task local storage here (5.10): a hash by tid */
		bpf_map__set_type(s->skel->maps.tasks, BPF_MAP_TYPE_HASH);
		bpf_map__set_map_flags(s->skel->maps.tasks, 0);
		bpf_map__set_max_entries(s->skel->maps.tasks, o->inflight_max ? o->inflight_max :
					 TASKS_HASH_MAX);
	}
	if (o->inflight_max)
		bpf_map__set_max_entries(s->skel->maps.ops, o->inflight_max);
	if (o->inode_max)
		bpf_map__set_max_entries(s->skel->maps.inodes, o->inode_max);
	/* Event export off: the ring is never written, keep it at one page */
	if (!o->export_events)
		bpf_map__set_max_entries(s->skel->maps.events, getpagesize());
	return 0;
}

/* Turn on the programs of every hook the plan attaches, aimed at their targets. */
static int set_programs(struct fl_session *s, const struct fl_plan *plan)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, s->skel->obj)
		bpf_program__set_autoload(p, false);
	for (int h = 0; h < FL_HOOK__COUNT; h++) {
		const struct fl_hook_plan *hp = &plan->hooks[h];
		struct bpf_program *progs[2][FL_TP_COPIES];

		hook_programs(s->skel, h, hp->mode, progs);
		for (int i = 0; i < 2 * FL_TP_COPIES; i++) {
			struct bpf_program *p = progs[i / FL_TP_COPIES][i % FL_TP_COPIES];

			if (!p || i % FL_TP_COPIES >= plan->tp_copies)
				continue;
			bpf_program__set_autoload(p, true);
			if (hp->mode == FL_MODE_FENTRY &&
			    bpf_program__set_attach_target(p, 0, hp->target))
				return -errno;
		}
	}
	/* housekeeping: per-task hash entries leave with their task */
	bpf_program__set_autoload(s->skel->progs.tp_task_exit, plan->task_exit);
	return 0;
}

/*
 * Open, configure and load the object. A program that fails to load (a CO-RE
 * relocation, the verifier, a missing target) costs only its hook: the hook
 * is dropped from the plan with libbpf's reason and the object loaded again
 * without it. 0, or -errno with a one-line reason in @err.
 */
static int load(struct fl_session *s, struct fl_plan *plan, const struct fl_kbtf *kbtf,
		const struct fl_session_opts *opts, char *err, size_t errlen)
{
	LIBBPF_OPTS(bpf_object_open_opts, oopts, .btf_custom_path = fl_kbtf_core_path(kbtf));

	for (int attempt = 0; attempt <= FL_HOOK__COUNT; attempt++) {
		struct load_log log = { 0 };
		struct bpf_program *p;
		int ret, h;

		faultline_bpf__destroy(s->skel);
		s->skel = faultline_bpf__open_opts(&oopts);
		if (!s->skel) {
			snprintf(err, errlen, "cannot open the BPF object: %s", strerror(errno));
			return -errno;
		}
		ret = set_config(s, plan, opts);
		if (ret == -EINVAL) {
			snprintf(err, errlen, "--events-ring/--violations-ring: a power of two of at least %d bytes",
				 getpagesize());
			return ret;
		}
		if (set_programs(s, plan)) {
			ret = -errno;
			snprintf(err, errlen, "cannot target the planned functions: %s", strerror(errno));
			return ret;
		}
		log.prev = libbpf_set_print(capture_print);
		capture = &log;
		ret = faultline_bpf__load(s->skel);
		capture = NULL;
		libbpf_set_print(log.prev);
		if (!ret)
			return 0;
		p = log.prog[0] ? bpf_object__find_program_by_name(s->skel->obj, log.prog) : NULL;
		h = p ? program_hook(s->skel, p) : -1;
		if (h < 0 || plan->hooks[h].mode == FL_MODE_NONE) {
			snprintf(err, errlen, "cannot load the BPF programs: %s%s%s%s", strerror(-ret),
				 log.prog[0] ? " (" : "", log.prog, log.prog[0] ? ")" : "");
			if (log.reason[0])
				snprintf(err + strlen(err), errlen - strlen(err), ": %s", log.reason);
			return ret;
		}
		{
			char why[sizeof(log.prog) + sizeof(log.reason) + 64];

			snprintf(why, sizeof(why), "%s: %s failed to load: %s",
				 fl_mode_name(plan->hooks[h].mode), log.prog,
				 log.reason[0] ? log.reason : strerror(-ret));
			fl_plan_drop(plan, h, why);
		}
	}
	snprintf(err, errlen, "cannot load the BPF programs: every hook failed");
	return -EINVAL;
}

/* Attach hook @h's programs; on failure detach what attached and say why in @why. */
static int attach_hook(struct fl_session *s, enum fl_hook h, const struct fl_hook_plan *hp,
		       int tp_copies, char *why, size_t len)
{
	struct bpf_program *p[2][FL_TP_COPIES];
	int first = s->n_links;

	hook_programs(s->skel, h, hp->mode, p);
	/*
	 * Kprobe mode attaches the kretprobe first. A kprobe and a kretprobe on
	 * one function share one aggregated kprobe whose handlers run newest
	 * first; the kretprobe's replaces the return address on the stack, and
	 * 5.10's unwinder stops at kretprobe_trampoline: a stack the entry
	 * program took after it ended there ("truncate_pagecache+0x1,
	 * kretprobe_trampoline"). Attached second, the entry program runs first.
	 */
	for (int k = 0; k < 2 * FL_TP_COPIES; k++) {
		int i = hp->mode == FL_MODE_KPROBE ? 1 - k / FL_TP_COPIES : k / FL_TP_COPIES;
		int c = k % FL_TP_COPIES;
		struct bpf_program *prog = p[i][c];
		struct bpf_link *link;

		if (!prog || c >= tp_copies)
			continue;
		if (s->n_links >= MAX_LINKS) {
			snprintf(why, len, "too many programs to attach (%d)", MAX_LINKS);
			return -E2BIG;
		}
		if (hp->mode == FL_MODE_KPROBE)
			link = bpf_program__attach_kprobe(prog, i == 1, hp->target);
		else
			link = bpf_program__attach(prog);
		if (!link) {
			int e = errno;

			snprintf(why, len, "%s: cannot attach %s to %s: %s", fl_mode_name(hp->mode),
				 bpf_program__name(prog), hp->target, strerror(e));
			while (s->n_links > first)
				bpf_link__destroy(s->links[--s->n_links]);
			return -e;
		}
		s->link_prog[s->n_links] = prog;
		s->link_hook[s->n_links] = h;
		s->link_end[s->n_links] = i;
		s->link_copy[s->n_links] = hp->mode == FL_MODE_TRACEPOINT ? c + 1 : 0;
		s->links[s->n_links++] = link;
	}
	return 0;
}

struct fl_session *fl_session_start(struct fl_plan *plan, const struct fl_kbtf *kbtf,
				    const struct fl_session_opts *opts, const struct fl_sink *sink,
				    char *err, size_t errlen)
{
	struct fl_session *s = calloc(1, sizeof(*s));
	struct bpf_link *link;

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->sink = *sink;
	s->stats_fd = -1;
	if (opts->prog_stats) {
		s->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (s->stats_fd < 0) {
			snprintf(err, errlen, "cannot enable BPF run-time statistics: %s",
				 strerror(errno));
			goto fail;
		}
	}
	if (load(s, plan, kbtf, opts, err, errlen))
		goto fail;
	s->rb = ring_buffer__new(bpf_map__fd(s->skel->maps.violations), on_violation, s, NULL);
	if (!s->rb || ring_buffer__add(s->rb, bpf_map__fd(s->skel->maps.events), on_event, s)) {
		snprintf(err, errlen, "cannot set up the ring buffers: %s", strerror(errno));
		goto fail;
	}
	/* a hook that cannot attach is dropped, as one that cannot load */
	for (int h = 0; h < FL_HOOK__COUNT; h++) {
		char why[sizeof(plan->hooks[h].reason)] = "";
		int ret;

		if (plan->hooks[h].mode == FL_MODE_NONE)
			continue;
		ret = attach_hook(s, h, &plan->hooks[h], plan->tp_copies, why, sizeof(why));
		if (ret == -E2BIG) {
			snprintf(err, errlen, "%s", why);
			goto fail;
		}
		if (ret)
			fl_plan_drop(plan, h, why);
	}
	/*
	 * Not fatal: without it an exited task's idle hash entries stay until
	 * the session ends, and a full map is counted as map_full as ever.
	 */
	link = NULL;
	if (plan->task_exit && s->n_links < MAX_LINKS)
		link = bpf_program__attach(s->skel->progs.tp_task_exit);
	if (link) {
		s->link_prog[s->n_links] = s->skel->progs.tp_task_exit;
		s->link_hook[s->n_links] = -1;
		s->link_copy[s->n_links] = 0;
		s->links[s->n_links++] = link;
	} else if (plan->task_exit && s->sink.warn) {
		char msg[200];

		snprintf(msg, sizeof(msg), "cannot attach to sched:sched_process_exit (%s): "
			 "fault state of exited tasks is kept until the end", strerror(errno));
		s->sink.warn(s->sink.ctx, msg);
	}
	/* from now on a begin or end found missing was skipped by the kernel */
	{
		struct timespec now;

		clock_gettime(CLOCK_MONOTONIC, &now);
		s->skel->bss->attach_done_ns = (uint64_t)now.tv_sec * 1000000000ULL + now.tv_nsec;
	}
	return s;
fail:
	fl_session_free(s);
	return NULL;
}

int fl_session_poll(struct fl_session *s, int timeout_ms)
{
	int n;

	s->polled = 0;
	n = ring_buffer__poll(s->rb, timeout_ms);
	if (n == POLL_BUDGET_SPENT)
		return s->polled;
	return n == -EINTR ? 0 : n;
}

void fl_session_counters(struct fl_session *s, struct fl_session_stats *st)
{
	int ncpu = libbpf_num_possible_cpus();
	struct fl_stats *per_cpu;
	uint32_t zero = 0;

	memset(st->counters, 0, sizeof(st->counters));
	memset(st->hook_hits, 0, sizeof(st->hook_hits));
	st->inflight_faults = 0;
	per_cpu = ncpu > 0 ? calloc(ncpu, sizeof(*per_cpu)) : NULL;
	if (per_cpu && !bpf_map_lookup_elem(bpf_map__fd(s->skel->maps.stats), &zero, per_cpu)) {
		for (int c = 0; c < ncpu; c++) {
			for (int i = 0; i < FL_CTR__COUNT; i++)
				st->counters[i] += per_cpu[c].ctr[i];
			for (int i = 0; i < FL_HOOK__COUNT; i++)
				st->hook_hits[i] += per_cpu[c].hook[i];
			st->inflight_faults += per_cpu[c].faults_open;	/* wraps to the count */
		}
	}
	free(per_cpu);
	/* the BPF side counts per hook only */
	for (int i = 0; i < FL_HOOK__COUNT; i++)
		st->counters[FL_CTR_HOOK_HITS] += st->hook_hits[i];
	st->ring_violations_seen = s->violations_seen;
	st->ring_events_seen = s->events_seen;
}

/* Count a hash map's entries, and with @drain delete them all. */
static uint64_t map_entries(struct bpf_map *map, bool drain)
{
	int fd = bpf_map__fd(map);
	size_t ksz = bpf_map__key_size(map);
	char key[64], next[64];
	uint64_t n = 0, seen = 0;
	void *prev = NULL;

	if (ksz > sizeof(key))
		return 0;
	while (!bpf_map_get_next_key(fd, prev, next)) {
		n++;
		if (drain) {
			bpf_map_delete_elem(fd, next);
			prev = NULL;	/* restart: the key we stood on is gone */
		} else {
			memcpy(key, next, ksz);
			prev = key;
		}
		if (++seen > 10000000)
			break;
	}
	return n;
}

static void read_vio_totals(struct fl_session *s, struct fl_session_stats *st)
{
	int fd = bpf_map__fd(s->skel->maps.vio_counts);
	struct fl_vio_key cur, next;
	bool first = true;
	size_t cap = 0;

	while (!bpf_map_get_next_key(fd, first ? NULL : &cur, &next)) {
		uint64_t n;

		first = false;
		cur = next;
		if (bpf_map_lookup_elem(fd, &cur, &n))
			continue;
		if (st->n_vio_totals == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			void *p = realloc(st->vio_totals, ncap * sizeof(*st->vio_totals));

			if (!p)
				break;
			st->vio_totals = p;
			cap = ncap;
		}
		st->vio_totals[st->n_vio_totals].key = cur;
		st->vio_totals[st->n_vio_totals].count = n;
		st->n_vio_totals++;
	}
}

static void read_prog_stats(struct fl_session *s, struct fl_session_stats *st)
{
	struct bpf_program *p;
	size_t n = 0;

	bpf_object__for_each_program(p, s->skel->obj)
		n += bpf_program__fd(p) >= 0;
	st->prog_stats = calloc(n ? n : 1, sizeof(*st->prog_stats));
	if (!st->prog_stats)
		return;
	bpf_object__for_each_program(p, s->skel->obj) {
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);
		struct fl_prog_stat *ps;

		if (bpf_program__fd(p) < 0 || bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len))
			continue;
		ps = &st->prog_stats[st->n_prog_stats++];
		snprintf(ps->name, sizeof(ps->name), "%s", bpf_program__name(p));
		ps->run_cnt = info.run_cnt;
		ps->run_time_ns = info.run_time_ns;
	}
}

/* A tracepoint's first-copy runs and hits taken, summed over CPUs. */
static int read_turn_stat(struct fl_session *s, __u32 slot, struct fl_turn_stat *sum)
{
	int ncpu = libbpf_num_possible_cpus();
	struct fl_turn_stat *v;

	memset(sum, 0, sizeof(*sum));
	if (ncpu <= 0 || !(v = calloc(ncpu, sizeof(*v))))
		return -1;
	if (bpf_map__lookup_elem(s->skel->maps.turn_stats, &slot, sizeof(slot), v,
				 ncpu * sizeof(*v), 0)) {
		free(v);
		return -1;
	}
	for (int c = 0; c < ncpu; c++) {
		sum->runs += v[c].runs;
		sum->taken += v[c].taken;
	}
	free(v);
	return 0;
}

/*
 * The runs of each attached program the kernel skipped (its recursion guard:
 * the program was already running on that CPU, preempted or interrupted),
 * from bpf_prog_info.recursion_misses, after every link is gone. A kernel
 * whose bpf_prog_info ends before that field (before 5.12) cannot say:
 * misses_counted stays false. A tracepoint's hits are all run or skipped by
 * its first copy (attached first, detached last), so the hits no copy took
 * are that copy's runs and skips minus the hits taken; the rest of its skips
 * a spare made up (missed_recovered), and the spares' own skips cost nothing.
 */
static void read_missed(struct fl_session *s, struct fl_session_stats *st)
{
	st->misses_counted = s->n_links > 0;
	for (int i = 0; i < s->n_links; i++) {
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(s->link_prog[i]);
		uint64_t lost;

		if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len) ||
		    len < offsetof(struct bpf_prog_info, recursion_misses) +
			  sizeof(info.recursion_misses)) {
			st->misses_counted = false;
			continue;
		}
		lost = info.recursion_misses;
		if (s->link_copy[i] > 1)
			continue;
		if (s->link_copy[i] == 1) {
			struct fl_turn_stat ts;
			uint64_t hits;

			if (read_turn_stat(s, s->link_hook[i] * 2 + s->link_end[i], &ts)) {
				st->misses_counted = false;
				continue;
			}
			hits = ts.runs + info.recursion_misses;
			lost = hits > ts.taken ? hits - ts.taken : 0;
			if (lost < info.recursion_misses)
				st->missed_recovered += info.recursion_misses - lost;
		}
		st->missed += lost;
		if (s->link_hook[i] >= 0)
			st->hook_missed[s->link_hook[i]] += lost;
	}
}

void fl_session_sample_maps(struct fl_session *s)
{
	uint64_t n = map_entries(s->skel->maps.inodes, false);

	if (n > s->inode_high)
		s->inode_high = n;
	if (bpf_map__type(s->skel->maps.tasks) == BPF_MAP_TYPE_HASH) {
		n = map_entries(s->skel->maps.tasks, false);
		if (n > s->task_high)
			s->task_high = n;
	}
}

void fl_session_finish(struct fl_session *s, struct fl_session_stats *st)
{
	memset(st, 0, sizeof(*st));
	fl_session_sample_maps(s);
	if (s->stats_fd >= 0)
		read_prog_stats(s, st);
	/*
	 * Detaching: an end whose program goes before its begin's is not a
	 * skipped run (a busy machine's next syscall would say so otherwise),
	 * and what begins now would only be left in flight.
	 */
	s->skel->bss->detaching = 1;
	/* newest first: a tracepoint's first copy sees every hit its spares do */
	for (int i = s->n_links - 1; i >= 0; i--) {
		bpf_link__destroy(s->links[i]);
		s->links[i] = NULL;
	}
	read_missed(s, st);
	s->n_links = 0;
	/* everything the programs submitted before detaching */
	do
		s->polled = 0;
	while (ring_buffer__consume(s->rb) == POLL_BUDGET_SPENT);
	fl_session_counters(s, st);
	read_vio_totals(s, st);
	st->inflight_ops = map_entries(s->skel->maps.ops, true);
	/* task local storage cannot be walked; it goes with its tasks or the map */
	if (bpf_map__type(s->skel->maps.tasks) == BPF_MAP_TYPE_HASH) {
		map_entries(s->skel->maps.tasks, true);
		st->task_max = bpf_map__max_entries(s->skel->maps.tasks);
		st->task_high = s->task_high;
	}
	st->inode_entries = map_entries(s->skel->maps.inodes, false);
	st->inode_max = bpf_map__max_entries(s->skel->maps.inodes);
	st->inode_high = s->inode_high;
	s->finished = true;
}

void fl_session_free(struct fl_session *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->n_links; i++)
		bpf_link__destroy(s->links[i]);
	ring_buffer__free(s->rb);
	faultline_bpf__destroy(s->skel);
	if (s->stats_fd >= 0)
		close(s->stats_fd);
	free(s);
}

uint64_t fl_session_lost(const struct fl_session_stats *st)
{
	return st->counters[FL_CTR_EVENTS_LOST] + st->counters[FL_CTR_VIOLATIONS_LOST] +
	       st->counters[FL_CTR_MAP_FULL] + st->counters[FL_CTR_UNBALANCED] + st->missed;
}

void fl_session_summary(const struct fl_session_stats *st, char *buf, size_t len)
{
	snprintf(buf, len, "%llu faults, %llu operations, %llu violations, %llu lost",
		 (unsigned long long)st->counters[FL_CTR_FAULTS],
		 (unsigned long long)st->counters[FL_CTR_OPS],
		 (unsigned long long)st->counters[FL_CTR_VIOLATIONS],
		 (unsigned long long)fl_session_lost(st));
}

void fl_session_stats_free(struct fl_session_stats *st)
{
	free(st->vio_totals);
	free(st->prog_stats);
	st->vio_totals = NULL;
	st->n_vio_totals = 0;
	st->prog_stats = NULL;
	st->n_prog_stats = 0;
}

struct bpf_object *fl_session_object(const struct fl_session *s)
{
	return s->skel->obj;
}

uint64_t fl_session_map_memory(struct fl_session *s)
{
	struct bpf_map *map;
	uint64_t total = 0;

	bpf_object__for_each_map(map, s->skel->obj) {
		char path[64], line[128];
		FILE *f;

		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", bpf_map__fd(map));
		f = fopen(path, "re");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			unsigned long long v;

			if (sscanf(line, "memlock: %llu", &v) == 1)
				total += v;
		}
		fclose(f);
	}
	return total;
}
