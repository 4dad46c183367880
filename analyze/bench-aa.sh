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
# AA_SEED: the plan's seed (default 27); AA_ARGS: more collect/plan options.
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
echo
echo "== median CI half-width of the headline ratios against host (all environments)"
jq -r '[.metrics[] | select(.role == "headline") | .series[] | select(.ratio_lo != null and .ratio != null) |
	(.ratio_hi - .ratio_lo) / 2 / .ratio] | sort |
	if length == 0 then "  none" else "  \(.[(length / 2) | floor] * 10000 | round / 100) % over \(length) headline series" end' "$J"
