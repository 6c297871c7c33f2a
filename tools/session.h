/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recording engine: load the BPF object for a plan, attach it, poll the
 * ring buffers into a sink, read the counters, detach. It knows nothing of
 * logs or terminals; record and trace are two sinks (retsnoop-style split of
 * attaching from reporting).
 */
#ifndef FAULTLINE_SESSION_H
#define FAULTLINE_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include "faultline/abi.h"
#include "plan.h"
#include "kbtf.h"

struct bpf_object;

/* Where a session's output goes: the log (record), the terminal (trace), nowhere (probe). */
struct fl_sink {
	void (*event)(void *ctx, const struct fl_event *e);
	void (*violation)(void *ctx, const struct fl_violation *v);
	void (*warn)(void *ctx, const char *msg);	/* a problem that is not fatal, one line */
	void *ctx;
};

struct fl_session_opts {
	bool fuse_only;
	bool dax_only;
	bool export_events;
	uint32_t event_pid;		/* 0: all */
	uint32_t event_dev;		/* kernel dev_t, 0: all */
	uint64_t event_ino;		/* 0: all */
	uint32_t events_ring_bytes;	/* 0: default */
	uint32_t violations_ring_bytes;
	uint32_t inflight_max;		/* ops (and tasks hash) map entries, 0: default */
	uint32_t inode_max;		/* per-inode state entries, 0: default */
	bool prog_stats;		/* kernel run-time accounting per program */
};

/* One BPF program's cost, from the kernel's accounting (--prog-stats). */
struct fl_prog_stat {
	char name[64];
	uint64_t run_cnt;
	uint64_t run_time_ns;
};

struct fl_vio_total {
	struct fl_vio_key key;
	uint64_t count;
};

struct fl_session_stats {
	uint64_t counters[FL_CTR__COUNT];
	uint64_t hook_hits[FL_HOOK__COUNT];
	struct fl_vio_total *vio_totals;	/* per key, malloc'd */
	size_t n_vio_totals;
	uint64_t inflight_faults;		/* begun and not ended at the end */
	uint64_t inflight_ops;
	uint64_t inode_entries;
	uint64_t inode_max;
	uint64_t inode_high;			/* high-water mark of the samples */
	uint64_t task_high;			/* the hash by tid: its high-water mark */
	uint64_t task_max;			/* its limit; 0: task local storage */
	uint64_t ring_violations_seen;		/* records the sink received */
	uint64_t ring_events_seen;
	struct fl_prog_stat *prog_stats;	/* malloc'd, with opts.prog_stats */
	size_t n_prog_stats;
	/* program runs the kernel skipped (recursion guard), if it counts them */
	bool misses_counted;
	uint64_t missed;			/* not made up by a spare copy */
	uint64_t missed_recovered;		/* made up by a tracepoint's spare copy */
	uint64_t hook_missed[FL_HOOK__COUNT];
};

struct fl_session;

/*
 * Load and attach what @plan says. A hook whose programs fail to load or
 * attach is dropped from @plan (fl_plan_drop(): mode none, the reason libbpf or
 * the verifier gave), and the rest goes on. NULL with a one-line reason in
 * @err when nothing can be loaded at all.
 */
struct fl_session *fl_session_start(struct fl_plan *plan, const struct fl_kbtf *kbtf,
				    const struct fl_session_opts *opts, const struct fl_sink *sink,
				    char *err, size_t errlen);

/* The hook a BPF program of faultline's object serves, -1 if none, -2 on error (tests). */
int fl_session_program_hook(const char *prog_name);
/* Deliver what is in the ring buffers, waiting up to @timeout_ms. <0: -errno. */
int fl_session_poll(struct fl_session *s, int timeout_ms);
/* Current counters (stats->vio_totals only filled by fl_session_finish). */
void fl_session_counters(struct fl_session *s, struct fl_session_stats *stats);
/*
 * Count the per-inode and (a hash by tid) per-task entries, keeping their
 * high-water marks for the trailer; the run loop calls it once a second.
 */
void fl_session_sample_maps(struct fl_session *s);
/* Detach, drain the rings into the sink, read every counter and empty the maps. */
void fl_session_finish(struct fl_session *s, struct fl_session_stats *stats);
void fl_session_free(struct fl_session *s);
void fl_session_stats_free(struct fl_session_stats *stats);
/*
 * Evidence lost: events, violation records, in-flight states that did not
 * fit, program runs the kernel skipped and begins or ends found missing.
 */
uint64_t fl_session_lost(const struct fl_session_stats *st);
/* "N faults, N operations, N violations, N lost" */
void fl_session_summary(const struct fl_session_stats *st, char *buf, size_t len);

/*
 * The loaded object, for programs that run on the session's maps (the
 * benchmark's, tests/bpf/test-object.c).
 */
struct bpf_object *fl_session_object(const struct fl_session *s);

/* Memory the loaded maps take in the kernel (bytes, as bpftool's memlock). */
uint64_t fl_session_map_memory(struct fl_session *s);

#endif
