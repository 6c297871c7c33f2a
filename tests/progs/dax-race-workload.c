// SPDX-License-Identifier: GPL-2.0
/*
 * dax-race-workload: fault a shared mapping of one file while other threads shrink it.
 *
 *   dax-race-workload --file PATH [--size BYTES] [--faulters N] [--shrinkers N]
 *                     [--ops truncate,punch,zero,otrunc] [--duration SEC | --iterations N]
 *                     [--hold-us N] [--seed N]
 *
 * Faulter threads read and write random pages of one MAP_SHARED mapping of PATH, now and then
 * dropping the page with madvise(MADV_DONTNEED) so that the next access faults again. Shrinker
 * threads cycle through the selected operations on the same file:
 *   truncate  ftruncate() down to a random page-aligned size below half, then (after --hold-us
 *             microseconds, default 200) back up
 *   punch     fallocate(PUNCH_HOLE|KEEP_SIZE) of a random range
 *   zero      fallocate(ZERO_RANGE|KEEP_SIZE) of a random range (size kept)
 *   otrunc    open(O_TRUNC), then ftruncate() back up
 * Accesses beyond EOF raise SIGBUS; each faulter catches it (sigsetjmp/siglongjmp) and counts.
 *
 * Stale-mapping probe: a shrink and its regrow are serialized among shrinkers, and the shrunk
 * state is published (with a generation number) only after the shrinking call returned. An
 * access that succeeds at an offset at or beyond the shrunk size, entirely within one
 * published shrunk state, found a mapping that survived the truncation: counted as
 * "beyond_eof_ok". A kernel that serializes DAX faults against truncation never lets that
 * happen (truncate unmaps after i_size changed, and a fault checks i_size under the lock).
 *
 * --iterations counts shrinker operations per shrinker (default: run for --duration, 5 s).
 * Prints one line of JSON with the counts ("dax": the file is S_DAX according to statx). Exit 0 when the run completed (SIGBUS and
 * beyond_eof_ok are observations, not failures), 1 on unexpected errors, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX 0x00200000
#endif

#define PROG "dax-race-workload"
#define PAGE 4096u

enum { OP_TRUNCATE, OP_PUNCH, OP_ZERO, OP_OTRUNC, NR_OPS };
static const char *const op_names[NR_OPS] = { "truncate", "punch", "zero", "otrunc" };

static const char *path;
static size_t size = 4u << 20;
static unsigned int nfault = 2, nshrink = 1, ops_mask = (1u << NR_OPS) - 1;
static double duration = 5.0;
static long iterations;
static unsigned int seed = 1;
static unsigned int hold_us = 200;

static uint8_t *map;
/*
 * One descriptor, opened before any thread starts, serves every shrinker. An open() without
 * O_TRUNC runs invalidate_inode_pages2() on the file, and on 5.10's FUSE that removes DAX
 * entries without i_mmap_sem: a shrinker opening its own descriptor while another truncated
 * hit the WARN_ON_ONCE in dax_delete_mapping_entry() on kernels that do serialize truncation
 * against faults. That race is not the fault/truncate one this workload is about.
 */
static int file_fd = -1;
static atomic_bool done;
static pthread_mutex_t shrink_lock = PTHREAD_MUTEX_INITIALIZER;

/* Published shrink state: generation is odd while shrunk to shrunk_size. */
static atomic_ulong shrink_gen;
static atomic_size_t shrunk_size;

static atomic_ulong n_reads, n_writes, n_sigbus, n_zap, n_beyond_eof_ok, n_errors;
static atomic_ulong n_op[NR_OPS], n_truncate_up;
static atomic_int last_errno;

static __thread sigjmp_buf *fault_jmp;

static void on_sigbus(int sig)
{
	(void)sig;
	if (fault_jmp)
		siglongjmp(*fault_jmp, 1);
	abort();
}

static void err_count(int e)
{
	atomic_fetch_add(&n_errors, 1);
	atomic_store(&last_errno, e);
}

static unsigned int rnd(unsigned int *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Faulter state lives in memory, so that siglongjmp() cannot clobber it. */
struct faulter {
	sigjmp_buf jb;
	unsigned int s;
	unsigned long i, gen;
	size_t off, shrunk;
	bool write;
};

static void fault_one(struct faulter *f)
{
	f->off = (size_t)(rnd(&f->s) % (size / PAGE)) * PAGE + rnd(&f->s) % PAGE;
	f->write = rnd(&f->s) & 1;
	f->gen = atomic_load(&shrink_gen);
	f->shrunk = atomic_load(&shrunk_size);
	if (sigsetjmp(f->jb, 1)) {
		atomic_fetch_add(&n_sigbus, 1);
		return;
	}
	if (f->write) {
		((volatile uint8_t *)map)[f->off] = (uint8_t)f->i;
		atomic_fetch_add(&n_writes, 1);
	} else {
		(void)((volatile uint8_t *)map)[f->off];
		atomic_fetch_add(&n_reads, 1);
	}
	if (f->gen == atomic_load(&shrink_gen) && (f->gen & 1) &&
	    f->off >= (f->shrunk + PAGE - 1) / PAGE * PAGE)
		atomic_fetch_add(&n_beyond_eof_ok, 1);
	if (++f->i % 16 == 0) {
		madvise(map + f->off / PAGE * PAGE, PAGE, MADV_DONTNEED);
		atomic_fetch_add(&n_zap, 1);
	}
}

static void *faulter(void *arg)
{
	struct faulter *f = calloc(1, sizeof(*f));

	if (!f) {
		err_count(ENOMEM);
		return NULL;
	}
	f->s = seed * 2654435761u + (unsigned int)(uintptr_t)arg * 40503u + 1;
	fault_jmp = &f->jb;
	while (!atomic_load(&done))
		fault_one(f);
	fault_jmp = NULL;
	free(f);
	return NULL;
}

static void publish_shrunk(size_t sz)
{
	atomic_store(&shrunk_size, sz);
	atomic_fetch_add(&shrink_gen, 1);	/* now odd: shrunk */
}

static void publish_regrow(void)
{
	atomic_fetch_add(&shrink_gen, 1);	/* now even */
}

static void regrow(int fd)
{
	publish_regrow();
	if (ftruncate(fd, (off_t)size))
		err_count(errno);
	else
		atomic_fetch_add(&n_truncate_up, 1);
}

static void *shrinker(void *arg)
{
	unsigned int s = seed * 2246822519u + (unsigned int)(uintptr_t)arg * 9973u + 7;
	int fd = file_fd;
	unsigned int op = (unsigned int)(uintptr_t)arg % NR_OPS;
	long it = 0;

	while (!atomic_load(&done) && (!iterations || it < iterations)) {
		size_t off = (size_t)(rnd(&s) % (size / PAGE)) * PAGE;
		size_t len = (size_t)(rnd(&s) % 64 + 1) * PAGE;
		int fd2;

		op = (op + 1) % NR_OPS;
		if (!(ops_mask & (1u << op)))
			continue;
		it++;
		if (off + len > size)
			len = size - off;
		switch (op) {
		case OP_TRUNCATE: {
			size_t sz = (size_t)(rnd(&s) % (size / PAGE / 2)) * PAGE;

			pthread_mutex_lock(&shrink_lock);
			if (ftruncate(fd, (off_t)sz)) {
				err_count(errno);
			} else {
				publish_shrunk(sz);
				usleep(hold_us);
				regrow(fd);
			}
			pthread_mutex_unlock(&shrink_lock);
			break;
		}
		case OP_PUNCH:
			if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off,
				      (off_t)len))
				err_count(errno);
			break;
		case OP_ZERO:
			if (fallocate(fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, (off_t)off,
				      (off_t)len))
				err_count(errno);
			break;
		case OP_OTRUNC:
			pthread_mutex_lock(&shrink_lock);
			fd2 = open(path, O_RDWR | O_TRUNC);
			if (fd2 < 0) {
				err_count(errno);
			} else {
				publish_shrunk(0);
				usleep(hold_us);
				regrow(fd2);
				close(fd2);
			}
			pthread_mutex_unlock(&shrink_lock);
			break;
		}
		atomic_fetch_add(&n_op[op], 1);
	}
	return NULL;
}

static int parse_ops(const char *s)
{
	char *copy = strdup(s), *tok, *save = NULL;
	unsigned int mask = 0, i;

	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NR_OPS; i++)
			if (!strcmp(tok, op_names[i]))
				break;
		if (i == NR_OPS) {
			free(copy);
			return -1;
		}
		mask |= 1u << i;
	}
	free(copy);
	if (!mask)
		return -1;
	ops_mask = mask;
	return 0;
}

static int parse_num(const char *s, double lo, double hi, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return (errno || end == s || *end || *out < lo || *out > hi) ? -1 : 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: " PROG " --file PATH [--size BYTES] [--faulters N] [--shrinkers N]\n"
		"       [--ops truncate,punch,zero,otrunc] [--duration SEC | --iterations N]"
		" [--hold-us N] [--seed N]\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "size", required_argument, NULL, 's' },
		{ "faulters", required_argument, NULL, 't' },
		{ "shrinkers", required_argument, NULL, 'k' },
		{ "ops", required_argument, NULL, 'o' },
		{ "duration", required_argument, NULL, 'd' },
		{ "iterations", required_argument, NULL, 'i' },
		{ "seed", required_argument, NULL, 'S' },
		{ "hold-us", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	pthread_t *th;
	struct sigaction sa;
	double v, t0, elapsed;
	unsigned int i, nth;
	struct statx stx;
	bool dax;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:s:t:k:o:d:i:S:H:h", opts, NULL)) != -1) {
		const char *bad = NULL;

		switch (c) {
		case 'f':
			path = optarg;
			break;
		case 's':
			if (parse_num(optarg, 2 * PAGE, 1 << 30, &v))
				bad = "--size (8 KiB .. 1 GiB)";
			size = (size_t)v / PAGE * PAGE;
			break;
		case 't':
			if (parse_num(optarg, 0, 256, &v) || v != (unsigned int)v)
				bad = "--faulters (0 .. 256)";
			nfault = (unsigned int)v;
			break;
		case 'k':
			if (parse_num(optarg, 0, 256, &v) || v != (unsigned int)v)
				bad = "--shrinkers (0 .. 256)";
			nshrink = (unsigned int)v;
			break;
		case 'o':
			if (parse_ops(optarg))
				bad = "--ops (comma list of truncate, punch, zero, otrunc)";
			break;
		case 'd':
			if (parse_num(optarg, 0.01, 86400, &v))
				bad = "--duration (0.01 .. 86400 s)";
			duration = v;
			break;
		case 'i':
			if (parse_num(optarg, 1, 1e12, &v) || v != (long)v)
				bad = "--iterations (positive integer)";
			iterations = (long)v;
			break;
		case 'S':
			if (parse_num(optarg, 0, 4294967295.0, &v) || v != (unsigned int)v)
				bad = "--seed";
			seed = (unsigned int)v;
			break;
		case 'H':
			if (parse_num(optarg, 0, 1e6, &v) || v != (unsigned int)v)
				bad = "--hold-us (0 .. 1000000)";
			hold_us = (unsigned int)v;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, PROG ": bad option or missing argument: %s (try --help)\n",
				argv[optind - 1]);
			return 2;
		}
		if (bad) {
			fprintf(stderr, PROG ": bad value '%s' for %s\n", optarg, bad);
			return 2;
		}
	}
	if (optind != argc || !path) {
		fprintf(stderr, PROG ": need --file PATH and no other arguments (try --help)\n");
		return 2;
	}
	if (nfault + nshrink == 0) {
		fprintf(stderr, PROG ": no threads to run\n");
		return 2;
	}

	file_fd = open(path, O_RDWR | O_CREAT, 0644);
	if (file_fd < 0 || ftruncate(file_fd, (off_t)size)) {
		fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
		return 1;
	}
	dax = !statx(file_fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx) &&
	      (stx.stx_attributes & STATX_ATTR_DAX);
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, file_fd, 0);
	if (map == MAP_FAILED) {
		fprintf(stderr, PROG ": mmap %s: %s\n", path, strerror(errno));
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigbus;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGBUS, &sa, NULL);

	nth = nfault + nshrink;
	th = calloc(nth, sizeof(*th));
	if (!th)
		return 1;
	t0 = now();
	for (i = 0; i < nth; i++)
		if (pthread_create(&th[i], NULL, i < nfault ? faulter : shrinker,
				   (void *)(uintptr_t)i)) {
			fprintf(stderr, PROG ": pthread_create failed\n");
			return 1;
		}
	if (iterations && nshrink) {
		for (i = nfault; i < nth; i++)
			pthread_join(th[i], NULL);
		atomic_store(&done, true);
	} else {
		while (now() - t0 < duration)
			usleep(10000);
		atomic_store(&done, true);
		for (i = nfault; i < nth; i++)
			pthread_join(th[i], NULL);
	}
	for (i = 0; i < nfault; i++)
		pthread_join(th[i], NULL);
	elapsed = now() - t0;
	munmap(map, size);
	close(file_fd);

	printf("{\"file\":\"%s\",\"dax\":%s,\"seconds\":%.6f,\"size\":%zu,\"faulters\":%u,\"shrinkers\":%u,"
	       "\"reads\":%lu,\"writes\":%lu,\"sigbus\":%lu,\"zaps\":%lu,\"beyond_eof_ok\":%lu,"
	       "\"truncate_down\":%lu,\"truncate_up\":%lu,\"punch_hole\":%lu,\"zero_range\":%lu,"
	       "\"open_trunc\":%lu,\"errors\":%lu,\"last_errno\":%d}\n",
	       path, dax ? "true" : "false", elapsed, size, nfault, nshrink, atomic_load(&n_reads),
	       atomic_load(&n_writes), atomic_load(&n_sigbus), atomic_load(&n_zap),
	       atomic_load(&n_beyond_eof_ok), atomic_load(&n_op[OP_TRUNCATE]),
	       atomic_load(&n_truncate_up), atomic_load(&n_op[OP_PUNCH]),
	       atomic_load(&n_op[OP_ZERO]), atomic_load(&n_op[OP_OTRUNC]),
	       atomic_load(&n_errors), atomic_load(&last_errno));
	return atomic_load(&n_errors) ? 1 : 0;
}
