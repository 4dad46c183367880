#!/bin/bash
# docs_fields.sh - one field catalogue (model/fields.h): docs/fields.md is
# exactly `analyze --fields`; every field name of a table is defined once in
# model/fields.h and in no renderer (out.c, xlsx.c write the tables, never a
# name); the summary CSV header is the series table in order.  The formats
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

# Each name once in its table, and no renderer spells a field name as a
# string: one "X(name," line in fields.h; "\"ratio_lo\"" nowhere in out.c / xlsx.c.
dup=$( (echo "$series" | sort | uniq -d; echo "$envs" | sort | uniq -d) | tr '\n' ' ')
[ -z "$dup" ] && pass fields_defined_once || fail fields_defined_once "$dup"
hits=""
for f in overhead_pct ratio_lo p_welch n_outliers paired_plans host_busy_mean_pct clock_skew_pct cpuid_hv_signature unpaired_ratio_hi; do
	grep -q "\"$f\"" analyze/out.c report/xlsx.c && hits="$hits $f"
	[ "$(grep -c "^	X($f," model/fields.h)" = 1 ] || hits="$hits $f(catalogue)"
done
[ -z "$hits" ] && pass fields_no_hand_lists || fail fields_no_hand_lists "named outside the catalogue:$hits"
t_done
