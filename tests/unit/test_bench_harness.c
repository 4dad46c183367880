/*
 * test_bench_harness.c - the harness's pure parts, table-driven: option
 * parsing against the declarative tables (common and a benchmark's), the CSV
 * escaping function, percentiles.
 */
#include <stdlib.h>
#include <string.h>

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

int main(void)
{
	options();
	oneof();
	csv_escape();
	percentiles();
	return t_exit();
}
