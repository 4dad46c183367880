#!/bin/bash
# bench-scale.sh ANALYZE - `make bench-scale`: how the analyzer and
# the report grow with their input.  It generates three families of hvb1
# campaigns under BENCH_DIR (kept and reused between runs):
#   rows      5 envs x 20 metrics x N samples: 10k, 100k, 1M, 10M rows
#             (the layout of `make bench-analyze`)
#   envs      N environments (a baseline 'host' and N-1 kvm guests), each
#             with 2 metrics x 3 repetitions: 1k, 10k, 100k environments
#   benches   N benchmarks, 1 metric x 3 repetitions each, in 2 environments
#             (host and kvm): 1k, 10k, 100k benchmarks
# and runs on each the outputs summary (--summary-csv), html (-o), xlsx
# (--xlsx, with the summary CSV to /dev/null) and both (HTML + XLSX).  For
# every run it prints the wall time, the peak RSS (/usr/bin/time -v), rows
# per second, the ratio to GNU datamash computing count, mean, sstdev and
# median per series on the same file (summary only), and the growth factor
# against the previous size of the family: for a 10x larger input, about 10
# means linear, about 100 quadratic.
#
# It is a benchmark, not a test: figures depend on the machine; compare the
# ratios and growth factors of one run.  Knobs (environment):
#   SCALE_ROWS="10000 100000 1000000 10000000"   sizes of each family
#   SCALE_ENVS="1000 10000 100000"
#   SCALE_BENCHES="1000 10000 100000"
#   SCALE_OUTPUTS="summary html xlsx both"
#   SCALE_REPS=1          runs per cell (the median is printed)
#   SCALE_TIMEOUT=300     seconds before a run is stopped ("timeout")
#   SCALE_MEM_MB=8000     address-space cap per run ("over memory")
#   BENCH_DIR=build/bench-scale
set -u
A=${1:-bin/analyze}
W=${BENCH_DIR:-build/bench-scale}
ROWS=${SCALE_ROWS:-10000 100000 1000000 10000000}
ENVS=${SCALE_ENVS:-1000 10000 100000}
BENCHES=${SCALE_BENCHES:-1000 10000 100000}
OUTPUTS=${SCALE_OUTPUTS:-summary html xlsx both}
REPS=${SCALE_REPS:-1}
TMO=${SCALE_TIMEOUT:-300}
MEM=${SCALE_MEM_MB:-8000}
for t in datamash /usr/bin/time timeout awk; do
	command -v "$t" >/dev/null || { echo "bench-scale: $t not found (make deps: datamash, time, coreutils)" >&2; exit 2; }
done
[ -x "$A" ] || { echo "bench-scale: no analyzer at $A (make bin/analyze)" >&2; exit 2; }
mkdir -p "$W" || exit 3

HDR=schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note
# gen FAMILY N FILE: write the campaign (once; a .done marker says it is whole).
gen() {
	local fam=$1 n=$2 f=$3
	[ -s "$f" ] && [ -e "$f.done" ] && return 0
	echo "bench-scale: generating $fam $n into $f ..." >&2
	case $fam in
	rows)
		awk -v n="$((n / 100))" -f "$(dirname "$0")/gen-rows.awk" >"$f" ;;
	envs)
		awk -v n="$n" -v hdr="$HDR" 'BEGIN {
			srand(2); print hdr
			for (e = 0; e < n; e++) {
				env = e ? sprintf("vm%06d", e) : "host"; virt = e ? "kvm" : "none"
				for (r = 1; r <= 3; r++) {
					printf "hvb1,%s-1795305079-1,2026-11-21T23:00:00Z,%s,%s,none,m,cpubench,threads=1,events_per_s,1/s,higher,%d,%.6g,ok,\n", env, env, virt, r, 1000 * (1 - 0.2 * rand())
					printf "hvb1,%s-1795305079-1,2026-11-21T23:00:00Z,%s,%s,none,m,forkbench,,forks_per_s,1/s,higher,%d,%.6g,ok,\n", env, env, virt, r, 5000 * (1 - 0.2 * rand())
				}
			}
		}' >"$f" ;;
	benches)
		awk -v n="$n" -v hdr="$HDR" 'BEGIN {
			srand(3); print hdr
			for (e = 0; e < 2; e++) {
				env = e ? "kvm" : "host"; virt = e ? "kvm" : "none"
				for (b = 0; b < n; b++) for (r = 1; r <= 3; r++)
					printf "hvb1,%s-1795305079-1,2026-11-21T23:00:00Z,%s,%s,none,m,b%06dbench,,ops_per_s,1/s,higher,%d,%.6g,ok,\n", env, env, virt, b, r, 1000 * (1 - 0.1 * e - 0.05 * rand())
			}
		}' >"$f" ;;
	esac
	[ -s "$f" ] && : >"$f.done"
}

# timed OUTPREFIX CMD...: "wall rss_kb status" of one run (status ok,
# timeout, memory (exit 6 or killed by the cap) or exitN).
timed() {
	local p=$1 rc; shift
	(ulimit -v $((MEM * 1024)); exec timeout "$TMO" /usr/bin/time -v -o "$p.time" "$@") >"$p.out" 2>"$p.err"
	rc=$?
	local st=ok
	case $rc in
	0) ;;
	124) st=timeout ;;
	6) st=memory ;;
	*) if grep -qi 'memory\|cannot allocate' "$p.err"; then st=memory; else st=exit$rc; fi ;;
	esac
	awk -F': ' -v st="$st" '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
		/Maximum resident set size/ { rss = $2 } END { printf "%.3f %d %s\n", wall, rss, st }' "$p.time" 2>/dev/null ||
		echo "$TMO 0 $st"
}
med() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

run_cell() { # FILE OUTPUT -> "wall rss status"
	local f=$1 o=$2 p=$W/run t r s ts=() rs=() st=ok i
	for ((i = 0; i < REPS; i++)); do
		case $o in
		summary) read -r t r s < <(timed "$p" "$A" -q --summary-csv "$W/out.csv" "$f") ;;
		html) read -r t r s < <(timed "$p" "$A" -q -o "$W/out.html" "$f") ;;
		xlsx) read -r t r s < <(timed "$p" "$A" -q --xlsx "$W/out.xlsx" --summary-csv /dev/null "$f") ;;
		both) read -r t r s < <(timed "$p" "$A" -q -o "$W/out.html" --xlsx "$W/out.xlsx" "$f") ;;
		esac
		ts+=("$t"); rs+=("$r"); [ "$s" = ok ] || st=$s
		[ "$s" = ok ] || break
	done
	echo "$(med "${ts[@]}") $(printf '%s\n' "${rs[@]}" | sort -g | tail -n 1) $st"
}

printf 'bench-scale: %s, %s run(s) per cell (median), timeout %s s, memory cap %s MB; load average now %s\n' \
	"$A" "$REPS" "$TMO" "$MEM" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %9s %10s %8s %9s %9s %11s %9s %7s  %s\n' family size rows output wall_s rss_MB rows_per_s /datamash growth status
for fam in rows envs benches; do
	case $fam in rows) sizes=$ROWS ;; envs) sizes=$ENVS ;; benches) sizes=$BENCHES ;; esac
	declare -A prev=()
	for n in $sizes; do
		f=$W/$fam-$n.csv
		gen "$fam" "$n" "$f" || { echo "bench-scale: cannot write $f" >&2; exit 3; }
		rows=$(($(wc -l <"$f") - 1))
		dm=""
		for o in $OUTPUTS; do
			read -r t r st < <(run_cell "$f" "$o")
			if [ "$o" = summary ]; then
				read -r dt _ _ < <(timed "$W/dm" sh -c 'exec datamash -t, --header-in -s -g 4,8,9,10 count 14 mean 14 sstdev 14 median 14 <"$1"' sh "$f")
				dm=$(awk -v a="$t" -v d="$dt" 'BEGIN { if (d > 0) printf "%.2f", a / d; else print "-" }')
			else
				dm="-"
			fi
			g=$(awk -v a="$t" -v b="${prev[$o]:-}" 'BEGIN { if (b != "" && b > 0) printf "%.1f", a / b; else print "-" }')
			[ "$st" = ok ] && prev[$o]=$t || prev[$o]=""
			printf '%-8s %9s %10s %8s %9s %9.1f %11s %9s %7s  %s\n' "$fam" "$n" "$rows" "$o" "$t" \
				"$(awk -v r="$r" 'BEGIN { print r / 1024 }')" \
				"$(awk -v n="$rows" -v t="$t" 'BEGIN { if (t > 0) printf "%.0f", n / t; else print "-" }')" "$dm" "$g" "$st"
		done
	done
	unset prev
done
echo "growth: wall time against the previous size of the family (10x the input: ~10 linear, ~100 quadratic)"
