/*
 * test_analyze_util.c - the analyzer's small parts, table-driven: strict
 * number parsing (the CSV contract: no nan/inf, no "12,5", no blanks), the
 * CSV and JSON escaping of untrusted labels, and the
 * string pool's interning.
 */
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "t.h"

static char *render(void (*fn)(FILE *, const char *), const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	fn(f, s);
	fclose(f);
	return buf;
}

int main(void)
{
	static const struct { const char *in; int ok; double v; } nums[] = {
		{ "15234.5", 0, 15234.5 }, { "-3e-2", 0, -0.03 }, { "0", 0, 0 }, { "-0", 0, 0 },
		{ "1.7976931348623157e308", 0, 1.7976931348623157e308 },
		{ "12,5", -1, 0 }, { "nan", -1, 0 }, { "inf", -1, 0 }, { "-Infinity", -1, 0 },
		{ " 3", -1, 0 }, { "3 ", -1, 0 }, { "", -1, 0 }, { "0x10", -1, 0 },
		{ "1e999", -1, 0 }, { "1..2", -1, 0 }, { "+", -1, 0 },
		{ "1e309", -1, 0 }, { "1e-400", -1, 0 }, { "-1e-400", -1, 0 }, { "2.2250738585072014e-308", 0, 2.2250738585072014e-308 },
	};
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		double v = 0;
		int rc = az_parse_double(nums[i].in, &v);
		char name[64];
		snprintf(name, sizeof name, "parse-double-'%s'", nums[i].in);
		T_CHECK(name, rc == nums[i].ok && (rc || v == nums[i].v), "rc %d v %.17g", rc, v);
		if (rc == 0 && v == 0)
			T_CHECK(name, !signbit(v), "zero with a sign");
	}
	static const struct { const char *in; int ok; long v; } longs[] = {
		{ "3", 0, 3 }, { "0", 0, 0 }, { "-1", -1, 0 }, { "1.5", -1, 0 }, { "99999999999", -1, 0 }, { "x", -1, 0 },
	};
	for (size_t i = 0; i < sizeof longs / sizeof longs[0]; i++) {
		long v = 0;
		int rc = az_parse_long(longs[i].in, 0, 1000000000L, &v);
		char name[64];
		snprintf(name, sizeof name, "parse-long-'%s'", longs[i].in);
		T_CHECK(name, rc == longs[i].ok && (rc || v == longs[i].v), "rc %d v %ld", rc, v);
	}
	static const struct { const char *in, *csv, *json; } esc[] = {
		{ "kvm", "kvm", "\"kvm\"" },
		{ "a,b", "\"a,b\"", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"", "\"say \\\"hi\\\"\"" },
		{ "two\nlines", "\"two\nlines\"", "\"two\\u000alines\"" },
		{ "=cmd()", "=cmd()", "\"=cmd()\"" },
		{ "bad\xff utf8", "bad\xff utf8", "\"bad\\ufffd utf8\"" },
		{ "caf\xc3\xa9", "caf\xc3\xa9", "\"caf\xc3\xa9\"" },
		{ "back\\slash", "back\\slash", "\"back\\\\slash\"" },
	};
	for (size_t i = 0; i < sizeof esc / sizeof esc[0]; i++) {
		char name[64], *c = render(az_csv_field, esc[i].in), *j = render(az_json_string, esc[i].in);
		snprintf(name, sizeof name, "csv-escape-%zu", i);
		T_STREQ(name, c, esc[i].csv);
		snprintf(name, sizeof name, "json-escape-%zu", i);
		T_STREQ(name, j, esc[i].json);
		free(c);
		free(j);
	}
	/* The summary CSV's text fields: no formula when a spreadsheet opens it. */
	static const struct { const char *in, *out; } txt[] = {
		{ "kvm", "kvm" }, { "=cmd|' /c calc'!A1", "'=cmd|' /c calc'!A1" },
		{ "+1+2", "'+1+2" }, { "-2+3", "'-2+3" }, { "@SUM(A1)", "'@SUM(A1)" },
		{ "\tx", "'\tx" }, { "\rx", "\"'\rx\"" }, { "=a,b", "\"'=a,b\"" },
		{ "a=b", "a=b" }, { "", "" },
	};
	for (size_t i = 0; i < sizeof txt / sizeof txt[0]; i++) {
		char name[64], *c = render(az_csv_text, txt[i].in);
		snprintf(name, sizeof name, "csv-text-formula-%zu", i);
		T_STREQ(name, c, txt[i].out);
		free(c);
	}
	az_pool *p = az_pool_new();
	char *a = az_intern(p, "kvm-virtio", 10), *b = az_intern(p, "kvm-virtio,x", 10);
	T_CHECK("pool-same-pointer", a == b && strcmp(a, "kvm-virtio") == 0, "%p %p", (void *)a, (void *)b);
	char *c = az_intern(p, "kvm", 3);
	T_CHECK("pool-prefix-distinct", c != a && strcmp(c, "kvm") == 0, "prefix interned as the longer string");
	/* growth keeps every string findable */
	int ok = 1;
	char k[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(k, sizeof k, "s%d", i);
		az_intern(p, k, strlen(k));
	}
	for (int i = 0; i < 5000 && ok; i++) {
		snprintf(k, sizeof k, "s%d", i);
		char *x = az_intern(p, k, strlen(k));
		ok = x == az_intern(p, k, strlen(k)) && strcmp(x, k) == 0;
	}
	T_CHECK("pool-growth", ok, "lost a string after growing");
	T_CHECK("pool-first-still-same", az_intern(p, "kvm-virtio", 10) == a, "pointer changed after growth");
	az_pool_free(p);

	/* az_parse_double's fast path (no strtod for digits that fit in 2^53
	 * and a decimal exponent within 22) gives strtod's double, bit for
	 * bit, and both sides of its bounds fall back to strtod. */
	static const char *const exact[] = {
		"990.7021474", "1004.191208", "0.1", "0.3", "-0.000123", "+7.25e-3", "123456789012345",
		"9007199254740992", "9007199254740993", "1e22", "1e23", "4.5e-22", "4.5e-23",
		"1.7976931348623157e308", "2.2250738585072014e-308", "0.1234567890123456789",
		"12345678901234567890", "5.", ".5", "0e5", "-0", "100000000000000000000000",
		"3.14159265358979323846", "1e-5", "99999999999999999e-5",
	};
	int same = 1;
	for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++) {
		double v = 0, w = strtod(exact[i], NULL) + 0.0;
		if (az_parse_double(exact[i], &v) != 0 || memcmp(&v, &w, sizeof v) != 0) {
			printf("# %s: %.17g, strtod %.17g\n", exact[i], v, w);
			same = 0;
		}
	}
	T_CHECK("parse-double-fast-path-is-strtod", same, "a value differs from strtod's");
	/* A pseudo-random sweep over the generator's own format (%.10g). */
	unsigned long x = 12345;
	same = 1;
	for (int i = 0; i < 200000 && same; i++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		char b[64];
		snprintf(b, sizeof b, "%.*g", 1 + (int)(x >> 60) % 17,
			 (double)(x >> 11) / 9007199254740992.0 * pow(10, (int)(x >> 33) % 40 - 20));
		double v = 0, w = strtod(b, NULL) + 0.0;
		if (az_parse_double(b, &v) != 0 || memcmp(&v, &w, sizeof v) != 0) {
			printf("# %s: %.17g, strtod %.17g\n", b, v, w);
			same = 0;
		}
	}
	T_CHECK("parse-double-sweep-is-strtod", same, "a value differs from strtod's");
	return t_exit();
}
