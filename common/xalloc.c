/*
 * xalloc.c - allocation that cannot fail silently, and the message line,
 * for the analyzer and the report renderers (common/xalloc.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xalloc.h"

const char *xprog = "analyze";

void xsay(const char *kind, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", xprog, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void oom(size_t n)
{
	fprintf(stderr, "%s: out of memory (allocating %zu bytes)\n", xprog, n);
	exit(XALLOC_EXIT_NOMEM);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s ? s : "") + 1;
	char *p = xmalloc(n);
	memcpy(p, s ? s : "", n);
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		n = 0;
	char *p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}
