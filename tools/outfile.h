/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output files (gate --junit, --ktap, --kcidb): an output never destroys an
 * input, and a failed write never leaves half a file. Before anything is
 * written, the caller refuses a path that names an input (fl_out_same()),
 * and fl_out_check() one that is an existing faultline log, a symbolic
 * link, or anything but a regular file; then each
 * output is written to a temporary beside it (fl_out_open()) that replaces it
 * only once every byte is out (fl_out_commit()), or is removed
 * (fl_out_abort()).
 */
#ifndef FAULTLINE_OUTFILE_H
#define FAULTLINE_OUTFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct fl_out {
	FILE *f;
	char path[PATH_MAX];	/* the output */
	char tmp[PATH_MAX];	/* its temporary, "" once renamed or removed */
};

/*
 * Whether @path may be written as an output: 0, or -1 with the reason (one
 * line, "is ...; refusing to ...") in @err when it is an existing faultline
 * log, a symbolic link, or exists and is not a regular file. Reads at most
 * the first 4 KiB of an existing file, and never blocks on one. (Whether it
 * is one of the inputs is fl_out_same() against each.)
 */
int fl_out_check(const char *path, char *err, size_t len);
/* Whether @a and @b name the same file (the same path, inode, or directory and name). */
bool fl_out_same(const char *a, const char *b);
/* "a directory", "a FIFO", ... for a file that is not a regular file. */
const char *fl_out_kind(mode_t mode);

/*
 * A temporary beside @path (mode 0666 less the umask, as a new file), or
 * NULL with the reason in @err. Write to the FILE, then commit or abort.
 */
FILE *fl_out_open(struct fl_out *o, const char *path, char *err, size_t len);
/* Close, check every write, rename over the output: 0, or -1 (temporary removed) with @err. */
int fl_out_commit(struct fl_out *o, char *err, size_t len);
/* Close and remove the temporary. */
void fl_out_abort(struct fl_out *o);

#endif
