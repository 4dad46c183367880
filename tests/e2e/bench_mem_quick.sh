#!/bin/bash
# membench --quick for real: every STREAM kernel with 1 and all threads, the
# best-of rows, latency at several sizes, info rows; values plausible.
. "$(dirname "$0")/../lib.sh"
B=$HVB_BIN/membench
out=$T_TMP/mem.csv
NCPU=$(nproc)

# sel FILE PARAMS_REGEX METRIC STATUS: values of matching rows, one a line.

t0=$(date +%s.%N)
"$B" --quick --out "$out" 2>"$T_TMP/err"
rc=$?
t1=$(date +%s.%N)
[ $rc -eq 0 ] && pass "mem quick exit 0" || fail "mem quick exit 0" "exit $rc: $(head -c 300 "$T_TMP/err")"
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
if awk -v s="$secs" 'BEGIN { exit !(s < 20) }'; then pass "mem quick under 20 s ($secs s)"; else fail "mem quick duration" "$secs s"; fi

thr="1"
[ "$NCPU" -gt 1 ] && thr="1 all"
for t in $thr; do
	for k in copy memcpy scale add triad; do
		vals=$(sel "$out" "^threads=$t\$" "${k}_MB_per_s" ok)
		n=$(echo "$vals" | grep -c .)
		best=$(sel "$out" "^threads=$t\$" "${k}_best_MB_per_s" ok)
		# 3 reps, each between 100 MB/s and 10 TB/s; best is the largest rep.
		if [ "$n" -eq 3 ] && echo "$vals" | awk '$1 < 100 || $1 > 1e7 { bad = 1 } END { exit bad }'; then
			pass "mem $k threads=$t: 3 plausible reps"
		else
			fail "mem $k threads=$t" "reps: $(echo $vals)"
		fi
		mx=$(echo "$vals" | sort -g | tail -1)
		if [ -n "$best" ] && [ "$best" = "$mx" ]; then pass "mem ${k}_best threads=$t is the best rep"
		else fail "mem ${k}_best threads=$t" "best '$best' max rep '$mx'"; fi
	done
done

l1=$(sel "$out" '^level=l1$' latency_ns ok | sort -g | head -1)
# The largest working set measured (64 MiB under --quick, less with small caches):
# its level and size are in the working_set_kb info rows.
read -r maxkb maxlv < <(csvq "$out" 'metric == "working_set_kb" && status == "info" { print value, params }' | sort -g | tail -1)
big=$(sel "$out" "^$maxlv\$" latency_ns ok | sort -g | head -1)
nlat=$(sel "$out" '^level=' latency_ns ok | grep -c .)
if [ "$nlat" -ge 6 ]; then pass "mem latency rows at >= 2 sizes ($nlat)"; else fail "mem latency rows" "$nlat"; fi
# An L1 hit costs 0.2-10 ns; a random load over the largest set costs more.
if [ -n "$l1" ] && [ -n "$big" ] && awk -v a="$l1" -v b="$big" 'BEGIN { exit !(a > 0.2 && a < 10 && b > a && b < 10000) }'; then
	pass "mem latency plausible (l1 $l1 ns, $maxkb KiB $big ns)"
else
	fail "mem latency plausible" "l1 '$l1' $maxkb KiB '$big'"
fi

info_rows mem "$out" cache_llc_bytes cache_source array_mb cpu_model clocksource_before steal_pct
if grep -q ',fail,' "$out"; then fail "mem no fail rows" "$(grep ',fail,' "$out" | head -2)"; else pass "mem no fail rows"; fi

# Bad values are usage errors (exit 2); an unknown --part is refused.
"$HVB_BIN/membench" --array-mb -1 >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] && pass "mem --array-mb -1 is a usage error" || fail "mem --array-mb -1" "exit $rc"
"$HVB_BIN/membench" --part nonsense --quick >"$T_TMP/out" 2>"$T_TMP/err"
rc=$?
if [ $rc -eq 2 ] && [ ! -s "$T_TMP/out" ] && grep -q "nonsense" "$T_TMP/err"; then pass "mem --part nonsense refused"; else fail "mem --part nonsense" "exit $rc (want 2), $(wc -c <"$T_TMP/out") bytes on stdout (want 0)"; fi
t_done
