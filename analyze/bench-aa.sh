#!/bin/bash
# bench-aa.sh - `make bench-aa` (docs/analyzer.md, "Noise floor"): an A/A
# campaign on this machine, and what the analyzer makes of it.  A plan of
# AA_ROUNDS rounds (default 5) of the quick suite with four labels that are
# two environments measured twice each: `host` and `host-again` (collect/local),
# `ns` and `ns-again` (collect/container --engine unshare), --aa host=host-again
# --aa ns=ns-again.  Nothing differs within a pair but the noise, so:
#   - the false-positive rate: of both pairs' headline series, the share
#     whose 95 % CI of the ratio excludes 1 (goal: <= 5 %);
#   - per category, the largest |score - 1| of the pairs' score ratios (goal:
#     within 1 +- 0.02), with the intervals;
#   - the median CI half-width of the headline ratios;
#   - and the capacity probe's figures and what the disturbance rule left out,
#     because a disturbed machine is the first explanation of a miss.
# Takes about 11 minutes here (20 runs of the quick suite); each run's campaign
# stays in AA_DATA/ID (default build/bench-aa/aa-UTC) for a second look, one
# campaign per run, so a second run's figures are its own plan's alone.
# As root (unshare).
# AA_SEED: the plan's seed (default 27); AA_ARGS: more collect/plan options;
# AA_AGAIN=ID: analyze the campaign ID of an earlier run again, run nothing.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
A=${1:-$top/bin/analyze}
D=${AA_DATA:-$top/build/bench-aa}
R=${AA_ROUNDS:-5}
id=aa-$(date -u +%Y%m%dT%H%M%SZ)
[ "$(id -u)" = 0 ] || { echo "bench-aa: needs root (unshare namespaces)" >&2; exit 2; }
for t in jq "$A" "$top/bin/hvbench"; do
	command -v "$t" >/dev/null || { echo "bench-aa: $t not found (make; make deps)" >&2; exit 2; }
done
mkdir -p "$D"
if [ -n "${AA_AGAIN:-}" ]; then
	# A second look at a campaign of an earlier run: analyze it, run nothing.
	id=$AA_AGAIN
	[ -d "$D/$id/host" ] || { echo "bench-aa: AA_AGAIN=$id: no campaign $D/$id/host" >&2; exit 2; }
	echo "bench-aa: the campaign $D/$id again (AA_AGAIN; nothing is run)"
else
echo "bench-aa: plan $id, $R rounds, quick suite, host/host-again (local) and ns/ns-again (unshare) into $D/$id"
echo "bench-aa: machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
t0=$(date +%s)
# shellcheck disable=SC2086
"$top/collect/plan" --data "$D" --campaign "$id" --id "$id" --rounds "$R" --seed "${AA_SEED:-27}" --quick \
	--aa host=host-again --aa ns=ns-again ${AA_ARGS:-} \
	host=local host-again=local "ns=container --engine unshare" "ns-again=container --engine unshare"
rc=$?
echo "bench-aa: plan finished in $(($(date +%s) - t0)) s, exit $rc"
[ $rc = 0 ] || { echo "bench-aa: the plan failed; the campaign so far is in $D/$id" >&2; exit 1; }
fi
J=$D/aa-$id.json
"$A" -q --baseline host --json "$J" "$D/$id" || { echo "bench-aa: analyze failed" >&2; exit 1; }

echo
echo "== capacity probe (capacity_cpus of capacity_threads, per run: min / median / max)"
jq -r '[.run_probes[] | select(.capacity_cpus != null) | .capacity_cpus] | sort |
	if length == 0 then "no probe rows" else
	"\(.[0] | tostring | .[0:5]) / \(.[(length / 2) | floor] | tostring | .[0:5]) / \(.[-1] | tostring | .[0:5]) over \(length) benchmark runs" end' "$J"
echo "== disturbed repetitions and runs left out: $(jq '[.disturbed[] | select(.kept | not)] | length' "$J") (rules: $(jq -r '[.disturbed[].rule] | group_by(.) | map("\(.[0]) \(length)") | join(", ")' "$J"))"
echo
echo "== false-positive rate (95 % level; goal <= 5 %)"
jq -r '.aa_pairs[] | "  \(.a)=\(.b): \(.false_positives) of \(.headline_series) headline series exclude 1 (\(.false_positive_rate * 1000 | round / 10) %); |ratio - 1| median \(.abs_dev_median * 10000 | round / 100) %, max \(.abs_dev_max * 10000 | round / 100) %; median CI half-width \(.ci_half_median * 10000 | round / 100) %"' "$J"
fp=$(jq '[.aa_pairs[].false_positives] | add' "$J"); ns=$(jq '[.aa_pairs[].headline_series] | add' "$J")
echo "  both pairs: $fp of $ns ($(awk -v a="$fp" -v b="$ns" 'BEGIN { printf "%.1f", b ? 100 * a / b : 0 }') %)"
echo
echo "== per category: the pairs' score ratios (goal: within 1 +- 0.02)"
jq -r '.aa_scores[] | "  \(.category | . + "         " | .[0:9]) \(.a)=\(.b): \(.ratio | . * 10000 | round / 10000) [\(.lo | . * 10000 | round / 10000), \(.hi | . * 10000 | round / 10000)]"' "$J"
jq -r '.aa_scores | group_by(.category)[] | "  largest |score - 1| in \(.[0].category): \(map(.ratio - 1 | fabs) | max | . * 10000 | round / 10000)"' "$J"
# What +-0.02 would take here.  The rounds are what varies (the bootstrap
# resamples them): at k rounds a score's CI half-width is about
# e(k) z s / sqrt(k), with s the between-round spread and e(k) the analyzer's
# small-sample expansion (az_boot_expand: sqrt(k/(k-1)) t(0.975, k-1) /
# z(0.975), 1.58 at 5 rounds).  From the half-width h at n rounds, k rounds
# give h e(k) sqrt(n) / (E sqrt(k)), E the expansion the analyzer applied
# (JSON scoring.boot_expand, taken at its fewest units: fewer than n when
# disturbed runs were left out); the fewest k >= n at which that is <= 0.02
# is what a point estimate within 1 +- 0.02 (at 95 %) needs.  e(k) is
# az_boot_expand again, in awk: the analyzer gives E only at its own units.
nr=$(cat "$D/$id"/host/*.csv 2>/dev/null | awk -F, '$8 == "hvbench" && $10 == "round" { r[$14] = 1 } END { print length(r) }')
echo
echo "== rounds for a CI within 1 +- 0.02 at this noise (from the CI half-width h at $nr rounds, expanded x$(jq '.scoring.boot_expand * 100 | round / 100' "$J"); narrowest-widest pair)"
jq -r '.aa_scores | group_by(.category)[] | "\(.[0].category) \(map((.hi - .lo) / 2) | min) \(map((.hi - .lo) / 2) | max)"' "$J" |
	awk -v n="${nr:-0}" -v E="$(jq '.scoring.boot_expand' "$J")" '
	function e(k,   v, z, t) {
		if (k < 2) return 1
		v = k - 1; z = 1.959964
		# t(0.975, v): the table to 30 degrees of freedom, then Cornish-Fisher
		t = v <= 30 ? tq[v] : z + (z^3 + z) / (4 * v) + (5 * z^5 + 16 * z^3 + 3 * z) / (96 * v^2) + (3 * z^7 + 19 * z^5 + 17 * z^3 - 15 * z) / (384 * v^3)
		return sqrt(k / v) * t / z
	}
	function need(h,   k) {
		if (n < 2 || h != h + 0 || !(E > 0)) return "?"
		for (k = n; k <= 100000; k++)
			if (h * e(k) * sqrt(n) / (E * sqrt(k)) <= 0.02) return k
		return "> 100000"
	}
	BEGIN { split("12.7062 4.3027 3.1824 2.7764 2.5706 2.4469 2.3646 2.3060 2.2622 2.2281 2.2010 2.1788 2.1604 2.1448 2.1314 2.1199 2.1098 2.1009 2.0930 2.0860 2.0796 2.0739 2.0687 2.0639 2.0595 2.0555 2.0518 2.0484 2.0452 2.0423", tq, " ") }
	{ printf "  %-9s h %.1f-%.1f %%: about %s-%s rounds\n", $1, 100 * $2, 100 * $3, need($2), need($3) }'
echo
echo "== median CI half-width of the headline ratios against host (all environments)"
jq -r '[.metrics[] | select(.role == "headline") | .series[] | select(.ratio_lo != null and .ratio != null) |
	(.ratio_hi - .ratio_lo) / 2 / .ratio] | sort |
	if length == 0 then "  none" else "  \(.[(length / 2) | floor] * 10000 | round / 100) % over \(length) headline series" end' "$J"
