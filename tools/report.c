// SPDX-License-Identifier: GPL-2.0
/* faultline report: what a log says, by inode, kind and symbolized stack. */
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "log.h"
#include "names.h"
#include "outfile.h"
#include "perfetto.h"
#include "text.h"
#include "title.h"

/* One group: violations of one kind on one inode with the same pair of stacks. */
struct group {
	char inode[64];
	char title[FL_TITLE_MAX];	/* title.h: the same in every output */
	const char *kind;
	char *signature;	/* stacks without offsets: what makes two reports the same */
	json_t *example;	/* borrowed from the log */
	uint64_t recorded;
};

static void sig_append(json_t *side, const char *label, char **buf, size_t *len, size_t *cap)
{
	json_t *stack = json_object_get(side, "stack"), *f;
	size_t i;

	if (!side)
		return;
	json_array_foreach(stack, i, f) {
		const char *s = json_string_value(f);
		size_t n = strcspn(s, "+");
		size_t need = *len + strlen(label) + n + 3;

		if (need > *cap) {
			char *p = realloc(*buf, need * 2);

			if (!p)
				return;
			*buf = p;
			*cap = need * 2;
		}
		*len += sprintf(*buf + *len, "%s%.*s;", label, (int)n, s);
	}
}

static char *signature(json_t *v)
{
	size_t len = 0, cap = 256;
	char *buf = malloc(cap);

	if (!buf)
		return NULL;
	buf[0] = 0;
	sig_append(json_object_get(v, "fault"), "F:", &buf, &len, &cap);
	sig_append(json_object_get(v, "op"), "O:", &buf, &len, &cap);
	sig_append(json_object_get(v, "completion"), "C:", &buf, &len, &cap);
	sig_append(json_object_get(v, "send"), "S:", &buf, &len, &cap);
	return buf;
}

static int by_inode_kind(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	int c = strcmp(x->inode, y->inode);

	return c ? c : strcmp(x->kind, y->kind);
}

static void inode_id(json_t *v, char *buf, size_t len)
{
	uint64_t ino = 0;

	fl_json_get_ino(json_object_get(v, "ino"), &ino);
	snprintf(buf, len, "%s:%llu", json_string_value(json_object_get(v, "dev")) ?: "?",
		 (unsigned long long)ino);
}

/* Total of one kind on one inode, from the trailer (recorded + suppressed). */
static uint64_t total_for(const struct fl_log *log, const char *inode, const char *kind)
{
	json_t *keys = json_object_get(log->trailer, "violation_keys"), *k;
	uint64_t n = 0;
	size_t i;

	json_array_foreach(keys, i, k) {
		char id[64];

		inode_id(k, id, sizeof(id));
		if (!strcmp(id, inode) && !strcmp(json_string_value(json_object_get(k, "kind")) ?: "",
						  kind))
			n += json_integer_value(json_object_get(k, "count"));
	}
	return n;
}

static void print_range(json_t *bytes)
{
	json_t *end = json_object_get(bytes, "end");

	if (json_is_null(end))
		printf("bytes [%lld,eof)", (long long)json_integer_value(json_object_get(bytes, "start")));
	else
		printf("bytes [%lld,%lld)", (long long)json_integer_value(json_object_get(bytes, "start")),
		       (long long)json_integer_value(end));
}

/* Every string from the log is escaped (text.h): a comm or a frame must not paint the terminal. */
static void print_side(const char *label, json_t *s)
{
	json_t *task = json_object_get(s, "task"), *f;
	char esc[FL_ESCAPED_MAX(256)];
	size_t i;

	if (!s)
		return;
	printf("    %-5s", label);
	/* an I6 side: the FUSE request, not a range under a lock */
	if (json_object_get(s, "request")) {
		const char *cb = json_string_value(json_object_get(s, "callback"));

		printf(" %s", FL_ESC(json_string_value(json_object_get(json_object_get(s, "request"),
								       "name")), esc));
		printf(" at %s", FL_ESC(json_string_value(json_object_get(s, "hook")), esc));
		if (cb)
			printf(", callback %s", FL_ESC(cb, esc));
		printf(", task %s %lld/%lld\n", FL_ESC(json_string_value(json_object_get(task, "comm")), esc),
		       (long long)json_integer_value(json_object_get(task, "pid")),
		       (long long)json_integer_value(json_object_get(task, "tid")));
		return;
	}
	if (strcmp(json_string_value(json_object_get(s, "op")) ?: "", "fault"))
		printf(" %s", FL_ESC(json_string_value(json_object_get(s, "op")), esc));
	printf(" at %s", FL_ESC(json_string_value(json_object_get(s, "hook")), esc));
	if (strcmp(json_string_value(json_object_get(s, "entry")) ?: "",
		   json_string_value(json_object_get(s, "hook")) ?: ""))
		printf(" via %s", FL_ESC(json_string_value(json_object_get(s, "entry")), esc));
	printf(", lock %s, ", FL_ESC(json_string_value(json_object_get(s, "lock")), esc));
	print_range(json_object_get(s, "bytes"));
	printf(", task %s %lld/%lld%s\n",
	       FL_ESC(json_string_value(json_object_get(task, "comm")), esc),
	       (long long)json_integer_value(json_object_get(task, "pid")),
	       (long long)json_integer_value(json_object_get(task, "tid")),
	       json_is_true(json_object_get(s, "syscall_only")) ? ", interval from the syscall" : "");
	json_array_foreach(json_object_get(s, "stack"), i, f) {
		fputs("          ", stdout);
		fl_fputs_escaped(json_string_value(f), stdout);
		putchar('\n');
	}
}

/* --title GLOB: only the violations whose title matches (NULL: all) */
static const char *title_glob;

/* Group the log's violations by inode, kind and stacks; sorted by inode and kind. */
static struct group *group_violations(const struct fl_log *log, size_t *count)
{
	struct group *groups = NULL;
	size_t ng = 0, i;
	json_t *v;

	json_array_foreach(log->violations, i, v) {
		struct group g = { 0 }, *more;
		size_t j;

		fl_violation_title(v, g.title, sizeof(g.title));
		if (title_glob && fnmatch(title_glob, g.title, 0))
			continue;
		inode_id(v, g.inode, sizeof(g.inode));
		g.kind = json_string_value(json_object_get(v, "kind"));
		g.signature = signature(v);
		for (j = 0; j < ng; j++)
			if (!strcmp(groups[j].inode, g.inode) && !strcmp(groups[j].kind, g.kind) &&
			    g.signature && groups[j].signature &&
			    !strcmp(groups[j].signature, g.signature))
				break;
		if (j < ng) {
			groups[j].recorded++;
			free(g.signature);
			continue;
		}
		more = realloc(groups, (ng + 1) * sizeof(*groups));
		if (!more) {
			free(g.signature);
			break;
		}
		groups = more;
		g.example = v;
		g.recorded = 1;
		groups[ng++] = g;
	}
	if (ng)
		qsort(groups, ng, sizeof(*groups), by_inode_kind);
	*count = ng;
	return groups;
}

static void free_groups(struct group *groups, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(groups[i].signature);
	free(groups);
}

static json_t *report_json(const struct fl_log *log)
{
	json_t *plan = json_object_get(log->header, "plan"), *inv = fl_log_invariants_json(log);
	json_t *gs = json_array(), *o;
	size_t ng;
	struct group *groups = group_violations(log, &ng);

	for (size_t i = 0; i < ng; i++)
		json_array_append_new(gs, json_pack("{s:s, s:s, s:s, s:I, s:I, s:O}",
				      "inode", groups[i].inode, "kind", groups[i].kind,
				      "title", groups[i].title,
				      "total", (json_int_t)total_for(log, groups[i].inode, groups[i].kind),
				      "recorded", (json_int_t)groups[i].recorded,
				      "example", groups[i].example));
	o = json_pack("{s:s, s:O, s:O, s:O, s:o, s:b, s:O, s:O, s:o}",
		      "file", log->path,
		      "kernel", json_object_get(log->header, "kernel"),
		      "status", json_object_get(log->trailer, "status"),
		      "lock_layout", json_object_get(plan, "lock_layout") ?: json_null(),
		      "invariants", inv,
		      "complete", !log->incomplete,
		      "counters", json_object_get(log->trailer, "counters"),
		      "violations", json_object_get(log->trailer, "violations"),
		      "groups", gs);
	if (log->incomplete)
		json_object_set_new(o, "incomplete", json_string(log->incomplete_reason));
	fl_log_fate_json(log, o);
	json_object_set(o, "missed", json_object_get(log->trailer, "missed"));
	free_groups(groups, ng);
	return o;
}

static void report_one(const struct fl_log *log)
{
	json_t *h = log->header, *t = log->trailer, *plan = json_object_get(h, "plan");
	struct group *groups;
	size_t ng, i;
	int modes[FL_MODE__COUNT] = { 0 };
	json_t *hook;
	/* the log's strings escaped (text.h); a crafted one longer than these is cut */
	char path[FL_ESCAPED_MAX(sizeof(log->path))], kernel[FL_ESCAPED_MAX(256)], arch[256];
	char version[256], start[256], status[256], title[FL_ESCAPED_MAX(FL_TITLE_MAX)];
	char esc[FL_ESCAPED_MAX(sizeof(log->incomplete_reason))], inode[FL_ESCAPED_MAX(64)];

	printf("%s: kernel %s (%s), faultline %s, started %s, %.1f s, status %s\n",
	       FL_ESC(log->path, path),
	       FL_ESC(json_string_value(json_object_get(h, "kernel")), kernel),
	       FL_ESC(json_string_value(json_object_get(h, "arch")), arch),
	       FL_ESC(json_string_value(json_object_get(h, "version")), version),
	       FL_ESC(json_string_value(json_object_get(h, "start_time")), start),
	       json_integer_value(json_object_get(t, "duration_ns")) / 1e9,
	       FL_ESC(json_string_value(json_object_get(t, "status")), status));
	json_array_foreach(json_object_get(plan, "hooks"), i, hook) {
		int m = fl_mode_from_name(json_string_value(json_object_get(hook, "mode")));

		if (m >= 0)
			modes[m]++;
	}
	printf("  hooks: fentry %d, kprobe %d, tracepoint %d, none %d; lock layout %s\n",
	       modes[FL_MODE_FENTRY], modes[FL_MODE_KPROBE], modes[FL_MODE_TRACEPOINT],
	       modes[FL_MODE_NONE],
	       FL_ESC(json_string_value(json_object_get(plan, "lock_layout")), esc));
	printf("  invariants:");
	for (int k = 0; k < FL_INV__COUNT; k++) {
		const char *why;

		printf(" %s %s", fl_inv_name(k), fl_log_coverage(log, k, &why));
	}
	printf("\n  counted: %llu DAX faults, %llu operations, %llu teardowns, %llu events\n",
	       (unsigned long long)log->counters[FL_CTR_FAULTS],
	       (unsigned long long)log->counters[FL_CTR_OPS],
	       (unsigned long long)log->counters[FL_CTR_TEARDOWNS],
	       (unsigned long long)log->events);
	printf("  evidence: %s\n", log->incomplete ? FL_ESC(log->incomplete_reason, esc) : "complete");
	if (log->verified)
		printf("  integrity: run id %s, digest verified\n", log->run_id);
	else
		printf("  integrity: UNVERIFIED: %s\n", log->unverified);
	if (log->workload_fate[0])
		printf("  workload: %s\n", log->workload_fate);
	if (log->missed_recovered)
		printf("  skipped runs made up by a tracepoint's spare copy: %llu\n",
		       (unsigned long long)log->missed_recovered);
	printf("  violations: %llu", (unsigned long long)log->vio_all);
	for (int k = 0; k < FL_VIO__COUNT; k++)
		printf("%s%s %llu", k ? ", " : " (", fl_violation_name(k),
		       (unsigned long long)log->vio_total[k]);
	printf(")\n");

	groups = group_violations(log, &ng);
	for (i = 0; i < ng; i++) {
		json_t *ex = groups[i].example;

		if (!i || strcmp(groups[i].inode, groups[i - 1].inode))
			printf("\ninode %s%s%s\n", FL_ESC(groups[i].inode, inode),
			       json_is_true(json_object_get(ex, "fuse")) ? " fuse" : "",
			       json_is_true(json_object_get(ex, "dax")) ? " dax" : "");
		if (!i || strcmp(groups[i].inode, groups[i - 1].inode) ||
		    strcmp(groups[i].kind, groups[i - 1].kind))
			printf("  %s: %llu in all\n", FL_ESC(groups[i].kind, esc),
			       (unsigned long long)total_for(log, groups[i].inode, groups[i].kind));
		printf("   %s: %llu recorded with these stacks:\n", FL_ESC(groups[i].title, title),
		       (unsigned long long)groups[i].recorded);
		print_side("fault", json_object_get(ex, "fault"));
		print_side("op", json_object_get(ex, "op"));
		print_side("completion", json_object_get(ex, "completion"));
		print_side("send", json_object_get(ex, "send"));
		if (json_object_get(ex, "layout")) {
			json_t *lb = json_object_get(json_object_get(ex, "layout"), "bytes");

			printf("    the op's layout breaks covered ");
			if (json_integer_value(json_object_get(lb, "start")) == 0 &&
			    json_is_integer(json_object_get(lb, "end")) &&
			    json_integer_value(json_object_get(lb, "end")) == 0)
				printf("nothing");
			else
				print_range(lb);
			printf(" (of the bytes it removed above)\n");
		}
	}
	free_groups(groups, ng);
}

void report_usage(FILE *f)
{
	fprintf(f, "usage: %s report [-j] [--title GLOB] [--unverified] [--perfetto OUT] FILE...\n",
		fl_prog);
}

/*
 * --perfetto OUT: every log read and verified first (a log the gate would
 * refuse is refused here, exit 2), OUT never one of them nor a log (outfile.h),
 * then the trace written to a temporary that replaces OUT once whole.
 */
static int report_perfetto(const char *out, char **paths, int n, bool unverified_ok)
{
	struct fl_log *logs = calloc((size_t)n, sizeof(*logs));
	char err[1024], esc[FL_ESCAPED_MAX(sizeof(err))];
	int ret = FL_EXIT_ERROR, nread = 0;
	struct fl_out o;

	if (!logs) {
		fl_err("report: out of memory");
		return FL_EXIT_ERROR;
	}
	for (int i = 0; i < n; i++) {
		if (fl_out_same(out, paths[i])) {
			fl_err("report: --perfetto %s is the log %s; refusing to overwrite an input",
			       FL_ESC(out, esc), paths[i]);
			goto done;
		}
	}
	if (fl_out_check(out, err, sizeof(err))) {
		fl_err("report: --perfetto %s", FL_ESC(err, esc));
		goto done;
	}
	for (; nread < n; nread++) {
		struct fl_log *log = &logs[nread];

		if (fl_log_read(paths[nread], log)) {
			fl_log_error_line(log, err, sizeof(err));
			fl_err("%s", FL_ESC(err, esc));
			nread++;
			goto done;
		}
		if (!log->verified && !unverified_ok) {
			fl_err("%s: UNVERIFIED: %s (--unverified accepts it)", FL_ESC(log->path, esc),
			       log->unverified);
			nread++;
			goto done;
		}
	}
	if (!fl_out_open(&o, out, err, sizeof(err))) {
		fl_err("report: --perfetto %s", FL_ESC(err, esc));
		goto done;
	}
	if (fl_perfetto_write(o.f, logs, (size_t)n, err, sizeof(err))) {
		fl_out_abort(&o);
		fl_err("report: --perfetto %s: %s", FL_ESC(out, esc), err);
		goto done;
	}
	if (fl_out_commit(&o, err, sizeof(err))) {
		fl_err("report: --perfetto %s", FL_ESC(err, esc));
		goto done;
	}
	ret = FL_EXIT_OK;
done:
	for (int i = 0; i < nread; i++)
		fl_log_free(&logs[i]);
	free(logs);
	return ret;
}

int do_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "title", required_argument, NULL, 'T' },
		{ "unverified", no_argument, NULL, 'U' },
		{ "perfetto", required_argument, NULL, 'P' },
		{}
	};
	const char *perfetto = NULL;
	static const struct fl_cmd_opts opts = { .longopts = longopts, .usage = report_usage };
	int opt, code, ret = FL_EXIT_OK;
	bool unverified_ok = false;

	while ((opt = fl_next_opt(argc, argv, &opts, &code)) != -1) {
		if (opt == FL_OPT_EXIT)
			return code;
		if (opt == 'T')
			title_glob = optarg;
		if (opt == 'U')
			unverified_ok = true;
		if (opt == 'P')
			perfetto = optarg;
	}
	if (optind >= argc) {
		fl_err("report: no log given");
		return FL_EXIT_ERROR;
	}
	if (perfetto)
		return report_perfetto(perfetto, argv + optind, argc - optind, unverified_ok);
	for (int i = optind; i < argc; i++) {
		struct fl_log log;
		char line[1024];

		if (fl_log_read(argv[i], &log)) {
			char esc[FL_ESCAPED_MAX(sizeof(line))];

			fl_log_error_line(&log, line, sizeof(line));
			fl_err("%s", FL_ESC(line, esc));
			ret = FL_EXIT_ERROR;
		} else if (fl_json) {
			json_t *o = report_json(&log);

			json_dumpf(o, stdout, JSON_INDENT(2));
			putchar('\n');
			json_decref(o);
		} else {
			if (i > optind)
				putchar('\n');
			report_one(&log);
		}
		/* shown, but a log that cannot show it is whole is not taken as read */
		if (!log.unreadable && !log.verified && !unverified_ok) {
			char esc[FL_ESCAPED_MAX(sizeof(log.path))];

			fl_err("%s: UNVERIFIED: %s (--unverified accepts it)", FL_ESC(log.path, esc),
			       log.unverified);
			ret = FL_EXIT_ERROR;
		}
		fl_log_free(&log);
	}
	return ret;
}
