/*
 * test_analyze_ingest_fast.c - plain lines (no quote, no bare CR) are
 * split by ingest.c itself, every other line by libcsv (issue 13).  The two
 * must read the same rows: the same text is read once as it is and once
 * with every field quoted (so libcsv reads every line), and every row's
 * fields, line number and value must agree; blanks and tabs around a
 * field, CRLF, blank lines, lines of blanks, a trailing comma and a row
 * with too few fields are among them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "t.h"

#define HDR "schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note"

/* Each line of text with its fields quoted ("a" for a, blanks outside the
 * quotes kept), so that no line is plain. */
static char *quoted(const char *text)
{
	size_t n = strlen(text);
	char *out = malloc(3 * n + 16), *o = out;
	const char *p = text;
	while (*p) {
		const char *eol = p + strcspn(p, "\r\n");
		/* fields: between commas; a line of blanks stays as it is */
		if (strspn(p, " \t") == (size_t)(eol - p)) {
			memcpy(o, p, (size_t)(eol - p));
			o += eol - p;
		} else {
			for (const char *f = p; f <= eol;) {
				const char *c = memchr(f, ',', (size_t)(eol - f));
				const char *e = c ? c : eol, *a = f, *z = e;
				while (a < z && (*a == ' ' || *a == '\t'))
					*o++ = *a++;
				const char *zz = z;
				while (zz > a && (zz[-1] == ' ' || zz[-1] == '\t'))
					zz--;
				*o++ = '"';
				memcpy(o, a, (size_t)(zz - a));
				o += zz - a;
				*o++ = '"';
				memcpy(o, zz, (size_t)(z - zz));
				o += z - zz;
				if (!c)
					break;
				*o++ = ',';
				f = c + 1;
			}
		}
		p = eol;
		while (*p == '\r' || *p == '\n')
			*o++ = *p++;
	}
	*o = 0;
	return out;
}

static int same_row(const hvb_row *a, const hvb_row *b)
{
	return a->line == b->line && a->rep == b->rep &&
	       (a->value == b->value || (isnan(a->value) && isnan(b->value))) &&
	       !strcmp(a->run, b->run) && !strcmp(a->time, b->time) && !strcmp(a->env, b->env) &&
	       !strcmp(a->virt, b->virt) && !strcmp(a->container, b->container) &&
	       !strcmp(a->host, b->host) && !strcmp(a->bench, b->bench) &&
	       !strcmp(a->params, b->params) && !strcmp(a->metric, b->metric) &&
	       !strcmp(a->unit, b->unit) && !strcmp(a->better, b->better) &&
	       !strcmp(a->status, b->status) && !strcmp(a->note, b->note);
}

static void read_model(hvb_model *m, const char *name, const char *text)
{
	az_ingest_buffer(m, name, text, strlen(text));
	az_opts o;
	az_opts_default(&o);
	az_build(m, &o);
}

int main(void)
{
	az_quiet = 2;
	static const char *const texts[] = {
		HDR "\n"
		"hvb1,r1,2026-11-22T00:00:00Z,host,none,none,h,cpubench,threads=1,ev,1/s,higher,1,10.5,ok,\n"
		" hvb1 ,\tr1\t, 2026-11-22T00:00:01Z ,host , none,none,h,cpubench,threads=1,ev,1/s,higher,2, 11 ,ok,a note  \n"
		"\n"
		"   \t\n"
		"hvb1,r1,2026-11-22T00:00:02Z,host,none,none,h,cpubench,threads=1,ev,1/s,higher,3,12,ok,\n",

		HDR "\r\n"
		"hvb1,r2,2026-11-22T00:00:00Z,kvm,kvm,none,h,membench,,bw,MB/s,higher,1,1e3,ok,x y\r\n"
		"\r\n"
		"hvb1,r2,2026-11-22T00:00:00Z,kvm,kvm,none,h,membench,,bw,MB/s,higher,2,-0,ok,\r\n"
		"hvb1,r2,2026-11-22T00:00:00Z,kvm,kvm,none,h,membench,,info_x,,,0,,info,cpu model\r\n",

		/* too few fields, a trailing comma too many, no line end at the end */
		HDR "\n"
		"hvb1,r3,t,e,none,none,h,b,,m,u,lower\n"
		"hvb1,r3,2026-11-22T00:00:00Z,e,none,none,h,b,,m,u,lower,1,5,ok,,\n"
		"hvb1,r3,2026-11-22T00:00:00Z,e,none,none,h,b,,m,u,lower,2,6,ok,",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		hvb_model a = { 0 }, b = { 0 };
		char *q = quoted(texts[i]), name[32];
		read_model(&a, "t.csv", texts[i]);
		read_model(&b, "t.csv", q);
		snprintf(name, sizeof name, "text%zu-rows", i);
		T_INTEQ(name, a.nrows, b.nrows);
		snprintf(name, sizeof name, "text%zu-bad", i);
		T_INTEQ(name, a.nbad, b.nbad);
		int same = a.nrows == b.nrows;
		for (size_t k = 0; same && k < a.nrows; k++)
			same = same_row(&a.rows[k], &b.rows[k]);
		for (size_t k = 0; same && k < a.nbad && k < b.nbad; k++)
			same = strcmp(a.bad[k].message, b.bad[k].message) == 0;
		snprintf(name, sizeof name, "text%zu-same", i);
		T_CHECK(name, same, "plain and quoted text read differently:\n%s", q);
		free(q);
		if (i == 0) {
			T_INTEQ("rows-read", a.nrows, 3);
			T_CHECK("blanks-trimmed", a.nrows == 3 && !strcmp(a.rows[1].run, "r1") &&
				!strcmp(a.rows[1].env, "host") && !strcmp(a.rows[1].note, "a note") &&
				a.rows[1].value == 11, "row 2: '%s' '%s' '%s'", a.nrows > 1 ? a.rows[1].run : "",
				a.nrows > 1 ? a.rows[1].env : "", a.nrows > 1 ? a.rows[1].note : "");
			T_INTEQ("line-after-blank-lines", a.nrows == 3 ? a.rows[2].line : 0, 6);
		}
		if (i == 1)
			T_CHECK("crlf", a.nrows == 3 && !strcmp(a.rows[0].note, "x y") &&
				!strcmp(a.rows[2].note, "cpu model") && a.rows[2].line == 5,
				"%zu rows", a.nrows);
		model_free(&a);
		model_free(&b);
	}
	return t_exit();
}
