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
		char *t = az_xasprintf("'%s", s);
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

static const char summary_header[] =
	"env,bench,params,metric,unit,better,category,n,n_samples,n_outliers,mean,sd,cv,"
	"median,mad,min,max,p5,p95,ci_lo,ci_hi,baseline,ratio,ratio_lo,ratio_hi,"
	"overhead_pct,p_welch,p_mw,no_ci,rank,rank_tied,"
	"paired_rounds,paired_plan,p_paired,unpaired_ratio,unpaired_ratio_lo,unpaired_ratio_hi\n";

int az_write_summary_csv(const hvb_model *m, FILE *f)
{
	fputs(summary_header, f);
	for (size_t gi = 0; gi < m->ngroups; gi++) {
		const hvb_metric_group *g = &m->groups[gi];
		for (size_t k = 0; k < g->n; k++) {
			const hvb_series *s = &m->series[g->series[k]];
			const hvb_stats *t = &s->st;
			const hvb_cmp *c = &s->cmp;
			az_csv_text(f, s->env); fputc(',', f);
			az_csv_text(f, s->bench); fputc(',', f);
			az_csv_text(f, s->params); fputc(',', f);
			az_csv_text(f, s->metric); fputc(',', f);
			az_csv_text(f, s->unit); fputc(',', f);
			fputs(s->better > 0 ? "higher," : "lower,", f);
			az_csv_text(f, s->category);
			fprintf(f, ",%zu,%zu,%zu", t->n, s->n_samples, t->n_outliers);
			const double v[] = { t->mean, t->sd, t->cv, t->median, t->mad, t->min, t->max,
					     t->p5, t->p95, t->ci_lo, t->ci_hi };
			for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
				fputc(',', f);
				csv_num(f, v[i]);
			}
			fputc(',', f);
			size_t be = m->envs[s->env_idx].base_idx;
			az_csv_text(f, be < m->nenvs ? m->envs[be].name : m->baseline);
			const double w[] = { c->ratio, c->ratio_lo, c->ratio_hi, c->overhead_pct,
					     c->p_welch, c->p_mw };
			for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
				fputc(',', f);
				if (c->valid || (i >= 4 && s->env != m->baseline))
					csv_num(f, w[i]);
			}
			fprintf(f, ",%d,%d,%d", c->no_ci, s->rank, s->rank_tied);
			/* Paired by plan round (paired.c): empty when not paired. */
			fprintf(f, ",%zu,", c->paired_rounds);
			if (c->paired_rounds)
				az_csv_text(f, c->paired_plan);
			const double pu[] = { c->p_paired, c->unpaired_ratio, c->unpaired_lo, c->unpaired_hi };
			for (size_t i = 0; i < sizeof pu / sizeof pu[0]; i++) {
				fputc(',', f);
				if (c->paired_rounds)
					csv_num(f, pu[i]);
			}
			fputc('\n', f);
		}
	}
	return ferror(f) ? -1 : 0;
}

/* JSON helpers: key then value, with a comma before every key but the first. */
#define KEY(k) do { if (first) first = 0; else fputc(',', f); fputs("\"" k "\":", f); } while (0)

static void json_stats(FILE *f, const hvb_stats *t)
{
	int first = 1;
	fputc('{', f);
	KEY("n"); fprintf(f, "%zu", t->n);
	KEY("n_outliers"); fprintf(f, "%zu", t->n_outliers);
	KEY("mean"); json_num(f, t->mean);
	KEY("sd"); json_num(f, t->sd);
	KEY("cv"); json_num(f, t->cv);
	KEY("median"); json_num(f, t->median);
	KEY("mad"); json_num(f, t->mad);
	KEY("min"); json_num(f, t->min);
	KEY("max"); json_num(f, t->max);
	KEY("p5"); json_num(f, t->p5);
	KEY("p95"); json_num(f, t->p95);
	KEY("ci_lo"); json_num(f, t->ci_lo);
	KEY("ci_hi"); json_num(f, t->ci_hi);
	fputc('}', f);
}

static void json_cmp(FILE *f, const hvb_cmp *c)
{
	int first = 1;
	fputc('{', f);
	KEY("valid"); fputs(c->valid ? "true" : "false", f);
	KEY("ratio"); json_num(f, c->ratio);
	KEY("ratio_lo"); json_num(f, c->ratio_lo);
	KEY("ratio_hi"); json_num(f, c->ratio_hi);
	KEY("overhead_pct"); json_num(f, c->overhead_pct);
	KEY("p_welch"); json_num(f, c->p_welch);
	KEY("p_mw"); json_num(f, c->p_mw);
	KEY("no_ci"); fputs(c->no_ci ? "true" : "false", f);
	/* Paired by plan round (paired.c); null figures when not paired. */
	int pd = c->paired_rounds > 0;
	KEY("paired"); fputs(pd ? "true" : "false", f);
	KEY("paired_rounds"); fprintf(f, "%zu", c->paired_rounds);
	KEY("paired_plans"); fprintf(f, "%zu", c->paired_plans);
	KEY("paired_plan");
	if (pd && c->paired_plan)
		az_json_string(f, c->paired_plan);
	else
		fputs("null", f);
	KEY("p_paired"); json_num(f, pd ? c->p_paired : NAN);
	KEY("unpaired_ratio"); json_num(f, pd ? c->unpaired_ratio : NAN);
	KEY("unpaired_ratio_lo"); json_num(f, pd ? c->unpaired_lo : NAN);
	KEY("unpaired_ratio_hi"); json_num(f, pd ? c->unpaired_hi : NAN);
	fputc('}', f);
}

int az_write_json(const hvb_model *m, FILE *f)
{
	int first = 1;
	fputc('{', f);
	KEY("format"); az_json_string(f, "hvbench-analysis-1");
	KEY("generated"); az_json_string(f, m->generated);
	KEY("baseline"); az_json_string(f, m->baseline);
	KEY("baseline_why"); az_json_string(f, m->baseline_why);
	KEY("dropped_outliers"); fputs(m->dropped_outliers ? "true" : "false", f);
	KEY("files"); fputc('[', f);
	for (size_t i = 0; i < m->nfiles; i++) {
		const hvb_file *x = &m->files[i];
		fprintf(f, "%s{\"path\":", i ? "," : "");
		az_json_string(f, x->path);
		fprintf(f, ",\"sha256\":\"%s\",\"rows\":%zu,\"bad\":%zu}", x->sha256, x->rows, x->bad);
	}
	fputc(']', f);
	KEY("envs"); fputc('[', f);
	for (size_t i = 0; i < m->nenvs; i++) {
		const hvb_env *e = &m->envs[i];
		int first = 1;
		fputs(i ? ",{" : "{", f);
		KEY("name"); az_json_string(f, e->name);
		KEY("virt"); az_json_string(f, e->virt);
		KEY("container"); az_json_string(f, e->container);
		KEY("host"); az_json_string(f, e->host);
		KEY("cpu_model"); az_json_string(f, e->cpu_model);
		KEY("kernel"); az_json_string(f, e->kernel);
		KEY("os"); az_json_string(f, e->os);
		KEY("clocksource"); az_json_string(f, e->clocksource);
		KEY("cpuid_hv_signature"); az_json_string(f, e->cpuid_sig);
		KEY("dmi_sys_vendor"); az_json_string(f, e->dmi_vendor);
		KEY("dmi_product_name"); az_json_string(f, e->dmi_product);
		KEY("iperf_server"); az_json_string(f, e->iperf_server);
		KEY("cpus"); json_num(f, e->cpus);
		KEY("mem_mb"); json_num(f, e->mem_mb);
		KEY("steal_pct_max"); json_num(f, e->steal_pct_max);
		KEY("rows"); fprintf(f, "%zu", e->rows);
		KEY("ok_rows"); fprintf(f, "%zu", e->ok_rows);
		KEY("fail_rows"); fprintf(f, "%zu", e->fail_rows);
		KEY("skip_rows"); fprintf(f, "%zu", e->skip_rows);
		KEY("is_baseline"); fputs(e->is_baseline ? "true" : "false", f);
		KEY("machine"); az_json_string(f, e->machine);
		KEY("baseline"); az_json_string(f, e->base_idx < m->nenvs ? m->envs[e->base_idx].name : NULL);
		KEY("group"); az_json_string(f, e->group);
		KEY("host_runs"); fprintf(f, "%zu", e->host_runs);
		KEY("host_busy_mean_pct"); json_num(f, e->host_busy_mean);
		KEY("host_busy_max_pct"); json_num(f, e->host_busy_max);
		KEY("host_busy_s"); json_num(f, e->host_busy_s);
		KEY("host_cpu_s"); json_num(f, e->host_cpu_s);
		KEY("host_mem_taken_mb"); json_num(f, e->host_mem_taken_mb);
		KEY("host_wall_s"); json_num(f, e->host_wall_s);
		KEY("clock_skew_pct"); json_num(f, e->clock_skew_pct);
		KEY("clock_benches"); fprintf(f, "%zu", e->clock_benches);
		fputc('}', f);
	}
	fputc(']', f);
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
			int first = 1;
			fputs(k ? ",{" : "{", f);
			KEY("env"); az_json_string(f, s->env);
			KEY("n_samples"); fprintf(f, "%zu", s->n_samples);
			KEY("stats"); json_stats(f, &s->st);
			KEY("compare"); json_cmp(f, &s->cmp);
			KEY("rank"); fprintf(f, "%d", s->rank);
			KEY("rank_tied"); fputs(s->rank_tied ? "true" : "false", f);
			KEY("scored"); fputs(s->scored ? "true" : "false", f);
			KEY("unscored_why"); az_json_string(f, s->scored ? NULL : s->unscored_why);
			fputc('}', f);
		}
		fputs("]}", f);
	}
	fputc(']', f);
	KEY("scores"); fputc('[', f);
	for (size_t i = 0; i < m->nscores; i++) {
		const hvb_score *s = &m->scores[i];
		int first = 1;
		fputs(i ? ",{" : "{", f);
		KEY("category"); az_json_string(f, s->category);
		KEY("env"); az_json_string(f, m->envs[s->env_idx].name);
		KEY("geomean"); json_num(f, s->geomean);
		KEY("lo"); json_num(f, s->lo);
		KEY("hi"); json_num(f, s->hi);
		KEY("n_metrics"); fprintf(f, "%zu", s->n_metrics);
		KEY("rank"); fprintf(f, "%d", s->rank);
		KEY("rank_tied"); fputs(s->rank_tied ? "true" : "false", f);
		KEY("n_expected"); fprintf(f, "%zu", s->n_expected);
		KEY("complete"); fputs(s->complete ? "true" : "false", f);
		KEY("machine"); az_json_string(f, s->machine);
		KEY("group"); az_json_string(f, s->group);
		fputc('}', f);
	}
	fputc(']', f);
	KEY("group_scores"); fputc('[', f);
	for (size_t i = 0; i < m->ngroup_scores; i++) {
		const hvb_group_score *g = &m->group_scores[i];
		int first = 1;
		fputs(i ? ",{" : "{", f);
		KEY("category"); az_json_string(f, g->category);
		KEY("group"); az_json_string(f, g->group);
		KEY("geomean"); json_num(f, g->geomean);
		KEY("lo"); json_num(f, g->lo);
		KEY("hi"); json_num(f, g->hi);
		KEY("n_machines"); fprintf(f, "%zu", g->n_machines);
		KEY("n_envs"); fprintf(f, "%zu", g->n_envs);
		fputc('}', f);
	}
	fputc(']', f);
	{
		const hvb_scoring *sc = &m->scoring;
		int first = 1;
		fputs(",\"scoring\":{", f);
		KEY("profile"); az_json_string(f, sc->profile);
		KEY("resamples"); fprintf(f, "%zu", sc->resamples);
		KEY("seed"); fprintf(f, "%lu", sc->seed);
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
		int first = 1;
		fputs(i ? ",{" : "{", f);
		KEY("csv"); az_json_string(f, h->csv);
		KEY("env"); az_json_string(f, h->env_idx < m->nenvs ? m->envs[h->env_idx].name : NULL);
		KEY("meta"); az_json_string(f, h->meta_path);
		KEY("meta_sha256"); az_json_string(f, h->meta_path ? h->meta_sha256 : NULL);
		KEY("telemetry"); az_json_string(f, h->tsv_path);
		KEY("telemetry_sha256"); az_json_string(f, h->tsv_path ? h->tsv_sha256 : NULL);
		KEY("collector"); az_json_string(f, h->collector);
		KEY("under_load"); az_json_string(f, h->under_load);
		KEY("benches_missing"); az_json_string(f, h->benches_missing);
		KEY("telemetry_host"); az_json_string(f, h->telemetry_host);
		KEY("exit_status");
		if (h->exit_status < 0)
			fputs("null", f);
		else
			fprintf(f, "%d", h->exit_status);
		KEY("wall_s"); json_num(f, h->wall_s);
		KEY("host_cpus"); json_num(f, h->host_cpus);
		KEY("samples"); fprintf(f, "%zu", h->samples);
		KEY("bad_lines"); fprintf(f, "%zu", h->bad_lines);
		KEY("busy_mean_pct"); json_num(f, h->busy_mean);
		KEY("busy_max_pct"); json_num(f, h->busy_max);
		KEY("span_s"); json_num(f, h->span_s);
		KEY("busy_host_s"); json_num(f, h->busy_host_s);
		KEY("cpu_s"); json_num(f, h->cpu_s);
		KEY("mem_taken_mb"); json_num(f, h->mem_taken_mb);
		KEY("load1_max"); json_num(f, h->load1_max);
		KEY("steal_max_pct"); json_num(f, h->steal_max);
		KEY("benches"); fputc('[', f);
		for (size_t j = 0; j < h->nwalls; j++) {
			fputs(j ? ",{\"bench\":" : "{\"bench\":", f);
			az_json_string(f, h->walls[j].bench);
			fputs(",\"host_wall_s\":", f);
			json_num(f, h->walls[j].host_s);
			fputs(",\"guest_wall_s\":", f);
			json_num(f, h->walls[j].guest_s);
			fputs(",\"t0\":", f);
			json_num(f, h->walls[j].t0);
			fputs(",\"t1\":", f);
			json_num(f, h->walls[j].t1);
			fprintf(f, ",\"samples\":%zu,\"busy_mean_pct\":", h->walls[j].samples);
			json_num(f, h->walls[j].busy_mean);
			fputc('}', f);
		}
		fputs("]}", f);
	}
	fputc(']', f);
	KEY("bench_costs"); fputc('[', f);
	for (size_t i = 0; i < m->nbenchcosts; i++) {
		const hvb_benchcost *c = &m->benchcosts[i];
		int first = 1;
		fputs(i ? ",{" : "{", f);
		KEY("bench"); az_json_string(f, c->bench);
		KEY("env"); az_json_string(f, m->envs[c->env_idx].name);
		KEY("runs"); fprintf(f, "%zu", c->runs);
		KEY("busy_mean_pct"); json_num(f, c->busy_mean);
		KEY("secs"); json_num(f, c->secs);
		KEY("busy_host_s"); json_num(f, c->busy_host_s);
		fputc('}', f);
	}
	fputc(']', f);
	KEY("warnings"); fputc('[', f);
	for (size_t i = 0; i < m->nwarnings; i++) {
		const hvb_warning *w = &m->warnings[i];
		int first = 1;
		fputs(i ? ",{" : "{", f);
		KEY("kind"); az_json_string(f, w->kind);
		KEY("env"); az_json_string(f, w->env);
		KEY("message"); az_json_string(f, w->message);
		KEY("evidence"); az_json_string(f, w->evidence);
		KEY("touches_score"); fputs(w->touches_score ? "true" : "false", f);
		fputc('}', f);
	}
	fputc(']', f);
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
