/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Known issues (gate --known FILE), as LKFT keeps them: one title pattern per
 * line with the reason it is accepted,
 *	race: dax_iomap_pte_fault vs fuse_file_fallocate   # upstream 7851bf649d42, not in 5.10
 * (an fnmatch(3) glob over the violation's title, " # ", a reason; '#' lines
 * and blank lines are comments). Violations whose title matches are waived:
 * reported, but they do not fail the gate. A waiver that matched nothing is
 * reported too, so that stale ones get cleaned up.
 *
 * Several files (gate --known A --known B) make one list: their waivers in
 * the order given, so a title is waived by the first file's first match. Each
 * waiver keeps its own file and line. A line is at most FL_KNOWN_MAX_LINE
 * bytes and holds no NUL byte; the file is read with bounded memory.
 */
#ifndef FAULTLINE_KNOWN_H
#define FAULTLINE_KNOWN_H

#include <stddef.h>
#include <stdint.h>

/* Longest line of a waiver file, without its newline: the log reader's limit (FL_LOG_MAX_LINE). */
#define FL_KNOWN_MAX_LINE (1 << 20)

struct fl_known {
	char *pattern;
	char *reason;
	const char *file;	/* the file it is in (owned by the list) */
	unsigned int line;
	uint64_t matched;	/* violations it waived */
};

struct fl_known_list {
	char **files;		/* the files read, in order */
	size_t nfiles;
	struct fl_known *v;	/* the waivers of every file, in order */
	size_t n, cap;
};

/*
 * Read @path and add its waivers to @k (zeroed before the first). 0, or -1
 * with "PATH:LINE: reason" (one line) in @err and @k as it was.
 */
int fl_known_load(const char *path, struct fl_known_list *k, char *err, size_t len);
/* The waiver @title matches (its count goes up by @count), or NULL. @k may be NULL. */
struct fl_known *fl_known_match(struct fl_known_list *k, const char *title, uint64_t count);
void fl_known_free(struct fl_known_list *k);

#endif
