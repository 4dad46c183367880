/*
 * test_report_escape.c - table-driven tests of the report's escaping
 * functions (HTML, gnuplot string literal, spreadsheet text) and of its
 * number formatting.
 */
#include <math.h>
#include <stdlib.h>
#include "t.h"
#include "../../report/rint.h"

static char *html(const char *s) { rbuf b = {0}; esc_html(&b, s); return rbuf_take(&b); }
static char *gp(const char *s) { rbuf b = {0}; esc_gnuplot(&b, s); return rbuf_take(&b); }

int main(void)
{
	static const struct { const char *in, *want; } h[] = {
		{ "kvm", "kvm" },
		{ "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;" },
		{ "a&b \"q\" 'x'", "a&amp;b &quot;q&quot; &#39;x&#39;" },
		{ "line1\nline2", "line1\nline2" },
		{ "bell\x07", "bell\xef\xbf\xbd" },
		{ "bad \xff utf8", "bad \xef\xbf\xbd utf8" },
		{ "overlong \xc0\xaf", "overlong \xef\xbf\xbd\xef\xbf\xbd" },
		{ "é ≈ 😀", "é ≈ 😀" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof h / sizeof h[0]; i++) {
		char name[64], *got = html(h[i].in);
		snprintf(name, sizeof name, "esc_html[%zu]", i);
		T_STREQ(name, got, h[i].want);
		free(got);
	}

	static const struct { const char *in, *want; } g[] = {
		{ "kvm-virtio_1.0", "\"kvm-virtio_1.0\"" },
		{ "\";system(\"touch /tmp/pwned\")\"",
		  "\"\\042\\073system\\050\\042touch \\057tmp\\057pwned\\042\\051\\042\"" },
		{ "`id` @x \\", "\"\\140id\\140 \\100x \\134\"" },
		{ "a\nb\rc", "\"a b c\"" },
		{ "é", "\"\\303\\251\"" },
		{ "(1) x=2", "\"\\050\\061\\051 x\\075\\062\"" },
		{ NULL, "\"\"" },
	};
	for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
		char name[64], *got = gp(g[i].in);
		snprintf(name, sizeof name, "esc_gnuplot[%zu]", i);
		T_STREQ(name, got, g[i].want);
		free(got);
	}
	/* Whatever the input, the literal holds no raw quote, backquote, @,
	 * newline or lone backslash: only [A-Za-z0-9 _.-] and \ooo. */
	{
		char all[256];
		for (int i = 1; i < 256; i++)
			all[i - 1] = (char)i;
		all[255] = 0;
		char *got = gp(all);
		int ok = got[0] == '"' && got[strlen(got) - 1] == '"';
		for (char *p = got + 1; ok && p[1]; p++) {
			if (*p == '\\') {
				ok = p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' && p[3] >= '0' && p[3] <= '7';
				p += 3;
			} else {
				ok = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _.-", *p) != NULL;
			}
		}
		T_CHECK("esc_gnuplot every byte safe", ok, "unsafe output %s", got);
		free(got);
	}

	rbuf sc = {0};
	T_STREQ("esc_sheet formula kept as text", esc_sheet(&sc, "=HYPERLINK(\"http://x\",\"y\")"), "=HYPERLINK(\"http://x\",\"y\")");
	T_STREQ("esc_sheet control", esc_sheet(&sc, "a\x01" "b\tc\nd"), "a\xef\xbf\xbd" "b\tc\nd");
	T_STREQ("esc_sheet bad utf8", esc_sheet(&sc, "x\xfe"), "x\xef\xbf\xbd");
	{
		char *big = malloc(40000);
		memset(big, 'a', 39999);
		big[39999] = 0;
		T_INTEQ("esc_sheet truncates to 32767", (long long)strlen(esc_sheet(&sc, big)), 32767);
		free(big);
	}
	rbuf_free(&sc);
	T_INTEQ("formula =", sheet_looks_like_formula("=1+1"), 1);
	T_INTEQ("formula +", sheet_looks_like_formula("+1"), 1);
	T_INTEQ("formula -", sheet_looks_like_formula("-1"), 1);
	T_INTEQ("formula @", sheet_looks_like_formula("@SUM(A1)"), 1);
	T_INTEQ("formula plain", sheet_looks_like_formula("kvm"), 0);

	static const struct { double x; const char *want; } n[] = {
		{ 15234.7, "15235" }, { 123.456, "123.5" }, { 1.23456, "1.235" }, { 0.0123456, "0.01235" },
		{ 0, "0" }, { NAN, "n/a" }, { INFINITY, "n/a" }, { 0.00001234, "1.234e-05" }, { -2.5, "-2.500" },
	};
	for (size_t i = 0; i < sizeof n / sizeof n[0]; i++) {
		char name[64], buf[64];
		snprintf(name, sizeof name, "fmt_num[%zu]", i);
		T_STREQ(name, fmt_num(buf, sizeof buf, n[i].x), n[i].want);
	}
	char buf[64];
	T_STREQ("fmt_pct +", fmt_pct(buf, sizeof buf, 12.345), "+12.3 %");
	T_STREQ("fmt_pct -", fmt_pct(buf, sizeof buf, -3), "-3.0 %");
	T_STREQ("fmt_p small", fmt_p(buf, sizeof buf, 1e-9), "<0.0001");
	T_STREQ("fmt_p nan", fmt_p(buf, sizeof buf, NAN), "n/a");
	return t_exit();
}
