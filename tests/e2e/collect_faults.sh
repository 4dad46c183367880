#!/bin/bash
# collect_faults.sh - the faults a campaign must survive, made for real on collect/plan with
# collect/local, a plan of one round of A=local B=local running nullbench
# (4 repetitions of 0.4 s), each fault in B's or A's run, whichever is
# second: SIGTERM and SIGINT to the plan, kill -9 of the plan (its collector
# held stopped, so a resume meets a run still alive), kill -9 of the
# collector, the data directory full (a 2 MiB tmpfs filled up) and
# read-only (the tmpfs remounted ro).  For each: the exit status (130, 130,
# 5 then 0, 1, 3, 3), the message, nothing of the cut run in the campaign
# (kept apart with a WHY, or in staging), the finished run intact, no
# process of the run left, and a --resume that completes the plan with
# exactly one run per (round, environment), each with its round.  Then
# resume's idempotence: a finished plan resumed changes no file; a binary
# changed since the plan started is refused (exit 2) unless
# --force-new-binaries; two resumes at once: one runs, one is refused (5).
. "$(dirname "$0")/../lib.sh"
P=$HVB_TOP/collect/plan
BIN=$HVB_STATIC_BIN/hvbench
export TMPDIR=$T_TMP/stage
mkdir -p "$TMPDIR"
common=(--bench null --quick --reps 4 --warmup 0 --no-telemetry)
# 4 x 250 ms: long enough for a fault 0.3 s into a run, short for the suite.
SLEEP_MS=250
mnt=$T_TMP/fs
trap 'mountpoint -q "$mnt" && umount "$mnt"; rm -rf "$T_TMP"' EXIT
t_all=$SECONDS

# plan_bg NAME DATA [PLAN-ARGS...]: plan NAME (1 round, A B) in the
# background with its stderr in $T_TMP/NAME.err; sets PID.
plan_bg() {
	local n=$1 d=$2
	shift 2
	"$P" --data "$d" --campaign c --id "$n" --rounds 1 --seed 5 "$@" --hvbench "$BIN" A=local B=local \
		"${common[@]}" -- --sleep-ms "$SLEEP_MS" >/dev/null 2>"$T_TMP/$n.err" &
	PID=$!
}
# second_run NAME DATA: wait until the second run's suite runs; sets SECOND
# (its label), FIRST_CSV (the first run's file, filed) and CPID (its collector).
second_run() {
	local pf=$2/c/$1.plan c
	SECOND="" FIRST_CSV="" CPID=""
	for _ in $(seq 1 200); do
		[ "$(grep -c 'running the suite' "$T_TMP/$1.err" 2>/dev/null)" = 2 ] && break
		sleep 0.05
	done
	sleep 0.3
	SECOND=$(awk '$1 == "order" { print $4; exit }' "$pf")
	FIRST_CSV=$(awk '$1 == "done" { print $5; exit }' "$pf")
	for c in $(pgrep -P "$PID"); do
		case $(tr '\0' ' ' <"/proc/$c/cmdline" 2>/dev/null) in *collect/local*) CPID=$c ;; esac
	done
	FIRST_SUM=$(sha256sum <"$FIRST_CSV" 2>/dev/null)
}
campaign_csvs() { find "$1/c" -name '.*' -prune -o -name '*.csv' -print | sort; }
# resumed NAME DATA: --resume completes the plan: exit 0, exactly the runs
# (1, A) and (1, B) in the campaign, each tagged round 1, the first intact.
resumed() {
	local n=$1 d=$2 pf=$2/c/$1.plan rc why="" csv
	"$P" --data "$d" --campaign c --resume "$n" >/dev/null 2>"$T_TMP/$n.resume.err"
	rc=$?
	[ "$rc" = 0 ] || why="resume exit $rc: $(tail -n 2 "$T_TMP/$n.resume.err" | tr '\n' ' ');"
	[ "$(campaign_csvs "$d" | wc -l)" = 2 ] || why="$why $(campaign_csvs "$d" | wc -l) CSVs;"
	[ "$(awk '$1 == "done" { print $2, $3 }' "$pf" | sort | tr '\n' ,)" = "1 A,1 B," ] || why="$why done lines: $(grep '^done' "$pf" | tr '\n' ' ');"
	for csv in $(campaign_csvs "$d"); do
		[ "$(csvq "$csv" 'bench == "hvbench" && metric == "round" { print value }' | sort -u)" = 1 ] || why="$why $csv not round 1;"
		python3 "$HVB_TOP/tests/hvbcsv.py" check "$csv" >/dev/null || why="$why $csv not valid hvb1;"
	done
	[ "$(sha256sum <"$FIRST_CSV" 2>/dev/null)" = "$FIRST_SUM" ] || why="$why the first run $FIRST_CSV changed;"
	[ -z "$why" ] && pass "$n-resume-completes" || fail "$n-resume-completes" "$why"
}
# group_gone PGID: no process of the collector's group is left (waits 5 s).
group_gone() {
	for _ in $(seq 1 50); do
		[ -n "$1" ] && [ -z "$(pgrep -g "$1")" ] && return 0
		sleep 0.1
	done
	return 1
}
# apart_why DATA LABEL: the WHY file of LABEL's run kept apart.
apart_why() { grep -l "^env=$2$" "$1"/c/.incomplete/*/*/WHY 2>/dev/null | head -n 1; }

# ---- SIGTERM and SIGINT to the plan
for sig in TERM INT; do
	n=sig${sig,,}
	d=$T_TMP/$n
	t0=$SECONDS
	if [ "$sig" = INT ]; then
		# A script's background job starts with SIGINT ignored, which bash
		# cannot trap; a terminal's Ctrl-C reaches a plan that has it.
		env --default-signal=INT "$P" --data "$d" --campaign c --id "$n" --rounds 1 --seed 5 --hvbench "$BIN" A=local B=local \
			"${common[@]}" -- --sleep-ms "$SLEEP_MS" >/dev/null 2>"$T_TMP/$n.err" &
		PID=$!
	else
		plan_bg "$n" "$d"
	fi
	second_run "$n" "$d"
	kill -"$sig" "$PID"
	wait "$PID"
	rc=$?
	echo "SIG$sig to the plan during $SECOND's run: exit $rc after $((SECONDS - t0)) s"
	w=$(apart_why "$d" "$SECOND")
	if [ "$rc" = 130 ] && grep -q "interrupted in round 1 ($SECOND); finished runs are recorded: collect/plan --resume $n --campaign c --data $d" "$T_TMP/$n.err" &&
		grep -q "^stopped=interrupted round=1 env=$SECOND$" "$d/c/$n.plan" && [ "$(campaign_csvs "$d" | wc -l)" = 1 ] &&
		[ -n "$w" ] && grep -q '^why=interrupted (collector exit 130)$' "$w" && group_gone "$CPID"; then
		pass "$n-exit-130"
	else
		fail "$n-exit-130" "exit $rc; WHY ${w:-none}; $(grep -v 'round 1/1' "$T_TMP/$n.err" | tail -n 3 | tr '\n' ' ')"
	fi
	resumed "$n" "$d"
done

# A finished plan resumed changes nothing: no file written, none added.
d=$T_TMP/sigterm
snap() { find "$d" -type f -print0 | sort -z | xargs -0 sha256sum; find "$d" | sort; }
before=$(snap)
"$P" --data "$d" --campaign c --resume sigterm >/dev/null 2>"$T_TMP/fin.err"
rc=$?
[ "$rc" = 0 ] && [ "$(snap)" = "$before" ] && grep -q 'plan sigterm is complete (2 runs; stopped=rounds round=1): nothing to do' "$T_TMP/fin.err" &&
	pass resume-finished-changes-nothing || fail resume-finished-changes-nothing "exit $rc: $(cat "$T_TMP/fin.err")"

# ---- kill -9 of the plan, its collector stopped so that its run is still
# alive when the resume comes: refused (5), naming it; once it has ended
# (it got SIGTERM when its plan died), the resume runs.  The list is in pid
# order, so after a pid wrap-around the collector need not come first.
n=kill9plan d=$T_TMP/$n
plan_bg "$n" "$d"
second_run "$n" "$d"
kill -STOP "$CPID"
kill -9 "$PID"
wait "$PID" 2>/dev/null
HVB_PLAN_LOCK_WAIT=1 "$P" --data "$d" --campaign c --resume "$n" >/dev/null 2>"$T_TMP/$n.busy.err"
rc=$?
if [ "$rc" = 5 ] && grep -q "plan $n: a run it started is still alive 1s after its plan (pid $PID) ended: \(.*, \)\?pid $CPID ([^)]*collect/local" "$T_TMP/$n.busy.err" &&
	[ "$(campaign_csvs "$d" | wc -l)" = 1 ]; then
	pass kill9plan-resume-refused-while-alive
else
	fail kill9plan-resume-refused-while-alive "exit $rc: $(cat "$T_TMP/$n.busy.err")"
fi
kill -CONT "$CPID"
group_gone "$CPID" && pass kill9plan-collector-stops || fail kill9plan-collector-stops "left: $(pgrep -ag "$CPID" | tr '\n' ' ')"
resumed "$n" "$d"
grep -q "found in the plan's staging by --resume" "$T_TMP/$n.resume.err" && pass kill9plan-partial-kept-apart ||
	fail kill9plan-partial-kept-apart "$(head -n 4 "$T_TMP/$n.resume.err")"

# ---- kill -9 of the collector: the plan stops what it left, goes on, exit 1.
n=kill9coll d=$T_TMP/$n
plan_bg "$n" "$d"
second_run "$n" "$d"
kill -9 "$CPID"
wait "$PID"
rc=$?
if [ "$rc" = 1 ] && grep -q "round 1: $SECOND did not complete (its collector was killed by signal 9 (exit 137)); --resume runs it again" "$T_TMP/$n.err" &&
	group_gone "$CPID" && grep -q "^fail 1 $SECOND 137$" "$d/c/$n.plan" && [ "$(campaign_csvs "$d" | wc -l)" = 1 ]; then
	pass kill9coll-exit-1
else
	fail kill9coll-exit-1 "exit $rc; left: $(pgrep -ag "$CPID" | tr '\n' ' '); $(tail -n 3 "$T_TMP/$n.err" | tr '\n' ' ')"
fi
resumed "$n" "$d"

# ---- the data directory full, then read-only (a tmpfs).
mkdir -p "$mnt"
if ! mount -t tmpfs -o size=2m tmpfs "$mnt" 2>"$T_TMP/mount.err"; then
	skip collect_faults_disk "cannot mount a tmpfs here: $(cat "$T_TMP/mount.err")"
else
	n=full d=$mnt/full
	plan_bg "$n" "$d"
	second_run "$n" "$d"
	dd if=/dev/zero of="$mnt/filler" bs=64k 2>/dev/null
	wait "$PID"
	rc=$?
	echo "data directory full during $SECOND's run: exit $rc"
	if [ "$rc" = 3 ] && grep -q "cannot store .*: No space left on device" "$T_TMP/$n.err" &&
		grep -q "the data directory $d is full or not writable: the plan stops; the finished runs are kept and recorded. Free space (or make it writable), then: collect/plan --resume $n" "$T_TMP/$n.err" &&
		[ "$(campaign_csvs "$d" | wc -l)" = 1 ]; then
		pass full-exit-3
	else
		fail full-exit-3 "exit $rc: $(tail -n 4 "$T_TMP/$n.err" | tr '\n' ' ')"
	fi
	rm -f "$mnt/filler"
	resumed "$n" "$d"

	n=readonly d=$mnt/ro
	plan_bg "$n" "$d"
	second_run "$n" "$d"
	for _ in $(seq 1 40); do
		mount -o remount,ro "$mnt" 2>/dev/null && break
		sleep 0.05
	done
	wait "$PID"
	rc=$?
	echo "data directory read-only during $SECOND's run: exit $rc"
	if [ "$rc" = 3 ] && grep -q "Read-only file system" "$T_TMP/$n.err" &&
		grep -q "the data directory $d is full or not writable: the plan stops" "$T_TMP/$n.err" &&
		[ "$(campaign_csvs "$d" | wc -l)" = 1 ]; then
		pass readonly-exit-3
	else
		fail readonly-exit-3 "exit $rc: $(tail -n 4 "$T_TMP/$n.err" | tr '\n' ' ')"
	fi
	mount -o remount,rw "$mnt"
	resumed "$n" "$d"
fi

# ---- the binary changed since the plan started; two resumes at once.
n=bins d=$T_TMP/$n
cp "$BIN" "$T_TMP/hvbench-copy"
"$P" --data "$d" --campaign c --id "$n" --rounds 1 --seed 5 --max-runs 1 --hvbench "$T_TMP/hvbench-copy" A=local B=local \
	"${common[@]}" -- --sleep-ms "$SLEEP_MS" >/dev/null 2>"$T_TMP/$n.err"
FIRST_CSV=$(awk '$1 == "done" { print $5; exit }' "$d/c/$n.plan")
FIRST_SUM=$(sha256sum <"$FIRST_CSV")
old=$(sha256sum <"$T_TMP/hvbench-copy" | cut -d' ' -f1)
printf '\n' >>"$T_TMP/hvbench-copy"
new=$(sha256sum <"$T_TMP/hvbench-copy" | cut -d' ' -f1)
"$P" --data "$d" --campaign c --resume "$n" >/dev/null 2>"$T_TMP/$n.changed.err"
rc=$?
if [ "$rc" = 2 ] && grep -qx "hvbench_sha256=$old" "$d/c/$n.plan" &&
	grep -q "the benchmark binary changed since the plan's runs: $T_TMP/hvbench-copy has sha256 $new, the plan's runs used $old; .*--force-new-binaries" "$T_TMP/$n.changed.err" &&
	[ "$(campaign_csvs "$d" | wc -l)" = 1 ]; then
	pass bins-changed-refused
else
	fail bins-changed-refused "exit $rc: $(cat "$T_TMP/$n.changed.err")"
fi
"$P" --data "$d" --campaign c --resume "$n" --force-new-binaries >/dev/null 2>"$T_TMP/$n.r1.err" &
p1=$!
"$P" --data "$d" --campaign c --resume "$n" --force-new-binaries >/dev/null 2>"$T_TMP/$n.r2.err" &
p2=$!
wait "$p1"
rc1=$?
wait "$p2"
rc2=$?
echo "two resumes at once: exits $rc1 $rc2"
if { [ "$rc1" = 0 ] && [ "$rc2" = 5 ] && grep -q "plan $n is already being run by pid $p1 " "$T_TMP/$n.r2.err"; } ||
	{ [ "$rc1" = 5 ] && [ "$rc2" = 0 ] && grep -q "plan $n is already being run by pid $p2 " "$T_TMP/$n.r1.err"; }; then
	pass two-resumes-one-refused
else
	fail two-resumes-one-refused "exits $rc1 $rc2: $(cat "$T_TMP/$n.r1.err" "$T_TMP/$n.r2.err" | grep -v 'round 1/1' | head -n 4 | tr '\n' ' ')"
fi
grep -q "^binaries_changed old=$old new=$new " "$d/c/$n.plan" && [ "$(grep '^hvbench_sha256=' "$d/c/$n.plan" | tail -n 1)" = "hvbench_sha256=$new" ] &&
	pass bins-forced-recorded || fail bins-forced-recorded "$(grep '^binaries\|^hvbench' "$d/c/$n.plan" | tr '\n' ' ')"
resumed "$n" "$d"
echo "fault suite (local): $((SECONDS - t_all)) s"
t_done
