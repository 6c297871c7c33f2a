/* SPDX-License-Identifier: GPL-2.0 */
/* What every subcommand shares: exit codes, messages, the common options. */
#ifndef FAULTLINE_CLI_H
#define FAULTLINE_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include "faultline/abi.h"

/* Exit codes, documented in faultline(8). */
enum {
	FL_EXIT_OK = 0,
	FL_EXIT_VIOLATIONS = 1,	/* gate: the logs hold violations */
	FL_EXIT_ERROR = 2,	/* usage, setup, unreadable or incomplete evidence, nothing checked */
};

extern const char *fl_prog;	/* "faultline" */
extern bool fl_json;		/* -j */
extern bool fl_verbose;		/* -v: libbpf's log on stderr */
extern const char *fl_btf_path;	/* --btf FILE */

/*
 * Messages, one line each on stderr: "faultline: <message>". Under -j errors
 * and warnings are one JSON object each instead ({"error": "..."},
 * {"warning": "..."}), so that stdout stays the command's data; info is
 * left out under -j (as bpftool's p_err() and p_info() do).
 */
void fl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fl_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fl_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The subcommands (a table in faultline.c): each a do_* and its usage. */
int do_probe(int argc, char **argv);
int do_record(int argc, char **argv);
int do_trace(int argc, char **argv);
int do_gate(int argc, char **argv);
int do_report(int argc, char **argv);
void probe_usage(FILE *f);
void record_usage(FILE *f);
void trace_usage(FILE *f);
void gate_usage(FILE *f);
void report_usage(FILE *f);

/* A subcommand's options, beside the common ones (-v, -j, --btf, -h). */
struct fl_cmd_opts {
	const char *shortopts;		/* without v, j, h */
	const struct option *longopts;	/* without the common ones; NULL-terminated */
	void (*usage)(FILE *f);
	bool stop_at_operand;		/* '+': options end at the first operand (a workload) */
};

#define FL_OPT_EXIT	(-2)

/*
 * getopt_long() over @o and the common options, which are consumed here.
 * Returns the next of @o's options, -1 after the last, or FL_OPT_EXIT with
 * *@code set: 0 after --help (usage on stdout), 2 after an unknown option or
 * a missing argument (usage on stderr).
 */
int fl_next_opt(int argc, char **argv, const struct fl_cmd_opts *o, int *code);

/* --mode auto|fentry|kprobe|tracepoint; auto is FL_MODE_NONE. 0 or -1 (reported). */
int fl_parse_mode(const char *arg, enum fl_mode *mode);

/* An unsigned 32-bit number for option @opt. 0 or -1 (reported). */
int fl_parse_u32(const char *opt, const char *arg, uint32_t *out);

/* Mount tracefs at /sys/kernel/tracing if it is not (root only; quiet on failure). */
void fl_ensure_tracefs(void);

#endif
