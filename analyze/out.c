/*
 * out.c - the machine-readable renderers of the results model:
 * --summary-csv (one row per series, every statistic, ratio, CI, p, rank)
 * and --json (the whole model except the raw samples).
 *
 * One CSV escaping function and one JSON string function, used for every
 * string: labels come from untrusted CSVs.  Numbers are %.17g so they read
 * back exactly; an absent number (NAN) is an empty CSV field / JSON null,
 * never "nan".  Invalid UTF-8 becomes U+FFFD in JSON, which must be UTF-8.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyze.h"

void az_csv_field(FILE *f, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* A text field of a CSV meant for people and spreadsheets (the summary):
 * one that starts with = + - @, a tab or a CR would be a formula when a
 * spreadsheet opens the file, so it gets a leading ' (OWASP's CSV
 * injection advice), then the usual quoting.  Numbers are written apart
 * (csv_num) and never touched; hvb1 data files keep their labels verbatim. */
void az_csv_text(FILE *f, const char *s)
{
	if (s && *s && strchr("=+-@\t\r", *s)) {
		char *t = xasprintf("'%s", s);
		az_csv_field(f, t);
		free(t);
		return;
	}
	az_csv_field(f, s);
}

static void csv_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.17g", v);
}

/* Length of a valid UTF-8 sequence at s, 0 if invalid. */
static int utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	int n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
	if (s[0] >= 0xf5)
		n = 0;
	for (int i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (n == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0)))
		return 0;   /* overlong, surrogate */
	if (n == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90)))
		return 0;
	return n;
}

void az_json_string(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		if (*p == '"' || *p == '\\') {
			fputc('\\', f);
			fputc(*p++, f);
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\u%04x", *p++);
		} else {
			int n = utf8_len(p);
			if (!n) {
				fputs("\\ufffd", f);
				p++;
			} else {
				fwrite(p, 1, (size_t)n, f);
				p += n;
			}
		}
	}
	fputc('"', f);
}

static void json_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.17g", v);
	else
		fputs("null", f);
}

/* A catalogue field (model/fields.h) as a CSV field: text through
 * az_csv_text, booleans 0/1, integers as integers, numbers %.17g. */
static void csv_fval(FILE *f, const hvb_field *d, hvb_fval v)
{
	if (v.absent)
		return;
	if (d->type == HVB_F_STR)
		az_csv_text(f, v.s);
	else if (d->type == HVB_F_BOOL)
		fputc(v.v ? '1' : '0', f);
	else if (d->type == HVB_F_INT)
		fprintf(f, "%lld", (long long)v.v);
	else
		csv_num(f, v.v);
}

/* ... and as a JSON value (absent: null). */
static void json_fval(FILE *f, const hvb_field *d, hvb_fval v)
{
	if (v.absent)
		fputs("null", f);
	else if (d->type == HVB_F_STR)
		az_json_string(f, v.s);
	else if (d->type == HVB_F_BOOL)
		fputs(v.v ? "true" : "false", f);
	else if (d->type == HVB_F_INT)
		fprintf(f, "%lld", (long long)v.v);
	else
		json_num(f, v.v);
}

/* The fields of one catalogue table as JSON keys and values, comma-separated
 * (the caller writes the braces).  GET is the table's accessor. */
#define JSON_FIELDS(f, tab, n, get, m, rec) do { \
		for (size_t fi_ = 0; fi_ < (n); fi_++) { \
			if (fi_) \
				fputc(',', f); \
			fprintf(f, "\"%s\":", (tab)[fi_].name); \
			json_fval(f, &(tab)[fi_], get(m, rec, fi_)); \
		} \
	} while (0)

/* A JSON array of records, one object per record with a table's fields:
 * "KEY":[{...},{...}] (the caller's KEY() writes the key). */
#define JSON_TABLE(f, arr, count, tab, n, get, m) do { \
		fputc('[', f); \
		for (size_t ri_ = 0; ri_ < (count); ri_++) { \
			fputs(ri_ ? ",{" : "{", f); \
			JSON_FIELDS(f, tab, n, get, m, &(arr)[ri_]); \
			fputc('}', f); \
		} \
		fputc(']', f); \
	} while (0)

/* The summary CSV: the series table of the catalogue, header and rows. */
int az_write_summary_csv(const hvb_model *m, FILE *f)
{
	for (size_t i = 0; i < hvb_nseries_fields; i++) {
		if (i)
			fputc(',', f);
		fputs(hvb_series_fields[i].name, f);
	}
	fputc('\n', f);
	for (size_t gi = 0; gi < m->ngroups; gi++) {
		const hvb_metric_group *g = &m->groups[gi];
		for (size_t k = 0; k < g->n; k++) {
			const hvb_series *s = &m->series[g->series[k]];
			for (size_t i = 0; i < hvb_nseries_fields; i++) {
				if (i)
					fputc(',', f);
				csv_fval(f, &hvb_series_fields[i], hvb_series_field(m, s, i));
			}
			fputc('\n', f);
		}
	}
	return ferror(f) ? -1 : 0;
}

/* JSON helpers: key then value, with a comma before every key but the first. */
#define KEY(k) do { if (first) first = 0; else fputc(',', f); fputs("\"" k "\":", f); } while (0)

int az_write_json(const hvb_model *m, FILE *f)
{
	int first = 1;
	fputc('{', f);
	KEY("format"); az_json_string(f, "hvbench-analysis-2");
	KEY("generated"); az_json_string(f, m->generated);
	KEY("baseline"); az_json_string(f, m->baseline);
	KEY("baseline_why"); az_json_string(f, m->baseline_why);
	KEY("dropped_outliers"); fputs(m->dropped_outliers ? "true" : "false", f);
	KEY("kept_disturbed"); fputs(m->kept_disturbed ? "true" : "false", f);
	KEY("files"); fputc('[', f);
	for (size_t i = 0; i < m->nfiles; i++) {
		const hvb_file *x = &m->files[i];
		fprintf(f, "%s{\"path\":", i ? "," : "");
		az_json_string(f, x->path);
		fprintf(f, ",\"sha256\":\"%s\",\"rows\":%zu,\"bad\":%zu}", x->sha256, x->rows, x->bad);
	}
	fputc(']', f);
	KEY("envs"); JSON_TABLE(f, m->envs, m->nenvs, hvb_env_fields, hvb_nenv_fields, hvb_env_field, m);
	KEY("metrics"); fputc('[', f);
	for (size_t gi = 0; gi < m->ngroups; gi++) {
		const hvb_metric_group *g = &m->groups[gi];
		int first = 1;
		fputs(gi ? ",{" : "{", f);
		KEY("bench"); az_json_string(f, g->bench);
		KEY("params"); az_json_string(f, g->params);
		KEY("metric"); az_json_string(f, g->metric);
		KEY("unit"); az_json_string(f, g->unit);
		KEY("better"); az_json_string(f, g->better > 0 ? "higher" : "lower");
		KEY("category"); az_json_string(f, g->category);
		KEY("role"); az_json_string(f, g->role == HVB_HEADLINE ? "headline"
					   : g->role == HVB_DIAGNOSTIC ? "diagnostic" : "not scored");
		KEY("weight"); json_num(f, g->role == HVB_HEADLINE ? g->weight : NAN);
		KEY("profile_line"); fprintf(f, "%d", g->profile_line);
		KEY("series"); fputc('[', f);
		for (size_t k = 0; k < g->n; k++) {
			const hvb_series *s = &m->series[g->series[k]];
			fputs(k ? ",{" : "{", f);
			JSON_FIELDS(f, hvb_series_fields, hvb_nseries_fields, hvb_series_field, m, s);
			fputc('}', f);
		}
		fputs("]}", f);
	}
	fputc(']', f);
	KEY("scores"); JSON_TABLE(f, m->scores, m->nscores, hvb_score_fields, hvb_nscore_fields, hvb_score_field, m);
	KEY("group_scores"); JSON_TABLE(f, m->group_scores, m->ngroup_scores, hvb_groupscore_fields, hvb_ngroupscore_fields, hvb_groupscore_field, m);
	{
		const hvb_scoring *sc = &m->scoring;
		int first = 1;
		fputs(",\"scoring\":{", f);
		KEY("profile"); az_json_string(f, sc->profile);
		KEY("resamples"); fprintf(f, "%zu", sc->resamples);
		KEY("seed"); fprintf(f, "%lu", sc->seed);
		/* The CI's small-sample expansion and the units it was taken at
		 * (the fewest top-level units of any scored stream): what "how the
		 * score is made" states, for tools (analyze/bench-aa.sh). */
		KEY("boot_min_units"); fprintf(f, "%zu", sc->boot_min_units);
		KEY("boot_expand"); json_num(f, az_boot_expand(sc->boot_min_units));
		KEY("machines"); fprintf(f, "%zu", sc->nmachines);
		KEY("categories"); fputc('[', f);
		for (size_t i = 0; i < sc->ncategories; i++) {
			fputs(i ? ",{\"name\":" : "{\"name\":", f);
			az_json_string(f, sc->categories[i]);
			fputs(",\"weight\":", f);
			json_num(f, sc->cat_weights[i]);
			fputc('}', f);
		}
		fputc(']', f);
		KEY("notes"); fputc('[', f);
		for (size_t i = 0; i < sc->nnotes; i++) {
			if (i)
				fputc(',', f);
			az_json_string(f, sc->notes[i]);
		}
		fputc(']', f);
		fputc('}', f);
	}
	KEY("host_runs"); fputc('[', f);
	for (size_t i = 0; i < m->nhostruns; i++) {
		const hvb_hostrun *h = &m->hostruns[i];
		int first = 0;   /* the fields come first */
		fputs(i ? ",{" : "{", f);
		JSON_FIELDS(f, hvb_hostrun_fields, hvb_nhostrun_fields, hvb_hostrun_field, m, h);
		KEY("benches");
		JSON_TABLE(f, h->walls, h->nwalls, hvb_benchwall_fields, hvb_nbenchwall_fields, hvb_benchwall_field, m);
		fputc('}', f);
	}
	fputc(']', f);
	KEY("bench_costs"); JSON_TABLE(f, m->benchcosts, m->nbenchcosts, hvb_benchcost_fields, hvb_nbenchcost_fields, hvb_benchcost_field, m);
	KEY("warnings"); JSON_TABLE(f, m->warnings, m->nwarnings, hvb_warning_fields, hvb_nwarning_fields, hvb_warning_field, m);
	KEY("disturbed"); JSON_TABLE(f, m->disturbed, m->ndisturbed, hvb_disturbed_fields, hvb_ndisturbed_fields, hvb_disturbed_field, m);
	KEY("run_probes"); JSON_TABLE(f, m->runprobes, m->nrunprobes, hvb_runprobe_fields, hvb_nrunprobe_fields, hvb_runprobe_field, m);
	KEY("aa_pairs"); JSON_TABLE(f, m->aa, m->naa, hvb_aa_fields, hvb_naa_fields, hvb_aa_field, m);
	KEY("aa_scores"); JSON_TABLE(f, m->aa_scores, m->naa_scores, hvb_aascore_fields, hvb_naascore_fields, hvb_aascore_field, m);
	KEY("rejected"); fputc('[', f);
	for (size_t i = 0; i < m->nbad; i++) {
		const hvb_bad *b = &m->bad[i];
		fputs(i ? ",{\"file\":" : "{\"file\":", f);
		az_json_string(f, b->file);
		fprintf(f, ",\"line\":%ld,\"message\":", b->line);
		az_json_string(f, b->message);
		fputc('}', f);
	}
	fputs("]}\n", f);
	return ferror(f) ? -1 : 0;
}
