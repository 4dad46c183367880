/*
 * fields.c - the field catalogue (fields.h) as tables and accessors.
 */
#include <math.h>
#include <stdio.h>
#include "fields.h"

#define ROW(name, type, fmt, value, present, doc) { #name, HVB_F_##type, HVB_FMT_##fmt, doc },
const hvb_field hvb_series_fields[] = { HVB_SERIES_FIELDS(ROW) };
const size_t hvb_nseries_fields = HVB_S_COUNT;
const hvb_field hvb_env_fields[] = { HVB_ENV_FIELDS(ROW) };
const size_t hvb_nenv_fields = HVB_E_COUNT;
const hvb_field hvb_score_fields[] = { HVB_SCORE_FIELDS(ROW) };
const size_t hvb_nscore_fields = HVB_C_COUNT;
const hvb_field hvb_warning_fields[] = { HVB_WARNING_FIELDS(ROW) };
const size_t hvb_nwarning_fields = HVB_W_COUNT;
const hvb_field hvb_hostrun_fields[] = { HVB_HOSTRUN_FIELDS(ROW) };
const size_t hvb_nhostrun_fields = HVB_H_COUNT;
const hvb_field hvb_groupscore_fields[] = { HVB_GROUPSCORE_FIELDS(ROW) };
const size_t hvb_ngroupscore_fields = HVB_G_COUNT;
const hvb_field hvb_benchcost_fields[] = { HVB_BENCHCOST_FIELDS(ROW) };
const size_t hvb_nbenchcost_fields = HVB_B_COUNT;
const hvb_field hvb_benchwall_fields[] = { HVB_BENCHWALL_FIELDS(ROW) };
const size_t hvb_nbenchwall_fields = HVB_L_COUNT;
const hvb_field hvb_disturbed_fields[] = { HVB_DISTURBED_FIELDS(ROW) };
const size_t hvb_ndisturbed_fields = HVB_D_COUNT;
const hvb_field hvb_runprobe_fields[] = { HVB_RUNPROBE_FIELDS(ROW) };
const size_t hvb_nrunprobe_fields = HVB_P_COUNT;
const hvb_field hvb_aa_fields[] = { HVB_AA_FIELDS(ROW) };
const size_t hvb_naa_fields = HVB_A_COUNT;
const hvb_field hvb_aascore_fields[] = { HVB_AASCORE_FIELDS(ROW) };
const size_t hvb_naascore_fields = HVB_Q_COUNT;
#undef ROW

/* The text summary's selections (HVB_*_TEXT). */
#define TCOL(P, name, num, width) { HVB_##P##_##name, HVB_##P##_##name, HVB_TL_ONE, HVB_TN_##num, width },
#define TCOL2(P, lay, name, name2, num, width) \
	{ HVB_##P##_##name, HVB_##P##_##name2, HVB_TL_##lay, HVB_TN_##num, width },
#define TCOL_S(...) TCOL(S, __VA_ARGS__)
#define TCOL2_S(...) TCOL2(S, __VA_ARGS__)
#define TCOL_C(...) TCOL(C, __VA_ARGS__)
#define TCOL2_C(...) TCOL2(C, __VA_ARGS__)
#define TCOL_G(...) TCOL(G, __VA_ARGS__)
#define TCOL2_G(...) TCOL2(G, __VA_ARGS__)
#define TCOL_E(...) TCOL(E, __VA_ARGS__)
#define TCOL2_E(...) TCOL2(E, __VA_ARGS__)
const hvb_tcol hvb_series_text[] = { HVB_SERIES_TEXT(TCOL_S, TCOL2_S) };
const size_t hvb_nseries_text = sizeof hvb_series_text / sizeof *hvb_series_text;
const hvb_tcol hvb_score_text[] = { HVB_SCORE_TEXT(TCOL_C, TCOL2_C) };
const size_t hvb_nscore_text = sizeof hvb_score_text / sizeof *hvb_score_text;
const hvb_tcol hvb_groupscore_text[] = { HVB_GROUPSCORE_TEXT(TCOL_G, TCOL2_G) };
const size_t hvb_ngroupscore_text = sizeof hvb_groupscore_text / sizeof *hvb_groupscore_text;
const hvb_tcol hvb_env_text[] = { HVB_ENV_TEXT(TCOL_E, TCOL2_E) };
const size_t hvb_nenv_text = sizeof hvb_env_text / sizeof *hvb_env_text;
#define TCOL_D(...) TCOL(D, __VA_ARGS__)
#define TCOL2_D(...) TCOL2(D, __VA_ARGS__)
const hvb_tcol hvb_disturbed_text[] = { HVB_DISTURBED_TEXT(TCOL_D, TCOL2_D) };
const size_t hvb_ndisturbed_text = sizeof hvb_disturbed_text / sizeof *hvb_disturbed_text;

const char *hvb_text_header(const hvb_field *table, const hvb_tcol *c, char *buf, size_t size)
{
	const char *a = table[c->field].name, *b = table[c->field2].name;
	if (c->layout == HVB_TL_RANGE)
		snprintf(buf, size, "[%s, %s]", a, b);
	else if (c->layout == HVB_TL_OF)
		snprintf(buf, size, "%s/%s", a, b);
	else
		snprintf(buf, size, "%s", a);
	return buf;
}

const char *hvb_series_baseline(const hvb_model *m, const hvb_series *s)
{
	size_t be = s->env_idx < m->nenvs ? m->envs[s->env_idx].base_idx : (size_t)-1;
	return be < m->nenvs ? m->envs[be].name : m->baseline;
}

/* The value as the type wants it: a string, or a number (NAN: absent). */
#define VAL_STR(x) (hvb_fval){ .s = (x), .v = NAN }
#define VAL_INT(x) (hvb_fval){ .v = (double)(x) }
#define VAL_NUM(x) (hvb_fval){ .v = (double)(x) }
#define VAL_BOOL(x) (hvb_fval){ .v = (x) ? 1.0 : 0.0 }

static hvb_fval finish(hvb_fval v, hvb_ftype t, int present)
{
	if (!present || (t != HVB_F_STR && !isfinite(v.v)) || (t == HVB_F_STR && !v.s))
		return (hvb_fval){ .s = NULL, .v = NAN, .absent = 1 };
	return v;
}

/* One accessor per table: a switch over its named indices (fields.h). */
#define CASE(P, name, type, fmt, value, present, doc) \
	case HVB_##P##_##name: return finish(VAL_##type(value), HVB_F_##type, (present));
#define CASE_S(...) CASE(S, __VA_ARGS__)
#define CASE_E(...) CASE(E, __VA_ARGS__)
#define CASE_C(...) CASE(C, __VA_ARGS__)
#define CASE_W(...) CASE(W, __VA_ARGS__)
#define CASE_H(...) CASE(H, __VA_ARGS__)
#define CASE_G(...) CASE(G, __VA_ARGS__)
#define CASE_B(...) CASE(B, __VA_ARGS__)
#define CASE_L(...) CASE(L, __VA_ARGS__)
#define CASE_D(...) CASE(D, __VA_ARGS__)
#define CASE_P(...) CASE(P, __VA_ARGS__)
#define CASE_A(...) CASE(A, __VA_ARGS__)
#define CASE_Q(...) CASE(Q, __VA_ARGS__)
#define ACCESSOR(fn, rec, TABLE, CASE_X) \
	hvb_fval fn(const hvb_model *m, const rec *s, size_t i) \
	{ \
		(void)m; \
		switch (i) { \
		TABLE(CASE_X) \
		} \
		return (hvb_fval){ .v = NAN, .absent = 1 }; \
	}

ACCESSOR(hvb_series_field, hvb_series, HVB_SERIES_FIELDS, CASE_S)
ACCESSOR(hvb_env_field, hvb_env, HVB_ENV_FIELDS, CASE_E)
ACCESSOR(hvb_score_field, hvb_score, HVB_SCORE_FIELDS, CASE_C)
ACCESSOR(hvb_warning_field, hvb_warning, HVB_WARNING_FIELDS, CASE_W)
ACCESSOR(hvb_hostrun_field, hvb_hostrun, HVB_HOSTRUN_FIELDS, CASE_H)
ACCESSOR(hvb_groupscore_field, hvb_group_score, HVB_GROUPSCORE_FIELDS, CASE_G)
ACCESSOR(hvb_benchcost_field, hvb_benchcost, HVB_BENCHCOST_FIELDS, CASE_B)
ACCESSOR(hvb_benchwall_field, hvb_bench_wall, HVB_BENCHWALL_FIELDS, CASE_L)
ACCESSOR(hvb_disturbed_field, hvb_disturbed, HVB_DISTURBED_FIELDS, CASE_D)
ACCESSOR(hvb_runprobe_field, hvb_runprobe, HVB_RUNPROBE_FIELDS, CASE_P)
ACCESSOR(hvb_aa_field, hvb_aa, HVB_AA_FIELDS, CASE_A)
ACCESSOR(hvb_aascore_field, hvb_aa_score, HVB_AASCORE_FIELDS, CASE_Q)

static const char *type_name(hvb_ftype t)
{
	return t == HVB_F_STR ? "text" : t == HVB_F_INT ? "integer" : t == HVB_F_NUM ? "number" : "boolean";
}

static void text_table(FILE *f, const char *title, const hvb_field *t, const hvb_tcol *c, size_t n)
{
	char h[128];
	fprintf(f, "- %s:", title);
	for (size_t i = 0; i < n; i++)
		fprintf(f, " `%s`%s", hvb_text_header(t, &c[i], h, sizeof h),
			c[i].num == HVB_TN_G6PCT ? " (as a percentage)" : "");
	fputc('\n', f);
}

static void table(FILE *f, const char *title, const hvb_field *t, size_t n)
{
	fprintf(f, "## %s\n\n| # | field | type | meaning |\n|---|---|---|---|\n", title);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "| %zu | `%s` | %s | %s |\n", i + 1, t[i].name, type_name(t[i].type), t[i].doc);
	fputc('\n', f);
}

void hvb_fields_markdown(FILE *f)
{
	fputs("# The results model's fields\n\n"
	      "Generated by `analyze --fields` from `model/fields.h`, the one table each\n"
	      "machine-readable output walks; do not edit by hand (`make check` compares).\n\n"
	      "- **Series**: the summary CSV's columns in this order, the XLSX Statistics\n"
	      "  sheet's columns, and the keys of each `metrics[].series[]` object of the JSON.\n"
	      "- **Environments**: the XLSX Environments sheet's columns and the keys of each\n"
	      "  `envs[]` object of the JSON.\n"
	      "- **Scores**: the keys of each `scores[]` object of the JSON (the XLSX Summary\n"
	      "  sheet lays scores out as a ranking for people).\n"
	      "- **Warnings**: the XLSX Warnings sheet's columns and the keys of `warnings[]`.\n"
	      "- **Host runs**: the keys of each `host_runs[]` object of the JSON (then its\n"
	      "  `benches[]`), and the first columns of the XLSX Host runs sheet (then the\n"
	      "  per-benchmark columns, `bench_...`).\n"
	      "- **Benchmarks of a host run**: the keys of `host_runs[].benches[]`.\n"
	      "- **Benchmark costs**: the keys of `bench_costs[]`.\n"
	      "- **Group scores**: the keys of `group_scores[]` (several machines only).\n"
	      "- **Disturbed**: the keys of `disturbed[]` and the XLSX Disturbed sheet's columns: the\n"
	      "  repetitions and runs the disturbance rule names (docs/analyzer.md, \"Disturbed repetitions and runs\").\n"
	      "- **Run probes**: the keys of `run_probes[]`: each run's capacity probe and canary.\n"
	      "- **A/A pairs**: the keys of `aa_pairs[]`: each pair's noise floor over the headline\n"
	      "  series (docs/analyzer.md, \"Noise floor\").\n"
	      "- **A/A scores**: the keys of `aa_scores[]`: each pair's score ratio per category.\n\n"
	      "An absent value is an empty CSV field, a JSON `null` and a blank cell. Booleans\n"
	      "are 0/1 in the CSV and true/false in JSON and XLSX. Text fields are labels from\n"
	      "the CSVs: each writer escapes them for its format. The text summary's tables\n"
	      "show a selection, under the same names (the last section).\n\n", f);
	table(f, "Series", hvb_series_fields, hvb_nseries_fields);
	table(f, "Environments", hvb_env_fields, hvb_nenv_fields);
	table(f, "Scores", hvb_score_fields, hvb_nscore_fields);
	table(f, "Warnings", hvb_warning_fields, hvb_nwarning_fields);
	table(f, "Host runs", hvb_hostrun_fields, hvb_nhostrun_fields);
	table(f, "Benchmarks of a host run", hvb_benchwall_fields, hvb_nbenchwall_fields);
	table(f, "Benchmark costs", hvb_benchcost_fields, hvb_nbenchcost_fields);
	table(f, "Group scores", hvb_groupscore_fields, hvb_ngroupscore_fields);
	table(f, "Disturbed", hvb_disturbed_fields, hvb_ndisturbed_fields);
	table(f, "Run probes", hvb_runprobe_fields, hvb_nrunprobe_fields);
	table(f, "A/A pairs", hvb_aa_fields, hvb_naa_fields);
	table(f, "A/A scores", hvb_aascore_fields, hvb_naascore_fields);
	fputs("## The text summary's columns\n\n"
	      "`analyze --text` shows a selection of some tables (`HVB_*_TEXT` in\n"
	      "`model/fields.h`), each column headed by the names above: `[a, b]` is an\n"
	      "interval of two fields, `a/b` a count of a total, a rank `1=` is `rank` with\n"
	      "`rank_tied`.\n\n", f);
	text_table(f, "Series (a table per metric)", hvb_series_fields, hvb_series_text, hvb_nseries_text);
	text_table(f, "Scores (`machine` with several machines only)", hvb_score_fields, hvb_score_text,
		   hvb_nscore_text);
	text_table(f, "Group scores", hvb_groupscore_fields, hvb_groupscore_text, hvb_ngroupscore_text);
	text_table(f, "Environments (host cost, with sidecars only)", hvb_env_fields, hvb_env_text,
		   hvb_nenv_text);
	text_table(f, "Disturbed (then what each covers and its file)", hvb_disturbed_fields,
		   hvb_disturbed_text, hvb_ndisturbed_text);
}
