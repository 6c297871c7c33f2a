// SPDX-License-Identifier: GPL-2.0
/* gate --junit: the verdicts as JUnit XML, written with libxml2's xmlwriter. */
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <string.h>
#include "hooks.h"
#include "junit.h"
#include "names.h"

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

/* JUnit XML: a testsuite per log, a testcase per invariant plus one for the evidence. */
int fl_junit_write(const char *path, struct fl_log *const *logs, int n, char *err, size_t errlen)
{
	xmlTextWriterPtr w = xmlNewTextWriterFilename(path, 0);
	int tests = 0, failures = 0, errors = 0;
	char num[32];

	if (!w) {
		snprintf(err, errlen, "cannot create it");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		tests += logs[i]->unreadable ? 1 : FL_INV__COUNT + 1;
		errors += logs[i]->unreadable || logs[i]->incomplete;
		for (int k = 0; k < FL_VIO__COUNT && !logs[i]->unreadable; k++)
			failures += logs[i]->vio_total[k] != 0;
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
		const struct fl_log *log = logs[i];
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
			const char *why, *cov = fl_log_coverage(log, inv_kinds[j].inv, &why);
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
				fl_text_printable(msg);	/* the cut may split a character */
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
		snprintf(err, errlen, "write error");
		xmlFreeTextWriter(w);
		return -1;
	}
	xmlFreeTextWriter(w);
	return 0;
}

