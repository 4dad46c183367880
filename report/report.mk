# report/report.mk - build rules of the report renderers (included by the
# top Makefile).  The analyzer links $(REPORT_OBJ) with $(REPORT_LIBS) into
# bin/analyze.  libxlsxwriter is only shipped as a shared library by Debian,
# so whatever links the report links dynamically.

REPORT_LIBS := -lxlsxwriter -lm
REPORT_SRC  := $(filter-out report/fuzz_%.c,$(wildcard report/*.c))
REPORT_OBJ  := $(REPORT_SRC:%.c=$(O)/%.o)

# The built-in template and stylesheet are .incbin'ed into assets.o.
$(O)/report/assets.o: templates/report.html templates/report.css

# Unit tests: report objects only; they build their models by hand.
$(O)/tests/test_report_%: tests/unit/test_report_%.c $(REPORT_OBJ) $(MODEL_OBJ) tests/unit/t.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -Itests/unit -Ireport $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(REPORT_LIBS)

# ---- fuzzing the report path (libFuzzer; not part of make check): data
# through the whole report (HTML, XLSX), the template engine, the SVG
# post-processing.  `make fuzz` runs it with the analyzer's targets.
$(FUZZ_DIR)/fuzz-report: report/fuzz_report.c $(REPORT_SRC) $(AZ_SRC) $(MODEL_SRC) analyze/analyze.h model/model.h report/rint.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ report/fuzz_report.c $(REPORT_SRC) $(AZ_SRC) $(MODEL_SRC) $(REPORT_LIBS) $(AZ_LIBS)

.PHONY: fuzz-report fuzz
fuzz-report: $(FUZZ_DIR)/fuzz-report
	@mkdir -p $(FUZZ_DIR)/corpus-report $(FUZZ_DIR)/crashes
	$(FUZZ_DIR)/fuzz-report -max_total_time=$(FUZZ_TIME) -max_len=8192 -timeout=20 \
	  -artifact_prefix=$(FUZZ_DIR)/crashes/report- $(FUZZ_DIR)/corpus-report tests/fixtures/report/fuzz-seeds
fuzz: fuzz-analyze fuzz-report

# Report timing on a generated campaign: 7 benchmarks x 4 environments x
# 10 repetitions, full report (HTML with gnuplot charts + XLSX).
.PHONY: bench-report
bench-report: $(BINDIR)/analyze
	$(Q)HVB_BIN=$(abspath $(BINDIR)) HVB_TOP=$(abspath .) bash report/bench-report.sh
