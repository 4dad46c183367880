/*
 * iperf3_json.h - the one reader of iperf3's JSON result (iperf3 -J, or
 * libiperf's json output), shared by netbench (bench/netbench.c, linked
 * statically with json-c) and `analyze import iperf3` (analyze/import.c).
 * Which figure is "the" throughput is decided here once: the receiver's
 * (end.sum_received), else end.sum.
 */
#ifndef HVB_IPERF3_JSON_H
#define HVB_IPERF3_JSON_H
#include <stddef.h>

typedef struct hvb_iperf3 {
	char error[256];          /* iperf3's own "error", or (parse failed) why
				   * the text is not JSON; "" when neither */
	int has_end;              /* the document has an "end" object */
	char protocol[16];        /* start.test_start.protocol, lower case; "tcp" */
	double reverse, streams;  /* start.test_start.reverse / num_streams (0 / 1) */
	char version[64];         /* start.version; "" when absent */
	int has_time;
	double timesecs;          /* start.timestamp.timesecs */
	int has_bps;
	double bps;               /* the receiver's bits/s: end.sum_received, else end.sum */
	int has_sent;
	double sent_bps;          /* end.sum_sent.bits_per_second */
	int has_retr;
	double retransmits;       /* end.sum_sent.retransmits (TCP) */
	int has_jitter, has_lost; /* UDP: from end.sum_received when it has jitter_ms, else end.sum */
	double jitter_ms, lost_pct;
	int has_cpu;
	double cpu_host, cpu_remote; /* end.cpu_utilization_percent host_total / remote_total */
} hvb_iperf3;

/* Parse len bytes of JSON.  0: parsed (the fields say what was there; an
 * iperf3 "error" is in error); -1: not a JSON object (why in error).
 * Nesting is bounded, so a hostile peer cannot exhaust the stack. */
int hvb_iperf3_parse(const char *json, size_t len, hvb_iperf3 *r);

#endif
