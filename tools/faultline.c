// SPDX-License-Identifier: GPL-2.0
/*
 * faultline: prove that DAX faults are serialized against truncation.
 * A table of subcommands, each a do_* function and its usage (bpftool style):
 * help, the unknown-command message and `faultline help COMMAND` come from it,
 * and as in bpftool any unambiguous prefix names a command (`faultline rep`).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "cli.h"

static int do_help(int argc, char **argv);

/* libbpf's messages: on stderr under -v, else none (the commands say what failed). */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	return fl_verbose ? vfprintf(stderr, fmt, ap) : 0;
}

static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	void (*usage)(FILE *f);
	const char *help;
} cmds[] = {
	{ "probe", do_probe, probe_usage,
	  "what this kernel allows: lock layout, hooks, invariants checked" },
	{ "record", do_record, record_usage,
	  "attach, run a workload or wait, write the violation log" },
	{ "trace", do_trace, trace_usage, "stream events and violations live" },
	{ "gate", do_gate, gate_usage,
	  "exit 0 clean, 1 violations, 2 incomplete, unreadable or nothing checked" },
	{ "report", do_report, report_usage, "summarize logs by inode, kind and stack" },
	{ "help", do_help, NULL, "this list, or a command's usage: help COMMAND" },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: %s [-v] [-j] [--btf FILE] COMMAND [ARGS]\n\ncommands:\n", fl_prog);
	for (size_t i = 0; i < NCMDS; i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].help);
	fprintf(f, "\n'%s help COMMAND' or '%s COMMAND --help' for a command's options;"
		" faultline(8) for the rest.\n", fl_prog, fl_prog);
}

/*
 * The command @name names: its whole name, or as bpftool takes them any
 * prefix that only one command has ("rep" is report). NULL when none does,
 * or when several do; then *@ambiguous is set and @list names them.
 */
static const struct cmd *find(const char *name, bool *ambiguous, char *list, size_t len)
{
	const struct cmd *hit = NULL;
	size_t n = strlen(name), used = 0, matches = 0;

	*ambiguous = false;
	list[0] = 0;
	if (!n)
		return NULL;
	for (size_t i = 0; i < NCMDS; i++) {
		if (!strcmp(name, cmds[i].name))
			return &cmds[i];
		if (strncmp(name, cmds[i].name, n))
			continue;
		matches++;
		hit = &cmds[i];
		if (used < len)
			used += snprintf(list + used, len - used, "%s%s", used ? ", " : "",
					 cmds[i].name);
	}
	if (matches > 1) {
		*ambiguous = true;
		return NULL;
	}
	return hit;
}

/* "probe, record, ..." from the table */
static void names(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	for (size_t i = 0; i < NCMDS && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? ", " : "", cmds[i].name);
}

static int do_help(int argc, char **argv)
{
	const struct cmd *c;
	char list[128];
	bool ambiguous;

	if (argc < 2) {
		usage(stdout);
		return FL_EXIT_OK;
	}
	c = find(argv[1], &ambiguous, list, sizeof(list));
	if (ambiguous) {
		fl_err("help: ambiguous command '%s' (could be: %s)", argv[1], list);
		return FL_EXIT_ERROR;
	}
	if (!c || !c->usage) {
		names(list, sizeof(list));
		fl_err("help: unknown command '%s' (commands: %s)", argv[1], list);
		return FL_EXIT_ERROR;
	}
	c->usage(stdout);
	return FL_EXIT_OK;
}

/*
 * What went to stdout must have got there: a write error is exit 2 whatever
 * the command said (an error beats 0 and 1), with one line. A stdout that was
 * closed and never written to is no error (as coreutils' close_stdout()).
 */
static int close_stdout(int code)
{
	int e = 0;

	errno = 0;
	if (fflush(stdout))
		e = errno ?: EIO;
	else if (ferror(stdout))
		e = EIO;
	if (fclose(stdout) && !e && errno != EBADF)
		e = errno ?: EIO;
	if (!e)
		return code;
	fl_err("writing standard output: %s", strerror(e));
	return FL_EXIT_ERROR;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "version", no_argument, NULL, 'V' },
		{}
	};
	static const struct fl_cmd_opts global = {
		.shortopts = "V", .longopts = opts, .usage = usage, .stop_at_operand = true,
	};
	const struct cmd *c;
	char list[128];
	bool ambiguous;
	int opt, code;

	libbpf_set_print(libbpf_print);
	/* global options stop at the command; each command parses its own */
	while ((opt = fl_next_opt(argc, argv, &global, &code)) != -1) {
		if (opt == FL_OPT_EXIT)
			return close_stdout(code);
		if (opt == 'V') {
			printf("faultline %s\n", FAULTLINE_VERSION);
			return close_stdout(FL_EXIT_OK);
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return FL_EXIT_ERROR;
	}
	argc -= optind;
	argv += optind;
	optind = 0;	/* let the command's getopt_long start afresh */
	c = find(argv[0], &ambiguous, list, sizeof(list));
	if (c) {
		argv[0] = (char *)c->name;	/* messages name the command, not the prefix */
		return close_stdout(c->fn(argc, argv));
	}
	if (ambiguous) {
		fl_err("ambiguous command '%s' (could be: %s)", argv[0], list);
		return FL_EXIT_ERROR;
	}
	names(list, sizeof(list));
	fl_err("unknown command '%s' (commands: %s)", argv[0], list);
	return FL_EXIT_ERROR;
}
