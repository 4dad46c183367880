/*
 * iobench.c - disk I/O as fio measures it, on one file in --dir.
 *
 * Per repetition, on a file of --size-mb MiB:
 *   seqwrite  a new file written in 1 MiB blocks        -> MB_per_s
 *   seqread   the file read back in 1 MiB blocks, --settle s
 *             after the write                           -> MB_per_s
 *   randread  4 KiB reads at random offsets, QD 1       -> iops, lat_p50/p99/p999_us
 *   randwrite 4 KiB writes at random offsets, QD 1      -> iops, lat_*_us
 *   fsync     4 KiB write + fsync(), timing the fsync   -> iops, lat_*_us
 * With O_DIRECT when the filesystem accepts it (the page cache is bypassed,
 * as fio --direct=1), otherwise buffered: a `skip` row per direct test says
 * why, the page cache of the file is dropped with posix_fadvise(DONTNEED)
 * before each read test, and mincore() says how much stayed resident (tmpfs
 * keeps everything: it is memory).  The data is pseudo-random with a block
 * stamp, so compressing or deduplicating virtual disks cannot shortcut it.
 * The 1 MiB buffer is one transparent huge page where the kernel gives one
 * (the io_buffer info row says), so a 1 MiB request is one segment.
 * The timed read starts --settle seconds (default 1) after the write ended,
 * past the window in which the host is still flushing the write (settle()).
 *
 * Space: refuses to start (a fail row, exit 1) when the filesystem has less
 * free space than the file plus 10%; --force skips that check.  ENOSPC or
 * another error during a test is a fail row naming it; the remaining tests of
 * the run are not attempted.  The file is registered with the harness, so it
 * is removed at the end, on error and on SIGINT/SIGTERM.
 */
#include "hvb.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

static const char *opt_dir = ".";
static long long opt_size_mb = 1024;
static double opt_runtime = 2.0;
static int opt_buffered = 0;
static int opt_force = 0;
static const char *opt_op = "all";
static double opt_settle = 1.0;

#define SEQ_BS (1 << 20)
#define BUF_ALIGN (2u << 20) /* a transparent huge page on x86-64 and arm64 (4 KiB pages) */
#define RAND_BS 4096
#define MAX_SAMPLES (4u << 20)

enum { OP_SEQWRITE, OP_SEQREAD, OP_RANDREAD, OP_RANDWRITE, OP_FSYNC, OP_N };
static const char *const opname[OP_N] = { "seqwrite", "seqread", "randread", "randwrite", "fsync" };

struct io {
	hvb_ctx *ctx;
	char path[4096];
	int fd;           /* buffered */
	int dfd;          /* O_DIRECT, or -1 */
	int direct;       /* tests use dfd */
	long long size;   /* bytes */
	char *buf;        /* SEQ_BS in one BUF_ALIGN-aligned huge page when the kernel gives one */
	double *lat;      /* samples in us */
	uint64_t rng;
	uint64_t stamp;
	char fstype[32];
	int memfs;        /* tmpfs/ramfs: page cache is the storage */
	uint64_t wrote_ns; /* when the last sequential write ended, or 0 */
};

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static const char *fs_name(long type, int *memfs)
{
	*memfs = 0;
	switch ((unsigned long)type) {
	case 0xEF53: return "ext2/3/4";
	case 0x58465342: return "xfs";
	case 0x9123683E: return "btrfs";
	case 0x01021994: *memfs = 1; return "tmpfs";
	case 0x858458f6: *memfs = 1; return "ramfs";
	case 0x794c7630: return "overlayfs";
	case 0x6969: return "nfs";
	case 0x2fc12fc1: return "zfs";
	case 0x01021997: return "9p";
	case 0x65735546: return "fuse";
	case 0x786f4256: return "vboxsf";
	case 0xF2F52010: return "f2fs";
	case 0x4d44: return "vfat";
	case 0x5346544e: return "ntfs";
	case 0xFF534D42: return "cifs";
	default: return "other";
	}
}

/* Stamp each 4 KiB of the first len bytes so no two written blocks are equal. */
static void stamp(struct io *io, size_t len)
{
	for (size_t off = 0; off < len; off += 4096) {
		uint64_t s = ++io->stamp;
		memcpy(io->buf + off, &s, sizeof s);
	}
}

static void params_of(const struct io *io, int op, char *p, size_t n)
{
	int seq = op == OP_SEQWRITE || op == OP_SEQREAD;
	int direct = op == OP_FSYNC ? 0 : io->direct;
	if (seq)
		snprintf(p, n, "bs=%d;direct=%d;op=%s;size_mb=%lld", SEQ_BS, direct, opname[op],
			 io->size >> 20);
	else
		snprintf(p, n, "bs=%d;direct=%d;op=%s;qd=1;size_mb=%lld", RAND_BS, direct, opname[op],
			 io->size >> 20);
}

/* Resident share of the file in the page cache, in percent, or -1. */
static double resident_pct(const struct io *io)
{
	long pg = sysconf(_SC_PAGESIZE);
	size_t npages = (size_t)((io->size + pg - 1) / pg);
	void *m = mmap(NULL, (size_t)io->size, PROT_READ, MAP_SHARED, io->fd, 0);
	if (m == MAP_FAILED)
		return -1;
	unsigned char *vec = malloc(npages);
	double pct = -1;
	if (vec && mincore(m, (size_t)io->size, vec) == 0) {
		size_t in = 0;
		for (size_t i = 0; i < npages; i++)
			in += vec[i] & 1;
		pct = 100.0 * (double)in / (double)npages;
	}
	free(vec);
	munmap(m, (size_t)io->size);
	return pct;
}

static void drop_cache(struct io *io)
{
	if (io->direct)
		return;
	fdatasync(io->fd);
	posix_fadvise(io->fd, 0, 0, POSIX_FADV_DONTNEED);
}

/* Describe errno of a failed I/O; ENOSPC names the directory. */
static void io_fail(struct io *io, int op, int rep, const char *metric, const char *unit,
		    int err, long long done)
{
	char p[160];
	params_of(io, op, p, sizeof p);
	if (rep < 1)
		rep = 1; /* failed in the warm-up: the first repetition never ran */
	if (err == ENOSPC)
		hvb_fail(io->ctx, p, metric, unit, "higher", rep,
			 "ENOSPC: no space left in %s (%s) after %lld of %lld MiB", opt_dir,
			 io->fstype, done >> 20, io->size >> 20);
	else if (err == 0)
		hvb_fail(io->ctx, p, metric, unit, "higher", rep,
			 "short transfer at %lld MiB of %lld (file changed under the test?)",
			 done >> 20, io->size >> 20);
	else
		hvb_fail(io->ctx, p, metric, unit, "higher", rep, "%s at %lld MiB: %s",
			 opname[op], done >> 20, strerror(err));
}

/*
 * Wait until --settle seconds have passed since the last sequential write
 * ended, before a timed read.  On a virtual disk the host keeps working on a
 * write after the guest saw it complete (its own cache, its own flush), and
 * a read in the first second after a 1 GiB write was measured against that:
 * on the development VM fio's read, which starts 0.1-0.3 s after its write
 * (a new job process), ran 3-4 % slower than one started 0.5 s or more
 * after it (docs/fidelity.md).  iobench reading at once against fio at
 * 0.1-0.3 s put iobench 6-12 % ahead; iobench at 1 s against fio later
 * still, 2-4 %.
 */
static void settle(struct io *io)
{
	if (!io->wrote_ns || opt_settle <= 0)
		return;
	uint64_t until = io->wrote_ns + (uint64_t)(opt_settle * 1e9);
	for (uint64_t now = hvb_now_ns(); now < until && !hvb_interrupted(); now = hvb_now_ns()) {
		uint64_t left = until - now;
		struct timespec ts = { (time_t)(left / 1000000000u), (long)(left % 1000000000u) };
		nanosleep(&ts, NULL);
	}
}

/* Sequential write or read of the whole file; 0 or -1 (fail row written). */
static int t_seq(struct io *io, int op, int rep)
{
	int fd = io->direct ? io->dfd : io->fd;
	long long done = 0;
	char p[160];

	if (op == OP_SEQWRITE) {
		if (ftruncate(io->fd, 0) != 0) {
			io_fail(io, op, rep, "MB_per_s", "MB/s", errno, 0);
			return -1;
		}
		fsync(io->fd);
	} else {
		drop_cache(io);
		settle(io);
	}
	uint64_t t0 = hvb_now_ns();
	while (done < io->size) {
		ssize_t n;
		if (op == OP_SEQWRITE) {
			stamp(io, SEQ_BS);
			n = pwrite(fd, io->buf, SEQ_BS, done);
		} else {
			n = pread(fd, io->buf, SEQ_BS, done);
		}
		if (n != SEQ_BS) {
			io_fail(io, op, rep, "MB_per_s", "MB/s", n < 0 ? errno : 0, done);
			return -1;
		}
		done += n;
	}
	/* Buffered writes are only on the disk after fsync (fio end_fsync=1);
	 * with O_DIRECT they already are, as far as the device says. */
	if (op == OP_SEQWRITE && !io->direct && fsync(io->fd) != 0) {
		io_fail(io, op, rep, "MB_per_s", "MB/s", errno, done);
		return -1;
	}
	uint64_t t1 = hvb_now_ns();
	if (op == OP_SEQWRITE)
		io->wrote_ns = t1;
	double s = (double)(t1 - t0) / 1e9;
	if (rep > 0) {
		params_of(io, op, p, sizeof p);
		hvb_ok(io->ctx, p, "MB_per_s", "MB/s", "higher", rep, (double)io->size / s / 1e6);
	}
	return 0;
}

static void report_lat(struct io *io, int op, int rep, size_t n, double secs)
{
	char p[160];
	params_of(io, op, p, sizeof p);
	qsort(io->lat, n, sizeof io->lat[0], hvb_cmp_double);
	hvb_ok(io->ctx, p, "iops", "1/s", "higher", rep, (double)n / secs);
	hvb_ok(io->ctx, p, "lat_p50_us", "us", "lower", rep, hvb_percentile(io->lat, n, 50));
	hvb_ok(io->ctx, p, "lat_p99_us", "us", "lower", rep, hvb_percentile(io->lat, n, 99));
	hvb_ok(io->ctx, p, "lat_p999_us", "us", "lower", rep, hvb_percentile(io->lat, n, 99.9));
}

/* Random 4 KiB reads or writes (QD 1) for --runtime; 0 or -1. */
static int t_rand(struct io *io, int op, int rep, double secs)
{
	int fd = io->direct ? io->dfd : io->fd;
	long long nblk = io->size / RAND_BS;
	size_t n = 0;

	if (op == OP_RANDREAD)
		drop_cache(io);
	uint64_t t0 = hvb_now_ns(), end = t0 + (uint64_t)(secs * 1e9), now = t0;
	while (now < end && n < MAX_SAMPLES) {
		long long off = (long long)(xorshift(&io->rng) % (uint64_t)nblk) * RAND_BS;
		ssize_t r;
		if (op == OP_RANDWRITE)
			stamp(io, RAND_BS);
		uint64_t a = hvb_now_ns();
		if (op == OP_RANDWRITE)
			r = pwrite(fd, io->buf, RAND_BS, off);
		else
			r = pread(fd, io->buf, RAND_BS, off);
		now = hvb_now_ns();
		if (r != RAND_BS) {
			io_fail(io, op, rep, "iops", "1/s", r < 0 ? errno : 0, off);
			return -1;
		}
		io->lat[n++] = (double)(now - a) / 1e3;
	}
	/* Buffered random writes sit in the page cache; the run ends with them
	 * on disk so the next test starts clean (not timed: fio does not
	 * either without end_fsync). */
	if (op == OP_RANDWRITE && !io->direct)
		fsync(io->fd);
	if (rep > 0 && n > 0)
		report_lat(io, op, rep, n, (double)(now - t0) / 1e9);
	return 0;
}

/* 4 KiB sequential buffered writes, each followed by a timed fsync. */
static int t_fsync(struct io *io, int op, int rep, double secs)
{
	size_t n = 0;
	long long nblk = io->size / RAND_BS, blk = 0;
	uint64_t t0 = hvb_now_ns(), end = t0 + (uint64_t)(secs * 1e9), now = t0;
	while (now < end && n < MAX_SAMPLES) {
		stamp(io, RAND_BS);
		if (pwrite(io->fd, io->buf, RAND_BS, (blk % nblk) * RAND_BS) != RAND_BS) {
			io_fail(io, op, rep, "iops", "1/s", errno, blk * RAND_BS);
			return -1;
		}
		blk++;
		uint64_t a = hvb_now_ns();
		if (fsync(io->fd) != 0) {
			io_fail(io, op, rep, "iops", "1/s", errno, blk * RAND_BS);
			return -1;
		}
		now = hvb_now_ns();
		io->lat[n++] = (double)(now - a) / 1e3;
	}
	if (rep > 0 && n > 0) {
		report_lat(io, op, rep, n, (double)(now - t0) / 1e9);
		/* Stable storage needs at least one device round trip per fsync;
		 * a few microseconds means a cache acknowledged it. */
		double p50 = hvb_percentile(io->lat, n, 50);
		if (!io->memfs && p50 < 15 && rep == 1) {
			char p[160];
			params_of(io, op, p, sizeof p);
			hvb_info_str(io->ctx, p, "fsync_suspect",
				     "fsync median %.1f us is too fast for stable storage: a disk "
				     "cache acknowledges flushes (e.g. VirtualBox host I/O cache, "
				     "QEMU cache=unsafe)", p50);
		}
	}
	return 0;
}

/* AnonHugePages of the mapping that holds p, in KiB, from /proc/self/smaps;
 * -1 when unknown. */
static long huge_kb(const void *p)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	long kb = -1;
	int in = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) { /* a mapping's first line */
			if (in)
				break;
			in = (uintptr_t)p >= lo && (uintptr_t)p < hi;
		} else if (in && sscanf(line, "AnonHugePages: %ld kB", &kb) == 1) {
			break;
		}
	}
	fclose(f);
	return kb;
}

/* Can this file take O_DIRECT I/O?  0, or an errno. */
static int probe_direct(struct io *io)
{
	io->dfd = open(io->path, O_RDWR | O_DIRECT);
	if (io->dfd < 0)
		return errno;
	if (pwrite(io->dfd, io->buf, RAND_BS, 0) != RAND_BS) {
		int e = errno ? errno : EIO;
		close(io->dfd);
		io->dfd = -1;
		return e;
	}
	return 0;
}

static int want(int op)
{
	return strcmp(opt_op, "all") == 0 || strcmp(opt_op, opname[op]) == 0;
}

/* A failed test ends the run (the disk is full, or the file is not what was
 * written), yet every test asked for still leaves a row: a fail row for each
 * wanted test after the failed one, in that repetition, naming it. */
static void not_run_after(struct io *io, int failed, int rep)
{
	char p[160];
	if (rep < 1)
		rep = 1; /* failed in the warm-up: the first repetition never ran */
	for (int op = failed + 1; op < OP_N; op++) {
		if (!want(op))
			continue;
		params_of(io, op, p, sizeof p);
		hvb_fail(io->ctx, p, op <= OP_SEQREAD ? "MB_per_s" : "iops",
			 op <= OP_SEQREAD ? "MB/s" : "1/s", "higher", rep,
			 "not run: %s failed before it", opname[failed]);
	}
}

static int iobench_run(hvb_ctx *ctx)
{
	const struct hvb_common *cm = hvb_common(ctx);
	struct io io = { .ctx = ctx, .fd = -1, .dfd = -1, .rng = 0x853c49e6748fea9bull };
	struct statfs sf;
	struct statvfs sv;
	struct stat st;
	int known = strcmp(opt_op, "all") == 0, rc = 1, written = 0;
	char p[160];

	for (int op = 0; op < OP_N; op++)
		known |= strcmp(opt_op, opname[op]) == 0;
	if (!known) {
		hvb_err("--op: '%s' is not all, seqwrite, seqread, randread, randwrite or fsync", opt_op);
		return 1;
	}
	io.size = opt_size_mb << 20;
	io.direct = 0;
	const char *why = NULL;
	if (stat(opt_dir, &st) != 0)
		why = strerror(errno);
	else if (!S_ISDIR(st.st_mode))
		why = "not a directory";
	if (why) {
		hvb_err("--dir %s: %s", opt_dir, why);
		params_of(&io, OP_SEQWRITE, p, sizeof p);
		hvb_fail(ctx, p, "MB_per_s", "MB/s", "higher", 1, "not run: --dir %s: %s", opt_dir, why);
		return 1;
	}
	if (statfs(opt_dir, &sf) == 0)
		snprintf(io.fstype, sizeof io.fstype, "%s", fs_name((long)sf.f_type, &io.memfs));
	else
		snprintf(io.fstype, sizeof io.fstype, "unknown");
	hvb_info_str(ctx, "", "dir", "%s", opt_dir);
	hvb_info_str(ctx, "", "fs_type", "%s", io.fstype);
	hvb_info_num(ctx, "", "file_mb", "MB", (double)opt_size_mb);

	/* ramfs and some network filesystems report no size at all (0 blocks):
	 * nothing to check against. */
	if (statvfs(opt_dir, &sv) == 0 && sv.f_blocks > 0) {
		long long avail = (long long)sv.f_bavail * (long long)sv.f_frsize;
		long long need = io.size + io.size / 10;
		hvb_info_num(ctx, "", "fs_free_mb", "MB", (double)(avail >> 20));
		if (avail < need && !opt_force) {
			hvb_err("%s (%s) has %lld MiB free, the test file needs %lld MiB "
				"(--size-mb %lld + 10%%): use --dir on a larger filesystem, "
				"a smaller --size-mb, or --force", opt_dir, io.fstype, avail >> 20,
				need >> 20, opt_size_mb);
			io.direct = !opt_buffered;
			params_of(&io, OP_SEQWRITE, p, sizeof p);
			hvb_fail(ctx, p, "MB_per_s", "MB/s", "higher", 1,
				 "not run: %lld MiB free in %s, %lld MiB needed", avail >> 20,
				 opt_dir, need >> 20);
			return 1;
		}
	}

	/* The I/O buffer is one 2 MiB-aligned transparent huge page where the
	 * kernel gives one, so that a 1 MiB O_DIRECT request is one physically
	 * contiguous segment.  From ordinary 4 KiB pages it is as many segments
	 * as the process happened to get the pages scattered, up to 256 and
	 * different in every run, and on a virtio disk each segment is work
	 * for the host: about 250 took 2.5-3x as long as one (docs/fidelity.md). */
	if (posix_memalign((void **)&io.buf, BUF_ALIGN, BUF_ALIGN) != 0 ||
	    !(io.lat = malloc(MAX_SAMPLES * sizeof *io.lat))) {
		hvb_err("out of memory for the I/O buffers");
		params_of(&io, OP_SEQWRITE, p, sizeof p);
		hvb_fail(ctx, p, "MB_per_s", "MB/s", "higher", 1, "not run: out of memory for the buffers");
		goto out;
	}
#ifdef MADV_HUGEPAGE
	madvise(io.buf, BUF_ALIGN, MADV_HUGEPAGE); /* THP "madvise" mode; harmless if refused */
#endif
	for (size_t i = 0; i < SEQ_BS; i++)
		io.buf[i] = (char)(xorshift(&io.rng) >> 56);
	long hkb = huge_kb(io.buf);
	if (hkb >= BUF_ALIGN >> 10)
		hvb_info_str(ctx, "", "io_buffer", "one %u KiB transparent huge page", BUF_ALIGN >> 10);
	else
		hvb_info_str(ctx, "", "io_buffer",
			     "4 KiB pages (no transparent huge page%s): a 1 MiB request is as many "
			     "device segments as the pages are scattered, up to 256, which can "
			     "slow sequential I/O and differs from run to run",
			     hkb < 0 ? ", /proc/self/smaps unreadable" : "");

	snprintf(io.path, sizeof io.path, "%s/hvbench-io.%ld.tmp", opt_dir, (long)getpid());
	io.fd = open(io.path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (io.fd < 0) {
		int e = errno;
		hvb_err("cannot create %s: %s", io.path, strerror(e));
		params_of(&io, OP_SEQWRITE, p, sizeof p);
		hvb_fail(ctx, p, "MB_per_s", "MB/s", "higher", 1, "not run: cannot create %s: %s",
			 io.path, strerror(e));
		goto out;
	}
	hvb_tmp_add(io.path);

	int derr = opt_buffered ? -1 : probe_direct(&io);
	if (derr == ENOSPC || derr == EDQUOT) {
		/* Full, not unwilling: the O_DIRECT question has no answer. */
		io_fail(&io, OP_SEQWRITE, 1, "MB_per_s", "MB/s", derr, 0);
		not_run_after(&io, OP_SEQWRITE, 1);
		rc = 0;
		goto out;
	}
	io.direct = derr == 0;
	if (want(OP_SEQREAD))
		hvb_info_num(ctx, "", "read_settle_s", "s", opt_settle);
	if (io.direct) {
		hvb_info_str(ctx, "", "cache_mode", "O_DIRECT");
	} else {
		for (int op = 0; op < OP_N; op++) {
			if (op == OP_FSYNC || !want(op))
				continue;
			io.direct = 1;
			params_of(&io, op, p, sizeof p);
			io.direct = 0;
			hvb_skip(ctx, p, op <= OP_SEQREAD ? "MB_per_s" : "iops",
				 op <= OP_SEQREAD ? "MB/s" : "1/s", "higher", "%s",
				 derr < 0 ? "--buffered given"
					  : "O_DIRECT refused by the filesystem; measured buffered instead");
		}
		hvb_info_str(ctx, "", "cache_mode",
			     "buffered (%s%s): page cache of the file dropped with "
			     "posix_fadvise(DONTNEED) before reads%s",
			     derr < 0 ? "--buffered" : "O_DIRECT: ", derr < 0 ? "" : strerror(derr),
			     io.memfs ? "; this filesystem is memory, so reads and writes are memory speed" : "");
	}

	/* One loop over every test: each repetition writes, then reads the file
	 * it wrote, then runs the random and fsync tests, as before; each test's
	 * params is a series of its own (hvb.h). */
	hvb_rep it;
	int failed = -1;
	hvb_reps_begin(ctx, &it, NULL);
	while (failed < 0 && hvb_rep_next(ctx, &it)) {
		int rep = it.warmup ? 0 : it.rep;
		double rt = it.warmup ? opt_runtime / 4 : opt_runtime;
		hvb_progress("repetition %d of %lld", rep, cm->reps);
		/* Every test needs the file: written each repetition when seqwrite
		 * is measured, else once. */
		if (want(OP_SEQWRITE) || !written) {
			if (t_seq(&io, OP_SEQWRITE, want(OP_SEQWRITE) ? rep : 0) != 0)
				failed = OP_SEQWRITE;
			written = failed < 0;
		}
		if (failed < 0 && want(OP_SEQREAD) && t_seq(&io, OP_SEQREAD, rep) != 0)
			failed = OP_SEQREAD;
		if (failed < 0 && want(OP_SEQREAD) && rep == 1 && !io.direct) {
			drop_cache(&io);
			hvb_info_num(ctx, "", "cache_resident_after_drop_pct", "%", resident_pct(&io));
		}
		if (failed < 0 && want(OP_RANDREAD) && t_rand(&io, OP_RANDREAD, rep, rt) != 0)
			failed = OP_RANDREAD;
		if (failed < 0 && want(OP_RANDWRITE) && t_rand(&io, OP_RANDWRITE, rep, rt) != 0)
			failed = OP_RANDWRITE;
		if (failed < 0 && want(OP_FSYNC) && t_fsync(&io, OP_FSYNC, rep, rt) != 0)
			failed = OP_FSYNC;
		if (failed >= 0) {
			not_run_after(&io, failed, rep);
			hvb_reps_end(ctx, &it, "%s failed: the disk is full or the file is not what was "
				     "written, so no later test can run", opname[failed]);
		}
	}
	rc = 0;
out:
	if (io.dfd >= 0)
		close(io.dfd);
	if (io.fd >= 0) {
		close(io.fd);
		hvb_tmp_remove(io.path);
	}
	free(io.buf);
	free(io.lat);
	return rc;
}

static const hvb_opt iobench_opts[] = {
	{ "dir", HVB_OPT_STR, &opt_dir, 0, 0, 0, "DIR",
	  "directory of the test file, on the disk to measure" },
	{ "size-mb", HVB_OPT_INT, &opt_size_mb, 1, 10000000, 64, "MIB",
	  "test file size" },
	{ "runtime", HVB_OPT_DOUBLE, &opt_runtime, 0.01, 3600, 0.2, "S",
	  "seconds of each random and fsync test per repetition" },
	{ "buffered", HVB_OPT_FLAG, &opt_buffered, 0, 0, 0, NULL,
	  "do not try O_DIRECT" },
	{ "force", HVB_OPT_FLAG, &opt_force, 0, 0, 0, NULL,
	  "run even when the free space looks too small" },
	{ "op", HVB_OPT_ONEOF, &opt_op, 0, 0, 0, "all|seqwrite|seqread|randread|randwrite|fsync",
	  "the test to run" },
	{ "settle", HVB_OPT_DOUBLE, &opt_settle, 0, 60, 0, "S",
	  "seconds between the end of the sequential write and the timed read "
	  "(the host may still be flushing the write; 0: read at once)" },
	{ 0 }
};

const hvb_bench iobench_bench = {
	.name = "iobench",
	.alias = "io",
	.summary = "Disk I/O like fio: 1 MiB sequential write/read, 4 KiB random read/write QD1, "
		   "fsync latency; O_DIRECT where allowed",
	.opts = iobench_opts,
	.run = iobench_run,
};
