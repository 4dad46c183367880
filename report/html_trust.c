/*
 * html_trust.c - the HTML report's views of how far the figures can be
 * trusted (html.c puts them in the view): the network question answered
 * (uplink to the host against its loopback), the noisy headline series, the
 * disturbed repetitions and runs.  Text only: the engine escapes it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "rint.h"

#define NB 64

void html_series_id(tv *o, const hvb_model *m, const hvb_series *s)
{
	tv_text(o, "env", s->env);
	tv_text(o, "color", env_color(m->envs[s->env_idx].color));
	tv_text(o, "bench", s->bench);
	tv_text(o, "metric", s->metric);
	tv_text(o, "params", s->params);
}

/* The seed's network question, answered directly: each environment's TCP
 * uplink to the iperf3 server on the host (netbench bits_per_s, proto=tcp,
 * send and receive) against the baseline's, which is the host's loopback.
 * One pass over the series; per environment the streams=1 variant when
 * there are several. */
static int has_param(const char *params, const char *kv)
{
	size_t n = strlen(kv);
	for (const char *p = params; p && *p;) {
		if (strncmp(p, kv, n) == 0 && (p[n] == ';' || p[n] == 0))
			return 1;
		p = strchr(p, ';');
		p = p ? p + 1 : NULL;
	}
	return 0;
}

static void uplink_cell(tv *o, const char *key, const hvb_model *m, const hvb_series *s)
{
	char b[NB], c[NB], d[NB], k[48];
	if (!s) {
		tv_text(o, key, "—");
		return;
	}
	tv_textf(o, key, "%.2f", s->st.median / 1e9);
	snprintf(k, sizeof k, "%s_ratio", key);
	if (m->envs[s->env_idx].is_baseline)
		tv_text(o, k, "1 (baseline)");
	else if (s->cmp.valid && isfinite(s->cmp.ratio_lo) && isfinite(s->cmp.ratio_hi))
		tv_textf(o, k, "%s [%s, %s]", fmt_num(b, NB, s->cmp.ratio), fmt_num(c, NB, s->cmp.ratio_lo),
			 fmt_num(d, NB, s->cmp.ratio_hi));
	else if (s->cmp.valid)
		tv_text(o, k, fmt_num(b, NB, s->cmp.ratio));
	else
		tv_text(o, k, "n/a");
}

void html_uplink(const hvb_model *m, tv *v)
{
	if (!m->nenvs)
		return;
	const hvb_series **send = xmalloc(m->nenvs * sizeof *send);
	const hvb_series **recv = xmalloc(m->nenvs * sizeof *recv);
	for (size_t e = 0; e < m->nenvs; e++)
		send[e] = recv[e] = NULL;
	int any = 0;
	for (size_t i = 0; i < m->nseries; i++) {
		const hvb_series *s = &m->series[i];
		if (strcmp(s->bench, "netbench") != 0 || strcmp(s->metric, "bits_per_s") != 0 ||
		    !has_param(s->params, "proto=tcp"))
			continue;
		const hvb_series **slot = has_param(s->params, "dir=send") ? &send[s->env_idx]
					  : has_param(s->params, "dir=recv") ? &recv[s->env_idx] : NULL;
		if (!slot || !s->st.n)
			continue;
		if (!*slot || (!has_param((*slot)->params, "streams=1") && has_param(s->params, "streams=1")))
			*slot = s;
		any = 1;
	}
	if (any) {
		tv_flag(v, "has_uplink", 1);
		tv *rows = tv_list(v, "uplink_rows");
		/* the baselines (the loopback figures) first, then the others */
		for (size_t k = 0; k < 2 * m->nenvs; k++) {
			size_t e = k % m->nenvs;
			if ((!send[e] && !recv[e]) || (k < m->nenvs) != !!m->envs[e].is_baseline)
				continue;
			const hvb_env *en = &m->envs[e];
			tv *o = tv_push(rows);
			tv_text(o, "env", en->name);
			tv_text(o, "color", env_color(en->color));
			tv_flag(o, "is_baseline", en->is_baseline);
			tv_text(o, "server", en->iperf_server ? en->iperf_server : "not recorded");
			uplink_cell(o, "send", m, send[e]);
			uplink_cell(o, "recv", m, recv[e]);
		}
	}
	free(send);
	free(recv);
}

/* The noise table (analyze/warn.c, hvb_noisy): each headline series whose
 * CV is above the cv warning's threshold, heaviest in a score first. */
void html_noise_view(const hvb_model *m, tv *v)
{
	if (!m->nnoisy)
		return;
	tv_textf(v, "noisy_summary", "Noisy series: %zu headline series vary by more than %.0f %% (CV)",
		 m->nnoisy, m->noisy_cv * 100);
	tv *l = tv_list(v, "noisy_rows");
	for (size_t i = 0; i < m->nnoisy; i++) {
		const hvb_noisy *r = &m->noisy[i];
		const hvb_series *s = &m->series[r->series];
		tv *o = tv_push(l);
		html_series_id(o, m, s);
		tv_textf(o, "cv", "%.1f %%", s->st.cv * 100);
		if (s->n_rounds > 1)
			tv_textf(o, "n", "%zu (%zu)", s->st.n, s->n_rounds);
		else
			tv_textf(o, "n", "%zu", s->st.n);
		if (r->weight > 0)
			tv_textf(o, "weight", "%.1f %%", r->weight * 100);
		else
			tv_text(o, "weight", "—");
		tv_text(o, "done", r->done);
	}
}

/* The disturbed repetitions and runs the analyzer named (disturb.c): what
 * each covers, the rule, by how much, and whether its samples were left
 * out.  Labels are data: tv_text escapes them. */
void html_disturbed_view(const hvb_model *m, tv *v)
{
	if (!m->ndisturbed)
		return;
	char b[NB];
	size_t left = 0;
	tv *l = tv_list(v, "disturbed");
	for (size_t i = 0; i < m->ndisturbed; i++) {
		const hvb_disturbed *d = &m->disturbed[i];
		tv *o = tv_push(l);
		left += !d->kept;
		tv_text(o, "env", d->env);
		if (isfinite(d->round))
			tv_textf(o, "round", "%g", d->round);
		else
			tv_text(o, "round", "–");
		tv_text(o, "run", d->run);
		tv_text(o, "file", d->file);
		if (d->bench)
			tv_textf(o, "what", "%s %s rep %d", d->bench, d->params, d->rep);
		else if (d->category)
			tv_textf(o, "what", "%s (%zu headline series)", d->category, d->series);
		else
			tv_text(o, "what", "the whole run");
		tv_text(o, "rule", d->rule);
		if (strcmp(d->rule, "balance") == 0 && !isfinite(d->amount))
			tv_text(o, "amount", "a thread did no work");
		else if (strcmp(d->rule, "canary") == 0 || strcmp(d->rule, "run-canary") == 0 ||
			 strcmp(d->rule, "data") == 0 || strcmp(d->rule, "balance") == 0)
			tv_textf(o, "amount", "%s× slower", fmt_num(b, NB, d->amount));
		else
			tv_text(o, "amount", fmt_num(b, NB, d->amount));
		if (isfinite(d->z))
			tv_textf(o, "z", "%.1f", d->z);
		tv_textf(o, "samples", "%zu", d->samples);
		tv_text(o, "kept", d->kept ? "kept (--keep-disturbed)" : "left out");
	}
	tv_textf(v, "disturbed_summary", "%zu disturbed repetition%s or run%s; %zu left out of the "
		 "statistics and scores%s.", m->ndisturbed, m->ndisturbed > 1 ? "s" : "",
		 m->ndisturbed > 1 ? "s" : "", left,
		 left < m->ndisturbed ? " (the others kept by --keep-disturbed)" : "");
}
