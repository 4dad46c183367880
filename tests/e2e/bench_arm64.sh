#!/bin/bash
# The aarch64 build (make arm64, bin/arm64/) under qemu-aarch64-static: every
# program is a static ARM aarch64 ELF with the same --version, and
# `hvbench run --quick` (every benchmark's --quick run, in one process) exits
# 0 with a valid hvb1 CSV whose (bench, params, metric) series are exactly
# those of the x86-64 build's same run: what does not apply on arm64 (rdtsc,
# cpuid) is a skip row of the same series, never a missing one.  Facts that
# do not apply are n/a rows (csv-format.md).  --reps 1 --warmup 0
# --no-disturbance keep it short; they change no series.  Under CI (make deps
# installs the cross compiler and qemu-user-static) a missing piece fails;
# elsewhere it skips.
. "$(dirname "$0")/../lib.sh"
CSV="$PY $HVB_TOP/tests/hvbcsv.py"
A=$HVB_STATIC_BIN/arm64
Q=$(command -v qemu-aarch64-static || true)
missing=""
[ -x "$A/hvbench" ] || missing="$missing bin/arm64/hvbench (make arm64)"
[ -n "$Q" ] || missing="$missing qemu-aarch64-static (Debian qemu-user-static)"
if [ -n "$missing" ]; then
	if [ -n "${CI:-}" ]; then fail arm64_prerequisites "missing:$missing (make deps installs them)"
	else skip arm64 "missing:$missing (make deps installs them)"; fi
	t_done
fi

# --- every program: a static aarch64 ELF, the same --version as x86-64's
names="hvbench $("$HVB_STATIC_BIN/hvbench" list | awk 'NF { print $1 }' | tr '\n' ' ')"
bad="" nprog=0
for b in $names; do
	nprog=$((nprog + 1))
	f=$(file -L "$A/$b" 2>&1)
	case $f in *"ARM aarch64"*"statically linked"*) ;; *) bad="$bad $b: $f;" ;; esac
done
[ -z "$bad" ] && [ "$nprog" -ge 9 ] && pass "arm64: $nprog programs are static ARM aarch64 ELF" ||
	fail "arm64 programs static aarch64" "$nprog programs;$bad"
v86=$("$HVB_STATIC_BIN/cpubench" --version | head -n 1)
varm=$("$Q" "$A/cpubench" --version 2>&1 | head -n 1)
[ "$varm" = "$v86" ] && pass "arm64 cpubench --version: '$varm'" || fail "arm64 --version" "'$varm' vs '$v86'"
build=$("$Q" "$A/cpubench" --version 2>&1 | sed -n 2p)
case $build in "build: aarch64-linux-gnu-gcc -static SAN=0; gcc "*) pass "arm64 build line: $build" ;;
*) fail "arm64 build line" "'$build'" ;; esac

# --- the quick suite, once per build, in its own working directory (iobench)
run_suite() {   # DIR OUT [RUNNER]
	local dir=$1 out=$2
	shift 2
	mkdir -p "$dir"
	(cd "$dir" && HVB_ENV="" "$@" run --quick --reps 1 --warmup 0 --no-disturbance --env q --out "$out" 2>"$out.err")
}
unset HVB_IPERF_SERVER HVB_IPERF_PORT
t0=$(date +%s.%N)
run_suite "$T_TMP/w86" "$T_TMP/x86.csv" "$HVB_STATIC_BIN/hvbench"
rc86=$?
t1=$(date +%s.%N)
run_suite "$T_TMP/warm" "$T_TMP/arm.csv" "$Q" "$A/hvbench"
rcarm=$?
t2=$(date +%s.%N)
echo "x86-64 suite: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s, aarch64 under qemu-aarch64-static: $(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.1f", b - a }') s"
[ "$rc86" = 0 ] && pass "x86-64 run --quick exit 0" || fail "x86-64 run --quick exit 0" "exit $rc86: $(tail -n 2 "$T_TMP/x86.csv.err")"
[ "$rcarm" = 0 ] && pass "arm64 run --quick exit 0" ||
	fail "arm64 run --quick exit 0" "exit $rcarm: $(tail -n 2 "$T_TMP/arm.csv.err"); $(grep ',fail,' "$T_TMP/arm.csv" | head -n 2)"
check "arm64 CSV valid (hvbcsv.py)" $CSV check "$T_TMP/arm.csv"
# The series: every (bench, params, metric) of ok, skip and fail rows.
series() { csvq "$1" 'status == "ok" || status == "skip" || status == "fail" { print bench "|" params "|" metric }' | sort -u; }
series "$T_TMP/x86.csv" >"$T_TMP/s86"
series "$T_TMP/arm.csv" >"$T_TMP/sarm"
n86=$(wc -l <"$T_TMP/s86")
if [ "$n86" -gt 40 ] && cmp -s "$T_TMP/s86" "$T_TMP/sarm"; then
	pass "arm64 run --quick: the same $n86 series as x86-64's"
else
	fail "arm64 series = x86-64 series" "$n86 x86 series; only x86: $(comm -23 "$T_TMP/s86" "$T_TMP/sarm" | head -n 5 | tr '\n' ' '); only arm64: $(comm -13 "$T_TMP/s86" "$T_TMP/sarm" | head -n 5 | tr '\n' ' ')"
fi
nbench=$(csvq "$T_TMP/arm.csv" 'status == "ok" { print bench }' | sort -u | wc -l)
[ "$nbench" = 7 ] && pass "arm64: ok rows of all 7 benchmarks" || fail "arm64 ok rows" "$nbench benchmarks have ok rows"
nfail=$(csvq "$T_TMP/arm.csv" 'status == "fail"' | wc -l)
[ "$nfail" = 0 ] && pass "arm64: no fail rows" || fail "arm64: no fail rows" "$(grep ',fail,' "$T_TMP/arm.csv" | head -n 3)"
# rdtsc and cpuid: skip rows that say why, where x86-64 has ok rows.
for op in rdtsc cpuid; do
	s=$(csvq -v p="op=$op" "$T_TMP/arm.csv" 'bench == "timebench" && params == p { print status "|" note }' | sort -u)
	[ "$s" = "skip|$op is an x86 instruction: it does not apply on aarch64" ] && pass "arm64 timebench op=$op: a skip row" ||
		fail "arm64 timebench op=$op" "'$s'"
done

# --- the facts: arch, the n/a rows, the generic timer, the CPU's name
fact() { csvq -v f="$2" "$1" 'bench == "cpubench" && metric == f && status == "info" { print value "|" note; exit }'; }
[ "$(fact "$T_TMP/arm.csv" arch)" = "|aarch64" ] && pass "arm64 info arch aarch64" || fail "arm64 arch" "'$(fact "$T_TMP/arm.csv" arch)'"
[ "$(fact "$T_TMP/x86.csv" arch)" = "|x86_64" ] && pass "x86-64 info arch x86_64" || fail "x86 arch" "'$(fact "$T_TMP/x86.csv" arch)'"
t=$(fact "$T_TMP/arm.csv" tsc_invariant)
[ "$t" = "|n/a: aarch64 has no TSC; its generic timer counts at timer_freq_hz" ] && pass "arm64 tsc_invariant: n/a, not 0" ||
	fail "arm64 tsc_invariant n/a" "'$t'"
[ "$(fact "$T_TMP/arm.csv" cpuid_hv_signature)" = "|n/a: aarch64 has no CPUID" ] && pass "arm64 cpuid_hv_signature: n/a" ||
	fail "arm64 cpuid n/a" "'$(fact "$T_TMP/arm.csv" cpuid_hv_signature)'"
hz=$(fact "$T_TMP/arm.csv" timer_freq_hz)
case $hz in [1-9]*"|") pass "arm64 timer_freq_hz $hz" ;; *) fail "arm64 timer_freq_hz" "'$hz'" ;; esac
# x86-64 keeps its numbers: no n/a row there.
t=$(fact "$T_TMP/x86.csv" tsc_invariant)
case $t in [01]"|") pass "x86-64 tsc_invariant a number ($t)" ;; *) fail "x86-64 tsc_invariant" "'$t'" ;; esac
for f in dt_hypervisor_compatible cpu_midr virtio_devices; do
	n=$(csvq -v f="$f" "$T_TMP/arm.csv" 'bench == "cpubench" && metric == f && status == "info"' | wc -l)
	m=$(csvq -v f="$f" "$T_TMP/x86.csv" 'metric == f' | wc -l)
	[ "$n" = 1 ] && [ "$m" = 0 ] && pass "arm64 evidence row $f (none on x86-64)" || fail "arm64 evidence $f" "$n arm64 rows, $m x86 rows"
done
t_done
