#!/bin/bash
# tests/e2e/collect_sample.sh - the sample campaign that ships in data/sample/
# is what its README says: a plan (collect/plan) of 6 rounds over the host, the
# host again (an A/A pair, --aa host=host-again), a namespace container, a
# Docker and a Podman container and a qemu-tcg guest, made by the collectors:
# in each environment one run per round, each with every benchmark of the
# suite, its round, plan and aa_pair info rows, the disturbance rows,
# detection facts that fit the environment and the sidecars; the plan's
# record beside them; and the analyzer reads it without rejecting a row,
# pairs the comparisons on the rounds (the first command of the README,
# `make demo`), and finds what the README says: the containers' cpu and
# memory scores and every category score of the A/A pair hold 1.
. "$(dirname "$0")/../lib.sh"

S=$HVB_TOP/data/sample
if [ -s "$S/README.md" ] && grep -q 'make demo' "$S/README.md"; then pass sample_readme; else fail sample_readme "no $S/README.md naming make demo"; fi
want=$("$HVB_STATIC_BIN/hvbench" list | awk 'NF && $1 != "nullbench" { print $1 }' | sort | tr '\n' ' ')
ENVS="host host-again namespace docker podman qemu-tcg"
NENV=6
PLAN=plan-sample
R=6
ROUNDS=$(seq -s ' ' 1 $R)
# The fail rows the README names, by CSV: "FILE:N" (every other run: none).
FAILS=""
# A run the plan found disturbed was run again in its round (a 'rerun' line
# names the original, which stays in the campaign and is left out).
NRERUN=$(grep -c '^rerun ' "$S/$PLAN.plan" 2>/dev/null)
if [ -s "$S/$PLAN.plan" ] && grep -qx "rounds=$R" "$S/$PLAN.plan" && [ "$(grep -c '^order ' "$S/$PLAN.plan")" = $R ] &&
	[ "$(grep -c '^done ' "$S/$PLAN.plan")" = $((R * NENV + NRERUN)) ] && grep -qx 'aa host=host-again' "$S/$PLAN.plan"; then
	pass "sample_plan_record ($NRERUN re-runs)"
else
	fail sample_plan_record "no $S/$PLAN.plan with $R rounds, $R orders, $((R * NENV)) finished runs and $NRERUN re-runs, and the A/A pair"
fi
for env in $ENVS; do
	n=$(find "$S/$env" -name "*_${env}_*.csv" 2>/dev/null | wc -l)
	rounds=$(cat "$S/$env"/*.csv 2>/dev/null | grep -o ",hvbench,,round,,,,[0-9]*," | sort -u | tr -dc '0-9\n' | sort -n | tr '\n' ' ')
	plans=$(cat "$S/$env"/*.csv 2>/dev/null | grep -o ",hvbench,,plan,,,,,info,.*$" | sort -u | sed 's/.*info,//')
	nr=$(grep -c "^rerun [0-9]* $env " "$S/$PLAN.plan")
	if [ "$n" = $((R + nr)) ] && [ "$rounds" = "$ROUNDS " ] && [ "$plans" = "$PLAN" ]; then
		pass "sample_${env}_${R}_rounds"
	else
		fail "sample_${env}_${R}_rounds" "$n CSVs ($nr re-runs), rounds '$rounds', plans '$plans'"
	fi
	k=0
	for csv in $(find "$S/$env" -name "*_${env}_*.csv" 2>/dev/null | sort); do
		k=$((k + 1))
		t="sample_${env}_run${k}"
		got=$(bench_names "$csv")
		arrived=$(sed -n 's/^benches_arrived=//p' "${csv%.csv}.meta" | tr ' ' '\n' | sed '/^$/d' | sort | tr '\n' ' ')
		# The sample is a record of the suite when it was made: it must hold what
		# its run said arrived, at least seven benchmarks, each one the suite knows.
		unknown=""
		for b in $got; do case " $want " in *" $b "*) ;; *) unknown="$unknown $b" ;; esac; done
		if [ "$got" = "$arrived" ] && [ "$(echo "$got" | wc -w)" -ge 7 ] && [ -z "$unknown" ]; then
			pass "${t}_all_benches"
		else
			fail "${t}_all_benches" "has '$got', .meta says '$arrived', unknown to hvbench:$unknown"
		fi
		[ "$got" = "$want" ] || echo "note: the suite now has '$want'; the sample was made with '$got' (re-make it, data/sample/README.md)"
		# The fail rows the README names (FAILS), and none elsewhere.
		fails=$(csv_col "$csv" status | grep -c '^fail$')
		want_fails=0
		for f in $FAILS; do [ "${csv##*/}" = "${f%%:*}" ] && want_fails=${f##*:}; done
		if [ "$fails" = "$want_fails" ]; then pass "${t}_fail_rows_as_readme"; else fail "${t}_fail_rows_as_readme" "$fails fail rows, README says $want_fails"; fi
		case $env in
		host | host-again) col=env val=$env ;;
		qemu-tcg) col=virt val=qemu-tcg ;;
		namespace) col=container val=other ;;
		docker) col=container val=docker ;;
		podman) col=container val=podman ;;
		esac
		vals=$(csv_col "$csv" "$col" | sort -u | tr '\n' ' ')
		if [ "$vals" = "$val " ]; then pass "${t}_detected"; else fail "${t}_detected" "$col column is '$vals', want '$val'"; fi
		# The A/A pair in-band in every run; what the machine did to every
		# repetition and the capacity probe (docs/csv-format.md).
		na=$(grep -c ',hvbench,,aa_pair,,,,,info,host=host-again$' "$csv")
		nd=$(grep -c ',dist_canary_ns,ns,,[0-9]' "$csv")
		nc=$(grep -c ',capacity_cpus,count,,,[0-9]' "$csv")
		if [ "$na" -ge 1 ] && [ "$nd" -ge 20 ] && [ "$nc" -ge 7 ]; then pass "${t}_aa_and_disturbance_rows"
		else fail "${t}_aa_and_disturbance_rows" "$na aa_pair, $nd dist_canary_ns, $nc capacity_cpus rows"; fi
		if grep -q '^wall_s=[0-9]' "${csv%.csv}.meta" && grep -qx 'benches_missing=' "${csv%.csv}.meta" && [ -s "${csv%.csv}.host.tsv" ]; then
			pass "${t}_sidecars"
		else
			fail "${t}_sidecars" "missing or incomplete .meta / .host.tsv"
		fi
	done
done
if [ -x "$HVB_BIN/analyze" ]; then
	out=$("$HVB_BIN/analyze" --text "$S" 2>"$T_TMP/err")
	rc=$?
	envs=$(printf '%s\n' "$out" | grep '^environments: ')
	miss=""
	for env in $ENVS; do [[ $envs == *"$env ("* ]] || miss="$miss $env"; done
	if [ "$rc" = 0 ] && grep -q ', 0 rejected' <<<"$out" && [ -z "$miss" ]; then
		pass sample_analyzes
	else
		fail sample_analyzes "analyze exit $rc, missing:$miss: $(head -c 300 "$T_TMP/err") $(printf '%s' "$out" | head -n 3)"
	fi
	# Every comparison with the baseline is paired, on the rounds (or, where
	# a round of a series has no sample, on fewer, at least 2), never unpaired.
	"$HVB_BIN/analyze" -q --json "$T_TMP/s.json" "$S" 2>/dev/null
	pr=$(jq -r '[.metrics[].series[] | select(.compared == true) | .paired_rounds] | group_by(.) | map("\(.[0])x\(length)") | join(" ")' "$T_TMP/s.json" 2>/dev/null)
	# shellcheck disable=SC2086 # one count per word
	if [ -n "$pr" ] && ! printf '%s\n' $pr | grep -qv "^[2-$R]x"; then pass sample_paired_every_comparison; else fail sample_paired_every_comparison "paired_rounds counts: '$pr'"; fi
	# What the README says the campaign shows: no container costs cpu or
	# memory that the campaign can see (each score's 95 % CI holds 1), and
	# every category score of the A/A pair holds 1 (the noise floor).
	for env in namespace docker podman; do
		for c in cpu memory; do
			r=$(jq -r --arg e "$env" --arg c "$c" '.scores[] | select(.env == $e and .category == $c) |
				"\(.lo <= 1 and .hi >= 1) \(.geomean) [\(.lo), \(.hi)]"' "$T_TMP/s.json")
			if [ "${r%% *}" = true ]; then pass "sample_${env}_${c}_holds_1 (${r#* })"
			else fail "sample_${env}_${c}_holds_1" "score '${r#* }'"; fi
		done
	done
	n=$(jq '[.scores[] | select(.env == "host-again")] | length' "$T_TMP/s.json")
	bad=$(jq -c '[.scores[] | select(.env == "host-again" and (.lo > 1 or .hi < 1)) | {category, geomean, lo, hi}]' "$T_TMP/s.json")
	if [ "$n" -ge 6 ] && [ "$bad" = "[]" ]; then pass "sample_aa_pair_every_score_holds_1 ($n scores)"
	else fail sample_aa_pair_every_score_holds_1 "$n scores, excluding 1: $bad"; fi
	p=$(jq -r '.aa_pairs | map("\(.a)=\(.b) \(.source)") | join(";")' "$T_TMP/s.json")
	[ "$p" = "host=host-again aa_pair row" ] && pass sample_aa_pair_found || fail sample_aa_pair_found "pairs '$p'"
else
	skip sample_analyzes "no $HVB_BIN/analyze built"
fi
t_done
