// SPDX-License-Identifier: GPL-2.0
/* Escaping for the text outputs: see text.h. */
#include <stdint.h>
#include <string.h>
#include "text.h"

/*
 * The next unit of @p: a printable character of valid UTF-8, copied, or one
 * byte escaped. Writes it to @out (at most 4 bytes, not NUL-terminated) and
 * returns its length there; *@used is how many bytes of @p it stands for.
 */
static size_t next_unit(const unsigned char *p, char out[4], size_t *used)
{
	static const char hex[] = "0123456789abcdef";
	int n = *p < 0x80 ? 0 : *p < 0xc2 ? -1 : *p < 0xe0 ? 1 : *p < 0xf0 ? 2 : *p < 0xf5 ? 3 : -1;
	uint32_t c = n > 0 ? *p & (0x3f >> n) : *p;
	int i;

	for (i = 1; i <= n && (p[i] & 0xc0) == 0x80; i++)
		c = c << 6 | (p[i] & 0x3f);
	if (n >= 0 && i > n && c >= 0x20 && c != 0x7f && c != '\\' && !(c >= 0x80 && c < 0xa0) &&
	    !(n == 2 && c < 0x800) && !(n == 3 && (c < 0x10000 || c > 0x10ffff)) &&
	    !(c >= 0xd800 && c < 0xe000)) {
		memcpy(out, p, n + 1);
		*used = n + 1;
		return n + 1;
	}
	/* a C1 control is valid UTF-8: escape its first byte, and its second next time */
	*used = 1;
	out[0] = '\\';
	switch (*p) {
	case '\\':
		out[1] = '\\';
		return 2;
	case '\n':
		out[1] = 'n';
		return 2;
	case '\r':
		out[1] = 'r';
		return 2;
	case '\t':
		out[1] = 't';
		return 2;
	}
	out[1] = 'x';
	out[2] = hex[*p >> 4];
	out[3] = hex[*p & 0xf];
	return 4;
}

const char *fl_text_escape(const char *s, char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)(s ?: "?");
	size_t at = 0;

	while (*p) {
		char unit[4];
		size_t used, n = next_unit(p, unit, &used);

		if (at + n >= len)
			break;
		memcpy(buf + at, unit, n);
		at += n;
		p += used;
	}
	buf[at] = 0;
	return buf;
}

int fl_fputs_escaped(const char *s, FILE *f)
{
	const unsigned char *p = (const unsigned char *)(s ?: "?");

	while (*p) {
		char unit[4];
		size_t used, n = next_unit(p, unit, &used);

		if (fwrite(unit, 1, n, f) != n)
			return EOF;
		p += used;
	}
	return 0;
}

/*
 * In place, for strings that go into JSON, titles and reasons (a reason may
 * quote bytes of a log, cut anywhere): one printable line of valid UTF-8,
 * '?' for anything else (overlong forms, surrogates, C0/C1 controls).
 */
void fl_text_printable(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p) {
		int n = *p < 0x80 ? 0 : *p < 0xc2 ? -1 : *p < 0xe0 ? 1 : *p < 0xf0 ? 2 :
			*p < 0xf5 ? 3 : -1;
		uint32_t c = n > 0 ? *p & (0x3f >> n) : *p;
		int i;

		for (i = 1; i <= n && (p[i] & 0xc0) == 0x80; i++)
			c = c << 6 | (p[i] & 0x3f);
		if (n < 0 || i <= n || c < 0x20 || (c >= 0x7f && c < 0xa0) ||
		    (n == 2 && c < 0x800) || (n == 3 && (c < 0x10000 || c > 0x10ffff)) ||
		    (c >= 0xd800 && c < 0xe000)) {
			*p++ = '?';
			continue;
		}
		p += n + 1;
	}
}
