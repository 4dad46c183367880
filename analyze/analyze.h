/*
 * analyze.h - the analyzer's internal interfaces: the stages that build the
 * results model (model.h) and the machine-readable renderers of it.
 *
 *   az_ingest_path / az_ingest_buffer   CSV text -> m->files, m->rows, m->bad
 *   az_build                            rows -> envs, series, groups, stats,
 *                                       baseline comparison, ranks, scores,
 *                                       warnings
 *   model_print_text / az_write_summary_csv / az_write_json   renderers
 *
 * Every stage reports through az_err() ("analyze: ...") and records what it
 * rejected in m->bad, so nothing the user gave is dropped silently.
 * All names are prefixed az_ so they never clash with report/ or bench/.
 */
#ifndef HVB_ANALYZE_H
#define HVB_ANALYZE_H

#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "../model/model.h"
#include "../model/fields.h"
#include "../common/xalloc.h"

/* Exit codes of `analyze` (docs/analyzer.md): the shared table
 * common/exit.def (docs/exit-status.md), under the analyzer's own names. */
enum {
#define HVB_EXIT(name, code, meaning) AZ_EXIT_TABLE_##name = code,
#include "../common/exit.def"
#undef HVB_EXIT
};
enum {
	AZ_EXIT_OK = AZ_EXIT_TABLE_OK,            /* model built, outputs written */
	AZ_EXIT_BADDATA = AZ_EXIT_TABLE_FAILED,   /* some input was rejected (and no --keep-going) */
	AZ_EXIT_USAGE = AZ_EXIT_TABLE_USAGE,      /* bad option or value */
	AZ_EXIT_OUTPUT = AZ_EXIT_TABLE_OUTPUT,    /* an output could not be written */
	AZ_EXIT_NOINPUT = AZ_EXIT_TABLE_MISSING,  /* no CSV found, or a path could not be read */
	AZ_EXIT_NOMEM = AZ_EXIT_TABLE_NOMEM,      /* out of memory */
};

/* ---- util.c: one logger, one out-of-memory policy, strings ---- */
extern int az_quiet;          /* 1: no notes; 2: no errors either (fuzzing) */
void az_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void az_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* xmalloc, xcalloc, xrealloc, xstrdup, xasprintf: common/xalloc.h */
/* Strict number parsing: whole string, finite, no locale. 0 or -1. */
int az_parse_double(const char *s, double *out);
int az_parse_long(const char *s, long lo, long hi, long *out);
/* Current UTC time, ISO 8601 (malloc'd). */
char *az_utc_now(void);
/* The whole file at path, NUL-terminated, into *buf (*len bytes): 0, or an
 * errno: the open's or read's, EFBIG past max bytes (nothing is kept). */
int az_read_file(const char *path, size_t max, char **buf, size_t *len);

/* Interned strings: equal strings share one pointer, freed with the pool. */
typedef struct az_pool az_pool;
az_pool *az_pool_new(void);
char *az_intern(az_pool *p, const char *s, size_t len);
void az_pool_free(az_pool *p);

/* An index: open addressing over array indices (slot: index + 1, 0 empty),
 * capacity a power of 2 at least twice the entries. */
typedef struct az_idxmap { size_t *slot; size_t cap, n; } az_idxmap;
/* The analyzer's hashing (util.c), one of each for every table: a string
 * (FNV-1a), a pointer (interned strings, files) folded into h (0 to start),
 * and growing an az_idxmap (slots hold index + 1, linear probing) so that
 * `want` entries keep it at most half full, rehashing each stored index i
 * with hash_of(ctx, i). */
uint64_t az_hash_str(const char *s, size_t len);
uint64_t az_hash_ptr(uint64_t h, const void *p);
void az_idx_grow(az_idxmap *x, size_t want, uint64_t (*hash_of)(const void *ctx, size_t i),
		 const void *ctx);

/* Rows as the analyzer keeps them, in a third of an hvb_row's memory.  The
 * fields that rows repeat (file, env ... status) are one interned "shape"
 * the rows point to; the strings are interned in the pool.  The model's
 * m->rows (hvb_row, for the renderers of report/) are made from these at
 * the end of az_build, unless az_opts.lean says no renderer needs them. */
/* A row's status, parsed once when its shape is made (ingest.c). */
typedef enum az_status { AZ_ST_OK, AZ_ST_INFO, AZ_ST_SKIP, AZ_ST_FAIL } az_status;
/* The facts of hvbench's own info rows (bench "hvbench") that the analyzer
 * keys runs by, parsed once at ingest; AZ_FACT_NONE for every other row. */
typedef enum az_fact { AZ_FACT_NONE, AZ_FACT_PLAN, AZ_FACT_ROUND } az_fact;

typedef struct az_shape {
	const char *file;
	char *env, *virt, *container, *host, *bench, *params, *metric, *unit, *better, *status;
	size_t idx;           /* its index in az_priv.shapes */
	size_t env_idx;       /* build.c: the index of env in m->envs */
	az_status st;         /* status, parsed */
	az_fact fact;         /* hvbench/plan, hvbench/round info rows */
} az_shape;

typedef struct az_row {
	const az_shape *sh;
	char *run, *time, *note;
	double value;         /* NAN when empty */
	uint32_t line;        /* ingest.c refuses a line number past 2^32 - 1 */
	int rep;
} az_row;

/* The analyzer's private part of a model (m->priv). */
typedef struct az_priv {
	az_pool *pool;        /* owns every hvb_row string */
	az_row *rows;         /* every row read (ingest.c), in file order */
	size_t nrows;
	az_shape **shapes;    /* the distinct shapes, each malloc'd */
	size_t nshapes, shapes_cap;
	az_idxmap shape_x;    /* shapes hashed by their fields */
	uint32_t *srow;       /* build.c: the row of each sample, series by series */
	size_t *srow_off;     /* per series: where its samples start in srow */
	size_t rows_cap, files_cap, bad_cap;
	int keep_going;
	/* Files and directories read so far, by device and inode: each is read
	 * once, whatever links or paths lead to it (ingest.c). */
	struct az_fileid { unsigned long long dev, ino; const char *path; } *seen;
	size_t nseen, seen_cap;
	/* hostcost.c's indexes: files by name (the first hc_nfiles of
	 * m->files), hostruns by their CSV (the first hc_nruns); and
	 * m->hostruns' capacity. */
	az_idxmap hc_files, hc_runs;
	size_t hc_nfiles, hc_nruns, hostruns_cap;
	size_t warnings_cap;  /* m->warnings' capacity */
} az_priv;
az_priv *az_priv_of(hvb_model *m);   /* creates it on first use */

/* Append a bad-row record; message is formatted "file:line: ..." */
void az_bad(hvb_model *m, const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void az_vbad(hvb_model *m, const char *file, long line, const char *fmt, va_list ap);

/* ---- ingest.c ---- */
/* Bounds on untrusted (possibly hostile) input: a field or a physical line longer
 * than these is rejected with file:line; gzip data that inflates to more
 * than max_inflate_ratio times its compressed size (once past
 * AZ_INFLATE_FLOOR bytes) stops the file.  Options --max-field, --max-line,
 * --max-inflate-ratio set them. */
typedef struct az_limits { size_t max_field, max_line; double max_inflate_ratio; } az_limits;
extern az_limits az_limit;
#define AZ_MAX_FIELD_DEFAULT ((size_t)1 << 20)
#define AZ_MAX_LINE_DEFAULT ((size_t)16 << 20)
#define AZ_INFLATE_RATIO_DEFAULT 100.0
#define AZ_INFLATE_FLOOR ((unsigned long long)64 << 20)
/* Read one file or every *.csv / *.csv.gz under a directory (recursively,
 * in name order).  Returns the number of files read; -1 when the path
 * cannot be read (reported). */
int az_ingest_path(hvb_model *m, const char *path);
/* Parse CSV text held in memory as if it were file `name` (tests, fuzzing). */
void az_ingest_buffer(hvb_model *m, const char *name, const void *buf, size_t len);

/* ---- hostcost.c: collect's sidecars beside each CSV (docs/collect.md) ---- */
/* Read <base>.meta and <base>.host.tsv beside every *.csv / *.csv.gz read so
 * far (base: the path without the suffix) into m->hostruns.  Problems are
 * notes and, in az_build, warnings; they never reject results. */
void az_ingest_sidecars(hvb_model *m);
/* The same from text in memory (tests, fuzzing): kind "meta" or "host.tsv",
 * csv the path of a file already ingested, name the sidecar's path. */
void az_sidecar_buffer(hvb_model *m, const char *csv, const char *kind, const char *name,
		       const char *buf, size_t len);

/* ---- build.c: series, statistics, comparison, ranking, warnings ---- */
typedef struct az_opts {
	const char *baseline;   /* --baseline ENV or NULL */
	int drop_outliers;
	double steal_warn_pct;  /* 5 */
	double cv_warn;         /* 0.10 */
	double skew_warn;       /* 0.05 */
	int min_reps;           /* 3 */
	double clock_warn_pct;  /* 3: guest vs host wall time of one benchmark ... */
	double clock_warn_min_s; /* 0.5: ... and at least this far apart */
	/* scoring (profile.c, score.c) */
	const char *profile_text;   /* NULL: the built-in analyze/default.profile */
	const char *profile_name;   /* its path, for messages */
	unsigned long seed;         /* bootstrap seed (1) */
	size_t resamples;           /* bootstrap resamples (2000) */
	const char *groups;         /* --group ENV=NAME[,...] or NULL */
	const char *aa;             /* --aa A=B[,...]: A/A pairs, or NULL (score.c) */
	/* Which raw rows the model keeps (m->rows, make_rows() in build.c):
	 * rows_for_charts: the HTML's charts are drawn, and a plan campaign's
	 * time series need every sample's row (series' sample_rows);
	 * rows_max: the XLSX Samples sheet's rows at most (0: no sheet),
	 * an even sample of each series past it.  Default: every row. */
	int rows_for_charts;
	size_t rows_max;
	/* Disturbed repetitions and runs (disturb.c): 1 keeps their samples in
	 * the statistics and scores (--keep-disturbed); they are named either way. */
	int keep_disturbed;
} az_opts;
void az_opts_default(az_opts *o);
/* Build everything after ingest; 0, or -1 when --baseline names no env. */
int az_build(hvb_model *m, const az_opts *o);

/* ---- profile.c: the scoring profile (analyze/default.profile) ---- */
const char *az_builtin_profile(void);
/* Parse a profile into sc (replacing what it held); 0, or -1 with the
 * error reported as "NAME:LINE: ...". */
int az_profile_load(hvb_scoring *sc, const char *name, const char *text);
void az_scoring_free(hvb_scoring *sc);
/* Each metric group's role, weight and category, from m->scoring. */
void az_profile_classify(hvb_model *m);
/* The exclusion line that takes series s out of its env's score, or NULL. */
const hvb_profile_line *az_profile_exclusion(hvb_model *m, const hvb_series *s);

/* ---- paired.c: comparisons paired by collect/plan round ---- */
/* Where s and its baseline series b have samples from runs of the same plan
 * and round (info rows hvbench/plan, hvbench/round), replace s->cmp's ratio,
 * ratio_lo, ratio_hi and overhead_pct with the paired figures (geometric
 * mean of the per-round ratios of medians, t CI of their spread) and record
 * paired_rounds, paired_plan(s), p_paired and the unpaired figures.  Call
 * after the unpaired comparison of s with b, once az_plan_index has built
 * m->planruns. */
void az_paired_compare(hvb_model *m, hvb_series *s, const hvb_series *b);
/* planruns.c: m->planruns (plan and round of each run) from the
 * hvbench/plan and hvbench/round info rows: a step of az_build, once the
 * rows are final (after az_planrec and az_dedup_rows). */
void az_plan_index(hvb_model *m);
/* The "drift" warning: a trend of the baseline across the rounds of a plan. */
void az_paired_warnings(hvb_model *m);
/* The plan and round of a run (m->planruns, built by az_plan_index), or NULL. */
const hvb_planrun *az_planrun_of(const hvb_model *m, const char *run);

/* stats.c: statistics of one sample, exposed for unit tests */
void az_stats(const double *x, size_t n, unsigned char *outlier, int drop, hvb_stats *st);
double az_welch_p(const hvb_stats *a, const hvb_stats *b);
double az_mann_whitney_p(const double *x, size_t nx, const double *y, size_t ny);
/* Fieller 95% CI of mean(a)/mean(b), independent samples; -1 if unbounded. */
int az_fieller(const hvb_stats *a, const hvb_stats *b, double *lo, double *hi);
/* quantile.c: the 2.5 % and 97.5 % quantiles of w[0..n) (reordered), bit for
 * bit what gsl_sort and gsl_stats_quantile_from_sorted_data give, by
 * selection in O(n). */
void az_ci_quantiles(double *w, size_t n, double *lo, double *hi);
/* quantile.c: the expansion of a percentile interval resting on k units. */
double az_boot_expand(size_t k);
/* The fewest rounds a score's interval may rest on: over 2 rounds the
 * bootstrap has 3 distinct resamples (both first, both second, one each),
 * so its percentiles are the rounds themselves and the expansion (x9.17)
 * only scales them; such a score gets no CI (hvb_score.few_rounds). */
#define AZ_CI_MIN_ROUNDS 3

/* ---- model.c ---- */
/* Free everything m owns and zero it; m itself is not freed.  Works on a
 * model built by analyze (strings from its pool) or by hand (every string
 * malloc'd, priv NULL). */
void model_free(hvb_model *m);

/* ---- renderers ---- */
/* text.c: `analyze --text` */
void model_print_text(const hvb_model *m, FILE *f);
int az_write_summary_csv(const hvb_model *m, FILE *f);
int az_write_json(const hvb_model *m, FILE *f);
/* --list-disturbed: one TSV line per disturbed repetition or run (disturb.c). */
int az_write_disturbed_tsv(const hvb_model *m, FILE *f);
/* One CSV escaping function (RFC 4180; a leading = + - @ is left as is:
 * this is CSV, not a spreadsheet cell). */
void az_csv_field(FILE *f, const char *s);
/* The same for a text field of the summary CSV: a leading = + - @ tab CR
 * gets a ' first, so a spreadsheet never takes it for a formula. */
void az_csv_text(FILE *f, const char *s);
void az_json_string(FILE *f, const char *s);

/* ---- import.c: `analyze import fio|iperf3|sysbench FILE --env LABEL` ---- */
int az_import_main(int argc, char **argv);

#endif
