/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Escaping for the text outputs (gate's summary, report, trace, probe, the
 * KTAP stream): every string that comes from a log, a waiver file, the
 * command line or the kernel is escaped before it is printed, so that none
 * can move the cursor, erase a line or start a line of its own. The scheme is
 * that of C string literals and systemd's cescape() (faultline(8), TEXT
 * OUTPUT):
 *	\\		a backslash
 *	\n \r \t	newline, carriage return, tab
 *	\xHH		every other byte that is not part of printable, valid
 *			UTF-8 (two lowercase hex digits): the other C0 controls
 *			and DEL (\x1b, \x7f), both bytes of a C1 control
 *			(U+0080-U+009F: \xc2\x9b) and each byte of an invalid
 *			UTF-8 sequence (\xff)
 * Printable UTF-8 passes unchanged, and the result is one line.
 */
#ifndef FAULTLINE_TEXT_H
#define FAULTLINE_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* Room for any string of @n bytes escaped, and its NUL: each byte takes at most 4. */
#define FL_ESCAPED_MAX(n) (4 * (n) + 1)

/*
 * @s escaped into @buf of @len bytes (@len > 0); cut before the first
 * character or escape that does not fit, never inside one. NULL @s is "?".
 * Returns @buf, for printf's arguments.
 */
const char *fl_text_escape(const char *s, char *buf, size_t len);
/* The same into the array @buf. */
#define FL_ESC(s, buf) fl_text_escape((s), (buf), sizeof(buf))

/* Write @s escaped to @f, however long (NULL: "?"). 0, or EOF on a write error. */
int fl_fputs_escaped(const char *s, FILE *f);

/*
 * Make @s one line of printable, valid UTF-8 in place ('?' for anything else):
 * for strings that go into JSON or titles, where an escape would change them.
 */
void fl_text_printable(char *s);

#endif
