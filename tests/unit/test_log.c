// SPDX-License-Identifier: GPL-2.0
/* The log writer and reader, and the gate's verdict, on good and bad logs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "logwriter.h"
#include "title.h"

struct built {
	char *buf;
	size_t len;
};

/* What a crafted log holds. */
struct spec {
	int nvio;			/* violations of @kind, each recorded */
	enum fl_violation_kind kind;
	uint64_t ino;
	uint64_t events_lost, map_full;
	bool no_trailer;
	enum fl_coverage plan;		/* every invariant's status in the plan */
	bool evidence;			/* each invariant's evidence observed, locks read */
	uint64_t ctr[FL_CTR__COUNT];	/* added to the trailer's counters */
	int dropped_hook;		/* a hook dropped from the plan, or -1 */
	bool raw;			/* counters as given, even where they contradict */
	int workload_signal;		/* the workload died of it (0: exited 0) */
	bool workload_stopped;		/* ... sent by the recorder */
};

/* CRAFT(.field = value, ...): the defaults, some overridden (on purpose: no -Woverride-init) */
#pragma GCC diagnostic ignored "-Woverride-init"
#define CRAFT(...) ((struct spec){ .kind = FL_VIO_RACE, .ino = 1234, .plan = FL_COV_CHECKED, \
				  .evidence = true, .dropped_hook = -1, __VA_ARGS__ })

/* A log as the recorder writes it: header, violations, trailer. */
static void build(struct built *b, struct spec sp)
{
	struct fl_log_writer w = { 0 };
	struct fl_plan plan;
	struct fl_kbtf kbtf;
	struct fl_session_opts o = { 0 };
	struct fl_session_stats st = { 0 };
	struct fl_trailer_info ti = { .status = "complete", .duration_ns = 5 };
	struct fl_vio_total vt = { 0 };
	char *argv[] = { "fl-ops", "/mnt", NULL };

	memset(&plan, 0, sizeof(plan));
	memset(&kbtf, 0, sizeof(kbtf));
	for (int i = 0; i < FL_INV__COUNT; i++) {
		plan.cov[i] = sp.plan;
		snprintf(plan.cov_reason[i], sizeof(plan.cov_reason[i]), "plan says %d", i);
	}
	for (int h = 0; h < FL_HOOK__COUNT; h++)
		plan.hooks[h].mode = FL_MODE_FENTRY;
	if (sp.dropped_hook >= 0) {
		plan.hooks[sp.dropped_hook].dropped = true;
		snprintf(plan.hooks[sp.dropped_hook].reason, sizeof(plan.hooks[0].reason),
			 "fentry: fe_x failed to load: failed to resolve CO-RE relocation");
	}
	w.f = open_memstream(&b->buf, &b->len);
	assert_non_null(w.f);
	assert_int_equal(fl_log_write_header(&w, fl_json_header(&plan, &kbtf, argv, &o)), 0);
	for (int i = 0; i < sp.nvio; i++) {
		struct fl_violation v = { 0 };

		v.kind = sp.kind;
		v.dev = 52;
		v.ino = sp.ino;
		v.flags = FL_F_FUSE | FL_F_DAX;
		v.seq = i + 1;
		v.fault.ts_begin = 10;
		v.fault.ts_end = 20;
		v.fault.end = 4096;
		v.fault.op = FL_OP_FAULT;
		v.fault.lock = FL_LOCK_NONE;
		v.fault.stack_len = 16;
		v.fault.stack[0] = 0xffffffff81000010ULL;	/* no ksyms: "?" */
		memcpy(v.fault.comm, "work\377er", 8);		/* odd bytes in comm */
		v.op.ts_begin = 15;
		v.op.start = 0;
		v.op.end = FL_EOF;
		v.op.op = FL_OP_TRUNCATE;
		v.op.lock = FL_LOCK_NONE;
		v.layout_start = 0;
		v.layout_end = 4096;
		if (sp.kind == FL_VIO_BLOCKING_IN_COMPLETION) {
			v.ino = 0;
			v.flags = FL_F_FUSE;
			v.fault.hook = v.fault.entry_hook = FL_HOOK_FUSE_REQUEST_END;
			v.fault.opcode = 18;		/* FUSE_RELEASE */
			v.op.hook = v.op.entry_hook = FL_HOOK_FUSE_SIMPLE_REQUEST;
			v.op.opcode = 49;		/* FUSE_REMOVEMAPPING */
			v.callback = 0xffffffffc0100010ULL;	/* no ksyms: null */
		}
		assert_int_equal(fl_log_write(&w, fl_json_violation(&v, NULL), true), 0);
		w.violations++;
	}
	if (!sp.no_trailer) {
		st.counters[FL_CTR_VIOLATIONS] = sp.nvio;
		st.counters[FL_CTR_EVENTS_LOST] = sp.events_lost;
		st.counters[FL_CTR_MAP_FULL] = sp.map_full;
		if (sp.evidence) {
			st.counters[FL_CTR_FAULTS] = 512;
			st.counters[FL_CTR_OPS] = 20;
			st.counters[FL_CTR_DAX_FAULTS_LOCK_READ] = 512;
			st.counters[FL_CTR_DAX_TEARDOWNS_LOCK_READ] = 30;
			st.counters[FL_CTR_DAX_OPS] = 20;
			st.counters[FL_CTR_RECLAIMS_LOCK_READ] = 2;
			st.counters[FL_CTR_LAYOUT_CHECKS] = 20;
			st.counters[FL_CTR_COMPLETIONS] = 7;
			st.counters[FL_CTR_BLOCKING_SENDS] = 40;
		}
		for (int i = 0; i < FL_CTR__COUNT; i++)
			st.counters[i] += sp.ctr[i];
		/* as the kernel counts: each lock read in a fault or teardown it counted */
		if (sp.raw)
			;
		else if (st.counters[FL_CTR_FAULTS] < st.counters[FL_CTR_DAX_FAULTS_LOCK_READ] +
		    st.counters[FL_CTR_DAX_FAULTS_LOCK_UNKNOWN])
			st.counters[FL_CTR_FAULTS] = st.counters[FL_CTR_DAX_FAULTS_LOCK_READ] +
						     st.counters[FL_CTR_DAX_FAULTS_LOCK_UNKNOWN];
		st.counters[FL_CTR_TEARDOWNS] += st.counters[FL_CTR_DAX_TEARDOWNS_LOCK_READ] +
			st.counters[FL_CTR_DAX_TEARDOWNS_LOCK_UNKNOWN] +
			st.counters[FL_CTR_RECLAIMS_LOCK_READ] + st.counters[FL_CTR_RECLAIMS_LOCK_UNKNOWN];
		if (st.counters[FL_CTR_OPS] < st.counters[FL_CTR_DAX_OPS])
			st.counters[FL_CTR_OPS] = st.counters[FL_CTR_DAX_OPS];
		/* every I6 violation is a blocking send judged */
		if (!sp.raw && sp.kind == FL_VIO_BLOCKING_IN_COMPLETION &&
		    st.counters[FL_CTR_BLOCKING_SENDS] < (uint64_t)sp.nvio + 7)
			st.counters[FL_CTR_BLOCKING_SENDS] = sp.nvio + 7;
		if (sp.nvio) {
			vt.key.dev = 52;
			vt.key.ino = sp.ino;
			vt.key.kind = sp.kind;
			vt.count = sp.nvio + 7;	/* some suppressed */
			st.vio_totals = &vt;
			st.n_vio_totals = 1;
		}
		st.inode_max = 4096;
		ti.workload = true;
		ti.workload_exit = sp.workload_signal ? -1 : 0;
		ti.workload_signal = sp.workload_signal;
		ti.workload_stopped = sp.workload_stopped;
		assert_int_equal(fl_log_write_trailer(&w, fl_json_trailer(&st, &w, &ti)), 0);
	}
	fclose(w.f);
}

static int read_built(struct built *b, struct fl_log *log)
{
	return fl_log_read_mem("t.jsonl", b->buf, b->len, log);
}

static void clean_log(void **state)
{
	struct built b;
	struct fl_log log;

	build(&b, CRAFT());
	assert_int_equal(read_built(&b, &log), 0);
	assert_false(log.incomplete);
	assert_false(log.checked_nothing);
	assert_int_equal(log.vio_all, 0);
	assert_int_equal(fl_log_verdict(&log, false), 0);
	assert_int_equal(log.lines, 2);
	for (int i = 0; i < FL_INV__COUNT; i++)
		assert_int_equal(log.cov[i], FL_COV_CHECKED);
	fl_log_free(&log);
	free(b.buf);
}

static void violations_log(void **state)
{
	struct built b;
	struct fl_log log;
	json_t *v;

	build(&b, CRAFT(.nvio = 3));
	assert_int_equal(read_built(&b, &log), 0);
	assert_int_equal(json_array_size(log.violations), 3);
	assert_int_equal(log.vio_all, 10);
	assert_int_equal(log.vio_total[FL_VIO_RACE], 10);
	assert_int_equal(fl_log_verdict(&log, false), 1);
	v = json_array_get(log.violations, 0);
	assert_string_equal(json_string_value(json_object_get(v, "dev")), "0:52");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
		json_object_get(v, "fault"), "task"), "comm")), "work?er");
	assert_true(json_is_null(json_object_get(json_object_get(json_object_get(v, "op"),
							       "bytes"), "end")));
	/* no kernel address anywhere */
	assert_null(strstr(b.buf, "ffffffff"));
	fl_log_free(&log);
	free(b.buf);
}

static void lost_evidence(void **state)
{
	struct built b;
	struct fl_log log;

	build(&b, CRAFT(.events_lost = 12));
	assert_int_equal(read_built(&b, &log), 0);
	assert_true(log.incomplete);
	assert_non_null(strstr(log.incomplete_reason, "12 events lost"));
	assert_int_equal(fl_log_verdict(&log, false), 2);
	assert_int_equal(fl_log_verdict(&log, true), 2);	/* --allow-empty does not excuse loss */
	fl_log_free(&log);
	free(b.buf);

	build(&b, CRAFT(.map_full = 3));
	assert_int_equal(read_built(&b, &log), 0);
	assert_non_null(strstr(log.incomplete_reason, "map full"));
	assert_int_equal(fl_log_verdict(&log, false), 2);
	fl_log_free(&log);
	free(b.buf);

	/* violations are proof even when evidence was lost */
	build(&b, CRAFT(.nvio = 1, .events_lost = 5));
	assert_int_equal(read_built(&b, &log), 0);
	assert_int_equal(fl_log_verdict(&log, false), 1);
	fl_log_free(&log);
	free(b.buf);
}

/* Read @text and expect it unreadable at @line with @reason in the message. */
static void expect_bad(const char *text, size_t len, uint64_t line, const char *reason)
{
	struct fl_log log;
	char msg[1024];

	assert_int_equal(fl_log_read_mem("bad.jsonl", text, len, &log), -1);
	assert_true(log.unreadable);
	assert_int_equal(fl_log_verdict(&log, true), 2);
	fl_log_error_line(&log, msg, sizeof(msg));
	if (!strstr(msg, reason) || log.err_line != line)
		fail_msg("got '%s' (line %llu), wanted line %llu with '%s'", msg,
			 (unsigned long long)log.err_line, (unsigned long long)line, reason);
	assert_null(strchr(msg, '\n'));
	fl_log_free(&log);
}

/* string literal inputs: their length is the literal's, NULs included */
#define BAD(text, line, reason) expect_bad(text, sizeof(text) - 1, line, reason)

static void bad_inputs(void **state)
{
	struct built b;
	char *text, *nl;
	size_t hdr;

	BAD("", 0, "empty log");
	BAD("\x7f" "ELF\x02\x01\n", 1, "not JSON");
	BAD("[1,2]\n", 1, "not a JSON object");
	BAD("{\"type\":\"event\"}\n", 1, "not a faultline log");

	build(&b, CRAFT(.nvio = 1));
	nl = strchr(b.buf, '\n');
	hdr = nl - b.buf + 1;

	/* truncated last line: the recorder died mid-write */
	expect_bad(b.buf, b.len - 10, 3, "truncated last line");
	/* no trailer: complete lines, then nothing */
	expect_bad(b.buf, strchr(nl + 1, '\n') - b.buf + 1, 2, "no trailer");
	/* garbage in the middle */
	text = malloc(2 * b.len + 32);
	memcpy(text, b.buf, hdr);
	memcpy(text + hdr, "\x01\x02garbage\n", 10);
	memcpy(text + hdr + 10, b.buf + hdr, b.len - hdr);
	expect_bad(text, b.len + 10, 2, "not JSON");
	/* a NUL byte inside a line */
	memcpy(text, b.buf, b.len);
	text[hdr + 5] = 0;
	expect_bad(text, b.len, 2, "not JSON");
	/* unknown schema */
	memcpy(text, b.buf, b.len);
	memcpy(strstr(text, "\"schema\":2") + 9, "7", 1);
	expect_bad(text, b.len, 1, "unknown schema version 7");
	/* a violation line dropped: the digest no longer matches */
	memcpy(text, b.buf, hdr);
	memcpy(text + hdr, strchr(nl + 1, '\n') + 1, b.len - (strchr(nl + 1, '\n') + 1 - b.buf));
	expect_bad(text, b.len - (strchr(nl + 1, '\n') + 1 - b.buf) + hdr, 2,
		   "the digest does not match the log's bytes");
	/* data after the trailer */
	memcpy(text, b.buf, b.len);
	memcpy(text + b.len, b.buf, hdr);
	expect_bad(text, b.len + hdr, 4, "data after the trailer");
	free(text);
	free(b.buf);

	BAD("{\"type\":\"header\",\"tool\":\"faultline\",\"schema\":2,\"kernel\":\"x\"}\n"
		   "{\"type\":\"violation\",\"kind\":\"nonsense\"}\n", 2, "unknown or missing 'kind'");
	BAD("{\"type\":\"header\",\"tool\":\"faultline\",\"schema\":2,\"kernel\":\"x\"}\n"
		   "{\"type\":\"mystery\"}\n", 2, "unknown record type 'mystery'");
	BAD("{\"type\":\"header\",\"tool\":\"faultline\",\"schema\":2,\"kernel\":\"x\"}\n"
		   "{\"type\":\"trailer\",\"status\":\"complete\"}\n", 2, "no 'counters'");
	/* invalid UTF-8 */
	BAD("{\"type\":\"header\",\"tool\":\"faultline\",\"schema\":2,\"kernel\":\"\xff\"}\n", 1,
	    "not JSON");
}

static void event_lines(void **state)
{
	struct fl_event e = { 0 };
	json_error_t jerr;
	char line[768];
	json_t *o;
	int n;

	e.ts = 123456789;
	e.kind = FL_EV_OP_END;
	e.hook = FL_HOOK_SYS_FTRUNCATE;
	e.op = FL_OP_TRUNCATE;
	e.lock = FL_LOCK_EXCL_SELF;
	e.dev = (259 << 20) | 3;
	e.ino = 42;
	e.start = 4096;
	e.end = FL_EOF;
	e.size = 65536;
	e.flags = FL_F_INODE_KNOWN | FL_F_DAX;
	e.pid = 7;
	e.tid = 8;
	e.ret = -4;
	memcpy(e.comm, "a\"b\\c\001d", 8);
	n = fl_event_line(&e, line, sizeof(line));
	assert_true(n > 0 && line[n - 1] == '\n');
	o = json_loadb(line, n, 0, &jerr);
	if (!o)
		fail_msg("not JSON: %s: %s", jerr.text, line);
	assert_string_equal(json_string_value(json_object_get(o, "event")), "op_end");
	assert_string_equal(json_string_value(json_object_get(o, "dev")), "259:3");
	assert_int_equal(json_integer_value(json_object_get(o, "ino")), 42);
	assert_true(json_is_null(json_object_get(json_object_get(o, "bytes"), "end")));
	assert_int_equal(json_integer_value(json_object_get(o, "size_before")), 65536);
	assert_string_equal(json_string_value(json_object_get(o, "comm")), "a?b?c?d");
	assert_int_equal(json_integer_value(json_object_get(o, "ret")), -4);
	assert_string_equal(json_string_value(json_object_get(o, "lock")), "exclusive_self");
	json_decref(o);

	/* a fault begin: no size, no ret; an unknown inode */
	e.kind = FL_EV_FAULT_BEGIN;
	e.flags = FL_F_WRITE;
	e.end = 8192;
	n = fl_event_line(&e, line, sizeof(line));
	o = json_loadb(line, n, 0, &jerr);
	assert_non_null(o);
	assert_true(json_is_null(json_object_get(o, "dev")));
	assert_null(json_object_get(o, "size_before"));
	assert_null(json_object_get(o, "ret"));
	assert_true(json_is_true(json_object_get(o, "write")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "bytes"), "end")), 8192);
	json_decref(o);
	/* too small a buffer is an error, not a truncated line */
	assert_int_equal(fl_event_line(&e, line, 40), -1);
}


/* Build @sp's log and read it back into @log, which must be readable; unread() frees both. */
static struct built crafted_buf;

static void read_crafted(struct fl_log *log, struct spec sp)
{
	build(&crafted_buf, sp);
	assert_int_equal(read_built(&crafted_buf, log), 0);
}

static void unread(struct fl_log *log)
{
	fl_log_free(log);
	free(crafted_buf.buf);
	crafted_buf.buf = NULL;
}

/* Coverage from observation: what the run saw decides, never the plan alone. */
static void observed_coverage(void **state)
{
	struct spec none = CRAFT(.evidence = false);
	struct fl_log log;
	const char *why;

	/* the plan promised everything; the run saw nothing (a mount that lost dax) */
	none.ctr[FL_CTR_OPS] = 15;
	read_crafted(&log, none);
	assert_true(log.checked_nothing);
	assert_int_equal(fl_log_verdict(&log, false), 2);
	assert_int_equal(fl_log_verdict(&log, true), 0);
	assert_non_null(strstr(log.nothing_reason, "no DAX fault and no DAX teardown observed"));
	assert_non_null(strstr(log.nothing_reason, "mounted with DAX"));
	for (int i = 0; i < FL_INV__COUNT; i++) {
		assert_string_equal(fl_log_coverage(&log, i, &why), "unchecked");
		assert_non_null(strstr(why, "not observed"));
	}
	unread(&log);

	/* every lock read unknown (PREEMPT_RT without support): nothing checked */
	none = CRAFT(.evidence = false);
	none.ctr[FL_CTR_FAULTS] = 6714;
	none.ctr[FL_CTR_DAX_FAULTS_LOCK_UNKNOWN] = 6714;
	none.ctr[FL_CTR_DAX_TEARDOWNS_LOCK_UNKNOWN] = 526;
	none.ctr[FL_CTR_DAX_OPS] = 547;
	read_crafted(&log, none);
	assert_true(log.checked_nothing);
	assert_int_equal(fl_log_verdict(&log, false), 2);
	assert_non_null(strstr(log.nothing_reason, "every lock read unknown (6714 DAX faults, 526"));
	assert_string_equal(fl_log_coverage(&log, FL_I1, &why), "unchecked");
	assert_non_null(strstr(why, "every lock read unknown (6714 DAX faults)"));
	unread(&log);

	/* some lock reads unknown: partial, and the gate still passes what was checked */
	none = CRAFT();
	none.ctr[FL_CTR_DAX_TEARDOWNS_LOCK_UNKNOWN] = 3;
	read_crafted(&log, none);
	assert_false(log.checked_nothing);
	assert_int_equal(fl_log_verdict(&log, false), 0);
	assert_string_equal(fl_log_coverage(&log, FL_I1, &why), "checked");
	assert_string_equal(fl_log_coverage(&log, FL_I2, &why), "partial");
	assert_non_null(strstr(why, "3 of 33 DAX teardowns with the lock unreadable"));
	unread(&log);

	/* the plan's unchecked stays unchecked whatever was seen */
	read_crafted(&log, CRAFT(.plan = FL_COV_UNCHECKED));
	assert_true(log.checked_nothing);
	assert_int_equal(fl_log_verdict(&log, false), 2);
	assert_string_equal(fl_log_coverage(&log, FL_I4, &why), "unchecked");
	assert_string_equal(why, "plan says 3");
	unread(&log);

	/* I3 needs operations on DAX inodes; ops whose inode stayed unknown make it partial */
	none = CRAFT(.evidence = false);
	none.ctr[FL_CTR_DAX_FAULTS_LOCK_READ] = 9;
	read_crafted(&log, none);
	assert_string_equal(fl_log_coverage(&log, FL_I1, &why), "checked");
	assert_string_equal(fl_log_coverage(&log, FL_I3, &why), "unchecked");
	assert_non_null(strstr(why, "no shrinking operation on a DAX inode"));
	assert_int_equal(fl_log_verdict(&log, false), 0);
	unread(&log);
	none = CRAFT();
	none.ctr[FL_CTR_OPS_INODE_UNKNOWN] = 4;
	read_crafted(&log, none);
	assert_string_equal(fl_log_coverage(&log, FL_I3, &why), "partial");
	assert_non_null(strstr(why, "4 operations whose inode stayed unknown"));
	unread(&log);

	/* a dropped hook is named, in a run that checked nothing too */
	none = CRAFT(.evidence = false, .dropped_hook = FL_HOOK_FUSE_REQUEST);
	read_crafted(&log, none);
	assert_non_null(strstr(log.dropped, "fuse_request (fentry: fe_x failed to load: failed to resolve CO-RE relocation)"));
	assert_non_null(strstr(log.nothing_reason, "hooks dropped: fuse_request"));
	unread(&log);
}

/* Inode numbers above 2^63 (FUSE servers hand them out) survive the log. */
static void big_inodes(void **state)
{
	uint64_t big = 0x8000000000000123ULL, got = 0;
	struct fl_event e = { .kind = FL_EV_OP_END, .flags = FL_F_INODE_KNOWN, .ino = big };
	struct built b;
	struct fl_log log;
	json_error_t jerr;
	char line[768];
	json_t *o, *v;
	int n;

	build(&b, CRAFT(.nvio = 1, .ino = big));
	assert_int_equal(read_built(&b, &log), 0);
	v = json_array_get(log.violations, 0);
	assert_int_equal(fl_json_get_ino(json_object_get(v, "ino"), &got), 0);
	assert_true(got == big);
	assert_string_equal(json_string_value(json_object_get(v, "ino")), "9223372036854776099");
	v = json_array_get(json_object_get(log.trailer, "violation_keys"), 0);
	assert_int_equal(fl_json_get_ino(json_object_get(v, "ino"), &got), 0);
	assert_true(got == big);
	fl_log_free(&log);
	free(b.buf);

	n = fl_event_line(&e, line, sizeof(line));
	o = json_loadb(line, n, 0, &jerr);
	assert_non_null(o);
	assert_int_equal(fl_json_get_ino(json_object_get(o, "ino"), &got), 0);
	assert_true(got == big);
	json_decref(o);
	/* small ones stay numbers; the string form is only for what a number cannot hold */
	o = fl_json_ino(42);
	assert_true(json_is_integer(o));
	json_decref(o);
	o = json_string("42");
	assert_int_equal(fl_json_get_ino(o, &got), -1);
	json_decref(o);
	o = json_string("18446744073709551616");	/* 2^64 */
	assert_int_equal(fl_json_get_ino(o, &got), -1);
	json_decref(o);
}

/* An unbroken-layout violation names the removal and what the breaks covered. */
static void unbroken_layout(void **state)
{
	struct built b;
	struct fl_log log;
	json_t *v, *layout;
	char *p;

	build(&b, CRAFT(.nvio = 2, .kind = FL_VIO_UNBROKEN_LAYOUT));
	assert_int_equal(read_built(&b, &log), 0);
	assert_int_equal(log.vio_total[FL_VIO_UNBROKEN_LAYOUT], 9);
	assert_int_equal(fl_log_verdict(&log, false), 1);
	v = json_array_get(log.violations, 0);
	assert_string_equal(json_string_value(json_object_get(v, "kind")), "unbroken-layout");
	assert_null(json_object_get(v, "fault"));
	layout = json_object_get(json_object_get(v, "layout"), "pages");
	assert_int_equal(json_integer_value(json_object_get(layout, "first")), 0);
	assert_int_equal(json_integer_value(json_object_get(layout, "last")), 0);
	fl_log_free(&log);
	/* without its 'layout' the record is unreadable */
	p = strstr(b.buf, "\"layout\"");
	assert_non_null(p);
	memcpy(p, "\"lay0ut\"", 8);
	assert_int_equal(read_built(&b, &log), -1);
	assert_non_null(strstr(log.err, "violation 'layout': missing"));
	fl_log_free(&log);
	free(b.buf);
}

/* Remove @n bytes at @at from @b's text. */
static void cut(struct built *b, char *at, size_t n)
{
	assert_non_null(at);
	memmove(at, at + n, b->buf + b->len - at - n);
	b->len -= n;
}

/* One byte changed anywhere, a line of another run, no digest at all. */
static void integrity(void **state)
{
	struct built a, b;
	struct fl_log log;
	char *text, *p;
	size_t ha, hb;

	build(&a, CRAFT(.nvio = 1));
	build(&b, CRAFT(.nvio = 1));
	assert_int_equal(read_built(&a, &log), 0);
	assert_true(log.verified);
	assert_int_equal(strlen(log.run_id), FL_RUN_ID_LEN);
	fl_log_free(&log);
	text = calloc(1, a.len + b.len + 1);	/* NUL-terminated for strstr() */
	/* a digit of the violation, still valid JSON */
	memcpy(text, a.buf, a.len);
	p = strstr(text, "\"ts_ns\":");
	p[8] = p[8] == '9' ? '8' : p[8] + 1;
	expect_bad(text, a.len, 3, "the digest does not match the log's bytes");
	/* the unbalanced counter of the trailer, 0 to 1 */
	memcpy(text, a.buf, a.len);
	p = strstr(text, "\"unbalanced\":0");
	p[13] = '1';
	expect_bad(text, a.len, 3, "the digest does not match");
	/* a's header on b's lines: two runs */
	ha = strchr(a.buf, '\n') - a.buf + 1;
	hb = strchr(b.buf, '\n') - b.buf + 1;
	memcpy(text, a.buf, ha);
	memcpy(text + ha, b.buf + hb, b.len - hb);
	expect_bad(text, ha + b.len - hb, 3, "is not the header's");
	/* the digest not last */
	memcpy(text, a.buf, a.len);
	p = strstr(text, ",\"digest\":");
	memcpy(p, ",\"digesT\":", 10);
	expect_bad(text, a.len, 3, "no 'digest'");
	free(text);
	free(b.buf);
	free(a.buf);

	/* a log from before run ids and digests: read, never clean unless accepted */
	build(&a, CRAFT());
	cut(&a, strstr(a.buf, ",\"run_id\":"), 44);		/* the header's */
	cut(&a, strstr(a.buf, ",\"run_id\":"), 44);		/* the trailer's */
	cut(&a, strstr(a.buf, ",\"digest\":"), 83);
	text = a.buf;
	ha = a.len;
	assert_int_equal(read_built(&(struct built){ text, ha }, &log), 0);
	assert_false(log.verified);
	assert_non_null(strstr(log.unverified, "no run id and no digest"));
	assert_int_equal(fl_log_verdict(&log, 0), 2);
	assert_int_equal(fl_log_verdict(&log, FL_ACCEPT_UNVERIFIED), 0);
	fl_log_free(&log);
	free(a.buf);
}

/* What the writer guarantees, checked: a contradiction is an unreadable log. */
static void relations(void **state)
{
	struct spec sp = CRAFT(.raw = true);
	struct built b;
	struct fl_log log;
	const char *why;

	/* lock reads of more faults than were counted */
	sp.ctr[FL_CTR_FAULTS] = -(uint64_t)500;	/* 512 - 500 */
	build(&b, sp);
	assert_int_equal(read_built(&b, &log), -1);
	assert_non_null(strstr(log.err, "exceed 'faults' (12)"));
	fl_log_free(&log);
	free(b.buf);

	/* every teardown's lock unread: I2 and I3 unchecked, I1 still checked */
	sp = CRAFT();
	sp.ctr[FL_CTR_DAX_TEARDOWNS_LOCK_READ] = -(uint64_t)30;
	sp.ctr[FL_CTR_DAX_TEARDOWNS_LOCK_UNKNOWN] = 30;
	read_crafted(&log, sp);
	assert_string_equal(fl_log_coverage(&log, FL_I1, &why), "checked");
	assert_string_equal(fl_log_coverage(&log, FL_I2, &why), "unchecked");
	assert_string_equal(fl_log_coverage(&log, FL_I3, &why), "unchecked");
	assert_non_null(strstr(why, "no DAX teardown's lock read (30 unknown)"));
	unread(&log);
	/* some unread: I3 partial */
	sp = CRAFT();
	sp.ctr[FL_CTR_DAX_TEARDOWNS_LOCK_UNKNOWN] = 5;
	read_crafted(&log, sp);
	assert_string_equal(fl_log_coverage(&log, FL_I3, &why), "partial");
	assert_non_null(strstr(why, "5 of 35 DAX teardowns"));
	unread(&log);

	/* the only hook that serves I4 dropped: unchecked whatever the plan says */
	read_crafted(&log, CRAFT(.dropped_hook = FL_HOOK_FUSE_DAX_RECLAIM));
	assert_string_equal(fl_log_coverage(&log, FL_I4, &why), "unchecked");
	assert_string_equal(why, "no hook the plan attached serves it");
	unread(&log);
}

/* A workload killed by a signal is not a clean run; one the recorder stopped is. */
static void workload_fate(void **state)
{
	struct fl_log log;

	read_crafted(&log, CRAFT(.workload_signal = 7));
	assert_true(log.workload_killed);
	assert_string_equal(log.workload_fate, "killed by signal 7 (SIGBUS)");
	assert_int_equal(fl_log_verdict(&log, 0), 2);
	assert_int_equal(fl_log_verdict(&log, FL_ACCEPT_WORKLOAD), 0);
	unread(&log);
	read_crafted(&log, CRAFT(.workload_signal = 15, .workload_stopped = true));
	assert_false(log.workload_killed);
	assert_int_equal(fl_log_verdict(&log, 0), 0);
	unread(&log);
	read_crafted(&log, CRAFT(.nvio = 1, .workload_signal = 7));
	assert_int_equal(fl_log_verdict(&log, 0), 1);	/* violations are proof all the same */
	unread(&log);
}

static void missing_file(void **state)
{
	struct fl_log log;
	char msg[1024];

	assert_int_equal(fl_log_read("/nonexistent/run.jsonl", &log), -1);
	fl_log_error_line(&log, msg, sizeof(msg));
	assert_string_equal(msg, "/nonexistent/run.jsonl: cannot open: No such file or directory");
	fl_log_free(&log);
}

/* I6: its evidence, its violations, its relations; logs from before it still read */
static void blocking_in_completion(void **state)
{
	struct spec sp = CRAFT(.nvio = 2, .kind = FL_VIO_BLOCKING_IN_COMPLETION);
	struct built b;
	struct fl_log log;
	const char *why;
	char title[FL_TITLE_MAX];
	json_t *v;

	/* completions observed, both hooks attached: checked */
	read_crafted(&log, CRAFT());
	assert_string_equal(fl_log_coverage(&log, FL_I6, &why), "checked");
	unread(&log);
	/* no completion bounded: unchecked, not observed (never from the plan alone) */
	sp = CRAFT();
	sp.ctr[FL_CTR_COMPLETIONS] = -(uint64_t)7;
	read_crafted(&log, sp);
	assert_string_equal(fl_log_coverage(&log, FL_I6, &why), "unchecked");
	assert_non_null(strstr(why, "not observed: no FUSE request completions"));
	/* I6 alone does not make a run without DAX evidence a checked one */
	unread(&log);
	sp = CRAFT(.evidence = false);
	sp.ctr[FL_CTR_COMPLETIONS] = 3;
	read_crafted(&log, sp);
	assert_string_equal(fl_log_coverage(&log, FL_I6, &why), "checked");
	assert_true(log.checked_nothing);
	unread(&log);
	/* the plan left it unchecked (tracepoint mode): it stays so, with the plan's reason */
	sp = CRAFT(.dropped_hook = FL_HOOK_FUSE_REQUEST_END);
	read_crafted(&log, sp);
	assert_string_equal(fl_log_coverage(&log, FL_I6, &why), "unchecked");
	assert_non_null(strstr(why, "needs both the completion (fuse_request_end)"));
	unread(&log);

	/* violations: both sides with their requests, titled by the operation */
	sp = CRAFT(.nvio = 2, .kind = FL_VIO_BLOCKING_IN_COMPLETION);
	build(&b, sp);
	assert_int_equal(read_built(&b, &log), 0);
	assert_int_equal(log.vio_total[FL_VIO_BLOCKING_IN_COMPLETION], 9);
	assert_int_equal(fl_log_verdict(&log, 0), 1);
	v = json_array_get(log.violations, 0);
	assert_non_null(json_object_get(v, "completion"));
	assert_non_null(json_object_get(v, "send"));
	assert_null(json_object_get(v, "fault"));
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(v,
			    "send"), "request"), "name")), "FUSE_REMOVEMAPPING");
	fl_violation_title(v, title, sizeof(title));
	/* no ksyms here: the callback is unknown, the completed request names it */
	assert_string_equal(title, "blocking-in-completion: FUSE_REMOVEMAPPING from FUSE_RELEASE completion");
	json_object_set_new(json_object_get(v, "completion"), "callback",
			    json_string("fuse_release_end+0x0 [fuse]"));
	fl_violation_title(v, title, sizeof(title));
	assert_string_equal(title, "blocking-in-completion: FUSE_REMOVEMAPPING from fuse_release_end");
	fl_log_free(&log);
	free(b.buf);

	/* more I6 violations than blocking sends judged: an edited log */
	sp = CRAFT(.nvio = 2, .kind = FL_VIO_BLOCKING_IN_COMPLETION, .raw = true);
	sp.ctr[FL_CTR_BLOCKING_SENDS] = -(uint64_t)37;	/* 40 - 37: 3 judged, 9 violations */
	build(&b, sp);
	assert_int_equal(read_built(&b, &log), -1);
	assert_non_null(strstr(log.err, "9 blocking-in-completion violations, 'blocking_sends' is 3"));
	fl_log_free(&log);
	free(b.buf);

	/* a counter of a hook the plan did not attach */
	sp = CRAFT(.dropped_hook = FL_HOOK_FUSE_SIMPLE_REQUEST);
	build(&b, sp);
	/* dropped hooks may have run: still readable */
	assert_int_equal(read_built(&b, &log), 0);
	fl_log_free(&log);
	free(b.buf);
}

/* A log written before I6 (tests/cli/fixtures): no I6 in its plan, no I6 members in its trailer */
static void before_i6(void **state)
{
	static const char *const fixtures[] = {
		"tests/cli/fixtures/clean.jsonl", "tests/cli/fixtures/violations.jsonl",
	};
	struct fl_log log;
	const char *why;

	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		assert_int_equal(fl_log_read(fixtures[i], &log), 0);
		assert_true(log.verified);
		assert_int_equal(log.counters[FL_CTR_COMPLETIONS], 0);
		assert_int_equal(log.vio_total[FL_VIO_BLOCKING_IN_COMPLETION], 0);
		assert_string_equal(fl_log_coverage(&log, FL_I6, &why), "unchecked");
		fl_log_free(&log);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clean_log),
		cmocka_unit_test(violations_log),
		cmocka_unit_test(lost_evidence),
		cmocka_unit_test(bad_inputs),
		cmocka_unit_test(event_lines),
		cmocka_unit_test(missing_file),
		cmocka_unit_test(observed_coverage),
		cmocka_unit_test(big_inodes),
		cmocka_unit_test(unbroken_layout),
		cmocka_unit_test(integrity),
		cmocka_unit_test(relations),
		cmocka_unit_test(workload_fate),
		cmocka_unit_test(blocking_in_completion),
		cmocka_unit_test(before_i6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
