/*
 * test_analyze_dedup.c - duplicate rows (issue 11 item 5): an ok row that
 * repeats the run, bench, params, metric and rep of an earlier one is counted
 * once, and the environment gets one "duplicate" warning naming both rows.
 * Table-driven: each case is CSV files in, n of the series and the warning out.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "t.h"

#define HDR "schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note\n"
#define R(run, env, params, rep, v) "hvb1," run ",2026-11-22T00:00:00Z," env ",kvm,none,h,cpubench," params \
	",events_per_s,events/s,higher," rep "," v ",ok,\n"

static const struct dcase {
	const char *name;
	const char *a, *b;        /* two files, b may be NULL */
	size_t n;                 /* samples of env kvm's series (params threads=1) */
	size_t warnings;          /* "duplicate" warnings */
	const char *message, *evidence;   /* substrings of the first one */
} cases[] = {
	{ "no duplicates", HDR R("r1", "kvm", "threads=1", "1", "10") R("r1", "kvm", "threads=1", "2", "11")
	  R("r1", "kvm", "threads=1", "3", "12"), NULL, 3, 0, NULL, NULL },
	{ "a file copied beside itself", HDR R("r1", "kvm", "threads=1", "1", "10") R("r1", "kvm", "threads=1", "2", "11")
	  R("r1", "kvm", "threads=1", "3", "12"),
	  HDR R("r1", "kvm", "threads=1", "1", "10") R("r1", "kvm", "threads=1", "2", "11") R("r1", "kvm", "threads=1", "3", "12"),
	  3, 1, "3 duplicate rows (the same run, bench, params, metric and rep as an earlier row) counted once",
	  "first: d/b.csv:2 repeats d/a.csv:2 (run r1, cpubench events_per_s threads=1, rep 1)" },
	{ "a repeated row with another value", HDR R("r1", "kvm", "threads=1", "1", "10") R("r1", "kvm", "threads=1", "2", "11")
	  R("r1", "kvm", "threads=1", "2", "99"), NULL, 2, 1,
	  "1 duplicate row (the same run, bench, params, metric and rep as an earlier row) counted once; "
	  "1 of them with a different value", "first: d/a.csv:4 repeats d/a.csv:3" },
	{ "another run, rep or params is no duplicate", HDR R("r1", "kvm", "threads=1", "1", "10")
	  R("r2", "kvm", "threads=1", "1", "10") R("r1", "kvm", "threads=1", "2", "10") R("r1", "kvm", "threads=2", "1", "10"),
	  NULL, 3, 0, NULL, NULL },
};

int main(void)
{
	az_quiet = 2;
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		const struct dcase *k = &cases[c];
		hvb_model m = { 0 };
		az_ingest_buffer(&m, "d/a.csv", k->a, strlen(k->a));
		if (k->b)
			az_ingest_buffer(&m, "d/b.csv", k->b, strlen(k->b));
		az_opts o;
		az_opts_default(&o);
		char name[160];
		snprintf(name, sizeof name, "dedup %s: build", k->name);
		T_INTEQ(name, az_build(&m, &o), 0);
		size_t n = (size_t)-1;
		for (size_t i = 0; i < m.nseries; i++)
			if (strcmp(m.series[i].env, "kvm") == 0 && strcmp(m.series[i].params, "threads=1") == 0)
				n = m.series[i].n_samples;
		snprintf(name, sizeof name, "dedup %s: samples", k->name);
		T_INTEQ(name, (long long)n, (long long)k->n);
		size_t nw = 0;
		const hvb_warning *w = NULL;
		for (size_t i = 0; i < m.nwarnings; i++)
			if (strcmp(m.warnings[i].kind, "duplicate") == 0 && !nw++)
				w = &m.warnings[i];
		snprintf(name, sizeof name, "dedup %s: warnings", k->name);
		T_INTEQ(name, (long long)nw, (long long)k->warnings);
		if (k->message) {
			snprintf(name, sizeof name, "dedup %s: message", k->name);
			T_CHECK(name, w && strstr(w->message, k->message) && w->env && strcmp(w->env, "kvm") == 0,
				"got \"%s\" (env %s)", w ? w->message : "(none)", w && w->env ? w->env : "(none)");
			snprintf(name, sizeof name, "dedup %s: evidence", k->name);
			T_CHECK(name, w && strstr(w->evidence, k->evidence), "got \"%s\"", w ? w->evidence : "(none)");
		}
		model_free(&m);
	}
	return t_exit();
}
