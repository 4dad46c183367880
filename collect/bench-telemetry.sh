#!/bin/bash
# collect/bench-telemetry.sh - what the collectors' own sampling costs
# (`make bench-telemetry`; docs/collect.md, "What telemetry costs").
#
# The collectors sample the host during every run: collect/telemetry (the
# /proc sampler, 1 s) and, with --glances, glances (-t 1, CSV export).  A
# sampler that takes CPU from the benchmarks disturbs what it watches.  This
# runs one workload (default: bin/hvbench cpu --quick) alternately without
# and with each sampler, in pairs (off-on, then on-off, so a drift of the
# machine falls on both sides alike), and prints each run's wall time, the
# medians, their ratio, and the sampler's own CPU time over its life:
# utime + stime + cutime + cstime of /proc/PID/stat (the /proc sampler's
# children, date, awk and sleep, are reaped by it and so counted), read
# just before it is stopped, as a share of one CPU and of the machine.
# Samplers are started the way collect/lib.sh's telemetry_start starts
# them, just before the workload, so their start-up counts as it does in
# a collector's run.
set -u
HVB_PROG=collect/bench-telemetry.sh
# shellcheck source=collect/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF
Usage: collect/bench-telemetry.sh [--pairs N] [--sampler NAME]... [-- WORKLOAD...]
Runs WORKLOAD (default: bin/hvbench cpu --quick) without and with each
sampler, N pairs each (default 3), and prints wall times, medians, the
with/without ratio and the sampler's own CPU.  Samplers: telemetry (the
/proc sampler, collect/telemetry --interval 1) and glances (where
installed); default: both.
  --pairs N         pairs per sampler, 1..50 (default 3)
  --sampler NAME    telemetry or glances (repeatable; default: all there are)
  -h, --help        this text
Exit status: 0 measured; 2 usage; 4 the workload or a sampler is missing.
EOF
}

pairs=3 samplers=() workload=()
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--pairs) need_arg "$1" "$#"; { is_uint "$2" && [ "$2" -ge 1 ] && [ "$2" -le 50 ]; } || usage_error "--pairs: '$2' is not 1..50"; pairs=$2; shift 2 ;;
	--sampler)
		need_arg "$1" "$#"
		case $2 in telemetry | glances) samplers+=("$2") ;; *) usage_error "--sampler: '$2' is not telemetry or glances" ;; esac
		shift 2 ;;
	--) shift; workload=("$@"); break ;;
	*) usage_error "unknown option '$1'" ;;
	esac
done
if [ "${#workload[@]}" = 0 ]; then workload=("${HVB_STATIC_BIN:-$HVB_BIN_DIR}/hvbench" cpu --quick); fi
command -v "${workload[0]}" >/dev/null 2>&1 || die "$HVB_EXIT_MISSING" "no workload program ${workload[0]} (run 'make')"
if [ "${#samplers[@]}" = 0 ]; then
	samplers=(telemetry)
	if command -v glances >/dev/null 2>&1; then samplers+=(glances); else msg "glances is not installed: measuring the /proc sampler only"; fi
fi
for s in "${samplers[@]}"; do
	[ "$s" != glances ] || command -v glances >/dev/null 2>&1 || die "$HVB_EXIT_MISSING" "--sampler glances: glances is not installed"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hvb-benchtel.XXXXXX") || die "$HVB_EXIT_OUTPUT" "cannot make a scratch directory"
spid=""
trap 'if [ -n "$spid" ]; then kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null; fi; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
ncpu=$(nproc)
tck=$(getconf CLK_TCK)

# cpu_ticks PID: utime + stime + cutime + cstime of PID (the fields after
# the command name, which may hold spaces, so split after its last ')').
cpu_ticks() {
	local st
	st=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
	st=${st##*) }   # now field 1 is the state (stat field 3): utime is field 14, so ${12}
	# shellcheck disable=SC2086 # split the fields
	set -- $st
	echo $((${12} + ${13} + ${14} + ${15}))
}
# run_workload: its wall time in seconds, into WALL.
run_workload() {
	local t0 t1
	t0=$(now_s)
	"${workload[@]}" >/dev/null 2>"$tmp/workload.err" || die 1 "the workload failed: ${workload[*]}: $(tail -n 1 "$tmp/workload.err")"
	t1=$(now_s)
	WALL=$(elapsed "$t0" "$t1")
}
# run_with SAMPLER: the workload with the sampler running; WALL, and the
# sampler's CPU seconds and life in seconds into SCPU and SLIFE.
run_with() {
	local t0 t1 ticks
	t0=$(now_s)
	case $1 in
	telemetry) "$HVB_COLLECT_DIR/telemetry" --out "$tmp/host.tsv" --interval 1 & ;;
	glances) TMPDIR=$tmp glances --quiet --export csv --export-csv-file "$tmp/glances.csv" -t 1 >/dev/null 2>&1 & ;;
	esac
	spid=$!
	run_workload
	ticks=$(cpu_ticks "$spid")
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	spid=""
	t1=$(now_s)
	SCPU=$(awk -v t="$ticks" -v h="$tck" 'BEGIN { printf "%.3f", t / h }')
	SLIFE=$(elapsed "$t0" "$t1")
	rm -f "$tmp/host.tsv" "$tmp/glances.csv"
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf 'bench-telemetry: workload: %s; %s pairs per sampler; %s CPUs; load before: %s\n' \
	"${workload[*]}" "$pairs" "$ncpu" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s %4s %8s %8s %13s %10s\n' sampler pair off_s on_s sampler_cpu_s sampler_s
for s in "${samplers[@]}"; do
	: >"$tmp/off" ; : >"$tmp/on" ; : >"$tmp/cpu"
	for ((p = 1; p <= pairs; p++)); do
		if [ $((p % 2)) = 1 ]; then
			run_workload; off=$WALL
			run_with "$s"; on=$WALL
		else
			run_with "$s"; on=$WALL
			run_workload; off=$WALL
		fi
		echo "$off" >>"$tmp/off"
		echo "$on" >>"$tmp/on"
		echo "$SCPU $SLIFE" >>"$tmp/cpu"
		printf '%-10s %4s %8s %8s %13s %10s\n' "$s" "$p" "$off" "$on" "$SCPU" "$SLIFE"
	done
	moff=$(median <"$tmp/off")
	mon=$(median <"$tmp/on")
	awk -v s="$s" -v moff="$moff" -v mon="$mon" -v n="$ncpu" '
		{ c += $1; l += $2 }
		END {
			one = 100 * c / l
			printf "%s: median wall without %.3f s, with %.3f s, ratio with/without %.4f; own CPU %.3f s over %.1f s: %.2f %% of one CPU, %.2f %% of the machine (%d CPUs)\n",
				s, moff, mon, mon / moff, c, l, one, one / n, n
		}' "$tmp/cpu"
done
printf 'bench-telemetry: load after: %s (a shared or busy machine moves the wall times more than a sampler does: read the own-CPU figure first)\n' \
	"$(cut -d' ' -f1-3 /proc/loadavg)"
