/*
 * util.c - the report's small shared helpers: allocation with the one
 * out-of-memory policy (say so and exit, like the analyzer's xmalloc), a
 * growable text buffer, the error logger, and number formatting for people.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rint.h"

void rlog(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	xsay("", fmt, ap);
	va_end(ap);
}

static void grow(rbuf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1)
		cap *= 2;
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
}

void rbuf_addn(rbuf *b, const char *s, size_t n)
{
	grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

void rbuf_add(rbuf *b, const char *s)
{
	if (s)
		rbuf_addn(b, s, strlen(s));
}

void rbuf_addc(rbuf *b, char c)
{
	rbuf_addn(b, &c, 1);
}

void rbuf_addf(rbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *rbuf_str(rbuf *b)
{
	return b->s ? b->s : "";
}

char *rbuf_take(rbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void rbuf_free(rbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

const char *fmt_num(char *buf, size_t n, double x)
{
	if (!isfinite(x)) {
		snprintf(buf, n, "n/a");
		return buf;
	}
	double a = fabs(x);
	if (a == 0) {
		snprintf(buf, n, "0");
	} else if (a < 1e-3 || a >= 1e15) {
		snprintf(buf, n, "%.3e", x);
	} else {
		/* 4 significant digits, never fewer than the integer part. */
		int mag = (int)floor(log10(a));
		int dec = 3 - mag;
		if (dec < 0)
			dec = 0;
		snprintf(buf, n, "%.*f", dec, x);
	}
	return buf;
}

const char *fmt_pct(char *buf, size_t n, double x)
{
	if (!isfinite(x))
		snprintf(buf, n, "n/a");
	else
		snprintf(buf, n, "%+.1f %%", x);
	return buf;
}

const char *fmt_p(char *buf, size_t n, double p)
{
	if (!isfinite(p))
		snprintf(buf, n, "n/a");
	else if (p < 0.0001)
		snprintf(buf, n, "<0.0001");
	else
		snprintf(buf, n, "%.4f", p);
	return buf;
}

char *rfile_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	rbuf b = {0};
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		rbuf_addn(&b, buf, n);
	fclose(f);
	return rbuf_take(&b);
}

void report_floor_band(double f, double *lo, double *hi)
{
	*lo = 1 / (1 + f);
	*hi = 1 + f;
}

/* The score of (env, category) for every env and category (index ncategories:
 * "overall"), NULL where there is none: one pass over m->scores, so the
 * renderers' env x category tables are linear.  Free with free(). */
const hvb_score **report_score_table(const hvb_model *m)
{
	size_t nc = m->ncategories + 1, n = m->nenvs * nc;
	const hvb_score **t = xmalloc((n ? n : 1) * sizeof *t);
	for (size_t i = 0; i < n; i++)
		t[i] = NULL;
	for (size_t i = 0; i < m->nscores; i++) {
		const hvb_score *s = &m->scores[i];
		size_t c = m->ncategories;
		if (!s->category || s->env_idx >= m->nenvs)
			continue;
		if (strcmp(s->category, "overall") != 0) {
			for (c = 0; c < m->ncategories; c++)
				if (m->categories[c] == s->category || strcmp(m->categories[c], s->category) == 0)
					break;
			if (c == m->ncategories)
				continue;
		}
		if (!t[s->env_idx * nc + c])
			t[s->env_idx * nc + c] = s;
	}
	return t;
}
