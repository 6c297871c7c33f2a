/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FAULTLINE_JUNIT_H
#define FAULTLINE_JUNIT_H

#include <stddef.h>
#include "log.h"

/*
 * Write @n logs' verdicts as JUnit XML to @path: a testsuite per log, a
 * testcase per invariant and one for the evidence (an error when it is
 * incomplete, or when the run checked nothing and not @allow_empty).
 * 0, or -1 with @err set. The guests' static build has no libxml2 and says
 * so (junit-none.c).
 */
int fl_junit_write(const char *path, struct fl_log *const *logs, int n, bool allow_empty,
		   char *err, size_t errlen);

#endif
