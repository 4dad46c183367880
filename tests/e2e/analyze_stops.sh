#!/bin/bash
# analyze_stops.sh - what each series rests on and why measuring stopped
# (docs/analyzer.md, "Measured until precise"), from real benchmark runs:
# nullbench with --target-ci on a converging value sequence (stops on the
# target), with --target-ci and a sequence that never converges (stops at
# --max-reps) and with the fixed --reps; the analyzer's runs, rounds and
# stop_reason per series in JSON, the HTML's n cell and the --text note.
. "$(dirname "$0")/../lib.sh"
A=$HVB_BIN/analyze
N=$HVB_BIN/nullbench
d=$T_TMP/d
mkdir -p "$d"
# env t: two runs that reach +-1 % (constant values after the first)
for i in 1 2; do
	"$N" --env t --no-disturbance --warmup 0 --target-ci 1 --max-reps 20 --values 10,10,10,10,10,10,10,10 \
		--out "$d/t$i.csv" >/dev/null 2>&1 || fail "stops nullbench t$i" "exit $?"
done
# env m: one run that never gets within +-0.1 % (alternating 1, 100)
"$N" --env m --no-disturbance --warmup 0 --target-ci 0.1 --max-reps 8 --values 1,100 --out "$d/m.csv" >/dev/null 2>&1 ||
	fail "stops nullbench m" "exit $?"
# env f: the fixed --reps 4
"$N" --env f --no-disturbance --warmup 0 --reps 4 --out "$d/f.csv" >/dev/null 2>&1 || fail "stops nullbench f" "exit $?"
"$A" -q --keep-disturbed --baseline f --json "$T_TMP/s.json" --text -o "$T_TMP/s.html" "$d" >"$T_TMP/s.txt" 2>"$T_TMP/err"
rc=$?
[ $rc = 0 ] && pass "stops analyzed" || fail "stops analyzed" "exit $rc: $(head -3 "$T_TMP/err")"
got() { jq -r --arg e "$1" '.metrics[] | select(.bench == "nullbench") | .series[] | select(.env == $e) | "\(.n) \(.runs) \(.rounds) \(.stop_reason)"' "$T_TMP/s.json"; }
g=$(got t); [ "$g" = "12 2 2 target x2" ] && pass "stops t: 12 samples, 2 runs, 2 rounds, target x2" || fail "stops t" "got '$g'"
g=$(got m); [ "$g" = "8 1 1 max-reps x1" ] && pass "stops m: 8 samples, max-reps x1" || fail "stops m" "got '$g'"
g=$(got f); [ "$g" = "4 1 1 reps x1" ] && pass "stops f: 4 samples, reps x1" || fail "stops f" "got '$g'"
grep -q "(stopped: max-reps x1)" "$T_TMP/s.txt" && ! grep -q "(stopped: reps" "$T_TMP/s.txt" &&
	pass "stops --text notes a stop that is not the fixed --reps" || fail "stops --text" "$(grep -n stopped "$T_TMP/s.txt" | head -3)"
grep -q '<td class="num" title="12 samples from 2 runs in 2 rounds; stopped: target x2">12 (2; target x2)</td>' "$T_TMP/s.html" &&
	pass "stops HTML n cell: rounds and the reason" || fail "stops HTML" "$(grep -o '<td class="num" title="[^"]*stopped[^<]*' "$T_TMP/s.html" | head -3)"
# Data without stop_reason rows says so.
grep -v stop_reason "$d/f.csv" >"$T_TMP/old.csv"
g=$("$A" -q --json - "$T_TMP/old.csv" | jq -r '.metrics[0].series[0].stop_reason')
[ "$g" = null ] && pass "stops: none recorded is absent" || fail "stops none recorded" "got '$g'"
t_done
