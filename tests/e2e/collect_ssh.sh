#!/bin/bash
# tests/e2e/collect_ssh.sh - collect/ssh against a real OpenSSH server.
# The test starts Debian's sshd on a loopback port with a throw-away host key,
# a test-only sshd_config (UsePAM no, key login only) and an authorized key
# made here, and gives the collector an ssh config naming it.  Two targets from
# a hosts file run in parallel: the reachable one's quick suite lands in a
# scratch data dir and its remote scratch dir is removed; the other points at
# a closed port and is reported while the first goes on.
. "$(dirname "$0")/../lib.sh"

SSHD=/usr/sbin/sshd
if [ ! -x "$SSHD" ] || ! command -v ssh-keygen >/dev/null; then
	fail ssh_server "no $SSHD or ssh-keygen (Debian openssh-server; make deps)"
	t_done
fi
d=$T_TMP/sshd
mkdir -p "$T_TMP/remote"
port=$(free_port)
closed=$(free_port)
while [ "$closed" = "$port" ]; do closed=$(free_port); done
t_sshd "$d" "$port"
# shellcheck disable=SC2154 # sshd_pid: set by t_sshd
trap 'kill "$sshd_pid" 2>/dev/null; rm -rf "$T_TMP"' EXIT
cat >"$d/ssh_config" <<EOF
Host hvbtest-up hvbtest-down
  HostName 127.0.0.1
  User root
  IdentityFile $d/userkey
  IdentitiesOnly yes
  UserKnownHostsFile $d/known_hosts
  StrictHostKeyChecking yes
Host hvbtest-up
  Port $port
Host hvbtest-down
  Port $closed
EOF
for _ in $(seq 50); do
	ss -Hltn | grep -q "127.0.0.1:$port " && break
	sleep 0.1
done
if ssh -F "$d/ssh_config" -o BatchMode=yes hvbtest-up true 2>"$T_TMP/probe.err"; then
	pass ssh_server_up
else
	fail ssh_server_up "cannot log in to the test sshd: $(cat "$T_TMP/probe.err") $(tail -n 3 "$d/sshd.log")"
	t_done
fi

cat >"$T_TMP/hosts" <<'EOF'
# target        env
hvbtest-up      sshvm
hvbtest-down    downvm   # nobody listens there
EOF
data=$T_TMP/data
t0=$SECONDS
HVB_MACHINE="vmhost 9" "$HVB_TOP/collect/ssh" --ssh-config "$d/ssh_config" --hosts "$T_TMP/hosts" --jobs 2 \
	--connect-timeout 5 --remote-dir "$T_TMP/remote" --data "$data" --campaign s \
	--hvbench "$HVB_STATIC_BIN/hvbench" --quick --bench fork,pipe,time >"$T_TMP/out" 2>"$T_TMP/err"
rc=$?
echo "ssh run: $((SECONDS - t0)) s, exit $rc"
sed 's/^/  stderr: /' "$T_TMP/err"
if [ "$rc" = 1 ]; then pass ssh_exit_reports_down_host; else fail ssh_exit_reports_down_host "exit $rc, want 1 (one target down)"; fi
csv=$(find "$data/s/sshvm" -name 'hvbtest-up_sshvm_*.csv' 2>/dev/null | head -n 1)
if [ -n "$csv" ] && [ "$(csv_col "$csv" status | grep -c '^ok$')" -ge 10 ]; then
	pass ssh_csv_landed
else
	fail ssh_csv_landed "no CSV with ok rows under $data/s/sshvm: $(find "$data" -type f | tr '\n' ' ')"
fi
if [ -n "$csv" ]; then
	benches=$(bench_names "$csv")
	m=$(machine_rows "$csv" | sort -u)
	if [ "$m" = "vmhost 9" ] && [ "$(machine_rows "$csv" | wc -l)" = 3 ]; then pass ssh_machine_row_from_env; else fail ssh_machine_row_from_env "machine rows '$m', want 3 naming 'vmhost 9' (HVB_MACHINE)"; fi
	if [ "$benches" = "forkbench pipebench timebench " ]; then pass ssh_benches; else fail ssh_benches "benches '$benches'"; fi
	envs=$(csv_col "$csv" env | sort -u | tr '\n' ' ')
	if [ "$envs" = "sshvm " ]; then pass ssh_env_label; else fail ssh_env_label "env column '$envs'"; fi
	if grep -qx 'remote_exit=0' "${csv%.csv}.meta" && grep -q '^wall_s=' "${csv%.csv}.meta"; then pass ssh_meta; else fail ssh_meta "meta: $(tr '\n' ' ' <"${csv%.csv}.meta")"; fi
fi
if grep -q 'hvbtest-down: unreachable' "$T_TMP/err" && grep -q '^  hvbtest-down downvm 1 unreachable' "$T_TMP/err"; then
	pass ssh_down_reported
else
	fail ssh_down_reported "no 'unreachable' report for hvbtest-down"
fi
if [ -z "$(find "$data/s/downvm" -name '*.csv' 2>/dev/null)" ] && grep -q '^error=unreachable' "$data"/s/downvm/*.meta 2>/dev/null; then
	pass ssh_down_no_csv_but_meta
else
	fail ssh_down_no_csv_but_meta "want no CSV and a .meta naming the error for the down target"
fi
if [ -z "$(ls -A "$T_TMP/remote")" ]; then pass ssh_remote_cleaned; else fail ssh_remote_cleaned "left on target: $(ls "$T_TMP/remote")"; fi

# A second run never overwrites the first: a new file appears.
"$HVB_TOP/collect/ssh" --ssh-config "$d/ssh_config" --remote-dir "$T_TMP/remote" --data "$data" --campaign s \
	--hvbench "$HVB_STATIC_BIN/hvbench" --quick --bench fork hvbtest-up=sshvm >/dev/null 2>"$T_TMP/err2"
rc=$?
n=$(find "$data/s/sshvm" -name '*.csv' | wc -l)
if [ "$rc" = 0 ] && [ "$n" = 2 ] && [ -n "$csv" ] && [ "$(bench_names "$csv" | wc -w)" = 3 ]; then
	pass ssh_second_run_new_file
else
	fail ssh_second_run_new_file "exit $rc, $n CSVs: $(cat "$T_TMP/err2")"
fi
t_done
