// SPDX-License-Identifier: GPL-2.0
/*
 * faultline probe: what this kernel allows, and so what faultline can check.
 * It makes the plan record makes and then loads and attaches it the same way
 * (fl_session_start), so a hook whose programs this kernel refuses is shown
 * dropped, with the reason, exactly as record would drop it.
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "cli.h"
#include "plan.h"
#include "logwriter.h"
#include "names.h"
#include "session.h"
#include "text.h"

void probe_usage(FILE *f)
{
	fprintf(f, "usage: %s probe [-j] [-v] [--btf FILE] [--mode auto|fentry|kprobe|tracepoint]\n"
		"                       [--fault-names]\n", fl_prog);
}

/*
 * What the kernel, its BTF (or a --btf file) and the command line say is
 * escaped (text.h): none of it may paint the terminal.
 */
static void print_human(const struct fl_plan *plan, const struct fl_kbtf *k, const char *release,
			const char *machine, bool loaded)
{
	char a[FL_ESCAPED_MAX(PATH_MAX)], b[FL_ESCAPED_MAX(256)];

	printf("kernel       %s (%s)\n", FL_ESC(release, a), FL_ESC(machine, b));
	printf("BTF          %s%s%s\n", k->vmlinux ? "/sys/kernel/btf/vmlinux" : "none",
	       k->fuse ? ", /sys/kernel/btf/fuse" : "", k->custom ? ", --btf " : "");
	if (k->custom)
		printf("             (--btf %s)\n", FL_ESC(k->custom_arg, a));
	printf("lock layout  %s: %s\n", fl_layout_name(plan->layout),
	       FL_ESC(plan->layout_detail, a));
	printf("fentry       %s\n",
	       plan->fentry_status[0] ? FL_ESC(plan->fentry_status, a) : "available");
	printf("kprobe       %s\n",
	       plan->kprobe_status[0] ? FL_ESC(plan->kprobe_status, a) : "available");
	printf("preemption   %s\n", !plan->preempt_guard ?
	       "left as the kernel runs programs (no bpf_preempt_disable before 6.10)" :
	       plan->tp_preemptible ? "off while a program runs (bpf_preempt_disable)" :
	       "off while a program runs (bpf_preempt_disable in function hooks; tracepoints "
	       "run theirs with it off)");
	printf("missed runs  %s\n", plan->misses_counted ?
	       "counted by the kernel (bpf_prog_info.recursion_misses)" :
	       "not counted by this kernel (before 5.12); unpaired begins and ends are");
	printf("tracepoints  %s\n", plan->tp_preemptible ?
	       "run preemptible here: each program loaded 3 times, a run the kernel skips is "
	       "made up by the next copy" :
	       "each program loaded once (no SRCU tracepoints here; a skipped run is counted)");
	printf("task state   %s\n", plan->task_storage ?
	       (plan->task_exit ? "task local storage (goes with the task; an exit program "
				  "removes the tracepoint copies' turns)" :
				  "task local storage (goes with the task: no exit program)") :
	       "a hash by tid, emptied at task exit (tracing programs have no task local "
	       "storage here)");
	printf("loaded       %s\n", loaded ? "yes: every hook below was loaded and attached" :
	       "no: not root, the plan was not loaded and attached");
	printf("\nhooks\n");
	for (int h = 0; h < FL_HOOK__COUNT; h++) {
		const struct fl_hook_plan *hp = &plan->hooks[h];

		printf("  %-26s %-10s %-28s %s\n", fl_hook_name(h),
		       hp->dropped ? "dropped" : fl_mode_name(hp->mode),
		       hp->mode != FL_MODE_NONE || hp->dropped ? FL_ESC(hp->target, b) : "-",
		       hp->mode != FL_MODE_NONE ? fl_hooks[h].serves : FL_ESC(hp->reason, a));
	}
	printf("\ninvariants\n");
	for (int i = 0; i < FL_INV__COUNT; i++)
		printf("  %s  %-9s  %s\n", fl_inv_name(i), fl_coverage_name(plan->cov[i]),
		       FL_ESC(plan->cov_reason[i], a));
}

/* Load and attach the plan as record would, dropping what the kernel refuses. */
static bool verify(struct fl_plan *plan, const struct fl_kbtf *kbtf)
{
	struct fl_session_opts opts = { 0 };
	struct fl_sink sink = { .warn = NULL };
	struct fl_session_stats st;
	struct fl_session *s;
	char err[512];

	s = fl_session_start(plan, kbtf, &opts, &sink, err, sizeof(err));
	if (!s) {
		fl_err("%s%s", err, fl_verbose ? "" : " (-v shows libbpf's log)");
		return false;
	}
	fl_session_finish(s, &st);
	plan->misses_counted = st.misses_counted;	/* as the loaded programs said */
	fl_session_stats_free(&st);
	fl_session_free(s);
	return true;
}

int do_probe(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "fault-names", no_argument, NULL, 'F' },
		{}
	};
	static const struct fl_cmd_opts opts = { .longopts = longopts, .usage = probe_usage };
	enum fl_mode mode = FL_MODE_NONE;
	bool fault_names = false, loaded = false, tried = false;
	struct fl_kbtf kbtf;
	struct fl_ksyms *ks;
	struct fl_plan plan;
	struct utsname u;
	char err[512];
	int opt, code, ret = FL_EXIT_OK;

	while ((opt = fl_next_opt(argc, argv, &opts, &code)) != -1) {
		switch (opt) {
		case FL_OPT_EXIT:
			return code;
		case 'm':
			if (fl_parse_mode(optarg, &mode))
				return FL_EXIT_ERROR;
			break;
		case 'F':
			fault_names = true;
			break;
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
		fl_warn("not root: fentry and kprobe attachment could not be tested, nor the plan loaded");
	else if (fl_kbtf_has_kernel_types(&kbtf) && fl_plan_attached(&plan))
		loaded = verify(&plan, &kbtf), tried = true;
	if (tried && !loaded)
		ret = FL_EXIT_ERROR;
	if (fl_json) {
		json_t *o = fl_json_plan(&plan);

		json_object_set_new(o, "kernel", json_string(u.release));
		json_object_set_new(o, "arch", json_string(u.machine));
		json_object_set_new(o, "loaded", json_boolean(loaded));
		json_dumpf(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
	} else {
		print_human(&plan, &kbtf, u.release, u.machine, loaded);
	}
	fl_ksyms_free(ks);
	fl_kbtf_close(&kbtf);
	return ret;
}
