/*
 * io.h - the one EINTR-safe loop around read(2) and write(2), for the
 * benchmarks (bench/harness.c's result rows, bench/pipebench.c's messages,
 * bench/netbench.c's JSON hand-over, bench/disturb.c's /proc files).  A
 * signal handler installed without SA_RESTART (common/catch.h) makes a
 * blocking call return EINTR; these retry it, and stop on anything else.
 * Inline: pipebench's round trips call them in the timed loop.
 */
#ifndef HVB_IO_H
#define HVB_IO_H

#include <errno.h>
#include <stddef.h>
#include <unistd.h>

/* Write all n bytes of p.  0, or -1 with errno set (EIO for a write that
 * wrote nothing). */
static inline int hvb_write_full(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Read up to n bytes into p, until n or end of file.  The bytes read (less
 * than n only at end of file), or -1 with errno set. */
static inline ssize_t hvb_read_upto(int fd, void *p, size_t n)
{
	char *c = p;
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, c + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* Read exactly n bytes into p.  0, or -1 on an error or an end of file
 * before n (errno then 0). */
static inline int hvb_read_full(int fd, void *p, size_t n)
{
	errno = 0;
	ssize_t r = hvb_read_upto(fd, p, n);
	return r == (ssize_t)n ? 0 : -1;
}

#endif
