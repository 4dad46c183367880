/*
 * hvb.h - the benchmark harness shared by every program in bench/.
 *
 * A benchmark is one file that ends in a descriptor (hvb_bench): its name, a
 * one-line summary, its own option table and a run function.  The harness
 * parses the common and the benchmark's options from one declarative table,
 * opens the output, writes the environment facts as `info` rows, calls run(),
 * writes the closing facts and exits.  Every result leaves through hvb_row()
 * and friends, which format one complete CSV line (csv-format.md, hvb1) and
 * write it with a single write(2), so a row is either whole on disk or absent,
 * whatever signal arrives.
 *
 * Contract for run(): return 0 when the benchmark ran (even when some
 * repetitions became `fail` rows), non-zero only when nothing could be
 * measured at all; the harness then exits with HVB_EXIT_FAILED.  Long loops
 * should poll hvb_interrupted() and return early.
 */
#ifndef HVB_H
#define HVB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "../version.h"

/* Exit codes of every benchmark binary and of `hvbench`: the shared table
 * common/exit.def (docs/exit-status.md).  A benchmark exits OK when it ran
 * (some rows may be skip rows), FAILED when a fail row was written or run()
 * failed, USAGE before anything is written, OUTPUT when --out cannot be
 * opened or has another header, SIGNAL with the rows so far kept; `hvbench
 * collect` exits MISSING when no such collector is installed. */
#define HVB_EXIT(name, code, meaning) HVB_EXIT_##name = code,
enum {
#include "../common/exit.def"
};
#undef HVB_EXIT

typedef enum {
	HVB_OPT_INT,    /* dest: long long *  ; range [min, max] */
	HVB_OPT_DOUBLE, /* dest: double *     ; range [min, max] */
	HVB_OPT_STR,    /* dest: const char **; no range */
	HVB_OPT_FLAG,   /* dest: int *        ; set to 1 when given */
	HVB_OPT_ONEOF,  /* dest: const char **; one of the values in metavar */
} hvb_opt_type;

/*
 * One entry of a declarative option table; a table ends with {0}.
 * dest holds the default before parsing.  When --quick is given and the
 * option was not, a non-zero `quick` replaces the default (INT/DOUBLE only).
 */
typedef struct hvb_opt {
	const char *name;   /* long name without "--" */
	hvb_opt_type type;
	void *dest;
	double min, max;    /* inclusive range for INT/DOUBLE */
	double quick;       /* value under --quick, 0 = unchanged */
	const char *metavar;/* for --help, e.g. "N" */
	const char *help;
} hvb_opt;
/* A ONEOF option's metavar is the list of its values, '|'-separated
 * ("all|int|fp"), shown as such by --help.  The value is checked at parse
 * time, so a bad one is a usage error (exit 2, nothing written) and run()
 * only ever sees one of the list. */

typedef struct hvb_ctx hvb_ctx;

typedef struct hvb_bench {
	const char *name;     /* "forkbench": binary and `bench` column */
	const char *alias;    /* "fork": `hvbench fork` */
	const char *summary;  /* one line for --help and `hvbench list` */
	const hvb_opt *opts;  /* benchmark's own options, may be NULL */
	int (*run)(hvb_ctx *ctx);
	int not_in_run;       /* 1: left out of `hvbench run` (nullbench) */
	/* Optional: checks that span options (forkbench's start <= end), called
	 * by hvb_parse after every option is set.  Returns 0, or non-zero after
	 * hvb_err() saying what is wrong: a usage error, exit 2, nothing written. */
	int (*check)(void);
} hvb_bench;

/* Common options, read by benchmarks. */
struct hvb_common {
	long long reps;     /* --reps, default 5 (3 under --quick) */
	long long warmup;   /* --warmup, default 1 */
	int quick;          /* --quick */
	const char *env;    /* --env or HVB_ENV; default: detected virt */
	const char *out;    /* --out, NULL = stdout */
	const char *machine;/* --machine or HVB_MACHINE: the physical machine, NULL = not given */
	double target_ci;   /* --target-ci PCT: repeat until the median's 95 % CI is within
			     * +-PCT % (0: the fixed --reps) */
	long long max_reps; /* --max-reps N, 0: 30 with --target-ci, else no cap */
	double max_time;    /* --max-time S per series, 0: no budget */
	int no_disturbance; /* --no-disturbance: no canary, probe or counters */
};

/* ---- parsing, running ---- */
/* Run one benchmark as a program would: parse argv, write CSV, return exit code. */
int hvb_main(const hvb_bench *b, int argc, char **argv);
/* Print the --help text of b to f. */
void hvb_usage(const hvb_bench *b, FILE *f);
/*
 * Parse argv against the common table plus b->opts.  Returns 0, or
 * HVB_EXIT_USAGE after printing "NAME: ..." to stderr; sets *help and *version.
 * Exposed for the unit tests.
 */
int hvb_parse(const hvb_bench *b, int argc, char **argv, struct hvb_common *c,
	      int *help, int *version);
/* Reset the option values of b->opts to their compiled-in defaults. */
void hvb_opts_reset(const hvb_bench *b);

const struct hvb_common *hvb_common(const hvb_ctx *ctx);

/* ---- result rows (csv-format.md).  `params` is "k=v;k=v" sorted by key, may be "" ---- */
void hvb_ok(hvb_ctx *ctx, const char *params, const char *metric, const char *unit,
	    const char *better, int rep, double value);
void hvb_fail(hvb_ctx *ctx, const char *params, const char *metric, const char *unit,
	      const char *better, int rep, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
void hvb_skip(hvb_ctx *ctx, const char *params, const char *metric, const char *unit,
	      const char *better, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void hvb_info_num(hvb_ctx *ctx, const char *params, const char *metric, const char *unit,
		  double value);
void hvb_info_str(hvb_ctx *ctx, const char *params, const char *metric, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Number of fail rows written so far in this process. */
int hvb_fail_count(void);

/*
 * ---- repetitions: the one loop every benchmark measures in ----
 *
 *	hvb_rep it;
 *	hvb_reps_begin(ctx, &it, params);
 *	while (hvb_rep_next(ctx, &it)) {
 *		measure;
 *		hvb_ok(ctx, params, metric, ..., it.rep, value);
 *	}
 *
 * The harness owns the warm-ups (--warmup), the number of repetitions (the
 * fixed --reps, or --target-ci within --max-reps and --max-time), the canary
 * before and after each repetition and the counters around it; it writes the
 * repetition's dist_* rows when the next hvb_rep_next() is called, right after
 * the rows the benchmark wrote for it, and the series' stop_reason and
 * ci_halfwidth_pct rows after the last (csv-format.md, "Disturbance rows").
 *
 * Contracts: during a warm-up, it.warmup is 1 and it.rep is 1 (the
 * repetition it precedes); hvb_ok rows of a warm-up are not written, hvb_fail
 * rows are (a failure in a warm-up is real).  The rows of one loop may carry
 * several params (iobench measures every test in each repetition): each
 * params that gets an ok or fail row is a series of its own, with its own
 * dist_* and stop_reason rows; `params` given to hvb_reps_begin is one of
 * them even when no row names it.  --target-ci judges each series by the
 * first metric its ok rows name, and stops when all of them are precise.
 * Only one loop is open at a time: hvb_reps_begin closes an open one, and so
 * does the harness when run() returns; hvb_reps_end closes it early (a failure
 * that will not go away), noting why.  Worker threads created inside a
 * repetition call hvb_thread_begin() first and hvb_thread_end() last, so that
 * their run-queue wait is counted after they are gone.
 */
typedef struct hvb_rep {
	int rep;    /* the repetition's number, 1..N; 1 during the warm-ups */
	int warmup; /* 1 during a warm-up repetition */
} hvb_rep;
void hvb_reps_begin(hvb_ctx *ctx, hvb_rep *it, const char *params);
int hvb_rep_next(hvb_ctx *ctx, hvb_rep *it);
void hvb_reps_end(hvb_ctx *ctx, hvb_rep *it, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * The open loop's tasks share a CPU by design (a ping-pong pinned to one CPU,
 * a process tree, a loopback client and server): their run-queue wait is
 * what the benchmark measures, not a disturbance.  Call it after
 * hvb_reps_begin; each repetition's dist_runq_pct then comes with a
 * dist_runq_shared row (value 1), and the analyzer's run-queue rule does not
 * judge the series (docs/analyzer.md, "Disturbed").
 */
void hvb_reps_share_cpu(hvb_ctx *ctx);
/*
 * The open repetition's worker threads did equal, independent work (cpubench
 * threads=N: events in a fixed time; membench threads=N: equal slices, so
 * the least time in the kernels over the most): balance = the least work
 * one of them did over the most, in
 * [0, 1], 1 when even.  A vCPU that the hypervisor takes from the guest
 * without reporting steal slows the threads on it alone, while the guest's
 * counters say they ran; their imbalance shows it.  Written as the
 * repetition's dist_thread_balance row (csv-format.md); the analyzer's
 * balance rule judges it against its series' median.
 */
void hvb_rep_balance(hvb_ctx *ctx, double balance);
void hvb_thread_begin(void);
void hvb_thread_end(void);
/* The canary once: its wall time in ns (bench/disturb.c). */
double hvb_canary_ns(void);
/*
 * The median of v[0..n) and its distribution-free 95 % confidence interval
 * from order statistics: [x(j), x(n+1-j)] with j the largest rank such that
 * P(Binomial(n, 1/2) < j) <= 2.5 %.  0, or -1 when n < 6 (no such j).
 */
int hvb_median_ci(const double *v, size_t n, double *median, double *lo, double *hi);

/* ---- the CSV: the one hvb1 writer, shared with analyze import ---- */
#include "../common/hvb1.h"

/* ---- timing ---- */
uint64_t hvb_now_ns(void);          /* CLOCK_MONOTONIC in ns */
double hvb_now(void);               /* CLOCK_MONOTONIC in s */
double hvb_timer_resolution_ns(void); /* measured smallest non-zero step */
double hvb_timer_cost_ns(void);      /* measured cost of one clock_gettime */

/* ---- statistics helpers for benchmarks that take many samples ---- */
int hvb_cmp_double(const void *a, const void *b);
/* Percentile (0..100) of a sorted array, linear interpolation. */
double hvb_percentile(const double *sorted, size_t n, double pct);

/* ---- progress, errors, signals ---- */
/* Progress text on stderr, only when stderr is a terminal. */
void hvb_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "NAME: message\n" on stderr. */
void hvb_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Non-zero once SIGINT/SIGTERM arrived. */
int hvb_interrupted(void);
/* Temporary files removed on exit and on SIGINT/SIGTERM (at most 16). */
void hvb_tmp_add(const char *path);
void hvb_tmp_remove(const char *path); /* unlink now and forget */
/* Number of online CPUs. */
int hvb_ncpus(void);
/* Pin the calling thread/process to cpu; 0 or -1 (errno set). */
int hvb_pin(int cpu);

/* ---- the benchmark list (benches.h), for the multi-call binary ---- */
extern const hvb_bench *const hvb_benches[];
extern const size_t hvb_nbenches;

#endif
