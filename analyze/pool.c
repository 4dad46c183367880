/*
 * pool.c - with several machines, each hypervisor pooled across them
 * (m->group_scores): its environments grouped by virt/container and label
 * stem, or by --group, and their complete scores' geometric mean with a CI
 * from the same bootstrap replicates.  A step of az_score (score.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "internal.h"

/* The label with its machine's name taken off (kvm-laptop on laptop: kvm). */
static char *stem(const hvb_env *e)
{
	const char *n = e->name, *mc = e->machine;
	size_t ln = strlen(n), lm = mc ? strlen(mc) : 0;
	if (lm && ln > lm + 1 && strcmp(n + ln - lm, mc) == 0 && strchr("-_@.", n[ln - lm - 1]))
		return xasprintf("%.*s", (int)(ln - lm - 1), n);
	if (lm && ln > lm + 1 && strncmp(n, mc, lm) == 0 && strchr("-_@.", n[lm]))
		return xstrdup(n + lm + 1);
	return xstrdup(n);
}

/* --group ENV=NAME[,ENV=NAME...]: NAME for env, or NULL. */
static char *group_override(const char *spec, const char *env)
{
	if (!spec)
		return NULL;
	size_t le = strlen(env);
	for (const char *p = spec; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > le + 1 && strncmp(p, env, le) == 0 && p[le] == '=')
			return xasprintf("%.*s", (int)(len - le - 1), p + le + 1);
		p += len + (end ? 1 : 0);
	}
	return NULL;
}

typedef struct gkey { const char *key; size_t env; } gkey;
static int cmp_gkey(const void *a, const void *b)
{
	const gkey *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->env > y->env) - (x->env < y->env);
}

static int cmp_mach(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	if (!x || !y)
		return (x != NULL) - (y != NULL);
	return strcmp(x, y);
}

/* Several machines: each hypervisor (virt/container and label stem, or
 * --group) pooled over its environments: geometric mean of their complete
 * scores, per category and overall, CI from the same replicates. */
void az_pool_groups(hvb_model *m, const az_opts *o, const double *logs, size_t B, double *work)
{
	size_t ne = m->nenvs, ncat = m->ncategories;
	gkey *k = xmalloc((ne ? ne : 1) * sizeof *k);
	char **keys = xcalloc(ne ? ne : 1, sizeof *keys);
	size_t nk = 0;
	for (size_t i = 0; i < ne; i++) {
		hvb_env *e = &m->envs[i];
		if (e->is_baseline || e->base_idx == (size_t)-1)
			continue;
		char *g = group_override(o->groups, e->name);
		int given = g != NULL;
		if (!g)
			g = stem(e);
		free(e->group);
		e->group = g;
		keys[i] = given ? xasprintf("=%s", g)
			: xasprintf("%s/%s/%s", e->virt ? e->virt : "", e->container ? e->container : "", g);
		k[nk++] = (gkey){ keys[i], i };
	}
	qsort(k, nk, sizeof *k, cmp_gkey);
	/* score index per (env, category incl. overall) */
	size_t nsx = ne * (ncat + 1);
	size_t *sidx = xmalloc((nsx ? nsx : 1) * sizeof *sidx);
	for (size_t i = 0; i < ne * (ncat + 1); i++)
		sidx[i] = (size_t)-1;
	for (size_t i = 0; i < m->nscores; i++) {
		const hvb_score *s = &m->scores[i];
		size_t c = ncat;
		for (size_t j = 0; j < ncat; j++)
			if (s->category == m->categories[j])
				c = j;
		sidx[s->env_idx * (ncat + 1) + c] = i;
	}
	double *acc = xmalloc(B * sizeof *acc);
	const char **mach = xmalloc((ne ? ne : 1) * sizeof *mach);
	for (size_t a = 0; a < nk;) {
		size_t b = a;
		while (b < nk && strcmp(k[b].key, k[a].key) == 0)
			b++;
		for (size_t c = 0; c <= ncat; c++) {
			size_t n = 0, nm = 0;
			double l = 0;
			memset(acc, 0, B * sizeof *acc);
			for (size_t j = a; j < b; j++) {
				size_t si = sidx[k[j].env * (ncat + 1) + c];
				if (si == (size_t)-1 || !m->scores[si].complete)
					continue;
				l += log(m->scores[si].geomean);
				for (size_t r = 0; r < B; r++)
					acc[r] += logs[si * B + r];
				mach[nm++] = m->envs[k[j].env].machine;
				n++;
			}
			if (!n)
				continue;
			/* distinct machines: sorted, equal names once; an env
			 * of unknown machine (NULL) counts as a machine of its own */
			qsort(mach, nm, sizeof *mach, cmp_mach);
			size_t nd = 0;
			for (size_t q = 0; q < nm; q++)
				if (!mach[q] || !q || !mach[q - 1] || strcmp(mach[q], mach[q - 1]) != 0)
					nd++;
			nm = nd;
			for (size_t r = 0; r < B; r++)
				acc[r] /= (double)n;
			m->group_scores = xrealloc(m->group_scores,
						      (m->ngroup_scores + 1) * sizeof *m->group_scores);
			hvb_group_score *g = &m->group_scores[m->ngroup_scores++];
			g->category = c < ncat ? m->categories[c] : "overall";
			g->group = m->envs[k[a].env].group;
			g->geomean = exp(l / (double)n);
			az_pct_ci(acc, B, work, &g->lo, &g->hi);
			g->n_envs = n;
			g->n_machines = nm;
		}
		a = b;
	}
	free(mach);
	free(acc);
	free(sidx);
	for (size_t i = 0; i < ne; i++)
		free(keys[i]);
	free(keys);
	free(k);
}
