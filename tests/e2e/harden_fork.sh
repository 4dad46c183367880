#!/bin/bash
# tests/e2e/harden_fork.sh - forkbench keeps its live processes bounded
# (unbounded, a big range as root left the machine unable to fork): a
# range that needs 2 x range processes runs within
# --max-procs and within what RLIMIT_NPROC leaves, with the same forks and
# sum.  The limits are real: the runs are an unprivileged user's under a low
# `ulimit -u` (root ignores RLIMIT_NPROC), with --retry-ms 0, so one fork
# past the limit is a fail row at once.  Ranges stay small: this machine is
# shared.
. "$(dirname "$0")/../lib.sh"
B=$HVB_BIN
CSV="/usr/bin/python3 $HVB_TOP/tests/hvbcsv.py"
if ! command -v setpriv >/dev/null || [ "$(id -u)" != 0 ]; then
	skip "forkbench bound" "needs root and setpriv to become an unprivileged user"
	t_done
fi
chmod 755 "$T_TMP"
# as_nobody LIMIT ARGS...: forkbench as uid 65534 under ulimit -u LIMIT.
as_nobody() {
	local lim=$1
	shift
	setpriv --reuid=65534 --regid=65534 --clear-groups bash -c "ulimit -u $lim; exec \"\$0\" \"\$@\"" \
		"$B/forkbench" --reps 1 --warmup 0 --retry-ms 0 "$@" >"$T_TMP/f.csv" 2>"$T_TMP/err"
	rc=$?
}
# ok_run NAME END: exit 0, one ok forks_per_s, the closed-form sum, 2(n-1) forks.
ok_run() {
	local n=$2
	local sum forks c
	sum=$($CSV get "$T_TMP/f.csv" value metric=sum)
	forks=$($CSV get "$T_TMP/f.csv" value metric=forks)
	c=$($CSV count "$T_TMP/f.csv" metric=forks_per_s status=ok)
	if [ "$rc" = 0 ] && [ "$c" = 1 ] && [ "$sum" = "$((n * (n + 1) / 2))" ] && [ "$forks" = "$((2 * (n - 1)))" ]; then
		pass "$1"
	else
		fail "$1" "rc=$rc ok=$c sum=$sum forks=$forks fail=$($CSV get "$T_TMP/f.csv" note status=fail | head -n 1)"
	fi
}

# 1..200 needs 399 processes at once; ulimit -u 150 used to make it fail
# with EAGAIN.  The bound comes from RLIMIT_NPROC.
as_nobody 150 --start 1 --end 200
ok_run "RLIMIT_NPROC 150: 1..200 (399 processes unbounded) runs within the limit" 200
by=$($CSV get "$T_TMP/f.csv" note metric=live_procs_bound_by)
[ "$by" = "RLIMIT_NPROC less this user's processes" ] && pass "the bound says it came from RLIMIT_NPROC" ||
	fail "the bound says it came from RLIMIT_NPROC" "live_procs_bound_by='$by'"

# --max-procs 64 under a limit of 70: every live process counts, so the run
# passes only if at most ~69 are alive at any time.
as_nobody 70 --start 1 --end 200 --max-procs 64
ok_run "--max-procs 64 under ulimit -u 70: 1..200 within 64 live processes" 200
b=$($CSV get "$T_TMP/f.csv" value metric=live_procs_bound)
mode=$($CSV get "$T_TMP/f.csv" note metric=fork_mode)
[ "$b" = 64 ] && [ -n "$mode" ] && pass "--max-procs 64: live_procs_bound 64 and fork_mode written" ||
	fail "--max-procs 64: live_procs_bound 64 and fork_mode written" "bound='$b' mode='$mode'"

# Too few processes left to run at all: a fail row naming the limit, exit 1.
as_nobody 20 --start 1 --end 200
note=$($CSV get "$T_TMP/f.csv" note metric=forks_per_s status=fail)
case "$rc:$note" in
"1:only "*" processes may be started (RLIMIT_NPROC less this user's processes); forkbench needs at least 28")
	pass "ulimit -u 20: exit 1, a fail row naming RLIMIT_NPROC" ;;
*) fail "ulimit -u 20: exit 1, a fail row naming RLIMIT_NPROC" "rc=$rc note='$note'" ;;
esac

# Within the default bound (4096) a range keeps the seed's fully concurrent
# tree: no fork_mode row.  (The default range 1..1024 needs 2047 processes.)
"$B/forkbench" --reps 1 --warmup 0 --end 100 >"$T_TMP/f.csv" 2>"$T_TMP/err"
rc=$?
ok_run "1..100 as root: ok" 100
b=$($CSV get "$T_TMP/f.csv" value metric=live_procs_bound)
[ "$($CSV count "$T_TMP/f.csv" metric=fork_mode)" = 0 ] && [ -n "$b" ] && [ "$b" -le 4096 ] && pass "within the bound: fully concurrent, as the seed" ||
	fail "within the bound: fully concurrent, as the seed" "bound=$b $($CSV get "$T_TMP/f.csv" note metric=fork_mode)"

# --max-procs below what the algorithm needs: usage error, nothing written.
"$B/forkbench" --max-procs 10 >"$T_TMP/f.csv" 2>"$T_TMP/err"
rc=$?
[ "$rc" = 2 ] && [ ! -s "$T_TMP/f.csv" ] && [ "$(cat "$T_TMP/err")" = "forkbench: --max-procs: 10 is out of range 64..4.1943e+06" ] &&
	pass "--max-procs 10: exit 2, nothing written" || fail "--max-procs 10: exit 2, nothing written" "rc=$rc out=$(wc -c <"$T_TMP/f.csv") err=$(cat "$T_TMP/err")"
sleep 0.3
left=$(ps -u 65534 -o comm= | grep -c forkbench)
[ "$left" = 0 ] && pass "no forkbench processes or zombies left" || fail "no forkbench processes or zombies left" "$(ps -u 65534 -o pid=,stat=,comm=)"
t_done
