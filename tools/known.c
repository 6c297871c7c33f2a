// SPDX-License-Identifier: GPL-2.0
/* Known issues for gate --known: see known.h. */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "known.h"
#include "text.h"
#include "log.h"

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = 0;
	return s;
}

_Static_assert(FL_KNOWN_MAX_LINE == FL_LOG_MAX_LINE, "a waiver file's lines are a log's");

enum { LINE_OK, LINE_EOF, LINE_NUL, LINE_LONG, LINE_ERROR };

/*
 * One line of @f without its newline, NUL-terminated in @buf (room for
 * FL_KNOWN_MAX_LINE + 1 bytes): LINE_OK, LINE_EOF, or why it is refused,
 * as soon as that is known. No more than the buffer is ever held.
 */
static int read_line(FILE *f, char *buf)
{
	size_t n = 0;
	int c;

	while ((c = getc(f)) != EOF && c != '\n') {
		if (!c)
			return LINE_NUL;
		if (n == FL_KNOWN_MAX_LINE)
			return LINE_LONG;
		buf[n++] = (char)c;
	}
	if (c == EOF && ferror(f))
		return LINE_ERROR;
	if (c == EOF && !n)
		return LINE_EOF;
	buf[n] = 0;
	return LINE_OK;
}

/* Add one waiver of @file to @k. 0, or -1 out of memory. */
static int add(struct fl_known_list *k, const char *file, unsigned int no, const char *pattern,
	       const char *reason)
{
	struct fl_known *e;

	if (k->n == k->cap) {
		size_t na = k->cap ? k->cap * 2 : 8;
		void *p = realloc(k->v, na * sizeof(*k->v));

		if (!p)
			return -1;
		k->v = p;
		k->cap = na;
	}
	e = &k->v[k->n];
	e->pattern = strdup(pattern);
	e->reason = strdup(reason);
	e->file = file;
	e->line = no;
	e->matched = 0;
	if (!e->pattern || !e->reason) {
		free(e->pattern);
		free(e->reason);
		return -1;
	}
	fl_text_printable(e->reason);
	k->n++;
	return 0;
}

int fl_known_load(const char *path, struct fl_known_list *k, char *err, size_t len)
{
	size_t n0 = k->n;
	unsigned int no = 0;
	char *line, *file, **files;
	FILE *f = NULL;
	int r;

	files = realloc(k->files, (k->nfiles + 1) * sizeof(*files));
	if (files)
		k->files = files;
	file = strdup(path);
	line = malloc(FL_KNOWN_MAX_LINE + 1);
	if (!files || !file || !line)
		goto oom;
	f = fopen(path, "re");
	if (!f) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		goto fail;
	}
	while ((r = read_line(f, line)) != LINE_EOF) {
		char *s, *hash, *pattern, *reason;

		no++;
		if (r == LINE_NUL) {
			snprintf(err, len, "%s:%u: a NUL byte in the line", path, no);
			goto fail;
		}
		if (r == LINE_LONG) {
			snprintf(err, len, "%s:%u: line longer than %d bytes", path, no,
				 FL_KNOWN_MAX_LINE);
			goto fail;
		}
		if (r == LINE_ERROR) {
			snprintf(err, len, "%s: read error: %s", path, strerror(errno));
			goto fail;
		}
		s = trim(line);
		if (!*s || *s == '#')
			continue;
		hash = strstr(s, " #");
		if (!hash) {
			snprintf(err, len, "%s:%u: expected 'PATTERN # REASON' (every waiver says why)",
				 path, no);
			goto fail;
		}
		*hash = 0;
		pattern = trim(s);
		reason = trim(hash + 2);
		if (!*pattern || !*reason) {
			snprintf(err, len, "%s:%u: expected 'PATTERN # REASON' (an empty %s)", path, no,
				 *pattern ? "reason" : "pattern");
			goto fail;
		}
		if (add(k, file, no, pattern, reason))
			goto oom;
	}
	fclose(f);
	free(line);
	k->files[k->nfiles++] = file;
	return 0;
oom:
	snprintf(err, len, "%s: out of memory", path);
fail:
	fl_text_printable(err);
	if (f)
		fclose(f);
	free(line);
	free(file);
	/* @k as it was: none of this file's waivers */
	while (k->n > n0) {
		k->n--;
		free(k->v[k->n].pattern);
		free(k->v[k->n].reason);
	}
	return -1;
}

struct fl_known *fl_known_match(struct fl_known_list *k, const char *title, uint64_t count)
{
	for (size_t i = 0; k && i < k->n; i++) {
		if (!fnmatch(k->v[i].pattern, title, 0)) {
			k->v[i].matched += count;
			return &k->v[i];
		}
	}
	return NULL;
}

void fl_known_free(struct fl_known_list *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->v[i].pattern);
		free(k->v[i].reason);
	}
	for (size_t i = 0; i < k->nfiles; i++)
		free(k->files[i]);
	free(k->files);
	free(k->v);
	memset(k, 0, sizeof(*k));
}
