/*
 * text.c - the plain-text renderer of the results model: one table per
 * metric (environments best first, with statistics, ratio to the baseline
 * and its CI), the category scores, the warnings and the rejected rows.
 * For a terminal or a mail; machines read --summary-csv or --json instead.
 * Strings from the CSVs may hold anything: control characters are shown as
 * '?' so a label cannot move the cursor or clear the screen.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "analyze.h"

static void put(FILE *f, const char *s, int width)
{
	int n = 0;
	for (; s && *s; s++, n++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
	for (; n < width; n++)
		fputc(' ', f);
}

static void num(FILE *f, double v, int width)
{
	if (isnan(v))
		fprintf(f, "%*s", width, "n/a");
	else
		fprintf(f, "%*.*g", width, 6, v);
}

static void print_group(const hvb_model *m, const hvb_metric_group *g, FILE *f)
{
	put(f, g->bench, 0);
	fputs("  ", f);
	put(f, g->metric, 0);
	if (*g->params) {
		fputs("  ", f);
		put(f, g->params, 0);
	}
	fputs("  [", f);
	put(f, g->unit, 0);
	fprintf(f, ", %s is better, %s]\n", g->better > 0 ? "higher" : "lower", g->category);
	fprintf(f, "  %-4s %-16s %5s %12s %11s %6s %12s %27s %8s %21s %9s %8s  %s\n", "rank", "env", "n",
		"mean", "sd", "cv%", "median", "95% CI of mean", "ratio", "95% CI of ratio",
		"overhead", "p", "paired");
	for (size_t i = 0; i < g->n; i++) {
		const hvb_series *s = &m->series[g->series[i]];
		char rank[16];
		snprintf(rank, sizeof rank, "%d%s", s->rank, s->rank_tied ? "=" : "");
		fprintf(f, "  %-4s ", rank);
		put(f, s->env, 16);
		fprintf(f, " %5zu ", s->st.n);
		num(f, s->st.mean, 12);
		fputc(' ', f);
		num(f, s->st.sd, 11);
		fputc(' ', f);
		num(f, s->st.cv * 100, 6);
		fputc(' ', f);
		num(f, s->st.median, 12);
		if (isnan(s->st.ci_lo))
			fprintf(f, " %27s", "n/a");
		else
			fprintf(f, " [%12.6g, %12.6g]", s->st.ci_lo, s->st.ci_hi);
		if (s->env == m->baseline)
			fprintf(f, " %8s %21s %9s %8s", "baseline", "", "", "");
		else if (!s->cmp.valid)
			fprintf(f, " %8s %21s %9s %8s", "n/a", "", "", "");
		else {
			fputc(' ', f);
			num(f, s->cmp.ratio, 8);
			if (s->cmp.no_ci)
				fprintf(f, " %21s", "n=1: no CI");
			else if (isnan(s->cmp.ratio_lo))
				fprintf(f, " %21s", "unbounded");
			else
				fprintf(f, " [%8.4f, %8.4f]", s->cmp.ratio_lo, s->cmp.ratio_hi);
			fprintf(f, " %+8.1f%% ", s->cmp.overhead_pct);
			num(f, s->cmp.p_welch, 8);
			if (s->cmp.paired_rounds)   /* paired.c: ratio and CI are the paired ones */
				fprintf(f, "  %zu rounds (unpaired %.4g)", s->cmp.paired_rounds,
					s->cmp.unpaired_ratio);
		}
		if (s->st.n_outliers)
			fprintf(f, "  (%zu outlier%s%s)", s->st.n_outliers, s->st.n_outliers > 1 ? "s" : "",
				m->dropped_outliers ? " dropped" : " kept");
		fputc('\n', f);
	}
	fputc('\n', f);
}

void model_print_text(const hvb_model *m, FILE *f)
{
	size_t rows = 0;
	for (size_t i = 0; i < m->nfiles; i++)
		rows += m->files[i].rows;
	fprintf(f, "hvbench analysis (generated %s)\n", m->generated ? m->generated : "-");
	fprintf(f, "input: %zu file%s, %zu rows read, %zu rejected\n", m->nfiles,
		m->nfiles == 1 ? "" : "s", rows, m->nbad);
	fputs("environments:", f);
	for (size_t i = 0; i < m->nenvs; i++) {
		const hvb_env *e = &m->envs[i];
		fputs(i ? ", " : " ", f);
		put(f, e->name, 0);
		fputs(" (virt ", f);
		put(f, e->virt ? e->virt : "?", 0);
		fputs(", container ", f);
		put(f, e->container ? e->container : "?", 0);
		fputc(')', f);
	}
	fputc('\n', f);
	if (m->baseline) {
		fputs("baseline: ", f);
		put(f, m->baseline, 0);
		fprintf(f, " (%s); ratio > 1 is better than the baseline, overhead %% is its cost\n",
			m->baseline_why);
	} else {
		fprintf(f, "baseline: none (%s)\n", m->baseline_why ? m->baseline_why : "");
	}
	for (size_t i = 0; i < m->nseries; i++)
		if (m->series[i].cmp.paired_rounds) {   /* paired.c */
			fputs("paired: ratio and CI from the per-round ratios of medians of a collect/plan "
			      "campaign (rounds shown; the unpaired ratio beside)\n", f);
			break;
		}
	fputs("rank: '=' marks environments not significantly different (Welch, Holm, p >= 0.05)\n\n", f);
	for (size_t i = 0; i < m->ngroups; i++)
		print_group(m, &m->groups[i], f);
	if (m->nscores) {
		int multi = m->scoring.nmachines > 1;
		fputs("scores: weighted geometric mean of the headline metrics' ratios to the baseline "
		      "of their machine (> 1 is better; '=' shares a rank; '-' incomplete: not ranked)\n", f);
		fprintf(f, "  %-9s %-5s %-16s %s%9s %21s %9s\n", "category", "rank", "env",
			multi ? "machine          " : "", "score", "95% CI", "metrics");
		for (size_t i = 0; i < m->nscores; i++) {
			const hvb_score *s = &m->scores[i];
			char rk[16];
			if (s->rank)
				snprintf(rk, sizeof rk, "%d%s", s->rank, s->rank_tied ? "=" : "");
			else
				snprintf(rk, sizeof rk, "-");
			fprintf(f, "  %-9s %-5s ", s->category, rk);
			put(f, m->envs[s->env_idx].name, 16);
			if (multi) {
				fputc(' ', f);
				put(f, s->machine ? s->machine : "?", 16);
			}
			fprintf(f, " %9.4f ", s->geomean);
			if (isnan(s->lo))
				fprintf(f, "%21s", "n/a");
			else
				fprintf(f, "[%8.4f, %8.4f]", s->lo, s->hi);
			fprintf(f, " %4zu/%zu%s\n", s->n_metrics, s->n_expected,
				s->complete ? "" : " incomplete");
		}
		if (m->ngroup_scores) {
			fputs("  pooled across machines (geometric mean of each hypervisor's scores):\n", f);
			for (size_t i = 0; i < m->ngroup_scores; i++) {
				const hvb_group_score *g = &m->group_scores[i];
				fprintf(f, "  %-9s %-5s ", g->category, "");
				put(f, g->group, 16);
				fprintf(f, " %9.4f [%8.4f, %8.4f] on %zu machine%s\n", g->geomean, g->lo,
					g->hi, g->n_machines, g->n_machines == 1 ? "" : "s");
			}
		}
		fputs("how the score is made:\n", f);
		for (size_t i = 0; i < m->scoring.nnotes; i++) {
			fputs("  - ", f);
			put(f, m->scoring.notes[i], 0);
			fputc('\n', f);
		}
		size_t nu = 0;
		for (size_t i = 0; i < m->ngroups; i++)
			if (m->groups[i].role == HVB_UNSCORED) {
				fputs(nu++ ? ", " : "  - not scored (no profile line names them): ", f);
				put(f, m->groups[i].bench, 0);
				fputc(' ', f);
				put(f, m->groups[i].metric, 0);
				if (*m->groups[i].params) {
					fputc(' ', f);
					put(f, m->groups[i].params, 0);
				}
			}
		if (nu)
			fputc('\n', f);
		fputc('\n', f);
	}
	int any_host = 0;
	for (size_t i = 0; i < m->nenvs; i++)
		any_host |= m->envs[i].host_runs > 0;
	if (any_host) {
		fputs("host cost: the collecting host during each run (collect's .host.tsv and .meta; "
		      "per run, mean over runs)\n", f);
		fprintf(f, "  %-16s %4s %9s %9s %11s %9s %9s %9s %11s\n", "env", "runs", "wall_s",
			"busy_mean", "busy_host_s", "cpu_s", "busy_max", "mem_mb", "clock_skew");
		for (size_t i = 0; i < m->nenvs; i++) {
			const hvb_env *e = &m->envs[i];
			if (!e->host_runs)
				continue;
			fputs("  ", f);
			put(f, e->name, 16);
			fprintf(f, " %4zu ", e->host_runs);
			num(f, e->host_wall_s, 9);
			fputc(' ', f);
			num(f, e->host_busy_mean, 9);
			fputc(' ', f);
			num(f, e->host_busy_s, 11);
			fputc(' ', f);
			num(f, e->host_cpu_s, 9);
			fputc(' ', f);
			num(f, e->host_busy_max, 9);
			fputc(' ', f);
			num(f, e->host_mem_taken_mb, 9);
			if (isnan(e->clock_skew_pct))
				fprintf(f, " %11s\n", "n/a");
			else {
				fprintf(f, " %+10.2f%% (%zu benchmarks)\n", e->clock_skew_pct, e->clock_benches);
			}
		}
		fputs("  busy: % of all host CPUs; busy_host_s: busy time in seconds of the whole host; "
		      "cpu_s: the same in CPU-seconds;\n  mem_mb: host memory taken (peak - start); "
		      "clock_skew: (guest - host) / host wall time of the benchmarks, summed\n\n", f);
	}
	if (m->nbenchcosts) {
		fputs("host CPU busy % during each benchmark (mean over runs):\n  bench           ", f);
		for (size_t e = 0; e < m->nenvs; e++) {
			fputc(' ', f);
			put(f, m->envs[e].name, 12);
		}
		fputc('\n', f);
		for (size_t i = 0; i < m->nbenchcosts;) {
			const char *bench = m->benchcosts[i].bench;
			fputs("  ", f);
			put(f, bench, 16);
			for (size_t e = 0; e < m->nenvs; e++) {
				double v = NAN;
				for (size_t k = i; k < m->nbenchcosts && strcmp(m->benchcosts[k].bench, bench) == 0; k++)
					if (m->benchcosts[k].env_idx == e)
						v = m->benchcosts[k].busy_mean;
				fputc(' ', f);
				num(f, v, 12);
			}
			fputc('\n', f);
			while (i < m->nbenchcosts && strcmp(m->benchcosts[i].bench, bench) == 0)
				i++;
		}
		fputc('\n', f);
	}
	if (m->nwarnings) {
		fprintf(f, "warnings (%zu):\n", m->nwarnings);
		for (size_t i = 0; i < m->nwarnings; i++) {
			const hvb_warning *w = &m->warnings[i];
			fprintf(f, "  [%s] ", w->kind);
			put(f, w->message, 0);
			fputs("\n      evidence: ", f);
			put(f, w->evidence, 0);
			fputc('\n', f);
		}
		fputc('\n', f);
	}
	if (m->nbad) {
		fprintf(f, "rejected rows and files (%zu):\n", m->nbad);
		for (size_t i = 0; i < m->nbad; i++) {
			fputs("  ", f);
			put(f, m->bad[i].message, 0);
			fputc('\n', f);
		}
	}
}
