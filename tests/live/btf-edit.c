// SPDX-License-Identifier: GPL-2.0
/*
 * btf-edit IN OUT STRUCT MEMBER NEWNAME: copy the BTF file IN to OUT with one
 * member of one struct renamed, every type keeping its id. The live tests
 * hand the copy to faultline as the kernel's BTF (FAULTLINE_KERNEL_BTF): the
 * programs that read that member then fail their CO-RE relocation in the
 * running kernel, as on a kernel whose layout moved, and the rest must load.
 * Exit 0, 1 if STRUCT or MEMBER is not there, 2 on usage or I/O errors.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>

int main(int argc, char **argv)
{
	struct btf *in, *out;
	const void *raw;
	int renamed = 0;
	__u32 n, size;
	FILE *f;

	if (argc != 6) {
		fprintf(stderr, "usage: btf-edit IN OUT STRUCT MEMBER NEWNAME\n");
		return 2;
	}
	in = btf__parse(argv[1], NULL);
	out = btf__new_empty();
	if (!in || !out) {
		fprintf(stderr, "btf-edit: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	n = btf__type_cnt(in);
	for (__u32 id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(in, id);
		const struct btf_member *m;
		int err;

		if (!btf_is_struct(t) || strcmp(btf__name_by_offset(in, t->name_off), argv[3])) {
			err = btf__add_type(out, in, t);
		} else {
			err = btf__add_struct(out, argv[3], t->size);
			m = btf_members(t);
			for (int i = 0; err >= 0 && i < btf_vlen(t); i++, m++) {
				const char *name = btf__name_by_offset(in, m->name_off);

				if (!strcmp(name, argv[4])) {
					name = argv[5];
					renamed++;
				}
				err = btf__add_field(out, name, m->type, btf_member_bit_offset(t, i),
						     btf_member_bitfield_size(t, i));
			}
		}
		if (err < 0) {
			fprintf(stderr, "btf-edit: type %u: %s\n", id, strerror(-err));
			return 2;
		}
	}
	if (!renamed) {
		fprintf(stderr, "btf-edit: no member %s in struct %s\n", argv[4], argv[3]);
		return 1;
	}
	raw = btf__raw_data(out, &size);
	f = fopen(argv[2], "w");
	if (!raw || !f || fwrite(raw, 1, size, f) != size || fclose(f)) {
		fprintf(stderr, "btf-edit: %s: %s\n", argv[2], strerror(errno));
		return 2;
	}
	btf__free(in);
	btf__free(out);
	return 0;
}
