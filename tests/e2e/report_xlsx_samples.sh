#!/bin/bash
# report_xlsx_samples.sh - the XLSX Samples sheet past --xlsx-samples N
# (the sheet's size stays bounded): each series, and the rows of no
# series (fail rows), get the
# same share, the largest that fits N, so a small series is whole and a big
# one is an even sample over all its rows (its first and last kept); the
# header row says how many of how many; `all` keeps every row, without the
# note; a bad value is a usage error (exit 2) that names the option.
# Read back with openpyxl (python3-openpyxl).
source "$(dirname "$0")/../lib.sh"
A=$HVB_BIN/analyze
if ! have_openpyxl; then
	skip report_xlsx_samples "$NO_OPENPYXL"
	t_done
fi
# host and kvm: a metric of 500 reps and one of 5 each, and 10 fail rows:
# 1,020 rows.  With N = 100 the shares are 5, 5, 10 (whole) and 40 of each
# 500-rep series (100 - 20 left for two).
mkdir -p "$T_TMP/c"
awk 'BEGIN {
	print "schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note"
	for (e = 0; e < 2; e++) {
		env = e ? "kvm" : "host"; virt = e ? "kvm" : "none"
		for (r = 1; r <= 500; r++)
			printf "hvb1,%s-1,2026-11-21T23:00:00Z,%s,%s,none,m,membench,,copy_mib_s,MiB/s,higher,%d,%d,ok,\n", env, env, virt, r, 1000 + r
		for (r = 1; r <= 5; r++)
			printf "hvb1,%s-1,2026-11-21T23:00:00Z,%s,%s,none,m,cpubench,,events_per_s,1/s,higher,%d,%d,ok,\n", env, env, virt, r, 50 + r
		for (r = 1; r <= 5; r++)
			printf "hvb1,%s-1,2026-11-21T23:00:00Z,%s,%s,none,m,netbench,,send_gbit_s,Gbit/s,higher,%d,,fail,connection refused\n", env, env, virt, r
	}
}' >"$T_TMP/c/c.csv"

for n in 100 all; do
	"$A" -q --xlsx "$T_TMP/s$n.xlsx" --xlsx-samples "$n" --summary-csv /dev/null "$T_TMP/c" 2>"$T_TMP/err$n"; rc=$?
	[ "$rc" = 0 ] && pass "xlsx_samples_${n}_exit_0" || fail "xlsx_samples_${n}_exit_0" "exit $rc: $(head -c 300 "$T_TMP/err$n")"
done

"$PY" - "$T_TMP/s100.xlsx" "$T_TMP/sall.xlsx" <<'EOF' || fail xlsx_samples_reader "the openpyxl check crashed (traceback above)"
import sys, collections, openpyxl
def res(name, ok, why=""):
    print(f"PASS {name}" if ok else f"FAIL {name}: {why}")
def sheet(path):
    ws = openpyxl.load_workbook(path)["Samples"]
    rows = list(ws.iter_rows(values_only=True))
    head = rows[0]
    col = {h: i for i, h in enumerate(head) if h}
    return head, [r for r in rows[1:] if any(v is not None for v in r[:17])], col
head, rows, col = sheet(sys.argv[1])
res("xlsx_samples_100_rows", len(rows) == 100, f"{len(rows)} data rows")
by = collections.defaultdict(list)
for r in rows:
    by[(r[col["env"]], r[col["metric"]], r[col["status"]])].append(r[col["rep"]])
want = {("host", "copy_mib_s", "ok"): 40, ("kvm", "copy_mib_s", "ok"): 40,
        ("host", "events_per_s", "ok"): 5, ("kvm", "events_per_s", "ok"): 5,
        ("host", "send_gbit_s", "fail"): 5, ("kvm", "send_gbit_s", "fail"): 5}
got = {k: len(v) for k, v in by.items()}
res("xlsx_samples_100_shares", got == want, f"{got}")
reps = sorted(by[("host", "copy_mib_s", "ok")])
# an even pick of 40 of 500: every 12th or 13th, the last rep kept
gaps = {b - a for a, b in zip(reps, reps[1:])}
res("xlsx_samples_100_even", reps and reps[-1] == 500 and reps[0] <= 13 and gaps <= {12, 13},
    f"reps {reps[:5]}...{reps[-3:]}, gaps {sorted(gaps)}")
note = "100 of the 1020 rows read: an even sample of each series (analyze --xlsx-samples N|all); the result CSVs hold every row"
res("xlsx_samples_100_note", note in head, f"header {head}")
head, rows, col = sheet(sys.argv[2])
res("xlsx_samples_all_rows", len(rows) == 1020, f"{len(rows)} data rows")
# The columns: the CSV's, less schema, and less virt, container and host,
# which are the environment's (its row in the Environments sheet).
cols = ["file", "line", "run", "time", "env", "bench", "params", "metric", "unit", "better",
        "rep", "value", "status", "note"]
res("xlsx_samples_all_no_note", [h for h in head if h] == cols, f"header {head}")
EOF

for bad in 0 -5 12k 1048576; do
	"$A" -q --xlsx "$T_TMP/bad.xlsx" --xlsx-samples "$bad" "$T_TMP/c" >/dev/null 2>"$T_TMP/e"; rc=$?
	want="analyze: --xlsx-samples $bad: expected a number of rows from 1 to 1048575, or all"
	[ "$rc" = 2 ] && [ "$(cat "$T_TMP/e")" = "$want" ] && [ ! -e "$T_TMP/bad.xlsx" ] && pass "xlsx_samples_bad_$bad" \
		|| fail "xlsx_samples_bad_$bad" "exit $rc, stderr '$(cat "$T_TMP/e")'"
done
"$A" -q --xlsx "$T_TMP/bad.xlsx" --xlsx-samples '' "$T_TMP/c" >/dev/null 2>"$T_TMP/e"; rc=$?
[ "$rc" = 2 ] && [ "$(cat "$T_TMP/e")" = "analyze: option --xlsx-samples: empty value, expected N|all" ] \
	&& pass xlsx_samples_bad_empty || fail xlsx_samples_bad_empty "exit $rc, stderr '$(cat "$T_TMP/e")'"
t_done
