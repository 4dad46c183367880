#!/bin/bash
# report_glance_chromium.sh - the demo report's first screen, what a reader sees unscrolled: in headless
# Chromium at 1300 x 1100 the header, the verdict table, the overview chart, the verdict in
# words and "What touches the ranking" end above the window's bottom edge.  A copy of the
# report gets a script at its end that writes where #first-screen-end lies (the report itself
# has none: report_html.sh checks it is self-contained); --dump-dom returns it.  Also: the
# block is in that order in the DOM, nothing is wider than the window, and the PNG of the
# screen is the window's size.  HVB_KEEP_SCREENSHOT=FILE keeps the PNG (docs/report.md's).
# Skips only when chromium or gnuplot is not installed.
source "$(dirname "$0")/../lib.sh"
cd "$HVB_TOP" || exit 1
A=$HVB_BIN/analyze
CH=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CH" ]; then
	skip report_glance_chromium "chromium not installed (apt-get install -y chromium)"
	t_done
fi
if ! command -v gnuplot >/dev/null; then
	skip report_glance_chromium "gnuplot not installed: the first screen would lack its chart"
	t_done
fi
W=1300 HT=1100
WH=$HT   # the window's height: headless Chromium's own frame eats part of it (below)
chrome() {
	timeout 90 "$CH" --headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--disable-default-apps --disable-extensions --mute-audio --hide-scrollbars \
		--window-size=$W,$WH --user-data-dir="$(mktemp -d "$T_TMP/prof.XXXX")" "$@" 2>>"$T_TMP/chrome.err"
}
# the demo, as `make demo` makes it
H=$T_TMP/report.html
"$A" -q --baseline host -o "$H" data/sample 2>"$T_TMP/err" || { fail glance_chromium_input "analyze failed: $(head -c 200 "$T_TMP/err")"; t_done; }
P=$T_TMP/probe.html
"$PY" - "$H" "$P" <<'PYEOF'
import sys
h = open(sys.argv[1], encoding="utf-8").read()
probe = ("<script>(function(){var e=document.getElementById('first-screen-end');"
         "var p=document.createElement('pre');p.id='hvb-measure';"
         "p.textContent=e?('bottom='+Math.ceil(e.getBoundingClientRect().top+window.scrollY)+"
         "' scrollwidth='+document.documentElement.scrollWidth+' vw='+window.innerWidth+"
         "' vh='+window.innerHeight):'no-marker';document.body.appendChild(p);})();</script>")
assert h.count("</body>") == 1
open(sys.argv[2], "w", encoding="utf-8").write(h.replace("</body>", probe + "</body>"))
PYEOF
got=""
for _ in 1 2; do   # --dump-dom once came back empty under load (report_chromium.sh)
	chrome --dump-dom "file://$P" >"$T_TMP/dom.html"
	got=$(grep -o 'bottom=[0-9]* scrollwidth=[0-9]* vw=[0-9]* vh=[0-9]*' "$T_TMP/dom.html" | head -1)
	[ -n "$got" ] && break
done
if [ -z "$got" ]; then
	fail glance_chromium_measure "no measurement in the DOM: $(grep -o 'no-marker' "$T_TMP/dom.html") $(tail -c 300 "$T_TMP/chrome.err")"
	t_done
fi
read -r bottom sw vw vh < <(echo "$got" | sed 's/[a-z]*=//g')
# --window-size is the outer window: its frame (957 of 1100 px left inside, Chromium 12x)
# differs between versions, so measure it once and ask for a window that much taller
if [ "$vh" != $HT ] && [ "$vh" -gt 0 ]; then
	WH=$((HT + HT - vh))
	chrome --dump-dom "file://$P" >"$T_TMP/dom.html"
	got=$(grep -o 'bottom=[0-9]* scrollwidth=[0-9]* vw=[0-9]* vh=[0-9]*' "$T_TMP/dom.html" | head -1)
	read -r bottom sw vw vh < <(echo "$got" | sed 's/[a-z]*=//g')
fi
echo "  first screen: $got"
[ "$vw" = $W ] && [ "$vh" = $HT ] && pass "glance_chromium_window (${vw}x$vh)" \
	|| fail glance_chromium_window "viewport ${vw}x$vh, want ${W}x$HT"
[ "$bottom" -le $HT ] && pass "glance_chromium_first_screen_fits (bottom at $bottom px of $HT)" \
	|| fail glance_chromium_first_screen_fits "the block ends at $bottom px, below $HT"
[ "$sw" -le $W ] && pass "glance_chromium_no_horizontal_scroll ($sw px)" \
	|| fail glance_chromium_no_horizontal_scroll "the page is $sw px wide at a $W px window"
# the block holds, in order: header, verdict table, chart, words, touches, then the marker
if "$PY" - "$T_TMP/dom.html" <<'PYEOF'
import sys
d = open(sys.argv[1], encoding="utf-8").read()
keys = ["<header>", '<table class="ranking">', '<figure class="chart overview"><svg', '<ul class="words">',
        '<div class="touches">', 'id="first-screen-end"']
pos = [d.find(k) for k in keys]
print("  positions:", pos)
sys.exit(0 if all(p >= 0 for p in pos) and pos == sorted(pos) else 1)
PYEOF
then pass glance_chromium_block_order; else fail glance_chromium_block_order "a part of the first screen is missing or out of order"; fi
# the screen as a person sees it, without any script (the report's own file)
PNG=$T_TMP/first.png
WH=$HT chrome --screenshot="$PNG" "file://$H" >/dev/null   # the PNG is the window size asked
wh=$("$PY" -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print(*struct.unpack(">II", d[16:24])) if d[:8]==b"\x89PNG\r\n\x1a\n" else print("none")' "$PNG" 2>/dev/null)
[ "$wh" = "$W $HT" ] && pass glance_chromium_screenshot || fail glance_chromium_screenshot "PNG size '$wh'"
# HVB_SHOT_OUT=docs/report-first-screen.png retakes the docs' screenshot from this run.
[ -z "${HVB_SHOT_OUT:-}" ] || cp "$PNG" "$HVB_SHOT_OUT"
[ -n "${HVB_KEEP_SCREENSHOT:-}" ] && cp "$PNG" "$HVB_KEEP_SCREENSHOT"
t_done
