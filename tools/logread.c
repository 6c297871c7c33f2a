// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a violation log back, for gate and report. The reader trusts
 * nothing: every line is parsed by jansson and checked against the schema,
 * and the first problem is reported with its line number.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <nettle/sha2.h>
#include "log.h"
#include "text.h"
#include "faultline/rules.h"
#include "names.h"

static int fail(struct fl_log *log, uint64_t line, const char *fmt, ...)
{
	va_list ap;

	if (log->unreadable)
		return -1;
	log->unreadable = true;
	log->err_line = line;
	va_start(ap, fmt);
	vsnprintf(log->err, sizeof(log->err), fmt, ap);
	va_end(ap);
	fl_text_printable(log->err);
	return -1;
}

static void incomplete(struct fl_log *log, const char *fmt, ...)
{
	size_t used = strlen(log->incomplete_reason);
	va_list ap;

	log->incomplete = true;
	if (used && used + 2 < sizeof(log->incomplete_reason)) {
		strcpy(log->incomplete_reason + used, "; ");
		used += 2;
	}
	va_start(ap, fmt);
	vsnprintf(log->incomplete_reason + used, sizeof(log->incomplete_reason) - used, fmt, ap);
	va_end(ap);
}

static bool is_uint(json_t *v)
{
	return json_is_integer(v) && json_integer_value(v) >= 0;
}

int fl_json_get_ino(json_t *v, uint64_t *ino)
{
	const char *s = json_string_value(v);
	unsigned long long n;
	char *end;

	if (is_uint(v)) {
		*ino = json_integer_value(v);
		return 0;
	}
	/* the string form is for values above INT64_MAX only: digits, no sign, no zeroes first */
	if (!s || *s < '1' || *s > '9' || strlen(s) > 20)
		return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || *end || n <= INT64_MAX)
		return -1;
	*ino = n;
	return 0;
}

static bool is_ino(json_t *v)
{
	uint64_t ino;

	return !fl_json_get_ino(v, &ino);
}

/* "major:minor" as the kernel's dev_t holds them: 12 and 20 bits, digits only */
static bool is_dev(json_t *v)
{
	const char *s = json_string_value(v);
	unsigned long maj, min;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	maj = strtoul(s, &end, 10);
	if (*end != ':' || end[1] < '0' || end[1] > '9' || maj > 0xfff)
		return false;
	min = strtoul(end + 1, &end, 10);
	return !*end && min <= 0xfffff;
}

static const char *check_bytes(json_t *b)
{
	json_t *end;

	if (!json_is_object(b) || !is_uint(json_object_get(b, "start")))
		return "'bytes' needs an unsigned 'start'";
	end = json_object_get(b, "end");
	if (!json_is_null(end) && !is_uint(end))
		return "'bytes.end' must be unsigned or null";
	return NULL;
}

static const char *check_side(const struct fl_log *log, json_t *s)
{
	int hook, entry;
	json_t *task = json_object_get(s, "task"), *stack = json_object_get(s, "stack");
	const char *why;
	size_t i;
	json_t *f;

	if (!json_is_object(s))
		return "side is not an object";
	if (!json_is_object(task) || !is_uint(json_object_get(task, "pid")) ||
	    !is_uint(json_object_get(task, "tid")) || !json_is_string(json_object_get(task, "comm")))
		return "side needs task.pid, task.tid and task.comm";
	hook = fl_hook_from_name(json_string_value(json_object_get(s, "hook")));
	if (hook < 0)
		return "side has an unknown 'hook'";
	if (!log->may_run[hook])
		return "side seen by a hook the plan did not attach";
	if (!json_is_string(json_object_get(s, "entry")))
		return "side needs an 'entry'";
	entry = fl_hook_from_name(json_string_value(json_object_get(s, "entry")));
	if (entry >= 0 && !log->may_run[entry])
		return "side entered through a hook the plan did not attach";
	if (fl_lock_from_name(json_string_value(json_object_get(s, "lock"))) < 0)
		return "side has an unknown 'lock'";
	if (fl_op_from_name(json_string_value(json_object_get(s, "op"))) < 0)
		return "side has an unknown 'op'";
	why = check_bytes(json_object_get(s, "bytes"));
	if (why)
		return why;
	if (!is_uint(json_object_get(s, "ts_begin_ns")))
		return "side needs an unsigned 'ts_begin_ns'";
	if (!json_is_array(stack))
		return "side needs a 'stack' array";
	json_array_foreach(stack, i, f)
		if (!json_is_string(f))
			return "stack frames must be strings";
	return NULL;
}

/* an I6 side's FUSE request: {"opcode": N, "name": S}; the completion's callback a string or null */
static const char *check_request(json_t *side)
{
	json_t *r = json_object_get(side, "request"), *cb = json_object_get(side, "callback");

	if (!json_is_object(r) || !is_uint(json_object_get(r, "opcode")) ||
	    json_integer_value(json_object_get(r, "opcode")) > UINT32_MAX ||
	    !json_is_string(json_object_get(r, "name")))
		return "needs 'request' with an unsigned 32-bit 'opcode' and a 'name'";
	if (cb && !json_is_null(cb) && !json_is_string(cb))
		return "'callback' must be a string or null";
	return NULL;
}

static int check_violation(struct fl_log *log, uint64_t line, json_t *o)
{
	static const char *const sides[] = { "fault", "op", "completion", "send" };
	int kind = fl_violation_from_name(json_string_value(json_object_get(o, "kind")));
	const char *why, *first, *second;

	if (kind < 0)
		return fail(log, line, "violation with unknown or missing 'kind'");
	if (!is_dev(json_object_get(o, "dev")) || !is_ino(json_object_get(o, "ino")))
		return fail(log, line, "violation needs 'dev' (\"major:minor\") and 'ino'");
	/* a side the kind does not need is still read by report: check it too */
	fl_violation_sides(kind, &first, &second);
	for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
		bool needed = (first && !strcmp(first, sides[i])) || (second && !strcmp(second, sides[i]));

		if (!needed && !json_object_get(o, sides[i]))
			continue;
		why = check_side(log, json_object_get(o, sides[i]));
		if (!why && kind == FL_VIO_BLOCKING_IN_COMPLETION && needed)
			why = check_request(json_object_get(o, sides[i]));
		if (why)
			return fail(log, line, "violation '%s': %s", sides[i], why);
	}
	if (kind == FL_VIO_UNBROKEN_LAYOUT || json_object_get(o, "layout")) {
		json_t *layout = json_object_get(o, "layout");

		why = json_is_object(layout) ? check_bytes(json_object_get(layout, "bytes")) :
		      "missing";
		if (why)
			return fail(log, line, "violation 'layout': %s", why);
	}
	json_array_append(log->violations, o);
	log->vio_recorded[kind]++;
	return 0;
}

/*
 * An event line: its names, and what it shows that the trailer must agree
 * with: fault begins (each one counted in 'faults'), and DAX fault ends
 * without the lock (each one an unserialized-fault counted).
 */
static int check_event(struct fl_log *log, uint64_t line, json_t *o)
{
	int ev = fl_event_from_name(json_string_value(json_object_get(o, "event")));
	int hook = fl_hook_from_name(json_string_value(json_object_get(o, "hook")));
	int lock = fl_lock_from_name(json_string_value(json_object_get(o, "lock")));

	if (ev < 0)
		return fail(log, line, "event with unknown or missing 'event'");
	if (!log->events_on)
		return fail(log, line, "an event line in a log whose header says events were off");
	if (hook < 0 || !log->may_run[hook])
		return fail(log, line, "event from a hook the plan did not attach");
	if (lock < 0)
		return fail(log, line, "event with unknown or missing 'lock'");
	if (ev == FL_EV_FAULT_BEGIN)
		log->ev_fault_begins++;
	if (ev == FL_EV_FAULT_END && json_is_true(json_object_get(o, "dax")) &&
	    fl_fault_lock_verdict((enum fl_lock)lock) == FL_BAD && !log->ev_bad_fault_line)
		log->ev_bad_fault_line = line;
	log->events++;
	return 0;
}

/* "hook (reason); ..." of the hooks the recorder dropped, as its header lists them */
static void dropped_hooks(struct fl_log *log, json_t *hooks)
{
	size_t i, used = 0;
	json_t *h;

	json_array_foreach(hooks, i, h) {
		const char *name = json_string_value(json_object_get(h, "hook"));
		const char *why = json_string_value(json_object_get(h, "reason"));
		int n;

		if (!json_is_true(json_object_get(h, "dropped")) || !name)
			continue;
		n = snprintf(log->dropped + used, sizeof(log->dropped) - used, "%s%s (%s)",
			     used ? "; " : "", name, why ?: "no reason given");
		if (n < 0 || (size_t)n >= sizeof(log->dropped) - used)
			break;
		used += n;
	}
	fl_text_printable(log->dropped);
}

static int check_header(struct fl_log *log, json_t *o)
{
	json_t *schema = json_object_get(o, "schema");

	if (strcmp(json_string_value(json_object_get(o, "type")) ?: "", "header") ||
	    strcmp(json_string_value(json_object_get(o, "tool")) ?: "", "faultline"))
		return fail(log, 1, "not a faultline log (first line is not a faultline header)");
	if (!json_is_integer(schema))
		return fail(log, 1, "header has no schema version");
	if (json_integer_value(schema) != FL_LOG_SCHEMA)
		return fail(log, 1, "unknown schema version %lld (this faultline reads %d)",
			    (long long)json_integer_value(schema), FL_LOG_SCHEMA);
	if (!json_is_string(json_object_get(o, "kernel")))
		return fail(log, 1, "header has no 'kernel'");
	for (int i = 0; i < FL_INV__COUNT; i++) {
		json_t *inv = json_object_get(json_object_get(json_object_get(o, "plan"), "invariants"),
					      fl_inv_name(i));
		const char *status = json_string_value(json_object_get(inv, "status"));
		const char *why = json_string_value(json_object_get(inv, "why"));

		if (!inv)
			continue;
		if (!status || (strcmp(status, "checked") && strcmp(status, "partial") &&
				strcmp(status, "unchecked")))
			return fail(log, 1, "header invariant %s has an unknown 'status'", fl_inv_name(i));
		if (!why || strpbrk(why, "\n\r\t\033"))
			return fail(log, 1, "header invariant %s needs a one-line 'why'", fl_inv_name(i));
	}
	dropped_hooks(log, json_object_get(json_object_get(o, "plan"), "hooks"));
	{
		json_t *hooks = json_object_get(json_object_get(o, "plan"), "hooks"), *h;
		size_t i;

		json_array_foreach(hooks, i, h) {
			int id = fl_hook_from_name(json_string_value(json_object_get(h, "hook")));
			const char *mode = json_string_value(json_object_get(h, "mode"));

			if (id < 0)
				continue;
			log->attached[id] = mode && strcmp(mode, "none") &&
					    !json_is_true(json_object_get(h, "dropped"));
			/* a hook dropped at attach may have run before a sibling program failed */
			log->may_run[id] = log->attached[id] ||
					   json_is_true(json_object_get(h, "dropped"));
		}
	}
	log->events_on = json_is_true(json_object_get(json_object_get(o, "filter"), "events"));
	if (json_object_get(o, "run_id")) {
		const char *id = json_string_value(json_object_get(o, "run_id"));

		if (!id || strlen(id) != FL_RUN_ID_LEN || strspn(id, "0123456789abcdef") != FL_RUN_ID_LEN)
			return fail(log, 1, "header 'run_id' is not %d hex digits", FL_RUN_ID_LEN);
		strcpy(log->run_id, id);
	}
	log->header = json_incref(o);
	return 0;
}

/*
 * The trailer's per-key totals: gate and report count inodes and kinds from
 * them. The writer makes each kind's total the sum of its keys: @sums gets
 * them, overflow-checked.
 */
static const char *check_keys(json_t *keys, uint64_t sums[FL_VIO__COUNT])
{
	size_t i;
	json_t *k;

	if (!keys)
		return "missing";
	if (!json_is_array(keys))
		return "not an array";
	json_array_foreach(keys, i, k) {
		int kind = fl_violation_from_name(json_string_value(json_object_get(k, "kind")));

		if (!is_dev(json_object_get(k, "dev")) || !is_ino(json_object_get(k, "ino")))
			return "a key needs 'dev' (\"major:minor\") and 'ino'";
		if (kind < 0)
			return "a key has an unknown 'kind'";
		if (!is_uint(json_object_get(k, "count")))
			return "a key needs an unsigned 'count'";
		if (__builtin_add_overflow(sums[kind], (uint64_t)json_integer_value(json_object_get(k, "count")),
					   &sums[kind]))
			return "the keys' counts of one kind overflow";
	}
	return NULL;
}

/* Does some hook the plan attached serve invariant @inv (its "serves")? */
static bool served(const struct fl_log *log, int inv)
{
	json_t *hooks = json_object_get(json_object_get(log->header, "plan"), "hooks"), *h;
	const char *name = fl_inv_name(inv);
	size_t i, len = strlen(name);

	json_array_foreach(hooks, i, h) {
		int id = fl_hook_from_name(json_string_value(json_object_get(h, "hook")));
		const char *s = json_string_value(json_object_get(h, "serves")) ?: "";

		if (id < 0 || !log->attached[id])
			continue;
		for (s = strstr(s, name); s; s = strstr(s + 1, name))
			if (s[len] == ' ' || !s[len])
				return true;
	}
	return false;
}

/*
 * What the header's plan says of invariant @inv: the status, its reason in
 * @why. Unchecked, whatever the plan says, when no hook it attached serves it.
 */
static enum fl_coverage plan_coverage(const struct fl_log *log, int inv, const char **why)
{
	json_t *i = json_object_get(json_object_get(json_object_get(log->header, "plan"),
						    "invariants"), fl_inv_name(inv));
	int c = fl_coverage_from_name(json_string_value(json_object_get(i, "status")));

	*why = json_string_value(json_object_get(i, "why")) ?: "not in the log's plan";
	if (c > FL_COV_UNCHECKED && !served(log, inv)) {
		*why = "no hook the plan attached serves it";
		return FL_COV_UNCHECKED;
	}
	/* I6 judges a send against a completion's bounds: it needs both hooks */
	if (c > FL_COV_UNCHECKED && inv == FL_I6 && (!log->attached[FL_HOOK_FUSE_REQUEST_END] ||
						     !log->attached[FL_HOOK_FUSE_SIMPLE_REQUEST])) {
		*why = "needs both the completion (fuse_request_end) and the blocking send attached";
		return FL_COV_UNCHECKED;
	}
	return c < 0 ? FL_COV_UNCHECKED : (enum fl_coverage)c;
}

/*
 * Does the log predate invariant @inv: its header's plan lists no such
 * invariant (a log written before faultline had it)? Its trailer then lacks
 * the members that came with it, which read as 0 (counter_since[]).
 */
static bool predates(const struct fl_log *log, int inv)
{
	return !json_object_get(json_object_get(json_object_get(log->header, "plan"), "invariants"),
				fl_inv_name(inv));
}

/* Counters that came with an invariant: absent from the trailers of logs that predate it. */
static const struct {
	enum fl_counter ctr;
	enum fl_inv inv;
} counter_since[] = {
	{ FL_CTR_COMPLETIONS, FL_I6 },
	{ FL_CTR_BLOCKING_SENDS, FL_I6 },
};

static bool counter_optional(const struct fl_log *log, int ctr)
{
	for (size_t i = 0; i < sizeof(counter_since) / sizeof(counter_since[0]); i++)
		if (counter_since[i].ctr == (enum fl_counter)ctr)
			return predates(log, counter_since[i].inv);
	return false;
}

/* Each invariant's evidence: the counters of the observations it needs. */
static const struct {
	enum fl_counter read, unknown;	/* lock read (or judged) / could not be; __COUNT: none */
	const char *what;		/* one observation, plural */
} evidence[FL_INV__COUNT] = {
	[FL_I1] = { FL_CTR_DAX_FAULTS_LOCK_READ, FL_CTR_DAX_FAULTS_LOCK_UNKNOWN, "DAX faults" },
	[FL_I2] = { FL_CTR_DAX_TEARDOWNS_LOCK_READ, FL_CTR_DAX_TEARDOWNS_LOCK_UNKNOWN,
		    "DAX teardowns" },
	[FL_I3] = { FL_CTR_DAX_FAULTS_LOCK_READ, FL_CTR_DAX_FAULTS_LOCK_UNKNOWN, "DAX faults" },
	[FL_I4] = { FL_CTR_RECLAIMS_LOCK_READ, FL_CTR_RECLAIMS_LOCK_UNKNOWN, "DAX range reclaims" },
	[FL_I5] = { FL_CTR_LAYOUT_CHECKS, FL_CTR_LAYOUT_UNKNOWN,
		    "page removals and DAX range reclaims on DAX inodes" },
	/* a completion either is bounded or is an unmatched end: nothing is unknown */
	[FL_I6] = { FL_CTR_COMPLETIONS, FL_CTR__COUNT,
		    "FUSE request completions bounded by their entry and exit" },
};

static void cover(struct fl_log *log, int inv, enum fl_coverage c, const char *fmt, ...)
{
	va_list ap;

	log->cov[inv] = c;
	va_start(ap, fmt);
	vsnprintf(log->cov_why[inv], sizeof(log->cov_why[inv]), fmt, ap);
	va_end(ap);
	fl_text_printable(log->cov_why[inv]);
}

/*
 * Coverage from observation (faultline(8), COVERAGE): an invariant is
 * checked only as far as the plan allowed it and the run saw the events it
 * needs with the lock state read. None read: unchecked; some unreadable:
 * partial. I3 also needs shrinking operations on DAX inodes, and operations
 * whose inode stayed unknown make it partial.
 */
static void observe(struct fl_log *log)
{
	const uint64_t *c = log->counters;
	bool any = false;

	for (int i = 0; i < FL_INV__COUNT; i++) {
		uint64_t read = c[evidence[i].read];
		uint64_t unknown = evidence[i].unknown < FL_CTR__COUNT ? c[evidence[i].unknown] : 0;
		const char *why;
		enum fl_coverage plan = plan_coverage(log, i, &why);

		if (plan == FL_COV_UNCHECKED)
			cover(log, i, plan, "%s", why);
		else if (!read && !unknown)
			cover(log, i, FL_COV_UNCHECKED, "not observed: no %s in this run", evidence[i].what);
		else if (!read)
			cover(log, i, FL_COV_UNCHECKED, "every lock read unknown (%llu %s)",
			      (unsigned long long)unknown, evidence[i].what);
		else if (i == FL_I3 && !c[FL_CTR_DAX_OPS])
			cover(log, i, FL_COV_UNCHECKED,
			      "not observed: no shrinking operation on a DAX inode in this run");
		/* a race needs one side's lock bad: with the teardowns' side unread, half of it */
		else if (i == FL_I3 && !c[FL_CTR_DAX_TEARDOWNS_LOCK_READ])
			cover(log, i, FL_COV_UNCHECKED, "no DAX teardown's lock read (%llu unknown): "
			      "the operations' side of a race was never judged",
			      (unsigned long long)c[FL_CTR_DAX_TEARDOWNS_LOCK_UNKNOWN]);
		else if (i == FL_I3 && c[FL_CTR_DAX_TEARDOWNS_LOCK_UNKNOWN])
			cover(log, i, FL_COV_PARTIAL, "%llu of %llu DAX teardowns with the lock unreadable; %s",
			      (unsigned long long)c[FL_CTR_DAX_TEARDOWNS_LOCK_UNKNOWN],
			      (unsigned long long)(c[FL_CTR_DAX_TEARDOWNS_LOCK_READ] +
						   c[FL_CTR_DAX_TEARDOWNS_LOCK_UNKNOWN]), why);
		else if (unknown)
			cover(log, i, FL_COV_PARTIAL, "%llu of %llu %s with the lock unreadable; %s",
			      (unsigned long long)unknown, (unsigned long long)(read + unknown),
			      evidence[i].what, why);
		else if (i == FL_I3 && c[FL_CTR_OPS_INODE_UNKNOWN])
			cover(log, i, FL_COV_PARTIAL, "%llu operations whose inode stayed unknown; %s",
			      (unsigned long long)c[FL_CTR_OPS_INODE_UNKNOWN], why);
		else
			cover(log, i, plan, "%s", why);
		/*
		 * the empty-run rule is about DAX evidence: I6, on any FUSE
		 * mount, checked alone does not make a run that saw no DAX
		 * fault or teardown a clean one
		 */
		if (i != FL_I6)
			any |= log->cov[i] != FL_COV_UNCHECKED;
	}
	log->checked_nothing = !any;
	if (any)
		return;
	/* what was not observed, and the likely cause */
	if (c[FL_CTR_DAX_FAULTS_LOCK_UNKNOWN] || c[FL_CTR_DAX_TEARDOWNS_LOCK_UNKNOWN])
		snprintf(log->nothing_reason, sizeof(log->nothing_reason),
			 "every lock read unknown (%llu DAX faults, %llu DAX teardowns): the lock "
			 "layout '%s' cannot be read on this kernel",
			 (unsigned long long)c[FL_CTR_DAX_FAULTS_LOCK_UNKNOWN],
			 (unsigned long long)c[FL_CTR_DAX_TEARDOWNS_LOCK_UNKNOWN],
			 json_string_value(json_object_get(json_object_get(log->header, "plan"),
							   "lock_layout")) ?: "?");
	else if (c[FL_CTR_FAULTS] || c[FL_CTR_OPS] || c[FL_CTR_FILTERED_NOT_DAX])
		snprintf(log->nothing_reason, sizeof(log->nothing_reason),
			 "no DAX fault and no DAX teardown observed (%llu faults, %llu operations "
			 "on inodes that are not DAX): is the filesystem mounted with DAX?",
			 (unsigned long long)c[FL_CTR_FAULTS], (unsigned long long)c[FL_CTR_OPS]);
	else
		snprintf(log->nothing_reason, sizeof(log->nothing_reason),
			 "no DAX fault and no DAX teardown observed: nothing ran on a DAX "
			 "filesystem while recording");
	if (log->dropped[0])
		snprintf(log->nothing_reason + strlen(log->nothing_reason),
			 sizeof(log->nothing_reason) - strlen(log->nothing_reason),
			 "; hooks dropped: %s", log->dropped);
	fl_text_printable(log->nothing_reason);
}

/*
 * The trailer's "missed": {"counted": bool, "total": N, "hooks": {hook: N},
 * "recovered": N}, the runs the kernel skipped that no spare copy made up,
 * and those one did. NULL if well formed, else what is wrong.
 */
static const char *check_missed(struct fl_log *log, json_t *m)
{
	const char *name;
	uint64_t sum = 0;
	json_t *v;

	if (!json_is_object(m))
		return "missing or not an object";
	if (!json_is_boolean(json_object_get(m, "counted")))
		return "'counted' missing or not a boolean";
	if (!is_uint(json_object_get(m, "total")))
		return "'total' missing or negative";
	if (!json_is_object(json_object_get(m, "hooks")))
		return "'hooks' missing or not an object";
	if (!is_uint(json_object_get(m, "recovered")))
		return "'recovered' missing or negative";
	log->missed_recovered = json_integer_value(json_object_get(m, "recovered"));
	log->misses_counted = json_is_true(json_object_get(m, "counted"));
	log->missed = json_integer_value(json_object_get(m, "total"));
	log->missed_hooks[0] = '\0';
	json_object_foreach(json_object_get(m, "hooks"), name, v) {
		size_t used = strlen(log->missed_hooks);
		int hook = fl_hook_from_name(name);

		if (hook < 0)
			return "a hook faultline does not have";
		if (!is_uint(v))
			return "a hook's count is not a count";
		if (json_integer_value(v) && !log->may_run[hook])
			return "runs skipped of a hook the plan did not attach";
		if (__builtin_add_overflow(sum, (uint64_t)json_integer_value(v), &sum))
			return "the hooks' counts add up past 2^64";
		snprintf(log->missed_hooks + used, sizeof(log->missed_hooks) - used, "%s%s %llu",
			 used ? ", " : "", name, (unsigned long long)json_integer_value(v));
	}
	if (sum > log->missed)
		return "the hooks' counts exceed 'total'";
	fl_text_printable(log->missed_hooks);
	return NULL;
}

/* records: the lines the recorder wrote, and those a write error lost. */
static int check_records(struct fl_log *log, uint64_t line, json_t *rec)
{
	json_t *events = json_object_get(rec, "events"), *lost = json_object_get(rec, "lost");

	if (!is_uint(events))
		return fail(log, line, "trailer has no 'records.events'");
	if ((uint64_t)json_integer_value(events) != log->events)
		return fail(log, line, "trailer counts %llu event lines, the log holds %llu",
			    (unsigned long long)json_integer_value(events),
			    (unsigned long long)log->events);
	if (lost && !is_uint(lost))
		return fail(log, line, "trailer 'records.lost' is not a count");
	if (lost && json_integer_value(lost))
		incomplete(log, "%llu log lines lost to a write error",
			   (unsigned long long)json_integer_value(lost));
	return 0;
}

/*
 * What the kernel's counters guarantee of each other (bpf/faultline.bpf.c
 * counts each lock read inside the fault or teardown it counted), and of
 * the lines: a contradiction is a damaged or edited log.
 */
static int check_relations(struct fl_log *log, uint64_t line, json_t *hits)
{
	static const struct {
		enum fl_counter part[4];
		enum fl_counter whole;
	} fits[] = {
		{ { FL_CTR_DAX_FAULTS_LOCK_READ, FL_CTR_DAX_FAULTS_LOCK_UNKNOWN }, FL_CTR_FAULTS },
		{ { FL_CTR_DAX_TEARDOWNS_LOCK_READ, FL_CTR_DAX_TEARDOWNS_LOCK_UNKNOWN,
		    FL_CTR_RECLAIMS_LOCK_READ, FL_CTR_RECLAIMS_LOCK_UNKNOWN }, FL_CTR_TEARDOWNS },
		{ { FL_CTR_DAX_OPS }, FL_CTR_OPS },
		{ { FL_CTR_VIOLATIONS_SUPPRESSED, FL_CTR_VIOLATIONS_LOST }, FL_CTR_VIOLATIONS },
	};
	const uint64_t *c = log->counters;
	const char *name;
	json_t *v;

	for (size_t i = 0; i < sizeof(fits) / sizeof(fits[0]); i++) {
		uint64_t sum = 0;
		char parts[160] = "";

		for (int p = 0; p < 4 && fits[i].part[p]; p++) {
			size_t used = strlen(parts);

			snprintf(parts + used, sizeof(parts) - used, "%s%s", p ? " + " : "",
				 fl_counter_name(fits[i].part[p]));
			if (__builtin_add_overflow(sum, c[fits[i].part[p]], &sum))
				sum = UINT64_MAX;
		}
		if (sum > c[fits[i].whole])
			return fail(log, line, "trailer counters: %s (%llu) exceed '%s' (%llu)", parts,
				    (unsigned long long)sum, fl_counter_name(fits[i].whole),
				    (unsigned long long)c[fits[i].whole]);
	}
	if (log->events > c[FL_CTR_EVENTS])
		return fail(log, line, "the log holds %llu event lines, counter 'events' is %llu",
			    (unsigned long long)log->events, (unsigned long long)c[FL_CTR_EVENTS]);
	if (log->ev_fault_begins > c[FL_CTR_FAULTS])
		return fail(log, line, "the log holds %llu fault_begin events, counter 'faults' is %llu",
			    (unsigned long long)log->ev_fault_begins, (unsigned long long)c[FL_CTR_FAULTS]);
	if (log->ev_bad_fault_line && !log->vio_total[FL_VIO_UNSERIALIZED_FAULT] && !c[FL_CTR_MAP_FULL])
		return fail(log, line, "line %llu shows a DAX fault without its lock, the trailer "
			    "counts no unserialized-fault", (unsigned long long)log->ev_bad_fault_line);
	/* I6: every violation is a blocking send judged; each counter needs its hook */
	if (log->vio_total[FL_VIO_BLOCKING_IN_COMPLETION] > c[FL_CTR_BLOCKING_SENDS])
		return fail(log, line, "trailer counts %llu %s violations, '%s' is %llu",
			    (unsigned long long)log->vio_total[FL_VIO_BLOCKING_IN_COMPLETION],
			    fl_violation_name(FL_VIO_BLOCKING_IN_COMPLETION),
			    fl_counter_name(FL_CTR_BLOCKING_SENDS),
			    (unsigned long long)c[FL_CTR_BLOCKING_SENDS]);
	if ((c[FL_CTR_COMPLETIONS] && !log->may_run[FL_HOOK_FUSE_REQUEST_END]) ||
	    (c[FL_CTR_BLOCKING_SENDS] && !log->may_run[FL_HOOK_FUSE_SIMPLE_REQUEST]))
		return fail(log, line, "trailer counts %s, the plan attached no %s hook",
			    c[FL_CTR_COMPLETIONS] && !log->may_run[FL_HOOK_FUSE_REQUEST_END] ?
			    fl_counter_name(FL_CTR_COMPLETIONS) : fl_counter_name(FL_CTR_BLOCKING_SENDS),
			    c[FL_CTR_COMPLETIONS] && !log->may_run[FL_HOOK_FUSE_REQUEST_END] ?
			    fl_hook_name(FL_HOOK_FUSE_REQUEST_END) :
			    fl_hook_name(FL_HOOK_FUSE_SIMPLE_REQUEST));
	if (json_array_size(log->violations) > c[FL_CTR_VIOLATIONS])
		return fail(log, line, "the log holds %zu violation lines, counter 'violations' is %llu",
			    json_array_size(log->violations), (unsigned long long)c[FL_CTR_VIOLATIONS]);
	if (!json_is_object(hits))
		return fail(log, line, "trailer has no 'hook_hits'");
	json_object_foreach(hits, name, v) {
		int hook = fl_hook_from_name(name);

		if (hook < 0 || !is_uint(v))
			return fail(log, line, "trailer 'hook_hits': '%.40s' is not a hook and its count", name);
		if (json_integer_value(v) && !log->may_run[hook])
			return fail(log, line, "trailer 'hook_hits': %s ran %llu times, the plan did not "
				    "attach it", name, (unsigned long long)json_integer_value(v));
	}
	return 0;
}

/* The workload's fate: {"exit": N|null, "signal": N|null, "stopped": bool}. */
static int check_workload(struct fl_log *log, uint64_t line, json_t *w)
{
	json_t *ex = json_object_get(w, "exit"), *sig = json_object_get(w, "signal");
	json_t *stopped = json_object_get(w, "stopped");
	int n;

	if (!w)
		return 0;
	if (!json_is_object(w) || !(json_is_null(ex) || (is_uint(ex) && json_integer_value(ex) < 256)) ||
	    !(json_is_null(sig) || (is_uint(sig) && json_integer_value(sig) > 0 &&
				    json_integer_value(sig) < 128)) ||
	    (stopped && !json_is_boolean(stopped)))
		return fail(log, line, "trailer 'workload' needs 'exit' (0-255 or null), 'signal' "
			    "(1-127 or null) and a boolean 'stopped'");
	if (json_is_integer(sig)) {
		n = (int)json_integer_value(sig);
		log->workload_killed = !json_is_true(stopped);
		snprintf(log->workload_fate, sizeof(log->workload_fate), "%s by signal %d (SIG%s)",
			 log->workload_killed ? "killed" : "stopped by the recorder", n,
			 sigabbrev_np(n) ?: "?");
	} else if (json_is_integer(ex)) {
		snprintf(log->workload_fate, sizeof(log->workload_fate), "exited %d",
			 (int)json_integer_value(ex));
	} else {
		snprintf(log->workload_fate, sizeof(log->workload_fate), "did not start");
	}
	return 0;
}

static int check_trailer(struct fl_log *log, uint64_t line, json_t *o)
{
	json_t *ctr = json_object_get(o, "counters"), *vio = json_object_get(o, "violations");
	json_t *rec = json_object_get(o, "records"), *imap = json_object_get(o, "inode_map");
	const char *status = json_string_value(json_object_get(o, "status"));
	const char *why;
	uint64_t lines;

	if (!status || (strcmp(status, "complete") && strcmp(status, "interrupted") &&
			strcmp(status, "duration")))
		return fail(log, line, "trailer has an unknown 'status'");
	if (!json_is_object(ctr))
		return fail(log, line, "trailer has no 'counters'");
	for (int i = 0; i < FL_CTR__COUNT; i++) {
		json_t *v = json_object_get(ctr, fl_counter_name(i));

		if (!v && counter_optional(log, i)) {
			log->counters[i] = 0;
			continue;
		}
		if (!is_uint(v))
			return fail(log, line, "trailer counter '%s' missing or negative",
				    fl_counter_name(i));
		log->counters[i] = json_integer_value(v);
	}
	if (!json_is_object(vio) || !is_uint(json_object_get(vio, "total")))
		return fail(log, line, "trailer has no 'violations.total'");
	log->vio_all = json_integer_value(json_object_get(vio, "total"));
	for (int k = 0; k < FL_VIO__COUNT; k++) {
		json_t *v = json_object_get(vio, fl_violation_name(k));

		if (!v && predates(log, fl_violation_inv(k))) {
			log->vio_total[k] = 0;
			continue;
		}
		if (!is_uint(v))
			return fail(log, line, "trailer has no 'violations.%s'", fl_violation_name(k));
		log->vio_total[k] = json_integer_value(v);
	}
	{
		uint64_t kinds = 0, keys[FL_VIO__COUNT] = { 0 };

		for (int k = 0; k < FL_VIO__COUNT; k++)
			if (__builtin_add_overflow(kinds, log->vio_total[k], &kinds))
				return fail(log, line, "trailer's violation kinds add up past 2^64");
		if (kinds != log->vio_all)
			return fail(log, line, "trailer's violation total %llu is not the sum of its kinds (%llu)",
				    (unsigned long long)log->vio_all, (unsigned long long)kinds);
		why = check_keys(json_object_get(o, "violation_keys"), keys);
		if (why)
			return fail(log, line, "trailer 'violation_keys': %s", why);
		for (int k = 0; k < FL_VIO__COUNT; k++) {
			if (keys[k] != log->vio_total[k])
				return fail(log, line, "trailer's 'violation_keys' count %llu %s, "
					    "'violations.%s' is %llu", (unsigned long long)keys[k],
					    fl_violation_name(k), fl_violation_name(k),
					    (unsigned long long)log->vio_total[k]);
			if (log->vio_recorded[k] > log->vio_total[k])
				return fail(log, line, "the log records %llu %s violations, "
					    "'violations.%s' counts %llu", (unsigned long long)log->vio_recorded[k],
					    fl_violation_name(k), fl_violation_name(k),
					    (unsigned long long)log->vio_total[k]);
		}
	}
	if (!json_is_object(rec) || !is_uint(json_object_get(rec, "violations")))
		return fail(log, line, "trailer has no 'records.violations'");
	lines = json_integer_value(json_object_get(rec, "violations"));
	if (lines != json_array_size(log->violations))
		return fail(log, line, "trailer counts %llu violation lines, the log holds %zu",
			    (unsigned long long)lines, json_array_size(log->violations));
	if (log->vio_all < lines)
		return fail(log, line, "trailer's violation total %llu is below the %llu lines",
			    (unsigned long long)log->vio_all, (unsigned long long)lines);
	if (check_records(log, line, rec) || check_relations(log, line, json_object_get(o, "hook_hits")) ||
	    check_workload(log, line, json_object_get(o, "workload")))
		return -1;

	if (log->counters[FL_CTR_EVENTS_LOST])
		incomplete(log, "%llu events lost (ring buffer full)",
			   (unsigned long long)log->counters[FL_CTR_EVENTS_LOST]);
	if (log->counters[FL_CTR_VIOLATIONS_LOST])
		incomplete(log, "%llu violation records lost (ring buffer full)",
			   (unsigned long long)log->counters[FL_CTR_VIOLATIONS_LOST]);
	if (log->counters[FL_CTR_MAP_FULL])
		incomplete(log, "%llu in-flight states not stored (map full)",
			   (unsigned long long)log->counters[FL_CTR_MAP_FULL]);
	why = check_missed(log, json_object_get(o, "missed"));
	if (why)
		return fail(log, line, "trailer 'missed': %s", why);
	if (log->missed)
		incomplete(log, "the kernel skipped %llu runs of faultline's programs (%s): a fault, "
			   "teardown or layout break may be unseen", (unsigned long long)log->missed,
			   log->missed_hooks);
	if (log->counters[FL_CTR_UNBALANCED])
		incomplete(log, "%llu begins or ends missing from their pairs: the kernel skipped "
			   "a program run", (unsigned long long)log->counters[FL_CTR_UNBALANCED]);
	if (!json_is_object(imap) || !is_uint(json_object_get(imap, "entries")) ||
	    !is_uint(json_object_get(imap, "max")) || !json_integer_value(json_object_get(imap, "max")) ||
	    json_integer_value(json_object_get(imap, "entries")) >
	    json_integer_value(json_object_get(imap, "max")))
		return fail(log, line, "trailer 'inode_map' needs unsigned 'entries' at most its "
			    "'max', above 0");
	if (json_integer_value(json_object_get(imap, "entries")) ==
	    json_integer_value(json_object_get(imap, "max")))
		incomplete(log, "per-inode state map full: evicted inodes may hide a race");
	log->trailer = json_incref(o);
	observe(log);
	return 0;
}

/*
 * The trailer @o, line @line, is @buf (@n bytes, newline included): its run id
 * must be the header's, and its digest, the last member, the SHA-256 of @sha
 * (every line before it) and its own text up to ',"digest":' (faultline(8),
 * INTEGRITY). A log without either, as written before both existed, reads as
 * unverified; one with only one of them, or a wrong one, is unreadable.
 */
static int check_integrity(struct fl_log *log, uint64_t line, json_t *o, const char *buf,
			   size_t n, struct sha256_ctx *sha)
{
	static const char hex[] = "0123456789abcdef";
	const size_t member = sizeof(FL_DIGEST_MEMBER) - 1, hexlen = 2 * SHA256_DIGEST_SIZE;
	json_t *id = json_object_get(o, "run_id"), *digest = json_object_get(o, "digest");
	uint8_t d[SHA256_DIGEST_SIZE];
	size_t at;

	if (!id && !digest && !log->run_id[0]) {
		snprintf(log->unverified, sizeof(log->unverified),
			 "no run id and no digest (a log from before faultline wrote them)");
		return 0;
	}
	if (!log->run_id[0])
		return fail(log, line, "trailer has a run id or digest, the header has no 'run_id': "
			    "lines of two runs?");
	if (!json_is_string(id))
		return fail(log, line, "trailer has no 'run_id' (the header's is %s)", log->run_id);
	if (strcmp(json_string_value(id), log->run_id))
		return fail(log, line, "trailer's run id %.40s is not the header's %s: lines of two runs",
			    json_string_value(id), log->run_id);
	if (!digest)
		return fail(log, line, "trailer has no 'digest': the log cannot show it is whole");
	/* ...,"digest":"sha256:<hex>"}\n */
	at = n - 3 - hexlen - member;
	if (n < 3 + hexlen + member || memcmp(buf + at, FL_DIGEST_MEMBER, member) ||
	    strspn(buf + at + member, hex) < hexlen || memcmp(buf + n - 3, "\"}\n", 3))
		return fail(log, line, "trailer's 'digest' is not its last member, as "
			    "\"" FL_DIGEST_PREFIX "\" and %zu hex digits", hexlen);
	sha256_update(sha, at, (const uint8_t *)buf);
	sha256_digest(sha, sizeof(d), d);
	for (size_t i = 0; i < sizeof(d); i++)
		if (buf[at + member + 2 * i] != hex[d[i] >> 4] ||
		    buf[at + member + 2 * i + 1] != hex[d[i] & 15])
			return fail(log, line, "the digest does not match the log's bytes: the log "
				    "was damaged or edited after it was written");
	log->verified = true;
	return 0;
}

/*
 * One line into @buf (allocated once, FL_LOG_MAX_LINE + 2 bytes). Returns its
 * length with the newline, 0 at the end of the file, or -1 when the line goes
 * on past FL_LOG_MAX_LINE: a file without newlines is never read whole.
 */
static ssize_t read_line(FILE *f, char *buf)
{
	size_t n = 0;
	int c;

	/* byte by byte: NUL bytes are data here (fgets would hide them) */
	while ((c = getc_unlocked(f)) != EOF) {
		if (n > FL_LOG_MAX_LINE)
			return -1;
		buf[n++] = c;
		if (c == '\n')
			return n;
	}
	return n;
}

static int read_stream(FILE *f, struct fl_log *log)
{
	char *buf = malloc(FL_LOG_MAX_LINE + 2);
	struct sha256_ctx sha;
	ssize_t n;
	int ret = 0;

	sha256_init(&sha);
	log->violations = json_array();
	if (!buf)
		return fail(log, 0, "out of memory");
	while (!log->unreadable && (n = read_line(f, buf))) {
		uint64_t line = ++log->lines;
		json_error_t jerr;
		const char *type;
		json_t *o;

		if (n < 0) {
			fail(log, line, "line longer than %d bytes", FL_LOG_MAX_LINE);
			break;
		}
		if (buf[n - 1] != '\n') {
			fail(log, line, "truncated last line (no newline at the end)");
			break;
		}
		if (log->trailer) {
			fail(log, line, "data after the trailer");
			break;
		}
		o = json_loadb(buf, n - 1, JSON_REJECT_DUPLICATES, &jerr);
		if (!o) {
			fail(log, line, "not JSON: %s", jerr.text);
			break;
		}
		/* every line but the trailer is hashed whole; check_integrity() does the trailer */
		if (strcmp(json_string_value(json_object_get(o, "type")) ?: "", "trailer"))
			sha256_update(&sha, n, (const uint8_t *)buf);
		if (!json_is_object(o)) {
			fail(log, line, "not a JSON object");
		} else if (line == 1) {
			check_header(log, o);
		} else if (!(type = json_string_value(json_object_get(o, "type")))) {
			fail(log, line, "record without a 'type'");
		} else if (!strcmp(type, "violation")) {
			check_violation(log, line, o);
		} else if (!strcmp(type, "event")) {
			check_event(log, line, o);
		} else if (!strcmp(type, "trailer")) {
			if (!check_integrity(log, line, o, buf, n, &sha))
				check_trailer(log, line, o);
		} else if (!strcmp(type, "header")) {
			fail(log, line, "second header");
		} else {
			fail(log, line, "unknown record type '%.40s'", type);
		}
		json_decref(o);
	}
	if (!log->unreadable && ferror(f))
		fail(log, 0, "read error: %s", strerror(errno));
	if (!log->unreadable && log->lines == 0)
		fail(log, 0, "empty log (no header)");
	if (!log->unreadable && !log->trailer)
		fail(log, log->lines, "no trailer after the last line: the recorder did not finish (killed?)");
	free(buf);
	if (log->unreadable)
		ret = -1;
	return ret;
}

static void log_init(struct fl_log *log, const char *path)
{
	memset(log, 0, sizeof(*log));
	snprintf(log->path, sizeof(log->path), "%s", path);
}

int fl_log_read(const char *path, struct fl_log *log)
{
	FILE *f;
	int ret;

	log_init(log, path);
	f = fopen(path, "re");
	if (!f)
		return fail(log, 0, "cannot open: %s", strerror(errno));
	ret = read_stream(f, log);
	fclose(f);
	return ret;
}

int fl_log_read_mem(const char *name, const char *data, size_t len, struct fl_log *log)
{
	FILE *f;
	int ret;

	log_init(log, name);
	if (!len) {
		log->violations = json_array();
		return fail(log, 0, "empty log (no header)");
	}
	f = fmemopen((void *)data, len, "r");
	if (!f)
		return fail(log, 0, "cannot read: %s", strerror(errno));
	ret = read_stream(f, log);
	fclose(f);
	return ret;
}

void fl_log_free(struct fl_log *log)
{
	json_decref(log->header);
	json_decref(log->trailer);
	json_decref(log->violations);
	log->header = log->trailer = log->violations = NULL;
}

void fl_log_error_line(const struct fl_log *log, char *buf, size_t len)
{
	if (log->err_line)
		snprintf(buf, len, "%s:%llu: %s", log->path, (unsigned long long)log->err_line,
			 log->err);
	else
		snprintf(buf, len, "%s: %s", log->path, log->err);
}

const char *fl_log_not_clean(const struct fl_log *log, unsigned int accept)
{
	if (log->unreadable)
		return log->err;
	if (log->incomplete)
		return log->incomplete_reason;
	if (!log->verified && !(accept & FL_ACCEPT_UNVERIFIED))
		return log->unverified;
	if (log->workload_killed && !(accept & FL_ACCEPT_WORKLOAD))
		return log->workload_fate;
	if (log->checked_nothing && !(accept & FL_ACCEPT_EMPTY))
		return log->nothing_reason;
	return NULL;
}

int fl_log_verdict(const struct fl_log *log, unsigned int accept)
{
	if (log->unreadable)
		return 2;
	if (log->vio_all)
		return 1;
	return fl_log_not_clean(log, accept) ? 2 : 0;
}

const char *fl_log_coverage(const struct fl_log *log, int inv, const char **why)
{
	if (inv < 0 || inv >= FL_INV__COUNT || !log->trailer) {
		*why = "";
		return "?";
	}
	*why = log->cov_why[inv];
	return fl_coverage_name(log->cov[inv]);
}

void fl_log_fate_json(const struct fl_log *log, json_t *o)
{
	json_object_set_new(o, "verified", json_boolean(log->verified));
	if (!log->verified)
		json_object_set_new(o, "unverified", json_string(log->unverified));
	if (log->workload_fate[0])
		json_object_set_new(o, "workload", json_pack("{s:s, s:b}", "fate", log->workload_fate,
				    "killed", log->workload_killed));
}

json_t *fl_log_invariants_json(const struct fl_log *log)
{
	json_t *inv = json_object();

	for (int i = 0; i < FL_INV__COUNT; i++) {
		const char *why, *status = fl_log_coverage(log, i, &why);

		json_object_set_new(inv, fl_inv_name(i),
				    json_pack("{s:s, s:s}", "status", status, "why", why));
	}
	return inv;
}
