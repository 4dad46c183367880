#!/bin/bash
# collect_faults_qemu.sh - a campaign survives a QEMU TCG guest killed in mid-run.  A
# plan of one round, A=local then Q=qemu (TCG, 1 vCPU, no disk, no network;
# the boot set-up of collect_qemu.sh), running nullbench (4 repetitions of
# 0.4 s); once the guest has started its benchmark (HVB-START on its result
# port), the QEMU process is killed (SIGKILL), as a crashed guest ends.
# The user gets: collect/qemu's "the guest stopped before it finished (qemu
# exit 137 ...)", the plan's "did not complete" with that reason, exit 1,
# nothing of Q's run in the campaign (kept apart with a WHY), no process of
# the run left, A's run intact; --resume boots the guest again and the plan
# holds one run per (round, environment).
. "$(dirname "$0")/../lib.sh"
P=$HVB_TOP/collect/plan
BIN=$HVB_STATIC_BIN/hvbench
if ! kdir=$("$HVB_TOP/collect/fetch-kernel" 2>"$T_TMP/fetch.err"); then
	fail faults_qemu_kernel "collect/fetch-kernel failed: $(tail -n 3 "$T_TMP/fetch.err")"
	t_done
fi
echo "kernel: $kdir"
t_all=$SECONDS
export TMPDIR=$T_TMP/stage
mkdir -p "$TMPDIR"
D=$T_TMP/data
pf=$D/c/vm.plan
campaign_csvs() { find "$D/c" -name '.*' -prune -o -name '*.csv' -print | sort; }
# A seed whose round 1 runs A first, then the guest.
seed=""
for s in $(seq 1 40); do
	[ "$("$P" --print-orders --seed "$s" --rounds 1 A Q)" = "order 1 A Q" ] && { seed=$s; break; }
done
[ -n "$seed" ] || { fail faults_qemu_seed "no seed of 1..40 orders A before Q"; t_done; }
t0=$SECONDS
"$P" --data "$D" --campaign c --id vm --rounds 1 --seed "$seed" --hvbench "$BIN" A=local \
	"Q=qemu --accel tcg --smp 1 --disk-size 0 --net none --timeout 120" \
	--bench null --quick --reps 4 --warmup 0 --no-telemetry -- --sleep-ms 400 >/dev/null 2>"$T_TMP/err1" &
pid=$!
started=0
for _ in $(seq 1 900); do
	if grep -qs 'HVB-START nullbench' "$TMPDIR"/hvb-collect.*/serial.log; then started=1; break; fi
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
sleep 0.5
cpid="" qpid=""
for c in $(pgrep -P "$pid"); do
	case $(tr '\0' ' ' <"/proc/$c/cmdline" 2>/dev/null) in *collect/qemu*) cpid=$c ;; esac
done
[ -z "$cpid" ] || qpid=$(ps -o pid=,comm= -g "$cpid" | awk '$2 ~ /^qemu-system/ { print $1; exit }')
echo "guest started its benchmark: $started after $((SECONDS - t0)) s; collector ${cpid:-none}, QEMU ${qpid:-none}"
[ -z "$qpid" ] || kill -9 "$qpid"
wait "$pid"
rc=$?
echo "plan exit $rc after $((SECONDS - t0)) s"
grep -v 'round 1/1' "$T_TMP/err1" | sed 's/^/  stderr: /' | tail -n 8
w=$(grep -l '^env=Q$' "$D"/c/.incomplete/vm/*/WHY 2>/dev/null | head -n 1)
if [ -n "$qpid" ] && [ "$rc" = 1 ] && grep -q "the guest stopped before it finished (qemu exit 137" "$T_TMP/err1" &&
	grep -q "round 1: Q did not complete (stored no result (collector exit 1: the guest stopped before it finished (qemu exit 137)))" "$T_TMP/err1" &&
	grep -q '^fail 1 Q 1$' "$pf" && [ -n "$w" ]; then
	pass qemu-killed-exit-1-kept-apart
else
	fail qemu-killed-exit-1-kept-apart "QEMU ${qpid:-not found}, exit $rc, WHY ${w:-none}; $(tail -n 3 "$T_TMP/err1" | tr '\n' ' ')"
fi
# Zombies are not left running: they wait for PID 1, which reaps them
# seconds late in this machine's container.
live=$(ps -e -o pid=,pgid=,stat=,comm= | awk -v g="${cpid:-0}" '$2 == g && $3 !~ /^Z/ { printf "%s %s; ", $1, $4 }')
[ -n "$cpid" ] && [ -z "$live" ] && pass qemu-killed-nothing-left || fail qemu-killed-nothing-left "group ${cpid:-?}: $live"
acsv=$(awk '$1 == "done" && $3 == "A" { print $5 }' "$pf")
asum=$(sha256sum <"$acsv" 2>/dev/null)
[ -n "$acsv" ] && [ "$(campaign_csvs | tr '\n' ' ')" = "$acsv " ] && pass qemu-killed-only-A-in-campaign ||
	fail qemu-killed-only-A-in-campaign "campaign: $(campaign_csvs | tr '\n' ' ')"
t0=$SECONDS
"$P" --data "$D" --campaign c --resume vm >/dev/null 2>"$T_TMP/err2"
rc=$?
echo "resume: exit $rc after $((SECONDS - t0)) s"
why=""
[ "$rc" = 0 ] || why="resume exit $rc: $(tail -n 3 "$T_TMP/err2" | tr '\n' ' ');"
[ "$(awk '$1 == "done" { print $2, $3 }' "$pf" | sort | tr '\n' ,)" = "1 A,1 Q," ] || why="$why $(grep '^done' "$pf" | tr '\n' ' ');"
[ "$(campaign_csvs | wc -l)" = 2 ] || why="$why $(campaign_csvs | wc -l) CSVs;"
[ "$(sha256sum <"$acsv")" = "$asum" ] || why="$why A's run changed;"
qcsv=$(awk '$1 == "done" && $3 == "Q" { print $5 }' "$pf")
[ -n "$qcsv" ] && [ "$(csvq "$qcsv" 'bench == "nullbench" && status == "ok" { n++ } END { print n + 0 }')" = 4 ] &&
	[ "$(csv_col "$qcsv" virt | sort -u)" = qemu-tcg ] || why="$why Q's run lacks its 4 samples or is not qemu-tcg;"
[ -z "$why" ] && pass qemu-killed-resume-completes || fail qemu-killed-resume-completes "$why"
echo "fault suite (qemu): $((SECONDS - t_all)) s"
t_done
