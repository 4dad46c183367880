/*
 * stops.c - what each series rests on and why measuring stopped
 * (docs/analyzer.md, "Measured until precise").
 *
 * Per series: its runs (distinct run ids among the samples used) and its
 * rounds (distinct (plan, round) among them; runs outside a plan count as
 * rounds of their own), and the benchmarks' own `stop_reason` info rows
 * (docs/csv-format.md, "Per series": a keyword -- reps, target, max-reps,
 * max-time, interrupted -- then words) of the same (env, bench, params),
 * summed up by keyword: "target x4, max-reps x1".  A series of data
 * without such rows (older files, imports) says "not recorded".
 *
 * Cost: the stop rows are gathered and sorted once (n log n); each series
 * finds its range by binary search, and counts its distinct runs and
 * rounds by sorting its own samples' keys: linear-logarithmic overall.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "internal.h"

typedef struct stop {
	const char *env, *bench, *params;   /* interned: equal strings, equal pointers */
	char key[16];                       /* the keyword */
} stop;

static int cmp_ptr(const void *a, const void *b)
{
	return (a > b) - (a < b);
}

static int cmp_stop_series(const stop *x, const char *env, const char *bench, const char *params)
{
	int c = strcmp(x->env, env);
	if (c)
		return c;
	if ((c = strcmp(x->bench, bench)))
		return c;
	return strcmp(x->params, params);
}

static int cmp_stop(const void *a, const void *b)
{
	const stop *x = a, *y = b;
	int c = cmp_stop_series(x, y->env, y->bench, y->params);
	return c ? c : strcmp(x->key, y->key);
}

typedef struct ukey { const void *a; double b; } ukey;

static int cmp_ukey(const void *p, const void *q)
{
	const ukey *x = p, *y = q;
	int c = cmp_ptr(x->a, y->a);
	if (c)
		return c;
	return (x->b > y->b) - (x->b < y->b);
}

/* Distinct keys of k[0..n) after sorting. */
static size_t distinct(ukey *k, size_t n)
{
	qsort(k, n, sizeof *k, cmp_ukey);
	size_t d = 0;
	for (size_t i = 0; i < n; i++)
		d += i == 0 || cmp_ukey(&k[i], &k[i - 1]) != 0;
	return d;
}

void az_series_stops(hvb_model *m)
{
	az_priv *pv = az_priv_of(m);
	size_t ns = 0, cap = 0;
	stop *st = NULL;
	for (size_t i = 0; i < pv->nrows; i++) {
		const az_row *r = &pv->rows[i];
		if (strcmp(r->sh->metric, "stop_reason") != 0 || r->sh->st != AZ_ST_INFO)
			continue;
		if (ns == cap)
			st = xrealloc(st, (cap = cap ? 2 * cap : 64) * sizeof *st);
		stop *x = &st[ns++];
		x->env = r->sh->env;
		x->bench = r->sh->bench;
		x->params = r->sh->params;
		size_t len = strcspn(r->note, ": ");
		if (len >= sizeof x->key)
			len = sizeof x->key - 1;
		memcpy(x->key, r->note, len);
		x->key[len] = 0;
		if (!len)
			strcpy(x->key, "?");
	}
	if (ns)
		qsort(st, ns, sizeof *st, cmp_stop);
	size_t kcap = 0;
	ukey *runs = NULL, *rounds = NULL;
	for (size_t si = 0; si < m->nseries; si++) {
		hvb_series *s = &m->series[si];
		if (s->n_samples > kcap) {
			kcap = s->n_samples;
			runs = xrealloc(runs, kcap * sizeof *runs);
			rounds = xrealloc(rounds, kcap * sizeof *rounds);
		}
		size_t n = 0;
		for (size_t i = 0; i < s->n_samples; i++) {
			if (m->dropped_outliers && s->outlier[i])
				continue;
			const az_row *row = az_sample_row(m, s, i);
			const hvb_planrun *p = az_planrun_of(m, row->run);
			runs[n] = (ukey){ row->run, 0 };
			rounds[n] = p && p->plan && isfinite(p->round) ? (ukey){ p->plan, p->round }
								     : (ukey){ row->run, NAN };
			n++;
		}
		s->n_runs = distinct(runs, n);
		s->n_rounds = distinct(rounds, n);
		/* its stop rows: the first with key >= (env, bench, params) */
		size_t lo = 0, hi = ns;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (cmp_stop_series(&st[mid], s->env, s->bench, s->params) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		char *why = NULL;
		for (size_t i = lo; i < ns && cmp_stop_series(&st[i], s->env, s->bench, s->params) == 0;) {
			size_t j = i;
			while (j < ns && cmp_stop_series(&st[j], s->env, s->bench, s->params) == 0 &&
			       strcmp(st[j].key, st[i].key) == 0)
				j++;
			char *n2 = xasprintf("%s%s%s x%zu", why ? why : "", why ? ", " : "", st[i].key, j - i);
			free(why);
			why = n2;
			i = j;
		}
		free(s->stop_why);
		s->stop_why = why;
	}
	free(runs);
	free(rounds);
	free(st);
}
