#!/bin/bash
# analyze_paired.sh - comparisons paired by collect/plan round
# (analyze/paired.c) on the drift fixture (tests/fixtures/analyze/drift/gen.py:
# every environment 5 % slower per round, known true ratios):
# the paired ratio recovers the true ratio within 1 % with a CI at least 3x
# narrower than the unpaired one on the same rows; the same rows without the
# plan/round info rows are compared as before (unpaired, the same figures the
# paired run reports as unpaired); environment names, round labels (sparse)
# and the order/layout of the files change nothing; the baseline's drift is
# warned about, naming the trend; the outputs (JSON, summary CSV, text) say
# which comparisons were paired and on how many rounds (the text in its
# paired_rounds and unpaired_ratio columns).
. "$(dirname "$0")/../lib.sh"
A=$HVB_BIN/analyze
G=$HVB_TOP/tests/fixtures/analyze/drift/gen.py

python3 "$G" "$T_TMP/d" && python3 "$G" "$T_TMP/u" --unpaired || { fail paired-fixture "gen.py failed"; t_done; }
"$A" -q --json "$T_TMP/d.json" --summary-csv "$T_TMP/d.csv" --text "$T_TMP/d" >"$T_TMP/d.txt" 2>"$T_TMP/err" \
	&& pass paired-analyze || fail paired-analyze "$(head -3 "$T_TMP/err")"
"$A" -q --json "$T_TMP/u.json" "$T_TMP/u" 2>"$T_TMP/err" || fail paired-analyze-unpaired "$(head -3 "$T_TMP/err")"

# fig JSON ENV METRIC: ratio lo hi rounds unpaired_ratio unpaired_lo unpaired_hi paired
fig() {
	jq -r --arg e "$2" --arg m "$3" '.metrics[] | select(.metric == $m) | .series[] | select(.env == $e) |
		[.ratio, .ratio_lo, .ratio_hi, .paired_rounds, .unpaired_ratio, .unpaired_ratio_lo,
		.unpaired_ratio_hi, (.paired_rounds > 0)] | map(tostring) | join(" ")' "$1"
}
for spec in box:events_per_s:0.94 box:fork_us:0.9433962264150944 tcg:events_per_s:0.40 tcg:fork_us:0.125; do
	IFS=: read -r env metric truth <<<"$spec"
	# shellcheck disable=SC2046 # the figures are words: split on purpose
	set -- $(fig "$T_TMP/d.json" "$env" "$metric")
	echo "$env $metric: paired $1 [$2, $3] on $4 rounds; unpaired $5 [$6, $7]; true $truth"
	[ "$4" = 6 ] && [ "$8" = true ] && pass "paired-rounds-$env-$metric" || fail "paired-rounds-$env-$metric" "rounds '$4' paired '$8'"
	awk -v r="$1" -v t="$truth" 'BEGIN { d = r / t - 1; exit !(d < 0.01 && d > -0.01) }' \
		&& pass "paired-recovers-$env-$metric" || fail "paired-recovers-$env-$metric" "paired $1, true $truth"
	awk -v lo="$2" -v hi="$3" -v t="$truth" 'BEGIN { exit !(lo <= t && t <= hi) }' \
		&& pass "paired-ci-covers-$env-$metric" || fail "paired-ci-covers-$env-$metric" "[$2, $3] vs $truth"
	awk -v lo="$2" -v hi="$3" -v ulo="$6" -v uhi="$7" 'BEGIN { exit !((uhi - ulo) >= 3 * (hi - lo)) }' \
		&& pass "paired-ci-3x-narrower-$env-$metric" || fail "paired-ci-3x-narrower-$env-$metric" "paired [$2, $3], unpaired [$6, $7]"
	# The same rows without plan/round rows: unpaired, as before pairing existed.
	# shellcheck disable=SC2046 # the figures are words: split on purpose
	set -- $(fig "$T_TMP/d.json" "$env" "$metric") $(fig "$T_TMP/u.json" "$env" "$metric")
	[ "${12}" = 0 ] && [ "${16}" = false ] && [ "$9" = "$5" ] && [ "${10}" = "$6" ] && [ "${11}" = "$7" ] \
		&& pass "unpaired-as-before-$env-$metric" || fail "unpaired-as-before-$env-$metric" "unpaired run: $9 [${10}, ${11}] rounds ${12}; paired run's unpaired: $5 [$6, $7]"
done

# Presentation changes nothing: names, sparse round labels, file layout.
# variant NAME GEN-ARGS... ; compared by the fixture's own env through the names map.
same() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; m = a < 0 ? -a : a; exit !(d <= 1e-12 * m) }'; }
variant() {
	local name=$1 map=$2; shift 2
	python3 "$G" "$T_TMP/v-$name" "$@" || { fail "paired-invariant-$name" "gen.py $*"; return; }
	"$A" -q --json "$T_TMP/v-$name.json" "$T_TMP/v-$name" 2>"$T_TMP/err" || { fail "paired-invariant-$name" "$(head -2 "$T_TMP/err")"; return; }
	local why="" spec env metric lbl
	for spec in box:events_per_s box:fork_us tcg:events_per_s tcg:fork_us; do
		IFS=: read -r env metric <<<"$spec"
		lbl=$(printf '%s\n' "$map" | tr ',' '\n' | sed -n "s/^$env=//p")
		# shellcheck disable=SC2046 # the figures are words: split on purpose
		set -- $(fig "$T_TMP/d.json" "$env" "$metric") $(fig "$T_TMP/v-$name.json" "${lbl:-$env}" "$metric")
		same "$1" "$9" && same "$2" "${10}" && same "$3" "${11}" && [ "$4" = "${12}" ] || why="$why $env/$metric: $1 [$2, $3] $4 vs $9 [${10}, ${11}] ${12};"
	done
	jq -e '[.warnings[] | select(.kind == "drift")] | length == 1' "$T_TMP/v-$name.json" >/dev/null || why="$why no drift warning;"
	[ -z "$why" ] && pass "paired-invariant-$name" || fail "paired-invariant-$name" "$why"
}
variant names "host=zz-bare,box=aa-box,tcg=mm-vm" --names host=zz-bare,box=aa-box,tcg=mm-vm
variant sparse-rounds "" --rounds 3,7,20,21,40,100
variant one-file "" --layout one
variant reversed-files "" --layout reversed

# Drift: one warning, for the baseline, naming the plan, the trend and the rounds.
w=$(jq -r '.warnings[] | select(.kind == "drift") | [.env, .message, .evidence] | join(" | ")' "$T_TMP/d.json")
echo "drift warning: $w"
case $w in
"host | the baseline host drifted across the 6 rounds of plan plan-20261130T210000Z-4242: "*"got worse by 2"*"2 of 2 series"*"per-round medians (round:median) 1:"*"6:"*) pass paired-drift-warning ;;
*) fail paired-drift-warning "got '$w'" ;;
esac
jq -e '[.warnings[] | select(.kind == "drift")] | length == 0' "$T_TMP/u.json" >/dev/null \
	&& pass paired-no-drift-without-plan || fail paired-no-drift-without-plan "drift warning without plan rows"

# Outputs say which comparisons were paired and on how many rounds.
k=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$(c["env"]) == "box" && $(c["metric"]) == "events_per_s" { print $(c["paired_rounds"]), $(c["paired_plan"]) }' "$T_TMP/d.csv")
[ "$k" = "6 plan-20261130T210000Z-4242" ] && pass paired-summary-csv || fail paired-summary-csv "got '$k'"
# The text: the first box row's paired_rounds and unpaired_ratio, the values
# right-aligned under those catalogue names in the table's header.
textcol() { # FILE ROW-REGEX NAME
	awk -v re="$2" -v name="$3" '/^  rank / { h = $0 " " }
		$0 ~ re && h { e = index(h, " " name " "); if (!e) exit
			v = substr($0, 1, e + length(name)); sub(/.* /, "", v); print v; exit }' "$1"
}
r=$(textcol "$T_TMP/d.txt" '^  [0-9]+=? +box ' paired_rounds)
u=$(textcol "$T_TMP/d.txt" '^  [0-9]+=? +box ' unpaired_ratio)
[ "$r" = 6 ] && [[ $u == 0.9* ]] && grep -q '^paired: ' "$T_TMP/d.txt" \
	&& pass paired-text || fail paired-text "paired_rounds '$r', unpaired_ratio '$u': $(grep -m2 -E '^  rank |^  [0-9]+=? +box ' "$T_TMP/d.txt")"
jq -e '[.metrics[].series[] | select(.env == "host") | (.paired_rounds > 0)] | all(. == false)' "$T_TMP/d.json" >/dev/null \
	&& pass paired-baseline-not-paired || fail paired-baseline-not-paired "baseline marked paired"

# The HTML report: the rounds section lists the paired comparisons, and a
# time-series chart per environment (gnuplot) marks the rounds.
"$A" -q -o "$T_TMP/r.html" --charts "$T_TMP/charts" "$T_TMP/d" 2>"$T_TMP/err"
n=$(grep -c '^<tr><td><span class="sw".*</td><td class="num">6</td>' "$T_TMP/r.html")
grep -q '<section id="rounds">' "$T_TMP/r.html" && [ "$n" = 4 ] && pass paired-html-table || fail paired-html-table "$n paired rows"
n=$(ls "$T_TMP"/charts/series-*.svg 2>/dev/null | wc -l)
if [ "$n" = 3 ] && grep -q '>r6<' "$T_TMP"/charts/series-0.svg && grep -q 'headline metrics (the first' "$T_TMP/r.html"; then
	pass paired-html-timeseries
else
	fail paired-html-timeseries "$n series charts; $(head -c 200 "$T_TMP/err")"
fi
"$A" -q -o "$T_TMP/u.html" "$T_TMP/u" 2>/dev/null
grep -q 'id="rounds"' "$T_TMP/u.html" && fail paired-html-none-without-plan "rounds section without plan rows" || pass paired-html-none-without-plan

# A series whose runs share only one round with the baseline stays unpaired:
# keep round 1's plan rows only.
cp -r "$T_TMP/u" "$T_TMP/one"
for f in "$T_TMP"/d/*/*.csv; do
	rel=${f#"$T_TMP"/d/}
	grep -q ',round,,,,1,info,' "$f" && cp "$f" "$T_TMP/one/$rel"
done
"$A" -q --json "$T_TMP/one.json" "$T_TMP/one" 2>/dev/null
# shellcheck disable=SC2046 # the figures are words: split on purpose
set -- $(fig "$T_TMP/one.json" box events_per_s) $(fig "$T_TMP/u.json" box events_per_s)
[ "$4" = 0 ] && [ "$8" = false ] && same "$1" "$9" && pass paired-one-round-unpaired || fail paired-one-round-unpaired "rounds $4, ratio $1 vs unpaired $9"
# The verdict's scores rest on the paired comparisons too: the bootstrap
# draws the same rounds for an environment and its baseline, so the score
# CI narrows as the ratio's does (analyze/score.c).
sw() { jq -r --arg e "$2" '.scores[] | select(.category == "cpu" and .env == $e) | "\(.geomean) \(.hi - .lo)"' "$1"; }
# shellcheck disable=SC2046 # the figures are words: split on purpose
set -- $(sw "$T_TMP/d.json" box) $(sw "$T_TMP/u.json" box)
awk -v p="${1:-0}" -v pw="${2:-0}" -v uw="${4:-0}" 'BEGIN { d = p / 0.94 - 1; exit !(d < 0.01 && d > -0.01 && uw >= 5 * pw && pw > 0) }' &&
	pass "paired-score-ci-narrower ($1, width $2 paired, $4 unpaired)" ||
	fail paired-score-ci-narrower "paired score $1 width $2, unpaired width $4 (want >= 5x)"
t_done
