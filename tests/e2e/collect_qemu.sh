#!/bin/bash
# tests/e2e/collect_qemu.sh - collect/qemu boots a real QEMU guest (the Debian
# cloud kernel, an initramfs with busybox and the static hvbench), runs the
# quick suite of four benchmarks in it (1 vCPU: under TCG, IPC across two
# vCPUs is ~30x slower) and the CSV comes back over the serial
# port into a scratch data dir, labelled qemu-tcg.  TCG is asked for: on
# this machine a nested KVM guest sometimes boots and sometimes hangs, so a
# test cannot leave the choice to the probe.
# Then a guest that never prints its results, started in auto mode with a
# QEMU whose KVM hangs (a wrapper: -accel kvm sleeps, anything else is the
# real QEMU): the probe gives up and falls back to TCG, the timeout kills the
# VM, the message says so, and nothing is stored as a result.
. "$(dirname "$0")/../lib.sh"

Q=$HVB_TOP/collect/qemu
BIN=$HVB_STATIC_BIN/hvbench
if ! kdir=$("$HVB_TOP/collect/fetch-kernel" 2>"$T_TMP/fetch.err"); then
	fail qemu_kernel "collect/fetch-kernel failed: $(tail -n 3 "$T_TMP/fetch.err")"
	t_done
fi
pass qemu_kernel
echo "kernel: $kdir"

data=$T_TMP/data
TMPDIR=$T_TMP/stage1
mkdir -p "$TMPDIR"
export TMPDIR
t0=$SECONDS
"$Q" --data "$data" --campaign t --hvbench "$BIN" --quick --bench fork,pipe,time,cpu \
	--smp 1 --accel tcg --disk-size 0 --net none --timeout 170 --machine qemu-host-1 >"$T_TMP/q.out" 2>"$T_TMP/q.err"
rc=$?
echo "guest run: $((SECONDS - t0)) s, exit $rc"
sed 's/^/  stderr: /' "$T_TMP/q.err"
if [ "$rc" = 0 ]; then pass qemu_exit_0; else fail qemu_exit_0 "exit $rc"; fi

envdir=$(find "$data/t" -mindepth 1 -maxdepth 1 -type d | head -n 1)
env=$(basename "${envdir:-none}")
csvs=$(find "$data/t" -name '*.csv' | wc -l)
csv=$(find "$data/t" -name '*.csv' | head -n 1)
if [ "$csvs" = 1 ]; then pass qemu_one_csv; else fail qemu_one_csv "expected 1 CSV under $data/t, found $csvs"; fi
want_virt=qemu-tcg
if [ "$env" = qemu-tcg ]; then pass qemu_env_label; else fail qemu_env_label "env dir '$env', want qemu-tcg"; fi
if [ -n "$csv" ]; then
	virts=$(csv_col "$csv" virt | sort -u | tr '\n' ' ')
	if [ "$virts" = "$want_virt " ]; then pass qemu_virt_detected; else fail qemu_virt_detected "virt column is '$virts', want '$want_virt'"; fi
	envs=$(csv_col "$csv" env | sort -u | tr '\n' ' ')
	if [ "$envs" = "$env " ]; then pass qemu_env_column; else fail qemu_env_column "env column is '$envs'"; fi
	benches=$(bench_names "$csv")
	m=$(machine_rows "$csv" | sort -u)
	if [ "$m" = "qemu-host-1" ] && [ "$(machine_rows "$csv" | wc -l)" = 4 ]; then pass qemu_machine_row; else fail qemu_machine_row "machine rows '$m', want 4 naming qemu-host-1"; fi
	if [ "$benches" = "cpubench forkbench pipebench timebench " ]; then pass qemu_four_benches; else fail qemu_four_benches "benches: '$benches'"; fi
	ok=$(csv_col "$csv" status | grep -c '^ok$')
	if [ "$ok" -ge 20 ]; then pass qemu_ok_rows; else fail qemu_ok_rows "only $ok ok rows"; fi
	hdr=$(head -n 1 "$csv")
	if [ "$(grep -c "^schema," "$csv")" = 1 ] && [ "${hdr%%,*}" = schema ]; then pass qemu_one_header; else fail qemu_one_header "header missing or repeated"; fi
	meta=${csv%.csv}.meta
	if grep -q '^wall_s=[0-9]' "$meta" && grep -q '^bench.forkbench.host_wall_s=[0-9]' "$meta" &&
		grep -q '^bench.forkbench.guest_wall_s=[0-9]' "$meta" && grep -qx 'benches_missing=' "$meta"; then
		pass qemu_meta_timing
	else
		fail qemu_meta_timing "$meta lacks host/guest wall times: $(tr '\n' ' ' <"$meta" | head -c 400)"
	fi
fi
if [ -z "$(ls -A "$T_TMP/stage1")" ]; then pass qemu_stage_cleaned; else fail qemu_stage_cleaned "left: $(ls "$T_TMP/stage1")"; fi

# A guest whose benchmark never finishes: no results, timeout, VM killed.
fake=$T_TMP/fake-hvbench
cat >"$fake" <<'EOF'
#!/bin/sh
case $1 in
list) echo "forkbench  fork   stand-in that hangs" ;;
*) sleep 100000 ;;
esac
EOF
chmod +x "$fake"
TMPDIR=$T_TMP/stage2
mkdir -p "$TMPDIR"
t0=$SECONDS
hangkvm=$T_TMP/qemu-hangkvm
printf '%s\n' '#!/bin/sh' 'case " $* " in' '*" -accel kvm "*) exec sleep 100001 ;;' 'esac' \
	'exec qemu-system-x86_64 "$@"' >"$hangkvm"
chmod +x "$hangkvm"
"$Q" --data "$data" --campaign hang --hvbench "$fake" --qemu "$hangkvm" --kvm-probe-timeout 3 --bench fork \
	--disk-size 0 --net none --no-telemetry --timeout 12 >/dev/null 2>"$T_TMP/h.err"
rc=$?
took=$((SECONDS - t0))
echo "hanging guest: $took s, exit $rc"
sed 's/^/  stderr: /' "$T_TMP/h.err"
if [ "$rc" = 1 ]; then pass qemu_hang_exit_1; else fail qemu_hang_exit_1 "exit $rc"; fi
if grep -q 'timeout: the guest did not finish within 12s; VM killed' "$T_TMP/h.err"; then pass qemu_hang_message; else fail qemu_hang_message "no clear timeout message"; fi
if [ "$took" -lt 45 ]; then pass qemu_hang_bounded; else fail qemu_hang_bounded "took $took s for a 3 s probe and a 12 s timeout"; fi
if grep -Eq 'KVM: (the probe guest did not boot within 3s|/dev/kvm missing)' "$T_TMP/h.err" && [ -d "$data/hang/qemu-tcg" ] &&
	! pgrep -f 'sleep 100001' >/dev/null; then
	pass qemu_kvm_probe_falls_back
else
	fail qemu_kvm_probe_falls_back "no fallback message, no qemu-tcg env, or the hung probe was left running"
fi
if pgrep -f "$T_TMP/stage2" >/dev/null; then fail qemu_hang_vm_killed "a process of the run is still alive: $(pgrep -af "$T_TMP/stage2")"; else pass qemu_hang_vm_killed; fi
n=$(find "$data/hang" -name '*.csv' 2>/dev/null | wc -l)
meta=$(find "$data/hang" -name '*.meta' 2>/dev/null | head -n 1)
if [ "$n" = 0 ] && [ -n "$meta" ] && grep -q '^timeout=killed after 12s' "$meta" && grep -qx 'benches_missing=forkbench' "$meta"; then
	pass qemu_hang_nothing_stored
else
	fail qemu_hang_nothing_stored "$n CSVs; meta: $(cat "$meta" 2>/dev/null | tr '\n' ' ' | head -c 300)"
fi
t_done
