/*
 * dedup.c - duplicate result rows: a copied or re-collected file must not
 * count its samples twice.
 *
 * An ok row is one sample of one repetition of one run: (run, bench, params,
 * metric, rep) names it; env is part of the name too, so rows relabelled for
 * another environment (hand-made files reusing a run id) stay apart.  The same name twice (a CSV copied beside itself
 * under another name, files joined with cat twice, a collector that fetched
 * a run again) would count one measurement twice and shrink every
 * confidence interval.  az_dedup_rows keeps the first row of each name (in
 * the order files were read) and drops the rest before series are built,
 * and says so: one warning per environment naming the first duplicate and
 * the row it repeats, and whether any duplicate disagreed in value.
 * Rows without a rep cannot be named and are left alone.
 */
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "internal.h"

static uint64_t fnv(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL;   /* a separator: "ab","c" != "a","bc" */
}

static int same_str(const char *a, const char *b) { return a == b || strcmp(a, b) == 0; }

static int same_name(const az_row *a, const az_row *b)
{
	return a->rep == b->rep && same_str(a->run, b->run) && same_str(a->sh->env, b->sh->env) &&
	       same_str(a->sh->bench, b->sh->bench) &&
	       same_str(a->sh->params, b->sh->params) && same_str(a->sh->metric, b->sh->metric);
}

/* Per environment: how many were dropped, the first one and what it repeats. */
typedef struct dup_env { const char *env; size_t n, differ; az_row first, orig; } dup_env;

void az_dedup_rows(hvb_model *m)
{
	az_priv *pv = az_priv_of(m);
	az_row *rows = pv->rows;
	size_t nrows = pv->nrows;
	size_t cap = 16;
	while (cap < nrows + nrows / 2)   /* load at most 2/3 */
		cap *= 2;
	/* row index + 1 (rows < 2^32, ingest.c) in the low half, the hash's top
	 * in the high one: a probe reads a row only when they agree; 0 empty */
	uint64_t *slot = NULL;
	dup_env *de = NULL;
	size_t nde = 0, kept = 0;
	/* the environments with duplicates, hashed by name (index + 1) */
	size_t *dslot = NULL, dcap = 0;
	for (size_t i = 0; i < nrows; i++) {
		az_row *r = &rows[i];
		int dup = 0;
		if (r->sh->st == AZ_ST_OK && r->rep > 0) {
			if (!slot)
				slot = xcalloc(cap, sizeof *slot);
			/* the strings are interned (ingest.c): equal text, one
			 * pointer, so the pointers are hashed */
			uint64_t h = az_hash_ptr(az_hash_ptr(az_hash_ptr(az_hash_ptr(az_hash_ptr(0, r->run), r->sh->env), r->sh->bench),
					       r->sh->params), r->sh->metric) ^
				     (uint64_t)r->rep * 0x9E3779B97F4A7C15ULL;
			size_t j = (size_t)(h ^ (h >> 31)) & (cap - 1);
			uint64_t tag = h & 0xFFFFFFFF00000000ULL;
			while (slot[j] && ((slot[j] & 0xFFFFFFFF00000000ULL) != tag ||
					   !same_name(&rows[(slot[j] & 0xFFFFFFFFu) - 1], r)))
				j = (j + 1) & (cap - 1);
			if (slot[j]) {
				const az_row *orig = &rows[(slot[j] & 0xFFFFFFFFu) - 1];
				dup = 1;
				if (2 * (nde + 1) >= dcap) {
					size_t ncap = dcap ? dcap * 2 : 64;
					size_t *ns = xcalloc(ncap, sizeof *ns);
					for (size_t q = 0; q < nde; q++) {
						size_t k = (size_t)fnv(0xcbf29ce484222325ULL, de[q].env) & (ncap - 1);
						while (ns[k])
							k = (k + 1) & (ncap - 1);
						ns[k] = q + 1;
					}
					free(dslot);
					dslot = ns;
					dcap = ncap;
					de = xrealloc(de, dcap / 2 * sizeof *de);
				}
				size_t k = (size_t)fnv(0xcbf29ce484222325ULL, r->sh->env) & (dcap - 1);
				while (dslot[k] && !same_str(de[dslot[k] - 1].env, r->sh->env))
					k = (k + 1) & (dcap - 1);
				if (!dslot[k]) {
					de[nde++] = (dup_env){ .env = r->sh->env };
					dslot[k] = nde;
				}
				size_t e = dslot[k] - 1;
				if (!de[e].n) {
					/* Copies: the rows are about to move. */
					de[e].first = *r;
					de[e].orig = *orig;
				}
				de[e].n++;
				if (!(r->value == orig->value))
					de[e].differ++;
			} else {
				/* Indices shift as rows are dropped: store the kept index. */
				slot[j] = tag | ((uint64_t)kept + 1);
			}
		}
		if (dup)
			continue;
		if (kept != i)
			rows[kept] = *r;
		kept++;
	}
	pv->nrows = kept;
	for (size_t e = 0; e < nde; e++) {
		const az_row *a = &de[e].first, *b = &de[e].orig;
		char differ[64] = "";
		if (de[e].differ)
			snprintf(differ, sizeof differ, "; %zu of them with a different value",
				 de[e].differ);
		char *msg = xasprintf("%zu duplicate row%s (the same run, bench, params, metric "
			"and rep as an earlier row) counted once%s", de[e].n, de[e].n > 1 ? "s" : "",
			differ);
		char *ev = xasprintf("first: %s:%ld repeats %s:%ld (run %s, %s %s%s%s, rep %d)",
			a->sh->file, (long)a->line, b->sh->file, (long)b->line, a->run, a->sh->bench, a->sh->metric,
			*a->sh->params ? " " : "", a->sh->params, a->rep);
		az_note("%s: %s; %s", a->sh->env, msg, ev);
		az_add_warning(m, "duplicate", a->sh->env, msg, ev);
	}
	free(de);
	free(dslot);
	free(slot);
}
