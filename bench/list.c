/*
 * list.c - the suite's benchmarks as an array, from the explicit list in
 * benches.h.  Linked into the multi-call bin/hvbench and the unit tests;
 * a standalone bin/NAME defines a one-entry list in main.c instead.
 */
#include "hvb.h"

#define HVB_BENCH(n) extern const hvb_bench n##_bench;
#include "benches.h"
#undef HVB_BENCH

#define HVB_BENCH(n) &n##_bench,
const hvb_bench *const hvb_benches[] = {
#include "benches.h"
};
#undef HVB_BENCH

const size_t hvb_nbenches = sizeof hvb_benches / sizeof hvb_benches[0];
