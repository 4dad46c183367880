#!/bin/bash
# tests/e2e/harden_hostile_fs.sh - the analyzer on a hostile data directory
# (what a shared or damaged data/ can hold): symlink loops and second
# links, FIFOs and devices where files
# are expected, a field or a line without bound, a gzip bomb, out of memory.
# Every run is under `timeout` and a memory limit, so a regression fails the
# check instead of hanging or swapping the machine.
. "$(dirname "$0")/../lib.sh"
B=$HVB_BIN
A=$B/analyze
HDR="schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note"
# az ARGS...: bin/analyze bounded (20 s, 1.5 GB of address space unless the
# sanitizers need more); stdout in $T_TMP/out, stderr in $T_TMP/err, status in rc.
az() {
	if [ "${HVB_SAN:-0}" = 1 ]; then
		timeout 20 "$A" "$@" >"$T_TMP/out" 2>"$T_TMP/err"
	else
		(ulimit -v 1500000; exec timeout 20 "$A" "$@") >"$T_TMP/out" 2>"$T_TMP/err"
	fi
	rc=$?
}
# n_of FILE: the n column of the nullbench row of a --summary-csv.
n_of() { csvq "$1" 'bench == "nullbench" { print n }'; }

d=$T_TMP/d
mkdir -p "$d/c/kvm"
# --no-disturbance: this is about the walk; on a busy machine the canary
# would rightly leave a repetition out and n would be 2.
"$B/hvbench" null --env kvm --reps 3 --no-disturbance --out "$d/c/kvm/r.csv" 2>/dev/null

# --- item 2: a link to an ancestor is skipped and named; n stays 3 (was 48).
ln -s .. "$d/c/kvm/up"
az --summary-csv "$T_TMP/s.csv" "$d"
if [ "$rc" = 0 ] && [ "$(n_of "$T_TMP/s.csv")" = 3 ] &&
   grep -qF "$d/c/kvm/up: skipped: a link to $d/c, which is read already" "$T_TMP/err"; then
	pass "symlink to an ancestor: read once (n=3), the link named"
else
	fail "symlink to an ancestor: read once (n=3), the link named" "rc=$rc n=$(n_of "$T_TMP/s.csv") err=$(head -c 300 "$T_TMP/err")"
fi
rm "$d/c/kvm/up"

# Two links to '.' in one directory: was an exponential walk (1.9 GB in 60 s).
ln -s . "$d/c/kvm/a"
ln -s . "$d/c/kvm/b"
az --summary-csv "$T_TMP/s.csv" "$d"
if [ "$rc" = 0 ] && [ "$(n_of "$T_TMP/s.csv")" = 3 ] &&
   [ "$(grep -c "skipped: a link to $d/c/kvm, which is read already" "$T_TMP/err")" = 2 ]; then
	pass "two links to . : no exponential walk, both named"
else
	fail "two links to . : no exponential walk, both named" "rc=$rc n=$(n_of "$T_TMP/s.csv") err=$(head -c 300 "$T_TMP/err")"
fi
rm "$d/c/kvm/a" "$d/c/kvm/b"

# A second link to the same CSV, and the same CSV given twice: read once.
ln -s r.csv "$d/c/kvm/r2.csv"
az --summary-csv "$T_TMP/s.csv" "$d" "$d/c/kvm/r.csv"
if [ "$rc" = 0 ] && [ "$(n_of "$T_TMP/s.csv")" = 3 ] &&
   grep -qF "$d/c/kvm/r2.csv: skipped: the same file as $d/c/kvm/r.csv" "$T_TMP/err" &&
   grep -qF "$d/c/kvm/r.csv: skipped: the same file as $d/c/kvm/r.csv" "$T_TMP/err"; then
	pass "a file linked twice or named twice: read once (n=3), named"
else
	fail "a file linked twice or named twice: read once (n=3), named" "rc=$rc n=$(n_of "$T_TMP/s.csv") err=$(head -c 300 "$T_TMP/err")"
fi
rm "$d/c/kvm/r2.csv"

# --- item 6: FIFOs and devices are named and skipped, never opened blocking.
mkfifo "$d/c/kvm/r.meta" "$d/c/kvm/p.csv"
az --summary-csv "$T_TMP/s.csv" "$d"
if [ "$rc" = 0 ] && [ "$(n_of "$T_TMP/s.csv")" = 3 ] &&
   grep -qF "$d/c/kvm/p.csv: skipped: a FIFO; only regular files are read" "$T_TMP/err" &&
   grep -qF "$d/c/kvm/r.meta: not read: not a regular file" "$T_TMP/err"; then
	pass "FIFO as a CSV and as a .meta sidecar: skipped and named, no hang"
else
	fail "FIFO as a CSV and as a .meta sidecar: skipped and named, no hang" "rc=$rc (124: hung) err=$(head -c 300 "$T_TMP/err")"
fi
az --text "$d/c/kvm/p.csv"
if [ "$rc" = 4 ] && [ "$(head -n 1 "$T_TMP/err")" = "analyze: $d/c/kvm/p.csv: not read: a FIFO; only regular files are read" ]; then
	pass "FIFO as the path: exit 4, named"
else
	fail "FIFO as the path: exit 4, named" "rc=$rc (124: hung) err=$(head -c 300 "$T_TMP/err")"
fi
rm "$d/c/kvm/r.meta" "$d/c/kvm/p.csv"
az --text /dev/zero
if [ "$rc" = 4 ] && [ "$(head -n 1 "$T_TMP/err")" = "analyze: /dev/zero: not read: a character device; only regular files are read" ]; then
	pass "/dev/zero as the path: exit 4, named"
else
	fail "/dev/zero as the path: exit 4, named" "rc=$rc (124: ran on) err=$(head -c 300 "$T_TMP/err")"
fi

# --- item 7: bounds on a field, a line and inflation; out of memory is exit 6.
b=$T_TMP/b
mkdir -p "$b"
row() { printf 'hvb1,r1,2026-11-21T23:51:19Z,kvm,kvm,none,h,nullbench,,null_value,count,higher,%s,1,ok,%s\n' "$1" "$2"; }
{ echo "$HDR"; row 1 ""; row 2 "$(head -c 2097152 /dev/zero | tr '\0' x)"; row 3 ""; } >"$b/field.csv"
az --text "$b/field.csv"
if [ "$rc" = 1 ] && grep -qF "analyze: $b/field.csv:3: column 'note': a field longer than 1048576 bytes (the limit; --max-field raises it)" "$T_TMP/err"; then
	pass "a 2 MiB field: exit 1, file:line names it"
else
	fail "a 2 MiB field: exit 1, file:line names it" "rc=$rc err=$(head -c 300 "$T_TMP/err")"
fi
az --text --max-field 4M "$b/field.csv"
if [ "$rc" = 0 ]; then pass "--max-field 4M reads the 2 MiB field"; else fail "--max-field 4M reads the 2 MiB field" "rc=$rc err=$(head -c 300 "$T_TMP/err")"; fi
{ echo "$HDR"; row 1 ""; row 2 "$(head -c 100000 /dev/zero | tr '\0' ,)"; } >"$b/line.csv"
az --text --max-line 64K "$b/line.csv"
if [ "$rc" = 1 ] && grep -qF "analyze: $b/line.csv:3: " "$T_TMP/err" && grep -qF "longer than 65536 bytes (the limit; --max-line raises it)" "$T_TMP/err"; then
	pass "a 100 kB line under --max-line 64K: exit 1, file:line"
else
	fail "a 100 kB line under --max-line 64K: exit 1, file:line" "rc=$rc err=$(head -c 300 "$T_TMP/err")"
fi
# A gzip bomb: 200 MB of zeros after a valid row, ~200 kB compressed.
{ echo "$HDR"; row 1 ""; head -c 200M /dev/zero; } | gzip -1 >"$b/bomb.csv.gz"
az --text "$b/bomb.csv.gz"
if [ "$rc" = 1 ] && grep -qF "analyze: $b/bomb.csv.gz:3: gzip data inflates to more than 100 times its compressed size" "$T_TMP/err"; then
	pass "gzip bomb: stopped by the inflation bound, exit 1, file:line"
else
	fail "gzip bomb: stopped by the inflation bound, exit 1, file:line" "rc=$rc err=$(head -c 300 "$T_TMP/err")"
fi
# Out of memory with the bounds lifted: exit 6 and the message (libcsv's
# failure used to read as "malformed CSV quoting", exit 1).  Not under the
# sanitizers, which cannot run in 120 MB of address space.
if [ "${HVB_SAN:-0}" = 1 ]; then
	skip "out of memory is exit 6" "SAN=1 needs more address space than the test allows"
else
	{ echo "$HDR"; printf 'hvb1,r,t,kvm,kvm,none,h,b,,m,s,lower,1,1,ok,'; head -c 150M /dev/zero | tr '\0' x; echo; } | gzip -1 >"$b/huge.csv.gz"
	(ulimit -v 120000; exec timeout 20 "$A" --text --max-field 1G --max-line 1G --max-inflate-ratio 1e9 "$b/huge.csv.gz") >/dev/null 2>"$T_TMP/err"
	rc=$?
	if [ "$rc" = 6 ] && grep -qE '^analyze: out of memory' "$T_TMP/err"; then
		pass "out of memory in a 150 MB field: exit 6, 'out of memory'"
	else
		fail "out of memory in a 150 MB field: exit 6, 'out of memory'" "rc=$rc err=$(head -c 300 "$T_TMP/err")"
	fi
fi
t_done
