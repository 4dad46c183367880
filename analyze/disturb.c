/*
 * disturb.c - disturbed repetitions and runs: a slow environment is not a
 * slowed machine (docs/analyzer.md, "Disturbed repetitions and runs"; the
 * rows it reads: docs/csv-format.md, "Disturbance rows").
 *
 * Reads, from the info rows, each run's capacity probe (capacity_cpus,
 * capacity_threads, canary_ref_ns) and each repetition's counters (dist_*,
 * keyed by run, bench, params, rep: the same keys as the repetition's ok
 * rows), and judges by the stated rule:
 *   a repetition   dist_runq_pct >= 25 (but in a series its benchmark
 *                  declares shared, dist_runq_shared; in data without such
 *                  rows, in runq_by_design's series),
 *                  dist_steal_pct >= 5,
 *                  dist_throttled > 0, dist_thread_balance <= the median
 *                  balance of its series in its environment (all runs) /
 *                  1.25, or dist_canary_ns >= 1.25 x the
 *                  run's best canary (min of its canaries and canary_ref_ns)
 *   a run (with counters)     its median canary has a modified z-score
 *                  >= 3.5 among its environment's runs (MAD of the log run
 *                  medians) and is >= 10 % slower than their median
 *   a run (without counters)  in a category, every headline series it has
 *                  (at least 2, each with >= 4 runs of the environment) is
 *                  that far from the environment's other runs: run median
 *                  against the median of the run medians, modified z in log
 *                  space >= 3.5 and >= 10 % slower
 * The judged items go to m->disturbed; unless --keep-disturbed their
 * samples leave the series before any statistic, so the statistics, the
 * paired comparisons, the ranks and the score bootstrap all see the same
 * samples.  Joins are sorts and binary searches: O(rows log rows).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "internal.h"

#define REP_RUNQ_PCT   25.0  /* of the runnable time spent waiting for a CPU */
#define REP_STEAL_PCT   5.0  /* the steal warning's threshold (warn.c) */
#define REP_CANARY      1.25 /* x the run's best canary */
#define REP_BALANCE     1.25 /* its series' median thread balance over this one's */
#define RUN_Z           3.5  /* Iglewicz-Hoaglin, as the outlier rule */
#define RUN_SLOWER      1.10 /* the floor: a 10 % slower run at least */
#define RUN_MIN_RUNS    4    /* runs of the environment in a series */
#define DATA_MIN_SERIES 2    /* headline series of the category */
#define CAPACITY_FRAC   0.75 /* of capacity_threads */

/* ---- the rows ---- */

/* Pointer order of interned strings: a join key, never an output order. */
static int ptrcmp(const void *a, const void *b)
{
	return a < b ? -1 : a > b;
}

static int by_rep_key(const void *a, const void *b)
{
	const az_row *x = *(const az_row *const *)a, *y = *(const az_row *const *)b;
	int c = ptrcmp(x->run, y->run);
	if (!c) c = ptrcmp(x->sh->bench, y->sh->bench);
	if (!c) c = ptrcmp(x->sh->params, y->sh->params);
	if (!c) c = (x->rep > y->rep) - (x->rep < y->rep);
	if (!c) c = ptrcmp(x, y);
	return c;
}

/* One repetition's counters; NAN where absent (the larger of two rows). */
typedef struct repc {
	const az_row *first;          /* its first dist_* row: run, file, env */
	const char *bench, *params;
	int rep;
	double runq, steal, throttled, canary;
	int shared;                   /* dist_runq_shared: its tasks share a CPU by design */
	int run_declares;             /* its run has dist_runq_shared rows (newer data) */
	double balance;               /* dist_thread_balance (the smaller of two rows); NAN: none */
	double ref_balance;           /* the median balance of its series in its environment
				       * (all runs); NAN: none */
	size_t item;                  /* its disturbed item + 1; 0: none */
} repc;

typedef struct runinfo {
	const char *run;
	const az_row *first;          /* file, env */
	double cpus, threads, ref, best, median;
	const char *cbench;
	size_t reps;
	int counters;                 /* it has dist_* rows: judged by its canary */
	size_t whole;                 /* its run-canary item + 1; 0: none */
} runinfo;

static int by_run_ptr(const void *a, const void *b)
{
	return ptrcmp(((const runinfo *)a)->run, ((const runinfo *)b)->run);
}

static runinfo *run_find(runinfo *r, size_t n, const char *run)
{
	runinfo key = { .run = run };
	return n ? bsearch(&key, r, n, sizeof key, by_run_ptr) : NULL;
}

static void maxin(double *d, double v)
{
	if (isfinite(v) && (isnan(*d) || v > *d))
		*d = v;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The median of v[0..n) (sorted in place); NAN when n == 0. */
static double median(double *v, size_t n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The modified z-score of each log value against the median of all of
 * them, MAD-scaled (0.6745 d / MAD); a MAD of 0 makes any deviation
 * infinite.  l[0..n) is kept; z[i] its score; returns the median. */
static double modz(const double *l, size_t n, double *z)
{
	double *t = xmalloc((n ? n : 1) * sizeof *t);
	memcpy(t, l, n * sizeof *t);
	double med = median(t, n);
	for (size_t i = 0; i < n; i++)
		t[i] = fabs(l[i] - med);
	double mad = median(t, n);
	free(t);
	for (size_t i = 0; i < n; i++) {
		double d = l[i] - med;
		z[i] = mad > 0 ? 0.6745 * d / mad : d > 0 ? INFINITY : d < 0 ? -INFINITY : 0;
	}
	return med;
}

/* ---- the items ---- */
typedef struct items {
	hvb_disturbed *v;
	size_t n, cap;
} items;

static size_t item_add(items *it, const hvb_model *m, const az_row *row, const char *scope,
		       const char *rule, double amount, double threshold, int keep)
{
	if (it->n == it->cap)
		it->v = xrealloc(it->v, (it->cap = it->cap ? it->cap * 2 : 16) * sizeof *it->v);
	size_t e = row->sh->env_idx;
	it->v[it->n] = (hvb_disturbed){ .file = row->sh->file, .run = row->run, .round = NAN,
		.env_idx = e, .env = m->envs[e].name, .scope = scope, .rule = rule,
		.amount = amount, .threshold = threshold, .z = NAN, .kept = keep };
	return it->n++;
}

/* Series whose own tasks wait for each other on a CPU by design, so that
 * their run-queue wait is the benchmark, not a disturbance: pipebench's and
 * timebench's ping-pongs pinned to one CPU (the woken peer waits while the
 * waker runs on), forkbench's tree of processes, and netbench, whose client,
 * iperf3 server and the network stack's softirqs share the CPUs.  On the
 * sample every repetition of these, in every environment, had 25-55 % of
 * run-queue wait on an idle machine.  The canary still judges them.  The
 * benchmarks now say so themselves (hvb_reps_share_cpu, a dist_runq_shared
 * row); this table is for the data collected before they did, and is used
 * only for a run without any dist_runq_shared row. */
static const struct { const char *bench, *params; } runq_by_design[] = {
	{ "pipebench", "cpus=same" },
	{ "timebench", "op=ctxsw_pipe" },
	{ "forkbench", NULL },
	{ "netbench", NULL },
};

static int runq_is_design(const char *bench, const char *params)
{
	for (size_t i = 0; i < sizeof runq_by_design / sizeof *runq_by_design; i++)
		if (strcmp(bench, runq_by_design[i].bench) == 0 &&
		    (!runq_by_design[i].params || (params && strstr(params, runq_by_design[i].params))))
			return 1;
	return 0;
}

/* Series order of repetitions (environment, bench, params), for ref_balances. */
static int by_series(const void *a, const void *b, void *ctx)
{
	const repc *rc = ctx;
	const repc *x = &rc[*(const size_t *)a], *y = &rc[*(const size_t *)b];
	size_t ex = x->first->sh->env_idx, ey = y->first->sh->env_idx;
	int c = (ex > ey) - (ex < ey);
	if (!c) c = ptrcmp(x->bench, y->bench);
	if (!c) c = ptrcmp(x->params, y->params);
	if (!c) c = (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
	return c;
}

/* Each repetition's ref_balance: the median dist_thread_balance of its
 * series (environment, bench, params) over all its runs.  Relative to its
 * own series because a series may load its threads unevenly by itself (a
 * machine of unequal cores; cpubench fp threads=2 read 0.6-0.7 here in every
 * repetition until its threads started together, int 0.96-1.00); over all
 * runs so that a run slowed in every repetition still stands out.
 * A sort and one pass: O(n log n). */
static void ref_balances(repc *rc, size_t nrc)
{
	size_t *ix = xmalloc((nrc ? nrc : 1) * sizeof *ix), nb = 0;
	for (size_t i = 0; i < nrc; i++)
		if (rc[i].balance >= 0)
			ix[nb++] = i;
	qsort_r(ix, nb, sizeof *ix, by_series, rc);
	double *v = xmalloc((nb ? nb : 1) * sizeof *v);
	for (size_t i = 0, j; i < nb; i = j) {
		const repc *f = &rc[ix[i]];
		size_t n = 0;
		for (j = i; j < nb && rc[ix[j]].first->sh->env_idx == f->first->sh->env_idx &&
			    rc[ix[j]].bench == f->bench && rc[ix[j]].params == f->params; j++)
			v[n++] = rc[ix[j]].balance;
		double med = median(v, n);
		for (size_t k = i; k < j; k++)
			rc[ix[k]].ref_balance = med;
	}
	free(v);
	free(ix);
}

/* Repetitions: the first rule that holds names it. */
static void judge_reps(const hvb_model *m, repc *rc, size_t nrc, runinfo *runs, size_t nruns,
		       items *it, int keep)
{
	for (size_t i = 0; i < nrc; i++) {
		repc *c = &rc[i];
		const runinfo *r = run_find(runs, nruns, c->first->run);
		double best = r ? r->best : NAN;
		const char *rule = NULL;
		double amount = NAN, thr = NAN;
		int by_design = c->run_declares ? c->shared : runq_is_design(c->bench, c->params);
		if (c->runq >= REP_RUNQ_PCT && !by_design)
			rule = "runq", amount = c->runq, thr = REP_RUNQ_PCT;
		else if (c->steal >= REP_STEAL_PCT)
			rule = "steal", amount = c->steal, thr = REP_STEAL_PCT;
		else if (c->throttled > 0)
			rule = "throttled", amount = c->throttled, thr = 0;
		else if (c->ref_balance > 0 && c->balance >= 0 && c->balance * REP_BALANCE <= c->ref_balance)
			rule = "balance", amount = c->balance > 0 ? c->ref_balance / c->balance : INFINITY,
			thr = REP_BALANCE;
		else if (best > 0 && c->canary >= REP_CANARY * best)
			rule = "canary", amount = c->canary / best, thr = REP_CANARY;
		if (!rule)
			continue;
		size_t k = item_add(it, m, c->first, "rep", rule, amount, thr, keep);
		it->v[k].bench = c->bench;
		it->v[k].params = c->params;
		it->v[k].rep = c->rep;
		c->item = k + 1;
	}
}

static int by_env_run(const void *a, const void *b, void *ctx)
{
	const runinfo *runs = ctx;
	const runinfo *x = &runs[*(const size_t *)a], *y = &runs[*(const size_t *)b];
	size_t ex = x->first->sh->env_idx, ey = y->first->sh->env_idx;
	if (ex != ey)
		return ex < ey ? -1 : 1;
	return strcmp(x->run, y->run);
}

/* Runs with counters: their median canary among the environment's runs. */
static void judge_run_canary(const hvb_model *m, runinfo *runs, size_t nruns, items *it, int keep)
{
	size_t *ix = xmalloc((nruns ? nruns : 1) * sizeof *ix), n = 0;
	for (size_t i = 0; i < nruns; i++)
		if (runs[i].counters && runs[i].median > 0)
			ix[n++] = i;
	qsort_r(ix, n, sizeof *ix, by_env_run, runs);
	double *l = xmalloc((n ? n : 1) * sizeof *l), *z = xmalloc((n ? n : 1) * sizeof *z);
	for (size_t a = 0, b; a < n; a = b) {
		size_t env = runs[ix[a]].first->sh->env_idx;
		for (b = a; b < n && runs[ix[b]].first->sh->env_idx == env; b++)
			l[b - a] = log(runs[ix[b]].median);
		size_t k = b - a;
		if (k < RUN_MIN_RUNS)
			continue;
		double med = modz(l, k, z);
		for (size_t i = 0; i < k; i++) {
			double slower = exp(l[i] - med);
			if (!(z[i] >= RUN_Z && slower >= RUN_SLOWER))
				continue;
			runinfo *r = &runs[ix[a + i]];
			size_t j = item_add(it, m, r->first, "run", "run-canary", slower, RUN_SLOWER, keep);
			it->v[j].z = z[i];
			it->v[j].series = 0;
			r->whole = j + 1;
		}
	}
	free(l);
	free(z);
	free(ix);
}

/* A run's judgement in one headline series (data rule). */
typedef struct judged {
	size_t env;
	const char *category;
	const az_row *row;            /* a sample row of the run: run, file */
	double slower, z;             /* z oriented: + is slower */
	int flagged;
} judged;

static int by_judged(const void *a, const void *b)
{
	const judged *x = a, *y = b;
	if (x->env != y->env)
		return x->env < y->env ? -1 : 1;
	int c = strcmp(x->category, y->category);
	if (!c) c = ptrcmp(x->row->run, y->row->run);
	return c;
}

typedef struct obs { const az_row *row; double v; } obs;

static int by_obs(const void *a, const void *b)
{
	const obs *x = a, *y = b;
	int c = ptrcmp(x->row->run, y->row->run);
	return c ? c : (x->v > y->v) - (x->v < y->v);
}

/* Runs without counters: per headline series, each run's median against
 * the environment's other runs; a run slowed in every headline series of
 * a category it has (at least DATA_MIN_SERIES) is disturbed there. */
static void judge_data(hvb_model *m, runinfo *runs, size_t nruns, items *it, int keep)
{
	judged *jd = NULL;
	size_t nj = 0, jcap = 0;
	for (size_t gi = 0; gi < m->ngroups; gi++) {
		const hvb_metric_group *g = &m->groups[gi];
		if (g->role != HVB_HEADLINE)
			continue;
		for (size_t k = 0; k < g->n; k++) {
			const hvb_series *s = &m->series[g->series[k]];
			size_t n = s->n_samples;
			obs *o = xmalloc((n ? n : 1) * sizeof *o);
			for (size_t i = 0; i < n; i++)
				o[i] = (obs){ az_sample_row(m, s, i), s->samples[i] };
			qsort(o, n, sizeof *o, by_obs);
			/* per run: its first row (sorted by value) and median */
			obs *rm = xmalloc((n ? n : 1) * sizeof *rm);
			size_t nr = 0;
			for (size_t i = 0, j; i < n; i = j) {
				for (j = i; j < n && o[j].row->run == o[i].row->run; j++)
					;
				size_t c = j - i;
				double med = c % 2 ? o[i + c / 2].v : (o[i + c / 2 - 1].v + o[i + c / 2].v) / 2;
				if (med > 0 && isfinite(med))
					rm[nr++] = (obs){ o[i].row, log(med) };
			}
			free(o);
			if (nr >= RUN_MIN_RUNS) {
				double *l = xmalloc(nr * sizeof *l), *z = xmalloc(nr * sizeof *z);
				for (size_t i = 0; i < nr; i++)
					l[i] = rm[i].v * s->better;   /* oriented: + is better */
				double med = modz(l, nr, z);
				for (size_t i = 0; i < nr; i++) {
					const runinfo *r = run_find(runs, nruns, rm[i].row->run);
					if (r && r->counters)
						continue;   /* judged by its canary */
					if (nj == jcap)
						jd = xrealloc(jd, (jcap = jcap ? jcap * 2 : 256) * sizeof *jd);
					double slower = exp(med - l[i]);
					jd[nj++] = (judged){ s->env_idx, s->category, rm[i].row, slower, -z[i],
							     -z[i] >= RUN_Z && slower >= RUN_SLOWER };
				}
				free(l);
				free(z);
			}
			free(rm);
		}
	}
	if (nj)
		qsort(jd, nj, sizeof *jd, by_judged);
	for (size_t a = 0, b; a < nj; a = b) {
		size_t flagged = 0;
		double slower = INFINITY, z = INFINITY;
		for (b = a; b < nj && by_judged(&jd[a], &jd[b]) == 0; b++) {
			flagged += (size_t)jd[b].flagged;
			slower = fmin(slower, jd[b].slower);
			z = fmin(z, jd[b].z);
		}
		if (b - a < DATA_MIN_SERIES || flagged != b - a)
			continue;
		size_t j = item_add(it, m, jd[a].row, "category", "data", slower, RUN_SLOWER, keep);
		it->v[j].category = jd[a].category;
		it->v[j].z = z;
		it->v[j].series = b - a;
	}
	free(jd);
}

/* ---- taking the samples out ---- */
typedef struct catkey { const char *run, *category; size_t item; } catkey;

static int by_catkey(const void *a, const void *b)
{
	const catkey *x = a, *y = b;
	int c = ptrcmp(x->run, y->run);
	return c ? c : strcmp(x->category, y->category);
}

typedef struct repkey { const char *run, *bench, *params; int rep; size_t item; } repkey;

static int by_repkey(const void *a, const void *b)
{
	const repkey *x = a, *y = b;
	int c = ptrcmp(x->run, y->run);
	if (!c) c = ptrcmp(x->bench, y->bench);
	if (!c) c = ptrcmp(x->params, y->params);
	if (!c) c = (x->rep > y->rep) - (x->rep < y->rep);
	return c;
}

/* Every sample's item (a repetition's first, then its run's, then its
 * run's category's): counted, and left out unless kept.  The series'
 * sample rows stay contiguous in srow (srow_off is rebuilt). */
static void exclude(hvb_model *m, items *it, const repc *rc, size_t nrc, runinfo *runs,
		    size_t nruns, int keep)
{
	az_priv *pv = az_priv_of(m);
	repkey *rk = xmalloc((nrc ? nrc : 1) * sizeof *rk);
	size_t nrk = 0;
	for (size_t i = 0; i < nrc; i++)
		if (rc[i].item)
			rk[nrk++] = (repkey){ rc[i].first->run, rc[i].bench, rc[i].params, rc[i].rep,
					      rc[i].item - 1 };
	qsort(rk, nrk, sizeof *rk, by_repkey);   /* rc is in that order already */
	catkey *ck = xmalloc((it->n ? it->n : 1) * sizeof *ck);
	size_t nck = 0;
	for (size_t i = 0; i < it->n; i++)
		if (it->v[i].category)
			ck[nck++] = (catkey){ it->v[i].run, it->v[i].category, i };
	if (nck)
		qsort(ck, nck, sizeof *ck, by_catkey);
	size_t out = 0;
	for (size_t si = 0; si < m->nseries; si++) {
		hvb_series *s = &m->series[si];
		uint32_t *seg = pv->srow + pv->srow_off[si];
		size_t w = 0;
		for (size_t i = 0; i < s->n_samples; i++) {
			const az_row *row = &pv->rows[seg[i]];
			const repkey *rf = NULL;
			const catkey *cf = NULL;
			size_t item = (size_t)-1;
			if (nrk) {
				repkey key = { row->run, row->sh->bench, row->sh->params, row->rep, 0 };
				rf = bsearch(&key, rk, nrk, sizeof key, by_repkey);
			}
			if (rf) {
				item = rf->item;
			} else {
				const runinfo *r = run_find(runs, nruns, row->run);
				if (r && r->whole) {
					item = r->whole - 1;
				} else if (nck) {
					catkey key = { row->run, s->category, 0 };
					cf = bsearch(&key, ck, nck, sizeof key, by_catkey);
					if (cf)
						item = cf->item;
				}
			}
			if (item != (size_t)-1) {
				it->v[item].samples++;
				if (!keep)
					continue;
			}
			s->samples[w] = s->samples[i];
			seg[w++] = seg[i];
		}
		/* move the segment down to where the kept samples end */
		if (out != pv->srow_off[si])
			memmove(pv->srow + out, seg, w * sizeof *seg);
		pv->srow_off[si] = out;
		s->n_samples = w;
		out += w;
	}
	pv->srow_off[m->nseries] = out;
	free(rk);
	free(ck);
}

/* Output order: file, run, then the whole run, its categories, its reps. */
static int scope_rank(const char *s)
{
	return s[0] == 'r' && s[1] == 'u' ? 0 : s[0] == 'c' ? 1 : 2;
}

static int nstrcmp(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int by_item(const void *a, const void *b)
{
	const hvb_disturbed *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	if (!c) c = strcmp(x->run, y->run);
	if (!c) c = scope_rank(x->scope) - scope_rank(y->scope);
	if (!c) c = nstrcmp(x->category, y->category);
	if (!c) c = nstrcmp(x->bench, y->bench);
	if (!c) c = nstrcmp(x->params, y->params);
	if (!c) c = (x->rep > y->rep) - (x->rep < y->rep);
	return c;
}

static int by_probe(const void *a, const void *b)
{
	const hvb_runprobe *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	return c ? c : strcmp(x->run, y->run);
}

/* ---- reading ---- */
enum { K_NONE, K_CPUS, K_THREADS, K_REF, K_DIST };

static int row_kind(const az_row *r)
{
	const az_shape *sh = r->sh;
	if (sh->st != AZ_ST_INFO || !r->run[0])
		return K_NONE;
	const char *k = sh->metric;
	if (k[0] == 'd' && strncmp(k, "dist_", 5) == 0)
		return r->rep > 0 ? K_DIST : K_NONE;
	if (k[0] != 'c')
		return K_NONE;
	if (strcmp(k, "capacity_cpus") == 0) return K_CPUS;
	if (strcmp(k, "capacity_threads") == 0) return K_THREADS;
	if (strcmp(k, "canary_ref_ns") == 0) return K_REF;
	return K_NONE;
}

/* The probes of one (run, bench): capacity_cpus, capacity_threads and
 * canary_ref_ns rows come together; sorted by (run, bench). */
typedef struct probe { const az_row *row; int kind; } probe;

static int by_probe_row(const void *a, const void *b)
{
	const probe *x = a, *y = b;
	int c = ptrcmp(x->row->run, y->row->run);
	if (!c) c = ptrcmp(x->row->sh->bench, y->row->sh->bench);
	if (!c) c = ptrcmp(x->row, y->row);
	return c;
}

/* Each run's best and median canary (rc sorted by run first), the best
 * no worse than its reference. */
static void run_canaries(runinfo *runs, size_t nruns, const repc *rc, size_t nrc)
{
	double *cv = xmalloc((nrc ? nrc : 1) * sizeof *cv);
	for (size_t i = 0; i < nrc;) {
		const char *run = rc[i].first->run;
		size_t j = i, n = 0;
		for (; j < nrc && rc[j].first->run == run; j++)
			if (rc[j].canary > 0)
				cv[n++] = rc[j].canary;
		runinfo *r = run_find(runs, nruns, run);
		r->median = median(cv, n);
		r->best = n ? cv[0] : NAN;
		i = j;
	}
	free(cv);
	for (size_t i = 0; i < nruns; i++)
		if (runs[i].ref > 0 && (isnan(runs[i].best) || runs[i].ref < runs[i].best))
			runs[i].best = runs[i].ref;
}

void az_disturb(hvb_model *m, const az_opts *o)
{
	az_priv *pv = az_priv_of(m);
	int keep = o->keep_disturbed;
	m->kept_disturbed = keep;
	const az_row **dr = NULL;
	probe *pr = NULL;
	size_t ndr = 0, dcap = 0, npr = 0, pcap = 0;
	for (size_t i = 0; i < pv->nrows; i++) {
		const az_row *r = &pv->rows[i];
		int k = row_kind(r);
		if (k == K_NONE)
			continue;
		if (k == K_DIST) {
			if (ndr == dcap)
				dr = xrealloc(dr, (dcap = dcap ? dcap * 2 : 256) * sizeof *dr);
			dr[ndr++] = r;
		} else {
			if (npr == pcap)
				pr = xrealloc(pr, (pcap = pcap ? pcap * 2 : 64) * sizeof *pr);
			pr[npr++] = (probe){ r, k };
		}
	}
	if (!ndr && !npr && !m->ngroups) {
		free(dr);
		free(pr);
		return;
	}
	/* Repetitions: the rows of one (run, bench, params, rep) together. */
	if (ndr)
		qsort(dr, ndr, sizeof *dr, by_rep_key);
	repc *rc = xmalloc((ndr ? ndr : 1) * sizeof *rc);
	size_t nrc = 0;
	for (size_t i = 0, j; i < ndr; i = j) {
		const az_row *f = dr[i];
		repc c = { f, f->sh->bench, f->sh->params, f->rep, NAN, NAN, NAN, NAN, 0, 0, NAN, NAN, 0 };
		for (j = i; j < ndr && dr[j]->run == f->run && dr[j]->sh->bench == f->sh->bench &&
			    dr[j]->sh->params == f->sh->params && dr[j]->rep == f->rep; j++) {
			const char *k = dr[j]->sh->metric + 5;
			double v = dr[j]->value;
			if (strcmp(k, "runq_pct") == 0) maxin(&c.runq, v);
			else if (strcmp(k, "steal_pct") == 0) maxin(&c.steal, v);
			else if (strcmp(k, "throttled") == 0) maxin(&c.throttled, v);
			else if (strcmp(k, "canary_ns") == 0) maxin(&c.canary, v);
			else if (strcmp(k, "runq_shared") == 0 && v > 0) c.shared = 1;
			else if (strcmp(k, "thread_balance") == 0 && v >= 0 && !(v >= c.balance)) c.balance = v;
		}
		rc[nrc++] = c;
	}
	/* rc is sorted by run first: a run that declares any series shared is
	 * judged by its declarations alone, older data by runq_by_design. */
	for (size_t i = 0, j; i < nrc; i = j) {
		int any = 0;
		for (j = i; j < nrc && rc[j].first->run == rc[i].first->run; j++)
			any |= rc[j].shared;
		for (size_t k = i; k < j; k++)
			rc[k].run_declares = any;
	}
	ref_balances(rc, nrc);
	free(dr);
	/* Runs: those with probe rows or repetition counters. */
	if (npr)
		qsort(pr, npr, sizeof *pr, by_probe_row);
	runinfo *runs = xmalloc((npr + nrc ? npr + nrc : 1) * sizeof *runs);
	size_t nruns = 0;
	for (size_t i = 0, j; i < npr; i = j) {
		/* one (run, bench): its probe */
		double cpus = NAN, threads = NAN, ref = NAN;
		const az_row *f = pr[i].row;
		for (j = i; j < npr && pr[j].row->run == f->run && pr[j].row->sh->bench == f->sh->bench; j++) {
			double v = pr[j].row->value;
			if (!isfinite(v))
				continue;
			if (pr[j].kind == K_CPUS && isnan(cpus)) cpus = v;
			else if (pr[j].kind == K_THREADS && isnan(threads)) threads = v;
			else if (pr[j].kind == K_REF && isnan(ref)) ref = v;
		}
		runinfo *r = nruns && runs[nruns - 1].run == f->run ? &runs[nruns - 1] : NULL;
		if (!r) {
			r = &runs[nruns++];
			*r = (runinfo){ .run = f->run, .first = f, .cpus = NAN, .threads = NAN, .ref = NAN,
					.best = NAN, .median = NAN };
		}
		/* the run's worst probe: the lowest share of its threads */
		if (cpus >= 0 && threads > 0 &&
		    (isnan(r->cpus) || cpus / threads < r->cpus / r->threads)) {
			r->cpus = cpus;
			r->threads = threads;
			r->cbench = f->sh->bench;
		}
		if (ref > 0 && (isnan(r->ref) || ref < r->ref))
			r->ref = ref;
	}
	free(pr);
	/* rc is sorted by run first: add the runs of counters, then one sort */
	for (size_t i = 0; i < nrc;) {
		const char *run = rc[i].first->run;
		size_t j = i;
		while (j < nrc && rc[j].first->run == run)
			j++;
		runs[nruns++] = (runinfo){ .run = run, .first = rc[i].first, .cpus = NAN, .threads = NAN,
					   .ref = NAN, .best = NAN, .median = NAN, .counters = 1,
					   .reps = j - i };
		i = j;
	}
	qsort(runs, nruns, sizeof *runs, by_run_ptr);
	size_t nu = 0;
	for (size_t i = 0; i < nruns; i++) {   /* merge a run's two records */
		if (nu && runs[nu - 1].run == runs[i].run) {
			runinfo *u = &runs[nu - 1], *v = &runs[i];
			if (v->counters) {
				u->counters = 1;
				u->reps = v->reps;
			} else {
				v->counters = u->counters;
				v->reps = u->reps;
				*u = *v;
			}
			continue;
		}
		runs[nu++] = runs[i];
	}
	nruns = nu;
	run_canaries(runs, nruns, rc, nrc);

	items it = { 0 };
	judge_reps(m, rc, nrc, runs, nruns, &it, keep);
	judge_run_canary(m, runs, nruns, &it, keep);
	judge_data(m, runs, nruns, &it, keep);
	exclude(m, &it, rc, nrc, runs, nruns, keep);
	if (it.n)
		qsort(it.v, it.n, sizeof *it.v, by_item);
	m->disturbed = it.v;
	m->ndisturbed = it.n;

	m->runprobes = xmalloc((nruns ? nruns : 1) * sizeof *m->runprobes);
	m->nrunprobes = nruns;
	for (size_t i = 0; i < nruns; i++) {
		const runinfo *r = &runs[i];
		m->runprobes[i] = (hvb_runprobe){ .file = r->first->sh->file, .run = r->run,
			.env_idx = r->first->sh->env_idx, .capacity_cpus = r->cpus,
			.capacity_threads = r->threads, .capacity_bench = r->cbench,
			.canary_ref_ns = r->ref, .canary_best_ns = r->best,
			.canary_median_ns = r->median, .reps = r->reps };
	}
	if (nruns)
		qsort(m->runprobes, nruns, sizeof *m->runprobes, by_probe);
	free(runs);
	free(rc);
}

void az_disturb_rounds(hvb_model *m)
{
	for (size_t i = 0; i < m->ndisturbed; i++) {
		hvb_disturbed *d = &m->disturbed[i];
		const hvb_planrun *p = az_planrun_of(m, d->run);
		if (p) {
			d->plan = p->plan;
			d->round = p->round;
		}
	}
}

void az_disturb_warnings(hvb_model *m)
{
	for (size_t i = 0; i < m->nrunprobes; i++) {
		const hvb_runprobe *p = &m->runprobes[i];
		if (!(p->capacity_threads >= 2 && p->capacity_cpus < CAPACITY_FRAC * p->capacity_threads))
			continue;
		const char *env = m->envs[p->env_idx].name;
		az_add_warning(m, "capacity", env,
			xasprintf("%s: run %s (file %s): the capacity probe saw %.2f CPUs' worth of "
				  "throughput of %g: the machine was missing CPUs; all-CPU figures of "
				  "this run are not the environment's", env, p->run, p->file,
				  p->capacity_cpus, p->capacity_threads),
			xasprintf("%s: capacity_cpus %.4g, capacity_threads %g (below %.0f%% of them)",
				  p->capacity_bench ? p->capacity_bench : "?", p->capacity_cpus,
				  p->capacity_threads, CAPACITY_FRAC * 100));
		m->warnings[m->nwarnings - 1].touches_score = 1;
	}
}

/* A label as one TSV field: control characters (tab, line ends) as '?'. */
static void tsv_field(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, f);
}

int az_write_disturbed_tsv(const hvb_model *m, FILE *f)
{
	for (size_t i = 0; i < m->ndisturbed; i++) {
		const hvb_disturbed *d = &m->disturbed[i];
		tsv_field(f, d->file);
		fputc('\t', f);
		tsv_field(f, d->run);
		fputc('\t', f);
		if (isfinite(d->round))
			fprintf(f, "%g", d->round);
		fputc('\t', f);
		tsv_field(f, d->env);
		fputc('\t', f);
		if (d->bench) {
			tsv_field(f, d->bench);
			fputc('/', f);
			tsv_field(f, d->params);
			fprintf(f, "/%d", d->rep);
		} else {
			tsv_field(f, d->category ? d->category : "*");
		}
		fprintf(f, "\t%s\t%.4g\t%s\n", d->rule, d->amount, d->kept ? "kept" : "left-out");
	}
	return ferror(f) ? -1 : 0;
}
