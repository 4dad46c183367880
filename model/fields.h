/*
 * fields.h - the field catalogue of the results model: one table per record
 * kind (series, environment), and every format that writes the record
 * (the summary CSV, the JSON, the XLSX sheets, the docs' column list from
 * `analyze --fields`) walks that table.  So a field has one name in every
 * format, and adding one is one line here (docs/architecture.md).
 *
 * Tables: series, environment, score, warning, host run, group score,
 * benchmark cost, benchmark wall time, disturbed item, run probe
 * (HVB_*_FIELDS).
 * Each X(name, type, format, value, present, doc):
 *   name     the column / key, the same everywhere
 *   type     STR (a label: untrusted, escaped by each writer), INT, NUM
 *            (double; NAN is absent), BOOL
 *   format   how a spreadsheet shows it: TEXT INT NUM PCT P4 BOOL
 *   value    a C expression of m (const hvb_model *) and s (the record)
 *   present  when it is written; otherwise an empty CSV field, a JSON null
 *            and a blank cell
 *   doc      one line for docs/fields.md
 * The machine-readable formats write the whole table.  The text summary
 * (analyze/text.c, `--text`) writes a selection of it: HVB_*_TEXT below,
 * one line per column, its header the catalogue name(s) (docs/analyzer.md,
 * "Text summary"); the HTML report chooses its own columns and titles.
 */
#ifndef HVB_FIELDS_H
#define HVB_FIELDS_H

#include <stddef.h>
#include "model.h"

typedef enum { HVB_F_STR, HVB_F_INT, HVB_F_NUM, HVB_F_BOOL } hvb_ftype;
typedef enum { HVB_FMT_TEXT, HVB_FMT_INT, HVB_FMT_NUM, HVB_FMT_PCT, HVB_FMT_P4, HVB_FMT_BOOL } hvb_ffmt;

typedef struct hvb_field {
	const char *name;
	hvb_ftype type;
	hvb_ffmt fmt;
	const char *doc;
} hvb_field;

/* One field's value: s for STR (NULL: empty), v for the others (BOOL: 0 or
 * 1); absent: not present for this record (written as empty / null). */
typedef struct hvb_fval {
	const char *s;
	double v;
	int absent;
} hvb_fval;

#define HVB_PAIRED(s) ((s)->cmp.paired_rounds > 0)

/* A series: one (env, bench, params, metric) and its statistics, its
 * comparison with its baseline and its place in the verdict.  The first 37
 * are the summary CSV's historical columns, in their order. */
#define HVB_SERIES_FIELDS(X) \
	X(env, STR, TEXT, s->env, 1, "environment label") \
	X(bench, STR, TEXT, s->bench, 1, "benchmark") \
	X(params, STR, TEXT, s->params, 1, "its parameters (key=value;...)") \
	X(metric, STR, TEXT, s->metric, 1, "metric") \
	X(unit, STR, TEXT, s->unit, 1, "unit") \
	X(better, STR, TEXT, s->better > 0 ? "higher" : "lower", 1, "higher or lower is better") \
	X(category, STR, TEXT, s->category, 1, "cpu, memory, disk, network, process or other") \
	X(n, INT, INT, (double)s->st.n, 1, "samples used (outliers too unless --drop-outliers)") \
	X(n_samples, INT, INT, (double)s->n_samples, 1, "ok samples read") \
	X(n_outliers, INT, INT, (double)s->st.n_outliers, 1, "samples with a modified z-score > 3.5") \
	X(mean, NUM, NUM, s->st.mean, 1, "mean") \
	X(sd, NUM, NUM, s->st.sd, 1, "standard deviation (n - 1)") \
	X(cv, NUM, NUM, s->st.cv, 1, "coefficient of variation, sd / mean") \
	X(median, NUM, NUM, s->st.median, 1, "median") \
	X(mad, NUM, NUM, s->st.mad, 1, "median absolute deviation") \
	X(min, NUM, NUM, s->st.min, 1, "smallest sample") \
	X(max, NUM, NUM, s->st.max, 1, "largest sample") \
	X(p5, NUM, NUM, s->st.p5, 1, "5th percentile") \
	X(p95, NUM, NUM, s->st.p95, 1, "95th percentile") \
	X(ci_lo, NUM, NUM, s->st.ci_lo, 1, "95% CI of the mean, low (Student t; absent when n < 2)") \
	X(ci_hi, NUM, NUM, s->st.ci_hi, 1, "95% CI of the mean, high") \
	X(baseline, STR, TEXT, hvb_series_baseline(m, s), 1, "the environment it is compared with") \
	X(ratio, NUM, NUM, s->cmp.ratio, s->cmp.valid, "against the baseline, oriented: > 1 is better (paired when paired_rounds > 0)") \
	X(ratio_lo, NUM, NUM, s->cmp.ratio_lo, s->cmp.valid, "95% CI of the ratio, low") \
	X(ratio_hi, NUM, NUM, s->cmp.ratio_hi, s->cmp.valid, "95% CI of the ratio, high") \
	X(overhead_pct, NUM, PCT, s->cmp.overhead_pct, s->cmp.valid, "(1 / ratio - 1) x 100: cost against the baseline, + is worse") \
	X(p_welch, NUM, P4, s->cmp.p_welch, s->cmp.valid || s->env != m->baseline, "Welch t-test against the baseline") \
	X(p_mw, NUM, P4, s->cmp.p_mw, s->cmp.valid || s->env != m->baseline, "Mann-Whitney U, two-sided") \
	X(no_ci, BOOL, BOOL, s->cmp.no_ci, 1, "1: n = 1 on either side, compared without a CI") \
	X(rank, INT, INT, s->rank, 1, "1 + the environments with this metric whose ratio CI lies wholly above this one's (docs/analyzer.md, Ranking and scores)") \
	X(rank_tied, BOOL, BOOL, s->rank_tied, 1, "1: another environment shares its rank") \
	X(paired_rounds, INT, INT, (double)s->cmp.paired_rounds, 1, "plan rounds the paired figures rest on; 0: not paired") \
	X(paired_plan, STR, TEXT, s->cmp.paired_plan, HVB_PAIRED(s), "the plan of those rounds") \
	X(p_paired, NUM, P4, s->cmp.p_paired, HVB_PAIRED(s), "paired t-test of the per-round log ratios") \
	X(unpaired_ratio, NUM, NUM, s->cmp.unpaired_ratio, HVB_PAIRED(s), "the independent-sample ratio the pairing replaced") \
	X(unpaired_ratio_lo, NUM, NUM, s->cmp.unpaired_lo, HVB_PAIRED(s), "its 95% CI, low") \
	X(unpaired_ratio_hi, NUM, NUM, s->cmp.unpaired_hi, HVB_PAIRED(s), "its 95% CI, high") \
	X(paired_plans, INT, INT, (double)s->cmp.paired_plans, 1, "distinct plans among the paired rounds") \
	X(compared, BOOL, BOOL, s->cmp.valid, 1, "1: compared with a baseline series (ratio present)") \
	X(scored, BOOL, BOOL, s->scored, 1, "1: counts in its environment's category score (a headline metric of the profile)") \
	X(unscored_why, STR, TEXT, s->unscored_why, !s->scored, "why it does not count: diagnostic, not in the profile, an exclusion, ...") \
	X(runs, INT, INT, (double)s->n_runs, 1, "distinct runs its samples come from") \
	X(rounds, INT, INT, (double)s->n_rounds, 1, "distinct rounds: a plan's (plan, round); a run outside a plan counts as one") \
	X(stop_reason, STR, TEXT, s->stop_why, 1, "why its benchmark stopped repeating, by keyword over its runs: reps (fixed --reps), target (--target-ci reached), max-reps, max-time, interrupted; absent: not recorded")

#define HVB_ENV_HOST(e) ((e)->host_runs > 0)

/* An environment: its facts (info rows) and its cost on the collecting
 * host (sidecars; absent without them). */
#define HVB_ENV_FIELDS(X) \
	X(env, STR, TEXT, s->name, 1, "environment label") \
	X(is_baseline, BOOL, BOOL, s->is_baseline, 1, "1: a baseline") \
	X(baseline, STR, TEXT, s->base_idx < m->nenvs ? m->envs[s->base_idx].name : NULL, 1, "the baseline it is compared with") \
	X(machine, STR, TEXT, s->machine, 1, "the physical machine it ran on, when known") \
	X(group, STR, TEXT, s->group, 1, "hypervisor group pooled across machines") \
	X(virt, STR, TEXT, s->virt, 1, "virtualization as detected (mixed: rows disagree)") \
	X(container, STR, TEXT, s->container, 1, "container as detected") \
	X(host, STR, TEXT, s->host, 1, "host name") \
	X(cpu_model, STR, TEXT, s->cpu_model, 1, "CPU model") \
	X(cpus, INT, INT, s->cpus, 1, "CPUs") \
	X(mem_mb, INT, INT, s->mem_mb, 1, "memory, MB") \
	X(kernel, STR, TEXT, s->kernel, 1, "kernel") \
	X(os, STR, TEXT, s->os, 1, "operating system") \
	X(clocksource, STR, TEXT, s->clocksource, 1, "clock source (a -> b if it changed)") \
	X(cpuid_hv_signature, STR, TEXT, s->cpuid_sig, 1, "CPUID hypervisor signature") \
	X(dmi_sys_vendor, STR, TEXT, s->dmi_vendor, 1, "DMI system vendor") \
	X(dmi_product_name, STR, TEXT, s->dmi_product, 1, "DMI product name") \
	X(iperf_server, STR, TEXT, s->iperf_server, 1, "netbench's server: self (loopback) or HOST:PORT") \
	X(steal_pct_max, NUM, NUM, s->steal_pct_max, 1, "worst CPU steal seen, %") \
	X(rows, INT, INT, (double)s->rows, 1, "rows read") \
	X(ok_rows, INT, INT, (double)s->ok_rows, 1, "rows with status ok") \
	X(fail_rows, INT, INT, (double)s->fail_rows, 1, "rows with status fail") \
	X(skip_rows, INT, INT, (double)s->skip_rows, 1, "rows with status skip") \
	X(host_runs, INT, INT, (double)s->host_runs, 1, "collect runs with a .meta or .host.tsv") \
	X(host_wall_s, NUM, NUM, s->host_wall_s, HVB_ENV_HOST(s), "a run's wall time by the host's clock, mean") \
	X(host_busy_mean_pct, NUM, NUM, s->host_busy_mean, HVB_ENV_HOST(s), "host CPU busy %, mean over runs") \
	X(host_busy_max_pct, NUM, NUM, s->host_busy_max, HVB_ENV_HOST(s), "host CPU busy %, highest second") \
	X(host_busy_s, NUM, NUM, s->host_busy_s, HVB_ENV_HOST(s), "host busy time per run, whole-host seconds") \
	X(host_cpu_s, NUM, NUM, s->host_cpu_s, HVB_ENV_HOST(s), "the same in CPU-seconds") \
	X(host_mem_taken_mb, NUM, INT, s->host_mem_taken_mb, HVB_ENV_HOST(s), "worst run: peak host memory used less that at its start, MB") \
	X(clock_skew_pct, NUM, P4, s->clock_skew_pct, HVB_ENV_HOST(s), "the guest's clock against the host's over its benchmarks, %") \
	X(clock_benches, INT, INT, (double)s->clock_benches, HVB_ENV_HOST(s), "benchmarks in that sum")

/* An environment's score in a category (or "overall"). */
#define HVB_SCORE_FIELDS(X) \
	X(category, STR, TEXT, s->category, 1, "category, or overall") \
	X(env, STR, TEXT, m->envs[s->env_idx].name, 1, "environment label") \
	X(geomean, NUM, NUM, s->geomean, 1, "weighted geometric mean of its headline ratios: > 1 better than the baseline") \
	X(lo, NUM, NUM, s->lo, 1, "bootstrap 95% CI, low") \
	X(hi, NUM, NUM, s->hi, 1, "bootstrap 95% CI, high") \
	X(n_metrics, INT, INT, (double)s->n_metrics, 1, "headline series it rests on") \
	X(rank, INT, INT, s->rank, 1, "1 + the scores whose CI lies wholly above this one's (and beyond the noise floor); 0: not ranked (incomplete)") \
	X(rank_tied, BOOL, BOOL, s->rank_tied, 1, "1: shares its rank") \
	X(n_expected, INT, INT, (double)s->n_expected, 1, "headline series its baseline has (and that apply)") \
	X(complete, BOOL, BOOL, s->complete, 1, "1: every expected metric is there") \
	X(machine, STR, TEXT, s->machine, 1, "the machine of its environment") \
	X(group, STR, TEXT, s->group, 1, "its hypervisor group") \
	X(noise_floor, NUM, NUM, s->noise_floor, 1, "the campaign's noise floor in this category: the largest difference its A/A pairs' score intervals allow (absent without a pair)") \
	X(within_floor, BOOL, BOOL, s->within_floor, 1, "1: the score differs from 1 by no more than the noise floor: a tie with the baseline")

/* A warning about the data (analyze/warn.c; docs/analyzer.md). */
#define HVB_WARNING_FIELDS(X) \
	X(kind, STR, TEXT, s->kind, 1, "clocksource, steal, skew, cv, few-reps, signature, cpu-model, clock, collect, ...") \
	X(env, STR, TEXT, s->env, 1, "the environment it is about, if one") \
	X(message, STR, TEXT, s->message, 1, "one sentence") \
	X(evidence, STR, TEXT, s->evidence, 1, "file:line or the figures that show it") \
	X(touches_score, BOOL, BOOL, s->touches_score, 1, "1: summed up in the verdict's list of what touches the ranking (a headline series' cv warning is a row of the noise table instead)")

/* One collect run's record (.meta) and host telemetry (.host.tsv). */
#define HVB_HOSTRUN_FIELDS(X) \
	X(env, STR, TEXT, s->env_idx < m->nenvs ? m->envs[s->env_idx].name : NULL, 1, "its environment (absent: the CSV holds several)") \
	X(csv, STR, TEXT, s->csv, 1, "the result CSV") \
	X(meta, STR, TEXT, s->meta_path, 1, "its .meta, if any") \
	X(meta_sha256, STR, TEXT, s->meta_sha256, s->meta_path != NULL, "SHA-256 of the .meta") \
	X(telemetry, STR, TEXT, s->tsv_path, 1, "its .host.tsv, if any") \
	X(telemetry_sha256, STR, TEXT, s->tsv_sha256, s->tsv_path != NULL, "SHA-256 of the .host.tsv") \
	X(collector, STR, TEXT, s->collector, 1, "the collector that made it") \
	X(under_load, STR, TEXT, s->under_load, 1, "the background load asked for (--under-load)") \
	X(benches_missing, STR, TEXT, s->benches_missing, 1, "benchmarks that gave no rows") \
	X(telemetry_host, STR, TEXT, s->telemetry_host, 1, "the host the telemetry is of") \
	X(exit_status, INT, INT, s->exit_status, s->exit_status >= 0, "collect's exit status") \
	X(wall_s, NUM, NUM, s->wall_s, 1, "the whole run's wall time, host clock") \
	X(host_cpus, INT, INT, s->host_cpus, 1, "CPUs the busy % are of") \
	X(samples, INT, INT, (double)s->samples, 1, "telemetry lines used") \
	X(bad_lines, INT, INT, (double)s->bad_lines, 1, "sidecar lines not used (warned)") \
	X(busy_mean_pct, NUM, NUM, s->busy_mean, 1, "host CPU busy %, mean") \
	X(busy_max_pct, NUM, NUM, s->busy_max, 1, "host CPU busy %, highest second") \
	X(span_s, NUM, NUM, s->span_s, 1, "time the telemetry covers") \
	X(busy_host_s, NUM, NUM, s->busy_host_s, 1, "busy_mean_pct / 100 x span_s: whole-host seconds") \
	X(cpu_s, NUM, NUM, s->cpu_s, 1, "the same in CPU-seconds") \
	X(mem_taken_mb, NUM, INT, s->mem_taken_mb, 1, "peak host memory used less that at its start, MB") \
	X(load1_max, NUM, NUM, s->load1_max, 1, "the host's highest 1-minute load average") \
	X(steal_max_pct, NUM, NUM, s->steal_max, 1, "the host's highest CPU steal, %")

/* A hypervisor pooled across machines (several machines only). */
#define HVB_GROUPSCORE_FIELDS(X) \
	X(category, STR, TEXT, s->category, 1, "category, or overall") \
	X(group, STR, TEXT, s->group, 1, "the hypervisor group") \
	X(geomean, NUM, NUM, s->geomean, 1, "geometric mean of its environments' scores") \
	X(lo, NUM, NUM, s->lo, 1, "95% CI, low") \
	X(hi, NUM, NUM, s->hi, 1, "95% CI, high") \
	X(n_machines, INT, INT, (double)s->n_machines, 1, "machines it was measured on") \
	X(n_envs, INT, INT, (double)s->n_envs, 1, "environments pooled")

/* Host CPU while one benchmark ran in one environment (mean over runs). */
#define HVB_BENCHCOST_FIELDS(X) \
	X(bench, STR, TEXT, s->bench, 1, "benchmark") \
	X(env, STR, TEXT, m->envs[s->env_idx].name, 1, "environment") \
	X(runs, INT, INT, (double)s->runs, 1, "runs with telemetry during it") \
	X(busy_mean_pct, NUM, NUM, s->busy_mean, 1, "host CPU busy %") \
	X(secs, NUM, NUM, s->secs, 1, "its duration by the rows' time stamps") \
	X(busy_host_s, NUM, NUM, s->busy_host_s, 1, "busy_mean_pct / 100 x secs: whole-host seconds")

/* One benchmark of a collect run (host_runs[].benches[] in JSON). */
#define HVB_BENCHWALL_FIELDS(X) \
	X(bench, STR, TEXT, s->bench, 1, "benchmark") \
	X(host_wall_s, NUM, NUM, s->host_s, 1, "its wall time by the host's clock (.meta)") \
	X(guest_wall_s, NUM, NUM, s->guest_s, 1, "its wall time by the guest's clock") \
	X(t0, NUM, NUM, s->t0, 1, "epoch seconds of its first row") \
	X(t1, NUM, NUM, s->t1, 1, "epoch seconds of its last row") \
	X(samples, INT, INT, (double)s->samples, 1, "telemetry samples between them") \
	X(busy_mean_pct, NUM, NUM, s->busy_mean, 1, "host CPU busy % meanwhile")

/* A disturbed repetition or run (analyze/disturb.c; docs/analyzer.md,
 * "Disturbed repetitions and runs"). */
#define HVB_DISTURBED_FIELDS(X) \
	X(file, STR, TEXT, s->file, 1, "the run's result CSV") \
	X(run, STR, TEXT, s->run, 1, "the run id") \
	X(plan, STR, TEXT, s->plan, 1, "its collect/plan plan, if it is part of one") \
	X(round, NUM, NUM, s->round, 1, "its round in that plan") \
	X(env, STR, TEXT, s->env, 1, "environment label") \
	X(scope, STR, TEXT, s->scope, 1, "rep: one repetition (bench, params, rep); category: the run's series of category; run: the whole run") \
	X(bench, STR, TEXT, s->bench, 1, "scope rep: the benchmark") \
	X(params, STR, TEXT, s->params, 1, "scope rep: its parameters") \
	X(rep, INT, INT, (double)s->rep, s->rep > 0, "scope rep: the repetition") \
	X(category, STR, TEXT, s->category, 1, "scope category: the category it was judged in") \
	X(rule, STR, TEXT, s->rule, 1, "runq, steal, throttled, balance, canary (a repetition's counters); run-canary (a run's canary), data (a run's headline values)") \
	X(amount, NUM, NUM, s->amount, 1, "what the rule judged: dist_runq_pct, dist_steal_pct, dist_throttled; balance: its series' median dist_thread_balance over this one's; canary, run-canary, data: times slower (data: the least slowed series)") \
	X(threshold, NUM, NUM, s->threshold, 1, "the rule's threshold on amount") \
	X(z, NUM, NUM, s->z, 1, "run-canary, data: modified z-score, + is slower (data: the least extreme series)") \
	X(judged_series, INT, INT, (double)s->series, s->series > 0, "data: the headline series it was judged on") \
	X(samples, INT, INT, (double)s->samples, 1, "ok samples it covers") \
	X(kept, BOOL, BOOL, s->kept, 1, "1: kept in the statistics and scores (--keep-disturbed); 0: left out")

/* One run's capacity probe and canary (analyze/disturb.c). */
#define HVB_RUNPROBE_FIELDS(X) \
	X(file, STR, TEXT, s->file, 1, "the run's result CSV") \
	X(run, STR, TEXT, s->run, 1, "the run id") \
	X(env, STR, TEXT, m->envs[s->env_idx].name, 1, "environment label") \
	X(capacity_cpus, NUM, NUM, s->capacity_cpus, 1, "capacity probe: all threads' canary throughput against one thread's (its lowest share of capacity_threads)") \
	X(capacity_threads, INT, INT, s->capacity_threads, 1, "threads of that probe") \
	X(capacity_bench, STR, TEXT, s->capacity_bench, 1, "the benchmark whose probe that was") \
	X(canary_ref_ns, NUM, NUM, s->canary_ref_ns, 1, "the probe's one-thread canary time") \
	X(canary_best_ns, NUM, NUM, s->canary_best_ns, 1, "the run's best canary: min of canary_ref_ns and its repetitions' dist_canary_ns") \
	X(canary_median_ns, NUM, NUM, s->canary_median_ns, 1, "median of its repetitions' dist_canary_ns") \
	X(reps, INT, INT, (double)s->reps, 1, "repetitions with dist_* rows")

/* An A/A pair: two labels of the same environment (analyze/aa.c;
 * docs/analyzer.md, "Noise floor"). */
#define HVB_AA_FIELDS(X) \
	X(a, STR, TEXT, s->a, 1, "the first label") \
	X(b, STR, TEXT, s->b, 1, "the second label: the same environment measured again") \
	X(source, STR, TEXT, s->source, 1, "--aa, or aa_pair row (collect/plan --aa)") \
	X(headline_series, INT, INT, (double)s->nseries, 1, "headline series both have, compared b/a") \
	X(false_positives, INT, INT, (double)s->nexcl, 1, "of those, the ones whose 95% CI excludes 1") \
	X(false_positive_rate, NUM, PCT, s->fpr, 1, "false_positives / headline_series: the false-positive rate at the 95% level") \
	X(abs_dev_median, NUM, PCT, s->abs_median, 1, "median |ratio - 1| over those series") \
	X(abs_dev_p95, NUM, PCT, s->abs_p95, 1, "95th percentile of |ratio - 1|") \
	X(abs_dev_max, NUM, PCT, s->abs_max, 1, "largest |ratio - 1|") \
	X(ci_half_median, NUM, PCT, s->half_median, 1, "median CI half-width, relative to the ratio")

/* An A/A pair's score ratio per category and overall. */
#define HVB_AASCORE_FIELDS(X) \
	X(category, STR, TEXT, s->category, 1, "category, or overall") \
	X(a, STR, TEXT, m->aa[s->aa].a, 1, "the pair's first label") \
	X(b, STR, TEXT, m->aa[s->aa].b, 1, "its second label") \
	X(ratio, NUM, NUM, s->ratio, 1, "score of b / score of a: 1 if the noise were nil") \
	X(lo, NUM, NUM, s->lo, 1, "bootstrap 95% CI, low (the same replicates as the scores)") \
	X(hi, NUM, NUM, s->hi, 1, "bootstrap 95% CI, high") \
	X(floor, NUM, PCT, s->floor, 1, "max(hi - 1, 1 - lo, |ratio - 1|): the difference noise allows here")

/* The text summary's tables (analyze/text.c): the columns, in order, that
 * it shows of a record kind; the header of a column is made of the
 * catalogue names, its values come through the accessor (hvb_*_field).
 *   T(name, num, width)                     one field
 *   T2(layout, name, name2, num, width)     two fields in one column:
 *     TIED   "rank": name, then '=' when name2 (a BOOL) is 1; 0 is "-"
 *     RANGE  "[name, name2]": a CI, "[lo, hi]"
 *     OF     "name/name2": a count of a total, "6/6"
 *   num    how a value is shown: TEXT (a label, left-aligned; control
 *          characters as '?', absent '?'), INT, G6 / G4 (%.6g / %.4g),
 *          F4 (%.4f), PCT1 / PCT2 (%+.1f%% / %+.2f%%: the value is a
 *          percentage), G6PCT (a fraction as a percentage: cv 0.0413 is
 *          "4.13%"); an absent number is "n/a"
 *   width  the least width of a value (each of a RANGE's two); a column is
 *          as wide as its header if that is wider
 * Rules of a table that are not columns (the baseline row, "n=1: no CI",
 * notes after a row) are text.c's. */
#define HVB_SERIES_TEXT(T, T2) \
	T2(TIED, rank, rank_tied, INT, 4) \
	T(env, TEXT, 16) \
	T(n, INT, 5) \
	T(mean, G6, 12) \
	T(sd, G6, 11) \
	T(cv, G6PCT, 9) \
	T(median, G6, 12) \
	T2(RANGE, ci_lo, ci_hi, G6, 12) \
	T(ratio, G6, 9) \
	T2(RANGE, ratio_lo, ratio_hi, F4, 8) \
	T(overhead_pct, PCT1, 9) \
	T(p_welch, G6, 11) \
	T(paired_rounds, INT, 4) \
	T(unpaired_ratio, G4, 9)

/* The scores, one row per (category, environment); machine only when the
 * campaign has several machines. */
#define HVB_SCORE_TEXT(T, T2) \
	T(category, TEXT, 9) \
	T2(TIED, rank, rank_tied, INT, 5) \
	T(env, TEXT, 16) \
	T(machine, TEXT, 16) \
	T(geomean, F4, 9) \
	T2(RANGE, lo, hi, F4, 8) \
	T2(OF, n_metrics, n_expected, INT, 7)

/* The disturbed repetitions and runs; what each covers follows the row. */
#define HVB_DISTURBED_TEXT(T, T2) \
	T(env, TEXT, 12) \
	T(round, G6, 5) \
	T(rule, TEXT, 10) \
	T(amount, G4, 7) \
	T(z, G4, 6) \
	T(samples, INT, 7) \
	T(kept, INT, 4)

/* Pooled across machines (several machines only). */
#define HVB_GROUPSCORE_TEXT(T, T2) \
	T(category, TEXT, 9) \
	T(group, TEXT, 16) \
	T(geomean, F4, 9) \
	T2(RANGE, lo, hi, F4, 8) \
	T(n_machines, INT, 4)

/* The host cost of the environments that have sidecars. */
#define HVB_ENV_TEXT(T, T2) \
	T(env, TEXT, 16) \
	T(host_runs, INT, 4) \
	T(host_wall_s, G6, 9) \
	T(host_busy_mean_pct, G6, 9) \
	T(host_busy_s, G6, 11) \
	T(host_cpu_s, G6, 9) \
	T(host_busy_max_pct, G6, 9) \
	T(host_mem_taken_mb, G6, 9) \
	T(clock_skew_pct, PCT2, 11) \
	T(clock_benches, INT, 4)

typedef enum { HVB_TL_ONE, HVB_TL_TIED, HVB_TL_RANGE, HVB_TL_OF } hvb_tlayout;
typedef enum { HVB_TN_TEXT, HVB_TN_INT, HVB_TN_G6, HVB_TN_G6PCT, HVB_TN_G4, HVB_TN_F4, HVB_TN_PCT1, HVB_TN_PCT2 } hvb_tnum;

/* A text column: field indices into its table (name2 == name for ONE). */
typedef struct hvb_tcol {
	size_t field, field2;
	hvb_tlayout layout;
	hvb_tnum num;
	int width;
} hvb_tcol;

/* Named indices: HVB_S_ratio, HVB_E_env, ...; HVB_S_COUNT fields. */
#define HVB_FIELD_ENUM_S(name, ...) HVB_S_##name,
#define HVB_FIELD_ENUM_E(name, ...) HVB_E_##name,
enum { HVB_SERIES_FIELDS(HVB_FIELD_ENUM_S) HVB_S_COUNT };
enum { HVB_ENV_FIELDS(HVB_FIELD_ENUM_E) HVB_E_COUNT };
#define HVB_FIELD_ENUM_C(name, ...) HVB_C_##name,
#define HVB_FIELD_ENUM_W(name, ...) HVB_W_##name,
#define HVB_FIELD_ENUM_H(name, ...) HVB_H_##name,
enum { HVB_SCORE_FIELDS(HVB_FIELD_ENUM_C) HVB_C_COUNT };
enum { HVB_WARNING_FIELDS(HVB_FIELD_ENUM_W) HVB_W_COUNT };
enum { HVB_HOSTRUN_FIELDS(HVB_FIELD_ENUM_H) HVB_H_COUNT };
#define HVB_FIELD_ENUM_G(name, ...) HVB_G_##name,
#define HVB_FIELD_ENUM_B(name, ...) HVB_B_##name,
#define HVB_FIELD_ENUM_L(name, ...) HVB_L_##name,
enum { HVB_GROUPSCORE_FIELDS(HVB_FIELD_ENUM_G) HVB_G_COUNT };
enum { HVB_BENCHCOST_FIELDS(HVB_FIELD_ENUM_B) HVB_B_COUNT };
enum { HVB_BENCHWALL_FIELDS(HVB_FIELD_ENUM_L) HVB_L_COUNT };
#define HVB_FIELD_ENUM_D(name, ...) HVB_D_##name,
#define HVB_FIELD_ENUM_P(name, ...) HVB_P_##name,
enum { HVB_DISTURBED_FIELDS(HVB_FIELD_ENUM_D) HVB_D_COUNT };
enum { HVB_RUNPROBE_FIELDS(HVB_FIELD_ENUM_P) HVB_P_COUNT };
#define HVB_FIELD_ENUM_A(name, ...) HVB_A_##name,
#define HVB_FIELD_ENUM_Q(name, ...) HVB_Q_##name,
enum { HVB_AA_FIELDS(HVB_FIELD_ENUM_A) HVB_A_COUNT };
enum { HVB_AASCORE_FIELDS(HVB_FIELD_ENUM_Q) HVB_Q_COUNT };

extern const hvb_field hvb_series_fields[];
extern const size_t hvb_nseries_fields;
extern const hvb_field hvb_env_fields[];
extern const size_t hvb_nenv_fields;
extern const hvb_field hvb_score_fields[];
extern const size_t hvb_nscore_fields;
extern const hvb_field hvb_warning_fields[];
extern const size_t hvb_nwarning_fields;
extern const hvb_field hvb_hostrun_fields[];
extern const size_t hvb_nhostrun_fields;
extern const hvb_field hvb_groupscore_fields[];
extern const size_t hvb_ngroupscore_fields;
extern const hvb_field hvb_benchcost_fields[];
extern const size_t hvb_nbenchcost_fields;
extern const hvb_field hvb_benchwall_fields[];
extern const size_t hvb_nbenchwall_fields;
extern const hvb_field hvb_disturbed_fields[];
extern const size_t hvb_ndisturbed_fields;
extern const hvb_field hvb_runprobe_fields[];
extern const size_t hvb_nrunprobe_fields;
extern const hvb_field hvb_aa_fields[];
extern const size_t hvb_naa_fields;
extern const hvb_field hvb_aascore_fields[];
extern const size_t hvb_naascore_fields;

extern const hvb_tcol hvb_series_text[];
extern const size_t hvb_nseries_text;
extern const hvb_tcol hvb_score_text[];
extern const size_t hvb_nscore_text;
extern const hvb_tcol hvb_groupscore_text[];
extern const size_t hvb_ngroupscore_text;
extern const hvb_tcol hvb_env_text[];
extern const size_t hvb_nenv_text;
extern const hvb_tcol hvb_disturbed_text[];
extern const size_t hvb_ndisturbed_text;

/* Field i of the table for one record. */
hvb_fval hvb_series_field(const hvb_model *m, const hvb_series *s, size_t i);
hvb_fval hvb_env_field(const hvb_model *m, const hvb_env *s, size_t i);
hvb_fval hvb_score_field(const hvb_model *m, const hvb_score *s, size_t i);
hvb_fval hvb_warning_field(const hvb_model *m, const hvb_warning *s, size_t i);
hvb_fval hvb_hostrun_field(const hvb_model *m, const hvb_hostrun *s, size_t i);
hvb_fval hvb_groupscore_field(const hvb_model *m, const hvb_group_score *s, size_t i);
hvb_fval hvb_benchcost_field(const hvb_model *m, const hvb_benchcost *s, size_t i);
hvb_fval hvb_benchwall_field(const hvb_model *m, const hvb_bench_wall *s, size_t i);
hvb_fval hvb_disturbed_field(const hvb_model *m, const hvb_disturbed *s, size_t i);
hvb_fval hvb_runprobe_field(const hvb_model *m, const hvb_runprobe *s, size_t i);
hvb_fval hvb_aa_field(const hvb_model *m, const hvb_aa *s, size_t i);
hvb_fval hvb_aascore_field(const hvb_model *m, const hvb_aa_score *s, size_t i);

/* A text column's header, from the catalogue names of table (the column's
 * record kind): "name", "[name, name2]" (RANGE) or "name/name2" (OF). */
const char *hvb_text_header(const hvb_field *table, const hvb_tcol *c, char *buf, size_t size);

/* The name of the environment a series is compared with (its machine's
 * baseline, else the campaign's), or NULL. */
const char *hvb_series_baseline(const hvb_model *m, const hvb_series *s);

/* The catalogue as documentation: a Markdown table per record kind. */
void hvb_fields_markdown(FILE *f);

#endif
