/*
 * test_analyze_hostcost.c - collect's sidecars (.meta, .host.tsv) read into
 * the model as each environment's cost on the host: figures computed by
 * hand from small records, the clock check, collect's own failures, and
 * every kind of unusable line named with its file and line number.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "t.h"

#define HDR "schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note\n"
/* One run id per row: rows repeating run, bench, params, metric and rep are
 * duplicates, counted once (dedup.c). */
#define ROW(env, v) "hvb1,r" v ",2026-11-22T00:00:00Z," env ",kvm,none,h,cpubench,threads=1,events_per_s,events/s,higher,1," v ",ok,\n"
#define TSV_HDR "utc\tepoch_s\tcpu_busy_pct\tcpu_user_pct\tcpu_system_pct\tcpu_iowait_pct\tcpu_steal_pct\tmem_used_mb\tmem_available_mb\tload1\n"
#define TSV(e, busy, steal, mem, load) "2026-11-22T00:00:00Z\t" e "\t" busy "\t1.0\t1.0\t0.0\t" steal "\t" mem "\t9000\t" load "\n"

static void add(hvb_model *m, const char *csv, const char *text)
{
	az_ingest_buffer(m, csv, text, strlen(text));
}

static void side(hvb_model *m, const char *csv, const char *kind, const char *name, const char *text)
{
	az_sidecar_buffer(m, csv, kind, name, text, strlen(text));
}

static const hvb_env *env(const hvb_model *m, const char *name)
{
	for (size_t i = 0; i < m->nenvs; i++)
		if (strcmp(m->envs[i].name, name) == 0)
			return &m->envs[i];
	return NULL;
}

/* The warnings of one kind, and the first one's message/evidence. */
static size_t warned(const hvb_model *m, const char *kind, const char *env, const hvb_warning **first)
{
	size_t n = 0;
	*first = NULL;
	for (size_t i = 0; i < m->nwarnings; i++) {
		const hvb_warning *w = &m->warnings[i];
		if (strcmp(w->kind, kind) != 0 || (env && (!w->env || strcmp(w->env, env) != 0)))
			continue;
		if (!n++)
			*first = w;
	}
	return n;
}

static int has(const char *s, const char *sub)
{
	return s && strstr(s, sub) != NULL;
}

static void build(hvb_model *m)
{
	az_opts o;
	az_opts_default(&o);
	T_INTEQ("build", az_build(m, &o), 0);
}

/* Run r1 of env g: 30 % busy over 2 s, 200 MB taken (cases 5 and after). */
static void run_r1(hvb_model *m)
{
	add(m, "r1.csv", HDR ROW("g", "1"));
	side(m, "r1.csv", "host.tsv", "r1.host.tsv",
	     TSV_HDR TSV("1", "20.0", "0.0", "100", "0.1") TSV("3", "40.0", "0.0", "300", "0.1"));
}

int main(void)
{
	az_quiet = 2;   /* the notes on stderr are not what is tested here */
	const hvb_warning *w;

	/* 1. A guest run with both sidecars, figures computed by hand. */
	hvb_model m = { 0 };
	add(&m, "d/host/a.csv", HDR ROW("host", "100") ROW("host", "101"));
	add(&m, "d/vm/b.csv", HDR ROW("vm", "50") ROW("vm", "51"));
	side(&m, "d/vm/b.csv", "meta", "d/vm/b.meta",
	     "collector=collect/qemu\nwall_s=40.5\ntelemetry_host_cpus=2\nexit_status=0\n"
	     "benches_missing=\nbench.forkbench.exit=0\n"
	     "bench.forkbench.host_wall_s=10.0\nbench.forkbench.guest_wall_s=9.0\n"
	     "bench.pipebench.host_wall_s=1.0\nbench.pipebench.guest_wall_s=0.8\n"
	     "bench.cpubench.host_wall_s=29.0\nbench.cpubench.guest_wall_s=29.2\n"
	     "bench.iobench.host_wall_s=5\n");
	/* epochs 100..103 (one second apart), busy 10 20 30 40: mean 25 over
	 * 4 s -> 1.0 whole-host second, 2 CPU-s; memory 500 -> peak 700. */
	side(&m, "d/vm/b.csv", "host.tsv", "d/vm/b.host.tsv",
	     TSV_HDR TSV("100", "10.0", "0.0", "500", "0.5") TSV("101", "20.0", "1.0", "700", "1.5")
	     TSV("102", "30.0", "0.0", "650", "0.7") TSV("103", "40.0", "0.5", "600", "0.9"));
	build(&m);
	const hvb_env *vm = env(&m, "vm"), *host = env(&m, "host");
	T_CHECK("env-vm-found", vm && host, "no env vm or host");
	if (!vm || !host)
		return t_exit();
	T_INTEQ("runs-one", m.nhostruns, 1);
	T_INTEQ("vm-host-runs", vm->host_runs, 1);
	T_INTEQ("host-no-runs", host->host_runs, 0);
	T_CHECK("host-no-figures", isnan(host->host_busy_mean) && isnan(host->clock_skew_pct),
		"busy %g skew %g", host->host_busy_mean, host->clock_skew_pct);
	T_NEAR("busy-mean", vm->host_busy_mean, 25.0, 1e-12);
	T_NEAR("busy-max", vm->host_busy_max, 40.0, 0);
	T_NEAR("busy-host-s", vm->host_busy_s, 1.0, 1e-12);
	T_NEAR("cpu-s", vm->host_cpu_s, 2.0, 1e-12);
	T_NEAR("mem-taken", vm->host_mem_taken_mb, 200.0, 0);
	T_NEAR("wall", vm->host_wall_s, 40.5, 0);
	T_INTEQ("samples", m.hostruns[0].samples, 4);
	T_NEAR("load-max", m.hostruns[0].load1_max, 1.5, 0);
	T_NEAR("steal-max", m.hostruns[0].steal_max, 1.0, 0);
	T_NEAR("span", m.hostruns[0].span_s, 4.0, 0);
	T_INTEQ("walls", m.hostruns[0].nwalls, 4);
	T_STREQ("wall-order", m.hostruns[0].walls[0].bench, "forkbench");
	T_CHECK("wall-no-guest", isnan(m.hostruns[0].walls[3].guest_s), "iobench guest %g",
		m.hostruns[0].walls[3].guest_s);
	/* (9 + 0.8 + 29.2 - 40) / 40 over the 3 benchmarks with both clocks */
	T_NEAR("clock-skew-summed", vm->clock_skew_pct, -2.5, 1e-9);
	T_INTEQ("clock-benches", vm->clock_benches, 3);
	/* forkbench: -10% and 1 s -> warned; pipebench -20% but only 0.2 s apart
	 * (the serial line's delay) -> not; cpubench +0.7% -> not. */
	T_INTEQ("clock-warning", warned(&m, "clock", "vm", &w), 1);
	T_CHECK("clock-warning-names", w && has(w->message, "forkbench") && has(w->message, "-10.0%") &&
		has(w->message, "1 benchmark beyond") && has(w->evidence, "d/vm/b.meta") &&
		has(w->message, "too short"), "message %s / %s", w ? w->message : "-", w ? w->evidence : "-");
	T_INTEQ("no-telemetry-warning", warned(&m, "telemetry", NULL, &w), 0);
	T_INTEQ("no-collect-warning", warned(&m, "collect", NULL, &w), 0);
	T_INTEQ("no-host-steal", warned(&m, "host-steal", NULL, &w), 0);
	model_free(&m);

	/* 2. Unusable lines: each named with file and line; the rest is used. */
	memset(&m, 0, sizeof m);
	add(&m, "x.csv", HDR ROW("g", "1"));
	side(&m, "x.csv", "host.tsv", "x.host.tsv",
	     TSV_HDR TSV("10", "50.0", "0.0", "100", "0.1")
	     TSV("11", "abc", "0.0", "100", "0.1")            /* line 3: not a number */
	     "2026\t12\t60.0\n"                                /* line 4: 3 fields */
	     TSV("9", "70.0", "0.0", "100", "0.1")            /* line 5: time goes back */
	     TSV("12", "101.0", "0.0", "100", "0.1")          /* line 6: above 100 */
	     TSV("13", "70.0", "0.0", "100", "0.1"));
	side(&m, "x.csv", "meta", "x.meta",
	     "wall_s=3\nthis line has no equals sign\nexit_status=1\nbenches_missing=netbench iobench\n"
	     "bench.forkbench.host_wall_s=fast\n");
	build(&m);
	const hvb_hostrun *h = &m.hostruns[0];
	T_INTEQ("bad-samples-used", h->samples, 2);
	T_NEAR("bad-busy-mean", h->busy_mean, 60.0, 1e-12);
	T_INTEQ("bad-lines-counted", h->bad_lines, 6);
	T_CHECK("bad-first-named", has(h->problem, "x.host.tsv:3: column 'cpu_busy_pct'") &&
		has(h->problem, "\"abc\""), "problem %s", h->problem ? h->problem : "(null)");
	T_INTEQ("bad-telemetry-warning", warned(&m, "telemetry", "g", &w), 1);
	T_CHECK("bad-warning-count", w && has(w->message, "6 lines") && has(w->evidence, "x.host.tsv:3"),
		"%s / %s", w ? w->message : "-", w ? w->evidence : "-");
	T_INTEQ("collect-warning", warned(&m, "collect", "g", &w), 1);
	T_CHECK("collect-warning-says", w && has(w->message, "exit status 1") &&
		has(w->message, "netbench iobench") && has(w->evidence, "x.meta"),
		"%s / %s", w ? w->message : "-", w ? w->evidence : "-");
	model_free(&m);

	/* The other problems, one record each: the message names file and line. */
	static const struct { const char *name, *kind, *text, *want; } bad[] = {
		{ "meta-no-equals", "meta", "wall_s=1\nnonsense\n", "t.meta:2: expected key=value, found \"nonsense\"" },
		{ "meta-wall", "meta", "wall_s=-1\n", "t.meta:1: key 'wall_s'" },
		{ "meta-exit", "meta", "exit_status=300\n", "t.meta:1: key 'exit_status'" },
		{ "meta-cpus", "meta", "telemetry_host_cpus=0\n", "t.meta:1: key 'telemetry_host_cpus'" },
		{ "meta-bench-name", "meta", "\nbench..host_wall_s=1\n", "t.meta:2: key 'bench..host_wall_s': no benchmark name" },
		{ "meta-bench-secs", "meta", "bench.x.guest_wall_s=nan\n", "t.meta:1: key 'bench.x.guest_wall_s'" },
		{ "meta-control", "meta", "a\x1b[2Jb\n", "expected key=value, found \"a?[2Jb\"" },
		{ "tsv-no-header", "host.tsv", "1\t2\t3\n4\t5\t6\n", "t.host.tsv:1: expected the telemetry header" },
		{ "tsv-empty", "host.tsv", "", "t.host.tsv:1: expected the telemetry header" },
		{ "tsv-fields", "host.tsv", TSV_HDR "a\tb\n", "t.host.tsv:2: expected 10 tab-separated fields as in the header, found 2" },
		{ "tsv-negative-mem", "host.tsv", TSV_HDR TSV("5", "1.0", "0.0", "-3", "0.1"), "t.host.tsv:2: column 'mem_used_mb'" },
		{ "tsv-steal", "host.tsv", TSV_HDR TSV("5", "1.0", "100.5", "3", "0.1"), "t.host.tsv:2: column 'cpu_steal_pct'" },
		{ "tsv-crlf-ok", "host.tsv", "epoch_s\tcpu_busy_pct\r\n5\t1.0\r\n6\t2.0\r\n", NULL },
		{ "tsv-no-final-newline", "host.tsv", "epoch_s\tcpu_busy_pct\n5\t1.0\n6\t2.0", NULL },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&m, 0, sizeof m);
		add(&m, "t.csv", HDR ROW("g", "1"));
		side(&m, "t.csv", bad[i].kind, strcmp(bad[i].kind, "meta") ? "t.host.tsv" : "t.meta", bad[i].text);
		az_opts o;
		az_opts_default(&o);
		az_build(&m, &o);
		h = m.nhostruns ? &m.hostruns[0] : NULL;
		if (bad[i].want)
			T_CHECK(bad[i].name, h && has(h->problem, bad[i].want) &&
				warned(&m, "telemetry", "g", &w) == 1,
				"problem %s, want %s", h && h->problem ? h->problem : "(null)", bad[i].want);
		else
			T_CHECK(bad[i].name, h && !h->problem && h->samples == 2 &&
				fabs(h->busy_mean - 1.5) < 1e-12, "problem %s samples %zu",
				h && h->problem ? h->problem : "(null)", h ? h->samples : 0);
		model_free(&m);
	}

	/* 3. A CSV holding two environments: its record is not attributed. */
	memset(&m, 0, sizeof m);
	add(&m, "two.csv", HDR ROW("a", "1") ROW("b", "2"));
	side(&m, "two.csv", "host.tsv", "two.host.tsv", TSV_HDR TSV("1", "5.0", "0.0", "1", "0.1"));
	build(&m);
	T_CHECK("two-envs-unattributed", env(&m, "a") && env(&m, "a")->host_runs == 0 &&
		env(&m, "b") && env(&m, "b")->host_runs == 0, "runs attributed");
	T_INTEQ("two-envs-warning", warned(&m, "telemetry", NULL, &w), 1);
	T_CHECK("two-envs-says", w && has(w->message, "several") && has(w->evidence, "two.host.tsv"),
		"%s", w ? w->message : "-");
	model_free(&m);

	/* 4. The collecting host itself stolen from: warned. */
	memset(&m, 0, sizeof m);
	add(&m, "s.csv", HDR ROW("g", "1"));
	side(&m, "s.csv", "host.tsv", "s.host.tsv", TSV_HDR TSV("1", "50.0", "12.5", "1", "0.1"));
	build(&m);
	T_INTEQ("host-steal-warning", warned(&m, "host-steal", "g", &w), 1);
	T_CHECK("host-steal-says", w && has(w->message, "12.5%") && has(w->evidence, "s.host.tsv"),
		"%s", w ? w->message : "-");
	/* one sample: busy known, but no interval to turn it into seconds */
	T_CHECK("one-sample-no-seconds", env(&m, "g") && env(&m, "g")->host_busy_mean == 50.0 &&
		isnan(env(&m, "g")->host_busy_s) && isnan(env(&m, "g")->host_cpu_s), "busy_s %g",
		env(&m, "g") ? env(&m, "g")->host_busy_s : 0);
	model_free(&m);

	/* 6. The skew warning says what is known of the guest's clock. */
	static const struct { const char *name, *virt, *container, *meta, *want; } sk[] = {
		{ "skew-clock-ok", "kvm", "none", "bench.cpubench.host_wall_s=60\nbench.cpubench.guest_wall_s=59.9\n",
		  "its clock is not the cause: by collect's host-side timing it kept time within -0.17% of the host's over 1 benchmarks" },
		{ "skew-clock-slow", "kvm", "none", "bench.cpubench.host_wall_s=60\nbench.cpubench.guest_wall_s=54\n",
		  "its clock runs 10.00% slower than the host's by collect's host-side timing over 1 benchmarks" },
		{ "skew-container", "none", "docker", NULL, "a container reads the host's own clock, so this is not time skew" },
		{ "skew-unknown", "kvm", "none", NULL, "its clock probably runs slow (time skew)" },
	};
	for (size_t i = 0; i < sizeof sk / sizeof sk[0]; i++) {
		char guest[1024];
		memset(&m, 0, sizeof m);
		add(&m, "host.csv", HDR
		    "hvb1,r1,t,host,none,none,h,cpubench,threads=1,events_per_s,events/s,higher,1,100,ok,\n"
		    "hvb1,r1,t,host,none,none,h,cpubench,threads=1,events_per_s,events/s,higher,2,101,ok,\n"
		    "hvb1,r1,t,host,none,none,h,cpubench,threads=1,events_per_s,events/s,higher,3,99,ok,\n");
		snprintf(guest, sizeof guest, HDR
			 "hvb1,r2,t,g,%s,%s,h,cpubench,threads=1,events_per_s,events/s,higher,1,120,ok,\n"
			 "hvb1,r2,t,g,%s,%s,h,cpubench,threads=1,events_per_s,events/s,higher,2,121,ok,\n"
			 "hvb1,r2,t,g,%s,%s,h,cpubench,threads=1,events_per_s,events/s,higher,3,119,ok,\n",
			 sk[i].virt, sk[i].container, sk[i].virt, sk[i].container, sk[i].virt, sk[i].container);
		add(&m, "g.csv", guest);
		if (sk[i].meta)
			side(&m, "g.csv", "meta", "g.meta", sk[i].meta);
		build(&m);
		size_t n = warned(&m, "skew", "g", &w);
		T_CHECK(sk[i].name, n == 1 && has(w->message, "is 20.0% faster than its baseline host") &&
			has(w->message, sk[i].want), "%zu warnings: %s", n, w ? w->message : "-");
		model_free(&m);
	}

	/* 7. The host's CPU during each benchmark: its rows' time stamps give
	 * the window.  1795313242 is 2026-11-22T02:07:22Z (collect/telemetry
	 * wrote both in data/sample). */
#define TROW(b, t) "hvb1,r" t ",2026-11-22T02:07:" t "Z,g,kvm,none,h," b ",,m,s,lower,1,1,ok,\n"
	memset(&m, 0, sizeof m);
	add(&m, "w.csv", HDR TROW("alpha", "22") TROW("alpha", "24") TROW("alpha", "25")
	    TROW("beta", "25") TROW("beta", "28") TROW("gamma", "28.5") TROW("gamma", "28.9"));
	side(&m, "w.csv", "host.tsv", "w.host.tsv", TSV_HDR
	     TSV("1795313243", "10.0", "0", "1", "0") TSV("1795313244", "20.0", "0", "1", "0")
	     TSV("1795313245", "30.0", "0", "1", "0") TSV("1795313246", "70.0", "0", "1", "0")
	     TSV("1795313247", "80.0", "0", "1", "0") TSV("1795313248", "90.0", "0", "1", "0"));
	build(&m);
	/* alpha (22, 25]: 10 20 30 -> 20 %, 3 s; beta (25, 28]: 70 80 90 -> 80 %;
	 * gamma (28.5, 28.9]: no sample */
	T_INTEQ("bench-costs", m.nbenchcosts, 2);
	if (m.nbenchcosts == 2) {
		T_STREQ("bench-cost-order", m.benchcosts[0].bench, "alpha");
		T_NEAR("bench-alpha-busy", m.benchcosts[0].busy_mean, 20.0, 1e-12);
		T_NEAR("bench-alpha-secs", m.benchcosts[0].secs, 3.0, 1e-9);
		T_NEAR("bench-alpha-busy-s", m.benchcosts[0].busy_host_s, 0.6, 1e-9);
		T_NEAR("bench-beta-busy", m.benchcosts[1].busy_mean, 80.0, 1e-12);
	}
	h = m.nhostruns ? &m.hostruns[0] : NULL;
	T_CHECK("bench-window-epoch", h && h->nwalls == 3 && h->walls[0].t0 == 1795313242.0 &&
		h->walls[2].samples == 0 && isnan(h->walls[2].busy_mean),
		"walls %zu t0 %.17g", h ? h->nwalls : 0, h && h->nwalls ? h->walls[0].t0 : 0);
	model_free(&m);
	/* Windows that overlap (two runs of alpha around beta): none attributed. */
	memset(&m, 0, sizeof m);
	add(&m, "o.csv", HDR TROW("alpha", "22") TROW("beta", "24") TROW("beta", "25") TROW("alpha", "28"));
	side(&m, "o.csv", "host.tsv", "o.host.tsv", TSV_HDR
	     TSV("1795313243", "10.0", "0", "1", "0") TSV("1795313246", "20.0", "0", "1", "0"));
	build(&m);
	T_INTEQ("bench-overlap-none", m.nbenchcosts, 0);
	model_free(&m);
	/* A time stamp that is not one: the row is left out of the window. */
	memset(&m, 0, sizeof m);
	add(&m, "u.csv", HDR "hvb1,ra,yesterday,g,kvm,none,h,alpha,,m,s,lower,1,1,ok,\n"
	    "hvb1,rb,2026-11-22T-1:07:10Z,g,kvm,none,h,alpha,,m,s,lower,1,1,ok,\n"
	    "hvb1,rc,2026-11-22T02:07:nanZ,g,kvm,none,h,alpha,,m,s,lower,1,1,ok,\n"
	    "hvb1,rd,2026-11-22T02:07:30,g,kvm,none,h,alpha,,m,s,lower,1,1,ok,\n"
	    TROW("alpha", "22") TROW("alpha", "24"));
	side(&m, "u.csv", "host.tsv", "u.host.tsv", TSV_HDR TSV("1795313243", "10.0", "0", "1", "0"));
	build(&m);
	T_CHECK("bench-bad-time-skipped", m.nbenchcosts == 1 && m.benchcosts[0].secs == 2.0,
		"%zu costs", m.nbenchcosts);
	model_free(&m);

	/* 5. Two runs of one env: per-run means, the worst memory. */
	memset(&m, 0, sizeof m);
	run_r1(&m);
	add(&m, "r2.csv", HDR ROW("g", "2"));
	side(&m, "r2.csv", "host.tsv", "r2.host.tsv", TSV_HDR TSV("1", "60.0", "0.0", "100", "0.1") TSV("2", "80.0", "0.0", "150", "0.1"));
	side(&m, "r1.csv", "meta", "r1.meta", "wall_s=10\ntelemetry_host_cpus=4\n");
	side(&m, "r2.csv", "meta", "r2.meta", "wall_s=20\ntelemetry_host_cpus=4\n");
	build(&m);
	const hvb_env *g = env(&m, "g");
	T_CHECK("two-runs", g && g->host_runs == 2, "runs %zu", g ? g->host_runs : 0);
	if (g) {
		T_NEAR("two-runs-busy", g->host_busy_mean, 50.0, 1e-12);   /* (30 + 70) / 2 */
		T_NEAR("two-runs-max", g->host_busy_max, 80.0, 0);
		T_NEAR("two-runs-wall", g->host_wall_s, 15.0, 0);
		/* r1: 30% over 2 + 2 s = 1.2; r2: 70% over 1 + 1 s = 1.4; mean 1.3 */
		T_NEAR("two-runs-busy-s", g->host_busy_s, 1.3, 1e-12);
		T_NEAR("two-runs-cpu-s", g->host_cpu_s, 5.2, 1e-12);
		T_NEAR("two-runs-mem", g->host_mem_taken_mb, 200.0, 0);
		T_CHECK("no-clock", isnan(g->clock_skew_pct) && g->clock_benches == 0, "skew %g", g->clock_skew_pct);
	}
	/* A third run without the CPU count: CPU-seconds are no longer the
	 * same runs' figure, so none. */
	model_free(&m);
	memset(&m, 0, sizeof m);
	run_r1(&m);
	add(&m, "r3.csv", HDR ROW("g", "3"));
	side(&m, "r3.csv", "host.tsv", "r3.host.tsv", TSV_HDR TSV("1", "20.0", "0.0", "100", "0.1") TSV("3", "40.0", "0.0", "300", "0.1"));
	side(&m, "r1.csv", "meta", "r1.meta", "telemetry_host_cpus=4\n");
	build(&m);
	g = env(&m, "g");
	T_CHECK("cpu-s-not-all-runs", g && g->host_runs == 2 && isnan(g->host_cpu_s) &&
		fabs(g->host_busy_s - 1.2) < 1e-12, "cpu_s %g busy_s %g", g ? g->host_cpu_s : 0,
		g ? g->host_busy_s : 0);
	/* A sidecar for a CSV that was never read is ignored, not invented. */
	size_t before = m.nhostruns;
	side(&m, "never-read.csv", "meta", "never-read.meta", "wall_s=1\n");
	T_INTEQ("unknown-csv-ignored", m.nhostruns, before);
	model_free(&m);
	return t_exit();
}
