#!/bin/bash
# collect_options.sh - the one option parser of the collectors (collect/lib.sh
# collect_options): each kind of the option table (str, flag, uint, secs,
# range, append), the common options, "--", words for COLLECT_WORDS, -h, and
# the exact usage errors (exit 2, the message, the --help hint) of a missing
# value, a bad number and an unknown option.  Then each collector that uses
# it still refuses a bad value of its own options with its own message.
source "$(dirname "$0")/../lib.sh"
L=$HVB_TOP/collect/lib.sh

# parse ARGS...: source lib.sh, parse with a table of every kind, print the
# variables as "a|b|n|s|r|arr|words|extra|reps|env".
parse() {
	bash -c '
		HVB_PROG=collect/t
		. "$1"; shift
		usage() { echo USAGE; }
		a=dflt b=0 n=5 s=10 r=3 arr=() words=()
		COLLECT_WORDS=words collect_options --a=a --b=b:flag --n=n:uint --s=s:secs \
			--r=r:range:1:9 --o=arr:append:-o --p=arr:append: -- "$@"
		printf "%s|" "$a" "$b" "$n" "$s" "$r" "${arr[*]}" "${words[*]}" "${HVB_EXTRA[*]}" "$HVB_REPS" "$HVB_ENV_LABEL"
		echo
	' _ "$L" "$@"
}
# expect NAME WANT-STDOUT WANT-STATUS WANT-STDERR ARGS...
expect() {
	local name=$1 want=$2 wst=$3 werr=$4 got st err
	shift 4
	got=$(parse "$@" 2>"$T_TMP/err"); st=$?
	err=$(cat "$T_TMP/err")
	if [ "$got" = "$want" ] && [ "$st" = "$wst" ] && [ "$err" = "$werr" ]; then pass "$name"
	else fail "$name" "got '$got' exit $st stderr '$err'; want '$want' exit $wst stderr '$werr'"; fi
}
hint="collect/t: try 'collect/t --help'"
expect opts_defaults "dflt|0|5|10|3||||||" 0 ""
expect opts_every_kind "x y|1|7|30|9|-o A=1 B|w1 w2|--quick --reps 4|2|e1|" 0 "" \
	--a "x y" w1 --b --n 7 --s 30 --r 9 --o A=1 --p B --reps 2 --env e1 w2 -- --quick --reps 4
expect opts_last_wins "second|0|5|10|3||||||" 0 "" --a first --a second
expect opts_help "USAGE" 0 "" --n 7 --help --n bad
expect opts_missing_value "" 2 "collect/t: option --a needs a value
$hint" --a
expect opts_uint "" 2 "collect/t: --n: '-1' is not a whole number
$hint" --n -1
expect opts_secs "" 2 "collect/t: --s: '1.5' is not a number of seconds
$hint" --s 1.5
expect opts_range_high "" 2 "collect/t: --r: '10' is not 1..9
$hint" --r 10
expect opts_range_low "" 2 "collect/t: --r: '0' is not 1..9
$hint" --r 0
expect opts_unknown "" 2 "collect/t: unknown option '--nope'
$hint" --nope
expect opts_common_checked "" 2 "collect/t: --reps: 'x' is not a whole number
$hint" --reps x
# Without COLLECT_WORDS a word is not taken.
got=$(bash -c 'HVB_PROG=collect/t; . "$1"; shift; usage() { :; }; collect_options --a=a -- "$@"' _ "$L" word 2>&1); st=$?
[ "$st" = 2 ] && [ "$got" = "collect/t: unknown option 'word'
$hint" ] && pass opts_no_words || fail opts_no_words "exit $st: $got"

# The collectors on the parser: their own checks and messages.
C=$HVB_TOP/collect
for spec in "qemu|--smp 0|--smp: '0' is not 1..256" "qemu|--mem 64|--mem: '64' is not a size in MiB >= 128" \
	"qemu|--timeout 0|--timeout: '0' is not a number of seconds" "ssh|--jobs 999|--jobs: '999' is not 1..256" \
	"vbox|--run-timeout x|--run-timeout: 'x' is not a number of seconds" "container|--bogus|unknown option '--bogus'" \
	"libvirt|--connect|option --connect needs a value" "local|extra|unknown option 'extra'"; do
	IFS='|' read -r coll args want <<<"$spec"
	# shellcheck disable=SC2086 # the arguments are words
	out=$("$C/$coll" $args 2>&1 >/dev/null); st=$?
	[ "$st" = 2 ] && [ "$(head -1 <<<"$out")" = "collect/$coll: $want" ] \
		&& pass "opts_collector_${coll}_${args%% *}" || fail "opts_collector_${coll}_${args%% *}" "exit $st: $out"
done
t_done
