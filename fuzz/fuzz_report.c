/*
 * fuzz_report.c - libFuzzer target for the report path.  The first byte
 * chooses what the rest is:
 *   0  an input file: ingest, build, then the whole report (HTML into
 *      /dev/null, the XLSX workbook into a scratch file; gnuplot absent,
 *      so the report's no-chart path);
 *   1  a template: the template engine parses it and renders it with a
 *      small view (text, flags, a list);
 *   2  an SVG as gnuplot might write it: the post-processing that makes it
 *      fit inline (ids prefixed, active content refused).
 * Built and run by `make fuzz-report` (and `make fuzz`).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../analyze/analyze.h"
#include "../report/report.h"
#include "../report/rint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void report_of(const uint8_t *data, size_t size)
{
	static FILE *null;
	static char xlsx[64];
	if (!null) {
		null = fopen("/dev/null", "w");
		snprintf(xlsx, sizeof xlsx, "/tmp/fuzz-report-%ld.xlsx", (long)getpid());
	}
	hvb_model m = { 0 };
	az_ingest_buffer(&m, "fuzz.csv", data, size);
	az_opts o;
	az_opts_default(&o);
	o.resamples = 200;
	if (az_build(&m, &o) == 0 && null) {
		report_opts ro = { 0 };
		ro.html = null;
		ro.xlsx_path = xlsx;
		ro.gnuplot = "/nonexistent/gnuplot";
		report_write(&m, &ro);
		unlink(xlsx);
	}
	model_free(&m);
}

static void template_of(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return;
	memcpy(text, data, size);
	text[size] = 0;
	char *err = NULL;
	tmpl *t = tmpl_parse(text, "fuzz.html", &err);
	if (t) {
		tv *v = tv_new();
		tv_text(v, "title", "<b>t</b>");
		tv_flag(v, "flag", 1);
		tv *l = tv_list(v, "list");
		tv_text(tv_push(l), "name", "a&b");
		tv_text(tv_push(l), "name", "\"c\"");
		rbuf out = {0};
		tmpl_render(t, v, &out);
		rbuf_free(&out);
		tv_free(v);
		tmpl_free(t);
	}
	free(err);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	az_quiet = 2;
	if (!size)
		return 0;
	switch (data[0] % 3) {
	case 0:
		report_of(data + 1, size - 1);
		break;
	case 1:
		template_of(data + 1, size - 1);
		break;
	default: {
		char *svg = malloc(size);
		if (!svg)
			break;
		memcpy(svg, data + 1, size - 1);
		svg[size - 1] = 0;
		free(report_inline_svg(svg, 3));
		free(svg);
		break;
	}
	}
	return 0;
}
