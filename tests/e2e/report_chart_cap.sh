#!/bin/bash
# report_chart_cap.sh - a campaign of many benchmarks gives a report that
# stays readable and its time linear in its size: charts (a box chart per benchmark,
# one per metric) for the first 100 benchmarks only, the rest as tables, and
# a note that says so; a campaign of 100 or fewer has every chart and no note.
source "$(dirname "$0")/../lib.sh"
A=$HVB_BIN/analyze
command -v gnuplot >/dev/null || { skip report_chart_cap "gnuplot not installed (make deps)"; t_done; }

# gen N FILE: N benchmarks (one metric each) x host and kvm x 3 repetitions.
gen() {
	awk -v n="$1" 'BEGIN {
		srand(3); print "schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note"
		for (e = 0; e < 2; e++) {
			env = e ? "kvm" : "host"; virt = e ? "kvm" : "none"
			for (b = 0; b < n; b++) for (r = 1; r <= 3; r++)
				printf "hvb1,%s-1795305079-1,2026-11-21T23:00:00Z,%s,%s,none,m,b%04dbench,,ops_per_s,1/s,higher,%d,%.6g,ok,\n", env, env, virt, b, r, 1000 * (1 - 0.1 * e - 0.05 * rand())
		}
	}' >"$2"
}
for n in 150 100; do
	mkdir -p "$T_TMP/c$n"
	gen "$n" "$T_TMP/c$n/c.csv"
	"$A" -q -o "$T_TMP/r$n.html" --gnuplot-scripts "$T_TMP/gp$n" "$T_TMP/c$n" 2>"$T_TMP/err$n"; rc=$?
	[ "$rc" = 0 ] && pass "chart_cap_${n}_exit_0" || fail "chart_cap_${n}_exit_0" "exit $rc: $(head -c 300 "$T_TMP/err$n")"
	box=$(find "$T_TMP/gp$n" -name 'box-*.gp' | wc -l)
	met=$(find "$T_TMP/gp$n" -name 'metric-*.gp' | wc -l)
	want=$((n < 100 ? n : 100))
	[ "$box" = "$want" ] && [ "$met" = "$want" ] && pass "chart_cap_${n}_charts" \
		|| fail "chart_cap_${n}_charts" "$box box and $met metric charts, want $want each"
	# every benchmark still has its table: its name as a heading
	h=$(grep -c '^<h4>b[0-9]*bench</h4>$' "$T_TMP/r$n.html")
	[ "$h" = "$n" ] && pass "chart_cap_${n}_tables" || fail "chart_cap_${n}_tables" "$h benchmark headings, want $n"
done
note='Charts are drawn for the first 100 of the 150 benchmarks (in the order they first appear); the other 50 are shown as tables only.'
grep -qF "<p class=\"note\">$note" "$T_TMP/r150.html" && pass chart_cap_note || fail chart_cap_note "no note '$note'"
grep -q 'Charts are drawn for the first' "$T_TMP/r100.html" && fail chart_cap_no_note_100 "a note with 100 benchmarks" || pass chart_cap_no_note_100
# the first benchmark past the cap has a table but no box chart in its section
sec=$(awk '/^<h4>b0100bench<\/h4>$/ { on = 1 } on && /^<\/div>$/ { exit } on' "$T_TMP/r150.html")
[ -n "$sec" ] && ! grep -q '<svg' <<<"$sec" && grep -q '<table class="stats">' <<<"$sec" \
	&& pass chart_cap_past_is_table || fail chart_cap_past_is_table "section of b0100bench: $(head -c 200 <<<"$sec")"

# Environments: past 20, every chart draws the baseline and the 19 with the
# best overall score, in model order, and the report says so.  Here the later
# environments are the faster ones, so "best" is not "first": vm01..vm05 are
# left out of the charts but keep their table rows.
mkdir -p "$T_TMP/e25"
awk 'BEGIN {
	print "schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note"
	for (e = 0; e < 25; e++) {
		env = e ? sprintf("vm%02d", e) : "host"; virt = e ? "kvm" : "none"
		for (b = 0; b < 2; b++) for (r = 1; r <= 3; r++)
			printf "hvb1,%s-1795305079-1,2026-11-21T23:00:00Z,%s,%s,none,m,cpubench,threads=%d,events_per_s,1/s,higher,%d,%.6g,ok,\n", env, env, virt, b + 1, r, 1000 * (1 + 0.01 * e) + r
	}
}' >"$T_TMP/e25/c.csv"
"$A" -q -o "$T_TMP/e25.html" --gnuplot-scripts "$T_TMP/gpe" "$T_TMP/e25" 2>"$T_TMP/erre"; rc=$?
[ "$rc" = 0 ] && pass chart_envs_exit_0 || fail chart_envs_exit_0 "exit $rc: $(head -c 300 "$T_TMP/erre")"
note='Charts show 20 of the 25 environments: the baseline and the 19 with the best overall score. Every environment is in the tables, in --summary-csv and in --xlsx.'
grep -qF "<p class=\"note\">$note</p>" "$T_TMP/e25.html" && pass chart_envs_note || fail chart_envs_note "no note '$note'"
# the metric chart's x axis: host and vm06..vm24, in model order
# (gnuplot strings: the parentheses are escaped as \050 and \051)
axis() { grep '^set xtics (' "$1" | grep -o '"[^"]*"' | tr -d '"' | tr '\n' ' '; }
got=$(axis "$T_TMP/gpe/metric-0.gp")
want="host \\050baseline\\051 $(seq -f 'vm%02g' 6 24 | tr '\n' ' ')"
[ "$got" = "$want" ] && pass chart_envs_metric_axis || fail chart_envs_metric_axis "x axis '$got', want '$want'"
# the box chart's legend and the overview's: the same environments
leg=$(grep -o "title \"[a-z0-9]*\"" "$T_TMP/gpe/box-0.gp" | cut -d'"' -f2 | tr '\n' ' ')
[ "$leg" = "host $(seq -f 'vm%02g' 6 24 | tr '\n' ' ')" ] && pass chart_envs_box_legend || fail chart_envs_box_legend "legend '$leg'"
ov=$(grep -o "title \"[a-z0-9]*\"" "$T_TMP/gpe/overview.gp" | cut -d'"' -f2 | tr '\n' ' ')
[ "$ov" = "$(seq -f 'vm%02g' 6 24 | tr '\n' ' ')" ] && pass chart_envs_overview || fail chart_envs_overview "overview legend '$ov'"
# every environment keeps its rows in the tables
rows=$(grep -c '</span>vm01</td>' "$T_TMP/e25.html")
[ "$rows" -ge 2 ] && pass chart_envs_tables_keep_all || fail chart_envs_tables_keep_all "vm01 in $rows table cells"
# 20 environments: no note, every one drawn
awk -F, 'NR == 1 || $4 == "host" || $4 ~ /^vm(0[1-9]|1[0-9])$/' "$T_TMP/e25/c.csv" >"$T_TMP/e20.csv"
"$A" -q -o "$T_TMP/e20.html" --gnuplot-scripts "$T_TMP/gpe20" "$T_TMP/e20.csv" 2>/dev/null
n20=$(grep "^set xtics (" "$T_TMP/gpe20/metric-0.gp" | grep -o "\"[^\"]*\"" | wc -l)
! grep -q 'Charts show' "$T_TMP/e20.html" && [ "$n20" = 20 ] && pass chart_envs_20_all \
	|| fail chart_envs_20_all "$n20 bars; note: $(grep -c 'Charts show' "$T_TMP/e20.html")"
# A plan campaign's time series: at most 500 points of a series, evenly, so
# the chart does not grow with the samples; the round marks stay.  2 rounds x
# 1,200 repetitions of one headline metric, host and kvm.
mkdir -p "$T_TMP/ts"
awk 'BEGIN {
	print "schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note"
	for (e = 0; e < 2; e++) for (rd = 1; rd <= 2; rd++) {
		env = e ? "kvm" : "host"; virt = e ? "kvm" : "none"; run = env "-179530507" rd "-1"
		printf "hvb1,%s,2026-11-21T2%d:00:00Z,%s,%s,none,m,hvbench,,plan,,,,,info,p1\n", run, rd, env, virt
		printf "hvb1,%s,2026-11-21T2%d:00:00Z,%s,%s,none,m,hvbench,,round,,,,%d,info,\n", run, rd, env, virt, rd
		for (r = 1; r <= 1200; r++)
			printf "hvb1,%s,2026-11-21T2%d:%02d:%02dZ,%s,%s,none,m,cpubench,threads=1,events_per_s,1/s,higher,%d,%d,ok,\n", run, rd, int(r / 60) % 60, r % 60, env, virt, r, 1000 - 100 * e + r % 7
	}
}' >"$T_TMP/ts/c.csv"
"$A" -q -o "$T_TMP/ts.html" --gnuplot-scripts "$T_TMP/gpts" "$T_TMP/ts" 2>"$T_TMP/errts"; rc=$?
pts=$(awk '/^\$t << EOD$/ { on = 1; next } /^EOD$/ { on = 0 } on && NF == 2 { n++ } END { print n + 0 }' "$T_TMP/gpts/series-0.gp" 2>/dev/null)
marks=$(grep -c '^set x2tics ("r1" [0-9.]*, "r2" [0-9.]*)$' "$T_TMP/gpts/series-0.gp" 2>/dev/null)
[ "$rc" = 0 ] && [ "$pts" = 480 ] && [ "$marks" = 1 ] && pass chart_timeseries_bounded \
	|| fail chart_timeseries_bounded "exit $rc, $pts points (want 480: every 5th of 2,400), round marks $marks: $(head -c 200 "$T_TMP/errts")"
t_done
