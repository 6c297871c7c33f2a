/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stable violation titles, in the spirit of syzbot's crash titles: the kind
 * and the first meaningful frame of each side's symbolized stack, without
 * offsets, modules or compiler suffixes, so that one bug has one title on
 * every build and every machine:
 *   race: dax_iomap_pte_fault vs fuse_do_setattr
 *   unserialized-fault: dax_iomap_pte_fault
 *   unbroken-layout: fuse_do_setattr
 *   blocking-in-completion: FUSE_REMOVEMAPPING from fuse_release_end
 * The same title names a violation in report, gate --known, --junit, --ktap
 * and --kcidb.
 */
#ifndef FAULTLINE_TITLE_H
#define FAULTLINE_TITLE_H

#include <stddef.h>
#include <jansson.h>

#define FL_TITLE_MAX 160

/* @v: a violation as the log holds it. Never fails: a side without a stack is named by its hook. */
void fl_violation_title(json_t *v, char *buf, size_t len);

/* A stable 64-bit hash of @s (FNV-1a), for ids derived from titles and logs. */
unsigned long long fl_hash(const char *s);

#endif
