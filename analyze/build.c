/*
 * build.c - from ingested rows to the model: environments and their facts,
 * series (env, bench, params, metric) of ok samples, metric groups (bench,
 * params, metric) and the statistics of every series; then hands over to
 * compare.c (baseline, ratios, ranks, scores) and warn.c (pitfalls).
 *
 * Row strings are interned (util.c), so keys compare as pointers.  Series
 * and groups are sorted by bench, params, metric, env so every output is in
 * the same order whatever order the files were read in.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "internal.h"

void az_opts_default(az_opts *o)
{
	memset(o, 0, sizeof *o);
	o->steal_warn_pct = 5;
	o->cv_warn = 0.10;
	o->skew_warn = 0.05;
	o->min_reps = 3;
	o->clock_warn_pct = 3;
	o->clock_warn_min_s = 0.5;
	o->seed = 1;
	o->resamples = 2000;
	o->rows_for_charts = 1;
	o->rows_max = SIZE_MAX;
}

/* ---- environments ---- */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Set *dst to v, or to "mixed" when rows of one env disagree. */
static void fact(char **dst, const char *v)
{
	if (!v || !*v)
		return;
	if (!*dst)
		*dst = xstrdup(v);
	else if (strcmp(*dst, v) != 0 && strcmp(*dst, "mixed") != 0) {
		free(*dst);
		*dst = xstrdup("mixed");
	}
}

static void first(char **dst, const char *v)
{
	if (v && *v && !*dst)
		*dst = xstrdup(v);
}

/* The environments of the rows kept (after dedup), by name.  A row's env
 * and its env facts virt, container and host are in its shape: counted
 * per shape (fact() does not depend on the order it sees values in); the
 * info rows' facts, where the first one counts, in row order. */
static void build_envs(hvb_model *m)
{
	az_priv *pv = az_priv_of(m);
	size_t *nrows = xcalloc(pv->nshapes ? pv->nshapes : 1, sizeof *nrows);
	for (size_t i = 0; i < pv->nrows; i++)
		nrows[pv->rows[i].sh->idx]++;
	const char **names = xmalloc((pv->nshapes ? pv->nshapes : 1) * sizeof *names);
	size_t n = 0;
	for (size_t i = 0; i < pv->nshapes; i++)
		if (nrows[i])
			names[n++] = pv->shapes[i]->env;
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
	size_t nd = 0;
	for (size_t i = 0; i < n; i++)
		if (!nd || strcmp(names[nd - 1], names[i]) != 0)
			names[nd++] = names[i];
	n = nd;
	m->envs = xcalloc(n, sizeof *m->envs);
	m->nenvs = n;
	for (size_t i = 0; i < n; i++) {
		hvb_env *e = &m->envs[i];
		e->name = xstrdup(names[i]);
		e->cpus = e->mem_mb = e->steal_pct_max = NAN;
		e->host_busy_mean = e->host_busy_max = e->host_busy_s = e->host_cpu_s = NAN;
		e->host_mem_taken_mb = e->host_wall_s = e->clock_skew_pct = NAN;
		e->color = (int)i;
	}
	free(names);
	for (size_t i = 0; i < pv->nshapes; i++) {
		az_shape *sh = pv->shapes[i];
		sh->env_idx = az_env_index(m, sh->env);
		if (!nrows[i])
			continue;
		hvb_env *e = &m->envs[sh->env_idx];
		e->rows += nrows[i];
		fact(&e->virt, sh->virt);
		fact(&e->container, sh->container);
		fact(&e->host, sh->host);
		switch (sh->st) {
		case AZ_ST_OK: e->ok_rows += nrows[i]; break;
		case AZ_ST_FAIL: e->fail_rows += nrows[i]; break;
		case AZ_ST_SKIP: e->skip_rows += nrows[i]; break;
		case AZ_ST_INFO: break;
		}
	}
	free(nrows);
	for (size_t i = 0; i < pv->nrows; i++) {
		const az_row *r = &pv->rows[i];
		const az_shape *sh = r->sh;
		if (sh->st != AZ_ST_INFO)
			continue;
		hvb_env *e = &m->envs[sh->env_idx];
		const char *k = sh->metric;
		if (strcmp(k, "cpu_model") == 0) first(&e->cpu_model, r->note);
		else if (strcmp(k, "kernel") == 0) first(&e->kernel, r->note);
		else if (strcmp(k, "os") == 0) first(&e->os, r->note);
		else if (strcmp(k, "cpuid_hv_signature") == 0) first(&e->cpuid_sig, r->note);
		else if (strcmp(k, "dmi_sys_vendor") == 0) first(&e->dmi_vendor, r->note);
		else if (strcmp(k, "dmi_product_name") == 0) first(&e->dmi_product, r->note);
		else if (strcmp(k, "clocksource_before") == 0) first(&e->clocksource, r->note);
		else if (strcmp(k, "iperf_server") == 0 && strcmp(sh->bench, "netbench") == 0) first(&e->iperf_server, r->note);
		else if (strcmp(k, "machine") == 0 && strcmp(sh->bench, "hvbench") == 0) fact(&e->machine, r->note);
		else if (strcmp(k, "cpus_online") == 0 && isnan(e->cpus)) e->cpus = r->value;
		else if (strcmp(k, "mem_total_mb") == 0 && isnan(e->mem_mb)) e->mem_mb = r->value;
		else if (strcmp(k, "steal_pct") == 0 && !isnan(r->value) &&
			 (isnan(e->steal_pct_max) || r->value > e->steal_pct_max))
			e->steal_pct_max = r->value;
	}
}

/* ---- series and groups ---- */
typedef struct gkey { const char *bench, *params, *metric; } gkey;
typedef struct tmp_group {
	gkey k;
	const az_row *first;    /* the row that fixed unit and better */
	size_t *series_of_env;  /* per env: series index + 1, 0 = none */
} tmp_group;

typedef struct { uint64_t *key; size_t *val; size_t cap, n; } ptrmap;

static size_t group_find(ptrmap *pm, tmp_group **gs, size_t *ng, const az_row *row, size_t nenvs)
{
	if (pm->n * 2 >= pm->cap) {
		size_t ncap = pm->cap ? pm->cap * 2 : 256;
		size_t *nv = xmalloc(ncap * sizeof *nv);
		for (size_t i = 0; i < ncap; i++)
			nv[i] = (size_t)-1;
		for (size_t i = 0; i < pm->cap; i++) {
			if (pm->val[i] == (size_t)-1)
				continue;
			gkey *k = &(*gs)[pm->val[i]].k;
			uint64_t h = az_hash_ptr(az_hash_ptr(az_hash_ptr(0, k->bench), k->params), k->metric);
			size_t j = h & (ncap - 1);
			while (nv[j] != (size_t)-1)
				j = (j + 1) & (ncap - 1);
			nv[j] = pm->val[i];
		}
		free(pm->val);
		pm->val = nv;
		pm->cap = ncap;
	}
	const az_shape *r = row->sh;
	uint64_t h = az_hash_ptr(az_hash_ptr(az_hash_ptr(0, r->bench), r->params), r->metric);
	size_t j = h & (pm->cap - 1);
	while (pm->val[j] != (size_t)-1) {
		gkey *k = &(*gs)[pm->val[j]].k;
		if (k->bench == r->bench && k->params == r->params && k->metric == r->metric)
			return pm->val[j];
		j = (j + 1) & (pm->cap - 1);
	}
	if ((*ng & (*ng - 1)) == 0)   /* capacity: the next power of 2 */
		*gs = xrealloc(*gs, (*ng ? *ng * 2 : 1) * sizeof **gs);
	tmp_group *g = &(*gs)[*ng];
	g->k = (gkey){ r->bench, r->params, r->metric };
	g->first = row;
	g->series_of_env = xcalloc(nenvs, sizeof *g->series_of_env);
	pm->val[j] = *ng;
	pm->n++;
	return (*ng)++;
}

/* Rows are in the order of m->files: the search goes on from the file of
 * the last call (*at), so the calls of one pass cost n + files together. */
static void file_bad_inc(hvb_model *m, const char *path, size_t *at)
{
	for (size_t k = 0; k < m->nfiles; k++) {
		size_t i = (*at + k) % m->nfiles;
		if (m->files[i].path == path) {
			m->files[i].bad++;
			*at = i;
			return;
		}
	}
}

typedef struct { size_t group, env; const char *bench, *params, *metric, *env_name; } skey;

static int cmp_skey(const void *a, const void *b)
{
	const skey *x = a, *y = b;
	int c = strcmp(x->bench, y->bench);
	if (!c) c = strcmp(x->params, y->params);
	if (!c) c = strcmp(x->metric, y->metric);
	if (!c) c = strcmp(x->env_name, y->env_name);
	return c;
}

static void build_series(hvb_model *m)
{
	az_priv *pv = az_priv_of(m);
	tmp_group *gs = NULL;
	size_t ng = 0, ns = 0;
	ptrmap pm = { 0 };
	uint32_t *row_series = xmalloc((pv->nrows ? pv->nrows : 1) * sizeof *row_series);
	/* per shape: its group + 1 (0: not looked up yet); the group and env
	 * of a row are fields of its shape */
	size_t *shape_group = xcalloc(pv->nshapes ? pv->nshapes : 1, sizeof *shape_group);
	skey *keys = NULL;
	size_t *count = NULL, bad_at = 0, scap = 0;
	for (size_t i = 0; i < pv->nrows; i++) {
		const az_row *row = &pv->rows[i];
		const az_shape *r = row->sh;
		row_series[i] = UINT32_MAX;
		if (r->st != AZ_ST_OK)
			continue;
		if (!shape_group[r->idx])
			shape_group[r->idx] = group_find(&pm, &gs, &ng, row, m->nenvs) + 1;
		size_t gi = shape_group[r->idx] - 1;
		tmp_group *g = &gs[gi];
		const az_shape *f = g->first->sh;
		if (f->unit != r->unit || f->better != r->better) {
			const char *col = f->unit != r->unit ? "unit" : "better";
			const char *got = f->unit != r->unit ? r->unit : r->better;
			const char *want = f->unit != r->unit ? f->unit : f->better;
			az_bad(m, r->file, (long)row->line, "column '%s': \"%s\" differs from \"%s\" in %s:%ld "
			       "for the same bench '%s', params '%s', metric '%s'; this row is not used",
			       col, got, want, f->file, (long)g->first->line, r->bench, r->params,
			       r->metric);
			file_bad_inc(m, r->file, &bad_at);
			continue;
		}
		size_t e = r->env_idx;
		if (!g->series_of_env[e]) {
			if (ns == scap) {
				scap = scap ? scap * 2 : 64;
				keys = xrealloc(keys, scap * sizeof *keys);
				count = xrealloc(count, scap * sizeof *count);
			}
			keys[ns] = (skey){ gi, e, r->bench, r->params, r->metric, m->envs[e].name };
			count[ns] = 0;
			g->series_of_env[e] = ++ns;
		}
		size_t si = g->series_of_env[e] - 1;
		row_series[i] = (uint32_t)si;
		count[si]++;
	}
	free(shape_group);
	/* Sort series; old index -> new index. */
	skey *sorted = xmalloc((ns ? ns : 1) * sizeof *sorted);
	size_t *old_of_new = xmalloc((ns ? ns : 1) * sizeof *old_of_new);
	/* .group of the sorted copy carries the old series index */
	for (size_t i = 0; i < ns; i++) {
		sorted[i] = keys[i];
		sorted[i].group = i;
	}
	qsort(sorted, ns, sizeof *sorted, cmp_skey);
	size_t *new_of_old = xmalloc((ns ? ns : 1) * sizeof *new_of_old);
	for (size_t i = 0; i < ns; i++) {
		old_of_new[i] = sorted[i].group;
		new_of_old[sorted[i].group] = i;
	}
	m->series = xcalloc(ns, sizeof *m->series);
	m->nseries = ns;
	for (size_t i = 0; i < ns; i++) {
		size_t o = old_of_new[i];
		hvb_series *s = &m->series[i];
		tmp_group *g = &gs[keys[o].group];
		s->env_idx = keys[o].env;
		s->env = m->envs[s->env_idx].name;
		s->bench = xstrdup(g->k.bench);
		s->params = xstrdup(g->k.params);
		s->metric = xstrdup(g->k.metric);
		s->unit = xstrdup(g->first->sh->unit);
		s->category = "other";   /* az_profile_classify() sets it */
		s->better = strcmp(g->first->sh->better, "lower") == 0 ? -1 : 1;
		s->samples = xmalloc((count[o] ? count[o] : 1) * sizeof *s->samples);
		s->outlier = xcalloc(count[o], 1);
		s->sample_rows = NULL;   /* make_rows(): for a plan's time-series charts */
		s->rank = 0;
	}
	/* The row of each sample, series after series in srow. */
	pv->srow_off = xmalloc((ns + 1) * sizeof *pv->srow_off);
	pv->srow_off[0] = 0;
	for (size_t i = 0; i < ns; i++)
		pv->srow_off[i + 1] = pv->srow_off[i] + count[old_of_new[i]];
	pv->srow = xmalloc((pv->srow_off[ns] ? pv->srow_off[ns] : 1) * sizeof *pv->srow);
	for (size_t i = 0; i < pv->nrows; i++) {
		if (row_series[i] == UINT32_MAX)
			continue;
		size_t si = new_of_old[row_series[i]];
		hvb_series *s = &m->series[si];
		pv->srow[pv->srow_off[si] + s->n_samples] = (uint32_t)i;
		s->samples[s->n_samples++] = pv->rows[i].value;
	}
	free(row_series);
	/* Groups: consecutive series with the same bench/params/metric. */
	m->groups = xcalloc(ng, sizeof *m->groups);
	for (size_t i = 0; i < ns;) {
		size_t j = i;
		const hvb_series *a = &m->series[i];
		while (j < ns && strcmp(m->series[j].bench, a->bench) == 0 &&
		       strcmp(m->series[j].params, a->params) == 0 &&
		       strcmp(m->series[j].metric, a->metric) == 0)
			j++;
		hvb_metric_group *g = &m->groups[m->ngroups++];
		g->bench = xstrdup(a->bench);
		g->params = xstrdup(a->params);
		g->metric = xstrdup(a->metric);
		g->unit = xstrdup(a->unit);
		g->category = a->category;
		g->better = a->better;
		g->n = j - i;
		g->series = xmalloc(g->n * sizeof *g->series);
		for (size_t k = i; k < j; k++)
			g->series[k - i] = k;
		i = j;
	}
	for (size_t i = 0; i < ng; i++)
		free(gs[i].series_of_env);
	free(gs);
	free(pm.val);
	free(keys);
	free(count);
	free(sorted);
	free(old_of_new);
	free(new_of_old);
}

/* The statistics of every series, over the samples left after the
 * disturbed ones (disturb.c) went out. */
static void series_stats(hvb_model *m, int drop)
{
	for (size_t i = 0; i < m->nseries; i++) {
		hvb_series *s = &m->series[i];
		az_stats(s->samples, s->n_samples, s->outlier, drop, &s->st);
	}
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

/* take (of n in order) the i-th of an even pick of q: at i where i * q / n
 * steps up, so q of n, spread over the whole run (a plan's every round). */
static int even_pick(size_t i, size_t q, size_t n)
{
	return q >= n || (i + 1) * q / n > i * q / n;
}

/* The rows of the Samples sheet when there are more than cap: each series
 * (and the rows of no series: fail, skip, info) gets the same share q, the
 * largest with sum(min(count, q)) <= cap, so a small series is whole and a
 * big one is an even sample of its rows.  keep[i] = 1 for a row in the
 * sheet; returns how many.  O(rows + series log series). */
static size_t sample_keep(const hvb_model *m, size_t cap, unsigned char *keep)
{
	const az_priv *pv = m->priv;
	size_t ns = m->nseries, nr = pv->nrows, in_series = pv->srow_off[ns];
	size_t *c = xmalloc((ns + 1) * sizeof *c);
	for (size_t k = 0; k < ns; k++)
		c[k] = m->series[k].n_samples;
	size_t c0 = nr - in_series;
	c[ns] = c0;
	qsort(c, ns + 1, sizeof *c, cmp_size);
	size_t q = SIZE_MAX, left = cap;
	for (size_t i = 0; i <= ns; i++) {
		size_t share = left / (ns + 1 - i);
		if (c[i] > share) {
			q = share;
			break;
		}
		left -= c[i];
	}
	free(c);   /* q may be 0: cap < groups, the big ones get no row */
	/* 2: a row of some series (not picked yet); 1: picked */
	memset(keep, 0, nr);
	for (size_t k = 0; k < ns; k++) {
		size_t n = m->series[k].n_samples;
		const uint32_t *rs = pv->srow + pv->srow_off[k];
		for (size_t i = 0; i < n; i++)
			keep[rs[i]] = even_pick(i, q, n) ? 1 : 2;
	}
	size_t kept = 0, j = 0;
	for (size_t i = 0; i < nr; i++) {
		if (keep[i] == 0)
			keep[i] = even_pick(j++, q, c0);
		else
			keep[i] = keep[i] == 1;
		kept += keep[i];
	}
	return kept;
}

/* The model's rows (hvb_row, model.h) for the renderers of report/ (see
 * hvb_model.rows): all of them with each series' sample_rows when a plan's
 * time-series charts are drawn (those not in the Samples sheet marked
 * omit), else just the Samples sheet's. */
static void make_rows(hvb_model *m, const az_opts *o)
{
	az_priv *pv = az_priv_of(m);
	size_t nr = pv->nrows;
	m->nrows_read = nr;
	m->rows_sampled = 0;
	int all = o->rows_for_charts && m->nplanruns > 0;
	size_t cap = o->rows_max;
	if (!all && cap == 0)
		return;
	unsigned char *keep = NULL;
	size_t kept = nr;
	if (cap > 0 && cap < nr) {   /* 0: no Samples sheet (the charts' rows only) */
		keep = xmalloc(nr ? nr : 1);
		kept = sample_keep(m, cap, keep);
		m->rows_sampled = kept;
	}
	size_t n = all ? nr : kept;
	m->rows = xmalloc((n ? n : 1) * sizeof *m->rows);
	m->nrows = 0;
	for (size_t i = 0; i < nr; i++) {
		int omit = keep && !keep[i];
		if (omit && !all)
			continue;
		const az_row *r = &pv->rows[i];
		const az_shape *sh = r->sh;
		m->rows[m->nrows++] = (hvb_row){ .file = sh->file, .line = r->line, .run = r->run,
			.time = r->time, .env = sh->env, .virt = sh->virt,
			.container = sh->container, .host = sh->host, .bench = sh->bench,
			.params = sh->params, .metric = sh->metric, .unit = sh->unit,
			.better = sh->better, .status = sh->status, .note = r->note,
			.rep = r->rep, .value = r->value, .omit = omit };
	}
	free(keep);
	if (!all)
		return;
	for (size_t k = 0; k < m->nseries; k++) {
		hvb_series *s = &m->series[k];
		s->sample_rows = xmalloc((s->n_samples ? s->n_samples : 1) * sizeof *s->sample_rows);
		for (size_t i = 0; i < s->n_samples; i++)
			s->sample_rows[i] = &m->rows[pv->srow[pv->srow_off[k] + i]];
	}
}

/* The analyzer's own rows, once the model is built (strings stay in the
 * pool, shapes until model_free: renderers never see them). */
void az_rows_free(hvb_model *m)
{
	az_priv *pv = m->priv;
	if (!pv)
		return;
	free(pv->rows);
	pv->rows = NULL;
	pv->nrows = pv->rows_cap = 0;
	free(pv->srow);
	free(pv->srow_off);
	pv->srow = NULL;
	pv->srow_off = NULL;
}

int az_build(hvb_model *m, const az_opts *o)
{
	az_priv_of(m);
	if (az_profile_load(&m->scoring, o->profile_text ? o->profile_name : "built-in profile",
			    o->profile_text ? o->profile_text : az_builtin_profile()) < 0)
		return -1;
	m->categories = (const char *const *)m->scoring.categories;
	m->ncategories = m->scoring.ncategories;
	m->dropped_outliers = o->drop_outliers;
	free(m->generated);
	m->generated = az_utc_now();
	az_planrec(m);       /* runs a plan's record does not list, runs claimed twice */
	az_dedup_rows(m);
	az_plan_index(m);    /* m->planruns, from the rows as they are now final */
	build_envs(m);
	build_series(m);
	az_profile_classify(m);
	az_disturb(m, o);    /* before any statistic: disturbed samples leave */
	series_stats(m, o->drop_outliers);
	if (az_compare(m, o) < 0)
		return -1;
	if (az_score(m, o) < 0)
		return -1;
	az_hostcost(m, o);   /* first: the skew warning uses the clock check */
	az_warnings(m, o);
	az_disturb_rounds(m);
	az_series_stops(m);     /* runs, rounds, stop reasons: needs the rows */
	make_rows(m, o);
	az_rows_free(m);
	return 0;
}
