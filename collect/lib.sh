# collect/lib.sh - shared by every collector in collect/ (sourced, not run).
#
# What every collector has in common lives here, so each script only says how
# it reaches its environment:
#   - messages prefixed with the program name, documented exit codes;
#   - the result layout data/<campaign>/<env>/<host>_<env>_<UTC>.csv, with a
#     new name per run (never overwriting: the name is reserved with
#     noclobber before anything is written);
#   - staging: results are first written to a scratch directory and then
#     stored, so a full data/ disk loses nothing (the staged copy is kept and
#     its path printed);
#   - the sidecars next to each CSV: .meta (host-side wall time, command,
#     what did not arrive), .host.tsv (host telemetry), .glances (glances
#     export, with --glances).  They do not end in .csv on purpose: the
#     analyzer reads every *.csv under data/ as hvb1 results.
#   - --under-load (stress-ng as a noisy neighbour) and the /proc sampler;
#   - the option parser (collect_options) and the run's lifecycle
#     (collect_run), which calls the collector's hooks, as fio calls an
#     ioengine's.
#
# The collector interface.  A collector is: usage(), its option table given
# to collect_options, common_check DEFAULT_ENV, the hooks it needs, and one
# call
#   collect_run NAME [KEY=VALUE]... [-- IPERF_SETUP_ARGS...]
# (NAME: the <host> of the result name; KEY=VALUE: .meta lines after the
# header).  collect_run owns the order, and exits with the exit status:
#   staging + traps (collect_stage)   out_reserve NAME   meta_begin, KEY=VALUE
#   load_start   telemetry_start   iperf_setup ARGS (only with --)
#   c_prepare   c_put   c_run   c_get
#   bg_stop   meta_end (wall_s: the run, not the teardown)   c_cleanup
#   bench.* lines (bench_meta)   report_arrival   finish
#   c_done RC   exit RC
# The hooks (an undefined one does nothing; any may call die, and the
# traps still clean up):
#   c_prepare   make the environment ready: start the VM or container, make
#               the guest's scratch dir.  Non-zero: it was not reached; the
#               .meta alone is stored (say why with `meta error ...`), exit 1.
#   c_put       copy hvbench and guest/suite.sh in.  Non-zero: partial, the
#               suite is not run.
#   c_run       run the suite (a local process through bg_suite, so that an
#               interrupt stops it at once).  Non-zero: partial.
#   c_get       bring result.csv and `benches` (the suite's HVB-BENCH lines)
#               into $HVB_STAGE, also after a failed run.  Non-zero:
#               partial, the results stay in the environment.
#   c_cleanup   undo c_prepare (VM, container, scratch dir).  Called exactly
#               once: after wall_s is taken, or on interrupt, or at exit
#               after die.
#               HVB_RAN (c_run was called) and HVB_FETCHED (c_get brought
#               the results) say whether a scratch dir still holds results.
#   c_stop      on SIGINT/SIGTERM: stop the suite, bring what it wrote into
#               $HVB_STAGE (default: SIGTERM to $HVB_SUITE_PID's tree, set
#               by bg_suite); what arrived is then stored, exit 130.
#   c_done RC   after the results are stored, with the exit status.
# HVB_STATUS is the run's verdict so far (0, or 1 partial); a hook may set it.
# Without `--`, collect_run calls no iperf_setup: collect/container calls it
# in c_prepare (the address exists once the container is up), collect/ssh
# once for all its targets.  A collector that needs staging before its
# result name is known calls collect_stage first (collect/qemu's KVM probe).
# HVB_BENCH_CLOCK=host: the per-benchmark times in .meta are wall_s (the
# suite ran on this host's kernel), else guest_wall_s.
# shellcheck shell=bash
# Variables set here are read by the collectors that source this file.
# shellcheck disable=SC2034

# Exit codes of every collector: the table common/exit.def shared with the
# benchmarks (docs/exit-status.md; tests/e2e/contracts_exit.sh checks that
# these lines match it).
HVB_EXIT_OK=0        # every result arrived
HVB_EXIT_FAILED=1    # the run failed or some results did not arrive (what did is kept)
HVB_EXIT_USAGE=2     # bad option
HVB_EXIT_OUTPUT=3    # the results could not be stored in data/ (kept in staging)
HVB_EXIT_MISSING=4   # a needed program or file is missing
HVB_EXIT_BUSY=5      # collect/plan: the plan is being run by another process (its lock names it)
HVB_EXIT_NOMEM=6      # out of memory (the analyzer; no collector uses it)
HVB_EXIT_SIGNAL=130  # interrupted; what arrived is stored

HVB_COLLECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Two layouts: the repository (collect/ beside bin/, bench/ and data/) and an
# installed tree (`make install`: PREFIX/libexec/hvbench/ holding the
# collectors, lib.sh, guest/, csv.awk and the marker file 'installed', with
# the programs in PREFIX/bin).  Installed, the default data dir is ./data of
# the current directory, as a user's campaign lives where they work.
if [ -f "$HVB_COLLECT_DIR/installed" ]; then
	HVB_TOPDIR=""
	HVB_BIN_DIR=$(cd "$HVB_COLLECT_DIR/../../bin" 2>/dev/null && pwd) || HVB_BIN_DIR=$HVB_COLLECT_DIR/../../bin
	HVB_CSV_AWK=$HVB_COLLECT_DIR/csv.awk
	HVB_DATA_DEFAULT=$PWD/data
else
	HVB_TOPDIR=$(cd "$HVB_COLLECT_DIR/.." && pwd)
	HVB_BIN_DIR=$HVB_TOPDIR/bin
	HVB_CSV_AWK=$HVB_TOPDIR/bench/csv.awk
	HVB_DATA_DEFAULT=$HVB_TOPDIR/data
fi
# The collector's name in messages: collect/ and its file name (the same
# when installed); its command line for .meta (a sourced file sees the
# collector's arguments).  A script may set either before sourcing this.
: "${HVB_PROG:=collect/${0##*/}}"
: "${HVB_COMMAND:=$HVB_PROG $*}"

msg() { printf '%s: %s\n' "$HVB_PROG" "$*" >&2; }
die() { local code=$1; shift; msg "$*"; exit "$code"; }
usage_error() { msg "$*"; msg "try '$HVB_PROG --help'"; exit "$HVB_EXIT_USAGE"; }
need_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || die "$HVB_EXIT_MISSING" "needs '$c' on PATH (Debian: see collect/deps.txt)"
	done
}
# need_arg OPT "$#": an option that takes a value got one.
need_arg() { [ "$2" -ge 2 ] || usage_error "option $1 needs a value"; }
# is_uint STR: a non-negative decimal integer of sane length.
is_uint() { case $1 in '' | *[!0-9]*) return 1 ;; esac; [ "${#1}" -le 9 ]; }
# safe_name STR: only [A-Za-z0-9._-], so labels are safe in file names.
safe_name() { printf '%s' "$1" | tr -c 'A-Za-z0-9._-' '_'; }
# check_name WHAT NAME: NAME becomes one path component under the data dir
# (a campaign, an environment label): it must be non-empty, may hold only
# [A-Za-z0-9._-] (so no '/'), and may not be '.' or '..', which would name
# the data dir itself or the directory above it.  Exit 2 naming WHAT and NAME.
check_name() {
	case $2 in
	'') usage_error "$1: the name is empty" ;;
	. | ..) usage_error "$1: '$2' is not a name (it would write outside the data dir)" ;;
	esac
	[ "$(safe_name "$2")" = "$2" ] || usage_error "$1: '$2' may hold only letters, digits, '.', '_' and '-'"
	return 0
}
utc_stamp() { date -u +%Y%m%dT%H%M%SZ; }
utc_iso() { date -u +%Y-%m-%dT%H:%M:%SZ; }
# now_s: seconds since the epoch with nanoseconds, for host-side wall time.
now_s() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# ---------------------------------------------------------------- common options
# Options every collector takes; collectors call common_opt "$@" in their
# option loop and shift by COMMON_SHIFT (0 = not a common option).
HVB_DATA=${HVB_DATA:-$HVB_DATA_DEFAULT}
HVB_CAMPAIGN=${HVB_CAMPAIGN:-default}
HVB_ENV_LABEL=${HVB_ENV:-}
HVB_QUICK=0
HVB_BENCHES=""
HVB_REPS=""
HVB_WARMUP=""
HVB_LOAD=""
HVB_TELEMETRY=1
HVB_GLANCES=0
HVB_BIN_PATH=""
HVB_IPERF=""
# The physical machine every environment of this run lives on: written by
# hvbench in the guest as the in-band info row (bench hvbench, metric
# machine).  Default: this host, where the collector runs the guests.
HVB_MACHINE_NAME=${HVB_MACHINE:-}
HVB_EXTRA=()
COMMON_SHIFT=0

COMMON_HELP='Common options:
  --env LABEL         environment label (the env column; the directory under the campaign)
  --campaign NAME     campaign directory under the data dir (default: default)
  --data DIR          data directory (default: env HVB_DATA, else data/ of the
                      repository, or ./data when installed)
  --quick             run the quick suite (hvbench --quick)
  --bench LIST        only these benchmarks, comma-separated (e.g. fork,pipe,time,cpu);
                      default: all of them (hvbench run)
  --reps N, --warmup N  passed to the benchmarks
  --iperf HOST[:PORT] iperf3 server for netbench (given to it as HVB_IPERF_SERVER
                      and HVB_IPERF_PORT); "auto" starts iperf3 -s on this host
                      for the run where the environment can reach it (the
                      default of local, qemu and container); "self": netbench
                      serves itself on loopback where it runs; "none" (what
                      an environment without a server gets): skip rows
  --under-load SPEC   run stress-ng on this host during the run: stress-ng options
                      ("--cpu 1 --vm 1") or the short form cpu:1,vm:1,io:1
  --no-telemetry      do not sample host /proc (nor glances) during the run
  --glances           also run glances (-t 1, CSV export) during the run; off by
                      default: it takes 3-7 % of a CPU (docs/collect.md)
  --hvbench FILE      the hvbench binary to use (default: bin/hvbench, static)
  --machine NAME      the physical machine the environment runs on, written in
                      the CSV as the info row hvbench,machine (default: env
                      HVB_MACHINE, else this host'"'"'s name)
  -- ARGS             further arguments for hvbench
  -h, --help          this text
Exit status: 0 all results arrived; 1 the run failed or some results did not
arrive (what did is kept, the .meta file says what is missing); 2 usage;
3 results could not be stored in the data dir (kept in staging, path printed);
4 a needed program or file is missing.'

common_opt() {
	COMMON_SHIFT=0
	case $1 in
	--env) need_arg "$1" "$#"; check_name "$1" "$2"; HVB_ENV_LABEL=$2; COMMON_SHIFT=2 ;;
	--campaign) need_arg "$1" "$#"; check_name "$1" "$2"; HVB_CAMPAIGN=$2; COMMON_SHIFT=2 ;;
	--data) need_arg "$1" "$#"; HVB_DATA=$2; COMMON_SHIFT=2 ;;
	--quick) HVB_QUICK=1; COMMON_SHIFT=1 ;;
	--bench) need_arg "$1" "$#"; HVB_BENCHES=$2; COMMON_SHIFT=2 ;;
	--reps) need_arg "$1" "$#"; is_uint "$2" || usage_error "--reps: '$2' is not a whole number"; HVB_REPS=$2; COMMON_SHIFT=2 ;;
	--warmup) need_arg "$1" "$#"; is_uint "$2" || usage_error "--warmup: '$2' is not a whole number"; HVB_WARMUP=$2; COMMON_SHIFT=2 ;;
	--iperf) need_arg "$1" "$#"; HVB_IPERF=$2; COMMON_SHIFT=2 ;;
	--under-load) need_arg "$1" "$#"; HVB_LOAD=$2; COMMON_SHIFT=2 ;;
	--no-telemetry) HVB_TELEMETRY=0; COMMON_SHIFT=1 ;;
	--glances) HVB_GLANCES=1; COMMON_SHIFT=1 ;;
	--hvbench) need_arg "$1" "$#"; HVB_BIN_PATH=$2; COMMON_SHIFT=2 ;;
	--machine) need_arg "$1" "$#"; HVB_MACHINE_NAME=$2; COMMON_SHIFT=2 ;;
	esac
	if [ -n "$HVB_BENCHES" ]; then
		case $HVB_BENCHES in *[!A-Za-z0-9_,-]*) usage_error "--bench: '$HVB_BENCHES' is not a comma-separated list of names" ;; esac
	fi
	return 0
}

# common_check DEFAULT_ENV: fill defaults, validate, find hvbench.
# collect_options SPEC... -- "$@": the one option parser of the collectors.
# Each SPEC is OPTION=VAR[:KIND] (the collector's option table); KIND:
#   str (default)   VAR=value
#   flag            VAR=1, no value
#   uint            a whole number ("is not a whole number")
#   secs            a whole number of seconds ("is not a number of seconds")
#   range:LO:HI     a whole number LO..HI ("is not LO..HI")
#   append:PREFIX   adds PREFIX (if any) and the value to the array VAR
# -h/--help calls the collector's usage and exits 0; after "--" the rest is
# HVB_EXTRA (for hvbench); the common options go to common_opt; anything
# else is "unknown option", unless COLLECT_WORDS names an array that takes
# the words that are not options (collect/ssh's targets).  Its own variables
# are _co_*, so a collector's VAR cannot be shadowed by them.
collect_options() {
	local _co_specs=() _co_s _co_hit _co_var _co_kind _co_lo _co_hi _co_pre
	while [ $# -gt 0 ] && [ "$1" != -- ]; do _co_specs+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	while [ $# -gt 0 ]; do
		case $1 in
		-h | --help) usage; exit 0 ;;
		--) shift; HVB_EXTRA=("$@"); return 0 ;;
		esac
		_co_hit=""
		for _co_s in "${_co_specs[@]}"; do
			[ "${_co_s%%=*}" = "$1" ] && { _co_hit=${_co_s#*=}; break; }
		done
		if [ -z "$_co_hit" ]; then
			if [ -n "${COLLECT_WORDS:-}" ] && [ "${1#-}" = "$1" ]; then
				eval "$COLLECT_WORDS+=(\"\$1\")"
				shift
				continue
			fi
			common_opt "$@"
			[ "$COMMON_SHIFT" -gt 0 ] || usage_error "unknown option '$1'"
			shift "$COMMON_SHIFT"
			continue
		fi
		_co_var=${_co_hit%%:*} _co_kind=str
		[ "$_co_var" = "$_co_hit" ] || _co_kind=${_co_hit#*:}
		if [ "$_co_kind" = flag ]; then
			printf -v "$_co_var" 1
			shift
			continue
		fi
		need_arg "$1" "$#"
		case $_co_kind in
		str) ;;
		uint) is_uint "$2" || usage_error "$1: '$2' is not a whole number" ;;
		secs) is_uint "$2" || usage_error "$1: '$2' is not a number of seconds" ;;
		range:*)
			IFS=: read -r _ _co_lo _co_hi <<<"$_co_kind"
			{ is_uint "$2" && [ "$2" -ge "$_co_lo" ] && [ "$2" -le "$_co_hi" ]; } || usage_error "$1: '$2' is not $_co_lo..$_co_hi" ;;
		append:*)
			_co_pre=${_co_kind#append:}
			if [ -n "$_co_pre" ]; then eval "$_co_var+=(\"\$_co_pre\" \"\$2\")"; else eval "$_co_var+=(\"\$2\")"; fi
			shift 2
			continue ;;
		*) die "$HVB_EXIT_USAGE" "collect_options: bad kind '$_co_kind' for $1 (a bug in $HVB_PROG)" ;;
		esac
		printf -v "$_co_var" '%s' "$2"
		shift 2
	done
}

common_check() {
	if [ -z "$HVB_ENV_LABEL" ]; then
		HVB_ENV_LABEL=$1
		[ -n "$HVB_LOAD" ] && HVB_ENV_LABEL="$HVB_ENV_LABEL-loaded"
	fi
	check_name --env "$HVB_ENV_LABEL"
	check_name --campaign "$HVB_CAMPAIGN"
	if [ -z "$HVB_BIN_PATH" ]; then
		HVB_BIN_PATH=${HVB_STATIC_BIN:-$HVB_BIN_DIR}/hvbench
	fi
	[ -x "$HVB_BIN_PATH" ] || die "$HVB_EXIT_MISSING" "no benchmark binary at $HVB_BIN_PATH (run 'make' first, or give --hvbench FILE)"
	[ -n "$HVB_MACHINE_NAME" ] || HVB_MACHINE_NAME=$(hostname)
	case $HVB_MACHINE_NAME in *[[:cntrl:]]*) usage_error "--machine: the name may not hold control characters" ;; esac
	if [ -n "$HVB_LOAD" ]; then need_cmd stress-ng; fi
	return 0
}

# hvb_bin_for ARCH: the hvbench to copy into a target whose `uname -m` is ARCH:
# bin/hvbench where ARCH is this host's own (the native build), bin/arm64/
# hvbench (`make arm64`) for aarch64 on an x86-64 host; with --hvbench FILE,
# FILE whatever ARCH.  Prints it, or says what is missing and returns 4
# (HVB_EXIT_MISSING): no build for ARCH (the collector fails with that).
hvb_bin_for() {
	local dir=${HVB_STATIC_BIN:-$HVB_BIN_DIR} f
	if [ -n "$HVB_BIN_PATH" ] && [ "$HVB_BIN_PATH" != "$dir/hvbench" ]; then
		printf '%s\n' "$HVB_BIN_PATH"
		return 0
	fi
	case $1 in
	"$(uname -m)") f=$dir/hvbench ;;
	aarch64 | arm64) f=$dir/arm64/hvbench ;;
	*) msg "the target's architecture is '$1': hvbench is built for this host's $(uname -m) (bin/) and aarch64 (bin/arm64/, make arm64) only; give --hvbench FILE"
		return "$HVB_EXIT_MISSING" ;;
	esac
	if [ ! -x "$f" ]; then
		msg "the target is $1 and there is no $f (run 'make$([ "$f" = "$dir/hvbench" ] || printf ' arm64')' first, or give --hvbench FILE)"
		return "$HVB_EXIT_MISSING"
	fi
	printf '%s\n' "$f"
}
# guest_bin ARCH FROM: what collect/vbox, collect/vmware and collect/libvirt
# copy into a guest whose `uname -m` is ARCH (FROM: where ARCH was learnt,
# for .meta): sets GUEST_BIN, or exits 4 with hvb_bin_for's message before
# anything is copied.  An ARCH that is no `uname -m` word is refused.
guest_bin() {
	case $1 in
	"" | *[!A-Za-z0-9_]*) die "$HVB_EXIT_FAILED" "the guest's architecture read from $2 is '$1', not a uname -m word; give --guest-arch ARCH" ;;
	esac
	meta remote_arch "$1"
	meta remote_arch_from "$2"
	GUEST_BIN=$(hvb_bin_for "$1") || exit "$HVB_EXIT_MISSING"
	meta hvbench_copied "$GUEST_BIN"
}
# check_guest_arch VALUE: a --guest-arch value is a `uname -m` word.
check_guest_arch() {
	case $1 in
	'' | *[!A-Za-z0-9_]*) usage_error "--guest-arch: '$1' is not an architecture as uname -m names it (x86_64, aarch64)" ;;
	esac
	return 0
}

# hvb_args: the arguments every hvbench invocation gets (after the bench name),
# one per line for mapfile; --env and --out are added by the caller.
hvb_args() {
	[ -n "$HVB_MACHINE_NAME" ] && printf '%s\n' --machine "$HVB_MACHINE_NAME"
	[ "$HVB_QUICK" = 1 ] && echo --quick
	[ -n "$HVB_REPS" ] && printf '%s\n' --reps "$HVB_REPS"
	[ -n "$HVB_WARMUP" ] && printf '%s\n' --warmup "$HVB_WARMUP"
	if [ "${#HVB_EXTRA[@]}" -gt 0 ]; then printf '%s\n' "${HVB_EXTRA[@]}"; fi
	return 0
}
# bench_list: the benchmarks to run, one per line ("" = the whole suite).
bench_list() { [ -n "$HVB_BENCHES" ] && printf '%s\n' "$HVB_BENCHES" | tr ',' '\n' | sed '/^$/d'; return 0; }

# ---------------------------------------------------------------- result files
# out_reserve HOST: reserve data/<campaign>/<env>/<host>_<env>_<UTC>[-N].csv.
# Sets OUT_DIR, OUT_BASE (without .csv), OUT_CSV.  Fails with exit 3.
# The name is held by the .meta file as well as the .csv: a run that gets no
# results removes its empty .csv but stores its .meta, and a later run in
# the same second must not take the name and overwrite that .meta.
out_reserve() {
	local host env stamp base n=1
	host=$(safe_name "$1")
	env=$HVB_ENV_LABEL
	OUT_DIR=$HVB_DATA/$HVB_CAMPAIGN/$env
	mkdir -p "$OUT_DIR" 2>/dev/null || die "$HVB_EXIT_OUTPUT" "cannot create $OUT_DIR"
	stamp=$(utc_stamp)
	base=$OUT_DIR/${host}_${env}_$stamp
	OUT_BASE=$base
	# noclobber makes the reservation atomic: two runs in the same second
	# get -2, -3 ... and an earlier result or .meta is never truncated.  The
	# .meta is taken first; a name whose .csv exists without it is given back.
	while ! { (set -o noclobber; : >"$OUT_BASE.meta") 2>/dev/null &&
		  { (set -o noclobber; : >"$OUT_BASE.csv") 2>/dev/null || { rm -f -- "$OUT_BASE.meta"; false; }; }; }; do
		[ -w "$OUT_DIR" ] || die "$HVB_EXIT_OUTPUT" "cannot write in $OUT_DIR"
		n=$((n + 1))
		[ "$n" -le 999 ] || die "$HVB_EXIT_OUTPUT" "cannot reserve a file name in $OUT_DIR"
		OUT_BASE=$base-$n
	done
	OUT_CSV=$OUT_BASE.csv
}

# stage_init: a scratch directory for this run, removed by stage_cleanup
# unless something in it could not be stored.
stage_init() {
	HVB_STAGE=$(mktemp -d "${TMPDIR:-/tmp}/hvb-collect.XXXXXX") || die "$HVB_EXIT_OUTPUT" "cannot make a scratch directory"
	HVB_STAGE_KEEP=0
}
stage_cleanup() {
	# A reserved name that never got results is not left as an empty CSV.
	if [ -n "${OUT_CSV:-}" ] && [ -f "$OUT_CSV" ] && [ ! -s "$OUT_CSV" ]; then rm -f -- "$OUT_CSV"; fi
	# Nor an empty .meta: nothing of the run was stored, the name is free.
	if [ -n "${OUT_BASE:-}" ] && [ -f "$OUT_BASE.meta" ] && [ ! -s "$OUT_BASE.meta" ]; then rm -f -- "$OUT_BASE.meta"; fi
	[ -n "${HVB_STAGE:-}" ] || return 0
	if [ "$HVB_STAGE_KEEP" = 1 ]; then
		msg "kept the staged results in $HVB_STAGE"
	else
		rm -rf "$HVB_STAGE"
	fi
}

# store SRC DEST: copy a staged file into data/.  On failure (disk full ...)
# the staged copy stays, DEST is removed if partial, and 1 is returned.
store() {
	local err
	if err=$(cp -- "$1" "$2" 2>&1) && sync -- "$2" 2>/dev/null; then
		return 0
	fi
	msg "cannot store $2: ${err:-write failed}"
	msg "the complete result is kept at $1"
	rm -f -- "$2"
	HVB_STAGE_KEEP=1
	return 1
}

# meta KEY VALUE...: append one fact to the run's .meta file (key=value lines).
# Written to staging; finish copies it next to the CSV.
meta() { local k=$1; shift; printf '%s=%s\n' "$k" "$*" | tr -d '\r' >>"$HVB_STAGE/meta"; }
meta_begin() {
	: >"$HVB_STAGE/meta"
	meta collector "$HVB_PROG"
	meta command "$HVB_COMMAND"
	meta campaign "$HVB_CAMPAIGN"
	meta env "$HVB_ENV_LABEL"
	meta collect_host "$(hostname)"
	meta hvbench "$HVB_BIN_PATH"
	meta machine "$HVB_MACHINE_NAME"
	meta hvbench_sha256 "$(sha256sum <"$HVB_BIN_PATH" | cut -d' ' -f1)"
	meta under_load "$HVB_LOAD"
	HVB_T0=$(now_s)
	meta host_start_utc "$(utc_iso)"
}
meta_end() {
	local t1
	t1=$(now_s)
	meta host_end_utc "$(utc_iso)"
	meta wall_s "$(elapsed "$HVB_T0" "$t1")"
}

# finish STATUS: store CSV and sidecars from staging; the collector's exit code.
# STATUS is the collector's verdict on the run (0 ok, 1 partial).
finish() {
	local status=$1 rc f
	meta exit_status "$status"
	rc=$status
	if [ -s "$HVB_STAGE/result.csv" ]; then
		store "$HVB_STAGE/result.csv" "$OUT_CSV" || rc=$HVB_EXIT_OUTPUT
	else
		msg "no results arrived; nothing stored"
		rm -f -- "$OUT_CSV"
		[ "$rc" = 0 ] && rc=$HVB_EXIT_FAILED
	fi
	for f in meta:meta host.tsv:host.tsv glances:glances; do
		if [ -s "$HVB_STAGE/${f%%:*}" ]; then
			store "$HVB_STAGE/${f%%:*}" "$OUT_BASE.${f#*:}" || rc=$HVB_EXIT_OUTPUT
		fi
	done
	if [ "$rc" = "$HVB_EXIT_OUTPUT" ]; then
		msg "data directory full or not writable: results kept in $HVB_STAGE"
	elif [ -s "$OUT_CSV" ]; then
		msg "results: $OUT_CSV ($(($(wc -l <"$OUT_CSV") - 1)) rows)"
	fi
	return "$rc"
}

# ---------------------------------------------------------------- load, telemetry
HVB_BG_PIDS=()
# load_start: stress-ng in the background during the run (--under-load).
# Started once: collect/ssh's targets share the one its main process starts.
load_start() {
	[ -n "$HVB_LOAD" ] || return 0
	[ -z "${HVB_LOAD_PID:-}" ] || return 0
	local args=() item
	case $HVB_LOAD in
	-*) read -r -a args <<<"$HVB_LOAD" ;;
	*)
		local items
		IFS=, read -r -a items <<<"$HVB_LOAD"
		for item in "${items[@]}"; do
			case $item in
			*:*) args+=("--${item%%:*}" "${item#*:}") ;;
			*) args+=("--$item" 1) ;;
			esac
		done
		;;
	esac
	stress-ng "${args[@]}" --timeout 0 --quiet >"$HVB_STAGE/stress-ng.log" 2>&1 &
	HVB_BG_PIDS+=("$!")
	HVB_LOAD_PID=$!
	sleep 1
	kill -0 "$HVB_LOAD_PID" 2>/dev/null || die "$HVB_EXIT_USAGE" "--under-load '$HVB_LOAD': stress-ng did not start: $(head -c 300 "$HVB_STAGE/stress-ng.log")"
	msg "load: stress-ng ${args[*]} (pid $HVB_LOAD_PID)"
	meta under_load_args "${args[*]}"
}
# telemetry_start: the /proc sampler, and glances with --glances (off by
# default: its own CPU, several % of one, would disturb the run it watches;
# `make bench-telemetry` measures both, docs/collect.md).
telemetry_start() {
	[ "$HVB_TELEMETRY" = 1 ] || return 0
	"$HVB_COLLECT_DIR/telemetry" --out "$HVB_STAGE/host.tsv" --interval 1 &
	HVB_BG_PIDS+=("$!")
	# Where the telemetry is taken and how many CPUs its percentages are of:
	# the analyzer turns busy % into host CPU-seconds with it.
	meta telemetry_host "$(hostname)"
	meta telemetry_host_cpus "$(nproc)"
	if [ "$HVB_GLANCES" = 1 ]; then
		command -v glances >/dev/null 2>&1 || { msg "--glances: glances is not installed (Debian glances): not sampled"; return 0; }
		# TMPDIR: glances leaves its log file there; the stage is removed.
		TMPDIR=$HVB_STAGE glances --quiet --export csv --export-csv-file "$HVB_STAGE/glances" -t 1 >/dev/null 2>&1 &
		HVB_BG_PIDS+=("$!")
	fi
	return 0
}
# bg_stop: end the background helpers this run started (by pid).
bg_stop() {
	local p
	for p in "${HVB_BG_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${HVB_BG_PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	HVB_BG_PIDS=()
	return 0
}

# shell_quote ARGS...: one string, each arg single-quoted, for a remote shell.
shell_quote() {
	local a out=""
	for a in "$@"; do
		out="$out '$(printf '%s' "$a" | sed "s/'/'\\\\''/g")'"
	done
	printf '%s' "${out# }"
}

# ---------------------------------------------------------------- host-side facts
# csv_add_info CSV KEY VALUE [KEY VALUE...]: append facts only the host knows
# (a container engine's version, ...) to a result CSV as info rows of the
# suite (bench hvbench, the text in note), one set per run id in the file,
# with that run's env/virt/container/host, so the analyzer files them with
# the run.  Fields are quoted per RFC 4180 as hvbench's writer does.
csv_add_info() {
	local csv=$1
	shift
	[ -s "$csv" ] || return 0
	local kv
	kv=$(printf '%s\n' "$@" | tr -d '\r')
	awk -v t="$(utc_iso)" -v kv="$kv" -f "$HVB_CSV_AWK" -f /dev/stdin "$csv" >"$csv.add" <<'EOF' || { rm -f "$csv.add"; return 1; }
function q(f) { if (f ~ /[",\r\n]/) { gsub(/"/, "\"\"", f); f = "\"" f "\"" } return f }
!(r[col["run"]] in seen) && r[col["status"]] != "" {
	seen[r[col["run"]]] = 1
	n = split(kv, a, "\n")
	for (i = 1; i + 1 <= n; i += 2)
		printf "hvb1,%s,%s,%s,%s,%s,%s,hvbench,,%s,,,,,info,%s\n", q(r[col["run"]]), t,
			q(r[col["env"]]), q(r[col["virt"]]), q(r[col["container"]]), q(r[col["host"]]), q(a[i]), q(a[i + 1])
}
EOF
	cat "$csv.add" >>"$csv"
	rm -f "$csv.add"
}

# ---------------------------------------------------------------- what arrived
# expected_benches: the benchmark names (csv `bench` column) this run should
# produce: --bench items mapped through `hvbench list` (name or alias), or
# every listed benchmark but nullbench (which `hvbench run` leaves out).
expected_benches() {
	local list
	# A build for another architecture (bin/arm64/) does not run here; every
	# build lists the same benchmarks, so the host's own one answers then.
	list=$("$HVB_BIN_PATH" list 2>/dev/null) || list=$("${HVB_STATIC_BIN:-$HVB_BIN_DIR}/hvbench" list 2>/dev/null) || return 0
	if [ -n "$HVB_BENCHES" ]; then
		bench_list | while read -r b; do
			printf '%s\n' "$list" | awk -v b="$b" '$1 == b || $2 == b { print $1; f = 1; exit } END { if (!f) print b }'
		done
	else
		printf '%s\n' "$list" | awk 'NF && $1 != "nullbench" { print $1 }'
	fi
}
# csv_benches CSV: the distinct benchmarks that have at least one row (not
# the suite's own `hvbench` rows, such as the machine fact).
csv_benches() {
	[ -s "$1" ] || return 0
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "bench") k = i; next } k && $k != "hvbench" && !seen[$k]++ { print $k }' "$1"
}
# report_arrival CSV: note in .meta which benchmarks arrived and which did not;
# returns 1 when something is missing.
report_arrival() {
	local exp got miss="" b
	exp=$(expected_benches)
	got=$(csv_benches "$1")
	for b in $exp; do
		printf '%s\n' "$got" | grep -qx -- "$b" || miss="$miss $b"
	done
	meta benches_arrived "$(printf '%s' "$got" | tr '\n' ' ')"
	meta benches_missing "${miss# }"
	if [ -n "$miss" ]; then
		msg "did not arrive:$miss"
		return 1
	fi
	return 0
}

# ---------------------------------------------------------------- iperf3 server
# iperf_setup BIND GUEST_ADDR [FALLBACK]: resolve --iperf.  "auto" starts
# `iperf3 -s` on BIND (an address of this host) on a free port for the run;
# the environment reaches it as GUEST_ADDR.  Sets and exports
# HVB_IPERF_SERVER/HVB_IPERF_PORT.  Without a server the environment gets
# FALLBACK (default "none": netbench writes skip rows, so a guest's own
# loopback never lands in the series of its uplink to the host; collect/local
# passes "self": the host's loopback is the baseline).  "--iperf self" asks
# for netbench's own loopback server in any environment.
iperf_setup() {
	HVB_IPERF_SERVER="" HVB_IPERF_PORT=""
	case $HVB_IPERF in
	"" | none) ;;
	self) HVB_IPERF_SERVER=self ;;
	auto)
		if [ -z "$1" ] || ! command -v iperf3 >/dev/null 2>&1; then
			msg "note: no iperf3 server for netbench (iperf3 not installed or no address)"
		else
			local port
			port=$(iperf_free_port)
			iperf3 -s -B "$1" -p "$port" >"$HVB_STAGE/iperf3.log" 2>&1 &
			HVB_BG_PIDS+=("$!")
			HVB_IPERF_SERVER=$2 HVB_IPERF_PORT=$port
			sleep 0.3
			meta iperf_server "iperf3 -s -B $1 -p $port (pid $!), reached as $2:$port"
		fi
		;;
	*:*) HVB_IPERF_SERVER=${HVB_IPERF%:*} HVB_IPERF_PORT=${HVB_IPERF##*:} ;;
	*) HVB_IPERF_SERVER=$HVB_IPERF ;;
	esac
	if [ -n "$HVB_IPERF_PORT" ] && ! is_uint "$HVB_IPERF_PORT"; then usage_error "--iperf: '$HVB_IPERF' is not HOST[:PORT]"; fi
	[ -n "$HVB_IPERF_SERVER" ] || HVB_IPERF_SERVER=${3:-none}
	export HVB_IPERF_SERVER HVB_IPERF_PORT
	return 0
}
# iperf_free_port: a TCP port nobody listens on, from 5201 up.
iperf_free_port() {
	local p=5201 used
	used=$(ss -Hltn 2>/dev/null | awk '{ n = split($4, a, ":"); print a[n] }')
	while printf '%s\n' "$used" | grep -qx "$p"; do p=$((p + 1)); done
	echo "$p"
}

# ---------------------------------------------------------------- hypervisor-tool adapters
# What collect/vbox, collect/vmware and collect/libvirt run in the guest with
# the product's own "run a program" command: /bin/sh -c GUEST_SCRIPT sh DIR
# BIN OUT ENV BENCHES ARGS...; each benchmark's HVB-BENCH line goes to
# DIR/benches (runProgramInGuest and guest-exec give no reliable stdout).
# The chmod: file copies through guest tools do not keep the mode bits.
# shellcheck disable=SC2016  # expanded by the guest's sh
GUEST_SCRIPT='cd "$1" || exit 97; chmod 755 ./hvbench; . ./suite.sh || exit 98; shift; hvb_report() { echo "$*" >>./benches; }; hvb_suite "$@"'
# guest_argv DIR: the argv (after /bin/sh) that runs the suite in DIR.
guest_argv() {
	mapfile -t _ga < <(hvb_args)
	GUEST_ARGV=(-c "$GUEST_SCRIPT" sh "$1" ./hvbench ./result.csv "$HVB_ENV_LABEL" "$HVB_BENCHES" "${_ga[@]}")
}
# ---------------------------------------------------------------- the lifecycle
# The hooks a collector may define (see the header); these are the defaults.
# A hook that fails returns non-zero (c_prepare: the environment could not
# be reached; the others: the run is partial) or calls die.
c_prepare() { :; }
c_put() { :; }
c_run() { :; }
c_get() { :; }
c_cleanup() { :; }
# c_stop: on SIGINT/SIGTERM, stop the suite and bring what it wrote into
# $HVB_STAGE.  Default: the suite run by bg_suite gets SIGTERM (it keeps the
# rows it wrote and exits 130) and is waited for.
c_stop() {
	[ -n "${HVB_SUITE_PID:-}" ] || return 0
	kill_tree "$HVB_SUITE_PID" TERM
	wait "$HVB_SUITE_PID" 2>/dev/null
	HVB_SUITE_PID=""
}
c_done() { :; }
# The run's state, which hooks may read: HVB_STATUS the verdict so far (0 ok,
# 1 partial), HVB_RAN 1 once c_put succeeded and c_run was called,
# HVB_FETCHED 1 once c_get brought the results home.
HVB_STATUS=0 HVB_RAN=0 HVB_FETCHED=0

# collect_run NAME [KEY=VALUE]... [-- IPERF_SETUP_ARGS...]: the whole run, in
# the order every collector needs, calling the hooks; it exits with the
# collector's exit status (docs/collect.md) and does not return.  Its own
# variables are _cr_*: the hooks run inside it and would see its locals.
collect_run() {
	local _cr_name=$1 _cr_rc
	shift
	[ -n "${HVB_STAGE:-}" ] || collect_stage
	out_reserve "$_cr_name"
	meta_begin
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		meta "${1%%=*}" "${1#*=}"
		shift
	done
	load_start
	telemetry_start
	if [ $# -gt 0 ]; then
		shift
		iperf_setup "$@"
	fi
	HVB_STATUS=0 HVB_RAN=0 HVB_FETCHED=0
	if ! c_prepare; then
		# The environment was not reached: the .meta alone is stored (its
		# error= says why; the reserved CSV is removed), exit 1.
		collect_cleanup
		bg_stop
		meta_end
		rm -f -- "$OUT_CSV"
		store "$HVB_STAGE/meta" "$OUT_BASE.meta" || true
		HVB_STATUS=1
		c_done 1
		exit "$HVB_EXIT_FAILED"
	fi
	if c_put; then
		HVB_RAN=1
		c_run || HVB_STATUS=1
		if c_get; then HVB_FETCHED=1; else HVB_STATUS=1; fi
	else
		HVB_STATUS=1
	fi
	# wall_s and the telemetry end with the run, before the teardown (a
	# container's rm and rmi, a VM's kill): the run's cost, not the cleanup's.
	bg_stop
	meta_end
	collect_cleanup
	bench_meta || HVB_STATUS=1
	report_arrival "$HVB_STAGE/result.csv" || HVB_STATUS=1
	finish "$HVB_STATUS"
	_cr_rc=$?
	c_done "$_cr_rc"
	exit "$_cr_rc"
}
# collect_stage: the staging directory and the traps of the run: at exit
# (also by die) c_cleanup, the background helpers stopped, staging removed;
# on SIGINT/SIGTERM on_interrupt.  collect_run calls it; a collector that
# needs the staging directory before its result name is known (collect/qemu:
# the KVM probe decides the env label) calls it first.
collect_stage() {
	stage_init
	trap collect_exit EXIT
	trap on_interrupt INT TERM
	watchdog_start
}
collect_exit() {
	watchdog_stop
	collect_cleanup
	bg_stop
	stage_cleanup
}
# collect_cleanup: c_cleanup, once per run (at its end, on interrupt, at exit).
collect_cleanup() {
	[ "${HVB_CLEANED:-0}" = 1 ] && return 0
	HVB_CLEANED=1
	c_cleanup
}
# bench_meta: bench.NAME.exit and bench.NAME.guest_wall_s (the environment's
# clock) for each "HVB-BENCH NAME EXIT T0 T1" line of $HVB_STAGE/benches;
# bench.NAME.wall_s where the environment's clock is this host's
# (HVB_BENCH_CLOCK=host: collect/local, collect/container).  1 when one
# exited non-zero.
HVB_BENCH_CLOCK=guest
bench_meta() {
	local st=0 _tag name rc t0 t1 wall=guest_wall_s
	[ "$HVB_BENCH_CLOCK" = host ] && wall=wall_s
	[ -f "$HVB_STAGE/benches" ] || return 0
	while read -r _tag name rc t0 t1; do
		[ "$_tag" = HVB-BENCH ] || continue
		meta "bench.$name.exit" "$rc"
		meta "bench.$name.$wall" "$(elapsed "$t0" "$t1")"
		[ "$rc" = 0 ] || st=1
	done <"$HVB_STAGE/benches"
	return "$st"
}
# bg_suite CMD...: run the suite in the background, so that an interrupt is
# handled at once (c_stop), and wait for it; its exit status.
bg_suite() {
	local rc
	"$@" &
	HVB_SUITE_PID=$!
	wait "$HVB_SUITE_PID"
	rc=$?
	HVB_SUITE_PID=""
	return "$rc"
}

# on_interrupt: SIGINT/SIGTERM.  c_stop stops the suite (which keeps the
# rows it wrote) and brings them in; they are stored with the sidecars and
# interrupted= in .meta, then exit 130.  Without a result.csv the staging
# directory is kept.  A c_stop that exits itself skips this (collect/qemu,
# whose results are still its raw serial log, keeps the staging directory).
on_interrupt() {
	trap '' INT TERM
	c_stop
	msg "interrupted; keeping what arrived"
	collect_cleanup
	bg_stop
	if [ -n "${HVB_STAGE:-}" ] && [ -f "$HVB_STAGE/meta" ] && [ -n "${OUT_BASE:-}" ]; then
		meta interrupted "at $(utc_iso)"
		[ -n "${HVB_T0:-}" ] && meta_end
		if [ -s "$HVB_STAGE/result.csv" ]; then finish "$HVB_EXIT_FAILED"; else HVB_STAGE_KEEP=1; fi
	fi
	exit "$HVB_EXIT_SIGNAL"
}

# proc_stat PID N: field N of /proc/PID/stat (5 the process group, 22 the
# start time in clock ticks since boot), or nothing when PID is gone.  The
# fields are counted after the command name, which may hold spaces and ')'.
proc_stat() {
	local s a
	{ read -r s <"/proc/$1/stat"; } 2>/dev/null || return 0
	s=${s##*) }
	read -r -a a <<<"$s"
	printf '%s' "${a[$(($2 - 3))]:-}"
}
# The watchdog: a collector killed without running its traps (SIGKILL) would
# leave what it started running on (the suite, QEMU, the container's
# processes, the samplers).  When the collector leads its process group (as
# collect/plan starts it, or as a job of an interactive shell), a watchdog
# waits for it to end (tail --pid: one process, polled once a second, no
# fork) and then sends SIGTERM to the group.  A normal end and an interrupt
# stop the watchdog first (collect_exit), so nothing of a clean run is
# touched.  Not started where the group is someone else's (a script's
# background job): the group would be theirs.
HVB_WATCHDOG_PID=""
watchdog_start() {
	[ -z "$HVB_WATCHDOG_PID" ] || return 0
	[ "$(proc_stat $$ 5)" = "$$" ] || return 0
	command -v tail >/dev/null 2>&1 || return 0
	(
		trap - INT TERM
		# Only when the collector is really gone (tail ended by itself, 0,
		# and $$ is no more or a zombie): watchdog_stop signals tail first,
		# and a watchdog that took that for the collector's end would send
		# SIGTERM to the group of a collector that was ending cleanly.
		tail --pid=$$ -f /dev/null 2>/dev/null || exit 0
		case $(proc_stat $$ 3) in "" | Z | X) ;; *) exit 0 ;; esac
		kill -TERM -- "-$$" 2>/dev/null
	) </dev/null >/dev/null 2>&1 &
	HVB_WATCHDOG_PID=$!
}
watchdog_stop() {
	[ -n "$HVB_WATCHDOG_PID" ] || return 0
	kill_tree "$HVB_WATCHDOG_PID" TERM
	wait "$HVB_WATCHDOG_PID" 2>/dev/null
	HVB_WATCHDOG_PID=""
	return 0
}

# kill_tree PID SIG: signal PID and its descendants, leaves first (by PID,
# never by name).  Used to pass an interrupt on to a suite run in the
# background: hvbench keeps the rows it wrote and exits 130.
kill_tree() {
	local c
	for c in $(pgrep -P "$1" 2>/dev/null); do kill_tree "$c" "$2"; done
	kill -"$2" "$1" 2>/dev/null
	return 0
}
