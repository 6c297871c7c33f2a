// SPDX-License-Identifier: GPL-2.0
/*
 * faultline record / trace: attach per the plan, optionally run a workload,
 * and send what the kernel reports to a sink: the JSON Lines log (record) or
 * the terminal (trace).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "faultline/rules.h"
#include "hooks.h"
#include "log.h"
#include "names.h"
#include "session.h"

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

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

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int parse_u32(const char *opt, const char *arg, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 0);
	if (errno || *end || end == arg || v > UINT32_MAX) {
		fl_err("%s '%s': expected an unsigned number", opt, arg);
		return -1;
	}
	*out = v;
	return 0;
}

/* --inode DEV:INO where DEV is MAJOR:MINOR, e.g. 0:52:1234 */
static int parse_inode(const char *arg, uint32_t *dev, uint64_t *ino)
{
	unsigned int maj, min;
	unsigned long long i;
	char tail;

	if (sscanf(arg, "%u:%u:%llu%c", &maj, &min, &i, &tail) != 3 || min > 0xfffff) {
		fl_err("--inode '%s': expected MAJOR:MINOR:INODE (as in the log's dev and ino)", arg);
		return -1;
	}
	*dev = maj << 20 | min;
	*ino = i;
	return 0;
}

static int parse_mount(const char *arg, uint32_t *dev)
{
	struct stat st;

	if (stat(arg, &st)) {
		fl_err("--mount '%s': %s", arg, strerror(errno));
		return -1;
	}
	*dev = major(st.st_dev) << 20 | minor(st.st_dev);
	return 0;
}

/* ---- workload ---- */

struct workload {
	pid_t pid;
	int go_fd;		/* write end: release the child */
	int exec_fd;		/* read end: errno if exec failed, EOF if it succeeded */
	int status;
	bool reaped;
};

/* Fork the workload stopped before exec, so nothing runs before we attach. */
static int workload_spawn(struct workload *w, char **argv)
{
	int go[2], ex[2];
	char c;

	if (pipe2(go, O_CLOEXEC) || pipe2(ex, O_CLOEXEC))
		return -errno;
	w->pid = fork();
	if (w->pid < 0)
		return -errno;
	if (w->pid == 0) {
		int e;

		close(go[1]);
		close(ex[0]);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		execvp(argv[0], argv);
		e = errno;
		if (write(ex[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(ex[1]);
	w->go_fd = go[1];
	w->exec_fd = ex[0];
	return 0;
}

/* Release the child; 0 once it has exec'd, else -errno of the failed exec. */
static int workload_release(struct workload *w)
{
	int e = 0;
	ssize_t n;

	if (write(w->go_fd, "g", 1) != 1)
		return -errno;
	close(w->go_fd);
	n = read(w->exec_fd, &e, sizeof(e));
	close(w->exec_fd);
	return n == sizeof(e) ? -e : 0;
}

static bool workload_done(struct workload *w)
{
	if (w->reaped)
		return true;
	if (waitpid(w->pid, &w->status, WNOHANG) == w->pid)
		w->reaped = true;
	return w->reaped;
}

static void workload_stop(struct workload *w)
{
	if (w->reaped)
		return;
	kill(w->pid, SIGTERM);
	for (int i = 0; i < 50 && !workload_done(w); i++)
		usleep(100000);
	if (!w->reaped) {
		kill(w->pid, SIGKILL);
		if (waitpid(w->pid, &w->status, 0) == w->pid)
			w->reaped = true;
	}
}

/* ---- sinks ---- */

struct record_sink {
	struct fl_log_writer log;
	const struct fl_ksyms *ks;
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

struct trace_sink {
	const struct fl_ksyms *ks;
	uint32_t pid, dev;
	uint64_t ino;
};

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
	char comm[FL_COMM_LEN + 1], inode[64] = "inode-unknown", range[64];

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
	printf("%llu.%06llu %-11s %-24s %-12s %6u/%-6u %s bytes %s lock %s%s%s",
	       (unsigned long long)(e->ts / 1000000000ULL),
	       (unsigned long long)(e->ts % 1000000000ULL / 1000), fl_event_name(e->kind),
	       fl_hook_name(e->hook), fl_op_name(e->op), e->pid, e->tid, inode, range,
	       fl_lock_name(e->lock),
	       e->flags & FL_F_FUSE ? " fuse" : "", e->flags & FL_F_DAX ? " dax" : "");
	if (e->kind == FL_EV_FAULT_END || e->kind == FL_EV_OP_END)
		printf(" ret %d", e->ret);
	printf(" comm %s\n", comm);
}

static bool side_matches(const struct fl_side *s, uint32_t pid)
{
	return s->ts_begin && s->pid == pid;
}

static void trace_violation(void *ctx, const struct fl_violation *v)
{
	struct trace_sink *t = ctx;
	json_t *o;

	if (t->pid && !side_matches(&v->fault, t->pid) && !side_matches(&v->op, t->pid))
		return;
	if (t->dev && (v->dev != t->dev || (t->ino && v->ino != t->ino)))
		return;
	o = fl_json_violation(v, t->ks);
	if (!fl_json)
		fputs("VIOLATION ", stdout);
	json_dumpf(o, stdout, JSON_COMPACT);
	putchar('\n');
	json_decref(o);
	fflush(stdout);
}

/* ---- the shared run loop ---- */

static void live_counters(struct fl_session *s, uint64_t started)
{
	struct fl_session_stats st = { 0 };

	fl_session_counters(s, &st);
	fprintf(stderr, "\r%s: %5.0fs  faults %llu  ops %llu  violations %llu  lost %llu ",
		fl_prog, (now_ns() - started) / 1e9,
		(unsigned long long)st.counters[FL_CTR_FAULTS],
		(unsigned long long)st.counters[FL_CTR_OPS],
		(unsigned long long)st.counters[FL_CTR_VIOLATIONS],
		(unsigned long long)(st.counters[FL_CTR_EVENTS_LOST] +
				     st.counters[FL_CTR_VIOLATIONS_LOST] +
				     st.counters[FL_CTR_MAP_FULL]));
}

struct run_result {
	const char *status;
	uint64_t duration_ns;
	struct workload w;
	bool have_workload;
	int exec_error;
};

/*
 * Poll until the workload ends, the -p process exits, the duration passes, or
 * SIGINT/SIGTERM. @flush is called after every poll (record flushes its log).
 */
static void run_loop(struct fl_session *s, const struct run_opts *o, struct run_result *r,
		     void (*flush)(void *), void *flush_ctx)
{
	bool live = !o->quiet && !fl_json && isatty(STDERR_FILENO) && o->out;
	uint64_t started = now_ns(), last_live = 0;
	uint64_t deadline = o->duration > 0 ? started + (uint64_t)(o->duration * 1e9) : 0;

	r->status = "complete";
	for (;;) {
		int n = fl_session_poll(s, 100);

		if (n < 0 && n != -EINTR) {
			fl_err("ring buffer poll failed: %s", strerror(-n));
			r->status = "interrupted";
			break;
		}
		if (flush)
			flush(flush_ctx);
		if (stop_signal) {
			r->status = "interrupted";
			break;
		}
		if (deadline && now_ns() >= deadline) {
			r->status = "duration";
			break;
		}
		if (r->have_workload && workload_done(&r->w))
			break;
		if (o->pid && !r->have_workload && kill(o->pid, 0) && errno == ESRCH)
			break;
		if (live && now_ns() - last_live > 1000000000ULL) {
			live_counters(s, started);
			last_live = now_ns();
		}
	}
	if (live)
		fputc('\n', stderr);
	if (r->have_workload)
		workload_stop(&r->w);
	r->duration_ns = now_ns() - started;
}

static void flush_log(void *ctx)
{
	struct record_sink *r = ctx;

	if (r->log.f)
		fflush(r->log.f);
}

/* Checks and setup shared by record and trace. Returns 0 or an exit code. */
static int prepare(const struct run_opts *o, struct fl_kbtf *kbtf, struct fl_ksyms **ks,
		   struct fl_plan *plan)
{
	char err[512];

	if (geteuid() != 0) {
		fl_err("recording needs root (CAP_BPF, CAP_PERFMON and tracefs): run it as root");
		return FL_EXIT_ERROR;
	}
	if (fl_kbtf_open(kbtf, fl_btf_path, err, sizeof(err))) {
		fl_err("%s", err);
		return FL_EXIT_ERROR;
	}
	if (!fl_kbtf_has_kernel_types(kbtf)) {
		fl_err("this kernel has no BTF (/sys/kernel/btf/vmlinux missing) and no --btf was given: CO-RE programs cannot load");
		fl_kbtf_close(kbtf);
		return FL_EXIT_ERROR;
	}
	fl_ensure_tracefs();
	*ks = fl_ksyms_load(NULL);
	if (!*ks || !fl_ksyms_have_addresses(*ks))
		fprintf(stderr, "%s: /proc/kallsyms unreadable: kernel stacks will show '?'\n",
			fl_prog);
	fl_plan_build(plan, kbtf, *ks, o->mode, o->fault_names);
	if (o->mode == FL_MODE_FENTRY || o->mode == FL_MODE_KPROBE) {
		int fn = 0;

		for (int h = 0; h < FL_HOOK__COUNT; h++)
			fn += fl_hooks[h].funcs[0] && plan->hooks[h].mode == o->mode;
		if (!fn) {
			fl_err("--mode %s: no function hook can attach in that mode (%s)",
			       fl_mode_name(o->mode), o->mode == FL_MODE_FENTRY ?
			       plan->fentry_status : plan->kprobe_status);
			fl_ksyms_free(*ks);
			fl_kbtf_close(kbtf);
			return FL_EXIT_ERROR;
		}
	}
	if (!fl_plan_attached(plan)) {
		fl_err("no usable hook on this kernel: %s; %s",
		       plan->hooks[FL_HOOK_DAX_PTE_FAULT].reason,
		       plan->hooks[FL_HOOK_SYS_FTRUNCATE].reason);
		fl_ksyms_free(*ks);
		fl_kbtf_close(kbtf);
		return FL_EXIT_ERROR;
	}
	return 0;
}

/* Once attached: say what automatic mode fell back from, in one line. */
static void say_fallback(const struct fl_plan *plan)
{
	char line[512];

	fl_plan_fallback_line(plan, line, sizeof(line));
	if (line[0])
		fprintf(stderr, "%s: %s\n", fl_prog, line);
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int start_workload(const struct run_opts *o, struct run_result *r)
{
	int e;

	if (!o->cmd)
		return 0;
	e = workload_spawn(&r->w, o->cmd);
	if (e) {
		fl_err("cannot start the workload: %s", strerror(-e));
		return FL_EXIT_ERROR;
	}
	r->have_workload = true;
	return 0;
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
}

/* ---- option parsing shared by record and trace ---- */

enum {
	OPT_DURATION = 256, OPT_EVENTS, OPT_FORCE, OPT_MODE, OPT_FUSE_ONLY, OPT_DAX_ONLY,
	OPT_EVENTS_RING, OPT_VIOLATIONS_RING, OPT_INFLIGHT_MAX, OPT_INODE_MAX, OPT_INODE,
	OPT_MOUNT, OPT_PROG_STATS, OPT_FAULT_NAMES,
};

static const struct option run_longopts[] = {
	FL_COMMON_LONGOPTS,
	{ "output", required_argument, NULL, 'o' },
	{ "pid", required_argument, NULL, 'p' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "events", no_argument, NULL, OPT_EVENTS },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "fuse-only", no_argument, NULL, OPT_FUSE_ONLY },
	{ "dax-only", no_argument, NULL, OPT_DAX_ONLY },
	{ "events-ring", required_argument, NULL, OPT_EVENTS_RING },
	{ "violations-ring", required_argument, NULL, OPT_VIOLATIONS_RING },
	{ "inflight-max", required_argument, NULL, OPT_INFLIGHT_MAX },
	{ "inode-max", required_argument, NULL, OPT_INODE_MAX },
	{ "inode", required_argument, NULL, OPT_INODE },
	{ "mount", required_argument, NULL, OPT_MOUNT },
	{ "prog-stats", no_argument, NULL, OPT_PROG_STATS },
	{ "fault-names", no_argument, NULL, OPT_FAULT_NAMES },
	{}
};

static void run_usage(FILE *f, bool record)
{
	if (record)
		fprintf(f,
			"usage: %s record [-o FILE] [--force] [--duration S] [-p PID] [--events] [-q]\n"
			"                 [--mode auto|fentry|kprobe|tracepoint] [--fuse-only] [--dax-only]\n"
			"                 [--fault-names] [--prog-stats] [--btf FILE] [-v] [-- CMD ARGS...]\n",
			fl_prog);
	else
		fprintf(f,
			"usage: %s trace [-j] [-p PID] [--inode MAJ:MIN:INO] [--mount PATH] [--duration S]\n"
			"                [--mode auto|fentry|kprobe|tracepoint] [--fault-names] [--btf FILE] [-v]\n"
			"                [-- CMD ARGS...]\n",
			fl_prog);
}

/* The sizing options: each an unsigned number into a field of the session options. */
static int parse_size_option(int opt, const char *arg, struct fl_session_opts *s)
{
	static const struct {
		int opt;
		const char *name;
		size_t offset;
	} sizes[] = {
		{ OPT_EVENTS_RING, "--events-ring", offsetof(struct fl_session_opts, events_ring_bytes) },
		{ OPT_VIOLATIONS_RING, "--violations-ring",
		  offsetof(struct fl_session_opts, violations_ring_bytes) },
		{ OPT_INFLIGHT_MAX, "--inflight-max", offsetof(struct fl_session_opts, inflight_max) },
		{ OPT_INODE_MAX, "--inode-max", offsetof(struct fl_session_opts, inode_max) },
	};

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (sizes[i].opt == opt)
			return parse_u32(sizes[i].name, arg, (uint32_t *)((char *)s + sizes[i].offset));
	return -1;
}

/* Returns -1 to continue, else an exit code. */
static int parse_run(int argc, char **argv, struct run_opts *o, bool record)
{
	double d;
	char *end;
	int opt;

	while ((opt = getopt_long(argc, argv, "+vjo:p:qh", run_longopts, NULL)) != -1) {
		if (fl_common_option(opt, optarg))
			continue;
		switch (opt) {
		case 'o':
			o->out = optarg;
			break;
		case 'p':
			if (parse_u32("-p", optarg, &o->s.event_pid) || !o->s.event_pid)
				return FL_EXIT_ERROR;
			o->pid = o->s.event_pid;
			if (kill(o->pid, 0) && errno == ESRCH) {
				fl_err("-p %d: no such process", o->pid);
				return FL_EXIT_ERROR;
			}
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			run_usage(stdout, record);
			return FL_EXIT_OK;
		case OPT_DURATION:
			errno = 0;
			d = strtod(optarg, &end);
			if (errno || *end || end == optarg || d <= 0) {
				fl_err("--duration '%s': expected a positive number of seconds", optarg);
				return FL_EXIT_ERROR;
			}
			o->duration = d;
			break;
		case OPT_EVENTS:
			o->s.export_events = true;
			break;
		case OPT_FORCE:
			o->force = true;
			break;
		case OPT_MODE:
			if (fl_parse_mode(optarg, &o->mode))
				return FL_EXIT_ERROR;
			break;
		case OPT_FUSE_ONLY:
			o->s.fuse_only = true;
			break;
		case OPT_DAX_ONLY:
			o->s.dax_only = true;
			break;
		case OPT_EVENTS_RING:
		case OPT_VIOLATIONS_RING:
		case OPT_INFLIGHT_MAX:
		case OPT_INODE_MAX:
			if (parse_size_option(opt, optarg, &o->s))
				return FL_EXIT_ERROR;
			break;
		case OPT_INODE:
			if (parse_inode(optarg, &o->s.event_dev, &o->s.event_ino))
				return FL_EXIT_ERROR;
			break;
		case OPT_MOUNT:
			if (parse_mount(optarg, &o->s.event_dev))
				return FL_EXIT_ERROR;
			break;
		case OPT_PROG_STATS:
			o->s.prog_stats = true;
			break;
		case OPT_FAULT_NAMES:
			o->fault_names = true;
			break;
		default:
			run_usage(stderr, record);
			return FL_EXIT_ERROR;
		}
	}
	if (optind < argc) {
		if (strcmp(argv[optind - 1], "--")) {
			fl_err("unexpected argument '%s' (put the workload after --)", argv[optind]);
			return FL_EXIT_ERROR;
		}
		o->cmd = argv + optind;
	}
	if (o->cmd && o->pid) {
		fl_err("-p and a workload command exclude each other");
		return FL_EXIT_ERROR;
	}
	return -1;
}

/*
 * Start the workload held before exec, load and attach, call @attached (the
 * log's header goes in there, before anything can happen), then let the
 * workload run. NULL when something failed, already said in one line; then no
 * workload is left behind.
 */
static struct fl_session *attach_and_release(const struct run_opts *o, struct run_result *r,
					     const struct fl_plan *plan, const struct fl_kbtf *kbtf,
					     const struct fl_sink *sink,
					     void (*attached)(void *ctx, struct fl_session *s),
					     void *ctx)
{
	struct fl_session *s;
	char err[512];

	if (start_workload(o, r))
		return NULL;
	s = fl_session_start(plan, kbtf, &o->s, sink, err, sizeof(err));
	if (!s) {
		fl_err("%s%s", err, fl_verbose ? "" : " (-v shows libbpf's log)");
		if (r->have_workload)
			workload_stop(&r->w);
		return NULL;
	}
	if (attached)
		attached(ctx, s);
	say_fallback(plan);
	if (r->have_workload) {
		r->exec_error = workload_release(&r->w);
		if (r->exec_error) {
			fl_err("cannot run '%s': %s", o->cmd[0], strerror(-r->exec_error));
			if (waitpid(r->w.pid, &r->w.status, 0) == r->w.pid)
				r->w.reaped = true;	/* the child's exec failed: it exits 127 */
		}
	}
	return s;
}

struct record_start {
	struct record_sink *rs;
	struct fl_trailer_info *ti;
	const struct fl_plan *plan;
	const struct fl_kbtf *kbtf;
	const struct run_opts *o;
};

/* record, once attached: what starting cost, then the header */
static void record_attached(void *ctx, struct fl_session *s)
{
	struct record_start *rst = ctx;

	rst->ti->startup_ns = now_ns() - rst->ti->startup_ns;
	rst->ti->rss_start_kb = rss_kb();
	rst->ti->map_bytes = fl_session_map_memory(s);
	fl_log_write(&rst->rs->log, fl_json_header(rst->plan, rst->kbtf, rst->o->cmd, &rst->o->s),
		     true);
}

int do_record(int argc, char **argv)
{
	struct run_opts o = { .out = "faultline.jsonl" };
	struct record_sink rs = { 0 };
	struct fl_sink sink = { .violation = record_violation, .ctx = &rs };
	struct run_result r = { 0 };
	struct fl_session_stats st;
	struct fl_trailer_info ti = { 0 };
	struct record_start rst;
	struct fl_session *s;
	struct fl_ksyms *ks = NULL;
	struct fl_kbtf kbtf;
	struct fl_plan plan;
	char err[512];
	int ret;

	ret = parse_run(argc, argv, &o, true);
	if (ret >= 0)
		return ret;
	ti.startup_ns = now_ns();
	if (o.s.export_events)
		sink.event = record_event;
	ret = prepare(&o, &kbtf, &ks, &plan);
	if (ret)
		return ret;
	rs.ks = ks;
	ret = FL_EXIT_ERROR;
	if (fl_log_open(&rs.log, o.out, o.force, err, sizeof(err))) {
		fl_err("%s", err);
		goto out;
	}
	install_signals();
	rst = (struct record_start){ &rs, &ti, &plan, &kbtf, &o };
	s = attach_and_release(&o, &r, &plan, &kbtf, &sink, record_attached, &rst);
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
	fl_log_write(&rs.log, fl_json_trailer(&st, &rs.log, &ti), true);
	if (rs.log.error)
		fl_err("writing %s: %s", o.out, strerror(rs.log.error));
	else
		ret = r.exec_error ? FL_EXIT_ERROR : FL_EXIT_OK;
	if (!o.quiet && !r.exec_error)
		fprintf(stderr, "%s: %s: %llu faults, %llu operations, %llu violations, %llu lost\n",
			fl_prog, o.out, (unsigned long long)st.counters[FL_CTR_FAULTS],
			(unsigned long long)st.counters[FL_CTR_OPS],
			(unsigned long long)st.counters[FL_CTR_VIOLATIONS],
			(unsigned long long)(st.counters[FL_CTR_EVENTS_LOST] +
					     st.counters[FL_CTR_VIOLATIONS_LOST] +
					     st.counters[FL_CTR_MAP_FULL]));
	fl_session_stats_free(&st);
	fl_session_free(s);
	if (fl_log_close(&rs.log) && ret == FL_EXIT_OK) {
		fl_err("writing %s: %s", o.out, strerror(rs.log.error));
		ret = FL_EXIT_ERROR;
	}
out:
	fl_ksyms_free(ks);
	fl_kbtf_close(&kbtf);
	return ret;
}

int do_trace(int argc, char **argv)
{
	struct run_opts o = { 0 };
	struct trace_sink ts = { 0 };
	struct fl_sink sink = { .event = trace_event, .violation = trace_violation, .ctx = &ts };
	struct run_result r = { 0 };
	struct fl_session_stats st;
	struct fl_session *s;
	struct fl_ksyms *ks = NULL;
	struct fl_kbtf kbtf;
	struct fl_plan plan;
	int ret;

	ret = parse_run(argc, argv, &o, false);
	if (ret >= 0)
		return ret;
	o.s.export_events = true;
	o.quiet = true;
	ret = prepare(&o, &kbtf, &ks, &plan);
	if (ret)
		return ret;
	ts.ks = ks;
	ts.pid = o.s.event_pid;
	ts.dev = o.s.event_dev;
	ts.ino = o.s.event_ino;
	setvbuf(stdout, NULL, _IOLBF, 0);
	install_signals();
	ret = FL_EXIT_ERROR;
	s = attach_and_release(&o, &r, &plan, &kbtf, &sink, NULL, NULL);
	if (!s)
		goto out;
	if (!r.exec_error) {
		if (!fl_json)
			fprintf(stderr, "%s: tracing, Ctrl-C to stop\n", fl_prog);
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
