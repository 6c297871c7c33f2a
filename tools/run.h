/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What record and trace share: their options, the checks and plan before
 * loading, attaching with the workload held, and the run loop. The sinks
 * (the log, the terminal) are theirs (record.c, trace.c).
 */
#ifndef FAULTLINE_RUN_H
#define FAULTLINE_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "cli.h"
#include "plan.h"
#include "kbtf.h"
#include "ksyms.h"
#include "session.h"
#include "workload.h"

struct run_opts {
	const char *out;
	bool force;
	bool quiet;
	double duration;	/* seconds, 0: none */
	pid_t pid;		/* -p */
	enum fl_mode mode;
	bool fault_names;	/* --fault-names: attach the FUSE fault entry points */
	struct fl_session_opts s;
	char **cmd;		/* workload argv or NULL */
};

struct run_result {
	const char *status;	/* "complete", "interrupted", "duration" */
	uint64_t duration_ns;
	struct workload w;
	bool have_workload;
	int exec_error;		/* -errno of a workload that could not exec */
};

/* The options record and trace share (run.c), and their option block, with a usage of their own. */
extern const struct option run_longopts[];
#define RUN_CMD_OPTS(usage_fn)							\
	{ .shortopts = "o:p:q", .longopts = run_longopts, .usage = usage_fn,	\
	  .stop_at_operand = true }

/* The options of record and trace: -1 to go on, else the exit code. */
int run_parse(int argc, char **argv, struct run_opts *o, const struct fl_cmd_opts *co);

/*
 * Open the kernel's BTF and symbols and make the plan (fl_plan_build), with
 * the checks record and trace need (root, BTF, --mode). 0 or an exit code,
 * already said in one line; on 0 the caller frees @kbtf and @ks.
 */
int run_prepare(const struct run_opts *o, struct fl_kbtf *kbtf, struct fl_ksyms **ks,
		struct fl_plan *plan);

/*
 * Start the workload held before exec, load and attach (hooks that cannot
 * are dropped from @plan), call @attached (the log's header goes in there,
 * before anything can happen), then let the workload run. NULL when
 * something failed, already said in one line; then no workload is left.
 */
struct fl_session *run_attach(const struct run_opts *o, struct run_result *r, struct fl_plan *plan,
			      const struct fl_kbtf *kbtf, const struct fl_sink *sink,
			      void (*attached)(void *ctx, struct fl_session *s), void *ctx);

/*
 * Poll until the workload ends, the -p process exits, the duration passes, or
 * SIGINT/SIGTERM. @flush is called after every poll (record flushes its log).
 */
void run_loop(struct fl_session *s, const struct run_opts *o, struct run_result *r,
	      void (*flush)(void *), void *flush_ctx);

/* The session's non-fatal problems, as warnings (fl_sink.warn). */
void run_warn(void *ctx, const char *msg);

uint64_t run_now_ns(void);

#endif
