// SPDX-License-Identifier: GPL-2.0
/* gate --junit: the verdicts as JUnit XML, written with libxml2's xmlwriter. */
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <string.h>
#include "hooks.h"
#include "junit.h"
#include "names.h"

/* JUnit XML: a testsuite per log, a testcase per invariant plus one for the evidence. */
int fl_junit_write(const char *path, struct fl_log *const *logs, int n, bool allow_empty,
		   char *err, size_t errlen)
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
		errors += logs[i]->unreadable || logs[i]->incomplete ||
			  (logs[i]->checked_nothing && !allow_empty);
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
		if (log->incomplete || (log->checked_nothing && !allow_empty)) {
			xmlTextWriterStartElement(w, BAD_CAST "error");
			xmlTextWriterWriteAttribute(w, BAD_CAST "message", BAD_CAST
				(log->incomplete ? log->incomplete_reason : log->nothing_reason));
			xmlTextWriterEndElement(w);
		}
		xmlTextWriterEndElement(w);

		for (int j = 0; j < FL_INV__COUNT; j++) {
			uint64_t nv = 0;
			const char *why, *cov = fl_log_coverage(log, j, &why);
			const char *kinds[FL_VIO__COUNT];
			char name[160];
			int nk = 0;

			for (int k = 0; k < FL_VIO__COUNT; k++) {
				if (fl_violation_inv(k) != (enum fl_inv)j || !log->vio_total[k])
					continue;
				nv += log->vio_total[k];
				kinds[nk++] = fl_violation_name(k);
			}
			snprintf(name, sizeof(name), "%s %s", fl_inv_name(j), fl_inv_what(j));
			xmlTextWriterStartElement(w, BAD_CAST "testcase");
			xmlTextWriterWriteAttribute(w, BAD_CAST "classname", BAD_CAST "faultline.gate");
			xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST name);
			if (nv) {
				snprintf(msg, sizeof(msg), "%llu %s violation(s)",
					 (unsigned long long)nv, kinds[0]);
				xmlTextWriterStartElement(w, BAD_CAST "failure");
				xmlTextWriterWriteAttribute(w, BAD_CAST "message", BAD_CAST msg);
				xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST kinds[0]);
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

