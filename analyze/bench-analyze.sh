#!/bin/bash
# bench-analyze.sh ANALYZE - `make bench-analyze` (design.md asks the analyzer to keep up with datamash):
# generates a campaign of 1,000,000 ok rows (5 envs x 20 metrics x 10,000
# samples) and times, side by side on the same file, `analyze --summary-csv`
# (statistics, CIs, Welch and Mann-Whitney tests, ranking, warnings) and GNU
# datamash computing per-group count, mean, sstdev and median.  Each runs 3
# times, alternating; the median wall time and the peak RSS (from
# /usr/bin/time -v) are printed with the ratio, and checked against the
# issue's bar: the analyzer no slower than datamash, peak memory < 200 MB.
# It also checks that both agree on every group's count and mean.
# BENCH_GEN_ONLY=1: only generate the campaign (BENCH_DIR, ROWS_PER).
set -u
A=${1:-bin/analyze}
W=${BENCH_DIR:-build/bench-analyze}
ROWS_PER=${ROWS_PER:-10000}
mkdir -p "$W"
for t in datamash /usr/bin/time; do
	command -v "$t" >/dev/null || { echo "bench-analyze: $t not found (make deps: datamash, time)" >&2; exit 2; }
done
F=$W/campaign.csv
if [ ! -s "$F" ] || [ "$(cat "$W/rows_per" 2>/dev/null)" != "$ROWS_PER" ]; then
	echo "generating $((5 * 20 * ROWS_PER)) rows into $F ..."
	awk -v n="$ROWS_PER" -f "$(dirname "$0")/gen-rows.awk" > "$F"
	echo "$ROWS_PER" > "$W/rows_per"
fi
rows=$(($(wc -l < "$F") - 1))
bytes=$(wc -c < "$F")
[ "${BENCH_GEN_ONLY:-0}" = 1 ] && { echo "$F: $rows rows, $bytes bytes"; exit 0; }

run_timed() { # out-prefix cmd...
	local p=$1; shift
	/usr/bin/time -v -o "$p.time" "$@" > "$p.out" 2>"$p.err"
	local rc=$?
	[ $rc = 0 ] || { echo "bench-analyze: '$*' failed (exit $rc): $(head -3 "$p.err")" >&2; exit 1; }
	awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
		/User time|System time/ { cpu += $2 }
		/Maximum resident set size/ { rss = $2 } END { printf "%.3f %d %.2f\n", wall, rss, cpu }' "$p.time"
}
A_T=(); D_T=(); A_C=(); D_C=(); A_R=0; D_R=0
for _ in 1 2 3; do
	read -r t r c < <(run_timed "$W/analyze" "$A" -q --summary-csv "$W/summary.csv" "$F")
	A_T+=("$t"); A_C+=("$c"); [ "$r" -gt "$A_R" ] && A_R=$r
	read -r t r c < <(run_timed "$W/datamash" datamash -t, --header-in -s -g 4,8,9,10 count 14 mean 14 sstdev 14 median 14 < "$F")
	D_T+=("$t"); D_C+=("$c"); [ "$r" -gt "$D_R" ] && D_R=$r
done
# re-run datamash once more to keep its output (run_timed reads stdin from $F)
datamash -t, --header-in -s -g 4,8,9,10 count 14 mean 14 sstdev 14 median 14 < "$F" > "$W/datamash.out"
med() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
at=$(med "${A_T[@]}"); dt=$(med "${D_T[@]}")
ac=$(med "${A_C[@]}"); dc=$(med "${D_C[@]}")

# Agreement: same groups, same counts, means equal to 1e-9 relative.
agree=$(awk -F, 'NR == FNR { if (FNR > 1) { k = $1 "|" $2 "|" $3 "|" $4; n[k] = $8; m[k] = $11 }; next }
	{ k = $1 "|" $2 "|" $3 "|" $4; g++; d = $6 - m[k]; if (d < 0) d = -d
	  if (!(k in n) || n[k] != $5 || d > 1e-9 * ($6 < 0 ? -$6 : $6)) bad++ }
	END { printf "%d groups, %d disagree", g, bad }' "$W/summary.csv" "$W/datamash.out")

echo
echo "bench-analyze: $rows rows, $((bytes / 1000000)) MB, 5 envs x 20 metrics x $ROWS_PER samples"
echo "  (load average now: $(cut -d' ' -f1-3 /proc/loadavg); CPU = user + system time)"
printf '  %-44s wall %7s s  CPU %6s s  (runs: %s)  peak RSS %6.1f MB\n' "analyze -q --summary-csv" "$at" "$ac" "${A_T[*]}" "$(echo "$A_R" | awk '{print $1/1024}')"
printf '  %-44s wall %7s s  CPU %6s s  (runs: %s)  peak RSS %6.1f MB\n' "datamash -s -g 4,8,9,10 count mean sstdev median" "$dt" "$dc" "${D_T[*]}" "$(echo "$D_R" | awk '{print $1/1024}')"
ratio=$(awk -v a="$at" -v d="$dt" 'BEGIN { printf "%.2f", a / d }')
cratio=$(awk -v a="$ac" -v d="$dc" 'BEGIN { printf "%.2f", a / d }')
echo "  ratio analyze / datamash: wall $ratio, CPU $cratio   (results agree: $agree)"
ok=1
awk -v r="$ratio" -v c="$cratio" 'BEGIN { exit !(r <= 1.0 && c <= 1.0) }' || { echo "  NOT MET: the analyzer is slower than datamash"; ok=0; }
[ "$A_R" -lt $((200 * 1024)) ] || { echo "  NOT MET: peak RSS $A_R kB is not under 200 MB"; ok=0; }
case $agree in *", 0 disagree") ;; *) echo "  NOT MET: the analyzer and datamash disagree"; ok=0 ;; esac
[ $ok = 1 ] && echo "  met: no slower than datamash, peak RSS under 200 MB, same counts and means"
[ $ok = 1 ]
