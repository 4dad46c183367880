#!/bin/bash
# tests/layers.sh [ROOT] - the C layers of hvbench, from the #include "..."
# lines of every .c and .h under ROOT (default: the current directory), as
# docs/architecture.md ("The layers") draws them:
#
#   0  common/, version.h        what every program shares
#   1  model/                    the results model
#   2  analyze/, report/, bench/ the areas: each reads the layers below,
#                                none includes another
#   3  cli/, fuzz/               the programs over analyze/ and report/
#   4  tests/                    anything
#
# A file may include a file of its own folder or of a lower layer; an include
# of a higher layer, of a sibling area, or of a folder with no layer is
# printed as FILE:LINE: what, and the exit status is 1.  Includes that do not
# resolve relative to the including file (tests' -I paths, system headers in
# quotes) are not judged, except outside tests/, where they are an error.
set -u
root=${1:-.}
cd "$root" || { echo "layers.sh: cannot cd to $root" >&2; exit 2; }

# The layer of a path relative to ROOT ("" when it has none).
layer_of() {
	case $1 in
	common/*|version.h) echo 0 ;;
	model/*) echo 1 ;;
	analyze/*|report/*|bench/*) echo 2 ;;
	cli/*|fuzz/*) echo 3 ;;
	tests/*) echo 4 ;;
	*) echo "" ;;
	esac
}

# The area of a path: its top folder; version.h belongs with common/.
area_of() {
	case $1 in
	version.h) echo common ;;
	*) echo "${1%%/*}" ;;
	esac
}

bad=0
while IFS= read -r -d '' f; do
	f=${f#./}
	from=$(layer_of "$f")
	if [ -z "$from" ]; then
		echo "$f:1: a C file in a folder with no layer (add it to tests/layers.sh and docs/architecture.md)"
		bad=1
		continue
	fi
	dir=$(dirname "$f")
	n=0
	while IFS= read -r line; do
		n=$((n + 1))
		[[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]] || continue
		inc=${BASH_REMATCH[1]}
		target=$(realpath -m --relative-to=. "$dir/$inc")
		if [ ! -e "$target" ]; then
			if [ "$from" != 4 ]; then
				echo "$f:$n: #include \"$inc\" does not resolve from $dir/"
				bad=1
			fi
			continue
		fi
		to=$(layer_of "$target")
		if [ "$(dirname "$target")" = "$dir" ]; then
			continue
		elif [ -z "$to" ]; then
			echo "$f:$n: includes $target, in a folder with no layer"
			bad=1
		elif [ "$to" -gt "$from" ]; then
			echo "$f:$n: includes $target (layer $to) from layer $from: upward"
			bad=1
		elif [ "$to" -eq "$from" ] && [ "$from" != 4 ] &&
		     [ "$(area_of "$target")" != "$(area_of "$f")" ]; then
			echo "$f:$n: includes $target, another area of layer $to"
			bad=1
		fi
	done < "$f"
done < <(find . -path ./build -prune -o -path ./.git -prune -o \( -name '*.c' -o -name '*.h' \) -type f -print0 | sort -z)
exit "$bad"
