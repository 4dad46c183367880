/*
 * pipebench.c - IPC latency and throughput through pipes.
 *
 * Latency: a parent and a forked child ping-pong a small message over two
 * pipes; every round trip is timed, and each repetition reports the median
 * (rtt_us), the mean (rtt_mean_us) and the 99th percentile (rtt_p99_us) of its
 * round trips, plus
 * context switches per second (two per round trip).  This is what
 * `perf bench sched pipe` and lmbench `lat_pipe` measure.
 * Throughput: the parent streams large messages to the child (pipe_MB_per_s,
 * like lmbench `bw_pipe`).
 * Placement (params cpus=): `any` lets the scheduler place both processes
 * (as perf bench does by default), `same` pins both to CPU 0, `cross` pins
 * them to CPUs 0 and 1 (skipped on a single-CPU machine).  Virtualization
 * shows most in `cross`: the wake-up of an idle vCPU is an IPI the
 * hypervisor must deliver.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hvb.h"
#include "../common/io.h"

static long long opt_rounds = 20000, opt_size = 1, opt_bw_mb = 256, opt_bw_block = 65536;

static const hvb_opt opts[] = {
	{ "rounds", HVB_OPT_INT, &opt_rounds, 10, 100000000, 3000, "N", "round trips per repetition" },
	{ "size", HVB_OPT_INT, &opt_size, 1, 4096, 0, "BYTES", "ping-pong message size" },
	{ "bw-mb", HVB_OPT_INT, &opt_bw_mb, 1, 1000000, 32, "MB", "MB streamed per throughput repetition" },
	{ "bw-block", HVB_OPT_INT, &opt_bw_block, 512, 16777216, 0, "BYTES", "throughput message size" },
	{ 0 }
};

enum { PLACE_ANY, PLACE_SAME, PLACE_CROSS };
static const char *place_name[] = { "any", "same", "cross" };

/* The CPUs the process may use before a placed repetition pins it, put
 * back after it: under `hvbench run` the benchmarks after pipebench run in
 * the same process and would inherit a pinning to one CPU (every all-CPU
 * figure after it would be one CPU's). */
static cpu_set_t home;
static int have_home;

static void unplace(int mode)
{
	if (mode != PLACE_ANY && have_home)
		sched_setaffinity(0, sizeof home, &home);
}

static void place(int mode, int who)
{
	if (mode == PLACE_SAME)
		hvb_pin(0);
	else if (mode == PLACE_CROSS)
		hvb_pin(who);
}

static int reap(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* One latency repetition: rounds round trips; rtt[] gets each in ns. */
static int latency_once(int mode, long long rounds, double *rtt, char *err, size_t errn)
{
	int ab[2], ba[2];
	char *msg = calloc(1, (size_t)opt_size);
	if (!msg || pipe(ab) < 0 || pipe(ba) < 0) {
		snprintf(err, errn, "pipe: %s", strerror(errno));
		free(msg);
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errn, "fork: %s", strerror(errno));
		free(msg);
		return -1;
	}
	if (pid == 0) {
		close(ab[1]);
		close(ba[0]);
		place(mode, 1);
		for (long long i = 0; i < rounds; i++)
			if (hvb_read_full(ab[0], msg, (size_t)opt_size) || hvb_write_full(ba[1], msg, (size_t)opt_size))
				_exit(1);
		_exit(0);
	}
	close(ab[0]);
	close(ba[1]);
	place(mode, 0);
	int rc = 0;
	for (long long i = 0; i < rounds; i++) {
		uint64_t t0 = hvb_now_ns();
		if (hvb_write_full(ab[1], msg, (size_t)opt_size) || hvb_read_full(ba[0], msg, (size_t)opt_size)) {
			snprintf(err, errn, "ping-pong broke at round %lld: %s", i, strerror(errno));
			rc = -1;
			break;
		}
		rtt[i] = (double)(hvb_now_ns() - t0);
	}
	close(ab[1]);
	close(ba[0]);
	if (reap(pid) < 0 && rc == 0) {
		snprintf(err, errn, "child failed");
		rc = -1;
	}
	free(msg);
	unplace(mode);
	return rc;
}

/* One throughput repetition: MB/s of bw_mb megabytes streamed parent -> child. */
static int bandwidth_once(int mode, double *mbps, char *err, size_t errn)
{
	int p[2], ack[2];
	char *buf = malloc((size_t)opt_bw_block);
	if (!buf || pipe(p) < 0 || pipe(ack) < 0) {
		snprintf(err, errn, "pipe: %s", strerror(errno));
		free(buf);
		return -1;
	}
	memset(buf, 0x5a, (size_t)opt_bw_block);
	long long total = opt_bw_mb * 1000000LL;
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errn, "fork: %s", strerror(errno));
		free(buf);
		return -1;
	}
	if (pid == 0) {
		close(p[1]);
		close(ack[0]);
		place(mode, 1);
		long long got = 0;
		while (got < total) {
			ssize_t r = read(p[0], buf, (size_t)opt_bw_block);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				_exit(1);
			got += r;
		}
		_exit(hvb_write_full(ack[1], "k", 1) ? 1 : 0);
	}
	close(p[0]);
	close(ack[1]);
	place(mode, 0);
	uint64_t t0 = hvb_now_ns();
	int rc = 0;
	for (long long sent = 0; sent < total;) {
		long long n = total - sent < opt_bw_block ? total - sent : opt_bw_block;
		if (hvb_write_full(p[1], buf, (size_t)n)) {
			snprintf(err, errn, "write: %s", strerror(errno));
			rc = -1;
			break;
		}
		sent += n;
	}
	char k;
	if (rc == 0 && hvb_read_full(ack[0], &k, 1)) {
		snprintf(err, errn, "reader did not confirm");
		rc = -1;
	}
	double secs = (double)(hvb_now_ns() - t0) / 1e9;
	close(p[1]);
	close(ack[0]);
	if (reap(pid) < 0 && rc == 0) {
		snprintf(err, errn, "reader failed");
		rc = -1;
	}
	unplace(mode);
	free(buf);
	*mbps = (double)total / 1e6 / secs;
	return rc;
}

static int pipe_run(hvb_ctx *ctx)
{
	const struct hvb_common *c = hvb_common(ctx);
	double *rtt = malloc(sizeof(double) * (size_t)opt_rounds);
	char err[256], params[128];
	if (!rtt) {
		hvb_err("pipebench: out of memory for %lld samples", opt_rounds);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	have_home = sched_getaffinity(0, sizeof home, &home) == 0;
	for (int mode = PLACE_ANY; mode <= PLACE_CROSS && !hvb_interrupted(); mode++) {
		snprintf(params, sizeof params, "cpus=%s;size=%lld", place_name[mode], opt_size);
		if (mode == PLACE_CROSS && hvb_ncpus() < 2) {
			hvb_skip(ctx, params, "rtt_us", "us", "lower", "one CPU online: no cross-CPU placement");
			continue;
		}
		hvb_rep it;
		hvb_reps_begin(ctx, &it, params);
		if (mode == PLACE_SAME)
			hvb_reps_share_cpu(ctx); /* the woken peer waits while the waker runs on */
		while (hvb_rep_next(ctx, &it)) {
			hvb_progress("pipebench latency cpus=%s rep %d/%lld", place_name[mode],
				     it.warmup ? 0 : it.rep, c->reps);
			int rr = it.rep;
			uint64_t t0 = hvb_now_ns();
			if (latency_once(mode, opt_rounds, rtt, err, sizeof err) < 0) {
				hvb_fail(ctx, params, "rtt_us", "us", "lower", rr, "%s", err);
				continue;
			}
			double secs = (double)(hvb_now_ns() - t0) / 1e9;
			if (it.warmup)
				continue;
			double sum = 0;
			for (long long i = 0; i < opt_rounds; i++)
				sum += rtt[i];
			qsort(rtt, (size_t)opt_rounds, sizeof *rtt, hvb_cmp_double);
			/* The mean is what perf bench sched pipe reports (usecs/op). */
			hvb_ok(ctx, params, "rtt_mean_us", "us", "lower", rr, sum / (double)opt_rounds / 1e3);
			hvb_ok(ctx, params, "rtt_us", "us", "lower", rr,
			       hvb_percentile(rtt, (size_t)opt_rounds, 50) / 1e3);
			hvb_ok(ctx, params, "rtt_p99_us", "us", "lower", rr,
			       hvb_percentile(rtt, (size_t)opt_rounds, 99) / 1e3);
			hvb_ok(ctx, params, "ctxsw_per_s", "1/s", "higher", rr,
			       2.0 * (double)opt_rounds / secs);
		}
	}
	free(rtt);
	for (int mode = PLACE_ANY; mode <= PLACE_CROSS && !hvb_interrupted(); mode++) {
		snprintf(params, sizeof params, "block=%lld;cpus=%s", opt_bw_block, place_name[mode]);
		if (mode == PLACE_CROSS && hvb_ncpus() < 2) {
			hvb_skip(ctx, params, "pipe_MB_per_s", "MB/s", "higher",
				 "one CPU online: no cross-CPU placement");
			continue;
		}
		hvb_rep it;
		hvb_reps_begin(ctx, &it, params);
		if (mode == PLACE_SAME)
			hvb_reps_share_cpu(ctx); /* the woken peer waits while the waker runs on */
		while (hvb_rep_next(ctx, &it)) {
			hvb_progress("pipebench throughput cpus=%s rep %d/%lld", place_name[mode],
				     it.warmup ? 0 : it.rep, c->reps);
			double mbps;
			int rr = it.rep;
			if (bandwidth_once(mode, &mbps, err, sizeof err) < 0) {
				hvb_fail(ctx, params, "pipe_MB_per_s", "MB/s", "higher", rr, "%s", err);
				continue;
			}
			if (!it.warmup)
				hvb_ok(ctx, params, "pipe_MB_per_s", "MB/s", "higher", rr, mbps);
		}
	}
	return 0;
}

const hvb_bench pipebench_bench = {
	.name = "pipebench",
	.alias = "pipe",
	.summary = "IPC: pipe ping-pong round-trip latency, switches/s, pipe throughput.",
	.opts = opts,
	.run = pipe_run,
};
