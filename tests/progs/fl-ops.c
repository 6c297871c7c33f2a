// SPDX-License-Identifier: GPL-2.0
/*
 * fl-ops: a deterministic fault/truncate/punch/O_TRUNC workload that prints
 * its own ground truth. It is `make run`'s built-in workload and what the
 * live tests compare a faultline log against.
 *
 *   fl-ops [--rounds N] [--size BYTES] [--invalid] DIR
 *
 * On DIR/fl-ops.dat, each round: write SIZE bytes, map them shared and touch
 * every page (faults), then
 *   ftruncate to 3/4, truncate(path) to 1/2,
 *   fallocate PUNCH_HOLE|KEEP_SIZE of pages 1-2, ZERO_RANGE|KEEP_SIZE of page 4,
 *   open(O_TRUNC).
 * One JSON line per shrinking operation on stdout: what faultline must log
 * (pid, dev, ino, op, bytes, size_before; an ino above 2^63 - 1 as a string).
 * Exit 0, or 1 if an operation failed (EOPNOTSUPP, a mode the filesystem
 * lacks, is reported but is not a failure: `faultline record` exits with its
 * workload's status).
 * --invalid adds, each round, ftruncate and fallocate calls with negative
 * offsets and lengths that the kernel must refuse with EINVAL (not reported:
 * they tear nothing down); any other outcome is a failure.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define PAGE 4096L

static struct stat st;
static int failures;

static void report(const char *op, const char *via, long start, long end, long size_before,
		   int err)
{
	/* inode numbers above 2^63 - 1 as strings, as faultline's log writes them */
	bool big = (unsigned long long)st.st_ino > INT64_MAX;

	printf("{\"op\":\"%s\",\"via\":\"%s\",\"pid\":%d,\"dev\":\"%u:%u\",\"ino\":%s%llu%s,"
	       "\"start\":%ld,\"end\":", op, via, (int)getpid(), major(st.st_dev), minor(st.st_dev),
	       big ? "\"" : "", (unsigned long long)st.st_ino, big ? "\"" : "", start);
	if (end < 0)
		printf("null");
	else
		printf("%ld", end);
	printf(",\"size_before\":%ld", size_before);
	if (err) {
		printf(",\"error\":\"%s\"", strerror(err));
		/* a mode the filesystem lacks (zero range on tmpfs) is an answer, not a failure */
		if (err != EOPNOTSUPP)
			failures++;
	}
	printf("}\n");
	fflush(stdout);
}

#define USAGE "usage: fl-ops [--rounds N] [--size BYTES] [--invalid] DIR\n"

static void expect_einval(const char *what, int ret)
{
	if (ret == 0 || errno != EINVAL) {
		fprintf(stderr, "fl-ops: %s: %s, expected EINVAL\n", what,
			ret == 0 ? "succeeded" : strerror(errno));
		failures++;
	}
}

static void invalid_ops(int fd)
{
	expect_einval("ftruncate(-1)", ftruncate(fd, -1));
	expect_einval("fallocate(punch, offset -8192)",
		      fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, -2 * PAGE, PAGE));
	expect_einval("fallocate(punch, length -4096)",
		      fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, PAGE, -PAGE));
}

static int fill(const char *path, long size)
{
	int fd = open(path, O_RDWR | O_CREAT, 0644);
	char page[PAGE];
	char *map;

	if (fd < 0)
		return -1;
	memset(page, 'f', sizeof(page));
	for (long off = 0; off < size; off += PAGE)
		if (pwrite(fd, page, PAGE, off) != PAGE)
			return -1;
	if (fstat(fd, &st))
		return -1;
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return -1;
	for (long off = 0; off < size; off += PAGE)
		map[off] ^= 1;	/* a write fault on every page */
	munmap(map, size);
	return fd;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rounds", required_argument, NULL, 'r' },
		{ "size", required_argument, NULL, 's' },
		{ "invalid", no_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	long rounds = 1, size = 16 * PAGE;
	char path[4096], *end;
	int opt, fd, invalid = 0;

	while ((opt = getopt_long(argc, argv, "r:s:ih", opts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			rounds = strtol(optarg, &end, 0);
			if (*end || rounds < 1) {
				fprintf(stderr, "fl-ops: --rounds '%s': expected a positive number\n", optarg);
				return 2;
			}
			break;
		case 's':
			size = strtol(optarg, &end, 0);
			if (*end || size < 8 * PAGE || size % PAGE) {
				fprintf(stderr, "fl-ops: --size '%s': expected a multiple of 4096, at least 32768\n",
					optarg);
				return 2;
			}
			break;
		case 'i':
			invalid = 1;
			break;
		case 'h':
			printf(USAGE);
			return 0;
		default:
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, USAGE);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/fl-ops.dat", argv[optind]);

	for (long r = 0; r < rounds; r++) {
		long s34 = size / 4 * 3, s12 = size / 2;
		int e;

		fd = fill(path, size);
		if (fd < 0) {
			fprintf(stderr, "fl-ops: %s: %s\n", path, strerror(errno));
			return 1;
		}
		e = ftruncate(fd, s34) ? errno : 0;
		report("truncate", "ftruncate", s34, -1, size, e);
		e = truncate(path, s12) ? errno : 0;
		report("truncate", "truncate", s12, -1, s34, e);
		e = fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, PAGE, 2 * PAGE) ?
		    errno : 0;
		report("punch_hole", "fallocate", PAGE, 3 * PAGE, s12, e);
		e = fallocate(fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, 4 * PAGE, PAGE) ?
		    errno : 0;
		report("zero_range", "fallocate", 4 * PAGE, 5 * PAGE, s12, e);
		if (invalid)
			invalid_ops(fd);
		close(fd);
		fd = open(path, O_RDWR | O_TRUNC);
		report("o_trunc", "openat", 0, -1, s12, fd < 0 ? errno : 0);
		if (fd >= 0)
			close(fd);
	}
	unlink(path);
	return failures ? 1 : 0;
}
