/*
 * quantile.c - the 2.5 % and 97.5 % quantiles of bootstrap replicates
 * (az_ci_quantiles), for score.c's intervals and aa.c's noise floors: a
 * selection that gives GSL's bits in O(n); the percentile interval of
 * replicate logs (az_pct_ci) and its expansion for few units
 * (az_boot_expand).
 */
#include <math.h>
#include <stddef.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include "analyze.h"

static inline void swap_d(double *x, size_t i, size_t j)
{
	double t = x[i];
	x[i] = x[j];
	x[j] = t;
}

/* Floyd and Rivest's SELECT (CACM 18(3), 1975, algorithm 489) on
 * x[l..r] (inclusive, no NaN): moves the k-th smallest to x[k], the ones
 * not larger before it and the ones not smaller after.  On a range of more
 * than 600 it first selects within a sample of about n^(2/3) around the
 * expected place of k, so the partition that follows uses a pivot close to
 * the k-th and most of the range is gone after one pass: about n + min(k,
 * n - k) comparisons, where a median-of-three quickselect did 2-3 n for the
 * 2.5 % and 97.5 % quantiles.  *budget counts the elements partitioned;
 * past it, -1 (the caller sorts instead). */
static int fr_select(double *x, size_t l, size_t r, size_t k, size_t *budget)
{
	while (r > l) {
		if (r - l > 600) {
			double n = (double)(r - l + 1), i = (double)(k - l + 1);
			double z = log(n), s = 0.5 * exp(2 * z / 3);
			double sd = 0.5 * sqrt(z * s * (n - s) / n) * (i < n / 2 ? -1 : 1);
			double nl = (double)k - i * s / n + sd, nr = (double)k + (n - i) * s / n + sd;
			size_t sl = nl > (double)l ? (size_t)nl : l, sr = nr < (double)r ? (size_t)nr : r;
			if (sl <= k && k <= sr && fr_select(x, sl, sr, k, budget) != 0)
				return -1;
		}
		size_t span = r - l + 1;
		if (span > *budget)
			return -1;
		*budget -= span;
		double t = x[k];
		size_t i = l, j = r;
		swap_d(x, l, k);
		if (x[r] > t)
			swap_d(x, r, l);
		while (i < j) {
			swap_d(x, i, j);
			i++, j--;
			while (x[i] < t)
				i++;
			while (x[j] > t)
				j--;
		}
		if (x[l] == t) {
			swap_d(x, l, j);
		} else {
			j++;
			swap_d(x, j, r);
		}
		/* x[j] == t, its final place */
		if (j <= k)
			l = j + 1;
		if (k <= j) {
			if (j == 0)
				break;
			r = j - 1;
		}
	}
	return 0;
}

/* The k-th smallest of x[a..b) to x[k] (see fr_select); 0, or -1 when the
 * selection did more than 16 passes' worth of work (then the caller sorts:
 * the same order statistics, in O(n log n)). */
static int select_kth(double *x, size_t a, size_t b, size_t k)
{
	size_t budget = 16 * (b - a) + 64;
	return b - a > 1 ? fr_select(x, a, b - 1, k, &budget) : 0;
}

/* GSL's way: sort, then read the quantiles. */
static void sorted_ci_quantiles(double *w, size_t n, double *lo, double *hi)
{
	gsl_sort(w, 1, n);
	*lo = gsl_stats_quantile_from_sorted_data(w, 1, n, 0.025);
	*hi = gsl_stats_quantile_from_sorted_data(w, 1, n, 0.975);
}

/* The 2.5 % and 97.5 % quantiles of w[0..n), as gsl_stats_quantile_from_
 * sorted_data gives them from the sorted data (the same order statistics,
 * the same interpolation: the same bits), found by selection in O(n)
 * instead of gsl_sort's O(n log n) heap sort (the sorts were 45 % of
 * `analyze --text` on 10,000 environments).  Not stats.c's radix
 * sort_doubles: sorting for two order statistics is more work than
 * selecting them (10,000 environments' --text 2.58 s with it, 1.86 s with
 * this, medians of 5 alternated, 2026-12-01).  The selection is Floyd and
 * Rivest's (fr_select): against the median-of-three quickselect before it,
 * 10,000 environments' --text 1.60 s against 1.72 s (medians of 9
 * alternated, 22:20 UTC; paired 0.93), the JSON byte-identical.  With a NaN
 * there is no order to select in, and GSL's sort decides.  w is
 * reordered. */
void az_ci_quantiles(double *w, size_t n, double *lo, double *hi)
{
	const double f[2] = { 0.025, 0.975 };
	double out[2];
	size_t from = 0;
	if (n == 0) { /* gsl's answer for no data */
		*lo = *hi = 0.0;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (isnan(w[i])) {
			sorted_ci_quantiles(w, n, lo, hi);
			return;
		}
	}
	for (int j = 0; j < 2; j++) {
		double index = f[j] * (double)(n - 1);
		size_t lhs = (size_t)(int)index;
		double delta = index - (double)lhs;
		if (lhs < from || select_kth(w, from, n, lhs) != 0) {
			sorted_ci_quantiles(w, n, lo, hi);
			return;
		}
		if (lhs == n - 1) {
			out[j] = w[lhs];
		} else {
			double next = w[lhs + 1]; /* the (lhs+1)-th: the least after lhs */
			for (size_t i = lhs + 2; i < n; i++)
				if (w[i] < next)
					next = w[i];
			out[j] = (1 - delta) * w[lhs] + delta * next;
		}
		from = lhs + 1;
	}
	*lo = out[0];
	*hi = out[1];
}

/* 95% percentile interval of replicate logs, as ratios. */
void az_pct_ci(const double *logs, size_t B, double *work, double *lo, double *hi)
{
	memcpy(work, logs, B * sizeof *work);
	az_ci_quantiles(work, B, lo, hi);
	*lo = exp(*lo);
	*hi = exp(*hi);
}

/* The small-sample expansion of a percentile interval resting on k
 * top-level units (Hesterberg, "What teachers should know about the
 * bootstrap", Am. Stat. 69(4), 2015, "expanded percentile"): the bootstrap
 * spread of a mean of k units is sqrt((k - 1) / k) of its standard error,
 * and the percentile interval uses the normal quantile where the t one with
 * k - 1 degrees of freedom belongs, so with 5 rounds it covers about 87 %
 * instead of 95 %.  Deviations of the replicates from the point estimate
 * are scaled by sqrt(k / (k - 1)) t(0.975, k - 1) / z(0.975); 1 when k < 2
 * (no between-unit variation to expand). */
double az_boot_expand(size_t k)
{
	if (k < 2)
		return 1;
	double kk = (double)k;
	return sqrt(kk / (kk - 1)) * gsl_cdf_tdist_Pinv(0.975, kk - 1) / gsl_cdf_ugaussian_Pinv(0.975);
}
