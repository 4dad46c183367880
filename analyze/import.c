/*
 * import.c - `analyze import fio|iperf3|sysbench FILE --env LABEL`: converts
 * results of tools people already run into hvb1 rows on stdout, so they
 * count in the analysis like hvbench's own (csv-format.md: "other tools'
 * results enter the analyzer by being converted to it").
 *
 *   fio      --output-format=json: per job and direction (read/write/trim)
 *            MB_per_s, iops, lat_mean_us, lat_p50_us, lat_p99_us; bench "fio"
 *   iperf3   -J: bits_per_s (received), sent_bits_per_s, retransmits (TCP),
 *            jitter_ms and lost_pct (UDP); bench "iperf3"
 *   sysbench cpu / memory text output (several runs in one file are
 *            repetitions): events_per_s or MB_per_s and ops_per_s, lat_avg_ms,
 *            lat_p95_ms; bench "sysbench-cpu" / "sysbench-memory"
 *
 * A tool's own error (fio job error, iperf3 "error") becomes a fail row with
 * the reason, not a missing row.  virt/container are not detected here (the
 * file may come from anywhere): --virt/--container say them, default
 * "other", so name the bare host's env "host" or pass --virt none
 * --container none for it to be the default baseline.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <json-c/json.h>
#include "analyze.h"
#include "../common/hvb1.h"
#include "../common/iperf3_json.h"

typedef struct imp {
	const char *env, *virt, *container, *host, *tool, *path;
	char run[128], time[32];
	FILE *out;
	int rows;
} imp;

static void set_time(imp *im, time_t t)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(im->time, sizeof im->time, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(im->run, sizeof im->run, "%s-%lld-import-%s", im->host, (long long)t, im->tool);
}

/* A timestamp from the tool's JSON, if it is a plausible epoch second
 * (a double outside time_t's range must never be cast: fuzzer finding). */
static void set_time_num(imp *im, double ts)
{
	if (ts >= 0 && ts < 253402300800.0)   /* before year 10000 */
		set_time(im, (time_t)ts);
}

/* One hvb1 row, through the writer the benchmarks use (common/hvb1.c);
 * value NAN = empty. */
static void row(imp *im, const char *bench, const char *params, const char *metric,
		const char *unit, const char *better, int rep, double value,
		const char *status, const char *note)
{
	hvb1_row r = { .run = im->run, .time = im->time, .env = im->env, .virt = im->virt,
		       .container = im->container, .host = im->host, .bench = bench,
		       .params = params, .metric = metric, .unit = unit, .better = better,
		       .rep = rep, .has_value = isfinite(value), .value = value,
		       .status = status, .note = note ? note : "" };
	/* Room for every field quoted with every character doubled: never short. */
	const char *f[] = { r.run, r.time, r.env, r.virt, r.container, r.host, bench, params, metric,
			    unit, better, status, r.note };
	size_t n = 128;
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		n += 2 * strlen(f[i] ? f[i] : "") + 3;
	char *buf = xmalloc(n);
	size_t len = hvb1_format(buf, n, &r);
	fwrite(buf, 1, len, im->out);
	free(buf);
	im->rows++;
}

/* Parameter values must not carry the ';' and '=' that separate them. */
static void param_clean(char *s)
{
	for (; *s; s++)
		if (*s == ';' || *s == '=' || *s == ',' || (unsigned char)*s < 0x20)
			*s = '_';
}

static int get_num(json_object *o, const char *key, double *v)
{
	json_object *x;
	if (!o || !json_object_object_get_ex(o, key, &x))
		return -1;
	enum json_type t = json_object_get_type(x);
	if (t != json_type_double && t != json_type_int)
		return -1;
	*v = json_object_get_double(x);
	return isfinite(*v) ? 0 : -1;
}

static const char *get_str(json_object *o, const char *key)
{
	json_object *x;
	if (!o || !json_object_object_get_ex(o, key, &x) || !json_object_is_type(x, json_type_string))
		return NULL;
	return json_object_get_string(x);
}

static json_object *get_obj(json_object *o, const char *key)
{
	json_object *x;
	if (!o || !json_object_object_get_ex(o, key, &x))
		return NULL;
	return x;
}

static json_object *load_json(const char *path)
{
	json_object *j = json_object_from_file(path);
	if (!j)
		az_err("import: %s: not valid JSON (%s)", path, json_util_get_last_err());
	return j;
}

/* ---- fio ---- */
static const char *fio_opt(json_object *job, json_object *global, const char *k)
{
	const char *v = get_str(get_obj(job, "job options"), k);
	return v ? v : get_str(global, k);
}

static int import_fio(imp *im)
{
	json_object *j = load_json(im->path);
	if (!j)
		return AZ_EXIT_BADDATA;
	double ts;
	if (get_num(j, "timestamp", &ts) == 0)
		set_time_num(im, ts);
	json_object *jobs = get_obj(j, "jobs"), *global = get_obj(j, "global options");
	if (!jobs || !json_object_is_type(jobs, json_type_array)) {
		az_err("import: %s: no \"jobs\" array: not fio --output-format=json output", im->path);
		json_object_put(j);
		return AZ_EXIT_BADDATA;
	}
	const char *ver = get_str(j, "fio version");
	if (ver)
		row(im, "fio", "", "tool_version", "", "", 0, NAN, "info", ver);
	size_t n = json_object_array_length(jobs);
	char (*seen)[256] = xcalloc(n ? n : 1, sizeof *seen);
	for (size_t i = 0; i < n; i++) {
		json_object *job = json_object_array_get_idx(jobs, i);
		char name[64], bs[64], rw[64], depth[32];
		snprintf(name, sizeof name, "%s", get_str(job, "jobname") ? get_str(job, "jobname") : "job");
		snprintf(bs, sizeof bs, "%s", fio_opt(job, global, "bs") ? fio_opt(job, global, "bs") : "");
		snprintf(rw, sizeof rw, "%s", fio_opt(job, global, "rw") ? fio_opt(job, global, "rw") : "");
		snprintf(depth, sizeof depth, "%s", fio_opt(job, global, "iodepth") ? fio_opt(job, global, "iodepth") : "1");
		param_clean(name); param_clean(bs); param_clean(rw); param_clean(depth);
		char params[256];
		snprintf(params, sizeof params, "bs=%s;iodepth=%s;job=%s;rw=%s", bs, depth, name, rw);
		/* The same job twice (numjobs without group_reporting): repetitions. */
		int rep = 1;
		for (size_t k = 0; k < i; k++)
			rep += strcmp(seen[k], params) == 0;
		snprintf(seen[i], sizeof seen[i], "%s", params);
		double err = 0;
		if (get_num(job, "error", &err) == 0 && err != 0) {
			char note[64];
			snprintf(note, sizeof note, "fio job error %.0f (%s)", err,
				 err >= 1 && err < 4096 ? strerror((int)err) : "unknown");
			row(im, "fio", params, "MB_per_s", "MB/s", "higher", rep, NAN, "fail", note);
			continue;
		}
		static const char *const dirs[] = { "read", "write", "trim" };
		for (size_t d = 0; d < 3; d++) {
			json_object *x = get_obj(job, dirs[d]);
			double io = 0, v;
			if (!x || get_num(x, "io_bytes", &io) < 0 || io <= 0)
				continue;
			char metric[64];
			if (get_num(x, "bw_bytes", &v) == 0 || (get_num(x, "bw", &v) == 0 && (v *= 1024, 1))) {
				snprintf(metric, sizeof metric, "%s_MB_per_s", dirs[d]);
				row(im, "fio", params, metric, "MB/s", "higher", rep, v / 1e6, "ok", NULL);
			}
			if (get_num(x, "iops", &v) == 0) {
				snprintf(metric, sizeof metric, "%s_iops", dirs[d]);
				row(im, "fio", params, metric, "1/s", "higher", rep, v, "ok", NULL);
			}
			if (get_num(get_obj(x, "lat_ns"), "mean", &v) == 0) {
				snprintf(metric, sizeof metric, "%s_lat_mean_us", dirs[d]);
				row(im, "fio", params, metric, "us", "lower", rep, v / 1000, "ok", NULL);
			}
			json_object *pct = get_obj(get_obj(x, "clat_ns"), "percentile");
			if (get_num(pct, "50.000000", &v) == 0) {
				snprintf(metric, sizeof metric, "%s_lat_p50_us", dirs[d]);
				row(im, "fio", params, metric, "us", "lower", rep, v / 1000, "ok", NULL);
			}
			if (get_num(pct, "99.000000", &v) == 0) {
				snprintf(metric, sizeof metric, "%s_lat_p99_us", dirs[d]);
				row(im, "fio", params, metric, "us", "lower", rep, v / 1000, "ok", NULL);
			}
		}
	}
	free(seen);
	json_object_put(j);
	return AZ_EXIT_OK;
}

/* ---- iperf3 ---- */
/* The file's bytes (NUL-terminated), or NULL with the error said. */
#define IMPORT_MAX_JSON (256u << 20)
static char *slurp(const char *path, size_t *len)
{
	char *buf;
	int e = az_read_file(path, IMPORT_MAX_JSON, &buf, len);
	if (e == EFBIG)
		az_err("import: %s: larger than %u MB: not an iperf3 result", path, IMPORT_MAX_JSON >> 20);
	else if (e)
		az_err("import: %s: %s", path, strerror(e));
	return buf;
}

/* Through the reader netbench uses too (common/iperf3_json.c). */
static int import_iperf3(imp *im)
{
	size_t len = 0;
	char *txt = slurp(im->path, &len);
	if (!txt)
		return AZ_EXIT_BADDATA;
	hvb_iperf3 x;
	int rc = hvb_iperf3_parse(txt, len, &x);
	free(txt);
	if (rc < 0) {
		az_err("import: %s: not valid JSON (%s)", im->path, x.error);
		return AZ_EXIT_BADDATA;
	}
	if (x.has_time)
		set_time_num(im, x.timesecs);
	char p[16];
	snprintf(p, sizeof p, "%s", x.protocol);
	param_clean(p);
	char params[128];
	snprintf(params, sizeof params, "proto=%s;reverse=%.0f;streams=%.0f", p, x.reverse, x.streams);
	if (x.version[0])
		row(im, "iperf3", "", "tool_version", "", "", 0, NAN, "info", x.version);
	if (x.error[0]) {
		row(im, "iperf3", params, "bits_per_s", "bit/s", "higher", 1, NAN, "fail", x.error);
		return AZ_EXIT_OK;
	}
	if (!x.has_end) {
		az_err("import: %s: no \"end\" object: not iperf3 -J output", im->path);
		return AZ_EXIT_BADDATA;
	}
	if (x.has_bps)
		row(im, "iperf3", params, "bits_per_s", "bit/s", "higher", 1, x.bps, "ok", NULL);
	if (strcmp(p, "udp") == 0) {
		if (x.has_jitter)
			row(im, "iperf3", params, "jitter_ms", "ms", "lower", 1, x.jitter_ms, "ok", NULL);
		if (x.has_lost)
			row(im, "iperf3", params, "lost_pct", "%", "lower", 1, x.lost_pct, "ok", NULL);
	} else {
		if (x.has_sent)
			row(im, "iperf3", params, "sent_bits_per_s", "bit/s", "higher", 1, x.sent_bps, "ok", NULL);
		if (x.has_retr)
			row(im, "iperf3", params, "retransmits", "count", "lower", 1, x.retransmits, "ok", NULL);
	}
	return AZ_EXIT_OK;
}

/* ---- sysbench ---- */
typedef struct sb_run {
	char test[16], params[256];
	double eps, ops, mib, lat_avg, lat_p95;
	int threads;
	char block[32], total[32], oper[32], scope[32];
	long prime;
} sb_run;

static void sb_flush(imp *im, sb_run *r, int rep)
{
	if (!r->test[0])
		return;
	char bench[32];
	snprintf(bench, sizeof bench, "sysbench-%s", r->test);
	param_clean(r->block); param_clean(r->total); param_clean(r->oper); param_clean(r->scope);
	if (strcmp(r->test, "cpu") == 0)
		snprintf(r->params, sizeof r->params, "max_prime=%ld;threads=%d", r->prime, r->threads);
	else
		snprintf(r->params, sizeof r->params, "block_size=%s;oper=%s;scope=%s;threads=%d;total_size=%s",
			 r->block, r->oper, r->scope, r->threads, r->total);
	if (strcmp(r->test, "cpu") == 0) {
		if (isfinite(r->eps))
			row(im, bench, r->params, "events_per_s", "1/s", "higher", rep, r->eps, "ok", NULL);
		else
			row(im, bench, r->params, "events_per_s", "1/s", "higher", rep, NAN, "fail",
			    "no \"events per second\" line in the sysbench output");
	} else {
		if (isfinite(r->mib))
			row(im, bench, r->params, "MB_per_s", "MB/s", "higher", rep, r->mib * 1.048576, "ok", NULL);
		else
			row(im, bench, r->params, "MB_per_s", "MB/s", "higher", rep, NAN, "fail",
			    "no \"MiB transferred\" line in the sysbench output");
		if (isfinite(r->ops))
			row(im, bench, r->params, "ops_per_s", "1/s", "higher", rep, r->ops, "ok", NULL);
	}
	if (isfinite(r->lat_avg))
		row(im, bench, r->params, "lat_avg_ms", "ms", "lower", rep, r->lat_avg, "ok", NULL);
	if (isfinite(r->lat_p95))
		row(im, bench, r->params, "lat_p95_ms", "ms", "lower", rep, r->lat_p95, "ok", NULL);
}

static void sb_reset(sb_run *r)
{
	memset(r, 0, sizeof *r);
	r->eps = r->ops = r->mib = r->lat_avg = r->lat_p95 = NAN;
	r->threads = 1;
}

/* A number at the start of v ("1234.56 per second"), NAN when none. */
static double lead_num(const char *v)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	return end == v || errno == ERANGE || !isfinite(d) ? NAN : d;
}

/* "  key:   value" -> value after the colon, or NULL when the key differs. */
static const char *after(const char *line, const char *key)
{
	while (*line == ' ' || *line == '\t')
		line++;
	size_t k = strlen(key);
	if (strncmp(line, key, k) != 0)
		return NULL;
	line += k;
	while (*line == ' ' || *line == '\t')
		line++;
	return line;
}

static int import_sysbench(imp *im)
{
	FILE *f = fopen(im->path, "r");
	if (!f) {
		az_err("import: cannot open %s: %s", im->path, strerror(errno));
		return AZ_EXIT_NOINPUT;
	}
	char line[1024];
	sb_run r;
	sb_reset(&r);
	int runs = 0, in_latency = 0;
	long lineno = 0;
	const char *v;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = 0;
		if (strncmp(line, "sysbench ", 9) == 0 && strstr(line, "(using")) {
			if (r.test[0])
				sb_flush(im, &r, ++runs);
			sb_reset(&r);
			if (!im->rows)
				row(im, "sysbench", "", "tool_version", "", "", 0, NAN, "info", line);
			in_latency = 0;
			continue;
		}
		if ((v = after(line, "Number of threads:")))
		{
			long t;
			r.threads = az_parse_long(v, 1, 1000000, &t) == 0 ? (int)t : 1;
		}
		else if ((v = after(line, "Prime numbers limit:"))) {
			snprintf(r.test, sizeof r.test, "cpu");
			if (az_parse_long(v, 0, 1000000000L, &r.prime) < 0)
				r.prime = 0;
		} else if (strstr(line, "Running memory speed test"))
			snprintf(r.test, sizeof r.test, "memory");
		else if ((v = after(line, "block size:")))
			snprintf(r.block, sizeof r.block, "%s", v);
		else if ((v = after(line, "total size:")))
			snprintf(r.total, sizeof r.total, "%s", v);
		else if ((v = after(line, "operation:")))
			snprintf(r.oper, sizeof r.oper, "%s", v);
		else if ((v = after(line, "scope:")))
			snprintf(r.scope, sizeof r.scope, "%s", v);
		else if ((v = after(line, "events per second:"))) {
			if (az_parse_double(v, &r.eps) < 0) {
				az_err("import: %s:%ld: \"events per second\": \"%s\" is not a number",
				       im->path, lineno, v);
				r.eps = NAN;
			}
		} else if ((v = after(line, "Total operations:"))) {
			const char *p = strchr(v, '(');
			if (p)
				r.ops = lead_num(p + 1);
		} else if (strstr(line, "MiB transferred (")) {
			r.mib = lead_num(strstr(line, "MiB transferred (") + 17);
		} else if (strncmp(line, "Latency (ms):", 13) == 0)
			in_latency = 1;
		else if (in_latency && (v = after(line, "avg:")))
			r.lat_avg = lead_num(v);
		else if (in_latency && (v = after(line, "95th percentile:")))
			r.lat_p95 = lead_num(v);
	}
	fclose(f);
	if (r.test[0])
		sb_flush(im, &r, ++runs);
	if (!runs) {
		az_err("import: %s: no sysbench cpu or memory run found (expected \"Prime numbers "
		       "limit:\" or \"Running memory speed test\")", im->path);
		return AZ_EXIT_BADDATA;
	}
	return AZ_EXIT_OK;
}

int az_import_main(int argc, char **argv)
{
	imp im = { .virt = "other", .container = "other", .host = "imported", .out = stdout };
	const char *out = NULL;
	const char *pos[2] = { 0 };
	int np = 0;
	for (int i = 1; i < argc; i++) {
		const char **dst = NULL;
		if (strcmp(argv[i], "--env") == 0) dst = &im.env;
		else if (strcmp(argv[i], "--virt") == 0) dst = &im.virt;
		else if (strcmp(argv[i], "--container") == 0) dst = &im.container;
		else if (strcmp(argv[i], "--host") == 0) dst = &im.host;
		else if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) dst = &out;
		else if (argv[i][0] == '-' && argv[i][1]) {
			az_err("import: unknown option '%s'", argv[i]);
			return AZ_EXIT_USAGE;
		} else if (np < 2) {
			pos[np++] = argv[i];
			continue;
		} else {
			az_err("import: too many arguments ('%s')", argv[i]);
			return AZ_EXIT_USAGE;
		}
		if (i + 1 >= argc || !argv[i + 1][0]) {
			az_err("import: %s needs a value", argv[i]);
			return AZ_EXIT_USAGE;
		}
		*dst = argv[++i];
	}
	if (np != 2 || !im.env) {
		az_err("usage: analyze import fio|iperf3|sysbench FILE --env LABEL [--virt V] "
		       "[--container C] [--host H] [-o OUT.csv]");
		return AZ_EXIT_USAGE;
	}
	im.tool = pos[0];
	im.path = pos[1];
	int (*fn)(imp *) = strcmp(im.tool, "fio") == 0 ? import_fio
			 : strcmp(im.tool, "iperf3") == 0 ? import_iperf3
			 : strcmp(im.tool, "sysbench") == 0 ? import_sysbench : NULL;
	if (!fn) {
		az_err("import: unknown tool '%s' (expected fio, iperf3 or sysbench)", im.tool);
		return AZ_EXIT_USAGE;
	}
	struct stat st;
	if (stat(im.path, &st) < 0) {
		az_err("import: %s: %s", im.path, strerror(errno));
		return AZ_EXIT_NOINPUT;
	}
	set_time(&im, st.st_mtime);
	if (out && !(im.out = fopen(out, "w"))) {
		az_err("import: cannot write %s: %s", out, strerror(errno));
		return AZ_EXIT_OUTPUT;
	}
	fprintf(im.out, "%s\n", hvb1_header);
	int rc = fn(&im);
	if (rc == AZ_EXIT_OK && im.rows == 0) {
		az_err("import: %s: no result found in it", im.path);
		rc = AZ_EXIT_BADDATA;
	}
	if ((im.out == stdout ? fflush(im.out) : fclose(im.out)) != 0 && rc == AZ_EXIT_OK) {
		az_err("import: error writing the output: %s", strerror(errno));
		rc = AZ_EXIT_OUTPUT;
	}
	return rc;
}
