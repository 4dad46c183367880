/*
 * report.h - renderers of the results model for people: the HTML report
 * (from templates/), charts through one gnuplot pipe, and the XLSX workbook.
 * They read the model and never change it.  cli/analyze.c calls
 * report_write() after the model is built.
 */
#ifndef HVB_REPORT_H
#define HVB_REPORT_H

#include <stdio.h>
#include "../model/model.h"
#include "../model/fields.h"

typedef struct report_opts {
	FILE *html;                 /* where the HTML goes (stdout or -o FILE); NULL = none */
	const char *xlsx_path;      /* --xlsx FILE, or NULL */
	const char *charts_dir;     /* --charts DIR: also write SVG and PNG, or NULL */
	const char *scripts_dir;    /* --gnuplot-scripts DIR: keep the scripts, or NULL */
	const char *template_path;  /* --template FILE, or NULL for templates/report.html */
	const char *gnuplot;        /* gnuplot program, default "gnuplot" ($HVB_GNUPLOT) */
	int argc; char **argv;      /* the command line, for "how to reproduce" */
} report_opts;

/* Why one output of report_write was not written (a message was printed). */
typedef enum report_why {
	REPORT_OK = 0,        /* written, or not asked for */
	REPORT_NOT_RUN,       /* nothing was rendered: HVB_GNUPLOT_TIMEOUT is bad */
	REPORT_NO_GNUPLOT,    /* --charts DIR: gnuplot missing, failed or timed out */
	REPORT_FAILED,        /* its renderer failed (template, write or library error) */
} report_why;

/* Each output's outcome: the HTML (o->html), the XLSX (o->xlsx_path), the
 * chart files (o->charts_dir).  An HTML without its charts, when no chart
 * file was asked for, is REPORT_OK: the report says why they are missing. */
typedef struct report_status { report_why html, xlsx, charts; } report_status;

/* Render everything asked for: charts, then the HTML, then the XLSX. */
report_status report_write(const hvb_model *m, const report_opts *o);
/* 1 when every output asked for was written. */
int report_ok(report_status st);

#endif
