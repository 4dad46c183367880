#!/bin/bash
# collect_plan_order.sh - collect/plan's per-round orders (docs/collect.md,
# "Order"), through `collect/plan --print-orders`, which prints what a plan
# with that seed and those labels records; nothing is run.
#
# The generator it replaces (order_gen=1, kept for --resume of old plans):
# a 31-bit LCG reseeded with seed + R * 7919 each round.  For labels a b c
# it printed (rounds 1..12):
#   seed 7:        acb bca acb bca acb bca abc bca abc bca abc bca
#   seed 42:       bca acb bca acb bca acb bca acb bca acb cab abc
#   seed 1000:     acb bca acb bca acb bca acb bca abc bca abc bca
#   seed 20261201: acb bac acb bac acb bac acb abc cab abc bac acb
# two orders alternating for 6 to 10 rounds (seed 7: c in the middle of
# each of the first 6 rounds, so a position effect landed on c alone), and
# never all 6 orders in 12 rounds.  The checks below fail on it.
. "$(dirname "$0")/../lib.sh"
P=$HVB_TOP/collect/plan

orders() { "$P" --print-orders --rounds "$1" --seed "$2" "${@:3}" | cut -d' ' -f3-; }

# The old generator's failure case, reproduced: 2 distinct orders in the
# first 6 rounds and fewer than 6 in 12, for each of the four seeds (and it
# still draws what old plans drew).
why=""
for s in 7 42 1000 20261201; do
	o=$("$P" --print-orders --order-gen 1 --rounds 12 --seed "$s" a b c | cut -d' ' -f3-)
	n6=$(printf '%s\n' "$o" | head -n 6 | sort -u | wc -l)
	n12=$(printf '%s\n' "$o" | sort -u | wc -l)
	[ "$n6" = 2 ] && [ "$n12" -lt 6 ] || why="$why seed $s: $n6 distinct in 6 rounds, $n12 in 12;"
done
[ "$("$P" --print-orders --order-gen 1 --rounds 3 --seed 7 a b c | cut -d' ' -f3- | tr '\n' '|')" = "a c b|b c a|a c b|" ] ||
	why="$why seed 7 not a c b, b c a, a c b;"
[ -z "$why" ] && pass order-gen1-reproduced || fail order-gen1-reproduced "$why"

# All 6 orders of 3 environments within 12 rounds, for the issue's seeds;
# by construction (blocks of n! = 6 rounds without replacement) already in
# rounds 1..6 and again in 7..12.
why=""
for s in 7 42 1000 20261201; do
	o=$(orders 12 "$s" a b c)
	[ "$(printf '%s\n' "$o" | sort -u | wc -l)" = 6 ] || why="$why seed $s: $(printf '%s\n' "$o" | sort -u | wc -l) of 6 in 12 rounds;"
	[ "$(printf '%s\n' "$o" | head -n 6 | sort -u | wc -l)" = 6 ] || why="$why seed $s: rounds 1-6 not all 6 orders;"
	[ "$(printf '%s\n' "$o" | tail -n 6 | sort -u | wc -l)" = 6 ] || why="$why seed $s: rounds 7-12 not all 6 orders;"
done
[ -z "$why" ] && pass order-all-6-in-12 || fail order-all-6-in-12 "$why"

# Reproducible: the same seed gives the same orders; another seed others.
[ "$(orders 12 7 a b c)" = "$(orders 12 7 a b c)" ] && [ "$(orders 12 7 a b c)" != "$(orders 12 8 a b c)" ] &&
	pass order-reproducible || fail order-reproducible "seed 7 twice differs, or equals seed 8"

# Over 200 seeds (1..200) x 12 rounds.  3 environments: 12 rounds are two
# full blocks, so every environment is exactly 4 times in each position for
# every seed (800 per cell in all).  4 environments: 12 rounds are half a
# block (24), so the counts vary; 2400 rounds, expected 600 per (environment,
# position); an independent uniform shuffle would give a binomial count with
# sd sqrt(2400 * 1/4 * 3/4) = 21.2, and drawing without replacement in a
# block only narrows it, so a cell outside 600 +- 4 sd = [515, 685] means a
# biased draw (P < 1e-4 per cell for a fair one; the seeds are fixed, so the
# test is deterministic, never flaky).  The first round's order over the 200
# seeds (3 environments), each of the 6 expected 33.3 times, binomial sd
# sqrt(200 * 1/6 * 5/6) = 5.3: each within [12, 54] (+- 4 sd), so that
# consecutive seeds give unrelated streams.
for s in $(seq 1 200); do
	orders 12 "$s" a b c | awk -v s="$s" '{ print s, NR, $0 }' >>"$T_TMP/o3"
	orders 12 "$s" a b c d | awk -v s="$s" '{ print s, NR, $0 }' >>"$T_TMP/o4"
done
out=$(awk '{ for (p = 3; p <= NF; p++) n[$1 " " $p " " p - 2]++ }
	END { for (k in n) if (n[k] != 4) { print "seed/env/pos " k ": " n[k]; bad++ } ; if (bad) exit 1 }' "$T_TMP/o3") &&
	[ "$(wc -l <"$T_TMP/o3")" = 2400 ] && pass order-positions-exact-3 || fail order-positions-exact-3 "$(printf '%s' "$out" | head -n 5)"
summary=$(awk '{ for (p = 3; p <= NF; p++) n[$p " " p - 2]++ }
	END { for (k in n) { printf "%s=%d ", k, n[k]; if (n[k] < 515 || n[k] > 685) bad++ }; if (bad || length(n) != 16) exit 1 }' "$T_TMP/o4")
rc=$?
echo "4 environments, 200 seeds x 12 rounds, count per (env position), expected 600 +- 85: $summary"
[ "$rc" = 0 ] && pass order-positions-balanced-4 || fail order-positions-balanced-4 "$summary"
summary=$(awk '$2 == 1 { n[$3 $4 $5]++ } END { for (k in n) { printf "%s=%d ", k, n[k]; if (n[k] < 12 || n[k] > 54) bad++ }; if (bad || length(n) != 6) exit 1 }' "$T_TMP/o3")
rc=$?
echo "round 1 over 200 seeds, expected 33.3 +- 21 each: $summary"
[ "$rc" = 0 ] && pass order-seeds-independent || fail order-seeds-independent "$summary"

# Two environments (an A/A pair alone): blocks of 2, each order once.
o=$(orders 8 5 x y | tr '\n' '|')
[ "$(printf '%s' "$o" | tr '|' '\n' | grep -c '^x y$')" = 4 ] && pass order-two-envs || fail order-two-envs "$o"

# --resume of a plan recorded before order_gen=2 draws its unrecorded
# rounds with the old generator; a new record with the new one.  --max-runs
# 0 makes the plan write round 1's order and stop before any run.
mkdir -p "$T_TMP/d/c"
for g in old new; do
	{
		printf 'plan=%s\ncampaign=c\nseed=7\nrounds=2\n' "$g"
		[ "$g" = new ] && echo order_gen=2
		printf 'env a local\nenv b local\nenv c local\n'
	} >"$T_TMP/d/c/$g.plan"
	"$P" --data "$T_TMP/d" --campaign c --resume "$g" --max-runs 0 >/dev/null 2>"$T_TMP/err.$g"
done
o_old=$(sed -n 's/^order 1 //p' "$T_TMP/d/c/old.plan")
o_new=$(sed -n 's/^order 1 //p' "$T_TMP/d/c/new.plan")
want_new=$(orders 1 7 a b c)
[ "$o_old" = "a c b" ] && [ "$o_new" = "$want_new" ] && grep -q 'no order_gen= line' "$T_TMP/err.old" &&
	pass order-resume-keeps-generator || fail order-resume-keeps-generator "old '$o_old' (want 'a c b'), new '$o_new' (want '$want_new')"

# Usage: --order-gen only with --print-orders; --print-orders needs a seed.
"$P" --order-gen 1 a=local >/dev/null 2>&1; rc1=$?
"$P" --print-orders a b >/dev/null 2>&1; rc2=$?
[ "$rc1" = 2 ] && [ "$rc2" = 2 ] && pass order-usage || fail order-usage "exits $rc1 $rc2"
t_done
