#!/bin/bash
# tests/e2e/tests_lint.sh - the test scripts and the benchmark scripts pass
# ShellCheck at warning level (tests/lib.sh, tests/layers.sh, tests/e2e/*.sh,
# bench/fidelity.sh and its table, analyze/*.sh, report/*.sh); a deliberate word split
# carries its own `# shellcheck disable=SC2046 # why` line.  The collectors
# have their own, stricter check (collect_lint.sh).
. "$(dirname "$0")/../lib.sh"

if ! command -v shellcheck >/dev/null; then
	fail tests_shellcheck "shellcheck not installed (Debian shellcheck; make deps)"
	t_done
fi
cd "$HVB_TOP" || { fail tests_shellcheck "cannot cd to $HVB_TOP"; t_done; }
if out=$(shellcheck -x -S warning -s bash -f gcc tests/lib.sh tests/layers.sh tests/e2e/*.sh bench/fidelity.sh bench/fidelity-table.sh analyze/*.sh report/*.sh 2>&1); then
	pass tests_shellcheck
else
	fail tests_shellcheck "$(printf '%s\n' "$out" | wc -l) findings, the first: $(printf '%s\n' "$out" | head -n 5)"
fi
t_done
