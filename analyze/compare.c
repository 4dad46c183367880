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
 * direction; walking down the order, each is tested once (Welch) against
 * the first environment of the current tie block and shares its rank while
 * the Bonferroni-adjusted p (k - 1 tests) is >= 0.05, else it opens a new
 * block (competition ranking 1,1,3).  A pair that cannot be tested (n < 2)
 * is tied only when the means are equal.  k - 1 tests: linear in the
 * environments, no k x k matrix.
 *
 * Baselines: one per machine (choose_baseline below).  The category and
 * overall scores are score.c's.
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

static const hvb_model *env_sort_m;
static int by_machine_idx(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(env_sort_m->envs[x].machine, env_sort_m->envs[y].machine);
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
	env_sort_m = m;
	qsort(by, nb, sizeof *by, by_machine_idx);
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
	size_t k = g->n, leader = 0;
	for (size_t i = 0; i < k; i++) {
		hvb_series *s = &m->series[g->series[i]];
		s->rank_tied = 0;
		if (i == 0) {
			s->rank = 1;
			continue;
		}
		hvb_series *l = &m->series[g->series[leader]];
		double pv = az_welch_p(&l->st, &s->st);
		int same;
		if (isnan(pv))
			same = l->st.mean == s->st.mean || (isnan(l->st.mean) && isnan(s->st.mean));
		else
			same = fmin(1, pv * (double)(k - 1)) >= 0.05;   /* Bonferroni, k - 1 tests */
		if (same) {
			s->rank = l->rank;
			s->rank_tied = l->rank_tied = 1;
		} else {
			s->rank = (int)i + 1;
			leader = i;
		}
	}
}

int az_compare(hvb_model *m, const az_opts *o)
{
	if (choose_baseline(m, o) < 0)
		return -1;
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
	return az_score(m, o);
}
