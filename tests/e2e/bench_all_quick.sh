#!/bin/bash
# `hvbench run --quick`: all seven benchmarks in one CSV, each with ok rows,
# within the 2 minutes the issue allows.  netbench gets a real iperf3 -s on a
# free loopback port (through HVB_IPERF_PORT), started and stopped here.
. "$(dirname "$0")/../lib.sh"
H=$HVB_BIN/hvbench
out=$T_TMP/all.csv
BENCHES="forkbench pipebench netbench membench iobench cpubench timebench"

trap 'stop_iperf3; rm -rf "$T_TMP"' EXIT

if command -v iperf3 >/dev/null && start_iperf3; then
	export HVB_IPERF_SERVER=127.0.0.1 HVB_IPERF_PORT=$PORT
	have_server=1
else
	have_server=0
	echo "no iperf3 server: netbench will write fail rows"
fi

# iobench writes into the current directory by default.
mkdir -p "$T_TMP/wd"
cd "$T_TMP/wd" || exit 1
t0=$(date +%s.%N)
"$H" run --quick --env quicktest --out "$out" 2>"$T_TMP/err"
rc=$?
secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
stop_iperf3
echo "hvbench run --quick: $secs s, exit $rc"

if [ "$have_server" = 1 ]; then
	[ $rc -eq 0 ] && pass "run --quick exit 0" || fail "run --quick exit 0" "exit $rc: $(grep ',fail,' "$out" | head -3)"
else
	[ $rc -le 1 ] && pass "run --quick exit $rc without a server" || fail "run --quick exit" "exit $rc"
fi
if awk -v s="$secs" 'BEGIN { exit !(s < 120) }'; then pass "run --quick within 2 minutes ($secs s)"
else fail "run --quick within 2 minutes" "$secs s"; fi

for b in $BENCHES; do
	n=$(awk -F, -v b="$b" 'NR > 1 && $8 == b && $15 == "ok"' "$out" | wc -l)
	ni=$(awk -F, -v b="$b" 'NR > 1 && $8 == b && $15 == "info"' "$out" | wc -l)
	if [ "$b" = netbench ] && [ "$have_server" = 0 ]; then
		n=$(awk -F, -v b="$b" 'NR > 1 && $8 == b && $15 == "fail"' "$out" | wc -l)
	fi
	if [ "$n" -gt 0 ] && [ "$ni" -gt 0 ]; then pass "run --quick has $b ($n result rows, $ni info rows)"
	else fail "run --quick has $b" "$n result rows, $ni info rows"; fi
done
# Every metric the suite emits is named by the built-in scoring profile
# (headline or diagnostic), so a new metric cannot slip into the verdict
# unclassified (analyze/default.profile).
u=$("$HVB_BIN/analyze" -q --keep-going --json - "$out" 2>"$T_TMP/aerr" |
	jq -r '.metrics[] | select(.role == "not scored") | "\(.bench) \(.metric)"' | sort -u | tr '\n' ';')
nm=$("$HVB_BIN/analyze" -q --keep-going --json - "$out" 2>/dev/null | jq '.metrics | length')
[ -z "$u" ] && [ "${nm:-0}" -gt 20 ] && pass "run --quick: every metric ($nm) named by the scoring profile" ||
	fail "run --quick: every metric named by the scoring profile" "not named: '$u' ($nm metrics; $(head -2 "$T_TMP/aerr"))"
# One header, one env label throughout, and iobench left nothing behind.
nh=$(grep -c '^schema,' "$out")
[ "$nh" -eq 1 ] && pass "run --quick: one header" || fail "run --quick: one header" "$nh headers"
ne=$(awk -F, 'NR > 1 { print $4 }' "$out" | sort -u | tr '\n' ' ')
[ "$ne" = "quicktest " ] && pass "run --quick: env label on every row" || fail "run --quick env" "'$ne'"
[ -z "$(ls -A "$T_TMP/wd")" ] && pass "run --quick: no file left in the working directory" ||
	fail "run --quick: files left" "$(ls -A "$T_TMP/wd")"
t_done
