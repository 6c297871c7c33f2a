/* mmap-touch FILE BYTES: map FILE shared, read and write every page (page faults on it), msync.
 * Used by tests/vm/selftest to take DAX faults in a guest. Exit 0 on success. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: mmap-touch FILE BYTES\n");
		return 2;
	}
	size_t len = strtoull(argv[2], NULL, 0);
	long pg = sysconf(_SC_PAGESIZE);
	int fd = open(argv[1], O_RDWR | O_CREAT, 0644);
	if (fd < 0 || len == 0 || ftruncate(fd, (off_t)len) != 0) {
		perror(argv[1]);
		return 1;
	}
	volatile unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	unsigned long sum = 0;
	for (size_t off = 0; off < len; off += (size_t)pg) {
		sum += p[off];
		p[off] = (unsigned char)(off / (size_t)pg);
	}
	if (msync((void *)p, len, MS_SYNC) != 0) {
		perror("msync");
		return 1;
	}
	munmap((void *)p, len);
	close(fd);
	printf("mmap-touch: %zu pages of %s touched (sum %lu)\n", len / (size_t)pg, argv[1], sum);
	return 0;
}
