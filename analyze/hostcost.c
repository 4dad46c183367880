/*
 * hostcost.c - what an environment cost the host it ran on, from the two
 * sidecars collect/ writes beside each result CSV (docs/collect.md):
 *
 *   <base>.meta      key=value record of the run: collect's wall time by the
 *                    host's clock, per benchmark bench.NAME.host_wall_s and
 *                    bench.NAME.guest_wall_s (the guest's own clock), what
 *                    arrived, the exit status, the host's CPU count
 *   <base>.host.tsv  the collecting host's /proc once a second: CPU busy %,
 *                    memory used, load (collect/telemetry)
 *
 * Two stages, like the rest of the analyzer:
 *   az_ingest_sidecars  after ingest: read the files into m->hostruns
 *   az_hostcost         in az_build: attribute each run to the environment
 *                       of its CSV's rows, sum up per environment, warn
 *                       (clock, collect, host-steal, telemetry)
 *
 * The sidecars are records, not results: a line that cannot be used is
 * counted, the first one is named (file:line: why) on stderr and in a
 * warning, and the analysis goes on; it never rejects the results.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>
#include "analyze.h"
#include "internal.h"

#define SIDECAR_MAX (256L << 20)   /* a day of telemetry is ~8 MB */
#define NOTES_PER_FILE 3

/* ---- reading ---- */

static void sha256_hex(const void *buf, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	if (!EVP_Digest(buf, len, md, &mdlen, EVP_sha256(), NULL)) {
		az_err("cannot compute SHA-256 (OpenSSL)");
		exit(AZ_EXIT_NOMEM);
	}
	for (unsigned i = 0; i < mdlen && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* Whole file into memory.  1: read; 0: absent; -1: error (*why set).
 * O_NONBLOCK: a FIFO named like a sidecar must not wait for a writer; it is
 * then refused below as not a regular file. */
static int slurp(const char *path, char **buf, size_t *len, char **why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		*why = xasprintf("%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > SIDECAR_MAX) {
		int e = errno;
		*why = xasprintf("%s: not read: %s", path,
				    fstat(fd, &st) < 0 ? strerror(e)
				    : !S_ISREG(st.st_mode) ? "not a regular file" : "larger than 256 MiB");
		close(fd);
		return -1;
	}
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *b = xmalloc(cap);
	for (;;) {
		if (n + 1 >= cap) {
			cap *= 2;
			b = xrealloc(b, cap);
		}
		ssize_t r = read(fd, b + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*why = xasprintf("%s: read error: %s", path, strerror(errno));
			free(b);
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > (size_t)SIDECAR_MAX) {
			*why = xasprintf("%s: not read: larger than 256 MiB", path);
			free(b);
			close(fd);
			return -1;
		}
	}
	close(fd);
	b[n] = 0;
	*buf = b;
	*len = n;
	return 1;
}

/* ---- look-ups (nothing here is linear per item: a .meta may hold
 * 150,000 keys, a campaign thousands of runs) ---- */

typedef az_idxmap idxmap;   /* analyze.h; hashing in util.c */

/* The files' paths by name: the last file read under each name. */
static uint64_t file_hash(const void *ctx, size_t i)
{
	const char *p = ((const hvb_model *)ctx)->files[i].path;
	return az_hash_str(p, strlen(p));
}

/* The hostruns by their CSV's path (a files[].path pointer). */
static uint64_t run_hash(const void *ctx, size_t i)
{
	return az_hash_ptr(0, ((const hvb_model *)ctx)->hostruns[i].csv);
}

static const char *file_named(hvb_model *m, const char *csv)
{
	az_priv *pv = az_priv_of(m);
	idxmap *x = &pv->hc_files;
	/* Files are only ever appended: index the new ones, later ones win. */
	for (; pv->hc_nfiles < m->nfiles; pv->hc_nfiles++) {
		size_t i = pv->hc_nfiles;
		az_idx_grow(x, x->n + 1, file_hash, m);
		const char *p = m->files[i].path;
		size_t j = az_hash_str(p, strlen(p)) & (x->cap - 1);
		while (x->slot[j] && strcmp(m->files[x->slot[j] - 1].path, p) != 0)
			j = (j + 1) & (x->cap - 1);
		if (!x->slot[j])
			x->n++;
		x->slot[j] = i + 1;
	}
	if (!x->cap)
		return NULL;
	size_t j = az_hash_str(csv, strlen(csv)) & (x->cap - 1);
	while (x->slot[j] && strcmp(m->files[x->slot[j] - 1].path, csv) != 0)
		j = (j + 1) & (x->cap - 1);
	return x->slot[j] ? m->files[x->slot[j] - 1].path : NULL;
}

/* Index the hostruns from the first not indexed yet. */
static void runs_index(hvb_model *m, idxmap *x, size_t *nindexed)
{
	for (; *nindexed < m->nhostruns; ++*nindexed) {
		az_idx_grow(x, x->n + 1, run_hash, m);
		const char *path = m->hostruns[*nindexed].csv;
		size_t j = az_hash_ptr(0, path) & (x->cap - 1);
		while (x->slot[j] && m->hostruns[x->slot[j] - 1].csv != path)
			j = (j + 1) & (x->cap - 1);
		if (!x->slot[j]) {   /* the first run of a CSV, as a linear search finds */
			x->slot[j] = *nindexed + 1;
			x->n++;
		}
	}
}

/* The hostrun of the CSV with this path pointer, or NULL. */
static hvb_hostrun *run_of_path(const hvb_model *m, const idxmap *x, const char *path)
{
	if (!x || !x->cap)
		return NULL;
	size_t j = az_hash_ptr(0, path) & (x->cap - 1);
	while (x->slot[j] && m->hostruns[x->slot[j] - 1].csv != path)
		j = (j + 1) & (x->cap - 1);
	return x->slot[j] ? &m->hostruns[x->slot[j] - 1] : NULL;
}

/* The run of the CSV last read under that name (a path given twice is two
 * files, each with its own run). */
static hvb_hostrun *run_for(hvb_model *m, const char *csv)
{
	const char *path = file_named(m, csv);
	if (!path)
		return NULL;
	az_priv *pv = az_priv_of(m);
	idxmap *x = &pv->hc_runs;
	runs_index(m, x, &pv->hc_nruns);
	hvb_hostrun *found = run_of_path(m, x, path);
	if (found)
		return found;
	if (m->nhostruns >= pv->hostruns_cap) {
		pv->hostruns_cap = m->nhostruns >= 8 ? m->nhostruns * 2 : 16;
		m->hostruns = xrealloc(m->hostruns, pv->hostruns_cap * sizeof *m->hostruns);
	}
	hvb_hostrun *h = &m->hostruns[m->nhostruns++];
	memset(h, 0, sizeof *h);
	h->csv = path;
	h->env_idx = (size_t)-1;
	h->exit_status = -1;
	h->wall_s = h->host_cpus = h->busy_mean = h->busy_max = h->span_s = NAN;
	h->busy_host_s = h->cpu_s = h->mem_taken_mb = h->load1_max = h->steal_max = NAN;
	runs_index(m, x, &pv->hc_nruns);
	return h;
}

/* A sidecar line that is not used: counted, the first ones said on stderr,
 * the first kept for the warning. */
typedef struct lines {
	char *s;           /* the text, NUL-terminated; lines are cut in place */
	size_t len, pos;
	long line;         /* number of the line last returned */
} lines;

static char *next_line(lines *l)
{
	if (l->pos >= l->len)
		return NULL;
	char *s = l->s + l->pos, *nl = memchr(s, '\n', l->len - l->pos);
	size_t n = nl ? (size_t)(nl - s) : l->len - l->pos;
	l->pos += n + (nl != NULL);
	s[n] = 0;
	if (n && s[n - 1] == '\r')
		s[n - 1] = 0;
	l->line++;
	return s;
}

static void line_bad(hvb_hostrun *h, const char *path, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void line_bad(hvb_hostrun *h, const char *path, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *why = xvasprintf(fmt, ap);
	va_end(ap);
	char *msg = xasprintf("%s:%ld: %s; line not used", path, line, why);
	free(why);
	if (h->bad_lines < NOTES_PER_FILE)
		az_note("%s", msg);
	if (!h->problem)
		h->problem = msg;
	else
		free(msg);
	h->bad_lines++;
}

/* Untrusted text, shortened and made printable for a message. */
static char *shown(const char *s)
{
	char out[64];
	size_t o = 0;
	for (; *s && o < sizeof out - 4; s++)
		out[o++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
	if (*s)
		memcpy(out + o, "...", 3), o += 3;
	out[o] = 0;
	return xstrdup(out);
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

/* A run's benchmarks by name while they are looked up (parse_meta,
 * bench_windows): a hash over h->walls, which it grows by doubling. */
typedef struct wall_index { hvb_hostrun *h; idxmap x; size_t cap; } wall_index;

static uint64_t wall_hash(const void *ctx, size_t i)
{
	const char *b = ((const hvb_hostrun *)ctx)->walls[i].bench;
	return az_hash_str(b, strlen(b));
}

static void wall_index_init(wall_index *wi, hvb_hostrun *h)
{
	memset(wi, 0, sizeof *wi);
	wi->h = h;
	wi->cap = h->nwalls;
	az_idx_grow(&wi->x, h->nwalls, wall_hash, h);
	for (size_t i = 0; i < h->nwalls; i++) {
		const char *b = h->walls[i].bench;
		size_t j = az_hash_str(b, strlen(b)) & (wi->x.cap - 1);
		while (wi->x.slot[j] && strcmp(h->walls[wi->x.slot[j] - 1].bench, b) != 0)
			j = (j + 1) & (wi->x.cap - 1);
		if (!wi->x.slot[j]) {   /* the first of equal names, as a linear search finds */
			wi->x.slot[j] = i + 1;
			wi->x.n++;
		}
	}
}

static void wall_index_free(wall_index *wi)
{
	free(wi->x.slot);
	wi->x.slot = NULL;
}

static hvb_bench_wall *wall_for(wall_index *wi, const char *name, size_t len)
{
	hvb_hostrun *h = wi->h;
	size_t j = az_hash_str(name, len) & (wi->x.cap - 1);
	while (wi->x.slot[j]) {
		hvb_bench_wall *w = &h->walls[wi->x.slot[j] - 1];
		if (strncmp(w->bench, name, len) == 0 && w->bench[len] == 0)
			return w;
		j = (j + 1) & (wi->x.cap - 1);
	}
	if (h->nwalls == wi->cap) {
		wi->cap = wi->cap ? wi->cap * 2 : 16;
		h->walls = xrealloc(h->walls, wi->cap * sizeof *h->walls);
	}
	hvb_bench_wall *w = &h->walls[h->nwalls++];
	w->bench = xmalloc(len + 1);
	memcpy(w->bench, name, len);
	w->bench[len] = 0;
	w->host_s = w->guest_s = w->t0 = w->t1 = w->busy_mean = NAN;
	w->samples = 0;
	wi->x.slot[j] = h->nwalls;
	wi->x.n++;
	az_idx_grow(&wi->x, wi->x.n, wall_hash, h);
	return w;
}

static void parse_meta(hvb_hostrun *h, const char *path, char *buf, size_t len)
{
	lines l = { buf, len, 0, 0 };
	char *s;
	wall_index wi;
	wall_index_init(&wi, h);
	while ((s = next_line(&l))) {
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq || eq == s) {
			char *t = shown(s);
			line_bad(h, path, l.line, "expected key=value, found \"%s\"", t);
			free(t);
			continue;
		}
		*eq = 0;
		const char *k = s, *v = eq + 1;
		double x;
		long e;
		if (strcmp(k, "collector") == 0)
			set_str(&h->collector, v);
		else if (strcmp(k, "under_load") == 0)
			set_str(&h->under_load, v);
		else if (strcmp(k, "benches_missing") == 0)
			set_str(&h->benches_missing, v);
		else if (strcmp(k, "telemetry_host") == 0)
			set_str(&h->telemetry_host, v);
		else if (strcmp(k, "exit_status") == 0) {
			if (az_parse_long(v, 0, 255, &e) == 0)
				h->exit_status = (int)e;
			else
				line_bad(h, path, l.line, "key 'exit_status': expected 0..255");
		} else if (strcmp(k, "wall_s") == 0) {
			if (az_parse_double(v, &x) == 0 && x >= 0)
				h->wall_s = x;
			else
				line_bad(h, path, l.line, "key 'wall_s': expected seconds >= 0");
		} else if (strcmp(k, "telemetry_host_cpus") == 0) {
			if (az_parse_long(v, 1, 1L << 20, &e) == 0)
				h->host_cpus = (double)e;
			else
				line_bad(h, path, l.line, "key 'telemetry_host_cpus': expected a CPU count >= 1");
		} else if (strncmp(k, "bench.", 6) == 0) {
			const char *name = k + 6, *dot = strrchr(name, '.');
			int host = dot && strcmp(dot, ".host_wall_s") == 0;
			int guest = dot && strcmp(dot, ".guest_wall_s") == 0;
			if (!host && !guest)
				continue;   /* bench.NAME.exit and others: not used here */
			if (dot == name) {
				line_bad(h, path, l.line, "key '%s': no benchmark name", k);
				continue;
			}
			if (az_parse_double(v, &x) != 0 || x < 0) {
				line_bad(h, path, l.line, "key '%s': expected seconds >= 0", k);
				continue;
			}
			hvb_bench_wall *w = wall_for(&wi, name, (size_t)(dot - name));
			*(host ? &w->host_s : &w->guest_s) = x;
		}
		/* every other key is a fact for people (docs/collect.md) */
	}
	wall_index_free(&wi);
}

enum { T_EPOCH, T_BUSY, T_STEAL, T_MEM, T_LOAD, NT };
static const char *const tcol[NT] = {
	"epoch_s", "cpu_busy_pct", "cpu_steal_pct", "mem_used_mb", "load1",
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void parse_tsv(hvb_hostrun *h, const char *path, char *buf, size_t len)
{
	lines l = { buf, len, 0, 0 };
	char *s = next_line(&l);
	int col[NT];
	size_t ncols = 0;
	for (int c = 0; c < NT; c++)
		col[c] = -1;
	for (char *f = s, *tab; f; f = tab ? tab + 1 : NULL, ncols++) {
		tab = strchr(f, '\t');
		if (tab)
			*tab = 0;
		for (int c = 0; c < NT; c++)
			if (strcmp(f, tcol[c]) == 0 && col[c] < 0)
				col[c] = (int)ncols;
	}
	if (!s || col[T_EPOCH] < 0 || col[T_BUSY] < 0) {
		line_bad(h, path, 1, "expected the telemetry header with columns epoch_s and "
			 "cpu_busy_pct (tab-separated); the file is not used");
		while (next_line(&l))
			h->bad_lines++;
		return;
	}
	double sum = 0, prev_epoch = -INFINITY, first_epoch = NAN, first_mem = NAN;
	double *gaps = NULL;
	size_t ngaps = 0, cap = h->samples;   /* gaps and samples grow by doubling */
	while ((s = next_line(&l))) {
		if (!*s)
			continue;
		char *field[64];
		size_t nf = 0;
		for (char *f = s, *tab; f; f = tab ? tab + 1 : NULL) {
			tab = strchr(f, '\t');
			if (tab)
				*tab = 0;
			if (nf < 64)
				field[nf] = f;
			nf++;
		}
		if (nf != ncols) {
			line_bad(h, path, l.line, "expected %zu tab-separated fields as in the header, "
				 "found %zu", ncols, nf);
			continue;
		}
		double v[NT];
		static const double lo[NT] = { 0, 0, 0, 0, 0 };
		static const double hi[NT] = { 1e12, 100, 100, 1e12, 1e9 };
		int ok = 1;
		for (int c = 0; c < NT && ok; c++) {
			v[c] = NAN;
			if (col[c] < 0 || col[c] >= 64)
				continue;
			if (az_parse_double(field[col[c]], &v[c]) != 0 || v[c] < lo[c] || v[c] > hi[c]) {
				char *t = shown(field[col[c]]);
				line_bad(h, path, l.line, "column '%s': expected a number %g..%g, found \"%s\"",
					 tcol[c], lo[c], hi[c], t);
				free(t);
				ok = 0;
			}
		}
		if (!ok)
			continue;
		if (v[T_EPOCH] < prev_epoch) {
			line_bad(h, path, l.line, "column 'epoch_s': %.10g is earlier than the line "
				 "before (%.10g)", v[T_EPOCH], prev_epoch);
			continue;
		}
		if (h->samples == cap) {
			cap = cap ? cap * 2 : 64;
			h->sample_t = xrealloc(h->sample_t, cap * sizeof *h->sample_t);
			h->sample_busy = xrealloc(h->sample_busy, cap * sizeof *h->sample_busy);
			gaps = xrealloc(gaps, cap * sizeof *gaps);
		}
		if (h->samples) {
			gaps[ngaps++] = v[T_EPOCH] - prev_epoch;
		} else {
			first_epoch = v[T_EPOCH];
			first_mem = v[T_MEM];
		}
		prev_epoch = v[T_EPOCH];
		h->sample_t[h->samples] = v[T_EPOCH];
		h->sample_busy[h->samples] = v[T_BUSY];
		h->samples++;
		sum += v[T_BUSY];
		if (isnan(h->busy_max) || v[T_BUSY] > h->busy_max)
			h->busy_max = v[T_BUSY];
		if (!isnan(v[T_LOAD]) && (isnan(h->load1_max) || v[T_LOAD] > h->load1_max))
			h->load1_max = v[T_LOAD];
		if (!isnan(v[T_STEAL]) && (isnan(h->steal_max) || v[T_STEAL] > h->steal_max))
			h->steal_max = v[T_STEAL];
		if (!isnan(v[T_MEM]) && !isnan(first_mem) &&
		    (isnan(h->mem_taken_mb) || v[T_MEM] - first_mem > h->mem_taken_mb))
			h->mem_taken_mb = v[T_MEM] - first_mem;
	}
	if (h->samples) {
		h->busy_mean = sum / (double)h->samples;
		if (ngaps) {
			/* Each sample covers the interval before it: the first one's
			 * is not on record, the median gap stands in for it. */
			qsort(gaps, ngaps, sizeof *gaps, cmp_double);
			double g = ngaps % 2 ? gaps[ngaps / 2]
					     : (gaps[ngaps / 2 - 1] + gaps[ngaps / 2]) / 2;
			h->span_s = prev_epoch - first_epoch + g;
			h->busy_host_s = h->busy_mean / 100 * h->span_s;
		}
	}
	free(gaps);
}

void az_sidecar_buffer(hvb_model *m, const char *csv, const char *kind, const char *name,
		       const char *buf, size_t len)
{
	hvb_hostrun *h = run_for(m, csv);
	if (!h)
		return;
	char *copy = xmalloc(len + 1);
	memcpy(copy, buf, len);
	copy[len] = 0;
	if (strcmp(kind, "meta") == 0) {
		set_str(&h->meta_path, name);
		sha256_hex(buf, len, h->meta_sha256);
		parse_meta(h, name, copy, len);
	} else {
		set_str(&h->tsv_path, name);
		sha256_hex(buf, len, h->tsv_sha256);
		parse_tsv(h, name, copy, len);
	}
	free(copy);
}

static void read_sidecar(hvb_model *m, const char *csv, const char *base, const char *kind)
{
	char *path = xasprintf("%s.%s", base, kind), *buf = NULL, *why = NULL;
	size_t len = 0;
	int r = slurp(path, &buf, &len, &why);
	if (r > 0)
		az_sidecar_buffer(m, csv, kind, path, buf, len);
	else if (r < 0) {
		hvb_hostrun *h = run_for(m, csv);
		az_note("%s; the run's host cost is incomplete", why);
		if (h && !h->problem)
			h->problem = why, why = NULL;
		if (h)
			h->bad_lines++;
	}
	free(why);
	free(buf);
	free(path);
}

void az_ingest_sidecars(hvb_model *m)
{
	size_t nfiles = m->nfiles;
	for (size_t i = 0; i < nfiles; i++) {
		const char *p = m->files[i].path;
		size_t l = strlen(p);
		size_t cut = l > 7 && strcmp(p + l - 7, ".csv.gz") == 0 ? 7
			   : l > 4 && strcmp(p + l - 4, ".csv") == 0 ? 4 : 0;
		if (!cut)
			continue;
		char *base = xmalloc(l - cut + 1);
		memcpy(base, p, l - cut);
		base[l - cut] = 0;
		read_sidecar(m, p, base, "meta");
		read_sidecar(m, p, base, "host.tsv");
		free(base);
	}
}

/* ---- attributing and summing up (az_build) ---- */

/* "2026-11-22T02:07:24Z" (fraction allowed) -> epoch seconds; NAN if not. */
static double utc_epoch(const char *s)
{
	int y, mo, d, h, mi, n = 0;
	double sec;
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%lf%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 ||
	    strcmp(s + n, "Z") != 0 || y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || !(sec >= 0 && sec < 61))
		return NAN;
	/* days from civil (H. Hinnant), no timegm() and its time zone state */
	int yy = y - (mo <= 2);
	long era = yy / 400, yoe = yy - era * 400;
	long doy = (153L * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	double days = (double)(era * 146097 + doe - 719468);
	return days * 86400 + h * 3600 + mi * 60 + sec;
}

/* Each benchmark's window in a run, from its rows' time stamps (one pass
 * over the rows for all runs: win_rows), and the host's CPU during it.
 * Windows that overlap (one CSV holding two runs of a benchmark) say nothing
 * per benchmark: left out. */
static void win_rows(hvb_model *m, const idxmap *runs)
{
	size_t nruns = m->nhostruns;
	wall_index *wi = xcalloc(nruns, sizeof *wi);
	unsigned char *open = xcalloc(nruns, 1);
	const char *last_file = NULL, *last_time = NULL;
	hvb_hostrun *h = NULL;
	double t = NAN;
	const az_priv *pv = az_priv_of(m);
	for (size_t r = 0; r < pv->nrows; r++) {
		const az_row *row = &pv->rows[r];
		if (row->sh->file != last_file) {
			last_file = row->sh->file;
			h = run_of_path(m, runs, last_file);
			if (h && (h->env_idx == (size_t)-1 || !h->samples))
				h = NULL;
		}
		if (!h)
			continue;
		if (row->time != last_time) {   /* interned: equal text, one pointer */
			last_time = row->time;
			t = utc_epoch(row->time);
		}
		if (isnan(t))
			continue;
		size_t i = (size_t)(h - m->hostruns);
		if (!open[i]) {
			wall_index_init(&wi[i], h);
			open[i] = 1;
		}
		hvb_bench_wall *w = wall_for(&wi[i], row->sh->bench, strlen(row->sh->bench));
		if (isnan(w->t0) || t < w->t0)
			w->t0 = t;
		if (isnan(w->t1) || t > w->t1)
			w->t1 = t;
	}
	for (size_t i = 0; i < nruns; i++)
		if (open[i])
			wall_index_free(&wi[i]);
	free(wi);
	free(open);
}

static int by_t0(const void *a, const void *b, void *ctx)
{
	const hvb_bench_wall *w = ctx;
	double x = w[*(const size_t *)a].t0, y = w[*(const size_t *)b].t0;
	return (x > y) - (x < y);
}

static void bench_windows(hvb_hostrun *h)
{
	/* Overlap: a and b overlap when a.t0 < b.t0 < a.t1; both are marked.
	 * By t0: b is marked when the largest t1 of the windows starting
	 * strictly before it passes its t0; a when the first window starting
	 * strictly after it starts before its t1. */
	size_t *ord = xmalloc((h->nwalls ? h->nwalls : 1) * sizeof *ord), n = 0;
	for (size_t i = 0; i < h->nwalls; i++)
		if (!isnan(h->walls[i].t0))
			ord[n++] = i;
	qsort_r(ord, n, sizeof *ord, by_t0, h->walls);
	double max_t1 = -INFINITY;   /* over the windows starting before the current t0 */
	for (size_t i = 0; i < n;) {
		size_t j = i;
		double t0 = h->walls[ord[i]].t0, next_t1 = max_t1;
		for (; j < n && h->walls[ord[j]].t0 == t0; j++) {
			hvb_bench_wall *b = &h->walls[ord[j]];
			if (max_t1 > t0)
				b->samples = (size_t)-1;
			if (b->t1 > next_t1)
				next_t1 = b->t1;
		}
		if (j < n) {   /* the next start after t0 */
			double t0n = h->walls[ord[j]].t0;
			for (size_t k = i; k < j; k++)
				if (t0n < h->walls[ord[k]].t1)
					h->walls[ord[k]].samples = (size_t)-1;
		}
		max_t1 = next_t1;
		i = j;
	}
	free(ord);
	for (size_t i = 0; i < h->nwalls; i++) {
		hvb_bench_wall *w = &h->walls[i];
		if (w->samples == (size_t)-1 || isnan(w->t0)) {
			w->samples = 0;
			continue;
		}
		/* The samples are in time order (parse_tsv refuses time going
		 * back): the first one after t0, then up to t1, summed in the
		 * same order as ever. */
		size_t lo = 0, hi = h->samples;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (h->sample_t[mid] > w->t0)
				hi = mid;
			else
				lo = mid + 1;
		}
		double sum = 0;
		for (size_t k = lo; k < h->samples && h->sample_t[k] <= w->t1; k++) {
			sum += h->sample_busy[k];
			w->samples++;
		}
		if (w->samples)
			w->busy_mean = sum / (double)w->samples;
	}
}

static void warn_run(hvb_model *m, const hvb_hostrun *h, const az_opts *o)
{
	const char *env = h->env_idx != (size_t)-1 ? m->envs[h->env_idx].name : NULL;
	const char *meta = h->meta_path ? h->meta_path : h->csv;
	if (h->problem)
		az_add_warning(m, "telemetry", env,
			xasprintf("%zu line%s of collect's record of %s could not be used: the "
				     "host cost of this run is incomplete", h->bad_lines,
				     h->bad_lines == 1 ? "" : "s", h->csv),
			xstrdup(h->problem));
	if ((h->benches_missing && *h->benches_missing) || h->exit_status > 0)
		az_add_warning(m, "collect", env,
			xasprintf("collect reports that the run of %s in %s did not finish cleanly "
				     "(exit status %d)%s%s: its results are incomplete", env ? env : "several environments",
				     h->csv, h->exit_status,
				     h->benches_missing && *h->benches_missing ? "; missing: " : "",
				     h->benches_missing && *h->benches_missing ? h->benches_missing : ""),
			xasprintf("%s: exit_status=%d benches_missing=%s", meta, h->exit_status,
				     h->benches_missing ? h->benches_missing : ""));
	if (!isnan(h->steal_max) && h->steal_max > o->steal_warn_pct)
		az_add_warning(m, "host-steal", env,
			xasprintf("the collecting host itself lost up to %.1f%% of its CPU to its "
				     "own hypervisor (steal) during this run: every environment "
				     "measured on it is slowed, not only this one", h->steal_max),
			xasprintf("%s: cpu_steal_pct max %.1f", h->tsv_path, h->steal_max));
	/* The clock: one warning per run, naming the worst benchmark. */
	const hvb_bench_wall *worst = NULL;
	size_t over = 0;
	for (size_t i = 0; i < h->nwalls; i++) {
		const hvb_bench_wall *w = &h->walls[i];
		if (isnan(w->host_s) || isnan(w->guest_s) || w->host_s <= 0)
			continue;
		double d = w->guest_s - w->host_s;
		if (fabs(d) <= o->clock_warn_min_s || fabs(d) / w->host_s * 100 <= o->clock_warn_pct)
			continue;
		over++;
		if (!worst || fabs(d) / w->host_s > fabs(worst->guest_s - worst->host_s) / worst->host_s)
			worst = w;
	}
	if (!worst)
		return;
	/* %g where a hostile .meta could make %f print hundreds of digits */
	char pct[32];
	double p = (worst->guest_s - worst->host_s) / worst->host_s * 100;
	snprintf(pct, sizeof pct, fabs(p) < 1e6 ? "%+.1f%%" : "%+.3g%%", p);
	az_add_warning(m, "clock", env,
			xasprintf("the guest's clock disagrees with the host's: %s took %.6g s by "
				     "the guest's clock and %.6g s by the host's (%s), %zu "
				     "benchmark%s beyond %g%%: the guest's timings are %s", worst->bench,
				     worst->guest_s, worst->host_s, pct, over,
				     over == 1 ? "" : "s", o->clock_warn_pct,
				     worst->guest_s < worst->host_s ? "too short, its results too good"
								    : "too long, its results too bad"),
			xasprintf("%s: bench.%s.guest_wall_s=%.9g bench.%s.host_wall_s=%.9g", meta,
				     worst->bench, worst->guest_s, worst->bench, worst->host_s));
}

void az_hostcost(hvb_model *m, const az_opts *o)
{
	if (!m->nhostruns)
		return;
	/* The environment of each CSV's rows; -1 several, -2 none. */
	size_t *env_of = xmalloc(m->nhostruns * sizeof *env_of);
	for (size_t i = 0; i < m->nhostruns; i++)
		env_of[i] = (size_t)-2;
	idxmap runs_x = { 0 };
	size_t nindexed = 0;
	runs_index(m, &runs_x, &nindexed);
	const idxmap *runs = &runs_x;
	const char *last_file = NULL, *last_env = NULL;
	hvb_hostrun *h_of = NULL;
	size_t e = (size_t)-1;
	const az_priv *pv = az_priv_of(m);
	for (size_t r = 0; r < pv->nrows; r++) {
		const az_shape *row = pv->rows[r].sh;
		if (row->file != last_file) {
			last_file = row->file;
			h_of = run_of_path(m, runs, row->file);
		}
		if (!h_of)
			continue;
		size_t i = (size_t)(h_of - m->hostruns);
		if (row->env != last_env) {
			last_env = row->env;
			e = row->env_idx;
		}
		if (env_of[i] == (size_t)-2)
			env_of[i] = e;
		else if (env_of[i] != e)
			env_of[i] = (size_t)-1;
	}
	double *busy = xcalloc(m->nenvs, sizeof *busy), *cpu = xcalloc(m->nenvs, sizeof *cpu);
	double *wall = xcalloc(m->nenvs, sizeof *wall), *bs = xcalloc(m->nenvs, sizeof *bs);
	size_t *nbusy = xcalloc(m->nenvs, sizeof *nbusy), *ncpu = xcalloc(m->nenvs, sizeof *ncpu);
	size_t *nwall = xcalloc(m->nenvs, sizeof *nwall), *nbs = xcalloc(m->nenvs, sizeof *nbs);
	double *ghost = xcalloc(m->nenvs, sizeof *ghost), *gguest = xcalloc(m->nenvs, sizeof *gguest);
	for (size_t i = 0; i < m->nhostruns; i++) {
		hvb_hostrun *h = &m->hostruns[i];
		h->cpu_s = h->busy_host_s * h->host_cpus;
		if (env_of[i] == (size_t)-2)
			continue;   /* a CSV without rows: nothing to attribute */
		if (env_of[i] == (size_t)-1) {
			az_add_warning(m, "telemetry", NULL,
				xasprintf("collect's record beside %s is not attributed to an "
					     "environment: that CSV holds rows of several", h->csv),
				xstrdup(h->meta_path ? h->meta_path : h->tsv_path ? h->tsv_path
					   : h->problem ? h->problem : h->csv));
			continue;
		}
		size_t ei = h->env_idx = env_of[i];
		hvb_env *e = &m->envs[ei];
		e->host_runs++;
		if (!isnan(h->busy_mean))
			busy[ei] += h->busy_mean, nbusy[ei]++;
		if (!isnan(h->busy_max) && (isnan(e->host_busy_max) || h->busy_max > e->host_busy_max))
			e->host_busy_max = h->busy_max;
		if (!isnan(h->busy_host_s))
			bs[ei] += h->busy_host_s, nbs[ei]++;
		if (!isnan(h->cpu_s))
			cpu[ei] += h->cpu_s, ncpu[ei]++;
		if (!isnan(h->wall_s))
			wall[ei] += h->wall_s, nwall[ei]++;
		if (!isnan(h->mem_taken_mb) &&
		    (isnan(e->host_mem_taken_mb) || h->mem_taken_mb > e->host_mem_taken_mb))
			e->host_mem_taken_mb = h->mem_taken_mb;
		for (size_t j = 0; j < h->nwalls; j++) {
			const hvb_bench_wall *w = &h->walls[j];
			if (isnan(w->host_s) || isnan(w->guest_s) || w->host_s <= 0)
				continue;
			ghost[ei] += w->host_s;
			gguest[ei] += w->guest_s;
			e->clock_benches++;
		}
	}
	for (size_t i = 0; i < m->nenvs; i++) {
		hvb_env *e = &m->envs[i];
		if (nbusy[i])
			e->host_busy_mean = busy[i] / (double)nbusy[i];
		if (nbs[i])
			e->host_busy_s = bs[i] / (double)nbs[i];
		/* Only when every run has it: a mean over fewer runs than
		 * host_busy_s's would not be the same figure in other units. */
		if (ncpu[i] && ncpu[i] == nbs[i])
			e->host_cpu_s = cpu[i] / (double)ncpu[i];
		if (nwall[i])
			e->host_wall_s = wall[i] / (double)nwall[i];
		/* Summed, the fixed delay of the host's view (the result
		 * travelling over the serial line) weighs little. */
		if (e->clock_benches && ghost[i] > 0)
			e->clock_skew_pct = (gguest[i] - ghost[i]) / ghost[i] * 100;
	}
	win_rows(m, runs);
	for (size_t i = 0; i < m->nhostruns; i++) {
		if (m->hostruns[i].env_idx != (size_t)-1 && m->hostruns[i].samples)
			bench_windows(&m->hostruns[i]);
		warn_run(m, &m->hostruns[i], o);
	}
	az_bench_costs(m);
	free(busy); free(cpu); free(wall); free(bs); free(ghost); free(gguest);
	free(nbusy); free(ncpu); free(nwall); free(nbs);
	free(env_of);
	free(runs_x.slot);
}
