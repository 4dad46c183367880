#!/bin/bash
# report_chromium.sh - the report as a person sees it: headless Chromium (Debian chromium)
# renders the fixture campaign's report to a PNG, offline (no network flags, a throw-away
# profile).  Checks: the PNG is the window size and not blank (many distinct colours, not
# mostly one colour), the DOM Chromium built has the section headings and inline SVG charts,
# and the hostile fixture's <script> label did not become a script element.
# Skips only when chromium is not installed.
source "$(dirname "$0")/../lib.sh"
cd "$HVB_TOP" || exit 1
A=$HVB_BIN/analyze
CH=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CH" ]; then
	skip report_chromium "chromium not installed (apt-get install -y chromium)"
	t_done
fi
if ! command -v gnuplot >/dev/null; then
	skip report_chromium "gnuplot not installed: the page would have no charts to look at"
	t_done
fi
chrome() {
	# --headless=new would need a display-less GPU path; the classic flags work here.
	timeout 90 "$CH" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--disable-default-apps --disable-extensions --mute-audio \
		--user-data-dir="$(mktemp -d "$T_TMP/prof.XXXX")" "$@" 2>>"$T_TMP/chrome.err"
}
# --dump-dom once came back empty under load: one retry, then the failure says so.
dump() {
	local i
	for i in 1 2; do
		chrome --dump-dom "file://$1" >"$2"
		grep -q '</html>' "$2" && return 0
		echo "report_chromium: --dump-dom of $1 came back incomplete (try $i)" >&2
	done
	return 1
}
H=$T_TMP/report.html
"$A" tests/fixtures/report/campaign -o "$H" 2>"$T_TMP/err" || { fail report_chromium_input "analyze failed: $(head -c 200 "$T_TMP/err")"; t_done; }
PNG=$T_TMP/shot.png
chrome --screenshot="$PNG" --window-size=1280,2000 "file://$H" >/dev/null
if [ -s "$PNG" ]; then pass report_chromium_screenshot; else fail report_chromium_screenshot "no PNG: $(tail -c 300 "$T_TMP/chrome.err")"; t_done; fi
[ -n "${HVB_KEEP_SCREENSHOT:-}" ] && cp "$PNG" "$HVB_KEEP_SCREENSHOT"

# Not blank: decode the PNG (zlib, filters) in plain Python and count colours.
"$PY" - "$PNG" <<'EOF' || fail report_chromium_not_blank "PNG check crashed"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, typ = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if typ == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
    elif typ == b"IDAT":
        idat += body
    pos += 12 + n
bpp = {2: 3, 6: 4}.get(ctype)
if depth != 8 or bpp is None:
    print(f"FAIL report_chromium_not_blank: unexpected PNG depth {depth} colour type {ctype}"); sys.exit(0)
raw, stride, prev, counts = zlib.decompress(idat), w * bpp, bytearray(w * bpp), {}
i = 0
for y in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0; b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    if y % 4 == 0:
        for x in range(0, stride, bpp * 4):
            k = bytes(line[x:x + 3]); counts[k] = counts.get(k, 0) + 1
total = sum(counts.values()); top = max(counts.values())
ok = (w, h) == (1280, 2000) and len(counts) >= 50 and top / total < 0.97
print(("PASS report_chromium_not_blank" if ok else "FAIL report_chromium_not_blank:") +
      ("" if ok else f" {w}x{h}, {len(counts)} colours, most common {top / total:.1%}"))
EOF

# The DOM as Chromium parsed it: headings, charts, and no script element anywhere.
dump "$H" "$T_TMP/dom.html" || echo "  dump-dom failed: $(tail -c 300 "$T_TMP/chrome.err")"
miss=""
for t in 'Verdict' 'Details by category and benchmark' 'Pitfall warnings' 'Environments side by side' 'Methodology and how to reproduce'; do
	grep -q "<h2>$t</h2>" "$T_TMP/dom.html" || miss="$miss [$t]"
done
if [ -z "$miss" ]; then pass report_chromium_dom_headings; else fail report_chromium_dom_headings "missing headings:$miss"; fi
if [ "$(grep -c '<svg' "$T_TMP/dom.html")" -gt 3 ]; then pass report_chromium_dom_svg; else fail report_chromium_dom_svg "charts not in the DOM"; fi

"$A" tests/fixtures/report/hostile -o "$T_TMP/hostile.html" 2>"$T_TMP/err"
if ! dump "$T_TMP/hostile.html" "$T_TMP/hdom.html"; then
	fail report_chromium_hostile_is_text "chromium gave no DOM for the hostile report: $(tail -c 300 "$T_TMP/chrome.err")"
elif grep -qi '<script\|<img' "$T_TMP/hdom.html"; then
	fail report_chromium_hostile_is_text "a hostile label became an element: $(grep -io '.\{0,30\}<\(script\|img\).\{0,30\}' "$T_TMP/hdom.html" | head -2)"
elif ! grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$T_TMP/hdom.html"; then
	fail report_chromium_hostile_is_text "the hostile label is not shown as text"
else
	pass report_chromium_hostile_is_text
fi
t_done
