// SPDX-License-Identifier: GPL-2.0
/*
 * fl-passthrough: a libfuse3 (high-level API) passthrough filesystem: every
 * path under the mount is the same path under a backing directory. It gives
 * faultline's tests and `make run` a real FUSE mount on kernels without
 * virtio-fs. Truncate, fallocate (punch hole, zero range) and O_TRUNC go
 * through to the backing file, so the kernel's FUSE shrinking paths run.
 *
 *   fl-passthrough BACKING_DIR MOUNTPOINT [libfuse options, e.g. -f]
 *
 * -o truncate_delay_ms=N makes every size change wait N ms in the server: the
 * reliability tests use it to hold a truncate in flight (to kill it there, or
 * to have two at once).
 * -o ino_high sets bit 63 of every inode number the server hands out, as
 * FUSE servers may: the kernel's i_ino is then above 2^63 (the live tests
 * read such inodes back from faultline's log).
 */
#define FUSE_USE_VERSION 31
#include <dirent.h>
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "progs.h"

static int backing = -1;	/* O_PATH fd of the backing directory */

static struct options {
	unsigned int truncate_delay_ms;
	int ino_high;
} opts;

static const struct fuse_opt option_spec[] = {
	{ "truncate_delay_ms=%u", offsetof(struct options, truncate_delay_ms), 0 },
	{ "ino_high", offsetof(struct options, ino_high), 1 },
	FUSE_OPT_END
};

#define INO_HIGH (1ULL << 63)

static ino_t ino_out(ino_t ino)
{
	return opts.ino_high ? ino | INO_HIGH : ino;
}

static void truncate_delay(void)
{
	if (opts.truncate_delay_ms)
		usleep(opts.truncate_delay_ms * 1000);
}

/* "/a/b" under the mount is "a/b" relative to the backing directory */
static const char *rel(const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

static int fl_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	int r = fi ? fstat(fi->fh, st) : fstatat(backing, rel(path), st, AT_SYMLINK_NOFOLLOW);

	if (r)
		return -errno;
	st->st_ino = ino_out(st->st_ino);
	return 0;
}

static int fl_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
		      struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	struct dirent *de;
	int err;
	DIR *d = progs_fdopendir(openat(backing, rel(path), O_RDONLY | O_DIRECTORY), &err);

	if (!d)
		return err;
	while ((de = readdir(d))) {
		struct stat st = { .st_ino = ino_out(de->d_ino), .st_mode = (mode_t)de->d_type << 12 };

		if (fill(buf, de->d_name, &st, 0, 0))
			break;
	}
	closedir(d);
	return 0;
}

static int fl_mkdir(const char *path, mode_t mode)
{
	return mkdirat(backing, rel(path), mode) ? -errno : 0;
}

static int fl_unlink(const char *path)
{
	return unlinkat(backing, rel(path), 0) ? -errno : 0;
}

static int fl_rmdir(const char *path)
{
	return unlinkat(backing, rel(path), AT_REMOVEDIR) ? -errno : 0;
}

static int fl_rename(const char *from, const char *to, unsigned int flags)
{
	if (flags)
		return -EINVAL;
	return renameat(backing, rel(from), backing, rel(to)) ? -errno : 0;
}

static int fl_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	int r = fi ? fchmod(fi->fh, mode) : fchmodat(backing, rel(path), mode, 0);

	return r ? -errno : 0;
}

static int fl_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi)
{
	int r = fi ? fchown(fi->fh, uid, gid) :
		fchownat(backing, rel(path), uid, gid, AT_SYMLINK_NOFOLLOW);

	return r ? -errno : 0;
}

static int fl_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	int fd, r;

	truncate_delay();
	if (fi)
		return ftruncate(fi->fh, size) ? -errno : 0;
	fd = openat(backing, rel(path), O_WRONLY);
	if (fd < 0)
		return -errno;
	r = ftruncate(fd, size) ? -errno : 0;
	close(fd);
	return r;
}

static int fl_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi)
{
	int r = fi ? futimens(fi->fh, tv) : utimensat(backing, rel(path), tv, AT_SYMLINK_NOFOLLOW);

	return r ? -errno : 0;
}

static int fl_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	int fd = openat(backing, rel(path), fi->flags, mode);

	if (fd < 0)
		return -errno;
	fi->fh = fd;
	return 0;
}

static int fl_open(const char *path, struct fuse_file_info *fi)
{
	int fd = openat(backing, rel(path), fi->flags);

	if (fd < 0)
		return -errno;
	fi->fh = fd;
	return 0;
}

static int fl_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	ssize_t n = pread(fi->fh, buf, size, off);

	return n < 0 ? -errno : (int)n;
}

static int fl_write(const char *path, const char *buf, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	ssize_t n = pwrite(fi->fh, buf, size, off);

	return n < 0 ? -errno : (int)n;
}

static int fl_statfs(const char *path, struct statvfs *st)
{
	int fd = openat(backing, ".", O_RDONLY | O_DIRECTORY), r;

	if (fd < 0)
		return -errno;
	r = fstatvfs(fd, st) ? -errno : 0;
	close(fd);
	return r;
}

static int fl_release(const char *path, struct fuse_file_info *fi)
{
	close(fi->fh);
	return 0;
}

static int fl_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	return (datasync ? fdatasync(fi->fh) : fsync(fi->fh)) ? -errno : 0;
}

static int fl_fallocate(const char *path, int mode, off_t off, off_t len,
			struct fuse_file_info *fi)
{
	return fallocate(fi->fh, mode, off, len) ? -errno : 0;
}

static void *fl_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	/* the backing file's inode numbers, and no attribute caching surprises */
	cfg->use_ino = 1;
	cfg->attr_timeout = 0;
	cfg->entry_timeout = 0;
	return NULL;
}

static const struct fuse_operations ops = {
	.init = fl_init,
	.getattr = fl_getattr,
	.readdir = fl_readdir,
	.mkdir = fl_mkdir,
	.unlink = fl_unlink,
	.rmdir = fl_rmdir,
	.rename = fl_rename,
	.chmod = fl_chmod,
	.chown = fl_chown,
	.truncate = fl_truncate,
	.utimens = fl_utimens,
	.create = fl_create,
	.open = fl_open,
	.read = fl_read,
	.write = fl_write,
	.statfs = fl_statfs,
	.release = fl_release,
	.fsync = fl_fsync,
	.fallocate = fl_fallocate,
};

int main(int argc, char *argv[])
{
	struct fuse_args args;
	char **fargv;
	int ret;

	if (argc < 3) {
		fprintf(stderr, "usage: %s BACKING_DIR MOUNTPOINT [libfuse options]\n", argv[0]);
		return 2;
	}
	backing = open(argv[1], O_PATH | O_DIRECTORY);
	if (backing < 0) {
		fprintf(stderr, "%s: backing directory %s: %s\n", argv[0], argv[1], strerror(errno));
		return 2;
	}
	/* libfuse parses the rest: argv[0] MOUNTPOINT [options] */
	fargv = calloc(argc, sizeof(*fargv));
	if (!fargv)
		return 2;
	fargv[0] = argv[0];
	for (int i = 2; i < argc; i++)
		fargv[i - 1] = argv[i];
	args = (struct fuse_args)FUSE_ARGS_INIT(argc - 1, fargv);
	if (fuse_opt_parse(&args, &opts, option_spec, NULL) == -1)
		return 2;
	ret = fuse_main(args.argc, args.argv, &ops, NULL);
	fuse_opt_free_args(&args);
	return ret;
}
