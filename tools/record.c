// SPDX-License-Identifier: GPL-2.0
/*
 * faultline record: attach per the plan, optionally run a workload, and write
 * what the kernel reports to the JSON Lines log: header (the plan as it ran),
 * violations (and events with --events), trailer (counters and evidence).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include "logwriter.h"
#include "run.h"

void record_usage(FILE *f)
{
	fprintf(f,
		"usage: %s record [-o FILE] [--force] [--duration S] [-p PID] [--events] [-q]\n"
		"                 [--mode auto|fentry|kprobe|tracepoint] [--fuse-only] [--dax-only]\n"
		"                 [--fault-names] [--prog-stats] [--events-ring BYTES]\n"
		"                 [--violations-ring BYTES] [--inflight-max N] [--inode-max N]\n"
		"                 [--btf FILE] [-v] [-- CMD ARGS...]\n",
		fl_prog);
}

static const struct fl_cmd_opts record_opts = RUN_CMD_OPTS(record_usage);

/* VmRSS of this process, kB */
static uint64_t rss_kb(void)
{
	unsigned long long kb = 0;
	char line[128];
	FILE *f = fopen("/proc/self/status", "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %llu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/* ---- the log sink ---- */

struct record_sink {
	struct fl_log_writer log;
	const struct fl_ksyms *ks;
	/* for the header, written once attached */
	struct fl_trailer_info *ti;
	const struct fl_plan *plan;
	const struct fl_kbtf *kbtf;
	const struct run_opts *o;
};

static void record_violation(void *ctx, const struct fl_violation *v)
{
	struct record_sink *r = ctx;

	if (!fl_log_write(&r->log, fl_json_violation(v, r->ks), true))
		r->log.violations++;
}

static void record_event(void *ctx, const struct fl_event *e)
{
	struct record_sink *r = ctx;

	fl_log_write_event(&r->log, e);
}

static void flush_log(void *ctx)
{
	struct record_sink *r = ctx;

	if (r->log.f)
		fl_log_flush(&r->log);
}

/*
 * once attached: what starting cost, then the header with the plan as it runs;
 * the run has started, so the log takes its place (--force: over the previous one)
 */
static void record_attached(void *ctx, struct fl_session *s)
{
	struct record_sink *r = ctx;

	r->ti->startup_ns = run_now_ns() - r->ti->startup_ns;
	r->ti->rss_start_kb = rss_kb();
	r->ti->map_bytes = fl_session_map_memory(s);
	fl_log_write_header(&r->log, fl_json_header(r->plan, r->kbtf, r->o->cmd, &r->o->s));
	fl_log_place(&r->log);
}

static void workload_status(const struct run_result *r, struct fl_trailer_info *ti)
{
	ti->workload = r->have_workload;
	ti->workload_exit = -1;
	if (!r->have_workload || !r->w.reaped)
		return;
	if (WIFEXITED(r->w.status))
		ti->workload_exit = WEXITSTATUS(r->w.status);
	else if (WIFSIGNALED(r->w.status))
		ti->workload_signal = WTERMSIG(r->w.status);
	/* stopped by the recorder, or by the SIGINT that also stopped the recorder */
	ti->workload_stopped = r->w.stopped ||
		(r->status && !strcmp(r->status, "interrupted") &&
		 (ti->workload_signal == SIGINT || ti->workload_signal == SIGTERM));
}

/*
 * record's exit when all went well but the workload failed: its status, as a
 * shell gives it (128 + the signal for one the recorder did not send).
 */
static int workload_exit(const struct fl_trailer_info *ti)
{
	if (ti->workload_signal && !ti->workload_stopped)
		return 128 + ti->workload_signal;
	return ti->workload_exit > 0 ? ti->workload_exit : FL_EXIT_OK;
}

int do_record(int argc, char **argv)
{
	struct run_opts o = { .out = "faultline.jsonl" };
	struct record_sink rs = { 0 };
	struct fl_sink sink = { .violation = record_violation, .warn = run_warn, .ctx = &rs };
	struct fl_trailer_info ti = { 0 };
	struct run_result r = { 0 };
	struct fl_session_stats st;
	struct fl_session *s;
	struct fl_ksyms *ks = NULL;
	struct fl_kbtf kbtf;
	struct fl_plan plan;
	char err[512];
	int ret;

	ret = run_parse(argc, argv, &o, &record_opts);
	if (ret >= 0)
		return ret;
	ti.startup_ns = run_now_ns();
	if (o.s.export_events)
		sink.event = record_event;
	ret = run_prepare(&o, &kbtf, &ks, &plan);
	if (ret)
		return ret;
	rs.ks = ks;
	rs.ti = &ti;
	rs.plan = &plan;
	rs.kbtf = &kbtf;
	rs.o = &o;
	ret = FL_EXIT_ERROR;
	if (fl_log_open(&rs.log, o.out, o.force, err, sizeof(err))) {
		fl_err("%s", err);
		goto out;
	}
	s = run_attach(&o, &r, &plan, &kbtf, &sink, record_attached, &rs);
	if (!s) {
		fl_log_discard(&rs.log);
		goto out;
	}
	if (!r.exec_error)
		run_loop(s, &o, &r, flush_log, &rs);
	ti.rss_end_kb = rss_kb();
	fl_session_finish(s, &st);
	ti.status = r.exec_error ? "complete" : r.status;
	ti.duration_ns = r.duration_ns;
	workload_status(&r, &ti);
	fl_log_write_trailer(&rs.log, fl_json_trailer(&st, &rs.log, &ti));
	if (rs.log.error)
		fl_err("writing %s: %s (%llu lines lost)", o.out, strerror(rs.log.error),
		       (unsigned long long)rs.log.lost);
	else
		ret = r.exec_error ? FL_EXIT_ERROR : workload_exit(&ti);
	if (!o.quiet && !r.exec_error) {
		fl_session_summary(&st, err, sizeof(err));
		fl_info("%s: %s", o.out, err);
	}
	fl_session_stats_free(&st);
	fl_session_free(s);
	if (!rs.log.error && fl_log_close(&rs.log)) {
		fl_err("writing %s: %s", o.out, strerror(rs.log.error));
		ret = FL_EXIT_ERROR;
	}
	fl_log_close(&rs.log);
out:
	fl_ksyms_free(ks);
	fl_kbtf_close(&kbtf);
	return ret;
}
