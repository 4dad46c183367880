#!/bin/bash
# iobench --quick for real in a scratch directory: every test has its rows,
# latency percentiles are ordered, the test file is gone afterwards, and
# SIGINT mid-run removes it too (exit 130).
. "$(dirname "$0")/../lib.sh"
B=$HVB_BIN/iobench
out=$T_TMP/io.csv
D=$T_TMP/dir
mkdir -p "$D"


t0=$(date +%s.%N)
"$B" --quick --dir "$D" --out "$out" 2>"$T_TMP/err"
rc=$?
secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
[ $rc -eq 0 ] && pass "io quick exit 0" || fail "io quick exit 0" "exit $rc: $(head -c 300 "$T_TMP/err")"
if awk -v s="$secs" 'BEGIN { exit !(s < 30) }'; then pass "io quick under 30 s ($secs s)"; else fail "io quick duration" "$secs s"; fi
left=$(ls -A "$D")
[ -z "$left" ] && pass "io test file removed" || fail "io test file removed" "left: $left"

for op in seqwrite seqread; do
	n_in "io $op: 3 plausible MB_per_s" 3 0.01 1e6 "$(sel "$out" "op=$op;size_mb=64\$" MB_per_s ok)"
done
for op in randread randwrite fsync; do
	n_in "io $op: 3 plausible iops" 3 0.1 1e8 "$(sel "$out" "op=$op;qd=1;size_mb=64\$" iops ok)"
	# p50 <= p99 <= p99.9, per repetition.
	paste <(sel "$out" "op=$op;qd=1;" lat_p50_us ok) <(sel "$out" "op=$op;qd=1;" lat_p99_us ok) \
		<(sel "$out" "op=$op;qd=1;" lat_p999_us ok) >"$T_TMP/p"
	if [ "$(wc -l <"$T_TMP/p")" -eq 3 ] && awk '!($1 > 0 && $1 <= $2 && $2 <= $3) { bad = 1 } END { exit bad }' "$T_TMP/p"; then
		pass "io $op: percentiles present and ordered"
	else
		fail "io $op percentiles" "$(tr '\n' ' ' <"$T_TMP/p")"
	fi
done
info_rows io "$out" fs_type cache_mode io_buffer read_settle_s fs_free_mb file_mb clocksource_before

# --settle S: each timed read starts S s after its write ended.  Two
# repetitions of an 8 MiB file with --settle 1.5 wait 3 s in all, however
# fast the disk (a lower bound on a sleep, not a speed); with --settle 0 the
# same run has no such wait.  The read_settle_s info row holds the value.
settle_run() { # SETTLE -> wall seconds; the CSV in $T_TMP/settle-SETTLE.csv
	local a
	a=$(date +%s.%N)
	"$B" --dir "$D" --size-mb 8 --runtime 0.01 --reps 2 --warmup 0 --settle "$1" \
		--out "$T_TMP/settle-$1.csv" 2>/dev/null || { echo "exit $?"; return; }
	awk -v a="$a" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'
}
s15=$(settle_run 1.5)
s0=$(settle_run 0)
# A failed run prints "exit N", which is no duration (and no pass).
if awk -v s="$s15" 'BEGIN { exit !(s ~ /^[0-9.]+$/ && s + 0 >= 3.0) }'; then pass "io --settle 1.5: two reads waited 3 s ($s15 s)"
else fail "io --settle 1.5 waits" "run: $s15, expected >= 3.0 s"; fi
if awk -v s="$s0" 'BEGIN { exit !(s ~ /^[0-9.]+$/ && s + 0 < 3.0) }'; then pass "io --settle 0: no wait ($s0 s)"
else fail "io --settle 0" "run: $s0, expected < 3.0 s"; fi
for v in 1.5 0; do
	got=$(csvq "$T_TMP/settle-$v.csv" 'metric == "read_settle_s" && status == "info" { print value }')
	[ "$got" = "$v" ] && pass "io info read_settle_s = $v" || fail "io info read_settle_s" "'$got', expected $v"
	n_in "io --settle $v: 2 seqread rows" 2 0.01 1e6 "$(sel "$T_TMP/settle-$v.csv" "op=seqread;size_mb=8\$" MB_per_s ok)"
done
"$B" --dir "$D" --settle 61 >/dev/null 2>"$T_TMP/err"
rc=$?
if [ $rc -eq 2 ] && [ "$(cat "$T_TMP/err")" = "iobench: --settle: 61 is out of range 0..60" ]; then
	pass "io --settle 61 refused (exit 2, names the range)"
else fail "io --settle 61" "exit $rc: $(cat "$T_TMP/err")"; fi

# SIGINT in the middle: exit 130, rows so far kept, file removed.
"$B" --dir "$D" --size-mb 32 --runtime 30 --reps 1 --warmup 0 --out "$T_TMP/int.csv" 2>/dev/null &
pid=$!
for _ in $(seq 100); do
	grep -q 'op=seqread' "$T_TMP/int.csv" 2>/dev/null && break
	sleep 0.1
done
had=$(ls -A "$D")
kill -INT $pid
wait $pid
rc=$?
left=$(ls -A "$D")
if [ $rc -eq 130 ] && [ -n "$had" ] && [ -z "$left" ]; then
	pass "io SIGINT: exit 130, file $had removed"
else
	fail "io SIGINT" "exit $rc, file before '$had', after '$left'"
fi
sel "$T_TMP/int.csv" 'op=seqwrite' MB_per_s ok | grep -q . && pass "io SIGINT: earlier rows kept" ||
	fail "io SIGINT rows kept" "no seqwrite row"

"$B" --dir "$T_TMP/does-not-exist" --quick >/dev/null 2>"$T_TMP/err"
rc=$?
if [ $rc -ne 0 ] && grep -q "does-not-exist" "$T_TMP/err"; then pass "io missing --dir refused (exit $rc)"
else fail "io missing --dir" "exit $rc"; fi
t_done
