#!/bin/bash
# analyze_badinput.sh - every kind of bad input: the analyzer names
# the file, the line and the column, exits 1 without --keep-going, and with
# --keep-going analyzes the rest and lists the rejected rows in its outputs.
# Also the odd-but-valid inputs: BOM, CRLF, concatenated files (repeated and
# reordered header), header only, unknown column, quoted newlines, gzip
# (also several members), and the empty-input cases.
. "$(dirname "$0")/../lib.sh"
A=$HVB_BIN/analyze
cd "$HVB_TOP/tests/fixtures/analyze" || exit 1

# file | expected stderr text (grep -F)
while IFS='|' read -r f want; do
	[ -z "$f" ] && continue
	"$A" -q --text "bad/$f" >/dev/null 2>"$T_TMP/err"; rc=$?
	if [ $rc = 1 ] && grep -Fq "analyze: bad/$want" "$T_TMP/err"; then pass "analyze-bad-$f"
	else fail "analyze-bad-$f" "rc $rc, want 1 and 'analyze: bad/$want'; got: $(head -2 "$T_TMP/err")"; fi
done <<'TABLE'
missing_column.csv|missing_column.csv:1: header lacks required column 'value'
not_number.csv|not_number.csv:3: column 'value': "12,5" is not a number
nan_value.csv|nan_value.csv:2: column 'value': "nan" is not a number
empty_value.csv|empty_value.csv:2: column 'value': empty, a number was expected
bad_better.csv|bad_better.csv:3: column 'better': "faster" is not a direction (expected higher or lower)
mixed_units.csv|mixed_units.csv:3: column 'unit': "ms" differs from "us" in bad/mixed_units.csv:2
bad_status.csv|bad_status.csv:2: column 'status': "done" is not a status
bad_rep.csv|bad_rep.csv:2: column 'rep': "one" is not a repetition number
bad_schema.csv|bad_schema.csv:2: column 'schema': "hvb0" is not a result schema
future_schema.csv|future_schema.csv:2: column 'schema': "hvb9" is a result schema this analyzer does not read (it reads hvb1)
empty_env.csv|empty_env.csv:2: column 'env': empty, a name was expected
extra_field.csv|extra_field.csv:2: row has 17 fields, the header has 16
truncated.csv|truncated.csv:3: truncated last line: 10 of the header's 16 fields
bad_quote.csv|bad_quote.csv:3: column 'value': malformed CSV quoting
unterminated.csv|unterminated.csv:3: column 'note': unterminated quoted field at end of file
empty.csv|empty.csv:1: empty file: the hvb1 header line was expected
truncated.csv.gz|truncated.csv.gz:1: truncated gzip file
corrupt.csv.gz|corrupt.csv.gz:1: corrupt gzip data
not_number_gz.csv.gz|not_number_gz.csv.gz:3: column 'value': "12,5" is not a number
nul_byte.csv|nul_byte.csv:2: column 'value': contains a NUL byte
TABLE

# All errors of all files are reported in one run, not just the first.
"$A" -q --text bad >/dev/null 2>"$T_TMP/all"; rc=$?
n=$(grep -c '^analyze: bad/' "$T_TMP/all")
[ $rc = 1 ] && [ "$n" -ge 19 ] && pass analyze-bad-all-reported || fail analyze-bad-all-reported "rc $rc, $n messages for 19 bad files"

# --keep-going: exit 0, the good rows analyzed, the bad ones listed in every output.
"$A" -q --keep-going --json "$T_TMP/k.json" --summary-csv "$T_TMP/k.csv" bad/not_number.csv >"$T_TMP/k.txt" 2>/dev/null; rc=$?
[ $rc = 0 ] && pass analyze-keep-going-exit || fail analyze-keep-going-exit "rc $rc"
n=$(jq '.rejected | length' "$T_TMP/k.json")
l=$(jq -r '.rejected[0].line' "$T_TMP/k.json")
[ "$n" = 1 ] && [ "$l" = 3 ] && pass analyze-keep-going-json || fail analyze-keep-going-json "rejected $n, line $l"
[ "$(jq '.files[0].bad' "$T_TMP/k.json")" = 1 ] && [ "$(jq '.files[0].rows' "$T_TMP/k.json")" = 1 ] \
	&& pass analyze-keep-going-counts || fail analyze-keep-going-counts "$(jq -c '.files[0]' "$T_TMP/k.json")"
n=$(csvq "$T_TMP/k.csv" 'NR == 2 { print n }')
[ "$n" = 1 ] && pass analyze-keep-going-good-rows || fail analyze-keep-going-good-rows "n $n, want the 1 good row"
"$A" -q --keep-going --text bad/not_number.csv > "$T_TMP/k.txt" 2>/dev/null
grep -q 'bad/not_number.csv:3: column .value.: "12,5" is not a number' "$T_TMP/k.txt" \
	&& pass analyze-keep-going-text || fail analyze-keep-going-text "text output does not list the rejected row"

# Empty input.
mkdir -p "$T_TMP/empty/sub"; echo hello > "$T_TMP/empty/readme.txt"
"$A" -q --text "$T_TMP/empty" >/dev/null 2>"$T_TMP/e"; rc=$?
[ $rc = 4 ] && grep -q "empty: no \*.csv or \*.csv.gz file in this directory" "$T_TMP/e" \
	&& pass analyze-empty-dir || fail analyze-empty-dir "rc $rc: $(cat "$T_TMP/e")"
"$A" -q --text "$T_TMP/nonexistent" >/dev/null 2>"$T_TMP/e"; rc=$?
[ $rc = 4 ] && grep -q "nonexistent: cannot read: No such file" "$T_TMP/e" \
	&& pass analyze-missing-path || fail analyze-missing-path "rc $rc: $(cat "$T_TMP/e")"
"$A" >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && pass analyze-no-args || fail analyze-no-args "rc $rc, want 2"
"$A" --no-such-option x >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && pass analyze-bad-option || fail analyze-bad-option "rc $rc, want 2"

# --help lists every option of the table; --version names the schema.
"$A" --help > "$T_TMP/h" 2>&1; rc=$?
miss=""
for o in --output --xlsx --charts --gnuplot-scripts --template --summary-csv --json --text --baseline --drop-outliers --keep-going --quiet; do
	grep -q -- "$o" "$T_TMP/h" || miss="$miss $o"
done
[ $rc = 0 ] && [ -z "$miss" ] && pass analyze-help || fail analyze-help "rc $rc, missing:$miss"
"$A" --version | grep -q 'hvb1' && pass analyze-version || fail analyze-version "$("$A" --version 2>&1)"

# Odd but valid: file | expected n of the one series
while IFS='|' read -r f want; do
	[ -z "$f" ] && continue
	"$A" -q --summary-csv "$T_TMP/o.csv" "odd/$f" 2>"$T_TMP/err"; rc=$?
	got=$(csvq "$T_TMP/o.csv" 'NR == 2 { print n }')
	if [ $rc = 0 ] && [ "$got" = "$want" ]; then pass "analyze-odd-$f"
	else fail "analyze-odd-$f" "rc $rc, n '$got', want $want; $(head -2 "$T_TMP/err")"; fi
done <<'TABLE'
bom.csv|2
crlf.csv|2
concat.csv|3
gz.csv.gz|1
members.csv.gz|2
unknown_column.csv|1
TABLE
"$A" --summary-csv "$T_TMP/o.csv" odd/unknown_column.csv 2>"$T_TMP/err"
[ "$(grep -c "odd/unknown_column.csv:1: ignoring unknown column 'extra'" "$T_TMP/err")" = 1 ] \
	&& pass analyze-odd-unknown-noted-once || fail analyze-odd-unknown-noted-once "$(cat "$T_TMP/err")"
"$A" --summary-csv "$T_TMP/o.csv" odd/header_only.csv 2>"$T_TMP/err"; rc=$?
[ $rc = 0 ] && grep -q "header only, no data rows" "$T_TMP/err" && [ "$(wc -l < "$T_TMP/o.csv")" = 1 ] \
	&& pass analyze-odd-header-only || fail analyze-odd-header-only "rc $rc $(cat "$T_TMP/err")"
# Line numbers count physical lines: a quoted note spanning two lines and a
# blank line come before the bad row on line 6.
"$A" -q --text odd/multiline.csv >/dev/null 2>"$T_TMP/err"; rc=$?
[ $rc = 1 ] && grep -q 'odd/multiline.csv:6: column .value.: "x81" is not a number' "$T_TMP/err" \
	&& pass analyze-odd-multiline-lines || fail analyze-odd-multiline-lines "rc $rc: $(cat "$T_TMP/err")"
# Hostile labels: an escape sequence and a formula in env/metric are data.
H="schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note"
printf '%s\n' "$H" > "$T_TMP/evil.csv"
for r in 1 2 3; do
	printf 'hvb1,r,t,"ev\033[2Jil, ""x""",none,none,h,forkbench,,=cmd|calc,us,lower,%d,8%d,ok,\n' $r $r >> "$T_TMP/evil.csv"
done
"$A" -q --text --json "$T_TMP/evil.json" --summary-csv "$T_TMP/evil.s.csv" "$T_TMP/evil.csv" > "$T_TMP/evil.txt" 2>&1; rc=$?
if [ $rc = 0 ] && ! grep -q $'\033' "$T_TMP/evil.txt" && grep -q 'ev?\[2Jil, "x"' "$T_TMP/evil.txt"; then pass analyze-text-no-control-chars
else fail analyze-text-no-control-chars "rc $rc or an ESC byte reached the terminal"; fi
e=$(jq -r '.envs[0].env' "$T_TMP/evil.json")
[ "$e" = $'ev\033[2Jil, "x"' ] && pass analyze-json-escapes-label || fail analyze-json-escapes-label "name '$e'"
# the metric =cmd|calc gets a leading ' (no formula in a spreadsheet)
grep -q '^"ev.\[2Jil, ""x""",forkbench,,'"'"'=cmd|calc,' "$T_TMP/evil.s.csv" && pass analyze-summary-csv-quotes-label \
	|| fail analyze-summary-csv-quotes-label "$(sed -n 2p "$T_TMP/evil.s.csv")"
t_done
