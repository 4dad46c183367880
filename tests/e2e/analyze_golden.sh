#!/bin/bash
# analyze_golden.sh - golden test of the analyzer: the fixture campaign in
# tests/fixtures/analyze/golden/data in, --summary-csv out, compared field by
# field (tolerance 1e-9 relative) with expected.csv, which GNU R computed
# independently (expected.R beside it).  Also checks the JSON and text
# renderers of the same model and each pitfall warning the fixture provokes.
. "$(dirname "$0")/../lib.sh"
A=$HVB_BIN/analyze
G=$HVB_TOP/tests/fixtures/analyze/golden
cd "$HVB_TOP" || exit 1

if "$A" -q --summary-csv "$T_TMP/s.csv" --json "$T_TMP/m.json" tests/fixtures/analyze/golden/data 2>"$T_TMP/err"; then
	pass analyze-golden-runs
else
	fail analyze-golden-runs "exit $?: $(head -3 "$T_TMP/err")"
fi
awk -F, -v tol=1e-9 -f tests/fixtures/analyze/compare.awk "$G/expected.csv" "$T_TMP/s.csv"
# The goldens are R's: R run again on the fixture writes them byte for byte
# (rank columns included), so no hand edit of expected*.csv can go unseen.
if command -v Rscript >/dev/null; then
	mkdir -p "$T_TMP/r" && cp -r "$G/data" "$G/expected.R" "$G/scores.R" "$T_TMP/r/" &&
	(cd "$T_TMP/r" && Rscript expected.R && Rscript scores.R) >"$T_TMP/r.out" 2>&1
	rc=$?
	if [ "$rc" = 0 ] && cmp -s "$T_TMP/r/expected.csv" "$G/expected.csv" && cmp -s "$T_TMP/r/expected_scores.csv" "$G/expected_scores.csv"; then
		pass analyze-golden-is-r
	else
		fail analyze-golden-is-r "Rscript exit $rc; $(diff "$G/expected.csv" "$T_TMP/r/expected.csv" | head -3) $(diff "$G/expected_scores.csv" "$T_TMP/r/expected_scores.csv" | head -3) $(tail -2 "$T_TMP/r.out")"
	fi
else
	skip analyze-golden-is-r "no Rscript (make deps installs r-base-core)"
fi
n_exp=$(($(wc -l < "$G/expected.csv") - 1))
n_got=$(($(wc -l < "$T_TMP/s.csv") - 1))
[ "$n_exp" = "$n_got" ] && pass analyze-golden-row-count || fail analyze-golden-row-count "got $n_got series, want $n_exp"

# JSON: valid, and carries what the summary does.
if jq -e . "$T_TMP/m.json" >/dev/null 2>&1; then pass analyze-json-valid; else fail analyze-json-valid "jq cannot parse it"; fi
b=$(jq -r .baseline "$T_TMP/m.json")
[ "$b" = host ] && pass analyze-json-baseline || fail analyze-json-baseline "baseline '$b', want host (the env with virt=none, container=none)"
r=$(jq -r '.metrics[] | select(.bench=="forkbench") | .series[] | select(.env=="kvm") | .ratio' "$T_TMP/m.json")
want=$(csvq "$G/expected.csv" 'env == "kvm" && bench == "forkbench" { print ratio }')
awk -v a="$r" -v b="$want" 'BEGIN{d=a-b; if(d<0)d=-d; exit !(d < 1e-9*b)}' \
	&& pass analyze-json-ratio || fail analyze-json-ratio "json ratio $r, R says $want"

# Each pitfall of the fixture is warned about, naming its evidence.
chk_warn() { # kind env evidence-regex
	local ev
	ev=$(jq -r --arg k "$1" --arg e "$2" '.warnings[] | select(.kind==$k and .env==$e) | .evidence' "$T_TMP/m.json" | head -1)
	if [ -n "$ev" ] && printf '%s' "$ev" | grep -Eq "$3"; then pass "analyze-warn-$1"
	else fail "analyze-warn-$1" "no $1 warning for $2 with evidence matching /$3/ (got '$ev')"; fi
}
chk_warn clocksource vbox 'vbox\.csv:[0-9]+ and .*vbox\.csv:[0-9]+'
chk_warn steal kvm 'kvm\.csv:8$'
chk_warn skew ctr 'mean 1092.* vs 997'
chk_warn signature vbox 'vbox\.csv:4$'
chk_warn few-reps vbox 'n 1, first sample at .*vbox\.csv:[0-9]+'
chk_warn cv kvm 'sd 1802'
n=$(jq '[.warnings[] | select(.kind=="steal" or .kind=="skew" or .kind=="clocksource" or .kind=="signature")] | length' "$T_TMP/m.json")
[ "$n" = 4 ] && pass analyze-warn-no-false-alarm || fail analyze-warn-no-false-alarm "$n steal/skew/clocksource/signature warnings, want exactly 4"

# Different CPU models compared as if alike.
mkdir -p "$T_TMP/cpu"
cp tests/fixtures/analyze/golden/data/*.csv "$T_TMP/cpu/"
sed -i 's/,cpu_model,,,,,info,.*/,cpu_model,,,,,info,AMD EPYC 7302/' "$T_TMP/cpu/kvm.csv"
"$A" -q --json "$T_TMP/cpu.json" "$T_TMP/cpu"
ev=$(jq -r '.warnings[] | select(.kind=="cpu-model") | "\(.env): \(.evidence)"' "$T_TMP/cpu.json")
[ "$ev" = 'kvm: cpu_model "AMD EPYC 7302" vs "Intel(R) Xeon(R) Gold 6230"' ] && pass analyze-warn-cpu-model \
	|| fail analyze-warn-cpu-model "got '$ev'"
[ "$(jq '[.warnings[] | select(.kind=="cpu-model")] | length' "$T_TMP/m.json")" = 0 ] \
	&& pass analyze-warn-cpu-model-same || fail analyze-warn-cpu-model-same "warned with identical CPU models"

# Scores: category geometric means exist for each env, baseline is 1.
g=$(jq -r '.scores[] | select(.category=="overall" and .env=="host") | .geomean' "$T_TMP/m.json")
[ "$g" = 1 ] && pass analyze-score-baseline || fail analyze-score-baseline "host overall $g, want 1"
g=$(jq -r '.scores[] | select(.category=="disk" and .env=="kvm") | .geomean' "$T_TMP/m.json")
want=$(csvq "$G/expected.csv" 'env == "kvm" && bench == "iobench" { print ratio }')
awk -v a="$g" -v b="$want" 'BEGIN{d=a-b; if(d<0)d=-d; exit !(d < 1e-9*b)}' \
	&& pass analyze-score-single-metric || fail analyze-score-single-metric "kvm disk $g, the one disk ratio is $want"

# Text: the default output without a report, and --text.
"$A" -q --text tests/fixtures/analyze/golden/data > "$T_TMP/t.txt" 2>&1
grep -q '^baseline: host (virt=none and container=none)' "$T_TMP/t.txt" && pass analyze-text-baseline || fail analyze-text-baseline "$(head -5 "$T_TMP/t.txt")"
grep -Eq '^  3    vbox +1 ' "$T_TMP/t.txt" && pass analyze-text-n1-row || fail analyze-text-n1-row "no rank-3 vbox row with n 1"
grep -q 'n=1: no CI' "$T_TMP/t.txt" && pass analyze-text-no-ci || fail analyze-text-no-ci "n = 1 series not marked"

# --baseline, and an unknown one.
"$A" -q --baseline kvm --json "$T_TMP/k.json" tests/fixtures/analyze/golden/data
[ "$(jq -r .baseline_why "$T_TMP/k.json")" = "--baseline" ] && pass analyze-baseline-option || fail analyze-baseline-option "baseline_why $(jq -r .baseline_why "$T_TMP/k.json")"
"$A" -q --baseline nosuch --text tests/fixtures/analyze/golden/data >/dev/null 2>"$T_TMP/e"; rc=$?
[ $rc = 2 ] && grep -q "no such environment" "$T_TMP/e" && pass analyze-baseline-unknown || fail analyze-baseline-unknown "rc $rc: $(cat "$T_TMP/e")"

# No baseline at all: absolute comparison only, said so.
mkdir -p "$T_TMP/nb"
for e in kvm vbox; do cp "tests/fixtures/analyze/golden/data/$e.csv" "$T_TMP/nb/"; done
"$A" -q --text "$T_TMP/nb" > "$T_TMP/nb.txt"
grep -q '^baseline: none (.*absolute comparison only' "$T_TMP/nb.txt" && pass analyze-no-baseline || fail analyze-no-baseline "$(grep baseline "$T_TMP/nb.txt")"

# --drop-outliers changes n of the series with the planted outlier only.
"$A" -q --drop-outliers --summary-csv "$T_TMP/d.csv" tests/fixtures/analyze/golden/data
n=$(csvq "$T_TMP/d.csv" 'env == "kvm" && bench == "membench" { print n "/" n_samples "/" n_outliers }')
[ "$n" = "5/6/1" ] && pass analyze-drop-outliers || fail analyze-drop-outliers "n/n_samples/n_outliers $n, want 5/6/1"

# The verdict's scores against R (scores.R beside expected.csv): the point
# estimates to 1e-9, the bootstrap CIs (R's RNG against GSL's, 10,000
# resamples each) to 5 % of the interval's width.
"$A" -q --json "$T_TMP/sc.json" --resamples 10000 tests/fixtures/analyze/golden/data
jq -r '.scores[] | select(.geomean != null and .env != "host") | [.env, .category, .geomean, .lo, .hi] | @csv' "$T_TMP/sc.json" |
	tr -d '"' | sort > "$T_TMP/got_scores.csv"
tail -n +2 "$G/expected_scores.csv" | sort > "$T_TMP/want_scores.csv"
ng=$(wc -l < "$T_TMP/got_scores.csv"); nw=$(wc -l < "$T_TMP/want_scores.csv")
[ "$ng" = "$nw" ] && [ "$nw" -ge 10 ] && pass "analyze-golden-scores-count ($nw)" || fail analyze-golden-scores-count "got $ng scores, R has $nw"
join -t, -j1 <(awk -F, '{print $1"/"$2","$3","$4","$5}' "$T_TMP/got_scores.csv") \
	<(awk -F, '{print $1"/"$2","$3","$4","$5}' "$T_TMP/want_scores.csv") |
	awk -F, '{ k = $1; g = $2; w = $5; d = g - w; if (d < 0) d = -d
		   if (d > 1e-9 * w) { printf "FAIL analyze-golden-score-%s: %s, R says %s\n", k, g, w; next }
		   width = $7 - $6; e1 = $3 - $6; e2 = $4 - $7; if (e1 < 0) e1 = -e1; if (e2 < 0) e2 = -e2
		   if (e1 > 0.05 * width || e2 > 0.05 * width)
			   printf "FAIL analyze-golden-score-ci-%s: [%s, %s], R says [%s, %s]\n", k, $3, $4, $6, $7
		   else printf "PASS analyze-golden-score-%s\n", k }'
# Incomplete: ctr and vbox lack the baseline's disk series: shown, not ranked.
r=$(jq -r '[.scores[] | select(.category=="overall" and (.complete|not)) | "\(.env):\(.rank)"] | join(" ")' "$T_TMP/sc.json")
[ "$r" = "ctr:0 vbox:0" ] && pass analyze-golden-incomplete-not-ranked || fail analyze-golden-incomplete-not-ranked "'$r'"
t_done
