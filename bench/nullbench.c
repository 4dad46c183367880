/*
 * nullbench.c - measures nothing.  It exercises the harness and the whole
 * pipeline (options, CSV writer, info rows, repetition loop, analyzer) with
 * deterministic values, like fio's null engine: value = --value for every
 * repetition, or repetition r takes the r-th of --values (cycling), so a test
 * knows exactly what must come out, --target-ci's stopping point included.
 * --fail-rep N turns repetition N into a fail row; --sleep-ms keeps it busy
 * (signal tests).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "hvb.h"

static double value = 1.0;
static long long fail_rep = 0, sleep_ms = 0;
static const char *values_list;

#define MAX_VALUES 256
static double values[MAX_VALUES];
static int nvalues;

/* --values "1,2.5,3": parsed at parse time, so a bad list is a usage error. */
static int null_check(void)
{
	nvalues = 0;
	if (!values_list)
		return 0;
	const char *p = values_list;
	for (;;) {
		char *end;
		errno = 0;
		double v = strtod(p, &end);
		if (errno || end == p || !isfinite(v) || (*end && *end != ',')) {
			hvb_err("--values: \"%s\" is not a comma-separated list of numbers (at \"%s\")",
				values_list, p);
			return 1;
		}
		if (nvalues == MAX_VALUES) {
			hvb_err("--values: more than %d values", MAX_VALUES);
			return 1;
		}
		values[nvalues++] = v;
		if (!*end)
			return 0;
		p = end + 1;
	}
}

static const hvb_opt opts[] = {
	{ "value", HVB_OPT_DOUBLE, &value, -1e300, 1e300, 0, "X", "value every repetition reports" },
	{ "values", HVB_OPT_STR, &values_list, 0, 0, 0, "X,Y,...",
	  "repetition r reports the r-th of these (cycling), instead of --value" },
	{ "fail-rep", HVB_OPT_INT, &fail_rep, 0, 100000, 0, "N", "make repetition N a fail row (0: none)" },
	{ "sleep-ms", HVB_OPT_INT, &sleep_ms, 0, 600000, 0, "MS", "sleep this long per repetition" },
	{ 0 }
};

static int null_run(hvb_ctx *ctx)
{
	hvb_rep it;
	if (null_check())
		return 1;
	hvb_reps_begin(ctx, &it, "");
	while (hvb_rep_next(ctx, &it)) {
		if (sleep_ms) {
			struct timespec ts = { sleep_ms / 1000, (sleep_ms % 1000) * 1000000L };
			nanosleep(&ts, NULL);
		}
		double v = nvalues ? values[(it.rep - 1) % nvalues] : value;
		if (it.rep == fail_rep && !it.warmup)
			hvb_fail(ctx, "", "null_value", "count", "higher", it.rep,
				 "requested by --fail-rep %lld", fail_rep);
		else
			hvb_ok(ctx, "", "null_value", "count", "higher", it.rep, v);
	}
	return 0;
}

const hvb_bench nullbench_bench = {
	.name = "nullbench",
	.alias = "null",
	.summary = "Measure nothing: constant values, to test the harness and the pipeline.",
	.opts = opts,
	.run = null_run,
	.check = null_check,
	.not_in_run = 1,
};
