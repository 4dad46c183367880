# report/report.mk - build rules of the report renderers (included by the
# top Makefile).  The analyzer links $(REPORT_OBJ) with $(REPORT_LIBS) into
# bin/analyze.  libxlsxwriter is only shipped as a shared library by Debian,
# so whatever links the report links dynamically.

REPORT_LIBS := -lxlsxwriter -lm
REPORT_SRC  := $(wildcard report/*.c)
REPORT_OBJ  := $(REPORT_SRC:%.c=$(O)/%.o)

# The built-in template and stylesheet are .incbin'ed into assets.o.
$(O)/report/assets.o: templates/report.html templates/report.css

# Unit tests: report objects only; they build their models by hand.
$(O)/tests/test_report_%: tests/unit/test_report_%.c $(REPORT_OBJ) $(MODEL_OBJ) tests/unit/t.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -Itests/unit -Ireport $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(REPORT_LIBS)

# Report timing on a generated campaign: 7 benchmarks x 4 environments x
# 10 repetitions, full report (HTML with gnuplot charts + XLSX).
.PHONY: bench-report
bench-report: $(BINDIR)/analyze
	$(Q)HVB_BIN=$(abspath $(BINDIR)) HVB_TOP=$(abspath .) bash report/bench-report.sh
