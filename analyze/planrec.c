/*
 * planrec.c - the plan records beside the CSVs (docs/analyzer.md, "Plan
 * records: which runs are the plan's").
 *
 * collect/plan files a run into DATA/CAMPAIGN/LABEL/ only when it is
 * complete, and lists it in its record DATA/CAMPAIGN/ID.plan (a `done R
 * LABEL RC CSV` line) just before it moves it in.  A CSV whose info rows say
 * it is a run of plan ID (hvbench/plan) but that the record beside it does
 * not list is therefore not one of the plan's runs: a run that went on after
 * its plan died, a copy, a run of an older collect/plan that was never
 * recorded.  Counted, it would give its environment more samples than the
 * others and a round two runs, one of them unpaired.  Such a file is left
 * out, with a warning.  So is every run but one of a (plan, round,
 * environment) claimed twice: where the record has a `rerun R LABEL OLDCSV`
 * line (collect/plan --until ran a disturbed run again), the re-run counts
 * and the original is left out; otherwise the run whose done line comes last
 * counts (without a record: the first read), and the warning names them.
 *
 * Only records found where collect/plan writes them are read: ID.plan in
 * the directory above the CSV's environment directory, ID made only of
 * [A-Za-z0-9._-] (a label in a CSV never names another path).  Without a
 * record nothing is judged unlisted.  Called from az_build before anything
 * else looks at the rows; the rows of files left out go, as duplicates do
 * (dedup.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "internal.h"

#define PLANREC_MAX ((size_t)64 << 20)   /* a record is a few KB a round */

/* One CSV that says it belongs to a plan. */
typedef struct pr_file {
	const char *file;     /* the rows' shared path string */
	const char *plan, *env;
	double round;
	size_t order;         /* in reading order */
	size_t rec;           /* its record + 1, 0 none found */
	long done_at;         /* the line of its done entry in the record, -1 none */
	int out;
} pr_file;

typedef struct pr_entry { double round; char *label, *base; long line; int undone; } pr_entry;

/* One record, read once. */
typedef struct pr_rec {
	char *path;
	int found;
	pr_entry *done, *rerun;
	size_t ndone, nrerun, done_cap, rerun_cap;
} pr_rec;

static int safe_id(const char *s)
{
	if (!*s || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '.' || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

/* The last path component of s[0..n), without a ".gz" (a CSV gzipped after
 * it was recorded is the same run). */
static char *base_of(const char *s, size_t n)
{
	const char *b = s;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/')
			b = s + i + 1;
	size_t k = (size_t)(s + n - b);
	if (k > 3 && memcmp(b + k - 3, ".gz", 3) == 0)
		k -= 3;
	char *r = xmalloc(k + 1);
	memcpy(r, b, k);
	r[k] = 0;
	return r;
}

/* The directory of the CSV ("." for a bare name), malloc'd. */
static char *dir_of(const char *file)
{
	const char *sl = strrchr(file, '/');
	if (!sl)
		return xstrdup(".");
	if (sl == file)
		return xstrdup("/");
	return xasprintf("%.*s", (int)(sl - file), file);
}

/* Field k (0-based, split at spaces) of line[0..n): start and length. */
static int field(const char *line, size_t n, int k, const char **f, size_t *fl, int rest)
{
	size_t i = 0;
	for (int j = 0; j < k; j++) {
		while (i < n && line[i] != ' ')
			i++;
		if (i >= n)
			return -1;
		i++;
	}
	size_t e = i;
	if (rest)
		e = n;
	else
		while (e < n && line[e] != ' ')
			e++;
	*f = line + i;
	*fl = e - i;
	return e > i ? 0 : -1;
}

static void add_entry(pr_entry **v, size_t *n, size_t *cap, double round, const char *l, size_t ll,
		      const char *c, size_t cl, long line)
{
	if (*n == *cap)
		*v = xrealloc(*v, (*cap = *cap ? *cap * 2 : 16) * sizeof **v);
	(*v)[(*n)++] = (pr_entry){ round, xasprintf("%.*s", (int)ll, l), base_of(c, cl), line, 0 };
}

static void rec_load(pr_rec *r)
{
	char *buf = NULL;
	size_t len = 0;
	if (az_read_file(r->path, PLANREC_MAX, &buf, &len) != 0) {
		free(buf);
		return;
	}
	r->found = 1;
	long lineno = 0;
	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && buf[e] != '\n')
			e++;
		const char *line = buf + i;
		size_t n = e - i;
		if (n && line[n - 1] == '\r')
			n--;
		lineno++;
		const char *f, *l, *c;
		size_t fl, ll, cl;
		int kind = 0;   /* 1 done, 2 undone, 3 rerun */
		if (n > 5 && memcmp(line, "done ", 5) == 0)
			kind = 1;
		else if (n > 7 && memcmp(line, "undone ", 7) == 0)
			kind = 2;
		else if (n > 6 && memcmp(line, "rerun ", 6) == 0)
			kind = 3;
		double round;
		char num[32];
		if (kind && field(line, n, 1, &f, &fl, 0) == 0 && fl < sizeof num &&
		    field(line, n, 2, &l, &ll, 0) == 0 &&
		    field(line, n, kind == 1 ? 4 : 3, &c, &cl, kind != 3) == 0) {
			memcpy(num, f, fl);
			num[fl] = 0;
			if (az_parse_double(num, &round) == 0) {
				if (kind == 1) {
					add_entry(&r->done, &r->ndone, &r->done_cap, round, l, ll, c, cl, lineno);
				} else if (kind == 3) {
					add_entry(&r->rerun, &r->nrerun, &r->rerun_cap, round, l, ll, c, cl, lineno);
				} else {
					char *lb = xasprintf("%.*s", (int)ll, l), *b = base_of(c, cl);
					for (size_t k = 0; k < r->ndone; k++)
						if (strcmp(r->done[k].label, lb) == 0 && strcmp(r->done[k].base, b) == 0)
							r->done[k].undone = 1;
					free(lb);
					free(b);
				}
			}
		}
		i = e < len ? e + 1 : e;
	}
	free(buf);
}

/* The label (the environment directory's name, else the env column) and
 * base name of f, malloc'd. */
static void file_key(const pr_file *f, char **label, char **base)
{
	char *d = dir_of(f->file);
	const char *sl = strrchr(d, '/');
	const char *ld = sl ? sl + 1 : d;
	*label = xstrdup(strcmp(ld, ".") == 0 || strcmp(ld, "..") == 0 || !*ld ? f->env : ld);
	*base = base_of(f->file, strlen(f->file));
	free(d);
}

static long done_line(const pr_rec *r, const char *label, const char *base, double *round)
{
	long at = -1;
	for (size_t k = 0; k < r->ndone; k++)
		if (!r->done[k].undone && strcmp(r->done[k].label, label) == 0 &&
		    strcmp(r->done[k].base, base) == 0) {
			at = r->done[k].line;
			*round = r->done[k].round;
		}
	return at;
}

static const pr_entry *rerun_of(const pr_rec *r, const char *label, const char *base, double round)
{
	for (size_t k = 0; k < r->nrerun; k++)
		if (r->rerun[k].round == round && strcmp(r->rerun[k].label, label) == 0 &&
		    strcmp(r->rerun[k].base, base) == 0)
			return &r->rerun[k];
	return NULL;
}

static void left_out(hvb_model *m, pr_file *f, char *message, char *evidence)
{
	f->out = 1;
	az_note("%s: %s (%s)", f->env, message, evidence);
	az_add_warning(m, "plan-record", f->env, message, evidence);
	m->warnings[m->nwarnings - 1].touches_score = 1;
}

static int by_claim(const void *a, const void *b)
{
	const pr_file *x = *(pr_file *const *)a, *y = *(pr_file *const *)b;
	int c = strcmp(x->plan, y->plan);
	if (!c) c = strcmp(x->env, y->env);
	if (!c) c = (x->round > y->round) - (x->round < y->round);
	if (!c) c = (x->order > y->order) - (x->order < y->order);
	return c;
}

static char *round_text(double r)
{
	return isnan(r) ? xstrdup("?") : xasprintf("%.15g", r);
}

/* Of the runs c[0..n) claiming one (plan, round, env), `left` still in:
 * the one whose done line is last counts (without a record the first
 * read); the others are left out. */
static void keep_last_done(hvb_model *m, pr_file **c, size_t n, size_t left, const pr_rec *recs)
{
	/* The one whose done line is last counts; without a record
	 * the first read. */
	pr_file *keep = NULL;
	for (size_t k = 0; k < n; k++) {
		pr_file *f = c[k];
		if (f->out)
			continue;
		if (!keep || (f->done_at >= 0 && f->done_at > keep->done_at))
			keep = f;
	}
	const pr_rec *kr = keep->rec ? &recs[keep->rec - 1] : NULL;
	for (size_t k = 0; k < n; k++) {
		pr_file *f = c[k];
		if (f->out || f == keep)
			continue;
		char *rt = round_text(f->round);
		left_out(m, f, xasprintf("%zu runs claim plan %s, round %s, env %s: %s counts, "
			"%s is left out", left, f->plan, rt, f->env, keep->file, f->file),
			kr && kr->found ?
			xasprintf("%s lists both; the done line of %s comes last (line %ld)",
				  kr->path, keep->file, keep->done_at) :
			xasprintf("no plan record at %s: the first read counts",
				  kr ? kr->path : "?"));
		free(rt);
	}
}

static void recs_free(pr_rec *recs, size_t nrec)
{
	for (size_t k = 0; k < nrec; k++) {
		for (size_t q = 0; q < recs[k].ndone; q++) {
			free(recs[k].done[q].label);
			free(recs[k].done[q].base);
		}
		for (size_t q = 0; q < recs[k].nrerun; q++) {
			free(recs[k].rerun[q].label);
			free(recs[k].rerun[q].base);
		}
		free(recs[k].done);
		free(recs[k].rerun);
		free(recs[k].path);
	}
	free(recs);
}

void az_planrec(hvb_model *m)
{
	az_priv *pv = az_priv_of(m);
	pr_file *fs = NULL;
	size_t nf = 0, cap = 0;
	const char *last = NULL;
	/* Per file: its first plan row's plan and env, its first round. */
	for (size_t i = 0; i < pv->nrows; i++) {
		const az_row *r = &pv->rows[i];
		const az_shape *sh = r->sh;
		if (sh->file != last) {
			last = sh->file;
			if (nf == cap)
				fs = xrealloc(fs, (cap = cap ? cap * 2 : 64) * sizeof *fs);
			fs[nf] = (pr_file){ .file = sh->file, .round = NAN, .order = nf, .done_at = -1 };
			nf++;
		}
		if (sh->st != AZ_ST_INFO || strcmp(sh->bench, "hvbench") != 0)
			continue;
		pr_file *f = &fs[nf - 1];
		if (!f->plan && sh->fact == AZ_FACT_PLAN && r->note[0]) {
			f->plan = r->note;
			f->env = sh->env;
		} else if (isnan(f->round) && sh->fact == AZ_FACT_ROUND && !isnan(r->value)) {
			f->round = r->value;
		}
	}
	pr_rec *recs = NULL;
	size_t nrec = 0;
	pr_file **claim = xmalloc((nf ? nf : 1) * sizeof *claim);
	size_t nclaim = 0;
	for (size_t i = 0; i < nf; i++) {
		pr_file *f = &fs[i];
		if (!f->plan || !safe_id(f->plan))
			continue;
		char *d = dir_of(f->file);
		char *path = xasprintf("%s/../%s.plan", d, f->plan);
		free(d);
		size_t k = 0;
		while (k < nrec && strcmp(recs[k].path, path) != 0)
			k++;
		if (k == nrec) {
			recs = xrealloc(recs, (nrec + 1) * sizeof *recs);
			recs[nrec] = (pr_rec){ .path = path };
			rec_load(&recs[nrec++]);
		} else {
			free(path);
		}
		f->rec = k + 1;
		const pr_rec *r = &recs[k];
		if (r->found) {
			char *label, *base;
			file_key(f, &label, &base);
			double dr = NAN;
			f->done_at = done_line(r, label, base, &dr);
			if (f->done_at < 0) {
				char *rt = round_text(f->round);
				left_out(m, f, xasprintf("%s (plan %s, round %s) is not a run the plan's record lists "
					"(a run that did not complete, or a copy): left out", f->file, f->plan, rt),
					xasprintf("%s has no done line for %s/%s", r->path, label, base));
				free(rt);
			} else if (isnan(f->round)) {
				f->round = dr;   /* the record knows its round */
			}
			free(label);
			free(base);
		}
		if (!f->out)
			claim[nclaim++] = f;
	}
	/* Two runs claiming one (plan, round, env). */
	if (nclaim > 1)
		qsort(claim, nclaim, sizeof *claim, by_claim);
	for (size_t i = 0; i < nclaim;) {
		size_t j = i + 1;
		while (j < nclaim && strcmp(claim[j]->plan, claim[i]->plan) == 0 &&
		       strcmp(claim[j]->env, claim[i]->env) == 0 && claim[j]->round == claim[i]->round)
			j++;
		if (j - i < 2 || isnan(claim[i]->round)) {
			i = j;
			continue;
		}
		size_t left = j - i;
		for (size_t k = i; k < j && left > 1; k++) {
			pr_file *f = claim[k];
			const pr_rec *r = f->rec ? &recs[f->rec - 1] : NULL;
			if (!r || !r->found)
				continue;
			char *label, *base;
			file_key(f, &label, &base);
			const pr_entry *e = rerun_of(r, label, base, f->round);
			if (e) {
				char *rt = round_text(f->round);
				left_out(m, f, xasprintf("%s (plan %s, round %s) was run again in its round "
					"(a disturbed run): left out, its re-run counts", f->file, f->plan, rt),
					xasprintf("%s:%ld: rerun %s %s", r->path, e->line, rt, base));
				free(rt);
				left--;
			}
			free(label);
			free(base);
		}
		if (left > 1)
			keep_last_done(m, claim + i, j - i, left, recs);
		i = j;
	}
	free(claim);
	/* The rows of the files left out go (files are read whole, in order). */
	size_t kept = 0, fi = 0;
	int out = 0;
	last = NULL;
	for (size_t i = 0; i < pv->nrows; i++) {
		const az_row *r = &pv->rows[i];
		if (r->sh->file != last) {
			last = r->sh->file;
			while (fi < nf && fs[fi].file != last)
				fi++;
			out = fi < nf && fs[fi].out;
		}
		if (out)
			continue;
		if (kept != i)
			pv->rows[kept] = *r;
		kept++;
	}
	pv->nrows = kept;
	recs_free(recs, nrec);
	free(fs);
}
