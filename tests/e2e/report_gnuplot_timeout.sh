#!/bin/bash
# report_gnuplot_timeout.sh - a gnuplot that never finishes costs the charts, not the report:
# with HVB_GNUPLOT_TIMEOUT=3, `analyze` stops it (and its process group) and still writes the
# whole HTML with a note, exit 0 as without gnuplot.  Two stand-ins for gnuplot, because the
# point is a gnuplot that misbehaves (the real one is run by report_html.sh):
#   wait: `exec sleep` on the small fixture campaign, whose script fits the 64 KiB pipe, so
#         analyze is waiting for the exit when the deadline passes;
#   fill: a shell that reads nothing and runs `sleep` as its child, on tests/fixtures/sample-1run, whose script
#         is larger than the pipe, so analyze is still writing when the deadline passes, and
#         only stopping the process group also stops the child.
# Both count their starts (one gnuplot process per report).  A bad HVB_GNUPLOT_TIMEOUT is an
# error naming the variable, before anything is written.
source "$(dirname "$0")/../lib.sh"
cd "$HVB_TOP" || exit 1
A=$HVB_BIN/analyze
LIMIT=3       # HVB_GNUPLOT_TIMEOUT for the runs, seconds
BOUND=15      # analyze must be back within this, seconds (SIGKILL comes 2 s after SIGTERM)
# A sleep argument no other process has, so pgrep finds only what our stand-ins started.
NAP=1000.$$
trap 'pkill -x -f "sleep $NAP"; rm -rf "$T_TMP"' EXIT

mkdir -p "$T_TMP/bin"
printf '#!/bin/sh\necho started >>"%s/starts-wait"\nexec sleep %s\n' "$T_TMP" "$NAP" >"$T_TMP/bin/gp-wait"
printf '#!/bin/sh\necho started >>"%s/starts-fill"\nsleep %s\n' "$T_TMP" "$NAP" >"$T_TMP/bin/gnuplot"
chmod +x "$T_TMP/bin/gp-wait" "$T_TMP/bin/gnuplot"

# The fill case needs a script larger than a pipe's buffer (64 KiB on Linux); the scripts
# --gnuplot-scripts keeps are the per-chart part of what goes down the pipe.
HVB_GNUPLOT=/nonexistent/gnuplot "$A" tests/fixtures/sample-1run --gnuplot-scripts "$T_TMP/gp" -o /dev/null 2>/dev/null
script_bytes=$(cat "$T_TMP"/gp/*.gp 2>/dev/null | wc -c)
if [ "$script_bytes" -gt 65536 ]; then
	pass report_gnuplot_timeout_script_fills_pipe
else
	fail report_gnuplot_timeout_script_fills_pipe "tests/fixtures/sample-1run gives only $script_bytes bytes of gnuplot script"
fi

# run_case NAME DATA: analyze DATA with the stand-in on PATH first (fill) or in HVB_GNUPLOT (wait).
run_case() {
	local name=$1 data=$2 h=$T_TMP/$1.html t0 t1 rc
	t0=$(date +%s.%N)
	if [ "$name" = wait ]; then
		HVB_GNUPLOT="$T_TMP/bin/gp-wait" HVB_GNUPLOT_TIMEOUT=$LIMIT \
			timeout -k 5 60 "$A" "$data" -o "$h" 2>"$T_TMP/$name.err"
	else
		PATH="$T_TMP/bin:$PATH" HVB_GNUPLOT='' HVB_GNUPLOT_TIMEOUT=$LIMIT \
			timeout -k 5 60 "$A" "$data" -o "$h" 2>"$T_TMP/$name.err"
	fi
	rc=$?
	t1=$(date +%s.%N)
	local took
	took=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	local n=report_gnuplot_timeout_$name
	# At least LIMIT (the deadline was what ended it), at most BOUND.
	if awk -v t="$took" -v lo="$LIMIT" -v hi="$BOUND" 'BEGIN { exit !(t >= lo - 0.1 && t < hi) }'; then
		pass "${n}_returns"
	else
		fail "${n}_returns" "analyze took $took s (rc $rc), want $LIMIT..$BOUND s"
	fi
	if [ "$rc" -eq 0 ]; then
		pass "${n}_exit_0"
	else
		fail "${n}_exit_0" "exit status $rc: $(head -c 300 "$T_TMP/$name.err")"
	fi
	if [ "$(tail -c 8 "$h" 2>/dev/null)" = '</html>' ] && grep -q '<section id="methodology"' "$h" &&
	   ! grep -q '<svg' "$h"; then
		pass "${n}_html_complete"
	else
		fail "${n}_html_complete" "$(wc -c <"$h" 2>/dev/null) bytes, ends with: $(tail -c 40 "$h" 2>/dev/null | tr '\n' ' ')"
	fi
	if grep -q "did not finish within $LIMIT s; charts left out" "$h" &&
	   grep -q "did not finish within $LIMIT s; charts left out" "$T_TMP/$name.err"; then
		pass "${n}_note"
	else
		fail "${n}_note" "no timeout note in the HTML or on stderr: $(head -c 300 "$T_TMP/$name.err")"
	fi
	if [ "$(wc -l <"$T_TMP/starts-$name" 2>/dev/null)" = 1 ]; then
		pass "${n}_one_process"
	else
		fail "${n}_one_process" "stand-in started $(wc -l <"$T_TMP/starts-$name" 2>/dev/null) times"
	fi
	local left
	left=$(pgrep -x -f "sleep $NAP")
	if [ -z "$left" ]; then
		pass "${n}_nothing_left"
	else
		fail "${n}_nothing_left" "still running: $(echo $left)"
		pkill -x -f "sleep $NAP"
	fi
}
run_case wait tests/fixtures/report/campaign
run_case fill tests/fixtures/sample-1run

# A bad value: an error naming the variable and the value, exit 3, no report written.
for v in abc 0 -5 3s 1e3 99999999999999999999; do
	n=report_gnuplot_timeout_bad_$(echo "$v" | tr -c 'a-z0-9\n' '_' | cut -c1-12)
	rm -f "$T_TMP/bad.html"
	HVB_GNUPLOT_TIMEOUT=$v timeout 60 "$A" tests/fixtures/report/campaign -o "$T_TMP/bad.html" 2>"$T_TMP/bad.err"
	rc=$?
	if [ "$rc" -eq 3 ] && grep -qF "HVB_GNUPLOT_TIMEOUT: \"$v\" is not a whole number of seconds" "$T_TMP/bad.err" &&
	   [ ! -s "$T_TMP/bad.html" ]; then
		pass "$n"
	else
		fail "$n" "rc $rc, $(wc -c <"$T_TMP/bad.html" 2>/dev/null) bytes of HTML, stderr: $(head -c 300 "$T_TMP/bad.err")"
	fi
done
t_done
