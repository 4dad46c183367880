#!/bin/bash
# analyze_aa.sh - A/A calibration (docs/analyzer.md, "Noise floor"): an A/A
# pair's false-positive rate and |ratio - 1| against hand-computed values
# (tests/fixtures/analyze/aa/README.md), the pair found from collect/plan's
# aa_pair rows and from --aa, a difference inside the floor called a tie
# (and not called one without the pair), bad --aa values refused.
. "$(dirname "$0")/../lib.sh"
A=$HVB_BIN/analyze
F=$HVB_TOP/tests/fixtures/analyze/aa
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-12) }'; }

"$A" -q --json "$T_TMP/aa.json" --text "$F" >"$T_TMP/aa.txt" 2>"$T_TMP/err"
rc=$?
[ $rc = 0 ] && pass "aa fixture analyzed" || fail "aa fixture analyzed" "exit $rc: $(head -3 "$T_TMP/err")"
got=$(jq -r '.aa_pairs | length as $n | .[0] | "\($n) \(.a) \(.b) \(.source) \(.headline_series) \(.false_positives)"' "$T_TMP/aa.json")
[ "$got" = "1 host host-again aa_pair row 3 1" ] && pass "aa pair from the plan's aa_pair rows: 1 of 3 series a false positive" ||
	fail "aa pair from rows" "got '$got', want '1 host host-again aa_pair row 3 1'"
fpr=$(jq '.aa_pairs[0].false_positive_rate' "$T_TMP/aa.json")
near "$fpr" "$(awk 'BEGIN { printf "%.17g", 1 / 3 }')" && pass "aa false-positive rate exactly 1/3" || fail "aa false-positive rate" "got $fpr, want 1/3"
mx=$(jq '.aa_pairs[0].abs_dev_max' "$T_TMP/aa.json")
near "$mx" 0.1 && pass "aa largest |ratio - 1| is 0.1 (int, 1.10 every round)" || fail "aa abs_dev_max" "got $mx, want 0.1"
md=$(jq '.aa_pairs[0].abs_dev_median' "$T_TMP/aa.json")
want=$(awk 'BEGIN { printf "%.17g", 1 - exp(log(0.95 * 1.05) / 3) }')
near "$md" "$want" && pass "aa median |ratio - 1| = 1 - (0.95 x 1.05)^(1/3)" || fail "aa abs_dev_median" "got $md, want $want"
# The pair's cpu score ratio is the geometric mean of 1.1, 0.999166, 1: its
# floor is at least that far from 1.
r=$(jq -r '.aa_scores[] | select(.category == "cpu") | "\(.ratio) \(.floor)"' "$T_TMP/aa.json")
want=$(awk 'BEGIN { printf "%.17g", exp((log(1.1) + log(0.95 * 1.05) / 3) / 3) }')
near "${r% *}" "$want" && awk -v f="${r#* }" -v w="$want" 'BEGIN { exit !(f >= w - 1 - 1e-12) }' &&
	pass "aa cpu score ratio $want, floor >= its distance from 1" || fail "aa cpu score ratio" "got '$r', want ratio $want"
# ns is 3 % faster every round (its own CI [1.03, 1.03]): inside the floor,
# a tie with the baseline, and the verdict says so.
t=$(jq -r '[.scores[] | select(.category == "cpu")] | (map(select(.env == "host"))[0].rank) as $h |
	.[] | select(.env == "ns") | "\(.within_floor) \(.rank == $h) \(.lo > 1)"' "$T_TMP/aa.json")
[ "$t" = "true true true" ] && pass "aa: ns 3 % faster inside the floor is a tie with the host" || fail "aa ns tie" "got '$t' (within_floor, same rank as host, own CI excludes 1)"
grep -q "ns .*within the noise floor: a tie" "$T_TMP/aa.txt" && grep -q "noise floor (A/A pair host=host-again, aa_pair row): false_positives 1 of headline_series 3" "$T_TMP/aa.txt" &&
	pass "aa --text names the floor and the tie" || fail "aa --text" "$(grep -i "floor" "$T_TMP/aa.txt" | head -3)"
grep -q "Noise floor, from the A/A pair host=host-again" "$T_TMP/aa.txt" && pass "aa: how the score is made says it" || fail "aa explain note" "no Noise floor note"

# Without the pair (host and ns only) ns is simply faster: no floor, no tie.
grep -v -e aa_pair -e ',host-again,' "$F/campaign.csv" >"$T_TMP/noaa.csv"
"$A" -q --json "$T_TMP/noaa.json" "$T_TMP/noaa.csv" 2>"$T_TMP/err"
t=$(jq -r '[.scores[] | select(.category == "cpu")] | (map(select(.env == "host"))[0].rank) as $h |
	(.[] | select(.env == "ns") | "\(.within_floor) \(.noise_floor) \(.rank) \($h)"), "pairs \(0)"' "$T_TMP/noaa.json" | head -1)
np=$(jq '.aa_pairs | length' "$T_TMP/noaa.json")
[ "$t" = "false null 1 2" ] && [ "$np" = 0 ] && pass "no pair: ns ranks above the host, no floor" || fail "no pair" "got '$t', $np pairs"

# --aa: the same pair named by hand; a label not in the data, or no '=', is a usage error.
grep -v aa_pair "$F/campaign.csv" >"$T_TMP/rows.csv"
"$A" -q --aa host=host-again --json "$T_TMP/opt.json" "$T_TMP/rows.csv" 2>"$T_TMP/err"
got=$(jq -r '.aa_pairs[0] | "\(.source) \(.false_positives)"' "$T_TMP/opt.json")
[ "$got" = "--aa 1" ] && pass "aa pair from --aa" || fail "aa --aa" "got '$got'"
"$A" -q --aa host=nope --text "$F" >/dev/null 2>"$T_TMP/err"
rc=$?
[ $rc = 2 ] && grep -q "^analyze: --aa host=nope: expected A=B, two different environments of the data" "$T_TMP/err" &&
	pass "aa unknown label: exit 2, named" || fail "aa unknown label" "exit $rc: $(cat "$T_TMP/err")"
"$A" -q --aa hostnope --text "$F" >/dev/null 2>"$T_TMP/err"
rc=$?
[ $rc = 2 ] && grep -q "^analyze: --aa hostnope: expected A=B" "$T_TMP/err" && pass "aa malformed: exit 2" || fail "aa malformed" "exit $rc: $(cat "$T_TMP/err")"

# Too few rounds: with host-again's round 3 gone, its cpu stream rests on 2
# rounds, where a bootstrap has 3 possible resamples: no CI, no rank, no
# floor from it, and the analyzer says why; ns (3 rounds) keeps its CI.
grep -v ',box-host-again-3,' "$F/campaign.csv" >"$T_TMP/two.csv"
"$A" -q --json "$T_TMP/two.json" -o "$T_TMP/two.html" --text "$T_TMP/two.csv" >"$T_TMP/two.txt" 2>"$T_TMP/err"
rc=$?
[ $rc = 0 ] && pass "aa, 2 rounds of host-again: analyzed" || fail "aa 2 rounds" "exit $rc: $(head -3 "$T_TMP/err")"
got=$(jq -r '.scores[] | select(.env == "host-again") | "\(.category) \(.lo) \(.hi) \(.rank) \(.noise_floor)"' "$T_TMP/two.json" | sort | tr '\n' ';')
[ "$got" = "cpu null null 0 null;overall null null 0 null;" ] &&
	pass "aa, 2 rounds: host-again's cpu and overall scores have no CI, no rank, no floor" ||
	fail "aa 2 rounds scores" "got '$got'"
got=$(jq -r '[(.aa_scores | length), (.scores[] | select(.env == "ns" and .category == "cpu") | .lo > 0)] | @tsv' "$T_TMP/two.json")
[ "$got" = "$(printf '0\ttrue')" ] && pass "aa, 2 rounds: no floor from the pair; ns keeps its interval" ||
	fail "aa 2 rounds floor" "got '$got' (aa_scores, ns cpu lo > 0)"
want="2 scores (e.g. host-again cpu) rest on only 2 rounds of some benchmark, after runs were left out: too few rounds for a 95% CI"
grep -qF "$want" "$T_TMP/two.html" && grep -q "too few rounds</td>" "$T_TMP/two.html" &&
	[ "$(grep -c "^  [a-z]* *- *host-again .* too few rounds: no CI, not ranked$" "$T_TMP/two.txt")" = 2 ] &&
	pass "aa, 2 rounds: the report's touch list and table, and --text, say too few rounds" ||
	fail "aa 2 rounds message" "$(grep -o "[^>]*too few rounds[^<]*" "$T_TMP/two.html" | head -3) / $(grep host-again "$T_TMP/two.txt" | head -3)"
"$A" -q -o "$T_TMP/aa.html" "$F" 2>"$T_TMP/err"
if grep -q "too few rounds" "$T_TMP/aa.html"; then
	fail "aa 3 rounds: no too-few-rounds" "$(grep -o "[^>]*too few rounds[^<]*" "$T_TMP/aa.html" | head -2)"
else
	pass "aa 3 rounds: no too-few-rounds in the report"
fi
t_done
