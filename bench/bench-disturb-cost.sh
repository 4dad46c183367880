#!/bin/bash
# bench/bench-disturb-cost.sh - what the disturbance measurement costs
# (the budget: canary, capacity probe and counters together <= 1 % of a run):
# `hvbench run --quick` with them and with --no-disturbance, alternated in
# pairs (the order flips every pair, so a drift of the machine cancels),
# then the suite's wall time of each run, the ratio of each pair and their
# median, and per benchmark the share of its time the harness spent in the
# canary, the probe and the counters (its disturb_cost_s row over its
# wall_s row).  A benchmark, not a test: the machine's noise is larger than
# the effect, so read the median, not one pair.
#   DISTURB_PAIRS  pairs to run (default 3)
#   HVB_BIN        the binaries (default: bin/ of this tree)
set -u
here=$(cd "$(dirname "$0")" && pwd)
BIN=${HVB_BIN:-$here/../bin}
PAIRS=${DISTURB_PAIRS:-3}
case $PAIRS in '' | *[!0-9]* | 0) echo "bench-disturb-cost: DISTURB_PAIRS=\"$PAIRS\": expected a positive integer" >&2; exit 2 ;; esac
[ -x "$BIN/hvbench" ] || { echo "bench-disturb-cost: $BIN/hvbench not built (make bench)" >&2; exit 2; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/hvb-disturb-cost.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1 # iobench writes its file into the working directory

# run KIND I: one suite run into KIND$I.csv; its wall time on stdout.
run() {
	local t0 t1 extra=
	[ "$1" = off ] && extra=--no-disturbance
	t0=$(date +%s.%N)
	"$BIN/hvbench" run --quick $extra --out "$dir/$1$2.csv" 2>"$dir/$1$2.err" ||
		echo "bench-disturb-cost: run $1 $2 exited $? ($(head -c 200 "$dir/$1$2.err"))" >&2
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}

echo "hvbench run --quick, with the canary/probe/counters (on) and --no-disturbance (off), $PAIRS pairs"
printf '%-5s %-9s %10s %10s %8s\n' pair order on_s off_s on/off
: >"$dir/ratios"
for i in $(seq 1 "$PAIRS"); do
	if [ $((i % 2)) = 1 ]; then
		on=$(run on "$i"); off=$(run off "$i"); order=on,off
	else
		off=$(run off "$i"); on=$(run on "$i"); order=off,on
	fi
	r=$(awk -v a="$on" -v b="$off" 'BEGIN { printf "%.4f", a / b }')
	echo "$r" >>"$dir/ratios"
	printf '%-5s %-9s %10s %10s %8s\n' "$i" "$order" "$on" "$off" "$r"
done
med=$(sort -g "$dir/ratios" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo "median on/off wall-time ratio: $med ($(awk -v m="$med" 'BEGIN { printf "%+.2f %%", (m - 1) * 100 }'))"

# Per benchmark: the harness's own account (disturb_cost_s / wall_s), median
# over the runs with the counters on; and the wall time on/off, median of pairs.
echo
printf '%-10s %12s %12s %14s %12s\n' bench cost_s wall_s cost_share on/off_wall
awk -F, '
	FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; kind = FILENAME ~ /\/on[0-9]+\.csv$/ ? "on" : "off"; f++; next }
	$col["status"] == "info" && $col["params"] == "" && ($col["metric"] == "disturb_cost_s" || $col["metric"] == "wall_s") {
		b = $col["bench"]; seen[b] = 1
		v[kind, $col["metric"], b, ++n[kind, $col["metric"], b]] = $col["value"]
	}
	function med(k, m, b,   i, j, t, a, c) {
		c = n[k, m, b]
		for (i = 1; i <= c; i++) a[i] = v[k, m, b, i]
		for (i = 2; i <= c; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return c == 0 ? 0 : (c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2)
	}
	END {
		for (b in seen) {
			c = med("on", "disturb_cost_s", b); w = med("on", "wall_s", b); wo = med("off", "wall_s", b)
			printf "%-10s %12.4f %12.3f %13.2f%% %12.4f\n", b, c, w, w ? 100 * c / w : 0, wo ? w / wo : 0
			tc += c; tw += w
		}
		printf "%-10s %12.4f %12.3f %13.2f%%\n", "all", tc, tw, tw ? 100 * tc / tw : 0
	}' "$dir"/on*.csv "$dir"/off*.csv | sort -k1,1 | awk '$1 == "all" { last = $0; next } { print } END { print last }'
echo
echo "cost_s: the harness's own timing of the canary, probe and counters (medians of the 'on' runs);"
echo "the probe (~0.1 s) runs once per process and is charged to the first benchmark, forkbench."
