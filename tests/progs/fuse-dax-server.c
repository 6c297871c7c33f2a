// SPDX-License-Identifier: GPL-2.0
/*
 * fuse-dax-server: a FUSE server for faultline's test kernel that serves files of a backing
 * directory through a DAX window on a pmem device.
 *
 *   fuse-dax-server [--daxdev /dev/pmem0] [--options OPTS] [--threads N] [--dax-ranges N]
 *                   [--create-alias] [--debug] BACKING_DIR MOUNTPOINT
 *
 * It opens /dev/fuse, mounts MOUNTPOINT itself (with "daxdev=PATH,dax=always" when --daxdev is
 * given; that option comes from kernel-patch/testing/0001) and serves requests in the foreground
 * until the filesystem is unmounted. On exit it prints one line of JSON with request counts.
 *
 * Why raw /dev/fuse and not libfuse: libfuse 3.14 (Debian 12) has no handler slots for
 * FUSE_SETUPMAPPING (48) and FUSE_REMOVEMAPPING (49); its dispatcher answers every opcode it
 * does not know with ENOSYS before any user code runs, and its mount helpers do not pass
 * unknown options like daxdev= to the kernel. Those two opcodes are the point of this server,
 * and the rest of the protocol it needs is small, so it speaks the protocol directly.
 *
 * The DAX window. The kernel hands out 2 MiB ranges of the pmem device and sends
 * SETUPMAPPING(nodeid, foffset, len, moffset): from then on it reads, writes and maps the file
 * range [foffset, foffset+len) directly in device memory at moffset, with no further requests.
 * On a virtio-fs device that memory would be the host's mapping of the file itself. Here the
 * window is a copy, and this server keeps it coherent with the backing file:
 *   - SETUPMAPPING copies the file range into the window (zeros beyond EOF);
 *   - the window is authoritative for mapped ranges: it is written back to the file (never past
 *     EOF) on REMOVEMAPPING, FSYNC, before READ, on FORGET and when the connection ends (at
 *     unmount the kernel aborts the connection before it would send REMOVEMAPPING), not on
 *     FLUSH (close), which would cost a copy of every mapped range per close (opens are
 *     answered with FOPEN_NOFLUSH, so close(2) sends no FLUSH and never waits for the server);
 *   - requests that change the file under a mapping change the window too: WRITE copies its
 *     data in, a size change (SETATTR, fallocate, open(O_TRUNC)) zeros the window between the
 *     two sizes, fallocate PUNCH_HOLE/ZERO_RANGE zeros the affected part.
 * Device I/O uses O_DIRECT on the pmem block device, which reaches the same memory that the
 * kernel maps (buffered I/O would go through the block device's page cache instead).
 *
 * Threads. Writing a reply can wait on this very server: the reply to a background
 * FUSE_RELEASE runs the request's completion, fuse_release_end(), inside our write(2) to
 * /dev/fuse, and when it drops the last reference to an unlinked DAX inode the eviction sends
 * FUSE_REMOVEMAPPING and waits for its answer (fuse_dax_inode_cleanup(); the class of upstream
 * 42fbb31310b2 "fuse: mark DAX inode releases as blocking"). A server that answers one request
 * at a time never reads that REMOVEMAPPING, and the mount hangs for good. So requests are
 * served by a pool of worker threads, each reading /dev/fuse on the shared descriptor (the
 * kernel hands each request to one reader). A worker handles its request under one mutex
 * (nodes, window bookkeeping, stats, directory handles, the device I/O: every request is still
 * handled one at a time), copies the reply into its own buffer and writes it after dropping the
 * mutex, so a worker stuck in its write never blocks the others. The pool starts with
 * --threads workers (default 2) and grows by one whenever a worker takes a request while no
 * other one is waiting in read(), up to MAX_THREADS: there is always a free reader for the
 * request a blocked write waits on, however many writes block at once (the kernel sends up to
 * max_background, 16, background requests at a time). The main thread only waits for a signal
 * (SIGINT, SIGTERM) or for a worker to see the connection end, then writes the window back
 * under the mutex and exits. --threads 1 is the old single-threaded server: one worker, no
 * growth, so the reply above hangs it (the mutant that tests/e2e reproduces the hang with).
 *
 * A tiny window. --dax-ranges N mounts with the test kernel's daxranges=N: the connection
 * uses N 2 MiB ranges of the device, so that a workload touching more than N ranges makes
 * the kernel take ranges back from files (DAX range reclaim: inline, in the faulting task,
 * and in the background worker) with ordinary file sizes.
 *
 * Create aliases. The server decides what FUSE_CREATE returns. With --create-alias, a CREATE
 * of NAME.alias opens NAME (with the create's flags, O_TRUNC included) and answers with NAME's
 * node: the kernel then gets, for a name it believed new, an inode it may already have cached
 * and mapped (as it would from a hard link made behind its back, or another client's file on
 * a shared directory), and its O_TRUNC empties a file that other tasks are faulting.
 *
 * Files of the backing directory are reached through O_PATH descriptors (one per node, like
 * libfuse's passthrough_ll) and reopened through /proc/self/fd, so /proc must be mounted.
 *
 * --check-daxdev DEV opens DEV exclusively (O_EXCL) and closes it again: exit 0 if no mount
 * holds it (a DAX mount claims its window exclusively until the connection is freed), 1 if it
 * is busy. The guest helpers use it to check that the window can be mounted again.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <limits.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <linux/fuse.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <unistd.h>

#include "progs.h"

#define PROG "fuse-dax-server"
#define BLK 4096u			/* O_DIRECT alignment used for all device I/O */
#define MAX_WRITE (128u * 1024u)
#define BUF_SIZE (MAX_WRITE + 4096u)
#define MAX_THREADS 32u			/* the pool's limit (unless --threads asks for more) */

static bool debug;
static int fuse_fd = -1;
static int dax_fd = -1;			/* pmem device, O_RDWR|O_DIRECT */
static uint64_t dax_size;
static atomic_bool stop;		/* FUSE_DESTROY seen, or the connection ended */

/* Everything below the mutex: nodes, maps, directory handles, st, the device I/O. */
static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;

static struct {
	uint64_t requests, errors, setupmapping, removemapping, mapped_in_bytes,
		written_back_bytes, window_updates, read, write, setattr, fallocate, open_trunc,
		create_alias;
} st;

/* --create-alias: FUSE_CREATE of NAME.alias answers with NAME (see create_target()) */
static bool create_alias;

/* A worker: its request buffer and the reply handle() left for it to write unlocked. */
struct worker {
	char *in;
	char *out;
	size_t out_len;			/* 0: no reply (FORGET, INTERRUPT) */
};

static __thread struct worker *self;

/* The pool, under pool_lock: workers running, waiting in read(), most ever, limit. */
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int nr_workers, nr_idle, peak_workers, max_workers;
static atomic_int exit_status;		/* 1 once a worker ended on an error */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	progs_vexit(stderr, PROG ": ", fmt, ap);
}

static void dbg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void dbg(const char *fmt, ...)
{
	va_list ap;

	if (!debug)
		return;
	fprintf(stderr, PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- nodes: nodeid is an index into nodes[]; 1 is the backing directory ---- */

struct node {
	bool used;
	int fd;			/* O_PATH */
	int rwfd;		/* O_RDWR, opened on first use by the window code */
	dev_t dev;
	ino_t ino;
	uint64_t nlookup;
};

static struct node *nodes;
static size_t nr_nodes;

static struct node *get_node(uint64_t nodeid)
{
	if (nodeid == 0 || nodeid >= nr_nodes || !nodes[nodeid].used)
		return NULL;
	return &nodes[nodeid];
}

static int proc_open(int fd, int flags)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return open(path, flags | O_CLOEXEC);
}

static int node_rwfd(struct node *n)
{
	if (n->rwfd < 0)
		n->rwfd = proc_open(n->fd, O_RDWR);
	return n->rwfd;
}

/* Find or add the node of (dev, ino), taking over fd; counts one lookup. */
static uint64_t node_add(int fd, const struct stat *s)
{
	size_t i, fr = 0;

	for (i = 1; i < nr_nodes; i++) {
		if (nodes[i].used && nodes[i].dev == s->st_dev && nodes[i].ino == s->st_ino) {
			nodes[i].nlookup++;
			close(fd);
			return i;
		}
		if (!nodes[i].used && !fr && i > 1)
			fr = i;
	}
	if (!fr) {
		struct node *nn = realloc(nodes, (nr_nodes + 16) * sizeof(*nodes));

		if (!nn)
			die("out of memory");
		nodes = nn;
		memset(nodes + nr_nodes, 0, 16 * sizeof(*nodes));
		fr = nr_nodes;
		nr_nodes += 16;
	}
	nodes[fr] = (struct node){ .used = true, .fd = fd, .rwfd = -1, .dev = s->st_dev,
				   .ino = s->st_ino, .nlookup = 1 };
	return fr;
}

/* ---- the DAX window ---- */

struct mapping {
	bool used, writable;
	uint64_t nodeid, foffset, len, moffset;
};

static struct mapping *maps;
static size_t nr_maps;

static void *abuf(size_t len)
{
	void *p;

	if (posix_memalign(&p, BLK, len ? len : BLK))
		die("out of memory");
	return p;
}

static int full_pread(int fd, void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t r = pread(fd, (char *)buf + done, len - done, off + done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		done += r;
	}
	return (int)(done == len ? 0 : -EIO);
}

static int full_pwrite(int fd, const void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t r = pwrite(fd, (const char *)buf + done, len - done, off + done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EIO;
		done += r;
	}
	return 0;
}

static off_t file_size(int fd)
{
	struct stat s;

	return fstat(fd, &s) ? -1 : s.st_size;
}

/* File -> window for a whole mapping, zeros beyond EOF. */
static int map_fill(struct mapping *m)
{
	struct node *n = get_node(m->nodeid);
	char *buf = abuf(m->len);
	size_t got = 0;
	int fd, err = 0;

	if (!n || (fd = node_rwfd(n)) < 0) {
		free(buf);
		return -EIO;
	}
	while (got < m->len) {
		ssize_t r = pread(fd, buf + got, m->len - got, m->foffset + got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = -errno;
			break;
		}
		if (r == 0)
			break;
		got += r;
	}
	if (!err) {
		memset(buf + got, 0, m->len - got);
		err = full_pwrite(dax_fd, buf, m->len, m->moffset);
		st.mapped_in_bytes += m->len;
	}
	free(buf);
	return err;
}

/* Window -> file for a writable mapping, up to EOF only. */
static int map_writeback(struct mapping *m)
{
	struct node *n = get_node(m->nodeid);
	off_t size;
	uint64_t len;
	char *buf;
	int fd, err;

	if (!m->writable)
		return 0;
	if (!n || (fd = node_rwfd(n)) < 0 || (size = file_size(fd)) < 0)
		return -EIO;
	if ((uint64_t)size <= m->foffset)
		return 0;
	len = (uint64_t)size - m->foffset;
	if (len > m->len)
		len = m->len;
	buf = abuf(m->len);
	err = full_pread(dax_fd, buf, m->len, m->moffset);
	if (!err)
		err = full_pwrite(fd, buf, len, m->foffset);
	if (!err)
		st.written_back_bytes += len;
	free(buf);
	return err;
}

/*
 * Put data (or zeros if data is NULL) at device offset moff. O_DIRECT needs whole blocks: the
 * partial first and last blocks are read first, the blocks in between are only written.
 */
static int window_put(uint64_t moff, const void *data, uint64_t len)
{
	uint64_t a = moff / BLK * BLK, b = (moff + len + BLK - 1) / BLK * BLK;
	char *buf;
	int err = 0;

	if (!len)
		return 0;
	buf = abuf(b - a);
	if (moff != a)
		err = full_pread(dax_fd, buf, BLK, a);
	if (!err && (moff + len) % BLK && (b - BLK != a || moff == a))
		err = full_pread(dax_fd, buf + (b - a - BLK), BLK, b - BLK);
	if (!err) {
		if (data)
			memcpy(buf + (moff - a), data, len);
		else
			memset(buf + (moff - a), 0, len);
		err = full_pwrite(dax_fd, buf, b - a, a);
	}
	st.window_updates++;
	free(buf);
	return err;
}

/* Apply a change of file bytes [off, off+len) (data, or zeros if NULL) to every mapping. */
static int window_update(uint64_t nodeid, uint64_t off, uint64_t len, const char *data)
{
	size_t i;
	int err = 0;

	for (i = 0; i < nr_maps && !err; i++) {
		struct mapping *m = &maps[i];
		uint64_t s, e;

		if (!m->used || m->nodeid != nodeid)
			continue;
		s = off > m->foffset ? off : m->foffset;
		e = off + len < m->foffset + m->len ? off + len : m->foffset + m->len;
		if (s >= e)
			continue;
		err = window_put(m->moffset + (s - m->foffset), data ? data + (s - off) : NULL,
				 e - s);
	}
	return err;
}

/*
 * The file's size went from old to new. Window bytes past EOF are kept zero (from
 * SETUPMAPPING on; stores beyond the EOF page fault with SIGBUS), except for the tail of the
 * EOF page, which stores through a mapping may have dirtied. So zeroing from the lower size to
 * the end of the page of the higher one leaves the window as the file reads.
 */
static int window_resized(uint64_t nodeid, uint64_t old, uint64_t new)
{
	uint64_t lo = old < new ? old : new, hi = old < new ? new : old;

	hi = (hi + BLK - 1) / BLK * BLK;
	return hi > lo ? window_update(nodeid, lo, hi - lo, NULL) : 0;
}

static int writeback_node(uint64_t nodeid)
{
	size_t i;
	int err = 0;

	for (i = 0; i < nr_maps; i++)
		if (maps[i].used && (nodeid == 0 || maps[i].nodeid == nodeid)) {
			int e = map_writeback(&maps[i]);

			if (e && !err)
				err = e;
		}
	return err;
}

static void drop_node_maps(uint64_t nodeid)
{
	size_t i;

	for (i = 0; i < nr_maps; i++)
		if (maps[i].used && maps[i].nodeid == nodeid) {
			map_writeback(&maps[i]);
			maps[i].used = false;
		}
}

static int setupmapping(uint64_t nodeid, const struct fuse_setupmapping_in *in)
{
	struct node *n = get_node(nodeid);
	struct mapping *m = NULL;
	size_t i;
	int err;

	if (!n)
		return -ESTALE;
	if (dax_fd < 0)
		return -ENOSYS;
	if (in->len == 0 || in->moffset % BLK || in->len % BLK || in->foffset % BLK ||
	    in->moffset > dax_size || in->len > dax_size - in->moffset)
		return -EINVAL;
	for (i = 0; i < nr_maps; i++) {
		struct mapping *o = &maps[i];

		if (!o->used || o->moffset + o->len <= in->moffset ||
		    in->moffset + in->len <= o->moffset)
			continue;
		if (o->moffset == in->moffset && o->len == in->len && o->nodeid == nodeid &&
		    o->foffset == in->foffset) {
			/* The same range again, e.g. read-only upgraded to writable. */
			o->writable |= !!(in->flags & FUSE_SETUPMAPPING_FLAG_WRITE);
			dbg("setupmapping: upgrade moffset=%#" PRIx64 " writable=%d",
			    (uint64_t)in->moffset, o->writable);
			return 0;
		}
		/* The kernel reuses window space: retire whatever was there. */
		map_writeback(o);
		o->used = false;
	}
	for (i = 0; i < nr_maps; i++)
		if (!maps[i].used) {
			m = &maps[i];
			break;
		}
	if (!m) {
		struct mapping *nm = realloc(maps, (nr_maps + 64) * sizeof(*maps));

		if (!nm)
			die("out of memory");
		maps = nm;
		memset(maps + nr_maps, 0, 64 * sizeof(*maps));
		m = &maps[nr_maps];
		nr_maps += 64;
	}
	*m = (struct mapping){ .used = true, .nodeid = nodeid, .foffset = in->foffset,
			       .len = in->len, .moffset = in->moffset,
			       .writable = !!(in->flags & FUSE_SETUPMAPPING_FLAG_WRITE) };
	err = map_fill(m);
	if (err)
		m->used = false;
	st.setupmapping++;
	dbg("setupmapping: node=%" PRIu64 " foffset=%#" PRIx64 " len=%#" PRIx64
	    " moffset=%#" PRIx64 " flags=%#" PRIx64 " -> %d", nodeid, (uint64_t)in->foffset,
	    (uint64_t)in->len, (uint64_t)in->moffset, (uint64_t)in->flags, err);
	return err;
}

static int removemapping(const struct fuse_removemapping_in *in,
			 const struct fuse_removemapping_one *one, size_t avail)
{
	uint32_t k;
	size_t i;
	int err = 0;

	if ((uint64_t)in->count * sizeof(*one) > avail)
		return -EINVAL;
	for (k = 0; k < in->count; k++) {
		for (i = 0; i < nr_maps; i++) {
			struct mapping *m = &maps[i];

			if (m->used && m->moffset == one[k].moffset) {
				int e = map_writeback(m);

				if (e && !err)
					err = e;
				m->used = false;
			}
		}
		st.removemapping++;
		dbg("removemapping: moffset=%#" PRIx64 " len=%#" PRIx64,
		    (uint64_t)one[k].moffset, (uint64_t)one[k].len);
	}
	return err;
}

/* ---- replies ---- */

/*
 * Called with state_lock held: the reply is copied into the worker's buffer, and written by
 * send_reply() after the lock is dropped (the write may wait on another request, see the top).
 */
static void reply(uint64_t unique, int err, const void *arg, size_t len)
{
	struct fuse_out_header oh = { .len = sizeof(oh) + (err ? 0 : len), .error = err,
				      .unique = unique };

	if (err)
		st.errors++;
	if (!err && len > BUF_SIZE)
		die("reply of %zu bytes", len);
	memcpy(self->out, &oh, sizeof(oh));
	if (!err && len)
		memcpy(self->out + sizeof(oh), arg, len);
	self->out_len = oh.len;
}

static void send_reply(struct worker *w)
{
	const struct fuse_out_header *oh = (const void *)w->out;

	if (write(fuse_fd, w->out, w->out_len) < 0 && errno != ENOENT)
		dbg("reply %" PRIu64 ": %s", (uint64_t)oh->unique, strerror(errno));
}

static void fill_attr(struct fuse_attr *a, const struct stat *s, uint64_t nodeid)
{
	memset(a, 0, sizeof(*a));
	a->ino = nodeid == FUSE_ROOT_ID ? FUSE_ROOT_ID : s->st_ino;
	a->size = s->st_size;
	a->blocks = s->st_blocks;
	a->atime = s->st_atim.tv_sec;
	a->mtime = s->st_mtim.tv_sec;
	a->ctime = s->st_ctim.tv_sec;
	a->atimensec = s->st_atim.tv_nsec;
	a->mtimensec = s->st_mtim.tv_nsec;
	a->ctimensec = s->st_ctim.tv_nsec;
	a->mode = s->st_mode;
	a->nlink = s->st_nlink;
	a->uid = s->st_uid;
	a->gid = s->st_gid;
	a->rdev = s->st_rdev;
	a->blksize = 4096;
}

static int node_stat(struct node *n, struct stat *s)
{
	return fstatat(n->fd, "", s, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) ? -errno : 0;
}

/* Attributes are never cached: the backing directory may be changed behind our back. */
static void reply_attr(uint64_t unique, uint64_t nodeid)
{
	struct node *n = get_node(nodeid);
	struct fuse_attr_out out;
	struct stat s;
	int err = n ? node_stat(n, &s) : -ESTALE;

	memset(&out, 0, sizeof(out));
	if (!err)
		fill_attr(&out.attr, &s, nodeid);
	reply(unique, err, &out, sizeof(out));
}

static int do_lookup(uint64_t parent, const char *name, struct fuse_entry_out *out)
{
	struct node *p = get_node(parent);
	struct stat s;
	uint64_t id;
	int fd;

	memset(out, 0, sizeof(*out));
	if (!p)
		return -ESTALE;
	fd = openat(p->fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstatat(fd, "", &s, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) {
		int e = -errno;

		close(fd);
		return e;
	}
	id = node_add(fd, &s);
	out->nodeid = id;
	fill_attr(&out->attr, &s, id);
	return 0;
}

/* ---- directory handles ---- */

struct dirh {
	size_t n;
	struct { uint64_t ino; uint32_t type; char *name; } *e;
};

static int do_opendir(struct node *n, uint64_t *fh)
{
	struct dirh *h;
	struct dirent *de;
	int err;
	DIR *d = progs_fdopendir(proc_open(n->fd, O_RDONLY | O_DIRECTORY), &err);

	if (!d)
		return err;
	h = calloc(1, sizeof(*h));
	if (!h)
		die("out of memory");
	while ((de = readdir(d))) {
		void *ne = realloc(h->e, (h->n + 1) * sizeof(*h->e));

		if (!ne)
			die("out of memory");
		h->e = ne;
		h->e[h->n].ino = de->d_ino;
		h->e[h->n].type = de->d_type;
		h->e[h->n].name = strdup(de->d_name);
		if (!h->e[h->n].name)
			die("out of memory");
		h->n++;
	}
	closedir(d);
	*fh = (uint64_t)(uintptr_t)h;
	return 0;
}

static void do_readdir(uint64_t unique, const struct fuse_read_in *in)
{
	struct dirh *h = (struct dirh *)(uintptr_t)in->fh;
	size_t size = in->size < MAX_WRITE ? in->size : MAX_WRITE, used = 0, i;
	char *buf = calloc(1, size);

	if (!buf)
		die("out of memory");
	for (i = in->offset; h && i < h->n; i++) {
		size_t nl = strlen(h->e[i].name);
		size_t rl = FUSE_DIRENT_ALIGN(FUSE_NAME_OFFSET + nl);
		struct fuse_dirent *de = (struct fuse_dirent *)(buf + used);

		if (used + rl > size)
			break;
		de->ino = h->e[i].ino;
		de->off = i + 1;
		de->namelen = nl;
		de->type = h->e[i].type;
		memcpy(de->name, h->e[i].name, nl);
		used += rl;
	}
	reply(unique, 0, buf, used);
	free(buf);
}

static void free_dirh(uint64_t fh)
{
	struct dirh *h = (struct dirh *)(uintptr_t)fh;
	size_t i;

	if (!h)
		return;
	for (i = 0; i < h->n; i++)
		free(h->e[i].name);
	free(h->e);
	free(h);
}

/* ---- requests ---- */

/*
 * --create-alias: the name a FUSE_CREATE of @name opens. NAME.alias is served as NAME, an
 * existing file of the same directory: the reply names NAME's inode, which the kernel may
 * already have cached and mapped, as a server may answer when the name it is asked to create
 * is another name of an existing file (a hard link made behind the client's back, another
 * client's file on a shared directory). Returns @name itself, or @buf holding NAME.
 */
static const char *create_target(const char *name, char buf[NAME_MAX + 1])
{
	size_t len = strlen(name);

	if (!create_alias || len <= 6 || len > NAME_MAX || strcmp(name + len - 6, ".alias"))
		return name;
	memcpy(buf, name, len - 6);
	buf[len - 6] = '\0';
	return buf;
}

static int open_flags(uint32_t flags)
{
	/* O_APPEND would make pwrite() ignore the kernel's offsets. */
	return (int)(flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_APPEND | O_DIRECT)) | O_CLOEXEC;
}

static int do_setattr(uint64_t nodeid, const struct fuse_setattr_in *in)
{
	struct node *n = get_node(nodeid);
	struct timespec ts[2] = { { .tv_nsec = UTIME_OMIT }, { .tv_nsec = UTIME_OMIT } };
	char path[64];

	if (!n)
		return -ESTALE;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", n->fd);
	if ((in->valid & FATTR_MODE) && chmod(path, in->mode))
		return -errno;
	if ((in->valid & (FATTR_UID | FATTR_GID)) &&
	    fchownat(n->fd, "", (in->valid & FATTR_UID) ? in->uid : (uid_t)-1,
		     (in->valid & FATTR_GID) ? in->gid : (gid_t)-1,
		     AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -errno;
	if (in->valid & FATTR_SIZE) {
		int fd = (in->valid & FATTR_FH) ? (int)in->fh : node_rwfd(n);
		off_t old;

		if (fd < 0 || (old = file_size(fd)) < 0)
			return -EIO;
		if (ftruncate(fd, (off_t)in->size))
			return -errno;
		st.setattr++;
		window_resized(nodeid, (uint64_t)old, in->size);
	}
	if (in->valid & FATTR_ATIME)
		ts[0] = (struct timespec){ in->atime, in->atimensec };
	if (in->valid & FATTR_ATIME_NOW)
		ts[0].tv_nsec = UTIME_NOW;
	if (in->valid & FATTR_MTIME)
		ts[1] = (struct timespec){ in->mtime, in->mtimensec };
	if (in->valid & FATTR_MTIME_NOW)
		ts[1].tv_nsec = UTIME_NOW;
	if ((in->valid & (FATTR_ATIME | FATTR_MTIME | FATTR_ATIME_NOW | FATTR_MTIME_NOW)) &&
	    utimensat(AT_FDCWD, path, ts, 0))
		return -errno;
	return 0;
}

static int do_fallocate(uint64_t nodeid, const struct fuse_fallocate_in *in)
{
	int fd = (int)in->fh;
	off_t old = file_size(fd), now;

	if (old < 0)
		return -EBADF;
	if (fallocate(fd, (int)in->mode, (off_t)in->offset, (off_t)in->length)) {
		/* tmpfs has no ZERO_RANGE: a punched hole reads as zeros too. */
		if (errno != EOPNOTSUPP || !(in->mode & FALLOC_FL_ZERO_RANGE))
			return -errno;
		if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      (off_t)in->offset, (off_t)in->length))
			return -errno;
		if (!(in->mode & FALLOC_FL_KEEP_SIZE) &&
		    (uint64_t)old < in->offset + in->length &&
		    ftruncate(fd, (off_t)(in->offset + in->length)))
			return -errno;
	}
	st.fallocate++;
	if (in->mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE))
		window_update(nodeid, in->offset, in->length, NULL);
	now = file_size(fd);
	if (now > old)
		window_resized(nodeid, (uint64_t)old, (uint64_t)now);
	return 0;
}

static void do_init(uint64_t unique, const struct fuse_init_in *in, bool *inited)
{
	struct fuse_init_out out;
	uint64_t offered = in->flags;

	memset(&out, 0, sizeof(out));
	if (in->major != FUSE_KERNEL_VERSION) {
		fprintf(stderr, PROG ": kernel FUSE protocol %u.%u, need %u.x\n", in->major,
			in->minor, FUSE_KERNEL_VERSION);
		reply(unique, -EPROTO, NULL, 0);
		return;
	}
	if (offered & FUSE_INIT_EXT)
		offered |= (uint64_t)in->flags2 << 32;
	out.major = FUSE_KERNEL_VERSION;
	out.minor = in->minor < FUSE_KERNEL_MINOR_VERSION ? in->minor : FUSE_KERNEL_MINOR_VERSION;
	out.max_readahead = in->max_readahead;
	out.max_write = MAX_WRITE;
	out.max_background = 16;
	out.congestion_threshold = 12;
	out.time_gran = 1;
	/*
	 * ATOMIC_O_TRUNC: open(O_TRUNC) truncates in OPEN, so fuse_open() takes the DAX
	 * truncate path. MAP_ALIGNMENT: the kernel offers it when the connection has a DAX
	 * window; mapping offsets must be 4 KiB aligned (log2 12).
	 */
	out.flags = (uint32_t)(offered & (FUSE_ATOMIC_O_TRUNC | FUSE_BIG_WRITES |
					  FUSE_MAP_ALIGNMENT));
	if (offered & FUSE_MAP_ALIGNMENT)
		out.map_alignment = 12;
	dbg("init: kernel %u.%u flags %#" PRIx64 " dax window %s", in->major, in->minor, offered,
	    (offered & FUSE_MAP_ALIGNMENT) ? "offered" : "not offered");
	*inited = true;
	reply(unique, 0, &out, sizeof(out));
}

static void handle(const char *req, size_t len)
{
	const struct fuse_in_header *h = (const void *)req;
	const char *arg = req + sizeof(*h);
	size_t alen = len - sizeof(*h);
	static bool inited;
	struct node *n = get_node(h->nodeid);
	int err = 0;

	st.requests++;
	dbg("op %u unique %" PRIu64 " node %" PRIu64 " len %u", h->opcode, (uint64_t)h->unique,
	    (uint64_t)h->nodeid, h->len);
	if (!inited && h->opcode != FUSE_INIT) {
		reply(h->unique, -EIO, NULL, 0);
		return;
	}

	switch (h->opcode) {
	case FUSE_INIT:
		if (alen < offsetof(struct fuse_init_in, flags2))
			break;
		do_init(h->unique, (const void *)arg, &inited);
		return;
	case FUSE_DESTROY:
		reply(h->unique, 0, NULL, 0);
		atomic_store(&stop, true);
		return;
	case FUSE_FORGET: {
		const struct fuse_forget_in *in = (const void *)arg;

		if (n && h->nodeid != FUSE_ROOT_ID) {
			n->nlookup = in->nlookup > n->nlookup ? 0 : n->nlookup - in->nlookup;
			if (!n->nlookup) {
				drop_node_maps(h->nodeid);
				close(n->fd);
				if (n->rwfd >= 0)
					close(n->rwfd);
				n->used = false;
			}
		}
		return;			/* no reply */
	}
	case FUSE_BATCH_FORGET: {
		const struct fuse_batch_forget_in *in = (const void *)arg;
		const struct fuse_forget_one *one = (const void *)(in + 1);
		uint32_t i;

		if (alen < sizeof(*in) || (uint64_t)in->count * sizeof(*one) > alen - sizeof(*in))
			return;
		for (i = 0; i < in->count; i++) {
			struct node *fn = get_node(one[i].nodeid);

			if (!fn || one[i].nodeid == FUSE_ROOT_ID)
				continue;
			fn->nlookup = one[i].nlookup > fn->nlookup ? 0 : fn->nlookup - one[i].nlookup;
			if (!fn->nlookup) {
				drop_node_maps(one[i].nodeid);
				close(fn->fd);
				if (fn->rwfd >= 0)
					close(fn->rwfd);
				fn->used = false;
			}
		}
		return;
	}
	case FUSE_INTERRUPT:
		return;			/* requests are answered promptly anyway */
	case FUSE_LOOKUP: {
		struct fuse_entry_out out;

		err = do_lookup(h->nodeid, arg, &out);
		reply(h->unique, err, &out, sizeof(out));
		return;
	}
	case FUSE_GETATTR:
		reply_attr(h->unique, h->nodeid);
		return;
	case FUSE_SETATTR:
		err = do_setattr(h->nodeid, (const void *)arg);
		if (err)
			break;
		reply_attr(h->unique, h->nodeid);
		return;
	case FUSE_OPEN: {
		const struct fuse_open_in *in = (const void *)arg;
		struct fuse_open_out out = { 0 };
		struct stat os;
		off_t old;
		int fd;

		if (!n) {
			err = -ESTALE;
			break;
		}
		old = node_stat(n, &os) ? 0 : os.st_size;
		fd = proc_open(n->fd, open_flags(in->flags));
		if (fd < 0) {
			err = -errno;
			break;
		}
		if (in->flags & O_TRUNC) {
			st.open_trunc++;
			window_resized(h->nodeid, (uint64_t)old, 0);
		}
		out.fh = (uint64_t)fd;
		out.open_flags = FOPEN_NOFLUSH;
		reply(h->unique, 0, &out, sizeof(out));
		return;
	}
	case FUSE_CREATE: {
		const struct fuse_create_in *in = (const void *)arg;
		const char *name = (const char *)(in + 1);
		struct {
			struct fuse_entry_out e;
			struct fuse_open_out o;
		} out;
		char target[NAME_MAX + 1];
		struct stat os;
		bool existed;
		int fd;

		memset(&out, 0, sizeof(out));
		if (!n) {
			err = -ESTALE;
			break;
		}
		name = create_target(name, target);
		existed = !fstatat(n->fd, name, &os, AT_SYMLINK_NOFOLLOW) && S_ISREG(os.st_mode);
		fd = openat(n->fd, name, open_flags(in->flags) | O_CREAT, in->mode & ~in->umask);
		if (fd < 0) {
			err = -errno;
			break;
		}
		err = do_lookup(h->nodeid, name, &out.e);
		if (err) {
			close(fd);
			break;
		}
		/* O_CREAT|O_TRUNC of a file that exists (a race, or an alias) empties it */
		if (existed && (in->flags & O_TRUNC)) {
			st.open_trunc++;
			window_resized(out.e.nodeid, (uint64_t)os.st_size, 0);
		}
		if (name == target)
			st.create_alias++;
		out.o.fh = (uint64_t)fd;
		out.o.open_flags = FOPEN_NOFLUSH;
		reply(h->unique, 0, &out, sizeof(out));
		return;
	}
	case FUSE_MKNOD: {
		const struct fuse_mknod_in *in = (const void *)arg;
		struct fuse_entry_out out;

		if (!n) {
			err = -ESTALE;
			break;
		}
		if (mknodat(n->fd, (const char *)(in + 1), in->mode & ~in->umask, in->rdev)) {
			err = -errno;
			break;
		}
		err = do_lookup(h->nodeid, (const char *)(in + 1), &out);
		reply(h->unique, err, &out, sizeof(out));
		return;
	}
	case FUSE_MKDIR: {
		const struct fuse_mkdir_in *in = (const void *)arg;
		struct fuse_entry_out out;

		if (!n) {
			err = -ESTALE;
			break;
		}
		if (mkdirat(n->fd, (const char *)(in + 1), in->mode & ~in->umask)) {
			err = -errno;
			break;
		}
		err = do_lookup(h->nodeid, (const char *)(in + 1), &out);
		reply(h->unique, err, &out, sizeof(out));
		return;
	}
	case FUSE_UNLINK:
	case FUSE_RMDIR:
		if (!n)
			err = -ESTALE;
		else if (unlinkat(n->fd, arg, h->opcode == FUSE_RMDIR ? AT_REMOVEDIR : 0))
			err = -errno;
		break;
	case FUSE_READ: {
		const struct fuse_read_in *in = (const void *)arg;
		size_t size = in->size < MAX_WRITE ? in->size : MAX_WRITE;
		char *buf = malloc(size ? size : 1);
		ssize_t r;

		if (!buf)
			die("out of memory");
		writeback_node(h->nodeid);
		r = pread((int)in->fh, buf, size, (off_t)in->offset);
		st.read++;
		reply(h->unique, r < 0 ? -errno : 0, buf, r < 0 ? 0 : (size_t)r);
		free(buf);
		return;
	}
	case FUSE_WRITE: {
		const struct fuse_write_in *in = (const void *)arg;
		const char *data = (const char *)(in + 1);
		struct fuse_write_out out = { 0 };
		ssize_t r;

		if (alen < sizeof(*in) || in->size > alen - sizeof(*in)) {
			err = -EINVAL;
			break;
		}
		r = pwrite((int)in->fh, data, in->size, (off_t)in->offset);
		if (r < 0) {
			err = -errno;
			break;
		}
		st.write++;
		window_update(h->nodeid, in->offset, (uint64_t)r, data);
		out.size = (uint32_t)r;
		reply(h->unique, 0, &out, sizeof(out));
		return;
	}
	case FUSE_FLUSH:
		break;
	case FUSE_FSYNC: {
		const struct fuse_fsync_in *in = (const void *)arg;

		err = writeback_node(h->nodeid);
		if (!err && fsync((int)in->fh))
			err = -errno;
		break;
	}
	case FUSE_RELEASE: {
		const struct fuse_release_in *in = (const void *)arg;

		close((int)in->fh);
		break;
	}
	case FUSE_FALLOCATE:
		err = do_fallocate(h->nodeid, (const void *)arg);
		break;
	case FUSE_OPENDIR: {
		struct fuse_open_out out = { 0 };

		if (!n) {
			err = -ESTALE;
			break;
		}
		err = do_opendir(n, &out.fh);
		reply(h->unique, err, &out, sizeof(out));
		return;
	}
	case FUSE_READDIR:
		do_readdir(h->unique, (const void *)arg);
		return;
	case FUSE_RELEASEDIR:
		free_dirh(((const struct fuse_release_in *)arg)->fh);
		break;
	case FUSE_FSYNCDIR:
		break;
	case FUSE_STATFS: {
		struct fuse_statfs_out out;
		struct statvfs sv;

		memset(&out, 0, sizeof(out));
		if (fstatvfs(nodes[FUSE_ROOT_ID].fd, &sv)) {
			err = -errno;
			break;
		}
		out.st.blocks = sv.f_blocks;
		out.st.bfree = sv.f_bfree;
		out.st.bavail = sv.f_bavail;
		out.st.files = sv.f_files;
		out.st.ffree = sv.f_ffree;
		out.st.bsize = sv.f_bsize;
		out.st.frsize = sv.f_frsize;
		out.st.namelen = sv.f_namemax;
		reply(h->unique, 0, &out, sizeof(out));
		return;
	}
	case FUSE_SETUPMAPPING:
		if (alen < sizeof(struct fuse_setupmapping_in)) {
			err = -EINVAL;
			break;
		}
		err = setupmapping(h->nodeid, (const void *)arg);
		break;
	case FUSE_REMOVEMAPPING: {
		const struct fuse_removemapping_in *in = (const void *)arg;

		if (alen < sizeof(*in)) {
			err = -EINVAL;
			break;
		}
		err = removemapping(in, (const void *)(in + 1), alen - sizeof(*in));
		break;
	}
	default:
		err = -ENOSYS;
		break;
	}
	reply(h->unique, err, NULL, 0);
}

/* ---- workers ---- */

static void worker_end(int status)
{
	int none = 0;

	atomic_store(&stop, true);
	atomic_compare_exchange_strong(&exit_status, &none, status);
	kill(getpid(), SIGUSR1);	/* wakes the main thread's sigwait() */
}

static int start_worker(void);

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	self = w;
	while (!atomic_load(&stop)) {
		bool spawn;
		ssize_t r;

		pthread_mutex_lock(&pool_lock);
		nr_idle++;
		pthread_mutex_unlock(&pool_lock);
		r = read(fuse_fd, w->in, BUF_SIZE);
		/* No other worker left in read(): start one, so that the next request is read
		 * even if this one's reply blocks. */
		pthread_mutex_lock(&pool_lock);
		nr_idle--;
		spawn = r > 0 && nr_idle == 0 && nr_workers < max_workers;
		pthread_mutex_unlock(&pool_lock);
		if (spawn && start_worker())
			dbg("could not start another worker");
		if (r < 0) {
			if (errno == EINTR || errno == EAGAIN || errno == ENOENT)
				continue;
			if (errno == ENODEV) {	/* unmounted, or the connection was aborted */
				worker_end(0);
				break;
			}
			fprintf(stderr, PROG ": read /dev/fuse: %s\n", strerror(errno));
			worker_end(1);
			break;
		}
		if ((size_t)r < sizeof(struct fuse_in_header) ||
		    ((struct fuse_in_header *)w->in)->len != (uint32_t)r) {
			fprintf(stderr, PROG ": short request (%zd bytes)\n", r);
			worker_end(1);
			break;
		}
		w->out_len = 0;
		pthread_mutex_lock(&state_lock);
		handle(w->in, (size_t)r);
		pthread_mutex_unlock(&state_lock);
		if (w->out_len)
			send_reply(w);
		if (atomic_load(&stop))
			worker_end(0);
	}
	return NULL;
}

/* Start one more worker (detached; the process ends with exit()). 0 or an error number. */
static int start_worker(void)
{
	struct worker *w = calloc(1, sizeof(*w));
	pthread_attr_t attr;
	pthread_t t;
	int err;

	if (!w || !(w->in = malloc(BUF_SIZE)) ||
	    !(w->out = malloc(sizeof(struct fuse_out_header) + BUF_SIZE)))
		die("out of memory");
	pthread_mutex_lock(&pool_lock);
	if (nr_workers >= max_workers) {
		pthread_mutex_unlock(&pool_lock);
		free(w->in);
		free(w->out);
		free(w);
		return EAGAIN;
	}
	nr_workers++;
	if (nr_workers > peak_workers)
		peak_workers = nr_workers;
	pthread_mutex_unlock(&pool_lock);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	err = pthread_create(&t, &attr, worker_main, w);
	pthread_attr_destroy(&attr);
	if (err) {
		pthread_mutex_lock(&pool_lock);
		nr_workers--;
		pthread_mutex_unlock(&pool_lock);
		free(w->in);
		free(w->out);
		free(w);
	}
	return err;
}

/* --check-daxdev: is DEV free to be claimed by a mount? */
static int check_daxdev(const char *dev)
{
	int fd = open(dev, O_RDONLY | O_EXCL | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, PROG ": %s: %s\n", dev,
			errno == EBUSY ? "busy (still claimed by a mount)" : strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: " PROG " [--daxdev DEV] [--options OPTS] [--threads N] [--dax-ranges N]\n"
		"       [--create-alias] [--debug] BACKING_DIR MOUNTPOINT\n"
		"       " PROG " --check-daxdev DEV\n"
		"  -x, --daxdev DEV  use block device DEV (e.g. /dev/pmem0) as DAX window (dax=always)\n"
		"  -o, --options O   append O to the mount options (e.g. dax=never, to test them)\n"
		"  -t, --threads N   start N worker threads (default 2; the pool grows when all are\n"
		"                    busy, up to %u); 1: single-threaded, as before (can hang, see the\n"
		"                    source's header)\n"
		"  -r, --dax-ranges N  use only N 2 MiB ranges of the window (mount option\n"
		"                    daxranges=N of the test kernel): DAX range reclaim then runs under\n"
		"                    ordinary workloads\n"
		"  -a, --create-alias  answer FUSE_CREATE of NAME.alias with the existing file NAME\n"
		"                    (its inode, which the kernel may have mapped; O_TRUNC empties it)\n"
		"  -c, --check-daxdev DEV  exit 0 if DEV can be opened exclusively (no mount holds it)\n"
		"  -d, --debug       log every request to stderr\n"
		"  -h, --help        this text\n"
		"Serves BACKING_DIR at MOUNTPOINT until unmounted; then prints a JSON summary.\n",
		MAX_THREADS);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "daxdev", required_argument, NULL, 'x' },
		{ "options", required_argument, NULL, 'o' },
		{ "threads", required_argument, NULL, 't' },
		{ "dax-ranges", required_argument, NULL, 'r' },
		{ "create-alias", no_argument, NULL, 'a' },
		{ "check-daxdev", required_argument, NULL, 'c' },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *daxdev = NULL, *extra = NULL, *backing, *mnt;
	char mopts[PATH_MAX + 256];
	unsigned long threads = 2, ranges = 0;
	sigset_t sigs;
	struct stat s;
	char *end;
	int c, rootfd, sig, ret;

	opterr = 0;	/* one line of our own instead of getopt's */
	while ((c = getopt_long(argc, argv, "x:o:t:r:ac:dh", opts, NULL)) != -1) {
		switch (c) {
		case 'x':
			daxdev = optarg;
			break;
		case 'o':
			extra = optarg;
			break;
		case 't':
			errno = 0;
			threads = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || threads < 1 || threads > 1024) {
				fprintf(stderr, PROG ": --threads wants a number from 1 to 1024\n");
				return 2;
			}
			break;
		case 'r':
			errno = 0;
			ranges = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || ranges < 1 || ranges > 1u << 20) {
				fprintf(stderr, PROG ": --dax-ranges wants a number from 1 to 1048576\n");
				return 2;
			}
			break;
		case 'a':
			create_alias = true;
			break;
		case 'c':
			return check_daxdev(optarg);
		case 'd':
			debug = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, PROG ": bad option or missing argument: %s (try --help)\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, PROG ": need BACKING_DIR and MOUNTPOINT (try --help)\n");
		return 2;
	}
	backing = argv[optind];
	mnt = argv[optind + 1];
	if (ranges && !daxdev) {
		fprintf(stderr, PROG ": --dax-ranges needs --daxdev\n");
		return 2;
	}
	if (daxdev && strchr(daxdev, ',')) {
		fprintf(stderr, PROG ": --daxdev must not contain ','\n");
		return 2;
	}
	max_workers = threads == 1 ? 1 : threads > MAX_THREADS ? (unsigned int)threads : MAX_THREADS;

	rootfd = open(backing, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0 || fstat(rootfd, &s))
		die("backing directory %s: %s", backing, strerror(errno));
	if (daxdev) {
		dax_fd = open(daxdev, O_RDWR | O_DIRECT | O_CLOEXEC);
		if (dax_fd < 0)
			die("daxdev %s: %s", daxdev, strerror(errno));
		if (ioctl(dax_fd, BLKGETSIZE64, &dax_size) || dax_size < 2u << 20)
			die("daxdev %s: not a block device of at least 2 MiB", daxdev);
	}
	nr_nodes = 16;
	nodes = calloc(nr_nodes, sizeof(*nodes));
	if (!nodes)
		die("out of memory");
	nodes[FUSE_ROOT_ID] = (struct node){ .used = true, .fd = rootfd, .rwfd = -1,
					     .dev = s.st_dev, .ino = s.st_ino, .nlookup = 1 };

	fuse_fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (fuse_fd < 0)
		die("/dev/fuse: %s", strerror(errno));
	snprintf(mopts, sizeof(mopts),
		 "fd=%d,rootmode=%o,user_id=%u,group_id=%u,allow_other,default_permissions%s%s%s%s",
		 fuse_fd, S_IFDIR, getuid(), getgid(), daxdev ? ",dax=always,daxdev=" : "",
		 daxdev ? daxdev : "", extra ? "," : "", extra ? extra : "");
	if (ranges)
		snprintf(mopts + strlen(mopts), sizeof(mopts) - strlen(mopts), ",daxranges=%lu",
			 ranges);
	if (mount(PROG, mnt, "fuse." PROG, MS_NOSUID | MS_NODEV, mopts))
		die("mount %s (%s): %s", mnt, mopts, strerror(errno));
	dbg("mounted %s on %s with %s, %lu worker(s), up to %u", backing, mnt, mopts, threads,
	    max_workers);

	/* Blocked in every thread (workers inherit the mask); the main thread takes them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	while (threads--)
		if ((errno = start_worker()))
			die("starting a worker: %s", strerror(errno));
	do {
		if (sigwait(&sigs, &sig))
			sig = SIGTERM;
	} while (sig == SIGUSR1 && !atomic_load(&stop));
	atomic_store(&stop, true);
	ret = atomic_load(&exit_status);

	/*
	 * Taken for good: a worker busy with a request finishes it first, and none starts
	 * another. The kernel will not send REMOVEMAPPING after the connection ended.
	 */
	pthread_mutex_lock(&state_lock);
	if (writeback_node(0)) {
		fprintf(stderr, PROG ": writing the DAX window back failed\n");
		ret = 1;
	}
	pthread_mutex_lock(&pool_lock);
	printf("{\"requests\":%" PRIu64 ",\"error_replies\":%" PRIu64 ",\"setupmapping\":%" PRIu64
	       ",\"removemapping\":%" PRIu64 ",\"mapped_in_bytes\":%" PRIu64
	       ",\"written_back_bytes\":%" PRIu64 ",\"window_updates\":%" PRIu64
	       ",\"read\":%" PRIu64 ",\"write\":%" PRIu64 ",\"setattr_size\":%" PRIu64
	       ",\"fallocate\":%" PRIu64 ",\"open_trunc\":%" PRIu64
	       ",\"create_alias\":%" PRIu64 ",\"threads\":%u,\"dax\":%s}\n",
	       st.requests, st.errors, st.setupmapping, st.removemapping, st.mapped_in_bytes,
	       st.written_back_bytes, st.window_updates, st.read, st.write, st.setattr,
	       st.fallocate, st.open_trunc, st.create_alias, peak_workers, dax_fd >= 0 ? "true" : "false");
	fflush(stdout);
	/* exit() ends the workers still waiting in read() (or in a reply that cannot finish) */
	exit(ret);
}
