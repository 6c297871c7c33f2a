/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the test helper programs of tests/progs share: a fatal message, and a directory stream
 * on a descriptor that never leaks it.
 */
#ifndef FL_PROGS_H
#define FL_PROGS_H

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* @prefix, the message and a newline on @f; then exit(1) */
static inline void __attribute__((format(printf, 3, 0), noreturn))
progs_vexit(FILE *f, const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, f);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
	exit(1);
}

/*
 * A directory stream on @fd (the result of an open: negative when that failed), which it then
 * owns; NULL with -errno in *@err when the open or fdopendir() failed, @fd closed after errno
 * was taken (close() may change it).
 */
static inline DIR *progs_fdopendir(int fd, int *err)
{
	DIR *d = fd < 0 ? NULL : fdopendir(fd);

	if (!d) {
		*err = -errno;
		if (fd >= 0)
			close(fd);
	}
	return d;
}

#endif /* FL_PROGS_H */
