/*
 * report.c - report_write(): the one entry point the analyzer calls.  Order
 * matters: charts first (one gnuplot process for all of them; the HTML
 * embeds their SVG and names gnuplot's version), then the HTML, then the
 * XLSX workbook.  A missing gnuplot, or one that does not finish within
 * HVB_GNUPLOT_TIMEOUT, only costs the charts, with a note in the report
 * saying why.
 */
#include <stdlib.h>
#include "rint.h"

report_status report_write(const hvb_model *m, const report_opts *o)
{
	report_status st = { REPORT_OK, REPORT_OK, REPORT_OK };
	chart_set cs = {0};
	if (o->html || o->charts_dir || o->scripts_dir) {
		/* A bad HVB_GNUPLOT_TIMEOUT stops the report before anything is written. */
		int timeout_s = charts_timeout_s();
		if (timeout_s < 0) {
			if (o->html)
				st.html = REPORT_NOT_RUN;
			if (o->xlsx_path)
				st.xlsx = REPORT_NOT_RUN;
			if (o->charts_dir)
				st.charts = REPORT_NOT_RUN;
			return st;
		}
		const char *gp = o->gnuplot;
		if (!gp || !*gp)
			gp = getenv("HVB_GNUPLOT");
		charts_build(m, &cs);
		/* Without gnuplot the report is still written, with the note;
		 * only chart files explicitly asked for make it an error. */
		if (charts_run(&cs, gp && *gp ? gp : "gnuplot", timeout_s, o->charts_dir, o->scripts_dir) < 0) {
			if (cs.note)
				rlog("%s", cs.note);
			if (o->charts_dir)
				st.charts = REPORT_NO_GNUPLOT;
		}
	}
	if (o->html && html_write(m, o, &cs) < 0)
		st.html = REPORT_FAILED;
	if (o->xlsx_path && xlsx_write(m, o->xlsx_path) < 0)
		st.xlsx = REPORT_FAILED;
	charts_free(&cs);
	return st;
}

int report_ok(report_status st)
{
	return st.html == REPORT_OK && st.xlsx == REPORT_OK && st.charts == REPORT_OK;
}
