// SPDX-License-Identifier: GPL-2.0
/*
 * floor: run a command with empty BPF programs on the attach points a faultline run used.
 *
 *   floor --plan LOG [--only CLASS,...] [-v] -- COMMAND [ARG...]
 *
 * LOG is a `faultline record` log: its header's plan names every hook that was attached, its
 * mode and its target. Each gets what faultline attached there, doing nothing (bpf/floor.bpf.c):
 * fentry+fexit on the function, kprobe+kretprobe, or the hook's two tracepoints (tp_btf for the
 * fs_dax and fuse ones, classic for the syscalls), and sched:sched_process_exit as faultline's
 * housekeeping program. --only keeps the hooks of the classes named (fault, entry, op, teardown,
 * layout, fuse, syscall, exit), so that the floor of one kind of attach point can be measured
 * alone. Exit: the command's status; 2 on bad usage, 3 when a program could not be loaded or
 * attached.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <jansson.h>
#include "faultline/abi.h"
#include "floor.skel.h"

#define MAX_INST 128

struct hook_row {
	const char *name;
	int cls;
	const char *cat, *begin, *end;	/* tracepoints only */
};

#define ROW_FN(ID, nm, cls, srv, ...) { #nm, cls, NULL, NULL, NULL },
#define ROW_TP(ID, nm, cls, srv, cat, b, e) { #nm, cls, #cat, #b, #e },
static const struct hook_row rows[] = { FL_HOOKS(ROW_FN, ROW_TP) };

static const char *const class_names[] = {
	[FL_HC_FAULT_TP] = "fault", [FL_HC_FAULT_ENTRY] = "entry", [FL_HC_OP] = "op",
	[FL_HC_TEARDOWN] = "teardown", [FL_HC_LAYOUT] = "layout", [FL_HC_FUSE_TP] = "fuse",
	[FL_HC_SYSCALL] = "syscall",
};

static struct floor_bpf *inst[MAX_INST];
static struct bpf_link *links[2 * MAX_INST];
static int n_inst, n_links, verbose;

static int die(int code, const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "floor: ");
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	exit(code);
}

static bool wanted(const char *only, const char *cls)
{
	size_t n = strlen(cls);

	for (const char *p = only; p && (p = strstr(p, cls)); p += n)
		if ((p == only || p[-1] == ',') && (!p[n] || p[n] == ','))
			return true;
	return !only;
}

/* A fresh copy of the object with only @prog loaded (aimed at @target if it is BTF-attached). */
static struct bpf_program *load_one(const char *prog, const char *target)
{
	struct floor_bpf *s;
	struct bpf_program *p, *want = NULL;

	if (n_inst >= MAX_INST)
		die(3, "too many attach points%s%s", "", "");
	s = floor_bpf__open();
	if (!s)
		die(3, "cannot open the floor object: %s%s", strerror(errno), "");
	bpf_object__for_each_program(p, s->obj) {
		bool me = !strcmp(bpf_program__name(p), prog);

		bpf_program__set_autoload(p, me);
		if (me)
			want = p;
	}
	if (target && bpf_program__set_attach_target(want, 0, target))
		die(3, "no BTF target %s for %s", target, prog);
	if (floor_bpf__load(s))
		die(3, "cannot load %s for %s", prog, target ? target : "");
	inst[n_inst++] = s;
	return want;
}

static void keep(struct bpf_link *l, const char *what, const char *where)
{
	if (!l)
		die(3, "cannot attach %s to %s", what, where);
	links[n_links++] = l;
	if (verbose)
		fprintf(stderr, "floor: %s on %s\n", what, where);
}

static void attach_hook(const struct hook_row *r, const char *mode, const char *target)
{
	if (!strcmp(mode, "fentry")) {
		keep(bpf_program__attach(load_one("floor_fentry", target)), "fentry", target);
		keep(bpf_program__attach(load_one("floor_fexit", target)), "fexit", target);
	} else if (!strcmp(mode, "kprobe")) {
		struct bpf_program *p = load_one("floor_kprobe", NULL);

		/* faultline attaches the kretprobe first (see tools/session.c) */
		keep(bpf_program__attach_kprobe(p, true, target), "kretprobe", target);
		keep(bpf_program__attach_kprobe(p, false, target), "kprobe", target);
	} else if (r->cat && r->cls != FL_HC_SYSCALL) {
		keep(bpf_program__attach(load_one("floor_tp_btf", r->begin)), "tp_btf", r->begin);
		keep(bpf_program__attach(load_one("floor_tp_btf", r->end)), "tp_btf", r->end);
	} else if (r->cat) {
		struct bpf_program *p = load_one("floor_tp", NULL);

		keep(bpf_program__attach_tracepoint(p, r->cat, r->begin), "tracepoint", r->begin);
		keep(bpf_program__attach_tracepoint(p, r->cat, r->end), "tracepoint", r->end);
	}
}

int main(int argc, char **argv)
{
	const char *plan_path = NULL, *only = NULL;
	json_t *hdr, *hooks, *h;
	char *line = NULL;
	size_t cap = 0, i;
	int argi = 1, status;
	FILE *f;
	pid_t pid;

	for (; argi < argc && strcmp(argv[argi], "--"); argi++) {
		if (!strcmp(argv[argi], "--plan") && argi + 1 < argc)
			plan_path = argv[++argi];
		else if (!strcmp(argv[argi], "--only") && argi + 1 < argc)
			only = argv[++argi];
		else if (!strcmp(argv[argi], "-v"))
			verbose = 1;
		else
			die(2, "usage: floor --plan LOG [--only CLASS,...] [-v] -- COMMAND [ARG...]%s%s",
			    "", "");
	}
	if (!plan_path || argi + 1 >= argc)
		die(2, "usage: floor --plan LOG [--only CLASS,...] [-v] -- COMMAND [ARG...]%s%s", "", "");
	f = fopen(plan_path, "r");
	if (!f || getline(&line, &cap, f) < 0)
		die(2, "cannot read %s: %s", plan_path, strerror(errno));
	fclose(f);
	hdr = json_loads(line, 0, NULL);
	hooks = json_object_get(json_object_get(hdr, "plan"), "hooks");
	if (!json_is_array(hooks))
		die(2, "%s: no plan in the first line%s", plan_path, "");
	json_array_foreach(hooks, i, h) {
		const char *name = json_string_value(json_object_get(h, "hook"));
		const char *mode = json_string_value(json_object_get(h, "mode"));
		const char *target = json_string_value(json_object_get(h, "target"));

		if (!name || !mode || !strcmp(mode, "none"))
			continue;
		for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
			if (strcmp(rows[k].name, name))
				continue;
			if (wanted(only, class_names[rows[k].cls]))
				attach_hook(&rows[k], mode, target);
			break;
		}
	}
	if (wanted(only, "exit"))
		keep(bpf_program__attach_tracepoint(load_one("floor_tp", NULL), "sched",
						    "sched_process_exit"),
		     "tracepoint", "sched_process_exit");
	fprintf(stderr, "floor: %d empty programs attached\n", n_links);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die(3, "fork: %s%s", strerror(errno), "");
	if (!pid) {
		execvp(argv[argi + 1], argv + argi + 1);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		die(3, "waitpid: %s%s", strerror(errno), "");
	while (n_links)
		bpf_link__destroy(links[--n_links]);
	while (n_inst)
		floor_bpf__destroy(inst[--n_inst]);
	json_decref(hdr);
	free(line);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
