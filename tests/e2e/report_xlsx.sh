#!/bin/bash
# report_xlsx.sh - the XLSX workbook read back by a real reader (openpyxl from Debian's
# python3-openpyxl): the five sheets; every Statistics row equals the --summary-csv row of the
# same series (numbers stored as numbers, within 1e-9 relative); Summary's overall scores equal
# --json's; Samples holds every raw row with an autofilter and a frozen header; Statistics has a
# conditional format; native charts exist for the ranking and each category, the ranking
# chart's categories cached as text; every Samples row is the CSV row (file, line) it names,
# with its labels and value (the sheet is streamed in constant-memory mode); no formula; every
# part deflated at level 2 (flag bit "fast").  Run on the
# report fixture and on the real sample campaign (its Host runs sheet, a series whose mean
# is 0: no ratio, yet the p-values must be there as in the summary CSV).
source "$(dirname "$0")/../lib.sh"
cd "$HVB_TOP" || exit 1
A=$HVB_BIN/analyze
FIX=tests/fixtures/report/campaign
if ! have_openpyxl; then
	skip report_xlsx "$NO_OPENPYXL"
	t_done
fi
check_workbook() {   # FIX, tag
X=$T_TMP/r$tag.xlsx
if "$A" "$FIX" --xlsx "$X" --summary-csv "$T_TMP/sum$tag.csv" --json "$T_TMP/m$tag.json" 2>"$T_TMP/err" && [ -s "$X" ]; then
	pass report_xlsx_written
else
	fail report_xlsx_written "analyze --xlsx failed: $(head -c 300 "$T_TMP/err")"
	fi
rows=0
while IFS= read -r f; do rows=$((rows + $(wc -l <"$f") - 1)); done < <(find "$FIX" -name '*.csv')

"$PY" - "$X" "$T_TMP/sum$tag.csv" "$T_TMP/m$tag.json" "$rows" "$tag" <<'EOF' || fail "report_xlsx_reader$tag" "the openpyxl check crashed (traceback above)"
import csv, json, math, sys, zipfile, openpyxl
xlsx, sumcsv, mjson, nrows, tag = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
def res(name, ok, why=""):
    print(f"PASS {name}{tag}" if ok else f"FAIL {name}{tag}: {why}")
def close_(a, b):
    return isinstance(a, (int, float)) and (a == b or abs(a - b) <= 1e-9 * max(abs(a), abs(b)))
wb = openpyxl.load_workbook(xlsx)
j = json.load(open(mjson))
want = ["Summary", "Statistics", "Samples", "Environments", "Warnings"]
if j.get("host_runs"):   # collect's sidecars: the Host runs sheet before Warnings
    want.insert(4, "Host runs")
if j["disturbed"]:   # disturbed repetitions or runs: their sheet before Warnings
    want.insert(len(want) - 1, "Disturbed")
res("report_xlsx_sheets", wb.sheetnames == want, f"sheets {wb.sheetnames}, want {want}")
if j["disturbed"]:
    ds = wb["Disturbed"]
    dh = [c.value for c in ds[1]]
    drows = [[c.value for c in r] for r in ds.iter_rows(min_row=2)]
    jd = j["disturbed"]
    same = len(drows) == len(jd) and all(
        (r[dh.index("file")], r[dh.index("rule")], r[dh.index("kept")]) == (d["file"], d["rule"], d["kept"])
        and (d["amount"] is None or close_(r[dh.index("amount")], d["amount"])) for r, d in zip(drows, jd))
    res("report_xlsx_disturbed", dh == list(jd[0].keys()) and same,
        f"{len(drows)} rows vs {len(jd)} in the JSON; header {dh[:4]} vs {list(jd[0].keys())[:4]}")

def close(a, b):
    return a == b or abs(a - b) <= 1e-9 * max(abs(a), abs(b))

# Statistics against the summary CSV, series by series.
st = wb["Statistics"]
head = [c.value for c in st[1]]
col = {h: i for i, h in enumerate(head)}
summ = {(r["env"], r["bench"], r["params"], r["metric"]): r for r in csv.DictReader(open(sumcsv, newline=""))}
pairs = [("n", "n"), ("mean", "mean"), ("sd", "sd"), ("cv", "cv"), ("median", "median"), ("mad", "mad"),
         ("min", "min"), ("max", "max"), ("p5", "p5"), ("p95", "p95"), ("ci_lo", "ci_lo"), ("ci_hi", "ci_hi"),
         ("ratio", "ratio"), ("ratio_lo", "ratio_lo"), ("ratio_hi", "ratio_hi"),
         ("overhead_pct", "overhead_pct"), ("p_welch", "p_welch"), ("p_mw", "p_mw"), ("rank", "rank")]
missing_cols = [x for x, _ in pairs if x not in col] + [k for k in ("env", "bench", "params", "metric") if k not in col]
res("report_xlsx_statistics_columns", not missing_cols, f"missing columns {missing_cols}")
errs, seen, compared = [], set(), 0
if not missing_cols:
    for row in st.iter_rows(min_row=2):
        key = tuple((row[col[k]].value or "") for k in ("env", "bench", "params", "metric"))
        if key not in summ:
            errs.append(f"series {key} not in the summary CSV"); continue
        seen.add(key)
        s = summ[key]
        for xc, sc in pairs:
            cell = row[col[xc]]
            v = s[sc]
            if v == "":
                if cell.value not in (None, ""):
                    errs.append(f"{key} {xc}: {cell.value!r}, summary empty")
                continue
            if cell.data_type != "n" or not isinstance(cell.value, (int, float)) or isinstance(cell.value, bool):
                errs.append(f"{key} {xc}: not a number cell ({cell.data_type} {cell.value!r})"); continue
            if not close(float(cell.value), float(v)):
                errs.append(f"{key} {xc}: {cell.value!r} != {v}")
            compared += 1
    if len(seen) != len(summ):
        errs.append(f"{len(summ) - len(seen)} series of the summary CSV missing from Statistics")
res("report_xlsx_statistics_match_summary", not errs and compared > 100,
    "; ".join(errs[:4]) + f" ({compared} numbers compared)")
nf = [row[col["mean"]].number_format for row in st.iter_rows(min_row=2)] if "mean" in col else []
res("report_xlsx_number_formats", nf and all(f and f != "General" for f in nf), f"mean formats {set(nf)}")
res("report_xlsx_conditional_format", len(list(st.conditional_formatting)) > 0, "Statistics has no conditional format")

# One field catalogue (model/fields.h): the summary CSV's header, the
# Statistics sheet's and every JSON series' keys are the same names in the
# same order; the Environments sheet's header and every JSON envs[] object's keys too.
csv_head = next(csv.reader(open(sumcsv, newline="")))
skeys = {tuple(s.keys()) for g in j["metrics"] for s in g["series"]}
res("fields_series_one_name", len(skeys) == 1 and list(next(iter(skeys))) == csv_head == head,
    f"csv {csv_head[:5]}...{len(csv_head)}, xlsx {head[:5]}...{len(head)}, json {[list(k)[:5] for k in skeys]}")
eh = [c.value for c in wb["Environments"][1]]
ekeys = {tuple(e.keys()) for e in j["envs"]}
res("fields_env_one_name", len(ekeys) == 1 and list(next(iter(ekeys))) == eh,
    f"xlsx {eh}, json {[list(k) for k in ekeys]}")
wh = [c.value for c in wb["Warnings"][1]]
wkeys = {tuple(w.keys()) for w in j["warnings"]}
res("fields_warning_one_name", wh[:2] == ["kind", "env"] and all(list(k) == wh for k in wkeys),
    f"xlsx {wh}, json {[list(k) for k in wkeys]}")

# Summary: overall scores equal the model's (JSON).
over = {s["env"]: s["geomean"] for s in j["scores"] if s["category"] == "overall"}
sm = wb["Summary"]
sh = [c.value for c in sm[1]]
got = {}
if "environment" in sh:
    e = sh.index("environment")
    sc = next((i for i, h in enumerate(sh) if h and "overall score" in str(h)), None)
    for row in sm.iter_rows(min_row=2):
        if row[e].value is not None and sc is not None:
            got[row[e].value] = row[sc].value
bad = [k for k in over if not (isinstance(got.get(k), (int, float)) and close(got[k], over[k]))]
res("report_xlsx_summary_scores", over and not bad, f"overall scores differ for {bad}: {got} vs {over}")

# Samples: every raw row, autofilter, frozen header; value cells are numbers.
sa = wb["Samples"]
res("report_xlsx_samples_rows", sa.max_row - 1 == nrows, f"{sa.max_row - 1} rows, want {nrows}")
res("report_xlsx_samples_autofilter", bool(sa.auto_filter.ref), "no autofilter")
res("report_xlsx_samples_frozen", sa.freeze_panes in ("A2", "B2"), f"freeze_panes {sa.freeze_panes}")
sh = [c.value for c in sa[1]]
vals = [r[sh.index("value")] for r in sa.iter_rows(min_row=2)] if "value" in sh else []
nums = [c for c in vals if c.value is not None]
res("report_xlsx_samples_numbers", nums and all(c.data_type == "n" for c in nums), "a value stored as text")
# ... and each is the row of the CSV it names (file, line), with its labels and value:
# the Samples sheet is streamed row by row (constant-memory mode), none lost or moved.
if all(k in sh for k in ("file", "line", "env", "metric", "value", "status")):
    src, errs = {}, []
    for path in {r[sh.index("file")].value for r in sa.iter_rows(min_row=2)}:
        with open(path, newline="") as fh:
            rd = csv.DictReader(fh)
            for rec in rd:
                src[(path, rd.line_num)] = rec
    for r in sa.iter_rows(min_row=2):
        v = {h: r[i].value for i, h in enumerate(sh)}
        rec = src.pop((v["file"], v["line"]), None)
        if rec is None:
            errs.append(f"{v['file']}:{v['line']} not a row of that CSV (or twice)"); continue
        for k in ("env", "metric", "status"):
            if (v[k] or "") != rec[k]:
                errs.append(f"{v['file']}:{v['line']} {k} {v[k]!r} != {rec[k]!r}")
        if (v["value"] is None) != (rec["value"] == "") or (v["value"] is not None and not close(v["value"], float(rec["value"]))):
            errs.append(f"{v['file']}:{v['line']} value {v['value']!r} != {rec['value']!r}")
    res("report_xlsx_samples_every_row", not errs and not src,
        "; ".join(errs[:3]) + f" ({len(src)} CSV rows not in Samples)")
else:
    res("report_xlsx_samples_every_row", False, f"columns {sh}")

# Environments and warnings as the model has them.
res("report_xlsx_environments", wb["Environments"].max_row - 1 == len(j["envs"]),
    f"{wb['Environments'].max_row - 1} rows for {len(j['envs'])} environments")
res("report_xlsx_warnings", wb["Warnings"].max_row - 1 == len(j["warnings"]),
    f"{wb['Warnings'].max_row - 1} rows for {len(j['warnings'])} warnings")

# Native charts (openpyxl does not load charts: count the chart parts in the package).
cats = {s["category"] for s in j["scores"] if s["category"] != "overall"}
with zipfile.ZipFile(xlsx) as z:
    charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
res("report_xlsx_native_charts", len(charts) >= 1 + len(cats), f"{len(charts)} charts for ranking + {len(cats)} categories")
# The ranking chart's categories are text with their cached values (written from the
# model: constant-memory mode cannot read cells back and would leave an uncached numRef).
import re
with zipfile.ZipFile(xlsx) as z:
    c1 = z.read("xl/charts/chart1.xml").decode() if "xl/charts/chart1.xml" in z.namelist() else ""
cat = re.search(r"<c:cat>(.*?)</c:cat>", c1, re.S)
names = re.findall(r"<c:v>(.*?)</c:v>", cat.group(1)) if cat else []
# (chart1 is the overview: the environments in the Summary's rank order)
sm_h = [c.value for c in sm[1]]
sm_envs = [r[sm_h.index("environment")].value for r in sm.iter_rows(min_row=2)
           if r[sm_h.index("environment")].value is not None] if "environment" in sm_h else []
res("report_xlsx_chart_cache", cat and "<c:strRef>" in cat.group(1) and names == sm_envs
    and sorted(names) == sorted(e["env"] for e in j["envs"]),
    f"chart1 categories {cat.group(1)[:200] if cat else None!r}, Summary {sm_envs}")
# Strings stored inline (constant-memory mode): string cells, never a formula element.
with zipfile.ZipFile(xlsx) as z:
    f_cells = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet") and re.search(rb"<f[ >]", z.read(n))]
res("report_xlsx_no_formulas", not f_cells, f"formula elements in {f_cells}")
# Every part deflated at level 2 (report/xlsx_deflate.c): minizip marks it with
# general-purpose flag bit 2 ("fast"); at libxlsxwriter's own level 6 no bit is set.
with zipfile.ZipFile(xlsx) as z:
    lv = sorted({(i.compress_type, i.flag_bits & 6) for i in z.infolist()})
res("report_xlsx_deflate_fast", lv == [(zipfile.ZIP_DEFLATED, 4)],
    f"(method, level flag bits) of the parts: {lv}, expected only (8, 4); (8, 0) is level 6: "
    "the analyzer's zipOpenNewFileInZip4_64 was not called (a libxlsxwriter with its own minizip?)")
EOF
}
FIX=tests/fixtures/report/campaign tag=
check_workbook
# The real sample campaign: collect's sidecars (a Host runs sheet) and a series
# whose mean is 0 (no ratio, but p-values, as in the summary CSV).
FIX=tests/fixtures/sample-1run tag=-sample
check_workbook
# Disturbed repetitions (the disturbance rule's fixture): a Disturbed sheet.
FIX=tests/fixtures/analyze/disturb/counters tag=-disturbed
check_workbook
t_done
