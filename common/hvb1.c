/*
 * hvb1.c - the one writer of hvb1 result rows (hvb1.h).
 */
#include "hvb1.h"

#include <stdio.h>
#include <string.h>

#include "../version.h"

const char hvb1_header[] =
	"schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note";

int hvb1_field(char *buf, size_t n, size_t *len, const char *f)
{
	size_t l = *len;
	if (!f)
		f = "";
	int quote = strpbrk(f, ",\"\r\n") != NULL;
	size_t need = strlen(f) + (quote ? 2 : 0);
	if (quote)
		for (const char *p = f; *p; p++)
			need += *p == '"';
	if (l + need + 1 > n)
		return -1;
	if (quote)
		buf[l++] = '"';
	for (const char *p = f; *p; p++) {
		if (*p == '"')
			buf[l++] = '"';
		buf[l++] = *p;
	}
	if (quote)
		buf[l++] = '"';
	buf[l] = 0;
	*len = l;
	return 0;
}

size_t hvb1_format(char *buf, size_t n, const hvb1_row *r)
{
	char rbuf[32] = "", vbuf[40] = "";
	if (r->rep > 0)
		snprintf(rbuf, sizeof rbuf, "%d", r->rep);
	if (r->has_value)
		snprintf(vbuf, sizeof vbuf, "%.17g", r->value);
	const char *f[] = { HVB_SCHEMA, r->run, r->time, r->env, r->virt, r->container, r->host,
			    r->bench, r->params, r->metric, r->unit, r->better, rbuf, vbuf,
			    r->status, r->note };
	size_t nf = sizeof f / sizeof f[0], len = 0;
	if (n < 2)
		return 0;
	for (size_t i = 0; i < nf; i++) {
		if (i) {
			if (len + 2 >= n)
				return 0;
			buf[len++] = ',';
			buf[len] = 0;
		}
		if (hvb1_field(buf, n - 1, &len, f[i]) < 0) {
			/* Only a huge note should overflow: keep the row, say so. */
			if (i != nf - 1 || hvb1_field(buf, n - 1, &len, "(note too long)") < 0)
				return 0;
		}
	}
	buf[len++] = '\n';
	buf[len] = 0;
	return len;
}
