# bench/bench.mk - bench-level targets, -included by the top Makefile.
#
# `make bench-fidelity` runs each benchmark side by side with the reference
# tool a user would otherwise run (sysbench, mbw, perf bench, iperf3, fio)
# and prints the table of figures and ratios (docs/fidelity.md).  It is a
# benchmark, not a test: it takes minutes and its ratios depend on the
# machine.  FIDELITY_ROUNDS, FIDELITY_TIME, FIDELITY_DIR, FIDELITY_IO_MB and
# FIDELITY_CSV tune it (see bench/fidelity.sh).
.PHONY: bench-fidelity
bench-fidelity: static-bins
	$(Q)HVB_BIN=$(abspath bin) bash bench/fidelity.sh
