/*
 * score.c - the verdict's numbers: each environment's score per category
 * and overall, their confidence intervals, ranks, and (with several
 * machines) each hypervisor pooled across machines.  docs/analyzer.md,
 * "How the score is made", is the reader's version of this header.
 *
 * What is counted: the headline metrics of the scoring profile (profile.c),
 * each series as the ratio of its mean to the mean of the same series of
 * the baseline of its own machine (oriented: > 1 is better), only when both
 * sides have at least 2 samples and no exclusion applies to the env.
 *   category score = exp( sum w_i ln r_i / sum w_i )   (profile weights)
 *   overall        = exp( sum W_c ln S_c / sum W_c )   (category weights)
 * over the categories in which its baseline has headline series.  A score
 * that lacks a metric (a category) its baseline has is "incomplete": shown,
 * never ranked.
 *
 * CI: a hierarchical bootstrap over runs (bootstrap() below): each
 * replicate draws the top-level units -- a plan's rounds, else the runs --
 * with replacement, shared by every stream with the same units (paired by
 * round; categories move together), recomputes every counted series from
 * the units' centres, and its deviation from the point estimate is
 * expanded for few units (az_boot_expand).  2,000 resamples by default;
 * the 2.5 and 97.5 percentiles of the replicate scores are the 95% CI.
 * tests/e2e/analyze_coverage.sh shows the coverage by simulation.
 *
 * Rank: among complete scores, 1 + the number of scores clearly better
 * (interval wholly above, and beyond the noise floor): rank_scores().
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>
#include "analyze.h"
#include "internal.h"

/* Work bound: resamples x (samples + units) of the scored streams. */
#define BOOT_WORK_MAX 4e8
#define BOOT_MEM_MAX  (512.0 * 1024 * 1024)

/* One sample's resampling unit: (run, rep); for a run of a collect/plan
 * campaign (plan, round, rep), so an environment and its baseline, which
 * share the plan's rounds, draw the same units: a paired resample. */
typedef struct unit_ref { const char *key; double round; int rep; size_t series, sample; int plan; } unit_ref;

static int cmp_unit(const void *a, const void *b)
{
	const unit_ref *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	if (x->round != y->round)
		return x->round < y->round ? -1 : 1;
	if (x->rep != y->rep)
		return x->rep < y->rep ? -1 : 1;
	if (x->series != y->series)
		return x->series < y->series ? -1 : 1;
	return (x->sample > y->sample) - (x->sample < y->sample);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++) {
		h ^= c[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Mark which series count, and why the others do not. */
static void mark(hvb_model *m)
{
	for (size_t gi = 0; gi < m->ngroups; gi++) {
		hvb_metric_group *g = &m->groups[gi];
		for (size_t i = 0; i < g->n; i++) {
			hvb_series *s = &m->series[g->series[i]];
			s->scored = 0;
			if (g->role == HVB_DIAGNOSTIC) {
				s->unscored_why = "diagnostic";
				continue;
			}
			if (g->role != HVB_HEADLINE) {
				s->unscored_why = "not in the scoring profile";
				continue;
			}
			if (!(g->weight > 0)) {
				s->unscored_why = "weight 0 in the scoring profile";
				continue;
			}
			const hvb_env *e = &m->envs[s->env_idx];
			const hvb_profile_line *x = az_profile_exclusion(m, s);
			if (x) {
				s->unscored_why = x->reason;
				continue;
			}
			if (e->base_idx == (size_t)-1) {
				s->unscored_why = "no baseline on its machine";
				continue;
			}
			if (s->st.n < 2) {
				s->unscored_why = "fewer than 2 samples: no confidence interval";
				continue;
			}
			if (e->base_idx == s->env_idx) {
				s->scored = 1;   /* the baseline's own: the reference */
				s->unscored_why = NULL;
				continue;
			}
			size_t bs = s->base_series;
			if (bs == (size_t)-1) {
				s->unscored_why = "its baseline has no such series";
				continue;
			}
			if (m->series[bs].st.n < 2) {
				s->unscored_why = "its baseline has fewer than 2 samples";
				continue;
			}
			if (!s->cmp.valid) {
				s->unscored_why = "no ratio (a mean is zero, negative or not finite)";
				continue;
			}
			s->scored = 1;
			s->unscored_why = NULL;
		}
	}
	/* A ratio needs its baseline's series counted too (an exclusion may
	 * apply to the baseline's environment and not to this one). */
	for (size_t i = 0; i < m->nseries; i++) {
		hvb_series *s = &m->series[i];
		if (s->scored && m->envs[s->env_idx].base_idx != s->env_idx &&
		    !m->series[s->base_series].scored) {
			s->scored = 0;
			s->unscored_why = "its baseline's series is not scored there (excluded)";
		}
	}
}

/* The bootstrap's state.  Memory is bounded by what the scores need: the
 * replicate means of the baselines' counted series (rep), and per
 * (environment, category) the weighted sum of replicate log ratios (rsum);
 * an environment's own replicate means are folded into rsum as they are
 * drawn, never stored. */
typedef struct boot {
	size_t B, ncat;
	size_t *slot;           /* series -> row of rep (baselines' series), or -1 */
	double *rep;            /* [slot][B] */
	double *rsum;           /* [env * ncat + cat][B] */
	size_t *cat;            /* series -> category index */
	double *w;              /* series -> profile weight */
	double *c0;             /* series -> its centre over the full sample */
	size_t min_top;         /* fewest top-level units (rounds, runs) of a stream */
	size_t flat_streams;    /* streams with one run: repetitions resampled */
	size_t *cat_top;        /* [env * ncat + cat]: fewest rounds of a stream in it */
} boot;

/* Stream order: baselines' streams first (their replicate means are what
 * the others divide by), then by env, bench; one stream is a run of equal
 * (env, bench). */
typedef struct ob { int notbase; size_t env; const char *bench; size_t idx; } ob;

static int cmp_ob(const void *a, const void *b)
{
	const ob *x = a, *y = b;
	if (x->notbase != y->notbase)
		return x->notbase - y->notbase;
	if (x->env != y->env)
		return x->env < y->env ? -1 : 1;
	int c = strcmp(x->bench, y->bench);
	if (c)
		return c;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* The resampling unit of a sample (see unit_ref). */
static unit_ref unit_of_row(const hvb_model *m, const az_row *row, size_t series, size_t sample)
{
	const hvb_planrun *p = az_planrun_of(m, row->run);
	if (p && p->plan && isfinite(p->round))
		return (unit_ref){ p->plan, p->round, row->rep, series, sample, 1 };
	return (unit_ref){ row->run ? row->run : "", 0, row->rep, series, sample, 0 };
}

/* A top-level unit of one stream: a run of equal (key, round) in u[],
 * u[i0..i1). */
typedef struct top_unit { size_t i0, i1; } top_unit;

static int cmp_local_value(const void *a, const void *b)
{
	const double *x = a, *y = b;   /* pairs (local index, value) */
	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return (x[1] > y[1]) - (x[1] < y[1]);
}

/* Per series of a stream (ns of them), its centre in each top unit t:
 * the median of its samples there for a plan's round (the statistic the
 * paired comparison uses, paired.c), the mean for a run outside a plan;
 * NAN where it has none.  cen is [t * ns + local]. */
static void unit_centres(const hvb_model *m, const unit_ref *u, const size_t *local,
			 const top_unit *top, size_t nt, size_t ns, double *cen, double *pairs)
{
	for (size_t t = 0; t < nt; t++) {
		size_t n = top[t].i1 - top[t].i0;
		for (size_t k = 0; k < ns; k++)
			cen[t * ns + k] = NAN;
		for (size_t i = 0; i < n; i++) {
			const unit_ref *x = &u[top[t].i0 + i];
			pairs[2 * i] = (double)local[top[t].i0 + i];
			pairs[2 * i + 1] = m->series[x->series].samples[x->sample];
		}
		qsort(pairs, n, 2 * sizeof *pairs, cmp_local_value);
		int plan = u[top[t].i0].plan;
		for (size_t i = 0; i < n;) {
			size_t j = i;
			double sum = 0;
			while (j < n && pairs[2 * j] == pairs[2 * i])
				sum += pairs[2 * j++ + 1];
			size_t c = j - i, mid = i + c / 2;
			cen[t * ns + (size_t)pairs[2 * i]] = !plan ? sum / (double)c
				: c % 2 ? pairs[2 * mid + 1] : (pairs[2 * mid - 1] + pairs[2 * mid + 1]) / 2;
			i = j;
		}
	}
}

/* The full-sample centre of each of the ns series of a stream (o[0..ns)):
 * the mean of its units' centres cen[t * ns + k], every unit once. */
static void full_centres(boot *z, const ob *o, size_t ns, const double *cen, size_t nt)
{
	for (size_t k = 0; k < ns; k++) {
		double sm = 0, c = 0;
		for (size_t t = 0; t < nt; t++)
			if (isfinite(cen[t * ns + k])) {
				sm += cen[t * ns + k];
				c++;
			}
		z->c0[o[k].idx] = c > 0 ? sm / c : NAN;
	}
}

/* Replicate rb of the stream o[a..b): each series' mean from the units
 * drawn (sum / cnt; none drawn: its full-sample centre) -- a baseline's
 * kept in z->rep, an env's added to its category's replicate log ratio. */
static void record_replicate(const hvb_model *m, boot *z, const ob *o, size_t a, size_t b,
			     size_t rb, const double *sum, const double *cnt, double expand)
{
	size_t B = z->B;
	for (size_t k = a; k < b; k++) {
		size_t si = o[k].idx;
		const hvb_series *s = &m->series[si];
		double mean = cnt[k - a] > 0 ? sum[k - a] / cnt[k - a] : z->c0[si];
		if (z->slot[si] != (size_t)-1) {
			z->rep[z->slot[si] * B + rb] = mean;
			continue;
		}
		/* an env's series: its replicate log ratio, as a deviation
		 * from the full-sample ratio, expanded for few units, around
		 * the comparison's own (paired or not) ratio */
		size_t bs = s->base_series;
		double y = z->rep[z->slot[bs] * B + rb];
		double q = s->better > 0 ? mean / y : y / mean;
		double q0 = s->better > 0 ? z->c0[si] / z->c0[bs] : z->c0[bs] / z->c0[si];
		double d = q > 0 && isfinite(q) && q0 > 0 && isfinite(q0) ? log(q) - log(q0) : 0;
		z->rsum[(s->env_idx * z->ncat + z->cat[si]) * B + rb] +=
			z->w[si] * (log(s->cmp.ratio) + expand * d);
	}
}

/*
 * The replicates, resampled as the data varies (Kalibera and Jones,
 * "Rigorous benchmarking in reasonable time", ISMM 2013: a hierarchical
 * bootstrap).  A disturbance of the machine lasts seconds to minutes, so
 * the repetitions of one run share it: the unit that varies is the run.
 * Per stream (env, bench), each replicate draws its top-level units --
 * (plan, round) for runs of a plan, else the run -- with replacement, and
 * each series' replicate is the mean of the drawn units' centres
 * (unit_centres: a round's median, a run's mean); repetitions inside a unit
 * are not redrawn, since the unit's centre already carries their noise
 * (redrawing them too widened the within-dominated intervals to 99 %
 * coverage in the simulation).  The draw is seeded by --seed and the
 * stream's set of top-level keys alone, so every stream with the same
 * rounds (an environment and its baseline, and all benchmarks of one
 * campaign) draws the same rounds in every replicate.  A stream with a
 * single top-level unit (one run per environment, not a plan) has no
 * between-run variation to resample: its repetitions (run, rep) are the
 * units, drawn from a generator seeded by the stream's own keys, and the
 * interval says nothing of run-to-run variation (explain() says so).
 * Each env series' replicate deviation is expanded by az_boot_expand(k).
 */
static void bootstrap(hvb_model *m, boot *z, unsigned long seed)
{
	size_t B = z->B, no = 0, nref = 0;
	for (size_t i = 0; i < m->nseries; i++)
		if (m->series[i].scored) {
			no++;
			nref += m->series[i].n_samples;
		}
	ob *o = xmalloc((no ? no : 1) * sizeof *o);
	no = 0;
	for (size_t i = 0; i < m->nseries; i++)
		if (m->series[i].scored) {
			size_t e = m->series[i].env_idx;
			o[no++] = (ob){ m->envs[e].base_idx != e, e, m->series[i].bench, i };
		}
	qsort(o, no, sizeof *o, cmp_ob);
	size_t nr1 = nref ? nref : 1;
	unit_ref *u = xmalloc(nr1 * sizeof *u);
	size_t *unit_of = xmalloc(nr1 * sizeof *unit_of);
	size_t *local = xmalloc(nr1 * sizeof *local);
	unsigned *count = xmalloc(nr1 * sizeof *count);
	unsigned *tcount = xmalloc(nr1 * sizeof *tcount);
	top_unit *top = xmalloc(nr1 * sizeof *top);
	double *pairs = xmalloc(2 * nr1 * sizeof *pairs);
	size_t *pos = xmalloc((m->nseries ? m->nseries : 1) * sizeof *pos);
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937), *rt = gsl_rng_alloc(gsl_rng_mt19937);
	if (!r || !rt) {
		az_err("out of memory (GSL random number generator)");
		exit(AZ_EXIT_NOMEM);
	}
	z->min_top = (size_t)-1;
	for (size_t a = 0; a < no;) {
		size_t b = a;
		while (b < no && o[b].env == o[a].env && strcmp(o[b].bench, o[a].bench) == 0)
			b++;
		size_t n = 0;
		for (size_t k = a; k < b; k++) {
			const hvb_series *s = &m->series[o[k].idx];
			pos[o[k].idx] = k - a;
			for (size_t i = 0; i < s->n_samples; i++) {
				if (m->dropped_outliers && s->outlier[i])
					continue;
				const az_row *row = az_sample_row(m, s, i);
				u[n++] = unit_of_row(m, row, o[k].idx, i);
			}
		}
		qsort(u, n, sizeof *u, cmp_unit);
		/* repetitions (nu) and top-level units (nt); ht hashes the top keys
		 * only (the rounds' draw), h the bench and repetitions too (the
		 * repetitions' draw of a single-run stream) */
		size_t nu = 0, nt = 0;
		uint64_t ht = fnv(0xcbf29ce484222325ULL, &seed, sizeof seed);
		uint64_t h = fnv(ht, o[a].bench, strlen(o[a].bench) + 1);
		for (size_t i = 0; i < n; i++) {
			int newtop = i == 0 || strcmp(u[i].key, u[i - 1].key) != 0 || u[i].round != u[i - 1].round;
			if (newtop) {
				if (nt)
					top[nt - 1].i1 = i;
				top[nt++] = (top_unit){ i, n };
				ht = fnv(ht, u[i].key, strlen(u[i].key) + 1);
				ht = fnv(ht, &u[i].round, sizeof u[i].round);
			}
			if (newtop || u[i].rep != u[i - 1].rep) {
				nu++;
				h = fnv(h, u[i].key, strlen(u[i].key) + 1);
				h = fnv(h, &u[i].round, sizeof u[i].round);
				h = fnv(h, &u[i].rep, sizeof u[i].rep);
			}
			unit_of[i] = nu - 1;
			local[i] = pos[u[i].series];
		}
		int hier = nt >= 2;
		double expand = hier ? az_boot_expand(nt) : 1;
		if (nt && (hier || z->min_top == (size_t)-1) && nt < z->min_top)
			z->min_top = nt;
		if (!hier)
			z->flat_streams++;
		else
			for (size_t k = a; k < b; k++) {
				size_t *ct = &z->cat_top[o[k].env * z->ncat + z->cat[o[k].idx]];
				if (nt < *ct)
					*ct = nt;
			}
		gsl_rng_set(r, (unsigned long)(h ^ (h >> 32)));
		gsl_rng_set(rt, (unsigned long)(ht ^ (ht >> 32)));
		size_t ns = b - a;
		double *sum = xmalloc(ns * sizeof *sum), *cnt = xmalloc(ns * sizeof *cnt);
		double *cen = hier ? xmalloc(nt * ns * sizeof *cen) : NULL;
		if (hier) {
			unit_centres(m, u, local, top, nt, ns, cen, pairs);
			full_centres(z, o + a, ns, cen, nt);
		} else {
			for (size_t k = a; k < b; k++)
				z->c0[o[k].idx] = m->series[o[k].idx].st.mean;
		}
		for (size_t rb = 0; rb < B; rb++) {
			if (hier) {
				/* the rounds drawn; each unit's centre counts as often */
				memset(tcount, 0, nt * sizeof *tcount);
				for (size_t k = 0; k < nt; k++)
					tcount[gsl_rng_uniform_int(rt, nt)]++;
				memset(sum, 0, ns * sizeof *sum);
				memset(cnt, 0, ns * sizeof *cnt);
				for (size_t t = 0; t < nt; t++)
					if (tcount[t])
						for (size_t k = 0; k < ns; k++)
							if (isfinite(cen[t * ns + k])) {
								sum[k] += tcount[t] * cen[t * ns + k];
								cnt[k] += tcount[t];
							}
			} else {
				memset(count, 0, nu * sizeof *count);
				for (size_t k = 0; k < nu; k++)
					count[gsl_rng_uniform_int(r, nu)]++;
				memset(sum, 0, ns * sizeof *sum);
				memset(cnt, 0, ns * sizeof *cnt);
				for (size_t i = 0; i < n; i++) {
					unsigned c = count[unit_of[i]];
					if (c) {
						sum[local[i]] += c * m->series[u[i].series].samples[u[i].sample];
						cnt[local[i]] += c;
					}
				}
			}
			record_replicate(m, z, o, a, b, rb, sum, cnt, expand);
		}
		free(sum);
		free(cnt);
		free(cen);
		a = b;
	}
	gsl_rng_free(r);
	gsl_rng_free(rt);
	free(pos);
	free(top);
	free(pairs);
	free(tcount);
	free(count);
	free(local);
	free(unit_of);
	free(u);
	free(o);
}

static hvb_score *score_add(hvb_model *m, size_t *cap)
{
	if (m->nscores == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		m->scores = xrealloc(m->scores, *cap * sizeof *m->scores);
	}
	hvb_score *s = &m->scores[m->nscores++];
	memset(s, 0, sizeof *s);
	s->geomean = s->lo = s->hi = s->noise_floor = NAN;
	return s;
}

static int by_rank(const void *a, const void *b, void *ctx)
{
	const hvb_model *m = ctx;
	const hvb_score *x = a, *y = b;
	if ((x->rank == 0) != (y->rank == 0))
		return x->rank == 0 ? 1 : -1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->geomean != y->geomean && !isnan(x->geomean) && !isnan(y->geomean))
		return x->geomean > y->geomean ? -1 : 1;
	return strcmp(m->envs[x->env_idx].name, m->envs[y->env_idx].name);
}

/* Ranks of the complete scores idx[0..n-1] of one category, from the
 * intervals shown beside them (the bootstrap 95% CI of each score against
 * its baseline; a baseline is the point 1): rank = 1 + the number of
 * scores clearly better -- whose interval lies wholly above this one's and
 * whose score is more than the noise floor above it (compare.c,
 * az_rank_intervals: a partial order, so ranks never chain).  rank_tied:
 * another score of the category has the same rank.  (Until this version:
 * tie blocks walked from each block's leader by the bootstrap interval of
 * ln(leader / it), which chained: 1= host, 1= namespace, 3= podman with
 * namespace's and podman's intervals nearly the same.) */
static void rank_scores(hvb_model *m, size_t *idx, size_t n, double floor)
{
	if (!n)
		return;
	double lf = isfinite(floor) ? log1p(floor) : 0;
	double *lo = xmalloc(n * sizeof *lo), *hi = xmalloc(n * sizeof *hi), *pt = xmalloc(n * sizeof *pt);
	int *rank = xmalloc(n * sizeof *rank);
	size_t *cnt = xcalloc(n + 2, sizeof *cnt);
	for (size_t i = 0; i < n; i++) {
		const hvb_score *s = &m->scores[idx[i]];
		pt[i] = s->geomean > 0 ? log(s->geomean) : NAN;
		lo[i] = s->lo > 0 ? log(s->lo) : NAN;
		hi[i] = s->hi > 0 ? log(s->hi) : NAN;
	}
	az_rank_intervals(n, lo, hi, pt, lf, rank);
	for (size_t i = 0; i < n; i++)
		cnt[rank[i]]++;
	for (size_t i = 0; i < n; i++) {
		hvb_score *s = &m->scores[idx[i]];
		s->rank = rank[i];
		s->rank_tied = cnt[rank[i]] > 1;
	}
	free(lo); free(hi); free(pt); free(rank); free(cnt);
}

/* Per env and category: the weighted log ratios (point) and their weights,
 * the counted series, and the expected ones (its baseline's counted series
 * of each group, unless an exclusion takes it out for that env). */
static void point_sums(hvb_model *m, const size_t *cat_of, double *wsum, double *lsum,
		       size_t *nmet, size_t *nexp)
{
	size_t ncat = m->ncategories, ne = m->nenvs;
	size_t *of_env = xmalloc((ne ? ne : 1) * sizeof *of_env);
	for (size_t i = 0; i < ne; i++)
		of_env[i] = (size_t)-1;
	for (size_t gi = 0; gi < m->ngroups; gi++) {
		hvb_metric_group *g = &m->groups[gi];
		if (g->role != HVB_HEADLINE || !(g->weight > 0) || !g->n)
			continue;
		size_t c = cat_of[g->series[0]];
		for (size_t i = 0; i < g->n; i++)
			of_env[m->series[g->series[i]].env_idx] = g->series[i];
		/* expected: per env, its baseline's counted series of this group
		 * (unless an exclusion takes it out for that env) */
		for (size_t e = 0; e < ne; e++) {
			size_t be = m->envs[e].base_idx;
			if (be == (size_t)-1 || of_env[be] == (size_t)-1 || !m->series[of_env[be]].scored)
				continue;
			hvb_series probe = m->series[of_env[be]];
			probe.env_idx = e;
			if (az_profile_exclusion(m, &probe))
				continue;
			nexp[e * ncat + c]++;
		}
		for (size_t i = 0; i < g->n; i++) {
			size_t si = g->series[i];
			const hvb_series *s = &m->series[si];
			size_t e = s->env_idx;
			if (!s->scored)
				continue;
			nmet[e * ncat + c]++;
			if (m->envs[e].base_idx == e)
				continue;
			wsum[e * ncat + c] += g->weight;
			lsum[e * ncat + c] += g->weight * log(s->cmp.ratio);
		}
		for (size_t i = 0; i < g->n; i++)
			of_env[m->series[g->series[i]].env_idx] = (size_t)-1;
	}
	free(of_env);
}

/* What the scores of one category are made from (az_score). */
typedef struct score_sums {
	size_t B;
	const double *wsum, *lsum;
	const size_t *nmet, *nexp;
	size_t *cat_score;      /* [env * ncat + cat]: its score, or -1 */
	double *logs, *wk;      /* replicates [score][B]; B doubles of scratch */
	const boot *z;
	size_t *cap;            /* m->scores' capacity */
} score_sums;

/* Env e's score in category c (its baseline's: 1): 1 added, 0 none. */
static int category_score(hvb_model *m, score_sums *S, size_t e, size_t c)
{
	size_t B = S->B, ncat = m->ncategories;
	const double *wsum = S->wsum, *lsum = S->lsum, *rsum = S->z->rsum;
	const size_t *nmet = S->nmet, *nexp = S->nexp;
	size_t *cat_score = S->cat_score;
	double *wk = S->wk;
	const hvb_env *v = &m->envs[e];
	int is_base = v->base_idx == e;
	double *L = S->logs + m->nscores * B;
	cat_score[e * ncat + c] = (size_t)-1;
	size_t k = e * ncat + c;
	if (!nexp[k] && !nmet[k])
		return 0;
	if (!is_base && !(wsum[k] > 0) && !nexp[k])
		return 0;
	hvb_score *s = score_add(m, S->cap);
	s->category = m->categories[c];
	s->env_idx = e;
	s->n_metrics = nmet[k];
	s->n_expected = is_base ? nmet[k] : nexp[k];
	s->complete = s->n_metrics >= s->n_expected && s->n_metrics > 0;
	if (is_base) {
		s->geomean = s->lo = s->hi = 1;
		memset(L, 0, B * sizeof *L);
	} else if (wsum[k] > 0) {
		s->geomean = exp(lsum[k] / wsum[k]);
		for (size_t r = 0; r < B; r++)
			L[r] = rsum[k * B + r] / wsum[k];
		az_pct_ci(L, B, wk, &s->lo, &s->hi);
		/* fewer than AZ_CI_MIN_ROUNDS rounds (its own streams'
		 * or its baseline's): no interval (az_boot_expand) */
		size_t ft = S->z->cat_top[k], fb = S->z->cat_top[v->base_idx * ncat + c];
		if (fb < ft)
			ft = fb;
		if (ft != (size_t)-1 && ft < AZ_CI_MIN_ROUNDS) {
			s->few_rounds = ft;
			s->lo = s->hi = NAN;
		}
	} else {
		memset(L, 0, B * sizeof *L);
		s->complete = 0;
	}
	cat_score[k] = m->nscores - 1;
	return 1;
}

/* Env e's overall score: the categories its baseline has, weighted; 1
 * added, 0 none. */
static int overall_score(hvb_model *m, score_sums *S, size_t e)
{
	size_t B = S->B, ncat = m->ncategories;
	const size_t *nmet = S->nmet, *nexp = S->nexp;
	const size_t *cat_score = S->cat_score;
	const double *logs = S->logs;
	double *wk = S->wk;
	const hvb_env *v = &m->envs[e];
	int is_base = v->base_idx == e;
	double *L = S->logs + m->nscores * B;
	size_t be = v->base_idx;
	double W = 0, l = 0;
	size_t nmetric = 0, ncats = 0, have = 0, nexpect = 0, few = 0;
	int complete = 1;
	memset(wk, 0, B * sizeof *wk);
	double *tmp = xcalloc(B, sizeof *tmp);
	for (size_t j = 0; j < ncat; j++) {
		double cw = m->scoring.cat_weights[j];
		if (!(cw > 0) || !nmet[be * ncat + j])
			continue;
		ncats++;
		size_t si = cat_score[e * ncat + j];
		nexpect += si == (size_t)-1 ? nexp[e * ncat + j] : m->scores[si].n_expected;
		if (si == (size_t)-1 || !isfinite(m->scores[si].geomean)) {
			complete = 0;
			continue;
		}
		have++;
		if (!m->scores[si].complete)
			complete = 0;
		if (m->scores[si].few_rounds && (!few || m->scores[si].few_rounds < few))
			few = m->scores[si].few_rounds;
		W += cw;
		l += cw * log(m->scores[si].geomean);
		nmetric += m->scores[si].n_metrics;
		for (size_t r = 0; r < B; r++)
			tmp[r] += cw * logs[si * B + r];
	}
	if (!ncats || !(W > 0)) {
		free(tmp);
		return 0;
	}
	hvb_score *s = score_add(m, S->cap);
	s->category = "overall";
	s->env_idx = e;
	s->n_metrics = nmetric;
	s->n_expected = nexpect;
	s->complete = complete && have == ncats;
	s->geomean = exp(l / W);
	for (size_t r = 0; r < B; r++)
		L[r] = tmp[r] / W;
	free(tmp);
	if (is_base) {
		s->lo = s->hi = 1;
	} else if (few) {
		s->few_rounds = few;
		s->lo = s->hi = NAN;
	} else {
		az_pct_ci(L, B, wk, &s->lo, &s->hi);
	}
	return 1;
}

int az_score(hvb_model *m, const az_opts *o)
{
	mark(m);
	if (az_aa_pairs(m, o) < 0)
		return -1;
	m->scoring.seed = o->seed;
	size_t ncat = m->ncategories, ne = m->nenvs;
	/* Per series: its category and weight. */
	size_t *cat_of = xmalloc((m->nseries ? m->nseries : 1) * sizeof *cat_of);
	double *w_of = xcalloc(m->nseries ? m->nseries : 1, sizeof *w_of);
	for (size_t gi = 0; gi < m->ngroups; gi++) {
		hvb_metric_group *g = &m->groups[gi];
		size_t c = ncat - 1;
		for (size_t j = 0; j < ncat; j++)
			if (strcmp(m->categories[j], g->category) == 0)
				c = j;
		for (size_t i = 0; i < g->n; i++) {
			size_t si = g->series[i];
			cat_of[si] = c;
			w_of[si] = g->role == HVB_HEADLINE ? g->weight : 0;
		}
	}
	/* Resamples: bounded by the work (resamples x samples drawn) */
	size_t *slot = xmalloc((m->nseries ? m->nseries : 1) * sizeof *slot);
	size_t nslot = 0;
	double work = 0;
	for (size_t i = 0; i < m->nseries; i++) {
		const hvb_series *s = &m->series[i];
		int base = s->scored && m->envs[s->env_idx].base_idx == s->env_idx;
		slot[i] = base ? nslot++ : (size_t)-1;
		if (s->scored)
			work += (double)s->n_samples;
	}
	size_t B = o->resamples ? o->resamples : 2000, want = B;
	double per = (double)(nslot + 2 * ne * (ncat + 1)) * sizeof(double);
	while (B > 200 && ((double)B * work > BOOT_WORK_MAX || (double)B * per > BOOT_MEM_MAX))
		B /= 2;
	if (B < 200 && want >= 200)
		B = 200;
	if (B != want)
		az_note("scores: %zu bootstrap resamples instead of %zu, to bound time and memory "
			"(%.0f scored samples)", B, want, work);
	m->scoring.resamples = B;
	size_t nec = ne * ncat;
	if (!nec)
		nec = 1;
	boot z = { B, ncat, slot, xmalloc((nslot ? nslot : 1) * B * sizeof(double)),
		   xcalloc(nec * B, sizeof(double)), cat_of, w_of,
		   xmalloc((m->nseries ? m->nseries : 1) * sizeof(double)), (size_t)-1, 0,
		   xmalloc(nec * sizeof(size_t)) };
	for (size_t i = 0; i < nec; i++)
		z.cat_top[i] = (size_t)-1;
	if (work > 0)
		bootstrap(m, &z, o->seed);
	m->scoring.boot_min_units = z.min_top == (size_t)-1 ? 0 : z.min_top;
	m->scoring.boot_flat_streams = z.flat_streams;
	double *rsum = z.rsum;
	/* Per env and category: weighted log ratios (point), counts; expected
	 * counts from the baseline's series. */
	double *wsum = xcalloc(nec, sizeof *wsum), *lsum = xcalloc(nec, sizeof *lsum);
	size_t *nmet = xcalloc(nec, sizeof *nmet), *nexp = xcalloc(nec, sizeof *nexp);
	point_sums(m, cat_of, wsum, lsum, nmet, nexp);
	/* Scores: categories in profile order, then overall. */
	size_t cap = 0;
	free(m->scores);
	m->scores = NULL;
	m->nscores = 0;
	size_t maxs = ne * (ncat + 1);
	if (!maxs)
		maxs = 1;
	double *logs = xmalloc(maxs * B * sizeof *logs);
	double *wk = xmalloc(B * sizeof *wk);
	size_t *idx = xmalloc(maxs * sizeof *idx);
	size_t *cat_score = xmalloc(nec * sizeof *cat_score);
	score_sums S = { B, wsum, lsum, nmet, nexp, cat_score, logs, wk, &z, &cap };
	for (size_t c = 0; c <= ncat; c++) {
		int overall = c == ncat;
		if (!overall && !(m->scoring.cat_weights[c] > 0) && strcmp(m->categories[c], "other") == 0)
			continue;
		size_t start = m->nscores, nrank = 0;
		for (size_t e = 0; e < ne; e++) {
			const hvb_env *v = &m->envs[e];
			if (v->base_idx == (size_t)-1)
				continue;
			if (!(overall ? overall_score(m, &S, e) : category_score(m, &S, e, c)))
				continue;
			hvb_score *s = &m->scores[m->nscores - 1];
			s->machine = v->machine;
			if (s->complete && !s->few_rounds)
				idx[nrank++] = m->nscores - 1;
		}
		/* a category where only baselines have scores compares nothing */
		int others = 0;
		for (size_t i = start; i < m->nscores; i++)
			if (m->envs[m->scores[i].env_idx].base_idx != m->scores[i].env_idx)
				others = 1;
		if (!others) {
			m->nscores = start;
			if (!overall)
				for (size_t e = 0; e < ne; e++)
					cat_score[e * ncat + c] = (size_t)-1;
			continue;
		}
		double floor = m->naa ? az_aa_category(m, overall ? "overall" : m->categories[c], start,
						       logs, B, wk) : NAN;
		for (size_t i = start; i < m->nscores; i++) {
			hvb_score *x = &m->scores[i];
			x->noise_floor = floor;
			x->within_floor = isfinite(floor) && m->envs[x->env_idx].base_idx != x->env_idx &&
					  x->geomean > 0 && fabs(log(x->geomean)) <= log1p(floor);
		}
		rank_scores(m, idx, nrank, floor);
	}
	if (m->scoring.nmachines > 1)
		az_pool_groups(m, o, logs, B, wk);
	for (size_t i = 0; i < m->nscores; i++)
		m->scores[i].group = m->envs[m->scores[i].env_idx].group;
	/* Each category's block best first: ranked, then incomplete. */
	for (size_t a = 0; a < m->nscores;) {
		size_t b = a;
		while (b < m->nscores && m->scores[b].category == m->scores[a].category)
			b++;
		qsort_r(m->scores + a, b - a, sizeof *m->scores, by_rank, m);
		a = b;
	}
	az_explain_scores(m);
	free(cat_score);
	free(idx);
	free(wk);
	free(logs);
	free(wsum); free(lsum); free(nmet); free(nexp); free(rsum);
	free(z.rep);
	free(z.c0);
	free(z.cat_top);
	free(slot);
	free(cat_of);
	free(w_of);
	return 0;
}
