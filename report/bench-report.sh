#!/bin/bash
# bench-report.sh - `make bench-report`: the report's run time on a generated campaign of
# 7 benchmarks x 4 environments x 10 repetitions (tests/fixtures/report/gen_campaign.py):
# the full report (HTML with every gnuplot chart inline, through one gnuplot process) and
# the XLSX workbook, as one analyze run.  Prints the best wall time of 3 runs; target < 3 s.
set -eu
: "${HVB_TOP:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${HVB_BIN:=$HVB_TOP/bin}"
A=$HVB_BIN/analyze
command -v gnuplot >/dev/null || { echo "bench-report: gnuplot not installed (Debian gnuplot-nox): the timing would leave out the charts" >&2; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bench-report.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
python3 "$HVB_TOP/tests/fixtures/report/gen_campaign.py" "$TMP/data" 10
rows=$(cat "$TMP"/data/*/*.csv | grep -vc '^schema,')
best=
for _ in 1 2 3; do
	t0=$(date +%s.%N)
	"$A" "$TMP/data" -o "$TMP/report.html" --xlsx "$TMP/report.xlsx"
	t1=$(date +%s.%N)
	best=$(awk -v a="$t0" -v b="$t1" -v best="$best" 'BEGIN { t = b - a; if (best == "" || t < best + 0) print t; else print best }')
done
charts=$(grep -c '<svg' "$TMP/report.html")
printf 'bench-report: 7 benchmarks x 4 environments x 10 reps (%s rows): HTML %s KB with %s inline charts + XLSX %s KB\n' \
	"$rows" $(( $(stat -c %s "$TMP/report.html") / 1024 )) "$charts" $(( $(stat -c %s "$TMP/report.xlsx") / 1024 ))
printf 'bench-report: best of 3: %.2f s (target < 3 s) %s\n' "$best" \
	"$(awk -v t="$best" 'BEGIN { print (t < 3 ? "OK" : "SLOW") }')"
