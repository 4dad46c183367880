#!/bin/bash
# report_glance.sh - the verdict at a glance: on the demo campaign (data/sample)
# and on a fixture where Welch's unpaired test and the paired interval disagree
# (tests/fixtures/report_glance/gen.py), every rank, colour, n.s. mark and verdict word
# agrees with the interval shown beside it (check.py recomputes the ranks from the JSON by
# the documented rule); "What touches the ranking" has at most 12 lines on the sample and
# no per-series noise; the noise table has one row per noisy headline series, heaviest
# first, collapsed; the overview chart is there (with the noise floor's band when the
# campaign has an A/A pair); the XLSX Summary is in rank order with the HTML's verdict and
# the overview chart.
source "$(dirname "$0")/../lib.sh"
cd "$HVB_TOP" || exit 1
A=$HVB_BIN/analyze
FX=tests/fixtures/report_glance
if ! command -v gnuplot >/dev/null; then
	skip report_glance "gnuplot not installed (the overview chart is part of the check)"
	t_done
fi

# ---- the demo campaign
H=$T_TMP/s.html
if "$A" -q --baseline host data/sample -o "$H" --json "$T_TMP/s.json" --xlsx "$T_TMP/s.xlsx" 2>"$T_TMP/err"; then
	pass glance-sample-runs
else
	fail glance-sample-runs "analyze exited $?: $(head -c 300 "$T_TMP/err")"
	t_done
fi
"$PY" "$FX/check.py" "$H" "$T_TMP/s.json" -sample 12 || echo "  (check.py on the sample failed)"

# The overview chart: a dot and whisker per environment and category, the line at 0 %,
# and the noise floor's band exactly when the model has an A/A pair.
"$A" -q --baseline host data/sample --gnuplot-scripts "$T_TMP/gp" -o "$T_TMP/g.html" 2>"$T_TMP/err"
gp=$T_TMP/gp/overview.gp
naa=$(jq '.aa_pairs | length' "$T_TMP/s.json")
nband=$(grep -c '^set object [0-9]* rect' "$gp")
if grep -q 'with yerrorbars' "$gp" && grep -q '^set arrow 1 from graph 0, first 1 to graph 1, first 1' "$gp"; then
	pass glance-overview-dots-and-zero-line
else
	fail glance-overview-dots-and-zero-line "$(head -c 400 "$gp")"
fi
if { [ "$naa" -gt 0 ] && [ "$nband" -gt 0 ]; } || { [ "$naa" = 0 ] && [ "$nband" = 0 ]; }; then
	pass "glance-overview-floor-band ($naa A/A pairs, $nband bands)"
else
	fail glance-overview-floor-band "$naa A/A pairs but $nband bands"
fi
npts=$(sed -n '/^\$o << EOD$/,/^EOD$/p' "$gp" | grep -c '^[0-9]')
want=$(jq '[.scores[] | select(.geomean != null) | .env as $e | select(any($envs[]; .env == $e and (.is_baseline | not)))] | length' \
	--argjson envs "$(jq .envs "$T_TMP/s.json")" "$T_TMP/s.json")
[ "$npts" = "$want" ] && pass "glance-overview-one-dot-per-score ($npts)" \
	|| fail glance-overview-one-dot-per-score "$npts points, $want scores of compared environments"
grep -q '<figure class="chart overview"><svg' "$H" && pass glance-overview-inline \
	|| fail glance-overview-inline "no inline overview SVG in the verdict"

# ---- Welch and the paired interval disagree
"$PY" "$FX/gen.py" "$T_TMP/wp"
H2=$T_TMP/w.html
if "$A" -q "$T_TMP/wp" -o "$H2" --json "$T_TMP/w.json" --xlsx "$T_TMP/w.xlsx" 2>"$T_TMP/err"; then
	pass glance-fixture-runs
else
	fail glance-fixture-runs "analyze exited $?: $(head -c 300 "$T_TMP/err")"
	t_done
fi
"$PY" "$FX/check.py" "$H2" "$T_TMP/w.json" -welch-paired || echo "  (check.py on the fixture failed)"
r=$(jq -r '.metrics[] | select(.bench == "cpubench") | .series[] | select(.env == "ns") |
	"\(.paired_rounds) \(.p_welch < 0.05) \(.ratio_lo < 1 and .ratio_hi > 1) \(.rank) \(.rank_tied)"' "$T_TMP/w.json")
[ "$r" = "5 true true 1 true" ] && pass glance-welch-paired-disagree-tie-by-ci \
	|| fail glance-welch-paired-disagree-tie-by-ci "ns cpubench: rounds, Welch p < 0.05, paired CI holds 1, rank, tied = '$r', want '5 true true 1 true'"
r=$(jq -r '[.metrics[] | select(.bench == "cpubench") | .series[] | "\(.env):\(.rank)"] | join(" ")' "$T_TMP/w.json")
[ "$r" = "host:1 ns:1 slow:3" ] && pass glance-fixture-metric-ranks \
	|| fail glance-fixture-metric-ranks "cpubench ranks '$r', want 'host:1 ns:1 slow:3'"
if "$PY" - "$H2" <<'PYEOF'
import re, sys
h = open(sys.argv[1]).read()
m = re.search(r'<h5>events_per_s.*?</table>', h, re.S)
row = re.search(r'<tr class="([^"]*)"[^>]*><td>1=</td><td><span[^>]*></span>ns</td>', m.group(0)) if m else None
sys.exit(0 if row and "ns" in row.group(1).split() else 1)
PYEOF
then pass glance-fixture-ns-row-grey; else fail glance-fixture-ns-row-grey "ns's cpubench row is not '1=' and n.s."; fi

# ---- the XLSX Summary: rank order, the HTML's verdict, the overview chart
if have_openpyxl; then
	"$PY" - "$T_TMP/s.xlsx" "$T_TMP/s.json" <<'PYEOF'
import json, re, sys, zipfile, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
j = json.load(open(sys.argv[2]))
ws = wb["Summary"]
rows = list(ws.iter_rows(values_only=True))
h = list(rows[0])
need = ["overall rank", "environment", "overall score", "overall overhead %", "overhead CI low %",
        "overhead CI high %", "verdict", "in words"]
def res(n, ok, why):
    print(f"PASS {n}" if ok else f"FAIL {n}: {why}")
res("glance-xlsx-summary-columns", all(c in h for c in need), f"header {h}")
if all(c in h for c in need):
    body = [r for r in rows[1:] if r[h.index("environment")] is not None]
    ov = {s["env"]: s for s in j["scores"] if s["category"] == "overall"}
    envs = [r[h.index("environment")] for r in body]
    ranks = [r[h.index("overall rank")] for r in body]
    ranked = [x for x in ranks if x is not None]
    want = [s["env"] for s in j["scores"] if s["category"] == "overall"]
    res("glance-xlsx-summary-rank-order", envs[:len(want)] == want and ranked == sorted(ranked)
        and all(x is None for x in ranks[len(ranked):]), f"envs {envs}, ranks {ranks}, model {want}")
    base = {e["env"]: e["is_baseline"] for e in j["envs"]}
    bad = []
    for r in body:
        e = r[h.index("environment")]
        s = ov.get(e)
        if not s:
            continue
        lo, hi, fl = s["lo"], s["hi"], s.get("within_floor")
        want_v = "baseline" if base[e] else "no difference" if fl else \
                 "slower" if hi < 1 else "faster" if lo > 1 else "no difference"
        if r[h.index("verdict")] != want_v:
            bad.append(f"{e}: {r[h.index('verdict')]} for {want_v}")
        if r[h.index("overall rank")] != (s["rank"] or None):
            bad.append(f"{e}: rank {r[h.index('overall rank')]} vs {s['rank']}")
        w = r[h.index("in words")]
        if not base[e] and not (w and w.startswith(e + ": ")):
            bad.append(f"{e}: words {w!r}")
        for k, v in (("overhead CI low %", (1 / hi - 1) * 100), ("overhead CI high %", (1 / lo - 1) * 100)):
            if r[h.index(k)] is None or abs(r[h.index(k)] - v) > 1e-9 * max(1, abs(v)):
                bad.append(f"{e}: {k} {r[h.index(k)]} vs {v}")
    res("glance-xlsx-summary-verdict", not bad, "; ".join(bad[:4]))
with zipfile.ZipFile(sys.argv[1]) as z:
    c1 = z.read("xl/charts/chart1.xml").decode() if "xl/charts/chart1.xml" in z.namelist() else ""
cat = re.search(r"<c:cat>(.*?)</c:cat>", c1, re.S)
names = re.findall(r"<c:v>(.*?)</c:v>", cat.group(1)) if cat else []
# With an A/A pair the floor is a grey band: up-down bars between a first and a
# last series at its edges, cached as overhead % (-100 f / (1 + f), 100 f), and
# the CI the two middle series' markers; without one, high-low lines join the CI.
fl = [s["noise_floor"] for s in j["scores"] if s["category"] == "overall" and s.get("noise_floor") is not None]
sers = re.findall(r"<c:ser>(.*?)</c:ser>", c1, re.S)
def cached(ser):
    v = re.search(r"<c:val>(.*?)</c:val>", ser, re.S)
    return [float(x) for x in re.findall(r"<c:v>(.*?)</c:v>", v.group(1))] if v else []
if fl:
    f = fl[0]
    lo, hi = cached(sers[0]) if sers else [], cached(sers[-1]) if sers else []
    band_ok = len(sers) == 5 and "<c:upDownBars>" in c1 and "<c:hiLowLines>" not in c1 and lo and hi and \
        all(abs(x - (1 / (1 + f) - 1) * 100) < 1e-9 for x in lo) and all(abs(x - f * 100) < 1e-9 for x in hi)
    res("glance-xlsx-overview-band", band_ok, f"{len(sers)} series, band {lo[:2]}..{hi[:2]} for floor {f}")
else:
    band_ok = len(sers) == 3 and "<c:hiLowLines>" in c1
res("glance-xlsx-overview-chart", "<c:lineChart>" in c1 and band_ok
    and names == [r[h.index("environment")] for r in rows[1:] if r[h.index("environment")] is not None],
    f"chart1: {c1[:300]!r}")
PYEOF
else
	skip glance-xlsx "$NO_OPENPYXL"
fi
t_done
