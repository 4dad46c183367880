/*
 * aa.c - A/A calibration: every campaign knows its own noise floor
 * (docs/analyzer.md, "Noise floor").
 *
 * An A/A pair is two labels of the same environment measured twice in one
 * campaign (collect/plan host=local host-again=local --aa host=host-again,
 * which writes the info row hvbench/aa_pair "A=B" into every run; or
 * analyze --aa A=B).  Nothing differs between A and B but the noise, so
 * whatever the analyzer sees between them is what it would report between
 * two environments that do not differ:
 *   - per headline series, the ratio b/a and its 95% CI, paired by round
 *     where both ran in a plan (paired.c), else as independent samples
 *     (Fieller): the distribution of |ratio - 1| and the fraction of CIs
 *     that exclude 1 -- the false-positive rate at the 95% level, measured
 *     on this machine, in this campaign;
 *   - per category and overall, the ratio of the two scores from the same
 *     bootstrap replicates as every score (score.c): its interval is the
 *     noise floor of that category, max(hi - 1, 1 - lo).  score.c calls a
 *     score inside the floor a tie with the baseline and ranks two
 *     environments whose scores differ by no more than the floor alike.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "internal.h"

static void aa_add(hvb_model *m, size_t a, size_t b, const char *source)
{
	const char *na = m->envs[a].name, *nb = m->envs[b].name;
	for (size_t i = 0; i < m->naa; i++)
		if ((m->aa[i].a == na && m->aa[i].b == nb) || (m->aa[i].a == nb && m->aa[i].b == na))
			return;
	m->aa = xrealloc(m->aa, (m->naa + 1) * sizeof *m->aa);
	hvb_aa *p = &m->aa[m->naa++];
	memset(p, 0, sizeof *p);
	p->a = na;
	p->b = nb;
	p->source = source;
	p->fpr = p->abs_median = p->abs_p95 = p->abs_max = p->half_median = NAN;
}

/* "A=B" (len bytes of s) as two env indices; 0, or -1 when it is not of
 * that form or names an environment the data does not have. */
static int aa_parse(const hvb_model *m, const char *s, size_t len, size_t *a, size_t *b)
{
	const char *eq = memchr(s, '=', len);
	if (!eq || eq == s || eq == s + len - 1)
		return -1;
	char *x = xasprintf("%.*s", (int)(eq - s), s);
	char *y = xasprintf("%.*s", (int)(len - (size_t)(eq - s) - 1), eq + 1);
	*a = az_env_index(m, x);
	*b = az_env_index(m, y);
	free(x);
	free(y);
	return *a == (size_t)-1 || *b == (size_t)-1 || *a == *b ? -1 : 0;
}

/* The pairs: --aa first (an unknown label is an error), then the plan's
 * aa_pair rows (a pair whose labels are not both in the data is skipped:
 * the files of one of them may simply not have been given). */
static int aa_find(hvb_model *m, const az_opts *o)
{
	for (const char *p = o->aa; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p), a, b;
		if (aa_parse(m, p, len, &a, &b) < 0) {
			az_err("--aa %.*s: expected A=B, two different environments of the data", (int)len, p);
			return -1;
		}
		aa_add(m, a, b, "--aa");
		p += len + (end ? 1 : 0);
	}
	az_priv *pv = az_priv_of(m);
	int any = 0;
	for (size_t i = 0; i < pv->nshapes && !any; i++)
		any = strcmp(pv->shapes[i]->metric, "aa_pair") == 0 &&
		      strcmp(pv->shapes[i]->bench, "hvbench") == 0;
	for (size_t i = 0; any && i < pv->nrows; i++) {
		const az_row *r = &pv->rows[i];
		if (strcmp(r->sh->metric, "aa_pair") != 0 || strcmp(r->sh->bench, "hvbench") != 0 ||
		    r->sh->st != AZ_ST_INFO || !r->note[0])
			continue;
		size_t a, b;
		if (aa_parse(m, r->note, strlen(r->note), &a, &b) == 0)
			aa_add(m, a, b, "aa_pair row");
	}
	return 0;
}

/* The ratio b/a of one headline series, oriented (> 1: b better), and its
 * 95% CI: b's own comparison where a is its baseline (or the inverse of
 * a's where b is a's), else compared here the same way (Fieller, then
 * paired by round where both are in a plan). */
static int aa_ratio(hvb_model *m, const hvb_series *sa, const hvb_series *sb, double *r,
		    double *lo, double *hi)
{
	if (sb->base_series == (size_t)(sa - m->series) && sb->cmp.valid) {
		*r = sb->cmp.ratio, *lo = sb->cmp.ratio_lo, *hi = sb->cmp.ratio_hi;
	} else if (sa->base_series == (size_t)(sb - m->series) && sa->cmp.valid) {
		*r = 1 / sa->cmp.ratio, *lo = 1 / sa->cmp.ratio_hi, *hi = 1 / sa->cmp.ratio_lo;
	} else {
		if (!(sa->st.mean > 0) || !(sb->st.mean > 0))
			return -1;
		/* b compared with a in b's own record (az_sample_row finds a
		 * series' rows by its place in m->series, so not on a copy),
		 * then b's comparison with its baseline put back */
		hvb_series *x = &m->series[sb - m->series];
		hvb_cmp saved = x->cmp;
		memset(&x->cmp, 0, sizeof x->cmp);
		const hvb_stats *num = sb->better > 0 ? &sb->st : &sa->st;
		const hvb_stats *den = sb->better > 0 ? &sa->st : &sb->st;
		x->cmp.valid = 1;
		x->cmp.ratio = num->mean / den->mean;
		az_fieller(num, den, &x->cmp.ratio_lo, &x->cmp.ratio_hi);
		az_paired_compare(m, x, sa);
		*r = x->cmp.ratio, *lo = x->cmp.ratio_lo, *hi = x->cmp.ratio_hi;
		x->cmp = saved;
	}
	return isfinite(*r) && *r > 0 && isfinite(*lo) && isfinite(*hi) ? 0 : -1;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Quantile q of sorted x[0..n) (n > 0), linear between order statistics. */
static double quant(const double *x, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t i = (size_t)pos;
	return i + 1 < n ? x[i] + (pos - (double)i) * (x[i + 1] - x[i]) : x[n - 1];
}

/* Per pair, over the headline series both environments have. */
static void aa_series(hvb_model *m, hvb_aa *p)
{
	size_t ia = az_env_index(m, p->a), ib = az_env_index(m, p->b);
	double *dev = xmalloc((m->ngroups ? m->ngroups : 1) * sizeof *dev);
	double *half = xmalloc((m->ngroups ? m->ngroups : 1) * sizeof *half);
	size_t n = 0;
	for (size_t gi = 0; gi < m->ngroups; gi++) {
		const hvb_metric_group *g = &m->groups[gi];
		if (g->role != HVB_HEADLINE || !(g->weight > 0))
			continue;
		const hvb_series *sa = NULL, *sb = NULL;
		for (size_t i = 0; i < g->n; i++) {
			const hvb_series *s = &m->series[g->series[i]];
			if (s->env_idx == ia)
				sa = s;
			else if (s->env_idx == ib)
				sb = s;
		}
		double r, lo, hi;
		if (!sa || !sb || sa->st.n < 2 || sb->st.n < 2 || aa_ratio(m, sa, sb, &r, &lo, &hi) < 0)
			continue;
		dev[n] = fabs(r - 1);
		half[n] = (hi - lo) / 2 / r;
		p->nexcl += lo > 1 || hi < 1;
		n++;
	}
	p->nseries = n;
	if (n) {
		qsort(dev, n, sizeof *dev, cmp_dbl);
		qsort(half, n, sizeof *half, cmp_dbl);
		p->fpr = (double)p->nexcl / (double)n;
		p->abs_median = quant(dev, n, 0.5);
		p->abs_p95 = quant(dev, n, 0.95);
		p->abs_max = dev[n - 1];
		p->half_median = quant(half, n, 0.5);
	}
	free(dev);
	free(half);
}

int az_aa_pairs(hvb_model *m, const az_opts *o)
{
	if (aa_find(m, o) < 0)
		return -1;
	for (size_t i = 0; i < m->naa; i++)
		aa_series(m, &m->aa[i]);
	return 0;
}

double az_aa_category(hvb_model *m, const char *category, size_t start, const double *logs,
		      size_t B, double *work)
{
	double floor = NAN;
	for (size_t k = 0; k < m->naa; k++) {
		size_t ia = az_env_index(m, m->aa[k].a), ib = az_env_index(m, m->aa[k].b);
		size_t sa = (size_t)-1, sb = (size_t)-1;
		for (size_t i = start; i < m->nscores; i++) {
			if (m->scores[i].env_idx == ia)
				sa = i;
			else if (m->scores[i].env_idx == ib)
				sb = i;
		}
		if (sa == (size_t)-1 || sb == (size_t)-1 || !isfinite(m->scores[sa].geomean) ||
		    !isfinite(m->scores[sb].geomean) || !(m->scores[sa].geomean > 0) ||
		    !(m->scores[sb].geomean > 0) || m->scores[sa].few_rounds || m->scores[sb].few_rounds)
			continue; /* no interval (too few rounds): no floor from it */
		for (size_t r = 0; r < B; r++)
			work[r] = logs[sb * B + r] - logs[sa * B + r];
		double lo, hi;
		az_ci_quantiles(work, B, &lo, &hi);
		m->aa_scores = xrealloc(m->aa_scores, (m->naa_scores + 1) * sizeof *m->aa_scores);
		hvb_aa_score *x = &m->aa_scores[m->naa_scores++];
		x->category = category;
		x->aa = k;
		x->ratio = m->scores[sb].geomean / m->scores[sa].geomean;
		x->lo = exp(lo);
		x->hi = exp(hi);
		x->floor = fmax(fmax(x->hi - 1, 1 - x->lo), fabs(x->ratio - 1));
		if (!(floor >= x->floor))
			floor = x->floor;
	}
	return floor;
}
