# bench/bench.mk - the benchmarks (included first by the top Makefile): one
# static program per benchmark (main.c built with HVB_ONLY naming it),
# bin/hvbench with all of them, their unit tests (tests/unit/test_bench_*,
# test_common_*: the shared hvb1 writer and iperf3 reader), `make install`'s
# share, and `make bench-fidelity`.  A new benchmark is its own file
# bench/NAME.c and a line HVB_BENCH(NAME) in bench/benches.h, the one
# registry: bench/list.c expands it into hvbench's table, and BENCHES below
# is read from it.

HARNESS_SRC := bench/harness.c bench/disturb.c bench/detect.c bench/arch.c common/hvb1.c
HARNESS_OBJ := $(HARNESS_SRC:%.c=$(O)/%.o)
BENCHES     := $(shell sed -n 's/^HVB_BENCH(\([a-z0-9_]*\))$$/\1/p' bench/benches.h)
BENCH_SRC   := $(BENCHES:%=bench/%.c)
# A benchmark's file that the registry does not name would be built by no
# rule: say so instead of leaving it out in silence.
BENCH_UNLISTED := $(filter-out $(BENCH_SRC),$(wildcard bench/*bench.c))
$(if $(BENCH_UNLISTED),$(error $(BENCH_UNLISTED): not in bench/benches.h (add a line HVB_BENCH(NAME))))
$(if $(BENCHES),,$(error bench/benches.h names no benchmark))
BENCH_OBJ   := $(BENCH_SRC:%.c=$(O)/%.o)
BENCH_LIBS  := -lm -lpthread
# netbench links libiperf statically so a guest needs no iperf3, and reads
# its JSON result with the reader the importer shares (common/iperf3_json.c,
# json-c, also static).
IPERF_LIBS  := -liperf -lssl -lcrypto -lsctp -ljson-c -lm
IPERF_OBJ   := $(O)/common/iperf3_json.o
libs_for     = $(if $(filter netbench,$(1)),$(IPERF_LIBS)) $(BENCH_LIBS)

BENCH_BINS  := $(addprefix $(BINDIR)/,$(BENCHES)) $(BINDIR)/hvbench

# One program per benchmark: main.c built with HVB_ONLY naming it.
$(O)/bench/main-%.o: bench/main.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $< ($*)")
	$(Q)$(CC) $(CFLAGS) $(CPPFLAGS) -Ibench -DHVB_ONLY=$* -c -o $@ $<

$(BINDIR)/%: $(O)/bench/%.o $(O)/bench/main-%.o $(HARNESS_OBJ)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) $(STATIC) -o $@ $^ $(call libs_for,$*)

$(BINDIR)/netbench: $(IPERF_OBJ)
$(BINDIR)/hvbench: $(O)/bench/main.o $(O)/bench/list.o $(BENCH_OBJ) $(HARNESS_OBJ) $(IPERF_OBJ)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) $(STATIC) -o $@ $^ $(if $(filter netbench,$(BENCHES)),$(IPERF_LIBS)) $(BENCH_LIBS)

.PHONY: bench static-bins arm64 arm64-bins
bench: $(BENCH_BINS)
check: bench static-bins arm64-bins

# `make arm64` (the same as `make ARCH=arm64`): every benchmark and hvbench
# as static aarch64 programs in bin/arm64/, for arm64 guests (README, "Guests
# on arm64"; the cross compiler and the :arm64 libraries: make deps).
# arm64-bins, for check and install: the same where the cross compiler is
# installed, else a note (tests/e2e/bench_arm64.sh then skips, or fails in CI).
arm64:
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 SAN=0 bench
arm64-bins:
	$(Q)if command -v $(ARM64_CC) >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory ARCH=arm64 SAN=0 bench; \
	else echo "note: no $(ARM64_CC): no bin/arm64/ (make deps installs the cross compiler)"; fi

$(O)/tests/test_bench_%: tests/unit/test_bench_%.c $(O)/bench/list.o $(HARNESS_OBJ) $(BENCH_OBJ) $(IPERF_OBJ) tests/unit/t.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -Ibench -Itests/unit $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(if $(filter netbench,$(BENCHES)),$(IPERF_LIBS)) $(BENCH_LIBS)

# The shared hvb1 writer and iperf3 reader (common/) and their unit tests.
COMMON_OBJ := $(O)/common/hvb1.o $(IPERF_OBJ)
$(O)/tests/test_common_%: tests/unit/test_common_%.c $(COMMON_OBJ) tests/unit/t.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(COMMON_OBJ) -ljson-c

# Static binaries are always built: guests (QEMU, containers) need them even
# when the tests themselves run sanitized.
static-bins:
	$(Q)$(MAKE) --no-print-directory SAN=0 bench

# The aarch64 programs, where built, go to PREFIX/bin/arm64/: the collectors
# pick bin/ or bin/arm64/ by the target's uname -m (collect/lib.sh).
install: bench arm64-bins
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(addprefix bin/,$(BENCHES)) bin/hvbench $(DESTDIR)$(PREFIX)/bin/
	$(Q)if [ -x bin/arm64/hvbench ]; then \
	  install -d $(DESTDIR)$(PREFIX)/bin/arm64 && \
	  install -m 755 $(addprefix bin/arm64/,$(BENCHES)) bin/arm64/hvbench $(DESTDIR)$(PREFIX)/bin/arm64/; fi

# `make bench-fidelity` runs each benchmark side by side with the reference
# tool a user would otherwise run (sysbench, mbw, perf bench, iperf3, fio)
# and prints the table of figures and ratios (docs/fidelity.md).  It is a
# benchmark, not a test: it takes minutes and its ratios depend on the
# machine.  FIDELITY_ROUNDS, FIDELITY_TIME, FIDELITY_DIR, FIDELITY_IO_MB and
# FIDELITY_CSV tune it (see bench/fidelity.sh).
.PHONY: bench-fidelity
bench-fidelity: static-bins
	$(Q)HVB_BIN=$(abspath bin) bash bench/fidelity.sh

# `make bench-disturb-cost` runs `hvbench run --quick` with and without
# --no-disturbance, alternated in pairs, and prints the suite's wall time of
# each, the median ratio and each benchmark's share of time in the canary,
# the probe and the counters (docs/methodology.md, "Canary and capacity
# probe").  DISTURB_PAIRS sets the pairs (default 3).  A benchmark, not a test.
.PHONY: bench-disturb-cost
bench-disturb-cost: static-bins
	$(Q)HVB_BIN=$(abspath bin) bash bench/bench-disturb-cost.sh
