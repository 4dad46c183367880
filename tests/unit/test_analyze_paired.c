/*
 * test_analyze_paired.c - comparisons paired by collect/plan round
 * (analyze/paired.c) on small hand-made campaigns; expected figures from
 * GNU R (exp(mean(log(r))), qt(0.975, k - 1), pt), written beside each case.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "t.h"

#define HDR "schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note\n"

/* Rows of one run: env, run id, round, plan ("" = no such row), and its
 * samples of cpubench events_per_s (higher) or forkbench fork_us (lower). */
static void run(hvb_model *m, const char *env, const char *id, const char *round, const char *plan,
		const char *metric, const double *v, size_t n)
{
	char buf[4096];
	size_t len = 0;
	int hi = strcmp(metric, "events_per_s") == 0;
	const char *virt = strcmp(env, "host") == 0 ? "none" : "kvm";
	len += (size_t)snprintf(buf + len, sizeof buf - len, HDR);
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len,
			"hvb1,%s,2026-11-30T21:00:%02zuZ,%s,%s,none,h,%s,,%s,%s,%s,%zu,%.17g,ok,\n", id, i, env, virt,
			hi ? "cpubench" : "forkbench", metric, hi ? "1/s" : "us", hi ? "higher" : "lower", i + 1, v[i]);
	if (*round)
		len += (size_t)snprintf(buf + len, sizeof buf - len,
			"hvb1,%s,2026-11-30T21:01:00Z,%s,%s,none,h,hvbench,,round,,,,%s,info,\n", id, env, virt, round);
	if (*plan)
		len += (size_t)snprintf(buf + len, sizeof buf - len,
			"hvb1,%s,2026-11-30T21:01:00Z,%s,%s,none,h,hvbench,,plan,,,,,info,%s\n", id, env, virt, plan);
	char name[64];
	snprintf(name, sizeof name, "%s.csv", id);
	az_ingest_buffer(m, name, buf, len);
}
#define RUN(m, env, id, round, plan, metric, ...) do { const double v_[] = { __VA_ARGS__ }; \
	run(m, env, id, round, plan, metric, v_, sizeof v_ / sizeof v_[0]); } while (0)

static const hvb_series *series(const hvb_model *m, const char *env)
{
	for (size_t i = 0; i < m->nseries; i++)
		if (strcmp(m->series[i].env, env) == 0)
			return &m->series[i];
	return NULL;
}

static size_t drift_warnings(const hvb_model *m)
{
	size_t n = 0;
	for (size_t i = 0; i < m->nwarnings; i++)
		n += strcmp(m->warnings[i].kind, "drift") == 0;
	return n;
}

static void build(hvb_model *m)
{
	az_opts o;
	az_opts_default(&o);
	az_quiet = 2;
	T_INTEQ("build", az_build(m, &o), 0);
}

#define REL 1e-12

/* The paired ratio of a series and its CI: cases TAG-ratio, TAG-lo, TAG-hi. */
static void ratio_is(const char *tag, const hvb_series *s, double r, double lo, double hi)
{
	char name[96];
	snprintf(name, sizeof name, "%s-ratio", tag);
	T_NEAR(name, s->cmp.ratio, r, REL);
	snprintf(name, sizeof name, "%s-lo", tag);
	T_NEAR(name, s->cmp.ratio_lo, lo, REL);
	snprintf(name, sizeof name, "%s-hi", tag);
	T_NEAR(name, s->cmp.ratio_hi, hi, REL);
}

int main(void)
{
	{	/* Three rounds, one sample each: r = 95/100, 84/90, 77/80. */
		hvb_model m = {0};
		RUN(&m, "host", "h1", "1", "P", "events_per_s", 100);
		RUN(&m, "box", "b1", "1", "P", "events_per_s", 95);
		RUN(&m, "host", "h2", "2", "P", "events_per_s", 90);
		RUN(&m, "box", "b2", "2", "P", "events_per_s", 84);
		RUN(&m, "box", "b3", "3", "P", "events_per_s", 77);
		RUN(&m, "host", "h3", "3", "P", "events_per_s", 80);
		build(&m);
		const hvb_series *s = series(&m, "box");
		T_INTEQ("three-rounds-paired", s ? (long long)s->cmp.paired_rounds : -1, 3);
		if (s) {
			ratio_is("three-rounds", s, 0.94853575600226747, 0.91283503552607737, 0.98563272157523396);
			T_NEAR("three-rounds-p", s->cmp.p_paired, 0.027317481642185028, 1e-9);
			T_NEAR("three-rounds-overhead", s->cmp.overhead_pct, (1 / 0.94853575600226747 - 1) * 100, 1e-9);
			T_STREQ("three-rounds-plan", s->cmp.paired_plan, "P");
			T_INTEQ("three-rounds-plans", (long long)s->cmp.paired_plans, 1);
			T_NEAR("three-rounds-unpaired-kept", s->cmp.unpaired_ratio, (95 + 84 + 77) / 270.0, REL);
		}
		T_INTEQ("three-rounds-planruns", (long long)m.nplanruns, 6);
		/* host 100, 90, 80: 20% down over 3 rounds, slope p ~ 0.02 */
		T_INTEQ("three-rounds-drift-warned", (long long)drift_warnings(&m), 1);
		model_free(&m);
	}
	{	/* Lower is better: r = base/env = 1/1.2 every round; a point CI. */
		hvb_model m = {0};
		RUN(&m, "host", "h1", "1", "P", "fork_us", 10);
		RUN(&m, "box", "b1", "1", "P", "fork_us", 12);
		RUN(&m, "host", "h2", "2", "P", "fork_us", 11);
		RUN(&m, "box", "b2", "2", "P", "fork_us", 13.2);
		build(&m);
		const hvb_series *s = series(&m, "box");
		T_INTEQ("lower-paired", s ? (long long)s->cmp.paired_rounds : -1, 2);
		if (s) {
			ratio_is("lower", s, 1 / 1.2, 1 / 1.2, 1 / 1.2);
			T_NEAR("lower-overhead", s->cmp.overhead_pct, 20, 1e-9);
		}
		T_INTEQ("lower-two-rounds-no-drift-warning", (long long)drift_warnings(&m), 0);
		model_free(&m);
	}
	{	/* Medians per round: host 100,102,300 | 90,91; box 97,96,20 | 85,86. */
		hvb_model m = {0};
		RUN(&m, "host", "h1", "1", "P", "events_per_s", 100, 102, 300);
		RUN(&m, "box", "b1", "1", "P", "events_per_s", 97, 96, 20);
		RUN(&m, "host", "h2", "2", "P", "events_per_s", 90, 91);
		RUN(&m, "box", "b2", "2", "P", "events_per_s", 85, 86);
		build(&m);
		const hvb_series *s = series(&m, "box");
		T_INTEQ("medians-paired", s ? (long long)s->cmp.paired_rounds : -1, 2);
		if (s) {
			ratio_is("medians", s, 0.94296223177587346, 0.92052180202206335, 0.96594971308938549);
		}
		model_free(&m);
	}
	{	/* Two plans with the same round labels: four pairs, never mixed
		 * across plans (P1: 95/100, 84/90; P2: 50/60, 70/80). */
		hvb_model m = {0};
		RUN(&m, "host", "h1", "1", "P1", "events_per_s", 100);
		RUN(&m, "box", "b1", "1", "P1", "events_per_s", 95);
		RUN(&m, "host", "h2", "2", "P1", "events_per_s", 90);
		RUN(&m, "box", "b2", "2", "P1", "events_per_s", 84);
		RUN(&m, "host", "h3", "1", "P2", "events_per_s", 60);
		RUN(&m, "box", "b3", "1", "P2", "events_per_s", 50);
		RUN(&m, "host", "h4", "2", "P2", "events_per_s", 80);
		RUN(&m, "box", "b4", "2", "P2", "events_per_s", 70);
		build(&m);
		const hvb_series *s = series(&m, "box");
		T_INTEQ("two-plans-rounds", s ? (long long)s->cmp.paired_rounds : -1, 4);
		if (s) {
			T_INTEQ("two-plans-plans", (long long)s->cmp.paired_plans, 2);
			ratio_is("two-plans", s, 0.89669923081186831, 0.81465838642252375, 0.98700206606792906);
		}
		model_free(&m);
	}
	{	/* One shared round only (box 1,2; host 1,3), and runs with a round
		 * but no plan: compared as independent samples, as before. */
		hvb_model m = {0}, u = {0};
		RUN(&m, "host", "h1", "1", "P", "events_per_s", 100, 101);
		RUN(&m, "box", "b1", "1", "P", "events_per_s", 95, 96);
		RUN(&m, "box", "b2", "2", "P", "events_per_s", 84, 85);
		RUN(&m, "host", "h3", "3", "P", "events_per_s", 80, 81);
		RUN(&m, "host", "h4", "4", "", "events_per_s", 70);
		RUN(&m, "box", "b4", "4", "", "events_per_s", 66);
		build(&m);
		RUN(&u, "host", "h1", "", "", "events_per_s", 100, 101);
		RUN(&u, "box", "b1", "", "", "events_per_s", 95, 96);
		RUN(&u, "box", "b2", "", "", "events_per_s", 84, 85);
		RUN(&u, "host", "h3", "", "", "events_per_s", 80, 81);
		RUN(&u, "host", "h4", "", "", "events_per_s", 70);
		RUN(&u, "box", "b4", "", "", "events_per_s", 66);
		build(&u);
		const hvb_series *s = series(&m, "box"), *v = series(&u, "box");
		T_INTEQ("one-round-unpaired", s ? (long long)s->cmp.paired_rounds : -1, 0);
		T_INTEQ("no-plan-not-indexed", (long long)m.nplanruns, 4);
		if (s && v) {
			T_NEAR("one-round-ratio-as-unpaired", s->cmp.ratio, v->cmp.ratio, REL);
			T_NEAR("one-round-lo-as-unpaired", s->cmp.ratio_lo, v->cmp.ratio_lo, REL);
			T_NEAR("one-round-hi-as-unpaired", s->cmp.ratio_hi, v->cmp.ratio_hi, REL);
		}
		T_INTEQ("unpaired-no-drift", (long long)drift_warnings(&u), 0);
		model_free(&m);
		model_free(&u);
	}
	{	/* A steady baseline over 4 rounds: no drift warning. */
		hvb_model m = {0};
		RUN(&m, "host", "h1", "1", "P", "events_per_s", 100, 99);
		RUN(&m, "host", "h2", "2", "P", "events_per_s", 101, 100);
		RUN(&m, "host", "h3", "3", "P", "events_per_s", 99, 100);
		RUN(&m, "host", "h4", "4", "P", "events_per_s", 100, 101);
		RUN(&m, "box", "b1", "1", "P", "events_per_s", 90);
		build(&m);
		T_INTEQ("steady-no-drift", (long long)drift_warnings(&m), 0);
		model_free(&m);
	}
	return t_exit();
}
