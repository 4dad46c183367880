/*
 * charts.c - what the charts say: every chart is a self-contained gnuplot
 * script (data inline as a datablock) built from the model by
 * charts_build(), one per metric, a box chart per benchmark, the overview,
 * the plan campaigns' time series.  gnuplot.c draws them (one gnuplot
 * process, a deadline, signals), svg.c makes its SVG fit inline in the
 * HTML.  Labels reach gnuplot only through esc_gnuplot(), so data is never
 * a command.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "rint.h"

static const char *const palette[] = {
	"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
	"#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#7f7f7f",
};

const char *env_color(int i)
{
	if (i < 0)
		i = 0;
	return palette[i % (int)(sizeof palette / sizeof palette[0])];
}

static long color_int(int i)
{
	return strtol(env_color(i) + 1, NULL, 16);
}

static size_t name_hash(const char *s)
{
	size_t h = 14695981039346656037ULL;   /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Put chart i in the name hash (open addressing, at most half full); a
 * name already there keeps its first chart. */
static void hash_put(chart_set *cs, size_t i)
{
	size_t mask = cs->hcap - 1;
	for (size_t h = name_hash(cs->c[i].name) & mask;; h = (h + 1) & mask) {
		if (!cs->hidx[h]) {
			cs->hidx[h] = i + 1;
			return;
		}
		if (strcmp(cs->c[cs->hidx[h] - 1].name, cs->c[i].name) == 0)
			return;
	}
}

static chart *add_chart(chart_set *cs, const char *name, const char *title)
{
	if (cs->n == cs->cap) {
		cs->cap = cs->cap ? cs->cap * 2 : 16;
		cs->c = xrealloc(cs->c, cs->cap * sizeof *cs->c);
	}
	chart *c = &cs->c[cs->n++];
	memset(c, 0, sizeof *c);
	c->name = xstrdup(name);
	c->title = xstrdup(title);
	if (2 * cs->n > cs->hcap) {
		free(cs->hidx);
		cs->hcap = cs->hcap ? cs->hcap * 2 : 64;
		while (2 * cs->n > cs->hcap)
			cs->hcap *= 2;
		cs->hidx = xmalloc(cs->hcap * sizeof *cs->hidx);
		memset(cs->hidx, 0, cs->hcap * sizeof *cs->hidx);
		for (size_t i = 0; i < cs->n; i++)
			hash_put(cs, i);
	} else {
		hash_put(cs, cs->n - 1);
	}
	return c;
}

/* By name, hashed: the HTML looks up every chart once, so a report with
 * tens of thousands of charts does not search the list each time. */
chart *charts_find(chart_set *cs, const char *name)
{
	if (!cs->hcap || !name)
		return NULL;
	size_t mask = cs->hcap - 1;
	for (size_t h = name_hash(name) & mask; cs->hidx[h]; h = (h + 1) & mask)
		if (strcmp(cs->c[cs->hidx[h] - 1].name, name) == 0)
			return &cs->c[cs->hidx[h] - 1];
	return NULL;
}

void charts_free(chart_set *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		free(cs->c[i].name);
		free(cs->c[i].title);
		free(cs->c[i].script);
		free(cs->c[i].svg);
	}
	free(cs->c);
	free(cs->hidx);
	free(cs->note);
	free(cs->gnuplot_version);
	free(cs->env_on);
	free(cs->env_slot);
	memset(cs, 0, sizeof *cs);
}

/* A number for a datablock: gnuplot reads NaN as missing. */
static void num(rbuf *b, double x)
{
	if (isfinite(x))
		rbuf_addf(b, " %.17g", x);
	else
		rbuf_add(b, " NaN");
}

static const char COMMON[] =
	"set style fill solid 0.85 border rgb '#333333'\n"
	"set grid ytics lc rgb '#dddddd'\n"
	"set key top right samplen 2\n"
	"set xtics nomirror\n"
	"set border 3\n";

static const hvb_model *sort_model;   /* qsort has no context argument */

/* Series indices by environment, then by index (a stable order). */
static int cmp_series_env(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	size_t ex = sort_model->series[x].env_idx, ey = sort_model->series[y].env_idx;
	return ex != ey ? (ex > ey) - (ex < ey) : (x > y) - (x < y);
}

/* Overall score of each environment while chart_envs() sorts them. */
static const double *sort_best;
static const hvb_model *sort_envs_model;

/* The baseline first, then the higher overall score (none last), then
 * model order. */
static int cmp_env_best(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int bx = sort_envs_model->envs[x].is_baseline, by = sort_envs_model->envs[y].is_baseline;
	if (bx != by)
		return by - bx;
	double sx = sort_best[x], sy = sort_best[y];
	int fx = isfinite(sx), fy = isfinite(sy);
	if (fx != fy)
		return fy - fx;
	if (fx && sx != sy)
		return sx < sy ? 1 : -1;
	return (x > y) - (x < y);
}

/* The environments every chart draws (cs->env_on, env_slot, nenv_on): all
 * of them up to REPORT_CHART_ENVS; past that the baseline and the best by
 * overall score, the rest in model order -- one choice for every chart, so
 * an environment has the same place and colour in each.  O(n log n). */
static void chart_envs(const hvb_model *m, chart_set *cs)
{
	size_t n = m->nenvs;
	cs->env_on = xmalloc(n ? n : 1);
	cs->env_slot = xmalloc((n ? n : 1) * sizeof *cs->env_slot);
	cs->which_on = "all";
	if (n <= REPORT_CHART_ENVS) {
		memset(cs->env_on, 1, n);
	} else {
		double *best = xmalloc(n * sizeof *best);
		size_t *idx = xmalloc(n * sizeof *idx);
		for (size_t e = 0; e < n; e++) {
			best[e] = NAN;
			idx[e] = e;
		}
		int any = 0;
		for (size_t i = 0; i < m->nscores; i++) {
			const hvb_score *sc = &m->scores[i];
			if (sc->category && strcmp(sc->category, "overall") == 0 && sc->env_idx < n &&
			    isfinite(sc->geomean)) {
				best[sc->env_idx] = sc->geomean;
				any = 1;
			}
		}
		sort_best = best;
		sort_envs_model = m;
		qsort(idx, n, sizeof *idx, cmp_env_best);
		sort_best = NULL;
		sort_envs_model = NULL;
		memset(cs->env_on, 0, n);
		for (size_t i = 0; i < REPORT_CHART_ENVS; i++)
			cs->env_on[idx[i]] = 1;
		cs->which_on = any ? "best" : "first";
		free(best);
		free(idx);
	}
	cs->nenv_on = 0;
	for (size_t e = 0; e < n; e++)
		cs->env_slot[e] = cs->env_on[e] ? cs->nenv_on++ : 0;
}

/* Bar chart of one metric: median bars, mean with 95% CI, baseline line. */
static void metric_chart(const hvb_model *m, size_t gi, chart_set *cs)
{
	const hvb_metric_group *g = &m->groups[gi];
	char name[64];
	snprintf(name, sizeof name, "metric-%zu", gi);
	rbuf t = {0}, s = {0};
	rbuf_addf(&t, "%s: %s", g->bench ? g->bench : "", g->metric ? g->metric : "");
	if (g->params && *g->params)
		rbuf_addf(&t, " [%s]", g->params);
	chart *c = add_chart(cs, name, rbuf_str(&t));
	rbuf_add(&s, COMMON);
	rbuf_add(&s, "set title ");
	esc_gnuplot(&s, rbuf_str(&t));
	rbuf_add(&s, "\nset ylabel ");
	rbuf_free(&t);
	rbuf_addf(&t, "%s (%s is better)", g->unit ? g->unit : "", g->better > 0 ? "higher" : "lower");
	esc_gnuplot(&s, rbuf_str(&t));
	rbuf_free(&t);
	/* Environments in model order: same position and colour everywhere.
	 * The group's series sorted by environment (one per environment), not
	 * a search of the group per environment. */
	size_t k = 0;
	double base = NAN, ymin = 0;
	rbuf d = {0};
	rbuf_add(&s, "\nset xtics (");
	size_t *by_env = xmalloc((g->n ? g->n : 1) * sizeof *by_env);
	if (g->n)
		memcpy(by_env, g->series, g->n * sizeof *by_env);
	sort_model = m;
	qsort(by_env, g->n, sizeof *by_env, cmp_series_env);
	sort_model = NULL;
	for (size_t j = 0; j < g->n; j++) {
		const hvb_series *sr = &m->series[by_env[j]];
		size_t e = sr->env_idx;
		if (e >= m->nenvs || (j + 1 < g->n && m->series[by_env[j + 1]].env_idx == e))
			continue;   /* one series per environment (model.h); of two, one */
		if (!cs->env_on[e])
			continue;   /* past REPORT_CHART_ENVS: in the tables only */
		k++;
		rbuf_free(&t);
		rbuf_add(&t, m->envs[e].name);
		if (m->envs[e].is_baseline) {
			rbuf_add(&t, " (baseline)");
			base = sr->st.median;
		}
		if (k > 1)
			rbuf_add(&s, ", ");
		esc_gnuplot_tic(&s, rbuf_str(&t));
		rbuf_addf(&s, " %zu", k);
		double lo = sr->st.ci_lo, hi = sr->st.ci_hi;
		if (!isfinite(lo) || !isfinite(hi))
			lo = hi = sr->st.mean;
		if (isfinite(sr->st.median) && sr->st.median < ymin)
			ymin = sr->st.median;
		if (isfinite(lo) && lo < ymin)
			ymin = lo;
		rbuf_addf(&d, "%zu", k);
		num(&d, sr->st.median);
		rbuf_addf(&d, " %ld", color_int(m->envs[e].color));
		num(&d, sr->st.mean);
		num(&d, lo);
		num(&d, hi);
		rbuf_addc(&d, '\n');
	}
	free(by_env);
	rbuf_free(&t);
	/* Headroom above the tallest bar keeps the key off the data. */
	/* Bars from 0; a metric with negative values (a difference, an
	 * offset) gets the range of its data, not an empty [0:*]. */
	rbuf_addf(&s, ")\nset xrange [0.4:%zu.6]\nset yrange %s\nset offsets 0, 0, graph 0.25, %s\nset boxwidth 0.6\n",
		  k, ymin < 0 ? "[*:*]" : "[0:*]", ymin < 0 ? "graph 0.1" : "0");
	rbuf_add(&s, "$d << EOD\n");
	rbuf_add(&s, rbuf_str(&d));
	rbuf_add(&s, "EOD\n");
	rbuf_add(&s, "plot $d using 1:2:3 with boxes lc rgb variable notitle, \\\n"
		     "  NaN with boxes lc rgb '#aaaaaa' title 'median', \\\n"
		     "  $d using 1:4:5:6 with yerrorbars pt 7 ps 0.6 lc rgb '#222222' title 'mean, 95% CI'");
	if (isfinite(base))
		rbuf_addf(&s, ", \\\n  %.17g with lines dt 2 lw 1.5 lc rgb '#333333' title 'baseline median'", base);
	rbuf_addc(&s, '\n');
	rbuf_free(&d);
	c->script = rbuf_take(&s);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Outlier points drawn per side of one box at most: past that, every k-th by
 * rank, the most extreme always among them (a chart is 860 px wide; 50
 * points on a side of one box already overlap). */
#define BOX_OUTLIERS_MAX 50

/* Up to BOX_OUTLIERS_MAX of v[0..n) (sorted) as points at x: all of them,
 * or evenly by rank with v[far] (the most extreme) kept. */
static void box_points(rbuf *o, const double *v, size_t n, int far_is_last, double x, long color)
{
	size_t step = n > BOX_OUTLIERS_MAX ? (n + BOX_OUTLIERS_MAX - 1) / BOX_OUTLIERS_MAX : 1;
	for (size_t k = 0; k < n; k += step) {
		size_t i = far_is_last ? n - 1 - k : k;
		rbuf_addf(o, "%.6f", x);
		num(o, v[i]);
		rbuf_addf(o, " %ld\n", color);
	}
}

/* One box of a box plot from the sorted finite samples v[0..n), as
 * gnuplot's `boxplot` style computes it (gnuplot 5.4, graphics.c
 * plot_boxplot(); `set style boxplot range 1.5`, its default):
 *   median  v[(n-1)/2] for odd n, else the mean of v[n/2-1] and v[n/2];
 *   q1      n % 4 == 0: the mean of v[n/4-1] and v[n/4], else v[(n+3)/4-1];
 *   q3      n % 4 == 0: the mean of v[n-n/4-1] and v[n-n/4], else v[n-(n+3)/4];
 *   whiskers the lowest sample >= q1 - 1.5 IQR and the highest <= q3 + 1.5 IQR;
 *   outliers the samples outside the whiskers, drawn as points;
 *   n < 4   no box: every sample is a point, in the environment's colour.
 * Only this summary goes to gnuplot ($b: x q1 whisker_lo whisker_hi q3
 * median width colour; $o: x y colour), not the samples. */
static void box_of(rbuf *b, rbuf *o, const double *v, size_t n, double x, double width, long color)
{
	if (n == 0)
		return;
	if (n < 4) {
		box_points(o, v, n, 0, x, color);
		return;
	}
	double med = n % 2 ? v[(n - 1) / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
	double q1 = n % 4 ? v[(n + 3) / 4 - 1] : 0.5 * (v[n / 4 - 1] + v[n / 4]);
	double q3 = n % 4 ? v[n - (n + 3) / 4] : 0.5 * (v[n - n / 4] + v[n - n / 4 - 1]);
	double reach = 1.5 * (q3 - q1);
	size_t lo = 0, hi = n - 1;
	while (lo < n - 1 && v[lo] < q1 - reach)
		lo++;
	while (hi > 0 && v[hi] > q3 + reach)
		hi--;
	rbuf_addf(b, "%.6f", x);
	num(b, q1);
	num(b, v[lo]);
	num(b, v[hi]);
	num(b, q3);
	num(b, med);
	rbuf_addf(b, " %.6f %ld\n", width, color);
	box_points(o, v, lo, 0, x, 0x333333);
	box_points(o, v + hi + 1, n - 1 - hi, 1, x, 0x333333);
}

/* Box plots of one benchmark's samples (its metric groups gis[0..ng), in
 * model order), each metric relative to the baseline's median (or the
 * first environment's) so they share an axis.  The script holds the boxes'
 * summaries (box_of), so its size does not grow with the samples. */
static void bench_chart(const hvb_model *m, const char *bench, const size_t *gis, size_t ng, size_t bi,
			chart_set *cs)
{
	char name[64];
	snprintf(name, sizeof name, "box-%zu", bi);
	rbuf t = {0}, s = {0}, d = {0}, o = {0};
	rbuf_addf(&t, "%s: samples relative to the %s median", bench, m->baseline ? "baseline" : "first environment");
	chart *c = add_chart(cs, name, bench);
	rbuf_add(&s, COMMON);
	rbuf_add(&s, "set title ");
	esc_gnuplot(&s, rbuf_str(&t));
	rbuf_add(&s, "\nset ylabel \"ratio to reference median\"\nset xtics rotate by -20 (");
	size_t x = 0, nbox = 0;
	size_t nenv = cs->nenv_on ? cs->nenv_on : 1;
	double w = 0.8 / (double)nenv;
	double *v = NULL;
	size_t vcap = 0;
	for (size_t k = 0; k < ng; k++) {
		const hvb_metric_group *g = &m->groups[gis[k]];
		if (!g->bench || g->n == 0)
			continue;
		double ref = NAN;
		for (size_t j = 0; j < g->n; j++)
			if (m->envs[m->series[g->series[j]].env_idx].is_baseline)
				ref = m->series[g->series[j]].st.median;
		if (!isfinite(ref)) {
			size_t best = g->series[0];
			for (size_t j = 0; j < g->n; j++)
				if (m->series[g->series[j]].env_idx < m->series[best].env_idx)
					best = g->series[j];
			ref = m->series[best].st.median;
		}
		if (!isfinite(ref) || ref == 0)
			continue;
		x++;
		rbuf_free(&t);
		rbuf_add(&t, g->metric);
		if (g->params && *g->params)
			rbuf_addf(&t, " [%s]", g->params);
		if (x > 1)
			rbuf_add(&s, ", ");
		esc_gnuplot_tic(&s, rbuf_str(&t));
		rbuf_addf(&s, " %zu", x);
		for (size_t j = 0; j < g->n; j++) {
			const hvb_series *sr = &m->series[g->series[j]];
			if (sr->env_idx >= m->nenvs || !cs->env_on[sr->env_idx])
				continue;
			if (sr->n_samples > vcap) {
				vcap = sr->n_samples;
				v = xrealloc(v, vcap * sizeof *v);
			}
			size_t n = 0;
			for (size_t q = 0; q < sr->n_samples; q++) {
				double y = sr->samples[q] / ref;
				if (isfinite(y))
					v[n++] = y;
			}
			if (n > 1)
				qsort(v, n, sizeof *v, cmp_double);
			double xpos = (double)x - 0.4 + w * ((double)cs->env_slot[sr->env_idx] + 0.5);
			box_of(&d, &o, v, n, xpos, w * 0.8, color_int(m->envs[sr->env_idx].color));
			nbox += n > 0;
		}
	}
	free(v);
	rbuf_addf(&s, ")\nset xrange [0.5:%zu.5]\n", x ? x : 1);
	rbuf_add(&s, "set key outside right top\n$b << EOD\n");
	rbuf_add(&s, rbuf_str(&d));
	rbuf_add(&s, "EOD\n$o << EOD\n");
	rbuf_add(&s, rbuf_str(&o));
	rbuf_add(&s, "EOD\n");
	if (nbox) {
		/* the box, its whiskers and their bars, then the median over it;
		 * an empty datablock is skipped (a chart of tiny series only) */
		rbuf_add(&s, "plot ");
		const char *sep = "";
		if (d.len) {
			rbuf_add(&s, "$b using 1:2:3:4:5:7:8 notitle with candlesticks lc rgb variable whiskerbars 0.35, \\\n"
				     "  $b using 1:6:6:6:6:7 notitle with candlesticks lc rgb '#333333'");
			sep = ", \\\n  ";
		}
		if (o.len) {
			rbuf_add(&s, sep);
			rbuf_add(&s, "$o using 1:2:3 notitle with points pt 7 ps 0.4 lc rgb variable");
		}
		for (size_t e = 0; e < m->nenvs; e++) {
			if (!cs->env_on[e])
				continue;
			rbuf_add(&s, ", \\\n  NaN with boxes lc rgb '");
			rbuf_add(&s, env_color(m->envs[e].color));
			rbuf_add(&s, "' title ");
			esc_gnuplot(&s, m->envs[e].name);
		}
		rbuf_add(&s, ", \\\n  1 with lines dt 2 lc rgb '#333333' notitle\n");
	} else {
		rbuf_add(&s, "set label 1 \"no samples\" at graph 0.5, graph 0.5 center\nplot NaN notitle\n");
	}
	rbuf_free(&t);
	rbuf_free(&d);
	rbuf_free(&o);
	c->script = rbuf_take(&s);
}

/* The verdict at a glance (a forest plot): per category -- overall first
 * -- each environment's cost against its baseline as a dot with its 95%
 * CI whisker, on a log axis of the time it takes (1 / score) labelled as
 * overhead %, a line at 0 %, and the category's A/A noise floor as a grey
 * band where the campaign has a pair (hvb_score.noise_floor).  A whisker
 * that crosses the line or stays in the band is "no difference": the
 * verdict's words and colours say the same (verdict.c). */
static void overview_chart(const hvb_model *m, chart_set *cs)
{
	if (!m->nscores || !m->baseline)
		return;
	chart *c = add_chart(cs, "overview", "The verdict at a glance");
	c->w = 480;
	c->h = 270;
	rbuf s = {0}, d = {0}, obj = {0};
	rbuf_add(&s, COMMON);
	rbuf_add(&s, "set grid noytics\nset border 3\nset key outside bottom center horizontal samplen 1 "
		     "spacing 0.9 width -1\nset logscale y 2\nset xtics nomirror (");
	size_t ncat = m->ncategories + 1;
	size_t nother = 0;
	for (size_t e = 0; e < m->nenvs; e++)
		nother += !m->envs[e].is_baseline && cs->env_on[e];
	double w = 0.8 / (double)(nother ? nother : 1);
	size_t x = 0, nobj = 0;
	double ymin = 1, ymax = 1;
	const hvb_score **tab = report_score_table(m);
	for (size_t k = 0; k < ncat; k++) {
		size_t ci = k == 0 ? m->ncategories : k - 1;   /* overall first */
		const char *cat = ci < m->ncategories ? m->categories[ci] : "overall";
		int any = 0;
		double floor = NAN;
		for (size_t e = 0; e < m->nenvs; e++) {
			const hvb_score *sc = tab[e * ncat + ci];
			if (sc && sc->n_metrics > 0 && !m->envs[e].is_baseline)
				any = 1;
			if (sc && isfinite(sc->noise_floor))
				floor = sc->noise_floor;
		}
		if (!any)
			continue;
		x++;
		if (x > 1)
			rbuf_add(&s, ", ");
		esc_gnuplot_tic(&s, cat);
		rbuf_addf(&s, " %zu", x);
		if (isfinite(floor) && floor > 0) {
			double lo, hi;
			report_floor_band(floor, &lo, &hi);
			rbuf_addf(&obj, "set object %zu rect from %.4f, %.6g to %.4f, %.6g fc rgb '#bbbbbb' "
				  "fs solid 0.35 noborder behind\n", ++nobj, (double)x - 0.45, lo, (double)x + 0.45, hi);
			ymin = fmin(ymin, lo);
			ymax = fmax(ymax, hi);
		}
		size_t slot = 0;
		for (size_t e = 0; e < m->nenvs; e++) {
			if (m->envs[e].is_baseline || !cs->env_on[e])
				continue;
			const hvb_score *sc = tab[e * ncat + ci];
			if (sc && isfinite(sc->geomean) && sc->geomean > 0) {
				double f = 1 / sc->geomean;
				double flo = isfinite(sc->hi) && sc->hi > 0 ? 1 / sc->hi : f;
				double fhi = isfinite(sc->lo) && sc->lo > 0 ? 1 / sc->lo : f;
				rbuf_addf(&d, "%.6f", (double)x - 0.4 + w * ((double)slot + 0.5));
				num(&d, f);
				num(&d, flo);
				num(&d, fhi);
				rbuf_addf(&d, " %ld\n", color_int(m->envs[e].color));
				ymin = fmin(ymin, flo);
				ymax = fmax(ymax, fhi);
			}
			slot++;
		}
	}
	free(tab);
	/* y tics as overhead %: the round figures inside the range */
	static const double ticks[] = { -90, -75, -50, -25, -10, -5, 0, 5, 10, 25, 50, 100, 200, 400, 900, 1900, 4900 };
	ymin /= 1.04;
	ymax *= 1.04;
	rbuf_addf(&s, ")\nset xrange [0.5:%zu.5]\nset yrange [%.6g:%.6g]\nset ytics nomirror (", x ? x : 1, ymin, ymax);
	int first = 1;
	size_t nt = 0;
	for (size_t i = 0; i < sizeof ticks / sizeof ticks[0]; i++) {
		double f = 1 + ticks[i] / 100;
		if (f < ymin || f > ymax)
			continue;
		nt++;
		/* a narrow range (every cost within ±5 %) keeps 0 and ±5, ±10;
		 * a wide one skips the small ones that would crowd 0 */
		if (ymax / ymin > 3 && ticks[i] != 0 && fabs(ticks[i]) < 25)
			continue;
		char lab[32];
		snprintf(lab, sizeof lab, ticks[i] > 0 ? "+%g %%" : "%g %%", ticks[i]);
		rbuf_add(&s, first ? "" : ", ");
		esc_gnuplot_tic(&s, lab);
		rbuf_addf(&s, " %.6g", f);
		first = 0;
	}
	(void)nt;
	rbuf_add(&s, ")\nset ylabel \"cost against the baseline (log scale)\"\n");
	rbuf_add(&s, rbuf_str(&obj));
	rbuf_add(&s, "set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lw 1.5 lc rgb '#333333' front\n");
	rbuf_add(&s, "$o << EOD\n");
	rbuf_add(&s, rbuf_str(&d));
	rbuf_add(&s, "EOD\n");
	if (d.len)
		rbuf_add(&s, "plot $o using 1:2:3:4:5 with yerrorbars lc rgb variable pt 7 ps 0.8 lw 1.5 notitle");
	else
		rbuf_add(&s, "plot NaN notitle");
	for (size_t e = 0; e < m->nenvs; e++) {
		if (m->envs[e].is_baseline || !cs->env_on[e])
			continue;
		rbuf_addf(&s, ", \\\n  NaN with points pt 7 lc rgb '%s' title ", env_color(m->envs[e].color));
		esc_gnuplot(&s, m->envs[e].name);
	}
	rbuf_addc(&s, '\n');
	rbuf_free(&d);
	rbuf_free(&obj);
	c->script = rbuf_take(&s);
}

/* Seconds since the epoch of an hvb1 time stamp (UTC, "...Z"); NAN if not one. */
static double iso_epoch(const char *t)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	int n = 0;
	if (!t || sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			 &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 || n < 19)
		return NAN;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (double)timegm(&tm);
}

static const hvb_planrun *planrun(const hvb_model *m, const char *run)
{
	size_t lo = 0, hi = m->nplanruns;
	while (run && lo < hi) {   /* planruns are sorted by run (model.h) */
		size_t mid = (lo + hi) / 2;
		int c = strcmp(m->planruns[mid].run, run);
		if (!c)
			return &m->planruns[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Time series, for plan campaigns (m->planruns, analyze/paired.c): per
 * environment its headline metrics -- the first headline metric of the
 * scoring profile (analyze/default.profile) of each benchmark, in the
 * model's group order -- each sample divided by its
 * series' median, against wall time (minutes since the campaign's first
 * sample), the start of each round marked on the top axis, so a drift of
 * the machine shows as a common slope.  Named "series-<env index>". */
/* Points of one series in a time-series chart at most: past it every k-th
 * sample (a chart is 860 px wide; the datablock stays bounded). */
#define TS_POINTS 500

/* One environment's time-series chart while it is built. */
typedef struct ts_env {
	rbuf d, p;                /* datablock, plot clauses */
	size_t block, nround;
	double *rnd, *rstart;     /* rounds seen, in order of appearance; first time */
} ts_env;

static void timeseries_charts(const hvb_model *m, chart_set *cs)
{
	if (!m->nplanruns || !m->nenvs)
		return;
	double t0 = NAN;
	for (size_t i = 0; i < m->nseries; i++)
		for (size_t q = 0; q < m->series[i].n_samples; q++) {
			double t = m->series[i].sample_rows ? iso_epoch(m->series[i].sample_rows[q]->time) : NAN;
			if (isfinite(t) && !(t >= t0))
				t0 = t;
		}
	if (!isfinite(t0))
		return;
	/* One pass over the groups and their series, each series into its
	 * environment's chart: O(series + samples), not a scan of every group
	 * per environment. */
	ts_env *te = xmalloc(m->nenvs * sizeof *te);
	memset(te, 0, m->nenvs * sizeof *te);
	rbuf t = {0};
	const char *last_bench = NULL;
	for (size_t gi = 0; gi < m->ngroups; gi++) {
		const hvb_metric_group *g = &m->groups[gi];
		/* groups are sorted by bench: the first headline one of each */
		if (g->role != HVB_HEADLINE || !g->bench ||
		    (last_bench && strcmp(last_bench, g->bench) == 0))
			continue;
		last_bench = g->bench;
		for (size_t j = 0; j < g->n; j++) {
			const hvb_series *sr = &m->series[g->series[j]];
			if (sr->env_idx >= m->nenvs || !cs->env_on[sr->env_idx] || !sr->sample_rows || !(sr->st.median != 0) ||
			    !isfinite(sr->st.median))
				continue;
			ts_env *x = &te[sr->env_idx];
			size_t pts = 0;
			/* at most TS_POINTS of a series drawn, evenly; every
			 * sample still marks its round's start */
			size_t step = (sr->n_samples + TS_POINTS - 1) / TS_POINTS;
			for (size_t q = 0; q < sr->n_samples; q++) {
				double tq = iso_epoch(sr->sample_rows[q]->time);
				if (!isfinite(tq) || !isfinite(sr->samples[q]))
					continue;
				if (q % (step ? step : 1) == 0) {
					rbuf_addf(&x->d, "%.6f %.17g\n", (tq - t0) / 60, sr->samples[q] / sr->st.median);
					pts++;
				}
				const hvb_planrun *pr = planrun(m, sr->sample_rows[q]->run);
				if (!pr)
					continue;
				/* rounds are few (one per plan round): a short scan */
				size_t k = 0;
				while (k < x->nround && x->rnd[k] != pr->round)
					k++;
				if (k == x->nround) {
					x->rnd = xrealloc(x->rnd, (x->nround + 1) * sizeof *x->rnd);
					x->rstart = xrealloc(x->rstart, (x->nround + 1) * sizeof *x->rstart);
					x->rnd[x->nround] = pr->round;
					x->rstart[x->nround++] = tq;
				} else if (tq < x->rstart[k]) {
					x->rstart[k] = tq;
				}
			}
			if (!pts)
				continue;
			rbuf_add(&x->d, "\n\n");
			rbuf_free(&t);
			rbuf_add(&t, g->bench);
			rbuf_add(&t, " ");
			rbuf_add(&t, g->metric);
			if (g->params && *g->params)
				rbuf_addf(&t, " [%s]", g->params);
			rbuf_addf(&x->p, "%s$t index %zu using 1:2 with linespoints pt 7 ps 0.5 title ",
				  x->block ? ", \\\n  " : "", x->block);
			esc_gnuplot(&x->p, rbuf_str(&t));
			x->block++;
		}
	}
	for (size_t e = 0; e < m->nenvs; e++) {
		ts_env *x = &te[e];
		if (x->block) {
			rbuf s = {0}, r = {0};
			char name[64];
			snprintf(name, sizeof name, "series-%zu", e);
			rbuf_free(&t);
			rbuf_addf(&t, "%s: headline metrics over the campaign (each sample / its median)",
				  m->envs[e].name);
			chart *c = add_chart(cs, name, m->envs[e].name);
			rbuf_add(&s, COMMON);
			rbuf_add(&s, "set title ");
			esc_gnuplot(&s, rbuf_str(&t));
			rbuf_add(&s, "\nset xlabel \"minutes since the campaign's first sample\"\n"
				     "set ylabel \"sample / series median\"\nset key outside right top\n");
			if (x->nround) {
				rbuf_add(&s, "set link x2\nset grid x2tics lc rgb '#bbbbbb' dt 2\nset x2tics (");
				for (size_t k = 0; k < x->nround; k++) {
					char lbl[48];
					snprintf(lbl, sizeof lbl, "r%g", x->rnd[k]);
					rbuf_add(&r, k ? ", " : "");
					esc_gnuplot_tic(&r, lbl);
					rbuf_addf(&r, " %.6f", (x->rstart[k] - t0) / 60);
				}
				rbuf_add(&s, rbuf_str(&r));
				rbuf_add(&s, ")\n");
			}
			rbuf_add(&s, "$t << EOD\n");
			rbuf_add(&s, rbuf_str(&x->d));
			rbuf_add(&s, "EOD\nplot ");
			rbuf_add(&s, rbuf_str(&x->p));
			rbuf_add(&s, ", \\\n  1 with lines dt 2 lc rgb '#333333' notitle\n");
			c->script = rbuf_take(&s);
			rbuf_free(&r);
		}
		free(x->rnd);
		free(x->rstart);
		rbuf_free(&x->d);
		rbuf_free(&x->p);
	}
	rbuf_free(&t);
	free(te);
}

static int cmp_group_bench(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const char *bx = sort_model->groups[x].bench, *by = sort_model->groups[y].bench;
	int c = strcmp(bx ? bx : "", by ? by : "");
	return c ? c : (x > y) - (x < y);
}

/* The metric groups by benchmark, benchmarks in the order their first
 * group appears (as the HTML numbers them, box-<i>): order[] lists group
 * indices bench by bench, each bench's groups in model order, and
 * start[i]..start[i+1] is bench i's span.  Sorting, not a search per
 * group: O(G log G).  Returns the number of benchmarks. */
size_t report_bench_groups(const hvb_model *m, size_t **order, size_t **start)
{
	size_t G = m->ngroups;
	size_t *byname = xmalloc((G ? G : 1) * sizeof *byname);
	for (size_t i = 0; i < G; i++)
		byname[i] = i;
	sort_model = m;
	qsort(byname, G, sizeof *byname, cmp_group_bench);
	sort_model = NULL;
	/* runs[i]: where the i-th bench (by name) starts in byname[] */
	size_t *runs = xmalloc((G + 1) * sizeof *runs), nb = 0;
	for (size_t k = 0; k < G; k++) {
		const char *b = m->groups[byname[k]].bench, *p = k ? m->groups[byname[k - 1]].bench : NULL;
		if (!k || strcmp(b ? b : "", p ? p : "") != 0)
			runs[nb++] = k;
	}
	runs[nb] = G;
	/* Runs in first-appearance order: each run's first element is its
	 * bench's first group; walk the groups in order and emit a run where
	 * one starts. */
	size_t *tmp = xmalloc((G ? G : 1) * sizeof *tmp);
	for (size_t i = 0; i < G; i++)
		tmp[i] = SIZE_MAX;
	for (size_t i = 0; i < nb; i++)
		tmp[byname[runs[i]]] = i;   /* group index -> the run it starts */
	size_t *o = xmalloc((G ? G : 1) * sizeof *o), *st = xmalloc((nb + 1) * sizeof *st), n = 0, bi = 0;
	for (size_t gi = 0; gi < G; gi++) {
		if (tmp[gi] == SIZE_MAX)
			continue;
		size_t r = tmp[gi];
		st[bi++] = n;
		for (size_t k = runs[r]; k < runs[r + 1]; k++)
			o[n++] = byname[k];
	}
	st[bi] = n;
	free(tmp);
	free(runs);
	free(byname);
	*order = o;
	*start = st;
	return nb;
}

void charts_build(const hvb_model *m, chart_set *cs)
{
	chart_envs(m, cs);
	overview_chart(m, cs);
	/* Benchmarks in the order their first metric group appears. */
	size_t *order, *start;
	size_t nb = report_bench_groups(m, &order, &start);
	size_t nbc = nb < REPORT_CHART_BENCHES ? nb : REPORT_CHART_BENCHES;
	for (size_t bi = 0; bi < nbc; bi++) {
		const char *b = m->groups[order[start[bi]]].bench;
		bench_chart(m, b ? b : "", order + start[bi], start[bi + 1] - start[bi], bi, cs);
	}
	/* the metric charts of those benchmarks, in model order as before */
	unsigned char *drawn = xmalloc(m->ngroups ? m->ngroups : 1);
	memset(drawn, 0, m->ngroups ? m->ngroups : 1);
	for (size_t q = 0; q < start[nbc]; q++)
		drawn[order[q]] = 1;
	free(order);
	free(start);
	for (size_t gi = 0; gi < m->ngroups; gi++)
		if (drawn[gi])
			metric_chart(m, gi, cs);
	free(drawn);
	timeseries_charts(m, cs);   /* plan campaigns only */
}
