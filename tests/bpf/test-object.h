/* SPDX-License-Identifier: GPL-2.0 */
/* The test object's programs on a running session's maps (tests/bpf/test-object.c). */
#ifndef FAULTLINE_TEST_OBJECT_H
#define FAULTLINE_TEST_OBJECT_H

#include "faultline_test.skel.h"

/*
 * Load the programs @names (NULL-terminated) of the test object, and nothing
 * else, on the maps and global data of @session (fl_session_object()): what
 * they do is done to that session. NULL, errno set, on failure.
 */
struct faultline_test_bpf *fl_test_object_load(struct bpf_object *session,
					       const char *const *names);

#endif
