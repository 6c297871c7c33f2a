// SPDX-License-Identifier: GPL-2.0
/*
 * faultline gate: the CI verdict on one or more violation logs.
 *   0  every log is complete and holds no violation
 *   1  some log holds a violation (and every log is readable)
 *   2  some log is unreadable, or incomplete without a violation to show
 */
#include <getopt.h>
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "hooks.h"
#include "log.h"
#include "names.h"

struct verdict {
	struct fl_log log;
	int readable;
	int code;
};

static const struct {
	enum fl_inv inv;
	enum fl_violation_kind kind;
	const char *what;
} inv_kinds[FL_INV__COUNT] = {
	{ FL_I1, FL_VIO_UNSERIALIZED_FAULT, "every DAX fault holds the fault lock" },
	{ FL_I2, FL_VIO_UNSERIALIZED_TRUNCATE, "every teardown holds the fault lock exclusive" },
	{ FL_I3, FL_VIO_RACE, "no fault overlaps a teardown of its pages" },
	{ FL_I4, FL_VIO_UNSERIALIZED_RECLAIM, "DAX range reclaim holds the fault lock exclusive" },
};

/* What the header says of an invariant's coverage ("checked", ...), or "?" */
static const char *coverage(const struct fl_log *log, enum fl_inv inv, const char **why)
{
	json_t *i = json_object_get(json_object_get(json_object_get(log->header, "plan"),
						    "invariants"), fl_inv_name(inv));

	*why = json_string_value(json_object_get(i, "why")) ?: "";
	return json_string_value(json_object_get(i, "status")) ?: "?";
}

static size_t inodes_with_violations(const struct fl_log *log)
{
	json_t *keys = json_object_get(log->trailer, "violation_keys"), *k;
	char seen[64][48];
	size_t n = 0, i;

	json_array_foreach(keys, i, k) {
		char id[48];
		size_t j;

		snprintf(id, sizeof(id), "%s:%lld", json_string_value(json_object_get(k, "dev")) ?: "",
			 (long long)json_integer_value(json_object_get(k, "ino")));
		for (j = 0; j < n && j < 64; j++)
			if (!strcmp(seen[j], id))
				break;
		if (j == n && n < 64)
			snprintf(seen[n++], sizeof(seen[0]), "%s", id);
	}
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
	} else if (v->code == FL_EXIT_ERROR) {
		printf("%s: INCOMPLETE: %s\n", log->path, log->incomplete_reason);
	} else {
		printf("%s: clean: %llu faults, %llu operations, 0 violations, evidence complete (",
		       log->path, (unsigned long long)log->counters[FL_CTR_FAULTS],
		       (unsigned long long)log->counters[FL_CTR_OPS]);
		for (int i = 0; i < FL_INV__COUNT; i++) {
			const char *why;

			printf("%s%s %s", i ? ", " : "", fl_inv_name(i), coverage(log, i, &why));
		}
		printf(")\n");
	}
}

static json_t *summary_json(const struct verdict *v)
{
	const struct fl_log *log = &v->log;
	char line[1024];
	json_t *o = json_pack("{s:s, s:i}", "file", log->path, "exit", v->code);

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
	return o;
}

/* JUnit XML: a testsuite per log, a testcase per invariant plus one for the evidence. */
static int write_junit(const char *path, struct verdict *vs, int n)
{
	xmlTextWriterPtr w = xmlNewTextWriterFilename(path, 0);
	int tests = 0, failures = 0, errors = 0;
	char num[32];

	if (!w)
		return -1;
	for (int i = 0; i < n; i++) {
		tests += vs[i].log.unreadable ? 1 : FL_INV__COUNT + 1;
		errors += vs[i].log.unreadable || vs[i].log.incomplete;
		for (int k = 0; k < FL_VIO__COUNT && !vs[i].log.unreadable; k++)
			failures += vs[i].log.vio_total[k] != 0;
	}
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	xmlTextWriterStartElement(w, BAD_CAST "testsuites");
	xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "faultline");
	snprintf(num, sizeof(num), "%d", tests);
	xmlTextWriterWriteAttribute(w, BAD_CAST "tests", BAD_CAST num);
	snprintf(num, sizeof(num), "%d", failures);
	xmlTextWriterWriteAttribute(w, BAD_CAST "failures", BAD_CAST num);
	snprintf(num, sizeof(num), "%d", errors);
	xmlTextWriterWriteAttribute(w, BAD_CAST "errors", BAD_CAST num);

	for (int i = 0; i < n; i++) {
		const struct fl_log *log = &vs[i].log;
		char msg[1024];

		xmlTextWriterStartElement(w, BAD_CAST "testsuite");
		xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST log->path);
		if (log->unreadable) {
			fl_log_error_line(log, msg, sizeof(msg));
			xmlTextWriterStartElement(w, BAD_CAST "testcase");
			xmlTextWriterWriteAttribute(w, BAD_CAST "classname", BAD_CAST "faultline.gate");
			xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "log readable");
			xmlTextWriterStartElement(w, BAD_CAST "error");
			xmlTextWriterWriteAttribute(w, BAD_CAST "message", BAD_CAST msg);
			xmlTextWriterEndElement(w);
			xmlTextWriterEndElement(w);
			xmlTextWriterEndElement(w);
			continue;
		}
		xmlTextWriterStartElement(w, BAD_CAST "properties");
		xmlTextWriterStartElement(w, BAD_CAST "property");
		xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "kernel");
		xmlTextWriterWriteAttribute(w, BAD_CAST "value",
			BAD_CAST(json_string_value(json_object_get(log->header, "kernel")) ?: "?"));
		xmlTextWriterEndElement(w);
		xmlTextWriterEndElement(w);

		xmlTextWriterStartElement(w, BAD_CAST "testcase");
		xmlTextWriterWriteAttribute(w, BAD_CAST "classname", BAD_CAST "faultline.gate");
		xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "evidence complete");
		if (log->incomplete) {
			xmlTextWriterStartElement(w, BAD_CAST "error");
			xmlTextWriterWriteAttribute(w, BAD_CAST "message",
						    BAD_CAST log->incomplete_reason);
			xmlTextWriterEndElement(w);
		}
		xmlTextWriterEndElement(w);

		for (int j = 0; j < FL_INV__COUNT; j++) {
			uint64_t nv = log->vio_total[inv_kinds[j].kind];
			const char *why, *cov = coverage(log, inv_kinds[j].inv, &why);
			char name[160];

			snprintf(name, sizeof(name), "%s %s", fl_inv_name(inv_kinds[j].inv),
				 inv_kinds[j].what);
			xmlTextWriterStartElement(w, BAD_CAST "testcase");
			xmlTextWriterWriteAttribute(w, BAD_CAST "classname", BAD_CAST "faultline.gate");
			xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST name);
			if (nv) {
				snprintf(msg, sizeof(msg), "%llu %s violation(s)",
					 (unsigned long long)nv, fl_violation_name(inv_kinds[j].kind));
				xmlTextWriterStartElement(w, BAD_CAST "failure");
				xmlTextWriterWriteAttribute(w, BAD_CAST "message", BAD_CAST msg);
				xmlTextWriterWriteAttribute(w, BAD_CAST "type",
					BAD_CAST fl_violation_name(inv_kinds[j].kind));
				xmlTextWriterEndElement(w);
			} else if (strcmp(cov, "checked")) {
				snprintf(msg, sizeof(msg), "%s: %s", cov, why);
				xmlTextWriterStartElement(w, BAD_CAST "skipped");
				xmlTextWriterWriteAttribute(w, BAD_CAST "message", BAD_CAST msg);
				xmlTextWriterEndElement(w);
			}
			xmlTextWriterEndElement(w);
		}
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
	if (xmlTextWriterEndDocument(w) < 0) {
		xmlFreeTextWriter(w);
		return -1;
	}
	xmlFreeTextWriter(w);
	return 0;
}

static void gate_usage(FILE *f)
{
	fprintf(f, "usage: %s gate [-j] [--junit OUT] FILE...\n"
		"exit: 0 clean, 1 violations, 2 incomplete or unreadable evidence\n", fl_prog);
}

int do_gate(int argc, char **argv)
{
	static const struct option opts[] = {
		FL_COMMON_LONGOPTS,
		{ "junit", required_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *junit = NULL;
	struct verdict *vs;
	int opt, n, worst = FL_EXIT_OK;
	bool unreadable = false;
	json_t *all = NULL;

	while ((opt = getopt_long(argc, argv, "vjh", opts, NULL)) != -1) {
		if (fl_common_option(opt, optarg))
			continue;
		switch (opt) {
		case 'J':
			junit = optarg;
			break;
		case 'h':
			gate_usage(stdout);
			return FL_EXIT_OK;
		default:
			gate_usage(stderr);
			return FL_EXIT_ERROR;
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
		vs[i].code = fl_log_verdict(&vs[i].log);
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
	if (junit && write_junit(junit, vs, n)) {
		fl_err("--junit %s: cannot write the report", junit);
		worst = FL_EXIT_ERROR;
	}
	for (int i = 0; i < n; i++)
		fl_log_free(&vs[i].log);
	free(vs);
	return worst;
}
