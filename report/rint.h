/*
 * rint.h - internals shared by the report renderers (the report/ sources): a growable
 * text buffer, the escaping functions (one per destination: HTML, gnuplot
 * strings, spreadsheet text), number formatting, the template engine, the
 * gnuplot driver and the XLSX writer.  Nothing here is part of the analyzer
 * contract; report.h is the only public entry point.
 */
#ifndef HVB_REPORT_RINT_H
#define HVB_REPORT_RINT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include "report.h"
#include "../common/xalloc.h"


/* Charts (a box chart per benchmark, a chart per metric) are drawn for the
 * first this many benchmarks in report order; a campaign with more shows
 * the rest as tables only, and the report says so (html.c).  10,000
 * benchmarks made 20,000 SVGs: 1.9 GB and a minute of gnuplot for a page
 * no one scrolls; every figure stays in the tables, --summary-csv, --xlsx. */
#define REPORT_CHART_BENCHES 100
/* And for this many environments: past it, the charts draw the baseline
 * and the best by overall score (charts.c chart_envs()), the tables every
 * one.  100,000 environments made bar charts of 100,000 bars that gnuplot
 * did not finish in minutes; the palette has 10 colours anyway. */
#define REPORT_CHART_ENVS 20

/* xmalloc, xrealloc, xstrdup: the analyzer's one allocation layer (out of
 * memory is exit 5), common/xalloc.h. */
void rlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ------------------------------------------------------------ buffer */
typedef struct rbuf {
	char *s;        /* always NUL-terminated once anything was added */
	size_t len, cap;
} rbuf;

void rbuf_add(rbuf *b, const char *s);
void rbuf_addn(rbuf *b, const char *s, size_t n);
void rbuf_addc(rbuf *b, char c);
void rbuf_addf(rbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *rbuf_str(rbuf *b);   /* "" when empty, never NULL */
char *rbuf_take(rbuf *b);
/* Scores by (env, category), index env * (ncategories + 1) + category,
 * "overall" last; NULL where none.  Caller frees the array. */
const hvb_score **report_score_table(const hvb_model *m);
/* The A/A noise floor f as the band of scores that tie with the baseline,
 * [1 / (1 + f), 1 + f] (analyze: |log score| <= log1p(f)); the HTML's and
 * the XLSX's overview charts draw it. */
void report_floor_band(double f, double *lo, double *hi);
/* gnuplot's SVG made fit to inline: prolog dropped, ids prefixed "c<idx>-"
 * inside tags, NULL when it holds anything active (svg.c). */
char *report_inline_svg(const char *raw, size_t idx);        /* caller owns the string; b is reset */
/* The whole file as a NUL-terminated string (caller frees), or NULL. */
char *rfile_read(const char *path);
void rbuf_free(rbuf *b);

/* ------------------------------------------------------------ escaping
 * Untrusted text (anything from a CSV) goes through exactly one of these on
 * its way to a destination.  All of them also repair invalid UTF-8 (U+FFFD)
 * so a hostile byte sequence cannot break the document around it. */

/* HTML text or attribute value: & < > " ' become entities; C0 controls
 * other than tab/newline become U+FFFD.  NULL appends nothing. */
void esc_html(rbuf *b, const char *s);
/* A complete gnuplot double-quoted string literal, quotes included.  Every
 * byte outside [A-Za-z0-9 _.-] is written as a \ooo octal escape, so the
 * command text never holds a quote, backquote (command substitution), @
 * (macro), backslash or newline from the data: a label is only ever data.
 * Newlines and other controls become spaces. */
void esc_gnuplot(rbuf *b, const char *s);
/* The same for an explicit tic label, which gnuplot reads as a format:
 * each '%' doubled. */
void esc_gnuplot_tic(rbuf *b, const char *s);
/* Text for a spreadsheet cell: valid UTF-8, no C0 controls but tab and
 * newline, at most 32767 characters (Excel's cell limit).  The caller writes
 * it with worksheet_write_string(), which always stores a string, never a
 * formula, whatever the text starts with. */
const char *esc_sheet(rbuf *scratch, const char *s);
/* 1 when a spreadsheet program would take this text for a formula if it
 * were typed or imported (=, +, -, @, tab, CR first). */
int sheet_looks_like_formula(const char *s);

/* ------------------------------------------------------------ numbers */
/* Human figures: 4 significant digits, no exponent for 1e-3..1e15;
 * "n/a" for NAN/inf.  Returns buf. */
const char *fmt_num(char *buf, size_t n, double x);
/* "+12.3 %" style signed percentage, "n/a" for NAN. */
const char *fmt_pct(char *buf, size_t n, double x);
/* p-value: "0.0123", "<0.0001", "n/a". */
const char *fmt_p(char *buf, size_t n, double p);

/* ------------------------------------------------------------ template
 * A view is a tree of objects (key -> value); a value is text (escaped on
 * output), trusted HTML built by the renderer (inserted as is), or a list
 * of objects.  See docs/report.md for the template syntax. */
typedef struct tv tv;
tv *tv_new(void);
void tv_free(tv *o);
void tv_text(tv *o, const char *key, const char *text);   /* copied */
void tv_textf(tv *o, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void tv_html(tv *o, const char *key, char *html);         /* takes ownership */
void tv_flag(tv *o, const char *key, int on);             /* truthy "1" or absent */
tv *tv_list(tv *o, const char *key);                      /* a new list value */
tv *tv_push(tv *list);                                    /* a new object in a list */

typedef struct tmpl tmpl;
/* Parse a template; name is used in error messages ("file:line: ...").
 * NULL on error, with *err set to a malloc'ed message. */
tmpl *tmpl_parse(const char *text, const char *name, char **err);
void tmpl_render(const tmpl *t, const tv *view, rbuf *out);
void tmpl_free(tmpl *t);

/* Built-in template and stylesheet (templates/ compiled in). */
extern const char report_tmpl_html[];
extern const char report_tmpl_css[];

/* ------------------------------------------------------------ charts */
typedef struct chart {
	char *name;      /* file stem: "metric-3", "box-forkbench", "overview" */
	char *title;     /* untrusted text allowed: escaped where used */
	char *script;    /* gnuplot commands without terminal/output lines */
	char *svg;       /* inline-ready <svg>...</svg> after charts_run(), or NULL */
	int w, h;        /* its size in pixels; 0: the default 860 x 400 */
} chart;

typedef struct chart_set {
	chart *c;
	size_t n, cap;
	size_t *hidx, hcap;  /* charts_find()'s hash of names: index + 1, 0 empty */
	char *note;      /* why charts are missing (gnuplot absent, failed), or NULL */
	char *gnuplot_version;
	/* The environments the charts draw (chart_envs()): env_on[e], and
	 * env_slot[e] its position among them in model order; nenv_on of
	 * them, which_on says how they were chosen ("best", "first"). */
	unsigned char *env_on;
	size_t *env_slot, nenv_on;
	const char *which_on;
} chart_set;

/* The chart scripts for a model: per metric group a bar chart, per
 * benchmark a box plot, and the overview. */
void charts_build(const hvb_model *m, chart_set *cs);
/* The gnuplot process (gnuplot.c).  Seconds gnuplot may take
 * (HVB_GNUPLOT_TIMEOUT, default 120), or -1 after a message naming the
 * variable when its value is not 1..86400. */
int charts_timeout_s(void);
/* Run every chart through ONE gnuplot process; fills c[i].svg, writes
 * SVG+PNG into charts_dir and scripts into scripts_dir when given.  gnuplot
 * still running after timeout_s seconds (writing the script included) is
 * stopped with its process group.  Returns 0, or -1 with cs->note saying
 * why (the report goes on). */
int charts_run(chart_set *cs, const char *gnuplot, int timeout_s, const char *charts_dir,
	       const char *scripts_dir);
chart *charts_find(chart_set *cs, const char *name);
/* The metric groups by benchmark, benchmarks in the order of their first
 * group: *order lists group indices bench by bench (each bench's in model
 * order), bench i is (*order)[(*start)[i] .. (*start)[i+1]).  Returns the
 * number of benchmarks; the caller frees both arrays.  O(G log G). */
size_t report_bench_groups(const hvb_model *m, size_t **order, size_t **start);
void charts_free(chart_set *cs);
/* Colour of environment index i: the same in every chart, HTML and XLSX. */
const char *env_color(int i);

/* ------------------------------------------------------------ verdict
 * One notion of "no difference" (verdict.c): slower / faster only when the
 * interval shown beside the figure excludes 1 (a score also outside its
 * noise floor).  Colours, words and the XLSX Summary use these. */
enum { RV_BASE, RV_NONE, RV_SLOWER, RV_FASTER, RV_UNKNOWN };
int report_score_verdict(const hvb_model *m, const hvb_score *s);
int report_series_verdict(const hvb_model *m, const hvb_series *s);
/* "docker: 5.7 % slower overall [2.4, 9.5]; network 27 % slower; cpu,
 * memory: no difference this campaign can see" for env e; tab from
 * report_score_table().  Caller frees. */
char *report_verdict_words(const hvb_model *m, size_t e, const hvb_score *const *tab);
/* The line under the verdict table: which interval, which rule.  Caller frees. */
char *report_interval_note(const hvb_model *m);

/* ------------------------------------------------------------ renderers */
int html_write(const hvb_model *m, const report_opts *o, chart_set *cs);
/* Parts of html_write's view (html_trust.c): the uplink against the
 * loopback, the noisy headline series, the disturbed repetitions. */
void html_uplink(const hvb_model *m, tv *v);
void html_noise_view(const hvb_model *m, tv *v);
void html_disturbed_view(const hvb_model *m, tv *v);
/* A series' identity in a row of a view: env, its colour, bench, metric, params. */
void html_series_id(tv *o, const hvb_model *m, const hvb_series *s);
int xlsx_write(const hvb_model *m, const char *path);

#endif
