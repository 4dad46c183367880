#!/bin/bash
# report_html.sh - the HTML report of a fixture campaign (tests/fixtures/report/campaign,
# four environments): sections in order, one inline SVG per chart, no external reference,
# input checksums, golden file (timestamps, versions, command line and chart bodies masked),
# --template, --charts DIR (SVG + PNG), --gnuplot-scripts DIR, and the report without gnuplot.
# Regenerate the golden file with HVB_UPDATE_GOLDEN=1 after an intended change.
source "$(dirname "$0")/../lib.sh"
cd "$HVB_TOP" || exit 1
A=$HVB_BIN/analyze
FIX=tests/fixtures/report/campaign
GOLD=tests/fixtures/report/golden.html

if ! command -v gnuplot >/dev/null; then
	skip report_html "gnuplot not installed (Debian gnuplot-nox, see report/deps.txt)"
	t_done
fi

H=$T_TMP/r.html
if "$A" "$FIX" -o "$H" --summary-csv "$T_TMP/sum.csv" 2>"$T_TMP/err"; then
	pass report_html_runs
else
	fail report_html_runs "analyze exited $?: $(head -c 300 "$T_TMP/err")"
	t_done
fi

# Sections, in the order the issue asks for.
order=$(grep -o '<section id="[a-z]*"' "$H" | sed 's/.*id="//; s/"//' | tr '\n' ' ')
if [ "$order" = "verdict details warnings environments methodology " ]; then
	pass report_html_section_order
else
	fail report_html_section_order "got sections: $order"
fi
for h in 'Verdict' 'Pitfall warnings' 'Environments side by side' 'Methodology and how to reproduce'; do
	n=report_html_heading_$(echo "$h" | tr 'A-Z ' 'a-z_')
	if grep -qF "<h2>$h</h2>" "$H"; then pass "$n"; else fail "$n" "missing: <h2>$h</h2>"; fi
done
# Nothing may come before the doctype (a broken template comment once printed text there).
if head -c 15 "$H" | grep -q '^<!DOCTYPE html>'; then
	pass report_html_starts_with_doctype
else
	fail report_html_starts_with_doctype "first bytes: $(head -c 80 "$H" | tr '\n' ' ')"
fi

# Verdict: every environment ranked with an overhead; the baseline named.
for e in host kvm vbox ctr; do
	if sed -n '/<section id="verdict"/,/<\/section>/p' "$H" | grep ">$e<" >/dev/null; then
		pass "report_html_verdict_$e"
	else
		fail "report_html_verdict_$e" "environment $e not in the verdict section"
	fi
done
if sed -n '/<section id="verdict"/,/<\/section>/p' "$H" | grep -E '\+[0-9]+\.[0-9] %' >/dev/null; then
	pass report_html_verdict_overhead
else
	fail report_html_verdict_overhead "no overhead percentage in the verdict"
fi
# Non-significant differences are marked (the fixture has some: ctr vs host on network).
if grep -q 'class="[^"]*\bns\b' "$H"; then pass report_html_ns_marked; else fail report_html_ns_marked "no row marked not significant"; fi

# One inline SVG per chart: overview + one box plot per benchmark + one bar chart per metric.
read -r nbench ngroup < <($PY - "$T_TMP/sum.csv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
print(len({r["bench"] for r in rows}), len({(r["bench"], r["params"], r["metric"]) for r in rows}))
EOF
)
want=$((1 + nbench + ngroup))
got=$(grep -c '<svg' "$H")
if [ "$got" -eq "$want" ] && [ "$(grep -c '</svg>' "$H")" -eq "$want" ]; then
	pass report_html_svg_per_chart
else
	fail report_html_svg_per_chart "got $got <svg>, want $want (1 overview + $nbench benchmarks + $ngroup metrics)"
fi

# Self-contained: no script, no stylesheet link, no image or other src=, no URL but the SVG
# XML namespaces (names, never fetched).
ext=$(grep -Eio '<script|<link|<iframe|<img|<object|<embed|src=|@import|url\((["'\'' ]*)(https?:|//)' "$H" | sort -u | tr '\n' ' ')
urls=$(grep -Eo 'https?://[^"'\'' <>)]*' "$H" | grep -Ev '^http://www\.w3\.org/(2000/svg|1999/xlink)$' | sort -u | head -5 | tr '\n' ' ')
if [ -z "$ext" ] && [ -z "$urls" ]; then
	pass report_html_self_contained
else
	fail report_html_self_contained "external references: $ext $urls"
fi
# The stylesheet is inlined whole: the <style> block is templates/report.css to
# the byte (the golden file masks it, so the CSS lives in one place).
css=$($PY -c 'import re,sys; m=re.search(r"<style>\n(.*?)</style>", open(sys.argv[1]).read(), re.S); print(m.group(1) if m else "", end="")' "$H")
if [ -n "$css" ] && [ "$css" = "$(cat templates/report.css)" ]; then pass report_html_inline_css
else fail report_html_inline_css "the <style> block is not templates/report.css ($(printf %s "$css" | wc -c) bytes)"; fi

# Methodology: every input file with its SHA-256, and the command line.
bad=0
for f in "$FIX"/*.csv; do
	sum=$(sha256sum "$f" | cut -d' ' -f1)
	grep -q "$sum" "$H" || { bad=1; fail report_html_sha256 "no checksum for $f"; }
done
[ $bad = 0 ] && pass report_html_sha256
if grep -q -- "-o $H" "$H"; then pass report_html_command_line; else fail report_html_command_line "command line not in the report"; fi

# Golden file: the HTML with what changes between runs and builds masked.
mask() {
	sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/TIME/g' \
	    -e 's/(hvbench|analyze) [0-9]+\.[0-9]+\.[0-9]+/\1 VERSION/g' \
	    -e 's/gnuplot [0-9][0-9.]* patchlevel [0-9]+/gnuplot VERSION/g' \
	    -e 's/(gnuplot|libxlsxwriter) [0-9]+\.[0-9]+(\.[0-9]+)?/\1 VERSION/g' \
	    -e "s#$HVB_BIN/analyze#analyze#g; s#$T_TMP/#TMP/#g" "$1" |
	$PY -c 'import re,sys; s=sys.stdin.read(); s=re.sub(r"<style>\n.*?</style>", "<style>templates/report.css</style>", s, count=1, flags=re.S); print(re.sub(r"<svg.*?</svg>", "<svg/>", s, flags=re.S), end="")'
}
mask "$H" >"$T_TMP/masked.html"
if [ "${HVB_UPDATE_GOLDEN:-0}" = 1 ]; then
	cp "$T_TMP/masked.html" "$GOLD"
	skip report_html_golden "golden file rewritten: $GOLD"
elif [ ! -f "$GOLD" ]; then
	fail report_html_golden "$GOLD missing (HVB_UPDATE_GOLDEN=1 writes it)"
elif diff -u "$GOLD" "$T_TMP/masked.html" >"$T_TMP/golden.diff"; then
	pass report_html_golden
else
	fail report_html_golden "differs from $GOLD: $(head -c 600 "$T_TMP/golden.diff" | tr '\n' '|')"
fi

# --template FILE replaces the layout; CSV text in it is still escaped.
printf '<p>T {{#warnings}}[{{kind}}]{{/warnings}} {{#env_names}}<i>{{name}}</i>{{/env_names}}</p>\n' >"$T_TMP/t.html"
if "$A" "$FIX" --template "$T_TMP/t.html" -o "$T_TMP/t.out" 2>"$T_TMP/err" &&
   grep -q '^<p>T \[' "$T_TMP/t.out" && grep -q '<i>kvm</i>' "$T_TMP/t.out"; then
	pass report_html_template_option
else
	fail report_html_template_option "$(head -c 300 "$T_TMP/t.out" "$T_TMP/err" 2>&1)"
fi
printf '{{#env_names}}\n' >"$T_TMP/bad.html"
if ! "$A" "$FIX" --template "$T_TMP/bad.html" -o "$T_TMP/bad.out" 2>"$T_TMP/err" &&
   grep -q "bad.html:1:" "$T_TMP/err"; then
	pass report_html_template_error_names_line
else
	fail report_html_template_error_names_line "want an error naming bad.html:1, got: $(head -c 300 "$T_TMP/err")"
fi

# --charts DIR: every chart as SVG and PNG; --gnuplot-scripts DIR: scripts that redraw them.
if "$A" "$FIX" --charts "$T_TMP/charts" --gnuplot-scripts "$T_TMP/gp" -o "$T_TMP/c.html" 2>"$T_TMP/err"; then
	nsvg=$(ls "$T_TMP/charts"/*.svg 2>/dev/null | wc -l)
	npng=$(ls "$T_TMP/charts"/*.png 2>/dev/null | wc -l)
	ngp=$(ls "$T_TMP/gp"/*.gp 2>/dev/null | wc -l)
	pngok=1
	for p in "$T_TMP/charts"/*.png; do
		[ "$(head -c 8 "$p" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || pngok=0
	done
	if [ "$nsvg" -eq "$want" ] && [ "$npng" -eq "$want" ] && [ "$pngok" = 1 ]; then
		pass report_html_charts_dir
	else
		fail report_html_charts_dir "svg $nsvg png $npng (valid $pngok), want $want each"
	fi
	if [ "$ngp" -eq "$want" ] && (cd "$T_TMP/gp" && gnuplot overview.gp 2>"$T_TMP/gperr") &&
	   grep -q '<svg' "$T_TMP/gp/overview.svg"; then
		pass report_html_scripts_dir
	else
		fail report_html_scripts_dir "$ngp scripts (want $want), or overview.gp did not redraw: $(head -c 200 "$T_TMP/gperr" 2>/dev/null)"
	fi
else
	fail report_html_charts_dir "analyze --charts failed: $(head -c 300 "$T_TMP/err")"
fi

# ONE gnuplot process per report, whatever the number of charts: a wrapper counts its starts.
cat >"$T_TMP/gp-count" <<EOS
#!/bin/sh
echo started >>"$T_TMP/gp-starts"
exec $(command -v gnuplot) "\$@"
EOS
chmod +x "$T_TMP/gp-count"
if HVB_GNUPLOT="$T_TMP/gp-count" "$A" "$FIX" -o "$T_TMP/one.html" 2>"$T_TMP/err" &&
   [ "$(wc -l <"$T_TMP/gp-starts")" -eq 1 ] && [ "$(grep -c '<svg' "$T_TMP/one.html")" -eq "$want" ]; then
	pass report_html_one_gnuplot_process
else
	fail report_html_one_gnuplot_process "gnuplot started $(wc -l <"$T_TMP/gp-starts" 2>/dev/null) times for $want charts: $(head -c 200 "$T_TMP/err")"
fi

# Without gnuplot the report is still written, with a note why and no chart.
if HVB_GNUPLOT=/nonexistent/gnuplot "$A" "$FIX" -o "$T_TMP/ng.html" 2>"$T_TMP/err" &&
   grep -q 'gnuplot was not found' "$T_TMP/ng.html" && ! grep -q '<svg' "$T_TMP/ng.html" &&
   grep -q '<section id="methodology"' "$T_TMP/ng.html"; then
	pass report_html_without_gnuplot
else
	fail report_html_without_gnuplot "rc/note/svg wrong: $(head -c 300 "$T_TMP/err")"
fi
noPATH=$(mktemp -d "$T_TMP/nopath.XXXX")
if env PATH="$noPATH" "$A" "$FIX" -o "$T_TMP/np.html" 2>"$T_TMP/err" && grep -q 'gnuplot was not found' "$T_TMP/np.html"; then
	pass report_html_gnuplot_not_on_path
else
	fail report_html_gnuplot_not_on_path "$(head -c 300 "$T_TMP/err")"
fi
t_done
