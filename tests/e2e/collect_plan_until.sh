#!/bin/bash
# collect_plan_until.sh - collect/plan --aa and --until/--max-rounds
# (docs/collect.md) with collect/local and the null benchmark (constant
# values), two labels of the same machine: A and B, an A/A pair.
#  - The real analyzer: nullbench's ratios are exactly 1 with a zero-width
#    CI, and nullbench is diagnostic, so the plan judges the compared series
#    (no headline one) and reaches --until 50 after round 3, the first round
#    it checks: stopped=target in the record, exit 0, 6 runs.  Every run id
#    carries the aa_pair row A=B beside round and plan; the recorded orders
#    are what --print-orders gives for the seed.
#  - A stand-in analyzer ($HVB_BIN/analyze, as the plan finds it) whose
#    summary has a headline series with a CI of +-50 %: a target of +-10 %
#    is never reached, the plan stops at --max-rounds 4 and says why; its
#    --list-disturbed names B's run of round 3 as disturbed, which is run
#    again once in round 3 (the old run kept, a rerun line, the new run
#    tagged round 3).
#  - Usage errors of --aa, --until, --max-rounds, --baseline.
. "$(dirname "$0")/../lib.sh"
P=$HVB_TOP/collect/plan
export TMPDIR=$T_TMP/stage
mkdir -p "$TMPDIR"
common=(--quick --bench null --reps 3 --warmup 0 --no-telemetry --hvbench "$HVB_STATIC_BIN/hvbench")

t0=$SECONDS
"$P" --data "$T_TMP/d1" --campaign u --id u1 --seed 42 --aa A=B --baseline A --until 50 --max-rounds 4 \
	"${common[@]}" A=local B=local >/dev/null 2>"$T_TMP/err1"
rc=$?
pf=$T_TMP/d1/u/u1.plan
echo "null bench, --until 50 --max-rounds 4: $((SECONDS - t0)) s, exit $rc"
grep 'round 3:\|stopped\|target' "$T_TMP/err1"
nre=$(grep -c '^rerun ' "$pf")
if [ "$rc" = 0 ] && [ "$(grep '^stopped=' "$pf" | tail -n 1 | cut -d' ' -f1-2)" = "stopped=target round=3" ] &&
	[ "$(grep -c '^done ' "$pf")" = $((6 + nre)) ] && ! grep -q '^order 4 ' "$pf" &&
	grep -q '^round 3: widest headline CI: no headline series; widest compared CI ±0.0 % (nullbench null_value, B); target ±50 %$' \
		<(sed 's/^collect\/plan: //' "$T_TMP/err1"); then
	pass until-target-round-3
else
	fail until-target-round-3 "exit $rc; $(grep '^stopped\|^check\|^done' "$pf" | tr '\n' ' '); $(tail -n 2 "$T_TMP/err1")"
fi
grep -qx 'until=50' "$pf" && grep -qx 'max_rounds=4' "$pf" && grep -qx 'baseline=A' "$pf" && grep -qx 'aa A=B' "$pf" &&
	grep -qx 'order_gen=2' "$pf" && pass until-recorded || fail until-recorded "$(grep -v '^opt\|^arg' "$pf" | head -n 12 | tr '\n' ' ')"
[ "$(grep '^order ' "$pf")" = "$("$P" --print-orders --seed 42 --rounds 3 A B)" ] && pass until-orders-as-printed ||
	fail until-orders-as-printed "$(grep '^order ' "$pf" | tr '\n' ' ') vs $("$P" --print-orders --seed 42 --rounds 3 A B | tr '\n' ' ')"
why=""
while read -r _ r _ _ csv; do
	runs=$(csv_col "$csv" run | sort -u | wc -l)
	na=$(csvq "$csv" 'bench == "hvbench" && metric == "aa_pair" && note == "A=B" && status == "info" && value == ""' | wc -l)
	nr=$(csvq -v r="$r" "$csv" 'bench == "hvbench" && metric == "round" && value == r' | wc -l)
	[ "$runs" -ge 1 ] && [ "$na" = "$runs" ] && [ "$nr" = "$runs" ] || why="$why $csv: $runs runs, $na aa_pair, $nr round rows;"
	python3 "$HVB_TOP/tests/hvbcsv.py" check "$csv" >/dev/null || why="$why $csv not valid hvb1;"
done < <(grep '^done ' "$pf")
[ -z "$why" ] && pass aa-pair-rows || fail aa-pair-rows "$why"
# Resumed, the finished plan checks round 3 again, reaches the target and
# runs nothing; --aa on --resume is refused (the pairs come from the record).
n0=$(ls "$T_TMP"/d1/u/*/*.csv | wc -l)
"$P" --data "$T_TMP/d1" --campaign u --resume u1 >/dev/null 2>&1
rc=$?
"$P" --data "$T_TMP/d1" --campaign u --resume u1 --aa A=B >/dev/null 2>&1
rc2=$?
[ "$rc" = 0 ] && [ "$(ls "$T_TMP"/d1/u/*/*.csv | wc -l)" = "$n0" ] && [ "$rc2" = 2 ] &&
	[ "$(grep '^stopped=' "$pf" | tail -n 1 | cut -d' ' -f1)" = stopped=target ] &&
	pass until-resume-finished || fail until-resume-finished "exit $rc, $rc2; $(ls "$T_TMP"/d1/u/*/*.csv | wc -l) CSVs (was $n0)"

# The stand-in analyzer: a headline series at 1.0 [0.5, 1.5] (+-50 %), a
# compared diagnostic one narrower (not the one judged), and B's round-3
# run disturbed as a whole.
mkdir -p "$T_TMP/fake"
cat >"$T_TMP/fake/analyze" <<'EOF'
#!/bin/bash
sum="" list=0 files=()
while [ $# -gt 0 ]; do
	case $1 in
	--help) echo "  --list-disturbed  print one TSV line per disturbed repetition or run"; exit 0 ;;
	--summary-csv) sum=$2; shift 2 ;;
	--baseline) echo "baseline $2" >>"$FAKE_LOG"; shift 2 ;;
	--list-disturbed) list=1; shift ;;
	-*) shift ;;
	*) files+=("$1"); shift ;;
	esac
done
echo "call list=$list files=${#files[@]}" >>"$FAKE_LOG"
if [ "$list" = 1 ]; then
	for f in "${files[@]}"; do
		case $f in */B/*) ;; *) continue ;; esac
		r=$(grep -m1 ',hvbench,,round,' "$f" | cut -d, -f14)
		[ "$r" = 3 ] && printf '%s\trun-x\t3\tB\t*\tcanary-run\t1.42\tleft-out\n' "$f"
	done
	exit 0
fi
{
	echo 'env,bench,params,metric,ratio,ratio_lo,ratio_hi,compared,scored,unscored_why'
	echo 'A,cpubench,kernel=int;threads=1,events_per_s,,,,0,1,'
	echo 'B,cpubench,kernel=int;threads=1,events_per_s,1,0.5,1.5,1,1,'
	echo 'B,nullbench,,null_value,1,0.9,1.1,1,0,"diagnostic, shown"'
} >"$sum"
EOF
chmod +x "$T_TMP/fake/analyze"
export FAKE_LOG=$T_TMP/fake.log
t0=$SECONDS
HVB_BIN=$T_TMP/fake "$P" --data "$T_TMP/d2" --campaign u --id u2 --seed 7 --baseline A --until 10 --max-rounds 4 \
	"${common[@]}" A=local B=local >/dev/null 2>"$T_TMP/err2"
rc=$?
pf=$T_TMP/d2/u/u2.plan
echo "stand-in analyzer, --until 10 --max-rounds 4: $((SECONDS - t0)) s, exit $rc"
grep 'round [34]:\|stopped\|disturbed' "$T_TMP/err2"
last=$(grep '^stopped=' "$pf" | tail -n 1)
if [ "$rc" = 0 ] && [ "$last" = "stopped=max-rounds round=4 widest=50.0 kind=headline series=cpubench kernel=int;threads=1 events_per_s, B" ] &&
	grep -q 'stopped at --max-rounds 4 without reaching the target: widest CI ±50.0 % > ±10 % (cpubench kernel=int;threads=1 events_per_s, B)' "$T_TMP/err2" &&
	grep -q '^collect/plan: round 3: widest headline CI ±50.0 % (cpubench kernel=int;threads=1 events_per_s, B); target ±10 %$' "$T_TMP/err2" &&
	grep -q '^check 4 50.0000 headline ' "$pf" && ! grep -q '^check [12] ' "$pf"; then
	pass until-max-rounds-reason
else
	fail until-max-rounds-reason "exit $rc; $last; $(tail -n 2 "$T_TMP/err2")"
fi
grep -q '^baseline A$' "$FAKE_LOG" && [ "$(grep -c 'list=0' "$FAKE_LOG")" = 2 ] &&
	grep -q 'list=0 files=9$' "$FAKE_LOG" && pass until-analyzer-calls || fail until-analyzer-calls "$(tr '\n' ' ' <"$FAKE_LOG")"
# The re-run: one rerun line for (3, B) naming B's first round-3 run, two
# done lines for (3, B), both CSVs tagged round 3, and no re-run elsewhere.
old=$(awk '$1 == "done" && $2 == 3 && $3 == "B" { print $5; exit }' "$pf")
new=$(awk '$1 == "done" && $2 == 3 && $3 == "B" { n++; if (n == 2) print $5 }' "$pf")
if [ "$(grep -c '^rerun ' "$pf")" = 1 ] && grep -q "^rerun 3 B $old canary-run 1.42 \* (run run-x)$" "$pf" &&
	[ -n "$new" ] && [ "$new" != "$old" ] && [ -f "$old" ] &&
	[ "$(csvq "$new" 'bench == "hvbench" && metric == "round" && value == 3' | wc -l)" -ge 1 ] &&
	[ "$(grep -c '^done ' "$pf")" = 9 ]; then
	pass until-rerun-disturbed
else
	fail until-rerun-disturbed "$(grep '^rerun\|^done 3' "$pf" | tr '\n' ' ')"
fi

# Usage errors (exit 2, nothing run).
u() { "$P" --data "$T_TMP/d3" --campaign u "$@" "${common[@]}" A=local B=local >/dev/null 2>&1; echo $?; }
got="$(u --aa A=C) $(u --aa A=A) $(u --aa AB) $(u --until 5) $(u --max-rounds 4) $(u --until x --max-rounds 4) \
$(u --until 5 --max-rounds 4 --baseline C) $(u --baseline A) $(u --rounds 5 --until 5 --max-rounds 4)"
[ "$got" = "2 2 2 2 2 2 2 2 2" ] && [ ! -d "$T_TMP/d3/u/A" ] && pass until-usage-errors || fail until-usage-errors "exits $got"
[ -z "$(ls -A "$TMPDIR")" ] && pass until-stage-cleaned || fail until-stage-cleaned "left: $(ls "$TMPDIR")"
t_done
