/*
 * explain.c - "How the score is made" (m->scoring's notes): what the scores
 * counted, said from the model itself once az_score has made them.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "internal.h"

static void note(hvb_model *m, char *s)
{
	hvb_scoring *sc = &m->scoring;
	sc->notes = xrealloc(sc->notes, (sc->nnotes + 1) * sizeof *sc->notes);
	sc->notes[sc->nnotes++] = s;
}

/* Append to a growing string. */
static void cat(char **s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cat(char **s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *add = xvasprintf(fmt, ap);
	va_end(ap);
	char *n = xasprintf("%s%s", *s ? *s : "", add);
	free(add);
	free(*s);
	*s = n;
}

static int cmp_bm(const void *a, const void *b)
{
	const hvb_metric_group *x = *(const hvb_metric_group *const *)a;
	const hvb_metric_group *y = *(const hvb_metric_group *const *)b;
	int c = strcmp(x->bench, y->bench);
	return c ? c : strcmp(x->metric, y->metric);
}

/* "How the score is made": what was counted, from the model itself. */
void az_explain_scores(hvb_model *m)
{
	hvb_scoring *sc = &m->scoring;
	size_t nh = 0, nd = 0, nu = 0;
	for (size_t gi = 0; gi < m->ngroups; gi++) {
		int r = m->groups[gi].role;
		nh += r == HVB_HEADLINE;
		nd += r == HVB_DIAGNOSTIC;
		nu += r == HVB_UNSCORED;
	}
	note(m, xasprintf("Scored: the headline metrics of the scoring profile (%s), %zu of "
			     "the %zu metrics in the data; %zu diagnostic metrics (CPU %%, "
			     "retransmits, percentiles, best-of, counts) are shown and never "
			     "scored%s.", sc->profile, nh, m->ngroups, nd,
			     nu ? "; the metrics the profile does not name are listed below as "
				  "not scored" : ""));
	/* per category: its headline (bench, metric) pairs, with the number of
	 * params variants (sorted, so linear after the sort) */
	const hvb_metric_group **hg = xmalloc((m->ngroups ? m->ngroups : 1) * sizeof *hg);
	size_t nhg = 0;
	for (size_t gi = 0; gi < m->ngroups; gi++)
		if (m->groups[gi].role == HVB_HEADLINE)
			hg[nhg++] = &m->groups[gi];
	qsort(hg, nhg, sizeof *hg, cmp_bm);
	for (size_t c = 0; c + 1 < m->ncategories; c++) {
		char *s = NULL;
		for (size_t a = 0; a < nhg;) {
			size_t b = a;
			while (b < nhg && strcmp(hg[b]->bench, hg[a]->bench) == 0 &&
			       strcmp(hg[b]->metric, hg[a]->metric) == 0)
				b++;
			if (hg[a]->category == m->categories[c])
				cat(&s, "%s%s %s (%zu series)", s ? ", " : "", hg[a]->bench, hg[a]->metric, b - a);
			a = b;
		}
		if (s) {
			note(m, xasprintf("%s (weight %g): %s.", m->categories[c], sc->cat_weights[c], s));
			free(s);
		}
	}
	free(hg);
	note(m, xstrdup("A category score is the weighted geometric mean of the ratios of "
			   "its headline series to the same series of the baseline (oriented: "
			   "> 1 is better, overhead = 1/score - 1); the overall score is the "
			   "weighted geometric mean of the category scores, over the categories "
			   "the baseline has. A score that lacks a metric or category its "
			   "baseline has is marked incomplete and not ranked. Series with fewer "
			   "than 2 samples on either side are left out."));
	if (sc->nmachines > 1) {
		char *s = NULL;
		for (size_t e = 0; e < m->nenvs; e++)
			if (m->envs[e].base_idx == e)
				cat(&s, "%s%s on %s", s ? "; " : "", m->envs[e].name,
				    m->envs[e].machine ? m->envs[e].machine : "?");
		note(m, xasprintf("Baseline per machine (%zu machines): each environment is "
				     "compared with the bare metal of its own machine: %s. Each "
				     "hypervisor pooled across machines is the geometric mean of its "
				     "environments' scores.", sc->nmachines, s ? s : "none found"));
		free(s);
	} else if (m->baseline) {
		note(m, xasprintf("Baseline: %s (%s).", m->baseline, m->baseline_why));
	}
	note(m, xasprintf("95%% CI: hierarchical bootstrap, %zu resamples (seed %lu): each "
			     "resample draws the rounds of a plan (the runs, outside a plan) with "
			     "replacement and uses each one's median (a run's mean), because "
			     "repetitions of one run share its disturbances and are not "
			     "independent evidence; "
			     "an environment and its baseline draw the same rounds (paired), and "
			     "all metrics of one repetition move together. The 2.5-97.5 percentile "
			     "interval, expanded for few rounds (by sqrt(k/(k-1)) t(k-1)/z: x%.2f "
			     "with the fewest, %zu). Environments share a rank when the 95%% "
			     "interval of the ratio of their scores holds 1.",
			     sc->resamples, sc->seed, az_boot_expand(sc->boot_min_units),
			     sc->boot_min_units));
	for (size_t i = 0; i < m->naa; i++) {
		const hvb_aa *p = &m->aa[i];
		char *fl = NULL;
		for (size_t k = 0; k < m->naa_scores; k++)
			if (m->aa_scores[k].aa == i)
				cat(&fl, "%s%s %.1f%%", fl ? ", " : "", m->aa_scores[k].category,
				    100 * m->aa_scores[k].floor);
		note(m, xasprintf("Noise floor, from the A/A pair %s=%s (the same environment measured "
				     "twice; %s): %zu of its %zu headline series' 95%% intervals exclude 1 "
				     "(false-positive rate %.1f%%), median |ratio - 1| %.2f%%, largest "
				     "%.2f%%; per category, the largest difference its score intervals "
				     "allow: %s. A score within its category's floor is a tie with the "
				     "baseline, and two scores within it of each other share a rank.",
				     p->a, p->b, p->source, p->nexcl, p->nseries, 100 * p->fpr,
				     100 * p->abs_median, 100 * p->abs_max, fl ? fl : "none"));
		free(fl);
	}
	if (sc->boot_flat_streams)
		note(m, xasprintf("%zu benchmark streams come from a single run of their "
				     "environment: their intervals resample its repetitions only "
				     "and cannot see run-to-run variation; measure in rounds "
				     "(collect/plan) for intervals that do.", sc->boot_flat_streams));
}
