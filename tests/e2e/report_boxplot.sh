#!/bin/bash
# report_boxplot.sh - the box plots get only each box's summary (quartiles, whiskers,
# outliers; report/charts.c box_of()), yet draw what gnuplot's own `boxplot` style drew from
# every sample: the real gnuplot is the oracle.  A campaign with series of 1 to 1000 samples
# (ties, outliers on both sides, n < 4 with no box) goes through `analyze --gnuplot-scripts`;
# the box-0 script is redrawn with its summary datablocks replaced by the raw samples plotted
# `with boxplot` (as the report did before), and both SVGs must hold the same boxes,
# medians, whiskers and points, to 0.1 px (but the outliers gnuplot hid on the plot's
# border: drawn now).  Also: the script does not grow with the
# samples, and a series with thousands of outliers draws at most 50 a side.
source "$(dirname "$0")/../lib.sh"
cd "$HVB_TOP" || exit 1
A=$HVB_BIN/analyze
if ! command -v gnuplot >/dev/null; then
	skip report_boxplot "gnuplot not installed (Debian gnuplot-nox, see report/deps.txt)"
	t_done
fi
mkdir -p "$T_TMP/d"
# host (the baseline): 5 samples per metric, median exactly 1, so every ratio is the sample.
"$PY" - "$T_TMP/d/a.csv" <<'EOF'
import random, sys
random.seed(7)
rows = []
def row(env, virt, metric, rep, v):
    rows.append(f"hvb1,r-{env},2026-11-21T00:00:00Z,{env},{virt},none,h,boxbench,,{metric},1/s,higher,{rep},{v!r},ok,")
sizes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 101, 1000]
for n in sizes:
    m = f"n{n:04d}_per_s"
    for k, v in enumerate([0.98, 0.99, 1.0, 1.01, 1.02]):
        row("host", "none", m, k + 1, v)
    vals = [round(random.gauss(0.95, 0.02), 6) for _ in range(n)]
    if n >= 8:   # outliers on both sides, distinct values
        vals[0], vals[1], vals[2] = 0.70 + n * 1e-5, 1.31 + n * 1e-5, 1.40 + n * 1e-5
    if n in (12, 101):   # ties inside the box
        vals[3:8] = [vals[3]] * 5
    for k, v in enumerate(vals):
        row("kvm", "kvm", m, k + 1, v)
with open(sys.argv[1], "w") as f:
    f.write("schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note\n")
    f.write("\n".join(rows) + "\n")
EOF
if "$A" -q "$T_TMP/d" -o "$T_TMP/r.html" --json "$T_TMP/m.json" --gnuplot-scripts "$T_TMP/gp" 2>"$T_TMP/err" &&
	[ -s "$T_TMP/gp/box-0.gp" ]; then
	pass report_boxplot_script
else
	fail report_boxplot_script "analyze failed: $(head -c 300 "$T_TMP/err")"
	t_done
fi
out=$("$PY" - "$T_TMP" <<'EOF' 2>&1
import json, re, subprocess, sys
tmp = sys.argv[1]
# the kept script without its own terminal and output lines
src = "".join(l for l in open(f"{tmp}/gp/box-0.gp").readlines()
              if not l.startswith(("set terminal", "set output", "unset output")))
envs = [e["env"] for e in json.load(open(f"{tmp}/m.json"))["envs"]]
# The samples of each series, as the CSV has them.
samples = {}
for line in open(f"{tmp}/d/a.csv").read().splitlines()[1:]:
    f = line.split(",")
    samples.setdefault((f[9], f[3]), []).append(float(f[13]))
def unesc(s):
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), s)
tics = re.search(r"set xtics rotate by -20 \((.*)\)\n", src).group(1)
xs = {unesc(l): int(k) for l, k in re.findall(r'"((?:[^"\\]|\\.)*)" (\d+)', tics)}
colors = {}
for blk in ("b", "o"):
    body = re.search(r"\$%s << EOD\n(.*?)EOD\n" % blk, src, re.S).group(1)
    for l in body.splitlines():
        f = l.split()
        colors[round(float(f[0]), 6)] = int(f[-1])
w = 0.8 / len(envs)
head = src[:src.index("$b << EOD")]
raw, plots, block = [], [], 0
for metric, x in sorted(xs.items(), key=lambda t: t[1]):
    for ei, env in enumerate(envs):
        v = samples[(metric, env)]
        xpos = x - 0.4 + w * (ei + 0.5)
        c = colors[round(xpos, 6)] if v and len(v) < 4 else None
        col = {0: "#4e79a7", 1: "#f28e2b"}[ei]   # env_color(0), env_color(1)
        raw.append("\n".join(repr(s) for s in v) + "\n\n\n")
        plots.append(f"$r index {block} using ({xpos:.6f}):1:({w * 0.8:.6f}) with boxplot lc rgb '{col}' pt 7 ps 0.4 notitle")
        block += 1
old = head.replace("set key outside right top\n", "set style boxplot outliers pointtype 7\nset key outside right top\n")
old += "$r << EOD\n" + "".join(raw) + "EOD\nplot " + ", \\\n  ".join(plots)
old += "".join(f", \\\n  NaN with boxes lc rgb '{c}' title \"{e}\"" for c, e in zip(("#4e79a7", "#f28e2b"), envs))
old += ", \\\n  1 with lines dt 2 lc rgb '#333333' notitle\n"
term = 'set terminal svg size 860,400 dynamic noenhanced font "Sans,11" background rgb "white"\n'
def draw(script, name):
    p = subprocess.run(["gnuplot"], input=term + f"set output '{tmp}/{name}.svg'\n" + script + "unset output\n",
                       capture_output=True, text=True)
    assert p.returncode == 0 and "line" not in p.stderr, f"gnuplot ({name}): {p.stderr[:300]}"
    return open(f"{tmp}/{name}.svg").read()
def shapes(svg):
    r = lambda v: round(float(v), 1)
    boxes, medians = set(), set()
    for pts in re.findall(r"fill-opacity = '0.850000' points = '([^']*)'", svg):
        p = [tuple(map(float, q.split(","))) for q in pts.split()]
        ys = sorted({y for _, y in p}); xs_ = sorted({x for x, _ in p})
        (medians if len(ys) == 1 else boxes).add((r(xs_[0]), r(xs_[-1]), r(ys[0]), r(ys[-1])))
    # old style: the median is the first segment of the path after the box
    for x1, y, x2 in re.findall(r"d='M([\d.]+),([\d.]+) L([\d.]+),\2 M", svg):
        medians.add((r(x1), r(x2), r(y), r(y)))
    # whiskers: vertical segments (x same at both ends), anywhere
    whiskers = {(r(x), r(a), r(b)) for x, a, b in re.findall(r"M([\d.]+),([\d.]+) L\1,([\d.]+)", svg)}
    points = sorted((r(x), r(y)) for x, y in re.findall(r"#gpPt6' transform='translate\(([\d.]+),([\d.]+)\)", svg))
    return boxes, medians, whiskers, points
a, b = shapes(draw(src, "new")), shapes(draw(old, "old"))
# gnuplot's boxplot does not draw an outlier within a point's size of the plot's border
# (graphics.c plot_boxplot, "clip here"); the y range reaches the extreme samples, so the
# most extreme outliers sat on the border, hidden.  Drawn as points, they show.
ys = [y for _, y in a[3]]
edge = lambda p: ys and (p[1] - min(ys) < 3.5 or max(ys) - p[1] < 3.5)   # ps 0.4: 3.3 px
a = a[:3] + ([p for p in a[3] if p in b[3] or not edge(p)],)
names = ("boxes", "medians", "whiskers", "points")
bad = [f"{n}: new-only {sorted(set(x) - set(y))[:3]} old-only {sorted(set(y) - set(x))[:3]}"
       for n, x, y in zip(names, a, b) if x != y]
assert len(a[0]) >= 20 and len(a[3]) >= 20, f"too little drawn: {len(a[0])} boxes, {len(a[3])} points"
assert not bad, "; ".join(bad)
print("ok", len(a[0]), "boxes", len(a[3]), "points")
EOF
) && pass report_boxplot_same_picture || fail report_boxplot_same_picture "$(tail -c 600 <<<"$out" | tr '\n' ' ')"
echo "$out" | tail -1

# The script does not grow with the samples (1,000 or 100,000 per series: the same size
# give or take the digits), and at most 50 outliers a side are drawn.
"$PY" - "$T_TMP/big" <<'EOF'
import os, random, sys
random.seed(1)
for n in (1000, 100000):
    d = f"{sys.argv[1]}{n}"; os.makedirs(d)
    with open(f"{d}/a.csv", "w") as f:
        f.write("schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note\n")
        for env, virt in (("host", "none"), ("kvm", "kvm")):
            for r in range(n):   # a heavy tail: about 10 % outliers
                v = random.gauss(100, 1) if r % 10 else 100 + random.expovariate(0.05)
                f.write(f"hvb1,r-{env},2026-11-21T00:00:00Z,{env},{virt},none,h,boxbench,,x_per_s,1/s,higher,{r + 1},{v:.6f},ok,\n")
EOF
ok=1
for n in 1000 100000; do
	"$A" -q "$T_TMP/big$n" -o /dev/null --gnuplot-scripts "$T_TMP/gp$n" 2>"$T_TMP/err" || { ok=0; echo "analyze: $(head -c 200 "$T_TMP/err")"; }
done
s1=$(wc -c <"$T_TMP/gp1000/box-0.gp"); s2=$(wc -c <"$T_TMP/gp100000/box-0.gp")
pts=$(sed -n '/^\$o << EOD/,/^EOD/p' "$T_TMP/gp100000/box-0.gp" | grep -vc EOD)
[ $ok = 1 ] && [ "$s2" -lt $((s1 * 2)) ] && [ "$s2" -lt 20000 ] && [ "$pts" -le 200 ] && [ "$pts" -ge 100 ] &&
	pass report_boxplot_bounded || fail report_boxplot_bounded "box-0.gp: $s1 bytes for 1,000 samples, $s2 for 100,000; $pts outlier points (want 100..200)"
t_done
