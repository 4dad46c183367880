/*
 * html.c - the HTML report: turns the results model (and the charts gnuplot
 * drew) into a view for the template engine, then renders templates/
 * report.html or --template FILE.  Every string from a CSV enters the view
 * as text, which the engine HTML-escapes; only the SVG gnuplot drew and the
 * built-in stylesheet enter as trusted HTML.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>
#include "rint.h"
#include "../version.h"

#define NB 64

static void chart_into(tv *o, const char *key, chart_set *cs, const char *name)
{
	chart *c = charts_find(cs, name);
	if (c && c->svg)
		tv_html(o, key, xstrdup(c->svg));
}

/* Warnings of one kind shown before the rest are folded. */
#define HTML_WARN_SHOWN 3

/* A score's cells.  Its colour (worse, better) and its class for the
 * verdict words are report_score_verdict()'s: only when the CI shown beside
 * it excludes "no difference" and it is outside the noise floor. */
static const char *const verdict_class[] = { "baseline", "nodiff", "slower", "faster", "unknown" };

static void score_fields(const hvb_model *m, tv *o, const hvb_score *sc)
{
	char b[NB], c[NB];
	tv_text(o, "score", fmt_num(b, NB, sc->geomean));
	double ov = sc->geomean > 0 ? (1 / sc->geomean - 1) * 100 : NAN;
	tv_text(o, "overhead", fmt_pct(b, NB, ov));
	if (isfinite(sc->lo) && isfinite(sc->hi) && sc->lo > 0 && sc->hi > 0) {
		fmt_pct(b, NB, (1 / sc->hi - 1) * 100);
		fmt_pct(c, NB, (1 / sc->lo - 1) * 100);
		tv_textf(o, "overhead_ci", "%s … %s", b, c);
	}
	if (sc->n_expected != sc->n_metrics)
		tv_textf(o, "n_metrics", "%zu of %zu", sc->n_metrics, sc->n_expected);
	else
		tv_textf(o, "n_metrics", "%zu", sc->n_metrics);
	if (sc->rank)
		tv_textf(o, "rank", "%d", sc->rank);
	tv_flag(o, "incomplete", !sc->complete);
	tv_flag(o, "few_rounds", sc->complete && sc->few_rounds);
	tv_flag(o, "tied", sc->rank_tied);
	tv_flag(o, "within_floor", sc->within_floor);
	int v = report_score_verdict(m, sc);
	tv_text(o, "verdict", verdict_class[v]);
	tv_flag(o, "worse", v == RV_SLOWER);
	tv_flag(o, "better", v == RV_FASTER);
}

static int cat_has_scores(const hvb_model *m, const char *cat)
{
	for (size_t i = 0; i < m->nscores; i++)
		if (m->scores[i].category && strcmp(m->scores[i].category, cat) == 0 && m->scores[i].n_metrics > 0)
			return 1;
	return 0;
}

/* e's host busy time per run over the baseline's; NAN for the baseline
 * itself, or when either has no telemetry. */
static double host_busy_ratio(const hvb_model *m, const hvb_env *e)
{
	const hvb_env *base = NULL;
	if (m->scoring.nmachines)   /* built by analyze: its machine's baseline */
		base = e->base_idx < m->nenvs ? &m->envs[e->base_idx] : NULL;
	else   /* a model built by hand: the one marked */
		for (size_t k = 0; k < m->nenvs && !base; k++)
			if (m->envs[k].is_baseline)
				base = &m->envs[k];
	if (base && base != e && base->host_runs && base->host_busy_s > 0 && isfinite(e->host_busy_s))
		return e->host_busy_s / base->host_busy_s;
	return NAN;
}

/* The verdict's "host CPU per run": CPU-seconds where the host's CPU count
 * is on record, else seconds of the whole host, and the ratio to the
 * baseline's (busy time, the same figure for both). */
static void host_cost_cell(const hvb_model *m, const hvb_env *e, tv *o)
{
	if (!e->host_runs || !isfinite(e->host_busy_s))
		return;
	char b[NB];
	if (isfinite(e->host_cpu_s))
		tv_textf(o, "host_cost", "%s CPU-s", fmt_num(b, NB, e->host_cpu_s));
	else
		tv_textf(o, "host_cost", "%s s of the host", fmt_num(b, NB, e->host_busy_s));
	double r = host_busy_ratio(m, e);
	if (isfinite(r))
		tv_textf(o, "host_cost_ratio", "×%s", fmt_num(b, NB, r));
}

static void verdict(const hvb_model *m, tv *v, chart_set *cs)
{
	chart_into(v, "overview_chart", cs, "overview");
	tv_flag(v, "has_ranking", m->nscores > 0);
	tv *rk = tv_list(v, "ranking");
	int multi = m->scoring.nmachines > 1;
	tv_flag(v, "multi_machine", multi);
	/* Overall, in the model's order: by rank (ties share one), then the
	 * incomplete ones, unranked. */
	for (size_t i = 0; i < m->nscores; i++) {
		const hvb_score *sc = &m->scores[i];
		if (strcmp(sc->category, "overall") != 0)
			continue;
		size_t e = sc->env_idx;
		tv *o = tv_push(rk);
		tv_text(o, "env", m->envs[e].name);
		tv_text(o, "color", env_color(m->envs[e].color));
		tv_flag(o, "is_baseline", m->envs[e].is_baseline);
		tv_flag(o, "multi_machine", multi);
		tv_text(o, "machine", m->envs[e].machine ? m->envs[e].machine : "?");
		score_fields(m, o, sc);
		host_cost_cell(m, &m->envs[e], o);
	}
	/* The verdict in words, one line per compared environment in rank
	 * order (the overall scores' order) */
	{
		const hvb_score **wt = report_score_table(m);
		tv *wl = tv_list(v, "verdict_words");
		for (size_t i = 0; i < m->nscores; i++) {
			const hvb_score *sc = &m->scores[i];
			if (strcmp(sc->category, "overall") != 0 || m->envs[sc->env_idx].is_baseline)
				continue;
			tv *o = tv_push(wl);
			char *w = report_verdict_words(m, sc->env_idx, wt);
			tv_text(o, "env", m->envs[sc->env_idx].name);
			tv_text(o, "color", env_color(m->envs[sc->env_idx].color));
			tv_text(o, "text", w + strlen(m->envs[sc->env_idx].name) + 2);
			tv_text(o, "verdict", verdict_class[report_score_verdict(m, sc)]);
			free(w);
		}
		free(wt);
	}
	if (m->ngroup_scores) {
		tv *gl = tv_list(v, "pooled");
		for (size_t i = 0; i < m->ngroup_scores; i++) {
			const hvb_group_score *g = &m->group_scores[i];
			if (strcmp(g->category, "overall") != 0)
				continue;
			tv *o = tv_push(gl);
			hvb_score tmp = { .geomean = g->geomean, .lo = g->lo, .hi = g->hi, .complete = 1,
					  .env_idx = (size_t)-1 };
			score_fields(m, o, &tmp);
			tv_text(o, "group", g->group);
			tv_textf(o, "machines", "%zu", g->n_machines);
		}
	}
	tv *how = tv_list(v, "how_scored");
	for (size_t i = 0; i < m->scoring.nnotes; i++)
		tv_text(tv_push(how), "text", m->scoring.notes[i]);
	tv *ns = tv_list(v, "not_scored");
	for (size_t i = 0; i < m->ngroups; i++)
		if (m->groups[i].role == HVB_UNSCORED) {
			tv *o = tv_push(ns);
			tv_text(o, "bench", m->groups[i].bench);
			tv_text(o, "metric", m->groups[i].metric);
			tv_text(o, "params", m->groups[i].params);
		}
	/* "What touches the ranking": the analyzer's few lines (warn.c,
	 * hvb_touch); a model built by hand without them lists the warnings
	 * marked touches_score */
	tv *tw = tv_list(v, "ranking_warnings");
	for (size_t i = 0; i < m->ntouches; i++) {
		tv *o = tv_push(tw);
		tv_text(o, "message", m->touches[i].message);
		tv_text(o, "kind", m->touches[i].kind);
	}
	for (size_t i = 0; i < m->nwarnings && !m->ntouches && !m->noisy_cv; i++)
		if (m->warnings[i].touches_score)
			tv_text(tv_push(tw), "message", m->warnings[i].message);
	if (m->nnoisy)
		tv_textf(v, "noisy_note", "%zu headline series vary by more than %.0f %% (CV): "
			 "their spread is in the CIs above; the noise table is under Warnings.",
			 m->nnoisy, m->noisy_cv * 100);
	for (size_t i = 0; i < m->nscores; i++)
		if (isfinite(m->scores[i].noise_floor))
			tv_flag(v, "has_floor", 1);
	if (m->nscores) {
		char *note = report_interval_note(m);
		tv_text(v, "interval_note", note);
		free(note);
	}
	for (size_t e = 0; e < m->nenvs; e++)
		if (m->envs[e].host_runs)
			tv_flag(v, "has_host_cost_col", 1);
	tv *head = tv_list(v, "cat_head");
	size_t nc = m->ncategories + 1;
	int *has = xmalloc(nc * sizeof *has);
	for (size_t c = 0; c < m->ncategories; c++)
		if ((has[c] = cat_has_scores(m, m->categories[c])))
			tv_text(tv_push(head), "name", m->categories[c]);
	const hvb_score **tab = report_score_table(m);
	tv *rows = tv_list(v, "cat_rows");
	for (size_t e = 0; e < m->nenvs && m->nscores; e++) {
		tv *o = tv_push(rows);
		tv_text(o, "env", m->envs[e].name);
		tv_text(o, "color", env_color(m->envs[e].color));
		tv_flag(o, "is_baseline", m->envs[e].is_baseline);
		tv *cells = tv_list(o, "cells");
		for (size_t c = 0; c < m->ncategories; c++) {
			if (!has[c])
				continue;
			tv *cell = tv_push(cells);
			const hvb_score *sc = tab[e * nc + c];
			if (sc)
				score_fields(m, cell, sc);
			else
				tv_text(cell, "overhead", "n/a");
		}
	}
	free(tab);
	free(has);
}

static void series_row(const hvb_model *m, const hvb_series *s, tv *o)
{
	char b[NB], c[NB];
	tv_text(o, "env", s->env);
	tv_text(o, "color", env_color(m->envs[s->env_idx].color));
	tv_flag(o, "is_baseline", m->envs[s->env_idx].is_baseline);
	tv_textf(o, "rank", "%d", s->rank);
	tv_flag(o, "tied", s->rank_tied);
	/* n, then the rounds it rests on, and why measuring stopped where that
	 * was not the fixed --reps (analyze/stops.c) */
	int fixed = !s->stop_why || strncmp(s->stop_why, "reps x", 6) == 0;
	if (s->n_rounds > 1 && fixed)
		tv_textf(o, "n", "%zu (%zu)", s->st.n, s->n_rounds);
	else if (s->n_rounds > 1)
		tv_textf(o, "n", "%zu (%zu; %s)", s->st.n, s->n_rounds, s->stop_why);
	else if (!fixed)
		tv_textf(o, "n", "%zu (%s)", s->st.n, s->stop_why);
	else
		tv_textf(o, "n", "%zu", s->st.n);
	tv_textf(o, "n_why", "%zu samples from %zu runs in %zu rounds; stopped: %s", s->st.n, s->n_runs,
		 s->n_rounds, s->stop_why ? s->stop_why : "not recorded");
	tv_textf(o, "outliers", "%zu", s->st.n_outliers);
	tv_text(o, "median", fmt_num(b, NB, s->st.median));
	tv_text(o, "mean", fmt_num(b, NB, s->st.mean));
	if (isfinite(s->st.ci_lo) && isfinite(s->st.ci_hi))
		tv_textf(o, "ci", "%s … %s", fmt_num(b, NB, s->st.ci_lo), fmt_num(c, NB, s->st.ci_hi));
	else
		tv_text(o, "ci", "n/a");
	if (isfinite(s->st.cv))
		tv_textf(o, "cv", "%.1f %%", s->st.cv * 100);
	else
		tv_text(o, "cv", "n/a");
	if (s->cmp.valid) {
		/* the rank, the colour and n.s. all come from this CI (paired by
		 * round where paired): report_series_verdict(), and the ranks of
		 * analyze/compare.c from the same intervals */
		tv_text(o, "ratio", fmt_num(b, NB, s->cmp.ratio));
		if (isfinite(s->cmp.ratio_lo) && isfinite(s->cmp.ratio_hi))
			tv_textf(o, "ratio_ci", "%s … %s", fmt_num(b, NB, s->cmp.ratio_lo), fmt_num(c, NB, s->cmp.ratio_hi));
		else
			tv_text(o, "ratio_ci", s->cmp.no_ci ? "n=1: no CI" : "unbounded");
		tv_flag(o, "paired", s->cmp.paired_rounds > 0);
		tv_text(o, "overhead", fmt_pct(b, NB, s->cmp.overhead_pct));
		tv_text(o, "p", fmt_p(b, NB, s->cmp.paired_rounds ? s->cmp.p_paired : s->cmp.p_welch));
		int v = report_series_verdict(m, s);
		tv_flag(o, "ns", v != RV_SLOWER && v != RV_FASTER);
		tv_flag(o, "worse", v == RV_SLOWER);
		tv_flag(o, "better", v == RV_FASTER);
	} else {
		tv_text(o, "ratio", m->envs[s->env_idx].is_baseline ? "1 (baseline)" : "n/a");
	}
}

static void group_into(const hvb_model *m, size_t gi, tv *mets, chart_set *cs)
{
	const hvb_metric_group *g = &m->groups[gi];
	tv *o = tv_push(mets);
	tv_text(o, "metric", g->metric);
	tv_text(o, "params", g->params);
	tv_text(o, "unit", g->unit);
	tv_text(o, "better_dir", g->better > 0 ? "higher" : "lower");
	if (g->role == HVB_HEADLINE)
		tv_textf(o, "role", "headline, weight %g in %s", g->weight, g->category);
	else
		tv_text(o, "role", g->role == HVB_DIAGNOSTIC ? "diagnostic: never scored"
							     : "not scored: no profile line names it");
	tv_textf(o, "anchor", "m%zu", gi);
	char name[64];
	snprintf(name, sizeof name, "metric-%zu", gi);
	chart_into(o, "chart", cs, name);
	tv *rows = tv_list(o, "rows");
	for (size_t j = 0; j < g->n; j++)
		series_row(m, &m->series[g->series[j]], tv_push(rows));
}

static int in_categories(const hvb_model *m, const char *cat)
{
	for (size_t c = 0; c < m->ncategories; c++)
		if (cat && strcmp(cat, m->categories[c]) == 0)
			return 1;
	return 0;
}

static void details(const hvb_model *m, tv *v, chart_set *cs)
{
	tv *cats = tv_list(v, "categories");
	size_t ncat = m->ncategories + 1;
	/* Benchmarks in first-appearance order, as charts_build numbers them,
	 * each with its groups in model order: one sort, not a scan of the
	 * groups per group. */
	size_t *order, *start;
	size_t nb = report_bench_groups(m, &order, &start);
	if (nb > REPORT_CHART_BENCHES)
		tv_textf(v, "charts_capped", "Charts are drawn for the first %d of the %zu benchmarks "
			 "(in the order they first appear); the other %zu are shown as tables only. "
			 "Every figure is in the tables, in --summary-csv and in --xlsx.",
			 REPORT_CHART_BENCHES, nb, nb - REPORT_CHART_BENCHES);
	for (size_t c = 0; c < ncat; c++) {
		const char *cat = c < m->ncategories ? m->categories[c] : NULL;
		tv *co = NULL, *benches = NULL;
		for (size_t bi = 0; bi < nb; bi++) {
			const char *b = m->groups[order[start[bi]]].bench ? m->groups[order[start[bi]]].bench : "";
			tv *bo = NULL, *mets = NULL;
			for (size_t q = start[bi]; q < start[bi + 1]; q++) {
				size_t k = order[q];
				const hvb_metric_group *g = &m->groups[k];
				int mine = cat ? (g->category && strcmp(g->category, cat) == 0)
					       : !in_categories(m, g->category);
				if (!mine)
					continue;
				if (!co) {
					co = tv_push(cats);
					tv_text(co, "name", cat ? cat : "other");
					tv_textf(co, "anchor", "cat-%zu", c);
					benches = tv_list(co, "benches");
				}
				if (!bo) {
					bo = tv_push(benches);
					tv_text(bo, "bench", b);
					char name[64];
					snprintf(name, sizeof name, "box-%zu", bi);
					chart_into(bo, "box_chart", cs, name);
					mets = tv_list(bo, "metrics");
				}
				group_into(m, k, mets, cs);
			}
		}
	}
	free(order);
	free(start);
}

/* One fact row: the field at off of every env; is_num 0 text, 1 a figure,
 * 2 a count. */
static void fact(tv *facts, const hvb_model *m, const char *label, size_t off, int is_num)
{
	tv *f = tv_push(facts);
	tv_text(f, "label", label);
	tv *vals = tv_list(f, "values");
	for (size_t e = 0; e < m->nenvs; e++) {
		const char *base = (const char *)&m->envs[e];
		char b[NB];
		if (is_num) {
			double x;
			memcpy(&x, base + off, sizeof x);
			/* counts (2 is 2 vCPUs, not "2.000") */
			if (is_num == 2 && isfinite(x) && x == floor(x) && fabs(x) < 1e15)
				snprintf(b, NB, "%.0f", x);
			else
				fmt_num(b, NB, x);
			tv_text(tv_push(vals), "v", b);
		} else {
			const char *s;
			memcpy(&s, base + off, sizeof s);
			tv_text(tv_push(vals), "v", s && *s ? s : "—");
		}
	}
}

/* One row of the host-cost part: label, then per env a value from fn
 * ("—" for an env without a collect record). */
static void cost_row(tv *facts, const hvb_model *m, const char *label,
		     void (*fn)(const hvb_model *, const hvb_env *, char *, size_t))
{
	tv *f = tv_push(facts);
	tv_text(f, "label", label);
	tv *vals = tv_list(f, "values");
	for (size_t e = 0; e < m->nenvs; e++) {
		char b[96] = "—";
		if (m->envs[e].host_runs)
			fn(m, &m->envs[e], b, sizeof b);
		tv_text(tv_push(vals), "v", b);
	}
}

static void c_busy(const hvb_model *m, const hvb_env *e, char *b, size_t n)
{
	char x[NB], y[NB];
	(void)m;
	snprintf(b, n, "%s / %s", fmt_num(x, NB, e->host_busy_mean), fmt_num(y, NB, e->host_busy_max));
}

static void c_busy_s(const hvb_model *m, const hvb_env *e, char *b, size_t n)
{
	char x[NB], y[NB];
	fmt_num(x, NB, e->host_busy_s);
	double r = host_busy_ratio(m, e);
	if (isfinite(r))
		snprintf(b, n, "%s (×%s the baseline's)", x, fmt_num(y, NB, r));
	else
		snprintf(b, n, "%s", x);
}

static void c_cpu_s(const hvb_model *m, const hvb_env *e, char *b, size_t n)
{
	(void)m;
	fmt_num(b, n, e->host_cpu_s);
}

static void c_mem(const hvb_model *m, const hvb_env *e, char *b, size_t n)
{
	(void)m;
	fmt_num(b, n, e->host_mem_taken_mb);
}

static void c_wall(const hvb_model *m, const hvb_env *e, char *b, size_t n)
{
	char x[NB];
	(void)m;
	snprintf(b, n, "%s (%zu run%s)", fmt_num(x, NB, e->host_wall_s), e->host_runs,
		 e->host_runs == 1 ? "" : "s");
}

static void c_clock(const hvb_model *m, const hvb_env *e, char *b, size_t n)
{
	(void)m;
	if (isnan(e->clock_skew_pct))
		snprintf(b, n, "not measured");
	else
		snprintf(b, n, "%+.2f %% over %zu benchmark%s", e->clock_skew_pct, e->clock_benches,
			 e->clock_benches == 1 ? "" : "s");
}

/* Host CPU busy during each benchmark (m->benchcosts): one row per
 * benchmark, one cell per environment, "busy % · whole-host seconds". */
static void bench_costs(const hvb_model *m, tv *v)
{
	if (!m->nbenchcosts)
		return;
	tv_flag(v, "has_bench_costs", 1);
	tv *rows = tv_list(v, "host_bench_rows");
	for (size_t i = 0; i < m->nbenchcosts;) {
		const char *bench = m->benchcosts[i].bench;
		tv *r = tv_push(rows);
		tv_text(r, "label", bench);
		tv *vals = tv_list(r, "values");
		/* the bench's costs are sorted by env (model.h): one walk, not
		 * a search per env */
		size_t k = i;
		for (size_t e = 0; e < m->nenvs; e++) {
			const hvb_benchcost *c = NULL;
			while (k < m->nbenchcosts && strcmp(m->benchcosts[k].bench, bench) == 0 &&
			       m->benchcosts[k].env_idx <= e) {
				if (m->benchcosts[k].env_idx == e)
					c = &m->benchcosts[k];
				k++;
			}
			char x[NB], y[NB];
			if (c)
				tv_textf(tv_push(vals), "v", "%s %% · %s s", fmt_num(x, NB, c->busy_mean),
					 fmt_num(y, NB, c->busy_host_s));
			else
				tv_text(tv_push(vals), "v", "—");
		}
		while (i < m->nbenchcosts && strcmp(m->benchcosts[i].bench, bench) == 0)
			i++;
	}
}

/* The cost on the collecting host, from collect's .host.tsv and .meta
 * (analyze/hostcost.c); left out when no environment has them. */
static void host_cost(const hvb_model *m, tv *v, tv *facts)
{
	int any = 0, cpus = 0;
	for (size_t e = 0; e < m->nenvs; e++) {
		any |= m->envs[e].host_runs > 0;
		cpus |= isfinite(m->envs[e].host_cpu_s);
	}
	if (!any)
		return;
	tv_flag(v, "has_host_cost", 1);
	cost_row(facts, m, "run wall time, host clock (s)", c_wall);
	cost_row(facts, m, "host CPU busy during the run, mean / max %", c_busy);
	cost_row(facts, m, "host busy time per run (s of the whole host)", c_busy_s);
	if (cpus)
		cost_row(facts, m, "host CPU time per run (CPU-s)", c_cpu_s);
	cost_row(facts, m, "host memory taken, peak − start (MB)", c_mem);
	cost_row(facts, m, "guest clock vs host clock (benchmark wall times)", c_clock);
	bench_costs(m, v);
}

static void environments(const hvb_model *m, tv *v)
{
	tv *names = tv_list(v, "env_names");
	for (size_t e = 0; e < m->nenvs; e++) {
		tv *o = tv_push(names);
		tv_text(o, "name", m->envs[e].name);
		tv_text(o, "color", env_color(m->envs[e].color));
		tv_flag(o, "is_baseline", m->envs[e].is_baseline);
	}
	tv *f = tv_list(v, "env_facts");
#define S(l, fld) fact(f, m, l, offsetof(hvb_env, fld), 0)
#define N(l, fld) fact(f, m, l, offsetof(hvb_env, fld), 1)
	S("virtualization", virt); S("container", container); S("host", host);
	S("CPU", cpu_model);
	fact(f, m, "vCPUs", offsetof(hvb_env, cpus), 2);
	fact(f, m, "memory (MB)", offsetof(hvb_env, mem_mb), 2);
	S("kernel", kernel); S("OS", os); S("clocksource", clocksource);
	S("CPUID hypervisor signature", cpuid_sig); S("DMI vendor", dmi_vendor);
	S("DMI product", dmi_product); N("worst steal %", steal_pct_max);
#undef S
#undef N
	tv *cnt = tv_push(f);
	tv_text(cnt, "label", "rows: ok / fail / skip");
	tv *vals = tv_list(cnt, "values");
	for (size_t e = 0; e < m->nenvs; e++)
		tv_textf(tv_push(vals), "v", "%zu / %zu / %zu", m->envs[e].ok_rows, m->envs[e].fail_rows, m->envs[e].skip_rows);
	host_cost(m, v, f);
}

/* The command line, quoted for a POSIX shell so it can be pasted back. */
static void command_line(const report_opts *o, rbuf *b)
{
	for (int i = 0; i < o->argc; i++) {
		const char *a = o->argv[i];
		if (i)
			rbuf_addc(b, ' ');
		if (*a && a[strcspn(a, " \t\n'\"$`\\;&|<>*?()!#~")] == 0) {
			rbuf_add(b, a);
			continue;
		}
		rbuf_addc(b, '\'');
		for (; *a; a++) {
			if (*a == '\'')
				rbuf_add(b, "'\\''");
			else
				rbuf_addc(b, *a);
		}
		rbuf_addc(b, '\'');
	}
}

static void methodology(const hvb_model *m, const report_opts *o, tv *v, chart_set *cs)
{
	rbuf b = {0};
	command_line(o, &b);
	tv_text(v, "command", rbuf_str(&b));
	rbuf_free(&b);
	tv_text(v, "gnuplot_version", cs->gnuplot_version ? cs->gnuplot_version : "not used");
	tv_text(v, "xlsxwriter_version", LXW_VERSION);
	tv *files = tv_list(v, "files");
	for (size_t i = 0; i < m->nfiles; i++) {
		tv *f = tv_push(files);
		tv_text(f, "path", m->files[i].path);
		tv_text(f, "sha256", m->files[i].sha256);
		tv_textf(f, "rows", "%zu", m->files[i].rows);
		tv_textf(f, "bad", "%zu", m->files[i].bad);
	}
	tv_flag(v, "has_sidecars", m->nhostruns > 0);
	tv *side = tv_list(v, "sidecars");
	for (size_t i = 0; i < m->nhostruns; i++) {
		const hvb_hostrun *h = &m->hostruns[i];
		for (int k = 0; k < 2; k++) {
			const char *path = k ? h->tsv_path : h->meta_path;
			if (!path)
				continue;
			tv *f = tv_push(side);
			tv_text(f, "path", path);
			tv_text(f, "sha256", k ? h->tsv_sha256 : h->meta_sha256);
			if (k)
				tv_textf(f, "what", "host telemetry, %zu samples", h->samples);
			else
				tv_text(f, "what", "collect's record of the run");
		}
		if (h->bad_lines)
			tv_textf(tv_push(side), "problem", "%zu line%s not used, the first: %s", h->bad_lines,
				 h->bad_lines == 1 ? "" : "s", h->problem ? h->problem : "?");
	}
	tv *bad = tv_list(v, "bad_rows");
	for (size_t i = 0; i < m->nbad && i < 100; i++) {
		tv *f = tv_push(bad);
		tv_textf(f, "where", "%s:%ld", m->bad[i].file ? m->bad[i].file : "?", m->bad[i].line);
		tv_text(f, "message", m->bad[i].message);
	}
	if (m->nbad > 100)
		tv_textf(v, "bad_more", "%zu more rejected rows are not listed.", m->nbad - 100);
	tv_textf(v, "nbad", "%zu", m->nbad);
}

/* ---- Rounds of a plan campaign (analyze/paired.c): which comparisons are
 * paired and on how many rounds, and the time-series charts.  Only in the
 * view when the data holds plan runs (has_rounds). */
static void rounds_view(const hvb_model *m, tv *v, chart_set *cs)
{
	if (!m->nplanruns)
		return;
	tv_flag(v, "has_rounds", 1);
	tv *rows = tv_list(v, "paired_rows");
	char a[NB], b[NB], c[NB];
	size_t unpaired = 0;
	for (size_t gi = 0; gi < m->ngroups; gi++) {
		const hvb_metric_group *g = &m->groups[gi];
		for (size_t j = 0; j < g->n; j++) {
			const hvb_series *s = &m->series[g->series[j]];
			if (s->env == m->baseline || !s->cmp.valid)
				continue;
			if (!s->cmp.paired_rounds) {
				unpaired++;
				continue;
			}
			tv *r = tv_push(rows);
			html_series_id(r, m, s);
			tv_textf(r, "rounds", "%zu", s->cmp.paired_rounds);
			tv_text(r, "plan", s->cmp.paired_plan);
			tv_text(r, "ratio", fmt_num(a, sizeof a, s->cmp.ratio));
			tv_textf(r, "ci", "%s – %s", fmt_num(b, sizeof b, s->cmp.ratio_lo),
				 fmt_num(c, sizeof c, s->cmp.ratio_hi));
			tv_text(r, "unpaired_ratio", fmt_num(a, sizeof a, s->cmp.unpaired_ratio));
			tv_textf(r, "unpaired_ci", "%s – %s", fmt_num(b, sizeof b, s->cmp.unpaired_lo),
				 fmt_num(c, sizeof c, s->cmp.unpaired_hi));
		}
	}
	if (unpaired)
		tv_textf(v, "unpaired_count", "%zu", unpaired);
	tv *ch = tv_list(v, "series_charts");
	for (size_t e = 0; e < m->nenvs; e++) {
		char name[64];
		snprintf(name, sizeof name, "series-%zu", e);
		chart *k = charts_find(cs, name);
		if (!k || !k->svg)
			continue;
		tv *x = tv_push(ch);
		tv_text(x, "env", m->envs[e].name);
		chart_into(x, "chart", cs, name);
	}
}

int html_write(const hvb_model *m, const report_opts *o, chart_set *cs)
{
	char *text = NULL;
	const char *src = report_tmpl_html, *name = "templates/report.html (built in)";
	if (o->template_path) {
		text = rfile_read(o->template_path);
		if (!text) {
			rlog("%s: cannot read the template: %s", o->template_path, strerror(errno));
			return -1;
		}
		src = text;
		name = o->template_path;
	}
	char *err = NULL;
	tmpl *t = tmpl_parse(src, name, &err);
	free(text);
	if (!t) {
		rlog("%s", err);
		free(err);
		return -1;
	}
	tv *v = tv_new();
	tv_text(v, "title", "hvbench report");
	tv_html(v, "style", xstrdup(report_tmpl_css));
	tv_text(v, "generated", m->generated);
	tv_text(v, "version", HVB_VERSION);
	tv_text(v, "baseline", m->baseline);
	tv_text(v, "baseline_why", m->baseline_why);
	tv_flag(v, "dropped_outliers", m->dropped_outliers);
	tv_textf(v, "nenvs", "%zu", m->nenvs);
	tv_textf(v, "nseries", "%zu", m->nseries);
	tv_textf(v, "nrows", "%zu", m->nrows_read ? m->nrows_read : m->nrows);
	tv_textf(v, "nfiles", "%zu", m->nfiles);
	tv *notes = tv_list(v, "notes");
	if (cs->note)
		tv_text(tv_push(notes), "text", cs->note);
	if (cs->env_on && cs->nenv_on < m->nenvs) {
		int best = strcmp(cs->which_on, "best") == 0;
		tv_textf(tv_push(notes), "text", "Charts show %zu of the %zu environments: %s%s%zu %s. "
			 "Every environment is in the tables, in --summary-csv and in --xlsx.",
			 cs->nenv_on, m->nenvs, m->baseline ? "the baseline and " : "",
			 best ? "the " : "the first ", cs->nenv_on - (m->baseline ? 1 : 0),
			 best ? "with the best overall score" : "in the order they appear");
	}
	verdict(m, v, cs);
	details(m, v, cs);
	/* Warnings by kind (the model groups them): the first few of each
	 * kind shown, the rest folded under a count.  A headline series' cv
	 * warning is a row of the noise table instead (noise_view). */
	tv *w = tv_list(v, "warnings");
	tv *kinds = tv_list(v, "warning_kinds");
	for (size_t i = 0; i < m->nwarnings;) {
		size_t j = i, shown = 0;
		while (j < m->nwarnings && strcmp(m->warnings[j].kind, m->warnings[i].kind) == 0)
			shown += !m->warnings[j++].noise_row;
		for (size_t q = i; q < j; q++)
			tv_text(tv_push(w), "kind", m->warnings[q].kind);
		if (!shown) {
			i = j;
			continue;
		}
		tv *k = tv_push(kinds);
		tv_text(k, "kind", m->warnings[i].kind);
		tv_textf(k, "count", "%zu", shown);
		tv *first = tv_list(k, "first"), *rest = tv_list(k, "rest");
		size_t nth = 0;
		for (size_t q = i; q < j; q++) {
			if (m->warnings[q].noise_row)
				continue;
			tv *x = tv_push(nth++ < HTML_WARN_SHOWN ? first : rest);
			tv_text(x, "kind", m->warnings[q].kind);
			tv_text(x, "env", m->warnings[q].env);
			tv_text(x, "message", m->warnings[q].message);
			tv_text(x, "evidence", m->warnings[q].evidence);
		}
		if (shown > HTML_WARN_SHOWN)
			tv_textf(k, "more", "%zu more %s warning%s", shown - HTML_WARN_SHOWN,
				 m->warnings[i].kind, shown - HTML_WARN_SHOWN > 1 ? "s" : "");
		i = j;
	}
	/* html_trust.c: */
	html_noise_view(m, v);      /* the noisy headline series, one table */
	html_disturbed_view(m, v);  /* disturbed repetitions and runs (analyze/disturb.c) */
	html_uplink(m, v);          /* the network question: uplink to the host vs loopback */
	rounds_view(m, v, cs);      /* plan campaigns: paired comparisons, time series */
	environments(m, v);
	methodology(m, o, v, cs);
	rbuf out = {0};
	tmpl_render(t, v, &out);
	tmpl_free(t);
	tv_free(v);
	int rc = 0;
	if (fwrite(rbuf_str(&out), 1, out.len, o->html) != out.len || fflush(o->html) != 0) {
		rlog("cannot write the HTML report: %s", strerror(errno));
		rc = -1;
	}
	rbuf_free(&out);
	return rc;
}
