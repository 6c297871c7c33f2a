// SPDX-License-Identifier: GPL-2.0
/*
 * report --perfetto: logs as a Chrome trace event JSON file (the "JSON Object
 * Format" of the Trace Event Format), which ui.perfetto.dev and
 * chrome://tracing open. See perfetto.h and faultline(8), PERFETTO.
 *
 * Every log is a group of processes: a task's pid and tid are offset by
 * FL_PF_LOG_STRIDE times the log's number (from 1), so that two logs' pid 300
 * stay apart; each process is named "LOG: comm (pid N)" and sorted by log.
 * Time is microseconds from the log's start_ns.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"
#include "perfetto.h"
#include "text.h"
#include "title.h"

/* above any pid_max (4194304), so that log * stride + pid never collides */
#define FL_PF_LOG_STRIDE 10000000LL

struct pf {
	json_t *events;		/* traceEvents, unsorted until the end */
	json_t *tasks;		/* "log:tid" -> {pid, comm}: the thread tracks to name */
	json_t *open;		/* "log:tid:fault|op" -> array: begins not yet ended */
	long long log;		/* 1-based number of the log being converted */
	uint64_t start_ns;
	uint64_t flow;		/* flow ids, unique in the trace */
	const char *name;	/* the log's base name */
};

static double us(const struct pf *pf, uint64_t ns)
{
	return ns >= pf->start_ns ? (double)(ns - pf->start_ns) / 1000.0 :
				    -(double)(pf->start_ns - ns) / 1000.0;
}

static long long gid(const struct pf *pf, long long id)
{
	return pf->log * FL_PF_LOG_STRIDE + id;
}

static uint64_t u64(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (uint64_t)json_integer_value(v) : 0;
}

/* Remember the task for its track's name: the first comm seen wins. */
static void note_task(struct pf *pf, long long pid, long long tid, const char *comm)
{
	char key[48];

	snprintf(key, sizeof(key), "%lld:%lld", pf->log, tid);
	if (json_object_get(pf->tasks, key))
		return;
	json_object_set_new(pf->tasks, key, json_pack("{s:I, s:I, s:I, s:s, s:s}", "log", pf->log,
						      "pid", pid, "tid", tid, "comm", comm ?: "?",
						      "logname", pf->name));
}

static json_t *base(struct pf *pf, const char *ph, const char *name, const char *cat,
		    long long pid, long long tid, double ts)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:I, s:f}", "ph", ph, "name", name, "cat", cat,
			 "pid", gid(pf, pid), "tid", gid(pf, tid), "ts", ts);
}

/* The args every slice of an event or a side carries. */
static json_t *side_args(json_t *o)
{
	json_t *a = json_object();
	static const char *const keys[] = { "dev", "ino", "hook", "entry", "op", "lock", "bytes",
					    "pages", "size_before", "request", "callback", "stack",
					    "ret" };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *v = json_object_get(o, keys[i]);

		if (v && !json_is_null(v))
			json_object_set(a, keys[i], v);
	}
	return a;
}

/* ---- events (--events logs): faults and operations as slices ---- */

static void slice(struct pf *pf, json_t *begin, json_t *end, const char *cat)
{
	uint64_t b = u64(begin, "ts_ns"), e = end ? u64(end, "ts_ns") : b;
	char name[128];
	json_t *x, *args = side_args(begin);

	if (e < b)
		e = b;
	snprintf(name, sizeof(name), "%s %s", json_string_value(json_object_get(begin, "op")) ?: "?",
		 json_string_value(json_object_get(begin, "hook")) ?: "?");
	fl_text_printable(name);
	if (end) {
		json_t *lock = json_object_get(end, "lock"), *ret = json_object_get(end, "ret");

		if (lock)
			json_object_set(args, "lock_at_end", lock);
		if (ret)
			json_object_set(args, "ret", ret);
	} else {
		json_object_set_new(args, "unfinished", json_true());
	}
	x = base(pf, "X", name, cat, (long long)u64(begin, "pid"), (long long)u64(begin, "tid"),
		 us(pf, b));
	json_object_set_new(x, "dur", json_real((double)(e - b) / 1000.0));
	json_object_set_new(x, "args", args);
	json_array_append_new(pf->events, x);
}

static void instant(struct pf *pf, json_t *ev, const char *cat)
{
	char name[128];
	json_t *i;

	snprintf(name, sizeof(name), "%s %s", json_string_value(json_object_get(ev, "event")) ?: "?",
		 json_string_value(json_object_get(ev, "hook")) ?: "?");
	fl_text_printable(name);
	i = base(pf, "i", name, cat, (long long)u64(ev, "pid"), (long long)u64(ev, "tid"),
		 us(pf, u64(ev, "ts_ns")));
	json_object_set_new(i, "s", json_string("t"));
	json_object_set_new(i, "args", side_args(ev));
	json_array_append_new(pf->events, i);
}

static void event_line(struct pf *pf, json_t *ev)
{
	const char *what = json_string_value(json_object_get(ev, "event")) ?: "";
	bool fault = !strncmp(what, "fault_", 6), op = !strncmp(what, "op_", 3);
	char key[64];
	json_t *stack;

	note_task(pf, (long long)u64(ev, "pid"), (long long)u64(ev, "tid"),
		  json_string_value(json_object_get(ev, "comm")));
	if (!fault && !op) {
		instant(pf, ev, "event");	/* teardown, layout_break */
		return;
	}
	snprintf(key, sizeof(key), "%lld:%llu:%s", pf->log,
		 (unsigned long long)u64(ev, "tid"), fault ? "fault" : "op");
	stack = json_object_get(pf->open, key);
	if (!stack) {
		stack = json_array();
		json_object_set_new(pf->open, key, stack);
	}
	if (strstr(what, "_begin")) {
		json_array_append(stack, ev);
	} else if (json_array_size(stack)) {
		size_t last = json_array_size(stack) - 1;

		slice(pf, json_array_get(stack, last), ev, fault ? "fault" : "operation");
		json_array_remove(stack, last);
	} else {
		instant(pf, ev, "event");	/* an end whose begin came before the run */
	}
}

/* Begins the run ended inside: slices to their begin, marked unfinished. */
static void close_open(struct pf *pf)
{
	const char *key;
	json_t *stack;

	json_object_foreach(pf->open, key, stack) {
		size_t i;
		json_t *b;

		json_array_foreach(stack, i, b)
			slice(pf, b, NULL, strstr(key, ":fault") ? "fault" : "operation");
	}
	json_object_clear(pf->open);
}

/* ---- violations: both sides' intervals, an instant on each, a flow between ---- */

static const char *const side_keys[][2] = { { "fault", "op" }, { "completion", "send" } };

static void violation(struct pf *pf, json_t *v)
{
	char title[FL_TITLE_MAX];
	uint64_t ts = u64(v, "ts_ns");
	json_t *sides[2] = { NULL, NULL };
	const char *names[2] = { NULL, NULL };
	uint64_t flow = 0;
	int n = 0;

	fl_violation_title(v, title, sizeof(title));
	for (size_t k = 0; k < 2 && !n; k++)
		for (int s = 0; s < 2; s++)
			if (json_is_object(json_object_get(v, side_keys[k][s]))) {
				names[n] = side_keys[k][s];
				sides[n++] = json_object_get(v, side_keys[k][s]);
			}
	if (n == 2) {
		flow = ++pf->flow;
		/* the arrow runs forward in time: from the side that began first */
		if (u64(sides[1], "ts_begin_ns") < u64(sides[0], "ts_begin_ns")) {
			json_t *t = sides[0];
			const char *tn = names[0];

			sides[0] = sides[1];
			sides[1] = t;
			names[0] = names[1];
			names[1] = tn;
		}
	}
	for (int s = 0; s < n; s++) {
		json_t *side = sides[s], *task = json_object_get(side, "task"), *x, *i, *args;
		long long pid = (long long)u64(task, "pid"), tid = (long long)u64(task, "tid");
		uint64_t b = u64(side, "ts_begin_ns"), e = u64(side, "ts_end_ns");
		char name[FL_TITLE_MAX + 32];

		note_task(pf, pid, tid, json_string_value(json_object_get(task, "comm")));
		if (!b || b > ts)
			b = ts;
		if (!e || e < b)
			e = ts > b ? ts : b;	/* in flight when detected */
		snprintf(name, sizeof(name), "%s side: %s", names[s], title);
		fl_text_printable(name);
		args = side_args(side);
		json_object_set_new(args, "kind", json_string(json_string_value(json_object_get(v, "kind")) ?: "?"));
		json_object_set_new(args, "in_flight", json_boolean(!u64(side, "ts_end_ns")));
		x = base(pf, "X", name, "violation", pid, tid, us(pf, b));
		json_object_set_new(x, "dur", json_real((double)(e - b) / 1000.0));
		json_object_set_new(x, "args", args);
		json_array_append_new(pf->events, x);

		i = base(pf, "i", title, "violation", pid, tid, us(pf, ts));
		json_object_set_new(i, "s", json_string("t"));
		args = json_object();
		json_object_set(args, "violation", v);
		json_object_set_new(i, "args", args);
		json_array_append_new(pf->events, i);

		if (flow) {
			/* from the earlier side's interval to the other's (bound to the enclosing slice) */
			json_t *f = base(pf, s ? "f" : "s", title, "violation", pid, tid, us(pf, b));

			json_object_set_new(f, "id", json_integer((json_int_t)flow));
			if (s)
				json_object_set_new(f, "bp", json_string("e"));
			json_array_append_new(pf->events, f);
		}
	}
}

/* ---- metadata and order ---- */

static void metadata(struct pf *pf)
{
	const char *key;
	json_t *t;
	json_t *procs = json_object();

	json_object_foreach(pf->tasks, key, t) {
		long long log = json_integer_value(json_object_get(t, "log"));
		long long pid = json_integer_value(json_object_get(t, "pid"));
		long long tid = json_integer_value(json_object_get(t, "tid"));
		const char *comm = json_string_value(json_object_get(t, "comm"));
		char name[FL_COMM_LEN + 32], pkey[48];
		json_t *m;

		pf->log = log;
		snprintf(name, sizeof(name), "%s/%lld", comm, tid);
		fl_text_printable(name);
		m = base(pf, "M", "thread_name", "__metadata", pid, tid, 0);
		json_object_set_new(m, "args", json_pack("{s:s}", "name", name));
		json_array_append_new(pf->events, m);
		m = base(pf, "M", "thread_sort_index", "__metadata", pid, tid, 0);
		json_object_set_new(m, "args", json_pack("{s:I}", "sort_index", tid));
		json_array_append_new(pf->events, m);
		snprintf(pkey, sizeof(pkey), "%lld:%lld", log, pid);
		/* the process is named after its main thread when the run saw it, else a thread */
		if (!json_object_get(procs, pkey) || pid == tid)
			json_object_set_new(procs, pkey, json_pack("{s:I, s:I, s:s, s:O?}", "log", log,
				"pid", pid, "comm", comm, "logname", json_object_get(t, "logname")));
	}
	json_object_foreach(procs, key, t) {
		long long log = json_integer_value(json_object_get(t, "log"));
		long long pid = json_integer_value(json_object_get(t, "pid"));
		char name[512];
		json_t *m;

		pf->log = log;
		snprintf(name, sizeof(name), "%s: %s (pid %lld)",
			 json_string_value(json_object_get(t, "logname")) ?: "?",
			 json_string_value(json_object_get(t, "comm")), pid);
		fl_text_printable(name);
		m = base(pf, "M", "process_name", "__metadata", pid, pid, 0);
		json_object_set_new(m, "args", json_pack("{s:s}", "name", name));
		json_array_append_new(pf->events, m);
		m = base(pf, "M", "process_sort_index", "__metadata", pid, pid, 0);
		json_object_set_new(m, "args", json_pack("{s:I}", "sort_index",
							 (json_int_t)(log * FL_PF_LOG_STRIDE + pid)));
		json_array_append_new(pf->events, m);
	}
	json_decref(procs);
}

struct keyed {
	json_t *e;
	double ts;
	size_t seq;
	int meta;
};

static int by_ts(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->meta != y->meta)
		return y->meta - x->meta;	/* metadata first */
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* traceEvents in time order: every track's timestamps are then monotonic */
static json_t *sorted(json_t *events)
{
	size_t n = json_array_size(events), i;
	struct keyed *k = calloc(n ? n : 1, sizeof(*k));
	json_t *out = json_array(), *e;

	if (!k)
		return NULL;
	json_array_foreach(events, i, e) {
		k[i].e = e;
		k[i].ts = json_number_value(json_object_get(e, "ts"));
		k[i].seq = i;
		k[i].meta = !strcmp(json_string_value(json_object_get(e, "ph")) ?: "", "M");
	}
	qsort(k, n, sizeof(*k), by_ts);
	for (i = 0; i < n; i++)
		json_array_append(out, k[i].e);
	free(k);
	return out;
}

/* Every line of type "event" of @path, in order (the reader counts them but keeps none). */
static int each_event(struct pf *pf, const char *path, char *err, size_t len)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		json_t *o;

		if (!strstr(line, "\"type\":\"event\""))
			continue;
		o = json_loadb(line, (size_t)n, 0, NULL);
		if (json_is_object(o) && !strcmp(json_string_value(json_object_get(o, "type")) ?: "", "event"))
			event_line(pf, o);
		json_decref(o);
	}
	free(line);
	fclose(f);
	return 0;
}

int fl_perfetto_write(FILE *out, const struct fl_log *logs, size_t n, char *err, size_t len)
{
	struct pf pf = { .events = json_array(), .tasks = json_object(), .open = json_object() };
	json_t *other = json_object(), *meta = json_array(), *trace, *ev;
	int ret = -1;

	for (size_t l = 0; l < n; l++) {
		const struct fl_log *log = &logs[l];
		const char *slash = strrchr(log->path, '/');
		json_t *h = log->header, *v;
		size_t i;

		pf.log = (long long)l + 1;
		pf.start_ns = u64(h, "start_ns");
		pf.name = slash ? slash + 1 : log->path;
		json_array_append_new(meta, json_pack("{s:s, s:I, s:O?, s:O?, s:O?, s:O?, s:s, s:I}",
			"file", log->path, "pid_offset", (json_int_t)(pf.log * FL_PF_LOG_STRIDE),
			"start_time", json_object_get(h, "start_time"),
			"kernel", json_object_get(h, "kernel"),
			"run_id", json_object_get(h, "run_id"),
			"plan", json_object_get(h, "plan"),
			"status", log->incomplete ? "incomplete" : "complete",
			"violations", (json_int_t)log->vio_all));
		if (log->events_on && each_event(&pf, log->path, err, len))
			goto out;
		close_open(&pf);
		json_array_foreach(log->violations, i, v)
			violation(&pf, v);
	}
	metadata(&pf);
	json_object_set_new(other, "faultline", json_pack("{s:s, s:s, s:o}", "version",
		FAULTLINE_VERSION, "time_unit", "microseconds from each log's start_ns", "logs", meta));
	meta = NULL;
	ev = sorted(pf.events);
	if (!ev) {
		snprintf(err, len, "out of memory");
		goto out;
	}
	trace = json_pack("{s:o, s:s, s:o}", "traceEvents", ev, "displayTimeUnit", "ns",
			  "otherData", other);
	other = NULL;
	if (json_dumpf(trace, out, JSON_COMPACT | JSON_ENSURE_ASCII) || fputc('\n', out) == EOF) {
		snprintf(err, len, "writing the trace: %s", strerror(errno ?: EIO));
		json_decref(trace);
		goto out;
	}
	json_decref(trace);
	ret = 0;
out:
	json_decref(meta);
	json_decref(other);
	json_decref(pf.events);
	json_decref(pf.tasks);
	json_decref(pf.open);
	return ret;
}
