#!/bin/bash
# tests/e2e/collect_local.sh - collect/local: the host run lands in
# data/<campaign>/host/ with its sidecars (.meta with the host-side wall time,
# .host.tsv from the /proc sampler); --under-load runs a real stress-ng
# meanwhile and labels the env; a data dir on a full filesystem (a small
# tmpfs) fails clearly with exit 3 and keeps the complete result in staging.
. "$(dirname "$0")/../lib.sh"

L=$HVB_TOP/collect/local
BIN=$HVB_STATIC_BIN/hvbench
data=$T_TMP/data
"$L" --data "$data" --campaign l --hvbench "$BIN" --quick --glances --bench fork,time >/dev/null 2>"$T_TMP/err"
rc=$?
csv=$(find "$data/l/host" -name "*_host_*.csv" | head -n 1)
if [ "$rc" = 0 ] && [ -n "$csv" ]; then pass local_csv_landed; else fail local_csv_landed "exit $rc: $(cat "$T_TMP/err")"; fi
if [ -n "$csv" ]; then
	case $(basename "$csv") in
	"$(printf '%s' "$(hostname)" | tr -c 'A-Za-z0-9._-' _)_host_"[0-9]*T[0-9]*Z.csv) pass local_file_name ;;
	*) fail local_file_name "unexpected name $(basename "$csv")" ;;
	esac
	if [ "$(csv_col "$csv" env | sort -u)" = host ]; then pass local_env_host; else fail local_env_host "env column $(csv_col "$csv" env | sort -u | tr '\n' ' ')"; fi
	# One machine row per hvbench invocation (fork, time), naming this host.
	m=$(machine_rows "$csv" | sort | uniq -c | awk '{ print $1 " " $2 }')
	if [ "$m" = "2 $(hostname)" ]; then pass local_machine_row; else fail local_machine_row "machine rows: '$m', want 2 naming $(hostname)"; fi
	if grep -q '^wall_s=[0-9]' "${csv%.csv}.meta" && grep -qx 'benches_missing=' "${csv%.csv}.meta"; then pass local_meta; else fail local_meta "$(cat "${csv%.csv}.meta")"; fi
	samples=$(($(wc -l <"${csv%.csv}.host.tsv") - 1))
	if [ "$samples" -ge 1 ] && head -n 1 "${csv%.csv}.host.tsv" | grep -q '^utc	epoch_s	cpu_busy_pct'; then pass local_telemetry; else fail local_telemetry "$samples samples"; fi
	if ! command -v glances >/dev/null; then
		skip local_glances "glances not installed"
	elif head -n 1 "${csv%.csv}.glances" 2>/dev/null | grep -q '^timestamp,.*cpu_total'; then
		pass local_glances
	else
		fail local_glances "no glances CSV export next to the result"
	fi
fi

# Under load: stress-ng runs during the run; default label host-loaded.
"$L" --data "$data" --campaign l --hvbench "$BIN" --quick --bench fork,time --under-load cpu:1 >/dev/null 2>"$T_TMP/err"
rc=$?
lcsv=$(find "$data/l/host-loaded" -name "*.csv" 2>/dev/null | head -n 1)
if [ "$rc" = 0 ] && [ -n "$lcsv" ] && grep -qx 'under_load_args=--cpu 1' "${lcsv%.csv}.meta"; then
	pass local_under_load
else
	fail local_under_load "exit $rc: $(cat "$T_TMP/err")"
fi
busy=$(awk -F'\t' 'NR > 1 && $3 + 0 >= 40 { n++ } END { print n + 0 }' "${lcsv%.csv}.host.tsv" 2>/dev/null)
if [ "${busy:-0}" -ge 1 ]; then pass local_load_seen_in_telemetry; else fail local_load_seen_in_telemetry "no sample with cpu_busy_pct >= 40 under stress-ng"; fi
if pgrep -x stress-ng >/dev/null && [ "$(pgrep -x stress-ng | wc -l)" -gt 0 ] && pgrep -af stress-ng | grep -q -- '--cpu 1 --timeout 0 --quiet'; then
	fail local_load_stopped "stress-ng still running after the run"
else
	pass local_load_stopped
fi

# The analyzer reads both runs' sidecars: each env's host cost, the load
# spec, and the CPU count that turns busy % into host CPU-seconds.
if [ -x "$HVB_BIN/analyze" ]; then
	"$HVB_BIN/analyze" -q --json "$T_TMP/m.json" "$data/l" 2>"$T_TMP/err"
	got=$(jq -r '[.envs[] | select(.env == "host" or .env == "host-loaded") |
		select(.host_runs == 1 and .host_busy_mean_pct > 0 and .host_cpu_s > 0)] | length' "$T_TMP/m.json" 2>/dev/null)
	cpus=$(jq -r '[.host_runs[].host_cpus] | unique | map(tostring) | join(",")' "$T_TMP/m.json" 2>/dev/null)
	load=$(jq -r '.host_runs[] | select(.env == "host-loaded") | .under_load' "$T_TMP/m.json" 2>/dev/null)
	if [ "$got" = 2 ] && [ "$cpus" = "$(nproc)" ] && [ "$load" = cpu:1 ]; then
		pass local_analyzer_host_cost
	else
		fail local_analyzer_host_cost "envs with host cost: $got, host_cpus $cpus (nproc $(nproc)), under_load '$load': $(head -3 "$T_TMP/err")"
	fi
else
	skip local_analyzer_host_cost "bin/analyze not built"
fi

# Disk full: the data dir on a 64 KiB tmpfs.
if [ "$(id -u)" = 0 ] && mkdir -p "$T_TMP/full" && mount -t tmpfs -o size=64k tmpfs "$T_TMP/full"; then
	trap 'umount "$T_TMP/full" 2>/dev/null; rm -rf "$T_TMP"' EXIT
	dd if=/dev/zero of="$T_TMP/full/filler" bs=4k count=14 2>/dev/null
	mkdir -p "$T_TMP/stage"
	TMPDIR=$T_TMP/stage "$L" --data "$T_TMP/full" --campaign f --hvbench "$BIN" --quick --bench fork,time --no-telemetry >/dev/null 2>"$T_TMP/err"
	rc=$?
	sed 's/^/  stderr: /' "$T_TMP/err"
	if [ "$rc" = 3 ]; then pass diskfull_exit_3; else fail diskfull_exit_3 "exit $rc"; fi
	if grep -q 'cannot store .*No space left on device' "$T_TMP/err" && grep -q 'results kept in' "$T_TMP/err"; then
		pass diskfull_message
	else
		fail diskfull_message "no clear 'No space left' message"
	fi
	kept=$(find "$T_TMP/stage" -name result.csv | head -n 1)
	if [ -n "$kept" ] && [ "$(bench_names "$kept")" = "forkbench timebench " ]; then
		pass diskfull_result_kept
	else
		fail diskfull_result_kept "no complete staged result.csv under $T_TMP/stage"
	fi
	partial=$(find "$T_TMP/full/f" -name '*.csv' -size +0 2>/dev/null | wc -l)
	if [ "$partial" = 0 ]; then pass diskfull_no_truncated_csv; else fail diskfull_no_truncated_csv "a truncated CSV was left in the data dir"; fi
	umount "$T_TMP/full"
else
	skip diskfull "needs root to mount a small tmpfs"
fi
t_done
