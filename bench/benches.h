/*
 * The explicit list of benchmarks, in the order `hvbench run` runs them.
 * Adding a benchmark: write bench/NAME.c ending in `const hvb_bench NAME_bench`,
 * then add one line here.  (No constructor registration: a static archive
 * drops objects that nothing references.)
 */
HVB_BENCH(nullbench)
HVB_BENCH(forkbench)
HVB_BENCH(pipebench)
HVB_BENCH(netbench)
HVB_BENCH(membench)
HVB_BENCH(iobench)
HVB_BENCH(cpubench)
HVB_BENCH(timebench)
