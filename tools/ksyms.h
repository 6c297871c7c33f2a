/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel symbols from /proc/kallsyms: symbolize stacks, check functions exist. */
#ifndef FAULTLINE_KSYMS_H
#define FAULTLINE_KSYMS_H

#include <stdbool.h>
#include <stddef.h>

struct fl_ksyms;

/* Load @path (NULL: /proc/kallsyms). NULL with errno set on failure. */
struct fl_ksyms *fl_ksyms_load(const char *path);
void fl_ksyms_free(struct fl_ksyms *ks);

/* Addresses are all zero when kptr_restrict hides them: nothing to symbolize. */
bool fl_ksyms_have_addresses(const struct fl_ksyms *ks);

/* Is @name a text symbol (function) of the kernel or a loaded module? */
bool fl_ksyms_has_func(const struct fl_ksyms *ks, const char *name);

/*
 * "function+0xoff" or "function+0xoff [module]" for @addr; "?" when the
 * address is in no known symbol. Never prints the address itself.
 */
void fl_ksyms_format(const struct fl_ksyms *ks, unsigned long addr, char *buf, size_t len);

#endif
