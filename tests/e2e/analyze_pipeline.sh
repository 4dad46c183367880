#!/bin/bash
# analyze_pipeline.sh - the real pipeline: the static benchmarks write hvb1
# CSVs for two environments (the same machine labelled "host" and "kvm"),
# the analyzer reads them as they are, gzip-compressed, and concatenated
# into one file; all three must give the same summary.  The model's SHA-256
# of each file must match sha256sum's.
. "$(dirname "$0")/../lib.sh"
A=$HVB_BIN/analyze
D=$T_TMP/data
mkdir -p "$D/host" "$D/kvm"
for e in host kvm; do
	for b in nullbench forkbench pipebench; do
		"$HVB_STATIC_BIN/$b" --quick --reps 4 --env "$e" > "$D/$e/$b.csv" 2>/dev/null \
			|| { fail "analyze-pipeline-run-$b" "$b --quick failed for $e"; }
	done
done

"$A" -q --summary-csv "$T_TMP/s1.csv" --json "$T_TMP/m.json" "$D" 2>"$T_TMP/err"; rc=$?
[ $rc = 0 ] && pass analyze-pipeline-real-csv || fail analyze-pipeline-real-csv "rc $rc: $(head -3 "$T_TMP/err")"
[ "$(jq '.rejected | length' "$T_TMP/m.json")" = 0 ] && pass analyze-pipeline-no-rejects \
	|| fail analyze-pipeline-no-rejects "$(jq -c '.rejected[0]' "$T_TMP/m.json")"
[ "$(jq -r .baseline "$T_TMP/m.json")" = host ] && pass analyze-pipeline-baseline \
	|| fail analyze-pipeline-baseline "baseline $(jq -r '.baseline + " (" + .baseline_why + ")"' "$T_TMP/m.json")"
n=$(jq '[.metrics[] | select(.bench == "forkbench") | .series | length] | min' "$T_TMP/m.json")
[ "$n" = 2 ] && pass analyze-pipeline-both-envs || fail analyze-pipeline-both-envs "forkbench metrics with $n envs"
r=$(jq '[.metrics[].series[] | select(.env == "kvm" and .compared) | .ratio] | length' "$T_TMP/m.json")
[ "$r" -gt 0 ] && pass analyze-pipeline-ratios || fail analyze-pipeline-ratios "no kvm ratio"
f=$(jq -r '.files[] | select(.path | endswith("host/forkbench.csv")) | .sha256' "$T_TMP/m.json")
[ "$f" = "$(sha256sum < "$D/host/forkbench.csv" | cut -d' ' -f1)" ] && pass analyze-pipeline-sha256 \
	|| fail analyze-pipeline-sha256 "model $f"
facts=$(jq -r '.envs[] | select(.env == "host") | [.cpu_model, .kernel, .clocksource] | map(. != null) | all' "$T_TMP/m.json")
[ "$facts" = true ] && pass analyze-pipeline-env-facts || fail analyze-pipeline-env-facts "$(jq -c '.envs[0]' "$T_TMP/m.json")"

# Same data, gzip-compressed.
cp -r "$D" "$T_TMP/gz"
gzip "$T_TMP"/gz/*/*.csv
"$A" -q --summary-csv "$T_TMP/s2.csv" "$T_TMP/gz"; rc=$?
[ $rc = 0 ] && cmp -s "$T_TMP/s1.csv" "$T_TMP/s2.csv" && pass analyze-pipeline-gzip-same \
	|| fail analyze-pipeline-gzip-same "rc $rc; $(diff "$T_TMP/s1.csv" "$T_TMP/s2.csv" | head -3)"

# Same data, every file concatenated into one with cat (repeated headers).
cat "$D"/*/*.csv > "$T_TMP/all.csv"
"$A" -q --summary-csv "$T_TMP/s3.csv" "$T_TMP/all.csv"; rc=$?
[ $rc = 0 ] && cmp -s "$T_TMP/s1.csv" "$T_TMP/s3.csv" && pass analyze-pipeline-concat-same \
	|| fail analyze-pipeline-concat-same "rc $rc; $(diff "$T_TMP/s1.csv" "$T_TMP/s3.csv" | head -3)"
t_done
