/*
 * forkbench.c - process creation cost, as the seed specifies it.
 *
 * The sum of the integers start..end is computed by splitting the range in
 * two halves and forking one child per half, recursively, until a range holds
 * one number (start == end).  Each child sends its partial sum, and the
 * number of forks in its subtree, to its parent through a pipe.  The run's
 * time over the number of forks gives forks_per_s (and fork_us); the sum is
 * checked against the closed form, and a wrong sum is a fail row.
 *
 * Live processes are bounded (unbounded, `--end 65000` as root kept 130,000
 * processes alive and the machine's shells could no longer fork; root is not
 * held by RLIMIT_NPROC).  The bound is the smallest of --max-procs, a quarter
 * of kernel.pid_max, what RLIMIT_NPROC leaves this user and what the pids
 * cgroup leaves.  A range whose whole subtree (2k - 1 processes) fits in the
 * bound forks both halves at once, as the seed does; a larger range forks
 * its first half, collects it, then forks its second.  The live processes
 * are then one chain of such sequential ancestors (at most log2(65536) + 1)
 * plus one concurrent subtree, within the bound; the forks, the pipes and
 * the sum are the same.  Within the default bound the default range runs
 * fully concurrent, as before.
 *
 * If a limit still makes fork fail with EAGAIN, a process backs off and
 * retries within a bound (--retry-ms), and past it reports the failure up
 * the tree instead of a sum.  Every process waits for the children it
 * forked, so a failed run leaves no zombies and cannot hang.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hvb.h"

/* Default --max-procs: the default range (1..1024, 2047 processes) runs
 * fully concurrent with room to spare, and it is an eighth of the smallest
 * common pid_max (32768), so the rest of the machine keeps its processes. */
#define MAX_PROCS_DEFAULT 4096
/* Sequential ancestors (log2 of the largest range, 65536) and the harness. */
#define CHAIN_MARGIN 20

static long long opt_start = 1, opt_end = 1024, opt_retry_ms = 2000, opt_max_procs = MAX_PROCS_DEFAULT;
/* Largest range whose halves are forked at once (set by fork_run). */
static int64_t conc_range = INT64_MAX;

static const hvb_opt opts[] = {
	{ "start", HVB_OPT_INT, &opt_start, -1000000000, 1000000000, 0, "N", "first integer of the range" },
	{ "end", HVB_OPT_INT, &opt_end, -1000000000, 1000000000, 256, "N", "last integer of the range (end - start < 65536)" },
	{ "retry-ms", HVB_OPT_INT, &opt_retry_ms, 0, 60000, 0, "MS", "how long one fork may be retried on EAGAIN" },
	{ "max-procs", HVB_OPT_INT, &opt_max_procs, 64, 4194304, 0, "N", "most processes alive at once; lowered to 1/4 of pid_max and to what RLIMIT_NPROC and the pids cgroup leave" },
	{ 0 }
};

/* What a child sends to its parent: one write, well under PIPE_BUF. */
struct result {
	int64_t sum;
	int64_t forks;    /* forks in the subtree below and including the sender's */
	int32_t err;      /* 0, or the errno that stopped the subtree */
	int32_t depth;    /* where it happened */
	char what[48];
};

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* fork(), retried with exponential back-off while EAGAIN lasts, up to retry_ms. */
static pid_t fork_retry(long retry_ms)
{
	long waited = 0, step = 1;
	for (;;) {
		pid_t p = fork();
		if (p >= 0 || errno != EAGAIN || waited >= retry_ms)
			return p;
		sleep_ms(step);
		waited += step;
		step = step * 2 > 100 ? 100 : step * 2;
	}
}

static void compute(int64_t start, int64_t end, int depth, struct result *r);

/* Fork a child computing [s, e]; on success *fd is the read end. */
static pid_t spawn(int64_t s, int64_t e, int depth, int *fd, struct result *r)
{
	int p[2];
	if (pipe(p) < 0) {
		r->err = errno;
		r->depth = depth;
		snprintf(r->what, sizeof r->what, "pipe");
		return -1;
	}
	pid_t pid = fork_retry(opt_retry_ms);
	if (pid < 0) {
		r->err = errno;
		r->depth = depth;
		snprintf(r->what, sizeof r->what, "fork");
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		struct result cr;
		compute(s, e, depth + 1, &cr);
		cr.forks += 1; /* this child itself */
		ssize_t w = write(p[1], &cr, sizeof cr);
		_exit(w == (ssize_t)sizeof cr ? 0 : 1);
	}
	close(p[1]);
	*fd = p[0];
	return pid;
}

/* Read a child's result and reap it; a child that died without a result is an error. */
static void collect(pid_t pid, int fd, int depth, struct result *out)
{
	struct result cr;
	ssize_t n;
	do
		n = read(fd, &cr, sizeof cr);
	while (n < 0 && errno == EINTR);
	close(fd);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof cr) {
		if (!out->err) {
			out->err = EPIPE;
			out->depth = depth + 1;
			snprintf(out->what, sizeof out->what, "child died without a result");
		}
		return;
	}
	out->sum += cr.sum;
	out->forks += cr.forks;
	if (cr.err && !out->err) {
		out->err = cr.err;
		out->depth = cr.depth;
		memcpy(out->what, cr.what, sizeof out->what);
	}
}

static void compute(int64_t start, int64_t end, int depth, struct result *r)
{
	memset(r, 0, sizeof *r);
	if (start == end) {
		r->sum = start;
		return;
	}
	int64_t mid = start + (end - start) / 2;
	int fa = -1, fb = -1;
	pid_t a = spawn(start, mid, depth, &fa, r);
	if (end - start + 1 > conc_range) {
		/* Too large to run at once within the bound: one half after the other. */
		if (a > 0)
			collect(a, fa, depth, r);
		pid_t b = a > 0 && !r->err ? spawn(mid + 1, end, depth, &fb, r) : -1;
		if (b > 0)
			collect(b, fb, depth, r);
		return;
	}
	pid_t b = a > 0 ? spawn(mid + 1, end, depth, &fb, r) : -1;
	if (a > 0)
		collect(a, fa, depth, r);
	if (b > 0)
		collect(b, fb, depth, r);
}

/* A number from a one-line file; -1 when absent or not a number ("max"). */
static long long read_num(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	long long v = -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* Processes the pids cgroup of this process still allows; -1 when unlimited
 * or unknown.  cgroup v2 ("0::/path") or the v1 pids controller. */
static long long cgroup_pids_left(void)
{
	FILE *f = fopen("/proc/self/cgroup", "r");
	if (!f)
		return -1;
	char line[1024], dir[1200] = "";
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		char *p;
		if (strncmp(line, "0::", 3) == 0 && !dir[0])
			snprintf(dir, sizeof dir, "/sys/fs/cgroup%s", line + 3);
		else if ((p = strstr(line, ":pids:")) != NULL)
			snprintf(dir, sizeof dir, "/sys/fs/cgroup/pids%s", p + 6);
	}
	fclose(f);
	if (!dir[0])
		return -1;
	char path[1300];
	snprintf(path, sizeof path, "%s/pids.max", dir);
	long long max = read_num(path);
	snprintf(path, sizeof path, "%s/pids.current", dir);
	long long cur = read_num(path);
	return max < 0 || cur < 0 ? -1 : max - cur;
}

/* Processes of this user now (each /proc/PID is owned by its process's uid). */
static long long user_procs(void)
{
	DIR *d = opendir("/proc");
	if (!d)
		return -1;
	long long n = 0;
	struct dirent *e;
	struct stat st;
	uid_t uid = getuid();
	while ((e = readdir(d)))
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9' &&
		    fstatat(dirfd(d), e->d_name, &st, 0) == 0 && st.st_uid == uid)
			n++;
	closedir(d);
	return n;
}

/* The bound on live processes, and which limit set it (for the info row). */
static long long procs_bound(const char **why)
{
	long long b = opt_max_procs;
	*why = "--max-procs";
	long long pid_max = read_num("/proc/sys/kernel/pid_max");
	if (pid_max > 0 && pid_max / 4 < b) {
		b = pid_max / 4;
		*why = "kernel.pid_max / 4";
	}
	struct rlimit rl;
	if (getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		long long used = user_procs();
		long long left = (long long)rl.rlim_cur - (used > 0 ? used : 0);
		if (left < b) {
			b = left;
			*why = "RLIMIT_NPROC less this user's processes";
		}
	}
	long long cg = cgroup_pids_left();
	if (cg >= 0 && cg < b) {
		b = cg;
		*why = "the pids cgroup's pids.max less pids.current";
	}
	return b;
}

/* The range spans two options, so the table's per-option ranges cannot say it:
 * checked at parse time (a usage error, nothing written), as every option is. */
static int fork_check(void)
{
	if (opt_end < opt_start || opt_end - opt_start >= 65536) {
		hvb_err("--start %lld --end %lld: need start <= end and end - start < 65536",
			opt_start, opt_end);
		return 1;
	}
	return 0;
}

static int fork_run(hvb_ctx *ctx)
{
	const struct hvb_common *c = hvb_common(ctx);
	char params[96];
	snprintf(params, sizeof params, "end=%lld;start=%lld", opt_end, opt_start);
	/* hvb_parse ran fork_check already; this guards callers that set the
	 * options directly (the unit tests). */
	if (fork_check()) {
		hvb_fail(ctx, params, "forks_per_s", "1/s", "higher", 1,
			 "invalid range start=%lld end=%lld", opt_start, opt_end);
		return 1;
	}
	int64_t n = opt_end - opt_start + 1;
	const char *why;
	long long bound = procs_bound(&why);
	if (bound < CHAIN_MARGIN + 8) {
		hvb_fail(ctx, params, "forks_per_s", "1/s", "higher", 1,
			 "only %lld processes may be started (%s); forkbench needs at least %d",
			 bound, why, CHAIN_MARGIN + 8);
		hvb_fail(ctx, params, "fork_us", "us", "lower", 1, "see forks_per_s");
		return 0;
	}
	/* Ranges of up to conc_range numbers (2 * conc_range - 1 processes) run at once. */
	conc_range = (bound - CHAIN_MARGIN + 1) / 2;
	hvb_info_num(ctx, params, "live_procs_bound", "count", (double)bound);
	hvb_info_str(ctx, params, "live_procs_bound_by", "%s", why);
	if (n > conc_range)
		hvb_info_str(ctx, params, "fork_mode", "bounded: ranges over %lld numbers fork their "
			     "halves one after the other (at most %lld processes alive)",
			     (long long)conc_range, bound);
	int64_t expect = (opt_start + opt_end) * n / 2; /* exact: |values| <= 1e9, n <= 65536 */
	/* A child killed by SIGPIPE would hide the error we want to report. */
	signal(SIGPIPE, SIG_IGN);
	hvb_rep it;
	hvb_reps_begin(ctx, &it, params);
	hvb_reps_share_cpu(ctx); /* a tree of processes on the same CPUs */
	while (hvb_rep_next(ctx, &it)) {
		struct result r;
		hvb_progress("forkbench rep %d/%lld", it.warmup ? 0 : it.rep, c->reps);
		uint64_t t0 = hvb_now_ns();
		compute(opt_start, opt_end, 0, &r);
		double secs = (double)(hvb_now_ns() - t0) / 1e9;
		if (it.warmup && !r.err)
			continue; /* warm-up */
		int rr = it.rep;
		if (r.err) {
			hvb_fail(ctx, params, "forks_per_s", "1/s", "higher", rr,
				 "%s: %s at depth %d after %lld forks (retried %lld ms on EAGAIN)",
				 r.what, strerror(r.err), r.depth, (long long)r.forks, opt_retry_ms);
			hvb_fail(ctx, params, "fork_us", "us", "lower", rr, "see forks_per_s");
			/* a process limit will not go away between repetitions */
			hvb_reps_end(ctx, &it, "%s failed: a process limit does not go away", r.what);
			return 0;
		}
		if (r.sum != expect || r.forks != 2 * (n - 1)) {
			hvb_fail(ctx, params, "forks_per_s", "1/s", "higher", rr,
				 "wrong result: sum %lld (expected %lld), forks %lld (expected %lld)",
				 (long long)r.sum, (long long)expect, (long long)r.forks,
				 (long long)(2 * (n - 1)));
			continue;
		}
		hvb_info_num(ctx, params, "sum", "count", (double)r.sum);
		hvb_info_num(ctx, params, "forks", "count", (double)r.forks);
		if (r.forks == 0) {
			hvb_skip(ctx, params, "forks_per_s", "1/s", "higher",
				 "range of one number: nothing to fork");
			hvb_reps_end(ctx, &it, "a range of one number: nothing to fork (skip row)");
			return 0;
		}
		hvb_ok(ctx, params, "forks_per_s", "1/s", "higher", rr, (double)r.forks / secs);
		hvb_ok(ctx, params, "fork_us", "us", "lower", rr, secs * 1e6 / (double)r.forks);
	}
	return 0;
}

const hvb_bench forkbench_bench = {
	.name = "forkbench",
	.alias = "fork",
	.summary = "Process creation: recursive fork+pipe range sum, forks per second.",
	.opts = opts,
	.run = fork_run,
	.check = fork_check,
};
