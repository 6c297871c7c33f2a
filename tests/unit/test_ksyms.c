// SPDX-License-Identifier: GPL-2.0
/* Symbolizing from a kallsyms file; addresses never leak into the output. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "ksyms.h"

static const char kallsyms[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81200000 t truncate_pagecache\n"
	"ffffffff81200100 T truncate_pagecache_range\n"
	"ffffffff81300000 d some_data\n"
	"ffffffffc0100000 t fuse_dax_fault\t[fuse]\n"
	"ffffffffc0100200 t fuse_do_setattr\t[fuse]\n"
	"garbage line\n";

static char path[] = "/tmp/fl-test-kallsyms.XXXXXX";

static int setup(void **state)
{
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, kallsyms, sizeof(kallsyms) - 1) != sizeof(kallsyms) - 1)
		return -1;
	close(fd);
	*state = fl_ksyms_load(path);
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	fl_ksyms_free(*state);
	unlink(path);
	return 0;
}

static void format(void **state)
{
	struct fl_ksyms *ks = *state;
	char buf[128];

	fl_ksyms_format(ks, 0xffffffff81200010UL, buf, sizeof(buf));
	assert_string_equal(buf, "truncate_pagecache+0x10");
	fl_ksyms_format(ks, 0xffffffffc0100204UL, buf, sizeof(buf));
	assert_string_equal(buf, "fuse_do_setattr+0x4 [fuse]");
	fl_ksyms_format(ks, 0x1000, buf, sizeof(buf));
	assert_string_equal(buf, "?");
	/* far beyond the last kernel symbol: a JIT image, not _stext's code */
	fl_ksyms_format(ks, 0xffffffff81300000UL + (2UL << 20), buf, sizeof(buf));
	assert_string_equal(buf, "?");
	/* far beyond a module function: the BPF region */
	fl_ksyms_format(ks, 0xffffffffc0100200UL + (1UL << 18), buf, sizeof(buf));
	assert_string_equal(buf, "?");
}

static void lookup(void **state)
{
	struct fl_ksyms *ks = *state;

	assert_true(fl_ksyms_has_func(ks, "fuse_dax_fault"));
	assert_true(fl_ksyms_has_func(ks, "truncate_pagecache"));
	assert_false(fl_ksyms_has_func(ks, "some_data"));	/* data, not a function */
	assert_false(fl_ksyms_has_func(ks, "fuse_dax_huge_fault"));
	assert_true(fl_ksyms_have_addresses(ks));
}

static void hidden_addresses(void **state)
{
	char p[] = "/tmp/fl-test-kallsyms0.XXXXXX";
	const char zeros[] = "0000000000000000 T _stext\n0000000000000000 t fuse_dax_fault\t[fuse]\n";
	int fd = mkstemp(p);
	struct fl_ksyms *ks;
	char buf[64];

	assert_true(fd >= 0);
	assert_int_equal(write(fd, zeros, sizeof(zeros) - 1), sizeof(zeros) - 1);
	close(fd);
	ks = fl_ksyms_load(p);
	assert_non_null(ks);
	assert_false(fl_ksyms_have_addresses(ks));
	fl_ksyms_format(ks, 0xffffffff81000010UL, buf, sizeof(buf));
	assert_string_equal(buf, "?");
	/* names are still there: kprobe targets can be checked */
	assert_true(fl_ksyms_has_func(ks, "fuse_dax_fault"));
	fl_ksyms_free(ks);
	unlink(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(format),
		cmocka_unit_test(lookup),
		cmocka_unit_test(hidden_addresses),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
