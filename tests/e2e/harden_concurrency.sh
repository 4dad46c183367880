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
W=8 N=${HVB_TRIALS:-50} bad=0 why=
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

# --- collect runs that share a second never reuse a name (issue 11 item 3).
# A stand-in `date` first on PATH pins the clock to one second, so every run
# gets the same <host>_<env>_<UTC> stamp; the target is a closed port, so
# each run fails, stores no CSV and keeps its .meta.  Before, the failed
# run's empty .csv was removed and the next run took its name: three runs
# left two .meta files.  Three runs one after another, then three at once
# (collect/ssh --jobs 3): six .meta files, each naming its own error.
mkdir -p "$T_TMP/fakebin"
printf '#!/bin/sh\ncase " $* " in *" -d"*) exec /bin/date "$@";; esac\nexec /bin/date -d @1795305079 "$@"\n' >"$T_TMP/fakebin/date"
chmod +x "$T_TMP/fakebin/date"
closed=$(free_port)
cat >"$T_TMP/ssh_config" <<CFG
Host hvbtest-down
  HostName 127.0.0.1
  Port $closed
  User root
  BatchMode yes
CFG
data=$T_TMP/data
collect() {
	PATH="$T_TMP/fakebin:$PATH" "$HVB_TOP/collect/ssh" --ssh-config "$T_TMP/ssh_config" --connect-timeout 5 \
		--data "$data" --campaign c --hvbench "$HVB_STATIC_BIN/hvbench" --quick --bench null "$@" >/dev/null 2>>"$T_TMP/collect.err"
}
for _ in 1 2 3; do collect hvbtest-down=down; done
n_seq=$(find "$data/c/down" -name '*.meta' | wc -l)
collect --jobs 3 hvbtest-down=down hvbtest-down=down hvbtest-down=down
metas=$(find "$data/c/down" -name '*.meta' | sort)
n=$(printf '%s\n' "$metas" | grep -c .)
errs=0
for f in $metas; do grep -q '^error=unreachable' "$f" && errs=$((errs + 1)); done
csvs=$(find "$data/c/down" -name '*.csv' | wc -l)
if [ "$n_seq" = 3 ] && [ "$n" = 6 ] && [ "$errs" = 6 ] && [ "$csvs" = 0 ]; then
	pass "failed collect runs in one second: 6 runs, 6 .meta files, none overwritten"
else
	fail "failed collect runs in one second: 6 runs, 6 .meta files, none overwritten" \
		"sequential $n_seq/3, all $n/6, with error= $errs, csv $csvs: $(printf '%s ' $metas | sed "s|$data/c/down/||g") $(tail -n 2 "$T_TMP/collect.err")"
fi

t_done
