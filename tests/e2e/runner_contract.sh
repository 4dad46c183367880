#!/bin/bash
# tests/e2e/runner_contract.sh - tests/runner.c keeps its contract: a script
# that only skips is counted as skipped, not failed (exit 0); one that prints
# no check fails ("ran no check"); a FAIL line and a non-zero exit fail; the
# summary line is "N passed, N failed[, N skipped]".
. "$(dirname "$0")/../lib.sh"

R=${HVB_BUILD_DIR:-$HVB_TOP/build/obj}/tests/runner
if [ ! -x "$R" ]; then fail runner_built "no runner at $R (make check builds it)"; t_done; fi
printf 'echo "SKIP x: not here"\n' >"$T_TMP/skiponly.sh"
printf 'echo hello\n' >"$T_TMP/nocheck.sh"
printf 'echo "PASS a"\necho "FAIL b: why"\n' >"$T_TMP/onefail.sh"
printf 'echo "PASS a"\nexit 3\n' >"$T_TMP/badexit.sh"
"$R" "$T_TMP/skiponly.sh" >"$T_TMP/o1" 2>&1
rc=$?
if [ "$rc" = 0 ] && [ "$(tail -n 1 "$T_TMP/o1")" = "0 passed, 0 failed, 1 skipped" ]; then pass runner_skip_only_not_failed; else fail runner_skip_only_not_failed "exit $rc: $(tail -n 2 "$T_TMP/o1" | tr '\n' '|')"; fi
"$R" "$T_TMP/nocheck.sh" >"$T_TMP/o2" 2>&1
rc=$?
if [ "$rc" = 1 ] && grep -q "FAIL $T_TMP/nocheck.sh: ran no check" "$T_TMP/o2" && [ "$(tail -n 1 "$T_TMP/o2")" = "0 passed, 1 failed" ]; then
	pass runner_no_check_fails
else
	fail runner_no_check_fails "exit $rc: $(tr '\n' '|' <"$T_TMP/o2")"
fi
"$R" "$T_TMP/onefail.sh" "$T_TMP/badexit.sh" >"$T_TMP/o3" 2>&1
rc=$?
if [ "$rc" = 1 ] && grep -q "FAIL $T_TMP/badexit.sh: exit status 3" "$T_TMP/o3" && [ "$(tail -n 1 "$T_TMP/o3")" = "2 passed, 2 failed" ]; then
	pass runner_fail_and_exit_status
else
	fail runner_fail_and_exit_status "exit $rc: $(tr '\n' '|' <"$T_TMP/o3")"
fi
t_done
