/*
 * catch.h - one way to route termination signals to a handler, for the
 * benchmarks (bench/harness.c: keep the rows written, exit 130), the
 * analyzer (cli/analyze.c: remove half-written outputs) and the report's
 * gnuplot child (report/gnuplot.c: stop its process group, for the time
 * it runs).  No SA_RESTART: a blocking read, write or poll returns EINTR
 * and the program decides.
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

/* As hvb_catch, for a while: each old action is kept in old[i] (n of them)
 * for hvb_catch_restore, and a signal that is ignored stays ignored (a
 * program started under nohup keeps ignoring SIGHUP). */
static inline void hvb_catch_save(void (*handler)(int), const int *sigs, size_t n,
				  struct sigaction *old)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < n; i++) {
		sigaction(sigs[i], NULL, &old[i]);
		if (old[i].sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
	}
}

/* Put back the actions hvb_catch_save kept. */
static inline void hvb_catch_restore(const int *sigs, size_t n, const struct sigaction *old)
{
	for (size_t i = 0; i < n; i++)
		sigaction(sigs[i], &old[i], NULL);
}

#endif
