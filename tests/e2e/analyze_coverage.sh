#!/bin/bash
# analyze_coverage.sh - the score intervals hold their coverage, shown by
# simulation (docs/analyzer.md, "How the score is made"): synthetic A/A
# campaigns (tests/fixtures/analyze/coverage/gen.py: two labels of the same
# environment, true ratio 1, 5 rounds of 3 repetitions), 1,000 campaigns in
# each of two regimes -- a between-run effect much larger than the
# within-run spread (the disturbances this tool must not report as
# results), and the reverse.  The 95 % intervals of the cpu, memory and
# overall scores must hold 1 in 93-97 % of the campaigns; the coverage is
# printed.  Seeded: the same figures every run.  Before the hierarchical
# bootstrap (repetitions resampled as if independent) the first regime's
# coverage was far below: cpu 610, memory 598, overall 648 of 1,000 (and 888, 859, 903 in the second regime).
. "$(dirname "$0")/../lib.sh"
A=$HVB_BIN/analyze
GEN=$HVB_TOP/tests/fixtures/analyze/coverage/gen.py

# regime name, rounds, reps, between sd, within sd, seed
run_regime() {
	local name=$1 d=$T_TMP/$1
	if ! "$PY" "$GEN" "$d" 1000 "$2" "$3" "$4" "$5" "$6"; then
		fail "coverage $name: generate" "gen.py failed"
		return
	fi
	if ! "$A" -q --keep-disturbed --json "$d.json" "$d" 2>"$d.err"; then
		fail "coverage $name: analyze" "exit $?: $(head -3 "$d.err")"
		return
	fi
	local c n k
	for c in cpu memory overall; do
		n=$(jq --arg c "$c" '[.scores[] | select(.category == $c and (.env | startswith("b-")))] | length' "$d.json")
		k=$(jq --arg c "$c" '[.scores[] | select(.category == $c and (.env | startswith("b-")) and .lo <= 1 and .hi >= 1)] | length' "$d.json")
		echo "    | coverage $name $c: $k of $n intervals hold 1"
		if [ "$n" = 1000 ] && [ "$k" -ge 930 ] && [ "$k" -le 970 ]; then
			pass "coverage $name $c: $k/1000 in [930, 970]"
		else
			fail "coverage $name $c" "$k of $n intervals hold 1, want 930..970 of 1000"
		fi
	done
}
run_regime between-dominated 5 3 0.05 0.005 1
run_regime within-dominated 5 3 0.002 0.03 2
t_done
