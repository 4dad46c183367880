/*
 * escape.c - the one escaping function per destination for text that came
 * from a CSV (labels, notes, parameters, file names): HTML, gnuplot string
 * literals, spreadsheet cells.  A label is data everywhere: it never becomes
 * markup, a gnuplot command or a spreadsheet formula.
 */
#include <string.h>
#include "rint.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when s does not
 * start one (bad lead byte, truncated, overlong, surrogate, > U+10FFFF). */
static size_t utf8_len(const unsigned char *s)
{
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	size_t n;
	unsigned cp;
	if (c >= 0xc2 && c <= 0xdf) { n = 2; cp = c & 0x1f; }
	else if (c >= 0xe0 && c <= 0xef) { n = 3; cp = c & 0x0f; }
	else if (c >= 0xf0 && c <= 0xf4) { n = 4; cp = c & 0x07; }
	else return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static const char REPL[] = "\xef\xbf\xbd";   /* U+FFFD */

void esc_html(rbuf *b, const char *s)
{
	if (!s)
		return;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t n = utf8_len(p);
		if (n == 0) {
			rbuf_add(b, REPL);
			p++;
			continue;
		}
		if (n > 1) {
			rbuf_addn(b, (const char *)p, n);
			p += n;
			continue;
		}
		switch (*p) {
		case '&': rbuf_add(b, "&amp;"); break;
		case '<': rbuf_add(b, "&lt;"); break;
		case '>': rbuf_add(b, "&gt;"); break;
		case '"': rbuf_add(b, "&quot;"); break;
		case '\'': rbuf_add(b, "&#39;"); break;
		case '\t': case '\n': rbuf_addc(b, (char)*p); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				rbuf_add(b, REPL);
			else
				rbuf_addc(b, (char)*p);
		}
		p++;
	}
}

void esc_gnuplot(rbuf *b, const char *s)
{
	rbuf_addc(b, '"');
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	int after_esc = 0;
	for (; *p; p++) {
		unsigned c = *p;
		int digit = c >= '0' && c <= '9';
		/* gnuplot reads more than three octal digits after "\0", so a
		 * digit right after an escape is escaped as well. */
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (digit && !after_esc) ||
		    c == ' ' || c == '_' || c == '.' || c == '-') {
			rbuf_addc(b, (char)c);
			after_esc = 0;
		} else if (c < 0x20 || c == 0x7f) {
			rbuf_addc(b, ' ');
			after_esc = 0;
		} else {
			/* Bytes >= 0x80 pass as octal too: gnuplot rebuilds the
			 * UTF-8 sequence byte by byte. */
			rbuf_addf(b, "\\%03o", c);
			after_esc = 1;
		}
	}
	rbuf_addc(b, '"');
}

/* An explicit tic label ("label" pos) is a format string to gnuplot, which
 * prints the tic's value through it: a '%' in data is doubled so that it is
 * printed, never read as a conversion ("0 %" alone fails: bad format). */
void esc_gnuplot_tic(rbuf *b, const char *s)
{
	rbuf t = {0};
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == '%')
			rbuf_addc(&t, '%');
		rbuf_addc(&t, *p);
	}
	esc_gnuplot(b, rbuf_str(&t));
	rbuf_free(&t);
}

#define SHEET_MAX 32767   /* Excel's limit on characters in a cell */

const char *esc_sheet(rbuf *scratch, const char *s)
{
	scratch->len = 0;
	if (scratch->s)
		scratch->s[0] = 0;
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t chars = 0;
	while (*p && chars < SHEET_MAX) {
		size_t n = utf8_len(p);
		if (n == 0) {
			rbuf_add(scratch, REPL);
			p++;
		} else if (n == 1 && ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7f)) {
			rbuf_add(scratch, REPL);
			p++;
		} else {
			rbuf_addn(scratch, (const char *)p, n);
			p += n;
		}
		chars++;
	}
	return rbuf_str(scratch);
}

int sheet_looks_like_formula(const char *s)
{
	return s && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
		     s[0] == '\t' || s[0] == '\r');
}
