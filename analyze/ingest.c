/*
 * ingest.c - reads result CSVs (csv-format.md, hvb1) into m->files, the rows
 * and m->bad.
 *
 * A file is streamed: raw bytes are read in blocks, hashed (SHA-256 of the
 * bytes as stored), inflated when they start with the gzip magic (so a
 * .csv.gz needs no temporary copy; concatenated gzip members work), and fed
 * to libcsv one physical line at a time.  Feeding by line is how rows get
 * line numbers: libcsv has none, but its parser state says whether a row is
 * open when a new line starts, so a quoted field spanning lines still gets
 * the line its row started on.
 *
 * Columns are matched by header name; unknown columns are noted once per
 * file; a missing required column refuses the file.  A header line repeated
 * inside the file (files concatenated with cat) is read as a new header.
 * Each rejected row becomes one m->bad entry whose message names the file,
 * the line, the column and what was expected; reading goes on.
 *
 * Hostile input (results come from guests we need not trust): only
 * regular files are read (checked on the open descriptor, opened
 * O_NONBLOCK so a FIFO cannot hang us); each file and
 * directory is read once by device and inode, so a symlink loop or a second
 * link to a file is named and skipped; a field, a line and the inflation of
 * gzip data are bounded (az_limit) with a file:line error past the bound.
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
#include <csv.h>
#include <openssl/evp.h>
#include <zlib.h>
#include "analyze.h"
#include "internal.h"

enum { C_SCHEMA, C_RUN, C_TIME, C_ENV, C_VIRT, C_CONTAINER, C_HOST, C_BENCH,
       C_PARAMS, C_METRIC, C_UNIT, C_BETTER, C_REP, C_VALUE, C_STATUS, C_NOTE,
       NCOLS };
static const char *const col_name[NCOLS] = {
	"schema", "run", "time", "env", "virt", "container", "host", "bench",
	"params", "metric", "unit", "better", "rep", "value", "status", "note",
};

az_limits az_limit = { AZ_MAX_FIELD_DEFAULT, AZ_MAX_LINE_DEFAULT, AZ_INFLATE_RATIO_DEFAULT };

/* libcsv's parser state before any field of a row (libcsv.c ROW_NOT_BEGUN). */
#define AZ_CSV_ROW_NOT_BEGUN 0
#define AZ_MAX_FIELDS 4096

typedef struct reader {
	hvb_model *m;
	az_pool *pool;
	size_t fi;              /* index in m->files */
	const char *path;       /* m->files[fi].path: stable */
	struct csv_parser p;
	char *buf; size_t blen, bcap;     /* fields of the current row, NUL-separated */
	size_t *off; size_t nf, fcap;     /* start offsets of the fields */
	size_t *flen;                     /* their lengths (fcap of them) */
	size_t too_many;                  /* fields beyond AZ_MAX_FIELDS */
	long nul_field;                   /* first field holding a NUL byte, -1 none */
	long long_field;                  /* first field over az_limit.max_field, -1 none */
	int long_line;                    /* the row's fields exceed az_limit.max_line */
	long line;              /* physical line of the next byte fed */
	long row_line;          /* line where the current row started */
	int at_line_start;
	int skip_to_lf;         /* after a quoting error: ignore the rest of the line */
	int first_bytes;        /* BOM check pending */
	int have_header, refused;
	int col[NCOLS];
	size_t header_nf;
	char **noted;  size_t nnoted;     /* unknown columns already noted */
	size_t refused_rows;
	int eof_row;            /* the row being closed had no line end */
	/* raw stream */
	EVP_MD_CTX *sha;
	int gz_checked, is_gz, gz_open, gz_end;
	z_stream zs;
	unsigned long long raw_in, text_out;   /* bytes read, bytes inflated */
	size_t line_len;                        /* bytes of the current physical line */
	int fatal;              /* corrupt gzip: stop feeding */
	/* The last interned string of each column: consecutive rows repeat
	 * most fields, which are then not hashed again. */
	char *last_s[NCOLS];
	size_t last_len[NCOLS];
	const az_shape *last_shape;
} reader;

/* ---- quoting untrusted text for a message on stderr ---- */
static const char *show(const char *s, char *out, size_t n)
{
	size_t o = 0, i = 0;
	for (; s[i] && o + 5 < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
			if (o + 5 >= n)
				break;
			o += (size_t)snprintf(out + o, n - o, "\\x%02x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	if (s[i] && o + 4 < n) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = 0;
	return out;
}

static const char *field(reader *r, int c)
{
	int k = r->col[c];
	return k >= 0 && (size_t)k < r->nf ? r->buf + r->off[k] : "";
}

/* Name of the column at field index k of the current header. */
static const char *col_at(reader *r, size_t k)
{
	for (int c = 0; c < NCOLS; c++)
		if (r->col[c] == (int)k)
			return col_name[c];
	if (!r->have_header)
		return "(header line)";
	return k < r->header_nf ? "(unknown column)" : "(beyond the header)";
}

static void row_bad(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void row_bad(reader *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	az_vbad(r->m, r->path, r->row_line, fmt, ap);
	va_end(ap);
	r->m->files[r->fi].bad++;
}

static void bad_value(reader *r, int c, const char *what)
{
	char v[96];
	row_bad(r, "column '%s': \"%s\" %s", col_name[c], show(field(r, c), v, sizeof v), what);
}

/* ---- header ---- */
static int is_header_row(reader *r)
{
	/* A repeated header (files joined with cat), in any column order:
	 * fields "schema", "metric" and "value" all present. */
	int seen = 0;
	for (size_t i = 0; i < r->nf; i++) {
		const char *f = r->buf + r->off[i];
		if ((f[0] == 's' && strcmp(f, "schema") == 0))
			seen |= 1;
		else if (f[0] == 'm' && strcmp(f, "metric") == 0)
			seen |= 2;
		else if (f[0] == 'v' && strcmp(f, "value") == 0)
			seen |= 4;
	}
	return seen == 7;
}

static void note_unknown(reader *r, const char *name)
{
	for (size_t i = 0; i < r->nnoted; i++)
		if (strcmp(r->noted[i], name) == 0)
			return;
	r->noted = xrealloc(r->noted, (r->nnoted + 1) * sizeof *r->noted);
	r->noted[r->nnoted++] = xstrdup(name);
	char v[96];
	az_note("%s:%ld: ignoring unknown column '%s'", r->path, r->row_line,
		show(name, v, sizeof v));
}

static void read_header(reader *r)
{
	for (int c = 0; c < NCOLS; c++)
		r->col[c] = -1;
	for (size_t i = 0; i < r->nf; i++) {
		const char *name = r->buf + r->off[i];
		int c;
		for (c = 0; c < NCOLS; c++)
			if (strcmp(name, col_name[c]) == 0)
				break;
		if (c == NCOLS)
			note_unknown(r, name);
		else if (r->col[c] >= 0) {
			char v[96];
			az_note("%s:%ld: column '%s' appears twice; the first one is used",
				r->path, r->row_line, show(name, v, sizeof v));
		} else
			r->col[c] = (int)i;
	}
	r->have_header = 1;
	r->header_nf = r->nf;
	r->refused = 0;
	char missing[256] = "";
	int nmiss = 0;
	for (int c = 0; c < NCOLS; c++)
		if (r->col[c] < 0) {
			size_t l = strlen(missing);
			snprintf(missing + l, sizeof missing - l, "%s'%s'", nmiss ? ", " : "", col_name[c]);
			nmiss++;
		}
	if (nmiss) {
		row_bad(r, "header lacks required column%s %s: this is not an hvb1 result "
			"file (csv-format.md); its rows are not read", nmiss > 1 ? "s" : "", missing);
		r->refused = 1;
	}
}

/* ---- one data row ---- */
static char *S(reader *r, int c)
{
	int k = r->col[c];
	if (k < 0 || (size_t)k >= r->nf)
		return az_intern(r->pool, "", 0);
	const char *s = r->buf + r->off[k];
	size_t len = r->flen[k];
	if (r->last_s[c] && r->last_len[c] == len && memcmp(r->last_s[c], s, len) == 0)
		return r->last_s[c];
	r->last_len[c] = len;
	return r->last_s[c] = az_intern(r->pool, s, len);
}

static uint64_t shape_hash(const az_shape *x)
{
	const void *f[] = { x->file, x->env, x->virt, x->container, x->host, x->bench,
			    x->params, x->metric, x->unit, x->better, x->status };
	uint64_t h = 0;
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		h = az_hash_ptr(h, f[i]);
	return h;
}

static uint64_t shape_hash_at(const void *ctx, size_t i)
{
	return shape_hash(((const az_priv *)ctx)->shapes[i]);
}

static int same_shape(const az_shape *a, const az_shape *b)
{
	return a->file == b->file && a->env == b->env && a->virt == b->virt &&
	       a->container == b->container && a->host == b->host && a->bench == b->bench &&
	       a->params == b->params && a->metric == b->metric && a->unit == b->unit &&
	       a->better == b->better && a->status == b->status;
}

/* The interned shape of the current row (its repeated fields). */
static const az_shape *shape_of(reader *r)
{
	az_shape k = { r->path, S(r, C_ENV), S(r, C_VIRT), S(r, C_CONTAINER), S(r, C_HOST),
		       S(r, C_BENCH), S(r, C_PARAMS), S(r, C_METRIC), S(r, C_UNIT),
		       S(r, C_BETTER), S(r, C_STATUS), 0, (size_t)-1, AZ_ST_OK, AZ_FACT_NONE };
	if (r->last_shape && same_shape(r->last_shape, &k))
		return r->last_shape;
	az_priv *pv = az_priv_of(r->m);
	az_idxmap *x = &pv->shape_x;
	az_idx_grow(x, pv->nshapes + 1, shape_hash_at, pv);
	size_t j = shape_hash(&k) & (x->cap - 1);
	while (x->slot[j] && !same_shape(pv->shapes[x->slot[j] - 1], &k))
		j = (j + 1) & (x->cap - 1);
	if (!x->slot[j]) {
		if (pv->nshapes == pv->shapes_cap) {
			pv->shapes_cap = pv->shapes_cap ? pv->shapes_cap * 2 : 64;
			pv->shapes = xrealloc(pv->shapes, pv->shapes_cap * sizeof *pv->shapes);
		}
		az_shape *n = xmalloc(sizeof *n);
		*n = k;
		n->idx = pv->nshapes;
		/* data_row has checked the status is one of the four */
		n->st = strcmp(n->status, "ok") == 0 ? AZ_ST_OK : strcmp(n->status, "info") == 0 ? AZ_ST_INFO
			: strcmp(n->status, "skip") == 0 ? AZ_ST_SKIP : AZ_ST_FAIL;
		n->fact = n->st != AZ_ST_INFO || strcmp(n->bench, "hvbench") != 0 ? AZ_FACT_NONE
			: strcmp(n->metric, "plan") == 0 ? AZ_FACT_PLAN
			: strcmp(n->metric, "round") == 0 ? AZ_FACT_ROUND : AZ_FACT_NONE;
		pv->shapes[pv->nshapes++] = n;
		x->slot[j] = pv->nshapes;
		x->n++;
	}
	return r->last_shape = pv->shapes[x->slot[j] - 1];
}

static void data_row(reader *r)
{
	hvb_model *m = r->m;
	if (r->nf != r->header_nf) {
		if (r->eof_row && r->nf < r->header_nf)
			row_bad(r, "truncated last line: %zu of the header's %zu fields, and no line end "
				"(column '%s' is the last one present)", r->nf, r->header_nf,
				r->nf ? col_at(r, r->nf - 1) : "none");
		else
			row_bad(r, "row has %zu fields, the header has %zu", r->nf + r->too_many,
				r->header_nf);
		return;
	}
	const char *schema = field(r, C_SCHEMA);
	if (strncmp(schema, "hvb", 3) != 0 || !schema[3] ||
	    strspn(schema + 3, "0123456789") != strlen(schema + 3) || schema[3] == '0') {
		bad_value(r, C_SCHEMA, "is not a result schema (expected hvb1)");
		return;
	}
	/* A later version may mean other things by the same columns: only the
	 * versions this build knows are read (csv-format.md). */
	if (strcmp(schema, "hvb1") != 0) {
		bad_value(r, C_SCHEMA, "is a result schema this analyzer does not read (it reads "
			  "hvb1); a newer hvbench wrote it: analyze it with that version");
		return;
	}
	const char *status = field(r, C_STATUS);
	int is_ok = strcmp(status, "ok") == 0, is_info = strcmp(status, "info") == 0;
	if (!is_ok && !is_info && strcmp(status, "skip") != 0 && strcmp(status, "fail") != 0) {
		bad_value(r, C_STATUS, "is not a status (expected ok, skip, fail or info)");
		return;
	}
	static const int need[] = { C_ENV, C_BENCH, C_METRIC };
	for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
		if (!*field(r, need[i])) {
			row_bad(r, "column '%s': empty, a name was expected", col_name[need[i]]);
			return;
		}
	const char *better = field(r, C_BETTER);
	if (*better ? strcmp(better, "higher") != 0 && strcmp(better, "lower") != 0 : is_ok) {
		bad_value(r, C_BETTER, "is not a direction (expected higher or lower)");
		return;
	}
	double value = NAN;
	const char *vs = field(r, C_VALUE);
	if (*vs) {
		if (az_parse_double(vs, &value) < 0) {
			bad_value(r, C_VALUE, "is not a number");
			return;
		}
	} else if (is_ok) {
		row_bad(r, "column 'value': empty, a number was expected for status ok");
		return;
	}
	long rep = 0;
	const char *rs = field(r, C_REP);
	if (*rs && az_parse_long(rs, 0, 1000000000L, &rep) < 0) {
		bad_value(r, C_REP, "is not a repetition number (expected an integer >= 0)");
		return;
	}
	az_priv *pv = az_priv_of(m);
	if (pv->nrows == pv->rows_cap) {
		if (pv->nrows >= UINT32_MAX - 1) {
			az_err("out of memory: more than %u rows (%s:%ld)", UINT32_MAX - 1, r->path,
			       r->row_line);
			exit(AZ_EXIT_NOMEM);
		}
		pv->rows_cap = pv->rows_cap ? pv->rows_cap * 2 : 1024;
		pv->rows = xrealloc(pv->rows, pv->rows_cap * sizeof *pv->rows);
	}
	if (r->row_line > (long)UINT32_MAX) {
		az_err("out of memory: %s:%ld: more than %u lines in one file", r->path, r->row_line,
		       UINT32_MAX);
		exit(AZ_EXIT_NOMEM);
	}
	az_row *w = &pv->rows[pv->nrows++];
	/* interned in column order, as ever: the pool's layout is the same */
	w->run = S(r, C_RUN);
	w->time = S(r, C_TIME);
	w->sh = shape_of(r);
	w->note = S(r, C_NOTE);
	w->line = (uint32_t)r->row_line;
	w->rep = (int)rep;
	w->value = value;
	m->files[r->fi].rows++;
}

/* ---- libcsv callbacks ---- */
static void on_field(void *s, size_t len, void *data)
{
	reader *r = data;
	if (r->nf >= AZ_MAX_FIELDS) {
		r->too_many++;
		return;
	}
	if (r->blen + len + 1 > r->bcap) {
		r->bcap = (r->blen + len + 1) * 2;
		r->buf = xrealloc(r->buf, r->bcap);
	}
	if (r->nf == r->fcap) {
		r->fcap = r->fcap ? r->fcap * 2 : 32;
		r->off = xrealloc(r->off, r->fcap * sizeof *r->off);
		r->flen = xrealloc(r->flen, r->fcap * sizeof *r->flen);
	}
	if (len && r->nul_field < 0 && memchr(s, 0, len))
		r->nul_field = (long)r->nf;
	/* Over a limit: the row is rejected in on_row; the text is not kept. */
	if (len > az_limit.max_field) {
		if (r->long_field < 0)
			r->long_field = (long)r->nf;
		len = 0;
	}
	if (r->blen + len > az_limit.max_line) {
		r->long_line = 1;
		len = 0;
	}
	r->flen[r->nf] = len;
	r->off[r->nf++] = r->blen;
	if (len)
		memcpy(r->buf + r->blen, s, len);
	r->blen += len;
	r->buf[r->blen++] = 0;
}

/* The state of one row, cleared after each. */
static void row_reset(reader *r)
{
	r->nf = 0;
	r->blen = 0;
	r->too_many = 0;
	r->nul_field = -1;
	r->long_field = -1;
	r->long_line = 0;
}

static void on_row(int c, void *data)
{
	reader *r = data;
	r->eof_row = c == -1;
	if (r->nul_field >= 0)
		row_bad(r, "column '%s': contains a NUL byte (binary data, not CSV text)",
			col_at(r, (size_t)r->nul_field));
	else if (r->long_field >= 0)
		row_bad(r, "column '%s': a field longer than %zu bytes (the limit; --max-field "
			"raises it)", col_at(r, (size_t)r->long_field), az_limit.max_field);
	else if (r->long_line)
		row_bad(r, "a row longer than %zu bytes (the limit; --max-line raises it)",
			az_limit.max_line);
	else if (!r->have_header || is_header_row(r))
		read_header(r);
	else if (r->refused)
		r->refused_rows++;
	else
		data_row(r);
	row_reset(r);
}

/* libcsv with the analyzer's allocator: out of memory is exit 6 with its
 * message, never a parse error ("malformed CSV quoting"). */
static void parser_init(reader *r)
{
	csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	csv_set_realloc_func(&r->p, xrealloc);
	csv_set_blk_size(&r->p, 4096);
}

static void reset_parser(reader *r)
{
	csv_free(&r->p);
	parser_init(r);
	row_reset(r);
}

/* A whole line (seg bytes ending in LF) at the start of a row, without a
 * quote and without a CR but the one before the LF: split here, without
 * libcsv's character-by-character callbacks (the ingest's cost), exactly as libcsv
 * (CSV_STRICT) splits it: fields at the commas, blanks and tabs around a
 * field removed, a line of blanks no row; \r\n ends the row at the \r.
 * 0 when the line is not of that kind: nothing done, libcsv reads it. */
static int fast_line(reader *r, const char *s, size_t seg)
{
	size_t end = seg - 1;   /* the LF */
	if (end && s[end - 1] == '\r')
		end--;
	if (memchr(s, '"', end) || memchr(s, '\r', end))
		return 0;
	size_t a = 0;
	while (a < end && (s[a] == ' ' || s[a] == '\t'))
		a++;
	if (a == end)
		return 1;   /* blanks only: libcsv reports no row */
	if (!memchr(s, 0, end) && r->nf == 0 && r->blen == 0) {
		/* The usual line: copied once, cut in place (each field's
		 * end, a comma or a blank, becomes its NUL). */
		if (end + 1 > r->bcap) {
			r->bcap = (end + 1) * 2;
			r->buf = xrealloc(r->buf, r->bcap);
		}
		memcpy(r->buf, s, end);
		char *b = r->buf;
		size_t nf = 0;
		for (;;) {
			if (nf == r->fcap) {
				if (nf >= AZ_MAX_FIELDS)
					break;
				r->fcap = r->fcap ? r->fcap * 2 : 32;
				r->off = xrealloc(r->off, r->fcap * sizeof *r->off);
				r->flen = xrealloc(r->flen, r->fcap * sizeof *r->flen);
			}
			const char *comma = memchr(b + a, ',', end - a);
			size_t e = comma ? (size_t)(comma - b) : end, z = e;
			while (z > a && (b[z - 1] == ' ' || b[z - 1] == '\t'))
				z--;
			b[z] = 0;
			r->off[nf] = a;
			r->flen[nf++] = z - a;
			if (!comma) {
				r->nf = nf;
				r->blen = end + 1;
				on_row(s[end], r);
				return 1;
			}
			for (a = e + 1; a < end && (b[a] == ' ' || b[a] == '\t'); a++)
				;
		}
		/* more than AZ_MAX_FIELDS fields: field by field below */
		for (a = 0; a < end && (s[a] == ' ' || s[a] == '\t'); a++)
			;
	}
	for (;;) {
		const char *comma = memchr(s + a, ',', end - a);
		size_t b = comma ? (size_t)(comma - s) : end, z = b;
		while (z > a && (s[z - 1] == ' ' || s[z - 1] == '\t'))
			z--;
		on_field((void *)(s + a), z - a, r);
		if (!comma)
			break;
		for (a = b + 1; a < end && (s[a] == ' ' || s[a] == '\t'); a++)
			;
	}
	on_row(s[end], r);
	return 1;
}

/* Feed decoded CSV text, one physical line at a time (see the header). */
static void feed_text(reader *r, const char *s, size_t len)
{
	if (r->first_bytes && len) {
		r->first_bytes = 0;
		if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
			s += 3;
			len -= 3;
		}
	}
	while (len) {
		const char *lf = memchr(s, '\n', len);
		size_t seg = lf ? (size_t)(lf - s) + 1 : len;
		if (r->skip_to_lf) {
			if (lf) {
				r->skip_to_lf = 0;
				r->line++;
				r->at_line_start = 1;
			}
		} else {
			if (r->at_line_start && r->p.pstate == AZ_CSV_ROW_NOT_BEGUN)
				r->row_line = r->line;
			if (lf && r->at_line_start && r->p.pstate == AZ_CSV_ROW_NOT_BEGUN &&
			    seg <= az_limit.max_field && seg <= az_limit.max_line &&
			    fast_line(r, s, seg)) {
				r->line_len = seg;
				r->line++;
				s += seg;
				len -= seg;
				continue;
			}
			size_t done = csv_parse(&r->p, s, seg, on_field, on_row, r);
			r->line_len = r->at_line_start ? seg : r->line_len + seg;
			if (done < seg && csv_error(&r->p) == CSV_ENOMEM) {
				az_err("out of memory (parsing %s:%ld)", r->path, r->line);
				exit(AZ_EXIT_NOMEM);
			}
			if (done == seg && (r->p.entry_pos > az_limit.max_field ||
					    r->line_len > az_limit.max_line)) {
				int field = r->p.entry_pos > az_limit.max_field;
				row_bad(r, "column '%s': %s longer than %zu bytes (the limit; "
					"--max-%s raises it); the rest of the %s is skipped",
					col_at(r, r->nf), field ? "a field" : "a line",
					field ? az_limit.max_field : az_limit.max_line,
					field ? "field" : "line", r->p.quoted ? "row" : "line");
				reset_parser(r);
				if (!lf)
					r->skip_to_lf = 1;
			} else if (done < seg) {
				row_bad(r, "column '%s': malformed CSV quoting: a quote inside an "
					"unquoted field, or text after a closing quote (libcsv: %s); "
					"the rest of the line is skipped", col_at(r, r->nf),
					csv_strerror(csv_error(&r->p)));
				reset_parser(r);
				if (!lf)
					r->skip_to_lf = 1;
			}
			if (lf) {
				r->line++;
				r->at_line_start = 1;
			} else {
				r->at_line_start = 0;
			}
		}
		s += seg;
		len -= seg;
	}
}

/* Feed raw file bytes: hash, inflate when gzip, then feed_text. */
static void feed_raw(reader *r, const unsigned char *d, size_t n)
{
	EVP_DigestUpdate(r->sha, d, n);
	r->raw_in += n;
	if (r->fatal || !n)
		return;
	if (!r->gz_checked) {
		r->gz_checked = 1;
		r->is_gz = n >= 2 && d[0] == 0x1f && d[1] == 0x8b;
		if (r->is_gz) {
			memset(&r->zs, 0, sizeof r->zs);
			if (inflateInit2(&r->zs, 15 + 16) != Z_OK) {
				az_bad(r->m, r->path, 0, "cannot start zlib");
				r->fatal = 1;
				return;
			}
			r->gz_open = 1;
		}
	}
	if (!r->is_gz) {
		feed_text(r, (const char *)d, n);
		return;
	}
	static unsigned char out[1 << 16];
	r->zs.next_in = (unsigned char *)d;
	r->zs.avail_in = (uInt)n;
	while (r->zs.avail_in) {
		if (r->gz_end) {
			/* Another gzip member follows (files joined with cat). */
			if (inflateReset(&r->zs) != Z_OK) {
				r->fatal = 1;
				return;
			}
			r->gz_end = 0;
		}
		r->zs.next_out = out;
		r->zs.avail_out = sizeof out;
		int rc = inflate(&r->zs, Z_NO_FLUSH);
		r->text_out += sizeof out - r->zs.avail_out;
		if (r->text_out > AZ_INFLATE_FLOOR &&
		    (double)r->text_out > az_limit.max_inflate_ratio * (double)r->raw_in) {
			az_bad(r->m, r->path, r->line, "gzip data inflates to more than %g times its "
			       "compressed size (%llu bytes from %llu; a gzip bomb?); not read further, "
			       "rows before this line were read (--max-inflate-ratio raises the limit)",
			       az_limit.max_inflate_ratio, r->text_out, r->raw_in);
			r->m->files[r->fi].bad++;
			r->fatal = 1;
			return;
		}
		feed_text(r, (const char *)out, sizeof out - r->zs.avail_out);
		if (rc == Z_STREAM_END) {
			r->gz_end = 1;
		} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			az_bad(r->m, r->path, r->line, "corrupt gzip data (zlib: %s); "
			       "rows before this line were read",
			       r->zs.msg ? r->zs.msg : "error");
			r->m->files[r->fi].bad++;
			r->fatal = 1;
			return;
		} else if (rc == Z_BUF_ERROR && r->zs.avail_out) {
			break;
		}
	}
}

static void reader_start(reader *r, hvb_model *m, const char *name)
{
	memset(r, 0, sizeof *r);
	az_priv *pv = az_priv_of(m);
	r->m = m;
	r->pool = pv->pool;
	if (m->nfiles == pv->files_cap) {
		pv->files_cap = pv->files_cap ? pv->files_cap * 2 : 16;
		m->files = xrealloc(m->files, pv->files_cap * sizeof *m->files);
	}
	r->fi = m->nfiles++;
	hvb_file *f = &m->files[r->fi];
	memset(f, 0, sizeof *f);
	f->path = xstrdup(name);
	r->path = f->path;
	r->line = 1;
	r->row_line = 1;
	r->nul_field = -1;
	r->long_field = -1;
	for (int c = 0; c < NCOLS; c++)
		r->col[c] = -1;
	r->at_line_start = 1;
	r->first_bytes = 1;
	parser_init(r);
	r->sha = EVP_MD_CTX_new();
	if (!r->sha || !EVP_DigestInit_ex(r->sha, EVP_sha256(), NULL)) {
		az_err("cannot start SHA-256 (OpenSSL)");
		exit(AZ_EXIT_NOMEM);
	}
}

static void reader_finish(reader *r, int read_error)
{
	hvb_file *f = &r->m->files[r->fi];
	if (r->is_gz && !r->gz_end && !r->fatal && !read_error) {
		az_bad(r->m, r->path, r->line, "truncated gzip file: the compressed stream "
		       "ends early; rows before this line were read");
		f->bad++;
	}
	if (!r->fatal && !read_error) {
		r->row_line = r->at_line_start && r->p.pstate == AZ_CSV_ROW_NOT_BEGUN
			? r->line : r->row_line;
		if (csv_fini(&r->p, on_field, on_row, r) != 0)
			row_bad(r, "column '%s': unterminated quoted field at end of file: a "
				"closing '\"' was expected; this last row is not read", col_at(r, r->nf));
	}
	if (!r->have_header && !r->fatal && !read_error && !(r->is_gz && !r->gz_end)) {
		az_bad(r->m, r->path, 1, "empty file: the hvb1 header line was expected");
		f->bad++;
	}
	if (r->refused_rows)
		f->bad += r->refused_rows;
	if (r->have_header && !f->rows && !f->bad)
		az_note("%s: header only, no data rows", r->path);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	EVP_DigestFinal_ex(r->sha, md, &mdlen);
	for (unsigned i = 0; i < mdlen && i < 32; i++)
		snprintf(f->sha256 + 2 * i, 3, "%02x", md[i]);
	EVP_MD_CTX_free(r->sha);
	if (r->gz_open)
		inflateEnd(&r->zs);
	csv_free(&r->p);
	free(r->buf);
	free(r->off);
	free(r->flen);
	for (size_t i = 0; i < r->nnoted; i++)
		free(r->noted[i]);
	free(r->noted);
}

void az_ingest_buffer(hvb_model *m, const char *name, const void *buf, size_t len)
{
	reader r;
	reader_start(&r, m, name);
	feed_raw(&r, buf, len);
	reader_finish(&r, 0);
}

/* Has the file or directory with this identity been read already?  If not,
 * remember it under path.  Returns the path it was read under, or NULL. */
const char *az_seen_before(hvb_model *m, const struct stat *st, const char *path)
{
	az_priv *pv = az_priv_of(m);
	for (size_t i = 0; i < pv->nseen; i++)
		if (pv->seen[i].dev == (unsigned long long)st->st_dev &&
		    pv->seen[i].ino == (unsigned long long)st->st_ino)
			return pv->seen[i].path;
	if (pv->nseen == pv->seen_cap) {
		pv->seen_cap = pv->seen_cap ? pv->seen_cap * 2 : 64;
		pv->seen = xrealloc(pv->seen, pv->seen_cap * sizeof *pv->seen);
	}
	pv->seen[pv->nseen++] = (struct az_fileid){ (unsigned long long)st->st_dev,
		(unsigned long long)st->st_ino, az_intern(pv->pool, path, strlen(path)) };
	return NULL;
}

static const char *file_kind(mode_t mode)
{
	return S_ISFIFO(mode) ? "a FIFO" : S_ISCHR(mode) ? "a character device"
	     : S_ISBLK(mode) ? "a block device" : S_ISSOCK(mode) ? "a socket"
	     : S_ISDIR(mode) ? "a directory" : "not a regular file";
}

/* Read one file.  Only a regular file is read: the type is checked on the
 * descriptor, which is opened O_NONBLOCK so that opening a FIFO returns at
 * once instead of waiting for a writer.  Returns 1 read, 0 skipped (named
 * on stderr: not regular when walking, or read already), -1 error (in
 * m->bad).  `given`: named on the command line, so a wrong type is an error. */
int az_ingest_file(hvb_model *m, const char *path, int given)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		az_bad(m, az_intern(az_priv_of(m)->pool, path, strlen(path)), 0,
		       "cannot open: %s", strerror(errno));
		return -1;
	}
	struct stat st;
	int serr = fstat(fd, &st) < 0 ? errno : 0;
	if (serr || !S_ISREG(st.st_mode)) {
		close(fd);
		const char *why = serr ? strerror(serr) : file_kind(st.st_mode);
		if (given) {
			az_bad(m, az_intern(az_priv_of(m)->pool, path, strlen(path)), 0,
			       "not read: %s; only regular files are read", why);
			return -1;
		}
		az_note("%s: skipped: %s; only regular files are read", path, why);
		return 0;
	}
	const char *before = az_seen_before(m, &st, path);
	if (before) {
		close(fd);
		az_note("%s: skipped: the same file as %s (a link, or a path given twice), "
			"read once", path, before);
		return 0;
	}
	/* Blocking reads from here: a regular file never waits. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	reader r;
	reader_start(&r, m, path);
	static unsigned char blk[1 << 18];
	int err = 0;
	for (;;) {
		ssize_t n = read(fd, blk, sizeof blk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			az_bad(m, r.path, r.line, "read error: %s", strerror(errno));
			m->files[r.fi].bad++;
			err = 1;
			break;
		}
		if (n == 0)
			break;
		feed_raw(&r, blk, (size_t)n);
		if (r.fatal)
			break;
	}
	close(fd);
	reader_finish(&r, err);
	return 1;
}
