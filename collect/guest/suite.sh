# collect/guest/suite.sh - runs the suite inside the environment under test.
#
# Sourced by every place a benchmark runs: the QEMU guest's /init, the
# container's init, the remote shell of collect/ssh and collect/local.  POSIX
# sh that busybox ash runs, because guests have nothing else.  One function:
#
#   hvb_suite BIN OUT ENV BENCHES [HVBENCH-ARGS...]
#     BENCHES ""        -> `BIN run ARGS --env ENV --out OUT` (the whole suite)
#     BENCHES "a,b,..." -> `BIN a ARGS --env ENV --out OUT` for each, appending
#   and reports each invocation through hvb_report (the caller may redefine
#   it; default: print to stdout) as
#     HVB-BENCH NAME EXIT UPTIME_START UPTIME_END
#   where NAME is "run" for the whole suite and UPTIME_* are the guest's
#   /proc/uptime seconds (the guest's own clock, for comparing with the host's).
#   Returns the number of invocations that exited non-zero.
# shellcheck shell=sh

if ! command -v hvb_report >/dev/null 2>&1; then
	hvb_report() { echo "$*"; }
fi

hvb_uptime() {
	read -r _hvb_up _hvb_idle </proc/uptime 2>/dev/null || _hvb_up=0
	echo "$_hvb_up"
}

hvb_suite() {
	_bin=$1 _out=$2 _env=$3 _benches=$4
	shift 4
	_bad=0
	if [ -z "$_benches" ]; then
		_t0=$(hvb_uptime)
		"$_bin" run "$@" --env "$_env" --out "$_out"
		_rc=$?
		hvb_report "HVB-BENCH run $_rc $_t0 $(hvb_uptime)"
		[ "$_rc" = 0 ] || _bad=1
		return "$_bad"
	fi
	for _b in $(echo "$_benches" | tr ',' ' '); do
		_t0=$(hvb_uptime)
		"$_bin" "$_b" "$@" --env "$_env" --out "$_out"
		_rc=$?
		hvb_report "HVB-BENCH $_b $_rc $_t0 $(hvb_uptime)"
		[ "$_rc" = 0 ] || _bad=$((_bad + 1))
	done
	return "$_bad"
}
