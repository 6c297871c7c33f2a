/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the test object (tests/bpf/faultline_test.bpf.c) and the programs that run it. */
#ifndef FAULTLINE_TEST_H
#define FAULTLINE_TEST_H

/* Events one run of the export benchmark program (bench_emit) emits. */
#define FL_BENCH_BATCH		32

#endif
