/*
 * compare.c - the baseline, each series' comparison with it, the ranking
 * of environments per metric, and the category / overall scores.
 *
 * Baseline: --baseline ENV; else the environment whose rows say virt=none
 * and container=none (a host named "host"/"native" first if several, else
 * the first by name); else one named "host" or "native"; else none, and
 * only absolute figures are compared.
 *
 * Ratio: oriented so > 1 is better than the baseline (env/base when higher
 * is better, base/env when lower is); 95% CI by Fieller's theorem.
 *
 * Rank, per metric: environments ordered by mean in the `better`
 * direction.  All pairwise Welch p-values of the metric are Holm-adjusted;
 * walking down the order, an environment shares the rank of the first
 * environment of the current tie block while the adjusted p to that leader
 * is >= 0.05, else it opens a new block (competition ranking 1,1,3).  A pair
 * that cannot be tested (n < 2) is ordered by mean alone.
 *
 * Score: geometric mean of the ratios of the metrics of a category (and of
 * all metrics, "overall"), CI from the per-metric Fieller CIs taken as
 * normal on the log scale: se_i = (ln hi - ln lo) / (2 * 1.96).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "internal.h"

#define Z975 1.959963984540054

double *az_used_samples(const hvb_model *m, const hvb_series *s, size_t *n)
{
	double *v = az_xmalloc((s->n_samples ? s->n_samples : 1) * sizeof *v);
	size_t k = 0;
	for (size_t i = 0; i < s->n_samples; i++)
		if (!(m->dropped_outliers && s->outlier[i]))
			v[k++] = s->samples[i];
	*n = k;
	return v;
}

static int choose_baseline(hvb_model *m, const az_opts *o)
{
	m->baseline = NULL;
	m->baseline_why = "no environment with virt=none and container=none, none named "
			  "host or native: absolute comparison only";
	if (o->baseline) {
		size_t i = az_env_index(m, o->baseline);
		if (i == (size_t)-1) {
			az_err("--baseline %s: no such environment in the data (%zu found)",
			       o->baseline, m->nenvs);
			return -1;
		}
		m->baseline = m->envs[i].name;
		m->baseline_why = "--baseline";
		m->envs[i].is_baseline = 1;
		return 0;
	}
	size_t pick = (size_t)-1, nbare = 0;
	for (size_t i = 0; i < m->nenvs; i++) {
		hvb_env *e = &m->envs[i];
		if (e->virt && e->container && strcmp(e->virt, "none") == 0 &&
		    strcmp(e->container, "none") == 0) {
			nbare++;
			int named = strcmp(e->name, "host") == 0 || strcmp(e->name, "native") == 0;
			if (pick == (size_t)-1 || named)
				pick = i;
		}
	}
	if (pick != (size_t)-1) {
		m->baseline_why = nbare > 1
			? "virt=none and container=none (several such environments: the one named "
			  "host/native, else the first by name; use --baseline to choose)"
			: "virt=none and container=none";
	} else {
		for (size_t i = 0; i < m->nenvs; i++)
			if (strcmp(m->envs[i].name, "host") == 0 || strcmp(m->envs[i].name, "native") == 0) {
				pick = i;
				m->baseline_why = "named host/native (no environment says virt=none and container=none)";
				break;
			}
	}
	if (pick != (size_t)-1) {
		m->baseline = m->envs[pick].name;
		m->envs[pick].is_baseline = 1;
	}
	return 0;
}

static void compare_one(hvb_model *m, hvb_series *s, const hvb_series *b)
{
	hvb_cmp *c = &s->cmp;
	c->ratio = c->ratio_lo = c->ratio_hi = c->overhead_pct = NAN;
	c->p_welch = az_welch_p(&s->st, &b->st);
	size_t nx, ny;
	double *x = az_used_samples(m, s, &nx), *y = az_used_samples(m, b, &ny);
	c->p_mw = az_mann_whitney_p(x, nx, y, ny);
	free(x);
	free(y);
	c->no_ci = s->st.n < 2 || b->st.n < 2;
	if (!(s->st.mean > 0) || !(b->st.mean > 0) || !isfinite(s->st.mean) || !isfinite(b->st.mean))
		return;   /* a ratio of non-positive (or overflowed) means says nothing: valid stays 0 */
	c->valid = 1;
	const hvb_stats *num = s->better > 0 ? &s->st : &b->st;
	const hvb_stats *den = s->better > 0 ? &b->st : &s->st;
	c->ratio = num->mean / den->mean;
	if (!isfinite(c->ratio) || !(c->ratio > 0)) {
		c->valid = 0;
		c->ratio = NAN;
		return;
	}
	c->overhead_pct = (1 / c->ratio - 1) * 100;
	if (!c->no_ci)
		az_fieller(num, den, &c->ratio_lo, &c->ratio_hi);
}

/* The model's groups list series best first; ranks per the header. */
static const hvb_model *sort_m;
static const hvb_metric_group *sort_g;

static int by_oriented_mean(const void *a, const void *b)
{
	const hvb_series *x = &sort_m->series[*(const size_t *)a];
	const hvb_series *y = &sort_m->series[*(const size_t *)b];
	double u = x->st.mean * sort_g->better, v = y->st.mean * sort_g->better;
	if (isnan(u) != isnan(v))
		return isnan(u) ? 1 : -1;
	if (u != v && !isnan(u))
		return u > v ? -1 : 1;
	return strcmp(x->env, y->env);
}

static void rank_group(hvb_model *m, hvb_metric_group *g)
{
	sort_m = m;
	sort_g = g;
	qsort(g->series, g->n, sizeof *g->series, by_oriented_mean);
	size_t k = g->n;
	double *p = az_xmalloc((k ? k * k : 1) * sizeof *p);
	for (size_t i = 0; i < k; i++)
		for (size_t j = 0; j < k; j++)
			p[i * k + j] = NAN;
	/* Upper triangle holds the tests; Holm over exactly those. */
	double *flat = az_xmalloc((k ? k * k : 1) * sizeof *flat);
	size_t nf = 0;
	for (size_t i = 0; i < k; i++)
		for (size_t j = i + 1; j < k; j++)
			flat[nf++] = az_welch_p(&m->series[g->series[i]].st, &m->series[g->series[j]].st);
	az_holm(flat, nf);
	nf = 0;
	for (size_t i = 0; i < k; i++)
		for (size_t j = i + 1; j < k; j++)
			p[i * k + j] = flat[nf++];
	size_t leader = 0;
	for (size_t i = 0; i < k; i++) {
		hvb_series *s = &m->series[g->series[i]];
		s->rank_tied = 0;
		if (i == 0) {
			s->rank = 1;
			continue;
		}
		hvb_series *l = &m->series[g->series[leader]];
		double pv = p[leader * k + i];
		int same;
		if (isnan(pv))
			same = l->st.mean == s->st.mean ||
			       (isnan(l->st.mean) && isnan(s->st.mean));
		else
			same = pv >= 0.05;
		if (same) {
			s->rank = l->rank;
			s->rank_tied = l->rank_tied = 1;
		} else {
			s->rank = (int)i + 1;
			leader = i;
		}
	}
	free(p);
	free(flat);
}

/* ---- scores ---- */
static hvb_score *score_add(hvb_model *m, size_t *cap)
{
	if (m->nscores == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		m->scores = az_xrealloc(m->scores, *cap * sizeof *m->scores);
	}
	hvb_score *s = &m->scores[m->nscores++];
	memset(s, 0, sizeof *s);
	return s;
}

static int by_geomean(const void *a, const void *b)
{
	const hvb_score *x = a, *y = b;
	if (x->geomean != y->geomean)
		return x->geomean > y->geomean ? -1 : 1;
	return (x->env_idx > y->env_idx) - (x->env_idx < y->env_idx);
}

static void scores(hvb_model *m)
{
	if (!m->baseline)
		return;
	size_t cap = 0;
	size_t base = az_env_index(m, m->baseline);
	for (size_t c = 0; c <= m->ncategories; c++) {
		const char *cat = c < m->ncategories ? m->categories[c] : "overall";
		size_t start = m->nscores;
		for (size_t e = 0; e < m->nenvs; e++) {
			double sum = 0, var = 0;
			size_t n = 0;
			int ci_ok = 1;
			for (size_t i = 0; i < m->nseries; i++) {
				const hvb_series *s = &m->series[i];
				if (s->env_idx != e || (c < m->ncategories && strcmp(s->category, cat) != 0))
					continue;
				if (e == base) {
					/* counted where some other env is compared with it */
					n++;
					continue;
				}
				if (!s->cmp.valid || !(s->cmp.ratio > 0))
					continue;
				sum += log(s->cmp.ratio);
				n++;
				if (s->cmp.ratio_lo > 0 && isfinite(s->cmp.ratio_hi)) {
					double se = (log(s->cmp.ratio_hi) - log(s->cmp.ratio_lo)) / (2 * Z975);
					var += se * se;
				} else {
					ci_ok = 0;
				}
			}
			if (!n)
				continue;
			hvb_score *sc = score_add(m, &cap);
			sc->category = cat;
			sc->env_idx = e;
			sc->n_metrics = n;
			if (e == base) {
				sc->geomean = sc->lo = sc->hi = 1;
			} else {
				double mu = sum / (double)n, se = sqrt(var) / (double)n;
				sc->geomean = exp(mu);
				sc->lo = ci_ok ? exp(mu - Z975 * se) : NAN;
				sc->hi = ci_ok ? exp(mu + Z975 * se) : NAN;
			}
		}
		size_t cnt = m->nscores - start;
		if (!cnt)
			continue;
		/* A category where only the baseline has metrics compares nothing. */
		if (cnt == 1 && m->scores[start].env_idx == base) {
			m->nscores = start;
			continue;
		}
		qsort(m->scores + start, cnt, sizeof *m->scores, by_geomean);
		for (size_t i = 0; i < cnt; i++) {
			hvb_score *s = &m->scores[start + i];
			s->rank = i && s->geomean == s[-1].geomean ? s[-1].rank : (int)i + 1;
		}
	}
}

int az_compare(hvb_model *m, const az_opts *o)
{
	if (choose_baseline(m, o) < 0)
		return -1;
	for (size_t gi = 0; gi < m->ngroups; gi++) {
		hvb_metric_group *g = &m->groups[gi];
		const hvb_series *b = NULL;
		for (size_t i = 0; i < g->n; i++)
			if (m->baseline && m->series[g->series[i]].env == m->baseline)
				b = &m->series[g->series[i]];
		for (size_t i = 0; i < g->n; i++) {
			hvb_series *s = &m->series[g->series[i]];
			memset(&s->cmp, 0, sizeof s->cmp);
			s->cmp.ratio = s->cmp.ratio_lo = s->cmp.ratio_hi = NAN;
			s->cmp.overhead_pct = s->cmp.p_welch = s->cmp.p_mw = NAN;
			if (b && s != b)
				compare_one(m, s, b);
			if (b && s != b) az_paired_compare(m, s, b);
		}
		rank_group(m, g);
	}
	scores(m);
	return 0;
}
