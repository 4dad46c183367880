/*
 * timebench.c - the small operations whose cost virtualization changes most,
 * in nanoseconds per operation.
 *
 *  - clock_gettime() on each clock: served by the vDSO in user space when the
 *    clocksource allows it (tsc, kvm-clock, hyperv), a real syscall otherwise
 *    (hpet, acpi_pm: common in VirtualBox and nested guests), which is 20-50x
 *    slower;
 *  - a trivial syscall, syscall(SYS_getpid), not glibc's getpid() which some
 *    versions cached: the user/kernel round trip, which PTI and hypervisor
 *    mitigations inflate;
 *  - a minor page fault on fresh anonymous memory (fault + zeroing a 4 KiB
 *    page): two-dimensional page walks (EPT/NPT) or shadow page tables;
 *  - mmap + munmap of 64 KiB untouched anonymous memory: VMA work, no I/O;
 *  - a context switch through a pipe: two processes pinned to the same CPU
 *    pass one byte back and forth; one op is half a round trip (one switch,
 *    one write, one read), as lmbench lat_ctx counts it before subtracting;
 *  - on x86, RDTSC (trapped when a hypervisor emulates the TSC) and CPUID
 *    (always exits to the hypervisor: the cost of one VM exit); elsewhere
 *    (arm64) the same two series are skip rows: they do not apply.
 *
 * Each op runs in a loop calibrated to --time seconds; the cost of an empty
 * loop of the same length is subtracted.
 */
#include "hvb.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <x86intrin.h>
#define HAVE_X86 1
#endif
/* The ops table's x86-only entries: options and series are the same on every
 * architecture; elsewhere each is a skip row saying it does not apply. */
#define TIME_X86_OPS "|rdtsc|cpuid"
#include "detect.h" /* HVB_ARCH_NAME */

static double opt_time = 0.3;
static const char *opt_op = "all";

/* An op runs n operations and returns the elapsed ns of the timed part,
 * or -1 with errno set. */
typedef double (*op_fn)(long n, clockid_t clk);

static double elapsed_ns(uint64_t t0)
{
	return (double)(hvb_now_ns() - t0);
}

static __attribute__((noinline)) double op_empty(long n, clockid_t clk)
{
	(void)clk;
	uint64_t t0 = hvb_now_ns();
	for (long i = 0; i < n; i++)
		__asm__ __volatile__("" ::: "memory");
	return elapsed_ns(t0);
}

static __attribute__((noinline)) double op_clock(long n, clockid_t clk)
{
	struct timespec ts;
	uint64_t t0 = hvb_now_ns();
	for (long i = 0; i < n; i++) {
		clock_gettime(clk, &ts);
		__asm__ __volatile__("" : : "r"(&ts) : "memory");
	}
	return elapsed_ns(t0);
}

static __attribute__((noinline)) double op_getpid(long n, clockid_t clk)
{
	(void)clk;
	uint64_t t0 = hvb_now_ns();
	for (long i = 0; i < n; i++)
		syscall(SYS_getpid);
	return elapsed_ns(t0);
}

/* Fresh anonymous memory in chunks of at most 64 MiB; only the touches are
 * timed.  MADV_NOHUGEPAGE keeps each fault a 4 KiB one whatever THP says. */
static __attribute__((noinline)) double op_pagefault(long n, clockid_t clk)
{
	(void)clk;
	long pg = sysconf(_SC_PAGESIZE);
	long chunk_pages = (64L << 20) / pg;
	double ns = 0;
	while (n > 0) {
		long np = n < chunk_pages ? n : chunk_pages;
		size_t len = (size_t)(np * pg);
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return -1;
		madvise(p, len, MADV_NOHUGEPAGE);
		uint64_t t0 = hvb_now_ns();
		for (long i = 0; i < np; i++)
			((volatile char *)p)[i * pg] = 1;
		ns += elapsed_ns(t0);
		munmap(p, len);
		n -= np;
	}
	return ns;
}

static __attribute__((noinline)) double op_mmap(long n, clockid_t clk)
{
	(void)clk;
	uint64_t t0 = hvb_now_ns();
	for (long i = 0; i < n; i++) {
		void *p = mmap(NULL, 64 << 10, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return -1;
		munmap(p, 64 << 10);
	}
	return elapsed_ns(t0);
}

/* The first CPU this process may run on (cpusets may exclude CPU 0). */
static int first_allowed_cpu(void)
{
	cpu_set_t s;
	if (sched_getaffinity(0, sizeof s, &s) == 0)
		for (int i = 0; i < CPU_SETSIZE; i++)
			if (CPU_ISSET(i, &s))
				return i;
	return 0;
}

/* n operations = n/2 round trips between two processes on one CPU. */
static __attribute__((noinline)) double op_ctxsw(long n, clockid_t clk)
{
	(void)clk;
	int ab[2], ba[2];
	char c = 'x';
	long trips = n / 2 > 0 ? n / 2 : 1;
	cpu_set_t saved;
	double ns = -1;

	if (sched_getaffinity(0, sizeof saved, &saved) != 0)
		return -1;
	if (pipe(ab) < 0)
		return -1;
	if (pipe(ba) < 0) {
		close(ab[0]);
		close(ab[1]);
		return -1;
	}
	int cpu = first_allowed_cpu();
	if (hvb_pin(cpu) != 0)
		goto out;
	pid_t pid = fork();
	if (pid < 0)
		goto out;
	if (pid == 0) {
		close(ab[1]);
		close(ba[0]);
		while (read(ab[0], &c, 1) == 1)
			if (write(ba[1], &c, 1) != 1)
				break;
		_exit(0);
	}
	close(ab[0]);
	close(ba[1]);
	ab[0] = ba[1] = -1;
	/* A few trips first so both processes are scheduled and warm. */
	for (int i = 0; i < 100; i++)
		if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
			goto reap;
	uint64_t t0 = hvb_now_ns();
	long i;
	for (i = 0; i < trips; i++)
		if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
			break;
	if (i == trips)
		ns = elapsed_ns(t0) * (double)n / (double)(2 * trips);
reap:
	close(ab[1]);
	ab[1] = -1;
	waitpid(pid, NULL, 0);
out:;
	int e = errno;
	for (int k = 0; k < 2; k++) {
		if (ab[k] >= 0)
			close(ab[k]);
		if (ba[k] >= 0)
			close(ba[k]);
	}
	sched_setaffinity(0, sizeof saved, &saved);
	errno = e;
	return ns;
}

#ifdef HAVE_X86
static __attribute__((noinline)) double op_rdtsc(long n, clockid_t clk)
{
	(void)clk;
	uint64_t t0 = hvb_now_ns(), x = 0;
	for (long i = 0; i < n; i++)
		x += __rdtsc();
	__asm__ __volatile__("" : : "r"(x));
	return elapsed_ns(t0);
}

static __attribute__((noinline)) double op_cpuid(long n, clockid_t clk)
{
	(void)clk;
	unsigned a, b, c, d, x = 0;
	uint64_t t0 = hvb_now_ns();
	for (long i = 0; i < n; i++) {
		__cpuid(0, a, b, c, d);
		x += a + b + c + d;
	}
	__asm__ __volatile__("" : : "r"(x));
	return elapsed_ns(t0);
}
#endif

struct op {
	const char *name;   /* op= */
	const char *clock;  /* clock= for clock_gettime, else NULL */
	clockid_t clk;
	op_fn fn;
};

static const struct op ops[] = {
	{ "clock_gettime", "realtime", CLOCK_REALTIME, op_clock },
	{ "clock_gettime", "realtime_coarse", CLOCK_REALTIME_COARSE, op_clock },
	{ "clock_gettime", "monotonic", CLOCK_MONOTONIC, op_clock },
	{ "clock_gettime", "monotonic_coarse", CLOCK_MONOTONIC_COARSE, op_clock },
	{ "clock_gettime", "monotonic_raw", CLOCK_MONOTONIC_RAW, op_clock },
	{ "clock_gettime", "boottime", CLOCK_BOOTTIME, op_clock },
	{ "clock_gettime", "tai", CLOCK_TAI, op_clock },
	{ "clock_gettime", "process_cputime", CLOCK_PROCESS_CPUTIME_ID, op_clock },
	{ "clock_gettime", "thread_cputime", CLOCK_THREAD_CPUTIME_ID, op_clock },
	{ "getpid_syscall", NULL, 0, op_getpid },
	{ "page_fault", NULL, 0, op_pagefault },
	{ "mmap_munmap_64k", NULL, 0, op_mmap },
	{ "ctxsw_pipe", NULL, 0, op_ctxsw },
#ifdef HAVE_X86
	{ "rdtsc", NULL, 0, op_rdtsc },
	{ "cpuid", NULL, 0, op_cpuid },
#else
	{ "rdtsc", NULL, 0, NULL }, /* no fn: x86 only, a skip row */
	{ "cpuid", NULL, 0, NULL },
#endif
};

/* Loop overhead per iteration in ns: the best of a few empty loops. */
static double loop_overhead_ns(void)
{
	double best = -1;
	for (int i = 0; i < 5; i++) {
		double t = op_empty(1000000, 0) / 1e6;
		if (best < 0 || t < best)
			best = t;
	}
	return best;
}

/*
 * Find n so that fn(n) takes about `secs`: double n until one call takes at
 * least 5 ms (or secs/4), then scale.  Returns n, or -1 with errno set.
 */
static long calibrate(const struct op *o, double secs)
{
	double floor_ns = secs * 1e9 / 4 < 5e6 ? secs * 1e9 / 4 : 5e6;
	long n = 1;
	for (;;) {
		double ns = o->fn(n, o->clk);
		if (ns < 0)
			return -1;
		if (ns >= floor_ns || n > (1L << 40)) {
			double want = (double)n * secs * 1e9 / (ns > 1 ? ns : 1);
			return want < 1 ? 1 : (long)want;
		}
		n *= 2;
	}
}

static int timebench_run(hvb_ctx *ctx)
{
	const struct hvb_common *c = hvb_common(ctx);
	int measured = 0, known = strcmp(opt_op, "all") == 0;
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		known |= strcmp(opt_op, ops[i].name) == 0;
	if (!known) {
		hvb_err("--op: '%s' is not all or an op name (see --help)", opt_op);
		return 1;
	}

	double ovh = loop_overhead_ns();
	hvb_info_num(ctx, "", "loop_overhead_ns", "ns", ovh);
	hvb_info_num(ctx, "", "page_size", "B", (double)sysconf(_SC_PAGESIZE));

	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		const struct op *o = &ops[i];
		char params[96];
		if (!known || (strcmp(opt_op, "all") != 0 && strcmp(opt_op, o->name) != 0))
			continue;
		if (o->clock)
			snprintf(params, sizeof params, "clock=%s;op=%s", o->clock, o->name);
		else
			snprintf(params, sizeof params, "op=%s", o->name);
		if (hvb_interrupted())
			break;
		hvb_progress("%s", params);
		if (!o->fn) {
			hvb_skip(ctx, params, "ns_per_op", "ns", "lower",
				 "%s is an x86 instruction: it does not apply on %s", o->name,
				 HVB_ARCH_NAME);
			continue;
		}

		if (o->clock) {
			struct timespec res;
			if (clock_getres(o->clk, &res) != 0) {
				hvb_skip(ctx, params, "ns_per_op", "ns", "lower",
					 "clock_getres: %s (clock not supported by this kernel)",
					 strerror(errno));
				continue;
			}
			hvb_info_num(ctx, params, "clock_res_ns", "ns",
				     (double)res.tv_sec * 1e9 + (double)res.tv_nsec);
		}
		long n = calibrate(o, opt_time);
		if (n < 0) {
			int e = errno;
			for (long long r = 0; r < c->reps; r++)
				hvb_fail(ctx, params, "ns_per_op", "ns", "lower", (int)r + 1,
					 "%s: %s", o->name, strerror(e));
			continue;
		}
		hvb_rep it;
		hvb_reps_begin(ctx, &it, params);
		if (o->fn == op_ctxsw)
			hvb_reps_share_cpu(ctx); /* a ping-pong pinned to one CPU */
		while (hvb_rep_next(ctx, &it)) {
			double ns = o->fn(n, o->clk);
			if (it.warmup)
				continue;
			if (ns < 0) {
				hvb_fail(ctx, params, "ns_per_op", "ns", "lower", it.rep,
					 "%s: %s", o->name, strerror(errno));
				continue;
			}
			double per = ns / (double)n - ovh;
			if (!(per > 0)) {
				hvb_fail(ctx, params, "ns_per_op", "ns", "lower", it.rep,
					 "%.3g ns per op is not above the loop overhead %.3g ns",
					 ns / (double)n, ovh);
				continue;
			}
			hvb_ok(ctx, params, "ns_per_op", "ns", "lower", it.rep, per);
			measured++;
		}
	}
	return measured ? 0 : 1;
}

static const hvb_opt timebench_opts[] = {
	{ "time", HVB_OPT_DOUBLE, &opt_time, 0.01, 600, 0.04, "S",
	  "seconds per repetition of each op" },
	{ "op", HVB_OPT_ONEOF, &opt_op, 0, 0, 0,
	  "all|clock_gettime|getpid_syscall|page_fault|mmap_munmap_64k|ctxsw_pipe" TIME_X86_OPS,
	  "the op to run" },
	{ 0 }
};

const hvb_bench timebench_bench = {
	.name = "timebench",
	.alias = "time",
	.summary = "Timer/syscall: ns per op of clock_gettime (each clock), getpid syscall, page fault, "
		   "mmap+munmap, pipe context switch, rdtsc, cpuid",
	.opts = timebench_opts,
	.run = timebench_run,
};
