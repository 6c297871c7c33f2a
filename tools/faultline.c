// SPDX-License-Identifier: GPL-2.0
/*
 * faultline: prove that DAX faults are serialized against truncation.
 * A table of subcommands, each a do_* function (bpftool style).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "hooks.h"

static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} cmds[] = {
	{ "probe", do_probe, "what this kernel allows: lock layout, hooks, invariants checked" },
	{ "record", do_record, "attach, run a workload or wait, write the violation log" },
	{ "trace", do_trace, "stream events and violations live" },
	{ "gate", do_gate, "exit 0 clean, 1 violations, 2 incomplete or unreadable evidence" },
	{ "report", do_report, "summarize logs by inode, kind and stack" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: %s [-v] [-j] [--btf FILE] COMMAND [ARGS]\n\ncommands:\n", fl_prog);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].help);
	fprintf(f, "\n'%s COMMAND --help' for a command's options; faultline(8) for the rest.\n",
		fl_prog);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		FL_COMMON_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{}
	};
	int opt;

	libbpf_set_print(fl_libbpf_print);
	/* '+': global options stop at the command; each command parses its own */
	while ((opt = getopt_long(argc, argv, "+vjhV", opts, NULL)) != -1) {
		if (fl_common_option(opt, optarg))
			continue;
		switch (opt) {
		case 'h':
			usage(stdout);
			return FL_EXIT_OK;
		case 'V':
			printf("faultline %s\n", FAULTLINE_VERSION);
			return FL_EXIT_OK;
		default:
			usage(stderr);
			return FL_EXIT_ERROR;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return FL_EXIT_ERROR;
	}
	argc -= optind;
	argv += optind;
	optind = 0;	/* let the command's getopt_long start afresh */
	for (size_t c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++)
		if (!strcmp(argv[0], cmds[c].name))
			return cmds[c].fn(argc, argv);
	fl_err("unknown command '%s' (commands: probe, record, trace, gate, report)", argv[0]);
	return FL_EXIT_ERROR;
}
