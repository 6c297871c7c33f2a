// SPDX-License-Identifier: GPL-2.0
/*
 * faultline gate: the CI verdict on one or more violation logs.
 *   0  every log is complete, holds no violation, and checked something
 *   1  some log holds a violation (and every log is readable)
 *   2  some log is unreadable, incomplete without a violation to show, or
 *      checked nothing at all (no DAX fault or teardown observed, or every
 *      lock read unknown) and --allow-empty was not given
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "hooks.h"
#include "log.h"
#include "junit.h"
#include "names.h"

struct verdict {
	struct fl_log log;
	int code;
};

static size_t inodes_with_violations(const struct fl_log *log)
{
	json_t *keys = json_object_get(log->trailer, "violation_keys"), *k;
	json_t *seen = json_object();	/* a set of "dev:ino" */
	size_t i, n;

	json_array_foreach(keys, i, k) {
		char id[48];

		uint64_t ino = 0;

		fl_json_get_ino(json_object_get(k, "ino"), &ino);
		snprintf(id, sizeof(id), "%s:%llu", json_string_value(json_object_get(k, "dev")) ?: "",
			 (unsigned long long)ino);
		json_object_set_new(seen, id, json_true());
	}
	n = json_object_size(seen);
	json_decref(seen);
	return n;
}

static void print_summary(const struct verdict *v)
{
	const struct fl_log *log = &v->log;
	char line[1024];

	if (log->unreadable) {
		fl_log_error_line(log, line, sizeof(line));
		fprintf(stderr, "%s: %s\n", fl_prog, line);
		return;
	}
	if (v->code == FL_EXIT_VIOLATIONS) {
		printf("%s: VIOLATIONS: %llu (", log->path, (unsigned long long)log->vio_all);
		for (int k = 0, first = 1; k < FL_VIO__COUNT; k++) {
			if (!log->vio_total[k])
				continue;
			printf("%s%s %llu", first ? "" : ", ", fl_violation_name(k),
			       (unsigned long long)log->vio_total[k]);
			first = 0;
		}
		printf(") on %zu inode(s)%s%s\n", inodes_with_violations(log),
		       log->incomplete ? "; evidence also incomplete: " : "",
		       log->incomplete ? log->incomplete_reason : "");
	} else if (log->incomplete) {
		printf("%s: INCOMPLETE: %s\n", log->path, log->incomplete_reason);
	} else if (log->checked_nothing) {
		printf("%s: %s: %s%s\n", log->path, v->code ? "NOTHING CHECKED" :
		       "empty, accepted (--allow-empty)", log->nothing_reason,
		       v->code ? " (--allow-empty accepts a run that checked nothing)" : "");
	} else {
		printf("%s: clean: %llu faults, %llu operations, 0 violations, evidence complete (",
		       log->path, (unsigned long long)log->counters[FL_CTR_FAULTS],
		       (unsigned long long)log->counters[FL_CTR_OPS]);
		for (int i = 0; i < FL_INV__COUNT; i++)
			printf("%s%s %s", i ? ", " : "", fl_inv_name(i), fl_coverage_name(log->cov[i]));
		printf(")\n");
		/* what was not checked in full, and why */
		for (int i = 0; i < FL_INV__COUNT; i++)
			if (log->cov[i] != FL_COV_CHECKED)
				printf("  %s %s: %s\n", fl_inv_name(i), fl_coverage_name(log->cov[i]),
				       log->cov_why[i]);
	}
	if (!log->unreadable && log->dropped[0])
		printf("  hooks dropped: %s\n", log->dropped);
}

static json_t *summary_json(const struct verdict *v)
{
	const struct fl_log *log = &v->log;
	char line[1024], path[PATH_MAX];
	json_t *o;

	/* a path is any bytes; JSON strings are UTF-8 */
	snprintf(path, sizeof(path), "%s", log->path);
	fl_text_printable(path);
	o = json_pack("{s:s, s:i}", "file", path, "exit", v->code);

	if (log->unreadable) {
		fl_log_error_line(log, line, sizeof(line));
		json_object_set_new(o, "error", json_string(line));
		return o;
	}
	json_object_set(o, "violations", json_object_get(log->trailer, "violations"));
	json_object_set_new(o, "complete", json_boolean(!log->incomplete));
	if (log->incomplete)
		json_object_set_new(o, "incomplete", json_string(log->incomplete_reason));
	json_object_set_new(o, "faults", json_integer(log->counters[FL_CTR_FAULTS]));
	json_object_set_new(o, "operations", json_integer(log->counters[FL_CTR_OPS]));
	json_object_set_new(o, "invariants", fl_log_invariants_json(log));
	json_object_set_new(o, "checked_nothing", json_boolean(log->checked_nothing));
	if (log->checked_nothing)
		json_object_set_new(o, "nothing_checked", json_string(log->nothing_reason));
	if (log->dropped[0])
		json_object_set_new(o, "dropped", json_string(log->dropped));
	return o;
}

void gate_usage(FILE *f)
{
	fprintf(f, "usage: %s gate [-j] [--junit OUT] [--allow-empty] FILE...\n"
		"exit: 0 clean, 1 violations, 2 incomplete or unreadable evidence, or nothing checked\n",
		fl_prog);
}

int do_gate(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "junit", required_argument, NULL, 'J' },
		{ "allow-empty", no_argument, NULL, 'E' },
		{}
	};
	static const struct fl_cmd_opts opts = { .longopts = longopts, .usage = gate_usage };
	const char *junit = NULL;
	bool allow_empty = false;
	struct verdict *vs;
	int opt, n, code, worst = FL_EXIT_OK;
	bool unreadable = false;
	json_t *all = NULL;

	while ((opt = fl_next_opt(argc, argv, &opts, &code)) != -1) {
		switch (opt) {
		case FL_OPT_EXIT:
			return code;
		case 'J':
			junit = optarg;
			break;
		case 'E':
			allow_empty = true;
			break;
		}
	}
	n = argc - optind;
	if (n <= 0) {
		fl_err("gate: no log given");
		gate_usage(stderr);
		return FL_EXIT_ERROR;
	}
	vs = calloc(n, sizeof(*vs));
	if (!vs) {
		fl_err("out of memory");
		return FL_EXIT_ERROR;
	}
	if (fl_json)
		all = json_array();
	for (int i = 0; i < n; i++) {
		fl_log_read(argv[optind + i], &vs[i].log);
		vs[i].code = fl_log_verdict(&vs[i].log, allow_empty);
		unreadable |= vs[i].log.unreadable;
		if (vs[i].code > worst)
			worst = vs[i].code;
		if (fl_json)
			json_array_append_new(all, summary_json(&vs[i]));
		else
			print_summary(&vs[i]);
	}
	/* a log we cannot read might hide anything: that outranks violations elsewhere */
	if (unreadable)
		worst = FL_EXIT_ERROR;
	else if (worst == FL_EXIT_ERROR)
		for (int i = 0; i < n; i++)
			if (vs[i].code == FL_EXIT_VIOLATIONS)
				worst = FL_EXIT_VIOLATIONS;
	if (fl_json) {
		json_t *o = json_pack("{s:i, s:o}", "exit", worst, "logs", all);

		json_dumpf(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
	}
	if (junit) {
		struct fl_log *logs[n];
		char err[256];

		for (int i = 0; i < n; i++)
			logs[i] = &vs[i].log;
		if (fl_junit_write(junit, logs, n, allow_empty, err, sizeof(err))) {
			fl_err("--junit %s: %s", junit, err);
			worst = FL_EXIT_ERROR;
		}
	}
	for (int i = 0; i < n; i++)
		fl_log_free(&vs[i].log);
	free(vs);
	return worst;
}
