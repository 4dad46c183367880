#!/bin/bash
# iobench on small real filesystems (needs root for mount):
#  - tmpfs of 8 MiB: a 16 MiB file is refused up front (fail row, exit 1,
#    message naming the free space); with --force it meets ENOSPC mid-run
#    (fail row naming ENOSPC, exit 1); no test file is left either way;
#  - ramfs, which refuses O_DIRECT: skip rows for direct=1, measured buffered;
#  - a loop-mounted ext4 image of 32 MiB: O_DIRECT is used, and ENOSPC on
#    the O_DIRECT path is a fail row too.
# Exit status of iobench (README): 0 ran, 1 a fail row (or refused), 2 usage.
. "$(dirname "$0")/../lib.sh"
B=$HVB_BIN/iobench

if [ "$(id -u)" != 0 ]; then
	skip "io space tests" "not root (mount needed)"
	t_done
fi
MNT=$T_TMP/mnt
mkdir -p "$MNT/tmpfs" "$MNT/ramfs" "$MNT/ext4"
cleanup() {
	for m in tmpfs ramfs ext4; do mountpoint -q "$MNT/$m" && umount "$MNT/$m"; done
	rm -rf "$T_TMP"
}
trap cleanup EXIT
if ! mount -t tmpfs -o size=8m hvbtest "$MNT/tmpfs" 2>"$T_TMP/err"; then
	skip "io space tests" "cannot mount tmpfs: $(cat "$T_TMP/err")"
	t_done
fi

# 1. refused up front
"$B" --dir "$MNT/tmpfs" --size-mb 16 --reps 1 --out "$T_TMP/a.csv" 2>"$T_TMP/err"
rc=$?
if [ $rc -eq 1 ] && grep -q "MiB free" "$T_TMP/err" && grep -q ',fail,"not run: ' "$T_TMP/a.csv"; then
	pass "io refuses a file larger than the free space (exit 1, fail row, message)"
else
	fail "io refuses" "exit $rc; stderr: $(head -c 200 "$T_TMP/err"); $(grep ,fail, "$T_TMP/a.csv" | head -1)"
fi
[ -z "$(ls -A "$MNT/tmpfs")" ] && pass "io refused: no file left" || fail "io refused: no file left" "$(ls -A "$MNT/tmpfs")"

# 2. ENOSPC mid-run
"$B" --dir "$MNT/tmpfs" --size-mb 16 --force --quick --out "$T_TMP/b.csv" 2>"$T_TMP/err"
rc=$?
if [ $rc -eq 1 ] && grep -q ',fail,ENOSPC: no space left in ' "$T_TMP/b.csv"; then
	pass "io ENOSPC mid-run: fail row, exit 1"
else
	fail "io ENOSPC mid-run" "exit $rc; $(grep -v ,info, "$T_TMP/b.csv" | tail -2)"
fi
# Every test after the failed one still has its row (a result is never lost): the
# non-info rows are exactly the ENOSPC row and one fail row per later test.
after_enospc() { # after_enospc CSV: "op:metric:rep:status:note" of each non-info row
	csvq "$1" 'status != "" && status != "info" {
		k = split(params, a, ";"); op = ""; for (i = 1; i <= k; i++) if (a[i] ~ /^op=/) op = substr(a[i], 4)
		sub(/ in .*/, "", note); print op ":" metric ":" rep ":" status ":" note }' | tr '\n' ' '
}
want_rows="seqwrite:MB_per_s:1:fail:ENOSPC: no space left seqread:MB_per_s:1:fail:not run: seqwrite failed before it \
randread:iops:1:fail:not run: seqwrite failed before it randwrite:iops:1:fail:not run: seqwrite failed before it \
fsync:iops:1:fail:not run: seqwrite failed before it "
got=$(after_enospc "$T_TMP/b.csv")
[ "$got" = "$want_rows" ] && pass "io ENOSPC mid-run: a fail row for every test after the failed one" ||
	fail "io ENOSPC mid-run: rows after the failed one" "got '$got', want '$want_rows'"
[ -z "$(ls -A "$MNT/tmpfs")" ] && pass "io ENOSPC: no file left" || fail "io ENOSPC: no file left" "$(ls -A "$MNT/tmpfs")"
[ "$(df --output=used -k "$MNT/tmpfs" | tail -1 | tr -d ' ')" -lt 100 ] && pass "io ENOSPC: space given back" ||
	fail "io ENOSPC: space given back" "$(df -k "$MNT/tmpfs" | tail -1)"

# 2b. a filesystem already full: even the first block fails (ENOSPC, not
# "O_DIRECT refused"), and only the filler is left.
dd if=/dev/zero of="$MNT/tmpfs/fill" bs=64k count=200 2>/dev/null
"$B" --dir "$MNT/tmpfs" --size-mb 1 --force --quick --out "$T_TMP/f.csv" 2>/dev/null
rc=$?
if [ $rc -eq 1 ] && grep -q ',fail,ENOSPC: ' "$T_TMP/f.csv" && ! grep -q ',skip,' "$T_TMP/f.csv" &&
	[ "$(ls -A "$MNT/tmpfs")" = fill ]; then
	pass "io on a full filesystem: ENOSPC fail row, exit 1, nothing left"
else
	fail "io on a full filesystem" "exit $rc; files: $(ls -A "$MNT/tmpfs" | tr '\n' ' '); $(grep -v ,info, "$T_TMP/f.csv" | tail -1)"
fi
got=$(after_enospc "$T_TMP/f.csv")
[ "$got" = "$want_rows" ] && pass "io on a full filesystem: a fail row for every test after the failed one" ||
	fail "io on a full filesystem: rows after the failed one" "got '$got', want '$want_rows'"
rm -f "$MNT/tmpfs/fill"

# 3. no O_DIRECT: skip rows, buffered rows
if mount -t ramfs hvbtest "$MNT/ramfs" 2>/dev/null; then
	"$B" --dir "$MNT/ramfs" --size-mb 4 --quick --reps 1 --out "$T_TMP/c.csv" 2>"$T_TMP/err"
	rc=$?
	nskip=$(grep -c 'direct=1;.*,skip,O_DIRECT refused' "$T_TMP/c.csv")
	nok=$(grep -c 'direct=0;.*,ok,' "$T_TMP/c.csv")
	if [ $rc -eq 0 ] && [ "$nskip" -eq 4 ] && [ "$nok" -ge 14 ] && grep -q 'cache_mode,,,,,info,"buffered' "$T_TMP/c.csv"; then
		pass "io without O_DIRECT: 4 skip rows, buffered rows, exit 0"
	else
		fail "io without O_DIRECT" "exit $rc, $nskip skip, $nok ok rows"
	fi
	[ -z "$(ls -A "$MNT/ramfs")" ] && pass "io ramfs: no file left" || fail "io ramfs: no file left" "$(ls -A "$MNT/ramfs")"
else
	skip "io without O_DIRECT" "cannot mount ramfs"
fi

# 4. O_DIRECT on a real block filesystem, and ENOSPC there
if command -v mkfs.ext4 >/dev/null && truncate -s 32M "$T_TMP/img" && mkfs.ext4 -q -F "$T_TMP/img" 2>/dev/null &&
	mount -o loop "$T_TMP/img" "$MNT/ext4" 2>"$T_TMP/err"; then
	"$B" --dir "$MNT/ext4" --size-mb 8 --quick --reps 1 --out "$T_TMP/d.csv" 2>"$T_TMP/err"
	rc=$?
	nok=$(grep -c 'direct=1;.*,ok,' "$T_TMP/d.csv")
	if [ $rc -eq 0 ] && grep -q 'cache_mode,,,,,info,O_DIRECT' "$T_TMP/d.csv" && [ "$nok" -eq 10 ]; then
		pass "io ext4 loop: O_DIRECT used, 10 direct rows"
	else
		fail "io ext4 loop O_DIRECT" "exit $rc, $nok direct ok rows; $(head -c 200 "$T_TMP/err")"
	fi
	"$B" --dir "$MNT/ext4" --size-mb 64 --force --quick --out "$T_TMP/e.csv" 2>/dev/null
	rc=$?
	if [ $rc -eq 1 ] && grep -q 'direct=1;op=seqwrite.*,fail,ENOSPC' "$T_TMP/e.csv"; then
		pass "io ext4 loop: ENOSPC with O_DIRECT is a fail row, exit 1"
	else
		fail "io ext4 ENOSPC" "exit $rc; $(grep -v ,info, "$T_TMP/e.csv" | tail -1)"
	fi
	left=$(find "$MNT/ext4" -mindepth 1 -maxdepth 1 ! -name lost+found -printf "%f\n")
	[ -z "$left" ] && pass "io ext4: no file left" || fail "io ext4: no file left" "$left"
else
	skip "io ext4 loop" "cannot make/mount a loop ext4: $(head -c 200 "$T_TMP/err")"
fi
t_done
