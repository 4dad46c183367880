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

/* Render everything asked for; 0 on success, else a message was printed. */
int report_write(const hvb_model *m, const report_opts *o);

#endif
