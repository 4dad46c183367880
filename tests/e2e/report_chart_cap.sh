#!/bin/bash
# report_chart_cap.sh - a campaign of many benchmarks gives a report that
# stays readable and linear (issue 13): charts (a box chart per benchmark,
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
t_done
