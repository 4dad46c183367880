#!/bin/bash
# tests/e2e/collect_adapters.sh - collect/vbox, collect/vmware, collect/libvirt
# against stand-ins for VBoxManage, vmrun and virsh (tests/fixtures/collect/
# standin on PATH), which record their arguments and play the guest on this
# machine.  What is tested: the exact command lines each adapter builds (as
# documented for VirtualBox 6.1/7.0, vmrun of Workstation 16/17 / Fusion
# 12/13, virsh + qemu-guest-agent), that the CSV comes back into the data
# dir and the guest scratch dir is removed, and that a VM that does not exist
# fails clearly, that a guest given no iperf3 server gets HVB_IPERF_SERVER=none,
# and that each CSV carries the machine info row (--machine
# or this host's name).  Not tested: the real products (none runs here;
# docker and podman do: tests/e2e/collect_engines.sh).
. "$(dirname "$0")/../lib.sh"

BIN=$HVB_STATIC_BIN/hvbench
mkdir -p "$T_TMP/path" "$T_TMP/state" "$T_TMP/guest" "$T_TMP/stage"
for p in VBoxManage vmrun virsh; do ln -s "$HVB_TOP/tests/fixtures/collect/standin" "$T_TMP/path/$p"; done
export PATH="$T_TMP/path:$PATH" HVB_STANDIN_LOG=$T_TMP/log HVB_STANDIN_VM=testvm HVB_STANDIN_STATE=$T_TMP/state
export TMPDIR=$T_TMP/stage
data=$T_TMP/data
echo secret >"$T_TMP/pw"
GUEST_SCRIPT=$(HVB_PROG=t bash -c '. "$1/collect/lib.sh"; printf "%s" "$GUEST_SCRIPT"' sh "$HVB_TOP")
# rec ARGS...: one call as the stand-in logs it.
rec() { printf '%s' "$1"; shift; printf ' %q' "$@"; printf '\n'; }
# norm: the log with the random staging dir replaced by STAGE.
norm() { sed "s#$T_TMP/stage/hvb-collect\.[A-Za-z0-9]*#STAGE#g" "$HVB_STANDIN_LOG"; }
# landed ENV NAME [MACHINE]: one CSV with forkbench ok rows under data/a/ENV/
# and the machine info row naming MACHINE (default: this host).
landed() {
	local csv m=${3:-$(hostname)}
	csv=$(find "$data/a/$1" -name "$2_$1_*.csv" 2>/dev/null | head -n 1)
	[ -n "$csv" ] && [ "$(csv_col "$csv" bench | sort -u | tr '\n' ' ')" = "forkbench hvbench " ] &&
		[ "$(csv_col "$csv" status | grep -c '^ok$')" -ge 1 ] &&
		[ "$(grep -c ",hvbench,,machine,,,,,info,$m\$" "$csv")" = 1 ]
}

# ---- VirtualBox
g=$T_TMP/guest/vbox
: >"$HVB_STANDIN_LOG"
"$HVB_TOP/collect/vbox" --vm testvm --username bench --passwordfile "$T_TMP/pw" --guest-dir "$g" \
	--data "$data" --campaign a --hvbench "$BIN" --quick --bench fork --no-telemetry --iperf 10.0.2.2:5999 --machine lab-1 \
	>/dev/null 2>"$T_TMP/err"
rc=$?
c=(--username=bench "--passwordfile=$T_TMP/pw")
want=$(
	rec VBoxManage guestcontrol testvm mkdir "${c[@]}" --parents "$g"
	rec VBoxManage guestcontrol testvm copyto "${c[@]}" "--target-directory=$g" STAGE/hvbench "$HVB_TOP/collect/guest/suite.sh"
	rec VBoxManage guestcontrol testvm run "${c[@]}" --exe=/bin/sh --timeout=7200000 --putenv=HVB_IPERF_SERVER=10.0.2.2 \
		--putenv=HVB_IPERF_PORT=5999 --wait-stdout --wait-stderr -- sh -c "$GUEST_SCRIPT" sh "$g" ./hvbench ./result.csv virtualbox fork --machine lab-1 --quick
	rec VBoxManage guestcontrol testvm copyfrom "${c[@]}" --target-directory=STAGE/from "$g/result.csv"
	rec VBoxManage guestcontrol testvm copyfrom "${c[@]}" --target-directory=STAGE/from "$g/benches"
	rec VBoxManage guestcontrol testvm rmdir "${c[@]}" --recursive "$g"
)
if [ "$(norm)" = "$want" ]; then pass vbox_commands; else fail vbox_commands "got:"; diff <(echo "$want") <(norm) | head -n 20; fi
if [ "$rc" = 0 ] && landed virtualbox testvm lab-1; then pass vbox_csv_landed; else fail vbox_csv_landed "exit $rc: $(cat "$T_TMP/err")"; fi
if [ ! -e "$g" ]; then pass vbox_guest_cleaned; else fail vbox_guest_cleaned "$g left"; fi
"$HVB_TOP/collect/vbox" --vm nosuchvm --username bench --data "$data" --campaign a --hvbench "$BIN" --quick --bench fork \
	--no-telemetry >/dev/null 2>"$T_TMP/err"
rc=$?
if [ "$rc" = 1 ] && grep -q "mkdir failed.*Could not find a registered machine named 'nosuchvm'" "$T_TMP/err"; then
	pass vbox_unknown_vm
else
	fail vbox_unknown_vm "exit $rc: $(cat "$T_TMP/err")"
fi

# ---- VMware
g=$T_TMP/guest/vmware
: >"$HVB_STANDIN_LOG"
vmx=$T_TMP/testvm.vmx
"$HVB_TOP/collect/vmware" --vmx "$vmx" --username bench --password-file "$T_TMP/pw" --guest-dir "$g" \
	--data "$data" --campaign a --hvbench "$BIN" --quick --bench fork --no-telemetry >/dev/null 2>"$T_TMP/err"
rc=$?
c=(-T ws -gu bench -gp secret)
want=$(
	rec vmrun "${c[@]}" createDirectoryInGuest "$vmx" "$g"
	rec vmrun "${c[@]}" CopyFileFromHostToGuest "$vmx" "$BIN" "$g/hvbench"
	rec vmrun "${c[@]}" CopyFileFromHostToGuest "$vmx" "$HVB_TOP/collect/guest/suite.sh" "$g/suite.sh"
	rec vmrun "${c[@]}" runProgramInGuest "$vmx" /usr/bin/env HVB_IPERF_SERVER=none /bin/sh -c "$GUEST_SCRIPT" sh "$g" ./hvbench ./result.csv vmware fork --machine "$(hostname)" --quick
	rec vmrun "${c[@]}" CopyFileFromGuestToHost "$vmx" "$g/result.csv" STAGE/result.csv
	rec vmrun "${c[@]}" CopyFileFromGuestToHost "$vmx" "$g/benches" STAGE/benches
	rec vmrun "${c[@]}" deleteDirectoryInGuest "$vmx" "$g"
)
if [ "$(norm)" = "$want" ]; then pass vmware_commands; else fail vmware_commands "got:"; diff <(echo "$want") <(norm) | head -n 20; fi
if [ "$rc" = 0 ] && landed vmware testvm; then pass vmware_csv_landed; else fail vmware_csv_landed "exit $rc: $(cat "$T_TMP/err")"; fi
if [ ! -e "$g" ]; then pass vmware_guest_cleaned; else fail vmware_guest_cleaned "$g left"; fi

# ---- libvirt + qemu-guest-agent
g=$T_TMP/guest/libvirt
: >"$HVB_STANDIN_LOG"
t0=$SECONDS
"$HVB_TOP/collect/libvirt" --domain testvm --connect qemu:///system --guest-dir "$g" \
	--data "$data" --campaign a --hvbench "$BIN" --quick --bench fork --no-telemetry >/dev/null 2>"$T_TMP/err"
rc=$?
echo "libvirt adapter: $((SECONDS - t0)) s"
ops=$(sed -n 's/.*\\"execute\\":\\"\([a-z-]*\)\\".*/\1/p' "$HVB_STANDIN_LOG" | uniq -c | awk '{ print $2 "x" $1 }' | tr '\n' ' ')
size=$(wc -c <"$BIN")
writes=$(((size + 49151) / 49152))
want="guest-ping x1 guest-exec x1 guest-exec-status x1 guest-file-open x1 guest-file-write x$writes guest-file-close x1 guest-file-open x1 guest-file-write x1 guest-file-close x1 guest-file-open x1 guest-file-write x1 guest-file-close x1 guest-exec x1 guest-exec-status x"
case $(echo "$ops" | sed 's/ x/x/g') in
"$(echo "$want" | sed 's/ x/x/g')"*) pass libvirt_agent_sequence ;;
*) fail libvirt_agent_sequence "agent commands: $ops" ;;
esac
if grep -qF "virsh -c qemu:///system qemu-agent-command testvm $(printf '%q' '{"execute":"guest-exec","arguments":{"path":"/bin/mkdir","arg":["-p","'"$g"'"]}}')" "$HVB_STANDIN_LOG" &&
	grep -qF "$(printf '%q' '{"execute":"guest-exec","arguments":{"path":"/bin/sh","arg":["'"$g"'/run.sh"]}}')" "$HVB_STANDIN_LOG" &&
	grep -qF "$(printf '%q' '{"execute":"guest-exec","arguments":{"path":"/bin/rm","arg":["-rf","'"$g"'"]}}')" "$HVB_STANDIN_LOG"; then
	pass libvirt_exec_commands
else
	fail libvirt_exec_commands "mkdir/run/rm guest-exec commands not as documented"
fi
if [ "$rc" = 0 ] && landed libvirt testvm; then pass libvirt_csv_landed; else fail libvirt_csv_landed "exit $rc: $(cat "$T_TMP/err")"; fi
if [ ! -e "$g" ]; then pass libvirt_guest_cleaned; else fail libvirt_guest_cleaned "$g left"; fi
"$HVB_TOP/collect/libvirt" --domain nosuch --data "$data" --campaign a --hvbench "$BIN" --quick --bench fork \
	--no-telemetry >/dev/null 2>"$T_TMP/err"
rc=$?
if [ "$rc" = 1 ] && grep -q "guest agent of 'nosuch' does not answer.*failed to get domain" "$T_TMP/err"; then
	pass libvirt_unknown_domain
else
	fail libvirt_unknown_domain "exit $rc: $(cat "$T_TMP/err")"
fi

t_done
