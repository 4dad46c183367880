#!/bin/bash
# tests/e2e/harden_concurrency.sh - concurrent writers (issue 11): many
# benchmark processes appending to one --out, and collect runs that share a
# second.  Each check states what a lost race used to leave behind.
. "$(dirname "$0")/../lib.sh"
B=$HVB_BIN
HDR="schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note"

# --- 8 writers x 50 trials on one --out, released together from a FIFO so
# their open/check/header steps overlap.  Before the header check-and-write
# was locked, 2-8% of trials got a second header (a 31-field first line or a
# header row inside the file).  Every trial: exactly one header, first; every
# row 16 fields; all 8 runs' rows present (nullbench writes a fixed count).
per_run=$("$B/hvbench" null | tail -n +2 | wc -l)
W=8 N=50 bad=0 why=
# The barrier: a FIFO held open read-write here, so no open blocks; each
# writer reads one line of it before it starts.
mkfifo "$T_TMP/go"
exec 3<>"$T_TMP/go"
for t in $(seq "$N"); do
	out=$T_TMP/s$t.csv
	for _ in $(seq "$W"); do
		( read -r _ <&3; exec 3<&-; exec "$B/hvbench" null --out "$out" 2>/dev/null ) &
	done
	printf 'go\n%.0s' $(seq "$W") >&3
	wait
	r=$(awk -F, -v h="$HDR" '
		NR == 1 && $0 != h { b = b " first-line-not-header" }
		NR > 1 && $1 == "schema" { b = b " header-at-line-" NR }
		NF != 16 { b = b " line-" NR "-has-" NF "-fields" }
		END { print (NR - 1) b }' "$out")
	if [ "$r" != "$((W * per_run))" ]; then
		bad=$((bad + 1))
		[ -n "$why" ] || why="trial $t: rows and defects: $r (want $((W * per_run)))"
	fi
	rm -f "$out"
done
exec 3<&-
if [ "$bad" = 0 ]; then pass "concurrent --out: $W writers x $N trials, one header, every row intact"
else fail "concurrent --out: $W writers x $N trials, one header, every row intact" "$bad bad trials; first: $why"; fi

t_done
