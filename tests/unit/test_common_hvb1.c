/*
 * test_common_hvb1.c - the one hvb1 row writer (common/hvb1.c) that the
 * benchmarks' harness and `analyze import` share: the header, quoting, empty
 * rep and value, values that read back exactly from the row written, a note too long for
 * the buffer replaced (the row kept), and a buffer too small for the row.
 */
#include <stdlib.h>
#include <string.h>
#include "t.h"
#include "../../common/hvb1.h"

int main(void)
{
	T_STREQ("header", hvb1_header,
		"schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note");
	char buf[512];
	hvb1_row r = { .run = "r1", .time = "2026-11-30T00:00:00Z", .env = "box,1", .virt = "kvm",
		       .container = "none", .host = "h\"q", .bench = "cpubench", .params = "threads=1",
		       .metric = "events_per_s", .unit = "1/s", .better = "higher", .rep = 3,
		       .has_value = 1, .value = 0.1, .status = "ok", .note = "line\nbreak" };
	size_t n = hvb1_format(buf, sizeof buf, &r);
	T_STREQ("row", buf,
		"hvb1,r1,2026-11-30T00:00:00Z,\"box,1\",kvm,none,\"h\"\"q\",cpubench,threads=1,events_per_s,1/s,higher,3,"
		"0.10000000000000001,ok,\"line\nbreak\"\n");
	T_INTEQ("row-length", n, strlen(buf));
	/* Every value hvb1_format writes reads back as the same double: the
	 * value field (the 14th) of a formatted row, through strtod. */
	static const double vals[] = { 0.1, 1.0 / 3, -2.5e-7, 123456789.123456789, 1e300, 4.9e-324,
				       1.7976931348623157e308, 6.02214076e23, -0.0, 42 };
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		hvb1_row v = { .run = "r", .bench = "b", .metric = "m", .rep = 1, .has_value = 1,
			       .value = vals[i], .status = "ok" };
		char row[256], name[64];
		const char *p = row;
		hvb1_format(row, sizeof row, &v);
		for (int k = 0; k < 13 && p; k++)
			p = (p = strchr(p, ',')) ? p + 1 : NULL;
		char *end = NULL;
		double back = p ? strtod(p, &end) : NAN;
		snprintf(name, sizeof name, "value-reads-back-%zu", i);
		T_CHECK(name, p && *end == ',' && memcmp(&back, &vals[i], sizeof back) == 0,
			"%.17g written as \"%.40s\"", vals[i], p ? p : row);
	}
	r.rep = 0;
	r.has_value = 0;
	r.status = "info";
	r.note = NULL;
	hvb1_format(buf, sizeof buf, &r);
	T_STREQ("info-row-empty-rep-value-note", buf,
		"hvb1,r1,2026-11-30T00:00:00Z,\"box,1\",kvm,none,\"h\"\"q\",cpubench,threads=1,events_per_s,1/s,higher,,,info,\n");
	char big[600];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	r.note = big;
	n = hvb1_format(buf, sizeof buf, &r);
	T_CHECK("long-note-replaced", n > 0 && strstr(buf, ",info,(note too long)\n") != NULL, "%s", buf);
	char small[20];
	T_INTEQ("buffer-too-small", hvb1_format(small, sizeof small, &r), 0);
	size_t len = 0;
	char f[8];
	T_INTEQ("field-fits", hvb1_field(f, sizeof f, &len, "a\"b"), 0);
	T_STREQ("field-quoted", f, "\"a\"\"b\"");
	T_INTEQ("field-too-long", hvb1_field(f, sizeof f, &len, "zz"), -1);
	T_STREQ("field-unchanged-on-refusal", f, "\"a\"\"b\"");
	return t_exit();
}
