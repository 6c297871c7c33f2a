// SPDX-License-Identifier: GPL-2.0
/* Output files that never destroy an input nor leave half a file (outfile.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "outfile.h"

const char *fl_out_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISLNK(mode))
		return "a symbolic link";
	return "not a regular file";
}

/* A file's identity: its own inode if it exists, and its directory's inode and its name. */
struct ident {
	bool exists, dir_exists;
	dev_t dev, dir_dev;
	ino_t ino, dir_ino;
	const char *name;
};

static void identify(const char *path, struct ident *id)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	struct stat st;

	memset(id, 0, sizeof(*id));
	if (!stat(path, &st)) {
		id->exists = true;
		id->dev = st.st_dev;
		id->ino = st.st_ino;
	}
	if (slash)
		snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	else
		snprintf(dir, sizeof(dir), ".");
	id->name = slash ? slash + 1 : path;
	if (!stat(dir, &st)) {
		id->dir_exists = true;
		id->dir_dev = st.st_dev;
		id->dir_ino = st.st_ino;
	}
}

bool fl_out_same(const char *a, const char *b)
{
	struct ident ia, ib;

	if (!strcmp(a, b))
		return true;
	identify(a, &ia);
	identify(b, &ib);
	if (ia.exists && ib.exists)
		return ia.dev == ib.dev && ia.ino == ib.ino;
	return ia.dir_exists && ib.dir_exists && ia.dir_dev == ib.dir_dev &&
	       ia.dir_ino == ib.dir_ino && ia.name[0] && !strcmp(ia.name, ib.name);
}

/* The first line of a faultline log, as far as @buf holds it: a header, by faultline. */
static bool is_log(const char *buf, size_t n)
{
	static const char start[] = "{\"type\":\"header\"", tool[] = "\"tool\":\"faultline\"";
	const char *nl = memchr(buf, '\n', n);

	if (nl)
		n = nl - buf;
	return n >= sizeof(start) - 1 && !memcmp(buf, start, sizeof(start) - 1) &&
	       memmem(buf, n, tool, sizeof(tool) - 1);
}

int fl_out_check(const char *path, char *err, size_t len)
{
	char head[4096];
	struct stat st;
	ssize_t got;
	int fd, e;

	if (lstat(path, &st)) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, len, "cannot check it: %s", strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(err, len, "is a symbolic link; refusing to write through it");
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, len, "is %s, not a regular file; refusing to replace it",
			 fl_out_kind(st.st_mode));
		return -1;
	}
	/* what it holds: O_NONBLOCK and O_NOFOLLOW in case it changed since */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, len, "cannot read it to check that it is no log: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(err, len, "is not a regular file; refusing to replace it");
		return -1;
	}
	got = read(fd, head, sizeof(head));
	e = errno;
	close(fd);
	if (got < 0) {
		snprintf(err, len, "cannot read it to check that it is no log: %s", strerror(e));
		return -1;
	}
	if (is_log(head, got)) {
		snprintf(err, len, "is a faultline log (a LOG argument?); refusing to overwrite it");
		return -1;
	}
	return 0;
}

FILE *fl_out_open(struct fl_out *o, const char *path, char *err, size_t len)
{
	mode_t mask;
	int fd, e;

	memset(o, 0, sizeof(*o));
	if (snprintf(o->path, sizeof(o->path), "%s", path) >= (int)sizeof(o->path) ||
	    snprintf(o->tmp, sizeof(o->tmp), "%s.XXXXXX", path) >= (int)sizeof(o->tmp)) {
		o->tmp[0] = 0;
		snprintf(err, len, "cannot create it: %s", strerror(ENAMETOOLONG));
		return NULL;
	}
	fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		o->tmp[0] = 0;
		snprintf(err, len, "cannot create it: %s", strerror(e));
		return NULL;
	}
	/* the mode a new file gets (mkostemp makes it 0600) */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) || !(o->f = fdopen(fd, "w"))) {
		e = errno;
		close(fd);
		fl_out_abort(o);
		snprintf(err, len, "cannot create it: %s", strerror(e));
		return NULL;
	}
	return o->f;
}

int fl_out_commit(struct fl_out *o, char *err, size_t len)
{
	struct stat st;
	int e = 0;

	if (!o->f) {
		snprintf(err, len, "not open");
		fl_out_abort(o);
		return -1;
	}
	errno = 0;
	if (fflush(o->f))
		e = errno ?: EIO;
	else if (ferror(o->f))
		e = EIO;	/* an earlier write failed; its errno is gone */
	if (fclose(o->f) && !e)
		e = errno ?: EIO;
	o->f = NULL;
	if (e) {
		snprintf(err, len, "write error: %s", strerror(e));
		fl_out_abort(o);
		return -1;
	}
	/* what fl_out_check() let through may have changed since */
	if (!lstat(o->path, &st) && !S_ISREG(st.st_mode)) {
		snprintf(err, len, "is %s now, not a regular file; refusing to replace it",
			 fl_out_kind(st.st_mode));
		fl_out_abort(o);
		return -1;
	}
	if (rename(o->tmp, o->path)) {
		snprintf(err, len, "cannot replace it: %s", strerror(errno));
		fl_out_abort(o);
		return -1;
	}
	o->tmp[0] = 0;
	return 0;
}

void fl_out_abort(struct fl_out *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp[0])
		unlink(o->tmp);
	o->tmp[0] = 0;
}
