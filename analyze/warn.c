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
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <gsl/gsl_cdf.h>
#include "analyze.h"
#include "internal.h"

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
		if (pv->rows[i].sh->st == AZ_ST_INFO &&
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
		if (r->sh->st == AZ_ST_INFO && strcmp(r->sh->metric, "steal_pct") == 0 &&
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
		/* one row of the noise table (noise_table()), not a line of
		 * "What touches the ranking": its spread is in its CI already */
		add_scored(m, "cv", s->env, 0,
			xasprintf("%s: %s %s%s%s varies by %.1f%% (CV above %.0f%%): too noisy "
				     "to tell small differences", s->env, s->bench, s->metric,
				     *s->params ? " " : "", s->params, s->st.cv * 100,
				     o->cv_warn * 100),
			xasprintf("n %zu, mean %.6g, sd %.6g %s", s->st.n, s->st.mean,
				     s->st.sd, s->unit));
		m->warnings[m->nwarnings - 1].noise_row = 1;
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
					if (r->sh->st != AZ_ST_INFO ||
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
static int kind_rank(const hvb_model *m, const char *k)
{
	for (size_t i = 0; i < m->nwarnings; i++)
		if (strcmp(m->warnings[i].kind, k) == 0)
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
			r = nk < 32 ? (kinds[nk] = m->warnings[i].kind, nk++) : kind_rank(m, m->warnings[i].kind) + 32;
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

/* ---- The noise table: each headline series with CV above the cv
 * warning's threshold, its share of its environment's overall score (its
 * metric's weight in its category over the category's counted weight,
 * times the category's weight over the env's categories'), what was done
 * with it; heaviest first.  One pass over the groups, one sort. */
static int cat_index(const hvb_model *m, const char *cat)
{
	for (size_t j = 0; j < m->scoring.ncategories; j++)
		if (cat && strcmp(m->scoring.categories[j], cat) == 0)
			return (int)j;
	return -1;
}

static int cmp_noisy(const void *a, const void *b, void *ctx)
{
	const hvb_model *m = ctx;
	const hvb_noisy *x = a, *y = b;
	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	double u = m->series[x->series].st.cv, v = m->series[y->series].st.cv;
	if (u != v)
		return u > v ? -1 : 1;
	return (x->series > y->series) - (x->series < y->series);
}

static void noise_table(hvb_model *m, const az_opts *o)
{
	size_t ne = m->nenvs, nc = m->scoring.ncategories;
	m->noisy_cv = o->cv_warn;
	double *wcat = xcalloc(ne * nc + 1, sizeof *wcat);     /* scored weight per env, category */
	double *wenv = xcalloc(ne + 1, sizeof *wenv);          /* category weights per env */
	int *cix = xmalloc((m->ngroups ? m->ngroups : 1) * sizeof *cix);
	for (size_t gi = 0; gi < m->ngroups; gi++) {
		const hvb_metric_group *g = &m->groups[gi];
		cix[gi] = cat_index(m, g->category);
		for (size_t j = 0; j < g->n && cix[gi] >= 0; j++) {
			const hvb_series *s = &m->series[g->series[j]];
			if (s->scored)
				wcat[s->env_idx * nc + (size_t)cix[gi]] += g->weight;
		}
	}
	for (size_t e = 0; e < ne; e++)
		for (size_t c = 0; c < nc; c++)
			if (wcat[e * nc + c] > 0 && m->scoring.cat_weights[c] > 0)
				wenv[e] += m->scoring.cat_weights[c];
	size_t cap = 0;
	for (size_t gi = 0; gi < m->ngroups; gi++) {
		const hvb_metric_group *g = &m->groups[gi];
		for (size_t j = 0; j < g->n; j++) {
			const hvb_series *s = &m->series[g->series[j]];
			if (!(s->st.cv > o->cv_warn) || !headline(m, s))
				continue;
			if (m->nnoisy == cap)
				m->noisy = xrealloc(m->noisy, (cap = cap ? 2 * cap : 16) * sizeof *m->noisy);
			hvb_noisy *r = &m->noisy[m->nnoisy++];
			r->series = g->series[j];
			r->weight = 0;
			size_t k = s->env_idx * nc + (size_t)(cix[gi] < 0 ? 0 : cix[gi]);
			if (s->scored && cix[gi] >= 0 && wcat[k] > 0 && wenv[s->env_idx] > 0)
				r->weight = g->weight / wcat[k] * m->scoring.cat_weights[cix[gi]] / wenv[s->env_idx];
			const char *pair = s->cmp.paired_rounds ? ", paired by round" : "";
			if (m->envs[s->env_idx].base_idx == s->env_idx)
				r->done = xasprintf("the baseline: every ratio to it carries its spread%s",
						    s->st.n_outliers ? "; outliers flagged, kept" : "");
			else if (!s->scored)
				r->done = xasprintf("not scored: %s", s->unscored_why ? s->unscored_why : "?");
			else if (s->st.n_outliers && m->dropped_outliers)
				r->done = xasprintf("scored%s; %zu outlier%s left out (--drop-outliers)", pair,
						    s->st.n_outliers, s->st.n_outliers > 1 ? "s" : "");
			else if (s->st.n_outliers)
				r->done = xasprintf("scored%s; %zu outlier%s flagged, kept", pair,
						    s->st.n_outliers, s->st.n_outliers > 1 ? "s" : "");
			else
				r->done = xasprintf("scored as measured%s; its CI carries the spread", pair);
		}
	}
	if (m->nnoisy > 1)
		qsort_r(m->noisy, m->nnoisy, sizeof *m->noisy, cmp_noisy, m);
	free(wcat);
	free(wenv);
	free(cix);
}

/* ---- "What touches the ranking": one line per kind of thing that
 * changed or could change a score or a rank, with its count (model.h,
 * hvb_touch).  Each gathers over the series, scores, warnings or
 * disturbed items in one pass. */
static void touch(hvb_model *m, size_t *cap, const char *kind, size_t count, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void touch(hvb_model *m, size_t *cap, const char *kind, size_t count, const char *fmt, ...)
{
	if (m->ntouches >= HVB_TOUCH_MAX)
		return;
	if (m->ntouches == *cap)
		m->touches = xrealloc(m->touches, (*cap = *cap ? 2 * *cap : 8) * sizeof *m->touches);
	va_list ap;
	va_start(ap, fmt);
	hvb_touch *t = &m->touches[m->ntouches++];
	t->kind = kind;
	t->message = xvasprintf(fmt, ap);
	t->count = count;
	va_end(ap);
}

/* " (a, b, c and 4 more)" of up to three names. */
static char *some(const char *const *names, size_t n, size_t total)
{
	if (!total)
		return xstrdup("");
	if (total == 1)
		return xasprintf("%s", names[0]);
	if (total == 2 && n >= 2)
		return xasprintf("%s and %s", names[0], names[1]);
	if (total == 3 && n >= 3)
		return xasprintf("%s, %s and %s", names[0], names[1], names[2]);
	return xasprintf("%s, %s, %s and %zu more", names[0], names[1], n > 2 ? names[2] : "?", total - 3);
}

/* What the profile, the disturbance rule and the baselines took out or
 * changed (items 1-4 of "What touches the ranking"). */
static void touches_left_out(hvb_model *m, size_t *cap, unsigned char *seen)
{
	size_t ne = m->nenvs;
	const char *names[3];
	/* 1. headline series the profile took out of a score, by reason (the
	 * profile's exclusion reasons: a few distinct strings; past 8 they
	 * are under Warnings only) */
	enum { NEX = 8 };
	typedef struct { const char *why; size_t n, nenv; const char *env[3]; } excl;
	excl ex[NEX];
	size_t nex = 0;
	unsigned char *eseen = xcalloc(NEX * (ne + 1), 1);
	for (size_t i = 0; i < m->nseries; i++) {
		const hvb_series *s = &m->series[i];
		if (s->scored || !headline(m, s) || !az_profile_exclusion(m, s))
			continue;
		size_t k;
		for (k = 0; k < nex && ex[k].why != s->unscored_why; k++)
			;
		if (k == nex) {
			if (nex == NEX)
				continue;
			ex[nex++] = (excl){ s->unscored_why, 0, 0, { NULL, NULL, NULL } };
		}
		ex[k].n++;
		if (!eseen[k * (ne + 1) + s->env_idx]) {
			eseen[k * (ne + 1) + s->env_idx] = 1;
			if (ex[k].nenv < 3)
				ex[k].env[ex[k].nenv] = s->env;
			ex[k].nenv++;
		}
	}
	free(eseen);
	for (size_t k = 0; k < nex; k++) {
		char *who = some(ex[k].env, ex[k].nenv < 3 ? ex[k].nenv : 3, ex[k].nenv);
		touch(m, cap, "excluded", ex[k].n, "%zu headline series of %s left out of %s scores by the "
		      "scoring profile: %s", ex[k].n, who, ex[k].nenv > 1 ? "their" : "its",
		      ex[k].why ? ex[k].why : "?");
		free(who);
	}
	/* 2. disturbed repetitions and runs */
	if (m->ndisturbed) {
		size_t left = 0, samples = 0, nenv = 0;
		memset(seen, 0, ne + 1);
		for (size_t i = 0; i < m->ndisturbed; i++) {
			const hvb_disturbed *d = &m->disturbed[i];
			left += !d->kept;
			samples += d->samples;
			if (d->env_idx < ne && !seen[d->env_idx]) {
				seen[d->env_idx] = 1;
				if (nenv < 3)
					names[nenv] = d->env;
				nenv++;
			}
		}
		char *who = some(names, nenv < 3 ? nenv : 3, nenv);
		if (left)
			touch(m, cap, "disturbed", left, "%zu disturbed repetition%s or run%s of %s left out of "
			      "the statistics and scores (%zu samples)%s; listed under the verdict", left,
			      left > 1 ? "s" : "", left > 1 ? "s" : "", who, samples,
			      left < m->ndisturbed ? ", the others kept by --keep-disturbed" : "");
		else
			touch(m, cap, "disturbed", m->ndisturbed, "%zu disturbed repetition%s or run%s of %s kept "
			      "in the statistics and scores by --keep-disturbed (%zu samples)", m->ndisturbed,
			      m->ndisturbed > 1 ? "s" : "", m->ndisturbed > 1 ? "s" : "", who, samples);
		free(who);
	}
	/* 3. incomplete overall scores: shown, not ranked */
	size_t ninc = 0;
	for (size_t i = 0; i < m->nscores; i++) {
		const hvb_score *s = &m->scores[i];
		if (strcmp(s->category, "overall") != 0 || s->complete ||
		    m->envs[s->env_idx].base_idx == s->env_idx)
			continue;
		if (ninc < 3)
			names[ninc] = m->envs[s->env_idx].name;
		ninc++;
	}
	if (ninc) {
		char *who = some(names, ninc < 3 ? ninc : 3, ninc);
		touch(m, cap, "incomplete", ninc, "%zu overall score%s incomplete (%s): %s a metric or category "
		      "the baseline has, so shown and not ranked", ninc, ninc > 1 ? "s are" : " is", who,
		      ninc > 1 ? "each lacks" : "it lacks");
		free(who);
	}
	/* 4. a baseline substituted: environments not compared with their own
	 * machine's bare metal (the machine warnings), a baseline chosen among
	 * several */
	size_t nmach = 0;
	const hvb_warning *w1 = NULL;
	for (size_t i = 0; i < m->nwarnings; i++)
		if (strcmp(m->warnings[i].kind, "machine") == 0) {
			if (!w1)
				w1 = &m->warnings[i];
			nmach++;
		}
	if (nmach)
		touch(m, cap, "baseline", nmach, "%zu environment%s without its own machine's baseline: %s%s",
		      nmach, nmach > 1 ? "s" : "", w1->message, nmach > 1 ? " (and the others under Warnings)" : "");
	if (m->baseline && m->baseline_why && strstr(m->baseline_why, "several such"))
		touch(m, cap, "baseline", 1, "the baseline %s was chosen among several bare-metal environments "
		      "(--baseline chooses another)", m->baseline);
}

static int score_within_floor(const hvb_score *s)
{
	return s->within_floor;
}

static int score_few_rounds(const hvb_score *s)
{
	return s->few_rounds != 0;
}

/* The first score for which pred holds (NULL if none), and in *n how many. */
static const hvb_score *first_score_with(const hvb_model *m, int (*pred)(const hvb_score *), size_t *n)
{
	const hvb_score *first = NULL;
	*n = 0;
	for (size_t i = 0; i < m->nscores; i++)
		if (pred(&m->scores[i])) {
			if (!first)
				first = &m->scores[i];
			(*n)++;
		}
	return first;
}

/* What the scores rest on that is thin: the noise floor, few rounds or
 * repetitions, and the warnings that touch a score (items 5-10). */
static void touches_thin(hvb_model *m, const az_opts *o, size_t *cap, unsigned char *seen)
{
	size_t ne = m->nenvs;
	const char *names[3];
	/* 5. ties by the noise floor (A/A pairs) */
	if (m->naa) {
		double fl = NAN, any = NAN;   /* the overall floor; else the largest */
		for (size_t i = 0; i < m->naa_scores; i++) {
			double f = m->aa_scores[i].floor;
			if (strcmp(m->aa_scores[i].category, "overall") == 0 && !(f <= fl))
				fl = f;
			if (!(f <= any))
				any = f;
		}
		if (!isfinite(fl))
			fl = any;
		size_t nw;
		const hvb_score *e1 = first_score_with(m, score_within_floor, &nw);
		if (e1)
			touch(m, cap, "noise-floor", nw, "A/A pair %s = %s: noise floor %.1f %% overall; %zu score%s "
			      "within %s category's floor count%s as a tie with the baseline (e.g. %s %s)",
			      m->aa[0].a, m->aa[0].b, fl * 100, nw, nw > 1 ? "s" : "", nw > 1 ? "their" : "its",
			      nw > 1 ? "" : "s", m->envs[e1->env_idx].name, e1->category);
		else
			touch(m, cap, "noise-floor", 0, "A/A pair %s = %s: noise floor %.1f %% overall; no score is "
			      "within its category's floor", m->aa[0].a, m->aa[0].b, fl * 100);
	}
	/* 6. scores on few rounds (runs), or on one run's repetitions */
	size_t k = m->scoring.boot_min_units;
	const char *unit = m->nplanruns ? "rounds" : "runs";
	size_t nfr;
	const hvb_score *fr = first_score_with(m, score_few_rounds, &nfr);
	if (fr)
		touch(m, cap, "few-rounds", nfr, "%zu score%s (e.g. %s %s) rest%s on only %zu %s of some "
		      "benchmark, after runs were left out: too few rounds for a 95%% CI, so %s no interval, "
		      "no rank of %s own and no noise floor; run the missing rounds again (collect/plan "
		      "--until re-runs disturbed runs)", nfr, nfr > 1 ? "s" : "", m->envs[fr->env_idx].name,
		      fr->category, nfr > 1 ? "" : "s", fr->few_rounds, unit, nfr > 1 ? "they have" : "it has",
		      nfr > 1 ? "their" : "its");
	if (k >= AZ_CI_MIN_ROUNDS && k < 10)
		touch(m, cap, "few-rounds", k, "scores rest on as few as %zu %s: their 95%% CIs are widened "
		      "x%.2f for it (expanded percentile); more %s narrow them", k, unit,
		      sqrt((double)k / (double)(k - 1)) * gsl_cdf_tdist_Pinv(0.975, (double)(k - 1)) /
		      gsl_cdf_ugaussian_Pinv(0.975), unit);
	if (m->scoring.boot_flat_streams)
		touch(m, cap, "few-rounds", m->scoring.boot_flat_streams, "%zu score stream%s rest%s on one run "
		      "each: %s CI resamples repetitions and cannot see run-to-run variation",
		      m->scoring.boot_flat_streams, m->scoring.boot_flat_streams > 1 ? "s" : "",
		      m->scoring.boot_flat_streams > 1 ? "" : "s", m->scoring.boot_flat_streams > 1 ? "their" : "its");
	/* 7. headline series with few samples */
	size_t nfew = 0, nfenv = 0;
	memset(seen, 0, ne + 1);
	for (size_t i = 0; i < m->nseries; i++) {
		const hvb_series *s = &m->series[i];
		if (s->st.n >= (size_t)o->min_reps || !headline(m, s))
			continue;
		nfew++;
		if (!seen[s->env_idx]) {
			seen[s->env_idx] = 1;
			if (nfenv < 3)
				names[nfenv] = s->env;
			nfenv++;
		}
	}
	if (nfew) {
		char *who = some(names, nfenv < 3 ? nfenv : 3, nfenv);
		touch(m, cap, "few-reps", nfew, "%zu headline series of %s have fewer than %d samples: weak "
		      "CIs; with fewer than 2 they are left out of the score", nfew, who, o->min_reps);
		free(who);
	}
	/* 8. scored series faster than the baseline where a guest cannot be
	 * (skew), 9. drift, 10. capacity: counted from their warnings */
	static const char *const kinds[] = { "skew", "drift", "capacity" };
	for (size_t q = 0; q < 3; q++) {
		size_t n = 0, nenv = 0;
		const hvb_warning *first = NULL;
		memset(seen, 0, ne + 1);
		for (size_t i = 0; i < m->nwarnings; i++) {
			const hvb_warning *x = &m->warnings[i];
			if (strcmp(x->kind, kinds[q]) != 0 || (q == 0 && !x->touches_score))
				continue;
			if (!first)
				first = x;
			n++;
			size_t e = x->env ? az_env_index(m, x->env) : (size_t)-1;
			if (e < ne && !seen[e]) {
				seen[e] = 1;
				if (nenv < 3)
					names[nenv] = m->envs[e].name;
				nenv++;
			}
		}
		if (!n)
			continue;
		char *who = some(names, nenv < 3 ? nenv : 3, nenv);
		if (q == 0)
			touch(m, cap, "skew", n, "%zu scored series of %s faster than the baseline on a cpu or "
			      "memory metric, which a guest cannot be: time skew or noise (Warnings, skew)", n, who);
		else if (q == 1)
			touch(m, cap, "drift", n, "%s%s", first->message, n > 1 ? " (and more under Warnings)" : "");
		else
			touch(m, cap, "capacity", n, "%zu run%s of %s missed CPUs by the capacity probe: %s all-CPU "
			      "figures are not the environment's (Warnings, capacity)", n, n > 1 ? "s" : "", who,
			      n > 1 ? "their" : "its");
		free(who);
	}
}

static void touches(hvb_model *m, const az_opts *o)
{
	size_t cap = 0;
	unsigned char *seen = xcalloc(m->nenvs + 1, 1);
	touches_left_out(m, &cap, seen);
	touches_thin(m, o, &cap, seen);
	free(seen);
}

void az_warnings(hvb_model *m, const az_opts *o)
{
	scoring(m);
	clocksource(m);
	steal(m, o);
	skew(m, o);
	signature(m);
	cpu_model(m);
	az_arch_warnings(m);     /* arch: arch.c */
	few_reps(m, o);
	cv(m, o);
	az_paired_warnings(m);   /* drift: paired.c */
	az_disturb_warnings(m);  /* capacity: disturb.c */
	group_warnings(m);
	noise_table(m, o);
	touches(m, o);
}
