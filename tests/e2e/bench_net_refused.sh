#!/bin/bash
# bench_net_refused.sh - an iperf3 server that refuses for a moment between
# two tests (iperf3 -s closes and reopens its listening socket; both sample
# campaigns lost the host's first receive test to "Connection refused") costs
# no result: netbench retries a refusal once the server has answered in the
# run.  Reproduced with a real server that is down between tests: a loop of
# one-off servers (`iperf3 -s -1`) restarted 0.5 s after each test.  A server
# never reached still fails at once (one connect, no retries).
. "$(dirname "$0")/../lib.sh"
NB=$HVB_BIN/netbench
command -v iperf3 >/dev/null || { fail net_refused_iperf3 "iperf3 is not installed (bench/deps.txt)"; t_done; }

PORT=$(free_port) || { fail net_refused_port "no free port"; t_done; }
# The restarting server: each one serves one test, exits; the next starts
# 0.5 s later, so a client that comes at once is refused.
( while :; do iperf3 -s -1 -B 127.0.0.1 -p "$PORT" >>"$T_TMP/srv.log" 2>&1; sleep 0.5; done ) &
LOOP=$!
stop_loop() { kill "$LOOP" 2>/dev/null; pkill -f "iperf3 -s -1 -B 127.0.0.1 -p $PORT" 2>/dev/null; wait "$LOOP" 2>/dev/null; }
trap 'stop_loop; rm -rf "$T_TMP"' EXIT
for _ in $(seq 1 50); do grep -q "Server listening" "$T_TMP/srv.log" 2>/dev/null && break; sleep 0.1; done

CSV=$T_TMP/net.csv
"$NB" --server 127.0.0.1 --port "$PORT" --time 1 --omit 0 --reps 2 --warmup 1 --dir both \
	--env e2e --out "$CSV" 2>"$T_TMP/err"
rc=$?
[ "$rc" = 0 ] && pass net_refused_exit_0 || fail net_refused_exit_0 "exit $rc: $(head -c 300 "$T_TMP/err")"
ok=$(csvq "$CSV" 'metric == "bits_per_s" && status == "ok"' | wc -l)
nfail=$(csvq "$CSV" 'status == "fail"' | wc -l)
[ "$ok" = 4 ] && [ "$nfail" = 0 ] && pass net_refused_every_rep \
	|| fail net_refused_every_rep "$ok ok bits_per_s rows (want 4: send and recv x 2 reps), $nfail fail rows: $(csvq "$CSV" 'status == "fail" { print params ": " note }' | head -2)"
# The server was really down between tests: one start per test (6 tests).
starts=$(grep -c "Server listening" "$T_TMP/srv.log")
[ "$starts" -ge 6 ] && pass net_refused_server_restarted || fail net_refused_server_restarted "$starts server starts for 6 tests"

# Never reached: fail rows at once, after one connection attempt (no
# retries; strace counts the connect calls to that port).
stop_loop
DEAD=$(free_port)
if command -v strace >/dev/null; then
	strace -f -qq -e trace=connect -o "$T_TMP/st" "$NB" --server 127.0.0.1 --port "$DEAD" --time 1 --reps 2 --warmup 1 \
		--dir both --env e2e --out "$T_TMP/dead.csv" 2>/dev/null
	nc=$(grep -c "sin_port=htons($DEAD)" "$T_TMP/st")
	nf=$(csvq "$T_TMP/dead.csv" 'status == "fail" && note ~ /Connection refused/' | wc -l)
	[ "$nc" = 1 ] && [ "$nf" = 2 ] && pass net_refused_never_reached_no_retry \
		|| fail net_refused_never_reached_no_retry "$nc connects to the dead port (want 1), $nf fail rows naming the refusal (want 2)"
else
	fail net_refused_never_reached_no_retry "strace not installed (tests/deps.txt)"
fi
t_done
