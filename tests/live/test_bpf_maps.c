// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF object's own map helpers, run in this kernel with BPF_PROG_TEST_RUN
 * (root), through the self-test programs of the test object
 * (tests/bpf/faultline_test.bpf.c). selftest_lost_insert_race: another CPU inserts the key a program is
 * about to insert (two CPUs first touching one inode); bpf_map_try_init()
 * must find that entry instead of losing the state. selftest_op_close: an op dropped
 * without its end closes its in-flight record on the inode, and only its own.
 * selftest_task_state: per-task state as task local storage and as the hash by
 * tid that stands in for it on 5.10 (the map's type switched before load,
 * as the session does), each form loaded with the other's code dead.
 * selftest_unbalanced: a begin or end found missing counts after attaching,
 * and not once detaching has begun.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "faultline/abi.h"
#include "faultline_test.skel.h"

/* Open the object with only the program @name to load. */
static struct faultline_test_bpf *open_alone(const char *name)
{
	struct faultline_test_bpf *skel = faultline_test_bpf__open();
	struct bpf_program *p, *prog;

	assert_non_null(skel);
	prog = bpf_object__find_program_by_name(skel->obj, name);
	assert_non_null(prog);
	bpf_object__for_each_program(p, skel->obj)
		bpf_program__set_autoload(p, p == prog);
	return skel;
}

/* Load @skel and run its program @name once. */
static struct faultline_test_bpf *load_run(struct faultline_test_bpf *skel, const char *name)
{
	LIBBPF_OPTS(bpf_test_run_opts, topts);
	struct bpf_program *prog = bpf_object__find_program_by_name(skel->obj, name);

	assert_int_equal(faultline_test_bpf__load(skel), 0);
	assert_int_equal(bpf_prog_test_run_opts(bpf_program__fd(prog), &topts), 0);
	return skel;
}

/* Load only the program @name and run it once. */
static struct faultline_test_bpf *run_alone(const char *name)
{
	return load_run(open_alone(name), name);
}

static void lost_insert_race(void **state)
{
	struct faultline_test_bpf *skel = run_alone("selftest_lost_insert_race");

	assert_int_equal(skel->data_test->selftest_found, 1);
	faultline_test_bpf__destroy(skel);
}

static void dropped_op_closes_its_record(void **state)
{
	struct faultline_test_bpf *skel = run_alone("selftest_op_close");

	assert_int_equal(skel->data_test->selftest_closed, 1);
	assert_int_equal(skel->data_test->selftest_other_kept, 1);
	faultline_test_bpf__destroy(skel);
}

static void task_state_as(bool storage)
{
	struct faultline_test_bpf *skel = open_alone("selftest_task_state");

	skel->rodata->cfg_task_storage = storage;
	if (!storage) {
		assert_int_equal(bpf_map__set_type(skel->maps.tasks, BPF_MAP_TYPE_HASH), 0);
		assert_int_equal(bpf_map__set_map_flags(skel->maps.tasks, 0), 0);
		assert_int_equal(bpf_map__set_max_entries(skel->maps.tasks, 16), 0);
	}
	load_run(skel, "selftest_task_state");
	assert_int_equal(skel->data_test->selftest_task_made, 1);
	assert_int_equal(skel->data_test->selftest_task_found, 1);
	faultline_test_bpf__destroy(skel);
}

/* FL_CTR_UNBALANCED summed over CPUs */
static uint64_t unbalanced_count(struct faultline_test_bpf *skel)
{
	int ncpu = libbpf_num_possible_cpus();
	struct fl_stats *per_cpu = calloc(ncpu, sizeof(*per_cpu));
	uint32_t zero = 0;
	uint64_t n = 0;

	assert_non_null(per_cpu);
	assert_int_equal(bpf_map_lookup_elem(bpf_map__fd(skel->maps.stats), &zero, per_cpu), 0);
	for (int c = 0; c < ncpu; c++)
		n += per_cpu[c].ctr[FL_CTR_UNBALANCED];
	free(per_cpu);
	return n;
}

static void unbalanced_not_counted_while_detaching(void **state)
{
	LIBBPF_OPTS(bpf_test_run_opts, topts);
	struct faultline_test_bpf *skel = open_alone("selftest_unbalanced");
	int fd;

	assert_int_equal(faultline_test_bpf__load(skel), 0);
	fd = bpf_program__fd(skel->progs.selftest_unbalanced);
	skel->bss->attach_done_ns = 1000;
	assert_int_equal(bpf_prog_test_run_opts(fd, &topts), 0);
	assert_int_equal(unbalanced_count(skel), 1);
	skel->bss->detaching = 1;
	assert_int_equal(bpf_prog_test_run_opts(fd, &topts), 0);
	assert_int_equal(unbalanced_count(skel), 1);
	faultline_test_bpf__destroy(skel);
}

static void task_state_in_task_storage(void **state)
{
	task_state_as(true);
}

static void task_state_in_hash(void **state)
{
	task_state_as(false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lost_insert_race),
		cmocka_unit_test(dropped_op_closes_its_record),
		cmocka_unit_test(task_state_in_task_storage),
		cmocka_unit_test(task_state_in_hash),
		cmocka_unit_test(unbalanced_not_counted_while_detaching),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
