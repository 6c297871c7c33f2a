// SPDX-License-Identifier: GPL-2.0
/*
 * floor: run a command with empty BPF programs on the attach points a faultline run used.
 *
 *   floor --plan LOG [--only CLASS,...] [-v] -- COMMAND [ARG...]
 *
 * LOG is a `faultline record` log: its header's plan names every hook that was attached, its
 * mode and its target. Each gets what faultline attached there, doing nothing
 * (tests/bench/floor.bpf.c): fentry+fexit on the function, kprobe+kretprobe, or the hook's
 * two tracepoints (tp_btf for the fs_dax and fuse ones, classic for the syscalls), and
 * sched:sched_process_exit where the plan
 * had faultline's housekeeping program there (task_exit). --only keeps the hooks of the classes
 * named (fault, entry, op, teardown, layout, fuse, syscall, exit), so that the floor of one kind
 * of attach point can be measured alone. Exit: the command's status; 2 on bad usage, 3 when a program could not be loaded or
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

struct hook_row {
	const char *name;
	int cls;
	const char *cat, *begin, *end;	/* tracepoints only */
};

#define ROW_FN(ID, nm, cls, srv, ...) { #nm, cls, NULL, NULL, NULL },
#define ROW_TP(ID, nm, cls, srv, cat, b, e) { #nm, cls, #cat, #b, #e },
static const struct hook_row rows[] = { FL_HOOKS(ROW_FN, ROW_TP) };

/* every class of abi.h's enum fl_hook_class (main() checks that none is missing) */
static const char *const class_names[FL_HC__COUNT] = {
	[FL_HC_FAULT_TP] = "fault", [FL_HC_FAULT_ENTRY] = "entry", [FL_HC_OP] = "op",
	[FL_HC_TEARDOWN] = "teardown", [FL_HC_LAYOUT] = "layout", [FL_HC_FUSE_TP] = "fuse",
	[FL_HC_SYSCALL] = "syscall", [FL_HC_REQUEST] = "request",
};

/* copies of each BTF-attached program in tests/bench/floor.bpf.c */
#define FLOOR_COPIES 16

static struct floor_bpf *skel;
static struct bpf_link *links[4 * FLOOR_COPIES + 64];
static int n_links, verbose, n_fentry, n_fexit, n_tp_btf;

/* an attachment to make once the object is loaded */
static struct pending {
	struct bpf_program *p;
	int how;		/* 0 BTF-attached, 1 kprobe, 2 kretprobe, 3 tracepoint */
	const char *what, *cat, *where;
} todo[4 * FLOOR_COPIES + 64];
static int n_todo;

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

static struct bpf_program *prog(const char *name, int *copy)
{
	char nm[64];
	struct bpf_program *p;

	if (copy) {
		if (*copy >= FLOOR_COPIES)
			die(3, "more than %s targets for %s programs", "16", name);
		snprintf(nm, sizeof(nm), "%s_%d", name, (*copy)++);
	} else {
		snprintf(nm, sizeof(nm), "%s", name);
	}
	p = bpf_object__find_program_by_name(skel->obj, nm);
	if (!p)
		die(3, "no program %s%s", nm, "");
	bpf_program__set_autoload(p, true);
	return p;
}

static void plan(struct bpf_program *p, int how, const char *what, const char *cat,
		 const char *where)
{
	if (!how && bpf_program__set_attach_target(p, 0, where))
		die(3, "no BTF target %s for %s", where, what);
	todo[n_todo++] = (struct pending){ p, how, what, cat, where };
}

static void plan_hook(const struct hook_row *r, const char *mode, const char *target)
{
	if (!strcmp(mode, "fentry")) {
		plan(prog("floor_fentry", &n_fentry), 0, "fentry", NULL, target);
		plan(prog("floor_fexit", &n_fexit), 0, "fexit", NULL, target);
	} else if (!strcmp(mode, "kprobe")) {
		/* faultline attaches the kretprobe first (see tools/session.c) */
		plan(prog("floor_kprobe", NULL), 2, "kretprobe", NULL, target);
		plan(prog("floor_kprobe", NULL), 1, "kprobe", NULL, target);
	} else if (r->cat && r->cls != FL_HC_SYSCALL) {
		plan(prog("floor_tp_btf", &n_tp_btf), 0, "tp_btf", NULL, r->begin);
		plan(prog("floor_tp_btf", &n_tp_btf), 0, "tp_btf", NULL, r->end);
	} else if (r->cat) {
		plan(prog("floor_tp", NULL), 3, "tracepoint", r->cat, r->begin);
		plan(prog("floor_tp", NULL), 3, "tracepoint", r->cat, r->end);
	}
}

static void attach_all(void)
{
	for (int i = 0; i < n_todo; i++) {
		struct pending *t = &todo[i];
		struct bpf_link *l;

		if (t->how == 0)
			l = bpf_program__attach(t->p);
		else if (t->how == 3)
			l = bpf_program__attach_tracepoint(t->p, t->cat, t->where);
		else
			l = bpf_program__attach_kprobe(t->p, t->how == 2, t->where);
		if (!l)
			die(3, "cannot attach %s to %s", t->what, t->where);
		links[n_links++] = l;
		if (verbose)
			fprintf(stderr, "floor: %s on %s\n", t->what, t->where);
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
	for (size_t k = 0; k < FL_HC__COUNT; k++) {
		char num[16];

		snprintf(num, sizeof(num), "%zu", k);
		if (!class_names[k])
			die(2, "hook class %s of abi.h has no name in class_names%s", num, "");
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
	skel = floor_bpf__open();
	if (!skel)
		die(3, "cannot open the floor object: %s%s", strerror(errno), "");
	{
		struct bpf_program *p;

		bpf_object__for_each_program(p, skel->obj)
			bpf_program__set_autoload(p, false);
	}
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
				plan_hook(&rows[k], mode, target);
			break;
		}
	}
	/* faultline's exit program, where its plan had one (logs before task_exit always did) */
	if (wanted(only, "exit") &&
	    !json_is_false(json_object_get(json_object_get(hdr, "plan"), "task_exit")))
		plan(prog("floor_tp", NULL), 3, "tracepoint", "sched", "sched_process_exit");
	if (floor_bpf__load(skel))
		die(3, "cannot load the floor programs: %s%s", strerror(errno), "");
	attach_all();
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
	floor_bpf__destroy(skel);
	json_decref(hdr);
	free(line);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
