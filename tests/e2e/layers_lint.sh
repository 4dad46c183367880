#!/bin/bash
# tests/e2e/layers_lint.sh - the C layers hold (tests/layers.sh over the
# #include lines, the layers of docs/architecture.md): the tree passes; a
# copy of it with an upward include planted (model/ including report/), one
# with a sibling include (analyze/ including report/) and one with a C file
# in a folder of no layer each fail, naming the line.
. "$(dirname "$0")/../lib.sh"

cd "$HVB_TOP" || { fail layers_tree "cannot cd to $HVB_TOP"; t_done; }
if out=$(bash tests/layers.sh . 2>&1); then
	pass layers_tree
else
	fail layers_tree "$(printf '%s\n' "$out" | head -n 5)"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# a copy of the C sources only: what the script reads
copy() {
	rm -rf "$tmp/t"
	mkdir -p "$tmp/t"
	find . -path ./build -prune -o -path ./.git -prune -o \( -name '*.c' -o -name '*.h' \) -type f -print0 |
		tar --null -T - -cf - | tar -xf - -C "$tmp/t"
}

# plant NAME FILE LINE WANT: FILE gets LINE at its end; the script must fail
# and print FILE:N with WANT in it.
plant() {
	local name=$1 file=$2 line=$3 want=$4 n
	copy
	if [ ! -f "$tmp/t/$file" ]; then
		fail "$name" "no $file in the copy"
		return
	fi
	printf '%s\n' "$line" >> "$tmp/t/$file"
	n=$(wc -l < "$tmp/t/$file")
	if out=$(bash tests/layers.sh "$tmp/t" 2>&1); then
		fail "$name" "passed with $line in $file"
	elif printf '%s\n' "$out" | grep -qF "$file:$n: " &&
	     printf '%s\n' "$out" | grep -qF "$want"; then
		pass "$name"
	else
		fail "$name" "failed, but not on $file:$n ($want): $(printf '%s\n' "$out" | head -n 3)"
	fi
}

plant layers_planted_upward model/fields.c '#include "../report/report.h"' "upward"
plant layers_planted_sibling analyze/stats.c '#include "../report/report.h"' "another area"
plant layers_planted_common common/xalloc.c '#include "../model/model.h"' "upward"
copy
mkdir -p "$tmp/t/newarea"
printf '#include "../common/xalloc.h"\n' > "$tmp/t/newarea/x.c"
if out=$(bash tests/layers.sh "$tmp/t" 2>&1); then
	fail layers_planted_nolayer "passed with newarea/x.c"
elif printf '%s\n' "$out" | grep -qF "newarea/x.c:1: a C file in a folder with no layer"; then
	pass layers_planted_nolayer
else
	fail layers_planted_nolayer "$(printf '%s\n' "$out" | head -n 3)"
fi
t_done
