// SPDX-License-Identifier: GPL-2.0
/* Known issues for gate --known: see known.h. */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "known.h"
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

int fl_known_load(const char *path, struct fl_known_list *k, char *err, size_t len)
{
	char *line = NULL;
	size_t cap = 0, alloc = 0;
	unsigned int no = 0;
	ssize_t n;
	FILE *f;

	memset(k, 0, sizeof(*k));
	snprintf(k->file, sizeof(k->file), "%s", path);
	f = fopen(path, "re");
	if (!f) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = getline(&line, &cap, f)) != -1) {
		char *s, *hash, *pattern, *reason;

		no++;
		if ((size_t)n != strlen(line)) {
			snprintf(err, len, "%s:%u: a NUL byte in the line", path, no);
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
		if (k->n == alloc) {
			size_t na = alloc ? alloc * 2 : 8;
			void *p = realloc(k->v, na * sizeof(*k->v));

			if (!p) {
				snprintf(err, len, "%s: out of memory", path);
				goto fail;
			}
			k->v = p;
			alloc = na;
		}
		k->v[k->n].pattern = strdup(pattern);
		k->v[k->n].reason = strdup(reason);
		k->v[k->n].line = no;
		k->v[k->n].matched = 0;
		if (!k->v[k->n].pattern || !k->v[k->n].reason) {
			free(k->v[k->n].pattern);
			free(k->v[k->n].reason);
			snprintf(err, len, "%s: out of memory", path);
			goto fail;
		}
		fl_text_printable(k->v[k->n].reason);
		k->n++;
	}
	if (ferror(f)) {
		snprintf(err, len, "%s: read error: %s", path, strerror(errno));
		goto fail;
	}
	free(line);
	fclose(f);
	return 0;
fail:
	fl_text_printable(err);
	free(line);
	fclose(f);
	fl_known_free(k);
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
	free(k->v);
	k->v = NULL;
	k->n = 0;
}
