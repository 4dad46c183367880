/*
 * test_report_tmpl.c - the template engine: substitution with escaping,
 * trusted HTML, list and inverted sections, scope lookup, and errors that
 * name the template line.
 */
#include <stdlib.h>
#include "t.h"
#include "../../report/rint.h"

static char *render(const char *src, const tv *v)
{
	char *err = NULL;
	tmpl *t = tmpl_parse(src, "t.html", &err);
	if (!t)
		return err;
	rbuf b = {0};
	tmpl_render(t, v, &b);
	tmpl_free(t);
	return rbuf_take(&b);
}

int main(void)
{
	tv *v = tv_new();
	tv_text(v, "name", "<script>x</script>");
	tv_html(v, "svg", xstrdup("<svg><g/></svg>"));
	tv_text(v, "empty", "");
	tv_text(v, "outer", "O");
	tv *l = tv_list(v, "items");
	tv_text(tv_push(l), "x", "a");
	tv *i2 = tv_push(l);
	tv_text(i2, "x", "b&");
	tv_flag(i2, "hot", 1);
	tv_list(v, "none");

	static const struct { const char *src, *want; } c[] = {
		{ "plain", "plain" },
		{ "<{{name}}>", "<&lt;script&gt;x&lt;/script&gt;>" },
		{ "{{ name }}", "&lt;script&gt;x&lt;/script&gt;" },
		{ "{{svg}}", "<svg><g/></svg>" },
		{ "[{{missing}}]", "[]" },
		{ "{{#items}}{{x}}{{#hot}}!{{/hot}}{{outer}},{{/items}}", "aO,b&amp;!O," },
		{ "{{^none}}no items{{/none}}", "no items" },
		{ "{{#none}}x{{/none}}", "" },
		{ "{{#empty}}x{{/empty}}{{^empty}}y{{/empty}}", "y" },
		{ "{{#name}}has{{/name}}", "has" },
		{ "a{{! a comment with {braces }}b", "ab" },
		{ "{{unclosed", "t.html:1: tag '{{' never closed with '}}'" },
		{ "x\n{{#a}}\n", "t.html:2: section never closed: 'a'" },
		{ "{{#a}}\n{{/b}}", "t.html:2: closing tag does not match the open section 'a'" },
		{ "{{/a}}", "t.html:1: closing tag without an open section: 'a'" },
		{ "\n\n{{bad name}}", "t.html:3: expected a name made of letters, digits, _ - . in tag '{{bad name}}'" },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		char name[64], *got = render(c[i].src, v);
		snprintf(name, sizeof name, "tmpl[%zu]", i);
		T_STREQ(name, got, c[i].want);
		free(got);
	}
	/* Replacing a key keeps one value. */
	tv_text(v, "outer", "P");
	char *got = render("{{outer}}", v);
	T_STREQ("tmpl replace key", got, "P");
	free(got);
	/* The built-in template parses. */
	char *err = NULL;
	tmpl *t = tmpl_parse(report_tmpl_html, "builtin", &err);
	T_CHECK("builtin template parses", t != NULL, "%s", err ? err : "");
	free(err);
	tmpl_free(t);
	T_CHECK("builtin stylesheet present", strstr(report_tmpl_css, "@media print") != NULL, "no css");
	tv_free(v);
	return t_exit();
}
