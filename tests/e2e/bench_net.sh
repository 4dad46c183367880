#!/bin/bash
# tests/e2e/bench_net.sh - netbench against a real `iperf3 -s` that this test
# starts on a free loopback port (and stops): TCP both ways and UDP, CSV
# checked field by field; a server given but not there -> fail rows naming
# host and port, at once (one per direction, not one per repetition; no
# clock is read: a timeout only guards against a hang); no server given ->
# netbench serves itself on loopback (and stops its server); --server none -> skip rows; a server that accepts but never answers (stopped with SIGSTOP) -> the
# watchdog ends the test with a fail row instead of hanging.
. "$(dirname "$0")/../lib.sh"

NB=$HVB_BIN/netbench
if ! command -v iperf3 >/dev/null; then
	fail net_iperf3 "iperf3 is not installed (bench/deps.txt: iperf3)"
	t_done
fi

# rows FILE: "status|params|metric|value|note" per data row, RFC 4180 quotes
# handled by bench/csv.awk (notes and info texts may hold commas and quotes).
rows() {
	awk -f "$HVB_TOP/bench/csv.awk" -f /dev/stdin "$1" <<'EOF'
	{ print r[col["status"]] "|" r[col["params"]] "|" r[col["metric"]] "|" r[col["value"]] "|" r[col["note"]] }
EOF
}


trap 'stop_iperf3; rm -rf "$T_TMP"' EXIT

if ! start_iperf3; then
	fail net_server_start "iperf3 -s did not start on a loopback port: $(cat "$T_TMP/srv.log")"
	t_done
fi
pass net_server_start

# ---- 1. a real run: TCP send/recv and UDP send/recv, 2 reps each ----
CSV=$T_TMP/net.csv
t0=$SECONDS
"$NB" --server 127.0.0.1 --port "$PORT" --time 1 --omit 1 --reps 2 --warmup 0 \
	--udp --bitrate 50 --env e2e --out "$CSV" 2>"$T_TMP/err"
rc=$?
if [ $rc -eq 0 ]; then pass net_run_exit; else fail net_run_exit "exit $rc: $(head -c 400 "$T_TMP/err")"; fi
rows "$CSV" >"$T_TMP/rows"
head -1 "$CSV" | grep -q '^schema,run,time,env,virt,container,host,bench,params,metric,unit,better,rep,value,status,note$' &&
	pass net_header || fail net_header "$(head -1 "$CSV")"
nfail=$(grep -c '^fail|' "$T_TMP/rows")
[ "$nfail" -eq 0 ] && pass net_no_fail_rows || fail net_no_fail_rows "$(grep '^fail|' "$T_TMP/rows" | head -3)"

TCP_S='dir=send;omit=1;proto=tcp;streams=1;time=1'
TCP_R='dir=recv;omit=1;proto=tcp;streams=1;time=1'
UDP_S='bitrate_mbit=50;dir=send;omit=1;proto=udp;streams=1;time=1'
UDP_R='bitrate_mbit=50;dir=recv;omit=1;proto=udp;streams=1;time=1'
# vals PARAMS METRIC: the ok values of one series.
vals() { awk -F'|' -v p="$1" -v m="$2" '$1 == "ok" && $2 == p && $3 == m { print $4 }' "$T_TMP/rows"; }
# expect NAME PARAMS METRIC MIN MAX: exactly 2 ok values, each in [MIN, MAX].
expect() {
	local v n bad
	v=$(vals "$2" "$3")
	n=$(printf '%s\n' "$v" | grep -c .)
	bad=$(printf '%s\n' "$v" | awk -v lo="$4" -v hi="$5" 'NF && !($1 + 0 >= lo && $1 + 0 <= hi)')
	if [ "$n" -eq 2 ] && [ -z "$bad" ]; then pass "$1"; else fail "$1" "want 2 values in [$4, $5], got: $(echo $v)"; fi
}
# Loopback TCP moves well over 100 Mbit/s even under ASan; UDP must hit its 50 Mbit/s target.
expect net_tcp_send_bps "$TCP_S" bits_per_s 1e8 1e12
expect net_tcp_recv_bps "$TCP_R" bits_per_s 1e8 1e12
expect net_udp_send_bps "$UDP_S" bits_per_s 4e7 6e7
expect net_udp_recv_bps "$UDP_R" bits_per_s 4e7 6e7
expect net_tcp_send_retr "$TCP_S" retransmits 0 1e9
expect net_tcp_recv_retr "$TCP_R" retransmits 0 1e9
expect net_udp_send_jitter "$UDP_S" jitter_ms 0 100
expect net_udp_recv_lost "$UDP_R" lost_pct 0 100
for s in tcp_send:$TCP_S tcp_recv:$TCP_R udp_send:$UDP_S udp_recv:$UDP_R; do
	expect "net_cpu_client_${s%%:*}" "${s#*:}" cpu_client_pct 0 400
	expect "net_cpu_server_${s%%:*}" "${s#*:}" cpu_server_pct 0 400
done
# Units and directions as csv-format.md wants them.
grep -q ",$TCP_S,bits_per_s,bit/s,higher,1," "$CSV" && pass net_units_bps || fail net_units_bps "no bits_per_s,bit/s,higher row"
grep -q ",$UDP_S,jitter_ms,ms,lower,1," "$CSV" && pass net_units_jitter || fail net_units_jitter "no jitter_ms,ms,lower row"
grep -q '^info|.*|iperf_server||127.0.0.1:'"$PORT"'$' "$T_TMP/rows" && pass net_info_server || fail net_info_server "no iperf_server info row"
grep -q '^info|.*|libiperf_version||3\.' "$T_TMP/rows" && pass net_info_libiperf || fail net_info_libiperf "no libiperf_version info row"
grep -q '^info|.*|cpu_model|' "$T_TMP/rows" && pass net_info_env || fail net_info_env "no environment info rows"
# The server saw our tests: it logs one "Accepted connection" per test.
acc=$(grep -c "Accepted connection" "$T_TMP/srv.log")
[ "$acc" -eq 8 ] && pass net_server_saw_tests || fail net_server_saw_tests "server accepted $acc tests, want 8"
echo "real run: $((SECONDS - t0)) s"

# ---- 2. server from the environment (HVB_IPERF_SERVER / HVB_IPERF_PORT) ----
CSV2=$T_TMP/env.csv
HVB_IPERF_SERVER=127.0.0.1 HVB_IPERF_PORT=$PORT "$NB" --time 1 --reps 1 --warmup 0 --dir recv --out "$CSV2" 2>/dev/null
rc=$?
n=$(rows "$CSV2" | grep -c "^ok|$TCP_R|bits_per_s|")
[ $rc -eq 0 ] && [ "$n" -eq 1 ] && ! rows "$CSV2" | grep -q "proto=tcp;.*dir=send\|^ok|dir=send" &&
	pass net_env_server || fail net_env_server "exit $rc, $n recv rows"

# ---- 3. a server that accepts but never answers: watchdog, fail row, no hang ----
kill -STOP "$SRV_PID"
# `timeout` only guards against a hang (124): the note proves the watchdog.
timeout 120 "$NB" --server 127.0.0.1 --port "$PORT" --time 1 --omit 0 --reps 3 --warmup 0 --dir send \
	--connect-timeout 500 --out "$T_TMP/stopped.csv" 2>/dev/null
rc=$?
note=$(rows "$T_TMP/stopped.csv" | awk -F'|' '$1 == "fail" { print $5 }')
nf=$(rows "$T_TMP/stopped.csv" | grep -c '^fail|')
if [ $rc -eq 1 ] && [ "$nf" -eq 1 ] && [[ $note == *"127.0.0.1 port $PORT"*"no result within"* ]]; then
	pass net_silent_server_watchdog
else
	fail net_silent_server_watchdog "exit $rc (124: hung), $nf fail rows, note: $note"
fi
stop_iperf3

# ---- 4. no server at all: fail rows naming host and port, one per direction ----
P2=$(free_port)
timeout 120 "$NB" --server 127.0.0.1 --port "$P2" --reps 5 --out "$T_TMP/none.csv" 2>/dev/null
rc=$?
rows "$T_TMP/none.csv" >"$T_TMP/none.rows"
[ $rc -eq 1 ] && pass net_none_exit || fail net_none_exit "exit $rc, want 1 (HVB_EXIT_FAILED; 124: hung)"
nf=$(grep -c '^fail|' "$T_TMP/none.rows")
nok=$(grep -c '^ok|' "$T_TMP/none.rows")
[ "$nf" -eq 2 ] && [ "$nok" -eq 0 ] && pass net_none_rows || fail net_none_rows "$nf fail rows, $nok ok rows (want 2, 0)"
grep -q "^fail|dir=send;.*|bits_per_s||.*127\.0\.0\.1 port $P2: .*Connection refused" "$T_TMP/none.rows" &&
	pass net_none_note || fail net_none_note "$(grep '^fail' "$T_TMP/none.rows" | head -1)"

# ---- 5. no server given: netbench serves itself on loopback, then stops it ----
t0=$SECONDS
env -u HVB_IPERF_SERVER -u HVB_IPERF_PORT "$NB" --time 1 --reps 2 --warmup 0 --out "$T_TMP/self.csv" 2>"$T_TMP/self.err"
rc=$?
rows "$T_TMP/self.csv" >"$T_TMP/self.rows"
nok=$(grep -c '^ok|dir=.*|bits_per_s|' "$T_TMP/self.rows")
nf=$(grep -c '^fail|' "$T_TMP/self.rows")
[ $rc -eq 0 ] && [ "$nok" -eq 4 ] && [ "$nf" -eq 0 ] && pass net_self_serve ||
	fail net_self_serve "exit $rc, $nok ok bits_per_s rows (want 4), $nf fail rows: $(head -c 300 "$T_TMP/self.err")"
sport=$(awk -F'|' '$3 == "iperf_server" { print $5 }' "$T_TMP/self.rows")
case $sport in
"self 127.0.0.1:"[0-9]*) pass net_self_info_row ;;
*) fail net_self_info_row "iperf_server info '$sport', want 'self 127.0.0.1:PORT'" ;;
esac
sport=${sport##*:}
if [ -n "$sport" ] && ss -Hltn "sport = :$sport" 2>/dev/null | grep -q .; then
	fail net_self_server_stopped "something still listens on the self-serve port $sport"
else
	pass net_self_server_stopped
fi
echo "self-serve: $((SECONDS - t0)) s, bits/s: $(awk -F'|' '$1 == "ok" && $3 == "bits_per_s" { printf "%s ", $4 }' "$T_TMP/self.rows")"
# --server none: skip rows saying why, exit 0 (a guest with no way to the host).
"$NB" --server none --out "$T_TMP/nosrv.csv" 2>/dev/null
rc=$?
ns=$(rows "$T_TMP/nosrv.csv" | grep -c '^skip|dir=.*|bits_per_s||no iperf3 server')
[ $rc -eq 0 ] && [ "$ns" -eq 2 ] && pass net_server_none_skips || fail net_server_none_skips "exit $rc, $ns skip rows"

# ---- 6. bad option values are usage errors, nothing measured ----
"$NB" --dir sideways --out "$T_TMP/bad.csv" 2>"$T_TMP/bad.err"
rc=$?
[ $rc -eq 2 ] && [ ! -e "$T_TMP/bad.csv" ] && grep -q 'sideways' "$T_TMP/bad.err" && pass net_bad_dir || fail net_bad_dir "exit $rc (want 2, no --out file): $(cat "$T_TMP/bad.err")"
"$NB" --port 70000 2>/dev/null >/dev/null
rc=$?
[ $rc -eq 2 ] && pass net_bad_port || fail net_bad_port "exit $rc, want 2"
t_done
