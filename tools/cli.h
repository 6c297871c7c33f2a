/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FAULTLINE_CLI_H
#define FAULTLINE_CLI_H

#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <bpf/libbpf.h>
#include "faultline/abi.h"

/* Exit codes, documented in faultline(8). */
enum {
	FL_EXIT_OK = 0,
	FL_EXIT_VIOLATIONS = 1,	/* gate: the logs hold violations */
	FL_EXIT_ERROR = 2,	/* usage, setup, unreadable or incomplete evidence */
};

extern const char *fl_prog;	/* "faultline" */
extern bool fl_json;		/* -j */
extern bool fl_verbose;		/* -v: libbpf's log on stderr */

/* libbpf print callback: silent unless -v. */
int fl_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap);

/* "faultline: <message>" on stderr, one line. */
void fl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int do_probe(int argc, char **argv);
int do_record(int argc, char **argv);
int do_trace(int argc, char **argv);
int do_gate(int argc, char **argv);
int do_report(int argc, char **argv);

/* Options every subcommand takes: -v, -j, --btf. Returns true if consumed. */
bool fl_common_option(int opt, const char *arg);
extern const char *fl_btf_path;

/* --mode auto|fentry|kprobe|tracepoint; auto is FL_MODE_NONE. 0 or -1 (reported). */
int fl_parse_mode(const char *arg, enum fl_mode *mode);

/* Mount tracefs at /sys/kernel/tracing if it is not (root only; quiet on failure). */
void fl_ensure_tracefs(void);

#define FL_COMMON_LONGOPTS \
	{ "verbose", no_argument, NULL, 'v' }, \
	{ "json", no_argument, NULL, 'j' }, \
	{ "btf", required_argument, NULL, 'B' }

#endif
