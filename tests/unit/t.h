/*
 * t.h - table-driven unit tests print one line per check for tests/runner.c:
 * "PASS name" or "FAIL name: why".  These macros are the test mechanism
 * (never assert(), which vanishes under NDEBUG).  main() returns t_exit().
 */
#ifndef HVB_T_H
#define HVB_T_H
#include <math.h>
#include <stdio.h>
#include <string.h>

static int t_failed_;

#define T_CHECK(name, cond, ...) do { \
	if (cond) { printf("PASS %s\n", (name)); } \
	else { printf("FAIL %s: ", (name)); printf(__VA_ARGS__); printf(" (%s:%d)\n", __FILE__, __LINE__); t_failed_++; } \
	fflush(stdout); } while (0)

#define T_STREQ(name, got, want) do { const char *g_ = (got), *w_ = (want); \
	T_CHECK(name, g_ && w_ && strcmp(g_, w_) == 0, "got \"%s\", want \"%s\"", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } while (0)

#define T_INTEQ(name, got, want) do { long long g_ = (got), w_ = (want); \
	T_CHECK(name, g_ == w_, "got %lld, want %lld", g_, w_); } while (0)

#define T_NEAR(name, got, want, tol) do { double g_ = (got), w_ = (want), t_ = (tol); \
	T_CHECK(name, fabs(g_ - w_) <= t_, "got %.17g, want %.17g (tol %g)", g_, w_, t_); } while (0)

static inline int t_exit(void) { return t_failed_ ? 1 : 0; }
#endif
