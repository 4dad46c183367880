/*
 * test_analyze_hostcost_scale.c - collect's sidecars at scale (issue 13
 * item 5): a .meta of 150,000 bench.NAME.host_wall_s / guest_wall_s keys
 * beside a CSV whose rows time 3,000 of those benchmarks against a
 * telemetry record, and 10,000 runs each with its own CSV, .meta and
 * .host.tsv.  Every look-up in analyze/hostcost.c was once a linear search
 * per item (the .meta alone took 52 s); this checks the results on inputs
 * where a quadratic step would take minutes.  No timing is asserted here:
 * analyze/bench-scale-hostcost.sh times it.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "t.h"

#define HDR "schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note\n"

typedef struct buf { char *s; size_t n, cap; } buf;

static void put(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(buf *b, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int k = vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
		va_end(ap);
		if (k >= 0 && (size_t)k < b->cap - b->n) {
			b->n += (size_t)k;
			return;
		}
		b->cap = b->cap * 2 + (size_t)(k > 0 ? k : 0) + 4096;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			exit(5);
	}
}

/* 2026-11-22T00:00:00Z + s seconds, s < 86400 */
static void stamp(char out[32], long s)
{
	snprintf(out, 32, "2026-11-22T%02ld:%02ld:%02ldZ", s / 3600, s / 60 % 60, s % 60);
}

#define T0 1795305600.0   /* 2026-11-22T00:00:00Z */
#define NMETA 75000       /* benchmarks in the big .meta: 150,000 keys */
#define NTIMED 3000       /* of them with rows in the CSV */
#define NRUNS 10000

int main(void)
{
	az_quiet = 2;
	hvb_model m = { 0 };
	char t[32];

	/* 1. One run: a CSV timing NTIMED benchmarks, two rows each, one second
	 * apart and two seconds from the next; benchmark k runs in
	 * (2k, 2k + 1] and the telemetry sample at 2k + 1 says busy (2k+1)%97. */
	buf csv = { 0 }, meta = { 0 }, tsv = { 0 };
	put(&csv, HDR);
	for (long k = 0; k < NTIMED; k++)
		for (long j = 0; j < 2; j++) {
			stamp(t, 2 * k + j);
			put(&csv, "hvb1,big1,%s,g,kvm,none,h,b%05ld,,x_per_s,1/s,higher,%ld,%ld,ok,\n",
			    t, k, j + 1, k + j);
		}
	az_ingest_buffer(&m, "big.csv", csv.s, csv.n);
	put(&meta, "wall_s=6000\ntelemetry_host_cpus=8\n");
	for (long k = 0; k < NMETA; k++)
		put(&meta, "bench.b%05ld.host_wall_s=%ld.5\nbench.b%05ld.guest_wall_s=%ld.5\n",
		    k, k + 1, k, k + 1);
	put(&tsv, "epoch_s\tcpu_busy_pct\tmem_used_mb\n");
	for (long s = 0; s <= 2 * NTIMED; s++)
		put(&tsv, "%.0f\t%ld\t%ld\n", T0 + (double)s, s % 97, 1000 + s % 10);
	az_sidecar_buffer(&m, "big.csv", "meta", "big.meta", meta.s, meta.n);
	az_sidecar_buffer(&m, "big.csv", "host.tsv", "big.host.tsv", tsv.s, tsv.n);
	T_INTEQ("big-meta-one-run", m.nhostruns, 1);
	const hvb_hostrun *h = &m.hostruns[0];
	T_INTEQ("big-meta-walls", h->nwalls, NMETA);
	T_INTEQ("big-meta-no-bad-line", h->bad_lines, 0);
	int order_ok = 1, values_ok = 1;
	for (size_t k = 0; k < h->nwalls && k < NMETA; k++) {
		char want[32];
		snprintf(want, sizeof want, "b%05zu", k);
		order_ok &= strcmp(h->walls[k].bench, want) == 0;
		values_ok &= h->walls[k].host_s == (double)k + 1.5 && h->walls[k].guest_s == (double)k + 1.5;
	}
	T_CHECK("big-meta-order", order_ok, "walls not in .meta order");
	T_CHECK("big-meta-values", values_ok, "host/guest wall times differ from the .meta");
	T_INTEQ("big-tsv-samples", h->samples, 2 * NTIMED + 1);

	/* 2. Many runs: run r's CSV has one row of env e<r%5> at second r, its
	 * .meta one benchmark timed by both clocks, its telemetry two samples. */
	for (long r = 0; r < NRUNS; r++) {
		char name[32], mname[32], tname[40], text[512], mtext[128], ttext[160];
		snprintf(name, sizeof name, "run%05ld.csv", r);
		snprintf(mname, sizeof mname, "run%05ld.meta", r);
		snprintf(tname, sizeof tname, "run%05ld.host.tsv", r);
		stamp(t, 10000 + r);
		snprintf(text, sizeof text, HDR "hvb1,run%ld,%s,e%ld,kvm,none,h,cpubench,,events_per_s,"
			 "1/s,higher,1,%ld,ok,\n", r, t, r % 5, r);
		az_ingest_buffer(&m, name, text, strlen(text));
		snprintf(mtext, sizeof mtext, "wall_s=%ld\nbench.cpubench.host_wall_s=10\n"
			 "bench.cpubench.guest_wall_s=10\n", r % 7 + 1);
		az_sidecar_buffer(&m, name, "meta", mname, mtext, strlen(mtext));
		snprintf(ttext, sizeof ttext, "epoch_s\tcpu_busy_pct\n%.0f\t%ld\n%.0f\t%ld\n",
			 T0 + 10000 + (double)r - 1, r % 50, T0 + 10000 + (double)r, r % 50 + 10);
		az_sidecar_buffer(&m, name, "host.tsv", tname, ttext, strlen(ttext));
	}
	T_INTEQ("many-runs", m.nhostruns, NRUNS + 1);

	az_opts o;
	az_opts_default(&o);
	T_INTEQ("build", az_build(&m, &o), 0);
	h = &m.hostruns[0];
	T_INTEQ("big-attributed", m.envs[h->env_idx].name[0], 'g');
	/* The CSV's benchmarks are all named in the .meta: no wall added. */
	T_INTEQ("big-walls-after-build", h->nwalls, NMETA);
	int win_ok = 1;
	size_t bad_k = 0;
	for (size_t k = 0; k < NMETA; k++) {
		const hvb_bench_wall *w = &h->walls[k];
		int ok = k < NTIMED
			? w->t0 == T0 + 2.0 * (double)k && w->t1 == T0 + 2.0 * (double)k + 1 &&
			  w->samples == 1 && w->busy_mean == (double)((2 * k + 1) % 97)
			: isnan(w->t0) && w->samples == 0;
		if (!ok && win_ok)
			bad_k = k;
		win_ok &= ok;
	}
	T_CHECK("big-windows", win_ok, "benchmark %zu: t0 %.17g t1 %.17g samples %zu busy %g", bad_k,
		h->walls[bad_k].t0, h->walls[bad_k].t1, h->walls[bad_k].samples, h->walls[bad_k].busy_mean);

	/* Per environment: g's NTIMED benchmarks, and cpubench for e0..e4,
	 * each run's window of one row (t0 == t1) holding no sample. */
	T_INTEQ("bench-costs", m.nbenchcosts, NTIMED);
	int costs_ok = 1;
	for (size_t i = 0; i < m.nbenchcosts; i++) {
		const hvb_benchcost *c = &m.benchcosts[i];
		char want[32];
		snprintf(want, sizeof want, "b%05zu", i);
		costs_ok &= strcmp(c->bench, want) == 0 && c->runs == 1 && c->secs == 1 &&
			    c->busy_mean == (double)((2 * i + 1) % 97);
	}
	T_CHECK("bench-costs-values", costs_ok, "a benchmark's cost differs");

	/* Each run of e<k>: attributed, its wall time and busy % summed up. */
	int runs_ok = 1;
	for (long r = 0; r < NRUNS; r++) {
		const hvb_hostrun *x = &m.hostruns[r + 1];
		char want[32];
		snprintf(want, sizeof want, "e%ld", r % 5);
		runs_ok &= x->env_idx != (size_t)-1 && strcmp(m.envs[x->env_idx].name, want) == 0 &&
			   x->wall_s == (double)(r % 7 + 1) && x->samples == 2 && x->nwalls == 1 &&
			   x->busy_mean == (double)(r % 50) + 5;
	}
	T_CHECK("many-runs-attributed", runs_ok, "a run's figures differ");
	for (size_t i = 0; i < m.nenvs; i++) {
		const hvb_env *e = &m.envs[i];
		if (e->name[0] != 'e')
			continue;
		char nm[32];
		snprintf(nm, sizeof nm, "env-%s-runs", e->name);
		T_INTEQ(nm, e->host_runs, NRUNS / 5);
		snprintf(nm, sizeof nm, "env-%s-clock", e->name);
		T_CHECK(nm, e->clock_benches == NRUNS / 5 && e->clock_skew_pct == 0,
			"benches %zu skew %g", e->clock_benches, e->clock_skew_pct);
	}
	model_free(&m);
	free(csv.s);
	free(meta.s);
	free(tsv.s);
	return t_exit();
}
