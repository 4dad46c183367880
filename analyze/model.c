/*
 * model.c - model_free(), the one owner of everything in a results model,
 * and the helpers every stage of az_build shares on the model it builds
 * (az_env_index, az_sample_row, az_add_warning).  It calls no stage (only
 * profile.c's az_scoring_free, to free the profile).
 *
 * Rows built by the analyzer hold strings interned in its pool (m->priv);
 * a model built by hand (report tests) has priv NULL and malloc'd strings,
 * which are then freed one by one.  Series/env/group/warning strings are
 * always malloc'd individually; categories, score categories, baseline_why
 * point at static text; series env and baseline point at envs[].name.
 */
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "internal.h"

static void free_row_strings(hvb_row *r)
{
	char **s[] = { &r->run, &r->time, &r->env, &r->virt, &r->container, &r->host,
		       &r->bench, &r->params, &r->metric, &r->unit, &r->better,
		       &r->status, &r->note };
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		free(*s[i]);
}

void model_free(hvb_model *m)
{
	if (!m)
		return;
	az_priv *pv = m->priv;
	for (size_t i = 0; i < m->nfiles; i++)
		free(m->files[i].path);
	free(m->files);
	if (!pv)
		for (size_t i = 0; i < m->nrows; i++)
			free_row_strings(&m->rows[i]);
	free(m->rows);
	for (size_t i = 0; i < m->nbad; i++)
		free(m->bad[i].message);
	free(m->bad);
	for (size_t i = 0; i < m->nenvs; i++) {
		hvb_env *e = &m->envs[i];
		free(e->name); free(e->virt); free(e->container); free(e->cpu_model);
		free(e->kernel); free(e->os); free(e->host); free(e->clocksource);
		free(e->cpuid_sig); free(e->dmi_vendor); free(e->dmi_product);
		free(e->machine); free(e->group); free(e->iperf_server);
	}
	free(m->envs);
	for (size_t i = 0; i < m->nseries; i++) {
		hvb_series *s = &m->series[i];
		free(s->bench); free(s->params); free(s->metric); free(s->unit);
		free(s->samples); free(s->outlier); free(s->sample_rows);
		free(s->stop_why);
	}
	free(m->series);
	for (size_t i = 0; i < m->ngroups; i++) {
		hvb_metric_group *g = &m->groups[i];
		free(g->bench); free(g->params); free(g->metric); free(g->unit);
		free(g->series);
	}
	free(m->groups);
	free(m->scores);
	free(m->group_scores);
	free(m->aa);
	free(m->aa_scores);
	az_scoring_free(&m->scoring);
	for (size_t i = 0; i < m->nwarnings; i++) {
		hvb_warning *w = &m->warnings[i];
		free(w->kind); free(w->env); free(w->message); free(w->evidence);
	}
	free(m->warnings);
	for (size_t i = 0; i < m->nhostruns; i++) {
		hvb_hostrun *h = &m->hostruns[i];
		free(h->meta_path); free(h->tsv_path); free(h->collector);
		free(h->under_load); free(h->benches_missing); free(h->telemetry_host);
		free(h->problem);
		for (size_t j = 0; j < h->nwalls; j++)
			free(h->walls[j].bench);
		free(h->walls);
		free(h->sample_t);
		free(h->sample_busy);
	}
	free(m->hostruns);
	free(m->benchcosts);
	free(m->planruns);
	free(m->runprobes);
	free(m->disturbed);
	for (size_t i = 0; i < m->ntouches; i++)
		free(m->touches[i].message);
	free(m->touches);
	for (size_t i = 0; i < m->nnoisy; i++)
		free(m->noisy[i].done);
	free(m->noisy);
	free(m->generated);
	if (pv) {
		az_pool_free(pv->pool);
		free(pv->seen);
		free(pv->rows);
		free(pv->srow);
		free(pv->srow_off);
		for (size_t i = 0; i < pv->nshapes; i++)
			free(pv->shapes[i]);
		free(pv->shapes);
		free(pv->shape_x.slot);
		free(pv->hc_files.slot);
		free(pv->hc_runs.slot);
		free(pv);
	}
	memset(m, 0, sizeof *m);
}

/* ---- helpers the stages share, on the model they build ---- */

/* envs[] is sorted by name (build_envs): a binary search. */
size_t az_env_index(const hvb_model *m, const char *name)
{
	size_t lo = 0, hi = m->nenvs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->envs[mid].name, name);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (size_t)-1;
}

/* The row sample i of series s came from (build.c's srow, until az_rows_free). */
const az_row *az_sample_row(const hvb_model *m, const hvb_series *s, size_t i)
{
	const az_priv *pv = m->priv;
	return &pv->rows[pv->srow[pv->srow_off[s - m->series] + i]];
}

void az_add_warning(hvb_model *m, const char *kind, const char *env,
		    char *message, char *evidence)
{
	az_priv *pv = az_priv_of(m);
	if (m->nwarnings >= pv->warnings_cap) {
		pv->warnings_cap = m->nwarnings >= 8 ? m->nwarnings * 2 : 16;
		m->warnings = xrealloc(m->warnings, pv->warnings_cap * sizeof *m->warnings);
	}
	hvb_warning *w = &m->warnings[m->nwarnings++];
	w->kind = xstrdup(kind);
	w->env = env ? xstrdup(env) : NULL;
	w->message = message;
	w->evidence = evidence;
	w->touches_score = 0;
	w->noise_row = 0;
}
