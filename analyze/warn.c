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
	m->warnings = az_xrealloc(m->warnings, (m->nwarnings + 1) * sizeof *m->warnings);
	hvb_warning *w = &m->warnings[m->nwarnings++];
	w->kind = az_xstrdup(kind);
	w->env = env ? az_xstrdup(env) : NULL;
	w->message = message;
	w->evidence = evidence;
}

static void clocksource(hvb_model *m)
{
	/* Per run: the before row, then a different after row. */
	const hvb_row **cs = NULL;
	size_t n = 0;
	for (size_t i = 0; i < m->nrows; i++)
		if (m->rows[i].status[0] == 'i' && strncmp(m->rows[i].metric, "clocksource_", 12) == 0) {
			cs = az_xrealloc(cs, (n + 1) * sizeof *cs);
			cs[n++] = &m->rows[i];
		}
	for (size_t i = 0; i < n; i++) {
		const hvb_row *a = cs[i];
		if (strcmp(a->metric, "clocksource_after") != 0)
			continue;
		for (size_t j = 0; j < n; j++) {
			const hvb_row *b = cs[j];
			if (b->run != a->run || b->env != a->env || b->bench != a->bench ||
			    strcmp(b->metric, "clocksource_before") != 0)
				continue;
			if (strcmp(a->note, b->note) != 0) {
				az_add_warning(m, "clocksource", a->env,
					az_xasprintf("clocksource changed from %s to %s during run %s of %s: "
						     "its timings may be wrong", b->note, a->note, a->run, a->bench),
					az_xasprintf("%s:%ld and %s:%ld", b->file, b->line, a->file, a->line));
				size_t e = az_env_index(m, a->env);
				if (e != (size_t)-1 && !strstr(m->envs[e].clocksource ? m->envs[e].clocksource : "", " -> ")) {
					free(m->envs[e].clocksource);
					m->envs[e].clocksource = az_xasprintf("%s -> %s", b->note, a->note);
				}
			}
			break;
		}
	}
	free(cs);
}

static void steal(hvb_model *m, const az_opts *o)
{
	for (size_t i = 0; i < m->nrows; i++) {
		const hvb_row *r = &m->rows[i];
		if (r->status[0] == 'i' && strcmp(r->metric, "steal_pct") == 0 &&
		    r->value > o->steal_warn_pct)
			az_add_warning(m, "steal", r->env,
				az_xasprintf("steal time %.1f%% during a %s run (above %g%%): the "
					     "hypervisor's host was busy, results are low", r->value,
					     r->bench, o->steal_warn_pct),
				az_xasprintf("%s:%ld", r->file, r->line));
	}
}

/* Why a guest can look faster than its host, from what is known of its
 * clock: a container reads the host's own clock; collect's host-side
 * timing measures a guest's (analyze/hostcost.c). */
static const char *skew_cause(const hvb_model *m, const hvb_env *e, const az_opts *o)
{
	static char buf[320];
	size_t b = az_env_index(m, m->baseline);
	const hvb_env *base = b != (size_t)-1 ? &m->envs[b] : NULL;
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
			az_add_warning(m, "skew", s->env,
				az_xasprintf("%s is %.1f%% faster than the host %s on %s %s%s%s: a guest "
					     "cannot outrun its host on a CPU- or memory-bound metric; %s",
					     s->env, (s->cmp.ratio - 1) * 100, m->baseline, s->bench,
					     s->metric, *s->params ? " " : "", s->params,
					     skew_cause(m, &m->envs[s->env_idx], o)),
				az_xasprintf("mean %.6g vs %.6g %s on the host, ratio %.4f (n %zu)",
					     s->st.mean, s->better > 0 ? s->st.mean / s->cmp.ratio
								       : s->st.mean * s->cmp.ratio,
					     s->unit, s->cmp.ratio, s->st.n));
	}
}

static void cv(hvb_model *m, const az_opts *o)
{
	for (size_t i = 0; i < m->nseries; i++) {
		const hvb_series *s = &m->series[i];
		if (s->st.cv > o->cv_warn)
			az_add_warning(m, "cv", s->env,
				az_xasprintf("%s %s%s%s varies by %.1f%% (CV above %.0f%%): too noisy "
					     "to tell small differences", s->bench, s->metric,
					     *s->params ? " " : "", s->params, s->st.cv * 100,
					     o->cv_warn * 100),
				az_xasprintf("n %zu, mean %.6g, sd %.6g %s", s->st.n, s->st.mean,
					     s->st.sd, s->unit));
	}
}

static void few_reps(hvb_model *m, const az_opts *o)
{
	for (size_t e = 0; e < m->nenvs; e++) {
		size_t n = 0;
		const hvb_series *ex = NULL;
		for (size_t i = 0; i < m->nseries; i++)
			if (m->series[i].env_idx == e && m->series[i].st.n < (size_t)o->min_reps) {
				if (!n++)
					ex = &m->series[i];
			}
		if (n)
			az_add_warning(m, "few-reps", m->envs[e].name,
				az_xasprintf("%zu series of %s have fewer than %d samples: no useful "
					     "confidence interval (run with --reps 5 or more)", n,
					     m->envs[e].name, o->min_reps),
				az_xasprintf("e.g. %s %s%s%s: n %zu, first sample at %s:%ld", ex->bench,
					     ex->metric, *ex->params ? " " : "", ex->params, ex->st.n,
					     ex->n_samples ? ex->sample_rows[0]->file : "-",
					     ex->n_samples ? ex->sample_rows[0]->line : 0L));
	}
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
	for (size_t e = 0; e < m->nenvs; e++) {
		const hvb_env *v = &m->envs[e];
		if (!v->dmi_vendor)
			continue;
		const char *sig = v->cpuid_sig ? v->cpuid_sig : "";
		char *why = NULL;
		if (!*sig) {
			if (vendor_in(v->dmi_vendor, hv_vendors))
				why = az_xasprintf("DMI vendor \"%s\" is a hypervisor's, but the CPU "
						   "reports no hypervisor signature", v->dmi_vendor);
		} else {
			int known = 0;
			for (size_t i = 0; i < sizeof sigmap / sizeof sigmap[0]; i++)
				if (strncmp(sig, sigmap[i].sig, strlen(sigmap[i].sig)) == 0) {
					known = 1;
					if (!vendor_in(v->dmi_vendor, sigmap[i].vendors))
						why = az_xasprintf("CPUID signature \"%s\" does not go with "
								   "DMI vendor \"%s\"", sig, v->dmi_vendor);
				}
			(void)known;
		}
		if (why) {
			const hvb_row *ev = NULL;
			for (size_t i = 0; i < m->nrows && !ev; i++)
				if (m->rows[i].status[0] == 'i' && strcmp(m->rows[i].env, v->name) == 0 &&
				    strcmp(m->rows[i].metric, "cpuid_hv_signature") == 0)
					ev = &m->rows[i];
			char *msg = az_xasprintf("%s: %s (nested virtualization, a disguised "
						 "hypervisor, or a mislabelled environment)", v->name, why);
			free(why);
			az_add_warning(m, "signature", v->name, msg,
				ev ? az_xasprintf("%s:%ld", ev->file, ev->line)
				   : az_xstrdup("no cpuid_hv_signature row; dmi_sys_vendor row"));
		}
	}
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
	const hvb_env *r = &m->envs[ref];
	for (size_t e = 0; e < m->nenvs; e++) {
		const hvb_env *v = &m->envs[e];
		if (e == ref || !v->cpu_model || strcmp(v->cpu_model, r->cpu_model) == 0)
			continue;
		az_add_warning(m, "cpu-model", v->name,
			az_xasprintf("%s ran on a different CPU model than %s: differences may come "
				     "from the hardware (or an emulated CPU), not only the virtualization",
				     v->name, r->name),
			az_xasprintf("cpu_model \"%s\" vs \"%s\"", v->cpu_model, r->cpu_model));
	}
}

void az_warnings(hvb_model *m, const az_opts *o)
{
	clocksource(m);
	steal(m, o);
	skew(m, o);
	signature(m);
	cpu_model(m);
	few_reps(m, o);
	cv(m, o);
	az_paired_warnings(m);   /* drift: paired.c */
}
