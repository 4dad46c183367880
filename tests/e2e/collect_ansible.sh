#!/bin/bash
# tests/e2e/collect_ansible.sh - collect/ansible/playbook.yml with Debian's
# ansible against localhost (ansible_connection=local) and a host that
# cannot be reached: localhost's quick suite lands in the data layout, the
# unreachable host is reported and does not stop the other; a second run
# adds a new file instead of overwriting the first.
. "$(dirname "$0")/../lib.sh"

if ! command -v ansible-playbook >/dev/null; then
	fail ansible_installed "no ansible-playbook (Debian ansible; make deps)"
	t_done
fi
export ANSIBLE_NOCOLOR=1 ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_RETRY_FILES_ENABLED=0 \
	ANSIBLE_LOCAL_TEMP=$T_TMP/ansible-local ANSIBLE_REMOTE_TEMP=$T_TMP/ansible-remote \
	ANSIBLE_SSH_ARGS="-o ConnectTimeout=5 -o BatchMode=yes" HOME=$T_TMP
cat >"$T_TMP/inventory" <<EOF
localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3 hvb_env=ansible-local
down ansible_host=127.0.0.1 ansible_port=1 hvb_env=downhost
EOF
data=$T_TMP/data
t0=$SECONDS
ansible-playbook -f 2 -i "$T_TMP/inventory" "$HVB_TOP/collect/ansible/playbook.yml" \
	-e "hvb_data=$data" -e hvb_campaign=an -e hvb_quick=true -e hvb_benches=fork,time \
	-e "hvb_bin=$HVB_STATIC_BIN/hvbench" -e '{"hvb_machine": "rack 3"}' >"$T_TMP/out" 2>&1
rc=$?
echo "ansible run: $((SECONDS - t0)) s, exit $rc"
# ansible-playbook exits 4 when a host was unreachable.
if [ "$rc" = 4 ]; then pass ansible_exit_unreachable; else fail ansible_exit_unreachable "exit $rc, want 4"; tail -n 30 "$T_TMP/out"; fi
if grep -Eq '^down +: ok=[0-9]+ +changed=0 +unreachable=1' "$T_TMP/out" &&
	grep -Eq '^localhost +: ok=[0-9]+ +changed=[0-9]+ +unreachable=0 +failed=0' "$T_TMP/out"; then
	pass ansible_down_reported_others_go_on
else
	fail ansible_down_reported_others_go_on "recap: $(grep -A3 'PLAY RECAP' "$T_TMP/out" | tr '\n' ' ')"
fi
csv=$(find "$data/an/ansible-local" -name 'localhost_ansible-local_*.csv' 2>/dev/null | head -n 1)
if [ -n "$csv" ] && [ "$(bench_names "$csv")" = "forkbench timebench " ] &&
	[ "$(csv_col "$csv" env | sort -u)" = ansible-local ] && [ "$(csv_col "$csv" status | grep -c '^ok$')" -ge 5 ]; then
	pass ansible_csv_landed
else
	fail ansible_csv_landed "no CSV with the two benchmarks under $data/an/ansible-local"
fi
m=$([ -n "$csv" ] && machine_rows "$csv" | sort | uniq -c | awk '{ $1 = $1; print }')
if [ "$m" = "2 rack 3" ]; then pass ansible_machine_row; else fail ansible_machine_row "machine rows '$m', want 2 naming 'rack 3' (hvb_machine)"; fi
if [ -z "$(find "$data/an" -path '*downhost*' -type f)" ]; then pass ansible_no_file_for_down_host; else fail ansible_no_file_for_down_host "files for the unreachable host"; fi
ansible-playbook -i "$T_TMP/inventory" --limit localhost "$HVB_TOP/collect/ansible/playbook.yml" \
	-e "hvb_data=$data" -e hvb_campaign=an -e hvb_quick=true -e hvb_benches=fork \
	-e "hvb_bin=$HVB_STATIC_BIN/hvbench" >"$T_TMP/out2" 2>&1
rc=$?
n=$(find "$data/an/ansible-local" -name '*.csv' | wc -l)
if [ "$rc" = 0 ] && [ "$n" = 2 ] && [ "$(bench_names "$csv" | wc -w)" = 2 ]; then
	pass ansible_second_run_new_file
else
	fail ansible_second_run_new_file "exit $rc, $n CSVs"
fi
t_done
