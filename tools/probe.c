// SPDX-License-Identifier: GPL-2.0
/* faultline probe: what this kernel allows, and so what faultline can check. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "cli.h"
#include "hooks.h"
#include "log.h"
#include "names.h"

static void probe_usage(FILE *f)
{
	fprintf(f, "usage: %s probe [-j] [-v] [--btf FILE] [--mode auto|fentry|kprobe|tracepoint]\n"
		"                       [--fault-names]\n", fl_prog);
}

/* Shared by probe, record and trace: --mode's argument. */
int fl_parse_mode(const char *arg, enum fl_mode *mode)
{
	if (!strcmp(arg, "auto")) {
		*mode = FL_MODE_NONE;
		return 0;
	}
	if (!strcmp(arg, "fentry") || !strcmp(arg, "kprobe") || !strcmp(arg, "tracepoint")) {
		*mode = fl_mode_from_name(arg);
		return 0;
	}
	fl_err("--mode '%s': expected auto, fentry, kprobe or tracepoint", arg);
	return -1;
}

static void print_human(const struct fl_plan *plan, const struct fl_kbtf *k, const char *release,
			const char *machine)
{
	printf("kernel       %s (%s)\n", release, machine);
	printf("BTF          %s%s%s\n", k->vmlinux ? "/sys/kernel/btf/vmlinux" : "none",
	       k->fuse ? ", /sys/kernel/btf/fuse" : "", k->custom ? ", --btf " : "");
	if (k->custom)
		printf("             (--btf %s)\n", k->custom_arg);
	printf("lock layout  %s: %s\n", fl_layout_name(plan->layout), plan->layout_detail);
	printf("fentry       %s\n", plan->fentry_status[0] ? plan->fentry_status : "available");
	printf("kprobe       %s\n", plan->kprobe_status[0] ? plan->kprobe_status : "available");
	printf("\nhooks\n");
	for (int h = 0; h < FL_HOOK__COUNT; h++) {
		const struct fl_hook_plan *hp = &plan->hooks[h];

		printf("  %-26s %-10s %-28s %s\n", fl_hook_name(h), fl_mode_name(hp->mode),
		       hp->mode != FL_MODE_NONE ? hp->target : "-",
		       hp->mode != FL_MODE_NONE ? fl_hooks[h].serves : hp->reason);
	}
	printf("\ninvariants\n");
	for (int i = 0; i < FL_INV__COUNT; i++)
		printf("  %s  %-9s  %s\n", fl_inv_name(i), fl_coverage_name(plan->cov[i]),
		       plan->cov_reason[i]);
}

int do_probe(int argc, char **argv)
{
	static const struct option opts[] = {
		FL_COMMON_LONGOPTS,
		{ "mode", required_argument, NULL, 'm' },
		{ "fault-names", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	enum fl_mode mode = FL_MODE_NONE;
	bool fault_names = false;
	struct fl_kbtf kbtf;
	struct fl_ksyms *ks;
	struct fl_plan plan;
	struct utsname u;
	char err[512];
	int opt;

	while ((opt = getopt_long(argc, argv, "vjh", opts, NULL)) != -1) {
		if (fl_common_option(opt, optarg))
			continue;
		switch (opt) {
		case 'm':
			if (fl_parse_mode(optarg, &mode))
				return FL_EXIT_ERROR;
			break;
		case 'F':
			fault_names = true;
			break;
		case 'h':
			probe_usage(stdout);
			return FL_EXIT_OK;
		default:
			probe_usage(stderr);
			return FL_EXIT_ERROR;
		}
	}
	if (optind < argc) {
		fl_err("probe: unexpected argument '%s'", argv[optind]);
		return FL_EXIT_ERROR;
	}
	if (fl_kbtf_open(&kbtf, fl_btf_path, err, sizeof(err))) {
		fl_err("%s", err);
		return FL_EXIT_ERROR;
	}
	fl_ensure_tracefs();
	ks = fl_ksyms_load(NULL);
	uname(&u);
	fl_plan_build(&plan, &kbtf, ks, mode, fault_names);
	if (geteuid() != 0)
		fprintf(stderr, "%s: not root: fentry and kprobe attachment could not be tested\n",
			fl_prog);
	if (fl_json) {
		json_t *o = fl_json_plan(&plan);

		json_object_set_new(o, "kernel", json_string(u.release));
		json_object_set_new(o, "arch", json_string(u.machine));
		json_dumpf(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
	} else {
		print_human(&plan, &kbtf, u.release, u.machine);
	}
	fl_ksyms_free(ks);
	fl_kbtf_close(&kbtf);
	return FL_EXIT_OK;
}
