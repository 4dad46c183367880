# analyze/analyze.mk - included by the top Makefile: builds bin/analyze
# (dynamic: it runs on the user's machine, never in a guest), its unit tests,
# `make fuzz-analyze` (libFuzzer, bounded time: fuzz/fuzz.mk) and `make bench-analyze`
# (1,000,000 rows against GNU datamash).
#
# The report renderer (report/*.c, another area) is linked in: its objects
# and REPORT_LIBS from report/report.mk (expanded late, so the order of
# inclusion does not matter).

AZ_SRC      := $(wildcard analyze/*.c) common/iperf3_json.c common/hvb1.c
AZ_OBJ      := $(AZ_SRC:%.c=$(O)/%.o)
AZ_LIBS     := -lcsv -lgsl -lgslcblas -ljson-c -lcrypto -lz -lm
# The CLI (cli/analyze.c) sits above analyze/ and report/.
AZ_MAIN_OBJ   := $(O)/cli/analyze.o

# GCC leaves float-cast-overflow out of -fsanitize=undefined; the analyzer
# turns untrusted numbers into integers, so SAN=1 checks that too.
ifeq ($(SAN),1)
$(AZ_OBJ) $(AZ_MAIN_OBJ): override CFLAGS += -fsanitize=float-cast-overflow
endif

.PHONY: analyze fuzz-analyze bench-analyze
all: $(BINDIR)/analyze
check: $(BINDIR)/analyze
analyze: $(BINDIR)/analyze

# The built-in scoring profile is .incbin'ed into profile.o.
$(O)/analyze/profile.o: analyze/default.profile

# $$(REPORT_OBJ): report/report.mk is included after this file (second
# expansion is on in the top Makefile).
$(BINDIR)/analyze: $(AZ_MAIN_OBJ) $(AZ_OBJ) $(MODEL_OBJ) $$(REPORT_OBJ)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(REPORT_LIBS) $(AZ_LIBS)

$(O)/tests/test_analyze_%: tests/unit/test_analyze_%.c $(AZ_OBJ) $(MODEL_OBJ) tests/unit/t.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -Ianalyze -Ifuzz -Itests/unit $(LDFLAGS) -o $@ $< $(AZ_OBJ) $(MODEL_OBJ) $(AZ_LIBS)

# ---- performance against GNU datamash ----
bench-analyze: $(BINDIR)/analyze
	analyze/bench-analyze.sh $(BINDIR)/analyze

# `make bench-scale`: growth of summary, HTML and XLSX with rows, environments
# and benchmarks (analyze/bench-scale.sh; SCALE_* knobs there).
.PHONY: bench-scale
bench-scale: $(BINDIR)/analyze
	bash analyze/bench-scale.sh $(BINDIR)/analyze

# ---- collect's sidecars at scale: a 150k-key .meta, 5,000 runs ----
# `make bench-aa`: an A/A campaign here (quick suite, 5 rounds, local and an
# unshare namespace each twice) and its false-positive rate, score ratios and
# CI widths (analyze/bench-aa.sh; about 15 minutes; root).
.PHONY: bench-aa
bench-aa: $(BINDIR)/analyze bench
	bash analyze/bench-aa.sh $(abspath $(BINDIR))/analyze

.PHONY: bench-hostcost
bench-hostcost: $(BINDIR)/analyze
	analyze/bench-hostcost.sh $(BINDIR)/analyze

# ---- make install: the analyzer next to the benchmarks ----
.PHONY: install-analyze
install: install-analyze
install-analyze: bin/analyze
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 bin/analyze $(DESTDIR)$(PREFIX)/bin/
