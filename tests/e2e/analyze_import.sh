#!/bin/bash
# analyze_import.sh - `analyze import` on real output of the real tools:
# sysbench cpu (two runs in one file = two repetitions) and memory, fio
# --output-format=json on a small file, iperf3 -J over loopback (TCP and
# UDP, against a real `iperf3 -s`), and iperf3's own error JSON (nothing
# listening).  The converted CSVs must then be accepted by the analyzer.
. "$(dirname "$0")/../lib.sh"
A=$HVB_BIN/analyze
D=$T_TMP/data
mkdir -p "$D/host" "$D/kvm"

imp() { # name tool file env csv -- extra args
	local n=$1 tool=$2 file=$3 env=$4 csv=$5; shift 5
	if "$A" import "$tool" "$file" --env "$env" "$@" > "$csv" 2>"$T_TMP/err"; then
		if "$A" -q --summary-csv "$T_TMP/s.csv" "$csv" 2>>"$T_TMP/err"; then pass "analyze-import-$n"
		else fail "analyze-import-$n" "converted CSV rejected: $(head -3 "$T_TMP/err")"; fi
	else
		fail "analyze-import-$n" "import failed: $(head -3 "$T_TMP/err")"
	fi
}
# col CSV METRIC COLUMN: COLUMN (by name) of the first row of METRIC.
col() { csvq -v m="$2" "$1" "metric == m { print $3; exit }"; }

if command -v sysbench >/dev/null; then
	{ timeout 20 sysbench cpu --time=1 --threads=1 run; timeout 20 sysbench cpu --time=1 --threads=1 run; } > "$T_TMP/sb.txt" 2>&1
	imp sysbench-cpu sysbench "$T_TMP/sb.txt" host "$D/host/sb.csv" --virt none --container none
	n=$(grep -c ',events_per_s,1/s,higher,' "$D/host/sb.csv")
	[ "$n" = 2 ] && pass analyze-import-sysbench-reps || fail analyze-import-sysbench-reps "$n events_per_s rows, want 2"
	v=$(col "$D/host/sb.csv" events_per_s value)
	want=$(awk '/events per second:/ {print $4; exit}' "$T_TMP/sb.txt")
	awk -v a="$v" -v b="$want" 'BEGIN{exit !(a == b && a > 0)}' && pass analyze-import-sysbench-value \
		|| fail analyze-import-sysbench-value "got '$v', sysbench printed '$want'"
	timeout 20 sysbench memory --time=1 --memory-total-size=100M run > "$T_TMP/sbm.txt" 2>&1
	imp sysbench-memory sysbench "$T_TMP/sbm.txt" kvm "$D/kvm/sbm.csv"
	grep -q 'sysbench-memory,block_size=1KiB;oper=write;scope=global;threads=1;total_size=100MiB,MB_per_s,MB/s,higher,1,' "$D/kvm/sbm.csv" \
		&& pass analyze-import-sysbench-memory-row || fail analyze-import-sysbench-memory-row "$(sed -n 3p "$D/kvm/sbm.csv")"
	cp "$T_TMP/sb.txt" "$T_TMP/sb2.txt"
	imp sysbench-cpu-kvm sysbench "$T_TMP/sb2.txt" kvm "$D/kvm/sb.csv"
else
	skip analyze-import-sysbench "sysbench not installed"
fi

if command -v fio >/dev/null; then
	timeout 30 fio --name=rr --directory="$T_TMP" --size=4M --rw=randread --bs=4k --runtime=1 --time_based \
	    --output-format=json > "$T_TMP/fio.json" 2>"$T_TMP/fio.err"
	imp fio fio "$T_TMP/fio.json" kvm "$D/kvm/fio.csv"
	v=$(col "$D/kvm/fio.csv" read_iops value)
	want=$(jq '.jobs[0].read.iops' "$T_TMP/fio.json")
	awk -v a="$v" -v b="$want" 'BEGIN{d=a-b; if(d<0)d=-d; exit !(a > 0 && d <= 1e-9*b)}' \
		&& pass analyze-import-fio-iops || fail analyze-import-fio-iops "got '$v', fio says '$want'"
	p=$(col "$D/kvm/fio.csv" read_iops params)
	[ "$p" = "bs=4k;iodepth=1;job=rr;rw=randread" ] && pass analyze-import-fio-params || fail analyze-import-fio-params "params '$p'"
else
	skip analyze-import-fio "fio not installed"
fi

if command -v iperf3 >/dev/null; then
	port=$((20000 + RANDOM % 20000))
	iperf3 -s -p $port >/dev/null 2>&1 &
	spid=$!
	for _ in $(seq 50); do ss -ltn | grep -q ":$port " && break; sleep 0.1; done
	timeout 20 iperf3 -c 127.0.0.1 -p $port -t 1 -J > "$T_TMP/tcp.json" 2>/dev/null
	timeout 20 iperf3 -c 127.0.0.1 -p $port -t 1 -u -b 100M -J > "$T_TMP/udp.json" 2>/dev/null
	kill $spid 2>/dev/null; wait $spid 2>/dev/null
	imp iperf3-tcp iperf3 "$T_TMP/tcp.json" kvm "$D/kvm/tcp.csv"
	v=$(col "$D/kvm/tcp.csv" bits_per_s value)
	want=$(jq '.end.sum_received.bits_per_second' "$T_TMP/tcp.json")
	awk -v a="$v" -v b="$want" 'BEGIN{d=a-b; if(d<0)d=-d; exit !(a > 0 && d <= 1e-9*b)}' \
		&& pass analyze-import-iperf3-bits || fail analyze-import-iperf3-bits "got '$v', iperf3 says '$want'"
	imp iperf3-udp iperf3 "$T_TMP/udp.json" kvm "$D/kvm/udp.csv"
	grep -q ',iperf3,proto=udp;reverse=0;streams=1,jitter_ms,ms,lower,1,' "$D/kvm/udp.csv" \
		&& pass analyze-import-iperf3-udp-jitter || fail analyze-import-iperf3-udp-jitter "$(cat "$D/kvm/udp.csv")"
	# nothing listens on port+1: iperf3 writes an "error" key; it becomes a fail row
	timeout 20 iperf3 -c 127.0.0.1 -p $((port + 1)) -t 1 -J > "$T_TMP/err.json" 2>/dev/null
	"$A" import iperf3 "$T_TMP/err.json" --env kvm > "$T_TMP/e.csv" 2>/dev/null
	grep -q ',bits_per_s,bit/s,higher,1,,fail,.*refused' "$T_TMP/e.csv" \
		&& pass analyze-import-iperf3-error-is-fail-row || fail analyze-import-iperf3-error-is-fail-row "$(cat "$T_TMP/e.csv")"
else
	skip analyze-import-iperf3 "iperf3 not installed"
fi

# The imported campaign analyzes, with host (virt none, container none) as baseline.
"$A" -q --json "$T_TMP/m.json" "$D" 2>"$T_TMP/err"; rc=$?
b=$(jq -r .baseline "$T_TMP/m.json" 2>/dev/null)
[ $rc = 0 ] && [ "$b" = host ] && pass analyze-import-campaign || fail analyze-import-campaign "rc $rc baseline '$b' $(head -2 "$T_TMP/err")"

# Errors: not JSON, not the tool's JSON, unknown tool, no --env.
echo 'not json' > "$T_TMP/bad.json"
"$A" import fio "$T_TMP/bad.json" --env x >/dev/null 2>"$T_TMP/err"; rc=$?
[ $rc = 1 ] && grep -q "bad.json: not valid JSON" "$T_TMP/err" && pass analyze-import-bad-json || fail analyze-import-bad-json "rc $rc $(cat "$T_TMP/err")"
echo '{"x":1}' > "$T_TMP/other.json"
"$A" import fio "$T_TMP/other.json" --env x >/dev/null 2>"$T_TMP/err"; rc=$?
[ $rc = 1 ] && grep -q 'no "jobs" array' "$T_TMP/err" && pass analyze-import-not-fio || fail analyze-import-not-fio "rc $rc $(cat "$T_TMP/err")"
"$A" import nmon "$T_TMP/other.json" --env x >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && pass analyze-import-unknown-tool || fail analyze-import-unknown-tool "rc $rc"
"$A" import fio "$T_TMP/other.json" >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && pass analyze-import-needs-env || fail analyze-import-needs-env "rc $rc"
echo 'hello' > "$T_TMP/x.txt"
"$A" import sysbench "$T_TMP/x.txt" --env x >/dev/null 2>"$T_TMP/err"; rc=$?
[ $rc = 1 ] && grep -q "no sysbench cpu or memory run" "$T_TMP/err" && pass analyze-import-not-sysbench || fail analyze-import-not-sysbench "rc $rc $(cat "$T_TMP/err")"
# Every metric the importers emit is named by the built-in scoring profile.
if [ -d "$D" ] && ls "$D"/*/*.csv >/dev/null 2>&1; then
	u=$("$A" -q --keep-going --json - "$D" 2>/dev/null | jq -r '.metrics[] | select(.role == "not scored") | "\(.bench) \(.metric)"' | sort -u | tr '\n' ';')
	nm=$("$A" -q --keep-going --json - "$D" 2>/dev/null | jq '.metrics | length')
	[ -z "$u" ] && [ "${nm:-0}" -gt 0 ] && pass "analyze-import-metrics-named-by-profile ($nm)" ||
		fail analyze-import-metrics-named-by-profile "not named: '$u' ($nm metrics)"
fi
t_done
