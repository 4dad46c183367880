# hvbench - top-level build.  `make` builds the static benchmarks into bin/,
# `make check` runs every test (SAN=1: under ASan+UBSan, non-static),
# `make deps` installs the Debian packages (as root), `make install`.
# Each area adds its own rules in AREA/AREA.mk (included below) and its
# Debian packages in AREA/deps.txt.

MAKEFLAGS += --no-builtin-rules
.SUFFIXES:

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
CFLAGS  ?= -O2 -g
V       ?= 0
SAN     ?= 0

ifeq ($(V),1)
Q :=
else
Q := @
endif

override CFLAGS += -std=gnu11 -Wall -Wextra -D_GNU_SOURCE -MMD -MP
ifeq ($(WERROR),1)
override CFLAGS += -Werror
endif

ifeq ($(SAN),1)
O       := build/san
BINDIR  := build/san/bin
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
override CFLAGS += $(SANFLAGS)
override LDFLAGS += $(SANFLAGS)
STATIC  :=
else
O       := build/obj
BINDIR  := bin
STATIC  := -static
endif

BUILDINFO := $(CC) $(CFLAGS) $(STATIC)
override CFLAGS += -DHVB_BUILD='"$(subst ",,$(CC) $(STATIC) SAN=$(SAN))"'

# ---------------------------------------------------------------- bench/
HARNESS_SRC := bench/harness.c bench/detect.c common/hvb1.c
HARNESS_OBJ := $(HARNESS_SRC:%.c=$(O)/%.o)
BENCH_SRC   := $(wildcard bench/*bench.c)
BENCHES     := $(patsubst bench/%.c,%,$(BENCH_SRC))
BENCH_OBJ   := $(BENCH_SRC:%.c=$(O)/%.o)
BENCH_LIBS  := -lm -lpthread
# netbench links libiperf statically so a guest needs no iperf3, and reads
# its JSON result with the reader the importer shares (common/iperf3_json.c,
# json-c, also static).
IPERF_LIBS  := -liperf -lssl -lcrypto -lsctp -ljson-c -lm
IPERF_OBJ   := $(O)/common/iperf3_json.o
libs_for     = $(if $(filter netbench,$(1)),$(IPERF_LIBS)) $(BENCH_LIBS)

BENCH_BINS  := $(addprefix $(BINDIR)/,$(BENCHES)) $(BINDIR)/hvbench

.DEFAULT_GOAL := all
.PHONY: all bench check deps install clean demo static-bins
all: bench
bench: $(BENCH_BINS)

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) $(CPPFLAGS) -Ibench -c -o $@ $<

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

# ---------------------------------------------------------------- tests
# The runner executes every test program and script and closes with
# "N passed, N failed".  Unit tests: tests/unit/test_*.c, one per module;
# test_bench_* link the harness, other areas add their own link rules in
# their .mk (e.g. $(O)/tests/test_analyze_% in analyze/analyze.mk).
# End-to-end: tests/e2e/*.sh.
TEST_RUNNER := $(O)/tests/runner
UNIT_SRC    := $(wildcard tests/unit/test_*.c)
UNIT_BINS   := $(patsubst tests/unit/%.c,$(O)/tests/%,$(UNIT_SRC))
E2E_SCRIPTS := $(sort $(wildcard tests/e2e/*.sh))

$(TEST_RUNNER): tests/runner.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $<

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

# Second expansion ($$(VAR) in a prerequisite list) lets a rule name a
# variable of an area .mk included further down (analyze.mk uses it).  Areas
# add to `check` with a rule of their own (`check: $(BINDIR)/analyze`).
.SECONDEXPANSION:
check: bench $(TEST_RUNNER) $(UNIT_BINS) static-bins
	$(Q)HVB_BIN=$(abspath $(BINDIR)) HVB_STATIC_BIN=$(abspath bin) HVB_TOP=$(abspath .) \
	  HVB_BUILD_DIR=$(abspath $(O)) HVB_SAN=$(SAN) \
	  $(TEST_RUNNER) $(UNIT_BINS) $(E2E_SCRIPTS)

# ---------------------------------------------------------------- deps
DEPS_PKGS := $(sort $(shell cat $(wildcard */deps.txt) 2>/dev/null | sed 's/\#.*//'))
DEPS_HOOKS :=
# As root it runs apt-get itself; as a user, through sudo (so both `make deps`
# in a root shell without sudo and `sudo make deps` work).
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
deps:
	@echo "make deps: $(words $(DEPS_PKGS)) Debian packages (with what they depend on): $(DEPS_PKGS)"
	$(SUDO) apt-get update
	@$(SUDO) apt-get install -s --no-install-recommends $(DEPS_PKGS) 2>/dev/null | \
	  awk '/^Inst / { n++ } END { print "make deps: " n + 0 " packages to install (the rest are there); apt-get prints the download and disk size next" }'
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(DEPS_PKGS)
	$(foreach h,$(DEPS_HOOKS),$(h) &&) true

# ---------------------------------------------------------------- install
install: bench
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(addprefix bin/,$(BENCHES)) bin/hvbench $(DESTDIR)$(PREFIX)/bin/

clean:
	rm -rf build bin

-include model/model.mk analyze/analyze.mk report/report.mk collect/collect.mk bench/bench.mk
-include $(shell find build -name '*.d' 2>/dev/null)
.SECONDARY:
