/*
 * text.c - the plain-text renderer of the results model: one table per
 * metric (environments best first, with statistics, ratio to the baseline
 * and its CI), the category scores, the host cost, the warnings and the
 * rejected rows.  For a terminal or a mail; machines read --summary-csv or
 * --json instead.
 * The tables' columns are the field catalogue's text selections
 * (HVB_*_TEXT in model/fields.h): each header is the catalogue name, each
 * value comes through the catalogue's accessor; what is text.c's own is
 * the layout and the rules of a row (the baseline, "n=1: no CI", notes).
 * Strings from the CSVs may hold anything: control characters are shown as
 * '?' so a label cannot move the cursor or clear the screen.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "analyze.h"

/* A line being written: blanks are held back until something follows
 * them, so no line ends in spaces. */
typedef struct line {
	FILE *f;
	int pend;
} line;

static void emit(line *l, const char *s)
{
	for (; s && *s; s++) {
		if (*s == ' ') {
			l->pend++;
			continue;
		}
		for (; l->pend > 0; l->pend--)
			fputc(' ', l->f);
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, l->f);
	}
}

static void endl(line *l)
{
	fputc('\n', l->f);
	l->pend = 0;
}

/* s in a cell of width, left- or right-aligned (labels count a byte a
 * character, as before). */
static void cell(line *l, const char *s, int width, int left)
{
	int n = (int)strlen(s ? s : "");
	if (!left && n < width)
		l->pend += width - n;
	emit(l, s);
	if (left && n < width)
		l->pend += width - n;
}

static void put(FILE *f, const char *s)
{
	line l = { f, 0 };
	emit(&l, s);
	for (; l.pend > 0; l.pend--)
		fputc(' ', f);
}

/* ---- a table of catalogue records ---- */

typedef hvb_fval (*getter)(const hvb_model *m, const void *rec, size_t i);

static hvb_fval get_series(const hvb_model *m, const void *r, size_t i) { return hvb_series_field(m, r, i); }
static hvb_fval get_score(const hvb_model *m, const void *r, size_t i) { return hvb_score_field(m, r, i); }
static hvb_fval get_group(const hvb_model *m, const void *r, size_t i) { return hvb_groupscore_field(m, r, i); }
static hvb_fval get_env(const hvb_model *m, const void *r, size_t i) { return hvb_env_field(m, r, i); }
static hvb_fval get_disturbed(const hvb_model *m, const void *r, size_t i) { return hvb_disturbed_field(m, r, i); }

typedef struct table {
	const hvb_field *fields;
	const hvb_tcol *cols;
	size_t ncols;
	getter get;
	unsigned hide;               /* bit i: column i not shown */
} table;

#define MAXCOLS 32   /* a table's columns: the bits of hide, over[] in row() */

static table mk(const hvb_field *fields, const hvb_tcol *cols, size_t n, getter get)
{
	return (table){ fields, cols, n < MAXCOLS ? n : MAXCOLS, get, 0 };
}

static int left_aligned(const hvb_tcol *c)
{
	return c->layout == HVB_TL_TIED || (c->layout == HVB_TL_ONE && c->num == HVB_TN_TEXT);
}

static int col_width(const table *t, size_t i)
{
	const hvb_tcol *c = &t->cols[i];
	char h[128];
	int w = c->layout == HVB_TL_RANGE ? 2 * c->width + 4 : c->width;
	int hw = (int)strlen(hvb_text_header(t->fields, c, h, sizeof h));
	return hw > w ? hw : w;
}

static void number(char *b, size_t n, hvb_tnum num, hvb_fval v)
{
	if (v.absent)
		snprintf(b, n, "n/a");
	else if (num == HVB_TN_G6)
		snprintf(b, n, "%.6g", v.v);
	else if (num == HVB_TN_G6PCT)
		snprintf(b, n, "%.6g%%", v.v * 100);
	else if (num == HVB_TN_G4)
		snprintf(b, n, "%.4g", v.v);
	else if (num == HVB_TN_F4)
		snprintf(b, n, "%.4f", v.v);
	else if (num == HVB_TN_PCT1)
		snprintf(b, n, "%+.1f%%", v.v);
	else if (num == HVB_TN_PCT2)
		snprintf(b, n, "%+.2f%%", v.v);
	else
		snprintf(b, n, "%.0f", v.v);
}

static void header(line *l, const table *t)
{
	char h[128];
	emit(l, "  ");
	for (size_t i = 0, first = 1; i < t->ncols; i++) {
		if (t->hide & 1u << i)
			continue;
		if (!first)
			l->pend++;
		first = 0;
		cell(l, hvb_text_header(t->fields, &t->cols[i], h, sizeof h), col_width(t, i),
		     left_aligned(&t->cols[i]));
	}
}

/* One record; over[i], when not NULL, is shown in column i instead. */
static void row(line *l, const hvb_model *m, const table *t, const void *rec, const char *const *over)
{
	emit(l, "  ");
	for (size_t i = 0, first = 1; i < t->ncols; i++) {
		const hvb_tcol *c = &t->cols[i];
		int w = col_width(t, i);
		char b[840], x[400], y[400];   /* %.4f of 1e300 is 305 characters */
		if (t->hide & 1u << i)
			continue;
		if (!first)
			l->pend++;
		first = 0;
		if (over && over[i]) {
			cell(l, over[i], w, left_aligned(c));
			continue;
		}
		hvb_fval a = t->get(m, rec, c->field), z = t->get(m, rec, c->field2);
		switch (c->layout) {
		case HVB_TL_ONE:
			if (c->num == HVB_TN_TEXT) {
				cell(l, a.absent ? "?" : a.s, w, 1);
				continue;
			}
			number(b, sizeof b, c->num, a);
			break;
		case HVB_TL_TIED:
			if (a.absent)
				snprintf(b, sizeof b, "n/a");
			else if (a.v == 0)
				snprintf(b, sizeof b, "-");
			else
				snprintf(b, sizeof b, "%.0f%s", a.v, !z.absent && z.v ? "=" : "");
			break;
		case HVB_TL_RANGE:
			if (a.absent || z.absent) {
				snprintf(b, sizeof b, "n/a");
				break;
			}
			number(x, sizeof x, c->num, a);
			number(y, sizeof y, c->num, z);
			int cw = c->width < 0 ? 0 : c->width > 24 ? 24 : c->width;
			snprintf(b, sizeof b, "[%*s, %*s]", cw, x, cw, y);
			break;
		case HVB_TL_OF:
			number(x, sizeof x, c->num, a);
			number(y, sizeof y, c->num, z);
			snprintf(b, sizeof b, "%s/%s", x, y);
			break;
		}
		cell(l, b, w, left_aligned(c));
	}
	l->pend = 0;   /* a note after the row follows its last value */
}

/* ---- the series of a metric ---- */

/* The columns that compare a series with its baseline: blank in a row that
 * is not compared, the first of them says why. */
static int comparison(size_t field)
{
	switch (field) {
	case HVB_S_ratio: case HVB_S_ratio_lo: case HVB_S_ratio_hi: case HVB_S_overhead_pct:
	case HVB_S_p_welch: case HVB_S_p_mw: case HVB_S_no_ci: case HVB_S_paired_rounds:
	case HVB_S_paired_plan: case HVB_S_p_paired: case HVB_S_unpaired_ratio:
	case HVB_S_unpaired_ratio_lo: case HVB_S_unpaired_ratio_hi: case HVB_S_paired_plans:
		return 1;
	}
	return 0;
}

static int paired_only(size_t field)
{
	return field == HVB_S_paired_rounds || field == HVB_S_paired_plan || field == HVB_S_p_paired ||
	       field == HVB_S_unpaired_ratio || field == HVB_S_unpaired_ratio_lo ||
	       field == HVB_S_unpaired_ratio_hi || field == HVB_S_paired_plans;
}

static void series_row(line *l, const hvb_model *m, const table *t, const hvb_series *s)
{
	const char *over[MAXCOLS] = { 0 };
	hvb_fval env = hvb_series_field(m, s, HVB_S_env);
	int compared = hvb_series_field(m, s, HVB_S_compared).v != 0;
	int no_ci = hvb_series_field(m, s, HVB_S_no_ci).v != 0;
	int paired = hvb_series_field(m, s, HVB_S_paired_rounds).v > 0;
	int said = 0;
	for (size_t i = 0; i < t->ncols; i++) {
		const hvb_tcol *c = &t->cols[i];
		if (!comparison(c->field))
			continue;
		if (!compared)
			over[i] = said++ ? "" : env.s == m->baseline ? "baseline" : "n/a";
		else if (c->field == HVB_S_ratio_lo && no_ci)
			over[i] = "n=1: no CI";
		else if (c->field == HVB_S_ratio_lo && hvb_series_field(m, s, HVB_S_ratio_lo).absent)
			over[i] = "unbounded";
		else if (paired_only(c->field) && !paired)
			over[i] = "";
	}
	row(l, m, t, s, over);
	double no = hvb_series_field(m, s, HVB_S_n_outliers).v;
	if (no > 0) {
		char b[96];
		snprintf(b, sizeof b, "  (%.0f outlier%s%s)", no, no > 1 ? "s" : "",
			 m->dropped_outliers ? " dropped" : " kept");
		emit(l, b);
	}
	/* why measuring stopped, when it was not the fixed --reps (stops.c) */
	hvb_fval why = hvb_series_field(m, s, HVB_S_stop_reason);
	if (!why.absent && why.s && strncmp(why.s, "reps x", 6) != 0) {
		emit(l, "  (stopped: ");
		emit(l, why.s);
		emit(l, ")");
	}
	endl(l);
}

static void print_group(const hvb_model *m, const hvb_metric_group *g, FILE *f)
{
	table t = mk(hvb_series_fields, hvb_series_text, hvb_nseries_text, get_series);
	line l = { f, 0 };
	put(f, g->bench);
	fputs("  ", f);
	put(f, g->metric);
	if (*g->params) {
		fputs("  ", f);
		put(f, g->params);
	}
	fputs("  [", f);
	put(f, g->unit);
	fprintf(f, ", %s is better, %s]\n", g->better > 0 ? "higher" : "lower", g->category);
	header(&l, &t);
	endl(&l);
	for (size_t i = 0; i < g->n; i++)
		series_row(&l, m, &t, &m->series[g->series[i]]);
	fputc('\n', f);
}

/* ---- scores ---- */

/* The A/A pairs' noise floor (aa.c): per pair over its headline series,
 * then its score ratio per category; names and values are the
 * catalogue's (hvb_aa_field, hvb_aascore_field). */
static void print_aa(const hvb_model *m, FILE *f)
{
	static const size_t pct[] = { HVB_A_abs_dev_median, HVB_A_abs_dev_p95, HVB_A_abs_dev_max,
				      HVB_A_ci_half_median };
	const hvb_field *A = hvb_aa_fields, *Q = hvb_aascore_fields;
	for (size_t i = 0; i < m->naa; i++) {
		const hvb_aa *p = &m->aa[i];
		fputs("  noise floor (A/A pair ", f);
		put(f, hvb_aa_field(m, p, HVB_A_a).s);
		fputc('=', f);
		put(f, hvb_aa_field(m, p, HVB_A_b).s);
		fputs(", ", f);
		put(f, hvb_aa_field(m, p, HVB_A_source).s);
		fprintf(f, "): %s %.0f of %s %.0f (%s %.1f%%);", A[HVB_A_false_positives].name,
			hvb_aa_field(m, p, HVB_A_false_positives).v, A[HVB_A_headline_series].name,
			hvb_aa_field(m, p, HVB_A_headline_series).v, A[HVB_A_false_positive_rate].name,
			100 * hvb_aa_field(m, p, HVB_A_false_positive_rate).v);
		for (size_t k = 0; k < sizeof pct / sizeof *pct; k++)
			fprintf(f, " %s %.2f%%", A[pct[k]].name, 100 * hvb_aa_field(m, p, pct[k]).v);
		fputc('\n', f);
		for (size_t k = 0; k < m->naa_scores; k++) {
			const hvb_aa_score *q = &m->aa_scores[k];
			if (q->aa != i)
				continue;
			fputs("    ", f);
			put(f, hvb_aascore_field(m, q, HVB_Q_category).s);
			fprintf(f, " %s %.4f [%.4f, %.4f] %s %.2f%%\n", Q[HVB_Q_ratio].name,
				hvb_aascore_field(m, q, HVB_Q_ratio).v, hvb_aascore_field(m, q, HVB_Q_lo).v,
				hvb_aascore_field(m, q, HVB_Q_hi).v, Q[HVB_Q_floor].name,
				100 * hvb_aascore_field(m, q, HVB_Q_floor).v);
		}
	}
	if (m->naa)
		fputs("  a score within its category's floor is a tie with the baseline, and two scores "
		      "within it of each other share a rank\n", f);
}

static void print_scores(const hvb_model *m, FILE *f)
{
	table t = mk(hvb_score_fields, hvb_score_text, hvb_nscore_text, get_score);
	line l = { f, 0 };
	for (size_t i = 0; i < t.ncols; i++)
		if (t.cols[i].field == HVB_C_machine && m->scoring.nmachines <= 1)
			t.hide |= 1u << i;
	fprintf(f, "scores: %s, the weighted geometric mean of the headline metrics' ratios to the baseline "
		"of their machine (> 1 is better; '=' shares a rank; '-' incomplete: not ranked)\n",
		hvb_score_fields[HVB_C_geomean].name);
	header(&l, &t);
	endl(&l);
	for (size_t i = 0; i < m->nscores; i++) {
		row(&l, m, &t, &m->scores[i], NULL);
		if (!hvb_score_field(m, &m->scores[i], HVB_C_complete).v)
			emit(&l, " incomplete");
		else if (m->scores[i].few_rounds)
			emit(&l, " too few rounds: no CI, not ranked");
		if (hvb_score_field(m, &m->scores[i], HVB_C_within_floor).v)
			emit(&l, " within the noise floor: a tie");
		endl(&l);
	}
	print_aa(m, f);
	if (m->ngroup_scores) {
		table g = mk(hvb_groupscore_fields, hvb_groupscore_text, hvb_ngroupscore_text, get_group);
		fputs("  pooled across machines (geometric mean of each hypervisor's scores):\n", f);
		header(&l, &g);
		endl(&l);
		for (size_t i = 0; i < m->ngroup_scores; i++) {
			row(&l, m, &g, &m->group_scores[i], NULL);
			endl(&l);
		}
	}
	fputs("how the score is made:\n", f);
	for (size_t i = 0; i < m->scoring.nnotes; i++) {
		fputs("  - ", f);
		put(f, m->scoring.notes[i]);
		fputc('\n', f);
	}
	size_t nu = 0;
	for (size_t i = 0; i < m->ngroups; i++)
		if (m->groups[i].role == HVB_UNSCORED) {
			fputs(nu++ ? ", " : "  - not scored (no profile line names them): ", f);
			put(f, m->groups[i].bench);
			fputc(' ', f);
			put(f, m->groups[i].metric);
			if (*m->groups[i].params) {
				fputc(' ', f);
				put(f, m->groups[i].params);
			}
		}
	if (nu)
		fputc('\n', f);
	fputc('\n', f);
}

/* ---- host cost ---- */

/* "name: doc" of each column after the first (the catalogue's words). */
static void legend(FILE *f, const table *t)
{
	for (size_t i = 1; i < t->ncols; i++)
		fprintf(f, "  %s: %s\n", t->fields[t->cols[i].field].name, t->fields[t->cols[i].field].doc);
}

static void print_host_cost(const hvb_model *m, FILE *f)
{
	table t = mk(hvb_env_fields, hvb_env_text, hvb_nenv_text, get_env);
	line l = { f, 0 };
	fputs("host cost: the collecting host during each run (collect's .host.tsv and .meta; "
	      "per run, mean over runs)\n", f);
	header(&l, &t);
	endl(&l);
	for (size_t i = 0; i < m->nenvs; i++)
		if (hvb_env_field(m, &m->envs[i], HVB_E_host_runs).v > 0) {
			row(&l, m, &t, &m->envs[i], NULL);
			endl(&l);
		}
	legend(f, &t);
	fputc('\n', f);
}

/* busy_mean_pct of each (benchmark, environment): a benchmark a row. */
static void print_bench_costs(const hvb_model *m, FILE *f)
{
	const hvb_field *F = hvb_benchcost_fields;
	line l = { f, 0 };
	fprintf(f, "%s by %s and %s: %s during each benchmark (mean over runs):\n", F[HVB_B_busy_mean_pct].name,
		F[HVB_B_bench].name, F[HVB_B_env].name, F[HVB_B_busy_mean_pct].doc);
	emit(&l, "  ");
	cell(&l, F[HVB_B_bench].name, 16, 1);
	for (size_t e = 0; e < m->nenvs; e++) {
		l.pend++;
		cell(&l, hvb_env_field(m, &m->envs[e], HVB_E_env).s, 12, 1);
	}
	endl(&l);
	for (size_t i = 0; i < m->nbenchcosts;) {
		const char *bench = hvb_benchcost_field(m, &m->benchcosts[i], HVB_B_bench).s;
		size_t end = i;
		while (end < m->nbenchcosts && strcmp(hvb_benchcost_field(m, &m->benchcosts[end], HVB_B_bench).s, bench) == 0)
			end++;
		emit(&l, "  ");
		cell(&l, bench, 16, 1);
		for (size_t e = 0; e < m->nenvs; e++) {
			hvb_fval v = { .v = NAN, .absent = 1 };
			char b[400];
			for (size_t k = i; k < end; k++)
				if (m->benchcosts[k].env_idx == e)
					v = hvb_benchcost_field(m, &m->benchcosts[k], HVB_B_busy_mean_pct);
			number(b, sizeof b, HVB_TN_G6, v);
			l.pend++;
			cell(&l, b, 12, 0);
		}
		endl(&l);
		i = end;
	}
	fputc('\n', f);
}

/* ---- disturbed repetitions and runs (disturb.c) ---- */

#define DISTURBED_SHOWN 60   /* then a count: --list-disturbed lists them all */

static void print_disturbed(const hvb_model *m, FILE *f)
{
	const hvb_field *D = hvb_disturbed_fields;
	table t = mk(D, hvb_disturbed_text, hvb_ndisturbed_text, get_disturbed);
	line l = { f, 0 };
	size_t left = 0;
	for (size_t i = 0; i < m->ndisturbed; i++)
		left += !hvb_disturbed_field(m, &m->disturbed[i], HVB_D_kept).v;
	fprintf(f, "disturbed repetitions and runs (%zu; %zu left out of the statistics and scores%s; "
		"docs/analyzer.md, \"Disturbed repetitions and runs\"):\n", m->ndisturbed, left,
		left < m->ndisturbed ? ", the others kept by --keep-disturbed" : "");
	header(&l, &t);
	endl(&l);
	for (size_t i = 0; i < m->ndisturbed && i < DISTURBED_SHOWN; i++) {
		const hvb_disturbed *d = &m->disturbed[i];
		row(&l, m, &t, d, NULL);
		hvb_fval scope = hvb_disturbed_field(m, d, HVB_D_scope);
		emit(&l, "  ");
		if (scope.s && strcmp(scope.s, "rep") == 0) {
			emit(&l, hvb_disturbed_field(m, d, HVB_D_bench).s);
			emit(&l, " ");
			emit(&l, hvb_disturbed_field(m, d, HVB_D_params).s);
			char b[64];
			snprintf(b, sizeof b, " %s %.0f", D[HVB_D_rep].name, hvb_disturbed_field(m, d, HVB_D_rep).v);
			emit(&l, b);
		} else if (scope.s && strcmp(scope.s, "category") == 0) {
			emit(&l, hvb_disturbed_field(m, d, HVB_D_category).s);
			char b[64];
			snprintf(b, sizeof b, " (%.0f headline series)",
				 hvb_disturbed_field(m, d, HVB_D_judged_series).v);
			emit(&l, b);
		} else {
			emit(&l, "the whole run");
		}
		emit(&l, ": ");
		emit(&l, hvb_disturbed_field(m, d, HVB_D_run).s);
		emit(&l, " in ");
		emit(&l, hvb_disturbed_field(m, d, HVB_D_file).s);
		endl(&l);
	}
	if (m->ndisturbed > DISTURBED_SHOWN)
		fprintf(f, "  ... and %zu more (analyze --list-disturbed lists them all)\n",
			m->ndisturbed - DISTURBED_SHOWN);
	fputc('\n', f);
}

/* ---- warnings ---- */

static void print_warnings(const hvb_model *m, FILE *f)
{
	line l = { f, 0 };
	fprintf(f, "warnings (%zu):\n", m->nwarnings);
	for (size_t i = 0; i < m->nwarnings; i++) {
		const hvb_warning *w = &m->warnings[i];
		emit(&l, "  [");
		emit(&l, hvb_warning_field(m, w, HVB_W_kind).s);
		emit(&l, "] ");
		emit(&l, hvb_warning_field(m, w, HVB_W_message).s);
		endl(&l);
		emit(&l, "      ");
		emit(&l, hvb_warning_fields[HVB_W_evidence].name);
		emit(&l, ": ");
		emit(&l, hvb_warning_field(m, w, HVB_W_evidence).s);
		endl(&l);
	}
	fputc('\n', f);
}

void model_print_text(const hvb_model *m, FILE *f)
{
	const hvb_field *S = hvb_series_fields, *E = hvb_env_fields;
	size_t rows = 0;
	for (size_t i = 0; i < m->nfiles; i++)
		rows += m->files[i].rows;
	fprintf(f, "hvbench analysis (generated %s)\n", m->generated ? m->generated : "-");
	fprintf(f, "input: %zu file%s, %zu rows read, %zu rejected\n", m->nfiles,
		m->nfiles == 1 ? "" : "s", rows, m->nbad);
	fputs("environments:", f);
	for (size_t i = 0; i < m->nenvs; i++) {
		const hvb_env *e = &m->envs[i];
		hvb_fval virt = hvb_env_field(m, e, HVB_E_virt), ctr = hvb_env_field(m, e, HVB_E_container);
		fputs(i ? ", " : " ", f);
		put(f, hvb_env_field(m, e, HVB_E_env).s);
		fprintf(f, " (%s ", E[HVB_E_virt].name);
		put(f, virt.absent ? "?" : virt.s);
		fprintf(f, ", %s ", E[HVB_E_container].name);
		put(f, ctr.absent ? "?" : ctr.s);
		fputc(')', f);
	}
	fputc('\n', f);
	if (m->baseline) {
		fputs("baseline: ", f);
		put(f, m->baseline);
		fprintf(f, " (%s); %s > 1 is better than the baseline, %s is its cost\n",
			m->baseline_why, S[HVB_S_ratio].name, S[HVB_S_overhead_pct].name);
	} else {
		fprintf(f, "baseline: none (%s)\n", m->baseline_why ? m->baseline_why : "");
	}
	for (size_t i = 0; i < m->nseries; i++)
		if (hvb_series_field(m, &m->series[i], HVB_S_paired_rounds).v > 0) {   /* paired.c */
			fprintf(f, "paired: %s, [%s, %s] from the per-round ratios of medians of a collect/plan "
				"campaign, on %s rounds (%s beside: the ratio without pairing)\n",
				S[HVB_S_ratio].name, S[HVB_S_ratio_lo].name, S[HVB_S_ratio_hi].name,
				S[HVB_S_paired_rounds].name, S[HVB_S_unpaired_ratio].name);
			break;
		}
	fputs("rank: 1 + the environments whose interval (ratio_lo..ratio_hi, else the mean's CI) lies "
	      "wholly above; '=' marks a rank another environment shares; no test decides a rank\n", f);
	fputs("columns: the field catalogue's names (analyze --fields; docs/fields.md)\n\n", f);
	for (size_t i = 0; i < m->ngroups; i++)
		print_group(m, &m->groups[i], f);
	if (m->nscores)
		print_scores(m, f);
	int any_host = 0;
	for (size_t i = 0; i < m->nenvs; i++)
		any_host |= hvb_env_field(m, &m->envs[i], HVB_E_host_runs).v > 0;
	if (any_host)
		print_host_cost(m, f);
	if (m->nbenchcosts)
		print_bench_costs(m, f);
	if (m->ndisturbed)
		print_disturbed(m, f);
	if (m->nwarnings)
		print_warnings(m, f);
	if (m->nbad) {
		fprintf(f, "rejected rows and files (%zu):\n", m->nbad);
		for (size_t i = 0; i < m->nbad; i++) {
			fputs("  ", f);
			put(f, m->bad[i].message);
			fputc('\n', f);
		}
	}
}
