// SPDX-License-Identifier: GPL-2.0
/*
 * gate --ktap: the verdicts as KTAP version 1, as kselftest writes it
 * (Documentation/dev-tools/ktap.rst): a test per log; inside it the evidence
 * and one test per invariant, "# SKIP reason" for an unchecked one; inside a
 * failing invariant one test per violation title, with diagnostic lines
 * ("# ...") saying where; a waived title is "ok ... # XFAIL waived: reason".
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "gate.h"
#include "names.h"
#include "outfile.h"
#include "text.h"

/*
 * A KTAP description: one line, no '#' (it starts a directive). Like every
 * text from a log here, escaped (text.h): a newline in a title or a path must
 * not forge a result line of its own.
 */
static void desc(const char *in, char *out, size_t len)
{
	fl_text_escape(in, out, len);
	for (char *p = out; *p; p++)
		if (*p == '#')
			*p = '?';
}

static void result(FILE *f, int depth, bool ok, int num, const char *name, const char *directive,
		   const char *why)
{
	char d[FL_ESCAPED_MAX(512)], w[FL_ESCAPED_MAX(600)];

	desc(name, d, sizeof(d));
	fprintf(f, "%*s%s %d %s", depth * 2, "", ok ? "ok" : "not ok", num, d);
	if (directive) {
		FL_ESC(why ?: "", w);
		fprintf(f, " # %s%s%s", directive, w[0] ? " " : "", w);
	}
	fputc('\n', f);
}

static void diag(FILE *f, int depth, const char *text)
{
	char t[FL_ESCAPED_MAX(1024)];

	fprintf(f, "%*s# %s\n", depth * 2, "", FL_ESC(text, t));
}

/* Where one recorded violation was: inode, pages, task. */
static void where(const struct fl_title_group *t, char *buf, size_t len)
{
	json_t *v = t->example, *side = json_object_get(v, "op") ?: json_object_get(v, "fault");
	json_t *task = json_object_get(side, "task"), *pages = json_object_get(side, "pages");
	char last[24] = "eof";
	uint64_t ino = 0;

	/* I6: a mount's FUSE requests, no inode or pages */
	if (!side && (side = json_object_get(v, "send"))) {
		task = json_object_get(side, "task");
		snprintf(buf, len, "%llu in all, %llu recorded; e.g. mount %s, task %s %lld/%lld",
			 (unsigned long long)t->total, (unsigned long long)t->recorded,
			 json_string_value(json_object_get(v, "dev")) ?: "?",
			 json_string_value(json_object_get(task, "comm")) ?: "?",
			 (long long)json_integer_value(json_object_get(task, "pid")),
			 (long long)json_integer_value(json_object_get(task, "tid")));
		return;
	}
	fl_json_get_ino(json_object_get(v, "ino"), &ino);
	if (!json_is_null(json_object_get(pages, "last")))
		snprintf(last, sizeof(last), "%lld",
			 (long long)json_integer_value(json_object_get(pages, "last")));
	snprintf(buf, len, "%llu in all, %llu recorded; e.g. inode %s:%llu pages %lld..%s, task %s %lld/%lld",
		 (unsigned long long)t->total, (unsigned long long)t->recorded,
		 json_string_value(json_object_get(v, "dev")) ?: "?", (unsigned long long)ino,
		 (long long)json_integer_value(json_object_get(pages, "first")), last,
		 json_string_value(json_object_get(task, "comm")) ?: "?",
		 (long long)json_integer_value(json_object_get(task, "pid")),
		 (long long)json_integer_value(json_object_get(task, "tid")));
}

/* One invariant's test, with a subtest per violation title when it has any. */
static void invariant(FILE *f, const struct fl_gate_log *g, enum fl_inv j, int num)
{
	enum fl_inv_result r = fl_gate_inv_result(g, j);
	const char *why, *cov = fl_log_coverage(&g->log, j, &why);
	char name[256], line[1024];
	int nt = 0, k = 0;

	snprintf(name, sizeof(name), "%s %s", fl_inv_name(j), fl_inv_what(j));
	for (size_t i = 0; i < g->ntitles; i++)
		nt += fl_violation_inv(g->titles[i].kind) == j;
	if (nt) {
		fprintf(f, "    KTAP version 1\n    1..%d\n", nt);
		for (size_t i = 0; i < g->ntitles; i++) {
			const struct fl_title_group *t = &g->titles[i];

			if (fl_violation_inv(t->kind) != j)
				continue;
			where(t, line, sizeof(line));
			diag(f, 2, line);
			if (t->waiver) {
				snprintf(line, sizeof(line), "waived: %s", t->waiver->reason);
				result(f, 2, true, ++k, t->title, "XFAIL", line);
			} else {
				result(f, 2, false, ++k, t->title, NULL, NULL);
			}
		}
	}
	if (r == FL_INV_SKIP) {
		result(f, 1, true, num, name, "SKIP", why);
		return;
	}
	if (strcmp(cov, "checked")) {
		snprintf(line, sizeof(line), "%s: %s", cov, why);
		diag(f, 1, line);
	}
	result(f, 1, r == FL_INV_PASS, num, name, NULL, NULL);
}

int fl_ktap_write(const char *path, const struct fl_gate_log *logs, int n,
		  const struct fl_gate_opts *o, char *err, size_t errlen)
{
	struct fl_out out;
	FILE *f = fl_out_open(&out, path, err, errlen);

	if (!f)
		return -1;
	fprintf(f, "KTAP version 1\n1..%d\n", n);
	for (int i = 0; i < n; i++) {
		const struct fl_gate_log *g = &logs[i];
		const struct fl_log *log = &g->log;
		char line[1024];

		if (log->unreadable) {
			fl_log_error_line(log, line, sizeof(line));
			diag(f, 0, line);
			result(f, 0, false, i + 1, log->path, "ERROR", "unreadable log");
			continue;
		}
		fprintf(f, "  KTAP version 1\n  1..%d\n", 1 + FL_INV__COUNT);
		snprintf(line, sizeof(line), "kernel %s, %llu faults, %llu operations",
			 json_string_value(json_object_get(log->header, "kernel")) ?: "?",
			 (unsigned long long)log->counters[FL_CTR_FAULTS],
			 (unsigned long long)log->counters[FL_CTR_OPS]);
		diag(f, 1, line);
		if (log->dropped[0]) {
			snprintf(line, sizeof(line), "hooks dropped: %s", log->dropped);
			diag(f, 1, line);
		}
		if (fl_log_not_clean(log, o->accept)) {
			diag(f, 1, fl_log_not_clean(log, o->accept));
			result(f, 1, false, 1, "evidence complete", NULL, NULL);
		} else {
			result(f, 1, true, 1, "evidence complete", NULL, NULL);
		}
		for (int j = 0; j < FL_INV__COUNT; j++)
			invariant(f, g, j, j + 2);
		result(f, 0, g->code == FL_EXIT_OK, i + 1, log->path, NULL, NULL);
	}
	return fl_out_commit(&out, err, errlen);
}
