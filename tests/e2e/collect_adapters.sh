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
# or this host's name).  The guest's architecture (the stand-in plays an
# arm64 guest with HVB_STANDIN_ARCH=aarch64; a .vmx's guestOS is the test's
# file): an x86-64 guest gets bin/hvbench, an aarch64 one bin/arm64/hvbench
# (a stand-in build that notes it ran, in a temporary HVB_STATIC_BIN), and
# without that build the collector exits 4 with hvb_bin_for's message and
# copies nothing; .meta says remote_arch, where it came from, and what was
# copied; --guest-arch overrides.  Not tested: the real products (none runs
# here; docker and podman do: tests/e2e/collect_engines.sh).
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
# landed ENV NAME [MACHINE]: one CSV with forkbench ok rows under
# data/$camp/ENV/ (camp: a, unless set) and the machine info row naming
# MACHINE (default: this host).
camp=a
landed() {
	local csv m=${3:-$(hostname)}
	csv=$(find "$data/$camp/$1" -name "$2_$1_*.csv" 2>/dev/null | head -n 1)
	[ -n "$csv" ] && [ "$(csv_col "$csv" bench | sort -u | tr '\n' ' ')" = "forkbench hvbench " ] &&
		[ "$(csv_col "$csv" status | grep -c '^ok$')" -ge 1 ] &&
		[ "$(grep -c ",hvbench,,machine,,,,,info,$m\$" "$csv")" = 1 ]
}
# meta_has CAMPAIGN ENV KEY=VALUE...: data/CAMPAIGN/ENV holds exactly one
# .meta, and it has each KEY once, with exactly that VALUE; else prints why.
meta_has() {
	local m kv
	m=$(find "$data/$1/$2" -name '*.meta' 2>/dev/null)
	if [ -z "$m" ] || [ "$(printf '%s\n' "$m" | wc -l)" != 1 ]; then
		echo "not one .meta in $data/$1/$2: '$m'"
		return 1
	fi
	shift 2
	for kv in "$@"; do
		if [ "$(grep -c "^${kv%%=*}=" "$m")" != 1 ] || ! grep -qxF -- "$kv" "$m"; then
			echo "want '$kv' once in $m, got: '$(grep "^${kv%%=*}=" "$m" | tr '\n' '|')'"
			return 1
		fi
	done
}
# stored CAMPAIGN: the files under data/CAMPAIGN (none after a run refused
# before anything ran).
stored() { find "$data/$1" -type f 2>/dev/null | wc -l; }

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
	rec VBoxManage guestcontrol testvm run "${c[@]}" --exe=/bin/uname --timeout=60000 --wait-stdout -- uname -m
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
# The copy went through staging (STAGE/hvbench above): .meta names its source.
if why=$(meta_has a virtualbox remote_arch=x86_64 "remote_arch_from=uname -m in the guest" "hvbench_copied=$BIN"); then
	pass vbox_x86_64_gets_bin_hvbench
else
	fail vbox_x86_64_gets_bin_hvbench "$why"
fi
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
printf '.encoding = "UTF-8"\nconfig.version = "8"\nvirtualHW.version = "20"\nguestOS = "ubuntu-64"\n' >"$vmx"
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
if why=$(meta_has a vmware remote_arch=x86_64 "remote_arch_from=vmx guestOS ubuntu-64" vmx_guest_os=ubuntu-64 "hvbench_copied=$BIN"); then
	pass vmware_x86_64_meta
else
	fail vmware_x86_64_meta "$why"
fi

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
# dumpxml once, right after the ping: before anything is copied.
if [ "$(grep -c ' dumpxml ' "$HVB_STANDIN_LOG")" = 1 ] && [ "$(sed -n 2p "$HVB_STANDIN_LOG")" = "virsh -c qemu:///system dumpxml testvm" ]; then
	pass libvirt_dumpxml_command
else
	fail libvirt_dumpxml_command "$(grep -n ' dumpxml ' "$HVB_STANDIN_LOG")"
fi
if why=$(meta_has a libvirt remote_arch=x86_64 "remote_arch_from=virsh dumpxml" "hvbench_copied=$BIN"); then
	pass libvirt_x86_64_gets_bin_hvbench
else
	fail libvirt_x86_64_gets_bin_hvbench "$why"
fi
if [ ! -e "$g" ]; then pass libvirt_guest_cleaned; else fail libvirt_guest_cleaned "$g left"; fi
"$HVB_TOP/collect/libvirt" --domain nosuch --data "$data" --campaign a --hvbench "$BIN" --quick --bench fork \
	--no-telemetry >/dev/null 2>"$T_TMP/err"
rc=$?
if [ "$rc" = 1 ] && grep -q "guest agent of 'nosuch' does not answer.*failed to get domain" "$T_TMP/err"; then
	pass libvirt_unknown_domain
else
	fail libvirt_unknown_domain "exit $rc: $(cat "$T_TMP/err")"
fi

# ---- the guest's architecture
# Two static-bin dirs: $ab with this host's build and an arm64 one, $nb with
# this host's only.  The arm64 "build" is a script that notes it ran and
# runs this host's hvbench, so that the stand-ins' guest (this machine) can
# run it and the results come back as for the real one.
if [ "$(uname -m)" != x86_64 ]; then
	skip guest_arch "the arm64 cases assume an x86_64 host (bin/hvbench being the x86-64 build)"
	t_done
fi
ab=$T_TMP/bin-both nb=$T_TMP/bin-x86 ran=$T_TMP/arm64-ran
mkdir -p "$ab/arm64" "$nb" "$T_TMP/arm" "$T_TMP/arm2"
ln -s "$BIN" "$ab/hvbench"
ln -s "$BIN" "$nb/hvbench"
printf '#!/bin/sh\necho "$0" >>%q\nexec %q "$@"\n' "$ran" "$BIN" >"$ab/arm64/hvbench"
chmod 755 "$ab/arm64/hvbench"
avmx=$T_TMP/arm/testvm.vmx
printf '.encoding = "UTF-8"\nguestOS = "arm-ubuntu-64"\nguestInfo.detailed.data = "architecture='"'Arm'"' bitness='"'64'"'"\n' >"$avmx"
dvmx=$T_TMP/arm2/testvm.vmx
printf 'displayName = "deb"\nguestos = "arm-debian12-64"\n' >"$dvmx"
common=(--data "$data" --quick --bench fork --no-telemetry)
# grun ARCH CAMPAIGN BINDIR COLLECTOR ARGS...: one run with
# HVB_STATIC_BIN=BINDIR and the stand-in playing an ARCH guest; sets rc,
# stderr in $T_TMP/err.  armrun: grun aarch64.
grun() {
	local ga=$1 gc=$2 gb=$3 col=$4
	shift 4
	: >"$HVB_STANDIN_LOG"
	rm -f "$ran"
	why=""
	HVB_STANDIN_ARCH=$ga HVB_STATIC_BIN=$gb "$HVB_TOP/collect/$col" "$@" --campaign "$gc" "${common[@]}" >/dev/null 2>"$T_TMP/err"
	rc=$?
}
armrun() { grun aarch64 "$@"; }
# ran_arm64: the arm64 build ran, and only as the guest's copy (./hvbench
# in the guest dir), never on the host.
ran_arm64() { [ -s "$ran" ] && ! grep -qvx './hvbench' "$ran"; }

# x86-64 guests where an arm64 build exists too: still this host's build.
camp=x86
xvmx=$T_TMP/x86/testvm.vmx
mkdir -p "$T_TMP/x86"
printf 'guestOS = "debian12-64"\n' >"$xvmx"
grun x86_64 x86 "$ab" vbox --vm testvm --username bench --guest-dir "$T_TMP/guest/vbox-x86"
if [ "$rc" = 0 ] && landed virtualbox testvm && [ ! -e "$ran" ] &&
	why=$(meta_has x86 virtualbox remote_arch=x86_64 "hvbench_copied=$ab/hvbench"); then
	pass vbox_x86_64_beside_arm64_build
else
	fail vbox_x86_64_beside_arm64_build "exit $rc ${why:-}: $(cat "$T_TMP/err")"
fi
grun x86_64 x86 "$ab" vmware --vmx "$xvmx" --username bench --password-file "$T_TMP/pw" --guest-dir "$T_TMP/guest/vmware-x86"
if [ "$rc" = 0 ] && landed vmware testvm && [ ! -e "$ran" ] &&
	grep -qxF -- "$(rec vmrun -T ws -gu bench -gp secret CopyFileFromHostToGuest "$xvmx" "$ab/hvbench" "$T_TMP/guest/vmware-x86/hvbench")" "$HVB_STANDIN_LOG" &&
	why=$(meta_has x86 vmware remote_arch=x86_64 "remote_arch_from=vmx guestOS debian12-64" "hvbench_copied=$ab/hvbench"); then
	pass vmware_x86_64_beside_arm64_build
else
	fail vmware_x86_64_beside_arm64_build "exit $rc ${why:-}: $(cat "$T_TMP/err")"
fi
grun x86_64 x86 "$ab" libvirt --domain testvm --guest-dir "$T_TMP/guest/libvirt-x86"
if [ "$rc" = 0 ] && landed libvirt testvm && [ ! -e "$ran" ] &&
	why=$(meta_has x86 libvirt remote_arch=x86_64 "hvbench_copied=$ab/hvbench"); then
	pass libvirt_x86_64_beside_arm64_build
else
	fail libvirt_x86_64_beside_arm64_build "exit $rc ${why:-}: $(cat "$T_TMP/err")"
fi

# aarch64 guests with an arm64 build: it is copied and runs, the CSV lands.
camp=arm
g=$T_TMP/guest/vbox-arm
armrun arm "$ab" vbox --vm testvm --username bench --guest-dir "$g"
if [ "$rc" = 0 ] && landed virtualbox testvm && ran_arm64; then pass vbox_aarch64_runs_arm64_build; else fail vbox_aarch64_runs_arm64_build "exit $rc, ran: '$(cat "$ran" 2>/dev/null)': $(cat "$T_TMP/err")"; fi
if why=$(meta_has arm virtualbox remote_arch=aarch64 "remote_arch_from=uname -m in the guest" "hvbench_copied=$ab/arm64/hvbench"); then
	pass vbox_aarch64_meta
else
	fail vbox_aarch64_meta "$why"
fi
g=$T_TMP/guest/vmware-arm
armrun arm "$ab" vmware --vmx "$avmx" --username bench --password-file "$T_TMP/pw" --guest-dir "$g"
want=$(rec vmrun -T ws -gu bench -gp secret CopyFileFromHostToGuest "$avmx" "$ab/arm64/hvbench" "$g/hvbench")
if [ "$(grep -c ' CopyFileFromHostToGuest .*/hvbench$' "$HVB_STANDIN_LOG")" = 1 ] && grep -qxF -- "$want" "$HVB_STANDIN_LOG"; then
	pass vmware_aarch64_copies_arm64_build
else
	fail vmware_aarch64_copies_arm64_build "$(grep ' CopyFileFromHostToGuest ' "$HVB_STANDIN_LOG")"
fi
if [ "$rc" = 0 ] && landed vmware testvm && ran_arm64; then pass vmware_aarch64_runs_arm64_build; else fail vmware_aarch64_runs_arm64_build "exit $rc, ran: '$(cat "$ran" 2>/dev/null)': $(cat "$T_TMP/err")"; fi
if why=$(meta_has arm vmware remote_arch=aarch64 "remote_arch_from=vmx guestOS arm-ubuntu-64" vmx_guest_os=arm-ubuntu-64 "hvbench_copied=$ab/arm64/hvbench"); then
	pass vmware_aarch64_meta
else
	fail vmware_aarch64_meta "$why"
fi
g=$T_TMP/guest/libvirt-arm
armrun arm "$ab" libvirt --domain testvm --guest-dir "$g"
if [ "$rc" = 0 ] && landed libvirt testvm && ran_arm64; then pass libvirt_aarch64_runs_arm64_build; else fail libvirt_aarch64_runs_arm64_build "exit $rc, ran: '$(cat "$ran" 2>/dev/null)': $(cat "$T_TMP/err")"; fi
if why=$(meta_has arm libvirt remote_arch=aarch64 "remote_arch_from=virsh dumpxml" "hvbench_copied=$ab/arm64/hvbench"); then
	pass libvirt_aarch64_meta
else
	fail libvirt_aarch64_meta "$why"
fi
# dumpxml fails: the agent's guest-get-osinfo says aarch64.
g=$T_TMP/guest/libvirt-osinfo
camp=osinfo
HVB_STANDIN_DUMPXML=fail armrun osinfo "$ab" libvirt --domain testvm --guest-dir "$g"
if [ "$rc" = 0 ] && landed libvirt testvm && ran_arm64 && grep -qF 'guest-get-osinfo' "$HVB_STANDIN_LOG" &&
	why=$(meta_has osinfo libvirt remote_arch=aarch64 remote_arch_from=guest-get-osinfo "hvbench_copied=$ab/arm64/hvbench"); then
	pass libvirt_osinfo_fallback
else
	fail libvirt_osinfo_fallback "exit $rc ${why:-}: $(cat "$T_TMP/err")"
fi
# Both fail: exit 1 naming --guest-arch, nothing copied or stored.
HVB_STANDIN_DUMPXML=fail HVB_STANDIN_OSINFO=fail armrun noarch "$ab" libvirt --domain testvm --guest-dir "$g"
if [ "$rc" = 1 ] && grep -q "cannot learn the guest's architecture: .*guest-get-osinfo.*; give --guest-arch ARCH" "$T_TMP/err" &&
	! grep -q 'guest-file-open\|guest-exec' "$HVB_STANDIN_LOG" && [ "$(stored noarch)" = 0 ]; then
	pass libvirt_arch_unknown
else
	fail libvirt_arch_unknown "exit $rc, $(stored noarch) files stored: $(cat "$T_TMP/err")"
fi

# aarch64 guests without an arm64 build: exit 4, hvb_bin_for's message,
# nothing copied, nothing stored, no guest dir left.
nomsg() { printf 'collect/%s: the target is aarch64 and there is no %s/arm64/hvbench (run '"'make arm64'"' first, or give --hvbench FILE)' "$1" "$nb"; }
g=$T_TMP/guest/vbox-miss
armrun miss "$nb" vbox --vm testvm --username bench --guest-dir "$g"
if [ "$rc" = 4 ] && grep -qxF -- "$(nomsg vbox)" "$T_TMP/err" && ! grep -q ' copyto ' "$HVB_STANDIN_LOG" &&
	[ "$(grep -c ' run ' "$HVB_STANDIN_LOG")" = 1 ] && [ ! -e "$g" ] && [ "$(stored miss)" = 0 ]; then
	pass vbox_aarch64_no_build_exit_4
else
	fail vbox_aarch64_no_build_exit_4 "exit $rc, $(stored miss) files stored, guest dir $([ -e "$g" ] && echo left || echo gone): $(cat "$T_TMP/err") | $(cut -c1-60 "$HVB_STANDIN_LOG" | tr '\n' '|')"
fi
g=$T_TMP/guest/vmware-miss
armrun miss "$nb" vmware --vmx "$dvmx" --username bench --password-file "$T_TMP/pw" --guest-dir "$g"
if [ "$rc" = 4 ] && grep -qxF -- "$(nomsg vmware)" "$T_TMP/err" && [ ! -s "$HVB_STANDIN_LOG" ] && [ ! -e "$g" ] && [ "$(stored miss)" = 0 ]; then
	pass vmware_aarch64_no_build_exit_4
else
	fail vmware_aarch64_no_build_exit_4 "exit $rc, $(stored miss) files stored: $(cat "$T_TMP/err") | $(cut -c1-60 "$HVB_STANDIN_LOG" | tr '\n' '|')"
fi
g=$T_TMP/guest/libvirt-miss
armrun miss "$nb" libvirt --domain testvm --guest-dir "$g"
if [ "$rc" = 4 ] && grep -qxF -- "$(nomsg libvirt)" "$T_TMP/err" && ! grep -q 'guest-file-open\|guest-exec' "$HVB_STANDIN_LOG" &&
	[ ! -e "$g" ] && [ "$(stored miss)" = 0 ]; then
	pass libvirt_aarch64_no_build_exit_4
else
	fail libvirt_aarch64_no_build_exit_4 "exit $rc, $(stored miss) files stored: $(cat "$T_TMP/err") | $(cut -c1-60 "$HVB_STANDIN_LOG" | tr '\n' '|')"
fi

# --guest-arch overrides what the guest or the .vmx says.
camp=ovr
g=$T_TMP/guest/vmware-ovr
armrun ovr "$ab" vmware --vmx "$avmx" --username bench --password-file "$T_TMP/pw" --guest-dir "$g" --guest-arch x86_64
if [ "$rc" = 0 ] && landed vmware testvm && [ ! -e "$ran" ] &&
	grep -qxF -- "$(rec vmrun -T ws -gu bench -gp secret CopyFileFromHostToGuest "$avmx" "$ab/hvbench" "$g/hvbench")" "$HVB_STANDIN_LOG" &&
	why=$(meta_has ovr vmware remote_arch=x86_64 remote_arch_from=--guest-arch "hvbench_copied=$ab/hvbench"); then
	pass vmware_guest_arch_option
else
	fail vmware_guest_arch_option "exit $rc ${why:-}: $(cat "$T_TMP/err")"
fi
g=$T_TMP/guest/vbox-ovr
: >"$HVB_STANDIN_LOG"
rm -f "$ran"
why=""
HVB_STATIC_BIN=$ab "$HVB_TOP/collect/vbox" --vm testvm --username bench --guest-dir "$g" --guest-arch aarch64 \
	--campaign ovr "${common[@]}" >/dev/null 2>"$T_TMP/err"
rc=$?
if [ "$rc" = 0 ] && landed virtualbox testvm && ran_arm64 && ! grep -q -- '--exe=/bin/uname' "$HVB_STANDIN_LOG" &&
	why=$(meta_has ovr virtualbox remote_arch=aarch64 remote_arch_from=--guest-arch "hvbench_copied=$ab/arm64/hvbench"); then
	pass vbox_guest_arch_option
else
	fail vbox_guest_arch_option "exit $rc ${why:-}: $(cat "$T_TMP/err")"
fi
g=$T_TMP/guest/libvirt-ovr
armrun ovr "$ab" libvirt --domain testvm --guest-dir "$g" --guest-arch x86_64
if [ "$rc" = 0 ] && landed libvirt testvm && [ ! -e "$ran" ] && ! grep -q ' dumpxml ' "$HVB_STANDIN_LOG" &&
	why=$(meta_has ovr libvirt remote_arch=x86_64 remote_arch_from=--guest-arch "hvbench_copied=$ab/hvbench"); then
	pass libvirt_guest_arch_option
else
	fail libvirt_guest_arch_option "exit $rc ${why:-}: $(cat "$T_TMP/err")"
fi
for col in vbox vmware libvirt; do
	"$HVB_TOP/collect/$col" --guest-arch 'x86 64' >/dev/null 2>"$T_TMP/err"
	rc=$?
	if [ "$rc" = 2 ] && grep -qxF "collect/$col: --guest-arch: 'x86 64' is not an architecture as uname -m names it (x86_64, aarch64)" "$T_TMP/err"; then
		pass "${col}_guest_arch_usage_error"
	else
		fail "${col}_guest_arch_usage_error" "exit $rc: $(cat "$T_TMP/err")"
	fi
done
# A .vmx without guestOS: taken for x86-64, and said so.
mkdir -p "$T_TMP/nokey"
printf 'displayName = "old"\n' >"$T_TMP/nokey/testvm.vmx"
camp=nokey
armrun nokey "$ab" vmware --vmx "$T_TMP/nokey/testvm.vmx" --username bench --password-file "$T_TMP/pw" --guest-dir "$T_TMP/guest/vmware-nokey"
if [ "$rc" = 0 ] && landed vmware testvm && [ ! -e "$ran" ] && grep -qF "has no guestOS key: taking the guest for x86_64" "$T_TMP/err" &&
	why=$(meta_has nokey vmware remote_arch=x86_64 "remote_arch_from=vmx without guestOS (assumed)" vmx_guest_os= "hvbench_copied=$ab/hvbench"); then
	pass vmware_vmx_without_guestos
else
	fail vmware_vmx_without_guestos "exit $rc ${why:-}: $(cat "$T_TMP/err")"
fi

t_done
