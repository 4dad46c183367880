/*
 * membench.c - memory bandwidth (STREAM) and memory latency (pointer chase).
 *
 * Bandwidth: STREAM's four kernels on three double arrays a, b, c of
 * --array-mb MiB each, by default at least 4x the sum of the last-level
 * caches (STREAM's own rule), with one thread and with all CPUs (pthreads,
 * each thread owning a slice it touched first, so pages land on its NUMA
 * node).  Bytes are counted as STREAM counts them: copy and scale move 2
 * arrays, add and triad 3 (write-allocate traffic is not counted).  A fifth
 * kernel, memcpy (glibc's, same byte count as copy), is there to compare with
 * `mbw`, which times memcpy() but counts the copied size once in MiB/s.
 * Every repetition is a row (copy_MB_per_s ...); STREAM's own figure, the best
 * repetition, is one more row (copy_best_MB_per_s).  The arrays are checked
 * at the end as STREAM's checkSTREAMresults does; a mismatch is a fail row.
 *
 * Latency: a pointer chase through one randomly ordered cycle over all cache
 * lines of a working set, so every load depends on the previous one and the
 * prefetchers cannot guess the next line; ns per load at sizes chosen from
 * the cache sizes this machine reports (L1, L2, LLC: half of each; DRAM:
 * 4x the LLC total).  Random order over 4 KiB pages includes TLB misses, as
 * lmbench lat_mem_rd with -t does, which is exactly where nested paging
 * (EPT/NPT) shows.
 *
 * Cache sizes come from /sys/devices/system/cpu/cpu0/cache (in a guest: what
 * the hypervisor chose to report), else from glibc's sysconf, else 32 MiB.
 */
#include "hvb.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static long long opt_array_mb = 0;   /* 0: 4x LLC total */
static long long opt_threads = 0;    /* 0: online CPUs */
static long long opt_lat_max_mb = 0; /* 0: no cap beyond memory */
static double opt_lat_time = 0.5;
static double opt_rep_time = 0.25; /* seconds of passes per bandwidth repetition */
static const char *opt_part = "all";

#define SCALAR 3.0
#define LINE 64
#define MAX_PASSES 200 /* per repetition: STREAM's check overflows past ~260 */

/* ---------------------------------------------------------------- caches */

struct caches {
	long long l1, l2, llc;   /* bytes of one instance; 0 if unknown */
	long long llc_total;     /* llc x number of distinct LLC instances */
	int llc_level;
	int l2_assumed;          /* no L2 reported: l2 is assumed (read_caches) */
	const char *source;
};

static long long parse_size(const char *s)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || v < 0)
		return 0;
	if (*end == 'K')
		v <<= 10;
	else if (*end == 'M')
		v <<= 20;
	else if (*end == 'G')
		v <<= 30;
	return v;
}

static int read_line(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char *r = fgets(buf, (int)n, f);
	fclose(f);
	if (!r)
		return -1;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static void read_caches(struct caches *c)
{
	char path[256], buf[256];
	memset(c, 0, sizeof *c);
	for (int i = 0; i < 16; i++) {
		char type[32];
		snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/level", i);
		if (read_line(path, buf, sizeof buf) != 0)
			break;
		int level = (int)strtol(buf, NULL, 10);
		snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/type", i);
		if (read_line(path, type, sizeof type) != 0 || strcmp(type, "Instruction") == 0)
			continue;
		snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/size", i);
		if (read_line(path, buf, sizeof buf) != 0)
			continue;
		long long sz = parse_size(buf);
		if (level == 1)
			c->l1 = sz;
		else if (level == 2)
			c->l2 = sz;
		if (level >= c->llc_level && level >= 2) {
			c->llc_level = level;
			c->llc = sz;
			/* Count the distinct instances of this level over all CPUs. */
			char seen[64][128];
			int nseen = 0;
			for (int cpu = 0; cpu < 4096 && nseen < 64; cpu++) {
				char p2[256], list[128];
				snprintf(p2, sizeof p2,
					 "/sys/devices/system/cpu/cpu%d/cache/index%d/shared_cpu_list", cpu, i);
				if (read_line(p2, list, sizeof list) != 0) {
					if (cpu > 0 && access(p2, F_OK) != 0) {
						snprintf(p2, sizeof p2, "/sys/devices/system/cpu/cpu%d", cpu);
						if (access(p2, F_OK) != 0)
							break;
					}
					continue;
				}
				int dup = 0;
				for (int k = 0; k < nseen; k++)
					dup |= strcmp(seen[k], list) == 0;
				if (!dup)
					snprintf(seen[nseen++], sizeof seen[0], "%s", list);
			}
			c->llc_total = sz * (nseen > 0 ? nseen : 1);
		}
	}
	c->source = "sysfs";
	if (c->llc == 0) {
		long l1 = sysconf(_SC_LEVEL1_DCACHE_SIZE), l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
		long l3 = sysconf(_SC_LEVEL3_CACHE_SIZE);
		c->l1 = l1 > 0 ? l1 : 0;
		c->l2 = l2 > 0 ? l2 : 0;
		c->llc = l3 > 0 ? l3 : c->l2;
		c->llc_level = l3 > 0 ? 3 : 2;
		c->source = "sysconf";
		if (c->llc <= 0) {
			c->llc = 32LL << 20;
			c->llc_level = 3;
			c->source = "assumed 32 MiB";
		}
		c->llc_total = c->llc;
	}
	if (c->l1 <= 0)
		c->l1 = 32 << 10;
	/* No L2 reported (aarch64 glibc's sysconf under qemu-user, some
	 * guests): assume 1 MiB (half the LLC if that is 2 MiB or less), as
	 * the latency part names its sets by role.  cache_l2_bytes still says
	 * 0 (not reported); cache_source names the assumption. */
	if (c->l2 <= 0) {
		c->l2 = c->llc > (2LL << 20) ? 1LL << 20 : c->llc / 2;
		c->l2_assumed = 1;
	}
}

/* MemAvailable from /proc/meminfo in bytes, 0 if unknown. */
static long long mem_available(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	long long kb = 0;
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "MemAvailable: %lld kB", &kb) == 1)
			break;
	fclose(f);
	return kb * 1024;
}

/* ---------------------------------------------------------------- STREAM */

enum { K_COPY, K_MEMCPY, K_SCALE, K_ADD, K_TRIAD, K_INIT, K_N };
static const char *const kname[K_N] = { "copy", "memcpy", "scale", "add", "triad", "init" };
static const int karrays[K_N] = { 2, 2, 2, 3, 3, 3 };

struct stream {
	double *a, *b, *c;
	size_t n;                /* elements per array */
	int nthr;
	pthread_t *tid;
	pthread_barrier_t start, done;
	pthread_mutex_t gate;
	int cmd;                 /* K_*, or -1 to exit */
	/* Spin mode (every thread pinned to a CPU of its own, the caller as
	 * slice 0): a pass is released by bumping gen and ends when remaining
	 * reaches 0.  The workers spin between passes, as STREAM's OpenMP
	 * threads do (OMP_WAIT_POLICY), so no CPU goes idle between passes. */
	int spin;
	unsigned gen;            /* atomics (__atomic builtins) */
	int remaining;
	cpu_set_t home;          /* the caller's affinity before it was pinned */
};

struct slice {
	struct stream *s;
	int id;
	int cpu;                 /* the CPU it is pinned to; -1: not pinned */
	double busy;             /* seconds in kernels since the last stream_busy_reset */
};

/*
 * The kernels, on [lo, hi).  Written as STREAM writes them; O3 so that they
 * are vectorized whatever CFLAGS the build uses, as STREAM is meant to be
 * compiled with optimization.
 */
__attribute__((optimize("O3"))) static void kernel(struct stream *s, int k, size_t lo, size_t hi)
{
	double *restrict a = s->a, *restrict b = s->b, *restrict c = s->c;
	switch (k) {
	case K_COPY:
		for (size_t j = lo; j < hi; j++)
			c[j] = a[j];
		break;
	case K_MEMCPY:
		memcpy(c + lo, a + lo, (hi - lo) * sizeof(double));
		break;
	case K_SCALE:
		for (size_t j = lo; j < hi; j++)
			b[j] = SCALAR * c[j];
		break;
	case K_ADD:
		for (size_t j = lo; j < hi; j++)
			c[j] = a[j] + b[j];
		break;
	case K_TRIAD:
		for (size_t j = lo; j < hi; j++)
			a[j] = b[j] + SCALAR * c[j];
		break;
	case K_INIT:
		for (size_t j = lo; j < hi; j++) {
			a[j] = 1.0;
			b[j] = 2.0;
			c[j] = 0.0;
		}
		break;
	}
}

static void slice_bounds(const struct stream *s, int id, size_t *lo, size_t *hi)
{
	/* Slices on 8-element (one cache line) boundaries. */
	size_t lines = (s->n + 7) / 8;
	*lo = lines * (size_t)id / (size_t)s->nthr * 8;
	*hi = lines * (size_t)(id + 1) / (size_t)s->nthr * 8;
	if (*hi > s->n)
		*hi = s->n;
	if (*lo > *hi)
		*lo = *hi;
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

static void slice_kernel(struct slice *sl, int k)
{
	size_t lo, hi;
	slice_bounds(sl->s, sl->id, &lo, &hi);
	double t0 = hvb_now();
	kernel(sl->s, k, lo, hi);
	sl->busy += hvb_now() - t0;
}

static void *stream_worker(void *arg)
{
	struct slice *sl = arg;
	struct stream *s = sl->s;
	/* The gate is held until every thread exists, so a failed
	 * pthread_create can still send the started ones home (cmd -1)
	 * before any of them waits on a barrier. */
	pthread_mutex_lock(&s->gate);
	pthread_mutex_unlock(&s->gate);
	if (s->cmd < 0)
		return NULL;
	if (sl->cpu >= 0)
		hvb_pin(sl->cpu);
	if (s->spin) {
		unsigned seen = 0;
		for (;;) {
			unsigned g;
			while ((g = __atomic_load_n(&s->gen, __ATOMIC_ACQUIRE)) == seen)
				cpu_relax();
			seen = g;
			int k = s->cmd;
			if (k < 0)
				return NULL;
			slice_kernel(sl, k);
			__atomic_fetch_sub(&s->remaining, 1, __ATOMIC_RELEASE);
		}
	}
	for (;;) {
		pthread_barrier_wait(&s->start);
		int k = s->cmd;
		if (k < 0)
			return NULL;
		slice_kernel(sl, k);
		pthread_barrier_wait(&s->done);
	}
}

/* Run kernel k on all threads of s; seconds elapsed.  sl: stream_start's. */
static double stream_do(struct stream *s, struct slice *sl, int k)
{
	if (s->nthr == 1) {
		double t0 = hvb_now();
		kernel(s, k, 0, s->n);
		return hvb_now() - t0;
	}
	s->cmd = k;
	double t0 = hvb_now();
	if (s->spin) {
		__atomic_store_n(&s->remaining, s->nthr - 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&s->gen, 1, __ATOMIC_RELEASE);
		slice_kernel(&sl[0], k);
		while (__atomic_load_n(&s->remaining, __ATOMIC_ACQUIRE) > 0)
			cpu_relax();
		return hvb_now() - t0;
	}
	pthread_barrier_wait(&s->start);
	pthread_barrier_wait(&s->done);
	return hvb_now() - t0;
}

static struct slice *stream_start(struct stream *s, int nthr)
{
	s->nthr = nthr;
	s->cmd = 0;
	s->spin = 0;
	s->gen = 0;
	if (nthr == 1)
		return NULL;
	struct slice *sl = calloc((size_t)nthr, sizeof *sl);
	s->tid = calloc((size_t)nthr, sizeof *s->tid);
	if (!sl || !s->tid)
		goto fail;
	/* Each thread on a CPU of its own when there are enough, the caller
	 * on the first, and the workers spinning between passes.  Sleeping in
	 * a barrier instead lets a CPU go idle between ~10 ms passes, and on a
	 * VM waking an idle vCPU can take milliseconds: unpinned, with
	 * pthread barriers, run-queue wait was 13-47 % and copy 13-25 GB/s
	 * within one quiet run on 2 vCPUs here.  threads_pinned says which
	 * way a series ran; with fewer CPUs than threads it is the barrier. */
	int cpus[CPU_SETSIZE], ncpu = 0;
	if (sched_getaffinity(0, sizeof s->home, &s->home) == 0)
		for (int c = 0; c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, &s->home))
				cpus[ncpu++] = c;
	s->spin = ncpu >= nthr;
	pthread_barrier_init(&s->start, NULL, (unsigned)nthr + 1);
	pthread_barrier_init(&s->done, NULL, (unsigned)nthr + 1);
	pthread_mutex_init(&s->gate, NULL);
	pthread_mutex_lock(&s->gate);
	for (int i = 0; i < nthr; i++)
		sl[i] = (struct slice){ s, i, s->spin ? cpus[i] : -1, 0 };
	int first = s->spin, started = first;
	for (int i = first; i < nthr; i++) {
		if (pthread_create(&s->tid[i], NULL, stream_worker, &sl[i]) != 0)
			break;
		started++;
	}
	if (started < nthr)
		s->cmd = -1;
	pthread_mutex_unlock(&s->gate);
	if (started == nthr) {
		if (s->spin)
			hvb_pin(sl[0].cpu);
		return sl;
	}
	for (int i = first; i < started; i++)
		pthread_join(s->tid[i], NULL);
	pthread_barrier_destroy(&s->start);
	pthread_barrier_destroy(&s->done);
	pthread_mutex_destroy(&s->gate);
fail:
	free(sl);
	free(s->tid);
	s->tid = NULL;
	s->nthr = 1;
	s->spin = 0;
	return NULL;
}

static void stream_stop(struct stream *s, struct slice *sl)
{
	if (s->nthr > 1) {
		s->cmd = -1;
		if (s->spin)
			__atomic_fetch_add(&s->gen, 1, __ATOMIC_RELEASE);
		else
			pthread_barrier_wait(&s->start);
		for (int i = s->spin; i < s->nthr; i++)
			pthread_join(s->tid[i], NULL);
		if (s->spin)
			sched_setaffinity(0, sizeof s->home, &s->home);
		pthread_barrier_destroy(&s->start);
		pthread_barrier_destroy(&s->done);
		pthread_mutex_destroy(&s->gate);
		free(s->tid);
		s->tid = NULL;
		s->spin = 0;
	}
	free(sl);
}

/*
 * STREAM's check: replay the kernels on scalars and compare a sample of
 * elements.  Returns 0, or -1 with *why filled.
 */
static int stream_check(const struct stream *s, int iters, char *why, size_t n)
{
	double aj = 1.0, bj = 2.0, cj = 0.0;
	for (int i = 0; i < iters; i++) {
		cj = aj;
		bj = SCALAR * cj;
		cj = aj + bj;
		aj = bj + SCALAR * cj;
	}
	/* a grows 15x per iteration: past ~260 iterations the expected values
	 * overflow and there is nothing left to compare. */
	if (!isfinite(aj))
		return 0;
	size_t step = s->n / 1024 + 1;
	for (size_t j = 0; j < s->n; j += step) {
		const double *arr[3] = { s->a, s->b, s->c };
		const double want[3] = { aj, bj, cj };
		for (int k = 0; k < 3; k++)
			if (fabs(arr[k][j] - want[k]) > 1e-13 * fabs(want[k])) {
				snprintf(why, n, "validation: %c[%zu] = %.17g, expected %.17g",
					 "abc"[k], j, arr[k][j], want[k]);
				return -1;
			}
	}
	return 0;
}

static void run_stream(hvb_ctx *ctx, struct stream *s, int nthr, double array_mb)
{
	static const int order[] = { K_COPY, K_MEMCPY, K_SCALE, K_ADD, K_TRIAD };
	double best[K_N];
	char params[96], metric[64];
	int iters = 0;

	/* params name what is comparable across machines: one thread or all of
	 * them.  The array size follows each machine's cache (STREAM's rule), so
	 * it is an info row, not a parameter: a guest and its host compare. */
	if (nthr == 1)
		snprintf(params, sizeof params, "threads=1");
	else if (opt_threads > 0)
		snprintf(params, sizeof params, "threads=%d", nthr);
	else
		snprintf(params, sizeof params, "threads=all");
	struct slice *sl = stream_start(s, nthr);
	if (nthr > 1 && s->nthr == 1) {
		hvb_fail(ctx, params, "copy_MB_per_s", "MB/s", "higher", 1,
			 "cannot start %d threads", nthr);
		return;
	}
	hvb_info_num(ctx, params, "array_mb", "MB", array_mb);
	hvb_info_num(ctx, params, "threads_used", "count", nthr);
	if (sl)
		hvb_info_num(ctx, params, "threads_pinned", "count", sl[0].cpu >= 0 ? nthr : 0);
	hvb_progress("stream %s", params);
	hvb_info_num(ctx, params, "rep_time_s", "s", opt_rep_time);
	for (int k = 0; k < K_N; k++)
		best[k] = 0;
	/* The worker threads live through the whole series (stream_start), so
	 * the harness sees them in /proc/self/task: no hvb_thread_begin/end. */
	hvb_rep it;
	hvb_reps_begin(ctx, &it, params);
	while (hvb_rep_next(ctx, &it)) {
		/* A repetition: passes of the kernels until --rep-time has gone
		 * by (at least one, at most MAX_PASSES), each kernel's figure its
		 * bytes over its time in them.  Short passes alone scatter:
		 * 64 MiB arrays (--quick) pass in ~6 ms, and the run-to-run
		 * spread of copy was 2x smaller with 30 passes than with 3 here.
		 * The arrays are set afresh first (untimed) so STREAM's check
		 * below replays this repetition's passes only. */
		stream_do(s, sl, K_INIT);
		iters = 0;
		for (int t = 0; sl && t < s->nthr; t++)
			sl[t].busy = 0;
		double bytes[K_N] = { 0 }, secs[K_N] = { 0 }, spent = 0;
		do {
			for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
				int k = order[i];
				double t = stream_do(s, sl, k);
				double b = (double)karrays[k] * sizeof(double) * (double)s->n;
				bytes[k] += b;
				secs[k] += t;
				spent += t;
				if (!it.warmup && b / t / 1e6 > best[k])
					best[k] = b / t / 1e6;
			}
			iters++;
		} while (spent < opt_rep_time && iters < MAX_PASSES && !hvb_interrupted());
		if (it.warmup)
			continue;
		for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
			int k = order[i];
			snprintf(metric, sizeof metric, "%s_MB_per_s", kname[k]);
			hvb_ok(ctx, params, metric, "MB/s", "higher", it.rep, bytes[k] / secs[k] / 1e6);
		}
		/* Equal slices: a thread that took longer over them was slowed
		 * (its CPU taken, seen or not by the counters). */
		double lo = INFINITY, hi = 0;
		for (int t = 0; sl && t < s->nthr; t++) {
			lo = fmin(lo, sl[t].busy);
			hi = fmax(hi, sl[t].busy);
		}
		if (sl && hi > 0)
			hvb_rep_balance(ctx, lo / hi);
	}
	char why[256];
	int bad = iters > 0 && stream_check(s, iters, why, sizeof why) != 0;
	for (size_t i = 0; i < sizeof order / sizeof order[0] && iters > 0; i++) {
		int k = order[i];
		snprintf(metric, sizeof metric, "%s_best_MB_per_s", kname[k]);
		if (bad)
			hvb_fail(ctx, params, metric, "MB/s", "higher", 1, "%s", why);
		else
			hvb_ok(ctx, params, metric, "MB/s", "higher", 1, best[k]);
	}
	stream_stop(s, sl);
}

/* ---------------------------------------------------------------- latency */

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * Link the `lines` cache lines of buf into one cycle in random order
 * (Fisher-Yates over the line indices, then each line points to the next of
 * the permutation).  Returns 0, or -1 when the index array cannot be had.
 */
static int chase_build(char *buf, size_t lines)
{
	uint32_t *perm = malloc(lines * sizeof *perm);
	uint64_t x = 0x2545f4914f6cdd1dull;
	if (!perm)
		return -1;
	for (size_t i = 0; i < lines; i++)
		perm[i] = (uint32_t)i;
	for (size_t i = lines - 1; i > 0; i--) {
		size_t j = (size_t)(xorshift(&x) % (i + 1));
		uint32_t t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	for (size_t i = 0; i < lines; i++)
		*(void **)(buf + (size_t)perm[i] * LINE) = buf + (size_t)perm[(i + 1) % lines] * LINE;
	free(perm);
	return 0;
}

/* Follow the chain for about `secs`; ns per load.  *pp carries the position. */
static double chase(void **pp, double secs)
{
	void *p = *pp;
	uint64_t loads = 0, t0 = hvb_now_ns(), t1, limit = (uint64_t)(secs * 1e9);
	do {
		for (int i = 0; i < 4096; i++) {
			p = *(void **)p; p = *(void **)p; p = *(void **)p; p = *(void **)p;
			p = *(void **)p; p = *(void **)p; p = *(void **)p; p = *(void **)p;
		}
		loads += 4096 * 8;
		t1 = hvb_now_ns();
	} while (t1 - t0 < limit);
	*pp = p;
	return (double)(t1 - t0) / (double)loads;
}

static const char *level_of(const struct caches *c, long long size)
{
	if (size <= c->l1)
		return "l1";
	if (c->l2 > 0 && size <= c->l2)
		return "l2";
	if (size <= c->llc)
		return "llc";
	return "dram";
}

static void run_latency(hvb_ctx *ctx, const struct caches *c, char *mem, long long memsz)
{
	const struct hvb_common *cm = hvb_common(ctx);
	/* Four working sets, each named by the level it is meant for: half of
	 * L1d, half of L2, half of the LLC, and 4x the LLC total (past every
	 * cache).  The largest is capped by --lat-max-mb and memory, and each
	 * smaller one is at most a quarter of the next, so there are always
	 * the same four series, whatever the machine reports: a cache report
	 * can be the sum over a socket's core complexes (an AMD EPYC guest here
	 * reported a 508 MiB L3 through cpuid, with no sysfs cache entries; a
	 * 64 MiB chase there took 215-230 ns, DRAM's latency), and naming the
	 * sets by where the reported sizes put them left such a machine with
	 * no level=dram series, and aarch64 (no L2 reported) with no level=l2.
	 * A set that does not fit its level by the reported sizes gets a
	 * level_note info row saying so. */
	static const char *const role[4] = { "l1", "l2", "llc", "dram" };
	long long want[4] = { c->l1 / 2, c->l2 / 2, c->llc / 2, 4 * c->llc_total };
	long long size[4];
	for (int i = 3; i >= 0; i--) {
		long long sz = want[i];
		if (i == 3) {
			if (opt_lat_max_mb > 0 && sz > opt_lat_max_mb << 20)
				sz = opt_lat_max_mb << 20;
			if (sz > memsz)
				sz = memsz;
		} else if (sz > size[i + 1] / 4) {
			sz = size[i + 1] / 4;
		}
		sz = sz / 4096 * 4096;
		size[i] = sz < 4096 ? 4096 : sz;
	}

	for (int i = 0; i < 4; i++) {
		long long sz = size[i];
		/* Tiny memory only: two roles at one size; the smaller role runs. */
		if (i > 0 && sz <= size[i - 1])
			continue;
		const char *lv = role[i];
		char params[96];
		snprintf(params, sizeof params, "level=%s", lv);
		hvb_info_num(ctx, params, "working_set_kb", "count", (double)(sz >> 10));
		const char *fit = level_of(c, sz);
		if (strcmp(fit, lv) != 0)
			hvb_info_str(ctx, params, "level_note",
				     "%lld KiB is %s by the reported caches (L1d %lld KiB; L2 %lld KiB%s; "
				     "LLC %lld KiB; %lld KiB in all): %s", sz >> 10,
				     strcmp(fit, "dram") == 0 ? "past the LLC"
				     : strcmp(fit, "llc") == 0 ? "within the LLC"
				     : strcmp(fit, "l2") == 0 ? "within L2" : "within L1d", c->l1 >> 10, c->l2 >> 10,
				     c->l2_assumed ? " assumed" : "", c->llc >> 10, c->llc_total >> 10,
				     sz >= want[i] ? "the reported sizes of the levels overlap"
				     : i == 3 ? "capped by --lat-max-mb or memory" : "capped at a quarter of the next set");
		hvb_progress("latency %s", params);
		if (chase_build(mem, (size_t)sz / LINE) != 0) {
			for (long long r = 0; r < cm->reps; r++)
				hvb_fail(ctx, params, "latency_ns", "ns", "lower", (int)r + 1,
					 "out of memory for the %lld-line permutation", sz / LINE);
			continue;
		}
		void *p = mem;
		hvb_rep it;
		hvb_reps_begin(ctx, &it, params);
		while (hvb_rep_next(ctx, &it)) {
			double ns = chase(&p, it.warmup ? opt_lat_time / 2 : opt_lat_time);
			if (!it.warmup)
				hvb_ok(ctx, params, "latency_ns", "ns", "lower", it.rep, ns);
		}
		if (hvb_interrupted())
			break;
		/* Keep p live so the chase cannot be dropped. */
		__asm__ __volatile__("" : : "r"(p));
	}
}

/* ---------------------------------------------------------------- run */

static int membench_run(hvb_ctx *ctx)
{
	struct caches c;
	int do_bw = strcmp(opt_part, "all") == 0 || strcmp(opt_part, "bandwidth") == 0;
	int do_lat = strcmp(opt_part, "all") == 0 || strcmp(opt_part, "latency") == 0;
	if (!do_bw && !do_lat) {
		hvb_err("--part: '%s' is not all, bandwidth or latency", opt_part);
		return 1;
	}

	read_caches(&c);
	hvb_info_num(ctx, "", "cache_l1d_bytes", "B", (double)c.l1);
	hvb_info_num(ctx, "", "cache_l2_bytes", "B", c.l2_assumed ? 0.0 : (double)c.l2);
	hvb_info_num(ctx, "", "cache_llc_bytes", "B", (double)c.llc);
	hvb_info_num(ctx, "", "cache_llc_total_bytes", "B", (double)c.llc_total);
	hvb_info_num(ctx, "", "cache_llc_level", "count", c.llc_level);
	if (c.l2_assumed)
		hvb_info_str(ctx, "", "cache_source", "%s; L2 not reported: %lld KiB assumed", c.source, c.l2 >> 10);
	else
		hvb_info_str(ctx, "", "cache_source", "%s", c.source);
	char thp[128];
	if (read_line("/sys/kernel/mm/transparent_hugepage/enabled", thp, sizeof thp) == 0)
		hvb_info_str(ctx, "", "thp_enabled", "%s", thp);

	/* Array size: STREAM's rule, at least 4x the LLC total (and 1 MiB).
	 * The three arrays stay within half of the available memory, whatever
	 * was asked (small guests run --quick too): a capped size is noted. */
	long long avail = mem_available();
	long long arr = opt_array_mb > 0 ? opt_array_mb << 20 : 4 * c.llc_total;
	if (arr < (1LL << 20))
		arr = 1LL << 20;
	if (avail > 0 && 3 * arr > avail / 2) {
		long long cap = avail / 6 / (1LL << 20) * (1LL << 20);
		if (cap < (1LL << 20))
			cap = 1LL << 20;
		hvb_info_str(ctx, "", "array_note",
			     "arrays capped from %lld to %lld MiB: 3 arrays within half of the "
			     "%lld MiB available", arr >> 20, cap >> 20, avail >> 20);
		arr = cap;
	}
	if (arr < 4 * c.llc_total)
		hvb_info_str(ctx, "", "array_note",
			     "arrays of %lld MiB are below 4x the LLC total (%lld MiB): "
			     "caches inflate the bandwidth figures", arr >> 20, 4 * c.llc_total >> 20);
	double array_mb = (double)arr / (1 << 20);
	hvb_info_num(ctx, "", "array_mb", "MB", array_mb);

	/* One mapping for the three arrays; the latency chase reuses it after
	 * STREAM (it needs at most 4x LLC, as much as one array). */
	long long lat_need = do_lat ? 4 * c.llc_total : 0;
	if (opt_lat_max_mb > 0 && lat_need > opt_lat_max_mb << 20)
		lat_need = opt_lat_max_mb << 20;
	if (avail > 0 && lat_need > avail / 2)
		lat_need = avail / 2;
	size_t memsz = do_bw ? (size_t)(3 * arr) : 0;
	if ((size_t)lat_need > memsz)
		memsz = (size_t)lat_need;
	memsz = (memsz + 4095) / 4096 * 4096;
	char *mem = mmap(NULL, memsz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		hvb_err("cannot map %zu MiB: %s", memsz >> 20, strerror(errno));
		return 1;
	}

	int ncpu = hvb_ncpus();
	int nall = opt_threads > 0 ? (int)opt_threads : ncpu;
	if (do_bw) {
		struct stream s = { 0 };
		s.n = (size_t)arr / sizeof(double);
		s.a = (double *)mem;
		s.b = (double *)(mem + arr);
		s.c = (double *)(mem + 2 * arr);
		/* First touch by the all-CPU configuration's slices (NUMA). */
		if (nall > 1) {
			struct slice *sl = stream_start(&s, nall);
			if (s.nthr > 1)
				stream_do(&s, sl, K_INIT);
			stream_stop(&s, sl);
		}
		run_stream(ctx, &s, 1, array_mb);
		if (nall > 1 && !hvb_interrupted())
			run_stream(ctx, &s, nall, array_mb);
	}
	if (do_lat && !hvb_interrupted())
		run_latency(ctx, &c, mem, (long long)memsz);
	munmap(mem, memsz);
	return 0;
}

static const hvb_opt membench_opts[] = {
	{ "array-mb", HVB_OPT_INT, &opt_array_mb, 0, 1000000, 64, "MIB",
	  "size of each STREAM array; 0 = 4x the LLC total" },
	{ "threads", HVB_OPT_INT, &opt_threads, 0, 4096, 0, "N",
	  "threads of the all-CPU run; 0 = online CPUs" },
	{ "lat-max-mb", HVB_OPT_INT, &opt_lat_max_mb, 0, 1000000, 64, "MIB",
	  "largest latency working set; 0 = 4x the LLC total" },
	{ "lat-time", HVB_OPT_DOUBLE, &opt_lat_time, 0.01, 600, 0.05, "S",
	  "seconds of pointer chase per repetition and size" },
	{ "rep-time", HVB_OPT_DOUBLE, &opt_rep_time, 0, 60, 0, "S",
	  "seconds of bandwidth passes per repetition (at least one pass, at most 200); 0 = one pass" },
	{ "part", HVB_OPT_ONEOF, &opt_part, 0, 0, 0, "all|bandwidth|latency",
	  "the part to run" },
	{ 0 }
};

const hvb_bench membench_bench = {
	.name = "membench",
	.alias = "mem",
	.summary = "Memory: bandwidth (STREAM copy/scale/add/triad, 1 and all threads) "
		   "and latency (random pointer chase)",
	.opts = membench_opts,
	.run = membench_run,
};
