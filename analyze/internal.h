/*
 * internal.h - the stages of az_build (build.c) and the helpers they share;
 * not used by renderers.  The files form a line, each calling only files
 * before it (docs/architecture.md, "Inside analyze/"):
 *   util < profile < model (model_free and the stages' helpers) <
 *   planrec, dedup < planruns < stats, quantile < disturb < paired < arch <
 *   compare < aa < pool, explain < score < benchcost < hostcost < warn <
 *   stops; ingest < walk,
 * and az_build (build.c, whose own steps make the environments and series)
 * calls each stage in that order.
 */
#ifndef HVB_ANALYZE_INTERNAL_H
#define HVB_ANALYZE_INTERNAL_H
#include "analyze.h"

/* model.c: the index of env `name` in m->envs (sorted by name), or
 * (size_t)-1. */
size_t az_env_index(const hvb_model *m, const char *name);
/* model.c: the row sample i of series s came from (during az_build). */
const az_row *az_sample_row(const hvb_model *m, const hvb_series *s, size_t i);
/* model.c: append a warning; message and evidence are malloc'd and taken. */
void az_add_warning(hvb_model *m, const char *kind, const char *env,
		    char *message, char *evidence);
/* build.c: free the analyzer's rows once the model's are made. */
void az_rows_free(hvb_model *m);
/* compare.c: baseline, ratios, p-values, ranks per metric; -1 when
 * --baseline is unknown.  az_build calls az_score next. */
int az_compare(hvb_model *m, const az_opts *o);
void az_warnings(hvb_model *m, const az_opts *o);
/* score.c: which series count, category/overall scores, bootstrap CIs,
 * ranks, groups pooled across machines. */
int az_score(hvb_model *m, const az_opts *o);
/* aa.c: the A/A pairs (--aa, aa_pair rows) and their series-level noise
 * floor; -1 after an error message (an --aa label not in the data). */
int az_aa_pairs(hvb_model *m, const az_opts *o);
/* aa.c: each pair's score ratio in one category from the replicates of
 * scores[start..nscores) (logs[i * B ..]); the category's floor, NAN none. */
double az_aa_category(hvb_model *m, const char *category, size_t start, const double *logs,
		      size_t B, double *work);
/* quantile.c: the 95% percentile interval of B replicate logs, as ratios
 * (work: B doubles of scratch). */
void az_pct_ci(const double *logs, size_t B, double *work, double *lo, double *hi);
/* explain.c: the notes of "How the score is made" (end of az_score). */
void az_explain_scores(hvb_model *m);
/* pool.c: each hypervisor's scores pooled across machines, from the
 * replicates logs[score * B ..] (score.c, with several machines). */
void az_pool_groups(hvb_model *m, const az_opts *o, const double *logs, size_t B, double *work);
/* stops.c: each series' runs, rounds and stop reasons (needs the rows and
 * m->planruns). */
void az_series_stops(hvb_model *m);
/* hostcost.c: runs -> environments, host cost per env, their warnings. */
void az_hostcost(hvb_model *m, const az_opts *o);
/* benchcost.c: m->benchcosts from the runs' benchmark windows (az_hostcost). */
void az_bench_costs(hvb_model *m);
/* ingest.c: read one file (regular files only; `given`: named on the
 * command line, so another type is an error): 1 read, 0 skipped (named),
 * -1 error (in m->bad). */
int az_ingest_file(hvb_model *m, const char *path, int given);
/* ingest.c: has the file or directory with this identity been read already?
 * If not, remember it under path.  The path it was read under, or NULL. */
struct stat;
const char *az_seen_before(hvb_model *m, const struct stat *st, const char *path);
/* compare.c: rank[i] = 1 + the number of j clearly better than i (lo[j] >
 * hi[i] and pt[j] - pt[i] > lf); docs/analyzer.md "Ranking and scores". */
void az_rank_intervals(size_t n, const double *lo, const double *hi, const double *pt, double lf,
		       int *rank);
/* The samples a series' statistics use (outliers left out under
 * --drop-outliers); malloc'd copy, count in *n. */
double *az_used_samples(const hvb_model *m, const hvb_series *s, size_t *n);
/* dedup.c: drop ok rows repeating (run, bench, params, metric, rep), warn. */
void az_dedup_rows(hvb_model *m);
/* disturb.c (docs/analyzer.md, "Disturbed repetitions and runs"): read the
 * capacity, canary and dist_* info rows, judge repetitions and runs by the
 * stated rule, name them in m->disturbed and, unless o->keep_disturbed,
 * take their samples out of the series.  Call after the series are built
 * and classified (az_profile_classify), before any statistic. */
void az_disturb(hvb_model *m, const az_opts *o);
/* The plan and round of each disturbed run, once m->planruns is built. */
void az_disturb_rounds(hvb_model *m);
/* The capacity warning: a run whose probe saw fewer CPUs than it has. */
void az_disturb_warnings(hvb_model *m);
/* planrec.c (docs/analyzer.md, "Plan records"): leave out, with a
 * warning, the files of a plan that its record (ID.plan above the CSV's
 * environment directory) does not list, and all but one of the runs that
 * claim one (plan, round, env), the re-run preferred.  Call before
 * az_dedup_rows. */
void az_planrec(hvb_model *m);
/* arch.c: a baseline of each environment's own architecture
 * where its machine has one (az_compare, after choosing baselines), and a
 * warning of kind "arch" for each still compared across architectures. */
void az_arch_baselines(hvb_model *m);
void az_arch_warnings(hvb_model *m);
#endif
