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
 * Rank, per metric: from the interval shown beside it (az_rank_intervals
 * below): the ratio's 95% CI against the baseline -- paired by round where
 * the comparison is paired, Fieller's otherwise; the baseline is the point
 * 1 -- or, in a metric some environment cannot be compared in, the mean's
 * CI.  rank = 1 + the number of environments whose interval lies wholly
 * above this one's; no walk, no chain.  n log n in the environments.
 *
 * Baselines: one per machine (choose_baseline below).  The category and
 * overall scores are score.c's, the next step of az_build.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "internal.h"

double *az_used_samples(const hvb_model *m, const hvb_series *s, size_t *n)
{
	double *v = xmalloc((s->n_samples ? s->n_samples : 1) * sizeof *v);
	size_t k = 0;
	for (size_t i = 0; i < s->n_samples; i++)
		if (!(m->dropped_outliers && s->outlier[i]))
			v[k++] = s->samples[i];
	*n = k;
	return v;
}

/* The bare-metal environment among only[0..nonly-1] (indices in increasing
 * order; only NULL: all envs): virt=none and
 * container=none (one named host/native first, else the first by name),
 * else one named host/native; (size_t)-1 when none.  *why says which. */
static size_t pick_base(const hvb_model *m, const size_t *only, size_t nonly, const char **why)
{
	size_t pick = (size_t)-1, nbare = 0, n = only ? nonly : m->nenvs;
	for (size_t k = 0; k < n; k++) {
		size_t i = only ? only[k] : k;
		const hvb_env *e = &m->envs[i];
		if (e->virt && e->container && strcmp(e->virt, "none") == 0 &&
		    strcmp(e->container, "none") == 0) {
			nbare++;
			int named = strcmp(e->name, "host") == 0 || strcmp(e->name, "native") == 0;
			if (pick == (size_t)-1 || named)
				pick = i;
		}
	}
	if (pick != (size_t)-1) {
		*why = nbare > 1
			? "virt=none and container=none (several such environments: the one named "
			  "host/native, else the first by name; use --baseline to choose)"
			: "virt=none and container=none";
		return pick;
	}
	for (size_t k = 0; k < n; k++) {
		size_t i = only ? only[k] : k;
		const hvb_env *e = &m->envs[i];
		if (strcmp(e->name, "host") == 0 || strcmp(e->name, "native") == 0) {
			*why = "named host/native (no environment says virt=none and container=none)";
			return i;
		}
	}
	return (size_t)-1;
}

static int by_machine_idx(const void *a, const void *b, void *ctx)
{
	const hvb_model *m = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(m->envs[x].machine, m->envs[y].machine);
	return c ? c : (x > y) - (x < y);
}

static int cmp_machine(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	return strcmp(x, y);
}

/* The global baseline (--baseline, else the bare-metal env of the whole
 * campaign), then one baseline per machine: each environment is compared
 * with the bare metal of the machine it ran on (its `machine` info row; a
 * bare-metal env without one belongs to its host).  With one machine named
 * (or none) an env of unknown machine belongs to it: everything as with a
 * single baseline.  With several, an env of unknown machine is compared
 * with the global baseline and warned about (warn.c). */
static int choose_baseline(hvb_model *m, const az_opts *o)
{
	m->baseline = NULL;
	m->baseline_why = "no environment with virt=none and container=none, none named "
			  "host or native: absolute comparison only";
	size_t global = (size_t)-1;
	if (o->baseline) {
		global = az_env_index(m, o->baseline);
		if (global == (size_t)-1) {
			az_err("--baseline %s: no such environment in the data (%zu found)",
			       o->baseline, m->nenvs);
			return -1;
		}
		m->baseline_why = "--baseline";
	} else {
		global = pick_base(m, NULL, 0, &m->baseline_why);
	}
	/* Machines: named ones, and bare-metal envs' hosts. */
	for (size_t i = 0; i < m->nenvs; i++) {
		hvb_env *e = &m->envs[i];
		e->base_idx = (size_t)-1;
		if (!e->machine && e->host && e->virt && e->container &&
		    strcmp(e->virt, "none") == 0 && strcmp(e->container, "none") == 0)
			e->machine = xstrdup(e->host);
	}
	const char **names = xmalloc((m->nenvs ? m->nenvs : 1) * sizeof *names);
	size_t nn = 0;
	for (size_t i = 0; i < m->nenvs; i++)
		if (m->envs[i].machine)
			names[nn++] = m->envs[i].machine;
	qsort(names, nn, sizeof *names, cmp_machine);
	size_t nm = 0;
	for (size_t i = 0; i < nn; i++)
		if (!nm || strcmp(names[nm - 1], names[i]) != 0)
			names[nm++] = names[i];
	if (nm == 1)   /* one machine: every env of unknown machine is on it */
		for (size_t i = 0; i < m->nenvs; i++)
			if (!m->envs[i].machine)
				m->envs[i].machine = xstrdup(names[0]);
	m->scoring.nmachines = nm ? nm : 1;
	if (global != (size_t)-1) {
		m->baseline = m->envs[global].name;
		m->envs[global].is_baseline = 1;
	}
	if (nm <= 1) {
		for (size_t i = 0; i < m->nenvs; i++)
			m->envs[i].base_idx = global;
		free(names);
		return 0;
	}
	/* The envs of each machine together (by machine, then index): one
	 * pass, not one over all envs per machine. */
	size_t *by = xmalloc((m->nenvs ? m->nenvs : 1) * sizeof *by), nb = 0;
	for (size_t i = 0; i < m->nenvs; i++)
		if (m->envs[i].machine)
			by[nb++] = i;
	qsort_r(by, nb, sizeof *by, by_machine_idx, m);
	for (size_t a = 0; a < nb;) {
		size_t z = a;
		const char *mc = m->envs[by[a]].machine;
		while (z < nb && strcmp(m->envs[by[z]].machine, mc) == 0)
			z++;
		const char *why;
		size_t b = global != (size_t)-1 && m->envs[global].machine &&
			   strcmp(m->envs[global].machine, mc) == 0 && o->baseline
			? global : pick_base(m, by + a, z - a, &why);
		if (b != (size_t)-1) {
			m->envs[b].is_baseline = 1;
			for (size_t k = a; k < z; k++)
				m->envs[by[k]].base_idx = b;
		}
		a = z;
	}
	free(by);
	for (size_t i = 0; i < m->nenvs; i++)
		if (!m->envs[i].machine)
			m->envs[i].base_idx = global;
	free(names);
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

/* ---- Ranks from intervals (docs/analyzer.md, "Ranking and scores").
 * X is clearly better than Y when X's interval lies wholly above Y's
 * (lo[X] > hi[Y]) and its point is more than lf above Y's (pt[X] - pt[Y]
 * > lf; lf is the noise floor on the scale of pt, 0 without one).  That is
 * a strict partial order -- irreflexive, and transitive: lo[X] > hi[Y] >=
 * lo[Y] > hi[Z], and the point gaps add up -- so
 *   rank(Y) = 1 + #{X clearly better than Y}
 * never chains: it depends on the set alone, not on the order of a walk,
 * and X clearly better than Y gives rank(X) < rank(Y).  Two environments
 * whose intervals overlap may still have different ranks (a third is
 * clearly better than one and not the other); a reader can check every
 * rank against the intervals shown.  An unknown bound is -inf (lo) or +inf
 * (hi).  O(n log n): the hi's in falling order, the lo's above each put in
 * a Fenwick tree over the sorted points. */
static int rk_desc(const void *a, const void *b, void *ctx)
{
	const double *key = ctx;
	double x = key[*(const size_t *)a], y = key[*(const size_t *)b];
	return x > y ? -1 : x < y ? 1 : 0;
}
static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y ? 1 : 0;
}

void az_rank_intervals(size_t n, const double *lo, const double *hi, const double *pt, double lf,
		       int *rank)
{
	if (!n)
		return;
	double *L = xmalloc(n * sizeof *L), *H = xmalloc(n * sizeof *H), *P = xmalloc(n * sizeof *P);
	double *sorted = xmalloc(n * sizeof *sorted);
	size_t *byl = xmalloc(n * sizeof *byl), *byh = xmalloc(n * sizeof *byh);
	size_t *tree = xcalloc(n + 1, sizeof *tree);
	for (size_t i = 0; i < n; i++) {
		L[i] = isnan(lo[i]) ? -HUGE_VAL : lo[i];
		H[i] = isnan(hi[i]) ? HUGE_VAL : hi[i];
		P[i] = isnan(pt[i]) ? -HUGE_VAL : pt[i];
		sorted[i] = P[i];
		byl[i] = byh[i] = i;
	}
	if (!(lf >= 0))
		lf = 0;
	qsort(sorted, n, sizeof *sorted, cmp_dbl);
	qsort_r(byl, n, sizeof *byl, rk_desc, L);
	qsort_r(byh, n, sizeof *byh, rk_desc, H);
	size_t in = 0, p = 0;
	for (size_t q = 0; q < n; q++) {
		size_t y = byh[q];
		for (; p < n && L[byl[p]] > H[y]; p++, in++) {
			/* its place among the points: the last equal one (1-based) */
			size_t a = 0, z = n;
			while (a < z) {
				size_t mid = (a + z) / 2;
				if (sorted[mid] <= P[byl[p]])
					a = mid + 1;
				else
					z = mid;
			}
			for (size_t k = a; k <= n; k += k & -k)
				tree[k]++;
		}
		/* inserted ones with a point > P[y] + lf: all less those <= it */
		double cut = P[y] + lf;
		size_t a = 0, z = n;
		while (a < z) {
			size_t mid = (a + z) / 2;
			if (sorted[mid] <= cut)
				a = mid + 1;
			else
				z = mid;
		}
		size_t le = 0;
		for (size_t k = a; k > 0; k -= k & -k)
			le += tree[k];
		rank[y] = (int)(1 + in - le);
	}
	free(L); free(H); free(P); free(sorted); free(byl); free(byh); free(tree);
}

/* The model's groups list series best first: by rank, then point. */
typedef struct rk_item { size_t series; int rank; double pt; } rk_item;
static int by_rank_point(const void *a, const void *b, void *ctx)
{
	const hvb_model *m = ctx;
	const rk_item *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (isnan(x->pt) != isnan(y->pt))
		return isnan(x->pt) ? 1 : -1;
	if (x->pt != y->pt && !isnan(x->pt))
		return x->pt > y->pt ? -1 : 1;
	return strcmp(m->series[x->series].env, m->series[y->series].env);
}

/* The interval shown beside a series' rank: its ratio's CI (paired where
 * paired; the baseline the point 1; n = 1 the point ratio; an unbounded
 * Fieller interval unknown) when every series of the metric is the
 * baseline or compared with it, else its mean's CI oriented by `better`
 * (n < 2: the point mean). */
static void rank_group(hvb_model *m, hvb_metric_group *g)
{
	size_t k = g->n;
	if (!k)
		return;
	int ratios = 1;
	for (size_t i = 0; i < k; i++) {
		const hvb_series *s = &m->series[g->series[i]];
		ratios &= s->cmp.valid || m->envs[s->env_idx].base_idx == s->env_idx;
	}
	double *lo = xmalloc(k * sizeof *lo), *hi = xmalloc(k * sizeof *hi), *pt = xmalloc(k * sizeof *pt);
	int *rank = xmalloc(k * sizeof *rank);
	for (size_t i = 0; i < k; i++) {
		const hvb_series *s = &m->series[g->series[i]];
		if (ratios && !s->cmp.valid) {          /* the baseline */
			lo[i] = hi[i] = pt[i] = 1;
		} else if (ratios) {
			pt[i] = s->cmp.ratio;
			lo[i] = s->cmp.no_ci ? pt[i] : s->cmp.ratio_lo;
			hi[i] = s->cmp.no_ci ? pt[i] : s->cmp.ratio_hi;
		} else {
			double d = g->better > 0 ? 1 : -1;
			pt[i] = d * s->st.mean;
			int ci = s->st.n >= 2 && isfinite(s->st.ci_lo) && isfinite(s->st.ci_hi);
			lo[i] = !ci ? pt[i] : d > 0 ? s->st.ci_lo : -s->st.ci_hi;
			hi[i] = !ci ? pt[i] : d > 0 ? s->st.ci_hi : -s->st.ci_lo;
		}
	}
	az_rank_intervals(k, lo, hi, pt, 0, rank);
	/* tied: another series has the same rank (counts per rank, 1..k) */
	size_t *cnt = xcalloc(k + 2, sizeof *cnt);
	rk_item *it = xmalloc(k * sizeof *it);
	for (size_t i = 0; i < k; i++) {
		cnt[rank[i]]++;
		it[i] = (rk_item){ g->series[i], rank[i], pt[i] };
	}
	qsort_r(it, k, sizeof *it, by_rank_point, m);
	for (size_t i = 0; i < k; i++) {
		hvb_series *s = &m->series[it[i].series];
		g->series[i] = it[i].series;
		s->rank = it[i].rank;
		s->rank_tied = cnt[it[i].rank] > 1;
	}
	free(it);
	free(cnt);
	free(lo); free(hi); free(pt); free(rank);
}

int az_compare(hvb_model *m, const az_opts *o)
{
	if (choose_baseline(m, o) < 0)
		return -1;
	az_arch_baselines(m);   /* a baseline of the env's own architecture: arch.c */
	/* Per group: env -> its series, so each series finds its machine's
	 * baseline series in O(1); reset after each group (linear overall). */
	size_t *of_env = xmalloc((m->nenvs ? m->nenvs : 1) * sizeof *of_env);
	for (size_t i = 0; i < m->nenvs; i++)
		of_env[i] = (size_t)-1;
	for (size_t gi = 0; gi < m->ngroups; gi++) {
		hvb_metric_group *g = &m->groups[gi];
		for (size_t i = 0; i < g->n; i++)
			of_env[m->series[g->series[i]].env_idx] = g->series[i];
		for (size_t i = 0; i < g->n; i++) {
			hvb_series *s = &m->series[g->series[i]];
			memset(&s->cmp, 0, sizeof s->cmp);
			s->cmp.ratio = s->cmp.ratio_lo = s->cmp.ratio_hi = NAN;
			s->cmp.overhead_pct = s->cmp.p_welch = s->cmp.p_mw = NAN;
			size_t be = m->envs[s->env_idx].base_idx;
			s->base_series = be == (size_t)-1 ? (size_t)-1 : of_env[be];
			if (be == (size_t)-1 || be == s->env_idx || of_env[be] == (size_t)-1)
				continue;
			compare_one(m, s, &m->series[of_env[be]]);
			az_paired_compare(m, s, &m->series[of_env[be]]);
		}
		for (size_t i = 0; i < g->n; i++)
			of_env[m->series[g->series[i]].env_idx] = (size_t)-1;
		rank_group(m, g);
	}
	free(of_env);
	return 0;
}
