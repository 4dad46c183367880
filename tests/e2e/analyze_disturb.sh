#!/bin/bash
# analyze_disturb.sh - the disturbance rule (analyze/disturb.c; docs/analyzer.md,
# "Disturbed repetitions and runs") on the fixtures of
# tests/fixtures/analyze/disturb (gen.py there says what each holds):
#   slowed    round 3 of ns slowed 30 % on all its CPU series, no counters: that
#             run, and only it, is named (category cpu, rule data) by
#             --list-disturbed, --text and --json; ns's cpu score then holds the
#             true ratio 1.0, and with --keep-disturbed it is far lower (< 0.96:
#             the bootstrap over rounds gives the kept slow round a wide CI);
#             the HTML report lists it, its label escaped
#   quiet     the same without the slowdown: nothing named
#   counters  dist_* rows, two repetitions with dist_runq_pct 45: exactly those
#             leave their series (n 6 -> 4 for both metrics of that series, the
#             others keep 6), named with rule runq; --keep-disturbed keeps them
#   capacity  a capacity probe of 1.02 CPUs of 2: the capacity warning in
#             numbers; a repetition whose canary is 1.5 x the run's best: rule
#             canary
. "$(dirname "$0")/../lib.sh"
A=$HVB_BIN/analyze
F=$HVB_TOP/tests/fixtures/analyze/disturb
cd "$F/.." || { fail disturb-fixtures "no $F"; t_done; }
D=disturb

# ---- (a) a slowed round, no counters: the data rule
out=$("$A" -q --baseline host --list-disturbed "$D/slowed" 2>"$T_TMP/err"); rc=$?
want="$D/slowed/ns/box_ns_r3.csv	box-1796085600-103	3	ns	cpu	data	1.4	left-out"
[ "$rc" = 0 ] && [ "$out" = "$want" ] && pass disturb-list-slowed \
	|| fail disturb-list-slowed "exit $rc, got '$out' $(head -c 200 "$T_TMP/err")"

"$A" -q --baseline host --text "$D/slowed" >"$T_TMP/a.txt" 2>"$T_TMP/err"; rc=$?
n=$(grep -c '^  ns  *3 data  *1\.4 .* cpu (6 headline series): box-1796085600-103 in disturb/slowed/ns/box_ns_r3.csv$' "$T_TMP/a.txt")
[ "$rc" = 0 ] && [ "$n" = 1 ] && grep -q '^disturbed repetitions and runs (1; 1 left out' "$T_TMP/a.txt" \
	&& pass disturb-text-slowed || fail disturb-text-slowed "exit $rc, $n lines: $(grep -A3 '^disturbed' "$T_TMP/a.txt" | head -4)"

# score ENV CATEGORY JSON -> "geomean lo hi"
score() { jq -r --arg e "$1" --arg c "$2" '.scores[] | select(.env == $e and .category == $c) |
	"\(.geomean) \(.lo) \(.hi)"' "$3"; }
"$A" -q --baseline host --json "$T_TMP/a.json" "$D/slowed" 2>"$T_TMP/err" &&
"$A" -q --baseline host --keep-disturbed --json "$T_TMP/k.json" "$D/slowed" 2>>"$T_TMP/err" \
	|| fail disturb-json-slowed "$(head -c 200 "$T_TMP/err")"
read -r g lo hi <<<"$(score ns cpu "$T_TMP/a.json")"
echo "ns cpu, disturbed run left out: $g [$lo, $hi] (true 1.0)"
awk -v g="$g" -v lo="$lo" -v hi="$hi" 'BEGIN { exit !(lo <= 1 && 1 <= hi && g > 0.98 && g < 1.02) }' \
	&& pass disturb-score-holds-truth || fail disturb-score-holds-truth "$g [$lo, $hi]"
read -r kg klo khi <<<"$(score ns cpu "$T_TMP/k.json")"
echo "ns cpu, --keep-disturbed: $kg [$klo, $khi]"
awk -v g="$kg" 'BEGIN { exit !(g < 0.96) }' \
	&& pass disturb-keep-far-lower || fail disturb-keep-far-lower "$kg [$klo, $khi]"
j=$(jq -r '[.kept_disturbed, (.disturbed | length), (.disturbed[0] | .env, .round, .scope, .category, .rule,
	.judged_series, .samples, .kept)] | map(tostring) | join(" ")' "$T_TMP/a.json")
[ "$j" = "false 1 ns 3 category cpu data 6 18 false" ] && pass disturb-json-named || fail disturb-json-named "'$j'"
j=$(jq -r '[.kept_disturbed, .disturbed[0].kept] | map(tostring) | join(" ")' "$T_TMP/k.json")
[ "$j" = "true true" ] && pass disturb-json-kept || fail disturb-json-kept "'$j'"
# left out: ns's cpu series have 12 of 15 samples (3 reps of round 3 gone); kept: 15
j=$(jq -r '[.metrics[] | .series[] | select(.env == "ns") | .n] | unique | map(tostring) | join(" ")' "$T_TMP/a.json")
k=$(jq -r '[.metrics[] | .series[] | select(.env == "ns") | .n] | unique | map(tostring) | join(" ")' "$T_TMP/k.json")
[ "$j" = 12 ] && [ "$k" = 15 ] && pass disturb-samples-left-out || fail disturb-samples-left-out "left out: n $j; kept: n $k"

# the HTML report names it; a label is data (escaped once)
mkdir -p "$T_TMP/h" && cp -r "$D/slowed" "$T_TMP/h/" &&
sed -i 's/,ns,none,other,/,<i>ns<\/i>,none,other,/' "$T_TMP/h/slowed/ns/"*.csv
"$A" -q --baseline host -o "$T_TMP/a.html" "$T_TMP/h/slowed" 2>"$T_TMP/err"; rc=$?
n=$(grep -c '<tr><td>&lt;i&gt;ns&lt;/i&gt;</td><td>3</td><td>cpu (6 headline series)</td><td>data</td><td>1.400× slower</td>' "$T_TMP/a.html")
[ "$rc" = 0 ] && [ "$n" = 1 ] && grep -q '<h3>Disturbed repetitions and runs</h3>' "$T_TMP/a.html" && ! grep -q '<i>ns' "$T_TMP/a.html" \
	&& pass disturb-html-named || fail disturb-html-named "exit $rc, $n rows $(head -c 200 "$T_TMP/err")"

# ---- (b) the same campaign, quiet: nothing named
out=$("$A" -q --baseline host --list-disturbed "$D/quiet" 2>"$T_TMP/err"); rc=$?
[ "$rc" = 0 ] && [ -z "$out" ] && pass disturb-list-quiet || fail disturb-list-quiet "exit $rc, '$out'"
"$A" -q --baseline host --text "$D/quiet" >"$T_TMP/b.txt" 2>"$T_TMP/err"
! grep -q '^disturbed' "$T_TMP/b.txt" && [ "$(jq '.disturbed | length' <("$A" -q --baseline host --json - "$D/quiet"))" = 0 ] \
	&& pass disturb-quiet-none || fail disturb-quiet-none "$(grep -A2 '^disturbed' "$T_TMP/b.txt")"

# ---- (c) counters: two repetitions that waited for a CPU
out=$("$A" -q --baseline host --list-disturbed "$D/counters" 2>"$T_TMP/err"); rc=$?
want="$D/counters/ns/box_ns_counters.csv	box-1796163800-ns		ns	cpubench/kernel=int;threads=1/2	runq	45	left-out
$D/counters/ns/box_ns_counters.csv	box-1796163800-ns		ns	cpubench/kernel=int;threads=1/4	runq	45	left-out"
[ "$rc" = 0 ] && [ "$out" = "$want" ] && pass disturb-list-runq || fail disturb-list-runq "exit $rc, '$out'"
# n per series: env params metric n
nof() { jq -r '.metrics[] | .series[] | "\(.env) \(.params) \(.metric) \(.n) \(.n_samples)"' "$1" | sort; }
"$A" -q --baseline host --json "$T_TMP/c.json" "$D/counters" 2>"$T_TMP/err" &&
"$A" -q --baseline host --keep-disturbed --json "$T_TMP/ck.json" "$D/counters" 2>>"$T_TMP/err" \
	|| fail disturb-json-counters "$(head -c 200 "$T_TMP/err")"
short=$(nof "$T_TMP/c.json" | awk '$4 != 6')
kept=$(nof "$T_TMP/ck.json" | awk '$4 != 6')
total=$(nof "$T_TMP/c.json" | wc -l)
[ "$short" = "ns kernel=int;threads=1 cpu_busy_pct 4 4
ns kernel=int;threads=1 events_per_s 4 4" ] && [ -z "$kept" ] && [ "$total" = 24 ] \
	&& pass disturb-runq-left-out || fail disturb-runq-left-out "left out: '$short'; kept: '$kept'; $total series"
j=$(jq -r '[.disturbed[] | "\(.rule):\(.rep):\(.samples):\(.amount)"] | join(" ")' "$T_TMP/c.json")
[ "$j" = "runq:2:2:45 runq:4:2:45" ] && pass disturb-json-runq || fail disturb-json-runq "'$j'"
j=$(jq -r '[.run_probes[] | "\(.env):\(.capacity_cpus):\(.capacity_threads):\(.canary_ref_ns):\(.reps)"] | join(" ")' "$T_TMP/c.json")
[ "$j" = "host:1.98:2:1000:36 ns:1.98:2:1000:36" ] && pass disturb-run-probes || fail disturb-run-probes "'$j'"
! jq -e '.warnings[] | select(.kind == "capacity")' "$T_TMP/c.json" >/dev/null \
	&& pass disturb-no-capacity-warning || fail disturb-no-capacity-warning "a capacity warning at 1.98 of 2"

# ---- (c2) the run-queue rule and the series a benchmark declares shared:
# a run with dist_runq_shared rows is judged by its declarations (its
# undeclared forkbench is named), a run without any by the analyzer's list
# (cpus=same and forkbench exempt), in both the declared cpus=same is not
out=$("$A" -q --list-disturbed "$D/shared" 2>"$T_TMP/err"); rc=$?
want="$D/shared/host/box_host_new.csv	box-1796290600-new		host	forkbench/start=1;end=64/1	runq	45	left-out
$D/shared/host/box_host_new.csv	box-1796290600-new		host	forkbench/start=1;end=64/2	runq	45	left-out
$D/shared/host/box_host_new.csv	box-1796290600-new		host	forkbench/start=1;end=64/3	runq	45	left-out"
[ "$rc" = 0 ] && [ "$out" = "$want" ] && pass disturb-runq-declared || fail disturb-runq-declared "exit $rc, '$out'"

# ---- (c3) thread balance: the threads=2 repetition whose threads did
# unequal work (0.55 against its series' median 0.97) is named, rule
# balance, amount the median over it; threads=1 (no balance rows) and the
# others are not
out=$("$A" -q --list-disturbed "$D/balance" 2>"$T_TMP/err"); rc=$?
line=$(printf '%s\n' "$out" | awk -F'\t' '{ printf "%s|%s|%s|%.3f|%s\n", $4, $5, $6, $7, $8 }')
best=$(awk -F, '$10 == "dist_thread_balance" { print $14 }' "$D/balance/host/box_host_balance.csv" | sort -g |
	awk '{ v[NR] = $1 } END { printf "%.3f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) / 0.55 }')
[ "$rc" = 0 ] && [ "$line" = "host|cpubench/kernel=int;threads=2/4|balance|$best|left-out" ] \
	&& pass disturb-balance-named || fail disturb-balance-named "exit $rc, '$out' (want amount $best)"

# a thread that did nothing (balance 0): named, amount inf in the list, and
# the report says so in words, not "n/a× slower"
mkdir -p "$T_TMP/b0/host" && sed 's/\(dist_thread_balance,count,,4,\)[0-9.]*,/\10,/' \
	"$D/balance/host/box_host_balance.csv" >"$T_TMP/b0/host/b.csv"
out=$("$A" -q --list-disturbed "$T_TMP/b0" | cut -f6,7); "$A" -q -o "$T_TMP/b0.html" "$T_TMP/b0" 2>"$T_TMP/err"; rc=$?
[ "$rc" = 0 ] && [ "$out" = "balance	inf" ] && grep -q '<td>balance</td><td>a thread did no work</td>' "$T_TMP/b0.html" \
	&& pass disturb-balance-zero || fail disturb-balance-zero "exit $rc, '$out', $(grep -o '<td>balance</td><td>[^<]*' "$T_TMP/b0.html")"

# ---- (d) capacity probe and canary
"$A" -q --json "$T_TMP/d.json" "$D/capacity" 2>"$T_TMP/err"; rc=$?
w=$(jq -r '.warnings[] | select(.kind == "capacity") | "\(.env)|\(.message)|\(.touches_score)"' "$T_TMP/d.json")
want="host|host: run box-1796203200-9 (file $D/capacity/host/box_host_capacity.csv): the capacity probe saw 1.02 CPUs' worth of throughput of 2: the machine was missing CPUs; all-CPU figures of this run are not the environment's|true"
[ "$rc" = 0 ] && [ "$w" = "$want" ] && pass disturb-capacity-warning || fail disturb-capacity-warning "exit $rc, '$w'"
out=$("$A" -q --list-disturbed "$D/capacity" 2>"$T_TMP/err")
[ "$out" = "$D/capacity/host/box_host_capacity.csv	box-1796203200-9		host	cpubench/kernel=fp;threads=1/3	canary	1.5	left-out" ] \
	&& pass disturb-canary-rep || fail disturb-canary-rep "'$out'"

# ---- the fixtures are what gen.py writes
python3 "$F/gen.py" "$T_TMP/gen" && diff -r "$T_TMP/gen" "$F" -x gen.py >"$T_TMP/diff" 2>&1 \
	&& pass disturb-fixtures-generated || fail disturb-fixtures-generated "$(head -3 "$T_TMP/diff")"
t_done
