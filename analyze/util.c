/*
 * util.c - the analyzer's plumbing: one printf-style logger with the program
 * name as prefix, one out-of-memory policy (report and exit, like redis
 * zmalloc: the analyzer holds no state worth saving), strict number parsing,
 * and a string pool.
 *
 * The pool exists for memory: a campaign of a million rows repeats the same
 * env/bench/metric/unit/run/time strings over and over; interning them keeps
 * a row at its struct size and makes string equality a pointer compare.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "analyze.h"

int az_quiet;

void az_err(const char *fmt, ...)
{
	if (az_quiet >= 2)
		return;
	va_list ap;
	va_start(ap, fmt);
	xsay("", fmt, ap);
	va_end(ap);
}

void az_note(const char *fmt, ...)
{
	if (az_quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	xsay("note: ", fmt, ap);
	va_end(ap);
}

/* The CSV contract: %.17g numbers, '.' decimal point, never nan/inf.
 * strtod would accept "nan", "inf", hex floats and leading blanks: refuse
 * them so "12,5" or " 3" never passes as a number by accident. */
/* Exact powers of ten: every one up to 1e22 is a double. */
static const double pow10_exact[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* The common case without strtod (strtod was a fifth of the time of
 * the ingest): [+-]digits[.digits][e[+-]digits] whose significant digits fit
 * in 2^53 and whose decimal exponent is within +-22.  Then the mantissa
 * and the power of ten are exact doubles and one IEEE multiplication or
 * division rounds their product correctly: the same double strtod gives
 * (Clinger's fast path).  0: done; -1: not this case, ask strtod. */
static int fast_double(const char *s, double *out)
{
	const char *c = s;
	int neg = *c == '-';
	if (*c == '-' || *c == '+')
		c++;
	uint64_t mant = 0;
	int digits = 0, any = 0, frac = 0;
	for (; *c >= '0' && *c <= '9'; c++, any = 1) {
		if (!mant && *c == '0')
			continue;   /* leading zeros are not significant */
		if (++digits > 19)
			return -1;
		mant = mant * 10 + (uint64_t)(*c - '0');
	}
	if (*c == '.') {
		for (c++; *c >= '0' && *c <= '9'; c++, any = 1) {
			frac++;
			if (!mant && *c == '0')
				continue;
			if (++digits > 19)
				return -1;
			mant = mant * 10 + (uint64_t)(*c - '0');
		}
	}
	if (!any)
		return -1;
	int exp = 0;
	if (*c == 'e' || *c == 'E') {
		c++;
		int eneg = *c == '-';
		if (*c == '-' || *c == '+')
			c++;
		if (!(*c >= '0' && *c <= '9'))
			return -1;
		for (; *c >= '0' && *c <= '9'; c++) {
			if (exp > 10000)
				return -1;
			exp = exp * 10 + (*c - '0');
		}
		if (eneg)
			exp = -exp;
	}
	if (*c || mant > ((uint64_t)1 << 53))
		return -1;
	exp -= frac;
	double v = (double)mant;
	if (mant == 0)
		v = 0;
	else if (exp >= 0 && exp <= 22)
		v *= pow10_exact[exp];
	else if (exp < 0 && exp >= -22)
		v /= pow10_exact[-exp];
	else
		return -1;
	*out = (neg ? -v : v) + 0.0;
	return 0;
}

int az_parse_double(const char *s, double *out)
{
	if (!s || !*s)
		return -1;
	if (fast_double(s, out) == 0)
		return 0;
	for (const char *c = s; *c; c++)
		if (!strchr("0123456789+-.eE", *c))
			return -1;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	/* Out of range either way (1e309, 1e-400) is refused alike; -0 is 0. */
	if (*end || !isfinite(v) || errno == ERANGE)
		return -1;
	*out = v + 0.0;
	return 0;
}

int az_parse_long(const char *s, long lo, long hi, long *out)
{
	if (!s || !*s)
		return -1;
	/* the common case, a few digits: no strtoll */
	long d = 0;
	const char *c = s;
	for (; *c >= '0' && *c <= '9' && c - s < 18; c++)
		d = d * 10 + (*c - '0');
	if (!*c) {
		if (d < lo || d > hi)
			return -1;
		*out = d;
		return 0;
	}
	for (const char *c = s; *c; c++)
		if (!strchr("0123456789+-", *c))
			return -1;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*end || errno || v < lo || v > hi)
		return -1;
	*out = (long)v;
	return 0;
}

char *az_utc_now(void)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	char buf[32];
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}

/* ---- string pool: open addressing over interned strings in an arena ---- */
struct az_chunk { struct az_chunk *next; size_t used, size; char data[]; };

struct az_pool {
	char **slot;
	size_t cap, n;
	struct az_chunk *chunks;
};

az_pool *az_pool_new(void)
{
	az_pool *p = xcalloc(1, sizeof *p);
	p->cap = 1024;
	p->slot = xcalloc(p->cap, sizeof *p->slot);
	return p;
}

static uint64_t hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static char *arena_copy(az_pool *p, const char *s, size_t len)
{
	struct az_chunk *c = p->chunks;
	if (!c || c->size - c->used < len + 1) {
		size_t sz = len + 1 > 65536 ? len + 1 : 65536;
		c = xmalloc(sizeof *c + sz);
		c->size = sz;
		c->used = 0;
		c->next = p->chunks;
		p->chunks = c;
	}
	char *d = c->data + c->used;
	memcpy(d, s, len);
	d[len] = 0;
	c->used += len + 1;
	return d;
}

char *az_intern(az_pool *p, const char *s, size_t len)
{
	if (p->n * 2 >= p->cap) {
		size_t ncap = p->cap * 2;
		char **ns = xcalloc(ncap, sizeof *ns);
		for (size_t i = 0; i < p->cap; i++) {
			if (!p->slot[i])
				continue;
			size_t j = hash(p->slot[i], strlen(p->slot[i])) & (ncap - 1);
			while (ns[j])
				j = (j + 1) & (ncap - 1);
			ns[j] = p->slot[i];
		}
		free(p->slot);
		p->slot = ns;
		p->cap = ncap;
	}
	size_t j = hash(s, len) & (p->cap - 1);
	while (p->slot[j]) {
		if (strncmp(p->slot[j], s, len) == 0 && p->slot[j][len] == 0)
			return p->slot[j];
		j = (j + 1) & (p->cap - 1);
	}
	p->slot[j] = arena_copy(p, s, len);
	p->n++;
	return p->slot[j];
}

void az_pool_free(az_pool *p)
{
	if (!p)
		return;
	for (struct az_chunk *c = p->chunks, *n; c; c = n) {
		n = c->next;
		free(c);
	}
	free(p->slot);
	free(p);
}

az_priv *az_priv_of(hvb_model *m)
{
	if (!m->priv) {
		az_priv *pv = xcalloc(1, sizeof *pv);
		pv->pool = az_pool_new();
		m->priv = pv;
	}
	return m->priv;
}

void az_bad(hvb_model *m, const char *file, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	az_vbad(m, file, line, fmt, ap);
	va_end(ap);
}

void az_vbad(hvb_model *m, const char *file, long line, const char *fmt, va_list ap)
{
	az_priv *pv = az_priv_of(m);
	char *msg = xvasprintf(fmt, ap);
	char *full = line > 0 ? xasprintf("%s:%ld: %s", file, line, msg)
			      : xasprintf("%s: %s", file, msg);
	free(msg);
	az_err("%s", full);
	if (m->nbad == pv->bad_cap) {
		pv->bad_cap = pv->bad_cap ? pv->bad_cap * 2 : 16;
		m->bad = xrealloc(m->bad, pv->bad_cap * sizeof *m->bad);
	}
	m->bad[m->nbad].file = file;
	m->bad[m->nbad].line = line;
	m->bad[m->nbad].message = full;
	m->nbad++;
}

uint64_t az_hash_str(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h ^ (h >> 29);
}

uint64_t az_hash_ptr(uint64_t h, const void *p)
{
	h = (h ^ (uint64_t)(uintptr_t)p) * 0x9E3779B97F4A7C15ULL;
	return h ^ (h >> 29);
}

void az_idx_grow(az_idxmap *x, size_t want, uint64_t (*hash_of)(const void *ctx, size_t i),
		 const void *ctx)
{
	if (x->cap && want * 2 < x->cap)
		return;
	size_t ncap = x->cap ? x->cap : 16;
	while (want * 2 >= ncap)
		ncap *= 2;
	size_t *ns = xcalloc(ncap, sizeof *ns);
	for (size_t i = 0; i < x->cap; i++) {
		if (!x->slot[i])
			continue;
		size_t j = hash_of(ctx, x->slot[i] - 1) & (ncap - 1);
		while (ns[j])
			j = (j + 1) & (ncap - 1);
		ns[j] = x->slot[i];
	}
	free(x->slot);
	x->slot = ns;
	x->cap = ncap;
}

int az_read_file(const char *path, size_t max, char **buf, size_t *len)
{
	*buf = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return errno;
	size_t cap = 1 << 16, n = 0;
	char *b = xmalloc(cap);
	int e = 0;
	for (;;) {
		if (n + 1 >= cap)
			b = xrealloc(b, cap *= 2);
		size_t want = cap - n - 1;
		if (want > max + 1 - n)
			want = max + 1 - n;   /* one byte past max tells "too large" */
		size_t r = fread(b + n, 1, want, f);
		n += r;
		if (n > max) {
			e = EFBIG;
			break;
		}
		if (r == 0) {
			e = ferror(f) ? (errno ? errno : EIO) : 0;
			break;
		}
	}
	fclose(f);
	if (e) {
		free(b);
		return e;
	}
	b[n] = 0;
	*buf = b;
	*len = n;
	return 0;
}
