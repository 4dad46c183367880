/*
 * benchcost.c - what each benchmark cost the host, per environment
 * (m->benchcosts): the mean over its runs of the host's busy share and the
 * benchmark's wall time in each run's telemetry window (hostcost.c's
 * bench_windows), sorted by benchmark, then environment.  A step of
 * az_hostcost.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "internal.h"

static int cmp_benchcost(const void *a, const void *b)
{
	const hvb_benchcost *x = a, *y = b;
	int c = strcmp(x->bench, y->bench);
	return c ? c : (x->env_idx > y->env_idx) - (x->env_idx < y->env_idx);
}

/* Per environment and benchmark: the mean over its runs.  The costs found
 * so far are hashed by (bench, env). */
static uint64_t cost_key(const char *bench, size_t env)
{
	return az_hash_str(bench, strlen(bench)) ^ az_hash_ptr(0, (const void *)(uintptr_t)(env + 1));
}

static uint64_t cost_hash(const void *ctx, size_t i)
{
	const hvb_benchcost *c = &((const hvb_model *)ctx)->benchcosts[i];
	return cost_key(c->bench, c->env_idx);
}

void az_bench_costs(hvb_model *m)
{
	az_idxmap x = { 0 };
	size_t cap = 0;
	for (size_t i = 0; i < m->nhostruns; i++) {
		const hvb_hostrun *h = &m->hostruns[i];
		if (h->env_idx == (size_t)-1)
			continue;
		for (size_t j = 0; j < h->nwalls; j++) {
			const hvb_bench_wall *w = &h->walls[j];
			if (!w->samples)
				continue;
			az_idx_grow(&x, m->nbenchcosts + 1, cost_hash, m);
			size_t k = cost_key(w->bench, h->env_idx) & (x.cap - 1);
			while (x.slot[k] && (m->benchcosts[x.slot[k] - 1].env_idx != h->env_idx ||
					     strcmp(m->benchcosts[x.slot[k] - 1].bench, w->bench) != 0))
				k = (k + 1) & (x.cap - 1);
			hvb_benchcost *c;
			if (x.slot[k]) {
				c = &m->benchcosts[x.slot[k] - 1];
			} else {
				if (m->nbenchcosts == cap) {
					cap = cap ? cap * 2 : 16;
					m->benchcosts = xrealloc(m->benchcosts, cap * sizeof *m->benchcosts);
				}
				c = &m->benchcosts[m->nbenchcosts++];
				memset(c, 0, sizeof *c);
				c->bench = w->bench;
				c->env_idx = h->env_idx;
				x.slot[k] = m->nbenchcosts;
				x.n++;
			}
			/* running means over the runs */
			c->runs++;
			c->busy_mean += (w->busy_mean - c->busy_mean) / (double)c->runs;
			c->secs += (w->t1 - w->t0 - c->secs) / (double)c->runs;
		}
	}
	free(x.slot);
	for (size_t k = 0; k < m->nbenchcosts; k++)
		m->benchcosts[k].busy_host_s = m->benchcosts[k].busy_mean / 100 * m->benchcosts[k].secs;
	if (m->nbenchcosts)
		qsort(m->benchcosts, m->nbenchcosts, sizeof *m->benchcosts, cmp_benchcost);
}
