/*
 * paired.c - comparisons paired by round, for campaigns run by collect/plan
 * (docs/analyzer.md, "Paired comparisons").
 *
 * A plan measures every environment once per round, in a new random order
 * each round, and tags each run with the info rows bench `hvbench`, metric
 * `plan` (note: the plan id) and metric `round` (value).  Where a series and
 * the baseline's series of the same metric both have samples from runs of
 * the same (plan, round), the comparison is paired: per round the ratio of
 * the two medians (oriented as the unpaired ratio: > 1 is better than the
 * baseline), then the geometric mean of those ratios and a 95% CI from
 * their spread, exp(mean ln r +- t(0.975, k - 1) sd(ln r) / sqrt k).  A
 * drift of the machine that is shared by all environments of a round
 * cancels in each round's ratio; what is left is the environments' own
 * difference and the within-round noise.  Fewer than two common rounds:
 * the series stays compared as independent samples (compare.c).
 *
 * The drift warning looks at the baseline itself: per plan and series,
 * the per-round medians against the round's position (1..k by the round
 * label's order, so labels may be sparse), least-squares slope of their
 * logarithm; one warning per plan names the largest significant trend.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include "analyze.h"
#include "internal.h"

#define DRIFT_MIN_ROUNDS 3
#define DRIFT_WARN_PCT 3.0     /* first to last round, by the fitted trend */
#define DRIFT_P 0.05

/* One (plan, round) cell of a series: the median of its samples there. */
typedef struct cell {
	const char *plan;
	double round;
	double median;
} cell;

typedef struct obs {
	const char *plan;
	double round, v;
} obs;

static int by_key_value(const void *a, const void *b)
{
	const obs *x = a, *y = b;
	int c = strcmp(x->plan, y->plan);
	if (c)
		return c;
	if (x->round != y->round)
		return x->round < y->round ? -1 : 1;
	return (x->v > y->v) - (x->v < y->v);
}

/* The series' samples by (plan, round), each cell's median; sorted by plan
 * then round.  Samples from runs of no plan, and outliers left out under
 * --drop-outliers, are not used.  Returns the cell count. */
static size_t cells_of(const hvb_model *m, const hvb_series *s, cell **out)
{
	obs *o = xmalloc((s->n_samples ? s->n_samples : 1) * sizeof *o);
	size_t n = 0;
	for (size_t i = 0; i < s->n_samples; i++) {
		if (m->dropped_outliers && s->outlier[i])
			continue;
		const hvb_planrun *p = az_planrun_of(m, az_sample_row(m, s, i)->run);
		if (p && isfinite(s->samples[i]))
			o[n++] = (obs){ p->plan, p->round, s->samples[i] };
	}
	qsort(o, n, sizeof *o, by_key_value);
	cell *c = xmalloc((n ? n : 1) * sizeof *c);
	size_t nc = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && strcmp(o[j].plan, o[i].plan) == 0 && o[j].round == o[i].round)
			j++;
		size_t k = j - i;   /* sorted by value within the cell */
		double med = k % 2 ? o[i + k / 2].v : (o[i + k / 2 - 1].v + o[i + k / 2].v) / 2;
		c[nc++] = (cell){ o[i].plan, o[i].round, med };
		i = j;
	}
	free(o);
	*out = c;
	return nc;
}

static int cell_cmp(const cell *a, const cell *b)
{
	int c = strcmp(a->plan, b->plan);
	if (c)
		return c;
	return a->round < b->round ? -1 : a->round > b->round;
}

void az_paired_compare(hvb_model *m, hvb_series *s, const hvb_series *b)
{
	hvb_cmp *c = &s->cmp;
	c->paired_rounds = c->paired_plans = 0;
	c->paired_plan = NULL;
	c->p_paired = c->unpaired_ratio = c->unpaired_lo = c->unpaired_hi = NAN;
	if (!c->valid)
		return;
	if (!m->nplanruns)
		return;
	cell *cs, *cb;
	size_t ns = cells_of(m, s, &cs), nb = cells_of(m, b, &cb);
	double *l = xmalloc((ns ? ns : 1) * sizeof *l);
	size_t k = 0, plans = 0;
	const char *plan = NULL, *last = NULL;
	for (size_t i = 0, j = 0; i < ns && j < nb;) {
		int d = cell_cmp(&cs[i], &cb[j]);
		if (d < 0) {
			i++;
			continue;
		}
		if (d > 0) {
			j++;
			continue;
		}
		double num = s->better > 0 ? cs[i].median : cb[j].median;
		double den = s->better > 0 ? cb[j].median : cs[i].median;
		if (num > 0 && den > 0 && isfinite(num / den) && num / den > 0) {
			l[k++] = log(num / den);
			if (!last || strcmp(last, cs[i].plan) != 0) {
				plans++;
				last = cs[i].plan;
				if (!plan)
					plan = last;
			}
		}
		i++;
		j++;
	}
	free(cs);
	free(cb);
	if (k < 2) {
		free(l);
		return;
	}
	double mean = 0, ss = 0;
	for (size_t i = 0; i < k; i++)
		mean += l[i];
	mean /= (double)k;
	for (size_t i = 0; i < k; i++)
		ss += (l[i] - mean) * (l[i] - mean);
	free(l);
	double sd = sqrt(ss / (double)(k - 1));
	double t = gsl_cdf_tdist_Pinv(0.975, (double)(k - 1));
	double half = t * sd / sqrt((double)k);
	double ratio = exp(mean), lo = exp(mean - half), hi = exp(mean + half);
	if (!isfinite(ratio) || !(ratio > 0) || !isfinite(lo) || !isfinite(hi))
		return;
	c->unpaired_ratio = c->ratio;
	c->unpaired_lo = c->ratio_lo;
	c->unpaired_hi = c->ratio_hi;
	c->ratio = ratio;
	c->ratio_lo = lo;
	c->ratio_hi = hi;
	c->overhead_pct = (1 / ratio - 1) * 100;
	c->no_ci = 0;
	if (sd > 0) {
		double tt = mean / (sd / sqrt((double)k));
		c->p_paired = 2 * gsl_cdf_tdist_Q(fabs(tt), (double)(k - 1));
	} else {
		c->p_paired = mean == 0 ? 1 : 0;
	}
	c->paired_rounds = k;
	c->paired_plans = plans;
	c->paired_plan = plan;
}

/* Drift of the baseline across the rounds of each plan: one warning per
 * plan, naming the series whose fitted trend changed most (significant at
 * DRIFT_P, above DRIFT_WARN_PCT from the first round to the last). */
typedef struct plan_at { const char *plan; size_t first; } plan_at;

static int plan_by_name(const void *a, const void *b)
{
	const plan_at *x = a, *y = b;
	int c = strcmp(x->plan, y->plan);
	return c ? c : (x->first > y->first) - (x->first < y->first);
}

static int plan_by_first(const void *a, const void *b)
{
	const plan_at *x = a, *y = b;
	return (x->first > y->first) - (x->first < y->first);
}

/* What one plan's drift warning needs, gathered over the baseline's series. */
typedef struct drift {
	const hvb_series *worst;
	double pct, slope, p;
	size_t nsig, nfit, k;
	char *meds;
} drift;

void az_paired_warnings(hvb_model *m)
{
	if (!m->nplanruns || !m->baseline)
		return;
	/* The plans, in planruns' order of first appearance: sorted by name,
	 * one of each, back in that order; and by name to look them up. */
	plan_at *pa = xmalloc(m->nplanruns * sizeof *pa);
	for (size_t i = 0; i < m->nplanruns; i++)
		pa[i] = (plan_at){ m->planruns[i].plan, i };
	qsort(pa, m->nplanruns, sizeof *pa, plan_by_name);
	size_t np = 0;
	for (size_t i = 0; i < m->nplanruns; i++)
		if (!np || strcmp(pa[np - 1].plan, pa[i].plan) != 0)
			pa[np++] = pa[i];
	qsort(pa, np, sizeof *pa, plan_by_first);
	plan_at *named = xmalloc((np ? np : 1) * sizeof *named);
	for (size_t p = 0; p < np; p++)
		named[p] = (plan_at){ pa[p].plan, p };   /* .first: the plan's position */
	qsort(named, np, sizeof *named, plan_by_name);
	drift *d = xcalloc(np ? np : 1, sizeof *d);
	for (size_t si = 0; si < m->nseries; si++) {
		const hvb_series *s = &m->series[si];
		if (s->env != m->baseline)
			continue;
		cell *c;
		size_t nc = cells_of(m, s, &c);
		double *y = xmalloc((nc ? nc : 1) * sizeof *y);
		/* the cells are sorted by plan, then round: one plan at a time */
		for (size_t a = 0, z; a < nc; a = z) {
			for (z = a; z < nc && strcmp(c[z].plan, c[a].plan) == 0; z++)
				;
			size_t lo = 0, hi = np;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (strcmp(named[mid].plan, c[a].plan) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo == np || strcmp(named[lo].plan, c[a].plan) != 0)
				continue;
			drift *dp = &d[named[lo].first];
			size_t k = 0;
			for (size_t i = a; i < z; i++)
				if (c[i].median > 0)
					y[k++] = log(c[i].median);
			if (k < DRIFT_MIN_ROUNDS)
				continue;
			/* Least squares of ln(median) on x = 1..k (rounds in label order). */
			double xm = (k + 1) / 2.0, ym = 0, sxx = 0, sxy = 0, sse = 0;
			for (size_t i = 0; i < k; i++)
				ym += y[i];
			ym /= (double)k;
			for (size_t i = 0; i < k; i++) {
				sxx += (i + 1 - xm) * (i + 1 - xm);
				sxy += (i + 1 - xm) * (y[i] - ym);
			}
			double slope = sxy / sxx;
			for (size_t i = 0; i < k; i++) {
				double e = y[i] - ym - slope * (i + 1 - xm);
				sse += e * e;
			}
			double se = sqrt(sse / (double)(k - 2) / sxx);
			double pv = se > 0 ? 2 * gsl_cdf_tdist_Q(fabs(slope / se), (double)(k - 2))
					   : (slope != 0 ? 0 : 1);
			/* Oriented: negative is the baseline getting worse. */
			double pct = (exp(slope * (double)(k - 1) * s->better) - 1) * 100;
			dp->nfit++;
			if (pv < DRIFT_P && fabs(pct) >= DRIFT_WARN_PCT) {
				dp->nsig++;
				if (!dp->worst || fabs(pct) > fabs(dp->pct)) {
					dp->worst = s;
					dp->pct = pct;
					dp->slope = slope;
					dp->p = pv;
					dp->k = k;
					free(dp->meds);
					dp->meds = NULL;
					for (size_t i = a; i < z; i++) {
						char *t = xasprintf("%s%s%g:%.6g", dp->meds ? dp->meds : "",
								       dp->meds ? ", " : "", c[i].round, c[i].median);
						free(dp->meds);
						dp->meds = t;
					}
				}
			}
		}
		free(y);
		free(c);
	}
	for (size_t p = 0; p < np; p++) {
		const drift *dp = &d[p];
		const hvb_series *worst = dp->worst;
		if (worst) {
			az_add_warning(m, "drift", m->baseline,
				xasprintf("the baseline %s drifted across the %zu rounds of plan %s: %s %s%s%s "
					     "%s by %.1f%% from the first round to the last (fitted trend; %zu of "
					     "%zu series trend significantly); unpaired ratios mix this drift in, "
					     "the comparisons paired by round cancel it",
					     m->baseline, dp->k, pa[p].plan, worst->bench,
					     *worst->params ? worst->params : "", *worst->params ? " " : "",
					     worst->metric, dp->pct < 0 ? "got worse" : "got better",
					     fabs(dp->pct), dp->nsig, dp->nfit),
				xasprintf("per-round medians (round:median) %s; slope of ln(median) "
					     "%.4g per round, p = %.2g", dp->meds, dp->slope, dp->p));
		}
		free(dp->meds);
	}
	free(d);
	free(named);
	free(pa);
}
