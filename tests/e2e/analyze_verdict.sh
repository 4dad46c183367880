#!/bin/bash
# analyze_verdict.sh - the verdict counts what the scoring profile says and
# nothing else: on the shipped sample campaign and on generated
# fixtures, through the real bin/analyze and its JSON.
#  - sample: qemu-tcg last in network and overall; every score has a finite
#    CI; no scored series rests on fewer than 2 samples; no metric unnamed;
#  - a diagnostic metric x1000 for one environment changes no score;
#  - two machines: each guest against its own host, pooled per hypervisor,
#    invariant to file order and to renaming the environments;
#  - --profile, --seed, --resamples, --group: their effect and their errors.
. "$(dirname "$0")/../lib.sh"
A=$HVB_BIN/analyze
S=$HVB_TOP/data/sample
J=$T_TMP/s.json

if "$A" -q --json "$J" "$S" 2>"$T_TMP/err"; then pass verdict-sample-runs
else fail verdict-sample-runs "exit $?: $(head -3 "$T_TMP/err")"; fi

last_in() { # category env: env has the highest rank number among complete scores
	jq -e --arg c "$1" --arg e "$2" '[.scores[] | select(.category==$c and .complete)] |
		(max_by(.rank) | .env) == $e and ([.[] | select(.env==$e)][0].rank_tied | not)' "$J" >/dev/null
}
last_in network qemu-tcg && pass verdict-sample-qemu-last-network ||
	fail verdict-sample-qemu-last-network "$(jq -c '[.scores[] | select(.category=="network") | {env,geomean,rank}]' "$J")"
last_in overall qemu-tcg && pass verdict-sample-qemu-last-overall ||
	fail verdict-sample-qemu-last-overall "$(jq -c '[.scores[] | select(.category=="overall") | {env,geomean,rank}]' "$J")"
n=$(jq '[.scores[] | select((.lo|type)!="number" or (.hi|type)!="number" or .lo > .geomean or .hi < .geomean)] | length' "$J")
t=$(jq '.scores | length' "$J")
[ "$n" = 0 ] && [ "$t" -ge 18 ] && pass "verdict-sample-every-score-has-a-ci ($t scores)" ||
	fail verdict-sample-every-score-has-a-ci "$n of $t scores without a finite CI around the score"
n=$(jq '[.metrics[].series[] | select(.scored and .n < 2)] | length' "$J")
[ "$n" = 0 ] && pass verdict-sample-no-n1-series-scored || fail verdict-sample-no-n1-series-scored "$n scored series with n < 2"
n=$(jq '[.metrics[] | select(.role=="not scored")] | length' "$J")
[ "$n" = 0 ] && pass verdict-sample-every-metric-named || fail verdict-sample-every-metric-named "$n metrics not named by the profile"
# The diagnostics that made qemu-tcg "win" before are never scored.
r=$(jq -r '[.metrics[] | select(.bench=="netbench" and (.metric=="retransmits" or .metric=="cpu_server_pct")) | .role] | unique | join(",")' "$J")
[ "$r" = diagnostic ] && pass verdict-sample-retransmits-diagnostic || fail verdict-sample-retransmits-diagnostic "roles '$r'"
w=$(jq -r '[.warnings[] | select(.touches_score and .kind=="scoring" and .env=="qemu-tcg")][0].message' "$J")
case "$w" in *"memory latency under emulation"*"left out of the memory score"*) pass verdict-sample-latency-exclusion-named ;;
*) fail verdict-sample-latency-exclusion-named "got '$w'" ;; esac
n=$(jq '[.warnings[] | select(.env == null or (.env as $e | .message | contains($e) | not))] | length' "$J")
[ "$n" = 0 ] && pass verdict-sample-warnings-name-their-env || fail verdict-sample-warnings-name-their-env "$n warnings without their env in the message"
n=$(jq '[.warnings[] | select(.message | test("host host"))] | length' "$J")
[ "$n" = 0 ] && pass verdict-sample-no-host-host || fail verdict-sample-no-host-host "$n"

# ---- a diagnostic metric x1000 for one environment changes no score
mkdir -p "$T_TMP/x1000"
python3 - "$S" "$T_TMP/x1000" <<'EOF' || fail verdict-x1000-prepare "python failed"
import csv, glob, os, sys
src, dst = sys.argv[1], sys.argv[2]
# The copy has no plan record: leave out the runs the plan re-ran (its
# 'rerun' lines), as the analyzer does with the record.
rerun = {os.path.basename(l.split()[3]) for f in glob.glob(os.path.join(src, "*.plan"))
         for l in open(f) if l.startswith("rerun ")}
for p in glob.glob(os.path.join(src, "*", "*.csv")):
    if os.path.basename(p) in rerun:
        continue
    out = os.path.join(dst, os.path.basename(os.path.dirname(p)))
    os.makedirs(out, exist_ok=True)
    with open(p, newline="") as f, open(os.path.join(out, os.path.basename(p)), "w", newline="") as g:
        r, w = csv.reader(f), csv.writer(g, lineterminator="\n")
        head = next(r); w.writerow(head); k = {c: i for i, c in enumerate(head)}
        for row in r:
            if (row[k["env"]] == "qemu-tcg" and row[k["status"]] == "ok" and
                    row[k["metric"]] in ("retransmits", "cpu_server_pct", "fork_us", "rtt_p99_us")):
                row[k["value"]] = repr(float(row[k["value"]]) * 1000)
            w.writerow(row)
EOF
"$A" -q --json "$T_TMP/x.json" "$T_TMP/x1000" 2>"$T_TMP/err"
a=$(jq -cS '.scores' "$J"); b=$(jq -cS '.scores' "$T_TMP/x.json")
[ -n "$a" ] && [ "$a" = "$b" ] && pass verdict-sample-diagnostic-x1000-changes-no-score ||
	fail verdict-sample-diagnostic-x1000-changes-no-score "scores differ: $(diff <(echo "$a" | jq .) <(echo "$b" | jq .) | head -5)"

# ---- renaming environments and reordering rows changes no score
mkdir -p "$T_TMP/renamed"
python3 - "$S" "$T_TMP/renamed" <<'EOF'
import csv, glob, os, sys
src, dst = sys.argv[1], sys.argv[2]
names = {"container": "zz-ctr", "qemu-tcg": "aa-tcg"}
rerun = {os.path.basename(l.split()[3]) for f in glob.glob(os.path.join(src, "*.plan"))
         for l in open(f) if l.startswith("rerun ")}
for p in glob.glob(os.path.join(src, "*", "*.csv")):
    if os.path.basename(p) in rerun:
        continue
    with open(p, newline="") as f:
        r = csv.reader(f); head = next(r); rows = list(r)
    k = head.index("env")
    for row in rows:
        row[k] = names.get(row[k], row[k])
    rows.reverse()
    with open(os.path.join(dst, "r-" + os.path.basename(p)), "w", newline="") as g:
        w = csv.writer(g, lineterminator="\n"); w.writerow(head); w.writerows(rows)
EOF
"$A" -q --no-sidecars --json "$T_TMP/rn.json" "$T_TMP/renamed" 2>"$T_TMP/err"
"$A" -q --no-sidecars --json "$T_TMP/or.json" "$S" 2>>"$T_TMP/err"
canon() { jq -cS '[.scores[] | {category, env: ({"zz-ctr": "container", "aa-tcg": "qemu-tcg"}[.env] // .env), geomean, lo, hi, rank, complete}] | sort_by(.category, .env)' "$1"; }
[ -n "$(canon "$T_TMP/or.json")" ] && [ "$(canon "$T_TMP/or.json")" = "$(canon "$T_TMP/rn.json")" ] &&
	pass verdict-sample-invariant-to-names-and-order ||
	fail verdict-sample-invariant-to-names-and-order "$(diff <(canon "$T_TMP/or.json" | jq .) <(canon "$T_TMP/rn.json" | jq .) | head -6)"

# ---- two machines: a fast server and a slow laptop, a kvm guest on each
gen() { # DIR LABEL-OF-GUEST-A LABEL-OF-GUEST-B ORDER(fwd|rev)
	python3 - "$@" <<'EOF'
import sys, os, random
d, ga, gb, order = sys.argv[1:5]
os.makedirs(d, exist_ok=True)
H = "schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note"
# (env, virt, host, machine row, speed): server 2x the laptop; guest 0.9 of
# its host on the server, 0.5 on the laptop.
envs = [("host-a", "none", "server", None, 2.0), (ga, "kvm", "vma", "server", 1.8),
        ("host-b", "none", "laptop", None, 1.0), (gb, "kvm", "vmb", "laptop", 0.5)]
rows = []
for k, (env, virt, host, mach, sp) in enumerate(envs):
    run = f"{host}-1-{len(rows)}"
    if mach:
        rows.append(f"hvb1,{run},2026-11-21T00:00:00Z,{env},{virt},none,{host},hvbench,,machine,,,,,info,{mach}")
    for r in range(1, 6):
        j = 1 + 0.01 * ((r * 7 + k) % 5)
        rows.append(f"hvb1,{run},2026-11-21T00:00:0{r}Z,{env},{virt},none,{host},cpubench,kernel=int;threads=1,events_per_s,1/s,higher,{r},{1000*sp*j!r},ok,")
        rows.append(f"hvb1,{run},2026-11-21T00:00:0{r}Z,{env},{virt},none,{host},forkbench,end=1024;start=1,forks_per_s,1/s,higher,{r},{5000*sp*j!r},ok,")
        rows.append(f"hvb1,{run},2026-11-21T00:00:0{r}Z,{env},{virt},none,{host},forkbench,end=1024;start=1,fork_us,us,lower,{r},{200/(sp*j)!r},ok,")
if order == "rev":
    rows.reverse()
with open(os.path.join(d, "all.csv"), "w") as f:
    f.write(H + "\n" + "\n".join(rows) + "\n")
EOF
}
gen "$T_TMP/m1" kvm-server kvm-laptop fwd
gen "$T_TMP/m2" vm-server vm-laptop rev
"$A" -q --json "$T_TMP/m1.json" "$T_TMP/m1" 2>"$T_TMP/err" || fail verdict-machines-runs "exit $?: $(head -3 "$T_TMP/err")"
"$A" -q --json "$T_TMP/m2.json" "$T_TMP/m2" 2>>"$T_TMP/err" || fail verdict-machines-runs-renamed "exit $?: $(head -3 "$T_TMP/err")"
ratio() { jq -r --arg e "$2" '.metrics[] | select(.metric=="events_per_s") | .series[] | select(.env==$e) | .ratio' "$1"; }
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d < 1e-9) }'; }
near "$(ratio "$T_TMP/m1.json" kvm-server)" 0.9 && pass verdict-machines-guest-a-against-its-host ||
	fail verdict-machines-guest-a-against-its-host "ratio $(ratio "$T_TMP/m1.json" kvm-server), want 0.9"
near "$(ratio "$T_TMP/m1.json" kvm-laptop)" 0.5 && pass verdict-machines-guest-b-against-its-host ||
	fail verdict-machines-guest-b-against-its-host "ratio $(ratio "$T_TMP/m1.json" kvm-laptop), want 0.5"
b=$(jq -r '[.envs[] | "\(.env)>\(.baseline)@\(.machine)"] | join(" ")' "$T_TMP/m1.json")
[ "$b" = "host-a>host-a@server host-b>host-b@laptop kvm-laptop>host-b@laptop kvm-server>host-a@server" ] &&
	pass verdict-machines-baselines || fail verdict-machines-baselines "$b"
g=$(jq -r '.group_scores[] | select(.category=="overall") | "\(.group) \(.n_machines) \(.geomean)"' "$T_TMP/m1.json")
set -- $g
[ "${1:-}" = kvm ] && [ "${2:-}" = 2 ] && near "${3:-}" "$(awk 'BEGIN { printf "%.17g", sqrt(0.9 * 0.5) }')" &&
	pass verdict-machines-pooled-kvm || fail verdict-machines-pooled-kvm "got '$g', want kvm 2 $(awk 'BEGIN { print sqrt(0.9 * 0.5) }')"
key() { jq -cS '[.scores[] | {category, machine, geomean, lo, hi, rank, complete}] | sort_by(.category, .machine, .geomean)' "$1"; }
[ "$(key "$T_TMP/m1.json")" = "$(key "$T_TMP/m2.json")" ] && pass verdict-machines-invariant-to-order-and-names ||
	fail verdict-machines-invariant-to-order-and-names "$(diff <(key "$T_TMP/m1.json" | jq .) <(key "$T_TMP/m2.json" | jq .) | head -6)"
"$A" -q --text "$T_TMP/m1" > "$T_TMP/m1.txt" 2>&1
grep -q "pooled across machines" "$T_TMP/m1.txt" && grep -q "Baseline per machine (2 machines)" "$T_TMP/m1.txt" &&
	pass verdict-machines-text-says-so || fail verdict-machines-text-says-so "$(grep -n machine "$T_TMP/m1.txt" | head -3)"
# --group pools under another name
"$A" -q --json "$T_TMP/g.json" --group kvm-server=hv,kvm-laptop=hv "$T_TMP/m1" 2>"$T_TMP/err"
g=$(jq -r '[.group_scores[] | select(.category=="overall") | .group] | join(",")' "$T_TMP/g.json")
[ "$g" = hv ] && pass verdict-group-option || fail verdict-group-option "groups '$g'"

# ---- one machine: an env of unknown machine belongs to it (as before)
mkdir -p "$T_TMP/one"
grep -v ",machine," "$T_TMP/m1/all.csv" | grep -v "host-b\|kvm-laptop" > "$T_TMP/one/a.csv"
"$A" -q --json "$T_TMP/one.json" "$T_TMP/one" 2>"$T_TMP/err"
near "$(ratio "$T_TMP/one.json" kvm-server)" 0.9 && [ "$(jq .scoring.machines "$T_TMP/one.json")" = 1 ] &&
	pass verdict-one-machine-as-before || fail verdict-one-machine-as-before "$(jq -c .scoring "$T_TMP/one.json" | head -c 300)"

# ---- --profile: a copy with network weighted 0 leaves network out of overall
sed 's/^category network  1$/category network  0/' "$HVB_TOP/analyze/default.profile" > "$T_TMP/p.profile"
"$A" -q --json "$T_TMP/p.json" --profile "$T_TMP/p.profile" "$S" 2>"$T_TMP/err"
o1=$(jq '[.scores[] | select(.category=="overall" and .env=="qemu-tcg")][0].n_metrics' "$J")
o2=$(jq '[.scores[] | select(.category=="overall" and .env=="qemu-tcg")][0].n_metrics' "$T_TMP/p.json")
[ "$o1" = 26 ] && [ "$o2" = 24 ] && pass verdict-profile-weight-0 || fail verdict-profile-weight-0 "overall metrics $o1 -> $o2, want 26 -> 24"
printf 'category cpu 1\ncpubench events_per_s * headline disk 1\n' > "$T_TMP/bad.profile"
"$A" -q --text --profile "$T_TMP/bad.profile" "$S" >/dev/null 2>"$T_TMP/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$T_TMP/err")" = "analyze: $T_TMP/bad.profile:2: category 'disk' is not declared above (add 'category disk 1')" ] &&
	pass verdict-profile-error || fail verdict-profile-error "exit $rc: $(cat "$T_TMP/err")"
"$A" -q --text --profile "$T_TMP/nonexistent" "$S" >/dev/null 2>"$T_TMP/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$T_TMP/err")" = "analyze: --profile $T_TMP/nonexistent: No such file or directory" ] &&
	pass verdict-profile-missing || fail verdict-profile-missing "exit $rc: $(cat "$T_TMP/err")"
# the whole file is read (az_read_file): 16 MiB is the limit, a directory and
# a NUL byte are named
head -c $((16 << 20)) /dev/zero | tr '\0' '#' >"$T_TMP/big.profile"
printf 'x' >>"$T_TMP/big.profile"
mkdir -p "$T_TMP/dir.profile"
printf 'category cpu 1\n\0' >"$T_TMP/nul.profile"
for c in "big:larger than 16 MiB: not a scoring profile" "dir:Is a directory" "nul:binary data: not a scoring profile"; do
	"$A" -q --text --profile "$T_TMP/${c%%:*}.profile" "$S" >/dev/null 2>"$T_TMP/err"; rc=$?
	[ $rc = 2 ] && [ "$(cat "$T_TMP/err")" = "analyze: --profile $T_TMP/${c%%:*}.profile: ${c#*:}" ] &&
		pass "verdict-profile-${c%%:*}" || fail "verdict-profile-${c%%:*}" "exit $rc: $(cat "$T_TMP/err")"
done
# exactly 16 MiB is read whole: its error is about what it says, not its size
head -c $((16 << 20)) "$T_TMP/big.profile" >"$T_TMP/max.profile"
"$A" -q --text --profile "$T_TMP/max.profile" "$S" >/dev/null 2>"$T_TMP/err"
if grep -q 'larger than' "$T_TMP/err"; then fail verdict-profile-16mib "$(head -c 200 "$T_TMP/err")"; else pass verdict-profile-16mib; fi

# ---- --seed: same seed, same CIs; another seed moves CIs, not scores
"$A" -q --json "$T_TMP/s1.json" "$S" 2>/dev/null
"$A" -q --json "$T_TMP/s7.json" --seed 7 "$S" 2>/dev/null
[ "$(jq -cS .scores "$T_TMP/s1.json")" = "$(jq -cS .scores "$J")" ] && pass verdict-seed-repeatable || fail verdict-seed-repeatable "two runs differ"
a=$(jq -c '[.scores[].geomean]' "$J"); b=$(jq -c '[.scores[].geomean]' "$T_TMP/s7.json")
c=$(jq -c '[.scores[].lo]' "$J"); d=$(jq -c '[.scores[].lo]' "$T_TMP/s7.json")
[ "$a" = "$b" ] && [ "$c" != "$d" ] && pass verdict-seed-moves-ci-only || fail verdict-seed-moves-ci-only "geomeans equal: $([ "$a" = "$b" ] && echo y), CIs differ: $([ "$c" != "$d" ] && echo y)"
"$A" -q --text --resamples 10 "$S" >/dev/null 2>"$T_TMP/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$T_TMP/err")" = "analyze: --resamples 10: expected an integer from 200 to 100000" ] &&
	pass verdict-resamples-range || fail verdict-resamples-range "exit $rc: $(cat "$T_TMP/err")"
"$A" -q --text --group kvm "$S" >/dev/null 2>"$T_TMP/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$T_TMP/err")" = "analyze: --group kvm: expected ENV=NAME[,ENV=NAME...]" ] &&
	pass verdict-group-syntax || fail verdict-group-syntax "exit $rc: $(cat "$T_TMP/err")"

# ---- an exclusion that applies to the baseline's environment only: the
# other environment's series has no counted baseline series: left out, no crash
mkdir -p "$T_TMP/tb"
{ echo "schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note"
  for e in "tcgbase qemu-tcg" "other kvm"; do set -- $e; for r in 1 2 3; do
	echo "hvb1,r-$1,2026-11-21T00:00:0${r}Z,$1,$2,none,h,membench,level=dram,latency_ns,ns,lower,$r,$((100 + r)),ok,"
	echo "hvb1,r-$1,2026-11-21T00:00:0${r}Z,$1,$2,none,h,cpubench,k=1,events_per_s,1/s,higher,$r,$((100 + r)),ok,"
  done; done; } > "$T_TMP/tb/a.csv"
"$A" -q --baseline tcgbase --json "$T_TMP/tb.json" "$T_TMP/tb" 2>"$T_TMP/err"; rc=$?
w=$(jq -r '.metrics[] | select(.metric=="latency_ns") | .series[] | select(.env=="other") | "\(.scored) \(.unscored_why)"' "$T_TMP/tb.json" 2>/dev/null)
[ "$rc" = 0 ] && [ "$w" = "false its baseline's series is not scored there (excluded)" ] &&
	pass verdict-baseline-excluded-series || fail verdict-baseline-excluded-series "exit $rc, '$w'"

# ---- HTML: the verdict says what it counts
"$A" -q -o "$T_TMP/r.html" "$S" 2>"$T_TMP/err"
grep -q "<h3>How the score is made</h3>" "$T_TMP/r.html" && grep -q "hierarchical bootstrap, 2000 resamples (seed 1)" "$T_TMP/r.html" &&
	pass verdict-html-how-scored || fail verdict-html-how-scored "no How the score is made block"
grep -q "memory latency under emulation (TCG) is not comparable" "$T_TMP/r.html" && pass verdict-html-touching-warnings ||
	fail verdict-html-touching-warnings "exclusion not named in the verdict"
t_done
