#!/bin/bash
# collect_plan_end.sh - a plan runs to its normal end under set -u.
# A WIP collect/plan once ended a whole campaign (6 environments, 5 rounds,
# --aa, collectors local/container/qemu) with "collect/plan: line 547: out:
# unbound variable" after its last run.  This plan has the same shape, made
# small: 5 environments over the three collectors (two local, two namespace
# containers, one QEMU TCG guest), two --aa pairs, 2 rounds of nullbench.
# Checks: exit 0, the last message is "all 2 rounds done", no shell error
# ("line N: ...") on stderr, one run per (round, environment) filed, each
# tagged with its round, the aa pairs recorded, a finished resume a no-op.
. "$(dirname "$0")/../lib.sh"
P=$HVB_TOP/collect/plan
if [ "$(id -u)" != 0 ]; then
	skip plan_end "needs root for the namespace container"
	t_done
fi
export TMPDIR=$T_TMP/stage
mkdir -p "$TMPDIR"
D=$T_TMP/data
pf=$D/e/end.plan
t0=$SECONDS
"$P" --data "$D" --campaign e --id end --rounds 2 --seed 5 --hvbench "$HVB_STATIC_BIN/hvbench" \
	--aa a=b --aa c1=c2 a=local b=local "c1=container --engine unshare" "c2=container --engine unshare" \
	"q=qemu --accel tcg --smp 1" --bench null --quick --reps 1 --warmup 0 --no-telemetry >/dev/null 2>"$T_TMP/err"
rc=$?
echo "plan of 5 environments x 2 rounds: exit $rc after $((SECONDS - t0)) s"
errs=$(grep -E '(^|: )line [0-9]+: |unbound variable|command not found' "$T_TMP/err" | head -n 3)
if [ "$rc" = 0 ] && [ -z "$errs" ] && tail -n 1 "$T_TMP/err" | grep -q "plan end: all 2 rounds done"; then
	pass plan-end-normal
else
	fail plan-end-normal "exit $rc; shell errors: ${errs:-none}; last: $(tail -n 2 "$T_TMP/err" | tr '\n' ' ')"
fi
why=""
[ "$(awk '$1 == "done" { print $2, $3 }' "$pf" | sort -u | wc -l)" = 10 ] || why="$why $(awk '$1 == "done"' "$pf" | wc -l) done lines;"
[ "$(grep -c '^done ' "$pf")" = 10 ] || why="$why a (round, env) done twice;"
for e in a b c1 c2 q; do
	n=$(find "$D/e/$e" -maxdepth 1 -name '*.csv' 2>/dev/null | wc -l)
	[ "$n" = 2 ] || why="$why $e has $n CSVs;"
done
while read -r _ r e _ csv; do
	grep -qx "plan_round=$r" "${csv%.csv}.meta" || why="$why $e round $r untagged;"
done < <(grep '^done ' "$pf")
grep -qx 'aa a=b' "$pf" && grep -qx 'aa c1=c2' "$pf" || why="$why aa pairs not recorded;"
[ -z "$why" ] && pass plan-end-every-run-once || fail plan-end-every-run-once "$why"
before=$(find "$D/e" -name '*.csv' | sort | sha256sum)
"$P" --data "$D" --campaign e --resume end >/dev/null 2>"$T_TMP/err2"
rc=$?
[ "$rc" = 0 ] && [ "$(find "$D/e" -name '*.csv' | sort | sha256sum)" = "$before" ] && grep -q 'nothing to do' "$T_TMP/err2" &&
	pass plan-end-resume-noop || fail plan-end-resume-noop "exit $rc: $(tail -n 2 "$T_TMP/err2" | tr '\n' ' ')"
echo "collect_plan_end: $((SECONDS - t0)) s"
t_done
