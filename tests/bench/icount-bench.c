// SPDX-License-Identifier: GPL-2.0
/*
 * icount-bench: a fixed amount of DAX work, one thread, timed in guest instructions.
 *
 *   icount-bench --file PATH --other PATH [--pages N] [--count N] [--phases LIST]
 *
 * Meant for a QEMU guest run with `-icount shift=0,sleep=off`: the guest's TSC then advances by
 * one per guest instruction executed (by any task, the kernel and interrupts included), so a
 * rdtsc() difference is the instructions the whole guest spent on a phase, whatever the host is
 * doing meanwhile. Each phase does the same work every run, so totals compare directly:
 *   fault     --count times: madvise(MADV_DONTNEED) the --pages mapping of PATH (munmap and
 *             mmap again where the kernel has no madvise), read each page (one DAX fault per
 *             page: the minor-fault count is reported as "faults")
 *   truncate  --count times: ftruncate() PATH to half, then back up (2 shrinking-side calls)
 *   punch     --count times: fallocate(PUNCH_HOLE|KEEP_SIZE) of 16 pages
 *   zero      --count times: fallocate(ZERO_RANGE|KEEP_SIZE) of 16 pages
 *   otrunc    --count times: open(O_TRUNC), ftruncate() back up, close()
 *   syscall   --count times: ftruncate() of --other (a file faultline ignores) to its size, and
 *             openat(O_RDONLY)+close() of it: the syscalls the hooks see and filter out
 *   mixed     --count times: read every page of the mapping, ftruncate() to half, back up: the
 *             fault+truncate microbenchmark
 * Prints one JSON line: {"phases": {NAME: {"insns": N, "iters": N, "faults": N}, ...}}.
 * Exit 0, 1 on an unexpected error, 2 on bad usage.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>
#include <x86intrin.h>

#define PROG "icount-bench"
#define PAGE 4096L

static const char *path, *other;
static long pages = 256, count = 16;
static int fd, ofd;
static volatile uint8_t *map;
static unsigned long sink;

static void fail(const char *what)
{
	fprintf(stderr, PROG ": %s: %s\n", what, strerror(errno));
	exit(1);
}

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

static void touch_all(void)
{
	for (long p = 0; p < pages; p++)
		sink += map[p * PAGE];
}

static void resize(off_t sz)
{
	if (ftruncate(fd, sz))
		fail("ftruncate");
}

static void ph_fault(void)
{
	/* kernels without madvise (tinyconfig test kernels): map the file afresh */
	if (madvise((void *)map, pages * PAGE, MADV_DONTNEED)) {
		if (errno != ENOSYS)
			fail("madvise");
		if (munmap((void *)map, pages * PAGE) ||
		    mmap((void *)map, pages * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
			 fd, 0) == MAP_FAILED)
			fail("mmap");
	}
	touch_all();
}

static void ph_truncate(void)
{
	resize(pages / 2 * PAGE);
	resize(pages * PAGE);
}

static void ph_punch(void)
{
	if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 16 * PAGE))
		fail("fallocate(PUNCH_HOLE)");
}

static void ph_zero(void)
{
	if (fallocate(fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, 16 * PAGE, 16 * PAGE))
		fail("fallocate(ZERO_RANGE)");
}

static void ph_otrunc(void)
{
	int t = open(path, O_RDWR | O_TRUNC);

	if (t < 0)
		fail("open(O_TRUNC)");
	resize(pages * PAGE);
	close(t);
}

static void ph_syscall(void)
{
	int t;

	if (ftruncate(ofd, PAGE))
		fail("ftruncate(other)");
	t = openat(AT_FDCWD, other, O_RDONLY);
	if (t < 0)
		fail("openat(other)");
	close(t);
}

static void ph_mixed(void)
{
	touch_all();
	ph_truncate();
}

static const struct phase {
	const char *name;
	void (*fn)(void);
} phases[] = {
	{ "fault", ph_fault }, { "truncate", ph_truncate }, { "punch", ph_punch },
	{ "zero", ph_zero }, { "otrunc", ph_otrunc }, { "syscall", ph_syscall },
	{ "mixed", ph_mixed },
};

static void usage(void)
{
	fprintf(stderr, "usage: " PROG " --file PATH --other PATH [--pages N] [--count N] "
		"[--phases fault,truncate,punch,zero,otrunc,syscall,mixed]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "file", required_argument, NULL, 'f' }, { "other", required_argument, NULL, 'o' },
		{ "pages", required_argument, NULL, 'p' }, { "count", required_argument, NULL, 'c' },
		{ "phases", required_argument, NULL, 'P' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *list = "fault,truncate,punch,zero,otrunc,syscall,mixed";
	const char *sep = "";
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'f': path = optarg; break;
		case 'o': other = optarg; break;
		case 'p': pages = strtol(optarg, NULL, 0); break;
		case 'c': count = strtol(optarg, NULL, 0); break;
		case 'P': list = optarg; break;
		default: usage();
		}
	}
	if (!path || !other || pages < 32 || count < 1 || optind != argc)
		usage();
	fd = open(path, O_RDWR | O_CREAT, 0644);
	ofd = open(other, O_RDWR | O_CREAT, 0644);
	if (fd < 0 || ofd < 0)
		fail("open");
	resize(pages * PAGE);
	map = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		fail("mmap");
	/* the blocks exist before anything is timed: no phase pays for allocation once */
	for (long p = 0; p < pages; p++)
		map[p * PAGE] = 1;

	printf("{\"pages\": %ld, \"count\": %ld, \"phases\": {", pages, count);
	for (size_t i = 0; i < sizeof(phases) / sizeof(phases[0]); i++) {
		const struct phase *ph = &phases[i];
		size_t n = strlen(ph->name);
		const char *hit = list;
		uint64_t t0, t1;
		long f0, f1;

		while ((hit = strstr(hit, ph->name)) &&
		       ((hit != list && hit[-1] != ',') || (hit[n] && hit[n] != ',')))
			hit += n;
		if (!hit)
			continue;
		ph->fn();	/* once untimed: caches, and the mapping in the state the loop keeps */
		f0 = minflt();
		t0 = __rdtsc();
		for (long k = 0; k < count; k++)
			ph->fn();
		t1 = __rdtsc();
		f1 = minflt();
		printf("%s\"%s\": {\"insns\": %llu, \"iters\": %ld, \"faults\": %ld}", sep, ph->name,
		       (unsigned long long)(t1 - t0), count, f1 - f0);
		sep = ", ";
	}
	printf("}, \"sink\": %lu}\n", sink & 1);
	return 0;
}
