// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "names.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const hook_names[FL_HOOK__COUNT] = {
	[FL_HOOK_DAX_PTE_FAULT] = "dax_pte_fault",
	[FL_HOOK_DAX_PMD_FAULT] = "dax_pmd_fault",
	[FL_HOOK_FUSE_DAX_FAULT] = "fuse_dax_fault",
	[FL_HOOK_FUSE_DAX_HUGE_FAULT] = "fuse_dax_huge_fault",
	[FL_HOOK_FUSE_DAX_PAGE_MKWRITE] = "fuse_dax_page_mkwrite",
	[FL_HOOK_FUSE_DAX_PFN_MKWRITE] = "fuse_dax_pfn_mkwrite",
	[FL_HOOK_FUSE_DO_SETATTR] = "fuse_do_setattr",
	[FL_HOOK_FUSE_FILE_FALLOCATE] = "fuse_file_fallocate",
	[FL_HOOK_FUSE_OPEN] = "fuse_open",
	[FL_HOOK_FUSE_DAX_BREAK_LAYOUTS] = "fuse_dax_break_layouts",
	[FL_HOOK_TRUNCATE_PAGECACHE] = "truncate_pagecache",
	[FL_HOOK_TRUNCATE_PAGECACHE_RANGE] = "truncate_pagecache_range",
	[FL_HOOK_FUSE_DAX_RECLAIM] = "fuse_dax_reclaim",
	[FL_HOOK_FUSE_REQUEST] = "fuse_request",
	[FL_HOOK_SYS_TRUNCATE] = "sys_truncate",
	[FL_HOOK_SYS_FTRUNCATE] = "sys_ftruncate",
	[FL_HOOK_SYS_FALLOCATE] = "sys_fallocate",
	[FL_HOOK_SYS_OPEN] = "sys_open",
	[FL_HOOK_SYS_OPENAT] = "sys_openat",
};

static const char *const mode_names[FL_MODE__COUNT] = {
	[FL_MODE_NONE] = "none",
	[FL_MODE_FENTRY] = "fentry",
	[FL_MODE_KPROBE] = "kprobe",
	[FL_MODE_TRACEPOINT] = "tracepoint",
};

static const char *const op_names[FL_OP__COUNT] = {
	[FL_OP_NONE] = "none",
	[FL_OP_FAULT] = "fault",
	[FL_OP_TRUNCATE] = "truncate",
	[FL_OP_PUNCH_HOLE] = "punch_hole",
	[FL_OP_ZERO_RANGE] = "zero_range",
	[FL_OP_COLLAPSE_RANGE] = "collapse_range",
	[FL_OP_FALLOCATE] = "fallocate",
	[FL_OP_OTRUNC] = "o_trunc",
	[FL_OP_RECLAIM] = "reclaim",
};

static const char *const lock_names[FL_LOCK__COUNT] = {
	[FL_LOCK_UNKNOWN] = "unknown",
	[FL_LOCK_NONE] = "none",
	[FL_LOCK_SHARED] = "shared",
	[FL_LOCK_SHARED_SELF] = "shared_self",
	[FL_LOCK_EXCL_SELF] = "exclusive_self",
	[FL_LOCK_EXCL_OTHER] = "exclusive_other",
};

static const char *const layout_names[FL_LAYOUT__COUNT] = {
	[FL_LAYOUT_UNKNOWN] = "unknown",
	[FL_LAYOUT_INVALIDATE_LOCK] = "mapping->invalidate_lock",
	[FL_LAYOUT_I_MMAP_SEM] = "fuse_inode::i_mmap_sem",
	[FL_LAYOUT_NONE] = "none",
};

static const char *const violation_names[FL_VIO__COUNT] = {
	[FL_VIO_RACE] = "race",
	[FL_VIO_UNSERIALIZED_FAULT] = "unserialized-fault",
	[FL_VIO_UNSERIALIZED_TRUNCATE] = "unserialized-truncate",
	[FL_VIO_UNSERIALIZED_RECLAIM] = "unserialized-reclaim",
};

static const char *const event_names[FL_EV__COUNT] = {
	[FL_EV_FAULT_BEGIN] = "fault_begin",
	[FL_EV_FAULT_END] = "fault_end",
	[FL_EV_OP_BEGIN] = "op_begin",
	[FL_EV_OP_END] = "op_end",
	[FL_EV_TEARDOWN] = "teardown",
};

static const char *const counter_names[FL_CTR__COUNT] = {
	[FL_CTR_HOOK_HITS] = "hook_hits",
	[FL_CTR_FAULTS] = "faults",
	[FL_CTR_OPS] = "ops",
	[FL_CTR_TEARDOWNS] = "teardowns",
	[FL_CTR_EVENTS] = "events",
	[FL_CTR_EVENTS_LOST] = "events_lost",
	[FL_CTR_VIOLATIONS] = "violations",
	[FL_CTR_VIOLATIONS_SUPPRESSED] = "violations_suppressed",
	[FL_CTR_VIOLATIONS_LOST] = "violations_lost",
	[FL_CTR_MAP_FULL] = "map_full",
	[FL_CTR_FILTERED_NOT_FUSE] = "filtered_not_fuse",
	[FL_CTR_FILTERED_NOT_DAX] = "filtered_not_dax",
	[FL_CTR_LOCK_UNKNOWN] = "lock_unknown",
	[FL_CTR_UNMATCHED_END] = "unmatched_end",
	[FL_CTR_OPS_INODE_UNKNOWN] = "ops_inode_unknown",
};

static const char *const inv_names[FL_INV__COUNT] = { "I1", "I2", "I3", "I4" };

static const char *const coverage_names[] = {
	[FL_COV_UNCHECKED] = "unchecked",
	[FL_COV_PARTIAL] = "partial",
	[FL_COV_CHECKED] = "checked",
};

static const char *lookup(const char *const *names, unsigned int n, unsigned int i)
{
	return i < n && names[i] ? names[i] : "?";
}

static int reverse(const char *const *names, unsigned int n, const char *name)
{
	for (unsigned int i = 0; name && i < n; i++)
		if (names[i] && !strcmp(names[i], name))
			return (int)i;
	return -1;
}

#define NAMES(fn, table)							\
	const char *fl_##fn##_name(unsigned int i)				\
	{									\
		return lookup(table, ARRAY_SIZE(table), i);			\
	}									\
	int fl_##fn##_from_name(const char *name)				\
	{									\
		return reverse(table, ARRAY_SIZE(table), name);			\
	}

NAMES(hook, hook_names)
NAMES(mode, mode_names)
NAMES(op, op_names)
NAMES(lock, lock_names)
NAMES(violation, violation_names)
NAMES(event, event_names)
NAMES(counter, counter_names)

const char *fl_inv_name(unsigned int i)
{
	return lookup(inv_names, ARRAY_SIZE(inv_names), i);
}

const char *fl_coverage_name(unsigned int i)
{
	return lookup(coverage_names, ARRAY_SIZE(coverage_names), i);
}

const char *fl_layout_name(unsigned int i)
{
	return lookup(layout_names, ARRAY_SIZE(layout_names), i);
}
