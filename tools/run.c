// SPDX-License-Identifier: GPL-2.0
/* record and trace: options, plan, attach with the workload held, the run loop. */
#include <errno.h>
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
#include "faultline/rules.h"
#include "logwriter.h"
#include "names.h"
#include "run.h"

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

uint64_t run_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void run_warn(void *ctx, const char *msg)
{
	fl_warn("%s", msg);
}

/* ---- options ---- */

/* --inode DEV:INO where DEV is MAJOR:MINOR, e.g. 0:52:1234 */
static int parse_inode(const char *arg, uint32_t *dev, uint64_t *ino)
{
	unsigned int maj, min;
	unsigned long long i;
	char tail;

	if (sscanf(arg, "%u:%u:%llu%c", &maj, &min, &i, &tail) != 3 || min > 0xfffff || maj > 0xfff) {
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

enum {
	OPT_DURATION = 256, OPT_EVENTS, OPT_FORCE, OPT_MODE, OPT_FUSE_ONLY, OPT_DAX_ONLY,
	OPT_EVENTS_RING, OPT_VIOLATIONS_RING, OPT_INFLIGHT_MAX, OPT_INODE_MAX, OPT_INODE,
	OPT_MOUNT, OPT_PROG_STATS, OPT_FAULT_NAMES,
};

const struct option run_longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "pid", required_argument, NULL, 'p' },
	{ "quiet", no_argument, NULL, 'q' },
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
			return fl_parse_u32(sizes[i].name, arg,
					    (uint32_t *)((char *)s + sizes[i].offset));
	return -1;
}

int run_parse(int argc, char **argv, struct run_opts *o, const struct fl_cmd_opts *co)
{
	int opt, code;
	double d;
	char *end;

	while ((opt = fl_next_opt(argc, argv, co, &code)) != -1) {
		switch (opt) {
		case FL_OPT_EXIT:
			return code;
		case 'o':
			o->out = optarg;
			break;
		case 'p':
			if (fl_parse_u32("-p", optarg, &o->s.event_pid))
				return FL_EXIT_ERROR;
			o->pid = o->s.event_pid;
			if (!o->pid || (kill(o->pid, 0) && errno == ESRCH)) {
				fl_err("-p %s: no such process", optarg);
				return FL_EXIT_ERROR;
			}
			break;
		case 'q':
			o->quiet = true;
			break;
		case OPT_DURATION:
			errno = 0;
			d = strtod(optarg, &end);
			if (errno || *end || end == optarg || !(d > 0) || d > 1e9) {
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
			co->usage(stderr);
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

/* ---- before loading ---- */

int run_prepare(const struct run_opts *o, struct fl_kbtf *kbtf, struct fl_ksyms **ks,
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
		fl_warn("/proc/kallsyms unreadable: kernel stacks will show '?'");
	fl_plan_build(plan, kbtf, *ks, o->mode, o->fault_names);
	if (fl_plan_check_mode(plan, err, sizeof(err))) {
		fl_err("%s", err);
		goto fail;
	}
	if (!fl_plan_attached(plan)) {
		fl_err("no usable hook on this kernel: %s; %s",
		       plan->hooks[FL_HOOK_DAX_PTE_FAULT].reason,
		       plan->hooks[FL_HOOK_SYS_FTRUNCATE].reason);
		goto fail;
	}
	return 0;
fail:
	fl_ksyms_free(*ks);
	*ks = NULL;
	fl_kbtf_close(kbtf);
	return FL_EXIT_ERROR;
}

/* ---- attaching ---- */

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Once attached: what automatic mode fell back from, and what was dropped, a line each. */
static void say_plan(const struct fl_plan *plan)
{
	char line[512];

	fl_plan_fallback_line(plan, line, sizeof(line));
	if (line[0])
		fl_warn("%s", line);
	for (int h = 0; h < FL_HOOK__COUNT; h++)
		if (plan->hooks[h].dropped)
			fl_warn("hook %s dropped: %s", fl_hook_name(h), plan->hooks[h].reason);
}

struct fl_session *run_attach(const struct run_opts *o, struct run_result *r, struct fl_plan *plan,
			      const struct fl_kbtf *kbtf, const struct fl_sink *sink,
			      void (*attached)(void *ctx, struct fl_session *s), void *ctx)
{
	struct fl_session *s;
	char err[512];
	int e;

	install_signals();
	if (o->cmd) {
		e = workload_spawn(&r->w, o->cmd);
		if (e) {
			fl_err("cannot start the workload: %s", strerror(-e));
			return NULL;
		}
		r->have_workload = true;
	}
	s = fl_session_start(plan, kbtf, &o->s, sink, err, sizeof(err));
	if (s && !fl_plan_attached(plan)) {
		snprintf(err, sizeof(err), "no hook could load or attach: %s",
			 plan->hooks[FL_HOOK_DAX_PTE_FAULT].reason);
		fl_session_free(s);
		s = NULL;
	}
	if (!s) {
		fl_err("%s%s", err, fl_verbose ? "" : " (-v shows libbpf's log)");
		if (r->have_workload)
			workload_stop(&r->w);
		return NULL;
	}
	if (attached)
		attached(ctx, s);
	say_plan(plan);
	if (r->have_workload) {
		r->exec_error = workload_release(&r->w);
		if (r->exec_error)
			fl_err("cannot run '%s': %s", o->cmd[0], strerror(-r->exec_error));
	}
	return s;
}

/* ---- the run loop ---- */

static void live_counters(struct fl_session *s, uint64_t started)
{
	struct fl_session_stats st = { 0 };
	char line[160];

	fl_session_counters(s, &st);
	fl_session_summary(&st, line, sizeof(line));
	fprintf(stderr, "\r%s: %5.0fs  %s ", fl_prog, (run_now_ns() - started) / 1e9, line);
}

void run_loop(struct fl_session *s, const struct run_opts *o, struct run_result *r,
	      void (*flush)(void *), void *flush_ctx)
{
	bool live = !o->quiet && !fl_json && isatty(STDERR_FILENO) && o->out;
	uint64_t started = run_now_ns(), last_live = 0, last_sample = started;
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
		if (deadline && run_now_ns() >= deadline) {
			r->status = "duration";
			break;
		}
		if (r->have_workload && workload_done(&r->w))
			break;
		if (o->pid && !r->have_workload && kill(o->pid, 0) && errno == ESRCH)
			break;
		if (run_now_ns() - last_sample > 1000000000ULL) {
			fl_session_sample_maps(s);	/* the maps' high-water marks */
			last_sample = run_now_ns();
		}
		if (live && run_now_ns() - last_live > 1000000000ULL) {
			live_counters(s, started);
			last_live = run_now_ns();
		}
	}
	if (live)
		fputc('\n', stderr);
	if (r->have_workload)
		workload_stop(&r->w);
	r->duration_ns = run_now_ns() - started;
}
