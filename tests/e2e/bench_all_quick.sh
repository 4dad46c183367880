#!/bin/bash
# `hvbench run --quick`: all seven benchmarks in one CSV, each with ok rows,
# within the 2 minutes the issue allows, and exit 0 on a machine where nobody
# started an iperf3 server: netbench serves itself on loopback.
. "$(dirname "$0")/../lib.sh"
H=$HVB_BIN/hvbench
out=$T_TMP/all.csv
BENCHES="forkbench pipebench netbench membench iobench cpubench timebench"

unset HVB_IPERF_SERVER HVB_IPERF_PORT

# iobench writes into the current directory by default.
mkdir -p "$T_TMP/wd"
cd "$T_TMP/wd" || exit 1
t0=$(date +%s.%N)
"$H" run --quick --env quicktest --machine rack-7 --out "$out" 2>"$T_TMP/err"
rc=$?
secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "hvbench run --quick: $secs s, exit $rc"

[ $rc -eq 0 ] && pass "run --quick exit 0 with no iperf3 server given" || fail "run --quick exit 0" "exit $rc: $(grep ',fail,' "$out" | head -3)"
nfail=$(csvq "$out" 'status == "fail"' | wc -l)
[ "$nfail" -eq 0 ] && pass "run --quick: no fail rows" || fail "run --quick: no fail rows" "$(grep ',fail,' "$out" | head -3)"
if awk -v s="$secs" 'BEGIN { exit !(s < 120) }'; then pass "run --quick within 2 minutes ($secs s)"
else fail "run --quick within 2 minutes" "$secs s"; fi

# Every benchmark starts on all the CPUs the run had: pipebench pins
# itself to one CPU for its same/cross placements, and the benchmarks after
# it in the same process used to inherit that (cpubench threads=2 at one
# CPU's throughput, membench threads=all likewise).
want=$(taskset -pc $$ 2>/dev/null | awk -F': ' '{ print $2 }' | awk -F, '{ n = 0; for (i = 1; i <= NF; i++) { split($i, r, "-"); n += (r[2] == "" ? 1 : r[2] - r[1] + 1) } print n }')
got=$(csvq "$out" 'metric == "cpus_allowed" { print bench "=" value }' | tr '\n' ' ')
exp=""
for b in $BENCHES; do exp="$exp$b=$want "; done
[ "$got" = "$exp" ] && pass "run --quick: every benchmark starts on all $want CPUs (cpus_allowed)" ||
	fail "run --quick: cpus_allowed" "got '$got', want '$exp'"

for b in $BENCHES; do
	n=$(csvq -v b="$b" "$out" 'bench == b && status == "ok"' | wc -l)
	ni=$(csvq -v b="$b" "$out" 'bench == b && status == "info"' | wc -l)
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
# --machine: exactly one in-band machine row (csv-format.md, info rows), with
# the run id every other row has.
mrow=$(csvq "$out" 'bench == "hvbench" && metric == "machine"')
runs=$(csvq "$out" '{ print run }' | sort -u | wc -l)
if [ "$(printf '%s\n' "$mrow" | grep -c .)" = 1 ] && [ "$runs" = 1 ] &&
	[ "$(printf '%s\n' "$mrow" | cut -d, -f9-)" = ",machine,,,,,info,rack-7" ]; then
	pass "run --quick --machine: one machine info row, note rack-7"
else
	fail "run --quick --machine" "machine rows '$mrow', $runs run ids"
fi
# One header, one env label throughout, and iobench left nothing behind.
nh=$(grep -c '^schema,' "$out")
[ "$nh" -eq 1 ] && pass "run --quick: one header" || fail "run --quick: one header" "$nh headers"
ne=$(csvq "$out" '{ print env }' | sort -u | tr '\n' ' ')
[ "$ne" = "quicktest " ] && pass "run --quick: env label on every row" || fail "run --quick env" "'$ne'"
[ -z "$(ls -A "$T_TMP/wd")" ] && pass "run --quick: no file left in the working directory" ||
	fail "run --quick: files left" "$(ls -A "$T_TMP/wd")"
t_done
