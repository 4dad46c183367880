/*
 * hvb1.h - the one writer of hvb1 result rows (docs/csv-format.md), shared
 * by the benchmarks' harness (bench/harness.c) and `analyze import`
 * (analyze/import.c): the header, the field quoting, the row layout.
 */
#ifndef HVB_HVB1_H
#define HVB_HVB1_H
#include <stddef.h>

/* The header line, without its newline. */
extern const char hvb1_header[];

/* Append field f (NULL = empty) to buf at *len, quoted when it holds a
 * comma, a quote, CR or LF (quotes doubled); NUL-terminates.  0, or -1 when
 * it does not fit in n bytes (buf and *len unchanged). */
int hvb1_field(char *buf, size_t n, size_t *len, const char *f);

typedef struct hvb1_row {
	const char *run, *time, *env, *virt, *container, *host;
	const char *bench, *params, *metric, *unit, *better;
	int rep;                /* <= 0: empty (info rows) */
	int has_value;          /* 0: empty value */
	double value;           /* written with %.17g; must be finite when has_value */
	const char *status, *note;
} hvb1_row;

/* Format one row and its newline into buf (n bytes, NUL-terminated).  A
 * note that does not fit is replaced by "(note too long)".  The length, or
 * 0 when even that does not fit. */
size_t hvb1_format(char *buf, size_t n, const hvb1_row *r);

#endif
