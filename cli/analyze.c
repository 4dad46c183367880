/*
 * cli/analyze.c - `analyze [options] PATH...`, the analyzer's CLI: parse
 * the options (one table drives parsing and --help), then ingest -> build
 * (statistics, baseline, ranks, warnings) -> render: --summary-csv, --json,
 * --text (analyze/), and the HTML report / XLSX / charts through
 * report_write() (report/).  `analyze import TOOL FILE --env LABEL` converts
 * other tools' results to hvb1 CSV (analyze/import.c).  The top layer: it
 * alone includes both analyze/ and report/ (docs/architecture.md).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../analyze/analyze.h"
#include "../version.h"
#include "../common/catch.h"
#include "../report/report.h"

/* The XLSX Samples sheet: rows by default, and Excel's limit (its last
 * row is 1048576; the header takes one). */
#define XLSX_SAMPLES_DEFAULT 100000
#define XLSX_ROWS_MAX 1048575

static struct {
	const char *out, *xlsx, *charts, *scripts, *template_path;
	const char *summary, *json, *baseline;
	const char *profile, *seed, *resamples, *groups, *aa;
	const char *max_field, *max_line, *max_inflate, *xlsx_samples;
	int text, drop, keep_going, no_sidecars, quiet, help, version, fields;
	int keep_disturbed, list_disturbed;
} o;

typedef struct opt {
	const char *name;
	char shrt;
	int takes_arg;     /* 1: const char * dest; 0: int flag */
	void *dest;
	const char *metavar, *help;
} opt;

static const opt opts[] = {
	{ "output", 'o', 1, &o.out, "FILE", "write the HTML report to FILE (default: stdout)" },
	{ "xlsx", 0, 1, &o.xlsx, "FILE", "also write the XLSX workbook" },
	{ "xlsx-samples", 0, 1, &o.xlsx_samples, "N|all", "raw rows in the workbook's Samples sheet at most; past N, an even sample of each series (default 100000; all: up to Excel's 1048575)" },
	{ "charts", 0, 1, &o.charts, "DIR", "also write the charts as SVG and PNG into DIR" },
	{ "gnuplot-scripts", 0, 1, &o.scripts, "DIR", "keep the gnuplot scripts in DIR" },
	{ "template", 0, 1, &o.template_path, "FILE", "HTML template (default: the built-in templates/report.html)" },
	{ "summary-csv", 0, 1, &o.summary, "FILE", "one CSV row per series: statistics, ratio, CI, p, rank ('-': stdout)" },
	{ "json", 0, 1, &o.json, "FILE", "the results model as JSON ('-': stdout)" },
	{ "text", 0, 0, &o.text, NULL, "plain-text summary table on stdout" },
	{ "baseline", 0, 1, &o.baseline, "ENV", "compare with ENV (default: virt=none and container=none, else host/native)" },
	{ "profile", 0, 1, &o.profile, "FILE", "scoring profile: which metrics are scored, categories, weights (default: the built-in analyze/default.profile)" },
	{ "seed", 0, 1, &o.seed, "N", "seed of the bootstrap behind the scores' CIs (default 1)" },
	{ "resamples", 0, 1, &o.resamples, "N", "bootstrap resamples for the scores' CIs, 200-100000 (default 2000)" },
	{ "group", 0, 1, &o.groups, "ENV=NAME,...", "pool these environments as one hypervisor across machines (default: virt, container and label stem)" },
	{ "aa", 0, 1, &o.aa, "A=B,...", "A and B are the same environment measured twice (an A/A pair): report the campaign's noise floor and call differences inside it ties (also from collect/plan --aa)" },
	{ "drop-outliers", 0, 0, &o.drop, NULL, "leave modified-z-score outliers out of the statistics" },
	{ "keep-disturbed", 0, 0, &o.keep_disturbed, NULL, "keep disturbed repetitions and runs in the statistics and scores (they are named either way)" },
	{ "list-disturbed", 0, 0, &o.list_disturbed, NULL, "print one TSV line per disturbed repetition or run (file, run, round, env, scope, rule, amount, kept|left-out) and exit" },
	{ "keep-going", 0, 0, &o.keep_going, NULL, "analyze despite rejected rows (they are listed in the outputs)" },
	{ "no-sidecars", 0, 0, &o.no_sidecars, NULL, "ignore collect's .meta and .host.tsv beside the CSVs (host cost, clock check)" },
	{ "max-field", 0, 1, &o.max_field, "BYTES", "reject a CSV field longer than this (default 1M; K, M, G suffixes)" },
	{ "max-line", 0, 1, &o.max_line, "BYTES", "reject a CSV line longer than this (default 16M)" },
	{ "max-inflate-ratio", 0, 1, &o.max_inflate, "N", "stop reading gzip data that inflates more than N times (default 100)" },
	{ "quiet", 'q', 0, &o.quiet, NULL, "no notes on stderr (errors still)" },
	{ "help", 'h', 0, &o.help, NULL, "this help" },
	{ "version", 'V', 0, &o.version, NULL, "print the version" },
	{ "fields", 0, 0, &o.fields, NULL, "print the fields of the summary CSV, JSON and XLSX (Markdown: docs/fields.md)" },
	{ 0 },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: analyze [options] PATH...\n"
		   "       analyze import fio|iperf3|sysbench FILE --env LABEL [--virt V] [--container C] > out.csv\n"
		   "Reads every *.csv and *.csv.gz under the PATHs (hvb1 result files), computes\n"
		   "statistics, compares each environment with the baseline, ranks them, warns of\n"
		   "pitfalls and renders the results.\n\noptions:\n");
	for (const opt *p = opts; p->name; p++) {
		char left[64], shrt[8] = "    ";
		if (p->shrt)
			snprintf(shrt, sizeof shrt, "-%c, ", p->shrt);
		snprintf(left, sizeof left, "%s--%s%s%s", shrt, p->name, p->takes_arg ? " " : "",
			 p->takes_arg ? p->metavar : "");
		fprintf(f, "  %-28s %s\n", left, p->help);
	}
	fprintf(f, "\nThe HTML report goes to -o FILE, else to stdout unless --text, --json or\n"
		   "--summary-csv is asked for (--xlsx and --charts are written besides it).\n");
	fprintf(f, "\nexit status: 0 done, 1 input rejected (without --keep-going), 2 usage,\n"
		   "3 an output could not be written, 4 no input found, 6 out of memory\n");
}

/* "1048576", "1024K", "1M", "1G" -> bytes, 1..2^40; -1 when not that. */
static int parse_size(const char *name, const char *s, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	unsigned long long mul = 1;
	if (*end == 'K' || *end == 'k') mul = 1ULL << 10, end++;
	else if (*end == 'M' || *end == 'm') mul = 1ULL << 20, end++;
	else if (*end == 'G' || *end == 'g') mul = 1ULL << 30, end++;
	if (errno || end == s || *end || s[0] == '-' || v == 0 || v > (1ULL << 40) / mul) {
		az_err("option --%s: \"%s\" is not a size (expected bytes, 1 to 1T, with an "
		       "optional K, M or G suffix)", name, s);
		return -1;
	}
	*out = (size_t)(v * mul);
	return 0;
}

static int set_limits(void)
{
	if (o.max_field && parse_size("max-field", o.max_field, &az_limit.max_field) < 0)
		return -1;
	if (o.max_line && parse_size("max-line", o.max_line, &az_limit.max_line) < 0)
		return -1;
	if (o.max_inflate) {
		double v;
		if (az_parse_double(o.max_inflate, &v) < 0 || !(v >= 1 && v <= 1e9)) {
			az_err("option --max-inflate-ratio: \"%s\" is not a ratio from 1 to 1e9",
			       o.max_inflate);
			return -1;
		}
		az_limit.max_inflate_ratio = v;
	}
	return 0;
}

static const opt *find_opt(const char *arg, const char **val)
{
	*val = NULL;
	if (arg[0] == '-' && arg[1] != '-' && arg[1] && !arg[2]) {
		for (const opt *p = opts; p->name; p++)
			if (p->shrt == arg[1])
				return p;
		return NULL;
	}
	if (strncmp(arg, "--", 2) != 0)
		return NULL;
	const char *name = arg + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	for (const opt *p = opts; p->name; p++)
		if (strlen(p->name) == len && strncmp(p->name, name, len) == 0) {
			if (eq)
				*val = eq + 1;
			return p;
		}
	return NULL;
}

/* Returns the number of paths moved to the front of argv, or -1. */
static int parse(int argc, char **argv)
{
	int np = 0, only_paths = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_paths || a[0] != '-' || !a[1]) {
			argv[np++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_paths = 1;
			continue;
		}
		const char *val;
		const opt *p = find_opt(a, &val);
		if (!p) {
			az_err("unknown option '%s' (see --help)", a);
			return -1;
		}
		if (p->takes_arg) {
			if (!val) {
				if (i + 1 >= argc) {
					az_err("option --%s needs a value: %s", p->name, p->metavar);
					return -1;
				}
				val = argv[++i];
			}
			if (!*val) {
				az_err("option --%s: empty value, expected %s", p->name, p->metavar);
				return -1;
			}
			*(const char **)p->dest = val;
		} else {
			if (val) {
				az_err("option --%s takes no value", p->name);
				return -1;
			}
			*(int *)p->dest = 1;
		}
	}
	return np;
}

/* ---- outputs: complete or absent ----
 * An output file (-o, --xlsx, --summary-csv, --json) is written to a
 * temporary file in its own directory and renamed over its name only when
 * complete, so a killed or failing analyzer never leaves a truncated report
 * or an empty one in place of the previous one.  SIGINT, SIGTERM and SIGHUP
 * remove the temporary files.  A name that is not a regular file (/dev/null,
 * a FIFO, /dev/stdout) is written in place: there is nothing to rename over. */
#define MAX_TMP_OUT 8
static char *tmp_out[MAX_TMP_OUT];
static volatile sig_atomic_t ntmp_out;

static void on_signal(int sig)
{
	for (int i = 0; i < ntmp_out; i++)
		if (tmp_out[i])
			unlink(tmp_out[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	hvb_catch(on_signal, sigs, sizeof sigs / sizeof sigs[0]);
}

typedef struct outfile {
	const char *path;   /* as given */
	char *final;        /* what the temporary file is renamed to; NULL: in place */
	char *tmp;
	FILE *f;
} outfile;

/* The temporary name for path (created, mode 0666 & ~umask), or NULL when path
 * is written in place; *final gets the name to rename to (symlinks resolved). */
static char *tmp_for(const char *path, char **final, int *fd)
{
	struct stat st;
	*final = NULL;
	*fd = -1;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return NULL;
	char *target = NULL;
	struct stat lst;
	if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
		target = realpath(path, NULL);
	if (!target)
		target = xstrdup(path);
	const char *slash = strrchr(target, '/');
	char *tmp = slash ? xasprintf("%.*s/.%s.XXXXXX", (int)(slash - target), target, slash + 1)
			  : xasprintf(".%s.XXXXXX", target);
	*fd = mkstemp(tmp);
	if (*fd < 0) {
		az_err("cannot write %s: %s (creating a temporary file beside it)", path,
		       strerror(errno));
		free(tmp);
		free(target);
		return (char *)-1;
	}
	mode_t um = umask(0);
	umask(um);
	fchmod(*fd, 0666 & ~um);
	if (ntmp_out < MAX_TMP_OUT) {
		tmp_out[ntmp_out] = tmp;
		ntmp_out = ntmp_out + 1;
	}
	*final = target;
	return tmp;
}

static void forget_tmp(const char *tmp)
{
	for (int i = 0; i < ntmp_out; i++)
		if (tmp_out[i] == tmp)
			tmp_out[i] = NULL;
}

/* Begin an output: o->f to write to (stdout for "-"), or -1. */
static int out_begin(outfile *o, const char *path, int want_file)
{
	memset(o, 0, sizeof *o);
	o->path = path;
	if (strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	int fd;
	o->tmp = tmp_for(path, &o->final, &fd);
	if (o->tmp == (char *)-1) {
		o->tmp = NULL;
		return -1;
	}
	if (!want_file) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	o->f = fd >= 0 ? fdopen(fd, "w") : fopen(path, "w");
	if (!o->f) {
		az_err("cannot write %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		if (o->tmp) {
			unlink(o->tmp);
			forget_tmp(o->tmp);
		}
		return -1;
	}
	return 0;
}

/* The name to give a writer that opens the file itself (the XLSX writer). */
static const char *out_name(const outfile *o) { return o->tmp ? o->tmp : o->path; }

/* Finish an output: close, and rename into place when ok; else remove the
 * temporary file and leave what was there before.  0 or -1. */
static int out_end(outfile *o, int ok)
{
	int bad = !ok;
	if (o->f) {
		bad |= ferror(o->f);
		if (o->f == stdout)
			bad |= fflush(o->f) != 0;
		else
			bad |= fclose(o->f) != 0;
		if (bad && ok)
			az_err("error writing %s: %s", o->path, strerror(errno));
	}
	if (o->tmp) {
		if (!bad && rename(o->tmp, o->final) < 0) {
			az_err("cannot write %s: %s (renaming the finished temporary file %s)",
			       o->path, strerror(errno), o->tmp);
			bad = 1;
		}
		if (bad)
			unlink(o->tmp);
		forget_tmp(o->tmp);
		free(o->tmp);
	}
	free(o->final);
	memset(o, 0, sizeof *o);
	return bad ? -1 : 0;
}

typedef int (*writer)(const hvb_model *, FILE *);

static int text_writer(const hvb_model *m, FILE *f)
{
	model_print_text(m, f);
	return ferror(f) ? -1 : 0;
}

static int write_to(const hvb_model *m, const char *path, writer w)
{
	outfile o;
	if (out_begin(&o, path, 1) < 0)
		return -1;
	int rc = w(m, o.f);
	return out_end(&o, rc == 0) < 0 || rc < 0 ? -1 : 0;
}

static int run(int argc, char **argv, char **args, int np);

/* --profile (read whole; a profile is small), --seed, --resamples. */
static int scoring_opts(az_opts *ao, char **text)
{
	long v;
	if (o.seed) {
		if (az_parse_long(o.seed, 0, 4294967295L, &v) < 0) {
			az_err("--seed %s: expected an integer from 0 to 4294967295", o.seed);
			return -1;
		}
		ao->seed = (unsigned long)v;
	}
	if (o.resamples) {
		if (az_parse_long(o.resamples, 200, 100000, &v) < 0) {
			az_err("--resamples %s: expected an integer from 200 to 100000", o.resamples);
			return -1;
		}
		ao->resamples = (size_t)v;
	}
	if (o.groups) {
		for (const char *p = o.groups; *p;) {
			const char *end = strchr(p, ',');
			size_t len = end ? (size_t)(end - p) : strlen(p);
			const char *eq = memchr(p, '=', len);
			if (!eq || eq == p || eq == p + len - 1) {
				az_err("--group %s: expected ENV=NAME[,ENV=NAME...]", o.groups);
				return -1;
			}
			p += len + (end ? 1 : 0);
		}
	}
	if (o.aa) {
		for (const char *p = o.aa; *p;) {
			const char *end = strchr(p, ',');
			size_t len = end ? (size_t)(end - p) : strlen(p);
			const char *eq = memchr(p, '=', len);
			if (!eq || eq == p || eq == p + len - 1) {
				az_err("--aa %s: expected A=B[,C=D...] (two labels of the same environment)", o.aa);
				return -1;
			}
			p += len + (end ? 1 : 0);
		}
		ao->aa = o.aa;
	}
	if (!o.profile)
		return 0;
	char *buf;
	size_t n;
	int e = az_read_file(o.profile, 1u << 24, &buf, &n);
	if (e || memchr(buf, '\0', n)) {
		az_err("--profile %s: %s", o.profile, e == EFBIG ? "larger than 16 MiB: not a scoring profile"
			: e ? strerror(e) : "binary data: not a scoring profile");
		free(buf);
		return -1;
	}
	ao->profile_text = *text = buf;
	ao->profile_name = o.profile;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "import") == 0)
		return az_import_main(argc - 1, argv + 1);
	char **args = xmalloc((size_t)argc * sizeof *args);
	memcpy(args, argv, (size_t)argc * sizeof *args);
	int np = parse(argc, args);
	int rc = run(argc, argv, args, np);
	free(args);
	return rc;
}

/* Everything after option parsing; args[0..np-1] are the paths; argc/argv
 * (the command line as given) go to the report for "how to reproduce". */
static int run(int argc, char **argv, char **args, int np)
{
	(void)argc;   /* used only with the report */
	(void)argv;
	if (np < 0)
		return AZ_EXIT_USAGE;
	if (o.help) {
		usage(stdout);
		return AZ_EXIT_OK;
	}
	if (o.version) {
		printf("analyze (hvbench) %s, reads %s\n", HVB_VERSION, HVB_SCHEMA);
		return AZ_EXIT_OK;
	}
	if (o.fields) {
		hvb_fields_markdown(stdout);
		return fflush(stdout) || ferror(stdout) ? AZ_EXIT_OUTPUT : AZ_EXIT_OK;
	}
	if (np == 0) {
		az_err("no PATH given: name the result directories or CSV files (see --help)");
		return AZ_EXIT_USAGE;
	}
	az_quiet = o.quiet;
	if (set_limits() < 0)
		return AZ_EXIT_USAGE;
	install_signals();
	/* The HTML: to -o, else to stdout unless a machine-readable output
	 * is asked for (--text, --json, --summary-csv); --xlsx and --charts
	 * are "also": `analyze --xlsx r.xlsx data/ > report.html` works. */
	int html = !o.list_disturbed && (o.out || !(o.summary || o.json || o.text));
	int want_report = html || o.xlsx || o.charts;
	/* Excel's last row is 1048576, the header takes one. */
	size_t xlsx_samples = XLSX_SAMPLES_DEFAULT;
	if (o.xlsx_samples) {
		long v;
		if (strcmp(o.xlsx_samples, "all") == 0)
			xlsx_samples = XLSX_ROWS_MAX;
		else if (az_parse_long(o.xlsx_samples, 1, XLSX_ROWS_MAX, &v) == 0)
			xlsx_samples = (size_t)v;
		else {
			az_err("--xlsx-samples %s: expected a number of rows from 1 to %d, or all", o.xlsx_samples,
			       XLSX_ROWS_MAX);
			return AZ_EXIT_USAGE;
		}
	}

	hvb_model m = { 0 };
	int files = 0;
	for (int i = 0; i < np; i++) {
		int n = az_ingest_path(&m, args[i]);
		if (n > 0)
			files += n;
	}
	if (files == 0) {
		az_err("no result CSV read from the given path%s", np > 1 ? "s" : "");
		model_free(&m);
		return AZ_EXIT_NOINPUT;
	}
	if (!o.no_sidecars)
		az_ingest_sidecars(&m);
	az_opts ao;
	az_opts_default(&ao);
	ao.baseline = o.baseline;
	ao.drop_outliers = o.drop;
	ao.groups = o.groups;
	ao.keep_disturbed = o.keep_disturbed;
	/* The rows as hvb_row (144 bytes each, most of the memory) only as
	 * report/ needs them: the XLSX Samples sheet's, and every row only for a
	 * plan's time-series charts; the summary CSV, JSON and text never
	 * read them. */
	ao.rows_for_charts = html || o.charts;
	ao.rows_max = o.xlsx ? xlsx_samples : 0;
	char *profile_text = NULL;
	if (scoring_opts(&ao, &profile_text) < 0) {
		model_free(&m);
		return AZ_EXIT_USAGE;
	}
	int built = az_build(&m, &ao);
	free(profile_text);
	if (built < 0) {
		model_free(&m);
		return AZ_EXIT_USAGE;
	}
	if (m.nbad && !o.keep_going) {
		az_err("%zu problem%s in the input (listed above); fix %s, or give --keep-going "
		       "to analyze the rest with %s listed in the outputs", m.nbad,
		       m.nbad > 1 ? "s" : "", m.nbad > 1 ? "them" : "it", m.nbad > 1 ? "them" : "it");
		model_free(&m);
		return AZ_EXIT_BADDATA;
	}
	if (o.list_disturbed) {   /* for collect/plan: what to run again */
		int lrc = write_to(&m, "-", az_write_disturbed_tsv) < 0 ? AZ_EXIT_OUTPUT : AZ_EXIT_OK;
		model_free(&m);
		return lrc;
	}
	int rc = AZ_EXIT_OK;
	if (o.summary && write_to(&m, o.summary, az_write_summary_csv) < 0)
		rc = AZ_EXIT_OUTPUT;
	if (o.json && write_to(&m, o.json, az_write_json) < 0)
		rc = AZ_EXIT_OUTPUT;
	if (o.text && write_to(&m, "-", text_writer) < 0)
		rc = AZ_EXIT_OUTPUT;
	if (want_report) {
		report_opts ro = { 0 };
		outfile ho = { 0 }, xo = { 0 };
		if (html && out_begin(&ho, o.out ? o.out : "-", 1) < 0)
			rc = AZ_EXIT_OUTPUT;
		else if (o.xlsx && out_begin(&xo, o.xlsx, 0) < 0) {
			rc = AZ_EXIT_OUTPUT;
			if (html)
				out_end(&ho, 0);
		} else {
			ro.html = html ? ho.f : NULL;
			ro.xlsx_path = o.xlsx ? out_name(&xo) : NULL;
			ro.charts_dir = o.charts;
			ro.scripts_dir = o.scripts;
			ro.template_path = o.template_path;
			ro.gnuplot = getenv("HVB_GNUPLOT") ? getenv("HVB_GNUPLOT") : "gnuplot";
			ro.argc = argc;
			ro.argv = argv;
			/* Each output is kept when report_write says it was written
			 * (and the HTML's stream saw no error); one that was not
			 * leaves the previous file in place. */
			report_status st = report_write(&m, &ro);
			if (!report_ok(st))
				rc = AZ_EXIT_OUTPUT;
			int html_ok = html && st.html == REPORT_OK && !ferror(ho.f);
			if (html && out_end(&ho, html_ok) < 0)
				rc = AZ_EXIT_OUTPUT;
			int xlsx_ok = st.xlsx == REPORT_OK;
			if (o.xlsx && out_end(&xo, xlsx_ok) < 0)
				rc = AZ_EXIT_OUTPUT;
		}
	}
	model_free(&m);
	return rc;
}
