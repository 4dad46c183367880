/*
 * iperf3_json.c - the one reader of iperf3's JSON result (iperf3_json.h),
 * with json-c.  Only what netbench and the importer use is read.
 */
#include "iperf3_json.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#define IPERF3_JSON_DEPTH 64

static json_object *obj(json_object *o, const char *k)
{
	json_object *v = NULL;
	if (o && json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, k, &v) &&
	    json_object_is_type(v, json_type_object))
		return v;
	return NULL;
}

static int num(json_object *o, const char *k, double *out)
{
	json_object *v = NULL;
	if (!o || !json_object_object_get_ex(o, k, &v))
		return -1;
	if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int))
		return -1;
	*out = json_object_get_double(v);
	return 0;
}

static void str(json_object *o, const char *k, char *buf, size_t n)
{
	json_object *v = NULL;
	buf[0] = 0;
	if (o && json_object_object_get_ex(o, k, &v) && json_object_is_type(v, json_type_string))
		snprintf(buf, n, "%s", json_object_get_string(v));
}

int hvb_iperf3_parse(const char *json, size_t len, hvb_iperf3 *r)
{
	memset(r, 0, sizeof *r);
	snprintf(r->protocol, sizeof r->protocol, "tcp");
	r->streams = 1;
	json_tokener *tok = json_tokener_new_ex(IPERF3_JSON_DEPTH);
	if (!tok) {
		snprintf(r->error, sizeof r->error, "out of memory");
		return -1;
	}
	json_object *j = len <= (size_t)0x7fffffff ? json_tokener_parse_ex(tok, json, (int)len) : NULL;
	enum json_tokener_error e = json_tokener_get_error(tok);
	json_tokener_free(tok);
	if (!j || e != json_tokener_success || !json_object_is_type(j, json_type_object)) {
		snprintf(r->error, sizeof r->error, "%s",
			 j && e == json_tokener_success ? "not a JSON object" : json_tokener_error_desc(e));
		json_object_put(j);
		return -1;
	}
	str(j, "error", r->error, sizeof r->error);
	json_object *start = obj(j, "start"), *ts = obj(start, "test_start");
	str(start, "version", r->version, sizeof r->version);
	r->has_time = num(obj(start, "timestamp"), "timesecs", &r->timesecs) == 0;
	char p[16];
	str(ts, "protocol", p, sizeof p);
	if (p[0]) {
		for (char *c = p; *c; c++)
			*c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
		snprintf(r->protocol, sizeof r->protocol, "%s", p);
	}
	num(ts, "reverse", &r->reverse);
	num(ts, "num_streams", &r->streams);

	json_object *end = obj(j, "end");
	r->has_end = end != NULL;
	json_object *recv = obj(end, "sum_received"), *sum = obj(end, "sum"), *sent = obj(end, "sum_sent");
	r->has_bps = num(recv, "bits_per_second", &r->bps) == 0 || num(sum, "bits_per_second", &r->bps) == 0;
	r->has_sent = num(sent, "bits_per_second", &r->sent_bps) == 0;
	if (strcmp(r->protocol, "udp") == 0) {
		double x;
		json_object *u = num(recv, "jitter_ms", &x) == 0 ? recv : sum;
		r->has_jitter = num(u, "jitter_ms", &r->jitter_ms) == 0;
		r->has_lost = num(u, "lost_percent", &r->lost_pct) == 0;
	} else {
		r->has_retr = num(sent, "retransmits", &r->retransmits) == 0;
	}
	json_object *cpu = obj(end, "cpu_utilization_percent");
	r->has_cpu = num(cpu, "host_total", &r->cpu_host) == 0 && num(cpu, "remote_total", &r->cpu_remote) == 0;
	json_object_put(j);
	return 0;
}
