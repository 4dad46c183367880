#!/bin/bash
# report_hostile.sh - labels and notes from the CSVs are data in every destination.
# tests/fixtures/report/hostile/ has environments named <script>alert(1)</script>,
# ";system("touch /tmp/pwned")", =HYPERLINK(...), one with a backslash, backquotes, $( ),
# quotes and a newline; notes and facts with <img onerror>, <b>, =cmd|..., and a benchmark
# named evil"bench\ whose params hold system() and backquotes.  The test proves: nothing ran
# (no /tmp/pwned, no file in a private directory the payloads could name), the HTML holds no
# markup from the data, gnuplot drew each label literally, the kept gnuplot scripts hold no
# quote/backquote/newline from the data, and the XLSX stores every label as a string.
# env1.meta and env1.host.tsv beside env1.csv (collect's sidecars) carry markup, a formula
# and a $( ) too: shown as text in the report, plain strings in the XLSX.
source "$(dirname "$0")/../lib.sh"
cd "$HVB_TOP" || exit 1
A=$HVB_BIN/analyze
FIX=tests/fixtures/report/hostile

if [ -e /tmp/pwned ]; then
	rm -f /tmp/pwned 2>/dev/null || { fail report_hostile_setup "/tmp/pwned exists and cannot be removed"; t_done; }
fi
H=$T_TMP/h.html
# Run from an empty directory: a relative "touch" in a payload would land here.
mkdir "$T_TMP/cwd"
if (cd "$T_TMP/cwd" && "$A" "$HVB_TOP/$FIX" -o "$H" --xlsx "$T_TMP/h.xlsx" \
	--gnuplot-scripts "$T_TMP/gp" --charts "$T_TMP/charts" --summary-csv "$T_TMP/sum.csv") 2>"$T_TMP/err"; then
	pass report_hostile_runs
else
	fail report_hostile_runs "analyze exited non-zero: $(head -c 300 "$T_TMP/err")"
	t_done
fi
# Redraw every kept script too: a user running them must be as safe.
(cd "$T_TMP/gp" && for f in *.gp; do gnuplot "$f" >/dev/null 2>&1; done)
if [ ! -e /tmp/pwned ] && [ -z "$(ls -A "$T_TMP/cwd")" ]; then
	pass report_hostile_nothing_ran
else
	fail report_hostile_nothing_ran "a payload ran: $(ls -la /tmp/pwned "$T_TMP/cwd" 2>&1 | head -3 | tr '\n' ' ')"
fi

# HTML: no markup from the data, outside and inside the SVG charts.
if grep -Eq '<script|<img|<iframe|<b>bold' "$H"; then
	fail report_hostile_html_escaped "raw markup: $(grep -Eo '.{0,20}(<script|<img|<iframe|<b>bold).{0,20}' "$H" | head -2)"
else
	pass report_hostile_html_escaped
fi
if grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$H" && grep -qF '&lt;img src=x onerror=alert(1)&gt;' "$H"; then
	pass report_hostile_html_shown_as_text
else
	fail report_hostile_html_shown_as_text "the hostile labels are not shown (escaped) in the report"
fi
# collect's sidecars beside env1.csv (env1.meta, env1.host.tsv) carry markup too:
# a benchmark name, benches_missing and a telemetry field, shown only as text.
if grep -qF '&lt;script&gt;alert(3)&lt;/script&gt;' "$H" && grep -qF '&lt;iframe&gt;alert(4)&lt;/iframe&gt;' "$H" &&
	grep -qF '&lt;b&gt;bold&lt;/b&gt;' "$H" && grep -qF 'env1.host.tsv:3' "$H"; then
	pass report_hostile_sidecars_shown_as_text
else
	fail report_hostile_sidecars_shown_as_text "the sidecars' hostile text is not shown (escaped) in the report"
fi
if [ "$(grep -c '<svg' "$H")" -ge 7 ]; then
	pass report_hostile_charts_drawn
else
	fail report_hostile_charts_drawn "$(grep -c '<svg' "$H") charts, want 7 (overview, 3 box plots, 3 bar charts)"
fi
# Gnuplot drew labels literally: <script>alert(1)</script> (svg text escapes < and &),
# the system() label, the params with ";=" and digits (octal escapes followed by digits).
svgtext=$(cat "$T_TMP"/charts/*.svg)
for want in '&lt;script>alert(1)&lt;/script>' '";system("touch /tmp/pwned")"' 'p=";system("touch /tmp/pwned")";q=`id`' \
	    '=HYPERLINK("http://example.invalid/x","click")' 'kernel=int;threads=1'; do
	if grep -qF -- "$want" <<<"$svgtext"; then
		pass "report_hostile_gnuplot_label_literal_${#want}"
	else
		fail "report_hostile_gnuplot_label_literal_${#want}" "no chart shows the label $want literally"
	fi
done
# The scripts (comment lines aside): every data string is one literal; no raw quote,
# backquote or newline from the data.
cat "$T_TMP"/gp/*.gp | grep -v '^#' >"$T_TMP/gp.all"
if grep -qF 'system("touch' "$T_TMP/gp.all" || grep -q '`' "$T_TMP/gp.all" || grep -q '^new line' "$T_TMP/gp.all"; then
	fail report_hostile_gnuplot_scripts "data text reached a script unescaped: $(grep -nF -e 'system("touch' -e '`' "$T_TMP/gp.all" | head -2)"
else
	pass report_hostile_gnuplot_scripts
fi

# XLSX: read back with openpyxl: no formula anywhere, labels are the exact strings.
# A label that reads like an SVG id stays as written: the charts' ids are
# prefixed inside tags only (a prefix in text would turn id='q' into id='c0-q').
mkdir -p "$T_TMP/idq"
{ echo "schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note"
  for r in 1 2 3; do
	echo "hvb1,r1,2026-11-21T00:00:0${r}Z,host,none,none,h,cpubench,k=1,events_per_s,1/s,higher,$r,$((100 + r)),ok,"
	echo "hvb1,r2,2026-11-21T00:00:0${r}Z,\"x id='q'\",kvm,none,g,cpubench,k=1,events_per_s,1/s,higher,$r,$((90 + r)),ok,"
  done; } > "$T_TMP/idq/a.csv"
"$A" -q -o "$T_TMP/idq.html" "$T_TMP/idq" 2>"$T_TMP/err"
n_svg=$(grep -c "<svg" "$T_TMP/idq.html"); n_bad=$(grep -c "c[0-9]*-q'" "$T_TMP/idq.html")
[ "$n_svg" -gt 0 ] && [ "$n_bad" = 0 ] && grep -q "id='q'</text>\|>id='q'<" "$T_TMP/idq.html" &&
	pass report_hostile_svg_label_not_prefixed || fail report_hostile_svg_label_not_prefixed "$n_svg charts, $n_bad rewritten labels"
# A metric whose values are all negative keeps its chart (a yrange of
# [0:*] would leave gnuplot nothing to plot).
mkdir -p "$T_TMP/neg"
{ echo "schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note"
  for e in "host none" "kvm kvm"; do set -- $e; for r in 1 2 3; do
	echo "hvb1,r-$1,2026-11-21T00:00:0${r}Z,$1,$2,none,h,clockbench,,offset_us,us,lower,$r,-$((100 + r * 3)),ok,"
  done; done; } > "$T_TMP/neg/a.csv"
"$A" -o "$T_TMP/neg.html" "$T_TMP/neg" 2>"$T_TMP/err"; rc=$?
[ "$rc" = 0 ] && [ "$(grep -c '<svg' "$T_TMP/neg.html")" = 2 ] && ! grep -q "gnuplot>" "$T_TMP/err" &&
	pass report_negative_metric_chart || fail report_negative_metric_chart "exit $rc, $(grep -c '<svg' "$T_TMP/neg.html") charts: $(grep -m1 'gnuplot>' "$T_TMP/err")"
# The same at the XML level (the workbook is written in constant-memory mode, strings
# inline): no worksheet holds a formula element, and the =HYPERLINK label is the text of
# an inline-string cell.
if out=$(/usr/bin/python3 - "$T_TMP/h.xlsx" 2>&1 <<'EOF'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sheets = {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")}
f = [n for n, x in sheets.items() if re.search(r"<f[ >]", x)]
assert not f, f"formula elements in {f}"
hyper = '=HYPERLINK(&quot;http://example.invalid/x&quot;,&quot;click&quot;)'
cells = [c for x in sheets.values() for c in re.findall(r'<c [^>]*t="inlineStr"[^>]*><is><t[^>]*>([^<]*)</t>', x)]
assert cells, "no inline string cells"
assert hyper in cells or hyper.replace("&quot;", '"') in cells, "the =HYPERLINK label is not an inline string cell"
print("ok", len(cells))
EOF
); then
	pass report_hostile_xlsx_xml_strings
else
	fail report_hostile_xlsx_xml_strings "$(tail -c 400 <<<"$out" | tr '\n' ' ')"
fi
if ! have_openpyxl; then
	skip report_hostile_xlsx "$NO_OPENPYXL"
	t_done
fi
if out=$("$PY" - "$T_TMP/h.xlsx" "$T_TMP/sum.csv" 2>&1 <<'EOF'
import csv, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
raw = {r["env"] for r in csv.DictReader(open(sys.argv[2], newline=""))}
hyper = '=HYPERLINK("http://example.invalid/x","click")'
# The summary CSV neutralises formulas the OWASP way: a leading '.
assert "'" + hyper in raw, f"summary CSV: =HYPERLINK env not written as '=...: {sorted(raw)!r}"
assert not [e for e in raw if e[:1] in ("=", "+", "-", "@", "\t", "\r")], "a summary CSV field starts a formula"
envs = {e[1:] if e[:1] == "'" and e[1:2] in ("=", "+", "-", "@", "\t", "\r") else e for e in raw}
assert hyper in envs, "fixture lost its =HYPERLINK environment"
seen = set()
for ws in wb.worksheets:
    for row in ws.iter_rows():
        for c in row:
            assert c.data_type != "f", f"{ws.title}!{c.coordinate} is a formula: {c.value!r}"
            if isinstance(c.value, str):
                seen.add(c.value)
            if c.hyperlink:
                raise AssertionError(f"{ws.title}!{c.coordinate} has a hyperlink")
missing = [e for e in envs if e not in seen]
assert not missing, f"labels not stored as exact strings: {missing!r}"
assert "=cmd|' /C calc'!A0" in seen, "the =cmd| os fact is not a plain string"
side = ['=HYPERLINK("http://example.invalid/m","meta")', "$(touch /tmp/pwned)",
        "<script>alert(3)</script> `id`", "<iframe>alert(4)</iframe>"]
missing = [v for v in side if v not in seen]
assert not missing, f"sidecar values not stored as exact strings: {missing!r}"
print("ok", len(seen))
EOF
); then
	pass report_hostile_xlsx_strings
else
	fail report_hostile_xlsx_strings "$(tail -c 400 <<<"$out" | tr '\n' ' ')"
fi
# A '%' in a label: gnuplot reads an explicit tic label as a format ("0 %" alone once
# failed the overview chart), so esc_gnuplot_tic doubles it; every chart is drawn and the
# label is shown as it is.
mkdir "$T_TMP/pct"
for f in tests/fixtures/report/campaign/*.csv; do
	awk -F, -v OFS=, 'NR > 1 && $4 == "kvm" { $4 = "k%s%n 100 %" } 1' "$f" >"$T_TMP/pct/${f##*/}"
done
if "$A" "$T_TMP/pct" -o "$T_TMP/pct.html" 2>"$T_TMP/pct.err" && ! grep -q 'charts are left out' "$T_TMP/pct.err" &&
	grep -q '>k%s%n 100 %<' "$T_TMP/pct.html"; then
	pass report_hostile_percent_label
else
	fail report_hostile_percent_label "$(head -c 300 "$T_TMP/pct.err")"
fi
t_done
