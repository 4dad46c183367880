/*
 * svg.c - gnuplot's SVG made fit to sit inline in the HTML report: the XML
 * prolog dropped, every id (and reference to one) prefixed with the chart's
 * index so that charts sharing one document do not collide, and anything
 * active (scripts, foreign objects, links out, event handlers) refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rint.h"

static int ci_has(const char *s, const char *needle)
{
	return strcasestr(s, needle) != NULL;
}

/* Make gnuplot's SVG fit inline in HTML: drop the XML prolog, prefix every
 * id (and reference to one) with the chart's index so charts sharing one
 * document do not collide, and refuse anything active. */
char *report_inline_svg(const char *raw, size_t idx)
{
	const char *st = strstr(raw, "<svg");
	const char *en = st ? strstr(st, "</svg>") : NULL;
	if (!st || !en)
		return NULL;
	size_t len = (size_t)(en + 6 - st);
	char *body = xmalloc(len + 1);
	memcpy(body, st, len);
	body[len] = 0;
	/* gnuplot escapes '<' in text, so every '<' starts markup.  Inside
	 * tags, a link that is not to an id inside the SVG or an event
	 * handler attribute would be active content; text that merely says
	 * "onerror=" or "javascript:" is harmless. */
	int active = 0;
	for (const char *t = strchr(body, '<'); t && !active; t = strchr(t + 1, '<')) {
		const char *e = strchr(t, '>');
		size_t n = e ? (size_t)(e - t) : strlen(t);
		char *tag = xmalloc(n + 1);
		memcpy(tag, t, n);
		tag[n] = 0;
		active = ci_has(tag, "<script") || ci_has(tag, "<foreignobject") || ci_has(tag, "<iframe");
		for (const char *h = tag; !active && (h = strcasestr(h, "href=")); h += 5)
			active = !((h[5] == '\'' || h[5] == '"') && h[6] == '#');
		for (const char *h = tag; !active && (h = strcasestr(h, "on")); h += 2) {
			size_t k = strspn(h + 2, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
			active = (h[-1] == ' ' || h[-1] == '\n' || h[-1] == '\t') && k > 0 && h[2 + k] == '=';
		}
		free(tag);
	}
	if (active) {
		free(body);
		return NULL;
	}
	rbuf b = {0};
	char pre[32];
	snprintf(pre, sizeof pre, "c%zu-", idx);
	/* Only inside tags: a label's text that says id='q' stays as it is. */
	int in_tag = 0;
	for (const char *p = body; *p;) {
		static const char *const pats[] = { "id='", "id=\"", "href='#", "href=\"#", "url(#" };
		int hit = 0;
		if (*p == '<')
			in_tag = 1;
		else if (*p == '>')
			in_tag = 0;
		/* (the patterns start with i, h or u: most bytes need no compare) */
		for (size_t i = 0; i < 5 && !hit && in_tag && (*p == 'i' || *p == 'h' || *p == 'u'); i++) {
			size_t n = strlen(pats[i]);
			if (strncmp(p, pats[i], n) == 0 && (i > 1 || p == body || p[-1] == ' ')) {
				rbuf_addn(&b, p, n);
				rbuf_add(&b, pre);
				p += n;
				hit = 1;
			}
		}
		if (!hit)
			rbuf_addc(&b, *p++);
	}
	free(body);
	return rbuf_take(&b);
}
