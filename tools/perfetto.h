/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report --perfetto FILE: logs as one Chrome trace event JSON file for
 * ui.perfetto.dev and chrome://tracing (faultline(8), PERFETTO): a thread
 * track per task (comm/tid) under its process, processes grouped by log;
 * with an --events log every DAX fault and operation a complete slice; every
 * violation each side's interval as a slice, an instant titled as the
 * violation on both tasks' tracks, and a flow arrow from one side to the
 * other; microseconds from each log's start; the headers in otherData.
 */
#ifndef FAULTLINE_PERFETTO_H
#define FAULTLINE_PERFETTO_H

#include <stdio.h>
#include "log.h"

/* Write the trace of @n readable, verified logs to @out: 0, or -1 with @err. */
int fl_perfetto_write(FILE *out, const struct fl_log *logs, size_t n, char *err, size_t len);

#endif
