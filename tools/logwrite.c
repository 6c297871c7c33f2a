// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "faultline/rules.h"
#include "logwriter.h"
#include "names.h"
#include "outfile.h"

void fl_dev_format(uint32_t dev, char *buf, size_t len)
{
	snprintf(buf, len, "%u:%u", FL_DEV_MAJOR(dev), FL_DEV_MINOR(dev));
}

int fl_log_open(struct fl_log_writer *w, const char *path, bool force, char *err, size_t len)
{
	struct stat st;
	int fd, e;

	memset(w, 0, sizeof(*w));
	if (!strcmp(path, "-")) {
		w->f = stdout;
		return 0;
	}
	/* what is there now, looked at, never opened: nothing, or with --force a regular file */
	if (!lstat(path, &st)) {
		if (S_ISLNK(st.st_mode)) {
			snprintf(err, len, "log %s is a symbolic link: refusing to follow it", path);
			return -ELOOP;
		}
		if (!S_ISREG(st.st_mode)) {
			snprintf(err, len, "log %s is %s: --force replaces only a regular file", path,
				 fl_out_kind(st.st_mode));
			return -EEXIST;
		}
		if (!force) {
			snprintf(err, len, "log %s exists (--force overwrites it)", path);
			return -EEXIST;
		}
	} else if (errno != ENOENT) {
		e = errno;
		snprintf(err, len, "cannot create log %s: %s", path, strerror(e));
		return -e;
	}
	/* the new log, beside it until the run starts (fl_log_place()) */
	if (snprintf(w->path, sizeof(w->path), "%s", path) >= (int)sizeof(w->path) ||
	    snprintf(w->tmp, sizeof(w->tmp), "%s.XXXXXX", path) >= (int)sizeof(w->tmp)) {
		w->tmp[0] = 0;
		snprintf(err, len, "cannot create log %s: %s", path, strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	fd = mkostemp(w->tmp, O_CLOEXEC);	/* 0600, O_EXCL */
	if (fd < 0) {
		e = errno;
		w->tmp[0] = 0;
		snprintf(err, len, "cannot create log %s: %s", path, strerror(e));
		return -e;
	}
	w->replace = force;
	w->f = fdopen(fd, "w");
	if (!w->f) {
		e = errno;
		close(fd);
		fl_log_discard(w);
		snprintf(err, len, "cannot open log %s: %s", path, strerror(e));
		return -e;
	}
	return 0;
}

/* Rename @from to @to unless @to exists (as a filesystem without RENAME_NOREPLACE allows). */
static int rename_noreplace(const char *from, const char *to)
{
	struct stat st;

	if (!renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE))
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		return errno;
	if (!link(from, to)) {
		unlink(from);
		return 0;
	}
	if (errno != EPERM && errno != EOPNOTSUPP)
		return errno;
	/* no hard links either (vfat): the small race that is left */
	if (!lstat(to, &st))
		return EEXIST;
	return rename(from, to) ? errno : 0;
}

int fl_log_place(struct fl_log_writer *w)
{
	struct stat st;
	int e;

	if (w->error)
		return -w->error;
	if (!w->tmp[0])
		return 0;	/* stdout, or placed */
	if (!w->replace)
		e = rename_noreplace(w->tmp, w->path);
	else if (!lstat(w->path, &st) && !S_ISREG(st.st_mode))
		e = EEXIST;	/* a regular file only, also if it changed since fl_log_open() */
	else
		e = rename(w->tmp, w->path) ? errno : 0;
	if (e) {
		w->error = e;
		return -e;
	}
	w->tmp[0] = 0;
	w->placed = true;
	return 0;
}

int fl_log_close(struct fl_log_writer *w)
{
	int ret = 0;

	if (!w->f)
		return 0;
	if (fflush(w->f) && !w->error)
		w->error = errno;
	if (w->f != stdout && fclose(w->f) && !w->error)
		w->error = errno;
	/* the caller says the log's write errors: not once more at exit (faultline.c) */
	if (w->f == stdout && w->error) {
		__fpurge(stdout);
		clearerr(stdout);
	}
	w->f = NULL;
	/* a log that was never placed: now, unless it is broken (then what was there stays) */
	fl_log_place(w);
	if (w->tmp[0])
		unlink(w->tmp);
	w->tmp[0] = 0;
	if (w->error)
		ret = -w->error;
	return ret;
}

void fl_log_discard(struct fl_log_writer *w)
{
	if (w->f && w->f != stdout)
		fclose(w->f);
	w->f = NULL;
	if (w->tmp[0])
		unlink(w->tmp);
	else if (w->placed)
		unlink(w->path);
	w->tmp[0] = 0;
	w->placed = false;
}

/* A write error: remembered, and the lines not yet flushed are lost with it. */
static int write_failed(struct fl_log_writer *w, int e)
{
	if (!w->error)
		w->error = e ? e : EIO;
	w->lost += w->unflushed;
	w->unflushed = 0;
	return -w->error;
}

/*
 * Every line goes through here: once a write failed, nothing more is written
 * (the log already has a hole) and each line is counted as lost.
 */
static int put_line(struct fl_log_writer *w, const char *line, size_t n, bool flush)
{
	if (w->error) {
		w->lost++;
		return -w->error;
	}
	sha256_update(&w->sha, n, (const uint8_t *)line);
	errno = 0;
	w->unflushed++;
	if (fwrite(line, 1, n, w->f) != n)
		return write_failed(w, errno);
	return flush ? fl_log_flush(w) : 0;
}

int fl_log_flush(struct fl_log_writer *w)
{
	if (w->error)
		return -w->error;
	errno = 0;
	if (fflush(w->f))
		return write_failed(w, errno);
	w->unflushed = 0;
	return 0;
}

int fl_log_write(struct fl_log_writer *w, json_t *obj, bool flush)
{
	char *line;
	size_t n;
	int ret;

	if (!obj)
		return -ENOMEM;
	line = json_dumps(obj, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(obj);
	if (!line)
		return -ENOMEM;
	n = strlen(line);
	line[n] = '\n';	/* json_dumps' NUL becomes the newline; write both in one go */
	ret = put_line(w, line, n + 1, flush);
	free(line);
	return ret;
}

int fl_log_write_header(struct fl_log_writer *w, json_t *hdr)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t id[FL_RUN_ID_LEN / 2];

	if (!hdr)
		return -ENOMEM;
	if (getrandom(id, sizeof(id), 0) != sizeof(id)) {
		json_decref(hdr);
		return write_failed(w, errno);
	}
	for (size_t i = 0; i < sizeof(id); i++) {
		w->run_id[2 * i] = hex[id[i] >> 4];
		w->run_id[2 * i + 1] = hex[id[i] & 15];
	}
	w->run_id[FL_RUN_ID_LEN] = 0;
	sha256_init(&w->sha);
	json_object_set_new(hdr, "run_id", json_string(w->run_id));
	return fl_log_write(w, hdr, true);
}

/*
 * The trailer's text up to its closing brace is hashed with everything before
 * it; the digest goes after it as the last member (faultline(8), INTEGRITY).
 */
int fl_log_write_trailer(struct fl_log_writer *w, json_t *trailer)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	char *text, *line;
	size_t n;
	int ret;

	if (!trailer)
		return -ENOMEM;
	json_object_del(trailer, "digest");
	json_object_set_new(trailer, "run_id", json_string(w->run_id));
	text = json_dumps(trailer, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(trailer);
	if (!text)
		return -ENOMEM;
	n = strlen(text) - 1;	/* without the '}' */
	if (!w->error)
		sha256_update(&w->sha, n, (const uint8_t *)text);
	sha256_digest(&w->sha, sizeof(d), d);
	line = malloc(n + sizeof(FL_DIGEST_MEMBER) + 2 * sizeof(d) + 3);
	if (!line) {
		free(text);
		return -ENOMEM;
	}
	memcpy(line, text, n);
	memcpy(line + n, FL_DIGEST_MEMBER, sizeof(FL_DIGEST_MEMBER) - 1);
	n += sizeof(FL_DIGEST_MEMBER) - 1;
	for (size_t i = 0; i < sizeof(d); i++)
		n += sprintf(line + n, "%02x", d[i]);
	memcpy(line + n, "\"}\n", 3);
	free(text);
	/* after a write error too, if it still can be: it says how many lines were lost */
	errno = 0;
	if (fwrite(line, 1, n + 3, w->f) != n + 3 || fflush(w->f))
		ret = write_failed(w, errno);
	else
		ret = w->error ? -w->error : 0;
	free(line);
	return ret;
}

/* comm as a JSON string body: printable ASCII, nothing that needs escaping */
void fl_comm_text(const char raw[FL_COMM_LEN], char out[FL_COMM_LEN + 1])
{
	int i;

	for (i = 0; i < FL_COMM_LEN && raw[i]; i++)
		out[i] = raw[i] >= 0x20 && raw[i] < 0x7f && raw[i] != '"' && raw[i] != '\\' ?
			 raw[i] : '?';
	out[i] = 0;
}

static json_t *json_comm(const char raw[FL_COMM_LEN])
{
	char comm[FL_COMM_LEN + 1];

	fl_comm_text(raw, comm);
	return json_string(comm);
}

static json_t *json_range_end(uint64_t end)
{
	return end == FL_EOF ? json_null() : json_integer((json_int_t)end);
}

static json_t *json_u64(uint64_t v)
{
	return json_integer((json_int_t)v);
}

/*
 * An inode number: FUSE servers may hand out any 64-bit value, and JSON
 * integers readers keep exactly stop at 2^63 - 1 (jansson's json_int_t, and
 * jq's doubles far below). Above that it is written as a decimal string.
 */
json_t *fl_json_ino(uint64_t ino)
{
	char buf[24];

	if (ino <= INT64_MAX)
		return json_integer((json_int_t)ino);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)ino);
	return json_string(buf);
}

json_t *fl_json_plan(const struct fl_plan *plan)
{
	json_t *hooks = json_array(), *inv = json_object();

	for (int h = 0; h < FL_HOOK__COUNT; h++) {
		const struct fl_hook_plan *hp = &plan->hooks[h];
		json_t *o = json_pack("{s:s, s:s, s:s}", "hook", fl_hook_name(h),
				      "mode", fl_mode_name(hp->mode), "serves", fl_hooks[h].serves);

		if (hp->dropped)
			json_object_set_new(o, "dropped", json_true());
		if (hp->target[0])
			json_object_set_new(o, "target", json_string(hp->target));
		if (hp->reason[0])
			json_object_set_new(o, "reason", json_string(hp->reason));
		json_array_append_new(hooks, o);
	}
	for (int i = 0; i < FL_INV__COUNT; i++)
		json_object_set_new(inv, fl_inv_name(i),
				    json_pack("{s:s, s:s}", "status", fl_coverage_name(plan->cov[i]),
					      "why", plan->cov_reason[i]));
	return json_pack("{s:s, s:s, s:b, s:s, s:s, s:b, s:b, s:i, s:s, s:b, s:o, s:o}",
			 "lock_layout", fl_layout_name(plan->layout),
			 "lock_detail", plan->layout_detail,
			 "btf", plan->btf,
			 "fentry", plan->fentry_status[0] ? plan->fentry_status : "available",
			 "kprobe", plan->kprobe_status[0] ? plan->kprobe_status : "available",
			 "preempt_guard", plan->preempt_guard,
			 "misses_counted", plan->misses_counted,
			 "tp_copies", plan->tp_copies,
			 "task_state", plan->task_storage ? "task-storage" : "hash",
			 "task_exit", plan->task_exit,
			 "hooks", hooks, "invariants", inv);
}

json_t *fl_json_header(const struct fl_plan *plan, const struct fl_kbtf *kbtf, char *const *argv,
		       const struct fl_session_opts *o)
{
	struct utsname u;
	struct timespec mono, real;
	json_t *cmd = json_array(), *h;
	char when[64];
	struct tm tm;

	uname(&u);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	gmtime_r(&real.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (int i = 0; argv && argv[i]; i++)
		json_array_append_new(cmd, json_string(argv[i]));
	h = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:I, s:o}",
		      "type", "header", "schema", FL_LOG_SCHEMA, "tool", "faultline",
		      "version", FAULTLINE_VERSION, "kernel", u.release, "arch", u.machine,
		      "start_time", when, "start_ns",
		      (json_int_t)((uint64_t)mono.tv_sec * 1000000000ULL + mono.tv_nsec),
		      "command", cmd);
	json_object_set_new(h, "plan", fl_json_plan(plan));
	if (kbtf->custom_arg[0])
		json_object_set_new(h, "btf", json_string(kbtf->custom_arg));
	json_object_set_new(h, "filter",
			    json_pack("{s:b, s:b, s:b}", "fuse_only", o->fuse_only, "dax_only",
				      o->dax_only, "events", o->export_events));
	return h;
}

static void add_inode(json_t *o, uint32_t dev, uint64_t ino, uint32_t flags)
{
	char d[32];

	fl_dev_format(dev, d, sizeof(d));
	json_object_set_new(o, "dev", json_string(d));
	json_object_set_new(o, "ino", fl_json_ino(ino));
	json_object_set_new(o, "fuse", json_boolean(flags & FL_F_FUSE));
	json_object_set_new(o, "dax", json_boolean(flags & FL_F_DAX));
}

static json_t *json_bytes(uint64_t start, uint64_t end)
{
	return json_pack("{s:o, s:o}", "start", json_u64(start), "end", json_range_end(end));
}

static json_t *json_pages(uint64_t start, uint64_t end)
{
	if (start >= end)
		return json_null();
	return json_pack("{s:o, s:o}", "first", json_u64(start >> FL_PAGE_SHIFT),
			 "last", end == FL_EOF ? json_null() : json_u64((end - 1) >> FL_PAGE_SHIFT));
}

/* A bounded append buffer for event lines; @ok drops to false if it overflows. */
struct line {
	char *p, *end;
	bool ok;
};

static void put(struct line *l, const char *s, size_t n)
{
	if (!l->ok || (size_t)(l->end - l->p) < n) {
		l->ok = false;
		return;
	}
	memcpy(l->p, s, n);
	l->p += n;
}

#define PUT(l, lit) put(l, lit, sizeof(lit) - 1)

static void put_str(struct line *l, const char *s)
{
	put(l, s, strlen(s));
}

static void put_u64(struct line *l, uint64_t v)
{
	char tmp[20], *q = tmp + sizeof(tmp);

	do
		*--q = '0' + v % 10;
	while (v /= 10);
	put(l, q, tmp + sizeof(tmp) - q);
}

static void put_s64(struct line *l, int64_t v)
{
	if (v < 0) {
		PUT(l, "-");
		put_u64(l, -(uint64_t)v);
	} else {
		put_u64(l, v);
	}
}

/*
 * Events are the one record written at high rates: build their lines by
 * appending (every field is a number or a name from a fixed table, comm is
 * made escape-free by fl_comm_text()). The unit tests parse them back with jansson.
 */
int fl_event_line(const struct fl_event *e, char *buf, size_t len)
{
	struct line l = { buf, buf + len, true };
	bool fault = e->kind == FL_EV_FAULT_BEGIN || e->kind == FL_EV_FAULT_END;
	char comm[FL_COMM_LEN + 1];

	PUT(&l, "{\"type\":\"event\",\"event\":\"");
	put_str(&l, fl_event_name(e->kind));
	PUT(&l, "\",\"ts_ns\":");
	put_u64(&l, e->ts);
	PUT(&l, ",\"hook\":\"");
	put_str(&l, fl_hook_name(e->hook));
	if (e->flags & FL_F_INODE_KNOWN) {
		PUT(&l, "\",\"dev\":\"");
		put_u64(&l, FL_DEV_MAJOR(e->dev));
		PUT(&l, ":");
		put_u64(&l, FL_DEV_MINOR(e->dev));
		PUT(&l, "\",\"ino\":");
		if (e->ino > INT64_MAX) {	/* as fl_json_ino() */
			PUT(&l, "\"");
			put_u64(&l, e->ino);
			PUT(&l, "\"");
		} else {
			put_u64(&l, e->ino);
		}
		if (e->flags & FL_F_FUSE)
			PUT(&l, ",\"fuse\":true");
		else
			PUT(&l, ",\"fuse\":false");
		if (e->flags & FL_F_DAX)
			PUT(&l, ",\"dax\":true");
		else
			PUT(&l, ",\"dax\":false");
	} else {
		PUT(&l, "\",\"dev\":null,\"ino\":null");
	}
	PUT(&l, ",\"op\":\"");
	put_str(&l, fl_op_name(e->op));
	PUT(&l, "\",\"lock\":\"");
	put_str(&l, fl_lock_name(e->lock));
	PUT(&l, "\",\"bytes\":{\"start\":");
	put_u64(&l, e->start);
	PUT(&l, ",\"end\":");
	if (e->end == FL_EOF)
		PUT(&l, "null");
	else
		put_u64(&l, e->end);
	PUT(&l, "}");
	if (!fault) {
		PUT(&l, ",\"size_before\":");
		if (e->size == FL_EOF)
			PUT(&l, "null");
		else
			put_u64(&l, e->size);
	}
	if (e->flags & FL_F_WRITE)
		PUT(&l, ",\"write\":true");
	PUT(&l, ",\"pid\":");
	put_u64(&l, e->pid);
	PUT(&l, ",\"tid\":");
	put_u64(&l, e->tid);
	PUT(&l, ",\"comm\":\"");
	fl_comm_text(e->comm, comm);
	put_str(&l, comm);
	PUT(&l, "\"");
	if (e->kind == FL_EV_FAULT_END || e->kind == FL_EV_OP_END) {
		PUT(&l, ",\"ret\":");
		put_s64(&l, e->ret);
	}
	PUT(&l, "}\n");
	return l.ok ? (int)(l.p - buf) : -1;
}

int fl_log_write_event(struct fl_log_writer *w, const struct fl_event *e)
{
	char line[768];
	int n = fl_event_line(e, line, sizeof(line));

	if (n < 0)
		return -EINVAL;
	if (put_line(w, line, n, false))
		return -w->error;
	w->events++;
	return 0;
}

/* Frames of the tracer itself: the BPF program, its trampoline, the tracepoint glue. */
static bool tracer_frame(const char *sym)
{
	static const char *const prefixes[] = {
		"?", "bpf_", "__bpf_", "perf_trace_", "perf_tp_", "trace_event_", "__traceiter_",
		"trace_call_bpf", "kprobe_", "__kprobes", "kretprobe_", "__kretprobe_",
		"arch_rethook_", "rethook_", "ftrace_", "fprobe_",
		/* a BPF trampoline's page, named after the module data symbol below it (5.10) */
		"__this_module",
	};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(sym, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

static json_t *json_stack(const struct fl_side *s, const struct fl_ksyms *ks)
{
	json_t *a = json_array();
	int n = s->stack_len > 0 ? s->stack_len / 8 : 0;
	char sym[256], prev[256] = "";
	bool top = true, unknown = false;

	if (n > FL_STACK_DEPTH)
		n = FL_STACK_DEPTH;
	for (int i = 0; i < n; i++) {
		if (!s->stack[i])
			break;
		fl_ksyms_format(ks, s->stack[i], sym, sizeof(sym));
		/*
		 * An address in no symbol (a BPF trampoline, or every frame when
		 * kallsyms is hidden) says nothing: left out, but never leaving an
		 * empty stack where there were frames.
		 */
		if (sym[0] == '?') {
			unknown = true;
			continue;
		}
		/* the stack starts where the kernel was when the hook fired */
		if (top && tracer_frame(sym))
			continue;
		top = false;
		if (!strcmp(sym, prev))
			continue;
		json_array_append_new(a, json_string(sym));
		snprintf(prev, sizeof(prev), "%s", sym);
	}
	if (!json_array_size(a) && unknown)
		json_array_append_new(a, json_string("?"));
	return a;
}

static json_t *json_side(const struct fl_side *s, const struct fl_ksyms *ks)
{
	return json_pack("{s:{s:i, s:i, s:o}, s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:o, s:o, s:b, s:o}",
			 "task", "pid", s->pid, "tid", s->tid,
			 "comm", json_comm(s->comm),
			 "hook", fl_hook_name(s->hook), "entry", fl_hook_name(s->entry_hook),
			 "op", fl_op_name(s->op), "lock", fl_lock_name(s->lock),
			 "bytes", json_bytes(s->start, s->end),
			 "pages", json_pages(s->start, s->end),
			 "ts_begin_ns", (json_int_t)s->ts_begin,
			 "ts_end_ns", s->ts_end ? json_u64(s->ts_end) : json_null(),
			 "size_before", s->op == FL_OP_FAULT || s->size_before == FL_EOF ?
				json_null() : json_u64(s->size_before),
			 "syscall_only", (s->flags & FL_F_SYSCALL_ONLY) != 0,
			 "stack", json_stack(s, ks));
}

static json_t *json_request(uint32_t opcode)
{
	return json_pack("{s:i, s:s}", "opcode", (int)opcode, "name", fl_fuse_opcode_name(opcode));
}

json_t *fl_json_violation(const struct fl_violation *v, const struct fl_ksyms *ks)
{
	json_t *o = json_pack("{s:s, s:s, s:I, s:I}", "type", "violation",
			      "kind", fl_violation_name(v->kind), "ts_ns", (json_int_t)v->ts,
			      "seq", (json_int_t)v->seq);

	const char *first, *second;

	add_inode(o, v->dev, v->ino, v->flags);
	fl_violation_sides(v->kind, &first, &second);
	if (first)
		json_object_set_new(o, first, json_side(&v->fault, ks));
	if (second)
		json_object_set_new(o, second, json_side(&v->op, ks));
	/* I6: each side's FUSE request; the completion's callback (args->end) by name */
	if (v->kind == FL_VIO_BLOCKING_IN_COMPLETION) {
		char cb[256];

		json_object_set_new(json_object_get(o, first), "request", json_request(v->fault.opcode));
		json_object_set_new(json_object_get(o, second), "request", json_request(v->op.opcode));
		fl_ksyms_format(ks, v->callback, cb, sizeof(cb));
		json_object_set_new(json_object_get(o, first), "callback",
				    v->callback && cb[0] != '?' ? json_string(cb) : json_null());
	}
	/* what the op's layout breaks covered, against the removal in op.bytes */
	if (v->kind == FL_VIO_UNBROKEN_LAYOUT)
		json_object_set_new(o, "layout", json_pack("{s:o, s:o}",
				    "bytes", json_bytes(v->layout_start, v->layout_end),
				    "pages", json_pages(v->layout_start, v->layout_end)));
	return o;
}

json_t *fl_json_trailer(const struct fl_session_stats *st, const struct fl_log_writer *w,
			const struct fl_trailer_info *info)
{
	json_t *ctr = json_object(), *hits = json_object(), *vio = json_object(), *keys = json_array();
	uint64_t by_kind[FL_VIO__COUNT] = { 0 }, total = 0;
	json_t *t;

	for (int i = 0; i < FL_CTR__COUNT; i++)
		json_object_set_new(ctr, fl_counter_name(i), json_u64(st->counters[i]));
	for (int i = 0; i < FL_HOOK__COUNT; i++)
		json_object_set_new(hits, fl_hook_name(i), json_u64(st->hook_hits[i]));
	for (size_t i = 0; i < st->n_vio_totals; i++) {
		const struct fl_vio_total *vt = &st->vio_totals[i];
		char d[32];

		if (vt->key.kind < FL_VIO__COUNT)
			by_kind[vt->key.kind] += vt->count;
		total += vt->count;
		fl_dev_format(vt->key.dev, d, sizeof(d));
		json_array_append_new(keys, json_pack("{s:s, s:o, s:s, s:s, s:o}", "dev", d,
					"ino", fl_json_ino(vt->key.ino),
					"kind", fl_violation_name(vt->key.kind),
					"hook", fl_hook_name(vt->key.hook),
					"count", json_u64(vt->count)));
	}
	json_object_set_new(vio, "total", json_u64(total));
	for (int k = 0; k < FL_VIO__COUNT; k++)
		json_object_set_new(vio, fl_violation_name(k), json_u64(by_kind[k]));

	t = json_pack("{s:s, s:s, s:I, s:o, s:o, s:o, s:o}", "type", "trailer",
		      "status", info->status, "duration_ns", (json_int_t)info->duration_ns,
		      "counters", ctr, "hook_hits", hits, "violations", vio,
		      "violation_keys", keys);
	json_object_set_new(t, "records", json_pack("{s:o, s:o, s:o}",
			    "violations", json_u64(w->violations), "events", json_u64(w->events),
			    "lost", json_u64(w->lost)));
	json_object_set_new(t, "inflight_at_exit", json_pack("{s:o, s:o}",
			    "faults", json_u64(st->inflight_faults), "ops", json_u64(st->inflight_ops)));
	{
		json_t *by_hook = json_object();

		for (int h = 0; h < FL_HOOK__COUNT; h++)
			if (st->hook_missed[h])
				json_object_set_new(by_hook, fl_hook_name(h), json_u64(st->hook_missed[h]));
		json_object_set_new(t, "missed", json_pack("{s:b, s:o, s:o, s:o}",
				    "counted", st->misses_counted, "total", json_u64(st->missed),
				    "hooks", by_hook,
				    "recovered", json_u64(st->missed_recovered)));
	}
	json_object_set_new(t, "inode_map", json_pack("{s:o, s:o, s:o}",
			    "entries", json_u64(st->inode_entries), "max", json_u64(st->inode_max),
			    "high", json_u64(st->inode_high)));
	/* task local storage has no limit and cannot be counted: a hash by tid only */
	if (st->task_max)
		json_object_set_new(t, "task_map", json_pack("{s:o, s:o}",
				    "high", json_u64(st->task_high), "max", json_u64(st->task_max)));
	json_object_set_new(t, "recorder", json_pack("{s:o, s:o, s:o, s:o}",
			    "startup_ns", json_u64(info->startup_ns),
			    "rss_start_kb", json_u64(info->rss_start_kb),
			    "rss_end_kb", json_u64(info->rss_end_kb),
			    "map_bytes", json_u64(info->map_bytes)));
	if (st->n_prog_stats) {
		json_t *ps = json_array();

		for (size_t i = 0; i < st->n_prog_stats; i++)
			json_array_append_new(ps, json_pack("{s:s, s:o, s:o, s:o}",
					      "prog", st->prog_stats[i].name,
					      "run_cnt", json_u64(st->prog_stats[i].run_cnt),
					      "run_time_ns", json_u64(st->prog_stats[i].run_time_ns),
					      "mean_ns", json_u64(st->prog_stats[i].run_cnt ?
						st->prog_stats[i].run_time_ns / st->prog_stats[i].run_cnt : 0)));
		json_object_set_new(t, "prog_stats", ps);
	}
	if (info->workload)
		json_object_set_new(t, "workload", json_pack("{s:o, s:o, s:b}",
				    "exit", info->workload_exit >= 0 ?
					json_integer(info->workload_exit) : json_null(),
				    "signal", info->workload_signal ?
					json_integer(info->workload_signal) : json_null(),
				    "stopped", info->workload_stopped));
	return t;
}
