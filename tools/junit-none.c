// SPDX-License-Identifier: GPL-2.0
/*
 * The static guest build of faultline links this instead of junit.c: libxml2
 * would bring 30 MB of ICU data into every test guest, where logs are only
 * recorded; gate --junit runs on the host that reads them (--ktap and --kcidb
 * need no library and are in every build).
 */
#include <stdio.h>
#include "gate.h"

int fl_junit_write(const char *path, const struct fl_gate_log *logs, int n,
		   const struct fl_gate_opts *o, char *err, size_t errlen)
{
	snprintf(err, errlen, "this faultline is a static guest build without JUnit support");
	return -1;
}
