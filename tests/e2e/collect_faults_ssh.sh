#!/bin/bash
# collect_faults_ssh.sh - a campaign survives an ssh connection cut in mid-run.  A real
# sshd on a loopback port (the set-up of collect_ssh.sh: throw-away keys, a
# test-only sshd_config, with the sftp subsystem that scp needs), a plan of one round, A=local and S=ssh to it,
# running nullbench (4 repetitions of 0.4 s); during S's run the sshd
# process that serves the connection is killed (SIGKILL), as a dropped link
# would end it.  The user gets: collect/ssh's message (the run exited 255),
# the plan's "did not complete" with the reason, exit 1, the cut run kept
# apart (not in the campaign), A's run intact; --resume runs S again and the
# plan holds one run per (round, environment).
. "$(dirname "$0")/../lib.sh"
P=$HVB_TOP/collect/plan
BIN=$HVB_STATIC_BIN/hvbench
SSHD=/usr/sbin/sshd
if [ ! -x "$SSHD" ] || ! command -v ssh-keygen >/dev/null; then
	fail faults_ssh_server "no $SSHD or ssh-keygen (Debian openssh-server; make deps)"
	t_done
fi
t_all=$SECONDS
d=$T_TMP/sshd
mkdir -p "$T_TMP/remote"
port=$(free_port)
t_sshd "$d" "$port"
# shellcheck disable=SC2154 # sshd_pid: set by t_sshd
trap 'kill "$sshd_pid" 2>/dev/null; rm -rf "$T_TMP"' EXIT
cat >"$d/ssh_config" <<EOF
Host hvbtest-up
  HostName 127.0.0.1
  Port $port
  User root
  IdentityFile $d/userkey
  IdentitiesOnly yes
  UserKnownHostsFile $d/known_hosts
  StrictHostKeyChecking yes
EOF
for _ in $(seq 50); do
	ss -Hltn | grep -q "127.0.0.1:$port " && break
	sleep 0.1
done
if ! ssh -F "$d/ssh_config" -o BatchMode=yes hvbtest-up true 2>"$T_TMP/probe.err"; then
	fail faults_ssh_server_up "cannot log in to the test sshd: $(cat "$T_TMP/probe.err") $(tail -n 3 "$d/sshd.log")"
	t_done
fi

export TMPDIR=$T_TMP/stage
mkdir -p "$TMPDIR"
D=$T_TMP/data
pf=$D/c/cut.plan
campaign_csvs() { find "$D/c" -name '.*' -prune -o -name '*.csv' -print | sort; }
# S runs first (--seed 2 orders "S A"), so that A's run after it shows the
# plan going on.
t0=$SECONDS
"$P" --data "$D" --campaign c --id cut --rounds 1 --seed 2 --hvbench "$BIN" A=local \
	"S=ssh --ssh-config $d/ssh_config --connect-timeout 5 --remote-dir $T_TMP/remote hvbtest-up" \
	--bench null --quick --reps 4 --warmup 0 --no-telemetry -- --sleep-ms 400 >/dev/null 2>"$T_TMP/err1" &
pid=$!
for _ in $(seq 1 200); do
	grep -q "hvbtest-up: running the suite" "$T_TMP/err1" && break
	sleep 0.05
done
sleep 0.5
first=$(awk '$1 == "order" { print $3; exit }' "$pf")
# The sshd processes serving connections are the listener's children.
conns=$(pgrep -P "$sshd_pid" | tr '\n' ' ')
# shellcheck disable=SC2086 # the pids, one word each
[ -z "$conns" ] || kill -9 $conns
wait "$pid"
rc=$?
echo "ssh cut in $first's run (sshd pids $conns): plan exit $rc after $((SECONDS - t0)) s"
grep -v 'round 1/1' "$T_TMP/err1" | sed 's/^/  stderr: /' | head -n 14
w=$(grep -l '^env=S$' "$D"/c/.incomplete/cut/*/WHY 2>/dev/null | head -n 1)
if [ "$first" = S ] && [ "$rc" = 1 ] && grep -q "hvbtest-up: the run exited 255" "$T_TMP/err1" &&
	grep -q "round 1: S did not complete (.*); --resume runs it again" "$T_TMP/err1" && grep -q '^fail 1 S 1$' "$pf" &&
	[ -n "$w" ] && grep -q '^why=' "$w"; then
	pass ssh-cut-exit-1-kept-apart
else
	fail ssh-cut-exit-1-kept-apart "first $first, exit $rc; WHY ${w:-none}: $(cat "${w:-/dev/null}" | tr '\n' ' '); $(tail -n 3 "$T_TMP/err1" | tr '\n' ' ')"
fi
acsv=$(awk '$1 == "done" && $3 == "A" { print $5 }' "$pf")
asum=$(sha256sum <"$acsv" 2>/dev/null)
[ "$(campaign_csvs | tr '\n' ' ')" = "$acsv " ] && pass ssh-cut-only-A-in-campaign ||
	fail ssh-cut-only-A-in-campaign "campaign: $(campaign_csvs | tr '\n' ' '); A's: $acsv"
"$P" --data "$D" --campaign c --resume cut >/dev/null 2>"$T_TMP/err2"
rc=$?
why=""
[ "$rc" = 0 ] || why="resume exit $rc: $(tail -n 3 "$T_TMP/err2" | tr '\n' ' ');"
[ "$(awk '$1 == "done" { print $2, $3 }' "$pf" | sort | tr '\n' ,)" = "1 A,1 S," ] || why="$why $(grep '^done' "$pf" | tr '\n' ' ');"
[ "$(campaign_csvs | wc -l)" = 2 ] || why="$why $(campaign_csvs | wc -l) CSVs;"
[ "$(sha256sum <"$acsv")" = "$asum" ] || why="$why A's run changed;"
scsv=$(awk '$1 == "done" && $3 == "S" { print $5 }' "$pf")
[ -n "$scsv" ] && [ "$(csvq "$scsv" 'bench == "nullbench" && status == "ok" { n++ } END { print n + 0 }')" = 4 ] || why="$why S's run lacks its 4 samples;"
[ -z "$why" ] && pass ssh-cut-resume-completes || fail ssh-cut-resume-completes "$why"
echo "fault suite (ssh): $((SECONDS - t_all)) s"
t_done
