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
#include "log.h"
#include "names.h"

/*
 * The reason quotes bytes of the log, cut anywhere: keep it one printable
 * line of valid UTF-8 (gate -j and --junit embed it), '?' for anything else.
 */
void fl_text_printable(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p) {
		int n = *p < 0x80 ? 0 : *p < 0xc2 ? -1 : *p < 0xe0 ? 1 : *p < 0xf0 ? 2 :
			*p < 0xf5 ? 3 : -1;
		uint32_t c = n > 0 ? *p & (0x3f >> n) : *p;
		int i;

		for (i = 1; i <= n && (p[i] & 0xc0) == 0x80; i++)
			c = c << 6 | (p[i] & 0x3f);
		if (n < 0 || i <= n || c < 0x20 || (c >= 0x7f && c < 0xa0) ||
		    (n == 2 && c < 0x800) || (n == 3 && (c < 0x10000 || c > 0x10ffff)) ||
		    (c >= 0xd800 && c < 0xe000)) {
			*p++ = '?';
			continue;
		}
		p += n + 1;
	}
}

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

static const char *check_side(json_t *s)
{
	json_t *task = json_object_get(s, "task"), *stack = json_object_get(s, "stack");
	const char *why;
	size_t i;
	json_t *f;

	if (!json_is_object(s))
		return "side is not an object";
	if (!json_is_object(task) || !is_uint(json_object_get(task, "pid")) ||
	    !is_uint(json_object_get(task, "tid")) || !json_is_string(json_object_get(task, "comm")))
		return "side needs task.pid, task.tid and task.comm";
	if (fl_hook_from_name(json_string_value(json_object_get(s, "hook"))) < 0)
		return "side has an unknown 'hook'";
	if (!json_is_string(json_object_get(s, "entry")))
		return "side needs an 'entry'";
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

static int check_violation(struct fl_log *log, uint64_t line, json_t *o)
{
	int kind = fl_violation_from_name(json_string_value(json_object_get(o, "kind")));
	const char *why;

	if (kind < 0)
		return fail(log, line, "violation with unknown or missing 'kind'");
	if (!is_dev(json_object_get(o, "dev")) || !is_uint(json_object_get(o, "ino")))
		return fail(log, line, "violation needs 'dev' (\"major:minor\") and 'ino'");
	/* a side the kind does not need is still read by report: check it too */
	if (kind == FL_VIO_RACE || kind == FL_VIO_UNSERIALIZED_FAULT || json_object_get(o, "fault")) {
		why = check_side(json_object_get(o, "fault"));
		if (why)
			return fail(log, line, "violation 'fault': %s", why);
	}
	if (kind != FL_VIO_UNSERIALIZED_FAULT || json_object_get(o, "op")) {
		why = check_side(json_object_get(o, "op"));
		if (why)
			return fail(log, line, "violation 'op': %s", why);
	}
	json_array_append(log->violations, o);
	return 0;
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
	log->header = json_incref(o);
	return 0;
}

static int check_trailer(struct fl_log *log, uint64_t line, json_t *o)
{
	json_t *ctr = json_object_get(o, "counters"), *vio = json_object_get(o, "violations");
	json_t *rec = json_object_get(o, "records"), *imap = json_object_get(o, "inode_map");
	const char *status = json_string_value(json_object_get(o, "status"));
	uint64_t lines;

	if (!status || (strcmp(status, "complete") && strcmp(status, "interrupted") &&
			strcmp(status, "duration")))
		return fail(log, line, "trailer has an unknown 'status'");
	if (!json_is_object(ctr))
		return fail(log, line, "trailer has no 'counters'");
	for (int i = 0; i < FL_CTR__COUNT; i++) {
		json_t *v = json_object_get(ctr, fl_counter_name(i));

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

		if (!is_uint(v))
			return fail(log, line, "trailer has no 'violations.%s'", fl_violation_name(k));
		log->vio_total[k] = json_integer_value(v);
	}
	{
		uint64_t kinds = 0;

		for (int k = 0; k < FL_VIO__COUNT; k++)
			kinds += log->vio_total[k];
		if (kinds != log->vio_all)
			return fail(log, line, "trailer's violation total %llu is not the sum of its kinds (%llu)",
				    (unsigned long long)log->vio_all, (unsigned long long)kinds);
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

	if (log->counters[FL_CTR_EVENTS_LOST])
		incomplete(log, "%llu events lost (ring buffer full)",
			   (unsigned long long)log->counters[FL_CTR_EVENTS_LOST]);
	if (log->counters[FL_CTR_VIOLATIONS_LOST])
		incomplete(log, "%llu violation records lost (ring buffer full)",
			   (unsigned long long)log->counters[FL_CTR_VIOLATIONS_LOST]);
	if (log->counters[FL_CTR_MAP_FULL])
		incomplete(log, "%llu in-flight states not stored (map full)",
			   (unsigned long long)log->counters[FL_CTR_MAP_FULL]);
	if (json_is_object(imap) && is_uint(json_object_get(imap, "max")) &&
	    json_integer_value(json_object_get(imap, "max")) > 0 &&
	    json_integer_value(json_object_get(imap, "entries")) >=
	    json_integer_value(json_object_get(imap, "max")))
		incomplete(log, "per-inode state map full: evicted inodes may hide a race");
	log->trailer = json_incref(o);
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
	ssize_t n;
	int ret = 0;

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
		if (!json_is_object(o)) {
			fail(log, line, "not a JSON object");
		} else if (line == 1) {
			check_header(log, o);
		} else if (!(type = json_string_value(json_object_get(o, "type")))) {
			fail(log, line, "record without a 'type'");
		} else if (!strcmp(type, "violation")) {
			check_violation(log, line, o);
		} else if (!strcmp(type, "event")) {
			if (fl_event_from_name(json_string_value(json_object_get(o, "event"))) < 0)
				fail(log, line, "event with unknown or missing 'event'");
			log->events++;
		} else if (!strcmp(type, "trailer")) {
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

int fl_log_verdict(const struct fl_log *log)
{
	if (log->unreadable)
		return 2;
	if (log->vio_all)
		return 1;
	return log->incomplete ? 2 : 0;
}

const char *fl_log_coverage(const struct fl_log *log, int inv, const char **why)
{
	json_t *i = json_object_get(json_object_get(json_object_get(log->header, "plan"),
						    "invariants"), fl_inv_name(inv));
	*why = json_string_value(json_object_get(i, "why")) ?: "";
	return json_string_value(json_object_get(i, "status")) ?: "?";
}
