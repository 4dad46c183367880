#!/bin/bash
# tests/e2e/harden_concurrency.sh - concurrent writers: many
# benchmark processes appending to one --out, and collect runs that share a
# second.  Each check states what a lost race used to leave behind.
. "$(dirname "$0")/../lib.sh"
B=$HVB_BIN
HDR="schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note"

# --- 8 writers x 50 trials on one --out, released together from a FIFO so
# their open/check/header steps overlap.  Before the header check-and-write
# was locked, 1 to 4 of 50 trials got a second header (a 31-field first line,
# or a header row inside the file) on a machine with load ~30, and often none
# on an idle one: the section after this makes the race certain.  Every trial: exactly one header, first; every
# row 16 fields; all 8 runs' rows present: each run's ok rows (a fixed count)
# and its last row (wall_s).  The total varies: steal_pct is written only
# when /proc/stat moved during the run.
"$B/hvbench" null >"$T_TMP/one.csv"
per_run=$(csvq "$T_TMP/one.csv" 'status == "ok"' | wc -l)
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
		NR > 1 && $15 == "ok" { ok++ }
		NR > 1 && $10 == "wall_s" { last++ }
		END { print ok + 0, last + 0 b }' "$out")
	if [ "$r" != "$((W * per_run)) $W" ]; then
		bad=$((bad + 1))
		[ -n "$why" ] || why="trial $t: ok rows, last rows and defects: $r (want $((W * per_run)) $W)"
	fi
	rm -f "$out"
done
exec 3<&-
if [ "$bad" = 0 ]; then pass "concurrent --out: $W writers x $N trials, one header, every row intact"
else fail "concurrent --out: $W writers x $N trials, one header, every row intact" "$bad bad trials; first: $why"; fi

# --- the same race made certain: strace stalls each writer for 0.15 s in the
# fstat(2) that checks whether --out is empty (the first newfstatat of the
# process: the harness opens --out before any stdio file), so 8 writers all
# sit between "it is empty" and writing the header at once.  Without the
# lock each wrote its header: 8 headers in every trial.  With it the check
# and the header are one step, and the stall only delays the others.
# The static build: the sanitizers' runtime makes its own fstat calls first.
if command -v strace >/dev/null; then
	bad=0 why=
	for t in 1 2 3; do
		out=$T_TMP/st$t.csv
		for _ in $(seq "$W"); do
			strace -f -qq -o /dev/null -e trace=newfstatat -e inject=newfstatat:delay_exit=150000:when=1 \
				"$HVB_STATIC_BIN/hvbench" null --out "$out" >/dev/null 2>&1 &
		done
		wait
		r="$(grep -c '^schema,' "$out") $(head -n 1 "$out" | awk -F, '{ print NF }') $(grep -c ',wall_s,' "$out")"
		if [ "$r" != "1 16 $W" ]; then
			bad=$((bad + 1))
			[ -n "$why" ] || why="trial $t: headers, first-line fields, finished runs: $r (want 1 16 $W)"
		fi
	done
	if [ "$bad" = 0 ]; then pass "--out header check stalled by strace: $W writers x 3 trials, one header"
	else fail "--out header check stalled by strace: $W writers x 3 trials, one header" "$bad bad trials; first: $why"; fi
else
	fail "--out header check stalled by strace" "no strace (Debian strace; make deps)"
fi

# --- collect runs that share a second never reuse a name.
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
