// SPDX-License-Identifier: GPL-2.0
/*
 * dax-check: data correctness of a FUSE DAX mount, in three steps around a mount/unmount.
 *
 *   dax-check prepare FILE    write the initial pattern to FILE (in the server's backing dir)
 *   dax-check exercise FILE   through the DAX mount: check S_DAX (statx), read() and compare,
 *                             mmap MAP_SHARED and compare, store through the mapping, munmap,
 *                             pwrite() inside the file (DAX write) and past EOF (FUSE_WRITE),
 *                             then read() and mmap again and compare with what is expected
 *   dax-check verify FILE     after unmount: FILE (backing dir) must hold the expected bytes
 *
 * Options: --size BYTES (initial size, default 3 MiB + 123: two DAX ranges, a partial page),
 *          --no-dax-ok (exercise: do not fail when the file is not S_DAX).
 * Prints one line; exit 0 pass, 1 mismatch or error, 2 usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "progs.h"

#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX 0x00200000
#endif

#define PROG "dax-check"

static size_t size0 = (3u << 20) + 123;

/* Regions stored through the mapping, then written with pwrite() inside the file. */
static const struct { size_t off, len; } mregions[] = {
	{ 100, 5000 },				/* first pages */
	{ (2u << 20) - 3000, 6000 },		/* across the 2 MiB DAX range boundary */
	{ 0, 0 },				/* the last 50 bytes, set in main() */
};
#define PW_OFF (1u << 20)
#define PW_LEN 10000u
#define EXT_LEN 7000u				/* appended with pwrite() at EOF */

static uint8_t pat_a(size_t i) { return (uint8_t)(i * 131u + (i >> 12) * 7u + 1u); }
static uint8_t pat_b(size_t i) { return (uint8_t)~pat_a(i) ^ 0x5a; }
static uint8_t pat_c(size_t i) { return (uint8_t)(i * 17u + 3u); }
static uint8_t pat_d(size_t i) { return (uint8_t)(i * 29u + 11u); }

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	progs_vexit(stdout, PROG ": FAIL: ", fmt, ap);
}

static size_t nregions(void)
{
	return sizeof(mregions) / sizeof(mregions[0]);
}

static void region(size_t k, size_t *off, size_t *len)
{
	*off = mregions[k].off;
	*len = mregions[k].len;
	if (!*len) {
		*off = size0 - 50;
		*len = 50;
	}
}

/* Expected content: stage 0 initial, 1 after the mapping stores, 2 final. */
static uint8_t *expected(int stage, size_t *sizep)
{
	size_t size = size0 + (stage >= 2 ? EXT_LEN : 0), i, k, off, len;
	uint8_t *e = malloc(size);

	if (!e)
		fail("out of memory");
	for (i = 0; i < size0; i++)
		e[i] = pat_a(i);
	if (stage >= 1)
		for (k = 0; k < nregions(); k++) {
			region(k, &off, &len);
			for (i = off; i < off + len; i++)
				e[i] = pat_b(i);
		}
	if (stage >= 2) {
		for (i = PW_OFF; i < PW_OFF + PW_LEN; i++)
			e[i] = pat_c(i);
		for (i = size0; i < size; i++)
			e[i] = pat_d(i);
	}
	*sizep = size;
	return e;
}

static void compare(const char *what, const uint8_t *got, const uint8_t *want, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (got[i] != want[i])
			fail("%s: byte %zu is %#x, expected %#x", what, i, got[i], want[i]);
}

static uint8_t *read_all(int fd, size_t len)
{
	uint8_t *b = malloc(len + 1);
	size_t done = 0;

	if (!b)
		fail("out of memory");
	while (done < len + 1) {
		ssize_t r = pread(fd, b + done, len + 1 - done, (off_t)done);

		if (r < 0)
			fail("read: %s", strerror(errno));
		if (r == 0)
			break;
		done += (size_t)r;
	}
	if (done != len)
		fail("read %zu bytes, expected %zu", done, len);
	return b;
}

static void write_all(int fd, const uint8_t *b, size_t len, off_t off)
{
	while (len) {
		ssize_t r = pwrite(fd, b, len, off);

		if (r <= 0)
			fail("write: %s", r < 0 ? strerror(errno) : "no progress");
		b += r;
		len -= (size_t)r;
		off += r;
	}
}

static void cmd_prepare(const char *file)
{
	size_t size;
	uint8_t *e = expected(0, &size);
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		fail("%s: %s", file, strerror(errno));
	write_all(fd, e, size, 0);
	if (fsync(fd) || close(fd))
		fail("%s: %s", file, strerror(errno));
	printf(PROG ": prepared %s (%zu bytes)\n", file, size);
}

static void cmd_exercise(const char *file, bool nodax_ok)
{
	size_t size, k, off, len, i;
	uint8_t *e, *got, *m, *tmp;
	struct statx stx;
	bool dax;
	int fd;

	if (statx(AT_FDCWD, file, 0, STATX_BASIC_STATS, &stx))
		fail("statx %s: %s", file, strerror(errno));
	dax = (stx.stx_attributes_mask & STATX_ATTR_DAX) && (stx.stx_attributes & STATX_ATTR_DAX);
	if (!dax && !nodax_ok)
		fail("%s is not a DAX file (statx attributes %#llx)", file,
		     (unsigned long long)stx.stx_attributes);

	fd = open(file, O_RDWR);
	if (fd < 0)
		fail("%s: %s", file, strerror(errno));

	/* read() of the initial content */
	e = expected(0, &size);
	got = read_all(fd, size);
	compare("read() of initial data", got, e, size);
	free(got);

	/* mmap: compare (faults every page), store, munmap */
	m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		fail("mmap: %s", strerror(errno));
	compare("mmap read of initial data", m, e, size);
	for (k = 0; k < nregions(); k++) {
		region(k, &off, &len);
		for (i = off; i < off + len; i++)
			m[i] = pat_b(i);
	}
	if (munmap(m, size))
		fail("munmap: %s", strerror(errno));
	free(e);

	/* read() must see the stores */
	e = expected(1, &size);
	got = read_all(fd, size);
	compare("read() after stores through the mapping", got, e, size);
	free(got);
	free(e);

	/* pwrite() inside the file (DAX write) and past EOF (FUSE_WRITE) */
	tmp = malloc(PW_LEN > EXT_LEN ? PW_LEN : EXT_LEN);
	if (!tmp)
		fail("out of memory");
	for (i = 0; i < PW_LEN; i++)
		tmp[i] = pat_c(PW_OFF + i);
	write_all(fd, tmp, PW_LEN, PW_OFF);
	for (i = 0; i < EXT_LEN; i++)
		tmp[i] = pat_d(size0 + i);
	write_all(fd, tmp, EXT_LEN, (off_t)size0);
	free(tmp);

	e = expected(2, &size);
	got = read_all(fd, size);
	compare("read() after pwrite()", got, e, size);
	free(got);
	m = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		fail("mmap: %s", strerror(errno));
	compare("mmap read after pwrite()", m, e, size);
	munmap(m, size);
	free(e);
	if (close(fd))
		fail("close: %s", strerror(errno));
	printf(PROG ": exercise ok: %s dax=%d size=%zu\n", file, dax, size);
}

static void cmd_verify(const char *file)
{
	size_t size;
	uint8_t *e = expected(2, &size), *got;
	int fd = open(file, O_RDONLY);

	if (fd < 0)
		fail("%s: %s", file, strerror(errno));
	got = read_all(fd, size);
	compare("backing file after unmount", got, e, size);
	close(fd);
	printf(PROG ": verify ok: %s holds all %zu expected bytes\n", file, size);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "no-dax-ok", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool nodax_ok = false;
	char *end;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "s:nh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			errno = 0;
			size0 = strtoul(optarg, &end, 0);
			if (errno || *end || size0 < (2u << 20) + 8192 || size0 > (1u << 30)) {
				fprintf(stderr, PROG ": bad --size '%s' (2 MiB + 8 KiB .. 1 GiB)\n",
					optarg);
				return 2;
			}
			break;
		case 'n':
			nodax_ok = true;
			break;
		case 'h':
			printf("usage: " PROG " [--size BYTES] [--no-dax-ok] prepare|exercise|verify FILE\n");
			return 0;
		default:
			fprintf(stderr, PROG ": bad option or missing argument: %s (try --help)\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, PROG ": need a command and a FILE (try --help)\n");
		return 2;
	}
	if (!strcmp(argv[optind], "prepare"))
		cmd_prepare(argv[optind + 1]);
	else if (!strcmp(argv[optind], "exercise"))
		cmd_exercise(argv[optind + 1], nodax_ok);
	else if (!strcmp(argv[optind], "verify"))
		cmd_verify(argv[optind + 1]);
	else {
		fprintf(stderr, PROG ": unknown command '%s' (prepare, exercise or verify)\n",
			argv[optind]);
		return 2;
	}
	return 0;
}
