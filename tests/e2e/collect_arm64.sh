#!/bin/bash
# tests/e2e/collect_arm64.sh - a plan of this host and an arm64 TCG guest
# (collect/qemu --arch aarch64: qemu-system-aarch64 -M virt -cpu max, the
# Debian arm64 cloud kernel, busybox-static:arm64, bin/arm64/hvbench), two
# rounds of --bench null,cpu,fork,pipe --quick: both filed every round, the
# guest's rows say arch aarch64 and virt qemu-tcg (the device tree's fw-cfg
# node and QEMU's 'max' CPU, MIDR implementer 0x00 part 0x051), and the
# analyzer compares it with the host beside a warning of kind "arch" (a
# cross-architecture ratio is not a hypervisor's overhead) in --json and
# --text.  Under CI (make deps fetches the kernel and installs QEMU and the
# cross compiler) a missing piece fails; elsewhere it skips.
. "$(dirname "$0")/../lib.sh"
P=$HVB_TOP/collect/plan
missing=""
[ -x "$HVB_STATIC_BIN/arm64/hvbench" ] || missing="$missing bin/arm64/hvbench (make arm64)"
command -v qemu-system-aarch64 >/dev/null || missing="$missing qemu-system-aarch64 (Debian qemu-system-arm)"
kdir=$("$HVB_TOP/collect/fetch-kernel" --arch arm64 --print 2>"$T_TMP/k.err") || missing="$missing the arm64 kernel ($(tail -n 1 "$T_TMP/k.err"))"
if [ -n "$missing" ]; then
	if [ -n "${CI:-}" ]; then fail arm64_guest_prerequisites "missing:$missing (make deps provides them)"
	else skip arm64_guest "missing:$missing (make deps provides them)"; fi
	t_done
fi
echo "arm64 kernel: $kdir"
data=$T_TMP/data
export TMPDIR=$T_TMP/stage
mkdir -p "$TMPDIR"
t0=$SECONDS
# Cheap (about 100 s before, mostly the guest's forkbench and pipebench
# repetitions under TCG): 2 rounds of the quick suite at 2 repetitions, no
# warm-up, at most 1 s a series (one repetition of the slow ones under TCG;
# cpubench's 0.25 s ones keep two, so it still has ratios), no disturbance
# probe, a small guest without disk or network.
"$P" --data "$data" --campaign a --rounds 2 --seed 5 --id arm1 --quick --bench null,cpu,fork,pipe \
	--reps 2 --warmup 0 --no-telemetry --iperf none host=local \
	"arm=qemu --arch aarch64 --smp 1 --mem 384 --disk-size 0 --net none --timeout 400" \
	-- --max-time 1 --no-disturbance >"$T_TMP/out" 2>"$T_TMP/err"
rc=$?
echo "plan (host + arm64 TCG guest, 2 rounds): $((SECONDS - t0)) s, exit $rc"
[ "$rc" = 0 ] && pass "arm64 plan exit 0" || fail "arm64 plan exit 0" "exit $rc: $(tail -n 4 "$T_TMP/err" | tr '\n' ' ')"
nd=$(grep -c '^done ' "$data/a/arm1.plan" 2>/dev/null)
nh=$(find "$data/a/host" -name '*.csv' 2>/dev/null | wc -l)
na=$(find "$data/a/arm" -name '*.csv' 2>/dev/null | wc -l)
[ "$nd" = 4 ] && [ "$nh" = 2 ] && [ "$na" = 2 ] && pass "arm64 plan: 4 runs done, 2 CSVs per environment" ||
	fail "arm64 plan filed" "$nd done lines, $nh host CSVs, $na arm CSVs"

why=""
for csv in "$data"/a/arm/*.csv; do
	[ -f "$csv" ] || continue
	a=$(csvq "$csv" 'metric == "arch" && status == "info" { print note }' | sort -u | tr '\n' ' ')
	v=$(csv_col "$csv" virt | sort -u | tr '\n' ' ')
	midr=$(csvq "$csv" 'bench == "cpubench" && metric == "cpu_midr" { print note }' | sort -u)
	model=$(csvq "$csv" 'bench == "cpubench" && metric == "cpu_model" { print note }' | sort -u)
	fw=$(csvq "$csv" 'bench == "cpubench" && metric == "dt_fw_cfg" { print note }' | sort -u)
	b=$(bench_names "$csv")
	[ "$a" = "aarch64 " ] || why="$why $csv: arch '$a';"
	[ "$v" = "qemu-tcg " ] || why="$why $csv: virt '$v';"
	[ "$midr" = "implementer 0x00 part 0x051" ] || why="$why $csv: cpu_midr '$midr';"
	[ "$model" = "QEMU TCG 'max' CPU (MIDR implementer 0x00 part 0x051)" ] || why="$why $csv: cpu_model '$model';"
	case $fw in fw-cfg@*) ;; *) why="$why $csv: dt_fw_cfg '$fw';" ;; esac
	[ "$b" = "cpubench forkbench nullbench pipebench " ] || why="$why $csv: benches '$b';"
	[ "$(csvq "$csv" 'status == "ok"' | wc -l)" -ge 20 ] || why="$why $csv: few ok rows;"
done
[ -z "$why" ] && [ "$na" = 2 ] && pass "arm64 guest rows: arch aarch64, virt qemu-tcg, QEMU's max CPU, fw-cfg, 4 benchmarks" ||
	fail "arm64 guest rows" "${why:-no CSV}"
ha=$(csvq "$(find "$data/a/host" -name '*.csv' | head -n 1)" 'metric == "arch" && status == "info" { print note }' | sort -u)
[ "$ha" = "$(uname -m)" ] && pass "host rows: arch $ha" || fail "host arch" "'$ha'"

# Analyzed beside the host: compared with it, and the "arch" warning says why
# the ratio is not an overhead, naming both arch rows.
"$HVB_BIN/analyze" -q --json "$T_TMP/m.json" "$data/a" 2>"$T_TMP/aerr"
arc=$?
w=$(jq -r '.warnings[] | select(.kind == "arch") | "\(.env)|\(.message)"' "$T_TMP/m.json" 2>/dev/null)
want="arm|arm is aarch64, its baseline host is $(uname -m): a cross-architecture ratio is not a hypervisor's overhead (it measures another instruction set and, for an emulated guest, the emulator)"
[ "$arc" = 0 ] && [ "$w" = "$want" ] && pass "analyze: one arch warning for the arm64 guest" ||
	fail "analyze arch warning" "exit $arc, got '$w' ($(head -n 2 "$T_TMP/aerr"))"
ev=$(jq -r '.warnings[] | select(.kind == "arch") | .evidence' "$T_TMP/m.json" 2>/dev/null)
case $ev in "arch info rows "*"/a/arm/"*".csv:"*" and "*"/a/host/"*".csv:"*) pass "arch warning names both rows" ;;
*) fail "arch warning evidence" "'$ev'" ;; esac
r=$(jq -r '[.metrics[] | select(.bench == "cpubench") | .series[] | select(.env == "arm") | .ratio] | map(select(. != null)) | length' "$T_TMP/m.json" 2>/dev/null)
[ "${r:-0}" -ge 1 ] && pass "arm64 guest compared with the host ($r cpubench ratios)" || fail "arm64 compared" "'$r' ratios"
"$HVB_BIN/analyze" -q --text "$data/a" >"$T_TMP/t.txt" 2>&1
grep -qF "arm is aarch64, its baseline host is $(uname -m): a cross-architecture ratio" "$T_TMP/t.txt" &&
	pass "analyze --text: the cross-architecture note" || fail "analyze --text arch note" "$(grep -i arch "$T_TMP/t.txt" | head -n 3)"
t_done
