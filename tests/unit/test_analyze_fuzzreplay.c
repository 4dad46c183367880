/*
 * test_analyze_fuzzreplay.c - replays through the fuzz targets every input
 * the fuzzers once crashed on (tests/fixtures/analyze/fuzz-crashes/ for the
 * ingest, import/ for the importers: seeds and crashes), plus every bad and
 * odd fixture, so a fixed crash stays fixed.  A crash or (in
 * `make check SAN=1`) a sanitizer report kills this program, which the
 * runner counts as a failure.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#define LLVMFuzzerTestOneInput fuzz_ingest_one
#include "fuzz_ingest.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_import_one
#include "fuzz_import.c"
#undef LLVMFuzzerTestOneInput
#include "t.h"

static int replay_dir(const char *top, const char *sub, int (*one)(const uint8_t *, size_t))
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/tests/fixtures/analyze/%s", top, sub);
	DIR *d = opendir(dir);
	if (!d) {
		T_CHECK(sub, 0, "cannot open %s", dir);
		return 0;
	}
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[8192];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "rb");
		if (!f)
			continue;
		char *buf = NULL;
		size_t len = 0, cap = 0, r;
		char blk[65536];
		while ((r = fread(blk, 1, sizeof blk, f)) > 0) {
			if (len + r > cap) {
				cap = (len + r) * 2;
				buf = realloc(buf, cap);
			}
			memcpy(buf + len, blk, r);
			len += r;
		}
		fclose(f);
		one((const uint8_t *)(buf ? buf : ""), len);
		free(buf);
		char name[600];
		snprintf(name, sizeof name, "fuzz-replay-%s/%s", sub, e->d_name);
		T_CHECK(name, 1, "unreachable");
		n++;
	}
	closedir(d);
	return n;
}

int main(void)
{
	const char *top = getenv("HVB_TOP");
	if (!top)
		top = ".";
	int n = replay_dir(top, "fuzz-crashes", fuzz_ingest_one);
	T_CHECK("fuzz-replay-has-crash-inputs", n >= 1, "no file in fuzz-crashes/");
	replay_dir(top, "bad", fuzz_ingest_one);
	replay_dir(top, "odd", fuzz_ingest_one);
	/* importer target: its seeds and any crash it found */
	replay_dir(top, "import", fuzz_import_one);
	return t_exit();
}
