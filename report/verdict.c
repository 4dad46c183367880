/*
 * verdict.c - one notion of "no difference" for every renderer of the
 * verdict: a score, or a series' comparison, is slower or faster than its
 * baseline only when the interval shown beside it excludes 1 (and, for a
 * score, it is not within the campaign's noise floor); the colours of the
 * HTML tables, the verdict sentences and the XLSX Summary all ask here.
 * The ranks come from the same intervals (analyze/compare.c,
 * az_rank_intervals), so a rank, its colour and its words never disagree
 * with the CI beside them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "rint.h"

int report_score_verdict(const hvb_model *m, const hvb_score *s)
{
	if (!s)
		return RV_UNKNOWN;
	if (s->env_idx < m->nenvs && m->envs[s->env_idx].is_baseline)
		return RV_BASE;
	if (!(s->geomean > 0) || !isfinite(s->geomean))
		return RV_UNKNOWN;
	if (s->within_floor)
		return RV_NONE;
	if (!(s->lo > 0) || !(s->hi > 0) || !isfinite(s->lo) || !isfinite(s->hi))
		return RV_UNKNOWN;
	if (s->hi < 1)
		return RV_SLOWER;
	if (s->lo > 1)
		return RV_FASTER;
	return RV_NONE;
}

int report_series_verdict(const hvb_model *m, const hvb_series *s)
{
	if (!s->cmp.valid)
		return s->env_idx < m->nenvs && m->envs[s->env_idx].is_baseline ? RV_BASE : RV_UNKNOWN;
	if (s->cmp.no_ci || !isfinite(s->cmp.ratio_lo) || !isfinite(s->cmp.ratio_hi))
		return RV_UNKNOWN;
	if (s->cmp.ratio_hi < 1)
		return RV_SLOWER;
	if (s->cmp.ratio_lo > 1)
		return RV_FASTER;
	return RV_NONE;
}

/* "5.7", "27", "341": two significant figures below 100, whole above. */
static void mag(rbuf *b, double x)
{
	double a = fabs(x);
	rbuf_addf(b, a < 9.95 ? "%.1f" : "%.0f", a);
}

static double ovh(double score)
{
	return score > 0 ? (1 / score - 1) * 100 : NAN;
}

/* "5.7 % slower overall [2.4, 9.5]" and the like, into b. */
static void clause(rbuf *b, const hvb_score *s, int v, const char *what, int with_ci)
{
	double o = ovh(s->geomean), a = ovh(s->hi), z = ovh(s->lo);
	if (v == RV_SLOWER || v == RV_FASTER) {
		mag(b, o);
		rbuf_addf(b, " %% %s%s%s", v == RV_SLOWER ? "slower" : "faster", what ? " " : "", what ? what : "");
		if (with_ci) {
			rbuf_add(b, " [");
			mag(b, v == RV_SLOWER ? a : z);
			rbuf_add(b, ", ");
			mag(b, v == RV_SLOWER ? z : a);
			rbuf_add(b, "]");
		}
	} else if (v == RV_NONE) {
		rbuf_addf(b, "no difference%s%s this campaign can see", what ? " " : "", what ? what : "");
		if (with_ci && s->within_floor)
			rbuf_addf(b, " (%+.1f %%, within the noise floor of ±%.1f %%)", o, s->noise_floor * 100);
		else if (with_ci)
			rbuf_addf(b, " [%+.1f, %+.1f]", a, z);
	} else {
		rbuf_addf(b, "%s%sno interval", what ? what : "", what ? ": " : "");
	}
}

char *report_verdict_words(const hvb_model *m, size_t e, const hvb_score *const *tab)
{
	size_t nc = m->ncategories + 1;
	const hvb_score *o = tab[e * nc + m->ncategories];
	rbuf b = {0};
	rbuf_add(&b, m->envs[e].name);
	rbuf_add(&b, ": ");
	if (o) {
		clause(&b, o, report_score_verdict(m, o), "overall", 1);
	} else {
		rbuf_add(&b, "no overall score");
	}
	/* the categories that differ, in display order, then those that do not */
	rbuf none = {0}, unknown = {0};
	size_t nnone = 0, nunk = 0;
	for (size_t c = 0; c < m->ncategories; c++) {
		const hvb_score *s = tab[e * nc + c];
		if (!s || !s->n_metrics)
			continue;
		int v = report_score_verdict(m, s);
		if (v == RV_SLOWER || v == RV_FASTER) {
			rbuf_add(&b, "; ");
			rbuf_add(&b, m->categories[c]);
			rbuf_addc(&b, ' ');
			clause(&b, s, v, NULL, 0);
		} else if (v == RV_NONE) {
			rbuf_add(&none, nnone++ ? ", " : "");
			rbuf_add(&none, m->categories[c]);
		} else {
			rbuf_add(&unknown, nunk++ ? ", " : "");
			rbuf_add(&unknown, m->categories[c]);
		}
	}
	if (nnone)
		rbuf_addf(&b, "; %s: no difference this campaign can see", rbuf_str(&none));
	if (nunk)
		rbuf_addf(&b, "; %s: no interval to judge by", rbuf_str(&unknown));
	if (o && !o->complete)
		rbuf_add(&b, "; incomplete, not ranked");
	else if (o && o->few_rounds)
		rbuf_addf(&b, "; rests on only %zu rounds of some benchmark: too few for an interval, not ranked",
			  o->few_rounds);
	rbuf_free(&none);
	rbuf_free(&unknown);
	return rbuf_take(&b);
}

/* The line under the verdict table: which interval the ranks, colours and
 * words come from, and the rule. */
char *report_interval_note(const hvb_model *m)
{
	double fl = NAN;
	for (size_t i = 0; i < m->nscores; i++)
		if (strcmp(m->scores[i].category, "overall") == 0 && isfinite(m->scores[i].noise_floor))
			fl = m->scores[i].noise_floor;
	rbuf b = {0};
	rbuf_addf(&b, "Ranks, colours and words come from the 95%% CI beside each score (a bootstrap over %s"
		  "%s): slower or faster only when it excludes 0 %%%s; rank = 1 + the environments whose CI "
		  "lies wholly above this one's%s; “=”: shares its rank; “—”: incomplete, not ranked.",
		  m->nplanruns ? "rounds, paired by round" : "runs", m->scoring.boot_min_units &&
		  m->scoring.boot_min_units < 10 ? ", widened for few rounds" : "",
		  isfinite(fl) ? " and the score is outside the A/A noise floor" : "",
		  isfinite(fl) ? " and beyond the floor" : "");
	if (isfinite(fl))
		rbuf_addf(&b, " Noise floor (A/A pair): ±%.1f %% overall.", fl * 100);
	return rbuf_take(&b);
}
