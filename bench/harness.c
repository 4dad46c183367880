/*
 * harness.c - what every benchmark shares: option parsing from one
 * declarative table, the hvb1 CSV writer (one escaping function, one row per
 * write(2)), timing, environment facts as `info` rows, signal handling and
 * temporary-file cleanup.  See hvb.h for the contracts.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "detect.h"
#include "disturb.h"
#include "hvb.h"
#include "../common/catch.h"
#include "../common/io.h"

#ifndef HVB_BUILD
#define HVB_BUILD "unknown"
#endif


/* The program name used as the prefix of every message. */
static const char *progname = "hvbench";

/* One series of a repetition loop: the rows of one params (hvb.h). */
#define MAX_SUB 16
struct sub {
	char params[256];
	char metric[64];      /* the first metric of its ok rows: the one --target-ci judges */
	double *vals;         /* that metric's value in each repetition that had one */
	size_t nvals, cap;
	int touched;          /* got a row in this repetition */
	int have_val;
	double val;
};

/* The open repetition loop (at most one per benchmark). */
struct loop {
	int open, in_rep;
	int named;            /* sub[0] is the params given to hvb_reps_begin */
	hvb_rep *it;
	long long warm_left;
	int measured;         /* repetitions run, warm-ups not counted */
	double t_start;       /* when hvb_reps_begin was called, s */
	struct sub sub[MAX_SUB];
	int nsub;
	hvb_dsnap a, b;
	int shared;           /* hvb_reps_share_cpu: its tasks share a CPU by design */
	int have_balance;     /* hvb_rep_balance was called in this repetition */
	double balance;
	int have_canary;      /* the last repetition's closing canary can open the next */
	double canary_prev, canary_before;
};

struct hvb_ctx {
	const hvb_bench *bench;
	struct hvb_common common;
	int fd;               /* output, opened by the session */
	char run[160];
	char host[128];
	const char *virt, *container;
	struct loop loop;
	double dist_cost_s;   /* time in the canary, the probe and the counters */
};

static int fail_rows;
static volatile sig_atomic_t got_signal;
static pid_t main_pid;
#define MAX_TMP 16
static char tmp_paths[MAX_TMP][512];

/* ------------------------------------------------------------------ messages */

void hvb_err(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = snprintf(buf, sizeof buf, "%s: ", progname);
	vsnprintf(buf + n, sizeof buf - n, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s\n", buf);
}

void hvb_progress(const char *fmt, ...)
{
	if (!isatty(2))
		return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "\r\033[K%s: ", progname);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
}

static void progress_done(void)
{
	if (isatty(2))
		fprintf(stderr, "\r\033[K");
}

/* ------------------------------------------------------------------ signals */

static void on_signal(int sig)
{
	got_signal = sig;
	if (getpid() != main_pid)
		_exit(1); /* a forked worker: its parent reports */
	for (int i = 0; i < MAX_TMP; i++)
		if (tmp_paths[i][0])
			unlink(tmp_paths[i]);
	/* Rows are written whole by one write(2) each, so what is on disk is valid. */
	static const char msg[] = "hvbench: interrupted; rows written so far are kept\n";
	ssize_t r = write(2, msg, sizeof msg - 1);
	(void)r;
	_exit(HVB_EXIT_SIGNAL);
}

static void install_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM };
	hvb_catch(on_signal, sigs, sizeof sigs / sizeof sigs[0]);
	main_pid = getpid();
}

int hvb_interrupted(void) { return got_signal != 0; }

void hvb_tmp_add(const char *path)
{
	for (int i = 0; i < MAX_TMP; i++)
		if (!tmp_paths[i][0]) {
			snprintf(tmp_paths[i], sizeof tmp_paths[i], "%s", path);
			return;
		}
}

void hvb_tmp_remove(const char *path)
{
	unlink(path);
	for (int i = 0; i < MAX_TMP; i++)
		if (strcmp(tmp_paths[i], path) == 0)
			tmp_paths[i][0] = 0;
}

static void tmp_cleanup(void)
{
	for (int i = 0; i < MAX_TMP; i++)
		if (tmp_paths[i][0]) {
			unlink(tmp_paths[i]);
			tmp_paths[i][0] = 0;
		}
}

/* ------------------------------------------------------------------ timing */

uint64_t hvb_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

double hvb_now(void) { return hvb_now_ns() / 1e9; }

double hvb_timer_resolution_ns(void)
{
	uint64_t best = UINT64_MAX;
	for (int i = 0; i < 1000; i++) {
		uint64_t a = hvb_now_ns(), b;
		do
			b = hvb_now_ns();
		while (b == a);
		if (b - a < best)
			best = b - a;
	}
	return (double)best;
}

double hvb_timer_cost_ns(void)
{
	const int n = 200000;
	uint64_t t0 = hvb_now_ns();
	for (int i = 0; i < n; i++)
		(void)hvb_now_ns();
	return (double)(hvb_now_ns() - t0) / n;
}

int hvb_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double hvb_percentile(const double *s, size_t n, double pct)
{
	if (n == 0)
		return NAN;
	if (n == 1)
		return s[0];
	double pos = pct / 100.0 * (double)(n - 1);
	size_t i = (size_t)pos;
	if (i >= n - 1)
		return s[n - 1];
	double f = pos - (double)i;
	return s[i] + f * (s[i + 1] - s[i]);
}

int hvb_ncpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

int hvb_pin(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof set, &set);
}

/* ------------------------------------------------------------------ CSV */

static void write_all(int fd, const char *p, size_t n)
{
	if (hvb_write_full(fd, p, n) < 0) {
		hvb_err("cannot write results: %s", strerror(errno));
		exit(HVB_EXIT_OUTPUT);
	}
}

static void utc_now(char *out, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void emit(hvb_ctx *c, const char *params, const char *metric, const char *unit,
		 const char *better, int rep, int has_value, double value,
		 const char *status, const char *note)
{
	char buf[8192], tbuf[32];
	utc_now(tbuf, sizeof tbuf);
	/* csv-format.md: nan/inf are never written; an unmeasurable value is empty. */
	if (has_value && !isfinite(value)) {
		has_value = 0;
		if (strcmp(status, "ok") == 0) {
			status = "fail";
			note = "value is not finite";
			fail_rows++;
		}
	}
	hvb1_row r = { .run = c->run, .time = tbuf, .env = c->common.env, .virt = c->virt,
		       .container = c->container, .host = c->host, .bench = c->bench->name,
		       .params = params, .metric = metric, .unit = unit, .better = better,
		       .rep = rep, .has_value = has_value, .value = value, .status = status,
		       .note = note };
	size_t len = hvb1_format(buf, sizeof buf, &r);
	if (len)
		write_all(c->fd, buf, len);
	else
		hvb_err("a result row of %s/%s does not fit in %zu bytes: not written", c->bench->name, metric,
			sizeof buf);
}

/* The series of params in the open loop, registered on first sight; NULL
 * when there are MAX_SUB already. */
static struct sub *loop_sub(struct loop *l, const char *params)
{
	for (int i = 0; i < l->nsub; i++)
		if (strcmp(l->sub[i].params, params) == 0)
			return &l->sub[i];
	if (l->nsub == MAX_SUB)
		return NULL;
	struct sub *s = &l->sub[l->nsub++];
	memset(s, 0, sizeof *s);
	snprintf(s->params, sizeof s->params, "%s", params);
	return s;
}

/* An ok or fail row passing through the open loop: it marks its series as
 * measured in this repetition and hands --target-ci its value.  Returns 1
 * when the row is not to be written (an ok row of a warm-up). */
static int loop_row(hvb_ctx *c, const char *params, const char *metric, int rep, int ok,
		    double value)
{
	struct loop *l = &c->loop;
	if (!l->open || !l->in_rep)
		return 0;
	if (l->it->warmup)
		return ok;
	if (rep != l->it->rep)
		return 0;
	struct sub *s = loop_sub(l, params);
	if (!s)
		return 0;
	s->touched = 1;
	if (!s->metric[0] && ok)
		snprintf(s->metric, sizeof s->metric, "%s", metric);
	if (ok && strcmp(s->metric, metric) == 0 && isfinite(value)) {
		s->have_val = 1;
		s->val = value;
	}
	return 0;
}

void hvb_ok(hvb_ctx *c, const char *params, const char *metric, const char *unit,
	    const char *better, int rep, double value)
{
	if (loop_row(c, params, metric, rep, 1, value))
		return;
	emit(c, params, metric, unit, better, rep, 1, value, "ok", "");
}

void hvb_fail(hvb_ctx *c, const char *params, const char *metric, const char *unit,
	      const char *better, int rep, const char *fmt, ...)
{
	char note[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(note, sizeof note, fmt, ap);
	va_end(ap);
	fail_rows++;
	loop_row(c, params, metric, rep, 0, 0);
	emit(c, params, metric, unit, better, rep, 0, 0, "fail", note);
}

void hvb_skip(hvb_ctx *c, const char *params, const char *metric, const char *unit,
	      const char *better, const char *fmt, ...)
{
	char note[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(note, sizeof note, fmt, ap);
	va_end(ap);
	emit(c, params, metric, unit, better, 0, 0, 0, "skip", note);
}

void hvb_info_num(hvb_ctx *c, const char *params, const char *metric, const char *unit,
		  double value)
{
	emit(c, params, metric, unit, "", 0, 1, value, "info", "");
}

void hvb_info_str(hvb_ctx *c, const char *params, const char *metric, const char *fmt, ...)
{
	char note[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(note, sizeof note, fmt, ap);
	va_end(ap);
	emit(c, params, metric, "", "", 0, 0, 0, "info", note);
}

int hvb_fail_count(void) { return fail_rows; }

/* ------------------------------------------------------------------ repetitions */

static double median_of_sorted(const double *s, size_t n)
{
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

int hvb_median_ci(const double *v, size_t n, double *median, double *lo, double *hi)
{
	if (n < 6)
		return -1;
	double *s = malloc(n * sizeof *s);
	if (!s)
		return -1;
	memcpy(s, v, n * sizeof *s);
	qsort(s, n, sizeof *s, hvb_cmp_double);
	/* j: the largest rank with P(B <= j - 1) <= 0.025, B ~ Binomial(n, 1/2);
	 * the pmf in logs, as 2^-n underflows long before n = 100000. */
	double cdf = 0, lnorm = lgamma((double)n + 1) - (double)n * log(2.0);
	size_t j = 0;
	for (size_t k = 0; k < n; k++) {
		cdf += exp(lnorm - lgamma((double)k + 1) - lgamma((double)(n - k) + 1));
		if (cdf > 0.025 + 1e-12)
			break;
		j = k + 1;
	}
	if (j == 0) {
		free(s);
		return -1;
	}
	*median = median_of_sorted(s, n);
	*lo = s[j - 1];
	*hi = s[n - j];
	free(s);
	return 0;
}

/* The half-width of a series' median CI in % of the median: the farther of
 * its two ends, so "within +-PCT" holds on both sides.  -1: no CI. */
static double sub_halfwidth(const struct sub *s)
{
	double m, lo, hi;
	if (hvb_median_ci(s->vals, s->nvals, &m, &lo, &hi) != 0 || m == 0)
		return -1;
	double w = m - lo > hi - m ? m - lo : hi - m;
	return 100.0 * w / fabs(m);
}

static void info_rep(hvb_ctx *c, const char *params, const char *metric, const char *unit,
		     int rep, double value)
{
	emit(c, params, metric, unit, "", rep, 1, value, "info", "");
}

/* The repetition's dist_* rows, one set per series it wrote rows for. */
static void dist_rows(hvb_ctx *c, const hvb_dist *d, double canary_ns, int rep)
{
	struct loop *l = &c->loop;
	for (int i = 0; i < l->nsub; i++) {
		const char *p = l->sub[i].params;
		if (!l->sub[i].touched)
			continue;
		info_rep(c, p, "dist_wall_s", "s", rep, d->wall_s);
		info_rep(c, p, "dist_canary_ns", "ns", rep, canary_ns);
		if (d->have_runq)
			info_rep(c, p, "dist_runq_pct", "%", rep, d->runq_pct);
		if (d->have_runq && l->shared)
			info_rep(c, p, "dist_runq_shared", "count", rep, 1);
		if (l->have_balance)
			info_rep(c, p, "dist_thread_balance", "count", rep, l->balance);
		if (d->have_nivcsw)
			info_rep(c, p, "dist_nivcsw", "count", rep, d->nivcsw);
		if (d->have_steal)
			info_rep(c, p, "dist_steal_pct", "%", rep, d->steal_pct);
		if (d->have_psi)
			info_rep(c, p, "dist_psi_cpu_pct", "%", rep, d->psi_pct);
		if (d->have_thr)
			info_rep(c, p, "dist_throttled", "count", rep, d->throttled);
	}
}

static int disturb_on(const hvb_ctx *c) { return !c->common.no_disturbance; }

static void rep_open(hvb_ctx *c)
{
	struct loop *l = &c->loop;
	for (int i = 0; i < l->nsub; i++)
		l->sub[i].touched = l->sub[i].have_val = 0;
	l->have_balance = 0;
	if (disturb_on(c)) {
		double t0 = hvb_now();
		if (!l->have_canary)
			l->canary_prev = hvb_canary_ns();
		l->canary_before = l->canary_prev;
		hvb_dsnap_mark(&l->a);
		c->dist_cost_s += hvb_now() - t0;
	}
	l->in_rep = 1;
}

/* The end of a repetition: its counters, the canary after it, its rows. */
static void rep_close(hvb_ctx *c)
{
	struct loop *l = &c->loop;
	int warm = l->it->warmup, rep = l->it->rep;
	l->in_rep = 0;
	if (disturb_on(c)) {
		hvb_dsnap_take(&l->b);
		double t0 = hvb_now();
		l->canary_prev = hvb_canary_ns();
		l->have_canary = 1;
		/* The take's own reads, up to b.t_ns, belong to the repetition's wall
		 * time but are the counters' cost all the same. */
		c->dist_cost_s += hvb_now() - t0 + (t0 - (double)l->b.t_ns / 1e9);
	}
	if (warm)
		return;
	l->measured++;
	if (l->named)
		l->sub[0].touched = 1; /* the params named by hvb_reps_begin */
	if (disturb_on(c)) {
		hvb_dist d;
		hvb_dsnap_diff(&l->a, &l->b, &d);
		double cn = l->canary_prev > l->canary_before ? l->canary_prev : l->canary_before;
		dist_rows(c, &d, cn, rep);
	}
	for (int i = 0; i < l->nsub; i++) {
		struct sub *s = &l->sub[i];
		if (!s->have_val)
			continue;
		if (s->nvals == s->cap) {
			size_t cap = s->cap ? 2 * s->cap : 16;
			double *v = realloc(s->vals, cap * sizeof *v);
			if (!v)
				continue;
			s->vals = v;
			s->cap = cap;
		}
		s->vals[s->nvals++] = s->val;
	}
}

/* The series' closing rows; the loop is closed after. kw: csv-format.md's keyword. */
static void loop_close(hvb_ctx *c, const char *kw, const char *words)
{
	struct loop *l = &c->loop;
	if (!l->open)
		return;
	if (l->in_rep)
		rep_close(c);
	for (int i = 0; i < l->nsub; i++) {
		struct sub *s = &l->sub[i];
		double hw = sub_halfwidth(s);
		char note[512];
		snprintf(note, sizeof note, "%s: %s", kw, words);
		emit(c, s->params, "stop_reason", "count", "", 0, 1, l->measured, "info", note);
		if (hw >= 0)
			info_rep(c, s->params, "ci_halfwidth_pct", "%", 0, hw);
		free(s->vals);
		s->vals = NULL;
	}
	l->nsub = 0;
	l->open = 0;
	l->it = NULL;
	hvb_dsnap_free(&l->a);
	hvb_dsnap_free(&l->b);
}

/* After a measured repetition: 1 with *kw and words[] set when the loop is
 * to stop, in this order of reasons: a signal, the target precision, the
 * fixed count, the repetition budget, the time budget. */
static int should_stop(hvb_ctx *c, const char **kw, char *words, size_t wn)
{
	const struct hvb_common *o = &c->common;
	struct loop *l = &c->loop;
	int n = l->measured;
	if (hvb_interrupted()) {
		*kw = "interrupted";
		snprintf(words, wn, "a signal arrived after %d repetitions", n);
		return 1;
	}
	/* The worst series decides: every series of the loop must be precise. */
	double worst = -1;
	int all_ci = l->nsub > 0;
	for (int i = 0; i < l->nsub; i++) {
		double hw = sub_halfwidth(&l->sub[i]);
		if (l->sub[i].nvals == 0)
			continue; /* a series of fail rows only: nothing to be precise about */
		if (hw < 0)
			all_ci = 0;
		else if (hw > worst)
			worst = hw;
	}
	char ci[128];
	if (all_ci && worst >= 0)
		snprintf(ci, sizeof ci, "the median's 95 %% CI is within +-%.3g %%", worst);
	else
		snprintf(ci, sizeof ci, "no CI of the median yet (it needs 6 ok values)");
	if (o->target_ci > 0) {
		long long maxr = o->max_reps ? o->max_reps : 30;
		long long minr = o->reps > 6 ? o->reps : 6;
		if (minr > maxr)
			minr = maxr;
		if (n >= minr && all_ci && worst >= 0 && worst <= o->target_ci) {
			*kw = "target";
			snprintf(words, wn, "%s (target +-%g %%) after %d repetitions", ci, o->target_ci, n);
			return 1;
		}
		if (n >= maxr) {
			*kw = "max-reps";
			snprintf(words, wn, "the budget of %lld repetitions ran out before the target +-%g %%: %s",
				 maxr, o->target_ci, ci);
			return 1;
		}
	} else {
		if (o->max_reps && o->max_reps < o->reps && n >= o->max_reps) {
			*kw = "max-reps";
			snprintf(words, wn, "the budget of %lld repetitions cut --reps %lld", o->max_reps,
				 o->reps);
			return 1;
		}
		if (n >= o->reps) {
			*kw = "reps";
			snprintf(words, wn, "the fixed --reps %lld", o->reps);
			return 1;
		}
	}
	double spent = hvb_now() - l->t_start;
	if (o->max_time > 0 && spent >= o->max_time) {
		*kw = "max-time";
		snprintf(words, wn, "the budget of %g s ran out after %d repetitions (%.3g s)%s%s",
			 o->max_time, n, spent, o->target_ci > 0 ? ": " : "", o->target_ci > 0 ? ci : "");
		return 1;
	}
	return 0;
}

/* A loop left open: closed as interrupted or as ended by the benchmark. */
static void loop_abandon(hvb_ctx *c)
{
	if (!c->loop.open)
		return;
	if (hvb_interrupted())
		loop_close(c, "interrupted", "a signal arrived");
	else
		loop_close(c, "ended", "the benchmark ended the series before the harness did");
}

void hvb_reps_begin(hvb_ctx *c, hvb_rep *it, const char *params)
{
	struct loop *l = &c->loop;
	loop_abandon(c);
	l->open = 1;
	l->in_rep = 0;
	l->it = it;
	l->warm_left = c->common.warmup;
	l->measured = 0;
	l->nsub = 0;
	l->have_canary = 0;
	l->shared = 0;
	l->t_start = hvb_now();
	l->named = params != NULL;
	if (params)
		loop_sub(l, params);
	it->rep = 1;
	it->warmup = l->warm_left > 0;
}

void hvb_reps_share_cpu(hvb_ctx *c)
{
	c->loop.shared = c->loop.open;
}

void hvb_rep_balance(hvb_ctx *c, double balance)
{
	struct loop *l = &c->loop;
	if (l->open && l->in_rep && balance >= 0 && balance <= 1) {
		l->balance = balance;
		l->have_balance = 1;
	}
}

int hvb_rep_next(hvb_ctx *c, hvb_rep *it)
{
	struct loop *l = &c->loop;
	if (!l->open || l->it != it)
		return 0;
	if (l->in_rep) {
		int was_warm = it->warmup;
		rep_close(c);
		const char *kw;
		char words[400];
		if (!was_warm && should_stop(c, &kw, words, sizeof words)) {
			loop_close(c, kw, words);
			return 0;
		}
	}
	if (hvb_interrupted()) {
		loop_close(c, "interrupted", "a signal arrived");
		return 0;
	}
	if (l->warm_left > 0) {
		l->warm_left--;
		it->warmup = 1;
		it->rep = 1;
	} else {
		it->warmup = 0;
		it->rep = l->measured + 1;
	}
	rep_open(c);
	return 1;
}

void hvb_reps_end(hvb_ctx *c, hvb_rep *it, const char *fmt, ...)
{
	char words[400];
	va_list ap;
	if (!c->loop.open || c->loop.it != it)
		return;
	va_start(ap, fmt);
	vsnprintf(words, sizeof words, fmt, ap);
	va_end(ap);
	loop_close(c, "ended", words);
}


const struct hvb_common *hvb_common(const hvb_ctx *c) { return &c->common; }

/* ------------------------------------------------------------------ options */

static long long opt_reps = 5, opt_warmup = 1, opt_max_reps;
static double opt_target_ci, opt_max_time;
static int opt_quick, opt_no_dist;
static const char *opt_env, *opt_out, *opt_machine;

static const hvb_opt common_opts[] = {
	{ "reps", HVB_OPT_INT, &opt_reps, 1, 100000, 3, "N", "measured repetitions (default 5, 3 with --quick)" },
	{ "warmup", HVB_OPT_INT, &opt_warmup, 0, 1000, 0, "N", "unrecorded warm-up repetitions (default 1)" },
	{ "env", HVB_OPT_STR, &opt_env, 0, 0, 0, "LABEL", "environment label (default: $HVB_ENV, else the detected virt)" },
	{ "out", HVB_OPT_STR, &opt_out, 0, 0, 0, "FILE", "append results to FILE (default: stdout)" },
	{ "quick", HVB_OPT_FLAG, &opt_quick, 0, 0, 0, NULL, "short run: fewer repetitions, smaller sizes" },
	{ "machine", HVB_OPT_STR, &opt_machine, 0, 0, 0, "NAME",
	  "the physical machine this environment runs on (default: $HVB_MACHINE); "
	  "written as an info row, bench hvbench, metric machine" },
	{ "target-ci", HVB_OPT_DOUBLE, &opt_target_ci, 0, 100, 0, "PCT",
	  "repeat each series until the 95% CI of its median is within +-PCT% of it "
	  "(at least max(--reps, 6) repetitions; 0: the fixed --reps)" },
	{ "max-reps", HVB_OPT_INT, &opt_max_reps, 0, 100000, 0, "N",
	  "most repetitions of a series (0: 30 with --target-ci, else --reps)" },
	{ "max-time", HVB_OPT_DOUBLE, &opt_max_time, 0, 1e6, 0, "S",
	  "most seconds of a series, warm-ups included; at least one repetition runs (0: no limit)" },
	{ "no-disturbance", HVB_OPT_FLAG, &opt_no_dist, 0, 0, 0, NULL,
	  "no canary, capacity probe or counters, so no dist_* and capacity rows "
	  "(to measure what they cost)" },
	{ 0 }
};

/* Compiled-in defaults of the benchmarks' option tables, restored between
 * parses (unit tests parse many times; `hvbench run` parses once per bench). */
#define MAX_SAVED 256
static struct { void *dest; union { long long i; double d; const char *s; int f; } v; } saved[MAX_SAVED];
static int nsaved;

static void save_defaults(const hvb_opt *t)
{
	for (; t && t->name; t++) {
		int i;
		for (i = 0; i < nsaved; i++)
			if (saved[i].dest == t->dest)
				break;
		if (i < nsaved || nsaved == MAX_SAVED)
			continue;
		saved[nsaved].dest = t->dest;
		switch (t->type) {
		case HVB_OPT_INT: saved[nsaved].v.i = *(long long *)t->dest; break;
		case HVB_OPT_DOUBLE: saved[nsaved].v.d = *(double *)t->dest; break;
		case HVB_OPT_STR:
		case HVB_OPT_ONEOF: saved[nsaved].v.s = *(const char **)t->dest; break;
		case HVB_OPT_FLAG: saved[nsaved].v.f = *(int *)t->dest; break;
		}
		nsaved++;
	}
}

static void restore_defaults(const hvb_opt *t)
{
	for (; t && t->name; t++)
		for (int i = 0; i < nsaved; i++)
			if (saved[i].dest == t->dest) {
				switch (t->type) {
				case HVB_OPT_INT: *(long long *)t->dest = saved[i].v.i; break;
				case HVB_OPT_DOUBLE: *(double *)t->dest = saved[i].v.d; break;
				case HVB_OPT_STR:
				case HVB_OPT_ONEOF: *(const char **)t->dest = saved[i].v.s; break;
				case HVB_OPT_FLAG: *(int *)t->dest = saved[i].v.f; break;
				}
			}
}

void hvb_opts_reset(const hvb_bench *b)
{
	save_defaults(common_opts);
	save_defaults(b ? b->opts : NULL);
	restore_defaults(common_opts);
	restore_defaults(b ? b->opts : NULL);
}

static void print_default(const hvb_opt *o, FILE *f)
{
	switch (o->type) {
	case HVB_OPT_INT: fprintf(f, " [%lld]", *(long long *)o->dest); break;
	case HVB_OPT_DOUBLE: fprintf(f, " [%g]", *(double *)o->dest); break;
	case HVB_OPT_STR:
		if (*(const char **)o->dest)
			fprintf(f, " [%s]", *(const char **)o->dest);
		break;
	case HVB_OPT_ONEOF:
		fprintf(f, " [%s]", *(const char **)o->dest);
		break;
	case HVB_OPT_FLAG: break;
	}
	if ((o->type == HVB_OPT_INT || o->type == HVB_OPT_DOUBLE) && o->quick != 0)
		fprintf(f, " (--quick: %g)", o->quick);
	if ((o->type == HVB_OPT_INT || o->type == HVB_OPT_DOUBLE) && o->max > o->min)
		fprintf(f, " range %g..%g", o->min, o->max);
}

static void usage_table(const hvb_opt *t, FILE *f)
{
	for (; t && t->name; t++) {
		char left[256];
		snprintf(left, sizeof left, "--%s%s%s", t->name, t->metavar ? " " : "",
			 t->metavar ? t->metavar : "");
		/* A long list of values (ONEOF) gets a line of its own. */
		if (strlen(left) > 22)
			fprintf(f, "  %s\n  %-22s %s", left, "", t->help);
		else
			fprintf(f, "  %-22s %s", left, t->help);
		print_default(t, f);
		fputc('\n', f);
	}
}

void hvb_usage(const hvb_bench *b, FILE *f)
{
	hvb_opts_reset(b);
	fprintf(f, "usage: %s [OPTION]...\n%s\n\nOptions of %s:\n", b->name, b->summary, b->name);
	if (b->opts && b->opts->name)
		usage_table(b->opts, f);
	else
		fprintf(f, "  (none)\n");
	fprintf(f, "\nCommon options:\n");
	usage_table(common_opts, f);
	fprintf(f, "  %-22s %s\n  %-22s %s\n", "--help", "this text", "--version",
		"version and build");
	fprintf(f, "\nOutput: the hvb1 result CSV (docs/csv-format.md). Progress goes to stderr\n"
		   "when it is a terminal. Exit status: 0 ok, 1 a repetition failed (fail rows),\n"
		   "2 usage error, 3 output error, 130 interrupted.\n");
}

static const hvb_opt *find_opt(const hvb_opt *t, const char *name, size_t len)
{
	for (; t && t->name; t++)
		if (strlen(t->name) == len && strncmp(t->name, name, len) == 0)
			return t;
	return NULL;
}

/* 1 when val is one of the '|'-separated names of list. */
static int oneof_has(const char *list, const char *val)
{
	size_t n = strlen(val);
	for (const char *p = list; p && *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && strncmp(p, val, n) == 0)
			return 1;
		p += len + (bar != NULL);
	}
	return 0;
}

static int set_opt(const hvb_opt *o, const char *val)
{
	char *end;
	switch (o->type) {
	case HVB_OPT_INT: {
		errno = 0;
		long long v = strtoll(val, &end, 10);
		if (errno || end == val || *end) {
			hvb_err("--%s: \"%s\" is not an integer", o->name, val);
			return -1;
		}
		if ((double)v < o->min || (double)v > o->max) {
			hvb_err("--%s: %lld is out of range %g..%g", o->name, v, o->min, o->max);
			return -1;
		}
		*(long long *)o->dest = v;
		break;
	}
	case HVB_OPT_DOUBLE: {
		errno = 0;
		double v = strtod(val, &end);
		if (errno || end == val || *end || !isfinite(v)) {
			hvb_err("--%s: \"%s\" is not a number", o->name, val);
			return -1;
		}
		if (v < o->min || v > o->max) {
			hvb_err("--%s: %g is out of range %g..%g", o->name, v, o->min, o->max);
			return -1;
		}
		*(double *)o->dest = v;
		break;
	}
	case HVB_OPT_STR:
		*(const char **)o->dest = val;
		break;
	case HVB_OPT_ONEOF:
		if (!oneof_has(o->metavar, val)) {
			char list[512];
			size_t k = 0;
			for (const char *p = o->metavar; p && *p && k + 3 < sizeof list; p++) {
				if (*p == '|') {
					list[k++] = ',';
					list[k++] = ' ';
				} else {
					list[k++] = *p;
				}
			}
			list[k] = 0;
			hvb_err("--%s: \"%s\" is not one of %s", o->name, val, list);
			return -1;
		}
		*(const char **)o->dest = val;
		break;
	case HVB_OPT_FLAG:
		*(int *)o->dest = 1;
		break;
	}
	return 0;
}

static void apply_quick(const hvb_opt *t, const unsigned char *given)
{
	for (int i = 0; t && t[i].name; i++) {
		if (given[i] || t[i].quick == 0)
			continue;
		if (t[i].type == HVB_OPT_INT)
			*(long long *)t[i].dest = (long long)t[i].quick;
		else if (t[i].type == HVB_OPT_DOUBLE)
			*(double *)t[i].dest = t[i].quick;
	}
}

int hvb_parse(const hvb_bench *b, int argc, char **argv, struct hvb_common *c,
	      int *help, int *version)
{
	unsigned char given_b[128] = { 0 }, given_c[16] = { 0 };
	*help = *version = 0;
	hvb_opts_reset(b);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			*help = 1;
			return 0;
		}
		if (strcmp(a, "--version") == 0) {
			*version = 1;
			return 0;
		}
		if (strncmp(a, "--", 2) != 0) {
			hvb_err("unexpected argument \"%s\" (options start with --; see --help)", a);
			return HVB_EXIT_USAGE;
		}
		const char *name = a + 2, *eq = strchr(name, '=');
		size_t nl = eq ? (size_t)(eq - name) : strlen(name);
		const hvb_opt *o = find_opt(b->opts, name, nl);
		unsigned char *given = given_b;
		const hvb_opt *base = b->opts;
		if (!o) {
			o = find_opt(common_opts, name, nl);
			given = given_c;
			base = common_opts;
		}
		if (!o) {
			hvb_err("unknown option \"--%.*s\" (see --help)", (int)nl, name);
			return HVB_EXIT_USAGE;
		}
		const char *val = NULL;
		if (o->type == HVB_OPT_FLAG) {
			if (eq) {
				hvb_err("--%s takes no value", o->name);
				return HVB_EXIT_USAGE;
			}
		} else if (eq) {
			val = eq + 1;
		} else if (i + 1 < argc) {
			val = argv[++i];
		} else {
			hvb_err("--%s needs a value (%s)", o->name,
				o->metavar ? o->metavar : "VALUE");
			return HVB_EXIT_USAGE;
		}
		if (set_opt(o, val) < 0)
			return HVB_EXIT_USAGE;
		size_t idx = (size_t)(o - base);
		if (idx < 128)
			given[idx] = 1;
	}
	if (opt_quick) {
		apply_quick(common_opts, given_c);
		apply_quick(b->opts, given_b);
	}
	if (!opt_env || !*opt_env)
		opt_env = getenv("HVB_ENV");
	if (opt_env && !*opt_env)
		opt_env = NULL;
	if (!opt_machine || !*opt_machine)
		opt_machine = getenv("HVB_MACHINE");
	if (opt_machine && !*opt_machine)
		opt_machine = NULL;
	if (b->check && b->check())
		return HVB_EXIT_USAGE;
	c->reps = opt_reps;
	c->warmup = opt_warmup;
	c->quick = opt_quick;
	c->env = opt_env;
	c->out = opt_out;
	c->machine = opt_machine;
	c->target_ci = opt_target_ci;
	c->max_reps = opt_max_reps;
	c->max_time = opt_max_time;
	c->no_disturbance = opt_no_dist;
	return 0;
}

/* ------------------------------------------------------------------ session */

/* Open the output.  An existing --out file is appended to only when its header
 * is ours; the header is written only to a new or empty file.  Writers that
 * share one --out (parallel runs, collect jobs) serialize the check-and-write
 * of the header under an exclusive flock(2): without it two of them can both
 * see an empty file and both write a header.  Rows need no lock: each is one
 * O_APPEND write(2), which the kernel never interleaves on a local file. */
static int open_out(const char *path)
{
	if (!path || strcmp(path, "-") == 0) {
		write_all(1, hvb1_header, strlen(hvb1_header));
		write_all(1, "\n", 1);
		return 1;
	}
	int fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		hvb_err("cannot open --out %s: %s", path, strerror(errno));
		return -1;
	}
	while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
		;
	struct stat st;
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		char line[512];
		ssize_t n = pread(fd, line, sizeof line - 1, 0);
		line[n > 0 ? n : 0] = 0;
		char *nl = strpbrk(line, "\r\n");
		if (nl)
			*nl = 0;
		if (strcmp(line, hvb1_header) != 0) {
			hvb_err("refusing to append to %s: its first line is not the hvb1 header "
				"(expected \"%s\"); choose another --out", path, hvb1_header);
			close(fd);
			return -1;
		}
	} else {
		/* Header and its line end in one write, like every row. */
		char h[256];
		size_t hl = strlen(hvb1_header);
		memcpy(h, hvb1_header, hl);
		h[hl] = '\n';
		write_all(fd, h, hl + 1);
	}
	flock(fd, LOCK_UN);
	return fd;
}

static char *read_small(const char *path, char *buf, size_t n)
{
	buf[0] = 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return buf;
	size_t r = fread(buf, 1, n - 1, f);
	buf[r] = 0;
	fclose(f);
	while (r > 0 && (buf[r - 1] == '\n' || buf[r - 1] == ' '))
		buf[--r] = 0;
	return buf;
}

/* The first line of path that starts with one of prefixes (NULL-ended),
 * its newline cut, into line (n bytes); 0 when there is none. */
static int file_line(const char *path, const char *const *prefixes, char *line, size_t n)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	int found = 0;
	while (!found && fgets(line, (int)n, f))
		for (const char *const *p = prefixes; *p && !found; p++)
			found = strncmp(line, *p, strlen(*p)) == 0;
	fclose(f);
	if (found)
		line[strcspn(line, "\n")] = 0;
	return found;
}

/* x86 (and 32-bit arm): /proc/cpuinfo's model name.  arm64 Linux has none:
 * the MIDR's implementer and part, named from arch.c's table. */
static void cpu_model(char *out, size_t n)
{
	static const char *const keys[] = { "model name", "Processor", NULL };
	char line[512], *p;
	unsigned imp, part;
	snprintf(out, n, "unknown");
	if (hvb_midr_read("", &imp, &part)) {
		hvb_midr_name(imp, part, out, n);
		return;
	}
	if (file_line("/proc/cpuinfo", keys, line, sizeof line) && (p = strchr(line, ':'))) {
		p++;
		p += strspn(p, " \t");
		snprintf(out, n, "%s", p);
	}
}

static int tsc_invariant(void)
{
	static const char *const keys[] = { "flags", NULL };
	char line[8192];
	return file_line("/proc/cpuinfo", keys, line, sizeof line) &&
	       strstr(line, " constant_tsc") && strstr(line, " nonstop_tsc");
}

/* The timer: x86's invariant TSC flag; elsewhere the TSC does not apply
 * (written as such, not as 0), and on aarch64 the generic timer's frequency
 * (CNTFRQ_EL0), whose counter runs at a constant rate by the architecture. */
static void timer_facts(hvb_ctx *c, const hvb_detect *d)
{
	if (!d->cpuid.absent) {
		hvb_info_num(c, "", "tsc_invariant", "", tsc_invariant());
		return;
	}
	double hz = hvb_timer_freq_hz();
	hvb_info_str(c, "", "tsc_invariant", "n/a: %s has no TSC%s", HVB_ARCH_NAME,
		     hz > 0 ? "; its generic timer counts at timer_freq_hz" : "");
	if (hz > 0)
		hvb_info_num(c, "", "timer_freq_hz", "1/s", hz);
	else
		hvb_info_str(c, "", "timer_freq_hz", "n/a: no generic timer frequency to read on %s",
			     HVB_ARCH_NAME);
}

/* What detection read where there is no CPUID (detect.h): the evidence. */
static void nocpuid_facts(hvb_ctx *c, const hvb_detect *d)
{
	hvb_info_str(c, "", "dt_hypervisor_compatible", "%s", d->dt_hypervisor);
	hvb_info_str(c, "", "dt_fw_cfg", "%s", d->dt_fw_cfg);
	hvb_info_str(c, "", "sys_hypervisor_type", "%s", d->sys_hypervisor);
	if (d->have_midr)
		hvb_info_str(c, "", "cpu_midr", "implementer 0x%02x part 0x%03x", d->midr_implementer,
			     d->midr_part);
	else
		hvb_info_str(c, "", "cpu_midr", "%s", "");
	hvb_info_num(c, "", "virtio_devices", "count", d->virtio_devices);
}

static double mem_total_mb(void)
{
	static const char *const keys[] = { "MemTotal:", NULL };
	char line[256];
	double kb = NAN;
	if (file_line("/proc/meminfo", keys, line, sizeof line))
		sscanf(line, "MemTotal: %lf kB", &kb);
	return kb / 1024.0;
}

static void os_name(char *out, size_t n)
{
	static const char *const keys[] = { "PRETTY_NAME=", NULL };
	char line[512], *p = line + 12, *q;
	snprintf(out, n, "unknown");
	if (!file_line("/etc/os-release", keys, line, sizeof line))
		return;
	if (*p == '"' && (q = strrchr(++p, '"')))
		*q = 0;
	snprintf(out, n, "%s", p);
}

/* Steal and total jiffies of all CPUs, from /proc/stat. */
static int read_steal(unsigned long long *steal, unsigned long long *total)
{
	FILE *f = fopen("/proc/stat", "r");
	if (!f)
		return -1;
	unsigned long long v[8] = { 0 };
	int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
		       &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n < 8)
		return -1;
	*total = 0;
	for (int i = 0; i < 8; i++)
		*total += v[i];
	*steal = v[7];
	return 0;
}

static void clocksource(char *out, size_t n)
{
	read_small("/sys/devices/system/clocksource/clocksource0/current_clocksource", out, n);
	if (!*out)
		snprintf(out, n, "unknown");
}

static void session_init(hvb_ctx *c, const hvb_detect *d)
{
	gethostname(c->host, sizeof c->host - 1);
	if (!*c->host)
		snprintf(c->host, sizeof c->host, "unknown");
	/* One id per invocation: `hvbench run` shares it across benchmarks. */
	static long long started;
	if (!started)
		started = (long long)time(NULL);
	snprintf(c->run, sizeof c->run, "%s-%lld-%d", c->host, started, (int)main_pid);
	c->virt = d->virt;
	c->container = d->container;
	if (!c->common.env)
		c->common.env = d->virt;
}

static void facts_before(hvb_ctx *c, const hvb_detect *d, char *cs_before, size_t n)
{
	char buf[512];
	struct utsname u;
	cpu_model(buf, sizeof buf);
	hvb_info_str(c, "", "cpu_model", "%s", buf);
	hvb_info_num(c, "", "cpus_online", "count", hvb_ncpus());
	hvb_info_num(c, "", "mem_total_mb", "MB", mem_total_mb());
	if (uname(&u) == 0) {
		hvb_info_str(c, "", "kernel", "%s", u.release);
		hvb_info_str(c, "", "arch", "%s", u.machine);
	}
	os_name(buf, sizeof buf);
	hvb_info_str(c, "", "os", "%s", buf);
	if (d->cpuid.absent) {
		/* A fact that does not apply here: no value, a note saying why
		 * (csv-format.md, "Facts that do not apply"). */
		hvb_info_str(c, "", "cpuid_hv_bit", "n/a: %s has no CPUID", HVB_ARCH_NAME);
		hvb_info_str(c, "", "cpuid_hv_signature", "n/a: %s has no CPUID", HVB_ARCH_NAME);
	} else {
		hvb_info_num(c, "", "cpuid_hv_bit", "", d->cpuid.hv_bit);
		hvb_info_str(c, "", "cpuid_hv_signature", "%s", d->cpuid.signature);
	}
	hvb_info_str(c, "", "dmi_sys_vendor", "%s", d->dmi_sys_vendor);
	hvb_info_str(c, "", "dmi_product_name", "%s", d->dmi_product_name);
	hvb_info_str(c, "", "dmi_bios_vendor", "%s", d->dmi_bios_vendor);
	hvb_info_str(c, "", "container_evidence", "%s", d->container_evidence);
	if (d->note[0])
		hvb_info_str(c, "", "detect_note", "%s", d->note);
	if (d->cpuid.absent)
		nocpuid_facts(c, d);
	clocksource(cs_before, n);
	hvb_info_str(c, "", "clocksource_before", "%s", cs_before);
	timer_facts(c, d);
	hvb_info_num(c, "", "timer_resolution_ns", "ns", hvb_timer_resolution_ns());
	hvb_info_num(c, "", "timer_cost_ns", "ns", hvb_timer_cost_ns());
	hvb_info_str(c, "", "suite_version", "%s", HVB_VERSION);
	hvb_info_str(c, "", "build", "%s; gcc %s", HVB_BUILD, __VERSION__);
}

static void facts_after(hvb_ctx *c, const char *cs_before, unsigned long long st0,
			unsigned long long tot0, int have0, double t0)
{
	char cs[128];
	clocksource(cs, sizeof cs);
	hvb_info_str(c, "", "clocksource_after", "%s", cs);
	if (strcmp(cs, cs_before) != 0)
		hvb_info_str(c, "", "clocksource_changed", "%s -> %s", cs_before, cs);
	unsigned long long st1, tot1;
	if (have0 && read_steal(&st1, &tot1) == 0 && tot1 > tot0)
		hvb_info_num(c, "", "steal_pct", "%", 100.0 * (double)(st1 - st0) / (double)(tot1 - tot0));
	if (!c->common.no_disturbance)
		hvb_info_num(c, "", "disturb_cost_s", "s", c->dist_cost_s);
	hvb_info_num(c, "", "wall_s", "s", hvb_now() - t0);
}

/* The physical machine as an in-band fact (csv-format.md, info rows): one
 * row per invocation, under bench `hvbench` and this invocation's run id,
 * written only when --machine or HVB_MACHINE named it. */
static void machine_row(const struct hvb_common *common, int fd, const hvb_detect *d)
{
	static const hvb_bench suite = { .name = "hvbench" };
	if (!common->machine)
		return;
	hvb_ctx c;
	memset(&c, 0, sizeof c);
	c.bench = &suite;
	c.common = *common;
	c.fd = fd;
	session_init(&c, d);
	hvb_info_str(&c, "", "machine", "%s", common->machine);
}

/* The capacity probe's rows (csv-format.md, "Disturbance rows", per run).
 * The probe runs once per process: `hvbench run` writes the same figures
 * for every benchmark, measured before the first.  About 50 ms per phase:
 * long enough for the scheduler to share a crowded CPU fairly between the
 * probe's threads (CFS slices are a few ms), short against a suite. */
#define PROBE_PHASE_S 0.05
static void capacity_rows(hvb_ctx *c)
{
	static int probed, ok, nthr;
	static double cap, ref_ns;
	if (!probed) {
		double t0 = hvb_now();
		probed = 1;
		nthr = hvb_ncpus();
		ok = hvb_capacity_probe(nthr, PROBE_PHASE_S, &cap, &ref_ns) == 0;
		c->dist_cost_s += hvb_now() - t0; /* `hvbench run`: the first benchmark's */
	}
	if (!ok) {
		hvb_info_str(c, "", "capacity_note", "the capacity probe could not start %d threads", nthr);
		return;
	}
	hvb_info_num(c, "", "capacity_cpus", "count", cap);
	hvb_info_num(c, "", "capacity_threads", "count", nthr);
	hvb_info_num(c, "", "canary_ref_ns", "ns", ref_ns);
	/* The CPUs this benchmark may run on as it starts (its affinity
	 * mask), measured for each one: fewer than capacity_threads means
	 * its all-CPU figures are not the machine's (a cpuset, taskset, or a
	 * pinning left behind). */
	cpu_set_t aff;
	if (sched_getaffinity(0, sizeof aff, &aff) == 0)
		hvb_info_num(c, "", "cpus_allowed", "count", CPU_COUNT(&aff));
}

/* Run one parsed benchmark on an open output.  Returns run()'s result. */
static int run_bench(const hvb_bench *b, const struct hvb_common *common, int fd,
		     const hvb_detect *d)
{
	hvb_ctx c;
	memset(&c, 0, sizeof c);
	c.bench = b;
	c.common = *common;
	c.fd = fd;
	session_init(&c, d);
	char cs[128];
	unsigned long long st0 = 0, tot0 = 0;
	int have0 = read_steal(&st0, &tot0) == 0;
	double t0 = hvb_now();
	facts_before(&c, d, cs, sizeof cs);
	hvb_disturb_enable(!common->no_disturbance);
	if (!common->no_disturbance)
		capacity_rows(&c);
	hvb_progress("%s running", b->name);
	int r = b->run(&c);
	loop_abandon(&c);
	progress_done();
	facts_after(&c, cs, st0, tot0, have0, t0);
	tmp_cleanup();
	return r;
}

static void detect_live(hvb_detect *d)
{
	const char *root = getenv("HVB_DETECT_ROOT");
	const char *inj = getenv("HVB_CPUID"); /* "BIT:SIGNATURE", for tests */
	hvb_cpuid cpu, *pc = NULL;
	if (inj && *inj) {
		memset(&cpu, 0, sizeof cpu);
		cpu.hv_bit = inj[0] == '1';
		const char *colon = strchr(inj, ':');
		snprintf(cpu.signature, sizeof cpu.signature, "%s", colon ? colon + 1 : "");
		pc = &cpu;
	}
	hvb_detect_run(root ? root : "", pc, d);
}

/* One invocation's start: the options, an answer to --help or --version,
 * then detection, signal handlers, the output and the machine row.  The
 * output's fd, or -1 with *rc the exit status (0 after --help/--version). */
static int session_start(const hvb_bench *b, int argc, char **argv, struct hvb_common *c,
			 hvb_detect *d, int *rc)
{
	int help, version;
	*rc = hvb_parse(b, argc, argv, c, &help, &version);
	if (*rc)
		return -1;
	if (help || version) {
		if (help)
			hvb_usage(b, stdout);
		else if (b->run)
			printf("%s (hvbench) %s\nbuild: %s; gcc %s\n", b->name, HVB_VERSION, HVB_BUILD,
			       __VERSION__);
		else
			printf("hvbench %s\n", HVB_VERSION);
		*rc = HVB_EXIT_OK;
		return -1;
	}
	detect_live(d);
	install_signals();
	int fd = open_out(c->out);
	if (fd < 0) {
		*rc = HVB_EXIT_OUTPUT;
		return -1;
	}
	machine_row(c, fd, d);
	return fd;
}

int hvb_main(const hvb_bench *b, int argc, char **argv)
{
	struct hvb_common c;
	hvb_detect d;
	int rc;
	progname = b->name;
	int fd = session_start(b, argc, argv, &c, &d, &rc);
	if (fd < 0)
		return rc;
	int r = run_bench(b, &c, fd, &d);
	if (fd != 1)
		close(fd);
	return (r || hvb_fail_count()) ? HVB_EXIT_FAILED : HVB_EXIT_OK;
}

/* `hvbench run`: every benchmark in the list, common options only, one CSV. */
int hvb_run_all(int argc, char **argv);
int hvb_run_all(int argc, char **argv)
{
	static const hvb_bench run_desc = {
		.name = "hvbench run",
		.summary = "Run every benchmark of the suite with its defaults into one CSV.",
	};
	struct hvb_common c;
	hvb_detect d;
	int rc, help, version;
	progname = "hvbench";
	int fd = session_start(&run_desc, argc, argv, &c, &d, &rc);
	if (fd < 0)
		return rc;
	int bad = 0;
	double t0 = hvb_now();
	/* Every benchmark starts on the CPUs the run was given, whatever the
	 * one before it did to its affinity. */
	cpu_set_t home;
	int have_home = sched_getaffinity(0, sizeof home, &home) == 0;
	for (size_t i = 0; i < hvb_nbenches; i++) {
		const hvb_bench *b = hvb_benches[i];
		if (b->not_in_run)
			continue;
		if (have_home)
			sched_setaffinity(0, sizeof home, &home);
		/* Each benchmark under its own defaults (and --quick values), common options as given. */
		struct hvb_common bc;
		char *args[8];
		int n = 0;
		args[n++] = (char *)b->name;
		if (c.quick)
			args[n++] = "--quick";
		args[n] = NULL;
		if (hvb_parse(b, n, args, &bc, &help, &version))
			return HVB_EXIT_USAGE;
		bc = c;
		if (isatty(2))
			fprintf(stderr, "hvbench: [%zu/%zu] %s (%.0f s so far)\n", i + 1, hvb_nbenches,
				b->name, hvb_now() - t0);
		progname = b->name;
		bad |= run_bench(b, &bc, fd, &d) != 0;
		progname = "hvbench";
	}
	if (isatty(2))
		fprintf(stderr, "hvbench: done in %.0f s\n", hvb_now() - t0);
	if (fd != 1)
		close(fd);
	return (bad || hvb_fail_count()) ? HVB_EXIT_FAILED : HVB_EXIT_OK;
}
