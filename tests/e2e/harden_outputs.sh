#!/bin/bash
# tests/e2e/harden_outputs.sh - the analyzer's output files are complete or
# absent: each is written to a temporary file beside it and
# renamed when complete, so a killed analyzer, or one whose report fails,
# leaves the previous file as it was and no temporary file behind.
. "$(dirname "$0")/../lib.sh"
A=$HVB_BIN/analyze
DATA=$HVB_TOP/tests/fixtures/analyze/golden/data
o=$T_TMP/out
mkdir -p "$o" "$T_TMP/bin"
old() { for f in r.html r.xlsx s.csv j.json; do echo "old $f" >"$o/$f"; done; }
same_old() { [ "$(cat "$o/$1")" = "old $1" ]; }
leftovers() { find "$o" -name '.*' -type f | tr '\n' ' '; }

# Killed while rendering: a gnuplot stand-in says it started, then sleeps
# until the test stops it; the analyzer gets SIGTERM then.  Before, -o's file
# had been truncated when the report began: 0 bytes in place of the old one.
printf '#!/bin/sh\necho $$ >"%s/gp.pid"\nexec sleep 60\n' "$T_TMP" >"$T_TMP/bin/gp"
chmod +x "$T_TMP/bin/gp"
old
HVB_GNUPLOT=$T_TMP/bin/gp HVB_GNUPLOT_TIMEOUT=30 "$A" -q "$DATA" -o "$o/r.html" --xlsx "$o/r.xlsx" \
	--summary-csv "$o/s.csv" --json "$o/j.json" 2>"$T_TMP/err" &
apid=$!
for _ in $(seq 100); do [ -s "$T_TMP/gp.pid" ] && break; sleep 0.1; done
kill -TERM "$apid"
wait "$apid"
rc=$?
[ -s "$T_TMP/gp.pid" ] && kill "$(cat "$T_TMP/gp.pid")" 2>/dev/null
if [ "$rc" = 143 ] && same_old r.html && same_old r.xlsx && [ -z "$(leftovers)" ] &&
   [ "$(head -n 1 "$o/s.csv" | cut -d, -f1-3)" = "env,bench,params" ] && tail -c 2 "$o/j.json" | grep -q '}'; then
	pass "SIGTERM while rendering: old -o and --xlsx files intact, finished summary/json complete, no temporary file"
else
	fail "SIGTERM while rendering: old -o and --xlsx files intact, finished summary/json complete, no temporary file" \
		"rc=$rc r.html=$(head -c 40 "$o/r.html" | tr '\n' ' ')($(wc -c <"$o/r.html") bytes) r.xlsx=$(wc -c <"$o/r.xlsx") bytes leftovers='$(leftovers)'"
fi

# A report that fails (a template that does not exist): exit 3, and the old
# -o file is still there (was: truncated to 0 bytes).
old
HVB_GNUPLOT=/nonexistent "$A" -q "$DATA" -o "$o/r.html" --template "$T_TMP/none.html" 2>"$T_TMP/err"
rc=$?
if [ "$rc" = 3 ] && same_old r.html && [ -z "$(leftovers)" ]; then
	pass "failed report: exit 3, the old -o file kept, no temporary file"
else
	fail "failed report: exit 3, the old -o file kept, no temporary file" "rc=$rc r.html=$(wc -c <"$o/r.html") bytes leftovers='$(leftovers)'"
fi

# Complete outputs replace the old ones, with the usual mode; /dev/null is
# written in place, never renamed over.
old
HVB_GNUPLOT=/nonexistent "$A" -q "$DATA" -o "$o/r.html" --xlsx "$o/r.xlsx" --summary-csv "$o/s.csv" \
	--json "$o/j.json" 2>"$T_TMP/err"
rc=$?
if [ "$rc" = 0 ] && grep -q '</html>' "$o/r.html" && [ "$(head -c 2 "$o/r.xlsx")" = PK ] &&
   [ "$(stat -c %a "$o/r.html")" = "$(umask -S >/dev/null; printf '%o' $((0666 & ~0$(umask))))" ] && [ -z "$(leftovers)" ]; then
	pass "complete outputs replace the old ones (mode 0666 & ~umask)"
else
	fail "complete outputs replace the old ones (mode 0666 & ~umask)" "rc=$rc mode=$(stat -c %a "$o/r.html") leftovers='$(leftovers)' err=$(head -c 200 "$T_TMP/err")"
fi
HVB_GNUPLOT=/nonexistent "$A" -q "$DATA" -o /dev/null --summary-csv /dev/null 2>"$T_TMP/err"
rc=$?
if [ "$rc" = 0 ] && [ -c /dev/null ]; then pass "-o /dev/null: written in place, still a device"; else fail "-o /dev/null: written in place, still a device" "rc=$rc $(ls -l /dev/null)"; fi
# Without -o the HTML goes to stdout also when --xlsx is asked for (else
# `analyze --xlsx r.xlsx data/ > report.html` would leave report.html empty);
# a machine-readable output (--summary-csv, --json, --text) keeps it off stdout.
HVB_GNUPLOT=/nonexistent "$A" -q "$DATA" --xlsx "$o/x.xlsx" > "$o/x.html" 2>"$T_TMP/err"; rc=$?
if [ "$rc" = 0 ] && grep -q '</html>' "$o/x.html" && [ "$(head -c 2 "$o/x.xlsx")" = PK ]; then
	pass "--xlsx without -o: the HTML on stdout as well"
else
	fail "--xlsx without -o: the HTML on stdout as well" "rc=$rc, $(wc -c < "$o/x.html") bytes of HTML: $(head -c 200 "$T_TMP/err")"
fi
HVB_GNUPLOT=/nonexistent "$A" -q "$DATA" --xlsx "$o/y.xlsx" --json "$o/y.json" > "$o/y.out" 2>"$T_TMP/err"; rc=$?
if [ "$rc" = 0 ] && [ ! -s "$o/y.out" ] && [ "$(head -c 2 "$o/y.xlsx")" = PK ]; then
	pass "--xlsx with --json: nothing on stdout"
else
	fail "--xlsx with --json: nothing on stdout" "rc=$rc, $(wc -c < "$o/y.out") bytes on stdout"
fi
t_done
