/*
 * test_bench_harness.c - the harness's pure parts, table-driven: option
 * parsing against the declarative tables (common and a benchmark's), the CSV
 * escaping function, percentiles, the order-statistic CI of the median; and
 * the repetition loop end to end through nullbench, whose --values make the
 * series known in advance: the fixed --reps, --target-ci stopping on a
 * synthetic sequence, --max-reps, --max-time, the stop_reason and dist_* rows.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hvb.h"
#include "t.h"

extern const hvb_bench forkbench_bench, nullbench_bench, cpubench_bench;

/* A ONEOF option takes exactly one of its listed values (not a prefix, not
 * empty), at parse time. */
static void oneof(void)
{
	static const struct {
		const char *val;
		int rc;
	} t[] = {
		{ "all", 0 }, { "primes", 0 }, { "int", 0 }, { "fp", 0 },
		{ "foo", HVB_EXIT_USAGE }, { "prime", HVB_EXIT_USAGE }, { "primesx", HVB_EXIT_USAGE },
		{ "", HVB_EXIT_USAGE }, { "all|int", HVB_EXIT_USAGE }, { "|", HVB_EXIT_USAGE },
		{ "INT", HVB_EXIT_USAGE },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char *argv[] = { "cpubench", "--kernel", (char *)t[i].val, NULL };
		struct hvb_common c;
		int help, version;
		char name[128];
		snprintf(name, sizeof name, "cpubench --kernel \"%s\"", t[i].val);
		T_INTEQ(name, hvb_parse(&cpubench_bench, 3, argv, &c, &help, &version), t[i].rc);
	}
}

static void options(void)
{
	static const struct {
		const char *args;  /* space-separated, "|" stands for an empty field */
		int rc;
		long long reps;
		int quick;
	} t[] = {
		{ "", 0, 5, 0 },
		{ "--reps 7", 0, 7, 0 },
		{ "--reps=9", 0, 9, 0 },
		{ "--quick", 0, 3, 1 },
		{ "--quick --reps 10", 0, 10, 1 },
		{ "--reps 0", HVB_EXIT_USAGE, 0, 0 },
		{ "--reps 12x", HVB_EXIT_USAGE, 0, 0 },
		{ "--reps", HVB_EXIT_USAGE, 0, 0 },
		{ "--reps 99999999999999999999", HVB_EXIT_USAGE, 0, 0 },
		{ "--bogus", HVB_EXIT_USAGE, 0, 0 },
		{ "stray", HVB_EXIT_USAGE, 0, 0 },
		{ "--quick=1", HVB_EXIT_USAGE, 0, 0 },
		{ "--start 5 --end 9", 0, 5, 0 },
		{ "--end 2000000000", HVB_EXIT_USAGE, 0, 0 },
		/* The range spans two options: forkbench's check(), still parse time. */
		{ "--end -1", HVB_EXIT_USAGE, 0, 0 },
		{ "--start 10 --end 9", HVB_EXIT_USAGE, 0, 0 },
		{ "--start 0 --end 65536", HVB_EXIT_USAGE, 0, 0 },
		{ "--start 0 --end 65535", 0, 5, 0 },
		{ "--start -3 --end -3", 0, 5, 0 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char buf[256], *argv[16];
		int argc = 0;
		argv[argc++] = "forkbench";
		snprintf(buf, sizeof buf, "%s", t[i].args);
		for (char *tok = strtok(buf, " "); tok && argc < 15; tok = strtok(NULL, " "))
			argv[argc++] = tok;
		argv[argc] = NULL;
		struct hvb_common c;
		int help, version;
		char name[128];
		snprintf(name, sizeof name, "parse \"%s\"", t[i].args);
		int rc = hvb_parse(&forkbench_bench, argc, argv, &c, &help, &version);
		T_INTEQ(name, rc, t[i].rc);
		if (rc == 0 && t[i].rc == 0) {
			snprintf(name, sizeof name, "parse \"%s\": reps", t[i].args);
			T_INTEQ(name, c.reps, t[i].reps);
			snprintf(name, sizeof name, "parse \"%s\": quick", t[i].args);
			T_INTEQ(name, c.quick, t[i].quick);
		}
	}
	/* --quick changes a benchmark option's default unless it was given. */
	struct hvb_common c;
	int help, version;
	char *a1[] = { "forkbench", "--quick", NULL };
	hvb_parse(&forkbench_bench, 2, a1, &c, &help, &version);
	char out[4096];
	FILE *m = fmemopen(out, sizeof out, "w");
	hvb_usage(&forkbench_bench, m);
	fclose(m);
	T_CHECK("--help lists bench options with defaults", strstr(out, "--end N") && strstr(out, "[1024]"),
		"usage text: %.200s", out);
	T_CHECK("--help lists common options", strstr(out, "--reps N") && strstr(out, "--out FILE"),
		"usage text lacks common options");
	char *a2[] = { "forkbench", "--help", NULL };
	hvb_parse(&forkbench_bench, 2, a2, &c, &help, &version);
	T_INTEQ("--help sets help", help, 1);
	setenv("HVB_ENV", "from-env", 1);
	char *a3[] = { "nullbench", NULL };
	hvb_parse(&nullbench_bench, 1, a3, &c, &help, &version);
	T_STREQ("HVB_ENV is the default --env", c.env, "from-env");
	char *a4[] = { "nullbench", "--env", "given", NULL };
	hvb_parse(&nullbench_bench, 3, a4, &c, &help, &version);
	T_STREQ("--env beats HVB_ENV", c.env, "given");
	unsetenv("HVB_ENV");
}

static void csv_escape(void)
{
	static const struct { const char *in, *out; } t[] = {
		{ "plain", "plain" },
		{ "", "" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "two\nlines", "\"two\nlines\"" },
		{ "cr\rhere", "\"cr\rhere\"" },
		{ "=1+2", "=1+2" }, /* CSV is data; formula guarding is the spreadsheet writer's job */
		{ "\"", "\"\"\"\"" },
		{ "ünïcödé", "ünïcödé" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char buf[64] = "", name[96];
		size_t len = 0;
		int rc = hvb1_field(buf, sizeof buf, &len, t[i].in);
		snprintf(name, sizeof name, "csv field %zu", i);
		T_CHECK(name, rc == 0 && strcmp(buf, t[i].out) == 0 && len == strlen(t[i].out),
			"got [%s] want [%s]", buf, t[i].out);
	}
	char small[6] = "";
	size_t len = 0;
	T_INTEQ("csv field too long refused", hvb1_field(small, sizeof small, &len, "a,bcdef"), -1);
	T_INTEQ("csv field too long leaves buffer", (long long)len, 0);
}

static void percentiles(void)
{
	double s[] = { 1, 2, 3, 4, 5 };
	T_NEAR("p50 odd", hvb_percentile(s, 5, 50), 3, 1e-12);
	T_NEAR("p0", hvb_percentile(s, 5, 0), 1, 1e-12);
	T_NEAR("p100", hvb_percentile(s, 5, 100), 5, 1e-12);
	T_NEAR("p25 interpolated", hvb_percentile(s, 4, 50), 2.5, 1e-12);
	T_NEAR("p99 of one", hvb_percentile(s, 1, 99), 1, 1e-12);
	T_CHECK("timer resolution positive", hvb_timer_resolution_ns() > 0, "not positive");
	double cost = hvb_timer_cost_ns();
	T_CHECK("timer cost plausible", cost > 0 && cost < 100000, "%g ns", cost);
}

/* The order-statistic CI: ranks from the binomial table (n = 6..8: the
 * extremes; 9, 10: the second; 20: 6th and 15th; 30: 10th and 21st; 100:
 * 40th and 61st), on 1..n shuffled so that the function must sort. */
static void median_ci(void)
{
	static const struct { size_t n; double lo, hi, med; } t[] = {
		{ 6, 1, 6, 3.5 }, { 7, 1, 7, 4 }, { 8, 1, 8, 4.5 }, { 9, 2, 8, 5 },
		{ 10, 2, 9, 5.5 }, { 20, 6, 15, 10.5 }, { 30, 10, 21, 15.5 }, { 100, 40, 61, 50.5 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		double v[100], m = 0, lo = 0, hi = 0;
		for (size_t k = 0; k < t[i].n; k++)
			v[k] = (double)((k * 37 + 11) % t[i].n + 1); /* a permutation of 1..n (gcd(37, n) = 1) */
		char name[96];
		snprintf(name, sizeof name, "median CI n=%zu", t[i].n);
		int rc = hvb_median_ci(v, t[i].n, &m, &lo, &hi);
		T_CHECK(name, rc == 0 && lo == t[i].lo && hi == t[i].hi && m == t[i].med,
			"rc %d, [%g, %g] median %g; want [%g, %g] median %g", rc, lo, hi, m, t[i].lo,
			t[i].hi, t[i].med);
	}
	double v[5] = { 1, 2, 3, 4, 5 }, m, lo, hi;
	T_INTEQ("median CI n=5 refused (fewer than 6)", hvb_median_ci(v, 5, &m, &lo, &hi), -1);
}

/* ---- the repetition loop, through nullbench into a file ---- */

/* s as an integer in [lo, hi], else -1 (no atoi: "2x" is not 2). */
static int atoi_ok(const char *s, int lo, int hi)
{
	char *end;
	long v = strtol(s, &end, 10);
	return end != s && !*end && v >= lo && v <= hi ? (int)v : -1;
}

#define MAX_ROWS 4096
static struct row { char params[64], metric[48], unit[16], rep[8], value[32], status[8], note[256]; } rows[MAX_ROWS];
static int nrows;

/* The hvb1 columns in the writer's order; the note is the rest of the line. */
static void read_rows(const char *path)
{
	char line[1024];
	FILE *f = fopen(path, "r");
	nrows = 0;
	if (!f)
		return;
	while (fgets(line, sizeof line, f) && nrows < MAX_ROWS) {
		line[strcspn(line, "\n")] = 0;
		char *field[16] = { 0 }, *p = line;
		int n = 0;
		for (; n < 15 && p; n++) {
			field[n] = p;
			p = strchr(p, ',');
			if (p)
				*p++ = 0;
		}
		field[15] = p ? p : "";
		if (n < 15 || strcmp(field[0], "hvb1") != 0)
			continue;
		struct row *r = &rows[nrows++];
		snprintf(r->params, sizeof r->params, "%s", field[8]);
		snprintf(r->metric, sizeof r->metric, "%s", field[9]);
		snprintf(r->unit, sizeof r->unit, "%s", field[10]);
		snprintf(r->rep, sizeof r->rep, "%s", field[12]);
		snprintf(r->value, sizeof r->value, "%s", field[13]);
		snprintf(r->status, sizeof r->status, "%s", field[14]);
		snprintf(r->note, sizeof r->note, "%s", field[15]);
	}
	fclose(f);
}

static int count(const char *metric, const char *status)
{
	int n = 0;
	for (int i = 0; i < nrows; i++)
		n += strcmp(rows[i].metric, metric) == 0 && strcmp(rows[i].status, status) == 0;
	return n;
}

static const struct row *find(const char *metric)
{
	for (int i = 0; i < nrows; i++)
		if (strcmp(rows[i].metric, metric) == 0)
			return &rows[i];
	return NULL;
}

/* nullbench with args (space-separated) into a fresh file, then read it.
 * Returns hvb_main's exit status. */
static int null_run(const char *args)
{
	static char path[256];
	char buf[512], *argv[32];
	int argc = 0;
	snprintf(path, sizeof path, "%s/hvb-harness-test.%ld.csv", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		 (long)getpid());
	unlink(path);
	snprintf(buf, sizeof buf, "%s --out %s", args, path);
	argv[argc++] = "nullbench";
	for (char *tok = strtok(buf, " "); tok && argc < 31; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	int rc = hvb_main(&nullbench_bench, argc, argv);
	read_rows(path);
	unlink(path);
	return rc;
}

/* The ok rows' reps and values, "rep=value;..." */
static const char *ok_series(void)
{
	static char out[2048];
	size_t k = 0;
	out[0] = 0;
	for (int i = 0; i < nrows && k + 64 < sizeof out; i++)
		if (strcmp(rows[i].status, "ok") == 0)
			k += (size_t)snprintf(out + k, sizeof out - k, "%s%s=%s", k ? ";" : "", rows[i].rep,
					      rows[i].value);
	return out;
}

static void rep_loop(void)
{
	static const struct {
		const char *args;
		const char *oks;      /* the ok rows, rep=value */
		const char *stop;     /* stop_reason value (repetitions measured) */
		const char *keyword;  /* the note's first word */
		const char *ci;       /* ci_halfwidth_pct value, NULL: no such row */
	} t[] = {
		/* Fixed --reps: warm-ups take no value and write no row. */
		{ "--reps 4 --warmup 2 --values 1,2,3,4,5", "1=1;2=2;3=3;4=4", "4", "reps:", NULL },
		{ "--reps 6 --warmup 0 --values 10,10,10,10,10,11", "1=10;2=10;3=10;4=10;5=10;6=11",
		  "6", "reps:", "10" },
		/* --target-ci 1 on 100,130,70,100,...: the CI is [min, max] (+-30 %)
		 * up to 8 values; from 9 it is [x(2), x(8)] = [100, 100]. */
		{ "--target-ci 1 --values 100,130,70,100,100,100,100,100,100,100,100,100",
		  "1=100;2=130;3=70;4=100;5=100;6=100;7=100;8=100;9=100", "9", "target:", "0" },
		/* ... unless the budget ends first. */
		{ "--target-ci 1 --max-reps 7 --values 100,130,70,100,100,100,100,100,100,100",
		  "1=100;2=130;3=70;4=100;5=100;6=100;7=100", "7", "max-reps:", "30" },
		/* A steady series stops at the 6 a CI needs, --reps being smaller ... */
		{ "--target-ci 5 --reps 3 --value 2", "1=2;2=2;3=2;4=2;5=2;6=2", "6", "target:", "0" },
		/* ... or at --reps when that is larger. */
		{ "--target-ci 5 --reps 8 --value 2", "1=2;2=2;3=2;4=2;5=2;6=2;7=2;8=2", "8", "target:", "0" },
		/* --max-reps below --reps cuts the fixed count. */
		{ "--reps 5 --max-reps 2 --value 1", "1=1;2=1", "2", "max-reps:", NULL },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char name[160], args[256];
		snprintf(args, sizeof args, "%s --no-disturbance", t[i].args);
		int rc = null_run(args);
		snprintf(name, sizeof name, "loop \"%s\": exit", t[i].args);
		T_INTEQ(name, rc, HVB_EXIT_OK);
		snprintf(name, sizeof name, "loop \"%s\": ok rows", t[i].args);
		T_STREQ(name, ok_series(), t[i].oks);
		const struct row *st = find("stop_reason");
		snprintf(name, sizeof name, "loop \"%s\": stop_reason", t[i].args);
		T_CHECK(name, st && count("stop_reason", "info") == 1 && strcmp(st->value, t[i].stop) == 0 &&
			strncmp(st->note, t[i].keyword, strlen(t[i].keyword)) == 0 && !st->rep[0],
			"got %d rows, value '%s', note '%s'; want value %s, note %s...",
			count("stop_reason", "info"), st ? st->value : "", st ? st->note : "", t[i].stop,
			t[i].keyword);
		const struct row *ci = find("ci_halfwidth_pct");
		snprintf(name, sizeof name, "loop \"%s\": ci_halfwidth_pct", t[i].args);
		if (t[i].ci)
			T_CHECK(name, ci && strcmp(ci->value, t[i].ci) == 0 && strcmp(ci->unit, "%") == 0,
				"got '%s', want %s", ci ? ci->value : "(no row)", t[i].ci);
		else
			T_CHECK(name, !ci, "got a row '%s', want none", ci->value);
		snprintf(name, sizeof name, "loop \"%s\": --no-disturbance writes no dist_* or capacity rows",
			 t[i].args);
		T_INTEQ(name, count("dist_wall_s", "info") + count("dist_canary_ns", "info") +
			count("capacity_cpus", "info"), 0);
	}

	/* --max-time: 50 ms repetitions against a 0.12 s budget stop after 2 or 3
	 * (3 at the latest: 150 ms; 1 only if the first took 120 ms). */
	int rc = null_run("--reps 100 --warmup 0 --sleep-ms 50 --max-time 0.12 --no-disturbance");
	const struct row *st = find("stop_reason");
	T_CHECK("loop --max-time 0.12: stops on the budget after 1-3 repetitions",
		rc == 0 && st && strncmp(st->note, "max-time:", 9) == 0 && atoi_ok(st->value, 1, 3) &&
		count("null_value", "ok") == atoi_ok(st->value, 1, 3),
		"exit %d, value '%s', note '%s', %d ok rows", rc, st ? st->value : "", st ? st->note : "",
		count("null_value", "ok"));

	/* With the counters on: one set of dist_* rows per repetition, with its
	 * rep, after its ok row; the probe's rows once. */
	rc = null_run("--reps 3 --warmup 1 --values 5");
	T_INTEQ("loop with counters: exit", rc, 0);
	int ordered = 1;
	for (int r = 1; r <= 3; r++) {
		char rep[8];
		snprintf(rep, sizeof rep, "%d", r);
		int ok_at = -1, wall_at = -1, canary_at = -1;
		for (int i = 0; i < nrows; i++) {
			if (strcmp(rows[i].rep, rep) != 0)
				continue;
			if (strcmp(rows[i].status, "ok") == 0)
				ok_at = i;
			if (strcmp(rows[i].metric, "dist_wall_s") == 0 && strcmp(rows[i].status, "info") == 0)
				wall_at = i;
			if (strcmp(rows[i].metric, "dist_canary_ns") == 0 && strtod(rows[i].value, NULL) > 0)
				canary_at = i;
		}
		ordered &= ok_at >= 0 && wall_at > ok_at && canary_at > ok_at;
	}
	T_CHECK("loop with counters: dist_wall_s and dist_canary_ns after each repetition's ok row",
		ordered && count("dist_wall_s", "info") == 3 && count("dist_canary_ns", "info") == 3,
		"%d dist_wall_s, %d dist_canary_ns rows", count("dist_wall_s", "info"),
		count("dist_canary_ns", "info"));
	const struct row *cap = find("capacity_cpus"), *thr = find("capacity_threads");
	T_CHECK("loop with counters: capacity_cpus in (0, capacity_threads + 0.5]",
		cap && thr && count("capacity_cpus", "info") == 1 && strtod(cap->value, NULL) > 0 &&
		strtod(cap->value, NULL) <= strtod(thr->value, NULL) + 0.5 &&
		strtod(thr->value, NULL) == (double)hvb_ncpus(),
		"capacity_cpus '%s', capacity_threads '%s'", cap ? cap->value : "", thr ? thr->value : "");
	T_CHECK("loop with counters: canary_ref_ns positive", find("canary_ref_ns") &&
		strtod(find("canary_ref_ns")->value, NULL) > 0, "no positive canary_ref_ns");

	/* Bad values of the new options are usage errors, nothing written. */
	static const char *const bad[] = { "--target-ci -1", "--target-ci 101", "--max-reps -2",
					   "--max-time x", "--values 1,,2", "--values 1,x", "--no-disturbance=1" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char name[96];
		snprintf(name, sizeof name, "nullbench %s: usage error", bad[i]);
		T_INTEQ(name, null_run(bad[i]), HVB_EXIT_USAGE);
	}

	/* A fail row is a repetition without a value: the CI waits for 6 values.
	 * Last, as the process's fail count makes every later exit status 1. */
	rc = null_run("--target-ci 5 --fail-rep 2 --value 3 --no-disturbance");
	st = find("stop_reason");
	T_CHECK("loop --fail-rep 2 --target-ci 5: 7 repetitions, 6 values, exit 1",
		rc == HVB_EXIT_FAILED && strcmp(ok_series(), "1=3;3=3;4=3;5=3;6=3;7=3") == 0 &&
		count("null_value", "fail") == 1 && st && strcmp(st->value, "7") == 0 &&
		strncmp(st->note, "target:", 7) == 0,
		"exit %d, ok rows %s, stop_reason '%s' '%s'", rc, ok_series(), st ? st->value : "",
		st ? st->note : "");
}

int main(void)
{
	options();
	oneof();
	csv_escape();
	percentiles();
	median_ci();
	rep_loop();
	return t_exit();
}
