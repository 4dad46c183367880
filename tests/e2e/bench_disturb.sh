#!/bin/bash
# The disturbance rows (csv-format.md, "Disturbance rows"): cpubench
# pinned to CPU 0 beside a busy loop pinned there too waits for the CPU in
# every repetition (dist_runq_pct >= 30), and alone it does not (at most one
# repetition of ten: the machine is shared, and this is a CI); every ok row
# joins its repetition's dist_* rows on (run, bench, params, rep), iobench's
# several series per loop included; the capacity probe is a number within
# its threads, and about one CPU's worth when the process may use one CPU.
. "$(dirname "$0")/../lib.sh"
B=$HVB_BIN/cpubench
NCPU=$(nproc)

# (a) with a competitor on CPU 0.  Killed by its pid at exit, whatever fails.
taskset -c 0 sh -c 'while :; do :; done' &
busy=$!
trap 'kill "$busy" 2>/dev/null; rm -rf "$T_TMP"' EXIT
sleep 0.2
taskset -c 0 "$B" --quick --kernel int --threads 1 --reps 5 --out "$T_TMP/busy.csv" 2>"$T_TMP/err"
rc=$?
kill "$busy" 2>/dev/null
wait "$busy" 2>/dev/null
[ $rc -eq 0 ] && pass "disturb: cpubench beside a busy loop exit 0" || fail "disturb: busy exit" "exit $rc: $(head -c 300 "$T_TMP/err")"
rq=$(sel "$T_TMP/busy.csv" '^kernel=int;threads=1$' dist_runq_pct info)
n_in "disturb: busy loop on the same CPU: 5 repetitions with dist_runq_pct >= 30" 5 29.999999 100 "$rq"

# (b) alone on CPU 0: ten repetitions, at most one at 30 % or more.
taskset -c 0 "$B" --quick --kernel int --threads 1 --reps 10 --out "$T_TMP/idle.csv" 2>"$T_TMP/err"
rc=$?
[ $rc -eq 0 ] && pass "disturb: cpubench alone exit 0" || fail "disturb: alone exit" "exit $rc: $(head -c 300 "$T_TMP/err")"
rq=$(sel "$T_TMP/idle.csv" '^kernel=int;threads=1$' dist_runq_pct info)
nrq=$(printf '%s\n' "$rq" | grep -c .)
nhigh=$(printf '%s\n' "$rq" | awk '$1 >= 30 { n++ } END { print n + 0 }')
if [ "$nrq" -eq 10 ] && [ "$nhigh" -le 1 ]; then pass "disturb: alone: $nhigh of 10 repetitions with dist_runq_pct >= 30"
else fail "disturb: alone: at most 1 of 10 repetitions with dist_runq_pct >= 30" "$nrq values, $nhigh high: $(printf '%s ' $rq)"; fi
st=$(csvq "$T_TMP/idle.csv" 'metric == "stop_reason" { print value "|" note }')
[ "$st" = "10|reps: the fixed --reps 10" ] && pass "disturb: stop_reason after the series" || fail "disturb: stop_reason" "'$st'"

# (c) every ok row has its repetition's dist_* rows.  dist_wall_s and
# dist_canary_ns are always written; the counters where the machine has
# them (this one has schedstat, rusage and /proc/stat: checked when present).
mkdir -p "$T_TMP/io"
"$HVB_BIN/iobench" --quick --dir "$T_TMP/io" --size-mb 8 --runtime 0.05 --reps 2 --out "$T_TMP/io.csv" 2>"$T_TMP/err" ||
	fail "disturb: iobench exit" "$(head -c 300 "$T_TMP/err")"
want="dist_wall_s dist_canary_ns"
[ -r /proc/self/schedstat ] && want="$want dist_runq_pct"
want="$want dist_nivcsw"
[ -r /proc/stat ] && want="$want dist_steal_pct"
[ -r /proc/pressure/cpu ] && cat /proc/pressure/cpu >/dev/null 2>&1 && want="$want dist_psi_cpu_pct"
for f in busy idle io; do
	missing=$(csvq -v want="$want" "$T_TMP/$f.csv" '
		BEGIN { nw = split(want, w, " ") }
		status == "ok" { ok[run SUBSEP bench SUBSEP params SUBSEP rep] = 1; nok++ }
		status == "info" && metric ~ /^dist_/ { have[run SUBSEP bench SUBSEP params SUBSEP rep SUBSEP metric] = 1 }
		END {
			for (k in ok) for (i = 1; i <= nw; i++) if (!((k SUBSEP w[i]) in have)) { split(k, p, SUBSEP); print p[3] " rep " p[4] " " w[i] }
			if (!nok) print "no ok rows"
		}' | head -3)
	[ -z "$missing" ] && pass "disturb: $f: every ok row has $want" || fail "disturb: $f: every ok row has its dist_* rows" "$missing"
done
# iobench: one loop, one stop_reason per series (test).
nst=$(csvq "$T_TMP/io.csv" 'metric == "stop_reason" && value == 2 && note ~ /^reps: / { n++ } END { print n + 0 }')
nser=$(csvq "$T_TMP/io.csv" 'status == "ok" { s[params] = 1 } END { print length(s) }')
[ "$nst" -ge 1 ] && [ "$nst" = "$nser" ] && pass "disturb: iobench: a stop_reason for each of its $nser series" ||
	fail "disturb: iobench stop_reason per series" "$nst stop_reason rows, $nser series"

# (d) the capacity probe: a number in (0, capacity_threads + 0.5], its
# threads the online CPUs (hvb_ncpus counts online CPUs, not the affinity
# mask); pinned to one CPU, its threads share it: about 1.
for f in busy idle; do
	cap=$(sel "$T_TMP/$f.csv" '^$' capacity_cpus info)
	thr=$(sel "$T_TMP/$f.csv" '^$' capacity_threads info)
	ref=$(sel "$T_TMP/$f.csv" '^$' canary_ref_ns info)
	if [ "$thr" = "$NCPU" ] && awk -v c="$cap" -v t="$thr" -v r="$ref" 'BEGIN { exit !(c > 0 && c <= t + 0.5 && r > 0) }'; then
		pass "disturb: $f: capacity_cpus $cap of $thr threads, canary_ref_ns $ref"
	else
		fail "disturb: $f: capacity rows" "capacity_cpus '$cap', capacity_threads '$thr' (want $NCPU), canary_ref_ns '$ref'"
	fi
done
if [ "$NCPU" -ge 2 ]; then
	cap=$(sel "$T_TMP/idle.csv" '^$' capacity_cpus info)
	awk -v c="$cap" 'BEGIN { exit !(c < 1.4) }' && pass "disturb: pinned to one CPU: capacity_cpus $cap < 1.4" ||
		fail "disturb: pinned to one CPU: capacity_cpus < 1.4" "got $cap"
else
	skip "disturb: pinned capacity" "one CPU online"
fi

# (e) the series whose own tasks share a CPU by design say so: a
# dist_runq_shared row of 1 beside each repetition's dist_runq_pct in
# pipebench's cpus=same series and forkbench, and in no other series.
if [ -r /proc/self/schedstat ]; then
	"$HVB_BIN/pipebench" --quick --reps 2 --out "$T_TMP/pipe.csv" 2>"$T_TMP/err" &&
	"$HVB_BIN/forkbench" --quick --reps 2 --out "$T_TMP/pipe.csv" 2>>"$T_TMP/err" ||
		fail "disturb: pipebench, forkbench exit" "$(head -c 300 "$T_TMP/err")"
	got=$(csvq "$T_TMP/pipe.csv" '
		metric == "dist_runq_pct" { rq[bench "/" params "/" rep] = 1 }
		metric == "dist_runq_shared" { if (value == 1) sh[bench "/" params "/" rep] = 1; else bad++ }
		END { for (k in sh) if (!(k in rq)) bad++
		      for (k in rq) print k, ((k in sh) ? "shared" : "-"); if (bad) print "bad", bad }' | sort | tr '\n' ' ')
	want=$(csvq "$T_TMP/pipe.csv" 'metric == "dist_runq_pct" {
		print bench "/" params "/" rep, ((bench == "forkbench" || params ~ /cpus=same/) ? "shared" : "-") }' | sort | tr '\n' ' ')
	nsh=$(printf '%s' "$want" | grep -o ' shared' | wc -l); nno=$(printf '%s' "$want" | grep -o ' - ' | wc -l)
	[ "$got" = "$want" ] && [ "$nsh" -ge 4 ] && [ "$nno" -ge 4 ] &&
		pass "disturb: dist_runq_shared exactly in cpus=same and forkbench" ||
		fail "disturb: dist_runq_shared exactly in cpus=same and forkbench" "got '$got', want '$want'"
else
	skip "disturb: dist_runq_shared" "no /proc/self/schedstat"
fi

# (f) a CPU taken away from one thread: a real-time loop on CPU 1, on for
# about 3 ms and off for 3 (chrt -f: the guest's scheduler cannot take the
# CPU back from it, as it cannot from a host that takes a vCPU).  cpubench
# threads=2: every repetition is named, by the run-queue rule (the guest sees
# its thread wait for the RT loop) or the balance rule; without the
# run-queue rows (a host taking the vCPU leaves the guest no wait to see),
# the balance rule names at least 3 of the 6.  A run alone, in the same
# environment, has at most one of six named by it.  Needs 2 CPUs, SCHED_FIFO and RT throttling
# (sched_rt_runtime_us not -1: the loop can never take a whole CPU).
duty() { while :; do i=0; while [ $i -lt 2000 ]; do i=$((i + 1)); done; sleep 0.003; done; }
if [ "$NCPU" -ge 2 ] && [ "$(cat /proc/sys/kernel/sched_rt_runtime_us 2>/dev/null)" != -1 ] &&
	chrt -f 10 true 2>/dev/null; then
	export -f duty
	chrt -f 10 taskset -c 1 bash -c duty &
	rt=$!
	trap 'kill "$busy" "$rt" 2>/dev/null; rm -rf "$T_TMP"' EXIT
	sleep 0.2
	"$B" --kernel int --threads 2 --reps 6 --time 0.2 --out "$T_TMP/rt.csv" 2>"$T_TMP/err"
	rc=$?
	"$HVB_BIN/membench" --quick --part bandwidth --threads 2 --reps 6 --out "$T_TMP/mrt.csv" 2>>"$T_TMP/err" || rc=$?
	kill "$rt" 2>/dev/null
	wait "$rt" 2>/dev/null
	"$B" --kernel int --threads 2 --reps 6 --time 0.2 --out "$T_TMP/rt-alone.csv" 2>>"$T_TMP/err" || rc=$?
	"$HVB_BIN/membench" --quick --part bandwidth --threads 2 --reps 6 --out "$T_TMP/mrt-alone.csv" 2>>"$T_TMP/err" || rc=$?
	# one environment, two runs: the balance rule's reference is the series'
	# median over both (docs/analyzer.md)
	mkdir -p "$T_TMP/rtd/h" "$T_TMP/rtn/h" && cp "$T_TMP/rt.csv" "$T_TMP/rt-alone.csv" "$T_TMP/rtd/h/" &&
		grep -v ',dist_runq_pct,' "$T_TMP/rt.csv" >"$T_TMP/rtn/h/rt.csv" && cp "$T_TMP/rt-alone.csv" "$T_TMP/rtn/h/"
	rules() { "$HVB_BIN/analyze" -q --list-disturbed "$1" | awk -F'\t' -v f="$2" -v r="$3" '$1 ~ f && $5 ~ /threads=2/ && $6 ~ r { n++ } END { print n + 0 }'; }
	named=$(rules "$T_TMP/rtd" '/rt\.csv$' '^(balance|runq)$')
	nbal=$(rules "$T_TMP/rtn" '/rt\.csv$' '^balance$')
	alone=$(rules "$T_TMP/rtn" '/rt-alone\.csv$' '^balance$')
	bals=$(sel "$T_TMP/rt.csv" 'threads=2' dist_thread_balance info | tr '\n' ' ')
	abals=$(sel "$T_TMP/rt-alone.csv" 'threads=2' dist_thread_balance info | tr '\n' ' ')
	if [ "$rc" = 0 ] && [ "$named" = 6 ] && [ "$nbal" -ge 3 ] && [ "$alone" -le 1 ]; then
		pass "disturb: a CPU taken from one thread: 6 of 6 named; by balance alone $nbal of 6; alone $alone of 6"
	else
		fail "disturb: a CPU taken from one thread: 6 of 6 named, >= 3 by balance alone, alone <= 1" \
			"exit $rc; named $named, by balance $nbal, alone $alone; balances '$bals', alone '$abals'"
	fi
	# The same for membench threads=2 (fixed work: balance is its threads'
	# times in the kernels, fastest over slowest).
	mkdir -p "$T_TMP/mrtd/h" "$T_TMP/mrtn/h" && cp "$T_TMP/mrt.csv" "$T_TMP/mrt-alone.csv" "$T_TMP/mrtd/h/" &&
		grep -v ',dist_runq_pct,' "$T_TMP/mrt.csv" >"$T_TMP/mrtn/h/mrt.csv" && cp "$T_TMP/mrt-alone.csv" "$T_TMP/mrtn/h/"
	named=$(rules "$T_TMP/mrtd" '/mrt\.csv$' '^(balance|runq)$')
	nbal=$(rules "$T_TMP/mrtn" '/mrt\.csv$' '^balance$')
	alone=$(rules "$T_TMP/mrtn" '/mrt-alone\.csv$' '^balance$')
	bals=$(sel "$T_TMP/mrt.csv" 'threads=2' dist_thread_balance info | tr '\n' ' ')
	abals=$(sel "$T_TMP/mrt-alone.csv" 'threads=2' dist_thread_balance info | tr '\n' ' ')
	if [ "$rc" = 0 ] && [ "$named" = 6 ] && [ "$nbal" -ge 3 ] && [ "$alone" -le 1 ]; then
		pass "disturb: membench, a CPU taken from one thread: 6 of 6 named; by balance alone $nbal of 6; alone $alone of 6"
	else
		fail "disturb: membench, a CPU taken from one thread: 6 of 6 named, >= 3 by balance alone, alone <= 1" \
			"exit $rc; named $named, by balance $nbal, alone $alone; balances '$bals', alone '$abals'"
	fi
else
	skip "disturb: thread balance" "needs 2 CPUs, SCHED_FIFO and RT throttling"
fi

# --no-disturbance: the same series, no dist_* or capacity rows.
"$B" --quick --kernel int --threads 1 --reps 2 --time 0.05 --no-disturbance --out "$T_TMP/off.csv" 2>/dev/null
nd=$(csvq "$T_TMP/off.csv" 'metric ~ /^(dist_|capacity_|canary_ref)/ { n++ } END { print n + 0 }')
nok=$(csvq "$T_TMP/off.csv" 'status == "ok" { n++ } END { print n + 0 }')
[ "$nd" = 0 ] && [ "$nok" = 2 ] && pass "disturb: --no-disturbance: 2 ok rows, no disturbance rows" ||
	fail "disturb: --no-disturbance" "$nd disturbance rows, $nok ok rows"
t_done
