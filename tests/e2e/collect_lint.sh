#!/bin/bash
# tests/e2e/collect_lint.sh - every collect/ script is shellcheck-clean (with
# the files it sources) and answers --help with its usage and exit 0; a bad
# option is a usage error (exit 2) that names the option.
. "$(dirname "$0")/../lib.sh"

C=$HVB_TOP/collect
scripts="local ssh qemu container vbox vmware libvirt telemetry fetch-kernel plan"
if command -v shellcheck >/dev/null; then
	# shellcheck disable=SC2046 # one word per script name
	if out=$(cd "$HVB_TOP" && shellcheck -x $(for s in $scripts; do printf 'collect/%s ' "$s"; done) \
		collect/lib.sh collect/guest/suite.sh collect/guest/init collect/guest/container-init \
		collect/bench-telemetry.sh analyze/bench-aa.sh tests/fixtures/collect/standin 2>&1); then
		pass collect_shellcheck
	else
		fail collect_shellcheck "$(printf '%s' "$out" | head -n 20)"
	fi
else
	fail collect_shellcheck "shellcheck not installed (Debian shellcheck; make deps)"
fi
for s in $scripts; do
	out=$("$C/$s" --help 2>&1)
	rc=$?
	if [ "$rc" = 0 ] && printf '%s' "$out" | grep -q "^Usage: collect/$s"; then pass "help_$s"; else fail "help_$s" "exit $rc: $(printf '%s' "$out" | head -n 2)"; fi
	out=$("$C/$s" --no-such-option 2>&1)
	rc=$?
	if [ "$rc" = 2 ] && printf '%s' "$out" | grep -q -- "--no-such-option"; then pass "usage_error_$s"; else fail "usage_error_$s" "exit $rc: $(printf '%s' "$out" | head -n 2)"; fi
done
t_done
