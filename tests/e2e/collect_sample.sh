# tests/e2e/collect_sample.sh - the sample campaign that ships in data/sample/
# is what its README says: a host, a qemu-tcg and a container run made by the
# collectors, every benchmark of the suite in each, detection facts that fit
# the environment, the sidecars next to each CSV, and the analyzer reads it
# without rejecting a row (the first command of the README, `make demo`).
. "$(dirname "$0")/../lib.sh"

S=$HVB_TOP/data/sample
if [ -s "$S/README.md" ] && grep -q 'make demo' "$S/README.md"; then pass sample_readme; else fail sample_readme "no $S/README.md naming make demo"; fi
want=$("$HVB_STATIC_BIN/hvbench" list | awk 'NF && $1 != "nullbench" { print $1 }' | sort | tr '\n' ' ')
for env in host qemu-tcg container; do
	csv=$(find "$S/$env" -name "*_${env}_*.csv" 2>/dev/null | sort | tail -n 1)
	if [ -z "$csv" ]; then
		fail "sample_$env" "no CSV under $S/$env"
		continue
	fi
	got=$(csv_col "$csv" bench | sort -u | tr '\n' ' ')
	arrived=$(sed -n 's/^benches_arrived=//p' "${csv%.csv}.meta" | tr ' ' '\n' | sed '/^$/d' | sort | tr '\n' ' ')
	# The sample is a record of the suite when it was made: it must hold what
	# its run said arrived, at least seven benchmarks, each one the suite knows.
	unknown=""
	for b in $got; do case " $want " in *" $b "*) ;; *) unknown="$unknown $b" ;; esac; done
	if [ "$got" = "$arrived" ] && [ "$(echo "$got" | wc -w)" -ge 7 ] && [ -z "$unknown" ]; then
		pass "sample_${env}_all_benches"
	else
		fail "sample_${env}_all_benches" "has '$got', .meta says '$arrived', unknown to hvbench:$unknown"
	fi
	[ "$got" = "$want" ] || echo "note: the suite now has '$want'; the sample was made with '$got' (re-make it, data/sample/README.md)"
	fails=$(csv_col "$csv" status | grep -c '^fail$')
	if [ "$fails" = 0 ]; then pass "sample_${env}_no_fail_rows"; else fail "sample_${env}_no_fail_rows" "$fails fail rows"; fi
	case $env in
	host) col=env val=host ;;
	qemu-tcg) col=virt val=qemu-tcg ;;
	container) col=container val=other ;;
	esac
	vals=$(csv_col "$csv" "$col" | sort -u | tr '\n' ' ')
	if [ "$vals" = "$val " ]; then pass "sample_${env}_detected"; else fail "sample_${env}_detected" "$col column is '$vals', want '$val'"; fi
	if grep -q '^wall_s=[0-9]' "${csv%.csv}.meta" && grep -qx 'benches_missing=' "${csv%.csv}.meta" && [ -s "${csv%.csv}.host.tsv" ]; then
		pass "sample_${env}_sidecars"
	else
		fail "sample_${env}_sidecars" "missing or incomplete .meta / .host.tsv"
	fi
done
if [ -x "$HVB_BIN/analyze" ]; then
	out=$("$HVB_BIN/analyze" --text "$S" 2>"$T_TMP/err")
	rc=$?
	envs=$(printf '%s\n' "$out" | grep '^environments: ')
	if [ "$rc" = 0 ] && printf '%s\n' "$out" | grep -q ', 0 rejected' && [[ $envs == *"host ("* ]] &&
		[[ $envs == *"qemu-tcg ("* ]] && [[ $envs == *"container ("* ]]; then
		pass sample_analyzes
	else
		fail sample_analyzes "analyze exit $rc: $(head -c 300 "$T_TMP/err") $(printf '%s' "$out" | head -n 3)"
	fi
else
	skip sample_analyzes "no $HVB_BIN/analyze built"
fi
t_done
