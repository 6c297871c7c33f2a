/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel layout faultline reads that is not the same in every kernel
 * it runs on (5.10 to 7.x, PREEMPT_RT included), in one place, as libbpf-tools'
 * core_fixes.bpf.h does: each ___flavor struct names the kernel change behind
 * it, and each accessor picks the layout the running kernel has with
 * bpf_core_field_exists(), so no CO-RE relocation can fail on a layout we know.
 * The rules the values feed are in include/faultline/rules.h.
 */
#ifndef FAULTLINE_CORE_FIXES_BPF_H
#define FAULTLINE_CORE_FIXES_BPF_H

#include <bpf/bpf_core_read.h>
#include "faultline/abi.h"
#include "faultline/rules.h"

/* configuration that decides layouts, fixed at load time (tools/session.c) */
/* FUSE kernel without the seed patch: no fault lock exists, FUSE DAX is unserialized */
const volatile bool cfg_fuse_unlocked = false;
/* fuse_do_setattr(): 6.9 put a struct mnt_idmap * before the dentry (found in BTF) */
const volatile __u32 cfg_setattr_dentry_arg = 0;
/*
 * The blocking send's struct fuse_args *: 6.x __fuse_simple_request(idmap, fm,
 * args) has it third (2), 5.10/6.1 fuse_simple_request(fm, args) second (1);
 * userspace sets it from the candidate attached (tools/plan.c)
 */
const volatile __u32 cfg_send_args_arg = 1;

/* ---- the fault lock ---- */

/*
 * 5.15: "mm: Protect operations adding pages to page cache with
 * invalidate_lock" (730633f0b7f9) put the fault lock of every filesystem in
 * struct address_space.
 */
struct address_space___fl {
	struct rw_semaphore invalidate_lock;
} __attribute__((preserve_access_index));

/*
 * 5.10 to 5.14: the seed patch (6ae330cad6ef) added fuse_inode::i_mmap_sem,
 * removed by "fuse: Convert to using invalidate_lock" (8bcbbe9c7c8e, 5.15).
 */
struct fuse_inode___v510 {
	struct inode inode;
	struct rw_semaphore i_mmap_sem;
} __attribute__((preserve_access_index));

/* ext4's own i_mmap_sem, until "ext4: Convert to use mapping->invalidate_lock" (5.15) */
struct ext4_inode_info___v510 {
	struct rw_semaphore i_mmap_sem;
	struct inode vfs_inode;
} __attribute__((preserve_access_index));

/*
 * PREEMPT_RT (5.15, "locking/rt: Add base code for RT rw_semaphore and
 * rwlock"): struct rw_semaphore { struct rwbase_rt rwbase; }, decoded by
 * fl_rwbase_decode(). Not in a non-RT vmlinux.h, so declared here whole.
 */
struct rt_mutex_base___fl {
	struct task_struct *owner;
} __attribute__((preserve_access_index));

struct rwbase_rt___fl {
	atomic_t readers;
	struct rt_mutex_base___fl rtmutex;
} __attribute__((preserve_access_index));

struct rw_semaphore___rt {
	struct rwbase_rt___fl rwbase;
} __attribute__((preserve_access_index));

/* The rw_semaphore that serializes DAX faults with truncation for this inode. */
static __always_inline struct rw_semaphore *fault_lock_of(struct inode *inode, __u16 flags)
{
	if (bpf_core_field_exists(struct address_space___fl, invalidate_lock)) {
		struct address_space___fl *mapping = (void *)BPF_CORE_READ(inode, i_mapping);

		return (void *)mapping +
		       bpf_core_field_offset(struct address_space___fl, invalidate_lock);
	}
	if ((flags & FL_F_FUSE) && bpf_core_field_exists(struct fuse_inode___v510, i_mmap_sem))
		return (void *)inode - bpf_core_field_offset(struct fuse_inode___v510, inode) +
		       bpf_core_field_offset(struct fuse_inode___v510, i_mmap_sem);
	if (!(flags & FL_F_FUSE) && BPF_CORE_READ(inode, i_sb, s_magic) == FL_EXT4_SUPER_MAGIC &&
	    bpf_core_field_exists(struct ext4_inode_info___v510, i_mmap_sem))
		return (void *)inode - bpf_core_field_offset(struct ext4_inode_info___v510, vfs_inode) +
		       bpf_core_field_offset(struct ext4_inode_info___v510, i_mmap_sem);
	return NULL;
}

/* Who holds @sem, as seen by the current task: either rw_semaphore layout. */
static __always_inline enum fl_lock rwsem_state(struct rw_semaphore *sem)
{
	if (bpf_core_field_exists(struct rw_semaphore, count))
		return fl_rwsem_decode(BPF_CORE_READ(sem, count.counter),
				       BPF_CORE_READ(sem, owner.counter), bpf_get_current_task());
	if (bpf_core_field_exists(struct rw_semaphore___rt, rwbase)) {
		struct rw_semaphore___rt *rt = (void *)sem;

		return fl_rwbase_decode(BPF_CORE_READ(rt, rwbase.readers.counter),
					(__u64)BPF_CORE_READ(rt, rwbase.rtmutex.owner),
					bpf_get_current_task());
	}
	return FL_LOCK_UNKNOWN;
}

/* The inode's fault lock state, read through probing loads (any hook). */
static __always_inline enum fl_lock lock_state(struct inode *inode, __u16 flags)
{
	struct rw_semaphore *sem;

	if ((flags & FL_F_FUSE) && cfg_fuse_unlocked)
		return FL_LOCK_NONE;
	sem = fault_lock_of(inode, flags);
	if (!sem)
		return FL_LOCK_UNKNOWN;
	return rwsem_state(sem);
}

/*
 * The fault path's version: the fs_dax tracepoints hand us BTF-typed
 * pointers (tp_btf), so on the common layout (5.15+, not RT) plain loads
 * replace bpf_probe_read() calls. @self is the current task, which the
 * caller has at hand.
 */
static __always_inline enum fl_lock fault_lock_state(struct inode *inode, __u16 flags, __u64 self)
{
	struct address_space___fl *mapping;

	if (bpf_core_field_exists(struct address_space___fl, invalidate_lock) &&
	    bpf_core_field_exists(struct rw_semaphore, count) &&
	    !((flags & FL_F_FUSE) && cfg_fuse_unlocked)) {
		mapping = (void *)inode->i_mapping;
		return fl_rwsem_decode(mapping->invalidate_lock.count.counter,
				       mapping->invalidate_lock.owner.counter, self);
	}
	return lock_state(inode, flags);
}

/* ---- faults ---- */

/*
 * vm_fault.flags: unsigned int up to 5.11, enum fault_flag from 5.12; CO-RE
 * does not match one to the other.
 */
enum fault_flag___fl { FAULT_FLAG_WRITE___fl = 1 };

struct vm_fault___enum_flags {
	enum fault_flag___fl flags;
} __attribute__((preserve_access_index));

struct vm_fault___int_flags {
	unsigned int flags;
} __attribute__((preserve_access_index));

#define FL_FAULT_FLAG_WRITE	0x01

/* @vmf is BTF-typed (the fs_dax tracepoints, tp_btf): plain loads */
static __always_inline __u32 vmf_flags(struct vm_fault *vmf)
{
	if (bpf_core_field_exists(struct vm_fault___enum_flags, flags))
		return ((struct vm_fault___enum_flags *)vmf)->flags;
	return ((struct vm_fault___int_flags *)vmf)->flags;
}

/* ---- inodes ---- */

/*
 * inode.i_state, and the I_WILL_FREE/I_FREEING bits in it:
 *   up to 6.11   unsigned long, bits #defined: (1 << 4), (1 << 5);
 *   6.12-6.17    u32, bits #defined (1 << 6), (1 << 7): the u32 came with the
 *                reordered bits (6.12, "fs: reorder i_state bits"), so the
 *                field's size tells them apart;
 *   6.18         enum inode_state_flags_t, the bits its enumerators (I_FREEING 256);
 *   7.x          struct inode_state_flags { enum inode_state_flags_enum __state; }.
 */
#define FL_I_WILL_FREE_OLD	(1 << 4)
#define FL_I_FREEING_OLD	(1 << 5)
#define FL_I_WILL_FREE_U32	(1 << 6)
#define FL_I_FREEING_U32	(1 << 7)

enum inode_state_flags_t___fl { I_WILL_FREE___t = 128, I_FREEING___t = 256 };
enum inode_state_flags_enum___fl { I_WILL_FREE___e = 128, I_FREEING___e = 256 };

struct inode_state_flags___fl {
	enum inode_state_flags_enum___fl __state;
} __attribute__((preserve_access_index));

struct inode___struct_state {
	struct inode_state_flags___fl i_state;
} __attribute__((preserve_access_index));

struct inode___enum_state {
	enum inode_state_flags_t___fl i_state;
} __attribute__((preserve_access_index));

struct inode___long_state {
	unsigned long i_state;
} __attribute__((preserve_access_index));

/* Is @inode being freed (eviction)? */
static __always_inline bool inode_freeing(struct inode *inode)
{
	__u64 state, bits;

	if (bpf_core_field_exists(struct inode___struct_state, i_state)) {
		state = BPF_CORE_READ((struct inode___struct_state *)inode, i_state.__state);
		bits = bpf_core_enum_value(enum inode_state_flags_enum___fl, I_WILL_FREE___e) |
		       bpf_core_enum_value(enum inode_state_flags_enum___fl, I_FREEING___e);
	} else if (bpf_core_field_exists(struct inode___enum_state, i_state)) {
		state = BPF_CORE_READ((struct inode___enum_state *)inode, i_state);
		bits = bpf_core_enum_value(enum inode_state_flags_t___fl, I_WILL_FREE___t) |
		       bpf_core_enum_value(enum inode_state_flags_t___fl, I_FREEING___t);
	} else if (bpf_core_field_size(struct inode___long_state, i_state) == 4) {
		/* 6.12-6.17: u32, the reordered bits */
		state = (__u32)BPF_CORE_READ((struct inode___long_state *)inode, i_state);
		bits = FL_I_WILL_FREE_U32 | FL_I_FREEING_U32;
	} else {
		state = BPF_CORE_READ((struct inode___long_state *)inode, i_state);
		bits = FL_I_WILL_FREE_OLD | FL_I_FREEING_OLD;
	}
	return state & bits;
}

static __always_inline __u16 inode_flags(struct inode *inode)
{
	__u16 flags = FL_F_INODE_KNOWN;

	if (BPF_CORE_READ(inode, i_sb, s_magic) == FL_FUSE_SUPER_MAGIC)
		flags |= FL_F_FUSE;
	if (BPF_CORE_READ(inode, i_flags) & FL_S_DAX)
		flags |= FL_F_DAX;
	return flags;
}

/* The inode behind file descriptor @fd of the current task, or NULL. */
static __always_inline struct inode *fd_inode(long fd)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds, *file = NULL;

	if (fd < 0 || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]) || !file)
		return NULL;
	return BPF_CORE_READ(file, f_inode);
}

/* ---- FUSE (fs/fuse/fuse_i.h: not in a vmlinux.h without FUSE built in) ---- */

#define FUSE_DAX_SHIFT		21	/* fs/fuse/dax.c: 2 MiB ranges */
#define FUSE_SETATTR		4
#define FUSE_OPEN		14
#define FUSE_FALLOCATE		43
#define FATTR_SIZE		(1 << 3)
/* uapi struct fuse_setattr_in.valid, fuse_fallocate_in.mode and fuse_attr_out.attr.ino offsets */
#define FUSE_SETATTR_IN_VALID	0
#define FUSE_FALLOCATE_IN_MODE	24
#define FUSE_ATTR_OUT_INO	16

struct interval_tree_node___fl {
	struct rb_node rb;
	unsigned long start;
	unsigned long last;
	unsigned long __subtree_last;	/* the largest last in the node's subtree */
} __attribute__((preserve_access_index));

struct fuse_dax_mapping___fl {
	struct inode *inode;
	struct interval_tree_node___fl itn;
} __attribute__((preserve_access_index));

/*
 * A FUSE inode's DAX ranges: fuse_inode::dax, a struct fuse_inode_dax (defined
 * in fs/fuse/dax.c since "fuse,virtiofs: add logic to free up a memory range",
 * 5.10) whose interval tree holds the inode's mapped ranges.
 */
struct fuse_inode_dax___fl {
	struct rb_root_cached tree;
} __attribute__((preserve_access_index));

struct fuse_inode___dax {
	struct inode inode;
	struct fuse_inode_dax___fl *dax;
} __attribute__((preserve_access_index));

/*
 * Where the DAX window ranges a FUSE inode has mapped end, in bytes: every
 * DAX mapping of a FUSE file maps window memory of one of them, so nothing at
 * or past the end is mapped. 0: none mapped. FL_EOF when it cannot be read
 * (not FUSE, or fuse.ko's types unknown, as on 5.10 without --btf).
 */
static __always_inline __u64 fuse_dax_mapped_end(struct inode *inode, __u16 flags)
{
	struct fuse_inode___dax *fi;
	struct fuse_inode_dax___fl *d;
	struct rb_node *root;
	__u64 last;

	if (!(flags & FL_F_FUSE) || !bpf_core_field_exists(struct fuse_inode___dax, dax))
		return FL_EOF;
	fi = (void *)inode - bpf_core_field_offset(struct fuse_inode___dax, inode);
	d = BPF_CORE_READ(fi, dax);
	if (!d)
		return FL_EOF;
	root = BPF_CORE_READ(d, tree.rb_root.rb_node);
	if (!root)
		return 0;
	last = BPF_CORE_READ((struct interval_tree_node___fl *)((void *)root -
			     bpf_core_field_offset(struct interval_tree_node___fl, rb)), __subtree_last);
	return (last + 1) << FUSE_DAX_SHIFT;
}

struct fuse_in_header___fl {
	__u32 opcode;
	__u32 pid;
} __attribute__((preserve_access_index));

struct fuse_arg___fl {
	void *value;
} __attribute__((preserve_access_index));

struct fuse_in_arg___fl {
	const void *value;
} __attribute__((preserve_access_index));

struct fuse_args___fl {
	__u32 opcode;
	struct fuse_in_arg___fl in_args[3];
	struct fuse_arg___fl out_args[2];
	void *end;	/* void (*end)(fm, args, error): the completion callback */
} __attribute__((preserve_access_index));

/*
 * fuse_args.may_block (a bool bitfield, in 5.10 and 6.12 alike): virtio-fs
 * completes a request so marked in a work item of its own, where it may
 * block; 42fbb31310b2 "fuse: mark DAX inode releases as blocking" marks DAX
 * releases. Read as a bitfield flavor so that a kernel without the member
 * reads "never marked" instead of failing a relocation.
 */
struct fuse_args___may_block {
	bool may_block:1;
} __attribute__((preserve_access_index));

static __always_inline int fuse_args_may_block(struct fuse_args___fl *args)
{
	struct fuse_args___may_block *mb = (void *)args;

	if (!args || !bpf_core_field_exists(struct fuse_args___may_block, may_block))
		return 0;
	return BPF_CORE_READ_BITFIELD_PROBED(mb, may_block);
}

struct fuse_mount___fl {
	struct super_block *sb;
} __attribute__((preserve_access_index));

/* 5.10 to 6.x: a request names its mount ("fuse: add fuse_mount", 5.10) */
struct fuse_req___fm {
	struct fuse_mount___fl *fm;
} __attribute__((preserve_access_index));

/* 7.x: a request names its channel, and the channel its connection */
struct fuse_conn___fl {
	dev_t dev;
} __attribute__((preserve_access_index));

struct fuse_chan___fl {
	struct fuse_conn___fl *conn;
} __attribute__((preserve_access_index));

struct fuse_req___chan {
	struct fuse_chan___fl *chan;
} __attribute__((preserve_access_index));

struct fuse_req___fl {
	struct fuse_args___fl *args;
	struct {
		struct fuse_in_header___fl h;
	} in;
} __attribute__((preserve_access_index));

/*
 * The kernel dev_t of a FUSE request's filesystem: the mount's superblock's,
 * or in 7.x the connection's (fuse_fill_super_common() sets fc->dev to
 * sb->s_dev). 0 if this kernel's layout is neither.
 */
static __always_inline __u32 fuse_req_dev(struct fuse_req___fl *req)
{
	if (bpf_core_field_exists(struct fuse_req___fm, fm))
		return BPF_CORE_READ((struct fuse_req___fm *)req, fm, sb, s_dev);
	if (bpf_core_field_exists(struct fuse_req___chan, chan))
		return BPF_CORE_READ((struct fuse_req___chan *)req, chan, conn, dev);
	return 0;
}

#endif /* FAULTLINE_CORE_FIXES_BPF_H */
