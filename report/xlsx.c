/*
 * xlsx.c - the XLSX workbook for spreadsheet review, with libxlsxwriter:
 * Summary (ranking, with native charts a reviewer can restyle), Statistics
 * (one row per series), Samples (every raw row), Environments, Warnings.
 * Numbers are written as numbers (NAN as an empty cell: Excel has no NaN);
 * every CSV string goes through esc_sheet() and worksheet_write_string(),
 * so "=HYPERLINK(...)" in a label is a string cell, never a formula.
 * Written in libxlsxwriter's constant-memory mode: every sheet row after
 * row, in order (a million-row Samples sheet costs one row of memory); a
 * write out of order is refused by the library and fails the workbook.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>
#include "rint.h"

typedef struct xw {
	lxw_workbook *wb;
	lxw_format *head, *num, *pct, *p4, *intf, *wrap, *boolf;
	rbuf scratch;
	int err;
} xw;

/* Every cell write is checked: in constant-memory mode a row before the one
 * being written is refused (LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE), and a
 * sheet written out of order must fail the report, not lose cells. */
static void chk(xw *x, lxw_error e, int r, int c)
{
	if (e && !x->err) {
		rlog("xlsx: row %d column %d: %s", r + 1, c + 1, lxw_strerror(e));
		x->err = 1;
	}
}

static void s_(xw *x, lxw_worksheet *ws, int r, int c, const char *s, lxw_format *f)
{
	if (!s || !*s) {
		chk(x, worksheet_write_blank(ws, (lxw_row_t)r, (lxw_col_t)c, f), r, c);
		return;
	}
	chk(x, worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, esc_sheet(&x->scratch, s), f), r, c);
}

static void n_(xw *x, lxw_worksheet *ws, int r, int c, double v, lxw_format *f)
{
	if (isfinite(v))
		chk(x, worksheet_write_number(ws, (lxw_row_t)r, (lxw_col_t)c, v, f), r, c);
	else
		chk(x, worksheet_write_blank(ws, (lxw_row_t)r, (lxw_col_t)c, f), r, c);
}

static void b_(xw *x, lxw_worksheet *ws, int r, int c, int v)
{
	chk(x, worksheet_write_boolean(ws, (lxw_row_t)r, (lxw_col_t)c, v, x->boolf), r, c);
}

/* Our own text (column titles): a string cell as it is. */
static void h_(xw *x, lxw_worksheet *ws, int c, const char *s)
{
	chk(x, worksheet_write_string(ws, 0, (lxw_col_t)c, s, x->head), 0, c);
}

static void header(xw *x, lxw_worksheet *ws, const char *const *cols, int n)
{
	for (int i = 0; i < n; i++)
		h_(x, ws, i, cols[i]);
	worksheet_freeze_panes(ws, 1, 0);
}

/* A catalogue field (model/fields.h) in its spreadsheet format; absent:
 * a blank cell. */
static void f_(xw *x, lxw_worksheet *ws, int r, int c, const hvb_field *d, hvb_fval v)
{
	lxw_format *fm = d->fmt == HVB_FMT_INT ? x->intf : d->fmt == HVB_FMT_PCT ? x->pct
		       : d->fmt == HVB_FMT_P4 ? x->p4 : d->fmt == HVB_FMT_NUM ? x->num : NULL;
	if (v.absent)
		chk(x, worksheet_write_blank(ws, (lxw_row_t)r, (lxw_col_t)c, fm), r, c);
	else if (d->type == HVB_F_STR)
		s_(x, ws, r, c, v.s, NULL);
	else if (d->type == HVB_F_BOOL)
		b_(x, ws, r, c, v.v != 0);
	else
		n_(x, ws, r, c, v.v, fm);
}

/* The header of a catalogue table: its field names. */
static void field_header(xw *x, lxw_worksheet *ws, const hvb_field *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h_(x, ws, (int)i, t[i].name);
	worksheet_freeze_panes(ws, 1, 0);
}

static lxw_color_t color_of(int i)
{
	return (lxw_color_t)strtol(env_color(i) + 1, NULL, 16);
}

/* One point of a chart range's cached data: a string, a number, or none
 * (NAN).  libxlsxwriter owns and frees it (free()) with the chart. */
static void cache_point(xw *x, lxw_series_range *r, const char *s, double v)
{
	lxw_series_data_point *p = xmalloc(sizeof *p);
	memset(p, 0, sizeof *p);
	if (s) {
		p->string = xstrdup(esc_sheet(&x->scratch, s));
		p->is_string = LXW_TRUE;
		r->has_string_cache = LXW_TRUE;
	} else if (isfinite(v)) {
		p->number = v;
	} else {
		p->no_data = LXW_TRUE;
	}
	STAILQ_INSERT_TAIL(r->data_cache, p, list_pointers);
	r->num_data_points++;
}

/* The Summary's environments in rank order: the overall scores as the
 * model sorts them (by rank, then the incomplete ones), then the
 * environments without an overall score in model order.  Caller frees. */
static size_t *rank_order(const hvb_model *m)
{
	size_t *ord = xmalloc((m->nenvs ? m->nenvs : 1) * sizeof *ord), n = 0;
	unsigned char *in = xcalloc(m->nenvs + 1, 1);
	for (size_t i = 0; i < m->nscores; i++) {
		const hvb_score *s = &m->scores[i];
		if (strcmp(s->category, "overall") == 0 && s->env_idx < m->nenvs && !in[s->env_idx]) {
			in[s->env_idx] = 1;
			ord[n++] = s->env_idx;
		}
	}
	for (size_t e = 0; e < m->nenvs; e++)
		if (!in[e])
			ord[n++] = e;
	free(in);
	return ord;
}

/* A column chart over Summary rows 2..n+1, one colour per environment.
 * Its cached data (the values a reader shows before it recalculates, and
 * what makes the categories text, strRef, not numbers) comes from the
 * model: in constant-memory mode libxlsxwriter cannot read the cells back
 * (they are on disk) and would write the categories as an uncached numRef.
 * ignore_cache tells it the cache is already there. */
static void summary_chart(xw *x, const hvb_model *m, const hvb_score **tab, const size_t *ord,
			  lxw_worksheet *ws, int col, size_t cat, const char *title, int at_row, int at_col)
{
	lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_COLUMN);
	lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
	int n = (int)m->nenvs;
	size_t nc = m->ncategories + 1;
	chart_series_set_categories(se, "Summary", 1, 2, (lxw_row_t)n, 2);
	chart_series_set_values(se, "Summary", 1, (lxw_col_t)col, (lxw_row_t)n, (lxw_col_t)col);
	for (size_t i = 0; i < m->nenvs; i++) {
		size_t e = ord[i];
		const hvb_score *sc = tab[e * nc + cat];
		cache_point(x, se->categories, m->envs[e].name && *m->envs[e].name ? m->envs[e].name : NULL, NAN);
		cache_point(x, se->values, NULL, sc ? sc->geomean : NAN);
	}
	se->categories->ignore_cache = LXW_TRUE;
	se->values->ignore_cache = LXW_TRUE;
	chart_series_set_name(se, "score");
	lxw_chart_fill *fills = xmalloc(sizeof *fills * (size_t)n);
	lxw_chart_point *pts = xmalloc(sizeof *pts * (size_t)n);
	lxw_chart_point **pp = xmalloc(sizeof *pp * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		memset(&fills[i], 0, sizeof fills[i]);
		fills[i].color = color_of(m->envs[ord[i]].color);
		memset(&pts[i], 0, sizeof pts[i]);
		pts[i].fill = &fills[i];
		pp[i] = &pts[i];
	}
	pp[n] = NULL;
	chart_series_set_points(se, pp);   /* copies the points */
	free(fills);
	free(pts);
	free(pp);
	chart_title_set_name(ch, title);   /* our own text, never starts with '=' */
	chart_axis_set_name(ch->y_axis, "score (> 1 better than baseline)");
	chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
	worksheet_insert_chart(ws, (lxw_row_t)at_row, (lxw_col_t)at_col, ch);
}

/* The A/A noise floor f as overhead %: the HTML chart's band of scores
 * (report_floor_band), whose high end is the low overhead. */
static void band_of(double f, double *lo, double *hi)
{
	double slo, shi;
	report_floor_band(f, &slo, &shi);
	*lo = (1 / shi - 1) * 100;
	*hi = (1 / slo - 1) * 100;
}

/* The overall noise floor of the campaign (its A/A pair), or NAN. */
static double overall_floor(const hvb_model *m)
{
	double fl = NAN;
	for (size_t i = 0; i < m->nscores; i++)
		if (strcmp(m->scores[i].category, "overall") == 0 && isfinite(m->scores[i].noise_floor))
			fl = m->scores[i].noise_floor;
	return fl;
}

/* The overview (the HTML's forest plot, natively): per environment in
 * rank order its overall overhead % as a dot and its 95% CI; the category
 * axis crosses at 0 %.  Without an A/A pair the CI is a high-low line
 * between the CI columns' series, whose "+" markers mark its ends.  With
 * one, the noise floor is a grey band: up-down bars between a first and a
 * last series at the band's edges (libxlsxwriter 1.1.4 has no second chart
 * group, and high-low lines would join the band's series too, stretching
 * every whisker to it), and the CI is its two ends, "+" markers.  Cached
 * values from the model, as above. */
static void overview_chart(xw *x, const hvb_model *m, const hvb_score **tab, const size_t *ord,
			   lxw_worksheet *ws, int col_ov, int col_lo, int col_hi, int col_band,
			   int at_row, int at_col)
{
	lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_LINE);
	size_t nc = m->ncategories + 1;
	int n = (int)m->nenvs;
	double fl = overall_floor(m);
	int band = isfinite(fl) && fl > 0;
	/* series: [band low,] CI low, overall, CI high[, band high] */
	const int cols[5] = { col_band, col_lo, col_ov, col_hi, col_band + 1 };
	const char *names[5] = { "noise band low", "95% CI low", "overall overhead %", "95% CI high",
				 "noise band high" };
	for (int k = band ? 0 : 1; k < (band ? 5 : 4); k++) {
		lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
		chart_series_set_categories(se, "Summary", 1, 2, (lxw_row_t)n, 2);
		chart_series_set_values(se, "Summary", 1, (lxw_col_t)cols[k], (lxw_row_t)n, (lxw_col_t)cols[k]);
		for (size_t i = 0; i < m->nenvs; i++) {
			size_t e = ord[i];
			const hvb_score *o = tab[e * nc + m->ncategories];
			double v = NAN;
			if (k == 0 || k == 4) {
				double bl, bh;
				if (o && isfinite(o->noise_floor)) {
					band_of(o->noise_floor, &bl, &bh);
					v = k == 0 ? bl : bh;
				}
			} else if (o && o->geomean > 0)
				v = k == 2 ? (1 / o->geomean - 1) * 100
				  : k == 1 ? (o->hi > 0 ? (1 / o->hi - 1) * 100 : NAN)
					   : (o->lo > 0 ? (1 / o->lo - 1) * 100 : NAN);
			cache_point(x, se->categories, m->envs[e].name && *m->envs[e].name ? m->envs[e].name : NULL, NAN);
			cache_point(x, se->values, NULL, v);
		}
		se->categories->ignore_cache = LXW_TRUE;
		se->values->ignore_cache = LXW_TRUE;
		chart_series_set_name(se, names[k]);
		lxw_chart_line none = { .none = LXW_TRUE };
		chart_series_set_line(se, &none);
		if (k == 2) {
			chart_series_set_marker_type(se, LXW_CHART_MARKER_CIRCLE);
			chart_series_set_marker_size(se, 8);
		} else if (k == 1 || k == 3) {
			/* the CI's ends, with or without high-low lines between them:
			 * LibreOffice Calc 7.4 draws neither high-low lines nor up-down
			 * bars, so the markers are the CI there */
			lxw_chart_line dark = { .color = 0x333333, .width = 1.5 };
			/* plus, not dash: libxlsxwriter 1.1.4 writes its dash markers as
			 * "long_dash"/"short_dash", which OOXML does not define */
			chart_series_set_marker_type(se, LXW_CHART_MARKER_PLUS);
			chart_series_set_marker_size(se, 7);
			chart_series_set_marker_line(se, &dark);
		} else {
			chart_series_set_marker_type(se, LXW_CHART_MARKER_NONE);
		}
	}
	if (band) {
		lxw_chart_line edge = { .none = LXW_TRUE };
		lxw_chart_fill grey = { .color = 0xBBBBBB, .transparency = 50 };
		chart_set_up_down_bars_format(ch, &edge, &grey, &edge, &grey);
	} else {
		lxw_chart_line hl = { .color = 0x333333, .width = 1.5 };
		chart_set_high_low_lines(ch, &hl);
	}
	char title[160];
	if (band)
		snprintf(title, sizeof title, "The verdict at a glance: overall overhead %% and its 95%% CI; "
			 "grey: the A/A noise floor ±%.1f %% (within it, a tie)", fl * 100);
	else
		snprintf(title, sizeof title, "The verdict at a glance: overall overhead %% and its 95%% CI");
	chart_title_set_name(ch, title);
	chart_axis_set_name(ch->y_axis, "overhead % against the baseline (+ is slower)");
	chart_axis_set_crossing(ch->y_axis, 0);
	chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
	worksheet_insert_chart(ws, (lxw_row_t)at_row, (lxw_col_t)at_col, ch);
}

static void summary(xw *x, const hvb_model *m)
{
	static const char *const vword[] = { "baseline", "no difference", "slower", "faster", "no interval" };
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Summary");
	int c = 0;
	h_(x, ws, c++, "overall rank");
	h_(x, ws, c++, "tied");
	h_(x, ws, c++, "environment");
	h_(x, ws, c++, "baseline");
	h_(x, ws, c++, "overall score");
	int col_ov = c;
	h_(x, ws, c++, "overall overhead %");
	int col_lo = c;
	h_(x, ws, c++, "overhead CI low %");
	int col_hi = c;
	h_(x, ws, c++, "overhead CI high %");
	h_(x, ws, c++, "score CI low");
	h_(x, ws, c++, "score CI high");
	h_(x, ws, c++, "metrics");
	h_(x, ws, c++, "verdict");
	int first_cat = c;
	for (size_t k = 0; k < m->ncategories; k++) {
		char h[96];
		snprintf(h, sizeof h, "%s score", m->categories[k]);
		s_(x, ws, 0, c++, h, x->head);
	}
	int col_complete = c;
	h_(x, ws, c++, "complete (ranked)");
	h_(x, ws, c++, "machine");
	h_(x, ws, c++, "host CPU per run (s)");
	int col_floor = c;
	h_(x, ws, c++, "overall noise floor % (A/A)");
	h_(x, ws, c++, "within the floor (a tie)");
	int col_words = c;
	h_(x, ws, c++, "in words");
	int col_band = c;   /* the overview chart's band: the overall floor as overhead % */
	h_(x, ws, c++, "noise band low %");
	h_(x, ws, c++, "noise band high %");
	worksheet_freeze_panes(ws, 1, 3);
	size_t nc = m->ncategories + 1;
	const hvb_score **tab = report_score_table(m);
	size_t *ord = rank_order(m);
	for (size_t i = 0; i < m->nenvs; i++) {
		size_t e = ord[i];
		int r = (int)i + 1;
		const hvb_score *o = tab[e * nc + m->ncategories];
		if (o && o->rank)
			n_(x, ws, r, 0, o->rank, x->intf);
		if (o && o->rank)
			b_(x, ws, r, 1, o->rank_tied);
		s_(x, ws, r, 2, m->envs[e].name, NULL);
		b_(x, ws, r, 3, m->envs[e].is_baseline);
		if (o) {
			n_(x, ws, r, 4, o->geomean, x->num);
			n_(x, ws, r, col_ov, o->geomean > 0 ? (1 / o->geomean - 1) * 100 : NAN, x->pct);
			n_(x, ws, r, col_lo, o->hi > 0 ? (1 / o->hi - 1) * 100 : NAN, x->pct);
			n_(x, ws, r, col_hi, o->lo > 0 ? (1 / o->lo - 1) * 100 : NAN, x->pct);
			n_(x, ws, r, col_hi + 1, o->lo, x->num);
			n_(x, ws, r, col_hi + 2, o->hi, x->num);
			n_(x, ws, r, col_hi + 3, (double)o->n_metrics, x->intf);
			s_(x, ws, r, col_hi + 4, vword[report_score_verdict(m, o)], NULL);
		}
		for (size_t k = 0; k < m->ncategories; k++) {
			const hvb_score *sc = tab[e * nc + k];
			n_(x, ws, r, first_cat + (int)k, sc ? sc->geomean : NAN, x->num);
		}
		if (o)
			b_(x, ws, r, col_complete, o->complete);
		if (m->envs[e].machine)
			s_(x, ws, r, col_complete + 1, m->envs[e].machine, NULL);
		const hvb_env *en = &m->envs[e];
		if (en->host_runs)
			n_(x, ws, r, col_complete + 2, isfinite(en->host_cpu_s) ? en->host_cpu_s : en->host_busy_s, x->num);
		if (o && isfinite(o->noise_floor)) {
			n_(x, ws, r, col_floor, o->noise_floor * 100, x->pct);
			double bl, bh;
			band_of(o->noise_floor, &bl, &bh);
			n_(x, ws, r, col_band, bl, x->pct);
			n_(x, ws, r, col_band + 1, bh, x->pct);
			if (!en->is_baseline)
				b_(x, ws, r, col_floor + 1, o->within_floor);
		}
		if (o && !en->is_baseline) {
			char *w = report_verdict_words(m, e, tab);
			s_(x, ws, r, col_words, w, NULL);
			free(w);
		}
	}
	worksheet_set_column(ws, 0, 1, 10, NULL);
	worksheet_set_column(ws, 2, 2, 24, NULL);
	worksheet_set_column(ws, 3, (lxw_col_t)(col_words - 1), 14, NULL);
	worksheet_set_column(ws, (lxw_col_t)col_words, (lxw_col_t)col_words, 90, NULL);
	/* No charts past 65,535 environments: a chart's cache counts its
	 * points in 16 bits (lxw_series_range.num_data_points). */
	if (!m->nenvs || !m->nscores || m->nenvs > 65535) {
		free(ord);
		free(tab);
		return;
	}
	int row = (int)m->nenvs + 3;
	overview_chart(x, m, tab, ord, ws, col_ov, col_lo, col_hi, col_band, row, 0);
	summary_chart(x, m, tab, ord, ws, 4, m->ncategories, "Overall ranking: score by environment", row, 8);
	int idx = 1;
	for (size_t k = 0; k < m->ncategories; k++) {
		int any = 0;
		for (size_t e = 0; e < m->nenvs; e++) {
			const hvb_score *sc = tab[e * nc + k];
			any |= sc && sc->n_metrics > 0;
		}
		if (!any)
			continue;
		char t[96];
		snprintf(t, sizeof t, "Category %s: score by environment", m->categories[k]);
		idx++;
		summary_chart(x, m, tab, ord, ws, first_cat + (int)k, k, t, row + 16 * (idx / 2), 8 * (idx % 2));
	}
	free(ord);
	free(tab);
}

/* One row per series: the catalogue's series table, the summary CSV's
 * columns in the same order and names. */
static void statistics(xw *x, const hvb_model *m)
{
	int nc = (int)hvb_nseries_fields;
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Statistics");
	field_header(x, ws, hvb_series_fields, hvb_nseries_fields);
	int r = 1;
	for (size_t gi = 0; gi < m->ngroups; gi++) {
		const hvb_metric_group *g = &m->groups[gi];
		for (size_t j = 0; j < g->n; j++, r++) {
			const hvb_series *s = &m->series[g->series[j]];
			for (size_t i = 0; i < hvb_nseries_fields; i++)
				f_(x, ws, r, (int)i, &hvb_series_fields[i], hvb_series_field(m, s, i));
		}
	}
	if (r > 1) {
		worksheet_autofilter(ws, 0, 0, (lxw_row_t)(r - 1), (lxw_col_t)(nc - 1));
		/* Overhead: + (slower than baseline) red, - green. */
		lxw_format *red = workbook_add_format(x->wb), *green = workbook_add_format(x->wb);
		format_set_bg_color(red, 0xF8CBAD);
		format_set_bg_color(green, 0xC6EFCE);
		lxw_conditional_format cf = {0};
		cf.type = LXW_CONDITIONAL_TYPE_CELL;
		cf.criteria = LXW_CONDITIONAL_CRITERIA_GREATER_THAN;
		cf.value = 0;
		cf.format = red;
		const lxw_col_t oc = HVB_S_overhead_pct;
		worksheet_conditional_format_range(ws, 1, oc, (lxw_row_t)(r - 1), oc, &cf);
		cf.criteria = LXW_CONDITIONAL_CRITERIA_LESS_THAN;
		cf.format = green;
		worksheet_conditional_format_range(ws, 1, oc, (lxw_row_t)(r - 1), oc, &cf);
	}
	worksheet_set_column(ws, 0, 6, 14, NULL);
	worksheet_set_column(ws, 7, (lxw_col_t)(nc - 1), 11, NULL);
}

/* The raw rows, less the CSV's schema column and the environment's own
 * columns (virt, container, host: its row in the Environments sheet), which
 * were 18 % of this sheet's XML and of the time to write and deflate it. */
static void samples(xw *x, const hvb_model *m)
{
	static const char *const cols[] = {
		"file", "line", "run", "time", "env", "bench", "params",
		"metric", "unit", "better", "rep", "value", "status", "note",
	};
	int nc = (int)(sizeof cols / sizeof cols[0]);
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Samples");
	header(x, ws, cols, nc);
	/* Past --xlsx-samples the analyzer keeps an even sample of each series
	 * (hvb_model.rows_sampled; rows it keeps for other reasons are marked
	 * omit); the header row says so beside the columns. */
	size_t read = m->nrows_read ? m->nrows_read : m->nrows;
	if (m->rows_sampled) {
		char note[256];
		snprintf(note, sizeof note, "%zu of the %zu rows read: an even sample of each series "
			 "(analyze --xlsx-samples N|all); the result CSVs hold every row", m->rows_sampled, read);
		chk(x, worksheet_write_string(ws, 0, (lxw_col_t)(nc + 1), note, NULL), 0, nc + 1);
	}
	int r = 0;
	for (size_t i = 0; i < m->nrows; i++) {
		const hvb_row *w = &m->rows[i];
		if (w->omit)
			continue;
		if (r >= 1048575)
			break;   /* Excel's row limit (the analyzer keeps fewer) */
		int c = 0;
		r++;
		s_(x, ws, r, c++, w->file, NULL);
		n_(x, ws, r, c++, (double)w->line, x->intf);
		const char *const t[] = { w->run, w->time, w->env, w->bench, w->params, w->metric,
					  w->unit, w->better };
		for (size_t k = 0; k < sizeof t / sizeof t[0]; k++)
			s_(x, ws, r, c++, t[k], NULL);
		if (w->rep)
			n_(x, ws, r, c, w->rep, x->intf);
		c++;
		n_(x, ws, r, c++, w->value, NULL);
		s_(x, ws, r, c++, w->status, NULL);
		s_(x, ws, r, c++, w->note, NULL);
	}
	worksheet_autofilter(ws, 0, 0, (lxw_row_t)(r ? r : 1), (lxw_col_t)(nc - 1));
	worksheet_set_column(ws, 0, (lxw_col_t)(nc - 1), 13, NULL);
}

/* One row per environment: the catalogue's environment table. */
static void environments(xw *x, const hvb_model *m)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Environments");
	field_header(x, ws, hvb_env_fields, hvb_nenv_fields);
	for (size_t e = 0; e < m->nenvs; e++)
		for (size_t i = 0; i < hvb_nenv_fields; i++)
			f_(x, ws, (int)e + 1, (int)i, &hvb_env_fields[i], hvb_env_field(m, &m->envs[e], i));
	worksheet_set_column(ws, 0, (lxw_col_t)(hvb_nenv_fields - 1), 16, NULL);
}

/* One row per collect run (analyze/hostcost.c), then one per benchmark:
 * wall times by the host's and the guest's clock, and the host's CPU while
 * it ran. */
static void host_runs(xw *x, const hvb_model *m)
{
	/* After the run's fields (the catalogue's host-run table), its
	 * benchmarks, one row each (JSON: host_runs[].benches[]). */
	static const char *const bcols[] = {
		"bench", "bench_host_wall_s", "bench_guest_wall_s", "bench_clock_skew_pct",
		"bench_secs_by_rows", "bench_samples", "bench_busy_mean_pct",
	};
	const int nr = (int)hvb_nhostrun_fields;
	const int nc = nr + (int)(sizeof bcols / sizeof bcols[0]);
	if (!m->nhostruns)
		return;
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Host runs");
	for (int i = 0; i < nr; i++)
		h_(x, ws, i, hvb_hostrun_fields[i].name);
	for (int i = nr; i < nc; i++)
		h_(x, ws, i, bcols[i - nr]);
	worksheet_freeze_panes(ws, 1, 0);
	int r = 1;
	for (size_t i = 0; i < m->nhostruns; i++) {
		const hvb_hostrun *h = &m->hostruns[i];
		for (size_t j = 0; j <= h->nwalls; j++, r++) {
			/* a benchmark's row names its run by env and csv only */
			size_t upto = j == 0 ? hvb_nhostrun_fields : (size_t)HVB_H_csv + 1;
			for (size_t k = 0; k < upto; k++)
				f_(x, ws, r, (int)k, &hvb_hostrun_fields[k], hvb_hostrun_field(m, h, k));
			if (j == 0)
				continue;
			const hvb_bench_wall *w = &h->walls[j - 1];
			int c = nr;
			s_(x, ws, r, c++, w->bench, NULL);
			n_(x, ws, r, c++, w->host_s, x->num);
			n_(x, ws, r, c++, w->guest_s, x->num);
			n_(x, ws, r, c++, w->host_s > 0 ? (w->guest_s - w->host_s) / w->host_s * 100 : NAN, x->p4);
			n_(x, ws, r, c++, w->t1 - w->t0, x->num);
			n_(x, ws, r, c++, (double)w->samples, x->intf);
			n_(x, ws, r, c++, w->busy_mean, x->num);
		}
	}
	worksheet_autofilter(ws, 0, 0, (lxw_row_t)(r - 1), (lxw_col_t)(nc - 1));
	worksheet_set_column(ws, 0, (lxw_col_t)(nc - 1), 14, NULL);
}

/* One row per disturbed repetition or run (analyze/disturb.c): the
 * catalogue's Disturbed table, as --list-disturbed and the JSON give it;
 * no sheet when nothing was disturbed. */
static void disturbed(xw *x, const hvb_model *m)
{
	if (!m->ndisturbed)
		return;
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Disturbed");
	field_header(x, ws, hvb_disturbed_fields, hvb_ndisturbed_fields);
	for (size_t i = 0; i < m->ndisturbed; i++)
		for (size_t k = 0; k < hvb_ndisturbed_fields; k++)
			f_(x, ws, (int)i + 1, (int)k, &hvb_disturbed_fields[k],
			   hvb_disturbed_field(m, &m->disturbed[i], k));
	worksheet_autofilter(ws, 0, 0, (lxw_row_t)m->ndisturbed, (lxw_col_t)(hvb_ndisturbed_fields - 1));
	worksheet_set_column(ws, 0, (lxw_col_t)(hvb_ndisturbed_fields - 1), 14, NULL);
}

static void warnings(xw *x, const hvb_model *m)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Warnings");
	field_header(x, ws, hvb_warning_fields, hvb_nwarning_fields);
	for (size_t i = 0; i < m->nwarnings; i++)
		for (size_t k = 0; k < hvb_nwarning_fields; k++) {
			const hvb_field *d = &hvb_warning_fields[k];
			hvb_fval v = hvb_warning_field(m, &m->warnings[i], k);
			if (k == HVB_W_message || k == HVB_W_evidence)
				s_(x, ws, (int)i + 1, (int)k, v.s, x->wrap);
			else
				f_(x, ws, (int)i + 1, (int)k, d, v);
		}
	worksheet_set_column(ws, 0, 1, 16, NULL);
	worksheet_set_column(ws, HVB_W_message, HVB_W_evidence, 60, NULL);
}

int xlsx_write(const hvb_model *m, const char *path)
{
	xw x = {0};
	/* Constant memory: each sheet's rows go to a temp file as they are
	 * written (libxlsxwriter then keeps one row in memory, not every cell
	 * of the workbook and a shared string table), so every sheet below is
	 * written row after row, in order; strings are stored inline (still
	 * string cells, t="inlineStr": never formulas).  The temp files go to
	 * $TMPDIR like the charts' (default: the C library's, /tmp). */
	const char *tmpdir = getenv("TMPDIR");
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE,
				     .tmpdir = tmpdir && *tmpdir ? (char *)tmpdir : NULL };
	x.wb = workbook_new_opt(path, &opt);
	if (!x.wb) {
		rlog("%s: cannot create the XLSX workbook", path);
		return -1;
	}
	x.head = workbook_add_format(x.wb);
	format_set_bold(x.head);
	format_set_bg_color(x.head, 0xDDE3EC);
	format_set_bottom(x.head, LXW_BORDER_THIN);
	x.num = workbook_add_format(x.wb);
	format_set_num_format(x.num, "#,##0.0000");
	x.pct = workbook_add_format(x.wb);
	format_set_num_format(x.pct, "+0.0\" %\";-0.0\" %\";0.0\" %\"");
	x.p4 = workbook_add_format(x.wb);
	format_set_num_format(x.p4, "0.0000");
	x.intf = workbook_add_format(x.wb);
	format_set_num_format(x.intf, "0");
	/* Booleans stay booleans; without a format LibreOffice shows some of
	 * them as 1 and 0 (seen in Calc 7.4), with it TRUE / FALSE everywhere. */
	x.boolf = workbook_add_format(x.wb);
	format_set_num_format(x.boolf, "\"TRUE\";\"TRUE\";\"FALSE\"");
	x.wrap = workbook_add_format(x.wb);
	format_set_text_wrap(x.wrap);
	lxw_doc_properties props = { .title = "hvbench results", .comments = "written by hvbench analyze" };
	workbook_set_properties(x.wb, &props);
	summary(&x, m);
	statistics(&x, m);
	samples(&x, m);
	environments(&x, m);
	host_runs(&x, m);
	disturbed(&x, m);
	warnings(&x, m);
	lxw_error e = workbook_close(x.wb);
	rbuf_free(&x.scratch);
	if (e != LXW_NO_ERROR) {
		rlog("%s: cannot write the XLSX workbook: %s", path, lxw_strerror(e));
		return -1;
	}
	return x.err ? -1 : 0;
}
