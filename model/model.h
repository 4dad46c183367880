/*
 * model/model.h - the results model: the one contract between the analyzer
 * (analyze/: ingest -> validate -> series -> statistics -> ranking, which
 * builds it) and every renderer (report/: HTML, charts, XLSX; analyze/: text,
 * summary CSV, JSON, which only read it).
 *
 * Ownership: everything is owned by the hvb_model and freed by
 * model_free() (analyze/analyze.h).  Strings are NUL-terminated UTF-8
 * exactly as read from the CSVs: untrusted; every renderer escapes them for its destination.
 * Absent numbers are NAN (never written as such: each renderer shows an
 * empty cell / "n/a").
 */
#ifndef HVB_MODEL_H
#define HVB_MODEL_H

#include <stddef.h>
#include <stdio.h>

/* One raw row as read (kept for the Samples sheet and for evidence). */
typedef struct hvb_row {
	const char *file;      /* input path, shared string */
	long line;             /* 1-based line number in that file */
	char *run, *time, *env, *virt, *container, *host, *bench, *params;
	char *metric, *unit, *better, *status, *note;
	int rep;               /* 0 when empty */
	double value;          /* NAN when empty */
	int omit;              /* 1: not in the Samples sheet (hvb_model.rows_sampled) */
} hvb_row;

/* A row that could not be used, and why ("file:line: column 'value': ..."). */
typedef struct hvb_bad {
	const char *file;
	long line;
	char *message;
} hvb_bad;

/* One input file. */
typedef struct hvb_file {
	char *path;
	char sha256[65];       /* hex digest of the file's bytes as stored (gz too) */
	size_t rows;           /* data rows read */
	size_t bad;            /* rows rejected */
} hvb_file;

/* An environment: the label users compare by, and its facts (from info rows). */
typedef struct hvb_env {
	char *name;
	char *virt, *container;       /* as detected; "mixed" when rows disagree */
	char *cpu_model, *kernel, *os, *host;
	char *clocksource;            /* clocksource_before; "a -> b" if it changed */
	char *cpuid_sig, *dmi_vendor, *dmi_product;
	char *iperf_server;           /* netbench's server (info row iperf_server, the first run's):
				       * "self" (loopback), HOST:PORT or NULL */
	double cpus, mem_mb;          /* NAN when unknown */
	double steal_pct_max;         /* worst steal seen, NAN when unknown */
	size_t rows, ok_rows, fail_rows, skip_rows;
	int is_baseline;
	int color;                    /* fixed index 0..n-1, same in all charts */
	/* Its cost on the collecting host, from its collect runs (hvb_hostrun
	 * below); 0 runs and NAN figures when the CSVs came without sidecars. */
	size_t host_runs;             /* runs with a .meta or a .host.tsv */
	double host_busy_mean;        /* host CPU busy %, all CPUs: mean over runs */
	double host_busy_max;         /* highest one-second sample of any run */
	double host_busy_s;           /* host busy time per run in whole-host seconds
				       * (busy % / 100 * time; mean over runs) */
	double host_cpu_s;            /* the same in CPU-seconds, when every run has
				       * the host's CPU count on record */
	double host_mem_taken_mb;     /* worst run: peak host memory used - at start */
	double host_wall_s;           /* the run's wall time by the host's clock (mean) */
	double clock_skew_pct;        /* the guest's clock against the host's: (sum of
				       * guest - sum of host) / sum of host wall times
				       * of its benchmarks, %; NAN without guest timing */
	size_t clock_benches;         /* benchmarks in that sum */
	/* The physical machine it ran on (analyze/compare.c): the note of its
	 * `hvbench machine` info row, else its host when it is bare metal,
	 * else NULL (unknown: compared with the campaign's baseline). */
	char *machine;
	size_t base_idx;              /* its machine's baseline env; (size_t)-1 none */
	char *group;                  /* hypervisor group pooled across machines
				       * (label stem or --group); NULL with one machine */
} hvb_env;

/* One benchmark of a collect run: its wall time as collect saw it from the
 * host and as the guest's own clock (/proc/uptime) measured it (.meta), and
 * the host's CPU while it ran: the telemetry samples between its first and
 * last row's time stamp (the CSV's time column).  NAN / 0 when absent. */
typedef struct hvb_bench_wall {
	char *bench;
	double host_s, guest_s;
	double t0, t1;                /* epoch seconds of its first and last row */
	size_t samples;               /* telemetry samples in (t0, t1] */
	double busy_mean;             /* host CPU busy % during it */
} hvb_bench_wall;

/* Host CPU busy while one benchmark ran in one environment, mean over the
 * environment's runs (analyze/hostcost.c); sorted by bench, then env. */
typedef struct hvb_benchcost {
	const char *bench;            /* == a hostrun's walls[].bench */
	size_t env_idx;
	size_t runs;                  /* runs with samples during it */
	double busy_mean;             /* host CPU busy % */
	double secs;                  /* its duration by the rows' time stamps */
	double busy_host_s;           /* busy_mean / 100 * secs: whole-host seconds */
} hvb_benchcost;

/* One collect run: the sidecars collect writes beside <base>.csv
 * (docs/collect.md): <base>.meta (key=value record of the run) and
 * <base>.host.tsv (the collecting host's /proc, one line a second).
 * Read by analyze/hostcost.c unless --no-sidecars. */
typedef struct hvb_hostrun {
	const char *csv;              /* == files[i].path of the CSV it belongs to */
	size_t env_idx;               /* (size_t)-1: the CSV holds several envs */
	char *meta_path, *tsv_path;   /* NULL when that sidecar is absent */
	char meta_sha256[65], tsv_sha256[65];
	char *collector, *under_load, *benches_missing, *telemetry_host;
	int exit_status;              /* collect's exit status; -1 unknown */
	double wall_s;                /* .meta wall_s: the whole run, host clock */
	double host_cpus;             /* CPUs the busy % are of; NAN: not recorded */
	size_t samples;               /* telemetry lines used */
	size_t bad_lines;             /* lines of either sidecar not used (warned) */
	char *problem;                /* the first of them, "file:line: why"; or NULL */
	double busy_mean, busy_max;   /* host CPU busy %, NAN without telemetry */
	double span_s;                /* time the telemetry covers */
	double busy_host_s;           /* busy_mean / 100 * span_s: whole-host seconds */
	double cpu_s;                 /* busy_host_s * host_cpus (NAN if unknown) */
	double mem_taken_mb;          /* peak mem_used_mb - first sample's */
	double load1_max, steal_max;  /* of the collecting host */
	hvb_bench_wall *walls;        /* per benchmark, in .meta order, then the
				       * CSV's benchmarks .meta does not name */
	size_t nwalls;
	double *sample_t, *sample_busy; /* the telemetry used: epoch_s, busy % */
} hvb_hostrun;

/* Statistics of one series (env, bench, params, metric) over its ok samples. */
typedef struct hvb_stats {
	size_t n;                     /* samples used (outliers excluded only with --drop-outliers) */
	size_t n_outliers;
	double mean, sd, cv, median, mad, min, max, p5, p95;
	double ci_lo, ci_hi;          /* 95% CI of the mean, Student t; NAN when n < 2 */
} hvb_stats;

/* Comparison of a series with the baseline's series of the same metric. */
typedef struct hvb_cmp {
	int valid;                    /* 0: this is the baseline, or no baseline series */
	double ratio;                 /* oriented: > 1 is better than the baseline */
	double ratio_lo, ratio_hi;    /* 95% CI; NAN when either n == 1 */
	double overhead_pct;          /* (1/ratio - 1) * 100: cost vs baseline, + is worse */
	double p_welch;               /* Welch t-test, NAN when n < 2 on either side */
	double p_mw;                  /* Mann-Whitney U, two-sided */
	int no_ci;                    /* n == 1 on either side: compared without CI */
	/* Paired by round (analyze/paired.c): where this series and the
	 * baseline's have samples from runs of the same collect/plan round
	 * (info rows hvbench/plan and hvbench/round), ratio, ratio_lo, ratio_hi
	 * and overhead_pct above are the paired figures: the geometric mean of
	 * the per-round ratios of medians, CI from their spread (t, k - 1 df).
	 * paired_rounds 0: compared as independent samples (the figures above),
	 * and the fields below but paired_rounds are not meaningful. */
	size_t paired_rounds;         /* rounds the paired figures rest on (>= 2), or 0 */
	size_t paired_plans;          /* distinct plans among those rounds */
	const char *paired_plan;      /* the (first) plan's id, a row string; NULL */
	double p_paired;              /* one-sample t-test of the log ratios against 0 */
	double unpaired_ratio;        /* the independent-sample figures the pairing */
	double unpaired_lo, unpaired_hi; /* replaced (NAN when not paired) */
} hvb_cmp;

typedef struct hvb_series {
	const char *env;              /* == envs[env_idx].name */
	size_t env_idx;
	char *bench, *params, *metric, *unit;
	const char *category;         /* cpu memory disk network process other */
	int better;                   /* +1 higher is better, -1 lower is better */
	double *samples;              /* n_samples values in input order */
	unsigned char *outlier;       /* per sample: modified z-score > 3.5 */
	const hvb_row **sample_rows;  /* per sample: the row it came from */
	size_t n_samples;
	hvb_stats st;
	hvb_cmp cmp;
	int rank;                     /* 1 = best; ties share a rank */
	int rank_tied;                /* 1 when it shares its rank (not significant) */
	/* Scoring (analyze/score.c): 1 when this series counts in its env's
	 * category score; else why not ("diagnostic", "not in the profile",
	 * "fewer than 2 samples", an exclusion's reason, ...). */
	int scored;
	const char *unscored_why;
	size_t base_series;           /* the same metric's series of its machine's
				       * baseline (analyze/compare.c); (size_t)-1 */
	/* What it rests on and why measuring stopped (analyze/stops.c): its
	 * distinct runs and rounds (a plan's (plan, round); a run outside a
	 * plan is a round of its own), and its benchmarks' stop_reason rows
	 * by keyword ("target x4, max-reps x1"), NULL when none was recorded. */
	size_t n_runs, n_rounds;
	char *stop_why;
} hvb_series;

/* A metric compared across environments: indices into series[]. */
typedef struct hvb_metric_group {
	char *bench, *params, *metric, *unit;
	const char *category;         /* the category it is shown (and scored) in */
	int better;
	size_t *series;               /* one per environment that has it, best first */
	size_t n;
	int role;                     /* HVB_HEADLINE, HVB_DIAGNOSTIC, HVB_UNSCORED */
	double weight;                /* its weight in the category score (headline) */
	int profile_line;             /* the scoring profile's line that named it; 0 */
} hvb_metric_group;

enum { HVB_UNSCORED = 0, HVB_HEADLINE = 1, HVB_DIAGNOSTIC = 2 };

/* An environment's score in one category: the weighted geometric mean of
 * the ratios of its headline metrics to its machine's baseline; "overall":
 * the weighted geometric mean of its category scores (analyze/score.c). */
typedef struct hvb_score {
	const char *category;
	size_t env_idx;
	double geomean, lo, hi;       /* > 1 better than baseline; bootstrap 95% CI */
	size_t n_metrics;             /* headline series it rests on */
	size_t n_expected;            /* ... of those its baseline has (and that apply) */
	int complete;                 /* every expected metric (category) is there */
	int rank;                     /* 1 = best; 0: not ranked (incomplete) */
	int rank_tied;                /* shares its rank: CIs of the difference hold 1 */
	const char *machine;          /* == envs[env_idx].machine */
	const char *group;            /* == envs[env_idx].group */
	/* The campaign's noise floor in this category (hvb_aa_score below):
	 * the largest difference its A/A pairs' intervals allow; NAN without a
	 * pair.  within_floor: this score differs from 1 by no more (a tie
	 * with the baseline, whatever its own interval says). */
	double noise_floor;
	int within_floor;
	/* > 0: a stream of this score (its own or its baseline's) rests on
	 * only this many rounds, fewer than 3 (analyze/, AZ_CI_MIN_ROUNDS), so lo and hi
	 * are NAN: a bootstrap over 2 rounds has 3 possible resamples, no
	 * interval ("too few rounds"). */
	size_t few_rounds;
} hvb_score;

/* An A/A pair: two labels of the same environment measured twice
 * (--aa A=B, or collect/plan's aa_pair rows); analyze/score.c,
 * docs/analyzer.md "Noise floor".  Over the headline series both have:
 * the ratio b/a (paired by round where both are in a plan) and its 95% CI. */
typedef struct hvb_aa {
	const char *a, *b;            /* == envs[].name */
	const char *source;           /* "--aa" or "aa_pair row" */
	size_t nseries;               /* headline series compared */
	size_t nexcl;                 /* ... whose 95% CI excludes 1: false positives */
	double fpr;                   /* nexcl / nseries; NAN with none */
	double abs_median, abs_p95, abs_max; /* |ratio - 1| over them */
	double half_median;           /* median CI half-width, (hi - lo) / 2 / ratio */
} hvb_aa;

/* An A/A pair's score ratio b/a in one category (or overall), from the
 * same bootstrap replicates as the scores: the noise floor there. */
typedef struct hvb_aa_score {
	const char *category;
	size_t aa;                    /* index into aa[] */
	double ratio, lo, hi;
	double floor;                 /* max(hi - 1, 1 - lo): the difference noise allows */
} hvb_aa_score;

/* One hypervisor pooled across machines: the geometric mean of its
 * environments' scores (each against its own machine's baseline). */
typedef struct hvb_group_score {
	const char *category;
	const char *group;            /* == an env's group */
	double geomean, lo, hi;
	size_t n_machines, n_envs;
} hvb_group_score;

/* The scoring profile as used (analyze/profile.c; docs/analyzer.md). */
typedef struct hvb_profile_line {
	int line;                     /* in the profile */
	int role;                     /* HVB_HEADLINE or HVB_DIAGNOSTIC; -1: an exclusion */
	char *bench, *metric, *params;/* "*" matches any */
	const char *category;         /* headline and exclusion lines */
	double weight;
	char *when_key, *when_value;  /* exclusion: env fact (virt, container) = value */
	char *reason;                 /* exclusion: why, shown in the verdict */
	size_t matched;               /* metric groups (exclusions: series) it matched */
} hvb_profile_line;

typedef struct hvb_scoring {
	char *profile;                /* its path, or "built-in" */
	hvb_profile_line *lines; size_t nlines;
	char **categories; double *cat_weights; size_t ncategories;
	size_t resamples;             /* bootstrap resamples used */
	unsigned long seed;
	size_t boot_min_units;        /* fewest top-level units (rounds; runs) of a
				       * bootstrap stream; 0: none hierarchical */
	size_t boot_flat_streams;     /* streams from one run: repetitions resampled */
	size_t nmachines;             /* distinct machines (1 when none is named) */
	char **notes; size_t nnotes;  /* "How the score is made", one sentence each,
				       * for every renderer (untrusted labels inside) */
} hvb_scoring;

typedef struct hvb_warning {
	char *kind;                   /* clocksource steal skew cv few-reps signature cpu-model */
	char *env;                    /* may be NULL */
	char *message;                /* one sentence */
	char *evidence;               /* file:line or figures that show it */
	int touches_score;            /* summed up in "What touches the ranking" (hvb_touch) */
	int noise_row;                /* a headline series' cv warning: a row of the
				       * noise table (hvb_noisy), not listed one by one */
} hvb_warning;

/* "What touches the ranking" (analyze/warn.c): at most HVB_TOUCH_MAX lines,
 * each a thing that changed or could change a score or a rank -- series
 * left out, disturbed runs excluded, a baseline substituted, incomplete
 * scores, scores on few rounds, ties by the noise floor -- with its count.
 * Per-series noise is not one of them: it is the noise table below. */
#define HVB_TOUCH_MAX 10
typedef struct hvb_touch {
	const char *kind;             /* excluded few-reps disturbed incomplete baseline
				       * few-rounds noise-floor skew drift capacity */
	char *message;                /* one line with its counts (labels untrusted) */
	size_t count;                 /* what it counts: series, runs, scores, envs */
} hvb_touch;

/* The noise table (analyze/warn.c): one row per headline series whose CV
 * is above the cv warning's threshold, by its weight in its environment's
 * overall score, heaviest first. */
typedef struct hvb_noisy {
	size_t series;                /* index into series[] */
	double weight;                /* its share of the overall score, 0..1
				       * (0: not scored) */
	char *done;                   /* what was done with it, one phrase */
} hvb_noisy;

/* One run of a collect/plan campaign: its in-band info rows bench hvbench,
 * metric plan (note: the plan id) and metric round (value).  Built by
 * analyze/paired.c, sorted by run; strings point into rows[]. */
typedef struct hvb_planrun {
	const char *run, *plan;
	double round;
} hvb_planrun;

/* One run's capacity probe and canary (docs/csv-format.md, "Disturbance
 * rows"): its per-run info rows capacity_cpus, capacity_threads and
 * canary_ref_ns, and the canaries of its repetitions (dist_canary_ns).
 * Built by analyze/disturb.c for every run that has any of these rows,
 * sorted by file then run; strings point into rows[]' pool.  NAN: absent. */
typedef struct hvb_runprobe {
	const char *file, *run;
	size_t env_idx;
	double capacity_cpus;         /* the lowest of its benchmarks' probes */
	double capacity_threads;      /* the threads of that probe */
	const char *capacity_bench;   /* the benchmark whose probe that was */
	double canary_ref_ns;         /* the lowest canary_ref_ns of the run */
	double canary_best_ns;        /* min(canary_ref_ns, every dist_canary_ns) */
	double canary_median_ns;      /* median of its repetitions' dist_canary_ns */
	size_t reps;                  /* repetitions with dist_* rows */
} hvb_runprobe;

/* A disturbed repetition or run (analyze/disturb.c; docs/analyzer.md,
 * "Disturbed repetitions and runs"): what the rule saw, and whether its
 * samples were left out of the statistics and scores (kept: only under
 * --keep-disturbed).  Sorted by file, run, scope, bench, params, rep. */
typedef struct hvb_disturbed {
	const char *file, *run;       /* the run's CSV and run id (row strings) */
	const char *plan;             /* the run's plan, or NULL (not in a plan) */
	double round;                 /* its round in that plan; NAN: none */
	size_t env_idx;
	const char *env;              /* == envs[env_idx].name */
	const char *scope;            /* "rep": one repetition (bench, params, rep);
				       * "category": the run's series of category;
				       * "run": the whole run */
	const char *bench, *params;   /* scope rep: the repetition's series; else NULL */
	int rep;                      /* scope rep: its number; else 0 */
	const char *category;         /* scope category: the category; else NULL */
	const char *rule;             /* runq, steal, throttled, balance, canary (a repetition),
				       * run-canary (a run, by its canary),
				       * data (a run, by its headline values) */
	double amount;                /* the figure the rule judged: dist_runq_pct,
				       * dist_steal_pct, dist_throttled; for canary,
				       * run-canary and data how many times slower
				       * (1.30: takes 30 % longer), for data the
				       * least slowed of the category's series */
	double threshold;             /* the rule's threshold on amount */
	double z;                     /* run-canary, data: the modified z-score
				       * (data: the least extreme over its series);
				       * NAN for a repetition */
	size_t series;                /* data: headline series it was judged on */
	size_t samples;               /* ok samples it covers */
	int kept;                     /* 1: --keep-disturbed (samples still used) */
} hvb_disturbed;

typedef struct hvb_model {
	hvb_file *files;        size_t nfiles;
	/* The raw rows report/ needs (analyze/build.c make_rows()): every row
	 * when the plan time-series charts need each sample's row, else only
	 * the XLSX Samples sheet's -- all of them, or, past --xlsx-samples, an
	 * even sample of each series (rows_sampled; rows not in the sheet have
	 * omit = 1).  None for the summary CSV, JSON and text. */
	hvb_row *rows;          size_t nrows;
	size_t nrows_read;      /* data rows read (after duplicates); 0: nrows */
	size_t rows_sampled;    /* > 0: the Samples sheet holds this many of nrows_read */
	hvb_bad *bad;           size_t nbad;
	hvb_env *envs;          size_t nenvs;
	hvb_series *series;     size_t nseries;
	hvb_metric_group *groups; size_t ngroups;
	hvb_score *scores;      size_t nscores;   /* categories then "overall" */
	hvb_group_score *group_scores; size_t ngroup_scores; /* several machines only */
	hvb_scoring scoring;
	hvb_warning *warnings;  size_t nwarnings;
	hvb_hostrun *hostruns;  size_t nhostruns; /* in files[] order */
	hvb_benchcost *benchcosts; size_t nbenchcosts;
	hvb_planrun *planruns;  size_t nplanruns; /* runs of a plan; NULL until built */
	hvb_aa *aa;             size_t naa;        /* A/A pairs (score.c) */
	hvb_aa_score *aa_scores; size_t naa_scores; /* per pair and category, overall */
	hvb_runprobe *runprobes; size_t nrunprobes; /* runs with probe or canary rows */
	hvb_disturbed *disturbed; size_t ndisturbed; /* disturbed repetitions and runs */
	int kept_disturbed;     /* --keep-disturbed was given */
	const char *baseline;   /* env name, or NULL: absolute comparison only */
	const char *baseline_why; /* "virt=none and container=none", "--baseline", ... */
	int dropped_outliers;   /* --drop-outliers was given */
	char *generated;        /* UTC time the model was built, ISO 8601 */
	const char *const *categories; size_t ncategories; /* in display order */
	/* Added by the analyzer: its private state (string pool owning every
	 * hvb_row string, growth capacities).  NULL in a model built by hand;
	 * model_free() (analyze/model.c) then frees each row's strings itself. */
	void *priv;
	hvb_touch *touches;     size_t ntouches;  /* "What touches the ranking" */
	hvb_noisy *noisy;       size_t nnoisy;    /* the noise table */
	double noisy_cv;        /* its CV threshold (the cv warning's); 0: none */
} hvb_model;

#endif
