/*
 * test_report_render.c - report_write() on a hand-built results model with
 * hostile labels, through the real gnuplot: one inline SVG per chart, no
 * external reference, no markup or command from the data, the note when
 * gnuplot is missing, template errors reported, XLSX and chart files
 * written; and the look-ups that keep the report linear: benchmarks in
 * first-appearance order from one sort, charts found by name among
 * thousands.
 */
#include <math.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "t.h"
#include "../../report/rint.h"

static char pwned[64];
static char hostile[256];

static const char *const cats[] = { "cpu", "process" };

/* Everything static: no model_free() needed, nothing leaks under ASan. */
static hvb_env envs[3];
static hvb_series series[6];
static double samp[6][5];
static hvb_metric_group groups[2];
static size_t gidx[2][3] = { { 0, 1, 2 }, { 3, 4, 5 } };
static hvb_score scores[9];
static hvb_warning warns[1];
static hvb_file files[1];
static hvb_row rows[1];

static void build(hvb_model *m)
{
	memset(m, 0, sizeof *m);
	const char *names[3] = { "host", "kvm", hostile };
	for (int e = 0; e < 3; e++) {
		envs[e] = (hvb_env){ .name = (char *)names[e], .virt = e ? "kvm" : "none", .container = "none",
			.cpu_model = "=HYPERLINK(\"http://evil\",\"x\")", .kernel = "6.1", .os = "Debian",
			.host = "h", .clocksource = "tsc", .cpus = 2, .mem_mb = 4096, .steal_pct_max = NAN,
			.rows = 10, .ok_rows = 10, .is_baseline = e == 0, .color = e };
	}
	static const char *bn[2] = { "cpubench", "forkbench" }, *mn[2] = { "events_per_s", "forks_per_s" };
	for (int g = 0; g < 2; g++) {
		groups[g] = (hvb_metric_group){ .bench = (char *)bn[g], .params = "x=1", .metric = (char *)mn[g],
			.unit = "1/s", .category = cats[g], .better = 1, .series = gidx[g], .n = 3 };
		for (int e = 0; e < 3; e++) {
			hvb_series *s = &series[g * 3 + e];
			double base = 1000.0 * (g + 1) * (1 - 0.1 * e);
			for (int k = 0; k < 5; k++)
				samp[g * 3 + e][k] = base * (1 + 0.01 * (k - 2));
			*s = (hvb_series){ .env = names[e], .env_idx = (size_t)e, .bench = (char *)bn[g],
				.params = "x=1", .metric = (char *)mn[g], .unit = "1/s", .category = cats[g],
				.better = 1, .samples = samp[g * 3 + e], .n_samples = 5, .rank = e + 1 };
			s->st = (hvb_stats){ .n = 5, .mean = base, .sd = base * 0.0158, .cv = 0.0158, .median = base,
				.mad = base * 0.01, .min = base * 0.98, .max = base * 1.02, .p5 = base * 0.98,
				.p95 = base * 1.02, .ci_lo = base * 0.98, .ci_hi = base * 1.02 };
			s->cmp = (hvb_cmp){ .valid = e != 0, .ratio = 1 - 0.1 * e, .ratio_lo = 1 - 0.1 * e - 0.01,
				.ratio_hi = e == 1 ? 1.02 : 1 - 0.1 * e + 0.01, .overhead_pct = (1 / (1 - 0.1 * e) - 1) * 100,
				.p_welch = e == 1 ? 0.2 : 0.001, .p_mw = 0.01 };
		}
	}
	size_t k = 0;
	const char *sc[3] = { "cpu", "process", "overall" };
	for (int c = 0; c < 3; c++)
		for (int e = 0; e < 3; e++)
			scores[k++] = (hvb_score){ .category = sc[c], .env_idx = (size_t)e, .geomean = 1 - 0.1 * e,
				.lo = 0.99 - 0.1 * e, .hi = 1.01 - 0.1 * e, .n_metrics = 1, .rank = e + 1 };
	warns[0] = (hvb_warning){ .kind = "cv", .env = hostile, .message = "<img src=x onerror=alert(1)> high CV",
		.evidence = "a.csv:3 \"quoted\"\nnext line" };
	files[0] = (hvb_file){ .path = "data/<b>x</b>.csv", .sha256 = "00ff", .rows = 30 };
	rows[0] = (hvb_row){ .file = "a.csv", .line = 2, .env = "kvm", .bench = "cpubench", .metric = "=1+1",
		.status = "ok", .note = "@SUM(A1)", .rep = 1, .value = 42 };
	m->envs = envs; m->nenvs = 3;
	m->series = series; m->nseries = 6;
	m->groups = groups; m->ngroups = 2;
	m->scores = scores; m->nscores = 9;
	m->warnings = warns; m->nwarnings = 1;
	m->files = files; m->nfiles = 1;
	m->rows = rows; m->nrows = 1;
	m->baseline = "host";
	m->baseline_why = "virt=none and container=none";
	m->generated = "2026-11-22T00:00:00Z";
	m->categories = cats; m->ncategories = 2;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strcasestr(p, needle)); p++)
		n++;
	return n;
}

static report_status last;   /* render()'s report_write status */

static char *render(const hvb_model *m, report_opts *o, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	o->html = open_memstream(&buf, &len);
	last = report_write(m, o);
	*rc = report_ok(last) ? 0 : 1;
	fclose(o->html);
	return buf;
}

/* Benchmarks in first-appearance order, each with its groups in model
 * order (report_bench_groups: one sort), and charts found by name. */
static void bench_order(void)
{
	static const char *const b[] = { "fork", "cpu", "fork", "io", "cpu", NULL, "" };
	hvb_metric_group g[7];
	memset(g, 0, sizeof g);
	for (int i = 0; i < 7; i++)
		g[i].bench = (char *)b[i];
	hvb_model m;
	memset(&m, 0, sizeof m);
	m.groups = g;
	m.ngroups = 7;
	size_t *order, *start;
	size_t nb = report_bench_groups(&m, &order, &start);
	char got[128] = "";
	for (size_t i = 0; i < nb; i++) {
		size_t n = strlen(got);
		snprintf(got + n, sizeof got - n, "|");
		for (size_t k = start[i]; k < start[i + 1]; k++) {
			n = strlen(got);
			snprintf(got + n, sizeof got - n, "%zu ", order[k]);
		}
	}
	/* fork(0 2) cpu(1 4) io(3), and NULL and "" are one benchmark "" (5 6) */
	T_INTEQ("bench groups: count", (long long)nb, 4);
	T_STREQ("bench groups: first-appearance order", got, "|0 2 |1 4 |3 |5 6 ");
	free(order);
	free(start);
	m.ngroups = 0;
	nb = report_bench_groups(&m, &order, &start);
	T_CHECK("bench groups: none", nb == 0 && start[0] == 0, "%zu benches", nb);
	free(order);
	free(start);

	/* charts_find over thousands of charts, built for a model with that
	 * many metric groups (one bar chart each) in 100 benchmarks, the most
	 * that get charts (REPORT_CHART_BENCHES) */
	enum { NG = 3000 };
	hvb_metric_group *mg = calloc(NG, sizeof *mg);
	char (*names)[16] = calloc(NG, sizeof *names);
	for (int i = 0; mg && names && i < NG; i++) {
		snprintf(names[i], sizeof names[i], "b%d", i % REPORT_CHART_BENCHES);
		mg[i].bench = names[i];
		mg[i].metric = names[i];
	}
	memset(&m, 0, sizeof m);
	m.groups = mg;
	m.ngroups = NG;
	chart_set cs = {0};
	charts_build(&m, &cs);
	int ok = cs.n == NG + REPORT_CHART_BENCHES;
	for (int i = 0; ok && i < NG; i++) {
		char nm[32];
		snprintf(nm, sizeof nm, "metric-%d", i);
		chart *c = charts_find(&cs, nm);
		ok = c && strcmp(c->name, nm) == 0;
		snprintf(nm, sizeof nm, "box-%d", i % REPORT_CHART_BENCHES);
		ok = ok && charts_find(&cs, nm) && strcmp(charts_find(&cs, nm)->name, nm) == 0;
	}
	T_CHECK("charts_find: every chart of thousands", ok, "%zu charts", cs.n);
	T_CHECK("charts_find: unknown name", !charts_find(&cs, "metric-3000") && !charts_find(&cs, "box-100"), "found");
	charts_free(&cs);
	free(mg);
	free(names);
}

int main(void)
{
	bench_order();
	snprintf(pwned, sizeof pwned, "/tmp/hvb-pwned-%d", (int)getpid());
	snprintf(hostile, sizeof hostile,
		 "<script>alert(1)</script> onload=x javascript:y \";system(\"touch %s\")\"`touch %s`@x'\n", pwned, pwned);
	unlink(pwned);
	char dir[] = "/tmp/hvbrender.XXXXXX";
	T_CHECK("mkdtemp", mkdtemp(dir) != NULL, "cannot create temp dir");
	char xlsx[128], charts[128], scripts[128], bad[128];
	snprintf(xlsx, sizeof xlsx, "%s/r.xlsx", dir);
	snprintf(charts, sizeof charts, "%s/charts", dir);
	snprintf(scripts, sizeof scripts, "%s/gp", dir);
	snprintf(bad, sizeof bad, "%s/bad.html", dir);

	hvb_model m;
	build(&m);
	char *argv[] = { "analyze", "data dir/", NULL };
	report_opts o = { .xlsx_path = xlsx, .charts_dir = charts, .scripts_dir = scripts,
			  .gnuplot = getenv("HVB_GNUPLOT") ? getenv("HVB_GNUPLOT") : "gnuplot", .argc = 2, .argv = argv };
	int rc;
	char *html = render(&m, &o, &rc);
	T_INTEQ("report_write rc", rc, 0);
	/* overview + 2 box plots + 2 metric charts */
	T_INTEQ("one inline svg per chart", count(html, "<svg"), 5);
	T_INTEQ("svg closed", count(html, "</svg>"), 5);
	T_INTEQ("no script element", count(html, "<script"), 0);
	T_INTEQ("no img element from data", count(html, "<img"), 0);
	T_CHECK("hostile label shown as text", strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL, "escaped label missing");
	T_CHECK("warning message escaped", strstr(html, "&lt;img src=x onerror=alert(1)&gt;") != NULL, "escaped warning missing");
	T_INTEQ("no external src", count(html, "src=\"") + count(html, "src='"), 0);
	T_INTEQ("no external link element", count(html, "<link"), 0);
	T_INTEQ("no http href", count(html, "href=\"http") + count(html, "href='http") + count(html, "url(http"), 0);
	T_INTEQ("no @import", count(html, "@import"), 0);
	T_CHECK("gnuplot never ran the label", access(pwned, F_OK) != 0, "%s exists", pwned);
	T_CHECK("sections", strstr(html, "id=\"verdict\"") && strstr(html, "id=\"details\"") &&
		strstr(html, "id=\"warnings\"") && strstr(html, "id=\"environments\"") && strstr(html, "id=\"methodology\""),
		"a section is missing");
	T_CHECK("command quoted for the shell", strstr(html, "analyze &#39;data dir/&#39;") != NULL, "command line missing");
	T_CHECK("gnuplot version recorded", strstr(html, "gnuplot 5.") != NULL, "no gnuplot version");
	T_CHECK("non-significant marked", strstr(html, "n.s.") != NULL, "no n.s. mark");
	T_CHECK("chart ids prefixed per chart", strstr(html, "id='c4-gpPt0'") != NULL || strstr(html, "id=\"c4-gnuplot_canvas\"") != NULL, "ids not prefixed");
	struct stat st;
	T_CHECK("xlsx written", stat(xlsx, &st) == 0 && st.st_size > 1000, "no workbook");
	FILE *f = fopen(xlsx, "rb");
	char pk[2] = {0};
	if (f) {
		T_CHECK("xlsx is a zip", fread(pk, 1, 2, f) == 2 && pk[0] == 'P' && pk[1] == 'K', "bad magic");
		fclose(f);
	}
	char p[256];
	snprintf(p, sizeof p, "%s/overview.svg", charts);
	T_CHECK("--charts svg", stat(p, &st) == 0 && st.st_size > 0, "%s missing", p);
	snprintf(p, sizeof p, "%s/metric-1.png", charts);
	T_CHECK("--charts png", stat(p, &st) == 0 && st.st_size > 0, "%s missing", p);
	snprintf(p, sizeof p, "%s/box-0.gp", scripts);
	T_CHECK("--gnuplot-scripts kept", stat(p, &st) == 0 && st.st_size > 0, "%s missing", p);
	free(html);

	/* gnuplot missing: the report is still written, with the note. */
	report_opts o2 = { .gnuplot = "/nonexistent/gnuplot", .argc = 2, .argv = argv };
	html = render(&m, &o2, &rc);
	T_INTEQ("no gnuplot: rc", rc, 0);
	T_INTEQ("no gnuplot: html written", last.html, REPORT_OK);
	T_INTEQ("no gnuplot: no svg", count(html, "<svg"), 0);
	T_CHECK("no gnuplot: note", strstr(html, "class=\"note\">Charts are left out: gnuplot was not found") != NULL, "note missing");
	T_CHECK("no gnuplot: tables still there", strstr(html, "events_per_s") != NULL, "tables missing");
	free(html);

	/* Chart files asked for without gnuplot: only the charts failed. */
	report_opts o5 = { .gnuplot = "/nonexistent/gnuplot", .charts_dir = charts, .argc = 2, .argv = argv };
	html = render(&m, &o5, &rc);
	T_CHECK("no gnuplot, --charts: the charts failed", rc != 0 && last.charts == REPORT_NO_GNUPLOT &&
		last.html == REPORT_OK, "rc %d, status html %d charts %d", rc, last.html, last.charts);
	free(html);

	/* A gnuplot that fails: the report is still written, and says so. */
	report_opts o4 = { .gnuplot = "/bin/false", .argc = 2, .argv = argv };
	html = render(&m, &o4, &rc);
	T_INTEQ("failing gnuplot: rc", rc, 0);
	T_CHECK("failing gnuplot: note", strstr(html, "drew 0 of 5 charts, exit status 1") != NULL, "note missing");
	free(html);

	/* A broken --template is an error naming the line. */
	f = fopen(bad, "w");
	if (f) {
		fputs("<html>\n{{#ranking}}\n</html>\n", f);
		fclose(f);
	}
	report_opts o3 = { .gnuplot = "/nonexistent/gnuplot", .template_path = bad };
	html = render(&m, &o3, &rc);
	T_CHECK("bad template fails", rc != 0, "rc %d", rc);
	T_CHECK("bad template: the HTML failed", last.html == REPORT_FAILED && last.xlsx == REPORT_OK &&
		last.charts == REPORT_OK, "status html %d xlsx %d charts %d", last.html, last.xlsx, last.charts);
	free(html);
	/* A good custom template is used. */
	f = fopen(bad, "w");
	if (f) {
		fputs("<p>{{baseline}}:{{#ranking}}[{{env}}]{{/ranking}}</p>\n", f);
		fclose(f);
	}
	html = render(&m, &o3, &rc);
	T_INTEQ("custom template rc", rc, 0);
	T_CHECK("custom template output", html && strncmp(html, "<p>host:[host][kvm][&lt;script&gt;", 34) == 0, "got %.60s", html ? html : "");
	free(html);

	unlink(pwned);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	T_CHECK("cleanup", system(cmd) == 0, "rm failed");
	return t_exit();
}
