/*
 * uplink.c - the HTML report's answer to the network question: each
 * environment's TCP uplink to the host against the baseline's loopback
 * (html_uplink, a section of html.c's view).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "rint.h"

#define NB 64

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
