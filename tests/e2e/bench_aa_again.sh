#!/bin/bash
# bench_aa_again.sh - `make bench-aa`'s report (analyze/bench-aa.sh) on a
# stored A/A campaign, without running one (AA_AGAIN=ID): the A/A fixture
# (tests/fixtures/analyze/aa: 3 rounds, host=host-again) filed as a plan
# files it, one directory per label.  Checks the figures the script prints
# against the analyzer's JSON, and the rounds it says a CI within +-0.02
# would take, computed by hand below.
. "$(dirname "$0")/../lib.sh"
F=$HVB_TOP/tests/fixtures/analyze/aa/campaign.csv
D=$T_TMP/aa
for e in host host-again ns; do
	mkdir -p "$D/fx/$e"
	awk -F, -v e="$e" 'NR == 1 || $4 == e' "$F" >"$D/fx/$e/vm_${e}_fixture.csv"
done
out=$(AA_DATA=$D AA_AGAIN=fx bash "$HVB_TOP/analyze/bench-aa.sh" "$HVB_BIN/analyze" 2>"$T_TMP/err")
rc=$?
[ $rc = 0 ] && pass "bench-aa AA_AGAIN: a stored campaign analyzed, exit 0" ||
	fail "bench-aa AA_AGAIN exit" "exit $rc: $(head -3 "$T_TMP/err")"
J=$D/aa-fx.json
[ -s "$J" ] && pass "bench-aa AA_AGAIN: its JSON beside the campaign" || fail "bench-aa JSON" "no $J"
grep -qx "bench-aa: the campaign $D/fx again (AA_AGAIN; nothing is run)" <<<"$out" &&
	pass "bench-aa AA_AGAIN says nothing is run" || fail "bench-aa AA_AGAIN banner" "$(head -2 <<<"$out")"
! grep -q "plan finished" <<<"$out" && pass "bench-aa AA_AGAIN runs no plan" || fail "bench-aa AA_AGAIN ran a plan" "$out"
grep -qx "  host=host-again: 1 of 3 headline series exclude 1 (33.3 %); |ratio - 1| median 0.08 %, max 10 %; median CI half-width $(jq -r '.aa_pairs[0].ci_half_median * 10000 | round / 100' "$J") %" <<<"$out" &&
	pass "bench-aa: the false-positive line of the fixture (1 of 3, max 10 %)" ||
	fail "bench-aa false-positive line" "$(grep "host=host-again:" <<<"$out")"

# The rounds for +-0.02.  At k rounds the half-width is h e(k) sqrt(n) /
# (e(n) sqrt(k)), e the analyzer's expansion sqrt(k/(k-1)) t(0.975, k-1) /
# z(0.975).  The fixture's cpu pair (ratios 1.1, 0.99917, 1 over 3 rounds)
# has h = 4.6 %: 6 rounds bring it to 1.74 %, 5 to 2.10 %: 6 is the answer.
# The analyzer's expansion at its 3 units, in the JSON and the header.
[ "$(jq -r '.scoring | "\(.boot_min_units) \(.boot_expand * 10000 | round)"' "$J")" = "3 26886" ] &&
	pass "analyze JSON scoring: boot_min_units 3, boot_expand 2.6886 (sqrt(3/2) t(0.975, 2) / z(0.975))" ||
	fail "analyze JSON boot_expand" "$(jq -c '.scoring | {boot_min_units, boot_expand}' "$J")"
grep -qx "== rounds for a CI within 1 +- 0.02 at this noise (from the CI half-width h at 3 rounds, expanded x2.69; narrowest-widest pair)" <<<"$out" &&
	pass "bench-aa: 3 rounds counted, the analyzer's expansion" || fail "bench-aa rounds header" "$(grep "rounds for" <<<"$out")"
h=$(jq '.aa_scores[] | select(.category == "cpu") | (.hi - .lo) / 2' "$J")
chk=$(awk -v h="$h" 'function e(k, t) { return sqrt(k / (k - 1)) * t / 1.959964 }
	BEGIN { n = e(3, 4.3027); a = h * e(6, 2.5706) * sqrt(3 / 6) / n; b = h * e(5, 2.7764) * sqrt(3 / 5) / n
		printf "%d %d %.1f", (a <= 0.02), (b > 0.02), 100 * h }')
[ "${chk% *}" = "1 1" ] && pass "bench-aa fixture: h $h gives <= 2 % at 6 rounds and > 2 % at 5 (by hand)" ||
	fail "bench-aa fixture h" "h $h: $chk"
for c in cpu overall; do
	grep -qx "  $(printf '%-9s' "$c") h ${chk##* }-${chk##* } %: about 6-6 rounds" <<<"$out" &&
		pass "bench-aa: $c needs 6 rounds for +-0.02" || fail "bench-aa rounds for $c" "$(grep "^  $c " <<<"$out" | tail -1)"
done

AA_DATA=$D AA_AGAIN=nope bash "$HVB_TOP/analyze/bench-aa.sh" "$HVB_BIN/analyze" >"$T_TMP/o" 2>"$T_TMP/err"
rc=$?
[ $rc = 2 ] && [ "$(cat "$T_TMP/err")" = "bench-aa: AA_AGAIN=nope: no campaign $D/nope/host" ] && [ ! -s "$T_TMP/o" ] &&
	pass "bench-aa AA_AGAIN of a missing campaign: exit 2, named" || fail "bench-aa AA_AGAIN missing" "exit $rc: $(cat "$T_TMP/err")"
t_done
