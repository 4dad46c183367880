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
info_rows io "$out" fs_type cache_mode io_buffer fs_free_mb file_mb clocksource_before

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
