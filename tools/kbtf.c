// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/btf.h>
#include "kbtf.h"

static struct btf *load_module_btf(const char *name, struct btf *vmlinux)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/kernel/btf/%s", name);
	if (!vmlinux || access(path, R_OK))
		return NULL;
	return btf__load_module_btf(name, vmlinux);
}

/* Copy every type of @src (split types included) into a new standalone BTF. */
static struct btf *flatten(const struct btf *src)
{
	struct btf *out = btf__new_empty();
	__u32 n = btf__type_cnt(src);

	if (!out)
		return NULL;
	for (__u32 id = 1; id < n; id++) {
		if (btf__add_type(out, src, btf__type_by_id(src, id)) < 0) {
			btf__free(out);
			return NULL;
		}
	}
	return out;
}

static int write_btf(const struct btf *btf, char *path, size_t len)
{
	__u32 size;
	const void *data = btf__raw_data(btf, &size);
	int fd, err = 0;

	if (!data)
		return -ENOMEM;
	snprintf(path, len, "/tmp/faultline-btf.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -errno;
	if (write(fd, data, size) != (ssize_t)size)
		err = -EIO;
	close(fd);
	return err;
}

static int kbtf_open(struct fl_kbtf *k, const char *custom_path, char *err, size_t errlen);

int fl_kbtf_open(struct fl_kbtf *k, const char *custom_path, char *err, size_t errlen)
{
	int ret = kbtf_open(k, custom_path, err, errlen);

	if (ret)
		fl_kbtf_close(k);
	return ret;
}

static int kbtf_open(struct fl_kbtf *k, const char *custom_path, char *err, size_t errlen)
{
	struct btf *file, *merged;
	int ret;

	const char *kernel = getenv("FAULTLINE_KERNEL_BTF");

	memset(k, 0, sizeof(*k));
	if (kernel && !strcmp(kernel, "none")) {
		k->vmlinux = NULL;
	} else if (kernel) {
		k->vmlinux = btf__parse(kernel, NULL);
		if (!k->vmlinux) {
			snprintf(err, errlen, "FAULTLINE_KERNEL_BTF %s: not a BTF file", kernel);
			return -EINVAL;
		}
		snprintf(k->kernel_file, sizeof(k->kernel_file), "%s", kernel);
	} else {
		k->vmlinux = btf__load_vmlinux_btf();
	}
	k->fuse = load_module_btf("fuse", k->vmlinux);
	if (!custom_path)
		return 0;

	snprintf(k->custom_arg, sizeof(k->custom_arg), "%s", custom_path);
	if (access(custom_path, R_OK)) {
		ret = -errno;
		snprintf(err, errlen, "--btf %s: %s", custom_path, strerror(errno));
		return ret;
	}
	/* standalone first; then split on top of the running kernel's BTF */
	file = btf__parse(custom_path, NULL);
	if (file && btf__find_by_name_kind(file, "task_struct", BTF_KIND_STRUCT) > 0) {
		merged = file;
	} else if (file) {
		/* module types only: put the kernel's types underneath */
		merged = btf__new_empty();
		if (merged && k->vmlinux && btf__add_btf(merged, k->vmlinux) < 0)
			merged = NULL;
		if (merged && btf__add_btf(merged, file) < 0)
			merged = NULL;
		btf__free(file);
	} else if (k->vmlinux && (file = btf__parse_split(custom_path, k->vmlinux))) {
		merged = flatten(file);
		btf__free(file);
	} else {
		snprintf(err, errlen, "--btf %s: not a BTF file (neither standalone nor split on this kernel's BTF)",
			 custom_path);
		return -EINVAL;
	}
	if (!merged) {
		snprintf(err, errlen, "--btf %s: cannot combine it with the kernel's BTF", custom_path);
		return -ENOMEM;
	}
	k->custom = merged;
	ret = write_btf(merged, k->custom_file, sizeof(k->custom_file));
	if (ret) {
		snprintf(err, errlen, "--btf %s: cannot write a standalone copy: %s", custom_path,
			 strerror(-ret));
		return ret;
	}
	return 0;
}

void fl_kbtf_close(struct fl_kbtf *k)
{
	if (k->custom_file[0])
		unlink(k->custom_file);
	btf__free(k->custom);
	btf__free(k->fuse);
	btf__free(k->vmlinux);
	memset(k, 0, sizeof(*k));
}

const char *fl_kbtf_core_path(const struct fl_kbtf *k)
{
	if (k->custom_file[0])
		return k->custom_file;
	return k->kernel_file[0] ? k->kernel_file : NULL;
}

bool fl_kbtf_has_kernel_types(const struct fl_kbtf *k)
{
	return k->custom || k->vmlinux;
}

/* BTFs in the order they are searched: --btf, fuse module, vmlinux. */
static int btfs(const struct fl_kbtf *k, const struct btf *out[3])
{
	int n = 0;

	if (k->custom)
		out[n++] = k->custom;
	if (k->fuse)
		out[n++] = k->fuse;
	if (k->vmlinux)
		out[n++] = k->vmlinux;
	return n;
}

static const struct btf_type *find(const struct fl_kbtf *k, const char *name, int kind,
				   const struct btf **which)
{
	const struct btf *list[3];
	int n = btfs(k, list);

	for (int i = 0; i < n; i++) {
		__s32 id = btf__find_by_name_kind(list[i], name, kind);

		if (id > 0) {
			*which = list[i];
			return btf__type_by_id(list[i], id);
		}
	}
	return NULL;
}

/* Index of the member (struct) or parameter (function prototype) of @t named @name, or -1. */
static int named_index(const struct btf *b, const struct btf_type *t, const char *name)
{
	for (int i = 0; i < btf_vlen(t); i++) {
		__u32 off = btf_is_func_proto(t) ? btf_params(t)[i].name_off : btf_members(t)[i].name_off;

		if (!strcmp(btf__name_by_offset(b, off), name))
			return i;
	}
	return -1;
}

int fl_kbtf_member_exists(const struct fl_kbtf *k, const char *sname, const char *member)
{
	const struct btf *b;
	const struct btf_type *t = find(k, sname, BTF_KIND_STRUCT, &b);

	if (!t)
		return -1;
	return named_index(b, t, member) >= 0;
}

bool fl_kbtf_func_exists(const struct fl_kbtf *k, const char *func)
{
	const struct btf *b;

	return find(k, func, BTF_KIND_FUNC, &b) != NULL;
}

int fl_kbtf_func_param(const struct fl_kbtf *k, const char *func, const char *param)
{
	const struct btf *b;
	const struct btf_type *t = find(k, func, BTF_KIND_FUNC, &b);

	if (!t)
		return -1;
	t = btf__type_by_id(b, t->type);
	if (!t || !btf_is_func_proto(t))
		return -1;
	return named_index(b, t, param);
}

bool fl_kbtf_tracepoint_exists(const struct fl_kbtf *k, const char *name)
{
	char tname[128];
	const struct btf *b;

	snprintf(tname, sizeof(tname), "btf_trace_%s", name);
	return find(k, tname, BTF_KIND_TYPEDEF, &b) != NULL;
}
