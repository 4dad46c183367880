/*
 * tmpl.c - the report's template engine: a small, documented subset of
 * Mustache (docs/report.md) so the HTML layout lives in templates/ and can
 * be replaced with --template FILE without touching C.
 *
 *   {{name}}               the value: text is HTML-escaped; HTML the renderer
 *                          built itself (tables of figures, inline SVG) goes in
 *                          as is.  A template cannot un-escape text.
 *   {{#name}}..{{/name}}   a list: once per item, the item's keys in scope;
 *                          text/flag: once when non-empty; else not at all
 *   {{^name}}..{{/name}}   once when name is missing, empty or an empty list
 *   {{! comment }}         nothing
 * Names are looked up from the innermost list item outwards.  Unknown names
 * render as nothing (a template may ask for less than the view offers).
 */
#include <stdlib.h>
#include <string.h>
#include "rint.h"

enum { TV_OBJ, TV_TEXT, TV_HTML, TV_LIST };

struct tv {
	int type;
	char *key;          /* member name when inside an object */
	char *str;          /* TV_TEXT / TV_HTML */
	tv **items;         /* TV_OBJ: members; TV_LIST: objects */
	size_t n, cap;
};

static tv *tv_alloc(int type)
{
	tv *v = xmalloc(sizeof *v);
	memset(v, 0, sizeof *v);
	v->type = type;
	return v;
}

tv *tv_new(void)
{
	return tv_alloc(TV_OBJ);
}

void tv_free(tv *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++)
		tv_free(v->items[i]);
	free(v->items);
	free(v->key);
	free(v->str);
	free(v);
}

static void add_item(tv *o, tv *v)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 8;
		o->items = xrealloc(o->items, o->cap * sizeof *o->items);
	}
	o->items[o->n++] = v;
}

/* Setting a key twice replaces the old value. */
static tv *member(tv *o, const char *key, int type)
{
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->items[i]->key, key) == 0) {
			tv *old = o->items[i];
			tv *v = tv_alloc(type);
			v->key = old->key;
			old->key = NULL;
			tv_free(old);
			o->items[i] = v;
			return v;
		}
	tv *v = tv_alloc(type);
	v->key = xstrdup(key);
	add_item(o, v);
	return v;
}

void tv_text(tv *o, const char *key, const char *text)
{
	member(o, key, TV_TEXT)->str = xstrdup(text ? text : "");
}

void tv_textf(tv *o, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	member(o, key, TV_TEXT)->str = s;
}

void tv_html(tv *o, const char *key, char *html)
{
	member(o, key, TV_HTML)->str = html ? html : xstrdup("");
}

void tv_flag(tv *o, const char *key, int on)
{
	if (on)
		tv_text(o, key, "1");
}

tv *tv_list(tv *o, const char *key)
{
	return member(o, key, TV_LIST);
}

tv *tv_push(tv *list)
{
	tv *v = tv_alloc(TV_OBJ);
	add_item(list, v);
	return v;
}

/* ------------------------------------------------------------ parse */
enum { N_TEXT, N_VAR, N_SECT, N_INV };

typedef struct node {
	int type;
	char *s;            /* text, or the name */
	size_t len;
	struct node *kids;
	size_t nkids, cap;
} node;

struct tmpl {
	node root;
};

static node *add_node(node *parent, int type)
{
	if (parent->nkids == parent->cap) {
		parent->cap = parent->cap ? parent->cap * 2 : 8;
		parent->kids = xrealloc(parent->kids, parent->cap * sizeof *parent->kids);
	}
	node *n = &parent->kids[parent->nkids++];
	memset(n, 0, sizeof *n);
	n->type = type;
	return n;
}

static void free_node(node *n)
{
	for (size_t i = 0; i < n->nkids; i++)
		free_node(&n->kids[i]);
	free(n->kids);
	free(n->s);
}

void tmpl_free(tmpl *t)
{
	if (!t)
		return;
	free_node(&t->root);
	free(t);
}

static int name_ok(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
			return 0;
	}
	return 1;
}

static char *errorf(const char *name, int line, const char *what, const char *tag, size_t taglen)
{
	rbuf b = {0};
	rbuf_addf(&b, "%s:%d: %s", name, line, what);
	if (tag) {
		rbuf_add(&b, " '");
		rbuf_addn(&b, tag, taglen > 60 ? 60 : taglen);
		rbuf_add(&b, "'");
	}
	return rbuf_take(&b);
}

#define MAX_DEPTH 32

tmpl *tmpl_parse(const char *text, const char *name, char **err)
{
	tmpl *t = xmalloc(sizeof *t);
	memset(t, 0, sizeof *t);
	node *stack[MAX_DEPTH + 1];
	int open_line[MAX_DEPTH + 1];
	int depth = 0;
	stack[0] = &t->root;
	int line = 1;
	const char *p = text;
	*err = NULL;
	while (*p) {
		const char *o = strstr(p, "{{");
		size_t tl = o ? (size_t)(o - p) : strlen(p);
		if (tl) {
			node *n = add_node(stack[depth], N_TEXT);
			n->s = xmalloc(tl + 1);
			memcpy(n->s, p, tl);
			n->s[tl] = 0;
			n->len = tl;
			for (size_t i = 0; i < tl; i++)
				line += p[i] == '\n';
		}
		if (!o)
			break;
		const char *c = strstr(o + 2, "}}");
		if (!c) {
			*err = errorf(name, line, "tag '{{' never closed with '}}'", NULL, 0);
			goto bad;
		}
		const char *a = o + 2, *z = c;
		int tagline = line;
		for (const char *q = a; q < z; q++)
			line += *q == '\n';
		p = c + 2;
		char kind = *a;
		if (kind == '!')
			continue;
		if (kind == '#' || kind == '^' || kind == '/')
			a++;
		while (a < z && (*a == ' ' || *a == '\t' || *a == '\n'))
			a++;
		while (z > a && (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\n'))
			z--;
		size_t nl = (size_t)(z - a);
		if (!name_ok(a, nl)) {
			*err = errorf(name, tagline, "expected a name made of letters, digits, _ - . in tag", o, (size_t)(c + 2 - o));
			goto bad;
		}
		if (kind == '/') {
			node *top = stack[depth];
			if (depth == 0 || top->len != nl || memcmp(top->s, a, nl) != 0) {
				*err = depth == 0
					? errorf(name, tagline, "closing tag without an open section:", a, nl)
					: errorf(name, tagline, "closing tag does not match the open section", top->s, top->len);
				goto bad;
			}
			depth--;
			continue;
		}
		node *n = add_node(stack[depth], kind == '#' ? N_SECT : kind == '^' ? N_INV : N_VAR);
		n->s = xmalloc(nl + 1);
		memcpy(n->s, a, nl);
		n->s[nl] = 0;
		n->len = nl;
		if (kind == '#' || kind == '^') {
			if (depth == MAX_DEPTH) {
				*err = errorf(name, tagline, "sections nested too deep at", a, nl);
				goto bad;
			}
			stack[++depth] = n;
			open_line[depth] = tagline;
		}
	}
	if (depth > 0) {
		*err = errorf(name, open_line[depth], "section never closed:", stack[depth]->s, stack[depth]->len);
		goto bad;
	}
	return t;
bad:
	tmpl_free(t);
	return NULL;
}

/* ------------------------------------------------------------ render */
typedef struct scope {
	const tv *obj;
	const struct scope *up;
} scope;

static const tv *lookup(const scope *sc, const char *key)
{
	for (; sc; sc = sc->up)
		for (size_t i = 0; i < sc->obj->n; i++)
			if (strcmp(sc->obj->items[i]->key, key) == 0)
				return sc->obj->items[i];
	return NULL;
}

static int truthy(const tv *v)
{
	if (!v)
		return 0;
	if (v->type == TV_LIST)
		return v->n > 0;
	if (v->type == TV_TEXT || v->type == TV_HTML)
		return v->str && v->str[0];
	return 1;
}

static void render(const node *n, const scope *sc, rbuf *out)
{
	for (size_t i = 0; i < n->nkids; i++) {
		const node *k = &n->kids[i];
		const tv *v;
		switch (k->type) {
		case N_TEXT:
			rbuf_addn(out, k->s, k->len);
			break;
		case N_VAR:
			v = lookup(sc, k->s);
			if (v && v->type == TV_TEXT)
				esc_html(out, v->str);
			else if (v && v->type == TV_HTML)
				rbuf_add(out, v->str);
			break;
		case N_SECT:
			v = lookup(sc, k->s);
			if (v && v->type == TV_LIST) {
				for (size_t j = 0; j < v->n; j++) {
					scope in = { v->items[j], sc };
					render(k, &in, out);
				}
			} else if (truthy(v)) {
				render(k, sc, out);
			}
			break;
		case N_INV:
			if (!truthy(lookup(sc, k->s)))
				render(k, sc, out);
			break;
		}
	}
}

void tmpl_render(const tmpl *t, const tv *view, rbuf *out)
{
	scope sc = { view, NULL };
	render(&t->root, &sc, out);
}
