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

# ARCH=arm64 (or `make arm64`, bench/bench.mk): the same static programs for
# aarch64 guests, built with Debian's cross compiler into bin/arm64/ (README,
# "Guests on arm64").  Only the benchmarks: tests and the analyzer stay x86-64.
ARCH     ?=
ARM64_CC ?= aarch64-linux-gnu-gcc
ifeq ($(ARCH),arm64)
ifeq ($(SAN),1)
$(error ARCH=arm64 builds the static guest programs; SAN=1 is for the host's own tests)
endif
CC      := $(ARM64_CC)
O       := build/arm64/obj
BINDIR  := bin/arm64
endif

BUILDINFO := $(CC) $(CFLAGS) $(STATIC)
override CFLAGS += -DHVB_BUILD='"$(subst ",,$(CC) $(STATIC) SAN=$(SAN))"'

# Every object: the same flags, -Ibench for the benchmarks' headers.
$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) $(CPPFLAGS) -Ibench -c -o $@ $<

.DEFAULT_GOAL := all
.PHONY: all check deps install clean
all: bench

# Second expansion ($$(VAR) in a prerequisite list) lets a rule name a
# variable of an area included after its own (analyze.mk names report.mk's);
# it applies to the rules after this line.  DEPS_HOOKS: commands `make deps`
# runs after apt-get, added to by the areas.
.SECONDEXPANSION:
DEPS_HOOKS :=

# The areas, each with its rules, variables and tests (AREA/AREA.mk): the
# benchmarks first (`bench`, the default), the model, the analyzer, the
# report, the collectors.
include bench/bench.mk model/model.mk analyze/analyze.mk report/report.mk collect/collect.mk
# The fuzz targets, above analyze/ and report/.
include fuzz/fuzz.mk

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

# Areas add to `check` with a rule of their own (`check: $(BINDIR)/analyze`,
# `check: bench static-bins`).
check: $(TEST_RUNNER) $(UNIT_BINS)
	$(Q)HVB_BIN=$(abspath $(BINDIR)) HVB_STATIC_BIN=$(abspath bin) HVB_TOP=$(abspath .) \
	  HVB_BUILD_DIR=$(abspath $(O)) HVB_SAN=$(SAN) \
	  $(TEST_RUNNER) $(UNIT_BINS) $(E2E_SCRIPTS)

# ---------------------------------------------------------------- deps
DEPS_PKGS := $(sort $(shell cat $(wildcard */deps.txt) 2>/dev/null | sed 's/\#.*//'))
# As root it runs apt-get itself; as a user, through sudo (so both `make deps`
# in a root shell without sudo and `sudo make deps` work).
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
# The :arm64 libraries of the cross build (bench/deps.txt) need Debian's arm64
# architecture before apt-get update; the arm64 guest's kernel and busybox
# come last (collect/fetch-kernel --arch arm64, like the x86 one's hook).
deps:
	@echo "make deps: $(words $(DEPS_PKGS)) Debian packages (with what they depend on): $(DEPS_PKGS)"
	$(SUDO) dpkg --add-architecture arm64
	$(SUDO) apt-get update
	@$(SUDO) apt-get install -s --no-install-recommends $(DEPS_PKGS) 2>/dev/null | \
	  awk '/^Inst / { n++ } END { print "make deps: " n + 0 " packages to install (the rest are there); apt-get prints the download and disk size next" }'
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(DEPS_PKGS)
	$(foreach h,$(DEPS_HOOKS),$(h) &&) true
	collect/fetch-kernel --arch arm64

clean:
	rm -rf build bin

-include $(shell find build -name '*.d' 2>/dev/null)
.SECONDARY:
