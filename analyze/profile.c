/*
 * profile.c - the scoring profile: which metrics are scored (headline),
 * which are only shown (diagnostic), in which category and with what
 * weight; the categories and their weights in the overall score; and the
 * exclusions (a headline metric that does not measure the same thing in
 * some environments, with the reason the verdict shows).
 *
 * The built-in profile is analyze/default.profile, compiled in; `analyze
 * --profile FILE` reads a copy of it instead.  The format is in that file's
 * header and in docs/analyzer.md.  A metric no line names is "not scored":
 * shown, listed as such, never part of a score.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "internal.h"

__asm__(
	".section .rodata\n"
	".global az_default_profile\n"
	".type az_default_profile, @object\n"
	"az_default_profile:\n"
	".incbin \"analyze/default.profile\"\n"
	".byte 0\n"
	".previous\n");
extern const char az_default_profile[];

const char *az_builtin_profile(void)
{
	return az_default_profile;
}

static void scoring_free(hvb_scoring *sc)
{
	for (size_t i = 0; i < sc->nlines; i++) {
		hvb_profile_line *l = &sc->lines[i];
		free(l->bench); free(l->metric); free(l->params);
		free(l->when_key); free(l->when_value); free(l->reason);
	}
	free(sc->lines);
	for (size_t i = 0; i < sc->ncategories; i++)
		free(sc->categories[i]);
	free(sc->categories);
	free(sc->cat_weights);
	free(sc->profile);
	for (size_t i = 0; i < sc->nnotes; i++)
		free(sc->notes[i]);
	free(sc->notes);
	memset(sc, 0, sizeof *sc);
}

void az_scoring_free(hvb_scoring *sc)
{
	scoring_free(sc);
}

static int cat_index(const hvb_scoring *sc, const char *name)
{
	for (size_t i = 0; i < sc->ncategories; i++)
		if (strcmp(sc->categories[i], name) == 0)
			return (int)i;
	return -1;
}

static void cat_add(hvb_scoring *sc, const char *name, double w)
{
	sc->categories = xrealloc(sc->categories, (sc->ncategories + 1) * sizeof *sc->categories);
	sc->cat_weights = xrealloc(sc->cat_weights, (sc->ncategories + 1) * sizeof *sc->cat_weights);
	sc->categories[sc->ncategories] = xstrdup(name);
	sc->cat_weights[sc->ncategories++] = w;
}

/* Split a line into at most max whitespace-separated tokens; the last one
 * takes the rest of the line (an exclusion's reason).  Returns the count. */
static size_t tokens(char *s, char **tok, size_t max)
{
	size_t n = 0;
	while (n < max) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		tok[n++] = s;
		if (n == max)
			break;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if (*s)
			*s++ = '\0';
	}
	return n;
}

static int weight_of(const char *name, int line, const char *s, double *w)
{
	if (az_parse_double(s, w) < 0 || !(*w >= 0) || *w > 1e6) {
		az_err("%s:%d: weight \"%s\" is not a number from 0 to 1e6", name, line, s);
		return -1;
	}
	return 0;
}

int az_profile_load(hvb_scoring *sc, const char *name, const char *text)
{
	scoring_free(sc);
	sc->profile = xstrdup(name);
	int line = 0, rc = 0;
	const char *p = text;
	while (*p && rc == 0) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		line++;
		char *buf = xmalloc(len + 1);
		memcpy(buf, p, len);
		buf[len] = '\0';
		p += len + (e ? 1 : 0);
		char *hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		for (char *c = buf; *c; c++)
			if (*c == '\r')
				*c = ' ';
		char *t[8];
		size_t n = tokens(buf, t, 8);
		if (n == 0) {
			free(buf);
			continue;
		}
		if (strcmp(t[0], "category") == 0) {
			double w;
			if (n != 3) {
				az_err("%s:%d: expected 'category NAME WEIGHT'", name, line);
				rc = -1;
			} else if (weight_of(name, line, t[2], &w) < 0) {
				rc = -1;
			} else if (cat_index(sc, t[1]) >= 0 || strcmp(t[1], "other") == 0 ||
				   strcmp(t[1], "overall") == 0) {
				az_err("%s:%d: category '%s' %s", name, line, t[1],
				       cat_index(sc, t[1]) >= 0 ? "is declared twice" : "is a reserved name");
				rc = -1;
			} else {
				cat_add(sc, t[1], w);
			}
			free(buf);
			continue;
		}
		hvb_profile_line l = { .line = line, .weight = 0 };
		if (strcmp(t[0], "exclude") == 0) {
			/* exclude BENCH METRIC PARAMS FACT=VALUE REASON... */
			char *eq = n >= 5 ? strchr(t[4], '=') : NULL;
			if (n < 6 || !eq) {
				az_err("%s:%d: expected 'exclude BENCH METRIC PARAMS virt=V|container=C "
				       "REASON'", name, line);
				rc = -1;
			} else if (strncmp(t[4], "virt=", 5) != 0 && strncmp(t[4], "container=", 10) != 0) {
				az_err("%s:%d: exclusion condition '%s': expected virt=VALUE or "
				       "container=VALUE", name, line, t[4]);
				rc = -1;
			} else {
				l.role = -1;
				*eq = '\0';
				l.when_key = xstrdup(t[4]);
				l.when_value = xstrdup(eq + 1);
				/* the reason is the rest of the line, as written */
				for (size_t k = 6; k < n; k++)
					t[k - 1][strlen(t[k - 1])] = ' ';
				char *r = t[5], *z = r + strlen(r);
				while (z > r && (z[-1] == ' ' || z[-1] == '\t'))
					*--z = '\0';
				l.reason = xstrdup(r);
			}
		} else if (n >= 4 && strcmp(t[3], "headline") == 0) {
			if (n != 6) {
				az_err("%s:%d: expected 'BENCH METRIC PARAMS headline CATEGORY WEIGHT'",
				       name, line);
				rc = -1;
			} else if (cat_index(sc, t[4]) < 0) {
				az_err("%s:%d: category '%s' is not declared above (add 'category %s 1')",
				       name, line, t[4], t[4]);
				rc = -1;
			} else if (weight_of(name, line, t[5], &l.weight) < 0) {
				rc = -1;
			} else {
				l.role = HVB_HEADLINE;
				l.category = sc->categories[cat_index(sc, t[4])];
			}
		} else if (n == 4 && strcmp(t[3], "diagnostic") == 0) {
			l.role = HVB_DIAGNOSTIC;
		} else {
			az_err("%s:%d: expected 'category NAME WEIGHT', 'BENCH METRIC PARAMS headline "
			       "CATEGORY WEIGHT', 'BENCH METRIC PARAMS diagnostic' or 'exclude ...'",
			       name, line);
			rc = -1;
		}
		if (rc == 0) {
			size_t o = l.role == -1 ? 1 : 0;
			l.bench = xstrdup(t[o]);
			l.metric = xstrdup(t[o + 1]);
			l.params = xstrdup(t[o + 2]);
			if (l.role == -1) {
				/* an exclusion names a headline metric: its category */
				l.category = NULL;
			}
			sc->lines = xrealloc(sc->lines, (sc->nlines + 1) * sizeof *sc->lines);
			sc->lines[sc->nlines++] = l;
		} else {
			free(l.when_key); free(l.when_value); free(l.reason);
		}
		free(buf);
	}
	if (rc == 0 && sc->ncategories == 0) {
		az_err("%s: no 'category NAME WEIGHT' line: nothing can be scored", name);
		rc = -1;
	}
	if (rc == 0)
		cat_add(sc, "other", 0);   /* shown, never scored */
	if (rc < 0)
		scoring_free(sc);
	return rc;
}

/* "k=v;k2=*" against "a=1;k=v;k2=x": every pattern pair is in params. */
static int params_match(const char *pat, const char *params)
{
	if (strcmp(pat, "*") == 0)
		return 1;
	const char *p = pat;
	while (*p) {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		size_t klen = eq ? (size_t)(eq - p) : len;
		int any = eq && len - klen == 2 && eq[1] == '*';
		int found = 0;
		for (const char *q = params; *q && !found;) {
			const char *qe = strchr(q, ';');
			size_t ql = qe ? (size_t)(qe - q) : strlen(q);
			if (any ? (ql > klen && strncmp(q, p, klen) == 0 && q[klen] == '=')
				: (ql == len && strncmp(q, p, len) == 0))
				found = 1;
			q += ql + (qe ? 1 : 0);
		}
		if (!found)
			return 0;
		p += len + (end ? 1 : 0);
	}
	return 1;
}

static int line_matches(const hvb_profile_line *l, const char *bench, const char *metric,
			const char *params)
{
	return (strcmp(l->bench, "*") == 0 || strcmp(l->bench, bench) == 0) &&
	       (strcmp(l->metric, "*") == 0 || strcmp(l->metric, metric) == 0) &&
	       params_match(l->params, params);
}

/* The category a benchmark's metrics are shown in: that of its first
 * headline line, else "other". */
static const char *bench_category(const hvb_scoring *sc, const char *bench)
{
	for (size_t i = 0; i < sc->nlines; i++)
		if (sc->lines[i].role == HVB_HEADLINE && strcmp(sc->lines[i].bench, bench) == 0)
			return sc->lines[i].category;
	return sc->categories[sc->ncategories - 1];   /* "other" */
}

void az_profile_classify(hvb_model *m)
{
	hvb_scoring *sc = &m->scoring;
	m->categories = (const char *const *)sc->categories;
	m->ncategories = sc->ncategories;
	for (size_t gi = 0; gi < m->ngroups; gi++) {
		hvb_metric_group *g = &m->groups[gi];
		g->role = HVB_UNSCORED;
		g->weight = 0;
		g->profile_line = 0;
		g->category = bench_category(sc, g->bench);
		for (size_t i = 0; i < sc->nlines; i++) {
			hvb_profile_line *l = &sc->lines[i];
			if (l->role == -1 || !line_matches(l, g->bench, g->metric, g->params))
				continue;
			g->role = l->role;
			g->profile_line = l->line;
			l->matched++;
			if (l->role == HVB_HEADLINE) {
				g->weight = l->weight;
				g->category = l->category;
			}
			break;
		}
		for (size_t k = 0; k < g->n; k++)
			m->series[g->series[k]].category = g->category;
	}
}

const hvb_profile_line *az_profile_exclusion(hvb_model *m, const hvb_series *s)
{
	const hvb_env *e = &m->envs[s->env_idx];
	for (size_t i = 0; i < m->scoring.nlines; i++) {
		hvb_profile_line *l = &m->scoring.lines[i];
		if (l->role != -1 || !line_matches(l, s->bench, s->metric, s->params))
			continue;
		const char *fact = strcmp(l->when_key, "virt") == 0 ? e->virt : e->container;
		if (fact && strcmp(fact, l->when_value) == 0)
			return l;
	}
	return NULL;
}
