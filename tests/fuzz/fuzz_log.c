// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the log reader and the gate's verdict: the bytes are
 * a log as fl_log_read_mem() sees it. After reading, everything gate and
 * report look at is walked the way they do, and the reader's promises are
 * checked; a broken promise aborts, so the fuzzer reports it as a crash.
 *
 *   clang -fsanitize=fuzzer,address,undefined (see mk/fuzz.mk)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"
#include "names.h"
#include "title.h"

#define CHECK(cond)								\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "fuzz_log: %s:%d: broken promise: %s\n",	\
				__FILE__, __LINE__, #cond);			\
			abort();						\
		}								\
	} while (0)

/* Sink so that the walks below are not optimised away. */
static volatile size_t sink;

static bool is_u64(json_t *v)
{
	return json_is_integer(v) && json_integer_value(v) >= 0;
}

/* report.c sig_append(): any side present is walked, frames cut at '+'. */
static void walk_stack(json_t *side)
{
	json_t *f;
	size_t i;

	if (!side)
		return;
	json_array_foreach(json_object_get(side, "stack"), i, f)
		sink += strcspn(json_string_value(f), "+");
}

/* Any side present: what check_side() promises (and report prints). */
static void check_side(json_t *s)
{
	json_t *task = json_object_get(s, "task"), *bytes = json_object_get(s, "bytes");
	json_t *end = json_object_get(bytes, "end"), *f;
	char buf[512];
	size_t i;

	CHECK(json_is_object(s));
	CHECK(json_is_object(task));
	CHECK(is_u64(json_object_get(task, "pid")) && is_u64(json_object_get(task, "tid")));
	CHECK(json_is_string(json_object_get(task, "comm")));
	CHECK(fl_hook_from_name(json_string_value(json_object_get(s, "hook"))) >= 0);
	CHECK(json_is_string(json_object_get(s, "entry")));
	CHECK(fl_lock_from_name(json_string_value(json_object_get(s, "lock"))) >= 0);
	CHECK(fl_op_from_name(json_string_value(json_object_get(s, "op"))) >= 0);
	CHECK(is_u64(json_object_get(bytes, "start")));
	CHECK(json_is_null(end) || is_u64(end));
	CHECK(is_u64(json_object_get(s, "ts_begin_ns")));
	CHECK(json_is_array(json_object_get(s, "stack")));
	json_array_foreach(json_object_get(s, "stack"), i, f)
		CHECK(json_is_string(f));
	/* report.c print_side() */
	snprintf(buf, sizeof(buf), "%s at %s via %s, lock %s, task %s %lld/%lld",
		 json_string_value(json_object_get(s, "op")),
		 json_string_value(json_object_get(s, "hook")),
		 json_string_value(json_object_get(s, "entry")),
		 json_string_value(json_object_get(s, "lock")),
		 json_string_value(json_object_get(task, "comm")),
		 (long long)json_integer_value(json_object_get(task, "pid")),
		 (long long)json_integer_value(json_object_get(task, "tid")));
	sink += strlen(buf);
}

static void walk_violation(json_t *v)
{
	int kind = fl_violation_from_name(json_string_value(json_object_get(v, "kind")));
	unsigned int maj, min;
	char id[64], tail, title[FL_TITLE_MAX];
	uint64_t ino;
	json_t *o;

	CHECK(json_is_object(v));
	CHECK(!strcmp(json_string_value(json_object_get(v, "type")) ?: "", "violation"));
	CHECK(kind >= 0 && kind < FL_VIO__COUNT);
	CHECK(json_is_string(json_object_get(v, "dev")));
	CHECK(sscanf(json_string_value(json_object_get(v, "dev")), "%u:%u%c",
		     &maj, &min, &tail) == 2);
	CHECK(!fl_json_get_ino(json_object_get(v, "ino"), &ino));
	/* report.c inode_id() */
	snprintf(id, sizeof(id), "%s:%llu", json_string_value(json_object_get(v, "dev")),
		 (unsigned long long)ino);
	sink += strlen(id);
	/* report.c report_json(): a group is packed from these */
	o = json_pack("{s:s, s:s, s:O}", "inode", id,
		      "kind", json_string_value(json_object_get(v, "kind")), "example", v);
	CHECK(o);
	json_decref(o);
	if (kind == FL_VIO_RACE || kind == FL_VIO_UNSERIALIZED_FAULT || json_object_get(v, "fault"))
		check_side(json_object_get(v, "fault"));
	if (kind != FL_VIO_UNSERIALIZED_FAULT || json_object_get(v, "op"))
		check_side(json_object_get(v, "op"));
	if (kind == FL_VIO_UNBROKEN_LAYOUT)
		CHECK(json_is_object(json_object_get(json_object_get(v, "layout"), "bytes")));
	/* title.c: one printable line, whatever the stacks hold */
	fl_violation_title(v, title, sizeof(title));
	CHECK(title[0] && !strchr(title, '\n') && strlen(title) < sizeof(title));
	walk_stack(json_object_get(v, "fault"));
	walk_stack(json_object_get(v, "op"));
}

/* gate.c inodes_with_violations(), report.c total_for(): the trailer's keys. */
static void walk_keys(json_t *trailer)
{
	json_t *k;
	size_t i;

	json_array_foreach(json_object_get(trailer, "violation_keys"), i, k) {
		uint64_t ino;
		char id[64];

		CHECK(!fl_json_get_ino(json_object_get(k, "ino"), &ino));
		CHECK(fl_violation_from_name(json_string_value(json_object_get(k, "kind"))) >= 0);
		snprintf(id, sizeof(id), "%s:%llu",
			 json_string_value(json_object_get(k, "dev")) ?: "?", (unsigned long long)ino);
		sink += strlen(id) + strlen(json_string_value(json_object_get(k, "kind")) ?: "") +
			(size_t)json_integer_value(json_object_get(k, "count"));
	}
}

static void check_error_line(const struct fl_log *log)
{
	char line[1024];	/* gate's size */
	json_t *s;

	fl_log_error_line(log, line, sizeof(line));
	CHECK(log->err[0]);
	CHECK(strlen(line) > strlen(log->path));
	/* one line on the CI's terminal: no line break, no escape sequence */
	for (const unsigned char *p = (const unsigned char *)line; *p; p++)
		CHECK(*p >= 0x20 && *p != 0x7f);
	/* valid UTF-8: gate -j puts it in a JSON string, --junit in XML */
	s = json_string(line);
	CHECK(s);
	json_decref(s);
	CHECK(log->err_line <= log->lines);
}

static void check_readable(const struct fl_log *log)
{
	json_t *rec, *v;
	size_t i;

	CHECK(!log->err[0]);
	CHECK(json_is_object(log->header));
	CHECK(!strcmp(json_string_value(json_object_get(log->header, "type")) ?: "", "header"));
	CHECK(json_is_string(json_object_get(log->header, "kernel")));
	CHECK(json_is_object(log->trailer));
	CHECK(!strcmp(json_string_value(json_object_get(log->trailer, "type")) ?: "", "trailer"));
	CHECK(json_string_value(json_object_get(log->trailer, "status")));
	CHECK(json_is_array(log->violations));
	rec = json_object_get(json_object_get(log->trailer, "records"), "violations");
	CHECK(is_u64(rec));
	CHECK((uint64_t)json_integer_value(rec) == json_array_size(log->violations));
	CHECK(log->vio_all >= json_array_size(log->violations));
	CHECK(log->lines >= 2 + json_array_size(log->violations) + log->events);
	CHECK(!log->incomplete == !log->incomplete_reason[0]);
	CHECK(strlen(log->incomplete_reason) < sizeof(log->incomplete_reason));
	json_array_foreach(log->violations, i, v)
		walk_violation(v);
	walk_keys(log->trailer);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fl_log log;
	int ret, verdict, lenient;
	bool any = false;

	ret = fl_log_read_mem("fuzz.jsonl", (const char *)data, size, &log);
	verdict = fl_log_verdict(&log, false);
	lenient = fl_log_verdict(&log, true);	/* --allow-empty */
	CHECK(ret == 0 || ret == -1);
	CHECK((ret == -1) == log.unreadable);
	CHECK(verdict >= 0 && verdict <= 2);
	if (log.unreadable) {
		CHECK(verdict == 2 && lenient == 2);
		check_error_line(&log);
	} else {
		check_readable(&log);
		/*
		 * never a false clean: a run that checked nothing passes only with
		 * --allow-empty; a log that cannot show it is whole, or whose workload
		 * was killed, never without their options
		 */
		CHECK(log.verified == !log.unverified[0]);
		CHECK(verdict == (log.vio_all ? 1 : log.incomplete || !log.verified ||
				  log.workload_killed || log.checked_nothing ? 2 : 0));
		CHECK(lenient == (log.vio_all ? 1 : log.incomplete || !log.verified ||
				  log.workload_killed ? 2 : 0));
		for (int inv = 0; inv < FL_INV__COUNT; inv++)
			any |= log.cov[inv] != FL_COV_UNCHECKED;
		CHECK(log.checked_nothing == !any);
		CHECK(!log.checked_nothing == !log.nothing_reason[0]);
	}
	/* gate's clean line, --junit and report -j ask this of any log they were given */
	for (int inv = 0; inv < FL_INV__COUNT; inv++) {
		const char *why = NULL, *cov = fl_log_coverage(&log, inv, &why);
		json_t *o;

		CHECK(cov && why);
		o = json_pack("{s:s, s:s}", "status", cov, "why", why);
		CHECK(o);
		json_decref(o);
	}
	fl_log_free(&log);
	CHECK(!log.header && !log.trailer && !log.violations);
	return 0;
}
