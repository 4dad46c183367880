/*
 * nullbench.c - measures nothing.  It exercises the harness and the whole
 * pipeline (options, CSV writer, info rows, analyzer) with deterministic
 * values, like fio's null engine: value = --value for every repetition, so a
 * test knows exactly what must come out.  --fail-rep N turns repetition N
 * into a fail row; --sleep-ms keeps it busy (signal tests).
 */
#include <time.h>

#include "hvb.h"

static double value = 1.0;
static long long fail_rep = 0, sleep_ms = 0;

static const hvb_opt opts[] = {
	{ "value", HVB_OPT_DOUBLE, &value, -1e300, 1e300, 0, "X", "value every repetition reports" },
	{ "fail-rep", HVB_OPT_INT, &fail_rep, 0, 100000, 0, "N", "make repetition N a fail row (0: none)" },
	{ "sleep-ms", HVB_OPT_INT, &sleep_ms, 0, 600000, 0, "MS", "sleep this long per repetition" },
	{ 0 }
};

static int null_run(hvb_ctx *ctx)
{
	const struct hvb_common *c = hvb_common(ctx);
	for (long long r = 1; r <= c->reps && !hvb_interrupted(); r++) {
		if (sleep_ms) {
			struct timespec ts = { sleep_ms / 1000, (sleep_ms % 1000) * 1000000L };
			nanosleep(&ts, NULL);
		}
		if (r == fail_rep)
			hvb_fail(ctx, "", "null_value", "count", "higher", (int)r,
				 "requested by --fail-rep %lld", fail_rep);
		else
			hvb_ok(ctx, "", "null_value", "count", "higher", (int)r, value);
	}
	return 0;
}

const hvb_bench nullbench_bench = {
	.name = "nullbench",
	.alias = "null",
	.summary = "Measure nothing: constant values, to test the harness and the pipeline.",
	.opts = opts,
	.run = null_run,
	.not_in_run = 1,
};
