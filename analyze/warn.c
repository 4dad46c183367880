/*
 * warn.c - pitfall warnings.  Each names its evidence (file:line of the row,
 * or the figures) so a reader can check it rather than trust it:
 *   clocksource  clocksource_before != clocksource_after within one run
 *   steal        steal_pct above the threshold (5%)
 *   skew         a guest faster than the baseline host by more than 5% on a
 *                cpu or memory metric: its clock probably runs slow
 *   cv           a series with coefficient of variation above 10%
 *   few-reps     series with fewer than 3 samples (one warning per env)
 *   signature    CPUID hypervisor signature and DMI vendor disagree
 *   cpu-model    environments measured on different CPU models compared
 *   drift        the baseline trends across the rounds of a plan (paired.c)
 *   capacity     a run's capacity probe saw missing CPUs (disturb.c)
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "analyze.h"
#include "internal.h"

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
}

/* The same, marked as touching a score (the verdict lists it). */
static void add_scored(hvb_model *m, const char *kind, const char *env, int touches,
		       char *message, char *evidence)
{
	az_add_warning(m, kind, env, message, evidence);
	m->warnings[m->nwarnings - 1].touches_score = touches;
}

static const char *base_name(const hvb_model *m, size_t env)
{
	size_t b = m->envs[env].base_idx;
	return b < m->nenvs ? m->envs[b].name : m->baseline ? m->baseline : "?";
}

static int headline(const hvb_model *m, const hvb_series *s)
{
	(void)m;
	return s->scored || (s->unscored_why && strcmp(s->unscored_why, "diagnostic") != 0 &&
			     strcmp(s->unscored_why, "not in the scoring profile") != 0);
}

/* Rows of one run's clocksource facts sort together: (run, env, bench)
 * by pointer (interned strings), then before/after. */
static int cmp_cs(const void *a, const void *b)
{
	const az_row *x = *(const az_row *const *)a, *y = *(const az_row *const *)b;
	if (x->run != y->run)
		return x->run < y->run ? -1 : 1;
	if (x->sh->env != y->sh->env)
		return x->sh->env < y->sh->env ? -1 : 1;
	if (x->sh->bench != y->sh->bench)
		return x->sh->bench < y->sh->bench ? -1 : 1;
	int c = strcmp(y->sh->metric, x->sh->metric);   /* clocksource_before first */
	if (c)
		return c;
	return x < y ? -1 : x > y;
}

static void clocksource(hvb_model *m)
{
	/* Per run: the before row, then a different after row. */
	const az_row **cs = NULL;
	size_t n = 0, cap = 0;
	const az_priv *pv = az_priv_of(m);
	for (size_t i = 0; i < pv->nrows; i++)
		if (pv->rows[i].sh->status[0] == 'i' &&
		    strncmp(pv->rows[i].sh->metric, "clocksource_", 12) == 0) {
			if (n == cap)
				cs = xrealloc(cs, (cap = cap ? 2 * cap : 64) * sizeof *cs);
			cs[n++] = &pv->rows[i];
		}
	if (n)
		qsort(cs, n, sizeof *cs, cmp_cs);
	for (size_t i = 0; i < n; i++) {
		const az_row *a = cs[i];
		if (strcmp(a->sh->metric, "clocksource_after") != 0)
			continue;
		/* the first before row of the same run, env and bench */
		const az_row *b = NULL;
		for (size_t j = i; j-- > 0;) {
			const az_row *c = cs[j];
			if (c->run != a->run || c->sh->env != a->sh->env || c->sh->bench != a->sh->bench)
				break;
			if (strcmp(c->sh->metric, "clocksource_before") == 0)
				b = c;
		}
		if (!b)
			continue;
		if (strcmp(a->note, b->note) != 0) {
			az_add_warning(m, "clocksource", a->sh->env,
				xasprintf("clocksource changed from %s to %s during run %s of %s: "
					     "its timings may be wrong", b->note, a->note, a->run, a->sh->bench),
				xasprintf("%s:%ld and %s:%ld", b->sh->file, (long)b->line, a->sh->file, (long)a->line));
			size_t e = a->sh->env_idx;
			if (e != (size_t)-1 && !strstr(m->envs[e].clocksource ? m->envs[e].clocksource : "", " -> ")) {
				free(m->envs[e].clocksource);
				m->envs[e].clocksource = xasprintf("%s -> %s", b->note, a->note);
			}
		}
	}
	free(cs);
}

static void steal(hvb_model *m, const az_opts *o)
{
	const az_priv *pv = az_priv_of(m);
	for (size_t i = 0; i < pv->nrows; i++) {
		const az_row *r = &pv->rows[i];
		if (r->sh->status[0] == 'i' && strcmp(r->sh->metric, "steal_pct") == 0 &&
		    r->value > o->steal_warn_pct)
			az_add_warning(m, "steal", r->sh->env,
				xasprintf("steal time %.1f%% during a %s run (above %g%%): the "
					     "hypervisor's host was busy, results are low", r->value,
					     r->sh->bench, o->steal_warn_pct),
				xasprintf("%s:%ld", r->sh->file, (long)r->line));
	}
}

/* Why a guest can look faster than its host, from what is known of its
 * clock: a container reads the host's own clock; collect's host-side
 * timing measures a guest's (analyze/hostcost.c). */
static const char *skew_cause(const hvb_model *m, const hvb_env *e, const az_opts *o)
{
	static char buf[320];
	size_t b = e->base_idx;
	const hvb_env *base = b < m->nenvs ? &m->envs[b] : NULL;
	if (e->container && strcmp(e->container, "none") != 0 && strcmp(e->container, "mixed") != 0 &&
	    base && e->virt && base->virt && strcmp(e->virt, base->virt) == 0)
		return "a container reads the host's own clock, so this is not time skew: the "
		       "difference is noise or placement (CPU frequency, scheduling, cache sharing)";
	if (e->clock_benches && fabs(e->clock_skew_pct) <= o->clock_warn_pct) {
		snprintf(buf, sizeof buf, "its clock is not the cause: by collect's host-side timing "
			 "it kept time within %+.2f%% of the host's over %zu benchmarks, so the "
			 "metric measures something else here (an emulated CPU, other cache sizes) "
			 "or noise", e->clock_skew_pct, e->clock_benches);
		return buf;
	}
	if (e->clock_benches) {
		snprintf(buf, sizeof buf, "its clock runs %.2f%% %s than the host's by collect's "
			 "host-side timing over %zu benchmarks (time skew): its timings are wrong",
			 fabs(e->clock_skew_pct), e->clock_skew_pct < 0 ? "slower" : "faster",
			 e->clock_benches);
		return buf;
	}
	return "its clock probably runs slow (time skew); collect/qemu, which times each "
	       "benchmark from the host too, can check it";
}

static void skew(hvb_model *m, const az_opts *o)
{
	if (!m->baseline)
		return;
	for (size_t i = 0; i < m->nseries; i++) {
		const hvb_series *s = &m->series[i];
		if (!s->cmp.valid || (strcmp(s->category, "cpu") && strcmp(s->category, "memory")))
			continue;
		if (s->cmp.ratio > 1 + o->skew_warn)
			add_scored(m, "skew", s->env, s->scored,
				xasprintf("%s is %.1f%% faster than its baseline %s on %s %s%s%s: a guest "
					     "cannot outrun its host on a CPU- or memory-bound metric; %s",
					     s->env, (s->cmp.ratio - 1) * 100, base_name(m, s->env_idx), s->bench,
					     s->metric, *s->params ? " " : "", s->params,
					     skew_cause(m, &m->envs[s->env_idx], o)),
				xasprintf("mean %.6g vs %.6g %s on the baseline, ratio %.4f (n %zu)",
					     s->st.mean, s->better > 0 ? s->st.mean / s->cmp.ratio
								       : s->st.mean * s->cmp.ratio,
					     s->unit, s->cmp.ratio, s->st.n));
	}
}

/* CV above the threshold: each headline series by name; diagnostics one
 * line per environment (they are never scored). */
static void cv(hvb_model *m, const az_opts *o)
{
	size_t *ndiag = xcalloc(m->nenvs ? m->nenvs : 1, sizeof *ndiag);
	const hvb_series **ex = xcalloc(m->nenvs ? m->nenvs : 1, sizeof *ex);
	for (size_t i = 0; i < m->nseries; i++) {
		const hvb_series *s = &m->series[i];
		if (!(s->st.cv > o->cv_warn))
			continue;
		if (!headline(m, s)) {
			if (!ndiag[s->env_idx]++)
				ex[s->env_idx] = s;
			continue;
		}
		add_scored(m, "cv", s->env, s->scored,
			xasprintf("%s: %s %s%s%s varies by %.1f%% (CV above %.0f%%): too noisy "
				     "to tell small differences", s->env, s->bench, s->metric,
				     *s->params ? " " : "", s->params, s->st.cv * 100,
				     o->cv_warn * 100),
			xasprintf("n %zu, mean %.6g, sd %.6g %s", s->st.n, s->st.mean,
				     s->st.sd, s->unit));
	}
	for (size_t e = 0; e < m->nenvs; e++)
		if (ndiag[e])
			az_add_warning(m, "cv", m->envs[e].name,
				xasprintf("%s: %zu diagnostic series (never scored) vary by more than "
					     "%.0f%%", m->envs[e].name, ndiag[e], o->cv_warn * 100),
				xasprintf("e.g. %s %s%s%s: CV %.1f%%, n %zu", ex[e]->bench, ex[e]->metric,
					     *ex[e]->params ? " " : "", ex[e]->params, ex[e]->st.cv * 100,
					     ex[e]->st.n));
	free(ndiag);
	free(ex);
}

/* Headline series with fewer than min_reps samples, one warning per env. */
static void few_reps(hvb_model *m, const az_opts *o)
{
	size_t *n = xcalloc(m->nenvs ? m->nenvs : 1, sizeof *n);
	const hvb_series **ex = xcalloc(m->nenvs ? m->nenvs : 1, sizeof *ex);
	for (size_t i = 0; i < m->nseries; i++) {
		const hvb_series *s = &m->series[i];
		if (s->st.n < (size_t)o->min_reps && headline(m, s) && !n[s->env_idx]++)
			ex[s->env_idx] = s;
	}
	for (size_t e = 0; e < m->nenvs; e++) {
		if (!n[e])
			continue;
		add_scored(m, "few-reps", m->envs[e].name, 1,
			xasprintf("%s: %zu headline series have fewer than %d samples: %s (run "
				     "with --reps 5 or more)", m->envs[e].name, n[e], o->min_reps,
				     o->min_reps > 2 ? "a weak confidence interval; with fewer than 2 "
				     "they are left out of the score" : "left out of the score"),
			xasprintf("e.g. %s %s%s%s: n %zu, first sample at %s:%ld", ex[e]->bench,
				     ex[e]->metric, *ex[e]->params ? " " : "", ex[e]->params, ex[e]->st.n,
				     ex[e]->n_samples ? az_sample_row(m, ex[e], 0)->sh->file : "-",
				     ex[e]->n_samples ? (long)az_sample_row(m, ex[e], 0)->line : 0L));
	}
	free(n);
	free(ex);
}

/* What the scoring left out, per env and reason: exclusions of the
 * profile and series with no baseline; and machines without a baseline. */
static void scoring(hvb_model *m)
{
	for (size_t e = 0; e < m->nenvs; e++) {
		const hvb_env *v = &m->envs[e];
		if (m->scoring.nmachines > 1 && !v->machine)
			add_scored(m, "machine", v->name, 1,
				xasprintf("%s: no `hvbench machine` info row says which machine it ran "
					     "on, and the campaign has %zu machines: it is compared with %s",
					     v->name, m->scoring.nmachines, m->baseline ? m->baseline : "nothing"),
				xstrdup("collect writes the row; by hand: hvbench run --machine NAME"));
		else if (v->machine && strcmp(v->machine, "mixed") == 0)
			add_scored(m, "machine", v->name, 1,
				xasprintf("%s: its rows name more than one machine: one label should be "
					     "one environment on one machine", v->name),
				xstrdup("`hvbench machine` info rows with different notes"));
		else if (v->base_idx == (size_t)-1 && m->scoring.nmachines > 1)
			add_scored(m, "machine", v->name, 1,
				xasprintf("%s: machine %s has no bare-metal environment to compare with: "
					     "it is not scored", v->name, v->machine),
				xasprintf("no environment on %s with virt=none and container=none or "
					     "named host/native", v->machine));
	}
	/* exclusions: one warning per env and reason (the profile's reasons
	 * are few: a small list per env; one pass over the series) */
	typedef struct { const char *why; size_t n; const hvb_series *ex; } excl;
	excl **per = xcalloc(m->nenvs ? m->nenvs : 1, sizeof *per);
	size_t *nper = xcalloc(m->nenvs ? m->nenvs : 1, sizeof *nper);
	for (size_t i = 0; i < m->nseries; i++) {
		const hvb_series *s = &m->series[i];
		if (s->scored || !headline(m, s) || !az_profile_exclusion(m, s))
			continue;
		size_t e = s->env_idx, k;
		for (k = 0; k < nper[e]; k++)
			if (per[e][k].why == s->unscored_why)
				break;
		if (k == nper[e]) {
			per[e] = xrealloc(per[e], (nper[e] + 1) * sizeof *per[e]);
			per[e][nper[e]++] = (excl){ s->unscored_why, 0, s };
		}
		per[e][k].n++;
	}
	for (size_t e = 0; e < m->nenvs; e++) {
		for (size_t k = 0; k < nper[e]; k++) {
			const hvb_series *ex = per[e][k].ex;
			add_scored(m, "scoring", m->envs[e].name, 1,
				xasprintf("%s: %s", m->envs[e].name, per[e][k].why),
				xasprintf("%zu series, e.g. %s %s%s%s (scoring profile %s)", per[e][k].n,
					     ex->bench, ex->metric, *ex->params ? " " : "", ex->params,
					     m->scoring.profile));
		}
		free(per[e]);
	}
	free(per);
	free(nper);
}

/* Which DMI vendor strings each CPUID signature goes with. */
static const struct { const char *sig, *vendors; } sigmap[] = {
	{ "KVMKVMKVM",    "QEMU|Red Hat|Amazon|Google|DigitalOcean|Hetzner|OpenStack|Nutanix|oVirt" },
	{ "TCGTCGTCGTCG", "QEMU" },
	{ "VMwareVMware", "VMware" },
	{ "VBoxVBoxVBox", "innotek|Oracle|VirtualBox" },
	{ "Microsoft Hv", "Microsoft" },
	{ "XenVMMXenVMM", "Xen|Amazon" },
	{ " lrpepyh  vr", "Parallels" },
	{ "bhyve bhyve ", "BHYVE" },
};
static const char *const hv_vendors = "QEMU|VMware|innotek|VirtualBox|Microsoft Corporation|Xen|Parallels|BHYVE";

static int vendor_in(const char *vendor, const char *list)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", list);
	for (char *save = NULL, *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save))
		if (strcasestr(vendor, t))
			return 1;
	return 0;
}

static void signature(hvb_model *m)
{
	const az_row **sig_row = NULL;
	for (size_t e = 0; e < m->nenvs; e++) {
		const hvb_env *v = &m->envs[e];
		if (!v->dmi_vendor)
			continue;
		const char *sig = v->cpuid_sig ? v->cpuid_sig : "";
		char *why = NULL;
		if (!*sig) {
			if (vendor_in(v->dmi_vendor, hv_vendors))
				why = xasprintf("DMI vendor \"%s\" is a hypervisor's, but the CPU "
						   "reports no hypervisor signature", v->dmi_vendor);
		} else {
			int known = 0;
			for (size_t i = 0; i < sizeof sigmap / sizeof sigmap[0]; i++)
				if (strncmp(sig, sigmap[i].sig, strlen(sigmap[i].sig)) == 0) {
					known = 1;
					if (!vendor_in(v->dmi_vendor, sigmap[i].vendors))
						why = xasprintf("CPUID signature \"%s\" does not go with "
								   "DMI vendor \"%s\"", sig, v->dmi_vendor);
				}
			(void)known;
		}
		if (why) {
			if (!sig_row) {   /* once: each env's first signature row */
				sig_row = xcalloc(m->nenvs, sizeof *sig_row);
				const az_priv *pv = az_priv_of(m);
				for (size_t i = 0; i < pv->nrows; i++) {
					const az_row *r = &pv->rows[i];
					if (r->sh->status[0] != 'i' ||
					    strcmp(r->sh->metric, "cpuid_hv_signature") != 0)
						continue;
					if (!sig_row[r->sh->env_idx])
						sig_row[r->sh->env_idx] = r;
				}
			}
			const az_row *ev = sig_row[(size_t)(v - m->envs)];
			char *msg = xasprintf("%s: %s (nested virtualization, a disguised "
						 "hypervisor, or a mislabelled environment)", v->name, why);
			free(why);
			az_add_warning(m, "signature", v->name, msg,
				ev ? xasprintf("%s:%ld", ev->sh->file, (long)ev->line)
				   : xstrdup("no cpuid_hv_signature row; dmi_sys_vendor row"));
		}
	}
	free(sig_row);
}

static void cpu_model(hvb_model *m)
{
	size_t ref = m->baseline ? az_env_index(m, m->baseline) : (size_t)-1;
	if (ref == (size_t)-1 || !m->envs[ref].cpu_model)
		for (size_t e = 0; e < m->nenvs; e++)
			if (m->envs[e].cpu_model) {
				ref = e;
				break;
			}
	if (ref == (size_t)-1)
		return;
	for (size_t e = 0; e < m->nenvs; e++) {
		const hvb_env *v = &m->envs[e];
		/* against its own machine's baseline when it has one with a model */
		const hvb_env *r = v->base_idx < m->nenvs && m->envs[v->base_idx].cpu_model
			? &m->envs[v->base_idx] : &m->envs[ref];
		if (v == r || !v->cpu_model || strcmp(v->cpu_model, r->cpu_model) == 0)
			continue;
		az_add_warning(m, "cpu-model", v->name,
			xasprintf("%s ran on a different CPU model than %s: differences may come "
				     "from the hardware (or an emulated CPU), not only the virtualization",
				     v->name, r->name),
			xasprintf("cpu_model \"%s\" vs \"%s\"", v->cpu_model, r->cpu_model));
	}
}

/* Warnings grouped for a reader: by kind (in the order kinds first
 * appear), then environment, then as found. */
static const hvb_model *wsort_m;
static int kind_rank(const char *k)
{
	for (size_t i = 0; i < wsort_m->nwarnings; i++)
		if (strcmp(wsort_m->warnings[i].kind, k) == 0)
			return (int)i;
	return 0;
}

typedef struct wkey { int kind; const char *env; size_t i; } wkey;
static int cmp_wkey(const void *a, const void *b)
{
	const wkey *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	int c = strcmp(x->env ? x->env : "", y->env ? y->env : "");
	if (c)
		return c;
	return (x->i > y->i) - (x->i < y->i);
}

static void group_warnings(hvb_model *m)
{
	size_t n = m->nwarnings;
	if (n < 2)
		return;
	wsort_m = m;
	wkey *k = xmalloc(n * sizeof *k);
	/* kind ranks: first appearance, via a scan that is linear in the
	 * number of distinct kinds (a handful) */
	const char *kinds[32];
	int nk = 0;
	for (size_t i = 0; i < n; i++) {
		int r = -1;
		for (int j = 0; j < nk; j++)
			if (strcmp(kinds[j], m->warnings[i].kind) == 0)
				r = j;
		if (r < 0)
			r = nk < 32 ? (kinds[nk] = m->warnings[i].kind, nk++) : kind_rank(m->warnings[i].kind) + 32;
		k[i] = (wkey){ r, m->warnings[i].env, i };
	}
	qsort(k, n, sizeof *k, cmp_wkey);
	hvb_warning *w = xmalloc(n * sizeof *w);
	for (size_t i = 0; i < n; i++)
		w[i] = m->warnings[k[i].i];
	free(m->warnings);
	m->warnings = w;
	az_priv_of(m)->warnings_cap = n;
	free(k);
}

void az_warnings(hvb_model *m, const az_opts *o)
{
	scoring(m);
	clocksource(m);
	steal(m, o);
	skew(m, o);
	signature(m);
	cpu_model(m);
	few_reps(m, o);
	cv(m, o);
	az_paired_warnings(m);   /* drift: paired.c */
	az_disturb_warnings(m);  /* capacity: disturb.c */
	group_warnings(m);
}
