#!/bin/bash
# tests/e2e/bench_fidelity_verdict.sh - the verdict of `make bench-fidelity`
# (bench/fidelity-table.sh's row) on rounds chosen here: it is on the paired
# ratio (the median of the rounds' own ours/ref), on the ratio of the medians
# only with fewer than two pairs, and each table line is exact.
. "$(dirname "$0")/../lib.sh"
# shellcheck source=bench/fidelity-table.sh
. "$HVB_TOP/bench/fidelity-table.sh"
TABLE=$T_TMP/table

# fid_row NAME WANT NAME UNIT OURS REF [NOTE]: row's line must be WANT (tabs
# written as |).
fid_row() {
	local t=$1 want=$2 got
	shift 2
	: >"$TABLE"
	row "$@" 2>"$T_TMP/err"
	got=$(tr '\t' '|' <"$TABLE")
	[ "$got" = "$want" ] && pass "$t" || fail "$t" "got '$got', want '$want'"
}
# The medians fall in different modes (ratio 0.769) while every round but one
# agrees: the paired ratio is 1, and the verdict with it.
fid_row fid_verdict_paired_ok "modes|u|100|+-15%|130|+-12%|0.769|ok||1.000|1.000|1.000" \
	modes u "$(printf '%s\n' 100 100 100 130 130)" "$(printf '%s\n' 100 100 130 130 130)"
# A steady lead of 12-18 %, the rounds apart: outside.
fid_row fid_verdict_outside "lead|u|115|+-3%|100|+-0%|1.150|OUTSIDE||1.150|1.135|1.165" \
	lead u "$(printf '%s\n' 112 115 118)" "$(printf '%s\n' 100 100 100)"
# Outside, but the rounds of the two sides overlap.
fid_row fid_verdict_spread "ovl|u|120|+-10%|100|+-7%|1.200|OUTSIDE, within run-to-run spread||1.200|1.156|1.201" \
	ovl u "$(printf '%s\n' 120 125 100)" "$(printf '%s\n' 100 104 90)"
# One round: no pairs to take a median of; the verdict says what it used.
fid_row fid_verdict_one_round "one|u|112||100||1.120|OUTSIDE (ratio of medians: fewer than 2 pairs)||-||" \
	one u 112 100
# A round without our figure is left out of the pairs, not read as 0.
fid_row fid_verdict_gap "gap|u|101|+-1%|100|+-0%|1.010|ok||1.010|1.005|1.015" \
	gap u "$(printf '%s\n' 100 '' 102)" "$(printf '%s\n' 100 100 100)"
# No figures at all: the note is the verdict.
fid_row fid_verdict_not_built "nb|u|-||-||-|nb not built||-||" nb u "" "" "nb not built"
t_done
