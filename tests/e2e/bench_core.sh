#!/bin/bash
# End-to-end: the harness, forkbench, pipebench and bin/hvbench as a user runs
# them: real static binaries, their CSV read back by an independent parser
# (tests/hvbcsv.py), bad input, appending, signals, a process limit.
. "$(dirname "$0")/../lib.sh"
CSV="$PY $HVB_TOP/tests/hvbcsv.py"
B=$HVB_BIN

# --- static binaries (the normal build; SAN=1 builds dynamic ones on purpose)
for b in forkbench pipebench nullbench hvbench; do
	if file "$HVB_STATIC_BIN/$b" | grep -q "statically linked"; then pass "static $b"; else fail "static $b" "$(file "$HVB_STATIC_BIN/$b")"; fi
done

# --- forkbench quick: valid CSV, sum against the closed form, info rows
"$B/forkbench" --quick --start 1 --end 100 > "$T_TMP/f.csv"; rc=$?
[ $rc -eq 0 ] && pass "forkbench exit 0" || fail "forkbench exit 0" "rc=$rc"
check "forkbench CSV valid" $CSV check "$T_TMP/f.csv"
sums=$($CSV get "$T_TMP/f.csv" value metric=sum | sort -u)
[ "$sums" = "5050" ] && pass "forkbench sum 1..100 = 5050" || fail "forkbench sum" "got '$sums'"
forks=$($CSV get "$T_TMP/f.csv" value metric=forks | sort -u)
[ "$forks" = "198" ] && pass "forkbench forks = 2(n-1)" || fail "forkbench forks" "got '$forks'"
n=$($CSV count "$T_TMP/f.csv" metric=forks_per_s status=ok)
[ "$n" = 3 ] && pass "forkbench --quick: 3 reps" || fail "forkbench reps" "got $n ok rows"
bad=$($CSV get "$T_TMP/f.csv" value metric=forks_per_s status=ok | awk '$1 <= 0 || $1 > 1e7')
[ -z "$bad" ] && pass "forks_per_s in (0, 1e7]" || fail "forks_per_s range" "$bad"
for fact in cpu_model cpus_online mem_total_mb kernel os clocksource_before clocksource_after \
	tsc_invariant timer_resolution_ns timer_cost_ns steal_pct cpuid_hv_signature suite_version build; do
	c=$($CSV count "$T_TMP/f.csv" status=info metric=$fact)
	[ "$c" -ge 1 ] && pass "info row $fact" || fail "info row $fact" "missing"
done
c=$($CSV count "$T_TMP/f.csv" params="end=100;start=1" metric=fork_us better=lower unit=us status=ok)
[ "$c" = 3 ] && pass "fork_us rows with params end=100;start=1" || fail "fork_us rows" "got $c"

# --- the machine row: HVB_MACHINE and --machine (which wins), none without
HVB_MACHINE=box-a "$B/nullbench" --reps 1 > "$T_TMP/m1.csv"
HVB_MACHINE=box-a "$B/hvbench" null --reps 1 --machine 'box "b", rack 2' > "$T_TMP/m2.csv"
"$B/nullbench" --reps 1 > "$T_TMP/m3.csv"
m1=$($CSV get "$T_TMP/m1.csv" note bench=hvbench metric=machine status=info value=)
m2=$($CSV get "$T_TMP/m2.csv" note bench=hvbench metric=machine status=info value=)
m3=$($CSV count "$T_TMP/m3.csv" metric=machine)
[ "$m1" = box-a ] && pass "HVB_MACHINE gives the machine info row" || fail "HVB_MACHINE machine row" "got '$m1'"
[ "$m2" = 'box "b", rack 2' ] && pass "--machine wins over HVB_MACHINE, note quoted" || fail "--machine machine row" "got '$m2'"
[ "$m3" = 0 ] && pass "no machine row unless named" || fail "no machine row unless named" "$m3 rows"

# --- pipebench quick
"$B/pipebench" --quick --rounds 500 --bw-mb 8 > "$T_TMP/p.csv"; rc=$?
[ $rc -eq 0 ] && pass "pipebench exit 0" || fail "pipebench exit 0" "rc=$rc"
check "pipebench CSV valid" $CSV check "$T_TMP/p.csv"
for m in rtt_us rtt_mean_us rtt_p99_us ctxsw_per_s pipe_MB_per_s; do
	c=$($CSV count "$T_TMP/p.csv" metric=$m status=ok)
	[ "$c" -ge 3 ] && pass "pipebench $m present" || fail "pipebench $m" "only $c ok rows"
done
bad=$($CSV get "$T_TMP/p.csv" value metric=rtt_us status=ok | awk '$1 <= 0 || $1 > 100000')
[ -z "$bad" ] && pass "rtt_us in (0, 100 ms]" || fail "rtt_us range" "$bad"
for p in any same cross; do
	c=$($CSV count "$T_TMP/p.csv" metric=rtt_us params="cpus=$p;size=1")
	[ "$c" -ge 1 ] && pass "pipebench placement $p" || fail "pipebench placement $p" "no rows"
done

# --- bad input: clear message, exit 2, nothing on stdout
for args in "--bogus" "--reps 0" "--reps abc" "--end" "stray"; do
	# shellcheck disable=SC2086
	"$B/forkbench" $args > "$T_TMP/o" 2> "$T_TMP/e"; rc=$?
	if [ $rc -eq 2 ] && [ ! -s "$T_TMP/o" ] && grep -q "^forkbench: " "$T_TMP/e"; then pass "bad input '$args'"
	else fail "bad input '$args'" "rc=$rc stdout=$(head -c 80 "$T_TMP/o") stderr=$(cat "$T_TMP/e")"; fi
done
"$B/nullbench" --out /nonexistent/dir/x.csv 2> "$T_TMP/e"; rc=$?
[ $rc -eq 3 ] && grep -q "/nonexistent/dir/x.csv" "$T_TMP/e" && pass "unwritable --out: exit 3, names the file" || fail "unwritable --out" "rc=$rc $(cat "$T_TMP/e")"

# --- --out appends without repeating the header; refuses a foreign header
"$B/nullbench" --reps 2 --out "$T_TMP/a.csv" && "$B/nullbench" --reps 2 --out "$T_TMP/a.csv"
h=$(grep -c '^schema,' "$T_TMP/a.csv"); c=$($CSV count "$T_TMP/a.csv" metric=null_value status=ok)
[ "$h" = 1 ] && [ "$c" = 4 ] && pass "--out appends (1 header, 4 rows)" || fail "--out append" "headers=$h rows=$c"
printf 'a,b,c\n1,2,3\n' > "$T_TMP/foreign.csv"; cp "$T_TMP/foreign.csv" "$T_TMP/foreign.orig"
"$B/nullbench" --out "$T_TMP/foreign.csv" 2> "$T_TMP/e"; rc=$?
[ $rc -eq 3 ] && cmp -s "$T_TMP/foreign.csv" "$T_TMP/foreign.orig" && pass "foreign header refused, file untouched" || fail "foreign header" "rc=$rc"

# --- environment label and escaping
HVB_ENV='lab "A", rack 3' "$B/nullbench" --reps 1 > "$T_TMP/env.csv"
e=$($CSV get "$T_TMP/env.csv" env metric=null_value)
[ "$e" = 'lab "A", rack 3' ] && pass "HVB_ENV with quotes and comma round-trips" || fail "HVB_ENV escaping" "got [$e]"
check "escaped CSV valid" $CSV check "$T_TMP/env.csv"
"$B/nullbench" --reps 1 --env "$(printf 'two\nlines')" > "$T_TMP/nl.csv"
e=$($CSV get "$T_TMP/nl.csv" env metric=null_value)
[ "$e" = 'two\nlines' ] && pass "--env with newline round-trips" || fail "newline env" "got [$e]"

# --- a fail row keeps the run going, exit 1
"$B/nullbench" --reps 3 --fail-rep 2 > "$T_TMP/fr.csv"; rc=$?
ok=$($CSV count "$T_TMP/fr.csv" metric=null_value status=ok); fl=$($CSV count "$T_TMP/fr.csv" metric=null_value status=fail rep=2)
[ $rc -eq 1 ] && [ "$ok" = 2 ] && [ "$fl" = 1 ] && pass "fail row: exit 1, other reps kept" || fail "fail row" "rc=$rc ok=$ok fail=$fl"

# --- SIGTERM: exit 130, rows so far kept, every line whole
"$B/nullbench" --reps 1000 --sleep-ms 50 --out "$T_TMP/sig.csv" 2>/dev/null & pid=$!
sleep 1; kill -TERM $pid; wait $pid; rc=$?
c=$($CSV count "$T_TMP/sig.csv" metric=null_value status=ok)
[ $rc -eq 130 ] && [ "$c" -ge 3 ] && [ "$c" -lt 1000 ] && pass "SIGTERM: exit 130, $c rows kept" || fail "SIGTERM" "rc=$rc rows=$c"
check "interrupted CSV still valid" $CSV check "$T_TMP/sig.csv"

# --- process limit: as an unprivileged user (root ignores RLIMIT_NPROC)
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	chmod 755 "$T_TMP"
	# forkbench bounds its live processes by what RLIMIT_NPROC leaves
	# (tests/e2e/harden_fork.sh), so a limit of 48 no longer fails 1..1024:
	# 20 leaves too few to run at all.  `timeout` guards against a hang
	# (exit 124), no clock is read.
	timeout 120 setpriv --reuid=65534 --regid=65534 --clear-groups bash -c "ulimit -u 20; exec '$B/forkbench' --end 1024 --retry-ms 500 --reps 2" > "$T_TMP/lim.csv" 2>/dev/null; rc=$?
	note=$($CSV get "$T_TMP/lim.csv" note metric=forks_per_s status=fail)
	[ $rc -eq 1 ] && [ -n "$note" ] && pass "process limit: fail row ($note)" || fail "process limit" "rc=$rc note=$note"
	case "$note" in *"processes may be started (RLIMIT_NPROC"*) pass "process limit: reason is RLIMIT_NPROC";; *) fail "process limit reason" "$note";; esac
	[ $rc -ne 124 ] && pass "process limit: no hang" || fail "process limit hang" "still running after 120 s"
	c=$($CSV count "$T_TMP/lim.csv" metric=forks_per_s status=ok)
	[ "$c" = 0 ] && pass "process limit: no wrong number" || fail "process limit number" "$c ok rows"
	sleep 0.5
	left=$(ps -u 65534 -o pid=,stat=,comm= | grep -c forkbench)
	[ "$left" = 0 ] && pass "process limit: no processes or zombies left" || fail "process limit leftovers" "$(ps -u 65534 -o pid=,stat=,comm=)"
else
	skip "process limit" "needs root and setpriv to become an unprivileged user"
fi

# --- hvbench: list, one benchmark by alias, detect, run --quick
"$B/hvbench" list > "$T_TMP/list"
for b in forkbench pipebench; do grep -q "^$b " "$T_TMP/list" && pass "hvbench list has $b" || fail "hvbench list $b" "$(cat "$T_TMP/list")"; done
"$B/hvbench" fork --quick --end 64 > "$T_TMP/hf.csv" && [ "$($CSV get "$T_TMP/hf.csv" value metric=sum | sort -u)" = 2080 ] \
	&& pass "hvbench fork (alias)" || fail "hvbench fork" "$(head -3 "$T_TMP/hf.csv")"
"$B/hvbench" nosuch 2> "$T_TMP/e"; rc=$?
[ $rc -eq 2 ] && grep -q nosuch "$T_TMP/e" && pass "hvbench unknown command" || fail "hvbench unknown command" "rc=$rc"
"$B/hvbench" detect --root "$HVB_TOP/tests/fixtures/detect/virtualbox-kvm-paravirt" --cpuid 1:KVMKVMKVM > "$T_TMP/d"
grep -q '^virt=virtualbox$' "$T_TMP/d" && grep -q 'DMI decides' "$T_TMP/d" && pass "hvbench detect on a fixture" || fail "hvbench detect fixture" "$(cat "$T_TMP/d")"
HVB_DETECT_ROOT="$HVB_TOP/tests/fixtures/detect/vmware" HVB_CPUID=1:VMwareVMware "$B/nullbench" --reps 1 > "$T_TMP/vm.csv"
[ "$($CSV get "$T_TMP/vm.csv" virt metric=null_value)" = vmware ] && [ "$($CSV get "$T_TMP/vm.csv" env metric=null_value)" = vmware ] \
	&& pass "injected detection reaches the CSV (virt, default env)" || fail "injected detection" "$(tail -1 "$T_TMP/vm.csv")"
live=$("$B/hvbench" detect | sed -n 's/^virt=//p'); livec=$("$B/hvbench" detect | sed -n 's/^container=//p')
if grep -q hypervisor /proc/cpuinfo; then
	[ "$live" != none ] && pass "live detection sees the hypervisor ($live)" || fail "live detection" "virt=none on a CPU with the hypervisor flag"
fi
if [ -e /.dockerenv ]; then
	[ "$livec" = docker ] && pass "live detection sees /.dockerenv" || fail "live container" "$livec"
fi
t0=$(date +%s)
"$B/hvbench" run --quick --reps 1 --warmup 0 --out "$T_TMP/run.csv" 2> "$T_TMP/run.err"; rc=$?
t1=$(date +%s)
check "hvbench run CSV valid" $CSV check "$T_TMP/run.csv"
for b in forkbench pipebench; do
	c=$($CSV count "$T_TMP/run.csv" bench=$b status=ok)
	[ "$c" -ge 1 ] && pass "hvbench run includes $b" || fail "hvbench run $b" "no ok rows"
done
c=$($CSV count "$T_TMP/run.csv" bench=nullbench)
[ "$c" = 0 ] && pass "hvbench run leaves out nullbench" || fail "nullbench in run" "$c rows"
runs=$($CSV get "$T_TMP/run.csv" run | sort -u | wc -l)
[ "$runs" = 1 ] && pass "hvbench run: one run id" || fail "run ids" "$runs"
echo "hvbench run --quick --reps 1: rc=$rc, $((t1 - t0)) s"
t_done
