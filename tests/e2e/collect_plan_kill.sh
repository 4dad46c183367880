#!/bin/bash
# collect_plan_kill.sh - a plan killed with kill -9, as a new user met it:
#   collect/plan --data D --campaign k --rounds 3 --seed 3 --id kp A=local B=local --bench null,cpu --quick
# then kill -9 of the plan during round 1's second run, then --resume kp.
# Checks: the killed plan's collector does not run on (it gets SIGTERM when
# its plan dies, stops its suite, and what it had lands in the plan's
# staging, never in the campaign); the resume completes the plan; the
# campaign then holds exactly rounds x environments runs, one per (round,
# environment), each tagged with its round, and the analyzer counts as many
# samples for A as for B.  Then the analyzer's check of the plan record: a
# copy of a run (tagged with the plan, not listed in its record) is named
# and left out, two listed runs of one (plan, round, env) count once (the
# one recorded last), and a run the record says was run again is left out
# for its re-run.
. "$(dirname "$0")/../lib.sh"
P=$HVB_TOP/collect/plan
A=$HVB_BIN/analyze
export TMPDIR=$T_TMP/stage
mkdir -p "$TMPDIR"
D=$T_TMP/D
pf=$D/k/kp.plan
# collector_of PID: the collector the plan PID runs now (its child).
collector_of() {
	local c
	for c in $(pgrep -P "$1"); do
		case $(tr '\0' ' ' <"/proc/$c/cmdline" 2>/dev/null) in *collect/local*) echo "$c"; return 0 ;; esac
	done
	return 1
}
# campaign_csvs: the CSVs the analyzer reads in D/k (not the hidden staging
# and incomplete directories), one a line.
campaign_csvs() { find "$D/k" -name '.*' -prune -o -name '*.csv' -print | sort; }

t0=$SECONDS
"$P" --data "$D" --campaign k --rounds 3 --seed 3 --id kp A=local B=local --bench null,cpu --quick \
	--hvbench "$HVB_STATIC_BIN/hvbench" >/dev/null 2>"$T_TMP/err1" &
pid=$!
# Round 1's second run: its start line in the record, then its suite running.
second=""
for _ in $(seq 1 300); do
	second=$(awk '$1 == "order" && $2 == 1 { print $4; exit }' "$pf" 2>/dev/null)
	[ -n "$second" ] && grep -q "^start 1 $second$" "$pf" && break
	sleep 0.1
done
sleep 1.5
cpid=$(collector_of "$pid")
kill -9 "$pid"
wait "$pid" 2>/dev/null
echo "killed the plan after $((SECONDS - t0)) s, in round 1's run of '$second' (collector pid ${cpid:-none})"
gone=0
for _ in $(seq 1 100); do
	if [ -n "$cpid" ] && ! kill -0 "$cpid" 2>/dev/null && [ -z "$(pgrep -g "$cpid")" ]; then gone=1; break; fi
	sleep 0.1
done
[ -n "$cpid" ] && [ "$gone" = 1 ] && pass kill-plan-collector-stops ||
	fail kill-plan-collector-stops "collector ${cpid:-not found} of the killed plan still running: $(pgrep -ag "${cpid:-0}" | head -n 3 | tr '\n' ' ')"
n=$(campaign_csvs | wc -l)
[ "$n" = 1 ] && grep -q "^done 1 " "$pf" && ! grep -q "^done 1 $second " "$pf" && pass kill-plan-only-finished-in-campaign ||
	fail kill-plan-only-finished-in-campaign "$n CSVs in the campaign: $(campaign_csvs | tr '\n' ' ')"

t0=$SECONDS
"$P" --data "$D" --campaign k --resume kp >/dev/null 2>"$T_TMP/err2"
rc=$?
echo "resumed: $((SECONDS - t0)) s, exit $rc"
sed 's/^/  stderr: /' "$T_TMP/err2" | grep -v 'round [0-9]*/3:' | head -n 12
[ "$rc" = 0 ] && pass kill-plan-resume-exit-0 || fail kill-plan-resume-exit-0 "exit $rc: $(tail -n 3 "$T_TMP/err2")"
grep -q "took over the lock of pid $pid" "$T_TMP/err2" && pass kill-plan-stale-lock-named ||
	fail kill-plan-stale-lock-named "no word of the dead owner $pid: $(head -n 3 "$T_TMP/err2")"
# The killed run: kept apart, with its reason, never in the campaign.
apart=$(find "$D/k/.incomplete/kp" -name WHY 2>/dev/null | head -n 1)
[ -n "$apart" ] && grep -q "^env=$second$" "$apart" && grep -q '^why=found in the plan.s staging by --resume' "$apart" &&
	grep -q "kept apart in $D/k/.incomplete/kp/" "$T_TMP/err2" && pass kill-plan-partial-kept-apart ||
	fail kill-plan-partial-kept-apart "WHY ${apart:-none}: $(tr '\n' ' ' <"${apart:-/dev/null}")"
# Exactly rounds x environments runs, one per (round, env), each its round.
why=""
[ "$(campaign_csvs | wc -l)" = 6 ] || why="$(campaign_csvs | wc -l) CSVs in the campaign, want 6;"
pairs=$(awk '$1 == "done" { print $2, $3 }' "$pf" | sort | tr '\n' ',')
[ "$pairs" = "1 A,1 B,2 A,2 B,3 A,3 B," ] || why="$why done pairs '$pairs';"
for csv in $(campaign_csvs); do
	l=$(basename "$(dirname "$csv")")
	r=$(awk -v c="${csv##*/}" -v l="$l" '$1 == "done" && $3 == l { n = split($5, a, "/"); if (a[n] == c) print $2 }' "$pf")
	rr=$(csvq "$csv" 'bench == "hvbench" && metric == "round" && status == "info" { print value }' | sort -u | tr '\n' ' ')
	[ -n "$r" ] && [ "$rr" = "$r " ] || why="$why $csv: round rows '$rr', done line round '$r';"
done
[ -z "$why" ] && pass kill-plan-one-run-per-round-env || fail kill-plan-one-run-per-round-env "$why"
# The analyzer: as many samples for A as for B in every series, 3 rounds paired.
"$A" -q --keep-disturbed --baseline A --json "$T_TMP/m.json" "$D/k" 2>/dev/null
counts() { jq -r '.metrics[] as $g | $g.series[] | select(.env == "A" or .env == "B") | "\($g.bench)|\($g.params)|\($g.metric)|\(.env)|\(.n_samples)"' "$1" | sort; }
eq=$(counts "$T_TMP/m.json" | awk -F'|' '{ k = $1 "|" $2 "|" $3; n[k, $4] = $5; keys[k] = 1 } END { for (k in keys) if (n[k, "A"] != n[k, "B"] || n[k, "A"] == "") bad++; print (bad ? "unequal" : "equal") }')
nser=$(counts "$T_TMP/m.json" | wc -l)
[ "$eq" = equal ] && [ "$nser" -ge 4 ] && pass kill-plan-equal-samples-A-B || fail kill-plan-equal-samples-A-B "$(counts "$T_TMP/m.json" | head -n 6 | tr '\n' ';')"
jq -e '[.metrics[] | .series[] | select(.env == "B") | .paired_rounds] | length > 0 and all(. == 3)' "$T_TMP/m.json" >/dev/null &&
	pass kill-plan-paired-3-rounds || fail kill-plan-paired-3-rounds "$(jq -c '[.metrics[] | .series[] | select(.env == "B") | .paired_rounds]' "$T_TMP/m.json")"
jq -e '[.warnings[] | select(.kind == "plan-record")] | length == 0' "$T_TMP/m.json" >/dev/null &&
	pass planrec-clean-campaign-no-warning || fail planrec-clean-campaign-no-warning "$(jq -c '[.warnings[] | select(.kind == "plan-record")]' "$T_TMP/m.json" | head -c 300)"

# The analyzer's check of the record, on copies of the campaign.
b1=$(awk '$1 == "done" && $2 == 1 && $3 == "B" { print $5 }' "$pf")
b1=${b1##*/}
# (a) a copy of round 1's B run beside it: tagged kp, round 1, not listed.
cp -r "$D/k" "$T_TMP/ka"
cp "$T_TMP/ka/B/$b1" "$T_TMP/ka/B/copy_of_r1.csv"
"$A" --keep-disturbed --baseline A --json "$T_TMP/a.json" "$T_TMP/ka" 2>"$T_TMP/a.err" >/dev/null
rc=$?
w=$(jq -r '[.warnings[] | select(.kind == "plan-record")] | map(.env + ": " + .message + " | " + .evidence) | .[]' "$T_TMP/a.json")
want="B: $T_TMP/ka/B/copy_of_r1.csv (plan kp, round 1) is not a run the plan's record lists (a run that did not complete, or a copy): left out | $T_TMP/ka/B/../kp.plan has no done line for B/copy_of_r1.csv"
[ "$rc" = 0 ] && [ "$w" = "$want" ] && grep -qF "copy_of_r1.csv (plan kp, round 1) is not a run the plan's record lists" "$T_TMP/a.err" &&
	[ "$(counts "$T_TMP/a.json")" = "$(counts "$T_TMP/m.json")" ] && pass planrec-unlisted-left-out ||
	fail planrec-unlisted-left-out "exit $rc; warnings: $w"
# (b) the copy listed too, after the original: two runs claim (kp, 1, B).
cp -r "$T_TMP/ka" "$T_TMP/kb"
printf 'done 1 B 0 /elsewhere/k/B/copy_of_r1.csv\n' >>"$T_TMP/kb/kp.plan"
"$A" -q --keep-disturbed --baseline A --json "$T_TMP/b.json" "$T_TMP/kb" >/dev/null 2>&1
w=$(jq -r '[.warnings[] | select(.kind == "plan-record")] | map(.message) | .[]' "$T_TMP/b.json")
[ "$w" = "2 runs claim plan kp, round 1, env B: $T_TMP/kb/B/copy_of_r1.csv counts, $T_TMP/kb/B/$b1 is left out" ] &&
	[ "$(counts "$T_TMP/b.json")" = "$(counts "$T_TMP/m.json")" ] && pass planrec-claimed-twice-once ||
	fail planrec-claimed-twice-once "warnings: $w"
# (c) ... and the original marked as run again (collect/plan --until's
# rerun line): the re-run counts, the original is left out as such.
cp -r "$T_TMP/kb" "$T_TMP/kc"
printf 'rerun 1 B /elsewhere/k/B/%s canary-run 1.42 * (run x)\n' "$b1" >>"$T_TMP/kc/kp.plan"
"$A" -q --keep-disturbed --baseline A --json "$T_TMP/c.json" "$T_TMP/kc" >/dev/null 2>&1
w=$(jq -r '[.warnings[] | select(.kind == "plan-record")] | map(.message) | .[]' "$T_TMP/c.json")
[ "$w" = "$T_TMP/kc/B/$b1 (plan kp, round 1) was run again in its round (a disturbed run): left out, its re-run counts" ] &&
	[ "$(counts "$T_TMP/c.json")" = "$(counts "$T_TMP/m.json")" ] && pass planrec-rerun-preferred ||
	fail planrec-rerun-preferred "warnings: $w"
t_done
