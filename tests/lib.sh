# shellcheck shell=bash
# tests/lib.sh - sourced by tests/e2e/*.sh.  Prints "PASS name" / "FAIL name: why"
# lines for tests/runner.c.  Environment from `make check`: HVB_BIN (binaries
# under test; sanitized under SAN=1), HVB_STATIC_BIN (always static, for
# guests), HVB_TOP (source tree), HVB_BUILD_DIR.
set -u
: "${HVB_TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${HVB_BIN:=$HVB_TOP/bin}"
: "${HVB_STATIC_BIN:=$HVB_TOP/bin}"
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
skip() { echo "SKIP $1: $2"; }
# check NAME CMD...: pass when CMD succeeds.
check() { local n=$1; shift; if "$@" >/dev/null 2>&1; then pass "$n"; else fail "$n" "command failed: $*"; fi; }
# A scratch directory removed at exit.
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/hvbtest.XXXXXX")
trap 'rm -rf "$T_TMP"' EXIT
# sel CSV PARAMS-REGEX METRIC STATUS: the value of each row of that metric and
# status whose params match the regex.
sel() { csvq -v p="$2" -v m="$3" -v s="$4" "$1" 'params ~ p && metric == m && status == s { print value }'; }
# csv_col FILE COLUMN: print that column of every data row (simple CSV: no quoted commas).
csv_col() { awk -F, -v c="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==c) k=i; next} k{print $k}' "$1"; }
t_done() { exit 0; }
# info_rows TAG CSV METRIC...: "TAG info METRIC" passes for each METRIC that
# CSV has an info row of (a benchmark's facts: cpu_model, io_buffer ...).
info_rows() {
	local tag=$1 csv=$2 f
	shift 2
	for f in "$@"; do
		if csvq -v f="$f" "$csv" 'metric == f && status == "info" { ok = 1 } END { exit !ok }'; then
			pass "$tag info $f"
		else
			fail "$tag info $f" "no info row"
		fi
	done
}
# n_in NAME N LO HI VALUES: NAME passes when VALUES (one a line) are N
# numbers, each in (LO, HI]; the failure lists them.
n_in() {
	local n
	n=$(printf '%s\n' "$5" | grep -c .)
	if [ "$n" -eq "$2" ] && printf '%s\n' "$5" | awk -v lo="$3" -v hi="$4" '!($1 > lo && $1 <= hi) { bad = 1 } END { exit bad }'; then
		pass "$1"
	else
		fail "$1" "$n values, want $2 in ($3, $4]: $(printf '%s ' $5)"
	fi
}
# Python 3 for the checks that read a workbook or parse HTML; have_openpyxl
# says whether it reads XLSX (Debian python3-openpyxl, report/deps.txt).
export PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
have_openpyxl() { "$PY" -c 'import openpyxl' 2>/dev/null; }
export NO_OPENPYXL="python3-openpyxl not installed (apt-get install python3-openpyxl; report/deps.txt)"
# csvq [-v NAME=VALUE]... FILE PROGRAM: the awk PROGRAM over FILE's data rows
# with each column as a variable named by the header (bench, metric, status,
# value, ...): tests read CSVs by column name, never by number.
#   csvq "$out" 'bench == "cpubench" && status == "ok" { n++ } END { print n + 0 }'
# Simple CSV only (no quoted commas), as hvb1 rows and summary CSVs are.
csvq() {
	local f=${*: -2:1} prog=${*: -1} set
	set=$(head -1 "$f" | tr -d '\r' | awk -F, '{ for (i = 1; i <= NF; i++) printf "%s = $%d; ", $i, i }')
	awk -F, "${@:1:$#-2}" "NR == 1 { next } { $set } $prog" "$f"
}
# machine_rows CSV: the notes of its machine info rows (bench hvbench, metric
# machine, empty value, status info), one per line; the exact row shape is
# part of the check (csv-format.md, info rows).
machine_rows() { grep -o ',hvbench,,machine,,,,,info,.*$' "$1" | sed 's/^,hvbench,,machine,,,,,info,//'; }
# bench_names CSV: the distinct benchmarks, without the suite's own rows.
bench_names() { csv_col "$1" bench | grep -vx hvbench | sort -u | tr '\n' ' '; }

# A loopback port nothing listens on: bash's /dev/tcp connect is refused.
free_port() {
	local p _
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# start_iperf3: a real `iperf3 -s` on a free loopback port; sets SRV_PID and
# PORT, its log in $T_TMP/srv.log.  stop_iperf3 stops it (also when stopped
# with SIGSTOP).  Tests that use it set: trap 'stop_iperf3; rm -rf "$T_TMP"' EXIT
SRV_PID=
start_iperf3() {
	local _
	for _ in 1 2 3 4 5; do
		PORT=$(free_port) || return 1
		: >"$T_TMP/srv.log"
		iperf3 -s -B 127.0.0.1 -p "$PORT" --forceflush >"$T_TMP/srv.log" 2>&1 &
		SRV_PID=$!
		for _ in $(seq 1 50); do
			grep -q "Server listening" "$T_TMP/srv.log" && return 0
			kill -0 "$SRV_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null
		SRV_PID=
	done
	return 1
}
stop_iperf3() {
	if [ -n "$SRV_PID" ]; then
		kill -CONT "$SRV_PID" 2>/dev/null
		kill "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null
	fi
	SRV_PID=
}


# t_sshd DIR PORT: a real sshd (SSHD, default /usr/sbin/sshd) on
# 127.0.0.1:PORT as a background job (sshd_pid), with fresh keys:
# DIR/hostkey, DIR/userkey (authorized), DIR/known_hosts for it.  The
# caller's EXIT trap stops it.
t_sshd() {
	local d=$1 port=$2
	mkdir -p "$d" /run/sshd
	ssh-keygen -q -t ed25519 -N '' -f "$d/hostkey" -C hvbtest-host
	ssh-keygen -q -t ed25519 -N '' -f "$d/userkey" -C hvbtest-user
	cp "$d/userkey.pub" "$d/authorized_keys"
	cat >"$d/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $d/hostkey
PidFile $d/sshd.pid
AuthorizedKeysFile $d/authorized_keys
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
Subsystem sftp internal-sftp
EOF
	"${SSHD:-/usr/sbin/sshd}" -D -e -f "$d/sshd_config" 2>"$d/sshd.log" &
	# shellcheck disable=SC2034 # the caller's EXIT trap reads it
	sshd_pid=$!
	printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1-2 "$d/hostkey.pub")" >"$d/known_hosts"
}
