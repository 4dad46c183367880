#!/bin/bash
# docs_fields.sh - one field catalogue (model/fields.h): docs/fields.md is
# exactly `analyze --fields`; every field name of a table is defined once in
# model/fields.h and in no renderer (out.c, xlsx.c write the tables, text.c
# their text selections, never a name); the summary CSV header is the series
# table in order; the text summary's table headers are catalogue names.  The formats
# agreeing with each other (CSV = XLSX Statistics = JSON series keys) is
# checked in report_xlsx.sh on real workbooks.
source "$(dirname "$0")/../lib.sh"
cd "$HVB_TOP" || exit 1
A=$HVB_BIN/analyze

"$A" --fields >"$T_TMP/f.md" 2>"$T_TMP/err"; rc=$?
[ "$rc" = 0 ] && [ ! -s "$T_TMP/err" ] && pass fields_exit_0 || fail fields_exit_0 "rc $rc: $(head -c 200 "$T_TMP/err")"
if cmp -s docs/fields.md "$T_TMP/f.md"; then pass fields_docs_generated
else fail fields_docs_generated "docs/fields.md differs from analyze --fields (make docs-fields): $(diff docs/fields.md "$T_TMP/f.md" | head -4 | tr '\n' ' ')"; fi

# The series table's names, from the docs (the generated table), in order.
series=$(awk '/^## Series/{on=1; next} /^## /{on=0} on && /^\| [0-9]/ {gsub(/`/, "", $4); print $4}' "$T_TMP/f.md")
envs=$(awk '/^## Environments/{on=1; next} /^## /{on=0} on && /^\| [0-9]/ {gsub(/`/, "", $4); print $4}' "$T_TMP/f.md")
[ "$(echo "$series" | wc -l)" -ge 40 ] && [ "$(echo "$envs" | wc -l)" -ge 30 ] \
	&& pass fields_tables_read || fail fields_tables_read "$(echo "$series" | wc -l) series, $(echo "$envs" | wc -l) env fields"

"$A" -q --summary-csv "$T_TMP/s.csv" tests/fixtures/analyze/golden/data 2>"$T_TMP/err"
[ "$(head -1 "$T_TMP/s.csv")" = "$(echo "$series" | paste -sd,)" ] \
	&& pass fields_summary_header || fail fields_summary_header "$(head -1 "$T_TMP/s.csv" | head -c 200)"
# Today's summary CSV names stay: the first 37 columns as before the catalogue.
old="env,bench,params,metric,unit,better,category,n,n_samples,n_outliers,mean,sd,cv,median,mad,min,max,p5,p95,ci_lo,ci_hi,baseline,ratio,ratio_lo,ratio_hi,overhead_pct,p_welch,p_mw,no_ci,rank,rank_tied,paired_rounds,paired_plan,p_paired,unpaired_ratio,unpaired_ratio_lo,unpaired_ratio_hi"
case "$(head -1 "$T_TMP/s.csv")" in
"$old",*) pass fields_summary_names_kept ;;
*) fail fields_summary_names_kept "header no longer starts with the historical columns" ;;
esac

# The R goldens (tests/fixtures/analyze/golden, computed outside the code)
# head their columns with catalogue names: expected.csv with series fields,
# expected_scores.csv with score fields; analyze_golden.sh matches by name.
scores=$(awk '/^## Scores/{on=1; next} /^## /{on=0} on && /^\| [0-9]/ {gsub(/`/, "", $4); print $4}' "$T_TMP/f.md")
bad=""
for c in $(head -1 tests/fixtures/analyze/golden/expected.csv | tr ',' ' '); do
	grep -qx "$c" <<<"$series" || bad="$bad expected.csv:$c"
done
for c in $(head -1 tests/fixtures/analyze/golden/expected_scores.csv | tr ',' ' '); do
	grep -qx "$c" <<<"$scores" || bad="$bad expected_scores.csv:$c"
done
[ -n "$scores" ] && [ -z "$bad" ] && pass fields_golden_headers || fail fields_golden_headers "not catalogue names:${bad:- (no score table)}"

# Each name once in its table, and no renderer spells a field name as a
# string: one "X(name," line in fields.h; "\"ratio_lo\"" nowhere in out.c / xlsx.c.
dup=$( (echo "$series" | sort | uniq -d; echo "$envs" | sort | uniq -d) | tr '\n' ' ')
[ -z "$dup" ] && pass fields_defined_once || fail fields_defined_once "$dup"
hits=""
for f in overhead_pct ratio_lo p_welch n_outliers paired_plans host_busy_mean_pct clock_skew_pct cpuid_hv_signature unpaired_ratio_hi; do
	grep -q "\"$f\"" analyze/out.c report/xlsx.c analyze/text.c && hits="$hits $f"
	[ "$(grep -c "^	X($f," model/fields.h)" = 1 ] || hits="$hits $f(catalogue)"
done
[ -z "$hits" ] && pass fields_no_hand_lists || fail fields_no_hand_lists "named outside the catalogue:$hits"

# The text summary (analyze/text.c, HVB_*_TEXT in fields.h): every word of a
# table's header is a field of that table in the catalogue ("[ci_lo, ci_hi]"
# and "n_metrics/n_expected" are two each).  The header is the line after a
# metric's title (series), "scores:" (scores), "pooled across machines"
# (group scores) and "host cost:" (environments).  On data/sample (with
# sidecars) and a two-machine campaign (the machine column, pooled scores).
names_of() { awk -v t="$1" '$0 == "## " t { on = 1; next } /^## / { on = 0 }
	on && /^\| [0-9]/ { gsub(/`/, "", $4); print $4 }' "$T_TMP/f.md"; }
headers() { awk 'h { print h "\t" $0; h = "" }
	/is better, [a-z]+\]$/ { h = "Series" } /^scores: / { h = "Scores" }
	/^  pooled across machines/ { h = "Group scores" } /^host cost: / { h = "Environments" }' "$1"; }
H="schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note"
mkdir -p "$T_TMP/mm"
{ echo "$H"
for e in "host-a none server - 2000" "kvm-server kvm vma server 1800" "host-b none laptop - 1000" "kvm-laptop kvm vmb laptop 500"; do
	read -r env virt host mach v <<<"$e"
	[ "$mach" != - ] && echo "hvb1,r-$env,2026-11-21T00:00:00Z,$env,$virt,none,$host,hvbench,,machine,,,,,info,$mach"
	for r in 1 2 3; do
		echo "hvb1,r-$env,2026-11-21T00:00:0${r}Z,$env,$virt,none,$host,cpubench,kernel=int;threads=1,events_per_s,1/s,higher,$r,$((v + r)),ok,"
	done
done; } >"$T_TMP/mm/all.csv"
"$A" -q --text data/sample >"$T_TMP/t1.txt" 2>"$T_TMP/err" && "$A" -q --text "$T_TMP/mm" >"$T_TMP/t2.txt" 2>>"$T_TMP/err" \
	&& pass fields_text_runs || fail fields_text_runs "$(head -c 200 "$T_TMP/err")"
headers "$T_TMP/t1.txt" >"$T_TMP/h.tsv"
headers "$T_TMP/t2.txt" >>"$T_TMP/h.tsv"
bad="" seen=""
while IFS=$'\t' read -r table header; do
	known=$(names_of "$table")
	[ -n "$known" ] || bad="$bad [$table: no such table in fields.md]"
	for w in $(tr '[],/' '    ' <<<"$header"); do
		grep -qxF -- "$w" <<<"$known" || bad="$bad [$table: '$w']"
	done
	seen="$seen|$table"
done <"$T_TMP/h.tsv"
nser=$(grep -c '^Series' "$T_TMP/h.tsv")
ntitles=$(grep -Ec 'is better, [a-z]+\]$' "$T_TMP/t1.txt" "$T_TMP/t2.txt" | awk -F: '{ s += $2 } END { print s }')
if [ -z "$bad" ] && [ "$nser" -ge 40 ] && [ "$nser" = "$ntitles" ] && [[ $seen == *"|Scores"*"|Environments"*"|Scores"*"|Group scores"* ]]; then
	pass fields_text_headers
else
	fail fields_text_headers "$nser series headers for $ntitles metrics; tables: $(tr '|' '\n' <<<"$seen" | sort | uniq -c | tr -s ' \n' ' '); not catalogue names:${bad:0:300}"
fi
# Each text column named once, by its catalogue name (no "95% CI of mean",
# "overhead", "p", "paired", "score", "busy_mean" any more).
want="rank env n mean sd cv median [ci_lo, ci_hi] ratio [ratio_lo, ratio_hi] overhead_pct p_welch paired_rounds unpaired_ratio"
got=$(awk -F'\t' '$1 == "Series" { print $2; exit }' "$T_TMP/h.tsv" | sed 's/^ *//; s/  */ /g')
[ "$got" = "$want" ] && pass fields_text_series_header || fail fields_text_series_header "got '$got'"
# text.c takes the values through the accessors: none of the struct members
# it used to print by hand (s->st.mean, s->cmp.ratio, e->host_wall_s, ...).
members=$(grep -nE -e '(->|\.)(st|cmp)\.' -e 'envs\[[^]]*\]\.name' \
	-e '->(env|name|virt|container|machine|rank|rank_tied|geomean|lo|hi|n_metrics|n_expected|complete|n_machines)\b' \
	-e '->(host_runs|host_wall_s|host_busy_mean|host_busy_s|host_cpu_s|host_busy_max|host_mem_taken_mb|clock_skew_pct|clock_benches)\b' \
	-e '->(busy_mean|kind|message|evidence)\b' analyze/text.c)
[ -z "$members" ] && pass fields_text_no_members || fail fields_text_no_members "$(head -3 <<<"$members" | tr '\n' ' ')"
t_done
