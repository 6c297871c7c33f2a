// SPDX-License-Identifier: GPL-2.0
/*
 * export-bench: the highest event rate the recorder takes with zero loss.
 *
 *   export-bench [--seconds S] [--max-rate R] [--out FILE]
 *   export-bench --calibrate
 *
 * Starts a session that attaches nothing and loads the test object's bench
 * program on its maps (tests/bpf/test-object.c), which emits a batch of
 * events through the same emit() and ring buffer as the real hooks. A producer thread runs it with BPF_PROG_TEST_RUN at a paced rate
 * while this thread consumes into a real log (the record sink's formatter,
 * into FILE, default a temporary file), like `faultline record --events`.
 * Rates double from 125k/s until events are lost or the producer cannot go
 * faster, then three bisection steps narrow the limit. One JSON line per
 * rate, then a summary line with the best zero-loss rate.
 *
 * --calibrate prints {"calibrate_ns":N, "sys_op_ns":N, "sys_ignored_ns":N,
 * "task_exit_ns":N}: the mean cost of the bench_calibrate program, one DAX
 * fault's begin and end (the product's fault_begin() and fault_end() on a
 * temporary file's inode), natively (no fault of a DAX file can run on a host
 * without DAX); of the syscall tracepoints' begin and end
 * programs for an op faultline follows (a path-based truncate) and for one on
 * a file it ignores (ftruncate of a temporary file); and of the task-exit
 * program's map work.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "logwriter.h"
#include "session.h"
#include "faultline_test.h"
#include "test-object.h"

static struct fl_session *sess;
static struct faultline_test_bpf *tskel;
static atomic_bool stop;
static uint64_t target_rate;
static atomic_uint_fast64_t produced;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Run bench_emit @runs times: the events asked for. */
static uint64_t bench_emit(uint64_t runs)
{
	LIBBPF_OPTS(bpf_test_run_opts, topts);
	int fd = bpf_program__fd(tskel->progs.bench_emit);
	uint64_t done = 0;

	for (uint64_t i = 0; fd >= 0 && i < runs; i++)
		if (!bpf_prog_test_run_opts(fd, &topts))
			done += FL_BENCH_BATCH;
	return done;
}

/* The session, and the test programs @names on its maps; -1 with a message on failure. */
static int start(struct fl_plan *plan, struct fl_kbtf *kbtf, const struct fl_session_opts *o,
		 const struct fl_sink *sink, const char *const *names)
{
	char err[512];

	sess = fl_session_start(plan, kbtf, o, sink, err, sizeof(err));
	if (!sess) {
		fprintf(stderr, "export-bench: %s\n", err);
		return -1;
	}
	tskel = fl_test_object_load(fl_session_object(sess), names);
	if (!tskel) {
		fprintf(stderr, "export-bench: cannot load the test programs: %s\n", strerror(errno));
		fl_session_free(sess);
		return -1;
	}
	return 0;
}

static void *producer(void *arg)
{
	uint64_t t0 = now_ns();

	while (!atomic_load(&stop)) {
		double elapsed = (now_ns() - t0) / 1e9;

		if (atomic_load(&produced) < elapsed * target_rate)
			atomic_fetch_add(&produced, bench_emit(8));
		else
			usleep(50);
	}
	return NULL;
}

static void on_event(void *ctx, const struct fl_event *e)
{
	fl_log_write_event(ctx, e);
}

/* One run at @rate for @seconds: fills produced/consumed/lost. */
static int run(uint64_t rate, double seconds, const char *out, uint64_t *got, uint64_t *lost,
	       double *achieved)
{
	static const char *const progs[] = { "bench_emit", NULL };
	struct fl_session_opts o = { .export_events = true, .events_ring_bytes = 4 << 20 };
	struct fl_log_writer w;
	struct fl_sink sink = { .event = on_event, .ctx = &w };
	struct fl_session_stats st;
	struct fl_plan plan;
	struct fl_kbtf kbtf;
	pthread_t th;
	char err[512];
	uint64_t t0, t1;

	memset(&plan, 0, sizeof(plan));
	memset(&kbtf, 0, sizeof(kbtf));
	if (fl_log_open(&w, out, true, err, sizeof(err))) {
		fprintf(stderr, "export-bench: %s\n", err);
		return -1;
	}
	if (start(&plan, &kbtf, &o, &sink, progs)) {
		fl_log_close(&w);
		return -1;
	}
	target_rate = rate;
	atomic_store(&produced, 0);
	atomic_store(&stop, false);
	t0 = now_ns();
	pthread_create(&th, NULL, producer, NULL);
	while (now_ns() - t0 < seconds * 1e9) {
		fl_session_poll(sess, 10);
		fflush(w.f);
	}
	atomic_store(&stop, true);
	pthread_join(th, NULL);
	t1 = now_ns();
	fl_session_finish(sess, &st);

	*got = w.events;
	*lost = st.counters[FL_CTR_EVENTS_LOST];
	*achieved = atomic_load(&produced) / ((t1 - t0) / 1e9);
	fl_session_stats_free(&st);
	faultline_test_bpf__destroy(tskel);
	fl_session_free(sess);
	fl_log_close(&w);
	return 0;
}

/* Wall time of @runs test runs of program @fd looping @loops times, in ns; -1 on error. */
static double calibrate_runs(int fd, uint32_t loops, uint32_t runs)
{
	LIBBPF_OPTS(bpf_test_run_opts, topts);
	struct timespec a, b;

	tskel->data_test->calibrate_loops = loops;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (uint32_t i = 0; i < runs; i++)
		if (bpf_prog_test_run_opts(fd, &topts))
			return -1;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
}

/*
 * Mean ns of one pass of the calibration program @p, calibrate_fd @fd_arg,
 * over @runs test runs; -1 on error.
 */
static double calibrate_prog(struct bpf_program *p, int fd_arg, uint32_t runs)
{
	int fd = bpf_program__fd(p);
	double empty, full;

	tskel->data_test->calibrate_fd = fd_arg;
	if (fd < 0 || !runs)
		return -1;
	/* the syscall's own cost cancels out: 0 loops against 256 */
	empty = calibrate_runs(fd, 0, runs);
	full = calibrate_runs(fd, 256, runs);
	if (empty < 0 || full < 0)
		return -1;
	return (full - empty) / runs / 256;
}

static int calibrate(void)
{
	static const char *const progs[] = {
		"bench_calibrate", "bench_calibrate_sys", "bench_calibrate_exit", NULL
	};
	struct fl_session_opts o = { 0 };
	struct fl_sink sink = { 0 };
	struct fl_plan plan;
	struct fl_kbtf kbtf;
	char err[512];
	double best, best4[4] = { 0 };
	int rc = 2;

	memset(&plan, 0, sizeof(plan));
	/* the programs keep per-task state as a real run's would on this kernel */
	if (fl_kbtf_open(&kbtf, NULL, err, sizeof(err))) {
		fprintf(stderr, "export-bench: %s\n", err);
		return 2;
	}
	fl_plan_tasks(&plan, &kbtf);
	if (start(&plan, &kbtf, &o, &sink, progs)) {
		fl_kbtf_close(&kbtf);
		return 2;
	}
	/* the least of five: interference only ever adds time */
	for (int i = 0; i < 5; i++) {
		char tmp[] = "/tmp/fl-calibrate.XXXXXX";
		int ign = mkstemp(tmp);
		double ns[4];

		if (ign < 0) {
			fprintf(stderr, "export-bench: mkstemp: %s\n", strerror(errno));
			goto out;
		}
		unlink(tmp);
		ns[0] = calibrate_prog(tskel->progs.bench_calibrate, ign, 2000);
		ns[1] = calibrate_prog(tskel->progs.bench_calibrate_sys, -1, 2000);
		ns[2] = calibrate_prog(tskel->progs.bench_calibrate_sys, ign, 2000);
		ns[3] = calibrate_prog(tskel->progs.bench_calibrate_exit, -1, 2000);
		close(ign);
		for (int k = 0; k < 4; k++) {
			if (ns[k] < 0) {
				fprintf(stderr, "export-bench: calibration run failed: %s\n",
					strerror(errno));
				goto out;
			}
			if (!i || ns[k] < best4[k])
				best4[k] = ns[k];
		}
	}
	best = best4[0];
	printf("{\"calibrate_ns\":%.1f,\"sys_op_ns\":%.1f,\"sys_ignored_ns\":%.1f,\"task_exit_ns\":%.1f}\n",
	       best, best4[1], best4[2], best4[3]);
	rc = 0;
out:
	faultline_test_bpf__destroy(tskel);
	fl_session_free(sess);
	fl_kbtf_close(&kbtf);
	return rc;
}

/* 1: no loss, 2: no loss but the producer fell short, 0: loss, -1: error */
static int try_rate(uint64_t rate, double seconds, const char *path, double *best)
{
	uint64_t got, lost;
	double achieved;

	if (run(rate, seconds, path, &got, &lost, &achieved))
		return -1;
	printf("{\"target_rate\":%llu,\"produced_rate\":%.0f,\"written\":%llu,\"lost\":%llu}\n",
	       (unsigned long long)rate, achieved, (unsigned long long)got,
	       (unsigned long long)lost);
	fflush(stdout);
	if (lost)
		return 0;
	if (achieved > *best)
		*best = achieved;
	return achieved < rate * 0.9 ? 2 : 1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "max-rate", required_argument, NULL, 'm' },
		{ "out", required_argument, NULL, 'o' },
		{ "calibrate", no_argument, NULL, 'c' },
		{}
	};
	double seconds = 2, best = 0;
	uint64_t max_rate = 16000000;
	char out[] = "/tmp/export-bench.XXXXXX", *path = NULL;
	int opt;

	while ((opt = getopt_long(argc, argv, "s:m:o:c", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			seconds = atof(optarg);
			break;
		case 'm':
			max_rate = strtoull(optarg, NULL, 0);
			break;
		case 'o':
			path = optarg;
			break;
		case 'c':
			return calibrate();
		default:
			fprintf(stderr, "usage: export-bench [--seconds S] [--max-rate R] [--out FILE] | --calibrate\n");
			return 2;
		}
	}
	if (seconds <= 0 || !max_rate) {
		fprintf(stderr, "export-bench: --seconds and --max-rate must be positive\n");
		return 2;
	}
	if (!path) {
		int fd = mkstemp(out);

		if (fd < 0)
			return 2;
		close(fd);
		path = out;
	}
	uint64_t good = 0, bad = 0;

	for (uint64_t rate = 125000; rate <= max_rate; rate *= 2) {
		int r = try_rate(rate, seconds, path, &best);

		if (r < 0)
			return 2;
		if (r == 0) {
			bad = rate;
			break;
		}
		good = rate;
		if (r == 2)	/* the producer is the limit now */
			break;
	}
	for (int i = 0; bad && good && i < 3; i++) {
		uint64_t mid = (good + bad) / 2;
		int r = try_rate(mid, seconds, path, &best);

		if (r < 0)
			return 2;
		if (r == 0)
			bad = mid;
		else
			good = mid;
	}
	printf("{\"max_zero_loss_rate\":%.0f}\n", best);
	if (path == out)
		unlink(out);
	return 0;
}
