/*
 * test_analyze_stats.c - the statistics of analyze/stats.c against values
 * computed with GNU R 4.2 (t.test, wilcox.test exact and approximate, quantile
 * type 7, Fieller written out), the ranks from intervals, and the edge cases: n = 0,
 * n = 1, MAD = 0 (no division by zero), constant samples.
 */
#include <math.h>
#include "analyze.h"
#include "internal.h"
#include "t.h"

static const double X[] = { 10.1, 10.3, 9.8, 10.0, 10.4 };
static const double Y[] = { 11.0, 11.4, 10.9, 11.2, 11.1, 11.3 };

int main(void)
{
	hvb_stats sx, sy;
	unsigned char out[16];
	az_stats(X, 5, out, 0, &sx);
	az_stats(Y, 6, NULL, 0, &sy);
	T_INTEQ("stats-n", sx.n, 5);
	T_NEAR("stats-mean", sx.mean, 10.12, 1e-12);
	T_NEAR("stats-sd", sx.sd, 0.23874672772626646, 1e-12);
	T_NEAR("stats-p5", sx.p5, 9.84, 1e-12);
	T_NEAR("stats-p95", sx.p95, 10.38, 1e-12);
	T_NEAR("stats-median", sx.median, 10.1, 1e-12);
	T_NEAR("stats-mad-raw", sx.mad, 0.2, 1e-12);
	T_NEAR("stats-ci-halfwidth", sx.ci_hi - sx.mean, 2.7764451051977987 * 0.23874672772626646 / sqrt(5), 1e-9);
	T_NEAR("stats-welch-p", az_welch_p(&sx, &sy), 6.8523893365408757e-05, 1e-12);
	/* no ties, n < 50: exact, like R's wilcox.test default */
	T_NEAR("stats-mann-whitney-exact", az_mann_whitney_p(X, 5, Y, 6), 0.004329004329004329, 1e-12);
	T_NEAR("stats-mann-whitney-exact-2", az_mann_whitney_p((const double[]){ 1, 5, 3 }, 3,
		(const double[]){ 2, 4, 6, 8 }, 4), 0.4, 1e-12);
	T_NEAR("stats-mann-whitney-exact-3", az_mann_whitney_p((const double[]){ 3.1, 2.2 }, 2,
		(const double[]){ 1.5 }, 1), 0.66666666666666674, 1e-12);
	double big_x[49], big_y[49];
	for (int i = 0; i < 49; i++) {
		big_x[i] = i * 1.01;
		big_y[i] = i * 1.013 + 0.5;
	}
	T_NEAR("stats-mann-whitney-exact-49", az_mann_whitney_p(big_x, 49, big_y, 49),
	       0.86521035715281525, 1e-12);
	/* ties: normal approximation with continuity correction */
	const double a[] = { 1, 2, 2, 3 }, b[] = { 2, 3, 3, 4 };
	T_NEAR("stats-mann-whitney-ties", az_mann_whitney_p(a, 4, b, 4), 0.17203370892182296, 1e-12);
	double lo, hi;
	int rc = az_fieller(&sx, &sy, &lo, &hi);
	T_INTEQ("stats-fieller-bounded", rc, 0);
	T_NEAR("stats-fieller-lo", lo, 0.88125174688711316, 1e-12);
	T_NEAR("stats-fieller-hi", hi, 0.93445728582322751, 1e-12);

	/* Ranks come from intervals, not from a test with a Holm or Bonferroni
	 * adjustment (what `--text` and docs/analyzer.md "Ranking and scores"
	 * say): A and B overlap and share rank 1 although their points differ;
	 * C lies wholly below both and ranks 3. */
	{
		const double lo[] = { 1.00, 0.90, 0.50 }, hi[] = { 1.20, 1.05, 0.60 };
		const double pt[] = { 1.10, 0.97, 0.55 };
		int rank[3];
		az_rank_intervals(3, lo, hi, pt, 0, rank);
		T_INTEQ("rank-overlap-a", rank[0], 1);
		T_INTEQ("rank-overlap-b", rank[1], 1);
		T_INTEQ("rank-below-c", rank[2], 3);
		/* a noise floor wider than both point gaps to C ties C too */
		az_rank_intervals(3, lo, hi, pt, 0.6, rank);
		T_INTEQ("rank-floor-ties-c", rank[2], 1);
	}

	/* Edge cases, table-driven: samples, n, expected outliers, sd is NaN? */
	static const struct { const char *name; double x[8]; size_t n; size_t outliers; int sd_nan; } edge[] = {
		{ "edge-n1", { 5 }, 1, 0, 1 },
		{ "edge-constant", { 3, 3, 3, 3 }, 4, 0, 0 },
		/* MAD = 0 but one value differs: mean absolute deviation stands in */
		{ "edge-mad0-outlier", { 7, 7, 7, 7, 7, 7, 100 }, 7, 1, 0 },
		{ "edge-modz-outlier", { 10, 10.2, 9.9, 10.1, 9.8, 10.05, 30 }, 7, 1, 0 },
		{ "edge-no-outlier", { 1, 2, 3, 4, 5 }, 5, 0, 0 },
	};
	for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
		hvb_stats s;
		az_stats(edge[i].x, edge[i].n, out, 0, &s);
		char name[64];
		snprintf(name, sizeof name, "stats-%s-outliers", edge[i].name);
		T_INTEQ(name, s.n_outliers, edge[i].outliers);
		snprintf(name, sizeof name, "stats-%s-sd", edge[i].name);
		T_CHECK(name, isnan(s.sd) == edge[i].sd_nan && isfinite(s.mean), "sd %g mean %g", s.sd, s.mean);
		snprintf(name, sizeof name, "stats-%s-ci", edge[i].name);
		T_CHECK(name, edge[i].sd_nan ? isnan(s.ci_lo) : s.ci_lo <= s.mean && s.mean <= s.ci_hi,
			"ci [%g, %g] mean %g", s.ci_lo, s.ci_hi, s.mean);
	}
	/* --drop-outliers leaves the flagged value out */
	hvb_stats s;
	az_stats((const double[]){ 7, 7, 7, 7, 7, 7, 100 }, 7, out, 1, &s);
	T_CHECK("stats-drop-outliers", s.n == 6 && s.mean == 7 && out[6] == 1, "n %zu mean %g", s.n, s.mean);
	az_stats(NULL, 0, NULL, 0, &s);
	T_CHECK("stats-empty", s.n == 0 && isnan(s.mean), "n %zu mean %g", s.n, s.mean);
	/* constant samples: Welch defined as 1 (equal) or 0 (different), ratio CI collapses */
	hvb_stats c1, c2;
	az_stats((const double[]){ 2, 2, 2 }, 3, NULL, 0, &c1);
	az_stats((const double[]){ 4, 4, 4 }, 3, NULL, 0, &c2);
	T_NEAR("stats-welch-constant-differ", az_welch_p(&c1, &c2), 0, 0);
	T_NEAR("stats-welch-constant-equal", az_welch_p(&c1, &c1), 1, 0);
	T_CHECK("stats-welch-n1", isnan(az_welch_p(&c1, &(hvb_stats){ .n = 1, .mean = 2, .sd = NAN })), "want NaN");
	rc = az_fieller(&c1, &c2, &lo, &hi);
	T_CHECK("stats-fieller-constant", rc == 0 && lo == 0.5 && hi == 0.5, "rc %d [%g, %g]", rc, lo, hi);
	/* Fieller with a denominator not significantly non-zero: unbounded */
	hvb_stats z;
	az_stats((const double[]){ -1, 1, -2, 2.1 }, 4, NULL, 0, &z);
	T_INTEQ("stats-fieller-unbounded", az_fieller(&sx, &z, &lo, &hi), -1);
	T_CHECK("stats-mw-all-tied", isnan(az_mann_whitney_p((const double[]){ 1, 1 }, 2, (const double[]){ 1 }, 1)), "want NaN");
	return t_exit();
}
