/*
 * test_analyze_fuzzreplay.c - replays through the fuzz targets every input
 * the fuzzers once crashed on (tests/fixtures/analyze/fuzz-crashes/ for the
 * ingest, import/ for the importers: seeds and crashes), plus every bad and
 * odd fixture, so a fixed crash stays fixed; every file must be readable,
 * each directory must hold one, and a bad fixture must still be rejected
 * (an odd one accepted) by the pipeline the target runs.  A crash or (in
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

/* What a fixture directory promises beyond not crashing: bad/ files each
 * leave at least one rejected-row record once built (the reason they are
 * there); odd/ files are odd but valid, so none, except the rows they
 * carry on purpose (odd_bad); crash and import inputs only have to be
 * replayed. */
enum expect { ANY, SOME_BAD, ODD };

static const struct { const char *file; size_t bad; } odd_bad[] = {
	{ "multiline.csv", 1 },   /* line 6's "x81": the line numbers after a quoted newline */
};

static size_t odd_want(const char *file)
{
	for (size_t i = 0; i < sizeof odd_bad / sizeof odd_bad[0]; i++)
		if (strcmp(odd_bad[i].file, file) == 0)
			return odd_bad[i].bad;
	return 0;
}

/* The rejected-row records after ingest and build. */
static size_t bad_after_build(const char *name, const char *buf, size_t len)
{
	hvb_model m = { 0 };
	az_quiet = 2;
	az_ingest_buffer(&m, name, buf, len);
	az_opts o;
	az_opts_default(&o);
	o.resamples = 200;
	az_build(&m, &o);
	size_t n = m.nbad;
	model_free(&m);
	return n;
}

static int replay_dir(const char *top, const char *sub, int (*one)(const uint8_t *, size_t),
		      enum expect want)
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
		char path[8192], name[600];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		snprintf(name, sizeof name, "fuzz-replay-%s/%s", sub, e->d_name);
		FILE *f = fopen(path, "rb");
		if (!f) {
			T_CHECK(name, 0, "cannot open %s", path);
			continue;
		}
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
		int rerr = ferror(f);
		fclose(f);
		if (rerr) {
			T_CHECK(name, 0, "read error on %s", path);
			free(buf);
			continue;
		}
		/* libFuzzer reserves every return value but 0 */
		int rc = one((const uint8_t *)(buf ? buf : ""), len);
		if (rc != 0 || want == ANY) {
			T_CHECK(name, rc == 0, "the target returned %d", rc);
		} else {
			size_t nb = bad_after_build(e->d_name, buf ? buf : "", len);
			if (want == SOME_BAD)
				T_CHECK(name, nb > 0, "a bad fixture built with no rejected row");
			else
				T_CHECK(name, nb == odd_want(e->d_name), "an odd (valid) fixture built with "
					"%zu rejected rows, not %zu", nb, odd_want(e->d_name));
		}
		free(buf);
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
	int n = replay_dir(top, "fuzz-crashes", fuzz_ingest_one, ANY);
	T_CHECK("fuzz-replay-has-crash-inputs", n >= 1, "no file in fuzz-crashes/");
	n = replay_dir(top, "bad", fuzz_ingest_one, SOME_BAD);
	T_CHECK("fuzz-replay-has-bad-inputs", n >= 1, "no file in bad/");
	n = replay_dir(top, "odd", fuzz_ingest_one, ODD);
	T_CHECK("fuzz-replay-has-odd-inputs", n >= 1, "no file in odd/");
	/* importer target: its seeds and any crash it found */
	n = replay_dir(top, "import", fuzz_import_one, ANY);
	T_CHECK("fuzz-replay-has-import-inputs", n >= 1, "no file in import/");
	return t_exit();
}
