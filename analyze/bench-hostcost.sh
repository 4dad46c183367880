#!/bin/bash
# bench-hostcost.sh ANALYZE - collect's sidecars at scale:
# times `analyze --json` on a campaign with one .meta of 150,000 keys
# (bench.NAME.host_wall_s / guest_wall_s for 75,000 benchmarks; 3,000 of them
# with rows, timed against a telemetry record) and RUNS runs (default
# 5,000), each with its own CSV, .meta and .host.tsv.  Every look-up of
# analyze/hostcost.c was once linear per item: that .meta alone took 52 s.
# Prints wall time and peak RSS (median of 3 runs) and fails past LIMIT_S
# (default 10) seconds.  tests/unit/test_analyze_hostcost_scale.c checks the
# results of the same shape; this only times.
set -u
A=${1:-bin/analyze}
W=${BENCH_DIR:-build/bench-hostcost}
RUNS=${RUNS:-5000}
LIMIT_S=${LIMIT_S:-10}
command -v /usr/bin/time >/dev/null || { echo "bench-hostcost: /usr/bin/time not found" >&2; exit 2; }
if [ ! -s "$W/big.meta" ] || [ "$(cat "$W/runs_n" 2>/dev/null)" != "$RUNS" ]; then
	rm -rf "$W"
	mkdir -p "$W/runs"
	awk -v dir="$W" -v runs="$RUNS" 'BEGIN {
		hdr = "schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note"
		csv = dir "/big.csv"; meta = dir "/big.meta"; tsv = dir "/big.host.tsv"
		print hdr > csv
		for (k = 0; k < 3000; k++)
			for (j = 0; j < 2; j++) {
				s = 2 * k + j
				printf "hvb1,big1,2026-11-22T%02d:%02d:%02dZ,g,kvm,none,h,b%05d,,x_per_s,1/s,higher,%d,%d,ok,\n",
					int(s / 3600), int(s / 60) % 60, s % 60, k, j + 1, k + j > csv
			}
		print "wall_s=6000\ntelemetry_host_cpus=8" > meta
		for (k = 0; k < 75000; k++)
			printf "bench.b%05d.host_wall_s=%d.5\nbench.b%05d.guest_wall_s=%d.5\n", k, k + 1, k, k + 1 > meta
		print "epoch_s\tcpu_busy_pct\tmem_used_mb" > tsv
		for (s = 0; s <= 6000; s++)
			printf "%d\t%d\t%d\n", 1795305600 + s, s % 97, 1000 + s % 10 > tsv
		close(csv); close(meta); close(tsv)
		for (r = 0; r < runs; r++) {
			base = sprintf("%s/runs/run%05d", dir, r); s = 10000 + r
			printf "%s\nhvb1,run%d,2026-11-22T%02d:%02d:%02dZ,e%d,kvm,none,h,cpubench,,events_per_s,1/s,higher,1,%d,ok,\n",
				hdr, r, int(s / 3600), int(s / 60) % 60, s % 60, r % 5, r > (base ".csv")
			printf "wall_s=%d\nbench.cpubench.host_wall_s=10\nbench.cpubench.guest_wall_s=10\n", r % 7 + 1 > (base ".meta")
			printf "epoch_s\tcpu_busy_pct\n%d\t%d\n%d\t%d\n", 1795305600 + s - 1, r % 50, 1795305600 + s, r % 50 + 10 > (base ".host.tsv")
			close(base ".csv"); close(base ".meta"); close(base ".host.tsv")
		}
	}'
	echo "$RUNS" > "$W/runs_n"
fi
T=(); R=0
for _ in 1 2 3; do
	/usr/bin/time -v -o "$W/time" "$A" -q --json "$W/out.json" "$W" 2>"$W/err" || {
		echo "bench-hostcost: analyze failed: $(head -3 "$W/err")" >&2; exit 1; }
	read -r t r < <(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, x, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + x[i]; w = s } /Maximum resident/ { m = $2 }
		END { printf "%.3f %d\n", w, m }' "$W/time")
	T+=("$t"); [ "$r" -gt "$R" ] && R=$r
done
med=$(printf '%s\n' "${T[@]}" | sort -g | sed -n 2p)
printf 'bench-hostcost: .meta of 150000 keys + %d runs: wall %s s (runs: %s), peak RSS %.1f MB\n' \
	"$RUNS" "$med" "${T[*]}" "$(echo "$R" | awk '{ print $1 / 1024 }')"
awk -v t="$med" -v l="$LIMIT_S" 'BEGIN { exit !(t <= l) }' || { echo "  NOT MET: over $LIMIT_S s"; exit 1; }
echo "  met: under $LIMIT_S s"
