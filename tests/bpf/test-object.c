// SPDX-License-Identifier: GPL-2.0
/*
 * The test object's programs on a running session's maps. The test object
 * includes the product source, so every map of the product (its global data
 * too: .bss, .data, .rodata) is one of the test object's under the same name:
 * each is given the session's map (bpf_map__reuse_fd()), and only the test
 * object's own (.data.test and the compiler's constant pools) are made anew.
 * The session's configuration (its frozen .rodata) is the one these programs
 * are verified against and run with.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "test-object.h"

static bool wanted(const char *name, const char *const *names)
{
	for (; *names; names++)
		if (!strcmp(name, *names))
			return true;
	return false;
}

struct faultline_test_bpf *fl_test_object_load(struct bpf_object *session,
					       const char *const *names)
{
	struct faultline_test_bpf *skel = faultline_test_bpf__open();
	struct bpf_program *p;
	struct bpf_map *m;
	int err = 0;

	if (!skel)
		return NULL;
	bpf_object__for_each_program(p, skel->obj)
		bpf_program__set_autoload(p, wanted(bpf_program__name(p), names));
	bpf_object__for_each_map(m, skel->obj) {
		/* global data: "<object prefix>.bss", found in the session as ".bss" */
		const char *name = bpf_map__name(m), *dot = strchr(name, '.');
		struct bpf_map *theirs = bpf_object__find_map_by_name(session, dot ? dot : name);

		if (!theirs)
			continue;
		/* a test global that landed in the product's sections would shift them */
		if (bpf_map__value_size(m) != bpf_map__value_size(theirs)) {
			err = -EPROTO;
			break;
		}
		err = bpf_map__reuse_fd(m, bpf_map__fd(theirs));
		if (err)
			break;
	}
	if (!err)
		err = faultline_test_bpf__load(skel);
	if (err) {
		faultline_test_bpf__destroy(skel);
		errno = -err;
		return NULL;
	}
	return skel;
}
