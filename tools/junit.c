// SPDX-License-Identifier: GPL-2.0
/*
 * gate --junit: the verdicts as JUnit XML, written with libxml2's xmlwriter.
 * A testsuite per log: a testcase for the evidence, one per invariant, and
 * one per violation title (a failure, or skipped when waived).
 */
#include <errno.h>
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gate.h"
#include "text.h"
#include "names.h"
#include "outfile.h"

/*
 * XML 1.0 has no place for most control characters, nor for bytes that are
 * not UTF-8: a value from a log (its kernel, a path) is made one printable
 * line first, '?' for anything else, or the file would not parse.
 */
static void attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	char *clean = strdup(value ?: "?");

	if (!clean)
		return;
	fl_text_printable(clean);
	xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST clean);
	free(clean);
}

/* <testcase classname name> with one <failure|error|skipped message type>, or none */
static void testcase(xmlTextWriterPtr w, const char *cls, const char *name, const char *what,
		     const char *msg, const char *type)
{
	char clean[1024];

	xmlTextWriterStartElement(w, BAD_CAST "testcase");
	attr(w, "classname", cls);
	attr(w, "name", name);
	if (what) {
		snprintf(clean, sizeof(clean), "%s", msg);
		fl_text_printable(clean);	/* a cut may split a character */
		xmlTextWriterStartElement(w, BAD_CAST what);
		attr(w, "message", clean);
		if (type)
			attr(w, "type", type);
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
}

static void suite(xmlTextWriterPtr w, const struct fl_gate_log *g, const struct fl_gate_opts *o)
{
	const struct fl_log *log = &g->log;
	char msg[1024], name[256], cls[64];

	xmlTextWriterStartElement(w, BAD_CAST "testsuite");
	attr(w, "name", log->path);
	if (log->unreadable) {
		fl_log_error_line(log, msg, sizeof(msg));
		testcase(w, "faultline.gate", "log readable", "error", msg, NULL);
		xmlTextWriterEndElement(w);
		return;
	}
	xmlTextWriterStartElement(w, BAD_CAST "properties");
	xmlTextWriterStartElement(w, BAD_CAST "property");
	attr(w, "name", "kernel");
	attr(w, "value", json_string_value(json_object_get(log->header, "kernel")) ?: "?");
	xmlTextWriterEndElement(w);
	xmlTextWriterEndElement(w);

	if (fl_log_not_clean(log, o->accept))
		testcase(w, "faultline.gate", "evidence complete", "error",
			 fl_log_not_clean(log, o->accept), NULL);
	else
		testcase(w, "faultline.gate", "evidence complete", NULL, NULL, NULL);

	for (int j = 0; j < FL_INV__COUNT; j++) {
		enum fl_inv_result r = fl_gate_inv_result(g, j);
		const char *why, *cov = fl_log_coverage(log, j, &why);

		snprintf(name, sizeof(name), "%s %s", fl_inv_name(j), fl_inv_what(j));
		if (r == FL_INV_FAIL) {
			uint64_t nv = 0;
			const char *kind = "?";

			for (int k = 0; k < FL_VIO__COUNT; k++)
				if (fl_violation_inv(k) == (enum fl_inv)j && log->vio_total[k]) {
					nv += log->vio_total[k];
					kind = fl_violation_name(k);
				}
			snprintf(msg, sizeof(msg), "%llu %s violation(s)", (unsigned long long)nv, kind);
			testcase(w, "faultline.gate", name, "failure", msg, kind);
		} else if (strcmp(cov, "checked")) {
			snprintf(msg, sizeof(msg), "%s: %s", cov, why);
			testcase(w, "faultline.gate", name, "skipped", msg, NULL);
		} else {
			testcase(w, "faultline.gate", name, NULL, NULL, NULL);
		}
	}
	/* every violation title is a test case of its own: the same name on every machine */
	for (size_t i = 0; i < g->ntitles; i++) {
		const struct fl_title_group *t = &g->titles[i];

		snprintf(cls, sizeof(cls), "faultline.%s", fl_violation_name(t->kind));
		if (t->waiver) {
			snprintf(msg, sizeof(msg), "waived: %s (%llu)", t->waiver->reason,
				 (unsigned long long)t->total);
			testcase(w, cls, t->title, "skipped", msg, NULL);
		} else {
			snprintf(msg, sizeof(msg), "%llu violation(s), %llu recorded",
				 (unsigned long long)t->total, (unsigned long long)t->recorded);
			testcase(w, cls, t->title, "failure", msg, fl_violation_name(t->kind));
		}
	}
	xmlTextWriterEndElement(w);
}

int fl_junit_write(const char *path, const struct fl_gate_log *logs, int n,
		   const struct fl_gate_opts *o, char *err, size_t errlen)
{
	int tests = 0, failures = 0, errors = 0;
	struct fl_out out;
	xmlTextWriterPtr w;
	xmlBufferPtr buf;
	char num[32];
	size_t size;
	bool ok;

	/* made in memory, then written in one go: a write error keeps its errno */
	buf = xmlBufferCreate();
	w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	if (!w) {
		xmlBufferFree(buf);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const struct fl_gate_log *g = &logs[i];

		if (g->log.unreadable) {
			tests++;
			errors++;
			continue;
		}
		tests += 1 + FL_INV__COUNT + (int)g->ntitles;
		errors += fl_log_not_clean(&g->log, o->accept) != NULL;
		for (int j = 0; j < FL_INV__COUNT; j++)
			failures += fl_gate_inv_result(g, j) == FL_INV_FAIL;
		for (size_t t = 0; t < g->ntitles; t++)
			failures += !g->titles[t].waiver;
	}
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	xmlTextWriterStartElement(w, BAD_CAST "testsuites");
	attr(w, "name", "faultline");
	snprintf(num, sizeof(num), "%d", tests);
	attr(w, "tests", num);
	snprintf(num, sizeof(num), "%d", failures);
	attr(w, "failures", num);
	snprintf(num, sizeof(num), "%d", errors);
	attr(w, "errors", num);
	for (int i = 0; i < n; i++)
		suite(w, &logs[i], o);
	xmlTextWriterEndElement(w);
	ok = xmlTextWriterEndDocument(w) >= 0;
	xmlFreeTextWriter(w);	/* flushes into @buf */
	if (!ok) {
		snprintf(err, errlen, "cannot make the XML");
		xmlBufferFree(buf);
		return -1;
	}
	if (!fl_out_open(&out, path, err, errlen)) {
		xmlBufferFree(buf);
		return -1;
	}
	size = xmlBufferLength(buf);
	errno = 0;
	if (fwrite(xmlBufferContent(buf), 1, size, out.f) != size) {
		snprintf(err, errlen, "write error: %s", strerror(errno ?: EIO));
		xmlBufferFree(buf);
		fl_out_abort(&out);
		return -1;
	}
	xmlBufferFree(buf);
	return fl_out_commit(&out, err, errlen);
}
