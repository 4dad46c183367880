/*
 * planruns.c - m->planruns: the plan and round of each run of a collect/plan
 * campaign, from its info rows (bench `hvbench`, metric `plan` with the plan
 * id as note, metric `round` with the round as value; the first of each
 * kind in input order).  Built by az_build right after the rows are final
 * (planrec.c, dedup.c), read by every later stage: paired comparisons,
 * disturbed runs' rounds, the bootstrap's units, stop reasons.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "internal.h"

static int by_run(const void *a, const void *b)
{
	return strcmp(((const hvb_planrun *)a)->run, ((const hvb_planrun *)b)->run);
}

typedef struct tagrow {
	size_t idx;
	const az_row *r;
} tagrow;

static int by_tag_run(const void *a, const void *b)
{
	const tagrow *x = a, *y = b;
	int c = strcmp(x->r->run, y->r->run);
	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* m->planruns from the info rows (empty: 1 slot). */
void az_plan_index(hvb_model *m)
{
	free(m->planruns);
	size_t nt = 0, cap = 0;
	tagrow *t = NULL;
	const az_priv *pv = az_priv_of(m);
	for (size_t i = 0; i < pv->nrows; i++) {
		const az_row *r = &pv->rows[i];
		const az_shape *sh = r->sh;
		if (sh->fact == AZ_FACT_NONE || !r->run[0])
			continue;
		if (nt == cap)
			t = xrealloc(t, (cap = cap ? cap * 2 : 64) * sizeof *t);
		t[nt++] = (tagrow){ i, r };
	}
	if (nt)
		qsort(t, nt, sizeof *t, by_tag_run);
	hvb_planrun *pr = xmalloc((nt ? nt : 1) * sizeof *pr);
	size_t n = 0;
	for (size_t i = 0; i < nt;) {
		/* One run: the first row of each kind, in input order, wins. */
		hvb_planrun e = { .run = t[i].r->run, .plan = NULL, .round = NAN };
		size_t j = i;
		for (; j < nt && strcmp(t[j].r->run, e.run) == 0; j++) {
			const az_row *r = t[j].r;
			if (r->sh->fact == AZ_FACT_PLAN && !e.plan && r->note[0])
				e.plan = r->note;
			if (r->sh->fact == AZ_FACT_ROUND && isnan(e.round) && isfinite(r->value))
				e.round = r->value;
		}
		if (e.plan && !isnan(e.round))   /* both facts, or it is not paired */
			pr[n++] = e;
		i = j;
	}
	free(t);
	m->planruns = pr;
	m->nplanruns = n;
}

const hvb_planrun *az_planrun_of(const hvb_model *m, const char *run)
{
	if (!m->nplanruns || !run)
		return NULL;
	hvb_planrun key = { .run = run };
	return bsearch(&key, m->planruns, m->nplanruns, sizeof key, by_run);
}
