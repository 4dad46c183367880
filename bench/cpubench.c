/*
 * cpubench.c - CPU throughput: integer and floating-point kernels, one thread
 * and all CPUs.
 *
 * Each kernel is a fixed amount of work called an "event"; a run starts T
 * threads together, lets them repeat events for --time seconds and reports
 * events per second over all threads, as `sysbench cpu` does.  The `primes`
 * kernel is sysbench's own (src/tests/cpu/sb_cpu.c, cpu_execute_event): count
 * the primes in [3, --cpu-max-prime) by trial division with 64-bit integers
 * up to sqrt(c) computed in double, with the same types and loop bounds, so
 * its events_per_s is comparable with the figure `sysbench cpu
 * --cpu-max-prime=N --threads=T run` prints.  `int` is integer hashing over an
 * L1-resident table (ALU, multiplier, load/store); `fp` is a dense 32x32
 * double matrix product (FP multiply-add, vector units).  None of them touches
 * more than L1/L2, so their cost is what the hypervisor does to pure CPU work:
 * ideally nothing, in practice timer interrupts, exits, steal and frequency.
 */
#include "hvb.h"

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double opt_time = 2.0;
static long long opt_max_prime = 10000;
static long long opt_threads = 0;
static const char *opt_kernel = "all";

/* ---------------------------------------------------------------- kernels */

/* Work state of one thread; the kernels keep their data here so threads
 * share nothing but the stop flag (64-byte aligned: no false sharing, and
 * its size is a multiple of the alignment, as aligned_alloc requires). */
#define FP_N 32
struct __attribute__((aligned(64))) tstate {
	double a[FP_N * FP_N], b[FP_N * FP_N], c[FP_N * FP_N];
	uint32_t tab[4096];
	uint64_t seed;
};

/*
 * sysbench's event, with its types: c and l unsigned long long (64-bit
 * division), t double, `l <= t` compared in double.  Changing any of these
 * changes the instruction mix and breaks the comparison with sysbench.
 */
static uint64_t k_primes(struct tstate *s)
{
	unsigned long long c, l, n = 0;
	double t;
	(void)s;
	for (c = 3; c < (unsigned long long)opt_max_prime; c++) {
		t = sqrt((double)c);
		for (l = 2; l <= t; l++)
			if (c % l == 0)
				break;
		if (l > t)
			n++;
	}
	return n;
}

/* 2^18 rounds of xorshift64 + 32-bit multiply-mix updating a 16 KiB table. */
static uint64_t k_int(struct tstate *s)
{
	uint64_t x = s->seed, acc = 0;
	for (uint32_t i = 0; i < (1u << 18); i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		uint32_t h = (uint32_t)x * 0x85ebca6bu;
		h ^= h >> 13;
		h *= 0xc2b2ae35u;
		uint32_t idx = h & 4095u;
		s->tab[idx] += h;
		acc += s->tab[(idx + 1) & 4095u] ^ h;
	}
	s->seed = x;
	return acc;
}

/* c = a * b, 32x32 doubles, i-k-j order so the inner loop is a vector FMA. */
static uint64_t k_fp(struct tstate *s)
{
	double *restrict a = s->a, *restrict b = s->b, *restrict c = s->c;
	memset(c, 0, sizeof s->c);
	for (int i = 0; i < FP_N; i++)
		for (int k = 0; k < FP_N; k++) {
			double aik = a[i * FP_N + k];
			for (int j = 0; j < FP_N; j++)
				c[i * FP_N + j] += aik * b[k * FP_N + j];
		}
	/* Feed the result back so no iteration can be skipped. */
	a[0] = c[FP_N * FP_N - 1] * 1e-9;
	return (uint64_t)c[0];
}

static void tstate_init(struct tstate *s, int id)
{
	for (int i = 0; i < FP_N * FP_N; i++) {
		s->a[i] = (double)((i * 7 + id) % 13) / 13.0;
		s->b[i] = (double)((i * 5 + 3) % 11) / 11.0;
	}
	memset(s->tab, 0, sizeof s->tab);
	s->seed = 0x9e3779b97f4a7c15ull + (uint64_t)id;
}

struct kernel {
	const char *name;
	uint64_t (*event)(struct tstate *);
};

static const struct kernel kernels[] = {
	{ "primes", k_primes },
	{ "int", k_int },
	{ "fp", k_fp },
};

/* ---------------------------------------------------------------- threads */

struct worker {
	pthread_t tid;
	const struct kernel *k;
	struct tstate *st;
	atomic_int *ready, *go, *stop;
	uint64_t events;
	uint64_t sink;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	uint64_t ev = 0, sink = 0;
	/* A spin on `go` rather than a barrier: a failed pthread_create can
	 * still release the threads already started. */
	/* Joined inside the repetition: its run-queue wait is reported here. */
	hvb_thread_begin();
	atomic_fetch_add_explicit(w->ready, 1, memory_order_acq_rel);
	while (!atomic_load_explicit(w->go, memory_order_acquire))
		;
	while (!atomic_load_explicit(w->stop, memory_order_relaxed)) {
		sink += w->k->event(w->st);
		ev++;
	}
	w->events = ev;
	w->sink = sink;
	hvb_thread_end();
	return NULL;
}

/* Sleep until t_end (CLOCK_MONOTONIC seconds) or an interrupt. */
static void sleep_until(double t_end)
{
	for (;;) {
		double left = t_end - hvb_now();
		if (left <= 0 || hvb_interrupted())
			return;
		if (left > 0.05)
			left = 0.05;
		struct timespec ts = { 0, (long)(left * 1e9) };
		nanosleep(&ts, NULL);
	}
}

/*
 * Run kernel k on nthr threads for `secs`; *rate = events/s over all threads.
 * Returns 0, or an errno-style code with *why set.
 */
static int run_threads(const struct kernel *k, int nthr, double secs,
		       struct tstate *states, double *rate, double *balance, uint64_t *sink,
		       const char **why)
{
	struct worker *w = calloc((size_t)nthr, sizeof *w);
	atomic_int ready = 0, go = 0, stop = 0;
	int started = 0;

	if (!w) {
		*why = "out of memory";
		return -1;
	}
	for (int i = 0; i < nthr; i++) {
		w[i] = (struct worker){ .k = k, .st = &states[i], .ready = &ready, .go = &go, .stop = &stop };
		if (pthread_create(&w[i].tid, NULL, worker_main, &w[i]) != 0)
			break;
		started++;
	}
	if (started < nthr)
		atomic_store(&stop, 1);
	/* go when every thread runs: a thread whose CPU is still waking up (ms
	 * on a nested VM) would start late and do less, and the repetition's
	 * time would count its start-up as work. */
	while (started == nthr && atomic_load_explicit(&ready, memory_order_acquire) < started)
		sched_yield();
	atomic_store_explicit(&go, 1, memory_order_release);
	double t0 = hvb_now();
	if (started == nthr)
		sleep_until(t0 + secs);
	atomic_store(&stop, 1);
	uint64_t ev = 0, lo = UINT64_MAX, hi = 0;
	for (int i = 0; i < started; i++) {
		pthread_join(w[i].tid, NULL);
		ev += w[i].events;
		*sink += w[i].sink;
		lo = w[i].events < lo ? w[i].events : lo;
		hi = w[i].events > hi ? w[i].events : hi;
	}
	*balance = hi ? (double)lo / (double)hi : -1;
	double t1 = hvb_now();
	free(w);
	if (started < nthr) {
		*why = "pthread_create failed";
		return -1;
	}
	*rate = (double)ev / (t1 - t0);
	return 0;
}

/* ---------------------------------------------------------------- run */

static int cpubench_run(hvb_ctx *ctx)
{
	int ncpu = hvb_ncpus();
	int nthr_all = opt_threads > 0 ? (int)opt_threads : ncpu;
	int nconf = nthr_all > 1 ? 2 : 1;
	int thr_conf[2] = { 1, nthr_all };
	double warm = opt_time / 2 < 0.5 ? opt_time / 2 : 0.5;
	uint64_t sink = 0;
	int measured = 0;

	if (strcmp(opt_kernel, "all") != 0) {
		int known = 0;
		for (size_t i = 0; i < sizeof kernels / sizeof kernels[0]; i++)
			known |= strcmp(opt_kernel, kernels[i].name) == 0;
		if (!known) {
			hvb_err("--kernel: '%s' is not one of all, primes, int, fp", opt_kernel);
			return 1;
		}
	}

	struct tstate *states = aligned_alloc(64, sizeof(struct tstate) * (size_t)nthr_all);
	if (!states) {
		hvb_err("cannot allocate %d thread states", nthr_all);
		return 1;
	}
	for (int i = 0; i < nthr_all; i++)
		tstate_init(&states[i], i);

	/* Self-check and a fact users can compare: sysbench counts the primes
	 * in [3, max_prime), e.g. 1228 for 10000. */
	hvb_info_num(ctx, "", "primes_per_event", "count", (double)k_primes(&states[0]));
	hvb_info_num(ctx, "", "threads_all", "count", nthr_all);
	hvb_info_num(ctx, "", "time_per_rep_s", "s", opt_time);

	for (size_t ki = 0; ki < sizeof kernels / sizeof kernels[0]; ki++) {
		const struct kernel *k = &kernels[ki];
		if (strcmp(opt_kernel, "all") != 0 && strcmp(opt_kernel, k->name) != 0)
			continue;
		for (int tc = 0; tc < nconf; tc++) {
			int nthr = thr_conf[tc];
			char params[128];
			if (strcmp(k->name, "primes") == 0)
				snprintf(params, sizeof params, "kernel=primes;max_prime=%lld;threads=%d",
					 opt_max_prime, nthr);
			else
				snprintf(params, sizeof params, "kernel=%s;threads=%d", k->name, nthr);
			hvb_progress("%s", params);
			hvb_rep it;
			hvb_reps_begin(ctx, &it, params);
			while (hvb_rep_next(ctx, &it)) {
				double rate = 0, balance = -1;
				const char *why = "";
				int rc = run_threads(k, nthr, it.warmup ? warm : opt_time, states,
						     &rate, &balance, &sink, &why);
				if (it.warmup)
					continue;
				if (rc == 0 && nthr > 1)
					hvb_rep_balance(ctx, balance);
				if (rc != 0 || !(rate > 0))
					hvb_fail(ctx, params, "events_per_s", "1/s", "higher", it.rep,
						 "%s", rc ? why : "no event completed");
				else {
					hvb_ok(ctx, params, "events_per_s", "1/s", "higher", it.rep, rate);
					measured++;
				}
			}
			if (hvb_interrupted())
				goto out;
		}
	}
out:
	/* The sink keeps the kernels' results live; record it so it is used. */
	hvb_info_num(ctx, "", "checksum", "count", (double)(sink & 0xffff));
	free(states);
	return measured ? 0 : 1;
}

static const hvb_opt cpubench_opts[] = {
	{ "time", HVB_OPT_DOUBLE, &opt_time, 0.05, 3600, 0.25, "S",
	  "seconds per repetition of each kernel and thread count" },
	{ "cpu-max-prime", HVB_OPT_INT, &opt_max_prime, 3, 100000000, 0, "N",
	  "primes kernel: upper limit, as sysbench --cpu-max-prime" },
	{ "threads", HVB_OPT_INT, &opt_threads, 0, 4096, 0, "N",
	  "threads of the all-CPU runs; 0 = online CPUs" },
	{ "kernel", HVB_OPT_ONEOF, &opt_kernel, 0, 0, 0, "all|primes|int|fp",
	  "the kernel to run" },
	{ 0 }
};

const hvb_bench cpubench_bench = {
	.name = "cpubench",
	.alias = "cpu",
	.summary = "CPU: sysbench's prime kernel, integer and FP kernels, 1 thread and all CPUs",
	.opts = cpubench_opts,
	.run = cpubench_run,
};
