#!/bin/bash
# tests/e2e/collect_container.sh - collect/container makes a real namespace
# container (unshare: pid, mount, uts, ipc, net with a veth pair; a busybox
# root; chroot) and runs the quick suite in it: the CSV lands in a scratch
# data dir with container=other (hvbench saw container= in PID 1's
# environment), netbench reaches the iperf3 -s the collector started on the
# host end of the veth pair, and no namespace or veth is left behind.
. "$(dirname "$0")/../lib.sh"

if [ "$(id -u)" != 0 ]; then
	skip container_unshare "needs root for namespaces and veth"
	t_done
fi
data=$T_TMP/data
TMPDIR=$T_TMP/stage
mkdir -p "$TMPDIR"
export TMPDIR
t0=$SECONDS
"$HVB_TOP/collect/container" --engine unshare --data "$data" --campaign c --hvbench "$HVB_STATIC_BIN/hvbench" \
	--quick --bench fork,pipe,time,net >/dev/null 2>"$T_TMP/err"
rc=$?
echo "container run: $((SECONDS - t0)) s, exit $rc"
sed 's/^/  stderr: /' "$T_TMP/err"
if [ "$rc" = 0 ]; then pass container_exit_0; else fail container_exit_0 "exit $rc"; fi
csv=$(find "$data/c/container" -name '*_container_*.csv' 2>/dev/null | head -n 1)
if [ -n "$csv" ]; then pass container_csv_landed; else fail container_csv_landed "no CSV under $data/c/container"; t_done; fi
cont=$(csv_col "$csv" container | sort -u | tr '\n' ' ')
if [ "$cont" = "other " ]; then pass container_detected; else fail container_detected "container column '$cont', want 'other'"; fi
if grep -q 'container_evidence,,,,,info,PID 1 environment container=hvbench-unshare' "$csv"; then
	pass container_evidence
else
	fail container_evidence "no container_evidence info row naming PID 1's environment"
fi
hosts=$(csv_col "$csv" host | sort -u | tr '\n' ' ')
if [ "$hosts" = "hvb-container " ]; then pass container_own_uts; else fail container_own_uts "host column '$hosts'"; fi
benches=$(bench_names "$csv")
if [ "$benches" = "forkbench netbench pipebench timebench " ]; then pass container_benches; else fail container_benches "benches '$benches'"; fi
m=$(machine_rows "$csv" | sort -u)
nm=$(machine_rows "$csv" | wc -l)
if [ "$m" = "$(hostname)" ] && [ "$nm" = 4 ]; then pass container_machine_row; else fail container_machine_row "machine rows '$m' ($nm), want 4 naming $(hostname)"; fi
net_ok=$(csvq "$csv" 'bench == "netbench" && metric == "bits_per_s" && status == "ok"' | wc -l)
if [ "$net_ok" -ge 1 ]; then pass container_net_over_veth; else fail container_net_over_veth "no ok netbench bits_per_s row: $(grep netbench "$csv" | grep -v ',info,' | head -n 2)"; fi
# This run's own namespace and veth, by the names its .meta records: other
# runs on the machine may add or remove theirs meanwhile.
meta=${csv%.csv}.meta
my_ns=$(sed -n 's/^namespaces=.*(ip netns \(hvb-[0-9]*\)).*/\1/p' "$meta")
my_veth=$(sed -n 's/^network=veth \(hvbh[0-9]*\) .*/\1/p' "$meta")
[ -n "$my_ns" ] && [ -n "$my_veth" ] || fail container_ns_named "no netns/veth names in $meta"
ns_new=$(ip netns list | awk -v n="$my_ns" '$1 == n')
for _ in 1 2 3 4 5 6 7 8 9 10; do # veth removal is asynchronous
	veth_new=$(ip -o link show | grep -F ": $my_veth@" || true)
	[ -z "$veth_new" ] && break
	sleep 0.3
done
if [ -z "$ns_new" ] && [ -z "$veth_new" ]; then
	pass container_ns_removed
else
	fail container_ns_removed "left behind: netns '$ns_new', veth '$veth_new'"
fi
if [ -z "$(ls -A "$T_TMP/stage")" ]; then pass container_stage_cleaned; else fail container_stage_cleaned "left: $(ls "$T_TMP/stage")"; fi
t_done
