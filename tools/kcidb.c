// SPDX-License-Identifier: GPL-2.0
/*
 * gate --kcidb: the verdicts as KCIDB I/O JSON, schema v4 (the format
 * KernelCI's kcidb-submit ingests), so that results from many test machines
 * land in KernelCI's existing distributed service. One checkout and build
 * per kernel release; per log a test for the evidence and one per invariant
 * (path faultline.I1 ...), and one per violation title (path
 * faultline.I3.race ..., waived when a known issue); every title is an issue
 * (its report_subject the title, its id the title's hash, so that machines
 * agree on it) with an incident per test that shows it. No value is ever null.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "text.h"
#include "gate.h"
#include "names.h"
#include "outfile.h"

#define ORIGIN "faultline"
#define KCIDB_MINOR 5
#define EXCERPT_MAX 16384

static const char *status_of(enum fl_inv_result r)
{
	return r == FL_INV_FAIL ? "FAIL" : r == FL_INV_SKIP ? "SKIP" : "PASS";
}

static json_t *str(const char *s)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", s ?: "");
	fl_text_printable(buf);
	return json_string(buf);
}

/* A test of log @g: id ORIGIN:<run>.<suffix>, with what every test of the log shares. */
static json_t *test(const struct fl_gate_log *g, const char *build, const char *suffix,
		    const char *path, const char *status, const char *comment)
{
	const struct fl_log *log = &g->log;
	char id[128];
	json_t *t;

	snprintf(id, sizeof(id), ORIGIN ":%016llx.%s", fl_gate_run_id(g), suffix);
	t = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "id", id, "build_id", build,
		      "origin", ORIGIN, "path", path, "status", status, "comment", str(comment));
	if (json_is_string(json_object_get(log->header, "start_time")))
		json_object_set(t, "start_time", json_object_get(log->header, "start_time"));
	json_object_set_new(t, "duration", json_real(json_integer_value(
		json_object_get(log->trailer, "duration_ns")) / 1e9));
	json_object_set_new(t, "environment", json_pack("{s:o, s:{s:o, s:o}}",
			    "comment", str(json_string_value(json_object_get(log->header, "kernel"))),
			    "misc", "lock_layout", str(json_string_value(json_object_get(
				json_object_get(log->header, "plan"), "lock_layout"))),
			    "log", str(log->path)));
	return t;
}

static void add_log(json_t *tests, json_t *issues, json_t *incidents, const struct fl_gate_log *g,
		    const char *build, const struct fl_gate_opts *o)
{
	const struct fl_log *log = &g->log;
	char comment[1024], path[64], suffix[64], line[1024];
	json_t *t;

	if (log->unreadable) {
		fl_log_error_line(log, line, sizeof(line));
		t = test(g, build, "log", "faultline.log", "ERROR", line);
		json_array_append_new(tests, t);
		return;
	}
	if (fl_log_not_clean(log, o->accept))
		t = test(g, build, "evidence", "faultline.evidence", "ERROR",
			 fl_log_not_clean(log, o->accept));
	else
		t = test(g, build, "evidence", "faultline.evidence", "PASS", "evidence complete");
	if (log->dropped[0])
		json_object_set_new(t, "misc", json_pack("{s:o}", "dropped", str(log->dropped)));
	json_array_append_new(tests, t);

	for (int j = 0; j < FL_INV__COUNT; j++) {
		const char *why, *cov = fl_log_coverage(log, j, &why);

		snprintf(comment, sizeof(comment), "%s %s: %s", fl_inv_name(j), fl_inv_what(j), cov);
		snprintf(path, sizeof(path), "faultline.%s", fl_inv_name(j));
		t = test(g, build, fl_inv_name(j), path, status_of(fl_gate_inv_result(g, j)), comment);
		json_object_set_new(t, "misc", json_pack("{s:s, s:o}", "coverage", cov, "why", str(why)));
		json_array_append_new(tests, t);
	}
	for (size_t i = 0; i < g->ntitles; i++) {
		const struct fl_title_group *ti = &g->titles[i];
		unsigned long long h = fl_hash(ti->title);
		char issue[64], incident[128], *excerpt;

		snprintf(suffix, sizeof(suffix), "t%016llx", h);
		snprintf(path, sizeof(path), "faultline.%s.%s", fl_inv_name(fl_violation_inv(ti->kind)),
			 fl_violation_name(ti->kind));
		t = test(g, build, suffix, path, "FAIL", ti->title);
		json_object_set_new(t, "waived", json_boolean(ti->waiver != NULL));
		json_object_set_new(t, "misc", json_pack("{s:o, s:I, s:I}", "title", str(ti->title),
				    "total", (json_int_t)ti->total, "recorded", (json_int_t)ti->recorded));
		if (ti->waiver)
			json_object_set_new(json_object_get(t, "misc"), "waived_because",
					    str(ti->waiver->reason));
		excerpt = json_dumps(ti->example, JSON_COMPACT | JSON_ENSURE_ASCII);
		if (excerpt) {
			if (strlen(excerpt) > EXCERPT_MAX)
				excerpt[EXCERPT_MAX] = 0;
			json_object_set_new(t, "log_excerpt", json_string(excerpt));
			free(excerpt);
		}
		snprintf(incident, sizeof(incident), "%s", json_string_value(json_object_get(t, "id")));
		json_array_append_new(tests, t);

		/* the title as a KCIDB issue, the same id wherever it is seen */
		snprintf(issue, sizeof(issue), ORIGIN ":%016llx", h);
		if (!json_object_get(issues, issue))
			json_object_set_new(issues, issue, json_pack("{s:s, s:i, s:s, s:o, s:{s:b}, s:o}",
					    "id", issue, "version", 1, "origin", ORIGIN,
					    "report_subject", str(ti->title), "culprit", "code", 1,
					    "comment", str(fl_inv_what(fl_violation_inv(ti->kind)))));
		json_array_append_new(incidents, json_pack("{s:s+, s:s, s:s, s:i, s:s, s:b}",
				      "id", incident, ".issue", "origin", ORIGIN, "issue_id", issue,
				      "issue_version", 1, "test_id", incident, "present", 1));
	}
}

int fl_kcidb_write(const char *path, const struct fl_gate_log *logs, int n,
		   const struct fl_gate_opts *o, char *err, size_t errlen)
{
	json_t *checkouts = json_object(), *builds = json_object(), *tests = json_array();
	json_t *issues = json_object(), *incidents = json_array(), *doc, *list;
	const char *key;
	struct fl_out out;
	json_t *val;
	FILE *f;
	int ret;

	for (int i = 0; i < n; i++) {
		const struct fl_gate_log *g = &logs[i];
		const char *kernel = json_string_value(json_object_get(g->log.header, "kernel")) ?: "unknown";
		const char *arch = json_string_value(json_object_get(g->log.header, "arch")) ?: "";
		char checkout[300], build[400], a[32];

		/* KCIDB architectures are [a-z0-9_]* */
		snprintf(a, sizeof(a), "%s", arch);
		for (char *p = a; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
				*p = '_';
		snprintf(checkout, sizeof(checkout), ORIGIN ":%s", kernel);
		snprintf(build, sizeof(build), ORIGIN ":%s:%s", kernel, a);
		fl_text_printable(checkout);
		fl_text_printable(build);
		if (!json_object_get(checkouts, checkout))
			json_object_set_new(checkouts, checkout, json_pack("{s:s, s:s, s:o, s:b}",
					    "id", checkout, "origin", ORIGIN,
					    "comment", str(kernel), "valid", 1));
		if (!json_object_get(builds, build))
			json_object_set_new(builds, build, json_pack("{s:s, s:s, s:s, s:s, s:o, s:b}",
					    "id", build, "checkout_id", checkout, "origin", ORIGIN,
					    "architecture", a, "comment", str(kernel), "valid", 1));
		add_log(tests, issues, incidents, g, build, o);
	}
	doc = json_pack("{s:{s:i, s:i}}", "version", "major", 4, "minor", KCIDB_MINOR);
	list = json_array();
	json_object_foreach(checkouts, key, val)
		json_array_append(list, val);
	json_object_set_new(doc, "checkouts", list);
	list = json_array();
	json_object_foreach(builds, key, val)
		json_array_append(list, val);
	json_object_set_new(doc, "builds", list);
	json_object_set_new(doc, "tests", tests);
	list = json_array();
	json_object_foreach(issues, key, val)
		json_array_append(list, val);
	json_object_set_new(doc, "issues", list);
	json_object_set_new(doc, "incidents", incidents);
	json_decref(checkouts);
	json_decref(builds);
	json_decref(issues);
	f = fl_out_open(&out, path, err, errlen);
	if (!f) {
		json_decref(doc);
		return -1;
	}
	errno = 0;
	ret = json_dumpf(doc, f, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	json_decref(doc);
	if (fputc('\n', f) == EOF || ret) {
		snprintf(err, errlen, "write error: %s", strerror(errno ?: EIO));
		fl_out_abort(&out);
		return -1;
	}
	return fl_out_commit(&out, err, errlen);
}
