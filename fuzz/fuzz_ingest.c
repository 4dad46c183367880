/*
 * fuzz_ingest.c - libFuzzer target for the analyzer: arbitrary bytes as one
 * input file (plain or gzip), and the same bytes as its collect sidecars
 * (.meta and .host.tsv), through the whole pipeline (ingest, build, every
 * renderer into /dev/null), then model_free.  Built and run by
 * `make fuzz-analyze`; tests/unit/test_analyze_fuzzreplay.c includes this
 * file to replay the inputs it once crashed on (tests/fixtures/analyze/
 * fuzz-crashes/) in `make check`.
 */
#include <stdint.h>
#include <stdio.h>
#include "../analyze/analyze.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	if (!null)
		null = fopen("/dev/null", "w");
	az_quiet = 2;
	hvb_model m = { 0 };
	az_ingest_buffer(&m, "fuzz.csv", data, size);
	az_sidecar_buffer(&m, "fuzz.csv", "meta", "fuzz.meta", (const char *)data, size);
	az_sidecar_buffer(&m, "fuzz.csv", "host.tsv", "fuzz.host.tsv", (const char *)data, size);
	az_opts o;
	az_opts_default(&o);
	if (az_build(&m, &o) == 0 && null) {
		model_print_text(&m, null);
		az_write_summary_csv(&m, null);
		az_write_json(&m, null);
	}
	model_free(&m);
	return 0;
}
