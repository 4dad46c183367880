#!/bin/bash
# bench/fidelity-table.sh - the table of bench/fidelity.sh: sourced by it
# (and by tests/e2e/bench_fidelity_verdict.sh, which checks the verdict on
# figures it chooses).  row appends one line to the file $TABLE, tab
# separated: name, unit, ours, ours spread, reference, reference spread,
# ratio of the medians, verdict, note, paired ratio, its quartiles.

# median of the numbers on stdin (empty when none).
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
# fmt X: 4 significant digits, no exponent for large figures.
fmt() { awk -v x="$1" 'BEGIN { if (x == "") print ""; else if (x >= 1000) printf "%.0f\n", x; else printf "%.4g\n", x }'; }

# spread: half the range of the numbers on stdin relative to their median,
# in percent ("" when fewer than two).
spread() { sort -g | awk '{ v[NR] = $1 } END { if (NR < 2) exit; m = (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2); if (m > 0) printf "%.0f\n", 50 * (v[NR] - v[1]) / m }'; }

# paired OURS REF: the rounds as pairs (line i of each: one round, both
# sides run back to back), the ratio ours / ref of each pair whose two
# figures are numbers, and of those ratios the median, lower and upper
# quartile (linear interpolation), as "MEDIAN Q1 Q3"; nothing with fewer
# than two pairs.  Drift that moves both sides of a round alike cancels in
# it, where the ratio of the two medians keeps it.
paired() {
	paste -d' ' <(printf '%s\n' "$1") <(printf '%s\n' "$2") |
		awk '$1 ~ /^[0-9.eE+-]+$/ && $2 ~ /^[0-9.eE+-]+$/ && $2 > 0 { print $1 / $2 }' | sort -g |
		awk 'function q(x,  h, i) { h = 1 + (NR - 1) * x; i = int(h); return v[i] + (h - i) * (v[i + 1] - v[i]) }
			{ v[NR] = $1 } END { if (NR >= 2) { v[NR + 1] = v[NR]; printf "%.3f %.3f %.3f\n", q(0.5), q(0.25), q(0.75) } }'
}

# row NAME UNIT OURS REF [NOTE]: one line of the table.  OURS and REF are the
# figures of the rounds, one per line; the row shows their medians, their
# spread (half the range, in % of the median), ratio = ours / ref of the
# medians, and the paired ratio (paired).  The verdict is on the paired
# ratio: ok within 0.90..1.10.  With fewer than two pairs it is on the
# ratio of the medians, and says so.  A figure outside the band whose
# rounds overlap the other side's is said to be within the run-to-run
# spread: the machine, not the benchmark, may have decided it.
row() {
	local name=$1 unit=$2 ol=$3 rl=$4 note=${5:-} ours ref os rs ratio verdict pm pq1 pq3 v
	read -r pm pq1 pq3 < <(paired "$ol" "$rl")
	ol=$(printf '%s\n' "$ol" | grep -E '^[0-9.eE+-]+$')
	rl=$(printf '%s\n' "$rl" | grep -E '^[0-9.eE+-]+$')
	ours=$(printf '%s\n' "$ol" | grep . | median); ref=$(printf '%s\n' "$rl" | grep . | median)
	os=$(printf '%s\n' "$ol" | grep . | spread); rs=$(printf '%s\n' "$rl" | grep . | spread)
	if [ -n "$ours" ] && [ -n "$ref" ]; then
		ratio=$(awk -v a="$ours" -v b="$ref" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "" }')
		v=${pm:-$ratio}
		verdict=$(awk -v r="$v" 'BEGIN { print (r != "" && r >= 0.90 && r <= 1.10) ? "ok" : "OUTSIDE" }')
		if [ "$verdict" = OUTSIDE ] && awk -v a="$(echo $ol)" -v b="$(echo $rl)" 'BEGIN {
			na = split(a, x, " "); nb = split(b, y, " "); amin = amax = x[1]; bmin = bmax = y[1]
			for (i = 2; i <= na; i++) { if (x[i] < amin) amin = x[i]; if (x[i] > amax) amax = x[i] }
			for (i = 2; i <= nb; i++) { if (y[i] < bmin) bmin = y[i]; if (y[i] > bmax) bmax = y[i] }
			exit !(na > 1 && nb > 1 && amin <= bmax && bmin <= amax) }'; then
			verdict="OUTSIDE, within run-to-run spread"
		fi
		[ -z "$pm" ] && verdict="$verdict (ratio of medians: fewer than 2 pairs)"
	else
		ratio=-
		verdict=${note:-no figure}
		note=
	fi
	printf 'fidelity: %-36s ours %s | ref %s | ratio %s %s\n' "$name" "$(echo $ol)" "$(echo $rl)" "$ratio" "${pm:+paired $pm }$verdict" >&2
	ours=$(fmt "$ours"); ref=$(fmt "$ref")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$unit" "${ours:--}" "${os:++-$os%}" "${ref:--}" \
		"${rs:++-$rs%}" "$ratio" "$verdict" "$note" "${pm:--}" "$pq1" "$pq3" >>"$TABLE"
}
