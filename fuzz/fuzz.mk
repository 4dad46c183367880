# fuzz/fuzz.mk - the libFuzzer targets (clang; not part of make check):
# fuzz_ingest.c and fuzz_import.c over analyze/, fuzz_report.c over
# analyze/ and report/.  They sit above both, like the CLI (cli/), so no
# area includes another's fuzz target (docs/architecture.md, the layers).
# tests/unit/test_analyze_fuzzreplay.c includes the analyzer's two to
# replay their crash inputs in make check.  Included by the top Makefile
# after the areas (it names their sources).

# ---- fuzzing the ingest (libFuzzer; not part of make check) ----
FUZZ_TIME   ?= 60
FUZZ_DIR    := build/fuzz
FUZZ_CFLAGS := -g -O1 -std=gnu11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
	       -fno-sanitize-recover=undefined
$(FUZZ_DIR)/fuzz-analyze: fuzz/fuzz_ingest.c $(AZ_SRC) $(MODEL_SRC) analyze/analyze.h model/model.h analyze/internal.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ fuzz/fuzz_ingest.c $(AZ_SRC) $(MODEL_SRC) $(AZ_LIBS)

$(FUZZ_DIR)/fuzz-import: fuzz/fuzz_import.c $(AZ_SRC) $(MODEL_SRC) analyze/analyze.h model/model.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ fuzz/fuzz_import.c $(AZ_SRC) $(MODEL_SRC) $(AZ_LIBS)

# The ingest target gets FUZZ_TIME, the importers a third of it.
fuzz-analyze: $(FUZZ_DIR)/fuzz-analyze $(FUZZ_DIR)/fuzz-import
	@mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/corpus-import $(FUZZ_DIR)/crashes
	cp -n tests/fixtures/analyze/golden/data/*.csv tests/fixtures/analyze/bad/* \
	  tests/fixtures/analyze/odd/* $(FUZZ_DIR)/corpus/
	$(FUZZ_DIR)/fuzz-analyze -max_total_time=$(FUZZ_TIME) -max_len=4096 -timeout=10 \
	  -dict=fuzz/fuzz.dict -artifact_prefix=$(FUZZ_DIR)/crashes/ \
	  $(FUZZ_DIR)/corpus tests/fixtures/analyze/fuzz-crashes
	$(FUZZ_DIR)/fuzz-import -max_total_time=$$(( $(FUZZ_TIME) / 3 + 1 )) -max_len=8192 -timeout=10 \
	  -artifact_prefix=$(FUZZ_DIR)/crashes/import- \
	  $(FUZZ_DIR)/corpus-import tests/fixtures/analyze/import
	@echo "fuzz-analyze: crashes (if any) are in $(FUZZ_DIR)/crashes/; copy them to"
	@echo "tests/fixtures/analyze/fuzz-crashes/ once fixed, make check replays them"

# ---- fuzzing the report path (libFuzzer; not part of make check): data
# through the whole report (HTML, XLSX), the template engine, the SVG
# post-processing.  `make fuzz` runs it with the analyzer's targets.
$(FUZZ_DIR)/fuzz-report: fuzz/fuzz_report.c $(REPORT_SRC) $(AZ_SRC) $(MODEL_SRC) analyze/analyze.h model/model.h report/rint.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ fuzz/fuzz_report.c $(REPORT_SRC) $(AZ_SRC) $(MODEL_SRC) $(REPORT_LIBS) $(AZ_LIBS)

.PHONY: fuzz-report fuzz
fuzz-report: $(FUZZ_DIR)/fuzz-report
	@mkdir -p $(FUZZ_DIR)/corpus-report $(FUZZ_DIR)/crashes
	$(FUZZ_DIR)/fuzz-report -max_total_time=$(FUZZ_TIME) -max_len=8192 -timeout=20 \
	  -artifact_prefix=$(FUZZ_DIR)/crashes/report- $(FUZZ_DIR)/corpus-report tests/fixtures/report/fuzz-seeds
fuzz: fuzz-analyze fuzz-report
