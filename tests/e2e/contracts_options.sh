#!/bin/bash
# tests/e2e/contracts_options.sh - usage errors found at parse time: an
# option with a fixed
# set of values (HVB_OPT_ONEOF in the option table) and a forkbench range
# that cannot be run are checked at parse time: exit 2 (usage), exactly one
# message on stderr, nothing on stdout, and an --out file is not created.
# Each case runs as its own binary and through the multi-call bin/hvbench.
. "$(dirname "$0")/../lib.sh"

B=$HVB_BIN
# usage NAME WANT_STDERR BENCH ARGS...
usage() {
	local n=$1 want=$2 bench=$3 alias rc out err
	shift 3
	for how in bin multi; do
		rm -f "$T_TMP/out.csv"
		if [ "$how" = bin ]; then
			"$B/$bench" "$@" >"$T_TMP/o" 2>"$T_TMP/e"
		else
			alias=${bench%bench}
			"$B/hvbench" "$alias" "$@" >"$T_TMP/o" 2>"$T_TMP/e"
		fi
		rc=$?
		out=$(wc -c <"$T_TMP/o")
		err=$(cat "$T_TMP/e")
		"$B/$bench" "$@" --out "$T_TMP/out.csv" >/dev/null 2>&1
		if [ "$rc" = 2 ] && [ "$out" = 0 ] && [ "$err" = "$want" ] && [ ! -e "$T_TMP/out.csv" ]; then
			pass "$n ($how)"
		else
			fail "$n ($how)" "exit $rc (want 2), $out bytes on stdout (want 0), --out file $([ -e "$T_TMP/out.csv" ] && echo written || echo absent), stderr '$err' (want '$want')"
		fi
	done
}
usage cpu_kernel_oneof 'cpubench: --kernel: "foo" is not one of all, primes, int, fp' cpubench --kernel foo
usage io_op_oneof 'iobench: --op: "foo" is not one of all, seqwrite, seqread, randread, randwrite, fsync' \
	iobench --op foo --dir "$T_TMP"
usage mem_part_oneof 'membench: --part: "foo" is not one of all, bandwidth, latency' membench --part foo
x86=
case $(uname -m) in x86_64 | i?86) x86=', rdtsc, cpuid' ;; esac
usage time_op_oneof "timebench: --op: \"foo\" is not one of all, clock_gettime, getpid_syscall, page_fault, mmap_munmap_64k, ctxsw_pipe$x86" \
	timebench --op foo
usage net_dir_oneof 'netbench: --dir: "sideways" is not one of send, recv, both' netbench --server none --dir sideways
# A prefix of a value is not the value.
usage cpu_kernel_prefix 'cpubench: --kernel: "prime" is not one of all, primes, int, fp' cpubench --kernel=prime
usage fork_end_below_start 'forkbench: --start 1 --end -1: need start <= end and end - start < 65536' forkbench --end -1
usage fork_range_too_wide 'forkbench: --start 0 --end 65536: need start <= end and end - start < 65536' \
	forkbench --start 0 --end 65536
usage fork_end_out_of_range 'forkbench: --end: 2000000000 is out of range -1e+09..1e+09' forkbench --end 2000000000

# A value from the list still runs, and only that kernel.  (On a loaded
# machine a repetition can become a fail row, "no event completed": then the
# exit status is 1, as the README says, and the row still names the kernel.)
"$B/cpubench" --kernel primes --quick --reps 1 --warmup 0 --time 0.2 >"$T_TMP/ok.csv" 2>"$T_TMP/e"
rc=$?
p=$(csvq "$T_TMP/ok.csv" 'status == "ok" || status == "fail" { split(params, a, ";"); print a[1] }' | sort -u | tr '\n' ' ')
nf=$(csvq "$T_TMP/ok.csv" 'status == "fail"' | wc -l)
want=0
[ "$nf" = 0 ] || want=1
if [ "$rc" = "$want" ] && [ "$p" = "kernel=primes " ]; then
	pass oneof_value_runs
else
	fail oneof_value_runs "exit $rc (want $want: $nf fail rows), kernels of the rows: '$p' (want 'kernel=primes ')"
fi
t_done
