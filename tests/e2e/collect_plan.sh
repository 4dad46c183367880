#!/bin/bash
# collect_plan.sh - collect/plan runs an interleaved campaign through the
# real collectors: the host (collect/local), a namespace container
# (collect/container) and a QEMU TCG guest (collect/qemu), 2 rounds of
# --bench null,cpu --quick.  The first invocation stops after 4 runs
# (--max-runs, as an interrupted plan would); --resume carries on and does
# not repeat a finished run.  Checks: both rounds filed for every
# environment, each round's random order recorded (a permutation, followed),
# every run id of every stored CSV tagged with the info rows hvbench/round
# and hvbench/plan (and .meta with plan=, plan_round=), the CSVs valid hvb1,
# and the analyzer pairs the comparisons on the 2 rounds.
. "$(dirname "$0")/../lib.sh"
P=$HVB_TOP/collect/plan
if [ "$(id -u)" != 0 ]; then
	skip collect_plan "needs root for the namespace container"
	t_done
fi
data=$T_TMP/data
export TMPDIR=$T_TMP/stage
mkdir -p "$TMPDIR"
common=(--data "$data" --campaign p)
t0=$SECONDS
"$P" "${common[@]}" --rounds 2 --seed 7 --id t1 --quick --bench null,cpu --reps 1 --warmup 0 --no-telemetry \
	--max-runs 4 --hvbench "$HVB_STATIC_BIN/hvbench" host=local "ctr=container --engine unshare" "tcg=qemu --accel tcg --smp 1" \
	>/dev/null 2>"$T_TMP/err1"
rc=$?
pf=$data/p/t1.plan
echo "plan, first 4 runs: $((SECONDS - t0)) s, exit $rc"
[ "$rc" = 0 ] && [ "$(grep -c '^done ' "$pf")" = 4 ] && grep -q -- '--resume t1' "$T_TMP/err1" \
	&& pass plan-max-runs-stops || fail plan-max-runs-stops "exit $rc, $(grep -c '^done ' "$pf" 2>/dev/null) done; $(tail -n 3 "$T_TMP/err1")"
ls "$data"/p/*/*.csv >"$T_TMP/before"
t0=$SECONDS
"$P" "${common[@]}" --resume t1 >/dev/null 2>"$T_TMP/err2"
rc=$?
echo "plan, resumed: $((SECONDS - t0)) s, exit $rc"
[ "$rc" = 0 ] && pass plan-resume-exit-0 || fail plan-resume-exit-0 "exit $rc: $(tail -n 3 "$T_TMP/err2")"
ndone=$(grep -c '^done ' "$pf")
nuniq=$(awk '$1 == "done" { print $2, $3 }' "$pf" | sort -u | wc -l)
[ "$ndone" = 6 ] && [ "$nuniq" = 6 ] && pass plan-every-run-once || fail plan-every-run-once "$ndone done lines, $nuniq distinct (round, env)"
new=$(printf '%s\n' "$data"/p/*/*.csv | grep -vxFf "$T_TMP/before" | wc -l)
[ "$new" = 2 ] && pass plan-resume-no-repeat || fail plan-resume-no-repeat "$new new CSVs on resume, want 2"
why=""
for e in host ctr tcg; do
	n=$(ls "$data/p/$e"/*.csv 2>/dev/null | wc -l)
	[ "$n" = 2 ] || why="$why $e has $n CSVs;"
done
[ -z "$why" ] && pass plan-both-rounds-filed || fail plan-both-rounds-filed "$why"
# Orders: recorded once per round, a permutation of the labels, and followed.
why=""
for r in 1 2; do
	o=$(sed -n "s/^order $r //p" "$pf")
	[ "$(printf '%s\n' $o | sort | tr '\n' ' ')" = "ctr host tcg " ] || why="$why round $r order '$o';"
	d=$(awk -v r="$r" '$1 == "done" && $2 == r { printf "%s ", $3 }' "$pf")
	[ "$d" = "$o " ] || why="$why round $r ran '$d', order '$o';"
done
[ "$(grep -c '^order ' "$pf")" = 2 ] || why="$why $(grep -c '^order ' "$pf") order lines;"
grep -q '^seed=7$' "$pf" || why="$why no seed=7;"
[ -z "$why" ] && pass plan-order-recorded || fail plan-order-recorded "$why"
# Tags: every run id of each CSV has round = its done line's round and plan t1.
why=""
while read -r _ r e _ csv; do
	python3 "$HVB_TOP/tests/hvbcsv.py" check "$csv" >/dev/null || why="$why $csv not valid hvb1;"
	runs=$(csv_col "$csv" run | sort -u | wc -l)
	nr=$(csvq -v r="$r" "$csv" 'bench == "hvbench" && metric == "round" && value == r && status == "info"' | wc -l)
	np=$(csvq "$csv" 'bench == "hvbench" && metric == "plan" && note == "t1" && status == "info"' | wc -l)
	[ "$runs" -ge 1 ] && [ "$nr" = "$runs" ] && [ "$np" = "$runs" ] || why="$why $csv: $runs runs, $nr round rows, $np plan rows;"
	grep -qx "plan=t1" "${csv%.csv}.meta" && grep -qx "plan_round=$r" "${csv%.csv}.meta" || why="$why ${csv%.csv}.meta not tagged;"
	case $e in
	tcg) [ "$(csv_col "$csv" virt | sort -u)" = qemu-tcg ] || why="$why $e not qemu-tcg;" ;;
	ctr) [ "$(csv_col "$csv" container | sort -u)" = other ] || why="$why $e not a container;" ;;
	esac
done < <(grep '^done ' "$pf")
[ -z "$why" ] && pass plan-runs-tagged || fail plan-runs-tagged "$why"
# A finished plan resumed runs nothing.
"$P" "${common[@]}" --resume t1 >/dev/null 2>&1
n=$(ls "$data"/p/*/*.csv | wc -l)
[ "$n" = 6 ] && pass plan-finished-resume-noop || fail plan-finished-resume-noop "$n CSVs"
# The analyzer pairs them by round.  --keep-disturbed: with --reps 1 on a
# shared machine the analyzer's disturbance rule (docs/analyzer.md) leaves
# out repetitions, and with them rounds; pairing is what is checked here.
"$HVB_BIN/analyze" -q --keep-disturbed --baseline host --json "$T_TMP/m.json" "$data/p" 2>/dev/null
jq -e '[.metrics[] | select(.bench == "cpubench") | .series[] | select(.env != "host") | .paired_rounds]
	| length > 0 and all(. == 2)' "$T_TMP/m.json" >/dev/null \
	&& pass plan-analyzer-pairs || fail plan-analyzer-pairs "$(jq -c '[.metrics[] | select(.bench == "cpubench") | .series[] | [.env, .paired_rounds]]' "$T_TMP/m.json" | head -c 300)"
# Usage errors.
"$P" "${common[@]}" --resume nosuch >/dev/null 2>&1; rc1=$?
"$P" "${common[@]}" host=nosuchcollector >/dev/null 2>&1; rc2=$?
"$P" "${common[@]}" --id t1 host=local >/dev/null 2>&1; rc3=$?
[ "$rc1" = 2 ] && [ "$rc2" = 2 ] && [ "$rc3" = 2 ] && pass plan-usage-errors || fail plan-usage-errors "exits $rc1 $rc2 $rc3"
# Interrupted: SIGTERM to the plan reaches the running collector, which keeps
# what arrived (untagged); the plan exits 130 and --resume runs it again.
"$P" --data "$T_TMP/d2" --campaign q --id i1 --rounds 1 --quick --bench null,cpu --reps 1 --warmup 0 \
	--no-telemetry --hvbench "$HVB_STATIC_BIN/hvbench" a=local >/dev/null 2>"$T_TMP/err3" &
pid=$!
for _ in $(seq 1 100); do
	grep -q 'running the suite' "$T_TMP/err3" && break
	sleep 0.1
done
sleep 1
kill -TERM "$pid"
wait "$pid"
rc=$?
pf2=$T_TMP/d2/q/i1.plan
part=$(ls "$T_TMP"/d2/q/a/*.csv 2>/dev/null | head -n 1)
if [ "$rc" = 130 ] && grep -q '^fail 1 a 130$' "$pf2" && ! grep -q '^done ' "$pf2" \
	&& { [ -z "$part" ] || ! grep -q ',hvbench,,round,' "$part"; }; then
	pass plan-interrupt-130
else
	fail plan-interrupt-130 "exit $rc; $(grep -v '^opt\|^env\|^arg' "$pf2" | tr '\n' ' '); $(tail -n 2 "$T_TMP/err3")"
fi
"$P" --data "$T_TMP/d2" --campaign q --resume i1 >/dev/null 2>&1
rc=$?
[ "$rc" = 0 ] && grep -q '^done 1 a 0 ' "$pf2" && pass plan-interrupt-resumed || fail plan-interrupt-resumed "exit $rc"
[ -z "$(ls -A "$TMPDIR")" ] && pass plan-stage-cleaned || fail plan-stage-cleaned "left: $(ls "$TMPDIR")"
t_done
