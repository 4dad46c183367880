/*
 * test_analyze_profile.c - the scoring profile and the scores, table-driven:
 * the built-in profile parses; bad profiles are refused; each metric gets
 * the role and category its line says (first match wins, params subsets,
 * unnamed metrics "not scored"); a diagnostic metric scaled by 1000 changes
 * no score; an exclusion takes a metric out of one env's score only.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "t.h"

static const char hdr[] =
	"schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note\n";

/* A campaign: host (bare) and kvm and tcg guests, 5 reps of a few metrics;
 * diag_scale multiplies kvm's diagnostic retransmits. */
static char *campaign(double diag_scale)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	fputs(hdr, f);
	static const struct { const char *env, *virt; double speed; } envs[] = {
		{ "host", "none", 1.0 }, { "kvm", "kvm", 0.9 }, { "tcg", "qemu-tcg", 0.2 },
	};
	for (size_t e = 0; e < 3; e++)
		for (int r = 1; r <= 5; r++) {
			double s = envs[e].speed * (1 + 0.01 * r);
			const char *env = envs[e].env, *v = envs[e].virt;
			fprintf(f, "hvb1,%s-1-1,2026-11-21T00:00:0%dZ,%s,%s,none,%s,cpubench,kernel=int;threads=1,"
				"events_per_s,1/s,higher,%d,%.17g,ok,\n", env, r, env, v, env, r, 1000 * s);
			fprintf(f, "hvb1,%s-1-1,2026-11-21T00:00:0%dZ,%s,%s,none,%s,netbench,dir=send;proto=tcp,"
				"bits_per_s,bit/s,higher,%d,%.17g,ok,\n", env, r, env, v, env, r, 1e9 * s * (1 + 0.02 * (r % 2)));
			fprintf(f, "hvb1,%s-1-1,2026-11-21T00:00:0%dZ,%s,%s,none,%s,netbench,dir=send;proto=tcp,"
				"retransmits,count,lower,%d,%.17g,ok,\n", env, r, env, v, env, r,
				(10.0 + r) * (e == 1 ? diag_scale : 1));
			fprintf(f, "hvb1,%s-1-1,2026-11-21T00:00:0%dZ,%s,%s,none,%s,membench,level=dram,"
				"latency_ns,ns,lower,%d,%.17g,ok,\n", env, r, env, v, env, r, 100 / s);
			fprintf(f, "hvb1,%s-1-1,2026-11-21T00:00:0%dZ,%s,%s,none,%s,membench,threads=1,"
				"triad_MB_per_s,MB/s,higher,%d,%.17g,ok,\n", env, r, env, v, env, r, 9000 * s);
			fprintf(f, "hvb1,%s-1-1,2026-11-21T00:00:0%dZ,%s,%s,none,%s,newbench,,"
				"foo_per_s,1/s,higher,%d,%.17g,ok,\n", env, r, env, v, env, r, 5 * s);
		}
	fclose(f);
	return buf;
}

static void build(hvb_model *m, double diag_scale)
{
	memset(m, 0, sizeof *m);
	char *text = campaign(diag_scale);
	az_ingest_buffer(m, "c.csv", text, strlen(text));
	free(text);
	az_opts o;
	az_opts_default(&o);
	az_build(m, &o);
}

static const hvb_score *score(const hvb_model *m, const char *cat, const char *env)
{
	for (size_t i = 0; i < m->nscores; i++)
		if (strcmp(m->scores[i].category, cat) == 0 &&
		    strcmp(m->envs[m->scores[i].env_idx].name, env) == 0)
			return &m->scores[i];
	return NULL;
}

static const hvb_metric_group *group(const hvb_model *m, const char *bench, const char *metric)
{
	for (size_t i = 0; i < m->ngroups; i++)
		if (strcmp(m->groups[i].bench, bench) == 0 && strcmp(m->groups[i].metric, metric) == 0)
			return &m->groups[i];
	return NULL;
}

/* The metrics (groups) no profile line names, "bench metric" each, into
 * buf; how many. */
static size_t unnamed(const hvb_model *m, char *buf, size_t len)
{
	size_t n = 0, at = 0;
	buf[0] = 0;
	for (size_t i = 0; i < m->ngroups; i++) {
		const hvb_metric_group *g = &m->groups[i];
		if (g->profile_line > 0)
			continue;
		n++;
		if (at < len) {
			int w = snprintf(buf + at, len - at, "%s%s %s", at ? ", " : "", g->bench, g->metric);
			at += w > 0 ? (size_t)w : 0;
		}
	}
	return n;
}

int main(void)
{
	az_quiet = 2;
	hvb_scoring sc = { 0 };
	T_INTEQ("builtin-parses", az_profile_load(&sc, "built-in", az_builtin_profile()), 0);
	T_INTEQ("builtin-categories", sc.ncategories, 6);
	T_STREQ("builtin-other-last", sc.ncategories ? sc.categories[sc.ncategories - 1] : NULL, "other");
	int stars = 0;
	for (size_t i = 0; i < sc.nlines; i++)
		stars += strcmp(sc.lines[i].metric, "*") == 0;
	T_INTEQ("builtin-no-wildcard-metric", stars, 0);
	az_scoring_free(&sc);

	/* Every metric the benchmarks emitted in the shipped campaign
	 * (data/sample: every benchmark, every environment) is named by a line
	 * of the built-in profile; the same check finds the one metric the
	 * campaign below makes up (newbench foo_per_s). */
	{
		const char *top = getenv("HVB_TOP");
		char dir[4096];
		snprintf(dir, sizeof dir, "%s/data/sample", top ? top : ".");
		hvb_model m = { 0 };
		int nf = az_ingest_path(&m, dir);
		az_opts o;
		az_opts_default(&o);
		o.resamples = 50;
		az_build(&m, &o);
		char missing[512] = "";
		size_t nmiss = unnamed(&m, missing, sizeof missing);
		T_CHECK("builtin-names-every-metric", nf > 0 && m.ngroups > 0 && nmiss == 0,
			"%d files, %zu metrics from %s; not named by the profile: %s", nf, m.ngroups,
			dir, missing);
		model_free(&m);
		build(&m, 1);
		nmiss = unnamed(&m, missing, sizeof missing);
		T_CHECK("names-every-metric-finds-one", nmiss == 1 && strstr(missing, "foo_per_s"),
			"want newbench foo_per_s alone, got %zu: %s", nmiss, missing);
		model_free(&m);
	}

	static const struct { const char *name, *text; int rc; } bad[] = {
		{ "no-category", "cpubench events_per_s * diagnostic\n", -1 },
		{ "weight-not-number", "category cpu x\n", -1 },
		{ "weight-negative", "category cpu -1\n", -1 },
		{ "category-twice", "category cpu 1\ncategory cpu 2\n", -1 },
		{ "category-reserved", "category overall 1\n", -1 },
		{ "undeclared-category", "category cpu 1\nb m * headline disk 1\n", -1 },
		{ "headline-no-weight", "category cpu 1\nb m * headline cpu\n", -1 },
		{ "unknown-role", "category cpu 1\nb m * scored\n", -1 },
		{ "exclude-bad-fact", "category cpu 1\nexclude b m * kernel=x because\n", -1 },
		{ "exclude-no-reason", "category cpu 1\nexclude b m * virt=kvm\n", -1 },
		{ "good", "# c\ncategory cpu 2 # trailing\n\nb m k=v headline cpu 1\nb m * diagnostic\n"
			  "exclude b m * virt=kvm a reason  with  spaces \n", 0 },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char name[64];
		snprintf(name, sizeof name, "profile-%s", bad[i].name);
		T_INTEQ(name, az_profile_load(&sc, "p", bad[i].text), bad[i].rc);
	}
	T_STREQ("profile-exclusion-reason", sc.nlines == 3 ? sc.lines[2].reason : NULL,
		"a reason  with  spaces");
	az_scoring_free(&sc);

	hvb_model m;
	build(&m, 1);
	const hvb_metric_group *g;
	g = group(&m, "cpubench", "events_per_s");
	T_INTEQ("role-cpubench-headline", g ? g->role : -9, HVB_HEADLINE);
	T_STREQ("category-cpubench", g ? g->category : NULL, "cpu");
	g = group(&m, "netbench", "retransmits");
	T_INTEQ("role-retransmits-diagnostic", g ? g->role : -9, HVB_DIAGNOSTIC);
	T_STREQ("category-retransmits-shown-in-network", g ? g->category : NULL, "network");
	g = group(&m, "newbench", "foo_per_s");
	T_INTEQ("role-unnamed-not-scored", g ? g->role : -9, HVB_UNSCORED);
	T_STREQ("category-unnamed-other", g ? g->category : NULL, "other");

	/* kvm: cpu 0.9, network 0.9 (geomean of ratios), memory 0.9 (2 metrics);
	 * tcg: memory latency excluded (its memory score rests on triad only). */
	const hvb_score *s = score(&m, "cpu", "kvm");
	T_NEAR("score-kvm-cpu", s ? s->geomean : NAN, 0.9, 1e-12);
	s = score(&m, "memory", "tcg");
	T_INTEQ("score-tcg-memory-excludes-latency", s ? (long long)s->n_metrics : -1, 1);
	T_NEAR("score-tcg-memory", s ? s->geomean : NAN, 0.2, 1e-12);
	s = score(&m, "memory", "kvm");
	T_INTEQ("score-kvm-memory-has-latency", s ? (long long)s->n_metrics : -1, 2);
	s = score(&m, "overall", "tcg");
	T_CHECK("score-tcg-complete", s && s->complete, "tcg overall not complete");
	s = score(&m, "overall", "kvm");
	T_CHECK("score-ci-finite", s && isfinite(s->lo) && isfinite(s->hi) && s->lo <= s->geomean &&
		s->geomean <= s->hi, "kvm overall CI [%g, %g] around %g", s ? s->lo : NAN,
		s ? s->hi : NAN, s ? s->geomean : NAN);
	T_INTEQ("rank-tcg-last-overall", score(&m, "overall", "tcg") ? score(&m, "overall", "tcg")->rank : -1, 3);
	/* Scaling a diagnostic metric by 1000 changes no score. */
	hvb_model m2;
	build(&m2, 1000);
	int same = m.nscores == m2.nscores;
	for (size_t i = 0; same && i < m.nscores; i++)
		same = m.scores[i].geomean == m2.scores[i].geomean && m.scores[i].rank == m2.scores[i].rank &&
		       (m.scores[i].lo == m2.scores[i].lo || (isnan(m.scores[i].lo) && isnan(m2.scores[i].lo))) &&
		       (m.scores[i].hi == m2.scores[i].hi || (isnan(m.scores[i].hi) && isnan(m2.scores[i].hi)));
	T_CHECK("diagnostic-x1000-changes-no-score", same, "scores differ");
	model_free(&m);
	model_free(&m2);
	return t_exit();
}
