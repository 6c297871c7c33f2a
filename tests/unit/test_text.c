// SPDX-License-Identifier: GPL-2.0
/* The text outputs' escaping (text.h) and waiver files (known.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "known.h"
#include "text.h"

static void expect_escaped(const char *in, const char *want)
{
	char buf[256], *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);

	assert_string_equal(fl_text_escape(in, buf, sizeof(buf)), want);
	/* fl_fputs_escaped writes the same, however long */
	assert_non_null(f);
	assert_int_equal(fl_fputs_escaped(in, f), 0);
	fclose(f);
	assert_string_equal(mem, want);
	free(mem);
}

static void escapes(void **state)
{
	expect_escaped("plain text: 0 violations", "plain text: 0 violations");
	expect_escaped("a\\b", "a\\\\b");
	expect_escaped("x\x1b[2K\rclean\nfake\tz", "x\\x1b[2K\\rclean\\nfake\\tz");
	expect_escaped("\x01\x7f", "\\x01\\x7f");
	/* printable UTF-8 passes: é, €, U+1F600 */
	expect_escaped("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		       "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	/* C1 controls are valid UTF-8, escaped byte by byte: U+009B (CSI), U+0085 (NEL) */
	expect_escaped("a\xc2\x9b" "2K\xc2\x85", "a\\xc2\\x9b2K\\xc2\\x85");
	/* U+00A0 is the first printable one after them */
	expect_escaped("\xc2\xa0", "\xc2\xa0");
	/* not UTF-8: a stray continuation, overlong, a surrogate, past U+10FFFF, cut short */
	expect_escaped("\x80", "\\x80");
	expect_escaped("\xc0\xaf", "\\xc0\\xaf");
	expect_escaped("\xed\xa0\x80", "\\xed\\xa0\\x80");
	expect_escaped("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");
	expect_escaped("\xe2\x82", "\\xe2\\x82");
	expect_escaped("\xe2\x82z", "\\xe2\\x82z");
	expect_escaped("\xff", "\\xff");
	expect_escaped(NULL, "?");
	expect_escaped("", "");
}

static void cut(void **state)
{
	char buf[6];

	/* never inside an escape or a character: "ab\x1b" does not fit in 5 bytes and a NUL */
	assert_string_equal(fl_text_escape("ab\x1b", buf, sizeof(buf)), "ab");
	assert_string_equal(fl_text_escape("a\xe2\x82\xac\xe2\x82\xac", buf, sizeof(buf)),
			    "a\xe2\x82\xac");
	assert_string_equal(fl_text_escape("abcdefgh", buf, sizeof(buf)), "abcde");
	assert_string_equal(fl_text_escape("abc", buf, 1), "");
	/* the worst case fits in FL_ESCAPED_MAX */
	{
		char big[FL_ESCAPED_MAX(3)];

		assert_string_equal(FL_ESC("\x1b\x1b\x1b", big), "\\x1b\\x1b\\x1b");
	}
}

static char *write_file(const char *text, size_t len)
{
	char *path = strdup("/tmp/test_text.XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

static void known_merge(void **state)
{
	static const char a[] = "# first\nrace: * # A\nstale: * # A2\n";
	static const char b[] = "race: x vs y # B\nunserialized-* # B2\n";
	static const char bad[] = "race: z # C\n\nx\0y # C2\n";
	char *pa = write_file(a, sizeof(a) - 1), *pb = write_file(b, sizeof(b) - 1);
	char *pc = write_file(bad, sizeof(bad) - 1), err[512], want[64];
	struct fl_known_list k = { 0 };
	struct fl_known *m;

	assert_int_equal(fl_known_load(pa, &k, err, sizeof(err)), 0);
	assert_int_equal(fl_known_load(pb, &k, err, sizeof(err)), 0);
	assert_int_equal(k.n, 4);
	assert_int_equal(k.nfiles, 2);
	/* the first file first: B's exact pattern is shadowed by A's glob */
	m = fl_known_match(&k, "race: x vs y", 3);
	assert_non_null(m);
	assert_string_equal(m->reason, "A");
	assert_string_equal(m->file, pa);
	assert_int_equal(m->line, 2);
	m = fl_known_match(&k, "unserialized-fault: f", 1);
	assert_non_null(m);
	assert_string_equal(m->file, pb);
	assert_int_equal(m->line, 2);
	/* a bad file leaves the list as it was */
	assert_int_equal(fl_known_load(pc, &k, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:3: a NUL byte in the line", pc);
	assert_string_equal(err, want);
	assert_int_equal(k.n, 4);
	assert_int_equal(k.nfiles, 2);
	fl_known_free(&k);
	assert_int_equal(k.n, 0);
	assert_null(k.v);
	unlink(pa);
	unlink(pb);
	unlink(pc);
	free(pa);
	free(pb);
	free(pc);
}

static void known_long_line(void **state)
{
	size_t n = FL_KNOWN_MAX_LINE + 2;
	char *text = malloc(n), *path, err[512], want[64];
	struct fl_known_list k = { 0 };

	assert_non_null(text);
	/* a comment of exactly FL_KNOWN_MAX_LINE bytes is read */
	memset(text, 'a', n);
	text[0] = '#';
	text[FL_KNOWN_MAX_LINE] = '\n';
	path = write_file(text, FL_KNOWN_MAX_LINE + 1);
	assert_int_equal(fl_known_load(path, &k, err, sizeof(err)), 0);
	unlink(path);
	free(path);
	/* one byte more is not */
	text[FL_KNOWN_MAX_LINE] = 'a';
	text[FL_KNOWN_MAX_LINE + 1] = '\n';
	path = write_file(text, n);
	assert_int_equal(fl_known_load(path, &k, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:1: line longer than 1048576 bytes", path);
	assert_string_equal(err, want);
	fl_known_free(&k);
	unlink(path);
	free(path);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapes),
		cmocka_unit_test(cut),
		cmocka_unit_test(known_merge),
		cmocka_unit_test(known_long_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
