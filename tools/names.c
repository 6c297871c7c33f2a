// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <linux/fuse.h>
#include "names.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define HOOK_NAME_FN(ID, name, ...) [FL_HOOK_##ID] = #name,
#define HOOK_NAME_TP(ID, name, ...) [FL_HOOK_##ID] = #name,
static const char *const hook_names[FL_HOOK__COUNT] = {
	FL_HOOKS(HOOK_NAME_FN, HOOK_NAME_TP)
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

#define VIO_NAME(ID, name, inv) [FL_VIO_##ID] = name,
static const char *const violation_names[FL_VIO__COUNT] = {
	FL_VIOLATIONS(VIO_NAME)
};

#define VIO_INV(ID, name, inv) [FL_VIO_##ID] = inv,
static const enum fl_inv violation_invs[FL_VIO__COUNT] = {
	FL_VIOLATIONS(VIO_INV)
};

static const char *const event_names[FL_EV__COUNT] = {
	[FL_EV_FAULT_BEGIN] = "fault_begin",
	[FL_EV_FAULT_END] = "fault_end",
	[FL_EV_OP_BEGIN] = "op_begin",
	[FL_EV_OP_END] = "op_end",
	[FL_EV_TEARDOWN] = "teardown",
	[FL_EV_LAYOUT_BREAK] = "layout_break",
};

#define CTR_NAME(ID, name) [FL_CTR_##ID] = name,
static const char *const counter_names[FL_CTR__COUNT] = {
	FL_COUNTERS(CTR_NAME)
};

#define INV_NAME(ID, what) [FL_##ID] = #ID,
static const char *const inv_names[FL_INV__COUNT] = {
	FL_INVARIANTS(INV_NAME)
};

#define INV_WHAT(ID, what) [FL_##ID] = what,
static const char *const inv_whats[FL_INV__COUNT] = {
	FL_INVARIANTS(INV_WHAT)
};

/* FUSE opcodes (uapi <linux/fuse.h>), as I6 violations name their requests */
#define OPC(name) [FUSE_##name] = "FUSE_" #name,
static const char *const fuse_opcode_names[] = {
	OPC(LOOKUP) OPC(FORGET) OPC(GETATTR) OPC(SETATTR) OPC(READLINK) OPC(SYMLINK)
	OPC(MKNOD) OPC(MKDIR) OPC(UNLINK) OPC(RMDIR) OPC(RENAME) OPC(LINK) OPC(OPEN)
	OPC(READ) OPC(WRITE) OPC(STATFS) OPC(RELEASE) OPC(FSYNC) OPC(SETXATTR)
	OPC(GETXATTR) OPC(LISTXATTR) OPC(REMOVEXATTR) OPC(FLUSH) OPC(INIT) OPC(OPENDIR)
	OPC(READDIR) OPC(RELEASEDIR) OPC(FSYNCDIR) OPC(GETLK) OPC(SETLK) OPC(SETLKW)
	OPC(ACCESS) OPC(CREATE) OPC(INTERRUPT) OPC(BMAP) OPC(DESTROY) OPC(IOCTL) OPC(POLL)
	OPC(NOTIFY_REPLY) OPC(BATCH_FORGET) OPC(FALLOCATE) OPC(READDIRPLUS) OPC(RENAME2)
	OPC(LSEEK) OPC(COPY_FILE_RANGE) OPC(SETUPMAPPING) OPC(REMOVEMAPPING)
};
#undef OPC

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
NAMES(coverage, coverage_names)
NAMES(fuse_opcode, fuse_opcode_names)

void fl_violation_sides(unsigned int kind, const char **first, const char **second)
{
	*first = kind == FL_VIO_RACE || kind == FL_VIO_UNSERIALIZED_FAULT ? "fault" :
		 kind == FL_VIO_BLOCKING_IN_COMPLETION ? "completion" : NULL;
	*second = kind == FL_VIO_UNSERIALIZED_FAULT ? NULL :
		  kind == FL_VIO_BLOCKING_IN_COMPLETION ? "send" : "op";
}

const char *fl_inv_name(unsigned int i)
{
	return lookup(inv_names, ARRAY_SIZE(inv_names), i);
}

const char *fl_inv_what(unsigned int i)
{
	return lookup(inv_whats, ARRAY_SIZE(inv_whats), i);
}

enum fl_inv fl_violation_inv(unsigned int kind)
{
	return kind < FL_VIO__COUNT ? violation_invs[kind] : FL_INV__COUNT;
}

const char *fl_layout_name(unsigned int i)
{
	return lookup(layout_names, ARRAY_SIZE(layout_names), i);
}
