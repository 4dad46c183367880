#!/bin/bash
# tests/e2e/report_uplink.sh - the report's network section answers the seed's
# question directly: each environment's TCP uplink to the host (netbench
# bits_per_s, proto=tcp, send and receive) against the baseline's loopback.
# A small campaign with known medians: the baseline first, its ratios
# "1 (baseline)", the others' ratios to it, the streams=1 variant chosen over
# streams=4, the recorded iperf3 server shown as data (HTML escaped), an
# environment without netbench left out, and no section without netbench.
. "$(dirname "$0")/../lib.sh"

A=$HVB_BIN/analyze
d=$T_TMP/data
mkdir -p "$d"
hdr=schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note
row() { # env virt ctr params value rep
	printf 'hvb1,%s-1,2026-11-30T00:00:00Z,%s,%s,%s,h,netbench,%s,bits_per_s,bit/s,higher,%s,%s,ok,\n' "$1" "$1" "$2" "$3" "$4" "$6" "$5"
}
{
	echo "$hdr"
	echo 'hvb1,host-1,2026-11-30T00:00:00Z,host,none,none,h,netbench,,iperf_server,,,,,info,127.0.0.1:5201'
	for r in 1 2 3; do
		row host none none 'dir=send;proto=tcp;streams=1' "$((18 + r))000000000" "$r"
		row host none none 'dir=recv;proto=tcp;streams=1' "$((38 + r))000000000" "$r"
		row host none none 'dir=send;proto=tcp;streams=4' "$((48 + r))000000000" "$r"
	done
} >"$d/host.csv"
{
	echo "$hdr"
	echo 'hvb1,box-1,2026-11-30T00:00:00Z,box,none,docker,h,netbench,,iperf_server,,,,,info,<b>10.1.1.1</b>:5201'
	for r in 1 2 3; do
		row box none docker 'dir=send;proto=tcp;streams=1' "$((8 + r))000000000" "$r"
		row box none docker 'dir=recv;proto=tcp;streams=1' "$((18 + r))000000000" "$r"
		row box none docker 'dir=send;proto=tcp;streams=4' "$((38 + r))000000000" "$r"
	done
} >"$d/box.csv"
{
	echo "$hdr"
	for r in 1 2 3; do
		printf 'hvb1,cpu-1,2026-11-30T00:00:00Z,cpuonly,kvm,none,h,cpubench,threads=1,events_per_s,1/s,higher,%s,100%s,ok,\n' "$r" "$r"
	done
} >"$d/cpuonly.csv"

"$A" -q --baseline host -o "$T_TMP/r.html" "$d" 2>"$T_TMP/err"
rc=$?
if [ "$rc" = 0 ]; then pass uplink_report_exit_0; else fail uplink_report_exit_0 "exit $rc: $(head -n 3 "$T_TMP/err")"; fi
# The section's rows as text: cells joined by '|'.
rows=$(awk '/<section id="uplink">/ { on = 1 } on && /<\/section>/ { exit } on && /^<tr class=/' "$T_TMP/r.html" |
	sed -e 's/<\/td><td[^>]*>/|/g' -e 's/<[^>]*>//g' -e 's/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g')
want_host='host (baseline)|127.0.0.1:5201|20.00|1 (baseline)|40.00|1 (baseline)'
first=$(printf '%s\n' "$rows" | sed -n 1p)
second=$(printf '%s\n' "$rows" | sed -n 2p)
if [ "$first" = "$want_host" ]; then pass uplink_baseline_first; else fail uplink_baseline_first "got '$first', want '$want_host'"; fi
case $second in
'box|<b>10.1.1.1</b>:5201|10.00|0.5000 ['*']|20.00|0.5000 ['*']') pass uplink_ratios_streams1 ;;
*) fail uplink_ratios_streams1 "got '$second'" ;;
esac
if [ "$(printf '%s\n' "$rows" | wc -l)" = 2 ]; then pass uplink_only_envs_with_netbench; else fail uplink_only_envs_with_netbench "rows: $rows"; fi
if grep -q '<code>&lt;b&gt;10.1.1.1&lt;/b&gt;:5201</code>' "$T_TMP/r.html" && ! grep -q '<b>10.1.1.1' "$T_TMP/r.html"; then
	pass uplink_server_escaped
else
	fail uplink_server_escaped "the server note is not escaped as data"
fi
"$A" -q --baseline cpuonly -o "$T_TMP/n.html" "$d/cpuonly.csv" 2>/dev/null
if [ -s "$T_TMP/n.html" ] && ! grep -q 'id="uplink"' "$T_TMP/n.html"; then pass uplink_absent_without_netbench; else fail uplink_absent_without_netbench "section present or no report"; fi
t_done
