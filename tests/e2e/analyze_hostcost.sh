#!/bin/bash
# analyze_hostcost.sh - the analyzer reads collect's sidecars beside each
# CSV as the environment's cost on the host: on the real sample campaign the
# figures (per run and per benchmark) must match an independent awk
# computation over the same files;
# they appear in the text summary, the HTML environments table and the XLSX;
# a guest clock made 10% slow in a copy of the record is warned about; a
# damaged telemetry line is named (file:line) and nothing else is lost;
# --no-sidecars leaves them out.
. "$(dirname "$0")/../lib.sh"
A=$HVB_BIN/analyze
S=$HVB_TOP/tests/fixtures/sample-1run
tsv=$(ls "$S"/qemu-tcg/*.host.tsv)
meta=$(ls "$S"/qemu-tcg/*.meta)

"$A" -q --json "$T_TMP/m.json" --text "$S" >"$T_TMP/text" 2>"$T_TMP/err"; rc=$?
[ $rc = 0 ] && pass hostcost-sample-reads || fail hostcost-sample-reads "rc $rc: $(head -3 "$T_TMP/err")"

# Independent: awk over the telemetry and the record.
want_mean=$(awk -F'\t' 'NR > 1 { s += $3; n++ } END { printf "%.6f", s / n }' "$tsv")
want_n=$(($(wc -l <"$tsv") - 1))
want_max=$(awk -F'\t' 'NR > 1 && $3 > m { m = $3 } END { printf "%.6f", m }' "$tsv")
want_mem=$(awk -F'\t' 'NR == 2 { f = $8 } NR > 1 && $8 > p { p = $8 } END { print p - f }' "$tsv")
want_skew=$(awk -F= '$1 ~ /^bench\..*\.host_wall_s$/ { h += $2 } $1 ~ /^bench\..*\.guest_wall_s$/ { g += $2 }
	END { printf "%.6f", (g - h) / h * 100 }' "$meta")
want_wall=$(sed -n 's/^wall_s=//p' "$meta")
got=$(jq -r '.envs[] | select(.env == "qemu-tcg") |
	[.host_runs, (.host_busy_mean_pct * 1e6 | round / 1e6), .host_busy_max_pct, .host_mem_taken_mb,
	 (.clock_skew_pct * 1e6 | round / 1e6), .clock_benches, .host_wall_s] | @tsv' "$T_TMP/m.json")
set -- $got
[ "$1" = 1 ] && pass hostcost-sample-one-run || fail hostcost-sample-one-run "runs '$1'"
awk -v a="$2" -v b="$want_mean" 'BEGIN { exit !(a - b < 1e-5 && b - a < 1e-5) }' \
	&& pass hostcost-sample-busy-mean || fail hostcost-sample-busy-mean "analyze $2, awk $want_mean"
awk -v a="$3" -v b="$want_max" 'BEGIN { exit !(a == b) }' \
	&& pass hostcost-sample-busy-max || fail hostcost-sample-busy-max "analyze $3, awk $want_max"
[ "$4" = "$want_mem" ] && pass hostcost-sample-mem || fail hostcost-sample-mem "analyze $4, awk $want_mem"
awk -v a="$5" -v b="$want_skew" 'BEGIN { exit !(a - b < 1e-5 && b - a < 1e-5) }' \
	&& pass hostcost-sample-clock || fail hostcost-sample-clock "analyze $5, awk $want_skew"
[ "$6" = 7 ] && pass hostcost-sample-clock-benches || fail hostcost-sample-clock-benches "$6 benchmarks"
[ "$7" = "$want_wall" ] && pass hostcost-sample-wall || fail hostcost-sample-wall "analyze $7, .meta $want_wall"
n=$(jq --arg t "$tsv" '.host_runs[] | select(.telemetry == $t) | .samples' "$T_TMP/m.json")
[ "$n" = "$want_n" ] && pass hostcost-sample-samples || fail hostcost-sample-samples "analyze $n, lines $want_n"
h=$(jq --arg t "$tsv" -r '.host_runs[] | select(.telemetry == $t) | .telemetry_sha256' "$T_TMP/m.json")
[ "$h" = "$(sha256sum <"$tsv" | cut -d' ' -f1)" ] && pass hostcost-sample-sha256 || fail hostcost-sample-sha256 "model $h"
# The host environment has telemetry but no guest clock to check.
jq -e '.envs[] | select(.env == "host") | .host_runs == 1 and .clock_skew_pct == null and .host_busy_mean_pct > 0' \
	"$T_TMP/m.json" >/dev/null && pass hostcost-sample-host || fail hostcost-sample-host "$(jq -c '.envs[] | select(.env == "host")' "$T_TMP/m.json")"
# Per benchmark: iobench's window is its first to last row's time; the
# telemetry lines whose utc falls in (first, last] (ISO times sort as text).
csv=$(ls "$S"/qemu-tcg/*.csv)
win=$(csvq "$csv" 'bench == "iobench" { if (!a || time < a) a = time; if (time > b) b = time } END { print a, b }')
want_io=$(awk -F'\t' -v a="${win% *}" -v b="${win#* }" 'NR > 1 && $1 > a && $1 <= b { s += $3; n++ }
	END { printf "%.6f %d", s / n, n }' "$tsv")
got_io=$(jq -r '(.bench_costs[] | select(.env == "qemu-tcg" and .bench == "iobench") | .busy_mean_pct * 1e6 | round / 1e6 | tostring)
	+ " " + (.host_runs[] | select(.env == "qemu-tcg") | .benches[] | select(.bench == "iobench") | .samples | tostring)' "$T_TMP/m.json")
awk -v a="${got_io% *}" -v b="${want_io% *}" 'BEGIN { exit !(a - b < 1e-5 && b - a < 1e-5) }' && [ "${got_io#* }" = "${want_io#* }" ] \
	&& pass hostcost-bench-busy || fail hostcost-bench-busy "analyze $got_io, awk $want_io (window $win)"
tw=$(awk -v w="$want_wall" 'BEGIN { printf "%g", w }')   # the text table's %g
grep -q '^host cost:' "$T_TMP/text" && grep -Eq "^  qemu-tcg +1 +${tw/./\\.} " "$T_TMP/text" \
	&& pass hostcost-text || fail hostcost-text "$(grep -A4 '^host cost' "$T_TMP/text")"
jq -e '[.warnings[] | select(.kind == "clock" or .kind == "telemetry" or .kind == "collect")] | length == 0' \
	"$T_TMP/m.json" >/dev/null && pass hostcost-sample-no-false-warning \
	|| fail hostcost-sample-no-false-warning "$(jq -c '[.warnings[] | select(.kind == "clock" or .kind == "telemetry" or .kind == "collect")]' "$T_TMP/m.json")"

# HTML and XLSX.
"$A" -q -o "$T_TMP/r.html" --xlsx "$T_TMP/r.xlsx" "$S" 2>"$T_TMP/err"; rc=$?
if [ $rc = 0 ] && grep -q '<th>host CPU busy during the run, mean / max %</th>' "$T_TMP/r.html" &&
	grep -q "<code>$tsv</code>" "$T_TMP/r.html" && grep -q 'host telemetry, '"$want_n"' samples' "$T_TMP/r.html" &&
	grep -q '<h3>Host CPU during each benchmark</h3>' "$T_TMP/r.html" && grep -q '<tr><th>iobench</th>' "$T_TMP/r.html" &&
	grep -q '<th>host CPU per run</th>' "$T_TMP/r.html" && grep -Eq '>[0-9.]+ CPU-s \(×[0-9.]+\)</td>' "$T_TMP/r.html"; then
	pass hostcost-html
else
	fail hostcost-html "rc $rc; rows: $(grep -c 'host CPU busy' "$T_TMP/r.html")"
fi
x=$(/usr/bin/python3 - "$T_TMP/r.xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Host runs"]
rows = list(ws.iter_rows(values_only=True))
h = rows[0]
q = [r for r in rows[1:] if r[0] == "qemu-tcg" and r[h.index("samples")] is not None]
e = wb["Environments"]
eh = [c.value for c in e[1]]
er = [r for r in e.iter_rows(min_row=2, values_only=True) if r[0] == "qemu-tcg"][0]
print(len(q), q[0][h.index("samples")], round(er[eh.index("host_busy_mean_pct")], 6))
EOF
)
[ "$x" = "1 $want_n $want_mean" ] || [ "$x" = "1 $want_n $(printf '%g' "$want_mean")" ] \
	&& pass hostcost-xlsx || fail hostcost-xlsx "openpyxl: '$x', want 1 $want_n $want_mean"

# --no-sidecars: none of it.
"$A" -q --json "$T_TMP/n.json" --no-sidecars "$S"; rc=$?
jq -e '(.host_runs | length) == 0 and ([.envs[].host_runs] | add) == 0' "$T_TMP/n.json" >/dev/null && [ $rc = 0 ] \
	&& pass hostcost-no-sidecars || fail hostcost-no-sidecars "rc $rc"

# A copy whose guest clock ran 10% slow, with one damaged telemetry line.
C=$T_TMP/copy/qemu-tcg
mkdir -p "$C"
cp "$S"/qemu-tcg/* "$C"/
cm=$(ls "$C"/*.meta) ct=$(ls "$C"/*.host.tsv)
awk -F= -v OFS== '$1 ~ /guest_wall_s$/ { $2 = sprintf("%.3f", $2 * 0.9) } { print }' "$meta" >"$cm"
awk 'NR == 7 { print "2026-11-22T02:07:28Z\t1795313248\tnot-a-number\t0\t0\t0\t0\t1\t1\t0"; next } { print }' "$tsv" >"$ct"
cp -r "$S/host" "$T_TMP/copy/"
"$A" --json "$T_TMP/c.json" "$T_TMP/copy" 2>"$T_TMP/err"; rc=$?
[ $rc = 0 ] && pass hostcost-damaged-still-analyzed || fail hostcost-damaged-still-analyzed "rc $rc: $(head -3 "$T_TMP/err")"
grep -q "$ct:7: column 'cpu_busy_pct': expected a number 0..100, found \"not-a-number\"; line not used" "$T_TMP/err" \
	&& pass hostcost-damaged-line-named || fail hostcost-damaged-line-named "stderr: $(head -3 "$T_TMP/err")"
jq -e --arg t "$ct" '.host_runs[] | select(.telemetry == $t) | .samples == '"$((want_n - 1))"' and .bad_lines == 1' \
	"$T_TMP/c.json" >/dev/null && pass hostcost-damaged-rest-used || fail hostcost-damaged-rest-used \
	"$(jq -c --arg t "$ct" '.host_runs[] | select(.telemetry == $t) | {samples, bad_lines}' "$T_TMP/c.json")"
jq -e '[.warnings[] | select(.kind == "telemetry" and .env == "qemu-tcg")] | length == 1' "$T_TMP/c.json" >/dev/null \
	&& pass hostcost-damaged-warned || fail hostcost-damaged-warned "$(jq -c '[.warnings[].kind]' "$T_TMP/c.json")"
w=$(jq -r '.warnings[] | select(.kind == "clock") | .env + ": " + .message + " | " + .evidence' "$T_TMP/c.json")
case $w in
"qemu-tcg: the guest's clock disagrees with the host's: "*"by the host's (-1"[0-9].*"7 benchmarks beyond 3%"*"too short"*" | $cm: bench."*)
	pass hostcost-clock-warning ;;
*) fail hostcost-clock-warning "warning: '$w'" ;;
esac
# A sidecar that cannot be read (here a directory named X.meta) beside a CSV of
# two environments: a note, a warning, the analysis goes on.
mkdir -p "$T_TMP/odd/x.meta"
{ head -n 1 "$csv"; grep -m 2 ',forkbench,' "$csv"; grep -m 2 ',forkbench,' "$csv" | sed 's/,qemu-tcg,/,other,/'; } >"$T_TMP/odd/x.csv"
"$A" --json "$T_TMP/o.json" "$T_TMP/odd" 2>"$T_TMP/err"; rc=$?
if [ $rc = 0 ] && grep -q "x.meta: not read: not a regular file" "$T_TMP/err" &&
	jq -e '[.warnings[] | select(.kind == "telemetry")] | length >= 1' "$T_TMP/o.json" >/dev/null; then
	pass hostcost-unreadable-sidecar
else
	fail hostcost-unreadable-sidecar "rc $rc: $(head -3 "$T_TMP/err")"
fi
# The results themselves are the same rows either way.
[ "$(jq '[.files[].rows] | add' "$T_TMP/c.json")" = "$(jq '[.files[] | select(.path | test("/(host|qemu-tcg)/")) | .rows] | add' "$T_TMP/m.json")" ] \
	&& pass hostcost-rows-untouched || fail hostcost-rows-untouched "row counts differ"
t_done
