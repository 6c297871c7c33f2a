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
#include <string.h>
#include <cmocka.h>
#include "hooks.h"
#include "names.h"
#include "session.h"
#include "faultline.skel.h"

/* programs attached or run outside the hook table */
static const char *const extras[] = {
	"tp_task_exit", "bench_emit", "bench_calibrate", "bench_calibrate_sys", "bench_calibrate_exit",
	"selftest_lost_insert_race", "selftest_op_close", "selftest_task_state",
	"selftest_unbalanced",
};

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_program_serves_a_hook),
		cmocka_unit_test(table_is_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
