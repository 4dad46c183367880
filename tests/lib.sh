# tests/lib.sh - sourced by tests/e2e/*.sh.  Prints "PASS name" / "FAIL name: why"
# lines for tests/runner.c.  Environment from `make check`: HVB_BIN (binaries
# under test; sanitized under SAN=1), HVB_STATIC_BIN (always static, for
# guests), HVB_TOP (source tree), HVB_BUILD_DIR.
set -u
: "${HVB_TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${HVB_BIN:=$HVB_TOP/bin}"
: "${HVB_STATIC_BIN:=$HVB_TOP/bin}"
T_FAILS=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; T_FAILS=$((T_FAILS + 1)); }
skip() { echo "SKIP $1: $2"; }
# check NAME CMD...: pass when CMD succeeds.
check() { local n=$1; shift; if "$@" >/dev/null 2>&1; then pass "$n"; else fail "$n" "command failed: $*"; fi; }
# A scratch directory removed at exit.
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/hvbtest.XXXXXX")
trap 'rm -rf "$T_TMP"' EXIT
# csv_col FILE COLUMN: print that column of every data row (simple CSV: no quoted commas).
csv_col() { awk -F, -v c="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==c) k=i; next} k{print $k}' "$1"; }
t_done() { exit 0; }
