/*
 * catch.h - one way to route termination signals to a handler, for the
 * benchmarks (bench/harness.c: keep the rows written, exit 130) and the
 * analyzer (analyze/main.c: remove half-written outputs).  No SA_RESTART:
 * a blocking read or write returns EINTR and the program decides.
 */
#ifndef HVB_CATCH_H
#define HVB_CATCH_H

#include <signal.h>
#include <stddef.h>
#include <string.h>

static inline void hvb_catch(void (*handler)(int), const int *sigs, size_t n)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < n; i++)
		sigaction(sigs[i], &sa, NULL);
}

#endif
