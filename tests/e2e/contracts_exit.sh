#!/bin/bash
# tests/e2e/contracts_exit.sh - one table of exit codes (common/exit.def,
# docs/exit-status.md): collect/lib.sh sets exactly the table's HVB_EXIT_*
# variables with the table's codes, docs/exit-status.md lists the same codes
# under the same names, no collector or benchmark source names an HVB_EXIT_*
# the table lacks, and the programs exit with the table's codes: a usage
# error (USAGE) from a benchmark, hvbench and a collector, an unknown
# collector (MISSING), an --out of another header (OUTPUT).
. "$(dirname "$0")/../lib.sh"
B=$HVB_BIN
cd "$HVB_TOP" || { fail exit_table "cannot cd to $HVB_TOP"; t_done; }

# NAME=CODE lines of each source, sorted.
table=$(sed -n 's/^HVB_EXIT(\([A-Z_]*\), *\([0-9]*\),.*/\1=\2/p' common/exit.def | sort)
libsh=$(sed -n 's/^HVB_EXIT_\([A-Z_]*\)=\([0-9]*\).*/\1=\2/p' collect/lib.sh | sort)
docs=$(sed -n 's/^| \([0-9]*\) | `\([A-Z_]*\)` |.*/\2=\1/p' docs/exit-status.md | sort)
if [ "$(printf '%s\n' "$table" | wc -l)" -ge 7 ]; then pass exit_table_read; else fail exit_table_read "common/exit.def: $table"; fi
if [ "$libsh" = "$table" ]; then pass exit_libsh_is_table; else fail exit_libsh_is_table "collect/lib.sh: $(echo $libsh); common/exit.def: $(echo $table)"; fi
if [ "$docs" = "$table" ]; then pass exit_docs_is_table; else fail exit_docs_is_table "docs/exit-status.md: $(echo $docs); common/exit.def: $(echo $table)"; fi

# Every HVB_EXIT_* used anywhere in bench/, common/ and collect/ (but the
# table itself) is one of the table's.
used=$(grep -rhoE --exclude=exit.def 'HVB_EXIT_[A-Z_]+' bench common collect | sed 's/^HVB_EXIT_//' | sort -u)
unknown=
for n in $used; do
	printf '%s\n' "$table" | grep -q "^$n=" || unknown="$unknown $n"
done
if [ -z "$unknown" ]; then pass exit_names_known; else fail exit_names_known "not in common/exit.def:$unknown"; fi

code() { printf '%s\n' "$table" | sed -n "s/^$1=//p"; }
# run_rc TAG WANT_NAME CMD...: CMD exits with the table's code of WANT_NAME.
run_rc() {
	local tag=$1 want
	want=$(code "$2")
	shift 2
	"$@" >/dev/null 2>&1 </dev/null
	local rc=$?
	if [ "$rc" = "$want" ]; then pass "$tag"; else fail "$tag" "exit $rc, want $want: $*"; fi
}
run_rc exit_bench_usage USAGE "$B/nullbench" --no-such-option
run_rc exit_hvbench_usage USAGE "$B/hvbench" run --no-such-option
run_rc exit_hvbench_missing MISSING "$B/hvbench" collect no-such-collector
echo "not,an,hvb1,header" >"$T_TMP/other.csv"
run_rc exit_bench_output OUTPUT "$B/nullbench" --quick --out "$T_TMP/other.csv"
run_rc exit_collect_usage USAGE collect/local --no-such-option
# The analyzer's codes are the table's too (analyze/analyze.h expands it).
run_rc exit_analyze_usage USAGE "$B/analyze" --no-such-option
run_rc exit_analyze_missing MISSING "$B/analyze" "$T_TMP/no-such-dir"
printf 'hvb1,this,is,not,a,result\n' >"$T_TMP/bad.csv"
run_rc exit_analyze_failed FAILED "$B/analyze" --text "$T_TMP/bad.csv"
run_rc exit_analyze_output OUTPUT "$B/analyze" --json /no-such-dir/m.json tests/fixtures/analyze/disturb/quiet
t_done
