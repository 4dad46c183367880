/*
 * test_analyze_quantiles.c - az_ci_quantiles (analyze/score.c), the bootstrap
 * intervals' 2.5 % and 97.5 % quantiles by selection: bit for bit what
 * gsl_sort and gsl_stats_quantile_from_sorted_data give, for sizes from 1 to
 * 20001 (600-602: where the selection starts sampling), with ties, with every
 * value equal, two values, infinities, in sorted, reversed and organ-pipe
 * order, and with a NaN (where it falls back to gsl's sort).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include "analyze.h"
#include "t.h"

static uint64_t rng = 88172645463325252ULL;
static double rnd(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

/* 1 when az_ci_quantiles gives gsl's figures for x[0..n), bit for bit. */
static int same_as_gsl(const double *x, size_t n, char *why, size_t whylen)
{
	double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b), lo, hi;
	memcpy(a, x, n * sizeof *a);
	memcpy(b, x, n * sizeof *b);
	az_ci_quantiles(a, n, &lo, &hi);
	gsl_sort(b, 1, n);
	double glo = gsl_stats_quantile_from_sorted_data(b, 1, n, 0.025);
	double ghi = gsl_stats_quantile_from_sorted_data(b, 1, n, 0.975);
	int ok = (memcmp(&lo, &glo, sizeof lo) == 0 || (isnan(lo) && isnan(glo))) &&
		 (memcmp(&hi, &ghi, sizeof hi) == 0 || (isnan(hi) && isnan(ghi)));
	snprintf(why, whylen, "n %zu: got %.17g %.17g, gsl %.17g %.17g", n, lo, hi, glo, ghi);
	free(a);
	free(b);
	return ok;
}

int main(void)
{
	static const size_t sizes[] = { 1, 2, 3, 4, 5, 39, 40, 41, 200, 600, 601, 602, 1999, 2000, 2001, 4001, 20001 };
	char why[200], name[64];
	double *x = malloc(20001 * sizeof *x);
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		size_t n = sizes[k];
		int ok = 1;
		for (int trial = 0; trial < 20 && ok; trial++) {
			for (size_t i = 0; i < n; i++)
				x[i] = log(0.5 + rnd()) * (trial % 2 ? 1 : -3);
			ok = same_as_gsl(x, n, why, sizeof why);
		}
		snprintf(name, sizeof name, "quantiles_random_n%zu", n);
		T_CHECK(name, ok, "%s", why);
		for (size_t i = 0; i < n; i++) /* ties: 7 distinct values */
			x[i] = (double)(int)(rnd() * 7);
		snprintf(name, sizeof name, "quantiles_ties_n%zu", n);
		T_CHECK(name, same_as_gsl(x, n, why, sizeof why), "%s", why);
	}
	for (size_t i = 0; i < 2000; i++)
		x[i] = 0.25;
	T_CHECK("quantiles_all_equal", same_as_gsl(x, 2000, why, sizeof why), "%s", why);
	for (size_t i = 0; i < 2000; i++)
		x[i] = (double)i;
	T_CHECK("quantiles_sorted", same_as_gsl(x, 2000, why, sizeof why), "%s", why);
	for (size_t i = 0; i < 2000; i++)
		x[i] = (double)(2000 - i);
	T_CHECK("quantiles_reversed", same_as_gsl(x, 2000, why, sizeof why), "%s", why);
	/* infinities (a score of 0 or a ratio that overflowed has a log of -inf or +inf) */
	for (size_t i = 0; i < 2000; i++)
		x[i] = i % 37 == 0 ? -INFINITY : i % 41 == 0 ? INFINITY : rnd();
	T_CHECK("quantiles_infinities", same_as_gsl(x, 2000, why, sizeof why), "%s", why);
	/* two values, one of them rare; and an organ pipe (rises, then falls) */
	for (size_t i = 0; i < 2000; i++)
		x[i] = rnd() < 0.03 ? 1.0 : 2.0;
	T_CHECK("quantiles_two_values", same_as_gsl(x, 2000, why, sizeof why), "%s", why);
	for (size_t i = 0; i < 2000; i++)
		x[i] = (double)(i < 1000 ? i : 2000 - i);
	T_CHECK("quantiles_organ_pipe", same_as_gsl(x, 2000, why, sizeof why), "%s", why);
	for (size_t i = 0; i < 2000; i++)
		x[i] = rnd();
	x[777] = NAN;
	T_CHECK("quantiles_nan_as_gsl", same_as_gsl(x, 2000, why, sizeof why), "%s", why);
	double lo, hi;
	az_ci_quantiles(x, 0, &lo, &hi);
	T_CHECK("quantiles_empty", lo == 0.0 && hi == 0.0, "got %g %g, want gsl's 0 0", lo, hi);
	free(x);
	return t_exit();
}
