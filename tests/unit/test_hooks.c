// SPDX-License-Identifier: GPL-2.0
/*
 * The hook table against the BPF object: every program serves a hook (or is
 * one of the few that are not attached through one), and every hook has the
 * programs of its modes. A program renamed in bpf/faultline.bpf.c but not in
 * FL_HOOKS fails to compile; one added without a row fails here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "plan.h"
#include "names.h"
#include "session.h"
#include "faultline.skel.h"

/* programs attached outside the hook table */
static const char *const extras[] = { "tp_task_exit" };

static bool is_extra(const char *name)
{
	for (size_t i = 0; i < sizeof(extras) / sizeof(extras[0]); i++)
		if (!strcmp(name, extras[i]))
			return true;
	return false;
}

static void every_program_serves_a_hook(void **state)
{
	struct faultline_bpf *skel = faultline_bpf__open();
	int per_hook[FL_HOOK__COUNT] = { 0 };
	struct bpf_program *p;

	assert_non_null(skel);
	bpf_object__for_each_program(p, skel->obj) {
		const char *name = bpf_program__name(p);
		int h = fl_session_program_hook(name);

		if (is_extra(name)) {
			if (h != -1)
				fail_msg("%s is not a hook's program, yet serves %s", name, fl_hook_name(h));
			continue;
		}
		if (h < 0)
			fail_msg("program %s serves no hook of FL_HOOKS", name);
		per_hook[h]++;
	}
	faultline_bpf__destroy(skel);
	/*
	 * function hooks: fentry, fexit, kprobe, kretprobe; tracepoints: begin
	 * and end, each with its spare copies
	 */
	for (int h = 0; h < FL_HOOK__COUNT; h++) {
		int want = fl_hooks[h].funcs[0] ? 4 : 2 * FL_TP_COPIES;

		if (per_hook[h] != want)
			fail_msg("hook %s has %d programs, not %d", fl_hook_name(h), per_hook[h], want);
	}
}

static void table_is_whole(void **state)
{
	for (int h = 0; h < FL_HOOK__COUNT; h++) {
		const struct fl_hook_desc *d = &fl_hooks[h];

		assert_int_equal(d->hook, h);
		assert_non_null(d->serves);
		assert_string_not_equal(fl_hook_name(h), "?");
		assert_int_equal(fl_hook_from_name(fl_hook_name(h)), h);
		/* a hook is a function hook or a tracepoint pair, never both */
		assert_true(!!d->funcs[0] != !!d->tps[0]);
		if (d->tps[0])
			assert_true(d->category && d->tps[1]);
	}
	for (int k = 0; k < FL_VIO__COUNT; k++)
		assert_true(fl_violation_inv(k) < FL_INV__COUNT);
	for (int c = 0; c < FL_CTR__COUNT; c++)
		assert_int_equal(fl_counter_from_name(fl_counter_name(c)), c);
}

/* A plan by hand: every hook in @mode, then coverage as the plan code decides it. */
static void plan_all(struct fl_plan *p, enum fl_mode fn_mode)
{
	memset(p, 0, sizeof(*p));
	p->layout = FL_LAYOUT_INVALIDATE_LOCK;
	for (int h = 0; h < FL_HOOK__COUNT; h++) {
		p->hooks[h].mode = fl_hooks[h].funcs[0] ? fn_mode : FL_MODE_TRACEPOINT;
		if (fl_hooks[h].funcs[0] && fn_mode == FL_MODE_NONE)
			snprintf(p->hooks[h].reason, sizeof(p->hooks[h].reason), "tracepoint-only mode");
	}
	p->forced = fn_mode == FL_MODE_NONE ? FL_MODE_TRACEPOINT : FL_MODE_NONE;
	fl_plan_coverage(p);
}

/* I6 from the plan: both its function hooks, in either function mode; never from a tracepoint */
static void i6_plan(void **state)
{
	struct fl_plan p;

	plan_all(&p, FL_MODE_FENTRY);
	assert_int_equal(p.cov[FL_I6], FL_COV_CHECKED);
	plan_all(&p, FL_MODE_KPROBE);
	assert_int_equal(p.cov[FL_I6], FL_COV_CHECKED);
	/* tracepoint-only: the fuse_request_end tracepoint cannot bound a completion */
	plan_all(&p, FL_MODE_NONE);
	assert_int_equal(p.cov[FL_I6], FL_COV_UNCHECKED);
	assert_non_null(strstr(p.cov_reason[FL_I6], "has no exit"));
	/* one side missing: unchecked, with that hook's reason */
	plan_all(&p, FL_MODE_FENTRY);
	fl_plan_drop(&p, FL_HOOK_FUSE_SIMPLE_REQUEST, "fentry: fe_fuse_simple_request failed to load");
	assert_int_equal(p.cov[FL_I6], FL_COV_UNCHECKED);
	assert_string_equal(p.cov_reason[FL_I6], "fentry: fe_fuse_simple_request failed to load");
	plan_all(&p, FL_MODE_FENTRY);
	fl_plan_drop(&p, FL_HOOK_FUSE_REQUEST_END, "kprobe: cannot attach");
	assert_int_equal(p.cov[FL_I6], FL_COV_UNCHECKED);
	/* the I6 hooks serve I6 only, and say so for probe */
	assert_string_equal(fl_hooks[FL_HOOK_FUSE_REQUEST_END].serves, "I6");
	assert_string_equal(fl_hooks[FL_HOOK_FUSE_SIMPLE_REQUEST].serves, "I6");
	/* the blocking send's fuse_args: third after 6.x's idmap, second in 5.10 */
	assert_int_equal(fl_plan_send_args_arg(NULL, "__fuse_simple_request"), 2);
	assert_int_equal(fl_plan_send_args_arg(NULL, "fuse_simple_request"), 1);
}

/* The candidates as a kernel's symbols offer them: 6.x's first, 5.10's where it is the only one */
static void i6_targets(void **state)
{
	static const char *const syms[] = {
		"ffffffffc0100000 t fuse_request_end\t[fuse]\n"
		"ffffffffc0100100 t __fuse_simple_request\t[fuse]\n",
		"ffffffffc0100000 t fuse_request_end\t[fuse]\n"
		"ffffffffc0100100 t fuse_simple_request\t[fuse]\n",
	};
	static const char *const want[] = { "__fuse_simple_request", "fuse_simple_request" };
	struct fl_kbtf kbtf;
	char err[256];

	if (fl_kbtf_open(&kbtf, NULL, err, sizeof(err)))
		skip();
	libbpf_set_print(NULL);	/* the trial loads' refusals are expected here */
	for (int i = 0; i < 2; i++) {
		char path[] = "/tmp/fl-test-kallsyms.XXXXXX";
		int fd = mkstemp(path);
		struct fl_ksyms *ks;
		struct fl_plan *p = malloc(sizeof(*p));

		assert_true(fd >= 0 && p);
		assert_int_equal(write(fd, syms[i], strlen(syms[i])), (ssize_t)strlen(syms[i]));
		close(fd);
		ks = fl_ksyms_load(path);
		unlink(path);
		assert_non_null(ks);
		fl_plan_build(p, &kbtf, ks, FL_MODE_FENTRY, false);
		assert_string_equal(p->hooks[FL_HOOK_FUSE_REQUEST_END].target, "fuse_request_end");
		assert_string_equal(p->hooks[FL_HOOK_FUSE_SIMPLE_REQUEST].target, want[i]);
		assert_int_equal(p->send_args_arg, i == 0 ? 2 : 1);
		/* checked only where fentry loads here (the plan as it would run) */
		assert_int_equal(p->cov[FL_I6],
				 p->hooks[FL_HOOK_FUSE_REQUEST_END].mode == FL_MODE_FENTRY &&
				 p->hooks[FL_HOOK_FUSE_SIMPLE_REQUEST].mode == FL_MODE_FENTRY ?
				 FL_COV_CHECKED : FL_COV_UNCHECKED);
		fl_ksyms_free(ks);
		free(p);
	}
	fl_kbtf_close(&kbtf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_program_serves_a_hook),
		cmocka_unit_test(table_is_whole),
		cmocka_unit_test(i6_plan),
		cmocka_unit_test(i6_targets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
