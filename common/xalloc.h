/*
 * xalloc.h - the one allocation and message layer of bin/analyze, shared by
 * analyze/ and report/ (one binary, one policy): out of memory is said on
 * stderr ("analyze: out of memory (allocating N bytes)") and is exit 5; a
 * message is "analyze: KIND text", one line on stderr.
 */
#ifndef HVB_XALLOC_H
#define HVB_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

#define XALLOC_EXIT_NOMEM 6   /* HVB_EXIT_NOMEM in common/exit.def (analyze's AZ_EXIT_NOMEM) */
extern const char *xprog;    /* "analyze": the prefix of every message */

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);   /* NULL is "" */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);
/* "PROG: KIND" and the message, a line on stderr (KIND "" or "note: "). */
void xsay(const char *kind, const char *fmt, va_list ap);

#endif
