#!/bin/bash
# tests/e2e/bench_net_fidelity.sh - bench/fidelity.sh (make bench-fidelity)
# without its long measurements: with no benchmark built every row must say
# "not built" and the script still prints its table and exits 0; bad
# settings are usage errors (exit 2).  The real comparison is a benchmark
# run by hand (docs/fidelity.md), not part of make check.
. "$(dirname "$0")/../lib.sh"

FID=$HVB_TOP/bench/fidelity.sh
mkdir -p "$T_TMP/empty"
HVB_BIN=$T_TMP/empty FIDELITY_ROUNDS=1 FIDELITY_TIME=1 FIDELITY_DIR=$T_TMP \
	FIDELITY_CSV=$T_TMP/fid.csv bash "$FID" >"$T_TMP/out" 2>"$T_TMP/err"
rc=$?
[ $rc -eq 0 ] && pass fid_exit_not_built || fail fid_exit_not_built "exit $rc: $(tail -3 "$T_TMP/err")"
grep -q '^benchmark .*ours .*reference .*ratio' "$T_TMP/out" && pass fid_table_header || fail fid_table_header "$(head -5 "$T_TMP/out")"
n=$(grep -c 'not built$' "$T_TMP/out")
[ "$n" -eq 11 ] && pass fid_rows_not_built || fail fid_rows_not_built "$n 'not built' rows, want 11"
for b in cpubench membench pipebench netbench iobench; do
	grep -q "^$b .*$b not built" "$T_TMP/out" && pass "fid_row_$b" || fail "fid_row_$b" "no '$b not built' row"
done
[ "$(head -1 "$T_TMP/fid.csv")" = "benchmark,unit,ours,ours_spread,reference,reference_spread,ratio,verdict,paired_ratio,paired_q1,paired_q3" ] && [ "$(wc -l <"$T_TMP/fid.csv")" -eq 12 ] &&
	pass fid_csv || fail fid_csv "$(head -2 "$T_TMP/fid.csv")"
FIDELITY_ROUNDS=x bash "$FID" >/dev/null 2>"$T_TMP/err2"
rc=$?
[ $rc -eq 2 ] && grep -q 'FIDELITY_ROUNDS' "$T_TMP/err2" && pass fid_bad_rounds || fail fid_bad_rounds "exit $rc"
FIDELITY_DIR=$T_TMP/nonexistent bash "$FID" >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] && pass fid_bad_dir || fail fid_bad_dir "exit $rc"
t_done
