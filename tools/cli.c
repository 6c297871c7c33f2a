// SPDX-License-Identifier: GPL-2.0
/* What every subcommand shares: globals, errors, common options. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <unistd.h>
#include "cli.h"
#include "hooks.h"

const char *fl_prog = "faultline";
bool fl_json;
bool fl_verbose;
const char *fl_btf_path;

int fl_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return fl_verbose ? vfprintf(stderr, fmt, ap) : 0;
}

void fl_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", fl_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool fl_common_option(int opt, const char *arg)
{
	switch (opt) {
	case 'v':
		fl_verbose = true;
		return true;
	case 'j':
		fl_json = true;
		return true;
	case 'B':
		fl_btf_path = arg;
		return true;
	default:
		return false;
	}
}

void fl_ensure_tracefs(void)
{
	if (getenv("FAULTLINE_TRACEFS") || !access("/sys/kernel/tracing/events", F_OK))
		return;
	if (geteuid() == 0)
		mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL);
}

