// SPDX-License-Identifier: GPL-2.0
/*
 * faultline trace: attach as record does and stream events and violations to
 * the terminal: one line each under a column header, wall-clock times
 * (HH:MM:SS.micro, as libbpf-tools print them), or JSON Lines with -j (the
 * raw CLOCK_MONOTONIC ts_ns kept). The line format is in faultline(8).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "faultline/rules.h"
#include "logwriter.h"
#include "names.h"
#include "run.h"

void trace_usage(FILE *f)
{
	fprintf(f,
		"usage: %s trace [-j] [-p PID] [--inode MAJ:MIN:INO] [--mount PATH] [--duration S]\n"
		"                [--mode auto|fentry|kprobe|tracepoint] [--fault-names] [--btf FILE] [-v]\n"
		"                [-- CMD ARGS...]\n",
		fl_prog);
}

static const struct fl_cmd_opts trace_opts = RUN_CMD_OPTS(trace_usage);

struct trace_sink {
	const struct fl_ksyms *ks;
	uint32_t pid, dev;
	uint64_t ino;
	int64_t mono_to_real_ns;	/* CLOCK_REALTIME - CLOCK_MONOTONIC at the start */
};

/* the columns: faultline(8), TRACE OUTPUT */
#define TRACE_HEADER_FMT "%-15s %-11s %-26s %-14s %7s %7s %-22s %-24s %-15s %-8s %5s %s\n"
#define TRACE_LINE_FMT   "%-15s %-11s %-26s %-14s %7u %7u %-22s %-24s %-15s %-8s %5s %s\n"

static void header(void)
{
	printf(TRACE_HEADER_FMT, "TIME", "EVENT", "HOOK", "OP", "PID", "TID", "INODE", "BYTES",
	       "LOCK", "FS", "RET", "COMM");
}

/* HH:MM:SS.micro, local time, of a CLOCK_MONOTONIC timestamp */
static void wall_time(const struct trace_sink *t, uint64_t mono_ns, char *buf, size_t len)
{
	int64_t real = (int64_t)mono_ns + t->mono_to_real_ns;
	time_t sec = real / 1000000000LL;
	struct tm tm;

	localtime_r(&sec, &tm);
	snprintf(buf, len, "%02d:%02d:%02d.%06lld", tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (long long)(real % 1000000000LL / 1000));
}

static void range_str(uint64_t start, uint64_t end, char *buf, size_t len)
{
	if (start >= end)
		snprintf(buf, len, "-");
	else if (end == FL_EOF)
		snprintf(buf, len, "[%llu,eof)", (unsigned long long)start);
	else
		snprintf(buf, len, "[%llu,%llu)", (unsigned long long)start,
			 (unsigned long long)end);
}

static void trace_event(void *ctx, const struct fl_event *e)
{
	const struct trace_sink *t = ctx;
	char comm[FL_COMM_LEN + 1], inode[48] = "-", range[64], when[32], ret[16] = "-";

	if (fl_json) {
		char line[768];
		int n = fl_event_line(e, line, sizeof(line));

		if (n > 0)
			fwrite(line, 1, n, stdout);
		return;
	}
	fl_comm_text(e->comm, comm);
	if (e->flags & FL_F_INODE_KNOWN) {
		char dev[32];

		fl_dev_format(e->dev, dev, sizeof(dev));
		snprintf(inode, sizeof(inode), "%s:%llu", dev, (unsigned long long)e->ino);
	}
	range_str(e->start, e->end, range, sizeof(range));
	wall_time(t, e->ts, when, sizeof(when));
	if (e->kind == FL_EV_FAULT_END || e->kind == FL_EV_OP_END)
		snprintf(ret, sizeof(ret), "%d", e->ret);
	printf(TRACE_LINE_FMT, when, fl_event_name(e->kind), fl_hook_name(e->hook),
	       fl_op_name(e->op), e->pid, e->tid, inode, range, fl_lock_name(e->lock),
	       e->flags & FL_F_FUSE ? (e->flags & FL_F_DAX ? "fuse,dax" : "fuse") :
	       e->flags & FL_F_DAX ? "dax" : "-", ret, comm);
}

static bool side_matches(const struct fl_side *s, uint32_t pid)
{
	return s->ts_begin && s->pid == pid;
}

/* A violation: the same JSON object the log holds, after the time in text mode. */
static void trace_violation(void *ctx, const struct fl_violation *v)
{
	struct trace_sink *t = ctx;
	char when[32];
	json_t *o;

	if (t->pid && !side_matches(&v->fault, t->pid) && !side_matches(&v->op, t->pid))
		return;
	if (t->dev && (v->dev != t->dev || (t->ino && v->ino != t->ino)))
		return;
	o = fl_json_violation(v, t->ks);
	if (!fl_json) {
		wall_time(t, v->ts, when, sizeof(when));
		printf("%-15s VIOLATION %s ", when, fl_violation_name(v->kind));
	}
	json_dumpf(o, stdout, JSON_COMPACT | JSON_ENSURE_ASCII);
	putchar('\n');
	json_decref(o);
	fflush(stdout);
}

static int64_t mono_to_real(void)
{
	struct timespec m, r;

	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_REALTIME, &r);
	return ((int64_t)r.tv_sec - m.tv_sec) * 1000000000LL + (r.tv_nsec - m.tv_nsec);
}

int do_trace(int argc, char **argv)
{
	struct run_opts o = { 0 };
	struct trace_sink ts = { 0 };
	struct fl_sink sink = { .event = trace_event, .violation = trace_violation,
				.warn = run_warn, .ctx = &ts };
	struct run_result r = { 0 };
	struct fl_session_stats st;
	struct fl_session *s;
	struct fl_ksyms *ks = NULL;
	struct fl_kbtf kbtf;
	struct fl_plan plan;
	int ret;

	ret = run_parse(argc, argv, &o, &trace_opts);
	if (ret >= 0)
		return ret;
	o.s.export_events = true;
	o.quiet = true;
	ret = run_prepare(&o, &kbtf, &ks, &plan);
	if (ret)
		return ret;
	ts.ks = ks;
	ts.pid = o.s.event_pid;
	ts.dev = o.s.event_dev;
	ts.ino = o.s.event_ino;
	ts.mono_to_real_ns = mono_to_real();
	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = FL_EXIT_ERROR;
	s = run_attach(&o, &r, &plan, &kbtf, &sink, NULL, NULL);
	if (!s)
		goto out;
	if (!r.exec_error) {
		fl_info("tracing, Ctrl-C to stop");
		if (!fl_json)
			header();
		run_loop(s, &o, &r, NULL, NULL);
	}
	fl_session_finish(s, &st);
	if (st.counters[FL_CTR_EVENTS_LOST])
		fl_err("%llu events lost (the terminal could not keep up)",
		       (unsigned long long)st.counters[FL_CTR_EVENTS_LOST]);
	fl_session_stats_free(&st);
	fl_session_free(s);
	ret = r.exec_error ? FL_EXIT_ERROR : FL_EXIT_OK;
out:
	fl_ksyms_free(ks);
	fl_kbtf_close(&kbtf);
	return ret;
}
