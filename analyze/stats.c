/*
 * stats.c - the statistics of one sample and of two samples, with GSL.
 *
 * Definitions (docs/analyzer.md; the R script beside the golden fixtures
 * computes the same things independently):
 *   sd        sample standard deviation (n - 1); NAN when n < 2
 *   cv        sd / |mean|
 *   median, p5, p95   quantiles by linear interpolation (R type 7, GSL)
 *   mad       raw median absolute deviation (not scaled by 1.4826)
 *   CI        mean +- t(0.975, n-1) sd / sqrt(n)
 *   outlier   modified z-score 0.6745 (x - median) / mad above 3.5
 *             (Iglewicz & Hoaglin); when mad = 0 the mean absolute
 *             deviation stands in, (x - median) / (1.253314 meanAD); when
 *             that is 0 too, every value equals the median: no outlier.
 *   Welch     two-sided Welch t-test (R t.test default)
 *   Mann-Whitney  two-sided; exact when both samples have fewer than 50
 *             values and there are no ties, else the normal approximation
 *             with tie and continuity correction (R wilcox.test defaults)
 *   Fieller   95% CI of a ratio of two independent means, t with the
 *             Welch-Satterthwaite degrees of freedom
 *
 * GSL's default error handler aborts the program (found by the fuzzer: a
 * value near 1e308 overflows the variance and the t CDF's lngamma calls
 * gsl_error).  Every entry point turns it off and checks its inputs are
 * finite; an overflow gives NAN ("n/a"), never an abort.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include "analyze.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Sorts x[0..n) ascending, as gsl_sort does (gsl_sort's heap sort was a
 * seventh of the summary's time): LSD radix over the IEEE bits, 11 at
 * a time, a pass skipped where every key has the same digit.  Equal
 * doubles are indistinguishable, so the result is gsl_sort's; with a NaN,
 * an infinity or a -0 (never from the CSVs) gsl_sort itself sorts. */
static void sort_doubles(double *x, size_t n)
{
	if (n < 64) {
		gsl_sort(x, 1, n);
		return;
	}
	uint64_t *k = malloc(n * sizeof *k), *t = malloc(n * sizeof *t);
	if (!k || !t) {
		free(k);
		free(t);
		gsl_sort(x, 1, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t u;
		if (!isfinite(x[i]) || (x[i] == 0 && signbit(x[i]))) {
			free(k);
			free(t);
			gsl_sort(x, 1, n);
			return;
		}
		memcpy(&u, &x[i], sizeof u);
		k[i] = u >> 63 ? ~u : u | (1ULL << 63);
	}
	size_t cnt[2048];
	for (int shift = 0; shift < 64; shift += 11) {
		memset(cnt, 0, sizeof cnt);
		for (size_t i = 0; i < n; i++)
			cnt[(k[i] >> shift) & 2047]++;
		if (cnt[(k[0] >> shift) & 2047] == n)
			continue;   /* one digit: nothing moves */
		size_t sum = 0;
		for (size_t d = 0; d < 2048; d++) {
			size_t c = cnt[d];
			cnt[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			t[cnt[(k[i] >> shift) & 2047]++] = k[i];
		uint64_t *s = k;
		k = t;
		t = s;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t u = k[i] >> 63 ? k[i] & ~(1ULL << 63) : ~k[i];
		memcpy(&x[i], &u, sizeof u);
	}
	free(k);
	free(t);
}

static double median_of(double *tmp, size_t n)
{
	sort_doubles(tmp, n);
	return gsl_stats_median_from_sorted_data(tmp, 1, n);
}

void az_stats(const double *x, size_t n, unsigned char *outlier, int drop, hvb_stats *st)
{
	gsl_set_error_handler_off();
	memset(st, 0, sizeof *st);
	st->mean = st->sd = st->cv = st->median = st->mad = NAN;
	st->min = st->max = st->p5 = st->p95 = st->ci_lo = st->ci_hi = NAN;
	if (n == 0)
		return;
	/* Two sorts in the usual case: the values, and their deviations. */
	double *srt = xmalloc(n * sizeof *srt), *dev = xmalloc(n * sizeof *dev);
	unsigned char *flag = outlier ? outlier : xcalloc(n, 1);
	memcpy(srt, x, n * sizeof *srt);
	sort_doubles(srt, n);
	double med = gsl_stats_median_from_sorted_data(srt, 1, n);
	for (size_t i = 0; i < n; i++)
		dev[i] = fabs(x[i] - med);
	double mad = median_of(dev, n);

	/* Outliers over the whole series, whatever is dropped afterwards. */
	double scale = 0;
	if (mad > 0) {
		scale = mad / 0.6745;
	} else {
		double mean_ad = 0;
		for (size_t i = 0; i < n; i++)
			mean_ad += fabs(x[i] - med);
		mean_ad /= (double)n;
		scale = 1.253314 * mean_ad;
	}
	for (size_t i = 0; i < n; i++) {
		int o = scale > 0 && fabs(x[i] - med) / scale > 3.5;
		flag[i] = (unsigned char)o;
		st->n_outliers += (size_t)o;
	}

	size_t k = n;
	if (drop && st->n_outliers) {
		k = 0;
		for (size_t i = 0; i < n; i++)
			if (!flag[i])
				srt[k++] = x[i];
		sort_doubles(srt, k);   /* k > 0: not every value lies beyond 3.5 scales */
	}
	st->n = k;
	st->min = srt[0];
	st->max = srt[k - 1];
	st->median = gsl_stats_median_from_sorted_data(srt, 1, k);
	st->p5 = gsl_stats_quantile_from_sorted_data(srt, 1, k, 0.05);
	st->p95 = gsl_stats_quantile_from_sorted_data(srt, 1, k, 0.95);
	st->mean = gsl_stats_mean(srt, 1, k);
	if (k >= 2) {
		st->sd = gsl_stats_sd_m(srt, 1, k, st->mean);
		st->cv = st->mean != 0 ? st->sd / fabs(st->mean) : NAN;
		if (isfinite(st->mean) && isfinite(st->sd)) {
			double half = gsl_cdf_tdist_Pinv(0.975, (double)(k - 1)) * st->sd / sqrt((double)k);
			st->ci_lo = st->mean - half;
			st->ci_hi = st->mean + half;
		} else {
			st->sd = st->cv = NAN;   /* overflow: not a usable figure */
		}
	}
	if (k == n) {
		st->mad = mad;
	} else {
		for (size_t i = 0; i < k; i++)
			dev[i] = fabs(srt[i] - st->median);
		st->mad = median_of(dev, k);
	}
	if (flag != outlier)
		free(flag);
	free(srt);
	free(dev);
}

/* Welch-Satterthwaite degrees of freedom and the squared standard error. */
static double welch_df(const hvb_stats *a, const hvb_stats *b, double *se2)
{
	double va = a->sd * a->sd / (double)a->n, vb = b->sd * b->sd / (double)b->n;
	*se2 = va + vb;
	double den = va * va / (double)(a->n - 1) + vb * vb / (double)(b->n - 1);
	return den > 0 ? *se2 * *se2 / den : NAN;
}

double az_welch_p(const hvb_stats *a, const hvb_stats *b)
{
	gsl_set_error_handler_off();
	if (a->n < 2 || b->n < 2 || !isfinite(a->sd) || !isfinite(b->sd) ||
	    !isfinite(a->mean) || !isfinite(b->mean))
		return NAN;
	double se2;
	double df = welch_df(a, b, &se2);
	if (se2 == 0)   /* both constant: equal or certainly different */
		return a->mean == b->mean ? 1.0 : 0.0;
	double t = (a->mean - b->mean) / sqrt(se2);
	if (!isfinite(t) || !isfinite(df) || !(df > 0))
		return NAN;
	return 2 * gsl_cdf_tdist_Q(fabs(t), df);
}

typedef struct { double v; int side; } tagged;

static int cmp_tagged(const void *a, const void *b)
{
	return cmp_double(&((const tagged *)a)->v, &((const tagged *)b)->v);
}

/*
 * Exact two-sided p of the Mann-Whitney U statistic without ties: the
 * number of arrangements giving each U is the coefficient of q^U in the
 * Gaussian binomial [m+n choose m]_q, built with the q-Pascal rule
 * [N,k] = [N-1,k-1] + q^k [N-1,k] over N (rows kept for k only).
 * p = 2 min(P(U <= u), P(U >= u)), as R's wilcox.test computes it.
 */
static double mw_exact(double u, size_t m, size_t n)
{
	if (m > n) {   /* [m+n choose m]_q = [m+n choose n]_q: fewer rows */
		size_t t = m;
		m = n;
		n = t;
	}
	size_t len = m * n + 1;
	double *c = xcalloc((m + 1) * len, sizeof *c);   /* c[k*len + j] */
	c[0] = 1;                                           /* [0,0] = 1 */
	for (size_t N = 1; N <= m + n; N++) {
		size_t kmax = N < m ? N : m;
		for (size_t k = kmax; k >= 1; k--) {
			/* new [N,k] = [N-1,k-1] + q^k [N-1,k], of degree k(N-k) */
			double *dst = c + k * len, *src = c + (k - 1) * len;
			size_t deg = k * (N - k);
			for (size_t j = deg + 1; j-- > 0;) {
				double shifted = j >= k ? dst[j - k] : 0;
				dst[j] = src[j] + shifted;
			}
		}
	}
	double *f = c + m * len, total = 0, le = 0, ge = 0;
	size_t ui = (size_t)llround(u);
	for (size_t j = 0; j < len; j++) {
		total += f[j];
		if (j <= ui)
			le += f[j];
		if (j >= ui)
			ge += f[j];
	}
	free(c);
	double p = 2 * fmin(le, ge) / total;
	return p > 1 ? 1 : p;
}

double az_mann_whitney_p(const double *x, size_t nx, const double *y, size_t ny)
{
	if (nx == 0 || ny == 0)
		return NAN;
	size_t n = nx + ny;
	double rx = 0, ties = 0;
	/* Each side sorted, then merged: the groups of equal values in the
	 * order of the joint sort, as before (a qsort of both, which this
	 * replaces for speed; the sums are of half-integers: exact either way). */
	double *sx = xmalloc(nx * sizeof *sx), *sy = xmalloc(ny * sizeof *sy);
	memcpy(sx, x, nx * sizeof *sx);
	memcpy(sy, y, ny * sizeof *sy);
	sort_doubles(sx, nx);
	sort_doubles(sy, ny);
	int plain = 1;   /* NaN has no place in an order: the joint sort decides */
	for (size_t i = 0; i < nx && plain; i++)
		plain = !isnan(sx[i]);
	for (size_t i = 0; i < ny && plain; i++)
		plain = !isnan(sy[i]);
	if (plain) {
		for (size_t i = 0, a = 0, b = 0; a < nx || b < ny;) {
			double v = a < nx && (b >= ny || sx[a] <= sy[b]) ? sx[a] : sy[b];
			size_t ca = 0, cb = 0;
			while (a < nx && sx[a] == v)
				a++, ca++;
			while (b < ny && sy[b] == v)
				b++, cb++;
			size_t j = i + ca + cb;
			double rank = (double)(i + 1 + j) / 2;   /* average of ranks i+1..j */
			double tc = (double)(j - i);
			ties += tc * tc * tc - tc;
			for (size_t k = 0; k < ca; k++)
				rx += rank;
			i = j;
		}
	} else {
		tagged *t = xmalloc(n * sizeof *t);
		for (size_t i = 0; i < nx; i++)
			t[i] = (tagged){ x[i], 0 };
		for (size_t i = 0; i < ny; i++)
			t[nx + i] = (tagged){ y[i], 1 };
		qsort(t, n, sizeof *t, cmp_tagged);
		for (size_t i = 0; i < n;) {
			size_t j = i;
			while (j < n && t[j].v == t[i].v)
				j++;
			double rank = (double)(i + 1 + j) / 2;
			double tc = (double)(j - i);
			ties += tc * tc * tc - tc;
			for (size_t k = i; k < j; k++)
				if (t[k].side == 0)
					rx += rank;
			i = j;
		}
		free(t);
	}
	free(sx);
	free(sy);
	double dnx = (double)nx, dny = (double)ny, dn = (double)n;
	double u = rx - dnx * (dnx + 1) / 2;
	if (nx < 50 && ny < 50 && ties == 0)
		return mw_exact(u, nx, ny);
	double z = u - dnx * dny / 2;
	double var = dnx * dny / 12 * ((dn + 1) - ties / (dn * (dn - 1)));
	if (!(var > 0))
		return NAN;
	double corr = z > 0 ? 0.5 : z < 0 ? -0.5 : 0;
	z = (z - corr) / sqrt(var);
	if (!isfinite(z))
		return NAN;
	double p = 2 * fmin(gsl_cdf_ugaussian_P(z), gsl_cdf_ugaussian_Q(z));
	return p > 1 ? 1 : p;
}

int az_fieller(const hvb_stats *a, const hvb_stats *b, double *lo, double *hi)
{
	gsl_set_error_handler_off();
	*lo = *hi = NAN;
	if (a->n < 2 || b->n < 2 || b->mean == 0 || !isfinite(a->mean) || !isfinite(b->mean) ||
	    !isfinite(a->sd) || !isfinite(b->sd))
		return -1;
	double r = a->mean / b->mean;
	double va = a->sd * a->sd / (double)a->n, vb = b->sd * b->sd / (double)b->n;
	if (va + vb == 0) {
		*lo = *hi = r;
		return 0;
	}
	double se2;
	double df = welch_df(a, b, &se2);
	if (!isfinite(df) || !(df > 0) || !isfinite(r))
		return -1;
	double t = gsl_cdf_tdist_Pinv(0.975, df);
	double g = t * t * vb / (b->mean * b->mean);
	if (g >= 1)
		return -1;   /* the denominator is not significantly non-zero */
	double half = t / fabs(b->mean) * sqrt(va * (1 - g) + r * r * vb);
	*lo = (r - half) / (1 - g);
	*hi = (r + half) / (1 - g);
	return 0;
}
