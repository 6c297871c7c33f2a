// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ksyms.h"

/* No kernel function is this large; no module function is this large either. */
#define FL_KSYM_MAX_FUNC	(1UL << 20)
#define FL_KSYM_MAX_MODULE_FUNC	(1UL << 17)

struct fl_ksym {
	unsigned long addr;
	const char *name;
	const char *module;	/* NULL for vmlinux */
	bool text;
};

struct fl_ksyms {
	struct fl_ksym *syms;	/* by address */
	struct fl_ksym **by_name;
	size_t n;
	char *strs;		/* every name and module, NUL separated */
	size_t strs_len, strs_cap;
	bool have_addresses;
};

static int by_addr(const void *a, const void *b)
{
	const struct fl_ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int by_name(const void *a, const void *b)
{
	const struct fl_ksym *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

static long add_str(struct fl_ksyms *ks, const char *s)
{
	size_t len = strlen(s) + 1;
	long off;

	if (ks->strs_len + len > ks->strs_cap) {
		size_t cap = ks->strs_cap ? ks->strs_cap * 2 : 1 << 20;
		char *p;

		while (cap < ks->strs_len + len)
			cap *= 2;
		p = realloc(ks->strs, cap);
		if (!p)
			return -1;
		ks->strs = p;
		ks->strs_cap = cap;
	}
	off = (long)ks->strs_len;
	memcpy(ks->strs + ks->strs_len, s, len);
	ks->strs_len += len;
	return off;
}

struct fl_ksyms *fl_ksyms_load(const char *path)
{
	FILE *f = fopen(path ? path : "/proc/kallsyms", "re");
	struct fl_ksyms *ks;
	char line[512], name[256], module[128];
	size_t cap = 0;
	/* names are stored as offsets until the string table stops moving */
	long *name_off = NULL, *mod_off = NULL;

	if (!f)
		return NULL;
	ks = calloc(1, sizeof(*ks));
	if (!ks)
		goto fail;
	while (fgets(line, sizeof(line), f)) {
		unsigned long addr;
		char type;
		int n;

		module[0] = 0;
		n = sscanf(line, "%lx %c %255s [%127[^]]]", &addr, &type, name, module);
		if (n < 3)
			continue;
		if (ks->n == cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			void *a = realloc(ks->syms, ncap * sizeof(*ks->syms));
			void *b = a ? realloc(name_off, ncap * sizeof(long)) : NULL;
			void *c = b ? realloc(mod_off, ncap * sizeof(long)) : NULL;

			if (a)
				ks->syms = a;
			if (b)
				name_off = b;
			if (!c)
				goto fail;
			mod_off = c;
			cap = ncap;
		}
		name_off[ks->n] = add_str(ks, name);
		mod_off[ks->n] = module[0] ? add_str(ks, module) : -1;
		if (name_off[ks->n] < 0)
			goto fail;
		ks->syms[ks->n].addr = addr;
		ks->syms[ks->n].text = type == 't' || type == 'T' || type == 'W' || type == 'w';
		if (addr)
			ks->have_addresses = true;
		ks->n++;
	}
	fclose(f);
	f = NULL;
	for (size_t i = 0; i < ks->n; i++) {
		ks->syms[i].name = ks->strs + name_off[i];
		ks->syms[i].module = mod_off[i] >= 0 ? ks->strs + mod_off[i] : NULL;
	}
	free(name_off);
	free(mod_off);
	name_off = mod_off = NULL;
	qsort(ks->syms, ks->n, sizeof(*ks->syms), by_addr);
	ks->by_name = malloc((ks->n ? ks->n : 1) * sizeof(*ks->by_name));
	if (!ks->by_name)
		goto fail;
	for (size_t i = 0; i < ks->n; i++)
		ks->by_name[i] = &ks->syms[i];
	qsort(ks->by_name, ks->n, sizeof(*ks->by_name), by_name);
	return ks;
fail:
	if (f)
		fclose(f);
	free(name_off);
	free(mod_off);
	fl_ksyms_free(ks);
	errno = ENOMEM;
	return NULL;
}

void fl_ksyms_free(struct fl_ksyms *ks)
{
	if (!ks)
		return;
	free(ks->syms);
	free(ks->by_name);
	free(ks->strs);
	free(ks);
}

bool fl_ksyms_have_addresses(const struct fl_ksyms *ks)
{
	return ks && ks->have_addresses;
}

bool fl_ksyms_has_func(const struct fl_ksyms *ks, const char *name)
{
	size_t lo = 0, hi;

	if (!ks)
		return false;
	hi = ks->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ks->by_name[mid]->name, name);

		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* several symbols may share a name (static functions): any text one will do */
	for (; lo < ks->n && !strcmp(ks->by_name[lo]->name, name); lo++)
		if (ks->by_name[lo]->text)
			return true;
	return false;
}

void fl_ksyms_format(const struct fl_ksyms *ks, unsigned long addr, char *buf, size_t len)
{
	size_t lo = 0, hi;
	const struct fl_ksym *s;

	if (!ks || !ks->have_addresses || !ks->n || addr < ks->syms[0].addr) {
		snprintf(buf, len, "?");
		return;
	}
	hi = ks->n;
	while (hi - lo > 1) {	/* last symbol at or below addr */
		size_t mid = lo + (hi - lo) / 2;

		if (ks->syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	s = &ks->syms[lo];
	/*
	 * kallsyms has no sizes. An address far past its nearest symbol is in
	 * no known function: BPF JIT images and trampolines live beyond the
	 * kernel image and between modules, and are listed only when
	 * net.core.bpf_jit_kallsyms is on.
	 */
	if (addr - s->addr > (s->module ? FL_KSYM_MAX_MODULE_FUNC : FL_KSYM_MAX_FUNC)) {
		snprintf(buf, len, "?");
		return;
	}
	if (s->module)
		snprintf(buf, len, "%s+0x%lx [%s]", s->name, addr - s->addr, s->module);
	else
		snprintf(buf, len, "%s+0x%lx", s->name, addr - s->addr);
}
