/*
 * disturb.c - what the machine did to a repetition, measured from inside it:
 * the canary (a fixed piece of CPU work timed around each repetition), the
 * capacity probe (the canary on one thread against all CPUs at once), and the
 * counters the kernel keeps: run-queue wait of our threads (schedstat),
 * involuntary context switches, steal, CPU pressure, cgroup throttling.
 * The harness (harness.c) reads them around every repetition and writes the
 * dist_* rows (csv-format.md, "Disturbance rows"; docs/methodology.md,
 * "Canary and capacity probe").  Everything here is cheap by design: a few
 * small /proc reads and one canary per repetition boundary.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "disturb.h"
#include "hvb.h"
#include "../common/io.h"

/* ------------------------------------------------------------------ canary */

/*
 * The canary: two dependent chains, one integer (xorshift64), one floating
 * point (a multiply-add fed by the integer chain), in registers only, so it
 * touches no memory beyond the stack and takes the same work everywhere.
 * Its length is fixed in the source (CANARY_ITERS) and never calibrated: the
 * point is the same work in every environment, so a slower canary is a
 * slower machine.  About 0.2 ms on the development VM (AMD EPYC, KVM/Firecracker).
 * optimize("O2") keeps it the same instructions in a -O0 debug build.
 */
#define CANARY_ITERS 92000u
static __attribute__((noinline, optimize("O2"))) uint64_t canary_work(uint64_t x)
{
	double f = 1.0;
	for (unsigned i = 0; i < CANARY_ITERS; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		f = f * 0.9999999 + (double)(uint32_t)(x * 0x9e3779b1u) * 0x1p-32;
	}
	return x ^ (uint64_t)f;
}

static _Atomic uint64_t canary_sink;

double hvb_canary_ns(void)
{
	uint64_t t0 = hvb_now_ns();
	uint64_t r = canary_work(0x9e3779b97f4a7c15ull);
	uint64_t t1 = hvb_now_ns();
	atomic_fetch_xor_explicit(&canary_sink, r, memory_order_relaxed);
	return (double)(t1 - t0);
}

/* ------------------------------------------------------------------ probe */

#define PROBE_SAMPLES 1024
struct probe_thr {
	pthread_t tid;
	atomic_int *go;
	uint64_t t_go, t_end;  /* set before go */
	long count;
	int nsamp;
	double *samp;          /* thread 0 of the one-thread phase: each canary's ns */
};

static void *probe_main(void *arg)
{
	struct probe_thr *p = arg;
	while (!atomic_load_explicit(p->go, memory_order_acquire))
		;
	uint64_t x = 0x9e3779b97f4a7c15ull, t = hvb_now_ns();
	for (;;) {
		uint64_t t0 = t;
		x = canary_work(x);
		t = hvb_now_ns();
		if (t > p->t_end)
			break;
		p->count++;
		if (p->samp && p->nsamp < PROBE_SAMPLES)
			p->samp[p->nsamp++] = (double)(t - t0);
	}
	atomic_fetch_xor_explicit(&canary_sink, x, memory_order_relaxed);
	return NULL;
}

/* n threads repeat the canary for secs; completed canaries per second. */
static double probe_phase(int n, double secs, double *samp, int *nsamp)
{
	struct probe_thr *p = calloc((size_t)n, sizeof *p);
	atomic_int go = 0;
	int started = 0;
	if (!p)
		return -1;
	for (int i = 0; i < n; i++) {
		p[i].go = &go;
		p[i].samp = i == 0 ? samp : NULL;
		if (pthread_create(&p[i].tid, NULL, probe_main, &p[i]) != 0)
			break;
		started++;
	}
	/* The window starts when every thread exists, so thread creation on a
	 * crowded CPU is not counted as lost capacity. */
	uint64_t t_go = hvb_now_ns(), t_end = t_go + (uint64_t)(secs * 1e9);
	for (int i = 0; i < started; i++)
		p[i].t_go = t_go, p[i].t_end = started == n ? t_end : t_go;
	atomic_store_explicit(&go, 1, memory_order_release);
	long total = 0;
	for (int i = 0; i < started; i++) {
		pthread_join(p[i].tid, NULL);
		total += p[i].count;
	}
	if (nsamp)
		*nsamp = p[0].nsamp;
	free(p);
	if (started < n)
		return -1;
	return (double)total / secs;
}

int hvb_capacity_probe(int nthr, double phase_s, double *cap, double *ref_ns)
{
	double *samp = malloc(PROBE_SAMPLES * sizeof *samp);
	int nsamp = 0;
	if (!samp)
		return -1;
	double r1 = probe_phase(1, phase_s, samp, &nsamp);
	double rn = nthr > 1 ? probe_phase(nthr, phase_s, NULL, NULL) : r1;
	if (!(r1 > 0) || !(rn > 0) || nsamp == 0) {
		free(samp);
		return -1;
	}
	qsort(samp, (size_t)nsamp, sizeof *samp, hvb_cmp_double);
	*ref_ns = hvb_percentile(samp, (size_t)nsamp, 50);
	*cap = nthr > 1 ? rn / r1 : 1.0;
	free(samp);
	return 0;
}

/* ------------------------------------------------------------------ counters */

static int enabled = 1;
void hvb_disturb_enable(int on) { enabled = on; }
int hvb_disturb_enabled(void) { return enabled; }

/* Small /proc and /sys files into buf (NUL-ended); bytes read or -1. */
static ssize_t slurp(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t got = hvb_read_upto(fd, buf, n - 1);
	close(fd);
	buf[got > 0 ? got : 0] = 0;
	return got > 0 ? got : -1;
}

static int read_schedstat(const char *path, uint64_t *run, uint64_t *delay)
{
	char buf[128];
	unsigned long long r, d;
	if (slurp(path, buf, sizeof buf) < 0 || sscanf(buf, "%llu %llu", &r, &d) != 2)
		return -1;
	*run = r;
	*delay = d;
	return 0;
}

/*
 * Worker threads that are created and joined inside a repetition vanish from
 * /proc/self/task before its end is read; they report their own share here.
 * The tids of those that reported are kept, so that a thread still listed at
 * the end (an exited thread can linger a moment after pthread_join) is not
 * counted twice.  More than MAX_ENDED threads in one repetition: the rest may
 * be counted twice, never lost.
 */
#define MAX_ENDED 1024
static _Atomic uint64_t ended_run, ended_delay;
static pid_t ended_tid[MAX_ENDED];
static atomic_int n_ended;
static __thread uint64_t tb_run, tb_delay;
static __thread int tb_on;

void hvb_thread_begin(void)
{
	tb_on = enabled && read_schedstat("/proc/thread-self/schedstat", &tb_run, &tb_delay) == 0;
}

void hvb_thread_end(void)
{
	uint64_t run, delay;
	if (!tb_on || read_schedstat("/proc/thread-self/schedstat", &run, &delay) != 0)
		return;
	tb_on = 0;
	atomic_fetch_add(&ended_run, run - tb_run);
	atomic_fetch_add(&ended_delay, delay - tb_delay);
	int i = atomic_fetch_add(&n_ended, 1);
	if (i < MAX_ENDED)
		ended_tid[i] = gettid();
}

static int ended(pid_t tid)
{
	int n = atomic_load(&n_ended);
	for (int i = 0; i < n && i < MAX_ENDED; i++)
		if (ended_tid[i] == tid)
			return 1;
	return 0;
}

static void read_tasks(hvb_dsnap *s)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	s->ntask = 0;
	s->have_sched = 0;
	if (!d)
		return;
	while ((e = readdir(d))) {
		char *end, path[64];
		long tid = strtol(e->d_name, &end, 10);
		if (end == e->d_name || *end || tid <= 0)
			continue;
		snprintf(path, sizeof path, "/proc/self/task/%ld/schedstat", tid);
		uint64_t run, delay;
		if (read_schedstat(path, &run, &delay) != 0)
			continue; /* exited meanwhile, or no schedstat in this kernel */
		if (s->ntask == s->cap) {
			int cap = s->cap ? 2 * s->cap : 16;
			hvb_dtask *t = realloc(s->task, (size_t)cap * sizeof *t);
			if (!t)
				break;
			s->task = t;
			s->cap = cap;
		}
		s->task[s->ntask++] = (hvb_dtask){ (pid_t)tid, run, delay };
		s->have_sched = 1;
	}
	closedir(d);
}

static int read_stat(unsigned long long *steal, unsigned long long *total)
{
	char buf[512];
	unsigned long long v[8];
	if (slurp("/proc/stat", buf, sizeof buf) < 0 ||
	    sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &v[6], &v[7]) != 8)
		return -1;
	*total = 0;
	for (int i = 0; i < 8; i++)
		*total += v[i];
	*steal = v[7];
	return 0;
}

static int read_psi(unsigned long long *us)
{
	char buf[256];
	const char *p;
	if (slurp("/proc/pressure/cpu", buf, sizeof buf) < 0 || strncmp(buf, "some ", 5) != 0 ||
	    !(p = strstr(buf, "total=")))
		return -1;
	return sscanf(p + 6, "%llu", us) == 1 ? 0 : -1;
}

/*
 * The cpu.stat of this process's cgroup, found once: cgroup v1 names the cpu
 * controller's hierarchy in /proc/self/cgroup ("4:cpu,cpuacct:/docker/ab"),
 * mounted as /sys/fs/cgroup/cpu,cpuacct or /sys/fs/cgroup/cpu; v2 has one
 * line "0::/path" under /sys/fs/cgroup.  Inside a cgroup namespace the path
 * may not exist as seen from the process's mounts, so the hierarchy's root
 * is tried after it.  Only a cpu.stat with nr_throttled counts (a v2 cgroup
 * without the cpu controller has usage_usec alone).
 */
static char cg_stat[600];
static int cg_state; /* 0 not looked for, 1 found, -1 none */

static int has_throttled(const char *path)
{
	char buf[1024];
	return slurp(path, buf, sizeof buf) > 0 && strstr(buf, "nr_throttled ") != NULL;
}

static int cg_try(const char *dir, const char *sub)
{
	snprintf(cg_stat, sizeof cg_stat, "/sys/fs/cgroup/%s%s%s/cpu.stat", dir, *sub == '/' ? "" : "/",
		 sub);
	return has_throttled(cg_stat);
}

static void cg_find(void)
{
	char buf[4096];
	cg_state = -1;
	if (slurp("/proc/self/cgroup", buf, sizeof buf) < 0)
		return;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = 0;
		const char *ctrl = c1 + 1, *path = c2 + 1;
		if (!*ctrl) { /* v2 */
			if (cg_try("", path) || cg_try("", "") || cg_try("unified", path))
				goto found;
			continue;
		}
		int cpu = 0;
		for (const char *p = ctrl; *p;) {
			size_t len = strcspn(p, ",");
			cpu |= len == 3 && strncmp(p, "cpu", 3) == 0;
			p += len + (p[len] == ',');
		}
		if (cpu && (cg_try(ctrl, path) || cg_try("cpu", path) || cg_try("cpu,cpuacct", path) ||
			    cg_try(ctrl, "") || cg_try("cpu", "") || cg_try("cpu,cpuacct", "")))
			goto found;
	}
	return;
found:
	cg_state = 1;
}

static int read_throttled(unsigned long long *n)
{
	char buf[1024];
	const char *p;
	if (!cg_state)
		cg_find();
	if (cg_state < 0 || slurp(cg_stat, buf, sizeof buf) < 0 || !(p = strstr(buf, "nr_throttled ")))
		return -1;
	return sscanf(p + 13, "%llu", n) == 1 ? 0 : -1;
}

static void read_all(hvb_dsnap *s)
{
	struct rusage a, b;
	s->have_ru = getrusage(RUSAGE_SELF, &a) == 0 && getrusage(RUSAGE_CHILDREN, &b) == 0;
	s->nivcsw = s->have_ru ? a.ru_nivcsw + b.ru_nivcsw : 0;
	s->have_stat = read_stat(&s->steal, &s->total) == 0;
	s->have_psi = read_psi(&s->psi_us) == 0;
	s->have_thr = read_throttled(&s->throttled) == 0;
	read_tasks(s);
}

void hvb_dsnap_mark(hvb_dsnap *s)
{
	atomic_store(&n_ended, 0);
	atomic_store(&ended_run, 0);
	atomic_store(&ended_delay, 0);
	read_all(s);
	s->ended_run = s->ended_delay = 0;
	s->t_ns = hvb_now_ns();
}

void hvb_dsnap_take(hvb_dsnap *s)
{
	s->t_ns = hvb_now_ns();
	s->ended_run = atomic_load(&ended_run);
	s->ended_delay = atomic_load(&ended_delay);
	read_all(s);
}

void hvb_dsnap_free(hvb_dsnap *s)
{
	free(s->task);
	s->task = NULL;
	s->ntask = s->cap = 0;
}

void hvb_dsnap_diff(const hvb_dsnap *a, const hvb_dsnap *b, hvb_dist *d)
{
	memset(d, 0, sizeof *d);
	d->wall_s = (double)(b->t_ns - a->t_ns) / 1e9;
	if (a->have_sched && b->have_sched) {
		uint64_t run = b->ended_run, delay = b->ended_delay;
		for (int i = 0; i < b->ntask; i++) {
			const hvb_dtask *t = &b->task[i];
			if (ended(t->tid))
				continue;
			uint64_t r0 = 0, d0 = 0; /* a thread born in the repetition: all of it */
			for (int j = 0; j < a->ntask; j++)
				if (a->task[j].tid == t->tid) {
					r0 = a->task[j].run;
					d0 = a->task[j].delay;
					break;
				}
			if (t->run >= r0 && t->delay >= d0) {
				run += t->run - r0;
				delay += t->delay - d0;
			}
		}
		if (run + delay > 0) {
			d->have_runq = 1;
			d->runq_pct = 100.0 * (double)delay / (double)(run + delay);
		}
	}
	if (a->have_ru && b->have_ru) {
		d->have_nivcsw = 1;
		d->nivcsw = (double)(b->nivcsw - a->nivcsw);
	}
	if (a->have_stat && b->have_stat && b->total > a->total) {
		d->have_steal = 1;
		d->steal_pct = 100.0 * (double)(b->steal - a->steal) / (double)(b->total - a->total);
	}
	if (a->have_psi && b->have_psi && d->wall_s > 0) {
		d->have_psi = 1;
		d->psi_pct = (double)(b->psi_us - a->psi_us) / 1e4 / d->wall_s;
	}
	if (a->have_thr && b->have_thr) {
		d->have_thr = 1;
		d->throttled = (double)(b->throttled - a->throttled);
	}
}
