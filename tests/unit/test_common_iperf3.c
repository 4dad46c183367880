/*
 * test_common_iperf3.c - the one reader of iperf3's JSON result
 * (common/iperf3_json.c), shared by netbench and `analyze import iperf3`:
 * which figure is the throughput (the receiver's, else end.sum), UDP jitter
 * and loss from the same object, iperf3's own error, and documents that
 * are not results (truncated, not an object, nested past the bound).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "t.h"
#include "../../common/iperf3_json.h"

static int parse(const char *s, hvb_iperf3 *r) { return hvb_iperf3_parse(s, strlen(s), r); }

int main(void)
{
	hvb_iperf3 r;
	const char *tcp =
		"{\"start\":{\"version\":\"iperf 3.12\",\"timestamp\":{\"timesecs\":1700000000},"
		"\"test_start\":{\"protocol\":\"TCP\",\"num_streams\":2,\"reverse\":1}},"
		"\"end\":{\"sum_sent\":{\"bits_per_second\":2.5e9,\"retransmits\":7},"
		"\"sum_received\":{\"bits_per_second\":2.4e9},"
		"\"cpu_utilization_percent\":{\"host_total\":35.5,\"remote_total\":12}}}";
	T_INTEQ("tcp-parses", parse(tcp, &r), 0);
	T_STREQ("tcp-no-error", r.error, "");
	T_STREQ("tcp-protocol-lower", r.protocol, "tcp");
	T_STREQ("tcp-version", r.version, "iperf 3.12");
	T_CHECK("tcp-time", r.has_time && r.timesecs == 1700000000, "%d %g", r.has_time, r.timesecs);
	T_CHECK("tcp-streams-reverse", r.streams == 2 && r.reverse == 1, "%g %g", r.streams, r.reverse);
	T_CHECK("tcp-bps-is-receivers", r.has_bps && r.bps == 2.4e9, "%g", r.bps);
	T_CHECK("tcp-sent", r.has_sent && r.sent_bps == 2.5e9, "%g", r.sent_bps);
	T_CHECK("tcp-retransmits", r.has_retr && r.retransmits == 7, "%g", r.retransmits);
	T_CHECK("tcp-cpu", r.has_cpu && r.cpu_host == 35.5 && r.cpu_remote == 12, "%g %g", r.cpu_host, r.cpu_remote);
	T_CHECK("tcp-no-udp-figures", !r.has_jitter && !r.has_lost, "jitter %d lost %d", r.has_jitter, r.has_lost);

	/* Older iperf3: no sum_received; the throughput is end.sum's. */
	T_INTEQ("sum-only-parses", parse("{\"end\":{\"sum\":{\"bits_per_second\":1e6}}}", &r), 0);
	T_CHECK("sum-only-bps", r.has_bps && r.bps == 1e6 && r.has_end, "%g", r.bps);
	T_STREQ("default-protocol-tcp", r.protocol, "tcp");
	T_CHECK("default-streams-1", r.streams == 1 && r.reverse == 0, "%g %g", r.streams, r.reverse);

	/* UDP: jitter and loss from sum_received when it has them, else end.sum. */
	const char *udp_new =
		"{\"start\":{\"test_start\":{\"protocol\":\"UDP\"}},\"end\":{"
		"\"sum\":{\"bits_per_second\":9e7,\"jitter_ms\":0.5,\"lost_percent\":3},"
		"\"sum_received\":{\"bits_per_second\":8e7,\"jitter_ms\":0.25,\"lost_percent\":1.5}}}";
	T_INTEQ("udp-parses", parse(udp_new, &r), 0);
	T_CHECK("udp-receivers", r.bps == 8e7 && r.jitter_ms == 0.25 && r.lost_pct == 1.5 && r.has_jitter && r.has_lost,
		"%g %g %g", r.bps, r.jitter_ms, r.lost_pct);
	T_CHECK("udp-no-retransmits", !r.has_retr, "has_retr %d", r.has_retr);
	const char *udp_old =
		"{\"start\":{\"test_start\":{\"protocol\":\"UDP\"}},\"end\":{"
		"\"sum\":{\"bits_per_second\":9e7,\"jitter_ms\":0.5,\"lost_percent\":3}}}";
	T_INTEQ("udp-old-parses", parse(udp_old, &r), 0);
	T_CHECK("udp-old-sum", r.bps == 9e7 && r.jitter_ms == 0.5 && r.lost_pct == 3, "%g %g %g", r.bps, r.jitter_ms, r.lost_pct);

	/* iperf3's own error: parsed, said, no figures. */
	T_INTEQ("error-parses", parse("{\"start\":{},\"end\":{},\"error\":\"unable to connect to server: Connection refused\"}", &r), 0);
	T_STREQ("error-text", r.error, "unable to connect to server: Connection refused");
	T_CHECK("error-no-bps", !r.has_bps, "has_bps %d", r.has_bps);

	/* Not results. */
	T_INTEQ("truncated", parse("{\"end\":{\"sum\":", &r), -1);
	T_CHECK("truncated-says-why", r.error[0] != 0, "empty error");
	T_INTEQ("array", parse("[1,2]", &r), -1);
	T_STREQ("array-says-why", r.error, "not a JSON object");
	T_INTEQ("empty", hvb_iperf3_parse("", 0, &r), -1);
	/* A hostile peer nesting 100000 deep is refused, not recursed into. */
	size_t n = 100000;
	char *deep = malloc(2 * n + 16);
	memset(deep, '[', n);
	memset(deep + n, ']', n);
	deep[2 * n] = 0;
	T_INTEQ("deep-refused", hvb_iperf3_parse(deep, 2 * n, &r), -1);
	free(deep);
	/* A number where an object belongs, a string where a number belongs. */
	T_INTEQ("wrong-types-parse", parse("{\"end\":{\"sum\":5,\"sum_received\":{\"bits_per_second\":\"fast\"}}}", &r), 0);
	T_CHECK("wrong-types-no-bps", !r.has_bps && r.has_end, "has_bps %d", r.has_bps);
	return t_exit();
}
